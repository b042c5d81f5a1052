//! Velocity Verlet integration (Swope et al., J. Chem. Phys. 76, 637 (1982); LAMMPS `fix nve`):
//!
//! v(t+½dt) = v(t) + (dt/2) F(t)/m,  x(t+dt) = x(t) + dt v(t+½dt),
//! v(t+dt) = v(t+½dt) + (dt/2) F(t+dt)/m,
//!
//! with F/m converted to Å/ps² by `ftm2v` (metal units). Atoms of frozen groups and rigid leads
//! are not integrated; the leads follow their imposed motion (a hook). Step hooks are called at
//! the points listed in [`crate::dynamics::hooks`].

use crate::dynamics::hooks::{run_phase, Phase};
use crate::dynamics::timers::Task;
use crate::dynamics::Md;
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

/// One step. Velocity Verlet (B A B: half-kick, drift, forces, half-kick), or, when a hook
/// splits the drift (Langevin baths), BAOAB: half-kick, half-drift, the hooks' mid-drift (the O
/// step), half-drift, forces, half-kick. Hooks before the first half-kick (Nosé–Hoover chains),
/// after the drift (rigid leads move to their imposed positions), around the forces, and at the
/// end of the step.
pub fn step(md: &mut Md) -> Result<()> {
    let dt = md.dt;
    run_phase(md, Phase::PreIntegrate)?;
    if !md.hooks.split_drift() {
        initial_integrate(md, dt);
    } else {
        initial_integrate(md, 0.5 * dt);
        run_phase(md, Phase::MidDrift)?;
        let t0 = std::time::Instant::now();
        drift(md, 0.5 * dt);
        md.timers.add(Task::Modify, t0);
    }
    run_phase(md, Phase::PostIntegrate)?;
    md.compute_forces()?;
    md.step += 1;
    md.time_ps = md.anchor.1 + (md.step - md.anchor.0) as f64 * dt;
    final_integrate(md);
    run_phase(md, Phase::EndOfStep)?;
    Ok(())
}
