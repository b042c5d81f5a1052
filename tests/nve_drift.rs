//! Energy conservation of velocity Verlet with EAM: 256 gold atoms at 600 K (the LAMMPS NVE
//! reference start), 10 ps at 2 fs; the total energy may drift by less than 1e-4 eV/atom.
//! Total momentum stays zero to round-off.

#![allow(clippy::needless_range_loop)] // x, y, z components by index read like the equations

mod common;

use nanocontact::dynamics::verlet;

#[test]
fn ten_picoseconds_at_600k() {
    let mut md = common::nve_reference_md();
    let p0 = common::momentum(&md);
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
    let p = common::momentum(&md);
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
