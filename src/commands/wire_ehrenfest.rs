//! `nanocontact wire ehrenfest DECK --out DIR`: one Ehrenfest trajectory of the wire of an
//! Ehrenfest deck (`deck::wire_ehrenfest`; seed 004 Sec. II B, Fig. 4) on rank 0. Writes
//! - `traj.h5` (H5MD): positions every `frames_every` steps and, every `observables_every`
//!   steps, the observables `ke` (ions), `band_energy` (Tr ρH), `pair_energy`, `source_work`
//!   (W_S), `etotal` (sum of the three energies), `etotal_minus_work`, `electrons` (Tr ρ),
//!   `current_mid` (the cut at the chain's middle), `current_mean` and `current_spatial_var`
//!   (over the cuts of the middle half of the mobile region);
//! - `records.csv`: the same for every step;
//! - `currents.h5`: `/step`, `/cut` (site c of the cut between c and c + 1) and `/current`
//!   (µA, steps × cuts) every `profile_every` steps;
//! - `ke_current.png`: KE(t) and the mid-chain current (Fig. 4);
//! - `checkpoint`: every `output.checkpoint` steps, every `output.checkpoint_minutes` and at
//!   SIGUSR1 or SIGTERM (then the run stops), as `run` writes them
//!   ([`crate::commands::run::checkpoint`]): the chain's atoms and the hook's ρ, W_S, records
//!   and current profiles. `--restart OUT/checkpoint` with the same deck (a longer `time` is
//!   allowed) goes on from it, `traj.h5` cut back to the checkpoint's step, and ends with
//!   the outputs of an uninterrupted run, bit for bit.
//!
//! It prints a JSON line: steps, wall time, steps per second, the saturation averages.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::commands::run::checkpoint::{self, Due, Policy, RunPosition};
use crate::commands::run::outputs::Cursors;
use crate::deck::wire_ehrenfest::EhrenfestDeck;
use crate::dynamics::verlet;
use crate::error::{Error, Result};
use crate::io::h5md::H5mdWriter;
use crate::parallel::World;
use crate::plot::{Figure, Panel};
use crate::transport::ehrenfest::hook::{EhrenfestHook, StepRecord};
use crate::transport::ehrenfest::trajectory::{ehrenfest_md, hook, saturation};

/// Options of `wire ehrenfest`.
#[derive(Clone, Debug, clap::Args)]
pub struct EhrenfestOptions {
    /// The Ehrenfest wire deck (TOML).
    pub deck: PathBuf,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Go on from this checkpoint (written by a run of the same deck into the same folder).
    #[arg(long)]
    pub restart: Option<PathBuf>,
}

/// The observables of a record, with their units, in `traj.h5` and `records.csv`.
pub fn observables(r: &StepRecord) -> [(&'static str, &'static str, f64); 10] {
    let etot = r.ke_ev + r.band_ev + r.pair_ev;
    [
        ("ke", "eV", r.ke_ev),
        ("band_energy", "eV", r.band_ev),
        ("pair_energy", "eV", r.pair_ev),
        ("source_work", "eV", r.work_ev),
        ("etotal", "eV", etot),
        ("etotal_minus_work", "eV", etot - r.work_ev),
        ("electrons", "", r.trace),
        ("current_mid", "uA", r.current_mid_ua),
        ("current_mean", "uA", r.current_mean_ua),
        ("current_spatial_var", "uA^2", r.current_var_ua2),
    ]
}

/// Run one trajectory (rank 0; other ranks return at once).
pub fn run(opts: &EhrenfestOptions, world: &World) -> Result<Option<String>> {
    if !world.is_root() {
        return Ok(None);
    }
    let deck = EhrenfestDeck::read(&opts.deck)?;
    let spec = deck.spec(&deck.task());
    std::fs::create_dir_all(&opts.out).map_err(|e| Error::io(&opts.out, e))?;
    let started = std::time::Instant::now();
    let mut md = ehrenfest_md(&spec, World::serial())?;
    let restart = opts.restart.as_deref().map(checkpoint::read).transpose()?;
    let traj_path = opts.out.join("traj.h5");
    let mut traj = match &restart {
        Some(r) => {
            checkpoint::restore(&mut md, r)?;
            if md.step > spec.steps {
                return Err(Error::input(
                    &r.path,
                    None,
                    format!(
                        "the checkpoint is at step {}, past the deck's {} steps",
                        md.step, spec.steps
                    ),
                ));
            }
            log::info!(
                "wire ehrenfest: restarted from {} at step {} (t = {:.4} ps)",
                r.path.display(),
                md.step,
                md.time_ps
            );
            H5mdWriter::resume(&traj_path, 1, md.step)?
        }
        None => {
            let mut t = H5mdWriter::create(&traj_path, &["Au"], "nanocontact")?;
            for (name, unit, _) in observables(&StepRecord::default()) {
                t.declare_observable(name, unit)?;
            }
            t
        }
    };
    let out = &deck.output;
    let mut policy = Policy::every(
        &opts.out,
        out.checkpoint,
        out.checkpoint_minutes,
        restart.as_ref().map(|r| (r.path.as_path(), md.step)),
    )?;
    let first = md.step;
    let mut logged = first;
    let mut each = |md: &crate::dynamics::Md| -> Result<()> {
        let h = hook(md)?;
        if out.frames_every > 0 && md.step.is_multiple_of(out.frames_every) {
            if let Some(all) = md.gather() {
                traj.append_frame(md.step, md.time_ps, &md.simbox, &all)?;
            }
        }
        if out.observables_every > 0 && md.step.is_multiple_of(out.observables_every) {
            if let Some(r) = h.records.last() {
                let vals: Vec<(&str, f64)> = observables(r).iter().map(|o| (o.0, o.2)).collect();
                traj.append_observables(md.step, md.time_ps, &vals)?;
            }
        }
        // A thermo line every 1000 steps, with speed and ETA.
        if md.step >= logged + 1000 {
            logged = md.step;
            let rate = (md.step - first) as f64 / started.elapsed().as_secs_f64().max(1e-9);
            if let Some(r) = h.records.last() {
                log::info!(
                    "wire ehrenfest: step {:>8} t = {:.3} ps KE = {:.4} eV I_mid = {:.3} uA \
                     Tr rho = {:.4}  {:.1} steps/s, ETA {:.0} s",
                    md.step,
                    md.time_ps,
                    r.ke_ev,
                    r.current_mid_ua,
                    r.trace,
                    rate,
                    spec.steps.saturating_sub(md.step) as f64 / rate
                );
            }
        }
        Ok(())
    };
    if restart.is_none() {
        each(&md)?;
    }
    // The run block of `run`'s checkpoints, empty here: this command's text outputs are
    // written from the hook's records at the end.
    let position = RunPosition {
        stage: 0,
        stage_start: 0,
        stage_t0: 0.0,
        cursors: Cursors::default(),
    };
    while md.step < spec.steps {
        verlet::step(&mut md).map_err(|e| policy.annotate(e))?;
        each(&md)?;
        match policy.due(&md) {
            Due::Nothing => {}
            Due::Write => policy.write(&md, &position)?,
            Due::WriteAndStop => {
                policy.write(&md, &position)?;
                traj.flush()?;
                let path = policy.path().display().to_string();
                return Ok(Some(format!(
                    "{{\"stopped_at_step\":{},\"checkpoint\":{}}}",
                    md.step,
                    serde_json::Value::String(path)
                )));
            }
        }
    }
    let wall = started.elapsed().as_secs_f64();
    traj.flush()?;
    let h = hook(&md)?;
    write_records(&opts.out, h)?;
    fig4(
        &opts.out.join("ke_current.png"),
        &h.records,
        spec.mobile,
        spec.electrons.bias_v,
    )?;
    let s = saturation(&h.records, spec.average_from_ps);
    let ran = spec.steps - first;
    Ok(Some(format!(
        "{{\"steps\":{},\"steps_this_run\":{ran},\"wall_s\":{wall:.3},\"steps_per_s\":{:.3},\
         \"ke_mean_eV\":{:.6},\"ke_std_eV\":{:.6},\"current_mean_uA\":{:.6},\
         \"current_std_uA\":{:.6},\"average_from_ps\":{},\"samples\":{},\
         \"extra_substeps\":{}}}",
        spec.steps,
        ran as f64 / wall,
        s.ke_mean_ev,
        s.ke_std_ev,
        s.current_mean_ua,
        s.current_std_ua,
        spec.average_from_ps,
        s.samples,
        h.electrons.extra_substeps
    )))
}

/// `records.csv` and `currents.h5`.
fn write_records(out: &Path, h: &EhrenfestHook) -> Result<()> {
    let mut csv = String::from("step,time_ps");
    for (name, unit, _) in observables(&StepRecord::default()) {
        let _ = write!(csv, ",{name}{}", if unit.is_empty() { "" } else { "_" });
        csv += &unit.replace('^', "");
    }
    csv.push('\n');
    for r in &h.records {
        let _ = write!(csv, "{},{}", r.step, r.time_ps);
        for (_, _, v) in observables(r) {
            let _ = write!(csv, ",{v}");
        }
        csv.push('\n');
    }
    let path = out.join("records.csv");
    std::fs::write(&path, csv).map_err(|e| Error::io(&path, e))?;
    let path = out.join("currents.h5");
    let e = |err: hdf5::Error| Error::run(format!("{}: {err}", path.display()));
    let file = hdf5::File::create(&path).map_err(e)?;
    let steps: Vec<u64> = h.profiles.iter().map(|p| p.0).collect();
    let cuts: Vec<u64> = h.cuts.clone().map(|c| c as u64).collect();
    let width = cuts.len();
    let flat: Vec<f64> = h.profiles.iter().flat_map(|p| p.1.clone()).collect();
    file.new_dataset_builder()
        .with_data(&steps)
        .create("step")
        .map_err(e)?;
    file.new_dataset_builder()
        .with_data(&cuts)
        .create("cut")
        .map_err(e)?;
    let arr = ndarray::Array2::from_shape_vec((steps.len(), width), flat)
        .map_err(|x| Error::run(format!("{}: {x}", path.display())))?;
    file.new_dataset_builder()
        .with_data(&arr)
        .create("current")
        .map_err(e)?;
    Ok(())
}

/// KE(t) and the mid-chain current (seed 004, Fig. 4 and its inset).
pub fn fig4(path: &Path, records: &[StepRecord], mobile: usize, bias_v: f64) -> Result<()> {
    let t: Vec<f64> = records.iter().map(|r| r.time_ps).collect();
    let ke: Vec<f64> = records.iter().map(|r| r.ke_ev).collect();
    let cur: Vec<f64> = records.iter().map(|r| r.current_mid_ua).collect();
    Figure::stacked(
        format!("Ehrenfest wire: N = {mobile}, V = {bias_v} V (Fig. 4)"),
        vec![
            Panel::new("t (ps)", "ionic KE (eV)").line("", &t, &ke),
            Panel::new("t (ps)", "mid-chain current (µA)").line("", &t, &cur),
        ],
    )
    .save_png(path)
}
