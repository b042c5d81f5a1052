//! The atoms of the device region, one s orbital each, their bonds and the derivatives of the
//! Hamiltonian and the pair potential with respect to the mobile coordinates, for a model whose
//! hopping H_mn = h(R_mn) and pair energy P_mn = φ(R_mn) depend on the bond length only
//! (the Sutton s-band model, seed 004 Eqs. 1–2, `transport::model::sutton`).
//!
//! With u = r_m − r_n, R = |u|, û = u/R, a bond function f(R) has
//!
//!   ∂f/∂r_{m,α} = f′(R) û_α = −∂f/∂r_{n,α},
//!   ∂²f/∂u_α∂u_β = f″ û_α û_β + (f′/R)(δ_αβ − û_α û_β),
//!
//! and ∂²f/∂r_{a,α}∂r_{b,β} = σ_a σ_b ∂²f/∂u_α∂u_β with σ_m = +1, σ_n = −1. The force
//! operators of Eq. (4) are F̂_ν = −∂H/∂R_ν: for a bond (m, n) touching ν, the entries
//! F̂_ν[m, n] = F̂_ν[n, m] = −∂h(R_mn)/∂R_ν.

use crate::error::{Error, Result};
use crate::transport::dense::{c64, CMat};
use crate::transport::model::sutton::SuttonSBand;

/// A degree of freedom ν: a device site and a Cartesian axis (0 = x).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dof {
    pub site: usize,
    pub axis: usize,
}

/// A real sparse symmetric operator on the device orbitals, as (row, column, value) entries
/// (both (m, n) and (n, m) listed).
pub type SparseOp = Vec<(usize, usize, f64)>;

/// The device's atoms with their bonds and mobile degrees of freedom.
#[derive(Clone, Debug)]
pub struct BondedDevice {
    /// Positions of the device sites (Å); site i is orbital i.
    pub positions: Vec<[f64; 3]>,
    /// Bonded pairs (m < n) inside the device: they carry hopping and pair potential.
    pub bonds: Vec<(usize, usize)>,
    /// The model.
    pub model: SuttonSBand,
    /// The mobile degrees of freedom, in the order of forces and K.
    pub dofs: Vec<Dof>,
}

/// One bond seen from the dofs: geometry and the dofs it moves (index into dofs, σ, axis).
struct BondGeom {
    u_hat: [f64; 3],
    r: f64,
    touching: Vec<(usize, f64, usize)>,
}

impl BondedDevice {
    /// Check the bonds and dofs refer to sites, with no zero-length bond.
    pub fn validate(&self) -> Result<()> {
        let n = self.positions.len();
        for &(m, k) in &self.bonds {
            if m >= n || k >= n || m == k {
                return Err(Error::run(format!("bonded device: bad bond ({m}, {k})")));
            }
            if self.bond_length(m, k) <= 0.0 {
                return Err(Error::run(format!(
                    "bonded device: sites {m} and {k} coincide"
                )));
            }
        }
        if let Some(d) = self.dofs.iter().find(|d| d.site >= n || d.axis > 2) {
            return Err(Error::run(format!(
                "bonded device: bad degree of freedom {d:?}"
            )));
        }
        Ok(())
    }

    fn bond_length(&self, m: usize, n: usize) -> f64 {
        let (a, b) = (self.positions[m], self.positions[n]);
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    fn geometry(&self, m: usize, n: usize) -> BondGeom {
        let (a, b) = (self.positions[m], self.positions[n]);
        let u = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
        let r = (u[0] * u[0] + u[1] * u[1] + u[2] * u[2]).sqrt();
        let touching = self
            .dofs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                if d.site == m {
                    Some((i, 1.0, d.axis))
                } else if d.site == n {
                    Some((i, -1.0, d.axis))
                } else {
                    None
                }
            })
            .collect();
        BondGeom {
            u_hat: u.map(|x| x / r),
            r,
            touching,
        }
    }

    /// H_C (eV): on-site 0, h(R_mn) on the bonds.
    pub fn hamiltonian(&self) -> CMat {
        let n = self.positions.len();
        let mut h = CMat::zeros(n, n);
        for &(m, k) in &self.bonds {
            let t = self.model.hopping_derivatives(self.bond_length(m, k))[0];
            h[(m, k)] = c64(t, 0.0);
            h[(k, m)] = c64(t, 0.0);
        }
        h
    }

    /// F̂_ν = −∂H/∂R_ν for every mobile dof (eV/Å).
    pub fn force_operators(&self) -> Vec<SparseOp> {
        let mut ops: Vec<SparseOp> = vec![Vec::new(); self.dofs.len()];
        for &(m, k) in &self.bonds {
            let g = self.geometry(m, k);
            let dh = self.model.hopping_derivatives(g.r)[1];
            for &(i, sigma, axis) in &g.touching {
                let v = -sigma * dh * g.u_hat[axis];
                ops[i].push((m, k, v));
                ops[i].push((k, m, v));
            }
        }
        ops
    }

    /// Σ over bonds of w(bond) · ∂²f/∂R_ν∂R_ν′ for f = h (hopping) or φ (pair): an N × N
    /// matrix. `second` picks [f, f′, f″] of the model; `weight` the bond's weight.
    fn bond_hessian(
        &self,
        second: impl Fn(f64) -> [f64; 3],
        weight: impl Fn(usize, usize) -> f64,
    ) -> Vec<Vec<f64>> {
        let nd = self.dofs.len();
        let mut k = vec![vec![0.0; nd]; nd];
        for &(m, n) in &self.bonds {
            let g = self.geometry(m, n);
            if g.touching.is_empty() {
                continue;
            }
            let f = second(g.r);
            let w = weight(m, n);
            let u = g.u_hat;
            for &(i, si, a) in &g.touching {
                for &(j, sj, b) in &g.touching {
                    let delta = if a == b { 1.0 } else { 0.0 };
                    let h = f[2] * u[a] * u[b] + f[1] / g.r * (delta - u[a] * u[b]);
                    k[i][j] += w * si * sj * h;
                }
            }
        }
        k
    }

    /// Tr{ρ ∂²H/∂R_ν∂R_ν′} = Σ_bonds 2 Re ρ_mn ∂²h(R_mn)/∂R_ν∂R_ν′ (eV/Å²), ρ Hermitian.
    pub fn hopping_curvature(&self, rho: &CMat) -> Vec<Vec<f64>> {
        self.bond_hessian(
            |r| self.model.hopping_derivatives(r),
            |m, n| 2.0 * rho[(m, n)].re,
        )
    }

    /// ∂²P/∂R_ν∂R_ν′ of the pair potential summed over the device's bonds (eV/Å²).
    pub fn pair_hessian(&self) -> Vec<Vec<f64>> {
        self.bond_hessian(|r| self.model.pair_derivatives(r), |_, _| 1.0)
    }

    /// Σ_bonds P(R_mn) (eV).
    pub fn pair_energy(&self) -> f64 {
        self.bonds
            .iter()
            .map(|&(m, n)| self.model.pair_derivatives(self.bond_length(m, n))[0])
            .sum()
    }

    /// −∂P/∂R_ν per dof (eV/Å).
    pub fn pair_forces(&self) -> Vec<f64> {
        let mut f = vec![0.0; self.dofs.len()];
        for &(m, n) in &self.bonds {
            let g = self.geometry(m, n);
            let dp = self.model.pair_derivatives(g.r)[1];
            for &(i, sigma, axis) in &g.touching {
                f[i] -= sigma * dp * g.u_hat[axis];
            }
        }
        f
    }
}
