//! The Landauer solver: a frozen [`TransportProblem`] plus its slicing, evaluated per transverse
//! k and per energy. Lead self-energies are recomputed per (E, k); H_S is cut into slices once
//! per k. With a non-orthogonal basis the overlap is sliced alongside, and at each energy the
//! solver works on H̃(E) = H − E(S − 1) (see [`crate::transport::problem::scattering`]).

use std::borrow::Cow;

use crate::error::Result;
use crate::transport::dense::{c64, CMat};
use crate::transport::problem::scattering::{BlochPhases, LeadAtK, SparseMatrix, TransportProblem};
use crate::transport::solver::rgf::{rgf_transmission, SlicedHamiltonian, Slicing, Transmission};
use crate::transport::solver::self_energy::{couple, lead_surface, SelfEnergyMethod};
use crate::transport::solver::surface::LeadSurface;

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
    /// The overlap's S_S slices and lead blocks at k (non-orthogonal basis only).
    overlap: Option<(SlicedHamiltonian, [LeadAtK; 2])>,
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
        let slicing = Slicing::from_problem(&problem.pattern_with_overlap());
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
        let overlap = match &self.problem.overlap {
            Some(o) => Some((
                SlicedHamiltonian::at_k(&o.s_s, k, &self.slicing)?,
                [o.leads[0].at_k(k), o.leads[1].at_k(k)],
            )),
            None => None,
        };
        Ok(KSolver {
            solver: self,
            k,
            sliced,
            leads: [self.problem.leads[0].at_k(k), self.problem.leads[1].at_k(k)],
            overlap,
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
        let [(l00, l01), (r00, r01)] = [0, 1].map(|li| self.layer_blocks(li, energy));
        let sl = lead_surface(&l00, &l01, energy, m)?;
        // Leads with identical layer blocks (a wire continued on both sides) share one surface.
        let sr = if l00 == r00 && l01 == r01 {
            sl.clone()
        } else {
            lead_surface(&r00, &r01, energy, m)?
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
        let cl = couple(&self.coupling(0, energy), &surfaces[0]);
        let cr = couple(&self.coupling(1, energy), &surfaces[1]);
        let sliced = match &self.overlap {
            None => Cow::Borrowed(&self.sliced),
            Some((s, _)) => Cow::Owned(effective_slices(&self.sliced, s, energy)),
        };
        rgf_transmission(&sliced, &self.solver.slicing, energy, [&cl, &cr])
    }

    /// Lead `li`'s layer blocks entering the solver at `energy`: H00 and H01 as they are, or
    /// with an overlap H00 − E(S00 − 1) and H01 − E S01.
    fn layer_blocks(&self, li: usize, energy: f64) -> (Cow<'_, CMat>, Cow<'_, CMat>) {
        let h = &self.leads[li];
        match &self.overlap {
            None => (Cow::Borrowed(&h.h00), Cow::Borrowed(&h.h01)),
            Some((_, s)) => (
                Cow::Owned(shifted_by_overlap(&h.h00, &s[li].h00, energy, true)),
                Cow::Owned(shifted_by_overlap(&h.h01, &s[li].h01, energy, false)),
            ),
        }
    }

    /// Lead `li`'s coupling to S at `energy`: V, or with an overlap V − E S_V.
    fn coupling(&self, li: usize, energy: f64) -> Cow<'_, SparseMatrix> {
        let h = &self.leads[li].coupling;
        let Some((_, s)) = &self.overlap else {
            return Cow::Borrowed(h);
        };
        let mut v = h.clone();
        v.entries.extend(
            s[li]
                .coupling
                .entries
                .iter()
                .map(|&(i, j, x)| (i, j, x * c64(-energy, 0.0))),
        );
        Cow::Owned(merged(v))
    }

    /// The leads at this k.
    pub fn leads(&self) -> &[LeadAtK; 2] {
        &self.leads
    }
}

/// H − E(S − 1) (`diagonal`: a block on the diagonal of the full matrix) or H − E S.
pub(crate) fn shifted_by_overlap(h: &CMat, s: &CMat, energy: f64, diagonal: bool) -> CMat {
    CMat::from_fn(h.nrows(), h.ncols(), |i, j| {
        let unit = if diagonal && i == j { 1.0 } else { 0.0 };
        h[(i, j)] - (s[(i, j)] - c64(unit, 0.0)) * c64(energy, 0.0)
    })
}

/// The slices of H̃(E) = H − E(S − 1).
fn effective_slices(
    h: &SlicedHamiltonian,
    s: &SlicedHamiltonian,
    energy: f64,
) -> SlicedHamiltonian {
    let off = |a: &[CMat], b: &[CMat]| -> Vec<CMat> {
        a.iter()
            .zip(b)
            .map(|(x, y)| shifted_by_overlap(x, y, energy, false))
            .collect()
    };
    SlicedHamiltonian {
        diag: h
            .diag
            .iter()
            .zip(&s.diag)
            .map(|(x, y)| shifted_by_overlap(x, y, energy, true))
            .collect(),
        upper: off(&h.upper, &s.upper),
        lower: off(&h.lower, &s.lower),
    }
}

/// Entries sorted by (row, column) with duplicates summed.
pub(crate) fn merged(mut m: SparseMatrix) -> SparseMatrix {
    m.entries.sort_by_key(|e| (e.0, e.1));
    let mut out: Vec<(usize, usize, crate::transport::dense::C64)> =
        Vec::with_capacity(m.entries.len());
    for e in m.entries {
        match out.last_mut() {
            Some(last) if (last.0, last.1) == (e.0, e.1) => last.2 += e.2,
            _ => out.push(e),
        }
    }
    m.entries = out;
    m
}
