//! Tight-binding models behind one trait, the atom, and the geometry of a wire lead (the
//! periodic repetition of a principal layer along its period vector), from which
//! `crate::transport::problem::supercell::build_problem` builds the transport problem of a
//! scattering region between two wire leads.
//!
//! Blocks: H_S from all pairs of S atoms; for a lead with layer-1 atoms r_i and period d
//! (pointing away from S), layer n holds r_i + (n−1) d, H00 = ⟨1|H|1⟩, H01 = ⟨1|H|2⟩ and
//! V = ⟨S|H|1⟩. The principal layer must couple only to its neighbours (no hopping from layer 1
//! to layer 3, nor from S to layer 2): this is checked. A non-orthogonal model adds the overlap
//! blocks S_S, S00, S01 and S_V of the same shapes (`TransportProblem::overlap`).

use crate::transport::dense::{CMat, C64};

/// A tight-binding model: on-site and hopping blocks as functions of species and bond vector,
/// and, for a non-orthogonal basis, the overlap ⟨i|j⟩ of orbitals on different atoms (the
/// overlap of an atom with itself is the identity).
pub trait TightBinding {
    /// Orbitals on an atom of `species`.
    fn orbitals(&self, species: usize) -> usize;
    /// On-site block (orbitals × orbitals), eV.
    fn onsite(&self, species: usize) -> CMat;
    /// Hopping block ⟨i|H|j⟩ for the bond vector r_j − r_i (Å), `None` beyond the cutoff.
    fn hopping(&self, si: usize, sj: usize, bond: [f64; 3]) -> Option<CMat>;
    /// Distance beyond which every hopping vanishes (Å).
    fn cutoff(&self) -> f64;
    /// False for a non-orthogonal basis, whose [`TightBinding::overlap`] blocks are not zero.
    fn is_orthogonal(&self) -> bool {
        true
    }
    /// Overlap block ⟨i|j⟩ for the bond vector r_j − r_i (Å), `None` beyond the cutoff or for
    /// an orthogonal basis.
    fn overlap(&self, _si: usize, _sj: usize, _bond: [f64; 3]) -> Option<CMat> {
        None
    }
}

/// The overlap of a model seen as a tight-binding "Hamiltonian": identity on-site blocks and
/// the model's overlap blocks as hoppings, so that S is assembled by the same code as H.
pub struct OverlapOf<'a>(pub &'a dyn TightBinding);

impl TightBinding for OverlapOf<'_> {
    fn orbitals(&self, species: usize) -> usize {
        self.0.orbitals(species)
    }
    fn onsite(&self, species: usize) -> CMat {
        let n = self.0.orbitals(species);
        CMat::from_fn(n, n, |i, j| {
            if i == j {
                C64::new(1.0, 0.0)
            } else {
                C64::new(0.0, 0.0)
            }
        })
    }
    fn hopping(&self, si: usize, sj: usize, bond: [f64; 3]) -> Option<CMat> {
        self.0.overlap(si, sj, bond)
    }
    fn cutoff(&self) -> f64 {
        self.0.cutoff()
    }
}

/// An atom: species index and position (Å).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Atom {
    pub species: usize,
    pub pos: [f64; 3],
}

/// A semi-infinite wire lead: the atoms of its layer 1 and the period vector pointing away
/// from the scattering region (layer n = layer 1 + (n−1)·period).
#[derive(Clone, Debug)]
pub struct LeadGeometry {
    pub layer: Vec<Atom>,
    pub period: [f64; 3],
}
