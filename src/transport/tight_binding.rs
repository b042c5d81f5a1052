//! Tight-binding models behind one trait, and the construction of a [`TransportProblem`] from
//! atom positions: a scattering region between two wire leads, each lead the periodic
//! repetition of a principal layer along its period vector.
//!
//! Blocks: H_S from all pairs of S atoms; for a lead with layer-1 atoms r_i and period d
//! (pointing away from S), layer n holds r_i + (n−1) d, H00 = ⟨1|H|1⟩, H01 = ⟨1|H|2⟩ and
//! V = ⟨S|H|1⟩. The principal layer must couple only to its neighbours (no hopping from layer 1
//! to layer 3, nor from S to layer 2): this is checked, as is the absence of overlap.

use super::dense::{CMat, C64};
use super::problem::{FourierBlock, Lead, SparseMatrix, TransportProblem};
use crate::error::{Error, Result};

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

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn shifted(a: &Atom, d: [f64; 3], n: f64) -> Atom {
    Atom {
        species: a.species,
        pos: [
            a.pos[0] + n * d[0],
            a.pos[1] + n * d[1],
            a.pos[2] + n * d[2],
        ],
    }
}

fn offsets(model: &dyn TightBinding, atoms: &[Atom]) -> Vec<usize> {
    let mut o = vec![0];
    for a in atoms {
        o.push(o[o.len() - 1] + model.orbitals(a.species));
    }
    o
}

/// The block ⟨rows|H|cols⟩ between two atom sets (sparse), optionally skipping i == j pairs
/// of the same set (the on-site terms are added separately).
fn coupling_block(
    model: &dyn TightBinding,
    rows: &[Atom],
    cols: &[Atom],
    same_set: bool,
) -> Result<SparseMatrix> {
    let (ro, co) = (offsets(model, rows), offsets(model, cols));
    let mut m = SparseMatrix::zeros(ro[rows.len()], co[cols.len()]);
    let rc = model.cutoff();
    for (i, a) in rows.iter().enumerate() {
        for (j, b) in cols.iter().enumerate() {
            if same_set && i == j {
                let on = model.onsite(a.species);
                push_block(&mut m, ro[i], co[j], &on);
                continue;
            }
            let bond = sub(b.pos, a.pos);
            let r = (bond[0] * bond[0] + bond[1] * bond[1] + bond[2] * bond[2]).sqrt();
            if r < 1e-6 {
                return Err(Error::run(format!(
                    "two atoms at the same position {:?}",
                    a.pos
                )));
            }
            if r >= rc {
                continue;
            }
            if let Some(h) = model.hopping(a.species, b.species, bond) {
                push_block(&mut m, ro[i], co[j], &h);
            }
        }
    }
    Ok(m)
}

fn push_block(m: &mut SparseMatrix, r0: usize, c0: usize, b: &CMat) {
    for j in 0..b.ncols() {
        for i in 0..b.nrows() {
            let v: C64 = b[(i, j)];
            if v.re != 0.0 || v.im != 0.0 {
                m.entries.push((r0 + i, c0 + j, v));
            }
        }
    }
}

/// Build the transport problem of a scattering region between two wire leads.
pub fn build_problem(
    model: &dyn TightBinding,
    scattering: &[Atom],
    leads: [&LeadGeometry; 2],
) -> Result<TransportProblem> {
    let h_s = coupling_block(model, scattering, scattering, true)?;
    let mut out = Vec::new();
    for (li, g) in leads.iter().enumerate() {
        let name = ["left", "right"][li];
        if g.layer.is_empty() {
            return Err(Error::run(format!("{name} lead has no atoms in its layer")));
        }
        let layer2: Vec<Atom> = g.layer.iter().map(|a| shifted(a, g.period, 1.0)).collect();
        let layer3: Vec<Atom> = g.layer.iter().map(|a| shifted(a, g.period, 2.0)).collect();
        if !coupling_block(model, &g.layer, &layer3, false)?
            .entries
            .is_empty()
        {
            return Err(Error::run(format!(
                "{name} lead: layer 1 couples to layer 3; the principal layer is too thin for \
                 the model's cutoff {} Å",
                model.cutoff()
            )));
        }
        if !coupling_block(model, scattering, &layer2, false)?
            .entries
            .is_empty()
        {
            return Err(Error::run(format!(
                "{name} lead: the scattering region couples to lead layer 2; include more lead \
                 layers in the scattering region"
            )));
        }
        let h00 = coupling_block(model, &g.layer, &g.layer, true)?;
        let h01 = coupling_block(model, &g.layer, &layer2, false)?;
        let v = coupling_block(model, scattering, &g.layer, false)?;
        out.push(Lead {
            h00: FourierBlock::fixed(h00),
            h01: FourierBlock::fixed(h01),
            coupling: FourierBlock::fixed(v),
        });
    }
    let right = out.pop();
    let left = out.pop();
    let (Some(left), Some(right)) = (left, right) else {
        return Err(Error::run("two leads are needed"));
    };
    let p = TransportProblem {
        h_s: FourierBlock::fixed(h_s),
        leads: [left, right],
        kpoints: Vec::new(),
    };
    p.validate()?;
    Ok(p)
}
