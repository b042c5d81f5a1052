//! EChemDID (the local electrochemical potential Φ of a metal between clamped electrodes): on a
//! straight chain it follows the analytic solution of the diffusion equation; it does not
//! cross a gap wider than its cutoff; at V = 0 it changes nothing in a ReaxFF + QEq run.

mod common;

use nanocontact::dynamics::echemdid::{EChemDid, EChemDidParams, PHI};
use nanocontact::dynamics::{verlet, Md};
use nanocontact::parallel::World;
use nanocontact::system::{Atoms, Groups, SimBox};

/// A line of atoms along x at `spacing` (Å), `pieces` chains of `n` atoms each separated by
/// `gap` Å, frozen (no force, no velocity): group "left" is the first atom, "right" the last
/// atom of the first chain.
fn chains(n: usize, spacing: f64, pieces: usize, gap: f64) -> (Md, [u32; 2]) {
    let mut atoms = Atoms::with_types(vec![1.0]);
    let mut groups = Groups::default();
    let left = groups.define("left").unwrap();
    let right = groups.define("right").unwrap();
    let mut x = 0.0;
    let mut id = 1;
    for p in 0..pieces {
        for k in 0..n {
            atoms.push_owned(id, 0, [x, 0.0, 0.0], [0.0; 3]);
            let i = atoms.nlocal - 1;
            atoms.mask[i] |= 1;
            if p == 0 && k == 0 {
                atoms.mask[i] |= left;
            }
            if p == 0 && k == n - 1 {
                atoms.mask[i] |= right;
            }
            id += 1;
            x += spacing;
        }
        x += gap - spacing;
    }
    let bnd = SimBox::parse_boundary("f f f").unwrap();
    let simbox = SimBox::new([-5.0, -5.0, -5.0], [x + 5.0, 5.0, 5.0], bnd);
    let md = Md::new(
        simbox,
        atoms,
        groups,
        Box::new(common::NoForce(1)),
        0.5,
        World::serial(),
        None,
    )
    .unwrap();
    (md, [left, right])
}

/// Φ of every atom, in id order.
fn phi(md: &Md) -> Vec<f64> {
    let a = &md.atoms;
    let f = a.fields.get(a.fields.find(PHI).unwrap());
    a.order_by_id().into_iter().map(|i| f[i]).collect()
}

/// u(x, t) with u(0) = V/2, u(L) = 0 and u(x, 0) = 0 (the series), t in ps, k in Å²/ps.
fn half_problem(x: f64, t: f64, l: f64, v: f64, k: f64) -> f64 {
    let pi = std::f64::consts::PI;
    let mut u = v * (1.0 - x / l) / 2.0;
    for n in 1..20000 {
        let nf = n as f64;
        let term = v / (nf * pi) * (-t * k * (nf * pi / l).powi(2)).exp() * (nf * pi * x / l).sin();
        u -= term;
        if term.abs() < 1e-14 && n > 100 {
            break;
        }
    }
    u
}

#[test]
fn chain_follows_the_diffusion_equation() {
    let (n, a) = (101, 1.0);
    let (mut md, [left, right]) = chains(n, a, 1, 0.0);
    let rc = 1.5 * a;
    let norm = (1.0f64 - (a / rc).powi(2)).powi(2);
    let (v, k) = (2.0, 6000.0);
    let params = EChemDidParams {
        k,
        rc,
        norm,
        n_elec: 20,
        volt: v,
    };
    md.add_hook(Box::new(EChemDid::new(params, 1, [left, right]).unwrap()));
    md.set_timestep(0.001);
    md.setup().unwrap();
    let l = (n - 1) as f64 * a;
    let mut worst = 0.0f64;
    for (steps, t_ps) in [(100, 0.1), (200, 0.3), (700, 1.0)] {
        for _ in 0..steps {
            verlet::step(&mut md).unwrap();
        }
        assert!((md.time_ps - t_ps).abs() < 1e-9);
        for (i, p) in phi(&md).iter().enumerate() {
            let x = i as f64 * a;
            let u = half_problem(x, t_ps, l, v, k) - half_problem(l - x, t_ps, l, v, k);
            worst = worst.max((p - u).abs() / v);
            assert!(
                (p - u).abs() < 1e-3 * v,
                "t = {t_ps} ps, x = {x} Å: Φ = {p} V, analytic {u} V"
            );
        }
    }
    println!("largest |Φ − u| / V: {worst:.2e}");
}

#[test]
fn phi_does_not_cross_a_gap() {
    let (mut md, [left, right]) = chains(20, 2.5, 2, 6.0);
    let params = EChemDidParams {
        k: 6000.0,
        rc: 4.0,
        norm: 1.0,
        n_elec: 10,
        volt: 2.0,
    };
    md.add_hook(Box::new(EChemDid::new(params, 1, [left, right]).unwrap()));
    md.set_timestep(0.001);
    md.setup().unwrap();
    for _ in 0..200 {
        verlet::step(&mut md).unwrap();
    }
    let p = phi(&md);
    assert!(
        p[..20].iter().any(|x| x.abs() > 0.1),
        "Φ spread in the clamped chain"
    );
    assert!(
        p[20..].iter().all(|&x| x == 0.0),
        "Φ crossed the 6 Å gap: {:?}",
        &p[20..]
    );
}
