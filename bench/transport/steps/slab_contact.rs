//! Point contacts between two fcc(001) pyramids standing on slabs periodic in x and y, with
//! leads that continue the slabs as semi-infinite crystals and a k∥ mesh (README.md beside this
//! file): two apex atoms facing each other, one atom bridging two flat tops, or flat tops with
//! the layer between them filled atom by atom; or (`--surface 111`) a filament grown atom by
//! atom in the missing planes between two fcc(111) slabs. Optionally relaxed with an EAM
//! potential (FIRE, the outer planes of each slab held at their lattice positions). Runs the
//! `transport DECK` path: writes each structure as a LAMMPS data file and, per k-mesh, a
//! transport deck (the orthogonal spd model or a DFTB `.skf` table, with local charge
//! neutrality k-averaged unless --bare), builds the setup and the problem, and appends one CSV row per
//! configuration and mesh with G/G0 at E_F and nearby.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use nanocontact::analysis::surface_energy::equilibrium_lattice;
use nanocontact::build::gap111::Gap111;
use nanocontact::build::relax::relax_contact;
use nanocontact::build::tips::{SlabContact, SlabGeometry, TipsOnSlabs};
use nanocontact::commands::farm::{prepare, Selection};
use nanocontact::dynamics::fire::FireParams;
use nanocontact::error::{Error, Result};
use nanocontact::io::lammps_data::write_data;
use nanocontact::system::{Atoms, Boundary, SimBox};
use nanocontact::transport::{SelfEnergyMethod, Solver};

#[derive(Parser)]
struct Args {
    /// Slater–Koster parameter file (its element names the atoms): an orthogonal spd `.toml`
    /// or a non-orthogonal DFTB table `.skf` (Mulliken charges), made locally neutral unless
    /// --bare.
    #[arg(long)]
    model: PathBuf,
    /// Element (as in the parameter file) and its mass (amu) for the data file.
    #[arg(long)]
    element: String,
    #[arg(long)]
    mass: f64,
    /// Cube edge (Å); default with --relax: the potential's equilibrium lattice constant.
    #[arg(long)]
    a: Option<f64>,
    /// Surface facing the gap: 001 (pyramids on (001) slabs) or 111 (flat (111) slabs, the
    /// filament in the missing planes between them; --nx, --ny, --missing).
    #[arg(long, default_value = "001")]
    surface: String,
    /// (001): cubes of the periodic cell along x and y (2·cells² atoms per plane).
    #[arg(long)]
    cells: Option<usize>,
    /// (111): rectangular cells a/√2 × a√(3/2) along x and y (2·nx·ny atoms per plane).
    #[arg(long, default_value_t = 3)]
    nx: usize,
    #[arg(long, default_value_t = 2)]
    ny: usize,
    /// (111): missing planes between the two surfaces.
    #[arg(long, default_value_t = 1)]
    missing: usize,
    /// (111), 3 missing planes: the sites are two trimer tips and the atom between them
    /// (`Gap111::pyramid_sites`; --neck 6: the tips alone, 7: the single-atom contact, 8, 9, …:
    /// the contact thickened atom by atom in the middle plane).
    #[arg(long)]
    pyramids: bool,
    /// Layer index of each pyramid's top (0: one apex atom; t: a flat top of (t+1)² atoms).
    #[arg(long, default_value_t = 0)]
    top: usize,
    /// Layer index of each pyramid's base (layers of (top+1)², …, (base+1)² atoms).
    #[arg(long, default_value_t = 1)]
    base: usize,
    /// Planes of each slab (the outer two are the lead region).
    #[arg(long, default_value_t = 3)]
    slab_layers: usize,
    /// Distance between the two top layers (Å); default the nearest-neighbour distance a/√2
    /// for apex atoms, a (one empty layer) for flat tops and --bridge.
    #[arg(long)]
    gap: Option<f64>,
    /// Move the right tip and slab by this much along z (Å; the neck atoms by half of it):
    /// the electrodes' separation for a relaxation, the sites kept on one lattice.
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    stretch: f64,
    /// One atom midway between flat 4-atom tops over the centres of both squares (bonded to
    /// 4 + 4 atoms): the same as --top 1 --neck 1.
    #[arg(long)]
    bridge: bool,
    /// Configurations with this many atoms on the lattice sites between the tops (the gap an
    /// even number of layer spacings), nearest the axis first; comma-separated.
    #[arg(long, value_delimiter = ',')]
    neck: Vec<usize>,
    /// Neck sites considered: those within the tops' squares grown by this many layers.
    #[arg(long, default_value_t = 1)]
    margin: usize,
    /// Relax every configuration with this potential (`eam:FILE`, …) before the transport:
    /// FIRE to --ftol, the two lead planes and --pad planes beyond them held fixed.
    #[arg(long)]
    relax: Option<String>,
    /// Extra bulk planes behind each slab during the relaxation (fixed, then removed): the
    /// fixed region is 2 + pad planes deep, at least the potential's cutoff.
    #[arg(long, default_value_t = 2)]
    pad: usize,
    /// Force tolerance of the relaxation (eV/Å).
    #[arg(long, default_value_t = 1e-4)]
    ftol: f64,
    /// k∥ meshes n (n × n Monkhorst–Pack), comma-separated.
    #[arg(long, value_delimiter = ',')]
    meshes: Vec<usize>,
    /// Skip local charge neutrality.
    #[arg(long)]
    bare: bool,
    /// Truncation radius of a DFTB table (Å; default the model's).
    #[arg(long)]
    dftb_cutoff: Option<f64>,
    /// Folder for the data files and decks.
    #[arg(long)]
    work: PathBuf,
    /// Output CSV (rows appended; the header is written when the file is new).
    #[arg(long)]
    out: PathBuf,
}

/// Bonds shorter than this (Å) count in the contact's bond statistics (between the first and
/// second neighbour distances of Ag and Au).
const BOND_A: f64 = 3.4;

/// The electrodes: tips on (001) slabs or (111) slabs across a gap.
enum Electrodes {
    Tips(TipsOnSlabs),
    Gap(Gap111),
}

impl Electrodes {
    fn geometry(&self) -> &dyn SlabGeometry {
        match self {
            Electrodes::Tips(t) => t,
            Electrodes::Gap(g) => g,
        }
    }

    /// Atoms of the layer facing the gap (a tip's top, or a surface plane).
    fn facing_atoms(&self) -> usize {
        match self {
            Electrodes::Tips(t) => (t.top + 1) * (t.top + 1),
            Electrodes::Gap(g) => 2 * g.nx * g.ny,
        }
    }

    /// Box lengths along x and y.
    fn lengths(&self) -> [f64; 2] {
        match self {
            Electrodes::Tips(t) => [t.cells as f64 * t.a; 2],
            Electrodes::Gap(g) => g.lengths(),
        }
    }
}

/// One configuration, ready for the transport.
struct Structure {
    contact: SlabContact,
    /// Indices of the contact atoms: the two apexes, or the neck atoms.
    contact_atoms: Vec<usize>,
    /// Indices of the atoms of the two layers facing the gap [left, right].
    tops: [Vec<usize>; 2],
    /// After a relaxation: energy (eV, with the pad planes), force of the right half on the
    /// left one along +z (nN, positive for tension) and FIRE steps.
    relaxed: Option<(f64, f64, u64)>,
}

/// The configuration with the first `neck` sites filled (or two apexes for top 0), the right
/// side moved by `stretch`, relaxed with `relax` (potential spec, pad planes, FIRE settings)
/// when given.
fn structure(
    electrodes: &Electrodes,
    sites: &[[f64; 3]],
    neck: usize,
    stretch: f64,
    relax: Option<(&str, usize, &FireParams)>,
    mass: f64,
) -> Result<Structure> {
    let (contact, relaxed) = match relax {
        Some((spec, pad, params)) => {
            let g = electrodes.geometry();
            let r = relax_contact(g, &sites[..neck], stretch, pad, spec, mass, params)?;
            (r.contact, Some((r.pe_ev, r.force_nn, r.fire.steps)))
        }
        None => (
            electrodes
                .geometry()
                .contact_padded(&sites[..neck], stretch, 0)?,
            None,
        ),
    };
    let n_top = electrodes.facing_atoms();
    let half = (contact.positions.len() - neck) / 2;
    let contact_atoms = match (neck, electrodes) {
        (0, Electrodes::Tips(_)) => vec![0, half],
        _ => (0..neck).collect(),
    };
    let tops = [
        (neck..neck + n_top).collect(),
        (neck + half..neck + half + n_top).collect(),
    ];
    Ok(Structure {
        contact,
        contact_atoms,
        tops,
        relaxed,
    })
}

/// Minimum-image distance in the x–y periodic cell of sides `l`.
fn dist(p: &[f64; 3], q: &[f64; 3], l: [f64; 2]) -> f64 {
    (0..3)
        .map(|k| {
            let x = q[k] - p[k];
            let x = if k < 2 {
                x - l[k] * (x / l[k]).round()
            } else {
                x
            };
            x * x
        })
        .sum::<f64>()
        .sqrt()
}

/// Mean, shortest and longest length of the bonds (< [`BOND_A`]) of the contact atoms (NaN
/// without any: an empty gap), and the distance along z between the mean heights of the two
/// top layers.
fn geometry(s: &Structure, l: [f64; 2]) -> (f64, f64, f64, f64) {
    let p = &s.contact.positions;
    let mut bonds = Vec::new();
    for (n, &i) in s.contact_atoms.iter().enumerate() {
        for j in 0..p.len() {
            // Each bond between two contact atoms once.
            if j == i || s.contact_atoms[..n].contains(&j) {
                continue;
            }
            let d = dist(&p[i], &p[j], l);
            if d < BOND_A {
                bonds.push(d);
            }
        }
    }
    let z = |t: &[usize]| t.iter().map(|&i| p[i][2]).sum::<f64>() / t.len() as f64;
    let top_top = z(&s.tops[1]) - z(&s.tops[0]);
    if bonds.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN, top_top);
    }
    let mean = bonds.iter().sum::<f64>() / bonds.len() as f64;
    let min = bonds.iter().copied().fold(f64::INFINITY, f64::min);
    let max = bonds.iter().copied().fold(0.0, f64::max);
    (mean, min, max, top_top)
}

fn main() -> Result<()> {
    env_logger::init();
    let args = Args::parse();
    let a = match (args.a, &args.relax) {
        (Some(a), _) => a,
        (None, Some(spec)) => {
            let eq = equilibrium_lattice(spec, &[])?;
            eprintln!("{spec}: equilibrium lattice constant {:.5} Å", eq.a);
            eq.a
        }
        (None, None) => return Err(Error::run("--a is needed without --relax")),
    };
    let top = if args.bridge { 1 } else { args.top };
    let neck = if args.bridge {
        vec![1]
    } else {
        args.neck.clone()
    };
    let configs = if neck.is_empty() { vec![0] } else { neck };
    let electrodes = match args.surface.as_str() {
        "001" => {
            if args.pyramids {
                return Err(Error::run("--pyramids needs --surface 111"));
            }
            let Some(cells) = args.cells else {
                return Err(Error::run("--cells is needed with --surface 001"));
            };
            let gap = args
                .gap
                .unwrap_or(if top == 0 { a / 2f64.sqrt() } else { a });
            Electrodes::Tips(TipsOnSlabs {
                a,
                cells,
                top,
                base: args.base,
                slab_layers: args.slab_layers,
                gap,
            })
        }
        "111" => {
            if args.bridge || top > 0 || args.gap.is_some() {
                return Err(Error::run(
                    "--surface 111 takes --nx, --ny, --missing and --neck, not --bridge, --top \
                     or --gap",
                ));
            }
            Electrodes::Gap(Gap111 {
                a,
                nx: args.nx,
                ny: args.ny,
                slab_planes: args.slab_layers,
                missing: args.missing,
            })
        }
        s => {
            return Err(Error::run(format!(
                "--surface must be 001 or 111, got '{s}'"
            )))
        }
    };
    let (gap, cells, per_plane, tip_layers) = match &electrodes {
        Electrodes::Tips(t) => (
            t.gap,
            t.cells.to_string(),
            2 * t.cells * t.cells,
            format!("{top},{}", t.base),
        ),
        Electrodes::Gap(g) => (
            (g.missing + 1) as f64 * g.c(),
            format!("{}x{}", g.nx, g.ny),
            2 * g.nx * g.ny,
            ",".to_string(),
        ),
    };
    let sites = match &electrodes {
        _ if configs.iter().all(|&n| n == 0) => Vec::new(),
        Electrodes::Tips(t) => t.neck_sites(args.margin)?,
        Electrodes::Gap(g) if args.pyramids => g.pyramid_sites()?,
        Electrodes::Gap(g) => g.filament_sites()?,
    };
    if let Some(&n) = configs.iter().find(|&&n| n > sites.len()) {
        return Err(Error::run(format!(
            "--neck {n}: only {} neck sites with margin {}",
            sites.len(),
            args.margin
        )));
    }
    let fire_params = FireParams {
        ftol: args.ftol,
        etol: 0.0,
        max_steps: 100_000,
        dt: 0.002,
    };
    std::fs::create_dir_all(&args.work).map_err(|e| Error::io(&args.work, e))?;
    let model = std::fs::canonicalize(&args.model).map_err(|e| Error::io(&args.model, e))?;
    let dftb = model.extension().is_some_and(|e| e == "skf");
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
            "element,contact,cells,atoms_per_plane,top,base,slab_layers,a_A,gap_A,stretch_A,neck_atoms,\
             atoms,\
             relaxed,pe_eV,force_nN,fire_steps,top_top_A,bond_mean_A,bond_min_A,bond_max_A,\
             neutral,mesh,k_points,\
             E_F_eV,G_G0,G_G0_at_EF_minus_0.1,G_G0_at_EF_plus_0.1,tau1_gamma,tau2_gamma,\
             tau3_gamma,open_channels,lead_shift_eV,contact_shift_eV,seconds"
        )
        .map_err(io)?;
    }
    let kind = if matches!(electrodes, Electrodes::Gap(_)) {
        if args.pyramids {
            "pyramids"
        } else {
            "filament"
        }
    } else if top == 0 {
        "apex"
    } else if args.bridge {
        "bridge"
    } else {
        "neck"
    };
    for &n in &configs {
        let t0 = Instant::now();
        let relax = args
            .relax
            .as_deref()
            .map(|spec| (spec, args.pad, &fire_params));
        let s = structure(&electrodes, &sites, n, args.stretch, relax, args.mass)?;
        let t_relax = t0.elapsed().as_secs_f64();
        let (bond_mean, bond_min, bond_max, top_top) = geometry(&s, electrodes.lengths());
        let c = &s.contact;
        let layout = match &electrodes {
            Electrodes::Tips(t) => format!("c{}_t{top}_b{}", t.cells, t.base),
            Electrodes::Gap(g) => format!("{}x{}_m{}", g.nx, g.ny, g.missing),
        };
        let stem = format!(
            "{}_{kind}_{layout}_s{}_g{gap:.3}_d{:.3}_n{n}{}",
            args.element.to_lowercase(),
            args.slab_layers,
            args.stretch,
            if s.relaxed.is_some() { "_relaxed" } else { "" }
        );
        let data = args.work.join(format!("{stem}.data"));
        let mut atoms = Atoms::with_types(vec![args.mass]);
        for (i, p) in c.positions.iter().enumerate() {
            atoms.push_owned(i as u64 + 1, 0, *p, [0.0; 3]);
        }
        let b = [Boundary::Periodic, Boundary::Periodic, Boundary::Fixed];
        write_data(&data, &stem, &SimBox::new(c.lo, c.hi, b), &atoms)?;
        let (pe, force, steps) = match s.relaxed {
            Some((e, f, k)) => (format!("{e:.6}"), format!("{f:.5}"), k.to_string()),
            None => Default::default(),
        };
        eprintln!(
            "{stem}: {} atoms; contact bonds {bond_mean:.4} Å ({bond_min:.4}–{bond_max:.4}), \
             tops {top_top:.4} Å apart{}",
            c.positions.len(),
            match s.relaxed {
                Some((e, f, k)) => format!(
                    "; relaxed in {k} FIRE steps ({t_relax:.1} s): E {e:.4} eV, force {f:.4} nN"
                ),
                None => String::new(),
            }
        );
        for &m in &args.meshes {
            let t1 = Instant::now();
            let deck = args.work.join(format!("{stem}_k{m}.toml"));
            let [[l0, l1], [r0, r1]] = c.lead_ranges;
            let style = if dftb { "dftb" } else { "spd" };
            let cutoff = args
                .dftb_cutoff
                .map(|c| format!("cutoff = {c}\n"))
                .unwrap_or_default();
            let text = format!(
                "[structure]\ndata = {:?}\nboundary = \"p p f\"\n[model]\nstyle = {style:?}\n\
                 parameters = {:?}\nspecies = [{:?}]\nneutrality = {}\n{cutoff}[leads]\naxis = \"z\"\n\
                 left = {{ lo = {l0}, hi = {l1} }}\nright = {{ lo = {r0}, hi = {r1} }}\n\
                 [kpoints]\nmesh = [{m}, {m}]\n[energy]\nvalues = [-0.1, 0.0, 0.1]\n",
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
            // The on-site shift of atom 1: the left apex, or the first neck atom.
            let contact_shift = problem.h_s.dense_at_k([0.0, 0.0])[(0, 0)].re
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
            let secs = t1.elapsed().as_secs_f64() + t_relax;
            writeln!(
                out,
                "{},{kind},{cells},{per_plane},{tip_layers},{},{a:.5},{gap:.4},{:.4},{n},{},{},{pe},{force},{steps},\
                 {top_top:.4},{bond_mean:.4},{bond_min:.4},{bond_max:.4},{},{m},{},{e_f:.6},\
                 {g0:.6},{gm:.6},{gp:.6},{:.6},{:.6},{:.6},{open:.4},{lead_shift:.5},\
                 {contact_shift:.4},{secs:.1}",
                args.element,
                args.slab_layers,
                args.stretch,
                c.positions.len(),
                s.relaxed.is_some(),
                !args.bare,
                points.len(),
                tau(0),
                tau(1),
                tau(2)
            )
            .map_err(io)?;
            out.flush().map_err(io)?;
            eprintln!(
                "{stem} mesh {m}x{m} ({} k): E_F {e_f:.4} eV, G = {g0:.4} G0 \
                 (E_F-0.1: {gm:.4}, +0.1: {gp:.4}), τ {:.3} {:.3}, {open:.2} channels, {secs:.0} s",
                points.len(),
                tau(0),
                tau(1)
            );
        }
    }
    Ok(())
}
