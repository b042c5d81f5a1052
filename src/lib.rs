//! # nanocontact
//!
//! Molecular dynamics, Landauer transport and current-induced forces for metal nanocontacts,
//! in LAMMPS `metal` units (Å, eV, ps, amu, K, bar).
//!
//! The architecture in brief (it grows from the module map of the project's shared
//! `docs/ARCHITECTURE.md`):
//! - [`system`]: atoms as structure of arrays with global ids, the box and its boundaries,
//!   groups and regions; [`build`] makes oriented fcc lattices and nanojunctions.
//! - [`io`]: LAMMPS data and dump files, extended XYZ, H5MD trajectories, CSV.
//! - [`potential`]: the `Potential` trait and its styles ([`potential::eam`]: funcfl, setfl and
//!   Finnis–Sinclair tables interpolated exactly as LAMMPS does).
//! - [`neighbor`]: binned half Verlet lists with a skin.
//! - [`parallel`]: everything that crosses ranks: the MPI world, the brick decomposition, ghost
//!   (halo) swaps, forward and reverse communication, migration, the dynamic task farm, the
//!   snapshot link from MD ranks to transport ranks. Physics never calls MPI.
//! - [`dynamics`]: the MD state and one step's flow, velocity Verlet / BAOAB, rigid driven
//!   leads, Langevin and Nosé–Hoover thermostats, FIRE, velocity creation.
//! - [`transport`]: the tight-binding transport pipeline in five stages whose imports run one
//!   way: models ([`transport::model`]), scattering problems with wire leads or supercells with
//!   k∥ meshes ([`transport::problem`]), lead self-energies (mode matching, decimation), the
//!   recursive Green's function solver and eigenchannels ([`transport::solver`]), local charge
//!   neutrality ([`transport::neutrality`]), and transport of MD snapshots and their farm over
//!   ranks ([`transport::farm`]), offline or on transport ranks beside the MD ranks of a run.
//! - [`analysis`]: rheology of recorded runs (sinusoidal fit, G' and G'', zig-zag model), the
//!   structure of a junction over frames (minimal cross-section, bond angles ρ(θ)), surface
//!   energies of EAM potentials and the intrinsic tension 2πγR.
//! - [`plot`]: PNG figures (lines, points with error bars, histograms, stacked panels) in pure
//!   Rust.
//! - [`deck`]: TOML input decks (MD, and transport in `deck::transport`) with file/line/key
//!   errors; [`setup`]: from an MD deck to the MD state (structure, potential, masses, groups,
//!   leads, thermostats); [`commands`]: the drivers of the `run`, `eval` and `build`
//!   subcommands (`main.rs` only parses arguments).
//! - [`units`]: the constants; [`error`]: the one error type with file, line and key.
//!
//! A step: (Nosé–Hoover half-step) → half-kick and drift (with Langevin baths: half-drift, O
//! step, half-drift) → rigid leads to their imposed positions → if any atom moved more than
//! skin/2: wrap, migrate, rebuild ghosts and lists, else forward ghost positions → forces (EAM:
//! density pass, reverse ρ, forward F'(ρ), force pass) → reverse ghost forces → half-kick →
//! (Nosé–Hoover half-step) → thermo, trajectory frames, lead forces.

pub mod analysis;
pub mod build;
pub mod commands;
pub mod deck;
pub mod dynamics;
pub mod error;
pub mod io;
pub mod neighbor;
pub mod parallel;
pub mod plot;
pub mod potential;
pub mod setup;
pub mod system;
pub mod transport;
pub mod units;
