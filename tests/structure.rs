//! Structure analysis against closed forms and published values: ρ(θ) of a perfect fcc crystal
//! (66 angles per atom: 24 at 60°, 12 at 90°, 24 at 120°, 6 at 180°), surface atoms excluded by
//! coordination, the minimal cross-section of built columns against the builder and against a
//! count of lattice sites in a disc, the surface energies of Au_u3 against Foiles, Baskes and Daw
//! (1986), and the `analyze structure` / `analyze rheology --neck-area` commands on a short run.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use nanocontact::analysis::structure::bond_angles::{AngleHistogram, AngleParams};
use nanocontact::analysis::structure::common_neighbours::{classify, StructureCounts};
use nanocontact::analysis::structure::section;
use nanocontact::analysis::structure::snapshots::Snapshot;
use nanocontact::analysis::surface_energy::{
    equilibrium_lattice, slab, BulkReference, Facet, SLAB_FIRE,
};
use nanocontact::build::junction::{self, JunctionSpec, Orientation};
use nanocontact::build::OrientedFcc;
use nanocontact::io::csv::CsvTable;
use nanocontact::system::{Boundary, SimBox};

const A_AU: f64 = 4.08;

fn potential() -> PathBuf {
    common::reference().join("lammps/potentials/Au_u3.eam")
}

fn spec() -> String {
    format!("eam:{}", potential().display())
}

/// A periodic crystal of `cells` oriented cells, or free along z with 10 Å of vacuum.
fn crystal(orient: [[i64; 3]; 3], cells: [usize; 3], free_z: bool) -> (SimBox, Vec<[f64; 3]>) {
    let fcc = OrientedFcc::new(A_AU, orient).unwrap();
    let len = [0, 1, 2].map(|d| cells[d] as f64 * fcc.period(d));
    let (lo, hi, bz) = if free_z {
        (-10.0, len[2] + 10.0, Boundary::Fixed)
    } else {
        (0.0, len[2], Boundary::Periodic)
    };
    let b = SimBox::new(
        [0.0, 0.0, lo],
        [len[0], len[1], hi],
        [Boundary::Periodic, Boundary::Periodic, bz],
    );
    (b, fcc.sites(cells))
}

#[test]
fn perfect_fcc_angles_follow_the_closed_form() {
    for (orient, cells) in [
        ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [4, 4, 4]),
        ([[1, -1, 0], [1, 1, -2], [1, 1, 1]], [4, 2, 2]),
    ] {
        let (b, x) = crystal(orient, cells, false);
        let all: Vec<usize> = (0..x.len()).collect();
        let mut h = AngleHistogram::new(1.0).unwrap();
        let mut cna = StructureCounts::default();
        let used = h
            .add_frame_with(&b, &x, &all, &AngleParams::default(), |bonds| {
                cna.add(classify(bonds))
            })
            .unwrap();
        assert_eq!(used, x.len(), "{orient:?}: every atom has 12 neighbours");
        assert_eq!(
            cna.fcc, used as u64,
            "{orient:?}: common-neighbour analysis {cna:?}"
        );
        let n = x.len() as u64;
        let nonzero: BTreeMap<usize, u64> = h
            .counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(k, &c)| (k, c))
            .collect();
        let want: BTreeMap<usize, u64> =
            [(60, 24 * n), (90, 12 * n), (120, 24 * n), (180, 6 * n)].into();
        assert_eq!(nonzero, want, "{orient:?}");
        for sigma in [0.0, 2.0] {
            let peaks: Vec<f64> = h
                .peaks(sigma, 10.0, 0.05)
                .iter()
                .map(|p| p.theta_deg)
                .collect();
            assert_eq!(peaks, vec![60.0, 90.0, 120.0, 180.0], "σ = {sigma}°");
        }
        // ρ integrates to one.
        let rho = h.rho();
        let integral: f64 = (0..rho.len())
            .map(|k| rho[k] * if k == 0 || k == 180 { 0.5 } else { 1.0 })
            .sum();
        assert!((integral - 1.0).abs() < 1e-12);
    }
}

#[test]
fn surface_atoms_are_not_interior() {
    // Six free (111) planes: the two outer planes have 9 neighbours, the four inner ones 12.
    let (b, x) = crystal([[1, -1, 0], [1, 1, -2], [1, 1, 1]], [4, 3, 2], true);
    let all: Vec<usize> = (0..x.len()).collect();
    let mut h = AngleHistogram::new(1.0).unwrap();
    let used = h.add_frame(&b, &x, &all, &AngleParams::default()).unwrap();
    assert_eq!(used, x.len() * 4 / 6);
    assert_eq!(h.total(), 66 * used as u64);
    // Down to 9 neighbours the surface atoms come in, each with 9·8/2 = 36 angles.
    let mut h9 = AngleHistogram::new(1.0).unwrap();
    let p9 = AngleParams {
        cutoff_a: 3.5,
        min_coordination: 9,
    };
    assert_eq!(h9.add_frame(&b, &x, &all, &p9).unwrap(), x.len());
    assert_eq!(h9.total(), (66 * 4 + 36 * 2) * x.len() as u64 / 6);
}

fn column(o: Orientation, radius: f64) -> junction::Junction {
    let spec = JunctionSpec {
        a: A_AU,
        orientation: o,
        lateral_cells: [8, 6],
        lead_layers: 8,
        h0: 20.0,
        radius,
        vacuum: 10.0,
        rigid_layers: 2,
        bath_layers: 2,
    };
    junction::build(&spec).unwrap()
}

fn snapshot(j: &junction::Junction) -> Snapshot {
    Snapshot {
        frame: 0,
        step: 0,
        time_ps: 0.0,
        simbox: SimBox::new(
            j.lo,
            j.hi,
            [Boundary::Periodic, Boundary::Periodic, Boundary::Fixed],
        ),
        ids: (1..=j.positions.len() as u64).collect(),
        positions: j.positions.clone(),
    }
}

#[test]
fn cross_section_of_built_columns_matches_the_builder() {
    for o in [Orientation::O111, Orientation::O110, Orientation::O001] {
        for radius in [4.0, 6.5, 7.6] {
            let j = column(o, radius);
            let d = o.plane_spacing(A_AU);
            let free: Vec<usize> = (0..j.positions.len())
                .filter(|&i| j.group[i] == 2)
                .collect();
            let (profile, neck) = section(&snapshot(&j), &free, d, 0.144).unwrap();
            // The builder's column planes: free atoms strictly between the lead faces.
            let mut per_plane: BTreeMap<i64, usize> = BTreeMap::new();
            for &i in &free {
                let z = j.positions[i][2];
                if z > j.lead_faces[0] + 0.5 * d && z < j.lead_faces[1] - 0.5 * d {
                    *per_plane.entry((z / d).round() as i64).or_default() += 1;
                }
            }
            let (z, n) = profile.series();
            for (k, want) in &per_plane {
                let s = z
                    .iter()
                    .position(|&zs| (zs - *k as f64 * d).abs() < 1e-6)
                    .unwrap();
                assert_eq!(n[s] as usize, *want, "{o:?} R = {radius}: plane {k}");
            }
            // Every free atom is in one layer.
            assert_eq!(profile.counts.iter().sum::<usize>(), free.len());
            let n_min = *per_plane.values().min().unwrap();
            assert_eq!(neck.n_atoms, n_min, "{o:?} R = {radius}");
            let pi = std::f64::consts::PI;
            assert!((neck.area_nm2 - n_min as f64 * pi * 0.144 * 0.144).abs() < 1e-12);
            assert!(neck.z_a > j.lead_faces[0] && neck.z_a < j.lead_faces[1]);
            // The leads' inner planes are full: more atoms than any column plane.
            assert!(profile.counts[0] > n_min && *profile.counts.last().unwrap() > n_min);
            if o == Orientation::O001 {
                // (001) planes: sites (i, j)·a/2 with i + j even or odd by plane; the builder
                // centres the column at half the box.
                let (cx, cy) = (0.5 * j.hi[0], 0.5 * j.hi[1]);
                let disc = |parity: i64| {
                    let m = (2.0 * (j.hi[0].max(j.hi[1])) / A_AU) as i64 + 2;
                    let mut c = 0;
                    for a in -m..=m {
                        for b in -m..=m {
                            let (x, y) = (0.5 * A_AU * a as f64, 0.5 * A_AU * b as f64);
                            if (a + b).rem_euclid(2) == parity
                                && (x - cx).powi(2) + (y - cy).powi(2) <= radius * radius
                            {
                                c += 1;
                            }
                        }
                    }
                    c
                };
                assert_eq!(n_min, disc(0).min(disc(1)), "R = {radius}");
            }
        }
    }
}

/// Foiles, Baskes and Daw, Phys. Rev. B 33, 7983 (1986): Au lattice constant 4.08 Å and
/// cohesive energy 3.93 eV (fitted), and the relaxed surface energies of their Au functions,
/// (111) 790, (100) 918, (110) 980 erg/cm² (1 erg/cm² = 1 mJ/m²).
const FBD_A: f64 = 4.08;
const FBD_EC: f64 = 3.93;
const FBD_GAMMA: [(Facet, f64); 3] = [
    (Facet::F111, 0.790),
    (Facet::F100, 0.918),
    (Facet::F110, 0.980),
];

#[test]
fn au_u3_surface_energies_match_foiles_baskes_daw() {
    let bulk = equilibrium_lattice(&spec(), &[]).unwrap();
    eprintln!("a = {:.6} Å, E_bulk = {:.6} eV", bulk.a, bulk.e_per_atom_ev);
    assert!((bulk.a - FBD_A).abs() < 1e-3);
    assert!((bulk.e_per_atom_ev + FBD_EC).abs() < 1e-3);
    let mut relaxed = Vec::new();
    for (f, published) in FBD_GAMMA {
        let s = slab(&spec(), &[], f, &bulk, &SLAB_FIRE).unwrap();
        eprintln!(
            "({}) γ unrelaxed {:.4}, relaxed {:.4} J/m², published {published} J/m²",
            f.name(),
            s.gamma_unrelaxed_j_m2,
            s.gamma_relaxed_j_m2
        );
        // Relaxation lowers the energy; the relaxed value is within 1 % of the published one
        // (the LAMMPS tabulation of the functions against the original analytic forms).
        assert!(s.gamma_relaxed_j_m2 < s.gamma_unrelaxed_j_m2);
        assert!(
            (s.gamma_relaxed_j_m2 / published - 1.0).abs() < 0.01,
            "({})",
            f.name()
        );
        relaxed.push(s.gamma_relaxed_j_m2);
    }
    assert!(
        relaxed[0] < relaxed[1] && relaxed[1] < relaxed[2],
        "γ(111) < γ(100) < γ(110)"
    );
    // A strained lattice gives a different γ: the bulk reference matters.
    let strained = BulkReference {
        a: 4.2,
        e_per_atom_ev: nanocontact::analysis::surface_energy::bulk_energy_per_atom(
            &spec(),
            &[],
            4.2,
        )
        .unwrap(),
        minimised: false,
    };
    let s = slab(&spec(), &[], Facet::F111, &strained, &SLAB_FIRE).unwrap();
    assert!((s.gamma_relaxed_j_m2 - relaxed[0]).abs() > 0.01);
}

/// The small driven junction (1 THz drive: one cycle is 500 steps) with a frame every 100 steps,
/// two cycles at a0 = 0.5 Å, then a stage of one cycle at a0 = 0.3 Å.
fn short_run(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(root.join("inputs/small_driven_junction.toml")).unwrap();
    let pot = root.join("inputs/potentials/Au_u3.eam");
    let stage = "\n[[stage]]\nname = \"a0 = 0.3 A\"\ncycles = 1\nlead = [{ group = \"top\", \
                 motion = \"oscillate\", amplitude = 0.3, frequency_ghz = 1000.0 }]\n";
    let deck = src
        .replace(
            "files = [\"potentials/Au_u3.eam\"]",
            &format!("files = [\"{}\"]", pot.display()),
        )
        .replace("frequency_ghz = 200.0", "frequency_ghz = 1000.0")
        .replace("steps = 500", "steps = 1000")
        .replace("trajectory = 0\ndump = 500", "trajectory = 100")
        + stage;
    let p = dir.join("deck.toml");
    std::fs::write(&p, deck).unwrap();
    let out = dir.join("run");
    nanocontact_ok(&["run", p.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    out
}

/// The rows of a CSV table by column name.
/// Run the binary with `args` and require success.
fn nanocontact_ok(args: &[&str]) {
    let st = common::bin().args(args).output().unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
}

fn table(p: &Path) -> Vec<BTreeMap<String, f64>> {
    let t = CsvTable::read(p).unwrap();
    t.rows
        .iter()
        .map(|r| t.header.iter().cloned().zip(r.iter().copied()).collect())
        .collect()
}

fn json_line(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    serde_json::from_str(text.lines().last().unwrap()).unwrap()
}

#[test]
fn structure_and_neck_area_commands_on_a_run() {
    let dir = common::scratch("structure-run");
    let run = short_run(&dir);
    // The column of the small junction: radius 4.6 Å in (001) planes, 9 atoms at the neck.
    let j = json_line(
        &common::bin()
            .args([
                "analyze",
                "structure",
                run.to_str().unwrap(),
                "--gamma-j-m2",
                "0.9",
            ])
            .output()
            .unwrap(),
    );
    let frames = j["frames"].as_u64().unwrap();
    assert_eq!(frames, 1 + 1000 / 100 + 500 / 100);
    assert_eq!(j["N_min_first"], 9);
    assert!(
        (j["slab_A"].as_f64().unwrap() - 2.3556).abs() < 1e-4,
        "no junction deck: (111)"
    );
    assert_eq!(table(&run.join("cross_section.csv")).len(), frames as usize);
    assert!(run.join("cross_section_z.csv").is_file() && run.join("rho_theta.csv").is_file());
    for png in ["rho_theta.png", "cross_section.png", "neck_vs_time.png"] {
        let bytes = std::fs::read(run.join(png)).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "{png} is not a PNG");
    }
    let r = j["radius_nm"].as_f64().unwrap();
    let fi = j["F_i_nN"].as_f64().unwrap();
    assert!((fi - 2.0 * std::f64::consts::PI * 0.9 * r).abs() < 1e-12);
    // One stage, the last three frames, slabs of the (001) spacing of the deck's lattice.
    let j2 = json_line(
        &common::bin()
            .args([
                "analyze",
                "structure",
                run.to_str().unwrap(),
                "--stage",
                "1",
                "--frames",
                "-3:",
                "--slab-a",
                "2.04",
                "--out",
                dir.join("st").to_str().unwrap(),
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(j2["frames"], 3);
    assert_eq!(j2["last_step"], 1500);
    assert_eq!(j2["N_min_first"], 9);
    let peaks: Vec<f64> = j2["peaks_deg"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for want in [60.0, 90.0, 120.0] {
        assert!(
            peaks.iter().any(|p| (p - want).abs() <= 3.0),
            "peak near {want}° in {peaks:?}"
        );
    }
    // The common-neighbour analysis of the same centres: every one classified once (most of
    // them are "other" here: 11 neighbours at the thin neck), fractions adding up to one.
    let cna = &j2["cna"];
    let count = |k: &str| cna[k].as_u64().unwrap();
    let kinds = ["fcc", "hcp", "icosahedral", "five_fold", "other"];
    assert_eq!(
        kinds.iter().map(|k| count(k)).sum::<u64>(),
        j2["interior_atoms"].as_u64().unwrap()
    );
    let fractions: f64 = kinds
        .iter()
        .map(|k| cna[format!("{k}_fraction")].as_f64().unwrap())
        .sum();
    assert!((fractions - 1.0).abs() < 1e-12, "{cna}");
    let rows = table(&dir.join("st/cross_section.csv"));
    assert_eq!(
        rows.iter().map(|r| r["fcc"] as u64).sum::<u64>(),
        count("fcc"),
        "per-frame fcc counts add up"
    );
    // The data file of the final state gives the same neck as the last frame.
    let jd = json_line(
        &common::bin()
            .args([
                "analyze",
                "structure",
                run.join("final.data").to_str().unwrap(),
                "--slab-a",
                "2.04",
                "--out",
                dir.join("fd").to_str().unwrap(),
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(jd["frames"], 1);
    assert!(
        jd["N_min_first"].as_u64().unwrap() >= 9,
        "all atoms count in a data file"
    );
    // The junction as built is a perfect crystal: every fully coordinated atom is fcc to the
    // common-neighbour analysis (the rest, 11 neighbours at the column's edges, "other").
    let built = dir.join("built.data");
    nanocontact_ok(&[
        "build",
        dir.join("deck.toml").to_str().unwrap(),
        "--out",
        built.to_str().unwrap(),
    ]);
    let jb = json_line(
        &common::bin()
            .args(["analyze", "structure", built.to_str().unwrap()])
            .args(["--neck-half-width-a", "100", "--min-coordination", "12"])
            .output()
            .unwrap(),
    );
    assert!(jb["interior_atoms"].as_u64().unwrap() > 100, "{jb}");
    assert_eq!(jb["cna"]["fcc"], jb["interior_atoms"], "{jb}");
    // Rheology with the nominal area and the neck area at the start of each stage.
    let out = common::bin()
        .args([
            "analyze",
            "rheology",
            run.to_str().unwrap(),
            "--h0-nm",
            "1.7",
            "--area-nm2",
            "0.5",
            "--neck-area",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = table(&run.join("rheology.csv"));
    assert_eq!(rows.len(), 2, "both oscillating stages");
    for row in &rows {
        let neck_area = row["area_neck_nm2"];
        assert_eq!(row["area_nm2"], 0.5);
        assert_eq!(
            neck_area,
            row["neck_N"] * std::f64::consts::PI * 0.144 * 0.144
        );
        let k = 0.5 / neck_area;
        assert!(
            (row["G_storage_neck_GPa"] - k * row["G_storage_GPa"]).abs()
                < 1e-12 * k.abs().max(1.0) * row["G_storage_GPa"].abs().max(1.0)
        );
        assert!(
            (row["G_loss_neck_GPa"] - k * row["G_loss_GPa"]).abs()
                < 1e-12 * k.abs().max(1.0) * row["G_loss_GPa"].abs().max(1.0)
        );
    }
    assert_eq!(rows[0]["neck_step"], 0.0);
    assert_eq!(rows[1]["neck_step"], 1000.0);
    // Without --area-nm2 the nominal area is the initial column's cross-section.
    let out = common::bin()
        .args([
            "analyze",
            "rheology",
            run.to_str().unwrap(),
            "--h0-nm",
            "1.7",
            "--neck-area",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = table(&run.join("rheology.csv"));
    assert_eq!(rows[0]["area_nm2"], rows[0]["area_neck_nm2"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_structure_input_is_a_clear_error() {
    let dir = common::scratch("structure-bad");
    let cases: [(&[&str], &str); 4] = [
        (
            &["analyze", "structure", "/no/such/file.data"],
            "/no/such/file.data",
        ),
        (&["analyze", "structure", dir.to_str().unwrap()], "traj.h5"),
        (
            &["analyze", "rheology", dir.to_str().unwrap(), "--h0-nm", "1"],
            "--area-nm2",
        ),
        (
            &[
                "analyze",
                "surface-energy",
                "--potential",
                "eam:/no/such.eam",
            ],
            "/no/such.eam",
        ),
    ];
    for (args, needle) in cases {
        let out = common::bin().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
