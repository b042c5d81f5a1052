//! The transport drivers of a deck ([`crate::deck::transport`]):
//!
//! - `nanocontact transport DECK.toml --out DIR`: one structure (a data file, or one frame of a
//!   trajectory). Writes `DIR/transport.h5` ([`crate::transport::farm::store`]) and
//!   `transmission.csv` (`E_eV,T_LR,T_RL,open_channels_L,open_channels_R`, k-averaged, the
//!   columns of the `--hamiltonian` contract), `transmission_k.csv`
//!   (`k_index,k1,k2,weight,E_eV,T_LR,T_RL,open_channels_L,open_channels_R`),
//!   `eigenchannels.csv` (`k_index,E_eV,tau_1,…`), `conductance.csv`
//!   (`E_F_eV,G_G0,G_S,open_channels` at E_F) and, with `[current]`, `current.csv`
//!   (`bias_V,temperature_K,current_A`); `transmission.png` shows T(E).
//! - `mpirun -np P nanocontact farm DECK.toml --out DIR`: the selected frames of a trajectory.
//!   Work units are (frame, k∥) pairs handed out by rank 0 ([`crate::parallel::task_farm`]);
//!   results stream into `DIR/farm.h5` as they arrive; at the end `conductance.csv`
//!   (`frame,step,time_ps,G_G0,open_channels,k_done`), `transmission.csv`
//!   (`frame,step,time_ps,E_eV,T_LR,T_RL,open_channels_L,open_channels_R`, k-averaged, frames
//!   with every k∥ done), `failures.csv` (`frame,k_index,message`) and `eigenchannels.csv`
//!   (`frame,step,time_ps,k_index,weight,tau_1,…` at E_F, every unit), with the figures
//!   `conductance.png` (G/G0 against time) and `conductance_histogram.png` (0.05 G0 bins).
//!   With `--write-embedded EDIR` and a `[gap]` deck, rank 0 first writes each selected frame's
//!   gap atoms between the two slabs, the very geometry its G is computed on, to
//!   `EDIR/frame_<step>.data` (atom_style atomic, box periodic across the axis) and lists them in
//!   `EDIR/embedded.csv` (`frame,step,time_ps,gap_atoms,file,left_lo,left_hi,right_lo,right_hi`,
//!   the lead ranges along the axis in Å): `nanocontact transport` on that file with those
//!   `[leads]` ranges gives the farm's G, and a DFT code can take the same geometry.
//!
//! Both run the same units on any number of ranks ([`crate::transport::farm::worker`]). Each
//! rank keeps the lead surface Green's functions per (E, k∥)
//! ([`crate::transport::farm::lead_cache`]) and the problem of its current frame. A unit that
//! fails (bad geometry, a lead that does not match, a singular matrix) is recorded with its
//! error and the others go on; re-running skips the units already stored.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use log::{info, warn};

use crate::commands::farm_tables::{k_average, write, write_farm_tables};
use crate::commands::transport::fmt_e14;
use crate::commands::transport_figures;
use crate::deck::transport::TransportDeck;
use crate::error::{Error, Result};
use crate::io::lammps_data::write_positions;
use crate::parallel::task_farm::{run_task_farm, FarmUnit};
use crate::parallel::World;
use crate::transport::farm::snapshot::{SnapshotSource, TransportSetup};
use crate::transport::farm::store::{Store, StoreMeta};
use crate::transport::farm::worker::{report_ranks, RankStats, ResultSink, UnitWorker};
use crate::transport::solver::landauer::current_amperes;
use crate::units::G0_SIEMENS;

/// Which snapshots a command runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// The deck's `frame` (transport).
    One,
    /// The deck's `frames` (farm).
    Many,
}

/// A deck ready to run on this rank.
pub struct Prepared {
    pub deck: TransportDeck,
    pub deck_path: PathBuf,
    pub source: SnapshotSource,
    /// Trajectory frames to run, in order.
    pub frames: Vec<usize>,
    pub setup: TransportSetup,
}

/// Read the deck, open its structure, select the frames and build the setup from the first.
pub fn prepare(deck_path: &Path, selection: Selection) -> Result<Prepared> {
    let deck = TransportDeck::read(deck_path)?;
    let source = SnapshotSource::open(&deck.structure.file(deck_path)?)?;
    let n = source.len() as i64;
    if n == 0 {
        return Err(Error::key(
            deck_path,
            "structure.trajectory",
            "the trajectory has no frames",
        ));
    }
    let frames: Vec<usize> = match selection {
        Selection::One => {
            let f = deck.structure.frame;
            let k = if f < 0 { n + f } else { f };
            if !(0..n).contains(&k) {
                return Err(Error::key(
                    deck_path,
                    "structure.frame",
                    format!("frame {f} requested, the structure has {n}"),
                ));
            }
            vec![k as usize]
        }
        Selection::Many => {
            let [first, end, stride] = deck.structure.frames.unwrap_or([0, n, 1]);
            // Negative bounds count from the end, as Python slices do.
            let from_end = |k: i64| if k < 0 { (n + k).max(0) } else { k.min(n) };
            let (first, end) = (from_end(first), from_end(end));
            let v: Vec<usize> = (first..end)
                .step_by(stride.max(1) as usize)
                .map(|k| k as usize)
                .collect();
            if v.is_empty() {
                return Err(Error::key(
                    deck_path,
                    "structure.frames",
                    format!("selects no frame of the {n} available"),
                ));
            }
            v
        }
    };
    let groups = match &deck.structure.md_deck {
        Some(p) => Some(crate::setup::deck_group_ids(p)?),
        None => None,
    };
    let spec = deck.snapshot_spec(deck_path)?;
    // The gap's apexes are those of the first frame, before anything moved into the gap.
    let reference = source.get(if spec.gap.is_some() { 0 } else { frames[0] })?;
    let setup = TransportSetup::new(&spec, &reference, groups.as_deref()).map_err(|e| match e {
        Error::Run(msg) => Error::input(deck_path, None, msg),
        other => other,
    })?;
    Ok(Prepared {
        deck,
        deck_path: deck_path.to_path_buf(),
        source,
        frames,
        setup,
    })
}

/// The settings that define a results file (a restart must use the same).
fn config_string(p: &Prepared) -> String {
    let d = &p.deck;
    format!(
        "structure: trajectory {:?} data {:?} boundary {:?} md_deck {:?}; model: {:?}; leads: \
         {:?}; kpoints: {:?}; energy: {:?}",
        d.structure.trajectory,
        d.structure.data,
        d.structure.boundary,
        d.structure.md_deck,
        d.model,
        d.leads,
        d.kpoints,
        d.energy
    )
}

/// What a run leaves on rank 0.
pub struct RunOutcome {
    /// Every rank's counters (rank order).
    pub ranks: Vec<RankStats>,
    /// The results file, still open.
    pub store: Store,
}

/// Run every (frame, k∥) unit not yet in `store_path` over the ranks of `world`; rank 0 stores
/// the results and gets the outcome, the other ranks `None`.
pub fn run_units(p: &Prepared, store_path: &Path, world: &World) -> Result<Option<RunOutcome>> {
    let setup = &p.setup;
    let nk = setup.points.len();
    let nf = p.frames.len();
    let mut sink = None;
    let mut units = Vec::new();
    if world.is_root() {
        let s = Store::open_or_create(store_path, &store_meta_of(p))?;
        let done: std::collections::HashSet<(u64, u32)> = s.done()?.into_iter().collect();
        for (fp, &frame) in p.frames.iter().enumerate() {
            for ik in 0..nk {
                if !done.contains(&(frame as u64, ik as u32)) {
                    units.push(FarmUnit {
                        id: (fp * nk + ik) as u64,
                        affinity: ik as u64,
                    });
                }
            }
        }
        info!(
            "{nf} frame(s) x {nk} k-point(s) = {} units on {} rank(s): {} already in {}, {} to do; \
             E_F = {:.6} eV, {} energies",
            nf * nk,
            world.size(),
            done.len(),
            store_path.display(),
            units.len(),
            setup.fermi_ev,
            setup.energies.len()
        );
        sink = Some(ResultSink::new(s, setup, ""));
    }
    let mut worker = UnitWorker::new(setup, &p.deck.farm, world.rank());
    let t_start = Instant::now();
    let mut work = |id: u64, poll: &mut dyn FnMut()| -> Vec<u8> {
        let (fp, ik) = (id as usize / nk, id as usize % nk);
        let frame = p.frames[fp];
        worker
            .solve(frame as u64, ik, || p.source.get(frame), poll)
            .encode()
    };
    let mut on_result = |_id: u64, _rank: usize, bytes: Vec<u8>| -> Result<()> {
        ResultSink::record_on_root(&mut sink, &bytes)
    };
    run_task_farm(world, units, &mut work, &mut on_result)?;
    let ranks = report_ranks(world, worker.stats(), t_start.elapsed().as_secs_f64(), "");
    let (Some(ranks), Some(ResultSink { store, .. })) = (ranks, sink) else {
        return Ok(None);
    };
    if store.n_failures() > 0 {
        warn!(
            "{} unit(s) failed; see failures.csv and /failures in {}",
            store.n_failures(),
            store_path.display()
        );
    }
    Ok(Some(RunOutcome { ranks, store }))
}

/// `nanocontact farm DECK --out DIR [--write-embedded EDIR]`.
pub fn farm_command(
    deck_path: &Path,
    out: &Path,
    embedded: Option<&Path>,
    world: &World,
) -> Result<()> {
    if world.is_root() {
        std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    }
    world.barrier();
    let p = prepare(deck_path, Selection::Many)?;
    if !p.deck.title.is_empty() {
        info!("{}", p.deck.title);
    }
    if let Some(dir) = embedded {
        if p.setup.gap().is_none() {
            return Err(Error::key(
                deck_path,
                "gap",
                "--write-embedded needs a [gap] section (the frames embedded between slabs)",
            ));
        }
        if world.is_root() {
            write_embedded(&p, dir)?;
        }
    }
    let store_path = out.join("farm.h5");
    let Some(RunOutcome { mut store, .. }) = run_units(&p, &store_path, world)? else {
        return Ok(());
    };
    let rows = write_farm_tables(&mut store, out)?;
    let complete = rows
        .iter()
        .filter(|x| x.k_done == p.setup.points.len())
        .count();
    info!(
        "{complete} of {} frame(s) complete; conductance.csv (and .png, histogram), \
         transmission.csv, failures.csv and farm.h5 in {}",
        p.frames.len(),
        out.display()
    );
    Ok(())
}

/// Each selected frame's gap between the slabs as `dir/frame_<step>.data`, listed with the lead
/// ranges in `dir/embedded.csv` (the format is in the module's doc).
fn write_embedded(p: &Prepared, dir: &Path) -> Result<()> {
    let Some(g) = p.setup.gap() else {
        return Ok(());
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let [[llo, lhi], [rlo, rhi]] = g.lead_ranges()?;
    let axis = ["x", "y", "z"][p.setup.axis];
    let mut csv =
        String::from("frame,step,time_ps,gap_atoms,file,left_lo,left_hi,right_lo,right_hi\n");
    for &frame in &p.frames {
        let s = g.embed(&p.source.get(frame)?)?;
        let n_gap = s.ids.len() - g.slab_atoms();
        let name = format!("frame_{}.data", s.step);
        let title = format!(
            "nanocontact farm --write-embedded: frame {frame} (step {}, {} ps), {n_gap} gap \
             atom(s) between fcc(111) slabs {:.6} A apart; leads along {axis}: left {llo} {lhi}, \
             right {rlo} {rhi}",
            s.step,
            s.time_ps,
            g.width()
        );
        write_positions(
            &dir.join(&name),
            &title,
            &s.simbox,
            &s.ids,
            &s.types,
            &s.positions,
        )?;
        let _ = writeln!(
            csv,
            "{frame},{},{},{n_gap},{name},{llo},{lhi},{rlo},{rhi}",
            s.step, s.time_ps
        );
    }
    write(dir, "embedded.csv", &csv)?;
    info!(
        "{} embedded frame(s) in {}; lead ranges along {axis}: left {llo} .. {lhi}, right \
         {rlo} .. {rhi} Å",
        p.frames.len(),
        dir.display()
    );
    Ok(())
}

fn store_meta_of(p: &Prepared) -> StoreMeta {
    StoreMeta {
        config: config_string(p),
        fermi_ev: p.setup.fermi_ev,
        energies: p.setup.energies.clone(),
        points: p.setup.points.clone(),
        n_eig: p.setup.n_eig,
    }
}

/// `nanocontact transport DECK --out DIR`.
pub fn transport_command(deck_path: &Path, out: &Path, world: &World) -> Result<()> {
    if world.is_root() {
        std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    }
    world.barrier();
    let p = prepare(deck_path, Selection::One)?;
    if !p.deck.title.is_empty() {
        info!("{}", p.deck.title);
    }
    let store_path = out.join("transport.h5");
    let Some(outcome) = run_units(&p, &store_path, world)? else {
        return Ok(());
    };
    let r = outcome.store.read_all()?;
    if let Some((_, k, msg)) = r.failures.first() {
        return Err(Error::run(format!(
            "{}: k-point {k} failed: {msg}",
            deck_path.display()
        )));
    }
    let frame = p.frames[0] as u64;
    let avg = k_average(&r, frame).ok_or_else(|| {
        Error::run(format!(
            "{}: not every k-point of frame {frame} is stored",
            store_path.display()
        ))
    })?;
    let es = &r.meta.energies;
    let mut t = String::from("E_eV,T_LR,T_RL,open_channels_L,open_channels_R\n");
    for (e, a) in es.iter().zip(&avg[1..]) {
        let _ = writeln!(
            t,
            "{e},{},{},{},{}",
            fmt_e14(a[0]),
            fmt_e14(a[1]),
            fmt_e14(a[2]),
            fmt_e14(a[3])
        );
    }
    write(out, "transmission.csv", &t)?;
    let neig = r.meta.n_eig;
    let mut tk =
        String::from("k_index,k1,k2,weight,E_eV,T_LR,T_RL,open_channels_L,open_channels_R\n");
    let mut ec = String::from("k_index,E_eV");
    for i in 1..=neig {
        let _ = write!(ec, ",tau_{i}");
    }
    ec.push('\n');
    for u in r.units.iter().filter(|u| u.frame == frame) {
        let mp = &r.meta.points[u.k as usize];
        for (ie, e) in es.iter().enumerate() {
            let j = ie + 1;
            let _ = writeln!(
                tk,
                "{},{},{},{},{e},{},{},{},{}",
                u.k,
                mp.point.k.0[0],
                mp.point.k.0[1],
                mp.point.weight,
                fmt_e14(u.data.t_lr[j]),
                fmt_e14(u.data.t_rl[j]),
                u.data.open_l[j],
                u.data.open_r[j]
            );
            let _ = write!(ec, "{},{e}", u.k);
            for v in &u.data.tau[j * neig..(j + 1) * neig] {
                ec.push(',');
                if v.is_finite() {
                    ec.push_str(&fmt_e14(*v));
                }
            }
            ec.push('\n');
        }
    }
    write(out, "transmission_k.csv", &tk)?;
    write(out, "eigenchannels.csv", &ec)?;
    let t_k: Vec<f64> = avg[1..].iter().map(|a| a[0]).collect();
    let open_k: Vec<f64> = avg[1..].iter().map(|a| a[2]).collect();
    transport_figures::transmission(out, es, r.meta.fermi_ev, &t_k, &open_k)?;
    let g = avg[0][0];
    write(
        out,
        "conductance.csv",
        &format!(
            "E_F_eV,G_G0,G_S,open_channels\n{},{},{},{}\n",
            r.meta.fermi_ev,
            fmt_e14(g),
            fmt_e14(g * G0_SIEMENS),
            fmt_e14(avg[0][2])
        ),
    )?;
    info!(
        "E_F = {:.6} eV: G = {g:.6} G0 ({:.4} open channels per supercell)",
        r.meta.fermi_ev, avg[0][2]
    );
    if let Some(cur) = &p.deck.current {
        let tt: Vec<f64> = avg[1..].iter().map(|a| a[0]).collect();
        let mut c = String::from("bias_V,temperature_K,current_A\n");
        for &v in &cur.bias {
            let i = current_amperes(es, &tt, r.meta.fermi_ev, v, cur.temperature).map_err(|e| {
                Error::key(
                    deck_path,
                    "current.bias",
                    format!("{e} (the [energy] grid)"),
                )
            })?;
            let _ = writeln!(c, "{v},{},{}", cur.temperature, fmt_e14(i));
        }
        write(out, "current.csv", &c)?;
    }
    info!("results in {}", out.display());
    Ok(())
}
