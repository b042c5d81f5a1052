//! PNG figures of analysis results, pure Rust: no system library and no system font (the text
//! is DejaVu Sans, embedded in the binary).
//!
//! A [`Figure`] is a title over one or more [`Panel`]s stacked vertically that share the x
//! axis (force and conductance against time, say); only the bottom panel labels it. A panel
//! has axis labels, automatic or fixed ranges with readable tick labels, and series: lines,
//! dashed lines, points, points with vertical error bars, histogram bars and horizontal
//! reference lines, each with an optional legend entry. Colours come from a palette in the
//! order the series are added, unless [`Panel::color`] sets one.
//!
//! ```no_run
//! use nanocontact::plot::{Figure, Panel};
//! # fn main() -> nanocontact::error::Result<()> {
//! let a0 = [0.05, 0.10, 0.15, 0.20];
//! let panel = Panel::new("a0 (nm)", "G (GPa)")
//!     .errorbars("G'", &a0, &[87.0, 85.0, 83.0, 23.0], &[2.2, 0.9, 0.6, 2.2])
//!     .errorbars("G''", &a0, &[0.0, 0.9, 1.4, 41.0], &[2.0, 1.1, 0.6, 4.1])
//!     .hline(0.0);
//! Figure::new("G' and G'' at 10 GHz", panel).save_png("g.png".as_ref())?;
//! # Ok(())
//! # }
//! ```
//!
//! Other figures are one call each:
//!
//! ```text
//! T(E):             Figure::new(t, Panel::new("E − E_F (eV)", "T(E)").line("T", &e, &tr))
//! F and G against t: Figure::stacked(t, vec![Panel::new("t (ps)", "F (nN)").line("", &t, &f),
//!                                            Panel::new("t (ps)", "G (G₀)").line("", &t, &g)])
//! G/G₀ histogram:   Figure::new(t, Panel::new("G (G₀)", "counts").histogram("", &g, 0.05))
//! ρ(θ), N(z):       Figure::new(t, Panel::new("θ (°)", "ρ(θ)").line("interior", &th, &rho))
//! ```
//!
//! The legend goes to the corner where it hides the fewest data, raising the top of an
//! automatic y range when every corner is taken; [`Panel::legend`] fixes it.
//!
//! Non-finite values are left out (a line breaks there), and what lies outside a fixed range
//! is clipped. Mismatched lengths and bad sizes are reported by [`Figure::render`] and
//! [`Figure::save_png`] as errors naming the series, never as a panic.

mod render;
mod text;
mod ticks;

use std::path::Path;

use crate::error::{Error, Result};

pub use ticks::{nice_step, Ticks};

/// An RGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub const BLUE: Color = Color(31, 119, 180);
    pub const RED: Color = Color(214, 39, 40);
    pub const BLACK: Color = Color(0, 0, 0);
    pub const GREEN: Color = Color(44, 160, 44);
    pub const ORANGE: Color = Color(255, 127, 14);
    pub const PURPLE: Color = Color(148, 103, 189);
    pub const BROWN: Color = Color(140, 86, 75);
    pub const GRAY: Color = Color(127, 127, 127);
}

/// The colours given to series in the order they are added (the "tab10" cycle).
pub const PALETTE: [Color; 8] = [
    Color::BLUE,
    Color::RED,
    Color::BLACK,
    Color::GREEN,
    Color::ORANGE,
    Color::PURPLE,
    Color::BROWN,
    Color::GRAY,
];

/// Where the legend sits inside the plotting area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corner {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
}

/// How a series is drawn.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// A polyline through the points, solid or dashed.
    Line { dashed: bool },
    /// A filled circle at each point.
    Points,
    /// A filled circle at each point and a vertical bar of ± the error.
    ErrorBars { err: Vec<f64> },
    /// Bars from 0 to y over [edges[k], edges[k+1]]; `x` holds the n + 1 edges.
    Bars,
    /// A thin line at y across the panel.
    HLine,
}

/// One series of a panel.
#[derive(Clone, Debug, PartialEq)]
struct Series {
    label: String,
    kind: Kind,
    x: Vec<f64>,
    y: Vec<f64>,
    color: Option<Color>,
    /// Marker radius in pixels at the default width (points and error bars).
    marker: Option<f64>,
    /// Line width in pixels at the default width (lines).
    stroke: Option<f64>,
}

/// Counts of values in bins of equal width aligned on multiples of the width, [k·w, (k+1)·w):
/// the conductance histogram in bins of 0.05 G0, say.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    /// Bin edges, n + 1 for n bins, from the lowest to the highest occupied bin.
    pub edges: Vec<f64>,
    /// Number of values in each bin.
    pub counts: Vec<f64>,
}

impl Histogram {
    /// Bin the finite `values` in bins of `width` (> 0) aligned on multiples of it. No finite
    /// value, or a width that is not positive and finite, gives an empty histogram.
    pub fn new(values: &[f64], width: f64) -> Histogram {
        let empty = Histogram {
            edges: Vec::new(),
            counts: Vec::new(),
        };
        if !(width.is_finite() && width > 0.0) {
            return empty;
        }
        let bins: Vec<i64> = values
            .iter()
            .filter(|v| v.is_finite())
            .map(|v| (v / width).floor() as i64)
            .collect();
        let (Some(&lo), Some(&hi)) = (bins.iter().min(), bins.iter().max()) else {
            return empty;
        };
        let mut counts = vec![0.0; (hi - lo + 1) as usize];
        for b in bins {
            counts[(b - lo) as usize] += 1.0;
        }
        Histogram {
            edges: (lo..=hi + 1).map(|k| k as f64 * width).collect(),
            counts,
        }
    }
}

/// One plotting area: axis labels, ranges, series and legend position. Built by chaining.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    x_label: String,
    y_label: String,
    x_range: Option<(f64, f64)>,
    y_range: Option<(f64, f64)>,
    series: Vec<Series>,
    legend: Option<Corner>,
}

impl Panel {
    /// An empty panel with these axis labels (units in parentheses, by convention).
    pub fn new(x_label: impl Into<String>, y_label: impl Into<String>) -> Panel {
        Panel {
            x_label: x_label.into(),
            y_label: y_label.into(),
            x_range: None,
            y_range: None,
            series: Vec::new(),
            legend: None,
        }
    }

    /// Fix the x range (default: the data's, padded). For stacked panels the x range of the
    /// first panel that fixes one holds for all.
    pub fn x_range(mut self, lo: f64, hi: f64) -> Panel {
        self.x_range = Some((lo, hi));
        self
    }

    /// Fix the y range (default: the data's, padded; from 0 when bars start there).
    pub fn y_range(mut self, lo: f64, hi: f64) -> Panel {
        self.y_range = Some((lo, hi));
        self
    }

    /// Put the legend in this corner (default: the corner that hides the fewest data).
    pub fn legend(mut self, corner: Corner) -> Panel {
        self.legend = Some(corner);
        self
    }

    fn push(mut self, label: &str, kind: Kind, x: &[f64], y: &[f64]) -> Panel {
        self.series.push(Series {
            label: label.to_string(),
            kind,
            x: x.to_vec(),
            y: y.to_vec(),
            color: None,
            marker: None,
            stroke: None,
        });
        self
    }

    /// A solid line through (x, y). An empty `label` adds no legend entry (as for every
    /// series).
    pub fn line(self, label: &str, x: &[f64], y: &[f64]) -> Panel {
        self.push(label, Kind::Line { dashed: false }, x, y)
    }

    /// A dashed line through (x, y).
    pub fn dashed(self, label: &str, x: &[f64], y: &[f64]) -> Panel {
        self.push(label, Kind::Line { dashed: true }, x, y)
    }

    /// A filled circle at each (x, y).
    pub fn points(self, label: &str, x: &[f64], y: &[f64]) -> Panel {
        self.push(label, Kind::Points, x, y)
    }

    /// Points with vertical error bars y ± err.
    pub fn errorbars(self, label: &str, x: &[f64], y: &[f64], err: &[f64]) -> Panel {
        let kind = Kind::ErrorBars { err: err.to_vec() };
        self.push(label, kind, x, y)
    }

    /// Bars of the given heights between consecutive `edges` (one more edge than heights).
    pub fn bars(self, label: &str, edges: &[f64], heights: &[f64]) -> Panel {
        self.push(label, Kind::Bars, edges, heights)
    }

    /// The histogram of `values` in bins of `bin_width` aligned on its multiples (see
    /// [`Histogram`]), as bars.
    pub fn histogram(self, label: &str, values: &[f64], bin_width: f64) -> Panel {
        let h = Histogram::new(values, bin_width);
        self.bars(label, &h.edges, &h.counts)
    }

    /// A thin grey reference line at y across the panel (no legend entry).
    pub fn hline(mut self, y: f64) -> Panel {
        self = self.push("", Kind::HLine, &[], &[y]);
        self.color(Color::GRAY)
    }

    /// Set the colour of the series added last (no effect on an empty panel).
    pub fn color(mut self, c: Color) -> Panel {
        if let Some(s) = self.series.last_mut() {
            s.color = Some(c);
        }
        self
    }

    /// Set the marker radius, in pixels at the default width (4), of the series added last
    /// (points and error bars; no effect on others).
    pub fn marker(mut self, radius_px: f64) -> Panel {
        if let Some(s) = self.series.last_mut() {
            s.marker = Some(radius_px);
        }
        self
    }

    /// Set the line width, in pixels at the default width (2.5), of the series added last
    /// (lines; no effect on others).
    pub fn stroke(mut self, width_px: f64) -> Panel {
        if let Some(s) = self.series.last_mut() {
            s.stroke = Some(width_px);
        }
        self
    }

    /// The x values that set the automatic x range.
    fn x_data(&self) -> impl Iterator<Item = f64> + '_ {
        self.series
            .iter()
            .filter(|s| s.kind != Kind::HLine)
            .flat_map(|s| s.x.iter().copied())
    }

    /// The points that a legend should not hide: every point, 8 more along each line segment,
    /// the centre and the top of each bar, the ends of each error bar.
    fn ink(&self) -> Vec<(f64, f64)> {
        let mut v = Vec::new();
        for s in &self.series {
            let n = s.x.len().min(s.y.len());
            match &s.kind {
                Kind::Line { .. } => {
                    for k in 0..n {
                        v.push((s.x[k], s.y[k]));
                        if k + 1 < n {
                            for j in 1..=8 {
                                let w = j as f64 / 9.0;
                                v.push((
                                    s.x[k] + w * (s.x[k + 1] - s.x[k]),
                                    s.y[k] + w * (s.y[k + 1] - s.y[k]),
                                ));
                            }
                        }
                    }
                }
                Kind::Points => v.extend((0..n).map(|k| (s.x[k], s.y[k]))),
                Kind::ErrorBars { err } => {
                    for ((&x, &y), e) in s.x.iter().zip(&s.y).zip(err) {
                        v.extend([(x, y - e.abs()), (x, y), (x, y + e.abs())]);
                    }
                }
                Kind::Bars => {
                    for k in 0..s.y.len().min(s.x.len().saturating_sub(1)) {
                        let xc = 0.5 * (s.x[k] + s.x[k + 1]);
                        v.extend([(xc, s.y[k]), (xc, 0.5 * s.y[k])]);
                    }
                }
                Kind::HLine => {}
            }
        }
        v.retain(|(x, y)| x.is_finite() && y.is_finite());
        v
    }

    /// The y range: fixed, or from the data (error bars and the bars' base included).
    fn y_axis(&self) -> (f64, f64) {
        if let Some(r) = self.y_range {
            return r;
        }
        let mut vals = Vec::new();
        let mut base_zero = false;
        for s in &self.series {
            match &s.kind {
                Kind::ErrorBars { err } => {
                    for (y, e) in s.y.iter().zip(err) {
                        vals.extend([y - e.abs(), y + e.abs()]);
                    }
                }
                Kind::Bars => {
                    vals.extend(&s.y);
                    vals.push(0.0);
                    base_zero = true;
                }
                _ => vals.extend(&s.y),
            }
        }
        let data = ticks::data_range(vals);
        let pinned = data.map_or([false; 2], |(lo, hi)| {
            [base_zero && lo == 0.0, base_zero && hi == 0.0]
        });
        ticks::axis_range(data, 0.05, pinned)
    }

    /// Mismatched lengths and bad ranges, named.
    fn check(&self, which: usize) -> Result<()> {
        let bad = |msg: String| Err(Error::run(format!("plot panel {}: {msg}", which + 1)));
        for s in &self.series {
            let name = if s.label.is_empty() {
                "(unlabelled)"
            } else {
                &s.label
            };
            let (nx, ny) = (s.x.len(), s.y.len());
            match &s.kind {
                Kind::Bars if !(nx == ny + 1 || nx == 0 && ny == 0) => {
                    return bad(format!(
                        "bars '{name}' have {nx} edges for {ny} heights (need one more edge)"
                    ));
                }
                Kind::ErrorBars { err } if err.len() != ny || nx != ny => {
                    return bad(format!(
                        "series '{name}' has {nx} x, {ny} y and {} error values",
                        err.len()
                    ));
                }
                Kind::Line { .. } | Kind::Points if nx != ny => {
                    return bad(format!("series '{name}' has {nx} x and {ny} y values"));
                }
                _ => {}
            }
        }
        for (axis, r) in [("x", self.x_range), ("y", self.y_range)] {
            if let Some((lo, hi)) = r {
                if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                    return bad(format!("the {axis} range [{lo}, {hi}] is not increasing"));
                }
            }
        }
        Ok(())
    }
}

/// A title over panels stacked vertically that share the x axis, of a size in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    title: String,
    width: u32,
    height: u32,
    panels: Vec<Panel>,
}

/// The default size of a one-panel figure, pixels; each further stacked panel adds 300 px of
/// height.
pub const DEFAULT_SIZE: (u32, u32) = (900, 600);

impl Figure {
    /// A figure of one panel.
    pub fn new(title: impl Into<String>, panel: Panel) -> Figure {
        Figure::stacked(title, vec![panel])
    }

    /// Panels stacked from top to bottom, sharing the x axis (its range: the first fixed one,
    /// else all panels' data).
    pub fn stacked(title: impl Into<String>, panels: Vec<Panel>) -> Figure {
        let extra = panels.len().saturating_sub(1) as u32;
        Figure {
            title: title.into(),
            width: DEFAULT_SIZE.0,
            height: DEFAULT_SIZE.1 + 300 * extra,
            panels,
        }
    }

    /// Set the size in pixels (each side from 100 to 10,000).
    pub fn size(mut self, width: u32, height: u32) -> Figure {
        self.width = width;
        self.height = height;
        self
    }

    /// The shared x range.
    fn x_axis(&self) -> (f64, f64) {
        if let Some(r) = self.panels.iter().find_map(|p| p.x_range) {
            return r;
        }
        let data = ticks::data_range(self.panels.iter().flat_map(Panel::x_data));
        ticks::axis_range(data, 0.02, [false; 2])
    }
}

/// A rendered figure: 8-bit RGB pixels, row by row from the top left, and where each panel's
/// data coordinates land.
#[derive(Clone, Debug)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    /// 3·width·height bytes.
    pub rgb: Vec<u8>,
    /// One per panel, top to bottom.
    pub frames: Vec<Frame>,
}

/// The mapping from a panel's data coordinates to pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Data range of the x axis.
    pub x: (f64, f64),
    /// Data range of the y axis.
    pub y: (f64, f64),
    /// Pixel columns of x.0 and x.1.
    pub px: (i32, i32),
    /// Pixel rows of y.0 and y.1 (the first is the larger: rows grow downwards).
    pub py: (i32, i32),
}

impl Frame {
    /// The pixel (column, row) of the data point (x, y).
    pub fn to_pixel(&self, x: f64, y: f64) -> (i32, i32) {
        (
            map_to_pixel(x, self.x, self.px),
            map_to_pixel(y, self.y, self.py),
        )
    }
}

/// The pixel of `v` on an axis from `range.0` at pixel `px.0` to `range.1` at `px.1`, rounded
/// as plotters rounds its own axes.
fn map_to_pixel(v: f64, range: (f64, f64), px: (i32, i32)) -> i32 {
    let d = (v - range.0) / (range.1 - range.0) * (px.1 - px.0) as f64;
    px.0 + if px.1 >= px.0 {
        (d + 1e-3).floor()
    } else {
        (d - 1e-3).ceil()
    } as i32
}

impl Raster {
    /// The colour of pixel (column, row); `None` outside the image.
    pub fn pixel(&self, col: i32, row: i32) -> Option<Color> {
        if col < 0 || row < 0 || col as u32 >= self.width || row as u32 >= self.height {
            return None;
        }
        let k = 3 * (row as usize * self.width as usize + col as usize);
        Some(Color(self.rgb[k], self.rgb[k + 1], self.rgb[k + 2]))
    }

    /// Whether a pixel within `radius` of (col, row) shows colour `c` laid over the white
    /// background with an opacity of at least 0.4 (lines are anti-aliased): the same opacity in
    /// every channel that `c` darkens. A check for tests that a series is drawn where its data
    /// map ([`Frame::to_pixel`]).
    pub fn shows(&self, c: Color, (col, row): (i32, i32), radius: i32) -> bool {
        let blend_of = |p: Color| {
            let mut lo = f64::MAX;
            let mut hi = f64::MIN;
            for (pi, ci) in [(p.0, c.0), (p.1, c.1), (p.2, c.2)] {
                if ci < 200 {
                    let a = (255.0 - pi as f64) / (255.0 - ci as f64);
                    lo = lo.min(a);
                    hi = hi.max(a);
                } else if (pi as i32 - ci as i32).abs() > 60 {
                    return false;
                }
            }
            lo >= 0.4 && hi <= 1.02 && hi - lo < 0.08
        };
        (-radius..=radius).any(|dy| {
            (-radius..=radius).any(|dx| self.pixel(col + dx, row + dy).is_some_and(blend_of))
        })
    }

    /// The image as PNG bytes.
    pub fn encode_png(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, self.width, self.height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let err = |e: png::EncodingError| Error::run(format!("PNG encoding: {e}"));
        let mut w = enc.write_header().map_err(err)?;
        w.write_image_data(&self.rgb).map_err(err)?;
        w.finish().map_err(err)?;
        Ok(out)
    }

    /// Write the image as a PNG file.
    pub fn save_png(&self, path: &Path) -> Result<()> {
        let bytes = self.encode_png()?;
        std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_bins_are_aligned_on_the_width() {
        let h = Histogram::new(&[0.01, 0.04, 0.06, 0.99, 1.0, f64::NAN], 0.05);
        assert_eq!(h.edges.len(), h.counts.len() + 1);
        assert!((h.edges[0] - 0.0).abs() < 1e-15);
        assert!((h.edges[h.counts.len()] - 1.05).abs() < 1e-12);
        assert_eq!(h.counts[0], 2.0);
        assert_eq!(h.counts[1], 1.0);
        assert_eq!(h.counts[19], 1.0);
        assert_eq!(h.counts[20], 1.0);
        assert_eq!(h.counts.iter().sum::<f64>(), 5.0);
        let neg = Histogram::new(&[-0.12], 0.05);
        assert_eq!(neg.counts, [1.0]);
        assert!((neg.edges[0] + 0.15).abs() < 1e-12);
        assert!(Histogram::new(&[], 0.05).counts.is_empty());
        assert!(Histogram::new(&[1.0], 0.0).counts.is_empty());
    }

    #[test]
    fn automatic_ranges() {
        let p = Panel::new("x", "y")
            .errorbars("a", &[0.0, 1.0], &[1.0, 2.0], &[0.5, 1.0])
            .hline(-1.0);
        assert_eq!(p.y_axis(), (-1.0 - 0.2, 3.0 + 0.2));
        let b = Panel::new("x", "n").bars("", &[0.0, 1.0, 2.0], &[3.0, 10.0]);
        assert_eq!(b.y_axis(), (0.0, 10.5));
        let f = Figure::stacked(
            "",
            vec![
                Panel::new("t", "F").line("", &[1.0, 2.0], &[0.0, 0.0]),
                Panel::new("t", "G").line("", &[0.0, 5.0], &[0.0, 0.0]),
            ],
        );
        assert_eq!(f.x_axis(), (-0.1, 5.1));
        assert_eq!((f.width, f.height), (900, 900));
    }

    #[test]
    fn bad_series_are_errors() {
        let msg = |p: Panel| {
            Figure::new("t", p)
                .render()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        let m = msg(Panel::new("x", "y").line("F", &[1.0, 2.0], &[1.0]));
        assert!(m.contains("'F' has 2 x and 1 y"), "{m}");
        let m = msg(Panel::new("x", "y").bars("h", &[1.0, 2.0], &[1.0, 2.0]));
        assert!(m.contains("2 edges for 2 heights"), "{m}");
        let m = msg(Panel::new("x", "y").errorbars("G", &[1.0], &[1.0], &[]));
        assert!(m.contains("0 error values"), "{m}");
        let m = msg(Panel::new("x", "y").x_range(1.0, 1.0));
        assert!(m.contains("x range [1, 1]"), "{m}");
        let e = Figure::new("t", Panel::new("x", "y"))
            .size(50, 400)
            .render();
        assert!(e.is_err());
        assert!(Figure::stacked("t", vec![]).render().is_err());
    }
}
