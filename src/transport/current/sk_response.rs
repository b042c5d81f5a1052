//! The response matrix K = −∂F/∂R of the spd Slater–Koster models (no pair potential):
//!
//! - the orthogonal spd model (`transport::model::slater_koster`): analytic, Eqs. (5)–(7) of
//!   [`super::response`] with the multi-orbital force operators F̂_ν = −∂H/∂R_ν and the
//!   curvature Tr{ρ ∂²H/∂R_ν∂R_ν′} from the analytic second derivatives of the two-centre
//!   blocks ([`super::two_centre::block_hessian`]);
//! - any two-centre model, the DFTB one with its overlap included: central finite differences
//!   of the analytic forces of [`super::sk_forces`], K_νν′ = −[F_ν(R + h e_ν′) −
//!   F_ν(R − h e_ν′)]/2h (error O(h²); the analytic K with an overlap, whose Green's-function
//!   derivative ∂G = G(∂H − z∂S)G and Pulay term change Eqs. (5)–(7), is not implemented).

use crate::error::Result;
use crate::transport::current::bond_model::SparseOp;
use crate::transport::current::open_system::OpenSystem;
use crate::transport::current::response::{response_from_operators, ResponseMatrix};
use crate::transport::current::sk_forces::{weighted_density, SkDevice};
use crate::transport::current::steady_state::{Accuracy, Reservoirs, SteadyState};
use crate::transport::current::two_centre::{block_hessian, TwoCentre};
use crate::transport::dense::CMat;
use crate::transport::model::slater_koster::{SlaterKoster, ORBITALS};
use crate::transport::problem::scattering::TransportProblem;

impl SkDevice<'_, SlaterKoster> {
    /// Tr{ρ ∂²H/∂R_ν∂R_ν′} (eV/Å²): for the ordered pair (i, j) the block E(r_j − r_i) has
    /// ∂²E/∂R_ν∂R_ν′ = σ_ν σ_ν′ ∂²E/∂b_α∂b_β (σ = +1 on j, −1 on i).
    pub fn curvature(&self, rho: &CMat) -> Vec<Vec<f64>> {
        let nd = self.dofs.len();
        let mut k = vec![vec![0.0; nd]; nd];
        let na = self.positions.len();
        for i in 0..na {
            for j in (0..na).filter(|&j| j != i) {
                let sign = |site: usize| {
                    if site == j {
                        Some(1.0)
                    } else if site == i {
                        Some(-1.0)
                    } else {
                        None
                    }
                };
                let touching: Vec<(usize, f64, usize)> = self
                    .dofs
                    .iter()
                    .enumerate()
                    .filter_map(|(n, d)| sign(d.site).map(|s| (n, s, d.axis)))
                    .collect();
                if touching.is_empty() {
                    continue;
                }
                let (a, b) = (self.positions[i], self.positions[j]);
                let Some(hess) = block_hessian(self.model, [b[0] - a[0], b[1] - a[1], b[2] - a[2]])
                else {
                    continue;
                };
                for &(n1, s1, al) in &touching {
                    for &(n2, s2, be) in &touching {
                        let h = &hess[al][be];
                        let mut t = 0.0;
                        for p in 0..ORBITALS {
                            for q in 0..ORBITALS {
                                t += rho[(j * ORBITALS + q, i * ORBITALS + p)].re * h[p][q];
                            }
                        }
                        k[n1][n2] += s1 * s2 * t;
                    }
                }
            }
        }
        k
    }

    /// K = K_eq + S + A of Eqs. (5)–(7) at the steady state `ss` of `sys` (orthogonal).
    pub fn response_matrix(
        &self,
        sys: &OpenSystem,
        ss: &SteadyState,
        acc: &Accuracy,
    ) -> Result<ResponseMatrix> {
        let ops: Vec<SparseOp> = self
            .derivative_operators(false)
            .iter()
            .map(|d| {
                let mut op = Vec::new();
                for q in 0..d.ncols() {
                    for p in 0..d.nrows() {
                        if d[(p, q)].re != 0.0 {
                            op.push((p, q, -d[(p, q)].re));
                        }
                    }
                }
                op
            })
            .collect();
        let nd = ops.len();
        let zero = vec![vec![0.0; nd]; nd];
        response_from_operators(sys, &ops, |rho| self.curvature(rho), &zero, ss, acc, true)
    }
}

/// K by central differences of the analytic forces (eV/Å², rows and columns the mobile atoms'
/// x, y, z in order): `build` gives the problem of the device atoms at the given positions
/// (leads fixed), `h` the displacement (Å).
pub fn response_by_differences<M: TwoCentre + ?Sized>(
    model: &M,
    build: impl Fn(&[[f64; 3]]) -> Result<TransportProblem>,
    positions: &[[f64; 3]],
    mobile: &[usize],
    h: f64,
    res: &Reservoirs,
    acc: &Accuracy,
) -> Result<Vec<Vec<f64>>> {
    let forces = |pos: Vec<[f64; 3]>| -> Result<Vec<f64>> {
        let p = build(&pos)?;
        let dev = SkDevice::new(model, pos, mobile, &p)?;
        let sys = OpenSystem::from_problem(&p)?;
        Ok(dev.forces(&weighted_density(&sys, res, acc)?))
    };
    let nd = 3 * mobile.len();
    let mut k = vec![vec![0.0; nd]; nd];
    for (b, &atom) in mobile.iter().enumerate() {
        for axis in 0..3 {
            let moved = |s: f64| {
                let mut p = positions.to_vec();
                p[atom][axis] += s * h;
                p
            };
            let (fp, fm) = (forces(moved(1.0))?, forces(moved(-1.0))?);
            for a in 0..nd {
                k[a][3 * b + axis] = -(fp[a] - fm[a]) / (2.0 * h);
            }
        }
    }
    Ok(k)
}
