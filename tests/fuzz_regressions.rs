//! Inputs that made a parser panic or abort under bench/fuzz (seeded mutational fuzzing, see
//! bench/fuzz/README.md), kept as they were found in `tests/fuzz_regressions/<parser>/`: each
//! must now be a clear error naming the file, never a panic or an allocation failure. (The H5MD
//! reader's cases are rebuilt in its unit tests, as HDF5 files are large.)

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use nanocontact::io::dump::read_dump;
use nanocontact::io::lammps_data::DataFile;
use nanocontact::potential::eam::file::{Funcfl, Setfl};

fn cases(parser: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(parser);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no cases in {}", dir.display());
    v
}

/// `parse(path)` must return an error that names the file, without panicking.
fn refused<T>(path: &Path, parse: impl FnOnce(&Path) -> nanocontact::error::Result<T>) {
    let r = catch_unwind(AssertUnwindSafe(|| parse(path)))
        .unwrap_or_else(|_| panic!("{} panicked", path.display()));
    let err = match r {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(e) => e.to_string(),
    };
    let name = path.file_name().unwrap().to_string_lossy();
    assert!(err.contains(name.as_ref()), "{err}");
    println!("{name}: {err}");
}

#[test]
fn lammps_data_files() {
    for p in cases("data") {
        refused(&p, DataFile::read);
    }
}

#[test]
fn eam_files() {
    for p in cases("eam") {
        refused(&p, Funcfl::read);
        refused(&p, |p| Setfl::read(p, false));
        refused(&p, |p| Setfl::read(p, true));
    }
}

#[test]
fn lammps_dumps() {
    for p in cases("dump") {
        refused(&p, read_dump);
    }
}
