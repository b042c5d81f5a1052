//! PNG figures of transport results: T(E) of one structure beside its open channels, and for a
//! farm the conductance trace G(t)/G0 and its histogram in bins of 0.05 G0 (the silver paper's
//! Fig. 4, seed 002).

use std::path::Path;

use crate::error::Result;
use crate::plot::{Figure, Panel};

/// Width of the conductance histogram's bins, in G0 (seed 002, Fig. 4).
pub const HISTOGRAM_BIN_G0: f64 = 0.05;

/// `transmission.png`: the k-averaged T(E) and the left lead's open channels against E − E_F.
pub fn transmission(
    out: &Path,
    energies_ev: &[f64],
    fermi_ev: f64,
    t: &[f64],
    open: &[f64],
) -> Result<()> {
    let x: Vec<f64> = energies_ev.iter().map(|e| e - fermi_ev).collect();
    let panel = Panel::new("E − E_F (eV)", "T(E)")
        .line("T(E)", &x, t)
        .dashed("open channels", &x, open);
    Figure::new(format!("Transmission (E_F = {fermi_ev:.4} eV)"), panel)
        .save_png(&out.join("transmission.png"))
}

/// `conductance.png` (G/G0 against time) and `conductance_histogram.png` (counts of G/G0 in
/// bins of [`HISTOGRAM_BIN_G0`]) of the frames of a farm.
pub fn conductance_trace(out: &Path, time_ps: &[f64], g_g0: &[f64]) -> Result<()> {
    Figure::new(
        "Conductance of the frames",
        Panel::new("t (ps)", "G (G₀)").line("", time_ps, g_g0),
    )
    .save_png(&out.join("conductance.png"))?;
    Figure::new(
        format!("Conductance histogram ({HISTOGRAM_BIN_G0} G₀ bins)"),
        Panel::new("G (G₀)", "frames").histogram("", g_g0, HISTOGRAM_BIN_G0),
    )
    .save_png(&out.join("conductance_histogram.png"))
}
