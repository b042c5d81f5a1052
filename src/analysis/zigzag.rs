//! The zig-zag model of reversible yielding (Khosravi et al. 2021, Eqs. (3)–(4) and
//! Supplementary Fig. S6): a single-valued, hysteresis-free stress–strain law with an elastic
//! line, a stress drop j_n at the necking slip (tensile strain ε_n > 0) and a stress rise j_b at
//! the bellying slip (compressive strain ε_b < 0), on top of the intrinsic tension σ_i:
//!
//! ```text
//! σ(ε) = k·ε − j_n·Θ(ε − ε_n) + j_b·Θ(ε_b − ε) + σ_i                                  (3)
//! ```
//!
//! Under ε(t) = ε0·sin(ωt) its storage modulus, the in-phase Fourier component of the stress
//! over the strain amplitude (exactly what [`super::rheology`] fits), is
//!
//! ```text
//! G'(ε0) = (1/(π ε0))·∫₀^{2π} σ(ε0 sin θ)·sin θ dθ
//!        = k − (2/(π ε0))·[ j_n·√(1 − (ε_n/ε0)²) + j_b·√(1 − (ε_b/ε0)²) ]               (4)
//! ```
//!
//! where each bracketed term is present only once ε0 exceeds its threshold |ε_n| or |ε_b|;
//! G'' = 0 and σ_i drops out. Eq. (4) is symmetric under exchanging (j_n, |ε_n|) with
//! (j_b, |ε_b|): G'(ε0) alone cannot tell necking from bellying.

use std::f64::consts::PI;

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result};

/// Parameters of Eq. (3); stresses in GPa, strains dimensionless.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ZigZag {
    /// Elastic stiffness k, GPa.
    pub k_gpa: f64,
    /// Stress drop at necking j_n, GPa (positive for a drop).
    pub j_n_gpa: f64,
    /// Necking strain ε_n (> 0).
    pub eps_n: f64,
    /// Stress jump at bellying j_b, GPa (positive: a drop of the storage modulus).
    pub j_b_gpa: f64,
    /// Bellying strain ε_b (< 0).
    pub eps_b: f64,
    /// Intrinsic stress at zero strain σ_i = F_i/A, GPa (does not enter G').
    pub sigma_i_gpa: f64,
}

/// Heaviside step with Θ(0) = 0.
fn heaviside(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// The yield kernel of Eq. (4): (2/(π ε0))·√(1 − (ε_y/ε0)²) for ε0 > |ε_y|, else 0. It is the
/// in-phase Fourier coefficient over ε0 of a unit step at strain ε_y, for either sign of ε_y.
pub fn yield_kernel(eps0: f64, eps_y: f64) -> f64 {
    let e = eps_y.abs();
    if eps0 > e {
        2.0 / (PI * eps0) * (1.0 - (e / eps0).powi(2)).sqrt()
    } else {
        0.0
    }
}

/// ∂ yield_kernel / ∂|ε_y| = −2|ε_y| / (π ε0³ √(1 − (ε_y/ε0)²)) for ε0 > |ε_y|, else 0.
fn yield_kernel_deriv(eps0: f64, eps_y: f64) -> f64 {
    let e = eps_y.abs();
    if eps0 > e {
        -2.0 * e / (PI * eps0.powi(3) * (1.0 - (e / eps0).powi(2)).sqrt())
    } else {
        0.0
    }
}

impl ZigZag {
    /// The stress of Eq. (3) at strain `eps`, GPa.
    pub fn stress_gpa(&self, eps: f64) -> f64 {
        self.k_gpa * eps - self.j_n_gpa * heaviside(eps - self.eps_n)
            + self.j_b_gpa * heaviside(self.eps_b - eps)
            + self.sigma_i_gpa
    }

    /// The storage modulus of Eq. (4) at strain amplitude `eps0` > 0, GPa.
    pub fn storage_modulus_gpa(&self, eps0: f64) -> f64 {
        self.k_gpa
            - self.j_n_gpa * yield_kernel(eps0, self.eps_n)
            - self.j_b_gpa * yield_kernel(eps0, self.eps_b)
    }
}

/// How the two yield thresholds are fitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thresholds {
    /// |ε_n| and |ε_b| free. By the symmetry of Eq. (4) the smaller threshold is reported as
    /// necking (ε_n) and the larger as bellying (ε_b = −|ε_b|).
    Free,
    /// |ε_b| = ε_n: then only j_n + j_b is determined, reported split evenly (j_n = j_b, each
    /// with half the error of the sum).
    Equal,
}

/// A least-squares fit of Eq. (4) to G'(ε0) data.
#[derive(Clone, Debug, PartialEq)]
pub struct ZigZagFit {
    /// The fitted parameters; `sigma_i_gpa` is 0 (not determined by G').
    pub model: ZigZag,
    /// Standard errors in the same fields (NaN for a jump fitted at its bound 0 and for the
    /// threshold of such a jump, which the data then do not determine).
    pub err: ZigZag,
    /// χ² = Σ w·(G' − model)² with w = 1/σ² (or 1 without errors).
    pub chi2: f64,
    /// Degrees of freedom: data points minus fitted parameters.
    pub dof: usize,
}

/// Fit Eq. (4) to storage moduli `g_gpa` at strain amplitudes `eps0` (with standard errors
/// `g_err_gpa` as weights, if given) by least squares.
///
/// G' is linear in (k, j_n, j_b) for fixed thresholds, so the thresholds are found by
/// minimising the profile χ²(|ε_n|, |ε_b|) — a grid over (0, max ε0) refined by Nelder–Mead —
/// with (k, j_n, j_b) solved exactly at each point, the jumps constrained to j ≥ 0 (a negative
/// jump would be hardening, not yielding). Standard errors come from the linearised
/// covariance (JᵀWJ)⁻¹ scaled by χ²/dof (by max(1, χ²/dof) when errors are given); they are
/// rough when a threshold falls next to a data point, where G' has a square-root onset.
///
/// Errors: mismatched lengths, non-positive or non-finite ε0, non-finite G', non-positive
/// errors, fewer points than parameters + 1.
pub fn fit_storage_modulus(
    eps0: &[f64],
    g_gpa: &[f64],
    g_err_gpa: Option<&[f64]>,
    thresholds: Thresholds,
) -> Result<ZigZagFit> {
    let n = eps0.len();
    if g_gpa.len() != n || g_err_gpa.is_some_and(|e| e.len() != n) {
        return Err(Error::run(format!(
            "zig-zag fit: {n} strain amplitudes but {} moduli{}",
            g_gpa.len(),
            g_err_gpa.map_or(String::new(), |e| format!(" and {} errors", e.len()))
        )));
    }
    let nparam = match thresholds {
        Thresholds::Free => 5,
        Thresholds::Equal => 3,
    };
    if n < nparam + 1 {
        return Err(Error::run(format!(
            "zig-zag fit: {n} points for {nparam} parameters; need at least {}",
            nparam + 1
        )));
    }
    if let Some(k) = (0..n).find(|&k| !(eps0[k].is_finite() && eps0[k] > 0.0)) {
        return Err(Error::run(format!(
            "zig-zag fit: strain amplitude {} (point {}) must be positive",
            eps0[k],
            k + 1
        )));
    }
    if let Some(k) = (0..n).find(|&k| !g_gpa[k].is_finite()) {
        return Err(Error::run(format!(
            "zig-zag fit: G' of point {} is not finite",
            k + 1
        )));
    }
    let w: Vec<f64> = match g_err_gpa {
        Some(e) => {
            if let Some(k) = (0..n).find(|&k| !(e[k].is_finite() && e[k] > 0.0)) {
                return Err(Error::run(format!(
                    "zig-zag fit: the error of point {} must be positive, got {}",
                    k + 1,
                    e[k]
                )));
            }
            e.iter().map(|s| 1.0 / (s * s)).collect()
        }
        None => vec![1.0; n],
    };
    let data = Data {
        eps0,
        g: g_gpa,
        w: &w,
    };
    let eps_max = eps0.iter().cloned().fold(0.0, f64::max);
    let grid = 200;
    let at = |i: usize| eps_max * (i as f64 + 0.5) / grid as f64;
    let (best_e, _) = match thresholds {
        Thresholds::Free => {
            let cols: Vec<Vec<f64>> = (0..grid).map(|i| data.column(at(i))).collect();
            let mut best = ([at(0), at(0)], f64::INFINITY);
            for i in 0..grid {
                for j in i..grid {
                    let c = data.profile_cols(&[&cols[i], &cols[j]]).chi2;
                    if c < best.1 {
                        best = ([at(i), at(j)], c);
                    }
                }
            }
            let step = eps_max / grid as f64;
            nelder_mead(|e| data.profile(e).chi2, &best.0, step)
        }
        Thresholds::Equal => {
            let mut best = ([at(0)], f64::INFINITY);
            for i in 0..grid {
                let c = data.profile(&[at(i)]).chi2;
                if c < best.1 {
                    best = ([at(i)], c);
                }
            }
            let step = eps_max / grid as f64;
            let (e, c) = nelder_mead(|e| data.profile(e).chi2, &best.0, step);
            (vec![e[0], e[0]], c)
        }
    };
    let mut e = [best_e[0].abs(), best_e[1].abs()];
    let mut sol = data.profile(&e[..nparam / 2]);
    if thresholds == Thresholds::Free && e[0] > e[1] {
        e.swap(0, 1);
        sol = data.profile(&e);
    }
    let dof = n - nparam;
    // Jacobian of the model over the active parameters.
    let mut cols: Vec<Vec<f64>> = vec![vec![1.0; n]];
    let jumps: Vec<(f64, f64)> = match thresholds {
        Thresholds::Free => vec![(sol.jumps[0], e[0]), (sol.jumps[1], e[1])],
        Thresholds::Equal => vec![(sol.jumps[0], e[0])],
    };
    let mut active = Vec::new();
    for (k, &(j, ey)) in jumps.iter().enumerate() {
        if j > 0.0 {
            active.push(k);
            cols.push(eps0.iter().map(|&x| -yield_kernel(x, ey)).collect());
            cols.push(
                eps0.iter()
                    .map(|&x| -j * yield_kernel_deriv(x, ey))
                    .collect(),
            );
        }
    }
    let p = cols.len();
    let jtwj = DMatrix::from_fn(p, p, |a, b| {
        (0..n).map(|i| w[i] * cols[a][i] * cols[b][i]).sum()
    });
    let s2 = if dof > 0 {
        sol.chi2 / dof as f64
    } else {
        f64::NAN
    };
    let scale = if g_err_gpa.is_some() { s2.max(1.0) } else { s2 };
    let cov = jtwj.try_inverse().ok_or_else(|| {
        Error::run("zig-zag fit: the parameters are not determined by the data (singular)")
    })? * scale;
    let sd = |i: usize| cov[(i, i)].max(0.0).sqrt();
    let mut jerr = [(f64::NAN, f64::NAN); 2];
    for (slot, &k) in active.iter().enumerate() {
        jerr[k] = (sd(1 + 2 * slot), sd(2 + 2 * slot));
    }
    let (model, err) = match thresholds {
        Thresholds::Free => (
            ZigZag {
                k_gpa: sol.k,
                j_n_gpa: sol.jumps[0],
                eps_n: e[0],
                j_b_gpa: sol.jumps[1],
                eps_b: -e[1],
                sigma_i_gpa: 0.0,
            },
            ZigZag {
                k_gpa: sd(0),
                j_n_gpa: jerr[0].0,
                eps_n: jerr[0].1,
                j_b_gpa: jerr[1].0,
                eps_b: jerr[1].1,
                sigma_i_gpa: 0.0,
            },
        ),
        Thresholds::Equal => (
            ZigZag {
                k_gpa: sol.k,
                j_n_gpa: 0.5 * sol.jumps[0],
                eps_n: e[0],
                j_b_gpa: 0.5 * sol.jumps[0],
                eps_b: -e[0],
                sigma_i_gpa: 0.0,
            },
            ZigZag {
                k_gpa: sd(0),
                j_n_gpa: 0.5 * jerr[0].0,
                eps_n: jerr[0].1,
                j_b_gpa: 0.5 * jerr[0].0,
                eps_b: jerr[0].1,
                sigma_i_gpa: 0.0,
            },
        ),
    };
    Ok(ZigZagFit {
        model,
        err,
        chi2: sol.chi2,
        dof,
    })
}

/// The data of a zig-zag fit.
struct Data<'a> {
    eps0: &'a [f64],
    g: &'a [f64],
    w: &'a [f64],
}

/// The best (k, jumps ≥ 0) at fixed thresholds.
struct Profile {
    k: f64,
    jumps: [f64; 2],
    chi2: f64,
}

impl Data<'_> {
    /// The kernel column −K(ε0_i, e) of a jump at threshold `e`.
    fn column(&self, e: f64) -> Vec<f64> {
        self.eps0.iter().map(|&x| -yield_kernel(x, e)).collect()
    }

    /// Solve for k and the jumps (each ≥ 0) at thresholds `e` (one or two; with one, a single
    /// jump).
    fn profile(&self, e: &[f64]) -> Profile {
        let cols: Vec<Vec<f64>> = e.iter().map(|&x| self.column(x)).collect();
        let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        self.profile_cols(&refs)
    }

    /// Solve for k and the jumps (each ≥ 0) given the kernel columns of the jumps: every
    /// subset of the jumps is fitted unconstrained and the best feasible one kept.
    fn profile_cols(&self, jump_cols: &[&[f64]]) -> Profile {
        let n = self.eps0.len();
        let m = jump_cols.len();
        // Weighted normal equations of the full basis (1, columns...), at most 3×3.
        let basis = |c: usize, i: usize| if c == 0 { 1.0 } else { jump_cols[c - 1][i] };
        let mut ata = [[0.0; 3]; 3];
        let mut atb = [0.0; 3];
        for i in 0..n {
            let wi = self.w[i];
            for (r, row) in ata.iter_mut().enumerate().take(m + 1) {
                let br = wi * basis(r, i);
                atb[r] += br * self.g[i];
                for (c, v) in row.iter_mut().enumerate().take(m + 1) {
                    *v += br * basis(c, i);
                }
            }
        }
        let mut best = Profile {
            k: f64::NAN,
            jumps: [0.0; 2],
            chi2: f64::INFINITY,
        };
        for mask in 0..(1usize << m) {
            // Indices into the full basis: the constant and the jumps switched on.
            let idx: Vec<usize> = std::iter::once(0)
                .chain((0..m).filter(|b| mask & (1 << b) != 0).map(|b| b + 1))
                .collect();
            let p = idx.len();
            let a = DMatrix::from_fn(p, p, |r, c| ata[idx[r]][idx[c]]);
            let b = DVector::from_fn(p, |r, _| atb[idx[r]]);
            let Some(x) = a.cholesky().map(|ch| ch.solve(&b)) else {
                continue;
            };
            if (1..p).any(|c| x[c].is_nan() || x[c] < 0.0) {
                continue;
            }
            let chi2: f64 = (0..n)
                .map(|i| {
                    let model: f64 = (0..p).map(|r| x[r] * basis(idx[r], i)).sum();
                    self.w[i] * (self.g[i] - model).powi(2)
                })
                .sum();
            if chi2 < best.chi2 {
                let mut jumps = [0.0; 2];
                for (r, &col) in idx.iter().enumerate().skip(1) {
                    jumps[col - 1] = x[r];
                }
                best = Profile {
                    k: x[0],
                    jumps,
                    chi2,
                };
            }
        }
        best
    }
}

/// Minimise `f` by Nelder–Mead from `x0` with an initial simplex of size `step`; returns the
/// best point and value. Stops when the simplex values agree to 1e-12 relative or its size is
/// below 1e-9·step, or after 2,000 iterations.
fn nelder_mead<F: Fn(&[f64]) -> f64>(f: F, x0: &[f64], step: f64) -> (Vec<f64>, f64) {
    let d = x0.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(d + 1);
    simplex.push((x0.to_vec(), f(x0)));
    for i in 0..d {
        let mut x = x0.to_vec();
        x[i] += step;
        let v = f(&x);
        simplex.push((x, v));
    }
    let lerp = |a: &[f64], b: &[f64], t: f64| -> Vec<f64> {
        a.iter().zip(b).map(|(x, y)| x + t * (y - x)).collect()
    };
    for _ in 0..2000 {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (lo, hi) = (simplex[0].1, simplex[d].1);
        let size = simplex[1..]
            .iter()
            .map(|(x, _)| {
                x.iter()
                    .zip(&simplex[0].0)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max);
        if (hi - lo).abs() <= 1e-12 * lo.abs().max(1e-300) || size < 1e-9 * step {
            break;
        }
        let mut centroid = vec![0.0; d];
        for (x, _) in &simplex[..d] {
            for (c, xi) in centroid.iter_mut().zip(x) {
                *c += xi / d as f64;
            }
        }
        let worst = simplex[d].0.clone();
        let xr = lerp(&centroid, &worst, -1.0);
        let fr = f(&xr);
        if fr < simplex[0].1 {
            let xe = lerp(&centroid, &worst, -2.0);
            let fe = f(&xe);
            simplex[d] = if fe < fr { (xe, fe) } else { (xr, fr) };
        } else if fr < simplex[d - 1].1 {
            simplex[d] = (xr, fr);
        } else {
            let (xc, fc) = if fr < simplex[d].1 {
                let x = lerp(&centroid, &worst, -0.5);
                let v = f(&x);
                (x, v)
            } else {
                let x = lerp(&centroid, &worst, 0.5);
                let v = f(&x);
                (x, v)
            };
            if fc < simplex[d].1.min(fr) {
                simplex[d] = (xc, fc);
            } else {
                let best = simplex[0].0.clone();
                for s in simplex.iter_mut().skip(1) {
                    s.0 = lerp(&best, &s.0, 0.5);
                    s.1 = f(&s.0);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex.swap_remove(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> ZigZag {
        ZigZag {
            k_gpa: 40.0,
            j_n_gpa: 4.0,
            eps_n: 0.05,
            j_b_gpa: 3.0,
            eps_b: -0.075,
            sigma_i_gpa: 4.5,
        }
    }

    /// Eq. (4) is the in-phase Fourier coefficient of Eq. (3) over ε0 (midpoint quadrature).
    #[test]
    fn eq4_is_the_fourier_coefficient_of_eq3() {
        let m = model();
        for &eps0 in &[0.01, 0.049, 0.051, 0.07, 0.08, 0.12, 0.3] {
            let nq = 2_000_000;
            let dth = 2.0 * PI / nq as f64;
            let integral: f64 = (0..nq)
                .map(|q| {
                    let th = (q as f64 + 0.5) * dth;
                    m.stress_gpa(eps0 * th.sin()) * th.sin() * dth
                })
                .sum();
            let g = integral / (PI * eps0);
            let want = m.storage_modulus_gpa(eps0);
            assert!((g - want).abs() < 1e-4, "ε0 {eps0}: {g} vs {want}");
        }
        assert_eq!(m.storage_modulus_gpa(0.04), 40.0);
    }

    #[test]
    fn exact_data_are_fitted_exactly() {
        let m = model();
        let eps: Vec<f64> = (1..=40).map(|k| 0.003 * k as f64).collect();
        let g: Vec<f64> = eps.iter().map(|&e| m.storage_modulus_gpa(e)).collect();
        let fit = fit_storage_modulus(&eps, &g, None, Thresholds::Free).unwrap();
        assert!(fit.chi2 < 1e-16, "{fit:?}");
        assert!((fit.model.k_gpa - 40.0).abs() < 1e-6);
        assert!((fit.model.eps_n - 0.05).abs() < 1e-6, "{fit:?}");
        assert!((fit.model.eps_b + 0.075).abs() < 1e-6, "{fit:?}");
        assert!((fit.model.j_n_gpa - 4.0).abs() < 1e-5);
        assert!((fit.model.j_b_gpa - 3.0).abs() < 1e-5);
    }

    #[test]
    fn bad_input_is_an_error() {
        let e = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06];
        let g = [1.0; 6];
        assert!(fit_storage_modulus(&e, &g[..5], None, Thresholds::Free).is_err());
        assert!(fit_storage_modulus(&e[..5], &g[..5], None, Thresholds::Free).is_err());
        assert!(fit_storage_modulus(&e[..4], &g[..4], None, Thresholds::Equal).is_ok());
        let neg = [0.01, -0.02, 0.03, 0.04, 0.05, 0.06];
        assert!(fit_storage_modulus(&neg, &g, None, Thresholds::Free).is_err());
        let zero_err = [0.0; 6];
        assert!(fit_storage_modulus(&e, &g, Some(&zero_err), Thresholds::Free).is_err());
    }
}
