//! One Verlet neighbour list (Verlet 1967) built from the shared bins: the pairs closer than
//! r_c + skin, for owned atoms or for owned and ghost atoms, each pair once (half) or from both
//! ends (full).
//!
//! A half list over owned atoms uses Newton's third law across ranks: a pair of two owned atoms
//! is listed under the lower local index; a pair of owned atom i and ghost j is listed when j
//! lies "above" i in the order (z, then y, then x). The image of the same pair seen from the
//! other side, (j's owner, i's ghost), lies below and is skipped, so every physical pair is
//! counted exactly once on one rank or across ranks (LAMMPS `half/bin/newton`).
//!
//! A half list that includes ghosts lists every pair (i, j) with j > i among all atoms held, so
//! an owned–ghost pair appears on both ranks that hold it and ghost–ghost pairs are present
//! (LAMMPS `half/bin/newtoff/ghost`, as ReaxFF's bond list needs). Full lists list j under i
//! for every j ≠ i. Cost is linear in the number of atoms.

use super::bins::Bins;
use crate::system::Atoms;

/// Which pairs a list holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ListRequest {
    /// Interaction cutoff r_c, Å (the list holds pairs within r_c + skin).
    pub cutoff: f64,
    /// Each pair once (`true`) or from both ends.
    pub half: bool,
    /// Ghost atoms get neighbours too (ghost–ghost pairs included).
    pub ghosts: bool,
}

impl ListRequest {
    /// A half list over owned atoms (Newton's third law across ranks): what pair potentials use.
    pub fn half(cutoff: f64) -> Self {
        ListRequest {
            cutoff,
            half: true,
            ghosts: false,
        }
    }

    /// A full list over owned atoms.
    pub fn full(cutoff: f64) -> Self {
        ListRequest {
            half: false,
            ..ListRequest::half(cutoff)
        }
    }

    /// The same list for owned and ghost atoms, ghost–ghost pairs included.
    pub fn with_ghosts(self) -> Self {
        ListRequest {
            ghosts: true,
            ..self
        }
    }
}

/// A neighbour list: the neighbours of atom i are `neigh[first[i]..first[i + 1]]`, for the
/// owned atoms (or all atoms, when the request includes ghosts).
#[derive(Clone, Debug)]
pub struct NeighborList {
    /// What the list holds.
    pub request: ListRequest,
    /// Start of each atom's neighbours in `neigh`, one more entry than atoms listed.
    pub first: Vec<usize>,
    /// Local indices of the neighbours (owned or ghost).
    pub neigh: Vec<u32>,
    stencil: Vec<[isize; 3]>,
}

/// True when ghost/other atom b lies above a in the (z, y, x) order used to halve owned–ghost pairs.
#[inline]
fn above(a: &[f64; 3], b: &[f64; 3]) -> bool {
    if b[2] != a[2] {
        return b[2] > a[2];
    }
    if b[1] != a[1] {
        return b[1] > a[1];
    }
    b[0] > a[0]
}

impl NeighborList {
    /// An empty list for a request.
    pub fn new(request: ListRequest) -> Self {
        NeighborList {
            request,
            first: vec![0],
            neigh: Vec::new(),
            stencil: Vec::new(),
        }
    }

    /// Neighbours of atom i.
    #[inline]
    pub fn of(&self, i: usize) -> &[u32] {
        &self.neigh[self.first[i]..self.first[i + 1]]
    }

    /// Total number of listed pairs.
    pub fn npairs(&self) -> usize {
        self.neigh.len()
    }

    /// Number of atoms with a neighbour row (owned, or owned and ghost).
    pub fn nrows(&self) -> usize {
        self.first.len() - 1
    }

    /// Rebuild from the bins of the current positions, with neighbour cutoff `cut` (r_c + skin).
    pub fn build(&mut self, atoms: &Atoms, bins: &Bins, cut: f64) {
        let (nlocal, nall) = (atoms.nlocal, atoms.nall());
        let x = &atoms.x;
        let cutsq = cut * cut;
        self.first.clear();
        self.neigh.clear();
        if nall == 0 {
            self.first.push(0);
            return;
        }
        bins.stencil(cut, &mut self.stencil);
        let rows = if self.request.ghosts { nall } else { nlocal };
        for i in 0..rows {
            self.first.push(self.neigh.len());
            let xi = x[i];
            let c = bins.coords(&xi);
            for off in &self.stencil {
                let Some(bb) = bins.offset(c, off) else {
                    continue;
                };
                let mut j = bins.head[bb];
                while j >= 0 {
                    let ju = j as usize;
                    let keep = match (self.request.half, self.request.ghosts) {
                        (true, false) => {
                            if ju < nlocal {
                                ju > i
                            } else {
                                above(&xi, &x[ju])
                            }
                        }
                        (true, true) => ju > i,
                        (false, _) => ju != i,
                    };
                    if keep {
                        let xj = x[ju];
                        let d = [xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]];
                        if d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < cutsq {
                            self.neigh.push(j as u32);
                        }
                    }
                    j = bins.next[ju];
                }
            }
        }
        self.first.push(self.neigh.len());
    }
}
