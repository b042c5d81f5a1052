//! Tight-binding models behind one trait, and the construction of a [`TransportProblem`] from
//! atom positions: a scattering region between two wire leads, each lead the periodic
//! repetition of a principal layer along its period vector.
//!
//! Blocks: H_S from all pairs of S atoms; for a lead with layer-1 atoms r_i and period d
//! (pointing away from S), layer n holds r_i + (n−1) d, H00 = ⟨1|H|1⟩, H01 = ⟨1|H|2⟩ and
//! V = ⟨S|H|1⟩. The principal layer must couple only to its neighbours (no hopping from layer 1
//! to layer 3, nor from S to layer 2): this is checked, as is the absence of overlap.
//! [`build_problem`] is the case without periodic transverse directions of
//! [`super::supercell::build_supercell_problem`].

use super::dense::CMat;
use super::problem::TransportProblem;
use super::supercell::{build_supercell_problem, lead_blocks, KMesh, Supercell};
use crate::error::Result;

/// An orthogonal tight-binding model: on-site and hopping blocks as functions of species and
/// bond vector. (Non-orthogonal models add an overlap; not needed by the models here.)
pub trait TightBinding {
    /// Orbitals on an atom of `species`.
    fn orbitals(&self, species: usize) -> usize;
    /// On-site block (orbitals × orbitals), eV.
    fn onsite(&self, species: usize) -> CMat;
    /// Hopping block ⟨i|H|j⟩ for the bond vector r_j − r_i (Å), `None` beyond the cutoff.
    fn hopping(&self, si: usize, sj: usize, bond: [f64; 3]) -> Option<CMat>;
    /// Distance beyond which every hopping vanishes (Å).
    fn cutoff(&self) -> f64;
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

/// Build the transport problem of a scattering region between two wire leads.
pub fn build_problem(
    model: &dyn TightBinding,
    scattering: &[Atom],
    leads: [&LeadGeometry; 2],
) -> Result<TransportProblem> {
    let cell = Supercell::none();
    let l = lead_blocks(model, &cell, leads[0], "left")?;
    let r = lead_blocks(model, &cell, leads[1], "right")?;
    let mesh = KMesh {
        n: [1, 1],
        time_reversal: false,
    };
    let (p, _) = build_supercell_problem(
        model,
        &cell,
        scattering,
        [(&l, [0.0; 3]), (&r, [0.0; 3])],
        mesh,
    )?;
    Ok(p)
}
