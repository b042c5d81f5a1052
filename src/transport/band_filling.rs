//! Fermi energy of a lead from its band filling: the energy E_F at which the lead's bands
//! E_b(q), eigenvalues of H(q) = H00 + H01 e^{iq} + H01† e^{−iq}, hold the given number of
//! electrons per principal layer (two per state, spin-degenerate):
//!
//!   N(E) = (2/N_q) Σ_q #{b : E_b(q) < E},   N(E_F) = electrons per layer,
//!
//! on a uniform q grid (midpoints), with E_F the middle of the interval where N(E) reaches the
//! filling (so that a half-filled symmetric band gives E_F at its centre exactly).

use super::dense::{c64, hermitian_eigen, CMat};
use crate::error::{Error, Result};

/// E_F of a lead with `electrons_per_layer` electrons (spin included), on `nq` q-points.
pub fn lead_fermi_energy(
    h00: &CMat,
    h01: &CMat,
    electrons_per_layer: f64,
    nq: usize,
) -> Result<f64> {
    let n = h00.nrows();
    if nq == 0 || n == 0 {
        return Err(Error::run("band filling: empty lead or q grid"));
    }
    let states = 2.0 * n as f64;
    if !(0.0..=states).contains(&electrons_per_layer) {
        return Err(Error::run(format!(
            "band filling: {electrons_per_layer} electrons per layer, at most {states} fit"
        )));
    }
    let mut all: Vec<f64> = Vec::with_capacity(n * nq);
    for i in 0..nq {
        let q = 2.0 * std::f64::consts::PI * (i as f64 + 0.5) / nq as f64;
        let ph = c64(q.cos(), q.sin());
        let h = CMat::from_fn(n, n, |a, b| {
            h00[(a, b)] + h01[(a, b)] * ph + h01[(b, a)].conj() * ph.conj()
        });
        all.extend(hermitian_eigen(h.as_ref(), "band filling")?.0);
    }
    all.sort_by(f64::total_cmp);
    // Each state holds 2/nq electrons per layer; the filling is reached after `k` states.
    let k = (electrons_per_layer * nq as f64 / 2.0).round() as usize;
    if k == 0 {
        return Ok(all[0]);
    }
    if k >= all.len() {
        return Ok(all[all.len() - 1]);
    }
    Ok(0.5 * (all[k - 1] + all[k]))
}
