//! `nanocontact analyze rheology --signal FILE.csv --freq-ghz F --a0-nm A --h0-nm H
//! --area-nm2 S [--skip-cycles K]`: the stable contract through which any code (LAMMPS output
//! included) gets the fit of [`Rheology`].
//!
//! The CSV has one header line naming at least the columns `time_ps`, `h_A` and `force_nN`, in
//! any order (other columns are ignored), then one row per sample; blank lines and lines
//! starting with `#` are skipped. `force_nN` is the tensile force of the junction on the driven
//! lead, positive when it pulls the leads together (see [`super::rheology`]). `h_A` is the
//! imposed motion h(t) = h0 + a0·sin(ωt) (the gap or the driven lead's coordinate: only its
//! oscillation matters); the phase is measured against it, so the time column may start
//! anywhere, and its amplitude at ω must match `--a0-nm` within 5 % (a check against Å/nm
//! mix-ups and a wrong `--freq-ghz`). `--skip-cycles K` drops K periods counted from the first
//! sample; the fit then uses every whole period that follows.
//!
//! The command prints one JSON line:
//!
//! | key | meaning |
//! |-----|---------|
//! | `F0_nN`, `F0_nN_err` | mean tensile force F0 |
//! | `amplitude_nN`, `amplitude_nN_err` | force amplitude A_F = σ0·S |
//! | `phase_rad`, `phase_rad_err` | phase φ of the force relative to h(t), in (−π, π] |
//! | `G_storage_GPa`, `G_storage_GPa_err` | G' = (σ0/ε0)·cos φ |
//! | `G_loss_GPa`, `G_loss_GPa_err` | G'' = (σ0/ε0)·sin φ |
//! | `cycles_used`, `samples_used` | whole cycles and samples fitted |
//! | `residual_rel` | RMS of the fit residual relative to A_F |
//! | `power_nW` | (1/τ)∮F dh from the samples |
//! | `power_fit_nW`, `power_fit_nW_err` | π·a0·A_F·sin φ/τ from the fit |
//! | `strain_amplitude` | ε0 = a0/h0 |
//! | `stress_amplitude_GPa` | σ0 = A_F/S |
//! | `h_amplitude_A`, `h_phase_rad` | the fitted imposed motion |
//! | `t_start_ps`, `t_end_ps` | the fitted time window |
//!
//! Every `*_err` is the larger of the least-squares and the per-cycle blocking standard error.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::rheology::{omega_rad_per_ps, Drive, Rheology, Signal};
use crate::error::{Error, Result};

/// The three columns the signal file must have.
pub const SIGNAL_COLUMNS: [&str; 3] = ["time_ps", "h_A", "force_nN"];

/// Options of `analyze rheology --signal`.
#[derive(Clone, Debug)]
pub struct SignalOptions {
    /// CSV file with `time_ps,h_A,force_nN`.
    pub signal: PathBuf,
    /// Drive frequency f, GHz (ω = 2π·f·1e-3 rad/ps).
    pub freq_ghz: f64,
    /// Drive amplitude a0, nm.
    pub a0_nm: f64,
    /// Reference length h0 (ε0 = a0/h0), nm.
    pub h0_nm: f64,
    /// Contact area S, nm².
    pub area_nm2: f64,
    /// Cycles skipped from the first sample.
    pub skip_cycles: usize,
}

/// Read a signal CSV (module documentation). Errors name the file and, for a bad row, its
/// 1-based line: no header, a missing column, a row with too few fields, a value that is not a
/// finite number, times not strictly increasing, fewer than 4 samples.
pub fn read_signal(path: &Path) -> Result<Signal> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut lines = crate::io::csv::content_lines(&text);
    let (header_line, header) = lines
        .next()
        .ok_or_else(|| Error::input(path, None, "empty file: expected a header line"))?;
    let names: Vec<&str> = header.split(',').map(str::trim).collect();
    let mut cols = [0usize; 3];
    for (c, want) in cols.iter_mut().zip(SIGNAL_COLUMNS) {
        *c = names.iter().position(|n| *n == want).ok_or_else(|| {
            Error::input(
                path,
                Some(header_line),
                format!(
                    "header lacks column '{want}' (found: {}; expected time_ps,h_A,force_nN)",
                    names.join(",")
                ),
            )
        })?;
    }
    let needed = cols.iter().max().map_or(0, |m| m + 1);
    let mut s = Signal::default();
    let mut prev_t = f64::NEG_INFINITY;
    for (line_no, line) in lines {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() < needed {
            return Err(Error::input(
                path,
                Some(line_no),
                format!(
                    "{} fields, the header has {} columns",
                    fields.len(),
                    names.len()
                ),
            ));
        }
        let mut v = [0.0; 3];
        for ((x, &c), name) in v.iter_mut().zip(&cols).zip(SIGNAL_COLUMNS) {
            *x = fields[c]
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    Error::input(
                        path,
                        Some(line_no),
                        format!("{name} '{}' is not a finite number", fields[c]),
                    )
                })?;
        }
        if v[0] <= prev_t {
            return Err(Error::input(
                path,
                Some(line_no),
                format!("time_ps {} does not increase (previous row {prev_t})", v[0]),
            ));
        }
        prev_t = v[0];
        s.time_ps.push(v[0]);
        s.h_a.push(v[1]);
        s.force_nn.push(v[2]);
    }
    if s.time_ps.len() < 4 {
        return Err(Error::input(
            path,
            None,
            format!(
                "{} samples: the fit needs at least 4 (and at least 4 per cycle)",
                s.time_ps.len()
            ),
        ));
    }
    Ok(s)
}

/// The JSON line of the contract (field order as printed).
#[derive(Serialize)]
struct SignalJson {
    #[serde(rename = "F0_nN")]
    f0_nn: f64,
    #[serde(rename = "amplitude_nN")]
    amplitude_nn: f64,
    phase_rad: f64,
    #[serde(rename = "G_storage_GPa")]
    g_storage_gpa: f64,
    #[serde(rename = "G_loss_GPa")]
    g_loss_gpa: f64,
    #[serde(rename = "F0_nN_err")]
    f0_nn_err: f64,
    #[serde(rename = "amplitude_nN_err")]
    amplitude_nn_err: f64,
    phase_rad_err: f64,
    #[serde(rename = "G_storage_GPa_err")]
    g_storage_gpa_err: f64,
    #[serde(rename = "G_loss_GPa_err")]
    g_loss_gpa_err: f64,
    cycles_used: usize,
    samples_used: usize,
    residual_rel: f64,
    #[serde(rename = "power_nW")]
    power_nw: f64,
    #[serde(rename = "power_fit_nW")]
    power_fit_nw: f64,
    #[serde(rename = "power_fit_nW_err")]
    power_fit_nw_err: f64,
    strain_amplitude: f64,
    #[serde(rename = "stress_amplitude_GPa")]
    stress_amplitude_gpa: f64,
    #[serde(rename = "h_amplitude_A")]
    h_amplitude_a: f64,
    h_phase_rad: f64,
    t_start_ps: f64,
    t_end_ps: f64,
}

/// The JSON line of a [`Rheology`] result.
pub fn to_json_line(r: &Rheology) -> String {
    let f = &r.force;
    let j = SignalJson {
        f0_nn: f.offset.value,
        amplitude_nn: f.amplitude.value,
        phase_rad: f.phase_rad.value,
        g_storage_gpa: r.g_storage_gpa.value,
        g_loss_gpa: r.g_loss_gpa.value,
        f0_nn_err: f.offset.err,
        amplitude_nn_err: f.amplitude.err,
        phase_rad_err: f.phase_rad.err,
        g_storage_gpa_err: r.g_storage_gpa.err,
        g_loss_gpa_err: r.g_loss_gpa.err,
        cycles_used: f.window.cycles,
        samples_used: f.samples,
        residual_rel: f.residual_rel,
        power_nw: r.power_nw,
        power_fit_nw: r.power_fit_nw.value,
        power_fit_nw_err: r.power_fit_nw.err,
        strain_amplitude: r.strain_amplitude,
        stress_amplitude_gpa: r.stress_amplitude_gpa.value,
        h_amplitude_a: r.h_amplitude_a,
        h_phase_rad: r.h_phase_rad,
        t_start_ps: f.window.t_start_ps,
        t_end_ps: f.window.t_end_ps,
    };
    // Only f64 and usize fields: serialisation cannot fail (non-finite values become null).
    serde_json::to_string(&j).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Run the contract: read `opts.signal`, fit, return the JSON line (without newline). Errors
/// about the data (too few cycles, an h column that does not match a0) name the file.
pub fn run_signal(opts: &SignalOptions) -> Result<String> {
    if !(opts.freq_ghz.is_finite() && opts.freq_ghz > 0.0) {
        return Err(Error::run(format!(
            "--freq-ghz must be a positive number, got {}",
            opts.freq_ghz
        )));
    }
    let signal = read_signal(&opts.signal)?;
    let drive = Drive {
        omega_rad_per_ps: omega_rad_per_ps(opts.freq_ghz),
        a0_nm: opts.a0_nm,
        h0_nm: opts.h0_nm,
        area_nm2: opts.area_nm2,
        skip_cycles: opts.skip_cycles,
    };
    let r = Rheology::analyze(&signal, &drive).map_err(|e| match e {
        Error::Run(msg) if !msg.starts_with("--") => Error::input(&opts.signal, None, msg),
        other => other,
    })?;
    Ok(to_json_line(&r))
}
