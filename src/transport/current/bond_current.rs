//! Bond currents and the Landauer current of the steady state.
//!
//! From the equation of motion of the site occupations, dρ_mm/dt = (1/iħ)[H, ρ]_mm, the
//! electrons (spin included in ρ) flowing from site m to site n per unit time are
//! (2/ħ) Im(H_nm ρ_mn); the bond current is e times that,
//!
//!   I_mn = (2e/ħ) Im(H_nm ρ_mn) = 2π G0 · Im(H_nm ρ_mn)   (G0 = 2e²/h, H ρ in eV → volts),
//!
//! positive when electrons go from m to n (T. N. Todorov, J. Phys.: Condens. Matter 14, 3049
//! (2002); seed 004, Sec. III B). In the steady state their sum over any cross-section equals
//! the Landauer current
//!
//!   I = (2e/h) ∫ T(E) (f_L − f_R) dE = G0 ∫ T(E) (f_L − f_R) dE,
//!
//! T(E) = Tr[Γ_R G Γ_L G†], positive when electrons go from L to R (μ_L > μ_R).
//!
//! The bond current formula above holds in an orthogonal basis only (with an overlap the
//! occupations are not ρ_mm and the continuity equation mixes ρ with S); for a non-orthogonal
//! problem use the Landauer current, which [`landauer_current_ua`] takes from T(E) of
//! [`OpenSystem::green_real`] in either basis.

use std::f64::consts::PI;

use crate::error::Result;
use crate::transport::current::open_system::OpenSystem;
use crate::transport::current::steady_state::{integrate_window, Accuracy, Reservoirs};
use crate::transport::dense::{c64, CMat};
use crate::units::G0_SIEMENS;

/// Microamperes per ampere.
const UA_PER_A: f64 = 1e6;

/// I_mn (µA), electrons from orbital m to orbital n.
pub fn bond_current_ua(h: &CMat, rho: &CMat, m: usize, n: usize) -> f64 {
    2.0 * PI * G0_SIEMENS * (h[(n, m)] * rho[(m, n)]).im * UA_PER_A
}

/// The current (µA) through the cross-section that separates the orbitals `left` (a
/// predicate) from the others: Σ I_mn over m on the left and n on the right.
pub fn cross_section_current_ua(h: &CMat, rho: &CMat, left: impl Fn(usize) -> bool) -> f64 {
    let n = h.nrows();
    let mut i = 0.0;
    for a in (0..n).filter(|&a| left(a)) {
        for b in (0..n).filter(|&b| !left(b)) {
            if h[(b, a)].norm() != 0.0 {
                i += bond_current_ua(h, rho, a, b);
            }
        }
    }
    i
}

/// The Landauer current (µA) by adaptive quadrature of T(E)(f_L − f_R) over the window.
pub fn landauer_current_ua(sys: &OpenSystem, res: &Reservoirs, acc: &Accuracy) -> Result<f64> {
    if res.bias_v == 0.0 {
        return Ok(0.0);
    }
    let r = integrate_window(sys, res, acc, &[1], |e: f64| {
        let w = res.window_weights(e);
        let window = w[0] - w[1];
        if window == 0.0 {
            return Ok(vec![c64(0.0, 0.0)]);
        }
        Ok(vec![c64(sys.green_real(e)?.transmission() * window, 0.0)])
    })?;
    Ok(G0_SIEMENS * r[0].re * UA_PER_A)
}
