//! Surface energies of an EAM potential from slabs: γ = (E_slab − N·E_bulk)/(2A), the excess
//! energy of a slab of N atoms with two free faces of area A over the same atoms in the perfect
//! crystal, unrelaxed (bulk positions) and relaxed (FIRE to a force tolerance), for the (111),
//! (100) and (110) faces of an fcc crystal. Foiles, Baskes and Daw (Phys. Rev. B 33, 7983 (1986))
//! give these for their functions (Au_u3 among them); the gold rheology paper (seed 000) uses
//! γ ≈ 0.9 J/m² "of the force field" in its intrinsic tension F_i = 2πγR.
//!
//! The bulk reference is the cohesive energy per atom E_bulk at the lattice constant a: given,
//! or the minimum of E_bulk(a) (a scan from 2.5 to 7 Å in 0.02 Å steps, then a golden-section
//! search to 1e-7 Å). Slabs are periodic in x and y, free along z with vacuum, and 12 (111),
//! 12 (100) or 24 (110) planes thick: the faces (2–3 planes deep for the 5.55 Å cutoff of Au_u3)
//! do not see each other.

use serde_json::json;

use crate::build::OrientedFcc;
use crate::dynamics::fire::{self, FireParams, FireResult};
use crate::dynamics::Md;
use crate::error::{Error, Result};
use crate::parallel::World;
use crate::potential;
use crate::system::{Atoms, Boundary, Groups, SimBox};
use crate::units::EV_PER_A2_IN_J_PER_M2;

/// A low-index face of an fcc crystal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facet {
    F111,
    F100,
    F110,
}

impl Facet {
    /// The three faces, close-packed first.
    pub const ALL: [Facet; 3] = [Facet::F111, Facet::F100, Facet::F110];

    /// Miller indices as text.
    pub fn name(self) -> &'static str {
        match self {
            Facet::F111 => "111",
            Facet::F100 => "100",
            Facet::F110 => "110",
        }
    }

    /// Box axes x, y, z (z along the face normal).
    fn orient(self) -> [[i64; 3]; 3] {
        match self {
            Facet::F111 => [[1, -1, 0], [1, 1, -2], [1, 1, 1]],
            Facet::F100 => [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
            Facet::F110 => [[0, 0, 1], [1, -1, 0], [1, 1, 0]],
        }
    }

    /// Repeats of the oriented cell: lateral sides of 11.5–15 Å (for a ≈ 4 Å), 12 (111), 12
    /// (100) or 24 (110) planes.
    fn cells(self) -> [usize; 3] {
        match self {
            Facet::F111 => [4, 3, 4],
            Facet::F100 => [3, 3, 6],
            Facet::F110 => [3, 4, 12],
        }
    }
}

/// Vacuum beyond each face, Å.
const VACUUM_A: f64 = 10.0;
/// Neighbour skin of the evaluations, Å.
const SKIN_A: f64 = 1.0;

/// The bulk reference.
#[derive(Clone, Copy, Debug)]
pub struct BulkReference {
    /// Lattice constant, Å.
    pub a: f64,
    /// Energy per atom of the perfect crystal, eV.
    pub e_per_atom_ev: f64,
    /// Whether `a` minimises the energy (else it was given).
    pub minimised: bool,
}

/// One slab.
#[derive(Clone, Copy, Debug)]
pub struct SlabEnergy {
    pub facet: Facet,
    pub natoms: usize,
    /// Area of one face, Å².
    pub area_a2: f64,
    pub e_unrelaxed_ev: f64,
    pub e_relaxed_ev: f64,
    /// γ with bulk positions, J/m².
    pub gamma_unrelaxed_j_m2: f64,
    /// γ after relaxation, J/m².
    pub gamma_relaxed_j_m2: f64,
    /// The relaxation.
    pub fire: FireResult,
}

/// An MD state of the atoms at `sites` in a box of lengths `len` (plus vacuum along z when
/// `free_z`), forces computed.
fn state(
    spec: &str,
    elements: &[String],
    sites: &[[f64; 3]],
    len: [f64; 3],
    free_z: bool,
) -> Result<Md> {
    let pot = potential::from_spec(spec, elements, 1)?;
    // The mass only paces FIRE's steps, not where it converges: any positive value serves.
    let mass = pot.type_masses().first().copied().flatten().unwrap_or(1.0);
    let mut atoms = Atoms::with_types(vec![mass]);
    for (k, x) in sites.iter().enumerate() {
        atoms.push_owned(k as u64 + 1, 0, *x, [0.0; 3]);
    }
    let (lo, hi, bz) = if free_z {
        (-VACUUM_A, len[2] + VACUUM_A, Boundary::Fixed)
    } else {
        (0.0, len[2], Boundary::Periodic)
    };
    let simbox = SimBox::new(
        [0.0, 0.0, lo],
        [len[0], len[1], hi],
        [Boundary::Periodic, Boundary::Periodic, bz],
    );
    let mut md = Md::new(
        simbox,
        atoms,
        Groups::default(),
        pot,
        SKIN_A,
        World::serial(),
        None,
    )?;
    md.setup()?;
    Ok(md)
}

/// Energy per atom of the perfect fcc crystal of lattice constant `a` (3×3×3 cubic cells,
/// periodic), eV.
pub fn bulk_energy_per_atom(spec: &str, elements: &[String], a: f64) -> Result<f64> {
    let fcc = OrientedFcc::new(a, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])?;
    let sites = fcc.sites([3, 3, 3]);
    let md = state(spec, elements, &sites, [3.0 * a; 3], false)?;
    Ok(md.pe() / sites.len() as f64)
}

/// The lattice constant that minimises the bulk energy per atom, and that energy.
pub fn equilibrium_lattice(spec: &str, elements: &[String]) -> Result<BulkReference> {
    let e = |a: f64| bulk_energy_per_atom(spec, elements, a);
    let (mut best_a, mut best_e) = (f64::NAN, f64::INFINITY);
    for k in 0..=225 {
        let a = 2.5 + 0.02 * k as f64;
        let v = e(a)?;
        if v < best_e {
            (best_a, best_e) = (a, v);
        }
    }
    if !(best_a > 2.5 && best_a < 7.0) {
        return Err(Error::run(format!(
            "{spec}: the fcc energy has no minimum between 2.5 and 7 Å (lowest at {best_a} Å); give --lattice"
        )));
    }
    // Golden-section search on the bracketing interval.
    let g = 0.5 * (5f64.sqrt() - 1.0);
    let (mut lo, mut hi) = (best_a - 0.02, best_a + 0.02);
    let (mut x1, mut x2) = (hi - g * (hi - lo), lo + g * (hi - lo));
    let (mut f1, mut f2) = (e(x1)?, e(x2)?);
    while hi - lo > 1e-7 {
        if f1 < f2 {
            (hi, x2, f2) = (x2, x1, f1);
            x1 = hi - g * (hi - lo);
            f1 = e(x1)?;
        } else {
            (lo, x1, f1) = (x1, x2, f2);
            x2 = lo + g * (hi - lo);
            f2 = e(x2)?;
        }
    }
    let a = 0.5 * (lo + hi);
    Ok(BulkReference {
        a,
        e_per_atom_ev: e(a)?,
        minimised: true,
    })
}

/// The slab of `facet` at the bulk reference's lattice constant: γ unrelaxed and relaxed.
pub fn slab(
    spec: &str,
    elements: &[String],
    facet: Facet,
    bulk: &BulkReference,
    fire_params: &FireParams,
) -> Result<SlabEnergy> {
    let fcc = OrientedFcc::new(bulk.a, facet.orient())?;
    let cells = facet.cells();
    let len = [0, 1, 2].map(|d| cells[d] as f64 * fcc.period(d));
    let sites = fcc.sites(cells);
    let mut md = state(spec, elements, &sites, len, true)?;
    let n = sites.len();
    let area = len[0] * len[1];
    let gamma = |e: f64| (e - n as f64 * bulk.e_per_atom_ev) / (2.0 * area) * EV_PER_A2_IN_J_PER_M2;
    let e0 = md.pe();
    let fire = fire::minimize(&mut md, fire_params)?;
    if !fire.converged {
        return Err(Error::run(format!(
            "({}) slab: FIRE did not reach fmax < {} eV/Å in {} steps (fmax {:.3e})",
            facet.name(),
            fire_params.ftol,
            fire.steps,
            fire.fmax
        )));
    }
    Ok(SlabEnergy {
        facet,
        natoms: n,
        area_a2: area,
        e_unrelaxed_ev: e0,
        e_relaxed_ev: fire.pe_ev,
        gamma_unrelaxed_j_m2: gamma(e0),
        gamma_relaxed_j_m2: gamma(fire.pe_ev),
        fire,
    })
}

/// FIRE settings of the slab relaxations: fmax < 1e-5 eV/Å, 2 fs initial step.
pub const SLAB_FIRE: FireParams = FireParams {
    ftol: 1e-5,
    etol: 0.0,
    max_steps: 50_000,
    dt: 0.002,
};

/// Options of `analyze surface-energy`.
#[derive(Clone, Debug, clap::Args)]
pub struct SurfaceOptions {
    /// Potential: eam:FILE | eam/alloy:FILE | eam/fs:FILE.
    #[arg(long)]
    pub potential: String,
    /// Element of setfl/FS files.
    #[arg(long, value_delimiter = ',')]
    pub elements: Vec<String>,
    /// Lattice constant, Å (default: the minimum of the bulk energy).
    #[arg(long)]
    pub lattice: Option<f64>,
    /// Neck radius R, nm: adds F_i = 2πγR for each face.
    #[arg(long)]
    pub radius_nm: Option<f64>,
}

/// γ(111), γ(100), γ(110) as one JSON line.
pub fn run(opts: &SurfaceOptions) -> Result<String> {
    let bulk = match opts.lattice {
        Some(a) => {
            if !(a > 0.0 && a.is_finite()) {
                return Err(Error::run(format!(
                    "--lattice must be a positive length in Å, got {a}"
                )));
            }
            BulkReference {
                a,
                e_per_atom_ev: bulk_energy_per_atom(&opts.potential, &opts.elements, a)?,
                minimised: false,
            }
        }
        None => equilibrium_lattice(&opts.potential, &opts.elements)?,
    };
    let mut j = json!({
        "potential": opts.potential,
        "lattice_A": bulk.a,
        "lattice_minimised": bulk.minimised,
        "e_bulk_eV": bulk.e_per_atom_ev,
    });
    for f in Facet::ALL {
        let s = slab(&opts.potential, &opts.elements, f, &bulk, &SLAB_FIRE)?;
        log::info!(
            "({}) slab: {} atoms, face {:.3} Å², γ unrelaxed {:.6} J/m², relaxed {:.6} J/m² ({} FIRE steps, fmax {:.2e} eV/Å)",
            f.name(),
            s.natoms,
            s.area_a2,
            s.gamma_unrelaxed_j_m2,
            s.gamma_relaxed_j_m2,
            s.fire.steps,
            s.fire.fmax
        );
        let n = f.name();
        let mev_a2 = 1e3 / EV_PER_A2_IN_J_PER_M2;
        j[format!("gamma_{n}_J_m2")] = json!(s.gamma_relaxed_j_m2);
        j[format!("gamma_{n}_meV_A2")] = json!(s.gamma_relaxed_j_m2 * mev_a2);
        j[format!("gamma_{n}_unrelaxed_J_m2")] = json!(s.gamma_unrelaxed_j_m2);
        j[format!("gamma_{n}_unrelaxed_meV_A2")] = json!(s.gamma_unrelaxed_j_m2 * mev_a2);
        if let Some(r) = opts.radius_nm {
            j[format!("F_i_{n}_nN")] = json!(super::structure::intrinsic_tension_nn(
                s.gamma_relaxed_j_m2,
                r
            ));
        }
    }
    if let Some(r) = opts.radius_nm {
        j["radius_nm"] = json!(r);
    }
    Ok(j.to_string())
}
