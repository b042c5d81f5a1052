//! The MPI world: rank, size, reductions and the abort-on-error rule (an error on one rank ends
//! all ranks with its message, never a hang).

use mpi::collective::SystemOperation;
use mpi::topology::{Communicator, SimpleCommunicator};
use mpi::traits::CommunicatorCollectives;

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
