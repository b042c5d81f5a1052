//! `wire ehrenfest` and `wire ehrenfest-scan` (issue 20): the scan's tables are the same on 1 to
//! 4 ranks, a scan started again runs only its unfinished tasks, the single run writes its
//! H5MD observables and goes on from its checkpoint bit for bit, and a bad deck value is named
//! by file, line and key.

mod common;

use std::path::{Path, PathBuf};

/// A 40-site chain (device 16) over 10 fs, scanned over N = 4, 8 and M = 5, 10 amu at 0.5 V.
fn deck(dir: &Path) -> PathBuf {
    let text = r#"
title = "small"
[chain]
sites = 40
device = 16
mobile = 8
spacing = 2.37
tail = [2.6, 5.0]
[electrons]
bias = 0.5
gamma = 0.5
delta = 0.0005
[ions]
mass = 10.0
displacement = 0.05
[run]
timestep = 0.1
substeps = 2
time = 0.01
average_from = 0.005
[output]
observables_every = 10
frames_every = 50
profile_every = 20
[scan]
mobile = [4, 8]
mass = [5.0, 10.0]
"#;
    let p = dir.join("deck.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// `nanocontact wire ehrenfest DECK --out OUT [--restart CHECKPOINT]`.
fn wire_ehrenfest(deck: &Path, out: &Path, restart: Option<&Path>) -> std::process::Output {
    let mut cmd = common::bin();
    cmd.args([
        "wire",
        "ehrenfest",
        deck.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    if let Some(r) = restart {
        cmd.args(["--restart", r.to_str().unwrap()]);
    }
    cmd.output().unwrap()
}

#[test]
fn scan_is_the_same_on_one_to_four_ranks_and_restarts_unfinished_tasks() {
    let run = |np: usize, out: &Path, deck: &Path| {
        let o = common::mpirun_ok(
            np,
            &[
                "wire",
                "ehrenfest-scan",
                deck.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        );
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let dir = common::scratch("ehrenfest_scan");
    let d = deck(&dir);
    let one = dir.join("np1");
    let line = run(1, &one, &d);
    assert!(line.contains("\"tasks\":4"), "{line}");
    assert!(line.contains("\"resumed\":0"), "{line}");
    let table = std::fs::read_to_string(one.join("scan.csv")).unwrap();
    let rows = common::read_csv(&one.join("scan.csv"));
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter().all(|r| r[3] > 0.0 && r[5].abs() > 0.0),
        "{table}"
    );
    for np in 2..=4 {
        let out = dir.join(format!("np{np}"));
        run(np, &out, &d);
        assert_eq!(
            std::fs::read_to_string(out.join("scan.csv")).unwrap(),
            table,
            "{np} ranks"
        );
    }
    // Drop one finished task: the next run does that one only, and the table is unchanged.
    let tasks: Vec<_> = std::fs::read_dir(one.join("tasks")).unwrap().collect();
    assert_eq!(tasks.len(), 4);
    std::fs::remove_file(one.join("tasks/task_00002.bin")).unwrap();
    let line = run(2, &one, &d);
    assert!(line.contains("\"resumed\":3"), "{line}");
    assert!(!line.contains("\"efficiency\":null"), "{line}");
    assert_eq!(
        std::fs::read_to_string(one.join("scan.csv")).unwrap(),
        table
    );
    // Every task finished: nothing runs, the figures and fits are made again, and the farm
    // has no efficiency to report.
    let line = run(1, &one, &d);
    assert!(line.contains("\"resumed\":4"), "{line}");
    assert!(line.contains("\"efficiency\":null"), "{line}");
    assert_eq!(
        std::fs::read_to_string(one.join("scan.csv")).unwrap(),
        table
    );
    let h5 = hdf5::File::open(one.join("scan.h5")).unwrap();
    let ke: Vec<f64> = h5.dataset("ke_mean_eV").unwrap().read_raw().unwrap();
    assert_eq!(ke, rows.iter().map(|r| r[3]).collect::<Vec<_>>());
}

#[test]
fn single_run_writes_h5md_observables_and_currents() {
    let dir = common::scratch("ehrenfest_run");
    let d = deck(&dir);
    let out = dir.join("out");
    let o = wire_ehrenfest(&d, &out, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let h5 = hdf5::File::open(out.join("traj.h5")).unwrap();
    for name in ["ke", "current_mid", "etotal_minus_work", "source_work"] {
        let v: Vec<f64> = h5
            .dataset(&format!("observables/{name}/value"))
            .unwrap()
            .read_raw()
            .unwrap();
        assert_eq!(v.len(), 11, "{name}");
    }
    let ke: Vec<f64> = h5
        .dataset("observables/ke/value")
        .unwrap()
        .read_raw()
        .unwrap();
    assert!(ke[10] > 0.0);
    let c = hdf5::File::open(out.join("currents.h5")).unwrap();
    let cur = c.dataset("current").unwrap();
    assert_eq!(cur.shape(), vec![6, 17]);
    assert!(out.join("ke_current.png").exists());
    assert_eq!(common::read_csv(&out.join("records.csv")).len(), 101);
}

#[test]
fn bad_deck_value_is_named_by_line_and_key() {
    // (replaced, replacement, line, key)
    for (from, to, line, key) in [
        (
            "gamma = 0.5",
            "gamma = -1.0",
            "deck.toml:11",
            "electrons.gamma",
        ),
        (
            "displacement = 0.05",
            "displacement = 0.05\ntemperature = -300.0",
            "deck.toml:16",
            "ions.temperature",
        ),
    ] {
        let dir = common::scratch("ehrenfest_bad");
        let d = deck(&dir);
        let text = std::fs::read_to_string(&d).unwrap().replace(from, to);
        std::fs::write(&d, text).unwrap();
        let o = wire_ehrenfest(&d, &dir.join("o"), None);
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(line) && err.contains(key), "{err}");
    }
}

#[test]
fn single_run_goes_on_from_its_checkpoint_bit_for_bit() {
    let dir = common::scratch("ehrenfest_restart");
    let d = deck(&dir);
    let text = std::fs::read_to_string(&d)
        .unwrap()
        .replace("profile_every = 20", "profile_every = 20\ncheckpoint = 40");
    let run = |deck_text: &str, name: &str, out: &Path, restart: Option<&Path>| {
        let p = dir.join(name);
        std::fs::write(&p, deck_text).unwrap();
        wire_ehrenfest(&p, out, restart)
    };
    // 100 steps straight; 60 steps (a checkpoint at 40), then on to 100 from that checkpoint.
    let whole = dir.join("whole");
    assert!(run(&text, "whole.toml", &whole, None).status.success());
    let parts = dir.join("parts");
    let short = text.replace("time = 0.01", "time = 0.006");
    assert!(run(&short, "short.toml", &parts, None).status.success());
    let ck = parts.join("checkpoint");
    let o = run(&text, "long.toml", &parts, Some(&ck));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let line = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(line.contains("\"steps_this_run\":60"), "{line}");
    assert_eq!(
        std::fs::read(whole.join("records.csv")).unwrap(),
        std::fs::read(parts.join("records.csv")).unwrap()
    );
    let read = |out: &Path, file: &str, set: &str| -> Vec<f64> {
        hdf5::File::open(out.join(file))
            .unwrap()
            .dataset(set)
            .unwrap()
            .read_raw()
            .unwrap()
    };
    for (file, set) in [
        ("currents.h5", "current"),
        ("traj.h5", "observables/etotal_minus_work/value"),
        ("traj.h5", "particles/all/position/value"),
    ] {
        let (a, b) = (read(&whole, file, set), read(&parts, file, set));
        assert!(!a.is_empty(), "{file} {set}");
        assert_eq!(a, b, "{file} {set}");
    }
    // A checkpoint past the deck's end is refused by name.
    let o = run(
        &text.replace("time = 0.01", "time = 0.003"),
        "shorter.toml",
        &dir.join("o"),
        Some(&ck),
    );
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("checkpoint") && err.contains("past the deck's 30 steps"),
        "{err}"
    );
}
