//! Lead self-energies on the scattering region: the surface Green's function of a lead's
//! first layer, from mode matching or decimation, projected onto S through the coupling V.
//!
//! Σ_S = V g V†, Γ_S = i(Σ_S − Σ_S†) = V A V† with A = i(g − g†) the surface spectral function
//! (Datta, *Electronic Transport in Mesoscopic Systems*, ch. 3; README of the Kwant reference
//! data). A is stored factorized, A = F F†, F with one column per open channel, so that the
//! transmission matrix t = F_R'† G F_L' (F' = V F) has the size of the channel space.

use crate::error::Result;
use crate::transport::dense::{mul, CMat};
use crate::transport::problem::scattering::SparseMatrix;
use crate::transport::solver::decimation::lead_surface_decimation;
use crate::transport::solver::mode_matching::lead_surface_mode_matching;
use crate::transport::solver::surface::LeadSurface;

/// How lead surface Green's functions are computed.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum SelfEnergyMethod {
    /// Bloch modes from the stabilized generalized eigenproblem: exact, the default.
    #[default]
    ModeMatching,
    /// Sancho–Rubio decimation at E + iη; converges slowly near band edges.
    Decimation {
        /// Imaginary part added to the energy (eV).
        eta: f64,
    },
}

/// The surface Green's function of a lead by the chosen method.
pub fn lead_surface(
    h00: &CMat,
    h01: &CMat,
    energy: f64,
    method: SelfEnergyMethod,
) -> Result<LeadSurface> {
    match method {
        SelfEnergyMethod::ModeMatching => lead_surface_mode_matching(h00, h01, energy),
        SelfEnergyMethod::Decimation { eta } => lead_surface_decimation(h00, h01, energy, eta),
    }
}

/// A lead's action on the scattering region, restricted to the S orbitals it touches.
#[derive(Clone, Debug)]
pub struct LeadCoupling {
    /// Indices (in S) of the orbitals V couples to, ascending.
    pub orbitals: Vec<usize>,
    /// Σ = V g V† on those orbitals.
    pub sigma: CMat,
    /// W = V F: Γ = W W† on those orbitals (one column per open channel).
    pub gamma_factor: CMat,
    /// Open channels of the lead.
    pub open_channels: usize,
}

/// Project a lead surface onto S through V (rows of V that are structurally non-zero).
pub fn couple(v: &SparseMatrix, surf: &LeadSurface) -> LeadCoupling {
    let orbitals = v.nonzero_rows();
    let mut vt = CMat::zeros(orbitals.len(), v.ncols);
    for &(i, j, x) in &v.entries {
        if let Ok(r) = orbitals.binary_search(&i) {
            vt[(r, j)] += x;
        }
    }
    let vg = mul(vt.as_ref(), surf.g.as_ref());
    let sigma = vg.as_ref() * vt.adjoint();
    let gamma_factor = mul(vt.as_ref(), surf.spectral_factor.as_ref());
    LeadCoupling {
        orbitals,
        sigma,
        gamma_factor,
        open_channels: surf.open_channels,
    }
}
