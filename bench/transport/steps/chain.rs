//! Infinite monatomic chains of an spd model (README.md beside this file): atoms a distance d
//! apart along z, a scattering region of four atoms between the chain's own semi-infinite
//! halves, E_F from the chain's band filling (the model's valence electrons per atom), and
//! T(E_F) with its open channels. A perfect chain transmits its open channels exactly; the
//! question is how many bands cross E_F: one (the half-filled s band) for a noble-metal chain.
//! Models: an orthogonal Slater–Koster `.toml` or a DFTB table `.skf`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Parser;
use nanocontact::error::{Error, Result};
use nanocontact::transport::band_filling::lead_fermi_energy_overlap;
use nanocontact::transport::model_file::{read_model_file, ModelFile};
use nanocontact::transport::tight_binding::{build_problem, Atom, LeadGeometry};
use nanocontact::transport::{SelfEnergyMethod, Solver};

#[derive(Parser)]
struct Args {
    /// Model files: `.toml` (orthogonal spd) or `.skf` (DFTB).
    #[arg(long, value_delimiter = ',')]
    models: Vec<PathBuf>,
    /// Interatomic distances (Å).
    #[arg(long, value_delimiter = ',', default_value = "2.5,2.6,2.75,2.9")]
    spacings: Vec<f64>,
    /// Output CSV: one row per model and spacing.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> Result<()> {
    env_logger::init();
    let args = Args::parse();
    let mut out = std::fs::File::create(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let io = |e| Error::io(&args.out, e);
    writeln!(out, "element,model,spacing_A,E_F_eV,G_G0,open_channels").map_err(io)?;
    for path in &args.models {
        let m = read_model_file(path)?;
        chains(&mut out, &args.out, &m, &args.spacings)?;
    }
    Ok(())
}

/// Append the rows of one model's chains to `out`.
fn chains(out: &mut std::fs::File, out_path: &Path, m: &ModelFile, spacings: &[f64]) -> Result<()> {
    let model = m.model.as_ref();
    let (z, el) = (m.valence_electrons, &m.element);
    let kind = if model.is_orthogonal() { "spd" } else { "dftb" };
    let io = |e| Error::io(out_path, e);
    let atom = |z: f64| Atom {
        species: 0,
        pos: [0.0, 0.0, z],
    };
    for &d in spacings {
        // A principal layer of as many atoms as the model's range needs.
        let per_layer = (model.cutoff() / d).floor() as usize + 1;
        let len = per_layer as f64 * d;
        let layer = |z0: f64| (0..per_layer).map(|i| atom(z0 + i as f64 * d)).collect();
        let left = LeadGeometry {
            layer: layer(-len),
            period: [0.0, 0.0, -len],
        };
        let right = LeadGeometry {
            layer: layer(len),
            period: [0.0, 0.0, len],
        };
        let s: Vec<Atom> = (0..per_layer).map(|i| atom(i as f64 * d)).collect();
        let p = build_problem(model, &s, [&left, &right])?;
        let l = &p.leads[1];
        let blocks = [(l.h00.dense_at_k(0.0), l.h01.dense_at_k(0.0), 1.0)];
        let overlap = p.overlap.as_ref().map(|o| {
            let s = &o.leads[1];
            vec![(s.h00.dense_at_k(0.0), s.h01.dense_at_k(0.0))]
        });
        let e_f =
            lead_fermi_energy_overlap(&blocks, overlap.as_deref(), z * per_layer as f64, 2000)?;
        let t = Solver::new(p, SelfEnergyMethod::ModeMatching)?
            .at_k(0.0)?
            .transmission(e_f)?;
        writeln!(out, "{el},{kind},{d},{e_f:.5},{:.6},{}", t.t_lr, t.open_l).map_err(io)?;
        eprintln!(
            "{el} ({kind}) d = {d} Å: E_F {e_f:.4} eV, G = {:.4} G0, {} channel(s)",
            t.t_lr, t.open_l
        );
    }
    Ok(())
}
