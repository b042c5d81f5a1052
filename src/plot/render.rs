//! Drawing a [`Figure`] with `plotters` into an RGB buffer: text through [`TextBackend`], ticks are placed by [`Ticks`], lines are clipped to the axis ranges here (plotters
//! would squash points outside onto the border).

use std::fmt::Display;
use std::path::Path;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::Color as _;

use super::text::{font, TextBackend};
use super::ticks::Ticks;
use super::{map_to_pixel, Color, Corner, Figure, Frame, Kind, Panel, Raster, PALETTE};
use crate::error::{Error, Result};

/// Drawing and saving, kept beside the renderer so that the figure types do not depend on it.
impl Figure {
    /// Draw the figure into an RGB buffer. Errors: no panel, a size outside 100–10,000 px,
    /// series of mismatched lengths, a fixed range that is not increasing.
    pub fn render(&self) -> Result<Raster> {
        if self.panels.is_empty() {
            return Err(Error::run(format!("figure '{}' has no panel", self.title)));
        }
        for (side, v) in [("width", self.width), ("height", self.height)] {
            if !(100..=10_000).contains(&v) {
                return Err(Error::run(format!(
                    "figure '{}': {side} {v} px is outside 100 to 10000",
                    self.title
                )));
            }
        }
        for (k, p) in self.panels.iter().enumerate() {
            p.check(k)
                .map_err(|e| Error::run(format!("figure '{}': {e}", self.title)))?;
        }
        draw(self)
    }

    /// Render and write the figure as a PNG file. Errors as [`Figure::render`], and an I/O
    /// error naming `path` when it cannot be written.
    pub fn save_png(&self, path: &Path) -> Result<()> {
        self.render()?.save_png(path)
    }
}

/// The family name in plotters' text styles (the text itself is drawn by [`TextBackend`]).
const FONT: &str = "sans-serif";

/// An axis of plotters with our ticks and our pixel mapping ([`map_to_pixel`], which
/// [`Frame::to_pixel`] shares).
#[derive(Clone)]
struct TickAxis {
    range: (f64, f64),
    ticks: Vec<f64>,
}

impl Ranged for TickAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        map_to_pixel(*value, self.range, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Grid lines and labels at the ticks only (no light mesh).
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.range.0..self.range.1
    }
}

/// A plotters error as text.
fn text<E: Display>(e: E) -> String {
    e.to_string()
}

fn rgb(c: Color) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Sizes in pixels at the default width, scaled with the figure's width.
struct Scale(f64);

impl Scale {
    fn px(&self, v: f64) -> u32 {
        (v * self.0).round().max(1.0) as u32
    }
}

/// Draw the figure (already checked by [`Figure::render`]).
fn draw(fig: &Figure) -> Result<Raster> {
    let font = font()?;
    let (w, h) = (fig.width, fig.height);
    let mut rgb_buf = vec![255u8; 3 * w as usize * h as usize];
    let frames = draw_into(
        fig,
        TextBackend::new(BitMapBackend::with_buffer(&mut rgb_buf, (w, h)), font),
    )
    .map_err(|e| Error::run(format!("figure '{}': {e}", fig.title)))?;
    Ok(Raster {
        width: w,
        height: h,
        rgb: rgb_buf,
        frames,
    })
}

fn draw_into(fig: &Figure, backend: TextBackend) -> std::result::Result<Vec<Frame>, String> {
    let s = Scale((fig.width as f64 / super::DEFAULT_SIZE.0 as f64).clamp(0.5, 4.0));
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(text)?;
    let body = if fig.title.is_empty() {
        root.clone()
    } else {
        root.titled(&fig.title, (FONT, s.px(22.0))).map_err(text)?
    };
    let x = fig.x_axis();
    let xt = Ticks::new(x.0, x.1, 7);
    let n = fig.panels.len();
    let areas = body.split_evenly((n, 1));
    // One y label width for all panels, so that stacked panels line up.
    let y_area = fig
        .panels
        .iter()
        .map(|p| {
            let y = p.y_axis();
            let yt = Ticks::new(y.0, y.1, 6);
            let label =
                |l: &String| root.estimate_text_size(l, &(FONT, s.px(15.0)).into_text_style(&root));
            yt.labels
                .iter()
                .filter_map(|l| label(l).ok())
                .map(|(w, _)| w)
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
        + 2 * s.px(18.0)
        + s.px(14.0);
    let mut frames = Vec::with_capacity(n);
    for (k, (area, panel)) in areas.iter().zip(&fig.panels).enumerate() {
        let f = draw_panel(area, panel, (x, &xt), y_area, k + 1 == n, &s)
            .map_err(|e| format!("panel {}: {e}", k + 1))?;
        frames.push(f);
    }
    root.present().map_err(text)?;
    Ok(frames)
}

/// The label of the tick at `v`.
fn tick_label(t: &Ticks, v: f64) -> String {
    t.at.iter()
        .position(|&a| (a - v).abs() <= 1e-6 * t.step)
        .map(|k| t.labels[k].clone())
        .unwrap_or_default()
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    (x, xt): ((f64, f64), &Ticks),
    y_area: u32,
    bottom: bool,
    s: &Scale,
) -> std::result::Result<Frame, String> {
    let (tick_px, desc_px) = (s.px(15.0), s.px(18.0));
    let margins = [
        s.px(10.0),
        s.px(if bottom { 6.0 } else { 2.0 }),
        s.px(6.0),
        s.px(24.0),
    ];
    let x_area = if bottom {
        tick_px + 2 * desc_px + s.px(10.0)
    } else {
        s.px(8.0)
    };
    let labels: Vec<&str> = p
        .series
        .iter()
        .filter(|s| !s.label.is_empty())
        .map(|s| s.label.as_str())
        .collect();
    let mut y = p.y_axis();
    let corner = (!labels.is_empty()).then(|| {
        p.legend.unwrap_or_else(|| {
            // The legend's size as fractions of the plotting area.
            let style = (FONT, tick_px).into_text_style(area);
            let text_w = labels
                .iter()
                .filter_map(|l| area.estimate_text_size(l, &style).ok())
                .map(|(w, _)| w)
                .max()
                .unwrap_or(0);
            let (aw, ah) = area.dim_in_pixel();
            let plot_w = aw.saturating_sub(y_area + margins[2] + margins[3]).max(1);
            let plot_h = ah.saturating_sub(x_area + margins[0] + margins[1]).max(1);
            let fw = (text_w + s.px(50.0)) as f64 / plot_w as f64;
            let fh = (labels.len() as u32 * s.px(24.0) + s.px(20.0)) as f64 / plot_h as f64;
            let ink = p.ink();
            let (c, hidden) = least_hidden_corner(&ink, x, y, (fw, fh));
            if hidden > 0 && p.y_range.is_none() && fh < 0.5 {
                // Raise the top of the automatic range so that the legend fits above the data.
                y.1 += (y.1 - y.0) * fh / (1.0 - fh);
                least_hidden_corner(&ink, x, y, (fw, fh)).0
            } else {
                c
            }
        })
    });
    let yt = Ticks::new(y.0, y.1, 6);
    let mut chart = ChartBuilder::on(area)
        .margin_top(margins[0])
        .margin_bottom(margins[1])
        .margin_left(margins[2])
        .margin_right(margins[3])
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            TickAxis {
                range: x,
                ticks: xt.at.clone(),
            },
            TickAxis {
                range: y,
                ticks: yt.at.clone(),
            },
        )
        .map_err(text)?;
    let x_fmt = |v: &f64| {
        if bottom {
            tick_label(xt, *v)
        } else {
            String::new()
        }
    };
    let y_fmt = |v: &f64| tick_label(&yt, *v);
    {
        let mut mesh = chart.configure_mesh();
        mesh.x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .y_desc(p.y_label.as_str())
            .label_style((FONT, tick_px))
            .axis_desc_style((FONT, desc_px))
            .bold_line_style(RGBColor(225, 225, 225))
            .axis_style(BLACK);
        if bottom {
            mesh.x_desc(p.x_label.as_str());
        }
        mesh.draw().map_err(text)?;
    }
    let mut auto = 0;
    for series in &p.series {
        let c = match (series.color, &series.kind) {
            (Some(c), _) => c,
            (None, Kind::HLine) => Color::GRAY,
            (None, _) => {
                auto += 1;
                PALETTE[(auto - 1) % PALETTE.len()]
            }
        };
        let col = rgb(c);
        let marker = series.marker.map_or(s.px(4.0), |r| s.px(r.max(0.5)));
        let legend_marker = marker.max(s.px(4.0));
        let lw = s.px(series.stroke.unwrap_or(2.5).max(0.5));
        let inside = |a: f64, b: f64| a >= x.0 && a <= x.1 && b >= y.0 && b <= y.1;
        let finite = |k: usize| series.x[k].is_finite() && series.y[k].is_finite();
        match &series.kind {
            Kind::Line { dashed } => {
                let style = col.stroke_width(lw);
                let (columns, rows) = chart.plotting_area().dim_in_pixel();
                let pad = 0.5 * lw as f64 * (y.1 - y.0) / rows.max(1) as f64;
                for seg in clip_polyline(&series.x, &series.y, x, y) {
                    let band = (!*dashed)
                        .then(|| dense_band(&seg, x, columns, pad))
                        .flatten();
                    if let Some(band) = band {
                        chart
                            .draw_series(std::iter::once(Polygon::new(band, col.filled())))
                            .map_err(text)?;
                    } else if *dashed {
                        let (dash, gap) = (s.px(9.0), s.px(5.0));
                        chart
                            .draw_series(DashedLineSeries::new(seg, dash, gap, style))
                            .map_err(text)?;
                    } else {
                        chart
                            .draw_series(LineSeries::new(seg, style))
                            .map_err(text)?;
                    }
                }
                if !series.label.is_empty() {
                    let d = s.px(20.0) as i32;
                    chart
                        .draw_series(std::iter::empty::<Circle<(f64, f64), u32>>())
                        .map_err(text)?
                        .label(series.label.as_str())
                        .legend(move |(lx, ly)| {
                            PathElement::new(vec![(lx, ly), (lx + d, ly)], style)
                        });
                }
            }
            Kind::Points | Kind::ErrorBars { .. } => {
                let pts: Vec<(f64, f64)> = (0..series.x.len())
                    .filter(|&k| finite(k) && inside(series.x[k], series.y[k]))
                    .map(|k| (series.x[k], series.y[k]))
                    .collect();
                if let Kind::ErrorBars { err } = &series.kind {
                    let bars = (0..series.x.len())
                        .filter(|&k| finite(k) && err[k].is_finite())
                        .filter(|&k| series.x[k] >= x.0 && series.x[k] <= x.1)
                        .filter_map(|k| {
                            let (lo, hi) = (series.y[k] - err[k].abs(), series.y[k] + err[k].abs());
                            let (lo, hi) = (lo.max(y.0), hi.min(y.1));
                            (lo <= hi).then(|| {
                                let mid = series.y[k].clamp(lo, hi);
                                ErrorBar::new_vertical(
                                    series.x[k],
                                    lo,
                                    mid,
                                    hi,
                                    col.stroke_width(lw),
                                    2 * marker,
                                )
                            })
                        });
                    chart.draw_series(bars).map_err(text)?;
                }
                let anno = chart
                    .draw_series(
                        pts.into_iter()
                            .map(|q| Circle::new(q, marker, col.filled())),
                    )
                    .map_err(text)?;
                if !series.label.is_empty() {
                    anno.label(series.label.as_str())
                        .legend(move |q| Circle::new(q, legend_marker, col.filled()));
                }
            }
            Kind::Bars => {
                let rects = series.y.iter().enumerate().filter_map(|(k, &hgt)| {
                    let (x0, x1) = (series.x[k].max(x.0), series.x[k + 1].min(x.1));
                    let (b0, b1) = (hgt.min(0.0).max(y.0), hgt.max(0.0).min(y.1));
                    (hgt.is_finite() && x0 < x1 && b0 < b1).then_some([(x0, b0), (x1, b1)])
                });
                let fill = col.mix(0.55).filled();
                let rects: Vec<[(f64, f64); 2]> = rects.collect();
                let anno = chart
                    .draw_series(rects.iter().map(|r| Rectangle::new(*r, fill)))
                    .map_err(text)?;
                if !series.label.is_empty() {
                    let d = s.px(14.0) as i32;
                    anno.label(series.label.as_str()).legend(move |(lx, ly)| {
                        Rectangle::new([(lx, ly - d / 2), (lx + d, ly + d / 2)], fill)
                    });
                }
                chart
                    .draw_series(
                        rects
                            .iter()
                            .map(|r| Rectangle::new(*r, col.stroke_width(1))),
                    )
                    .map_err(text)?;
            }
            Kind::HLine => {
                for &v in series.y.iter().filter(|v| **v >= y.0 && **v <= y.1) {
                    chart
                        .draw_series(LineSeries::new([(x.0, v), (x.1, v)], col.stroke_width(1)))
                        .map_err(text)?;
                }
            }
        }
    }
    // A frame around the plotting area.
    chart
        .plotting_area()
        .draw(&Rectangle::new(
            [(x.0, y.0), (x.1, y.1)],
            BLACK.stroke_width(1),
        ))
        .map_err(text)?;
    if let Some(corner) = corner {
        let pos = match corner {
            Corner::UpperLeft => SeriesLabelPosition::UpperLeft,
            Corner::UpperRight => SeriesLabelPosition::UpperRight,
            Corner::LowerLeft => SeriesLabelPosition::LowerLeft,
            Corner::LowerRight => SeriesLabelPosition::LowerRight,
        };
        chart
            .configure_series_labels()
            .position(pos)
            .margin(s.px(10.0))
            .legend_area_size(s.px(26.0))
            .label_font((FONT, tick_px))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(text)?;
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    Ok(Frame {
        x,
        y,
        px: (xr.start, xr.end - 1),
        py: (yr.end - 1, yr.start),
    })
}

/// The corner of the box x × y whose legend-sized region (fractions `size` of the box) covers
/// the fewest of `points`, and how many it covers; the first in the order upper right, upper
/// left, lower right, lower left on a tie.
fn least_hidden_corner(
    points: &[(f64, f64)],
    x: (f64, f64),
    y: (f64, f64),
    size: (f64, f64),
) -> (Corner, usize) {
    let corners = [
        (Corner::UpperRight, true, true),
        (Corner::UpperLeft, false, true),
        (Corner::LowerRight, true, false),
        (Corner::LowerLeft, false, false),
    ];
    let hidden = |right: bool, upper: bool| {
        points
            .iter()
            .filter(|(px, py)| {
                let fx = (px - x.0) / (x.1 - x.0);
                let fy = (py - y.0) / (y.1 - y.0);
                let in_x = if right {
                    fx >= 1.0 - size.0
                } else {
                    fx <= size.0
                };
                let in_y = if upper {
                    fy >= 1.0 - size.1
                } else {
                    fy <= size.1
                };
                in_x && in_y && (0.0..=1.0).contains(&fx) && (0.0..=1.0).contains(&fy)
            })
            .count()
    };
    corners
        .iter()
        .map(|&(c, r, u)| (c, hidden(r, u)))
        .min_by_key(|&(_, n)| n)
        .unwrap_or((Corner::UpperRight, 0))
}

/// The parts of the polyline through the finite points (xs, ys) inside the box x × y, each
/// with at least two points: a non-finite point breaks the line, and segments crossing the box
/// are cut at its edges (Liang–Barsky clipping).
pub(super) fn clip_polyline(
    xs: &[f64],
    ys: &[f64],
    x: (f64, f64),
    y: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let flush = |cur: &mut Vec<(f64, f64)>, out: &mut Vec<Vec<(f64, f64)>>| {
        if cur.len() >= 2 {
            out.push(std::mem::take(cur));
        } else {
            cur.clear();
        }
    };
    let pt = |k: usize| (xs[k].is_finite() && ys[k].is_finite()).then(|| (xs[k], ys[k]));
    for k in 1..xs.len().min(ys.len()) {
        let (Some(a), Some(b)) = (pt(k - 1), pt(k)) else {
            flush(&mut cur, &mut out);
            continue;
        };
        match clip_segment(a, b, x, y) {
            Some((p, q, cut_start, cut_end)) => {
                if cur.is_empty() || cut_start {
                    flush(&mut cur, &mut out);
                    cur.push(p);
                }
                cur.push(q);
                if cut_end {
                    flush(&mut cur, &mut out);
                }
            }
            None => flush(&mut cur, &mut out),
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// The outline of the band that a dense polyline `seg` covers, where it has at least two points
/// per pixel column on average: per column of the `columns` across x, the lowest and highest y
/// of the column's points and of the segment that enters it from the previous column, widened
/// by `pad` (half the stroke, in y units), upper edge left to right, then lower edge back.
/// `None` for a sparser polyline, which is drawn as a line. A thick stroke through thousands
/// of reversals per column (a noisy time series) is drawn by plotters with a miter spur at
/// every reversal; the band is what that line would show without them.
fn dense_band(
    seg: &[(f64, f64)],
    x: (f64, f64),
    columns: u32,
    pad: f64,
) -> Option<Vec<(f64, f64)>> {
    let n = columns.max(1) as f64;
    let column = |v: f64| ((v - x.0) / (x.1 - x.0) * n).floor().clamp(0.0, n - 1.0) as u32;
    // (column, sum of x, number of points, lowest y, highest y)
    let mut cols: Vec<(u32, f64, f64, f64, f64)> = Vec::new();
    let mut prev: Option<f64> = None;
    for &(px, py) in seg {
        let c = column(px);
        match cols.last_mut() {
            Some(e) if e.0 == c => {
                e.1 += px;
                e.2 += 1.0;
                e.3 = e.3.min(py);
                e.4 = e.4.max(py);
            }
            _ => {
                let (lo, hi) = prev.map_or((py, py), |q| (q.min(py), q.max(py)));
                cols.push((c, px, 1.0, lo, hi));
            }
        }
        prev = Some(py);
    }
    if cols.len() < 2 || seg.len() < 2 * cols.len() {
        return None;
    }
    let last = cols.len() - 1;
    let at = |k: usize| match k {
        0 => seg[0].0,
        k if k == last => seg[seg.len() - 1].0,
        k => cols[k].1 / cols[k].2,
    };
    let upper = (0..cols.len()).map(|k| (at(k), cols[k].4 + pad));
    let lower = (0..cols.len()).rev().map(|k| (at(k), cols[k].3 - pad));
    Some(upper.chain(lower).collect())
}

/// The part of the segment a–b inside the box, and whether its start and its end were cut.
type Clipped = ((f64, f64), (f64, f64), bool, bool);

fn clip_segment(a: (f64, f64), b: (f64, f64), x: (f64, f64), y: (f64, f64)) -> Option<Clipped> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x.0),
        (dx, x.1 - a.0),
        (-dy, a.1 - y.0),
        (dy, y.1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    let p = if t0 > 0.0 { at(t0) } else { a };
    let q = if t1 < 1.0 { at(t1) } else { b };
    Some((p, q, t0 > 0.0, t1 < 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legend_goes_where_it_hides_least() {
        let unit = ((0.0, 1.0), (0.0, 1.0));
        let c = |pts: &[(f64, f64)]| least_hidden_corner(pts, unit.0, unit.1, (0.3, 0.2)).0;
        assert_eq!(c(&[]), Corner::UpperRight);
        assert_eq!(c(&[(0.9, 0.9)]), Corner::UpperLeft);
        assert_eq!(c(&[(0.9, 0.9), (0.1, 0.95)]), Corner::LowerRight);
        assert_eq!(c(&[(0.9, 0.9), (0.1, 0.95), (0.8, 0.1)]), Corner::LowerLeft);
    }

    #[test]
    fn a_dense_line_is_drawn_as_its_band_without_holes_or_spurs() {
        // 40,000 points zigzagging between 4t − 1 and 4t + 1: about 60 points per pixel column.
        let n = 40_000;
        let t: Vec<f64> = (0..n).map(|k| k as f64 / (n - 1) as f64).collect();
        let y: Vec<f64> = (0..n)
            .map(|k| 4.0 * t[k] + if k % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let panel = Panel::new("t", "y")
            .line("", &t, &y)
            .color(Color::BLUE)
            .y_range(-2.0, 7.0);
        let img = Figure::new("", panel).render().unwrap();
        let f = img.frames[0];
        for k in 1..200 {
            let tk = k as f64 / 200.0;
            for dy in [-0.9, -0.5, 0.0, 0.5, 0.9] {
                let p = f.to_pixel(tk, 4.0 * tk + dy);
                assert!(
                    img.shows(Color::BLUE, p, 0),
                    "hole at t = {tk}, y − 4t = {dy}"
                );
            }
            for dy in [-1.15, 1.15] {
                let p = f.to_pixel(tk, 4.0 * tk + dy);
                assert!(
                    !img.shows(Color::BLUE, p, 1),
                    "spur at t = {tk}, y − 4t = {dy}"
                );
            }
        }
    }

    #[test]
    fn polylines_are_clipped_and_broken() {
        let b = ((0.0, 10.0), (0.0, 10.0));
        // Inside: unchanged.
        let r = clip_polyline(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], b.0, b.1);
        assert_eq!(r, vec![vec![(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]]);
        // Leaves through the top and comes back: two pieces cut at y = 10.
        let r = clip_polyline(&[0.0, 2.0, 4.0], &[5.0, 15.0, 5.0], b.0, b.1);
        assert_eq!(
            r,
            vec![vec![(0.0, 5.0), (1.0, 10.0)], vec![(3.0, 10.0), (4.0, 5.0)]]
        );
        // A NaN breaks the line; a lone point draws nothing.
        let r = clip_polyline(&[1.0, 2.0, 3.0, 4.0], &[1.0, f64::NAN, 3.0, 4.0], b.0, b.1);
        assert_eq!(r, vec![vec![(3.0, 3.0), (4.0, 4.0)]]);
        // Wholly outside.
        assert!(clip_polyline(&[-5.0, -1.0], &[1.0, 1.0], b.0, b.1).is_empty());
    }
}
