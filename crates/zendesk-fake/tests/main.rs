//! The fake's integration tests, one module per subject: the binary, the
//! control API's input checks, end to end through the client, faults, the
//! fidelity score, pacing, the proxy and its recorder, quirks of the service,
//! rate limits, scripted responses, agreement with the spec, tickets, and the
//! guides' snippets and commands.

mod account_limit;
mod binary;
mod control_input;
mod e2e;
mod faults;
mod fidelity;
mod guide_commands;
mod guides;
mod pacing;
mod proxy;
mod quirks;
mod rate_limits;
mod scripts;
mod spec_agreement;
mod support;
mod tickets;
