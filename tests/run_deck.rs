//! The `run` command end to end on the built-in demo deck: thermo table, energy conservation
//! of the NVE stage, and a final data file that `eval` reads back to the same energy.

mod common;

#[test]
fn builtin_demo_runs_and_writes_outputs() {
    let dir = common::scratch("demo");
    let out = dir.join("out");
    let o = common::bin()
        .args(["run", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{log}");
    assert!(log.contains("output written to"), "{log}");
    assert!(
        log.contains("steps/s") && log.contains("Loop time"),
        "{log}"
    );
    let csv = std::fs::read_to_string(out.join("thermo.csv")).unwrap();
    let rows: Vec<Vec<f64>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 11, "thermo every 500 of 5000 steps");
    assert_eq!(rows.last().unwrap()[0], 5000.0);
    let e0 = rows[0][4];
    for r in &rows {
        assert!((r[2] + r[3] - r[4]).abs() < 1e-9, "etotal = pe + ke");
        assert!(
            (r[4] - e0).abs() / 340.0 < 1e-5,
            "NVE energy conserved: {} vs {e0}",
            r[4]
        );
    }
    assert!(
        (rows[0][5] - 300.0).abs() < 1e-6,
        "initial temperature of the mobile atoms"
    );
    // The final state is a valid LAMMPS data file; eval gives the last thermo energy.
    let pot = out.join("potentials/Au_u3.eam");
    let e = common::bin()
        .args([
            "eval",
            out.join("final.data").to_str().unwrap(),
            "--potential",
            &format!("eam:{}", pot.display()),
            "--boundary",
            "p p f",
        ])
        .output()
        .unwrap();
    assert!(e.status.success(), "{}", String::from_utf8_lossy(&e.stderr));
    let v: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&e.stdout).trim()).unwrap();
    let pe = v["pe_eV"].as_f64().unwrap();
    assert!(
        (pe - rows.last().unwrap()[2]).abs() < 1e-8,
        "{pe} vs {}",
        rows.last().unwrap()[2]
    );
}

/// `OUT/deck.toml` is the deck as given plus `base_dir`, so the copy finds the deck's relative
/// files from its new folder: re-running it gives the same thermo table.
#[test]
fn copied_deck_reads_from_its_run_folder() {
    let dir = common::scratch("deck-copy");
    std::fs::create_dir_all(dir.join("in/pot")).unwrap();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/potentials/Au_u3.eam"),
        dir.join("in/pot/Au_u3.eam"),
    )
    .unwrap();
    let deck = r#"title = "copy"
[structure]
boundary = "p p p"
[structure.lattice]
a = 4.08
cells = [3, 3, 3]
[potential]
style = "eam"
files = ["pot/Au_u3.eam"]
[velocity]
temperature = 300.0
seed = 7
[run]
timestep = 0.002
steps = 20
thermo = 10
"#;
    std::fs::write(dir.join("in/deck.toml"), deck).unwrap();
    let run = |deck: &std::path::Path, out: &str| {
        let o = common::bin()
            .arg("run")
            .arg(deck)
            .arg("--out")
            .arg(dir.join(out))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(dir.join(out).join("thermo.csv")).unwrap()
    };
    let first = run(&dir.join("in/deck.toml"), "a");
    let copy = std::fs::read_to_string(dir.join("a/deck.toml")).unwrap();
    assert!(copy.ends_with(deck), "the deck's own text is kept");
    assert!(copy.contains("base_dir = "), "{copy}");
    let second = run(&dir.join("a/deck.toml"), "b");
    assert_eq!(first, second);
    std::fs::remove_dir_all(&dir).unwrap();
}
