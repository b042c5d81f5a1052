//! The groups of a deck: those its structure builder defines (the junction's five), then its
//! `[[group]]` regions evaluated on the initial structure.

use crate::deck::Deck;
use crate::error::Result;
use crate::system::{Atoms, Groups};

/// Define the builder's groups (`preset`: name, indices of member atoms) and the deck's
/// `[[group]]` regions, marking the member atoms of `atoms`.
pub fn define(deck: &Deck, preset: &[(String, Vec<usize>)], atoms: &mut Atoms) -> Result<Groups> {
    let mut groups = Groups::default();
    for (name, members) in preset {
        let bit = groups.define(name)?;
        for &i in members {
            atoms.mask[i] |= bit;
        }
    }
    for g in &deck.group {
        let bit = groups.define(&g.name)?;
        for i in 0..atoms.nlocal {
            if g.region.contains(&atoms.x[i]) {
                atoms.mask[i] |= bit;
            }
        }
    }
    Ok(groups)
}

/// The global ids of the members of every group a deck defines, in the order of [`define`]
/// (the builder's groups, then the `[[group]]` regions).
pub fn ids(deck: &Deck, preset: &[(String, Vec<usize>)], atoms: &Atoms) -> Vec<(String, Vec<u64>)> {
    let mut out: Vec<(String, Vec<u64>)> = preset
        .iter()
        .map(|(name, idx)| (name.clone(), idx.iter().map(|&i| atoms.id[i]).collect()))
        .collect();
    for g in &deck.group {
        let ids = (0..atoms.nlocal)
            .filter(|&i| g.region.contains(&atoms.x[i]))
            .map(|i| atoms.id[i])
            .collect();
        out.push((g.name.clone(), ids));
    }
    out
}
