//! ReaxFF + QEq molecular dynamics from a deck (`[potential] style = "reaxff"`) on the
//! `ag_slab_o` reference structure at 600 K: the thermo rows (energies, pressure and the QEq
//! iteration column) agree at 1, 2, 3 and 4 ranks to 1e-9 relative, and the total energy of
//! the short NVE run is conserved to 1e-5 relative (0.25 fs steps).

mod common;

fn deck(dir: &std::path::Path) -> std::path::PathBuf {
    let text = common::ag_slab_reaxff_deck("Ag(001) slab with O, ReaxFF + QEq, NVE")
        + "[velocity]\ntemperature = 600.0\nseed = 4242\n[run]\ntimestep = 0.00025\n\
           steps = 40\nthermo = 10\n[output]\ntrajectory = 0\n";
    let p = dir.join("nve.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn reaxff_nve_agrees_at_one_to_four_ranks() {
    let dir = common::scratch("reaxff-md");
    let deck = deck(&dir);
    let mut tables = Vec::new();
    for np in 1..=4 {
        let out = dir.join(format!("out{np}"));
        common::run_deck_ok(np, &deck, &out);
        let header = std::fs::read_to_string(out.join("thermo.csv")).unwrap();
        assert!(
            header.lines().next().unwrap().ends_with(",qeq_iterations"),
            "thermo.csv lacks the QEq column"
        );
        tables.push(common::read_csv(&out.join("thermo.csv")));
    }
    let one = &tables[0];
    assert_eq!(one.len(), 5, "thermo rows at steps 0, 10, .., 40");
    for (k, t) in tables.iter().enumerate().skip(1) {
        for (r1, r) in one.iter().zip(t) {
            for c in 2..r.len() {
                let scale = r1[c].abs().max(1.0);
                assert!(
                    (r[c] - r1[c]).abs() / scale < 1e-9,
                    "{} ranks, step {}, column {c}: {} vs {}",
                    k + 1,
                    r[0],
                    r[c],
                    r1[c]
                );
            }
        }
    }
    let e0 = one[0][4];
    for r in one {
        assert!(
            ((r[4] - e0) / e0).abs() < 1e-5,
            "total energy at step {}: {} eV, start {e0}",
            r[0],
            r[4]
        );
        assert!(r[7] >= 1.0, "QEq iterations at step {}: {}", r[0], r[7]);
    }
}
