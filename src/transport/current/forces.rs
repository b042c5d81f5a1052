//! Forces on the mobile atoms in the steady state (seed 004, Eq. 4):
//!
//!   F_ν = Tr{ρ F̂_ν} − ∂P/∂R_ν,   F̂_ν = −∂H/∂R_ν,
//!
//! with ρ the steady-state density matrix ([`super::steady_state`]) and P the pair potential
//! (Eq. 2). At zero bias they are minus the derivative of the grand potential (band plus pair
//! energy at fixed μ). Under bias they are not conservative: their curl, the antisymmetric
//! part A of the response matrix ([`super::response`], Eq. 7), does work around closed paths.

use crate::transport::current::bond_model::{BondedDevice, SparseOp};
use crate::transport::dense::CMat;

/// Tr{ρ F̂_ν} for each operator (eV/Å): Σ_(m,n) ρ_nm F̂_ν[m, n], real for Hermitian ρ.
pub fn electronic_forces(ops: &[SparseOp], rho: &CMat) -> Vec<f64> {
    ops.iter()
        .map(|op| op.iter().map(|&(m, n, v)| rho[(n, m)].re * v).sum())
        .collect()
}

/// F_ν = Tr{ρ F̂_ν} − ∂P/∂R_ν for every mobile dof of the device (eV/Å).
pub fn steady_state_forces(device: &BondedDevice, rho: &CMat) -> Vec<f64> {
    let el = electronic_forces(&device.force_operators(), rho);
    el.iter()
        .zip(device.pair_forces())
        .map(|(a, b)| a + b)
        .collect()
}
