//! `nanocontact wire scan --lengths LIST --biases LIST --out DIR [--fermi-ev MU] [--tail ON,OFF]
//! [--spacing-a D] [--mass-amu M] [--rigid-sites K]`: the scans of seed 004's Figs. 2 and 3.
//! Every (N, V) of the two lists is one unit of the MPI task farm (`parallel::task_farm`,
//! largest N first); rank 0 collects the points ([`crate::transport::current::scan`]) and
//! writes
//! - `scan.csv` and `scan.h5`: N, V, Ω, min and max Re ω, complex modes, of which statically
//!   unstable (Re ω = 0), Ω over the waterwheel modes alone, current, FIRE steps, seconds;
//! - `omega_vs_n.png` (Ω against N, one line per bias: Fig. 2b), `omega_vs_bias.png` (Ω against
//!   V, one line per N: Fig. 3), each with Ω of Eq. 8 above and Ω of the waterwheel modes
//!   below, `critical_bias.csv` and `critical_bias.png` (per N the smallest V of the list whose
//!   waterwheel Ω exceeds `--critical-omega`: Fig. 3's inset) and, when V = 0 is in the
//!   list, `frequency_range.png` (Δω_eq = max − min Re ω against N: Fig. 2a).
//!
//! LIST is comma-separated values or ranges `a:b:step` (b included). `--tail ON,OFF` uses the
//! Sutton model with its smooth tail from ON to OFF Å and bonds to second neighbours; without
//! it, nearest neighbours only as `wire response`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, Result};
use crate::parallel::task_farm::{run_task_farm, FarmUnit};
use crate::parallel::World;
use crate::plot::{Figure, Panel};
use crate::transport::current::scan::{scan_point, ScanModel, ScanPoint};
use crate::transport::model::sutton::SuttonSBand;

/// Options of `wire scan`.
#[derive(Clone, Debug, clap::Args)]
pub struct ScanOptions {
    /// Numbers of mobile atoms N: `2,4,8` or `2:100:2`.
    #[arg(long)]
    pub lengths: String,
    /// Biases V (volts): `0,0.5,1` or `0:1.5:0.05`.
    #[arg(long)]
    pub biases: String,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Equilibrium chemical potential (eV).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub fermi_ev: f64,
    /// Smooth tail of the Sutton model from ON to OFF Å, with second-neighbour bonds.
    #[arg(long)]
    pub tail: Option<String>,
    /// Spacing of the chain and the leads (Å).
    #[arg(long, default_value_t = 2.37)]
    pub spacing_a: f64,
    /// Mass of the mobile atoms (amu).
    #[arg(long, default_value_t = 10.0)]
    pub mass_amu: f64,
    /// Rigid chain sites on each side of the mobile ones.
    #[arg(long, default_value_t = 2)]
    pub rigid_sites: usize,
    /// The critical bias of a length is the smallest V whose waterwheel Ω exceeds this (fs⁻¹).
    #[arg(long, default_value_t = 2e-4)]
    pub critical_omega: f64,
}

/// Parse `a,b,c` and `lo:hi:step` items (hi included, to within step/1000).
pub fn parse_list(s: &str) -> Result<Vec<f64>> {
    let bad = || Error::run(format!("wire scan: cannot read the list '{s}'"));
    let mut out = Vec::new();
    for item in s.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let p: Vec<f64> = item
            .split(':')
            .map(|t| t.trim().parse::<f64>().map_err(|_| bad()))
            .collect::<Result<_>>()?;
        match p[..] {
            [x] => out.push(x),
            [lo, hi, step] if step > 0.0 && hi >= lo && (hi - lo) / step < 1e6 => {
                let n = ((hi - lo) / step + 1e-3).floor() as usize;
                out.extend((0..=n).map(|k| lo + k as f64 * step));
            }
            _ => return Err(bad()),
        }
    }
    if out.is_empty() || out.iter().any(|x| !x.is_finite()) {
        return Err(bad());
    }
    Ok(out)
}

fn model(opts: &ScanOptions) -> Result<ScanModel> {
    let (model, range) = match &opts.tail {
        None => (SuttonSBand::gold_untruncated(), 1),
        Some(t) => {
            let v = parse_list(t)?;
            let [on, off] = v[..] else {
                return Err(Error::run("wire scan: --tail takes ON,OFF in Å"));
            };
            if !(on > 0.0 && off > on) {
                return Err(Error::run("wire scan: --tail needs 0 < ON < OFF"));
            }
            let range = (off / opts.spacing_a).floor().max(1.0) as usize;
            let m = SuttonSBand {
                r_on_ang: on,
                r_off_ang: off,
                ..SuttonSBand::gold()
            };
            (m, range)
        }
    };
    if !(opts.mass_amu.is_finite() && opts.mass_amu > 0.0) {
        return Err(Error::run("wire scan: --mass-amu must be positive"));
    }
    Ok(ScanModel {
        model,
        range,
        spacing_a: opts.spacing_a,
        fermi_ev: opts.fermi_ev,
        mass_amu: opts.mass_amu,
        rigid_sites: opts.rigid_sites,
        relax_ftol: 1e-6,
    })
}

/// Run the scan over the ranks of `world`; rank 0 writes the files and returns its summary.
pub fn scan(opts: &ScanOptions, world: &World) -> Result<Option<String>> {
    let m = model(opts)?;
    let lengths: Vec<usize> = parse_list(&opts.lengths)?
        .iter()
        .map(|&x| {
            if x >= 1.0 && x.fract() == 0.0 {
                Ok(x as usize)
            } else {
                Err(Error::run(format!(
                    "wire scan: N = {x} is not a positive integer"
                )))
            }
        })
        .collect::<Result<_>>()?;
    let biases = parse_list(&opts.biases)?;
    // Largest N first: the long units start early and the short ones fill the gaps.
    let mut pairs: Vec<(usize, f64)> = lengths
        .iter()
        .flat_map(|&n| biases.iter().map(move |&v| (n, v)))
        .collect();
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0));
    let units = (0..pairs.len() as u64)
        .map(|id| FarmUnit { id, affinity: 0 })
        .collect();
    let t0 = Instant::now();
    let mut points: Vec<ScanPoint> = Vec::new();
    let mut failure: Option<Error> = None;
    let mut work = |id: u64, _poll: &mut dyn FnMut()| -> Vec<u8> {
        let (n, v) = pairs[id as usize];
        match scan_point(&m, n, v) {
            Ok(p) => [vec![1u8], p.encode()].concat(),
            Err(e) => [vec![0u8], format!("N = {n}, V = {v}: {e}").into_bytes()].concat(),
        }
    };
    let mut on_result = |_: u64, _: usize, bytes: Vec<u8>| -> Result<()> {
        let decoded = match bytes.split_first() {
            Some((1, rest)) => ScanPoint::decode(rest),
            Some((_, rest)) => Err(Error::run(String::from_utf8_lossy(rest).to_string())),
            None => Err(Error::run("an empty result")),
        };
        match decoded {
            Ok(p) => {
                log::info!(
                    "wire scan: N = {}, V = {} V: Ω = {:.3e} fs⁻¹, {} complex modes ({:.2} s)",
                    p.mobile,
                    p.bias_v,
                    p.omega_rate,
                    p.complex_modes,
                    p.seconds
                );
                points.push(p);
            }
            Err(e) => {
                failure.get_or_insert(Error::run(format!("wire scan: {e}")));
            }
        }
        Ok(())
    };
    run_task_farm(world, units, &mut work, &mut on_result)?;
    if !world.is_root() {
        return Ok(None);
    }
    if let Some(e) = failure {
        return Err(e);
    }
    let wall = t0.elapsed().as_secs_f64();
    points.sort_by(|a, b| {
        (a.mobile, a.bias_v)
            .partial_cmp(&(b.mobile, b.bias_v))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    std::fs::create_dir_all(&opts.out).map_err(|e| Error::io(&opts.out, e))?;
    let crit = critical_biases(&points, opts.critical_omega);
    write_tables(&opts.out, &points, &crit)?;
    figures(&opts.out, &points, &lengths, &biases, &crit)?;
    let busy: f64 = points.iter().map(|p| p.seconds).sum();
    let efficiency = busy / (wall * world.size() as f64);
    Ok(Some(format!(
        "{{\"points\":{},\"ranks\":{},\"wall_s\":{wall:.3},\"work_s\":{busy:.3},\
         \"efficiency\":{efficiency:.4},\"out\":{:?}}}",
        points.len(),
        world.size(),
        opts.out.display().to_string()
    )))
}

const COLUMNS: [&str; 11] = [
    "mobile",
    "bias_V",
    "Omega_per_fs",
    "re_omega_min_per_fs",
    "re_omega_max_per_fs",
    "complex_modes",
    "unstable_modes",
    "Omega_waterwheel_per_fs",
    "current_uA",
    "fire_steps",
    "seconds",
];

fn row(p: &ScanPoint) -> [f64; 11] {
    [
        p.mobile as f64,
        p.bias_v,
        p.omega_rate,
        p.re_omega_min,
        p.re_omega_max,
        p.complex_modes as f64,
        p.unstable_modes as f64,
        p.waterwheel_rate,
        p.current_ua,
        p.relax_steps as f64,
        p.seconds,
    ]
}

/// `scan.csv` (a header of `columns`, then `rows`) and `scan.h5` (one dataset per column) in
/// `out`: the tables of a scan of independent tasks.
pub(super) fn write_scan_columns(out: &Path, columns: &[&str], rows: &[Vec<f64>]) -> Result<()> {
    let mut csv = columns.join(",") + "\n";
    for r in rows {
        let v: Vec<String> = r.iter().map(|x| format!("{x}")).collect();
        csv += &(v.join(",") + "\n");
    }
    let path = out.join("scan.csv");
    std::fs::write(&path, csv).map_err(|e| Error::io(&path, e))?;
    let h5 = out.join("scan.h5");
    let e = |err: hdf5::Error| Error::run(format!("{}: {err}", h5.display()));
    let file = hdf5::File::create(&h5).map_err(e)?;
    for (k, name) in columns.iter().enumerate() {
        let col: Vec<f64> = rows.iter().map(|r| r[k]).collect();
        file.new_dataset_builder()
            .with_data(&col)
            .create(*name)
            .map_err(e)?;
    }
    Ok(())
}

/// `scan.csv`, `scan.h5` (one dataset per column) and `critical_bias.csv`.
fn write_tables(out: &Path, points: &[ScanPoint], crit: &[(usize, f64)]) -> Result<()> {
    let rows: Vec<Vec<f64>> = points.iter().map(|p| row(p).to_vec()).collect();
    write_scan_columns(out, &COLUMNS, &rows)?;
    let mut text = String::from("mobile,critical_bias_V\n");
    for (n, v) in crit {
        let _ = writeln!(text, "{n},{v}");
    }
    let path = out.join("critical_bias.csv");
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))
}

/// Per N: the smallest scanned V > 0 whose waterwheel Ω (complex eigenvalues of K/M) exceeds
/// `threshold` fs⁻¹ (NaN if none).
pub fn critical_biases(points: &[ScanPoint], threshold: f64) -> Vec<(usize, f64)> {
    let mut ns: Vec<usize> = points.iter().map(|p| p.mobile).collect();
    ns.dedup();
    ns.into_iter()
        .map(|n| {
            let v = points
                .iter()
                .filter(|p| p.mobile == n && p.bias_v > 0.0 && p.waterwheel_rate > threshold)
                .map(|p| p.bias_v)
                .fold(f64::NAN, f64::min);
            (n, v)
        })
        .collect()
}

fn figures(
    out: &Path,
    points: &[ScanPoint],
    lengths: &[usize],
    biases: &[f64],
    crit: &[(usize, f64)],
) -> Result<()> {
    type Pick<'a> = &'a dyn Fn(&ScanPoint) -> f64;
    let select = |f: &dyn Fn(&ScanPoint) -> bool, x: Pick, y: Pick| {
        let pts: Vec<&ScanPoint> = points.iter().filter(|p| f(p)).collect();
        let xs: Vec<f64> = pts.iter().map(|p| x(p)).collect();
        let ys: Vec<f64> = pts.iter().map(|p| y(p)).collect();
        (xs, ys)
    };
    // Two panels: Ω of Eq. (8), and Ω over the waterwheel modes alone.
    let rates: [(&str, Pick); 2] = [
        ("Ω (fs⁻¹)", &|p| p.omega_rate),
        ("Ω waterwheel (fs⁻¹)", &|p| p.waterwheel_rate),
    ];
    if lengths.len() > 1 {
        let panels = rates
            .iter()
            .map(|(label, y)| {
                let mut panel = Panel::new("N (mobile atoms)", *label);
                for &v in biases.iter().filter(|&&v| v != 0.0) {
                    let (xs, ys) = select(&|p| p.bias_v == v, &|p| p.mobile as f64, *y);
                    panel = panel.line(&format!("V = {v} V"), &xs, &ys);
                }
                panel
            })
            .collect();
        Figure::stacked("Ω against N (Fig. 2b)", panels).save_png(&out.join("omega_vs_n.png"))?;
    }
    if biases.len() > 1 {
        let panels = rates
            .iter()
            .map(|(label, y)| {
                let mut panel = Panel::new("V (volts)", *label);
                for &n in lengths {
                    let (xs, ys) = select(&|p| p.mobile == n, &|p| p.bias_v, *y);
                    panel = panel.line(&format!("N = {n}"), &xs, &ys);
                }
                panel
            })
            .collect();
        Figure::stacked("Ω against bias (Fig. 3)", panels)
            .save_png(&out.join("omega_vs_bias.png"))?;
        let (x, y): (Vec<f64>, Vec<f64>) = crit.iter().map(|&(n, v)| (n as f64, v)).unzip();
        Figure::new(
            "Critical bias for waterwheel modes (Fig. 3 inset)",
            Panel::new("N (mobile atoms)", "V_c (volts)").points("", &x, &y),
        )
        .save_png(&out.join("critical_bias.png"))?;
    }
    let eq: Vec<&ScanPoint> = points.iter().filter(|p| p.bias_v == 0.0).collect();
    if eq.len() > 1 {
        let x: Vec<f64> = eq.iter().map(|p| p.mobile as f64).collect();
        let y: Vec<f64> = eq.iter().map(|p| p.re_omega_max - p.re_omega_min).collect();
        Figure::new(
            "Range of equilibrium frequencies (Fig. 2a)",
            Panel::new("N (mobile atoms)", "Δω_eq (fs⁻¹)").line("", &x, &y),
        )
        .save_png(&out.join("frequency_range.png"))?;
    }
    Ok(())
}
