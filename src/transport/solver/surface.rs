//! What a lead presents to the scattering region at one energy: its surface Green's function
//! and the factorized surface spectral function A = i(g − g†) = F F†, computed by
//! [`super::mode_matching`] or [`super::decimation`] and projected onto S by
//! [`super::self_energy`].

use crate::error::Result;
use crate::transport::dense::{hermitian_eigen, CMat, C64};

/// What a lead presents at its first layer at one energy.
#[derive(Clone, Debug)]
pub struct LeadSurface {
    /// Retarded surface Green's function g of layer 1, g = (E − H00 − H01 g H01†)⁻¹.
    pub g: CMat,
    /// F with A = i(g − g†) = F F†, one column per open channel (n_layer × open_channels).
    pub spectral_factor: CMat,
    /// Number of propagating modes leaving (equivalently entering) through this lead.
    pub open_channels: usize,
}

/// Factor a Hermitian positive semi-definite A as F F†, keeping the `keep` largest eigenvalues
/// (clamped at 0), or when `keep` is `None` all eigenvalues above `rel_tol`·max(1, λ_max).
pub fn psd_factor(a: &CMat, keep: Option<usize>, rel_tol: f64, what: &str) -> Result<CMat> {
    let n = a.nrows();
    let (vals, vecs) = hermitian_eigen(a.as_ref(), what)?;
    let cols: Vec<usize> = match keep {
        Some(k) => (n.saturating_sub(k)..n).rev().collect(),
        None => {
            let top = vals.last().copied().unwrap_or(0.0).max(1.0);
            (0..n).rev().filter(|&i| vals[i] > rel_tol * top).collect()
        }
    };
    let mut f = CMat::zeros(n, cols.len());
    for (c, &i) in cols.iter().enumerate() {
        let s = vals[i].max(0.0).sqrt();
        for r in 0..n {
            f[(r, c)] = vecs[(r, i)] * C64::new(s, 0.0);
        }
    }
    Ok(f)
}
