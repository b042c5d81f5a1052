//! Finite-difference checks of EAM forces, F = −∂E/∂x by central differences of the total
//! energy, for each flavour (funcfl, setfl, Finnis–Sinclair) on randomly displaced
//! configurations, periodic and with a free surface.

#![allow(clippy::needless_range_loop)] // x, y, z components by index read like the equations

mod common;

use nanocontact::commands::eval::setup;
use nanocontact::dynamics::velocity::keyed_stream;
use nanocontact::parallel::World;
use rand_xoshiro::rand_core::Rng;

fn check(case: &str, seed: u64) {
    let c = common::eam_case(case);
    let mut md = setup(
        &c.data,
        &c.spec,
        &c.elements,
        &c.boundary,
        1.0,
        World::serial(),
        None,
    )
    .unwrap();
    // Random extra displacements up to ±0.1 Å.
    let mut rng = keyed_stream(seed, 0, 0);
    for i in 0..md.atoms.nlocal {
        for d in 0..3 {
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            md.atoms.x[i][d] += 0.2 * (u - 0.5);
        }
    }
    md.compute_forces().unwrap();
    let h = 1e-6;
    let mut worst = 0.0f64;
    for k in 0..12 {
        let i = (k * 37 + 5) % md.atoms.nlocal;
        let f_analytic = md.atoms.f[i];
        for d in 0..3 {
            let x0 = md.atoms.x[i][d];
            md.atoms.x[i][d] = x0 + h;
            md.compute_forces().unwrap();
            let ep = md.pe();
            md.atoms.x[i][d] = x0 - h;
            md.compute_forces().unwrap();
            let em = md.pe();
            md.atoms.x[i][d] = x0;
            let f_fd = -(ep - em) / (2.0 * h);
            let err = (f_fd - f_analytic[d]).abs();
            worst = worst.max(err);
            assert!(
                err < 1e-5 * (1.0 + f_analytic[d].abs()),
                "{case} atom {i} dir {d}: analytic {} vs FD {f_fd}",
                f_analytic[d]
            );
        }
    }
    md.compute_forces().unwrap();
    eprintln!("{case}: worst |F - F_fd| = {worst:.1e} eV/A");
}

#[test]
fn funcfl_periodic() {
    check("au_bulk", 11);
}

#[test]
fn funcfl_free_surface() {
    check("au_contact", 12);
}

#[test]
fn setfl_alloy() {
    check("cuni_alloy", 13);
}

#[test]
fn finnis_sinclair() {
    check("alfe_fs", 14);
}
