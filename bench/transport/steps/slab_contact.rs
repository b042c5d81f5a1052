//! Single-atom contact between two fcc(001) pyramids standing on slabs periodic in x and y, with
//! leads that continue the slabs as semi-infinite crystals and a k∥ mesh (README.md beside this
//! file). Runs the `transport DECK` path: writes the structure as a LAMMPS data file and, per
//! k-mesh, a transport deck (spd model, local charge neutrality k-averaged), builds the setup
//! and the neutral problem, and appends one CSV row per mesh with G/G0 at E_F and nearby.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use nanocontact::build::tips::TipsOnSlabs;
use nanocontact::error::{Error, Result};
use nanocontact::io::lammps_data::write_data;
use nanocontact::system::{Atoms, Boundary, SimBox};
use nanocontact::transport::farm::{prepare, Selection};
use nanocontact::transport::{SelfEnergyMethod, Solver};

#[derive(Parser)]
struct Args {
    /// Slater–Koster parameter file (its element names the atoms).
    #[arg(long)]
    model: PathBuf,
    /// Element (as in the parameter file) and its mass (amu) for the data file.
    #[arg(long)]
    element: String,
    #[arg(long)]
    mass: f64,
    /// Cube edge (Å).
    #[arg(long)]
    a: f64,
    /// Cubes of the periodic cell along x and y (2·cells² atoms per plane).
    #[arg(long)]
    cells: usize,
    /// Layer index of each pyramid's base (layers of 1, 4, …, (base+1)² atoms).
    #[arg(long)]
    base: usize,
    /// (001) planes of each slab (the outer two are the lead region).
    #[arg(long, default_value_t = 3)]
    slab_layers: usize,
    /// Apex–apex distance (Å); default the nearest-neighbour distance a/√2 (a with --bridge).
    #[arg(long)]
    gap: Option<f64>,
    /// Instead of two apex atoms facing each other: tips with flat 4-atom tops (top = 1) and
    /// one atom midway between them over the centres of both squares (bonded to 4 + 4 atoms).
    #[arg(long)]
    bridge: bool,
    /// k∥ meshes n (n × n Monkhorst–Pack), comma-separated.
    #[arg(long, value_delimiter = ',')]
    meshes: Vec<usize>,
    /// Skip local charge neutrality.
    #[arg(long)]
    bare: bool,
    /// Folder for the data file and decks.
    #[arg(long)]
    work: PathBuf,
    /// Output CSV (rows appended; the header is written when the file is new).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> Result<()> {
    env_logger::init();
    let args = Args::parse();
    let gap = args.gap.unwrap_or(if args.bridge {
        args.a
    } else {
        args.a / 2f64.sqrt()
    });
    let tips = TipsOnSlabs {
        a: args.a,
        cells: args.cells,
        top: usize::from(args.bridge),
        base: args.base,
        slab_layers: args.slab_layers,
        gap,
    };
    let mut c = tips.contact()?;
    if args.bridge {
        // First, so that the on-site shift reported is the bridging atom's.
        c.positions.insert(0, [0.0, 0.0, 0.5 * gap]);
    }
    std::fs::create_dir_all(&args.work).map_err(|e| Error::io(&args.work, e))?;
    let stem = format!(
        "{}{}_c{}_b{}_s{}_g{gap:.3}",
        args.element.to_lowercase(),
        if args.bridge { "_bridge" } else { "" },
        args.cells,
        args.base,
        args.slab_layers
    );
    let data = args.work.join(format!("{stem}.data"));
    let mut atoms = Atoms::with_types(vec![args.mass]);
    for (i, p) in c.positions.iter().enumerate() {
        atoms.push_owned(i as u64 + 1, 0, *p, [0.0; 3]);
    }
    let b = [Boundary::Periodic, Boundary::Periodic, Boundary::Fixed];
    write_data(&data, &stem, &SimBox::new(c.lo, c.hi, b), &atoms)?;
    let model = std::fs::canonicalize(&args.model).map_err(|e| Error::io(&args.model, e))?;
    let new_file = !args.out.exists();
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args.out)
        .map_err(|e| Error::io(&args.out, e))?;
    let io = |e| Error::io(&args.out, e);
    if new_file {
        writeln!(
            out,
            "element,contact,cells,atoms_per_plane,base,slab_layers,gap_A,atoms,neutral,mesh,\
             k_points,\
             E_F_eV,G_G0,G_G0_at_EF_minus_0.1,G_G0_at_EF_plus_0.1,tau1_gamma,tau2_gamma,\
             open_channels,lead_shift_eV,apex_shift_eV,seconds"
        )
        .map_err(io)?;
    }
    for &n in &args.meshes {
        let t0 = Instant::now();
        let deck = args.work.join(format!("{stem}_k{n}.toml"));
        let [[l0, l1], [r0, r1]] = c.lead_ranges;
        let text = format!(
            "[structure]\ndata = {:?}\nboundary = \"p p f\"\n[model]\nstyle = \"spd\"\n\
             parameters = {:?}\nspecies = [{:?}]\nneutrality = {}\n[leads]\naxis = \"z\"\n\
             left = {{ lo = {l0}, hi = {l1} }}\nright = {{ lo = {r0}, hi = {r1} }}\n\
             [kpoints]\nmesh = [{n}, {n}]\n[energy]\nvalues = [-0.1, 0.0, 0.1]\n",
            data.file_name()
                .and_then(|s| s.to_str())
                .unwrap_or_default(),
            model.display().to_string(),
            args.element,
            !args.bare
        );
        std::fs::write(&deck, text).map_err(|e| Error::io(&deck, e))?;
        let p = prepare(&deck, Selection::One)?;
        let snap = p.source.get(0)?;
        let (problem, points) = p.setup.problem(&snap)?;
        let bare = p.setup.bare_problem(&snap)?.0;
        // The on-site shift of atom 1: the left apex, or the bridging atom.
        let apex_shift = problem.h_s.dense_at_k([0.0, 0.0])[(0, 0)].re
            - bare.h_s.dense_at_k([0.0, 0.0])[(0, 0)].re;
        let solver = Solver::new(problem, SelfEnergyMethod::ModeMatching)?;
        let e_f = p.setup.fermi_ev;
        let g = |de: f64| -> Result<(f64, f64, Vec<nanocontact::transport::Transmission>)> {
            let per_k = solver.transmission_per_k(e_f + de)?;
            let avg = solver.average(&per_k);
            Ok((avg.t_lr, avg.open_l, per_k))
        };
        let (g0, open, per_k) = g(0.0)?;
        let (gm, _, _) = g(-0.1)?;
        let (gp, _, _) = g(0.1)?;
        // τ at the first mesh point (Γ for odd meshes).
        let tau = |i: usize| per_k[0].tau.get(i).copied().unwrap_or(0.0);
        let lead_shift = p.setup.lead_shifts[0].first().copied().unwrap_or(0.0);
        let secs = t0.elapsed().as_secs_f64();
        writeln!(
            out,
            "{},{},{},{},{},{},{gap:.4},{},{},{n},{},{e_f:.6},{g0:.6},{gm:.6},{gp:.6},{:.6},{:.6},\
             {open:.4},{lead_shift:.5},{apex_shift:.4},{secs:.1}",
            args.element,
            if args.bridge { "bridge" } else { "apex" },
            args.cells,
            2 * args.cells * args.cells,
            args.base,
            args.slab_layers,
            c.positions.len(),
            !args.bare,
            points.len(),
            tau(0),
            tau(1)
        )
        .map_err(io)?;
        out.flush().map_err(io)?;
        eprintln!(
            "{} cells {} base {} mesh {n}x{n} ({} k): E_F {e_f:.4} eV, G = {g0:.4} G0 \
             (E_F-0.1: {gm:.4}, +0.1: {gp:.4}), {open:.2} channels, {secs:.0} s",
            args.element,
            args.cells,
            args.base,
            points.len()
        );
    }
    Ok(())
}
