//! `nanocontact analyze structure INPUT [--frames SPEC] [--stage K] [--out DIR] ...`: the
//! cross-section and ρ(θ) of a run folder's frames or of one LAMMPS data file. Writes into the
//! output folder (default: the run folder, or the data file's folder)
//! - `cross_section_z.csv`: N(z) of every selected frame, one row per atomic layer (frame,
//!   step, time_ps, z_A, N);
//! - `cross_section.csv`: the neck of every frame (N_min, z_min_A, area_nm2, radius_nm), the
//!   number of interior atoms it gave ρ(θ) and their local structures (fcc, hcp, icosahedral,
//!   five_fold, other: [`super::common_neighbours`]);
//! - `rho_theta.csv`: ρ(θ) over all selected frames (theta_deg, count, rho_per_deg, and ρ
//!   smoothed as for the peak search);
//! - `rho_theta.png`, `cross_section.png` (N(z) of the first and last frame) and, for several
//!   frames, `neck_vs_time.png`;
//!
//! and returns one JSON line: the neck statistics over the frames, the ρ(θ) parameters and its
//! peaks, the local structures of its centres (`cna`: counts and fractions), and F_i = 2πγR when
//! γ is given.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::snapshots::{select_frames, Snapshots};
use super::{analyze, intrinsic_tension_nn, StructureParams, StructureResult};
use crate::error::{Error, Result};
use crate::io::csv::{Cell, CsvWriter};
use crate::plot::{Figure, Panel};

/// Options of `analyze structure`.
#[derive(Clone, Debug, clap::Args)]
pub struct StructureOptions {
    /// Run folder (with traj.h5) or LAMMPS data file.
    pub input: PathBuf,
    /// Frames: all, or i, a:b, a:b:s (Python slices, negative from the end), comma-separated.
    #[arg(long, default_value = "all", allow_hyphen_values = true)]
    pub frames: String,
    /// Only frames of this stage (the `stage` column of stages.csv); --frames then indexes
    /// within it.
    #[arg(long)]
    pub stage: Option<usize>,
    /// Output folder (default: the run folder, or the data file's folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Boundary of a data file's box.
    #[arg(long, default_value = "p p f")]
    pub boundary: String,
    #[command(flatten)]
    pub params: StructureParams,
    /// Gaussian smoothing of ρ(θ) for the peak search, degrees (0: none).
    #[arg(long, default_value_t = 2.0)]
    pub smooth_deg: f64,
    /// Surface energy γ, J/m²: adds the intrinsic tension F_i = 2πγR of the neck.
    #[arg(long)]
    pub gamma_j_m2: Option<f64>,
}

/// Peaks: higher than everything within ±10°, at least 5 % of the highest.
const PEAK_HALF_WINDOW_DEG: f64 = 10.0;
const PEAK_MIN_REL_HEIGHT: f64 = 0.05;

/// Run the analysis, write the tables, return the JSON line.
pub fn run(opts: &StructureOptions) -> Result<String> {
    let input = Snapshots::open(&opts.input, &opts.boundary)?;
    let pool: Vec<usize> = match opts.stage {
        Some(st) => {
            if !opts.input.is_dir() {
                return Err(Error::run("--stage needs a run folder"));
            }
            let f = input.stage_frames(st)?;
            if f.is_empty() {
                return Err(Error::run(format!(
                    "{}: stage {st} has no trajectory frame",
                    opts.input.display()
                )));
            }
            f
        }
        None => (0..input.n_frames()).collect(),
    };
    let frames: Vec<usize> = select_frames(&opts.frames, pool.len())?
        .into_iter()
        .map(|k| pool[k])
        .collect();
    let r = analyze(&input, &frames, &opts.params)?;
    let out = match &opts.out {
        Some(o) => o.clone(),
        None if opts.input.is_dir() => opts.input.clone(),
        None => opts
            .input
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
    };
    std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
    write_tables(&r, &out, opts.smooth_deg)?;
    write_figures(&r, &out, opts.smooth_deg)?;
    Ok(summary(&r, opts).to_string())
}

fn write_tables(r: &StructureResult, out: &Path, smooth_deg: f64) -> Result<()> {
    let mut prof = CsvWriter::create(
        &out.join("cross_section_z.csv"),
        &["frame", "step", "time_ps", "z_A", "N"],
    )?;
    let mut necks = CsvWriter::create(
        &out.join("cross_section.csv"),
        &[
            "frame",
            "step",
            "time_ps",
            "N_min",
            "z_min_A",
            "area_nm2",
            "radius_nm",
            "interior_atoms",
            "fcc",
            "hcp",
            "icosahedral",
            "five_fold",
            "other",
        ],
    )?;
    for s in &r.sections {
        let (z, n) = (&s.profile.z, &s.profile.counts);
        for (zk, nk) in z.iter().zip(n) {
            prof.append_row(&[
                s.frame.into(),
                s.step.into(),
                s.time_ps.into(),
                (*zk).into(),
                (*nk).into(),
            ])?;
        }
        let mut row: Vec<Cell> = vec![
            s.frame.into(),
            s.step.into(),
            s.time_ps.into(),
            s.neck.n_atoms.into(),
            s.neck.z_a.into(),
            s.neck.area_nm2.into(),
            s.neck.radius_nm.into(),
            s.interior.into(),
        ];
        row.extend(s.structures.named().iter().map(|&(_, n)| Cell::from(n)));
        necks.append_row(&row)?;
    }
    let mut rho_csv = CsvWriter::create(
        &out.join("rho_theta.csv"),
        &["theta_deg", "count", "rho_per_deg", "rho_smoothed_per_deg"],
    )?;
    let (theta, rho) = r.angles.series();
    let smooth = r.angles.smoothed(smooth_deg);
    for k in 0..theta.len() {
        let row: [Cell; 4] = [
            theta[k].into(),
            r.angles.counts[k].into(),
            rho[k].into(),
            smooth[k].into(),
        ];
        rho_csv.append_row(&row)?;
    }
    Ok(())
}

/// `rho_theta.png`: ρ(θ) with its smoothed curve (the gold paper's Fig. 1c);
/// `cross_section.png`: N(z) of the first and the last selected frame; `neck_vs_time.png`: the
/// neck's N over the frames, when there are several.
fn write_figures(r: &StructureResult, out: &Path, smooth_deg: f64) -> Result<()> {
    let (theta, rho) = r.angles.series();
    let smooth = r.angles.smoothed(smooth_deg);
    let angles = Panel::new("θ (°)", "ρ(θ) (1/°)")
        .line("ρ(θ)", &theta, &rho)
        .line(&format!("smoothed, σ = {smooth_deg}°"), &theta, &smooth)
        .x_range(0.0, 180.0);
    Figure::new("Bond angles of interior atoms near the neck", angles)
        .save_png(&out.join("rho_theta.png"))?;
    let (Some(first), Some(last)) = (r.sections.first(), r.sections.last()) else {
        return Ok(());
    };
    let shown = if r.sections.len() > 1 {
        vec![first, last]
    } else {
        vec![first]
    };
    let mut layers = Panel::new("z (Å)", "atoms per layer N");
    for s in shown {
        let (z, n) = s.profile.series();
        layers = layers.line(&format!("frame {} ({} ps)", s.frame, s.time_ps), &z, &n);
    }
    Figure::new("Cross-section of the junction", layers)
        .save_png(&out.join("cross_section.png"))?;
    if r.sections.len() > 1 {
        let t: Vec<f64> = r.sections.iter().map(|s| s.time_ps).collect();
        let n: Vec<f64> = r.sections.iter().map(|s| s.neck.n_atoms as f64).collect();
        Figure::new(
            "Neck size over the frames",
            Panel::new("t (ps)", "neck N").line("", &t, &n),
        )
        .save_png(&out.join("neck_vs_time.png"))?;
    }
    Ok(())
}

fn summary(r: &StructureResult, opts: &StructureOptions) -> serde_json::Value {
    let n: Vec<f64> = r.sections.iter().map(|s| s.neck.n_atoms as f64).collect();
    let m = n.len() as f64;
    let mean = n.iter().sum::<f64>() / m;
    let std = if n.len() > 1 {
        (n.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m - 1.0)).sqrt()
    } else {
        0.0
    };
    let r0 = opts.params.r0_nm;
    let area = mean * std::f64::consts::PI * r0 * r0;
    let radius = r0 * mean.sqrt();
    let (first, last) = (&r.sections[0], &r.sections[r.sections.len() - 1]);
    let peaks = r
        .angles
        .peaks(opts.smooth_deg, PEAK_HALF_WINDOW_DEG, PEAK_MIN_REL_HEIGHT);
    let a = &r.angles;
    let mut j = json!({
        "input": opts.input.display().to_string(),
        "frames": r.sections.len(),
        "first_step": first.step,
        "last_step": last.step,
        "slab_A": r.spacing_a,
        "r0_nm": r0,
        "N_min_mean": mean,
        "N_min_std": std,
        "N_min_first": first.neck.n_atoms,
        "N_min_last": last.neck.n_atoms,
        "z_min_A_last": last.neck.z_a,
        "area_nm2": area,
        "radius_nm": radius,
        "cutoff_A": opts.params.angles.cutoff_a,
        "min_coordination": opts.params.angles.min_coordination,
        "neck_half_width_A": opts.params.neck_half_width_a,
        "bin_deg": a.bin_deg,
        "smooth_deg": opts.smooth_deg,
        "interior_atoms": a.centres,
        "angles": a.total(),
        "angles_per_interior_atom": if a.centres > 0 { a.total() as f64 / a.centres as f64 } else { 0.0 },
        "peaks_deg": peaks.iter().map(|p| p.theta_deg).collect::<Vec<_>>(),
        "peaks_rho_per_deg": peaks.iter().map(|p| p.rho_per_deg).collect::<Vec<_>>(),
    });
    let st = &r.structures;
    let mut cna = serde_json::Map::new();
    for (name, n) in st.named() {
        cna.insert(name.to_string(), json!(n));
        let fraction = if st.total() > 0 {
            n as f64 / st.total() as f64
        } else {
            0.0
        };
        cna.insert(format!("{name}_fraction"), json!(fraction));
    }
    j["cna"] = serde_json::Value::Object(cna);
    if let Some(g) = opts.gamma_j_m2 {
        j["gamma_J_m2"] = json!(g);
        j["F_i_nN"] = json!(intrinsic_tension_nn(g, radius));
    }
    j
}
