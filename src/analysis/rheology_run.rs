//! `nanocontact analyze rheology RUN --h0-nm H [--area-nm2 S] [--neck-area] [--skip-cycles K]`:
//! the rheology fit of every oscillation stage of a finished `nanocontact run`, from
//! `RUN/stages.csv` (where each stage starts and ends, each lead's drive a0 and f, and its centre
//! along the axis) and `RUN/leads.csv` (imposed displacement and force on each lead, sampled).
//!
//! For a stage in which one lead oscillates, the signal is h(t) = h0 + Δ(t) of the driven lead
//! and the tensile force between the leads, F = (F_other − F_driven)/2 · s, averaged over the two
//! leads to cancel the inertial part that only the driven side feels, with s = +1 when the driven
//! lead lies above the other along the axis and −1 below (so F > 0 pulls the leads together).
//!
//! The stress is σ0 = A_F/S. S is the nominal area `--area-nm2`, by default (with `--neck-area`)
//! the initial column's minimal cross-section N·π·r0² in the first frame of `RUN/traj.h5`. With
//! `--neck-area` the fit is also reported with S the neck's N·π·r0² measured at the start of
//! each stage (the last trajectory frame at or before its first step; the paper's A, "the
//! minimal cross section area of the relaxed strain-free nanojunction"): G scales as 1/S, so
//! both are given side by side. Results go to `RUN/rheology.csv`, one row per stage, and one
//! JSON line per stage is printed; the figures of [`super::rheology_plots`] (F(t) with its fit
//! and the force–strain loops of each stage, G' and G'' against a0 at each frequency, also with
//! the neck areas when they are measured) are written beside it as PNG. With four or more
//! stages at a frequency, the zig-zag model of Eqs. (3)–(4) ([`super::zigzag`], equal
//! thresholds) is fitted to their G'(ε0): one more JSON line (`zigzag_freq_GHz`, k, j_n, ε_n,
//! j_b, ε_b with errors, χ², dof) and a dashed curve on the G'(a0) figure.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::rheology::{omega_rad_per_ps, Drive, Rheology, Signal};
use super::rheology_cli::{self, to_json_line};
use super::rheology_plots::{self, StageFit};
use super::structure::cross_section::{Neck, GOLD_ATOMIC_RADIUS_NM};
use super::structure::snapshots::Snapshots;
use super::structure::{gold_111_spacing, section};
use crate::error::{Error, Result};
use crate::io::csv::{Cell, CsvTable, CsvWriter};

/// Options of `analyze rheology RUN`.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub run: PathBuf,
    pub h0_nm: f64,
    /// Nominal area S, nm² (default with `neck_area`: the initial column's cross-section).
    pub area_nm2: Option<f64>,
    /// Also fit with the neck area measured at the start of each stage.
    pub neck_area: bool,
    pub skip_cycles: usize,
}

/// The neck cross-section at given steps, from the run's trajectory.
struct NeckFrames {
    input: Snapshots,
    steps: Vec<u64>,
    spacing_a: f64,
}

impl NeckFrames {
    fn open(run: &Path) -> Result<NeckFrames> {
        let input = Snapshots::open(run, "p p f")?;
        let steps = input.steps()?;
        let spacing_a = input.deck_plane_spacing.unwrap_or_else(gold_111_spacing);
        Ok(NeckFrames {
            input,
            steps,
            spacing_a,
        })
    }

    /// The neck in the last frame at or before `step`, with that frame's step.
    fn at(&self, step: u64) -> Result<(u64, Neck)> {
        let k = self.steps.iter().rposition(|&s| s <= step).ok_or_else(|| {
            Error::run(format!(
                "{}: no trajectory frame at or before step {step}",
                self.input.path.display()
            ))
        })?;
        let snap = self.input.snapshot(k)?;
        let free = self.input.free(&snap);
        let (_, neck) = section(&snap, &free, self.spacing_a, GOLD_ATOMIC_RADIUS_NM)?;
        Ok((snap.step, neck))
    }
}

/// The rigid leads of a run, from the `a0_<lead>_A` columns of its `stages.csv`.
pub(crate) fn lead_names(stages: &CsvTable) -> Vec<String> {
    stages
        .header
        .iter()
        .filter_map(|h| {
            h.strip_prefix("a0_")
                .and_then(|r| r.strip_suffix("_A"))
                .map(String::from)
        })
        .collect()
}

/// Analyse every oscillation stage of a run; returns the JSON lines.
pub fn run(opts: &RunOptions) -> Result<Vec<String>> {
    let necks = if opts.neck_area {
        Some(NeckFrames::open(&opts.run)?)
    } else {
        None
    };
    let area_nm2 = match (opts.area_nm2, &necks) {
        (Some(s), _) => s,
        (None, Some(n)) => {
            let (step, neck) = n.at(n.steps[0])?;
            log::info!(
                "nominal area: the initial column's N = {} at step {step}, S = {:.6} nm²",
                neck.n_atoms,
                neck.area_nm2
            );
            neck.area_nm2
        }
        (None, None) => {
            return Err(Error::run(
                "analyze rheology RUN needs --area-nm2, --neck-area or both",
            ))
        }
    };
    let stages = CsvTable::read(&opts.run.join("stages.csv"))?;
    let leads = CsvTable::read(&opts.run.join("leads.csv"))?;
    let names = lead_names(&stages);
    let (c_first, c_last) = (stages.col("first_step")?, stages.col("last_step")?);
    let (c_step, c_time) = (leads.col("step")?, leads.col("time_ps")?);
    let mut header = vec![
        "stage",
        "a0_nm",
        "freq_GHz",
        "cycles",
        "area_nm2",
        "F0_nN",
        "F0_nN_err",
        "amplitude_nN",
        "amplitude_nN_err",
        "phase_rad",
        "phase_rad_err",
        "G_storage_GPa",
        "G_storage_GPa_err",
        "G_loss_GPa",
        "G_loss_GPa_err",
        "residual_rel",
        "power_nW",
    ];
    if necks.is_some() {
        header.extend([
            "neck_step",
            "neck_N",
            "area_neck_nm2",
            "G_storage_neck_GPa",
            "G_storage_neck_GPa_err",
            "G_loss_neck_GPa",
            "G_loss_neck_GPa_err",
        ]);
    }
    let mut out = CsvWriter::create(&opts.run.join("rheology.csv"), &header)?;
    let mut lines = Vec::new();
    let mut fits = Vec::new();
    for row in &stages.rows {
        let driven = names.iter().find(|n| {
            let a0 = stages
                .col(&format!("a0_{n}_A"))
                .map(|c| row[c])
                .unwrap_or(0.0);
            let f = stages
                .col(&format!("f_{n}_GHz"))
                .map(|c| row[c])
                .unwrap_or(0.0);
            a0 > 0.0 && f > 0.0
        });
        let Some(driven) = driven else {
            continue;
        };
        let a0_a = row[stages.col(&format!("a0_{driven}_A"))?];
        let f_ghz = row[stages.col(&format!("f_{driven}_GHz"))?];
        let other = names.iter().find(|n| *n != driven);
        let zc_d = row[stages.col(&format!("zc_{driven}_A"))?];
        let (c_disp, c_fd) = (
            leads.col(&format!("disp_{driven}_A"))?,
            leads.col(&format!("force_{driven}_nN"))?,
        );
        let (sign, c_fo) = match other {
            Some(o) => {
                let zc_o = row[stages.col(&format!("zc_{o}_A"))?];
                (
                    if zc_d > zc_o { 1.0 } else { -1.0 },
                    Some(leads.col(&format!("force_{o}_nN"))?),
                )
            }
            None => (1.0, None),
        };
        let (first, last) = (row[c_first], row[c_last]);
        let mut sig = Signal {
            time_ps: Vec::new(),
            h_a: Vec::new(),
            force_nn: Vec::new(),
        };
        for l in leads
            .rows
            .iter()
            .filter(|l| l[c_step] >= first && l[c_step] <= last)
        {
            let f_driven = l[c_fd];
            let f = match c_fo {
                Some(c) => 0.5 * (l[c] - f_driven) * sign,
                None => -f_driven * sign,
            };
            sig.time_ps.push(l[c_time]);
            sig.h_a.push(10.0 * opts.h0_nm + l[c_disp]);
            sig.force_nn.push(f);
        }
        let drive = Drive {
            omega_rad_per_ps: omega_rad_per_ps(f_ghz),
            a0_nm: 0.1 * a0_a,
            h0_nm: opts.h0_nm,
            area_nm2,
            skip_cycles: opts.skip_cycles,
        };
        // A stage too short for one whole cycle (or otherwise unfit) is reported and skipped, so
        // the other stages are still analysed.
        let r = match Rheology::analyze(&sig, &drive) {
            Ok(r) => r,
            Err(e) => {
                log::warn!("{}: stage {} skipped: {e}", opts.run.display(), row[0]);
                continue;
            }
        };
        let fc = &r.force;
        let mut vals: Vec<Cell> = vec![
            row[0].into(),
            (0.1 * a0_a).into(),
            f_ghz.into(),
            (fc.window.cycles as u64).into(),
            area_nm2.into(),
            fc.offset.value.into(),
            fc.offset.err.into(),
            fc.amplitude.value.into(),
            fc.amplitude.err.into(),
            fc.phase_rad.value.into(),
            fc.phase_rad.err.into(),
            r.g_storage_gpa.value.into(),
            r.g_storage_gpa.err.into(),
            r.g_loss_gpa.value.into(),
            r.g_loss_gpa.err.into(),
            fc.residual_rel.into(),
            r.power_nw.into(),
        ];
        let mut j: serde_json::Value =
            serde_json::from_str(&to_json_line(&r)).unwrap_or_else(|_| json!({}));
        j["stage"] = json!(row[0]);
        j["area_nm2"] = json!(area_nm2);
        let mut neck_area_nm2 = None;
        if let Some(n) = &necks {
            let (step, neck) = n.at(first as u64)?;
            neck_area_nm2 = Some(neck.area_nm2);
            if neck.n_atoms == 0 {
                log::warn!(
                    "stage {}: the junction is broken at step {step} (N = 0)",
                    row[0]
                );
            }
            // G = (σ0/ε0)·e^{iφ} with σ0 = A_F/S: the same fit, rescaled by S/S_neck.
            let k = area_nm2 / neck.area_nm2;
            let (gs, gl) = (&r.g_storage_gpa, &r.g_loss_gpa);
            let neck_vals = [gs.value * k, gs.err * k, gl.value * k, gl.err * k];
            vals.extend([Cell::from(step), neck.n_atoms.into(), neck.area_nm2.into()]);
            vals.extend(neck_vals.iter().map(|&v| Cell::from(v)));
            j["neck_step"] = json!(step);
            j["neck_N"] = json!(neck.n_atoms);
            j["area_neck_nm2"] = json!(neck.area_nm2);
            j["G_storage_neck_GPa"] = json!(neck_vals[0]);
            j["G_storage_neck_GPa_err"] = json!(neck_vals[1]);
            j["G_loss_neck_GPa"] = json!(neck_vals[2]);
            j["G_loss_neck_GPa_err"] = json!(neck_vals[3]);
        }
        out.append_row(&vals)?;
        lines.push(j.to_string());
        fits.push(StageFit {
            stage: row[0] as usize,
            a0_nm: 0.1 * a0_a,
            freq_ghz: f_ghz,
            h0_nm: opts.h0_nm,
            area_nm2,
            neck_area_nm2,
            signal: sig,
            fit: r,
        });
    }
    if lines.is_empty() {
        return Err(Error::run(format!(
            "{}: no stage with an oscillating lead and a whole cycle in stages.csv",
            opts.run.display()
        )));
    }
    // The zig-zag model of Eqs. (3)–(4) fitted to G'(ε0) at each frequency.
    let mut zigzag = Vec::new();
    for f in rheology_plots::frequencies(&fits) {
        if let Some(z) = rheology_plots::zigzag_fit(&fits, f) {
            let (m, e) = (&z.model, &z.err);
            lines.push(
                json!({
                    "zigzag_freq_GHz": f,
                    "k_GPa": m.k_gpa, "k_GPa_err": e.k_gpa,
                    "j_n_GPa": m.j_n_gpa, "j_n_GPa_err": e.j_n_gpa,
                    "eps_n": m.eps_n, "eps_n_err": e.eps_n,
                    "j_b_GPa": m.j_b_gpa, "j_b_GPa_err": e.j_b_gpa,
                    "eps_b": m.eps_b, "eps_b_err": e.eps_b,
                    "chi2": z.chi2, "dof": z.dof,
                })
                .to_string(),
            );
            zigzag.push((f, z));
        }
    }
    let files = rheology_plots::write_all(&opts.run, &fits, &zigzag)?;
    log::info!(
        "{}: rheology.csv and {} figures (rheology_*.png)",
        opts.run.display(),
        files.len()
    );
    Ok(lines)
}

/// Options of `analyze rheology`: a force signal (`--signal` with its drive), or a run folder.
#[derive(Clone, Debug, clap::Args)]
pub struct RheologyArgs {
    /// Output folder of `nanocontact run` (stages.csv, leads.csv).
    #[arg(required_unless_present = "signal", conflicts_with = "signal")]
    pub run: Option<PathBuf>,
    /// CSV with columns time_ps,h_A,force_nN (header line required).
    #[arg(long, requires_all = ["freq_ghz", "a0_nm"])]
    pub signal: Option<PathBuf>,
    /// Drive frequency, GHz (with --signal).
    #[arg(long)]
    pub freq_ghz: Option<f64>,
    /// Drive amplitude a0 of h(t) = h0 + a0·sin(ωt), nm (with --signal).
    #[arg(long)]
    pub a0_nm: Option<f64>,
    /// Reference length h0 (strain ε0 = a0/h0), nm.
    #[arg(long)]
    pub h0_nm: f64,
    /// Contact area S (σ0 = A/S), nm² (with RUN and --neck-area, default: the initial
    /// column's minimal cross-section N·π·r0²).
    #[arg(long)]
    pub area_nm2: Option<f64>,
    /// With RUN: also fit with the neck area N·π·r0² measured in traj.h5 at the start of
    /// each stage.
    #[arg(long, conflicts_with = "signal")]
    pub neck_area: bool,
    /// Transient cycles skipped from the first sample.
    #[arg(long, default_value_t = 0)]
    pub skip_cycles: usize,
}

/// `analyze rheology`: the fit of a signal (one JSON line) or of every oscillation stage of a
/// run folder (one JSON line per stage).
pub fn run_args(a: RheologyArgs) -> Result<Vec<String>> {
    match (a.run, a.signal, a.freq_ghz, a.a0_nm, a.area_nm2) {
        (_, Some(signal), Some(freq_ghz), Some(a0_nm), Some(area_nm2)) => {
            let opts = rheology_cli::SignalOptions {
                signal,
                freq_ghz,
                a0_nm,
                h0_nm: a.h0_nm,
                area_nm2,
                skip_cycles: a.skip_cycles,
            };
            rheology_cli::run_signal(&opts).map(|line| vec![line])
        }
        (Some(folder), None, ..) => run(&RunOptions {
            run: folder,
            h0_nm: a.h0_nm,
            area_nm2: a.area_nm2,
            neck_area: a.neck_area,
            skip_cycles: a.skip_cycles,
        }),
        _ => Err(Error::run(
            "analyze rheology needs RUN, or --signal with --freq-ghz, --a0-nm and --area-nm2",
        )),
    }
}
