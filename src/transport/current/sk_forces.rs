//! Current-induced forces for the spd Slater–Koster models (`transport::model::slater_koster`,
//! orthogonal; `transport::model::dftb`, with an overlap): the analytic force operators
//! F̂_ν = −∂H/∂R_ν and ∂S/∂R_ν from the two-centre blocks ([`super::two_centre`]), the
//! energy-weighted density matrix of the steady state and the forces
//!
//!   F_ν = Tr{ρ F̂_ν} + Tr{ρ_E ∂S/∂R_ν},   ρ_E = ∫ E (f_L D_L + f_R D_R) dE,
//!
//! the non-orthogonal NEGF force with its Pulay term (M. Brandbyge, J.-L. Mozos, P. Ordejón,
//! J. Taylor and K. Stokbro, Phys. Rev. B 65, 165401 (2002), Sec. II E: the energy density
//! matrix of the non-equilibrium state replaces the equilibrium one; T. N. Todorov, J. Phys.:
//! Condens. Matter 14, 3049 (2002) for the orthogonal case, seed 004 Eq. 4). At zero bias it is
//! −dΩ/dR of the band grand potential at fixed μ (Ω = Σ_n f_n (ε_n − μ), whose derivative is
//! Σ_n f_n c_n†(∂H − ε_n ∂S)c_n); under bias it is not conservative. These models have no pair
//! potential (the transport models carry the band part only), so there is no pair force.
//!
//! ρ_E is split like ρ ([`super::steady_state`]): ρ_E = ρ_E,eq(μ) + Σ_i ∫ E (f_i − f_μ) D_i dE,
//! the equilibrium part the contour integral of z G(z) (analytic in the upper half plane),
//! the window on the real axis.
//!
//! Scope: a k-independent problem; the mobile atoms must not couple (H or S) to a lead, so that
//! every bond they move lies inside the device and Σ does not depend on them (checked).

use std::f64::consts::PI;

use faer::Scale;

use crate::error::{Error, Result};
use crate::transport::current::bond_model::Dof;
use crate::transport::current::open_system::OpenSystem;
use crate::transport::current::steady_state::{
    equilibrium_integral_z, integrate_window, Accuracy, Reservoirs, SPIN,
};
use crate::transport::current::two_centre::{block_gradient, TwoCentre};
use crate::transport::dense::{c64, CMat, C64, I};
use crate::transport::model::slater_koster::ORBITALS;
use crate::transport::problem::scattering::TransportProblem;

/// The steady state's ρ and its energy-weighted ρ_E (spin included).
#[derive(Clone, Debug)]
pub struct WeightedDensity {
    /// ρ (n × n).
    pub rho: CMat,
    /// ρ_E = ∫ E (f_L D_L + f_R D_R) dE (eV).
    pub rho_e: CMat,
}

/// ρ and ρ_E of Eq. (3) and its energy-weighted companion for the reservoirs `res`.
pub fn weighted_density(
    sys: &OpenSystem,
    res: &Reservoirs,
    acc: &Accuracy,
) -> Result<WeightedDensity> {
    let n = sys.n();
    let nn = n * n;
    let x = equilibrium_integral_z(sys, res, acc, &[nn, nn], |z, g| {
        let mut v = Vec::with_capacity(2 * nn);
        v.extend((0..nn).map(|k| g[(k % n, k / n)]));
        v.extend((0..nn).map(|k| g[(k % n, k / n)] * z));
        v
    })?;
    let eq = |o: usize| {
        CMat::from_fn(n, n, |i, j| {
            (x[o + i * n + j].conj() - x[o + j * n + i]) / (2.0 * PI * I) * SPIN
        })
    };
    let (mut rho, mut rho_e) = (eq(0), eq(nn));
    if res.bias_v != 0.0 {
        let w = integrate_window(sys, res, acc, &[nn, nn], |e: f64| {
            let wt = res.window_weights(e);
            if wt == [0.0, 0.0] {
                return Ok(vec![c64(0.0, 0.0); 2 * nn]);
            }
            let ra = sys.green_real(e)?;
            let mut d = CMat::zeros(n, n);
            for (psi, wi) in ra.psi.iter().zip(wt) {
                if wi != 0.0 {
                    d += (psi * psi.adjoint()) * Scale(c64(wi / (2.0 * PI), 0.0));
                }
            }
            let mut v = Vec::with_capacity(2 * nn);
            v.extend((0..nn).map(|k| d[(k % n, k / n)]));
            v.extend((0..nn).map(|k| d[(k % n, k / n)] * e));
            Ok(v)
        })?;
        for j in 0..n {
            for i in 0..n {
                rho[(i, j)] += w[j * n + i] * SPIN;
                rho_e[(i, j)] += w[nn + j * n + i] * SPIN;
            }
        }
    }
    Ok(WeightedDensity { rho, rho_e })
}

/// The device's atoms under a two-centre spd model, nine orbitals each in atom order, with
/// the mobile ones.
pub struct SkDevice<'a, M: TwoCentre + ?Sized> {
    pub(super) model: &'a M,
    pub(super) positions: Vec<[f64; 3]>,
    /// The mobile degrees of freedom (site = atom index), three per mobile atom, in the order
    /// of forces and K.
    pub dofs: Vec<Dof>,
}

impl<'a, M: TwoCentre + ?Sized> SkDevice<'a, M> {
    /// The device of `problem` (built from these atoms in this order) with `mobile` atoms;
    /// errors when the orbital count does not match or a mobile atom couples to a lead.
    pub fn new(
        model: &'a M,
        positions: Vec<[f64; 3]>,
        mobile: &[usize],
        problem: &TransportProblem,
    ) -> Result<Self> {
        if positions.len() * ORBITALS != problem.n_s() {
            return Err(Error::run(format!(
                "spd forces: {} atoms × {ORBITALS} orbitals ≠ {} device orbitals",
                positions.len(),
                problem.n_s()
            )));
        }
        let mut coupled: Vec<usize> = Vec::new();
        for l in &problem.leads {
            coupled.extend(l.coupling.pattern().into_iter().map(|e| e.0 / ORBITALS));
        }
        if let Some(o) = &problem.overlap {
            for l in &o.leads {
                coupled.extend(l.coupling.pattern().into_iter().map(|e| e.0 / ORBITALS));
            }
        }
        for &a in mobile {
            if a >= positions.len() {
                return Err(Error::run(format!(
                    "spd forces: mobile atom {a} is not in the device of {} atoms",
                    positions.len()
                )));
            }
            if coupled.contains(&a) {
                return Err(Error::run(format!(
                    "spd forces: mobile atom {a} couples to a lead; enlarge the device"
                )));
            }
        }
        let dofs = mobile
            .iter()
            .flat_map(|&site| (0..3).map(move |axis| Dof { site, axis }))
            .collect();
        Ok(SkDevice {
            model,
            positions,
            dofs,
        })
    }

    /// ∂H/∂R_ν (`overlap` false) or ∂S/∂R_ν for every mobile dof (n × n, real): for the
    /// ordered pair (i, j) the block E(r_j − r_i) moves with +∂E/∂b at j and −∂E/∂b at i.
    pub fn derivative_operators(&self, overlap: bool) -> Vec<CMat> {
        let n = self.positions.len() * ORBITALS;
        let mut ops = vec![CMat::zeros(n, n); self.dofs.len()];
        for i in 0..self.positions.len() {
            for j in 0..self.positions.len() {
                let touching: Vec<(usize, f64, usize)> = self
                    .dofs
                    .iter()
                    .enumerate()
                    .filter_map(|(k, d)| match d.site {
                        s if s == j && i != j => Some((k, 1.0, d.axis)),
                        s if s == i && i != j => Some((k, -1.0, d.axis)),
                        _ => None,
                    })
                    .collect();
                if touching.is_empty() {
                    continue;
                }
                let (a, b) = (self.positions[i], self.positions[j]);
                let bond = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
                let Some(grad) = block_gradient(self.model, overlap, bond) else {
                    continue;
                };
                for (k, sign, axis) in touching {
                    let g = &grad[axis];
                    for p in 0..ORBITALS {
                        for q in 0..ORBITALS {
                            ops[k][(i * ORBITALS + p, j * ORBITALS + q)] +=
                                c64(sign * g[p][q], 0.0);
                        }
                    }
                }
            }
        }
        ops
    }

    /// F_ν = −Tr{ρ ∂H/∂R_ν} + Tr{ρ_E ∂S/∂R_ν} (eV/Å); the Pulay term only with an overlap.
    pub fn forces(&self, d: &WeightedDensity) -> Vec<f64> {
        let trace = |a: &CMat, op: &CMat| -> f64 {
            let n = a.nrows();
            let mut t = C64::new(0.0, 0.0);
            for p in 0..n {
                for q in 0..n {
                    if op[(p, q)].re != 0.0 {
                        t += a[(q, p)] * op[(p, q)];
                    }
                }
            }
            t.re
        };
        let dh = self.derivative_operators(false);
        let mut f: Vec<f64> = dh.iter().map(|op| -trace(&d.rho, op)).collect();
        if !self.model.orthogonal() {
            for (fi, op) in f.iter_mut().zip(self.derivative_operators(true)) {
                *fi += trace(&d.rho_e, &op);
            }
        }
        f
    }
}
