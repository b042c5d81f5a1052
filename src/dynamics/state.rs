//! The MD state of one rank and the force evaluation of one step (ARCHITECTURE.md, "the flow of
//! one MD step", items 2–3): re-neighbour when some atom moved more than half the skin
//! (wrap into the periodic box, check for lost atoms, shrink-wrap, rebuild ghosts and lists),
//! else refresh ghost positions; compute forces; sum ghost forces back to their owners.

use std::time::Instant;

use crate::dynamics::timers::{Task, Timers};
use crate::error::{Error, Result};
use crate::neighbor::NeighborList;
use crate::parallel::{GhostComm, World};
use crate::potential::{Potential, Tally};
use crate::system::{Atoms, Boundary, Groups, SimBox};
use crate::units::{BOLTZ_EV_PER_K, MVV2E, NKTV2P};

/// Global thermodynamic state, LAMMPS `thermo_style custom step pe ke etotal temp press`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Thermo {
    pub step: u64,
    pub time_ps: f64,
    pub pe_ev: f64,
    pub ke_ev: f64,
    pub temp_k: f64,
    pub press_bar: f64,
}

impl Thermo {
    /// Total energy pe + ke, eV.
    pub fn etotal_ev(&self) -> f64 {
        self.pe_ev + self.ke_ev
    }
}

/// The state of an MD run on this rank.
pub struct Md {
    pub simbox: SimBox,
    pub atoms: Atoms,
    pub groups: Groups,
    pub potential: Box<dyn Potential>,
    pub list: NeighborList,
    pub ghosts: GhostComm,
    pub world: World,
    /// Current step and timestep (ps).
    pub step: u64,
    pub dt: f64,
    /// Elapsed simulated time at `step`, ps.
    pub time_ps: f64,
    /// Global energy and virial of the last force evaluation.
    pub tally: Tally,
    /// Total number of atoms (all ranks).
    pub natoms: u64,
    pub timers: Timers,
    /// Number of re-neighbourings.
    pub reneighbors: u64,
    /// Re-neighbour every this many steps at most often (LAMMPS `neigh_modify every`).
    pub neigh_every: u64,
    /// Group bits of atoms held fixed (positions and velocities not integrated); set with
    /// [`Md::set_frozen`].
    pub frozen: u32,
    /// Number of atoms not frozen (all ranks).
    pub nmobile: u64,
    /// Steps since the last re-neighbouring.
    since_build: u64,
}

impl Md {
    /// Set up the state. Forces are not computed until [`Md::setup`].
    pub fn new(simbox: SimBox, atoms: Atoms, groups: Groups, potential: Box<dyn Potential>, skin: f64, world: World) -> Result<Md> {
        simbox.validate()?;
        if !(skin >= 0.0) {
            return Err(Error::run(format!("neighbour skin must be non-negative, got {skin}")));
        }
        let list = NeighborList::new(potential.cutoff(), skin);
        let natoms = world.sum_u64(atoms.nlocal as u64);
        Ok(Md {
            simbox,
            atoms,
            groups,
            potential,
            list,
            ghosts: GhostComm::default(),
            world,
            step: 0,
            dt: 0.001,
            time_ps: 0.0,
            tally: Tally::default(),
            natoms,
            timers: Timers::default(),
            reneighbors: 0,
            neigh_every: 1,
            frozen: 0,
            nmobile: natoms,
            since_build: 0,
        })
    }

    /// Build ghosts and lists and compute the initial forces.
    pub fn setup(&mut self) -> Result<()> {
        self.reneighbor()?;
        self.force_pass();
        Ok(())
    }

    /// Wrap atoms, check the box, rebuild ghosts and the neighbour list.
    fn reneighbor(&mut self) -> Result<()> {
        let t0 = Instant::now();
        let sb = &mut self.simbox;
        let atoms = &mut self.atoms;
        for i in 0..atoms.nlocal {
            sb.wrap(&mut atoms.x[i], &mut atoms.image[i]);
        }
        // Lost atoms on fixed faces; shrink-wrapped faces follow the atoms.
        for d in 0..3 {
            match sb.boundary[d] {
                Boundary::Fixed => {
                    let lost: Vec<u64> = (0..atoms.nlocal)
                        .filter(|&i| atoms.x[i][d] < sb.lo[d] || atoms.x[i][d] > sb.hi[d])
                        .map(|i| atoms.id[i])
                        .collect();
                    if !lost.is_empty() {
                        let shown: Vec<String> = lost.iter().take(10).map(|i| i.to_string()).collect();
                        return Err(Error::run(format!(
                            "step {}: {} atom(s) left the fixed box along {} (ids {}{}); use a larger box or boundary 's'",
                            self.step,
                            lost.len(),
                            ["x", "y", "z"][d],
                            shown.join(" "),
                            if lost.len() > 10 { " ..." } else { "" }
                        )));
                    }
                }
                Boundary::Shrink if atoms.nlocal > 0 => {
                    let mut lo = f64::INFINITY;
                    let mut hi = f64::NEG_INFINITY;
                    for x in &atoms.x[..atoms.nlocal] {
                        lo = lo.min(x[d]);
                        hi = hi.max(x[d]);
                    }
                    sb.lo[d] = lo;
                    sb.hi[d] = hi.max(lo + 1e-6);
                }
                _ => {}
            }
        }
        self.timers.add(Task::Comm, t0);
        let t1 = Instant::now();
        self.ghosts.borders(&mut self.atoms, &self.simbox, self.list.cutneigh());
        self.timers.add(Task::Comm, t1);
        let t2 = Instant::now();
        self.list.build(&self.atoms);
        self.timers.add(Task::Neigh, t2);
        self.reneighbors += 1;
        self.since_build = 0;
        Ok(())
    }

    /// Zero forces, compute them with the current ghosts and list, and sum ghost forces back.
    fn force_pass(&mut self) {
        let t0 = Instant::now();
        self.atoms.zero_forces();
        let tally = self.potential.compute(&mut self.atoms, &self.list, &mut self.ghosts);
        self.timers.add(Task::Pair, t0);
        let t1 = Instant::now();
        self.ghosts.reverse_forces(&mut self.atoms);
        let mut buf = [tally.pe, tally.virial[0], tally.virial[1], tally.virial[2], tally.virial[3], tally.virial[4], tally.virial[5]];
        self.world.sum(&mut buf);
        self.tally = Tally {
            pe: buf[0],
            virial: [buf[1], buf[2], buf[3], buf[4], buf[5], buf[6]],
        };
        self.timers.add(Task::Comm, t1);
    }

    /// Forces after the positions changed: re-neighbour if needed, else update ghosts.
    pub fn compute_forces(&mut self) -> Result<()> {
        self.since_build += 1;
        let check = self.since_build >= self.neigh_every;
        let rebuild = check && self.world.any(self.list.moved_too_far(&self.atoms));
        if rebuild {
            self.reneighbor()?;
        } else {
            let t0 = Instant::now();
            self.ghosts.forward_positions(&mut self.atoms);
            self.timers.add(Task::Comm, t0);
        }
        self.force_pass();
        Ok(())
    }

    /// Hold the atoms of the groups in `bits` fixed.
    pub fn set_frozen(&mut self, bits: u32) {
        self.frozen = bits;
        let n = (0..self.atoms.nlocal).filter(|&i| self.atoms.mask[i] & bits == 0).count();
        self.nmobile = self.world.sum_u64(n as u64);
    }

    /// Whether owned atom i moves (is in no frozen group).
    #[inline]
    pub fn mobile(&self, i: usize) -> bool {
        self.atoms.mask[i] & self.frozen == 0
    }

    /// Kinetic energy Σ ½ m v² (eV), global.
    pub fn kinetic_energy(&self) -> f64 {
        let a = &self.atoms;
        let mut s = [0.0];
        for i in 0..a.nlocal {
            let v = a.v[i];
            s[0] += a.mass(i) * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        }
        self.world.sum(&mut s);
        0.5 * MVV2E * s[0]
    }

    /// Degrees of freedom of the temperature: 3N − 3 over the mobile atoms (centre-of-mass
    /// momentum removed), as LAMMPS `compute temp` on the group that moves; with no frozen group
    /// this is LAMMPS's thermo temperature exactly.
    pub fn dof(&self) -> f64 {
        (3 * self.nmobile).saturating_sub(3).max(1) as f64
    }

    /// Thermodynamic output of the current state.
    ///
    /// T = 2 KE / (dof·kB); P = (2 KE + W_xx + W_yy + W_zz) / (3V) (LAMMPS `compute pressure`,
    /// with the box volume also for non-periodic boundaries).
    pub fn thermo(&self) -> Thermo {
        let ke = self.kinetic_energy();
        let w = self.tally.virial;
        Thermo {
            step: self.step,
            time_ps: self.time_ps,
            pe_ev: self.tally.pe,
            ke_ev: ke,
            temp_k: 2.0 * ke / (self.dof() * BOLTZ_EV_PER_K),
            press_bar: (2.0 * ke + w[0] + w[1] + w[2]) / (3.0 * self.simbox.volume()) * NKTV2P,
        }
    }
}
