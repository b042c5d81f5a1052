//! `nanocontact analyze force-conductance RUN --farm DIR`: the force between the leads and the
//! conductance of the farmed frames on one time axis, the reading the gold rheology paper asks
//! for (Khosravi et al. 2021: stick-slip yielding "predicting ... violent noise in stress and
//! conductance"; conductance noise is what the experiments of its Ref. 13 report).
//!
//! Inputs: `RUN/stages.csv` and `RUN/leads.csv` of a `nanocontact run` with two rigid leads, and
//! `DIR/conductance.csv` of `nanocontact farm` on that run's trajectory (frames with every k∥
//! point done). For each frame at step s:
//! - the tensile force F = (F_lower − F_upper)/2 at s (positive when the junction pulls the
//!   leads together; the convention of `analyze rheology`), and its mean over a window of
//!   `window_ps` centred on s, which removes the ~3 ps ringing of the junction's elastic modes
//!   and keeps the cycle (100 ps at 10 GHz);
//! - the imposed lead–lead displacement Δh = Δz_upper − Δz_lower;
//! - the stage of s and its drive amplitude a0.
//!
//! Per stage: the mean and standard deviation of G/G0 and of the windowed force over the stage's
//! frames, and Pearson's correlation coefficient r = cov(x, y)/(σ_x σ_y) of G with the windowed
//! force and with Δh. Outputs: `force_conductance.csv` (one row per frame),
//! `force_conductance_stages.csv` (one row per stage), `force_conductance.png` (Δh, F and G/G0
//! stacked on one time axis) and `conductance_vs_force.png` (G/G0 against the windowed force),
//! and one JSON line with the per-stage statistics.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::rheology_run::lead_names;
use crate::error::{Error, Result};
use crate::io::csv::{Cell, CsvTable, CsvWriter};
use crate::plot::{Color, Figure, Panel};

/// Options of `analyze force-conductance`.
#[derive(Clone, Debug, clap::Args)]
pub struct Options {
    /// Output folder of `nanocontact run` (stages.csv, leads.csv).
    pub run: PathBuf,
    /// Output folder of `nanocontact farm` on that run's trajectory (conductance.csv).
    #[arg(long)]
    pub farm: PathBuf,
    /// Output folder (default: the farm folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Width of the force average centred on each frame, ps (0: the sample at the frame).
    #[arg(long, default_value_t = 10.0)]
    pub window_ps: f64,
}

/// The lead signals of a run: every sample of `leads.csv`.
struct LeadTrace {
    step: Vec<u64>,
    time_ps: Vec<f64>,
    /// Δz_upper − Δz_lower, Å.
    dh_a: Vec<f64>,
    /// (F_lower − F_upper)/2, nN.
    force_nn: Vec<f64>,
}

impl LeadTrace {
    fn read(run: &Path, stages: &CsvTable) -> Result<LeadTrace> {
        let names = lead_names(stages);
        let [a, b] = names.as_slice() else {
            return Err(Error::run(format!(
                "{}: needs exactly two leads (stages.csv names {})",
                run.display(),
                names.len()
            )));
        };
        let row = stages
            .rows
            .first()
            .ok_or_else(|| Error::run(format!("{}: stages.csv has no stage", run.display())))?;
        let zc = |n: &str| -> Result<f64> { Ok(row[stages.col(&format!("zc_{n}_A"))?]) };
        let (lower, upper) = if zc(a)? <= zc(b)? { (a, b) } else { (b, a) };
        let leads = CsvTable::read(&run.join("leads.csv"))?;
        let (cs, ct) = (leads.col("step")?, leads.col("time_ps")?);
        let (dl, du) = (
            leads.col(&format!("disp_{lower}_A"))?,
            leads.col(&format!("disp_{upper}_A"))?,
        );
        let (fl, fu) = (
            leads.col(&format!("force_{lower}_nN"))?,
            leads.col(&format!("force_{upper}_nN"))?,
        );
        let rows = &leads.rows;
        Ok(LeadTrace {
            step: rows.iter().map(|r| r[cs] as u64).collect(),
            time_ps: rows.iter().map(|r| r[ct]).collect(),
            dh_a: rows.iter().map(|r| r[du] - r[dl]).collect(),
            force_nn: rows.iter().map(|r| 0.5 * (r[fl] - r[fu])).collect(),
        })
    }

    /// Index of the sample at `step`, or of the nearest one.
    fn at(&self, step: u64) -> usize {
        match self.step.binary_search(&step) {
            Ok(k) => k,
            Err(0) => 0,
            Err(k) if k >= self.step.len() => self.step.len() - 1,
            Err(k) => {
                if step - self.step[k - 1] <= self.step[k] - step {
                    k - 1
                } else {
                    k
                }
            }
        }
    }

    /// Mean force over the samples within `half` ps of `t` (at least the nearest one, `k`).
    fn window_mean(&self, k: usize, t: f64, half: f64) -> f64 {
        let lo = self.time_ps.partition_point(|&s| s < t - half);
        let hi = self.time_ps.partition_point(|&s| s <= t + half);
        if hi <= lo {
            return self.force_nn[k];
        }
        self.force_nn[lo..hi].iter().sum::<f64>() / (hi - lo) as f64
    }
}

/// One farmed frame with the lead signals at its step.
#[derive(Clone, Copy, Debug)]
struct FramePoint {
    step: u64,
    time_ps: f64,
    stage: usize,
    a0_a: f64,
    dh_a: f64,
    force_nn: f64,
    force_window_nn: f64,
    g_g0: f64,
}

/// Mean and (population) standard deviation.
fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n;
    (m, var.sqrt())
}

/// Pearson's r = cov(x, y)/(σ_x σ_y); NaN when either series is constant or shorter than 3.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    if x.len() != y.len() || x.len() < 3 {
        return f64::NAN;
    }
    let ((mx, sx), (my, sy)) = (mean_std(x), mean_std(y));
    if sx == 0.0 || sy == 0.0 {
        return f64::NAN;
    }
    let cov = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / x.len() as f64;
    cov / (sx * sy)
}

/// JSON number, or null for NaN.
fn num(v: f64) -> serde_json::Value {
    if v.is_finite() {
        json!(v)
    } else {
        serde_json::Value::Null
    }
}

/// Run the analysis; returns the JSON line.
pub fn run(opts: &Options) -> Result<String> {
    if !(opts.window_ps >= 0.0 && opts.window_ps.is_finite()) {
        return Err(Error::run(format!(
            "--window-ps {}: expected a finite width ≥ 0",
            opts.window_ps
        )));
    }
    let stages = CsvTable::read(&opts.run.join("stages.csv"))?;
    let trace = LeadTrace::read(&opts.run, &stages)?;
    if trace.step.is_empty() {
        return Err(Error::run(format!(
            "{}: leads.csv has no sample",
            opts.run.display()
        )));
    }
    let g_path = opts.farm.join("conductance.csv");
    let g = CsvTable::read(&g_path)?;
    let (gs, gt, gg) = (g.col("step")?, g.col("time_ps")?, g.col("G_G0")?);
    let c_first = stages.col("first_step")?;
    let a0_cols: Vec<usize> = lead_names(&stages)
        .iter()
        .map(|n| stages.col(&format!("a0_{n}_A")))
        .collect::<Result<_>>()?;
    let mut points = Vec::new();
    let mut max_gap = 0u64;
    for row in g.rows.iter().filter(|r| r[gg].is_finite()) {
        let step = row[gs] as u64;
        let k = trace.at(step);
        max_gap = max_gap.max(step.abs_diff(trace.step[k]));
        let stage_row = stages
            .rows
            .iter()
            .rposition(|s| s[c_first] as u64 <= step)
            .unwrap_or(0);
        let srow = &stages.rows[stage_row];
        points.push(FramePoint {
            step,
            time_ps: row[gt],
            stage: srow[0] as usize,
            a0_a: a0_cols.iter().map(|&c| srow[c]).fold(0.0, f64::max),
            dh_a: trace.dh_a[k],
            force_nn: trace.force_nn[k],
            force_window_nn: trace.window_mean(k, trace.time_ps[k], 0.5 * opts.window_ps),
            g_g0: row[gg],
        });
    }
    if points.is_empty() {
        return Err(Error::run(format!(
            "{}: no complete frame (G_G0 finite)",
            g_path.display()
        )));
    }
    points.sort_by_key(|p| p.step);
    let out = opts.out.clone().unwrap_or_else(|| opts.farm.clone());
    std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
    write_frames(&out, &points)?;
    let stats = write_stages(&out, &points)?;
    figures(&out, &trace, &points, opts.window_ps)?;
    log::info!(
        "{}: force_conductance.csv, force_conductance_stages.csv, force_conductance.png, \
         conductance_vs_force.png ({} frames; largest step gap to a lead sample {max_gap})",
        out.display(),
        points.len()
    );
    Ok(json!({
        "frames": points.len(),
        "window_ps": opts.window_ps,
        "max_step_gap": max_gap,
        "stages": stats,
    })
    .to_string())
}

fn write_frames(out: &Path, points: &[FramePoint]) -> Result<()> {
    let header = [
        "step",
        "time_ps",
        "stage",
        "a0_A",
        "dh_A",
        "force_nN",
        "force_window_nN",
        "G_G0",
    ];
    let mut w = CsvWriter::create(&out.join("force_conductance.csv"), &header)?;
    for p in points {
        w.append_row(&[
            p.step.into(),
            p.time_ps.into(),
            (p.stage as u64).into(),
            p.a0_a.into(),
            p.dh_a.into(),
            p.force_nn.into(),
            p.force_window_nn.into(),
            p.g_g0.into(),
        ])?;
    }
    Ok(())
}

/// Per-stage statistics, written and returned as JSON objects.
fn write_stages(out: &Path, points: &[FramePoint]) -> Result<Vec<serde_json::Value>> {
    let header = [
        "stage",
        "a0_A",
        "frames",
        "G_mean_G0",
        "G_std_G0",
        "force_window_mean_nN",
        "force_window_std_nN",
        "r_G_force",
        "r_G_dh",
    ];
    let mut w = CsvWriter::create(&out.join("force_conductance_stages.csv"), &header)?;
    let mut stats = Vec::new();
    let mut start = 0;
    while start < points.len() {
        let stage = points[start].stage;
        let end = start + points[start..].partition_point(|p| p.stage == stage);
        let s = &points[start..end];
        let g: Vec<f64> = s.iter().map(|p| p.g_g0).collect();
        let f: Vec<f64> = s.iter().map(|p| p.force_window_nn).collect();
        let dh: Vec<f64> = s.iter().map(|p| p.dh_a).collect();
        let ((gm, gsd), (fm, fsd)) = (mean_std(&g), mean_std(&f));
        let (r_f, r_h) = (pearson(&g, &f), pearson(&g, &dh));
        w.append_row(&[
            Cell::from(stage as u64),
            s[0].a0_a.into(),
            (s.len() as u64).into(),
            gm.into(),
            gsd.into(),
            fm.into(),
            fsd.into(),
            r_f.into(),
            r_h.into(),
        ])?;
        stats.push(json!({
            "stage": stage,
            "a0_A": s[0].a0_a,
            "frames": s.len(),
            "G_mean_G0": gm,
            "G_std_G0": gsd,
            "force_window_mean_nN": fm,
            "force_window_std_nN": fsd,
            "r_G_force": num(r_f),
            "r_G_dh": num(r_h),
        }));
        start = end;
    }
    Ok(stats)
}

fn figures(out: &Path, trace: &LeadTrace, points: &[FramePoint], window_ps: f64) -> Result<()> {
    let t: Vec<f64> = points.iter().map(|p| p.time_ps).collect();
    let (t0, t1) = (t[0], t[t.len() - 1]);
    // The lead samples over the farmed frames' time span only.
    let lo = trace.time_ps.partition_point(|&s| s < t0);
    let hi = trace.time_ps.partition_point(|&s| s <= t1).max(lo + 1);
    let ts = &trace.time_ps[lo..hi];
    let dh = Panel::new("t (ps)", "Δh (Å)")
        .line("imposed lead–lead displacement", ts, &trace.dh_a[lo..hi])
        .color(Color::BLUE)
        .hline(0.0);
    let fw: Vec<f64> = points.iter().map(|p| p.force_window_nn).collect();
    let force = Panel::new("t (ps)", "F (nN)")
        .line(
            "tensile force between the leads",
            ts,
            &trace.force_nn[lo..hi],
        )
        .color(Color::GRAY)
        .stroke(0.8)
        .points(&format!("mean over {window_ps} ps at the frames"), &t, &fw)
        .color(Color::BLACK)
        .marker(2.0)
        .hline(0.0);
    let g: Vec<f64> = points.iter().map(|p| p.g_g0).collect();
    let cond = Panel::new("t (ps)", "G (G₀)")
        .line("", &t, &g)
        .color(Color::RED)
        .stroke(1.0)
        .points("conductance of the frames", &t, &g)
        .color(Color::RED)
        .marker(2.0);
    Figure::stacked(
        "Force and conductance of the junction on one time axis",
        vec![dh, force, cond],
    )
    .size(1400, 1000)
    .save_png(&out.join("force_conductance.png"))?;
    Figure::new(
        "Conductance against force at the frames",
        Panel::new(format!("F, mean over {window_ps} ps (nN)"), "G (G₀)")
            .points("", &fw, &g)
            .color(Color::RED)
            .marker(2.5),
    )
    .save_png(&out.join("conductance_vs_force.png"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_of_linear_and_anti_linear_series() {
        let x: Vec<f64> = (0..20).map(|k| (k as f64 * 0.7).sin()).collect();
        let y: Vec<f64> = x.iter().map(|v| 3.0 * v - 1.0).collect();
        let z: Vec<f64> = x.iter().map(|v| -0.5 * v + 2.0).collect();
        assert!((pearson(&x, &y) - 1.0).abs() < 1e-12);
        assert!((pearson(&x, &z) + 1.0).abs() < 1e-12);
        assert!(pearson(&x, &[1.0; 20]).is_nan());
        // Orthogonal series: sin and cos over whole periods.
        let n = 400;
        let s: Vec<f64> = (0..n)
            .map(|k| (2.0 * std::f64::consts::PI * k as f64 / n as f64).sin())
            .collect();
        let c: Vec<f64> = (0..n)
            .map(|k| (2.0 * std::f64::consts::PI * k as f64 / n as f64).cos())
            .collect();
        assert!(pearson(&s, &c).abs() < 1e-12);
    }
}
