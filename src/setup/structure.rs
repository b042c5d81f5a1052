//! The atoms, box and potential of a deck's `[structure]` and `[potential]`: a LAMMPS data
//! file, a junction built by [`crate::build::junction`] (with its groups), or an oriented fcc
//! lattice carved by regions.

use std::path::Path;

use super::masses;
use crate::build::junction;
use crate::build::{pyramids, OrientedFcc};
use crate::deck::{Deck, LatticeDeck};
use crate::error::Result;
use crate::io::lammps_data::DataFile;
use crate::potential::reaxff::QeqSettings;
use crate::potential::{self, Potential};
use crate::system::{Atoms, SimBox};

/// A structure as built from a deck, before any group of the deck's `[[group]]` tables.
pub struct Built {
    pub simbox: SimBox,
    pub atoms: Atoms,
    pub potential: Box<dyn Potential>,
    /// The groups the builder defines (name, indices of member atoms), in order.
    pub groups: Vec<(String, Vec<usize>)>,
}

/// The deck's potential for `ntypes` atom types.
pub fn deck_potential(deck: &Deck, ntypes: usize) -> Result<Box<dyn Potential>> {
    let p = &deck.potential;
    let qeq = QeqSettings {
        tolerance: p.qeq.tolerance,
        max_iterations: p.qeq.max_iterations,
        strict: p.qeq.strict,
    };
    potential::build(p.style, &p.files, &p.elements, ntypes, qeq)
}

/// The box, atoms, potential and builder groups of a deck's `[structure]`.
pub fn build(deck: &Deck, deck_path: &Path) -> Result<Built> {
    let s = &deck.structure;
    let boundary = s.boundary.0;
    if let Some(path) = &s.data {
        let df = DataFile::read(path)?;
        let ntypes = df.masses.len();
        let pot = deck_potential(deck, ntypes)?;
        let given = masses::overrides(&pot.type_masses(), &s.masses, ntypes);
        let (simbox, atoms) = df.into_system(path, boundary, &given)?;
        for w in pot.mass_warnings(&atoms.type_mass) {
            log::warn!("{w}");
        }
        return Ok(Built {
            simbox,
            atoms,
            potential: pot,
            groups: Vec::new(),
        });
    }
    if let Some(j) = &s.junction {
        let built = junction::build(&j.spec())
            .map_err(|e| deck.key_error(deck_path, "structure.junction", e.to_string()))?;
        let pot = deck_potential(deck, 1)?;
        let masses = masses::required(&pot.type_masses(), 1, deck, deck_path)?;
        let simbox = SimBox::new(built.lo, built.hi, boundary);
        let mut atoms = Atoms::with_types(masses);
        let mut groups: Vec<(String, Vec<usize>)> = junction::GROUPS
            .iter()
            .map(|g| (g.to_string(), Vec::new()))
            .collect();
        for (k, (x, g)) in built.positions.iter().zip(&built.group).enumerate() {
            atoms.push_owned(k as u64 + 1, 0, *x, [0.0; 3]);
            groups[*g].1.push(k);
        }
        return Ok(Built {
            simbox,
            atoms,
            potential: pot,
            groups,
        });
    }
    if let Some(t) = &s.tips {
        let built = t
            .spec()
            .build()
            .map_err(|e| deck.key_error(deck_path, "structure.tips", e.to_string()))?;
        let pot = deck_potential(deck, 1)?;
        let masses = masses::required(&pot.type_masses(), 1, deck, deck_path)?;
        let simbox = SimBox::new(built.lo, built.hi, boundary);
        let mut atoms = Atoms::with_types(masses);
        for (k, x) in built.positions.iter().enumerate() {
            atoms.push_owned(k as u64 + 1, 0, *x, [0.0; 3]);
        }
        let groups = pyramids::GROUPS
            .iter()
            .zip(built.groups)
            .map(|(n, m)| (n.to_string(), m))
            .collect();
        return Ok(Built {
            simbox,
            atoms,
            potential: pot,
            groups,
        });
    }
    let l = s
        .lattice
        .as_ref()
        .ok_or_else(|| deck.key_error(deck_path, "structure", "no data file and no lattice"))?;
    lattice(deck, l, deck_path)
}

/// An oriented fcc crystal of `[structure.lattice]`, kept where its regions say.
fn lattice(deck: &Deck, l: &LatticeDeck, deck_path: &Path) -> Result<Built> {
    let fcc = OrientedFcc::new(l.a, l.orient)
        .map_err(|e| deck.key_error(deck_path, "structure.lattice.orient", e.to_string()))?;
    let pot = deck_potential(deck, l.ntypes)?;
    let masses = masses::required(&pot.type_masses(), l.ntypes, deck, deck_path)?;
    let len: Vec<f64> = (0..3).map(|d| l.cells[d] as f64 * fcc.period(d)).collect();
    let lo = [0, 1, 2].map(|d| -l.vacuum[d]);
    let hi = [0, 1, 2].map(|d| len[d] + l.vacuum[d]);
    let simbox = SimBox::new(lo, hi, deck.structure.boundary.0);
    let mut atoms = Atoms::with_types(masses);
    let mut id = 0;
    for x in fcc.sites(l.cells) {
        if l.keep.is_empty() || l.keep.iter().any(|r| r.contains(&x)) {
            id += 1;
            atoms.push_owned(id, l.r#type - 1, x, [0.0; 3]);
        }
    }
    if id == 0 {
        return Err(deck.key_error(
            deck_path,
            "structure.lattice.keep",
            "the regions keep no atom",
        ));
    }
    Ok(Built {
        simbox,
        atoms,
        potential: pot,
        groups: Vec::new(),
    })
}
