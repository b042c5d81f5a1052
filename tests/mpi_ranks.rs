//! The same physics on any number of ranks: runs under `mpirun --oversubscribe -np N` for
//! N = 1, 2, 3, 4 agree with the 1-rank run to round-off (thermo to 1e-9 relative, every atom's
//! position to 1e-9 of the box length after 200 NVE steps), no atom is lost or duplicated, and
//! `eval` under mpirun gives the serial forces, also on grids whose sub-boxes are thinner than
//! the ghost cutoff (several hops per direction).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Atoms section of a data file: id -> position; panics on a repeated id.
fn positions(p: &Path) -> HashMap<u64, [f64; 3]> {
    let t = std::fs::read_to_string(p).unwrap();
    let body = t
        .split("Atoms # atomic")
        .nth(1)
        .unwrap()
        .split("Velocities")
        .next()
        .unwrap();
    let mut m = HashMap::new();
    for l in body.lines().filter(|l| !l.trim().is_empty()) {
        let v: Vec<&str> = l.split_whitespace().collect();
        let id: u64 = v[0].parse().unwrap();
        let x = [
            v[2].parse().unwrap(),
            v[3].parse().unwrap(),
            v[4].parse().unwrap(),
        ];
        assert!(
            m.insert(id, x).is_none(),
            "atom {id} duplicated in {}",
            p.display()
        );
    }
    m
}

/// Run `deck` at 1..4 ranks and compare with the 1-rank run.
fn compare_ranks(name: &str, deck: &str, natoms: usize, box_len: f64) {
    let dir = common::scratch(name);
    let deck_path = dir.join("deck.toml");
    std::fs::write(&deck_path, deck).unwrap();
    let run = |np: usize| -> PathBuf {
        let out = dir.join(format!("np{np}"));
        common::mpirun_ok(
            np,
            &[
                "run",
                deck_path.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        );
        out
    };
    let ref_out = run(1);
    let ref_x = positions(&ref_out.join("final.data"));
    let ref_t = common::read_csv(&ref_out.join("thermo.csv"));
    assert_eq!(ref_x.len(), natoms);
    assert_eq!(ref_t.last().unwrap()[0], 200.0);
    for np in 2..=4 {
        let out = run(np);
        let x = positions(&out.join("final.data"));
        assert_eq!(
            x.len(),
            natoms,
            "{name}: atoms lost or duplicated at {np} ranks"
        );
        let mut worst = 0.0f64;
        for (id, a) in &ref_x {
            let b = x
                .get(id)
                .unwrap_or_else(|| panic!("{name}: atom {id} missing at {np} ranks"));
            for d in 0..3 {
                worst = worst.max((a[d] - b[d]).abs());
            }
        }
        assert!(
            worst < 1e-9 * box_len,
            "{name}: positions at {np} ranks differ by {worst:e} A"
        );
        let t = common::read_csv(&out.join("thermo.csv"));
        assert_eq!(t.len(), ref_t.len());
        for (r, s) in ref_t.iter().zip(&t) {
            for k in [2, 4, 6] {
                // pe, etotal, press
                assert!(
                    (r[k] - s[k]).abs() <= 1e-9 * r[k].abs().max(1.0),
                    "{name}: step {} column {k}: {} vs {} at {np} ranks",
                    r[0],
                    r[k],
                    s[k]
                );
            }
        }
        eprintln!("{name}: {np} ranks, max |dx| = {worst:.1e} A");
    }
}

fn au_potential() -> String {
    common::reference()
        .join("lammps/potentials/Au_u3.eam")
        .display()
        .to_string()
}

#[test]
fn periodic_gold_256() {
    let data = common::reference().join("lammps/nve/data.lmp");
    let deck = format!(
        "[structure]\ndata = \"{}\"\n[potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[neighbor]\nskin = 1.0\n[run]\ntimestep = 0.002\nsteps = 200\nthermo = 20\n",
        data.display(),
        au_potential()
    );
    compare_ranks("periodic256", &deck, 256, 16.32);
}

#[test]
fn free_z_gold_contact() {
    let data = common::reference().join("lammps/eam/au_contact/data.lmp");
    let deck = format!(
        "[structure]\ndata = \"{}\"\nboundary = \"p p f\"\n[potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[velocity]\ntemperature = 600.0\nseed = 5\n[run]\ntimestep = 0.002\nsteps = 200\nthermo = 20\n",
        data.display(),
        au_potential()
    );
    compare_ranks("contact", &deck, 304, 38.56);
}

#[test]
fn slab_of_4000_atoms() {
    let deck = format!(
        "[structure]\nboundary = \"p p f\"\n[structure.lattice]\na = 4.08\ncells = [10, 10, 10]\nvacuum = [0.0, 0.0, 6.0]\n[potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[velocity]\ntemperature = 600.0\nseed = 7\n[run]\ntimestep = 0.002\nsteps = 200\nthermo = 50\n",
        au_potential()
    );
    compare_ranks("slab4000", &deck, 4000, 40.8);
}

/// `eval --dump` forces at N ranks on `grid` against 1 rank.
fn eval_forces(case: &str, np: usize, grid: Option<&str>, dir: &Path) -> HashMap<u64, [f64; 3]> {
    let c = common::eam_case(case);
    let dump = dir.join(format!("{case}-{np}-{}.txt", grid.unwrap_or("auto")));
    let elements = c.elements.join(",");
    let mut args = vec![
        "eval",
        c.data.to_str().unwrap(),
        "--potential",
        &c.spec,
        "--boundary",
        &c.boundary,
        "--dump",
        dump.to_str().unwrap(),
    ];
    if !elements.is_empty() {
        args.extend(["--elements", &elements]);
    }
    if let Some(g) = grid {
        args.extend(["--grid", g]);
    }
    let out = common::mpirun_ok(np, &args);
    let v: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).unwrap();
    assert!(
        ((v["pe_eV"].as_f64().unwrap() - c.pe_ev) / c.pe_ev).abs() < 1e-12,
        "{case} at {np} ranks: energy"
    );
    std::fs::read_to_string(&dump)
        .unwrap()
        .lines()
        .map(|l| {
            let t: Vec<f64> = l.split_whitespace().map(|x| x.parse().unwrap()).collect();
            (t[0] as u64, [t[1], t[2], t[3]])
        })
        .collect()
}

#[test]
fn eval_under_mpirun_gives_serial_forces() {
    let dir = common::scratch("eval-mpi");
    for case in ["au_contact", "cuni_alloy"] {
        let serial = eval_forces(case, 1, None, &dir);
        // Default grids at 2-4 ranks, then grids with sub-boxes thinner than the ghost cutoff
        // (16.32 / 4 = 4.08 A < 5.55 + 1 A): several hops per direction.
        let runs: [(usize, Option<&str>); 5] = [
            (2, None),
            (3, None),
            (4, None),
            (4, Some("4,1,1")),
            (4, Some("1,2,2")),
        ];
        for (np, grid) in runs {
            let f = eval_forces(case, np, grid, &dir);
            assert_eq!(f.len(), serial.len());
            let worst = serial
                .iter()
                .map(|(id, a)| (0..3).map(|d| (a[d] - f[id][d]).abs()).fold(0.0, f64::max))
                .fold(0.0, f64::max);
            assert!(
                worst < 1e-12,
                "{case} at {np} ranks grid {grid:?}: forces differ by {worst:e}"
            );
        }
    }
}

#[test]
fn thin_periodic_box_on_many_ranks() {
    // 3 ranks along a 16.32 A axis: sub-boxes of 5.44 A, thinner than the 6.55 A ghost cutoff.
    let dir = common::scratch("thin");
    let serial = eval_forces("au_bulk", 1, None, &dir);
    let f = eval_forces("au_bulk", 3, Some("3,1,1"), &dir);
    let worst = serial
        .iter()
        .map(|(id, a)| (0..3).map(|d| (a[d] - f[id][d]).abs()).fold(0.0, f64::max))
        .fold(0.0, f64::max);
    assert!(worst < 1e-12, "forces differ by {worst:e}");
}

#[test]
fn error_on_one_rank_ends_all_ranks() {
    // A forced grid that does not match the rank count: every rank fails the same way, the job
    // exits non-zero with the message, and does not hang.
    let c = common::eam_case("au_bulk");
    let out = common::mpirun(
        2,
        &[
            "eval",
            c.data.to_str().unwrap(),
            "--potential",
            &c.spec,
            "--grid",
            "3,1,1",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("processor grid 3x1x1 does not match the 2 MPI ranks"),
        "{err}"
    );
}

#[test]
fn trajectories_are_written_once_and_match_serial() {
    use nanocontact::io::dump::read_dump;
    use nanocontact::io::h5md::H5mdReader;
    let data = common::reference().join("lammps/eam/au_contact/data.lmp");
    let deck = format!(
        "[structure]\ndata = \"{}\"\nboundary = \"p p f\"\n[potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[velocity]\ntemperature = 600.0\n[run]\ntimestep = 0.002\nsteps = 100\nthermo = 25\n[output]\ntrajectory = 20\nxyz = 50\ndump = 50\nspecies = [\"Au\"]\n",
        data.display(),
        au_potential()
    );
    let dir = common::scratch("traj");
    let deck_path = dir.join("deck.toml");
    std::fs::write(&deck_path, deck).unwrap();
    let mut frames = Vec::new();
    for np in [1, 3] {
        let out = dir.join(format!("np{np}"));
        common::mpirun_ok(
            np,
            &[
                "run",
                deck_path.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        );
        let h = H5mdReader::open(&out.join("traj.h5")).unwrap();
        assert_eq!(h.n_frames(), 6, "steps 0, 20, .., 100");
        assert_eq!(
            h.observable("pe").unwrap().steps,
            [0, 20, 40, 60, 80, 100],
            "thermo observables at every frame"
        );
        let last = h.frame(5).unwrap();
        assert_eq!(last.step, 100);
        assert_eq!(last.ids, (1..=304).collect::<Vec<u64>>());
        let dumps = read_dump(&out.join("traj.dump")).unwrap();
        assert_eq!(
            dumps.iter().map(|f| f.step).collect::<Vec<_>>(),
            vec![0, 50, 100]
        );
        let xyz = std::fs::read_to_string(out.join("traj.xyz")).unwrap();
        assert_eq!(xyz.lines().filter(|l| l.trim() == "304").count(), 3);
        frames.push(last);
    }
    let (a, b) = (&frames[0], &frames[1]);
    for k in 0..a.ids.len() {
        for d in 0..3 {
            assert!(
                (a.positions[k][d] - b.positions[k][d]).abs() < 1e-10,
                "atom {} position",
                a.ids[k]
            );
        }
    }
}
