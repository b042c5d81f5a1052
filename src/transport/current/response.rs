//! The steady-state dynamical response matrix of the mobile atoms (seed 004, Eqs. 5–7),
//! analytic from the Green's functions:
//!
//!   K_νν′ = −∂F_ν/∂R_ν′ + ∂²P/∂R_ν∂R_ν′ = K^eq_νν′ + S_νν′ + A_νν′.
//!
//! With ∂G/∂R_ν′ = −G F̂_ν′ G, the equilibrium part (at μ) follows from the contour of
//! [`super::steady_state`], X_νν′ = ∫ f(E) Tr{F̂_ν G F̂_ν′ G} dE:
//!
//!   K^eq_νν′ = −(2/π) Im X_νν′ + Tr{ρ_eq ∂²H/∂R_ν∂R_ν′} + ∂²P/∂R_ν∂R_ν′,
//!
//! and the current-induced part ΔK = S + A from the bias window on the real axis, with
//! R = (G⁻ + G⁺)/2 and D = (G⁻ − G⁺)/2πi (advanced G⁻, retarded G⁺), for i = L, R:
//!
//!   S_νν′ = Σ_i ∫_μ^{μ_i} (2 Re Tr{F̂_ν R F̂_ν′ D_i} − Tr{∂F̂_ν/∂R_ν′ D_i}) dE   (Eq. 6),
//!   A_νν′ = 2π Σ_i ∫_μ^{μ_i} Im Tr{F̂_ν D F̂_ν′ D_i} dE                         (Eq. 7),
//!
//! spin 2 included (at T > 0 the limits become the weights f_i − f_μ). For a real H (no
//! magnetic field) S is symmetric and A antisymmetric. The operators F̂_ν are sparse (the
//! bonds of atom ν), so each trace is a short double sum over their entries, or, for
//! multi-orbital models whose F̂_ν fill whole orbital blocks, dense products on their support
//! ([`response_from_operators`], used by [`super::sk_response`]).

use std::f64::consts::PI;

use crate::error::{Error, Result};
use crate::transport::current::bond_model::{BondedDevice, SparseOp};
use crate::transport::current::open_system::OpenSystem;
use crate::transport::current::steady_state::{
    equilibrium_integral, window_integral, Accuracy, SteadyState, SPIN,
};
use crate::transport::dense::{c64, CMat, C64, I};

/// K and its parts, N × N, rows and columns in the order of the device's dofs (eV/Å²).
#[derive(Clone, Debug)]
pub struct ResponseMatrix {
    /// K = K_eq + S + A.
    pub k: Vec<Vec<f64>>,
    /// The equilibrium part at μ, pair term included.
    pub k_eq: Vec<Vec<f64>>,
    /// Eq. (6).
    pub s: Vec<Vec<f64>>,
    /// Eq. (7).
    pub a: Vec<Vec<f64>>,
}

/// The force operators in a local numbering of the orbitals they touch.
struct LocalOps {
    /// Local index → device orbital.
    support: Vec<usize>,
    /// Entries (local row, local column, value) per dof.
    ops: Vec<Vec<(usize, usize, f64)>>,
}

impl LocalOps {
    fn new(ops: &[SparseOp]) -> Self {
        let mut support: Vec<usize> = ops.iter().flatten().flat_map(|e| [e.0, e.1]).collect();
        support.sort_unstable();
        support.dedup();
        let local = |o: usize| support.binary_search(&o).unwrap_or(0);
        let ops = ops
            .iter()
            .map(|op| {
                op.iter()
                    .map(|&(m, n, v)| (local(m), local(n), v))
                    .collect()
            })
            .collect();
        LocalOps { support, ops }
    }

    /// `m` on the support: m_loc[(a, b)] = m[(support[a], support[b])], row-major.
    fn restrict(&self, m: impl Fn(usize, usize) -> C64) -> Vec<C64> {
        let s = &self.support;
        let n = s.len();
        (0..n * n).map(|k| m(s[k / n], s[k % n])).collect()
    }

    /// Tr{F̂_ν X F̂_ν′ Y} for all ν, ν′ (row-major N × N), X, Y restricted (row-major).
    fn traces(&self, x: &[C64], y: &[C64]) -> Vec<C64> {
        let n = self.support.len();
        let nd = self.ops.len();
        let mut out = vec![c64(0.0, 0.0); nd * nd];
        for (i, fi) in self.ops.iter().enumerate() {
            for (j, fj) in self.ops.iter().enumerate() {
                let mut t = c64(0.0, 0.0);
                for &(a, b, alpha) in fi {
                    for &(c, d, beta) in fj {
                        t += x[b * n + c] * y[d * n + a] * (alpha * beta);
                    }
                }
                out[i * nd + j] = t;
            }
        }
        out
    }

    /// [`LocalOps::traces`] through dense products on the support, Tr{(F̂_ν X)(F̂_ν′ Y)}:
    /// faster when each operator fills whole orbital blocks (spd models).
    fn traces_dense(&self, x: &[C64], y: &[C64]) -> Vec<C64> {
        let n = self.support.len();
        let nd = self.ops.len();
        let as_mat = |v: &[C64]| CMat::from_fn(n, n, |a, b| v[a * n + b]);
        let (xm, ym) = (as_mat(x), as_mat(y));
        let dense = |op: &Vec<(usize, usize, f64)>| {
            let mut f = CMat::zeros(n, n);
            for &(a, b, v) in op {
                f[(a, b)] += c64(v, 0.0);
            }
            f
        };
        let fx: Vec<CMat> = self.ops.iter().map(|op| dense(op) * &xm).collect();
        let fy: Vec<CMat> = self.ops.iter().map(|op| dense(op) * &ym).collect();
        let mut out = vec![c64(0.0, 0.0); nd * nd];
        for i in 0..nd {
            for j in 0..nd {
                let mut t = c64(0.0, 0.0);
                for a in 0..n {
                    for b in 0..n {
                        t += fx[i][(a, b)] * fy[j][(b, a)];
                    }
                }
                out[i * nd + j] = t;
            }
        }
        out
    }
}

fn square(v: impl Fn(usize, usize) -> f64, n: usize) -> Vec<Vec<f64>> {
    (0..n).map(|i| (0..n).map(|j| v(i, j)).collect()).collect()
}

/// K of Eqs. (5)–(7) at the steady state `ss` of `sys`, whose device atoms are `device`.
pub fn response_matrix(
    sys: &OpenSystem,
    device: &BondedDevice,
    ss: &SteadyState,
    acc: &Accuracy,
) -> Result<ResponseMatrix> {
    if device.positions.len() != sys.n() {
        return Err(Error::run(
            "response: the bonded device and the open system differ in size",
        ));
    }
    response_from_operators(
        sys,
        &device.force_operators(),
        |rho| device.hopping_curvature(rho),
        &device.pair_hessian(),
        ss,
        acc,
        false,
    )
}

/// K of Eqs. (5)–(7) in an orthogonal basis from the force operators F̂_ν, the curvature
/// term ρ ↦ Tr{ρ ∂²H/∂R_ν∂R_ν′} and the pair Hessian ∂²P/∂R_ν∂R_ν′ (any model); `dense`:
/// the traces by dense products on the operators' support (operators of whole orbital
/// blocks), else entry by entry (single-orbital bonds).
pub fn response_from_operators(
    sys: &OpenSystem,
    ops: &[SparseOp],
    curvature: impl Fn(&CMat) -> Vec<Vec<f64>>,
    pair: &[Vec<f64>],
    ss: &SteadyState,
    acc: &Accuracy,
    dense: bool,
) -> Result<ResponseMatrix> {
    if sys.overlap.is_some() {
        return Err(Error::run(
            "response: the analytic K of Eqs. (5)–(7) needs an orthogonal basis",
        ));
    }
    let nd = ops.len();
    let lo = LocalOps::new(ops);
    let traces = |x: &[C64], y: &[C64]| {
        if dense {
            lo.traces_dense(x, y)
        } else {
            lo.traces(x, y)
        }
    };
    let res = &ss.reservoirs;
    // Equilibrium: X_νν′ = ∫ f Tr{F̂_ν G F̂_ν′ G} dE along the contour.
    let x = equilibrium_integral(sys, res, acc, &[nd * nd], |g| {
        let gl = lo.restrict(|a, b| g[(a, b)]);
        traces(&gl, &gl)
    })?;
    // Window: Σ_i w_i (2 Re Tr{F̂ R F̂′ D_i} + i 2π Im Tr{F̂ D F̂′ D_i}).
    let win = window_integral(sys, res, acc, &[nd * nd], nd * nd, |ra, w| {
        let g = &ra.g;
        let r = lo.restrict(|a, b| (g[(a, b)] + g[(b, a)].conj()) * 0.5);
        let d = lo.restrict(|a, b| (g[(a, b)] - g[(b, a)].conj()) * (I * (0.5 / PI)));
        let mut out = vec![c64(0.0, 0.0); nd * nd];
        for (psi, wi) in ra.psi.iter().zip(w) {
            if wi == 0.0 {
                continue;
            }
            let di = lo.restrict(|a, b| {
                let mut s = c64(0.0, 0.0);
                for k in 0..psi.ncols() {
                    s += psi[(a, k)] * psi[(b, k)].conj();
                }
                s * (0.5 / PI)
            });
            let sr = traces(&r, &di);
            let ad = traces(&d, &di);
            for (o, (s, a)) in out.iter_mut().zip(sr.iter().zip(&ad)) {
                *o += c64(2.0 * s.re, 2.0 * PI * a.im) * wi;
            }
        }
        out
    })?;
    let curv_eq = curvature(&ss.rho_eq);
    let curv_win = curvature(&ss.rho_window());
    let k_eq = square(
        |i, j| -SPIN / PI * x[i * nd + j].im + curv_eq[i][j] + pair[i][j],
        nd,
    );
    let s = square(|i, j| SPIN * win[i * nd + j].re + curv_win[i][j], nd);
    let a = square(|i, j| SPIN * win[i * nd + j].im, nd);
    let k = square(|i, j| k_eq[i][j] + s[i][j] + a[i][j], nd);
    if k.iter().flatten().any(|v| !v.is_finite()) {
        return Err(Error::run("response: K is not finite"));
    }
    Ok(ResponseMatrix { k, k_eq, s, a })
}

/// (K − Kᵀ)/2.
pub fn antisymmetric_part(k: &[Vec<f64>]) -> Vec<Vec<f64>> {
    square(|i, j| 0.5 * (k[i][j] - k[j][i]), k.len())
}
