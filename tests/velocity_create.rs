//! Maxwell–Boltzmann velocity creation: exact target temperature with 3N − 3 degrees of
//! freedom, zero total momentum, reproducible from the seed and keyed by global atom id (the
//! same atom gets the same velocity whatever its local index), and Gaussian components.

mod common;

use nanocontact::deck::Deck;
use nanocontact::dynamics::velocity::create;
use nanocontact::parallel::World;
use nanocontact::setup::build_md;
use std::path::Path;

fn md() -> nanocontact::dynamics::Md {
    let text = format!(
        "[structure]\n[structure.lattice]\na = 4.08\ncells = [6, 6, 6]\n[potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[run]\ntimestep = 0.002\nsteps = 0\n",
        common::reference().join("lammps/potentials/Au_u3.eam").display()
    );
    let d = Deck::parse(Path::new("v.toml"), &text).unwrap();
    build_md(&d, Path::new("v.toml"), World::serial(), None).unwrap()
}

#[test]
fn temperature_momentum_and_reproducibility() {
    let mut a = md();
    create(&mut a, 600.0, 42);
    assert!((a.thermo().temp_k - 600.0).abs() < 1e-9);
    let mut p = [0.0; 3];
    for i in 0..a.atoms.nlocal {
        for (pk, vk) in p.iter_mut().zip(a.atoms.v[i]) {
            *pk += a.atoms.mass(i) * vk;
        }
    }
    assert!(p.iter().all(|x| x.abs() < 1e-9), "{p:?}");
    // Same seed, atoms stored in reverse order: the same velocity per id.
    let mut b = md();
    let n = b.atoms.nlocal;
    b.atoms.id[..n].reverse();
    b.atoms.x[..n].reverse();
    create(&mut b, 600.0, 42);
    let vb: std::collections::HashMap<u64, [f64; 3]> = (0..b.atoms.nlocal)
        .map(|i| (b.atoms.id[i], b.atoms.v[i]))
        .collect();
    for i in 0..a.atoms.nlocal {
        let w = vb[&a.atoms.id[i]];
        for (va, wb) in a.atoms.v[i].iter().zip(w) {
            assert!((va - wb).abs() < 1e-12, "{:?} vs {w:?}", a.atoms.v[i]);
        }
    }
    // Another seed gives other velocities.
    let mut c = md();
    create(&mut c, 600.0, 43);
    assert!((0..c.atoms.nlocal).any(|i| (c.atoms.v[i][0] - a.atoms.v[i][0]).abs() > 1e-3));
    // Components are Gaussian: kurtosis near 3 (864 atoms x 3 components).
    let v: Vec<f64> = a.atoms.v.iter().flat_map(|x| x.iter().copied()).collect();
    let m2 = v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64;
    let m4 = v.iter().map(|x| x.powi(4)).sum::<f64>() / v.len() as f64;
    let kurt = m4 / (m2 * m2);
    assert!((kurt - 3.0).abs() < 0.35, "kurtosis {kurt}");
}
