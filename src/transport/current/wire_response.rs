//! Everything `wire response` reports for one wire, bias and mass: the current through the
//! middle of the chain (from the bond currents), the response matrix K with its parts, the
//! mode frequencies ω and Ω (seed 004, Eqs. 3–8).

use crate::error::{Error, Result};
use crate::transport::current::bond_current::cross_section_current_ua;
use crate::transport::current::modes::{mode_frequencies, omega_rate};
use crate::transport::current::response::{response_matrix, ResponseMatrix};
use crate::transport::current::steady_state::{steady_state, Accuracy, Reservoirs};
use crate::transport::current::wire::Wire;
use crate::transport::dense::C64;

/// The response of a wire at one bias.
#[derive(Clone, Debug)]
pub struct WireResponse {
    /// Current through the bond cut at the middle of the chain (µA), electrons left to right.
    pub current_ua: f64,
    /// Electrons in the device region, Tr ρ.
    pub electrons: f64,
    /// K and its parts (eV/Å²).
    pub k: ResponseMatrix,
    /// ω (fs⁻¹), sorted by real part then imaginary part.
    pub omega: Vec<C64>,
    /// Ω (fs⁻¹), Eq. (8).
    pub omega_rate: f64,
}

/// Solve the steady state of `wire` and its response (every mobile atom of mass `mass_amu`).
pub fn wire_response(
    wire: &Wire,
    res: &Reservoirs,
    mass_amu: f64,
    acc: &Accuracy,
) -> Result<WireResponse> {
    let ss = steady_state(&wire.system, res, acc)?;
    let n = wire.device.positions.len();
    let cut = n / 2;
    let current_ua = cross_section_current_ua(&wire.system.h, &ss.rho, |o| o < cut);
    let k = response_matrix(&wire.system, &wire.device, &ss, acc)?;
    let masses = vec![mass_amu; wire.device.dofs.len()];
    let omega = mode_frequencies(&k.k, &masses)?;
    let omega_rate = omega_rate(&omega);
    if !current_ua.is_finite() || !omega_rate.is_finite() {
        return Err(Error::run("wire response: the current or Ω is not finite"));
    }
    Ok(WireResponse {
        current_ua,
        electrons: ss.electrons(),
        k,
        omega,
        omega_rate,
    })
}
