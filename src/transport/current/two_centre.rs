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
//!
//! The second derivatives (for the analytic K of the orthogonal spd model) follow from
//! E = Q(b) V(R) term by term (Q = E(û, ·) homogeneous of degree 0, Π = 1 − ûûᵀ):
//!
//!   ∂²E/∂b_α∂b_β = E(û, V″) û_α û_β + E(û, V′) Π_αβ/R
//!                + Σ_c ∂_c E(û, V′) (Π_cα û_β + Π_cβ û_α)/R
//!                + Σ_cd ∂_c∂_d E(û, V) Π_cα Π_dβ/R² − Σ_c ∂_c E(û, V) (Π_cβ û_α + û_c Π_αβ + Π_cα û_β)/R²,
//!
//! the second partial derivatives in û exact by the five-point second-derivative stencil
//! [−1, 16, −30, 16, −1]/12h² (exact to degree 5) and the product of two first-derivative
//! stencils for c ≠ d.

use crate::transport::model::dftb::Dftb;
use crate::transport::model::slater_koster::{sk_block, BondIntegrals, SlaterKoster, ORBITALS};

const STENCIL1: [(f64, f64); 4] = [(-2.0, 1.0), (-1.0, -8.0), (1.0, 8.0), (2.0, -1.0)];
const STENCIL2: [(f64, f64); 5] = [
    (-2.0, -1.0),
    (-1.0, 16.0),
    (0.0, -30.0),
    (1.0, 16.0),
    (2.0, -1.0),
];

/// A real 9 × 9 block.
pub type Block = [[f64; ORBITALS]; ORBITALS];

/// Nine blocks ∂²E/∂b_α∂b_β, [α][β].
pub type BlockHessian = [[Block; 3]; 3];

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
pub fn block_gradient<M: TwoCentre + ?Sized>(
    model: &M,
    overlap: bool,
    b: [f64; 3],
) -> Option<[Block; 3]> {
    let r = (b[0] * b[0] + b[1] * b[1] + b[2] * b[2]).sqrt();
    let (v, dv) = model.radial(overlap, r)?;
    let u = b.map(|x| x / r);
    let radial = sk_block(u, &dv);
    let angular: [Block; 3] = std::array::from_fn(|c| first_in_u(u, &v, c));
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

/// Σ_k w_k E(û + Σ_c s_kc h e_c, v) over a stencil, scaled by `scale`.
fn stencil(u: [f64; 3], v: &BondIntegrals, points: &[([f64; 3], f64)], scale: f64) -> Block {
    let mut out = [[0.0; ORBITALS]; ORBITALS];
    for (shift, w) in points {
        let e = sk_block(
            [
                u[0] + shift[0] * STENCIL_H,
                u[1] + shift[1] * STENCIL_H,
                u[2] + shift[2] * STENCIL_H,
            ],
            v,
        );
        for i in 0..ORBITALS {
            for j in 0..ORBITALS {
                out[i][j] += w * e[i][j] * scale;
            }
        }
    }
    out
}

/// ∂E/∂û_c (exact, five-point stencil).
fn first_in_u(u: [f64; 3], v: &BondIntegrals, c: usize) -> Block {
    let pts: Vec<([f64; 3], f64)> = STENCIL1
        .iter()
        .map(|&(s, w)| {
            let mut d = [0.0; 3];
            d[c] = s;
            (d, w)
        })
        .collect();
    stencil(u, v, &pts, 1.0 / (12.0 * STENCIL_H))
}

/// ∂²E/∂û_c∂û_d (exact: the second-derivative stencil for c = d, the product of two
/// first-derivative stencils otherwise).
fn second_in_u(u: [f64; 3], v: &BondIntegrals, c: usize, d: usize) -> Block {
    let h = STENCIL_H;
    if c == d {
        let pts: Vec<([f64; 3], f64)> = STENCIL2
            .iter()
            .map(|&(s, w)| {
                let mut x = [0.0; 3];
                x[c] = s;
                (x, w)
            })
            .collect();
        return stencil(u, v, &pts, 1.0 / (12.0 * h * h));
    }
    let mut pts = Vec::with_capacity(16);
    for &(s1, w1) in &STENCIL1 {
        for &(s2, w2) in &STENCIL1 {
            let mut x = [0.0; 3];
            x[c] = s1;
            x[d] = s2;
            pts.push((x, w1 * w2));
        }
    }
    stencil(u, v, &pts, 1.0 / (144.0 * h * h))
}

/// ∂²E/∂b_α∂b_β of the H block of the bond b = r_j − r_i for the orthogonal spd model (see
/// the module header); `None` beyond the cutoff.
pub fn block_hessian(model: &SlaterKoster, b: [f64; 3]) -> Option<BlockHessian> {
    let r = (b[0] * b[0] + b[1] * b[1] + b[2] * b[2]).sqrt();
    if r >= model.params.cutoff[1] || r <= 0.0 {
        return None;
    }
    let [v, dv, ddv] = model.radial_derivatives(r);
    let u = b.map(|x| x / r);
    let proj = |a: usize, c: usize| if a == c { 1.0 } else { 0.0 } - u[a] * u[c];
    let e2 = sk_block(u, &ddv);
    let e1 = sk_block(u, &dv);
    let d1: [Block; 3] = std::array::from_fn(|c| first_in_u(u, &dv, c));
    let d0: [Block; 3] = std::array::from_fn(|c| first_in_u(u, &v, c));
    let dd: [[Block; 3]; 3] =
        std::array::from_fn(|c| std::array::from_fn(|d| second_in_u(u, &v, c, d)));
    let mut out = [[[[0.0; ORBITALS]; ORBITALS]; 3]; 3];
    for al in 0..3 {
        for be in 0..3 {
            let o = &mut out[al][be];
            for i in 0..ORBITALS {
                for j in 0..ORBITALS {
                    let mut x = e2[i][j] * u[al] * u[be] + e1[i][j] * proj(al, be) / r;
                    for c in 0..3 {
                        x += d1[c][i][j] * (proj(c, al) * u[be] + proj(c, be) * u[al]) / r;
                        x -= d0[c][i][j]
                            * (proj(c, be) * u[al] + u[c] * proj(al, be) + proj(c, al) * u[be])
                            / (r * r);
                        for (d, e) in dd[c].iter().enumerate() {
                            x += e[i][j] * proj(c, al) * proj(d, be) / (r * r);
                        }
                    }
                    o[i][j] = x;
                }
            }
        }
    }
    Some(out)
}
