//! `nanocontact run` with transport ranks (`[transport]` of the MD deck) on the small driven
//! junction (`inputs/small_driven_junction.toml`, 340 atoms, 200 steps, a snapshot and a
//! trajectory frame every 50 steps; Sutton s-band, leads by the deck's groups, 2×2 k∥ mesh
//! halved to 2 points, 5 energies):
//! (a) the MD with M transport ranks beside N MD ranks (1+1, 2+1, 1+2, 2+2, 3+1) writes the
//!     same trajectory (traj.h5 positions, thermo.csv, leads.csv) as the MD alone on N ranks,
//!     bit for bit, and agrees with the 1-rank MD to round-off; `ranks = 0` is the plain MD;
//! (b) the conductances stored inline (transport/farm.h5, conductance.csv and traj.h5
//!     /observables/conductance) equal those of `nanocontact farm` on the stored frames;
//! (c) bad `[transport]` input (too many transport ranks, an unknown key in either deck) and an
//!     error on the transport ranks alone end every rank with the message, non-zero, no hang.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{RwLock, RwLockReadGuard};

use nanocontact::io::h5md::H5mdReader;
use nanocontact::transport::farm::store::{read_results, StoredResults};

/// A process spawned while this one has an HDF5 file open inherits the open file and its lock
/// (see tests/transport_farm.rs): spawns (write) and HDF5 reads (read) exclude each other.
static SPAWNING: RwLock<()> = RwLock::new(());

fn hdf5_access() -> RwLockReadGuard<'static, ()> {
    SPAWNING.read().unwrap_or_else(|e| e.into_inner())
}

fn output(mut c: Command) -> Output {
    let child = {
        let _g = SPAWNING.write().unwrap_or_else(|e| e.into_inner());
        c.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    child.wait_with_output().unwrap()
}

/// The transport problem: leads by the MD deck's groups.
const TRANSPORT_DECK: &str = "[model]\nstyle = \"sutton\"\n[leads]\naxis = \"z\"\n\
    left = { group = \"bottom\" }\nright = { group = \"top\" }\n[kpoints]\nmesh = [2, 2]\n\
    [energy]\nrange = [-2.0, 2.0]\npoints = 5\n";

/// The MD deck in `dir` (200 steps, frames every 50), with `transport` appended.
fn md_deck(dir: &Path, name: &str, transport: &str) -> PathBuf {
    let text = common::small_driven_junction_deck(200, 50);
    let p = dir.join(name);
    std::fs::write(&p, format!("{text}\n{transport}")).unwrap();
    p
}

fn transport_section(ranks: usize) -> String {
    format!("[transport]\ndeck = \"t.toml\"\nevery = 50\nranks = {ranks}\n")
}

fn run(np: usize, deck: &Path, out: &Path) -> Output {
    output(common::mpirun_command(
        np,
        &[
            "run",
            deck.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    ))
}

fn run_ok(np: usize, deck: &Path, out: &Path) -> String {
    let o = run(np, deck, out);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "np {np} {}: {err}", deck.display());
    err
}

/// What (a) compares: positions of every traj.h5 frame (ids ascending), thermo.csv, leads.csv.
struct Trajectory {
    steps: Vec<u64>,
    positions: Vec<Vec<[f64; 3]>>,
    thermo: Vec<Vec<f64>>,
    leads: Vec<Vec<f64>>,
}

fn trajectory(out: &Path) -> Trajectory {
    let _g = hdf5_access();
    let h = H5mdReader::open(&out.join("traj.h5")).unwrap();
    let frames: Vec<_> = (0..h.n_frames()).map(|k| h.frame(k).unwrap()).collect();
    Trajectory {
        steps: frames.iter().map(|f| f.step).collect(),
        positions: frames.iter().map(|f| f.positions.clone()).collect(),
        thermo: common::read_csv(&out.join("thermo.csv")),
        leads: common::read_csv(&out.join("leads.csv")),
    }
}

/// Bit for bit when `exact`, else to 1e-9 (relative for the tables, of the box for positions).
fn assert_same_trajectory(a: &Trajectory, b: &Trajectory, exact: bool, what: &str) {
    assert_eq!(a.steps, vec![0, 50, 100, 150, 200], "{what}");
    assert_eq!(a.steps, b.steps, "{what}");
    let close = |x: f64, y: f64, scale: f64| {
        if exact {
            x.to_bits() == y.to_bits()
        } else {
            (x - y).abs() <= 1e-9 * scale
        }
    };
    for (k, (pa, pb)) in a.positions.iter().zip(&b.positions).enumerate() {
        assert_eq!(pa.len(), 340, "{what}");
        assert_eq!(pa.len(), pb.len(), "{what}");
        for (i, (x, y)) in pa.iter().zip(pb).enumerate() {
            for d in 0..3 {
                assert!(
                    close(x[d], y[d], 48.64),
                    "{what}: frame {k} atom {i}: {} vs {}",
                    x[d],
                    y[d]
                );
            }
        }
    }
    for (name, ta, tb) in [
        ("thermo.csv", &a.thermo, &b.thermo),
        ("leads.csv", &a.leads, &b.leads),
    ] {
        assert_eq!(ta.len(), tb.len(), "{what}: {name}");
        for (ra, rb) in ta.iter().zip(tb) {
            for (x, y) in ra.iter().zip(rb) {
                assert!(
                    close(*x, *y, x.abs().max(1.0)),
                    "{what}: {name} step {}: {x} vs {y}",
                    ra[0]
                );
            }
        }
    }
}

/// (step, G/G0) of a conductance.csv.
fn conductance_csv(p: &Path) -> Vec<(u64, f64)> {
    common::read_csv(p)
        .iter()
        .map(|r| (r[1] as u64, r[3]))
        .collect()
}

fn results(p: &Path) -> StoredResults {
    let _g = hdf5_access();
    read_results(p).unwrap()
}

#[test]
fn md_with_transport_ranks_matches_md_alone_and_the_offline_farm() {
    let dir = common::scratch("inline");
    std::fs::write(dir.join("t.toml"), TRANSPORT_DECK).unwrap();
    let plain = md_deck(&dir, "plain.toml", "");
    let off = md_deck(&dir, "off.toml", &transport_section(0));
    // The MD alone on 1, 2, 3 ranks, and with ranks = 0.
    let alone: Vec<Trajectory> = (1..=3)
        .map(|np| {
            let out = dir.join(format!("alone{np}"));
            run_ok(np, &plain, &out);
            trajectory(&out)
        })
        .collect();
    let out0 = dir.join("ranks0");
    run_ok(1, &off, &out0);
    assert!(!out0.join("transport").exists());
    assert_same_trajectory(&alone[0], &trajectory(&out0), true, "ranks = 0");
    let mut inline_g: Vec<Vec<(u64, f64)>> = Vec::new();
    for (n_md, m) in [(1, 1), (2, 1), (1, 2), (2, 2), (3, 1)] {
        let what = format!("{n_md} MD + {m} transport ranks");
        let deck = md_deck(&dir, &format!("md{n_md}{m}.toml"), &transport_section(m));
        let out = dir.join(format!("md{n_md}_tr{m}"));
        let log = run_ok(n_md + m, &deck, &out);
        assert!(
            log.contains("transport: frame 4 (step 200")
                && log.contains("G/G0 of 5 snapshot(s) received"),
            "{what}: {log}"
        );
        let t = trajectory(&out);
        assert_same_trajectory(&alone[n_md - 1], &t, true, &what);
        assert_same_trajectory(&alone[0], &t, false, &what);
        // G(t) in traj.h5 is the inline farm's conductance.csv.
        let g = conductance_csv(&out.join("transport/conductance.csv"));
        assert_eq!(
            g.iter().map(|x| x.0).collect::<Vec<_>>(),
            vec![0, 50, 100, 150, 200],
            "{what}"
        );
        let obs = {
            let _g = hdf5_access();
            H5mdReader::open(&out.join("traj.h5"))
                .unwrap()
                .observable("conductance")
                .unwrap()
        };
        assert_eq!(obs.steps, g.iter().map(|x| x.0).collect::<Vec<_>>());
        for ((_, a), b) in g.iter().zip(&obs.values) {
            assert!((a - b).abs() <= 1e-12 * a.abs(), "{what}: {a} vs {b}");
            assert!(*a > 1.0 && *a < 20.0, "{what}: G = {a} G0");
        }
        inline_g.push(g);
        // (b) The offline farm on the stored frames: the same units to 1e-12.
        if n_md == m {
            let fdeck = dir.join(format!("farm{n_md}.toml"));
            std::fs::write(
                &fdeck,
                format!(
                    "[structure]\ntrajectory = \"{}\"\nmd_deck = \"{}\"\n{TRANSPORT_DECK}",
                    out.join("traj.h5").display(),
                    deck.display()
                ),
            )
            .unwrap();
            let fout = dir.join(format!("farm{n_md}"));
            let mut c = common::bin();
            c.args([
                "farm",
                fdeck.to_str().unwrap(),
                "--out",
                fout.to_str().unwrap(),
            ]);
            let o = output(c);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let offline = conductance_csv(&fout.join("conductance.csv"));
            assert_eq!(offline.len(), 5);
            for (a, b) in inline_g.last().unwrap().iter().zip(&offline) {
                assert_eq!(a.0, b.0);
                assert!(
                    (a.1 - b.1).abs() <= 1e-12 * b.1.abs(),
                    "{what}: {a:?} vs {b:?}"
                );
            }
            let (ri, ro) = (
                results(&out.join("transport/farm.h5")),
                results(&fout.join("farm.h5")),
            );
            assert_eq!(
                (ri.meta.fermi_ev, &ri.meta.energies),
                (ro.meta.fermi_ev, &ro.meta.energies)
            );
            assert_eq!(ri.meta.points, ro.meta.points);
            assert_eq!(ri.units.len(), 10, "{what}: 5 snapshots x 2 k-points");
            assert!(ri.failures.is_empty() && ro.failures.is_empty());
            for (x, y) in ri.units.iter().zip(&ro.units) {
                assert_eq!((x.frame, x.k, x.step), (y.frame, y.k, y.step), "{what}");
                for (p, q) in [
                    (&x.data.t_lr, &y.data.t_lr),
                    (&x.data.t_rl, &y.data.t_rl),
                    (&x.data.tau, &y.data.tau),
                ] {
                    for (a, b) in p.iter().zip(q.iter()) {
                        assert!(
                            (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12,
                            "{what}: frame {} k {}: {a} vs {b}",
                            x.frame,
                            x.k
                        );
                    }
                }
                assert_eq!(
                    (&x.data.open_l, &x.data.open_r),
                    (&y.data.open_l, &y.data.open_r)
                );
            }
            for f in [
                "transmission.csv",
                "conductance.png",
                "conductance_histogram.png",
            ] {
                assert!(out.join("transport").join(f).exists(), "{what}: {f}");
            }
        }
    }
    // Runs with different MD rank counts agree to round-off in G too.
    for g in &inline_g[1..] {
        for (a, b) in g.iter().zip(&inline_g[0]) {
            assert!((a.1 - b.1).abs() <= 1e-8 * b.1, "{a:?} vs {b:?}");
        }
    }
}

#[test]
fn bad_transport_input_ends_every_rank() {
    let dir = common::scratch("inline-bad");
    std::fs::write(dir.join("t.toml"), TRANSPORT_DECK).unwrap();
    let fails = |np: usize, deck: &Path, expect: &[&str]| {
        let o = run(np, deck, &dir.join("out"));
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(!o.status.success(), "np {np} {}: {err}", deck.display());
        for e in expect {
            assert!(err.contains(e), "missing '{e}' in: {err}");
        }
    };
    // As many transport ranks as ranks: no MD rank is left.
    let d = md_deck(&dir, "too_many.toml", &transport_section(2));
    fails(2, &d, &["too_many.toml:", "transport.ranks", "no MD rank"]);
    // An unknown key in [transport], and in the transport deck.
    let d = md_deck(
        &dir,
        "typo.toml",
        &transport_section(1).replace("every", "evry"),
    );
    fails(2, &d, &["typo.toml:", "evry"]);
    std::fs::write(
        dir.join("t2.toml"),
        TRANSPORT_DECK.replace("points = 5", "points = 5\nbogus = 1"),
    )
    .unwrap();
    let d = md_deck(
        &dir,
        "bogus.toml",
        &transport_section(1).replace("t.toml", "t2.toml"),
    );
    fails(2, &d, &["t2.toml:", "bogus"]);
    // A lead group the MD deck does not define.
    std::fs::write(
        dir.join("t3.toml"),
        TRANSPORT_DECK.replace("\"top\"", "\"lid\""),
    )
    .unwrap();
    let d = md_deck(
        &dir,
        "nogroup.toml",
        &transport_section(1).replace("t.toml", "t3.toml"),
    );
    fails(2, &d, &["t3.toml:", "leads.right", "'lid'"]);
    // An error on the transport rank alone (the box is periodic along x) ends the MD ranks too.
    std::fs::write(
        dir.join("t4.toml"),
        TRANSPORT_DECK.replace("axis = \"z\"", "axis = \"x\""),
    )
    .unwrap();
    let d = md_deck(
        &dir,
        "axis.toml",
        &transport_section(1).replace("t.toml", "t4.toml"),
    );
    fails(3, &d, &["periodic along the transport axis"]);
}
