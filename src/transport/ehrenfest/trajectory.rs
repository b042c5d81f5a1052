//! One Ehrenfest trajectory of the wire of seed 004 (Sec. II B, Fig. 4): the chain built at
//! its spacing, the N mobile sites centred in the device, the MD with the Ehrenfest hook run
//! for `steps` steps, and the saturation averages of Figs. 6–8 (KE and current averaged over
//! t ≥ `average_from_ps`, the current over the cuts of the middle half of the mobile region).

use std::time::Instant;

use crate::dynamics::{velocity, verlet, Md};
use crate::error::{Error, Result};
use crate::parallel::World;
use crate::transport::current::md_hook::chain_md;
use crate::transport::ehrenfest::electrons::{ElectronSpec, WireElectrons};
use crate::transport::ehrenfest::hook::{EhrenfestHook, StepRecord};
use crate::units::{BOLTZ_EV_PER_K, MVV2E};

/// What to run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrajectorySpec {
    pub electrons: ElectronSpec,
    /// Chain spacing (Å).
    pub spacing_a: f64,
    /// Mobile sites N, centred in the device.
    pub mobile: usize,
    /// Ion mass M (amu).
    pub mass_amu: f64,
    /// Ionic time step (fs).
    pub dt_fs: f64,
    /// Electronic substeps per ionic step.
    pub substeps: usize,
    /// Ionic steps.
    pub steps: u64,
    /// Initial displacement of the mobile atoms, u_k = A sin(π(k + 1)/(N + 1)) (Å).
    pub displacement_a: f64,
    /// Initial temperature of the mobile atoms (K): Maxwell–Boltzmann velocities along the
    /// chain, zero total momentum, scaled to KE = (N − 1) k_B T / 2.
    pub temperature_k: f64,
    /// Seed of those velocities.
    pub seed: u64,
    /// Keep the current profile along the device every this many steps (0: never).
    pub profile_every: u64,
    /// Saturation averages over t ≥ this (ps).
    pub average_from_ps: f64,
}

/// The saturation averages of one trajectory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Saturation {
    /// Mean and standard deviation of the ions' kinetic energy (eV).
    pub ke_mean_ev: f64,
    pub ke_std_ev: f64,
    /// Mean current over time and the middle half of the mobile region (µA).
    pub current_mean_ua: f64,
    pub current_std_ua: f64,
    /// Time average of the spatial variance of the current (µA²), Eq. 11.
    pub current_var_ua2: f64,
    /// Records averaged.
    pub samples: usize,
}

impl TrajectorySpec {
    /// The mobile sites.
    pub fn mobile_sites(&self) -> std::ops::Range<usize> {
        let [l, _] = self.electrons.leads();
        let first = l.end + (self.electrons.device - self.mobile) / 2;
        first..first + self.mobile
    }

    fn validate(&self) -> Result<()> {
        let bad = |w: String| Err(Error::run(format!("Ehrenfest trajectory: {w}")));
        if self.mobile == 0 || self.mobile > self.electrons.device {
            return bad(format!(
                "N = {} mobile atoms must be between 1 and the device's {}",
                self.mobile, self.electrons.device
            ));
        }
        for (name, v) in [
            ("spacing_a", self.spacing_a),
            ("mass_amu", self.mass_amu),
            ("dt_fs", self.dt_fs),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return bad(format!("{name} must be positive, got {v}"));
            }
        }
        if self.substeps == 0 {
            return bad("at least one electronic substep per ionic step".into());
        }
        if !self.displacement_a.is_finite() || !self.average_from_ps.is_finite() {
            return bad("displacement_a and average_from_ps must be finite".into());
        }
        if !(self.temperature_k.is_finite() && self.temperature_k >= 0.0) {
            return bad(format!(
                "temperature_k must be ≥ 0, got {}",
                self.temperature_k
            ));
        }
        Ok(())
    }
}

/// The MD of the chain with the Ehrenfest hook, forces computed.
pub fn ehrenfest_md(spec: &TrajectorySpec, world: World) -> Result<Md> {
    spec.validate()?;
    let n = spec.electrons.sites;
    let mobile = spec.mobile_sites();
    let mut x: Vec<f64> = (0..n).map(|i| i as f64 * spec.spacing_a).collect();
    for (k, site) in mobile.clone().enumerate() {
        let s = std::f64::consts::PI * (k + 1) as f64 / (spec.mobile + 1) as f64;
        x[site] += spec.displacement_a * s.sin();
    }
    let electrons = WireElectrons::new(spec.electrons, x.clone())?;
    let lo = [x[0] - 5.0, -5.0, -5.0];
    let hi = [x[n - 1] + 5.0, 5.0, 5.0];
    let positions: Vec<[f64; 3]> = x.iter().map(|&xi| [xi, 0.0, 0.0]).collect();
    let mut md = chain_md(
        &positions,
        &|i| mobile.contains(&i),
        spec.mass_amu,
        [lo, hi],
        world,
    )?;
    md.set_timestep(spec.dt_fs * 1e-3);
    if spec.temperature_k > 0.0 {
        thermalise_along_chain(&mut md, spec.mobile, spec.temperature_k, spec.seed);
    }
    let [l, r] = spec.electrons.leads();
    md.add_hook(Box::new(EhrenfestHook::new(
        electrons,
        mobile,
        spec.substeps,
        l.end.saturating_sub(1)..r.start,
        spec.profile_every,
    )));
    md.setup()?;
    Ok(md)
}

/// Maxwell–Boltzmann velocities along the chain (x) for the `mobile` non-frozen atoms at
/// `temp_k`: one Gaussian per atom from its own stream keyed by (seed, global id), so the
/// result does not depend on the ranks; then the total momentum removed
/// ([`velocity::zero_momentum`]) and the velocities scaled so that KE = (N − 1) k_B T / 2
/// exactly (N − 1 degrees of freedom along one axis, where [`velocity::create`] gives 3N − 3).
fn thermalise_along_chain(md: &mut Md, mobile: usize, temp_k: f64, seed: u64) {
    let frozen = md.frozen;
    let a = &mut md.atoms;
    for i in 0..a.nlocal {
        a.v[i] = [0.0; 3];
        if a.mask[i] & frozen == 0 {
            let (g, _) = velocity::gaussian_pair(&mut velocity::keyed_stream(seed, a.id[i], 0));
            a.v[i][0] = g * (BOLTZ_EV_PER_K * temp_k / (a.mass(i) * MVV2E)).sqrt();
        }
    }
    velocity::zero_momentum(md);
    let ke = md.kinetic_energy();
    let target = 0.5 * (mobile.saturating_sub(1)) as f64 * BOLTZ_EV_PER_K * temp_k;
    if ke > 0.0 {
        let k = (target / ke).sqrt();
        for v in md.atoms.v[..md.atoms.nlocal].iter_mut() {
            v[0] *= k;
        }
    }
}

/// The hook of an MD made by [`ehrenfest_md`].
pub fn hook(md: &Md) -> Result<&EhrenfestHook> {
    md.hooks
        .find::<EhrenfestHook>()
        .ok_or_else(|| Error::run("Ehrenfest trajectory: the hook is missing"))
}

/// Run the trajectory (a scan task; `wire ehrenfest` runs its own loop, with outputs and
/// checkpoints). Returns the MD (records in its hook) and the wall time (s).
pub fn run_trajectory(spec: &TrajectorySpec, world: World) -> Result<(Md, f64)> {
    let t0 = Instant::now();
    let mut md = ehrenfest_md(spec, world)?;
    for _ in 0..spec.steps {
        verlet::step(&mut md)?;
    }
    Ok((md, t0.elapsed().as_secs_f64()))
}

/// Saturation averages of the records with t ≥ `from_ps`.
pub fn saturation(records: &[StepRecord], from_ps: f64) -> Saturation {
    let r: Vec<&StepRecord> = records
        .iter()
        .filter(|r| r.time_ps >= from_ps - 1e-12)
        .collect();
    // No record in the window: NaN averages.
    let k = r.len() as f64;
    let mean = |f: &dyn Fn(&StepRecord) -> f64| r.iter().map(|x| f(x)).sum::<f64>() / k;
    let ke = mean(&|x| x.ke_ev);
    let cur = mean(&|x| x.current_mean_ua);
    Saturation {
        ke_mean_ev: ke,
        ke_std_ev: mean(&|x| (x.ke_ev - ke).powi(2)).sqrt(),
        current_mean_ua: cur,
        current_std_ua: mean(&|x| (x.current_mean_ua - cur).powi(2)).sqrt(),
        current_var_ua2: mean(&|x| x.current_var_ua2),
        samples: r.len(),
    }
}
