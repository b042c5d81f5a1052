//! Fermi energy of a lead from its band filling: the energy E_F at which the lead's bands
//! E_b(q), eigenvalues of H(q) = H00 + H01 e^{iq} + H01† e^{−iq}, hold the given number of
//! electrons per principal layer (two per state, spin-degenerate):
//!
//!   N(E) = (2/N_q) Σ_q #{b : E_b(q) < E},   N(E_F) = electrons per layer,
//!
//! on a uniform q grid (midpoints), with E_F the middle of the interval where N(E) reaches the
//! filling (so that a half-filled symmetric band gives E_F at its centre exactly). A lead
//! periodic across the axis adds its k∥ mesh: N(E) = (2/N_q) Σ_{k∥} w_{k∥} Σ_q #{b : E_b(k∥, q) < E}.

use crate::error::{Error, Result};
use crate::transport::dense::{c64, generalized_hermitian_eigenvalues, hermitian_eigen, CMat};

/// E_F of a lead with `electrons_per_layer` electrons (spin included), on `nq` q-points.
pub fn lead_fermi_energy(
    h00: &CMat,
    h01: &CMat,
    electrons_per_layer: f64,
    nq: usize,
) -> Result<f64> {
    lead_fermi_energy_kmesh(&[(h00.clone(), h01.clone(), 1.0)], electrons_per_layer, nq)
}

/// E_F of a lead periodic across the transport axis: the blocks (H00(k∥), H01(k∥), w) at the
/// k∥ points of a mesh with weights w summing to 1; a state at (k∥, q) holds 2w/N_q electrons
/// per layer. E_F is the middle of the gap between the last state needed to reach the filling
/// and the next one.
pub fn lead_fermi_energy_kmesh(
    blocks: &[(CMat, CMat, f64)],
    electrons_per_layer: f64,
    nq: usize,
) -> Result<f64> {
    lead_fermi_energy_overlap(blocks, None, electrons_per_layer, nq)
}

/// As [`lead_fermi_energy_kmesh`], with the overlap blocks (S00(k∥), S01(k∥)) of a
/// non-orthogonal basis at the same k∥ points (`None`: orthonormal orbitals).
pub fn lead_fermi_energy_overlap(
    blocks: &[(CMat, CMat, f64)],
    overlap: Option<&[(CMat, CMat)]>,
    electrons_per_layer: f64,
    nq: usize,
) -> Result<f64> {
    if overlap.is_some_and(|o| o.len() != blocks.len()) {
        return Err(Error::run(
            "band filling: overlap blocks for a different number of k-points",
        ));
    }
    let n = blocks.first().map_or(0, |b| b.0.nrows());
    if nq == 0 || n == 0 {
        return Err(Error::run("band filling: empty lead or q grid"));
    }
    let wsum: f64 = blocks.iter().map(|b| b.2).sum();
    if (wsum - 1.0).abs() > 1e-9 {
        return Err(Error::run(format!(
            "band filling: k-point weights sum to {wsum}, expected 1"
        )));
    }
    let states = 2.0 * n as f64;
    if !(0.0..=states).contains(&electrons_per_layer) {
        return Err(Error::run(format!(
            "band filling: {electrons_per_layer} electrons per layer, at most {states} fit"
        )));
    }
    // (energy, electrons the state holds)
    let mut all: Vec<(f64, f64)> = Vec::with_capacity(n * nq * blocks.len());
    for (ik, (h00, h01, w)) in blocks.iter().enumerate() {
        for i in 0..nq {
            let q = 2.0 * std::f64::consts::PI * (i as f64 + 0.5) / nq as f64;
            let ph = c64(q.cos(), q.sin());
            let bloch = |m00: &CMat, m01: &CMat| {
                CMat::from_fn(n, n, |a, b| {
                    m00[(a, b)] + m01[(a, b)] * ph + m01[(b, a)].conj() * ph.conj()
                })
            };
            let h = bloch(h00, h01);
            let occ = 2.0 * w / nq as f64;
            let levels = match overlap {
                None => hermitian_eigen(h.as_ref(), "band filling")?.0,
                Some(o) => {
                    let s = bloch(&o[ik].0, &o[ik].1);
                    generalized_hermitian_eigenvalues(h.as_ref(), s.as_ref(), "band filling")?
                }
            };
            all.extend(levels.into_iter().map(|e| (e, occ)));
        }
    }
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    if electrons_per_layer <= 0.0 {
        return Ok(all[0].0);
    }
    // Round-off allowance on the running sum of occupations.
    let tol = 1e-9 * electrons_per_layer.max(1.0);
    let mut filled = 0.0;
    for i in 0..all.len() {
        filled += all[i].1;
        if filled >= electrons_per_layer - tol {
            return Ok(match all.get(i + 1) {
                Some(next) => 0.5 * (all[i].0 + next.0),
                None => all[i].0,
            });
        }
    }
    Ok(all[all.len() - 1].0)
}
