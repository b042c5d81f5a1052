//! Current-induced forces for the spd Slater–Koster models (issue 19, priority 2): the
//! analytic ∂H/∂R and ∂S/∂R of the two-centre blocks against finite differences of the
//! models' own blocks, the zero-bias forces (with the Pulay term of the overlap) against the
//! derivative of the band grand potential (Lloyd's formula), the analytic ∂²H/∂b∂b of the
//! orthogonal spd model against differences of its analytic ∂H/∂b, the analytic response
//! matrix K of the orthogonal spd model (Eqs. 5–7) against central differences of the
//! analytic forces (K symmetric and A = 0 at zero bias; S symmetric and A antisymmetric under
//! bias), and the DFTB response matrix from finite differences of the forces: symmetric at
//! zero bias, with an antisymmetric part under bias.
#![allow(clippy::needless_range_loop)]

use std::f64::consts::PI;
use std::path::Path;

use nanocontact::transport::current::open_system::OpenSystem;
use nanocontact::transport::current::quadrature::{integrate, Tolerance};
use nanocontact::transport::current::sk_forces::{weighted_density, SkDevice};
use nanocontact::transport::current::sk_response::response_by_differences;
use nanocontact::transport::current::steady_state::steady_state;
use nanocontact::transport::current::steady_state::{Accuracy, Reservoirs};
use nanocontact::transport::current::two_centre::{block_gradient, block_hessian, TwoCentre};
use nanocontact::transport::dense::{c64, CMat};
use nanocontact::transport::model::band_filling::lead_fermi_energy_overlap;
use nanocontact::transport::model::dftb::{Dftb, SkfTables};
use nanocontact::transport::model::slater_koster::SlaterKoster;
use nanocontact::transport::model::tight_binding::{Atom, LeadGeometry, TightBinding};
use nanocontact::transport::problem::scattering::TransportProblem;
use nanocontact::transport::problem::supercell::build_problem;

fn inputs() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs")
}

fn spd() -> SlaterKoster {
    SlaterKoster::read(&inputs().join("tb/au_spd.toml")).unwrap()
}

fn ptbp() -> Dftb {
    Dftb::new(SkfTables::read(&inputs().join("tb/ptbp/Au-Au.skf")).unwrap()).unwrap()
}

fn res(fermi_ev: f64, bias_v: f64) -> Reservoirs {
    Reservoirs {
        fermi_ev,
        bias_v,
        temperature_k: 0.0,
    }
}

/// max |analytic − central difference| of the blocks over the bonds, and the largest entry of
/// the analytic gradient.
fn gradient_error(
    model: &dyn TwoCentre,
    block: &dyn Fn([f64; 3]) -> Option<CMat>,
    overlap: bool,
    bonds: &[[f64; 3]],
) -> (f64, f64) {
    let h = 1e-5;
    let (mut worst, mut scale) = (0.0f64, 0.0f64);
    for &b in bonds {
        let g = block_gradient(model, overlap, b).unwrap();
        for a in 0..3 {
            let (mut p, mut m) = (b, b);
            p[a] += h;
            m[a] -= h;
            let (bp, bm) = (block(p).unwrap(), block(m).unwrap());
            for i in 0..9 {
                for j in 0..9 {
                    let fd = (bp[(i, j)].re - bm[(i, j)].re) / (2.0 * h);
                    worst = worst.max((fd - g[a][i][j]).abs());
                    scale = scale.max(g[a][i][j].abs());
                }
            }
        }
    }
    (worst, scale)
}

#[test]
fn the_analytic_block_gradients_equal_finite_differences_of_the_models_blocks() {
    // Generic directions; distances at the first shell, inside the shell switch and the
    // cutoff taper of the spd model, and across the PTBP tables' range.
    let dir = |r: f64, a: [f64; 3]| {
        let n = (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).sqrt();
        a.map(|x| x * r / n)
    };
    let m = spd();
    let p = &m.params;
    let mid = |x: [f64; 2]| 0.37 * x[0] + 0.63 * x[1];
    let spd_bonds = [
        dir(p.d1(), [0.3, -0.5, 0.8]),
        dir(mid(p.shell_switch), [-0.7, 0.2, 0.4]),
        dir(mid(p.cutoff), [0.1, 0.9, -0.3]),
        dir(2.55, [0.0, 0.0, 1.0]),
    ];
    let (e, s) = gradient_error(&m, &|b| m.hopping(0, 0, b), false, &spd_bonds);
    println!("spd ∂H/∂b: max error {e:.2e} eV/Å (largest entry {s:.2})");
    assert!(e < 1e-7 && s > 0.1, "{e} {s}");
    let d = ptbp();
    let dftb_bonds = [
        dir(2.63, [0.3, -0.5, 0.8]),
        dir(2.91, [-0.7, 0.2, 0.4]),
        dir(4.17, [0.1, 0.9, -0.3]),
        dir(d.cutoff - 0.3 * d.taper, [0.5, 0.5, 0.7]),
    ];
    let (e, s) = gradient_error(&d, &|b| d.hopping(0, 0, b), false, &dftb_bonds);
    println!("PTBP ∂H/∂b: max error {e:.2e} eV/Å (largest entry {s:.2})");
    assert!(e < 1e-7 && s > 0.1, "{e} {s}");
    let (e, s) = gradient_error(&d, &|b| d.overlap(0, 0, b), true, &dftb_bonds);
    println!("PTBP ∂S/∂b: max error {e:.2e} /Å (largest entry {s:.3})");
    assert!(e < 1e-7 && s > 0.01, "{e} {s}");
}

const SPACING: f64 = 2.7;

/// Atoms per principal layer of a straight chain under `model`.
fn per_layer(model: &dyn TightBinding) -> usize {
    (model.cutoff() / SPACING).floor() as usize + 1
}

/// The device of a wire: 2·per_layer + 1 atoms at spacing d on the z axis, the middle one
/// shifted by `shift`.
fn wire_positions(model: &dyn TightBinding, shift: [f64; 3]) -> Vec<[f64; 3]> {
    let pl = per_layer(model);
    (0..2 * pl + 1)
        .map(|i| {
            let z = i as f64 * SPACING;
            if i == pl {
                [shift[0], shift[1], z + shift[2]]
            } else {
                [0.0, 0.0, z]
            }
        })
        .collect()
}

/// The device atoms between two straight half-chains: the problem.
fn wire_problem(model: &dyn TightBinding, positions: &[[f64; 3]]) -> TransportProblem {
    let at = |p: [f64; 3]| Atom { species: 0, pos: p };
    let pl = per_layer(model);
    let len = pl as f64 * SPACING;
    let layer = |z0: f64| -> Vec<Atom> {
        (0..pl)
            .map(|i| at([0.0, 0.0, z0 + i as f64 * SPACING]))
            .collect()
    };
    let device: Vec<Atom> = positions.iter().map(|&p| at(p)).collect();
    let left = LeadGeometry {
        layer: layer(-len),
        period: [0.0, 0.0, -len],
    };
    let right = LeadGeometry {
        layer: layer(positions.len() as f64 * SPACING),
        period: [0.0, 0.0, len],
    };
    build_problem(model, &device, [&left, &right]).unwrap()
}

/// The wire with its middle atom shifted: problem, device positions and E_F of the leads.
fn wire(
    model: &dyn TightBinding,
    valence: f64,
    shift: [f64; 3],
) -> (TransportProblem, Vec<[f64; 3]>, f64) {
    let positions = wire_positions(model, shift);
    let p = wire_problem(model, &positions);
    let l = &p.leads[1];
    let blocks = [(l.h00.dense_at_k(0.0), l.h01.dense_at_k(0.0), 1.0)];
    let ov = p.overlap.as_ref().map(|o| {
        vec![(
            o.leads[1].h00.dense_at_k(0.0),
            o.leads[1].h01.dense_at_k(0.0),
        )]
    });
    let electrons = valence * per_layer(model) as f64;
    let ef = lead_fermi_energy_overlap(&blocks, ov.as_deref(), electrons, 400).unwrap();
    (p, positions, ef)
}

/// Ω(+) − Ω(−) of the band grand potential at fixed μ, spin 2, by Lloyd's formula on the
/// Fermi-sea semicircle: (2/π) Im ∫ ln det[1 − (ΔH − z ΔS) G₋(z)] dz (the leads and Σ do not
/// change: the moved atom couples to no lead).
fn grand_potential_change(minus: &OpenSystem, plus: &OpenSystem, mu: f64) -> f64 {
    let e_b = minus.contour_bottom_ev().unwrap().min(mu) - 1.0;
    let (c, r) = (0.5 * (e_b + mu), 0.5 * (mu - e_b));
    let n = minus.n();
    let dh = &plus.h - &minus.h;
    let ds = match (&plus.overlap, &minus.overlap) {
        (Some(p), Some(m)) => &p.s - &m.s,
        _ => CMat::zeros(n, n),
    };
    let v = integrate(
        |th| {
            let e = c64(th.cos(), th.sin());
            let z = c64(c, 0.0) + e * r;
            let g = minus.green(z).unwrap();
            let a = CMat::from_fn(n, n, |i, j| dh[(i, j)] - ds[(i, j)] * z);
            let ag = &a * &g;
            let m = CMat::from_fn(n, n, |i, j| {
                if i == j {
                    c64(1.0, 0.0) - ag[(i, j)]
                } else {
                    -ag[(i, j)]
                }
            });
            Ok(vec![m.determinant().ln() * (c64(0.0, 1.0) * e * r)])
        },
        PI,
        0.0,
        &[],
        &[1],
        Tolerance {
            abs: 1e-13,
            rel: 1e-12,
            max_evals: 400_000,
        },
    )
    .unwrap();
    2.0 / PI * v.value[0].im
}

/// The analytic zero-bias forces on the displaced atom and −dΩ/dR by central differences.
fn forces_against_grand_potential(
    model: &dyn TightBinding,
    two: &dyn TwoCentre,
    valence: f64,
) -> (Vec<f64>, Vec<f64>) {
    let shift = SHIFT;
    let (p, pos, ef) = wire(model, valence, shift);
    let mobile = pos.len() / 2;
    let dev = SkDevice::new(two, pos, &[mobile], &p).unwrap();
    let sys = OpenSystem::from_problem(&p).unwrap();
    let acc = Accuracy::default();
    let f = dev.forces(&weighted_density(&sys, &res(ef, 0.0), &acc).unwrap());
    // Central differences at h and 2h, Richardson-extrapolated (error O(h⁴)): the DFTB
    // taper and table interpolant make Ω‴ large (plain central differences at h = 2e-4 Å are
    // off by 6e-6 eV/Å).
    let h = 1e-4;
    let central = |a: usize, h: f64| {
        let (mut sp, mut sm) = (shift, shift);
        sp[a] += h;
        sm[a] -= h;
        let (pp, _, _) = wire(model, valence, sp);
        let (pm, _, _) = wire(model, valence, sm);
        let (op, om) = (
            OpenSystem::from_problem(&pp).unwrap(),
            OpenSystem::from_problem(&pm).unwrap(),
        );
        -grand_potential_change(&om, &op, ef) / (2.0 * h)
    };
    let fd: Vec<f64> = (0..3)
        .map(|a| (4.0 * central(a, h) - central(a, 2.0 * h)) / 3.0)
        .collect();
    (f, fd)
}

#[test]
fn at_zero_bias_spd_forces_are_minus_the_gradient_of_the_grand_potential() {
    for (name, model, two, valence) in [
        (
            "spd",
            Box::new(spd()) as Box<dyn TightBinding>,
            Box::new(spd()) as Box<dyn TwoCentre>,
            11.0,
        ),
        ("PTBP", Box::new(ptbp()), Box::new(ptbp()), 11.0),
    ] {
        let (f, fd) = forces_against_grand_potential(model.as_ref(), two.as_ref(), valence);
        let scale = f.iter().fold(0.0f64, |a, x| a.max(x.abs()));
        let worst = f
            .iter()
            .zip(&fd)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        println!(
            "{name}: F = {f:?} eV/Å, −dΩ/dR = {fd:?}, max rel {:.2e}",
            worst / scale
        );
        assert!(scale > 0.05, "{name}: {f:?}");
        assert!(worst < 1e-6 * scale, "{name}: {f:?} vs {fd:?}");
    }
}

const SHIFT: [f64; 3] = [0.31, -0.17, 0.09];

/// K of the displaced atom by central differences of the analytic forces (the library's), at
/// μ = E_F + `dmu`.
fn response_by_differences_of<M: TwoCentre + TightBinding>(
    model: &M,
    dmu: f64,
    bias: f64,
    h: f64,
    acc: &Accuracy,
) -> Vec<Vec<f64>> {
    let (_, pos, ef) = wire(model, 11.0, SHIFT);
    let mobile = pos.len() / 2;
    response_by_differences(
        model,
        |p| Ok(wire_problem(model, p)),
        &pos,
        &[mobile],
        h,
        &res(ef + dmu, bias),
        acc,
    )
    .unwrap()
}

#[test]
fn the_ptbp_response_matrix_is_symmetric_at_zero_bias_and_not_under_bias() {
    let model = ptbp();
    let asym = |k: &Vec<Vec<f64>>| {
        let scale = k.iter().flatten().fold(0.0f64, |a, x| a.max(x.abs()));
        let mut a = 0.0f64;
        for i in 0..3 {
            for j in 0..3 {
                a = a.max((0.5 * (k[i][j] - k[j][i])).abs());
            }
        }
        (a, scale)
    };
    let k0 = response_by_differences_of(&model, 0.0, 0.0, 2e-4, &Accuracy::default());
    let (a0, s0) = asym(&k0);
    let k1 = response_by_differences_of(&model, 0.0, 1.0, 2e-4, &Accuracy::default());
    let (a1, s1) = asym(&k1);
    println!("PTBP K(V = 0) = {k0:?}: max |A| = {a0:.2e}, max |K| = {s0:.3} eV/Å²");
    println!("PTBP K(V = 1 V) = {k1:?}: max |A| = {a1:.2e}, max |K| = {s1:.3} eV/Å²");
    assert!(a0 < 1e-5 * s0, "{a0} vs {s0}");
    assert!(a1 > 100.0 * a0 && a1 > 1e-4 * s1, "{a1} vs {a0}");
}

#[test]
fn the_spd_block_hessian_equals_differences_of_the_analytic_gradient() {
    let m = spd();
    let p = &m.params;
    let dir = |r: f64, a: [f64; 3]| {
        let n = (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).sqrt();
        a.map(|x| x * r / n)
    };
    let mid = |x: [f64; 2]| 0.37 * x[0] + 0.63 * x[1];
    let h = 1e-5;
    let (mut worst, mut scale) = (0.0f64, 0.0f64);
    for b in [
        dir(p.d1(), [0.3, -0.5, 0.8]),
        dir(mid(p.shell_switch), [-0.7, 0.2, 0.4]),
        dir(mid(p.cutoff), [0.1, 0.9, -0.3]),
    ] {
        let hess = block_hessian(&m, b).unwrap();
        for be in 0..3 {
            let (mut bp, mut bm) = (b, b);
            bp[be] += h;
            bm[be] -= h;
            let (gp, gm) = (
                block_gradient(&m, false, bp).unwrap(),
                block_gradient(&m, false, bm).unwrap(),
            );
            for al in 0..3 {
                for i in 0..9 {
                    for j in 0..9 {
                        let fd = (gp[al][i][j] - gm[al][i][j]) / (2.0 * h);
                        worst = worst.max((fd - hess[al][be][i][j]).abs());
                        scale = scale.max(hess[al][be][i][j].abs());
                    }
                }
            }
        }
    }
    println!("spd ∂²H/∂b∂b: max error {worst:.2e} eV/Å² (largest entry {scale:.2})");
    assert!(worst < 1e-6 && scale > 0.1, "{worst} {scale}");
}

#[test]
fn the_analytic_spd_response_matrix_equals_differences_of_the_forces() {
    // The orthogonal spd wire: K of Eqs. (5)–(7) against central differences of the analytic
    // forces at h and 2h, Richardson-extrapolated, at V = 0 (K symmetric, A = 0) and 0.4 V.
    // μ = E_F + 0.3 eV: at half filling E_F of this two-atom principal layer sits 1e-5 eV
    // above the folding point of the s band (a band edge, θ = π).
    // Default accuracy: the mode matching of this 18-orbital lead leaves ~1e-14 of round-off
    // noise in D(E) across the whole window, at the default absolute tolerance of the window
    // integrals (1e-14); the quadrature stops at that floor (`quadrature`'s module doc) where
    // it used to run out of evaluations.
    const DMU: f64 = 0.3;
    let model = spd();
    let (p, pos, ef) = wire(&model, 11.0, SHIFT);
    let mobile = pos.len() / 2;
    let dev = SkDevice::new(&model, pos, &[mobile], &p).unwrap();
    let sys = OpenSystem::from_problem(&p).unwrap();
    let acc = Accuracy::default();
    for bias in [0.0, 0.4] {
        let ss = steady_state(&sys, &res(ef + DMU, bias), &acc).unwrap();
        let k = dev.response_matrix(&sys, &ss, &acc).unwrap();
        let h = 1e-4;
        let (k1, k2) = (
            response_by_differences_of(&model, DMU, bias, h, &acc),
            response_by_differences_of(&model, DMU, bias, 2.0 * h, &acc),
        );
        let scale = k.k.iter().flatten().fold(0.0f64, |a, x| a.max(x.abs()));
        let (mut worst, mut sym, mut a_max) = (0.0f64, 0.0f64, 0.0f64);
        let mut plain = 0.0f64;
        for i in 0..3 {
            for j in 0..3 {
                plain = plain.max((k.k[i][j] - k1[i][j]).abs());
                let fd = (4.0 * k1[i][j] - k2[i][j]) / 3.0;
                worst = worst.max((k.k[i][j] - fd).abs());
                sym = sym.max((k.s[i][j] - k.s[j][i]).abs() + (k.a[i][j] + k.a[j][i]).abs());
                a_max = a_max.max(k.a[i][j].abs());
            }
        }
        println!(
            "spd K (V = {bias} V) = {:?}: max |K − K_fd| / max |K| = {:.2e} (plain central {:.2e}), max |A| = {a_max:.3e}, sym {sym:.2e}",
            k.k,
            worst / scale,
            plain / scale
        );
        assert!(worst < 1e-6 * scale, "V = {bias}: {worst} vs {scale}");
        assert!(sym < 1e-12 * scale, "{sym}");
        if bias == 0.0 {
            assert!(a_max < 1e-12 * scale, "A at V = 0: {a_max}");
            for i in 0..3 {
                for j in 0..3 {
                    let d = (k.k[i][j] - k.k[j][i]).abs();
                    assert!(d < 1e-12 * scale, "K not symmetric at V = 0: {d}");
                }
            }
        } else {
            assert!(a_max > 1e-4 * scale, "A under bias: {a_max}");
        }
    }
}
