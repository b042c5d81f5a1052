//! 200 steps of velocity Verlet on 256 gold atoms at 600 K against LAMMPS
//! (`tests/reference/lammps/nve/`): thermo every 10 steps within 1e-6 eV in total energy,
//! and final positions within 1e-6 Å. Also momentum conservation to round-off.

#![allow(clippy::needless_range_loop)] // x, y, z components by index read like the equations

mod common;

use nanocontact::dynamics::verlet;

/// Rows of the LAMMPS thermo table: step pe ke etotal temp press.
fn lammps_thermo() -> Vec<[f64; 6]> {
    let log = std::fs::read_to_string(common::reference().join("lammps/nve/log.lammps")).unwrap();
    let mut rows = Vec::new();
    let mut on = false;
    for l in log.lines() {
        if l.trim_start().starts_with("Step") {
            on = true;
            continue;
        }
        if on {
            if l.starts_with("Loop time") {
                break;
            }
            let v: Vec<f64> = l.split_whitespace().map(|s| s.parse().unwrap()).collect();
            rows.push([v[0], v[1], v[2], v[3], v[4], v[5]]);
        }
    }
    rows
}

/// Positions of the last frame of traj.dump by id.
fn lammps_final_positions() -> std::collections::HashMap<u64, [f64; 3]> {
    let t = std::fs::read_to_string(common::reference().join("lammps/nve/traj.dump")).unwrap();
    let mut out = std::collections::HashMap::new();
    let mut on = false;
    for l in t.lines() {
        if l.starts_with("ITEM: TIMESTEP") {
            on = false;
            out.clear();
        } else if l.starts_with("ITEM: ATOMS") {
            on = true;
        } else if on {
            let v: Vec<f64> = l.split_whitespace().map(|s| s.parse().unwrap()).collect();
            out.insert(v[0] as u64, [v[1], v[2], v[3]]);
        }
    }
    out
}

#[test]
fn nve_matches_lammps() {
    let mut md = common::nve_reference_md();
    let reference = lammps_thermo();
    assert_eq!(reference.len(), 21);
    let p0 = common::momentum(&md);
    let mut worst_e = 0.0f64;
    for row in &reference {
        while (md.step as f64) < row[0] {
            verlet::step(&mut md).unwrap();
        }
        let th = md.thermo();
        let de = (th.etotal_ev() - row[3]).abs();
        worst_e = worst_e.max(de);
        assert!(
            de < 1e-6,
            "step {}: etotal {} vs LAMMPS {}",
            row[0],
            th.etotal_ev(),
            row[3]
        );
        assert!((th.pe_ev - row[1]).abs() < 1e-6, "step {}: pe", row[0]);
        assert!((th.ke_ev - row[2]).abs() < 1e-6, "step {}: ke", row[0]);
        assert!(
            ((th.temp_k - row[4]) / row[4]).abs() < 1e-7,
            "step {}: temp {} vs {}",
            row[0],
            th.temp_k,
            row[4]
        );
        assert!(
            ((th.press_bar - row[5]) / row[5]).abs() < 1e-6,
            "step {}: press {} vs {}",
            row[0],
            th.press_bar,
            row[5]
        );
    }
    let p1 = common::momentum(&md);
    for d in 0..3 {
        assert!(
            (p1[d] - p0[d]).abs() < 1e-9,
            "momentum drift {:?} -> {:?}",
            p0,
            p1
        );
    }
    // Final positions, compared as minimum-image displacements (both codes wrap at re-neighbouring).
    let fin = lammps_final_positions();
    let a = &md.atoms;
    let mut worst_x = 0.0f64;
    for i in 0..a.nlocal {
        let d = md.simbox.minimum_image(&a.x[i], &fin[&a.id[i]]);
        worst_x = worst_x.max(d[0].abs()).max(d[1].abs()).max(d[2].abs());
    }
    assert!(worst_x < 1e-6, "worst position difference {worst_x:e} A");
    eprintln!("NVE vs LAMMPS: max |dEtot| = {worst_e:.2e} eV, max |dx| = {worst_x:.2e} A");
}
