//! # nanocontact
//!
//! Molecular dynamics, Landauer transport and current-induced forces for metal nanocontacts,
//! in LAMMPS `metal` units (Å, eV, ps, amu, K, bar).
//!
//! The architecture in brief (`ARCHITECTURE.md` at the repository root has one MD step as its
//! hooks and communication phases, and the transport pipeline):
//! - [`system`]: atoms as structure of arrays with global ids, the registry of extra per-atom
//!   fields that travel with their atoms, the box and its boundaries, groups and regions;
//!   [`build`] makes oriented fcc lattices and nanojunctions.
//! - [`io`]: LAMMPS data and dump files, extended XYZ, H5MD trajectories, CSV.
//! - [`potential`]: the `Potential` trait (neighbour-list requests, `compute` with the
//!   [`parallel::Comm`] handle, returning a `Result`), one factory, and the styles
//!   ([`potential::eam`]: funcfl, setfl and Finnis–Sinclair tables interpolated exactly as LAMMPS
//!   does; [`potential::lj`]: `lj/cut`).
//! - [`neighbor`]: Verlet lists on request (cutoff, half or full, owned only or with ghost
//!   pairs), built together from one binning under one skin.
//! - [`parallel`]: everything that crosses ranks: the MPI world, the brick decomposition, ghost
//!   (halo) swaps, forward and reverse communication of any per-atom array, migration, the
//!   [`parallel::Comm`] handle of physics code, the dynamic task farm, the snapshot link from
//!   MD ranks to transport ranks. Physics never calls MPI.
//! - [`dynamics`]: the MD state, one step's flow (velocity Verlet / BAOAB) and its step hooks
//!   ([`dynamics::hooks`]: rigid driven leads, Langevin and Nosé–Hoover thermostats and the
//!   inline snapshot sender are hooks), FIRE, velocity creation.
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
//! - [`deck`]: TOML input decks (MD, and transport in `deck::transport`) with file, line and
//!   key path of every error; [`setup`]: from an MD deck to the MD state (structure, potential,
//!   masses, groups, leads, thermostats); [`commands`]: the drivers of the subcommands (`run`,
//!   `eval`, `build`, `transport`, `farm`, `plot`; `main.rs` only parses arguments).
//! - [`units`]: the constants; [`error`]: the one error type with file, line and key.
//!
//! A step: hooks before the integrator (Nosé–Hoover half-step) → half-kick and drift (with
//! Langevin baths: half-drift, O step, half-drift) → hooks after it (rigid leads to their
//! imposed positions) → if any atom moved more than skin/2: wrap, migrate, rebuild ghosts and
//! lists, else forward ghost positions → pre-force hooks → forces (EAM: density pass, reverse ρ,
//! forward F'(ρ), force pass) → reverse ghost forces → post-force hooks → half-kick → end-of-step
//! hooks (Nosé–Hoover half-step, snapshot to the transport ranks) → thermo, trajectory frames,
//! lead forces.

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
