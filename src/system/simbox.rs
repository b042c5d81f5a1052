//! Orthorhombic simulation box with per-axis boundary conditions as in LAMMPS `boundary`:
//! `p` periodic, `f` fixed (atoms outside are lost), `s` shrink-wrapped (the box follows the atoms).

use crate::error::{Error, Result};

/// Boundary condition of one axis (both faces), as the LAMMPS `boundary` letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boundary {
    /// `p`: periodic.
    Periodic,
    /// `f`: fixed, non-periodic; an atom that leaves is lost.
    Fixed,
    /// `s`: non-periodic, box faces shrink-wrap the atoms at every re-neighbouring.
    Shrink,
}

impl Boundary {
    /// Parse one LAMMPS boundary letter (`p`, `f`, `s`).
    pub fn from_letter(s: &str) -> Option<Self> {
        match s {
            "p" => Some(Boundary::Periodic),
            "f" => Some(Boundary::Fixed),
            "s" => Some(Boundary::Shrink),
            _ => None,
        }
    }

    /// The LAMMPS letter of this boundary.
    pub fn letter(self) -> char {
        match self {
            Boundary::Periodic => 'p',
            Boundary::Fixed => 'f',
            Boundary::Shrink => 's',
        }
    }
}

/// An orthorhombic box `[lo, hi)` along x, y, z.
#[derive(Clone, Debug, PartialEq)]
pub struct SimBox {
    /// Lower corner, Å.
    pub lo: [f64; 3],
    /// Upper corner, Å.
    pub hi: [f64; 3],
    /// Boundary of each axis.
    pub boundary: [Boundary; 3],
}

impl SimBox {
    /// A box with the given corners and boundaries.
    pub fn new(lo: [f64; 3], hi: [f64; 3], boundary: [Boundary; 3]) -> Self {
        SimBox { lo, hi, boundary }
    }

    /// Parse a LAMMPS-style boundary string such as `"p p f"`.
    pub fn parse_boundary(s: &str) -> Option<[Boundary; 3]> {
        let parts: Vec<&str> = s.split_whitespace().collect();
        if parts.len() != 3 {
            return None;
        }
        let mut b = [Boundary::Periodic; 3];
        for (d, p) in parts.iter().enumerate() {
            b[d] = Boundary::from_letter(p)?;
        }
        Some(b)
    }

    /// The boundary as LAMMPS writes it, e.g. `"p p f"`.
    pub fn boundary_string(&self) -> String {
        let l: Vec<String> = self
            .boundary
            .iter()
            .map(|b| b.letter().to_string())
            .collect();
        l.join(" ")
    }

    /// Box lengths Lx, Ly, Lz in Å.
    pub fn lengths(&self) -> [f64; 3] {
        [
            self.hi[0] - self.lo[0],
            self.hi[1] - self.lo[1],
            self.hi[2] - self.lo[2],
        ]
    }

    /// Box volume in Å³ (LAMMPS uses this volume for the pressure whatever the boundaries).
    pub fn volume(&self) -> f64 {
        let l = self.lengths();
        l[0] * l[1] * l[2]
    }

    /// Whether axis `d` is periodic.
    pub fn periodic(&self, d: usize) -> bool {
        self.boundary[d] == Boundary::Periodic
    }

    /// Wrap a position into the box along periodic axes, updating its image flags.
    ///
    /// Same rule as LAMMPS `Domain::remap`: x < lo → x += L, x ≥ hi → x −= L (and x is clamped to
    /// lo if round-off leaves it at hi).
    pub fn wrap(&self, x: &mut [f64; 3], image: &mut [i32; 3]) {
        for d in 0..3 {
            if !self.periodic(d) {
                continue;
            }
            let l = self.hi[d] - self.lo[d];
            while x[d] < self.lo[d] {
                x[d] += l;
                image[d] -= 1;
            }
            while x[d] >= self.hi[d] {
                x[d] -= l;
                image[d] += 1;
            }
            if x[d] < self.lo[d] {
                x[d] = self.lo[d];
            }
        }
    }

    /// Minimum-image displacement b − a along periodic axes.
    pub fn minimum_image(&self, a: &[f64; 3], b: &[f64; 3]) -> [f64; 3] {
        let mut d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
        for (k, dk) in d.iter_mut().enumerate() {
            if self.periodic(k) {
                let l = self.hi[k] - self.lo[k];
                *dk -= l * (*dk / l).round();
            }
        }
        d
    }

    /// Check that the box is not degenerate.
    pub fn validate(&self) -> Result<()> {
        for d in 0..3 {
            if self.hi[d] <= self.lo[d] || !self.lo[d].is_finite() || !self.hi[d].is_finite() {
                return Err(Error::run(format!(
                    "box axis {} has lo = {} and hi = {}: hi must be larger than lo",
                    ["x", "y", "z"][d],
                    self.lo[d],
                    self.hi[d]
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_and_minimum_image() {
        let b = SimBox::new(
            [0.0; 3],
            [10.0; 3],
            [Boundary::Periodic, Boundary::Periodic, Boundary::Fixed],
        );
        let mut x = [-1.0, 25.0, -1.0];
        let mut img = [0; 3];
        b.wrap(&mut x, &mut img);
        assert_eq!(x, [9.0, 5.0, -1.0]);
        assert_eq!(img, [-1, 2, 0]);
        let d = b.minimum_image(&[1.0, 1.0, 1.0], &[9.0, 9.0, 9.0]);
        assert_eq!(d, [-2.0, -2.0, 8.0]);
    }
}
