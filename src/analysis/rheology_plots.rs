//! The figures of `nanocontact analyze rheology RUN`, written beside `rheology.csv`, after
//! Khosravi et al., "Understanding rheology of metal nanocontacts" (2021):
//!
//! - `rheology_force_stage{S}.png` (their Fig. 2): for each analysed stage S, the imposed
//!   motion a(t) = h(t) − h̄ above, and below the force samples with the fitted
//!   F(t) = F0 + A_F·sin(ωt + φ_h + φ) over the fitted cycles;
//! - `rheology_G_{f}GHz.png` (Fig. 3a): G' and G'' with their error bars against a0, one figure
//!   per drive frequency f; consecutive stages at that frequency with increasing a0 (a sweep)
//!   are joined by lines; with the neck areas measured (`--neck-area`), the same with
//!   σ0 = A_F/S_neck in `rheology_G_neck_{f}GHz.png`;
//! - `rheology_loop_stage{S}.png` (Fig. 4): force against strain ε = (h − h̄)/h0 over the
//!   fitted cycles, blue while the strain grows (dε/dt > 0) and red while it falls, with the
//!   ellipse of the fit, ε = ε_h·sin θ, F = F0 + A_F·sin(θ + φ), in black.
//!
//! h̄ is the mean of the h samples over the fitted cycles, and ε_h = a_h/h0 with the fitted
//! amplitude a_h of h. The direction of the strain is that of the imposed motion,
//! sign cos(ωt + φ_h).

use std::f64::consts::PI;
use std::path::{Path, PathBuf};

use super::rheology::{Rheology, Signal};
use super::zigzag::{fit_storage_modulus, Thresholds, ZigZag, ZigZagFit};
use crate::error::Result;
use crate::plot::{Color, Figure, Panel};

/// One analysed oscillation stage: its signal (t in ps, h in Å, F in nN) and fit.
#[derive(Clone, Debug)]
pub struct StageFit {
    /// Stage number in `stages.csv`.
    pub stage: usize,
    /// Drive amplitude a0, nm.
    pub a0_nm: f64,
    /// Drive frequency, GHz.
    pub freq_ghz: f64,
    /// Reference length h0 of the strain, nm.
    pub h0_nm: f64,
    /// The area S of the fit (σ0 = A_F/S), nm².
    pub area_nm2: f64,
    /// The neck's area at the start of the stage, where measured, nm².
    pub neck_area_nm2: Option<f64>,
    pub signal: Signal,
    pub fit: Rheology,
}

impl StageFit {
    /// Indices of the samples in the fitted cycles.
    fn window(&self) -> std::ops::Range<usize> {
        let w = &self.fit.force.window;
        w.first..w.end
    }

    /// The fitted cycles and the first sample after them, which closes the last loop.
    fn window_closed(&self) -> std::ops::Range<usize> {
        let w = self.window();
        w.start..(w.end + 1).min(self.signal.time_ps.len())
    }

    /// Mean of h over the fitted cycles, Å.
    fn h_mean(&self) -> f64 {
        let r = self.window();
        let n = r.len().max(1) as f64;
        self.signal.h_a[r].iter().sum::<f64>() / n
    }

    /// ω, rad/ps, from the fitted period.
    fn omega(&self) -> f64 {
        2.0 * PI / self.fit.force.window.period_ps
    }

    /// The fitted force at time t, nN.
    fn fitted_force(&self, t: f64) -> f64 {
        let f = &self.fit.force;
        let theta = self.omega() * t + self.fit.h_phase_rad;
        f.offset.value + f.amplitude.value * (theta + f.phase_rad.value).sin()
    }

    /// (G', G'') with their errors, GPa: of the fit, or rescaled to the neck area
    /// (G ∝ 1/S); `None` for the neck when it was not measured.
    fn moduli(&self, neck: bool) -> Option<[f64; 4]> {
        let k = if neck {
            self.area_nm2 / self.neck_area_nm2?
        } else {
            1.0
        };
        let (gs, gl) = (&self.fit.g_storage_gpa, &self.fit.g_loss_gpa);
        Some([gs.value * k, gs.err * k, gl.value * k, gl.err * k])
    }

    fn describe(&self) -> String {
        format!(
            "stage {}: a0 = {} nm, {} GHz",
            self.stage,
            trim(self.a0_nm),
            trim(self.freq_ghz)
        )
    }
}

/// A number without trailing zeros (up to 6 significant decimals).
fn trim(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Fig. 2: a(t) above, the force samples and the fitted sinusoid below.
pub fn force_figure(s: &StageFit) -> Figure {
    let sig = &s.signal;
    let h_mean = s.h_mean();
    let a_nm: Vec<f64> = sig.h_a.iter().map(|h| 0.1 * (h - h_mean)).collect();
    let w = &s.fit.force.window;
    let n = 60 * w.cycles + 1;
    let t_fit: Vec<f64> = (0..n)
        .map(|k| w.t_start_ps + (w.t_end_ps - w.t_start_ps) * k as f64 / (n - 1) as f64)
        .collect();
    let f_fit: Vec<f64> = t_fit.iter().map(|&t| s.fitted_force(t)).collect();
    let f = &s.fit.force;
    let top = Panel::new("t (ps)", "a(t) (nm)")
        .dashed("imposed a(t) = h(t) − h̄", &sig.time_ps, &a_nm)
        .color(Color::BLUE)
        .hline(0.0);
    let bottom = Panel::new("t (ps)", "F (nN)")
        .points("force between the leads", &sig.time_ps, &sig.force_nn)
        .color(Color::GRAY)
        .marker(1.5)
        .line(
            &format!(
                "fit: F0 = {:.2} nN, A = {:.2} nN, φ = {:.2} rad",
                f.offset.value, f.amplitude.value, f.phase_rad.value
            ),
            &t_fit,
            &f_fit,
        )
        .color(Color::BLACK)
        .hline(0.0);
    Figure::stacked(
        format!("F(t) and its fit, {}", s.describe()),
        vec![top, bottom],
    )
}

/// Fig. 4: force against strain, by direction of the strain, and the fit's ellipse.
pub fn loop_figure(s: &StageFit) -> Figure {
    let sig = &s.signal;
    let h0_a = 10.0 * s.h0_nm;
    let h_mean = s.h_mean();
    let omega = s.omega();
    let mut panel = Panel::new("strain ε = (h − h̄)/h0 (%)", "F (nN)");
    // Runs of samples with the same direction of the imposed motion; each run starts at the
    // last sample of the previous one so that the trajectory is continuous.
    let r = s.window_closed();
    let rising = |k: usize| (omega * sig.time_ps[k] + s.fit.h_phase_rad).cos() >= 0.0;
    let mut runs: Vec<(bool, Vec<usize>)> = Vec::new();
    for k in r {
        match runs.last_mut() {
            Some((dir, idx)) if *dir == rising(k) => idx.push(k),
            Some((_, idx)) => {
                let start = *idx.last().unwrap_or(&k);
                runs.push((rising(k), vec![start, k]));
            }
            None => runs.push((rising(k), vec![k])),
        }
    }
    let (mut up_labelled, mut down_labelled) = (false, false);
    for (up, idx) in &runs {
        let eps: Vec<f64> = idx
            .iter()
            .map(|&k| 100.0 * (sig.h_a[k] - h_mean) / h0_a)
            .collect();
        let force: Vec<f64> = idx.iter().map(|&k| sig.force_nn[k]).collect();
        let (label, color, done) = if *up {
            ("dε/dt > 0", Color::BLUE, &mut up_labelled)
        } else {
            ("dε/dt < 0", Color::RED, &mut down_labelled)
        };
        panel = panel
            .line(if *done { "" } else { label }, &eps, &force)
            .color(color)
            .stroke(1.5);
        *done = true;
    }
    let f = &s.fit.force;
    let eps_h = 100.0 * s.fit.h_amplitude_a / h0_a;
    let theta: Vec<f64> = (0..=200).map(|k| 2.0 * PI * k as f64 / 200.0).collect();
    let ell_e: Vec<f64> = theta.iter().map(|t| eps_h * t.sin()).collect();
    let ell_f: Vec<f64> = theta
        .iter()
        .map(|t| f.offset.value + f.amplitude.value * (t + f.phase_rad.value).sin())
        .collect();
    panel = panel
        .line("fit F0 + A·sin(θ + φ)", &ell_e, &ell_f)
        .color(Color::BLACK)
        .hline(0.0);
    Figure::new(format!("Force–strain loops, {}", s.describe()), panel)
}

/// Fig. 3a: G' and G'' against a0 for the stages at frequency `freq_ghz`, with the area of the
/// fit or (`neck`) the neck areas; stages without a measured neck are left out of the latter.
/// `zigzag`: the fitted model of Eqs. (3)–(4), drawn as a dashed G'(a0) curve.
pub fn moduli_figure(
    stages: &[&StageFit],
    freq_ghz: f64,
    neck: bool,
    zigzag: Option<&ZigZag>,
) -> Figure {
    let stages: Vec<(&StageFit, [f64; 4])> = stages
        .iter()
        .filter_map(|s| s.moduli(neck).map(|g| (*s, g)))
        .collect();
    let mut panel = Panel::new("a0 (nm)", "G′, G″ (GPa)");
    // Sweeps: consecutive stages with increasing a0.
    let mut sweeps: Vec<Vec<(f64, [f64; 4])>> = Vec::new();
    for (s, g) in &stages {
        match sweeps.last_mut() {
            Some(sw) if sw.last().is_some_and(|p| s.a0_nm > p.0) => sw.push((s.a0_nm, *g)),
            _ => sweeps.push(vec![(s.a0_nm, *g)]),
        }
    }
    for sw in sweeps.iter().filter(|sw| sw.len() > 1) {
        let x: Vec<f64> = sw.iter().map(|p| p.0).collect();
        let ys: Vec<f64> = sw.iter().map(|p| p.1[0]).collect();
        let yl: Vec<f64> = sw.iter().map(|p| p.1[2]).collect();
        panel = panel
            .line("", &x, &ys)
            .color(Color::BLUE)
            .line("", &x, &yl)
            .color(Color::RED);
    }
    let col = |k: usize| stages.iter().map(|(_, g)| g[k]).collect::<Vec<f64>>();
    let a0: Vec<f64> = stages.iter().map(|(s, _)| s.a0_nm).collect();
    if let (Some(z), Some(first)) = (zigzag, stages.first()) {
        let h0 = first.0.h0_nm;
        let a_max = a0.iter().cloned().fold(0.0, f64::max);
        let x: Vec<f64> = (1..=200).map(|k| a_max * k as f64 / 200.0).collect();
        let y: Vec<f64> = x.iter().map(|a| z.storage_modulus_gpa(a / h0)).collect();
        panel = panel
            .dashed("zig-zag model, Eq. (4)", &x, &y)
            .color(Color::BLACK);
    }
    panel = panel
        .errorbars("G′ (storage)", &a0, &col(0), &col(1))
        .color(Color::BLUE)
        .errorbars("G″ (loss)", &a0, &col(2), &col(3))
        .color(Color::RED)
        .hline(0.0);
    let h0 = stages.first().map_or(0.0, |s| s.0.h0_nm);
    let area = if neck {
        "S = neck area at each stage's start".to_string()
    } else {
        let s = stages.first().map_or(0.0, |s| s.0.area_nm2);
        format!("S = {} nm²", trim((s * 1e4).round() / 1e4))
    };
    Figure::new(
        format!(
            "G′, G″ against a0 at {} GHz (h0 = {} nm, {area})",
            trim(freq_ghz),
            trim(h0)
        ),
        panel,
    )
}

/// The frequencies of the stages, in order of first appearance.
pub fn frequencies(stages: &[StageFit]) -> Vec<f64> {
    let mut freqs: Vec<f64> = Vec::new();
    for s in stages {
        if !freqs.contains(&s.freq_ghz) {
            freqs.push(s.freq_ghz);
        }
    }
    freqs
}

/// The zig-zag model (Eq. (4), equal thresholds |ε_b| = ε_n) fitted to G'(ε0) of the stages at
/// frequency `freq_ghz` with the nominal area, weighted by their errors; `None` with fewer than
/// four stages or when the fit fails (logged).
pub fn zigzag_fit(stages: &[StageFit], freq_ghz: f64) -> Option<ZigZagFit> {
    let at_f: Vec<&StageFit> = stages.iter().filter(|s| s.freq_ghz == freq_ghz).collect();
    if at_f.len() < 4 {
        return None;
    }
    let eps0: Vec<f64> = at_f.iter().map(|s| s.a0_nm / s.h0_nm).collect();
    let g: Vec<f64> = at_f.iter().map(|s| s.fit.g_storage_gpa.value).collect();
    let err: Vec<f64> = at_f.iter().map(|s| s.fit.g_storage_gpa.err).collect();
    match fit_storage_modulus(&eps0, &g, Some(&err), Thresholds::Equal) {
        Ok(f) => Some(f),
        Err(e) => {
            log::warn!("zig-zag fit at {freq_ghz} GHz: {e}");
            None
        }
    }
}

/// Write every figure into `dir` (the G'(a0) figures with the zig-zag fit of each frequency,
/// `zigzag`, where there is one); returns the files written.
pub fn write_all(
    dir: &Path,
    stages: &[StageFit],
    zigzag: &[(f64, ZigZagFit)],
) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for f in frequencies(stages) {
        let at_f: Vec<&StageFit> = stages.iter().filter(|s| s.freq_ghz == f).collect();
        let zz = zigzag.iter().find(|z| z.0 == f).map(|z| &z.1.model);
        let path = dir.join(format!("rheology_G_{}GHz.png", trim(f)));
        moduli_figure(&at_f, f, false, zz).save_png(&path)?;
        files.push(path);
        if at_f.iter().any(|s| s.neck_area_nm2.is_some()) {
            let path = dir.join(format!("rheology_G_neck_{}GHz.png", trim(f)));
            moduli_figure(&at_f, f, true, None).save_png(&path)?;
            files.push(path);
        }
    }
    for s in stages {
        let path = dir.join(format!("rheology_force_stage{}.png", s.stage));
        force_figure(s).save_png(&path)?;
        files.push(path);
        let path = dir.join(format!("rheology_loop_stage{}.png", s.stage));
        loop_figure(s).save_png(&path)?;
        files.push(path);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rheology::{omega_rad_per_ps, Drive};

    const PER_CYCLE: usize = 60;

    /// Four 10 GHz cycles of h = 27.5 Å + a·sin(ωt) and F = F0 + B sin(ωt) + C cos(ωt) plus a
    /// third harmonic (orthogonal to the fit over whole cycles, so it moves the data off the
    /// fit without changing it); the first cycle skipped. The time column starts at 23 ps,
    /// not at the drive's zero, so the imposed motion has a phase φ_h ≠ 0 in the fit.
    fn stage(stage: usize, a0_nm: f64, b: f64, c: f64) -> StageFit {
        let omega = omega_rad_per_ps(10.0);
        let dt = 2.0 * PI / omega / PER_CYCLE as f64;
        let mut signal = Signal::default();
        for k in 0..=4 * PER_CYCLE {
            let th = omega * k as f64 * dt;
            signal.time_ps.push(23.0 + k as f64 * dt);
            signal.h_a.push(27.5 + 10.0 * a0_nm * th.sin());
            signal
                .force_nn
                .push(2.0 + b * th.sin() + c * th.cos() + 0.2 * (3.0 * th).sin());
        }
        let drive = Drive {
            omega_rad_per_ps: omega,
            a0_nm,
            h0_nm: 2.75,
            area_nm2: 0.6,
            skip_cycles: 1,
        };
        let fit = Rheology::analyze(&signal, &drive).unwrap();
        StageFit {
            stage,
            a0_nm,
            freq_ghz: 10.0,
            h0_nm: 2.75,
            area_nm2: 0.6,
            neck_area_nm2: None,
            signal,
            fit,
        }
    }

    #[test]
    fn zigzag_fit_takes_the_stages_storage_moduli() {
        // Stages whose force amplitude B = G'·S·ε0 follows Eq. (4) of a known model.
        let z = ZigZag {
            k_gpa: 60.0,
            j_n_gpa: 7.0,
            eps_n: 0.06,
            j_b_gpa: 7.0,
            eps_b: -0.06,
            sigma_i_gpa: 0.0,
        };
        let stages: Vec<StageFit> = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
            .iter()
            .enumerate()
            .map(|(k, &a0)| {
                let eps0 = a0 / 2.75;
                stage(k, a0, z.storage_modulus_gpa(eps0) * 0.6 * eps0, 0.1)
            })
            .collect();
        let fit = zigzag_fit(&stages, 10.0).unwrap();
        assert!((fit.model.k_gpa - 60.0).abs() < 0.6, "{:?}", fit.model);
        assert!((fit.model.j_n_gpa - 7.0).abs() < 0.35, "{:?}", fit.model);
        assert!((fit.model.eps_n - 0.06).abs() < 0.0012, "{:?}", fit.model);
        assert!(
            zigzag_fit(&stages[..3], 10.0).is_none(),
            "three stages: no fit"
        );
        assert!(zigzag_fit(&stages, 1.0).is_none(), "no stage at 1 GHz");
    }

    #[test]
    fn numbers_are_trimmed() {
        assert_eq!(trim(10.0), "10");
        assert_eq!(trim(0.05), "0.05");
        assert_eq!(trim(2.75), "2.75");
    }

    #[test]
    fn moduli_are_drawn_at_a0() {
        let mut s = [stage(4, 0.1, 0.3, 0.1), stage(5, 0.2, 0.2, 0.4)];
        let img = moduli_figure(&[&s[0], &s[1]], 10.0, false, None)
            .render()
            .unwrap();
        let f = img.frames[0];
        for st in &s {
            let (gs, gl) = (st.fit.g_storage_gpa.value, st.fit.g_loss_gpa.value);
            // G' = B/(S ε0), G'' = C/(S ε0) with ε0 = a0/h0.
            let scale = 1.0 / (0.6 * st.a0_nm / 2.75);
            assert!((gs - scale * st.fit.force.sin_coef.value).abs() < 1e-9);
            assert!(img.shows(Color::BLUE, f.to_pixel(st.a0_nm, gs), 1));
            assert!(img.shows(Color::RED, f.to_pixel(st.a0_nm, gl), 1));
        }
        // With a neck of half the area the moduli double; a stage without one is left out.
        s[1].neck_area_nm2 = Some(0.3);
        let img = moduli_figure(&[&s[0], &s[1]], 10.0, true, None)
            .render()
            .unwrap();
        let f = img.frames[0];
        let gs = s[1].fit.g_storage_gpa.value;
        assert!(img.shows(Color::BLUE, f.to_pixel(0.2, 2.0 * gs), 1));
        // One stage: the x axis is a0 = 0.2 nm ± 10 %.
        assert!((f.x.0 - 0.18).abs() < 1e-12 && (f.x.1 - 0.22).abs() < 1e-12);
    }

    #[test]
    fn force_figure_shows_samples_and_fit() {
        let s = stage(4, 0.1, 0.3, 0.4);
        let img = force_figure(&s).render().unwrap();
        let (top, bottom) = (img.frames[0], img.frames[1]);
        // The fit over the fitted cycles (from t = τ on), in black.
        let tau = s.fit.force.window.period_ps;
        assert!(s.fit.h_phase_rad.abs() > 0.1);
        let omega = omega_rad_per_ps(10.0);
        for t in [1.1 * tau, 2.0 * tau, 3.7 * tau].map(|t| t + 23.0) {
            // The synthetic force without its harmonic, which the fit recovers exactly.
            let th = omega * (t - 23.0);
            let p = bottom.to_pixel(t, 2.0 + 0.3 * th.sin() + 0.4 * th.cos());
            assert!(img.shows(Color::BLACK, p, 1), "fit at {t} ps");
        }
        // Samples of the skipped first cycle, in grey, off the fit by the third harmonic.
        for k in [5, 25, 45] {
            let (t, f) = (s.signal.time_ps[k], s.signal.force_nn[k]);
            let th = omega * (t - 23.0);
            assert!((f - (2.0 + 0.3 * th.sin() + 0.4 * th.cos())).abs() > 0.19);
            assert!(img.shows(Color::GRAY, bottom.to_pixel(t, f), 1));
        }
        // a(t) = h − h̄ in nm, dashed: most of the samples lie on a dash.
        let on = (0..PER_CYCLE)
            .filter(|&k| {
                let a = 0.1 * (s.signal.h_a[k] - 27.5);
                img.shows(Color::BLUE, top.to_pixel(s.signal.time_ps[k], a), 1)
            })
            .count();
        assert!(on > PER_CYCLE / 2, "{on} of {PER_CYCLE}");
    }

    #[test]
    fn loops_are_coloured_by_the_direction_of_the_strain() {
        let s = stage(4, 0.1, 0.3, 0.4);
        let img = loop_figure(&s).render().unwrap();
        let f = img.frames[0];
        let eps = |k: usize| 100.0 * (s.signal.h_a[k] - 27.5) / 27.5;
        // θ = π/6 (strain growing) and 5π/6 (falling) in the second cycle: the third harmonic is
        // at its maximum, 0.2 nN above the ellipse.
        let (up, down) = (PER_CYCLE + PER_CYCLE / 12, PER_CYCLE + 5 * PER_CYCLE / 12);
        assert!(img.shows(Color::BLUE, f.to_pixel(eps(up), s.signal.force_nn[up]), 1));
        assert!(img.shows(
            Color::RED,
            f.to_pixel(eps(down), s.signal.force_nn[down]),
            1
        ));
        assert!(!img.shows(Color::RED, f.to_pixel(eps(up), s.signal.force_nn[up]), 0));
        // The fit's ellipse in black.
        let fit = &s.fit.force;
        for th in [0.3, 1.9, 4.0] {
            let e = 100.0 * s.fit.h_amplitude_a / 27.5 * f64::sin(th);
            let force = fit.offset.value + fit.amplitude.value * (th + fit.phase_rad.value).sin();
            assert!(img.shows(Color::BLACK, f.to_pixel(e, force), 1), "θ = {th}");
        }
    }
}
