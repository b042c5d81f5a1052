//! The wire's two MD step hooks on 1, 2, 3 and 4 MD ranks (issues 19 and 20; the rule that every
//! MPI feature agrees with one rank to round-off). This test has its own `main` (`harness =
//! false`): run by `cargo test` it starts itself under `mpirun --oversubscribe -np N` for
//! N = 1..4; under `mpirun` it is the check.
//!
//! The check, on every rank of the job:
//! - the steady-state current-force hook (`transport::current::md_hook`, rank 0 solves ρ at
//!   the gathered positions, the forces reach every rank by a sum): a 6-site tail-model wire,
//!   4 mobile sites displaced off the perfect chain, 0.5 V, 4 velocity-Verlet steps of 1 fs;
//! - the Ehrenfest hook (`transport::ehrenfest::hook`, every rank carries the same ρ): a 24-site
//!   chain, 12-site device, 8 mobile sites, 0.5 V, Γ = 0.5 eV, 20 steps of 0.1 fs;
//! - the same Ehrenfest run checkpointed after 8 steps on one rank and restarted on N ranks
//!   (in place on 1, redistributed with the forces recomputed on 2–4: ρ must not advance in
//!   that force pass), against the uninterrupted 1-rank run.
//!
//! Rank 0 prints every site's position, velocity and force after the last step (Rust's
//! shortest round-trip decimal, so the values are read back exactly) and the Ehrenfest hook's
//! last record. The driver compares N ranks with 1 rank: positions, velocities and forces to
//! 1e-12 (Å, Å/ps, eV/Å), the record's energies, W_S, Tr ρ and currents to 1e-12 relative (the
//! ions' kinetic energy is a sum over ranks: round-off). Both hooks gather positions by an exact
//! sum and compute ρ once (rank 0) or identically on every rank, so the agreement found is exact.

mod common;

use nanocontact::dynamics::{checkpoint, verlet, Md};
use nanocontact::transport::current::md_hook::wire_md;
use nanocontact::transport::current::steady_state::{Accuracy, Reservoirs};
use nanocontact::transport::current::wire::{build_wire, WireSpec};
use nanocontact::transport::ehrenfest::chain::ChainModel;
use nanocontact::transport::ehrenfest::electrons::ElectronSpec;
use nanocontact::transport::ehrenfest::runge_kutta::Integrator;
use nanocontact::transport::ehrenfest::trajectory::{ehrenfest_md, hook, TrajectorySpec};
use nanocontact::transport::model::sutton::SuttonSBand;

/// Seed 004's chain spacing (Å).
const D: f64 = 2.37;
/// Agreement with one rank (Å, Å/ps, eV/Å; relative for the record).
const TOL: f64 = 1e-12;

/// The Sutton s band with the tail of issue 19 (quintic 2.6–5.0 Å).
fn tail_model() -> SuttonSBand {
    SuttonSBand {
        r_on_ang: 2.6,
        r_off_ang: 5.0,
        ..SuttonSBand::gold()
    }
}

/// Rank 0's lines `TAG id x y z vx vy vz fx fy fz` for every atom, ordered by id, and
/// `owners TAG K`: K ranks own atoms (the hook's gather and sums are really exercised).
fn atom_lines(md: &Md, tag: &str) -> Vec<String> {
    let mut owners = [f64::from(u8::from(md.atoms.nlocal > 0))];
    md.world.sum(&mut owners);
    let Some(all) = md.gather() else {
        return Vec::new();
    };
    let mut order: Vec<usize> = (0..all.nlocal).collect();
    order.sort_by_key(|&i| all.id[i]);
    order
        .iter()
        .map(|&i| {
            let v: Vec<String> = [all.x[i], all.v[i], all.f[i]]
                .iter()
                .flatten()
                .map(|x| format!("{x}"))
                .collect();
            format!("{tag} {} {}", all.id[i], v.join(" "))
        })
        .chain([format!("owners {tag} {}", owners[0])])
        .collect()
}

/// MD on the steady-state forces of a displaced wire under bias.
fn steady_state_run(world: nanocontact::parallel::World) -> Vec<String> {
    let mut w = build_wire(&WireSpec {
        atoms: 6,
        mobile: 4,
        spacing_a: D,
        model: tail_model(),
        range: 2,
    })
    .unwrap();
    let x: Vec<f64> = w
        .mobile_x()
        .iter()
        .enumerate()
        .map(|(i, x)| x + 0.05 * (1.7 * i as f64 + 0.3).sin())
        .collect();
    w.set_mobile_x(&x).unwrap();
    let res = Reservoirs {
        fermi_ev: 0.0,
        bias_v: 0.5,
        temperature_k: 0.0,
    };
    let mut md = wire_md(&w, res, Accuracy::default(), 10.0, world).unwrap();
    md.set_timestep(0.001);
    for _ in 0..4 {
        verlet::step(&mut md).unwrap();
    }
    atom_lines(&md, "steady")
}

/// A short driven chain for the Ehrenfest hook.
fn ehrenfest_spec() -> TrajectorySpec {
    TrajectorySpec {
        electrons: ElectronSpec {
            chain: ChainModel {
                model: tail_model(),
                range: 2,
            },
            sites: 24,
            device: 12,
            fermi_ev: 0.0,
            bias_v: 0.5,
            gamma_ev: 0.5,
            delta_ev: 0.0005,
            integrator: Integrator::Rk4,
        },
        spacing_a: D,
        mobile: 8,
        mass_amu: 10.0,
        dt_fs: 0.1,
        substeps: 2,
        steps: 20,
        displacement_a: 0.05,
        // Initial velocities too: drawn per atom id, so the same on any number of ranks.
        temperature_k: 600.0,
        seed: 7,
        profile_every: 0,
        average_from_ps: 0.0,
    }
}

/// Its trajectory on the ranks of `world`.
fn ehrenfest_run(world: nanocontact::parallel::World) -> Vec<String> {
    let spec = ehrenfest_spec();
    let mut md = ehrenfest_md(&spec, world).unwrap();
    for _ in 0..spec.steps {
        verlet::step(&mut md).unwrap();
    }
    let mut lines = atom_lines(&md, "ehrenfest");
    let r = *hook(&md).unwrap().records.last().unwrap();
    if md.world.is_root() {
        lines.push(format!(
            "record {} {} {} {} {} {} {} {}",
            r.band_ev,
            r.pair_ev,
            r.work_ev,
            r.trace,
            r.current_mid_ua,
            r.current_mean_ua,
            r.current_var_ua2,
            r.ke_ev
        ));
    }
    lines
}

/// The same trajectory stopped after 8 steps on one rank (a serial MD on every rank), its
/// checkpoint restored on the ranks of `world` (in place on 1 rank; redistributed, forces
/// recomputed, on more) and run on to the end: lines tagged `restarted`.
fn ehrenfest_restarted_run(world: nanocontact::parallel::World) -> Vec<String> {
    let spec = ehrenfest_spec();
    let mut first = ehrenfest_md(&spec, nanocontact::parallel::World::serial()).unwrap();
    for _ in 0..8 {
        verlet::step(&mut first).unwrap();
    }
    let global = checkpoint::encode_global(&first);
    let ranks = [checkpoint::encode_rank(&first)];
    let mut md = ehrenfest_md(&spec, world).unwrap();
    checkpoint::restore(&mut md, &global, &ranks).unwrap();
    for _ in 8..spec.steps {
        verlet::step(&mut md).unwrap();
    }
    atom_lines(&md, "restarted")
}

/// The check under `mpirun`: rank 0 prints the lines.
fn check_under_mpi() {
    let (_universe, world) = common::mpi_world();
    let mut lines = steady_state_run(world.duplicate());
    lines.extend(ehrenfest_run(world.duplicate()));
    lines.extend(ehrenfest_restarted_run(world));
    for l in lines {
        println!("{l}");
    }
}

/// Tagged rows of numbers from a run's output.
fn rows(out: &str) -> Vec<(String, Vec<f64>)> {
    out.lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let tag = w.next()?;
            if !["steady", "ehrenfest", "record", "restarted"].contains(&tag) {
                return None;
            }
            Some((tag.to_string(), w.map(|x| x.parse().unwrap()).collect()))
        })
        .collect()
}

fn main() {
    if std::env::var_os("OMPI_COMM_WORLD_SIZE").is_some() {
        check_under_mpi();
        return;
    }
    let one = rows(&common::mpirun_self_ok(1));
    let count = |t: &str| one.iter().filter(|r| r.0 == t).count();
    assert_eq!(
        (count("steady"), count("ehrenfest"), count("record")),
        (6 + 2 * 2, 24, 1),
        "one line per atom and one record"
    );
    // The runs must move the atoms and exert forces, or the comparison says nothing.
    let moving = |tag: &str| {
        one.iter()
            .filter(|r| r.0 == tag)
            .any(|r| r.1[4].abs() > 1e-3 && r.1[7].abs() > 1e-3)
    };
    assert!(
        moving("steady") && moving("ehrenfest"),
        "no motion: {one:?}"
    );
    let tagged = |r: &[(String, Vec<f64>)], t: &str| -> Vec<Vec<f64>> {
        r.iter().filter(|x| x.0 == t).map(|x| x.1.clone()).collect()
    };
    let whole = tagged(&one, "ehrenfest");
    let restart_diff = |np: usize, got: &[(String, Vec<f64>)]| {
        let again = tagged(got, "restarted");
        assert_eq!(again.len(), whole.len(), "{np} ranks: restarted atoms");
        let mut d = 0.0f64;
        for (a, b) in whole.iter().zip(&again) {
            assert_eq!(a[0], b[0], "{np} ranks: restarted atom ids");
            for (x, y) in a.iter().zip(b) {
                d = d.max((x - y).abs());
            }
            assert!(d <= TOL, "{np} ranks, restarted: {a:?} vs {b:?}");
        }
        println!("{np} ranks: restart from a 1-rank checkpoint at step 8 vs uninterrupted: {d:e}");
    };
    restart_diff(1, &one);
    for np in 2..=4 {
        let out = common::mpirun_self_ok(np);
        for tag in ["steady", "ehrenfest"] {
            let owners = out
                .lines()
                .find_map(|l| l.strip_prefix(&format!("owners {tag} ")))
                .unwrap();
            assert!(
                owners.parse::<f64>().unwrap() >= 2.0,
                "{np} ranks: the {tag} chain lies on {owners} rank(s)"
            );
            println!("{np} ranks: the {tag} chain's atoms are owned by {owners} ranks");
        }
        let got = rows(&out);
        restart_diff(np, &got);
        assert_eq!(got.len(), one.len(), "{np} ranks: lines");
        let (mut atoms_diff, mut record_diff) = (0.0f64, 0.0f64);
        for (a, b) in one.iter().zip(&got) {
            assert_eq!((&a.0, a.1.len()), (&b.0, b.1.len()), "{np} ranks: rows");
            assert_eq!(a.1[0], b.1[0], "{np} ranks: atom ids");
            for (k, (x, y)) in a.1.iter().zip(&b.1).enumerate() {
                if a.0 == "record" {
                    let d = (x - y).abs() / x.abs().max(1e-300);
                    assert!(d <= TOL, "{np} ranks: record value {k}: {x} vs {y}");
                    record_diff = record_diff.max(d);
                } else {
                    let d = (x - y).abs();
                    assert!(d <= TOL, "{np} ranks: {} {:?} vs {:?}", a.0, a.1, b.1);
                    atoms_diff = atoms_diff.max(d);
                }
            }
        }
        println!(
            "{np} ranks vs 1: largest difference of x, v, F {atoms_diff:e}, of the Ehrenfest \
             record (relative) {record_diff:e}"
        );
    }
}
