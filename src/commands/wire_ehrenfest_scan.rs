//! `nanocontact wire ehrenfest-scan DECK --out DIR`: the trajectories of every (N, V, M) of an
//! Ehrenfest deck's `[scan]` lists, each one task of the MPI task farm (`parallel::task_farm`,
//! largest N first, each trajectory on one rank), and seed 004's Figs. 6–8 from their
//! saturation averages. A finished task is kept in `DIR/tasks/` at once; a scan started again
//! with the same deck and folder runs only the unfinished ones. Rank 0 writes
//! - `scan.csv`, `scan.h5`: N, V, M, mean and standard deviation of KE and of the current,
//!   the spatial current variance (Eq. 11), KE per atom; the same whatever the number of ranks;
//! - `timing.csv`: the wall time of each task (the farm's efficiency in the JSON line);
//! - `inv_current_vs_sqrt_mass.png` (Fig. 6a, with two fits per bias in `fits.csv`: Eq. 12 as
//!   written, 1/I = s₀√M through the origin, which gives α and the long-wire current
//!   g ħω_E/(α e); and the free line 1/I = a + s√M, its α_line and intercept, a check of the
//!   proportionality), `current_vs_n.png` (Fig. 6b),
//!   `ke_per_atom_vs_n.png` (Fig. 7, with the Eq. 13 fit 1/E = 1/E_∞ + b/N, E0 and β in
//!   `fits.csv`), `ke_vs_resistance.png` (Fig. 8a: E against V/I per N).
//!
//! ω_E = 0.265 fs⁻¹ at 10 amu (seed 004's Einstein frequency of this model) scales as M^(−½).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::commands::wire_scan::write_scan_columns;
use crate::deck::wire_ehrenfest::{EhrenfestDeck, ScanTask};
use crate::error::{Error, Result};
use crate::parallel::task_farm::{run_task_farm, FarmUnit};
use crate::parallel::World;
use crate::plot::{Figure, Panel, PALETTE};
use crate::transport::ehrenfest::trajectory::{hook, run_trajectory, saturation};
use crate::units::{G0_SIEMENS, HBAR_EV_PS};

/// Options of `wire ehrenfest-scan`.
#[derive(Clone, Debug, clap::Args)]
pub struct EhrenfestScanOptions {
    /// The Ehrenfest wire deck (TOML) with a `[scan]` table.
    pub deck: PathBuf,
    /// Output folder (finished tasks in `tasks/`).
    #[arg(long)]
    pub out: PathBuf,
}

/// Einstein frequency of the model at 10 amu (fs⁻¹), seed 004 Sec. III B.
pub const OMEGA_E_10AMU_PER_FS: f64 = 0.265;

/// One finished task.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskResult {
    pub task: ScanTask,
    pub ke_mean_ev: f64,
    pub ke_std_ev: f64,
    pub current_mean_ua: f64,
    pub current_std_ua: f64,
    pub current_var_ua2: f64,
    pub seconds: f64,
}

const WIDTH: usize = 9;

impl TaskResult {
    fn encode(&self) -> Vec<u8> {
        [
            self.task.mobile as f64,
            self.task.bias_v,
            self.task.mass_amu,
            self.ke_mean_ev,
            self.ke_std_ev,
            self.current_mean_ua,
            self.current_std_ua,
            self.current_var_ua2,
            self.seconds,
        ]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect()
    }

    fn decode(b: &[u8]) -> Option<TaskResult> {
        if b.len() != 8 * WIDTH {
            return None;
        }
        let v: Vec<f64> = b
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        Some(TaskResult {
            task: ScanTask {
                mobile: v[0] as usize,
                bias_v: v[1],
                mass_amu: v[2],
            },
            ke_mean_ev: v[3],
            ke_std_ev: v[4],
            current_mean_ua: v[5],
            current_std_ua: v[6],
            current_var_ua2: v[7],
            seconds: v[8],
        })
    }
}

/// Run one task: the deck's trajectory at (N, V, M), its saturation averages.
pub fn run_task(deck: &EhrenfestDeck, task: &ScanTask) -> Result<TaskResult> {
    let t0 = Instant::now();
    let spec = deck.spec(task);
    let (md, _) = run_trajectory(&spec, World::serial())?;
    let s = saturation(&hook(&md)?.records, spec.average_from_ps);
    Ok(TaskResult {
        task: *task,
        ke_mean_ev: s.ke_mean_ev,
        ke_std_ev: s.ke_std_ev,
        current_mean_ua: s.current_mean_ua,
        current_std_ua: s.current_std_ua,
        current_var_ua2: s.current_var_ua2,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// The file of a finished task, named by its index in the deck's task list.
fn task_file(out: &Path, id: usize) -> PathBuf {
    out.join("tasks").join(format!("task_{id:05}.bin"))
}

/// Run the scan over the ranks of `world`; rank 0 writes the files and returns its summary.
pub fn scan(opts: &EhrenfestScanOptions, world: &World) -> Result<Option<String>> {
    let deck = EhrenfestDeck::read(&opts.deck)?;
    let tasks = deck.tasks();
    // Finished tasks (rank 0 reads them; every rank gets the list of the unfinished).
    let mut done: Vec<Option<TaskResult>> = vec![None; tasks.len()];
    let mut flags = vec![0.0; tasks.len()];
    if world.is_root() {
        std::fs::create_dir_all(opts.out.join("tasks")).map_err(|e| Error::io(&opts.out, e))?;
        for (id, t) in tasks.iter().enumerate() {
            let r = std::fs::read(task_file(&opts.out, id))
                .ok()
                .and_then(|b| TaskResult::decode(&b))
                .filter(|r| r.task == *t);
            if r.is_some() {
                flags[id] = 1.0;
            }
            done[id] = r;
        }
    }
    world.sum(&mut flags);
    let resumed = flags.iter().filter(|&&f| f != 0.0).count();
    let units = (0..tasks.len() as u64)
        .filter(|&id| flags[id as usize] == 0.0)
        .map(|id| FarmUnit { id, affinity: 0 })
        .collect();
    let t0 = Instant::now();
    let mut failure: Option<Error> = None;
    let mut work = |id: u64, _poll: &mut dyn FnMut()| -> Vec<u8> {
        let t = tasks[id as usize];
        match run_task(&deck, &t) {
            Ok(r) => [vec![1u8], r.encode()].concat(),
            Err(e) => [
                vec![0u8],
                format!(
                    "N = {}, V = {}, M = {}: {e}",
                    t.mobile, t.bias_v, t.mass_amu
                )
                .into_bytes(),
            ]
            .concat(),
        }
    };
    let out = opts.out.clone();
    let mut fresh_work = 0.0;
    let mut on_result = |id: u64, _: usize, bytes: Vec<u8>| -> Result<()> {
        match bytes.split_first() {
            Some((1, rest)) => {
                let r = TaskResult::decode(rest)
                    .ok_or_else(|| Error::run("wire ehrenfest-scan: a result of the wrong size"))?;
                let path = task_file(&out, id as usize);
                let tmp = path.with_extension("tmp");
                std::fs::write(&tmp, rest).map_err(|e| Error::io(&tmp, e))?;
                std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
                log::info!(
                    "wire ehrenfest-scan: N = {}, V = {} V, M = {} amu: KE = {:.3} eV, I = {:.3} µA ({:.1} s)",
                    r.task.mobile, r.task.bias_v, r.task.mass_amu, r.ke_mean_ev, r.current_mean_ua, r.seconds
                );
                fresh_work += r.seconds;
                done[id as usize] = Some(r);
            }
            Some((_, rest)) => {
                failure.get_or_insert(Error::run(format!(
                    "wire ehrenfest-scan: {}",
                    String::from_utf8_lossy(rest)
                )));
            }
            None => {
                failure.get_or_insert(Error::run("wire ehrenfest-scan: an empty result"));
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
    let mut results: Vec<TaskResult> = done.into_iter().flatten().collect();
    results.sort_by(|a, b| {
        let k = |r: &TaskResult| (r.task.mobile, r.task.bias_v, r.task.mass_amu);
        k(a).partial_cmp(&k(b)).unwrap_or(std::cmp::Ordering::Equal)
    });
    write_tables(&opts.out, &results)?;
    let fits = figures(&opts.out, &results)?;
    let busy: f64 = results.iter().map(|r| r.seconds).sum();
    // The busy fraction of the ranks over the tasks run now (resumed ones left out); null
    // where every task was resumed and none ran.
    let efficiency = if resumed < results.len() {
        format!("{:.4}", fresh_work / (wall * world.size() as f64))
    } else {
        "null".into()
    };
    Ok(Some(format!(
        "{{\"tasks\":{},\"resumed\":{resumed},\"ranks\":{},\"wall_s\":{wall:.3},\
         \"work_s\":{busy:.3},\"efficiency\":{efficiency},\"fits\":{fits}}}",
        results.len(),
        world.size()
    )))
}

const COLUMNS: [&str; 9] = [
    "mobile",
    "bias_V",
    "mass_amu",
    "ke_mean_eV",
    "ke_std_eV",
    "current_mean_uA",
    "current_std_uA",
    "current_spatial_var_uA2",
    "ke_per_atom_eV",
];

fn row(r: &TaskResult) -> [f64; 9] {
    [
        r.task.mobile as f64,
        r.task.bias_v,
        r.task.mass_amu,
        r.ke_mean_ev,
        r.ke_std_ev,
        r.current_mean_ua,
        r.current_std_ua,
        r.current_var_ua2,
        r.ke_mean_ev / r.task.mobile as f64,
    ]
}

fn write_tables(out: &Path, results: &[TaskResult]) -> Result<()> {
    let rows: Vec<Vec<f64>> = results.iter().map(|r| row(r).to_vec()).collect();
    write_scan_columns(out, &COLUMNS, &rows)?;
    let mut timing = String::from("mobile,bias_V,mass_amu,seconds\n");
    for r in results {
        let _ = writeln!(
            timing,
            "{},{},{},{}",
            r.task.mobile, r.task.bias_v, r.task.mass_amu, r.seconds
        );
    }
    let path = out.join("timing.csv");
    std::fs::write(&path, timing).map_err(|e| Error::io(&path, e))
}

/// Least-squares line y = a + s·x: (a, s).
pub fn fit_line(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let n = x.len() as f64;
    if x.len() < 2 {
        return None;
    }
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxx: f64 = x.iter().map(|v| (v - mx) * (v - mx)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let s = sxy / sxx;
    Some((my - s * mx, s))
}

/// Least-squares line through the origin, y = s₀·x: s₀ = Σxy / Σx².
pub fn fit_proportional(x: &[f64], y: &[f64]) -> Option<f64> {
    let sxx: f64 = x.iter().map(|v| v * v).sum();
    (sxx > 0.0).then(|| x.iter().zip(y).map(|(a, b)| a * b).sum::<f64>() / sxx)
}

/// ħω_E (eV) at mass `m` amu.
fn hbar_omega_e(m: f64) -> f64 {
    HBAR_EV_PS * 1e3 * OMEGA_E_10AMU_PER_FS * (10.0 / m).sqrt()
}

/// The figures; returns the fits as a JSON array (also in `fits.csv`).
fn figures(out: &Path, results: &[TaskResult]) -> Result<String> {
    let uniq = |f: &dyn Fn(&TaskResult) -> f64| {
        let mut v: Vec<f64> = results.iter().map(f).collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        v.dedup();
        v
    };
    let ns = uniq(&|r| r.task.mobile as f64);
    let vs = uniq(&|r| r.task.bias_v);
    let ms = uniq(&|r| r.task.mass_amu);
    let g0_ua = G0_SIEMENS * 1e6;
    let mut fits = String::from(
        "kind,bias_V,mass_amu,mobile,a,s,alpha,long_wire_current_uA,E_inf_eV,b,E0_eV,beta_eV,s_origin,alpha_line,long_wire_current_line_uA\n",
    );
    let mut json = Vec::new();
    let mut alpha_of = std::collections::HashMap::new();
    // Fig. 6a: 1/I against √M at the largest N, per bias.
    let n_max = ns.last().copied().unwrap_or(0.0);
    if ms.len() > 1 {
        let mut panel = Panel::new("√M (√amu)", "1/I (1/µA)");
        for (k, &v) in vs.iter().enumerate() {
            let pts: Vec<&TaskResult> = results
                .iter()
                .filter(|r| r.task.bias_v == v && r.task.mobile as f64 == n_max)
                .collect();
            let x: Vec<f64> = pts.iter().map(|r| r.task.mass_amu.sqrt()).collect();
            let y: Vec<f64> = pts.iter().map(|r| 1.0 / r.current_mean_ua).collect();
            // One colour per bias: its points, its Eq. 12 fit (dashed), its free line (thin).
            let c = PALETTE[k % PALETTE.len()];
            panel = panel.points(&format!("V = {v} V"), &x, &y).color(c);
            // Eq. 12 is I = g ħω_E/(α e) at every M, ħω_E ∝ M^(−½): 1/I = s₀√M through the
            // origin, α = s₀·g·ħω_E(1 amu) (seed 004 Sec. III B). With that α the predicted
            // long-wire current equals the fitted current at 10 amu, as the paper's 14.3 and
            // 17.2 µA equal its Fig. 6b. The free line's α_line and intercept a test how far
            // the data are from the proportionality (a single channel's 1/I ≥ 1/(g V)).
            if let (Some(s0), Some((a, s))) = (fit_proportional(&x, &y), fit_line(&x, &y)) {
                let alpha_of_slope = |slope: f64| slope * g0_ua * hbar_omega_e(1.0);
                let long_wire = |alpha: f64| g0_ua * hbar_omega_e(10.0) / alpha;
                let (alpha, alpha_line) = (alpha_of_slope(s0), alpha_of_slope(s));
                let (long, long_line) = (long_wire(alpha), long_wire(alpha_line));
                alpha_of.insert(v.to_bits(), alpha);
                let xs = [0.0, x.iter().copied().fold(0.0, f64::max)];
                panel = panel
                    .dashed(&format!("Eq. 12, α = {alpha:.3}"), &xs, &xs.map(|q| s0 * q))
                    .color(c)
                    .line(
                        &format!("a + s√M, α = {alpha_line:.3}"),
                        &xs,
                        &xs.map(|q| a + s * q),
                    )
                    .color(c)
                    .stroke(1.0);
                let _ = writeln!(
                    fits,
                    "fig6a,{v},,{n_max},{a},{s},{alpha},{long},,,,,{s0},{alpha_line},{long_line}"
                );
                json.push(format!(
                    "{{\"fig\":\"6a\",\"bias_V\":{v},\"alpha\":{alpha:.4},\"long_wire_current_uA\":{long:.3},\"alpha_line\":{alpha_line:.4},\"intercept_per_uA\":{a:.5}}}"
                ));
            }
        }
        Figure::new("1/I against √M (Fig. 6a)", panel)
            .save_png(&out.join("inv_current_vs_sqrt_mass.png"))?;
    }
    // Fig. 6b and 7: against N, per (V, M).
    if ns.len() > 1 {
        let mut p6 = Panel::new("N (mobile atoms)", "I (µA)");
        let mut p7 = Panel::new("N (mobile atoms)", "KE per atom (eV)");
        // One colour per (V, M) series: its points, line and Eq. 13 fit.
        let mut series = 0;
        for &v in &vs {
            for &m in &ms {
                let pts: Vec<&TaskResult> = results
                    .iter()
                    .filter(|r| r.task.bias_v == v && r.task.mass_amu == m)
                    .collect();
                if pts.len() < 2 {
                    continue;
                }
                let label = format!("V = {v} V, M = {m}");
                let n: Vec<f64> = pts.iter().map(|r| r.task.mobile as f64).collect();
                let i: Vec<f64> = pts.iter().map(|r| r.current_mean_ua).collect();
                let ke: Vec<f64> = pts
                    .iter()
                    .map(|r| r.ke_mean_ev / r.task.mobile as f64)
                    .collect();
                let err: Vec<f64> = pts
                    .iter()
                    .map(|r| r.ke_std_ev / r.task.mobile as f64)
                    .collect();
                let c = PALETTE[series % PALETTE.len()];
                series += 1;
                p6 = p6.line(&label, &n, &i).color(c);
                p7 = p7.errorbars(&label, &n, &ke, &err).color(c);
                // Eq. 13 over N ≥ 40: 1/E = 1/E_∞ + b/N.
                let big: Vec<&&TaskResult> = pts.iter().filter(|r| r.task.mobile >= 40).collect();
                let x: Vec<f64> = big.iter().map(|r| 1.0 / r.task.mobile as f64).collect();
                let y: Vec<f64> = big.iter().map(|r| 1.0 / r.ke_mean_ev).collect();
                if let Some((a, s)) = fit_line(&x, &y) {
                    let e_inf = 1.0 / a;
                    // Eq. 13, E = E∞N/(E∞b + N), is 1/E = 1/E∞ + b/N: the slope is b (1/eV).
                    let b = s;
                    // E0 and β need α from Fig. 6a at this bias (a scan over masses).
                    let hw = hbar_omega_e(m);
                    let alpha = alpha_of.get(&v.to_bits()).copied();
                    let e0 = alpha.map(|al| e_inf / (al * v / hw - 1.0));
                    let beta = alpha.zip(e0).map(|(al, e0)| b * (al * v - hw) * e0);
                    let csv = |x: Option<f64>| x.map_or(String::new(), |x| x.to_string());
                    let js = |x: Option<f64>| x.map_or("null".into(), |x| format!("{x:.3}"));
                    let nn: Vec<f64> = (40..=n.iter().copied().fold(40.0, f64::max) as usize)
                        .step_by(5)
                        .map(|k| k as f64)
                        .collect();
                    let fit: Vec<f64> = nn.iter().map(|&k| e_inf / (e_inf * b + k)).collect();
                    p7 = p7
                        .dashed(&format!("Eq. 13, E∞ = {e_inf:.1} eV"), &nn, &fit)
                        .color(c);
                    let _ = writeln!(
                        fits,
                        "fig7,{v},{m},,{a},{s},{},,{e_inf},{b},{},{},,,",
                        csv(alpha),
                        csv(e0),
                        csv(beta)
                    );
                    json.push(format!(
                        "{{\"fig\":\"7\",\"bias_V\":{v},\"mass_amu\":{m},\"E_inf_eV\":{e_inf:.3},\"b\":{b:.4},\"E0_eV\":{},\"beta_eV\":{}}}",
                        js(e0),
                        js(beta)
                    ));
                }
            }
        }
        Figure::new("Current against N (Fig. 6b)", p6).save_png(&out.join("current_vs_n.png"))?;
        Figure::new("Saturation KE per atom against N (Fig. 7)", p7)
            .save_png(&out.join("ke_per_atom_vs_n.png"))?;
    }
    // Fig. 8a: E against V/I, per N, at the mass with the most tasks.
    let m8 = ms
        .iter()
        .copied()
        .max_by_key(|&m| results.iter().filter(|r| r.task.mass_amu == m).count())
        .unwrap_or(0.0);
    if vs.len() > 1 {
        let mut panel = Panel::new("V/I (V/µA)", "KE (eV)");
        for &n in &ns {
            let pts: Vec<&TaskResult> = results
                .iter()
                .filter(|r| r.task.mobile as f64 == n && r.task.mass_amu == m8)
                .collect();
            let x: Vec<f64> = pts
                .iter()
                .map(|r| r.task.bias_v / r.current_mean_ua)
                .collect();
            let y: Vec<f64> = pts.iter().map(|r| r.ke_mean_ev).collect();
            panel = panel.points(&format!("N = {n}"), &x, &y);
        }
        Figure::new("Saturation KE against V/I (Fig. 8a)", panel)
            .save_png(&out.join("ke_vs_resistance.png"))?;
    }
    let path = out.join("fits.csv");
    std::fs::write(&path, fits).map_err(|e| Error::io(&path, e))?;
    Ok(format!("[{}]", json.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Synthetic saturation data on a line 1/I = a + s√M at N = 200 (Eq. 12 with an offset)
    /// and on Eq. 13 (E = E∞N/(E∞b + N)) give back the line, the proportional fit's α (Eq. 12
    /// as written), E∞ and b in `fits.csv`, and E0 and β from that α.
    #[test]
    fn fits_recover_the_parameters_of_eqs_12_and_13() {
        let (e_inf, b, a, s) = (16.0, 6.0, 0.02, 0.011);
        let mut results = Vec::new();
        for &n in &[40usize, 80, 120, 200] {
            for &m in &[5.0, 10.0, 20.0] {
                if n != 200 && m != 10.0 {
                    continue;
                }
                results.push(TaskResult {
                    task: ScanTask {
                        mobile: n,
                        bias_v: 1.0,
                        mass_amu: m,
                    },
                    ke_mean_ev: e_inf * n as f64 / (e_inf * b + n as f64),
                    ke_std_ev: 0.1,
                    current_mean_ua: 1.0 / (a + s * f64::sqrt(m)),
                    current_std_ua: 0.1,
                    current_var_ua2: 0.0,
                    seconds: 1.0,
                });
            }
        }
        let dir = std::env::temp_dir().join(format!("nc_fits_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        figures(&dir, &results).unwrap();
        let fits = std::fs::read_to_string(dir.join("fits.csv")).unwrap();
        let row = |kind: &str| -> Vec<String> {
            let line = fits.lines().find(|l| l.starts_with(kind)).unwrap();
            line.split(',').map(String::from).collect()
        };
        let num = |v: &str| v.parse::<f64>().unwrap();
        let f6 = row("fig6a");
        assert_eq!(f6.len(), 15);
        assert!((num(&f6[4]) - a).abs() < 1e-12, "intercept {}", f6[4]);
        assert!((num(&f6[5]) - s).abs() < 1e-12, "slope {}", f6[5]);
        // Through the origin: s₀ = Σ√M(a + s√M)/ΣM over 5, 10, 20 amu.
        let ms = [5.0f64, 10.0, 20.0];
        let s0 = ms.iter().map(|m| m.sqrt() * a + s * m).sum::<f64>() / ms.iter().sum::<f64>();
        assert!((num(&f6[12]) - s0).abs() < 1e-12, "s0 {}", f6[12]);
        let per_slope = G0_SIEMENS * 1e6 * hbar_omega_e(1.0);
        let alpha = s0 * per_slope;
        assert!((num(&f6[6]) - alpha).abs() < 1e-9 * alpha);
        assert!((num(&f6[13]) - s * per_slope).abs() < 1e-9 * s * per_slope);
        // The proportional fit's long-wire current is its own 1/I at 10 amu.
        let long = num(&f6[7]);
        assert!((long - 1.0 / (s0 * 10f64.sqrt())).abs() < 1e-9 * long);
        let f7 = row("fig7,1,10");
        assert!((num(&f7[8]) - e_inf).abs() < 1e-9 * e_inf, "E∞ {}", f7[8]);
        assert!((num(&f7[9]) - b).abs() < 1e-9 * b, "b {}", f7[9]);
        let hw = hbar_omega_e(10.0);
        let e0 = e_inf / (alpha / hw - 1.0);
        assert!((num(&f7[10]) - e0).abs() < 1e-9 * e0.abs(), "E0 {}", f7[10]);
        assert!(
            (num(&f7[11]) - b * (alpha - hw) * e0).abs() < 1e-9 * (b * (alpha - hw) * e0).abs()
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
