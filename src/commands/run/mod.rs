//! `nanocontact run`: an MD deck from structure to trajectory. Rank 0 writes `thermo.csv`
//! (step, time_ps, pe_eV, ke_eV, etotal_eV, temp_K, press_bar), the trajectories (H5MD
//! `traj.h5` with the thermo quantities as observables, optionally extended XYZ and LAMMPS dump)
//! and the final data file into the output folder, and logs LAMMPS-like thermo lines with
//! steps/s and an ETA, then the timing breakdown ([`report`]).
//!
//! With a `[transport]` section of `ranks = M > 0`, the last M ranks are transport ranks
//! ([`crate::commands::inline_transport`]) and the MD runs on the others exactly as it would alone: on
//! every snapshot step MD rank 0 gathers the atoms (the gather of the trajectory frames) and
//! starts a non-blocking send of the snapshot ([`inline_link`]). After the last step it waits
//! for the transport ranks and writes their G/G0 per snapshot to `traj.h5` as the observable
//! `/observables/conductance`.
//!
//! The set-up (deck to MD state) is [`crate::setup`]; here is the loop over the stages
//! ([`stages`]) and their steps, the files it writes ([`outputs`]), and its checkpoints and
//! restarts ([`checkpoint`]: after the outputs of a step; a restart skips the stages before the
//! checkpoint's and the start of its own, and appends to the outputs).

pub mod checkpoint;
pub mod inline_link;
pub mod out_folder;
pub mod outputs;
pub mod report;
pub mod signals;
pub mod stages;

use std::path::{Path, PathBuf};
use std::time::Instant;

use log::info;

use self::inline_link::TransportLink;
use self::outputs::{thermo_header, thermo_line, Outputs};
use self::stages::{lead_center, StagesCsv};
use crate::deck::Deck;
use crate::dynamics::{echemdid, leads, velocity, verlet, Md};
use crate::error::{Error, Result};
use crate::io::lammps_data::write_data;
use crate::parallel::World;

/// The built-in default deck and the potential file it needs.
const DEMO_DECK: &str = include_str!("../../../inputs/demo_junction.toml");
const DEMO_POTENTIAL: &str = include_str!("../../../inputs/potentials/Au_u3.eam");

/// Options of `run`.
#[derive(Clone, Debug, clap::Args)]
pub struct RunOptions {
    /// Input deck (see inputs/); omit for the built-in demo.
    pub deck: Option<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// MPI processor grid px,py,pz (default: the deck's, else minimal ghost surface).
    #[arg(long, value_parser = super::parse_grid)]
    pub grid: Option<[usize; 3]>,
    /// Continue from this checkpoint (DIR/checkpoint of an earlier run of the same deck into
    /// the same --out): outputs are appended, the run ends where the uninterrupted one would.
    #[arg(long)]
    pub restart: Option<PathBuf>,
    /// Write into an output folder that already holds a run, replacing its outputs (without
    /// it, such a folder is an error unless the run continues it with --restart).
    #[arg(long)]
    pub overwrite: bool,
}

fn create_dir(p: &Path) -> Result<()> {
    std::fs::create_dir_all(p).map_err(|e| Error::io(p, e))
}

fn write_file(p: &Path, text: &str) -> Result<()> {
    std::fs::write(p, text).map_err(|e| Error::io(p, e))
}

/// The text of the deck at `path` for `OUT/deck.toml`: unchanged, with `base_dir` set to the
/// absolute folder its relative paths start from when the deck does not give one, so that the
/// copy (read by `farm` as `structure.md_deck`, or re-run) finds the same files from anywhere.
fn deck_copy(path: &Path, deck: &Deck) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    if deck.base_dir.is_some() {
        return Ok(text);
    }
    let folder = path.parent().filter(|f| !f.as_os_str().is_empty());
    let folder =
        std::fs::canonicalize(folder.unwrap_or(Path::new("."))).map_err(|e| Error::io(path, e))?;
    // A TOML basic string: escape backslashes and quotes.
    let quoted = folder
        .to_string_lossy()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    Ok(format!(
        "# written by nanocontact run: relative paths below start from the original deck's folder\nbase_dir = \"{quoted}\"\n{text}"
    ))
}

/// Read the deck, or materialise the built-in one (deck and potential) inside `out`.
fn load_deck(opts: &RunOptions, world: &World) -> Result<Deck> {
    match &opts.deck {
        Some(p) => {
            let d = Deck::read(p)?;
            // Every rank has read the deck before rank 0 writes the copy: the deck may be that
            // copy (`run DIR/deck.toml --out DIR --restart DIR/checkpoint`), left as it is.
            world.barrier();
            if world.is_root() {
                let (copy, target) = (deck_copy(p, &d)?, opts.out.join("deck.toml"));
                if std::fs::read_to_string(&target).ok().as_deref() != Some(copy.as_str()) {
                    write_file(&target, &copy)?;
                }
            }
            Ok(d)
        }
        None => {
            let deck_path = opts.out.join("deck.toml");
            if world.is_root() {
                create_dir(&opts.out.join("potentials"))?;
                write_file(&opts.out.join("potentials/Au_u3.eam"), DEMO_POTENTIAL)?;
                write_file(&deck_path, DEMO_DECK)?;
            }
            world.barrier();
            Deck::parse(&deck_path, DEMO_DECK)
        }
    }
}

/// Log the decomposition and the system.
fn log_system(md: &Md) {
    let l = md.simbox.lengths();
    info!(
        "{} on {} ranks, load imbalance (max/mean atoms per rank) {:.3}",
        md.decomp.describe(),
        md.world.size(),
        md.imbalance
    );
    info!(
        "{} atoms, {} types, box {:.4} x {:.4} x {:.4} A, boundary {}, potential {} (cutoff {:.3} A), skin {} A",
        md.natoms,
        md.atoms.ntypes(),
        l[0],
        l[1],
        l[2],
        md.simbox.boundary_string(),
        md.potential.describe(),
        md.potential.cutoff(),
        md.lists.skin
    );
}

/// Run a deck.
pub fn run(opts: &RunOptions, world: World) -> Result<()> {
    let root = world.is_root();
    if root {
        out_folder::check(&opts.out, opts.restart.as_deref(), opts.overwrite)?;
    }
    let deck = load_deck(opts, &world)?;
    let deck_path = opts
        .deck
        .clone()
        .unwrap_or_else(|| opts.out.join("deck.toml"));
    if !deck.title.is_empty() {
        info!("{}", deck.title);
    }
    let Some((world, mut link)) =
        inline_link::split_transport(&deck, &deck_path, &opts.out, world, opts.restart.is_some())?
    else {
        return Ok(());
    };
    let restart = opts.restart.as_deref().map(checkpoint::read).transpose()?;
    let mut md = crate::setup::build_md(&deck, &deck_path, world, opts.grid)?;
    if let Some(r) = &restart {
        // The snapshot link is a hook of the checkpointed run (its queue is its state): it
        // takes its place before the states are restored, then sends that queue again.
        if let Some(l) = link.take() {
            md.add_hook(Box::new(l));
        }
        checkpoint::restore(&mut md, r)?;
        if let Some(l) = md.hooks.find_mut::<TransportLink>() {
            l.resend()?;
        }
        info!(
            "restarted from {} at step {} (t = {:.4} ps, stage {})",
            r.path.display(),
            md.step,
            md.time_ps,
            r.position.stage
        );
    }
    let position = restart.as_ref().map(|r| r.position);
    log_system(&md);
    let qeq = md.potential.report().qeq_iterations.is_some();
    let restarted = restart.as_ref().map(|r| (r.path.as_path(), md.step));
    let mut policy = checkpoint::Policy::new(&deck, &opts.out, restarted)?;
    let mut outputs = if root {
        let resume = position.map(|p| (p.cursors, md.step));
        Some(Outputs::open(
            &opts.out,
            &deck,
            md.atoms.ntypes(),
            qeq,
            resume,
        )?)
    } else {
        None
    };
    let stages = stages::stages(&deck);
    let total_steps: u64 = stages.iter().map(|s| stages::stage_steps(s, &md)).sum();
    let mut stage_csv = if root {
        let resume = position.map(|p| p.cursors.stages);
        Some(StagesCsv::create(&opts.out, &md, resume)?)
    } else {
        None
    };
    md.timers = Default::default();
    let t0 = Instant::now();
    let start_step = md.step;
    // The thermo log line and the thermo.csv row, with the rate and ETA of the whole loop.
    let out_thermo = |md: &Md, outputs: &mut Option<Outputs>| -> Result<()> {
        let th = md.thermo();
        let qeq = md.potential.report().qeq_iterations;
        let done = (md.step - start_step) as f64;
        let el = t0.elapsed().as_secs_f64();
        let rate = if el > 0.0 { done / el } else { 0.0 };
        let eta = if rate > 0.0 {
            (total_steps as f64 - done) / rate
        } else {
            0.0
        };
        if md.world.size() > 1 {
            // Load imbalance (max/mean owned atoms per rank) as of the last re-neighbouring.
            info!(
                "{} imbal {:.3}",
                thermo_line(&th, rate, eta, qeq),
                md.imbalance
            );
        } else {
            info!("{}", thermo_line(&th, rate, eta, qeq));
        }
        if let Some(o) = outputs {
            o.thermo_row(&th, qeq)?;
            if let Some(e) = echemdid::of(md) {
                o.echemdid_row(&th, e)?;
            }
        }
        Ok(())
    };
    for (k, st) in stages.iter().enumerate() {
        // A restart skips the stages before the checkpoint's and the start of its own.
        let resumed = position.filter(|p| p.stage == k);
        if position.is_some_and(|p| k < p.stage) {
            continue;
        }
        if k > 0 && resumed.is_none() {
            info!(
                "stage {k} '{}' at step {}, t = {:.4} ps",
                st.name, md.step, md.time_ps
            );
        }
        if resumed.is_none() {
            stages::apply_stage(&mut md, st, k, &deck, &deck_path)?;
            if let Some(m) = &st.minimize {
                stages::minimize_logged(&mut md, m)?;
            }
            if let Some(v) = &st.velocity {
                velocity::create(&mut md, v.temperature, v.seed);
            }
        }
        let nsteps = stages::stage_steps(st, &md);
        let every = deck.run.thermo;
        let (stage_start, stage_t0) =
            resumed.map_or((md.step, md.time_ps), |p| (p.stage_start, p.stage_t0));
        info!("{}", thermo_header(qeq));
        if k == 0 && resumed.is_none() {
            // The snapshot of the first step, then the link is a hook of every step after it.
            if let Some(mut l) = link.take() {
                l.snapshot(&md)?;
                md.add_hook(Box::new(l));
            }
            out_thermo(&md, &mut outputs)?;
            outputs::write_frames(&md, &mut outputs, &deck)?;
            outputs::write_leads(&md, &mut outputs, &deck)?;
        }
        for _ in (md.step - stage_start)..nsteps {
            verlet::step(&mut md).map_err(|e| policy.annotate(e))?;
            let t1 = Instant::now();
            if (md.step - stage_start) % every == 0 || md.step - stage_start == nsteps {
                out_thermo(&md, &mut outputs)?;
            }
            outputs::write_frames(&md, &mut outputs, &deck)?;
            outputs::write_leads(&md, &mut outputs, &deck)?;
            let due = policy.due(&md);
            if due != checkpoint::Due::Nothing {
                let here = checkpoint::RunPosition {
                    stage: k,
                    stage_start,
                    stage_t0,
                    cursors: outputs::Cursors {
                        stages: stage_csv.as_ref().map_or(0, |c| c.len_bytes()),
                        ..outputs.as_ref().map(|o| o.cursors()).unwrap_or_default()
                    },
                };
                policy.write(&md, &here)?;
            }
            md.timers.add(crate::dynamics::timers::Task::Output, t1);
            if due == checkpoint::Due::WriteAndStop {
                // The transport ranks finish the snapshots they have and end too; the
                // conductance series is written when the continued run ends.
                if let Some(l) = md.hooks.take::<TransportLink>() {
                    l.finish()?;
                }
                if !root {
                    return Ok(());
                }
                log::warn!(
                    "stopped by a signal at step {}; go on with: nanocontact run DECK --out {} --restart {}",
                    md.step,
                    opts.out.display(),
                    policy.path().display()
                );
                return Ok(());
            }
        }
        // Lead centres are reductions: every rank computes them.
        let centers: Vec<f64> = leads::of(&md)
            .iter()
            .map(|l| lead_center(&md, l.bit, l.axis))
            .collect();
        if let Some(c) = stage_csv.as_mut() {
            c.row(&md, k, stage_start, stage_t0, &centers)?;
        }
    }
    report::loop_summary(&md, md.step - start_step, t0.elapsed().as_secs_f64());
    let link = md.hooks.take::<TransportLink>();
    if let Some((steps, times, g)) = link.map(|l| l.finish()).transpose()?.flatten() {
        if let Some(o) = outputs.as_mut() {
            o.conductance(&steps, &times, &g)?;
        }
    }
    if let Some(all) = md.gather() {
        write_data(
            &opts.out.join("final.data"),
            &format!("nanocontact final state, step {}", md.step),
            &md.simbox,
            &all,
        )?;
        report::files_written(&opts.out, &deck);
    }
    Ok(())
}
