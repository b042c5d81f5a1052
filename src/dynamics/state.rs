//! The MD state of one rank and the force evaluation of one step (ARCHITECTURE.md, "one MD
//! step", step 4): re-neighbour when some atom moved more than half the skin (wrap into the
//! periodic box, check for lost atoms, shrink-wrap, migrate, rebuild ghosts and every neighbour
//! list), else refresh ghost positions; pre-force hooks; the potential's forces; sum ghost forces
//! back to their owners; post-force hooks.

use std::time::Instant;

use crate::dynamics::hooks::{run_phase, Hook, HookHost, Hooks, Phase};
use crate::dynamics::timers::{Task, Timers};
use crate::error::{Error, Result};
use crate::neighbor::{ListSet, NeighborLists};
use crate::parallel::migrate::migrate;
use crate::parallel::{Comm, Decomposition, GhostComm, World};
use crate::potential::{Potential, Tally};
use crate::system::{Atoms, Boundary, Groups, SimBox};
use crate::units::{BOLTZ_EV_PER_K, MVV2E, NKTV2P};

/// Atoms closer than this (Å) are reported as overlapping when their forces are not finite.
const OVERLAP_A: f64 = 0.1;

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
    /// Every neighbour list (the potential's and the hooks'), built together.
    pub lists: NeighborLists,
    /// The potential's lists in `lists`.
    potential_lists: ListSet,
    /// Step hooks (thermostats, rigid leads, snapshot sender, ...), in call order.
    pub hooks: Hooks<Md>,
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
    /// Steps since the last re-neighbouring.
    since_build: u64,
    /// A hook asked for lists after they were built: re-neighbour before the next forces.
    lists_pending: bool,
    /// Load imbalance (max / mean owned atoms per rank) at the last re-neighbouring.
    pub imbalance: f64,
    /// Message buffers of atom migration.
    sendbuf: Vec<f64>,
    recvbuf: Vec<f64>,
}

impl HookHost for Md {
    fn hooks_mut(&mut self) -> &mut Hooks<Md> {
        &mut self.hooks
    }
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
        let mut lists = NeighborLists::new(skin);
        let potential_lists = lists.request(&potential.neighbor_requests());
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
            mine.fields = wrapped.fields.empty_like();
            for i in 0..wrapped.nlocal {
                if decomp.owns(&wrapped.x[i]) {
                    mine.push_owned_copy(&wrapped, i);
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
            lists,
            potential_lists,
            hooks: Hooks::default(),
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
            since_build: 0,
            lists_pending: false,
            imbalance: 1.0,
            sendbuf: Vec::new(),
            recvbuf: Vec::new(),
        })
    }

    /// Add a step hook. Its neighbour lists are built at [`Md::setup`], or, for a hook added
    /// after it, at a re-neighbouring before the next forces (every rank adds the same hooks).
    pub fn add_hook(&mut self, hook: Box<dyn Hook<Md>>) {
        let requests = hook.neighbor_requests();
        self.lists_pending |= self.lists.builds > 0 && !requests.is_empty();
        let lists = self.lists.request(&requests);
        self.hooks.push(hook, lists);
    }

    /// Steps since the last re-neighbouring (a checkpoint carries it: the next check for
    /// atoms that moved too far comes at the same step after a restart).
    pub fn since_build(&self) -> u64 {
        self.since_build
    }

    /// Take back a checkpoint's atoms on the rank that wrote them. `atoms` are this rank's
    /// owned atoms in the order it held them, with their positions at the last neighbour-list
    /// build; the ghosts and lists are rebuilt from them exactly as that build made them (same
    /// decomposition, same order, so the same pairs in the same order), then the current
    /// positions `x` and the forces of `atoms` are put back with this rank's `tally`: the next
    /// step is bit for bit the one the checkpointed run took.
    pub fn restore_in_place(
        &mut self,
        atoms: Atoms,
        x: Vec<[f64; 3]>,
        tally: Tally,
        since_build: u64,
    ) -> Result<()> {
        if x.len() != atoms.nlocal {
            return Err(Error::run(format!(
                "checkpoint: {} positions for {} atoms",
                x.len(),
                atoms.nlocal
            )));
        }
        let f: Vec<[f64; 3]> = atoms.f[..atoms.nlocal].to_vec();
        self.atoms = atoms;
        self.ghosts
            .borders(&mut self.atoms, &self.decomp, self.lists.cutneigh());
        self.lists.build(&self.atoms);
        self.atoms.x[..x.len()].copy_from_slice(&x);
        self.ghosts.forward_positions(&mut self.atoms);
        self.atoms.f[..f.len()].copy_from_slice(&f);
        self.tally = tally;
        self.since_build = since_build;
        self.lists_pending = false;
        Ok(())
    }

    /// Take back the atoms of a checkpoint written on another number of ranks (`all`: every
    /// atom, on every rank): keep those in this rank's sub-box and set up as at the start
    /// (ghosts, lists, forces), which agrees with the checkpointed run to round-off.
    pub fn restore_redistributed(&mut self, all: Atoms) -> Result<()> {
        let mut mine = Atoms::with_types(all.type_mass.clone());
        mine.fields = all.fields.empty_like();
        let mut wrapped = all;
        for i in 0..wrapped.nlocal {
            self.simbox.wrap(&mut wrapped.x[i], &mut wrapped.image[i]);
            if self.decomp.owns(&wrapped.x[i]) {
                mine.push_owned_copy(&wrapped, i);
            }
        }
        self.natoms = wrapped.nlocal as u64;
        let owned = self.world.sum_u64(mine.nlocal as u64);
        if owned != self.natoms {
            return Err(Error::run(format!(
                "checkpoint: the sub-domains hold {owned} of its {} atoms",
                self.natoms
            )));
        }
        self.atoms = mine;
        self.since_build = 0;
        self.setup()
    }

    /// Build ghosts and lists and compute the initial forces.
    pub fn setup(&mut self) -> Result<()> {
        self.reneighbor()?;
        self.force_pass()
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
                        // Every rank names the same atoms: up to SHOWN ids of each rank, shared.
                        const SHOWN: usize = 10;
                        let mut slots = vec![0.0; SHOWN * self.world.size()];
                        let mine = SHOWN * self.world.rank();
                        for (k, id) in lost.iter().take(SHOWN).enumerate() {
                            slots[mine + k] = *id as f64;
                        }
                        self.world.sum(&mut slots);
                        let shown: Vec<String> = slots
                            .iter()
                            .filter(|&&id| id > 0.0)
                            .take(SHOWN)
                            .map(|&id| (id as u64).to_string())
                            .collect();
                        return Err(Error::run(format!(
                            "step {}: {nlost} atom(s) left the fixed box along {} (ids {}{}); use a larger box or boundary 's'",
                            self.step,
                            ["x", "y", "z"][d],
                            shown.join(" "),
                            if nlost as usize > shown.len() { " ..." } else { "" }
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
            .borders(&mut self.atoms, &self.decomp, self.lists.cutneigh());
        self.timers.add(Task::Comm, t1);
        let t2 = Instant::now();
        self.lists.build(&self.atoms);
        self.timers.add(Task::Neigh, t2);
        self.reneighbors += 1;
        self.since_build = 0;
        self.lists_pending = false;
        Ok(())
    }

    /// All owned atoms gathered on rank 0 (in rank order; `None` on other ranks), for output:
    /// with their forces and migrating fields.
    pub fn gather(&self) -> Option<Atoms> {
        let a = &self.atoms;
        let width = a.packed_width() + 3;
        let mut buf = Vec::with_capacity(a.nlocal * width);
        for i in 0..a.nlocal {
            a.pack_owned(i, &mut buf);
            buf.extend_from_slice(&a.f[i]);
        }
        let all = self.world.gather_to_root(&buf)?;
        let mut out = Atoms::with_types(a.type_mass.clone());
        out.fields = a.fields.empty_like();
        for r in all.chunks_exact(width) {
            out.push_packed(&r[..width - 3]);
            let k = out.nlocal - 1;
            out.f[k] = [r[width - 3], r[width - 2], r[width - 1]];
        }
        Some(out)
    }

    /// Zero forces; pre-force hooks; the potential's forces with the current ghosts and lists;
    /// ghost forces summed back; post-force hooks (their energy and virial join the tally).
    fn force_pass(&mut self) -> Result<()> {
        self.atoms.zero_forces();
        run_phase(self, Phase::PreForce)?;
        let t0 = Instant::now();
        let mut comm = Comm::new(&mut self.ghosts, &self.world);
        let lists = self.lists.get(self.potential_lists);
        let tally = self.potential.compute(&mut self.atoms, lists, &mut comm)?;
        self.timers.add(Task::Pair, t0);
        let t1 = Instant::now();
        self.ghosts.reverse_forces(&mut self.atoms);
        self.timers.add(Task::Comm, t1);
        self.tally = tally;
        let extra = run_phase(self, Phase::PostForce)?;
        self.tally.add(&extra);
        self.check_finite()
    }

    /// Stop on a non-finite energy or force, which overlapping atoms (an EAM or pair term at
    /// r = 0) or a blown-up step give: one `any` reduction per force evaluation. On failure
    /// every rank learns each rank's first bad atom and that atom's nearest neighbour, so all
    /// ranks stop with the same message naming the step, the atom ids and their distance.
    fn check_finite(&self) -> Result<()> {
        let a = &self.atoms;
        let bad: Vec<usize> = (0..a.nlocal)
            .filter(|&i| !a.f[i].iter().all(|c| c.is_finite()))
            .collect();
        let bad_pe = !self.tally.pe.is_finite();
        if !self.world.any(!bad.is_empty() || bad_pe) {
            return Ok(());
        }
        // Per rank: count, first bad id, its nearest neighbour's id and distance (Å).
        let mut slots = vec![0.0; 4 * self.world.size()];
        if let Some(&i) = bad.first() {
            let mut nearest = (f64::INFINITY, 0u64);
            for j in (0..a.x.len()).filter(|&j| j != i) {
                let d: f64 = (0..3).map(|k| (a.x[j][k] - a.x[i][k]).powi(2)).sum();
                if d < nearest.0 {
                    nearest = (d, a.id[j]);
                }
            }
            let r = 4 * self.world.rank();
            slots[r..r + 4].copy_from_slice(&[
                bad.len() as f64,
                a.id[i] as f64,
                nearest.1 as f64,
                nearest.0.sqrt(),
            ]);
        }
        self.world.sum(&mut slots);
        let count: f64 = slots.chunks_exact(4).map(|s| s[0]).sum();
        let Some(s) = slots.chunks_exact(4).find(|s| s[0] > 0.0) else {
            return Err(Error::run(format!(
                "step {}: the potential energy is not finite (all forces are)",
                self.step
            )));
        };
        let (id, other, dist) = (s[1] as u64, s[2] as u64, s[3]);
        let cause = if dist < OVERLAP_A {
            " (overlapping atoms: check the data file or the structure)"
        } else {
            " (the step blew up: a smaller timestep or a relaxed start may help)"
        };
        Err(Error::run(format!(
            "step {}: non-finite force on {count} atom(s); atom {id} is {dist:.3e} Å from atom {other}{cause}",
            self.step
        )))
    }

    /// Forces after the positions changed: re-neighbour if needed, else update ghosts.
    pub fn compute_forces(&mut self) -> Result<()> {
        self.since_build += 1;
        let check = self.since_build >= self.neigh_every;
        let rebuild =
            self.lists_pending || (check && self.world.any(self.lists.moved_too_far(&self.atoms)));
        if rebuild {
            self.reneighbor()?;
        } else {
            let t0 = Instant::now();
            self.ghosts.forward_positions(&mut self.atoms);
            self.timers.add(Task::Comm, t0);
        }
        self.force_pass()
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
