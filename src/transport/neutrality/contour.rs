//! The Fermi-sea contour of the neutrality solvers ([`super::charge_neutrality`] in an
//! orthogonal basis, [`super::mulliken`] in a non-orthogonal one) and their common settings.
//!
//! The charge below E_F, −(2/π) Im ∫_{E_B}^{E_F} Tr[P_i G(E + i0)] dE, is integrated along a
//! semicircle in the upper half plane, where G is analytic, by composite Gauss–Legendre
//! quadrature with panels refined towards E_F.

use crate::transport::dense::{c64, C64};

/// Gauss–Legendre nodes and weights on [−1, 1] (Newton iteration on P_n).
pub fn gauss_legendre(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut x = vec![0.0; n];
    let mut w = vec![0.0; n];
    for i in 0..n {
        let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
        let mut dp = 1.0;
        for _ in 0..100 {
            let (mut p0, mut p1) = (1.0, z);
            for k in 2..=n {
                let p2 = ((2 * k - 1) as f64 * z * p1 - (k - 1) as f64 * p0) / k as f64;
                p0 = p1;
                p1 = p2;
            }
            dp = n as f64 * (z * p1 - p0) / (z * z - 1.0);
            let dz = p1 / dp;
            z -= dz;
            if dz.abs() < 1e-15 {
                break;
            }
        }
        x[i] = z;
        w[i] = 2.0 / ((1.0 - z * z) * dp * dp);
    }
    (x, w)
}

/// Nodes z_k and weights w_k with ∫_{E_B}^{E_F} f(E + i0) dE ≈ Σ_k w_k f(z_k) for f analytic in
/// the upper half plane: the semicircle z(θ) = c + R e^{iθ}, c = (E_B + E_F)/2,
/// R = (E_F − E_B)/2, θ from π to 0, with Gauss–Legendre panels in θ on
/// [0, 0.02π, 0.08π, 0.3π, π] (the integrand varies fastest near E_F).
pub fn fermi_sea_contour(e_bottom: f64, e_f: f64, nodes_per_panel: usize) -> Vec<(C64, C64)> {
    let (x, w) = gauss_legendre(nodes_per_panel);
    let pi = std::f64::consts::PI;
    let edges = [0.0, 0.02 * pi, 0.08 * pi, 0.3 * pi, pi];
    let (c, r) = (0.5 * (e_bottom + e_f), 0.5 * (e_f - e_bottom));
    let mut out = Vec::new();
    for p in edges.windows(2) {
        let (a, b) = (p[0], p[1]);
        for (xi, wi) in x.iter().zip(&w) {
            let th = 0.5 * (a + b) + 0.5 * (b - a) * xi;
            let e = c64(th.cos(), th.sin());
            let z = c64(c, 0.0) + e * r;
            // dz = i R e^{iθ} dθ, and θ runs from π down to 0.
            let weight = -(c64(0.0, r) * e) * (0.5 * (b - a) * wi);
            out.push((z, weight));
        }
    }
    out
}

/// Settings of the neutrality solver.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NeutralityOptions {
    /// E_F − E_B: depth of the contour's start below E_F (eV), below every state.
    pub depth: f64,
    /// Gauss–Legendre nodes per contour panel (4 panels).
    pub nodes_per_panel: usize,
    /// Largest |N_i − Z_i| accepted (electrons).
    pub tol: f64,
    /// Newton steps at most.
    pub max_iter: usize,
    /// Largest change of a shift per Newton step (eV).
    pub max_step: f64,
    /// Decimation convergence: the smallest Im z is well above this.
    pub min_eta: f64,
}

impl Default for NeutralityOptions {
    fn default() -> Self {
        NeutralityOptions {
            depth: 25.0,
            nodes_per_panel: 8,
            tol: 1e-4,
            max_iter: 30,
            max_step: 1.0,
            min_eta: 1e-6,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_legendre_is_exact_for_polynomials_of_degree_2n_minus_1() {
        let (x, w) = gauss_legendre(8);
        let int = |p: i32| x.iter().zip(&w).map(|(x, w)| w * x.powi(p)).sum::<f64>();
        assert!((int(14) - 2.0 / 15.0).abs() < 1e-14);
        assert!((int(0) - 2.0).abs() < 1e-14);
        assert!(int(13).abs() < 1e-14);
    }

    #[test]
    fn the_fermi_sea_contour_counts_the_poles_below_the_fermi_level() {
        // −(1/π) Im ∫ dE/(E + i0 − ε) over (E_B, E_F) is 1 for E_B < ε < E_F, 0 above E_F:
        // the contour's orientation and weights.
        let nodes = fermi_sea_contour(-20.0, 0.0, 8);
        let count = |eps: f64| {
            let s: C64 = nodes.iter().map(|(z, w)| *w / (*z - eps)).sum();
            -s.im / std::f64::consts::PI
        };
        for eps in [-15.0, -5.0, -1.0, -0.3] {
            assert!((count(eps) - 1.0).abs() < 1e-6, "ε = {eps}: {}", count(eps));
        }
        for eps in [0.3, 1.0, 5.0] {
            assert!(count(eps).abs() < 1e-6, "ε = {eps}: {}", count(eps));
        }
        // Real part: ln|(E_F − ε)/(E_B − ε)|.
        let s: C64 = nodes.iter().map(|(z, w)| *w / (*z + 5.0)).sum();
        assert!((s.re - (5.0f64 / 15.0).ln()).abs() < 1e-6);
    }
}
