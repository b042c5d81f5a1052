//! Lead surface Green's function by mode matching: the lead's propagating and evanescent Bloch
//! modes from a stabilized generalized eigenproblem, in the reduced space of the hopping's
//! singular vectors (the approach of Kwant's `kwant/physics/leads.py`, derived afresh here).
//!
//! Lead equation for layer n (layers count away from S, H01 = ⟨n|H|n+1⟩):
//!
//!   H01† ψ_{n−1} + (H00 − E) ψ_n + H01 ψ_{n+1} = 0.
//!
//! Write H01 = u w† from its SVD (u = U_r S_r^{1/2}, w = V_r S_r^{1/2}, r = numerical rank) and
//! a_n = u†ψ_n, b_n = w†ψ_n. Adding −i(uu† + ww†)ψ_n to both sides (the stabilization: the
//! matrix H̃ = H00 − E − i(uu† + ww†) is invertible even where H00 − E is not) gives
//!
//!   ψ_n = −H̃⁻¹ [ w (a_{n−1} + i b_n) + u (b_{n+1} + i a_n) ],
//!
//! and projecting on u† and w† a 2r × 2r pencil A z = λ B z for z_n = (a_{n−1}, b_n),
//! z_{n+1} = λ z_n:
//!
//!   B = [[1 + i u†H̃⁻¹u, u†H̃⁻¹u], [i w†H̃⁻¹u, w†H̃⁻¹u]],
//!   A = [[−u†H̃⁻¹w, −i u†H̃⁻¹w], [−w†H̃⁻¹w, −1 − i w†H̃⁻¹w]],
//!
//! solved by complex QZ. The r outgoing modes (|λ| < 1, and |λ| = 1 with velocity away from S)
//! span z_1 = (a_0, b_1) with b_1 = X a_0, X = w† g w, g the surface Green's function of
//! layer 1; hence X = Z_b Z_a⁻¹ and
//!
//!   g = (E − H00 − u X u†)⁻¹,   A = i(g − g†) = g u Y u† g†,   Y = i(X − X†).
//!
//! The current carried by a propagating mode from layer n to n+1 is
//! J = −2 Im(ψ_n† H01 ψ_{n+1}) = −2 Im(α†β) for z = (α, β), |λ| = 1; modes with the same λ
//! are orthonormalized and the current form diagonalized within the group, so that degenerate
//! modes are split into outgoing and incoming ones correctly.

use faer::{Mat, MatRef};

use crate::error::{Error, Result};
use crate::transport::dense::{dagger, hermitian_eigen, max_abs, mul, CMat, Lu, C64, I};
use crate::transport::solver::surface::{psd_factor, LeadSurface};

/// Relative threshold on singular values of H01 below which they count as zero
/// (as Kwant: 10⁶ × machine epsilon).
const RANK_TOL: f64 = 1e6 * f64::EPSILON;
/// A mode is propagating when ||λ| − 1| is below this.
const PROPAGATING_TOL: f64 = 1e-8;
/// Propagating modes whose λ differ by less than this form one degenerate group.
const DEGENERACY_TOL: f64 = 1e-7;
/// Largest acceptable condition estimate of B (or A − σB) before trying another formulation.
const COND_MAX: f64 = 1e7;
/// Shifts σ = ρ e^{iφ} for the shift-and-invert formulation.
const SHIFTS: [(f64, f64); 5] = [
    (1.37, 0.613),
    (0.71, 2.297),
    (1.83, -1.931),
    (0.53, -0.377),
    (2.61, 2.861),
];
/// Largest accepted relative residual of the surface Green's function in its Dyson equation.
const DYSON_TOL: f64 = 1e-9;
/// Formulations tried: B⁻¹A and the shifts.
const PENCIL_ATTEMPTS: usize = 1 + SHIFTS.len();

/// Surface Green's function of layer 1 of a lead, its spectral factor and open channels,
/// by mode matching (see the module documentation for the equations).
pub fn lead_surface_mode_matching(h00: &CMat, h01: &CMat, energy: f64) -> Result<LeadSurface> {
    solve_modes(h00, h01, energy, 0)
}

fn solve_modes(h00: &CMat, h01: &CMat, energy: f64, first_attempt: usize) -> Result<LeadSurface> {
    let n = h00.nrows();
    let ez = C64::new(energy, 0.0);
    // SVD of the hopping, H01 = U S V†, truncated to the numerical rank r.
    let svd = h01
        .svd()
        .map_err(|_| Error::run("mode matching: SVD of the lead hopping H01 did not converge"))?;
    let s = svd.S().column_vector();
    let s0 = if n > 0 { s[0].re } else { 0.0 };
    let r = (0..n)
        .filter(|&i| s0 > 0.0 && s[i].re > RANK_TOL * s0)
        .count();
    if r == 0 {
        // Decoupled layers: g = (E − H00)⁻¹, no channels.
        let g = Lu::new(
            crate::transport::dense::shifted_negative(ez, h00.as_ref()).as_ref(),
            "lead layer",
        )?
        .inverse();
        let surf = LeadSurface {
            g,
            spectral_factor: CMat::zeros(n, 0),
            open_channels: 0,
        };
        return Ok(surf);
    }
    let (uu, vv) = (svd.U(), svd.V());
    let u = Mat::from_fn(n, r, |i, j| uu[(i, j)] * C64::new(s[j].re.sqrt(), 0.0));
    let w = Mat::from_fn(n, r, |i, j| vv[(i, j)] * C64::new(s[j].re.sqrt(), 0.0));
    // C = [u w]; H̃ = H00 − E − i C C†; GC = H̃⁻¹ C; M = C† H̃⁻¹ C.
    let c = Mat::from_fn(
        n,
        2 * r,
        |i, j| if j < r { u[(i, j)] } else { w[(i, j - r)] },
    );
    let ccd = c.as_ref() * c.adjoint();
    let htilde = Mat::from_fn(n, n, |i, j| {
        h00[(i, j)] - if i == j { ez } else { C64::new(0.0, 0.0) } - I * ccd[(i, j)]
    });
    let gc = Lu::new(
        htilde.as_ref(),
        "mode matching: stabilized layer Hamiltonian",
    )?
    .solve(c.as_ref());
    let m = c.adjoint() * gc.as_ref();
    let (ugu, ugw) = (
        |i: usize, j: usize| m[(i, j)],
        |i: usize, j: usize| m[(i, r + j)],
    );
    let (wgu, wgw) = (
        |i: usize, j: usize| m[(r + i, j)],
        |i: usize, j: usize| m[(r + i, r + j)],
    );
    let one = |i: usize, j: usize| {
        if i == j {
            C64::new(1.0, 0.0)
        } else {
            C64::new(0.0, 0.0)
        }
    };
    let a = Mat::from_fn(2 * r, 2 * r, |i, j| match (i < r, j < r) {
        (true, true) => -ugw(i, j),
        (true, false) => -I * ugw(i, j - r),
        (false, true) => -wgw(i - r, j),
        (false, false) => -one(i - r, j - r) - I * wgw(i - r, j - r),
    });
    let b = Mat::from_fn(2 * r, 2 * r, |i, j| match (i < r, j < r) {
        (true, true) => one(i, j) + I * ugu(i, j),
        (true, false) => ugu(i, j - r),
        (false, true) => I * wgu(i - r, j),
        (false, false) => wgu(i - r, j - r),
    });
    // Solve the pencil; if round-off spoils the mode counts (an ill-conditioned formulation),
    // try the next formulation (B⁻¹A, then shift-and-invert with several shifts).
    let gu = gc.as_ref().subcols(0, r);
    let gw = gc.as_ref().subcols(r, r);
    let mut last_err = None;
    for attempt in first_attempt..PENCIL_ATTEMPTS {
        let Some((lams, z)) = pencil_eigen(&a, &b, attempt)? else {
            continue;
        };
        let result = classify(&lams, &z, gu, gw, energy, s0)
            .and_then(|cls| surface_from_modes(cls, &z, &u, h00, h01, energy));
        match result {
            Ok(found) => return Ok(found),
            Err(e) => last_err = Some(e),
        }
    }
    Err(last_err.unwrap_or_else(|| {
        Error::run("mode matching: no well-conditioned form of the lead eigenproblem")
    }))
}

/// Surface Green's function from the outgoing modes: X = Z_b Z_a⁻¹, g = (E − H00 − u X u†)⁻¹,
/// spectral factor g u Y^{1/2} with Y = i(X − X†); checked a posteriori against the Dyson
/// equation g = (E − H00 − H01 g H01†)⁻¹.
fn surface_from_modes(
    cls: Classified,
    z: &CMat,
    u: &CMat,
    h00: &CMat,
    h01: &CMat,
    energy: f64,
) -> Result<LeadSurface> {
    let (n, r) = (u.nrows(), u.ncols());
    let ez = C64::new(energy, 0.0);
    let Classified {
        decaying,
        outgoing_prop,
    } = cls;
    let open = outgoing_prop.len();

    // Outgoing subspace Z (2r × r), X = Z_b Z_a⁻¹.
    let zout = Mat::from_fn(2 * r, r, |i, c| {
        if c < decaying.len() {
            z[(i, decaying[c])]
        } else {
            outgoing_prop[c - decaying.len()][i]
        }
    });
    let za = zout.as_ref().subrows(0, r).to_owned();
    let zb = zout.as_ref().subrows(r, r);
    // X Z_a = Z_b  ⇔  Z_a† X† = Z_b†.
    let xd = Lu::new(za.as_ref(), "mode matching: outgoing-mode matrix")?
        .solve_adjoint(dagger(zb).as_ref());
    let x = dagger(xd.as_ref());
    // g = (E − H00 − u X u†)⁻¹.
    let sig1 = u.as_ref() * x.as_ref() * u.adjoint();
    let ginv = Mat::from_fn(n, n, |i, j| {
        (if i == j { ez } else { C64::new(0.0, 0.0) }) - h00[(i, j)] - sig1[(i, j)]
    });
    let g = Lu::new(ginv.as_ref(), "mode matching: surface Green's function")?.inverse();
    // A = g u Y u† g†, Y = i(X − X†) = F_Y F_Y† (rank = open channels).
    let y = Mat::from_fn(r, r, |i, j| I * (x[(i, j)] - x[(j, i)].conj()));
    let fy = psd_factor(&y, Some(open), 0.0, "mode matching: lead broadening")?;
    let spectral_factor = mul(mul(g.as_ref(), u.as_ref()).as_ref(), fy.as_ref());
    if !crate::transport::dense::all_finite(g.as_ref())
        || !crate::transport::dense::all_finite(spectral_factor.as_ref())
    {
        return Err(Error::run(format!(
            "mode matching at E = {energy} eV: non-finite surface Green's function"
        )));
    }
    // Dyson residual ‖(E − H00 − H01 g H01†) g − 1‖_max relative to ‖E − H00 − Σ‖·‖g‖: a
    // wrong mode basis shows here as an O(1) residual.
    let sig = h01.as_ref() * g.as_ref() * h01.adjoint();
    let lhs = Mat::from_fn(n, n, |i, j| {
        (if i == j { ez } else { C64::new(0.0, 0.0) }) - h00[(i, j)] - sig[(i, j)]
    });
    let mut prod = lhs.as_ref() * g.as_ref();
    for i in 0..n {
        prod[(i, i)] -= C64::new(1.0, 0.0);
    }
    let residual = max_abs(prod.as_ref());
    let scale = max_abs(lhs.as_ref()) * max_abs(g.as_ref());
    if residual.is_nan() || residual > DYSON_TOL * scale.max(1.0) {
        return Err(Error::run(format!(
            "mode matching at E = {energy} eV: surface Green's function fails the Dyson \
             equation by {residual:e}"
        )));
    }
    Ok(LeadSurface {
        g,
        spectral_factor,
        open_channels: open,
    })
}

/// Eigenpairs of the regular pencil A z = λ B z via a standard eigenproblem (faer's QZ is not
/// reliable on these structured pencils). Attempt 0: M = B⁻¹A when B is well conditioned (as
/// Kwant does); attempt k ≥ 1: the shift-and-invert M = (A − σ_k B)⁻¹B with eigenvalues
/// θ = 1/(λ − σ_k). `Ok(None)` when that formulation is ill-conditioned; λ = `None` means ∞.
/// Eigenvectors are the columns of the returned matrix, unit 2-norm.
fn pencil_eigen(a: &CMat, b: &CMat, attempt: usize) -> Result<Option<(Vec<Option<C64>>, CMat)>> {
    let n = a.nrows();
    let cond = |m: &CMat, inv: &CMat| max_abs(m.as_ref()) * max_abs(inv.as_ref()) * n as f64;
    let eig = |m: &CMat| -> Result<(Vec<C64>, CMat)> {
        let e = m
            .eigen()
            .map_err(|_| Error::run("mode matching: eigensolver did not converge"))?;
        let s = e.S().column_vector();
        Ok(((0..n).map(|i| s[i]).collect(), e.U().to_owned()))
    };
    if attempt == 0 {
        let Ok(lu) = Lu::new(b.as_ref(), "mode matching: B") else {
            return Ok(None);
        };
        let binv = lu.inverse();
        if cond(b, &binv) >= COND_MAX {
            return Ok(None);
        }
        let (vals, vecs) = eig(&(binv.as_ref() * a.as_ref()))?;
        return Ok(Some((vals.into_iter().map(Some).collect(), vecs)));
    }
    // Shifts off the unit circle at irrational-looking angles.
    let (rho, phi) = SHIFTS[(attempt - 1) % SHIFTS.len()];
    let sigma = C64::new(rho * f64::cos(phi), rho * f64::sin(phi));
    let scale = max_abs(a.as_ref())
        .max(max_abs(b.as_ref()))
        .max(f64::MIN_POSITIVE);
    let shifted = CMat::from_fn(n, n, |i, j| a[(i, j)] - sigma * b[(i, j)]);
    let Ok(lu) = Lu::new(shifted.as_ref(), "mode matching: A - sigma B") else {
        return Ok(None);
    };
    let inv = lu.inverse();
    if cond(&shifted, &inv) >= COND_MAX {
        return Ok(None);
    }
    let (theta, vecs) = eig(&(inv.as_ref() * b.as_ref()))?;
    let tiny = 1e-13 * max_abs(inv.as_ref()) * scale;
    let lams = theta
        .into_iter()
        .map(|t| {
            if t.norm() <= tiny {
                None
            } else {
                Some(sigma + C64::new(1.0, 0.0) / t)
            }
        })
        .collect();
    Ok(Some((lams, vecs)))
}

/// Modes of one solution of the pencil, sorted into what mode matching needs.
struct Classified {
    /// Columns of the eigenvector matrix with |λ| < 1.
    decaying: Vec<usize>,
    /// Outgoing propagating modes (z vectors), after diagonalizing degenerate groups.
    outgoing_prop: Vec<Vec<C64>>,
}

/// Classify the pencil's eigenpairs: decaying (|λ| < 1), propagating (split by the sign of
/// their current after diagonalizing the current form in each degenerate group), growing or
/// infinite; and check the counts (r outgoing, as many incoming as outgoing propagating).
fn classify(
    lams: &[Option<C64>],
    z: &CMat,
    gu: MatRef<'_, C64>,
    gw: MatRef<'_, C64>,
    energy: f64,
    s0: f64,
) -> Result<Classified> {
    let r = z.nrows() / 2;
    let n = gu.nrows();
    // Classify: decaying (|λ| < 1), propagating, growing or infinite.
    let mut decaying = Vec::new();
    let mut propagating = Vec::new();
    for (j, lam) in lams.iter().enumerate() {
        let Some(lam) = *lam else {
            continue;
        };
        let mag = lam.norm();
        if (mag - 1.0).abs() <= PROPAGATING_TOL {
            propagating.push((j, lam));
        } else if mag < 1.0 {
            decaying.push(j);
        }
    }

    // Propagating modes: group degenerate λ, orthonormalize the real-space modes ψ within a
    // group, diagonalize the current form there; J > 0 = moving away from S = outgoing.
    let mut groups: Vec<Vec<(usize, C64)>> = Vec::new();
    for &(j, lam) in &propagating {
        match groups
            .iter_mut()
            .find(|g| g.iter().any(|&(_, l)| (l - lam).norm() < DEGENERACY_TOL))
        {
            Some(g) => g.push((j, lam)),
            None => groups.push(vec![(j, lam)]),
        }
    }
    let vel_tol = 1e-11 * s0;
    let mut outgoing_prop: Vec<Vec<C64>> = Vec::new();
    let mut n_incoming = 0usize;
    for group in &groups {
        let mg = group.len();
        let zg = Mat::from_fn(2 * r, mg, |i, c| z[(i, group[c].0)]);
        // ψ = −(H̃⁻¹w(α + iβ) + λ H̃⁻¹u(β + iα)) for each mode of the group.
        let mut psi = CMat::zeros(n, mg);
        for (c, &(_, lam)) in group.iter().enumerate() {
            let x1 = Mat::from_fn(r, 1, |i, _| zg[(i, c)] + I * zg[(r + i, c)]);
            let x2 = Mat::from_fn(r, 1, |i, _| zg[(r + i, c)] + I * zg[(i, c)]);
            let p = mul(gw, x1.as_ref()) + mul(gu, x2.as_ref()) * faer::Scale(lam);
            for i in 0..n {
                psi[(i, c)] = -p[(i, 0)];
            }
        }
        let gram = psi.adjoint() * psi.as_ref();
        let za = zg.as_ref().subrows(0, r);
        let zb = zg.as_ref().subrows(r, r);
        let ab = za.adjoint() * zb;
        let cur = Mat::from_fn(mg, mg, |i, j| I * (ab[(i, j)] - ab[(j, i)].conj()));
        // Whitening with the Gram matrix: N = Q ν Q†, N^{-1/2} = Q ν^{-1/2} Q†.
        let (nu, q) = hermitian_eigen(gram.as_ref(), "mode matching: mode Gram matrix")?;
        if nu.iter().any(|&x| x.is_nan() || x <= 0.0) {
            return Err(Error::run(format!(
                "mode matching at E = {energy} eV: degenerate propagating modes are linearly dependent"
            )));
        }
        let nisq = {
            let d = Mat::from_fn(mg, mg, |i, j| q[(i, j)] * C64::new(1.0 / nu[j].sqrt(), 0.0));
            d.as_ref() * q.adjoint()
        };
        let cw = mul(mul(nisq.as_ref(), cur.as_ref()).as_ref(), nisq.as_ref());
        let (mu, cvec) = hermitian_eigen(cw.as_ref(), "mode matching: current operator")?;
        let rot = mul(nisq.as_ref(), cvec.as_ref());
        let zrot = mul(zg.as_ref(), rot.as_ref());
        for (c, &v) in mu.iter().enumerate() {
            if v.abs() <= vel_tol {
                return Err(Error::run(format!(
                    "mode matching at E = {energy} eV: a propagating mode has zero velocity (band edge)"
                )));
            }
            if v > 0.0 {
                outgoing_prop.push((0..2 * r).map(|i| zrot[(i, c)]).collect());
            } else {
                n_incoming += 1;
            }
        }
    }
    let open = outgoing_prop.len();
    if open != n_incoming || decaying.len() + open != r {
        return Err(Error::run(format!(
            "mode matching at E = {energy} eV: inconsistent mode count ({} decaying, {open} outgoing, \
             {n_incoming} incoming propagating, expected {r} outgoing in all); too close to a band edge?",
            decaying.len()
        )));
    }
    Ok(Classified {
        decaying,
        outgoing_prop,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::dense::c64;

    /// The shift-and-invert formulations give the same surface Green's function as B⁻¹A.
    #[test]
    fn every_pencil_formulation_gives_the_same_surface() {
        // 3x3 square cross-section (degenerate subbands), t = -1, and a complex generic lead.
        let n = 9;
        let h00 = CMat::from_fn(n, n, |i, j| {
            let (a, b) = ((i / 3) as i32, (j / 3) as i32);
            let (c, d) = ((i % 3) as i32, (j % 3) as i32);
            if (a - b).abs() + (c - d).abs() == 1 {
                c64(-1.0, 0.0)
            } else {
                c64(0.0, 0.0)
            }
        });
        let h01 = CMat::from_fn(n, n, |i, j| {
            if i == j {
                c64(-1.0, 0.0)
            } else {
                c64(0.0, 0.0)
            }
        });
        let g00 = CMat::from_fn(3, 3, |i, j| {
            let x = [[0.2, 0.3, -0.1], [0.3, -0.4, 0.25], [-0.1, 0.25, 0.1]][i][j];
            let y = [[0.0, 0.1, 0.2], [-0.1, 0.0, -0.05], [-0.2, 0.05, 0.0]][i][j];
            c64(x, y)
        });
        let g01 = CMat::from_fn(3, 3, |i, j| {
            c64(
                0.9 * ((i * 3 + j) as f64).cos(),
                0.4 * ((i + 2 * j) as f64).sin(),
            )
        });
        for (h00, h01, es) in [
            (&h00, &h01, [-3.1, -1.3, 0.4, 2.2]),
            (&g00, &g01, [-1.7, -0.2, 0.6, 1.9]),
        ] {
            for e in es {
                let reference = solve_modes(h00, h01, e, 0).expect("B^-1 A");
                for first in 1..PENCIL_ATTEMPTS {
                    let s = solve_modes(h00, h01, e, first).expect("shift-and-invert");
                    assert_eq!(s.open_channels, reference.open_channels, "E = {e}");
                    let mut d = 0.0f64;
                    for j in 0..h00.nrows() {
                        for i in 0..h00.nrows() {
                            d = d.max((s.g[(i, j)] - reference.g[(i, j)]).norm());
                        }
                    }
                    assert!(d < 1e-10, "E = {e}, attempt {first}: |dg| = {d:e}");
                }
            }
        }
    }
}
