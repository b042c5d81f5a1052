//! Mode frequencies of the mobile atoms from the response matrix (seed 004, Sec. III A):
//! ω_α² are the eigenvalues of M^{−1/2} K M^{−1/2}, complex under bias where K is not symmetric
//! (conjugate pairs: growing and decaying "waterwheel" modes), and
//!
//!   Ω(N, V) = (1/N) Σ_α |Im ω_α|   (Eq. 8).
//!
//! Units: K in eV/Å², M in amu, ω in fs⁻¹: 1 eV/(Å²·amu) = 9.648533e−3 fs⁻²
//! ([`crate::units::EV_PER_A2_AMU_IN_PER_FS2`]).

use crate::error::{Error, Result};
use crate::transport::dense::{c64, CMat, C64};
use crate::units::EV_PER_A2_AMU_IN_PER_FS2;

/// The frequencies ω (fs⁻¹), each the square root with non-negative real part (and
/// non-negative imaginary part when the real part is 0) of an eigenvalue of K/M, sorted by real
/// part, then imaginary part. `masses_amu` has one mass per degree of freedom.
pub fn mode_frequencies(k: &[Vec<f64>], masses_amu: &[f64]) -> Result<Vec<C64>> {
    let n = k.len();
    if masses_amu.len() != n || k.iter().any(|r| r.len() != n) {
        return Err(Error::run("modes: K must be square with one mass per row"));
    }
    if masses_amu.iter().any(|m| !(m.is_finite() && *m > 0.0)) {
        return Err(Error::run("modes: masses must be positive"));
    }
    if k.iter().flatten().any(|x| !x.is_finite()) {
        return Err(Error::run("modes: the response matrix is not finite"));
    }
    if n == 0 {
        return Ok(Vec::new());
    }
    let m = CMat::from_fn(n, n, |i, j| {
        c64(
            k[i][j] / (masses_amu[i] * masses_amu[j]).sqrt() * EV_PER_A2_AMU_IN_PER_FS2,
            0.0,
        )
    });
    let e = m
        .eigen()
        .map_err(|_| Error::run("modes: eigensolver did not converge"))?;
    let s = e.S().column_vector();
    let mut w: Vec<C64> = (0..n)
        .map(|i| {
            let lam = s[i];
            // A real eigenvalue carries an exact zero imaginary part: take its sign as +.
            let lam = if lam.im == 0.0 { c64(lam.re, 0.0) } else { lam };
            let r = lam.sqrt();
            if r.re < 0.0 || (r.re == 0.0 && r.im < 0.0) {
                -r
            } else {
                r
            }
        })
        .collect();
    w.sort_by(|a, b| a.re.total_cmp(&b.re).then(a.im.total_cmp(&b.im)));
    Ok(w)
}

/// Ω = (1/N) Σ |Im ω| (fs⁻¹), Eq. (8).
pub fn omega_rate(w: &[C64]) -> f64 {
    if w.is_empty() {
        return 0.0;
    }
    w.iter().map(|x| x.im.abs()).sum::<f64>() / w.len() as f64
}
