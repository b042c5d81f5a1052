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
        axis: String,
        center: [f64; 2],
        radius: f64,
        #[serde(default = "neg_inf")]
        lo: f64,
        #[serde(default = "pos_inf")]
        hi: f64,
    },
    /// Slab between `lo` and `hi` along `axis`.
    Slab { axis: String, lo: f64, hi: f64 },
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

/// Index 0, 1, 2 of an axis name.
pub fn axis_index(axis: &str) -> Option<usize> {
    match axis {
        "x" => Some(0),
        "y" => Some(1),
        "z" => Some(2),
        _ => None,
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
                let a = axis_index(axis).unwrap_or(2);
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
                let a = axis_index(axis).unwrap_or(2);
                x[a] >= *lo && x[a] <= *hi
            }
        }
    }

    /// Check the axis names; returns the offending name.
    pub fn check_axis(&self) -> Result<(), String> {
        match self {
            Region::Cylinder { axis, .. } | Region::Slab { axis, .. } => {
                if axis_index(axis).is_none() {
                    return Err(format!("axis '{axis}' (expected \"x\", \"y\" or \"z\")"));
                }
                Ok(())
            }
            Region::Block { .. } => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let c = Region::Cylinder {
            axis: "z".into(),
            center: [0.0, 0.0],
            radius: 2.0,
            lo: 0.0,
            hi: 5.0,
        };
        assert!(c.contains(&[1.0, 1.0, 1.0]));
        assert!(!c.contains(&[2.0, 1.0, 1.0]));
        assert!(!c.contains(&[0.0, 0.0, 6.0]));
        let s = Region::Slab {
            axis: "x".into(),
            lo: 1.0,
            hi: 2.0,
        };
        assert!(s.contains(&[1.5, 100.0, -7.0]));
        assert!(!s.contains(&[2.5, 0.0, 0.0]));
    }
}
