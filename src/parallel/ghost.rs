//! Ghost atoms by staged swaps (Plimpton, J. Comput. Phys. 117, 1 (1995); LAMMPS `Comm::borders`):
//! along x, then y, then z, each face sends the atoms within the ghost cutoff of it to the
//! neighbouring sub-domain, which stores them as ghosts shifted by the box length when the swap
//! crosses a periodic face. Because later dimensions also forward the ghosts of earlier ones,
//! edge and corner ghosts arrive without diagonal messages. A sub-domain thinner than the ghost
//! cutoff along an axis takes several swaps (hops) in that direction.
//!
//! The swap list is recorded once per re-neighbouring and replayed every step: forward
//! (positions, per-atom scalars) in order, reverse (forces, scalars) in reverse order.
//! With one rank, every swap is a copy to itself with the periodic shift.

use crate::parallel::Halo;
use crate::system::{Atoms, SimBox};

/// One recorded swap: which local atoms were sent, with which periodic shift, and where the
/// received copies sit.
#[derive(Clone, Debug, Default)]
struct Swap {
    send: Vec<u32>,
    shift: [f64; 3],
    first_recv: usize,
}

/// The ghost layer of one rank.
#[derive(Clone, Debug, Default)]
pub struct GhostComm {
    swaps: Vec<Swap>,
    /// Ghost cutoff used at the last `borders` call, Å.
    pub cutghost: f64,
}

impl GhostComm {
    /// Create ghost atoms for all periodic images within `cutghost` of the box (one rank owning
    /// the whole box). Ghosts are appended after the owned atoms; any old ghosts are dropped.
    pub fn borders(&mut self, atoms: &mut Atoms, simbox: &SimBox, cutghost: f64) {
        atoms.clear_ghosts();
        self.cutghost = cutghost;
        let mut swaps = std::mem::take(&mut self.swaps);
        let mut used = 0;
        let len = simbox.lengths();
        for d in 0..3 {
            if !simbox.periodic(d) {
                continue;
            }
            let l = len[d];
            let hops = (cutghost / l).ceil().max(1.0) as usize;
            let base_end = atoms.nall();
            // Two directions: +1 sends atoms near the lower face to appear above the upper face
            // (shift +L), −1 the reverse.
            for dir in [1.0f64, -1.0] {
                let mut cand = 0..base_end;
                for _hop in 0..hops {
                    if used == swaps.len() {
                        swaps.push(Swap::default());
                    }
                    let sw = &mut swaps[used];
                    used += 1;
                    sw.send.clear();
                    sw.shift = [0.0; 3];
                    sw.shift[d] = dir * l;
                    for i in cand.clone() {
                        let xs = atoms.x[i][d] + dir * l;
                        let inside = if dir > 0.0 {
                            xs < simbox.hi[d] + cutghost
                        } else {
                            xs >= simbox.lo[d] - cutghost
                        };
                        if inside {
                            sw.send.push(i as u32);
                        }
                    }
                    sw.first_recv = atoms.nall();
                    for k in 0..sw.send.len() {
                        let i = sw.send[k] as usize;
                        let mut x = atoms.x[i];
                        x[d] += sw.shift[d];
                        let (id, t) = (atoms.id[i], atoms.typ[i]);
                        atoms.push_ghost(id, t, x);
                    }
                    cand = sw.first_recv..atoms.nall();
                }
            }
        }
        swaps.truncate(used);
        self.swaps = swaps;
    }

    /// Copy owned positions to the ghosts (with their periodic shifts), every step between
    /// re-neighbourings.
    pub fn forward_positions(&self, atoms: &mut Atoms) {
        for sw in &self.swaps {
            for (k, &i) in sw.send.iter().enumerate() {
                let x = atoms.x[i as usize];
                atoms.x[sw.first_recv + k] = [x[0] + sw.shift[0], x[1] + sw.shift[1], x[2] + sw.shift[2]];
            }
        }
    }

    /// Add the forces on ghosts to their owners (Newton's third law across the boundary).
    pub fn reverse_forces(&self, atoms: &mut Atoms) {
        for sw in self.swaps.iter().rev() {
            for (k, &i) in sw.send.iter().enumerate() {
                let g = sw.first_recv + k;
                let fg = atoms.f[g];
                let fi = &mut atoms.f[i as usize];
                fi[0] += fg[0];
                fi[1] += fg[1];
                fi[2] += fg[2];
            }
        }
    }

    /// Number of ghost atoms per swap (for the communication cost model).
    pub fn swap_sizes(&self) -> Vec<usize> {
        self.swaps.iter().map(|s| s.send.len()).collect()
    }
}

impl Halo for GhostComm {
    fn forward_scalar(&mut self, v: &mut [f64]) {
        for sw in &self.swaps {
            for (k, &i) in sw.send.iter().enumerate() {
                v[sw.first_recv + k] = v[i as usize];
            }
        }
    }

    fn reverse_scalar(&mut self, v: &mut [f64]) {
        for sw in self.swaps.iter().rev() {
            for (k, &i) in sw.send.iter().enumerate() {
                v[i as usize] += v[sw.first_recv + k];
            }
        }
    }
}
