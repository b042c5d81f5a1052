//! Cell bins of all atoms held (owned and ghost), shared by every neighbour list of a rebuild
//! (binning as LAMMPS `NBinStandard`): the bounding box of the atoms is cut into bins of about
//! half the largest neighbour cutoff, and each bin links its atoms in increasing index order.

/// The bins of one rebuild.
#[derive(Clone, Debug, Default)]
pub struct Bins {
    /// Lower corner of the binned box, Å.
    lo: [f64; 3],
    /// Bins per axis, their size (Å) and its inverse.
    pub(super) nb: [usize; 3],
    pub(super) size: [f64; 3],
    inv: [f64; 3],
    /// First atom of each bin (−1: empty) and the next atom of each atom's bin.
    pub(super) head: Vec<i32>,
    pub(super) next: Vec<i32>,
}

impl Bins {
    /// Bin the positions `x` for neighbour searches up to `cut` (Å).
    pub fn build(&mut self, x: &[[f64; 3]], cut: f64) {
        let mut lo = [f64::INFINITY; 3];
        let mut hi = [f64::NEG_INFINITY; 3];
        for p in x.iter() {
            for d in 0..3 {
                lo[d] = lo[d].min(p[d]);
                hi[d] = hi[d].max(p[d]);
            }
        }
        let target = 0.5 * cut;
        for d in 0..3 {
            let ext = (hi[d] - lo[d]).max(1e-12);
            self.nb[d] = ((ext / target).floor() as usize).clamp(1, 1 << 10);
            // A flat extent (atoms in one plane or on a line) still gets bins of at least half
            // the cutoff, so that the stencil stays bounded.
            self.size[d] = (ext / self.nb[d] as f64).max(target);
            self.inv[d] = 1.0 / self.size[d];
        }
        self.lo = lo;
        let nbins = self.nb[0] * self.nb[1] * self.nb[2];
        self.head.clear();
        self.head.resize(nbins, -1);
        self.next.clear();
        self.next.resize(x.len(), -1);
        // Insert in reverse so each bin lists atoms in increasing index order.
        for a in (0..x.len()).rev() {
            let c = self.coords(&x[a]);
            let b = c[0] + self.nb[0] * (c[1] + self.nb[1] * c[2]);
            self.next[a] = self.head[b];
            self.head[b] = a as i32;
        }
    }

    /// Bin coordinates of a position.
    #[inline]
    pub fn coords(&self, p: &[f64; 3]) -> [usize; 3] {
        [0, 1, 2].map(|d| (((p[d] - self.lo[d]) * self.inv[d]) as usize).min(self.nb[d] - 1))
    }

    /// Bin offsets whose closest distance is below `cut` (Å), in z, y, x order.
    pub fn stencil(&self, cut: f64, out: &mut Vec<[isize; 3]>) {
        let cutsq = cut * cut;
        let reach: Vec<isize> = (0..3)
            .map(|d| ((cut * self.inv[d]).ceil() as isize).min(self.nb[d] as isize))
            .collect();
        out.clear();
        for k in -reach[2]..=reach[2] {
            for j in -reach[1]..=reach[1] {
                for i in -reach[0]..=reach[0] {
                    let gap = |o: isize, s: f64| (o.unsigned_abs().saturating_sub(1)) as f64 * s;
                    let dx = gap(i, self.size[0]);
                    let dy = gap(j, self.size[1]);
                    let dz = gap(k, self.size[2]);
                    if dx * dx + dy * dy + dz * dz < cutsq {
                        out.push([i, j, k]);
                    }
                }
            }
        }
    }

    /// The bin at `c + off`, if inside the grid.
    #[inline]
    pub fn offset(&self, c: [usize; 3], off: &[isize; 3]) -> Option<usize> {
        let mut b = [0usize; 3];
        for d in 0..3 {
            let v = c[d] as isize + off[d];
            if v < 0 || v >= self.nb[d] as isize {
                return None;
            }
            b[d] = v as usize;
        }
        Some(b[0] + self.nb[0] * (b[1] + self.nb[1] * b[2]))
    }
}
