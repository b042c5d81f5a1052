//! The transport ranks of an MD run with a `[transport]` section (`nanocontact run`): the world
//! is split into MD ranks and transport ranks; MD rank 0 sends a snapshot every `every` steps
//! ([`crate::parallel::snapshot_link`]) and the transport ranks farm its (snapshot, k∥) units
//! among themselves while the MD goes on, with the same units, lead cache and results file as
//! the offline farm ([`super::farm`]).
//!
//! On the transport side, rank 0 takes snapshots off the link between its own units (and
//! between energies of a unit), hands units out ([`crate::parallel::task_farm`], fed while it
//! runs) with the snapshot attached the first time a rank works on it
//! ([`crate::transport::farm::inline`]), and stores each result in `OUT/transport/farm.h5` as
//! it arrives, logging every completed snapshot with its G/G0. Every transport rank builds the
//! leads, k∥ points and E_F from the first snapshot (broadcast by rank 0), so a unit gives the
//! same numbers on any rank, and the same numbers as `farm` on the stored frame. When the MD
//! has sent its end mark and every unit is done, rank 0 writes the tables and figures of
//! `farm` into `OUT/transport/` and answers MD rank 0 with the conductance series (step, time,
//! G/G0 per snapshot), which goes into `traj.h5`.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use log::info;

use crate::commands::farm_tables::write_farm_tables;
use crate::deck::transport::TransportDeck;
use crate::deck::TransportSection;
use crate::error::{Error, Result};
use crate::parallel::snapshot_link::{Incoming, SnapshotReceiver, SnapshotSender};
use crate::parallel::task_farm::{run_fed_task_farm, Feed, NoFeed};
use crate::parallel::World;
use crate::transport::farm::inline::{encode_series, from_bytes, to_bytes, Acks, SnapshotFeed};
use crate::transport::farm::snapshot::{Snapshot, TransportSetup};
use crate::transport::farm::store::{Store, StoreMeta};
use crate::transport::farm::worker::{report_ranks, ResultSink, UnitWorker};

/// Prefix of the transport ranks' log lines.
const TAG: &str = "transport: ";

/// The transport side's ends of the links: snapshots from MD rank 0, and (on transport rank 0)
/// the acknowledgements back to it.
pub struct Ends {
    pub link: SnapshotReceiver,
    pub acks: Option<SnapshotSender>,
}

/// Run this rank's part of the transport group (`group`: the transport ranks; `ends`: the links
/// with MD rank 0) until the MD has ended and every snapshot is done. `deck_path` is the MD deck
/// and `groups` the atom ids of its groups (by name), which lead regions may name. `restart`:
/// the run continues a checkpoint, so `OUT/transport/farm.h5` is kept and its units skipped.
pub fn serve(
    deck_path: &Path,
    section: &TransportSection,
    out: &Path,
    group: &World,
    ends: Ends,
    groups: &[(String, Vec<u64>)],
    restart: bool,
) -> Result<()> {
    let Ends { link, acks } = ends;
    let root = group.is_root();
    if root {
        // This rank logs the transport side's progress beside MD rank 0's lines.
        log::set_max_level(log::LevelFilter::Info);
    }
    let tdeck: &TransportDeck = section
        .problem
        .as_ref()
        .ok_or_else(|| Error::key(deck_path, "transport.deck", "the deck was not read"))?;
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
    let spec = tdeck.snapshot_spec(&section.deck)?;
    let setup = TransportSetup::new(&spec, &reference, Some(groups)).map_err(|e| match e {
        Error::Run(msg) => Error::input(&section.deck, None, msg),
        other => other,
    })?;
    let nk = setup.points.len();
    let dir = out.join("transport");
    let mut sink = None;
    let mut feed = None;
    let mut units = Vec::new();
    let mut ack_state: Option<Rc<RefCell<Acks>>> = None;
    if root {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let store_path = dir.join("farm.h5");
        // A new run: its snapshots are new; a restart keeps what the run stored.
        if store_path.exists() && !restart {
            std::fs::remove_file(&store_path).map_err(|e| Error::io(&store_path, e))?;
        }
        // The transport problem, not the deck's path (a restart may read the copy in OUT).
        let meta = StoreMeta {
            config: format!(
                "inline: every {}; model: {:?}; leads: {:?}; kpoints: {:?}; energy: {:?}",
                section.every, tdeck.model, tdeck.leads, tdeck.kpoints, tdeck.energy
            ),
            fermi_ev: setup.fermi_ev,
            energies: setup.energies.clone(),
            points: setup.points.clone(),
            n_eig: setup.n_eig,
        };
        let store = Store::open_or_create(&store_path, &meta)?;
        let done = store.done()?;
        if !done.is_empty() {
            info!(
                "{TAG}{} unit(s) stored before the restart are kept",
                done.len()
            );
        }
        sink = Some(ResultSink::new(store, &setup, TAG));
        info!(
            "{TAG}{} rank(s), a snapshot every {} steps, {nk} k-point(s) per snapshot, E_F = \
             {:.6} eV, {} energies; results in {}",
            group.size(),
            section.every,
            setup.fermi_ev,
            setup.energies.len(),
            dir.display()
        );
        let sender = acks.ok_or_else(|| Error::run("transport rank 0 without its ack link"))?;
        let a = Rc::new(RefCell::new(Acks::new(sender, section.every, nk, &done)));
        let mut f = SnapshotFeed::new(link, section.every, nk, group.size(), &done, Rc::clone(&a));
        units = f.add(&first)?;
        feed = Some(f);
        ack_state = Some(a);
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
    let mut on_result = |id: u64, _rank: usize, bytes: Vec<u8>| -> Result<()> {
        ResultSink::record_on_root(&mut sink, &bytes)?;
        match &ack_state {
            Some(a) => a.borrow_mut().stored(id),
            None => Ok(()),
        }
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
    feed.answer(&encode_series(&steps, &times, &g))?;
    drop(feed);
    if let Some(a) = ack_state.and_then(|a| Rc::try_unwrap(a).ok()) {
        a.into_inner().finish();
    }
    Ok(())
}
