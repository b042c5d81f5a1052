//! Analytic checks of the Landauer solver: clean chain, single impurity (closed form), perfect
//! wires of several cross-sections (T = open channels), T_LR = T_RL and 0 ≤ τ_n ≤ 1, Σ τ_n = T
//! on disordered systems with complex hoppings and rank-deficient lead hoppings, RGF = dense,
//! and decimation = mode matching away from band edges.

use nanocontact::transport::dense::{c64, CMat, C64};
use nanocontact::transport::solver::decimation::lead_surface_decimation;
use nanocontact::transport::solver::mode_matching::lead_surface_mode_matching;
use nanocontact::transport::{SelfEnergyMethod, Solver, Transmission, TransportProblem};

/// Deterministic uniform numbers in [-0.5, 0.5).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    }
    fn cplx(&mut self) -> C64 {
        c64(self.next(), self.next())
    }
}

fn hermitian(m: &CMat) -> CMat {
    CMat::from_fn(m.nrows(), m.ncols(), |i, j| {
        (m[(i, j)] + m[(j, i)].conj()) * 0.5
    })
}

fn dagger(m: &CMat) -> CMat {
    m.adjoint().to_owned()
}

/// A wire along x: layers with on-site block `h0 + extra(x)` (x = 0..len), hopping
/// tx = ⟨x|H|x+1⟩, and semi-infinite leads of the clean layer on both sides.
fn wire(h0: &CMat, tx: &CMat, len: usize, extra: impl Fn(usize) -> CMat) -> TransportProblem {
    let m = h0.nrows();
    let n = m * len;
    let mut hs = CMat::zeros(n, n);
    for x in 0..len {
        let e = extra(x);
        for i in 0..m {
            for j in 0..m {
                hs[(x * m + i, x * m + j)] = h0[(i, j)] + e[(i, j)];
                if x + 1 < len {
                    hs[(x * m + i, (x + 1) * m + j)] = tx[(i, j)];
                    hs[((x + 1) * m + j, x * m + i)] = tx[(i, j)].conj();
                }
            }
        }
    }
    let txd = dagger(tx);
    // L: layer n+1 lies at x−1 relative to layer n, so H01 = ⟨x|H|x−1⟩ = tx†; V_L = tx† on layer 0.
    let mut vl = CMat::zeros(n, m);
    let mut vr = CMat::zeros(n, m);
    for i in 0..m {
        for j in 0..m {
            vl[(i, j)] = txd[(i, j)];
            vr[((len - 1) * m + i, j)] = tx[(i, j)];
        }
    }
    TransportProblem::from_dense(&hs, [(h0, &txd, &vl), (h0, tx, &vr)]).expect("valid wire")
}

fn zeros(m: usize) -> impl Fn(usize) -> CMat {
    move |_| CMat::zeros(m, m)
}

/// Layer Hamiltonian of a cross-section: sites of `mask` (grid points), hopping t between
/// nearest neighbours.
fn cross_section(mask: &[(i32, i32)], t: f64) -> CMat {
    let n = mask.len();
    CMat::from_fn(n, n, |i, j| {
        let (a, b) = (mask[i], mask[j]);
        if (a.0 - b.0).abs() + (a.1 - b.1).abs() == 1 {
            c64(t, 0.0)
        } else {
            c64(0.0, 0.0)
        }
    })
}

fn ident(n: usize, t: f64) -> CMat {
    CMat::from_fn(
        n,
        n,
        |i, j| if i == j { c64(t, 0.0) } else { c64(0.0, 0.0) },
    )
}

fn solve(p: &TransportProblem, e: f64) -> Transmission {
    Solver::new(p.clone(), SelfEnergyMethod::ModeMatching)
        .expect("solver")
        .at_k(0.0)
        .expect("k")
        .transmission(e)
        .unwrap_or_else(|err| panic!("E = {e}: {err}"))
}

fn energies(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| lo + (hi - lo) * (i as f64 + 0.37) / n as f64)
        .collect()
}

#[test]
fn clean_chain_transmits_one_inside_the_band_and_zero_outside() {
    let t = -1.0;
    let p = wire(&ident(1, 0.0), &ident(1, t), 7, zeros(1));
    let mut es = energies(-2.6, 2.6, 53);
    es.extend([-2.0 + 1e-5, 2.0 - 1e-5, -2.0 - 1e-5, 2.0 + 1e-5]);
    for e in es {
        let r = solve(&p, e);
        let inside = e.abs() < 2.0 * t.abs();
        let want = if inside { 1.0 } else { 0.0 };
        assert!((r.t_lr - want).abs() < 1e-10, "E = {e}: T = {}", r.t_lr);
        assert_eq!(r.open_l, usize::from(inside), "E = {e}");
        assert_eq!(r.open_r, usize::from(inside), "E = {e}");
    }
}

#[test]
fn single_impurity_matches_the_closed_form() {
    // T = (4t² − E²)/(4t² − E² + ε²) inside the band (t = −1.3 eV, ε = 0.45 eV on one site).
    let (t, eps) = (-1.3, 0.45);
    let p = wire(&ident(1, 0.0), &ident(1, t), 9, |x| {
        ident(1, if x == 3 { eps } else { 0.0 })
    });
    for e in energies(-2.59, 2.59, 41) {
        let a = 4.0 * t * t - e * e;
        let want = a / (a + eps * eps);
        let r = solve(&p, e);
        assert!(
            (r.t_lr - want).abs() < 1e-12,
            "E = {e}: T = {} vs {want}",
            r.t_lr
        );
        assert_eq!(r.tau.len(), 1);
        assert!((r.tau[0] - want).abs() < 1e-12);
    }
}

/// T = number of open channels (integer to 1e-10) and equal channel counts on both sides.
fn assert_perfect(p: &TransportProblem, es: &[f64], what: &str) -> Vec<usize> {
    es.iter()
        .map(|&e| {
            let r = solve(p, e);
            assert_eq!(r.open_l, r.open_r, "{what} E = {e}");
            assert!(
                (r.t_lr - r.open_l as f64).abs() < 1e-10
                    && (r.t_rl - r.open_l as f64).abs() < 1e-10,
                "{what} E = {e}: T = {}, {} open channels",
                r.t_lr,
                r.open_l
            );
            for &tau in &r.tau {
                assert!((tau - 1.0).abs() < 1e-9, "{what} E = {e}: tau = {tau}");
            }
            r.open_l
        })
        .collect()
}

#[test]
fn perfect_square_wire_gives_integer_transmission_and_the_subband_count() {
    let (w, t) = (5usize, -1.0);
    let mask: Vec<(i32, i32)> = (0..w as i32).map(|y| (y, 0)).collect();
    let p = wire(&cross_section(&mask, t), &ident(w, t), 4, zeros(w));
    let es = energies(-4.3, 4.3, 71);
    let open = assert_perfect(&p, &es, "square W=5");
    for (&e, &n) in es.iter().zip(&open) {
        let expected = (1..=w)
            .filter(|&j| {
                let sub = 2.0 * t * (j as f64 * std::f64::consts::PI / (w as f64 + 1.0)).cos();
                (e - sub).abs() < 2.0 * t.abs()
            })
            .count();
        assert_eq!(n, expected, "E = {e}");
    }
    assert!(
        open.iter().any(|&n| n >= 4),
        "the grid reaches several open channels"
    );
}

#[test]
fn perfect_wires_of_irregular_cross_section_give_integer_transmission() {
    // An L-shaped cross-section of a cubic lattice (degenerate subbands are absent, but the
    // symmetric 3x3 square has them: both are tested).
    let lshape = [(0, 0), (1, 0), (2, 0), (0, 1), (0, 2), (1, 1), (3, 0)];
    let square: Vec<(i32, i32)> = (0..3).flat_map(|y| (0..3).map(move |z| (y, z))).collect();
    for (mask, name) in [(&lshape[..], "L-shape"), (&square[..], "3x3")] {
        let m = mask.len();
        let p = wire(&cross_section(mask, -1.0), &ident(m, -1.0), 3, zeros(m));
        let open = assert_perfect(&p, &energies(-6.1, 6.1, 61), name);
        assert!(
            open.iter().max().copied().unwrap_or(0) >= 5,
            "{name}: many channels reached"
        );
    }
}

/// A generic lead layer: random Hermitian on-site block (m × m) and a random complex hopping
/// of rank `rank` (singular when rank < m).
fn generic_lead(rng: &mut Rng, m: usize, rank: usize) -> (CMat, CMat) {
    let h0 = hermitian(&CMat::from_fn(m, m, |_, _| rng.cplx() * 2.0));
    let a = CMat::from_fn(m, rank, |_, _| rng.cplx());
    let b = CMat::from_fn(rank, m, |_, _| rng.cplx());
    let tx = (&a * &b) * faer::Scale(c64(1.5, 0.0));
    (h0, tx)
}

#[test]
fn perfect_wire_with_generic_multiorbital_leads_and_singular_hopping() {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    for (m, rank) in [(4usize, 4usize), (5, 2), (6, 3)] {
        let (h0, tx) = generic_lead(&mut rng, m, rank);
        let p = wire(&h0, &tx, 3, zeros(m));
        let open = assert_perfect(
            &p,
            &energies(-3.0, 3.0, 37),
            &format!("generic m={m} rank={rank}"),
        );
        assert!(open.iter().any(|&n| n > 0), "m={m}: some channel opens");
    }
}

/// A disordered, time-reversal-breaking scattering region between generic leads.
fn disordered(rng: &mut Rng, m: usize, rank: usize, len: usize) -> TransportProblem {
    let (h0, tx) = generic_lead(rng, m, rank);
    let dis: Vec<CMat> = (0..len)
        .map(|_| hermitian(&CMat::from_fn(m, m, |_, _| rng.cplx())))
        .collect();
    wire(&h0, &tx, len, move |x| dis[x].clone())
}

#[test]
fn unitarity_and_eigenchannel_bounds_on_disordered_complex_systems() {
    let mut rng = Rng(0x2545f4914f6cdd1d);
    let mut checked = 0;
    for (m, rank) in [(3usize, 3usize), (5, 2), (4, 4)] {
        let p = disordered(&mut rng, m, rank, 6);
        for e in energies(-2.5, 2.5, 23) {
            let r = solve(&p, e);
            assert!(
                (r.t_lr - r.t_rl).abs() < 1e-11,
                "m={m} E={e}: T_LR {} T_RL {}",
                r.t_lr,
                r.t_rl
            );
            assert_eq!(r.tau.len(), r.open_l);
            let mut prev = f64::INFINITY;
            for &tau in &r.tau {
                assert!(
                    (-1e-12..=1.0 + 1e-12).contains(&tau),
                    "m={m} E={e}: tau = {tau}"
                );
                assert!(tau <= prev + 1e-15, "tau sorted descending");
                prev = tau;
            }
            let s: f64 = r.tau.iter().sum();
            assert!(
                (s - r.t_lr).abs() < 1e-11,
                "m={m} E={e}: sum tau {s} vs T {}",
                r.t_lr
            );
            assert!(r.t_lr <= r.open_l.min(r.open_r) as f64 + 1e-11);
            if r.t_lr > 1e-3 {
                checked += 1;
            }
        }
    }
    assert!(
        checked > 10,
        "enough energies with non-trivial transmission ({checked})"
    );
}

#[test]
fn rgf_equals_the_dense_solve() {
    let mut rng = Rng(0x853c49e6748fea9b);
    let p = disordered(&mut rng, 4, 2, 9);
    let rgf = Solver::new(p.clone(), SelfEnergyMethod::ModeMatching).expect("rgf");
    let dense = Solver::dense(p, SelfEnergyMethod::ModeMatching).expect("dense");
    assert!(rgf.slicing().len() >= 9, "one slice per layer at least");
    for e in energies(-2.5, 2.5, 17) {
        let a = rgf.at_k(0.0).and_then(|s| s.transmission(e)).expect("rgf");
        let b = dense
            .at_k(0.0)
            .and_then(|s| s.transmission(e))
            .expect("dense");
        assert_eq!((a.open_l, a.open_r), (b.open_l, b.open_r));
        assert!(
            (a.t_lr - b.t_lr).abs() < 1e-11 && (a.t_rl - b.t_rl).abs() < 1e-11,
            "E={e}"
        );
        for (x, y) in a.tau.iter().zip(&b.tau) {
            assert!((x - y).abs() < 1e-11);
        }
    }
}

/// Energies of the band extrema of a lead, E_b(q) sampled on a fine q grid.
fn band_extrema(h0: &CMat, tx: &CMat) -> Vec<f64> {
    let nq = 4000;
    let bands: Vec<Vec<f64>> = (0..nq)
        .map(|i| {
            let q = 2.0 * std::f64::consts::PI * i as f64 / nq as f64;
            let ph = c64(q.cos(), q.sin());
            let h = CMat::from_fn(h0.nrows(), h0.nrows(), |a, b| {
                h0[(a, b)] + tx[(a, b)] * ph + tx[(b, a)].conj() * ph.conj()
            });
            h.self_adjoint_eigenvalues(faer::Side::Lower).expect("eig")
        })
        .collect();
    let mut ext = Vec::new();
    for i in 0..nq {
        let (l, c, r) = (&bands[(i + nq - 1) % nq], &bands[i], &bands[(i + 1) % nq]);
        for ((&l, &c), &r) in l.iter().zip(c).zip(r) {
            if (c <= l && c <= r) || (c >= l && c >= r) {
                ext.push(c);
            }
        }
    }
    ext
}

#[test]
fn decimation_agrees_with_mode_matching_away_from_band_edges() {
    let mut rng = Rng(0xda3e39cb94b95bdb);
    let mut leads = vec![
        (ident(1, 0.0), ident(1, -1.0)),
        (
            cross_section(&[(0, 0), (1, 0), (2, 0), (3, 0)], -1.0),
            ident(4, -1.0),
        ),
    ];
    leads.push(generic_lead(&mut rng, 4, 4));
    leads.push(generic_lead(&mut rng, 5, 3));
    let mut compared = 0;
    for (h0, tx) in &leads {
        let ext = band_extrema(h0, tx);
        for e in energies(-4.0, 4.0, 33) {
            if ext.iter().any(|x| (x - e).abs() < 0.05) {
                continue;
            }
            let mm = lead_surface_mode_matching(h0, tx, e).expect("mode matching");
            let de = lead_surface_decimation(h0, tx, e, 1e-10).expect("decimation");
            let mut d = 0.0f64;
            for j in 0..h0.nrows() {
                for i in 0..h0.nrows() {
                    d = d.max((mm.g[(i, j)] - de.g[(i, j)]).norm());
                }
            }
            assert!(
                d < 1e-6,
                "m={} E={e}: max |g_mm − g_dec| = {d:e}",
                h0.nrows()
            );
            compared += 1;
        }
    }
    assert!(compared > 60, "compared {compared} (lead, energy) pairs");
    // And the whole solver with either self-energy on a disordered system.
    let p = disordered(&mut rng, 3, 3, 5);
    let a = Solver::new(p.clone(), SelfEnergyMethod::ModeMatching).expect("mm");
    let b = Solver::new(p.clone(), SelfEnergyMethod::Decimation { eta: 1e-10 }).expect("dec");
    let lead = &p.leads[1];
    let ext = band_extrema(&lead.h00.dense_at_k(0.0), &lead.h01.dense_at_k(0.0));
    for e in energies(-2.5, 2.5, 19) {
        if ext.iter().any(|x| (x - e).abs() < 0.05) {
            continue;
        }
        let x = a.at_k(0.0).and_then(|s| s.transmission(e)).expect("mm");
        let y = b.at_k(0.0).and_then(|s| s.transmission(e)).expect("dec");
        assert!(
            (x.t_lr - y.t_lr).abs() < 1e-6,
            "E={e}: {} vs {}",
            x.t_lr,
            y.t_lr
        );
    }
}

#[test]
fn landauer_current_of_one_open_channel_is_g0_times_v() {
    use nanocontact::transport::solver::landauer::{conductance_siemens, current_amperes};
    use nanocontact::units::G0_SIEMENS;
    // A perfect chain: T = 1 over the window, so I = G0 V at any temperature.
    let p = wire(&ident(1, 0.0), &ident(1, -1.0), 4, zeros(1));
    let es: Vec<f64> = (0..=400).map(|i| -0.4 + 0.8 * i as f64 / 400.0).collect();
    let ts: Vec<f64> = es.iter().map(|&e| solve(&p, e).t_lr).collect();
    for (v, temp) in [(0.1, 0.0), (0.2, 10.0), (0.3, 77.0)] {
        let i = current_amperes(&es, &ts, 0.0, v, temp).expect("current");
        assert!(
            (i / (G0_SIEMENS * v) - 1.0).abs() < 1e-6,
            "V = {v}, T = {temp} K: I = {i}"
        );
    }
    assert!((conductance_siemens(solve(&p, 0.0).t_lr) - G0_SIEMENS).abs() < 1e-15);
    // With the impurity of the closed-form test at T = 0: I = G0 ∫ T(E) dE over the window.
    let p = wire(&ident(1, 0.0), &ident(1, -1.0), 5, |x| {
        ident(1, if x == 2 { 0.6 } else { 0.0 })
    });
    let ts: Vec<f64> = es.iter().map(|&e| solve(&p, e).t_lr).collect();
    let i = current_amperes(&es, &ts, 0.0, 0.4, 0.0).expect("current");
    // ∫_{-0.2}^{0.2} (4 - E²)/(4 - E² + 0.36) dE by Simpson on a fine grid.
    let f = |e: f64| (4.0 - e * e) / (4.36 - e * e);
    let n = 2000;
    let h = 0.4 / n as f64;
    let simpson: f64 = (0..=n)
        .map(|k| {
            let w = if k == 0 || k == n {
                1.0
            } else if k % 2 == 1 {
                4.0
            } else {
                2.0
            };
            w * f(-0.2 + k as f64 * h)
        })
        .sum::<f64>()
        * h
        / 3.0;
    assert!(
        (i / G0_SIEMENS - simpson).abs() < 1e-5,
        "{} vs {simpson}",
        i / G0_SIEMENS
    );
}
