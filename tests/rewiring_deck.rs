//! The shipped rewiring deck (`inputs/ag_rewiring.toml`) stays runnable: with smaller tips and
//! a few steps per stage it runs at 1 and 3 ranks; after the production stage switches the
//! voltage on, the electrodes sit at ±V/2 and Φ lies between them; the base atoms do not move;
//! both rank counts give the same last frame to 1e-9. The gap's conductance (`[gap]`, PTBP,
//! the shipped `inputs/transport_ag_rewiring.toml`) computed inline on a transport rank equals
//! the offline farm's on the same frames, and `analyze rewiring` takes it.

mod common;

use std::collections::HashMap;
use std::path::Path;

/// id -> (x, y, z, q, Φ) of the first or the last frame of a dump.
fn frame(path: &Path, last: bool) -> HashMap<u64, [f64; 5]> {
    let text = std::fs::read_to_string(path).unwrap();
    let from = if last {
        text.rfind("ITEM: TIMESTEP").unwrap()
    } else {
        0
    };
    let frame = &text[from..];
    let end = frame[1..]
        .find("ITEM: TIMESTEP")
        .map_or(frame.len(), |e| e + 1);
    let frame = &frame[..end];
    let mut lines = frame.lines().skip_while(|l| !l.starts_with("ITEM: ATOMS"));
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().skip(2).collect();
    let col = |c: &str| header.iter().position(|h| *h == c).unwrap();
    let at = [col("x"), col("y"), col("z"), col("q"), col("echemdid_phi")];
    lines
        .map(|l| {
            let w: Vec<f64> = l.split_whitespace().map(|x| x.parse().unwrap()).collect();
            (w[0] as u64, at.map(|k| w[k]))
        })
        .collect()
}

#[test]
fn rewiring_deck_runs_small() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("inputs/ag_rewiring.toml")).unwrap();
    let mut small = String::new();
    for line in text.lines() {
        let l = if line.starts_with("every") {
            "every = 20".to_string()
        } else if line.starts_with("deck = ") {
            format!(
                "deck = \"{}\"",
                root.join("inputs/transport_ag_rewiring.toml").display()
            )
        } else if line.starts_with("base_edge") {
            "base_edge = 9.0".to_string()
        } else if line.starts_with("steps") {
            "steps = 10".to_string()
        } else if line.starts_with("thermo") {
            "thermo = 5".to_string()
        } else if line.starts_with("trajectory") || line.starts_with("dump") {
            format!("{} = 20", line.split_whitespace().next().unwrap())
        } else {
            line.replace(
                "potentials/",
                &format!("{}/inputs/potentials/", root.display()),
            )
        };
        small.push_str(&l);
        small.push('\n');
    }
    let dir = common::scratch("rewiring-deck");
    // The MD alone at 1 and 3 ranks; at 2 ranks, one MD rank and the gap's conductance inline
    // on the other.
    let deck = dir.join("small.toml");
    std::fs::write(&deck, &small).unwrap();
    let md_only = dir.join("small_md.toml");
    let cut = small
        .find("[transport]")
        .expect("the deck runs transport inline");
    std::fs::write(&md_only, &small[..cut]).unwrap();
    let mut frames = Vec::new();
    for np in [1, 3] {
        let out = dir.join(format!("out{np}"));
        common::run_deck_ok(np, &md_only, &out);
        frames.push(frame(&out.join("traj.dump"), true));
    }
    common::run_deck_ok(2, &deck, &dir.join("out2"));
    // The same frames farmed offline from the 1-rank run's trajectory give the inline G.
    let tdeck = dir.join("gap.toml");
    let ttext = std::fs::read_to_string(root.join("inputs/transport_ag_rewiring.toml"))
        .unwrap()
        .replace(
            "../out/rewiring_small/traj.h5",
            &dir.join("out1/traj.h5").display().to_string(),
        )
        .replace(
            "\"tb/ptbp/",
            &format!("\"{}/inputs/tb/ptbp/", root.display()),
        );
    std::fs::write(&tdeck, ttext).unwrap();
    common::ok(
        common::bin()
            .args(["farm", tdeck.to_str().unwrap(), "--out"])
            .arg(dir.join("farm")),
    );
    let offline = common::read_csv(&dir.join("farm/conductance.csv"));
    let inline = common::read_csv(&dir.join("out2/transport/conductance.csv"));
    assert_eq!(offline.len(), 2, "two frames farmed");
    assert_eq!(inline.len(), 2, "two frames inline");
    for (a, b) in offline.iter().zip(&inline) {
        // frame, step, time_ps, G_G0: the 8.3 Å gap is empty and conducts nothing.
        assert_eq!(a[1], b[1]);
        assert!(a[3].abs() < 1e-3, "offline G {}", a[3]);
        assert!(
            (a[3] - b[3]).abs() < 1e-9,
            "offline G {} inline {}",
            a[3],
            b[3]
        );
    }
    let first = frame(&dir.join("out1/traj.dump"), false);
    // The stage analysis of the run: no bridge across the 8.3 Å gap in 20 steps.
    let out = common::ok(
        common::bin()
            .args(["analyze", "rewiring", dir.join("out1").to_str().unwrap()])
            .arg("--conductance")
            .arg(dir.join("farm/conductance.csv")),
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["frames"], 2);
    assert_eq!(j["bridged"], false);
    assert_eq!(j["frames_with_G"], 2);
    for png in [
        "rewiring.png",
        "rewiring_histogram.png",
        "rewiring_snapshots.png",
    ] {
        assert!(dir.join("out1").join(png).exists(), "{png} missing");
    }
    let w = j["final_gap_width_A"].as_f64().unwrap();
    assert!(w > 7.0 && w < 9.5, "gap width {w} Å");
    let rows = common::read_csv(&dir.join("out1/rewiring.csv"));
    assert!(
        (rows[0][3] - 8.3).abs() < 1e-9,
        "first gap width {}",
        rows[0][3]
    );
    let f = &frames[0];
    // The electrodes are the lowest and highest three layers; Φ = ±1 V there.
    let zs: Vec<f64> = f.values().map(|v| v[2]).collect();
    let (zmin, zmax) = zs
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &z| (a.min(z), b.max(z)));
    let mut inner = 0;
    for (id, v) in f {
        if v[2] < zmin + 0.5 || v[2] > zmax - 0.5 {
            // The outermost base layers are rigid.
            assert_eq!(v[..3], first[id][..3], "base atom {id} moved");
        }
        if v[2] < zmin + 2.0 {
            assert!((v[4] - 1.0).abs() < 1e-12, "bottom electrode Φ {}", v[4]);
        } else if v[2] > zmax - 2.0 {
            assert!((v[4] + 1.0).abs() < 1e-12, "top electrode Φ {}", v[4]);
        } else {
            assert!(v[4].abs() <= 1.0 + 1e-12);
            inner += usize::from(v[4] != 0.0);
        }
    }
    assert!(inner > 0, "Φ stayed zero inside the tips");
    assert_eq!(first.len(), f.len());
    for (id, v) in f {
        for c in 0..5 {
            assert!(
                (frames[1][id][c] - v[c]).abs() < 1e-9,
                "atom {id} column {c}: {} at 3 ranks, {} at 1",
                frames[1][id][c],
                v[c]
            );
        }
    }
}
