//! The drivers behind the command-line subcommands; `main.rs` only parses arguments.
//!
//! [`md_run`] and [`eval`] run MD decks and single points; [`transport`] is `transport
//! --hamiltonian` (the Kwant reference format), [`farm`] the `transport DECK` and `farm DECK`
//! commands over the MPI task farm, [`inline_transport`] the transport ranks of a `run` with a
//! `[transport]` section, [`transport_figures`] their PNG figures; [`plot`] is `nanocontact
//! plot`, a figure of columns of any CSV.

pub mod eval;
pub mod farm;
mod farm_tables;
pub mod inline_transport;
pub mod md_run;
pub mod plot;
pub mod transport;
pub mod transport_figures;
