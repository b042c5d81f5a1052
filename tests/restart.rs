//! Checkpoint and restart of `run` (issue 22): a run killed with SIGKILL at a random moment and
//! restarted from its last checkpoint ends bit for bit as the uninterrupted run, at 1 and 2
//! ranks, on the driven junction (an oscillated lead, Langevin baths in its frame) with every
//! output (thermo, leads, stages, H5MD, extended XYZ, dump, final data); a 1-rank checkpoint
//! continued on 2 ranks agrees to round-off over 100 steps; SIGUSR1 writes a checkpoint and
//! stops; a damaged checkpoint is a clear error. With inline transport ranks: kill -9 at a
//! random step and restart, at 1 and 2 MD ranks, and SIGUSR1 then restart, end bit for bit as
//! the uninterrupted run, conductance series included.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use nanocontact::io::h5md::H5mdReader;

/// The small driven junction with every output and a checkpoint every `every` steps.
fn deck(dir: &Path, steps: u64, every: u64) -> PathBuf {
    let text = common::small_driven_junction_deck(steps, 50)
        .replace("dump = 500", "dump = 50\nxyz = 50")
        .replace("leads = 10", &format!("leads = 10\ncheckpoint = {every}"));
    assert!(text.contains("xyz = 50") && text.contains("checkpoint ="));
    let p = dir.join(format!("deck{steps}.toml"));
    std::fs::write(&p, text).unwrap();
    p
}

/// `run DECK --out OUT [extra]` on `np` ranks (np = 1 without mpirun), not waited for.
fn spawn_run(np: usize, deck: &Path, out: &Path, extra: &[&str]) -> Child {
    let mut args = vec![
        "run",
        deck.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let mut c = if np == 1 {
        let mut c = common::bin();
        c.args(&args);
        c
    } else {
        common::mpirun_command(np, &args)
    };
    c.stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn run_ok(np: usize, deck: &Path, out: &Path, extra: &[&str]) -> String {
    let o = spawn_run(np, deck, out, extra).wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "run {extra:?} on {np} rank(s):\n{err}");
    err
}

/// Lines of a file (0 while it does not exist).
fn lines_in(p: &Path) -> usize {
    std::fs::read_to_string(p).map_or(0, |t| t.lines().count())
}

/// A pseudo-random delay from the clock: where the kill lands differs from run to run.
/// SIGKILL every process whose command line names `out` (the ranks of a run writing there).
fn kill_ranks_of(out: &Path) {
    let needle = out.to_str().unwrap();
    let me = std::process::id().to_string();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        if pid == me || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let cmd = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmd).contains(needle) {
            let _ = Command::new("sh")
                .args(["-c", &format!("kill -9 {pid}")])
                .status();
        }
    }
}

fn random_ms(max: u64) -> u64 {
    let ns = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    ns % max
}

/// Every dataset of the H5MD files: frames and observables equal bit for bit.
fn same_h5md(a: &Path, b: &Path) {
    let (ra, rb) = (H5mdReader::open(a).unwrap(), H5mdReader::open(b).unwrap());
    assert_eq!(ra.n_frames(), rb.n_frames());
    for k in 0..ra.n_frames() {
        assert_eq!(ra.frame(k).unwrap(), rb.frame(k).unwrap(), "frame {k}");
    }
    let mut names = ra.observable_names();
    names.sort();
    let mut nb = rb.observable_names();
    nb.sort();
    assert_eq!(names, nb);
    for n in &names {
        assert_eq!(ra.observable(n).unwrap(), rb.observable(n).unwrap(), "{n}");
    }
}

const OUTPUTS: [&str; 6] = [
    "thermo.csv",
    "leads.csv",
    "stages.csv",
    "traj.dump",
    "traj.xyz",
    "final.data",
];

#[test]
fn killed_at_a_random_step_and_restarted_ends_bit_for_bit_as_the_uninterrupted_run() {
    let dir = common::scratch("restart-kill");
    let deck = deck(&dir, 3000, 200);
    for np in [1, 2] {
        let whole = dir.join(format!("whole{np}"));
        run_ok(np, &deck, &whole, &[]);
        let cut = dir.join(format!("cut{np}"));
        let mut victim = spawn_run(np, &deck, &cut, &[]);
        let t0 = Instant::now();
        while !cut.join("checkpoint").exists() && t0.elapsed() < Duration::from_secs(120) {
            std::thread::sleep(Duration::from_millis(20));
        }
        // Kill at a random step between the first checkpoint and the end (by the thermo rows,
        // every 50 steps), not after a random time: on a fast machine the run outpaces a clock.
        let target = 400 + random_ms(1600);
        kill_at_thermo_step(&mut victim, &cut, target);
        let thermo = std::fs::read_to_string(cut.join("thermo.csv")).unwrap();
        let last = thermo.lines().last().unwrap().split(',').next().unwrap();
        println!("{np} rank(s): killed after thermo step {last}");
        assert!(
            !cut.join("final.data").exists(),
            "the run ended before the kill: make it longer"
        );
        // On 2 ranks from the deck's copy in the output folder, which rank 0 rewrites while
        // the others read it.
        let again = if np == 1 {
            deck.clone()
        } else {
            cut.join("deck.toml")
        };
        let log = run_ok(
            np,
            &again,
            &cut,
            &["--restart", cut.join("checkpoint").to_str().unwrap()],
        );
        assert!(log.contains("restarted from"), "{log}");
        for f in OUTPUTS {
            let (a, b) = (
                std::fs::read(whole.join(f)).unwrap(),
                std::fs::read(cut.join(f)).unwrap(),
            );
            assert!(a == b, "{f} at {np} rank(s) differs after the restart");
        }
        same_h5md(&whole.join("traj.h5"), &cut.join("traj.h5"));
    }
}

/// Kill `out`'s run (spawned as `victim`) once thermo.csv reaches `target`, as a node failure
/// would: SIGKILL to mpirun and to its ranks; then wait until traj.h5 is free again.
fn kill_at_thermo_step(victim: &mut Child, out: &Path, target: u64) {
    let t0 = Instant::now();
    let last_step = || {
        std::fs::read_to_string(out.join("thermo.csv"))
            .ok()
            .and_then(|t| {
                t.lines()
                    .last()
                    .and_then(|l| l.split(',').next()?.parse::<u64>().ok())
            })
            .unwrap_or(0)
    };
    while last_step() < target && t0.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(1));
    }
    victim.kill().unwrap();
    kill_ranks_of(out);
    victim.wait().unwrap();
    let t1 = Instant::now();
    while H5mdReader::open(&out.join("traj.h5")).is_err() && t1.elapsed().as_secs() < 60 {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The driven junction with inline transport (the last rank; a snapshot every 50 steps, 2 k∥
/// points, 5 energies), killed with SIGKILL at a random thermo step and restarted from its last
/// checkpoint, ends bit for bit as the uninterrupted run, conductance series included, with 1
/// and 2 MD ranks.
#[test]
fn inline_transport_killed_and_restarted_ends_bit_for_bit_as_the_uninterrupted_run() {
    let dir = common::scratch("restart-inline");
    let text = common::small_driven_junction_deck(1000, 50)
        .replace("leads = 10", "leads = 10\ncheckpoint = 100");
    let deck = dir.join("deck.toml");
    std::fs::write(
        &deck,
        format!("{text}\n[transport]\ndeck = \"t.toml\"\nevery = 50\nranks = 1\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("t.toml"),
        "[model]\nstyle = \"sutton\"\n[leads]\naxis = \"z\"\nleft = { group = \"bottom\" }\n\
         right = { group = \"top\" }\n[kpoints]\nmesh = [2, 2]\n[energy]\nrange = [-2.0, 2.0]\n\
         points = 5\n",
    )
    .unwrap();
    for md_ranks in [1, 2] {
        let np = md_ranks + 1;
        let whole = dir.join(format!("whole{np}"));
        run_ok(np, &deck, &whole, &[]);
        let cut = dir.join(format!("cut{np}"));
        let mut victim = spawn_run(np, &deck, &cut, &[]);
        // Between the first checkpoint (step 100) and the last thermo row but one.
        let target = 200 + random_ms(700);
        kill_at_thermo_step(&mut victim, &cut, target);
        let thermo = std::fs::read_to_string(cut.join("thermo.csv")).unwrap();
        let last = thermo.lines().last().unwrap().split(',').next().unwrap();
        println!("{md_ranks} MD rank(s) + 1 transport rank: killed after thermo step {last}");
        assert!(
            !cut.join("final.data").exists(),
            "the run ended before the kill: make it longer"
        );
        let log = run_ok(
            np,
            &deck,
            &cut,
            &["--restart", cut.join("checkpoint").to_str().unwrap()],
        );
        assert!(log.contains("restarted from"), "{log}");
        assert!(log.contains("of the checkpoint again"), "{log}");
        let transport = ["transport/conductance.csv", "transport/transmission.csv"];
        for f in OUTPUTS
            .iter()
            .filter(|f| **f != "traj.xyz")
            .chain(&transport)
        {
            let (a, b) = (
                std::fs::read(whole.join(f)).unwrap(),
                std::fs::read(cut.join(f)).unwrap(),
            );
            assert!(
                a == b,
                "{f} with {md_ranks} MD rank(s) differs after the restart"
            );
        }
        let rows = common::read_csv(&cut.join("transport/conductance.csv"));
        assert_eq!(
            rows.len(),
            21,
            "a conductance row per snapshot, steps 0..1000"
        );
        // Frames, thermo observables and /observables/conductance.
        same_h5md(&whole.join("traj.h5"), &cut.join("traj.h5"));
        let h = H5mdReader::open(&cut.join("traj.h5")).unwrap();
        assert_eq!(h.observable("conductance").unwrap().steps.len(), 21);
    }
}

/// With inline transport ranks, SIGUSR1 to mpirun (which passes it to every rank) stops the MD
/// with a checkpoint; the transport ranks finish their snapshots and end (no hang), and the
/// restart ends bit for bit as the uninterrupted run.
#[test]
fn inline_transport_stopped_by_sigusr1_ends_every_rank_and_goes_on_bit_for_bit() {
    let dir = common::scratch("restart-inline-signal");
    let text = common::small_driven_junction_deck(600, 50);
    let transport = "\n[transport]\ndeck = \"t.toml\"\nevery = 50\nranks = 1\n";
    std::fs::write(
        dir.join("t.toml"),
        "[model]\nstyle = \"sutton\"\n[leads]\naxis = \"z\"\nleft = { group = \"bottom\" }\n\
         right = { group = \"top\" }\n[kpoints]\nmesh = [2, 2]\n[energy]\nrange = [-2.0, 2.0]\n\
         points = 5\n",
    )
    .unwrap();
    let deck = dir.join("deck.toml");
    std::fs::write(&deck, format!("{text}{transport}")).unwrap();
    // The same deck, long enough to be stopped by the signal.
    let long = dir.join("long.toml");
    std::fs::write(
        &long,
        format!(
            "{}{transport}",
            text.replace("steps = 600", "steps = 200000")
        ),
    )
    .unwrap();
    let whole = dir.join("whole");
    run_ok(2, &deck, &whole, &[]);
    let out = dir.join("out");
    let child = spawn_run(2, &long, &out, &[]);
    let t0 = Instant::now();
    while lines_in(&out.join("thermo.csv")) < 3 && t0.elapsed().as_secs() < 120 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let sent = Command::new("kill")
        .args(["-USR1", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("stopped by a signal at step"), "{err}");
    assert!(err.contains("snapshot(s) complete"), "{err}");
    let log = run_ok(
        2,
        &deck,
        &out,
        &["--restart", out.join("checkpoint").to_str().unwrap()],
    );
    assert!(log.contains("restarted from"), "{log}");
    for f in [
        "thermo.csv",
        "leads.csv",
        "final.data",
        "transport/conductance.csv",
        "transport/transmission.csv",
    ] {
        let (a, b) = (
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(out.join(f)).unwrap(),
        );
        assert!(a == b, "{f} differs after the stop and restart");
    }
    same_h5md(&whole.join("traj.h5"), &out.join("traj.h5"));
}

/// Owned atoms of a data file: id -> (unwrapped position, velocity).
fn final_state(p: &Path) -> Vec<(u64, [f64; 3], [f64; 3])> {
    let text = std::fs::read_to_string(p).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let lengths: Vec<f64> = ["xlo xhi", "ylo yhi", "zlo zhi"]
        .iter()
        .map(|k| {
            let l = lines.iter().find(|l| l.ends_with(k)).unwrap();
            let v: Vec<f64> = l
                .split_whitespace()
                .take(2)
                .map(|x| x.parse().unwrap())
                .collect();
            v[1] - v[0]
        })
        .collect();
    let section = |name: &str| {
        let i = lines.iter().position(|l| l.starts_with(name)).unwrap();
        lines[i + 2..]
            .iter()
            .take_while(|l| !l.trim().is_empty())
            .map(|l| {
                l.split_whitespace()
                    .map(|x| x.parse::<f64>().unwrap())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let (mut at, mut vel) = (section("Atoms"), section("Velocities"));
    at.sort_by(|a, b| a[0].total_cmp(&b[0]));
    vel.sort_by(|a, b| a[0].total_cmp(&b[0]));
    at.iter()
        .zip(&vel)
        .map(|(a, v)| {
            let x = [0, 1, 2].map(|d| a[2 + d] + a[5 + d] * lengths[d]);
            (a[0] as u64, x, [v[1], v[2], v[3]])
        })
        .collect()
}

#[test]
fn a_one_rank_checkpoint_continued_on_two_ranks_agrees_to_round_off() {
    let dir = common::scratch("restart-ranks");
    let (short, long) = (deck(&dir, 500, 100), deck(&dir, 600, 100));
    let (reference, moved) = (dir.join("reference"), dir.join("moved"));
    run_ok(1, &long, &reference, &[]);
    // The 500-step run's last checkpoint is at step 500; the 600-step deck goes on from it.
    run_ok(1, &short, &moved, &[]);
    let ck = moved.join("checkpoint");
    let log = run_ok(2, &long, &moved, &["--restart", ck.to_str().unwrap()]);
    assert!(log.contains("at step 500"), "{log}");
    let (a, b) = (
        final_state(&reference.join("final.data")),
        final_state(&moved.join("final.data")),
    );
    assert_eq!(a.len(), 340);
    let (mut dx, mut dv) = (0.0f64, 0.0f64);
    for ((ia, xa, va), (ib, xb, vb)) in a.iter().zip(&b) {
        assert_eq!(ia, ib);
        for d in 0..3 {
            dx = dx.max((xa[d] - xb[d]).abs());
            dv = dv.max((va[d] - vb[d]).abs());
        }
    }
    println!("1 -> 2 ranks after 100 steps: max |dx| = {dx:.1e} Å, max |dv| = {dv:.1e} Å/ps");
    assert!(dx < 1e-9 && dv < 1e-8, "dx {dx:e}, dv {dv:e}");
    assert!(
        dx > 0.0 || dv > 0.0,
        "another decomposition sums forces in another order"
    );
    let (ta, tb) = (
        common::read_csv(&reference.join("thermo.csv")),
        common::read_csv(&moved.join("thermo.csv")),
    );
    assert_eq!(ta.len(), tb.len(), "thermo rows appended, none repeated");
    for (ra, rb) in ta.iter().zip(&tb) {
        assert_eq!(ra[0], rb[0]);
        assert!(
            (ra[4] - rb[4]).abs() < 1e-8,
            "etotal {} vs {}",
            ra[4],
            rb[4]
        );
    }
}

#[test]
fn sigusr1_writes_a_checkpoint_and_stops_and_the_run_goes_on_from_it() {
    let dir = common::scratch("restart-signal");
    // No periodic checkpoint: the one on disk comes from the signal.
    let long = deck(&dir, 200_000, 0);
    let out = dir.join("out");
    let child = spawn_run(1, &long, &out, &[]);
    let t0 = Instant::now();
    while lines_in(&out.join("thermo.csv")) < 3 && t0.elapsed().as_secs() < 120 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = child.id().to_string();
    let sent = Command::new("kill").args(["-USR1", &pid]).status().unwrap();
    assert!(sent.success());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("stopped by a signal at step"))
        .unwrap_or_else(|| panic!("no stop message: {err}"));
    let step: u64 = line
        .split("at step ")
        .nth(1)
        .and_then(|s| s.split(';').next())
        .and_then(|s| s.parse().ok())
        .unwrap();
    assert!(step > 0 && step < 200_000, "{line}");
    assert!(line.contains("--restart"), "{line}");
    assert!(!out.join("final.data").exists());
    // Go on to 50 steps after the stop (a deck may be lengthened for the restart).
    let more = deck(&dir, step + 50, 0);
    let log = run_ok(
        1,
        &more,
        &out,
        &["--restart", out.join("checkpoint").to_str().unwrap()],
    );
    assert!(log.contains(&format!("at step {step}")), "{log}");
    let rows = common::read_csv(&out.join("thermo.csv"));
    assert_eq!(rows.last().unwrap()[0], (step + 50) as f64);
    let steps: Vec<f64> = rows.iter().map(|r| r[0]).collect();
    assert!(steps.windows(2).all(|w| w[0] < w[1]), "no repeated rows");
}

#[test]
fn a_damaged_or_missing_checkpoint_is_a_clear_error() {
    let dir = common::scratch("restart-bad");
    let d = deck(&dir, 100, 50);
    let out = dir.join("out");
    run_ok(1, &d, &out, &[]);
    let ck = out.join("checkpoint");
    let bytes = std::fs::read(&ck).unwrap();
    std::fs::write(&ck, &bytes[..bytes.len() / 2]).unwrap();
    let o = spawn_run(1, &d, &out, &["--restart", ck.to_str().unwrap()])
        .wait_with_output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains(&ck.display().to_string()) && err.contains("damaged"),
        "{err}"
    );
    let missing = dir.join("nope");
    let o = spawn_run(1, &d, &out, &["--restart", missing.to_str().unwrap()])
        .wait_with_output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("nope") && err.contains("No such file"),
        "{err}"
    );
}
