//! The stateful mode: an account in memory (users, tickets, side
//! conversations, events, uploads) behind one route per operation.

mod multipart;
mod routes;
mod store;
mod written;

pub use routes::{routes, App};
