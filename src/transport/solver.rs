//! The Landauer solver: a frozen [`TransportProblem`] plus its slicing, evaluated per transverse
//! k and per energy. Lead self-energies are recomputed per (E, k); H_S is cut into slices once
//! per k.

use super::problem::{BlochPhases, LeadAtK, TransportProblem};
use super::rgf::{rgf_transmission, SlicedHamiltonian, Slicing, Transmission};
use super::self_energy::{couple, lead_surface, LeadSurface, SelfEnergyMethod};
use crate::error::Result;

/// A transport problem ready to solve.
#[derive(Clone, Debug)]
pub struct Solver {
    problem: TransportProblem,
    slicing: Slicing,
    method: SelfEnergyMethod,
}

/// The solver at one transverse k.
#[derive(Clone, Debug)]
pub struct KSolver<'a> {
    solver: &'a Solver,
    /// The Bloch phases.
    pub k: BlochPhases,
    sliced: SlicedHamiltonian,
    leads: [LeadAtK; 2],
}

/// k-averaged results at one energy: T and the channel counts are plain weighted averages.
#[derive(Clone, Debug, PartialEq)]
pub struct AveragedTransmission {
    pub t_lr: f64,
    pub t_rl: f64,
    pub open_l: f64,
    pub open_r: f64,
}

impl Solver {
    /// Block RGF along the transport axis (slices found from the structure of H_S).
    pub fn new(problem: TransportProblem, method: SelfEnergyMethod) -> Result<Self> {
        problem.validate()?;
        let slicing = Slicing::from_problem(&problem);
        Ok(Solver {
            problem,
            slicing,
            method,
        })
    }

    /// One dense solve of all of S (for checks; O(n_S³)).
    pub fn dense(problem: TransportProblem, method: SelfEnergyMethod) -> Result<Self> {
        problem.validate()?;
        let slicing = Slicing::single(problem.n_s());
        Ok(Solver {
            problem,
            slicing,
            method,
        })
    }

    /// The problem solved.
    pub fn problem(&self) -> &TransportProblem {
        &self.problem
    }

    /// The slicing used by RGF.
    pub fn slicing(&self) -> &Slicing {
        &self.slicing
    }

    /// Freeze the blocks at Bloch phases k (k is ignored by k-independent problems).
    pub fn at_k(&self, k: impl Into<BlochPhases>) -> Result<KSolver<'_>> {
        let k = k.into();
        let sliced = SlicedHamiltonian::at_k(&self.problem.h_s, k, &self.slicing)?;
        Ok(KSolver {
            solver: self,
            k,
            sliced,
            leads: [self.problem.leads[0].at_k(k), self.problem.leads[1].at_k(k)],
        })
    }

    /// T, channels and eigenchannels at every k-point (or the single non-periodic point).
    pub fn transmission_per_k(&self, energy: f64) -> Result<Vec<Transmission>> {
        self.problem
            .kpoints_or_gamma()
            .iter()
            .map(|kp| self.at_k(kp.k)?.transmission(energy))
            .collect()
    }

    /// Weighted k-average of T_LR, T_RL and the open channel counts from per-k results.
    pub fn average(&self, per_k: &[Transmission]) -> AveragedTransmission {
        let kp = self.problem.kpoints_or_gamma();
        let mut a = AveragedTransmission {
            t_lr: 0.0,
            t_rl: 0.0,
            open_l: 0.0,
            open_r: 0.0,
        };
        for (w, t) in kp.iter().map(|k| k.weight).zip(per_k) {
            a.t_lr += w * t.t_lr;
            a.t_rl += w * t.t_rl;
            a.open_l += w * t.open_l as f64;
            a.open_r += w * t.open_r as f64;
        }
        a
    }
}

impl KSolver<'_> {
    /// Caroli transmission, channel counts and eigenchannels at one energy.
    pub fn transmission(&self, energy: f64) -> Result<Transmission> {
        let surfaces = self.lead_surfaces(energy)?;
        self.transmission_with_surfaces(energy, &surfaces)
    }

    /// The surface Green's functions of both leads at one energy, to be reused by other
    /// scattering regions that share these leads (e.g. the snapshots of an MD run).
    pub fn lead_surfaces(&self, energy: f64) -> Result<[LeadSurface; 2]> {
        let m = self.solver.method;
        let (l, r) = (&self.leads[0], &self.leads[1]);
        let sl = lead_surface(&l.h00, &l.h01, energy, m)?;
        // Leads with identical layer blocks (a wire continued on both sides) share one surface.
        let sr = if l.h00 == r.h00 && l.h01 == r.h01 {
            sl.clone()
        } else {
            lead_surface(&r.h00, &r.h01, energy, m)?
        };
        Ok([sl, sr])
    }

    /// Transmission with lead surfaces computed beforehand (same leads, same E and k); only
    /// the couplings V of this problem are applied: Σ = V g V†, Γ = V F F† V†.
    pub fn transmission_with_surfaces(
        &self,
        energy: f64,
        surfaces: &[LeadSurface; 2],
    ) -> Result<Transmission> {
        let cl = couple(&self.leads[0].coupling, &surfaces[0]);
        let cr = couple(&self.leads[1].coupling, &surfaces[1]);
        rgf_transmission(&self.sliced, &self.solver.slicing, energy, [&cl, &cr])
    }

    /// The leads at this k.
    pub fn leads(&self) -> &[LeadAtK; 2] {
        &self.leads
    }
}
