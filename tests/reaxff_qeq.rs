//! ReaxFF charge equilibration against LAMMPS (`fix qeq/reaxff 1 0.0 10.0 1.0e-10 reaxff`) on
//! the four cases of `tests/reference/lammps/reaxff/`, at 1, 2, 3 and 4 ranks: every charge
//! within 1e-6 e of LAMMPS's, the total charge zero, the mean CG iteration count of the two
//! solves within one of LAMMPS's `f_q`, and the same count at every rank count for the oxygen
//! cases (the pure-gold ones, with zero charges by symmetry, end their solves at round-off and
//! may differ by one iteration of one solve). The QEq hook runs beside a potential of no force, so
//! that only the charges are compared. This test has its own `main` (`harness = false`): run by
//! `cargo test` it starts itself under `mpirun` at each rank count.

mod common;

use std::collections::HashMap;
use std::path::Path;

use nanocontact::dynamics::Md;
use nanocontact::io::lammps_data::DataFile;
use nanocontact::parallel::World;
use nanocontact::potential::reaxff::qeq::{Qeq, QeqParams};
use nanocontact::potential::reaxff::ForceField;
use nanocontact::system::{Groups, SimBox, CHARGE};

const CASES: [&str; 4] = ["au_cluster", "au_bulk", "au_slab_o", "ag_slab_o"];

/// One case on the ranks of `world`: the largest charge difference and the mean iterations.
fn run_case(case: &str, world: World) -> (f64, f64, f64, f64) {
    let dir = common::reference().join("lammps/reaxff").join(case);
    let inp = std::fs::read_to_string(dir.join("in.lmp")).unwrap();
    let word = |key: &str| {
        inp.lines()
            .find(|l| l.starts_with(key))
            .unwrap()
            .to_string()
    };
    let boundary = word("boundary")["boundary".len()..].trim().to_string();
    let coeff = word("pair_coeff");
    let t: Vec<&str> = coeff.split_whitespace().collect();
    let ffield = Path::new(t[3]).file_name().unwrap().to_owned();
    let elements: Vec<&str> = t[4..].to_vec();
    let ff = ForceField::read(
        &common::reference().join("lammps/potentials").join(ffield),
        false,
    )
    .unwrap();
    let map = ff.for_elements(&elements).unwrap();
    let data = DataFile::read(&dir.join("data.lmp")).unwrap();
    let ntypes = data.masses.len();
    let bnd = SimBox::parse_boundary(&boundary).unwrap();
    let (simbox, atoms) = data.into_system(&dir.join("data.lmp"), bnd, &[]).unwrap();
    let mut md = Md::new(
        simbox,
        atoms,
        Groups::default(),
        Box::new(common::NoForce(ntypes)),
        2.0,
        world,
        None,
    )
    .unwrap();
    let qeq = Qeq::new(QeqParams::from_force_field(&ff, &map), 0.0, 10.0, 1e-10).unwrap();
    md.add_hook(Box::new(qeq));
    md.setup().unwrap();
    let iters = md.hooks.find::<Qeq>().unwrap().iterations;
    let want = common::read_dump_column(&dir.join("forces.dump"), "q");
    let a = &md.atoms;
    let q = a.fields.get(a.fields.find(CHARGE).unwrap());
    let mut v = [0.0f64, 0.0];
    for i in 0..a.nlocal {
        v[0] = v[0].max((q[i] - want[&a.id[i]]).abs());
        v[1] += q[i];
    }
    let dq = md.world.max(v[0]);
    let mut total = [v[1]];
    md.world.sum(&mut total);
    let e: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("energy.json")).unwrap()).unwrap();
    let lammps_iters = e["qeq_iterations"].as_f64().unwrap();
    (dq, total[0], 0.5 * (iters.0 + iters.1) as f64, lammps_iters)
}

fn check_under_mpi() {
    let (_universe, base) = common::mpi_world();
    for case in CASES {
        let world = base.duplicate();
        let root = world.is_root();
        let size = world.size();
        let (dq, total, iters, lammps) = run_case(case, world);
        if root {
            let line = serde_json::json!({
                "case": case,
                "ranks": size,
                "max_dq": dq,
                "total": total,
                "iterations": iters,
                "lammps_iterations": lammps,
            });
            println!("{line}");
        }
    }
}

fn main() {
    if std::env::var_os("OMPI_COMM_WORLD_SIZE").is_some() {
        check_under_mpi();
        return;
    }
    let mut serial: HashMap<String, f64> = HashMap::new();
    for np in 1..=4 {
        let stdout = common::mpirun_self_ok(np);
        for line in stdout.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let case = v["case"].as_str().unwrap().to_string();
            let dq = v["max_dq"].as_f64().unwrap();
            let iters = v["iterations"].as_f64().unwrap();
            let lammps = v["lammps_iterations"].as_f64().unwrap();
            let total = v["total"].as_f64().unwrap();
            println!(
                "reaxff_qeq {case} at {np} rank(s): max |dq| = {dq:.1e} e, total {total:.1e}, \
                 iterations {iters} (LAMMPS {lammps})"
            );
            assert!(
                dq <= 1e-6,
                "{case} at {np} ranks: charges differ from LAMMPS by {dq:e}"
            );
            assert!(
                v["total"].as_f64().unwrap().abs() < 1e-9,
                "{case}: total charge"
            );
            assert!(
                (iters - lammps).abs() <= 1.0,
                "{case}: {iters} iterations, LAMMPS {lammps}"
            );
            match serial.get(&case) {
                None => {
                    serial.insert(case, iters);
                }
                // Pure gold has zero charges by symmetry: its solves end at the round-off level,
                // where the last iteration may go either way.
                Some(&s) if case.starts_with("au_cluster") || case.starts_with("au_bulk") => {
                    assert!(
                        (iters - s).abs() <= 0.5,
                        "{case} at {np} ranks: {iters} vs {s}"
                    )
                }
                Some(&s) => assert_eq!(
                    iters, s,
                    "{case} at {np} ranks: iterations differ from 1 rank"
                ),
            }
        }
    }
    println!("reaxff_qeq: 4 passed, 0 failed");
}
