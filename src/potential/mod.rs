//! Interatomic potentials behind one trait, chosen by name (`eam`, `eam/alloy`, `eam/fs`,
//! `lj/cut`) as LAMMPS pair styles are ([`factory`]: the one place a name becomes a potential). A potential asks for the neighbour lists it needs
//! ([`ListRequest`]: cutoff, half or full, with or without ghost pairs), computes energies,
//! forces and the virial from them, and communicates whatever per-atom array it needs on ghost
//! atoms (EAM's F'(ρ), charges) or sums over ranks (a charge-equilibration dot product) through
//! the [`Comm`] handle; it never calls MPI itself. A failure (a solve that does not converge, a
//! distance off its table) is an error that names what failed and stops every rank.

pub mod eam;
pub mod factory;
pub mod lj;
pub mod pair_file;
pub mod reaxff;

pub use factory::{build, from_spec, Style};

use crate::error::Result;
use crate::neighbor::{ListRequest, NeighborList};
use crate::parallel::Comm;
use crate::system::Atoms;

/// Energy and virial summed over the pairs and atoms of this rank.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    /// Potential energy, eV.
    pub pe: f64,
    /// Virial W_ab = Σ_pairs r_a·F_b (xx, yy, zz, xy, xz, yz), eV.
    pub virial: [f64; 6],
}

impl Tally {
    /// Add another contribution (a step hook's energy and virial).
    pub fn add(&mut self, other: &Tally) {
        self.pe += other.pe;
        for (w, o) in self.virial.iter_mut().zip(&other.virial) {
            *w += o;
        }
    }
}

/// What a potential reports of its last evaluation beyond energy and virial, summed over ranks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Named parts of the energy, eV (ReaxFF's 14 terms of LAMMPS `compute pair reaxff`).
    pub terms_ev: Vec<(&'static str, f64)>,
    /// Mean CG iterations of the s and t solves of the last charge equilibration (LAMMPS `f_q`).
    pub qeq_iterations: Option<f64>,
}

/// An interatomic potential.
pub trait Potential {
    /// Style name and file, for logs.
    fn describe(&self) -> String;
    /// Interaction cutoff, Å.
    fn cutoff(&self) -> f64;
    /// Mass of each atom type where the potential file gives one (amu).
    fn type_masses(&self) -> Vec<Option<f64>>;
    /// The neighbour lists `compute` receives, in this order (default: one half list over the
    /// owned atoms at the cutoff, as every pair potential uses).
    fn neighbor_requests(&self) -> Vec<ListRequest> {
        vec![ListRequest::half(self.cutoff())]
    }
    /// Energy terms and solver counts of the last evaluation (none by default).
    fn report(&self) -> Report {
        Report::default()
    }
    /// Warnings about the data file's masses of the atom types (none by default).
    fn mass_warnings(&self, _masses: &[f64]) -> Vec<String> {
        Vec::new()
    }
    /// Add forces to owned and ghost atoms of `atoms` (ghost forces are summed back to their
    /// owners by the caller) and return this rank's energy and virial. Forces are accumulated,
    /// not zeroed. `lists` are the lists of [`Potential::neighbor_requests`], current.
    fn compute(
        &mut self,
        atoms: &mut Atoms,
        lists: &[NeighborList],
        comm: &mut Comm,
    ) -> Result<Tally>;
}

/// File name of a path for logs.
pub fn display_name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}
