//! The MD side of a run with transport ranks: the split of the world into MD and transport
//! ranks, and the snapshot sender, a step hook ([`TransportLink`]): at the end of every step
//! that is a multiple of `every` the MD ranks gather the atoms and MD rank 0 starts a
//! non-blocking send of the snapshot (at most [`MAX_SNAPSHOTS_IN_FLIGHT`] outstanding); at the
//! end of the run it waits for the transport ranks' G/G0 per snapshot.
//!
//! The inline transport queue in checkpoints: MD rank 0 keeps the first snapshot (the
//! reference from which the transport ranks build leads, k∥ points and E_F) and every snapshot
//! the transport ranks have not yet acknowledged (they acknowledge a snapshot on a second link
//! once each of its units is stored in `OUT/transport/farm.h5`). Both are the hook's checkpoint
//! state; after a restart MD rank 0 sends them again before the next snapshot, and the
//! transport ranks, which keep `farm.h5`, skip the units stored there, so the conductance
//! series ends as that of a run never stopped.

use std::collections::VecDeque;
use std::path::Path;
use std::time::Instant;

use log::info;

use crate::commands::inline_transport;
use crate::deck::Deck;
use crate::dynamics::hooks::Hook;
use crate::dynamics::Md;
use crate::error::{Error, Result};
use crate::io::checkpoint::{Decoder, Encoder};
use crate::parallel::snapshot_link::{Incoming, SnapshotReceiver, SnapshotSender};
use crate::parallel::World;
use crate::system::Atoms;
use crate::transport::farm::inline;
use crate::transport::farm::snapshot::Snapshot;

/// Snapshot sends MD rank 0 keeps outstanding at most before it waits for the oldest.
pub const MAX_SNAPSHOTS_IN_FLIGHT: usize = 4;

/// Acknowledgements transport rank 0 keeps outstanding at most (one per snapshot; small
/// messages that complete at once in practice).
const MAX_ACKS_IN_FLIGHT: usize = 1 << 16;

/// The MD side of a run with transport ranks.
pub struct TransportLink {
    /// Steps between snapshots.
    every: u64,
    /// MD rank 0's sender (`None` on the other MD ranks).
    sender: Option<SnapshotSender>,
    /// Snapshots sent, and how many of those sends had to wait for a free slot.
    sent: u64,
    waits: u64,
    /// The step of the last snapshot and the atoms gathered for it (on MD rank 0), kept until
    /// the next step so that a trajectory frame due at the same step does not gather again.
    gathered: Option<(u64, Option<Atoms>)>,
    /// MD rank 0: the transport ranks' acknowledgements (the step of a snapshot whose units
    /// are all stored).
    acks: Option<SnapshotReceiver>,
    /// MD rank 0: the first snapshot (encoded), the transport ranks' reference.
    reference: Option<Vec<f64>>,
    /// MD rank 0: snapshots sent and not acknowledged, oldest first, with their steps.
    queue: VecDeque<(u64, Vec<f64>)>,
}

/// G/G0 per snapshot as the transport ranks return it: steps, times (ps), G/G0.
pub type Conductance = (Vec<u64>, Vec<f64>, Vec<f64>);

impl TransportLink {
    /// When a snapshot is due at the current step, gather the atoms (collective over the MD
    /// ranks) and start sending it (on MD rank 0); let earlier sends progress in any case.
    pub fn snapshot(&mut self, md: &Md) -> Result<()> {
        if let Some(s) = self.sender.as_mut() {
            s.progress();
        }
        self.take_acks()?;
        self.gathered = None;
        if !md.step.is_multiple_of(self.every) {
            return Ok(());
        }
        let gathered = md.gather();
        let (Some(sender), Some(all)) = (self.sender.as_mut(), gathered.as_ref()) else {
            self.gathered = Some((md.step, gathered));
            return Ok(());
        };
        let order = all.order_by_id();
        let snap = Snapshot {
            frame: (md.step / self.every) as usize,
            step: md.step,
            time_ps: md.time_ps,
            simbox: md.simbox.clone(),
            ids: order.iter().map(|&i| all.id[i]).collect(),
            types: order.iter().map(|&i| all.typ[i]).collect(),
            positions: order.iter().map(|&i| all.x[i]).collect(),
            // Not sent: the transport ranks take the names from the MD deck.
            species_names: Vec::new(),
        };
        let msg = snap.encode();
        if self.reference.is_none() {
            self.reference = Some(msg.clone());
        }
        self.queue.push_back((md.step, msg.clone()));
        self.waits += u64::from(sender.send(msg)?);
        self.sent += 1;
        self.gathered = Some((md.step, gathered));
        Ok(())
    }

    /// Drop the acknowledged snapshots from the queue (MD rank 0; nothing elsewhere).
    fn take_acks(&mut self) -> Result<()> {
        let Some(acks) = self.acks.as_ref() else {
            return Ok(());
        };
        while let Some(Incoming::Snapshot(m)) = acks.try_receive()? {
            let step = m[0] as u64;
            self.queue.retain(|(s, _)| *s != step);
        }
        Ok(())
    }

    /// After a restart, on MD rank 0: send the reference and the queued snapshots of the
    /// checkpoint again (the transport ranks skip what they stored before).
    pub fn resend(&mut self) -> Result<()> {
        let Some(sender) = self.sender.as_mut() else {
            return Ok(());
        };
        let first_queued = self.queue.front().map(|(s, _)| *s);
        let mut msgs: Vec<Vec<f64>> = Vec::new();
        if let Some(r) = &self.reference {
            if first_queued != Some(r[0] as u64) {
                msgs.push(r.clone());
            }
        }
        msgs.extend(self.queue.iter().map(|(_, m)| m.clone()));
        info!(
            "transport: sending the reference and {} unacknowledged snapshot(s) of the checkpoint again",
            self.queue.len()
        );
        for m in msgs {
            self.waits += u64::from(sender.send(m)?);
        }
        Ok(())
    }

    /// The atoms gathered for the snapshot of `step`, if one was taken at that step: `Some` on
    /// every MD rank, holding the atoms on MD rank 0 (as [`Md::gather`] returns them).
    pub fn gathered_at(&self, step: u64) -> Option<Option<&Atoms>> {
        match &self.gathered {
            Some((s, all)) if *s == step => Some(all.as_ref()),
            _ => None,
        }
    }

    /// After the last step, on MD rank 0: wait for the transport ranks and return their G/G0
    /// per snapshot (`None` on the other MD ranks).
    pub fn finish(self) -> Result<Option<Conductance>> {
        let Some(s) = self.sender else {
            return Ok(None);
        };
        info!(
            "transport: {} snapshot(s) sent ({} waited for one of the {} send slots); \
             waiting for the transport ranks",
            self.sent,
            self.waits,
            s.max_in_flight()
        );
        let t_wait = Instant::now();
        let (steps, times, g) = inline::decode_series(&s.finish()?)?;
        info!(
            "transport: G/G0 of {} snapshot(s) received after {:.2} s of waiting; written to \
             traj.h5 /observables/conductance",
            steps.len(),
            t_wait.elapsed().as_secs_f64()
        );
        Ok(Some((steps, times, g)))
    }
}

impl Hook<Md> for TransportLink {
    fn name(&self) -> &str {
        "Snapshot"
    }

    fn end_of_step(&mut self, md: &mut Md) -> Result<()> {
        self.snapshot(md)
    }

    /// MD rank 0: the reference snapshot and the unacknowledged queue; other ranks: nothing.
    fn save_state(&self) -> Vec<u8> {
        let Some(reference) = &self.reference else {
            return Vec::new();
        };
        let mut e = Encoder::new();
        e.u64(self.sent)
            .f64s(reference)
            .u64(self.queue.len() as u64);
        for (step, m) in &self.queue {
            e.u64(*step).f64s(m);
        }
        e.finish()
    }

    /// MD rank 0 takes what MD rank 0 saved (on any number of MD ranks).
    fn restore_state(&mut self, saved: &[Vec<u8>], rank: usize, _nranks: usize) -> Result<()> {
        if rank != 0 {
            return Ok(());
        }
        let Some(b) = saved.first().filter(|b| !b.is_empty()) else {
            return Err(Error::run(
                "the checkpoint holds no inline transport queue (no snapshot was sent)",
            ));
        };
        let mut d = Decoder::new(b, "inline transport queue");
        self.sent = d.u64()?;
        self.reference = Some(d.f64s()?);
        let n = d.count(d.remaining())?;
        self.queue.clear();
        for _ in 0..n {
            let step = d.u64()?;
            self.queue.push_back((step, d.f64s()?));
        }
        Ok(())
    }
}

/// Split `world` when the deck asks for transport ranks: those serve transport until the MD
/// ends (and this returns `None` on them; `restart`: the run continues a checkpoint, so they
/// keep what `OUT/transport/farm.h5` holds); the MD ranks get their own world and the link.
pub fn split_transport(
    deck: &Deck,
    deck_path: &Path,
    out: &Path,
    world: World,
    restart: bool,
) -> Result<Option<(World, Option<TransportLink>)>> {
    let Some(t) = deck.transport.as_ref().filter(|t| t.ranks > 0) else {
        return Ok(Some((world, None)));
    };
    t.check_ranks(deck_path, world.size())?;
    let n_md = world.size() - t.ranks;
    let channel = world.duplicate();
    // The acknowledgements, transport rank 0 to MD rank 0, in a message space of their own.
    let ack_channel = world.duplicate();
    let md_rank = world.rank() < n_md;
    let group = world.split(u32::from(!md_rank));
    if !md_rank {
        // SLURM's warning signal reaches every rank: the transport ranks go on until the MD
        // ranks, which write the checkpoint, send them the end mark.
        let signal = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        super::signals::catch_stop_signals(&signal)?;
        let link = SnapshotReceiver::new(channel, 0);
        let acks = group
            .is_root()
            .then(|| SnapshotSender::new(ack_channel, 0, MAX_ACKS_IN_FLIGHT));
        let groups = crate::setup::deck_group_ids(deck_path)?;
        let ends = inline_transport::Ends { link, acks };
        inline_transport::serve(deck_path, t, out, &group, ends, &groups, restart)?;
        return Ok(None);
    }
    info!(
        "{n_md} MD rank(s); {} transport rank(s) (world ranks {n_md}..{}) get a snapshot every \
         {} steps",
        t.ranks,
        world.size() - 1,
        t.every
    );
    let root = group.is_root();
    let sender = root.then(|| SnapshotSender::new(channel, n_md, MAX_SNAPSHOTS_IN_FLIGHT));
    let acks = root.then(|| SnapshotReceiver::new(ack_channel, n_md));
    Ok(Some((
        group,
        Some(TransportLink {
            every: t.every,
            sender,
            sent: 0,
            waits: 0,
            gathered: None,
            acks,
            reference: None,
            queue: VecDeque::new(),
        }),
    )))
}
