//! LAMMPS data files of `atom_style charge` (`id type q x y z [ix iy iz]`): read as they are
//! (the ReaxFF reference cases), carried through a run as the per-atom field `q` on 1–4 ranks
//! and written back in charge style, and into every frame of `traj.h5`, with every charge at
//! its atom; malformed Atoms sections stop with the file and line.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use nanocontact::io::h5md::H5mdReader;
use nanocontact::io::lammps_data::DataFile;
use nanocontact::system::{Boundary, CHARGE};

/// id -> charge of the Atoms section of a charge-style data file, read from the text.
fn charges_in(path: &Path) -> HashMap<u64, f64> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines().skip_while(|l| !l.starts_with("Atoms")).skip(1);
    let mut out = HashMap::new();
    for l in lines.by_ref() {
        let t: Vec<&str> = l.split_whitespace().collect();
        if t.is_empty() && out.is_empty() {
            continue;
        }
        if t.len() < 6 {
            break;
        }
        out.insert(t[0].parse().unwrap(), t[2].parse().unwrap());
    }
    out
}

#[test]
fn reaxff_reference_data_files_are_read_with_their_charges() {
    for case in ["au_cluster", "au_bulk", "au_slab_o", "ag_slab_o"] {
        let p = common::reference()
            .join("lammps/reaxff")
            .join(case)
            .join("data.lmp");
        let df = DataFile::read(&p).unwrap();
        let q = df.charges.as_ref().expect("charge style");
        let want = charges_in(&p);
        assert_eq!(q.len(), want.len(), "{case}");
        for (a, qa) in df.atoms.iter().zip(q) {
            assert_eq!(*qa, want[&a.0], "{case}, atom {}", a.0);
        }
        let (_, atoms) = df.into_system(&p, [Boundary::Periodic; 3], &[]).unwrap();
        assert!(atoms.fields.find(CHARGE).is_some(), "{case}");
    }
}

/// The Au slab of the EAM references in charge style, q = (id mod 7 − 3)/100 e.
fn charged_slab(dir: &Path) -> PathBuf {
    let src = common::reference().join("lammps/eam/au_slab/data.lmp");
    let text = std::fs::read_to_string(src).unwrap();
    let mut out = String::new();
    let mut in_atoms = false;
    for l in text.lines() {
        if l.starts_with("Atoms") {
            in_atoms = true;
            out += "Atoms # charge\n";
            continue;
        }
        let t: Vec<&str> = l.split_whitespace().collect();
        if in_atoms && t.len() >= 5 {
            let id: i64 = t[0].parse().unwrap();
            let q = ((id % 7) - 3) as f64 / 100.0;
            out += &format!("{} {} {q} {}\n", t[0], t[1], t[2..].join(" "));
        } else {
            if in_atoms && !t.is_empty() {
                in_atoms = false;
            }
            out += l;
            out.push('\n');
        }
    }
    let p = dir.join("slab_charge.data");
    std::fs::write(&p, out).unwrap();
    p
}

#[test]
fn charges_follow_their_atoms_through_a_run_on_1_to_4_ranks() {
    let dir = common::scratch("charge-run");
    let data = charged_slab(&dir);
    let want = charges_in(&data);
    assert!(want.values().any(|&q| q != 0.0));
    let deck = dir.join("run.toml");
    std::fs::write(
        &deck,
        format!(
            "[structure]\ndata = \"{}\"\nboundary = \"p p f\"\n\
             [potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n\
             [velocity]\ntemperature = 900.0\nseed = 7\n\
             [neighbor]\nskin = 0.3\n\
             [run]\ntimestep = 0.002\nsteps = 200\nthermo = 100\n[output]\ntrajectory = 100\n",
            data.display(),
            common::reference()
                .join("lammps/potentials/Au_u3.eam")
                .display()
        ),
    )
    .unwrap();
    for np in 1..=4 {
        let out = dir.join(format!("out{np}"));
        common::run_deck_ok(np, &deck, &out);
        let fin = out.join("final.data");
        let text = std::fs::read_to_string(&fin).unwrap();
        assert!(text.contains("Atoms # charge"), "{np} ranks");
        assert_eq!(
            charges_in(&fin),
            want,
            "{np} ranks: charges moved off their atoms"
        );
        let traj = H5mdReader::open(&out.join("traj.h5")).unwrap();
        assert_eq!(traj.n_frames(), 3);
        for k in 0..3 {
            let f = traj.frame(k).unwrap();
            let q = f.charges.expect("a charge element");
            for (id, qa) in f.ids.iter().zip(q) {
                assert_eq!(qa, want[id], "{np} ranks, frame {k}, atom {id}");
            }
        }
    }
}

#[test]
fn malformed_atoms_sections_name_file_and_line() {
    let dir = common::scratch("charge-bad");
    let src = common::reference().join("lammps/reaxff/au_cluster/data.lmp");
    let text = std::fs::read_to_string(&src).unwrap();
    let line = text.lines().position(|l| l.starts_with("Atoms")).unwrap() + 1;
    for (what, bad, at) in [
        (
            "style",
            text.replace("Atoms # charge", "Atoms # full"),
            line,
        ),
        (
            "columns",
            text.replacen(" 0.0 18.702299689940", " 18.702299689940", 1),
            line + 2,
        ),
        (
            "charge",
            text.replacen(" 0.0 18.702299689940", " x 18.702299689940", 1),
            line + 2,
        ),
    ] {
        let p = dir.join(format!("{what}.data"));
        std::fs::write(&p, bad).unwrap();
        let e = DataFile::read(&p).unwrap_err().to_string();
        assert!(e.contains(&format!("{what}.data:{at}")), "{what}: {e}");
    }
}
