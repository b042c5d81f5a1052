//! EChemDID on a ReaxFF + QEq silver slab with oxygen (the `ag_slab_o` reference structure),
//! the bottom Ag layer at +1 V and the top Ag layer at −1 V: Φ and the charges of the last frame
//! agree at 1, 2, 3 and 4 ranks to 1e-9, and at V = 0 EChemDID changes nothing (the run is
//! bit-identical to one without it).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn deck(dir: &Path, name: &str, echemdid: Option<f64>) -> PathBuf {
    let mut text = common::ag_slab_reaxff_deck("Ag(001) slab with O, ReaxFF + QEq + EChemDID");
    text.push_str(
        r#"[[group]]
name = "metal"
region = { style = "slab", axis = "z", lo = -100.0, hi = 23.5 }
[[group]]
name = "bottom"
region = { style = "slab", axis = "z", lo = -100.0, hi = 13.0 }
[[group]]
name = "top"
region = { style = "slab", axis = "z", lo = 21.0, hi = 23.5 }
[velocity]
temperature = 300.0
seed = 777
[run]
timestep = 0.00025
steps = 25
thermo = 5
[output]
trajectory = 0
dump = 25
"#,
    );
    if let Some(v) = echemdid {
        text.push_str(&format!(
            "[echemdid]\ngroup = \"metal\"\nelectrodes = [\"bottom\", \"top\"]\nvolt = {v}\n\
             k = 6.0\nrc = 4.0\nnorm = 2.0\nn_elec = 10\n"
        ));
    }
    let p = dir.join(format!("{name}.toml"));
    std::fs::write(&p, text).unwrap();
    p
}

/// id -> the values of `columns` in the last frame of a dump.
fn last_frame(path: &Path, columns: &[&str]) -> HashMap<u64, Vec<f64>> {
    let text = std::fs::read_to_string(path).unwrap();
    let frame = &text[text.rfind("ITEM: TIMESTEP").unwrap()..];
    let mut lines = frame.lines().skip_while(|l| !l.starts_with("ITEM: ATOMS"));
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().skip(2).collect();
    let at: Vec<usize> = columns
        .iter()
        .map(|c| header.iter().position(|h| h == c).unwrap())
        .collect();
    lines
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let v = at.iter().map(|&k| w[k].parse().unwrap()).collect();
            (w[0].parse().unwrap(), v)
        })
        .collect()
}

#[test]
fn phi_and_charges_agree_at_one_to_four_ranks() {
    let dir = common::scratch("echemdid-ranks");
    let d = deck(&dir, "v2", Some(2.0));
    let mut frames = Vec::new();
    for np in 1..=4 {
        let out = dir.join(format!("out{np}"));
        common::run_deck_ok(np, &d, &out);
        frames.push(last_frame(&out.join("traj.dump"), &["q", "echemdid_phi"]));
        let csv = common::read_csv(&out.join("echemdid.csv"));
        assert_eq!(csv.len(), 6, "echemdid.csv rows");
    }
    let one = &frames[0];
    let spread = one
        .values()
        .filter(|v| v[1].abs() > 1e-3 && v[1].abs() < 0.999)
        .count();
    assert!(spread > 0, "Φ did not spread into the slab");
    for (k, f) in frames.iter().enumerate().skip(1) {
        for (id, v1) in one {
            for c in 0..2 {
                assert!(
                    (f[id][c] - v1[c]).abs() < 1e-9,
                    "{} ranks, atom {id}, column {c}: {} vs {}",
                    k + 1,
                    f[id][c],
                    v1[c]
                );
            }
        }
    }
}

#[test]
fn zero_volt_changes_nothing() {
    let dir = common::scratch("echemdid-zero");
    let (with, without) = (deck(&dir, "v0", Some(0.0)), deck(&dir, "none", None));
    let (a, b) = (dir.join("a"), dir.join("b"));
    common::run_deck_ok(1, &with, &a);
    common::run_deck_ok(1, &without, &b);
    let thermo = |p: &Path| std::fs::read_to_string(p.join("thermo.csv")).unwrap();
    assert_eq!(thermo(&a), thermo(&b), "thermo.csv differs at V = 0");
    let (fa, fb) = (
        last_frame(&a.join("traj.dump"), &["q"]),
        last_frame(&b.join("traj.dump"), &["q"]),
    );
    assert_eq!(fa, fb, "charges differ at V = 0");
}
