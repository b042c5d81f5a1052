//! Energy conservation of velocity Verlet with EAM: 256 gold atoms at 600 K (the LAMMPS NVE
//! reference start), 10 ps at 2 fs; the total energy may drift by less than 1e-4 eV/atom.
//! Total momentum stays zero to round-off.

#![allow(clippy::needless_range_loop)] // x, y, z components by index read like the equations

mod common;

use nanocontact::commands::eval::setup;
use nanocontact::dynamics::verlet;
use nanocontact::parallel::World;

#[test]
fn ten_picoseconds_at_600k() {
    let r = common::reference();
    let mut md = setup(
        &r.join("lammps/nve/data.lmp"),
        &format!("eam:{}", r.join("lammps/potentials/Au_u3.eam").display()),
        &[],
        "p p p",
        1.0,
        World::serial(),
        None,
    )
    .unwrap();
    md.set_timestep(0.002);
    let momentum = |md: &nanocontact::dynamics::Md| {
        let mut p = [0.0; 3];
        for i in 0..md.atoms.nlocal {
            for d in 0..3 {
                p[d] += md.atoms.mass(i) * md.atoms.v[i][d];
            }
        }
        p
    };
    let p0 = momentum(&md);
    let e0 = md.thermo().etotal_ev();
    let n = md.natoms as f64;
    let mut worst = 0.0f64;
    let mut sum_t = 0.0;
    for k in 1..=5000 {
        verlet::step(&mut md).unwrap();
        if k % 50 == 0 {
            let th = md.thermo();
            worst = worst.max((th.etotal_ev() - e0).abs() / n);
            sum_t += th.temp_k;
        }
    }
    let p = momentum(&md);
    eprintln!(
        "10 ps NVE: max |E - E0| = {worst:.2e} eV/atom, mean T = {:.1} K, momentum {p:?}",
        sum_t / 100.0
    );
    assert!(worst < 1e-4, "energy drift {worst:e} eV/atom");
    // Started at 600 K from a displaced lattice: equipartition brings it near 300-400 K.
    assert!(sum_t / 100.0 > 200.0 && sum_t / 100.0 < 500.0);
    // The momentum scale is Σ m|v| ≈ 1.5e5 amu Å/ps: 1e-8 is round-off.
    for d in 0..3 {
        assert!((p[d] - p0[d]).abs() < 1e-8, "momentum {p0:?} -> {p:?}");
    }
}
