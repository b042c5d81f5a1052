//! Landauer tight-binding transport: a scattering region between two semi-infinite leads.
//!
//! Pipeline (as Kwant: build → freeze → solve): a model or a file gives a [`TransportProblem`]
//! (H_S, and for each lead H00, H01 and the coupling V, optionally as Fourier components of a
//! transverse k); [`Solver`] slices S into principal layers once and, per (k, E), computes the
//! lead surface Green's functions ([`mode_matching`], or [`decimation`]), projects them onto S
//! ([`self_energy`]) and sweeps the block recursive Green's function ([`rgf`]) to the Caroli
//! transmission T = Tr[Γ_L G Γ_R G†] and the eigenchannels τ_n = eig(t†t).
//! [`kwant_json`] reads the Kwant reference format; [`tight_binding`] builds problems from atom
//! positions with a model such as [`sutton`] (single s orbital), [`slater_koster`] (spd,
//! Au and Ag, orthogonal) or [`dftb`] (spd, non-orthogonal, tabulated), and [`supercell`] does so for systems periodic across the transport axis
//! (Fourier blocks H(R), Monkhorst–Pack k∥ meshes); [`lead_crystal`] finds a lead's stacking
//! and principal layer from its atoms; [`band_filling`] gives a lead's Fermi energy,
//! [`bulk_bands`] the bands and Fermi energy of the bulk crystal, [`chain`](mod@chain) the infinite monatomic chain, [`charge_neutrality`] the
//! on-site shifts that make each atom neutral ([`mulliken`] in a non-orthogonal basis); [`model_file`] reads a model by its file's extension; [`landauer`] turns T(E) into G and
//! I(V); [`cli`]
//! is the `transport --hamiltonian` command.
//!
//! Snapshots (MD frames, data files): [`snapshot`] turns a structure and a transport deck into
//! a problem with shared, precomputed leads; [`unit`](mod@unit) solves one (snapshot, k∥) unit with lead
//! surfaces from the per-rank [`lead_cache`]; [`store`] is the HDF5 results file; [`farm`] holds
//! the `transport DECK` and `farm DECK` commands, which run the units over the MPI task farm
//! (`crate::parallel::task_farm`); [`inline`] runs the same units on transport ranks beside the
//! MD ranks of a `nanocontact run` with a `[transport]` section.

pub mod band_filling;
pub mod bulk_bands;
pub mod chain;
pub mod charge_neutrality;
pub mod cli;
pub mod decimation;
pub mod dense;
pub mod dftb;
pub mod farm;
pub mod figures;
pub mod inline;
pub mod kwant_json;
pub mod landauer;
pub mod lead_cache;
pub mod lead_crystal;
pub mod mode_matching;
pub mod model_file;
pub mod mulliken;
pub mod problem;
pub mod rgf;
pub mod self_energy;
pub mod slater_koster;
pub mod snapshot;
pub mod solver;
pub mod store;
pub mod supercell;
pub mod sutton;
pub mod tight_binding;
pub mod unit;

pub use problem::{BlochPhases, FourierBlock, KPoint, Lead, SparseMatrix, TransportProblem};
pub use rgf::Transmission;
pub use self_energy::SelfEnergyMethod;
pub use solver::{AveragedTransmission, Solver};
