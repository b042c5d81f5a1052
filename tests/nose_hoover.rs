//! Nosé–Hoover chain on the whole of a 500-atom gold crystal: the extended energy (total energy
//! plus chain energy) is conserved, the mean temperature settles at the target, and the
//! thermostat's recorded work equals the change of the total energy.

mod common;

use std::path::Path;

use nanocontact::deck::Deck;
use nanocontact::dynamics::{thermostat, verlet};
use nanocontact::parallel::World;
use nanocontact::setup::build_md;

#[test]
fn nvt_conserves_extended_energy_and_reaches_target() {
    let text = format!(
        "[structure]\n[structure.lattice]\na = 4.08\ncells = [5, 5, 5]\n[potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[neighbor]\nskin = 1.0\n[[thermostat]]\nstyle = \"nose-hoover\"\ngroup = \"all\"\ntemperature = 500.0\ndamping = 0.1\n[run]\ntimestep = 0.002\nsteps = 0\n",
        common::reference().join("lammps/potentials/Au_u3.eam").display()
    );
    let p = Path::new("nh.toml");
    let deck = Deck::parse(p, &text).unwrap();
    let mut md = build_md(&deck, p, World::serial(), None).unwrap();
    nanocontact::dynamics::velocity::create(&mut md, 200.0, 9);
    let e0 = md.thermo().etotal_ev();
    let h0 = e0 + thermostat::chain_energy(&md);
    let n = md.natoms as f64;
    let (mut worst, mut t_sum, mut count) = (0.0f64, 0.0, 0);
    for k in 1..=6000 {
        verlet::step(&mut md).unwrap();
        if k % 20 == 0 {
            let th = md.thermo();
            worst = worst.max((th.etotal_ev() + thermostat::chain_energy(&md) - h0).abs() / n);
            if k > 2000 {
                t_sum += th.temp_k;
                count += 1;
            }
        }
    }
    let t_mean = t_sum / count as f64;
    let de = md.thermo().etotal_ev() - e0;
    let w = thermostat::work_ev(&md)[0];
    eprintln!("NH: max |H - H0| = {worst:.2e} eV/atom, <T> = {t_mean:.1} K, dE = {de:.4} eV, W = {w:.4} eV");
    assert!(worst < 2e-4, "extended energy drift {worst:e} eV/atom");
    assert!((t_mean - 500.0).abs() < 25.0, "mean temperature {t_mean}");
    assert!(
        (de - w).abs() < 1e-3 * de.abs().max(1.0),
        "energy change {de} vs thermostat work {w}"
    );
}
