//! Structure builders: oriented lattices, junctions, and pyramidal tips for point contacts.

pub mod junction;
pub mod lattice;
pub mod tips;

pub use lattice::OrientedFcc;
