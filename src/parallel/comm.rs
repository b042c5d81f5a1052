//! The one communication handle that physics code gets (potentials in `compute`, step hooks):
//! halo communication of per-atom arrays between owned atoms and their ghost copies, and global
//! reductions over the ranks of the MD. It wraps the ghost layer and the world of the run, so a
//! potential never sees MPI, and a serial run takes the same path with one rank.

use crate::parallel::{GhostComm, World};
use crate::system::{Atoms, FieldId};

/// Halo forward/reverse and global reductions for the physics of one rank.
pub struct Comm<'a> {
    ghosts: &'a mut GhostComm,
    world: &'a World,
}

impl<'a> Comm<'a> {
    /// The handle over a ghost layer and the world it belongs to.
    pub fn new(ghosts: &'a mut GhostComm, world: &'a World) -> Self {
        Comm { ghosts, world }
    }

    /// Copy owned values of an array of `width` doubles per atom to the ghost copies.
    pub fn forward(&mut self, v: &mut [f64], width: usize) {
        self.ghosts.forward(v, width);
    }

    /// Add ghost values of an array of `width` doubles per atom to their owners.
    pub fn reverse(&mut self, v: &mut [f64], width: usize) {
        self.ghosts.reverse(v, width);
    }

    /// Forward a registered per-atom field to the ghosts.
    pub fn forward_field(&mut self, atoms: &mut Atoms, id: FieldId) {
        let w = atoms.fields.spec(id).width;
        self.ghosts.forward(atoms.fields.get_mut(id), w);
    }

    /// Reverse (sum into the owners) a registered per-atom field.
    pub fn reverse_field(&mut self, atoms: &mut Atoms, id: FieldId) {
        let w = atoms.fields.spec(id).width;
        self.ghosts.reverse(atoms.fields.get_mut(id), w);
    }

    /// Element-wise sum of `v` over all ranks (every rank gets the result).
    pub fn sum(&self, v: &mut [f64]) {
        self.world.sum(v);
    }

    /// Maximum of `x` over all ranks.
    pub fn max(&self, x: f64) -> f64 {
        self.world.max(x)
    }

    /// Minimum of `x` over all ranks.
    pub fn min(&self, x: f64) -> f64 {
        -self.world.max(-x)
    }
}
