//! File formats: LAMMPS data files and dumps, extended XYZ, H5MD trajectories and CSV tables.
//!
//! The writers are called on rank 0 only, with the owned atoms of the whole system gathered into
//! one [`Atoms`](crate::system::Atoms); they never call MPI.

pub mod csv;
pub mod dump;
pub mod extxyz;
pub mod h5md;
pub mod lammps_data;

#[cfg(test)]
pub(crate) mod test_support;
