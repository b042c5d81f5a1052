//! Bulk band structure of a Slater–Koster spd parameter file, as a sanity check of the
//! parameters (README.md beside this file): the Fermi energy from band filling, the band
//! energies at Γ, X and L relative to E_F, and the centre and width of the d bands (first and
//! second moments of the d-projected density of states), to compare with published band
//! structures of the metal.
//!
//! d-projected DOS on an n³ Monkhorst–Pack mesh: each eigenstate |ψ_b(k)⟩ counts with its
//! weight w = Σ_{d orbitals} |⟨d|ψ_b(k)⟩|²; centre ε_d = Σ w E / Σ w, width √(Σ w (E − ε_d)² / Σ w).
//! A DFTB table (`.skf`, non-orthogonal) solves H c = E S c and uses the Mulliken weight
//! w = Σ_d Re[c_d* (S c)_d] (R. S. Mulliken, J. Chem. Phys. 23, 1833 (1955)).

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use nanocontact::error::{Error, Result};
use nanocontact::transport::dense::{generalized_hermitian_eigen, hermitian_eigen, CMat};
use nanocontact::transport::model::bulk_bands::{bulk_fermi_energy, BulkBands, Crystal};
use nanocontact::transport::model::model_file::read_model_file;
use nanocontact::transport::model::slater_koster::ANGULAR_MOMENTUM;

#[derive(Parser)]
struct Args {
    /// Slater–Koster parameter files (`.toml`) or DFTB tables (`.skf`).
    #[arg(long, value_delimiter = ',')]
    models: Vec<PathBuf>,
    /// fcc lattice constants (Å) of the `.skf` models, in their order (a `.toml` file gives
    /// its own).
    #[arg(long, value_delimiter = ',')]
    lattice: Vec<f64>,
    /// Monkhorst–Pack mesh n (n³ points) for E_F and the d moments.
    #[arg(long, default_value_t = 24)]
    mesh: usize,
    /// Output CSV: element, quantity, value (eV; energies relative to E_F except E_F).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> Result<()> {
    env_logger::init();
    let args = Args::parse();
    let mut out = std::fs::File::create(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let io = |e| Error::io(&args.out, e);
    writeln!(out, "element,quantity,value_eV").map_err(io)?;
    let mut lattice = args.lattice.iter();
    for path in &args.models {
        let m = read_model_file(path)?;
        let a = match m.lattice_constant {
            Some(a) => a,
            None => *lattice.next().ok_or_else(|| {
                Error::run(format!(
                    "--lattice: no lattice constant for {}",
                    path.display()
                ))
            })?,
        };
        let (z, el) = (m.valence_electrons, m.element);
        let model = m.model.as_ref();
        let crystal = Crystal::fcc(a, 0);
        let e_f = bulk_fermi_energy(model, &crystal, z, args.mesh)?;
        let bands = BulkBands::new(model, &crystal);
        let mut row = |q: &str, v: f64| writeln!(out, "{el},{q},{v:.4}").map_err(io);
        row("E_F", e_f)?;
        // High-symmetry points (2π/a units): Γ, X = (0,0,1), L = (½,½,½).
        let tau = 2.0 * std::f64::consts::PI / a;
        for (name, k) in [
            ("Gamma", [0.0, 0.0, 0.0]),
            ("X", [0.0, 0.0, tau]),
            ("L", [0.5 * tau, 0.5 * tau, 0.5 * tau]),
        ] {
            for (b, e) in bands.energies(k)?.iter().enumerate() {
                row(&format!("{name}_band{}", b + 1), e - e_f)?;
            }
        }
        // d moments over the mesh.
        let (mut w0, mut w1, mut w2) = (0.0, 0.0, 0.0);
        let mut states = Vec::new();
        for k in crystal.monkhorst_pack(args.mesh) {
            let h = bands.hamiltonian(k);
            let (vals, vecs, svecs): (Vec<f64>, CMat, CMat) = match bands.overlap(k) {
                None => {
                    let (v, c) = hermitian_eigen(h.as_ref(), "bands")?;
                    (v, c.clone(), c)
                }
                Some(s) => {
                    let (v, c) = generalized_hermitian_eigen(h.as_ref(), s.as_ref(), "bands")?;
                    let sc = &s * &c;
                    (v, c, sc)
                }
            };
            for (s, &e) in vals.iter().enumerate() {
                let w: f64 = (0..vals.len())
                    .filter(|&o| ANGULAR_MOMENTUM[o] == 2)
                    .map(|o| (vecs[(o, s)].conj() * svecs[(o, s)]).re)
                    .sum();
                states.push((e, w));
            }
        }
        for &(e, w) in &states {
            w0 += w;
            w1 += w * e;
        }
        let centre = w1 / w0;
        for &(e, w) in &states {
            w2 += w * (e - centre).powi(2);
        }
        row("d_centre", centre - e_f)?;
        row("d_rms_width", (w2 / w0).sqrt())?;
        // The on-site levels s, p, d(t2g), d(eg).
        let h = model.onsite(0);
        for (q, o) in [
            ("onsite_s", 0),
            ("onsite_p", 1),
            ("onsite_t2g", 4),
            ("onsite_eg", 7),
        ] {
            row(q, h[(o, o)].re - e_f)?;
        }
        eprintln!("{el}: E_F {e_f:.4} eV, d centre {:.3} eV", centre - e_f);
    }
    Ok(())
}
