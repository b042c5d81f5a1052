//! Velocity Verlet integration (Swope et al., J. Chem. Phys. 76, 637 (1982); LAMMPS `fix nve`):
//!
//! v(t+½dt) = v(t) + (dt/2) F(t)/m,  x(t+dt) = x(t) + dt v(t+½dt),
//! v(t+dt) = v(t+½dt) + (dt/2) F(t+dt)/m,
//!
//! with F/m converted to Å/ps² by `ftm2v` (metal units). Atoms of frozen groups and rigid leads
//! are not integrated; the leads follow their imposed motion.

use crate::dynamics::timers::Task;
use crate::dynamics::{leads, thermostat, Md};
use crate::error::Result;
use crate::units::FTM2V;

/// First half: half-kick velocities and drift positions of owned atoms by `drift_dt` (ps).
pub fn initial_integrate(md: &mut Md, drift_dt: f64) {
    let t0 = std::time::Instant::now();
    half_kick(md);
    drift(md, drift_dt);
    md.timers.add(Task::Modify, t0);
}

/// Half-kick the velocities of the free owned atoms: v += (dt/2) F/m.
fn half_kick(md: &mut Md) {
    let dtf = 0.5 * md.dt * FTM2V;
    let frozen = md.frozen;
    let a = &mut md.atoms;
    for i in 0..a.nlocal {
        if a.mask[i] & frozen != 0 {
            continue;
        }
        let k = dtf / a.type_mass[a.typ[i] as usize];
        let f = a.f[i];
        let v = &mut a.v[i];
        v[0] += k * f[0];
        v[1] += k * f[1];
        v[2] += k * f[2];
    }
}

/// Drift positions of the free atoms by `dt` (ps) at constant velocity.
fn drift(md: &mut Md, dt: f64) {
    let frozen = md.frozen;
    let a = &mut md.atoms;
    for i in 0..a.nlocal {
        if a.mask[i] & frozen != 0 {
            continue;
        }
        for d in 0..3 {
            a.x[i][d] += dt * a.v[i][d];
        }
    }
}

/// Second half: half-kick velocities with the new forces.
pub fn final_integrate(md: &mut Md) {
    let t0 = std::time::Instant::now();
    half_kick(md);
    md.timers.add(Task::Modify, t0);
}

/// One step. Without Langevin baths, velocity Verlet (B A B: half-kick, drift, forces,
/// half-kick); with them, BAOAB: half-kick, half-drift, the baths' O step, half-drift, forces,
/// half-kick. Nosé–Hoover chains scale their groups' velocities for half a step at the start and
/// at the end. The rigid leads move to their imposed positions before the forces.
pub fn step(md: &mut Md) -> Result<()> {
    let (t, dt) = (md.time_ps, md.dt);
    thermostat::nose_hoover_half_step(md);
    if !thermostat::any_langevin(md) {
        initial_integrate(md, dt);
    } else {
        initial_integrate(md, 0.5 * dt);
        let t0 = std::time::Instant::now();
        thermostat::o_step(md, t + 0.5 * dt, md.step + 1);
        drift(md, 0.5 * dt);
        md.timers.add(Task::Modify, t0);
    }
    leads::advance(md, t, dt);
    md.compute_forces()?;
    md.step += 1;
    md.time_ps = md.anchor.1 + (md.step - md.anchor.0) as f64 * dt;
    final_integrate(md);
    thermostat::nose_hoover_half_step(md);
    Ok(())
}
