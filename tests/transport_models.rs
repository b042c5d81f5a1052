//! Tight-binding models built from atom positions: the Sutton s-band gold chain (seed 004)
//! gives 1 G0 at the Fermi energy of its half-filled band, reproduces the Kwant reference
//! `au_chain_sutton` from the atom positions alone, and the geometry checks reject a principal
//! layer thinner than the model's range.

use std::path::Path;

use nanocontact::transport::model::band_filling::lead_fermi_energy;
use nanocontact::transport::model::sutton::SuttonSBand;
use nanocontact::transport::model::tight_binding::{Atom, LeadGeometry};
use nanocontact::transport::problem::supercell::build_problem;
use nanocontact::transport::{SelfEnergyMethod, Solver, TransportProblem};

fn atom(x: f64) -> Atom {
    Atom {
        species: 0,
        pos: [x, 0.0, 0.0],
    }
}

/// A chain: S atoms at `xs`, leads continuing with spacing `d` on both sides.
fn chain(model: &SuttonSBand, xs: &[f64], d: f64) -> TransportProblem {
    let left = LeadGeometry {
        layer: vec![atom(xs[0] - d)],
        period: [-d, 0.0, 0.0],
    };
    let right = LeadGeometry {
        layer: vec![atom(xs[xs.len() - 1] + d)],
        period: [d, 0.0, 0.0],
    };
    let s: Vec<Atom> = xs.iter().map(|&x| atom(x)).collect();
    build_problem(model, &s, [&left, &right]).expect("chain problem")
}

fn transmission(p: &TransportProblem, e: f64) -> f64 {
    Solver::new(p.clone(), SelfEnergyMethod::ModeMatching)
        .and_then(|s| s.at_k(0.0)?.transmission(e))
        .expect("transmission")
        .t_lr
}

#[test]
fn monatomic_gold_chain_conducts_one_quantum() {
    let m = SuttonSBand::gold();
    let d = 2.37;
    let xs: Vec<f64> = (0..6).map(|i| i as f64 * d).collect();
    let p = chain(&m, &xs, d);
    // Nearest-neighbour hopping −(εc/2)(a/R)^4 = −4.805 eV at 2.37 Å (paper: "−4.78 eV").
    let h = p.h_s.dense_at_k(0.0);
    let want = -(0.007868 * 139.07 / 2.0) * (4.08f64 / 2.37).powi(4);
    assert!(
        (h[(0, 1)].re - want).abs() < 1e-12,
        "hopping {} vs {want}",
        h[(0, 1)].re
    );
    assert!(
        h[(0, 2)].norm() == 0.0,
        "second neighbours (4.74 Å) are cut off"
    );
    // One 6s electron per atom: half filling, E_F at the band centre.
    let lead = &p.leads[1];
    let ef = lead_fermi_energy(
        &lead.h00.dense_at_k(0.0),
        &lead.h01.dense_at_k(0.0),
        1.0,
        400,
    )
    .expect("E_F");
    assert!(ef.abs() < 1e-9, "E_F = {ef}");
    let g = transmission(&p, ef);
    assert!((g - 1.0).abs() < 1e-10, "G = {g} G0");
}

#[test]
fn stretched_and_broken_gold_chains() {
    let m = SuttonSBand::gold();
    let d = 2.37;
    // A bond stretched into the smooth tail (3.6 Å) lowers G below 1 G0; beyond r_off it is 0.
    for (gap, lo, hi) in [
        (2.9, 0.5, 1.0 - 1e-6),
        (3.6, 1e-6, 0.5),
        (4.0, -1e-15, 1e-15),
    ] {
        let mut xs: Vec<f64> = (0..3).map(|i| i as f64 * d).collect();
        let x0 = xs[2] + gap;
        xs.extend((0..3).map(|i| x0 + i as f64 * d));
        let g = transmission(&chain(&m, &xs, d), 0.0);
        assert!(g >= lo && g <= hi, "gap {gap} Å: G = {g} G0");
    }
}

#[test]
fn sutton_chain_built_from_positions_reproduces_the_kwant_reference() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/kwant/au_chain_sutton");
    let text = std::fs::read_to_string(dir.join("system.json")).expect("system.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let xs: Vec<f64> = json["physics"]["atom_x_A"]
        .as_array()
        .expect("atom_x_A")
        .iter()
        .map(|v| v.as_f64().expect("x"))
        .collect();
    let d = json["physics"]["lead_spacing_A"]
        .as_f64()
        .expect("lead spacing");
    let p = chain(&SuttonSBand::gold(), &xs, d);
    let solver = Solver::new(p, SelfEnergyMethod::ModeMatching).expect("solver");
    let ks = solver.at_k(0.0).expect("k");
    let csv = std::fs::read_to_string(dir.join("transmission.csv")).expect("csv");
    let mut n = 0;
    for line in csv.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let (e, t): (f64, f64) = (c[0].parse().expect("E"), c[1].parse().expect("T"));
        let r = ks.transmission(e).expect("T");
        assert!(
            (r.t_lr - t).abs() < 1e-8,
            "E = {e}: {} vs Kwant {t}",
            r.t_lr
        );
        n += 1;
    }
    assert!(n > 100);
}

#[test]
fn principal_layer_thinner_than_the_model_range_is_rejected() {
    let m = SuttonSBand::gold();
    let d = 1.5; // layer 1 to layer 3 is 3.0 Å < r_off = 3.9 Å
    let left = LeadGeometry {
        layer: vec![atom(-d)],
        period: [-d, 0.0, 0.0],
    };
    let right = LeadGeometry {
        layer: vec![atom(3.0 * d)],
        period: [d, 0.0, 0.0],
    };
    let s: Vec<Atom> = (0..3).map(|i| atom(i as f64 * d)).collect();
    let err = build_problem(&m, &s, [&left, &right]).expect_err("thin layer accepted");
    assert!(err.to_string().contains("layer 3"), "{err}");
}
