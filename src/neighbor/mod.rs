//! Half Verlet neighbour lists built from cell bins (Verlet 1967; binning as in LAMMPS
//! `NBinStandard`), with a skin: the list holds pairs closer than r_c + skin and stays valid until
//! some atom has moved more than skin/2 since the build.
//!
//! Each pair appears once (Newton's third law): for two owned atoms it is listed under the lower
//! local index; for an owned atom i and a ghost j it is listed when j lies "above" i in the order
//! (z, then y, then x). The image of the same pair seen from the other side, (j's owner, i's
//! ghost), lies below and is skipped, so every physical pair is counted exactly once on one rank
//! or across ranks. Cost is linear in the number of atoms.

use crate::system::Atoms;

/// A half neighbour list over owned atoms (neighbours may be ghosts).
#[derive(Clone, Debug, Default)]
pub struct NeighborList {
    /// Neighbours of owned atom i are `neigh[first[i]..first[i + 1]]`.
    pub first: Vec<usize>,
    /// Local indices of the neighbours (owned or ghost).
    pub neigh: Vec<u32>,
    /// Interaction cutoff r_c, Å.
    pub cutoff: f64,
    /// Skin, Å.
    pub skin: f64,
    /// Owned positions at the last build, for the skin/2 displacement check.
    x_build: Vec<[f64; 3]>,
    /// Work arrays of the binning, kept between builds so a rebuild does not allocate.
    bin_head: Vec<i32>,
    bin_next: Vec<i32>,
    stencil: Vec<[isize; 3]>,
    /// Number of builds so far.
    pub builds: u64,
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
    /// An empty list for interaction cutoff `cutoff` and the given skin.
    pub fn new(cutoff: f64, skin: f64) -> Self {
        NeighborList {
            cutoff,
            skin,
            ..Default::default()
        }
    }

    /// Neighbour cutoff r_c + skin.
    pub fn cutneigh(&self) -> f64 {
        self.cutoff + self.skin
    }

    /// Neighbours of owned atom i.
    #[inline]
    pub fn of(&self, i: usize) -> &[u32] {
        &self.neigh[self.first[i]..self.first[i + 1]]
    }

    /// Total number of listed pairs.
    pub fn npairs(&self) -> usize {
        self.neigh.len()
    }

    /// Largest displacement² of an owned atom since the last build, compared with (skin/2)²:
    /// true when this rank needs a rebuild. Callers reduce the flag over all ranks.
    pub fn moved_too_far(&self, atoms: &Atoms) -> bool {
        if self.x_build.len() != atoms.nlocal {
            return true;
        }
        let trigger = 0.25 * self.skin * self.skin;
        atoms.x[..atoms.nlocal]
            .iter()
            .zip(&self.x_build)
            .any(|(x, x0)| {
                let d = [x[0] - x0[0], x[1] - x0[1], x[2] - x0[2]];
                d[0] * d[0] + d[1] * d[1] + d[2] * d[2] > trigger
            })
    }

    /// Rebuild the list from owned and ghost positions.
    pub fn build(&mut self, atoms: &Atoms) {
        let nlocal = atoms.nlocal;
        let nall = atoms.nall();
        let x = &atoms.x;
        let cut = self.cutneigh();
        let cutsq = cut * cut;
        self.builds += 1;
        self.x_build.clear();
        self.x_build.extend_from_slice(&x[..nlocal]);
        self.first.clear();
        self.neigh.clear();
        if nall == 0 {
            self.first.push(0);
            return;
        }
        // Bounding box of all atoms, bins of about half the neighbour cutoff.
        let mut lo = [f64::INFINITY; 3];
        let mut hi = [f64::NEG_INFINITY; 3];
        for p in x.iter() {
            for d in 0..3 {
                lo[d] = lo[d].min(p[d]);
                hi[d] = hi[d].max(p[d]);
            }
        }
        let target = 0.5 * cut;
        let mut nb = [1usize; 3];
        let mut inv = [0.0; 3];
        let mut size = [0.0; 3];
        for d in 0..3 {
            let ext = (hi[d] - lo[d]).max(1e-12);
            nb[d] = ((ext / target).floor() as usize).clamp(1, 1 << 10);
            size[d] = ext / nb[d] as f64;
            inv[d] = 1.0 / size[d];
        }
        // Stencil: bin offsets whose closest distance is below the cutoff.
        let reach: Vec<isize> = (0..3).map(|d| (cut * inv[d]).ceil() as isize).collect();
        self.stencil.clear();
        for k in -reach[2]..=reach[2] {
            for j in -reach[1]..=reach[1] {
                for i in -reach[0]..=reach[0] {
                    let gap = |o: isize, s: f64| (o.unsigned_abs().saturating_sub(1)) as f64 * s;
                    let dx = gap(i, size[0]);
                    let dy = gap(j, size[1]);
                    let dz = gap(k, size[2]);
                    if dx * dx + dy * dy + dz * dz < cutsq {
                        self.stencil.push([i, j, k]);
                    }
                }
            }
        }
        let nbins = nb[0] * nb[1] * nb[2];
        self.bin_head.clear();
        self.bin_head.resize(nbins, -1);
        self.bin_next.clear();
        self.bin_next.resize(nall, -1);
        let coord = |p: &[f64; 3], d: usize| -> usize {
            (((p[d] - lo[d]) * inv[d]) as usize).min(nb[d] - 1)
        };
        // Insert in reverse so each bin lists atoms in increasing index order.
        for a in (0..nall).rev() {
            let b = coord(&x[a], 0) + nb[0] * (coord(&x[a], 1) + nb[1] * coord(&x[a], 2));
            self.bin_next[a] = self.bin_head[b];
            self.bin_head[b] = a as i32;
        }
        for i in 0..nlocal {
            self.first.push(self.neigh.len());
            let xi = x[i];
            let c = [coord(&xi, 0), coord(&xi, 1), coord(&xi, 2)];
            for off in &self.stencil {
                let bx = c[0] as isize + off[0];
                let by = c[1] as isize + off[1];
                let bz = c[2] as isize + off[2];
                if bx < 0
                    || by < 0
                    || bz < 0
                    || bx >= nb[0] as isize
                    || by >= nb[1] as isize
                    || bz >= nb[2] as isize
                {
                    continue;
                }
                let bb = bx as usize + nb[0] * (by as usize + nb[1] * bz as usize);
                let mut j = self.bin_head[bb];
                while j >= 0 {
                    let ju = j as usize;
                    let keep = if ju < nlocal {
                        ju > i
                    } else {
                        above(&xi, &x[ju])
                    };
                    if keep {
                        let xj = x[ju];
                        let d = [xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]];
                        if d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < cutsq {
                            self.neigh.push(j as u32);
                        }
                    }
                    j = self.bin_next[ju];
                }
            }
        }
        self.first.push(self.neigh.len());
    }
}
