//! The drivers behind the command-line subcommands; `main.rs` only parses arguments.

pub mod eval;
pub mod md_run;
