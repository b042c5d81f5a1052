//! The one-electron density matrix of the current-carrying steady state (seed 004, Eq. 3):
//!
//!   ρ = ∫ (f_L(E) D_L(E) + f_R(E) D_R(E)) dE,   μ_L,R = μ ± eV/2,
//!
//! spin degeneracy included (factor 2). It is split as
//!
//!   ρ = ρ_eq(μ) + Σ_i ∫ (f_i − f_μ) D_i dE,
//!
//! the equilibrium density matrix at μ (same temperature) plus the bias window on the real
//! axis. The equilibrium part is a contour integral of the retarded Green's function, which is
//! analytic in the upper half plane: with X = ∫ f(E) G(E + i0) dE,
//!
//!   ρ_eq = (X† − X) / 2πi,
//!
//! and X is taken
//! - at T = 0 along the semicircle from E_B (below every state) to μ;
//! - at T > 0 up the line Re z = E_B to Im z = γ = 2πk_BT·N_p, along Im z = γ (where f(z)
//!   equals the real Fermi function of Re z) to μ + 40 k_BT, minus the residues at the N_p
//!   Matsubara poles z_n = μ + iπk_BT(2n + 1): X = ∫_line f G dz − 2πi k_BT Σ_n G(z_n).
//!
//! The window is integrated on the real axis with D_i = Ψ_i Ψ_i† / 2π from
//! [`super::open_system`]. Both are adaptive Gauss–Kronrod ([`super::quadrature`]), so the
//! error of Tr ρ follows the requested tolerance (1e-10 and below). Bound states inside the
//! bias window are not scattering states and are not populated by the window (as in Eq. 3).

use std::f64::consts::PI;

use crate::error::{Error, Result};
use crate::transport::current::open_system::{OpenSystem, RealAxis};
use crate::transport::current::quadrature::{integrate, Tolerance};
use faer::Scale;

use crate::transport::dense::{c64, CMat, C64, I};
use crate::transport::solver::landauer::fermi_dirac;
use crate::units::BOLTZ_EV_PER_K;

/// Spin degeneracy of the s-band models.
pub const SPIN: f64 = 2.0;

/// Fermi functions beyond this many k_BT from μ are taken as 0 or 1 (e^{−40} ≈ 4e−18).
const FERMI_TAIL_KT: f64 = 40.0;

/// The electrons' reservoirs: μ, the bias and the temperature.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reservoirs {
    /// Equilibrium chemical potential μ (eV).
    pub fermi_ev: f64,
    /// Bias V (volts): μ_L = μ + eV/2 (left lead, lower x), μ_R = μ − eV/2.
    pub bias_v: f64,
    /// Electron temperature (K); 0 is a sharp Fermi step.
    pub temperature_k: f64,
}

impl Reservoirs {
    /// μ_L, μ_R (eV).
    pub fn mu(&self) -> [f64; 2] {
        [
            self.fermi_ev + 0.5 * self.bias_v,
            self.fermi_ev - 0.5 * self.bias_v,
        ]
    }

    /// k_B T (eV).
    pub fn kt_ev(&self) -> f64 {
        BOLTZ_EV_PER_K * self.temperature_k.max(0.0)
    }

    /// The weights f_i(E) − f_μ(E) of the window terms of lead L and R.
    pub fn window_weights(&self, e: f64) -> [f64; 2] {
        let t = self.temperature_k;
        let f0 = fermi_dirac(e, self.fermi_ev, t);
        self.mu().map(|m| fermi_dirac(e, m, t) - f0)
    }

    /// The energies where the window weights are non-zero, [lo, hi], with μ_L, μ, μ_R inside.
    pub fn window(&self) -> (f64, f64, [f64; 3]) {
        let [ml, mr] = self.mu();
        let pts = [ml, self.fermi_ev, mr];
        let tail = FERMI_TAIL_KT * self.kt_ev();
        let lo = pts.iter().copied().fold(f64::INFINITY, f64::min) - tail;
        let hi = pts.iter().copied().fold(f64::NEG_INFINITY, f64::max) + tail;
        (lo, hi, pts)
    }
}

/// Accuracy of the energy integrals. The default absolute tolerance (1e-14) sits at the
/// round-off of mode matching for multi-orbital leads: for the 18-orbital principal layer of
/// the spd chain the window integrals of D(E) stall near 3e-14. The quadrature recognises
/// that floor and stops there ([`super::quadrature`]), reporting the error it reached; a
/// looser tolerance (1e-12) is cheaper.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Accuracy {
    /// Gauss–Kronrod tolerance of each integral.
    pub tol: Tolerance,
    /// Height of the line contour above the real axis at T > 0 (eV), rounded up to a whole
    /// number of Matsubara spacings 2πk_BT.
    pub pole_height_ev: f64,
    /// Start of the contour below the Gershgorin bound of the spectrum (eV).
    pub depth_ev: f64,
}

impl Default for Accuracy {
    fn default() -> Self {
        Accuracy {
            tol: Tolerance {
                abs: 1e-14,
                rel: 1e-13,
                max_evals: 400_000,
            },
            pole_height_ev: 0.5,
            depth_ev: 1.0,
        }
    }
}

/// X = ∫ f(E; μ, T) Φ(G(E + i0)) dE for Φ analytic in the upper half plane (linear or
/// multilinear in G), by the contour of the module header. `groups` as in
/// [`super::quadrature::integrate`].
pub fn equilibrium_integral<F>(
    sys: &OpenSystem,
    res: &Reservoirs,
    acc: &Accuracy,
    groups: &[usize],
    phi: F,
) -> Result<Vec<C64>>
where
    F: Fn(&CMat) -> Vec<C64>,
{
    equilibrium_integral_z(sys, res, acc, groups, |_, g| phi(g))
}

/// As [`equilibrium_integral`] for Φ(z, G(z)) analytic in the upper half plane that also
/// depends on z (e.g. z G for the energy-weighted density matrix).
pub fn equilibrium_integral_z<F>(
    sys: &OpenSystem,
    res: &Reservoirs,
    acc: &Accuracy,
    groups: &[usize],
    phi: F,
) -> Result<Vec<C64>>
where
    F: Fn(C64, &CMat) -> Vec<C64>,
{
    let mu = res.fermi_ev;
    let e_b = sys.contour_bottom_ev()?.min(mu) - acc.depth_ev;
    let scaled = |v: Vec<C64>, w: C64| v.into_iter().map(|x| x * w).collect::<Vec<_>>();
    if res.temperature_k <= 0.0 {
        let (c, r) = (0.5 * (e_b + mu), 0.5 * (mu - e_b));
        let along = |theta: f64| -> Result<Vec<C64>> {
            let e = c64(theta.cos(), theta.sin());
            let z = c64(c, 0.0) + e * r;
            let dz = I * e * r;
            Ok(scaled(phi(z, &sys.green(z)?), dz))
        };
        return Ok(integrate(along, PI, 0.0, &[], groups, acc.tol)?.value);
    }
    let kt = res.kt_ev();
    let poles = (acc.pole_height_ev / (2.0 * PI * kt)).ceil().max(1.0);
    if poles > 20_000.0 {
        return Err(Error::run(format!(
            "steady state: {} K needs {poles} Matsubara poles; use T = 0 or a higher temperature",
            res.temperature_k
        )));
    }
    let gamma = 2.0 * PI * kt * poles;
    let fermi = |z: C64| -> C64 {
        let x = (z - c64(mu, 0.0)) * (1.0 / kt);
        if x.re > 0.0 {
            let y = (-x).exp();
            y / (y + 1.0)
        } else {
            C64::new(1.0, 0.0) / (x.exp() + 1.0)
        }
    };
    let vertical = |y: f64| -> Result<Vec<C64>> {
        let z = c64(e_b, y);
        Ok(scaled(phi(z, &sys.green(z)?), fermi(z) * I))
    };
    let horizontal = |x: f64| -> Result<Vec<C64>> {
        let w = fermi_dirac(x, mu, res.temperature_k);
        let z = c64(x, gamma);
        Ok(scaled(phi(z, &sys.green(z)?), c64(w, 0.0)))
    };
    let mut x = integrate(vertical, 0.0, gamma, &[], groups, acc.tol)?.value;
    let h = integrate(
        horizontal,
        e_b,
        mu + FERMI_TAIL_KT * kt,
        &[mu],
        groups,
        acc.tol,
    )?;
    for (a, b) in x.iter_mut().zip(&h.value) {
        *a += *b;
    }
    for n in 0..poles as usize {
        let z = c64(mu, PI * kt * (2 * n + 1) as f64);
        let w = c64(0.0, -2.0 * PI * kt);
        for (a, b) in x.iter_mut().zip(phi(z, &sys.green(z)?)) {
            *a += b * w;
        }
    }
    Ok(x)
}

/// ∫ f(E) dE over the bias window [lo, hi] of `res`, cut at μ_L, μ, μ_R and at the band edges
/// of the leads inside it, each piece in the variable θ of E = a + (b − a)(1 − cos θ)/2: the
/// 1/√(E − E_edge) of the densities of states at band edges becomes smooth in θ, so the
/// adaptive rule converges there as fast as elsewhere.
pub fn integrate_window<F>(
    sys: &OpenSystem,
    res: &Reservoirs,
    acc: &Accuracy,
    groups: &[usize],
    mut f: F,
) -> Result<Vec<C64>>
where
    F: FnMut(f64) -> Result<Vec<C64>>,
{
    let (lo, hi, pts) = res.window();
    let mut cuts: Vec<f64> = pts.to_vec();
    cuts.extend(sys.lead_band_edges_ev()?);
    cuts.retain(|&e| e > lo && e < hi);
    cuts.extend([lo, hi]);
    cuts.sort_by(|a, b| a.total_cmp(b));
    cuts.dedup();
    let mut total: Vec<C64> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let half = 0.5 * (b - a);
        let piece = integrate(
            |th: f64| {
                let e = a + half * (1.0 - th.cos());
                let jac = c64(half * th.sin(), 0.0);
                Ok(f(e)?.into_iter().map(|v| v * jac).collect())
            },
            0.0,
            PI,
            &[],
            groups,
            acc.tol,
        )?;
        if total.is_empty() {
            total = piece.value;
        } else {
            for (t, v) in total.iter_mut().zip(piece.value) {
                *t += v;
            }
        }
    }
    Ok(total)
}

/// Σ_i ∫ w_i(E) Φ(E) dE over the bias window, w_i = f_i − f_μ; `phi` gets the real-axis
/// Green's function and the two weights. Empty window (V = 0): zeros of length `len`.
pub fn window_integral<F>(
    sys: &OpenSystem,
    res: &Reservoirs,
    acc: &Accuracy,
    groups: &[usize],
    len: usize,
    phi: F,
) -> Result<Vec<C64>>
where
    F: Fn(&RealAxis, [f64; 2]) -> Vec<C64>,
{
    if res.bias_v == 0.0 {
        return Ok(vec![C64::new(0.0, 0.0); len]);
    }
    integrate_window(sys, res, acc, groups, |e: f64| {
        let w = res.window_weights(e);
        if w == [0.0, 0.0] {
            return Ok(vec![C64::new(0.0, 0.0); len]);
        }
        Ok(phi(&sys.green_real(e)?, w))
    })
}

/// The steady-state density matrix, spin included, and its equilibrium part.
#[derive(Clone, Debug)]
pub struct SteadyState {
    /// ρ (n × n, Hermitian).
    pub rho: CMat,
    /// ρ_eq(μ), the equilibrium part.
    pub rho_eq: CMat,
    /// The reservoirs it was computed for.
    pub reservoirs: Reservoirs,
}

impl SteadyState {
    /// ρ − ρ_eq: the bias window's part.
    pub fn rho_window(&self) -> CMat {
        &self.rho - &self.rho_eq
    }

    /// Tr ρ: electrons in the device.
    pub fn electrons(&self) -> f64 {
        (0..self.rho.nrows()).map(|i| self.rho[(i, i)].re).sum()
    }
}

/// ρ of Eq. (3) for the reservoirs `res` (spin 2).
pub fn steady_state(sys: &OpenSystem, res: &Reservoirs, acc: &Accuracy) -> Result<SteadyState> {
    let n = sys.n();
    let flat = |m: &CMat| -> Vec<C64> { (0..n * n).map(|k| m[(k % n, k / n)]).collect() };
    let x = equilibrium_integral(sys, res, acc, &[n * n], flat)?;
    let rho_eq = CMat::from_fn(n, n, |i, j| {
        (x[i * n + j].conj() - x[j * n + i]) / (2.0 * PI * I) * SPIN
    });
    let window = window_integral(sys, res, acc, &[n * n], n * n, |ra, w| {
        let mut d = CMat::zeros(n, n);
        for (psi, wi) in ra.psi.iter().zip(w) {
            if wi != 0.0 {
                d += (psi * psi.adjoint()) * Scale(c64(wi / (2.0 * PI), 0.0));
            }
        }
        flat(&d)
    })?;
    let rho = CMat::from_fn(n, n, |i, j| rho_eq[(i, j)] + window[j * n + i] * SPIN);
    Ok(SteadyState {
        rho,
        rho_eq,
        reservoirs: *res,
    })
}
