//! The exact long-time limit of the driven Liouville–von Neumann equation with frozen ions
//! ([`super::liouville`]). With W = diag(w) (1 on electrode sites) the source and sink are
//! S = −(Γ/2ħ){W, ρ} + (Γ/ħ)ρ⁰ (ρ⁰ lives where w_i = w_j = 1), so
//!
//!   iħ dρ/dt = H_eff ρ − ρ H_eff† + iΓρ⁰,   H_eff = H − iΓW/2,
//!
//! whose stationary state solves H_eff ρ − ρ H_eff† = −iΓρ⁰. With H_eff = V Λ V⁻¹ and
//! ρ̃ = V⁻¹ ρ V⁻†: ρ̃_ab = −iΓ ρ̃⁰_ab / (λ_a − λ̄_b) (every Im λ < 0, so the denominators do
//! not vanish), ρ = V ρ̃ V†. Equivalently ρ = (Γ/2π) ∫ G(E) ρ⁰ G(E)† dE, G = (E − H_eff)⁻¹: the
//! electrode states broadened by Γ and filled as ρ⁰. The difference between the current of this
//! state and the Landauer current is the method's own error (finite electrodes, Γ), apart from
//! the time stepping; the propagator converges to it. Dense, O(n³): short chains only.

use crate::error::{Error, Result};
use crate::transport::dense::{c64, CMat, Lu};
use crate::transport::ehrenfest::chain::Banded;
use crate::transport::ehrenfest::liouville::{Density, OpenBoundary};

/// The stationary ρ of the open boundary `ob` with H frozen.
pub fn open_boundary_steady_state(h: &Banded, ob: &OpenBoundary) -> Result<Density> {
    let n = h.n();
    let in_lead = |i: usize| ob.leads.iter().any(|l| l.contains(&i));
    let heff = CMat::from_fn(n, n, |i, j| {
        let damp = if i == j && in_lead(i) {
            -0.5 * ob.gamma_ev
        } else {
            0.0
        };
        c64(h.get(i, j), damp)
    });
    let e = heff
        .eigen()
        .map_err(|_| Error::run("open-boundary steady state: eigensolver did not converge"))?;
    let lam: Vec<_> = (0..n).map(|i| e.S()[i]).collect();
    let v = e.U().to_owned();
    let vinv = Lu::new(v.as_ref(), "open-boundary steady state")?.inverse();
    let mut rho0 = CMat::zeros(n, n);
    for (a, l) in ob.leads.iter().enumerate() {
        let m = l.len();
        for i in 0..m {
            for j in 0..m {
                rho0[(l.start + i, l.start + j)] = c64(ob.rho0[a][i * m + j], 0.0);
            }
        }
    }
    let mut t = &vinv * &rho0 * vinv.adjoint();
    for a in 0..n {
        for b in 0..n {
            let d = lam[a] - lam[b].conj();
            t[(a, b)] = c64(0.0, -ob.gamma_ev) * t[(a, b)] / d;
        }
    }
    let rho = &v * &t * v.adjoint();
    let mut out = Density::zeros(n);
    for i in 0..n {
        for j in 0..n {
            out.re[i * n + j] = rho[(i, j)].re;
            out.im[i * n + j] = rho[(i, j)].im;
        }
    }
    Ok(out)
}
