//! Current-induced forces in atomic wires: the current-carrying steady state of a two-terminal
//! tight-binding problem, its bond currents, the forces on the atoms and the non-conservative
//! dynamical response matrix (Cunningham, Todorov and Dundas, Phys. Rev. B 90, 115430 (2014),
//! seed 004, Eqs. 1–8).
//!
//! - [`quadrature`]: adaptive Gauss–Kronrod of vector-valued integrands;
//! - [`open_system`]: H_C between two leads at one transverse k, G(z) = (zS − H − Σ)⁻¹ (lead
//!   surfaces from the transport core: decimation off the axis, mode matching on it; an
//!   overlap S through the pencil z S − H and, on the axis, H̃(E) = H − E(S − 1)) and the
//!   scattering-state amplitudes Ψ_i;
//! - [`steady_state`]: ρ = ρ_eq(μ) + bias window (Eq. 3), the contour and window integrals,
//!   for any two-terminal problem of the transport core (orthogonal or with an overlap, whose
//!   electron count is the Mulliken Tr(ρS));
//! - [`transverse_k`]: ρ(k) over a transverse k∥ mesh, the real-space blocks
//!   ρ_m = Σ_k w_k ρ(k) e^{−ik·m} and the current Σ_k w_k I(k);
//! - [`bond_current`]: bond currents I_mn (orthogonal basis only) and the Landauer current
//!   from T(E) (any basis);
//! - [`bond_model`]: atoms, bonds, F̂_ν = −∂H/∂R_ν and the second derivatives of H and P for
//!   radial models (Sutton's s band, Eqs. 1–2);
//! - [`forces`]: F_ν = Tr{ρ F̂_ν} + pair forces (Eq. 4), not conservative under bias;
//! - [`response`]: K = K_eq + S + A (Eqs. 5–7) from the Green's functions;
//! - [`two_centre`]: analytic ∂E/∂b (and, for the orthogonal spd model, ∂²E/∂b∂b) of the
//!   Slater–Koster blocks of the spd and DFTB models;
//! - [`sk_forces`]: the energy-weighted density matrix ρ_E and the forces of the spd models,
//!   F_ν = Tr{ρ F̂_ν} + Tr{ρ_E ∂S/∂R_ν} (Pulay term with an overlap);
//! - [`sk_response`]: their K, analytic for the orthogonal spd model, by central differences
//!   of the analytic forces for any of them (DFTB);
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
pub mod sk_forces;
pub mod sk_response;
pub mod steady_state;
pub mod transverse_k;
pub mod two_centre;
pub mod wire;
pub mod wire_response;
