//! EChemDID, electrochemical dynamics with implicit degrees of freedom (Onofrio and Strachan,
//! J. Chem. Phys. 143, 054109 (2015); Onofrio, Guzman and Strachan, Nat. Mater. 14, 440
//! (2015)), as a pre-force step hook: every atom of a metal group carries a local
//! electrochemical potential Φ (the registered per-atom field [`PHI`], volts) that relaxes by a
//! fictitious diffusion within connected metal, from two electrode groups clamped at ±V/2, and
//! shifts the electronegativity of the charge equilibration: its right-hand side becomes
//! −χ_i − Φ_i (eV, Φ in V for a charge in e).
//!
//! Each MD step of length Δt makes n_elec explicit sub-steps
//!
//! Φ_i ← Φ_i + k Δt L_i / n_elec,  L_i = (1/norm) Σ_j w(r_ij) (Φ_j − Φ_i) / r_ij²,
//! w(r) = (1 − r²/r_c²)² for r < r_c,
//!
//! over the metal neighbours j of each metal atom i (a discrete Laplacian: on a chain of spacing
//! a with r_c < 2a and norm = w(a), L is (Φ_{i+1} − 2Φ_i + Φ_{i−1})/a² and Φ obeys ∂Φ/∂t =
//! k ∂²Φ/∂x²). Before each sub-step the electrodes are set back to ±V/2 and Φ goes to the
//! ghosts; after the last one the electrodes are clamped again, so that the charge
//! equilibration sees them at exactly ±V/2 (the public `fix echemdid` leaves them one
//! sub-step off). Φ does not cross a gap wider than r_c.
//!
//! Reported per electrode: the flux that holds the clamp, J = Σ_i (±V/2 − Φ_i)/Δt summed over
//! the clamp's resets in a step (V/ps; the public code's `js`), and the current I = dQ/dt, the
//! change of the electrode group's total charge between two steps over Δt: charge the clamp
//! injects into the system through that electrode. 1 e/ps = 1.602176634e-7 A.

use super::hooks::Hook;
use super::Md;
use crate::error::{Error, Result};
use crate::neighbor::{ListRequest, ListSet};
use crate::parallel::Comm;
pub use crate::system::ECHEMDID_PHI as PHI;

/// Name of the per-atom flag of the metal atoms (1) that Φ diffuses over.
pub const METAL: &str = "echemdid_metal";
use crate::system::{FieldId, FieldSpec, CHARGE};

/// Amperes per e/ps.
pub const AMPERE_PER_E_PER_PS: f64 = 1.602176634e-19 / 1e-12;

/// The parameters of EChemDID (deck `[echemdid]`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EChemDidParams {
    /// Diffusivity k, Å²/ps.
    pub k: f64,
    /// Cutoff r_c of the weight, Å.
    pub rc: f64,
    /// Normalisation of the Laplacian.
    pub norm: f64,
    /// Sub-steps per MD step.
    pub n_elec: usize,
    /// Voltage V between the electrodes, V.
    pub volt: f64,
}

/// EChemDID on a metal group between two electrode groups (group bits).
pub struct EChemDid {
    params: EChemDidParams,
    metal: u32,
    electrodes: [u32; 2],
    /// Φ, and 1 on metal atoms (0 elsewhere): group masks stay with owned atoms, this flag
    /// travels to the ghosts.
    field: Option<[FieldId; 2]>,
    lap: Vec<f64>,
    /// Clamp flux of each electrode in the last step, V/ps.
    pub flux: [f64; 2],
    /// Current into the system through each electrode in the last step, A.
    pub current: [f64; 2],
    /// Electrode charges of the previous step (e), once known.
    last_charge: Option<[f64; 2]>,
    /// Whether the set-up evaluation has been seen.
    started: bool,
}

impl EChemDid {
    /// EChemDID with `params` on the atoms of group bit `metal`, the electrodes at +V/2
    /// (`electrodes[0]`) and −V/2 (`electrodes[1]`).
    pub fn new(params: EChemDidParams, metal: u32, electrodes: [u32; 2]) -> Result<EChemDid> {
        let p = &params;
        if !(p.k > 0.0 && p.rc > 0.0 && p.norm > 0.0 && p.n_elec > 0 && p.volt.is_finite()) {
            return Err(Error::run(format!(
                "echemdid: k = {}, r_c = {}, norm = {}, n_elec = {}, V = {}: expected k, r_c, \
                 norm and n_elec positive and V finite",
                p.k, p.rc, p.norm, p.n_elec, p.volt
            )));
        }
        Ok(EChemDid {
            params,
            metal,
            electrodes,
            field: None,
            lap: Vec::new(),
            flux: [0.0; 2],
            current: [0.0; 2],
            last_charge: None,
            started: false,
        })
    }

    /// A new voltage between the electrodes (a protocol stage), V.
    pub fn set_volt(&mut self, volt: f64) {
        self.params.volt = volt;
    }

    /// The Φ field (zero) and the metal flag, registered on first use.
    fn fields(&mut self, md: &mut Md) -> Result<[FieldId; 2]> {
        if let Some(f) = self.field {
            return Ok(f);
        }
        let mut reg = |name| {
            md.atoms
                .register_field(FieldSpec::scalar(name, true, true))
                .map_err(Error::run)
        };
        let f = [reg(PHI)?, reg(METAL)?];
        let a = &mut md.atoms;
        for i in 0..a.nlocal {
            let is_metal = a.mask[i] & self.metal != 0;
            a.fields.get_mut(f[1])[i] = if is_metal { 1.0 } else { 0.0 };
        }
        let mut comm = Comm::new(&mut md.ghosts, &md.world);
        comm.forward_field(&mut md.atoms, f[1]);
        self.field = Some(f);
        Ok(f)
    }

    /// Set the electrodes to ±V/2; the sum of the resets of each, V.
    fn clamp(&self, md: &mut Md, f: FieldId) -> [f64; 2] {
        let half = 0.5 * self.params.volt;
        let a = &mut md.atoms;
        let mut reset = [0.0; 2];
        let phi = a.fields.get_mut(f);
        for (p, &m) in phi.iter_mut().zip(&a.mask).take(a.nlocal) {
            for (e, target) in [(0, half), (1, -half)] {
                if m & self.electrodes[e] != 0 {
                    reset[e] += target - *p;
                    *p = target;
                }
            }
        }
        reset
    }

    /// Total charge of each electrode group (e), summed over ranks.
    fn electrode_charges(&self, md: &Md) -> Option<[f64; 2]> {
        let a = &md.atoms;
        let q = a.fields.get(a.fields.find(CHARGE)?);
        let mut s = [0.0; 2];
        for (&qi, &m) in q.iter().zip(&a.mask).take(a.nlocal) {
            for (e, se) in s.iter_mut().enumerate() {
                if m & self.electrodes[e] != 0 {
                    *se += qi;
                }
            }
        }
        md.world.sum(&mut s);
        Some(s)
    }
}

impl Hook<Md> for EChemDid {
    fn name(&self) -> &str {
        "EChemDID"
    }

    fn neighbor_requests(&self) -> Vec<ListRequest> {
        vec![ListRequest::full(self.params.rc)]
    }

    fn pre_force(&mut self, md: &mut Md, lists: ListSet) -> Result<()> {
        let [f, metal] = self.fields(md)?;
        let p = self.params;
        let rc2 = p.rc * p.rc;
        let step = p.k * md.dt / p.n_elec as f64;
        // Φ relaxes at every force evaluation of a step (as the public fix does after each
        // integration); the set-up evaluation only clamps.
        let relax = if self.started { p.n_elec } else { 0 };
        let first = !self.started;
        self.started = true;
        let mut reset = [0.0; 2];
        for _ in 0..relax {
            let r = self.clamp(md, f);
            reset[0] += r[0];
            reset[1] += r[1];
            let mut comm = Comm::new(&mut md.ghosts, &md.world);
            comm.forward_field(&mut md.atoms, f);
            let a = &md.atoms;
            let list = &md.lists.get(lists)[0];
            let (phi, is_metal) = (a.fields.get(f), a.fields.get(metal));
            self.lap.clear();
            self.lap.resize(a.nlocal, 0.0);
            for i in 0..a.nlocal {
                if is_metal[i] == 0.0 {
                    continue;
                }
                let xi = a.x[i];
                let mut l = 0.0;
                for &j in list.of(i) {
                    let j = j as usize;
                    if is_metal[j] == 0.0 {
                        continue;
                    }
                    let d = [a.x[j][0] - xi[0], a.x[j][1] - xi[1], a.x[j][2] - xi[2]];
                    let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                    if r2 < rc2 {
                        let w = (1.0 - r2 / rc2).powi(2);
                        l += w * (phi[j] - phi[i]) / r2;
                    }
                }
                self.lap[i] = l / p.norm;
            }
            let phi = md.atoms.fields.get_mut(f);
            for (ph, l) in phi.iter_mut().zip(&self.lap) {
                *ph += step * l;
            }
        }
        let r = self.clamp(md, f);
        reset[0] += r[0];
        reset[1] += r[1];
        md.world.sum(&mut reset);
        // The first clamp sets the electrodes from their initial Φ: no flux.
        self.flux = if first {
            [0.0; 2]
        } else {
            [reset[0] / md.dt, reset[1] / md.dt]
        };
        let mut comm = Comm::new(&mut md.ghosts, &md.world);
        comm.forward_field(&mut md.atoms, f);
        Ok(())
    }

    /// The voltage (a stage may have changed it), whether Φ has started relaxing, the flux,
    /// the current and the electrode charges of the last step: global values, the same on
    /// every rank.
    fn save_state(&self) -> Vec<u8> {
        let q = self.last_charge.unwrap_or([f64::NAN; 2]);
        let vals = [
            self.params.volt,
            f64::from(u8::from(self.started)),
            self.flux[0],
            self.flux[1],
            self.current[0],
            self.current[1],
            q[0],
            q[1],
        ];
        vals.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    fn restore_state(&mut self, saved: &[Vec<u8>], _rank: usize, _nranks: usize) -> Result<()> {
        let bytes = saved.first().map_or(&[][..], |b| &b[..]);
        if bytes.len() != 64 {
            return Err(Error::run(format!(
                "echemdid: the checkpoint holds {} bytes of its state, expected 64",
                bytes.len()
            )));
        }
        let v: Vec<f64> = bytes
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().expect("8-byte chunk")))
            .collect();
        self.params.volt = v[0];
        self.started = v[1] != 0.0;
        self.flux = [v[2], v[3]];
        self.current = [v[4], v[5]];
        self.last_charge = (!v[6].is_nan()).then_some([v[6], v[7]]);
        Ok(())
    }

    fn end_of_step(&mut self, md: &mut Md) -> Result<()> {
        // The charges of this step's equilibration, against the last step's.
        if let Some(now) = self.electrode_charges(md) {
            if let Some(before) = self.last_charge {
                for e in 0..2 {
                    self.current[e] = (now[e] - before[e]) / md.dt * AMPERE_PER_E_PER_PS;
                }
            }
            self.last_charge = Some(now);
        }
        Ok(())
    }
}

/// The EChemDID hook of a run, if it has one.
pub fn of(md: &Md) -> Option<&EChemDid> {
    md.hooks.find::<EChemDid>()
}
