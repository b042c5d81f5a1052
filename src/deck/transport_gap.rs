//! `[gap]` of a transport deck: the conductance of the gap between two tips, cut out of each
//! frame and placed between ideal fcc(111) slabs (`transport::farm::gap`, the silver paper's
//! cut, seed 002, Methods). The lead regions are then the slabs' outer planes, so `[leads]`
//! gives at most its `axis` and `tolerance`.
//!
//! ```toml
//! [gap]
//! a = 4.09             # Å, cube edge of the slabs' fcc lattice (default: silver's 4.09)
//! cells = [3, 2]       # rectangular d × d√3 cells of the (111) planes across the axis (12 atoms
//!                      # per plane; the paper's hexagonal 3 × 3 cell has 9)
//! slab_planes = 5      # (111) planes of each slab; the outer two are the lead region
//! margin = 1.0         # Å: atoms within this of an apex plane belong to the tips
//! radius = 6.0         # Å: gap atoms farther from the tips' axis are left out (default: none)
//! apexes = [0.0, 8.3]  # Å: the apex planes along the axis (default: the first frame's, the
//!                      # two sides of its widest empty interval along the axis)
//! center = [26.3, 26.3]  # Å: the tips' axis across (default: the first frame's mean)
//! ```

use serde::Deserialize;

use crate::transport::farm::spec::GapSpec;

/// `[gap]`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GapDeck {
    #[serde(default = "default_a")]
    pub a: f64,
    #[serde(default = "default_cells")]
    pub cells: [usize; 2],
    #[serde(default = "default_slab_planes")]
    pub slab_planes: usize,
    #[serde(default = "default_margin")]
    pub margin: f64,
    pub radius: Option<f64>,
    pub apexes: Option<[f64; 2]>,
    pub center: Option<[f64; 2]>,
}

fn default_a() -> f64 {
    4.09
}
fn default_cells() -> [usize; 2] {
    [3, 2]
}
fn default_slab_planes() -> usize {
    5
}
fn default_margin() -> f64 {
    1.0
}

impl GapDeck {
    /// The first invalid key and what was expected, if any.
    pub fn invalid(&self) -> Option<(&'static str, String)> {
        if !(self.a.is_finite() && self.a > 0.0) {
            return Some(("a", format!("{} must be a positive length in Å", self.a)));
        }
        if self.cells.contains(&0) {
            return Some(("cells", "every direction needs at least one cell".into()));
        }
        if self.slab_planes < 2 {
            return Some((
                "slab_planes",
                format!(
                    "{}: each slab needs at least the two planes of its lead region",
                    self.slab_planes
                ),
            ));
        }
        if !(self.margin.is_finite() && self.margin >= 0.0) {
            return Some((
                "margin",
                format!("{} must be a non-negative length in Å", self.margin),
            ));
        }
        if let Some(r) = self.radius {
            if !(r.is_finite() && r > 0.0) {
                return Some(("radius", format!("{r} must be a positive length in Å")));
            }
        }
        if let Some([a, b]) = self.apexes {
            if !(a.is_finite() && b.is_finite() && b - a > 2.0 * self.margin) {
                return Some((
                    "apexes",
                    format!("[{a}, {b}]: expected [lower, upper] more than 2 margin apart"),
                ));
            }
        }
        if let Some(c) = self.center {
            if !c.iter().all(|x| x.is_finite()) {
                return Some(("center", format!("{c:?} must be finite")));
            }
        }
        None
    }

    /// The plain parameters of the transport layer.
    pub fn spec(&self) -> GapSpec {
        GapSpec {
            a: self.a,
            cells: self.cells,
            slab_planes: self.slab_planes,
            margin: self.margin,
            radius: self.radius,
            apexes: self.apexes,
            center: self.center,
        }
    }
}
