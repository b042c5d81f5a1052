//! The device region C between two semi-infinite leads as the steady-state formulas need it:
//! its retarded Green's function at any energy of the upper half plane,
//!
//!   G(z) = (z S_C − H_C − Σ_L(z) − Σ_R(z))⁻¹,   Σ_i = A_Ci g_i(z) A_iC,
//!
//! with A = z S − H on the device–lead couplings (A_Ci = z S_V − V, A_iC = z S_V† − V†) and g_i
//! the surface Green's function of the lead pencil (z S00 − H00, z S01 − H01) (M. Brandbyge et
//! al., Phys. Rev. B 65, 165401 (2002), Eq. (4)); in an orthogonal basis S = 1 and
//! Σ_i = V_i g_i V_i†. On the real axis, the partial spectral functions of the scattering states
//! that enter from each lead (seed 004, Eq. 3 and below):
//!
//!   D_i(E) = G Γ_i G† / 2π = Ψ_i Ψ_i† / 2π,   Ψ_i = G W_i,   Γ_i = W_i W_i† = i(Σ_i − Σ_i†).
//!
//! The lead surfaces come from the transport core: mode matching on the real axis (exact),
//! decimation at complex energies (where it converges geometrically). With an overlap the real
//! axis works on H̃(E) = H − E(S − 1) (couplings V − E S_V), as the Landauer solver does
//! (`problem::scattering`), and the complex energies on the pencil
//! (`solver::decimation::lead_surface_pencil`, shared with the Mulliken neutrality). One
//! [`OpenSystem`] is one transverse k∥ ([`OpenSystem::at_k`]); `super::transverse_k` sums the
//! mesh.

use crate::error::{Error, Result};
use std::f64::consts::PI;

use crate::transport::dense::{
    all_finite, c64, frobenius_sq, generalized_hermitian_eigenvalues, hermitian_eigen,
    shifted_negative, CMat, Lu, C64,
};
use crate::transport::problem::scattering::{BlochPhases, LeadAtK, SparseMatrix, TransportProblem};
use crate::transport::solver::decimation::{lead_surface_decimation, lead_surface_pencil};
use crate::transport::solver::layered::{merged, shifted_by_overlap};
use crate::transport::solver::mode_matching::lead_surface_mode_matching;
use crate::transport::solver::self_energy::{couple, LeadCoupling};

/// A two-terminal problem at one transverse k: H_C, the two leads [L, R] and, for a
/// non-orthogonal basis, the overlap.
#[derive(Clone, Debug)]
pub struct OpenSystem {
    /// Device Hamiltonian H_C (eV), Hermitian.
    pub h: CMat,
    /// Left and right lead blocks with their coupling V = ⟨C|H|layer 1⟩.
    pub leads: [LeadAtK; 2],
    /// The overlap of a non-orthogonal basis; `None`: orthonormal orbitals.
    pub overlap: Option<OpenOverlap>,
}

/// The overlap blocks at one k: S_C and per lead S00, S01, S_V (in the fields `h00`, `h01`,
/// `coupling` of [`LeadAtK`], as `problem::scattering::Overlap` stores them).
#[derive(Clone, Debug)]
pub struct OpenOverlap {
    /// S_C (n × n), Hermitian positive definite.
    pub s: CMat,
    /// [L, R]: S00, S01 and S_V = ⟨C|layer 1⟩.
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
    /// From a k-independent transport-core problem (orthogonal or with an overlap); a problem
    /// with a transverse k-mesh goes through [`OpenSystem::at_k`] per k-point.
    pub fn from_problem(p: &TransportProblem) -> Result<Self> {
        if p.is_periodic() || p.h_s.depends_on_k() {
            return Err(Error::run(
                "steady state: the problem has a transverse k-mesh; use the k-resolved steady \
                 state (current::transverse_k)",
            ));
        }
        Ok(Self::at_k(p, BlochPhases::default()))
    }

    /// The blocks of a transport-core problem at the Bloch phases k.
    pub fn at_k(p: &TransportProblem, k: BlochPhases) -> Self {
        let overlap = p.overlap.as_ref().map(|o| OpenOverlap {
            s: o.s_s.dense_at_k(k),
            leads: [o.leads[0].at_k(k), o.leads[1].at_k(k)],
        });
        OpenSystem {
            h: p.h_s.dense_at_k(k),
            leads: [p.leads[0].at_k(k), p.leads[1].at_k(k)],
            overlap,
        }
    }

    /// Electrons in the device, spin included in ρ: Tr ρ, or with an overlap the Mulliken count
    /// Re Tr(ρ_CC S_CC) of the device block (the device–lead overlap populations are not
    /// included; they vanish for a device decoupled from its leads).
    pub fn electrons(&self, rho: &CMat) -> f64 {
        let n = self.n();
        match &self.overlap {
            None => (0..n).map(|i| rho[(i, i)].re).sum(),
            Some(o) => (0..n)
                .flat_map(|i| (0..n).map(move |j| (i, j)))
                .map(|(i, j)| (rho[(i, j)] * o.s[(j, i)]).re)
                .sum(),
        }
    }

    /// With an overlap, the orthogonal system of H̃(E) = H − E(S − 1) (couplings V − E S_V)
    /// that has the same real-axis Green's function at E; `None` without an overlap.
    fn effective_at(&self, energy_ev: f64) -> Option<OpenSystem> {
        let o = self.overlap.as_ref()?;
        let lead = |h: &LeadAtK, s: &LeadAtK| {
            let mut v = h.coupling.clone();
            v.entries.extend(
                s.coupling
                    .entries
                    .iter()
                    .map(|&(i, j, x)| (i, j, x * c64(-energy_ev, 0.0))),
            );
            LeadAtK {
                h00: shifted_by_overlap(&h.h00, &s.h00, energy_ev, true),
                h01: shifted_by_overlap(&h.h01, &s.h01, energy_ev, false),
                coupling: merged(v),
            }
        };
        Some(OpenSystem {
            h: shifted_by_overlap(&self.h, &o.s, energy_ev, true),
            leads: [
                lead(&self.leads[0], &o.leads[0]),
                lead(&self.leads[1], &o.leads[1]),
            ],
            overlap: None,
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

    /// The bottom of the contour's energy range: [`Self::spectrum_bottom_ev`] in an orthogonal
    /// basis (a bound). With an overlap, Gershgorin's discs bound neither the pencil's spectrum
    /// nor, for the large overlaps of spd models, S from below, so the estimate is the lowest of
    /// the device's generalized eigenvalues eig(H_C, S_C) and of the lead bands
    /// eig(H(θ), S(θ)) at 17 Bloch phases θ ∈ [0, π] (H(θ) = H00 + H01 e^{iθ} + H01† e^{−iθ}),
    /// less the largest coupling row sum Σ_j |V_ij − E S_V,ij| there: a bound state pulled
    /// further below by the coupling would be missed (the caller adds its depth below this).
    pub fn contour_bottom_ev(&self) -> Result<f64> {
        let Some(o) = &self.overlap else {
            return Ok(self.spectrum_bottom_ev());
        };
        let lowest = |h: &CMat, s: &CMat, what: &str| -> Result<f64> {
            let v = generalized_hermitian_eigenvalues(h.as_ref(), s.as_ref(), what)?;
            Ok(v.into_iter().fold(f64::INFINITY, f64::min))
        };
        let mut bottom = lowest(&self.h, &o.s, "steady state: device levels")?;
        for (h, s) in self.leads.iter().zip(&o.leads) {
            for j in 0..=16 {
                let th = PI * f64::from(j) / 16.0;
                let (hb, sb) = (bloch(h, th), bloch(s, th));
                bottom = bottom.min(lowest(&hb, &sb, "steady state: lead bands")?);
            }
        }
        let mut margin = 0.0f64;
        for (h, s) in self.leads.iter().zip(&o.leads) {
            let mut rows = vec![0.0; self.n()];
            for &(i, _, v) in &h.coupling.entries {
                rows[i] += v.norm();
            }
            for &(i, _, v) in &s.coupling.entries {
                rows[i] += bottom.abs() * v.norm();
            }
            margin = margin.max(rows.into_iter().fold(0.0, f64::max));
        }
        Ok(bottom - margin)
    }

    /// The band energies of both leads at the Bloch phases 0 and π of their principal layer,
    /// eig(H00 ± (H01 + H01†)) (with an overlap, of the pencil with S00 ± (S01 + S01†)): the
    /// band edges of a chain whose bands are monotonic between them (used as breakpoints of the
    /// real-axis integrals).
    pub fn lead_band_edges_ev(&self) -> Result<Vec<f64>> {
        let mut edges = Vec::new();
        for (li, l) in self.leads.iter().enumerate() {
            for sign in [1.0, -1.0] {
                let m = bloch_real(l, sign);
                match &self.overlap {
                    None => edges.extend(hermitian_eigen(m.as_ref(), "lead band edges")?.0),
                    Some(o) => edges.extend(generalized_hermitian_eigenvalues(
                        m.as_ref(),
                        bloch_real(&o.leads[li], sign).as_ref(),
                        "lead band edges",
                    )?),
                }
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
        let a = match &self.overlap {
            None => {
                let couple_at = |l: &LeadAtK| -> Result<LeadCoupling> {
                    let s = lead_surface_decimation(&l.h00, &l.h01, z.re, z.im)?;
                    Ok(couple(&l.coupling, &s))
                };
                let c = [couple_at(&self.leads[0])?, couple_at(&self.leads[1])?];
                self.inverse_matrix(z, &c)
            }
            Some(o) => self.pencil_matrix(z, o)?,
        };
        let g = Lu::new(a.as_ref(), "steady state: z S − H − Σ")?.inverse();
        if !all_finite(g.as_ref()) {
            return Err(Error::run(format!("steady state: G({z}) is not finite")));
        }
        Ok(g)
    }

    /// z S_C − H_C − Σ_L − Σ_R of a non-orthogonal basis, Σ_i = A_Ci g_i A_iC on the device
    /// orbitals that V or S_V couples to lead i.
    fn pencil_matrix(&self, z: C64, o: &OpenOverlap) -> Result<CMat> {
        let n = self.n();
        let pencil = |h: &CMat, s: &CMat, adjoint: bool| {
            if adjoint {
                CMat::from_fn(h.ncols(), h.nrows(), |i, j| {
                    z * s[(j, i)].conj() - h[(j, i)].conj()
                })
            } else {
                CMat::from_fn(h.nrows(), h.ncols(), |i, j| z * s[(i, j)] - h[(i, j)])
            }
        };
        let mut a = CMat::from_fn(n, n, |i, j| z * o.s[(i, j)] - self.h[(i, j)]);
        for (h, s) in self.leads.iter().zip(&o.leads) {
            let g = lead_surface_pencil(
                &pencil(&h.h00, &s.h00, false),
                &pencil(&h.h01, &s.h01, false),
                &pencil(&h.h01, &s.h01, true),
            )?;
            let mut orbitals = h.coupling.nonzero_rows();
            orbitals.extend(s.coupling.nonzero_rows());
            orbitals.sort_unstable();
            orbitals.dedup();
            let (v, sv) = (
                rows_of(&h.coupling, &orbitals),
                rows_of(&s.coupling, &orbitals),
            );
            let a_cl = pencil(&v, &sv, false);
            let sigma = &a_cl * &g * pencil(&v, &sv, true);
            for (r, &i) in orbitals.iter().enumerate() {
                for (c, &j) in orbitals.iter().enumerate() {
                    a[(i, j)] -= sigma[(r, c)];
                }
            }
        }
        Ok(a)
    }

    /// G(E + i0) and Ψ_L, Ψ_R at a real energy, the lead surfaces by mode matching (with an
    /// overlap, those of H̃(E)).
    pub fn green_real(&self, energy_ev: f64) -> Result<RealAxis> {
        if let Some(eff) = self.effective_at(energy_ev) {
            return eff.green_real(energy_ev);
        }
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

/// B(θ) = B00 + B01 e^{iθ} + B01† e^{−iθ} of a lead's layer blocks (H or S).
fn bloch(l: &LeadAtK, th: f64) -> CMat {
    let n = l.h00.nrows();
    let e = c64(th.cos(), th.sin());
    CMat::from_fn(n, n, |i, j| {
        l.h00[(i, j)] + l.h01[(i, j)] * e + l.h01[(j, i)].conj() * e.conj()
    })
}

/// B00 ± (B01 + B01†): [`bloch`] at θ = 0 (sign 1) and π (sign −1).
fn bloch_real(l: &LeadAtK, sign: f64) -> CMat {
    let n = l.h00.nrows();
    CMat::from_fn(n, n, |i, j| {
        l.h00[(i, j)] + (l.h01[(i, j)] + l.h01[(j, i)].conj()) * sign
    })
}

/// Rows `rows` of a sparse block as a dense matrix.
fn rows_of(m: &SparseMatrix, rows: &[usize]) -> CMat {
    let mut d = CMat::zeros(rows.len(), m.ncols);
    for &(i, j, v) in &m.entries {
        if let Ok(r) = rows.binary_search(&i) {
            d[(r, j)] += v;
        }
    }
    d
}
