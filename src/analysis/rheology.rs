//! Oscillatory rheology of a nanojunction: the force F(t) recorded while the lead–lead distance
//! is driven as h(t) = h0 + a0·sin(ωt) is fitted, over whole cycles after a transient, to
//!
//! ```text
//! F(t) = F0 + B·sin(ωt) + C·cos(ωt) = F0 + A_F·sin(ωt + φ),   A_F = √(B² + C²),  φ = atan2(C, B)
//! ```
//!
//! and turned into the complex modulus of Khosravi et al., "Understanding rheology of metal
//! nanocontacts" (2021), Methods and Fig. 3: with the contact area S, σ0 = A_F/S, ε0 = a0/h0,
//!
//! ```text
//! G = (σ0/ε0)·e^{iφ},   G' = (σ0/ε0)·cos φ,   G'' = (σ0/ε0)·sin φ.
//! ```
//!
//! Units: time in ps, h in Å, force in nN, area in nm²; 1 nN/nm² = 1 GPa, so G is in GPa.
//!
//! # Sign convention
//! F is the **tensile** force of the junction on the driven lead: positive when the junction
//! pulls the two leads towards each other (the paper's Fig. 2, where the intrinsic string tension
//! makes F0 > 0). An elastic junction pulls harder when stretched, F = F0 + k·(h − h0) with k > 0,
//! so it is in phase with the strain (φ = 0) and has G' > 0, G'' = 0. A dissipative junction's
//! force leads the strain (0 < φ < π, G'' > 0) and the driver does positive work on it:
//!
//! ```text
//! P = (1/τ)·∮ F dh = π·a0·A_F·sin φ / τ,   τ = 2π/ω.
//! ```
//!
//! # Phase reference
//! The phase φ is that of the force relative to the imposed motion: the `h` samples are fitted
//! with the same three functions, and φ = φ_F − φ_h (wrapped to (−π, π]). With h exactly
//! h0 + a0·sin(ωt), φ_h = 0 and φ is the phase of the formula above; a time column that does not
//! start at the drive's zero (a restarted LAMMPS run) gives the same φ. The imposed motion is
//! taken as exact: its fit contributes no error.
//!
//! # Error bars
//! Two estimates of the covariance of (F0, B, C) are made and, for every reported quantity, the
//! **larger** of the two propagated standard errors is reported:
//! - *Least squares*: s²·(XᵀX)⁻¹ with s² = RSS/(n − 3), the textbook error for independent
//!   samples.
//! - *Blocking*: each whole cycle is fitted on its own and the covariance of the mean of the M
//!   per-cycle (F0, B, C) is their sample covariance divided by M (Flyvbjerg–Petersen batch
//!   means, blocks of one cycle).
//!
//! Consecutive MD force samples are correlated (phonons of the junction, thermostat memory): the
//! least-squares error then underestimates the true error by up to √((1+ρ)/(1−ρ)) for a lag-one
//! correlation ρ (a factor 6 at ρ = 0.95). Cycle blocks are independent when the force
//! correlation time is short against the period, and their scatter measures the true error
//! whatever the correlation. Conversely a deterministic non-sinusoidal response (harmonics of the
//! stick–slip) inflates the least-squares residual but, being orthogonal to sin and cos over
//! whole cycles, does not move B and C: there the blocking error is the smaller and honest one,
//! and the least-squares error is a conservative bound. Blocking needs M ≥ 2 cycles and is a
//! rough estimate for few cycles (its relative spread is about 1/√(2(M−1))), which is why the
//! larger of the two is reported. Neither covers correlations slower than a cycle (structural
//! drift over many cycles); fit fewer, later cycles to check.
//!
//! Errors are propagated to derived quantities linearly (first-order Taylor, e.g.
//! var φ = (C²·var B + B²·var C − 2BC·cov(B,C))/A⁴), which holds while A_F is well above its
//! error. a0, h0, S and ω are taken as exact.

use std::f64::consts::PI;

use crate::error::{Error, Result};

/// 1 nN·Å/ps = 1e-9 N · 1e-10 m / 1e-12 s = 1e-7 W = 100 nW.
pub const NW_PER_NN_A_PER_PS: f64 = 100.0;

/// Angular frequency in rad/ps of a drive frequency in GHz: ω = 2π·f·1e-3.
pub fn omega_rad_per_ps(freq_ghz: f64) -> f64 {
    2.0 * PI * freq_ghz * 1e-3
}

/// A sampled oscillatory run: the time, the imposed lead–lead distance h and the tensile force.
#[derive(Clone, Debug, Default)]
pub struct Signal {
    /// Sample times, strictly increasing, ps.
    pub time_ps: Vec<f64>,
    /// Imposed lead–lead distance (or driven-lead coordinate) h(t), Å.
    pub h_a: Vec<f64>,
    /// Tensile force of the junction on the driven lead (positive = pulling the leads
    /// together), nN.
    pub force_nn: Vec<f64>,
}

/// A fitted value with its standard errors.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The estimate.
    pub value: f64,
    /// The reported standard error: the larger of `err_ols` and `err_block`.
    pub err: f64,
    /// Standard error from the least-squares covariance s²·(XᵀX)⁻¹ (independent samples).
    pub err_ols: f64,
    /// Standard error from the scatter of per-cycle fits; `None` with fewer than two cycles.
    pub err_block: Option<f64>,
}

impl Estimate {
    /// Propagate the covariances through the gradient `grad` of a function of (F0, B, C).
    fn propagate(value: f64, grad: [f64; 3], ols: &Cov3, block: Option<&Cov3>) -> Estimate {
        let err_ols = quad_form(grad, ols).max(0.0).sqrt();
        let err_block = block.map(|c| quad_form(grad, c).max(0.0).sqrt());
        Estimate {
            value,
            err: err_ols.max(err_block.unwrap_or(0.0)),
            err_ols,
            err_block,
        }
    }
}

/// A symmetric 3×3 covariance of (F0, B, C).
pub type Cov3 = [[f64; 3]; 3];

fn quad_form(g: [f64; 3], c: &Cov3) -> f64 {
    let mut s = 0.0;
    for i in 0..3 {
        for j in 0..3 {
            s += g[i] * c[i][j] * g[j];
        }
    }
    s
}

/// The samples used by a fit: `cycles` whole periods from `t_start_ps`, after skipping cycles
/// counted from the first sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CycleWindow {
    /// Start of the first cycle used, ps (the first sample time plus the skipped cycles).
    pub t_start_ps: f64,
    /// End of the last whole cycle, ps: `t_start_ps + cycles·τ`.
    pub t_end_ps: f64,
    /// Period τ = 2π/ω, ps.
    pub period_ps: f64,
    /// Number of whole cycles, at least one.
    pub cycles: usize,
    /// Index of the first sample in the window.
    pub first: usize,
    /// One past the index of the last sample in the window (samples at `t_end_ps` belong to
    /// the next cycle: every cycle covers the half-open [start, start + τ)).
    pub end: usize,
    /// Round-off tolerance on times used to assign samples to cycles, ps.
    pub tol_ps: f64,
}

impl CycleWindow {
    /// The whole cycles of `time_ps` after skipping `skip_cycles` periods from the first
    /// sample. Errors: times not strictly increasing or not finite, a bad ω, fewer than one
    /// whole cycle left, or fewer than four samples in some cycle (the sampling does not
    /// resolve the frequency).
    pub fn new(time_ps: &[f64], omega_rad_per_ps: f64, skip_cycles: usize) -> Result<CycleWindow> {
        if !(omega_rad_per_ps.is_finite() && omega_rad_per_ps > 0.0) {
            return Err(Error::run(format!(
                "the angular frequency must be positive and finite, got {omega_rad_per_ps} rad/ps"
            )));
        }
        if time_ps.len() < 4 {
            return Err(Error::run(format!(
                "{} samples: a sinusoidal fit needs at least 4",
                time_ps.len()
            )));
        }
        for (k, w) in time_ps.windows(2).enumerate() {
            if !(w[0].is_finite() && w[1].is_finite() && w[1] > w[0]) {
                return Err(Error::run(format!(
                    "sample times must be finite and strictly increasing: sample {} at {} ps \
                     follows {} ps",
                    k + 1,
                    w[1],
                    w[0]
                )));
            }
        }
        let period = 2.0 * PI / omega_rad_per_ps;
        let mut dts: Vec<f64> = time_ps.windows(2).map(|w| w[1] - w[0]).collect();
        dts.sort_by(f64::total_cmp);
        let tol = 0.01 * dts[dts.len() / 2];
        let t0 = time_ps[0];
        let t_last = time_ps[time_ps.len() - 1];
        let t_start = t0 + skip_cycles as f64 * period;
        let span = t_last - t_start;
        let cycles = ((span + tol) / period).floor();
        if cycles.is_nan() || cycles < 1.0 {
            return Err(Error::run(format!(
                "fewer than one whole cycle after skipping {skip_cycles}: the samples span \
                 {:.6} ps, a cycle is {period:.6} ps, so at least {:.6} ps are needed",
                t_last - t0,
                (skip_cycles as f64 + 1.0) * period
            )));
        }
        if cycles > (time_ps.len() / 4) as f64 {
            return Err(Error::run(format!(
                "{} samples for {cycles} cycles of {period:.3e} ps: at least 4 per cycle are \
                 needed to resolve the frequency",
                time_ps.len()
            )));
        }
        let cycles = cycles as usize;
        let t_end = t_start + cycles as f64 * period;
        let first = time_ps.partition_point(|&t| t < t_start - tol);
        let end = time_ps.partition_point(|&t| t < t_end - tol);
        let w = CycleWindow {
            t_start_ps: t_start,
            t_end_ps: t_end,
            period_ps: period,
            cycles,
            first,
            end,
            tol_ps: tol,
        };
        for (c, r) in w.cycle_ranges(time_ps).iter().enumerate() {
            if r.len() < 4 {
                return Err(Error::run(format!(
                    "cycle {} after the skipped ones ({:.6} to {:.6} ps) holds {} samples: at \
                     least 4 per cycle are needed to resolve a period of {period:.6} ps",
                    c + 1,
                    t_start + c as f64 * period,
                    t_start + (c + 1) as f64 * period,
                    r.len()
                )));
            }
        }
        Ok(w)
    }

    /// Index ranges of the samples of each cycle in the window.
    pub fn cycle_ranges(&self, time_ps: &[f64]) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::with_capacity(self.cycles);
        let mut lo = self.first;
        for c in 0..self.cycles {
            let t_hi = self.t_start_ps + (c + 1) as f64 * self.period_ps - self.tol_ps;
            let hi = if c + 1 == self.cycles {
                self.end
            } else {
                lo + time_ps[lo..self.end].partition_point(|&t| t < t_hi)
            };
            out.push(lo..hi);
            lo = hi;
        }
        out
    }
}

/// The plain least-squares fit of y = F0 + B·sin(ωt) + C·cos(ωt) to samples: the coefficients,
/// the covariance s²·(XᵀX)⁻¹ and the residual sum of squares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearFit {
    /// (F0, B, C).
    pub coef: [f64; 3],
    /// Covariance of `coef` for independent samples.
    pub cov: Cov3,
    /// Residual sum of squares.
    pub rss: f64,
    /// Number of samples.
    pub n: usize,
}

/// Least-squares fit of y(t) = F0 + B·sin(ωt) + C·cos(ωt) by the normal equations. Error if
/// fewer than 4 samples or the three functions are not independent on the sample times.
pub fn fit_linear(time_ps: &[f64], y: &[f64], omega_rad_per_ps: f64) -> Result<LinearFit> {
    let n = time_ps.len().min(y.len());
    if n < 4 {
        return Err(Error::run(format!(
            "{n} samples: a sinusoidal fit needs at least 4"
        )));
    }
    let mut xtx = [[0.0; 3]; 3];
    let mut xty = [0.0; 3];
    let basis = |t: f64| {
        let (s, c) = (omega_rad_per_ps * t).sin_cos();
        [1.0, s, c]
    };
    for k in 0..n {
        let x = basis(time_ps[k]);
        for i in 0..3 {
            xty[i] += x[i] * y[k];
            for j in 0..3 {
                xtx[i][j] += x[i] * x[j];
            }
        }
    }
    let inv = invert_sym3(&xtx).ok_or_else(|| {
        Error::run(format!(
            "the {n} sample times do not resolve a sinusoid of period {:.6} ps",
            2.0 * PI / omega_rad_per_ps
        ))
    })?;
    let mut coef = [0.0; 3];
    for i in 0..3 {
        coef[i] = (0..3).map(|j| inv[i][j] * xty[j]).sum();
    }
    let mut rss = 0.0;
    for k in 0..n {
        let x = basis(time_ps[k]);
        let r = y[k] - (coef[0] * x[0] + coef[1] * x[1] + coef[2] * x[2]);
        rss += r * r;
    }
    let s2 = rss / (n - 3) as f64;
    let mut cov = inv;
    for row in cov.iter_mut() {
        for v in row.iter_mut() {
            *v *= s2;
        }
    }
    Ok(LinearFit { coef, cov, rss, n })
}

/// Inverse of a symmetric positive-definite 3×3 matrix by cofactors; `None` when it is
/// singular to working precision (relative to the size of its entries).
fn invert_sym3(m: &[[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let c = |i: usize, j: usize| {
        let (i1, i2) = ((i + 1) % 3, (i + 2) % 3);
        let (j1, j2) = ((j + 1) % 3, (j + 2) % 3);
        m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]
    };
    let det = m[0][0] * c(0, 0) + m[0][1] * c(0, 1) + m[0][2] * c(0, 2);
    let scale = m[0][0] * m[1][1] * m[2][2];
    if !(det.is_finite() && scale > 0.0 && det > 1e-10 * scale) {
        return None;
    }
    let mut inv = [[0.0; 3]; 3];
    for (i, row) in inv.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = c(j, i) / det;
        }
    }
    Some(inv)
}

/// A sinusoid fitted over whole cycles, with both error estimates.
#[derive(Clone, Debug, PartialEq)]
pub struct HarmonicFit {
    /// The cycles used.
    pub window: CycleWindow,
    /// Mean value F0.
    pub offset: Estimate,
    /// Coefficient B of sin(ωt).
    pub sin_coef: Estimate,
    /// Coefficient C of cos(ωt).
    pub cos_coef: Estimate,
    /// Amplitude A = √(B² + C²).
    pub amplitude: Estimate,
    /// Phase φ = atan2(C, B) in (−π, π], so that y = F0 + A·sin(ωt + φ).
    pub phase_rad: Estimate,
    /// Least-squares covariance of (F0, B, C).
    pub cov_ols: Cov3,
    /// Covariance of the mean of the per-cycle (F0, B, C); `None` with one cycle.
    pub cov_block: Option<Cov3>,
    /// Root mean square of the residual y − fit over the window.
    pub residual_rms: f64,
    /// `residual_rms / A`: the non-sinusoidal residual (noise and harmonics) relative to the
    /// amplitude.
    pub residual_rel: f64,
    /// Number of samples in the window.
    pub samples: usize,
}

impl HarmonicFit {
    /// Fit y(t) = F0 + B·sin(ωt) + C·cos(ωt) over the whole cycles of `window`, with the
    /// least-squares and per-cycle blocking error estimates (see the module documentation).
    pub fn fit(
        time_ps: &[f64],
        y: &[f64],
        omega_rad_per_ps: f64,
        window: CycleWindow,
    ) -> Result<HarmonicFit> {
        let (t, yw) = (
            &time_ps[window.first..window.end],
            &y[window.first..window.end],
        );
        let all = fit_linear(t, yw, omega_rad_per_ps)?;
        let cov_block = if window.cycles >= 2 {
            let mut per_cycle = Vec::with_capacity(window.cycles);
            for r in window.cycle_ranges(time_ps) {
                per_cycle.push(fit_linear(&time_ps[r.clone()], &y[r], omega_rad_per_ps)?.coef);
            }
            Some(mean_covariance(&per_cycle))
        } else {
            None
        };
        Ok(Self::from_coefficients(
            window, all.coef, all.cov, cov_block, all.rss, all.n,
        ))
    }

    fn from_coefficients(
        window: CycleWindow,
        coef: [f64; 3],
        cov_ols: Cov3,
        cov_block: Option<Cov3>,
        rss: f64,
        samples: usize,
    ) -> HarmonicFit {
        let [f0, b, c] = coef;
        let cb = cov_block.as_ref();
        let amp = b.hypot(c);
        let a2 = (amp * amp).max(f64::MIN_POSITIVE);
        let ampl_grad = if amp > 0.0 {
            [0.0, b / amp, c / amp]
        } else {
            [0.0, 1.0, 0.0]
        };
        let residual_rms = (rss / samples as f64).sqrt();
        HarmonicFit {
            window,
            offset: Estimate::propagate(f0, [1.0, 0.0, 0.0], &cov_ols, cb),
            sin_coef: Estimate::propagate(b, [0.0, 1.0, 0.0], &cov_ols, cb),
            cos_coef: Estimate::propagate(c, [0.0, 0.0, 1.0], &cov_ols, cb),
            amplitude: Estimate::propagate(amp, ampl_grad, &cov_ols, cb),
            phase_rad: Estimate::propagate(c.atan2(b), [0.0, -c / a2, b / a2], &cov_ols, cb),
            cov_ols,
            cov_block,
            residual_rms,
            residual_rel: residual_rms / amp,
            samples,
        }
    }

    /// The same fit expressed against a phase reference φ_ref: coefficients rotated so that
    /// y = F0 + B'·sin(ωt + φ_ref) + C'·cos(ωt + φ_ref), phase φ − φ_ref wrapped to (−π, π].
    /// The reference is taken as exact.
    pub fn relative_to(&self, phase_ref_rad: f64) -> HarmonicFit {
        let (s, c) = phase_ref_rad.sin_cos();
        // (F0, B', C') = R·(F0, B, C): B' = B cos φr + C sin φr, C' = −B sin φr + C cos φr.
        let r = [[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]];
        let rot = |m: &Cov3| {
            let mut out = [[0.0; 3]; 3];
            for i in 0..3 {
                for j in 0..3 {
                    out[i][j] = (0..3)
                        .flat_map(|k| (0..3).map(move |l| (k, l)))
                        .map(|(k, l)| r[i][k] * m[k][l] * r[j][l])
                        .sum();
                }
            }
            out
        };
        let coef = [
            self.offset.value,
            c * self.sin_coef.value + s * self.cos_coef.value,
            -s * self.sin_coef.value + c * self.cos_coef.value,
        ];
        let rss = self.residual_rms * self.residual_rms * self.samples as f64;
        Self::from_coefficients(
            self.window,
            coef,
            rot(&self.cov_ols),
            self.cov_block.as_ref().map(rot),
            rss,
            self.samples,
        )
    }
}

/// Covariance of the mean of `m` ≥ 2 vectors: their sample covariance divided by m.
fn mean_covariance(v: &[[f64; 3]]) -> Cov3 {
    let m = v.len() as f64;
    let mut mean = [0.0; 3];
    for p in v {
        for i in 0..3 {
            mean[i] += p[i] / m;
        }
    }
    let mut cov = [[0.0; 3]; 3];
    for p in v {
        for i in 0..3 {
            for j in 0..3 {
                cov[i][j] += (p[i] - mean[i]) * (p[j] - mean[j]) / (m * (m - 1.0));
            }
        }
    }
    cov
}

/// The drive and geometry of an oscillatory run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drive {
    /// Angular frequency ω, rad/ps (see [`omega_rad_per_ps`]).
    pub omega_rad_per_ps: f64,
    /// Strain amplitude a0 of h(t) = h0 + a0·sin(ωt), nm.
    pub a0_nm: f64,
    /// Reference length h0 (or the neck length d0 for the true strain), nm.
    pub h0_nm: f64,
    /// Contact area S (minimal cross-section), nm².
    pub area_nm2: f64,
    /// Cycles skipped from the first sample before fitting (transient).
    pub skip_cycles: usize,
}

/// The complex modulus and power of one oscillatory run.
#[derive(Clone, Debug, PartialEq)]
pub struct Rheology {
    /// The force fit with its phase relative to the imposed motion (φ_h subtracted): `offset`
    /// is F0, `amplitude` is A_F = σ0·S, `phase_rad` is φ, `sin_coef` = A_F·cos φ and
    /// `cos_coef` = A_F·sin φ, all in nN / rad.
    pub force: HarmonicFit,
    /// Phase φ_h of the h samples at ω (0 when h = h0 + a0·sin(ωt) exactly), rad.
    pub h_phase_rad: f64,
    /// Amplitude of the h samples at ω, Å.
    pub h_amplitude_a: f64,
    /// Strain amplitude ε0 = a0/h0.
    pub strain_amplitude: f64,
    /// Stress amplitude σ0 = A_F/S, GPa.
    pub stress_amplitude_gpa: Estimate,
    /// Storage modulus G' = (σ0/ε0)·cos φ, GPa.
    pub g_storage_gpa: Estimate,
    /// Loss modulus G'' = (σ0/ε0)·sin φ, GPa.
    pub g_loss_gpa: Estimate,
    /// Mean mechanical power (1/(Mτ))·∫F dh over the M whole cycles, from the samples by the
    /// trapezoid rule in h, nW.
    pub power_nw: f64,
    /// The same from the fit, π·a_h·A_F·sin φ/τ with the fitted h amplitude a_h, nW.
    pub power_fit_nw: Estimate,
}

impl Rheology {
    /// Fit the force of `signal` and derive σ0, G', G'' and the power (module documentation).
    /// Errors: inconsistent column lengths, bad drive parameters, too few samples or cycles,
    /// an h column that does not oscillate at ω with amplitude a0 (within 5 %: catches Å/nm
    /// mix-ups and a wrong frequency).
    pub fn analyze(signal: &Signal, drive: &Drive) -> Result<Rheology> {
        let n = signal.time_ps.len();
        if signal.h_a.len() != n || signal.force_nn.len() != n {
            return Err(Error::run(format!(
                "signal columns differ in length: {n} times, {} h, {} forces",
                signal.h_a.len(),
                signal.force_nn.len()
            )));
        }
        for (name, v) in [
            ("--a0-nm", drive.a0_nm),
            ("--h0-nm", drive.h0_nm),
            ("--area-nm2", drive.area_nm2),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::run(format!(
                    "{name} must be a positive number, got {v}"
                )));
            }
        }
        let omega = drive.omega_rad_per_ps;
        let window = CycleWindow::new(&signal.time_ps, omega, drive.skip_cycles)?;
        let h_fit = HarmonicFit::fit(&signal.time_ps, &signal.h_a, omega, window)?;
        let a0_a = 10.0 * drive.a0_nm;
        let a_h = h_fit.amplitude.value;
        if a_h.is_nan() || (a_h - a0_a).abs() > 0.05 * a0_a {
            return Err(Error::run(format!(
                "the h_A column oscillates at {:.6} GHz with amplitude {a_h:.6} Å, but \
                 --a0-nm gives {a0_a:.6} Å (h_A is in Å, a0 in nm; check the frequency too)",
                omega / (2.0 * PI * 1e-3)
            )));
        }
        let h_phase = h_fit.phase_rad.value;
        let raw = HarmonicFit::fit(&signal.time_ps, &signal.force_nn, omega, window)?;
        let force = raw.relative_to(h_phase);
        let eps0 = drive.a0_nm / drive.h0_nm;
        let g_scale = 1.0 / (drive.area_nm2 * eps0);
        let scale = |e: &Estimate, s: f64| Estimate {
            value: e.value * s,
            err: e.err * s.abs(),
            err_ols: e.err_ols * s.abs(),
            err_block: e.err_block.map(|x| x * s.abs()),
        };
        let power_fit_scale = PI * a_h / window.period_ps * NW_PER_NN_A_PER_PS;
        let power_nw = loop_power_nw(signal, &window, force.offset.value);
        Ok(Rheology {
            h_phase_rad: h_phase,
            h_amplitude_a: a_h,
            strain_amplitude: eps0,
            stress_amplitude_gpa: scale(&force.amplitude, 1.0 / drive.area_nm2),
            g_storage_gpa: scale(&force.sin_coef, g_scale),
            g_loss_gpa: scale(&force.cos_coef, g_scale),
            power_nw,
            power_fit_nw: scale(&force.cos_coef, power_fit_scale),
            force,
        })
    }
}

/// Mean power (1/(Mτ))·∫(F − F0) dh over the window's whole cycles by the trapezoid rule in h,
/// the end points linearly interpolated onto the window's bounds, in nW. Subtracting the fitted
/// F0 changes nothing for a closed loop (∮F0 dh = 0) and removes the F0·(h_end − h_start)
/// round-off of an interpolated end point.
fn loop_power_nw(signal: &Signal, window: &CycleWindow, f0: f64) -> f64 {
    let (t, h, f) = (&signal.time_ps, &signal.h_a, &signal.force_nn);
    let at = |x: f64| -> (f64, f64) {
        // Linear interpolation at time x (clamped to the samples).
        let k = t.partition_point(|&s| s <= x);
        if k == 0 {
            return (h[0], f[0]);
        }
        if k >= t.len() {
            return (h[t.len() - 1], f[t.len() - 1]);
        }
        let w = (x - t[k - 1]) / (t[k] - t[k - 1]);
        (
            h[k - 1] + w * (h[k] - h[k - 1]),
            f[k - 1] + w * (f[k] - f[k - 1]),
        )
    };
    let mut pts: Vec<(f64, f64)> = Vec::with_capacity(window.end - window.first + 2);
    pts.push(at(window.t_start_ps));
    for k in window.first..window.end {
        if t[k] > window.t_start_ps + window.tol_ps {
            pts.push((h[k], f[k]));
        }
    }
    pts.push(at(window.t_end_ps));
    let work: f64 = pts
        .windows(2)
        .map(|p| 0.5 * (p[0].1 + p[1].1 - 2.0 * f0) * (p[1].0 - p[0].0))
        .sum();
    work / (window.cycles as f64 * window.period_ps) * NW_PER_NN_A_PER_PS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synth(n_per_cycle: usize, cycles: usize, f0: f64, b: f64, c: f64) -> Signal {
        let omega = omega_rad_per_ps(10.0);
        let dt = 2.0 * PI / omega / n_per_cycle as f64;
        let mut s = Signal::default();
        for k in 0..=n_per_cycle * cycles {
            let t = k as f64 * dt;
            s.time_ps.push(t);
            s.h_a.push(27.5 + 1.0 * (omega * t).sin());
            s.force_nn
                .push(f0 + b * (omega * t).sin() + c * (omega * t).cos());
        }
        s
    }

    #[test]
    fn exact_sinusoid_is_recovered_to_round_off() {
        let s = synth(50, 4, 2.5, 0.3, -0.4);
        let w = CycleWindow::new(&s.time_ps, omega_rad_per_ps(10.0), 1).unwrap();
        assert_eq!(w.cycles, 3);
        assert_eq!(w.end - w.first, 150);
        for r in w.cycle_ranges(&s.time_ps) {
            assert_eq!(r.len(), 50);
        }
        let fit = HarmonicFit::fit(&s.time_ps, &s.force_nn, omega_rad_per_ps(10.0), w).unwrap();
        assert!((fit.offset.value - 2.5).abs() < 1e-12);
        assert!((fit.amplitude.value - 0.5).abs() < 1e-12);
        assert!((fit.phase_rad.value - (-0.4f64).atan2(0.3)).abs() < 1e-12);
        assert!(fit.residual_rel < 1e-12);
        assert!(fit.offset.err < 1e-12 && fit.cov_block.is_some());
    }

    #[test]
    fn power_of_the_loop_matches_the_fit() {
        // F = F0 + A sin(ωt + φ) with h = h0 + a sin(ωt): ∮F dh = π a A sin φ.
        let s = synth(200, 3, 3.0, 0.2, 0.1);
        let drive = Drive {
            omega_rad_per_ps: omega_rad_per_ps(10.0),
            a0_nm: 0.1,
            h0_nm: 2.75,
            area_nm2: 0.6,
            skip_cycles: 0,
        };
        let r = Rheology::analyze(&s, &drive).unwrap();
        let expect = PI * 1.0 * 0.1 / 100.0 * NW_PER_NN_A_PER_PS;
        assert!((r.power_fit_nw.value - expect).abs() < 1e-10 * expect);
        assert!(
            (r.power_nw - expect).abs() < 1e-3 * expect,
            "{}",
            r.power_nw
        );
        assert!((r.g_storage_gpa.value - 0.2 / 0.6 / (0.1 / 2.75)).abs() < 1e-9);
        assert!((r.g_loss_gpa.value - 0.1 / 0.6 / (0.1 / 2.75)).abs() < 1e-9);
    }

    #[test]
    fn window_errors() {
        let om = omega_rad_per_ps(10.0);
        let t: Vec<f64> = (0..60).map(|k| k as f64 * 2.0).collect();
        assert!(CycleWindow::new(&t, om, 0).is_ok());
        assert!(CycleWindow::new(&t, om, 1).is_err());
        assert!(CycleWindow::new(&t[..3], om, 0).is_err());
        assert!(CycleWindow::new(&t, -1.0, 0).is_err());
        assert!(CycleWindow::new(&t, 1e300, 0).is_err());
        assert!(CycleWindow::new(&t, f64::NAN, 0).is_err());
        assert!(CycleWindow::new(&t, om, usize::MAX).is_err());
        let coarse: Vec<f64> = (0..60).map(|k| k as f64 * 40.0).collect();
        assert!(CycleWindow::new(&coarse, om, 0).is_err());
        let mut back = t.clone();
        back[10] = back[9];
        assert!(CycleWindow::new(&back, om, 0).is_err());
    }

    #[test]
    fn non_commensurate_sampling_counts_whole_cycles() {
        // 37.3 samples per cycle: cycles hold 37 or 38 samples; the window ends on a boundary.
        let om = omega_rad_per_ps(10.0);
        let dt = 100.0 / 37.3;
        let t: Vec<f64> = (0..400).map(|k| k as f64 * dt).collect();
        let w = CycleWindow::new(&t, om, 2).unwrap();
        assert_eq!(w.cycles, 8);
        let n: usize = w.cycle_ranges(&t).iter().map(|r| r.len()).sum();
        assert_eq!(n, w.end - w.first);
        assert!(t[w.end - 1] < w.t_end_ps && w.t_end_ps <= t[w.end.min(t.len() - 1)] + 1e-9);
    }
}
