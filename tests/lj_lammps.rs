//! `lj/cut` against LAMMPS (Debian `lmp`) on the cases of `tests/reference/lammps/lj_cut/`
//! (made by its `gen.sh` with LAMMPS alone): a periodic binary crystal with mixed 1-2
//! coefficients and a slab with explicit 1-2 coefficients and `pair_modify shift yes`. Energy
//! within 1e-12 relative, every force component within 1e-12 eV/Å, pressure within 1e-10
//! relative; and `eval` under mpirun at 2, 3 and 4 ranks gives the serial forces to 1e-12.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use nanocontact::commands::eval::{evaluate, EvalOptions};
use nanocontact::parallel::World;

fn case_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference/lammps/lj_cut")
        .join(name)
}

/// The `boundary` line of the case's LAMMPS input.
fn boundary(dir: &Path) -> String {
    let inp = std::fs::read_to_string(dir.join("in.lmp")).unwrap();
    let line = inp.lines().find(|l| l.starts_with("boundary")).unwrap();
    line["boundary".len()..].trim().to_string()
}

fn options(dir: &Path) -> EvalOptions {
    EvalOptions {
        data: dir.join("data.lmp"),
        potential: format!("lj/cut:{}", dir.join("pair.lj").display()),
        elements: Vec::new(),
        boundary: boundary(dir),
        dump: None,
        skin: 1.0,
        grid: None,
    }
}

fn max_force_difference(a: &HashMap<u64, [f64; 3]>, b: &HashMap<u64, [f64; 3]>) -> f64 {
    assert_eq!(a.len(), b.len());
    let mut worst = 0.0f64;
    for (id, f) in a {
        for d in 0..3 {
            worst = worst.max((f[d] - b[id][d]).abs());
        }
    }
    worst
}

#[test]
fn lj_cut_equals_lammps() {
    for name in ["binary_bulk", "binary_slab"] {
        let dir = case_dir(name);
        let e: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("energy.json")).unwrap())
                .unwrap();
        let (pe, press) = (
            e["pe_eV"].as_f64().unwrap(),
            e["pressure_bar"].as_f64().unwrap(),
        );
        let r = evaluate(&options(&dir), World::serial()).unwrap();
        assert_eq!(r.natoms, e["natoms"].as_u64().unwrap(), "{name}");
        let de = ((r.pe_ev - pe) / pe).abs();
        let dp = ((r.pressure_bar - press) / press).abs();
        let ours: HashMap<u64, [f64; 3]> = r.forces.iter().copied().collect();
        let df = max_force_difference(&ours, &common::read_forces_dump(&dir.join("forces.dump")));
        eprintln!("{name}: dE/E = {de:.1e}, dP/P = {dp:.1e}, max |dF| = {df:.1e} eV/A");
        assert!(de < 1e-12, "{name}: energy {} vs LAMMPS {pe}", r.pe_ev);
        assert!(
            dp < 1e-10,
            "{name}: pressure {} vs LAMMPS {press}",
            r.pressure_bar
        );
        assert!(df < 1e-12, "{name}: forces differ by {df:e} eV/A");
    }
}

#[test]
fn lj_cut_under_mpirun_gives_serial_forces() {
    let scratch = common::scratch("lj-mpi");
    for name in ["binary_bulk", "binary_slab"] {
        let dir = case_dir(name);
        let o = options(&dir);
        let mut reference = None;
        for np in 1..=4 {
            let dump = scratch.join(format!("{name}-{np}.txt"));
            let out = common::mpirun_ok(
                np,
                &[
                    "eval",
                    o.data.to_str().unwrap(),
                    "--potential",
                    &o.potential,
                    "--boundary",
                    &o.boundary,
                    "--dump",
                    dump.to_str().unwrap(),
                ],
            );
            let line = String::from_utf8_lossy(&out.stdout);
            let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
            let forces: HashMap<u64, [f64; 3]> = std::fs::read_to_string(&dump)
                .unwrap()
                .lines()
                .map(|l| {
                    let w: Vec<f64> = l.split_whitespace().map(|s| s.parse().unwrap()).collect();
                    (w[0] as u64, [w[1], w[2], w[3]])
                })
                .collect();
            let pe = v["pe_eV"].as_f64().unwrap();
            match &reference {
                None => reference = Some((pe, forces)),
                Some((pe1, f1)) => {
                    let df = max_force_difference(&forces, f1);
                    assert!(
                        ((pe - pe1) / pe1).abs() < 1e-12,
                        "{name} at {np} ranks: {pe} vs {pe1}"
                    );
                    assert!(df < 1e-12, "{name} at {np} ranks: forces differ by {df:e}");
                }
            }
        }
    }
}
