//! Nanojunction builder: two crystalline gold leads, periodic in x and y and stacked along z,
//! joined by a cylindrical column, with vacuum beyond the leads (the geometry of the gold
//! rheology paper, seed 000, Methods: leads of ABC-stacked (111) planes, a column of length
//! h0 ≈ 2.75 nm between them, free boundaries along z).
//!
//! Layers are the atomic planes normal to z, counted from the outer face of each lead: the
//! outermost `rigid_layers` planes form the rigid leads (`lead_bottom`, `lead_top`), the next
//! `bath_layers` planes the thermostatted baths (`bath_bottom`, `bath_top`), and everything between
//! the baths is the free junction (`junction`).

use serde::Deserialize;

use crate::build::OrientedFcc;
use crate::error::{Error, Result};

/// Crystal orientation of the junction axis z, named in decks `"111"`, `"110"` or `"001"`
/// (`"100"` too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Orientation {
    /// z along [111]: ABC-stacked (111) planes, x along [1-10], y along [11-2].
    #[serde(rename = "111")]
    O111,
    /// z along [110]: x along [001], y along [1-10].
    #[serde(rename = "110")]
    O110,
    /// z along [001]: x along [100], y along [010].
    #[serde(rename = "001", alias = "100")]
    O001,
}

impl Orientation {
    /// Spacing of the atomic planes normal to z, Å: the interlayer spacing of (111) planes
    /// a/√3, of (110) planes a/(2√2), of (001) planes a/2.
    pub fn plane_spacing(self, a: f64) -> f64 {
        match self {
            Orientation::O111 => a / 3f64.sqrt(),
            Orientation::O110 => a / 8f64.sqrt(),
            Orientation::O001 => 0.5 * a,
        }
    }

    /// Miller directions of x, y, z.
    pub fn axes(self) -> [[i64; 3]; 3] {
        match self {
            Orientation::O111 => [[1, -1, 0], [1, 1, -2], [1, 1, 1]],
            Orientation::O110 => [[0, 0, 1], [1, -1, 0], [1, 1, 0]],
            Orientation::O001 => [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
        }
    }
}

/// Parameters of a junction.
#[derive(Clone, Debug)]
pub struct JunctionSpec {
    pub a: f64,
    pub orientation: Orientation,
    /// Lateral repeats of the oriented cell along x and y.
    pub lateral_cells: [usize; 2],
    /// Atomic planes in each lead.
    pub lead_layers: usize,
    /// Column length between the leads' inner faces, Å.
    pub h0: f64,
    /// Column radius, Å.
    pub radius: f64,
    /// Vacuum beyond each lead along z, Å.
    pub vacuum: f64,
    pub rigid_layers: usize,
    pub bath_layers: usize,
}

/// Group labels of the builder, in this order.
pub const GROUPS: [&str; 5] = [
    "lead_bottom",
    "bath_bottom",
    "junction",
    "bath_top",
    "lead_top",
];

/// A built junction: box, positions, and the index into [`GROUPS`] of each atom.
#[derive(Clone, Debug)]
pub struct Junction {
    pub lo: [f64; 3],
    pub hi: [f64; 3],
    pub positions: Vec<[f64; 3]>,
    pub group: Vec<usize>,
    /// z of the inner faces of the two leads (the imposed distance is their difference), Å.
    pub lead_faces: [f64; 2],
}

/// Build a junction.
pub fn build(spec: &JunctionSpec) -> Result<Junction> {
    if spec.rigid_layers + spec.bath_layers > spec.lead_layers {
        return Err(Error::run(format!(
            "junction: rigid_layers + bath_layers = {} exceeds lead_layers = {}",
            spec.rigid_layers + spec.bath_layers,
            spec.lead_layers
        )));
    }
    if spec.h0.is_nan() || spec.h0 <= 0.0 || spec.radius.is_nan() || spec.radius <= 0.0 {
        return Err(Error::run(
            "junction: h0 and radius must be positive lengths in Å",
        ));
    }
    let fcc = OrientedFcc::new(spec.a, spec.orientation.axes())?;
    let pz = fcc.period(2);
    // Plane spacing along z: the distinct z of one period.
    let one = fcc.sites([1, 1, 1]);
    let mut zs: Vec<f64> = one.iter().map(|x| x[2]).collect();
    zs.sort_by(f64::total_cmp);
    zs.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
    let planes_per_period = zs.len();
    let spacing = pz / planes_per_period as f64;
    // Enough periods along z for both leads and the gap.
    let total = 2.0 * spec.lead_layers as f64 * spacing + spec.h0 + pz;
    let nz = (total / pz).ceil() as usize + 1;
    let sites = fcc.sites([spec.lateral_cells[0], spec.lateral_cells[1], nz]);
    let lx = spec.lateral_cells[0] as f64 * fcc.period(0);
    let ly = spec.lateral_cells[1] as f64 * fcc.period(1);
    let plane = |z: f64| (z / spacing + 0.5).floor() as i64;
    // Bottom lead: planes 0..L; column: z in the gap; top lead: L planes starting at the first
    // plane at or above bottom face + h0.
    let nl = spec.lead_layers as i64;
    let bottom_face = (nl - 1) as f64 * spacing;
    let top_first = plane(bottom_face + spec.h0).max(nl);
    let top_face = top_first as f64 * spacing;
    let (cx, cy) = (0.5 * lx, 0.5 * ly);
    let mut positions = Vec::new();
    let mut group = Vec::new();
    for x in sites {
        let k = plane(x[2]);
        let g = if k < nl {
            let from_outer = k as usize;
            if from_outer < spec.rigid_layers {
                Some(0)
            } else if from_outer < spec.rigid_layers + spec.bath_layers {
                Some(1)
            } else {
                Some(2)
            }
        } else if k >= top_first && k < top_first + nl {
            let from_outer = (top_first + nl - 1 - k) as usize;
            if from_outer < spec.rigid_layers {
                Some(4)
            } else if from_outer < spec.rigid_layers + spec.bath_layers {
                Some(3)
            } else {
                Some(2)
            }
        } else if k < top_first
            && (x[0] - cx).powi(2) + (x[1] - cy).powi(2) <= spec.radius * spec.radius
        {
            Some(2)
        } else {
            None
        };
        if let Some(g) = g {
            positions.push(x);
            group.push(g);
        }
    }
    let zmax = (top_first + nl - 1) as f64 * spacing;
    Ok(Junction {
        lo: [0.0, 0.0, -spec.vacuum],
        hi: [lx, ly, zmax + spec.vacuum],
        positions,
        group,
        lead_faces: [bottom_face, top_face],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(o: Orientation) -> JunctionSpec {
        JunctionSpec {
            a: 4.08,
            orientation: o,
            lateral_cells: [4, 3],
            lead_layers: 6,
            h0: 12.0,
            radius: 4.0,
            vacuum: 10.0,
            rigid_layers: 2,
            bath_layers: 2,
        }
    }

    #[test]
    fn layers_and_groups() {
        for o in [Orientation::O111, Orientation::O110, Orientation::O001] {
            let j = build(&spec(o)).unwrap();
            let count = |g: usize| j.group.iter().filter(|&&x| x == g).count();
            // Rigid and bath parts of both leads hold the same number of full planes.
            assert_eq!(count(0), count(4), "{o:?}");
            assert_eq!(count(1), count(3), "{o:?}");
            assert_eq!(count(0), count(1), "{o:?}");
            assert!(
                count(2) > count(0),
                "{o:?}: leads' inner planes plus the column"
            );
            assert!(
                (j.lead_faces[1] - j.lead_faces[0] - 12.0).abs() < 2.5,
                "{o:?}: gap {:?}",
                j.lead_faces
            );
            for (x, &g) in j.positions.iter().zip(&j.group) {
                assert!(x[2] >= j.lo[2] && x[2] <= j.hi[2]);
                if g == 0 {
                    assert!(x[2] < j.lead_faces[0]);
                }
            }
        }
    }

    #[test]
    fn abc_stacking_along_111() {
        let j = build(&spec(Orientation::O111)).unwrap();
        // Three distinct in-plane registries repeat with period 3 planes (ABC).
        let spacing = 4.08 / 3f64.sqrt();
        let mut reg = std::collections::BTreeMap::new();
        for x in &j.positions {
            let k = (x[2] / spacing).round() as i64;
            reg.entry(k.rem_euclid(3))
                .or_insert_with(Vec::new)
                .push(((x[0] * 1e3).round() as i64, (x[1] * 1e3).round() as i64));
        }
        assert_eq!(reg.len(), 3);
        let firsts: Vec<_> = reg.values().map(|v| *v.iter().min().unwrap()).collect();
        assert!(firsts[0] != firsts[1] && firsts[1] != firsts[2] && firsts[0] != firsts[2]);
    }

    #[test]
    fn plane_spacing_matches_the_lattice() {
        for o in [Orientation::O111, Orientation::O110, Orientation::O001] {
            let j = build(&spec(o)).unwrap();
            let mut zs: Vec<f64> = j.positions.iter().map(|x| x[2]).collect();
            zs.sort_by(f64::total_cmp);
            zs.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
            assert!(
                (zs[1] - zs[0] - o.plane_spacing(4.08)).abs() < 1e-9,
                "{o:?}"
            );
        }
    }

    #[test]
    fn rejects_bad_layers() {
        let mut s = spec(Orientation::O111);
        s.rigid_layers = 5;
        assert!(build(&s).is_err());
    }
}
