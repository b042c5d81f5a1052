//! The single s-orbital tight-binding model of gold of Sutton et al. as used by Cunningham,
//! Todorov and Dundas, Phys. Rev. B 90, 115430 (2014), Sec. II (seed 004):
//!
//!   H_mn = −(ε c / 2) (a / R_mn)^q,   P_mn = ε (a / R_mn)^p,
//!
//! a = 4.08 Å, ε = 0.007868 eV, c = 139.07, q = 4, p = 11, on-site energies 0; hopping and pair
//! potential truncated between first and second neighbours by a smooth tail. The paper does
//! not give the tail's form; here it is the quintic smoothstep s(x) = 1 − 10x³ + 15x⁴ − 6x⁵,
//! x = (R − r_on)/(r_off − r_on) (continuous with two derivatives), by default between
//! r_on = 3.3 Å and r_off = 3.9 Å: above the nearest-neighbour distances of chains (2.3–2.9 Å)
//! and of fcc gold (2.88 Å), below the second-neighbour distances (≥ 4.08 Å).

use crate::transport::dense::{c64, CMat};
use crate::transport::model::tight_binding::TightBinding;

/// Parameters of the Sutton s-band model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SuttonSBand {
    /// Length scale a (Å).
    pub a_ang: f64,
    /// Energy scale ε (eV).
    pub eps_ev: f64,
    /// Dimensionless c.
    pub c: f64,
    /// Hopping exponent q.
    pub q: f64,
    /// Pair-potential exponent p.
    pub p: f64,
    /// Start of the smooth tail (Å).
    pub r_on_ang: f64,
    /// End of the smooth tail: hopping and pair potential vanish beyond (Å).
    pub r_off_ang: f64,
}

impl SuttonSBand {
    /// Gold (seed 004 parameters, default tail 3.3–3.9 Å).
    pub fn gold() -> Self {
        SuttonSBand {
            a_ang: 4.08,
            eps_ev: 0.007868,
            c: 139.07,
            q: 4.0,
            p: 11.0,
            r_on_ang: 3.3,
            r_off_ang: 3.9,
        }
    }

    /// The smooth tail s(R): 1 below r_on, 0 beyond r_off.
    pub fn tail(&self, r: f64) -> f64 {
        if r <= self.r_on_ang {
            1.0
        } else if r >= self.r_off_ang {
            0.0
        } else {
            let x = (r - self.r_on_ang) / (self.r_off_ang - self.r_on_ang);
            1.0 - x * x * x * (10.0 - 15.0 * x + 6.0 * x * x)
        }
    }

    /// Hopping −(εc/2)(a/R)^q · s(R) in eV.
    pub fn hopping_ev(&self, r: f64) -> f64 {
        -(self.eps_ev * self.c / 2.0) * (self.a_ang / r).powf(self.q) * self.tail(r)
    }

    /// Gold without the tail: the bare power laws at every distance (the nearest-neighbour
    /// chain of the `wire response` contract, where only nearest neighbours are bonded).
    pub fn gold_untruncated() -> Self {
        SuttonSBand {
            r_on_ang: f64::INFINITY,
            r_off_ang: f64::INFINITY,
            ..Self::gold()
        }
    }

    /// The tail and its first two derivatives [s, s′, s″] (per Å, per Å²).
    pub fn tail_derivatives(&self, r: f64) -> [f64; 3] {
        if r <= self.r_on_ang {
            [1.0, 0.0, 0.0]
        } else if r >= self.r_off_ang {
            [0.0, 0.0, 0.0]
        } else {
            let w = self.r_off_ang - self.r_on_ang;
            let x = (r - self.r_on_ang) / w;
            let s = 1.0 - x * x * x * (10.0 - 15.0 * x + 6.0 * x * x);
            let ds = -30.0 * x * x * (1.0 - x) * (1.0 - x) / w;
            let dds = -60.0 * x * (1.0 - x) * (1.0 - 2.0 * x) / (w * w);
            [s, ds, dds]
        }
    }

    /// Hopping, Eq. (1) of seed 004 times the tail, and its first two derivatives with
    /// respect to R: [H, dH/dR, d²H/dR²] in eV, eV/Å, eV/Å².
    pub fn hopping_derivatives(&self, r: f64) -> [f64; 3] {
        let pre = -(self.eps_ev * self.c / 2.0);
        self.times_tail(power_law(pre, self.a_ang, self.q, r), r)
    }

    /// Pair potential, Eq. (2) of seed 004 times the tail, and its first two derivatives:
    /// [P, dP/dR, d²P/dR²] in eV, eV/Å, eV/Å².
    pub fn pair_derivatives(&self, r: f64) -> [f64; 3] {
        self.times_tail(power_law(self.eps_ev, self.a_ang, self.p, r), r)
    }

    /// (f·s, (f·s)′, (f·s)″) from f and its derivatives.
    fn times_tail(&self, f: [f64; 3], r: f64) -> [f64; 3] {
        let s = self.tail_derivatives(r);
        [
            f[0] * s[0],
            f[1] * s[0] + f[0] * s[1],
            f[2] * s[0] + 2.0 * f[1] * s[1] + f[0] * s[2],
        ]
    }
}

/// c (a/R)^n and its first two derivatives with respect to R.
fn power_law(c: f64, a: f64, n: f64, r: f64) -> [f64; 3] {
    let v = c * (a / r).powf(n);
    [v, -n * v / r, n * (n + 1.0) * v / (r * r)]
}

impl TightBinding for SuttonSBand {
    fn orbitals(&self, _species: usize) -> usize {
        1
    }

    fn onsite(&self, _species: usize) -> CMat {
        CMat::zeros(1, 1)
    }

    fn hopping(&self, _si: usize, _sj: usize, bond: [f64; 3]) -> Option<CMat> {
        let r = (bond[0] * bond[0] + bond[1] * bond[1] + bond[2] * bond[2]).sqrt();
        if r >= self.r_off_ang {
            return None;
        }
        let h = self.hopping_ev(r);
        Some(CMat::from_fn(1, 1, |_, _| c64(h, 0.0)))
    }

    fn cutoff(&self) -> f64 {
        self.r_off_ang
    }
}
