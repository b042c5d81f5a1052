//! Molecular dynamics on the steady-state forces (the adiabatic limit of seed 004's Ehrenfest
//! dynamics, without electronic friction): a post-force step hook that recomputes ρ(V, R) of
//! the wire at the atoms' current positions and adds F_ν = Tr{ρ F̂_ν} − ∂P/∂R_ν (Eq. 4) to the
//! mobile atoms, and FIRE relaxation of the mobile atoms on these forces.
//!
//! Every site of the device region C is an MD atom (id = site + 1); the sites that are not
//! mobile form the frozen group `wire_rigid`. The MD potential is empty: the hook supplies all
//! forces of the wire, band and pair. The hook gathers the positions from whichever ranks own
//! the atoms (a global sum), rank 0 solves the steady state and the forces reach every rank by
//! a second sum. Under bias the forces are not conservative, so the hook reports no energy
//! (FIRE then stops on the force criterion alone).

use crate::dynamics::fire::{minimize, FireParams, FireResult};
use crate::dynamics::hooks::Hook;
use crate::dynamics::Md;
use crate::error::{Error, Result};
use crate::neighbor::{ListSet, NeighborList};
use crate::parallel::{Comm, World};
use crate::potential::{Potential, Tally};
use crate::system::{Atoms, Boundary, Groups, SimBox};
use crate::transport::current::forces::steady_state_forces;
use crate::transport::current::steady_state::{steady_state, Accuracy, Reservoirs};
use crate::transport::current::wire::Wire;

/// Name of the frozen group of the wire's rigid sites.
pub const RIGID_GROUP: &str = "wire_rigid";

/// The wire's own potential in the MD: nothing (the hook adds every force).
pub struct NoInteraction;

impl Potential for NoInteraction {
    fn describe(&self) -> String {
        "none (steady-state forces from the wire hook)".into()
    }
    fn cutoff(&self) -> f64 {
        1.0
    }
    fn type_masses(&self) -> Vec<Option<f64>> {
        vec![None]
    }
    fn compute(&mut self, _: &mut Atoms, _: &[NeighborList], _: &mut Comm) -> Result<Tally> {
        Ok(Tally::default())
    }
}

/// The post-force hook of steady-state forces on a wire's mobile atoms.
pub struct SteadyStateForces {
    /// The wire, its mobile atoms moved to the MD positions at each call.
    pub wire: Wire,
    /// μ, bias and electron temperature.
    pub reservoirs: Reservoirs,
    /// Accuracy of the energy integrals.
    pub accuracy: Accuracy,
}

impl SteadyStateForces {
    /// The forces at the MD's positions, on every rank.
    fn forces(&mut self, md: &Md) -> Result<Vec<f64>> {
        let n = self.wire.device.positions.len();
        let a = &md.atoms;
        // Positions of the device sites (3 per site) and a count per site, summed over ranks.
        let mut buf = vec![0.0; 4 * n];
        for i in 0..a.nlocal {
            let site = (a.id[i] as usize).wrapping_sub(1);
            if site < n {
                buf[3 * site..3 * site + 3].copy_from_slice(&a.x[i]);
                buf[3 * n + site] += 1.0;
            }
        }
        md.world.sum(&mut buf);
        if buf[3 * n..].iter().any(|&c| c != 1.0) {
            return Err(Error::run(
                "wire forces: every device site must be exactly one MD atom (ids 1..n)",
            ));
        }
        let x: Vec<f64> = self
            .wire
            .device
            .dofs
            .iter()
            .map(|d| buf[3 * d.site + d.axis])
            .collect();
        // Rank 0 solves; the last entry flags a failure.
        let nd = x.len();
        let mut f = vec![0.0; nd + 1];
        let mut failure = None;
        if md.world.is_root() {
            let solved = self.wire.set_mobile_x(&x).and_then(|_| {
                let ss = steady_state(&self.wire.system, &self.reservoirs, &self.accuracy)?;
                Ok(steady_state_forces(&self.wire.device, &ss.rho))
            });
            match solved {
                Ok(v) => f[..nd].copy_from_slice(&v),
                Err(e) => {
                    f[nd] = 1.0;
                    failure = Some(e);
                }
            }
        }
        md.world.sum(&mut f);
        if f[nd] != 0.0 {
            return Err(failure
                .unwrap_or_else(|| Error::run("wire forces: the steady state failed on rank 0")));
        }
        f.truncate(nd);
        Ok(f)
    }
}

impl Hook<Md> for SteadyStateForces {
    fn name(&self) -> &str {
        "Wire forces"
    }

    fn post_force(&mut self, md: &mut Md, _: ListSet) -> Result<Tally> {
        let f = self.forces(md)?;
        let dofs = self.wire.device.dofs.clone();
        let a = &mut md.atoms;
        for i in 0..a.nlocal {
            let site = (a.id[i] as usize).wrapping_sub(1);
            for (d, fd) in dofs.iter().zip(&f) {
                if d.site == site {
                    a.f[i][d.axis] += fd;
                }
            }
        }
        Ok(Tally::default())
    }
}

/// An MD state (no setup yet) of atoms of mass `mass_amu` at `positions` (ids from 1) with no
/// interaction of their own, in a fixed box between `bounds`, the atoms that are not `mobile`
/// in the frozen group [`RIGID_GROUP`]: the ions of a wire whose forces come from a hook.
pub fn chain_md(
    positions: &[[f64; 3]],
    mobile: &dyn Fn(usize) -> bool,
    mass_amu: f64,
    bounds: [[f64; 3]; 2],
    world: World,
) -> Result<Md> {
    let mut atoms = Atoms::with_types(vec![mass_amu]);
    let mut groups = Groups::default();
    let rigid = groups.define(RIGID_GROUP)?;
    for (i, p) in positions.iter().enumerate() {
        atoms.push_owned(i as u64 + 1, 0, *p, [0.0; 3]);
        if !mobile(i) {
            atoms.mask[i] |= rigid;
        }
    }
    let simbox = SimBox::new(bounds[0], bounds[1], [Boundary::Fixed; 3]);
    let mut md = Md::new(
        simbox,
        atoms,
        groups,
        Box::new(NoInteraction),
        0.5,
        world,
        None,
    )?;
    md.set_frozen(rigid);
    Ok(md)
}

/// An MD state holding the wire's device sites as atoms of mass `mass_amu`, the rigid ones in
/// the frozen group [`RIGID_GROUP`], with the hook of steady-state forces added; forces are
/// computed (setup done).
pub fn wire_md(
    wire: &Wire,
    reservoirs: Reservoirs,
    accuracy: Accuracy,
    mass_amu: f64,
    world: World,
) -> Result<Md> {
    let pos = &wire.device.positions;
    let mut lo = [f64::INFINITY; 3];
    let mut hi = [f64::NEG_INFINITY; 3];
    for p in pos {
        for d in 0..3 {
            lo[d] = lo[d].min(p[d] - 5.0);
            hi[d] = hi[d].max(p[d] + 5.0);
        }
    }
    let mobile = |i: usize| wire.device.dofs.iter().any(|d| d.site == i);
    let mut md = chain_md(pos, &mobile, mass_amu, [lo, hi], world)?;
    md.add_hook(Box::new(SteadyStateForces {
        wire: wire.clone(),
        reservoirs,
        accuracy,
    }));
    md.setup()?;
    Ok(md)
}

/// Relax the wire's mobile atoms by FIRE on the steady-state forces at `reservoirs` until the
/// largest force component is below `ftol_ev_per_a`; the wire takes the relaxed positions.
pub fn relax_wire(
    wire: &mut Wire,
    reservoirs: Reservoirs,
    accuracy: Accuracy,
    ftol_ev_per_a: f64,
    max_steps: u64,
) -> Result<FireResult> {
    let mut md = wire_md(wire, reservoirs, accuracy, 10.0, World::serial())?;
    let params = FireParams {
        ftol: ftol_ev_per_a,
        etol: 0.0,
        max_steps,
        dt: 0.001,
    };
    let r = minimize(&mut md, &params)?;
    let hook = md
        .hooks
        .find::<SteadyStateForces>()
        .ok_or_else(|| Error::run("wire relaxation: the force hook is missing"))?;
    let x = hook.wire.mobile_x();
    wire.set_mobile_x(&x)?;
    Ok(r)
}
