//! 100 snapshots sharing their leads (README.md beside this file): a silver contact between
//! Ag(111) 3×3 leads, spd Slater–Koster model, a k∥ mesh and a few energies around E_F; each
//! snapshot the same structure with its gap atoms displaced at random (Gaussian, seeded), the
//! lead planes ideal.
//!
//! Geometry: fcc(111) planes normal to z, spacing a/√3, ABC stacking (plane p shifted by
//! (p mod 3)(b₁ + b₂)/3), in-plane nearest-neighbour vectors b₁ = d(1, 0, 0),
//! b₂ = d(½, √3/2, 0) with d = a/√2; the transverse supercell is A₁ = 3b₁, A₂ = 3b₂ (9 atoms per
//! plane, periodic). The scattering region holds `--lead-planes` ideal planes of each lead, then
//! the gap: `--full-planes` complete planes on each side of a neck whose planes keep the atoms
//! nearest the cell's centre (`--neck`, atoms per plane). The leads are found from the ideal
//! planes (`lead_crystal`: stacking and thinnest principal layer), once.
//!
//! The run: the problem of every snapshot is assembled, frozen per k and solved at every
//! (E, k) by `transport::unit::solve_unit`, the unit of the farm, with lead surfaces from a
//! `LeadCache` (computed once per (E, k) for the whole run), then again without cache for the
//! first `--naive` snapshots (every snapshot recomputes its leads, as Kwant does). The first
//! `--json` snapshots are written as Hamiltonian JSON (`kwant_json::system_json`) for
//! `kwant_snapshots.py`. One JSON object with the timings and T at every (snapshot, k, E) goes
//! to `--out`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use nanocontact::dynamics::velocity::{gaussian_pair, keyed_stream};
use nanocontact::error::{Error, Result};
use nanocontact::transport::farm::lead_cache::LeadCache;
use nanocontact::transport::farm::unit::{solve_unit, UnitData};
use nanocontact::transport::model::bulk_bands::{bulk_fermi_energy, Crystal};
use nanocontact::transport::model::slater_koster::{SlaterKoster, ORBITALS};
use nanocontact::transport::model::tight_binding::Atom;
use nanocontact::transport::problem::kwant_json::{system_json, write_json};
use nanocontact::transport::problem::lead_crystal::{lead_crystal, principal_layer};
use nanocontact::transport::problem::supercell::{
    build_supercell_problem, KMesh, LeadBlocks, MeshPoint, Supercell,
};
use nanocontact::transport::{SelfEnergyMethod, Solver, TransportProblem};
use serde_json::json;

#[derive(Parser)]
struct Args {
    /// Slater–Koster parameter file.
    #[arg(long, default_value = "inputs/tb/ag_spd.toml")]
    model: PathBuf,
    /// Number of snapshots.
    #[arg(long, default_value_t = 100)]
    snapshots: usize,
    /// Snapshots also solved without lead cache.
    #[arg(long, default_value_t = 10)]
    naive: usize,
    /// Snapshots written as Hamiltonian JSON (the first ones).
    #[arg(long, default_value_t = 0)]
    json: usize,
    /// Directory of the JSON files.
    #[arg(long, default_value = "bench/transport/snapshots/work/json")]
    json_dir: PathBuf,
    /// Standard deviation of each Cartesian displacement of a gap atom (Å).
    #[arg(long, default_value_t = 0.1)]
    sigma: f64,
    /// Seed of the displacements.
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// Monkhorst–Pack points per transverse direction (halved by time reversal).
    #[arg(long, default_value_t = 2)]
    kmesh: usize,
    /// Energies relative to the bulk Fermi level (eV), comma-separated.
    #[arg(
        long,
        default_value = "-0.1,0,0.1",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    energies: Vec<f64>,
    /// Ideal lead planes in the scattering region, each side.
    #[arg(long, default_value_t = 3)]
    lead_planes: usize,
    /// Complete gap planes on each side of the neck.
    #[arg(long, default_value_t = 10)]
    full_planes: usize,
    /// Atoms per plane of the neck (at most 9 each), comma-separated.
    #[arg(long, default_value = "7,5,4,3,3,3,3,4,5,7", value_delimiter = ',')]
    neck: Vec<usize>,
    /// Output JSON file.
    #[arg(long)]
    out: PathBuf,
}

/// Planes of the 3×3 Ag(111) cell.
struct Geometry {
    cell: Supercell,
    b: [[f64; 3]; 2],
    spacing: f64,
}

impl Geometry {
    fn new(a: f64) -> Result<Self> {
        let d = a / 2f64.sqrt();
        let b = [[d, 0.0, 0.0], [0.5 * d, 0.5 * 3f64.sqrt() * d, 0.0]];
        let cell = Supercell::new(vec![b[0].map(|x| 3.0 * x), b[1].map(|x| 3.0 * x)])?;
        Ok(Geometry {
            cell,
            b,
            spacing: a / 3f64.sqrt(),
        })
    }

    /// The 9 sites of plane p.
    fn plane(&self, p: usize) -> Vec<[f64; 3]> {
        let shift = (p % 3) as f64 / 3.0;
        let mut out = Vec::with_capacity(9);
        for i in 0..3 {
            for j in 0..3 {
                let (u, v) = (i as f64 + shift, j as f64 + shift);
                out.push([
                    u * self.b[0][0] + v * self.b[1][0],
                    u * self.b[0][1] + v * self.b[1][1],
                    p as f64 * self.spacing,
                ]);
            }
        }
        out
    }

    /// The n sites of plane p nearest (minimum image) the axis through the cell's centre.
    fn neck_plane(&self, p: usize, n: usize) -> Vec<[f64; 3]> {
        let v = self.cell.vectors();
        let c = [0.5 * (v[0][0] + v[1][0]), 0.5 * (v[0][1] + v[1][1])];
        let mut sites = self.plane(p);
        let r = |s: &[f64; 3]| {
            let m = self.cell.minimum_image([s[0] - c[0], s[1] - c[1], 0.0]);
            (m[0] * m[0] + m[1] * m[1]).sqrt()
        };
        sites.sort_by(|x, y| r(x).total_cmp(&r(y)));
        sites.truncate(n);
        sites
    }
}

fn atoms(p: &[[f64; 3]]) -> Vec<Atom> {
    p.iter().map(|&pos| Atom { species: 0, pos }).collect()
}

/// The reference structure: (positions, is-gap-atom).
fn structure(g: &Geometry, args: &Args) -> Result<(Vec<[f64; 3]>, Vec<bool>)> {
    if let Some(n) = args.neck.iter().find(|&&n| n == 0 || n > 9) {
        return Err(Error::run(format!(
            "--neck: {n} atoms in a plane; 1 to 9 are possible"
        )));
    }
    let mut gap: Vec<usize> = vec![9; args.full_planes];
    gap.extend(&args.neck);
    gap.extend(vec![9; args.full_planes]);
    let (mut pos, mut mobile) = (Vec::new(), Vec::new());
    let mut p = 0;
    let mut push = |sites: Vec<[f64; 3]>, m: bool| {
        mobile.extend(vec![m; sites.len()]);
        pos.extend(sites);
    };
    for _ in 0..args.lead_planes {
        push(g.plane(p), false);
        p += 1;
    }
    for &n in &gap {
        push(g.neck_plane(p, n), true);
        p += 1;
    }
    for _ in 0..args.lead_planes {
        push(g.plane(p), false);
        p += 1;
    }
    Ok((pos, mobile))
}

/// Snapshot s: every gap atom displaced by a Gaussian of width σ per component, from a stream
/// keyed by (seed, atom, snapshot).
fn snapshot(pos: &[[f64; 3]], mobile: &[bool], sigma: f64, seed: u64, s: usize) -> Vec<Atom> {
    let moved: Vec<[f64; 3]> = pos
        .iter()
        .zip(mobile)
        .enumerate()
        .map(|(i, (&x, &m))| {
            if !m {
                return x;
            }
            let mut rng = keyed_stream(seed, i as u64, s as u64);
            let (g0, g1) = gaussian_pair(&mut rng);
            let (g2, _) = gaussian_pair(&mut rng);
            [x[0] + sigma * g0, x[1] + sigma * g1, x[2] + sigma * g2]
        })
        .collect();
    atoms(&moved)
}

/// CPU time of this (single-threaded) process in seconds, from /proc/self/schedstat (time on
/// the CPU, ns); the machine is shared, so wall time alone would count others' load.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns * 1e-9)
}

/// Results of one pass over the snapshots.
struct Pass {
    seconds: f64,
    cpu_seconds: f64,
    build_seconds: f64,
    lead_seconds: f64,
    /// [snapshot][k] unit data.
    data: Vec<Vec<UnitData>>,
}

#[allow(clippy::too_many_arguments)]
fn pass(
    n: usize,
    make: &dyn Fn(usize) -> Result<TransportProblem>,
    points: &[MeshPoint],
    energies: &[f64],
    cache: &mut LeadCache,
) -> Result<Pass> {
    let t0 = Instant::now();
    let c0 = cpu_seconds();
    let mut build_seconds = 0.0;
    let mut lead_seconds = 0.0;
    let mut data = Vec::with_capacity(n);
    for s in 0..n {
        let tb = Instant::now();
        let solver = Solver::new(make(s)?, SelfEnergyMethod::ModeMatching)?;
        build_seconds += tb.elapsed().as_secs_f64();
        let mut per_k = Vec::with_capacity(points.len());
        for (ik, p) in points.iter().enumerate() {
            let (d, lead) = solve_unit(&solver, ik, p.point.k, energies, 0, cache, &mut || {})?;
            lead_seconds += lead;
            per_k.push(d);
        }
        data.push(per_k);
    }
    Ok(Pass {
        seconds: t0.elapsed().as_secs_f64(),
        cpu_seconds: cpu_seconds() - c0,
        build_seconds,
        lead_seconds,
        data,
    })
}

fn run(args: &Args) -> Result<()> {
    let model = SlaterKoster::read(&args.model)?;
    let a = model.params.lattice_constant;
    let g = Geometry::new(a)?;
    let (pos, mobile) = structure(&g, args)?;
    let e_f = bulk_fermi_energy(
        &model,
        &Crystal::fcc(a, 0),
        model.params.valence_electrons,
        24,
    )?;
    let energies: Vec<f64> = args.energies.iter().map(|e| e_f + e).collect();
    // The leads, once, from the ideal planes of the reference structure.
    let n_lead = 9 * args.lead_planes;
    let tol = 1e-3;
    let regions = [atoms(&pos[..n_lead]), atoms(&pos[pos.len() - n_lead..])];
    let mut leads: Vec<LeadBlocks> = Vec::new();
    for (side, (region, outward)) in regions.iter().zip([-1.0, 1.0]).enumerate() {
        let name = ["left", "right"][side];
        let crystal = lead_crystal(region, 2, outward, &g.cell, tol, name)?;
        leads.push(principal_layer(&model, &g.cell, &crystal, name)?);
    }
    let mesh = KMesh {
        n: [args.kmesh, args.kmesh],
        time_reversal: true,
    };
    let make_points = |s: usize| -> Result<(TransportProblem, Vec<MeshPoint>)> {
        let snap = snapshot(&pos, &mobile, args.sigma, args.seed, s);
        build_supercell_problem(
            &model,
            &g.cell,
            &snap,
            [(&leads[0], [0.0; 3]), (&leads[1], [0.0; 3])],
            mesh,
        )
    };
    let (p0, points) = make_points(0)?;
    let make = |s: usize| make_points(s).map(|(p, _)| p);
    let layer_planes = leads[0].geometry.layer.len() / 9;
    let slices: Vec<usize> = Solver::new(p0.clone(), SelfEnergyMethod::ModeMatching)?
        .slicing()
        .slices
        .iter()
        .map(Vec::len)
        .collect();
    eprintln!("RGF slices of snapshot 0 (orbitals): {slices:?}");
    eprintln!(
        "{} atoms ({} in the gap), {} orbitals; principal layer {} plane(s), {} orbitals; \
         E_F = {e_f:.4} eV; {} k-points, {} energies",
        pos.len(),
        mobile.iter().filter(|&&m| m).count(),
        p0.n_s(),
        layer_planes,
        p0.leads[0].n_layer(),
        points.len(),
        energies.len()
    );
    // Hamiltonian JSON of the first snapshots (not timed).
    if args.json > 0 {
        std::fs::create_dir_all(&args.json_dir).map_err(|e| Error::io(&args.json_dir, e))?;
    }
    for s in 0..args.json.min(args.snapshots) {
        let p = make(s)?;
        let mut v = system_json(&p);
        let snap = snapshot(&pos, &mobile, args.sigma, args.seed, s);
        v["description"] = json!(format!(
            "Ag contact between Ag(111) 3x3 leads, spd Slater-Koster ({}), snapshot {s} of \
             bench/transport/snapshots (seed {}, sigma {} A)",
            args.model.display(),
            args.seed,
            args.sigma
        ));
        v["norbs_per_site"] = json!(ORBITALS);
        v["scattering_region"]["sites"] = snap
            .iter()
            .enumerate()
            .map(|(i, at)| json!({"pos": at.pos, "orbital": ORBITALS * i}))
            .collect();
        v["energies_eV"] = json!(energies);
        let path = args.json_dir.join(format!("snapshot_{s:03}.json"));
        write_json(&path, &v)?;
    }
    // With the cache: lead surfaces once per (E, k) for the whole run.
    let mut cache = LeadCache::new(true, 1e4);
    let cached = pass(args.snapshots, &make, &points, &energies, &mut cache)?;
    // Without: every snapshot recomputes them.
    let mut off = LeadCache::new(false, 0.0);
    let naive_n = args.naive.min(args.snapshots);
    let naive = pass(naive_n, &make, &points, &energies, &mut off)?;
    let mut max_dt = 0.0f64;
    for (a, b) in cached.data.iter().zip(&naive.data) {
        for (x, y) in a.iter().zip(b) {
            for (u, v) in x.t_lr.iter().zip(&y.t_lr) {
                max_dt = max_dt.max((u - v).abs());
            }
        }
    }
    let per = |p: &Pass, n: usize| {
        json!({
            "snapshots": n,
            "seconds": p.seconds,
            "s_per_snapshot": p.seconds / n.max(1) as f64,
            "cpu_seconds": p.cpu_seconds,
            "cpu_s_per_snapshot": p.cpu_seconds / n.max(1) as f64,
            "build_seconds": p.build_seconds,
            "lead_seconds": p.lead_seconds,
            "lead_fraction": p.lead_seconds / p.seconds,
        })
    };
    let table = |f: &dyn Fn(&UnitData) -> Vec<f64>| -> Vec<Vec<Vec<f64>>> {
        cached
            .data
            .iter()
            .map(|ks| ks.iter().map(f).collect())
            .collect()
    };
    let out = json!({
        "code": "nanocontact",
        "atoms": pos.len(),
        "gap_atoms": mobile.iter().filter(|&&m| m).count(),
        "orbitals": p0.n_s(),
        "principal_layer_planes": layer_planes,
        "slices_snapshot0": slices,
        "layer_orbitals": p0.leads[0].n_layer(),
        "E_F_eV": e_f,
        "energies_eV": energies,
        "kpoints": points.iter().map(|p| p.point.k.0).collect::<Vec<_>>(),
        "weights": points.iter().map(|p| p.point.weight).collect::<Vec<_>>(),
        "cached": per(&cached, args.snapshots),
        "naive": per(&naive, naive_n),
        "cache_hits": cache.stats.hits,
        "cache_misses": cache.stats.misses,
        "max_dT_cached_vs_naive": max_dt,
        "T_LR": table(&|d| d.t_lr.clone()),
        "T_RL": table(&|d| d.t_rl.clone()),
        "open_L": table(&|d| d.open_l.iter().map(|&x| f64::from(x)).collect()),
    });
    write_json(&args.out, &out)?;
    eprintln!(
        "cached: {:.4} s per snapshot (leads {:.1}% of it); naive: {:.4} s per snapshot (leads \
         {:.1}%); max |dT| cached vs naive {max_dt:.1e}",
        cached.seconds / args.snapshots.max(1) as f64,
        100.0 * cached.lead_seconds / cached.seconds,
        naive.seconds / naive_n.max(1) as f64,
        100.0 * naive.lead_seconds / naive.seconds.max(1e-300)
    );
    Ok(())
}

fn main() {
    env_logger::init();
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("snapshot_bench: {e}");
        std::process::exit(1);
    }
}
