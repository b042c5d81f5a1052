//! The steady state of issue 19 for general two-terminal problems of the transport core: a
//! non-orthogonal basis (overlap S) and transverse k∥ meshes, against direct diagonalisation
//! of a closed cluster, the closed-form density matrix of a non-orthogonal chain, the
//! orthogonal path, the transport core's Landauer solver and a Born–von Kármán supercell.
#![allow(clippy::needless_range_loop)]

use std::f64::consts::PI;

use nanocontact::transport::current::bond_current::landauer_current_ua;
use nanocontact::transport::current::open_system::OpenSystem;
use nanocontact::transport::current::steady_state::{
    integrate_window, steady_state, Accuracy, Reservoirs,
};
use nanocontact::transport::current::transverse_k::{
    full_mesh, landauer_current_kmesh_ua, steady_state_kmesh,
};
use nanocontact::transport::dense::{c64, generalized_hermitian_eigen, CMat, C64};
use nanocontact::transport::problem::scattering::{
    FourierBlock, Lead, Overlap, SparseMatrix, TransportProblem,
};
use nanocontact::transport::problem::supercell::monkhorst_pack;
use nanocontact::transport::{SelfEnergyMethod, Solver};

/// G0 = 2e²/h in µS (CODATA 2018, exact e and h).
const G0_US: f64 = 77.480_917_298_636_49;

fn res(fermi_ev: f64, bias_v: f64) -> Reservoirs {
    Reservoirs {
        fermi_ev,
        bias_v,
        temperature_k: 0.0,
    }
}

/// Deterministic numbers in (−1, 1) (a linear congruential generator).
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }

    /// An r × c real matrix of entries scale·(−1, 1), plus `diag` on the diagonal.
    fn mat(&mut self, r: usize, c: usize, scale: f64, diag: f64) -> CMat {
        let mut m = CMat::from_fn(r, c, |_, _| C64::new(0.0, 0.0));
        for j in 0..c {
            for i in 0..r {
                m[(i, j)] = c64(scale * self.next() + if i == j { diag } else { 0.0 }, 0.0);
            }
        }
        m
    }

    /// A real symmetric n × n matrix.
    fn sym(&mut self, n: usize, scale: f64, diag: f64) -> CMat {
        let a = self.mat(n, n, scale, diag);
        CMat::from_fn(n, n, |i, j| (a[(i, j)] + a[(j, i)]) * 0.5)
    }
}

fn fixed(m: &CMat) -> FourierBlock {
    FourierBlock::fixed_dense(m)
}

/// A k-independent problem with an overlap from dense blocks: (H_C, S_C) and per lead
/// (H00, H01, V, S00, S01, S_V).
fn problem_with_overlap(h: &CMat, s: &CMat, leads: [[&CMat; 6]; 2]) -> TransportProblem {
    let lead = |b: [&CMat; 6], o: usize| Lead {
        h00: fixed(b[o]),
        h01: fixed(b[o + 1]),
        coupling: fixed(b[o + 2]),
    };
    let p = TransportProblem {
        h_s: fixed(h),
        leads: [lead(leads[0], 0), lead(leads[1], 0)],
        kpoints: Vec::new(),
        overlap: Some(Box::new(Overlap {
            s_s: fixed(s),
            leads: [lead(leads[0], 3), lead(leads[1], 3)],
        })),
    };
    p.validate().unwrap();
    p
}

/// A single-orbital chain lead: on-site 0, hopping t, overlap s.
fn chain_blocks(t: f64, s: f64, n_c: usize, at_end: bool) -> [CMat; 6] {
    let one = |x: f64| CMat::from_fn(1, 1, |_, _| c64(x, 0.0));
    let v = |x: f64| {
        CMat::from_fn(n_c, 1, |i, _| {
            let end = if at_end { n_c - 1 } else { 0 };
            c64(if i == end { x } else { 0.0 }, 0.0)
        })
    };
    [one(0.0), one(t), v(t), one(1.0), one(s), v(s)]
}

#[test]
fn with_an_overlap_a_closed_cluster_holds_the_electrons_of_its_generalized_eigenstates() {
    // Six orbitals decoupled from two non-orthogonal chain leads: ρ must be 2 Σ_occ c c† of
    // the pencil (H, S) (c† S c = 1) and Tr(ρ S) twice the occupied levels, under bias too
    // (no scattering state reaches the cluster).
    let mut r = Numbers(7);
    let n = 6;
    let h = r.sym(n, 1.0, 0.0);
    let s = r.sym(n, 0.15, 1.0);
    let mut lead = chain_blocks(-1.0, 0.1, n, false);
    lead[2] = CMat::zeros(n, 1);
    lead[5] = CMat::zeros(n, 1);
    let l = [&lead[0], &lead[1], &lead[2], &lead[3], &lead[4], &lead[5]];
    let p = problem_with_overlap(&h, &s, [l, l]);
    let (e, c) = generalized_hermitian_eigen(h.as_ref(), s.as_ref(), "cluster").unwrap();
    // μ halfway between the third and fourth level.
    let mu = 0.5 * (e[2] + e[3]);
    let sys = OpenSystem::from_problem(&p).unwrap();
    for bias in [0.0, 0.4] {
        let ss = steady_state(&sys, &res(mu, bias), &Accuracy::default()).unwrap();
        let mut worst = 0.0f64;
        for i in 0..n {
            for j in 0..n {
                let exact: C64 = (0..3).map(|k| c[(i, k)] * c[(j, k)].conj() * 2.0).sum();
                worst = worst.max((ss.rho[(i, j)] - exact).norm());
            }
        }
        let count = sys.electrons(&ss.rho);
        println!("closed cluster V = {bias}: max |ρ − ρ_exact| = {worst:.2e}, Tr ρS = {count}");
        assert!(worst < 1e-10, "V = {bias}: {worst}");
        assert!((count - 6.0).abs() < 1e-10, "V = {bias}: {count}");
    }
}

/// A five-orbital device between two two-orbital leads (orthogonal blocks), the left lead on
/// orbitals 0–1, the right one on 3–4.
fn small_device(r: &mut Numbers) -> (CMat, [[CMat; 3]; 2]) {
    let h = r.sym(5, 0.8, 0.0);
    let lead = |r: &mut Numbers, first: usize| {
        let h00 = r.sym(2, 0.5, 0.0);
        let h01 = r.mat(2, 2, 0.3, -1.0);
        let vv = r.mat(2, 2, 0.3, -0.8);
        let v = CMat::from_fn(5, 2, |i, j| {
            if i >= first && i < first + 2 {
                vv[(i - first, j)]
            } else {
                c64(0.0, 0.0)
            }
        });
        [h00, h01, v]
    };
    let left = lead(r, 0);
    let right = lead(r, 3);
    (h, [left, right])
}

#[test]
fn the_overlap_path_with_s_the_identity_reproduces_the_orthogonal_steady_state() {
    let mut r = Numbers(11);
    let (h, [l, rr]) = small_device(&mut r);
    let orth = TransportProblem::from_dense(&h, [(&l[0], &l[1], &l[2]), (&rr[0], &rr[1], &rr[2])])
        .unwrap();
    let (one5, one2, zero2, zero_v) = (
        CMat::identity(5, 5),
        CMat::identity(2, 2),
        CMat::zeros(2, 2),
        CMat::zeros(5, 2),
    );
    let unit = problem_with_overlap(
        &h,
        &one5,
        [
            [&l[0], &l[1], &l[2], &one2, &zero2, &zero_v],
            [&rr[0], &rr[1], &rr[2], &one2, &zero2, &zero_v],
        ],
    );
    let acc = Accuracy::default();
    let (a, b) = (
        OpenSystem::from_problem(&orth).unwrap(),
        OpenSystem::from_problem(&unit).unwrap(),
    );
    let reservoirs = res(0.2, 0.5);
    let (sa, sb) = (
        steady_state(&a, &reservoirs, &acc).unwrap(),
        steady_state(&b, &reservoirs, &acc).unwrap(),
    );
    let worst = (0..25)
        .map(|k| (sa.rho[(k % 5, k / 5)] - sb.rho[(k % 5, k / 5)]).norm())
        .fold(0.0, f64::max);
    let (ia, ib) = (
        landauer_current_ua(&a, &reservoirs, &acc).unwrap(),
        landauer_current_ua(&b, &reservoirs, &acc).unwrap(),
    );
    println!("S = 1: max |Δρ| = {worst:.2e}, I = {ia} vs {ib} µA");
    assert!(worst < 1e-10, "{worst}");
    assert!(
        ia.abs() > 1.0 && (ia - ib).abs() < 1e-10 * ia.abs(),
        "{ia} vs {ib}"
    );
    assert!((sb.electrons() - b.electrons(&sb.rho)).abs() < 1e-12);
}

#[test]
fn a_non_orthogonal_perfect_chain_has_the_closed_form_density_and_carries_one_quantum() {
    // ε = 0, t = −1 eV, s = 0.1: E(k) = 2t cos k / (1 + 2s cos k), half filled at μ = 0
    // (|k| < π/2 occupied), ρ_0m = (1/π) ∫_{−π/2}^{π/2} cos(km) / (1 + 2s cos k) dk:
    //   J = ∫ dk / (1 + 2s cos k) = (4/√(1 − 4s²)) atan √((1 − 2s)/(1 + 2s)),
    //   ρ_00 = J/π,   ρ_01 = (π − J) / (2πs),   ρ_00 + 2s ρ_01 = 1 electron per site.
    let (t, s, n) = (-1.0, 0.1, 5);
    let h = CMat::from_fn(n, n, |i, j| {
        c64(if i.abs_diff(j) == 1 { t } else { 0.0 }, 0.0)
    });
    let sm = CMat::from_fn(n, n, |i, j| {
        c64(
            match i.abs_diff(j) {
                0 => 1.0,
                1 => s,
                _ => 0.0,
            },
            0.0,
        )
    });
    let (l, r) = (chain_blocks(t, s, n, false), chain_blocks(t, s, n, true));
    let p = problem_with_overlap(
        &h,
        &sm,
        [
            [&l[0], &l[1], &l[2], &l[3], &l[4], &l[5]],
            [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]],
        ],
    );
    let sys = OpenSystem::from_problem(&p).unwrap();
    let acc = Accuracy::default();
    let ss = steady_state(&sys, &res(0.0, 0.0), &acc).unwrap();
    let b = 2.0 * s;
    let j = 4.0 / (1.0 - b * b).sqrt() * ((1.0 - b) / (1.0 + b)).sqrt().atan();
    let (r00, r01) = (j / PI, (PI - j) / (2.0 * PI * s));
    let mut worst = 0.0f64;
    for i in 0..n {
        worst = worst.max((ss.rho[(i, i)] - c64(r00, 0.0)).norm());
        if i + 1 < n {
            worst = worst.max((ss.rho[(i, i + 1)] - c64(r01, 0.0)).norm());
        }
    }
    // The device block's Mulliken count lacks the two device–lead overlap populations s ρ_01.
    let count = sys.electrons(&ss.rho);
    println!(
        "non-orthogonal chain: ρ00 = {}, ρ01 = {}, max error {worst:.2e}, Tr(ρS)_CC = {count}",
        r00, r01
    );
    assert!(worst < 1e-10, "{worst}");
    assert!(
        (count - (n as f64 - 2.0 * s * r01)).abs() < 1e-10,
        "{count}"
    );
    // One open channel, T = 1 across the window: I = G0 V.
    for bias in [0.01, 0.05] {
        let i = landauer_current_ua(&sys, &res(0.0, bias), &acc).unwrap();
        let rel = (i - G0_US * bias).abs() / (G0_US * bias);
        println!("non-orthogonal chain: V = {bias} V, I = {i} µA, |I/(G0 V) − 1| = {rel:.2e}");
        assert!(rel < 1e-10, "V = {bias}: {i}");
    }
}

#[test]
fn the_current_of_a_ptbp_gold_contact_is_the_landauer_solvers() {
    use nanocontact::transport::model::band_filling::lead_fermi_energy_overlap;
    use nanocontact::transport::model::model_file::read_model_file;
    use nanocontact::transport::model::tight_binding::{Atom, LeadGeometry};
    use nanocontact::transport::problem::supercell::build_problem;
    // DFTB (PTBP tables, nine orbitals with overlap): a kinked four-atom chain between two
    // straight half-chains.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tb/ptbp/Au-Au.skf");
    let m = read_model_file(&path).unwrap();
    let d = 2.7;
    let at = |p: [f64; 3]| Atom { species: 0, pos: p };
    let per_layer = (m.model.cutoff() / d).floor() as usize + 1;
    let len = per_layer as f64 * d;
    let layer = |z0: f64| -> Vec<Atom> {
        (0..per_layer)
            .map(|i| at([0.0, 0.0, z0 + i as f64 * d]))
            .collect()
    };
    let device: Vec<Atom> = (0..per_layer)
        .map(|i| at([if i == 1 { 0.3 } else { 0.0 }, 0.0, i as f64 * d]))
        .collect();
    let left = LeadGeometry {
        layer: layer(-len),
        period: [0.0, 0.0, -len],
    };
    let right = LeadGeometry {
        layer: layer(len),
        period: [0.0, 0.0, len],
    };
    let p = build_problem(m.model.as_ref(), &device, [&left, &right]).unwrap();
    let (l, o) = (&p.leads[1], &p.overlap.as_ref().unwrap().leads[1]);
    let ef = lead_fermi_energy_overlap(
        &[(l.h00.dense_at_k(0.0), l.h01.dense_at_k(0.0), 1.0)],
        Some(&[(o.h00.dense_at_k(0.0), o.h01.dense_at_k(0.0))]),
        m.valence_electrons * per_layer as f64,
        400,
    )
    .unwrap();
    let sys = OpenSystem::from_problem(&p).unwrap();
    let acc = Accuracy::default();
    let solver = Solver::new(p.clone(), SelfEnergyMethod::ModeMatching).unwrap();
    let ks = solver.at_k(0.0).unwrap();
    for bias in [0.1, 0.5] {
        let r = res(ef, bias);
        let i = landauer_current_ua(&sys, &r, &acc).unwrap();
        let core = integrate_window(&sys, &r, &acc, &[1], |e: f64| {
            let w = r.window_weights(e);
            Ok(vec![c64(ks.transmission(e)?.t_lr * (w[0] - w[1]), 0.0)])
        })
        .unwrap()[0]
            .re
            * G0_US;
        let rel = (i - core).abs() / core.abs();
        println!("PTBP Au contact ({} orbitals), V = {bias} V: I = {i} µA, core {core} µA, rel {rel:.2e}", sys.n());
        assert!(i > 0.3 * G0_US * bias && i < 1.05 * G0_US * bias, "{i}");
        assert!(rel < 1e-8, "V = {bias}: {i} vs {core}");
    }
    // ρ under bias: Hermitian, and the device's Mulliken count near its valence electrons.
    let ss = steady_state(&sys, &res(ef, 0.3), &acc).unwrap();
    let n = sys.n();
    let herm = (0..n * n)
        .map(|k| (ss.rho[(k % n, k / n)] - ss.rho[(k / n, k % n)].conj()).norm())
        .fold(0.0, f64::max);
    let count = sys.electrons(&ss.rho);
    println!(
        "PTBP Au contact: Tr(ρS)_CC = {count} ({} atoms), non-Hermiticity {herm:.1e}",
        device.len()
    );
    assert!(herm < 1e-10, "{herm}");
    assert!(
        (count - m.valence_electrons * device.len() as f64).abs() < 2.0,
        "{count}"
    );
}

/// A real block with transverse Fourier terms m ∈ {−1, 0, 1} along one direction; `hermitian`
/// (a block on the diagonal of the full matrix): B_{−1} = B_1ᵀ and B_0 symmetric.
fn fourier(
    r: &mut Numbers,
    rows: usize,
    cols: usize,
    scale: f64,
    diag: f64,
    hermitian: bool,
) -> FourierBlock {
    let b0 = if hermitian {
        r.sym(rows, scale, diag)
    } else {
        r.mat(rows, cols, scale, diag)
    };
    let b1 = r.mat(rows, cols, 0.5 * scale, 0.0);
    let bm = if hermitian {
        CMat::from_fn(rows, cols, |i, j| b1[(j, i)])
    } else {
        r.mat(rows, cols, 0.5 * scale, 0.0)
    };
    FourierBlock {
        nrows: rows,
        ncols: cols,
        terms: vec![
            ([-1, 0], SparseMatrix::from_dense(&bm)),
            ([0, 0], SparseMatrix::from_dense(&b0)),
            ([1, 0], SparseMatrix::from_dense(&b1)),
        ],
    }
}

/// The Born–von Kármán supercell of `cells` transverse cells of a block with terms m ∈ {−1, 0,
/// 1}: ⟨(c, i)|B|(c′, j)⟩ = B_m[i, j] for c′ ≡ c + m (mod cells).
fn bvk(b: &FourierBlock, cells: usize) -> FourierBlock {
    let (r, c) = (b.nrows, b.ncols);
    let mut out = CMat::zeros(cells * r, cells * c);
    for (m, t) in &b.terms {
        for cell in 0..cells {
            let other = (cell as i32 + m[0]).rem_euclid(cells as i32) as usize;
            for &(i, j, v) in &t.entries {
                out[(cell * r + i, other * c + j)] += v;
            }
        }
    }
    FourierBlock::fixed_dense(&out)
}

#[test]
fn the_k_summed_steady_state_equals_the_born_von_karman_supercell() {
    // A non-orthogonal problem periodic along one transverse direction (3 device and 2 lead
    // orbitals per cell), on the Monkhorst–Pack mesh of 3 points halved by time reversal (the
    // steady state restores the full mesh), under bias: ρ_m = Σ_k w_k ρ(k) e^{−ik·m} must equal
    // the (0, m) blocks of the 3-cell supercell's ρ at k = 0, whose Bloch phases are the mesh.
    let mut r = Numbers(23);
    let n = 3;
    let lead = |r: &mut Numbers, h: bool| Lead {
        h00: fourier(
            r,
            2,
            2,
            if h { 0.4 } else { 0.04 },
            if h { 0.0 } else { 1.0 },
            true,
        ),
        h01: fourier(
            r,
            2,
            2,
            if h { 0.3 } else { 0.03 },
            if h { -1.0 } else { 0.1 },
            false,
        ),
        coupling: fourier(
            r,
            n,
            2,
            if h { 0.3 } else { 0.03 },
            if h { -0.8 } else { 0.08 },
            false,
        ),
    };
    let h_s = fourier(&mut r, n, n, 0.6, 0.0, true);
    let leads = [lead(&mut r, true), lead(&mut r, true)];
    let s_s = fourier(&mut r, n, n, 0.04, 1.0, true);
    let s_leads = [lead(&mut r, false), lead(&mut r, false)];
    let mesh = monkhorst_pack([3, 1], true).unwrap();
    assert_eq!(mesh.len(), 2);
    let p = TransportProblem {
        h_s,
        leads,
        kpoints: mesh.iter().map(|m| m.point).collect(),
        overlap: Some(Box::new(Overlap {
            s_s,
            leads: s_leads,
        })),
    };
    p.validate().unwrap();
    assert_eq!(full_mesh(&p).len(), 3);
    let cells = 3;
    let big_lead = |l: &Lead| Lead {
        h00: bvk(&l.h00, cells),
        h01: bvk(&l.h01, cells),
        coupling: bvk(&l.coupling, cells),
    };
    let o = p.overlap.as_ref().unwrap();
    let sc = TransportProblem {
        h_s: bvk(&p.h_s, cells),
        leads: [big_lead(&p.leads[0]), big_lead(&p.leads[1])],
        kpoints: Vec::new(),
        overlap: Some(Box::new(Overlap {
            s_s: bvk(&o.s_s, cells),
            leads: [big_lead(&o.leads[0]), big_lead(&o.leads[1])],
        })),
    };
    sc.validate().unwrap();
    let acc = Accuracy::default();
    let reservoirs = res(0.1, 0.4);
    let ks = steady_state_kmesh(&p, &reservoirs, &acc).unwrap();
    let big = OpenSystem::from_problem(&sc).unwrap();
    let ss = steady_state(&big, &reservoirs, &acc).unwrap();
    let mut worst = 0.0f64;
    for m in 0..cells {
        let block = ks.rho_cell([m as i32, 0]);
        for i in 0..n {
            for j in 0..n {
                worst = worst.max((block[(i, j)] - ss.rho[(i, m * n + j)]).norm());
            }
        }
    }
    let (ik, isc) = (
        landauer_current_kmesh_ua(&p, &reservoirs, &acc).unwrap(),
        landauer_current_ua(&big, &reservoirs, &acc).unwrap() / cells as f64,
    );
    let (nk, nsc) = (ks.electrons(), big.electrons(&ss.rho) / cells as f64);
    println!(
        "k-mesh vs supercell: max |Δρ_m| = {worst:.2e}, I = {ik} vs {isc} µA/cell, \
         N = {nk} vs {nsc}"
    );
    assert!(worst < 1e-8, "{worst}");
    assert!(
        ik.abs() > 1.0 && (ik - isc).abs() < 1e-8 * ik.abs(),
        "{ik} vs {isc}"
    );
    assert!((nk - nsc).abs() < 1e-8, "{nk} vs {nsc}");
}
