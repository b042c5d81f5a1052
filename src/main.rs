//! Minimal CLI of the transport branch: only `transport --hamiltonian`. The full clap CLI lives
//! on main; this subcommand is wired into it on merge.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "nanocontact",
    version,
    about = "Metal nanocontacts: MD and Landauer transport"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Landauer transmission T(E), open channels and eigenchannels of a two-terminal
    /// tight-binding Hamiltonian given as matrices (Kwant reference format).
    Transport {
        /// system.json with H_S, the leads' H00, H01, V_S_lead1 (and k-points if periodic).
        #[arg(long)]
        hamiltonian: PathBuf,
        /// CSV whose first column, headed E_eV, lists the energies.
        #[arg(long)]
        energies: PathBuf,
        /// Output folder for transmission.csv and eigenchannels.csv.
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Transport {
            hamiltonian,
            energies,
            out,
        } => nanocontact::transport::cli::run_hamiltonian(&hamiltonian, &energies, &out),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
