//! The one-way link from the MD group to the transport group of a run with transport ranks
//! (`[transport]` of an MD deck): MD rank 0 sends each snapshot (an opaque `f64` message) to the
//! transport group's rank 0 with a non-blocking send and goes on with the MD; the buffer of a
//! send lives until the send completes, and at most [`SnapshotSender::max_in_flight`] sends are
//! outstanding (the receiver takes snapshots off the wire between its own work, so the MD waits
//! only if the transport side stops reading). At the end the MD side sends an end mark and
//! receives one answer (the conductance series) from the transport side.
//!
//! Both ends use a duplicate of the world communicator (its own message space); messages of one
//! tag from one sender arrive in the order sent (MPI's non-overtaking rule), so the end mark
//! follows the last snapshot.

use std::collections::VecDeque;

use mpi::point_to_point::{Destination, MatchedReceiveVec, Source};
use mpi::request::{Request, StaticScope};
use mpi::topology::Communicator;

use super::World;
use crate::error::{Error, Result};

/// Tag of a snapshot or of the end mark.
const TAG_SNAPSHOT: i32 = 7201;
/// Tag of the transport side's answer.
const TAG_ANSWER: i32 = 7202;

/// A message on the link: a snapshot, or the end mark (an empty message).
#[derive(Debug, PartialEq)]
pub enum Incoming {
    Snapshot(Vec<f64>),
    End,
}

/// MD rank 0's end of the link.
pub struct SnapshotSender {
    link: World,
    dest: usize,
    max_in_flight: usize,
    /// Sends not known to be complete, oldest first, each with the buffer it owns.
    in_flight: VecDeque<(Request<'static, [f64], StaticScope>, Buffer)>,
}

/// The heap buffer of one send, held as the raw pointer `Box::into_raw` gave, so that it is
/// freed through that pointer (not through the shared reference the request borrowed).
struct Buffer(*mut [f64]);

impl Buffer {
    /// Take ownership of a message; the returned reference lives until [`Buffer::release`].
    fn new(msg: Vec<f64>) -> (Buffer, &'static [f64]) {
        let raw = Box::into_raw(msg.into_boxed_slice());
        // SAFETY: `raw` comes from `Box::into_raw` and is freed only by `release`, which takes
        // the buffer by value after the request that reads it has completed.
        (Buffer(raw), unsafe { &*raw })
    }

    /// Free the buffer; only after the send that borrowed it completed.
    fn release(self) {
        // SAFETY: `self.0` came from `Box::into_raw` in `Buffer::new` and is released once:
        // the request that borrowed it has completed and been consumed.
        drop(unsafe { Box::from_raw(self.0) });
    }
}

impl SnapshotSender {
    /// The sender on `link` (a duplicate of the world) to world rank `dest`.
    pub fn new(link: World, dest: usize, max_in_flight: usize) -> Self {
        SnapshotSender {
            link,
            dest,
            max_in_flight: max_in_flight.max(1),
            in_flight: VecDeque::new(),
        }
    }

    /// Most sends outstanding at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }

    /// Let outstanding sends progress (an MPI test on each until one is not complete; the MD
    /// calls it every step, as a single MD rank makes no other MPI call between snapshots).
    pub fn progress(&mut self) {
        self.reap();
    }

    /// Forget the sends that have completed.
    fn reap(&mut self) {
        while let Some((r, buf)) = self.in_flight.pop_front() {
            match r.test() {
                Ok(_) => buf.release(),
                Err(r) => {
                    self.in_flight.push_front((r, buf));
                    break;
                }
            }
        }
    }

    /// Start sending `msg` (non-empty); waits only while `max_in_flight` sends are outstanding.
    /// Returns whether it had to wait.
    pub fn send(&mut self, msg: Vec<f64>) -> Result<bool> {
        if msg.is_empty() {
            return Err(Error::run("snapshot link: an empty snapshot"));
        }
        if self.link.comm().is_none() {
            return Err(Error::run("snapshot link: no transport ranks to send to"));
        }
        self.reap();
        let mut waited = false;
        while self.in_flight.len() >= self.max_in_flight {
            if let Some((r, buf)) = self.in_flight.pop_front() {
                r.wait();
                buf.release();
                waited = true;
            }
        }
        let Some(c) = self.link.comm() else {
            return Err(Error::run("snapshot link: no transport ranks to send to"));
        };
        let (owned, buf) = Buffer::new(msg);
        let req = c.process_at_rank(self.dest as i32).immediate_send_with_tag(
            StaticScope,
            buf,
            TAG_SNAPSHOT,
        );
        self.in_flight.push_back((req, owned));
        Ok(waited)
    }

    /// Wait for every outstanding send (a sender that sends no end mark: acknowledgements).
    pub fn complete(mut self) {
        while let Some((r, buf)) = self.in_flight.pop_front() {
            r.wait();
            buf.release();
        }
    }

    /// Complete every send, send the end mark and receive the transport side's answer.
    pub fn finish(mut self) -> Result<Vec<f64>> {
        while let Some((r, buf)) = self.in_flight.pop_front() {
            r.wait();
            buf.release();
        }
        let Some(c) = self.link.comm() else {
            return Err(Error::run("snapshot link: no transport ranks"));
        };
        let p = c.process_at_rank(self.dest as i32);
        p.send_with_tag(&[0.0f64; 0][..], TAG_SNAPSHOT);
        let (answer, _) = p.receive_vec_with_tag::<f64>(TAG_ANSWER);
        Ok(answer)
    }
}

impl Drop for SnapshotSender {
    /// Only reached with sends outstanding when the run failed and the job is about to be
    /// aborted: the requests are abandoned (waiting could hang) rather than dropped (which
    /// panics in `mpi`).
    fn drop(&mut self) {
        for (r, _) in self.in_flight.drain(..) {
            std::mem::forget(r);
        }
    }
}

/// The transport group's rank 0 end of the link.
pub struct SnapshotReceiver {
    link: World,
    source: usize,
}

impl SnapshotReceiver {
    /// The receiver on `link` (a duplicate of the world) of world rank `source`.
    pub fn new(link: World, source: usize) -> Self {
        SnapshotReceiver { link, source }
    }

    fn decode(msg: Vec<f64>) -> Incoming {
        if msg.is_empty() {
            Incoming::End
        } else {
            Incoming::Snapshot(msg)
        }
    }

    /// The next message if one has arrived.
    pub fn try_receive(&self) -> Result<Option<Incoming>> {
        let c = self
            .link
            .comm()
            .ok_or_else(|| Error::run("snapshot link: no MD ranks"))?;
        Ok(c.process_at_rank(self.source as i32)
            .immediate_matched_probe_with_tag(TAG_SNAPSHOT)
            .map(|probed| Self::decode(probed.matched_receive_vec::<f64>().0)))
    }

    /// The next message, waiting for it.
    pub fn receive(&self) -> Result<Incoming> {
        let c = self
            .link
            .comm()
            .ok_or_else(|| Error::run("snapshot link: no MD ranks"))?;
        let probed = c
            .process_at_rank(self.source as i32)
            .matched_probe_with_tag(TAG_SNAPSHOT);
        Ok(Self::decode(probed.matched_receive_vec::<f64>().0))
    }

    /// Send the answer the MD side waits for after its end mark.
    pub fn answer(&self, msg: &[f64]) -> Result<()> {
        let c = self
            .link
            .comm()
            .ok_or_else(|| Error::run("snapshot link: no MD ranks"))?;
        c.process_at_rank(self.source as i32)
            .send_with_tag(msg, TAG_ANSWER);
        Ok(())
    }
}
