//! Current-induced forces in atomic wires: the current-carrying steady state of a two-terminal
//! tight-binding problem, its bond currents, the forces on the atoms and the non-conservative
//! dynamical response matrix (Cunningham, Todorov and Dundas, Phys. Rev. B 90, 115430 (2014),
//! seed 004, Eqs. 1–8).
//!
//! - [`quadrature`]: adaptive Gauss–Kronrod of vector-valued integrands;
//! - [`open_system`]: H_C between two leads, G(z) (lead surfaces from the transport core:
//!   decimation off the axis, mode matching on it) and the scattering-state amplitudes Ψ_i;
//! - [`steady_state`]: ρ = ρ_eq(μ) + bias window (Eq. 3), the contour and window integrals;
//! - [`bond_current`]: bond currents I_mn and the Landauer current;
//! - [`bond_model`]: atoms, bonds, F̂_ν = −∂H/∂R_ν and the second derivatives of H and P for
//!   radial models (Sutton's s band, Eqs. 1–2);
//! - [`forces`]: F_ν = Tr{ρ F̂_ν} + pair forces (Eq. 4), not conservative under bias;
//! - [`response`]: K = K_eq + S + A (Eqs. 5–7) from the Green's functions;
//! - [`scan`]: one (N, V) point of the scans of Figs. 2–3 (relaxation, ω range, Ω);
//! - [`md_hook`]: the forces as a post-force step hook, MD and FIRE relaxation on them;
//! - [`modes`]: ω from K/M, complex under bias, and Ω (Eq. 8);
//! - [`wire`]: the chain of Fig. 1 between semi-infinite ideal chains;
//! - [`wire_response`]: current, K, ω and Ω of one wire at one bias (`wire response`).

pub mod bond_current;
pub mod bond_model;
pub mod forces;
pub mod md_hook;
pub mod modes;
pub mod open_system;
pub mod quadrature;
pub mod response;
pub mod scan;
pub mod steady_state;
pub mod wire;
pub mod wire_response;
