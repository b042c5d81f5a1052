//! `nanocontact plot FILE.csv --x COL --y COL[,COL...] [--y ...] --out FIG.png`: a quick
//! figure of any numeric CSV (thermo.csv, leads.csv, transmission.csv, ...). Each `--y` makes
//! one panel, stacked top to bottom and sharing x; the columns named in one `--y` (separated
//! by commas) are drawn in that panel as lines (`--points`: as points). `--hist COL --bin W`
//! draws instead the histogram of one column in bins of width W aligned on multiples of W (the
//! conductance histogram in bins of 0.05 G0, say). Column names are the axis labels.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::io::csv::CsvTable;
use crate::plot::{Figure, Panel};

/// Options of `nanocontact plot`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct PlotOptions {
    /// CSV file with one header line (thermo.csv, leads.csv, rheology.csv, ...).
    pub csv: PathBuf,
    /// Column of the x axis.
    #[arg(long)]
    pub x: Option<String>,
    /// Columns of one panel, comma-separated; repeat for stacked panels.
    #[arg(long)]
    pub y: Vec<String>,
    /// Column to histogram (instead of --x/--y).
    #[arg(long, requires = "bin", conflicts_with_all = ["x", "y"])]
    pub hist: Option<String>,
    /// Bin width of --hist (bins aligned on its multiples).
    #[arg(long)]
    pub bin: Option<f64>,
    /// Draw points instead of lines.
    #[arg(long)]
    pub points: bool,
    /// Figure title (default: the CSV path).
    #[arg(long)]
    pub title: Option<String>,
    /// Output PNG file.
    #[arg(long)]
    pub out: PathBuf,
}

/// The figure that the options ask for, from the table. Errors: neither or both of
/// `--x/--y` and `--hist`, a missing or non-positive `--bin`, a column the file lacks.
pub fn figure(opts: &PlotOptions, table: &CsvTable) -> Result<Figure> {
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| opts.csv.display().to_string());
    match (&opts.x, opts.y.is_empty(), &opts.hist) {
        (Some(x), false, None) => {
            let xs = table.column(x)?;
            let mut panels = Vec::with_capacity(opts.y.len());
            for group in &opts.y {
                let names: Vec<&str> = group.split(',').map(str::trim).collect();
                let label = names.join(", ");
                let mut panel = Panel::new(x.as_str(), label);
                for name in names {
                    let ys = table.column(name)?;
                    panel = if opts.points {
                        panel.points(name, &xs, &ys).marker(2.0)
                    } else {
                        panel.line(name, &xs, &ys)
                    };
                }
                panels.push(panel);
            }
            Ok(Figure::stacked(title, panels))
        }
        (None, true, Some(col)) => {
            let width = opts
                .bin
                .filter(|w| w.is_finite() && *w > 0.0)
                .ok_or_else(|| {
                    Error::run(format!(
                        "--hist needs --bin with a positive bin width, got {:?}",
                        opts.bin
                    ))
                })?;
            let values = table.column(col)?;
            let panel = Panel::new(col.as_str(), format!("count per bin of {width}"))
                .histogram("", &values, width);
            Ok(Figure::new(title, panel))
        }
        _ => Err(Error::run(
            "plot needs --x COL with one or more --y COL[,COL], or --hist COL --bin WIDTH",
        )),
    }
}

/// Read the CSV, draw, write the PNG.
pub fn run(opts: &PlotOptions) -> Result<()> {
    let table = CsvTable::read(&opts.csv)?;
    figure(opts, &table)?.save_png(&opts.out)?;
    log::info!("wrote {}", opts.out.display());
    Ok(())
}
