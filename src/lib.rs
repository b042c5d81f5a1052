//! # nanocontact
//!
//! Molecular dynamics, Landauer transport and current-induced forces for metal nanocontacts,
//! in LAMMPS `metal` units (Å, eV, ps, amu, K, bar).
//!
//! The architecture in brief (see `docs/ARCHITECTURE.md` in the shared docs for the full map):
//! - [`system`]: atoms as structure of arrays with global ids, the box and its boundaries,
//!   groups and regions; [`build`] makes oriented fcc lattices.
//! - [`io`]: LAMMPS data and dump files, extended XYZ, H5MD trajectories, CSV.
//! - [`potential`]: the `Potential` trait and its styles ([`potential::eam`]: funcfl, setfl and
//!   Finnis–Sinclair tables interpolated exactly as LAMMPS does).
//! - [`neighbor`]: binned half Verlet lists with a skin.
//! - [`parallel`]: everything that crosses ranks: the MPI world, ghost (halo) swaps, forward and
//!   reverse communication. Physics never calls MPI.
//! - [`dynamics`]: the MD state and one step's flow (integrate, re-neighbour or refresh ghosts,
//!   forces, reverse communication), velocity Verlet, FIRE, velocity creation.
//! - [`deck`]: TOML input decks with file/key errors; [`run`]: the `run` and `eval` drivers.
//! - [`analysis`]: rheology of recorded runs (sinusoidal fit, G' and G'', zig-zag model).
//! - [`units`]: the constants; [`error`]: the one error type with file, line and key.
//!
//! A step: half-kick and drift → if any atom moved more than skin/2, wrap, rebuild ghosts and
//! lists, else forward ghost positions → forces (EAM: density pass, reverse ρ, forward F'(ρ),
//! force pass) → reverse ghost forces → half-kick → thermo, trajectory frames.

pub mod analysis;
pub mod build;
pub mod commands;
pub mod deck;
pub mod dynamics;
pub mod error;
pub mod io;
pub mod neighbor;
pub mod parallel;
pub mod potential;
pub mod transport;

pub mod system;
pub mod units;
