//! One point (N mobile atoms, bias V) of the scans of seed 004's Figs. 2 and 3: the wire is
//! built, its mobile atoms relaxed by FIRE on the steady-state forces when they are not yet in
//! equilibrium (a perfect chain between leads of its own spacing is: its forces vanish by
//! symmetry, at any bias), and the response matrix gives the mode frequencies, their range
//! Δω = max Re ω − min Re ω (Fig. 2a at V = 0), the number of complex modes and Ω (Eq. 8).
//!
//! A mode with Im ω ≠ 0 is one of two kinds: a real negative eigenvalue of K/M (Re ω = 0), a
//! static instability that exists at zero bias too (the 1-D chain's Kohn anomaly at 2k_F grows
//! like ln N at T = 0 and turns the Peierls mode unstable in long chains), or a complex
//! eigenvalue (Re ω > 0), a growing/decaying "waterwheel" pair made by the non-conservative A.
//! Ω of Eq. (8) sums both; Ω_ww sums the waterwheel modes alone.
//! The command `wire scan` farms such points over the MPI ranks.

use std::time::Instant;

use crate::error::{Error, Result};
use crate::transport::current::forces::steady_state_forces;
use crate::transport::current::md_hook::relax_wire;
use crate::transport::current::steady_state::{steady_state, Accuracy, Reservoirs};
use crate::transport::current::wire::{build_wire, WireSpec};
use crate::transport::current::wire_response::wire_response;
use crate::transport::model::sutton::SuttonSBand;

/// A mode counts as complex when |Im ω| exceeds this fraction of the largest |ω|.
pub const COMPLEX_MODE_REL: f64 = 1e-8;

/// What is scanned, besides N and V.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScanModel {
    /// Hopping and pair potential (with its tail).
    pub model: SuttonSBand,
    /// Bond range along the chain (1: nearest neighbours; 2 with a tail past 2d).
    pub range: usize,
    /// Chain and lead spacing (Å).
    pub spacing_a: f64,
    /// μ (eV).
    pub fermi_ev: f64,
    /// Mass of the mobile atoms (amu).
    pub mass_amu: f64,
    /// Rigid chain sites on each side of the mobile ones.
    pub rigid_sites: usize,
    /// FIRE stops below this force (eV/Å).
    pub relax_ftol: f64,
}

/// The result of one point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScanPoint {
    pub mobile: usize,
    pub bias_v: f64,
    /// Ω (fs⁻¹).
    pub omega_rate: f64,
    /// Smallest Re ω of the modes that vibrate (Re ω > 0; statically unstable modes left
    /// out) and largest Re ω (fs⁻¹).
    pub re_omega_min: f64,
    pub re_omega_max: f64,
    /// Modes with a non-zero imaginary part.
    pub complex_modes: usize,
    /// Of those, the statically unstable ones (Re ω = 0).
    pub unstable_modes: usize,
    /// (1/N) Σ |Im ω| over the waterwheel modes (Re ω > 0) only (fs⁻¹).
    pub waterwheel_rate: f64,
    /// Current (µA).
    pub current_ua: f64,
    /// FIRE steps (0: already relaxed).
    pub relax_steps: u64,
    /// Wall time of the point (s).
    pub seconds: f64,
}

/// Values per encoded point.
const WIDTH: usize = 11;

impl ScanPoint {
    /// As little-endian f64s (for the task farm).
    pub fn encode(&self) -> Vec<u8> {
        [
            self.mobile as f64,
            self.bias_v,
            self.omega_rate,
            self.re_omega_min,
            self.re_omega_max,
            self.complex_modes as f64,
            self.unstable_modes as f64,
            self.waterwheel_rate,
            self.current_ua,
            self.relax_steps as f64,
            self.seconds,
        ]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect()
    }

    /// From [`ScanPoint::encode`]'s bytes.
    pub fn decode(b: &[u8]) -> Result<ScanPoint> {
        if b.len() != 8 * WIDTH {
            return Err(Error::run("wire scan: a result of the wrong size"));
        }
        let v: Vec<f64> = b
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        Ok(ScanPoint {
            mobile: v[0] as usize,
            bias_v: v[1],
            omega_rate: v[2],
            re_omega_min: v[3],
            re_omega_max: v[4],
            complex_modes: v[5] as usize,
            unstable_modes: v[6] as usize,
            waterwheel_rate: v[7],
            current_ua: v[8],
            relax_steps: v[9] as u64,
            seconds: v[10],
        })
    }
}

/// Compute one point: relax (if needed) at the bias, then the response.
pub fn scan_point(m: &ScanModel, mobile: usize, bias_v: f64) -> Result<ScanPoint> {
    let t0 = Instant::now();
    let mut wire = build_wire(&WireSpec {
        atoms: mobile + 2 * m.rigid_sites,
        mobile,
        spacing_a: m.spacing_a,
        model: m.model,
        range: m.range,
    })?;
    let res = Reservoirs {
        fermi_ev: m.fermi_ev,
        bias_v,
        temperature_k: 0.0,
    };
    let acc = Accuracy::default();
    let ss = steady_state(&wire.system, &res, &acc)?;
    let f0 = steady_state_forces(&wire.device, &ss.rho);
    let mut relax_steps = 0;
    if f0.iter().any(|f| f.abs() >= m.relax_ftol) {
        let r = relax_wire(&mut wire, res, acc, m.relax_ftol, 5000)?;
        if !r.converged {
            log::warn!(
                "wire scan: N = {mobile}, V = {bias_v}: FIRE did not reach {} eV/Å ({} eV/Å)",
                m.relax_ftol,
                r.fmax
            );
        }
        relax_steps = r.steps;
    }
    let r = wire_response(&wire, &res, m.mass_amu, &acc)?;
    let largest = r.omega.iter().map(|w| w.norm()).fold(0.0, f64::max);
    let tiny = COMPLEX_MODE_REL * largest;
    let complex: Vec<_> = r.omega.iter().filter(|w| w.im.abs() > tiny).collect();
    let unstable_modes = complex.iter().filter(|w| w.re <= tiny).count();
    let waterwheel_rate = complex
        .iter()
        .filter(|w| w.re > tiny)
        .fold(0.0, |a, w| a + w.im.abs())
        / mobile as f64;
    let re = r.omega.iter().map(|w| w.re).filter(|&x| x > tiny);
    Ok(ScanPoint {
        mobile,
        bias_v,
        omega_rate: r.omega_rate,
        re_omega_min: re.clone().fold(f64::INFINITY, f64::min),
        re_omega_max: re.fold(f64::NEG_INFINITY, f64::max),
        complex_modes: complex.len(),
        unstable_modes,
        waterwheel_rate,
        current_ua: r.current_ua,
        relax_steps,
        seconds: t0.elapsed().as_secs_f64(),
    })
}
