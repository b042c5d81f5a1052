//! Transverse-periodic transport (supercell with a 2-D k∥ mesh): a perfect periodic gold slab
//! transmits exactly its open channels at every k; T(k) = T(−k) for a real Hamiltonian and the
//! time-reversal-halved mesh gives the full mesh's average; a 2×1 supercell folds the k-mesh
//! of the 1×1 cell; principal layers are found from the lead crystal; and the Kwant reference
//! `slab_kperp` is rebuilt from site positions with a square-lattice model and agrees per k.

mod common;

use nanocontact::build::OrientedFcc;
use nanocontact::transport::dense::{c64, CMat};
use nanocontact::transport::model::sutton::SuttonSBand;
use nanocontact::transport::model::tight_binding::{Atom, LeadGeometry, TightBinding};
use nanocontact::transport::problem::lead_crystal::{
    lead_crystal, maps_onto_itself, principal_layer,
};
use nanocontact::transport::problem::supercell::{
    build_supercell_problem, monkhorst_pack, KMesh, LeadBlocks, MeshPoint, Supercell,
};
use nanocontact::transport::{SelfEnergyMethod, Solver, TransportProblem};

/// An fcc gold slab: `lateral` oriented cells across, `planes` atomic planes along z.
fn slab(orient: [[i64; 3]; 3], lateral: [usize; 2], planes: usize) -> (Vec<Atom>, Supercell) {
    let fcc = OrientedFcc::new(4.08, orient).unwrap();
    let one: Vec<[f64; 3]> = fcc.sites([1, 1, 1]);
    let mut zs: Vec<f64> = one.iter().map(|x| x[2]).collect();
    zs.sort_by(f64::total_cmp);
    zs.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
    let per = zs.len();
    let nz = planes.div_ceil(per) + 1;
    let spacing = fcc.period(2) / per as f64;
    let atoms: Vec<Atom> = fcc
        .sites([lateral[0], lateral[1], nz])
        .into_iter()
        .filter(|x| x[2] < (planes as f64 - 0.5) * spacing)
        .map(|pos| Atom { species: 0, pos })
        .collect();
    let cell = Supercell::new(vec![
        [lateral[0] as f64 * fcc.period(0), 0.0, 0.0],
        [0.0, lateral[1] as f64 * fcc.period(1), 0.0],
    ])
    .unwrap();
    (atoms, cell)
}

/// Leads continuing the two outermost planes of `s` on each side along z.
fn leads(model: &dyn TightBinding, s: &[Atom], cell: &Supercell) -> [LeadBlocks; 2] {
    let zmin = s.iter().map(|a| a.pos[2]).fold(f64::INFINITY, f64::min);
    let zmax = s.iter().map(|a| a.pos[2]).fold(f64::NEG_INFINITY, f64::max);
    let bottom: Vec<Atom> = s
        .iter()
        .copied()
        .filter(|a| a.pos[2] < zmin + 2.5)
        .collect();
    let top: Vec<Atom> = s
        .iter()
        .copied()
        .filter(|a| a.pos[2] > zmax - 2.5)
        .collect();
    let l = lead_crystal(&bottom, 2, -1.0, cell, 1e-3, "left").unwrap();
    let r = lead_crystal(&top, 2, 1.0, cell, 1e-3, "right").unwrap();
    [
        principal_layer(model, cell, &l, "left").unwrap(),
        principal_layer(model, cell, &r, "right").unwrap(),
    ]
}

fn problem(
    model: &dyn TightBinding,
    s: &[Atom],
    cell: &Supercell,
    mesh: KMesh,
) -> (TransportProblem, Vec<MeshPoint>) {
    let [l, r] = leads(model, s, cell);
    build_supercell_problem(model, cell, s, [(&l, [0.0; 3]), (&r, [0.0; 3])], mesh).unwrap()
}

fn full(n: [usize; 2]) -> KMesh {
    KMesh {
        n,
        time_reversal: false,
    }
}

/// Per-k T_LR at energy `e`.
fn t_per_k(p: &TransportProblem, e: f64) -> Vec<f64> {
    let s = Solver::new(p.clone(), SelfEnergyMethod::ModeMatching).unwrap();
    s.transmission_per_k(e)
        .unwrap()
        .iter()
        .map(|t| t.t_lr)
        .collect()
}

fn average(p: &TransportProblem, e: f64) -> f64 {
    let s = Solver::new(p.clone(), SelfEnergyMethod::ModeMatching).unwrap();
    let per = s.transmission_per_k(e).unwrap();
    s.average(&per).t_lr
}

#[test]
fn perfect_periodic_slab_transmits_its_open_channels_at_every_k() {
    let m = SuttonSBand::gold();
    let cases = [
        ("Au(001) 2x2", [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [2, 2], 5),
        // A 1x1 (111) cell is 2.885 Å wide, under the 3.9 Å cutoff: an atom couples to its own
        // transverse images, and the ABC stacking shifts each plane sideways.
        (
            "Au(111) 1x1",
            [[1, -1, 0], [1, 1, -2], [1, 1, 1]],
            [1, 1],
            6,
        ),
    ];
    for (name, orient, lateral, planes) in cases {
        let (s, cell) = slab(orient, lateral, planes);
        let (p, pts) = problem(&m, &s, &cell, full([4, 3]));
        assert_eq!(pts.len(), 12);
        let solver = Solver::new(p, SelfEnergyMethod::ModeMatching).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for e in [-5.0, -3.1, -1.2, 0.0, 0.7, 2.3] {
            for (mp, t) in pts.iter().zip(solver.transmission_per_k(e).unwrap()) {
                assert_eq!(t.open_l, t.open_r, "{name} E={e} k={:?}", mp.point.k);
                let n = t.open_l as f64;
                assert!(
                    (t.t_lr - n).abs() < 1e-10 && (t.t_rl - n).abs() < 1e-10,
                    "{name} E={e} k={:?}: T = {} (RL {}), open channels {n}",
                    mp.point.k,
                    t.t_lr,
                    t.t_rl
                );
                for tau in &t.tau {
                    assert!((tau - 1.0).abs() < 1e-9, "{name}: tau {tau}");
                }
                seen.insert(t.open_l);
            }
        }
        assert!(seen.len() >= 2, "{name}: channel counts {seen:?}");
    }
}

/// A displaced atom in the middle plane of a 1x1 Au(001) slab (2 atoms per plane), periodic.
fn defect_slab(lateral: [usize; 2]) -> (Vec<Atom>, Supercell) {
    let (mut s, cell) = slab([[1, 0, 0], [0, 1, 0], [0, 0, 1]], lateral, 5);
    let mid = s
        .iter()
        .position(|a| (a.pos[2] - 4.08).abs() < 1e-6 && a.pos[0] < 2.0 && a.pos[1] < 2.0)
        .unwrap();
    for (d, x) in [0.31, 0.17, 0.23].iter().enumerate() {
        s[mid].pos[d] += x;
    }
    (s, cell)
}

#[test]
fn k_mesh_symmetry_and_time_reversal_halving() {
    let m = SuttonSBand::gold();
    let (s, cell) = defect_slab([2, 2]);
    let (pf, full_pts) = problem(&m, &s, &cell, full([4, 4]));
    let (ph, half_pts) = problem(
        &m,
        &s,
        &cell,
        KMesh {
            n: [4, 4],
            time_reversal: true,
        },
    );
    assert!(pf.is_real());
    assert_eq!(half_pts.len(), 8, "4x4 has no self-paired point");
    let w: f64 = half_pts.iter().map(|p| p.point.weight).sum();
    assert!((w - 1.0).abs() < 1e-15);
    for e in [-2.7, -0.4, 1.1] {
        let t = t_per_k(&pf, e);
        // T(k) = T(−k): the partner of index (j1, j2) is (5 − j1, 5 − j2).
        for (a, pa) in full_pts.iter().enumerate() {
            let b = full_pts
                .iter()
                .position(|q| q.index == [5 - pa.index[0], 5 - pa.index[1]])
                .unwrap();
            assert!(
                (t[a] - t[b]).abs() < 1e-10,
                "E={e}: T{:?} = {} but T{:?} = {}",
                pa.index,
                t[a],
                full_pts[b].index,
                t[b]
            );
        }
        assert!(
            t.iter().any(|x| (x - x.round()).abs() > 1e-3),
            "the defect scatters"
        );
        let (a, b) = (average(&pf, e), average(&ph, e));
        assert!((a - b).abs() < 1e-10, "E={e}: full {a} halved {b}");
    }
    // Odd meshes hold k = 0, paired with itself.
    let odd = monkhorst_pack([3, 3], true).unwrap();
    assert_eq!(odd.len(), 5);
    assert!(odd
        .iter()
        .any(|p| p.index == [2, 2] && p.point.weight == 1.0 / 9.0));
}

#[test]
fn supercell_folds_the_k_mesh_of_the_primitive_cell() {
    // T per 1x1 cell on a 4x2 mesh equals half the T of the 2x1 supercell on the folded 2x2
    // mesh: the Bloch phases 2k of the supercell are exactly those of the folded pairs.
    let m = SuttonSBand::gold();
    let (s1, c1) = defect_slab([1, 1]);
    let (s2, c2) = {
        let (base, _) = defect_slab([1, 1]);
        let a = 4.08;
        let mut s: Vec<Atom> = base.clone();
        s.extend(base.iter().map(|x| Atom {
            species: 0,
            pos: [x.pos[0] + a, x.pos[1], x.pos[2]],
        }));
        let mut s_sorted = s;
        s_sorted.sort_by(|p, q| p.pos[2].total_cmp(&q.pos[2]));
        (
            s_sorted,
            Supercell::new(vec![[2.0 * a, 0.0, 0.0], [0.0, a, 0.0]]).unwrap(),
        )
    };
    let (p1, _) = problem(&m, &s1, &c1, full([4, 2]));
    let (p2, _) = problem(&m, &s2, &c2, full([2, 2]));
    for e in [-3.3, -0.8, 0.9] {
        let (a, b) = (average(&p1, e), average(&p2, e));
        assert!(
            (a - 0.5 * b).abs() < 1e-9,
            "E={e}: 1x1 {a}, 2x1 supercell {b} / 2"
        );
        assert!((a - a.round()).abs() > 1e-3, "non-trivial T");
    }
}

#[test]
fn principal_layer_grows_with_the_model_range() {
    // (001) planes are 2.04 Å apart and second neighbours 4.08 Å: with the default tail ending
    // at 3.9 Å one plane is a principal layer; a tail to 5 Å needs two.
    let (s, cell) = slab([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [2, 2], 6);
    let short = SuttonSBand::gold();
    let long = SuttonSBand {
        r_off_ang: 5.0,
        ..SuttonSBand::gold()
    };
    let [l, _] = leads(&short, &s, &cell);
    assert_eq!(l.geometry.layer.len(), 8);
    assert!((l.geometry.period[2] + 2.04).abs() < 1e-9);
    let [l, r] = leads(&long, &s, &cell);
    assert_eq!(l.geometry.layer.len(), 16);
    assert!((r.geometry.period[2] - 4.08).abs() < 1e-9);
    // Still a perfect crystal: integer T with the longer range.
    let (p, pts) = problem(&long, &s, &cell, full([2, 2]));
    let solver = Solver::new(p, SelfEnergyMethod::ModeMatching).unwrap();
    for e in [-4.0, -1.0, 1.5] {
        for (mp, t) in pts.iter().zip(solver.transmission_per_k(e).unwrap()) {
            assert!(
                (t.t_lr - t.open_l as f64).abs() < 1e-10,
                "E={e} k={:?}: T {} channels {}",
                mp.point.k,
                t.t_lr,
                t.open_l
            );
        }
    }
    // A non-crystalline lead region is rejected.
    let mut bad = s.clone();
    bad[0].pos[0] += 0.4;
    let zmin = 0.0;
    let bottom: Vec<Atom> = bad.into_iter().filter(|a| a.pos[2] < zmin + 2.5).collect();
    let err = lead_crystal(&bottom, 2, -1.0, &cell, 1e-3, "left").unwrap_err();
    assert!(err.to_string().contains("crystalline"), "{err}");
}

/// The square-lattice model of the Kwant reference `slab_kperp`: hopping t = −1 eV between
/// sites 1 Å apart, on-site energy by species (0: lead, 1..3: the barrier rows y = 0, 1, 2).
struct SquareBarrier;

const BARRIER: [f64; 4] = [0.0, 0.9, 1.3, 0.6];

impl TightBinding for SquareBarrier {
    fn orbitals(&self, _: usize) -> usize {
        1
    }
    fn onsite(&self, species: usize) -> CMat {
        CMat::from_fn(1, 1, |_, _| c64(BARRIER[species], 0.0))
    }
    fn hopping(&self, _: usize, _: usize, b: [f64; 3]) -> Option<CMat> {
        let r = (b[0] * b[0] + b[1] * b[1] + b[2] * b[2]).sqrt();
        ((r - 1.0).abs() < 1e-9).then(|| CMat::from_fn(1, 1, |_, _| c64(-1.0, 0.0)))
    }
    fn cutoff(&self) -> f64 {
        1.2
    }
}

#[test]
fn kwant_slab_kperp_from_site_positions() {
    let dir = common::reference().join("kwant/slab_kperp");
    let sys: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("system.json")).unwrap()).unwrap();
    let phys = &sys["physics"];
    assert_eq!(phys["transverse_period_sites"], 3);
    let cols: Vec<i64> = phys["barrier_columns_x"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    let v: Vec<f64> = phys["barrier_eV_by_y"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(v, BARRIER[1..].to_vec());
    // Sites in the reference's order (x, then y), species = barrier row or 0.
    let s: Vec<Atom> = sys["scattering_region"]["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|site| {
            let p = &site["pos"];
            let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
            let species = if cols.contains(&(x as i64)) {
                1 + y as usize
            } else {
                0
            };
            Atom {
                species,
                pos: [x, y, 0.0],
            }
        })
        .collect();
    let lead = |i: usize| {
        let l = &sys["leads"][i];
        let d = &l["direction_away_from_S"];
        LeadGeometry {
            layer: l["layer1_sites"]
                .as_array()
                .unwrap()
                .iter()
                .map(|site| Atom {
                    species: 0,
                    pos: [
                        site["pos"][0].as_f64().unwrap(),
                        site["pos"][1].as_f64().unwrap(),
                        0.0,
                    ],
                })
                .collect(),
            period: [d[0].as_f64().unwrap(), d[1].as_f64().unwrap(), 0.0],
        }
    };
    let cell = Supercell::new(vec![[0.0, 3.0, 0.0]]).unwrap();
    let model = SquareBarrier;
    let blocks = [0, 1].map(|i| {
        nanocontact::transport::problem::supercell::lead_blocks(&model, &cell, &lead(i), "lead")
            .unwrap()
    });
    let build = |tr: bool| {
        build_supercell_problem(
            &model,
            &cell,
            &s,
            [(&blocks[0], [0.0; 3]), (&blocks[1], [0.0; 3])],
            KMesh {
                n: [16, 1],
                time_reversal: tr,
            },
        )
        .unwrap()
    };
    let (p, pts) = build(false);
    let (ph, hpts) = build(true);
    assert_eq!(hpts.len(), 8);
    let solver = Solver::new(p, SelfEnergyMethod::ModeMatching).unwrap();
    let half = Solver::new(ph, SelfEnergyMethod::ModeMatching).unwrap();
    // transmission_k.csv: k,E_eV,T,T_RL,open_channels_L,open_channels_R.
    let rows = common::read_csv(&dir.join("transmission_k.csv"));
    let mut worst = 0.0f64;
    let mut checked = 0;
    for r in &rows {
        let ik = pts
            .iter()
            .position(|q| (q.point.k.0[0] - r[0]).abs() < 1e-14)
            .unwrap_or_else(|| panic!("k = {} not on our mesh", r[0]));
        let t = solver
            .at_k(pts[ik].point.k)
            .and_then(|ks| ks.transmission(r[1]))
            .unwrap();
        worst = worst.max((t.t_lr - r[2]).abs()).max((t.t_rl - r[3]).abs());
        assert_eq!(t.open_l as f64, r[4], "k={} E={}", r[0], r[1]);
        assert_eq!(t.open_r as f64, r[5], "k={} E={}", r[0], r[1]);
        checked += 1;
    }
    assert!(worst < 1e-8, "max |T - T_kwant| = {worst:e}");
    // The k-average on the halved mesh against transmission.csv.
    let avg = common::read_csv(&dir.join("transmission.csv"));
    for r in avg.iter().step_by(7) {
        let per = half.transmission_per_k(r[0]).unwrap();
        let a = half.average(&per);
        assert!(
            (a.t_lr - r[1]).abs() < 1e-8 && (a.open_l - r[3]).abs() < 1e-12,
            "E={}: <T> {} vs {}, <open> {} vs {}",
            r[0],
            a.t_lr,
            r[1],
            a.open_l,
            r[3]
        );
    }
    println!("slab_kperp from positions: {checked} (k, E) points, max |dT| = {worst:.2e}");
}

#[test]
fn fermi_energy_of_a_periodic_lead_matches_the_bulk_band() {
    // Half filling (one 6s electron per atom) of the fcc nearest-neighbour s band
    // E(k) = 4t [cos(k_x a/2) cos(k_y a/2) + cos(k_y a/2) cos(k_z a/2) + cos(k_z a/2) cos(k_x a/2)],
    // t the Sutton hopping at a/√2, sampled here on a uniform grid of the conventional cube
    // (four Brillouin zones); against the band filling of an Au(001) lead in a 1x1 cell
    // (2 atoms per plane) over a 32x32 k∥ mesh and 96 q-points. Both samplings are converged
    // to about 0.01 eV (the bulk median moves by 0.011 eV between 48³ and 64³ points).
    use nanocontact::transport::model::band_filling::lead_fermi_energy_kmesh;
    let m = SuttonSBand::gold();
    let a: f64 = 4.08;
    let t = m.hopping_ev(a / 2f64.sqrt());
    let n = 48;
    let mut e = Vec::with_capacity(n * n * n);
    let c = |i: usize| ((i as f64 + 0.5) / n as f64 * 2.0 * std::f64::consts::PI).cos();
    for i in 0..n {
        for j in 0..n {
            for l in 0..n {
                e.push(4.0 * t * (c(i) * c(j) + c(j) * c(l) + c(l) * c(i)));
            }
        }
    }
    e.sort_by(f64::total_cmp);
    let bulk = 0.5 * (e[e.len() / 2 - 1] + e[e.len() / 2]);
    let (s, cell) = slab([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 1], 4);
    let [lead, _] = leads(&m, &s, &cell);
    let blocks = lead.at_points(&monkhorst_pack([32, 32], false).unwrap());
    let ef = lead_fermi_energy_kmesh(&blocks, lead.geometry.layer.len() as f64, 96).unwrap();
    println!("E_F: lead {ef:.4} eV, bulk band {bulk:.4} eV (t = {t:.4} eV)");
    assert!((ef - bulk).abs() < 0.03, "lead {ef} vs bulk {bulk}");
}

/// The stacking translation of a lead is defined up to a lattice translation of its planes: a
/// frame whose atoms are wrapped or ordered differently may find another representative, and it
/// must still be recognised as the same lead (a moving rigid lead of an MD run is re-wrapped at
/// every re-neighbouring).
#[test]
fn stacking_translations_compare_modulo_the_plane_lattice() {
    let (s, cell) = slab([[1, -1, 0], [1, 1, -2], [1, 1, 1]], [3, 2], 4);
    let lead = |atoms: &[Atom]| lead_crystal(atoms, 2, -1.0, &cell, 1e-3, "left").unwrap();
    let a = lead(&s);
    // The same atoms, reversed and with those in the upper half of x wrapped by −L_x.
    let lx = 3.0 * 4.08 / 2f64.sqrt();
    let wrapped: Vec<Atom> = s
        .iter()
        .rev()
        .map(|x| Atom {
            species: x.species,
            pos: if x.pos[0] > 0.5 * lx {
                [x.pos[0] - lx, x.pos[1], x.pos[2]]
            } else {
                x.pos
            },
        })
        .collect();
    let b = lead(&wrapped);
    let diff = [0, 1, 2].map(|d| b.step[d] - a.step[d]);
    assert!(
        maps_onto_itself(&a.plane, diff, &cell, 1e-3),
        "{:?} vs {:?}",
        a.step,
        b.step
    );
    // A nearest-neighbour vector of the (111) plane is a lattice translation; the in-plane part
    // of the stacking translation (to the next plane's hollow sites) is not.
    let nn = 4.08 / 2f64.sqrt();
    assert!(maps_onto_itself(&a.plane, [nn, 0.0, 0.0], &cell, 1e-3));
    assert!(!maps_onto_itself(
        &a.plane,
        [a.step[0], a.step[1], 0.0],
        &cell,
        1e-3
    ));
}
