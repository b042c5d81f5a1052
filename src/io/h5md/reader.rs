//! [`H5mdReader`]: frames and observables read back from an H5MD file (of this writer, or of
//! another program writing the layout described in [`super`]).

use std::path::{Path, PathBuf};

use hdf5::types::{FixedAscii, VarLenUnicode};
use hdf5::Dataset;
use ndarray::s;

use super::layout::{
    h5err, read_str_attr, read_unit, FORCE_UNITS_EV, FORCE_UNITS_KJ, LENGTH_UNITS_READ,
    PARTICLE_GROUP, VELOCITY_UNITS_READ,
};
use crate::error::{Error, Result};
use crate::system::{Boundary, SimBox};
use crate::units::KJ_PER_MOL_PER_EV;

#[derive(Clone, Debug, PartialEq)]
pub struct H5mdFrame {
    /// Timestep.
    pub step: u64,
    /// Simulated time, ps.
    pub time_ps: f64,
    /// The box: corners from `box/corners` if present, else from 0 to `edges`;
    /// boundaries from `lammps_boundary` if present, else `periodic` → p and `none` → f.
    pub simbox: SimBox,
    /// Global atom ids.
    pub ids: Vec<u64>,
    /// 0-based types (species).
    pub types: Vec<u32>,
    /// Positions as written (wrapped along periodic axes), Å.
    pub positions: Vec<[f64; 3]>,
    /// Periodic image counts.
    pub images: Vec<[i32; 3]>,
    /// Velocities, Å/ps.
    pub velocities: Vec<[f64; 3]>,
    /// Forces, eV/Å (converted from the kJ/(mol Å) of the file where its unit says so).
    pub forces: Vec<[f64; 3]>,
    /// Charges, e, when the file has the `charge` element.
    pub charges: Option<Vec<f64>>,
}

/// A scalar observable read back from `/observables/<name>`.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservableSeries {
    /// Steps of the samples.
    pub steps: Vec<u64>,
    /// Times of the samples, ps.
    pub times_ps: Vec<f64>,
    /// The values.
    pub values: Vec<f64>,
}

/// Reads frames and observables of an H5MD file written by [`H5mdWriter`].
#[derive(Debug)]
pub struct H5mdReader {
    path: PathBuf,
    file: hdf5::File,
    species: Vec<String>,
    n_frames: usize,
    boundary: [Boundary; 3],
    /// The file's force unit in eV/Å: a force read is divided by it (1 for eV/Å).
    force_unit_in_ev_per_a: f64,
}

impl H5mdReader {
    /// Open the H5MD file at `path` (read-only) and count its complete frames.
    pub fn open(path: &Path) -> Result<H5mdReader> {
        let file = hdf5::File::open(path).map_err(h5err(path))?;
        let bad = |msg: String| Error::input(path, None, msg);
        let version: Vec<i32> = file
            .group("h5md")
            .and_then(|g| g.attr("version"))
            .and_then(|a| a.read_raw())
            .map_err(|e| {
                bad(format!(
                    "not an H5MD file (no /h5md version attribute: {e})"
                ))
            })?;
        if version.first() != Some(&1) {
            return Err(bad(format!(
                "H5MD version {version:?} is not supported (expected 1.x)"
            )));
        }
        let species = match file.dataset("parameters/species_names") {
            Ok(ds) => ds
                .read_raw::<VarLenUnicode>()
                .map_err(|e| bad(format!("unreadable /parameters/species_names: {e}")))?
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            Err(_) => Vec::new(),
        };
        let mut reader = H5mdReader {
            path: path.to_path_buf(),
            file,
            species,
            n_frames: 0,
            boundary: [Boundary::Periodic; 3],
            force_unit_in_ev_per_a: 1.0,
        };
        if reader.file.link_exists("particles/all/position") {
            reader.boundary = reader.read_boundary()?;
            let mut n = usize::MAX;
            for name in [
                "position/step",
                "position/time",
                "position/value",
                "image/value",
                "velocity/value",
                "force/value",
                "species/value",
                "id/value",
                "box/edges/value",
            ] {
                n = n.min(reader.dataset(name)?.shape().first().copied().unwrap_or(0));
            }
            reader.n_frames = n;
            reader.force_unit_in_ev_per_a = reader.check_units()?;
        }
        Ok(reader)
    }

    /// Check the `unit` attributes of the per-atom and box datasets against the units this
    /// reader knows (Å and Å/ps in any spelling of [`super`], forces in eV/Å or kJ/(mol Å)); a
    /// dataset without one is taken in those units. Returns how many of the file's force units
    /// make one eV/Å.
    fn check_units(&self) -> Result<f64> {
        let unit = |name: &str| -> Result<Option<String>> { Ok(read_unit(&self.dataset(name)?)) };
        let unknown = |name: &str, u: &str, known: &[&str]| {
            Error::input(
                &self.path,
                None,
                format!(
                    "{PARTICLE_GROUP}/{name} has unit '{u}'; this reader knows {}",
                    known.join(", ")
                ),
            )
        };
        for name in ["position/value", "box/edges/value"] {
            if let Some(u) = unit(name)? {
                if !LENGTH_UNITS_READ.contains(&u.as_str()) {
                    return Err(unknown(name, &u, &LENGTH_UNITS_READ));
                }
            }
        }
        if let Some(u) = unit("velocity/value")? {
            if !VELOCITY_UNITS_READ.contains(&u.as_str()) {
                return Err(unknown("velocity/value", &u, &VELOCITY_UNITS_READ));
            }
        }
        match unit("force/value")? {
            None => Ok(1.0),
            Some(u) if FORCE_UNITS_EV.contains(&u.as_str()) => Ok(1.0),
            Some(u) if FORCE_UNITS_KJ.contains(&u.as_str()) => Ok(KJ_PER_MOL_PER_EV),
            Some(u) => Err(unknown(
                "force/value",
                &u,
                &[&FORCE_UNITS_EV[..], &FORCE_UNITS_KJ[..]].concat(),
            )),
        }
    }

    fn dataset(&self, name: &str) -> Result<Dataset> {
        let full = format!("{PARTICLE_GROUP}/{name}");
        let ds = self
            .file
            .dataset(&full)
            .map_err(|e| Error::input(&self.path, None, format!("missing dataset {full}: {e}")))?;
        self.plausible(ds, &full)
    }

    /// `ds` if the data it declares could be in the file: at most 64 times the file's size
    /// (plus 1 MiB) in bytes, which any compression of real data stays under. A damaged header
    /// that declares more is an error here, not an allocation failure (found by bench/fuzz).
    fn plausible(&self, ds: Dataset, name: &str) -> Result<Dataset> {
        let file_len = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        let elem = ds.dtype().map_or(8, |t| t.size()) as u128;
        let bytes = ds.shape().iter().map(|&n| n as u128).product::<u128>() * elem;
        if bytes > 64 * u128::from(file_len) + (1 << 20) {
            return Err(Error::input(
                &self.path,
                None,
                format!(
                    "dataset {name} declares {bytes} bytes of data, more than this file of \
                     {file_len} bytes can hold: the file is damaged"
                ),
            ));
        }
        Ok(ds)
    }

    fn read_boundary(&self) -> Result<[Boundary; 3]> {
        let bad = |msg: String| Error::input(&self.path, None, msg);
        let bx = self
            .file
            .group(&format!("{PARTICLE_GROUP}/box"))
            .map_err(|e| bad(format!("missing {PARTICLE_GROUP}/box: {e}")))?;
        if let Ok(letters) = read_str_attr(&bx, "lammps_boundary") {
            return SimBox::parse_boundary(&letters)
                .ok_or_else(|| bad(format!("bad lammps_boundary '{letters}'")));
        }
        let names: Vec<FixedAscii<16>> = bx
            .attr("boundary")
            .and_then(|a| a.read_raw())
            .map_err(|e| bad(format!("box has no boundary attribute: {e}")))?;
        if names.len() != 3 {
            return Err(bad(format!(
                "box boundary has {} entries, expected 3",
                names.len()
            )));
        }
        let mut b = [Boundary::Fixed; 3];
        for (d, s) in names.iter().enumerate() {
            b[d] = match s.as_str() {
                "periodic" => Boundary::Periodic,
                "none" => Boundary::Fixed,
                other => return Err(bad(format!("unknown box boundary '{other}'"))),
            };
        }
        Ok(b)
    }

    /// Number of complete frames.
    pub fn n_frames(&self) -> usize {
        self.n_frames
    }

    /// Name of each 0-based type, from `/parameters/species_names` (empty if absent).
    pub fn species_names(&self) -> &[String] {
        &self.species
    }

    /// Read frame `k` (0-based); atoms with the fill id −1 are skipped.
    pub fn frame(&self, k: usize) -> Result<H5mdFrame> {
        if k >= self.n_frames {
            return Err(Error::run(format!(
                "{}: frame {k} requested, the file has {} frames",
                self.path.display(),
                self.n_frames
            )));
        }
        let e = h5err(&self.path);
        let scalar_f64 = |name: &str| -> Result<f64> {
            let v = self
                .dataset(name)?
                .read_slice_1d::<f64, _>(s![k..k + 1])
                .map_err(&e)?;
            Ok(v[0])
        };
        let row3_f64 = |name: &str| -> Result<Vec<[f64; 3]>> {
            let a = self
                .dataset(name)?
                .read_slice_2d::<f64, _>(s![k, .., ..])
                .map_err(&e)?;
            if a.ncols() != 3 {
                return Err(self.bad_shape(name, k, a.ncols()));
            }
            Ok(a.rows().into_iter().map(|r| [r[0], r[1], r[2]]).collect())
        };
        let step = self
            .dataset("position/step")?
            .read_slice_1d::<i64, _>(s![k..k + 1])
            .map_err(&e)?[0];
        let time_ps = scalar_f64("position/time")?;
        let edges = self
            .dataset("box/edges/value")?
            .read_slice_1d::<f64, _>(s![k, ..])
            .map_err(&e)?;
        if edges.len() != 3 {
            return Err(Error::input(
                &self.path,
                None,
                "box edges must have 3 components (cuboid box)",
            ));
        }
        let (lo, hi) = if self
            .file
            .link_exists(&format!("{PARTICLE_GROUP}/box/corners"))
        {
            let c = row3_f64("box/corners/value")?;
            if c.len() != 2 {
                return Err(Error::input(
                    &self.path,
                    None,
                    "box corners must be a 2 x 3 array per frame",
                ));
            }
            (c[0], c[1])
        } else {
            ([0.0; 3], [edges[0], edges[1], edges[2]])
        };
        let simbox = SimBox::new(lo, hi, self.boundary);
        let ids_raw = self
            .dataset("id/value")?
            .read_slice_1d::<i64, _>(s![k, ..])
            .map_err(&e)?;
        let spc = self
            .dataset("species/value")?
            .read_slice_1d::<i32, _>(s![k, ..])
            .map_err(&e)?;
        let pos = row3_f64("position/value")?;
        let vel = row3_f64("velocity/value")?;
        let frc = row3_f64("force/value")?;
        let img_a = self
            .dataset("image/value")?
            .read_slice_2d::<i32, _>(s![k, .., ..])
            .map_err(&e)?;
        if img_a.ncols() != 3 {
            return Err(self.bad_shape("image/value", k, img_a.ncols()));
        }
        let chg = match self.file.link_exists(&format!("{PARTICLE_GROUP}/charge")) {
            true => Some(
                self.dataset("charge/value")?
                    .read_slice_1d::<f64, _>(s![k, ..])
                    .map_err(&e)?,
            ),
            false => None,
        };
        let n_rows = ids_raw.len();
        let mut lengths = vec![
            ("species/value", spc.len()),
            ("position/value", pos.len()),
            ("velocity/value", vel.len()),
            ("force/value", frc.len()),
            ("image/value", img_a.nrows()),
        ];
        if let Some(c) = &chg {
            lengths.push(("charge/value", c.len()));
        }
        if let Some((name, len)) = lengths.into_iter().find(|&(_, len)| len != n_rows) {
            return Err(Error::input(
                &self.path,
                None,
                format!(
                    "{PARTICLE_GROUP}/{name} has {len} atoms in frame {k}, {PARTICLE_GROUP}/id/value {n_rows}"
                ),
            ));
        }
        let img: Vec<[i32; 3]> = img_a
            .rows()
            .into_iter()
            .map(|r| [r[0], r[1], r[2]])
            .collect();
        let mut f = H5mdFrame {
            step: u64::try_from(step)
                .map_err(|_| Error::input(&self.path, None, format!("negative step {step}")))?,
            time_ps,
            simbox,
            ids: Vec::new(),
            types: Vec::new(),
            positions: Vec::new(),
            images: Vec::new(),
            velocities: Vec::new(),
            forces: Vec::new(),
            charges: chg.as_ref().map(|_| Vec::new()),
        };
        for (r, &id) in ids_raw.iter().enumerate() {
            if id < 0 {
                continue;
            }
            let t = u32::try_from(spc[r]).map_err(|_| {
                Error::input(
                    &self.path,
                    None,
                    format!("atom {id} has species {} in frame {k}", spc[r]),
                )
            })?;
            f.ids.push(id as u64);
            f.types.push(t);
            f.positions.push(pos[r]);
            f.images.push(img[r]);
            f.velocities.push(vel[r]);
            f.forces
                .push(frc[r].map(|c| c / self.force_unit_in_ev_per_a));
            if let (Some(out), Some(c)) = (f.charges.as_mut(), &chg) {
                out.push(c[r]);
            }
        }
        Ok(f)
    }

    /// The error for a per-atom vector dataset whose rows do not have 3 components.
    fn bad_shape(&self, name: &str, k: usize, cols: usize) -> Error {
        Error::input(
            &self.path,
            None,
            format!(
                "{PARTICLE_GROUP}/{name} has {cols} components per atom in frame {k}, expected 3"
            ),
        )
    }

    /// Names of the observables in `/observables`.
    pub fn observable_names(&self) -> Vec<String> {
        self.file
            .group("observables")
            .and_then(|g| g.member_names())
            .unwrap_or_default()
    }

    /// Read the complete samples of the scalar observable `/observables/<name>`.
    pub fn observable(&self, name: &str) -> Result<ObservableSeries> {
        let e = h5err(&self.path);
        let g = self
            .file
            .group(&format!("observables/{name}"))
            .map_err(|_| Error::input(&self.path, None, format!("no observable '{name}'")))?;
        let read = |leaf: &str| -> Result<Dataset> {
            let ds = g.dataset(leaf).map_err(&e)?;
            self.plausible(ds, &format!("observables/{name}/{leaf}"))
        };
        let steps: Vec<i64> = read("step")?.read_raw().map_err(&e)?;
        let times: Vec<f64> = read("time")?.read_raw().map_err(&e)?;
        let values: Vec<f64> = read("value")?.read_raw().map_err(&e)?;
        let n = steps.len().min(times.len()).min(values.len());
        Ok(ObservableSeries {
            steps: steps[..n].iter().map(|&s| s.max(0) as u64).collect(),
            times_ps: times[..n].to_vec(),
            values: values[..n].to_vec(),
        })
    }
}
