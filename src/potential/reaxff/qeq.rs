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
use crate::system::{charge_field, Atoms, FieldId, FieldSpec};

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
/// solutions and right-hand sides of s and t, the inverse diagonal, and CG's residual,
/// direction, H·direction and preconditioned residual.
#[derive(Default)]
struct Work {
    s: Vec<f64>,
    t: Vec<f64>,
    b_s: Vec<f64>,
    b_t: Vec<f64>,
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

    /// y = H x over owned atoms; x must be current on the ghosts.
    fn matvec(&self, atoms: &Atoms, x: &[f64], y: &mut [f64], comm: &mut Comm) {
        for i in 0..atoms.nlocal {
            y[i] = self.params.eta[atoms.typ[i] as usize] * x[i];
        }
        y[atoms.nlocal..].fill(0.0);
        for &(i, j, h) in &self.pairs {
            let (i, j) = (i as usize, j as usize);
            y[i] += h * x[j];
            y[j] += h * x[i];
        }
        comm.reverse(y, 1);
    }

    /// Jacobi-preconditioned CG on H x = b from the guess in x (LAMMPS `FixQEqReaxFF::CG`),
    /// with the inverse diagonal `inv` and the work vectors r, d, q, p (length of the atoms
    /// held); returns its iteration count and the final relative residual.
    fn cg(
        &self,
        atoms: &Atoms,
        b: &[f64],
        x: &mut [f64],
        w: &mut Work,
        comm: &mut Comm,
    ) -> (usize, f64) {
        let n = atoms.nlocal;
        let Work {
            inv, r, d, q, p, ..
        } = w;
        let dot = |a: &[f64], b: &[f64], comm: &Comm| {
            let mut s = [a[..n].iter().zip(&b[..n]).map(|(x, y)| x * y).sum::<f64>()];
            comm.sum(&mut s);
            s[0]
        };
        comm.forward(x, 1);
        self.matvec(atoms, x, q, comm);
        for i in 0..n {
            r[i] = b[i] - q[i];
            d[i] = r[i] * inv[i];
        }
        let b_norm = dot(b, b, comm).sqrt();
        let mut sig_new = dot(r, d, comm);
        let mut it = 1;
        while it < self.max_iterations && sig_new.sqrt() / b_norm > self.tolerance {
            comm.forward(d, 1);
            self.matvec(atoms, d, q, comm);
            let alpha = sig_new / dot(d, q, comm);
            for i in 0..n {
                x[i] += alpha * d[i];
                r[i] -= alpha * q[i];
                p[i] = r[i] * inv[i];
            }
            let sig_old = sig_new;
            sig_new = dot(r, p, comm);
            let beta = sig_new / sig_old;
            for i in 0..n {
                d[i] = p[i] + beta * d[i];
            }
            it += 1;
        }
        (it, sig_new.sqrt() / b_norm)
    }

    /// Equilibrate the charges of `atoms` (the charge field, registered if absent).
    pub fn solve(&mut self, atoms: &mut Atoms, list: &NeighborList, comm: &mut Comm) -> Result<()> {
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
        self.fill_pairs(atoms, list);
        let (n, nall) = (atoms.nlocal, atoms.nall());
        let mut w = std::mem::take(&mut self.work);
        for v in [
            &mut w.s, &mut w.t, &mut w.b_s, &mut w.inv, &mut w.r, &mut w.d, &mut w.q, &mut w.p,
        ] {
            v.clear();
            v.resize(nall, 0.0);
        }
        w.b_t.clear();
        w.b_t.resize(nall, -1.0);
        let (s_hist, t_hist) = (atoms.fields.get(sh), atoms.fields.get(th));
        for i in 0..n {
            let ty = atoms.typ[i] as usize;
            w.b_s[i] = -self.params.chi[ty];
            w.inv[i] = 1.0 / self.params.eta[ty];
            let (a, b) = (&s_hist[4 * i..4 * i + 4], &t_hist[4 * i..4 * i + 4]);
            w.s[i] = 4.0 * (a[0] + a[2]) - (6.0 * a[1] + a[3]);
            w.t[i] = b[2] + 3.0 * (b[0] - b[1]);
        }
        let (mut s, mut t) = (std::mem::take(&mut w.s), std::mem::take(&mut w.t));
        let (b_s, b_t) = (std::mem::take(&mut w.b_s), std::mem::take(&mut w.b_t));
        let (is, rs) = self.cg(atoms, &b_s, &mut s, &mut w, comm);
        let (it, rt) = self.cg(atoms, &b_t, &mut t, &mut w, comm);
        self.iterations = (is, it);
        let mut sums = [s[..n].iter().sum::<f64>(), t[..n].iter().sum::<f64>()];
        comm.sum(&mut sums);
        let u = sums[0] / sums[1];
        for (hist, v) in [(sh, &s), (th, &t)] {
            let h = atoms.fields.get_mut(hist);
            for i in 0..n {
                h.copy_within(4 * i..4 * i + 3, 4 * i + 1);
                h[4 * i] = v[i];
            }
        }
        let q = atoms.fields.get_mut(qf);
        for i in 0..n {
            q[i] = s[i] - u * t[i];
        }
        (w.s, w.t, w.b_s, w.b_t) = (s, t, b_s, b_t);
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
