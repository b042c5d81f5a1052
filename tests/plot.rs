//! PNG figures (`plot`): the files decode as PNG of the requested size, the series
//! are drawn where their data map to, and bad paths and series are errors, not panics.

mod common;

use std::path::Path;

use nanocontact::error::Error;
use nanocontact::plot::{Color, Corner, Figure, Panel, Raster};

/// Decode a PNG file: (width, height, RGB bytes).
fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn count_color(img: &Raster, c: Color) -> usize {
    img.rgb
        .chunks(3)
        .filter(|p| p[0] == c.0 && p[1] == c.1 && p[2] == c.2)
        .count()
}

#[test]
fn png_decodes_with_the_size_and_the_series_where_they_belong() {
    let x: Vec<f64> = (0..=50).map(|k| k as f64 * 0.1).collect();
    let y: Vec<f64> = x.iter().map(|t| (2.0 * t).sin()).collect();
    let a0 = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3];
    let gs = [86.8, 85.1, 83.5, 23.3, 5.4, 10.7];
    let gs_err = [2.2, 0.9, 0.6, 2.2, 1.1, 0.9];
    let fig = Figure::stacked(
        "sin(2t) and G′, G″ — ρ(θ), ε₀, G/G₀",
        vec![
            Panel::new("t (ps)", "F (nN)")
                .line("F(t)", &x, &y)
                .hline(0.0),
            Panel::new("a0 (nm)", "G (GPa)")
                .errorbars("G'", &a0, &gs, &gs_err)
                .color(Color::RED)
                .legend(Corner::UpperRight),
        ],
    )
    .size(640, 720);
    let dir = common::scratch("plot");
    let path = dir.join("fig.png");
    fig.save_png(&path).unwrap();
    let (w, h, rgb) = decode(&path);
    assert_eq!((w, h), (640, 720));
    let img = fig.render().unwrap();
    assert_eq!(rgb, img.rgb, "the file holds the rendered image");
    assert_eq!(img.frames.len(), 2);
    // Stacked panels share x: same data range and pixel columns; the top one is above.
    assert_eq!(img.frames[0].x, img.frames[1].x);
    assert_eq!(img.frames[0].px, img.frames[1].px);
    assert!(img.frames[0].py.0 < img.frames[1].py.1);
    // The line passes through its samples (blue, the first palette colour).
    for k in [3, 17, 29, 44] {
        let p = img.frames[0].to_pixel(x[k], y[k]);
        assert!(img.shows(Color::BLUE, p, 1), "line at {:?}", p);
    }
    // The error bars and markers in red, the bars spanning y ± err.
    for k in 0..a0.len() {
        let f = &img.frames[1];
        assert!(img.shows(Color::RED, f.to_pixel(a0[k], gs[k]), 1));
        let top = f.to_pixel(a0[k], gs[k] + 0.9 * gs_err[k]);
        assert!(img.shows(Color::RED, top, 1), "bar {k}");
    }
    // Pure red (the markers' inside) in the bottom panel only.
    let red_in = |f: usize| {
        let fr = &img.frames[f];
        (fr.py.1..=fr.py.0)
            .flat_map(|r| (fr.px.0..=fr.px.1).map(move |c| (c, r)))
            .filter(|&(c, r)| img.pixel(c, r) == Some(Color::RED))
            .count()
    };
    assert_eq!(red_in(0), 0);
    assert!(red_in(1) > 50);
    // A white background with text: plenty of white, and dark (text, axes) pixels.
    assert!(count_color(&img, Color(255, 255, 255)) > (w * h / 2) as usize);
    assert!(count_color(&img, Color::BLACK) > 500);
}

#[test]
fn histogram_bars_and_fixed_ranges() {
    // Conductance-like values: bins of 0.05 from 0.95 to 1.05 (two bins) and one at 2.
    let vals = [0.96, 0.97, 1.01, 1.02, 1.03, 2.01];
    let fig = Figure::new(
        "G/G₀ histogram",
        Panel::new("G/G₀", "counts")
            .histogram("trace", &vals, 0.05)
            .color(Color::GREEN)
            .x_range(0.0, 3.0),
    )
    .size(500, 400);
    let img = fig.render().unwrap();
    let f = img.frames[0];
    assert_eq!(f.x, (0.0, 3.0));
    assert_eq!(f.y.0, 0.0, "bars start at 0");
    assert!(f.y.1 >= 3.0);
    // The outline of the bars is green; the fill (a lighter green) covers the bin's inside.
    let inside = |x: f64, y: f64| img.pixel(f.to_pixel(x, y).0, f.to_pixel(x, y).1).unwrap();
    let fill = inside(1.025, 1.3);
    assert!(fill.1 > fill.0 && fill.1 > fill.2, "{fill:?}");
    assert_eq!(inside(1.3, 1.3), Color(255, 255, 255), "empty bin");
    assert!(img.shows(Color::GREEN, f.to_pixel(1.05, 2.0), 1));
}

#[test]
fn lines_outside_a_fixed_range_are_clipped() {
    // A line from far below to far above: inside the box it runs on the diagonal; nothing is
    // drawn along the borders.
    let fig = Figure::new(
        "",
        Panel::new("x", "y")
            .line("", &[-10.0, 10.0], &[-10.0, 10.0])
            .x_range(0.0, 1.0)
            .y_range(0.0, 1.0),
    )
    .size(400, 400);
    let img = fig.render().unwrap();
    let f = img.frames[0];
    for v in [0.1, 0.5, 0.9] {
        assert!(img.shows(Color::BLUE, f.to_pixel(v, v), 1));
    }
    let blue_outside = (0..img.height as i32)
        .flat_map(|r| (0..img.width as i32).map(move |c| (c, r)))
        .filter(|&(c, r)| {
            let out = c < f.px.0 - 2 || c > f.px.1 + 2 || r < f.py.1 - 2 || r > f.py.0 + 2;
            out && img.shows(Color::BLUE, (c, r), 0)
        })
        .count();
    assert_eq!(blue_outside, 0);
}

#[test]
fn unwritable_path_is_an_io_error_naming_it() {
    let fig = Figure::new("t", Panel::new("x", "y").line("", &[0.0, 1.0], &[0.0, 1.0]));
    let path = Path::new("/nonexistent-dir-for-nanocontact/figure.png");
    match fig.save_png(path) {
        Err(e @ Error::Io { .. }) => {
            assert!(e
                .to_string()
                .contains("/nonexistent-dir-for-nanocontact/figure.png"))
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
    // A folder in place of the file.
    let dir = common::scratch("plot-dir");
    assert!(matches!(fig.save_png(&dir), Err(Error::Io { .. })));
}

#[test]
fn empty_panels_and_non_finite_values_draw() {
    let fig = Figure::new(
        "empty",
        Panel::new("x", "y")
            .line("nan", &[f64::NAN, f64::NAN], &[0.0, f64::INFINITY])
            .points("", &[], &[]),
    );
    let img = fig.render().unwrap();
    assert_eq!(img.frames[0].x, (0.0, 1.0));
}

#[test]
fn plot_command_draws_columns_and_histograms() {
    let dir = common::scratch("plot-cli");
    let csv = dir.join("trace.csv");
    let mut text = String::from("# a conductance trace\ntime_ps,G_G0,F_nN\n");
    for k in 0..200 {
        let t = k as f64 * 0.5;
        text += &format!("{t},{},{}\n", 1.0 + 0.02 * (t).sin(), (0.1 * t).cos());
    }
    std::fs::write(&csv, text).unwrap();
    let run = |args: &[&str]| {
        common::bin()
            .arg("plot")
            .arg(&csv)
            .args(args)
            .output()
            .unwrap()
    };
    // Two stacked panels: 900 × 900.
    let out = dir.join("trace.png");
    let o = run(&[
        "--x",
        "time_ps",
        "--y",
        "F_nN",
        "--y",
        "G_G0",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (w, h, rgb) = decode(&out);
    assert_eq!((w, h), (900, 900));
    assert!(rgb.chunks(3).filter(|p| p == &[31, 119, 180]).count() > 1000);
    // The histogram of G/G0 in bins of 0.05 G0.
    let hist = dir.join("hist.png");
    let o = run(&[
        "--hist",
        "G_G0",
        "--bin",
        "0.05",
        "--out",
        hist.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(decode(&hist).0, 900);
    // Errors: a column the file lacks (named with the file and header line), no --y.
    let o = run(&["--x", "time_ps", "--y", "G", "--out", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("trace.csv:2: no column 'G' (columns: time_ps,G_G0,F_nN)"),
        "{err}"
    );
    let o = run(&["--x", "time_ps", "--out", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("plot needs --x COL"));
    let o = run(&[
        "--hist",
        "G_G0",
        "--bin",
        "0",
        "--out",
        hist.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("positive bin width"));
}
