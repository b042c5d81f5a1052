//! Stage 3 of the transport pipeline: solving a scattering problem of [`super::problem`].
//!
//! Per (k, E), the lead surface Green's functions ([`surface`]) come from [`mode_matching`] or
//! [`decimation`] and are projected onto S ([`self_energy`]); [`rgf`] sweeps the block
//! recursive Green's function to the Caroli transmission T = Tr[Γ_L G Γ_R G†] and the
//! eigenchannels τ_n = eig(t†t); [`layered`] is the [`Solver`](layered::Solver) that slices S
//! into principal layers once and runs these per (k, E). [`landauer`] turns T(E) into G and
//! I(V).

pub mod decimation;
pub mod landauer;
pub mod layered;
pub mod mode_matching;
pub mod rgf;
pub mod self_energy;
pub mod surface;
