//! The drivers behind the command-line subcommands, each with its options as a clap `Args`
//! struct; `main.rs` only parses arguments.
//!
//! [`run`], [`build`] and [`eval`] run MD decks, build their structures and evaluate single
//! points; [`transport`] is `transport --hamiltonian` (the Kwant reference format), [`farm`]
//! the `transport DECK` and `farm DECK` commands over the MPI task farm, [`inline_transport`]
//! the transport ranks of a `run` with a `[transport]` section, [`transport_figures`] their PNG
//! figures; [`plot`] is `nanocontact plot`, a figure of columns of any CSV; [`wire`] is
//! `wire response`, the current-induced forces and modes of an atomic wire under bias, and
//! [`wire_scan`] `wire scan`, their scans over lengths and biases on the task farm;
//! [`wire_ehrenfest`] `wire ehrenfest`, one Ehrenfest trajectory of a wire deck, and
//! [`wire_ehrenfest_scan`] `wire ehrenfest-scan`, its trajectories over N, V and M on the farm.

pub mod build;
pub mod eval;
pub mod farm;
mod farm_tables;
pub mod inline_transport;
pub mod plot;
pub mod run;
pub mod transport;
pub mod transport_figures;
pub mod wire;
pub mod wire_ehrenfest;
pub mod wire_ehrenfest_scan;
pub mod wire_scan;

/// Parse an MPI processor grid `px,py,pz`.
pub fn parse_grid(s: &str) -> Result<[usize; 3], String> {
    let v: Vec<usize> = s
        .split(',')
        .map(|t| {
            t.trim()
                .parse::<usize>()
                .map_err(|_| format!("'{t}' is not a positive integer"))
        })
        .collect::<Result<_, _>>()?;
    match v[..] {
        [a, b, c] if a > 0 && b > 0 && c > 0 => Ok([a, b, c]),
        _ => Err(format!(
            "expected three positive integers px,py,pz, got '{s}'"
        )),
    }
}
