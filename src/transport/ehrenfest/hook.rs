//! Ehrenfest dynamics as a post-force step hook of the MD (`dynamics::hooks`): every site of the
//! chain is an MD atom (id = site + 1) moving along x, the ones that are not mobile frozen.
//! Velocity Verlet drifts the ions from x(t) to x(t + Δt) at constant velocity; the hook then
//! carries ρ along that straight path ([`WireElectrons::advance`], the electronic substeps) and
//! adds the forces Tr{ρ(t + Δt) F̂} − ∂P/∂x at x(t + Δt) before the second half-kick: the
//! standard velocity-Verlet Ehrenfest step. On the first call (the MD's setup) ρ is where the
//! ions are and is only used for the forces.
//!
//! ρ advances only in a step: `post_integrate` notes that the ions moved, and the next
//! `post_force` carries ρ along that move. A force pass outside a step (the MD's setup, or a
//! restart on another number of ranks, which recomputes the forces) leaves ρ where it is and
//! requires the ions to be where ρ's positions are.
//!
//! The hook reports E_el + E_pair = Tr{ρH} + ΣP as its energy (on rank 0), so that with the
//! ions' kinetic energy E_tot = E_el + E_pair + KE, and E_tot − W_S is conserved up to the
//! integrators' errors (W_S: the work of the source and sink). At `end_of_step` it checks the
//! electronic clock against the MD's and records KE, the energies, W_S and the currents through
//! the cuts of the device.
//!
//! Ranks: the hook runs on any number of MD ranks. The positions of the sites are gathered by
//! one global sum (each site's x from the rank that owns it, zeros elsewhere: exact), and every
//! rank then carries the same ρ, so the forces it adds to its own atoms are those of one rank
//! bit for bit. Checkpoints: every rank saves ρ (re, im), the positions it belongs to, the
//! electronic clock t_el and W_S; a restart on any number of ranks takes rank 0's and rebuilds
//! H from the positions, so the continued run is the uninterrupted one bit for bit.

use crate::dynamics::hooks::Hook;
use crate::dynamics::Md;
use crate::error::{Error, Result};
use crate::io::checkpoint::{Decoder, Encoder};
use crate::neighbor::ListSet;
use crate::potential::Tally;
use crate::transport::ehrenfest::electrons::WireElectrons;

/// One step's record.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StepRecord {
    pub step: u64,
    pub time_ps: f64,
    /// Kinetic energy of the ions (eV).
    pub ke_ev: f64,
    /// Tr{ρH} (eV).
    pub band_ev: f64,
    /// Σ P (eV).
    pub pair_ev: f64,
    /// W_S since t = 0 (eV).
    pub work_ev: f64,
    /// Tr ρ (electrons).
    pub trace: f64,
    /// Current through the cut at the middle of the chain (µA).
    pub current_mid_ua: f64,
    /// Mean and variance (µA, µA²) of the currents through the cuts of the middle half of the
    /// mobile region (seed 004, Fig. 5 and Eq. 11).
    pub current_mean_ua: f64,
    pub current_var_ua2: f64,
}

impl StepRecord {
    /// Numbers in a record.
    pub const FIELDS: usize = 10;

    /// The fields in declaration order (the step as a float: exact below 2⁵³).
    fn to_array(self) -> [f64; Self::FIELDS] {
        [
            self.step as f64,
            self.time_ps,
            self.ke_ev,
            self.band_ev,
            self.pair_ev,
            self.work_ev,
            self.trace,
            self.current_mid_ua,
            self.current_mean_ua,
            self.current_var_ua2,
        ]
    }

    /// The inverse of `to_array` (`v` holds [`Self::FIELDS`] numbers).
    fn from_slice(v: &[f64]) -> StepRecord {
        StepRecord {
            step: v[0] as u64,
            time_ps: v[1],
            ke_ev: v[2],
            band_ev: v[3],
            pair_ev: v[4],
            work_ev: v[5],
            trace: v[6],
            current_mid_ua: v[7],
            current_mean_ua: v[8],
            current_var_ua2: v[9],
        }
    }
}

/// The Ehrenfest hook.
pub struct EhrenfestHook {
    pub electrons: WireElectrons,
    /// Mobile sites.
    pub mobile: std::ops::Range<usize>,
    /// Electronic substeps per ionic step.
    pub substeps: usize,
    /// Cuts whose currents are recorded (between sites c and c + 1): the device's bonds.
    pub cuts: std::ops::Range<usize>,
    /// Keep the currents through every cut every this many steps (0: never).
    pub profile_every: u64,
    pub records: Vec<StepRecord>,
    /// (step, currents through `cuts`) every `profile_every` steps.
    pub profiles: Vec<(u64, Vec<f64>)>,
    /// The first force pass (the MD's setup) was done and recorded.
    started: bool,
    /// The ions moved in this step (set by `post_integrate`): the next force pass advances ρ.
    moved: bool,
}

impl EhrenfestHook {
    /// The hook for electrons at the MD's initial positions.
    pub fn new(
        electrons: WireElectrons,
        mobile: std::ops::Range<usize>,
        substeps: usize,
        cuts: std::ops::Range<usize>,
        profile_every: u64,
    ) -> Self {
        EhrenfestHook {
            electrons,
            mobile,
            substeps,
            cuts,
            profile_every,
            records: Vec::new(),
            profiles: Vec::new(),
            started: false,
            moved: false,
        }
    }

    /// Positions of every site along x, gathered from the ranks that own them.
    fn positions(&self, md: &Md) -> Result<Vec<f64>> {
        let n = self.electrons.x.len();
        let a = &md.atoms;
        let mut buf = vec![0.0; 2 * n];
        for i in 0..a.nlocal {
            let site = (a.id[i] as usize).wrapping_sub(1);
            if site < n {
                buf[site] = a.x[i][0];
                buf[n + site] += 1.0;
            }
        }
        md.world.sum(&mut buf);
        if buf[n..].iter().any(|&c| c != 1.0) {
            return Err(Error::run(
                "Ehrenfest hook: every chain site must be exactly one MD atom (ids 1..n)",
            ));
        }
        buf.truncate(n);
        Ok(buf)
    }

    /// Record the step (every rank computes the same; KE is a global sum).
    fn record(&mut self, md: &Md) {
        let e = &self.electrons;
        let cur = e.cut_currents_ua(self.cuts.clone());
        let c0 = self.cuts.start;
        let mid = (e.x.len() - 1) / 2;
        let current_mid_ua = cur.get(mid.wrapping_sub(c0)).copied().unwrap_or(f64::NAN);
        // The middle half of the mobile region's bonds.
        let q = self.mobile.len() / 4;
        let half: Vec<f64> = (self.mobile.start + q..self.mobile.end.saturating_sub(q + 1))
            .filter_map(|c| cur.get(c.wrapping_sub(c0)).copied())
            .collect();
        let (mean, var) = if half.is_empty() {
            (current_mid_ua, 0.0)
        } else {
            let m = half.iter().sum::<f64>() / half.len() as f64;
            let v = half.iter().map(|c| (c - m) * (c - m)).sum::<f64>() / half.len() as f64;
            (m, v)
        };
        self.records.push(StepRecord {
            step: md.step,
            time_ps: md.time_ps,
            ke_ev: md.kinetic_energy(),
            band_ev: e.band_energy(),
            pair_ev: e.pair_energy(),
            work_ev: e.work_ev,
            trace: e.rho.trace(),
            current_mid_ua,
            current_mean_ua: mean,
            current_var_ua2: var,
        });
        if self.profile_every > 0 && md.step.is_multiple_of(self.profile_every) {
            self.profiles.push((md.step, cur));
        }
    }
}

impl Hook<Md> for EhrenfestHook {
    fn name(&self) -> &str {
        "Ehrenfest electrons"
    }

    fn post_integrate(&mut self, _: &mut Md) -> Result<()> {
        self.moved = true;
        Ok(())
    }

    fn post_force(&mut self, md: &mut Md, _: ListSet) -> Result<Tally> {
        let x = self.positions(md)?;
        if self.moved {
            self.electrons.advance(&x, md.dt, self.substeps)?;
            self.moved = false;
        } else {
            // A force pass outside a step: the ions must be where ρ is.
            if x.iter().zip(&self.electrons.x).any(|(a, b)| a != b) {
                return Err(Error::run(
                    "Ehrenfest hook: the MD's atoms are not where the electrons are (atoms \
                     moved outside an MD step, or the MD is not the one the electrons were \
                     set up or checkpointed with)",
                ));
            }
            if !self.started {
                self.started = true;
                self.record(md);
            }
        }
        let f = self.electrons.forces();
        let a = &mut md.atoms;
        for i in 0..a.nlocal {
            let site = (a.id[i] as usize).wrapping_sub(1);
            if self.mobile.contains(&site) {
                a.f[i][0] += f[site];
            }
        }
        let pe = if md.world.is_root() {
            self.electrons.band_energy() + self.electrons.pair_energy()
        } else {
            0.0
        };
        Ok(Tally {
            pe,
            virial: [0.0; 6],
        })
    }

    fn end_of_step(&mut self, md: &mut Md) -> Result<()> {
        let t_el = self.electrons.time_ps;
        if (t_el - md.time_ps).abs() > 1e-9 * md.time_ps.abs().max(md.dt) {
            return Err(Error::run(format!(
                "Ehrenfest hook: ρ is at t = {t_el} ps but the ions at {} ps (step {})",
                md.time_ps, md.step
            )));
        }
        self.record(md);
        Ok(())
    }

    /// W_S, t_el, the positions, Re ρ and Im ρ; the records and current profiles so far.
    fn save_state(&self) -> Vec<u8> {
        let e = &self.electrons;
        let rho = e.density();
        let mut enc = Encoder::new();
        enc.f64(e.work_ev)
            .f64(e.time_ps)
            .f64s(&e.x)
            .f64s(&rho.re)
            .f64s(&rho.im);
        let records: Vec<f64> = self.records.iter().flat_map(|r| r.to_array()).collect();
        enc.f64s(&records).u64(self.profiles.len() as u64);
        for (step, currents) in &self.profiles {
            enc.u64(*step).f64s(currents);
        }
        enc.finish()
    }

    /// Every rank saved the same electrons: rank 0's are taken, on any number of ranks.
    fn restore_state(&mut self, saved: &[Vec<u8>], _rank: usize, _nranks: usize) -> Result<()> {
        let bytes = saved
            .first()
            .ok_or_else(|| Error::run("Ehrenfest hook: the checkpoint holds no saved state"))?;
        let mut d = Decoder::new(bytes, "Ehrenfest hook");
        let work_ev = d.f64()?;
        let time_ps = d.f64()?;
        let (x, re, im) = (d.f64s()?, d.f64s()?, d.f64s()?);
        let n = self.electrons.x.len();
        if x.len() != n || re.len() != n * n || im.len() != n * n {
            return Err(Error::run(format!(
                "Ehrenfest hook: the checkpoint's electrons are of a chain of {} sites, this \
                 deck's chain has {n}",
                x.len()
            )));
        }
        let flat = d.f64s()?;
        if !flat.len().is_multiple_of(StepRecord::FIELDS) {
            return Err(Error::run(
                "Ehrenfest hook: the checkpoint's records are cut short",
            ));
        }
        let records = flat
            .chunks_exact(StepRecord::FIELDS)
            .map(StepRecord::from_slice)
            .collect();
        // A profile takes at least its step and its length (16 bytes).
        let most = d.remaining() / 16;
        let count = d.count(most)?;
        let mut profiles = Vec::with_capacity(count);
        for _ in 0..count {
            profiles.push((d.u64()?, d.f64s()?));
        }
        if d.remaining() != 0 {
            return Err(Error::run(
                "Ehrenfest hook: the checkpoint holds more than this hook saves",
            ));
        }
        self.records = records;
        self.profiles = profiles;
        let e = &mut self.electrons;
        e.h = e.spec.chain.hamiltonian(&x)?;
        e.work_ev = work_ev;
        e.time_ps = time_ps;
        e.x = x;
        e.rho.re = re;
        e.rho.im = im;
        self.started = true;
        self.moved = false;
        Ok(())
    }
}
