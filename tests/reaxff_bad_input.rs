//! Bad ReaxFF input through `eval`: a truncated ffield, a malformed number in it, an element the
//! ffield lacks, and two atoms closer than 0.1 Å each stop with one clear line naming the file
//! and line, the element, or the atom ids, and a non-zero exit, never a panic.

mod common;

use std::path::{Path, PathBuf};

fn ffield() -> PathBuf {
    common::reference().join("lammps/potentials/ffield.reax.AuO")
}

fn slab() -> PathBuf {
    common::reference().join("lammps/reaxff/au_slab_o/data.lmp")
}

/// `eval` of `data` with ReaxFF from `ffield` for `elements`: the ERROR line, after checking the
/// exit code and that nothing panicked.
fn eval_error(data: &Path, ffield: &Path, elements: &str) -> String {
    let pot = format!("reaxff:{}", ffield.display());
    let args = [
        "eval",
        data.to_str().unwrap(),
        "--potential",
        &pot,
        "--elements",
        elements,
        "--boundary",
        "p p f",
    ];
    let out = common::bin().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "exit code; stderr: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    err.lines()
        .find(|l| l.starts_with("ERROR"))
        .unwrap_or_else(|| panic!("no ERROR line: {err}"))
        .to_string()
}

#[test]
fn truncated_ffield_names_file_and_line() {
    let dir = common::scratch("reaxff-truncated");
    let text = std::fs::read_to_string(ffield()).unwrap();
    let n = text.lines().count();
    let cut: Vec<&str> = text.lines().take(n / 2).collect();
    let p = dir.join("ffield.cut");
    std::fs::write(&p, cut.join("\n")).unwrap();
    let line = eval_error(&slab(), &p, "Au,O");
    assert!(line.contains("ffield.cut:"), "{line}");
    assert!(line.contains("file ended"), "{line}");
}

#[test]
fn malformed_number_names_file_and_line() {
    let dir = common::scratch("reaxff-malformed");
    let text = std::fs::read_to_string(ffield()).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Line 8 is the C2-correction general parameter, 60.4850.
    lines[7] = lines[7].replacen("60.4850", "60.48x0", 1);
    let p = dir.join("ffield.bad");
    std::fs::write(&p, lines.join("\n")).unwrap();
    let line = eval_error(&slab(), &p, "Au,O");
    assert!(line.contains("ffield.bad:8"), "{line}");
    assert!(line.contains("60.48x0"), "{line}");
}

#[test]
fn element_missing_from_ffield() {
    let line = eval_error(&slab(), &ffield(), "Au,Zn");
    assert!(line.contains("'Zn'"), "{line}");
    assert!(line.contains("ffield.reax.AuO"), "{line}");
}

#[test]
fn atoms_closer_than_a_tenth_of_an_angstrom() {
    let dir = common::scratch("reaxff-overlap");
    let data = dir.join("data.lmp");
    std::fs::write(
        &data,
        "two overlapping atoms\n\n3 atoms\n2 atom types\n\n0 20 xlo xhi\n0 20 ylo yhi\n\
         0 20 zlo zhi\n\nMasses\n\n1 196.967\n2 15.999\n\nAtoms # charge\n\n\
         1 1 0.0 10.0 10.0 10.0\n2 2 0.0 10.05 10.0 10.0\n3 1 0.0 12.5 10.0 10.0\n",
    )
    .unwrap();
    let line = eval_error(&data, &ffield(), "Au,O");
    assert!(line.contains("atoms 1 and 2"), "{line}");
    assert!(line.contains("0.1"), "{line}");
}
