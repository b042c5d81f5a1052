//! Landauer conductance and current from a transmission function.
//!
//! G = G0 T(E_F), G0 = 2e²/h; and (Landauer–Büttiker, spin-degenerate)
//!
//!   I(V) = (2e/h) ∫ T(E) [f_L(E) − f_R(E)] dE,   μ_L,R = E_F ± eV/2,
//!
//! f the Fermi–Dirac function at temperature T_K. With E in eV the integral is in volts and
//! I = G0 · ∫ T (f_L − f_R) dE in amperes.

use crate::error::{Error, Result};
use crate::units::{BOLTZ_EV_PER_K, G0_SIEMENS};

/// Fermi–Dirac occupation f(E) = 1/(1 + e^{(E−μ)/k_B T}); a step at T = 0.
pub fn fermi_dirac(e_ev: f64, mu_ev: f64, temperature_k: f64) -> f64 {
    if temperature_k <= 0.0 {
        return if e_ev < mu_ev {
            1.0
        } else if e_ev > mu_ev {
            0.0
        } else {
            0.5
        };
    }
    let x = (e_ev - mu_ev) / (BOLTZ_EV_PER_K * temperature_k);
    if x > 0.0 {
        let y = (-x).exp();
        y / (1.0 + y)
    } else {
        1.0 / (1.0 + x.exp())
    }
}

/// Conductance in siemens from the transmission at the Fermi energy.
pub fn conductance_siemens(t_at_fermi: f64) -> f64 {
    G0_SIEMENS * t_at_fermi
}

/// Current (A) for bias `bias_v` (μ_L − μ_R = e·V) from `transmission` sampled on the ascending
/// grid `energies_ev` (covering the bias window plus a few k_B T), T(E) taken piecewise linear:
/// at T_K = 0 the window is a box and each interval's clipped part is integrated exactly; at
/// finite temperature by the trapezoid rule (the grid should resolve k_B T).
pub fn current_amperes(
    energies_ev: &[f64],
    transmission: &[f64],
    fermi_ev: f64,
    bias_v: f64,
    temperature_k: f64,
) -> Result<f64> {
    if energies_ev.len() != transmission.len() || energies_ev.len() < 2 {
        return Err(Error::run(
            "current: need at least two energies, one transmission value per energy",
        ));
    }
    if energies_ev.windows(2).any(|w| w[1] <= w[0]) {
        return Err(Error::run("current: energies must be strictly ascending"));
    }
    let (mu_l, mu_r) = (fermi_ev + 0.5 * bias_v, fermi_ev - 0.5 * bias_v);
    let window = |e: f64| fermi_dirac(e, mu_l, temperature_k) - fermi_dirac(e, mu_r, temperature_k);
    let mut integral = 0.0;
    if temperature_k <= 0.0 {
        let (lo, hi, sign) = if mu_l >= mu_r {
            (mu_r, mu_l, 1.0)
        } else {
            (mu_l, mu_r, -1.0)
        };
        for i in 1..energies_ev.len() {
            let (e0, e1) = (energies_ev[i - 1], energies_ev[i]);
            let (a, b) = (e0.max(lo), e1.min(hi));
            if b > a {
                let t = |e: f64| {
                    transmission[i - 1]
                        + (transmission[i] - transmission[i - 1]) * (e - e0) / (e1 - e0)
                };
                integral += sign * 0.5 * (b - a) * (t(a) + t(b));
            }
        }
        return Ok(G0_SIEMENS * integral);
    }
    for i in 1..energies_ev.len() {
        let (e0, e1) = (energies_ev[i - 1], energies_ev[i]);
        let (y0, y1) = (
            transmission[i - 1] * window(e0),
            transmission[i] * window(e1),
        );
        integral += 0.5 * (e1 - e0) * (y0 + y1);
    }
    Ok(G0_SIEMENS * integral)
}
