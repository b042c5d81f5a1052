//! Dense complex linear algebra used by the transport solvers: one place for the matrix type
//! and the few factorizations (LU solves, Hermitian eigenproblems) the physics modules need.
//!
//! Everything is built on `faer` (see the comment in `Cargo.toml` for why faer and not nalgebra).

use faer::linalg::solvers::{DenseSolveCore, Solve};
use faer::{Mat, MatRef, Side};

use crate::error::{Error, Result};

/// Complex double.
pub type C64 = faer::c64;
/// Dense complex matrix.
pub type CMat = Mat<C64>;

/// `re + i·im`.
#[inline]
pub fn c64(re: f64, im: f64) -> C64 {
    C64::new(re, im)
}

/// The imaginary unit.
pub const I: C64 = C64 { re: 0.0, im: 1.0 };

/// Conjugate transpose A†, owned.
pub fn dagger(a: MatRef<'_, C64>) -> CMat {
    a.adjoint().to_owned()
}

/// A·B.
pub fn mul(a: MatRef<'_, C64>, b: MatRef<'_, C64>) -> CMat {
    a * b
}

/// z·I − A for a square A.
pub fn shifted_negative(z: C64, a: MatRef<'_, C64>) -> CMat {
    let n = a.nrows();
    Mat::from_fn(n, n, |i, j| if i == j { z - a[(i, j)] } else { -a[(i, j)] })
}

/// Largest absolute entry (0 for an empty matrix).
pub fn max_abs(a: MatRef<'_, C64>) -> f64 {
    // Compare squared moduli (no hypot per entry), one square root at the end.
    let mut m = 0.0f64;
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            m = m.max(a[(i, j)].norm_sqr());
        }
    }
    m.sqrt()
}

/// True when every entry is finite.
pub fn all_finite(a: MatRef<'_, C64>) -> bool {
    (0..a.ncols())
        .all(|j| (0..a.nrows()).all(|i| a[(i, j)].re.is_finite() && a[(i, j)].im.is_finite()))
}

/// An LU factorization with partial pivoting of a square matrix, with a cheap singularity check.
pub struct Lu {
    lu: faer::linalg::solvers::PartialPivLu<C64>,
    min_pivot_rel: f64,
}

impl Lu {
    /// Factorize `a`; `what` names the matrix in the error when it is singular.
    pub fn new(a: MatRef<'_, C64>, what: &str) -> Result<Self> {
        let lu = a.partial_piv_lu();
        // The pivots are the diagonal of U: an exactly zero or non-finite one means singular.
        let u = lu.U();
        let scale = max_abs(a).max(f64::MIN_POSITIVE);
        let mut min_pivot = f64::INFINITY;
        for i in 0..u.nrows() {
            let p = u[(i, i)];
            if !(p.re.is_finite() && p.im.is_finite()) || p.norm() <= scale * 1e-300 {
                return Err(Error::run(format!("{what}: matrix is singular")));
            }
            min_pivot = min_pivot.min(p.norm());
        }
        Ok(Lu {
            lu,
            min_pivot_rel: min_pivot / scale,
        })
    }

    /// Smallest pivot |u_ii| relative to the largest entry of the matrix: a cheap indicator of
    /// near-singularity (∞ for an empty matrix).
    pub fn min_pivot_rel(&self) -> f64 {
        self.min_pivot_rel
    }

    /// A⁻¹·B.
    pub fn solve(&self, b: MatRef<'_, C64>) -> CMat {
        let mut x = b.to_owned();
        self.lu.solve_in_place(x.as_mut());
        x
    }

    /// (A†)⁻¹·B.
    pub fn solve_adjoint(&self, b: MatRef<'_, C64>) -> CMat {
        let mut x = b.to_owned();
        self.lu.solve_adjoint_in_place(x.as_mut());
        x
    }

    /// A⁻¹.
    pub fn inverse(&self) -> CMat {
        self.lu.inverse()
    }
}

/// Eigenvalues (ascending) and orthonormal eigenvectors of a Hermitian matrix; only the lower
/// triangle is read, so round-off asymmetry does not matter.
pub fn hermitian_eigen(a: MatRef<'_, C64>, what: &str) -> Result<(Vec<f64>, CMat)> {
    let n = a.nrows();
    if n == 0 {
        return Ok((Vec::new(), CMat::zeros(0, 0)));
    }
    let e = a
        .self_adjoint_eigen(Side::Lower)
        .map_err(|_| Error::run(format!("{what}: Hermitian eigensolver did not converge")))?;
    let s = e.S();
    let vals = (0..n).map(|i| s[i].re).collect();
    Ok((vals, e.U().to_owned()))
}

/// Eigenvalues (ascending) and eigenvectors C of the generalized Hermitian problem
/// H c = E S c with S positive definite, normalized C† S C = 1, from the standard problem of
/// S^{−1/2} H S^{−1/2} (S = U σ U†, S^{−1/2} = U σ^{−1/2} U†, C = S^{−1/2} V). An S that is not
/// positive definite (orbitals too close, or a broken overlap table) is an error.
pub fn generalized_hermitian_eigen(
    h: MatRef<'_, C64>,
    s: MatRef<'_, C64>,
    what: &str,
) -> Result<(Vec<f64>, CMat)> {
    let n = h.nrows();
    let (sig, u) = hermitian_eigen(s, what)?;
    let smallest = sig.first().copied().unwrap_or(1.0);
    if smallest.is_nan() || smallest <= 1e-10 {
        return Err(Error::run(format!(
            "{what}: the overlap matrix is not positive definite (smallest eigenvalue \
             {smallest:.3e})"
        )));
    }
    let w = Mat::from_fn(n, n, |i, j| u[(i, j)] * C64::new(sig[j].powf(-0.5), 0.0));
    let inv_sqrt = &w * u.adjoint();
    let a = &inv_sqrt * h * &inv_sqrt;
    let (vals, v) = hermitian_eigen(a.as_ref(), what)?;
    Ok((vals, &inv_sqrt * &v))
}

/// The eigenvalues of [`generalized_hermitian_eigen`].
pub fn generalized_hermitian_eigenvalues(
    h: MatRef<'_, C64>,
    s: MatRef<'_, C64>,
    what: &str,
) -> Result<Vec<f64>> {
    Ok(generalized_hermitian_eigen(h, s, what)?.0)
}

/// Eigenvalues of a Hermitian matrix, in descending order.
pub fn hermitian_eigenvalues_desc(a: MatRef<'_, C64>, what: &str) -> Result<Vec<f64>> {
    let (mut v, _) = hermitian_eigen(a, what)?;
    v.reverse();
    Ok(v)
}

/// Frobenius norm squared Σ|a_ij|².
pub fn frobenius_sq(a: MatRef<'_, C64>) -> f64 {
    let mut s = 0.0;
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            s += a[(i, j)].norm_sqr();
        }
    }
    s
}
