//! Analysis of recorded runs, independent of how they were produced (this code or LAMMPS):
//! - [`rheology`]: the sinusoidal fit of the force under oscillatory strain, F0 + A·sin(ωt + φ),
//!   with least-squares and per-cycle blocking errors, the complex modulus G' + iG'' and the
//!   mechanical power (Khosravi et al. 2021, Methods and Fig. 3);
//! - [`rheology_cli`]: the `analyze rheology --signal FILE.csv` contract (CSV in, one JSON line
//!   out);
//! - [`rheology_run`]: the same fit for every oscillation stage of a `nanocontact run` folder,
//!   with the nominal area and optionally the neck area measured at the start of each stage;
//! - [`rheology_plots`]: its figures: F(t) with the fit, G' and G'' against a0, force–strain
//!   loops (the paper's Figs. 2, 3a and 4);
//! - [`force_conductance`]: the force between the leads and the conductance of farmed frames
//!   on one time axis, with their per-stage statistics and correlation;
//! - [`zigzag`]: the zig-zag yielding model of Eqs. (3)–(4) and its fit to G'(ε0);
//! - [`structure`]: the minimal cross-section N(z) and the bond-angle distribution ρ(θ) of a
//!   junction over recorded frames (Fig. 1), and the intrinsic tension F_i = 2πγR;
//! - [`surface_energy`]: γ of the (111), (100), (110) faces of an EAM potential from slabs.

pub mod force_conductance;
pub mod rewiring;
pub mod rewiring_figures;
pub mod rheology;
pub mod rheology_cli;
pub mod rheology_plots;
pub mod rheology_run;
pub mod structure;
pub mod surface_energy;
pub mod zigzag;
