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
//! owners. Registered per-atom fields that declare `ghosts` are sent with the positions when the
//! ghost layer is built; any field (or scratch array) of one or more doubles per atom can be
//! forwarded or reversed between re-neighbourings with [`GhostComm::forward`] and
//! [`GhostComm::reverse`]. With one rank along an axis, the swaps along it are copies to itself.

use crate::parallel::{Decomposition, World};
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
        // Doubles per ghost: id, type, x(3), then the ghost-carried fields.
        let per_ghost = 5 + atoms.fields.ghost_width();
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
                        atoms.fields.pack_ghost(i, &mut self.sendbuf);
                    }
                    self.world
                        .exchange(&self.sendbuf, sw.send_to, &mut self.recvbuf, sw.recv_from);
                    sw.first_recv = atoms.nall();
                    sw.nrecv = self.recvbuf.len() / per_ghost;
                    let me = Some(self.world.rank());
                    sw.to_self = sw.send_to == me && sw.recv_from == me;
                    for g in self.recvbuf.chunks_exact(per_ghost) {
                        atoms.push_ghost(g[0] as u64, g[1] as u32, [g[2], g[3], g[4]], &g[5..]);
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

    /// Copy the values of owned atoms to their ghost copies: `v` holds `width` doubles per
    /// atom, owned and ghost (e.g. EAM's F'(ρ), a charge field).
    pub fn forward(&mut self, v: &mut [f64], width: usize) {
        let w = width;
        for sw in &self.swaps {
            if sw.to_self {
                for (k, &i) in sw.send.iter().enumerate() {
                    let (src, dst) = (i as usize * w, (sw.first_recv + k) * w);
                    if w == 1 {
                        v[dst] = v[src];
                    } else {
                        v.copy_within(src..src + w, dst);
                    }
                }
                continue;
            }
            self.sendbuf.clear();
            for &i in &sw.send {
                let i = i as usize * w;
                self.sendbuf.extend_from_slice(&v[i..i + w]);
            }
            self.world.exchange_sized(
                &self.sendbuf,
                sw.send_to,
                &mut self.recvbuf,
                sw.recv_from,
                Some(w * sw.nrecv),
            );
            let first = sw.first_recv * w;
            v[first..first + self.recvbuf.len()].copy_from_slice(&self.recvbuf);
        }
    }

    /// Add the values accumulated on ghost copies to their owners, `width` doubles per atom
    /// (e.g. EAM's ρ under Newton's third law); ghost entries are left as they were.
    pub fn reverse(&mut self, v: &mut [f64], width: usize) {
        let w = width;
        for sw in self.swaps.iter().rev() {
            if sw.to_self {
                for (k, &i) in sw.send.iter().enumerate() {
                    let (dst, src) = (i as usize * w, (sw.first_recv + k) * w);
                    for c in 0..w {
                        v[dst + c] += v[src + c];
                    }
                }
                continue;
            }
            self.sendbuf.clear();
            self.sendbuf
                .extend_from_slice(&v[sw.first_recv * w..(sw.first_recv + sw.nrecv) * w]);
            self.world.exchange_sized(
                &self.sendbuf,
                sw.recv_from,
                &mut self.recvbuf,
                sw.send_to,
                Some(w * sw.send.len()),
            );
            for (&i, r) in sw.send.iter().zip(self.recvbuf.chunks_exact(w)) {
                let dst = i as usize * w;
                for c in 0..w {
                    v[dst + c] += r[c];
                }
            }
        }
    }
}
