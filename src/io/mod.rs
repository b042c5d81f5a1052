//! File formats: LAMMPS data files and dumps, extended XYZ, H5MD trajectories, CSV tables,
//! checkpoints, and the line numbers of TOML text for error messages.
//!
//! The writers are called on rank 0 only, with the owned atoms of the whole system gathered into
//! one [`Atoms`](crate::system::Atoms); they never call MPI.

pub mod checkpoint;
pub mod csv;
pub mod dump;
pub mod extxyz;
pub mod h5md;
pub mod lammps_data;
pub(crate) mod toml_lines;

#[cfg(test)]
pub(crate) mod test_support;

/// Open `path` to go on writing after a restart: cut to `len` bytes (what it held when the
/// checkpoint was written; the run after the checkpoint may have written more) and positioned at
/// the end. A file shorter than `len` is not the one the checkpointed run wrote: an error.
pub fn reopen_at(path: &std::path::Path, len: u64) -> crate::error::Result<std::fs::File> {
    use crate::error::Error;
    let f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    let have = f.metadata().map_err(|e| Error::io(path, e))?.len();
    if have < len {
        return Err(Error::input(
            path,
            None,
            format!("{have} bytes, shorter than the {len} it had at the checkpoint"),
        ));
    }
    f.set_len(len).map_err(|e| Error::io(path, e))?;
    Ok(f)
}

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
