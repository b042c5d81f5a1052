//! The steady state of a problem periodic along one or two transverse directions: one
//! [`OpenSystem`] per transverse k∥ of the mesh, ρ(k) of Eq. (3) at each, and the real-space
//! blocks of the device and the current as the weighted sums
//!
//!   ρ_m = Σ_k w_k ρ(k) e^{−ik·m},   ρ_m = ⟨C, cell 0|ρ|C, cell m⟩,   I = Σ_k w_k I(k),
//!
//! the inverse of the Bloch sum ρ(k) = Σ_m ρ_m e^{ik·m} of `problem::scattering` (H(k) =
//! Σ_m H_m e^{ik·m}). With the overlap the electrons per supercell are the Mulliken count
//! Σ_k w_k Re Tr(ρ(k) S(k)) = Σ_m Re Tr(ρ_m S_{−m}) of the device block.
//!
//! Time reversal does not pair k with −k under bias: with a real H, ρ(−k) = ρ(k)* holds for
//! the equilibrium part only (the window part maps to the state with the current reversed), so
//! a mesh halved by k ↔ −k (`problem::supercell::monkhorst_pack`) is restored to the full mesh
//! ([`full_mesh`]) before it is summed.

use crate::error::Result;
use crate::transport::current::bond_current::landauer_current_ua;
use crate::transport::current::open_system::OpenSystem;
use crate::transport::current::steady_state::{steady_state, Accuracy, Reservoirs, SteadyState};
use crate::transport::dense::CMat;
use crate::transport::problem::scattering::{BlochPhases, KPoint, TransportProblem};

/// True when the Bloch phases a and b are equal modulo 2π (to 1e-12 rad).
fn same_phases(a: BlochPhases, b: BlochPhases) -> bool {
    let tau = 2.0 * std::f64::consts::PI;
    a.0.iter().zip(b.0).all(|(x, y)| {
        let d = x - y;
        (d - (d / tau).round() * tau).abs() < 1e-12
    })
}

/// The k-points of a problem with every k that lacks its partner −k in the list split into
/// (k, w/2) and (−k, w/2): the full mesh of a mesh halved by time reversal, the same list
/// otherwise. A problem without a mesh gives k = 0 with weight 1.
pub fn full_mesh(p: &TransportProblem) -> Vec<KPoint> {
    let given = p.kpoints_or_gamma();
    let mut out = Vec::with_capacity(2 * given.len());
    for kp in &given {
        let minus = BlochPhases([-kp.k.0[0], -kp.k.0[1]]);
        let paired = same_phases(kp.k, minus) || given.iter().any(|q| same_phases(q.k, minus));
        if paired {
            out.push(*kp);
        } else {
            let half = 0.5 * kp.weight;
            out.push(KPoint {
                k: kp.k,
                weight: half,
            });
            out.push(KPoint {
                k: minus,
                weight: half,
            });
        }
    }
    out
}

/// ρ(k) at every point of the full mesh.
#[derive(Clone, Debug)]
pub struct KResolvedSteadyState {
    /// The full mesh.
    pub points: Vec<KPoint>,
    /// The device at each point.
    pub systems: Vec<OpenSystem>,
    /// ρ(k) at each point (spin included).
    pub states: Vec<SteadyState>,
}

impl KResolvedSteadyState {
    /// The real-space block ρ_m = Σ_k w_k ρ(k) e^{−ik·m} between the device in cell 0 and in
    /// cell m.
    pub fn rho_cell(&self, m: [i32; 2]) -> CMat {
        let n = self.systems.first().map_or(0, |s| s.n());
        let mut out = CMat::zeros(n, n);
        for (kp, st) in self.points.iter().zip(&self.states) {
            let phase = kp.k.phase(m).conj() * kp.weight;
            for j in 0..n {
                for i in 0..n {
                    out[(i, j)] += st.rho[(i, j)] * phase;
                }
            }
        }
        out
    }

    /// Electrons in the device per supercell: Σ_k w_k (Tr ρ(k), or the Mulliken
    /// Re Tr(ρ(k) S(k)) with an overlap).
    pub fn electrons(&self) -> f64 {
        self.points
            .iter()
            .zip(&self.systems)
            .zip(&self.states)
            .map(|((kp, sys), st)| kp.weight * sys.electrons(&st.rho))
            .sum()
    }
}

/// ρ of Eq. (3) at every transverse k of a problem (with or without a mesh, with or without
/// an overlap).
pub fn steady_state_kmesh(
    p: &TransportProblem,
    res: &Reservoirs,
    acc: &Accuracy,
) -> Result<KResolvedSteadyState> {
    p.validate()?;
    let points = full_mesh(p);
    let mut systems = Vec::with_capacity(points.len());
    let mut states = Vec::with_capacity(points.len());
    for kp in &points {
        let sys = OpenSystem::at_k(p, kp.k);
        states.push(steady_state(&sys, res, acc)?);
        systems.push(sys);
    }
    Ok(KResolvedSteadyState {
        points,
        systems,
        states,
    })
}

/// The Landauer current (µA per supercell) Σ_k w_k I(k), I(k) from T(E; k) over the window.
pub fn landauer_current_kmesh_ua(
    p: &TransportProblem,
    res: &Reservoirs,
    acc: &Accuracy,
) -> Result<f64> {
    p.validate()?;
    let mut total = 0.0;
    for kp in p.kpoints_or_gamma() {
        let sys = OpenSystem::at_k(p, kp.k);
        total += kp.weight * landauer_current_ua(&sys, res, acc)?;
    }
    Ok(total)
}
