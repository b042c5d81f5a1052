//! Local charge neutrality: on-site shifts that give every atom of the scattering region its
//! valence charge, the self-consistency a non-self-consistent tight-binding model lacks at
//! surfaces, tips and chains (J. C. Cuevas, A. Levy Yeyati and A. Martín-Rodero, Phys. Rev.
//! Lett. 80, 1066 (1998), who combine it with the bulk fits of Papaconstantopoulos's Handbook
//! for atomic contacts; A. Levy Yeyati, A. Martín-Rodero and F. Flores, Phys. Rev. B 56, 10369
//! (1997)).
//!
//! With H(δ) = H_S + Σ_j δ_j P_j (P_j the projector on the orbitals of atom j) and the leads
//! attached, G(z) = (z − H(δ) − Σ_L(z) − Σ_R(z))⁻¹, atom i holds (spin included)
//!
//!   N_i = −(2/π) Im ∫_{E_B}^{E_F} Tr[P_i G(E + i0)] dE,
//!
//! and the shifts solve N_i(δ) = Z_i. The integral runs over a semicircle in the upper half plane
//! from E_B (below the spectrum) to E_F, where G is analytic, by composite Gauss–Legendre
//! quadrature with panels refined towards E_F; the lead surface Green's functions at complex z
//! come from decimation, which is exact off the real axis. Newton's method uses the exact
//! Jacobian (the static charge response)
//!
//!   ∂N_i/∂δ_j = −(2/π) Im ∫ Tr[P_i G P_j G] dz,
//!
//! since ∂G/∂δ_j = G P_j G. G is formed densely: the method is for scattering regions of up to
//! a few thousand orbitals. A problem periodic across the axis (a k∥ mesh, leads periodic in x
//! and y as PWCOND's) has H(k), Σ(k) and G(k) per k-point, and the charges and their response
//! are the mesh averages N_i = Σ_k w_k N_i(k): the local density summed over the surface
//! Brillouin zone.
//!
//! The leads must be neutral too, or a thin wire lead carries its own Fermi level (that of its
//! band filling, eV away from the bulk one for a wire of a few atoms across). [`neutral_lead`]
//! finds per-atom shifts of a lead's principal layer that make every lead atom neutral at the
//! bulk E_F: bands E_b(q), ψ_b(q) of H(q) = H00 + H01 e^{iq} + H01† e^{−iq} on a uniform q grid,
//! Fermi–Dirac occupations f_b at a small temperature (so that N is smooth in δ),
//! N_i = (2/N_q) Σ_q Σ_b f_b ⟨b|P_i|b⟩ and Newton steps with the static response
//!
//!   ∂N_i/∂δ_j = (2/N_q) Σ_q Σ_{b,b′} (f_b − f_b′)/(E_b − E_b′) ⟨b|P_i|b′⟩⟨b′|P_j|b⟩
//!
//! (f′(E_b) where E_b = E_b′), summed over the k∥ mesh too for a periodic lead (q then runs
//! over the whole circle where H(k∥) is complex). The smearing is the one approximation: with the defaults
//! (k_B T = 0.05 eV, 128 q points on (0, π)) a perfect neutral wire continued by a scattering
//! region neutralized at T = 0 needs shifts within 0.005 eV of the lead's, and transmits its
//! channels to 1e-4 (0.02 eV and 1e-3 at k_B T = 0.1 eV).

use std::ops::Range;

use crate::error::{Error, Result};
use crate::transport::dense::{c64, hermitian_eigen, CMat, Lu, C64};
use crate::transport::neutrality::contour::{fermi_sea_contour, NeutralityOptions};
use crate::transport::neutrality::mulliken::{shifted_overlap, OverlapSea};
use crate::transport::problem::scattering::{SparseMatrix, TransportProblem};
use crate::transport::solver::decimation::lead_surface_decimation;
use crate::transport::solver::self_energy::couple;

/// The result: shifts per atom (eV), the charges they give, the Newton steps taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Neutrality {
    pub shifts: Vec<f64>,
    pub charges: Vec<f64>,
    pub iterations: usize,
}

/// Self-energies of both leads on S at one complex energy: (orbitals, Σ).
type NodeSigma = [(Vec<usize>, CMat); 2];

/// One transverse k-point of the Fermi sea: its weight, H_S(k) and the contour nodes with the
/// lead self-energies at k.
struct KSea {
    weight: f64,
    h_s: CMat,
    nodes: Vec<(C64, C64, NodeSigma)>,
}

/// The contour with the lead self-energies at its nodes (they do not depend on the shifts), at
/// every transverse k-point of the problem (the single point k = 0 without periodic
/// directions). Charges and their response are the k-weighted sums
///
///   N_i = Σ_k w_k N_i(k),   ∂N_i/∂δ_j = Σ_k w_k ∂N_i(k)/∂δ_j,
///
/// the Brillouin-zone average of the local density over the problem's k∥ mesh (time reversal
/// keeps a halved mesh exact: N_i(−k) = N_i(k) when H is real). The self-energies are stored:
/// 2 × (nodes) × (k-points) matrices of the coupled orbitals, e.g. 32 × 8 × 2 × 144² × 16 B
/// = 170 MB for a 2 × 2 fcc(001) lead cell on a halved 4 × 4 mesh.
pub struct FermiSea {
    ks: Vec<KSea>,
}

impl FermiSea {
    /// Prepare the contour at every k-point of the problem.
    pub fn new(problem: &TransportProblem, e_f: f64, opts: &NeutralityOptions) -> Result<Self> {
        if problem.overlap.is_some() {
            return Err(Error::run(
                "charge neutrality: a non-orthogonal basis (overlap) takes Mulliken charges (transport::mulliken)",
            ));
        }
        let contour = fermi_sea_contour(e_f - opts.depth, e_f, opts.nodes_per_panel);
        if let Some((z, _)) = contour.iter().find(|(z, _)| z.im < opts.min_eta) {
            return Err(Error::run(format!(
                "charge neutrality: contour node {z} too close to the real axis"
            )));
        }
        let mut ks = Vec::new();
        for kp in problem.kpoints_or_gamma() {
            let pk = problem.at_k(kp.k);
            let mut nodes = Vec::with_capacity(contour.len());
            for &(z, w) in &contour {
                let sig = |li: usize| -> Result<(Vec<usize>, CMat)> {
                    let l = &pk.leads[li];
                    let surf = lead_surface_decimation(&l.h00, &l.h01, z.re, z.im)?;
                    let c = couple(&l.coupling, &surf);
                    Ok((c.orbitals, c.sigma))
                };
                nodes.push((z, w, [sig(0)?, sig(1)?]));
            }
            ks.push(KSea {
                weight: kp.weight,
                h_s: pk.h_s.to_dense(),
                nodes,
            });
        }
        Ok(FermiSea { ks })
    }

    /// Charges N_i and the response ∂N_i/∂δ_j (row-major) at the given shifts.
    pub fn charges(&self, atoms: &[Range<usize>], shifts: &[f64]) -> Result<(Vec<f64>, Vec<f64>)> {
        let na = atoms.len();
        let mut q = vec![c64(0.0, 0.0); na];
        let mut resp = vec![c64(0.0, 0.0); na * na];
        for ksea in &self.ks {
            let n = ksea.h_s.nrows();
            let mut owner = vec![usize::MAX; n];
            for (a, r) in atoms.iter().enumerate() {
                for o in r.clone() {
                    owner[o] = a;
                }
            }
            for (z, w, sig) in &ksea.nodes {
                let w = *w * ksea.weight;
                let mut a = CMat::from_fn(n, n, |i, j| -ksea.h_s[(i, j)]);
                for i in 0..n {
                    a[(i, i)] += *z;
                    if owner[i] != usize::MAX {
                        a[(i, i)] -= c64(shifts[owner[i]], 0.0);
                    }
                }
                for (orb, s) in sig {
                    for (r, &i) in orb.iter().enumerate() {
                        for (c, &j) in orb.iter().enumerate() {
                            a[(i, j)] -= s[(r, c)];
                        }
                    }
                }
                let g = Lu::new(a.as_ref(), "charge neutrality: z − H − Σ")?.inverse();
                for i in 0..n {
                    let ai = owner[i];
                    if ai == usize::MAX {
                        continue;
                    }
                    q[ai] += w * g[(i, i)];
                    for j in 0..n {
                        let aj = owner[j];
                        if aj != usize::MAX {
                            resp[ai * na + aj] += w * g[(i, j)] * g[(j, i)];
                        }
                    }
                }
            }
        }
        let f = -2.0 / std::f64::consts::PI;
        Ok((
            q.iter().map(|x| f * x.im).collect(),
            resp.iter().map(|x| f * x.im).collect(),
        ))
    }
}

/// Shifts δ_i that make N_i = `target[i]` for the atoms (orbital ranges of S) at Fermi energy
/// `e_f`, by Newton's method from δ = 0 (Mulliken charges, [`super::mulliken`], where the
/// problem has an overlap).
pub fn neutralize(
    problem: &TransportProblem,
    atoms: &[Range<usize>],
    target: &[f64],
    e_f: f64,
    opts: &NeutralityOptions,
) -> Result<Neutrality> {
    neutralize_from(problem, atoms, target, e_f, opts, &vec![0.0; atoms.len()])
}

/// As [`neutralize`], starting from the shifts `initial` (e.g. those of a similar structure).
pub fn neutralize_from(
    problem: &TransportProblem,
    atoms: &[Range<usize>],
    target: &[f64],
    e_f: f64,
    opts: &NeutralityOptions,
    initial: &[f64],
) -> Result<Neutrality> {
    if initial.len() != atoms.len() {
        return Err(Error::run(format!(
            "charge neutrality: {} atoms but {} initial shifts",
            atoms.len(),
            initial.len()
        )));
    }
    check_atoms(atoms, target, problem.n_s(), "charge neutrality")?;
    if problem.overlap.is_some() {
        let sea = OverlapSea::new(problem, e_f, opts)?;
        return damped_newton(
            initial,
            target,
            opts.tol,
            opts.max_iter,
            opts.max_step,
            "Mulliken neutrality",
            |d| sea.charges(atoms, d),
        );
    }
    let sea = FermiSea::new(problem, e_f, opts)?;
    damped_newton(
        initial,
        target,
        opts.tol,
        opts.max_iter,
        opts.max_step,
        "charge neutrality",
        |d| sea.charges(atoms, d),
    )
}

/// Check that there is one target charge per atom and that every atom's orbital range is a
/// non-empty part of the `n_s` orbitals of S (`what` labels the errors).
pub(crate) fn check_atoms(
    atoms: &[Range<usize>],
    target: &[f64],
    n_s: usize,
    what: &str,
) -> Result<()> {
    if atoms.len() != target.len() {
        return Err(Error::run(format!(
            "{what}: {} atoms but {} target charges",
            atoms.len(),
            target.len()
        )));
    }
    if atoms.iter().any(|r| r.end > n_s || r.start >= r.end) {
        return Err(Error::run(format!(
            "{what}: an atom's orbital range is empty or outside S"
        )));
    }
    Ok(())
}

/// Damped Newton iteration for N(δ) = Z from δ = `initial`: `eval` gives N and the Jacobian ∂N_i/∂δ_j
/// (row-major). Each step J⁻¹(Z − N) is scaled to at most `max_step` per shift and halved
/// (up to 10 times) until it lowers ‖N − Z‖₂; the iteration stops when max |N_i − Z_i| < `tol`.
fn damped_newton(
    initial: &[f64],
    target: &[f64],
    tol: f64,
    max_iter: usize,
    max_step: f64,
    what: &str,
    mut eval: impl FnMut(&[f64]) -> Result<(Vec<f64>, Vec<f64>)>,
) -> Result<Neutrality> {
    let na = target.len();
    let resid = |c: &[f64]| -> (f64, f64) {
        let mut l2 = 0.0;
        let mut worst = 0.0f64;
        for (x, t) in c.iter().zip(target) {
            l2 += (x - t) * (x - t);
            worst = worst.max((x - t).abs());
        }
        (l2.sqrt(), worst)
    };
    let mut shifts = initial.to_vec();
    let (mut charges, mut resp) = eval(&shifts)?;
    for it in 0..=max_iter {
        let (norm, worst) = resid(&charges);
        log::debug!("{what}: step {it}, largest |N − Z| = {worst:.2e}");
        if worst < tol {
            return Ok(Neutrality {
                shifts,
                charges,
                iterations: it,
            });
        }
        if it == max_iter {
            break;
        }
        let j = nalgebra::DMatrix::from_row_slice(na, na, &resp);
        let r =
            nalgebra::DVector::from_iterator(na, charges.iter().zip(target).map(|(c, t)| t - c));
        let step = j
            .lu()
            .solve(&r)
            .ok_or_else(|| Error::run(format!("{what}: the charge response matrix is singular")))?;
        let big = step.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        let mut alpha = if big > max_step { max_step / big } else { 1.0 };
        let mut accepted = false;
        for _ in 0..=10 {
            let trial: Vec<f64> = shifts
                .iter()
                .zip(step.iter())
                .map(|(s, d)| s + alpha * d)
                .collect();
            let (c, jr) = eval(&trial)?;
            if resid(&c).0 < norm {
                shifts = trial;
                charges = c;
                resp = jr;
                accepted = true;
                break;
            }
            alpha *= 0.5;
        }
        if !accepted {
            return Err(Error::run(format!(
                "{what}: no Newton step lowers the charge error (largest |N − Z| = {worst:.2e})"
            )));
        }
    }
    Err(Error::run(format!(
        "{what} did not converge in {max_iter} Newton steps"
    )))
}

/// The problem with δ_i added to the on-site energies of atom i of S (with an overlap: the
/// shifts of [`super::mulliken::shifted_overlap`]).
pub fn shifted(
    problem: &TransportProblem,
    atoms: &[Range<usize>],
    shifts: &[f64],
) -> TransportProblem {
    if let Some(ov) = &problem.overlap {
        return shifted_overlap(problem, ov, atoms, shifts);
    }
    let mut p = problem.clone();
    let mut d = SparseMatrix::zeros(p.h_s.nrows, p.h_s.ncols);
    for (r, &s) in atoms.iter().zip(shifts) {
        for o in r.clone() {
            d.entries.push((o, o, c64(s, 0.0)));
        }
    }
    match p.h_s.terms.iter_mut().find(|(m, _)| *m == [0, 0]) {
        Some((_, b)) => b.entries.extend(d.entries),
        None => p.h_s.terms.push(([0, 0], d)),
    }
    p
}

/// Settings of the lead neutrality solver.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeadNeutralityOptions {
    /// q points on (0, π) (H(−q) = H(q)* for a real lead: the other half is their mirror).
    pub nq: usize,
    /// Smearing temperature k_B T of the occupations (eV).
    pub kt: f64,
    /// Largest |N_i − Z_i| accepted (electrons).
    pub tol: f64,
    /// Newton steps at most.
    pub max_iter: usize,
    /// Largest change of a shift per Newton step (eV).
    pub max_step: f64,
}

impl Default for LeadNeutralityOptions {
    fn default() -> Self {
        LeadNeutralityOptions {
            nq: 128,
            kt: 0.05,
            tol: 1e-4,
            max_iter: 30,
            max_step: 1.0,
        }
    }
}

fn fermi(e: f64, e_f: f64, kt: f64) -> f64 {
    let x = (e - e_f) / kt;
    if x > 40.0 {
        0.0
    } else if x < -40.0 {
        1.0
    } else {
        1.0 / (1.0 + x.exp())
    }
}

/// The blocks of a lead at the k∥ points of a mesh: (H00(k∥), H01(k∥), weight), weights
/// summing to 1; a lead without periodic transverse directions is the single entry
/// (H00, H01, 1).
pub type LeadKBlocks = [(CMat, CMat, f64)];

/// Charges of the atoms of a lead and their response to the shifts (row-major), summed over
/// the k∥ mesh and the q grid along the axis: q on (0, π) (mirrored) where H00 and H01 are
/// real, on (0, 2π) with twice the points otherwise.
fn lead_charges(
    blocks: &LeadKBlocks,
    atoms: &[Range<usize>],
    shifts: &[f64],
    e_f: f64,
    opts: &LeadNeutralityOptions,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let na = atoms.len();
    let mut q_i = vec![0.0; na];
    let mut resp = vec![0.0; na * na];
    for (h00, h01, wk) in blocks {
        let n = h00.nrows();
        let mut owner = vec![usize::MAX; n];
        for (a, r) in atoms.iter().enumerate() {
            for o in r.clone() {
                owner[o] = a;
            }
        }
        let real = (0..n).all(|i| (0..n).all(|j| h00[(i, j)].im == 0.0 && h01[(i, j)].im == 0.0));
        let (nq, span) = if real {
            (opts.nq, std::f64::consts::PI)
        } else {
            (2 * opts.nq, 2.0 * std::f64::consts::PI)
        };
        let w = 2.0 * wk / nq as f64;
        for iq in 0..nq {
            let q = span * (iq as f64 + 0.5) / nq as f64;
            let ph = c64(q.cos(), q.sin());
            let h = CMat::from_fn(n, n, |a, b| {
                let mut v = h00[(a, b)] + h01[(a, b)] * ph + h01[(b, a)].conj() * ph.conj();
                if a == b && owner[a] != usize::MAX {
                    v += c64(shifts[owner[a]], 0.0);
                }
                v
            });
            let (e, psi) = hermitian_eigen(h.as_ref(), "lead neutrality: bands")?;
            let f: Vec<f64> = e.iter().map(|&x| fermi(x, e_f, opts.kt)).collect();
            // M^i_{bb'} = Σ_{α∈i} ψ*_{bα} ψ_{b'α} for every atom i.
            let m: Vec<CMat> = atoms
                .iter()
                .map(|r| {
                    let p = psi.as_ref().subrows(r.start, r.end - r.start);
                    p.adjoint() * p
                })
                .collect();
            for (i, mi) in m.iter().enumerate() {
                for b in 0..n {
                    q_i[i] += w * f[b] * mi[(b, b)].re;
                }
            }
            // F_{bb'} = (f_b − f_b')/(E_b − E_b'), f'(E_b) on (near-)degenerate pairs.
            let ff = CMat::from_fn(n, n, |b, c| {
                let de = e[b] - e[c];
                let v = if de.abs() > 1e-9 {
                    (f[b] - f[c]) / de
                } else {
                    -f[b] * (1.0 - f[b]) / opts.kt
                };
                c64(v, 0.0)
            });
            // J_ij = Σ_{bb'} F_{bb'} M^i_{bb'} M^j_{b'b} = Σ F_{bb'} M^i_{bb'} conj(M^j_{bb'}) (M^j
            // is Hermitian): one product of the rows vec(F ∘ M^i) and vec(M^j).
            let nn = n * n;
            let a = CMat::from_fn(na, nn, |i, k| ff[(k % n, k / n)] * m[i][(k % n, k / n)]);
            let b = CMat::from_fn(na, nn, |j, k| m[j][(k % n, k / n)]);
            let jq = a.as_ref() * b.adjoint();
            for i in 0..na {
                for j in 0..na {
                    resp[i * na + j] += w * jq[(i, j)].re;
                }
            }
        }
    }
    Ok((q_i, resp))
}

/// Shifts δ_i of the atoms of a lead's principal layer (orbital ranges of H00) that make every
/// atom hold `target[i]` electrons at `e_f`, by Newton's method from δ = 0.
pub fn neutral_lead(
    h00: &CMat,
    h01: &CMat,
    atoms: &[Range<usize>],
    target: &[f64],
    e_f: f64,
    opts: &LeadNeutralityOptions,
) -> Result<Neutrality> {
    neutral_lead_kmesh(&[(h00.clone(), h01.clone(), 1.0)], atoms, target, e_f, opts)
}

/// As [`neutral_lead`] for a lead periodic across the axis: the charges are averaged over the
/// k∥ mesh of `blocks` (a halved mesh is exact: the q grid covers (0, 2π) where H(k∥) is
/// complex, so N_i(k∥) = N_i(−k∥)).
pub fn neutral_lead_kmesh(
    blocks: &LeadKBlocks,
    atoms: &[Range<usize>],
    target: &[f64],
    e_f: f64,
    opts: &LeadNeutralityOptions,
) -> Result<Neutrality> {
    let n = blocks.first().map_or(0, |b| b.0.nrows());
    if atoms.len() != target.len() || atoms.iter().any(|r| r.end > n || r.start >= r.end) {
        return Err(Error::run(
            "lead neutrality: atoms and target charges do not match the lead layer",
        ));
    }
    let wsum: f64 = blocks.iter().map(|b| b.2).sum();
    if (wsum - 1.0).abs() > 1e-9 {
        return Err(Error::run(format!(
            "lead neutrality: k-point weights sum to {wsum}, expected 1"
        )));
    }
    if opts.nq == 0 || opts.kt.is_nan() || opts.kt <= 0.0 {
        return Err(Error::run(
            "lead neutrality: needs q points and a positive smearing temperature",
        ));
    }
    damped_newton(
        &vec![0.0; atoms.len()],
        target,
        opts.tol,
        opts.max_iter,
        opts.max_step,
        "lead neutrality",
        |d| lead_charges(blocks, atoms, d, e_f, opts),
    )
}

/// The problem with δ_i added to the on-site energies of atom i of lead `side`'s layer (every
/// layer of the lead, H00).
pub fn shifted_lead(
    problem: &TransportProblem,
    side: usize,
    atoms: &[Range<usize>],
    shifts: &[f64],
) -> TransportProblem {
    let mut p = problem.clone();
    let h00 = &mut p.leads[side].h00;
    let mut d = SparseMatrix::zeros(h00.nrows, h00.ncols);
    for (r, &s) in atoms.iter().zip(shifts) {
        for o in r.clone() {
            d.entries.push((o, o, c64(s, 0.0)));
        }
    }
    match h00.terms.iter_mut().find(|(m, _)| *m == [0, 0]) {
        Some((_, b)) => b.entries.extend(d.entries),
        None => h00.terms.push(([0, 0], d)),
    }
    p
}

/// A problem made neutral: its leads' and its scattering region's shifts, and the shifted
/// problem.
#[derive(Clone, Debug)]
pub struct NeutralProblem {
    pub problem: TransportProblem,
    /// Per-atom shifts of each lead's layer [L, R] (eV).
    pub lead_shifts: [Vec<f64>; 2],
    /// Per-atom shifts of the scattering region (eV).
    pub shifts: Vec<f64>,
}

/// Make both leads neutral ([`neutral_lead_kmesh`]) and then the scattering region
/// ([`neutralize`]) at `e_f`, for a problem whose scattering region and lead layers consist of
/// atoms of `orbitals` consecutive orbitals each (as
/// [`crate::transport::problem::supercell::build_problem`] and
/// [`crate::transport::problem::supercell::build_supercell_problem`] order them), every atom
/// with `valence` electrons; charges are averaged over the problem's k∥ mesh where it has one.
pub fn neutral_problem(
    problem: &TransportProblem,
    orbitals: usize,
    valence: f64,
    e_f: f64,
    lead_opts: &LeadNeutralityOptions,
    opts: &NeutralityOptions,
) -> Result<NeutralProblem> {
    let ranges = |n: usize| -> Result<Vec<Range<usize>>> {
        if orbitals == 0 || !n.is_multiple_of(orbitals) {
            return Err(Error::run(format!(
                "charge neutrality: {n} orbitals are not whole atoms of {orbitals} orbitals"
            )));
        }
        Ok((0..n / orbitals)
            .map(|i| orbitals * i..orbitals * (i + 1))
            .collect())
    };
    let kpoints = problem.kpoints_or_gamma();
    let mut p = problem.clone();
    let mut lead_shifts = [Vec::new(), Vec::new()];
    for (side, out) in lead_shifts.iter_mut().enumerate() {
        let l = &problem.leads[side];
        let atoms = ranges(l.n_layer())?;
        let target = vec![valence; atoms.len()];
        let blocks: Vec<(CMat, CMat, f64)> = kpoints
            .iter()
            .map(|kp| (l.h00.dense_at_k(kp.k), l.h01.dense_at_k(kp.k), kp.weight))
            .collect();
        let r = neutral_lead_kmesh(&blocks, &atoms, &target, e_f, lead_opts)?;
        p = shifted_lead(&p, side, &atoms, &r.shifts);
        *out = r.shifts;
    }
    let atoms = ranges(p.n_s())?;
    let target = vec![valence; atoms.len()];
    let r = neutralize(&p, &atoms, &target, e_f, opts)?;
    Ok(NeutralProblem {
        problem: shifted(&p, &atoms, &r.shifts),
        lead_shifts,
        shifts: r.shifts,
    })
}
