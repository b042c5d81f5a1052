//! The MD side of a run with transport ranks: the split of the world into MD and transport
//! ranks, and the snapshot sender, a step hook ([`TransportLink`]): at the end of every step
//! that is a multiple of `every` the MD ranks gather the atoms and MD rank 0 starts a
//! non-blocking send of the snapshot (at most [`MAX_SNAPSHOTS_IN_FLIGHT`] outstanding); at the
//! end of the run it waits for the transport ranks' G/G0 per snapshot.

use std::path::Path;
use std::time::Instant;

use log::info;

use crate::commands::inline_transport;
use crate::deck::Deck;
use crate::dynamics::hooks::Hook;
use crate::dynamics::Md;
use crate::error::Result;
use crate::parallel::snapshot_link::{SnapshotReceiver, SnapshotSender};
use crate::parallel::World;
use crate::system::Atoms;
use crate::transport::farm::inline;
use crate::transport::farm::snapshot::Snapshot;

/// Snapshot sends MD rank 0 keeps outstanding at most before it waits for the oldest.
pub const MAX_SNAPSHOTS_IN_FLIGHT: usize = 4;

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
        self.waits += u64::from(sender.send(snap.encode())?);
        self.sent += 1;
        self.gathered = Some((md.step, gathered));
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
}

/// Split `world` when the deck asks for transport ranks: those serve transport until the MD
/// ends (and this returns `None` on them); the MD ranks get their own world and the link.
pub fn split_transport(
    deck: &Deck,
    deck_path: &Path,
    out: &Path,
    world: World,
) -> Result<Option<(World, Option<TransportLink>)>> {
    let Some(t) = deck.transport.as_ref().filter(|t| t.ranks > 0) else {
        return Ok(Some((world, None)));
    };
    t.check_ranks(deck_path, world.size())?;
    let n_md = world.size() - t.ranks;
    let channel = world.duplicate();
    let md_rank = world.rank() < n_md;
    let group = world.split(u32::from(!md_rank));
    if !md_rank {
        let link = SnapshotReceiver::new(channel, 0);
        let groups = crate::setup::deck_group_ids(deck_path)?;
        inline_transport::serve(deck_path, t, out, &group, link, &groups)?;
        return Ok(None);
    }
    info!(
        "{n_md} MD rank(s); {} transport rank(s) (world ranks {n_md}..{}) get a snapshot every \
         {} steps",
        t.ranks,
        world.size() - 1,
        t.every
    );
    let sender = group
        .is_root()
        .then(|| SnapshotSender::new(channel, n_md, MAX_SNAPSHOTS_IN_FLIGHT));
    Ok(Some((
        group,
        Some(TransportLink {
            every: t.every,
            sender,
            sent: 0,
            waits: 0,
            gathered: None,
        }),
    )))
}
