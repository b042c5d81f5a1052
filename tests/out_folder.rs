//! The output folder of `run` is checked before the run starts: a folder that cannot be created
//! or written, or one already holding a run (without --restart), is one clear error, a non-zero
//! exit, and every rank ends (1 and 2 ranks), with nothing of the run written.

mod common;

use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A 108-atom gold crystal, 20 steps, thermo every 10.
fn deck(dir: &Path) -> PathBuf {
    let pot = common::reference().join("lammps/potentials/Au_u3.eam");
    let text = format!(
        "[structure]\nboundary = \"p p p\"\n[structure.lattice]\na = 4.08\ncells = [3, 3, 3]\n\
         [potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[run]\ntimestep = 0.002\nsteps = 20\n\
         thermo = 10\n",
        s(&pot)
    );
    let p = dir.join("deck.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// `run DECK --out OUT EXTRA..` on `np` ranks (1: the binary alone); expect exit status 1 and
/// every `needles` in an ERROR line.
fn expect_refused(np: usize, deck: &Path, out: &Path, extra: &[&str], needles: &[&str]) {
    let mut args = vec!["run", s(deck), "--out", s(out)];
    args.extend_from_slice(extra);
    let o = if np == 1 {
        common::bin().args(&args).output().unwrap()
    } else {
        common::mpirun(np, &args)
    };
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{np} ranks {args:?} succeeded: {err}");
    if np == 1 {
        assert_eq!(o.status.code(), Some(1), "{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("ERROR (rank 0): output folder") || err.contains("ERROR (rank 0): --restart"),
        "{err}"
    );
    // Under mpirun the abort notice may cut into the line: the needles are looked for in it all.
    for n in needles {
        assert!(err.contains(n), "'{n}' missing from: {err}");
    }
}

#[test]
fn a_folder_that_cannot_be_created_is_refused() {
    let dir = common::scratch("outdir-file");
    let d = deck(&dir);
    let file = dir.join("a_file");
    std::fs::write(&file, "not a folder").unwrap();
    for np in [1, 2] {
        expect_refused(
            np,
            &d,
            &file.join("out"),
            &[],
            &["cannot be created", "a_file/out"],
        );
        expect_refused(np, &d, &file, &[], &["a_file", "not a folder"]);
    }
}

#[test]
fn an_unwritable_folder_is_refused() {
    let dir = common::scratch("outdir-ro");
    let d = deck(&dir);
    // A read-only folder: permissions bind a normal user; root ignores them, but not the
    // kernel's own read-only folders, so as root the test writes to /sys/fs (present on Linux).
    let ro = dir.join("ro");
    std::fs::create_dir_all(&ro).unwrap();
    let mut perm = std::fs::metadata(&ro).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&ro, perm).unwrap();
    let ro_is_writable = std::fs::write(ro.join("probe"), "").is_ok();
    let target = if ro_is_writable {
        PathBuf::from("/sys/fs")
    } else {
        ro.clone()
    };
    assert!(target.is_dir(), "no read-only folder to test with");
    for np in [1, 2] {
        expect_refused(np, &d, &target, &[], &["is not writable", s(&target)]);
    }
}

#[test]
fn a_folder_holding_a_run_is_refused_unless_restarted_or_overwritten() {
    let dir = common::scratch("outdir-used");
    let d = deck(&dir);
    let out = dir.join("out");
    let first = common::bin()
        .args(["run", s(&d), "--out", s(&out)])
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let thermo = std::fs::read(out.join("thermo.csv")).unwrap();
    for np in [1, 2] {
        expect_refused(
            np,
            &d,
            &out,
            &[],
            &[
                "already holds a run",
                "thermo.csv",
                "traj.h5",
                "--overwrite",
            ],
        );
        // The earlier run is left as it was.
        assert_eq!(std::fs::read(out.join("thermo.csv")).unwrap(), thermo);
        // Only thermo.csv left (a run stopped early, say) is a run all the same.
        let partial = dir.join(format!("partial{np}"));
        std::fs::create_dir_all(&partial).unwrap();
        std::fs::write(partial.join("thermo.csv"), "step\n").unwrap();
        expect_refused(
            np,
            &d,
            &partial,
            &[],
            &["already holds a run", "thermo.csv"],
        );
        // --restart with a checkpoint that is not there.
        let missing = out.join("checkpoint");
        expect_refused(
            np,
            &d,
            &out,
            &["--restart", s(&missing)],
            &["No such file: no checkpoint there", "checkpoint"],
        );
    }
    // --overwrite replaces the run: the same deck gives the same thermo.csv.
    let again = common::bin()
        .args(["run", s(&d), "--out", s(&out), "--overwrite"])
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(std::fs::read(out.join("thermo.csv")).unwrap(), thermo);
}
