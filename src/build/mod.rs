//! Structure builders: oriented lattices, junctions, pyramidal tips for point contacts, and the
//! relaxation of such contacts between fixed electrodes.

pub mod junction;
pub mod lattice;
pub mod relax;
pub mod tips;

pub use lattice::OrientedFcc;
