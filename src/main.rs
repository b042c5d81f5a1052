//! The `nanocontact` command line: argument parsing only; the work is in the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use mpi::traits::Communicator;
use nanocontact::analysis::{rheology_cli, rheology_run};
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
    Run {
        /// Input deck (see inputs/); omit for the built-in demo.
        deck: Option<PathBuf>,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// MPI processor grid px,py,pz (default: the deck's, else minimal ghost surface).
        #[arg(long, value_parser = parse_grid)]
        grid: Option<[usize; 3]>,
    },
    /// Single-point energy, pressure and forces of a LAMMPS data file (like LAMMPS `run 0`).
    Eval {
        /// LAMMPS data file (atom_style atomic).
        data: PathBuf,
        /// Potential: eam:FILE[,FILE..] | eam/alloy:FILE | eam/fs:FILE.
        #[arg(long)]
        potential: String,
        /// Element of each atom type for setfl/FS files, as `pair_coeff * * FILE E1 E2`.
        #[arg(long, value_delimiter = ',')]
        elements: Vec<String>,
        /// Boundary conditions of x, y, z (p periodic, f fixed, s shrink-wrapped).
        #[arg(long, default_value = "p p p")]
        boundary: String,
        /// Write `id fx fy fz` per atom, sorted by id, to this file.
        #[arg(long)]
        dump: Option<PathBuf>,
        /// Neighbour skin, Å.
        #[arg(long, default_value_t = 1.0)]
        skin: f64,
        /// MPI processor grid px,py,pz (default: minimal ghost surface).
        #[arg(long, value_parser = parse_grid)]
        grid: Option<[usize; 3]>,
    },
    /// Build a deck's structure (lattice, junction, data file) and write it as a LAMMPS data file.
    Build {
        /// Input deck.
        deck: PathBuf,
        /// Output data file.
        #[arg(long, default_value = "structure.data")]
        out: PathBuf,
    },
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
    Rheology {
        /// Output folder of `nanocontact run` (stages.csv, leads.csv).
        #[arg(required_unless_present = "signal", conflicts_with = "signal")]
        run: Option<PathBuf>,
        /// CSV with columns time_ps,h_A,force_nN (header line required).
        #[arg(long, requires_all = ["freq_ghz", "a0_nm"])]
        signal: Option<PathBuf>,
        /// Drive frequency, GHz (with --signal).
        #[arg(long)]
        freq_ghz: Option<f64>,
        /// Drive amplitude a0 of h(t) = h0 + a0·sin(ωt), nm (with --signal).
        #[arg(long)]
        a0_nm: Option<f64>,
        /// Reference length h0 (strain ε0 = a0/h0), nm.
        #[arg(long)]
        h0_nm: f64,
        /// Contact area S (σ0 = A/S), nm².
        #[arg(long)]
        area_nm2: f64,
        /// Transient cycles skipped from the first sample.
        #[arg(long, default_value_t = 0)]
        skip_cycles: usize,
    },
}

/// Parse `px,py,pz`.
fn parse_grid(s: &str) -> Result<[usize; 3], String> {
    let v: Vec<usize> = s
        .split(',')
        .map(|t| {
            t.trim()
                .parse::<usize>()
                .map_err(|_| format!("'{t}' is not a positive integer"))
        })
        .collect::<Result<_, _>>()?;
    match v[..] {
        [a, b, c] if a > 0 && b > 0 && c > 0 => Ok([a, b, c]),
        _ => Err(format!(
            "expected three positive integers px,py,pz, got '{s}'"
        )),
    }
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
    let level = if world.is_root() { "info" } else { "warn" };
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(level))
        .format_timestamp(None)
        .format_target(false)
        .init();
    let cli = Cli::parse();
    let rank = world.rank();
    let result = match cli.command {
        Command::Run { deck, out, grid } => {
            commands::md_run::run(&commands::md_run::RunOptions { deck, out, grid }, world)
        }
        Command::Eval {
            data,
            potential,
            elements,
            boundary,
            dump,
            skin,
            grid,
        } => {
            let opts = commands::eval::EvalOptions {
                data,
                potential,
                elements,
                boundary,
                dump,
                skin,
                grid,
            };
            commands::eval::run(&opts, world)
        }
        Command::Build { deck, out } => commands::md_run::build_only(&deck, &out, world),
        Command::Transport {
            deck,
            hamiltonian,
            energies,
            out,
        } => match (deck, hamiltonian, energies) {
            (Some(deck), _, _) => {
                nanocontact::transport::farm::transport_command(&deck, &out, &world)
            }
            (None, Some(h), Some(e)) => {
                if world.is_root() {
                    nanocontact::transport::cli::run_hamiltonian(&h, &e, &out)
                } else {
                    Ok(())
                }
            }
            _ => Err(nanocontact::error::Error::run(
                "transport needs a DECK, or --hamiltonian with --energies",
            )),
        },
        Command::Farm { deck, out } => {
            nanocontact::transport::farm::farm_command(&deck, &out, &world)
        }
        Command::Analyze {
            what:
                AnalyzeCmd::Rheology {
                    run,
                    signal,
                    freq_ghz,
                    a0_nm,
                    h0_nm,
                    area_nm2,
                    skip_cycles,
                },
        } => match (run, signal, freq_ghz, a0_nm) {
            (_, Some(signal), Some(freq_ghz), Some(a0_nm)) => {
                let opts = rheology_cli::SignalOptions {
                    signal,
                    freq_ghz,
                    a0_nm,
                    h0_nm,
                    area_nm2,
                    skip_cycles,
                };
                rheology_cli::run_signal(&opts).map(|line| println!("{line}"))
            }
            (Some(run), ..) => {
                let opts = rheology_run::RunOptions {
                    run,
                    h0_nm,
                    area_nm2,
                    skip_cycles,
                };
                rheology_run::run(&opts).map(|lines| lines.iter().for_each(|l| println!("{l}")))
            }
            _ => Err(nanocontact::error::Error::run(
                "analyze rheology needs RUN or --signal with --freq-ghz and --a0-nm",
            )),
        },
    };
    if let Err(e) = result {
        eprintln!("ERROR (rank {rank}): {e}");
        if size > 1 {
            mpi::topology::SimpleCommunicator::world().abort(1);
        }
        drop(universe);
        std::process::exit(1);
    }
}
