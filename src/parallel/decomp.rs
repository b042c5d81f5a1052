//! Spatial domain decomposition (Plimpton, J. Comput. Phys. 117, 1 (1995)): the box is cut into
//! a px × py × pz brick grid, one sub-box per rank, and each rank owns the atoms inside its
//! sub-box. Periodic axes are cut into equal slabs. Non-periodic axes (a junction free along z,
//! with vacuum beyond the leads) are cut at quantiles of the atoms' coordinates, so that no rank
//! owns empty space; their outermost faces extend to ±∞ so that no atom can fall outside.
//!
//! The grid is chosen to minimise the ghost surface per rank, Σ over faces of the sub-box face
//! areas, using for non-periodic axes the atoms' extent rather than the box length (a slab-shaped
//! junction box must not be cut into slivers). Ranks are numbered x fastest:
//! rank = cx + px·(cy + py·cz).

use crate::error::{Error, Result};
use crate::system::SimBox;

/// The brick grid and this rank's place in it.
#[derive(Clone, Debug)]
pub struct Decomposition {
    /// Ranks along x, y, z.
    pub grid: [usize; 3],
    /// This rank's grid coordinates.
    pub coord: [usize; 3],
    /// Cut positions along each axis, `grid[d] + 1` values; non-periodic outer cuts are ±∞.
    pub cuts: [Vec<f64>; 3],
    /// Whether each axis is periodic.
    pub periodic: [bool; 3],
    /// Box lengths at set-up (periodic shifts), Å.
    pub length: [f64; 3],
}

/// All factorisations px·py·pz = n.
fn factorisations(n: usize) -> Vec<[usize; 3]> {
    let mut v = Vec::new();
    for px in 1..=n {
        if !n.is_multiple_of(px) {
            continue;
        }
        for py in 1..=n / px {
            if (n / px).is_multiple_of(py) {
                v.push([px, py, n / px / py]);
            }
        }
    }
    v
}

/// The grid minimising the surface of a sub-box of an `extent[0] × extent[1] × extent[2]` region.
pub fn choose_grid(nranks: usize, extent: [f64; 3]) -> [usize; 3] {
    let mut best = [nranks, 1, 1];
    let mut best_area = f64::INFINITY;
    for g in factorisations(nranks) {
        let a = [
            extent[0] / g[0] as f64,
            extent[1] / g[1] as f64,
            extent[2] / g[2] as f64,
        ];
        let area = a[0] * a[1] + a[1] * a[2] + a[0] * a[2];
        if area < best_area * (1.0 - 1e-12) {
            best_area = area;
            best = g;
        }
    }
    best
}

impl Decomposition {
    /// Decompose `simbox` over `nranks` ranks given every atom's position (all ranks pass the
    /// same positions). `grid` forces a grid; else the surface-minimising one is chosen.
    pub fn new(
        simbox: &SimBox,
        positions: &[[f64; 3]],
        nranks: usize,
        rank: usize,
        grid: Option<[usize; 3]>,
    ) -> Result<Decomposition> {
        let periodic = [simbox.periodic(0), simbox.periodic(1), simbox.periodic(2)];
        let length = simbox.lengths();
        // Extent used to choose the grid: the atoms' span on non-periodic axes.
        let mut extent = length;
        for d in 0..3 {
            if !periodic[d] && !positions.is_empty() {
                let lo = positions.iter().map(|x| x[d]).fold(f64::INFINITY, f64::min);
                let hi = positions
                    .iter()
                    .map(|x| x[d])
                    .fold(f64::NEG_INFINITY, f64::max);
                extent[d] = (hi - lo).max(1.0);
            }
        }
        let grid = match grid {
            Some(g) => {
                if g[0] * g[1] * g[2] != nranks || g.contains(&0) {
                    return Err(Error::run(format!(
                        "processor grid {}x{}x{} does not match the {nranks} MPI ranks",
                        g[0], g[1], g[2]
                    )));
                }
                g
            }
            None => choose_grid(nranks, extent),
        };
        let coord = [
            rank % grid[0],
            (rank / grid[0]) % grid[1],
            rank / (grid[0] * grid[1]),
        ];
        let mut cuts: [Vec<f64>; 3] = Default::default();
        for d in 0..3 {
            let p = grid[d];
            let mut c = Vec::with_capacity(p + 1);
            if periodic[d] {
                for k in 0..=p {
                    c.push(if k == p {
                        simbox.hi[d]
                    } else {
                        simbox.lo[d] + length[d] * k as f64 / p as f64
                    });
                }
            } else {
                // Quantiles of the coordinates: each slab holds about N/p atoms.
                let mut xs: Vec<f64> = positions.iter().map(|x| x[d]).collect();
                xs.sort_by(f64::total_cmp);
                c.push(f64::NEG_INFINITY);
                for k in 1..p {
                    let m = (k * xs.len()) / p;
                    let cut = if xs.is_empty() {
                        simbox.lo[d] + length[d] * k as f64 / p as f64
                    } else if m == 0 {
                        xs[0]
                    } else {
                        0.5 * (xs[m - 1] + xs[m.min(xs.len() - 1)])
                    };
                    c.push(cut);
                }
                c.push(f64::INFINITY);
            }
            cuts[d] = c;
        }
        Ok(Decomposition {
            grid,
            coord,
            cuts,
            periodic,
            length,
        })
    }

    /// Number of ranks.
    pub fn nranks(&self) -> usize {
        self.grid[0] * self.grid[1] * self.grid[2]
    }

    /// Rank at grid coordinates `c`.
    pub fn rank_at(&self, c: [usize; 3]) -> usize {
        c[0] + self.grid[0] * (c[1] + self.grid[1] * c[2])
    }

    /// Lower face of this rank's sub-box along d.
    pub fn sublo(&self, d: usize) -> f64 {
        self.cuts[d][self.coord[d]]
    }

    /// Upper face of this rank's sub-box along d.
    pub fn subhi(&self, d: usize) -> f64 {
        self.cuts[d][self.coord[d] + 1]
    }

    /// Whether this rank owns position x (sub-box half-open [lo, hi)).
    pub fn owns(&self, x: &[f64; 3]) -> bool {
        (0..3).all(|d| x[d] >= self.sublo(d) && x[d] < self.subhi(d))
    }

    /// The neighbour rank one step along axis d in direction `dir` (−1 or +1) and the periodic
    /// shift that atoms sent there take; `None` at a non-periodic edge.
    pub fn neighbor(&self, d: usize, dir: i64) -> Option<(usize, f64)> {
        let p = self.grid[d] as i64;
        let c = self.coord[d] as i64 + dir;
        let (c, shift) = if c < 0 {
            if !self.periodic[d] {
                return None;
            }
            (c + p, self.length[d])
        } else if c >= p {
            if !self.periodic[d] {
                return None;
            }
            (c - p, -self.length[d])
        } else {
            (c, 0.0)
        };
        let mut cc = self.coord;
        cc[d] = c as usize;
        Some((self.rank_at(cc), shift))
    }

    /// Number of swaps in each direction along d so that every rank receives all atoms within
    /// `cutghost` of its faces: the largest count, over ranks, of consecutive sub-boxes needed to
    /// span `cutghost` (several hops when sub-boxes are thinner than the ghost cutoff).
    pub fn hops(&self, d: usize, cutghost: f64) -> usize {
        let p = self.grid[d];
        let width = |k: usize| self.cuts[d][k + 1] - self.cuts[d][k];
        let mut need = 0;
        for start in 0..p {
            for dir in [-1i64, 1] {
                let mut covered = 0.0;
                let mut hops = 0;
                let mut k = start as i64;
                while covered < cutghost {
                    k += dir;
                    if k < 0 || k >= p as i64 {
                        if !self.periodic[d] {
                            break;
                        }
                        k = k.rem_euclid(p as i64);
                    }
                    hops += 1;
                    covered += width(k as usize);
                    if hops > 64 * p {
                        break;
                    }
                }
                need = need.max(hops);
            }
        }
        need
    }

    /// Bounds of every rank's sub-box along each axis, for the log.
    pub fn describe(&self) -> String {
        format!(
            "{} x {} x {} MPI processor grid",
            self.grid[0], self.grid[1], self.grid[2]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::Boundary;

    #[test]
    fn slab_box_is_not_cut_into_slivers() {
        // A 60 x 60 x 20 slab on 4 ranks: cut x and y, not z.
        assert_eq!(choose_grid(4, [60.0, 60.0, 20.0]), [2, 2, 1]);
        assert_eq!(choose_grid(8, [20.0, 20.0, 20.0]), [2, 2, 2]);
        assert_eq!(choose_grid(3, [10.0, 10.0, 40.0]), [1, 1, 3]);
    }

    #[test]
    fn non_periodic_axis_cut_by_counts() {
        let b = SimBox::new(
            [0.0; 3],
            [10.0, 10.0, 100.0],
            [Boundary::Periodic, Boundary::Periodic, Boundary::Fixed],
        );
        // 40 atoms between z = 40 and 60; vacuum elsewhere.
        let pos: Vec<[f64; 3]> = (0..40).map(|k| [0.0, 0.0, 40.0 + 0.5 * k as f64]).collect();
        let d = Decomposition::new(&b, &pos, 2, 0, Some([1, 1, 2])).unwrap();
        assert!(
            d.cuts[2][1] > 49.0 && d.cuts[2][1] < 50.0,
            "{:?}",
            d.cuts[2]
        );
        let owned = pos.iter().filter(|x| d.owns(x)).count();
        assert_eq!(owned, 20);
        assert_eq!(d.neighbor(2, -1), None);
        assert_eq!(d.neighbor(2, 1), Some((1, 0.0)));
        assert_eq!(d.neighbor(0, 1), Some((0, -10.0)));
    }

    #[test]
    fn hops_for_thin_sub_boxes() {
        let b = SimBox::new([0.0; 3], [12.0; 3], [Boundary::Periodic; 3]);
        let d = Decomposition::new(&b, &[], 4, 0, Some([4, 1, 1])).unwrap();
        assert_eq!(d.hops(0, 2.9), 1);
        assert_eq!(d.hops(0, 3.1), 2);
        assert_eq!(d.hops(1, 7.0), 1);
        assert_eq!(d.hops(1, 13.0), 2);
    }

    #[test]
    fn forced_grid_must_match() {
        let b = SimBox::new([0.0; 3], [12.0; 3], [Boundary::Periodic; 3]);
        assert!(Decomposition::new(&b, &[], 4, 0, Some([3, 1, 1])).is_err());
    }
}
