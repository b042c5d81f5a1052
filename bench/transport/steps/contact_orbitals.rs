//! Where the conduction resonance of a contact sits: for a transport deck (e.g. one written by
//! `transport_slab_contact`), the s, p and d occupations of chosen atoms, with and without
//! local charge neutrality, and the k-averaged T(E) over a window around E_F
//! (README.md beside this file, "Why the silver apex conducts less").
//!
//! Occupations are the Fermi-sea contour integrals of `charge_neutrality::FermiSea`, summed
//! over the orbitals of each shell instead of each atom: N_shell = −(2/π) Im ∫ Tr_shell G(z) dz
//! (spin included), k-averaged over the deck's k∥ mesh.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use nanocontact::commands::farm::{prepare, Selection};
use nanocontact::error::{Error, Result};
use nanocontact::transport::neutrality::charge_neutrality::FermiSea;
use nanocontact::transport::neutrality::contour::NeutralityOptions;
use nanocontact::transport::{SelfEnergyMethod, Solver, TransportProblem};

#[derive(Parser)]
struct Args {
    /// Transport deck (spd model, 9 orbitals per atom: s, p, d in that order).
    #[arg(long)]
    deck: PathBuf,
    /// Atoms of the scattering region (0-based, in its orbital order), comma-separated.
    #[arg(long, value_delimiter = ',')]
    atoms: Vec<usize>,
    /// Half-width of the T(E) window around E_F (eV).
    #[arg(long, default_value_t = 3.0)]
    window: f64,
    /// Energy step of T(E) (eV).
    #[arg(long, default_value_t = 0.1)]
    step: f64,
    /// Output: occupations to OUT_occupations.csv, T(E) to OUT_transmission.csv.
    #[arg(long)]
    out: PathBuf,
}

/// Orbitals per atom of the spd model and the shells' orbital offsets within an atom.
const ORBITALS: usize = 9;
const SHELLS: [(&str, std::ops::Range<usize>); 3] = [("s", 0..1), ("p", 1..4), ("d", 4..9)];

/// s, p, d occupations of `atom` from the Fermi sea `sea` of a problem (at its shifts).
fn occupations(sea: &FermiSea, atom: usize) -> Result<[f64; 3]> {
    let o = ORBITALS * atom;
    let ranges: Vec<_> = SHELLS.iter().map(|(_, r)| o + r.start..o + r.end).collect();
    let (q, _) = sea.charges(&ranges, &[0.0; 3])?;
    Ok([q[0], q[1], q[2]])
}

/// On-site s energies of every atom of `problem` (eV; the diagonal is the same at every k).
fn onsite_s(problem: &TransportProblem) -> Vec<f64> {
    let h = problem.h_s.dense_at_k([0.0, 0.0]);
    (0..h.nrows() / ORBITALS)
        .map(|a| h[(ORBITALS * a, ORBITALS * a)].re)
        .collect()
}

fn main() -> Result<()> {
    env_logger::init();
    let args = Args::parse();
    let p = prepare(&args.deck, Selection::One)?;
    let snap = p.source.get(0)?;
    let (neutral, _) = p.setup.problem(&snap)?;
    let (bare, _) = p.setup.bare_problem(&snap)?;
    let e_f = p.setup.fermi_ev;
    let n_atoms = neutral.n_s() / ORBITALS;
    if let Some(&a) = args.atoms.iter().find(|&&a| a >= n_atoms) {
        return Err(Error::run(format!(
            "--atoms: atom {a} is outside the scattering region ({n_atoms} atoms)"
        )));
    }
    let path = |suffix: &str| {
        let mut s = args.out.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    let occ_path = path("_occupations.csv");
    let mut occ = std::fs::File::create(&occ_path).map_err(|e| Error::io(&occ_path, e))?;
    let io = |e| Error::io(&occ_path, e);
    writeln!(occ, "neutrality,atom,s,p,d,total,eps_s_minus_EF_eV").map_err(io)?;
    for (name, problem) in [("neutral", &neutral), ("bare", &bare)] {
        let sea = FermiSea::new(problem, e_f, &NeutralityOptions::default())?;
        let eps_s = onsite_s(problem);
        for &a in &args.atoms {
            let q = occupations(&sea, a)?;
            let line = format!(
                "{name},{a},{:.5},{:.5},{:.5},{:.5},{:.4}",
                q[0],
                q[1],
                q[2],
                q.iter().sum::<f64>(),
                eps_s[a] - e_f
            );
            println!("{line}");
            writeln!(occ, "{line}").map_err(io)?;
        }
    }
    let t_path = path("_transmission.csv");
    let mut t = std::fs::File::create(&t_path).map_err(|e| Error::io(&t_path, e))?;
    let io = |e| Error::io(&t_path, e);
    writeln!(t, "E_minus_EF_eV,T,open_channels").map_err(io)?;
    let solver = Solver::new(neutral, SelfEnergyMethod::ModeMatching)?;
    let n = (args.window / args.step).round() as i64;
    for i in -n..=n {
        let de = i as f64 * args.step;
        let avg = solver.average(&solver.transmission_per_k(e_f + de)?);
        writeln!(t, "{de:.4},{:.6},{:.3}", avg.t_lr, avg.open_l).map_err(io)?;
    }
    Ok(())
}
