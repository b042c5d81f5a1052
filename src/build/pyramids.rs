//! Two fcc pyramids with (001) bases facing each other across a gap, free in vacuum: the
//! silver tips of the memristive-rewiring simulations (seed 002, Methods: two pyramidal Ag
//! tips with 4.2 nm × 4.2 nm bases and an 8.3 Å gap, base atoms fixed).
//!
//! The pyramids are those of [`super::tips::TipPair`] without wire leads: layer k (counted from
//! the apex, k = 0) is a square of (k + 1)² atoms with edges along ⟨110⟩ of length k a/√2, so a
//! base edge E gives K = round(E √2 / a) layers below the apex and (K+1)(K+2)(2K+3)/6 atoms per
//! tip. The lower tip's apex is at z = 0, the upper tip's at z = gap. Groups: the `rigid_layers`
//! base layers of each tip (`base_bottom`, `base_top`), the `electrode_layers` base layers of
//! each (`electrode_bottom`, `electrode_top`: EChemDID's clamped electrodes), and every atom
//! not in a base (`mobile`).

use super::tips::TipPair;
use crate::error::{Error, Result};

/// The parameters of the pyramid pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PyramidPairSpec {
    /// fcc cube edge, Å.
    pub a: f64,
    /// Edge of each base, Å.
    pub base_edge: f64,
    /// Apex–apex distance, Å.
    pub gap: f64,
    /// Base layers held rigid, and base layers of the electrodes.
    pub rigid_layers: usize,
    pub electrode_layers: usize,
    /// Vacuum around the atoms on every side of the box, Å.
    pub vacuum: f64,
}

/// The group names the builder defines, in order.
pub const GROUPS: [&str; 5] = [
    "base_bottom",
    "base_top",
    "electrode_bottom",
    "electrode_top",
    "mobile",
];

/// The built pair: positions, box and the members of each of [`GROUPS`].
#[derive(Clone, Debug, PartialEq)]
pub struct PyramidPair {
    pub positions: Vec<[f64; 3]>,
    pub lo: [f64; 3],
    pub hi: [f64; 3],
    pub groups: Vec<Vec<usize>>,
    /// Layers below the apex (K).
    pub layers: usize,
}

impl PyramidPairSpec {
    /// Build the pair.
    pub fn build(&self) -> Result<PyramidPair> {
        let bad = !(self.a > 0.0 && self.base_edge > 0.0 && self.gap > 0.0 && self.vacuum >= 0.0);
        if bad || !(self.a.is_finite() && self.base_edge.is_finite() && self.gap.is_finite()) {
            return Err(Error::run(format!(
                "tips: a = {}, base_edge = {}, gap = {}, vacuum = {}: expected positive \
                 lengths",
                self.a, self.base_edge, self.gap, self.vacuum
            )));
        }
        let k_base = (self.base_edge * 2f64.sqrt() / self.a).round() as usize;
        if k_base == 0 || self.electrode_layers > k_base + 1 || self.rigid_layers > k_base + 1 {
            return Err(Error::run(format!(
                "tips: a base edge of {} Å gives {} layers below the apex; rigid_layers {} and \
                 electrode_layers {} must not exceed the layers",
                self.base_edge, k_base, self.rigid_layers, self.electrode_layers
            )));
        }
        let pair = TipPair {
            a: self.a,
            top: 0,
            base: k_base,
            gap: self.gap,
            buffer: 0,
        };
        let positions = pair.contact()?.scattering;
        let half = positions.len() / 2;
        let h = 0.5 * self.a;
        let mut groups = vec![Vec::new(); GROUPS.len()];
        for (i, p) in positions.iter().enumerate() {
            // Layer below the apex of the atom's own tip.
            let (k, g) = if i < half {
                ((-p[2] / h).round() as usize, 0)
            } else {
                (((p[2] - self.gap) / h).round() as usize, 1)
            };
            let from_base = k_base - k;
            if from_base < self.rigid_layers {
                groups[g].push(i);
            } else {
                groups[4].push(i);
            }
            if from_base < self.electrode_layers {
                groups[2 + g].push(i);
            }
        }
        let mut lo = [f64::INFINITY; 3];
        let mut hi = [f64::NEG_INFINITY; 3];
        for p in &positions {
            for d in 0..3 {
                lo[d] = lo[d].min(p[d] - self.vacuum);
                hi[d] = hi[d].max(p[d] + self.vacuum);
            }
        }
        Ok(PyramidPair {
            positions,
            lo,
            hi,
            groups,
            layers: k_base,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_tips_have_the_pyramid_counts_and_groups() {
        let spec = PyramidPairSpec {
            a: 4.09,
            base_edge: 42.0,
            gap: 8.3,
            rigid_layers: 2,
            electrode_layers: 3,
            vacuum: 10.0,
        };
        let p = spec.build().unwrap();
        let k = p.layers;
        assert_eq!(k, 15);
        let per_tip = (k + 1) * (k + 2) * (2 * k + 3) / 6;
        assert_eq!(p.positions.len(), 2 * per_tip);
        // Bases: the last two layers, (k+1)² + k² atoms per tip.
        assert_eq!(p.groups[0].len(), (k + 1) * (k + 1) + k * k);
        assert_eq!(p.groups[1].len(), p.groups[0].len());
        assert_eq!(p.groups[2].len(), p.groups[0].len() + (k - 1) * (k - 1));
        assert_eq!(p.groups[4].len(), p.positions.len() - 2 * p.groups[0].len());
        // Apexes on the axis, gap apart.
        let apex: Vec<&[f64; 3]> = p
            .positions
            .iter()
            .filter(|x| x[0] == 0.0 && x[1] == 0.0)
            .collect();
        assert!(
            apex.iter().any(|x| x[2] == 0.0) && apex.iter().any(|x| (x[2] - 8.3).abs() < 1e-12)
        );
    }
}
