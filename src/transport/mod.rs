//! Landauer tight-binding transport: a scattering region between two semi-infinite leads.
//!
//! The pipeline (as Kwant: build → freeze → solve) is five folders whose imports run one way,
//! a later stage using the earlier ones and never the reverse:
//! 1. [`model`]: tight-binding models and their parameter files ([`model::sutton`],
//!    [`model::slater_koster`], [`model::dftb`]), band filling and bulk bands;
//! 2. [`problem`]: the scattering problem [`TransportProblem`] (H_S, and for each lead H00, H01
//!    and the coupling V, optionally as Fourier components of a transverse k), built from atom
//!    positions with wire leads or in supercells with k∥ meshes, lead crystals, the infinite
//!    chain, the Kwant reference format;
//! 3. [`solver`]: [`Solver`] slices S into principal layers once and, per (k, E), computes the
//!    lead surface Green's functions (mode matching, or decimation), projects them onto S and
//!    sweeps the block recursive Green's function to the Caroli transmission
//!    T = Tr[Γ_L G Γ_R G†] and the eigenchannels τ_n = eig(t†t); Landauer G and I(V);
//! 4. [`neutrality`]: the on-site shifts that make each atom neutral (Mulliken populations in
//!    a non-orthogonal basis);
//! 5. [`farm`]: snapshots (MD frames, data files) as problems with shared leads, (snapshot,
//!    k∥) units, the per-rank lead cache, the HDF5 results store, the unit worker of the MPI
//!    task farm (`crate::parallel::task_farm`), offline or on transport ranks beside the MD
//!    ranks of a run.
//!
//! [`dense`] holds the dense complex linear algebra every stage uses. The input decks
//! (`crate::deck`) and the commands that read them and write files (`transport`, `farm`, the
//! transport ranks of `run`; `crate::commands`) build on this module; it uses neither, and takes
//! its parameters as plain values ([`farm::spec`]).

pub mod current;
pub mod dense;
pub mod ehrenfest;
pub mod farm;
pub mod model;
pub mod neutrality;
pub mod problem;
pub mod solver;

pub use problem::scattering::{
    BlochPhases, FourierBlock, KPoint, Lead, SparseMatrix, TransportProblem,
};
pub use solver::layered::{AveragedTransmission, Solver};
pub use solver::rgf::Transmission;
pub use solver::self_energy::SelfEnergyMethod;
