//! From a deck to the MD state, in one place: the structure ([`structure`]: data file,
//! junction or lattice, with the potential of [`crate::potential::build`] and the masses of
//! [`masses`]), the groups ([`groups`]), the leads and thermostats ([`drive`]), and the
//! decomposition over the ranks ([`build_md`]).

pub mod drive;
pub mod groups;
pub mod masses;
pub mod structure;

use std::path::Path;

use crate::deck::Deck;
use crate::dynamics::leads::RigidLeads;
use crate::dynamics::thermostat::Thermostats;
use crate::dynamics::Md;
use crate::error::Result;
use crate::parallel::World;

/// The global ids of the atoms of every group a deck defines (its builder's groups, then its
/// `[[group]]` regions evaluated on the initial structure, as [`build_md`] does), without
/// setting up any dynamics: how a transport deck names the lead atoms of an MD trajectory.
pub fn deck_group_ids(deck_path: &Path) -> Result<Vec<(String, Vec<u64>)>> {
    let deck = Deck::read(deck_path)?;
    let built = structure::build(&deck, deck_path)?;
    Ok(groups::ids(&deck, &built.groups, &built.atoms))
}

/// Set up the MD state of a deck: structure, potential, groups, frozen groups, leads,
/// thermostats, decomposition over the ranks of `world` (`grid` overrides the deck's
/// `[parallel] grid`), forces.
pub fn build_md(
    deck: &Deck,
    deck_path: &Path,
    world: World,
    grid: Option<[usize; 3]>,
) -> Result<Md> {
    let structure::Built {
        simbox,
        mut atoms,
        potential,
        groups: preset,
    } = structure::build(deck, deck_path)?;
    let groups = groups::define(deck, &preset, &mut atoms)?;
    let mut frozen = 0;
    for (k, name) in deck.run.freeze.iter().enumerate() {
        frozen |= drive::group_bit(&groups, name, deck, deck_path, &format!("run.freeze[{k}]"))?;
    }
    let leads = drive::leads(deck, &groups, deck_path)?;
    for l in &leads {
        frozen |= l.bit;
    }
    let thermostats = drive::thermostats(
        &deck.thermostat,
        "thermostat",
        &groups,
        &leads,
        deck,
        deck_path,
    )?;
    let grid = grid.or(deck.parallel.grid);
    let mut md = Md::new(
        simbox,
        atoms,
        groups,
        potential,
        deck.neighbor.skin,
        world,
        grid,
    )?;
    md.set_frozen(frozen);
    if !thermostats.is_empty() {
        md.add_hook(Box::new(Thermostats { list: thermostats }));
    }
    if !leads.is_empty() {
        md.add_hook(Box::new(RigidLeads { list: leads }));
    }
    if let Some(e) = &deck.echemdid {
        md.add_hook(Box::new(drive::echemdid(e, &md.groups, deck, deck_path)?));
    }
    md.neigh_every = deck.neighbor.every;
    md.set_timestep(deck.run.timestep);
    md.setup()?;
    Ok(md)
}
