//! `nanocontact build`: a deck's structure (lattice, junction or data file, with its groups)
//! written as a LAMMPS data file, without running.

use std::path::PathBuf;

use log::info;

use crate::deck::Deck;
use crate::error::Result;
use crate::io::lammps_data::write_data;
use crate::parallel::World;
use crate::setup::build_md;

/// Options of `build`.
#[derive(Clone, Debug, clap::Args)]
pub struct BuildOptions {
    /// Input deck.
    pub deck: PathBuf,
    /// Output data file.
    #[arg(long, default_value = "structure.data")]
    pub out: PathBuf,
}

/// `nanocontact build DECK --out FILE`: build the deck's structure (lattice, junction or data
/// file, with its groups) and write it as a LAMMPS data file without running; log the group
/// sizes.
pub fn run(opts: &BuildOptions, world: World) -> Result<()> {
    let (deck_path, out) = (opts.deck.as_path(), opts.out.as_path());
    let deck = Deck::read(deck_path)?;
    let md = build_md(&deck, deck_path, world, None)?;
    let mut counts = Vec::new();
    for name in md.groups.names() {
        let bit = md.groups.bit(name).unwrap_or(0);
        let n = md.atoms.mask[..md.atoms.nlocal]
            .iter()
            .filter(|&&m| m & bit != 0)
            .count() as u64;
        counts.push((name.clone(), md.world.sum_u64(n)));
    }
    let all = md.gather();
    if let Some(all) = all {
        write_data(
            out,
            &format!("nanocontact build of {}", deck_path.display()),
            &md.simbox,
            &all,
        )?;
        let l = md.simbox.lengths();
        info!(
            "{} atoms, box {:.4} x {:.4} x {:.4} A, boundary {}",
            md.natoms,
            l[0],
            l[1],
            l[2],
            md.simbox.boundary_string()
        );
        for (name, n) in counts {
            info!("group {name}: {n} atoms");
        }
        info!("structure written to {}", out.display());
    }
    Ok(())
}
