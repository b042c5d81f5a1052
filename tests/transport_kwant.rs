//! Against Kwant: every case in `tests/reference/kwant/` (read as it is) through the stable
//! CLI contract `run_hamiltonian`, compared with Kwant's T(E), T_RL, open channels and
//! eigenchannel transmissions (absolute tolerance 1e-8), per k where the reference has them.
//! Also RGF against one dense solve of the same problems.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use nanocontact::commands::transport::run_hamiltonian;
use nanocontact::transport::problem::kwant_json::read_system_json;
use nanocontact::transport::{SelfEnergyMethod, Solver};

const TOL: f64 = 1e-8;

fn reference_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/kwant")
}

fn cases() -> Vec<PathBuf> {
    let root = reference_root();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("reference data not found at {}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("system.json").is_file())
        .collect();
    v.sort();
    assert!(
        v.len() >= 7,
        "expected at least the 7 reference cases, found {}",
        v.len()
    );
    v
}

/// A CSV file as header + rows of raw cells.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines
        .next()
        .expect("header")
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(|s| s.trim().to_string()).collect())
        .collect();
    (header, rows)
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: '{s}'"))
}

/// Non-empty numeric cells from column `from` on.
fn taus(row: &[String], from: usize) -> Vec<f64> {
    row[from..]
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| num(c))
        .collect()
}

struct Dev {
    t: f64,
    ch: f64,
    tau: f64,
}

fn compare_case(case: &Path) -> Dev {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let out =
        std::env::temp_dir().join(format!("nanocontact_kwant_{}_{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    run_hamiltonian(
        &case.join("system.json"),
        &case.join("transmission.csv"),
        &out,
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut dev = Dev {
        t: 0.0,
        ch: 0.0,
        tau: 0.0,
    };

    // transmission.csv, row by row (same energies, same order).
    let (rh, rref) = read_csv(&case.join("transmission.csv"));
    let (oh, oout) = read_csv(&out.join("transmission.csv"));
    assert_eq!(rh, oh, "{name}: transmission.csv header");
    assert_eq!(rref.len(), oout.len(), "{name}: number of energies");
    for (r, o) in rref.iter().zip(&oout) {
        assert_eq!(r[0], o[0], "{name}: energy column echoed");
        for c in 1..=2 {
            let d = (num(&r[c]) - num(&o[c])).abs();
            dev.t = dev.t.max(d);
            assert!(
                d <= TOL,
                "{name} E={}: {} ref {} got {} (|d| = {d:e})",
                r[0],
                rh[c],
                r[c],
                o[c]
            );
        }
        for c in 3..=4 {
            let d = (num(&r[c]) - num(&o[c])).abs();
            dev.ch = dev.ch.max(d);
            assert!(
                d <= TOL,
                "{name} E={}: {} ref {} got {}",
                r[0],
                rh[c],
                r[c],
                o[c]
            );
        }
    }

    // eigenchannels.csv: the reference lists selected (k,) E; look them up in ours.
    let (eh, eref) = read_csv(&case.join("eigenchannels.csv"));
    let periodic = eh[0] == "k";
    // Our file holds every energy of transmission.csv; the reference eigen energies are not all
    // on that grid, so recompute them through the library at exactly those energies.
    let problem = read_system_json(&case.join("system.json")).expect("system.json");
    let solver = Solver::new(problem, SelfEnergyMethod::ModeMatching).expect("solver");
    for r in &eref {
        let (k, e, first) = if periodic {
            (num(&r[0]), num(&r[1]), 2)
        } else {
            (0.0, num(&r[0]), 1)
        };
        let want = taus(r, first);
        let got = solver
            .at_k(k)
            .and_then(|s| s.transmission(e))
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(
            got.tau.len(),
            want.len(),
            "{name} k={k} E={e}: number of eigenchannels"
        );
        for (a, b) in got.tau.iter().zip(&want) {
            let d = (a - b).abs();
            dev.tau = dev.tau.max(d);
            assert!(d <= TOL, "{name} k={k} E={e}: tau {a} vs ref {b}");
        }
        let s: f64 = got.tau.iter().sum();
        assert!(
            (s - got.t_lr).abs() <= 1e-10,
            "{name}: sum tau = {s} vs T = {}",
            got.t_lr
        );
    }
    // Where the reference energies are on our grid, our eigenchannels.csv must agree too.
    let (_, eout) = read_csv(&out.join("eigenchannels.csv"));
    let key = |r: &Vec<String>| {
        if periodic {
            (num(&r[0]).to_bits(), r[1].clone())
        } else {
            (0, r[0].clone())
        }
    };
    let ours: HashMap<(u64, String), Vec<f64>> = eout
        .iter()
        .map(|r| (key(r), taus(r, if periodic { 2 } else { 1 })))
        .collect();
    for r in &eref {
        if let Some(got) = ours.get(&key(r)) {
            let want = taus(r, if periodic { 2 } else { 1 });
            assert_eq!(got.len(), want.len(), "{name}: eigenchannels.csv row width");
            for (a, b) in got.iter().zip(&want) {
                assert!(
                    (a - b).abs() <= TOL,
                    "{name}: eigenchannels.csv tau {a} vs {b}"
                );
            }
        }
    }

    // transmission_k.csv (periodic cases): every (k, E).
    let tk = case.join("transmission_k.csv");
    if tk.is_file() {
        let (_, kref) = read_csv(&tk);
        let (_, kout) = read_csv(&out.join("transmission_k.csv"));
        assert_eq!(kref.len(), kout.len(), "{name}: transmission_k.csv rows");
        let ours: HashMap<(String, String), &Vec<String>> = kout
            .iter()
            .map(|r| ((format!("{:.12}", num(&r[0])), r[1].clone()), r))
            .collect();
        for r in &kref {
            let o = ours
                .get(&(format!("{:.12}", num(&r[0])), r[1].clone()))
                .unwrap_or_else(|| panic!("{name}: k={} E={} missing", r[0], r[1]));
            for c in 2..=5 {
                let d = (num(&r[c]) - num(&o[c])).abs();
                if c <= 3 {
                    dev.t = dev.t.max(d);
                } else {
                    dev.ch = dev.ch.max(d);
                }
                assert!(
                    d <= TOL,
                    "{name} k={} E={}: column {c} ref {} got {}",
                    r[0],
                    r[1],
                    r[c],
                    o[c]
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    dev
}

#[test]
fn every_kwant_case_agrees() {
    let mut report = String::new();
    for case in cases() {
        let d = compare_case(&case);
        report.push_str(&format!(
            "{:24} max|dT| = {:.1e}  max|d channels| = {:.1e}  max|d tau| = {:.1e}\n",
            case.file_name().unwrap().to_string_lossy(),
            d.t,
            d.ch,
            d.tau
        ));
    }
    println!("{report}");
}

#[test]
fn rgf_matches_dense_solve_on_every_case() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let p = read_system_json(&case.join("system.json")).expect("system.json");
        let rgf = Solver::new(p.clone(), SelfEnergyMethod::ModeMatching).expect("rgf");
        let dense = Solver::dense(p.clone(), SelfEnergyMethod::ModeMatching).expect("dense");
        assert!(
            rgf.slicing().len() > 1,
            "{name}: the reference systems are long enough to be sliced"
        );
        let k = p.kpoints_or_gamma()[0].k;
        let (a, b) = (rgf.at_k(k).expect("k"), dense.at_k(k).expect("k"));
        for e in [-2.3, -0.7, 0.15, 1.9] {
            let (x, y) = (
                a.transmission(e).expect("rgf"),
                b.transmission(e).expect("dense"),
            );
            assert_eq!((x.open_l, x.open_r), (y.open_l, y.open_r));
            assert!(
                (x.t_lr - y.t_lr).abs() < 1e-11,
                "{name} E={e}: {} vs {}",
                x.t_lr,
                y.t_lr
            );
            assert!((x.t_rl - y.t_rl).abs() < 1e-11, "{name} E={e}");
            for (s, t) in x.tau.iter().zip(&y.tau) {
                assert!((s - t).abs() < 1e-11, "{name} E={e}: tau");
            }
        }
    }
}
