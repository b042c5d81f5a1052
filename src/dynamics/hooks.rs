//! Step hooks: everything that acts on the atoms during a step besides the integrator and the
//! potential, called at the points where LAMMPS calls its fixes (`Modify::initial_integrate`,
//! `post_integrate`, `pre_force`, `post_force`, `end_of_step`). Thermostats, rigid driven leads
//! and the inline snapshot sender are hooks; a charge equilibration (pre-force), an applied
//! potential relaxed between steps, or electronic forces from a density matrix (post-force)
//! plug in the same way. One step (see [`crate::dynamics::verlet::step`]):
//!
//! 1. [`Hook::pre_integrate`] (Nosé–Hoover chains' first half-step);
//! 2. half-kick and drift; when some hook [`Hook::splits_drift`], the drift is cut in two
//!    halves with [`Hook::mid_drift`] between them (the Langevin O step of BAOAB);
//! 3. [`Hook::post_integrate`] (rigid leads move to their imposed positions);
//! 4. re-neighbouring or forward communication, then [`Hook::pre_force`], the potential,
//!    the reverse communication of ghost forces, and [`Hook::post_force`] (which may add forces,
//!    energy and virial on owned atoms);
//! 5. the second half-kick, then [`Hook::end_of_step`] (Nosé–Hoover's second half-step, output,
//!    snapshots to transport ranks).
//!
//! Hooks run in the order they were added. While one runs it is taken out of its slot, so it
//! gets `&mut Md` with every other hook still reachable through `md.hooks`. Each hook's wall
//! time is its own row of the closing timing table. A hook's state is reached from outside the step (an
//! output, a protocol stage) through [`Hooks::find`] and [`Hooks::find_mut`]. A hook that
//! communicates takes the same handle as the potentials,
//! `Comm::new(&mut md.ghosts, &md.world)` ([`crate::parallel::Comm`]), beside `&mut md.atoms`.

use std::any::Any;
use std::time::Instant;

use crate::error::Result;
use crate::neighbor::{ListRequest, ListSet};
use crate::potential::Tally;

/// Something that acts at fixed points of every step of a state `S` (the MD state
/// [`crate::dynamics::Md`]; the machinery here does not depend on it). Every method has a
/// do-nothing default.
pub trait Hook<S>: Any {
    /// Name of its row in the timing table.
    fn name(&self) -> &str;
    /// Neighbour lists it needs (built with the potential's, from the same bins).
    fn neighbor_requests(&self) -> Vec<ListRequest> {
        Vec::new()
    }
    /// Whether the drift of this step is to be split around [`Hook::mid_drift`].
    fn splits_drift(&self) -> bool {
        false
    }
    /// Start of the step, before the first half-kick.
    fn pre_integrate(&mut self, _md: &mut S) -> Result<()> {
        Ok(())
    }
    /// Between the two half-drifts (only when some hook splits the drift).
    fn mid_drift(&mut self, _md: &mut S) -> Result<()> {
        Ok(())
    }
    /// After the positions moved, before the forces.
    fn post_integrate(&mut self, _md: &mut S) -> Result<()> {
        Ok(())
    }
    /// Ghosts and lists are current (its lists are `md.lists.get(lists)`), forces not yet
    /// computed.
    fn pre_force(&mut self, _md: &mut S, _lists: ListSet) -> Result<()> {
        Ok(())
    }
    /// After the potential's forces were summed onto the owned atoms: add forces to owned atoms
    /// and return this rank's energy and virial of them.
    fn post_force(&mut self, _md: &mut S, _lists: ListSet) -> Result<Tally> {
        Ok(Tally::default())
    }
    /// After the second half-kick; `md.step` and `md.time_ps` are the new step's.
    fn end_of_step(&mut self, _md: &mut S) -> Result<()> {
        Ok(())
    }
    /// This rank's state for a checkpoint: what the hook changed since the deck made it (chain
    /// variables, motions set by protocol stages, accumulated work). Default: nothing.
    fn save_state(&self) -> Vec<u8> {
        Vec::new()
    }
    /// Take back a checkpoint's states: `saved[r]` is what rank r of the checkpointed run
    /// saved. On as many ranks as saved a rank takes its own; on another number the hook
    /// combines them (sums of per-rank work go to rank 0). Default: nothing to take.
    fn restore_state(&mut self, _saved: &[Vec<u8>], _rank: usize, _nranks: usize) -> Result<()> {
        Ok(())
    }
}

/// Where in the step a hook is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    PreIntegrate,
    MidDrift,
    PostIntegrate,
    PreForce,
    PostForce,
    EndOfStep,
}

/// One registered hook: the hook (absent while it runs), its lists and its accumulated seconds.
struct Slot<S> {
    hook: Option<Box<dyn Hook<S>>>,
    lists: ListSet,
    seconds: f64,
}

/// The hooks of a run, in call order.
pub struct Hooks<S> {
    slots: Vec<Slot<S>>,
}

impl<S> Default for Hooks<S> {
    fn default() -> Self {
        Hooks { slots: Vec::new() }
    }
}

/// A state that holds hooks acting on itself.
pub trait HookHost: Sized + 'static {
    /// Its hooks.
    fn hooks_mut(&mut self) -> &mut Hooks<Self>;
}

impl<S: 'static> Hooks<S> {
    /// Add a hook whose neighbour lists are `lists`.
    pub fn push(&mut self, hook: Box<dyn Hook<S>>, lists: ListSet) {
        self.slots.push(Slot {
            hook: Some(hook),
            lists,
            seconds: 0.0,
        });
    }

    /// The first hook of type `T` (not the one running now).
    pub fn find<T: Hook<S>>(&self) -> Option<&T> {
        self.slots.iter().find_map(|s| {
            let h: &dyn Any = s.hook.as_deref()?;
            h.downcast_ref::<T>()
        })
    }

    /// The first hook of type `T`, mutable.
    pub fn find_mut<T: Hook<S>>(&mut self) -> Option<&mut T> {
        self.slots.iter_mut().find_map(|s| {
            let h: &mut dyn Any = s.hook.as_deref_mut()?;
            h.downcast_mut::<T>()
        })
    }

    /// Remove the first hook of type `T` and return it (the end of a run that needs it back).
    pub fn take<T: Hook<S>>(&mut self) -> Option<Box<T>> {
        let is_t = |s: &Slot<S>| s.hook.as_deref().is_some_and(|h| (h as &dyn Any).is::<T>());
        let k = self.slots.iter().position(is_t)?;
        let hook: Box<dyn Any> = self.slots.remove(k).hook?;
        hook.downcast::<T>().ok()
    }

    /// Names and accumulated seconds of every hook, for the timing table.
    pub fn timings(&self) -> Vec<(String, f64)> {
        self.slots
            .iter()
            .map(|s| {
                let name = s.hook.as_ref().map_or("?", |h| h.name()).to_string();
                (name, s.seconds)
            })
            .collect()
    }

    /// Forget the accumulated seconds.
    pub fn reset_timings(&mut self) {
        for s in self.slots.iter_mut() {
            s.seconds = 0.0;
        }
    }

    /// Every hook's name and [`Hook::save_state`], in call order.
    pub fn save_states(&self) -> Vec<(String, Vec<u8>)> {
        self.slots
            .iter()
            .filter_map(|s| s.hook.as_ref())
            .map(|h| (h.name().to_string(), h.save_state()))
            .collect()
    }

    /// Give each hook its saved states ([`Hook::restore_state`]): `saved[k]` is hook k's name
    /// and the state of every rank. The hooks must be those of the checkpoint, in its order.
    pub fn restore_states(
        &mut self,
        saved: &[(String, Vec<Vec<u8>>)],
        rank: usize,
        nranks: usize,
    ) -> Result<()> {
        let names: Vec<String> = self.save_states().into_iter().map(|(n, _)| n).collect();
        let saved_names: Vec<&String> = saved.iter().map(|(n, _)| n).collect();
        if names.iter().collect::<Vec<_>>() != saved_names {
            return Err(crate::error::Error::run(format!(
                "the checkpoint's step hooks {saved_names:?} are not this deck's {names:?}"
            )));
        }
        for (slot, (_, states)) in self.slots.iter_mut().zip(saved) {
            if let Some(h) = slot.hook.as_mut() {
                h.restore_state(states, rank, nranks)?;
            }
        }
        Ok(())
    }

    /// Whether any hook splits the drift of this step.
    pub fn split_drift(&self) -> bool {
        self.slots
            .iter()
            .filter_map(|s| s.hook.as_ref())
            .any(|h| h.splits_drift())
    }
}

/// Call every hook of `md` at `phase`, each with the others reachable; returns the summed energy
/// and virial of post-force hooks.
pub fn run_phase<S: HookHost>(md: &mut S, phase: Phase) -> Result<Tally> {
    let mut tally = Tally::default();
    for k in 0..md.hooks_mut().slots.len() {
        let Some(mut hook) = md.hooks_mut().slots[k].hook.take() else {
            continue;
        };
        let lists = md.hooks_mut().slots[k].lists;
        let t0 = Instant::now();
        let r = match phase {
            Phase::PreIntegrate => hook.pre_integrate(md),
            Phase::MidDrift => hook.mid_drift(md),
            Phase::PostIntegrate => hook.post_integrate(md),
            Phase::PreForce => hook.pre_force(md, lists),
            Phase::PostForce => hook.post_force(md, lists).map(|t| tally.add(&t)),
            Phase::EndOfStep => hook.end_of_step(md),
        };
        let slot = &mut md.hooks_mut().slots[k];
        slot.seconds += t0.elapsed().as_secs_f64();
        slot.hook = Some(hook);
        r?;
    }
    Ok(tally)
}
