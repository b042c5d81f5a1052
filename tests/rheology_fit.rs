//! The rheology fit on synthetic signals with known F0, σ0 and φ: it recovers them within the
//! errors it reports (coverage over many seeds, white and AR(1)-correlated noise), across all
//! four phase quadrants, with a transient removed by skipping cycles; the zig-zag model of
//! Eqs. (3)–(4) and its fit; the `analyze rheology --signal` CLI contract and its errors.

mod common;

use std::f64::consts::PI;
use std::path::{Path, PathBuf};

use nanocontact::analysis::rheology::{omega_rad_per_ps, Drive, Estimate, Rheology, Signal};
use nanocontact::analysis::zigzag::{fit_storage_modulus, Thresholds, ZigZag};
use nanocontact::io::csv::{Cell, CsvWriter};
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Standard normal deviates by Box–Muller.
struct Gauss {
    rng: Xoshiro256PlusPlus,
    spare: Option<f64>,
}

impl Gauss {
    fn new(seed: u64) -> Gauss {
        Gauss {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            spare: None,
        }
    }

    /// Uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn next(&mut self) -> f64 {
        if let Some(g) = self.spare.take() {
            return g;
        }
        let (u1, u2) = (self.uniform(), self.uniform());
        let r = (-2.0 * u1.ln()).sqrt();
        self.spare = Some(r * (2.0 * PI * u2).sin());
        r * (2.0 * PI * u2).cos()
    }
}

/// A synthetic oscillatory run: h = h0 + a0·sin(ω(t − t_off)), F = F0 + A·sin(ω(t − t_off) + φ)
/// + noise + transient.
#[derive(Clone, Copy)]
struct Synth {
    freq_ghz: f64,
    samples_per_cycle: usize,
    cycles: usize,
    t_off_ps: f64,
    a0_nm: f64,
    h0_nm: f64,
    area_nm2: f64,
    f0_nn: f64,
    g_storage_gpa: f64,
    g_loss_gpa: f64,
    noise_nn: f64,
    /// Lag-one correlation ρ of AR(1) noise (0: white).
    rho: f64,
    /// Amplitude (nN) of the transient 1 + sin(ωt + 1) decaying as exp(−t/decay).
    transient_nn: f64,
    transient_decay_ps: f64,
}

const BASE: Synth = Synth {
    freq_ghz: 10.0,
    samples_per_cycle: 100,
    cycles: 20,
    t_off_ps: 0.0,
    a0_nm: 0.1,
    h0_nm: 2.75,
    area_nm2: 0.6,
    f0_nn: 2.5,
    g_storage_gpa: 30.0,
    g_loss_gpa: 10.0,
    noise_nn: 0.3,
    rho: 0.0,
    transient_nn: 0.0,
    transient_decay_ps: 1.0,
};

impl Synth {
    fn omega(&self) -> f64 {
        omega_rad_per_ps(self.freq_ghz)
    }

    fn eps0(&self) -> f64 {
        self.a0_nm / self.h0_nm
    }

    /// Force amplitude A = |G|·ε0·S and phase φ = atan2(G'', G').
    fn amplitude_phase(&self) -> (f64, f64) {
        let g = self.g_storage_gpa.hypot(self.g_loss_gpa);
        (
            g * self.eps0() * self.area_nm2,
            self.g_loss_gpa.atan2(self.g_storage_gpa),
        )
    }

    fn with_phase(mut self, phi: f64, g_abs: f64) -> Synth {
        self.g_storage_gpa = g_abs * phi.cos();
        self.g_loss_gpa = g_abs * phi.sin();
        self
    }

    fn signal(&self, seed: u64) -> Signal {
        let mut rng = Gauss::new(seed);
        let omega = self.omega();
        let dt = 2.0 * PI / omega / self.samples_per_cycle as f64;
        let (amp, phi) = self.amplitude_phase();
        let mut s = Signal::default();
        let mut noise = rng.next() * self.noise_nn;
        for k in 0..=self.samples_per_cycle * self.cycles {
            let tau = k as f64 * dt;
            let th = omega * tau;
            s.time_ps.push(tau + self.t_off_ps);
            s.h_a.push(10.0 * (self.h0_nm + self.a0_nm * th.sin()));
            let transient = self.transient_nn
                * (-tau / self.transient_decay_ps).exp()
                * (1.0 + (th + 1.0).sin());
            s.force_nn
                .push(self.f0_nn + amp * (th + phi).sin() + transient + noise);
            noise =
                self.rho * noise + (1.0 - self.rho * self.rho).sqrt() * self.noise_nn * rng.next();
        }
        s
    }

    fn drive(&self, skip_cycles: usize) -> Drive {
        Drive {
            omega_rad_per_ps: self.omega(),
            a0_nm: self.a0_nm,
            h0_nm: self.h0_nm,
            area_nm2: self.area_nm2,
            skip_cycles,
        }
    }
}

/// Wrapped difference of two angles, in (−π, π].
fn angle_diff(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(2.0 * PI);
    if d > PI {
        d - 2.0 * PI
    } else {
        d
    }
}

/// Deviations (estimate − truth) in units of the reported error, of F0, A, φ, G', G''.
fn z_scores(r: &Rheology, s: &Synth) -> [f64; 5] {
    let (amp, phi) = s.amplitude_phase();
    let z = |e: &Estimate, truth: f64| (e.value - truth) / e.err;
    [
        z(&r.force.offset, s.f0_nn),
        z(&r.force.amplitude, amp),
        angle_diff(r.force.phase_rad.value, phi) / r.force.phase_rad.err,
        z(&r.g_storage_gpa, s.g_storage_gpa),
        z(&r.g_loss_gpa, s.g_loss_gpa),
    ]
}

const NAMES: [&str; 5] = ["F0", "amplitude", "phase", "G'", "G''"];

/// Over `seeds` runs: the fraction of each quantity within 1σ and the largest |z|.
fn coverage(seeds: u64, make: impl Fn(u64) -> (Synth, Signal, Drive)) -> ([f64; 5], [f64; 5]) {
    let mut within = [0usize; 5];
    let mut worst = [0.0f64; 5];
    for seed in 0..seeds {
        let (s, sig, drive) = make(seed);
        let r = Rheology::analyze(&sig, &drive).unwrap();
        for (q, z) in z_scores(&r, &s).iter().enumerate() {
            if z.abs() < 1.0 {
                within[q] += 1;
            }
            worst[q] = worst[q].max(z.abs());
        }
    }
    (within.map(|w| w as f64 / seeds as f64), worst)
}

fn check_coverage(label: &str, frac: [f64; 5], worst: [f64; 5]) {
    for q in 0..5 {
        println!(
            "{label}: {} within 1σ in {:.1} % of seeds, largest |z| {:.2}",
            NAMES[q],
            100.0 * frac[q],
            worst[q]
        );
        assert!(
            (0.55..=0.90).contains(&frac[q]),
            "{label}: {} within 1σ in {:.3} of seeds",
            NAMES[q],
            frac[q]
        );
        assert!(worst[q] < 4.0, "{label}: {} |z| = {}", NAMES[q], worst[q]);
    }
}

#[test]
fn white_noise_is_recovered_within_reported_errors() {
    // 200 seeds, phases spread over all four quadrants.
    let (frac, worst) = coverage(200, |seed| {
        let phi = -PI + 2.0 * PI * (seed as f64 + 0.5) / 200.0;
        let s = BASE.with_phase(phi, 40.0);
        let sig = s.signal(1000 + seed);
        (s, sig, s.drive(0))
    });
    check_coverage("white", frac, worst);
}

#[test]
fn correlated_noise_needs_the_blocking_error() {
    // AR(1) noise with ρ = 0.9 (correlation time 10 samples, a cycle is 100): the least-squares
    // error is too small by about √(1.9/0.1) ≈ 4.4, the per-cycle blocking error is reported.
    let make = |seed: u64| {
        let mut s = BASE.with_phase(0.3 + 0.05 * seed as f64, 40.0);
        s.rho = 0.9;
        s.cycles = 50;
        let sig = s.signal(5000 + seed);
        (s, sig, s.drive(0))
    };
    let mut ols_within = 0;
    let mut dev2 = 0.0;
    let mut err2 = 0.0;
    for seed in 0..200 {
        let (s, sig, drive) = make(seed);
        let r = Rheology::analyze(&sig, &drive).unwrap();
        let g = &r.g_storage_gpa;
        let block = g.err_block.unwrap();
        assert!(block > 2.5 * g.err_ols, "seed {seed}: {g:?}");
        assert_eq!(g.err, block);
        assert_eq!(r.force.offset.err, r.force.offset.err_block.unwrap());
        if ((g.value - s.g_storage_gpa) / g.err_ols).abs() < 1.0 {
            ols_within += 1;
        }
        dev2 += (g.value - s.g_storage_gpa).powi(2);
        err2 += g.err.powi(2);
    }
    let ratio = (dev2 / err2).sqrt();
    println!(
        "AR(1): least-squares error alone covers G' in {:.1} % of seeds; \
         RMS deviation / RMS reported error = {ratio:.3}",
        100.0 * ols_within as f64 / 200.0
    );
    assert!(ols_within < 80, "{ols_within}");
    assert!((0.8..1.25).contains(&ratio), "{ratio}");
    let (frac, worst) = coverage(200, make);
    check_coverage("AR(1)", frac, worst);
}

#[test]
fn all_phase_quadrants_and_signs() {
    // Pure storage, pure loss (φ = π/2), negative G' (second and third quadrants), φ near ±π.
    for (k, &phi) in [
        0.0,
        0.4,
        PI / 2.0,
        2.2,
        PI - 0.01,
        -PI + 0.01,
        -2.5,
        -PI / 2.0,
        -0.3,
    ]
    .iter()
    .enumerate()
    {
        let mut s = BASE.with_phase(phi, 25.0);
        s.noise_nn = 0.05;
        let r = Rheology::analyze(&s.signal(77 + k as u64), &s.drive(0)).unwrap();
        let z = z_scores(&r, &s);
        assert!(
            z.iter().all(|z| z.abs() < 4.0),
            "φ {phi}: z {z:?}, fit {:?}",
            r.force.phase_rad
        );
        let (gs, gl) = (r.g_storage_gpa, r.g_loss_gpa);
        if phi.cos().abs() > 0.1 {
            assert_eq!(gs.value > 0.0, phi.cos() > 0.0, "φ {phi}: G' {gs:?}");
        } else {
            assert!(gs.value.abs() < 4.0 * gs.err, "φ {phi}: G' {gs:?}");
        }
        if phi.sin().abs() > 0.1 {
            assert_eq!(gl.value > 0.0, phi.sin() > 0.0, "φ {phi}: G'' {gl:?}");
            // Dissipated power has the sign of G'' and agrees between the loop and the fit.
            let p = &r.power_fit_nw;
            assert!(
                (r.power_nw - p.value).abs() < 4.0 * p.err + 0.02 * p.value.abs(),
                "φ {phi}: loop {} W vs fit {p:?}",
                r.power_nw
            );
        }
        assert!(r.force.phase_rad.value > -PI && r.force.phase_rad.value <= PI);
    }
}

#[test]
fn transient_is_removed_by_skipping_cycles() {
    // A decaying extra force, 1.5 nN at t = 0 with a 40 ps decay (a cycle is 100 ps).
    let mut s = BASE.with_phase(0.5, 40.0);
    s.noise_nn = 0.05;
    s.transient_nn = 1.5;
    s.transient_decay_ps = 40.0;
    let sig = s.signal(4242);
    let biased = Rheology::analyze(&sig, &s.drive(0)).unwrap();
    let clean = Rheology::analyze(&sig, &s.drive(3)).unwrap();
    assert_eq!(clean.force.window.cycles, 17);
    let zc = z_scores(&clean, &s);
    assert!(zc.iter().all(|z| z.abs() < 3.0), "skipped: {zc:?}");
    let off = (biased.force.offset.value - s.f0_nn) / clean.force.offset.err;
    println!("transient: F0 off by {off:.1} σ without skipping, z {zc:?} with 3 skipped");
    assert!(off > 10.0, "{off}");
    assert!(biased.force.residual_rel > 2.0 * clean.force.residual_rel);
}

#[test]
fn time_origin_does_not_change_the_phase() {
    // A run restarted at t = 1234.5 ps with the drive's zero there: φ is relative to h(t).
    let mut s = BASE.with_phase(1.0, 40.0);
    s.noise_nn = 0.0;
    s.t_off_ps = 1234.5;
    let r = Rheology::analyze(&s.signal(1), &s.drive(0)).unwrap();
    assert!((r.force.phase_rad.value - 1.0).abs() < 1e-9);
    assert!((r.g_storage_gpa.value - 40.0 * 1f64.cos()).abs() < 1e-8);
    assert!((r.h_amplitude_a - 1.0).abs() < 1e-12);
}

#[test]
fn zigzag_signal_gives_eq4_through_the_fit() {
    // A quasi-static zig-zag junction: F = S·σ(ε(t)) of Eq. (3), ε = (h − h0)/h0; the fitted
    // G' is Eq. (4), G'' and the power vanish, and the response is non-sinusoidal past yield.
    let m = ZigZag {
        k_gpa: 40.0,
        j_n_gpa: 4.0,
        eps_n: 0.05,
        j_b_gpa: 3.0,
        eps_b: -0.075,
        sigma_i_gpa: 4.2,
    };
    for &a0 in &[0.05, 0.1, 0.15, 0.2, 0.25, 0.3] {
        let mut s = BASE;
        s.a0_nm = a0;
        s.samples_per_cycle = 4000;
        s.cycles = 3;
        let mut sig = s.signal(0);
        for (f, h) in sig.force_nn.iter_mut().zip(&sig.h_a) {
            *f = s.area_nm2 * m.stress_gpa((h / 10.0 - s.h0_nm) / s.h0_nm);
        }
        let r = Rheology::analyze(&sig, &s.drive(0)).unwrap();
        let eps0 = a0 / s.h0_nm;
        let want = m.storage_modulus_gpa(eps0);
        assert!(
            (r.g_storage_gpa.value - want).abs() < 0.01 * m.k_gpa,
            "a0 {a0}: G' {:?} vs Eq. (4) {want}",
            r.g_storage_gpa
        );
        assert!(
            r.g_loss_gpa.value.abs() < 0.01 * m.k_gpa,
            "{:?}",
            r.g_loss_gpa
        );
        assert!(r.power_nw.abs() < 1e-3 * r.force.amplitude.value);
        // F0 = S·⟨σ⟩: the cycle fractions spent past each threshold, acos(|ε_y|/ε0)/π.
        let frac = |e: f64| {
            if eps0 > e.abs() {
                (e.abs() / eps0).acos() / PI
            } else {
                0.0
            }
        };
        let f0 =
            s.area_nm2 * (m.sigma_i_gpa - m.j_n_gpa * frac(m.eps_n) + m.j_b_gpa * frac(m.eps_b));
        assert!(
            (r.force.offset.value - f0).abs() < 2e-3,
            "a0 {a0}: F0 {:?} vs {f0}",
            r.force.offset
        );
        if eps0 > 0.075 {
            assert!(
                r.force.residual_rel > 0.05,
                "a0 {a0}: {}",
                r.force.residual_rel
            );
        }
    }
}

#[test]
fn zigzag_fit_recovers_the_model_from_noisy_moduli() {
    let truth = ZigZag {
        k_gpa: 40.0,
        j_n_gpa: 4.0,
        eps_n: 0.05,
        j_b_gpa: 3.0,
        eps_b: -0.08,
        sigma_i_gpa: 0.0,
    };
    let eps: Vec<f64> = (1..=40).map(|k| 0.003 * k as f64).collect();
    let sigma = 0.5;
    let seeds = 100;
    let mut within = [0usize; 5];
    let mut worst = [0.0f64; 5];
    for seed in 0..seeds {
        let mut rng = Gauss::new(9000 + seed);
        let g: Vec<f64> = eps
            .iter()
            .map(|&e| truth.storage_modulus_gpa(e) + sigma * rng.next())
            .collect();
        let errs = vec![sigma; eps.len()];
        let fit = fit_storage_modulus(&eps, &g, Some(&errs), Thresholds::Free).unwrap();
        let (m, e) = (fit.model, fit.err);
        let z = [
            (m.k_gpa - truth.k_gpa) / e.k_gpa,
            (m.j_n_gpa - truth.j_n_gpa) / e.j_n_gpa,
            (m.eps_n - truth.eps_n) / e.eps_n,
            (m.j_b_gpa - truth.j_b_gpa) / e.j_b_gpa,
            (m.eps_b - truth.eps_b) / e.eps_b,
        ];
        for q in 0..5 {
            if z[q].abs() < 1.0 {
                within[q] += 1;
            }
            worst[q] = worst[q].max(z[q].abs());
        }
        assert!(
            fit.chi2 / (fit.dof as f64) < 2.0,
            "seed {seed}: χ²/dof {}",
            fit.chi2 / fit.dof as f64
        );
    }
    let names = ["k", "j_n", "eps_n", "j_b", "eps_b"];
    for q in 0..5 {
        let f = within[q] as f64 / seeds as f64;
        println!(
            "zig-zag fit: {} within 1σ in {:.0} % of seeds, largest |z| {:.2}",
            names[q],
            100.0 * f,
            worst[q]
        );
        assert!(f >= 0.5, "{}: {f}", names[q]);
        assert!(worst[q] < 5.0, "{}: {}", names[q], worst[q]);
    }
}

#[test]
fn zigzag_fit_with_equal_thresholds() {
    let truth = ZigZag {
        k_gpa: 30.0,
        j_n_gpa: 4.0,
        eps_n: 0.06,
        j_b_gpa: 4.0,
        eps_b: -0.06,
        sigma_i_gpa: 0.0,
    };
    let eps: Vec<f64> = (1..=30).map(|k| 0.004 * k as f64).collect();
    let mut rng = Gauss::new(31);
    let g: Vec<f64> = eps
        .iter()
        .map(|&e| truth.storage_modulus_gpa(e) + 0.3 * rng.next())
        .collect();
    let fit = fit_storage_modulus(&eps, &g, None, Thresholds::Equal).unwrap();
    let (m, e) = (fit.model, fit.err);
    assert!((m.k_gpa - 30.0).abs() < 4.0 * e.k_gpa, "{fit:?}");
    assert!(
        (m.j_n_gpa + m.j_b_gpa - 8.0).abs() < 4.0 * 2.0 * e.j_n_gpa,
        "{fit:?}"
    );
    assert!((m.eps_n - 0.06).abs() < 4.0 * e.eps_n, "{fit:?}");
    assert_eq!(m.eps_b, -m.eps_n);
    // G' changes sign as in Fig. 3a.
    assert!(m.storage_modulus_gpa(0.01) > 0.0 && m.storage_modulus_gpa(0.12) < 0.0);
}

// ---------------------------------------------------------------- the CLI contract

fn write_signal(path: &Path, header: &[&str], sig: &Signal) {
    let mut w = CsvWriter::create(path, header).unwrap();
    for k in 0..sig.time_ps.len() {
        let mut row = Vec::new();
        for h in header {
            row.push(Cell::Float(match *h {
                "time_ps" => sig.time_ps[k],
                "h_A" => sig.h_a[k],
                "force_nN" => sig.force_nn[k],
                _ => k as f64,
            }));
        }
        w.append_row(&row).unwrap();
    }
}

fn cli_args(file: &Path, s: &Synth, skip: usize) -> Vec<String> {
    let mut v: Vec<String> = ["analyze", "rheology", "--signal"]
        .map(String::from)
        .to_vec();
    v.push(file.to_str().unwrap().to_string());
    for (flag, x) in [
        ("--freq-ghz", s.freq_ghz),
        ("--a0-nm", s.a0_nm),
        ("--h0-nm", s.h0_nm),
        ("--area-nm2", s.area_nm2),
    ] {
        v.push(flag.to_string());
        v.push(x.to_string());
    }
    v.push("--skip-cycles".to_string());
    v.push(skip.to_string());
    v
}

#[test]
fn cli_prints_one_json_line() {
    let dir = common::scratch("rheology-cli");
    let mut s = BASE.with_phase(2.0, 40.0);
    s.t_off_ps = 537.0;
    let sig = s.signal(3);
    // Columns in another order, an extra column, a comment line.
    let file = dir.join("signal.csv");
    write_signal(&file, &["step", "force_nN", "time_ps", "h_A"], &sig);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("# from a test\n{text}")).unwrap();
    let out = common::bin().args(cli_args(&file, &s, 2)).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let j: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let lib = Rheology::analyze(&sig, &s.drive(2)).unwrap();
    let (amp, phi) = s.amplitude_phase();
    for (key, truth, lib_val, lib_err) in [
        (
            "F0_nN",
            s.f0_nn,
            lib.force.offset.value,
            lib.force.offset.err,
        ),
        (
            "amplitude_nN",
            amp,
            lib.force.amplitude.value,
            lib.force.amplitude.err,
        ),
        (
            "phase_rad",
            phi,
            lib.force.phase_rad.value,
            lib.force.phase_rad.err,
        ),
        (
            "G_storage_GPa",
            s.g_storage_gpa,
            lib.g_storage_gpa.value,
            lib.g_storage_gpa.err,
        ),
        (
            "G_loss_GPa",
            s.g_loss_gpa,
            lib.g_loss_gpa.value,
            lib.g_loss_gpa.err,
        ),
    ] {
        let v = j[key].as_f64().unwrap_or_else(|| panic!("{key} in {j}"));
        let e = j[format!("{key}_err")].as_f64().unwrap();
        // The CSV holds 18 significant digits: the CLI reproduces the library's fit.
        assert!(
            (v - lib_val).abs() <= 1e-9 * lib_val.abs().max(1.0),
            "{key}"
        );
        assert!((e - lib_err).abs() <= 1e-6 * lib_err, "{key}_err");
        assert!(
            e > 0.0 && (v - truth).abs() < 4.0 * e,
            "{key}: {v} ± {e} vs {truth}"
        );
    }
    assert_eq!(j["cycles_used"].as_u64(), Some(18));
    assert_eq!(j["samples_used"].as_u64(), Some(1800));
    assert!(j["residual_rel"].as_f64().unwrap() > 0.0);
    let p = j["power_nW"].as_f64().unwrap();
    let pf = j["power_fit_nW"].as_f64().unwrap();
    let pe = j["power_fit_nW_err"].as_f64().unwrap();
    assert!((p - pf).abs() < 4.0 * pe, "loop {p} fit {pf} ± {pe}");
    assert!((j["t_start_ps"].as_f64().unwrap() - 737.0).abs() < 1e-9);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Run the CLI on `file`; expect exit code 1 and one ERROR line containing all `needles`.
fn expect_cli_error(file: &Path, s: &Synth, skip: usize, needles: &[&str]) {
    let out = common::bin()
        .args(cli_args(file, s, skip))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty());
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("ERROR")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    for n in needles {
        assert!(lines[0].contains(n), "'{}' lacks '{n}'", lines[0]);
    }
}

#[test]
fn cli_bad_inputs_name_the_file_and_line() {
    let dir = common::scratch("rheology-cli-bad");
    let s = BASE;
    let sig = s.signal(5);
    let name = |n: &str| -> PathBuf { dir.join(n) };

    let missing = name("missing_column.csv");
    write_signal(&missing, &["time_ps", "h_A", "force"], &sig);
    expect_cli_error(&missing, &s, 0, &["missing_column.csv:1", "force_nN"]);

    let bad = name("non_numeric.csv");
    write_signal(&bad, &["time_ps", "h_A", "force_nN"], &sig);
    let mut lines: Vec<String> = std::fs::read_to_string(&bad)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines[41] = "8.0e1,27.5,abc".to_string();
    std::fs::write(&bad, lines.join("\n")).unwrap();
    expect_cli_error(&bad, &s, 0, &["non_numeric.csv:42", "force_nN 'abc'"]);

    let short_row = name("short_row.csv");
    lines[41] = "8.0e1,27.5".to_string();
    std::fs::write(&short_row, lines.join("\n")).unwrap();
    expect_cli_error(&short_row, &s, 0, &["short_row.csv:42", "2 fields"]);

    let backwards = name("backwards.csv");
    lines[41] = lines[40].clone();
    std::fs::write(&backwards, lines.join("\n")).unwrap();
    expect_cli_error(
        &backwards,
        &s,
        0,
        &["backwards.csv:42", "does not increase"],
    );

    // 20 cycles recorded: skipping 20 leaves less than one.
    let good = name("good.csv");
    write_signal(&good, &["time_ps", "h_A", "force_nN"], &sig);
    expect_cli_error(&good, &s, 20, &["good.csv", "fewer than one whole cycle"]);

    let mut short = sig.clone();
    for v in [&mut short.time_ps, &mut short.h_a, &mut short.force_nn] {
        v.truncate(60);
    }
    let part = name("part_cycle.csv");
    write_signal(&part, &["time_ps", "h_A", "force_nN"], &short);
    expect_cli_error(
        &part,
        &s,
        0,
        &["part_cycle.csv", "fewer than one whole cycle"],
    );

    let mut few = sig.clone();
    for v in [&mut few.time_ps, &mut few.h_a, &mut few.force_nn] {
        v.truncate(3);
    }
    let tiny = name("three_rows.csv");
    write_signal(&tiny, &["time_ps", "h_A", "force_nN"], &few);
    expect_cli_error(&tiny, &s, 0, &["three_rows.csv", "3 samples"]);

    let empty = name("empty.csv");
    std::fs::write(&empty, "# nothing\n").unwrap();
    expect_cli_error(&empty, &s, 0, &["empty.csv", "header"]);

    // a0 given in Å instead of nm: the h column does not match.
    let mut wrong = s;
    wrong.a0_nm = 1.0;
    expect_cli_error(&good, &wrong, 0, &["good.csv", "--a0-nm"]);

    expect_cli_error(&name("absent.csv"), &s, 0, &["absent.csv"]);
    std::fs::remove_dir_all(&dir).unwrap();
}
