//! A dynamic task farm (master–worker with a working master): rank 0 holds the queue of work
//! units and hands them out one at a time to whichever rank asks; every rank, rank 0 included,
//! works on units, and each result travels back to rank 0 as soon as it exists (to store it),
//! so uneven units balance.
//!
//! A worker asks for its next unit when it starts the current one (one request always
//! outstanding) and takes the answer in while it works: rank 0 answers between its own energies,
//! and without this prefetch a worker would wait for that answer after every unit (on average
//! half of rank 0's poll interval: 4 % of the work at 2 ranks on the gold junction). A unit
//! with an attachment (an MD snapshot: a large message) is not sent to a worker that is still
//! busy with its previous unit, since a blocking send of it would hold rank 0 until that worker
//! next polls; rank 0 keeps it and sends it when the worker's result arrives (the worker then
//! waits for it). A worker whose request was parked and whose result has since arrived is idle
//! and gets the unit at once.
//!
//! Units carry an affinity key (for transport: the k∥ point): a rank keeps receiving units of
//! the key it worked on last while there are any, and otherwise starts on the largest key no
//! other rank is working on, so that what a rank caches per key (lead self-energies) is reused.
//!
//! Rank 0 serves requests between its own units and, through the `poll` callback its work
//! function calls, while working on one (e.g. between energies), so a long unit on rank 0
//! delays the others by one poll interval at most. Messages (point-to-point, bytes):
//! worker → 0, tag `TAG_REQUEST`: `[0]` (send me a unit); tag `TAG_RESULT`:
//! `[1][id: u64 LE][result bytes]`; 0 → worker, tag `TAG_WORK`: `[1][id: u64 LE][attachment]`
//! (a unit) or `[0]` (no more work).
//! Payloads and attachments are opaque here; the caller encodes its results and its failures.
//!
//! Units may also arrive while the farm runs (a [`Feed`] on rank 0: transport snapshots sent by
//! the MD ranks during the run): a worker that asks while none is pending waits until one comes
//! or the feed closes. A unit's attachment (from the feed) travels with it, e.g. the snapshot
//! the worker does not have yet.

use std::collections::{BTreeMap, VecDeque};

use mpi::point_to_point::{Destination, MatchedReceiveVec, Source};
use mpi::topology::{Communicator, SimpleCommunicator};

use super::World;
use crate::error::{Error, Result};

/// Tag of a worker's request for a unit.
const TAG_REQUEST: i32 = 7101;
/// Tag of a worker's result.
const TAG_RESULT: i32 = 7103;
/// Tag of rank 0's answer (a unit or the end).
const TAG_WORK: i32 = 7102;

/// A unit of work: an id the work function understands and an affinity key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FarmUnit {
    pub id: u64,
    pub affinity: u64,
}

/// Rank 0's queue: pending unit ids by affinity key, and the key each rank works on.
struct Dispatcher {
    queues: BTreeMap<u64, VecDeque<u64>>,
    current: Vec<Option<u64>>,
    /// Workers told that there is no more work.
    stopped: usize,
}

impl Dispatcher {
    fn new(units: Vec<FarmUnit>, size: usize) -> Self {
        let mut queues: BTreeMap<u64, VecDeque<u64>> = BTreeMap::new();
        for u in units {
            queues.entry(u.affinity).or_default().push_back(u.id);
        }
        Dispatcher {
            queues,
            current: vec![None; size],
            stopped: 0,
        }
    }

    /// The next unit for `rank`: of its current key if any are left; else of the key with
    /// the most pending units that no other rank works on (smallest key on ties); else of
    /// the key with the most pending units.
    fn next(&mut self, rank: usize) -> Option<u64> {
        if let Some(key) = self.current[rank] {
            if let Some(id) = self.pop(key) {
                return Some(id);
            }
        }
        let busy = |k: &u64| {
            self.current
                .iter()
                .enumerate()
                .any(|(r, c)| r != rank && *c == Some(*k))
        };
        let pick = |free_only: bool| {
            self.queues
                .iter()
                .filter(|(k, q)| !q.is_empty() && (!free_only || !busy(k)))
                .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
                .map(|(k, _)| *k)
        };
        let key = pick(true).or_else(|| pick(false))?;
        self.current[rank] = Some(key);
        self.pop(key)
    }

    fn pop(&mut self, key: u64) -> Option<u64> {
        let q = self.queues.get_mut(&key)?;
        let id = q.pop_front();
        if q.is_empty() {
            self.queues.remove(&key);
        }
        id
    }

    fn add(&mut self, units: Vec<FarmUnit>) {
        for u in units {
            self.queues.entry(u.affinity).or_default().push_back(u.id);
        }
    }

    fn clear(&mut self) {
        self.queues.clear();
    }
}

/// Where units come from while the farm runs (on rank 0).
pub trait Feed {
    /// Units that became available since the last call, without waiting; `None` once no more
    /// will come.
    fn poll(&mut self) -> Result<Option<Vec<FarmUnit>>>;
    /// Bytes that travel with unit `id` to `rank` (rank 0's own units included).
    fn attachment(&mut self, id: u64, rank: usize) -> Result<Vec<u8>>;
}

/// The feed of a farm whose units are all known at the start.
pub struct NoFeed;

impl Feed for NoFeed {
    fn poll(&mut self) -> Result<Option<Vec<FarmUnit>>> {
        Ok(None)
    }
    fn attachment(&mut self, _id: u64, _rank: usize) -> Result<Vec<u8>> {
        Ok(Vec::new())
    }
}

fn encode_result(id: u64, payload: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(9 + payload.len());
    m.push(1);
    m.extend_from_slice(&id.to_le_bytes());
    m.extend_from_slice(payload);
    m
}

fn read_id(m: &[u8]) -> Result<u64> {
    let b: [u8; 8] = m
        .get(1..9)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| Error::run("task farm: truncated message"))?;
    Ok(u64::from_le_bytes(b))
}

/// A unit's work without attachment: `(id, poll) -> result bytes`.
pub type PlainWorkFn<'a> = dyn FnMut(u64, &mut dyn FnMut()) -> Vec<u8> + 'a;
/// A unit's work: `(id, attachment, poll) -> result bytes`.
pub type WorkFn<'a> = dyn FnMut(u64, &[u8], &mut dyn FnMut()) -> Vec<u8> + 'a;
/// Rank 0's handler of a result: `(id, rank, result bytes)`.
pub type ResultFn<'a> = dyn FnMut(u64, usize, Vec<u8>) -> Result<()> + 'a;

/// How long rank 0 sleeps between looks at the messages when it has no unit to work on.
const IDLE_SLEEP: std::time::Duration = std::time::Duration::from_micros(500);

/// Rank 0's state: the queue, the workers waiting for units, the feed, the first failure.
struct Master<'c, 'f, 'r> {
    comm: Option<&'c SimpleCommunicator>,
    size: usize,
    disp: Dispatcher,
    feed: &'f mut dyn Feed,
    on_result: &'f mut ResultFn<'r>,
    /// Whether the feed may still bring units.
    open: bool,
    /// Workers waiting for a unit.
    parked: Vec<usize>,
    /// Units handed to workers whose results have not arrived.
    in_flight: usize,
    /// Per rank: units handed to it (sent or held) whose results have not arrived.
    units_out: Vec<usize>,
    /// Per rank: a unit with an attachment for a worker that was busy, sent with its result.
    held: Vec<Option<Vec<u8>>>,
    failure: Option<Error>,
}

impl Master<'_, '_, '_> {
    fn store(&mut self, id: u64, rank: usize, payload: Vec<u8>) {
        if self.failure.is_none() {
            if let Err(e) = (self.on_result)(id, rank, payload) {
                self.failure = Some(e);
                self.disp.clear();
                self.open = false;
            }
        }
    }

    /// Answer worker `rank`: a unit with its attachment, the end, or nothing yet (parked).
    fn answer(&mut self, rank: usize) -> Result<()> {
        let Some(c) = self.comm else {
            return Ok(());
        };
        let dest = c.process_at_rank(rank as i32);
        match self.disp.next(rank) {
            Some(id) => {
                let mut m = vec![1u8];
                m.extend_from_slice(&id.to_le_bytes());
                m.extend(self.feed.attachment(id, rank)?);
                if m.len() > 9 && self.units_out[rank] > 0 {
                    self.held[rank] = Some(m);
                } else {
                    dest.send_with_tag(&m[..], TAG_WORK);
                }
                self.in_flight += 1;
                self.units_out[rank] += 1;
            }
            None if self.open => self.parked.push(rank),
            None => {
                dest.send_with_tag(&[0u8][..], TAG_WORK);
                self.disp.stopped += 1;
            }
        }
        Ok(())
    }

    /// Take new units from the feed and answer the parked workers if there is news for them.
    fn refill(&mut self) -> Result<()> {
        if self.open {
            match self.feed.poll()? {
                Some(units) => self.disp.add(units),
                None => self.open = false,
            }
        }
        if !self.parked.is_empty() && (!self.disp.queues.is_empty() || !self.open) {
            for rank in std::mem::take(&mut self.parked) {
                self.answer(rank)?;
            }
        }
        Ok(())
    }

    /// Store a worker's result.
    fn take_result(&mut self, msg: Vec<u8>, src: usize) -> Result<()> {
        let id = read_id(&msg)?;
        self.in_flight = self.in_flight.saturating_sub(1);
        self.units_out[src] = self.units_out[src].saturating_sub(1);
        self.store(id, src, msg[9..].to_vec());
        if let (Some(m), Some(c)) = (self.held[src].take(), self.comm) {
            c.process_at_rank(src as i32)
                .send_with_tag(&m[..], TAG_WORK);
        }
        Ok(())
    }

    /// Receive every result and request that has arrived (results first, so that a worker's
    /// result is stored before its next unit is chosen); returns whether there was any.
    fn receive_pending(&mut self) -> Result<bool> {
        let Some(c) = self.comm else {
            return Ok(false);
        };
        let mut any = false;
        while let Some(probed) = c.any_process().immediate_matched_probe_with_tag(TAG_RESULT) {
            let (msg, st) = probed.matched_receive_vec::<u8>();
            self.take_result(msg, st.source_rank() as usize)?;
            any = true;
        }
        while let Some(probed) = c
            .any_process()
            .immediate_matched_probe_with_tag(TAG_REQUEST)
        {
            let (_, st) = probed.matched_receive_vec::<u8>();
            self.answer(st.source_rank() as usize)?;
            any = true;
        }
        Ok(any)
    }

    /// Serve every message that has arrived, then look at the feed.
    fn serve_pending(&mut self) -> Result<()> {
        self.receive_pending()?;
        self.refill()
    }

    /// Whether every worker has been released, every result has arrived and nothing more can
    /// come.
    fn done(&self) -> bool {
        !self.open
            && self.disp.queues.is_empty()
            && self.disp.stopped == self.size - 1
            && self.in_flight == 0
    }
}

/// Run `units` (given on rank 0; ignored elsewhere) over all ranks of `world`. `work(id, poll)`
/// computes a unit on any rank and must call `poll()` now and then; `on_result(id, rank,
/// payload)` runs on rank 0 for every unit, in the order results arrive. Returns the number of
/// units this rank computed. An error from `on_result` stops the handing out of work; the
/// workers finish their current unit, and the error is returned on rank 0 after every worker
/// has been released.
pub fn run_task_farm(
    world: &World,
    units: Vec<FarmUnit>,
    work: &mut PlainWorkFn<'_>,
    on_result: &mut ResultFn<'_>,
) -> Result<usize> {
    run_fed_task_farm(
        world,
        units,
        &mut NoFeed,
        &mut |id, _, poll| work(id, poll),
        on_result,
    )
}

/// [`run_task_farm`] with units that also come from `feed` (rank 0) while the farm runs, each
/// handed to `work(id, attachment, poll)` with its attachment. The farm ends when the feed has
/// closed and every unit is done.
pub fn run_fed_task_farm(
    world: &World,
    units: Vec<FarmUnit>,
    feed: &mut dyn Feed,
    work: &mut WorkFn<'_>,
    on_result: &mut ResultFn<'_>,
) -> Result<usize> {
    let comm = world.comm();
    if let (Some(comm), false) = (comm, world.is_root()) {
        let master = comm.process_at_rank(0);
        let mut n = 0;
        master.send_with_tag(&[0u8][..], TAG_REQUEST);
        // The answer to the outstanding request, when it came in during the last unit.
        let mut next: Option<Vec<u8>> = None;
        loop {
            let answer = match next.take() {
                Some(a) => a,
                None => master.receive_vec_with_tag::<u8>(TAG_WORK).0,
            };
            if answer.first() != Some(&1) {
                return Ok(n);
            }
            let id = read_id(&answer)?;
            // Ask for the next unit now; take the answer in at the work's poll points.
            master.send_with_tag(&[0u8][..], TAG_REQUEST);
            let payload = work(id, &answer[9..], &mut || {
                if next.is_none() {
                    if let Some(p) = master.immediate_matched_probe_with_tag(TAG_WORK) {
                        next = Some(p.matched_receive_vec::<u8>().0);
                    }
                }
            });
            n += 1;
            master.send_with_tag(&encode_result(id, &payload)[..], TAG_RESULT);
        }
    }
    let size = world.size();
    let mut m = Master {
        comm,
        size,
        disp: Dispatcher::new(units, size),
        feed,
        on_result,
        open: true,
        parked: Vec::new(),
        in_flight: 0,
        units_out: vec![0; size],
        held: vec![None; size],
        failure: None,
    };
    let mut n = 0;
    loop {
        m.serve_pending()?;
        if m.failure.is_none() {
            if let Some(id) = m.disp.next(0) {
                let attachment = m.feed.attachment(id, 0)?;
                let mut poll_error: Option<Error> = None;
                let payload = {
                    let mut poll = || {
                        if let Err(e) = m.serve_pending() {
                            poll_error.get_or_insert(e);
                        }
                    };
                    work(id, &attachment, &mut poll)
                };
                if let Some(e) = poll_error {
                    return Err(e);
                }
                n += 1;
                m.store(id, 0, payload);
                continue;
            }
        }
        if m.done() {
            break;
        }
        // Nothing but the workers' messages (and the feed) can change the state: look again
        // after a short sleep when none has come.
        if !m.receive_pending()? {
            std::thread::sleep(IDLE_SLEEP);
        }
    }
    match m.failure {
        Some(e) => Err(e),
        None => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatcher_keeps_a_rank_on_its_key_and_spreads_ranks_over_keys() {
        let units: Vec<FarmUnit> = (0..12)
            .map(|i| FarmUnit {
                id: i,
                affinity: i % 3,
            })
            .collect();
        let mut d = Dispatcher::new(units, 2);
        let a: Vec<u64> = (0..2).filter_map(|_| d.next(0)).collect();
        let b: Vec<u64> = (0..2).filter_map(|_| d.next(1)).collect();
        assert_eq!(a, vec![0, 3], "rank 0 stays on key 0");
        assert_eq!(b, vec![1, 4], "rank 1 takes another key");
        let rest: Vec<u64> = std::iter::from_fn(|| d.next(0)).collect();
        assert_eq!(rest.len(), 8);
        assert_eq!(&rest[..2], &[6, 9], "key 0 first, then a free key");
        assert!(d.next(1).is_none());
    }

    #[test]
    fn serial_farm_runs_every_unit_once() {
        let w = World::serial();
        let units: Vec<FarmUnit> = (0..5).map(|i| FarmUnit { id: i, affinity: 0 }).collect();
        let mut seen = Vec::new();
        let n = run_task_farm(
            &w,
            units,
            &mut |id, poll| {
                poll();
                id.to_le_bytes().to_vec()
            },
            &mut |id, rank, p| {
                assert_eq!(rank, 0);
                assert_eq!(p, id.to_le_bytes().to_vec());
                seen.push(id);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(n, 5);
        assert_eq!(seen, vec![0, 1, 2, 3, 4]);
    }

    /// A feed that brings one batch of units per poll, attaching each unit's batch number the
    /// first time rank 0 works on a batch.
    struct Batches {
        batches: Vec<Vec<FarmUnit>>,
        polled: usize,
        held: Option<u64>,
    }

    impl Feed for Batches {
        fn poll(&mut self) -> Result<Option<Vec<FarmUnit>>> {
            self.polled += 1;
            Ok(self.batches.pop())
        }
        fn attachment(&mut self, id: u64, _rank: usize) -> Result<Vec<u8>> {
            let batch = id / 10;
            if self.held == Some(batch) {
                return Ok(Vec::new());
            }
            self.held = Some(batch);
            Ok(vec![batch as u8])
        }
    }

    #[test]
    fn fed_farm_runs_units_as_they_arrive_until_the_feed_closes() {
        let w = World::serial();
        let batch = |b: u64| {
            (0..3)
                .map(|i| FarmUnit {
                    id: 10 * b + i,
                    affinity: i,
                })
                .collect()
        };
        let mut feed = Batches {
            batches: vec![batch(2), batch(1)],
            polled: 0,
            held: None,
        };
        let mut seen = Vec::new();
        let mut worked: Vec<(u64, Vec<u8>)> = Vec::new();
        let n = run_fed_task_farm(
            &w,
            batch(0),
            &mut feed,
            &mut |id, att, _| {
                worked.push((id, att.to_vec()));
                id.to_le_bytes().to_vec()
            },
            &mut |id, _, _| {
                seen.push(id);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(n, 9);
        seen.sort_unstable();
        assert_eq!(seen, vec![0, 1, 2, 10, 11, 12, 20, 21, 22]);
        // A unit carries its batch exactly when the previous unit was of another batch.
        let mut held = None;
        for (id, att) in &worked {
            let b = id / 10;
            let want = if held == Some(b) {
                vec![]
            } else {
                vec![b as u8]
            };
            assert_eq!(att, &want, "unit {id}");
            held = Some(b);
        }
        // Units that arrived later join the queue of their key (k-point) behind the first.
        assert_eq!(worked[0].0, 0);
        assert_eq!(worked[1].0 % 10, 0);
        assert!(feed.polled >= 3, "polled until closed");
    }
}
