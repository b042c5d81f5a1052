//! The spd model with leads periodic across the transport axis (a k∥ mesh): local charge
//! neutrality summed over the mesh, and spd transport decks.
//!
//! A perfect gold crystal cut into a scattering region between its own semi-infinite halves is
//! neutral at the band-filling Fermi level of the lead on the same k∥ mesh: the Fermi-sea
//! contour integral (exact in q along the axis, k-summed across it) gives every atom its eleven
//! electrons, and a mesh halved by time reversal gives the full mesh's charges.

use std::path::{Path, PathBuf};

use nanocontact::build::tips::{SlabContact, TipsOnSlabs};
use nanocontact::io::lammps_data::write_data;
use nanocontact::system::{Atoms, Boundary, SimBox};
use nanocontact::transport::dense::CMat;
use nanocontact::transport::model::band_filling::lead_fermi_energy_kmesh;
use nanocontact::transport::model::slater_koster::{SlaterKoster, ORBITALS};
use nanocontact::transport::model::tight_binding::Atom;
use nanocontact::transport::neutrality::charge_neutrality::{
    neutral_lead_kmesh, FermiSea, LeadNeutralityOptions,
};
use nanocontact::transport::neutrality::contour::NeutralityOptions;
use nanocontact::transport::problem::lead_crystal::{lead_crystal, principal_layer};
use nanocontact::transport::problem::supercell::{build_supercell_problem, KMesh, Supercell};
use nanocontact::transport::TransportProblem;

fn model(file: &str) -> SlaterKoster {
    SlaterKoster::read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("inputs/tb")
            .join(file),
    )
    .expect("parameter file")
}

/// Perfect fcc(001) gold, cube axes along x, y, z, one cube across (2 atoms per plane),
/// `planes` planes a/2 apart, between leads continuing its two outer planes on each side.
fn perfect_crystal(m: &SlaterKoster, planes: usize, mesh: KMesh) -> TransportProblem {
    let a = m.params.lattice_constant;
    let mut s = Vec::new();
    for k in 0..planes {
        for (x, y) in [(0.0, 0.0), (0.5, 0.5)] {
            let sh = if k % 2 == 0 { 0.0 } else { 0.5 };
            s.push(Atom {
                species: 0,
                pos: [(x + sh) % 1.0 * a, y * a, k as f64 * 0.5 * a],
            });
        }
    }
    let cell = Supercell::new(vec![[a, 0.0, 0.0], [0.0, a, 0.0]]).unwrap();
    let zmax = (planes - 1) as f64 * 0.5 * a;
    let end = |lo: f64, hi: f64| -> Vec<Atom> {
        s.iter()
            .copied()
            .filter(|x| x.pos[2] > lo && x.pos[2] < hi)
            .collect()
    };
    let l = lead_crystal(&end(-1.0, a - 1.0), 2, -1.0, &cell, 1e-6, "left").unwrap();
    let r = lead_crystal(
        &end(zmax - a + 1.0, zmax + 1.0),
        2,
        1.0,
        &cell,
        1e-6,
        "right",
    )
    .unwrap();
    let l = principal_layer(m, &cell, &l, "left").unwrap();
    let r = principal_layer(m, &cell, &r, "right").unwrap();
    build_supercell_problem(m, &cell, &s, [(&l, [0.0; 3]), (&r, [0.0; 3])], mesh)
        .unwrap()
        .0
}

fn lead_blocks(p: &TransportProblem) -> Vec<(CMat, CMat, f64)> {
    let l = &p.leads[0];
    p.kpoints
        .iter()
        .map(|kp| (l.h00.dense_at_k(kp.k), l.h01.dense_at_k(kp.k), kp.weight))
        .collect()
}

#[test]
fn perfect_periodic_crystal_is_neutral_at_the_band_filling_fermi_level_of_its_k_mesh() {
    let m = model("au_spd.toml");
    let z = m.params.valence_electrons;
    let mesh = |tr| KMesh {
        n: [4, 4],
        time_reversal: tr,
    };
    let half = perfect_crystal(&m, 4, mesh(true));
    let full = perfect_crystal(&m, 4, mesh(false));
    assert_eq!((half.kpoints.len(), full.kpoints.len()), (8, 16));
    let blocks = lead_blocks(&half);
    let per_layer = z * (half.leads[0].n_layer() / ORBITALS) as f64;
    let e_f = lead_fermi_energy_kmesh(&blocks, per_layer, 512).unwrap();
    let atoms: Vec<_> = (0..half.n_s() / ORBITALS)
        .map(|i| ORBITALS * i..ORBITALS * (i + 1))
        .collect();
    let opts = NeutralityOptions::default();
    let zero = vec![0.0; atoms.len()];
    let (q_half, _) = FermiSea::new(&half, e_f, &opts)
        .unwrap()
        .charges(&atoms, &zero)
        .unwrap();
    let (q_full, _) = FermiSea::new(&full, e_f, &opts)
        .unwrap()
        .charges(&atoms, &zero)
        .unwrap();
    for (i, (h, f)) in q_half.iter().zip(&q_full).enumerate() {
        assert!((h - f).abs() < 1e-8, "atom {i}: halved {h}, full {f}");
        assert!(
            (h - z).abs() < 1e-3,
            "atom {i}: {h} electrons, expected {z}"
        );
    }
    // The k-summed lead neutrality at that E_F: one uniform, small shift (every atom of the
    // infinite crystal is equivalent; the smearing of the occupations moves the level a little).
    let layer = half.leads[0].n_layer() / ORBITALS;
    let la: Vec<_> = (0..layer)
        .map(|i| ORBITALS * i..ORBITALS * (i + 1))
        .collect();
    let r = neutral_lead_kmesh(
        &blocks,
        &la,
        &vec![z; layer],
        e_f,
        &LeadNeutralityOptions {
            nq: 32,
            ..Default::default()
        },
    )
    .unwrap();
    let s0 = r.shifts[0];
    assert!(s0.abs() < 0.02, "shift {s0} eV");
    for s in &r.shifts {
        assert!((s - s0).abs() < 1e-6, "shifts {:?}", r.shifts);
    }
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A single-atom gold contact between pyramids on periodic slabs as a data file, and a deck.
fn contact_deck(dir: &Path, model_lines: &str, mesh: usize) -> PathBuf {
    let a = 4.08;
    let c = TipsOnSlabs {
        a,
        cells: 2,
        top: 0,
        base: 1,
        slab_layers: 2,
        gap: a / 2f64.sqrt(),
    }
    .contact()
    .unwrap();
    slab_deck(dir, &c, 196.97, "au_spd.toml", model_lines, mesh)
}

/// The contact `c` (atoms of mass `mass`) as `dir/contact.data` and a transport deck on it with
/// the parameter file `params` of inputs/tb, the extra [model] lines and an n × n k∥ mesh,
/// at E_F.
fn slab_deck(
    dir: &Path,
    c: &SlabContact,
    mass: f64,
    params: &str,
    model_lines: &str,
    mesh: usize,
) -> PathBuf {
    let mut atoms = Atoms::with_types(vec![mass]);
    for (i, p) in c.positions.iter().enumerate() {
        atoms.push_owned(i as u64 + 1, 0, *p, [0.0; 3]);
    }
    let b = [Boundary::Periodic, Boundary::Periodic, Boundary::Fixed];
    write_data(
        &dir.join("contact.data"),
        "contact",
        &SimBox::new(c.lo, c.hi, b),
        &atoms,
    )
    .unwrap();
    let [[l0, l1], [r0, r1]] = c.lead_ranges;
    let params = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("inputs/tb")
        .join(params);
    let deck = dir.join("contact.toml");
    std::fs::write(
        &deck,
        format!(
            "[structure]\ndata = \"contact.data\"\n[model]\nstyle = \"spd\"\nparameters = {:?}\n\
             {model_lines}\n[leads]\nleft = {{ lo = {l0}, hi = {l1} }}\n\
             right = {{ lo = {r0}, hi = {r1} }}\n[kpoints]\nmesh = [{mesh}, {mesh}]\n\
             [energy]\nvalues = [0.0]\n",
            params.display().to_string()
        ),
    )
    .unwrap();
    deck
}

/// Leads along fcc [111] through the `transport DECK` path: two Ag(111) slabs (ABC stacking,
/// each plane shifted across the axis from the one before) in a rectangular 3 × 2 cell, 2 × 2
/// k∥ mesh, without neutrality. With the missing plane filled the structure is the perfect
/// crystal, so T(E_F) equals the leads' open channels at every k point (to 1e-8) and is at
/// least one per k point; with it empty the surfaces are 2a/√3 = 4.72 Å apart, beyond the
/// model's 4.7 Å cutoff, and T = 0 exactly; one atom in a hollow of both surfaces conducts.
#[test]
fn fcc111_slabs_give_integer_transmission_when_filled_and_none_across_the_empty_gap() {
    use nanocontact::build::gap111::Gap111;
    use nanocontact::build::tips::SlabGeometry;
    use nanocontact::commands::farm::{prepare, Selection};
    use nanocontact::transport::{SelfEnergyMethod, Solver};
    let g = Gap111 {
        a: 4.09,
        nx: 3,
        ny: 2,
        slab_planes: 2,
        missing: 1,
    };
    let sites = g.filament_sites().unwrap();
    let mut t = Vec::new();
    for n in [12, 0, 1] {
        let dir = scratch(&format!("spd_fcc111_{n}"));
        let c = g.contact_padded(&sites[..n], 0.0, 0).unwrap();
        let deck = slab_deck(&dir, &c, 107.87, "ag_spd.toml", "species = [\"Ag\"]", 2);
        let p = prepare(&deck, Selection::One).unwrap();
        let snap = p.source.get(0).unwrap();
        let (problem, points) = p.setup.bare_problem(&snap).unwrap();
        assert_eq!(points.len(), 2);
        let solver = Solver::new(problem, SelfEnergyMethod::ModeMatching).unwrap();
        let per_k = solver.transmission_per_k(p.setup.fermi_ev).unwrap();
        if n == 12 {
            for k in &per_k {
                assert!(k.open_l >= 1, "{} open channels", k.open_l);
                assert!(
                    (k.t_lr - k.open_l as f64).abs() < 1e-8,
                    "T {} of {}",
                    k.t_lr,
                    k.open_l
                );
            }
        }
        t.push(solver.average(&per_k).t_lr);
    }
    assert!(t[1].abs() < 1e-12, "empty gap: T = {}", t[1]);
    assert!(t[2] > 0.1 && t[2] < 1.05, "one atom: T = {}", t[2]);
}

#[test]
fn spd_decks_name_the_species_that_do_not_match_the_parameter_file() {
    use nanocontact::commands::farm::{prepare, Selection};
    let dir = scratch("spd_deck_species");
    for (lines, want) in [
        ("species = [\"Ag\"]", "is 'Ag' but"),
        ("", "atom type 1 has no element name"),
    ] {
        let deck = contact_deck(&dir, lines, 1);
        let e = prepare(&deck, Selection::One)
            .err()
            .expect("a bad species must fail")
            .to_string();
        assert!(
            e.contains("model.species") && e.contains(want) && e.contains("contact.toml"),
            "{e}"
        );
    }
}

/// The `transport DECK` path with the spd model and periodic leads: a single-atom gold contact
/// (apex + 4 atoms on each Au(001) slab, 2 × 2 cubes across, apex atoms 2.885 Å apart) on a
/// 2 × 2 k∥ mesh. The leads' band-filling E_F is the bulk one, every atom ends up neutral, and
/// the contact conducts through one eigenchannel, as a metallic single-atom contact does: G
/// between 0.5 G0 (well above tunnelling) and 1.05 G0, the second channel below 0.05. The
/// value itself (0.80 G0 with 3-plane slabs, within 0.01 of the 4 × 4 and 6 × 6 meshes:
/// bench/transport/steps/results/slab_contact_kmesh.csv) lies below the 0.9–1.05 for
/// this apex–apex geometry at the bulk distance; bench/transport/steps/README.md has the
/// compressed and bridged contacts that reach it. (About 30 s; 75 s on a loaded machine.)
#[test]
fn single_atom_gold_contact_on_periodic_slabs_conducts_through_one_channel() {
    use nanocontact::commands::farm::{prepare, Selection};
    use nanocontact::transport::model::bulk_bands::{bulk_fermi_energy, Crystal};
    use nanocontact::transport::{SelfEnergyMethod, Solver};
    let dir = scratch("spd_slab_contact");
    let deck = contact_deck(&dir, "species = [\"Au\"]", 2);
    let p = prepare(&deck, Selection::One).unwrap();
    let m = model("au_spd.toml");
    let bulk = bulk_fermi_energy(&m, &Crystal::fcc(4.08, 0), 11.0, 24).unwrap();
    let e_f = p.setup.fermi_ev;
    assert!((e_f - bulk).abs() < 0.05, "lead E_F {e_f}, bulk {bulk}");
    let snap = p.source.get(0).unwrap();
    let (problem, points) = p.setup.problem(&snap).unwrap();
    assert_eq!(points.len(), 2);
    // Every atom neutral: the k-summed Fermi sea of the shifted problem.
    let atoms: Vec<_> = (0..problem.n_s() / ORBITALS)
        .map(|i| ORBITALS * i..ORBITALS * (i + 1))
        .collect();
    let (q, _) = FermiSea::new(&problem, e_f, &NeutralityOptions::default())
        .unwrap()
        .charges(&atoms, &vec![0.0; atoms.len()])
        .unwrap();
    for (i, n) in q.iter().enumerate() {
        assert!((n - 11.0).abs() < 1e-3, "atom {i}: {n} electrons");
    }
    let solver = Solver::new(problem, SelfEnergyMethod::ModeMatching).unwrap();
    let per_k = solver.transmission_per_k(e_f).unwrap();
    let g = solver.average(&per_k).t_lr;
    assert!(g > 0.5 && g < 1.05, "G = {g} G0");
    for t in &per_k {
        assert!(t.tau[1] < 0.05 && t.tau[0] > 0.5, "tau {:?}", t.tau);
    }
}

/// G/G0 at the leads' E_F, the transmissions per k point and the largest distance between the
/// neck atom (atom 0) and its neighbours, of an EAM-relaxed contact on a 2 × 2 k∥ mesh, through
/// the `transport DECK` path as `bench/transport/steps/slab_contact.rs` runs it.
fn relaxed_contact_conductance(
    name: &str,
    element: &str,
    a: f64,
    mass: f64,
    tips: &TipsOnSlabs,
    neck: &[[f64; 3]],
    stretch: f64,
) -> (f64, Vec<nanocontact::transport::Transmission>, [f64; 3]) {
    use nanocontact::build::relax::relax_contact;
    use nanocontact::commands::farm::{prepare, Selection};
    use nanocontact::dynamics::fire::FireParams;
    use nanocontact::transport::{SelfEnergyMethod, Solver};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let el = element.to_lowercase();
    let spec = format!(
        "eam:{}",
        root.join(format!("inputs/potentials/{element}_u3.eam"))
            .display()
    );
    let params = FireParams {
        ftol: 1e-4,
        etol: 0.0,
        max_steps: 100_000,
        dt: 0.002,
    };
    let r = relax_contact(tips, neck, stretch, 2, &spec, mass, &params).unwrap();
    let c = r.contact;
    let dir = scratch(name);
    let mut atoms = Atoms::with_types(vec![mass]);
    for (i, p) in c.positions.iter().enumerate() {
        atoms.push_owned(i as u64 + 1, 0, *p, [0.0; 3]);
    }
    let b = [Boundary::Periodic, Boundary::Periodic, Boundary::Fixed];
    write_data(
        &dir.join("contact.data"),
        name,
        &SimBox::new(c.lo, c.hi, b),
        &atoms,
    )
    .unwrap();
    let [[l0, l1], [r0, r1]] = c.lead_ranges;
    let deck = dir.join("contact.toml");
    std::fs::write(
        &deck,
        format!(
            "[structure]\ndata = \"contact.data\"\n[model]\nstyle = \"spd\"\nparameters = {:?}\n\
             species = [{element:?}]\n[leads]\nleft = {{ lo = {l0}, hi = {l1} }}\n\
             right = {{ lo = {r0}, hi = {r1} }}\n[kpoints]\nmesh = [2, 2]\n\
             [energy]\nvalues = [0.0]\n",
            root.join(format!("inputs/tb/{el}_spd.toml"))
                .display()
                .to_string()
        ),
    )
    .unwrap();
    // Bond lengths of atom 0 (minimum image across x and y).
    let l = tips.cells as f64 * a;
    let p0 = c.positions[0];
    let mut bonds: Vec<f64> = c.positions[1..]
        .iter()
        .map(|q| {
            (0..3)
                .map(|k| {
                    let x = q[k] - p0[k];
                    let x = if k < 2 { x - l * (x / l).round() } else { x };
                    x * x
                })
                .sum::<f64>()
                .sqrt()
        })
        .filter(|&d| d < 3.4)
        .collect();
    bonds.sort_by(f64::total_cmp);
    let p = prepare(&deck, Selection::One).unwrap();
    let snap = p.source.get(0).unwrap();
    let (problem, _) = p.setup.problem(&snap).unwrap();
    let solver = Solver::new(problem, SelfEnergyMethod::ModeMatching).unwrap();
    let per_k = solver.transmission_per_k(p.setup.fermi_ev).unwrap();
    let g = solver.average(&per_k).t_lr;
    let n = bonds.len() as f64;
    (g, per_k, [n, bonds[0], bonds[bonds.len() - 1]])
}

/// Single-atom contacts relaxed with the EAM potentials (Ag_u3, Au_u3; FIRE, outer slab planes
/// fixed), charge neutral, 2 × 2 k∥ mesh (bench/transport/steps/README.md, "Relaxed contacts";
/// results/slab_contact_relaxed.csv):
/// - silver: one atom bridging two flat 4-atom tops on Ag(001) slabs, the electrodes 0.6 Å
///   closer than the lattice geometry (the separation of least tension before the tops touch):
///   8 bonds of 2.75 Å, G = 0.96 G0 (bench), one dominant channel;
/// - gold: two apex atoms on Au(001) pyramids at the force-free separation (electrodes 1.6 Å
///   closer than the bulk apex distance): apex–apex 2.57 Å, G = 0.93 G0 (bench).
///
/// Both inside the 0.9–1.05 G0. (About 25 s each in release, a minute under load.)
#[test]
#[ignore = "slow (a minute each under load); the shipped-table PTBP contacts guard 1 G0 in CI (tests/transport_ptbp.rs)"]
fn relaxed_single_atom_silver_and_gold_contacts_conduct_one_quantum() {
    let a = 4.09;
    let tips = TipsOnSlabs {
        a,
        cells: 2,
        top: 1,
        base: 1,
        slab_layers: 3,
        gap: a,
    };
    let (g, per_k, [n, lo, hi]) = relaxed_contact_conductance(
        "relaxed_ag_bridge",
        "Ag",
        a,
        107.87,
        &tips,
        &[[0.0, 0.0, 0.5 * a]],
        -0.6,
    );
    assert_eq!(n, 8.0, "bridging atom: {n} bonds");
    assert!(lo > 2.73 && hi < 2.78, "bridging bonds {lo}–{hi} Å");
    assert!((0.9..=1.05).contains(&g), "Ag bridge: G = {g} G0");
    for t in &per_k {
        assert!(
            t.tau[0] > 0.7 && t.tau[1] < 0.2,
            "Ag bridge: tau {:?}",
            t.tau
        );
    }
    let a = 4.08;
    let tips = TipsOnSlabs {
        a,
        cells: 2,
        top: 0,
        base: 1,
        slab_layers: 3,
        gap: a / 2f64.sqrt(),
    };
    let (g, per_k, [n, lo, hi]) =
        relaxed_contact_conductance("relaxed_au_apex", "Au", a, 196.97, &tips, &[], -1.6);
    // The apex: 4 atoms below and the other apex.
    assert_eq!(n, 5.0, "apex: {n} bonds");
    assert!(lo > 2.55 && hi < 2.63, "apex bonds {lo}–{hi} Å");
    assert!((0.9..=1.05).contains(&g), "Au apex: G = {g} G0");
    for t in &per_k {
        assert!(
            t.tau[0] > 0.8 && t.tau[1] < 0.05,
            "Au apex: tau {:?}",
            t.tau
        );
    }
}
