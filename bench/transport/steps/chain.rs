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
use nanocontact::transport::model::model_file::{read_model_file, ModelFile};
use nanocontact::transport::problem::chain::monatomic_chain;
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
    for &d in spacings {
        let (p, e_f) = monatomic_chain(model, d, z, 2000)?;
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
