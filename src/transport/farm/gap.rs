//! The conductance of the gap between two tips, the cut of the silver paper (seed 002,
//! Methods): the atoms that moved into the gap are taken out of each frame and placed between
//! two ideal fcc(111) slabs, periodic across the axis, whose surfaces stand for the two apexes
//! and lie as far apart as the apexes did in the first frame ("the base structure of the
//! channel is composed by a few layers of Ag separated by the same gap used in MD simulation;
//! the gap is filled with additional silver atoms whose positions are taken from the MD").
//!
//! From the reference frame (the first of the run, before anything moved):
//! - the axis position across the transport axis, the mean of the atoms' transverse
//!   coordinates (the tips are built on a common axis);
//! - the apex planes z_lo and z_hi: the highest atom below and the lowest atom above the
//!   middle of the largest empty interval along the axis, so w = z_hi − z_lo is the gap.
//!
//! In every frame the gap atoms are those with z_lo + margin < z < z_hi − margin (and within
//! `radius` of the axis, where given). Each goes to (x − x_axis, y − y_axis, z − z_lo), wrapped
//! into the slabs' periodic cell, between the lower slab's surface at z = 0 and the upper
//! slab's at z = w. The slabs are those of [`Gap111`]: m missing planes with the upper slab
//! moved by w − (m + 1)c, where m + 1 is the multiple of 3 nearest w/c (at least 3), so that
//! both surfaces have an atom on the axis, where the apexes were. The lead regions are the
//! two outermost planes of each slab.

use crate::build::gap111::Gap111;
use crate::build::tips::SlabGeometry;
use crate::error::{Error, Result};
use crate::system::{Boundary, SimBox};
use crate::transport::farm::frame::{transverse, Snapshot};
use crate::transport::farm::spec::{GapSpec, LeadRegion};

/// Ids of the slab atoms start here (the frame's atoms keep theirs).
pub const SLAB_ID_BASE: u64 = 1_000_000_000;

/// The embedding of every frame's gap atoms, fixed by the reference frame.
#[derive(Clone, Debug)]
pub struct GapEmbedding {
    spec: GapSpec,
    axis: usize,
    /// The reference frame's axis position across the transport axis (Å).
    centre: [f64; 2],
    /// The reference frame's apex planes along the axis (Å).
    pub apex: [f64; 2],
    slabs: Gap111,
    /// w − (m + 1)c (Å), the shift of the upper slab.
    stretch: f64,
}

impl GapEmbedding {
    /// The embedding of `spec` along `axis`, its axis and apex planes from `reference`.
    pub fn new(spec: &GapSpec, axis: usize, reference: &Snapshot) -> Result<Self> {
        let [a, b] = transverse(axis);
        let n = reference.positions.len();
        if n < 2 {
            return Err(Error::run(
                "gap: the reference frame needs the atoms of two tips",
            ));
        }
        let apex = match spec.apexes {
            Some(p) => p,
            None => {
                let mut z: Vec<f64> = reference.positions.iter().map(|p| p[axis]).collect();
                z.sort_by(f64::total_cmp);
                let k = (0..n - 1)
                    .max_by(|&i, &j| (z[i + 1] - z[i]).total_cmp(&(z[j + 1] - z[j])))
                    .unwrap_or(0);
                [z[k], z[k + 1]]
            }
        };
        let w = apex[1] - apex[0];
        let slabs = Gap111 {
            a: spec.a,
            nx: spec.cells[0],
            ny: spec.cells[1],
            slab_planes: spec.slab_planes,
            missing: 1,
        };
        let c = slabs.c();
        if !(w > 2.0 * spec.margin + 0.5 && w > c) {
            return Err(Error::run(format!(
                "gap: the apex planes are {w:.3} Å apart ({:.3} and {:.3}: the reference \
                 frame's widest empty interval along the axis, or `apexes`); two tips across a \
                 gap wider than the (111) spacing {c:.3} Å and than twice the margin {} Å were \
                 expected",
                apex[0], apex[1], spec.margin
            )));
        }
        let periods = ((w / c / 3.0).round() as usize).max(1);
        let slabs = Gap111 {
            missing: 3 * periods - 1,
            ..slabs
        };
        let mean = |d: usize| reference.positions.iter().map(|p| p[d]).sum::<f64>() / n as f64;
        Ok(GapEmbedding {
            spec: spec.clone(),
            axis,
            centre: spec.center.unwrap_or([mean(a), mean(b)]),
            apex,
            stretch: w - (3 * periods) as f64 * c,
            slabs,
        })
    }

    /// The gap width w (Å).
    pub fn width(&self) -> f64 {
        self.apex[1] - self.apex[0]
    }

    /// The indices of the atoms of `snap` in the gap.
    pub fn gap_atoms(&self, snap: &Snapshot) -> Vec<usize> {
        let [a, b] = transverse(self.axis);
        let (lo, hi) = (
            self.apex[0] + self.spec.margin,
            self.apex[1] - self.spec.margin,
        );
        let r2 = self.spec.radius.map_or(f64::INFINITY, |r| r * r);
        (0..snap.positions.len())
            .filter(|&i| {
                let p = snap.positions[i];
                let d2 = (p[a] - self.centre[0]).powi(2) + (p[b] - self.centre[1]).powi(2);
                p[self.axis] > lo && p[self.axis] < hi && d2 <= r2
            })
            .collect()
    }

    /// The frame `snap` as its gap atoms between the two slabs: the gap atoms first (their
    /// ids and types), then the slab atoms (ids from [`SLAB_ID_BASE`], type 0), in a box
    /// periodic across the axis and open along it; coordinates in the frame's axis order.
    pub fn embed(&self, snap: &Snapshot) -> Result<Snapshot> {
        let [a, b] = transverse(self.axis);
        let gap = self.gap_atoms(snap);
        // Gap111 puts its filament in the frame (x, y, z) = (across a, across b, axis) and moves
        // it by half the stretch.
        let filament: Vec<[f64; 3]> = gap
            .iter()
            .map(|&i| {
                let p = snap.positions[i];
                [
                    p[a] - self.centre[0],
                    p[b] - self.centre[1],
                    p[self.axis] - self.apex[0] - 0.5 * self.stretch,
                ]
            })
            .collect();
        let contact = self.slabs.contact_padded(&filament, self.stretch, 0)?;
        let [lx, ly] = self.slabs.lengths();
        let wrap = |x: f64, l: f64| x - l * (x / l + 0.5).floor();
        let to_frame = |p: [f64; 3]| {
            let mut q = [0.0; 3];
            q[a] = wrap(p[0], lx);
            q[b] = wrap(p[1], ly);
            q[self.axis] = p[2];
            q
        };
        let mut ids: Vec<u64> = gap.iter().map(|&i| snap.ids[i]).collect();
        let mut types: Vec<u32> = gap.iter().map(|&i| snap.types[i]).collect();
        let slab_atoms = contact.positions.len() - gap.len();
        ids.extend((0..slab_atoms as u64).map(|k| SLAB_ID_BASE + k));
        types.resize(contact.positions.len(), 0);
        let (mut lo, mut hi) = ([0.0; 3], [0.0; 3]);
        let mut boundary = [Boundary::Periodic; 3];
        for (k, d) in [a, b, self.axis].into_iter().enumerate() {
            lo[d] = contact.lo[k];
            hi[d] = contact.hi[k];
        }
        boundary[self.axis] = Boundary::Fixed;
        Ok(Snapshot {
            frame: snap.frame,
            step: snap.step,
            time_ps: snap.time_ps,
            simbox: SimBox::new(lo, hi, boundary),
            ids,
            types,
            positions: contact.positions.into_iter().map(to_frame).collect(),
            species_names: snap.species_names.clone(),
        })
    }

    /// Atoms of the two slabs.
    pub fn slab_atoms(&self) -> usize {
        2 * self.spec.slab_planes * 2 * self.spec.cells[0] * self.spec.cells[1]
    }

    /// The [left, right] lead regions of the embedded frames: the two outermost planes of
    /// each slab.
    pub fn lead_regions(&self) -> Result<[LeadRegion; 2]> {
        Ok(self
            .lead_ranges()?
            .map(|[lo, hi]| LeadRegion::Range { lo, hi }))
    }

    /// The [left, right] lead ranges [lo, hi] along the axis (Å) of the embedded frames.
    pub fn lead_ranges(&self) -> Result<[[f64; 2]; 2]> {
        Ok(self.slabs.contact_padded(&[], self.stretch, 0)?.lead_ranges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> GapSpec {
        GapSpec {
            a: 4.09,
            cells: [3, 2],
            slab_planes: 4,
            margin: 1.0,
            radius: None,
            apexes: None,
            center: None,
        }
    }

    /// Two "tips" (columns of atoms along z about x = y = 10) across a gap of 8.3 Å, and an
    /// atom at `extra` (absolute coordinates).
    fn frame(extra: &[[f64; 3]]) -> Snapshot {
        let mut positions: Vec<[f64; 3]> = (0..4)
            .flat_map(|k| {
                let z = k as f64 * 2.0;
                [[10.0, 10.0, z], [10.0, 10.0, 14.3 + z]]
            })
            .collect();
        positions.extend_from_slice(extra);
        let n = positions.len();
        Snapshot {
            frame: 0,
            step: 0,
            time_ps: 0.0,
            simbox: SimBox::new([0.0; 3], [20.0, 20.0, 30.0], [Boundary::Fixed; 3]),
            ids: (1..=n as u64).collect(),
            types: vec![0; n],
            positions,
            species_names: vec!["Ag".into()],
        }
    }

    #[test]
    fn apex_planes_and_width_come_from_the_widest_empty_interval() {
        let e = GapEmbedding::new(&spec(), 2, &frame(&[])).unwrap();
        assert_eq!(e.apex, [6.0, 14.3]);
        assert!((e.width() - 8.3).abs() < 1e-12);
        // 8.3 / c = 3.52: three plane spacings, two missing planes, the upper slab 1.217 Å up.
        assert_eq!(e.slabs.missing, 2);
        assert!((e.stretch - (8.3 - 3.0 * 4.09 / 3f64.sqrt())).abs() < 1e-12);
    }

    /// The slab surfaces lie w apart and both hold an atom on the axis; a gap atom keeps its
    /// height above the lower apex and its offset from the axis; tip atoms are left out.
    #[test]
    fn gap_atoms_sit_between_surfaces_w_apart_with_atoms_on_the_axis() {
        let e = GapEmbedding::new(&spec(), 2, &frame(&[])).unwrap();
        let s = e
            .embed(&frame(&[[10.5, 9.0, 9.0], [10.0, 10.0, 6.5]]))
            .unwrap();
        assert_eq!(
            s.ids[0], 9,
            "only the atom 3 Å above the lower apex is in the gap"
        );
        assert!(s.ids[1..].iter().all(|&i| i >= SLAB_ID_BASE));
        assert_eq!(s.positions.len(), 1 + 2 * 4 * 12);
        let p = s.positions[0];
        assert!((p[0] - 0.5).abs() < 1e-12 && (p[1] + 1.0).abs() < 1e-12);
        assert!((p[2] - 3.0).abs() < 1e-12, "{p:?}");
        let slab = &s.positions[1..];
        let top_lower = slab
            .iter()
            .map(|p| p[2])
            .filter(|&z| z < 1.0)
            .fold(f64::MIN, f64::max);
        let bottom_upper = slab
            .iter()
            .map(|p| p[2])
            .filter(|&z| z > 1.0)
            .fold(f64::MAX, f64::min);
        assert!(top_lower.abs() < 1e-12);
        assert!((bottom_upper - 8.3).abs() < 1e-12);
        for z in [0.0, 8.3] {
            assert!(
                slab.iter()
                    .any(|p| p[0].abs() < 1e-9 && p[1].abs() < 1e-9 && (p[2] - z).abs() < 1e-9),
                "no atom on the axis in the surface at {z}"
            );
        }
        assert_eq!(s.simbox.boundary[2], Boundary::Fixed);
        assert_eq!(s.simbox.boundary[0], Boundary::Periodic);
        let [l, r] = e.lead_regions().unwrap();
        let count = |reg: &LeadRegion| match reg {
            LeadRegion::Range { lo, hi } => {
                slab.iter().filter(|p| p[2] >= *lo && p[2] <= *hi).count()
            }
            LeadRegion::Group(_) => 0,
        };
        assert_eq!((count(&l), count(&r)), (24, 24));
    }

    #[test]
    fn radius_leaves_out_atoms_far_from_the_axis_and_a_frame_without_a_gap_is_refused() {
        let near_and_far = [[10.5, 10.0, 10.0], [16.0, 10.0, 10.0]];
        let s = GapSpec {
            radius: Some(3.0),
            ..spec()
        };
        let e = GapEmbedding::new(&s, 2, &frame(&[])).unwrap();
        assert_eq!(e.gap_atoms(&frame(&near_and_far)).len(), 1);
        let e = GapEmbedding::new(&spec(), 2, &frame(&[])).unwrap();
        assert_eq!(e.gap_atoms(&frame(&near_and_far)).len(), 2);
        let mut packed = frame(&[]);
        for (k, p) in packed.positions.iter_mut().enumerate() {
            p[2] = k as f64;
        }
        let err = GapEmbedding::new(&spec(), 2, &packed)
            .unwrap_err()
            .to_string();
        assert!(err.contains("widest empty interval"), "{err}");
        let given = GapSpec {
            apexes: Some([6.0, 14.3]),
            center: Some([10.0, 10.0]),
            ..spec()
        };
        let e = GapEmbedding::new(&given, 2, &packed).unwrap();
        assert_eq!(e.apex, [6.0, 14.3]);
    }
}
