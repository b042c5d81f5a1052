//! Face-centred cubic lattices with an arbitrary orthogonal orientation, as LAMMPS
//! `lattice fcc a orient x h k l orient y .. orient z ..`: the box axes x, y, z point along the
//! given Miller directions of the cubic crystal.
//!
//! The repeat length along a direction [hkl] of an fcc crystal of cube edge a is
//! a·√(h²+k²+l²)/2 when h+k+l is even (the vector (h,k,l)·a/2 is then a lattice vector) and
//! a·√(h²+k²+l²) otherwise, e.g. a/√2 along [110], a√3 along [111], a along [100]. A box of
//! whole repeat lengths is commensurate with the crystal, so it can be periodic.

use crate::error::{Error, Result};

/// An fcc crystal of cube edge `a` with box axes along `orient[0..3]`.
#[derive(Clone, Debug)]
pub struct OrientedFcc {
    /// Cube edge, Å.
    pub a: f64,
    /// Miller directions of x, y, z (integers, mutually orthogonal).
    pub orient: [[i64; 3]; 3],
}

fn dot(u: &[i64; 3], v: &[i64; 3]) -> i64 {
    u[0] * v[0] + u[1] * v[1] + u[2] * v[2]
}

impl OrientedFcc {
    /// Check the orientation: non-zero, mutually orthogonal, right-handed.
    pub fn new(a: f64, orient: [[i64; 3]; 3]) -> Result<Self> {
        if a.is_nan() || a <= 0.0 {
            return Err(Error::run(format!(
                "lattice constant must be positive, got {a}"
            )));
        }
        for o in &orient {
            if dot(o, o) == 0 {
                return Err(Error::run("lattice orientation vectors must be non-zero"));
            }
        }
        if dot(&orient[0], &orient[1]) != 0
            || dot(&orient[0], &orient[2]) != 0
            || dot(&orient[1], &orient[2]) != 0
        {
            return Err(Error::run(format!(
                "lattice orientation vectors {orient:?} are not mutually orthogonal"
            )));
        }
        let o = &orient;
        let cross = [
            o[0][1] * o[1][2] - o[0][2] * o[1][1],
            o[0][2] * o[1][0] - o[0][0] * o[1][2],
            o[0][0] * o[1][1] - o[0][1] * o[1][0],
        ];
        if dot(&cross, &o[2]) <= 0 {
            return Err(Error::run(format!(
                "lattice orientation {orient:?} is left-handed: z must be along x × y"
            )));
        }
        Ok(OrientedFcc { a, orient })
    }

    /// Repeat length along box axis d, Å.
    pub fn period(&self, d: usize) -> f64 {
        let o = &self.orient[d];
        let n = (dot(o, o) as f64).sqrt();
        if (o[0] + o[1] + o[2]).rem_euclid(2) == 0 {
            0.5 * self.a * n
        } else {
            self.a * n
        }
    }

    /// Lattice sites in the box [0, cells_d · period_d) along each axis, in box coordinates.
    /// Their number is 4·V/a³.
    pub fn sites(&self, cells: [usize; 3]) -> Vec<[f64; 3]> {
        let len: Vec<f64> = (0..3).map(|d| cells[d] as f64 * self.period(d)).collect();
        // Rotation rows: unit vectors of the box axes in the cubic frame.
        let rot: Vec<[f64; 3]> = self
            .orient
            .iter()
            .map(|o| {
                let n = (dot(o, o) as f64).sqrt();
                [o[0] as f64 / n, o[1] as f64 / n, o[2] as f64 / n]
            })
            .collect();
        // Cubic-frame bounding box of the rotated box: corners are Σ_d c_d len_d rot_d.
        let mut lo = [f64::INFINITY; 3];
        let mut hi = [f64::NEG_INFINITY; 3];
        for corner in 0..8 {
            let mut p = [0.0; 3];
            for d in 0..3 {
                if corner >> d & 1 == 1 {
                    for k in 0..3 {
                        p[k] += len[d] * rot[d][k];
                    }
                }
            }
            for k in 0..3 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let basis = [
            [0.0, 0.0, 0.0],
            [0.5, 0.5, 0.0],
            [0.5, 0.0, 0.5],
            [0.0, 0.5, 0.5],
        ];
        let eps = 1e-8 * self.a;
        let imin: Vec<i64> = (0..3)
            .map(|k| (lo[k] / self.a).floor() as i64 - 1)
            .collect();
        let imax: Vec<i64> = (0..3).map(|k| (hi[k] / self.a).ceil() as i64 + 1).collect();
        let mut out = Vec::new();
        for i in imin[0]..=imax[0] {
            for j in imin[1]..=imax[1] {
                for k in imin[2]..=imax[2] {
                    for b in &basis {
                        let c = [
                            (i as f64 + b[0]) * self.a,
                            (j as f64 + b[1]) * self.a,
                            (k as f64 + b[2]) * self.a,
                        ];
                        let mut x = [0.0; 3];
                        for d in 0..3 {
                            x[d] = rot[d][0] * c[0] + rot[d][1] * c[1] + rot[d][2] * c[2];
                        }
                        if (0..3).all(|d| x[d] >= -eps && x[d] < len[d] - eps) {
                            for xd in x.iter_mut() {
                                if xd.abs() < eps {
                                    *xd = 0.0;
                                }
                            }
                            out.push(x);
                        }
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nearest_neighbour_count(sites: &[[f64; 3]], len: [f64; 3], i: usize, r: f64) -> usize {
        sites
            .iter()
            .enumerate()
            .filter(|&(j, x)| {
                if j == i {
                    return false;
                }
                let mut s = 0.0;
                for d in 0..3 {
                    let mut dd = x[d] - sites[i][d];
                    dd -= len[d] * (dd / len[d]).round();
                    s += dd * dd;
                }
                (s.sqrt() - r).abs() < 1e-6
            })
            .count()
    }

    #[test]
    fn orientations_give_full_density_and_twelve_neighbours() {
        let a = 4.08;
        for (orient, cells) in [
            ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [3, 3, 3]),
            ([[1, -1, 0], [1, 1, -2], [1, 1, 1]], [4, 2, 2]),
            ([[1, 1, 0], [-1, 1, 0], [0, 0, 1]], [4, 4, 3]),
            ([[0, 0, 1], [1, 0, 0], [0, 1, 0]], [2, 3, 2]),
        ] {
            let l = OrientedFcc::new(a, orient).unwrap();
            let len = [0, 1, 2].map(|d| cells[d] as f64 * l.period(d));
            let s = l.sites(cells);
            let expected = (4.0 * len[0] * len[1] * len[2] / (a * a * a)).round() as usize;
            assert_eq!(s.len(), expected, "{orient:?}");
            for i in [0, s.len() / 2, s.len() - 1] {
                assert_eq!(
                    nearest_neighbour_count(&s, len, i, a / 2f64.sqrt()),
                    12,
                    "{orient:?}"
                );
            }
        }
    }

    #[test]
    fn rejects_bad_orientations() {
        assert!(OrientedFcc::new(4.0, [[1, 0, 0], [1, 1, 0], [0, 0, 1]]).is_err());
        assert!(OrientedFcc::new(4.0, [[1, 0, 0], [0, 0, 1], [0, 1, 0]]).is_err());
        assert!(OrientedFcc::new(-1.0, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]).is_err());
    }
}
