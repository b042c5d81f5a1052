//! Landauer tight-binding transport: a scattering region between two semi-infinite leads.
//!
//! Pipeline (as Kwant: build → freeze → solve): a model or a file gives a [`TransportProblem`]
//! (H_S, and for each lead H00, H01 and the coupling V, optionally as Fourier components of a
//! transverse k); [`Solver`] slices S into principal layers once and, per (k, E), computes the
//! lead surface Green's functions ([`mode_matching`], or [`decimation`]), projects them onto S
//! ([`self_energy`]) and sweeps the block recursive Green's function ([`rgf`]) to the Caroli
//! transmission T = Tr[Γ_L G Γ_R G†] and the eigenchannels τ_n = eig(t†t).
//! [`kwant_json`] reads the Kwant reference format; [`tight_binding`] builds problems from atom
//! positions with a model such as [`sutton`] (single s orbital) or [`slater_koster`] (spd,
//! Au and Ag); [`band_filling`] gives a lead's Fermi energy, [`bulk_bands`] the bands and
//! Fermi energy of the bulk crystal;
//! [`landauer`] turns T(E) into G and I(V); [`cli`] is the `transport --hamiltonian` command.

pub mod band_filling;
pub mod bulk_bands;
pub mod charge_neutrality;
pub mod cli;
pub mod decimation;
pub mod dense;
pub mod kwant_json;
pub mod landauer;
pub mod mode_matching;
pub mod problem;
pub mod rgf;
pub mod self_energy;
pub mod slater_koster;
pub mod solver;
pub mod sutton;
pub mod tight_binding;

pub use problem::{FourierBlock, KPoint, Lead, SparseMatrix, TransportProblem};
pub use rgf::Transmission;
pub use self_energy::SelfEnergyMethod;
pub use solver::{AveragedTransmission, Solver};
