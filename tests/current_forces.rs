//! Current-induced forces in atomic wires (issue 19; seed 004, Eqs. 1–8): the steady-state
//! density matrix, bond and Landauer currents, forces and the response matrix K = K_eq + S + A
//! against closed forms, independent integrals, the transport core's RGF transmission and
//! finite differences, and the `wire response` JSON contract.
// Matrices are indexed by (ν, ν′) as in the equations.
#![allow(clippy::needless_range_loop)]

mod common;

use std::f64::consts::PI;
use std::process::Command;

use nanocontact::transport::current::bond_current::{
    cross_section_current_ua, landauer_current_ua,
};
use nanocontact::transport::current::bond_model::BondedDevice;
use nanocontact::transport::current::forces::steady_state_forces;
use nanocontact::transport::current::open_system::OpenSystem;
use nanocontact::transport::current::quadrature::{integrate, Tolerance};
use nanocontact::transport::current::response::{response_matrix, ResponseMatrix};
use nanocontact::transport::current::steady_state::{steady_state, Accuracy, Reservoirs};
use nanocontact::transport::current::wire::{build_wire, Wire, WireSpec};
use nanocontact::transport::dense::{c64, CMat, C64};
use nanocontact::transport::model::sutton::SuttonSBand;
use nanocontact::transport::problem::scattering::{LeadAtK, SparseMatrix};
use nanocontact::transport::{SelfEnergyMethod, Solver};

/// G0 = 2e²/h in µS (CODATA 2018, exact e and h).
const G0_US: f64 = 77.480_917_298_636_49;

/// Seed 004's hopping −(εc/2)(a/d)^q at spacing d (eV), written out here.
fn bare_hopping(d: f64) -> f64 {
    -(0.007868 * 139.07 / 2.0) * (4.08 / d).powi(4)
}

/// The contract's chain: nearest neighbours only, bare power laws.
fn nn_wire(atoms: usize, mobile: usize) -> Wire {
    build_wire(&WireSpec {
        atoms,
        mobile,
        spacing_a: 2.37,
        model: SuttonSBand::gold_untruncated(),
        range: 1,
    })
    .unwrap()
}

/// A chain with second neighbours: a smooth tail from 2.6 to 5.0 Å reaches 2d = 4.74 Å.
fn tail_wire(atoms: usize, mobile: usize) -> Wire {
    let model = SuttonSBand {
        r_on_ang: 2.6,
        r_off_ang: 5.0,
        ..SuttonSBand::gold()
    };
    build_wire(&WireSpec {
        atoms,
        mobile,
        spacing_a: 2.37,
        model,
        range: 2,
    })
    .unwrap()
}

/// Move the mobile atoms off the perfect chain by a fixed irregular pattern (Å).
fn displace(w: &mut Wire, amplitude: f64) {
    let x: Vec<f64> = w
        .mobile_x()
        .iter()
        .enumerate()
        .map(|(i, x)| x + amplitude * (1.7 * i as f64 + 0.3).sin())
        .collect();
    w.set_mobile_x(&x).unwrap();
}

fn res(fermi_ev: f64, bias_v: f64, temperature_k: f64) -> Reservoirs {
    Reservoirs {
        fermi_ev,
        bias_v,
        temperature_k,
    }
}

fn max_abs(m: &[Vec<f64>]) -> f64 {
    m.iter().flatten().fold(0.0, |a, b| a.max(b.abs()))
}

/// ∫_a^b f by the library's adaptive quadrature (a scalar).
fn quad(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    integrate(
        |x| Ok(vec![c64(f(x), 0.0)]),
        a,
        b,
        &[],
        &[1],
        Tolerance::default(),
    )
    .unwrap()
    .value[0]
        .re
}

#[test]
fn a_perfect_chain_carries_one_conductance_quantum_at_small_bias() {
    let w = nn_wire(4, 2);
    let ss = steady_state(&w.system, &res(0.0, 0.1, 0.0), &Accuracy::default()).unwrap();
    let n = w.system.n();
    for cut in 1..n {
        let i = cross_section_current_ua(&w.system.h, &ss.rho, |o| o < cut);
        assert!(
            (i - G0_US * 0.1).abs() < 1e-9 * G0_US * 0.1,
            "cut {cut}: {i} µA against 7.748 µA"
        );
    }
}

#[test]
fn bond_currents_equal_the_landauer_current_of_the_transport_core() {
    let mut w = tail_wire(6, 4);
    displace(&mut w, 0.08);
    let r = res(0.5, 0.6, 0.0);
    let acc = Accuracy::default();
    let ss = steady_state(&w.system, &r, &acc).unwrap();
    let landauer = landauer_current_ua(&w.system, &r, &acc).unwrap();
    // T(E) from the transport core's RGF solver on the same matrices, integrated over the window.
    let l = &w.system.leads;
    let dense = |s: &SparseMatrix| s.to_dense();
    let problem = nanocontact::transport::TransportProblem::from_dense(
        &w.system.h,
        [
            (&l[0].h00, &l[0].h01, &dense(&l[0].coupling)),
            (&l[1].h00, &l[1].h01, &dense(&l[1].coupling)),
        ],
    )
    .unwrap();
    let solver = Solver::new(problem, SelfEnergyMethod::ModeMatching).unwrap();
    let ks = solver.at_k(0.0).unwrap();
    let [mu_l, mu_r] = r.mu();
    let rgf = G0_US * quad(|e| ks.transmission(e).unwrap().t_lr, mu_r, mu_l);
    assert!(landauer > 0.3 * G0_US * 0.6, "{landauer}");
    assert!(
        (landauer - rgf).abs() < 1e-8 * rgf,
        "{landauer} vs RGF {rgf}"
    );
    // Every cut with the two lead sites of C (second neighbours) on its sides.
    let n = w.system.n();
    for cut in 2..=n - 2 {
        let i = cross_section_current_ua(&w.system.h, &ss.rho, |o| o < cut);
        assert!(
            (i - landauer).abs() < 1e-8 * landauer,
            "cut {cut}: bond currents {i} µA, Landauer {landauer} µA"
        );
    }
}

/// Electrons per site and spin of the infinite chain below μ: 1/2 + asin(μ/2|t|)/π.
fn chain_filling(mu: f64, t: f64) -> f64 {
    0.5 + (mu / (2.0 * t.abs())).clamp(-1.0, 1.0).asin() / PI
}

#[test]
fn trace_of_rho_is_exact_for_the_perfect_chain_under_bias() {
    let w = nn_wire(5, 1);
    let t = bare_hopping(2.37);
    // The last window reaches past the top of the band (9.61 eV): a band edge inside it.
    for (mu, v) in [(0.0, 0.0), (0.7, 0.4), (-2.0, 1.5), (8.0, 4.0)] {
        let ss = steady_state(&w.system, &res(mu, v, 0.0), &Accuracy::default()).unwrap();
        // Each site holds half of the states entering from each lead: N(μ_L) + N(μ_R).
        let exact =
            w.system.n() as f64 * (chain_filling(mu + 0.5 * v, t) + chain_filling(mu - 0.5 * v, t));
        let tr = ss.electrons();
        assert!(
            (tr - exact).abs() < 1e-10,
            "μ = {mu}, V = {v}: {tr} vs {exact}"
        );
    }
    // A long device: the error of the trace stays below 1e-10 (62 sites).
    let w = nn_wire(60, 1);
    let ss = steady_state(&w.system, &res(0.7, 0.4, 0.0), &Accuracy::default()).unwrap();
    let exact = 62.0 * (chain_filling(0.9, t) + chain_filling(0.5, t));
    assert!(
        (ss.electrons() - exact).abs() < 1e-10,
        "{} vs {exact}",
        ss.electrons()
    );
}

#[test]
fn trace_of_rho_at_finite_temperature_follows_the_fermi_functions() {
    let w = nn_wire(3, 1);
    let t = bare_hopping(2.37);
    let kt = 8.617343e-5 * 300.0;
    // Per site and spin: ∫ f(E) ldos(E) dE, ldos = 1/(π√(4t² − E²)); E = −2|t| cos θ.
    let filling = |mu: f64| {
        quad(
            |th| 1.0 / (1.0 + ((-2.0 * t.abs() * th.cos() - mu) / kt).exp()) / PI,
            0.0,
            PI,
        )
    };
    for (mu, v) in [(0.3, 0.0), (0.3, 0.5)] {
        let ss = steady_state(&w.system, &res(mu, v, 300.0), &Accuracy::default()).unwrap();
        let exact = w.system.n() as f64 * (filling(mu + 0.5 * v) + filling(mu - 0.5 * v));
        assert!(
            (ss.electrons() - exact).abs() < 1e-9,
            "μ = {mu}, V = {v}: {} vs {exact}",
            ss.electrons()
        );
    }
}

/// A five-site cluster cut off from its leads: a closed system with a discrete spectrum.
fn closed_cluster() -> (OpenSystem, BondedDevice) {
    let model = SuttonSBand::gold_untruncated();
    let xs = [0.0, 2.41, 4.70, 7.19, 9.50];
    let device = BondedDevice {
        positions: xs.iter().map(|&x| [x, 0.0, 0.0]).collect(),
        bonds: (0..4).map(|i| (i, i + 1)).collect(),
        model,
        dofs: (1..4)
            .map(|site| nanocontact::transport::current::bond_model::Dof { site, axis: 0 })
            .collect(),
    };
    let lead = || LeadAtK {
        h00: CMat::zeros(1, 1),
        h01: CMat::from_fn(1, 1, |_, _| c64(-4.8, 0.0)),
        coupling: SparseMatrix::zeros(5, 1),
    };
    let sys = OpenSystem {
        h: device.hamiltonian(),
        leads: [lead(), lead()],
        overlap: None,
    };
    (sys, device)
}

/// Eigenvalues (ascending) and eigenvectors of a real symmetric H.
fn eigen(h: &CMat) -> (Vec<f64>, CMat) {
    let e = h.self_adjoint_eigen(faer::Side::Lower).unwrap();
    let n = h.nrows();
    ((0..n).map(|i| e.S()[i].re).collect(), e.U().to_owned())
}

#[test]
fn closed_cluster_rho_is_the_projector_on_occupied_states_and_forces_are_the_gradient() {
    let (sys, device) = closed_cluster();
    let (eps, u) = eigen(&sys.h);
    // μ in the gap above the third level.
    let mu = 0.5 * (eps[2] + eps[3]);
    let ss = steady_state(&sys, &res(mu, 0.0, 0.0), &Accuracy::default()).unwrap();
    assert!((ss.electrons() - 6.0).abs() < 1e-10, "{}", ss.electrons());
    for i in 0..5 {
        for j in 0..5 {
            let p: C64 = (0..3).map(|k| u[(i, k)] * u[(j, k)].conj() * 2.0).sum();
            assert!((ss.rho[(i, j)] - p).norm() < 1e-10, "ρ[{i}][{j}]");
        }
    }
    // E = 2 Σ_occ ε + P; F = −dE/dx by central differences.
    let energy = |dev: &BondedDevice| {
        let (e, _) = eigen(&dev.hamiltonian());
        2.0 * e[..3].iter().sum::<f64>() + dev.pair_energy()
    };
    let f = steady_state_forces(&device, &ss.rho);
    let h = 1e-5;
    for (nu, dof) in device.dofs.iter().enumerate() {
        let mut plus = device.clone();
        plus.positions[dof.site][0] += h;
        let mut minus = device.clone();
        minus.positions[dof.site][0] -= h;
        let fd = -(energy(&plus) - energy(&minus)) / (2.0 * h);
        assert!((f[nu] - fd).abs() < 1e-7, "dof {nu}: {} vs {fd}", f[nu]);
    }
}

#[test]
fn at_zero_bias_rho_is_the_equilibrium_density_matrix_of_the_scattering_states() {
    // ρ(V = 0) by the contour against ∫ (D_L + D_R) dE over the band on the real axis. (A
    // displaced chain may bind states below the band, which the contour counts and the band
    // integral misses; the closed cluster above covers a non-trivial geometry.)
    let w = nn_wire(4, 2);
    let mu = 0.4;
    let ss = steady_state(&w.system, &res(mu, 0.0, 0.0), &Accuracy::default()).unwrap();
    let t = bare_hopping(2.37).abs();
    let n = w.system.n();
    let th_mu = (-mu / (2.0 * t)).acos();
    let r = integrate(
        |th| {
            let e = -2.0 * t * th.cos();
            let ra = w.system.green_real(e).unwrap();
            let jac = 2.0 * t * th.sin();
            let mut out = vec![c64(0.0, 0.0); n * n];
            for psi in &ra.psi {
                let d = psi * psi.adjoint();
                for (k, o) in out.iter_mut().enumerate() {
                    *o += d[(k / n, k % n)] * (2.0 * jac / (2.0 * PI));
                }
            }
            Ok(out)
        },
        1e-9,
        th_mu,
        &[],
        &[n * n],
        Tolerance::default(),
    )
    .unwrap();
    for i in 0..n {
        for j in 0..n {
            let d = (ss.rho[(i, j)] - r.value[i * n + j]).norm();
            assert!(
                d < 1e-8,
                "ρ[{i}][{j}]: {} vs {}",
                ss.rho[(i, j)],
                r.value[i * n + j]
            );
        }
    }
}

/// ln det(1 − ΔH G(z)) summed over the Fermi-sea semicircle: the change of the grand
/// potential's band part (Lloyd's formula), (2/π) Im ∫ ln det[(z − H₊ − Σ)(z − H₋ − Σ)⁻¹] dz.
fn band_grand_potential_change(minus: &OpenSystem, plus_h: &CMat, mu: f64) -> f64 {
    let e_b = minus.spectrum_bottom_ev() - 1.0;
    let (c, r) = (0.5 * (e_b + mu), 0.5 * (mu - e_b));
    let dh = plus_h - &minus.h;
    let n = minus.n();
    let v = integrate(
        |th| {
            let e = c64(th.cos(), th.sin());
            let z = c64(c, 0.0) + e * r;
            let g = minus.green(z).unwrap();
            let m = CMat::from_fn(n, n, |i, j| {
                let x: C64 = (0..n).map(|k| dh[(i, k)] * g[(k, j)]).sum();
                if i == j {
                    c64(1.0, 0.0) - x
                } else {
                    -x
                }
            });
            Ok(vec![m.determinant().ln() * (c64(0.0, 1.0) * e * r)])
        },
        PI,
        0.0,
        &[],
        &[1],
        Tolerance {
            abs: 1e-14,
            rel: 1e-11,
            max_evals: 100_000,
        },
    )
    .unwrap();
    2.0 / PI * v.value[0].im
}

#[test]
fn at_zero_bias_forces_are_minus_the_gradient_of_the_grand_potential() {
    let mut w = tail_wire(5, 3);
    displace(&mut w, 0.06);
    let mu = -0.8;
    let ss = steady_state(&w.system, &res(mu, 0.0, 0.0), &Accuracy::default()).unwrap();
    let f = steady_state_forces(&w.device, &ss.rho);
    let x0 = w.mobile_x();
    let h = 1e-4;
    for nu in 0..x0.len() {
        let at = |s: f64| {
            let mut m = w.clone();
            let mut x = x0.clone();
            x[nu] += s;
            m.set_mobile_x(&x).unwrap();
            m
        };
        let (p, m) = (at(h), at(-h));
        let d_band = band_grand_potential_change(&m.system, &p.system.h, mu);
        let d_pair = p.device.pair_energy() - m.device.pair_energy();
        let fd = -(d_band + d_pair) / (2.0 * h);
        assert!(
            (f[nu] - fd).abs() < 1e-6 * f[nu].abs().max(1.0),
            "dof {nu}: F = {} vs −dΩ/dx = {fd}",
            f[nu]
        );
    }
}

/// K by central differences of the steady-state forces at fixed reservoirs.
fn finite_difference_k(w: &Wire, r: &Reservoirs, h: f64) -> Vec<Vec<f64>> {
    let x0 = w.mobile_x();
    let n = x0.len();
    let forces = |s: f64, nu: usize| {
        let mut m = w.clone();
        let mut x = x0.clone();
        x[nu] += s;
        m.set_mobile_x(&x).unwrap();
        let ss = steady_state(&m.system, r, &Accuracy::default()).unwrap();
        steady_state_forces(&m.device, &ss.rho)
    };
    let mut k = vec![vec![0.0; n]; n];
    for nu2 in 0..n {
        let (p, m) = (forces(h, nu2), forces(-h, nu2));
        for nu in 0..n {
            k[nu][nu2] = -(p[nu] - m[nu]) / (2.0 * h);
        }
    }
    k
}

fn analytic_k(w: &Wire, r: &Reservoirs) -> ResponseMatrix {
    let acc = Accuracy::default();
    let ss = steady_state(&w.system, r, &acc).unwrap();
    response_matrix(&w.system, &w.device, &ss, &acc).unwrap()
}

fn assert_parts(k: &ResponseMatrix) {
    let n = k.k.len();
    let scale = max_abs(&k.k);
    for i in 0..n {
        for j in 0..n {
            assert!(
                (k.s[i][j] - k.s[j][i]).abs() < 1e-10 * scale,
                "S not symmetric"
            );
            assert!(
                (k.a[i][j] + k.a[j][i]).abs() < 1e-10 * scale,
                "A not antisymmetric"
            );
            assert!((k.k_eq[i][j] - k.k_eq[j][i]).abs() < 1e-10 * scale, "K_eq");
            let sum = k.k_eq[i][j] + k.s[i][j] + k.a[i][j];
            assert!((k.k[i][j] - sum).abs() < 1e-12 * scale);
        }
    }
}

#[test]
fn response_matrix_equals_finite_differences_of_the_forces_under_bias() {
    let cases = [
        (nn_wire(5, 3), res(0.3, 0.8, 0.0)),
        (tail_wire(5, 3), res(0.0, 0.5, 0.0)),
    ];
    for (mut w, r) in cases {
        displace(&mut w, 0.04);
        let k = analytic_k(&w, &r);
        assert_parts(&k);
        assert!(max_abs(&k.a) > 1e-3, "A should not vanish here: {:?}", k.a);
        let fd = finite_difference_k(&w, &r, 1e-4);
        let scale = max_abs(&k.k);
        for (i, row) in fd.iter().enumerate() {
            for (j, x) in row.iter().enumerate() {
                assert!(
                    (k.k[i][j] - x).abs() < 1e-6 * scale,
                    "K[{i}][{j}] = {} vs finite differences {x}",
                    k.k[i][j]
                );
            }
        }
    }
}

#[test]
fn at_zero_bias_k_is_symmetric_and_a_vanishes() {
    let mut w = tail_wire(4, 3);
    displace(&mut w, 0.05);
    let k = analytic_k(&w, &res(0.2, 0.0, 0.0));
    assert_parts(&k);
    assert_eq!(max_abs(&k.a), 0.0);
    assert_eq!(max_abs(&k.s), 0.0);
    let fd = finite_difference_k(&w, &res(0.2, 0.0, 0.0), 1e-4);
    let scale = max_abs(&k.k);
    for i in 0..3 {
        for j in 0..3 {
            assert!((k.k[i][j] - k.k[j][i]).abs() < 1e-10 * scale);
            assert!((k.k[i][j] - fd[i][j]).abs() < 1e-6 * scale);
        }
    }
}

#[test]
fn particle_hole_symmetry_cancels_a_at_half_filling_of_the_nearest_neighbour_chain() {
    // The bipartite chain at μ = 0 under a symmetric window: the integrand of Eq. (7) is odd
    // in E − μ (issue 19). Second neighbours or another filling break this.
    let w = nn_wire(5, 3);
    let a0 = analytic_k(&w, &res(0.0, 0.6, 0.0)).a;
    assert!(max_abs(&a0) < 1e-10, "{a0:?}");
    let a1 = analytic_k(&w, &res(0.5, 0.6, 0.0)).a;
    assert!(max_abs(&a1) > 1e-3, "{a1:?}");
    let a2 = analytic_k(&tail_wire(5, 3), &res(0.0, 0.6, 0.0)).a;
    assert!(max_abs(&a2) > 1e-3, "{a2:?}");
}

fn run_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nanocontact"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn wire_response_prints_the_json_contract() {
    let o = run_cli(&[
        "wire",
        "response",
        "--atoms",
        "7",
        "--mobile",
        "4",
        "--bias-v",
        "0.5",
        "--fermi-ev",
        "0.6",
        "--mass-amu",
        "12",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(out.trim().lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let mat = |key: &str| -> Vec<Vec<f64>> { serde_json::from_value(v[key].clone()).unwrap() };
    let (k, a) = (mat("K_eV_per_A2"), mat("A_eV_per_A2"));
    let omega = mat("omega_per_fs");
    assert_eq!((k.len(), a.len(), omega.len()), (4, 4, 4));
    // A perfect chain transmits fully: I = G0 V.
    let i = v["current_uA"].as_f64().unwrap();
    assert!((i - G0_US * 0.5).abs() < 1e-8 * i, "{i}");
    for r in 0..4 {
        for c in 0..4 {
            assert!((a[r][c] - 0.5 * (k[r][c] - k[c][r])).abs() < 1e-12);
        }
    }
    assert!(max_abs(&a) > 1e-3);
    // ω² are the eigenvalues of K/M: their sum is Tr K/M and the sum of squares Tr (K/M)².
    let c = 1.602_176_634e-19 / 1.660_539_066_60e-27 * 1e-10 / 12.0;
    let w2: Vec<C64> = omega
        .iter()
        .map(|p| c64(p[0], p[1]) * c64(p[0], p[1]))
        .collect();
    let tr1: f64 = (0..4).map(|r| k[r][r] * c).sum();
    let tr2: f64 = (0..4)
        .flat_map(|r| (0..4).map(move |s| (r, s)))
        .map(|(r, s)| k[r][s] * k[s][r] * c * c)
        .sum();
    let s1: C64 = w2.iter().sum();
    let s2: C64 = w2.iter().map(|x| x * x).sum();
    assert!((s1.re - tr1).abs() < 1e-10 * tr1 && s1.im.abs() < 1e-10 * tr1);
    assert!((s2.re - tr2).abs() < 1e-10 * tr2 && s2.im.abs() < 1e-10 * tr2);
    for p in omega.windows(2) {
        assert!(p[0][0] < p[1][0] || (p[0][0] == p[1][0] && p[0][1] <= p[1][1]));
    }
    assert!(omega.iter().all(|p| p[0] >= 0.0));
    let om = v["Omega_per_fs"].as_f64().unwrap();
    let mean = omega.iter().map(|p| p[1].abs()).sum::<f64>() / 4.0;
    assert!((om - mean).abs() < 1e-15);
}

#[test]
fn wire_response_rejects_bad_input_with_a_message() {
    for args in [
        &[
            "wire", "response", "--atoms", "3", "--mobile", "4", "--bias-v", "0.1",
        ][..],
        &[
            "wire", "response", "--atoms", "3", "--mobile", "0", "--bias-v", "0.1",
        ][..],
        &[
            "wire",
            "response",
            "--atoms",
            "3",
            "--mobile",
            "2",
            "--bias-v",
            "0.1",
            "--spacing-a",
            "-1",
        ][..],
        &[
            "wire",
            "response",
            "--atoms",
            "3",
            "--mobile",
            "2",
            "--bias-v",
            "0.1",
            "--mass-amu",
            "0",
        ][..],
        &[
            "wire", "response", "--atoms", "3", "--mobile", "2", "--bias-v", "nan",
        ][..],
        &["wire", "response", "--atoms", "3", "--mobile", "2"][..],
        &[
            "wire", "response", "--atoms", "x", "--mobile", "2", "--bias-v", "0.1",
        ][..],
    ] {
        let o = run_cli(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.trim().is_empty(), "{args:?}: no message");
        assert!(o.stdout.is_empty(), "{args:?}: printed a result");
    }
}

#[test]
fn md_on_the_steady_state_forces_takes_a_velocity_verlet_step() {
    use nanocontact::transport::current::md_hook::wire_md;
    let mut w = tail_wire(5, 3);
    displace(&mut w, 0.05);
    let r = res(0.2, 0.5, 0.0);
    let acc = Accuracy::default();
    let ss = steady_state(&w.system, &r, &acc).unwrap();
    let f = steady_state_forces(&w.device, &ss.rho);
    let mut md = wire_md(&w, r, acc, 10.0, nanocontact::parallel::World::serial()).unwrap();
    md.set_timestep(0.0005);
    let site_of = |md: &nanocontact::dynamics::Md, site: usize| {
        (0..md.atoms.nlocal)
            .find(|&i| md.atoms.id[i] as usize == site + 1)
            .unwrap()
    };
    let x0: Vec<[f64; 3]> = (0..w.system.n())
        .map(|s| md.atoms.x[site_of(&md, s)])
        .collect();
    for (nu, d) in w.device.dofs.iter().enumerate() {
        let fa = md.atoms.f[site_of(&md, d.site)];
        assert!((fa[0] - f[nu]).abs() < 1e-12 && fa[1] == 0.0 && fa[2] == 0.0);
    }
    nanocontact::dynamics::verlet::step(&mut md).unwrap();
    let dt = 0.0005;
    for s in 0..w.system.n() {
        let x1 = md.atoms.x[site_of(&md, s)];
        let moved = w.device.dofs.iter().position(|d| d.site == s);
        let want = match moved {
            Some(nu) => x0[s][0] + 0.5 * dt * dt * f[nu] / 10.0 * nanocontact::units::FTM2V,
            None => x0[s][0],
        };
        assert!(
            (x1[0] - want).abs() < 1e-12,
            "site {s}: {} vs {want}",
            x1[0]
        );
    }
}

#[test]
fn fire_relaxes_the_mobile_atoms_on_the_steady_state_forces() {
    use nanocontact::transport::current::md_hook::relax_wire;
    let mut w = tail_wire(6, 4);
    displace(&mut w, 0.06);
    let start = w.mobile_x();
    let r = res(0.3, 0.4, 0.0);
    let acc = Accuracy::default();
    let out = relax_wire(&mut w, r, acc, 1e-4, 2000).unwrap();
    assert!(out.converged, "{out:?}");
    let ss = steady_state(&w.system, &r, &acc).unwrap();
    let f = steady_state_forces(&w.device, &ss.rho);
    assert!(f.iter().all(|x| x.abs() < 1e-4), "{f:?}");
    let moved = w
        .mobile_x()
        .iter()
        .zip(&start)
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    assert!(moved > 0.01, "{moved}");
}

#[test]
fn wire_scan_gives_the_same_points_on_one_to_four_ranks() {
    let read = |np: usize| {
        let dir = common::scratch(&format!("wire_scan_{np}"));
        let out = dir.to_str().unwrap();
        let o = common::mpirun(
            np,
            &[
                "wire",
                "scan",
                "--lengths",
                "4,12",
                "--biases",
                "0,0.6",
                "--fermi-ev",
                "0.5",
                "--out",
                out,
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        for f in [
            "scan.h5",
            "omega_vs_n.png",
            "omega_vs_bias.png",
            "frequency_range.png",
        ] {
            assert!(dir.join(f).exists(), "{f}");
        }
        let rows = common::read_csv(&dir.join("scan.csv"));
        assert_eq!(rows.len(), 4);
        rows
    };
    let one = read(1);
    for np in 2..=4 {
        for (a, b) in one.iter().zip(&read(np)) {
            // Every column but the seconds of the last.
            assert_eq!(a[..a.len() - 1], b[..b.len() - 1], "{np} ranks");
        }
    }
    // The point (N = 12, V = 0.6 V) is what `wire response` reports for that chain.
    let o = run_cli(&[
        "wire",
        "response",
        "--atoms",
        "16",
        "--mobile",
        "12",
        "--bias-v",
        "0.6",
        "--fermi-ev",
        "0.5",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let row = one.iter().find(|r| r[0] == 12.0 && r[1] == 0.6).unwrap();
    let om = v["Omega_per_fs"].as_f64().unwrap();
    assert!((row[2] - om).abs() < 1e-12, "{} vs {om}", row[2]);
}

#[test]
fn the_steady_state_of_an_spd_chain_from_the_transport_core_carries_its_landauer_current() {
    use nanocontact::transport::model::band_filling::lead_fermi_energy;
    use nanocontact::transport::model::slater_koster::SlaterKoster;
    use nanocontact::transport::model::tight_binding::{Atom, LeadGeometry};
    use nanocontact::transport::problem::supercell::build_problem;
    // Nine orbitals per gold atom (Slater–Koster spd), a kinked four-atom chain between two
    // straight half-chains: ρ, currents and traces with multi-orbital leads.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tb/au_spd.toml");
    let m = SlaterKoster::read(&path).unwrap();
    let d = 2.6;
    let at = |p: [f64; 3]| Atom { species: 0, pos: p };
    let chain: Vec<Atom> = (0..4)
        .map(|i| at([if i == 1 { 0.3 } else { 0.0 }, 0.0, i as f64 * d]))
        .collect();
    let left = LeadGeometry {
        layer: vec![at([0.0, 0.0, -d])],
        period: [0.0, 0.0, -d],
    };
    let right = LeadGeometry {
        layer: vec![at([0.0, 0.0, 4.0 * d])],
        period: [0.0, 0.0, d],
    };
    let p = build_problem(&m, &chain, [&left, &right]).unwrap();
    let l = &p.leads[1];
    let ef = lead_fermi_energy(
        &l.h00.dense_at_k(0.0),
        &l.h01.dense_at_k(0.0),
        m.params.valence_electrons,
        400,
    )
    .unwrap();
    let sys = OpenSystem::from_problem(&p).unwrap();
    let r = res(ef, 0.3, 0.0);
    let acc = Accuracy::default();
    let ss = steady_state(&sys, &r, &acc).unwrap();
    let landauer = landauer_current_ua(&sys, &r, &acc).unwrap();
    assert!(
        landauer > 0.5 * G0_US * 0.3 && landauer < 1.01 * G0_US * 0.3,
        "{landauer}"
    );
    let n = sys.n();
    assert_eq!(n, 36);
    let i = cross_section_current_ua(&sys.h, &ss.rho, |o| o < n / 2);
    assert!((i - landauer).abs() < 1e-8 * landauer, "{i} vs {landauer}");
    // ρ is Hermitian and its trace counts the electrons of the four atoms (11 each, roughly:
    // d¹⁰s¹, up to the charge the kink moves).
    for a in 0..n {
        for b in 0..n {
            assert!((ss.rho[(a, b)] - ss.rho[(b, a)].conj()).norm() < 1e-10);
        }
    }
    assert!((ss.electrons() - 44.0).abs() < 1.0, "{}", ss.electrons());
}
