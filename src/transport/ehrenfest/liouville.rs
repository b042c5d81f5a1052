//! The driven Liouville–von Neumann equation of the open-boundary method (Sánchez et al.,
//! J. Chem. Phys. 124, 214708 (2006); McEniry et al., J. Phys.: Condens. Matter 19, 196201
//! (2007); seed 004 Sec. II B) for the one-electron density matrix ρ (spin 2 included):
//!
//!   dρ/dt = (1/iħ)[H, ρ] + S(ρ),
//!   S_ij = −(Γ/2ħ)(w_i + w_j)(ρ_ij − ρ⁰_ij),
//!
//! w_i = 1 on the electrode sites (L, R) and 0 in the device C, ρ⁰ = ρ⁰_L ⊕ 0 ⊕ ρ⁰_R. Block by
//! block this is the method's source/sink: −Γ/ħ (ρ − ρ⁰) on LL and RR, −Γ/2ħ ρ on LC, CL, RC,
//! CR, −Γ/ħ ρ on LR, RL, nothing on CC. ρ⁰_{L,R} are the density matrices of the isolated
//! electrodes at μ_{L,R} = μ ± eV/2, their levels broadened by Δ ([`reference_density`]). Γ is
//! the driving (injection/absorption) rate in energy units, Δ the broadening of the electrode
//! levels (see `bench/ehrenfest/README.md` for why Γ = 0.5 eV and Δ = 0.0005 eV).
//!
//! S is Hermitian, so ρ stays Hermitian; the commutator is traceless, so Tr ρ changes only
//! through S (conserved to round-off when Γ = 0). The energy flowing in through S is
//! P_S = Tr{S H} = Σ_bonds 2 H_ij Re S_ij, so that d Tr{ρH}/dt = P_S + Tr{ρ ∂H/∂t}.
//!
//! Time stepping ([`super::runge_kutta`]) is the classical Runge–Kutta method on ρ's upper
//! triangle, with H taken on the ions' straight path at each stage's time; the work
//! W_S = ∫ P_S dt is integrated as one more component of the same step.

use std::ops::Range;

use crate::error::{Error, Result};
use crate::transport::dense::{c64, hermitian_eigen, CMat};
use crate::transport::ehrenfest::chain::Banded;
use crate::units::G0_SIEMENS;

/// Spin degeneracy (ρ holds 2 electrons per orbital when full).
pub const SPIN: f64 = 2.0;

/// A density matrix ρ = re + i·im, n × n, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Density {
    pub n: usize,
    pub re: Vec<f64>,
    pub im: Vec<f64>,
}

impl Density {
    /// The zero matrix.
    pub fn zeros(n: usize) -> Self {
        Density {
            n,
            re: vec![0.0; n * n],
            im: vec![0.0; n * n],
        }
    }

    /// Tr ρ (electrons).
    pub fn trace(&self) -> f64 {
        (0..self.n).map(|i| self.re[i * self.n + i]).sum()
    }

    /// Copy the upper triangle's conjugate into the lower one: ρ_ji = conj ρ_ij for j > i (the
    /// steps of [`super::runge_kutta`] update the upper triangle only). Tiled, so that the
    /// column-wise writes stay in cache.
    pub fn fill_lower(&mut self) {
        const TILE: usize = 32;
        let n = self.n;
        for bi in (0..n).step_by(TILE) {
            for bj in (0..=bi).step_by(TILE) {
                for i in bi..(bi + TILE).min(n) {
                    for j in bj..(bj + TILE).min(i) {
                        self.re[i * n + j] = self.re[j * n + i];
                        self.im[i * n + j] = -self.im[j * n + i];
                    }
                }
            }
        }
    }

    /// max |ρ_ij − conj(ρ_ji)| (with the lower triangle filled from the upper one, what is left
    /// is max |Im ρ_ii|).
    pub fn hermiticity_error(&self) -> f64 {
        let n = self.n;
        let mut e: f64 = 0.0;
        for i in 0..n {
            for j in i..n {
                let (a, b) = (i * n + j, j * n + i);
                e = e
                    .max((self.re[a] - self.re[b]).abs())
                    .max((self.im[a] + self.im[b]).abs());
            }
        }
        e
    }

    /// E_el = Tr{ρH} = Σ_bonds 2 H_ij Re ρ_ij (eV).
    pub fn band_energy(&self, h: &Banded) -> f64 {
        let n = self.n;
        let mut e = 0.0;
        for (kk, d) in h.off.iter().enumerate() {
            let k = kk + 1;
            for (i, &hv) in d.iter().enumerate() {
                e += 2.0 * hv * self.re[i * n + i + k];
            }
        }
        e
    }

    /// Bond current I_ij = 2πG0 Im(H_ji ρ_ij) (µA), electrons from site i to site j
    /// (`transport::current::bond_current`).
    pub fn bond_current_ua(&self, h: &Banded, i: usize, j: usize) -> f64 {
        2.0 * std::f64::consts::PI * G0_SIEMENS * 1e6 * h.get(j, i) * self.im[i * self.n + j]
    }

    /// The current (µA) through the cut between sites c and c + 1 for each c in `cuts`: the sum
    /// of the bond currents of every bond that crosses it, positive along +x.
    pub fn cut_currents_ua(&self, h: &Banded, cuts: Range<usize>) -> Vec<f64> {
        let r = h.off.len();
        let n = self.n;
        cuts.map(|c| {
            let mut s = 0.0;
            for m in c.saturating_sub(r - 1)..=c {
                for k in (c + 1 - m)..=r {
                    if m + k < n {
                        s += self.bond_current_ua(h, m, m + k);
                    }
                }
            }
            s
        })
        .collect()
    }
}

/// The source and sink terms on the electrode sites.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenBoundary {
    /// Driving rate Γ (eV; the rate is Γ/ħ).
    pub gamma_ev: f64,
    /// The electrode sites: L = 0..n_L and R = n − n_R..n.
    pub leads: [Range<usize>; 2],
    /// ρ⁰ of each electrode, dense, row-major over its own sites.
    pub rho0: [Vec<f64>; 2],
}

impl OpenBoundary {
    /// The electrode holding site i, if any.
    pub(crate) fn lead_of(&self, i: usize) -> Option<usize> {
        self.leads.iter().position(|l| l.contains(&i))
    }

    /// ρ⁰_ij (zero unless i and j are in the same electrode).
    pub(crate) fn rho0(&self, i: usize, j: usize) -> f64 {
        match (self.lead_of(i), self.lead_of(j)) {
            (Some(a), Some(b)) if a == b => {
                let l = &self.leads[a];
                let m = l.len();
                self.rho0[a][(i - l.start) * m + (j - l.start)]
            }
            _ => 0.0,
        }
    }
}

/// Occupation of a level at ε broadened by a Lorentzian of half-width Δ, at zero temperature:
/// f = 1/2 + arctan((μ − ε)/Δ)/π (a step for Δ = 0).
pub fn lorentzian_occupation(e: f64, mu: f64, delta: f64) -> f64 {
    if delta > 0.0 {
        0.5 + ((mu - e) / delta).atan() / std::f64::consts::PI
    } else if e < mu {
        1.0
    } else if e > mu {
        0.0
    } else {
        0.5
    }
}

/// ρ = SPIN · Σ_k f(ε_k) φ_k φ_kᵀ of the sites `sites` of H taken alone (an isolated electrode,
/// or the whole closed chain), levels filled to μ with broadening Δ; dense real, row-major.
pub fn reference_density(h: &Banded, sites: Range<usize>, mu: f64, delta: f64) -> Result<Vec<f64>> {
    let m = sites.len();
    if m == 0 || sites.end > h.n() {
        return Err(Error::run("open boundary: an electrode with no sites"));
    }
    let hm = CMat::from_fn(m, m, |i, j| {
        c64(h.get(sites.start + i, sites.start + j), 0.0)
    });
    let (e, u) = hermitian_eigen(hm.as_ref(), "electrode reference density")?;
    let f: Vec<f64> = e
        .iter()
        .map(|&ek| SPIN * lorentzian_occupation(ek, mu, delta))
        .collect();
    let mut rho = vec![0.0; m * m];
    // Real symmetric H: the eigenvectors are real up to a phase per column, which cancels in
    // φ φ†; take Re(φ_i conj φ_j).
    for (k, &fk) in f.iter().enumerate() {
        if fk == 0.0 {
            continue;
        }
        for i in 0..m {
            let ui = u[(i, k)];
            for j in 0..m {
                let uj = u[(j, k)];
                rho[i * m + j] += fk * (ui.re * uj.re + ui.im * uj.im);
            }
        }
    }
    Ok(rho)
}
