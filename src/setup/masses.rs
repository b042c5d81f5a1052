//! The mass of each atom type, by one rule: the potential file's mass (EAM files carry one, as
//! LAMMPS `pair_coeff` of the eam styles sets it), else the deck's `structure.masses`, else, for
//! a LAMMPS data file, its `Masses` section; a type with none of them is an error naming it.

use std::path::Path;

use crate::deck::Deck;
use crate::error::Result;

/// The masses given before a data file's own for `ntypes` types: the potential's, else the
/// deck's (`None` where neither gives one).
pub fn overrides(potential: &[Option<f64>], deck: &[f64], ntypes: usize) -> Vec<Option<f64>> {
    (0..ntypes)
        .map(|t| potential.get(t).copied().flatten().or(deck.get(t).copied()))
        .collect()
}

/// The masses of a structure built from the deck (no data file): every type needs one from
/// the potential or from `structure.masses`.
pub fn required(
    potential: &[Option<f64>],
    ntypes: usize,
    deck: &Deck,
    deck_path: &Path,
) -> Result<Vec<f64>> {
    overrides(potential, &deck.structure.masses, ntypes)
        .into_iter()
        .enumerate()
        .map(|(t, m)| {
            m.ok_or_else(|| {
                deck.key_error(
                    deck_path,
                    "structure.masses",
                    format!("no mass for type {}", t + 1),
                )
            })
        })
        .collect()
}
