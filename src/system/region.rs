//! Geometric regions used to select atoms, as LAMMPS `region` styles `block`, `cylinder` and a
//! slab (a block bounded along one axis only).

use serde::Deserialize;

/// A region of space. Bounds are inclusive, in Å.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(tag = "style", rename_all = "lowercase", deny_unknown_fields)]
pub enum Region {
    /// Axis-aligned block; missing bounds are infinite.
    Block {
        #[serde(default = "neg_inf3")]
        lo: [f64; 3],
        #[serde(default = "pos_inf3")]
        hi: [f64; 3],
    },
    /// Cylinder of `radius` around an axis (`"x"`, `"y"` or `"z"`) through `center` (the two
    /// coordinates perpendicular to the axis), between `lo` and `hi` along the axis.
    Cylinder {
        axis: Axis,
        center: [f64; 2],
        radius: f64,
        #[serde(default = "neg_inf")]
        lo: f64,
        #[serde(default = "pos_inf")]
        hi: f64,
    },
    /// Slab between `lo` and `hi` along `axis`.
    Slab { axis: Axis, lo: f64, hi: f64 },
}

fn neg_inf() -> f64 {
    f64::NEG_INFINITY
}
fn pos_inf() -> f64 {
    f64::INFINITY
}
fn neg_inf3() -> [f64; 3] {
    [f64::NEG_INFINITY; 3]
}
fn pos_inf3() -> [f64; 3] {
    [f64::INFINITY; 3]
}

/// An axis of the box.
#[derive(Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    /// `x`.
    X,
    /// `y`.
    Y,
    /// `z`, the junction axis (the default).
    #[default]
    Z,
}

/// The deck's spelling, quoted (`"z"`): the configuration string a transport farm stores in
/// `farm.h5` formats its deck with `Debug`, and a farm begun when axes were strings must still
/// resume.
impl std::fmt::Debug for Axis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\"", ["x", "y", "z"][self.index()])
    }
}

impl Axis {
    /// Index 0, 1, 2 of the axis.
    pub fn index(self) -> usize {
        match self {
            Axis::X => 0,
            Axis::Y => 1,
            Axis::Z => 2,
        }
    }
}

impl Region {
    /// Whether the point `x` lies inside the region.
    pub fn contains(&self, x: &[f64; 3]) -> bool {
        match self {
            Region::Block { lo, hi } => (0..3).all(|d| x[d] >= lo[d] && x[d] <= hi[d]),
            Region::Cylinder {
                axis,
                center,
                radius,
                lo,
                hi,
            } => {
                let a = axis.index();
                let (p, q) = match a {
                    0 => (1, 2),
                    1 => (0, 2),
                    _ => (0, 1),
                };
                let dp = x[p] - center[0];
                let dq = x[q] - center[1];
                x[a] >= *lo && x[a] <= *hi && dp * dp + dq * dq <= radius * radius
            }
            Region::Slab { axis, lo, hi } => {
                let a = axis.index();
                x[a] >= *lo && x[a] <= *hi
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let c = Region::Cylinder {
            axis: Axis::Z,
            center: [0.0, 0.0],
            radius: 2.0,
            lo: 0.0,
            hi: 5.0,
        };
        assert!(c.contains(&[1.0, 1.0, 1.0]));
        assert!(!c.contains(&[2.0, 1.0, 1.0]));
        assert!(!c.contains(&[0.0, 0.0, 6.0]));
        let s = Region::Slab {
            axis: Axis::X,
            lo: 1.0,
            hi: 2.0,
        };
        assert!(s.contains(&[1.5, 100.0, -7.0]));
        assert!(!s.contains(&[2.5, 0.0, 0.0]));
        assert_eq!(format!("{:?}", Axis::Z), "\"z\"");
    }
}
