//! Langevin thermostat on a group, integrated as the exact Ornstein–Uhlenbeck ("O") step of the
//! BAOAB splitting (Leimkuhler & Matthews, Appl. Math. Res. Express 2013, 34; the Langevin
//! equation of Schneider & Stoll, Phys. Rev. B 17, 1302 (1978)):
//!
//! v − u ← c (v − u) + √((1 − c²) k_B T / m) ξ,   c = exp(−Δt/τ),
//!
//! applied between the two half-drifts of a step. τ is the damping time, ξ standard Gaussian
//! numbers drawn from a stream keyed by (seed, global atom id, step) so that the noise does not
//! depend on how atoms are spread over ranks, and u the velocity of the frame the atoms belong to:
//! zero, or the imposed velocity of a driven lead for thermostatted atoms inside that lead, so that
//! the thermostat does not drag the lead (a thermostat on an oscillated lead in the lab frame acts
//! as a viscous force on the drive and fakes loss).
//!
//! The kinetic energy the O step changes is the thermostat's work, exactly: its negative is the
//! heat removed, and with the work of the drive it closes the energy balance of the free atoms to
//! the accuracy of the velocity-Verlet shadow energy.

use crate::dynamics::velocity::{gaussian_pair, keyed_stream};
use crate::dynamics::Md;
use crate::units::{BOLTZ_EV_PER_K, MVV2E};

/// A Langevin thermostat acting on one group.
#[derive(Clone, Debug)]
pub struct Langevin {
    pub bit: u32,
    pub temperature_k: f64,
    pub damping_ps: f64,
    pub seed: u64,
    /// Index into `Md::leads` of the lead whose motion defines the reference frame.
    pub frame_lead: Option<usize>,
    /// Work done on this rank's atoms by the thermostat so far, eV (see [`work_ev`]).
    pub work_local_ev: f64,
    /// Switched off by a protocol stage.
    pub active: bool,
}

/// Work done by each thermostat on all atoms so far, eV (a reduction: call on output steps).
/// The heat removed by a thermostat is the negative of its work.
pub fn work_ev(md: &Md) -> Vec<f64> {
    let mut w: Vec<f64> = md.thermostats.iter().map(|t| t.work_local_ev).collect();
    md.world.sum(&mut w);
    w
}

/// The O step at simulation time `t` (the middle of the step), for the noise of step `step`.
pub fn o_step(md: &mut Md, t: f64, step: u64) {
    let dt = md.dt;
    for k in 0..md.thermostats.len() {
        let th = &md.thermostats[k];
        if !th.active {
            continue;
        }
        let u = th
            .frame_lead
            .map(|l| (md.leads[l].axis, md.leads[l].velocity(t)));
        let (bit, temp, seed) = (th.bit, th.temperature_k, th.seed);
        let c = (-dt / th.damping_ps).exp();
        let a = &mut md.atoms;
        let mut work = 0.0;
        for i in 0..a.nlocal {
            if a.mask[i] & bit == 0 {
                continue;
            }
            let m = a.mass(i);
            // Velocity spread of the bath, Å/ps: sqrt(kB T / m) in metal units.
            let s = ((1.0 - c * c) * BOLTZ_EV_PER_K * temp / (m * MVV2E)).sqrt();
            let mut rng = keyed_stream(seed, a.id[i], step);
            let (g0, g1) = gaussian_pair(&mut rng);
            let (g2, _) = gaussian_pair(&mut rng);
            let v = &mut a.v[i];
            let ke0 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
            if let Some((axis, ua)) = u {
                v[axis] -= ua;
            }
            v[0] = c * v[0] + s * g0;
            v[1] = c * v[1] + s * g1;
            v[2] = c * v[2] + s * g2;
            if let Some((axis, ua)) = u {
                v[axis] += ua;
            }
            let ke1 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
            work += 0.5 * MVV2E * m * (ke1 - ke0);
        }
        md.thermostats[k].work_local_ev += work;
    }
}
