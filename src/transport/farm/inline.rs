//! The snapshot feed of the transport ranks of an MD run with a `[transport]` section: MD rank
//! 0 sends a snapshot every `every` steps ([`crate::parallel::snapshot_link`]); on the
//! transport side, rank 0 takes them off the link while it farms units
//! ([`crate::parallel::task_farm`], fed while it runs), each (snapshot, k∥) unit carrying its
//! snapshot to a rank the first time that rank works on it. When the MD has ended, the
//! conductance series (step, time, G/G0 per snapshot) goes back to MD rank 0 encoded as
//! [`encode_series`]. The driver of the transport ranks is
//! `crate::commands::inline_transport::serve`.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::parallel::snapshot_link::{Incoming, SnapshotReceiver};
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
}

impl SnapshotFeed {
    /// The feed of `link`, a snapshot every `every` steps, `nk` units per snapshot, to `ranks`
    /// ranks.
    pub fn new(link: SnapshotReceiver, every: u64, nk: usize, ranks: usize) -> Self {
        SnapshotFeed {
            link,
            every,
            nk,
            frames: HashMap::new(),
            held: vec![None; ranks],
            ended: false,
        }
    }

    /// Answer MD rank 0 with the conductance series ([`encode_series`]).
    pub fn answer(&self, series: &[f64]) -> Result<()> {
        self.link.answer(series)
    }

    /// Register the snapshot `msg` (encoded) and return its units.
    pub fn add(&mut self, msg: &[f64]) -> Vec<FarmUnit> {
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
