//! Pyramidal fcc(001) tips facing each other along z, on semi-infinite wire leads: the
//! geometry of a point contact for transport.
//!
//! Frame: cube axes x, y, z along [100], [010], [001] of the fcc crystal of cube edge a; the
//! (001) atomic layers are a/2 apart. In units of a/2 a site is (i, j, k) with i + j + k even;
//! layer k of a tip (k counted from its top) holds the sites with |i + j| ≤ k and |i − j| ≤ k:
//! a square of (k + 1)² atoms with edges along ⟨110⟩, nearest-neighbour spacing a/√2, so that
//! the tip is a square pyramid bounded by {111} facets, ending in one apex atom (k = 0). A tip
//! may be truncated at layer t0 (a flat top of (t0 + 1)² atoms) and ends at its base layer K.
//!
//! The left tip's top layer lies at z = 0, its base at z = −(K − t0)·a/2; the right tip is its
//! mirror image with the top at z = g (the gap between the top layers: for one apex atom each,
//! the apex–apex distance). Below each base the crystal continues as a wire of the base's
//! cross-section (layers of (K + 1)² and K² atoms alternating): its principal layer is two
//! atomic layers, period a along −z (left) or +z (right). `buffer` such principal layers on each
//! side are part of the scattering region, the rest is the lead.
//!
//! The two tips belong to one fcc lattice when g is an even multiple of a/2; [`neck_sites`] then
//! lists the lattice sites between the tops, for contacts that grow atom by atom.
//!
//! [`TipsOnSlabs`] puts the same pyramids on (001) slabs periodic in x and y instead of wire
//! leads: the leads are then semi-infinite crystals, periodic across the axis with a k∥ mesh.

use crate::error::{Error, Result};

/// Two fcc(001) pyramidal tips facing each other.
#[derive(Clone, Debug, PartialEq)]
pub struct TipPair {
    /// Cube edge (Å).
    pub a: f64,
    /// Layer index of each tip's top (0: a single apex atom).
    pub top: usize,
    /// Layer index of each tip's base (≥ top).
    pub base: usize,
    /// Distance between the two top layers along z (Å).
    pub gap: f64,
    /// Wire principal layers kept in the scattering region on each side.
    pub buffer: usize,
}

/// A semi-infinite wire lead: the positions of its first principal layer (nearest the
/// scattering region) and the period pointing away from it.
#[derive(Clone, Debug, PartialEq)]
pub struct WireLead {
    pub layer: Vec<[f64; 3]>,
    pub period: [f64; 3],
}

/// A point contact: scattering-region positions and the two leads [left, right].
#[derive(Clone, Debug, PartialEq)]
pub struct Contact {
    pub scattering: Vec<[f64; 3]>,
    pub leads: [WireLead; 2],
}

/// In-plane sites (i, j) of layer k (units a/2) inside the square of half-diagonal `half`:
/// |i + j| ≤ half, |i − j| ≤ half, i + j + k even.
fn layer_sites(k: usize, half: usize) -> Vec<(i64, i64)> {
    let h = half as i64;
    let mut out = Vec::new();
    for i in -h..=h {
        for j in -h..=h {
            if (i + j).abs() <= h && (i - j).abs() <= h && (i + j + k as i64).rem_euclid(2) == 0 {
                out.push((i, j));
            }
        }
    }
    out
}

impl TipPair {
    fn check(&self) -> Result<()> {
        if !(self.a.is_finite() && self.a > 0.0) {
            return Err(Error::run(format!(
                "tips: lattice constant must be positive, got {}",
                self.a
            )));
        }
        if self.base < self.top {
            return Err(Error::run(format!(
                "tips: base layer {} lies above the top layer {}",
                self.base, self.top
            )));
        }
        if !(self.gap.is_finite() && self.gap > 0.0) {
            return Err(Error::run(format!(
                "tips: the gap between the tops must be positive, got {} Å",
                self.gap
            )));
        }
        Ok(())
    }

    /// Height of layer k of the left tip (k = top at z = 0).
    fn z_left(&self, k: usize) -> f64 {
        -((k - self.top) as f64) * 0.5 * self.a
    }

    /// The atoms of both tips and of the buffer, left tip first.
    pub fn contact(&self) -> Result<Contact> {
        self.check()?;
        let h = 0.5 * self.a;
        let mut left = Vec::new();
        // Tip layers top..=base, then the buffer wire layers.
        for k in self.top..=self.base {
            for (i, j) in layer_sites(k, k) {
                left.push([i as f64 * h, j as f64 * h, self.z_left(k)]);
            }
        }
        let wire_layer = |k: usize| -> Vec<[f64; 3]> {
            layer_sites(k, self.base)
                .into_iter()
                .map(|(i, j)| [i as f64 * h, j as f64 * h, self.z_left(k)])
                .collect()
        };
        for k in self.base + 1..=self.base + 2 * self.buffer {
            left.extend(wire_layer(k));
        }
        let lead_start = self.base + 2 * self.buffer + 1;
        let lead_left: Vec<[f64; 3]> = (lead_start..lead_start + 2).flat_map(wire_layer).collect();
        // The right side is the mirror image z → gap − z.
        let mirror = |p: &[f64; 3]| [p[0], p[1], self.gap - p[2]];
        let mut scattering = left.clone();
        scattering.extend(left.iter().map(mirror));
        let lead_right = lead_left.iter().map(mirror).collect();
        Ok(Contact {
            scattering,
            leads: [
                WireLead {
                    layer: lead_left,
                    period: [0.0, 0.0, -self.a],
                },
                WireLead {
                    layer: lead_right,
                    period: [0.0, 0.0, self.a],
                },
            ],
        })
    }
}

/// Lattice sites strictly between the two tops, when both tips belong to one fcc lattice
/// (gap = an even number of layer spacings a/2), ordered for growth atom by atom: by distance
/// from the z axis, then by height, then by angle about the axis. Only sites inside the
/// cross-section of the tops' squares grown by `margin` layers are listed.
pub fn neck_sites(tips: &TipPair, margin: usize) -> Result<Vec<[f64; 3]>> {
    tips.check()?;
    let h = 0.5 * tips.a;
    let layers = tips.gap / h;
    let n = layers.round();
    if (layers - n).abs() > 1e-9 || (n as i64) % 2 != 0 || n < 2.0 {
        return Err(Error::run(format!(
            "neck sites: the gap {} Å is not an even number (≥ 2) of layer spacings a/2 = {h} Å",
            tips.gap
        )));
    }
    let n = n as usize;
    // Global layer q (z = q·a/2) has the parity of tip layer k = top − q (left tip).
    let mut sites: Vec<([f64; 3], f64, f64)> = Vec::new();
    for q in 1..n {
        let parity = (tips.top + q) % 2;
        for (i, j) in layer_sites(parity, tips.top + margin) {
            let p = [i as f64 * h, j as f64 * h, q as f64 * h];
            let rho = (p[0] * p[0] + p[1] * p[1]).sqrt();
            sites.push((p, rho, p[1].atan2(p[0])));
        }
    }
    sites.sort_by(|a, b| {
        (a.1, (a.0[2] - 0.5 * tips.gap).abs(), a.2)
            .partial_cmp(&(b.1, (b.0[2] - 0.5 * tips.gap).abs(), b.2))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(sites.into_iter().map(|s| s.0).collect())
}

/// Two fcc(001) pyramids ending in layer `top` (0: one apex atom), each standing on a slab
/// periodic in x and y: the point contact between two surfaces, whose leads are the slabs
/// continued as semi-infinite crystals (periodic across the axis, with a k∥ mesh), the geometry
/// of PWCOND-type calculations rather than that of wire leads.
///
/// The box is `cells` × `cells` cubes of edge a in x and y (2·cells² atoms per (001) plane);
/// layer k of a pyramid (k = top..=base) holds the (k + 1)² sites of [`TipPair`], and the slab
/// planes continue below the base (layers base + 1 ..= base + slab_layers, all 2·cells² sites).
/// The pyramid must fit its cell without touching its periodic images: base < cells. The left
/// top layer lies at z = 0, the right tip is the mirror image z → gap − z.
#[derive(Clone, Debug, PartialEq)]
pub struct TipsOnSlabs {
    /// Cube edge (Å).
    pub a: f64,
    /// Cubes of the periodic cell along x and along y.
    pub cells: usize,
    /// Layer index of each tip's top (0: a single apex atom).
    pub top: usize,
    /// Layer index of each tip's base layer (the last one of the pyramid, ≥ top).
    pub base: usize,
    /// Full (001) planes of each slab (the outer two are the lead region, so at least 2).
    pub slab_layers: usize,
    /// Distance between the two top layers along z (Å).
    pub gap: f64,
}

/// A contact between periodic slabs: positions, the orthogonal box (periodic along x and y)
/// and the z ranges of the [left, right] lead regions (the outer two planes of each slab).
#[derive(Clone, Debug, PartialEq)]
pub struct SlabContact {
    pub positions: Vec<[f64; 3]>,
    pub lo: [f64; 3],
    pub hi: [f64; 3],
    pub lead_ranges: [[f64; 2]; 2],
}

/// A contact between two slabs periodic in x and y whose outer planes are the leads, built
/// with extra planes behind each slab on request (the fixed padding of a relaxation,
/// [`crate::build::relax::relax_contact`]).
pub trait SlabGeometry {
    /// The contact with `neck` atoms first (moved by half the stretch), the right side moved
    /// by `stretch` along z, each slab `pad` planes thicker than its own (the lead ranges then
    /// the outermost two planes of the thicker slabs, the box around them).
    fn contact_padded(&self, neck: &[[f64; 3]], stretch: f64, pad: usize) -> Result<SlabContact>;
}

impl SlabGeometry for TipsOnSlabs {
    fn contact_padded(&self, neck: &[[f64; 3]], stretch: f64, pad: usize) -> Result<SlabContact> {
        TipsOnSlabs {
            slab_layers: self.slab_layers + pad,
            ..self.clone()
        }
        .contact_with(neck, stretch)
    }
}

impl TipsOnSlabs {
    /// The atoms of both tips and slabs (left side first) in their box.
    pub fn contact(&self) -> Result<SlabContact> {
        let tips = TipPair {
            a: self.a,
            top: self.top,
            base: self.base,
            gap: self.gap,
            buffer: 0,
        };
        tips.check()?;
        if self.base >= self.cells {
            return Err(Error::run(format!(
                "tips on slabs: a pyramid with base layer {} does not fit a cell of {} cubes \
                 (base < cells is needed)",
                self.base, self.cells
            )));
        }
        if self.slab_layers < 2 {
            return Err(Error::run(format!(
                "tips on slabs: {} slab planes; at least the two planes of the lead region are \
                 needed",
                self.slab_layers
            )));
        }
        let h = 0.5 * self.a;
        let m = 2 * self.cells as i64;
        let mut left = Vec::new();
        for k in self.top..=self.base {
            for (i, j) in layer_sites(k, k) {
                left.push([i as f64 * h, j as f64 * h, tips.z_left(k)]);
            }
        }
        for k in self.base + 1..=self.base + self.slab_layers {
            for i in -m / 2..m / 2 {
                for j in -m / 2..m / 2 {
                    if (i + j + k as i64).rem_euclid(2) == 0 {
                        left.push([i as f64 * h, j as f64 * h, tips.z_left(k)]);
                    }
                }
            }
        }
        let z_out = tips.z_left(self.base + self.slab_layers);
        let mirror = |p: &[f64; 3]| [p[0], p[1], self.gap - p[2]];
        let mut positions = left.clone();
        positions.extend(left.iter().map(mirror));
        let (l, q) = (self.cells as f64 * self.a, 0.25 * h);
        Ok(SlabContact {
            positions,
            lo: [-0.5 * l, -0.5 * l, z_out - h],
            hi: [0.5 * l, 0.5 * l, self.gap - z_out + h],
            lead_ranges: [
                [z_out - q, z_out + h + q],
                [self.gap - z_out - h - q, self.gap - z_out + q],
            ],
        })
    }

    /// The contact with `neck` atoms added first (moved by half the stretch) and the right side
    /// (tip, slab, lead region and box edge) moved by `stretch` along z: the electrodes pulled
    /// apart (> 0) or pushed together (< 0), the atoms on their lattice sites otherwise. Order:
    /// neck atoms, left side, right side (each side as in [`TipsOnSlabs::contact`]).
    pub fn contact_with(&self, neck: &[[f64; 3]], stretch: f64) -> Result<SlabContact> {
        if !stretch.is_finite() {
            return Err(Error::run(format!(
                "tips on slabs: stretch must be finite, got {stretch}"
            )));
        }
        let mut c = self.contact()?;
        let half = c.positions.len() / 2;
        for p in &mut c.positions[half..] {
            p[2] += stretch;
        }
        c.hi[2] += stretch;
        c.lead_ranges[1] = c.lead_ranges[1].map(|z| z + stretch);
        let mut positions: Vec<[f64; 3]> = neck
            .iter()
            .map(|p| [p[0], p[1], p[2] + 0.5 * stretch])
            .collect();
        positions.extend_from_slice(&c.positions);
        c.positions = positions;
        Ok(c)
    }

    /// The lattice sites between the two tops (the gap an even number ≥ 2 of layer spacings),
    /// in the order of [`neck_sites`] with `margin`, each site once: a site and its periodic
    /// images in x and y count as one (the first met is kept, wrapped into the cell).
    pub fn neck_sites(&self, margin: usize) -> Result<Vec<[f64; 3]>> {
        let tips = TipPair {
            a: self.a,
            top: self.top,
            base: self.base,
            gap: self.gap,
            buffer: 0,
        };
        let l = self.cells as f64 * self.a;
        let wrap = |x: f64| x - l * (x / l + 0.5).floor();
        let mut out: Vec<[f64; 3]> = Vec::new();
        for p in neck_sites(&tips, margin)? {
            let w = [wrap(p[0]), wrap(p[1]), p[2]];
            let seen = out.iter().any(|q| {
                let d = [0, 1].map(|k| {
                    let x = q[k] - w[k];
                    x - l * (x / l).round()
                });
                d[0].abs() < 1e-6 && d[1].abs() < 1e-6 && (q[2] - w[2]).abs() < 1e-6
            });
            if !seen {
                out.push(w);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Atoms of `positions` closer than `r` to `p` (other than `p` itself), with the minimum
    /// image in x and y over a square cell of side `l`.
    fn neighbours_within(positions: &[[f64; 3]], p: &[f64; 3], r: f64, l: f64) -> usize {
        positions
            .iter()
            .filter(|q| {
                let d: Vec<f64> = (0..3)
                    .map(|k| {
                        let x = q[k] - p[k];
                        if k < 2 {
                            x - l * (x / l).round()
                        } else {
                            x
                        }
                    })
                    .collect();
                let dist = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
                dist > 1e-9 && dist < r
            })
            .count()
    }

    fn count_near(p: &[f64; 3], all: &[[f64; 3]], r: f64) -> usize {
        all.iter()
            .filter(|q| {
                let d = (0..3).map(|k| (p[k] - q[k]).powi(2)).sum::<f64>().sqrt();
                d > 1e-9 && d < r
            })
            .count()
    }

    #[test]
    fn pyramid_layers_hold_squares_of_atoms_on_an_fcc_lattice() {
        let a = 4.08;
        let t = TipPair {
            a,
            top: 0,
            base: 3,
            gap: 10.0,
            buffer: 1,
        };
        let c = t.contact().unwrap();
        // Tip: 1 + 4 + 9 + 16 atoms; buffer: 9 + 16; per side, twice.
        assert_eq!(c.scattering.len(), 2 * (30 + 25));
        assert_eq!(c.leads[0].layer.len(), 25);
        let nn = a / 2f64.sqrt();
        // The apex has its 4 nearest neighbours in the layer below.
        let apex = c.scattering[0];
        assert_eq!(apex, [0.0, 0.0, 0.0]);
        assert_eq!(count_near(&apex, &c.scattering, nn + 0.01), 4);
        // Every site is a lattice site: all pair distances are ≥ nn.
        for p in &c.scattering {
            assert!(count_near(p, &c.scattering, nn - 0.01) == 0);
        }
        // A bulk-like atom deep in the buffer has 12 neighbours counting the lead layer.
        let mut all = c.scattering.clone();
        all.extend(c.leads[0].layer.iter().copied());
        let inner = [0.0, 0.0, -4.0 * 0.5 * a];
        assert!(c.scattering.contains(&inner));
        assert_eq!(count_near(&inner, &all, nn + 0.01), 12);
    }

    #[test]
    fn tips_on_slabs_stand_on_full_periodic_planes() {
        let a = 4.08;
        let t = TipsOnSlabs {
            a,
            cells: 2,
            top: 0,
            base: 1,
            slab_layers: 3,
            gap: a / 2f64.sqrt(),
        };
        let c = t.contact().unwrap();
        // Per side: 1 + 4 pyramid atoms, 3 planes of 2·2² = 8.
        assert_eq!(c.positions.len(), 2 * (5 + 24));
        let l = 2.0 * a;
        let nn = a / 2f64.sqrt();
        // Neighbours within the periodic box (minimum image in x, y).
        let near = |p: &[f64; 3], r: f64| neighbours_within(&c.positions, p, r, l);
        for p in &c.positions {
            assert_eq!(near(p, nn - 0.01), 0, "{p:?} too close to another atom");
        }
        // Apex: 4 below and the other apex; a middle slab plane atom: 4 + 4 + 4.
        assert_eq!(near(&[0.0, 0.0, 0.0], nn + 0.01), 5);
        let z_mid = -3.0 * 0.5 * a;
        let mid = c.positions.iter().find(|p| p[2] == z_mid).unwrap();
        assert_eq!(near(mid, nn + 0.01), 12);
        for [lo, hi] in c.lead_ranges {
            let n = c
                .positions
                .iter()
                .filter(|p| p[2] >= lo && p[2] <= hi)
                .count();
            assert_eq!(n, 16);
        }
        assert!(TipsOnSlabs {
            base: 2,
            ..t.clone()
        }
        .contact()
        .is_err());
        assert!(TipsOnSlabs {
            slab_layers: 1,
            ..t
        }
        .contact()
        .is_err());
    }

    #[test]
    fn neck_sites_between_slabs_count_periodic_images_once() {
        let a = 4.09;
        let t = TipsOnSlabs {
            a,
            cells: 2,
            top: 1,
            base: 1,
            slab_layers: 3,
            gap: a,
        };
        // Margin 1: the axis site, 4 at a/√2 and 2 of the 4 at a from the axis (the other two
        // are their periodic images); margin 3 reaches the corner and fills the plane.
        assert_eq!(t.neck_sites(1).unwrap().len(), 7);
        let neck = t.neck_sites(3).unwrap();
        assert_eq!(neck.len(), 8);
        assert_eq!(neck[0], [0.0, 0.0, 0.5 * a]);
        let c = t.contact().unwrap();
        let mut all = c.positions.clone();
        all.extend(neck.iter().copied());
        let l = 2.0 * a;
        let nn = a / 2f64.sqrt();
        let bonds = |p: &[f64; 3], r: f64| neighbours_within(&all, p, r, l);
        for p in &all {
            assert_eq!(bonds(p, nn - 0.01), 0, "{p:?} too close to another atom");
        }
        // The axis site bonds to the 4 + 4 top atoms and, with the plane full, to 4 in it.
        assert_eq!(bonds(&neck[0], nn + 0.01), 12);
    }

    #[test]
    fn neck_sites_continue_the_lattice() {
        let a = 4.08;
        let t = TipPair {
            a,
            top: 2,
            base: 4,
            gap: 2.0 * a,
            buffer: 0,
        };
        let neck = neck_sites(&t, 0).unwrap();
        let c = t.contact().unwrap();
        let nn = a / 2f64.sqrt();
        let mut all = c.scattering.clone();
        all.extend(neck.iter().copied());
        for p in &all {
            assert_eq!(count_near(p, &all, nn - 0.01), 0, "{p:?} too close");
        }
        // Layers q = 1, 2, 3: parity of top + q; the middle layer is the top's parity.
        assert_eq!(neck[0], [0.0, 0.0, a]);
        assert!(neck_sites(&TipPair { gap: 1.5 * a, ..t }, 0).is_err());
    }
}
