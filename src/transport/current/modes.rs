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
    let lams = conjugate_pairs((0..n).map(|i| s[i]).collect());
    let mut w: Vec<C64> = lams
        .into_iter()
        .map(|lam| {
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

/// The eigenvalues of a real matrix come in conjugate pairs; the eigensolver's round-off may
/// break the pairing by ~1e−16. Each eigenvalue whose imaginary part is below 1e−12 of the
/// largest |λ| is made real (+0 imaginary part); the others are matched with their nearest
/// conjugate and given the mean real part and the mean |imaginary part|, so that conjugate ω
/// have equal real parts and sort by imaginary part.
fn conjugate_pairs(mut lam: Vec<C64>) -> Vec<C64> {
    let tiny = 1e-12 * lam.iter().map(|l| l.norm()).fold(0.0, f64::max);
    let mut done = vec![false; lam.len()];
    for i in 0..lam.len() {
        if done[i] {
            continue;
        }
        done[i] = true;
        if lam[i].im.abs() <= tiny {
            lam[i] = c64(lam[i].re, 0.0);
            continue;
        }
        let target = lam[i].conj();
        let partner = (0..lam.len())
            .filter(|&j| !done[j] && lam[j].im.abs() > tiny)
            .min_by(|&a, &b| {
                (lam[a] - target)
                    .norm()
                    .total_cmp(&(lam[b] - target).norm())
            });
        if let Some(j) = partner {
            done[j] = true;
            let re = 0.5 * (lam[i].re + lam[j].re);
            let im = 0.5 * (lam[i].im.abs() + lam[j].im.abs());
            lam[i] = c64(re, im);
            lam[j] = c64(re, -im);
        }
    }
    lam
}

/// Ω = (1/N) Σ |Im ω| (fs⁻¹), Eq. (8).
pub fn omega_rate(w: &[C64]) -> f64 {
    if w.is_empty() {
        return 0.0;
    }
    w.iter().map(|x| x.im.abs()).sum::<f64>() / w.len() as f64
}
