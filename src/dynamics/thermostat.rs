//! Thermostats on groups of atoms, with their heat bookkeeping:
//!
//! - **Langevin**, integrated as the exact Ornstein–Uhlenbeck ("O") step of the BAOAB splitting
//!   (Leimkuhler & Matthews, Appl. Math. Res. Express 2013, 34; the Langevin equation of
//!   Schneider & Stoll, Phys. Rev. B 17, 1302 (1978)):
//!
//!   v − u ← c (v − u) + √((1 − c²) k_B T / m) ξ,   c = exp(−Δt/τ),
//!
//!   applied between the two half-drifts of a step. ξ are standard Gaussian numbers from a stream
//!   keyed by (seed, global atom id, step), so the noise does not depend on how atoms are spread
//!   over ranks; u is the velocity of the frame the atoms belong to: zero, or the imposed velocity
//!   of a driven lead for thermostatted atoms inside that lead, so that the thermostat does not drag
//!   the lead (a lab-frame thermostat on an oscillated lead acts as a viscous force on the drive
//!   and fakes loss).
//! - **Nosé–Hoover chain** (Martyna, Klein & Tuckerman, J. Chem. Phys. 97, 2635 (1992); the
//!   half-step update of LAMMPS `fix nvt`): velocities of the group are scaled by
//!   exp(−η̇₁ Δt/2) at the start and end of each step, with chain masses Q₁ = N_f k_B T τ²,
//!   Q_{j>1} = k_B T τ², N_f = 3N − 3 of the group.
//!
//! The kinetic energy a thermostat changes is its work, exactly: its negative is the heat
//! removed. With the work of the drive it closes the energy balance of the free atoms to the
//! accuracy of the velocity-Verlet shadow energy.
//!
//! All thermostats of a run form one step hook, [`Thermostats`]: Nosé–Hoover half-steps before
//! the first half-kick and at the end of the step, the Langevin O step between the two
//! half-drifts (it splits the drift while a Langevin bath is active).

use crate::dynamics::hooks::Hook;
use crate::dynamics::leads::RigidLeads;
use crate::dynamics::velocity::{gaussian_pair, keyed_stream};
use crate::dynamics::Md;
use crate::error::{Error, Result};
use crate::io::checkpoint::{Decoder, Encoder};
use crate::units::{BOLTZ_EV_PER_K, MVV2E};

/// The state of a Nosé–Hoover chain.
#[derive(Clone, Debug, Default)]
pub struct Chain {
    pub eta: Vec<f64>,
    pub eta_dot: Vec<f64>,
}

/// Thermostat style and its own parameters.
#[derive(Clone, Debug)]
pub enum Style {
    /// Langevin, with its noise seed and the index in the [`RigidLeads`] hook of the lead whose
    /// motion is the reference frame.
    Langevin {
        seed: u64,
        frame_lead: Option<usize>,
    },
    /// Nosé–Hoover chain.
    NoseHoover(Chain),
}

/// A thermostat acting on one group.
#[derive(Clone, Debug)]
pub struct Thermostat {
    pub bit: u32,
    pub temperature_k: f64,
    /// Damping time τ, ps.
    pub damping_ps: f64,
    pub style: Style,
    /// Work done on this rank's atoms by the thermostat so far, eV (see [`work_ev`]).
    pub work_local_ev: f64,
    /// Switched off by a protocol stage.
    pub active: bool,
}

/// The thermostats of a run, as one step hook.
#[derive(Clone, Debug, Default)]
pub struct Thermostats {
    pub list: Vec<Thermostat>,
}

impl Hook<Md> for Thermostats {
    fn name(&self) -> &str {
        "Thermostat"
    }

    /// BAOAB while any Langevin bath is active.
    fn splits_drift(&self) -> bool {
        self.list
            .iter()
            .any(|t| t.active && matches!(t.style, Style::Langevin { .. }))
    }

    fn pre_integrate(&mut self, md: &mut Md) -> Result<()> {
        nose_hoover_half_step(&mut self.list, md);
        Ok(())
    }

    fn mid_drift(&mut self, md: &mut Md) -> Result<()> {
        o_step(&mut self.list, md, md.time_ps + 0.5 * md.dt, md.step + 1);
        Ok(())
    }

    fn end_of_step(&mut self, md: &mut Md) -> Result<()> {
        nose_hoover_half_step(&mut self.list, md);
        Ok(())
    }

    /// Each thermostat's parameters (stages change them), its chain or noise stream (the
    /// Langevin noise is keyed by seed, atom and step: the seed is its whole state) and this
    /// rank's work.
    fn save_state(&self) -> Vec<u8> {
        let mut e = Encoder::new();
        e.u64(self.list.len() as u64);
        for t in &self.list {
            e.u64(t.active as u64)
                .f64(t.temperature_k)
                .f64(t.damping_ps)
                .f64(t.work_local_ev);
            match &t.style {
                Style::Langevin { seed, frame_lead } => e
                    .u64(0)
                    .u64(*seed)
                    .u64(frame_lead.map_or(0, |k| k as u64 + 1)),
                Style::NoseHoover(c) => e.u64(1).f64s(&c.eta).f64s(&c.eta_dot),
            };
        }
        e.finish()
    }

    /// Parameters and chains from the first rank (all ranks hold the same); the work from each
    /// rank's own on as many ranks, else the total on rank 0, so the heat stays the same sum.
    fn restore_state(&mut self, saved: &[Vec<u8>], rank: usize, nranks: usize) -> Result<()> {
        let mut works = vec![0.0; self.list.len()];
        for (r, b) in saved.iter().enumerate() {
            let mut d = Decoder::new(b, "thermostats");
            if d.count(self.list.len())? != self.list.len() {
                return Err(Error::run(
                    "the checkpoint's thermostats are not this deck's",
                ));
            }
            for (k, t) in self.list.iter_mut().enumerate() {
                let active = d.u64()? != 0;
                let (temperature, damping, work) = (d.f64()?, d.f64()?, d.f64()?);
                let style = match d.u64()? {
                    0 => {
                        let seed = d.u64()?;
                        let lead = d.u64()?;
                        Style::Langevin {
                            seed,
                            frame_lead: lead.checked_sub(1).map(|k| k as usize),
                        }
                    }
                    1 => Style::NoseHoover(Chain {
                        eta: d.f64s()?,
                        eta_dot: d.f64s()?,
                    }),
                    s => return Err(Error::run(format!("checkpoint: unknown thermostat {s}"))),
                };
                if saved.len() == nranks {
                    if r == rank {
                        works[k] = work;
                    }
                } else if rank == 0 {
                    works[k] += work;
                }
                if r == 0 {
                    t.active = active;
                    t.temperature_k = temperature;
                    t.damping_ps = damping;
                    t.style = style;
                }
            }
        }
        for (t, w) in self.list.iter_mut().zip(works) {
            t.work_local_ev = w;
        }
        Ok(())
    }
}

/// The thermostats of `md` (none without the hook).
pub fn of(md: &Md) -> &[Thermostat] {
    md.hooks.find::<Thermostats>().map_or(&[], |t| &t.list)
}

/// Work done by each thermostat on all atoms so far, eV (a reduction: call on output steps).
/// The heat removed by a thermostat is the negative of its work.
pub fn work_ev(md: &Md) -> Vec<f64> {
    let mut w: Vec<f64> = of(md).iter().map(|t| t.work_local_ev).collect();
    md.world.sum(&mut w);
    w
}

/// The Langevin O step at simulation time `t` (the middle of the step), for the noise of `step`.
fn o_step(list: &mut [Thermostat], md: &mut Md, t: f64, step: u64) {
    let dt = md.dt;
    let leads = md.hooks.find::<RigidLeads>().map_or(&[][..], |l| &l.list);
    for th in list.iter_mut() {
        let Style::Langevin { seed, frame_lead } = th.style else {
            continue;
        };
        if !th.active {
            continue;
        }
        let u = frame_lead.map(|l| (leads[l].axis, leads[l].velocity(t)));
        let (bit, temp) = (th.bit, th.temperature_k);
        let c = (-dt / th.damping_ps).exp();
        let a = &mut md.atoms;
        let mut work = 0.0;
        for i in 0..a.nlocal {
            if a.mask[i] & bit == 0 {
                continue;
            }
            let m = a.mass(i);
            // (1 − c²) kB T / m in (Å/ps)².
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
        th.work_local_ev += work;
    }
}

/// Half a step (Δt/2) of every Nosé–Hoover chain: update the chain and scale the velocities of
/// its group (MTK 1992, Trotter factorisation with one multiple-time-step cycle).
fn nose_hoover_half_step(list: &mut [Thermostat], md: &mut Md) {
    let dt = md.dt;
    for th in list.iter_mut() {
        if !th.active || !matches!(th.style, Style::NoseHoover(_)) {
            continue;
        }
        let bit = th.bit;
        // 2 KE and atom count of the group, all ranks.
        let a = &md.atoms;
        let mut s = [0.0, 0.0];
        for i in 0..a.nlocal {
            if a.mask[i] & bit != 0 {
                let v = a.v[i];
                s[0] += MVV2E * a.mass(i) * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
                s[1] += 1.0;
            }
        }
        md.world.sum(&mut s);
        let kt = BOLTZ_EV_PER_K * th.temperature_k;
        let nf = (3.0 * s[1] - 3.0).max(1.0);
        let tfreq2 = 1.0 / (th.damping_ps * th.damping_ps);
        let Style::NoseHoover(chain) = &mut th.style else {
            continue;
        };
        let m = chain.eta.len();
        let mass: Vec<f64> = (0..m)
            .map(|j| {
                if j == 0 {
                    nf * kt / tfreq2
                } else {
                    kt / tfreq2
                }
            })
            .collect();
        let (dt2, dt4, dt8) = (0.5 * dt, 0.25 * dt, 0.125 * dt);
        let mut ke2 = s[0];
        let mut acc = vec![0.0; m];
        acc[0] = (ke2 - nf * kt) / mass[0];
        for j in 1..m {
            acc[j] = (mass[j - 1] * chain.eta_dot[j - 1].powi(2) - kt) / mass[j];
        }
        // Update η̇ from the end of the chain down to the first link.
        for j in (0..m).rev() {
            let f = if j + 1 < m {
                (-dt8 * chain.eta_dot[j + 1]).exp()
            } else {
                1.0
            };
            chain.eta_dot[j] = (chain.eta_dot[j] * f + acc[j] * dt4) * f;
        }
        let factor = (-dt2 * chain.eta_dot[0]).exp();
        ke2 *= factor * factor;
        for j in 0..m {
            chain.eta[j] += dt2 * chain.eta_dot[j];
        }
        // And back up the chain with the new kinetic energy.
        acc[0] = (ke2 - nf * kt) / mass[0];
        let f = if m > 1 {
            (-dt8 * chain.eta_dot[1]).exp()
        } else {
            1.0
        };
        chain.eta_dot[0] = (chain.eta_dot[0] * f + acc[0] * dt4) * f;
        for j in 1..m {
            let f = if j + 1 < m {
                (-dt8 * chain.eta_dot[j + 1]).exp()
            } else {
                1.0
            };
            acc[j] = (mass[j - 1] * chain.eta_dot[j - 1].powi(2) - kt) / mass[j];
            chain.eta_dot[j] = (chain.eta_dot[j] * f + acc[j] * dt4) * f;
        }
        // Scale this rank's velocities; the work is the kinetic energy change.
        let a = &mut md.atoms;
        let mut work = 0.0;
        for i in 0..a.nlocal {
            if a.mask[i] & bit != 0 {
                let v = &mut a.v[i];
                let ke0 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
                v[0] *= factor;
                v[1] *= factor;
                v[2] *= factor;
                work +=
                    0.5 * MVV2E * a.type_mass[a.typ[i] as usize] * ke0 * (factor * factor - 1.0);
            }
        }
        th.work_local_ev += work;
    }
}

/// Energy stored in the Nosé–Hoover chains (all ranks agree on it): the conserved quantity of
/// the dynamics is the total energy plus this.
pub fn chain_energy(md: &Md) -> f64 {
    let mut e = 0.0;
    for th in of(md) {
        let Style::NoseHoover(chain) = &th.style else {
            continue;
        };
        // N_f of the group is needed for Q₁ and the first η term.
        let a = &md.atoms;
        let mut n = [(0..a.nlocal).filter(|&i| a.mask[i] & th.bit != 0).count() as f64];
        md.world.sum(&mut n);
        let nf = (3.0 * n[0] - 3.0).max(1.0);
        let kt = BOLTZ_EV_PER_K * th.temperature_k;
        let tau2 = th.damping_ps * th.damping_ps;
        for j in 0..chain.eta.len() {
            let q = if j == 0 { nf * kt * tau2 } else { kt * tau2 };
            e += 0.5 * q * chain.eta_dot[j].powi(2);
            e += if j == 0 {
                nf * kt * chain.eta[j]
            } else {
                kt * chain.eta[j]
            };
        }
    }
    e
}
