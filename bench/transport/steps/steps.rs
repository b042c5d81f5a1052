//! Conductance of a point contact thickened atom by atom (README.md beside this file): two
//! fcc(001) pyramidal tips with flat tops facing each other across one empty atomic layer, on
//! wire leads; configuration n has the first n lattice sites of that layer filled, nearest the
//! axis first. Each configuration is made locally charge neutral (neutral leads, then the
//! scattering region) at the bulk Fermi level and its conductance G = G0·T(E_F) written, one CSV
//! row per configuration, with the eigenchannel transmissions and T at E_F ± 0.1 eV.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use nanocontact::build::tips::{neck_sites, TipPair};
use nanocontact::transport::model::bulk_bands::{bulk_fermi_energy, Crystal};
use nanocontact::transport::model::slater_koster::{SlaterKoster, ORBITALS};
use nanocontact::transport::model::tight_binding::{Atom, LeadGeometry};
use nanocontact::transport::neutrality::charge_neutrality::{
    neutral_lead, neutralize_from, shifted, shifted_lead, LeadNeutralityOptions,
};
use nanocontact::transport::neutrality::contour::NeutralityOptions;
use nanocontact::transport::problem::supercell::build_problem;
use nanocontact::transport::{SelfEnergyMethod, Solver, TransportProblem};

#[derive(Parser)]
struct Args {
    /// Slater–Koster parameter file.
    #[arg(long)]
    model: PathBuf,
    /// Cube edge (Å).
    #[arg(long)]
    a: f64,
    /// Layer index of each tip's flat top ((top+1)² atoms).
    #[arg(long, default_value_t = 2)]
    top: usize,
    /// Layer index of each tip's base (the wire leads have its cross-section).
    #[arg(long, default_value_t = 3)]
    base: usize,
    /// Neck sites considered: those within the tops' square grown by this many layers.
    #[arg(long, default_value_t = 1)]
    margin: usize,
    /// Largest number of neck atoms (default: all sites).
    #[arg(long)]
    max_atoms: Option<usize>,
    /// Skip local charge neutrality (bare parameter-file on-site energies).
    #[arg(long)]
    bare: bool,
    /// Output CSV.
    #[arg(long)]
    out: PathBuf,
}

fn atoms(p: &[[f64; 3]]) -> Vec<Atom> {
    p.iter().map(|&pos| Atom { species: 0, pos }).collect()
}

fn orbital_ranges(n_orb: usize) -> Vec<std::ops::Range<usize>> {
    (0..n_orb / ORBITALS)
        .map(|i| ORBITALS * i..ORBITALS * (i + 1))
        .collect()
}

fn main() -> nanocontact::error::Result<()> {
    env_logger::init();
    let args = Args::parse();
    let model = SlaterKoster::read(&args.model)?;
    let valence = model.params.valence_electrons;
    let e_f = bulk_fermi_energy(&model, &Crystal::fcc(args.a, 0), valence, 24)?;
    let tips = TipPair {
        a: args.a,
        top: args.top,
        base: args.base,
        gap: args.a,
        buffer: 0,
    };
    let contact = tips.contact()?;
    let mut neck = neck_sites(&tips, args.margin)?;
    if let Some(m) = args.max_atoms {
        neck.truncate(m);
    }
    let leads = contact.leads.clone().map(|l| LeadGeometry {
        layer: atoms(&l.layer),
        period: l.period,
    });
    eprintln!(
        "{}: bulk E_F = {e_f:.4} eV; tips top {} base {}, {} + {} atoms, {} neck sites",
        model.params.element,
        args.top,
        args.base,
        contact.scattering.len(),
        leads[0].layer.len(),
        neck.len()
    );
    // The leads are the same for every configuration: neutral once.
    let base_problem = build_problem(&model, &atoms(&contact.scattering), [&leads[0], &leads[1]])?;
    let mut lead_shifts = Vec::new();
    if !args.bare {
        for l in &base_problem.leads {
            let r = orbital_ranges(l.n_layer());
            let target = vec![valence; r.len()];
            let n = neutral_lead(
                &l.h00.dense_at_k(0.0),
                &l.h01.dense_at_k(0.0),
                &r,
                &target,
                e_f,
                &LeadNeutralityOptions::default(),
            )?;
            lead_shifts.push((r, n.shifts));
        }
    }
    let mut out = std::fs::File::create(&args.out)
        .map_err(|e| nanocontact::error::Error::io(&args.out, e))?;
    let io = |e| nanocontact::error::Error::io(&args.out, e);
    writeln!(
        out,
        "config,neck_atoms,added_x_A,added_y_A,added_z_A,E_F_eV,G_G0,T_RL,tau1,tau2,tau3,tau4,open_channels,\
         G_G0_at_EF_minus_0.1,G_G0_at_EF_plus_0.1,neutrality_steps,seconds"
    )
    .map_err(io)?;
    let mut shifts: Vec<f64> = Vec::new();
    for n in 0..=neck.len() {
        let t0 = Instant::now();
        let mut s = contact.scattering.clone();
        s.extend_from_slice(&neck[..n]);
        let mut p: TransportProblem = build_problem(&model, &atoms(&s), [&leads[0], &leads[1]])?;
        let mut steps = 0;
        if !args.bare {
            for (side, (r, d)) in lead_shifts.iter().enumerate() {
                p = shifted_lead(&p, side, r, d);
            }
            let r = orbital_ranges(p.n_s());
            let target = vec![valence; r.len()];
            // Start from the previous configuration's shifts (the new atom from its neighbour's).
            let mut init = shifts.clone();
            let guess = init.last().copied().unwrap_or(0.0);
            init.resize(r.len(), guess);
            let neu = neutralize_from(&p, &r, &target, e_f, &NeutralityOptions::default(), &init)?;
            p = shifted(&p, &r, &neu.shifts);
            shifts = neu.shifts;
            steps = neu.iterations;
        }
        let solver = Solver::new(p, SelfEnergyMethod::ModeMatching)?;
        let ks = solver.at_k(0.0)?;
        let t = ks.transmission(e_f)?;
        let tm = ks.transmission(e_f - 0.1)?.t_lr;
        let tp = ks.transmission(e_f + 0.1)?.t_lr;
        let tau: Vec<f64> = (0..4)
            .map(|i| t.tau.get(i).copied().unwrap_or(0.0))
            .collect();
        let at = if n > 0 {
            let p = neck[n - 1];
            format!("{:.4},{:.4},{:.4}", p[0], p[1], p[2])
        } else {
            ",,".to_string()
        };
        writeln!(
            out,
            "{n},{n},{at},{e_f:.6},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6},{},{tm:.6},{tp:.6},{steps},{:.1}",
            t.t_lr,
            t.t_rl,
            tau[0],
            tau[1],
            tau[2],
            tau[3],
            t.open_l,
            t0.elapsed().as_secs_f64()
        )
        .map_err(io)?;
        out.flush().map_err(io)?;
        eprintln!(
            "config {n}: G = {:.4} G0 (E_F ∓ 0.1 eV: {tm:.3}, {tp:.3}), tau {:.3?} ({:.0} s)",
            t.t_lr,
            &tau,
            t0.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
