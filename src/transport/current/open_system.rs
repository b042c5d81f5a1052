//! The device region C between two semi-infinite leads as the steady-state formulas need it:
//! its retarded Green's function at any energy of the upper half plane,
//!
//!   G(z) = (z − H_C − Σ_L(z) − Σ_R(z))⁻¹,   Σ_i = V_i g_i(z) V_i†,
//!
//! and, on the real axis, the partial spectral functions of the scattering states that enter
//! from each lead (seed 004, Eq. 3 and below):
//!
//!   D_i(E) = G Γ_i G† / 2π = Ψ_i Ψ_i† / 2π,   Ψ_i = G W_i,   Γ_i = W_i W_i†.
//!
//! The lead surfaces come from the transport core (`solver::self_energy`): mode matching on the
//! real axis (exact), decimation at complex energies (where it converges geometrically). The
//! basis is orthogonal and H_C has no k∥ dependence.

use crate::error::{Error, Result};
use crate::transport::dense::{
    all_finite, c64, frobenius_sq, hermitian_eigen, shifted_negative, CMat, Lu, C64,
};
use crate::transport::problem::scattering::{BlochPhases, LeadAtK, TransportProblem};
use crate::transport::solver::decimation::lead_surface_decimation;
use crate::transport::solver::mode_matching::lead_surface_mode_matching;
use crate::transport::solver::self_energy::{couple, LeadCoupling};

/// An orthogonal two-terminal problem: H_C and the two leads [L, R].
#[derive(Clone, Debug)]
pub struct OpenSystem {
    /// Device Hamiltonian H_C (eV), Hermitian.
    pub h: CMat,
    /// Left and right lead blocks with their coupling V = ⟨C|H|layer 1⟩.
    pub leads: [LeadAtK; 2],
}

/// The Green's function on the real axis with the scattering-state amplitudes of each lead.
pub struct RealAxis {
    /// Retarded G(E + i0), n × n.
    pub g: CMat,
    /// Ψ_i = G W_i, one column per open channel of lead i: D_i = Ψ_i Ψ_i† / 2π.
    pub psi: [CMat; 2],
    /// W_i on the device orbitals (n × open channels): Γ_i = W_i W_i†.
    pub w: [CMat; 2],
}

impl RealAxis {
    /// Caroli transmission T = Tr[Γ_R G Γ_L G†] = ‖W_R† Ψ_L‖²_F.
    pub fn transmission(&self) -> f64 {
        let t = self.w[1].adjoint() * &self.psi[0];
        frobenius_sq(t.as_ref())
    }
}

impl OpenSystem {
    /// From a transport-core problem: k-independent and orthogonal only (the formulas of
    /// seed 004 are for an orthogonal basis).
    pub fn from_problem(p: &TransportProblem) -> Result<Self> {
        if p.is_periodic() || p.h_s.depends_on_k() {
            return Err(Error::run(
                "steady state: transverse k-meshes are not supported (one k only)",
            ));
        }
        if p.overlap.is_some() {
            return Err(Error::run(
                "steady state: a non-orthogonal basis is not supported",
            ));
        }
        let k0 = BlochPhases::default();
        let leads = [p.leads[0].at_k(k0), p.leads[1].at_k(k0)];
        Ok(OpenSystem {
            h: p.h_s.dense_at_k(k0),
            leads,
        })
    }

    /// Orbitals of the device.
    pub fn n(&self) -> usize {
        self.h.nrows()
    }

    /// A lower bound of the whole spectrum (device and leads) by Gershgorin's discs: every
    /// state lies above it.
    pub fn spectrum_bottom_ev(&self) -> f64 {
        let disc = |m: &CMat, extra: &dyn Fn(usize) -> f64| {
            (0..m.nrows())
                .map(|i| {
                    let off: f64 = (0..m.ncols())
                        .filter(|&j| j != i)
                        .map(|j| m[(i, j)].norm())
                        .sum();
                    m[(i, i)].re - off - extra(i)
                })
                .fold(f64::INFINITY, f64::min)
        };
        let mut bottom = disc(&self.h, &|i| {
            self.leads
                .iter()
                .map(|l| {
                    l.coupling
                        .entries
                        .iter()
                        .filter(|e| e.0 == i)
                        .map(|e| e.2.norm())
                        .sum::<f64>()
                })
                .sum()
        });
        for l in &self.leads {
            let hop = |i: usize| -> f64 {
                (0..l.h01.ncols())
                    .map(|j| l.h01[(i, j)].norm())
                    .sum::<f64>()
                    + (0..l.h01.nrows())
                        .map(|j| l.h01[(j, i)].norm())
                        .sum::<f64>()
                    + l.coupling
                        .entries
                        .iter()
                        .filter(|e| e.1 == i)
                        .map(|e| e.2.norm())
                        .sum::<f64>()
            };
            bottom = bottom.min(disc(&l.h00, &hop));
        }
        bottom
    }

    /// The band energies of both leads at the Bloch phases 0 and π of their principal layer,
    /// eig(H00 ± (H01 + H01†)): the band edges of a chain whose bands are monotonic between
    /// them (used as breakpoints of the real-axis integrals).
    pub fn lead_band_edges_ev(&self) -> Result<Vec<f64>> {
        let mut edges = Vec::new();
        for l in &self.leads {
            for sign in [1.0, -1.0] {
                let n = l.h00.nrows();
                let m = CMat::from_fn(n, n, |i, j| {
                    l.h00[(i, j)] + (l.h01[(i, j)] + l.h01[(j, i)].conj()) * sign
                });
                edges.extend(hermitian_eigen(m.as_ref(), "lead band edges")?.0);
            }
        }
        Ok(edges)
    }

    /// Σ_L + Σ_R added into z − H_C.
    fn inverse_matrix(&self, z: C64, couplings: &[LeadCoupling; 2]) -> CMat {
        let mut a = shifted_negative(z, self.h.as_ref());
        for c in couplings {
            for (r, &i) in c.orbitals.iter().enumerate() {
                for (s, &j) in c.orbitals.iter().enumerate() {
                    a[(i, j)] -= c.sigma[(r, s)];
                }
            }
        }
        a
    }

    /// G(z) for Im z > 0, the lead surfaces by decimation at z.
    pub fn green(&self, z: C64) -> Result<CMat> {
        if z.im <= 0.0 || !z.im.is_finite() || !z.re.is_finite() {
            return Err(Error::run(format!(
                "steady state: G(z) needs Im z > 0, got z = {z}"
            )));
        }
        let couple_at = |l: &LeadAtK| -> Result<LeadCoupling> {
            let s = lead_surface_decimation(&l.h00, &l.h01, z.re, z.im)?;
            Ok(couple(&l.coupling, &s))
        };
        let c = [couple_at(&self.leads[0])?, couple_at(&self.leads[1])?];
        let g = Lu::new(
            self.inverse_matrix(z, &c).as_ref(),
            "steady state: z − H − Σ",
        )?
        .inverse();
        if !all_finite(g.as_ref()) {
            return Err(Error::run(format!("steady state: G({z}) is not finite")));
        }
        Ok(g)
    }

    /// G(E + i0) and Ψ_L, Ψ_R at a real energy, the lead surfaces by mode matching.
    pub fn green_real(&self, energy_ev: f64) -> Result<RealAxis> {
        let couple_at = |l: &LeadAtK| -> Result<LeadCoupling> {
            let s = lead_surface_mode_matching(&l.h00, &l.h01, energy_ev)?;
            Ok(couple(&l.coupling, &s))
        };
        let c = [couple_at(&self.leads[0])?, couple_at(&self.leads[1])?];
        let z = c64(energy_ev, 0.0);
        let lu = Lu::new(
            self.inverse_matrix(z, &c).as_ref(),
            "steady state: E − H − Σ",
        )?;
        let g = lu.inverse();
        let n = self.n();
        let w = [0, 1].map(|i| {
            let f = &c[i].gamma_factor;
            let mut full = CMat::zeros(n, f.ncols());
            for (r, &o) in c[i].orbitals.iter().enumerate() {
                for k in 0..f.ncols() {
                    full[(o, k)] = f[(r, k)];
                }
            }
            full
        });
        let psi = [lu.solve(w[0].as_ref()), lu.solve(w[1].as_ref())];
        if !all_finite(g.as_ref()) {
            return Err(Error::run(format!(
                "steady state: G({energy_ev} eV + i0) is not finite"
            )));
        }
        Ok(RealAxis { g, psi, w })
    }
}
