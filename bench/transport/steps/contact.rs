//! Single-atom contact between two fcc(001) pyramids ending in one apex atom each, on wire leads
//! of the pyramid base's cross-section (README.md beside this file): T(E) near E_F, bare and
//! locally charge neutral, one CSV row per energy.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use nanocontact::build::tips::TipPair;
use nanocontact::error::{Error, Result};
use nanocontact::transport::model::band_filling::lead_fermi_energy;
use nanocontact::transport::model::bulk_bands::{bulk_fermi_energy, Crystal};
use nanocontact::transport::model::slater_koster::{SlaterKoster, ORBITALS};
use nanocontact::transport::model::tight_binding::{Atom, LeadGeometry};
use nanocontact::transport::neutrality::charge_neutrality::{
    neutral_problem, LeadNeutralityOptions,
};
use nanocontact::transport::neutrality::contour::NeutralityOptions;
use nanocontact::transport::problem::supercell::build_problem;
use nanocontact::transport::{SelfEnergyMethod, Solver, Transmission, TransportProblem};

#[derive(Parser)]
struct Args {
    /// Slater–Koster parameter file.
    #[arg(long)]
    model: PathBuf,
    /// Cube edge (Å).
    #[arg(long)]
    a: f64,
    /// Layer index of each pyramid's base (layers of 1, 4, …, (base+1)² atoms).
    #[arg(long)]
    base: usize,
    /// Apex–apex distance (Å); default the nearest-neighbour distance a/√2.
    #[arg(long)]
    gap: Option<f64>,
    /// Output CSV.
    #[arg(long)]
    out: PathBuf,
}

fn t_at(p: &TransportProblem, e: f64) -> Result<Transmission> {
    Solver::new(p.clone(), SelfEnergyMethod::ModeMatching)?
        .at_k(0.0)?
        .transmission(e)
}

fn main() -> Result<()> {
    env_logger::init();
    let args = Args::parse();
    let model = SlaterKoster::read(&args.model)?;
    let z = model.params.valence_electrons;
    let e_f = bulk_fermi_energy(&model, &Crystal::fcc(args.a, 0), z, 24)?;
    let gap = args.gap.unwrap_or(args.a / 2f64.sqrt());
    let tips = TipPair {
        a: args.a,
        top: 0,
        base: args.base,
        gap,
        buffer: 0,
    };
    let c = tips.contact()?;
    let atoms =
        |p: &[[f64; 3]]| -> Vec<Atom> { p.iter().map(|&pos| Atom { species: 0, pos }).collect() };
    let leads = c.leads.clone().map(|l| LeadGeometry {
        layer: atoms(&l.layer),
        period: l.period,
    });
    let bare = build_problem(&model, &atoms(&c.scattering), [&leads[0], &leads[1]])?;
    let l = &bare.leads[0];
    let per_layer = z * (l.n_layer() / ORBITALS) as f64;
    let e_lead = lead_fermi_energy(
        &l.h00.dense_at_k(0.0),
        &l.h01.dense_at_k(0.0),
        per_layer,
        400,
    )?;
    let t0 = Instant::now();
    let neutral = neutral_problem(
        &bare,
        ORBITALS,
        z,
        e_f,
        &LeadNeutralityOptions::default(),
        &NeutralityOptions::default(),
    )?;
    eprintln!(
        "{} base {}: {} + {} atoms, gap {gap:.3} Å, bulk E_F {e_f:.4} eV, bare lead's E_F {e_lead:.4} eV, neutral in {:.0} s",
        model.params.element,
        args.base,
        c.scattering.len(),
        leads[0].layer.len(),
        t0.elapsed().as_secs_f64()
    );
    let mut out = std::fs::File::create(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let io = |e| Error::io(&args.out, e);
    writeln!(
        out,
        "E_minus_EF_eV,T_neutral,tau1_neutral,tau2_neutral,open_neutral,T_bare_bulk_EF,T_bare_lead_EF"
    )
    .map_err(io)?;
    for i in 0..=10 {
        let de = -0.5 + 0.1 * i as f64;
        let tn = t_at(&neutral.problem, e_f + de)?;
        let tb = t_at(&bare, e_f + de)?;
        let tl = t_at(&bare, e_lead + de)?;
        let tau = |k: usize| tn.tau.get(k).copied().unwrap_or(0.0);
        writeln!(
            out,
            "{de:.1},{:.6},{:.6},{:.6},{},{:.6},{:.6}",
            tn.t_lr,
            tau(0),
            tau(1),
            tn.open_l,
            tb.t_lr,
            tl.t_lr
        )
        .map_err(io)?;
        eprintln!(
            "E_F{de:+.1}: neutral {:.4} (tau {:.3}, {:.3}; {} channels), bare {:.4} (bulk E_F), {:.4} (lead E_F)",
            tn.t_lr,
            tau(0),
            tau(1),
            tn.open_l,
            tb.t_lr,
            tl.t_lr
        );
    }
    Ok(())
}
