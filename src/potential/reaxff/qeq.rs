//! Charge equilibration of ReaxFF (QEq; Rappé and Goddard, J. Phys. Chem. 95, 3358 (1991),
//! with shielded Coulomb as Janssens et al., and the solver of Aktulga et al., Parallel
//! Computing 38, 245 (2012)), as LAMMPS `fix qeq/reaxff` computes it, as a pre-force hook.
//!
//! The charges minimise E(q) = Σ_i (χ_i q_i + ½ η_i q_i²) + Σ_{i<j} H_ij q_i q_j at fixed
//! total charge, with the shielded, tapered Coulomb kernel
//!
//! H_ij = Tap(r_ij) · 14.4 eV Å / (r_ij³ + (γ_i γ_j)^(−3/2))^(1/3),  r_ij ≤ r_b,
//!
//! where η_i is twice the ffield's value (as LAMMPS stores it), 14.4 is LAMMPS's
//! `EV_TO_KCAL_PER_MOL` of the solve, and Tap is the 7th-order taper between r_a and r_b. The
//! minimum follows from two linear solves, H s = −χ and H t = −1, and q = s − (Σs / Σt) t.
//! Each solve is a Jacobi-preconditioned conjugate gradient that stops when
//! √(rᵀ D⁻¹ r) / ‖b‖ ≤ tolerance, started from LAMMPS's extrapolation of the last four
//! solutions (cubic for s, quadratic for t; the histories are per-atom fields that migrate with
//! their atoms). H is applied over the half neighbour list: each pair adds to both ends, ghost
//! ends are summed back to their owners, and every dot product is a global sum, so the result
//! does not depend on the rank count beyond round-off.

use crate::dynamics::hooks::Hook;
use crate::dynamics::Md;
use crate::error::{Error, Result};
use crate::neighbor::{ListRequest, ListSet, NeighborList};
use crate::parallel::Comm;
use crate::potential::reaxff::ForceField;
use crate::system::{charge_field, Atoms, FieldId, FieldSpec, ECHEMDID_PHI};

/// LAMMPS's Coulomb constant of the QEq solve, eV Å.
pub const QEQ_COULOMB_EV_A: f64 = 14.4;

/// Electronegativity, hardness and shielding of each atom type.
#[derive(Clone, Debug, PartialEq)]
pub struct QeqParams {
    /// χ per type, eV.
    pub chi: Vec<f64>,
    /// η per type, eV (twice the ffield's column, as LAMMPS stores it).
    pub eta: Vec<f64>,
    /// γ per type, 1/Å.
    pub gamma: Vec<f64>,
}

impl QeqParams {
    /// The parameters of a force field for the atom types whose elements are `map` (indices
    /// into the file's elements, as [`ForceField::for_elements`] gives them).
    pub fn from_force_field(ff: &ForceField, map: &[usize]) -> QeqParams {
        let e = |k: usize| &ff.elements[k];
        QeqParams {
            chi: map.iter().map(|&k| e(k).chi).collect(),
            eta: map.iter().map(|&k| e(k).eta).collect(),
            gamma: map.iter().map(|&k| e(k).gamma).collect(),
        }
    }
}

/// The 7th-order taper of ReaxFF between `a` and `b` (Å): coefficients of Tap(r) = Σ c_k r^k,
/// with Tap(a) = 1, Tap(b) = 0 and the first three derivatives zero at both ends.
pub fn taper_coefficients(a: f64, b: f64) -> [f64; 8] {
    let d7 = (b - a).powi(7);
    let (a2, a3, b2, b3) = (a * a, a * a * a, b * b, b * b * b);
    [
        (-35.0 * a3 * b2 * b2 + 21.0 * a2 * b3 * b2 - 7.0 * a * b3 * b3 + b3 * b3 * b) / d7,
        140.0 * a3 * b3 / d7,
        -210.0 * (a3 * b2 + a2 * b3) / d7,
        140.0 * (a3 * b + 3.0 * a2 * b2 + a * b3) / d7,
        -35.0 * (a3 + 9.0 * a2 * b + 9.0 * a * b2 + b3) / d7,
        84.0 * (a2 + 3.0 * a * b + b2) / d7,
        -70.0 * (a + b) / d7,
        20.0 / d7,
    ]
}

/// Charge equilibration as a step hook (LAMMPS `fix qeq/reaxff 1 r_a r_b tol reaxff`).
pub struct Qeq {
    params: QeqParams,
    /// (γ_i γ_j)^(−3/2) of every type pair (`ti · ntypes + tj`).
    shielding: Vec<f64>,
    taper: [f64; 8],
    cut: f64,
    /// Relative residual at which CG stops, and its iteration cap (LAMMPS `maxiter`, 200).
    pub tolerance: f64,
    pub max_iterations: usize,
    /// Non-convergence is an error (else a warning).
    pub strict: bool,
    /// CG iterations of the last solve for s and for t (LAMMPS `f_q` is their mean).
    pub iterations: (usize, usize),
    fields: Option<[FieldId; 3]>,
    pairs: Vec<(u32, u32, f64)>,
    work: Work,
}

/// The vectors of the solves, kept between steps so that a step does not allocate: the
/// solutions and right-hand sides of s and t, interleaved (2 per atom), the inverse diagonal,
/// and CG's residual, direction, H·direction and preconditioned residual (interleaved).
#[derive(Default)]
struct Work {
    x: Vec<f64>,
    b: Vec<f64>,
    inv: Vec<f64>,
    r: Vec<f64>,
    d: Vec<f64>,
    q: Vec<f64>,
    p: Vec<f64>,
}

impl Qeq {
    /// QEq with per-type parameters, the taper between `r_a` and `r_b` (Å) and the CG
    /// tolerance; errors on parameters that leave H singular.
    pub fn new(params: QeqParams, r_a: f64, r_b: f64, tolerance: f64) -> Result<Qeq> {
        let n = params.chi.len();
        let positive = |v: &[f64]| v.len() == n && v.iter().all(|&x| x > 0.0);
        if !positive(&params.eta) || !positive(&params.gamma) {
            return Err(Error::run(
                "qeq: every type needs a χ, an η > 0 and a γ > 0",
            ));
        }
        let taper_ok = r_a >= 0.0 && r_b > r_a && tolerance > 0.0;
        if !taper_ok {
            return Err(Error::run(format!(
                "qeq: taper {r_a}..{r_b} Å and tolerance {tolerance}: expected 0 ≤ r_a < r_b \
                 and a positive tolerance"
            )));
        }
        let g = &params.gamma;
        let shielding = g
            .iter()
            .flat_map(|a| g.iter().map(move |b| (a * b).powf(-1.5)));
        Ok(Qeq {
            shielding: shielding.collect(),
            params,
            taper: taper_coefficients(r_a, r_b),
            cut: r_b,
            tolerance,
            max_iterations: 200,
            strict: false,
            iterations: (0, 0),
            fields: None,
            pairs: Vec::new(),
            work: Work::default(),
        })
    }

    /// H_ij of a pair at distance r (Å) with shielding (γ_i γ_j)^(−3/2).
    fn kernel(&self, r: f64, shielding: f64) -> f64 {
        let tap = self.taper.iter().rev().fold(0.0, |acc, c| acc * r + c);
        tap * QEQ_COULOMB_EV_A / (r * r * r + shielding).cbrt()
    }

    /// The pairs within r_b of the half list, with their H_ij.
    fn fill_pairs(&mut self, atoms: &Atoms, list: &NeighborList) {
        self.pairs.clear();
        let nt = self.params.gamma.len();
        for i in 0..atoms.nlocal {
            let xi = atoms.x[i];
            for &j in list.of(i) {
                let xj = atoms.x[j as usize];
                let d = [xj[0] - xi[0], xj[1] - xi[1], xj[2] - xi[2]];
                let rsq = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                if rsq <= self.cut * self.cut {
                    let (ti, tj) = (atoms.typ[i] as usize, atoms.typ[j as usize] as usize);
                    let h = self.kernel(rsq.sqrt(), self.shielding[ti * nt + tj]);
                    self.pairs.push((i as u32, j, h));
                }
            }
        }
    }

    /// y = H x for the two interleaved vectors of x (s and t side by side: 2 values per atom)
    /// over the owned atoms; x must be current on the ghosts. One pass over the pairs serves
    /// both solves.
    fn matvec2(&self, atoms: &Atoms, x: &[f64], y: &mut [f64], comm: &mut Comm) {
        for i in 0..atoms.nlocal {
            let e = self.params.eta[atoms.typ[i] as usize];
            y[2 * i] = e * x[2 * i];
            y[2 * i + 1] = e * x[2 * i + 1];
        }
        y[2 * atoms.nlocal..].fill(0.0);
        for &(i, j, h) in &self.pairs {
            let (i, j) = (2 * i as usize, 2 * j as usize);
            y[i] += h * x[j];
            y[i + 1] += h * x[j + 1];
            y[j] += h * x[i];
            y[j + 1] += h * x[i + 1];
        }
        comm.reverse(y, 2);
    }

    /// Jacobi-preconditioned CG (LAMMPS `FixQEqReaxFF::CG`) on the two systems H s = b_s and
    /// H t = b_t at once (LAMMPS's `dual` CG): each keeps its own step lengths and stops on its
    /// own residual, so the iterates and counts are those of two separate solves, while every
    /// pass over the pairs, halo exchange and global sum serves both. x and b hold the two
    /// interleaved (2 values per atom); returns the iteration counts and final relative
    /// residuals.
    fn cg2(&self, atoms: &Atoms, w: &mut Work, comm: &mut Comm) -> ([usize; 2], [f64; 2]) {
        let n = atoms.nlocal;
        let Work {
            x,
            b,
            inv,
            r,
            d,
            q,
            p,
        } = w;
        let dot2 = |a: &[f64], b: &[f64], comm: &Comm| {
            let mut s = [0.0; 2];
            for i in 0..n {
                s[0] += a[2 * i] * b[2 * i];
                s[1] += a[2 * i + 1] * b[2 * i + 1];
            }
            comm.sum(&mut s);
            s
        };
        comm.forward(x, 2);
        self.matvec2(atoms, x, q, comm);
        for (i, &inv_i) in inv.iter().enumerate().take(n) {
            for k in [2 * i, 2 * i + 1] {
                r[k] = b[k] - q[k];
                d[k] = r[k] * inv_i;
            }
        }
        let bb = dot2(b, b, comm);
        let b_norm = [bb[0].sqrt(), bb[1].sqrt()];
        let mut sig = dot2(r, d, comm);
        let mut it = [1usize; 2];
        loop {
            let active = [0, 1]
                .map(|c| it[c] < self.max_iterations && sig[c].sqrt() / b_norm[c] > self.tolerance);
            if !active[0] && !active[1] {
                break;
            }
            comm.forward(d, 2);
            self.matvec2(atoms, d, q, comm);
            let dq = dot2(d, q, comm);
            let alpha = [sig[0] / dq[0], sig[1] / dq[1]];
            for (i, &inv_i) in inv.iter().enumerate().take(n) {
                for c in (0..2).filter(|&c| active[c]) {
                    let k = 2 * i + c;
                    x[k] += alpha[c] * d[k];
                    r[k] -= alpha[c] * q[k];
                    p[k] = r[k] * inv_i;
                }
            }
            let sig_new = dot2(r, p, comm);
            for c in (0..2).filter(|&c| active[c]) {
                let beta = sig_new[c] / sig[c];
                sig[c] = sig_new[c];
                for i in 0..n {
                    let k = 2 * i + c;
                    d[k] = p[k] + beta * d[k];
                }
                it[c] += 1;
            }
        }
        (it, [0, 1].map(|c| sig[c].sqrt() / b_norm[c]))
    }

    /// Equilibrate the charges of `atoms` (the charge field, registered if absent) with the
    /// pairs of the half list `list` within the cutoff.
    pub fn solve(&mut self, atoms: &mut Atoms, list: &NeighborList, comm: &mut Comm) -> Result<()> {
        self.fill_pairs(atoms, list);
        self.equilibrate(atoms, comm)
    }

    /// Equilibrate the charges with the pairs [`Self::solve`] has set.
    fn equilibrate(&mut self, atoms: &mut Atoms, comm: &mut Comm) -> Result<()> {
        let [qf, sh, th] = match self.fields {
            Some(f) => f,
            None => {
                let reg = |atoms: &mut Atoms, spec| atoms.register_field(spec).map_err(Error::run);
                let f = [
                    reg(atoms, charge_field())?,
                    reg(atoms, history("qeq_s_hist"))?,
                    reg(atoms, history("qeq_t_hist"))?,
                ];
                self.fields = Some(f);
                f
            }
        };
        let (n, nall) = (atoms.nlocal, atoms.nall());
        let mut w = std::mem::take(&mut self.work);
        for v in [&mut w.x, &mut w.b, &mut w.r, &mut w.d, &mut w.q, &mut w.p] {
            v.clear();
            v.resize(2 * nall, 0.0);
        }
        w.inv.clear();
        w.inv.resize(nall, 0.0);
        let (s_hist, t_hist) = (atoms.fields.get(sh), atoms.fields.get(th));
        let phi = atoms.fields.find(ECHEMDID_PHI).map(|f| atoms.fields.get(f));
        for i in 0..n {
            let ty = atoms.typ[i] as usize;
            // EChemDID's local potential shifts the electronegativity: b = −χ − Φ.
            w.b[2 * i] = -self.params.chi[ty] - phi.map_or(0.0, |p| p[i]);
            w.b[2 * i + 1] = -1.0;
            w.inv[i] = 1.0 / self.params.eta[ty];
            let (a, b) = (&s_hist[4 * i..4 * i + 4], &t_hist[4 * i..4 * i + 4]);
            w.x[2 * i] = 4.0 * (a[0] + a[2]) - (6.0 * a[1] + a[3]);
            w.x[2 * i + 1] = b[2] + 3.0 * (b[0] - b[1]);
        }
        let (its, res) = self.cg2(atoms, &mut w, comm);
        let (is, it) = (its[0], its[1]);
        let (rs, rt) = (res[0], res[1]);
        self.iterations = (is, it);
        let mut sums = [0.0; 2];
        for i in 0..n {
            sums[0] += w.x[2 * i];
            sums[1] += w.x[2 * i + 1];
        }
        comm.sum(&mut sums);
        let u = sums[0] / sums[1];
        for (hist, c) in [(sh, 0), (th, 1)] {
            let h = atoms.fields.get_mut(hist);
            for i in 0..n {
                h.copy_within(4 * i..4 * i + 3, 4 * i + 1);
                h[4 * i] = w.x[2 * i + c];
            }
        }
        let q = atoms.fields.get_mut(qf);
        for (i, qi) in q.iter_mut().enumerate().take(n) {
            *qi = w.x[2 * i] - u * w.x[2 * i + 1];
        }
        self.work = w;
        comm.forward_field(atoms, qf);
        for (what, k, res) in [("s", is, rs), ("t", it, rt)] {
            if k >= self.max_iterations {
                let msg = format!(
                    "qeq: the {what} solve did not converge: {k} iterations, relative residual \
                     {res:.3e} > {:.1e}",
                    self.tolerance
                );
                if self.strict {
                    return Err(Error::run(msg));
                }
                log::warn!("{msg}");
            }
        }
        Ok(())
    }
}

/// A per-atom history of the last four solutions: migrates with its atom, not on ghosts.
fn history(name: &str) -> FieldSpec {
    FieldSpec {
        width: 4,
        ..FieldSpec::scalar(name, true, false)
    }
}

impl Hook<Md> for Qeq {
    fn name(&self) -> &str {
        "QEq"
    }

    fn neighbor_requests(&self) -> Vec<ListRequest> {
        vec![ListRequest::half(self.cut)]
    }

    fn pre_force(&mut self, md: &mut Md, lists: ListSet) -> Result<()> {
        let list = &md.lists.get(lists)[0];
        let mut comm = Comm::new(&mut md.ghosts, &md.world);
        self.solve(&mut md.atoms, list, &mut comm)
    }
}
