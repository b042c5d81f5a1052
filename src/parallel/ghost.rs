//! Ghost atoms by staged swaps (Plimpton, J. Comput. Phys. 117, 1 (1995); the scheme of LAMMPS
//! `Comm::borders`): along x, then y, then z, each rank sends the atoms within the ghost cutoff
//! of a face to the neighbouring rank across that face, which stores them as ghosts, shifted by
//! the box length when the swap crosses a periodic boundary. Later axes also forward the ghosts
//! of earlier ones, so edge and corner ghosts arrive without diagonal messages. Sub-boxes thinner
//! than the ghost cutoff take several hops per direction: hop k forwards the ghosts received in
//! hop k − 1.
//!
//! The swap list is recorded once per re-neighbouring and replayed every step: forward
//! communication (positions with their shifts, per-atom scalars such as EAM's F'(ρ)) in swap
//! order, reverse communication (ghost forces, EAM densities) in reverse order, summed into the
//! owners. With one rank along an axis, the swaps along it are copies to itself.

use crate::parallel::{Decomposition, Halo, World};
use crate::system::Atoms;

/// One recorded swap.
#[derive(Clone, Debug, Default)]
struct Swap {
    /// Local indices of the atoms sent.
    send: Vec<u32>,
    /// Rank the atoms go to, and the rank ghosts come from (`None` at a non-periodic edge).
    send_to: Option<usize>,
    recv_from: Option<usize>,
    /// Shift added to the positions sent, Å.
    shift: [f64; 3],
    /// Where the received ghosts start, and how many.
    first_recv: usize,
    nrecv: usize,
    /// Sent to and received from this rank itself (a periodic axis with one rank): the ghosts
    /// are copies of `send` in order, so no buffers are needed.
    to_self: bool,
}

/// The ghost layer of one rank: the swaps and their message buffers.
pub struct GhostComm {
    world: World,
    swaps: Vec<Swap>,
    sendbuf: Vec<f64>,
    recvbuf: Vec<f64>,
    /// Ghost cutoff used at the last `borders` call, Å.
    pub cutghost: f64,
}

impl GhostComm {
    /// A ghost layer communicating over `world` (use a duplicate of the run's communicator).
    pub fn new(world: World) -> Self {
        GhostComm {
            world,
            swaps: Vec::new(),
            sendbuf: Vec::new(),
            recvbuf: Vec::new(),
            cutghost: 0.0,
        }
    }

    /// Rebuild the ghost atoms: every atom within `cutghost` of this rank's sub-box, including
    /// periodic images, ends up as a ghost after the owned atoms. Old ghosts are dropped.
    pub fn borders(&mut self, atoms: &mut Atoms, decomp: &Decomposition, cutghost: f64) {
        atoms.clear_ghosts();
        self.cutghost = cutghost;
        let mut used = 0;
        for d in 0..3 {
            let hops = decomp.hops(d, cutghost);
            let base_end = atoms.nall();
            for dir in [-1i64, 1] {
                let to = decomp.neighbor(d, dir);
                let from = decomp.neighbor(d, -dir).map(|n| n.0);
                let (lo, hi) = (decomp.sublo(d), decomp.subhi(d));
                let mut cand = 0..base_end;
                for _ in 0..hops {
                    if used == self.swaps.len() {
                        self.swaps.push(Swap::default());
                    }
                    let sw = &mut self.swaps[used];
                    used += 1;
                    sw.send.clear();
                    sw.send_to = to.map(|n| n.0);
                    sw.recv_from = from;
                    sw.shift = [0.0; 3];
                    if let Some((_, shift)) = to {
                        sw.shift[d] = shift;
                        for i in cand.clone() {
                            let x = atoms.x[i][d];
                            let near = if dir < 0 {
                                x < lo + cutghost
                            } else {
                                x >= hi - cutghost
                            };
                            if near {
                                sw.send.push(i as u32);
                            }
                        }
                    }
                    self.sendbuf.clear();
                    for &i in &sw.send {
                        let i = i as usize;
                        let x = atoms.x[i];
                        self.sendbuf.extend_from_slice(&[
                            atoms.id[i] as f64,
                            atoms.typ[i] as f64,
                            x[0] + sw.shift[0],
                            x[1] + sw.shift[1],
                            x[2] + sw.shift[2],
                        ]);
                    }
                    self.world
                        .exchange(&self.sendbuf, sw.send_to, &mut self.recvbuf, sw.recv_from);
                    sw.first_recv = atoms.nall();
                    sw.nrecv = self.recvbuf.len() / 5;
                    let me = Some(self.world.rank());
                    sw.to_self = sw.send_to == me && sw.recv_from == me;
                    for g in self.recvbuf.chunks_exact(5) {
                        atoms.push_ghost(g[0] as u64, g[1] as u32, [g[2], g[3], g[4]]);
                    }
                    cand = sw.first_recv..atoms.nall();
                }
            }
        }
        self.swaps.truncate(used);
    }

    /// Refresh ghost positions from their owners (every step between re-neighbourings).
    pub fn forward_positions(&mut self, atoms: &mut Atoms) {
        for sw in &self.swaps {
            if sw.to_self {
                for (k, &i) in sw.send.iter().enumerate() {
                    let x = atoms.x[i as usize];
                    atoms.x[sw.first_recv + k] =
                        [x[0] + sw.shift[0], x[1] + sw.shift[1], x[2] + sw.shift[2]];
                }
                continue;
            }
            self.sendbuf.clear();
            for &i in &sw.send {
                let x = atoms.x[i as usize];
                self.sendbuf.extend_from_slice(&[
                    x[0] + sw.shift[0],
                    x[1] + sw.shift[1],
                    x[2] + sw.shift[2],
                ]);
            }
            self.world.exchange_sized(
                &self.sendbuf,
                sw.send_to,
                &mut self.recvbuf,
                sw.recv_from,
                Some(3 * sw.nrecv),
            );
            for (k, g) in self.recvbuf.chunks_exact(3).enumerate() {
                atoms.x[sw.first_recv + k] = [g[0], g[1], g[2]];
            }
        }
    }

    /// Add the forces accumulated on ghosts to their owners (Newton's third law across rank
    /// and periodic boundaries).
    pub fn reverse_forces(&mut self, atoms: &mut Atoms) {
        for sw in self.swaps.iter().rev() {
            if sw.to_self {
                for (k, &i) in sw.send.iter().enumerate() {
                    let g = atoms.f[sw.first_recv + k];
                    let fi = &mut atoms.f[i as usize];
                    fi[0] += g[0];
                    fi[1] += g[1];
                    fi[2] += g[2];
                }
                continue;
            }
            self.sendbuf.clear();
            for f in &atoms.f[sw.first_recv..sw.first_recv + sw.nrecv] {
                self.sendbuf.extend_from_slice(f);
            }
            self.world.exchange_sized(
                &self.sendbuf,
                sw.recv_from,
                &mut self.recvbuf,
                sw.send_to,
                Some(3 * sw.send.len()),
            );
            for (k, g) in self.recvbuf.chunks_exact(3).enumerate() {
                let fi = &mut atoms.f[sw.send[k] as usize];
                fi[0] += g[0];
                fi[1] += g[1];
                fi[2] += g[2];
            }
        }
    }

    /// Atoms sent per swap (for the communication cost model).
    pub fn swap_sizes(&self) -> Vec<usize> {
        self.swaps.iter().map(|s| s.send.len()).collect()
    }
}

impl Halo for GhostComm {
    fn forward_scalar(&mut self, v: &mut [f64]) {
        for sw in &self.swaps {
            if sw.to_self {
                for (k, &i) in sw.send.iter().enumerate() {
                    v[sw.first_recv + k] = v[i as usize];
                }
                continue;
            }
            self.sendbuf.clear();
            self.sendbuf.extend(sw.send.iter().map(|&i| v[i as usize]));
            self.world.exchange_sized(
                &self.sendbuf,
                sw.send_to,
                &mut self.recvbuf,
                sw.recv_from,
                Some(sw.nrecv),
            );
            v[sw.first_recv..sw.first_recv + self.recvbuf.len()].copy_from_slice(&self.recvbuf);
        }
    }

    fn reverse_scalar(&mut self, v: &mut [f64]) {
        for sw in self.swaps.iter().rev() {
            if sw.to_self {
                for (k, &i) in sw.send.iter().enumerate() {
                    v[i as usize] += v[sw.first_recv + k];
                }
                continue;
            }
            self.sendbuf.clear();
            self.sendbuf
                .extend_from_slice(&v[sw.first_recv..sw.first_recv + sw.nrecv]);
            self.world.exchange_sized(
                &self.sendbuf,
                sw.recv_from,
                &mut self.recvbuf,
                sw.send_to,
                Some(sw.send.len()),
            );
            for (k, &r) in self.recvbuf.iter().enumerate() {
                v[sw.send[k] as usize] += r;
            }
        }
    }
}
