//! The command line's integration tests, one module per subject: the
//! generated subcommands, the resumable export, the ticket workflow and the
//! guides' commands.

mod cli;
mod export;
mod guide_commands;
mod support;
mod tickets;
