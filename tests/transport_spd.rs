//! The Slater–Koster spd model of gold and silver (`inputs/tb/au_spd.toml`, `ag_spd.toml`):
//! the two-centre blocks against the symmetry they must have (bond reversal, rotations, the
//! bond frame), the bulk bands against closed forms at Γ and X derived by hand from the
//! Slater–Koster table, the Fermi level of eleven electrons, and transport through perfect
//! wires and monatomic chains.

use std::path::Path;

use nalgebra::{DMatrix, Matrix3, Rotation3, Unit, Vector3};
use nanocontact::build::tips::TipPair;
use nanocontact::transport::model::band_filling::lead_fermi_energy;
use nanocontact::transport::model::bulk_bands::{bulk_fermi_energy, BulkBands, Crystal};
use nanocontact::transport::model::slater_koster::{
    sk_block, BondIntegrals, SlaterKoster, ORBITALS,
};
use nanocontact::transport::model::tight_binding::{Atom, LeadGeometry};
use nanocontact::transport::neutrality::charge_neutrality::{
    neutral_problem, shifted, shifted_lead, FermiSea, LeadNeutralityOptions,
};
use nanocontact::transport::neutrality::contour::NeutralityOptions;
use nanocontact::transport::problem::supercell::build_problem;
use nanocontact::transport::{SelfEnergyMethod, Solver, TransportProblem};

fn model(file: &str) -> SlaterKoster {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("inputs/tb")
        .join(file);
    SlaterKoster::read(&path).expect("parameter file")
}

fn atoms(p: &[[f64; 3]]) -> Vec<Atom> {
    p.iter().map(|&pos| Atom { species: 0, pos }).collect()
}

/// A deterministic stream of numbers in (−1, 1).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }
    fn unit(&mut self) -> [f64; 3] {
        loop {
            let v = [self.next(), self.next(), self.next()];
            let r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
            if r > 0.2 && r < 1.0 {
                return [v[0] / r, v[1] / r, v[2] / r];
            }
        }
    }
    fn integrals(&mut self) -> BondIntegrals {
        BondIntegrals {
            sss: self.next(),
            sps: self.next(),
            pps: self.next(),
            ppp: self.next(),
            sds: self.next(),
            pds: self.next(),
            pdp: self.next(),
            dds: self.next(),
            ddp: self.next(),
            ddd: self.next(),
        }
    }
}

const L: [u32; ORBITALS] = [0, 1, 1, 1, 2, 2, 2, 2, 2];

#[test]
fn slater_koster_block_along_z_is_diagonal_in_the_bond_frame() {
    let v = Lcg(7).integrals();
    let e = sk_block([0.0, 0.0, 1.0], &v);
    // Orbitals: s, x, y, z, xy, yz, zx, x²−y², 3z²−r². Along z: σ pairs (s, z, 3z²−r²),
    // π pairs (x, zx), (y, yz), δ pairs xy, x²−y².
    let mut want = [[0.0; ORBITALS]; ORBITALS];
    let mut set = |a: usize, b: usize, x: f64| {
        want[a][b] = x;
        want[b][a] = if (L[a] + L[b]).is_multiple_of(2) {
            x
        } else {
            -x
        };
    };
    set(0, 0, v.sss);
    set(0, 3, v.sps);
    set(0, 8, v.sds);
    set(3, 3, v.pps);
    set(1, 1, v.ppp);
    set(2, 2, v.ppp);
    set(3, 8, v.pds);
    set(1, 6, v.pdp);
    set(2, 5, v.pdp);
    set(8, 8, v.dds);
    set(5, 5, v.ddp);
    set(6, 6, v.ddp);
    set(4, 4, v.ddd);
    set(7, 7, v.ddd);
    for a in 0..ORBITALS {
        for b in 0..ORBITALS {
            assert!(
                (e[a][b] - want[a][b]).abs() < 1e-14,
                "({a},{b}): {} vs {}",
                e[a][b],
                want[a][b]
            );
        }
    }
}

#[test]
fn slater_koster_block_of_the_reversed_bond_is_the_transpose_with_parity_signs() {
    let mut rng = Lcg(11);
    for _ in 0..50 {
        let (u, v) = (rng.unit(), rng.integrals());
        let e = sk_block(u, &v);
        let r = sk_block([-u[0], -u[1], -u[2]], &v);
        for a in 0..ORBITALS {
            for b in 0..ORBITALS {
                // H is real symmetric: ⟨β, j|H|α, i⟩ = ⟨α, i|H|β, j⟩, i.e. E(−R) = E(R)ᵀ;
                // and the orbitals have parity (−1)^l: E(−R) = (−1)^{l_α+l_β} E(R).
                assert!((r[a][b] - e[b][a]).abs() < 1e-13, "transpose ({a},{b})");
                let sign = if (L[a] + L[b]).is_multiple_of(2) {
                    1.0
                } else {
                    -1.0
                };
                assert!((r[a][b] - sign * e[a][b]).abs() < 1e-13, "parity ({a},{b})");
            }
        }
    }
}

/// The d angular functions in the orbital order: √3xy, √3yz, √3zx, (√3/2)(x²−y²), z²−(x²+y²)/2.
fn d_functions(r: [f64; 3]) -> [f64; 5] {
    let [x, y, z] = r;
    let s3 = 3f64.sqrt();
    [
        s3 * x * y,
        s3 * y * z,
        s3 * z * x,
        0.5 * s3 * (x * x - y * y),
        z * z - 0.5 * (x * x + y * y),
    ]
}

/// The 9 × 9 representation D of a rotation Q on the orbitals: φ_α(Q r) = Σ D_αα′ φ_α′(r).
fn orbital_rotation(q: &Matrix3<f64>, rng: &mut Lcg) -> DMatrix<f64> {
    let pts: Vec<[f64; 3]> = (0..12).map(|_| rng.unit()).collect();
    let f = DMatrix::from_fn(pts.len(), 5, |k, a| d_functions(pts[k])[a]);
    let g = DMatrix::from_fn(pts.len(), 5, |k, a| {
        let r = q * Vector3::from(pts[k]);
        d_functions([r[0], r[1], r[2]])[a]
    });
    let dt = f.svd(true, true).solve(&g, 1e-12).expect("least squares");
    let mut d = DMatrix::zeros(ORBITALS, ORBITALS);
    d[(0, 0)] = 1.0;
    for i in 0..3 {
        for j in 0..3 {
            d[(1 + i, 1 + j)] = q[(i, j)];
        }
    }
    for a in 0..5 {
        for b in 0..5 {
            d[(4 + a, 4 + b)] = dt[(b, a)];
        }
    }
    d
}

#[test]
fn slater_koster_blocks_rotate_with_the_orbitals() {
    let mut rng = Lcg(3);
    for _ in 0..30 {
        let axis = Unit::new_normalize(Vector3::from(rng.unit()));
        let q = *Rotation3::from_axis_angle(&axis, 3.0 * rng.next()).matrix();
        let d = orbital_rotation(&q, &mut rng);
        // D is orthogonal (the orbitals are orthonormal angular functions).
        assert!((&d * d.transpose() - DMatrix::identity(ORBITALS, ORBITALS)).norm() < 1e-10);
        let (u, v) = (rng.unit(), rng.integrals());
        let qu = q * Vector3::from(u);
        let e = DMatrix::from_fn(ORBITALS, ORBITALS, |a, b| sk_block(u, &v)[a][b]);
        let eq = DMatrix::from_fn(ORBITALS, ORBITALS, |a, b| {
            sk_block([qu[0], qu[1], qu[2]], &v)[a][b]
        });
        // E(QR) = D E(R) Dᵀ.
        let err = (&eq - &d * &e * d.transpose()).amax();
        assert!(err < 1e-10, "rotation covariance violated by {err}");
    }
}

#[test]
fn spd_hamiltonian_of_a_tip_contact_is_hermitian() {
    let m = model("au_spd.toml");
    let tips = TipPair {
        a: 4.08,
        top: 0,
        base: 2,
        gap: 2.7,
        buffer: 0,
    };
    let c = tips.contact().unwrap();
    let leads = c.leads.clone().map(|l| LeadGeometry {
        layer: atoms(&l.layer),
        period: l.period,
    });
    // Perturb the positions so that no bond is along a symmetry direction.
    let mut rng = Lcg(5);
    let s: Vec<[f64; 3]> = c
        .scattering
        .iter()
        .map(|p| {
            [
                p[0] + 0.1 * rng.next(),
                p[1] + 0.1 * rng.next(),
                p[2] + 0.1 * rng.next(),
            ]
        })
        .collect();
    let p = build_problem(&m, &atoms(&s), [&leads[0], &leads[1]]).unwrap();
    let h = p.h_s.dense_at_k(0.0);
    assert_eq!(h.nrows(), 9 * s.len());
    let mut worst = 0.0f64;
    let mut largest = 0.0f64;
    for i in 0..h.nrows() {
        for j in 0..h.ncols() {
            worst = worst.max((h[(i, j)] - h[(j, i)].conj()).norm());
            largest = largest.max(h[(i, j)].norm());
            assert_eq!(h[(i, j)].im, 0.0);
        }
    }
    assert!(worst < 1e-14 * largest, "H_S − H_S† = {worst}");
    let h00 = p.leads[0].h00.dense_at_k(0.0);
    for i in 0..h00.nrows() {
        for j in 0..h00.ncols() {
            assert!((h00[(i, j)] - h00[(j, i)].conj()).norm() < 1e-14 * largest);
        }
    }
}

/// Closed forms at Γ and X = (2π/a)(0, 0, 1) of the fcc spd model with first (1) and second
/// (2) neighbours, summed by hand over the shells from the Slater–Koster table (the bands
/// fall apart by symmetry there, except one s–(3z²−r²) pair at X).
fn closed_forms(m: &SlaterKoster) -> (Vec<f64>, Vec<f64>) {
    let p = &m.params;
    let [es, ep, et, ee] = p.onsite;
    let (a, b) = (&p.first, &p.second);
    let mut gamma = vec![es + 12.0 * a.sss + 6.0 * b.sss];
    gamma.extend([ep + 4.0 * a.pps + 8.0 * a.ppp + 2.0 * b.pps + 4.0 * b.ppp; 3]);
    gamma.extend([et + 3.0 * a.dds + 4.0 * a.ddp + 5.0 * a.ddd + 4.0 * b.ddp + 2.0 * b.ddd; 3]);
    gamma.extend([ee + 1.5 * a.dds + 6.0 * a.ddp + 4.5 * a.ddd + 3.0 * b.dds + 3.0 * b.ddd; 2]);
    let mut x = Vec::new();
    x.extend([et - 3.0 * a.dds - a.ddd + 4.0 * b.ddp + 2.0 * b.ddd; 2]); // zx, yz
    x.push(et + 3.0 * a.dds - 4.0 * a.ddp - 3.0 * a.ddd + 4.0 * b.ddp + 2.0 * b.ddd); // xy
    x.push(ee - 1.5 * a.dds + 2.0 * a.ddp - 4.5 * a.ddd + 3.0 * b.dds + 3.0 * b.ddd); // x²−y²
    x.push(ep - 4.0 * a.pps + 2.0 * b.pps + 4.0 * b.ppp); // z
    x.extend([ep - 4.0 * a.ppp + 2.0 * b.pps + 4.0 * b.ppp; 2]); // x, y
    let hss = es - 4.0 * a.sss + 6.0 * b.sss;
    let hzz = ee + 0.5 * a.dds - 6.0 * a.ddp + 1.5 * a.ddd + 3.0 * b.dds + 3.0 * b.ddd;
    let hsz = -4.0 * a.sds;
    let (mid, half) = (
        0.5 * (hss + hzz),
        (0.25 * (hss - hzz).powi(2) + hsz * hsz).sqrt(),
    );
    x.extend([mid - half, mid + half]);
    gamma.sort_by(f64::total_cmp);
    x.sort_by(f64::total_cmp);
    (gamma, x)
}

#[test]
fn bulk_bands_at_gamma_and_x_match_the_closed_forms() {
    for (file, a) in [("au_spd.toml", 4.08), ("ag_spd.toml", 4.09)] {
        let m = model(file);
        let bands = BulkBands::new(&m, &Crystal::fcc(a, 0));
        let (gamma, x) = closed_forms(&m);
        let tp = 2.0 * std::f64::consts::PI / a;
        for (k, want) in [([0.0, 0.0, 0.0], gamma), ([0.0, 0.0, tp], x)] {
            let got = bands.energies(k).unwrap();
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() < 1e-10,
                    "{file} k = {k:?}: {got:?} vs {want:?}"
                );
            }
        }
        // Cubic symmetry: X along x, y and z are equivalent.
        let ex = bands.energies([tp, 0.0, 0.0]).unwrap();
        let ez = bands.energies([0.0, 0.0, tp]).unwrap();
        for (p, q) in ex.iter().zip(&ez) {
            assert!((p - q).abs() < 1e-10);
        }
    }
}

#[test]
fn eleven_electrons_fill_the_d_bands_and_half_the_sp_band() {
    for (file, a, d_below) in [("au_spd.toml", 4.08, 1.0), ("ag_spd.toml", 4.09, 2.5)] {
        let m = model(file);
        let c = Crystal::fcc(a, 0);
        let ef = bulk_fermi_energy(&m, &c, m.params.valence_electrons, 24).unwrap();
        let coarse = bulk_fermi_energy(&m, &c, m.params.valence_electrons, 16).unwrap();
        assert!(
            (ef - coarse).abs() < 0.05,
            "{file}: E_F {ef} vs {coarse} on 16³"
        );
        let bands = BulkBands::new(&m, &c);
        let tp = 2.0 * std::f64::consts::PI / a;
        let below = |k: [f64; 3]| {
            bands
                .energies(k)
                .unwrap()
                .iter()
                .filter(|&&e| e < ef)
                .count()
        };
        // The noble-metal Fermi surface: the sp band crosses E_F between Γ and X (X4′ empty),
        // not between Γ and L (the necks: L2′ filled); Γ1 and the five d bands are filled.
        assert_eq!(below([0.0, 0.0, 0.0]), 6, "{file} at Γ");
        assert_eq!(below([0.0, 0.0, tp]), 5, "{file} at X");
        assert_eq!(below([0.5 * tp, 0.5 * tp, 0.5 * tp]), 6, "{file} at L");
        // The top of the d bands (X5) lies well below E_F: gold's about 1.5–2 eV, silver's
        // 3–4 eV (photoemission puts them near 2 and 4 eV).
        let x5 = bands.energies([0.0, 0.0, tp]).unwrap()[4];
        assert!(ef - x5 > d_below, "{file}: d-band top {x5}, E_F {ef}");
    }
}

fn transmission(p: &TransportProblem, e: f64) -> nanocontact::transport::Transmission {
    Solver::new(p.clone(), SelfEnergyMethod::ModeMatching)
        .and_then(|s| s.at_k(0.0)?.transmission(e))
        .expect("transmission")
}

/// A perfect (001) wire of the cross-section of a pyramid base of layer `base` (cube edge a):
/// S = two principal layers, the leads the same wire on both sides.
fn perfect_wire(m: &SlaterKoster, a: f64, base: usize) -> TransportProblem {
    let tips = TipPair {
        a,
        top: 0,
        base,
        gap: 10.0,
        buffer: 0,
    };
    let layer = tips.contact().unwrap().leads[0].layer.clone();
    let z0 = layer.iter().map(|p| p[2]).fold(f64::INFINITY, f64::min);
    let shift = |k: f64| -> Vec<[f64; 3]> {
        layer
            .iter()
            .map(|p| [p[0], p[1], p[2] - z0 + k * a])
            .collect()
    };
    let mut s = shift(0.0);
    s.extend(shift(1.0));
    let left = LeadGeometry {
        layer: atoms(&shift(-1.0)),
        period: [0.0, 0.0, -a],
    };
    let right = LeadGeometry {
        layer: atoms(&shift(2.0)),
        period: [0.0, 0.0, a],
    };
    build_problem(m, &atoms(&s), [&left, &right]).unwrap()
}

#[test]
fn perfect_spd_wire_transmits_its_open_channels() {
    // The 9 + 4 atoms cross-section.
    let p = perfect_wire(&model("au_spd.toml"), 4.08, 2);
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..12 {
        let e = 2.0 + 0.83 * i as f64;
        let t = transmission(&p, e);
        assert_eq!(t.open_l, t.open_r);
        seen.insert(t.open_l);
        assert!(
            (t.t_lr - t.open_l as f64).abs() < 1e-10 && (t.t_rl - t.open_l as f64).abs() < 1e-10,
            "E = {e}: T = {} / {}, {} open channels",
            t.t_lr,
            t.t_rl,
            t.open_l
        );
    }
    assert!(seen.len() > 3, "channel counts {seen:?}");
}

#[test]
fn monatomic_chains_conduct_one_quantum_at_their_fermi_level() {
    for (file, a) in [("au_spd.toml", 4.08), ("ag_spd.toml", 4.09)] {
        let m = model(file);
        let ef_bulk =
            bulk_fermi_energy(&m, &Crystal::fcc(a, 0), m.params.valence_electrons, 16).unwrap();
        for d in [2.5, 2.6, 2.75, 2.9] {
            let chain: Vec<[f64; 3]> = (0..4).map(|i| [0.0, 0.0, i as f64 * d]).collect();
            let left = LeadGeometry {
                layer: atoms(&[[0.0, 0.0, -d]]),
                period: [0.0, 0.0, -d],
            };
            let right = LeadGeometry {
                layer: atoms(&[[0.0, 0.0, 4.0 * d]]),
                period: [0.0, 0.0, d],
            };
            let p = build_problem(&m, &atoms(&chain), [&left, &right]).unwrap();
            let l = &p.leads[1];
            let ef = lead_fermi_energy(
                &l.h00.dense_at_k(0.0),
                &l.h01.dense_at_k(0.0),
                m.params.valence_electrons,
                400,
            )
            .unwrap();
            // All d bands filled, the s band half filled: one channel, perfectly transmitted.
            let t = transmission(&p, ef);
            assert_eq!(t.open_l, 1, "{file} d = {d}: E_F = {ef}");
            assert!(
                t.t_lr > 0.9 && t.t_lr < 1.05,
                "{file} d = {d}: G = {} G0",
                t.t_lr
            );
            // Between bulk electrodes the chain's Fermi level is the bulk one; made neutral
            // there (a uniform shift of the chain's levels) it still has one open channel.
            let n = neutral_problem(
                &p,
                9,
                m.params.valence_electrons,
                ef_bulk,
                &LeadNeutralityOptions::default(),
                &NeutralityOptions::default(),
            )
            .unwrap();
            let t = transmission(&n.problem, ef_bulk);
            assert_eq!(t.open_l, 1, "{file} d = {d}: neutral chain");
            assert!(
                t.t_lr > 0.9 && t.t_lr < 1.05,
                "{file} d = {d}: neutral chain G = {} G0, shift {:?}",
                t.t_lr,
                n.lead_shifts[0]
            );
        }
    }
}

#[test]
fn neutral_wire_charges_agree_between_band_filling_and_the_fermi_sea_contour() {
    for (file, a) in [("au_spd.toml", 4.08), ("ag_spd.toml", 4.09)] {
        let m = model(file);
        let z = m.params.valence_electrons;
        let ef = bulk_fermi_energy(&m, &Crystal::fcc(a, 0), z, 16).unwrap();
        // The 4 + 1 atoms wire: its own band filling puts E_F eV away from the bulk one, so its
        // atoms need shifts (the four-fold coordinated more than the chain-like one).
        let p = perfect_wire(&m, a, 1);
        let n = neutral_problem(
            &p,
            9,
            z,
            ef,
            &LeadNeutralityOptions::default(),
            &NeutralityOptions::default(),
        )
        .unwrap();
        let lead = &n.lead_shifts[0];
        assert_eq!(lead.len(), 5);
        assert_eq!(n.shifts.len(), 10);
        // Band filling (Fermi–Dirac, kT = 0.1 eV) and the Green's-function contour (T = 0) give
        // the same charges: applying the lead's shifts to S leaves S nearly neutral already ...
        let ranges: Vec<_> = (0..10).map(|i| 9 * i..9 * i + 9).collect();
        let mut q = shifted_lead(&p, 0, &ranges[..5], lead);
        q = shifted_lead(&q, 1, &ranges[..5], &n.lead_shifts[1]);
        let s_shifts: Vec<f64> = (0..10).map(|i| lead[i % 5]).collect();
        let q = shifted(&q, &ranges, &s_shifts);
        let sea = FermiSea::new(&q, ef, &NeutralityOptions::default()).unwrap();
        let (charges, _) = sea.charges(&ranges, &[0.0; 10]).unwrap();
        for c in &charges {
            assert!((c - z).abs() < 0.02, "{file}: contour charges {charges:?}");
        }
        // ... and the neutral S continues the leads: shifts as the lead's, T an integer.
        for (i, d) in n.shifts.iter().enumerate() {
            assert!(
                (d - lead[i % 5]).abs() < 0.05,
                "{file}: {:?} vs {lead:?}",
                n.shifts
            );
        }
        let t = transmission(&n.problem, ef);
        assert!(t.open_l >= 1);
        assert!(
            (t.t_lr - t.open_l as f64).abs() < 1e-3,
            "{file}: T = {} with {} channels",
            t.t_lr,
            t.open_l
        );
    }
}

/// Slow (8 minutes on the 2-core machine; the neutrality of 110 atoms and 41-atom lead layers):
/// `cargo test --release --test transport_spd -- --ignored`.
///
/// Two fcc(001) gold pyramids (layers of 1, 4, 9, 16, 25 atoms, a = 4.08 Å) with their apex
/// atoms 2.885 Å apart (the bulk nearest-neighbour distance) on wire leads of the 25 + 16 atom
/// base cross-section; leads and tips locally charge neutral at the bulk E_F. Thinner wire leads
/// (16 + 9 atoms and less) have too few channels: their subband edges put dips into T(E) near
/// E_F (see bench/transport/steps/README.md).
#[test]
#[ignore = "slow (8 min on 2 cores); the shipped-table PTBP contacts guard 1 G0 in CI (tests/transport_ptbp.rs)"]
fn single_atom_gold_contact_between_pyramids_conducts_one_quantum() {
    let m = model("au_spd.toml");
    let a = 4.08;
    let z = m.params.valence_electrons;
    let ef = bulk_fermi_energy(&m, &Crystal::fcc(a, 0), z, 24).unwrap();
    let tips = TipPair {
        a,
        top: 0,
        base: 4,
        gap: a / 2f64.sqrt(),
        buffer: 0,
    };
    let c = tips.contact().unwrap();
    let leads = c.leads.clone().map(|l| LeadGeometry {
        layer: atoms(&l.layer),
        period: l.period,
    });
    let p = build_problem(&m, &atoms(&c.scattering), [&leads[0], &leads[1]]).unwrap();
    let n = neutral_problem(
        &p,
        9,
        z,
        ef,
        &LeadNeutralityOptions::default(),
        &NeutralityOptions::default(),
    )
    .unwrap();
    let t = transmission(&n.problem, ef);
    assert!(
        t.t_lr > 0.9 && t.t_lr < 1.05,
        "G = {} G0, tau {:?}",
        t.t_lr,
        t.tau
    );
    // One open eigenchannel (the apex s–d_z² channel).
    assert!(t.tau[0] > 0.9 && t.tau[1] < 0.05, "tau {:?}", t.tau);
}
