//! H5MD 1.1 trajectories (P. de Buyl, P. H. Colberg, F. Höfling, "H5MD: a structured,
//! efficient, and portable file format for molecular data", Comput. Phys. Commun. 185, 1546
//! (2014); specification <https://www.nongnu.org/h5md/h5md.html>, version 1.1.0), with the H5MD
//! `units` module 1.0. The unit strings are those MDAnalysis 2.x's H5MD reader accepts
//! (`Angstrom`, `Angstrom ps-1`, `ps`); forces are stored in `kJ mol-1 Angstrom-1` (the eV/Å of
//! the MD times e·N_A/1000 = 96.485…), because MDAnalysis knows no eV-based force unit. The
//! reader converts them back to eV/Å, and reads files of the earlier units (`Ang`, `Ang ps-1`,
//! `eV Ang-1`) as they are. `bench/h5md/` opens a run's file with MDAnalysis and h5py. The
//! layout written by [`H5mdWriter`]:
//!
//! ```text
//! /h5md                       +-- version = [1, 1]
//!      author                 +-- name
//!      creator                +-- name = "nanocontact", version = crate version
//!      modules/units          +-- version = [1, 0], system = "SI"
//! /particles/all
//!      box                    +-- dimension = 3, boundary = ["periodic"|"none"; 3]
//!                             +-- lammps_boundary = e.g. "p p f"        (nanocontact)
//!          edges              step, time, value: f64 [frames][3]       Angstrom
//!          corners            step, time, value: f64 [frames][2][3]    Angstrom ([lo, hi]; nanocontact)
//!      position               step: i64 [frames], time: f64 [frames] (ps), value: f64 [frames][N][3] (Angstrom)
//!      image                  value: i32 [frames][N][3]
//!      velocity               value: f64 [frames][N][3]                Angstrom ps-1
//!      force                  value: f64 [frames][N][3]                kJ mol-1 Angstrom-1
//!      species                value: i32 [frames][N]   0-based type (LAMMPS type − 1), fill −1
//!      id                     value: i64 [frames][N]   global atom id, fill −1 (no atom)
//!      charge                 value: f64 [frames][N]   e; only when the atoms carry charges
//!                                                      (the per-atom field `q`)
//! /observables/<name>         step: i64, time: f64 (ps), value: f64, each [samples]
//!                             (`run` writes its thermo and lead observables at every frame:
//!                             MDAnalysis reads sample k as the data of frame k)
//! /parameters/species_names   string [ntypes]: the name of each type, e.g. ["Au"]
//! ```
//!
//! Every element of `/particles/all` shares the `step` and `time` datasets of `position` through
//! hard links, as the specification requires for `image` and `box`. Positions are wrapped into
//! the box along periodic axes and `image` holds the periodic image counts, so that the absolute
//! position is `position + image * edges` (H5MD 1.1, "image"). Atoms are written sorted by id;
//! the `[N]` axis grows if a later frame has more atoms, and a frame with fewer atoms than the
//! axis pads with `id = -1` (the fill value, "no particle" in H5MD) and NaN.
//!
//! All datasets are chunked and extensible along the frame axis. A frame is written value
//! datasets first and the shared `step`/`time` last, then the file is flushed: a reader counts
//! frames by `position/step`, so a run that stops between two frames leaves a readable file.
//! (HDF5 locks a file open for writing: read it after the run, or with `HDF5_USE_FILE_LOCKING=FALSE`
//! at the reader's own risk.)

mod layout;
mod reader;
#[cfg(test)]
mod tests;
mod writer;

pub use layout::{LENGTH_UNIT, PARTICLE_GROUP};
pub use reader::{H5mdFrame, H5mdReader, ObservableSeries};
pub use writer::H5mdWriter;
