//! What the structure analysis reads: the frames of a `nanocontact run` folder (`traj.h5`, with
//! `deck.toml` and `stages.csv` beside it) or a single LAMMPS data file, and which atoms are the
//! free junction between the leads.
//!
//! Free atoms: for a run whose deck builds a `[structure.junction]`, the builder's `junction`
//! group (the atoms between the thermostatted baths, rebuilt from the deck: the run numbers atoms
//! in build order); otherwise the atoms in none of the groups that the deck's `[[lead]]`,
//! `[[thermostat]]` and `run.freeze` name, those groups' regions evaluated on the first frame (the
//! minimised start, whose atoms sit where the regions were drawn). A data file, or a run whose
//! deck defines no such group, counts every atom as free.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::build::junction;
use crate::deck::Deck;
use crate::error::{Error, Result};
use crate::io::csv::CsvTable;
use crate::io::h5md::H5mdReader;
use crate::io::lammps_data::DataFile;
use crate::system::SimBox;

/// One configuration.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Index of the frame in the trajectory (0 for a data file).
    pub frame: usize,
    pub step: u64,
    pub time_ps: f64,
    pub simbox: SimBox,
    /// Global atom ids, one per position.
    pub ids: Vec<u64>,
    /// Positions (wrapped along periodic axes), Å.
    pub positions: Vec<[f64; 3]>,
}

enum Source {
    Run(H5mdReader),
    Data(Box<Snapshot>),
}

/// An opened input.
pub struct Snapshots {
    /// The run folder or data file.
    pub path: PathBuf,
    source: Source,
    /// Ids of atoms that are not free (leads, baths, frozen); empty when all are free.
    held: HashSet<u64>,
    /// Spacing of the atomic planes along z from the deck's junction, Å.
    pub deck_plane_spacing: Option<f64>,
}

impl Snapshots {
    /// Open a run folder (a directory with `traj.h5`) or a LAMMPS data file with the given
    /// boundary (e.g. "p p f").
    pub fn open(path: &Path, boundary: &str) -> Result<Snapshots> {
        if path.is_dir() {
            return Self::open_run(path);
        }
        let bnd = SimBox::parse_boundary(boundary).ok_or_else(|| {
            Error::run(format!(
                "boundary '{boundary}': expected three letters from p, f, s, e.g. \"p p f\""
            ))
        })?;
        let df = DataFile::read(path)?;
        let ntypes = df.masses.len();
        // Masses do not matter here: give every type one so that files without Masses load.
        let (simbox, atoms) = df.into_system(path, bnd, &vec![Some(1.0); ntypes])?;
        let order = atoms.order_by_id();
        let snap = Snapshot {
            frame: 0,
            step: 0,
            time_ps: 0.0,
            simbox,
            ids: order.iter().map(|&i| atoms.id[i]).collect(),
            positions: order.iter().map(|&i| atoms.x[i]).collect(),
        };
        Ok(Snapshots {
            path: path.to_path_buf(),
            source: Source::Data(Box::new(snap)),
            held: HashSet::new(),
            deck_plane_spacing: None,
        })
    }

    fn open_run(dir: &Path) -> Result<Snapshots> {
        let traj = dir.join("traj.h5");
        if !traj.is_file() {
            return Err(Error::run(format!(
                "{}: no traj.h5 (set [output] trajectory in the deck to record frames)",
                dir.display()
            )));
        }
        let reader = H5mdReader::open(&traj)?;
        if reader.n_frames() == 0 {
            return Err(Error::input(&traj, None, "the trajectory has no frame"));
        }
        let mut s = Snapshots {
            path: dir.to_path_buf(),
            source: Source::Run(reader),
            held: HashSet::new(),
            deck_plane_spacing: None,
        };
        let deck_path = dir.join("deck.toml");
        if deck_path.is_file() {
            let deck = Deck::read(&deck_path)?;
            s.find_held(&deck, &deck_path)?;
        } else {
            log::warn!("{}: no deck.toml, every atom counts as free", dir.display());
        }
        Ok(s)
    }

    /// Collect the ids of the atoms in lead, bath and frozen groups.
    fn find_held(&mut self, deck: &Deck, deck_path: &Path) -> Result<()> {
        let mut names: Vec<&str> = deck.lead.iter().map(|l| l.group.as_str()).collect();
        names.extend(deck.thermostat.iter().map(|t| t.group.as_str()));
        names.extend(deck.run.freeze.iter().map(String::as_str));
        if let Some(j) = &deck.structure.junction {
            let spec = j.spec();
            self.deck_plane_spacing = Some(spec.orientation.plane_spacing(spec.a));
            let built = junction::build(&spec)
                .map_err(|e| Error::key(deck_path, "structure.junction", e.to_string()))?;
            let free = junction::GROUPS
                .iter()
                .position(|g| *g == "junction")
                .unwrap_or(2);
            self.held.extend(
                built
                    .group
                    .iter()
                    .enumerate()
                    .filter(|&(_, &g)| g != free)
                    .map(|(k, _)| k as u64 + 1),
            );
            return Ok(());
        }
        let first = self.snapshot(0)?;
        for g in deck
            .group
            .iter()
            .filter(|g| names.contains(&g.name.as_str()))
        {
            for (id, x) in first.ids.iter().zip(&first.positions) {
                if g.region.contains(x) {
                    self.held.insert(*id);
                }
            }
        }
        Ok(())
    }

    /// Number of frames.
    pub fn n_frames(&self) -> usize {
        match &self.source {
            Source::Run(r) => r.n_frames(),
            Source::Data(_) => 1,
        }
    }

    /// Frame `k`.
    pub fn snapshot(&self, k: usize) -> Result<Snapshot> {
        match &self.source {
            Source::Run(r) => {
                let f = r.frame(k)?;
                Ok(Snapshot {
                    frame: k,
                    step: f.step,
                    time_ps: f.time_ps,
                    simbox: f.simbox,
                    ids: f.ids,
                    positions: f.positions,
                })
            }
            Source::Data(s) if k == 0 => Ok((**s).clone()),
            Source::Data(_) => Err(Error::run(format!(
                "{}: a data file has one frame, frame {k} requested",
                self.path.display()
            ))),
        }
    }

    /// Indices (into the snapshot's atoms) of the free atoms.
    pub fn free(&self, s: &Snapshot) -> Vec<usize> {
        (0..s.ids.len())
            .filter(|&i| !self.held.contains(&s.ids[i]))
            .collect()
    }

    /// Steps of every frame (a run's frames are read once for this).
    pub fn steps(&self) -> Result<Vec<u64>> {
        (0..self.n_frames())
            .map(|k| self.snapshot(k).map(|s| s.step))
            .collect()
    }

    /// Frames whose step lies in stage `stage` of the run's `stages.csv` (first_step ≤ step ≤
    /// last_step).
    pub fn stage_frames(&self, stage: usize) -> Result<Vec<usize>> {
        let (first, last) = stage_bounds(&self.path, stage)?;
        let steps = self.steps()?;
        Ok((0..steps.len())
            .filter(|&k| steps[k] >= first && steps[k] <= last)
            .collect())
    }
}

/// First and last step of stage `stage` in `RUN/stages.csv`.
pub fn stage_bounds(run: &Path, stage: usize) -> Result<(u64, u64)> {
    let t = CsvTable::read(&run.join("stages.csv"))?;
    let (cs, cf, cl) = (t.col("stage")?, t.col("first_step")?, t.col("last_step")?);
    t.rows
        .iter()
        .find(|r| r[cs] as usize == stage)
        .map(|r| (r[cf] as u64, r[cl] as u64))
        .ok_or_else(|| Error::input(&t.path, None, format!("no stage {stage}")))
}

/// Parse a frame selection among `n` frames: `all`, or comma-separated items `i`, `a:b` or
/// `a:b:s` (Python slices: b exclusive, either bound may be empty, negative counts from the
/// end). The indices come back in the order given, each one once.
pub fn select_frames(spec: &str, n: usize) -> Result<Vec<usize>> {
    let bad = |item: &str, why: &str| {
        Error::run(format!(
            "--frames '{spec}': '{item}' {why} (the run has {n} frames; use i, a:b, a:b:s or all)"
        ))
    };
    let index = |item: &str, t: &str, clamp: bool| -> Result<usize> {
        let v: i64 = t.trim().parse().map_err(|_| bad(item, "is not an index"))?;
        let k = if v < 0 { n as i64 + v } else { v };
        if clamp {
            Ok(k.clamp(0, n as i64) as usize)
        } else if (0..n as i64).contains(&k) {
            Ok(k as usize)
        } else {
            Err(bad(item, "is out of range"))
        }
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for item in spec.split(',') {
        let item = item.trim();
        let ks: Vec<usize> = if item == "all" {
            (0..n).collect()
        } else if item.contains(':') {
            let parts: Vec<&str> = item.split(':').collect();
            if parts.len() > 3 {
                return Err(bad(item, "has more than two colons"));
            }
            let a = match parts[0].trim() {
                "" => 0,
                t => index(item, t, true)?,
            };
            let b = match parts[1].trim() {
                "" => n,
                t => index(item, t, true)?,
            };
            let s = match parts.get(2).map(|t| t.trim()) {
                None | Some("") => 1,
                Some(t) => t
                    .parse::<usize>()
                    .ok()
                    .filter(|&s| s > 0)
                    .ok_or_else(|| bad(item, "has a step that is not a positive integer"))?,
            };
            (a..b).step_by(s).collect()
        } else {
            vec![index(item, item, false)?]
        };
        for k in ks {
            if seen.insert(k) {
                out.push(k);
            }
        }
    }
    if out.is_empty() {
        return Err(bad(spec, "selects no frame"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_selections() {
        assert_eq!(select_frames("all", 3).unwrap(), vec![0, 1, 2]);
        assert_eq!(select_frames("-1", 5).unwrap(), vec![4]);
        assert_eq!(select_frames("1:4", 10).unwrap(), vec![1, 2, 3]);
        assert_eq!(select_frames("::3", 7).unwrap(), vec![0, 3, 6]);
        assert_eq!(select_frames("-3:", 10).unwrap(), vec![7, 8, 9]);
        assert_eq!(select_frames("2,0,2", 3).unwrap(), vec![2, 0]);
        assert!(select_frames("5", 3).is_err());
        assert!(select_frames("x", 3).is_err());
        assert!(select_frames("1:2:0", 3).is_err());
        assert!(select_frames("2:1", 3).is_err());
    }
}
