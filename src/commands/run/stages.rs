//! The protocol stages of a run: the base run (`[minimize]`, `[velocity]`, `[run]`) and the
//! deck's `[[stage]]` tables after it, their lengths, the overrides each applies, and
//! `stages.csv`, where each starts and ends.

use std::path::Path;

use log::info;

use crate::deck::{Deck, MinimizeDeck, StageDeck};
use crate::dynamics::echemdid::EChemDid;
use crate::dynamics::leads::{self, Motion};
use crate::dynamics::thermostat::{Style, Thermostats};
use crate::dynamics::{fire, Md};
use crate::error::Result;
use crate::io::csv::{Cell, CsvWriter};
use crate::setup::drive;

/// A protocol stage (the deck's `[[stage]]`; the base run is built as one too).
pub type Stage = StageDeck;

/// The stages of a deck: the base run first, then the `[[stage]]` tables.
pub fn stages(deck: &Deck) -> Vec<Stage> {
    let mut stages = vec![Stage {
        name: "run".to_string(),
        steps: Some(deck.run.steps),
        cycles: None,
        timestep: None,
        minimize: deck.minimize.clone(),
        velocity: deck.velocity.clone(),
        lead: Vec::new(),
        thermostat: None,
        echemdid_volt: None,
    }];
    stages.extend(deck.stage.iter().cloned());
    stages
}

/// Steps of a stage: `steps`, or `cycles` periods of the first oscillating lead.
pub fn stage_steps(st: &Stage, md: &Md) -> u64 {
    if let Some(n) = st.steps {
        return n;
    }
    let dt = st.timestep.unwrap_or(md.dt);
    let omega = st
        .lead
        .iter()
        .map(drive::motion)
        .chain(leads::of(md).iter().map(|l| l.motion))
        .find_map(|m| match m {
            Motion::Oscillate { omega_per_ps, .. } => Some(omega_per_ps),
            _ => None,
        });
    match (st.cycles, omega) {
        (Some(c), Some(w)) => (c * 2.0 * std::f64::consts::PI / w / dt).round() as u64,
        _ => 0,
    }
}

/// Apply stage `k`'s overrides (`k` > 0 counts the deck's `[[stage]]` tables from 1):
/// timestep, lead motions (restarting from the leads' current positions), thermostats.
pub fn apply_stage(md: &mut Md, st: &Stage, k: usize, deck: &Deck, deck_path: &Path) -> Result<()> {
    if let Some(dt) = st.timestep {
        md.set_timestep(dt);
    }
    for l in &st.lead {
        let t = md.time_ps;
        if let Some(lead) = leads::of_mut(md).iter_mut().find(|x| x.name == l.group) {
            lead.set_motion(drive::motion(l), t);
        }
    }
    if let Some(v) = st.echemdid_volt {
        let key = format!("stage[{}].echemdid_volt", k.saturating_sub(1));
        match md.hooks.find_mut::<EChemDid>() {
            Some(e) if v.is_finite() => e.set_volt(v),
            Some(_) => return Err(deck.key_error(deck_path, &key, "the voltage must be finite")),
            None => {
                return Err(deck.key_error(deck_path, &key, "the deck has no [echemdid] section"))
            }
        }
    }
    if let Some(list) = &st.thermostat {
        // Thermostats keep their identity (and accumulated work, so leads.csv stays cumulative):
        // those on a group in the new list take its parameters, the others switch off.
        let key = format!("stage[{}].thermostat", k.saturating_sub(1));
        let new = drive::thermostats(list, &key, &md.groups, leads::of(md), deck, deck_path)?;
        let current = md.hooks.find_mut::<Thermostats>();
        for th in current.map_or(&mut [][..], |t| &mut t.list[..]) {
            match new.iter().find(|n| n.bit == th.bit) {
                Some(n) => {
                    th.temperature_k = n.temperature_k;
                    th.damping_ps = n.damping_ps;
                    // A Nosé–Hoover chain keeps its state; a Langevin bath takes the new seed and
                    // frame.
                    if let (Style::Langevin { .. }, Style::Langevin { .. }) = (&th.style, &n.style)
                    {
                        th.style = n.style.clone();
                    }
                    th.active = true;
                }
                None => th.active = false,
            }
        }
    }
    Ok(())
}

/// FIRE with a log line.
pub fn minimize_logged(md: &mut Md, m: &MinimizeDeck) -> Result<()> {
    let e0 = md.pe();
    let r = fire::minimize(
        md,
        &fire::FireParams {
            ftol: m.ftol,
            etol: m.etol,
            max_steps: m.max_steps,
            dt: m.dt,
        },
    )?;
    info!(
        "FIRE minimisation: {} steps, energy {:.6} -> {:.6} eV, max force {:.3e} eV/A{}",
        r.steps,
        e0,
        r.pe_ev,
        r.fmax,
        if r.converged {
            ""
        } else {
            " (not converged: step limit)"
        }
    );
    Ok(())
}

/// `stages.csv`: where each stage starts and ends, and the drive of each lead during it.
pub struct StagesCsv(CsvWriter);

impl StagesCsv {
    /// Create `out/stages.csv` with a column triple per lead of `md`; with `resume`, reopen it
    /// at the length it had at a checkpoint.
    pub fn create(out: &Path, md: &Md, resume: Option<u64>) -> Result<StagesCsv> {
        let mut header = vec![
            "stage".to_string(),
            "first_step".into(),
            "last_step".into(),
            "t_start_ps".into(),
            "t_end_ps".into(),
        ];
        for l in leads::of(md) {
            header.push(format!("a0_{}_A", l.name));
            header.push(format!("f_{}_GHz", l.name));
            header.push(format!("zc_{}_A", l.name));
        }
        let h: Vec<&str> = header.iter().map(String::as_str).collect();
        let path = out.join("stages.csv");
        Ok(StagesCsv(match resume {
            None => CsvWriter::create(&path, &h)?,
            Some(len) => CsvWriter::resume(&path, h.len(), len)?,
        }))
    }

    /// The length of `stages.csv` now.
    pub fn len_bytes(&self) -> u64 {
        super::outputs::file_len(self.0.path())
    }

    /// The row of stage `k`, which ran from `first_step` at `t_start_ps` to now; `centers` are
    /// the lead centres along their axes at its end.
    pub fn row(
        &mut self,
        md: &Md,
        k: usize,
        first_step: u64,
        t_start_ps: f64,
        centers: &[f64],
    ) -> Result<()> {
        let mut row: Vec<Cell> = vec![
            (k as u64).into(),
            first_step.into(),
            md.step.into(),
            t_start_ps.into(),
            md.time_ps.into(),
        ];
        for (l, zc) in leads::of(md).iter().zip(centers) {
            let (a0, f) = match l.motion {
                Motion::Oscillate {
                    amplitude_a,
                    omega_per_ps,
                } => (
                    amplitude_a,
                    omega_per_ps / (2.0 * std::f64::consts::PI) * 1e3,
                ),
                _ => (0.0, 0.0),
            };
            row.push(a0.into());
            row.push(f.into());
            row.push((*zc).into());
        }
        self.0.append_row(&row)
    }
}

/// Centre of a lead's atoms along its axis (a reduction: all ranks call it), Å.
pub fn lead_center(md: &Md, bit: u32, axis: usize) -> f64 {
    let a = &md.atoms;
    let mut s = [0.0, 0.0];
    for i in 0..a.nlocal {
        if a.mask[i] & bit != 0 {
            s[0] += a.x[i][axis];
            s[1] += 1.0;
        }
    }
    md.world.sum(&mut s);
    s[0] / s[1].max(1.0)
}
