//! `nanocontact analyze force-conductance`: force and conductance of farmed frames on one time
//! axis, on synthetic run and farm folders whose answers are known in closed form.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use nanocontact::io::csv::CsvTable;

const DT_SAMPLE: f64 = 0.05; // ps between lead samples (25 steps of 2 fs)
const OMEGA: f64 = 2.0 * std::f64::consts::PI / 10.0; // a 10 ps period

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nanocontact-fc-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("run")).unwrap();
    std::fs::create_dir_all(d.join("farm")).unwrap();
    d
}

/// A run of 4,000 samples: stage 0 at rest (steps 0–20,000), stage 1 oscillating the top lead
/// (a0 = 2 Å) from step 20,000; lower lead below the upper one. The tensile force is `force(t)`
/// (F_lower = +F, F_upper = −F) and the top lead moves by a0·sin(ωt) in stage 1.
fn write_run(dir: &Path, force: impl Fn(f64) -> f64) {
    std::fs::write(
        dir.join("run/stages.csv"),
        "stage,first_step,last_step,t_start_ps,t_end_ps,a0_lead_bottom_A,f_lead_bottom_GHz,\
         zc_lead_bottom_A,a0_lead_top_A,f_lead_top_GHz,zc_lead_top_A\n\
         0,0,20000,0,40,0,0,1.0,0,0,90.0\n\
         1,20000,100000,40,200,0,0,1.0,2.0,100.0,90.0\n",
    )
    .unwrap();
    let mut s = String::from(
        "step,time_ps,disp_lead_bottom_A,force_lead_bottom_nN,disp_lead_top_A,force_lead_top_nN\n",
    );
    for k in 0..4000u64 {
        let t = k as f64 * DT_SAMPLE;
        let dz = if k * 25 >= 20000 {
            2.0 * (OMEGA * (t - 40.0)).sin()
        } else {
            0.0
        };
        let f = force(t);
        writeln!(s, "{},{t},0,{f},{dz},{}", k * 25, -f).unwrap();
    }
    std::fs::write(dir.join("run/leads.csv"), s).unwrap();
}

/// Frames every 500 steps (1 ps) with conductance `g(t)`; one incomplete frame (NaN).
fn write_farm(dir: &Path, g: impl Fn(f64) -> f64) {
    let mut s = String::from("frame,step,time_ps,G_G0,open_channels,k_done\n");
    for k in 0..200u64 {
        let t = k as f64;
        let gv = if k == 7 { f64::NAN } else { g(t) };
        writeln!(s, "{k},{},{t},{gv},10,4", k * 500).unwrap();
    }
    std::fs::write(dir.join("farm/conductance.csv"), s).unwrap();
}

fn analyze(dir: &Path, window_ps: f64) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nanocontact"))
        .args(["analyze", "force-conductance"])
        .arg(dir.join("run"))
        .arg("--farm")
        .arg(dir.join("farm"))
        .arg(format!("--window-ps={window_ps}"))
        .output()
        .unwrap()
}

#[test]
fn conductance_linear_in_force_correlates_fully() {
    let dir = scratch("linear");
    let force = |t: f64| 2.0 + 1.5 * (OMEGA * t).cos() + 0.3 * (3.1 * t).sin();
    write_run(&dir, force);
    write_farm(&dir, |t| 3.0 - 0.4 * force(t));
    let o = analyze(&dir, 0.0);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let frames = CsvTable::read(&dir.join("farm/force_conductance.csv")).unwrap();
    assert_eq!(frames.rows.len(), 199, "the NaN frame is left out");
    let (cf, cg, ct) = (
        frames.col("force_nN").unwrap(),
        frames.col("G_G0").unwrap(),
        frames.col("time_ps").unwrap(),
    );
    let cs = frames.col("stage").unwrap();
    for r in &frames.rows {
        assert!((r[cf] - force(r[ct])).abs() < 1e-12);
        assert!((r[cg] - (3.0 - 0.4 * force(r[ct]))).abs() < 1e-12);
        assert_eq!(r[cs], if r[ct] < 40.0 { 0.0 } else { 1.0 });
    }
    let stages = CsvTable::read(&dir.join("farm/force_conductance_stages.csv")).unwrap();
    assert_eq!(stages.rows.len(), 2);
    let (cr, ch, ca) = (
        stages.col("r_G_force").unwrap(),
        stages.col("r_G_dh").unwrap(),
        stages.col("a0_A").unwrap(),
    );
    for r in &stages.rows {
        assert!((r[cr] + 1.0).abs() < 1e-12, "G = 3 − 0.4 F: r = −1");
    }
    // Stage 1: Δh = 2 sin(ω(t − 40)) over 16 whole periods of 10 ps and G ∝ −cos(ωt) + a
    // component at another frequency: uncorrelated with Δh.
    assert_eq!(stages.rows[1][ca], 2.0);
    assert!(stages.rows[1][ch].abs() < 0.05, "{}", stages.rows[1][ch]);
    assert!(
        stages.rows[0][ch].is_nan(),
        "Δh = 0 at rest: no correlation defined"
    );
    for png in ["force_conductance.png", "conductance_vs_force.png"] {
        assert!(std::fs::metadata(dir.join("farm").join(png)).unwrap().len() > 1000);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn centred_window_of_a_linear_force_is_its_value() {
    let dir = scratch("window");
    let force = |t: f64| 1.0 + 0.25 * t;
    write_run(&dir, force);
    write_farm(&dir, |t| 5.0 + (0.37 * t).sin());
    let o = analyze(&dir, 2.0);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let frames = CsvTable::read(&dir.join("farm/force_conductance.csv")).unwrap();
    let (cw, ct) = (
        frames.col("force_window_nN").unwrap(),
        frames.col("time_ps").unwrap(),
    );
    // Away from the ends of the trace the symmetric window averages a line to its centre.
    let inner: Vec<_> = frames
        .rows
        .iter()
        .filter(|r| r[ct] > 2.0 && r[ct] < 195.0)
        .collect();
    assert!(inner.len() > 150);
    for r in inner {
        assert!((r[cw] - force(r[ct])).abs() < 1e-9, "{} {}", r[ct], r[cw]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_farm_and_bad_window_are_clear_errors() {
    let dir = scratch("errors");
    write_run(&dir, |_| 1.0);
    let o = analyze(&dir, 1.0);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("conductance.csv"), "{err}");
    write_farm(&dir, |_| 1.0);
    let o = analyze(&dir, -1.0);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--window-ps"));
    std::fs::remove_dir_all(&dir).unwrap();
}
