//! Bad input gets one clear line naming the file (and line or key), a non-zero exit, and never
//! a panic: potential files, data files, decks, atoms outside a fixed box, overlapping atoms
//! (non-finite forces: the atom ids and their distance, no JSON printed).

mod common;

use std::path::{Path, PathBuf};

/// Run the binary; expect failure with every `needles` in the one-line message on stderr.
fn expect_error(args: &[&str], needles: &[&str]) {
    let out = common::bin().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code for {args:?}; stderr: {err}"
    );
    assert!(!err.contains("panicked"), "panic for {args:?}: {err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("ERROR"))
        .unwrap_or_else(|| panic!("no ERROR line: {err}"));
    for n in needles {
        assert!(line.contains(n), "message for {args:?} lacks '{n}': {line}");
    }
}

fn au_potential() -> PathBuf {
    common::reference().join("lammps/potentials/Au_u3.eam")
}

fn au_bulk_data() -> PathBuf {
    common::reference().join("lammps/eam/au_bulk/data.lmp")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn missing_potential_file() {
    let spec = "eam:/nonexistent/Au_u3.eam";
    expect_error(
        &["eval", s(&au_bulk_data()), "--potential", spec],
        &["/nonexistent/Au_u3.eam", "No such file"],
    );
}

#[test]
fn truncated_potential_file() {
    let dir = common::scratch("truncated-pot");
    let text = std::fs::read_to_string(au_potential()).unwrap();
    let cut: Vec<&str> = text.lines().take(150).collect();
    let p = dir.join("Au_cut.eam");
    std::fs::write(&p, cut.join("\n")).unwrap();
    let spec = format!("eam:{}", s(&p));
    expect_error(
        &["eval", s(&au_bulk_data()), "--potential", &spec],
        &["Au_cut.eam:150", "truncated"],
    );
}

#[test]
fn setfl_with_unknown_element() {
    let c = common::eam_case("cuni_alloy");
    expect_error(
        &[
            "eval",
            s(&c.data),
            "--potential",
            &c.spec,
            "--elements",
            "Cu,Zr",
        ],
        &["CuNi.eam.alloy", "element 'Zr'"],
    );
}

#[test]
fn potential_table_beyond_the_index_range() {
    // dr so small that cutoff/dr exceeds 2^31: the table index of a pair could not be formed.
    let dir = common::scratch("eam-index-range");
    let text = std::fs::read_to_string(au_potential()).unwrap();
    let text = text.replacen("1.1212121212121229e-02", "1.0e-12", 1);
    let p = dir.join("Au_tiny_dr.eam");
    std::fs::write(&p, text).unwrap();
    let spec = format!("eam:{}", p.display());
    expect_error(
        &["eval", s(&au_bulk_data()), "--potential", &spec],
        &["Au_tiny_dr.eam", "cutoff/dr"],
    );
}

#[test]
fn unknown_potential_style() {
    expect_error(
        &["eval", s(&au_bulk_data()), "--potential", "tersoff:foo"],
        &["tersoff", "eam", "lj/cut"],
    );
}

#[test]
fn bad_lj_parameter_file() {
    let dir = common::scratch("bad-lj");
    let missing = dir.join("missing.lj");
    let spec = format!("lj/cut:{}", missing.display());
    expect_error(
        &["eval", s(&au_bulk_data()), "--potential", &spec],
        &["missing.lj"],
    );
    let bad = dir.join("pair.lj");
    std::fs::write(&bad, "pair_style lj/cut 8.0\npair_coeff 1 1 0.01\n").unwrap();
    let spec = format!("lj/cut:{}", bad.display());
    expect_error(
        &["eval", s(&au_bulk_data()), "--potential", &spec],
        &["pair.lj:2", "pair_coeff 1 1"],
    );
}

fn write_modified_data(name: &str, f: impl Fn(&str) -> String) -> PathBuf {
    let dir = common::scratch(name);
    let text = std::fs::read_to_string(au_bulk_data()).unwrap();
    let p = dir.join("data.lmp");
    std::fs::write(&p, f(&text)).unwrap();
    p
}

#[test]
fn data_file_without_atoms_section() {
    let p = write_modified_data("no-atoms", |t| t.split("Atoms").next().unwrap().to_string());
    expect_error(
        &[
            "eval",
            s(&p),
            "--potential",
            &format!("eam:{}", s(&au_potential())),
        ],
        &["data.lmp", "missing section 'Atoms'"],
    );
}

#[test]
fn data_file_with_unknown_atom_type() {
    // Line 16 is the first atom line of the reference file: give it type 3 of 1.
    let p = write_modified_data("bad-type", |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        let k = lines.iter().position(|l| l.starts_with("1 1 ")).unwrap();
        lines[k] = lines[k].replacen("1 1 ", "1 3 ", 1);
        lines.join("\n")
    });
    expect_error(
        &[
            "eval",
            s(&p),
            "--potential",
            &format!("eam:{}", s(&au_potential())),
        ],
        &["data.lmp:16", "unknown atom type 3"],
    );
}

#[test]
fn data_file_truncated() {
    let p = write_modified_data("truncated-data", |t| {
        t.lines().take(100).collect::<Vec<_>>().join("\n")
    });
    expect_error(
        &[
            "eval",
            s(&p),
            "--potential",
            &format!("eam:{}", s(&au_potential())),
        ],
        &["data.lmp", "truncated", "expected 256"],
    );
}

#[test]
fn atom_outside_fixed_box() {
    let c = common::eam_case("au_slab");
    // In z the slab's box is [0, 36.4]; with a fixed z boundary a shifted atom is outside.
    let p = write_modified_data("outside", |_| {
        let t = std::fs::read_to_string(&c.data).unwrap();
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        let k = lines.iter().position(|l| l.starts_with("1 1 ")).unwrap();
        let mut f: Vec<String> = lines[k].split_whitespace().map(String::from).collect();
        f[4] = "40.0".into();
        lines[k] = f.join(" ");
        lines.join("\n")
    });
    expect_error(
        &["eval", s(&p), "--potential", &c.spec, "--boundary", "p p f"],
        &["data.lmp", "atom 1", "outside the fixed box"],
    );
}

/// A minimal valid deck using the reference Au_u3.eam.
fn deck(extra_run: &str) -> String {
    format!(
        "[structure]\nboundary = \"p p p\"\n[structure.lattice]\na = 4.08\ncells = [3, 3, 3]\n[potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[run]\ntimestep = 0.002\nsteps = 10\n{extra_run}",
        s(&au_potential())
    )
}

fn run_deck(name: &str, text: &str, needles: &[&str]) {
    let dir = common::scratch(name);
    let p = dir.join("deck.toml");
    std::fs::write(&p, text).unwrap();
    let out = dir.join("out");
    expect_error(&["run", s(&p), "--out", s(&out)], needles);
}

#[test]
fn deck_unknown_key() {
    run_deck(
        "deck-unknown",
        &deck("thermostat = 3\n"),
        &["deck.toml:12", "unknown field `thermostat`"],
    );
}

#[test]
fn deck_wrong_type() {
    run_deck(
        "deck-type",
        &deck("").replace("steps = 10", "steps = \"ten\""),
        &["deck.toml:11", "integer"],
    );
}

#[test]
fn deck_negative_timestep() {
    run_deck(
        "deck-dt",
        &deck("").replace("timestep = 0.002", "timestep = -0.002"),
        &["deck.toml:10", "run.timestep", "positive"],
    );
}

/// Two groups, two oscillating leads and two baths on them, after the minimal deck's `[run]`.
fn two_leads(second_frequency: &str, second_damping: &str) -> String {
    let slab = |name: &str, lo: f64, hi: f64| {
        format!("[[group]]\nname = \"{name}\"\nregion = {{ style = \"slab\", axis = \"z\", lo = {lo}, hi = {hi} }}\n")
    };
    let lead = |name: &str, f: &str| {
        format!("[[lead]]\ngroup = \"{name}\"\nmotion = \"oscillate\"\nfrequency_ghz = {f}\n")
    };
    let bath = |name: &str, d: &str| {
        format!("[[thermostat]]\ngroup = \"{name}\"\ntemperature = 300.0\ndamping = {d}\n")
    };
    deck(&format!(
        "{}{}{}{}{}{}",
        slab("low", -1.0, 2.0),
        slab("high", 8.0, 13.0),
        lead("low", "10.0"),
        lead("high", second_frequency),
        bath("low", "0.5"),
        bath("high", second_damping)
    ))
}

/// 1-based line of the second line of `text` that starts with `prefix`.
fn second_line(text: &str, prefix: &str) -> String {
    let k = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(prefix))
        .nth(1)
        .map(|(k, _)| k + 1)
        .unwrap();
    format!("deck.toml:{k}:")
}

#[test]
fn deck_error_in_second_lead_names_its_line() {
    let text = two_leads("-5.0", "0.5");
    run_deck(
        "deck-lead2",
        &text,
        &[
            &second_line(&text, "frequency_ghz"),
            "lead[1].frequency_ghz",
            "positive",
        ],
    );
}

#[test]
fn deck_error_in_second_thermostat_names_its_line() {
    let text = two_leads("10.0", "-0.5");
    run_deck(
        "deck-bath2",
        &text,
        &[
            &second_line(&text, "damping"),
            "thermostat[1].damping",
            "positive",
        ],
    );
}

#[test]
fn deck_unknown_motion_names_the_choices() {
    let text = two_leads("10.0", "0.5").replacen("\"oscillate\"", "\"swing\"", 1);
    run_deck(
        "deck-motion",
        &text,
        &[
            "deck.toml:20",
            "lead[0].motion",
            "unknown variant `swing`",
            "`oscillate`",
        ],
    );
}

#[test]
fn deck_missing_file() {
    let out = common::scratch("deck-missing").join("out");
    expect_error(
        &["run", "/nonexistent/deck.toml", "--out", s(&out)],
        &["/nonexistent/deck.toml", "No such file"],
    );
}

#[test]
fn atom_lost_during_run_stops_cleanly() {
    // A slab with a fixed z boundary; its topmost atom gets 300 Å/ps along +z and leaves.
    let dir = common::scratch("lost");
    let c = common::eam_case("au_slab");
    let t = std::fs::read_to_string(&c.data).unwrap();
    let top = t
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f.len() == 5)
        .max_by(|a, b| {
            a[4].parse::<f64>()
                .unwrap()
                .total_cmp(&b[4].parse::<f64>().unwrap())
        })
        .map(|f| f[0].parse::<u64>().unwrap())
        .unwrap();
    let mut v = String::from("\nVelocities\n\n");
    for id in 1..=320u64 {
        let vz = if id == top { 300.0 } else { 0.0 };
        v += &format!("{id} 0 0 {vz}\n");
    }
    let data = dir.join("data.lmp");
    std::fs::write(&data, format!("{t}{v}")).unwrap();
    let deck = format!(
        "[structure]\ndata = \"{}\"\nboundary = \"p p f\"\n[potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[run]\ntimestep = 0.002\nsteps = 200\nthermo = 10\n[output]\ncheckpoint = 1\n",
        s(&data),
        s(&au_potential())
    );
    let p = dir.join("deck.toml");
    std::fs::write(&p, deck).unwrap();
    let out = dir.join("out");
    // With a checkpoint every step, the message names the step, the atom and the last good
    // checkpoint.
    let needles = [
        "left the fixed box".to_string(),
        format!("ids {top})"),
        "the last good checkpoint is".to_string(),
        "--restart".to_string(),
    ];
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    expect_error(&["run", s(&p), "--out", s(&out)], &needles);
    // On 2 ranks every rank names the atom, whichever rank held it (rank 0 alone knew it).
    let out2 = dir.join("out2");
    let o = common::mpirun(2, &["run", s(&p), "--out", s(&out2)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.contains("ERROR (rank")).collect();
    assert!(!errors.is_empty(), "{err}");
    for n in &needles {
        assert!(err.contains(n), "'{n}' missing: {err}");
    }
    assert!(err.contains("step "), "{err}");
    for l in errors.iter().filter(|l| l.contains("left the fixed box")) {
        assert!(l.contains(&format!("ids {top})")), "{l}");
    }
    // Output written so far stays readable: the thermo table has its header and complete rows.
    let csv = std::fs::read_to_string(out.join("thermo.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "step,time_ps,pe_eV,ke_eV,etotal_eV,temp_K,press_bar"
    );
    for l in lines {
        assert_eq!(l.split(',').count(), 7, "complete row: {l}");
    }
}

#[test]
fn deck_region_axis_names_the_choices() {
    let text = format!(
        "{}[[group]]\nname = \"top\"\nregion = {{ style = \"slab\", axis = \"w\", lo = 0.0, hi = 1.0 }}\n",
        deck("")
    );
    let line = text.lines().count().to_string();
    run_deck(
        "region-axis",
        &text,
        &[&format!("deck.toml:{line}"), "`w`", "`x`, `y`, `z`"],
    );
}

/// The au_bulk reference with atom 2 moved onto atom 1.
fn overlapping_data(name: &str) -> PathBuf {
    write_modified_data(name, |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        let k = lines.iter().position(|l| l.starts_with("1 1 ")).unwrap();
        let x1: Vec<String> = lines[k]
            .split_whitespace()
            .skip(2)
            .map(String::from)
            .collect();
        lines[k + 1] = format!("2 1 {}", x1.join(" "));
        lines.join("\n")
    })
}

/// The message names both atoms of the overlapping pair and their distance, 0.
fn assert_names_the_overlap(err: &str) {
    let line = err
        .lines()
        .find(|l| l.starts_with("ERROR"))
        .unwrap_or_else(|| panic!("no ERROR line: {err}"));
    assert!(
        line.contains("atom 1 is 0.000e0 Å from atom 2")
            || line.contains("atom 2 is 0.000e0 Å from atom 1"),
        "{line}"
    );
    assert!(line.contains("step 0"), "{line}");
    assert!(line.contains("overlapping atoms"), "{line}");
}

#[test]
fn eval_of_overlapping_atoms_is_an_error_and_prints_no_json() {
    let p = overlapping_data("overlap-eval");
    let pot = format!("eam:{}", s(&au_potential()));
    let out = common::bin()
        .args(["eval", s(&p), "--potential", &pot])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_names_the_overlap(&err);
    assert!(
        out.stdout.is_empty(),
        "printed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn eval_of_overlapping_atoms_on_two_ranks_stops_every_rank_with_the_message() {
    let p = overlapping_data("overlap-eval-mpi");
    let pot = format!("eam:{}", s(&au_potential()));
    let out = common::mpirun(2, &["eval", s(&p), "--potential", &pot]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_names_the_overlap(&err);
    assert!(out.stdout.is_empty() || !String::from_utf8_lossy(&out.stdout).contains("pe_eV"));
}

#[test]
fn run_from_overlapping_atoms_stops_before_the_first_step() {
    let dir = common::scratch("overlap-run");
    let data = overlapping_data("overlap-run-data");
    let deck = format!(
        "[structure]\ndata = \"{}\"\nboundary = \"p p p\"\n[potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[run]\ntimestep = 0.002\nsteps = 10\n",
        s(&data),
        s(&au_potential())
    );
    let p = dir.join("deck.toml");
    std::fs::write(&p, deck).unwrap();
    let out = common::bin()
        .args(["run", s(&p), "--out", s(&dir.join("out"))])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_names_the_overlap(&err);
}
