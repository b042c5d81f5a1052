//! The paper's junction deck (`inputs/au_junction.toml`) builds the ~2,516-atom system of the
//! gold rheology paper with its groups, and a few steps of it run with the driven lead moving
//! exactly as imposed.

use std::path::Path;

use nanocontact::deck::Deck;
use nanocontact::dynamics::leads::{self, Motion};
use nanocontact::dynamics::verlet;
use nanocontact::parallel::World;
use nanocontact::setup::build_md;

#[test]
fn paper_junction_builds_and_steps() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/au_junction.toml");
    let deck = Deck::read(&p).unwrap();
    let mut md = build_md(&deck, &p, World::serial(), None).unwrap();
    // 2,575: the paper's 2,516 within 2.5 %; the column relaxes to the paper's N ≈ 9 neck.
    assert_eq!(md.natoms, 2575, "{} atoms", md.natoms);
    let count = |name: &str| {
        let bit = md.groups.bit(name).unwrap();
        md.atoms.mask[..md.atoms.nlocal]
            .iter()
            .filter(|&&m| m & bit != 0)
            .count()
    };
    // 8 x 5 lateral cells of the (111) orientation: 80 atoms per plane, 2 planes per group.
    for g in ["lead_bottom", "bath_bottom", "bath_top", "lead_top"] {
        assert_eq!(count(g), 160, "{g}");
    }
    assert_eq!(count("junction"), md.natoms as usize - 640);
    assert_eq!(
        deck.stage.len(),
        10,
        "thermal cycling, relaxation, equilibration, 6 amplitudes"
    );
    // Drive the top lead as the sweep stages do.
    let omega = 2.0 * std::f64::consts::PI * 10.0e-3;
    let t = md.time_ps;
    leads::of_mut(&mut md)[1].set_motion(
        Motion::Oscillate {
            amplitude_a: 1.0,
            omega_per_ps: omega,
        },
        t,
    );
    let top = md.groups.bit("lead_top").unwrap();
    let z0: Vec<f64> = (0..md.atoms.nlocal)
        .filter(|&i| md.atoms.mask[i] & top != 0)
        .map(|i| md.atoms.x[i][2])
        .collect();
    for _ in 0..20 {
        verlet::step(&mut md).unwrap();
    }
    let want = 1.0 * (2.0 * std::f64::consts::PI * 10.0e-3 * 20.0 * 0.002).sin();
    let z1: Vec<f64> = (0..md.atoms.nlocal)
        .filter(|&i| md.atoms.mask[i] & top != 0)
        .map(|i| md.atoms.x[i][2])
        .collect();
    for (a, b) in z0.iter().zip(&z1) {
        assert!((b - a - want).abs() < 1e-12);
    }
}

#[test]
fn build_command_writes_the_structure() {
    let dir = std::env::temp_dir().join(format!("nanocontact-test-{}-build", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("au.data");
    let deck = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/au_junction.toml");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_nanocontact"))
        .args([
            "build",
            deck.to_str().unwrap(),
            "--out",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{log}");
    assert!(log.contains("group lead_top: 160 atoms"), "{log}");
    // The data file reads back with the same atom count.
    let df = nanocontact::io::lammps_data::DataFile::read(&data).unwrap();
    assert_eq!(df.atoms.len(), 2575);
    std::fs::remove_dir_all(&dir).unwrap();
}
