//! Ehrenfest wire decks (TOML) for `nanocontact wire ehrenfest DECK --out DIR` (one trajectory)
//! and `nanocontact wire ehrenfest-scan DECK --out DIR` (the `[scan]` lists on the task farm):
//! seed 004's 800-site chain (Sec. II B), parsed with serde, unknown keys rejected, values
//! checked with file, line and key in every message.
//!
//! ```toml
//! title = "Fig. 4"
//! [chain]
//! sites = 800          # whole chain: electrodes and device
//! device = 300         # central sites C; the rest, split evenly, are the two electrodes
//! mobile = 200         # N, centred in C; the other device sites are rigid
//! spacing = 2.37       # Å
//! tail = [2.6, 5.0]    # Å: the Sutton model's smooth tail (bonds to the sites within its end)
//! [electrons]
//! fermi = 0.0          # μ (eV); 0 is half filling
//! bias = 0.5           # V: electrode references at μ ± eV/2
//! gamma = 0.5          # Γ (eV): driving rate Γ/ħ of the source and sink
//! delta = 0.0005       # Δ (eV): broadening of the electrode levels in the references
//! integrator = "rk4"   # "rk4": the classical Runge–Kutta method; "rk48": eight stages, order 4,
//!                      # 1.22 times the classical method's step per stage (the shipped deck's)
//! [ions]
//! mass = 10.0          # amu
//! displacement = 0.0   # Å, initial sine displacement of the mobile atoms
//! temperature = 0.0    # K, initial Maxwell–Boltzmann velocities of the mobile atoms along the
//!                      # chain (zero total momentum, KE = (N − 1) k_B T / 2 exactly)
//! seed = 1             # of those velocities (each atom's own stream: rank-independent)
//! [run]
//! timestep = 0.1       # fs, ionic
//! substeps = 2         # electronic steps per ionic step
//! time = 5.0           # ps
//! average_from = 3.0   # ps: saturation averages over the rest of the run
//! [output]
//! observables_every = 10   # steps: KE, energies, currents in traj.h5 /observables
//! frames_every = 1000      # steps: positions in traj.h5
//! profile_every = 100      # steps: currents through every cut of C in currents.h5
//! checkpoint = 10000       # steps (0: none); `wire ehrenfest` only, also at SIGUSR1/SIGTERM
//! checkpoint_minutes = 30  # wall time (0: none)
//! [scan]                   # `wire ehrenfest-scan`: every combination is one task
//! mobile = [10, 50, 200]
//! bias = [0.5, 1.0]
//! mass = [10.0]
//! # or, instead of the three lists, the (N, V, M) points themselves:
//! # points = [[200, 0.5, 5.0], [200, 0.5, 10.0], [40, 1.0, 10.0]]
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::io::toml_lines::line_of;
use crate::transport::ehrenfest::chain::ChainModel;
use crate::transport::ehrenfest::electrons::ElectronSpec;
use crate::transport::ehrenfest::runge_kutta::Integrator;
use crate::transport::ehrenfest::trajectory::TrajectorySpec;
use crate::transport::model::sutton::SuttonSBand;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSection {
    pub sites: usize,
    pub device: usize,
    pub mobile: usize,
    pub spacing: f64,
    pub tail: [f64; 2],
}

fn zero() -> f64 {
    0.0
}

fn rk4() -> Integrator {
    Integrator::Rk4
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectronsSection {
    #[serde(default = "zero")]
    pub fermi: f64,
    pub bias: f64,
    pub gamma: f64,
    pub delta: f64,
    #[serde(default = "rk4")]
    pub integrator: Integrator,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IonsSection {
    pub mass: f64,
    #[serde(default = "zero")]
    pub displacement: f64,
    #[serde(default = "zero")]
    pub temperature: f64,
    #[serde(default = "one")]
    pub seed: u64,
}

fn one() -> u64 {
    1
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSection {
    pub timestep: f64,
    pub substeps: usize,
    pub time: f64,
    pub average_from: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    pub observables_every: u64,
    pub frames_every: u64,
    pub profile_every: u64,
    /// `wire ehrenfest`: a checkpoint every this many steps (0: none).
    #[serde(default)]
    pub checkpoint: u64,
    /// `wire ehrenfest`: a checkpoint every this many minutes of wall time (0: none).
    #[serde(default)]
    pub checkpoint_minutes: f64,
}

impl Default for OutputSection {
    fn default() -> Self {
        OutputSection {
            observables_every: 10,
            frames_every: 1000,
            profile_every: 100,
            checkpoint: 0,
            checkpoint_minutes: 0.0,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanSection {
    #[serde(default)]
    pub mobile: Vec<usize>,
    #[serde(default)]
    pub bias: Vec<f64>,
    #[serde(default)]
    pub mass: Vec<f64>,
    /// Explicit (N, V, M) points instead of every combination of the three lists.
    #[serde(default)]
    pub points: Vec<(usize, f64, f64)>,
}

/// The deck.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EhrenfestDeck {
    #[serde(default)]
    pub title: String,
    pub chain: ChainSection,
    pub electrons: ElectronsSection,
    pub ions: IonsSection,
    pub run: RunSection,
    #[serde(default)]
    pub output: OutputSection,
    pub scan: Option<ScanSection>,
}

/// One task of a scan: (N, V, M).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScanTask {
    pub mobile: usize,
    pub bias_v: f64,
    pub mass_amu: f64,
}

impl EhrenfestDeck {
    /// Read and check a deck file.
    pub fn read(path: &Path) -> Result<EhrenfestDeck> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(path, &text)
    }

    /// Parse and check deck text (`path` names it in messages).
    pub fn parse(path: &Path, text: &str) -> Result<EhrenfestDeck> {
        let deck: EhrenfestDeck = toml::from_str(text).map_err(|e| Error::Input {
            path: path.to_path_buf(),
            line: e.span().map(|s| line_of(text, s.start)),
            key: e.span().and_then(|s| super::spans::key_at(text, s.start)),
            msg: e
                .message()
                .replace('\n', " ")
                .replace("expected usize", "expected a non-negative integer")
                .replace("expected f64", "expected a number"),
        })?;
        let bad = |key: &str, msg: String| Error::Input {
            path: path.to_path_buf(),
            line: super::spans::line_of_key(text, key),
            key: Some(key.to_string()),
            msg,
        };
        let positive = |key: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(bad(key, format!("expected a positive number, got {v}")))
            }
        };
        let finite = |key: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(bad(key, format!("expected a finite number, got {v}")))
            }
        };
        let c = &deck.chain;
        positive("chain.spacing", c.spacing)?;
        if !(c.tail[0] > 0.0 && c.tail[1] > c.tail[0] && c.tail[1].is_finite()) {
            return Err(bad(
                "chain.tail",
                "expected [ON, OFF] with 0 < ON < OFF (Å)".into(),
            ));
        }
        if c.tail[1] <= c.spacing {
            return Err(bad(
                "chain.tail",
                format!(
                    "the tail ends at {} Å, inside the spacing {} Å",
                    c.tail[1], c.spacing
                ),
            ));
        }
        if c.device == 0 || c.device + 2 * (deck.range() + 1) > c.sites {
            return Err(bad(
                "chain.device",
                format!(
                    "{} device sites leave too few of the {} for two electrodes",
                    c.device, c.sites
                ),
            ));
        }
        if c.mobile == 0 || c.mobile > c.device {
            return Err(bad(
                "chain.mobile",
                format!("expected 1 to {} (the device), got {}", c.device, c.mobile),
            ));
        }
        let e = &deck.electrons;
        finite("electrons.fermi", e.fermi)?;
        finite("electrons.bias", e.bias)?;
        if !(e.gamma.is_finite() && e.gamma >= 0.0) {
            return Err(bad("electrons.gamma", "expected Γ ≥ 0 (eV)".into()));
        }
        if !(e.delta.is_finite() && e.delta >= 0.0) {
            return Err(bad("electrons.delta", "expected Δ ≥ 0 (eV)".into()));
        }
        positive("ions.mass", deck.ions.mass)?;
        finite("ions.displacement", deck.ions.displacement)?;
        let t = deck.ions.temperature;
        if !(t.is_finite() && t >= 0.0) {
            return Err(bad(
                "ions.temperature",
                format!("expected T ≥ 0 (K), got {t}"),
            ));
        }
        let r = &deck.run;
        positive("run.timestep", r.timestep)?;
        positive("run.time", r.time)?;
        finite("run.average_from", r.average_from)?;
        if r.substeps == 0 {
            return Err(bad("run.substeps", "expected at least 1".into()));
        }
        if (r.time / (r.timestep * 1e-3)).round() < 1.0 {
            return Err(bad("run.time", "shorter than one time step".into()));
        }
        let m = deck.output.checkpoint_minutes;
        if !(m.is_finite() && m >= 0.0) {
            return Err(bad(
                "output.checkpoint_minutes",
                format!("expected minutes ≥ 0 (0: none), got {m}"),
            ));
        }
        if let Some(s) = &deck.scan {
            let lists = !(s.mobile.is_empty() && s.bias.is_empty() && s.mass.is_empty());
            if lists && !s.points.is_empty() {
                return Err(bad(
                    "scan.points",
                    "expected either points or the mobile/bias/mass lists, not both".into(),
                ));
            }
            // Every task, from the points or the lists (a missing list is the deck's own value,
            // checked above).
            let tasks = deck.tasks();
            let key = |list: &str| {
                if s.points.is_empty() {
                    format!("scan.{list}")
                } else {
                    "scan.points".into()
                }
            };
            if let Some(t) = tasks.iter().find(|t| t.mobile == 0 || t.mobile > c.device) {
                return Err(bad(
                    &key("mobile"),
                    format!("N = {}: expected 1 to {} (the device)", t.mobile, c.device),
                ));
            }
            if tasks.iter().any(|t| !t.bias_v.is_finite()) {
                return Err(bad(&key("bias"), "expected finite biases (V)".into()));
            }
            if tasks
                .iter()
                .any(|t| !(t.mass_amu.is_finite() && t.mass_amu > 0.0))
            {
                return Err(bad(&key("mass"), "expected positive masses (amu)".into()));
            }
        }
        Ok(deck)
    }

    /// Bond range: every site within the tail's end of a perfect chain.
    pub fn range(&self) -> usize {
        ((self.chain.tail[1] / self.chain.spacing).floor() as usize).max(1)
    }

    /// Ionic steps of the run.
    pub fn steps(&self) -> u64 {
        (self.run.time / (self.run.timestep * 1e-3)).round() as u64
    }

    /// The trajectory of the deck, with N, V and M replaced by `task`'s.
    pub fn spec(&self, task: &ScanTask) -> TrajectorySpec {
        let c = &self.chain;
        let e = &self.electrons;
        TrajectorySpec {
            electrons: ElectronSpec {
                chain: ChainModel {
                    model: SuttonSBand {
                        r_on_ang: c.tail[0],
                        r_off_ang: c.tail[1],
                        ..SuttonSBand::gold()
                    },
                    range: self.range(),
                },
                sites: c.sites,
                device: c.device,
                fermi_ev: e.fermi,
                bias_v: task.bias_v,
                gamma_ev: e.gamma,
                delta_ev: e.delta,
                integrator: e.integrator,
            },
            spacing_a: c.spacing,
            mobile: task.mobile,
            mass_amu: task.mass_amu,
            dt_fs: self.run.timestep,
            substeps: self.run.substeps,
            steps: self.steps(),
            displacement_a: self.ions.displacement,
            temperature_k: self.ions.temperature,
            seed: self.ions.seed,
            profile_every: self.output.profile_every,
            average_from_ps: self.run.average_from,
        }
    }

    /// The deck's own (N, V, M).
    pub fn task(&self) -> ScanTask {
        ScanTask {
            mobile: self.chain.mobile,
            bias_v: self.electrons.bias,
            mass_amu: self.ions.mass,
        }
    }

    /// The scan's tasks: the `[scan]` points, or else every (N, V, M) of its lists (a missing
    /// list: the deck's own value), the largest N first.
    pub fn tasks(&self) -> Vec<ScanTask> {
        let s = self.scan.clone().unwrap_or_default();
        if !s.points.is_empty() {
            let mut t: Vec<ScanTask> = s
                .points
                .iter()
                .map(|&(mobile, bias_v, mass_amu)| ScanTask {
                    mobile,
                    bias_v,
                    mass_amu,
                })
                .collect();
            t.sort_by_key(|x| std::cmp::Reverse(x.mobile));
            return t;
        }
        let or = |v: Vec<f64>, d: f64| if v.is_empty() { vec![d] } else { v };
        let ns = if s.mobile.is_empty() {
            vec![self.chain.mobile]
        } else {
            s.mobile
        };
        let vs = or(s.bias, self.electrons.bias);
        let ms = or(s.mass, self.ions.mass);
        let mut t = Vec::new();
        for &mobile in &ns {
            for &bias_v in &vs {
                for &mass_amu in &ms {
                    t.push(ScanTask {
                        mobile,
                        bias_v,
                        mass_amu,
                    });
                }
            }
        }
        t.sort_by_key(|x| std::cmp::Reverse(x.mobile));
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = "[chain]\nsites = 60\ndevice = 20\nmobile = 8\nspacing = 2.37\n\
        tail = [2.6, 5.0]\n[electrons]\nfermi = 0.0\nbias = 0.5\ngamma = 0.5\n\
        delta = 0.0005\n[ions]\nmass = 10.0\n[run]\ntimestep = 0.1\nsubsteps = 2\n\
        time = 0.01\naverage_from = 0.005\n[output]\nobservables_every = 10\n\
        frames_every = 50\nprofile_every = 20\n[scan]\n";

    #[test]
    fn scan_points_are_the_tasks_largest_n_first() {
        let text = format!("{DECK}points = [[4, 0.5, 5.0], [12, 1.0, 10.0], [8, 0.5, 20.0]]\n");
        let d = EhrenfestDeck::parse(Path::new("d.toml"), &text).unwrap();
        let t: Vec<(usize, f64, f64)> = d
            .tasks()
            .iter()
            .map(|t| (t.mobile, t.bias_v, t.mass_amu))
            .collect();
        assert_eq!(t, vec![(12, 1.0, 10.0), (8, 0.5, 20.0), (4, 0.5, 5.0)]);
    }

    #[test]
    fn scan_points_with_lists_or_out_of_the_device_are_refused_by_line_and_key() {
        let both = format!("{DECK}mobile = [4]\npoints = [[4, 0.5, 5.0]]\n");
        let e = EhrenfestDeck::parse(Path::new("d.toml"), &both)
            .unwrap_err()
            .to_string();
        assert!(e.contains("scan.points") && e.contains("not both"), "{e}");
        let big = format!("{DECK}points = [[4, 0.5, 5.0], [21, 0.5, 5.0]]\n");
        let e = EhrenfestDeck::parse(Path::new("d.toml"), &big)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("scan.points") && e.contains("N = 21") && e.contains("d.toml:"),
            "{e}"
        );
    }
}
