//! Stage 1 of the transport pipeline: tight-binding models and their parameter files.
//!
//! [`tight_binding`] is the trait every model implements (on-site and hopping blocks, and the
//! overlap of a non-orthogonal basis, for a bond between two atoms) with the atom and the wire
//! lead geometry; the models are [`sutton`] (single s orbital), [`slater_koster`] (spd, Au and
//! Ag, orthogonal) and [`dftb`] (spd, non-orthogonal, tabulated), and [`model_file`] reads one
//! by its file's extension. [`band_filling`] gives the Fermi energy of a lead's bands and
//! [`bulk_bands`] the bands and Fermi energy of the bulk crystal of a model. Nothing here
//! knows of transport problems: the later stages use these models, never the reverse.

pub mod band_filling;
pub mod bulk_bands;
pub mod dftb;
pub mod model_file;
pub mod slater_koster;
pub mod sutton;
pub mod tight_binding;
