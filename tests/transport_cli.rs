//! The stable contract `nanocontact transport --hamiltonian FILE.json --energies E.csv --out DIR`
//! run as a subprocess: output files and columns, and one-line errors (never a panic) on bad
//! input.

use std::path::{Path, PathBuf};
use std::process::Command;

fn reference(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference/kwant")
        .join(case)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nanocontact_cli_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

fn run(h: &Path, e: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nanocontact"))
        .args(["transport", "--hamiltonian"])
        .arg(h)
        .arg("--energies")
        .arg(e)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run nanocontact")
}

#[test]
fn writes_the_contract_files_for_a_reference_case() {
    let case = reference("chain_impurity");
    let out = scratch("ok").join("out");
    let o = run(
        &case.join("system.json"),
        &case.join("transmission.csv"),
        &out,
    );
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let t = std::fs::read_to_string(out.join("transmission.csv")).expect("transmission.csv");
    let mut lines = t.lines();
    assert_eq!(
        lines.next(),
        Some("E_eV,T_LR,T_RL,open_channels_L,open_channels_R")
    );
    let reference = std::fs::read_to_string(case.join("transmission.csv")).expect("reference");
    assert_eq!(
        lines.count(),
        reference.lines().count() - 1,
        "one row per energy"
    );
    // E = 0 is on the grid: T = 4/(4 + 0.49), one channel each side.
    let row = t.lines().find(|l| l.starts_with("0,")).expect("E = 0 row");
    let cells: Vec<&str> = row.split(',').collect();
    let tv: f64 = cells[1].parse().expect("T");
    assert!((tv - 4.0 / 4.49).abs() < 1e-12, "T(0) = {tv}");
    assert_eq!(&cells[3..], &["1", "1"]);
    let ec = std::fs::read_to_string(out.join("eigenchannels.csv")).expect("eigenchannels.csv");
    assert!(
        ec.starts_with("E_eV,tau_1\n"),
        "{}",
        &ec[..40.min(ec.len())]
    );
}

#[test]
fn periodic_case_writes_k_resolved_files() {
    let case = reference("slab_kperp");
    let dir = scratch("slab");
    let e = dir.join("E.csv");
    std::fs::write(&e, "E_eV\n-0.45\n1.55\n").expect("E.csv");
    let out = dir.join("out");
    let o = run(&case.join("system.json"), &e, &out);
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let tk = std::fs::read_to_string(out.join("transmission_k.csv")).expect("transmission_k.csv");
    assert_eq!(tk.lines().count(), 1 + 16 * 2, "16 k-points x 2 energies");
    let ec = std::fs::read_to_string(out.join("eigenchannels.csv")).expect("eigenchannels.csv");
    assert!(ec.starts_with("k,E_eV,tau_1"));
}

/// Runs with a bad input and returns stderr, checking: non-zero exit, one line, no panic.
fn expect_error(h: &Path, e: &Path, out: &Path) -> String {
    let o = run(h, e, out);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!o.status.success(), "bad input accepted");
    assert!(!err.contains("panicked"), "panic: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one-line error: {err}");
    err
}

#[test]
fn bad_inputs_give_one_line_errors() {
    let dir = scratch("bad");
    let good_h = reference("chain_clean").join("system.json");
    let good_e = reference("chain_clean").join("transmission.csv");
    let out = dir.join("out");

    let err = expect_error(&dir.join("missing.json"), &good_e, &out);
    assert!(err.contains("missing.json"), "{err}");

    let bad_json = dir.join("bad.json");
    std::fs::write(
        &bad_json,
        "{\n \"scattering_region\": {\"H\": {\"re\": [[0.0]]}},\n \"leads\": [1, \n",
    )
    .expect("w");
    let err = expect_error(&bad_json, &good_e, &out);
    assert!(err.contains("bad.json:"), "{err}");

    let no_leads = dir.join("no_leads.json");
    std::fs::write(
        &no_leads,
        r#"{"scattering_region": {"H": {"re": [[0.0]], "im": [[0.0]]}}}"#,
    )
    .expect("w");
    let err = expect_error(&no_leads, &good_e, &out);
    assert!(err.contains("leads"), "{err}");

    let shape = dir.join("shape.json");
    let one = r#"{"re": [[0.0]], "im": [[0.0]]}"#;
    let lead = format!(
        r#"{{"H00": {one}, "H01": {{"re": [[-1.0]]}}, "V_S_lead1": {{"re": [[-1.0],[0.0]]}}}}"#
    );
    std::fs::write(
        &shape,
        format!(r#"{{"scattering_region": {{"H": {one}}}, "leads": [{lead}, {lead}]}}"#),
    )
    .expect("w");
    let err = expect_error(&shape, &good_e, &out);
    assert!(err.contains("V_S_lead1"), "{err}");

    let bad_header = dir.join("E_bad.csv");
    std::fs::write(&bad_header, "energy\n0.1\n").expect("w");
    let err = expect_error(&good_h, &bad_header, &out);
    assert!(err.contains("E_eV"), "{err}");

    let bad_value = dir.join("E_val.csv");
    std::fs::write(&bad_value, "E_eV\n0.1\nabc\n").expect("w");
    let err = expect_error(&good_h, &bad_value, &out);
    assert!(err.contains("E_val.csv:3"), "{err}");
}
