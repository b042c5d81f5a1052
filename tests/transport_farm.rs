//! `nanocontact transport DECK` and `nanocontact farm DECK` on a short MD run of the small
//! driven junction (`inputs/small_driven_junction.toml`, 40 steps, 5 frames; Sutton s-band,
//! leads periodic in x and y with a 2×2 k∥ mesh halved to 2 points): one structure from a data
//! file equals the same trajectory frame; leads by group equal leads by z range; the farm gives
//! bit-identical results at 1, 2, 3 and 4 ranks and with the lead cache off; a partial farm
//! completed later, and a farm killed mid-way and restarted, recompute nothing already stored
//! and end with the same results; a broken frame is reported and the others complete.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{OnceLock, RwLock, RwLockReadGuard};

use nanocontact::transport::farm::store::{read_results, StoredResults};

/// A process spawned while this one has an HDF5 file open inherits the open file, and with it
/// HDF5's lock, for its whole life: the tests' spawns (write) and their HDF5 accesses (read)
/// exclude each other.
static SPAWNING: RwLock<()> = RwLock::new(());

fn hdf5_access() -> RwLockReadGuard<'static, ()> {
    SPAWNING.read().unwrap_or_else(|e| e.into_inner())
}

fn spawn(mut c: Command) -> Child {
    let _g = SPAWNING.write().unwrap_or_else(|e| e.into_inner());
    c.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn output(c: Command) -> Output {
    spawn(c).wait_with_output().unwrap()
}

fn results(p: &Path) -> StoredResults {
    let _g = hdf5_access();
    read_results(p).unwrap()
}

fn nanocontact(args: &[&str]) -> Output {
    let mut c = common::bin();
    c.args(args);
    output(c)
}

/// The MD deck with the potential by absolute path, `steps` steps, a frame every 10.
fn md_deck(dir: &Path, steps: u64) -> PathBuf {
    let text = common::small_driven_junction_deck(steps, 10);
    let p = dir.join("md.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// One MD run shared by the tests: `run/traj.h5` with 5 frames, `run/final.data`.
fn md_run() -> &'static PathBuf {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = common::scratch("farm-md");
        let deck = md_deck(&dir, 40);
        let run = dir.join("run");
        let out = nanocontact(&[
            "run",
            deck.to_str().unwrap(),
            "--out",
            run.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
}

/// A transport deck in `dir` with `structure` lines and `extra` appended.
fn deck(dir: &Path, name: &str, structure: &str, extra: &str) -> PathBuf {
    let text = format!(
        "[structure]\n{structure}\n[model]\nstyle = \"sutton\"\n\
         [leads]\naxis = \"z\"\nleft = {{ lo = -100.0, hi = 2.5 }}\nright = {{ lo = 28.0, hi = 100.0 }}\n\
         [kpoints]\nmesh = [2, 2]\n[energy]\nrange = [-2.0, 2.0]\npoints = 5\n{extra}\n"
    );
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn traj() -> String {
    md_run().join("run/traj.h5").display().to_string()
}

fn ok(out: std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{err}");
    err
}

fn farm(np: usize, deck: &Path, out: &Path) -> String {
    let args = [
        "farm",
        deck.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if np == 1 {
        ok(nanocontact(&args))
    } else {
        ok(output(common::mpirun_command(np, &args)))
    }
}

/// Every stored number of two result files, compared bit for bit (rank and timings aside).
fn assert_same(a: &StoredResults, b: &StoredResults, what: &str) {
    assert_eq!(a.meta, b.meta, "{what}: meta");
    assert_eq!(a.units.len(), b.units.len(), "{what}: unit count");
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for (x, y) in a.units.iter().zip(&b.units) {
        assert_eq!((x.frame, x.k, x.step), (y.frame, y.k, y.step), "{what}");
        let (p, q) = (&x.data, &y.data);
        assert_eq!(
            bits(&p.t_lr),
            bits(&q.t_lr),
            "{what}: frame {} k {}",
            x.frame,
            x.k
        );
        assert_eq!(bits(&p.t_rl), bits(&q.t_rl), "{what}");
        assert_eq!(bits(&p.tau), bits(&q.tau), "{what}");
        assert_eq!((&p.open_l, &p.open_r), (&q.open_l, &q.open_r), "{what}");
    }
}

fn csv_rows(p: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn one_structure_from_a_data_file_a_frame_and_groups() {
    let dir = common::scratch("farm-one");
    let run = md_run().join("run");
    let eig = "eigenchannels = 30\n[current]\nbias = [0.05, 0.2]";
    let from_frame = deck(
        &dir,
        "frame.toml",
        &format!("trajectory = \"{}\"\nframe = -1", traj()),
        eig,
    );
    let from_data = deck(
        &dir,
        "data.toml",
        &format!("data = \"{}\"", run.join("final.data").display()),
        eig,
    );
    // Leads by the MD deck's groups "bottom" (z < 2.5) and "top" (z > 28).
    let by_group = {
        let text = std::fs::read_to_string(&from_frame)
            .unwrap()
            .replace(
                "left = { lo = -100.0, hi = 2.5 }",
                "left = { group = \"bottom\" }",
            )
            .replace(
                "right = { lo = 28.0, hi = 100.0 }",
                "right = { group = \"top\" }",
            )
            .replace(
                "frame = -1",
                &format!(
                    "frame = -1\nmd_deck = \"{}\"",
                    md_run().join("md.toml").display()
                ),
            );
        let p = dir.join("group.toml");
        std::fs::write(&p, text).unwrap();
        p
    };
    let mut g = Vec::new();
    for (name, d) in [
        ("frame", &from_frame),
        ("data", &from_data),
        ("group", &by_group),
    ] {
        let out = dir.join(name);
        ok(nanocontact(&[
            "transport",
            d.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]));
        let c = csv_rows(&out.join("conductance.csv"));
        g.push(c[0][1].parse::<f64>().unwrap());
        assert_png(&out.join("transmission.png"));
        // T_LR = T_RL, and Σ τ = T per k and energy (all channels kept).
        let tk = common::read_csv(&out.join("transmission_k.csv"));
        let ec = std::fs::read_to_string(out.join("eigenchannels.csv")).unwrap();
        for (row, line) in tk.iter().zip(ec.lines().skip(1)) {
            assert!((row[5] - row[6]).abs() < 1e-10, "{name}: {row:?}");
            let s: f64 = line
                .split(',')
                .skip(2)
                .filter(|c| !c.is_empty())
                .map(|c| c.parse::<f64>().unwrap())
                .sum();
            assert!(
                (s - row[5]).abs() < 1e-9,
                "{name}: sum tau {s} vs T {}",
                row[5]
            );
        }
        assert_eq!(common::read_csv(&out.join("current.csv")).len(), 2);
    }
    assert!(g[0] > 1.0 && g[0] < 20.0, "G = {} G0", g[0]);
    // The data file holds the positions to 1e-10 Å or so: G agrees closely, not bit for bit.
    assert!(
        (g[0] - g[1]).abs() < 1e-6,
        "frame {} vs data {}",
        g[0],
        g[1]
    );
    assert_eq!(
        g[0], g[2],
        "leads by group and by z range are the same atoms"
    );
}

fn farm_deck(dir: &Path, name: &str, extra: &str) -> PathBuf {
    deck(dir, name, &format!("trajectory = \"{}\"", traj()), extra)
}

#[test]
fn farm_is_identical_at_one_to_four_ranks_and_without_the_cache() {
    let dir = common::scratch("farm-ranks");
    let d = farm_deck(&dir, "farm.toml", "");
    let r1 = dir.join("np1");
    farm(1, &d, &r1);
    let reference = results(&r1.join("farm.h5"));
    assert_eq!(reference.units.len(), 10, "5 frames x 2 k-points");
    assert!(reference.failures.is_empty());
    assert_png(&r1.join("conductance.png"));
    assert_png(&r1.join("conductance_histogram.png"));
    for np in 2..=4 {
        let out = dir.join(format!("np{np}"));
        farm(np, &d, &out);
        let r = results(&out.join("farm.h5"));
        assert_same(&reference, &r, &format!("{np} ranks"));
        let ranks: std::collections::BTreeSet<u32> = r.units.iter().map(|u| u.rank).collect();
        assert!(ranks.len() >= 2, "{np} ranks: units from ranks {ranks:?}");
        assert_eq!(
            std::fs::read_to_string(out.join("conductance.csv")).unwrap(),
            std::fs::read_to_string(r1.join("conductance.csv")).unwrap()
        );
    }
    let nocache = farm_deck(&dir, "nocache.toml", "[farm]\ncache = false");
    let out = dir.join("nocache");
    let log = farm(1, &nocache, &out);
    assert!(log.contains("0 reused from the cache"), "{log}");
    assert_same(&reference, &results(&out.join("farm.h5")), "cache off");
}

#[test]
fn restarted_farms_recompute_nothing_stored() {
    let dir = common::scratch("farm-restart");
    let full = farm_deck(&dir, "full.toml", "");
    let fresh = dir.join("fresh");
    farm(1, &full, &fresh);
    let want = results(&fresh.join("farm.h5"));

    // A farm of the first three frames, then the whole trajectory into the same folder.
    let part = farm_deck(&dir, "part.toml", "").to_path_buf();
    let text = std::fs::read_to_string(&part)
        .unwrap()
        .replace("[model]", "frames = [0, 3, 1]\n[model]");
    std::fs::write(&part, text).unwrap();
    let out = dir.join("grown");
    farm(1, &part, &out);
    let first = results(&out.join("farm.h5"));
    assert_eq!(first.units.len(), 6);
    let log = farm(2, &full, &out);
    assert!(log.contains("6 already in"), "{log}");
    let grown = results(&out.join("farm.h5"));
    assert_same(&want, &grown, "grown farm");
    for u in &first.units {
        let v = grown
            .units
            .iter()
            .find(|v| (v.frame, v.k) == (u.frame, u.k))
            .unwrap();
        assert_eq!(
            (u.seconds.to_bits(), u.rank),
            (v.seconds.to_bits(), v.rank),
            "frame {} k {} was recomputed",
            u.frame,
            u.k
        );
    }
    let again = farm(1, &full, &out);
    assert!(
        again.contains("10 already in") && again.contains("0 to do"),
        "{again}"
    );

    // Killed after two frames are stored (finer energy grid: slower units), then restarted.
    let slow = |name: &str| {
        let p = farm_deck(&dir, name, "");
        let t = std::fs::read_to_string(&p)
            .unwrap()
            .replace("points = 5", "points = 31");
        std::fs::write(&p, t).unwrap();
        p
    };
    let slow_deck = slow("slow.toml");
    let killed = dir.join("killed");
    let mut c = common::bin();
    c.args(["farm", slow_deck.to_str().unwrap(), "--out"])
        .arg(&killed);
    let mut child = spawn(c);
    let stderr = child.stderr.take().unwrap();
    for line in BufReader::new(stderr).lines() {
        if line.unwrap().contains("frame 1 (step 10) done") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = results(&killed.join("farm.h5"));
    let n = before.units.len();
    assert!((4..10).contains(&n), "{n} units stored when killed");
    eprintln!("killed with {n} of 10 units stored");
    let log = farm(1, &slow_deck, &killed);
    assert!(log.contains(&format!("{n} already in")), "{log}");
    let after = results(&killed.join("farm.h5"));
    let clean = dir.join("slow-clean");
    farm(1, &slow("slow2.toml"), &clean);
    let mut want = results(&clean.join("farm.h5"));
    // The decks differ only by file name: the configs are equal.
    want.meta.config = after.meta.config.clone();
    assert_same(&want, &after, "killed and restarted");
}

#[test]
fn broken_frame_is_reported_and_the_others_complete() {
    let dir = common::scratch("farm-broken");
    // Frame 2 with one atom of the bottom lead's outer plane moved 0.6 Å sideways.
    let broken = dir.join("broken.h5");
    std::fs::copy(traj(), &broken).unwrap();
    {
        let _g = hdf5_access();
        let f = hdf5::File::open_rw(&broken).unwrap();
        let ds = f.dataset("particles/all/position/value").unwrap();
        let mut pos = ds.read::<f64, ndarray::Ix3>().unwrap();
        let n = pos.shape()[1];
        let i = (0..n)
            .min_by(|&a, &b| pos[[2, a, 2]].total_cmp(&pos[[2, b, 2]]))
            .unwrap();
        pos[[2, i, 0]] += 0.6;
        ds.write(&pos).unwrap();
    }
    let d = deck(
        &dir,
        "farm.toml",
        &format!("trajectory = \"{}\"", broken.display()),
        "",
    );
    let out = dir.join("out");
    let log = farm(3, &d, &out);
    assert!(log.contains("2 unit(s) failed"), "{log}");
    let fails = csv_rows(&out.join("failures.csv"));
    assert_eq!(fails.len(), 2, "{fails:?}");
    eprintln!("failure: {}", fails[0][2]);
    for f in &fails {
        assert_eq!(f[0], "2");
        assert!(f[2].contains("lead"), "{f:?}");
    }
    let c = csv_rows(&out.join("conductance.csv"));
    let frames: Vec<&str> = c.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(frames, vec!["0", "1", "3", "4"]);
    // The good frames are those of the clean trajectory.
    let clean = dir.join("clean");
    farm(1, &farm_deck(&dir, "clean.toml", ""), &clean);
    let cc = csv_rows(&clean.join("conductance.csv"));
    for row in &c {
        let same = cc.iter().find(|r| r[0] == row[0]).unwrap();
        assert_eq!(row[3], same[3], "frame {}", row[0]);
    }
}

#[test]
fn bad_transport_decks_fail_with_file_line_and_key() {
    let dir = common::scratch("farm-bad");
    let cases = [
        ("mesh = [2, 2]", "mesh = [0, 2]", "kpoints.mesh"),
        // One plane only: the stacking of the lead cannot be found.
        ("hi = 2.5 }", "hi = 1.0 }", "at least"),
        ("mesh = [2, 2]", "mesh = [2, 2]\nbogus = 1", "bogus"),
    ];
    for (i, (from, to, want)) in cases.iter().enumerate() {
        let p = farm_deck(&dir, &format!("bad{i}.toml"), "");
        let t = std::fs::read_to_string(&p).unwrap().replacen(from, to, 1);
        std::fs::write(&p, t).unwrap();
        let o = dir.join("o");
        let out = nanocontact(&[
            "transport",
            p.to_str().unwrap(),
            "--out",
            o.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{err}");
        assert!(err.contains(want) && err.contains("bad"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// The file exists and starts with the PNG signature.
fn assert_png(path: &std::path::Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is not a PNG",
        path.display()
    );
}
