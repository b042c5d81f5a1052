//! Plumbing of the driven junction (`inputs/small_driven_junction.toml`): rigid-lead motion
//! exact to round-off, energy bookkeeping (ΔE of the free atoms = work of the drive + work of the
//! thermostats, to 1e-3 of the work), the lead force in `leads.csv` equal to the sum of the per-atom forces in the
//! dump, and the same results at 1 and 3 ranks.
#![allow(clippy::needless_range_loop)] // x, y, z components by index read like the equations

mod common;

use std::path::{Path, PathBuf};

use nanocontact::deck::Deck;
use nanocontact::dynamics::{leads, thermostat, verlet, Md};
use nanocontact::parallel::World;
use nanocontact::setup::build_md;
use nanocontact::units::MVV2E;

fn deck_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/small_driven_junction.toml")
}

fn mobile_energy(md: &Md) -> f64 {
    let a = &md.atoms;
    let ke: f64 = (0..a.nlocal)
        .filter(|&i| md.mobile(i))
        .map(|i| {
            0.5 * MVV2E * a.mass(i) * (a.v[i][0].powi(2) + a.v[i][1].powi(2) + a.v[i][2].powi(2))
        })
        .sum();
    ke + md.pe()
}

#[test]
fn rigid_motion_and_energy_bookkeeping() {
    let p = deck_path();
    let deck = Deck::read(&p).unwrap();
    let mut md = build_md(&deck, &p, World::serial(), None).unwrap();
    nanocontact::dynamics::velocity::create(&mut md, 300.0, 11);
    let x0: Vec<[f64; 3]> = md.atoms.x[..md.atoms.nlocal].to_vec();
    let ids0: Vec<u64> = md.atoms.id[..md.atoms.nlocal].to_vec();
    let (bottom, top) = (leads::of(&md)[0].bit, leads::of(&md)[1].bit);
    let e0 = mobile_energy(&md);
    let mut w_mech = 0.0;
    let mut f_prev = leads::forces(&md);
    let nsteps = 500;
    for _ in 0..nsteps {
        let t = md.time_ps;
        let d0: Vec<f64> = leads::of(&md).iter().map(|l| l.displacement(t)).collect();
        verlet::step(&mut md).unwrap();
        let f = leads::forces(&md);
        for (k, l) in leads::of(&md).iter().enumerate() {
            // Work done on the system by moving the rigid lead: −F_on_lead · dΔ (trapezoid).
            w_mech -= 0.5 * (f_prev[k] + f[k]) * (l.displacement(md.time_ps) - d0[k]);
        }
        f_prev = f;
    }
    let w_t: f64 = thermostat::work_ev(&md).iter().sum();
    let de = mobile_energy(&md) - e0;
    eprintln!(
        "dE = {de:.6} eV, W_drive = {w_mech:.6} eV, W_thermostat = {w_t:.6} eV, mismatch {:.2e}",
        de - w_mech - w_t
    );
    assert!(w_mech.abs() > 0.05, "the drive must do work");
    // BAOAB closes the balance to the velocity-Verlet shadow-energy error, O(dt^2): ~1e-4 here.
    assert!(
        (de - w_mech - w_t).abs() < 1e-3 * (w_mech.abs() + w_t.abs()),
        "energy balance"
    );
    // Rigid leads: exact imposed displacement, no motion across the axis.
    let disp = leads::of(&md)[1].displacement(md.time_ps);
    assert!((disp - 0.5 * (2.0 * std::f64::consts::PI * 0.2 * 1.0).sin()).abs() < 1e-14);
    let mut checked = 0;
    for i in 0..md.atoms.nlocal {
        let m = md.atoms.mask[i];
        if m & (top | bottom) == 0 {
            continue;
        }
        let k = ids0.iter().position(|&id| id == md.atoms.id[i]).unwrap();
        let want = if m & top != 0 { disp } else { 0.0 };
        assert!(
            (md.atoms.x[i][2] - x0[k][2] - want).abs() < 1e-12,
            "rigid atom {} z",
            md.atoms.id[i]
        );
        assert!(
            (md.atoms.x[i][0] - x0[k][0]).abs() < 1e-12
                && (md.atoms.x[i][1] - x0[k][1]).abs() < 1e-12
        );
        checked += 1;
    }
    assert_eq!(checked, 128);
}

#[test]
fn lead_forces_match_dump_and_ranks() {
    use nanocontact::io::dump::read_dump;
    let dir = common::scratch("driven");
    let (o1, o3) = (dir.join("np1"), dir.join("np3"));
    for (np, out) in [(1, &o1), (3, &o3)] {
        common::mpirun_ok(
            np,
            &[
                "run",
                deck_path().to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        );
    }
    let l1 = common::read_csv(&o1.join("leads.csv"));
    let l3 = common::read_csv(&o3.join("leads.csv"));
    assert_eq!(l1.len(), 51, "samples every 10 of 500 steps");
    for (a, b) in l1.iter().zip(&l3) {
        for k in 0..a.len() {
            assert!(
                (a[k] - b[k]).abs() <= 1e-9 * a[k].abs().max(1.0),
                "leads.csv step {} column {k}: {} vs {}",
                a[0],
                a[k],
                b[k]
            );
        }
    }
    // Force on the top lead at step 500 = Σ fz of its atoms in the dump (eV/Å → nN).
    let frames = read_dump(&o1.join("traj.dump")).unwrap();
    let last = frames.last().unwrap();
    assert_eq!(last.step, 500);
    let first = &frames[0];
    let z0 = first.column("z").unwrap();
    let fz = last.column("fz").unwrap();
    let mut sum_top = 0.0;
    let mut sum_bottom = 0.0;
    for (k, id) in last.ids.iter().enumerate() {
        let z = z0[first.index_of(*id).unwrap()];
        if z > 28.0 {
            sum_top += fz[k];
        } else if z < 2.5 {
            sum_bottom += fz[k];
        }
    }
    let row = l1.last().unwrap();
    assert!(
        (row[3] - sum_bottom * 1.602176634).abs() < 1e-9,
        "bottom {} vs {}",
        row[3],
        sum_bottom * 1.602176634
    );
    assert!(
        (row[5] - sum_top * 1.602176634).abs() < 1e-9,
        "top {} vs {}",
        row[5],
        sum_top * 1.602176634
    );
}

#[test]
fn protocol_stages_hand_over() {
    // The small junction deck plus two stages: one cycle at another amplitude and frequency,
    // then a hold with the baths switched off. Runs at 1 and 2 ranks.
    let base = std::fs::read_to_string(deck_path()).unwrap();
    let pot = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/potentials/Au_u3.eam");
    let deck = base.replace("files = [\"potentials/Au_u3.eam\"]", &format!("files = [\"{}\"]", pot.display()))
        + "\n[[stage]]\nname = \"sweep\"\ncycles = 1\nlead = [{ group = \"top\", motion = \"oscillate\", amplitude = 0.3, frequency_ghz = 500.0 }]\n"
        + "\n[[stage]]\nname = \"hold\"\nsteps = 100\nlead = [{ group = \"top\", motion = \"fixed\" }]\nthermostat = []\n";
    let dir = common::scratch("stages");
    let p = dir.join("deck.toml");
    std::fs::write(&p, deck).unwrap();
    let mut results = Vec::new();
    for np in [1, 2] {
        let out = dir.join(format!("np{np}"));
        let o = common::mpirun_ok(
            np,
            &["run", p.to_str().unwrap(), "--out", out.to_str().unwrap()],
        );
        let log = String::from_utf8_lossy(&o.stderr);
        assert!(
            log.contains("stage 1 'sweep' at step 500")
                && log.contains("stage 2 'hold' at step 1500"),
            "{log}"
        );
        results.push(common::read_csv(&out.join("leads.csv")));
    }
    let rows = &results[0];
    // 500 + 1000 (one 500 GHz cycle of 2 fs steps) + 100 steps, sampled every 10.
    assert_eq!(rows.len(), 161);
    for w in rows.windows(2) {
        assert_eq!(w[1][0] - w[0][0], 10.0, "contiguous steps");
        // The top lead's displacement is continuous: at most a0·ω·Δt·10 between samples.
        assert!((w[1][4] - w[0][4]).abs() <= 0.5 * 2.0 * std::f64::consts::PI * 0.5 * 0.02 + 1e-12);
    }
    // At step 1500 (end of the sweep cycle) the lead is back where the first stage left it.
    let at = |s: f64| rows.iter().find(|r| r[0] == s).unwrap();
    let d500 = at(500.0)[4];
    assert!((at(1500.0)[4] - d500).abs() < 1e-9);
    assert!(
        (at(1000.0)[4] - d500).abs() < 1e-9,
        "half a cycle: sin(pi) = 0"
    );
    // Baths off in the hold: the heat columns stop changing.
    let (h1, h2) = (at(1510.0), at(1600.0));
    assert_eq!((h1[6], h1[7]), (h2[6], h2[7]));
    for (a, b) in results[0].iter().zip(&results[1]) {
        for k in 0..a.len() {
            assert!(
                (a[k] - b[k]).abs() <= 1e-9 * a[k].abs().max(1.0),
                "1 vs 2 ranks, step {} column {k}",
                a[0]
            );
        }
    }
}

/// `traj.h5` holds each rigid lead's displacement and force at every frame
/// (`/observables/lead_<group>_displacement`, `_force`), the values of `leads.csv` there.
#[test]
fn lead_observables_in_the_trajectory() {
    use nanocontact::io::h5md::H5mdReader;
    let dir = common::scratch("lead-observables");
    let deck = dir.join("deck.toml");
    std::fs::write(&deck, common::small_driven_junction_deck(200, 50)).unwrap();
    let out = dir.join("out");
    common::mpirun_ok(
        2,
        &[
            "run",
            deck.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let leads = common::read_csv(&out.join("leads.csv"));
    let h = H5mdReader::open(&out.join("traj.h5")).unwrap();
    for (group, col) in [("bottom", 2), ("top", 4)] {
        let d = h.observable(&format!("lead_{group}_displacement")).unwrap();
        let f = h.observable(&format!("lead_{group}_force")).unwrap();
        assert_eq!(d.steps, vec![0, 50, 100, 150, 200]);
        assert_eq!(f.steps, d.steps);
        for (k, &s) in d.steps.iter().enumerate() {
            let row = leads.iter().find(|r| r[0] == s as f64).unwrap();
            assert_eq!(d.values[k], row[col], "{group} displacement at step {s}");
            assert_eq!(f.values[k], row[col + 1], "{group} force at step {s}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
