//! EAM energies, pressures and forces against LAMMPS (Debian `lammps` 20220106) on every case in
//! `tests/reference/lammps/eam/`: total energy within 1e-9 relative, every force component
//! within 1e-7 eV/Å, virial pressure within 1e-6 relative.

mod common;

use nanocontact::commands::eval::{evaluate, EvalOptions};
use nanocontact::parallel::World;

fn check_case(name: &str) {
    let c = common::eam_case(name);
    let opts = EvalOptions {
        data: c.data.clone(),
        potential: c.spec.clone(),
        elements: c.elements.clone(),
        boundary: c.boundary.clone(),
        dump: None,
        skin: 1.0,
        grid: None,
    };
    let r = evaluate(&opts, World::serial()).unwrap();
    assert_eq!(r.natoms as usize, c.forces.len(), "{name}: atom count");
    let de = ((r.pe_ev - c.pe_ev) / c.pe_ev).abs();
    assert!(
        de < 1e-9,
        "{name}: energy {} vs LAMMPS {} (rel {de:e})",
        r.pe_ev,
        c.pe_ev
    );
    let dp = ((r.pressure_bar - c.pressure_bar) / c.pressure_bar).abs();
    assert!(
        dp < 1e-6,
        "{name}: pressure {} vs LAMMPS {} (rel {dp:e})",
        r.pressure_bar,
        c.pressure_bar
    );
    let mut worst = 0.0f64;
    for (id, f) in &r.forces {
        let g = c.forces[id];
        for d in 0..3 {
            worst = worst.max((f[d] - g[d]).abs());
        }
    }
    assert!(
        worst < 1e-7,
        "{name}: worst force difference {worst:e} eV/A"
    );
    eprintln!("{name}: dE/E = {de:.1e}, dP/P = {dp:.1e}, max |dF| = {worst:.1e} eV/A");
}

#[test]
fn every_reference_case_is_covered() {
    let names = common::eam_case_names();
    for expected in [
        "au_bulk",
        "au_slab",
        "au_contact",
        "ag_bulk",
        "cuni_alloy",
        "alfe_fs",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "missing reference case {expected}"
        );
    }
    for n in &names {
        check_case(n);
    }
}

#[test]
fn skin_does_not_change_results() {
    // The list holds more pairs with a larger skin; the cutoff test inside the potential keeps
    // the physics identical.
    let c = common::eam_case("au_contact");
    let mut last: Option<f64> = None;
    for skin in [0.0, 0.3, 2.0] {
        let opts = EvalOptions {
            data: c.data.clone(),
            potential: c.spec.clone(),
            elements: vec![],
            boundary: c.boundary.clone(),
            dump: None,
            skin,
            grid: None,
        };
        let r = evaluate(&opts, World::serial()).unwrap();
        if let Some(e) = last {
            assert!(((r.pe_ev - e) / e).abs() < 1e-13);
        }
        last = Some(r.pe_ev);
    }
}

#[test]
fn eval_cli_contract() {
    // The stable command-line contract: one JSON line, and `id fx fy fz` sorted by id.
    let c = common::eam_case("cuni_alloy");
    let dir = common::scratch("eval-cli");
    let dump = dir.join("forces.txt");
    let out = common::bin()
        .args([
            "eval",
            c.data.to_str().unwrap(),
            "--potential",
            &c.spec,
            "--elements",
            "Cu,Ni",
            "--boundary",
            "p p p",
            "--dump",
            dump.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(v["natoms"].as_u64().unwrap(), 256);
    assert!(((v["pe_eV"].as_f64().unwrap() - c.pe_ev) / c.pe_ev).abs() < 1e-9);
    assert!(((v["pressure_bar"].as_f64().unwrap() - c.pressure_bar) / c.pressure_bar).abs() < 1e-6);
    let text = std::fs::read_to_string(&dump).unwrap();
    let mut prev = 0;
    let mut n = 0;
    for l in text.lines() {
        let t: Vec<&str> = l.split_whitespace().collect();
        assert_eq!(t.len(), 4);
        let id: u64 = t[0].parse().unwrap();
        assert!(id > prev, "ids sorted");
        prev = id;
        let g = c.forces[&id];
        for d in 0..3 {
            let f: f64 = t[1 + d].parse().unwrap();
            assert!((f - g[d]).abs() < 1e-7);
        }
        n += 1;
    }
    assert_eq!(n, 256);
}
