//! `nanocontact analyze rheology RUN --area-nm2 S --h0-nm H [--skip-cycles K]`: the rheology fit
//! of every oscillation stage of a finished `nanocontact run`, from `RUN/stages.csv` (where each
//! stage starts and ends, each lead's drive a0 and f, and its centre along the axis) and
//! `RUN/leads.csv` (imposed displacement and force on each lead, sampled).
//!
//! For a stage in which one lead oscillates, the signal is h(t) = h0 + Δ(t) of the driven lead
//! and the tensile force between the leads, F = (F_other − F_driven)/2 · s, averaged over the two
//! leads to cancel the inertial part that only the driven side feels, with s = +1 when the driven
//! lead lies above the other along the axis and −1 below (so F > 0 pulls the leads together).
//! Results go to `RUN/rheology.csv`, one row per stage, and one JSON line per stage is printed.

use std::path::{Path, PathBuf};

use super::rheology::{omega_rad_per_ps, Drive, Rheology, Signal};
use super::rheology_cli::to_json_line;
use crate::error::{Error, Result};
use crate::io::csv::{Cell, CsvWriter};

/// Options of `analyze rheology RUN`.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub run: PathBuf,
    pub h0_nm: f64,
    pub area_nm2: f64,
    pub skip_cycles: usize,
}

/// A CSV file as a header and rows of numbers.
struct Table {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<Vec<f64>>,
}

impl Table {
    fn read(path: &Path) -> Result<Table> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut lines = text.lines().enumerate();
        let header: Vec<String> = match lines.next() {
            Some((_, h)) => h.split(',').map(|s| s.trim().to_string()).collect(),
            None => {
                return Err(Error::input(
                    path,
                    Some(1),
                    "empty file: expected a header line",
                ))
            }
        };
        let mut rows = Vec::new();
        for (k, l) in lines {
            if l.trim().is_empty() {
                continue;
            }
            let row: Vec<f64> = l
                .split(',')
                .map(|v| v.trim().parse::<f64>())
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| Error::input(path, Some(k + 1), "expected numbers"))?;
            if row.len() != header.len() {
                return Err(Error::input(
                    path,
                    Some(k + 1),
                    format!("expected {} values, found {}", header.len(), row.len()),
                ));
            }
            rows.push(row);
        }
        Ok(Table {
            path: path.to_path_buf(),
            header,
            rows,
        })
    }

    fn col(&self, name: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::input(&self.path, Some(1), format!("no column '{name}'")))
    }
}

/// Analyse every oscillation stage of a run; returns the JSON lines.
pub fn run(opts: &RunOptions) -> Result<Vec<String>> {
    let stages = Table::read(&opts.run.join("stages.csv"))?;
    let leads = Table::read(&opts.run.join("leads.csv"))?;
    // Lead names from the stages.csv columns a0_<lead>_A.
    let names: Vec<String> = stages
        .header
        .iter()
        .filter_map(|h| {
            h.strip_prefix("a0_")
                .and_then(|r| r.strip_suffix("_A"))
                .map(String::from)
        })
        .collect();
    let (c_first, c_last) = (stages.col("first_step")?, stages.col("last_step")?);
    let (c_step, c_time) = (leads.col("step")?, leads.col("time_ps")?);
    let header = [
        "stage",
        "a0_nm",
        "freq_GHz",
        "cycles",
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
    let mut out = CsvWriter::create(&opts.run.join("rheology.csv"), &header)?;
    let mut lines = Vec::new();
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
            area_nm2: opts.area_nm2,
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
        let vals: Vec<Cell> = vec![
            row[0].into(),
            (0.1 * a0_a).into(),
            f_ghz.into(),
            (fc.window.cycles as u64).into(),
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
        out.append_row(&vals)?;
        lines.push(to_json_line(&r));
    }
    if lines.is_empty() {
        return Err(Error::run(format!(
            "{}: no stage with an oscillating lead and a whole cycle in stages.csv",
            opts.run.display()
        )));
    }
    Ok(lines)
}
