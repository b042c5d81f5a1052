//! Local charge neutrality in a non-orthogonal basis (overlap S): per-atom potential shifts δ_i
//! that give every atom of the scattering region its valence charge, counted as Mulliken
//! populations. This is the large-U limit of the self-consistent-charge DFTB (SCC-DFTB) of
//! M. Elstner et al., Phys. Rev. B 58, 7260 (1998), whose shifts enter as in its Eq. (12):
//!
//!   H_μν(δ) = H_μν + ½ S_μν (δ_i + δ_j),   μ on atom i, ν on atom j,
//!
//! (lead atoms keep δ = 0: their layers are bulk crystal at its band-filling E_F). With the
//! leads attached, A(z) = z S − H(δ), the coupling blocks A_SL = z S_V − V(δ) and
//! A_LS = z S_V† − V(δ)†, the lead surface g(z) (decimation of z S00 − H00, z S01 − H01),
//! Σ(z) = A_SL g A_LS and G_SS = (A_SS − Σ)⁻¹, G_SL = −G_SS A_SL g, G_LS = −g A_LS G_SS. The
//! contour integral D = ∫_C G dz over the Fermi-sea contour of [`super::charge_neutrality`]
//! gives the density matrix ρ = −(D − D†)/(2πi) (G(E − i0) = G(E + i0)†), and atom i holds
//! (spin included)
//!
//!   N_i = 2 Σ_{μ∈i} Re[(ρ S)_μμ] = 2 Σ_{μ∈i} Re[Σ_{ν∈S} ρ_μν S_νμ + Σ_{λ∈lead} ρ_μλ S_λμ],
//!
//! the Mulliken gross population (R. S. Mulliken, J. Chem. Phys. 23, 1833 (1955)), k-averaged
//! over the mesh. [`super::charge_neutrality::neutralize`] and `shifted` take this path for a
//! problem with an overlap. Newton's method uses the response of the orthogonalised problem,
//! ∂N_i/∂δ_j ≈ −(2/π) Im ∫ Σ_{μ∈i, ν∈j} (G S)_μν (G S)_νμ dz, exact for S = 1 and a descent
//! direction for small overlaps; each step is damped until the charge error falls.

use std::ops::Range;

use crate::error::{Error, Result};
use crate::transport::dense::{c64, CMat, Lu, C64};
use crate::transport::neutrality::contour::{fermi_sea_contour, NeutralityOptions};
use crate::transport::problem::scattering::{
    FourierBlock, Overlap, SparseMatrix, TransportProblem,
};
use crate::transport::solver::decimation::lead_surface_pencil;

/// A lead at one contour node and k: the S orbitals its coupling touches, z S_V − V and
/// z S_V† − V† on them, S_V on them, and its surface g.
struct NodeLead {
    orbitals: Vec<usize>,
    a_sl: CMat,
    a_ls: CMat,
    s_v: CMat,
    g: CMat,
}

/// One transverse k-point: weight, H_S(k), S_S(k) and the nodes with their leads.
struct KSea {
    weight: f64,
    h: CMat,
    s: CMat,
    nodes: Vec<(C64, C64, [NodeLead; 2])>,
}

/// The Fermi-sea contour with the lead surfaces at its nodes, at every k-point.
pub struct OverlapSea {
    ks: Vec<KSea>,
}

/// Rows `rows` of a sparse block as a dense matrix.
fn rows_of(m: &SparseMatrix, rows: &[usize]) -> CMat {
    let mut d = CMat::zeros(rows.len(), m.ncols);
    for &(i, j, v) in &m.entries {
        if let Ok(r) = rows.binary_search(&i) {
            d[(r, j)] += v;
        }
    }
    d
}

impl OverlapSea {
    /// Prepare the contour at every k-point of a problem with an overlap.
    pub fn new(problem: &TransportProblem, e_f: f64, opts: &NeutralityOptions) -> Result<Self> {
        let Some(ov) = &problem.overlap else {
            return Err(Error::run(
                "Mulliken neutrality: the problem has no overlap (use charge_neutrality)",
            ));
        };
        let contour = fermi_sea_contour(e_f - opts.depth, e_f, opts.nodes_per_panel);
        let mut ks = Vec::new();
        for kp in problem.kpoints_or_gamma() {
            let (hk, sk) = (problem.at_k(kp.k), ov.s_s.dense_at_k(kp.k));
            let leads_s = [ov.leads[0].at_k(kp.k), ov.leads[1].at_k(kp.k)];
            let mut nodes = Vec::with_capacity(contour.len());
            for &(z, w) in &contour {
                let lead = |li: usize| -> Result<NodeLead> {
                    let (h, s) = (&hk.leads[li], &leads_s[li]);
                    let mut orbitals = h.coupling.nonzero_rows();
                    orbitals.extend(s.coupling.nonzero_rows());
                    orbitals.sort_unstable();
                    orbitals.dedup();
                    let v = rows_of(&h.coupling, &orbitals);
                    let s_v = rows_of(&s.coupling, &orbitals);
                    let a_sl =
                        CMat::from_fn(v.nrows(), v.ncols(), |i, j| z * s_v[(i, j)] - v[(i, j)]);
                    let a_ls = CMat::from_fn(v.ncols(), v.nrows(), |i, j| {
                        z * s_v[(j, i)].conj() - v[(j, i)].conj()
                    });
                    let nl = h.h00.nrows();
                    let a00 = CMat::from_fn(nl, nl, |i, j| z * s.h00[(i, j)] - h.h00[(i, j)]);
                    let a01 = CMat::from_fn(nl, nl, |i, j| z * s.h01[(i, j)] - h.h01[(i, j)]);
                    let a10 = CMat::from_fn(nl, nl, |i, j| {
                        z * s.h01[(j, i)].conj() - h.h01[(j, i)].conj()
                    });
                    Ok(NodeLead {
                        orbitals,
                        a_sl,
                        a_ls,
                        s_v,
                        g: lead_surface_pencil(&a00, &a01, &a10)?,
                    })
                };
                nodes.push((z, w, [lead(0)?, lead(1)?]));
            }
            ks.push(KSea {
                weight: kp.weight,
                h: hk.h_s.to_dense(),
                s: sk,
                nodes,
            });
        }
        Ok(OverlapSea { ks })
    }

    /// Mulliken charges N_i and the approximate response ∂N_i/∂δ_j (row-major) at the shifts.
    pub fn charges(&self, atoms: &[Range<usize>], shifts: &[f64]) -> Result<(Vec<f64>, Vec<f64>)> {
        let na = atoms.len();
        let mut q = vec![0.0; na];
        let mut resp = vec![c64(0.0, 0.0); na * na];
        for ksea in &self.ks {
            let n = ksea.h.nrows();
            let mut owner = vec![usize::MAX; n];
            let mut d = vec![0.0; n];
            for (a, r) in atoms.iter().enumerate() {
                for o in r.clone() {
                    owner[o] = a;
                    d[o] = shifts[a];
                }
            }
            let mut dss = CMat::zeros(n, n);
            let mut dsl: Vec<CMat> = Vec::new();
            let mut dls: Vec<CMat> = Vec::new();
            for (z, w, leads) in &ksea.nodes {
                let w = *w;
                // A_SS = z S − H − ½ (D S + S D).
                let mut a = CMat::from_fn(n, n, |i, j| {
                    let s = ksea.s[(i, j)];
                    *z * s - ksea.h[(i, j)] - s * c64(0.5 * (d[i] + d[j]), 0.0)
                });
                // The couplings with the S-side shifts: A_SL − ½ D S_V, A_LS − ½ S_V† D.
                let mut couplings = Vec::with_capacity(2);
                for l in leads {
                    let half = |r: usize| c64(0.5 * d[l.orbitals[r]], 0.0);
                    let a_sl = CMat::from_fn(l.a_sl.nrows(), l.a_sl.ncols(), |r, c| {
                        l.a_sl[(r, c)] - half(r) * l.s_v[(r, c)]
                    });
                    let a_ls = CMat::from_fn(l.a_ls.nrows(), l.a_ls.ncols(), |r, c| {
                        l.a_ls[(r, c)] - l.s_v[(c, r)].conj() * half(c)
                    });
                    let sigma = &a_sl * &l.g * &a_ls;
                    for (r, &i) in l.orbitals.iter().enumerate() {
                        for (c, &j) in l.orbitals.iter().enumerate() {
                            a[(i, j)] -= sigma[(r, c)];
                        }
                    }
                    couplings.push((a_sl, a_ls));
                }
                let g = Lu::new(a.as_ref(), "Mulliken neutrality: z S − H − Σ")?.inverse();
                for j in 0..n {
                    for i in 0..n {
                        dss[(i, j)] += w * g[(i, j)];
                    }
                }
                for (li, (l, (a_sl, a_ls))) in leads.iter().zip(&couplings).enumerate() {
                    // G_SL = −G_S,orb A_SL g and G_LS = −g A_LS G_orb,S.
                    let g_cols = CMat::from_fn(n, l.orbitals.len(), |i, c| g[(i, l.orbitals[c])]);
                    let g_rows = CMat::from_fn(l.orbitals.len(), n, |r, j| g[(l.orbitals[r], j)]);
                    let gsl = -(&g_cols * a_sl * &l.g);
                    let gls = -(&l.g * a_ls * &g_rows);
                    if dsl.len() <= li {
                        dsl.push(CMat::zeros(gsl.nrows(), gsl.ncols()));
                        dls.push(CMat::zeros(gls.nrows(), gls.ncols()));
                    }
                    let acc = |sum: &mut CMat, x: &CMat| {
                        for j in 0..x.ncols() {
                            for i in 0..x.nrows() {
                                sum[(i, j)] += w * x[(i, j)];
                            }
                        }
                    };
                    acc(&mut dsl[li], &gsl);
                    acc(&mut dls[li], &gls);
                }
                // The response of the orthogonalised problem from M = G S.
                let m = &g * &ksea.s;
                for i in 0..n {
                    let ai = owner[i];
                    if ai == usize::MAX {
                        continue;
                    }
                    for j in 0..n {
                        let aj = owner[j];
                        if aj != usize::MAX {
                            resp[ai * na + aj] += w * ksea.weight * m[(i, j)] * m[(j, i)];
                        }
                    }
                }
            }
            // ρ = −(D − D†)/(2πi); N_μ = 2 Re[(ρ S)_μμ] over S and lead orbitals.
            let f = c64(0.0, 1.0 / (2.0 * std::f64::consts::PI));
            for mu in 0..n {
                let a = owner[mu];
                if a == usize::MAX {
                    continue;
                }
                let mut pop = c64(0.0, 0.0);
                for nu in 0..n {
                    let rho = (dss[(mu, nu)] - dss[(nu, mu)].conj()) * f;
                    pop += rho * ksea.s[(nu, mu)];
                }
                for (li, l) in ksea.nodes[0].2.iter().enumerate() {
                    if let Ok(r) = l.orbitals.binary_search(&mu) {
                        for lam in 0..l.s_v.ncols() {
                            let rho = (dsl[li][(mu, lam)] - dls[li][(lam, mu)].conj()) * f;
                            pop += rho * l.s_v[(r, lam)].conj();
                        }
                    }
                }
                q[a] += 2.0 * ksea.weight * pop.re;
            }
        }
        let f = -2.0 / std::f64::consts::PI;
        Ok((q, resp.iter().map(|x| f * x.im).collect()))
    }
}

/// The problem with the shifts applied: H_S += ½ S_S (δ_i + δ_j) term by term of the Fourier
/// blocks, V += ½ δ_i S_V (lead atoms unshifted).
pub fn shifted_overlap(
    problem: &TransportProblem,
    ov: &Overlap,
    atoms: &[Range<usize>],
    shifts: &[f64],
) -> TransportProblem {
    let mut d = vec![0.0; problem.n_s()];
    for (r, &s) in atoms.iter().zip(shifts) {
        for o in r.clone() {
            d[o] = s;
        }
    }
    // h + scaled copy of s: each S entry (i, j) adds ½(d_i + d_j^col) S_ij.
    let add = |h: &FourierBlock, s: &FourierBlock, col_shift: &dyn Fn(usize) -> f64| {
        let mut out = h.clone();
        for (m, t) in &s.terms {
            let extra = t
                .entries
                .iter()
                .map(|&(i, j, v)| (i, j, v * c64(0.5 * (d[i] + col_shift(j)), 0.0)));
            match out.terms.iter_mut().find(|(mm, _)| mm == m) {
                Some((_, tt)) => tt.entries.extend(extra),
                None => {
                    let mut sm = SparseMatrix::zeros(t.nrows, t.ncols);
                    sm.entries.extend(extra);
                    out.terms.push((*m, sm));
                }
            }
        }
        out
    };
    let mut p = problem.clone();
    p.h_s = add(&problem.h_s, &ov.s_s, &|j| d[j]);
    for side in 0..2 {
        p.leads[side].coupling = add(
            &problem.leads[side].coupling,
            &ov.leads[side].coupling,
            &|_| 0.0,
        );
    }
    p
}
