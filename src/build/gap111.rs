//! Two fcc(111) slabs facing each other across a gap of missing (111) planes, periodic in x
//! and y: the electrodes of the silver paper's transport calculations (seed 002, Methods:
//! Ag(111) 3 × 3 leads, the gap between them filled with the filament's atoms), and the sites
//! of the missing planes, ordered so that a filament grows in them atom by atom.
//!
//! Axes: x along [1̄10], y along [1̄1̄2], z along [111]. A (111) plane is a triangular lattice of
//! spacing d = a/√2; its rectangular cell d × d√3 holds two sites, (0, 0) and (d/2, d√3/2).
//! Planes lie c = a/√3 apart and stack ABC: plane q is shifted by (q mod 3)·(d/2, d√3/6), the
//! centroid of a triangle of the plane below (N. W. Ashcroft and N. D. Mermin, *Solid State
//! Physics*, Ch. 4). The box holds `nx` × `ny` rectangular cells (2·nx·ny sites per plane), so
//! an hexagonal 3 × 3 cell of PWCOND-type calculations (9 sites) becomes nx = 3, ny = 2 (12).
//! An atom in a missing plane next to both surfaces (one missing plane) sits in a hollow of
//! each: bonded to three atoms of each surface, the single-atom contact of J. C. Cuevas,
//! A. Levy Yeyati and A. Martín-Rodero, Phys. Rev. Lett. 80, 1066 (1998).

use crate::build::tips::{SlabContact, SlabGeometry};
use crate::error::{Error, Result};

/// Two fcc(111) slabs across a gap of `missing` planes (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct Gap111 {
    /// Cube edge (Å).
    pub a: f64,
    /// Rectangular cells d × d√3 along x and y.
    pub nx: usize,
    pub ny: usize,
    /// (111) planes of each slab (the outer two are the lead region, so at least 2).
    pub slab_planes: usize,
    /// Missing planes between the two surfaces (≥ 1).
    pub missing: usize,
}

impl Gap111 {
    /// Nearest-neighbour distance a/√2 (Å).
    pub fn d(&self) -> f64 {
        self.a / 2f64.sqrt()
    }

    /// Spacing of the (111) planes a/√3 (Å).
    pub fn c(&self) -> f64 {
        self.a / 3f64.sqrt()
    }

    /// Box lengths along x and y (Å).
    pub fn lengths(&self) -> [f64; 2] {
        let d = self.d();
        [self.nx as f64 * d, self.ny as f64 * d * 3f64.sqrt()]
    }

    fn check(&self) -> Result<()> {
        if !(self.a.is_finite() && self.a > 0.0) {
            return Err(Error::run(format!(
                "fcc(111) gap: the lattice constant must be positive, got {}",
                self.a
            )));
        }
        if self.nx == 0 || self.ny == 0 {
            return Err(Error::run(
                "fcc(111) gap: the cell needs at least one rectangle along x and y",
            ));
        }
        if self.slab_planes < 2 {
            return Err(Error::run(format!(
                "fcc(111) gap: {} slab planes; at least the two planes of the lead region are \
                 needed",
                self.slab_planes
            )));
        }
        if self.missing == 0 {
            return Err(Error::run("fcc(111) gap: at least one missing plane"));
        }
        Ok(())
    }

    /// The sites of global plane q (z = q·c), wrapped into the box [−L/2, L/2) along x and y.
    fn plane(&self, q: i64) -> Vec<[f64; 3]> {
        let (d, h) = (self.d(), self.d() * 3f64.sqrt());
        let [lx, ly] = self.lengths();
        let s = q.rem_euclid(3) as f64;
        let shift = [s * 0.5 * d, s * h / 6.0];
        let wrap = |x: f64, l: f64| x - l * (x / l + 0.5).floor();
        let mut out = Vec::with_capacity(2 * self.nx * self.ny);
        for i in 0..self.nx {
            for j in 0..self.ny {
                for b in [[0.0, 0.0], [0.5 * d, 0.5 * h]] {
                    let x = i as f64 * d + b[0] + shift[0];
                    let y = j as f64 * h + b[1] + shift[1];
                    out.push([wrap(x, lx), wrap(y, ly), q as f64 * self.c()]);
                }
            }
        }
        out
    }

    /// Minimum-image distance in the x–y periodic cell.
    fn distance(&self, p: &[f64; 3], q: &[f64; 3]) -> f64 {
        let l = self.lengths();
        let mut r2 = (q[2] - p[2]).powi(2);
        for k in 0..2 {
            let x = q[k] - p[k];
            r2 += (x - l[k] * (x / l[k]).round()).powi(2);
        }
        r2.sqrt()
    }

    /// The sites of the missing planes in the order a filament fills them: first the site
    /// nearest the z axis (the plane nearest the middle of the gap first), then repeatedly the
    /// free site with the most occupied nearest neighbours (atoms of the two surfaces and of
    /// the filament so far), ties going to the site nearest the axis, then nearest the middle
    /// of the gap, then first in angle about the axis. With one missing plane every site has
    /// three neighbours in each surface, so the filament grows as a compact island: a
    /// single atom, a dimer, a triangle, …
    pub fn filament_sites(&self) -> Result<Vec<[f64; 3]>> {
        self.check()?;
        let free: Vec<[f64; 3]> = (1..=self.missing as i64)
            .flat_map(|q| self.plane(q))
            .collect();
        let mut occupied: Vec<[f64; 3]> = self.plane(0);
        occupied.extend(self.plane(self.missing as i64 + 1));
        Ok(self.growth_order(occupied, free, [0.0, 0.0]))
    }

    /// The order in which `free` sites fill next to `occupied` ones: repeatedly the free site
    /// with the most occupied nearest neighbours, ties going to the site nearest the `axis`
    /// (x, y), then nearest the middle of the gap, then first in angle about the axis.
    fn growth_order(
        &self,
        mut occupied: Vec<[f64; 3]>,
        mut free: Vec<[f64; 3]>,
        axis: [f64; 2],
    ) -> Vec<[f64; 3]> {
        let nn = 1.1 * self.d();
        let mid = 0.5 * (self.missing as f64 + 1.0) * self.c();
        let key = |p: &[f64; 3]| {
            let (x, y) = (p[0] - axis[0], p[1] - axis[1]);
            ((x * x + y * y).sqrt(), (p[2] - mid).abs(), y.atan2(x))
        };
        let mut order = Vec::with_capacity(free.len());
        while !free.is_empty() {
            let score = |p: &[f64; 3]| occupied.iter().filter(|q| self.distance(p, q) < nn).count();
            let best = (0..free.len())
                .min_by(|&i, &j| {
                    let (ki, kj) = (key(&free[i]), key(&free[j]));
                    score(&free[j])
                        .cmp(&score(&free[i]))
                        .then(ki.partial_cmp(&kj).unwrap_or(std::cmp::Ordering::Equal))
                })
                .unwrap_or(0);
            let p = free.swap_remove(best);
            occupied.push(p);
            order.push(p);
        }
        order
    }

    /// The single-atom contact between two (111) pyramids of J. C. Cuevas, A. Levy Yeyati and
    /// A. Martín-Rodero (Phys. Rev. Lett. 80, 1066 (1998)) in three missing planes: a trimer
    /// on each surface (three atoms in hollows of the surface, around a common axis) and one
    /// atom between them in a hollow of both trimers, bonded to the six trimer atoms. The
    /// axis passes through the site of the middle plane nearest the box's z axis. Order: the
    /// left trimer, the right trimer, the central atom (so the first six are the two tips
    /// without their contact atom), then the other sites of the middle plane in the order a
    /// contact between the tips thickens ([`Self::filament_sites`]' rule: most bonds to the
    /// surfaces, tips and contact so far first, then nearest the axis).
    pub fn pyramid_sites(&self) -> Result<Vec<[f64; 3]>> {
        self.check()?;
        if self.missing != 3 {
            return Err(Error::run(format!(
                "fcc(111) pyramids: a trimer on each surface and one atom between them need 3 \
                 missing planes, not {}",
                self.missing
            )));
        }
        let near_axis = |sites: Vec<[f64; 3]>, axis: [f64; 2], n: usize| {
            let mut v: Vec<(f64, [f64; 3])> = sites
                .into_iter()
                .map(|p| (self.distance(&p, &[axis[0], axis[1], p[2]]), p))
                .collect();
            v.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
            v.into_iter().take(n).map(|(_, p)| p).collect::<Vec<_>>()
        };
        let centre = near_axis(self.plane(2), [0.0, 0.0], 1)[0];
        let axis = [centre[0], centre[1]];
        let mut out = near_axis(self.plane(1), axis, 3);
        out.extend(near_axis(self.plane(3), axis, 3));
        out.push(centre);
        let mut occupied = self.plane(0);
        occupied.extend(self.plane(self.missing as i64 + 1));
        occupied.extend(out.iter().copied());
        let free = self
            .plane(2)
            .into_iter()
            .filter(|p| self.distance(p, &centre) > 1e-6)
            .collect();
        out.extend(self.growth_order(occupied, free, axis));
        Ok(out)
    }
}

impl SlabGeometry for Gap111 {
    /// Filament atoms first (moved by half the stretch), then the left slab (planes 0, −1, …
    /// from the surface outwards), then the right slab (planes missing + 1, … outwards, moved
    /// by `stretch` along z), each slab with `pad` more planes behind it than `slab_planes`.
    fn contact_padded(
        &self,
        filament: &[[f64; 3]],
        stretch: f64,
        pad: usize,
    ) -> Result<SlabContact> {
        self.check()?;
        if !stretch.is_finite() {
            return Err(Error::run(format!(
                "fcc(111) gap: stretch must be finite, got {stretch}"
            )));
        }
        let planes = (self.slab_planes + pad) as i64;
        let right0 = self.missing as i64 + 1;
        let mut positions: Vec<[f64; 3]> = filament
            .iter()
            .map(|p| [p[0], p[1], p[2] + 0.5 * stretch])
            .collect();
        for q in 0..planes {
            positions.extend(self.plane(-q));
        }
        for q in 0..planes {
            positions.extend(
                self.plane(right0 + q)
                    .into_iter()
                    .map(|p| [p[0], p[1], p[2] + stretch]),
            );
        }
        let c = self.c();
        let [lx, ly] = self.lengths();
        // The lead regions: the two outermost planes of each (padded) slab.
        let z_left = -((planes - 1) as f64) * c;
        let z_right = (right0 + planes - 1) as f64 * c + stretch;
        let q = 0.25 * c;
        Ok(SlabContact {
            positions,
            lo: [-0.5 * lx, -0.5 * ly, z_left - c],
            hi: [0.5 * lx, 0.5 * ly, z_right + c],
            lead_ranges: [[z_left - q, z_left + c + q], [z_right - c - q, z_right + q]],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(missing: usize) -> Gap111 {
        Gap111 {
            a: 4.09,
            nx: 3,
            ny: 2,
            slab_planes: 3,
            missing,
        }
    }

    /// Neighbours of `p` within `r` among `all` (minimum image), `p` itself excluded.
    fn neighbours(g: &Gap111, all: &[[f64; 3]], p: &[f64; 3], r: f64) -> usize {
        all.iter()
            .filter(|q| {
                let x = g.distance(p, q);
                x > 1e-6 && x < r
            })
            .count()
    }

    /// The slabs are fcc: with every missing site filled the structure is a perfect crystal,
    /// each interior atom with 12 nearest neighbours at a/√2 and 6 second neighbours at a, and
    /// no two atoms closer than a/√2.
    #[test]
    fn filled_gap_is_a_perfect_fcc_crystal() {
        let g = gap(2);
        let sites = g.filament_sites().unwrap();
        assert_eq!(sites.len(), 2 * 12);
        let c = g.contact_padded(&sites, 0.0, 0).unwrap();
        assert_eq!(c.positions.len(), 24 + 2 * 3 * 12);
        let (d, a) = (g.d(), g.a);
        let zs: Vec<f64> = c.positions.iter().map(|p| p[2]).collect();
        let (z0, z1) = (
            zs.iter().cloned().fold(f64::INFINITY, f64::min),
            zs.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
        );
        for p in &c.positions {
            let closest = c
                .positions
                .iter()
                .map(|q| g.distance(p, q))
                .filter(|&x| x > 1e-6)
                .fold(f64::INFINITY, f64::min);
            assert!((closest - d).abs() < 1e-9, "closest {closest}");
            if p[2] > z0 + 1.5 * g.c() && p[2] < z1 - 1.5 * g.c() {
                assert_eq!(neighbours(&g, &c.positions, p, 1.01 * d), 12);
                assert_eq!(neighbours(&g, &c.positions, p, 1.01 * a) - 12, 6);
            }
        }
    }

    /// With one missing plane each site sits over a hollow of both surfaces (three neighbours
    /// in each), and the filament grows compactly: the second atom is a neighbour of the
    /// first, the third of both (a triangle).
    #[test]
    fn one_missing_plane_gives_hollow_sites_and_a_compact_island() {
        let g = gap(1);
        let sites = g.filament_sites().unwrap();
        assert_eq!(sites.len(), 12);
        let c = g.contact_padded(&[], 0.0, 0).unwrap();
        for s in &sites {
            assert_eq!(neighbours(&g, &c.positions, s, 1.01 * g.d()), 6);
        }
        let d = g.d();
        assert!((g.distance(&sites[0], &sites[1]) - d).abs() < 1e-9);
        assert!((g.distance(&sites[0], &sites[2]) - d).abs() < 1e-9);
        assert!((g.distance(&sites[1], &sites[2]) - d).abs() < 1e-9);
        // The surfaces are 2c apart, the first atom on the axis's nearest hollow.
        assert!((sites[0][2] - g.c()).abs() < 1e-12);
        assert!((sites[0][0].hypot(sites[0][1]) - d / 3f64.sqrt()).abs() < 1e-9);
    }

    /// The pyramids: each trimer atom bonded to three surface atoms, two trimer atoms and the
    /// central atom; the central atom to the six trimer atoms only (missing = 3 required).
    #[test]
    fn pyramid_sites_make_trimers_and_a_six_fold_central_atom() {
        let g = gap(3);
        let all = g.pyramid_sites().unwrap();
        // The tips and the contact, then the rest of the middle plane.
        assert_eq!(all.len(), 6 + g.plane(2).len());
        let sites = &all[..7];
        let c = g.contact_padded(sites, 0.0, 0).unwrap();
        let r = 1.01 * g.d();
        for (i, s) in sites.iter().enumerate() {
            // Trimer atoms: 3 (surface) + 2 (trimer) + 1 (centre); the centre: 3 + 3.
            assert_eq!(neighbours(&g, &c.positions, s, r), 6, "site {i}");
            let in_tips = neighbours(&g, sites, s, r);
            assert_eq!(in_tips, if i == 6 { 6 } else { 3 }, "site {i}");
        }
        // Each added atom of the middle plane bonds to the contact grown so far.
        for k in 7..all.len() {
            assert!(
                (all[k][2] - all[6][2]).abs() < 1e-9,
                "site {k} not in the middle plane"
            );
            assert!(
                neighbours(&g, &all[6..k], &all[k], r) >= 1,
                "site {k} is detached"
            );
        }
        assert!(gap(2).pyramid_sites().is_err());
    }

    /// The lead regions hold the two outermost planes of each (padded) slab,
    /// and a stretch moves the right slab and half-moves the filament.
    #[test]
    fn lead_ranges_pad_planes_and_stretch() {
        let g = gap(1);
        let sites = g.filament_sites().unwrap();
        for pad in [0, 2] {
            let c = g.contact_padded(&sites[..1], 0.5, pad).unwrap();
            assert_eq!(c.positions.len(), 1 + 2 * (3 + pad) * 12);
            for (k, r) in c.lead_ranges.iter().enumerate() {
                let inside = c
                    .positions
                    .iter()
                    .filter(|p| p[2] >= r[0] && p[2] <= r[1])
                    .count();
                assert_eq!(inside, 24, "lead {k} pad {pad}");
            }
            assert!((c.positions[0][2] - sites[0][2] - 0.25).abs() < 1e-12);
            assert!(c.positions.iter().all(|p| p[2] > c.lo[2] && p[2] < c.hi[2]));
        }
        assert!(Gap111 {
            missing: 0,
            ..g.clone()
        }
        .filament_sites()
        .is_err());
        assert!(Gap111 {
            slab_planes: 1,
            ..g
        }
        .contact_padded(&[], 0.0, 0)
        .is_err());
    }
}
