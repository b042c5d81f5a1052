//! H5MD 1.1 trajectories (P. de Buyl, P. H. Colberg, F. Höfling, "H5MD: a structured,
//! efficient, and portable file format for molecular data", Comput. Phys. Commun. 185, 1546
//! (2014); specification <https://www.nongnu.org/h5md/h5md.html>, version 1.1.0), with the H5MD
//! `units` module 1.0 (unit strings such as `Ang ps-1`). The layout written by [`H5mdWriter`]:
//!
//! ```text
//! /h5md                       +-- version = [1, 1]
//!      author                 +-- name
//!      creator                +-- name = "nanocontact", version = crate version
//!      modules/units          +-- version = [1, 0], system = "SI"
//! /particles/all
//!      box                    +-- dimension = 3, boundary = ["periodic"|"none"; 3]
//!                             +-- lammps_boundary = e.g. "p p f"        (nanocontact)
//!          edges              step, time, value: f64 [frames][3]       Ang
//!          corners            step, time, value: f64 [frames][2][3]    Ang ([lo, hi]; nanocontact)
//!      position               step: i64 [frames], time: f64 [frames] (ps), value: f64 [frames][N][3] (Ang)
//!      image                  value: i32 [frames][N][3]
//!      velocity               value: f64 [frames][N][3]                Ang ps-1
//!      force                  value: f64 [frames][N][3]                eV Ang-1
//!      species                value: i32 [frames][N]   0-based type (LAMMPS type − 1), fill −1
//!      id                     value: i64 [frames][N]   global atom id, fill −1 (no atom)
//! /observables/<name>         step: i64, time: f64 (ps), value: f64, each [samples]
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

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hdf5::types::{FixedAscii, FixedUnicode, VarLenAscii, VarLenUnicode};
use hdf5::{Dataset, Group, H5Type};
use ndarray::{s, ArrayView1, ArrayView2};

use crate::error::{Error, Result};
use crate::system::{Atoms, Boundary, SimBox};

/// Name of the particle group written by [`H5mdWriter`].
pub const PARTICLE_GROUP: &str = "/particles/all";

/// Frames held per chunk along the time axis of the scalar datasets (`step`, `time`, observables).
const TIME_CHUNK: usize = 1024;
/// Largest number of atoms per chunk of a per-atom dataset (32768 × 3 × 8 B = 768 KiB).
const ATOM_CHUNK: usize = 1 << 15;
/// Longest string held in a fixed-length string attribute.
const MAX_STR: usize = 255;

/// A crate error for an HDF5 failure on `path`.
fn h5err(path: &Path) -> impl Fn(hdf5::Error) -> Error + '_ {
    move |e| Error::io(path, std::io::Error::other(format!("HDF5: {e}")))
}

/// Write a scalar fixed-length UTF-8 string attribute (H5MD: "fixed-length string datatype").
fn write_str_attr(loc: &Group, name: &str, value: &str) -> hdf5::Result<()> {
    let dtype = hdf5::Datatype::from_descriptor(&hdf5::types::TypeDescriptor::FixedUnicode(
        value.len().max(1),
    ))?;
    let attr = loc
        .new_attr_builder()
        .empty_as(&dtype)
        .shape(())
        .create(name)?;
    let v: FixedUnicode<MAX_STR> = value
        .parse()
        .map_err(|e| hdf5::Error::from(format!("{e}")))?;
    attr.as_writer().write_scalar(&v)
}

/// Read a scalar fixed-length string attribute written by [`write_str_attr`].
fn read_str_attr(loc: &Group, name: &str) -> hdf5::Result<String> {
    let v: FixedUnicode<MAX_STR> = loc.attr(name)?.as_reader().read_scalar()?;
    Ok(v.as_str().to_string())
}

/// Attach the H5MD `units` module attribute `unit` (scalar, variable-length ASCII) to `ds`.
fn write_unit(ds: &Dataset, unit: &str) -> hdf5::Result<()> {
    let v = VarLenAscii::from_ascii(unit).map_err(|e| hdf5::Error::from(format!("{e}")))?;
    ds.new_attr::<VarLenAscii>()
        .shape(())
        .create("unit")?
        .as_writer()
        .write_scalar(&v)
}

/// Create an empty dataset of rank `1 + row.len()`, extensible along the frame axis and, when
/// `atom_axis` is set, along the atom axis (the first entry of `row`).
fn create_series<T: H5Type>(
    g: &Group,
    name: &str,
    row: &[usize],
    atom_axis: bool,
    fill: T,
) -> hdf5::Result<Dataset> {
    let mut extents = vec![hdf5::Extent::resizable(0)];
    let mut chunk = vec![if row.is_empty() { TIME_CHUNK } else { 1 }];
    for (k, &n) in row.iter().enumerate() {
        if k == 0 && atom_axis {
            extents.push(hdf5::Extent::resizable(n));
            chunk.push(n.clamp(1, ATOM_CHUNK));
        } else {
            extents.push(hdf5::Extent::fixed(n));
            chunk.push(n);
        }
    }
    g.new_dataset::<T>()
        .chunk(chunk)
        .fill_value(fill)
        .shape(hdf5::SimpleExtents::from_vec(extents))
        .create(name)
}

/// Grow `ds` to `rows` along the frame axis, keeping its other dimensions.
fn resize_rows(ds: &Dataset, rows: usize) -> hdf5::Result<()> {
    let mut shape = ds.shape();
    shape[0] = rows;
    ds.resize(shape)
}

/// Write element `k` of a 1-D series, growing it to `k + 1` entries.
fn put_scalar<T: H5Type>(ds: &Dataset, k: usize, v: T) -> hdf5::Result<()> {
    resize_rows(ds, k + 1)?;
    ds.as_writer()
        .write_slice(ArrayView1::from(&[v]), s![k..k + 1])
}

/// Write row `k` (a vector, e.g. one id per atom) of a 2-D series, growing it to `k + 1` rows.
fn put_row<T: H5Type>(ds: &Dataset, k: usize, row: &[T]) -> hdf5::Result<()> {
    resize_rows(ds, k + 1)?;
    ds.as_writer().write_slice(ArrayView1::from(row), s![k, ..])
}

/// Write row `k` (an `n × 3` block) of a 3-D series, growing it to `k + 1` rows.
fn put_row3<T: H5Type>(ds: &Dataset, k: usize, row: &[T]) -> hdf5::Result<()> {
    resize_rows(ds, k + 1)?;
    let view = ArrayView2::from_shape((row.len() / 3, 3), row)
        .map_err(|e| hdf5::Error::from(e.to_string()))?;
    ds.as_writer().write_slice(view, s![k, .., ..])
}

/// The datasets of `/particles/all`, created with the first frame.
#[derive(Debug)]
struct ParticleSets {
    /// Width of the atom axis.
    ncap: usize,
    boundary: [Boundary; 3],
    step: Dataset,
    time: Dataset,
    position: Dataset,
    image: Dataset,
    velocity: Dataset,
    force: Dataset,
    species: Dataset,
    id: Dataset,
    edges: Dataset,
    /// Lower and upper box corners, exactly as held (`edges` alone loses the origin).
    corners: Dataset,
}

impl ParticleSets {
    fn create(
        file: &hdf5::File,
        ncap: usize,
        boundary: [Boundary; 3],
    ) -> hdf5::Result<ParticleSets> {
        let all = file.create_group("particles")?.create_group("all")?;
        let pos = all.create_group("position")?;
        let step = create_series::<i64>(&pos, "step", &[], false, 0)?;
        let time = create_series::<f64>(&pos, "time", &[], false, f64::NAN)?;
        write_unit(&time, "ps")?;
        let position = create_series::<f64>(&pos, "value", &[ncap, 3], true, f64::NAN)?;
        write_unit(&position, "Ang")?;
        // Every other element links to the step and time of `position`.
        let element = |parent: &Group, name: &str| -> hdf5::Result<Group> {
            let g = parent.create_group(name)?;
            g.link_hard(&format!("{PARTICLE_GROUP}/position/step"), "step")?;
            g.link_hard(&format!("{PARTICLE_GROUP}/position/time"), "time")?;
            Ok(g)
        };
        let image = create_series::<i32>(&element(&all, "image")?, "value", &[ncap, 3], true, 0)?;
        let velocity = create_series::<f64>(
            &element(&all, "velocity")?,
            "value",
            &[ncap, 3],
            true,
            f64::NAN,
        )?;
        write_unit(&velocity, "Ang ps-1")?;
        let force = create_series::<f64>(
            &element(&all, "force")?,
            "value",
            &[ncap, 3],
            true,
            f64::NAN,
        )?;
        write_unit(&force, "eV Ang-1")?;
        let species = create_series::<i32>(&element(&all, "species")?, "value", &[ncap], true, -1)?;
        let id = create_series::<i64>(&element(&all, "id")?, "value", &[ncap], true, -1)?;

        let bx = all.create_group("box")?;
        bx.new_attr::<i32>()
            .shape(())
            .create("dimension")?
            .as_writer()
            .write_scalar(&3)?;
        let names: Vec<FixedAscii<8>> = boundary
            .iter()
            .map(|&b| {
                let s = if b == Boundary::Periodic {
                    "periodic"
                } else {
                    "none"
                };
                FixedAscii::<8>::from_ascii(s).map_err(|e| hdf5::Error::from(e.to_string()))
            })
            .collect::<hdf5::Result<_>>()?;
        bx.new_attr::<FixedAscii<8>>()
            .shape(3)
            .create("boundary")?
            .as_writer()
            .write(&names)?;
        let letters: Vec<String> = boundary.iter().map(|b| b.letter().to_string()).collect();
        write_str_attr(&bx, "lammps_boundary", &letters.join(" "))?;
        let edges = create_series::<f64>(&element(&bx, "edges")?, "value", &[3], false, f64::NAN)?;
        write_unit(&edges, "Ang")?;
        let corners =
            create_series::<f64>(&element(&bx, "corners")?, "value", &[2, 3], false, f64::NAN)?;
        write_unit(&corners, "Ang")?;
        Ok(ParticleSets {
            ncap,
            boundary,
            step,
            time,
            position,
            image,
            velocity,
            force,
            species,
            id,
            edges,
            corners,
        })
    }

    /// Widen the atom axis of every per-atom dataset to `n` (frames `0..rows` keep their data).
    fn widen(&mut self, rows: usize, n: usize) -> hdf5::Result<()> {
        for ds in [&self.position, &self.image, &self.velocity, &self.force] {
            ds.resize((rows, n, 3))?;
        }
        for ds in [&self.species, &self.id] {
            ds.resize((rows, n))?;
        }
        self.ncap = n;
        Ok(())
    }
}

/// One time series of `/observables`.
#[derive(Debug)]
struct Observable {
    step: Dataset,
    time: Dataset,
    value: Dataset,
    len: usize,
    last_step: Option<u64>,
}

/// Writes an H5MD trajectory, frame by frame, and scalar observables (see the module doc).
#[derive(Debug)]
pub struct H5mdWriter {
    path: PathBuf,
    file: hdf5::File,
    ntypes: usize,
    particles: Option<ParticleSets>,
    n_frames: usize,
    last_step: Option<u64>,
    observables: HashMap<String, Observable>,
}

impl H5mdWriter {
    /// Create (or truncate) an H5MD file at `path`. `species_names[t]` names 0-based type `t`
    /// (e.g. `["Au"]`); `author` is the H5MD `author/name` (the person responsible for the run).
    pub fn create(path: &Path, species_names: &[&str], author: &str) -> Result<H5mdWriter> {
        for (what, s) in [
            ("author name", author),
            ("program version", env!("CARGO_PKG_VERSION")),
        ] {
            if s.len() > MAX_STR || s.contains('\0') {
                return Err(Error::run(format!(
                    "{}: H5MD {what} must be at most {MAX_STR} bytes without NUL",
                    path.display()
                )));
            }
        }
        let e = h5err(path);
        let file = hdf5::File::create(path).map_err(&e)?;
        let h5md = file.create_group("h5md").map_err(&e)?;
        (|| -> hdf5::Result<()> {
            h5md.new_attr_builder()
                .with_data(&[1i32, 1])
                .create("version")?;
            write_str_attr(&h5md.create_group("author")?, "name", author)?;
            let creator = h5md.create_group("creator")?;
            write_str_attr(&creator, "name", "nanocontact")?;
            write_str_attr(&creator, "version", env!("CARGO_PKG_VERSION"))?;
            let units = h5md.create_group("modules")?.create_group("units")?;
            units
                .new_attr_builder()
                .with_data(&[1i32, 0])
                .create("version")?;
            let si = VarLenAscii::from_ascii("SI").map_err(|e| hdf5::Error::from(e.to_string()))?;
            units
                .new_attr::<VarLenAscii>()
                .shape(())
                .create("system")?
                .as_writer()
                .write_scalar(&si)?;
            let names: Vec<VarLenUnicode> = species_names
                .iter()
                .map(|s| {
                    s.parse::<VarLenUnicode>()
                        .map_err(|e| hdf5::Error::from(e.to_string()))
                })
                .collect::<hdf5::Result<_>>()?;
            let params = file.create_group("parameters")?;
            params
                .new_dataset::<VarLenUnicode>()
                .shape(names.len())
                .create("species_names")?
                .write(&names)?;
            file.flush()
        })()
        .map_err(&e)?;
        Ok(H5mdWriter {
            path: path.to_path_buf(),
            file,
            ntypes: species_names.len(),
            particles: None,
            n_frames: 0,
            last_step: None,
            observables: HashMap::new(),
        })
    }

    /// Number of frames written.
    pub fn n_frames(&self) -> usize {
        self.n_frames
    }

    /// Append the owned atoms of `atoms` (ghosts are ignored; positions as held, wrapped along
    /// periodic axes, with their image counts) as a frame at `step` and time `time_ps`, sorted
    /// by id, then flush the file. Steps must not decrease, the boundaries must stay those of
    /// the first frame, and every type needs a species name.
    pub fn append_frame(
        &mut self,
        step: u64,
        time_ps: f64,
        simbox: &SimBox,
        atoms: &Atoms,
    ) -> Result<()> {
        let path = self.path.clone();
        if self.last_step.is_some_and(|last| step < last) {
            return Err(Error::run(format!(
                "{}: frame at step {step} after a frame at step {}: H5MD steps must increase",
                path.display(),
                self.last_step.unwrap_or(0)
            )));
        }
        if let Some(&t) = atoms.typ[..atoms.nlocal]
            .iter()
            .find(|&&t| t as usize >= self.ntypes)
        {
            return Err(Error::run(format!(
                "{}: atom type {} has no species name ({} given)",
                path.display(),
                t + 1,
                self.ntypes
            )));
        }
        let e = h5err(&path);
        let order = atoms.order_by_id();
        let n = order.len();
        if self.particles.is_none() {
            self.particles =
                Some(ParticleSets::create(&self.file, n.max(1), simbox.boundary).map_err(&e)?);
        }
        let k = self.n_frames;
        let p = self
            .particles
            .as_mut()
            .ok_or_else(|| Error::run("H5MD particle group missing"))?;
        if simbox.boundary != p.boundary {
            return Err(Error::run(format!(
                "{}: the box boundaries changed from the first frame",
                path.display()
            )));
        }
        if n > p.ncap {
            p.widen(k, n).map_err(&e)?;
        }
        let ncap = p.ncap;
        let mut pos = vec![f64::NAN; 3 * ncap];
        let mut vel = vec![f64::NAN; 3 * ncap];
        let mut frc = vec![f64::NAN; 3 * ncap];
        let mut img = vec![0i32; 3 * ncap];
        let mut spc = vec![-1i32; ncap];
        let mut ids = vec![-1i64; ncap];
        for (r, &i) in order.iter().enumerate() {
            pos[3 * r..3 * r + 3].copy_from_slice(&atoms.x[i]);
            vel[3 * r..3 * r + 3].copy_from_slice(&atoms.v[i]);
            frc[3 * r..3 * r + 3].copy_from_slice(&atoms.f[i]);
            img[3 * r..3 * r + 3].copy_from_slice(&atoms.image[i]);
            spc[r] = atoms.typ[i] as i32;
            ids[r] = i64::try_from(atoms.id[i])
                .map_err(|_| Error::run(format!("atom id {} too large for H5MD", atoms.id[i])))?;
        }
        let step_i = i64::try_from(step)
            .map_err(|_| Error::run(format!("step {step} too large for H5MD")))?;
        (|| -> hdf5::Result<()> {
            put_row3(&p.position, k, &pos)?;
            put_row3(&p.image, k, &img)?;
            put_row3(&p.velocity, k, &vel)?;
            put_row3(&p.force, k, &frc)?;
            put_row(&p.species, k, &spc)?;
            put_row(&p.id, k, &ids)?;
            put_row(&p.edges, k, &simbox.lengths())?;
            let c = [simbox.lo, simbox.hi].concat();
            put_row3(&p.corners, k, &c)?;
            // The shared step and time last: they make the frame visible to readers.
            put_scalar(&p.time, k, time_ps)?;
            put_scalar(&p.step, k, step_i)?;
            self.file.flush()
        })()
        .map_err(&e)?;
        self.n_frames += 1;
        self.last_step = Some(step);
        Ok(())
    }

    /// Create the observable `name` with a unit string of the H5MD units module (e.g. `"eV"`,
    /// `"K"`, `"bar"`, `"eV Ang-1"`). Optional: [`append_observable`](Self::append_observable)
    /// creates undeclared observables without a unit.
    pub fn declare_observable(&mut self, name: &str, unit: &str) -> Result<()> {
        if self.observables.contains_key(name) {
            return Err(Error::run(format!(
                "{}: observable '{name}' already exists",
                self.path.display()
            )));
        }
        self.observable(name, Some(unit)).map(|_| ())
    }

    /// Append one sample of the scalar observable `/observables/<name>` and flush the file.
    pub fn append_observable(
        &mut self,
        name: &str,
        step: u64,
        time_ps: f64,
        value: f64,
    ) -> Result<()> {
        self.append_observables(step, time_ps, &[(name, value)])
    }

    /// Append one sample of each `(name, value)` at the same step and time, then flush once
    /// (e.g. the thermo quantities `pe`, `ke`, `temp`, `press`).
    pub fn append_observables(
        &mut self,
        step: u64,
        time_ps: f64,
        samples: &[(&str, f64)],
    ) -> Result<()> {
        let path = self.path.clone();
        let e = h5err(&path);
        let step_i = i64::try_from(step)
            .map_err(|_| Error::run(format!("step {step} too large for H5MD")))?;
        for &(name, value) in samples {
            let obs = self.observable(name, None)?;
            if obs.last_step.is_some_and(|last| step < last) {
                return Err(Error::run(format!(
                    "{}: observable '{name}' at step {step} after step {}: H5MD steps must increase",
                    path.display(),
                    obs.last_step.unwrap_or(0)
                )));
            }
            let k = obs.len;
            (|| -> hdf5::Result<()> {
                put_scalar(&obs.value, k, value)?;
                put_scalar(&obs.time, k, time_ps)?;
                put_scalar(&obs.step, k, step_i)
            })()
            .map_err(&e)?;
            obs.len += 1;
            obs.last_step = Some(step);
        }
        self.file.flush().map_err(&e)
    }

    /// The observable `name`, created (with `unit`, if given) on first use.
    fn observable(&mut self, name: &str, unit: Option<&str>) -> Result<&mut Observable> {
        if name.is_empty() || name.contains('/') || name == "." || name == ".." {
            return Err(Error::run(format!(
                "{}: '{name}' is not a valid observable name (non-empty, no '/')",
                self.path.display()
            )));
        }
        if !self.observables.contains_key(name) {
            let e = h5err(&self.path);
            let obs = (|| -> hdf5::Result<Observable> {
                let root = match self.file.group("observables") {
                    Ok(g) => g,
                    Err(_) => self.file.create_group("observables")?,
                };
                let g = root.create_group(name)?;
                let step = create_series::<i64>(&g, "step", &[], false, 0)?;
                let time = create_series::<f64>(&g, "time", &[], false, f64::NAN)?;
                write_unit(&time, "ps")?;
                let value = create_series::<f64>(&g, "value", &[], false, f64::NAN)?;
                if let Some(u) = unit {
                    write_unit(&value, u)?;
                }
                Ok(Observable {
                    step,
                    time,
                    value,
                    len: 0,
                    last_step: None,
                })
            })()
            .map_err(&e)?;
            self.observables.insert(name.to_string(), obs);
        }
        self.observables
            .get_mut(name)
            .ok_or_else(|| Error::run("observable vanished"))
    }

    /// Flush everything written so far to the file (frames and observables already flush).
    pub fn flush(&self) -> Result<()> {
        self.file.flush().map_err(h5err(&self.path))
    }

    /// The path of the file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// One frame read back from an H5MD file; per-atom vectors are in ascending id order.
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
    /// Forces, eV/Å.
    pub forces: Vec<[f64; 3]>,
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
        }
        Ok(reader)
    }

    fn dataset(&self, name: &str) -> Result<Dataset> {
        self.file
            .dataset(&format!("{PARTICLE_GROUP}/{name}"))
            .map_err(|e| {
                Error::input(
                    &self.path,
                    None,
                    format!("missing dataset {PARTICLE_GROUP}/{name}: {e}"),
                )
            })
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
            f.forces.push(frc[r]);
        }
        Ok(f)
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
        let steps: Vec<i64> = g.dataset("step").and_then(|d| d.read_raw()).map_err(&e)?;
        let times: Vec<f64> = g.dataset("time").and_then(|d| d.read_raw()).map_err(&e)?;
        let values: Vec<f64> = g.dataset("value").and_then(|d| d.read_raw()).map_err(&e)?;
        let n = steps.len().min(times.len()).min(values.len());
        Ok(ObservableSeries {
            steps: steps[..n].iter().map(|&s| s.max(0) as u64).collect(),
            times_ps: times[..n].to_vec(),
            values: values[..n].to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::test_support::{small_system, test_dir};
    use std::sync::{Mutex, MutexGuard};

    /// HDF5 1.10 locks open files with flock(), and a forked child inherits the lock of every
    /// file open in the parent at the time. The killed-writer test forks, so the tests that hold
    /// HDF5 files run one at a time.
    fn serial() -> MutexGuard<'static, ()> {
        static LOCK: Mutex<()> = Mutex::new(());
        LOCK.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn check_frame(f: &H5mdFrame, step: u64, time_ps: f64, b: &SimBox, a: &Atoms) {
        assert_eq!(f.step, step);
        assert_eq!(f.time_ps, time_ps);
        assert_eq!(&f.simbox, b);
        let order = a.order_by_id();
        assert_eq!(f.ids, order.iter().map(|&i| a.id[i]).collect::<Vec<_>>());
        assert_eq!(f.types, order.iter().map(|&i| a.typ[i]).collect::<Vec<_>>());
        assert_eq!(
            f.positions,
            order.iter().map(|&i| a.x[i]).collect::<Vec<_>>()
        );
        assert_eq!(
            f.images,
            order.iter().map(|&i| a.image[i]).collect::<Vec<_>>()
        );
        assert_eq!(
            f.velocities,
            order.iter().map(|&i| a.v[i]).collect::<Vec<_>>()
        );
        assert_eq!(f.forces, order.iter().map(|&i| a.f[i]).collect::<Vec<_>>());
    }

    #[test]
    fn three_frames_round_trip_exactly() {
        let _serial = serial();
        let dir = test_dir("h5md_roundtrip");
        let path = dir.join("traj.h5");
        let frames: Vec<(SimBox, Atoms)> = (0..3).map(small_system).collect();
        let mut w = H5mdWriter::create(&path, &["Au", "Ag"], "Test Author").unwrap();
        w.declare_observable("pe", "eV").unwrap();
        for (k, (b, a)) in frames.iter().enumerate() {
            w.append_frame(50 * k as u64, 0.05 * k as f64, b, a)
                .unwrap();
            w.append_observables(
                50 * k as u64,
                0.05 * k as f64,
                &[("pe", -3.5 * k as f64), ("temp", 300.0 + k as f64)],
            )
            .unwrap();
        }
        assert_eq!(w.n_frames(), 3);
        w.flush().unwrap();
        drop(w);

        let r = H5mdReader::open(&path).unwrap();
        assert_eq!(r.n_frames(), 3);
        assert_eq!(r.species_names(), ["Au", "Ag"]);
        for (k, (b, a)) in frames.iter().enumerate() {
            check_frame(&r.frame(k).unwrap(), 50 * k as u64, 0.05 * k as f64, b, a);
        }
        assert!(r.frame(3).is_err());
        let mut names = r.observable_names();
        names.sort();
        assert_eq!(names, ["pe", "temp"]);
        let pe = r.observable("pe").unwrap();
        assert_eq!(pe.steps, [0, 50, 100]);
        assert_eq!(pe.times_ps, [0.0, 0.05, 0.1]);
        assert_eq!(pe.values, [0.0, -3.5, -7.0]);
        assert!(r.observable("nope").is_err());

        // Layout details required by H5MD 1.1.
        let f = hdf5::File::open(&path).unwrap();
        let v: Vec<i32> = f
            .group("h5md")
            .unwrap()
            .attr("version")
            .unwrap()
            .read_raw()
            .unwrap();
        assert_eq!(v, [1, 1]);
        assert_eq!(
            read_str_attr(&f.group("h5md/creator").unwrap(), "name").unwrap(),
            "nanocontact"
        );
        assert_eq!(
            read_str_attr(&f.group("h5md/author").unwrap(), "name").unwrap(),
            "Test Author"
        );
        let bx = f.group("particles/all/box").unwrap();
        assert_eq!(
            bx.attr("dimension").unwrap().read_scalar::<i32>().unwrap(),
            3
        );
        let bnd: Vec<FixedAscii<8>> = bx.attr("boundary").unwrap().read_raw().unwrap();
        assert_eq!(
            bnd.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            ["periodic", "periodic", "none"]
        );
        assert_eq!(
            f.dataset("particles/all/position/value").unwrap().shape(),
            [3, 5, 3]
        );
        assert_eq!(
            f.dataset("particles/all/box/edges/value").unwrap().shape(),
            [3, 3]
        );
        let unit: VarLenAscii = f
            .dataset("particles/all/velocity/value")
            .unwrap()
            .attr("unit")
            .unwrap()
            .read_scalar()
            .unwrap();
        assert_eq!(unit.as_str(), "Ang ps-1");
        // step and time are shared by hard links.
        let s1: Vec<i64> = f
            .dataset("particles/all/box/edges/step")
            .unwrap()
            .read_raw()
            .unwrap();
        assert_eq!(s1, [0, 50, 100]);
        drop(f);
        drop(r);

        if let Ok(out) = std::process::Command::new("h5dump")
            .arg("-H")
            .arg(&path)
            .output()
        {
            assert!(
                out.status.success(),
                "h5dump -H failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("GROUP \"h5md\""), "{text}");
        } else {
            eprintln!("h5dump not on PATH: skipping the h5dump check");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn atom_count_changes_and_errors() {
        let _serial = serial();
        let dir = test_dir("h5md_natoms");
        let path = dir.join("traj.h5");
        let (b, a) = small_system(0);
        // Frame 0: 3 atoms; frame 1: all 5 (the atom axis grows); frame 2: 2 atoms (padded).
        let mut few = a.clone();
        few.clear_ghosts();
        few.swap_remove_owned(0);
        few.swap_remove_owned(0);
        let mut fewer = few.clone();
        fewer.swap_remove_owned(0);
        let mut w = H5mdWriter::create(&path, &["Au", "Ag"], "").unwrap();
        w.append_frame(0, 0.0, &b, &few).unwrap();
        w.append_frame(10, 0.01, &b, &a).unwrap();
        w.append_frame(20, 0.02, &b, &fewer).unwrap();
        assert!(w.append_frame(5, 0.005, &b, &a).is_err(), "decreasing step");
        let mut other = b.clone();
        other.boundary[2] = Boundary::Periodic;
        assert!(
            w.append_frame(30, 0.03, &other, &a).is_err(),
            "changed boundary"
        );
        assert!(w.append_observable("a/b", 0, 0.0, 1.0).is_err());
        let mut bad = a.clone();
        bad.typ[0] = 2;
        assert!(
            w.append_frame(40, 0.04, &b, &bad).is_err(),
            "type without species name"
        );
        drop(w);
        let r = H5mdReader::open(&path).unwrap();
        assert_eq!(r.n_frames(), 3);
        check_frame(&r.frame(0).unwrap(), 0, 0.0, &b, &few);
        check_frame(&r.frame(1).unwrap(), 10, 0.01, &b, &a);
        check_frame(&r.frame(2).unwrap(), 20, 0.02, &b, &fewer);
        assert!(H5mdReader::open(&dir.join("missing.h5")).is_err());
        std::fs::write(dir.join("text.h5"), "not hdf5").unwrap();
        assert!(H5mdReader::open(&dir.join("text.h5")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Environment variable that makes [`killed_writer_child`] write a file and abort.
    const CHILD_ENV: &str = "NANOCONTACT_H5MD_KILLED_WRITER";

    /// Child half of [`file_survives_a_killed_writer`]: a no-op unless `CHILD_ENV` names a path.
    #[test]
    fn killed_writer_child() {
        let Some(path) = std::env::var_os(CHILD_ENV) else {
            return;
        };
        let mut w = H5mdWriter::create(Path::new(&path), &["Au", "Ag"], "child").unwrap();
        for k in 0..2 {
            let (b, a) = small_system(k);
            w.append_frame(k as u64, 0.001 * k as f64, &b, &a).unwrap();
            w.append_observable("pe", k as u64, 0.001 * k as f64, -(k as f64))
                .unwrap();
        }
        // Stop without closing the file, as a killed run would.
        std::process::abort();
    }

    #[test]
    fn file_survives_a_killed_writer() {
        let _serial = serial();
        let dir = test_dir("h5md_killed");
        let path = dir.join("traj.h5");
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "io::h5md::tests::killed_writer_child",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(!status.success(), "the child should have aborted");
        let r = H5mdReader::open(&path).unwrap();
        assert_eq!(r.n_frames(), 2);
        for k in 0..2 {
            let (b, a) = small_system(k);
            check_frame(&r.frame(k).unwrap(), k as u64, 0.001 * k as f64, &b, &a);
        }
        assert_eq!(r.observable("pe").unwrap().values, [0.0, -1.0]);
        drop(r);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
