//! The files rank 0 writes during a run step by step (`thermo.csv`, `leads.csv` and the
//! trajectories `traj.h5`, `traj.xyz`, `traj.dump`) and the LAMMPS-like thermo log line;
//! `stages.csv` is [`super::stages::StagesCsv`].

use std::path::Path;

use super::inline_link::TransportLink;
use crate::deck::{Deck, OutputDeck};
use crate::dynamics::echemdid::EChemDid;
use crate::dynamics::leads;
use crate::dynamics::{thermostat, Md, Thermo};
use crate::error::Result;
use crate::io::csv::{Cell, CsvWriter, THERMO_HEADER};
use crate::io::dump::DumpWriter;
use crate::io::extxyz::ExtxyzWriter;
use crate::io::h5md::{H5mdWriter, LENGTH_UNIT};
use crate::system::Atoms;

/// LAMMPS-like thermo header.
pub const THERMO_LOG_HEADER: &str = "    Step    Time(ps)         PotEng         KinEng         TotEng       Temp(K)     Press(bar)   steps/s   ETA(s)";

/// The thermo header, with the column of QEq iterations (LAMMPS `f_q`) for a potential that
/// equilibrates charges.
pub fn thermo_header(qeq: bool) -> String {
    if qeq {
        format!("{THERMO_LOG_HEADER}  QEqIter")
    } else {
        THERMO_LOG_HEADER.to_string()
    }
}

/// The thermo log line of `t`, with the loop's rate (steps/s), ETA (s) and the mean CG
/// iterations of the last charge equilibration.
pub fn thermo_line(t: &Thermo, rate: f64, eta: f64, qeq: Option<f64>) -> String {
    let q = qeq.map(|it| format!(" {it:>8.1}")).unwrap_or_default();
    format!(
        "{:>8} {:>11.4} {:>14.6} {:>14.6} {:>14.6} {:>13.3} {:>14.3} {:>9.1} {:>8.1}{q}",
        t.step,
        t.time_ps,
        t.pe_ev,
        t.ke_ev,
        t.etotal_ev(),
        t.temp_k,
        t.press_bar,
        rate,
        eta
    )
}

/// Whether a deck writes `leads.csv`: it has leads or thermostats and a sampling interval.
pub fn writes_leads_csv(deck: &Deck) -> bool {
    deck.output.leads > 0 && !(deck.lead.is_empty() && deck.thermostat.is_empty())
}

/// The files rank 0 writes during a run: `thermo.csv`, and the trajectories the deck asks for
/// (`traj.h5` H5MD, `traj.xyz` extended XYZ, `traj.dump` LAMMPS dump), each with its interval.
pub struct Outputs {
    thermo: CsvWriter,
    /// `echemdid.csv`: the clamp flux and current of each electrode at thermo steps.
    echemdid: Option<CsvWriter>,
    /// `leads.csv`: lead displacements and forces, thermostat work, with its interval.
    leads: Option<(CsvWriter, u64)>,
    h5md: Option<(H5mdWriter, u64)>,
    xyz: Option<(ExtxyzWriter, u64)>,
    dump: Option<(DumpWriter, u64)>,
}

/// How far each text output had got when a checkpoint was written: its length in bytes (0 for
/// a file the deck does not write). `traj.h5` is cut by step instead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursors {
    pub thermo: u64,
    pub leads: u64,
    pub xyz: u64,
    pub dump: u64,
    pub stages: u64,
}

impl Cursors {
    /// The five lengths in order (thermo, leads, xyz, dump, stages).
    pub fn to_array(self) -> [u64; 5] {
        [self.thermo, self.leads, self.xyz, self.dump, self.stages]
    }

    /// From [`Cursors::to_array`]'s order.
    pub fn from_array(a: [u64; 5]) -> Self {
        Cursors {
            thermo: a[0],
            leads: a[1],
            xyz: a[2],
            dump: a[3],
            stages: a[4],
        }
    }
}

/// Length of the file at `path` (0 if absent): the writers flush every row and frame.
pub fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// A CSV table created anew, or reopened at its cursor after a restart.
fn csv(path: &Path, header: &[&str], resume: Option<u64>) -> Result<CsvWriter> {
    match resume {
        None => CsvWriter::create(path, header),
        Some(len) => CsvWriter::resume(path, header.len(), len),
    }
}

impl Outputs {
    /// Create the files in `out` for a system of `ntypes` types; `qeq`: the potential
    /// equilibrates charges, and `thermo.csv` and `traj.h5` get its iteration count; with
    /// `resume` (the cursors and step of a checkpoint), reopen them as they were then and
    /// append.
    pub fn open(
        out: &Path,
        deck: &Deck,
        ntypes: usize,
        qeq: bool,
        resume: Option<(Cursors, u64)>,
    ) -> Result<Outputs> {
        let cur = resume.map(|r| r.0);
        let leads = if writes_leads_csv(deck) {
            let mut header = vec!["step".to_string(), "time_ps".to_string()];
            for l in &deck.lead {
                header.push(format!("disp_{}_A", l.group));
                header.push(format!("force_{}_nN", l.group));
            }
            for t in &deck.thermostat {
                header.push(format!("heat_{}_eV", t.group));
            }
            let h: Vec<&str> = header.iter().map(String::as_str).collect();
            Some((
                csv(&out.join("leads.csv"), &h, cur.map(|c| c.leads))?,
                deck.output.leads,
            ))
        } else {
            None
        };
        let species: Vec<String> = if deck.output.species.is_empty() {
            (1..=ntypes).map(|t| format!("T{t}")).collect()
        } else {
            deck.output.species.clone()
        };
        let names: Vec<&str> = species.iter().map(String::as_str).collect();
        let o = &deck.output;
        let h5md = match o.trajectory {
            0 => None,
            n if resume.is_some() => {
                let step = resume.map_or(0, |r| r.1);
                Some((H5mdWriter::resume(&out.join("traj.h5"), ntypes, step)?, n))
            }
            n => {
                let mut w = H5mdWriter::create(&out.join("traj.h5"), &names, "nanocontact user")?;
                for (name, unit) in [
                    ("pe", "eV"),
                    ("ke", "eV"),
                    ("etotal", "eV"),
                    ("temperature", "K"),
                    ("pressure", "bar"),
                ] {
                    w.declare_observable(name, unit)?;
                }
                if qeq {
                    w.declare_observable("qeq_iterations", "")?;
                }
                // The rigid leads' imposed displacement and force at every frame (beside the
                // conductance of inline transport); leads.csv has them at its own interval.
                for l in &deck.lead {
                    w.declare_observable(&format!("lead_{}_displacement", l.group), LENGTH_UNIT)?;
                    w.declare_observable(&format!("lead_{}_force", l.group), "nN")?;
                }
                Some((w, n))
            }
        };
        let (xyz_path, dump_path) = (out.join("traj.xyz"), out.join("traj.dump"));
        let xyz = match (o.xyz, cur) {
            (0, _) => None,
            (n, None) => Some((ExtxyzWriter::create(&xyz_path, &names)?, n)),
            (n, Some(c)) => Some((ExtxyzWriter::resume(&xyz_path, &names, c.xyz)?, n)),
        };
        let dump = match (o.dump, cur) {
            (0, _) => None,
            (n, None) => Some((DumpWriter::create(&dump_path)?, n)),
            (n, Some(c)) => Some((DumpWriter::resume(&dump_path, c.dump)?, n)),
        };
        let mut header = THERMO_HEADER.to_vec();
        if qeq {
            header.push("qeq_iterations");
        }
        // After a restart echemdid.csv is appended to where it ends (its rows after the
        // checkpoint's step are written again).
        let echemdid_path = out.join("echemdid.csv");
        let echemdid = match &deck.echemdid {
            Some(_) => Some(csv(
                &echemdid_path,
                &[
                    "step",
                    "time_ps",
                    "flux_plus_V_per_ps",
                    "flux_minus_V_per_ps",
                    "current_plus_A",
                    "current_minus_A",
                ],
                cur.map(|_| file_len(&echemdid_path)),
            )?),
            None => None,
        };
        Ok(Outputs {
            thermo: csv(&out.join("thermo.csv"), &header, cur.map(|c| c.thermo))?,
            echemdid,
            leads,
            h5md,
            xyz,
            dump,
        })
    }

    /// The cursors of the text outputs now (`stages` is filled in by the caller).
    pub fn cursors(&self) -> Cursors {
        let len = |p: Option<&Path>| p.map_or(0, file_len);
        Cursors {
            thermo: file_len(self.thermo.path()),
            leads: len(self.leads.as_ref().map(|(w, _)| w.path())),
            xyz: len(self.xyz.as_ref().map(|(w, _)| w.path())),
            dump: len(self.dump.as_ref().map(|(w, _)| w.path())),
            stages: 0,
        }
    }

    /// A row of `thermo.csv`, with the QEq iterations where the potential reports them.
    pub fn thermo_row(&mut self, t: &Thermo, qeq: Option<f64>) -> Result<()> {
        let mut row: Vec<Cell> = vec![
            t.step.into(),
            t.time_ps.into(),
            t.pe_ev.into(),
            t.ke_ev.into(),
            t.etotal_ev().into(),
            t.temp_k.into(),
            t.press_bar.into(),
        ];
        if let Some(it) = qeq {
            row.push(it.into());
        }
        self.thermo.append_row(&row)?;
        Ok(())
    }

    /// The thermo quantities as observables of `traj.h5`, at every frame: MDAnalysis reads
    /// observable sample k as the data of frame k, so they share the frames' steps.
    fn thermo_observables(&mut self, t: &Thermo, qeq: Option<f64>) -> Result<()> {
        if let Some((w, _)) = &mut self.h5md {
            let mut obs = vec![
                ("pe", t.pe_ev),
                ("ke", t.ke_ev),
                ("etotal", t.etotal_ev()),
                ("temperature", t.temp_k),
                ("pressure", t.press_bar),
            ];
            if let Some(it) = qeq {
                obs.push(("qeq_iterations", it));
            }
            w.append_observables(t.step, t.time_ps, &obs)?;
        }
        Ok(())
    }

    /// A row of `echemdid.csv`: the flux that holds each electrode's clamp (V/ps) and the
    /// current through it (A) in the last step.
    pub fn echemdid_row(&mut self, t: &Thermo, e: &EChemDid) -> Result<()> {
        if let Some(w) = &mut self.echemdid {
            let row: Vec<Cell> = vec![
                t.step.into(),
                t.time_ps.into(),
                e.flux[0].into(),
                e.flux[1].into(),
                e.current[0].into(),
                e.current[1].into(),
            ];
            w.append_row(&row)?;
        }
        Ok(())
    }

    /// Whether any trajectory wants a frame at `step` (all ranks must agree: it is collective).
    fn wants_frame(o: &OutputDeck, step: u64) -> bool {
        [o.trajectory, o.xyz, o.dump]
            .iter()
            .any(|&n| n > 0 && step.is_multiple_of(n))
    }

    /// `/observables/conductance` of `traj.h5`: G/G0 per transport snapshot.
    pub fn conductance(&mut self, steps: &[u64], times_ps: &[f64], g_g0: &[f64]) -> Result<()> {
        let Some((w, _)) = &mut self.h5md else {
            log::warn!(
                "transport: no traj.h5 (output.trajectory = 0): G(t) is in transport/conductance.csv only"
            );
            return Ok(());
        };
        for ((&s, &t), &g) in steps.iter().zip(times_ps).zip(g_g0) {
            w.append_observable("conductance", s, t, g)?;
        }
        Ok(())
    }

    fn frame(&mut self, md: &Md, all: &Atoms) -> Result<()> {
        let (step, t) = (md.step, md.time_ps);
        if let Some((w, n)) = &mut self.h5md {
            if step % *n == 0 {
                w.append_frame(step, t, &md.simbox, all)?;
            }
        }
        if let Some((w, n)) = &mut self.xyz {
            if step % *n == 0 {
                w.append_frame(step, t, &md.simbox, all)?;
            }
        }
        if let Some((w, n)) = &mut self.dump {
            if step % *n == 0 {
                w.append_frame(step, &md.simbox, all)?;
            }
        }
        Ok(())
    }
}

/// Sample lead displacements and forces (nN) and the heat each thermostat removed (eV) into
/// `leads.csv` when due, and the lead displacements and forces into `traj.h5` as the
/// observables `lead_<group>_displacement` (Å) and `lead_<group>_force` (nN) at every frame
/// (collective).
pub fn write_leads(md: &Md, outputs: &mut Option<Outputs>, deck: &Deck) -> Result<()> {
    let (n, frames) = (deck.output.leads, deck.output.trajectory);
    let csv_due = writes_leads_csv(deck) && md.step.is_multiple_of(n);
    let h5_due = frames > 0 && !deck.lead.is_empty() && md.step.is_multiple_of(frames);
    if !csv_due && !h5_due {
        return Ok(());
    }
    let f = leads::forces(md);
    let w = thermostat::work_ev(md);
    if let Some((csv, _)) = outputs
        .as_mut()
        .and_then(|o| o.leads.as_mut())
        .filter(|_| csv_due)
    {
        let mut row: Vec<Cell> = vec![md.step.into(), md.time_ps.into()];
        for (l, fl) in leads::of(md).iter().zip(&f) {
            row.push(l.displacement(md.time_ps).into());
            row.push((fl * crate::units::EV_PER_A_IN_NN).into());
        }
        for wk in &w {
            row.push((-wk).into());
        }
        csv.append_row(&row)?;
    }
    if let Some((w, _)) = outputs.as_mut().and_then(|o| o.h5md.as_mut()) {
        if h5_due {
            let names: Vec<(String, String)> = deck
                .lead
                .iter()
                .map(|l| {
                    (
                        format!("lead_{}_displacement", l.group),
                        format!("lead_{}_force", l.group),
                    )
                })
                .collect();
            let mut obs: Vec<(&str, f64)> = Vec::new();
            for ((l, fl), (nd, nf)) in leads::of(md).iter().zip(&f).zip(&names) {
                obs.push((nd, l.displacement(md.time_ps)));
                obs.push((nf, fl * crate::units::EV_PER_A_IN_NN));
            }
            w.append_observables(md.step, md.time_ps, &obs)?;
        }
    }
    Ok(())
}

/// Write the trajectory frames due at this step (collective over the MD ranks): with the atoms
/// the snapshot sender gathered at this step if it did, else gathered here.
pub fn write_frames(md: &Md, outputs: &mut Option<Outputs>, deck: &Deck) -> Result<()> {
    if !Outputs::wants_frame(&deck.output, md.step) {
        return Ok(());
    }
    let frames = deck.output.trajectory;
    if frames > 0 && md.step.is_multiple_of(frames) {
        let th = md.thermo();
        let qeq = md.potential.report().qeq_iterations;
        if let Some(o) = outputs.as_mut() {
            o.thermo_observables(&th, qeq)?;
        }
    }
    let link = md.hooks.find::<TransportLink>();
    let own;
    let all = match link.and_then(|l| l.gathered_at(md.step)) {
        Some(all) => all,
        None => {
            own = md.gather();
            own.as_ref()
        }
    };
    if let (Some(o), Some(all)) = (outputs.as_mut(), all) {
        o.frame(md, all)?;
    }
    Ok(())
}
