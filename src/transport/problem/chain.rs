//! An infinite monatomic chain as a transport problem: atoms at spacing d along z, the chain
//! itself continued as both leads, and its Fermi energy from its own band filling (Z valence
//! electrons per atom, H c = E S c in a non-orthogonal basis). A perfect chain transmits each
//! open channel fully, so T(E_F) counts the bands that cross E_F: one for a noble-metal chain,
//! whose half-filled s band is the only one there (the d bands lie below).

use crate::error::Result;
use crate::transport::model::band_filling::lead_fermi_energy_overlap;
use crate::transport::model::tight_binding::{Atom, LeadGeometry, TightBinding};
use crate::transport::problem::scattering::TransportProblem;
use crate::transport::problem::supercell::build_problem;

/// A chain of spacing `d` (Å) with `valence` electrons per atom: the problem (a scattering
/// region of one principal layer between the two half-chains) and E_F (eV), from `nq` points
/// of the chain's Brillouin zone. A principal layer holds enough atoms to span the model's
/// cutoff, so that layers couple only to their neighbours.
pub fn monatomic_chain(
    model: &dyn TightBinding,
    d: f64,
    valence: f64,
    nq: usize,
) -> Result<(TransportProblem, f64)> {
    let per_layer = (model.cutoff() / d).floor() as usize + 1;
    let len = per_layer as f64 * d;
    let layer = |z0: f64| -> Vec<Atom> {
        (0..per_layer)
            .map(|i| Atom {
                species: 0,
                pos: [0.0, 0.0, z0 + i as f64 * d],
            })
            .collect()
    };
    let left = LeadGeometry {
        layer: layer(-len),
        period: [0.0, 0.0, -len],
    };
    let right = LeadGeometry {
        layer: layer(len),
        period: [0.0, 0.0, len],
    };
    let p = build_problem(model, &layer(0.0), [&left, &right])?;
    let l = &p.leads[1];
    let blocks = [(l.h00.dense_at_k(0.0), l.h01.dense_at_k(0.0), 1.0)];
    let overlap = p.overlap.as_ref().map(|o| {
        let s = &o.leads[1];
        vec![(s.h00.dense_at_k(0.0), s.h01.dense_at_k(0.0))]
    });
    let e_f =
        lead_fermi_energy_overlap(&blocks, overlap.as_deref(), valence * per_layer as f64, nq)?;
    Ok((p, e_f))
}
