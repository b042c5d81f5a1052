//! Rigid leads with an imposed motion along one axis: held fixed, oscillated as
//! h(t) = h0 + a0·sin(ωt) (the driven lead of the gold rheology paper, seed 000, Methods),
//! pulled at constant velocity, or displaced by a step. The lead's atoms move together as a rigid
//! body; the force that the rest of the system exerts on a lead is the sum of the per-atom forces
//! on its atoms (forces between its own atoms cancel in pairs).
//!
//! The leads of a run form one step hook, [`RigidLeads`]: after the drift of each step they move
//! to their imposed positions (LAMMPS `fix move` on a group, with `velocity` set to the rate).

use crate::dynamics::hooks::Hook;
use crate::dynamics::Md;
use crate::error::{Error, Result};
use crate::io::checkpoint::{Decoder, Encoder};

/// Imposed displacement Δ(t) of a lead along its axis, Å, and its rate, Å/ps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Motion {
    /// Δ = 0.
    Fixed,
    /// Δ = a0·sin(ωt), ω = 2π f.
    Oscillate { amplitude_a: f64, omega_per_ps: f64 },
    /// Δ = v·t.
    Pull { velocity_a_per_ps: f64 },
    /// Δ = d for t ≥ t_on, else 0.
    Step { displacement_a: f64, t_on_ps: f64 },
}

impl Motion {
    /// Displacement at time t (ps), Å.
    pub fn displacement(&self, t: f64) -> f64 {
        match *self {
            Motion::Fixed => 0.0,
            Motion::Oscillate {
                amplitude_a,
                omega_per_ps,
            } => amplitude_a * (omega_per_ps * t).sin(),
            Motion::Pull { velocity_a_per_ps } => velocity_a_per_ps * t,
            Motion::Step {
                displacement_a,
                t_on_ps,
            } => {
                if t >= t_on_ps {
                    displacement_a
                } else {
                    0.0
                }
            }
        }
    }

    /// Velocity dΔ/dt at time t, Å/ps.
    pub fn velocity(&self, t: f64) -> f64 {
        match *self {
            Motion::Oscillate {
                amplitude_a,
                omega_per_ps,
            } => amplitude_a * omega_per_ps * (omega_per_ps * t).cos(),
            Motion::Pull { velocity_a_per_ps } => velocity_a_per_ps,
            Motion::Fixed | Motion::Step { .. } => 0.0,
        }
    }
}

/// A rigid lead: a group, an axis and a motion that started at `t0_ps` from the displacement
/// `offset_a` (the displacement reached by the motions of earlier protocol stages).
#[derive(Clone, Debug)]
pub struct Lead {
    pub name: String,
    pub bit: u32,
    pub axis: usize,
    pub motion: Motion,
    pub t0_ps: f64,
    pub offset_a: f64,
}

impl Lead {
    /// Imposed displacement from the start of the run at simulation time t.
    pub fn displacement(&self, t: f64) -> f64 {
        self.offset_a + self.motion.displacement(t - self.t0_ps)
    }

    /// Switch to a new motion at time t, continuing from the current displacement.
    pub fn set_motion(&mut self, motion: Motion, t: f64) {
        self.offset_a = self.displacement(t);
        self.motion = motion;
        self.t0_ps = t;
    }

    /// Imposed velocity at simulation time t.
    pub fn velocity(&self, t: f64) -> f64 {
        self.motion.velocity(t - self.t0_ps)
    }
}

/// The rigid leads of a run, as one step hook (their groups are also frozen in [`Md`]).
#[derive(Clone, Debug, Default)]
pub struct RigidLeads {
    pub list: Vec<Lead>,
}

impl Hook<Md> for RigidLeads {
    fn name(&self) -> &str {
        "Leads"
    }

    /// Move every lead's atoms from time t to t + dt: positions shift by Δ(t+dt) − Δ(t) along
    /// the axis, velocities are the imposed rate (zero across the axis).
    fn post_integrate(&mut self, md: &mut Md) -> Result<()> {
        let (t, dt) = (md.time_ps, md.dt);
        for lead in &self.list {
            let shift = lead.displacement(t + dt) - lead.displacement(t);
            let vel = lead.velocity(t + dt);
            let a = &mut md.atoms;
            for i in 0..a.nlocal {
                if a.mask[i] & lead.bit != 0 {
                    a.x[i][lead.axis] += shift;
                    a.v[i] = [0.0; 3];
                    a.v[i][lead.axis] = vel;
                }
            }
        }
        Ok(())
    }

    /// Each lead's motion, its start time and offset (protocol stages change them).
    fn save_state(&self) -> Vec<u8> {
        let mut e = Encoder::new();
        e.u64(self.list.len() as u64);
        for l in &self.list {
            match l.motion {
                Motion::Fixed => e.u64(0),
                Motion::Oscillate {
                    amplitude_a,
                    omega_per_ps,
                } => e.u64(1).f64(amplitude_a).f64(omega_per_ps),
                Motion::Pull { velocity_a_per_ps } => e.u64(2).f64(velocity_a_per_ps),
                Motion::Step {
                    displacement_a,
                    t_on_ps,
                } => e.u64(3).f64(displacement_a).f64(t_on_ps),
            };
            e.f64(l.t0_ps).f64(l.offset_a);
        }
        e.finish()
    }

    /// Every rank holds the same motions: take the first rank's.
    fn restore_state(&mut self, saved: &[Vec<u8>], _rank: usize, _nranks: usize) -> Result<()> {
        let Some(b) = saved.first() else {
            return Ok(());
        };
        let mut d = Decoder::new(b, "rigid leads");
        if d.count(self.list.len())? != self.list.len() {
            return Err(Error::run(
                "the checkpoint's rigid leads are not this deck's",
            ));
        }
        for l in self.list.iter_mut() {
            l.motion = match d.u64()? {
                0 => Motion::Fixed,
                1 => Motion::Oscillate {
                    amplitude_a: d.f64()?,
                    omega_per_ps: d.f64()?,
                },
                2 => Motion::Pull {
                    velocity_a_per_ps: d.f64()?,
                },
                3 => Motion::Step {
                    displacement_a: d.f64()?,
                    t_on_ps: d.f64()?,
                },
                k => return Err(Error::run(format!("checkpoint: unknown lead motion {k}"))),
            };
            l.t0_ps = d.f64()?;
            l.offset_a = d.f64()?;
        }
        Ok(())
    }
}

/// The rigid leads of `md` (none without the hook).
pub fn of(md: &Md) -> &[Lead] {
    md.hooks.find::<RigidLeads>().map_or(&[], |l| &l.list)
}

/// The rigid leads of `md`, to change their motion (a protocol stage); empty without the hook.
pub fn of_mut(md: &mut Md) -> &mut [Lead] {
    md.hooks
        .find_mut::<RigidLeads>()
        .map_or(&mut [], |l| &mut l.list)
}

/// Force on each lead along its axis (eV/Å), summed over ranks: the force the rest of the system
/// exerts on the lead.
pub fn forces(md: &Md) -> Vec<f64> {
    let a = &md.atoms;
    let mut f: Vec<f64> = of(md)
        .iter()
        .map(|l| {
            (0..a.nlocal)
                .filter(|&i| a.mask[i] & l.bit != 0)
                .map(|i| a.f[i][l.axis])
                .sum()
        })
        .collect();
    md.world.sum(&mut f);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn motions() {
        let m = Motion::Oscillate {
            amplitude_a: 1.0,
            omega_per_ps: 2.0,
        };
        assert_eq!(m.displacement(0.0), 0.0);
        assert!((m.displacement(std::f64::consts::PI / 4.0) - 1.0).abs() < 1e-15);
        assert!((m.velocity(0.0) - 2.0).abs() < 1e-15);
        let p = Motion::Pull {
            velocity_a_per_ps: 0.5,
        };
        assert_eq!(p.displacement(4.0), 2.0);
        let s = Motion::Step {
            displacement_a: 1.5,
            t_on_ps: 1.0,
        };
        assert_eq!(s.displacement(0.999), 0.0);
        assert_eq!(s.displacement(1.0), 1.5);
    }
}
