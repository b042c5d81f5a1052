//! The snapshot feed of the transport ranks of an MD run with a `[transport]` section: MD rank
//! 0 sends a snapshot every `every` steps ([`crate::parallel::snapshot_link`]); on the
//! transport side, rank 0 takes them off the link while it farms units
//! ([`crate::parallel::task_farm`], fed while it runs), each (snapshot, k∥) unit carrying its
//! snapshot to a rank the first time that rank works on it. When the MD has ended, the
//! conductance series (step, time, G/G0 per snapshot) goes back to MD rank 0 encoded as
//! [`encode_series`]. The driver of the transport ranks is
//! `crate::commands::inline_transport::serve`.
//!
//! Acknowledgements ([`Acks`]): once every unit of a snapshot is stored, rank 0 sends its step
//! back to MD rank 0, which then drops it from the queue its checkpoints hold. After a restart
//! the feed skips the units the results file holds already and snapshots it has seen (MD rank 0
//! sends the checkpoint's queue again).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::error::{Error, Result};
use crate::parallel::snapshot_link::{Incoming, SnapshotReceiver, SnapshotSender};
use crate::parallel::task_farm::{FarmUnit, Feed};

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

/// Snapshots as bytes, as they travel between ranks (little-endian f64).
pub fn to_bytes(v: &[f64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// The f64 of [`to_bytes`].
pub fn from_bytes(b: &[u8]) -> Vec<f64> {
    b.chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect()
}

/// Rank 0's acknowledgements to MD rank 0: the units stored per frame, and the step of each
/// frame sent back once all `nk` are.
pub struct Acks {
    sender: SnapshotSender,
    every: u64,
    nk: usize,
    stored: HashMap<u64, usize>,
}

impl Acks {
    /// Acknowledgements on `sender`; `done` are the (frame, k) units stored before.
    pub fn new(sender: SnapshotSender, every: u64, nk: usize, done: &[(u64, u32)]) -> Self {
        let mut stored = HashMap::new();
        for (f, _) in done {
            *stored.entry(*f).or_insert(0) += 1;
        }
        Acks {
            sender,
            every,
            nk,
            stored,
        }
    }

    /// Whether every unit of `frame` is stored.
    fn complete(&self, frame: u64) -> bool {
        self.stored.get(&frame).is_some_and(|&n| n >= self.nk)
    }

    fn send(&mut self, frame: u64) -> Result<()> {
        self.sender
            .send(vec![(frame * self.every) as f64])
            .map(|_| ())
    }

    /// One more unit of `frame` stored (unit ids are frame · nk + k); acknowledge the frame
    /// when it is complete.
    pub fn stored(&mut self, id: u64) -> Result<()> {
        let frame = id / self.nk as u64;
        *self.stored.entry(frame).or_insert(0) += 1;
        if self.stored[&frame] == self.nk {
            self.send(frame)?;
        }
        Ok(())
    }

    /// Let the acknowledgements sent complete (after the answer to MD rank 0).
    pub fn finish(self) {
        self.sender.complete();
    }
}

/// Rank 0's feed of the farm: snapshots from the link become units, and a unit carries its
/// snapshot to a rank that does not hold it.
pub struct SnapshotFeed {
    link: SnapshotReceiver,
    every: u64,
    nk: usize,
    /// Encoded snapshots (bytes) by frame, with the number of their units not handed out yet.
    frames: HashMap<u64, (Vec<u8>, usize)>,
    /// The frame each rank holds.
    held: Vec<Option<u64>>,
    /// Whether the end mark has arrived.
    ended: bool,
    /// Units stored before (a restart), and frames already received: skipped.
    done: HashSet<(u64, u32)>,
    seen: HashSet<u64>,
    acks: Rc<RefCell<Acks>>,
}

impl SnapshotFeed {
    /// The feed of `link`, a snapshot every `every` steps, `nk` units per snapshot, to `ranks`
    /// ranks; `done`: the units stored before; `acks`: shared with the store's side.
    pub fn new(
        link: SnapshotReceiver,
        every: u64,
        nk: usize,
        ranks: usize,
        done: &[(u64, u32)],
        acks: Rc<RefCell<Acks>>,
    ) -> Self {
        SnapshotFeed {
            link,
            every,
            nk,
            frames: HashMap::new(),
            held: vec![None; ranks],
            ended: false,
            done: done.iter().copied().collect(),
            seen: HashSet::new(),
            acks,
        }
    }

    /// Answer MD rank 0 with the conductance series ([`encode_series`]).
    pub fn answer(&self, series: &[f64]) -> Result<()> {
        self.link.answer(series)
    }

    /// Register the snapshot `msg` (encoded) and return its units not stored yet (none for a
    /// snapshot seen before; a snapshot stored whole is acknowledged at once).
    pub fn add(&mut self, msg: &[f64]) -> Result<Vec<FarmUnit>> {
        let frame = msg[0] as u64 / self.every;
        if !self.seen.insert(frame) {
            return Ok(Vec::new());
        }
        let units: Vec<FarmUnit> = (0..self.nk)
            .filter(|&ik| !self.done.contains(&(frame, ik as u32)))
            .map(|ik| FarmUnit {
                id: frame * self.nk as u64 + ik as u64,
                affinity: ik as u64,
            })
            .collect();
        if units.is_empty() {
            let mut acks = self.acks.borrow_mut();
            if acks.complete(frame) {
                acks.send(frame)?;
            }
        } else {
            self.frames.insert(frame, (to_bytes(msg), units.len()));
        }
        Ok(units)
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
                Incoming::Snapshot(s) => units.extend(self.add(&s)?),
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
