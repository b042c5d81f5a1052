//! Per-atom fields travel with their atoms (issue 17, acceptance item 4), at 1, 2, 3 and 4
//! ranks. This test has its own `main` (`harness = false`): run by `cargo test` it starts
//! itself under `mpirun` at each rank count; under `mpirun` it is the check.
//!
//! The check: a periodic 864-atom Au crystal (EAM) carries five registered fields: `tag`
//! (scalar, migrates, carried by ghosts) = 1000 + id/2, `home` (vector, migrates, not carried by
//! ghosts) = the initial position, `last_rank` (migrates) = the rank that owned the atom before
//! the last move, `scratch` (neither) = 1 on the atoms owned before the move, and
//! `ghost_copies` (neither). The whole crystal is translated twelve times by (1.7, 0.85, 0.57)
//! Å, each time far enough to re-neighbour, so atoms migrate across every sub-box face. After
//! every move each owned atom must hold its own `tag` and `home` (home + total shift = its
//! position modulo the box), atoms that arrived from another rank must have `scratch` = 0 and
//! the others 1; ghosts must carry `tag` and get `home` by a forward communication; a reverse
//! communication of ones on the ghosts must give each owner its number of ghost copies; and the
//! global sum, min and max of `tag` must be the exact values. Rank 0 prints one JSON line; a
//! failed check aborts the job with its message.

mod common;

use nanocontact::dynamics::Md;
use nanocontact::parallel::{Comm, World};
use nanocontact::potential;
use nanocontact::system::{FieldSpec, Groups};

fn fail(world: &World, msg: String) -> ! {
    eprintln!("rank {}: {msg}", world.rank());
    world.abort(1)
}

/// The check, on every rank of the MPI job it runs in.
fn check_under_mpi() {
    let (_universe, world) = common::mpi_world();
    let (simbox, mut all, sites) = common::fcc_crystal([6, 6, 6], 196.967);
    let len = simbox.lengths();
    let n = sites.len();
    let tag = all
        .register_field(FieldSpec::scalar("tag", true, true))
        .unwrap();
    let home = all
        .register_field(FieldSpec::vector("home", true, false))
        .unwrap();
    let last = all
        .register_field(FieldSpec::scalar("last_rank", true, false))
        .unwrap();
    let scratch = all
        .register_field(FieldSpec::scalar("scratch", false, false))
        .unwrap();
    let count = all
        .register_field(FieldSpec::scalar("ghost_copies", false, false))
        .unwrap();
    for (i, x) in sites.iter().enumerate() {
        all.fields.get_mut(tag)[i] = 1000.0 + 0.5 * (i + 1) as f64;
        all.fields.get_mut(home)[3 * i..3 * i + 3].copy_from_slice(x);
    }
    let pot_file = concat!(env!("CARGO_MANIFEST_DIR"), "/inputs/potentials/Au_u3.eam");
    let pot = potential::from_spec(&format!("eam:{pot_file}"), &[], 1).unwrap();
    let mut md = Md::new(simbox, all, Groups::default(), pot, 1.0, world, None).unwrap();
    md.setup().unwrap();
    let me = md.world.rank() as f64;
    let shift = [1.7, 0.85, 0.57];
    let (mut migrated, mut ghosts_checked) = (0u64, 0u64);
    for step in 1..=12 {
        let a = &mut md.atoms;
        for i in 0..a.nlocal {
            a.fields.get_mut(last)[i] = me;
            a.fields.get_mut(scratch)[i] = 1.0;
            for (x, s) in a.x[i].iter_mut().zip(shift) {
                *x += s;
            }
        }
        let builds = md.lists.builds;
        md.compute_forces().unwrap();
        if md.lists.builds == builds {
            fail(&md.world, format!("move {step} did not re-neighbour"));
        }
        let a = &md.atoms;
        for i in 0..a.nlocal {
            let id = a.id[i];
            let want = 1000.0 + 0.5 * id as f64;
            if a.fields.get(tag)[i] != want {
                fail(
                    &md.world,
                    format!("atom {id}: tag {} != {want}", a.fields.get(tag)[i]),
                );
            }
            for d in 0..3 {
                let h = a.fields.get(home)[3 * i + d];
                let moved = h + step as f64 * shift[d] - a.x[i][d];
                let periods = moved / len[d];
                if (periods - periods.round()).abs() > 1e-9 {
                    fail(
                        &md.world,
                        format!("atom {id}: home {h} does not follow x {}", a.x[i][d]),
                    );
                }
            }
            let arrived = a.fields.get(last)[i] != me;
            migrated += u64::from(arrived);
            let s = a.fields.get(scratch)[i];
            if s != if arrived { 0.0 } else { 1.0 } {
                fail(
                    &md.world,
                    format!("atom {id}: scratch {s} (arrived: {arrived})"),
                );
            }
        }
        // Ghosts: tag arrives with them; home only by a forward communication.
        let nlocal = md.atoms.nlocal;
        for g in nlocal..md.atoms.nall() {
            let want = 1000.0 + 0.5 * md.atoms.id[g] as f64;
            if md.atoms.fields.get(tag)[g] != want || md.atoms.fields.get(home)[3 * g] != 0.0 {
                fail(
                    &md.world,
                    format!("ghost of {}: fields not as built", md.atoms.id[g]),
                );
            }
        }
        let mut comm = Comm::new(&mut md.ghosts, &md.world);
        comm.forward_field(&mut md.atoms, home);
        let c = md.atoms.fields.get_mut(count);
        c[..nlocal].fill(0.0);
        c[nlocal..].fill(1.0);
        comm.reverse_field(&mut md.atoms, count);
        let a = &md.atoms;
        for g in nlocal..a.nall() {
            let id = a.id[g] as usize;
            let h = &a.fields.get(home)[3 * g..3 * g + 3];
            if h != sites[id - 1] {
                fail(&md.world, format!("ghost of {id}: forwarded home {h:?}"));
            }
        }
        ghosts_checked += a.nghost() as u64;
        let mut sums = [
            a.fields.get(tag)[..nlocal].iter().sum::<f64>(),
            a.fields.get(count)[..nlocal].iter().sum::<f64>(),
            a.nghost() as f64,
        ];
        comm.sum(&mut sums);
        let exact = 1000.0 * n as f64 + 0.25 * (n * (n + 1)) as f64;
        if sums[0] != exact || sums[1] != sums[2] {
            fail(
                &md.world,
                format!("sums {sums:?}: expected tag {exact}, copies = ghosts"),
            );
        }
        let tags = &a.fields.get(tag)[..nlocal];
        let lo = comm.min(tags.iter().copied().fold(f64::INFINITY, f64::min));
        let hi = comm.max(tags.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        if lo != 1000.5 || hi != 1000.0 + 0.5 * n as f64 {
            fail(&md.world, format!("min/max of tag {lo} {hi}"));
        }
    }
    let migrated = md.world.sum_u64(migrated);
    let ghosts_checked = md.world.sum_u64(ghosts_checked);
    if md.world.is_root() {
        println!(
            "{{\"ranks\":{},\"natoms\":{},\"migrated\":{migrated},\"ghosts_checked\":{ghosts_checked}}}",
            md.world.size(),
            md.natoms
        );
    }
}

/// Started by `cargo test`: run the check at 1–4 ranks and read each JSON line.
fn main() {
    if std::env::var_os("OMPI_COMM_WORLD_SIZE").is_some() {
        check_under_mpi();
        return;
    }
    for np in 1..=4 {
        let stdout = common::mpirun_self_ok(np);
        let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        assert_eq!(v["ranks"], np);
        assert_eq!(v["natoms"], 864);
        let migrated = v["migrated"].as_u64().unwrap();
        if np > 1 {
            assert!(migrated > 0, "{np} ranks: no atom migrated");
        } else {
            assert_eq!(migrated, 0);
        }
        assert!(v["ghosts_checked"].as_u64().unwrap() > 0);
        println!("fields at {np} rank(s): {migrated} migrations checked");
    }
    println!("fields: 4 passed, 0 failed");
}
