//! The simulated system: atoms (structure of arrays with global ids), the orthorhombic box with
//! LAMMPS-style per-axis boundaries, named groups and geometric regions.

mod atoms;
mod group;
mod region;
mod simbox;

pub use atoms::Atoms;
pub use group::Groups;
pub use region::{axis_index, Region};
pub use simbox::{Boundary, SimBox};
