//! Interatomic potentials behind one trait, chosen by name (`eam`, `eam/alloy`, `eam/fs`) as
//! LAMMPS pair styles are. A potential computes energies, forces and the virial from a half
//! neighbour list; whatever per-atom field it needs on ghost atoms (EAM's F'(ρ)) it asks the
//! [`Halo`] to communicate, and it never calls MPI itself.

pub mod eam;

use crate::neighbor::NeighborList;
use crate::parallel::Halo;
use crate::system::Atoms;

/// Energy and virial summed over the pairs and atoms of this rank.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    /// Potential energy, eV.
    pub pe: f64,
    /// Virial W_ab = Σ_pairs r_a·F_b (xx, yy, zz, xy, xz, yz), eV.
    pub virial: [f64; 6],
}

/// An interatomic potential.
pub trait Potential {
    /// Style name and file, for logs.
    fn describe(&self) -> String;
    /// Interaction cutoff, Å.
    fn cutoff(&self) -> f64;
    /// Mass of each atom type where the potential file gives one (amu).
    fn type_masses(&self) -> Vec<Option<f64>>;
    /// Add forces to owned and ghost atoms of `atoms` (ghost forces are summed back to their
    /// owners by the caller) and return this rank's energy and virial. Forces are accumulated,
    /// not zeroed.
    fn compute(&mut self, atoms: &mut Atoms, list: &NeighborList, halo: &mut dyn Halo) -> Tally;
}

use std::path::PathBuf;

use crate::error::{Error, Result};

/// Build a potential from a command-line spec `STYLE:FILE[,FILE..]` (`eam:Au_u3.eam`,
/// `eam/alloy:CuNi.eam.alloy`, `eam/fs:AlFe_mm.eam.fs`) for `ntypes` atom types, with the
/// element of each type for setfl/FS files (as `pair_coeff * * FILE E1 E2 ..`).
pub fn from_spec(spec: &str, elements: &[String], ntypes: usize) -> Result<Box<dyn Potential>> {
    let (style, files) = spec.split_once(':').ok_or_else(|| {
        Error::run(format!(
            "potential '{spec}': expected STYLE:FILE with STYLE one of eam, eam/alloy, eam/fs"
        ))
    })?;
    let style = eam::EamStyle::from_name(style).ok_or_else(|| {
        Error::run(format!(
            "potential style '{style}' is unknown: expected eam, eam/alloy or eam/fs"
        ))
    })?;
    let files: Vec<PathBuf> = files.split(',').map(PathBuf::from).collect();
    build(style, &files, elements, ntypes)
}

/// The one potential factory, behind [`from_spec`] and a deck's `[potential]`: a potential of
/// `style` from `files` for `ntypes` atom types, with the element of each type for setfl/FS
/// files.
pub fn build(
    style: eam::EamStyle,
    files: &[PathBuf],
    elements: &[String],
    ntypes: usize,
) -> Result<Box<dyn Potential>> {
    Ok(Box::new(eam::Eam::new(style, files, elements, ntypes)?))
}
