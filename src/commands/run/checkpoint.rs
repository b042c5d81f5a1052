//! Checkpoints of `run` and restarts from them (`nanocontact run DECK --restart FILE`).
//!
//! A checkpoint is written after the outputs of a step, atomically, to `DIR/checkpoint`
//! ([`crate::io::checkpoint`]): every `output.checkpoint` steps, every
//! `output.checkpoint_minutes` of wall-clock time, and when SIGUSR1 or SIGTERM arrives (SLURM's
//! warning signal, `#SBATCH --signal=B:USR1@300` passed on by the job script, or the SIGTERM
//! of the time limit); after a signal the run stops at the next check (every
//! [`SIGNAL_CHECK_STEPS`] steps) and says how to continue. A second SIGTERM ends the process at
//! once. It holds the MD state ([`crate::dynamics::checkpoint`]: atoms, velocities, forces,
//! migrating per-atom fields, every step hook's state: thermostat chains and their work,
//! Langevin seeds, lead motions) and where the run stands: the stage, the step and time it
//! started at, and the length of each text output. On restart the outputs are cut to those
//! lengths (and `traj.h5` to the frames and samples up to the checkpoint's step) and appended,
//! so they end as those of a run that was never stopped. In a run with inline transport ranks
//! the snapshot link is a hook whose state is the transport queue (the reference snapshot and
//! those not yet acknowledged, [`super::inline_link`]); a stop by signal first lets the
//! transport ranks finish that queue.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use super::outputs::Cursors;
use crate::deck::Deck;
use crate::dynamics::{checkpoint as md_checkpoint, Md};
use crate::error::{Error, Result};
use crate::io::checkpoint::{
    bytes_to_words, read as read_blocks, words_to_blocks, write_atomic, Decoder, Encoder,
};

/// Steps between two looks at the signal flag and the clock (one reduction each).
pub const SIGNAL_CHECK_STEPS: u64 = 10;

/// Where the run stands besides the MD state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunPosition {
    /// Index of the current stage (0: the base run).
    pub stage: usize,
    /// Step and time at which the stage started.
    pub stage_start: u64,
    pub stage_t0: f64,
    /// Lengths of the text outputs.
    pub cursors: Cursors,
}

impl RunPosition {
    fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new();
        e.u64(self.stage as u64)
            .u64(self.stage_start)
            .f64(self.stage_t0);
        for c in self.cursors.to_array() {
            e.u64(c);
        }
        e.finish()
    }

    fn decode(b: &[u8]) -> Result<RunPosition> {
        let mut d = Decoder::new(b, "run");
        let stage = d.count(1 << 20)?;
        let stage_start = d.u64()?;
        let stage_t0 = d.f64()?;
        let mut c = [0u64; 5];
        for x in c.iter_mut() {
            *x = d.u64()?;
        }
        Ok(RunPosition {
            stage,
            stage_start,
            stage_t0,
            cursors: Cursors::from_array(c),
        })
    }
}

/// A checkpoint read back: the MD blocks and where the run stood.
pub struct Restart {
    pub path: PathBuf,
    pub md: Vec<u8>,
    pub ranks: Vec<Vec<u8>>,
    pub position: RunPosition,
}

/// Read the checkpoint at `path` (every rank reads it: output folders are shared).
pub fn read(path: &Path) -> Result<Restart> {
    let mut blocks = read_blocks(path)?;
    if blocks.len() < 3 {
        return Err(Error::input(
            path,
            None,
            "a checkpoint needs an MD block, a run block and a block per rank",
        ));
    }
    let ranks = blocks.split_off(2);
    let position =
        RunPosition::decode(&blocks[1]).map_err(|e| Error::input(path, None, e.to_string()))?;
    Ok(Restart {
        path: path.to_path_buf(),
        md: std::mem::take(&mut blocks[0]),
        ranks,
        position,
    })
}

/// Put a checkpoint into `md` (built from the same deck).
pub fn restore(md: &mut Md, r: &Restart) -> Result<()> {
    md_checkpoint::restore(md, &r.md, &r.ranks)
        .map_err(|e| Error::input(&r.path, None, e.to_string()))
}

/// What to do after a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    Nothing,
    /// Write a checkpoint and go on.
    Write,
    /// Write a checkpoint and stop (a signal came).
    WriteAndStop,
}

/// When checkpoints are written, and where.
pub struct Policy {
    path: PathBuf,
    every_steps: u64,
    every_s: f64,
    last: Instant,
    signal: Arc<AtomicBool>,
    /// The last good checkpoint: its file and step (written by this run or restarted from).
    last_good: Option<(PathBuf, u64)>,
}

impl Policy {
    /// The deck's checkpoint settings, writing to `out/checkpoint`; SIGUSR1 and SIGTERM set the
    /// flag the run looks at ([`super::signals::catch_stop_signals`]).
    pub fn new(deck: &Deck, out: &Path, restarted: Option<(&Path, u64)>) -> Result<Policy> {
        Policy::every(
            out,
            deck.output.checkpoint,
            deck.output.checkpoint_minutes,
            restarted,
        )
    }

    /// Checkpoints every `steps` steps and every `minutes` of wall time (0: never), and at
    /// SIGUSR1 or SIGTERM, to `out/checkpoint`.
    pub fn every(
        out: &Path,
        steps: u64,
        minutes: f64,
        restarted: Option<(&Path, u64)>,
    ) -> Result<Policy> {
        let signal = Arc::new(AtomicBool::new(false));
        super::signals::catch_stop_signals(&signal)?;
        Ok(Policy {
            path: out.join("checkpoint"),
            every_steps: steps,
            every_s: minutes * 60.0,
            last: Instant::now(),
            signal,
            last_good: restarted.map(|(p, s)| (p.to_path_buf(), s)),
        })
    }

    /// `e` with the last good checkpoint named, and how to go on from it (a run that stops
    /// on an error: lost atoms, non-finite forces).
    pub fn annotate(&self, e: Error) -> Error {
        match &self.last_good {
            None => e,
            Some((p, step)) => Error::run(format!(
                "{e}; the last good checkpoint is {} (step {step}): go on with --restart {}",
                p.display(),
                p.display()
            )),
        }
    }

    /// The checkpoint file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a checkpoint is due after the step `md` just took (collective: every rank
    /// agrees; the clock of rank 0 decides the wall-time interval).
    pub fn due(&self, md: &Md) -> Due {
        let by_steps = self.every_steps > 0 && md.step.is_multiple_of(self.every_steps);
        if !md.step.is_multiple_of(SIGNAL_CHECK_STEPS) {
            return if by_steps { Due::Write } else { Due::Nothing };
        }
        let signal = md.world.any(self.signal.load(Ordering::Relaxed));
        if signal {
            return Due::WriteAndStop;
        }
        let clock = self.every_s > 0.0
            && md.world.is_root()
            && self.last.elapsed().as_secs_f64() >= self.every_s;
        if by_steps || md.world.any(clock) {
            Due::Write
        } else {
            Due::Nothing
        }
    }

    /// Write the checkpoint of `md` at `position` (collective; rank 0 writes the file).
    pub fn write(&mut self, md: &Md, position: &RunPosition) -> Result<()> {
        let mine = bytes_to_words(&md_checkpoint::encode_rank(md));
        if let Some(all) = md.world.gather_to_root(&mine) {
            let mut blocks = vec![md_checkpoint::encode_global(md), position.encode()];
            blocks.extend(words_to_blocks(&all)?);
            write_atomic(&self.path, &blocks)?;
            log::info!(
                "checkpoint at step {} (t = {:.4} ps): {}",
                md.step,
                md.time_ps,
                self.path.display()
            );
        }
        self.last = Instant::now();
        self.last_good = Some((self.path.clone(), md.step));
        Ok(())
    }
}
