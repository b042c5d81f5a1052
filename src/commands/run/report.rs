//! The closing log of a run: the loop time and rate, the timing breakdown, the atoms per rank,
//! and the list of files written.

use std::path::Path;

use log::info;

use super::outputs::writes_leads_csv;
use crate::deck::Deck;
use crate::dynamics::Md;

/// Log the loop time of `nsteps` steps that took `loop_s` seconds, the timing breakdown
/// (rank 0) and the owned and ghost atoms per rank (collective).
pub fn loop_summary(md: &Md, nsteps: u64, loop_s: f64) {
    let atom_steps = nsteps as f64 * md.natoms as f64;
    info!(
        "Loop time of {loop_s:.4} s on {} procs for {nsteps} steps with {} atoms: {:.1} steps/s, {:.3e} s per atom-step, {} re-neighbourings",
        md.world.size(),
        md.natoms,
        nsteps as f64 / loop_s.max(1e-300),
        loop_s / atom_steps.max(1.0),
        md.reneighbors
    );
    info!(
        "Timing breakdown (rank 0):\n{}",
        md.timers.table(loop_s, &md.hooks.timings())
    );
    let nlocal = md.world.all_gather_u64(md.atoms.nlocal as u64);
    let nghost = md.world.all_gather_u64(md.atoms.nghost() as u64);
    let stats = |v: &[u64]| {
        let min = v.iter().min().copied().unwrap_or(0);
        let max = v.iter().max().copied().unwrap_or(0);
        let avg = v.iter().sum::<u64>() as f64 / v.len().max(1) as f64;
        format!("min {min} avg {avg:.1} max {max}")
    };
    info!(
        "Nlocal per rank: {}; Nghost per rank: {}",
        stats(&nlocal),
        stats(&nghost)
    );
}

/// Log the files a run of `deck` wrote into `out`.
pub fn files_written(out: &Path, deck: &Deck) {
    let mut files = vec!["thermo.csv", "stages.csv", "final.data", "deck.toml"];
    if writes_leads_csv(deck) {
        files.push("leads.csv");
    }
    if deck.transport.as_ref().is_some_and(|t| t.ranks > 0) {
        files.push("transport/");
    }
    let o = &deck.output;
    for (n, f) in [
        (o.trajectory, "traj.h5"),
        (o.xyz, "traj.xyz"),
        (o.dump, "traj.dump"),
    ] {
        if n > 0 {
            files.push(f);
        }
    }
    info!(
        "output written to {}/ ({})",
        out.display(),
        files.join(", ")
    );
}
