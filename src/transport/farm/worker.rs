//! One rank's share of a transport farm: [`UnitWorker`] solves (snapshot, k∥) units with the
//! rank's lead cache ([`super::lead_cache`]) and the problem of its current frame, recording a
//! unit that fails (bad geometry, a lead that does not match, a singular matrix) with its error
//! so that the others go on; [`ResultSink`] stores each result on rank 0 as it arrives
//! ([`super::store`]) and logs each completed frame; [`report_ranks`] gathers the ranks'
//! counters. The offline farm (`transport` and `farm` commands) and the transport ranks of an
//! MD run use them alike.

use std::collections::HashMap;
use std::time::Instant;

use log::{info, warn};

use crate::error::{Error, Result};
use crate::parallel::World;
use crate::transport::farm::lead_cache::{LeadCache, LeadCacheSettings};
use crate::transport::farm::snapshot::{Snapshot, TransportSetup};
use crate::transport::farm::store::Store;
use crate::transport::farm::unit::{solve_unit, UnitResult};
use crate::transport::solver::layered::Solver;
use crate::transport::solver::self_energy::SelfEnergyMethod;

/// Counters of one rank's part of a run.
#[derive(Clone, Copy, Debug, Default)]
pub struct RankStats {
    pub units: usize,
    pub seconds: f64,
    pub cache_hits: u64,
    pub cache_misses: u64,
    pub lead_seconds: f64,
}

/// The snapshot and solver of a frame, or why they could not be built.
type Built = std::result::Result<(Snapshot, Solver), String>;

/// One rank's solver of units: the lead surface cache, the snapshot and solver of the frame it
/// works on (or why they could not be built), and its counters.
pub struct UnitWorker<'s> {
    setup: &'s TransportSetup,
    /// E_F, then the grid.
    energies: Vec<f64>,
    cache: LeadCache,
    current: Option<(u64, Built)>,
    stats: RankStats,
    rank: u32,
}

impl<'s> UnitWorker<'s> {
    /// The worker of rank `rank` for the units of `setup`, with a lead cache as `cache` says.
    pub fn new(setup: &'s TransportSetup, cache: &LeadCacheSettings, rank: usize) -> Self {
        let mut energies = vec![setup.fermi_ev];
        energies.extend_from_slice(&setup.energies);
        UnitWorker {
            setup,
            energies,
            cache: LeadCache::new(cache.cache, cache.cache_mb),
            current: None,
            stats: RankStats::default(),
            rank: rank as u32,
        }
    }

    /// Solve k∥ point `ik` of `frame`; `snapshot` gives the frame's structure when this worker
    /// does not hold it already. A failure is part of the result.
    pub fn solve(
        &mut self,
        frame: u64,
        ik: usize,
        snapshot: impl FnOnce() -> Result<Snapshot>,
        poll: &mut dyn FnMut(),
    ) -> UnitResult {
        let t0 = Instant::now();
        let setup = self.setup;
        let (_, built) = match self.current.take() {
            Some(c) if c.0 == frame => self.current.insert(c),
            _ => {
                let built = snapshot().and_then(|snap| {
                    let (prob, _) = setup.problem(&snap)?;
                    Ok((snap, Solver::new(prob, SelfEnergyMethod::ModeMatching)?))
                });
                self.current
                    .insert((frame, built.map_err(|e| e.to_string())))
            }
        };
        let (step, time_ps) = match built {
            Ok((snap, _)) => (snap.step, snap.time_ps),
            Err(_) => (0, f64::NAN),
        };
        let (outcome, lead_seconds) = match built {
            Ok((_, s)) => match solve_unit(
                s,
                ik,
                setup.points[ik].point.k,
                &self.energies,
                setup.n_eig,
                &mut self.cache,
                poll,
            ) {
                Ok((d, ls)) => (Ok(d), ls),
                Err(e) => (Err(format!("frame {frame}, k-point {ik}: {e}")), 0.0),
            },
            Err(e) => (Err(e.clone()), 0.0),
        };
        let seconds = t0.elapsed().as_secs_f64();
        self.stats.units += 1;
        self.stats.seconds += seconds;
        UnitResult {
            frame,
            k: ik as u32,
            step,
            time_ps,
            seconds,
            lead_seconds,
            rank: self.rank,
            outcome,
        }
    }

    /// This rank's counters, with those of its lead cache.
    pub fn stats(&self) -> RankStats {
        RankStats {
            cache_hits: self.cache.stats.hits,
            cache_misses: self.cache.stats.misses,
            lead_seconds: self.cache.stats.miss_seconds,
            ..self.stats
        }
    }
}

/// Rank 0's receiver of results: stores each unit as it arrives and logs each frame whose k∥
/// points are all done, with its G/G0 (summed in k order, as [`frame_conductances`]).
pub struct ResultSink {
    pub store: Store,
    /// Weight of each k∥ point.
    weights: Vec<f64>,
    /// T_LR(E_F) per k∥ point of the frames not complete yet.
    pending: HashMap<u64, Vec<Option<f64>>>,
    t_start: Instant,
    /// Prefix of the log lines ("" or "transport: ").
    tag: &'static str,
}

impl ResultSink {
    pub fn new(store: Store, setup: &TransportSetup, tag: &'static str) -> Self {
        ResultSink {
            store,
            weights: setup.points.iter().map(|p| p.point.weight).collect(),
            pending: HashMap::new(),
            t_start: Instant::now(),
            tag,
        }
    }

    /// [`ResultSink::record`] into the sink of the rank that holds the store (the farm's root);
    /// results reaching any other rank are an error.
    pub fn record_on_root(sink: &mut Option<ResultSink>, bytes: &[u8]) -> Result<()> {
        sink.as_mut()
            .ok_or_else(|| Error::run("results arrived on a rank without the store"))?
            .record(bytes)
            .map(|_| ())
    }

    /// Store one encoded [`UnitResult`]; returns (frame, step, time, G/G0) when it completes its
    /// frame.
    pub fn record(&mut self, bytes: &[u8]) -> Result<Option<(u64, u64, f64, f64)>> {
        let r = UnitResult::decode(bytes)?;
        self.store.append(&r)?;
        let tag = self.tag;
        let t = match &r.outcome {
            Err(msg) => {
                warn!("{tag}unit (frame {}, k {}) failed: {msg}", r.frame, r.k);
                return Ok(None);
            }
            Ok(d) => d.t_lr[0],
        };
        let nk = self.weights.len();
        let ts = self
            .pending
            .entry(r.frame)
            .or_insert_with(|| vec![None; nk]);
        if let Some(slot) = ts.get_mut(r.k as usize) {
            *slot = Some(t);
        }
        if ts.iter().any(Option::is_none) {
            return Ok(None);
        }
        let g = ts
            .iter()
            .zip(&self.weights)
            .fold(0.0, |g, (t, w)| g + w * t.unwrap_or(f64::NAN));
        self.pending.remove(&r.frame);
        info!(
            "{tag}frame {} (step {}) done: t = {:.4} ps, G = {g:.6} G0; {} units stored, {:.1} s \
             elapsed",
            r.frame,
            r.step,
            r.time_ps,
            self.store.n_units(),
            self.t_start.elapsed().as_secs_f64()
        );
        Ok(Some((r.frame, r.step, r.time_ps, g)))
    }
}

/// Gather every rank's counters on rank 0 and log the throughput, the units per rank and what
/// the lead cache saved; rank 0 gets the counters (rank order), the others `None`.
pub fn report_ranks(
    world: &World,
    mine: RankStats,
    wall_seconds: f64,
    tag: &str,
) -> Option<Vec<RankStats>> {
    let v = [
        mine.units as f64,
        mine.seconds,
        mine.cache_hits as f64,
        mine.cache_misses as f64,
        mine.lead_seconds,
    ];
    let all = world.gather_to_root(&v)?;
    let ranks: Vec<RankStats> = all
        .chunks(5)
        .map(|c| RankStats {
            units: c[0] as usize,
            seconds: c[1],
            cache_hits: c[2] as u64,
            cache_misses: c[3] as u64,
            lead_seconds: c[4],
        })
        .collect();
    let (hits, misses, lead_s): (u64, u64, f64) = ranks.iter().fold((0, 0, 0.0), |a, r| {
        (
            a.0 + r.cache_hits,
            a.1 + r.cache_misses,
            a.2 + r.lead_seconds,
        )
    });
    let total: usize = ranks.iter().map(|r| r.units).sum();
    let busy: f64 = ranks.iter().map(|r| r.seconds).sum();
    info!(
        "{tag}{total} units in {wall_seconds:.2} s ({:.2} units/s); units per rank {:?}",
        total as f64 / wall_seconds.max(1e-9),
        ranks.iter().map(|r| r.units).collect::<Vec<_>>()
    );
    if misses > 0 {
        let per = lead_s / misses as f64;
        info!(
            "{tag}lead surfaces: {misses} computed ({lead_s:.2} s, {:.1}% of {busy:.2} s of \
             unit time), {hits} reused from the cache (about {:.2} s saved)",
            100.0 * lead_s / busy.max(1e-12),
            per * hits as f64
        );
    }
    Some(ranks)
}
