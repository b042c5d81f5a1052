//! The `nanocontact` command line: argument parsing only; the work is in the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use mpi::traits::Communicator;
use nanocontact::analysis::structure::cli as structure_cli;
use nanocontact::analysis::{force_conductance, rewiring, rheology_run, surface_energy};
use nanocontact::commands;
use nanocontact::parallel::World;

#[derive(Parser)]
#[command(
    name = "nanocontact",
    version,
    about = "Molecular dynamics and quantum transport of metal nanocontacts (LAMMPS metal units)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run an MD deck (TOML); with no deck, the built-in gold nanojunction demo.
    Run(commands::run::RunOptions),
    /// Single-point energy, pressure and forces of a LAMMPS data file (like LAMMPS `run 0`).
    Eval(commands::eval::EvalOptions),
    /// Build a deck's structure (lattice, junction, data file) and write it as a LAMMPS data file.
    Build(commands::build::BuildOptions),
    /// Landauer transmission T(E), open channels, eigenchannels and G/G0 at E_F: of one
    /// structure given by a transport deck (TOML), or of a two-terminal tight-binding
    /// Hamiltonian given as matrices (the Kwant reference format).
    Transport {
        /// Transport deck: structure, model, leads, k-mesh, energies (see src/deck/transport.rs).
        #[arg(
            required_unless_present = "hamiltonian",
            conflicts_with = "hamiltonian"
        )]
        deck: Option<PathBuf>,
        /// system.json with H_S, the leads' H00, H01, V_S_lead1 (and k-points if periodic).
        #[arg(long, requires = "energies")]
        hamiltonian: Option<PathBuf>,
        /// CSV whose first column, headed E_eV, lists the energies.
        #[arg(long, requires = "hamiltonian")]
        energies: Option<PathBuf>,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Farm the (frame, k∥) units of a trajectory's frames over the MPI ranks: T(E), G/G0 and
    /// eigenchannels per frame into DIR/farm.h5 and CSV; re-running skips stored units.
    Farm {
        /// Transport deck with [structure] trajectory = "traj.h5".
        deck: PathBuf,
        /// Output folder.
        #[arg(long, default_value = "farm")]
        out: PathBuf,
        /// With a [gap] deck: also write each selected frame as embedded between the slabs
        /// (the geometry its G is computed on) to DIR/frame_<step>.data (LAMMPS data, atom_style
        /// atomic, box periodic across the axis), with the lead ranges along the axis in
        /// DIR/embedded.csv, e.g. for a DFT run of the same geometry.
        #[arg(long, value_name = "DIR")]
        write_embedded: Option<PathBuf>,
    },
    /// PNG figure of columns of a CSV file: lines of --y against --x (each --y one panel,
    /// stacked, sharing x), or the histogram of --hist in bins of --bin.
    Plot(commands::plot::PlotOptions),
    /// Current-induced forces in atomic wires: steady state under bias, response matrix,
    /// mode frequencies.
    Wire {
        #[command(subcommand)]
        what: commands::wire::WireCommand,
    },
    /// Analyse recorded runs.
    Analyze {
        #[command(subcommand)]
        what: AnalyzeCmd,
    },
}

#[derive(Subcommand)]
enum AnalyzeCmd {
    /// Fit F(t) = F0 + A·sin(ωt + φ) and print G', G'' as one JSON line: of a force signal
    /// (--signal), or of every oscillation stage of a run folder (RUN; also writes
    /// RUN/rheology.csv).
    Rheology(rheology_run::RheologyArgs),
    /// Minimal cross-section N(z) and bond-angle distribution ρ(θ) of a junction: of frames of
    /// a run folder (traj.h5) or of a LAMMPS data file. Writes cross_section_z.csv,
    /// cross_section.csv and rho_theta.csv, prints one JSON line.
    Structure(structure_cli::StructureOptions),
    /// The force between the leads of a run and the conductance of its farmed frames on one
    /// time axis: force_conductance.csv, force_conductance_stages.csv (mean, spread and
    /// correlation per stage), force_conductance.png, conductance_vs_force.png; one JSON line.
    ForceConductance(force_conductance::Options),
    /// The stages of a gap's rewiring between two tips, frame by frame, of a run of a
    /// [structure.tips] deck: rewiring.csv, rewiring_stages.csv, rewiring.png; one JSON line.
    Rewiring(rewiring::RewiringArgs),
    /// Surface energies γ(111), γ(100), γ(110) of an EAM potential from relaxed slabs, as one
    /// JSON line (J/m² and meV/Å², relaxed and unrelaxed).
    SurfaceEnergy(surface_energy::SurfaceOptions),
}

fn main() {
    let universe = mpi::initialize();
    let world = match &universe {
        Some(u) => World::from_comm(u.world()),
        None => World::serial(),
    };
    // A panic on one rank must end every rank rather than hang the job.
    let default_hook = std::panic::take_hook();
    let size = world.size();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        if size > 1 {
            mpi::topology::SimpleCommunicator::world().abort(101);
        }
    }));
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .format_timestamp(None)
        .format_target(false)
        .init();
    // Rank 0 logs; the others only warnings and errors (unless a rank takes on a role that
    // logs, as the first transport rank of a run with transport ranks).
    if !world.is_root() {
        log::set_max_level(log::max_level().min(log::LevelFilter::Warn));
    }
    let cli = Cli::parse();
    let rank = world.rank();
    let result = match cli.command {
        Command::Run(opts) => commands::run::run(&opts, world),
        Command::Eval(opts) => commands::eval::run(&opts, world),
        Command::Build(opts) => commands::build::run(&opts, world),
        Command::Transport {
            deck,
            hamiltonian,
            energies,
            out,
        } => match (deck, hamiltonian, energies) {
            (Some(deck), _, _) => commands::farm::transport_command(&deck, &out, &world),
            (None, Some(h), Some(e)) => {
                if world.is_root() {
                    commands::transport::run_hamiltonian(&h, &e, &out)
                } else {
                    Ok(())
                }
            }
            _ => Err(nanocontact::error::Error::run(
                "transport needs a DECK, or --hamiltonian with --energies",
            )),
        },
        Command::Farm {
            deck,
            out,
            write_embedded,
        } => commands::farm::farm_command(&deck, &out, write_embedded.as_deref(), &world),
        Command::Plot(opts) => {
            if world.is_root() {
                commands::plot::run(&opts)
            } else {
                Ok(())
            }
        }
        Command::Wire {
            what: commands::wire::WireCommand::Scan(opts),
        } => commands::wire_scan::scan(&opts, &world).map(|line| {
            if let Some(l) = line {
                println!("{l}")
            }
        }),
        Command::Wire {
            what: commands::wire::WireCommand::EhrenfestScan(opts),
        } => commands::wire_ehrenfest_scan::scan(&opts, &world).map(|line| {
            if let Some(l) = line {
                println!("{l}")
            }
        }),
        Command::Wire { .. } if !world.is_root() => Ok(()),
        Command::Wire {
            what: commands::wire::WireCommand::Ehrenfest(opts),
        } => commands::wire_ehrenfest::run(&opts, &world).map(|line| {
            if let Some(l) = line {
                println!("{l}")
            }
        }),
        Command::Wire {
            what: commands::wire::WireCommand::Response(opts),
        } => commands::wire::response(&opts).map(|line| println!("{line}")),
        Command::Analyze { .. } if !world.is_root() => Ok(()),
        Command::Analyze {
            what: AnalyzeCmd::Rheology(args),
        } => rheology_run::run_args(args).map(|lines| lines.iter().for_each(|l| println!("{l}"))),
        Command::Analyze {
            what: AnalyzeCmd::Structure(opts),
        } => structure_cli::run(&opts).map(|line| println!("{line}")),
        Command::Analyze {
            what: AnalyzeCmd::ForceConductance(opts),
        } => force_conductance::run(&opts).map(|line| println!("{line}")),
        Command::Analyze {
            what: AnalyzeCmd::Rewiring(args),
        } => rewiring::run(&args).map(|line| println!("{line}")),
        Command::Analyze {
            what: AnalyzeCmd::SurfaceEnergy(opts),
        } => surface_energy::run(&opts).map(|line| println!("{line}")),
    };
    if let Err(e) = result {
        // One write of the whole line, flushed, before the abort can cut it short.
        let line = format!("ERROR (rank {rank}): {e}\n");
        let mut err = std::io::stderr().lock();
        let _ = std::io::Write::write_all(&mut err, line.as_bytes());
        let _ = std::io::Write::flush(&mut err);
        drop(err);
        if size > 1 {
            mpi::topology::SimpleCommunicator::world().abort(1);
        }
        drop(universe);
        std::process::exit(1);
    }
}
