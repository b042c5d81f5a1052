//! The electrons of the wire of seed 004 Sec. II B: an `sites`-site chain whose `device` central
//! sites are C and whose ends are the two electrodes, ρ(t) under the driven Liouville–von
//! Neumann equation ([`super::liouville`]) while the ions move.
//!
//! Between two ionic positions x(t) and x(t + Δt) (velocity Verlet drifts the ions in a straight
//! line) ρ is carried by `substeps` Runge–Kutta steps with H on that line at each stage's time.
//! At t = 0 ρ is the ground state of the closed chain at μ (levels broadened by Δ), and the
//! electrode references are at μ ± eV/2 from then on: the bias is switched on at t = 0.

use crate::error::{Error, Result};
use crate::transport::ehrenfest::chain::{Banded, ChainModel};
use crate::transport::ehrenfest::liouville::{reference_density, Density, OpenBoundary};
use crate::transport::ehrenfest::runge_kutta::{commutator_radius, Integrator, Propagator};
use crate::units::HBAR_EV_PS;

/// The largest fraction of the integrator's stability limit an electronic step may use: where
/// a compressed bond widens the band past it, [`WireElectrons::advance`] takes more substeps.
pub const STABILITY_MARGIN: f64 = 0.9;

/// The electronic side of one wire.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ElectronSpec {
    /// The chain's model and bond range.
    pub chain: ChainModel,
    /// Sites of the whole chain (electrodes and device).
    pub sites: usize,
    /// Sites of the device C (centred); the rest, split evenly, are the electrodes.
    pub device: usize,
    /// μ (eV).
    pub fermi_ev: f64,
    /// V (volts): μ_L = μ + eV/2 (left electrode, lower x), μ_R = μ − eV/2.
    pub bias_v: f64,
    /// Driving rate Γ (eV); 0 switches the source and sink off (a closed chain).
    pub gamma_ev: f64,
    /// Broadening Δ of the electrode levels (eV).
    pub delta_ev: f64,
    /// Time stepping.
    pub integrator: Integrator,
}

impl ElectronSpec {
    /// The electrode sites: L = 0..n_L, R = n − n_R..n.
    pub fn leads(&self) -> [std::ops::Range<usize>; 2] {
        let nl = (self.sites - self.device) / 2;
        let nr = self.sites - self.device - nl;
        [0..nl, self.sites - nr..self.sites]
    }

    fn validate(&self) -> Result<()> {
        let bad = |what: String| Err(Error::run(format!("wire electrons: {what}")));
        if self.device == 0 || self.device >= self.sites {
            return bad(format!(
                "the device ({}) must be smaller than the chain ({}) and not empty",
                self.device, self.sites
            ));
        }
        let [l, r] = self.leads();
        if l.len() <= self.chain.range || r.len() <= self.chain.range {
            return bad("each electrode needs more sites than the bond range".into());
        }
        for (name, v) in [
            ("fermi_ev", self.fermi_ev),
            ("bias_v", self.bias_v),
            ("gamma_ev", self.gamma_ev),
            ("delta_ev", self.delta_ev),
        ] {
            if !v.is_finite() {
                return bad(format!("{name} must be finite"));
            }
        }
        if self.gamma_ev < 0.0 || self.delta_ev < 0.0 {
            return bad("Γ and Δ must not be negative".into());
        }
        Ok(())
    }
}

/// ρ(t) with the positions it belongs to.
pub struct WireElectrons {
    pub spec: ElectronSpec,
    /// ρ (spin included). Only its upper triangle (j ≥ i) is kept up to date by the steps:
    /// [`WireElectrons::density`] gives the whole matrix.
    pub rho: Density,
    /// Source and sink (None when Γ = 0).
    pub open: Option<OpenBoundary>,
    /// Positions of every site at ρ's time (Å).
    pub x: Vec<f64>,
    /// H at `x`.
    pub h: Banded,
    /// W_S = ∫ Tr{S H} dt since t = 0 (eV): the energy the source and sink put in.
    pub work_ev: f64,
    /// The electronic clock: the time ρ belongs to (ps since t = 0, the sum of the advances).
    pub time_ps: f64,
    /// Substeps [`WireElectrons::advance`] added to the requested ones in this process (where
    /// the band was too wide for them), for the timing reports; not checkpointed.
    pub extra_substeps: u64,
    prop: Propagator,
}

impl WireElectrons {
    /// The closed chain's ground state at positions `x`, the references at μ ± eV/2.
    pub fn new(spec: ElectronSpec, x: Vec<f64>) -> Result<Self> {
        spec.validate()?;
        if x.len() != spec.sites {
            return Err(Error::run(format!(
                "wire electrons: {} positions for {} sites",
                x.len(),
                spec.sites
            )));
        }
        let h = spec.chain.hamiltonian(&x)?;
        let n = spec.sites;
        let full = reference_density(&h, 0..n, spec.fermi_ev, spec.delta_ev)?;
        let rho = Density {
            n,
            re: full,
            im: vec![0.0; n * n],
        };
        let open = if spec.gamma_ev > 0.0 {
            let leads = spec.leads();
            let mu = [
                spec.fermi_ev + 0.5 * spec.bias_v,
                spec.fermi_ev - 0.5 * spec.bias_v,
            ];
            let rho0 = [
                reference_density(&h, leads[0].clone(), mu[0], spec.delta_ev)?,
                reference_density(&h, leads[1].clone(), mu[1], spec.delta_ev)?,
            ];
            Some(OpenBoundary {
                gamma_ev: spec.gamma_ev,
                leads,
                rho0,
            })
        } else {
            None
        };
        Ok(WireElectrons {
            prop: Propagator::new(spec.integrator, n),
            spec,
            rho,
            open,
            x,
            h,
            work_ev: 0.0,
            time_ps: 0.0,
            extra_substeps: 0,
        })
    }

    /// Carry ρ from the current positions to `x_new` over `dt_ps` in `substeps` steps (more
    /// where the band is so wide that a step would use over [`STABILITY_MARGIN`] of the
    /// integrator's stability limit), the ions moving on the straight line between them.
    pub fn advance(&mut self, x_new: &[f64], dt_ps: f64, substeps: usize) -> Result<()> {
        if x_new.len() != self.x.len() || substeps == 0 {
            return Err(Error::run(
                "wire electrons: one position per site and at least one substep",
            ));
        }
        let chain = self.spec.chain;
        let end = chain.hamiltonian(x_new)?;
        let radius = commutator_radius(&self.h).max(commutator_radius(&end));
        let limit = STABILITY_MARGIN * self.spec.integrator.stability_limit();
        let needed = (radius * dt_ps / limit).ceil();
        if !needed.is_finite() || needed > 1e6 {
            return Err(Error::run(format!(
                "wire electrons: the band is too wide ({:.3e} /ps) for an ionic step of {dt_ps} ps",
                radius
            )));
        }
        // Gershgorin's bound is loose for a few compressed bonds: before adding substeps, ask
        // whether H's spectrum at both ends of the step is narrow enough for fewer. m steps
        // need |E_a − E_b|·Δt/(m ħ) ≤ limit, that is the spectrum inside ±m·limit·ħ/(2Δt).
        let mut used = substeps.max(needed as usize);
        if used > substeps {
            used = (substeps..used)
                .find(|&m| {
                    let r = m as f64 * limit * HBAR_EV_PS / (2.0 * dt_ps);
                    self.h.spectrum_within(r) && end.spectrum_within(r)
                })
                .unwrap_or(used);
        }
        self.extra_substeps += (used - substeps) as u64;
        let substeps = used;
        // H at each substep's stage times: hs[s·m + q] at the fraction (s + c_q)/substeps.
        let cs = self.spec.integrator.stage_times();
        let m = cs.len();
        let hs: Vec<Banded> = (0..substeps)
            .flat_map(|s| cs.iter().map(move |&c| (s as f64 + c) / substeps as f64))
            .map(|f| {
                if f == 0.0 {
                    Ok(self.h.clone())
                } else if f == 1.0 {
                    Ok(end.clone())
                } else {
                    chain.hamiltonian_between(&self.x, x_new, f)
                }
            })
            .collect::<Result<_>>()?;
        let h = dt_ps / substeps as f64;
        for s in 0..substeps {
            // `step` asks for H only at this method's own stage times, each of which is in cs.
            let at = |c: f64| {
                let q = cs.iter().position(|&v| v == c);
                &hs[s * m + q.expect("a stage time of the method")]
            };
            self.work_ev += self.prop.step(&mut self.rho, &at, self.open.as_ref(), h);
        }
        self.x.copy_from_slice(x_new);
        self.h = end;
        self.time_ps += dt_ps;
        // An unstable step grows everywhere at once; the band (what the forces, energies and
        // currents read) shows it.
        let n = self.rho.n;
        let finite = (0..n).all(|i| {
            (i..(i + self.spec.chain.range + 1).min(n))
                .all(|j| self.rho.re[i * n + j].is_finite() && self.rho.im[i * n + j].is_finite())
        });
        if !finite {
            return Err(Error::run("wire electrons: ρ is no longer finite"));
        }
        Ok(())
    }

    /// Carry ρ forward by `dt_ps` with the ions where they are.
    pub fn advance_frozen(&mut self, dt_ps: f64, substeps: usize) -> Result<()> {
        let x = self.x.clone();
        self.advance(&x, dt_ps, substeps)
    }

    /// ρ with its lower triangle filled from the upper one (a copy).
    pub fn density(&self) -> Density {
        let mut rho = self.rho.clone();
        rho.fill_lower();
        rho
    }

    /// Forces along the axis on every site (eV/Å): Tr{ρ F̂} and the pair forces.
    pub fn forces(&self) -> Vec<f64> {
        let n = self.rho.n;
        self.spec
            .chain
            .forces(&self.x, |i, j| self.rho.re[i * n + j])
    }

    /// Tr{ρH} (eV).
    pub fn band_energy(&self) -> f64 {
        self.rho.band_energy(&self.h)
    }

    /// Σ P (eV).
    pub fn pair_energy(&self) -> f64 {
        self.spec.chain.pair_energy(&self.x)
    }

    /// Currents through the cuts between sites c and c + 1 for c in `cuts` (µA).
    pub fn cut_currents_ua(&self, cuts: std::ops::Range<usize>) -> Vec<f64> {
        self.rho.cut_currents_ua(&self.h, cuts)
    }
}
