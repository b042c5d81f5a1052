//! The simulated system: atoms (structure of arrays with global ids), the orthorhombic box with
//! LAMMPS-style per-axis boundaries, named groups and geometric regions, and the registry of
//! extra per-atom fields that travel with their atoms ([`Fields`]).

mod atoms;
mod fields;
mod group;
mod region;
mod simbox;

pub use atoms::Atoms;
pub use fields::{charge_field, FieldId, FieldSpec, Fields, CHARGE, ECHEMDID_PHI};
pub use group::Groups;
pub use region::{Axis, Region};
pub use simbox::{Boundary, SimBox};
