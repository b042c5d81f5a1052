//! The conductance of the gap between two silver tips, the silver paper's cut (seed 002,
//! Methods), through the `transport DECK` path with `[gap]` and the shipped PTBP tables: the
//! atoms between the apexes of two fcc(001) pyramids go between Ag(111) slabs (3 × 2 cells,
//! 2 × 2 k∥ mesh). An empty 8.3 Å gap does not conduct; two atoms on the axis, bonded to each
//! other and to both apex sites (a four-atom chain across the gap), conduct one quantum through
//! one channel, as a single-atom bridge does (seed 002, Fig. 3b: T jumps close to 1); a
//! filament of nine atoms conducts several quanta. `farm --write-embedded` writes the embedded
//! frame and its lead ranges: `transport` on that file, without `[gap]`, gives the farm's G.

mod common;

use std::path::{Path, PathBuf};

use nanocontact::build::pyramids::PyramidPairSpec;
use nanocontact::io::lammps_data::write_data;
use nanocontact::system::{Atoms, Boundary, SimBox};

/// Two small tips (apexes at z = 0 and 8.3 Å on the z axis) with `extra` atoms, as a data file.
fn tips_with(dir: &Path, name: &str, extra: &[[f64; 3]]) -> PathBuf {
    let pair = PyramidPairSpec {
        a: 4.09,
        base_edge: 9.0,
        gap: 8.3,
        rigid_layers: 1,
        electrode_layers: 1,
        vacuum: 8.0,
    }
    .build()
    .unwrap();
    let mut atoms = Atoms::with_types(vec![107.8682]);
    for (i, p) in pair.positions.iter().chain(extra).enumerate() {
        atoms.push_owned(i as u64 + 1, 0, *p, [0.0; 3]);
    }
    let path = dir.join(format!("{name}.data"));
    let b = SimBox::new(pair.lo, pair.hi, [Boundary::Fixed; 3]);
    write_data(&path, name, &b, &atoms).unwrap();
    path
}

/// A transport deck of `data` with `gap_lines` in `[gap]`.
fn deck(dir: &Path, data: &Path, gap_lines: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = dir.join(format!(
        "{}.toml",
        data.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::write(
        &path,
        format!(
            "[structure]\ndata = {:?}\nboundary = \"f f f\"\n[gap]\n{gap_lines}\n[model]\n\
             style = \"dftb\"\nparameters = {:?}\nspecies = [\"Ag\"]\nneutrality = false\n\
             [leads]\naxis = \"z\"\n[kpoints]\nmesh = [2, 2]\n[energy]\nfermi = \"auto\"\n\
             values = [0.0]\neigenchannels = 4\n",
            data.display().to_string(),
            root.join("inputs/tb/ptbp/Ag-Ag.skf").display().to_string()
        ),
    )
    .unwrap();
    path
}

#[test]
fn gap_between_ag111_slabs_conducts_nothing_empty_one_quantum_bridged_and_more_when_wide() {
    let dir = common::scratch("transport-gap");
    // The apexes come from the structure itself when it has nothing in the gap.
    let empty = tips_with(&dir, "empty", &[]);
    let (g, _) = common::transport_deck_at_fermi_level(
        &deck(&dir, &empty, "margin = 1.0"),
        &dir.join("out-empty"),
    );
    assert!(g.abs() < 1e-3, "empty 8.3 Å gap: G = {g} G0");
    // With atoms in the gap the apex planes and axis are given.
    let given = "apexes = [0.0, 8.3]\ncenter = [0.0, 0.0]";
    let chain = tips_with(&dir, "chain", &[[0.0, 0.0, 2.77], [0.0, 0.0, 5.53]]);
    let (g1, tau) =
        common::transport_deck_at_fermi_level(&deck(&dir, &chain, given), &dir.join("out-chain"));
    assert!(g1 > 0.9 && g1 < 1.05, "bridge: G = {g1} G0, tau {tau:?}");
    assert!(tau[0] > 0.9 && tau[1] < 0.05, "bridge: tau {tau:?}");
    let h = 2.89 / 2.0;
    let mut wide: Vec<[f64; 3]> = Vec::new();
    for z in [2.6, 5.7] {
        for (x, y) in [(-h, -h), (-h, h), (h, -h), (h, h)] {
            wide.push([x, y, z]);
        }
    }
    wide.push([0.0, 0.0, 4.15]);
    let wide = tips_with(&dir, "wide", &wide);
    let (g9, tau) =
        common::transport_deck_at_fermi_level(&deck(&dir, &wide, given), &dir.join("out-wide"));
    assert!(
        g9 > 2.0 && g9 > g1 + 1.0,
        "nine atoms: G = {g9} G0, tau {tau:?}"
    );
    assert!(tau.iter().filter(|&&t| t > 0.5).count() >= 3, "tau {tau:?}");
}

#[test]
fn gap_decks_refuse_lead_regions_and_a_gap_that_is_not_there() {
    let dir = common::scratch("transport-gap-errors");
    let data = tips_with(&dir, "tips", &[]);
    let d = deck(&dir, &data, "margin = 1.0");
    let text = std::fs::read_to_string(&d).unwrap().replace(
        "axis = \"z\"",
        "axis = \"z\"\nleft = { lo = -9.0, hi = -7.0 }",
    );
    std::fs::write(&d, text).unwrap();
    let err = common::fails(
        common::bin()
            .args(["transport", d.to_str().unwrap(), "--out"])
            .arg(dir.join("out1")),
    );
    assert!(err.contains("leads.left") && err.contains("[gap]"), "{err}");
    // Apex planes closer than twice the margin.
    let d = deck(&dir, &data, "apexes = [0.0, 1.5]\nmargin = 1.0");
    let err = common::fails(
        common::bin()
            .args(["transport", d.to_str().unwrap(), "--out"])
            .arg(dir.join("out2")),
    );
    assert!(
        err.contains("gap.apexes") && err.contains("tips.toml"),
        "{err}"
    );
}

/// The first data row of a CSV file as strings, with its header.
fn first_row(path: &Path) -> (Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let split = |l: &str| l.split(',').map(|s| s.trim().to_string()).collect();
    (split(lines.next().unwrap()), split(lines.next().unwrap()))
}

/// The value of `column` in the first data row of a CSV file.
fn first_value(path: &Path, column: &str) -> f64 {
    let (header, row) = first_row(path);
    let k = header.iter().position(|h| h == column).unwrap();
    row[k].parse().unwrap()
}

#[test]
fn embedded_frames_written_by_the_farm_give_its_conductance_through_transport() {
    let dir = common::scratch("transport-gap-embedded");
    let chain = tips_with(&dir, "chain", &[[0.0, 0.0, 2.77], [0.0, 0.0, 5.53]]);
    let d = deck(&dir, &chain, "apexes = [0.0, 8.3]\ncenter = [0.0, 0.0]");
    let emb = dir.join("embedded");
    common::ok(
        common::bin()
            .args(["farm", d.to_str().unwrap(), "--out"])
            .arg(dir.join("farm"))
            .arg("--write-embedded")
            .arg(&emb),
    );
    let g_farm = first_value(&dir.join("farm/conductance.csv"), "G_G0");
    assert!(g_farm > 0.9, "farm: G = {g_farm} G0");
    // embedded.csv: frame,step,time_ps,gap_atoms,file,left_lo,left_hi,right_lo,right_hi
    let (header, row) = first_row(&emb.join("embedded.csv"));
    let col = |c: &str| &row[header.iter().position(|h| h == c).unwrap()];
    assert_eq!(col("gap_atoms"), "2");
    let range = |a: &str, b: &str| format!("{{ lo = {}, hi = {} }}", col(a), col(b));
    // The written file as a plain transport deck: periodic across z, leads by range, no [gap].
    let plain = dir.join("plain.toml");
    std::fs::write(
        &plain,
        std::fs::read_to_string(&d)
            .unwrap()
            .replace(
                &format!("{:?}", chain.display().to_string()),
                &format!("{:?}", emb.join(col("file")).display().to_string()),
            )
            .replace("boundary = \"f f f\"", "boundary = \"p p f\"")
            .replace("[gap]\napexes = [0.0, 8.3]\ncenter = [0.0, 0.0]\n", "")
            .replace(
                "axis = \"z\"",
                &format!(
                    "axis = \"z\"\nleft = {}\nright = {}",
                    range("left_lo", "left_hi"),
                    range("right_lo", "right_hi")
                ),
            ),
    )
    .unwrap();
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(
        !text.contains("[gap]") && text.contains("embedded"),
        "{text}"
    );
    common::ok(
        common::bin()
            .args(["transport", plain.to_str().unwrap(), "--out"])
            .arg(dir.join("plain")),
    );
    let g = first_value(&dir.join("plain/conductance.csv"), "G_G0");
    assert!(
        (g - g_farm).abs() < 1e-9,
        "transport {g} G0, farm {g_farm} G0"
    );
    // A deck without [gap] has nothing to embed.
    let err = common::fails(
        common::bin()
            .args(["farm", plain.to_str().unwrap(), "--out"])
            .arg(dir.join("farm2"))
            .arg("--write-embedded")
            .arg(dir.join("embedded2")),
    );
    assert!(
        err.contains("plain.toml") && err.contains("gap") && err.contains("--write-embedded"),
        "{err}"
    );
    assert!(!dir.join("embedded2").exists());
}
