//! Analytic derivatives of the two-centre Slater–Koster blocks of the spd models
//! (`transport::model::slater_koster`, orthogonal, and `transport::model::dftb`, with an
//! overlap) with respect to the bond vector b = r_j − r_i, for the force operators
//! F̂_ν = −∂H/∂R_ν and the Pulay term ∂S/∂R_ν of [`super::sk_forces`].
//!
//! A block is E(b) = E(û, V(R)), R = |b|, û = b/R, with E linear in the ten bond integrals V
//! and a polynomial of the direction cosines (J. C. Slater and G. F. Koster, Phys. Rev. 94,
//! 1498 (1954), Table I, as `sk_block` codes it). Then
//!
//!   ∂E/∂b_α = E(û, V′(R)) û_α + Σ_c ∂E/∂û_c (δ_cα − û_c û_α) / R,
//!
//! V′ the model's analytic radial derivative (`SlaterKoster::integrals_derivative`,
//! `Dftb::integrals_with_derivative`). `sk_block` is a polynomial of degree at most four in
//! each of l, m, n, so its partial derivative ∂E/∂û_c is given exactly (no truncation error,
//! round-off only) by the five-point stencil
//!
//!   ∂E/∂û_c = [E(û − 2h e_c) − 8 E(û − h e_c) + 8 E(û + h e_c) − E(û + 2h e_c)] / 12h,
//!
//! which differentiates every polynomial of degree ≤ 4 exactly (its error term is ∝ E⁽⁵⁾);
//! h = 1/4. The polynomial is evaluated off the unit sphere there, but the projector
//! (δ_cα − û_c û_α) keeps only derivatives along the sphere, which do not depend on how the
//! table's entries were simplified with l² + m² + n² = 1.

use crate::transport::model::dftb::Dftb;
use crate::transport::model::slater_koster::{sk_block, BondIntegrals, SlaterKoster, ORBITALS};

/// A real 9 × 9 block.
pub type Block = [[f64; ORBITALS]; ORBITALS];

/// Step of the exact five-point stencil in the direction cosines.
const STENCIL_H: f64 = 0.25;

/// A two-centre spd model whose bond integrals have analytic radial derivatives.
pub trait TwoCentre {
    /// The bond integrals of H (`overlap` false) or S and their derivative d/dR at distance
    /// `r` (Å); `None` beyond the cutoff, or for S of an orthogonal model.
    fn radial(&self, overlap: bool, r: f64) -> Option<(BondIntegrals, BondIntegrals)>;
    /// False for a model with an overlap.
    fn orthogonal(&self) -> bool;
}

impl TwoCentre for SlaterKoster {
    fn radial(&self, overlap: bool, r: f64) -> Option<(BondIntegrals, BondIntegrals)> {
        if overlap || r >= self.params.cutoff[1] || r <= 0.0 {
            return None;
        }
        Some((self.integrals(r), self.integrals_derivative(r)))
    }

    fn orthogonal(&self) -> bool {
        true
    }
}

impl TwoCentre for Dftb {
    fn radial(&self, overlap: bool, r: f64) -> Option<(BondIntegrals, BondIntegrals)> {
        self.integrals_with_derivative(overlap, r)
    }

    fn orthogonal(&self) -> bool {
        false
    }
}

/// ∂E/∂b_α (α = x, y, z) of the H (`overlap` false) or S block of the bond b = r_j − r_i;
/// `None` beyond the cutoff.
pub fn block_gradient(model: &dyn TwoCentre, overlap: bool, b: [f64; 3]) -> Option<[Block; 3]> {
    let r = (b[0] * b[0] + b[1] * b[1] + b[2] * b[2]).sqrt();
    let (v, dv) = model.radial(overlap, r)?;
    let u = b.map(|x| x / r);
    let radial = sk_block(u, &dv);
    let mut angular = [[[0.0; ORBITALS]; ORBITALS]; 3];
    for (c, dc) in angular.iter_mut().enumerate() {
        let at = |s: f64| {
            let mut w = u;
            w[c] += s * STENCIL_H;
            sk_block(w, &v)
        };
        let (m2, m1, p1, p2) = (at(-2.0), at(-1.0), at(1.0), at(2.0));
        for i in 0..ORBITALS {
            for j in 0..ORBITALS {
                dc[i][j] =
                    (m2[i][j] - 8.0 * m1[i][j] + 8.0 * p1[i][j] - p2[i][j]) / (12.0 * STENCIL_H);
            }
        }
    }
    let mut out = [[[0.0; ORBITALS]; ORBITALS]; 3];
    for (a, o) in out.iter_mut().enumerate() {
        for i in 0..ORBITALS {
            for j in 0..ORBITALS {
                let mut x = radial[i][j] * u[a];
                for c in 0..3 {
                    let proj = if a == c { 1.0 } else { 0.0 } - u[c] * u[a];
                    x += angular[c][i][j] * proj / r;
                }
                o[i][j] = x;
            }
        }
    }
    Some(out)
}
