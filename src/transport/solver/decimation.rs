//! Lead surface Green's function by Sancho–Rubio decimation (M. P. López Sancho, J. M. López
//! Sancho, J. Rubio, J. Phys. F 15, 851 (1985)).
//!
//! With ω = E + iη, start from ε_s = ε = H00, α = H01, β = H01† and iterate
//!
//!   g = (ω − ε)⁻¹,  ε_s ← ε_s + α g β,  ε ← ε + α g β + β g α,  α ← α g α,  β ← β g β,
//!
//! each step doubling the number of layers summed, until α and β vanish; then the surface
//! Green's function is g_s = (ω − ε_s)⁻¹. The result carries the broadening η, so near band
//! edges (where decay lengths diverge) it converges slowly and is only approximate: mode
//! matching is the accurate path.

use crate::error::{Error, Result};
use crate::transport::dense::{max_abs, mul, shifted_negative, CMat, Lu, C64, I};
use crate::transport::solver::surface::{psd_factor, LeadSurface};

/// Iteration cap (2^200 layers: never reached unless η is 0 at a band energy).
const MAX_ITER: usize = 200;

/// Surface Green's function of layer 1 by decimation at E + iη. `open_channels` is the number
/// of eigenvalues of A = i(g − g†) above 10⁻⁸ of the largest: approximate by construction.
pub fn lead_surface_decimation(
    h00: &CMat,
    h01: &CMat,
    energy: f64,
    eta: f64,
) -> Result<LeadSurface> {
    if eta.is_nan() || eta <= 0.0 {
        return Err(Error::run(format!("decimation needs eta > 0, got {eta}")));
    }
    let omega = C64::new(energy, eta);
    let mut eps_s = h00.clone();
    let mut eps = h00.clone();
    let mut alpha = h01.clone();
    let mut beta = h01.adjoint().to_owned();
    let scale = max_abs(h00.as_ref()).max(max_abs(h01.as_ref())).max(1e-300);
    let mut converged = false;
    for _ in 0..MAX_ITER {
        let lu = Lu::new(shifted_negative(omega, eps.as_ref()).as_ref(), "decimation")?;
        let g_beta = lu.solve(beta.as_ref());
        let g_alpha = lu.solve(alpha.as_ref());
        let agb = mul(alpha.as_ref(), g_beta.as_ref());
        let bga = mul(beta.as_ref(), g_alpha.as_ref());
        eps_s += &agb;
        eps += &agb;
        eps += &bga;
        alpha = mul(alpha.as_ref(), g_alpha.as_ref());
        beta = mul(beta.as_ref(), g_beta.as_ref());
        if max_abs(alpha.as_ref()) + max_abs(beta.as_ref()) < 1e-15 * scale {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(Error::run(format!(
            "decimation at E = {energy} eV did not converge in {MAX_ITER} steps"
        )));
    }
    let g = Lu::new(
        shifted_negative(omega, eps_s.as_ref()).as_ref(),
        "decimation surface",
    )?
    .inverse();
    let n = g.nrows();
    let a = CMat::from_fn(n, n, |i, j| I * (g[(i, j)] - g[(j, i)].conj()));
    let spectral_factor = psd_factor(&a, None, 1e-8, "decimation: surface spectral function")?;
    let open_channels = spectral_factor.ncols();
    Ok(LeadSurface {
        g,
        spectral_factor,
        open_channels,
    })
}

/// The surface Green's function g = (A00 − A01 g' A10)⁻¹ of a semi-infinite lead from the
/// blocks of a general pencil A = z S − H (A01 towards the bulk, A10 back; z S01† − H01† for a
/// non-orthogonal basis at complex z, so A10 ≠ A01†), by the same doubling; z off the real
/// axis, where it converges. Used by the Mulliken neutrality and the steady state with an
/// overlap.
pub fn lead_surface_pencil(a00: &CMat, a01: &CMat, a10: &CMat) -> Result<CMat> {
    let mut m = a00.clone();
    let mut ms = a00.clone();
    let mut alpha = a01.clone();
    let mut beta = a10.clone();
    let scale = max_abs(a00.as_ref()).max(1.0);
    for _ in 0..MAX_ITER {
        let lu = Lu::new(m.as_ref(), "lead decimation (z S − H)")?;
        let ga = lu.solve(alpha.as_ref());
        let gb = lu.solve(beta.as_ref());
        let agb = &alpha * &gb;
        let bga = &beta * &ga;
        ms -= &agb;
        m -= &agb + &bga;
        alpha = &alpha * &ga;
        beta = &beta * &gb;
        if max_abs(alpha.as_ref()) + max_abs(beta.as_ref()) < 1e-15 * scale {
            return Ok(Lu::new(ms.as_ref(), "lead surface (z S − H)")?.inverse());
        }
    }
    Err(Error::run("lead decimation of z S − H did not converge"))
}
