//! Structure builders: oriented lattices, junctions, pyramidal tips for point contacts, (111)
//! slabs across a gap for filaments, and the relaxation of such contacts between fixed
//! electrodes.

pub mod gap111;
pub mod junction;
pub mod lattice;
pub mod pyramids;
pub mod relax;
pub mod tips;

pub use lattice::OrientedFcc;
