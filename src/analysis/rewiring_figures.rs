//! Figures of `analyze rewiring` beyond the G trace: the histogram of the frames' conductance
//! in bins of 0.05 G0 (seed 002, Fig. 4), and the gap at the start of each stage as a side
//! view (seed 002, Fig. 3c): atoms in a slice through the tips' axis, projected on the x–z
//! plane, those in the gap in red.

use std::path::Path;

use crate::error::Result;
use crate::io::h5md::H5mdReader;
use crate::plot::{Color, Figure, Panel};

/// Bin width of the conductance histogram (G0), the paper's.
pub const HISTOGRAM_BIN_G0: f64 = 0.05;

/// Half thickness of the slice through the axis shown in the snapshots (Å): the atoms of the
/// central (001) plane of each tip and of the planes a/2 on either side.
const SLICE_A: f64 = 2.5;

/// How far beyond each apex plane the snapshots show the tips (Å).
const TIP_DEPTH_A: f64 = 8.0;

/// The histogram of `g_g0` in bins of [`HISTOGRAM_BIN_G0`].
pub fn histogram(path: &Path, g_g0: &[f64]) -> Result<()> {
    Figure::new(
        format!("Conductance of the frames ({HISTOGRAM_BIN_G0} G₀ bins)"),
        Panel::new("G (G₀)", "frames").histogram("", g_g0, HISTOGRAM_BIN_G0),
    )
    .save_png(path)
}

/// The frames of a run as the snapshots need them: time (ps) and G/G0 where known of each.
pub struct FrameTimes<'a> {
    pub time_ps: &'a [f64],
    pub g_g0: &'a [Option<f64>],
}

/// The gap at the first frame of each stage reached, one panel per stage, from the run's
/// `traj`: `stages` their start times (ps), `planes` the first frame's apex planes along z and
/// `axis` its axis position across z (Å).
pub fn snapshots(
    path: &Path,
    traj: &Path,
    frames: &FrameTimes,
    stages: &[Option<f64>; 4],
    planes: (f64, f64),
    axis: [f64; 2],
) -> Result<()> {
    let traj = H5mdReader::open(traj)?;
    let (lo, hi) = planes;
    let mut panels = Vec::new();
    for (stage, start) in stages.iter().enumerate() {
        let Some(t) = start else { continue };
        let Some(k) = frames.time_ps.iter().position(|f| f == t) else {
            continue;
        };
        let f = traj.frame(k)?;
        let (mut tip, mut gap) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
        for p in &f.positions {
            if (p[1] - axis[1]).abs() > SLICE_A
                || p[2] < lo - TIP_DEPTH_A
                || p[2] > hi + TIP_DEPTH_A
            {
                continue;
            }
            let side = if p[2] > lo + 1.0 && p[2] < hi - 1.0 {
                &mut gap
            } else {
                &mut tip
            };
            side.0.push(p[0] - axis[0]);
            side.1.push(p[2]);
        }
        let g = frames.g_g0[k].map_or(String::new(), |g| format!(", G = {g:.2} G₀"));
        panels.push(
            Panel::new("x − x_axis (Å)", "z (Å)")
                .x_range(-TIP_DEPTH_A - 4.0, TIP_DEPTH_A + 4.0)
                .y_range(lo - TIP_DEPTH_A, hi + TIP_DEPTH_A)
                .points("", &tip.0, &tip.1)
                .color(Color::GRAY)
                .points(
                    &format!("stage {}, {t:.1} ps{g}: gap atoms", stage + 1),
                    &gap.0,
                    &gap.1,
                )
                .color(Color::RED)
                .dashed("", &[-TIP_DEPTH_A - 4.0, TIP_DEPTH_A + 4.0], &[lo, lo])
                .color(Color::BLACK)
                .dashed("", &[-TIP_DEPTH_A - 4.0, TIP_DEPTH_A + 4.0], &[hi, hi])
                .color(Color::BLACK),
        );
    }
    if panels.is_empty() {
        return Ok(());
    }
    let n = panels.len() as u32;
    Figure::stacked(
        format!("the gap at the start of each stage (|y| < {SLICE_A} Å about the axis)"),
        panels,
    )
    .size(640, 360 * n)
    .save_png(path)
}
