//! Velocity Verlet integration (Swope et al., J. Chem. Phys. 76, 637 (1982); LAMMPS `fix nve`):
//!
//! v(t+½dt) = v(t) + (dt/2) F(t)/m,  x(t+dt) = x(t) + dt v(t+½dt),
//! v(t+dt) = v(t+½dt) + (dt/2) F(t+dt)/m,
//!
//! with F/m converted to Å/ps² by `ftm2v` (metal units). Atoms of frozen groups do not move.

use crate::dynamics::timers::Task;
use crate::dynamics::Md;
use crate::error::Result;
use crate::units::FTM2V;

/// First half: half-kick velocities and drift positions of owned atoms.
pub fn initial_integrate(md: &mut Md) {
    let dt = md.dt;
    let dtf = 0.5 * dt * FTM2V;
    let t0 = std::time::Instant::now();
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
        let x = &mut a.x[i];
        x[0] += dt * v[0];
        x[1] += dt * v[1];
        x[2] += dt * v[2];
    }
    md.timers.add(Task::Modify, t0);
}

/// Second half: half-kick velocities with the new forces.
pub fn final_integrate(md: &mut Md) {
    let dtf = 0.5 * md.dt * FTM2V;
    let t0 = std::time::Instant::now();
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
    md.timers.add(Task::Modify, t0);
}

/// One NVE step.
pub fn step(md: &mut Md) -> Result<()> {
    initial_integrate(md);
    md.compute_forces()?;
    final_integrate(md);
    md.step += 1;
    md.time_ps += md.dt;
    Ok(())
}
