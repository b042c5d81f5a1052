//! Ideal crystalline leads from the atoms of a lead region: atomic planes normal to the
//! transport axis, the stacking translation between consecutive planes, and the thinnest
//! principal layer (a whole number of planes) that couples only to its neighbours.
//!
//! A lead region of an MD frame (e.g. the rigid outer planes of a junction's lead) is a piece
//! of a perfect crystal stacked plane by plane: plane p+1 = plane p + s (modulo the transverse
//! supercell), with one stacking vector s for every pair (fcc: ABC along \[111\], AB along \[001\],
//! both one translation per plane). The semi-infinite lead continues that stacking beyond the
//! outermost plane P₀: its principal layer n (n = 1, 2, …) holds the planes P₀ + (j + (n−1)m)·s,
//! j = 1..m, with period m·s; m is the smallest number of planes for which layer 1 does not
//! couple to layer 3 under the model (images included), the condition of a principal layer
//! (Sancho, Lopez Sancho and Rubio, J. Phys. F 15, 851 (1985)).

use crate::error::{Error, Result};
use crate::transport::model::tight_binding::{Atom, LeadGeometry, TightBinding};
use crate::transport::problem::supercell::{
    add, layer_reaches_third, lead_blocks, norm, sub, LeadBlocks, Supercell,
};

/// Largest number of planes tried for a principal layer.
const MAX_PLANES: usize = 64;

/// The planes of a set of atoms along `axis`, ordered from the outermost one (farthest along
/// `outward` = ±1) inwards; atoms whose axis coordinates differ by less than `tol` share a
/// plane.
pub fn planes(atoms: &[Atom], axis: usize, outward: f64, tol: f64) -> Vec<Vec<Atom>> {
    let mut sorted: Vec<Atom> = atoms.to_vec();
    sorted.sort_by(|a, b| (outward * b.pos[axis]).total_cmp(&(outward * a.pos[axis])));
    let mut out: Vec<Vec<Atom>> = Vec::new();
    for a in sorted {
        match out.last_mut() {
            Some(p) if (p[p.len() - 1].pos[axis] - a.pos[axis]).abs() < tol => p.push(a),
            _ => out.push(vec![a]),
        }
    }
    out
}

/// The translation t with `from + t = to` as sets of atoms of equal species (modulo the
/// supercell, each atom within `tol`), averaged over the matched pairs; among the candidates
/// (t = y − x₀ for each y of `to`, in minimum image), the shortest that matches. `None` when
/// no translation maps one onto the other.
pub fn match_translation(
    from: &[Atom],
    to: &[Atom],
    cell: &Supercell,
    tol: f64,
) -> Option<[f64; 3]> {
    if from.len() != to.len() || from.is_empty() {
        return None;
    }
    let x0 = from[0];
    let mut candidates: Vec<[f64; 3]> = to
        .iter()
        .filter(|y| y.species == x0.species)
        .map(|y| cell.minimum_image(sub(y.pos, x0.pos)))
        .collect();
    // The shortest first, ties broken by components for a deterministic choice. Lengths and
    // components are compared on a grid of `tol`, so that translations equal in exact arithmetic
    // (the three stacking offsets of fcc (111), say) are not ordered by round-off.
    let q = |v: f64| (v / tol).round() as i64;
    candidates.sort_by_key(|a| (q(norm(*a)), q(a[0]), q(a[1]), q(a[2])));
    'candidate: for t in candidates {
        let mut used = vec![false; to.len()];
        let mut sum = [0.0; 3];
        for x in from {
            let target = add(x.pos, t);
            let hit = to.iter().enumerate().find(|(j, y)| {
                !used[*j]
                    && y.species == x.species
                    && norm(cell.minimum_image(sub(y.pos, target))) < tol
            });
            match hit {
                Some((j, y)) => {
                    used[j] = true;
                    let d = cell.minimum_image(sub(y.pos, target));
                    sum = add(sum, add(t, d));
                }
                None => continue 'candidate,
            }
        }
        let n = from.len() as f64;
        return Some([sum[0] / n, sum[1] / n, sum[2] / n]);
    }
    None
}

/// Whether translating `plane` by `t` (in minimum image) puts every atom on an atom of the same
/// species within `tol`: `t` is a lattice translation of the plane, so two stacking translations
/// that differ by it describe the same crystal.
pub fn maps_onto_itself(plane: &[Atom], t: [f64; 3], cell: &Supercell, tol: f64) -> bool {
    plane.iter().all(|x| {
        let target = add(x.pos, t);
        plane
            .iter()
            .any(|y| y.species == x.species && norm(cell.minimum_image(sub(y.pos, target))) < tol)
    })
}

/// A lead's crystal as seen in a frame: its outermost plane and the stacking translation from
/// one plane to the next one outwards.
#[derive(Clone, Debug)]
pub struct LeadCrystal {
    /// Atoms of the outermost plane P₀.
    pub plane: Vec<Atom>,
    /// Stacking translation s: plane p+1 (outwards) = plane p + s.
    pub step: [f64; 3],
    /// Number of planes of the region that were checked.
    pub planes_checked: usize,
}

/// Find the planes of a lead region (at least two) and their common stacking translation;
/// `name` labels errors.
pub fn lead_crystal(
    atoms: &[Atom],
    axis: usize,
    outward: f64,
    cell: &Supercell,
    tol: f64,
    name: &str,
) -> Result<LeadCrystal> {
    let ps = planes(atoms, axis, outward, tol);
    if ps.len() < 2 {
        return Err(Error::run(format!(
            "{name} lead: its region holds {} atomic plane(s) along the transport axis; at least \
             two are needed to find the stacking",
            ps.len()
        )));
    }
    let step = match_translation(&ps[1], &ps[0], cell, tol).ok_or_else(|| {
        Error::run(format!(
            "{name} lead: its two outermost planes ({} and {} atoms) are not translates of each \
             other within {tol} Å; the lead region must be crystalline",
            ps[0].len(),
            ps[1].len()
        ))
    })?;
    if outward * step[axis] <= tol {
        return Err(Error::run(format!(
            "{name} lead: stacking translation {step:?} does not point away from the scattering \
             region"
        )));
    }
    for p in 1..ps.len() - 1 {
        let ok = ps[p + 1].len() == ps[p].len()
            && ps[p + 1].iter().all(|x| {
                let target = add(x.pos, step);
                ps[p].iter().any(|y| {
                    y.species == x.species && norm(cell.minimum_image(sub(y.pos, target))) < tol
                })
            });
        if !ok {
            return Err(Error::run(format!(
                "{name} lead: plane {} from the outside is not plane {} shifted by the stacking \
                 translation {step:?}; only crystals with one translation per plane (fcc) are \
                 supported",
                p + 2,
                p + 1
            )));
        }
    }
    Ok(LeadCrystal {
        plane: ps[0].clone(),
        step,
        planes_checked: ps.len(),
    })
}

/// The thinnest principal layer continuing `crystal` beyond its outermost plane, with its
/// blocks (see the module documentation).
pub fn principal_layer(
    model: &dyn TightBinding,
    cell: &Supercell,
    crystal: &LeadCrystal,
    name: &str,
) -> Result<LeadBlocks> {
    let s = crystal.step;
    for m in 1..=MAX_PLANES {
        let mut layer = Vec::with_capacity(m * crystal.plane.len());
        for j in 1..=m {
            let t = [s[0] * j as f64, s[1] * j as f64, s[2] * j as f64];
            layer.extend(crystal.plane.iter().map(|a| Atom {
                species: a.species,
                pos: add(a.pos, t),
            }));
        }
        let mf = m as f64;
        let g = LeadGeometry {
            layer,
            period: [s[0] * mf, s[1] * mf, s[2] * mf],
        };
        if !layer_reaches_third(model, cell, &g)? {
            return lead_blocks(model, cell, &g, name);
        }
    }
    Err(Error::run(format!(
        "{name} lead: no principal layer of up to {MAX_PLANES} planes couples only to its \
         neighbours (model cutoff {} Å, plane spacing {:.4} Å)",
        model.cutoff(),
        norm(s)
    )))
}
