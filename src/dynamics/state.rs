//! The MD state of one rank and the force evaluation of one step (ARCHITECTURE.md, "the flow of
//! one MD step", items 2–3): re-neighbour when some atom moved more than half the skin
//! (wrap into the periodic box, check for lost atoms, shrink-wrap, rebuild ghosts and lists),
//! else refresh ghost positions; compute forces; sum ghost forces back to their owners.

use std::time::Instant;

use crate::dynamics::timers::{Task, Timers};
use crate::error::{Error, Result};
use crate::neighbor::NeighborList;
use crate::parallel::migrate::migrate;
use crate::parallel::{Decomposition, GhostComm, World};
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
    pub decomp: Decomposition,
    pub world: World,
    /// Current step and timestep (ps).
    pub step: u64,
    pub dt: f64,
    /// Elapsed simulated time at `step`, ps: `anchor.1 + (step − anchor.0)·dt` (as LAMMPS, so
    /// that time does not accumulate round-off).
    pub time_ps: f64,
    /// (step, time) where the current timestep took effect.
    pub anchor: (u64, f64),
    /// This rank's energy and virial of the last force evaluation (see [`Md::global_tally`]).
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
    /// Rigid leads with imposed motion (their groups are also in `frozen`).
    pub leads: Vec<crate::dynamics::leads::Lead>,
    /// Thermostats on groups (Langevin, Nosé–Hoover chains).
    pub thermostats: Vec<crate::dynamics::thermostat::Thermostat>,
    /// Steps since the last re-neighbouring.
    since_build: u64,
    /// Load imbalance (max / mean owned atoms per rank) at the last re-neighbouring.
    pub imbalance: f64,
    /// Message buffers of atom migration.
    sendbuf: Vec<f64>,
    recvbuf: Vec<f64>,
}

impl Md {
    /// Set up the state from the whole system (every rank passes the same atoms): the box is
    /// decomposed over the ranks of `world` (on `grid`, or the surface-minimising grid) and each
    /// rank keeps the atoms of its sub-box. Forces are not computed until [`Md::setup`].
    pub fn new(
        simbox: SimBox,
        all: Atoms,
        groups: Groups,
        potential: Box<dyn Potential>,
        skin: f64,
        world: World,
        grid: Option<[usize; 3]>,
    ) -> Result<Md> {
        simbox.validate()?;
        if skin.is_nan() || skin < 0.0 {
            return Err(Error::run(format!(
                "neighbour skin must be non-negative, got {skin}"
            )));
        }
        let list = NeighborList::new(potential.cutoff(), skin);
        let natoms = all.nlocal as u64;
        let mut wrapped = all;
        for i in 0..wrapped.nlocal {
            simbox.wrap(&mut wrapped.x[i], &mut wrapped.image[i]);
        }
        let decomp = Decomposition::new(
            &simbox,
            &wrapped.x[..wrapped.nlocal],
            world.size(),
            world.rank(),
            grid,
        )?;
        let atoms = if world.size() == 1 {
            wrapped
        } else {
            let mut mine = Atoms::with_types(wrapped.type_mass.clone());
            for i in 0..wrapped.nlocal {
                if decomp.owns(&wrapped.x[i]) {
                    mine.push_owned(wrapped.id[i], wrapped.typ[i], wrapped.x[i], wrapped.v[i]);
                    let k = mine.nlocal - 1;
                    mine.image[k] = wrapped.image[i];
                    mine.mask[k] = wrapped.mask[i];
                }
            }
            mine
        };
        let owned = world.sum_u64(atoms.nlocal as u64);
        if owned != natoms {
            return Err(Error::run(format!(
                "domain decomposition assigned {owned} of {natoms} atoms"
            )));
        }
        let ghosts = GhostComm::new(world.duplicate());
        Ok(Md {
            simbox,
            atoms,
            groups,
            potential,
            list,
            ghosts,
            decomp,
            world,
            step: 0,
            dt: 0.001,
            time_ps: 0.0,
            anchor: (0, 0.0),
            tally: Tally::default(),
            natoms,
            timers: Timers::default(),
            reneighbors: 0,
            neigh_every: 1,
            frozen: 0,
            nmobile: natoms,
            leads: Vec::new(),
            thermostats: Vec::new(),
            since_build: 0,
            imbalance: 1.0,
            sendbuf: Vec::new(),
            recvbuf: Vec::new(),
        })
    }

    /// Build ghosts and lists and compute the initial forces.
    pub fn setup(&mut self) -> Result<()> {
        self.reneighbor()?;
        self.force_pass();
        Ok(())
    }

    /// Wrap atoms into the periodic box, check for lost atoms, shrink-wrap, migrate atoms to
    /// their ranks, rebuild ghosts and the neighbour list.
    fn reneighbor(&mut self) -> Result<()> {
        let t0 = Instant::now();
        let sb = &mut self.simbox;
        let atoms = &mut self.atoms;
        atoms.clear_ghosts();
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
                    let nlost = self.world.sum_u64(lost.len() as u64);
                    if nlost > 0 {
                        let shown: Vec<String> =
                            lost.iter().take(10).map(|i| i.to_string()).collect();
                        return Err(Error::run(format!(
                            "step {}: {nlost} atom(s) left the fixed box along {} (ids {}{}); use a larger box or boundary 's'",
                            self.step,
                            ["x", "y", "z"][d],
                            shown.join(" "),
                            if lost.len() > 10 { " ..." } else { "" }
                        )));
                    }
                }
                Boundary::Shrink => {
                    let mut lo = f64::INFINITY;
                    let mut hi = f64::NEG_INFINITY;
                    for x in &atoms.x[..atoms.nlocal] {
                        lo = lo.min(x[d]);
                        hi = hi.max(x[d]);
                    }
                    let lo = -self.world.max(-lo);
                    let hi = self.world.max(hi);
                    if lo.is_finite() {
                        sb.lo[d] = lo;
                        sb.hi[d] = hi.max(lo + 1e-6);
                    }
                }
                Boundary::Periodic => {}
            }
        }
        if self.world.size() > 1 {
            migrate(
                atoms,
                &self.decomp,
                &self.world,
                &mut self.sendbuf,
                &mut self.recvbuf,
            );
            let counts = self.world.all_gather_u64(atoms.nlocal as u64);
            let total: u64 = counts.iter().sum();
            if total != self.natoms {
                return Err(Error::run(format!(
                    "step {}: {} atoms after migration instead of {} (an atom moved further than one sub-domain between re-neighbourings)",
                    self.step, total, self.natoms
                )));
            }
            let max = *counts.iter().max().unwrap_or(&0) as f64;
            self.imbalance = max / (total as f64 / counts.len() as f64).max(1e-300);
            log::debug!(
                "step {}: load imbalance max/mean atoms per rank = {:.3}",
                self.step,
                self.imbalance
            );
        }
        self.timers.add(Task::Comm, t0);
        let t1 = Instant::now();
        self.ghosts
            .borders(&mut self.atoms, &self.decomp, self.list.cutneigh());
        self.timers.add(Task::Comm, t1);
        let t2 = Instant::now();
        self.list.build(&self.atoms);
        self.timers.add(Task::Neigh, t2);
        self.reneighbors += 1;
        self.since_build = 0;
        Ok(())
    }

    /// All owned atoms gathered on rank 0 (in rank order; `None` on other ranks), for output.
    pub fn gather(&self) -> Option<Atoms> {
        let a = &self.atoms;
        let mut buf = Vec::with_capacity(a.nlocal * 15);
        for i in 0..a.nlocal {
            let (x, v, f, im) = (a.x[i], a.v[i], a.f[i], a.image[i]);
            buf.extend_from_slice(&[a.id[i] as f64, a.typ[i] as f64, a.mask[i] as f64]);
            buf.extend_from_slice(&x);
            buf.extend_from_slice(&v);
            buf.extend_from_slice(&f);
            buf.extend_from_slice(&[im[0] as f64, im[1] as f64, im[2] as f64]);
        }
        let all = self.world.gather_to_root(&buf)?;
        let mut out = Atoms::with_types(a.type_mass.clone());
        for r in all.chunks_exact(15) {
            out.push_owned(
                r[0] as u64,
                r[1] as u32,
                [r[3], r[4], r[5]],
                [r[6], r[7], r[8]],
            );
            let k = out.nlocal - 1;
            out.mask[k] = r[2] as u32;
            out.f[k] = [r[9], r[10], r[11]];
            out.image[k] = [r[12] as i32, r[13] as i32, r[14] as i32];
        }
        Some(out)
    }

    /// Zero forces, compute them with the current ghosts and list, and sum ghost forces back.
    fn force_pass(&mut self) {
        let t0 = Instant::now();
        self.atoms.zero_forces();
        let tally = self
            .potential
            .compute(&mut self.atoms, &self.list, &mut self.ghosts);
        self.timers.add(Task::Pair, t0);
        let t1 = Instant::now();
        self.ghosts.reverse_forces(&mut self.atoms);
        self.tally = tally;
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
        let n = (0..self.atoms.nlocal)
            .filter(|&i| self.atoms.mask[i] & bits == 0)
            .count();
        self.nmobile = self.world.sum_u64(n as u64);
    }

    /// Change the timestep from the current step on.
    pub fn set_timestep(&mut self, dt: f64) {
        self.anchor = (self.step, self.time_ps);
        self.dt = dt;
    }

    /// Whether owned atom i moves (is in no frozen group).
    #[inline]
    pub fn mobile(&self, i: usize) -> bool {
        self.atoms.mask[i] & self.frozen == 0
    }

    /// Energy and virial of the last force evaluation summed over all ranks (a reduction: call
    /// it on output steps only).
    pub fn global_tally(&self) -> Tally {
        let t = &self.tally;
        let mut buf = [
            t.pe,
            t.virial[0],
            t.virial[1],
            t.virial[2],
            t.virial[3],
            t.virial[4],
            t.virial[5],
        ];
        self.world.sum(&mut buf);
        Tally {
            pe: buf[0],
            virial: [buf[1], buf[2], buf[3], buf[4], buf[5], buf[6]],
        }
    }

    /// Potential energy of the last force evaluation, eV, global.
    pub fn pe(&self) -> f64 {
        self.global_tally().pe
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
        let tally = self.global_tally();
        let w = tally.virial;
        Thermo {
            step: self.step,
            time_ps: self.time_ps,
            pe_ev: tally.pe,
            ke_ev: ke,
            temp_k: 2.0 * ke / (self.dof() * BOLTZ_EV_PER_K),
            press_bar: (2.0 * ke + w[0] + w[1] + w[2]) / (3.0 * self.simbox.volume()) * NKTV2P,
        }
    }
}
