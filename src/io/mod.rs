//! File formats: LAMMPS data files and dumps, extended XYZ, H5MD trajectories and CSV tables.

pub mod lammps_data;
