//! The transport ranks of an MD run with a `[transport]` section (`nanocontact run`): the world
//! is split into MD ranks and transport ranks; MD rank 0 sends a snapshot every `every` steps
//! ([`crate::parallel::snapshot_link`]) and the transport ranks farm its (snapshot, k∥) units
//! among themselves while the MD goes on, with the same units, lead cache and results file as
//! the offline farm ([`super::farm`]).
//!
//! On the transport side, rank 0 takes snapshots off the link between its own units (and
//! between energies of a unit), hands units out ([`crate::parallel::task_farm`], fed while it
//! runs) with the snapshot attached the first time a rank works on it, and stores each result
//! in `OUT/transport/farm.h5` as it arrives, logging every completed snapshot with its G/G0.
//! Every transport rank builds the leads, k∥ points and E_F from the first snapshot (broadcast
//! by rank 0), so a unit gives the same numbers on any rank, and the same numbers as `farm` on
//! the stored frame. When the MD has sent its end mark and every unit is done, rank 0 writes
//! the tables and figures of `farm` into `OUT/transport/` and answers MD rank 0 with the
//! conductance series (step, time, G/G0 per snapshot), which goes into `traj.h5`.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use log::info;

use super::farm::{report_ranks, write_farm_tables, ResultSink, UnitWorker};
use super::snapshot::{Snapshot, TransportSetup};
use super::store::{Store, StoreMeta};
use crate::deck::transport::TransportDeck;
use crate::deck::TransportSection;
use crate::error::{Error, Result};
use crate::parallel::snapshot_link::{Incoming, SnapshotReceiver};
use crate::parallel::task_farm::{run_fed_task_farm, FarmUnit, Feed, NoFeed};
use crate::parallel::World;

/// Prefix of the transport ranks' log lines.
const TAG: &str = "transport: ";

/// The conductance series the transport side answers with: `[n, steps (n), times (n), G/G0
/// (n)]`, one entry per snapshot with a stored unit (G is NaN unless every k∥ point is done).
pub fn encode_series(steps: &[u64], times_ps: &[f64], g_g0: &[f64]) -> Vec<f64> {
    let mut m = vec![steps.len() as f64];
    m.extend(steps.iter().map(|&s| s as f64));
    m.extend_from_slice(times_ps);
    m.extend_from_slice(g_g0);
    m
}

/// (steps, times, G/G0) of [`encode_series`].
pub fn decode_series(m: &[f64]) -> Result<(Vec<u64>, Vec<f64>, Vec<f64>)> {
    let n = m.first().map(|&n| n as usize).unwrap_or(0);
    if m.len() != 1 + 3 * n {
        return Err(Error::run(format!(
            "the transport ranks' conductance series has {} numbers for {n} snapshots",
            m.len()
        )));
    }
    Ok((
        m[1..1 + n].iter().map(|&s| s as u64).collect(),
        m[1 + n..1 + 2 * n].to_vec(),
        m[1 + 2 * n..].to_vec(),
    ))
}

fn to_bytes(v: &[f64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn from_bytes(b: &[u8]) -> Vec<f64> {
    b.chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect()
}

/// Rank 0's feed of the farm: snapshots from the link become units, and a unit carries its
/// snapshot to a rank that does not hold it.
struct SnapshotFeed {
    link: SnapshotReceiver,
    every: u64,
    nk: usize,
    /// Encoded snapshots (bytes) by frame, with the number of their units not handed out yet.
    frames: HashMap<u64, (Vec<u8>, usize)>,
    /// The frame each rank holds.
    held: Vec<Option<u64>>,
    /// Whether the end mark has arrived.
    ended: bool,
}

impl SnapshotFeed {
    /// Register the snapshot `msg` (encoded) and return its units.
    fn add(&mut self, msg: &[f64]) -> Vec<FarmUnit> {
        let frame = msg[0] as u64 / self.every;
        self.frames.insert(frame, (to_bytes(msg), self.nk));
        (0..self.nk)
            .map(|ik| FarmUnit {
                id: frame * self.nk as u64 + ik as u64,
                affinity: ik as u64,
            })
            .collect()
    }
}

impl Feed for SnapshotFeed {
    fn poll(&mut self) -> Result<Option<Vec<FarmUnit>>> {
        if self.ended {
            return Ok(None);
        }
        let mut units = Vec::new();
        while let Some(m) = self.link.try_receive()? {
            match m {
                Incoming::Snapshot(s) => units.extend(self.add(&s)),
                Incoming::End => {
                    self.ended = true;
                    break;
                }
            }
        }
        Ok(Some(units))
    }

    fn attachment(&mut self, id: u64, rank: usize) -> Result<Vec<u8>> {
        let frame = id / self.nk as u64;
        let (bytes, left) = self
            .frames
            .get_mut(&frame)
            .ok_or_else(|| Error::run(format!("transport: unit {id} of an unknown snapshot")))?;
        let out = if self.held[rank] == Some(frame) {
            Vec::new()
        } else {
            self.held[rank] = Some(frame);
            bytes.clone()
        };
        *left -= 1;
        if *left == 0 {
            self.frames.remove(&frame);
        }
        Ok(out)
    }
}

/// Run this rank's part of the transport group (`group`: the transport ranks; `link`: from MD
/// rank 0) until the MD has ended and every snapshot is done. `deck_path` is the MD deck.
pub fn serve(
    deck_path: &Path,
    section: &TransportSection,
    out: &Path,
    group: &World,
    link: SnapshotReceiver,
) -> Result<()> {
    let root = group.is_root();
    if root {
        // This rank logs the transport side's progress beside MD rank 0's lines.
        log::set_max_level(log::LevelFilter::Info);
    }
    let tdeck: &TransportDeck = section
        .problem
        .as_ref()
        .ok_or_else(|| Error::key(deck_path, "transport.deck", "the deck was not read"))?;
    let groups = crate::setup::deck_group_ids(deck_path)?;
    let species = crate::deck::Deck::read(deck_path)?.output.species;
    // The first snapshot, on every transport rank: the reference of the leads.
    let mut first = Vec::new();
    if root {
        if let Incoming::Snapshot(s) = link.receive()? {
            first = to_bytes(&s);
        }
    }
    group.broadcast_bytes(&mut first);
    if first.is_empty() {
        if root {
            info!("{TAG}the MD sent no snapshot");
            link.answer(&encode_series(&[], &[], &[]))?;
        }
        return Ok(());
    }
    let first = from_bytes(&first);
    let frame0 = first[0] as u64 / section.every;
    let reference = Snapshot::decode(frame0 as usize, &first, &species)?;
    let setup = TransportSetup::new(tdeck, &section.deck, &reference, Some(&groups)).map_err(
        |e| match e {
            Error::Run(msg) => Error::input(&section.deck, None, msg),
            other => other,
        },
    )?;
    let nk = setup.points.len();
    let dir = out.join("transport");
    let mut sink = None;
    let mut feed = None;
    let mut units = Vec::new();
    if root {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let store_path = dir.join("farm.h5");
        // A new run: its snapshots are new.
        if store_path.exists() {
            std::fs::remove_file(&store_path).map_err(|e| Error::io(&store_path, e))?;
        }
        let meta = StoreMeta {
            config: format!(
                "inline: md deck {:?}; every {}; model: {:?}; leads: {:?}; kpoints: {:?}; \
                 energy: {:?}",
                deck_path, section.every, tdeck.model, tdeck.leads, tdeck.kpoints, tdeck.energy
            ),
            fermi_ev: setup.fermi_ev,
            energies: setup.energies.clone(),
            points: setup.points.clone(),
            n_eig: setup.n_eig,
        };
        sink = Some(ResultSink::new(
            Store::open_or_create(&store_path, &meta)?,
            &setup,
            TAG,
        ));
        info!(
            "{TAG}{} rank(s), a snapshot every {} steps, {nk} k-point(s) per snapshot, E_F = \
             {:.6} eV, {} energies; results in {}",
            group.size(),
            section.every,
            setup.fermi_ev,
            setup.energies.len(),
            dir.display()
        );
        let mut f = SnapshotFeed {
            link,
            every: section.every,
            nk,
            frames: HashMap::new(),
            held: vec![None; group.size()],
            ended: false,
        };
        units = f.add(&first);
        feed = Some(f);
    }
    let mut worker = UnitWorker::new(&setup, &tdeck.farm, group.rank());
    let t_start = Instant::now();
    let mut work = |id: u64, attachment: &[u8], poll: &mut dyn FnMut()| -> Vec<u8> {
        let (frame, ik) = (id / nk as u64, (id % nk as u64) as usize);
        worker
            .solve(
                frame,
                ik,
                || Snapshot::decode(frame as usize, &from_bytes(attachment), &species),
                poll,
            )
            .encode()
    };
    let mut on_result = |_id: u64, _rank: usize, bytes: Vec<u8>| -> Result<()> {
        ResultSink::record_on_root(&mut sink, &bytes)
    };
    let mut no_feed = NoFeed;
    let fed: &mut dyn Feed = match feed.as_mut() {
        Some(f) => f,
        None => &mut no_feed,
    };
    run_fed_task_farm(group, units, fed, &mut work, &mut on_result)?;
    let wall = t_start.elapsed().as_secs_f64();
    report_ranks(group, worker.stats(), wall, TAG);
    let (Some(ResultSink { mut store, .. }), Some(feed)) = (sink, feed) else {
        return Ok(());
    };
    let rows = write_farm_tables(&mut store, &dir)?;
    let complete = rows.iter().filter(|r| r.k_done == nk).count();
    info!(
        "{TAG}{complete} of {} snapshot(s) complete ({} unit(s) failed); conductance.csv, \
         transmission.csv, failures.csv, figures and farm.h5 in {}",
        rows.len(),
        store.n_failures(),
        dir.display()
    );
    let steps: Vec<u64> = rows.iter().map(|r| r.step).collect();
    let times: Vec<f64> = rows.iter().map(|r| r.time_ps).collect();
    let g: Vec<f64> = rows.iter().map(|r| r.g_g0).collect();
    feed.link.answer(&encode_series(&steps, &times, &g))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_and_bytes_round_trip() {
        let m = encode_series(&[0, 10], &[0.0, 0.02], &[1.5, f64::NAN]);
        let (s, t, g) = decode_series(&m).unwrap();
        assert_eq!((s, t), (vec![0, 10], vec![0.0, 0.02]));
        assert_eq!(g[0], 1.5);
        assert!(g[1].is_nan());
        assert!(decode_series(&m[..4]).is_err());
        let v = [1.0, -2.5e-300, f64::MAX];
        assert_eq!(from_bytes(&to_bytes(&v)), v);
    }
}
