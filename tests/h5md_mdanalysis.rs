//! Issue 22, acceptance item 2: the demo's `traj.h5` opened with MDAnalysis's H5MD reader
//! (and h5py) agrees with the LAMMPS dump of the same run: positions, velocities and box to
//! 1e-6 Å (Å/ps), beyond the float32 rounding of MDAnalysis's Timestep arrays; the reader's own
//! float64 data to 1e-6; h5py to 1e-12 (bench/h5md/check_mdanalysis.py does the comparison).
//!
//! Python with MDAnalysis and h5py: `$NANOCONTACT_PYTHON`, else `.venv/bin/python` of the
//! repository (`bash scripts/test.sh` creates it and installs both), else `python3`. Without
//! them the test says so on the terminal and skips, unless `NANOCONTACT_REQUIRE_PYTHON=1`
//! (set by scripts/test.sh), where their absence fails it.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("NANOCONTACT_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    if venv.exists() {
        return venv;
    }
    PathBuf::from("python3")
}

#[test]
fn mdanalysis_reads_the_demo_trajectory_as_the_dump() {
    let py = python();
    let probe = Command::new(&py)
        .args([
            "-c",
            "import MDAnalysis, h5py; print(MDAnalysis.__version__)",
        ])
        .output();
    let missing = match &probe {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(String::from_utf8_lossy(&o.stderr).trim().to_string()),
        Err(e) => Some(e.to_string()),
    };
    if let Some(why) = missing {
        let msg = format!(
            "h5md_mdanalysis: SKIPPED: {} cannot import MDAnalysis and h5py ({why}); \
             `bash scripts/test.sh` installs them into .venv",
            py.display()
        );
        assert!(
            std::env::var_os("NANOCONTACT_REQUIRE_PYTHON").is_none(),
            "{msg}"
        );
        // Straight to the terminal: the test harness captures println! of passing tests.
        let _ = writeln!(std::io::stderr(), "{msg}");
        return;
    }
    let dir = common::scratch("h5md-mdanalysis");
    // The built-in demo deck (inputs/demo_junction.toml) with a dump at the frames of traj.h5.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let deck = std::fs::read_to_string(root.join("inputs/demo_junction.toml"))
        .unwrap()
        .replace(
            "files = [\"potentials/Au_u3.eam\"]",
            &format!(
                "files = [\"{}\"]",
                root.join("inputs/potentials/Au_u3.eam").display()
            ),
        )
        .replace("species = [\"Au\"]", "species = [\"Au\"]\ndump = 250");
    assert!(deck.contains("dump = 250") && deck.contains("trajectory = 250"));
    let p = dir.join("deck.toml");
    std::fs::write(&p, deck).unwrap();
    let out = dir.join("out");
    let run = common::bin()
        .args(["run", p.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let check = Command::new(&py)
        .arg(root.join("bench/h5md/check_mdanalysis.py"))
        .arg(&out)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&check.stdout);
    println!("{text}");
    assert!(
        check.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(text.contains("OK: MDAnalysis within"), "{text}");
    // Every frame: 5000 steps, a frame every 250.
    assert!(
        text.contains("frames compared with traj.dump: 21 of 21"),
        "{text}"
    );
}
