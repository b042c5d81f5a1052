//! What a transport calculation of snapshots is asked to do, as plain parameters: where the
//! structure comes from ([`StructureFile`]), the tight-binding model ([`ModelSpec`]), the lead
//! regions ([`LeadRegion`]), the k∥ mesh, E_F ([`FermiLevel`]) and the energy grid
//! ([`SnapshotSpec`]). The input layer (a transport deck, `crate::deck::transport`) fills them
//! in; this layer does not read decks.
//!
//! Each set of parameters names the file it was read from ([`SnapshotSpec::source`]), and the
//! errors about a parameter name it by its key in that file (`model.species`, `leads.left`, ..),
//! so that a message points at the line to fix.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::system::Boundary;
use crate::transport::model::dftb::{self, Dftb, SkfTables};
use crate::transport::model::slater_koster::{SlaterKoster, ORBITALS};
use crate::transport::model::sutton::SuttonSBand;
use crate::transport::model::tight_binding::TightBinding;

/// The file of one structure, or of the frames of a trajectory.
#[derive(Clone, Debug, PartialEq)]
pub enum StructureFile {
    /// An H5MD trajectory (written by `nanocontact run`); its frames carry their box.
    Trajectory(PathBuf),
    /// A LAMMPS data file (atom_style atomic) with the boundary of its box along x, y, z.
    Data {
        path: PathBuf,
        boundary: [Boundary; 3],
    },
}

/// The tight-binding model of the electrons.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelKind {
    /// The single s-orbital model of gold (Sutton), with its hopping tail switched off
    /// smoothly between `r_on` and `r_off` (Å; default: the model's).
    SuttonGold {
        r_on: Option<f64>,
        r_off: Option<f64>,
    },
    /// The orthogonal Slater–Koster spd model of a parameter file.
    SlaterKoster { parameters: PathBuf },
    /// The non-orthogonal DFTB model of a homonuclear `.skf` table, truncated (smoothly) at
    /// `cutoff` Å (default [`dftb::DEFAULT_CUTOFF`]).
    Dftb {
        parameters: PathBuf,
        cutoff: Option<f64>,
    },
}

/// The model and the electrons it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSpec {
    pub kind: ModelKind,
    /// Element of each 0-based atom type (default: the structure's names); the parameter file
    /// of spd and dftb describes one element, which every atom type present must be.
    pub species: Option<Vec<String>>,
    /// Valence electrons per atom (band filling and neutrality; default: the model's).
    pub electrons_per_atom: Option<f64>,
    /// Whether the leads and each structure are made locally charge neutral at E_F.
    pub neutrality: bool,
}

/// The atoms of a lead region of a structure.
#[derive(Clone, Debug, PartialEq)]
pub enum LeadRegion {
    /// The atoms of a named group of the MD run (by atom id).
    Group(String),
    /// The atoms with `lo <= x <= hi` along the transport axis (Å; infinite for an open end).
    Range { lo: f64, hi: f64 },
}

/// How E_F is fixed.
#[derive(Clone, Debug, PartialEq)]
pub enum FermiLevel {
    /// A given energy, eV.
    Fixed(f64),
    /// The band filling of the left lead: `q_points` along the axis, and the k∥ mesh `kmesh`
    /// over the periodic transverse directions (default: the transport mesh).
    BandFilling {
        q_points: usize,
        kmesh: Option<[usize; 2]>,
    },
}

/// The gap between two tips cut out of each frame and placed between ideal fcc(111) slabs
/// (`transport::farm::gap`), instead of the frame itself.
#[derive(Clone, Debug, PartialEq)]
pub struct GapSpec {
    /// Cube edge of the slabs' fcc lattice (Å).
    pub a: f64,
    /// Rectangular cells d × d√3 of the (111) planes across the axis (d = a/√2).
    pub cells: [usize; 2],
    /// (111) planes of each slab (the outer two are its lead region).
    pub slab_planes: usize,
    /// Atoms within this distance of an apex plane belong to the tips (Å).
    pub margin: f64,
    /// Gap atoms farther than this from the tips' axis are left out (Å; none if absent).
    pub radius: Option<f64>,
    /// The apex planes along the axis (Å; default: the reference frame's).
    pub apexes: Option<[f64; 2]>,
    /// The tips' axis across the transport axis (Å; default: the reference frame's mean).
    pub center: Option<[f64; 2]>,
}

/// Everything the snapshots of one calculation share: model, leads, k∥ mesh, E_F, energies.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotSpec {
    /// The file these parameters come from, named in error messages.
    pub source: PathBuf,
    pub model: ModelSpec,
    /// Transport axis (0, 1, 2 for x, y, z).
    pub axis: usize,
    /// The [left, right] lead regions.
    pub leads: [LeadRegion; 2],
    /// Å: atomic planes and lead matching.
    pub tolerance: f64,
    /// Monkhorst–Pack points along the two transverse axes (in order), 1 where not periodic.
    pub kmesh: [usize; 2],
    /// Halve the mesh where the Hamiltonian is real.
    pub time_reversal: bool,
    pub fermi: FermiLevel,
    /// The energies, eV relative to E_F.
    pub energies: Vec<f64>,
    /// Transmission eigenvalues stored per energy.
    pub eigenchannels: usize,
    /// The gap of two tips between fcc(111) slabs instead of the frame; `leads` are then the
    /// slabs' outer planes.
    pub gap: Option<GapSpec>,
}

/// A built tight-binding model, with its electrons and orbitals per atom.
pub struct BuiltModel {
    pub model: Box<dyn TightBinding>,
    /// Valence electrons per atom (band filling and charge neutrality).
    pub electrons_per_atom: f64,
    /// Orbitals per atom.
    pub orbitals: usize,
}

impl ModelSpec {
    /// The model for a structure whose 0-based types `types` occur, with the names
    /// `type_names` the structure gives them (empty if none); `source` is named in errors. For
    /// spd and dftb every type present must be the element of the parameter file (`species`,
    /// or else the structure's names).
    pub fn build(&self, source: &Path, type_names: &[String], types: &[u32]) -> Result<BuiltModel> {
        match &self.kind {
            ModelKind::Dftb { parameters, cutoff } => {
                let tables = SkfTables::read(parameters)?;
                self.check_species(source, parameters, &tables.element, type_names, types)?;
                let z = self
                    .electrons_per_atom
                    .unwrap_or(tables.valence_electrons());
                let model = Dftb::with_cutoff(
                    tables,
                    cutoff.unwrap_or(dftb::DEFAULT_CUTOFF),
                    dftb::DEFAULT_TAPER,
                )?;
                Ok(BuiltModel {
                    model: Box::new(model),
                    electrons_per_atom: z,
                    orbitals: ORBITALS,
                })
            }
            ModelKind::SlaterKoster { parameters } => {
                let sk = SlaterKoster::read(parameters)?;
                self.check_species(source, parameters, &sk.params.element, type_names, types)?;
                let z = self
                    .electrons_per_atom
                    .unwrap_or(sk.params.valence_electrons);
                Ok(BuiltModel {
                    model: Box::new(sk),
                    electrons_per_atom: z,
                    orbitals: ORBITALS,
                })
            }
            ModelKind::SuttonGold { r_on, r_off } => {
                let mut s = SuttonSBand::gold();
                if let Some(r) = r_on {
                    s.r_on_ang = *r;
                }
                if let Some(r) = r_off {
                    s.r_off_ang = *r;
                }
                // One 6s electron per gold atom.
                Ok(BuiltModel {
                    model: Box::new(s),
                    electrons_per_atom: self.electrons_per_atom.unwrap_or(1.0),
                    orbitals: 1,
                })
            }
        }
    }

    /// Every atom type present must be named `element`, the element of the parameter `file`
    /// (`species`, or else the structure's names `type_names`).
    fn check_species(
        &self,
        source: &Path,
        file: &Path,
        element: &str,
        type_names: &[String],
        types: &[u32],
    ) -> Result<()> {
        let names = self.species.as_deref().unwrap_or(type_names);
        let mut present: Vec<u32> = types.to_vec();
        present.sort_unstable();
        present.dedup();
        for t in present {
            let name = names.get(t as usize).ok_or_else(|| {
                Error::key(
                    source,
                    "model.species",
                    format!(
                        "atom type {} has no element name (the structure names {} type(s)); \
                         give species = [\"{}\", ...], one name per type",
                        t + 1,
                        names.len(),
                        element
                    ),
                )
            })?;
            if *name != element {
                return Err(Error::key(
                    source,
                    "model.species",
                    format!(
                        "atom type {} is '{name}' but {} describes '{}' only",
                        t + 1,
                        file.display(),
                        element
                    ),
                ));
            }
        }
        Ok(())
    }
}
