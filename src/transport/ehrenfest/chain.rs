//! The 800-site chain of seed 004's dynamics (Sec. II B) as a one-dimensional banded model: site
//! i at x_i on the axis, one s orbital, on-site energy 0, hopping H_ij = h(|x_j − x_i|) and pair
//! energy P_ij = φ(|x_j − x_i|) between sites up to `range` positions apart (the Sutton model of
//! `transport::model::sutton`, Eqs. 1–2, with its smooth tail).
//!
//! H is band-diagonal: `off[k][i]` = H(i, i + k + 1). Sites further apart than `range` must be
//! beyond the tail's end (checked at every build), so the band holds every bond.
//!
//! The electronic energy and the forces on the sites (Ehrenfest, seed 004 Eq. 4 with ρ(t) for
//! the steady-state ρ): with R = x_j − x_i > 0 for a bond i < j,
//!
//!   E_el = Tr{ρH} = Σ_bonds 2 Re ρ_ij h(R),   E_pair = Σ_bonds φ(R),
//!   F_j = −∂(E_el + E_pair)/∂x_j = −Σ_bonds (2 Re ρ_ij h′(R) + φ′(R)) ∂R/∂x_j,
//!
//! ∂R/∂x_j = +1, ∂R/∂x_i = −1: the force Tr{ρ F̂_ν} − ∂P/∂x_ν with F̂_ν = −∂H/∂x_ν.

use crate::error::{Error, Result};
use crate::transport::model::sutton::SuttonSBand;

/// Band-diagonal real symmetric hopping matrix with zero diagonal.
#[derive(Clone, Debug, PartialEq)]
pub struct Banded {
    /// `off[k][i]` = H(i, i + k + 1) (eV), k < range.
    pub off: Vec<Vec<f64>>,
}

impl Banded {
    /// Number of sites.
    pub fn n(&self) -> usize {
        self.off.first().map_or(0, |d| d.len() + 1)
    }

    /// Entry H(i, j) (eV).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        let (a, b) = if i < j { (i, j) } else { (j, i) };
        let k = b - a;
        if k == 0 || k > self.off.len() {
            0.0
        } else {
            self.off[k - 1][a]
        }
    }

    /// Whether every eigenvalue of H lies strictly inside (−r, r) (eV). By Sylvester's law of
    /// inertia, r·1 − H and r·1 + H are both positive definite exactly then, and a symmetric
    /// band matrix is positive definite exactly when its LDLᵀ factorisation (no pivoting) has
    /// only positive pivots D_j: O(n·b²) for b diagonals. Gershgorin's row sums overestimate a
    /// chain with a few compressed bonds: one bond t′ > t in a chain of t binds a pair at
    /// ±(t′ + t²/t′), 4.1 eV for t′ = 2.5 and t = 2 eV, where the row sums give 4.5 eV.
    pub fn spectrum_within(&self, r: f64) -> bool {
        self.shifted_positive_definite(r, -1.0) && self.shifted_positive_definite(r, 1.0)
    }

    /// r·1 + sign·H positive definite: the pivots D_j = A_jj − Σ_c L_jc² D_c of its band LDLᵀ,
    /// with L_ij = (A_ij − Σ_c L_ic L_jc D_c)/D_j for i = j + 1 … j + b, all positive.
    fn shifted_positive_definite(&self, r: f64, sign: f64) -> bool {
        let n = self.n();
        let b = self.off.len();
        // l[k][c] = L(c + k + 1, c).
        let mut l = vec![vec![0.0f64; n]; b];
        let mut d = vec![0.0f64; n];
        for j in 0..n {
            let mut dj = r;
            for c in j.saturating_sub(b)..j {
                let ljc = l[j - c - 1][c];
                dj -= ljc * ljc * d[c];
            }
            // A NaN pivot (a NaN in H) fails too.
            if dj.is_nan() || dj <= 0.0 {
                return false;
            }
            d[j] = dj;
            for k in 1..=b.min(n - 1 - j) {
                let i = j + k;
                let mut a = sign * self.off[k - 1][j];
                for c in i.saturating_sub(b)..j {
                    a -= l[i - c - 1][c] * l[j - c - 1][c] * d[c];
                }
                l[k - 1][j] = a / dj;
            }
        }
        true
    }
}

/// The chain: its model and bond range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChainModel {
    /// Hopping and pair potential.
    pub model: SuttonSBand,
    /// Bonds between sites up to this many positions apart (≥ 1).
    pub range: usize,
}

impl ChainModel {
    /// The bond lengths R = x_j − x_i of the band, checked: positive, and every pair beyond the
    /// band at least the tail's end apart.
    fn check(&self, x: &[f64]) -> Result<()> {
        let n = x.len();
        if self.range == 0 || n <= self.range {
            return Err(Error::run(format!(
                "chain: {n} sites cannot carry bonds of range {}",
                self.range
            )));
        }
        for i in 0..n - 1 {
            let r = x[i + 1] - x[i];
            if r.is_nan() || r <= 0.0 {
                return Err(Error::run(format!(
                    "chain: sites {i} and {} are not in order along the axis (R = {r} Å)",
                    i + 1
                )));
            }
        }
        let off = self.model.r_off_ang;
        if off.is_finite() {
            for i in 0..n.saturating_sub(self.range + 1) {
                let r = x[i + self.range + 1] - x[i];
                if r < off {
                    return Err(Error::run(format!(
                        "chain: sites {i} and {} are {r:.3} Å apart, inside the tail's end \
                         {off} Å but beyond the bond range {}",
                        i + self.range + 1,
                        self.range
                    )));
                }
            }
        }
        Ok(())
    }

    /// H at positions `x` (Å).
    pub fn hamiltonian(&self, x: &[f64]) -> Result<Banded> {
        self.check(x)?;
        let n = x.len();
        let off = (1..=self.range)
            .map(|k| {
                (0..n - k)
                    .map(|i| self.model.hopping_derivatives(x[i + k] - x[i])[0])
                    .collect()
            })
            .collect();
        Ok(Banded { off })
    }

    /// H at the point (1 − s)·x0 + s·x1 of the straight path between two sets of positions.
    pub fn hamiltonian_between(&self, x0: &[f64], x1: &[f64], s: f64) -> Result<Banded> {
        let x: Vec<f64> = x0.iter().zip(x1).map(|(a, b)| a + s * (b - a)).collect();
        self.hamiltonian(&x)
    }

    /// Σ_bonds φ(R) (eV).
    pub fn pair_energy(&self, x: &[f64]) -> f64 {
        let n = x.len();
        let mut e = 0.0;
        for k in 1..=self.range.min(n.saturating_sub(1)) {
            for i in 0..n - k {
                e += self.model.pair_derivatives(x[i + k] - x[i])[0];
            }
        }
        e
    }

    /// Forces on every site along the axis (eV/Å) from E_el + E_pair, with `re_rho(i, j)` =
    /// Re ρ_ij (spin included) for the bonds.
    pub fn forces(&self, x: &[f64], re_rho: impl Fn(usize, usize) -> f64) -> Vec<f64> {
        let n = x.len();
        let mut f = vec![0.0; n];
        for k in 1..=self.range.min(n.saturating_sub(1)) {
            for i in 0..n - k {
                let j = i + k;
                let r = x[j] - x[i];
                let de = 2.0 * re_rho(i, j) * self.model.hopping_derivatives(r)[1]
                    + self.model.pair_derivatives(r)[1];
                f[j] -= de;
                f[i] += de;
            }
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::Banded;

    #[test]
    fn the_spectrum_test_finds_the_band_edges_of_open_chains() {
        // Nearest neighbours −2 eV, 99 sites: E_k = −4 cos(kπ/100), inside (−4, 4) and beyond
        // ±3.99.
        let nn = Banded {
            off: vec![vec![-2.0; 98]],
        };
        assert!(nn.spectrum_within(4.0));
        assert!(!nn.spectrum_within(3.99));
        // With second neighbours −0.5 eV: E(k) = −4 cos k − cos 2k spans (−5, 3); the lower
        // edge decides.
        let nnn = Banded {
            off: vec![vec![-2.0; 98], vec![-0.5; 97]],
        };
        assert!(nnn.spectrum_within(5.0));
        assert!(!nnn.spectrum_within(4.99));
    }

    #[test]
    fn one_strong_bond_binds_a_pair_inside_the_row_sums() {
        // One bond t′ = −2.5 eV in a −2 eV chain: the row sums reach 4.5 eV there; the bound
        // pair is at ±(t′ + t²/t′) = ±4.1 eV, decaying as (t/t′)^n.
        let mut off = vec![-2.0; 98];
        off[49] = -2.5;
        let h = Banded { off: vec![off] };
        assert!(h.spectrum_within(4.11));
        assert!(!h.spectrum_within(4.09));
    }
}
