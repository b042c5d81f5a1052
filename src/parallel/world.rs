//! The MPI world: rank, size, reductions and the abort-on-error rule (an error on one rank ends
//! all ranks with its message, never a hang).

use mpi::collective::SystemOperation;
use mpi::datatype::PartitionMut;
use mpi::point_to_point as p2p;
use mpi::topology::{Communicator, SimpleCommunicator};
use mpi::traits::{CommunicatorCollectives, Root};

/// The communicator of the run, or none for a plain serial library use (tests, analysis).
pub struct World {
    comm: Option<SimpleCommunicator>,
    rank: usize,
    size: usize,
}

impl World {
    /// A world of one rank without MPI (library use and unit tests).
    pub fn serial() -> Self {
        World {
            comm: None,
            rank: 0,
            size: 1,
        }
    }

    /// Wrap an MPI communicator.
    pub fn from_comm(comm: SimpleCommunicator) -> Self {
        let rank = comm.rank() as usize;
        let size = comm.size() as usize;
        World {
            comm: Some(comm),
            rank,
            size,
        }
    }

    /// A second handle on the same ranks with its own message space (for the ghost layer).
    pub fn duplicate(&self) -> World {
        World {
            comm: self.comm.as_ref().map(|c| c.duplicate()),
            rank: self.rank,
            size: self.size,
        }
    }

    /// Split into the group of ranks with the same `color` (MPI_Comm_split, ranks ordered as
    /// here); collective. A serial world stays itself.
    pub fn split(&self, color: u32) -> World {
        use mpi::topology::Color;
        match self
            .comm
            .as_ref()
            .and_then(|c| c.split_by_color(Color::with_value(color as i32)))
        {
            Some(c) => World::from_comm(c),
            None => World::serial(),
        }
    }

    /// Rank 0's `bytes` on every rank (resized), as one broadcast of the length and one of the
    /// data; collective.
    pub fn broadcast_bytes(&self, bytes: &mut Vec<u8>) {
        let Some(c) = self.comm() else {
            return;
        };
        let root = c.process_at_rank(0);
        let mut n = bytes.len() as u64;
        root.broadcast_into(&mut n);
        bytes.resize(n as usize, 0);
        root.broadcast_into(&mut bytes[..]);
    }

    /// Send `send` to rank `dest` and receive a message of unknown length from rank `src` into
    /// `recv` (resized), as one deadlock-free `MPI_Sendrecv` pair (counts, then data). A partner
    /// of `None` means no message in that direction (a non-periodic edge of the grid). Sending
    /// to oneself is a copy.
    pub fn exchange(
        &self,
        send: &[f64],
        dest: Option<usize>,
        recv: &mut Vec<f64>,
        src: Option<usize>,
    ) {
        self.exchange_sized(send, dest, recv, src, None);
    }

    /// As [`World::exchange`]; when the length of the incoming message is known (`expect`, as in
    /// every forward and reverse communication between re-neighbourings), the count message is
    /// skipped.
    pub fn exchange_sized(
        &self,
        send: &[f64],
        dest: Option<usize>,
        recv: &mut Vec<f64>,
        src: Option<usize>,
        expect: Option<usize>,
    ) {
        recv.clear();
        if dest == Some(self.rank) && src == Some(self.rank) {
            recv.extend_from_slice(send);
            return;
        }
        let Some(c) = &self.comm else {
            return;
        };
        let n_send = send.len() as u64;
        match (dest, src) {
            (Some(d), Some(s)) => {
                let n = match expect {
                    Some(n) => n,
                    None => {
                        p2p::send_receive::<u64, _, _, _>(
                            &n_send,
                            &c.process_at_rank(d as i32),
                            &c.process_at_rank(s as i32),
                        )
                        .0 as usize
                    }
                };
                recv.resize(n, 0.0);
                p2p::send_receive_into(
                    send,
                    &c.process_at_rank(d as i32),
                    &mut recv[..],
                    &c.process_at_rank(s as i32),
                );
            }
            (Some(d), None) => {
                use mpi::point_to_point::Destination;
                if expect.is_none() {
                    c.process_at_rank(d as i32).send(&n_send);
                }
                c.process_at_rank(d as i32).send(send);
            }
            (None, Some(s)) => {
                use mpi::point_to_point::Source;
                let n = match expect {
                    Some(n) => n,
                    None => c.process_at_rank(s as i32).receive::<u64>().0 as usize,
                };
                recv.resize(n, 0.0);
                c.process_at_rank(s as i32).receive_into(&mut recv[..]);
            }
            (None, None) => {}
        }
    }

    /// Concatenate every rank's `send` on rank 0 in rank order; other ranks get `None`.
    pub fn gather_to_root(&self, send: &[f64]) -> Option<Vec<f64>> {
        let Some(c) = self.comm.as_ref().filter(|_| self.size > 1) else {
            return Some(send.to_vec());
        };
        let root = c.process_at_rank(0);
        let n = send.len() as i32;
        if self.rank == 0 {
            let mut counts = vec![0i32; self.size];
            root.gather_into_root(&n, &mut counts[..]);
            let displs: Vec<i32> = counts
                .iter()
                .scan(0, |acc, &x| {
                    let d = *acc;
                    *acc += x;
                    Some(d)
                })
                .collect();
            let total: i32 = counts.iter().sum();
            let mut buf = vec![0.0; total as usize];
            {
                let mut part = PartitionMut::new(&mut buf[..], counts, &displs[..]);
                root.gather_varcount_into_root(send, &mut part);
            }
            Some(buf)
        } else {
            root.gather_into(&n);
            root.gather_varcount_into(send);
            None
        }
    }

    /// Wait until every rank gets here (e.g. after rank 0 wrote a file the others read).
    pub fn barrier(&self) {
        if let Some(c) = self.comm.as_ref().filter(|_| self.size > 1) {
            c.barrier();
        }
    }

    /// Every rank's value of `x`, in rank order.
    pub fn all_gather_u64(&self, x: u64) -> Vec<u64> {
        match &self.comm {
            Some(c) if self.size > 1 => {
                let mut out = vec![0u64; self.size];
                c.all_gather_into(&x, &mut out[..]);
                out
            }
            _ => vec![x],
        }
    }

    /// The communicator, for the point-to-point plumbing of this module's siblings (the task
    /// farm); `None` in a serial world.
    pub(crate) fn comm(&self) -> Option<&SimpleCommunicator> {
        self.comm.as_ref().filter(|_| self.size > 1)
    }

    /// This rank, 0-based.
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// Number of ranks.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether this is rank 0 (the one that writes files and logs).
    pub fn is_root(&self) -> bool {
        self.rank == 0
    }

    /// Sum of `v` element-wise over all ranks.
    pub fn sum(&self, v: &mut [f64]) {
        if let Some(c) = &self.comm {
            if self.size > 1 {
                let send = v.to_vec();
                c.all_reduce_into(&send[..], v, SystemOperation::sum());
            }
        }
    }

    /// Sum of a count over all ranks.
    pub fn sum_u64(&self, x: u64) -> u64 {
        match &self.comm {
            Some(c) if self.size > 1 => {
                let mut out = 0u64;
                c.all_reduce_into(&x, &mut out, SystemOperation::sum());
                out
            }
            _ => x,
        }
    }

    /// Maximum of a value over all ranks.
    pub fn max(&self, x: f64) -> f64 {
        match &self.comm {
            Some(c) if self.size > 1 => {
                let mut out = 0.0f64;
                c.all_reduce_into(&x, &mut out, SystemOperation::max());
                out
            }
            _ => x,
        }
    }

    /// Logical or over all ranks.
    pub fn any(&self, flag: bool) -> bool {
        match &self.comm {
            Some(c) if self.size > 1 => {
                let mut out = 0i32;
                c.all_reduce_into(&(flag as i32), &mut out, SystemOperation::max());
                out != 0
            }
            _ => flag,
        }
    }

    /// End every rank of the job with `code` (after this rank has printed its error).
    pub fn abort(&self, code: i32) -> ! {
        match &self.comm {
            Some(c) if self.size > 1 => c.abort(code),
            _ => std::process::exit(code),
        }
    }
}
