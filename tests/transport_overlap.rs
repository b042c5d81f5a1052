//! Transport in a non-orthogonal basis (overlap S): closed forms of a chain, the two lead
//! self-energy methods, and DFTB Slater–Koster tables through the `transport DECK` path.
//!
//! A chain with on-site ε, hopping t and overlap s between neighbours has the band
//! E(q) = (ε + 2t cos q)/(1 + 2s cos q); at energy E its equations are those of an orthogonal
//! chain of hopping τ(E) = t − E s (E·S − H has −τ off the diagonal), so a site of on-site
//! ε + δ transmits T = 1/(1 + δ²/(4τ² − (E − ε)²)) inside the band (the single-impurity
//! closed form) and nothing outside it.

use std::path::{Path, PathBuf};

use nanocontact::build::gap111::Gap111;
use nanocontact::build::tips::{SlabContact, SlabGeometry};
use nanocontact::commands::farm::{prepare, Selection};
use nanocontact::io::lammps_data::write_data;
use nanocontact::system::{Atoms, Boundary, SimBox};
use nanocontact::transport::dense::{c64, CMat};
use nanocontact::transport::model::band_filling::{lead_fermi_energy, lead_fermi_energy_overlap};
use nanocontact::transport::problem::scattering::Overlap;
use nanocontact::transport::{FourierBlock, Lead, SelfEnergyMethod, Solver, TransportProblem};

const EPS: f64 = 0.3;
const T: f64 = -1.0;
const S: f64 = 0.15;

fn real(n: usize, m: usize, f: impl Fn(usize, usize) -> f64) -> CMat {
    CMat::from_fn(n, m, |i, j| c64(f(i, j), 0.0))
}

/// A chain of `n` sites (site `imp` at ε + δ) between semi-infinite chains, with overlap.
fn chain(n: usize, imp: usize, delta: f64) -> TransportProblem {
    let tri = |diag: &dyn Fn(usize) -> f64, off: f64| {
        real(n, n, move |i, j| {
            if i == j {
                diag(i)
            } else if i.abs_diff(j) == 1 {
                off
            } else {
                0.0
            }
        })
    };
    let h_s = tri(&|i| if i == imp { EPS + delta } else { EPS }, T);
    let s_s = tri(&|_| 1.0, S);
    let end = |row: usize, v: f64| real(n, 1, move |i, _| if i == row { v } else { 0.0 });
    let one = |v: f64| real(1, 1, move |_, _| v);
    let mut p = TransportProblem::from_dense(
        &h_s,
        [
            (&one(EPS), &one(T), &end(0, T)),
            (&one(EPS), &one(T), &end(n - 1, T)),
        ],
    )
    .unwrap();
    let lead = |row: usize| Lead {
        h00: FourierBlock::fixed_dense(&one(1.0)),
        h01: FourierBlock::fixed_dense(&one(S)),
        coupling: FourierBlock::fixed_dense(&end(row, S)),
    };
    p.overlap = Some(Box::new(Overlap {
        s_s: FourierBlock::fixed_dense(&s_s),
        leads: [lead(0), lead(n - 1)],
    }));
    p.validate().unwrap();
    p
}

fn band_edges() -> (f64, f64) {
    let a = (EPS + 2.0 * T) / (1.0 + 2.0 * S);
    let b = (EPS - 2.0 * T) / (1.0 - 2.0 * S);
    (a.min(b), a.max(b))
}

#[test]
fn nonorthogonal_chain_transmits_one_exactly_inside_its_band_and_none_outside() {
    let (lo, hi) = band_edges();
    let solver = Solver::new(chain(6, 0, 0.0), SelfEnergyMethod::ModeMatching).unwrap();
    let ks = solver.at_k(0.0).unwrap();
    for i in 0..40 {
        let e = lo - 1.0 + (hi - lo + 2.0) * (i as f64 + 0.5) / 40.0;
        let t = ks.transmission(e).unwrap();
        let inside = e > lo && e < hi;
        assert_eq!(t.open_l, usize::from(inside), "E = {e}, band [{lo}, {hi}]");
        let want = if inside { 1.0 } else { 0.0 };
        assert!(
            (t.t_lr - want).abs() < 1e-10 && (t.t_rl - want).abs() < 1e-10,
            "E = {e}: T = {}",
            t.t_lr
        );
    }
    // Just inside and outside each closed-form edge.
    for (e, open) in [
        (lo + 1e-6, 1),
        (lo - 1e-6, 0),
        (hi - 1e-6, 1),
        (hi + 1e-6, 0),
    ] {
        assert_eq!(ks.transmission(e).unwrap().open_l, open, "E = {e}");
    }
}

#[test]
fn nonorthogonal_impurity_matches_the_closed_form_with_both_self_energy_methods() {
    let delta = 0.7;
    let (lo, hi) = band_edges();
    let mm = Solver::new(chain(5, 2, delta), SelfEnergyMethod::ModeMatching).unwrap();
    let dec = Solver::new(
        chain(5, 2, delta),
        SelfEnergyMethod::Decimation { eta: 1e-9 },
    )
    .unwrap();
    // Off the exact band centre E = ε, where the decimation of a single chain is 0/0 at
    // small η (its first step divides by iη).
    for i in 1..20 {
        let e = lo + (hi - lo) * (i as f64 - 0.37) / 20.0;
        let tau = T - e * S;
        let want = 1.0 / (1.0 + delta * delta / (4.0 * tau * tau - (e - EPS).powi(2)));
        let t = mm.at_k(0.0).unwrap().transmission(e).unwrap();
        assert!(
            (t.t_lr - want).abs() < 1e-10 && (t.t_rl - want).abs() < 1e-10,
            "E = {e}: T = {}, closed form {want}",
            t.t_lr
        );
        assert!((t.tau[0] - want).abs() < 1e-10);
        let d = dec.at_k(0.0).unwrap().transmission(e).unwrap();
        assert!(
            (d.t_lr - want).abs() < 1e-6,
            "decimation: {} vs {want}",
            d.t_lr
        );
    }
}

#[test]
fn band_filling_solves_the_generalized_eigenproblem() {
    // Half filling puts E_F at q = π/2, where E(q) = ε whatever t and s.
    let one = |v: f64| real(1, 1, move |_, _| v);
    let blocks = [(one(EPS), one(T), 1.0)];
    let overlap = [(one(1.0), one(S))];
    let ef = lead_fermi_energy_overlap(&blocks, Some(&overlap), 1.0, 4000).unwrap();
    assert!((ef - EPS).abs() < 1e-3, "E_F = {ef}");
    // A quarter filling: E_F = E(q = π/4) of the closed-form band; the orthogonal band's
    // differs.
    let c = std::f64::consts::FRAC_1_SQRT_2;
    let want = (EPS + 2.0 * T * c) / (1.0 + 2.0 * S * c);
    let ef = lead_fermi_energy_overlap(&blocks, Some(&overlap), 0.5, 4000).unwrap();
    assert!((ef - want).abs() < 2e-3, "E_F = {ef}, closed form {want}");
    let orth = lead_fermi_energy(&one(EPS), &one(T), 0.5, 4000).unwrap();
    assert!((orth - want).abs() > 0.1);
}

/// Two Ag-like (111) slabs in a 2 × 1 rectangular cell (4 atoms per plane), one plane missing.
fn gap() -> Gap111 {
    Gap111 {
        a: 4.09,
        nx: 2,
        ny: 1,
        slab_planes: 2,
        missing: 1,
    }
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A homonuclear DFTB table "X-X.skf" of smooth made-up integrals: each of the ten H and ten S
/// integrals a·exp(−(r − r0)/λ) (Hartree, Bohr), r0 = 5.46 Bohr (the Ag bond), λ = 0.9 Bohr,
/// with magnitudes and signs like those of a noble metal's tables; on-site levels
/// Ed, Ep, Es = −0.27, −0.03, −0.16 Ha; 11 valence electrons.
fn write_table(dir: &Path) -> PathBuf {
    let h = [
        -0.0116, 0.0040, -0.0004, -0.0298, 0.0081, 0.0478, -0.0127, 0.0183, -0.0437, -0.0313,
    ];
    let s = [
        0.009, -0.003, 0.0002, 0.037, -0.007, -0.136, 0.018, -0.018, 0.073, 0.039,
    ];
    let mut t =
        String::from("0.02, 800\n-0.27 -0.03 -0.16 0.0 0.44 0.24 0.24 10 0 1\n108.0, 19*0.0\n");
    for i in 1..=800 {
        let r = 0.02 * i as f64;
        let f = (-(r - 5.46) / 0.9).exp().min(1e3);
        let row: Vec<String> = h
            .iter()
            .chain(&s)
            .map(|a| format!("{:.12e}", a * f))
            .collect();
        t += &row.join(" ");
        t.push('\n');
    }
    let path = dir.join("X-X.skf");
    std::fs::write(&path, t).unwrap();
    path
}

/// The contour `c` as `dir/gap.data` and a DFTB deck on it (table `table`, truncated at
/// 4.5 Å, 2 × 2 k∥ mesh, energies E_F − 1, E_F, E_F + 0.5 eV; `energy_lines` added to
/// [energy]).
fn write_deck(dir: &Path, table: &Path, c: &SlabContact, energy_lines: &str) -> PathBuf {
    let mut atoms = Atoms::with_types(vec![108.0]);
    for (i, p) in c.positions.iter().enumerate() {
        atoms.push_owned(i as u64 + 1, 0, *p, [0.0; 3]);
    }
    let b = [Boundary::Periodic, Boundary::Periodic, Boundary::Fixed];
    write_data(
        &dir.join("gap.data"),
        "gap",
        &SimBox::new(c.lo, c.hi, b),
        &atoms,
    )
    .unwrap();
    let [[l0, l1], [r0, r1]] = c.lead_ranges;
    let deck = dir.join("gap.toml");
    std::fs::write(
        &deck,
        format!(
            "[structure]\ndata = \"gap.data\"\n[model]\nstyle = \"dftb\"\nparameters = {:?}\n\
             species = [\"X\"]\ncutoff = 4.5\n[leads]\nleft = {{ lo = {l0}, hi = {l1} }}\n\
             right = {{ lo = {r0}, hi = {r1} }}\n[kpoints]\nmesh = [2, 2]\n\
             [energy]\nvalues = [-1.0, 0.0, 0.5]\n{energy_lines}",
            table.display().to_string()
        ),
    )
    .unwrap();
    deck
}

/// Leads along fcc [111] with the non-orthogonal DFTB model through the deck path (H, S and
/// their transverse Fourier sums, lead self-energies at E·S − H, band filling with S), the
/// tables truncated at 4.5 Å (`cutoff`): the refilled gap is the perfect crystal, T = the
/// open channels at every k point and energy; across the empty gap (surfaces 4.72 Å apart)
/// nothing couples and T = 0; one atom in the hollows of both surfaces conducts.
#[test]
fn dftb_tables_through_the_deck_give_integer_transmission_of_the_perfect_crystal() {
    let g = gap();
    let sites = g.filament_sites().unwrap();
    let mut t = Vec::new();
    for n in [sites.len(), 0, 1] {
        let dir = scratch(&format!("dftb_fcc111_{n}"));
        let table = write_table(&dir);
        let c = g.contact_padded(&sites[..n], 0.0, 0).unwrap();
        let deck = write_deck(&dir, &table, &c, "");
        let p = prepare(&deck, Selection::One).unwrap();
        let snap = p.source.get(0).unwrap();
        let (problem, _) = p.setup.bare_problem(&snap).unwrap();
        assert!(problem.overlap.is_some());
        let solver = Solver::new(problem, SelfEnergyMethod::ModeMatching).unwrap();
        let mut at_ef = 0.0;
        for (ie, &e) in p.setup.energies.iter().enumerate() {
            let per_k = solver.transmission_per_k(e).unwrap();
            if n == sites.len() {
                for k in &per_k {
                    assert!(k.open_l >= 1, "E = {e}: {} open channels", k.open_l);
                    assert!(
                        (k.t_lr - k.open_l as f64).abs() < 1e-8,
                        "E = {e}: T {} of {}",
                        k.t_lr,
                        k.open_l
                    );
                }
            }
            if ie == 1 {
                at_ef = solver.average(&per_k).t_lr;
            }
        }
        t.push(at_ef);
    }
    assert!(t[1].abs() < 1e-12, "empty gap: T = {}", t[1]);
    assert!(t[2] > 0.05 && t[2] < 1.05, "one atom: T = {}", t[2]);
}

/// Mulliken charges of the perfect crystal (the refilled (111) gap, synthetic DFTB table) at
/// the band-filling E_F of its lead on the same k∥ mesh: every atom holds its 11 electrons
/// with no shift (the lead cross terms ρ_SL S_LS included), and the neutral problem of the
/// deck path changes no level by more than the band-filling grid's resolution.
#[test]
fn mulliken_charges_of_the_perfect_crystal_are_neutral_at_its_fermi_level() {
    use nanocontact::transport::neutrality::contour::NeutralityOptions;
    use nanocontact::transport::neutrality::mulliken::OverlapSea;
    let g = gap();
    let sites = g.filament_sites().unwrap();
    let dir = scratch("dftb_mulliken_bulk");
    let table = write_table(&dir);
    let c = g.contact_padded(&sites, 0.0, 0).unwrap();
    let deck = write_deck(&dir, &table, &c, "fermi_q_points = 400\n");
    let p = prepare(&deck, Selection::One).unwrap();
    let snap = p.source.get(0).unwrap();
    let (bare, _) = p.setup.bare_problem(&snap).unwrap();
    let atoms: Vec<_> = (0..bare.n_s() / 9).map(|i| 9 * i..9 * i + 9).collect();
    let sea = OverlapSea::new(&bare, p.setup.fermi_ev, &NeutralityOptions::default()).unwrap();
    let (q, _) = sea.charges(&atoms, &vec![0.0; atoms.len()]).unwrap();
    let worst = q.iter().map(|x| (x - 11.0).abs()).fold(0.0, f64::max);
    assert!(worst < 1e-3, "charges {q:?}");
    // One atom in the gap: the deck path's neutral problem (shifts applied as ½ S (δ_i + δ_j))
    // gives every atom its charge when recounted from scratch with no further shift.
    let c = g.contact_padded(&sites[..1], 0.0, 0).unwrap();
    let deck = write_deck(&dir, &table, &c, "fermi_q_points = 400\n");
    let p = prepare(&deck, Selection::One).unwrap();
    let snap = p.source.get(0).unwrap();
    let (neutral, _) = p.setup.problem(&snap).unwrap();
    let (bare, _) = p.setup.bare_problem(&snap).unwrap();
    let atoms: Vec<_> = (0..bare.n_s() / 9).map(|i| 9 * i..9 * i + 9).collect();
    let opts = NeutralityOptions::default();
    let zero = vec![0.0; atoms.len()];
    let before = OverlapSea::new(&bare, p.setup.fermi_ev, &opts)
        .unwrap()
        .charges(&atoms, &zero)
        .unwrap()
        .0;
    let after = OverlapSea::new(&neutral, p.setup.fermi_ev, &opts)
        .unwrap()
        .charges(&atoms, &zero)
        .unwrap()
        .0;
    let off = |q: &[f64]| q.iter().map(|x| (x - 11.0).abs()).fold(0.0, f64::max);
    assert!(
        off(&before) > 1e-2,
        "the bare contact is neutral already: {before:?}"
    );
    assert!(off(&after) < 2e-4, "neutral problem: {after:?}");
}
