//! File formats: LAMMPS data files and dumps, extended XYZ, H5MD trajectories and CSV tables,
//! and the line numbers of TOML text for error messages.
//!
//! The writers are called on rank 0 only, with the owned atoms of the whole system gathered into
//! one [`Atoms`](crate::system::Atoms); they never call MPI.

pub mod csv;
pub mod dump;
pub mod extxyz;
pub mod h5md;
pub mod lammps_data;
pub(crate) mod toml_lines;

#[cfg(test)]
pub(crate) mod test_support;

/// Append one text row `LEAD x y z vx vy vz fx fy fz` (full precision) of owned atom `i`: the
/// per-atom line shared by the dump and extended-XYZ writers.
pub(crate) fn push_xvf_row(s: &mut String, lead: &str, atoms: &crate::system::Atoms, i: usize) {
    use std::fmt::Write;
    s.push_str(lead);
    for c in [atoms.x[i], atoms.v[i], atoms.f[i]].iter().flatten() {
        // Writing to a String cannot fail.
        let _ = write!(s, " {c:.16e}");
    }
    s.push('\n');
}
