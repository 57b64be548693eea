//! The validator's integration tests, one module per subject: the command
//! line, the fuzzers' regressions, the guide's commands and the library.

mod cli;
mod fuzz_regressions;
mod guide_commands;
mod library;
