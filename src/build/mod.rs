//! Structure builders: oriented lattices (and, later, junctions, tips and chains).

pub mod junction;
pub mod lattice;

pub use lattice::OrientedFcc;
