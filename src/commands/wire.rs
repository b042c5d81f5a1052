//! `nanocontact wire response --atoms NA --mobile N --bias-v V [--fermi-ev MU] [--spacing-a D]
//! [--mass-amu M]`: the current-carrying steady state of a perfect chain of NA sites between
//! two semi-infinite ideal chains of the same spacing, with the N centred sites mobile along
//! the axis (seed 004, Eqs. 1–8, nearest neighbours only, on-site 0, T = 0, spin 2, no
//! relaxation). Prints one JSON line: `current_uA`, `K_eV_per_A2` (K[ν][ν′] = −∂F_ν/∂x_ν′,
//! pair term included, mobile sites left to right), `A_eV_per_A2` = (K − Kᵀ)/2,
//! `omega_per_fs` ([re, im] pairs, ω² the eigenvalues of K/M, Re ω ≥ 0, sorted by real then
//! imaginary part) and `Omega_per_fs` (Eq. 8).

use serde_json::json;

use crate::error::{Error, Result};
use crate::transport::current::response::antisymmetric_part;
use crate::transport::current::steady_state::{Accuracy, Reservoirs};
use crate::transport::current::wire::{build_wire, WireSpec};
use crate::transport::current::wire_response::wire_response;
use crate::transport::model::sutton::SuttonSBand;

/// `wire` subcommands.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum WireCommand {
    /// Current, response matrix K, its antisymmetric part, mode frequencies and Ω of a
    /// perfect chain under bias, as one JSON line.
    Response(ResponseOptions),
    /// Ω(N, V), mode-frequency ranges and critical biases of perfect chains over lists of
    /// lengths and biases, farmed over the MPI ranks (seed 004, Figs. 2–3): CSV, HDF5, PNG.
    Scan(crate::commands::wire_scan::ScanOptions),
    /// One Ehrenfest trajectory of the wire of a deck (seed 004, Sec. II B, Fig. 4): H5MD with
    /// KE and current observables, records, current profiles, figure.
    Ehrenfest(crate::commands::wire_ehrenfest::EhrenfestOptions),
    /// Ehrenfest trajectories over the deck's `[scan]` lists of N, V, M on the task farm, with
    /// restart of unfinished tasks (Figs. 6–8).
    EhrenfestScan(crate::commands::wire_ehrenfest_scan::EhrenfestScanOptions),
}

/// Options of `wire response`.
#[derive(Clone, Debug, clap::Args)]
pub struct ResponseOptions {
    /// Sites of the chain between the two semi-infinite leads (NA).
    #[arg(long)]
    pub atoms: usize,
    /// Mobile sites, centred in the chain (N ≤ NA).
    #[arg(long)]
    pub mobile: usize,
    /// Bias V (volts): μ_L = MU + eV/2 (left lead, lower x), μ_R = MU − eV/2.
    #[arg(long, allow_negative_numbers = true)]
    pub bias_v: f64,
    /// Equilibrium chemical potential MU (eV); 0 is half filling.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub fermi_ev: f64,
    /// Spacing of the chain and the leads (Å).
    #[arg(long, default_value_t = 2.37)]
    pub spacing_a: f64,
    /// Mass of the mobile atoms (amu).
    #[arg(long, default_value_t = 10.0)]
    pub mass_amu: f64,
}

/// Run `wire response`: the JSON line.
pub fn response(opts: &ResponseOptions) -> Result<String> {
    if !opts.bias_v.is_finite() || !opts.fermi_ev.is_finite() {
        return Err(Error::run(
            "wire response: --bias-v and --fermi-ev must be finite",
        ));
    }
    if !(opts.mass_amu.is_finite() && opts.mass_amu > 0.0) {
        return Err(Error::run(format!(
            "wire response: --mass-amu must be positive, got {}",
            opts.mass_amu
        )));
    }
    let spec = WireSpec {
        atoms: opts.atoms,
        mobile: opts.mobile,
        spacing_a: opts.spacing_a,
        model: SuttonSBand::gold_untruncated(),
        range: 1,
    };
    let wire = build_wire(&spec)?;
    let res = Reservoirs {
        fermi_ev: opts.fermi_ev,
        bias_v: opts.bias_v,
        temperature_k: 0.0,
    };
    let r = wire_response(&wire, &res, opts.mass_amu, &Accuracy::default())?;
    let omega: Vec<[f64; 2]> = r.omega.iter().map(|w| [w.re, w.im]).collect();
    Ok(json!({
        "current_uA": r.current_ua,
        "K_eV_per_A2": r.k.k,
        "A_eV_per_A2": antisymmetric_part(&r.k.k),
        "omega_per_fs": omega,
        "Omega_per_fs": r.omega_rate,
    })
    .to_string())
}
