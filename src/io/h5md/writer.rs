//! [`H5mdWriter`]: H5MD trajectories written frame by frame, flushed after each (the layout is
//! described in [`super`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hdf5::types::{FixedAscii, VarLenAscii, VarLenUnicode};
use hdf5::{Dataset, Group};

use super::layout::{
    create_series, h5err, put_row, put_row3, put_scalar, read_str_attr, resize_rows,
    write_str_attr, write_unit, FORCE_UNIT, LENGTH_UNIT, MAX_STR, PARTICLE_GROUP, VELOCITY_UNIT,
};
use crate::error::{Error, Result};
use crate::system::{Atoms, Boundary, SimBox, CHARGE};
use crate::units::KJ_PER_MOL_PER_EV;

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
    /// Charges, e, when the atoms of the first frame carry them.
    charge: Option<Dataset>,
    edges: Dataset,
    /// Lower and upper box corners, exactly as held (`edges` alone loses the origin).
    corners: Dataset,
}

impl ParticleSets {
    fn create(
        file: &hdf5::File,
        ncap: usize,
        boundary: [Boundary; 3],
        charged: bool,
    ) -> hdf5::Result<ParticleSets> {
        let all = file.create_group("particles")?.create_group("all")?;
        let pos = all.create_group("position")?;
        let step = create_series::<i64>(&pos, "step", &[], false, 0)?;
        let time = create_series::<f64>(&pos, "time", &[], false, f64::NAN)?;
        write_unit(&time, "ps")?;
        let position = create_series::<f64>(&pos, "value", &[ncap, 3], true, f64::NAN)?;
        write_unit(&position, LENGTH_UNIT)?;
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
        write_unit(&velocity, VELOCITY_UNIT)?;
        let force = create_series::<f64>(
            &element(&all, "force")?,
            "value",
            &[ncap, 3],
            true,
            f64::NAN,
        )?;
        write_unit(&force, FORCE_UNIT)?;
        let species = create_series::<i32>(&element(&all, "species")?, "value", &[ncap], true, -1)?;
        let id = create_series::<i64>(&element(&all, "id")?, "value", &[ncap], true, -1)?;
        let charge = match charged {
            true => {
                let g = element(&all, "charge")?;
                let q = create_series::<f64>(&g, "value", &[ncap], true, f64::NAN)?;
                write_unit(&q, "e")?;
                Some(q)
            }
            false => None,
        };

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
        write_unit(&edges, LENGTH_UNIT)?;
        let corners =
            create_series::<f64>(&element(&bx, "corners")?, "value", &[2, 3], false, f64::NAN)?;
        write_unit(&corners, LENGTH_UNIT)?;
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
            charge,
            edges,
            corners,
        })
    }

    /// Widen the atom axis of every per-atom dataset to `n` (frames `0..rows` keep their data).
    fn widen(&mut self, rows: usize, n: usize) -> hdf5::Result<()> {
        for ds in [&self.position, &self.image, &self.velocity, &self.force] {
            ds.resize((rows, n, 3))?;
        }
        for ds in [Some(&self.species), Some(&self.id), self.charge.as_ref()]
            .into_iter()
            .flatten()
        {
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

    /// Reopen a file this writer made, to go on after a restart from `step`: frames and
    /// observable samples after `step` (written by the run after its checkpoint) are cut off,
    /// and later frames are appended.
    pub fn resume(path: &Path, ntypes: usize, step: u64) -> Result<H5mdWriter> {
        let e = h5err(path);
        let file = hdf5::File::open_rw(path).map_err(&e)?;
        let kept = |ds: &Dataset| -> hdf5::Result<(usize, Option<u64>)> {
            let steps: Vec<i64> = ds.read_raw()?;
            let k = steps
                .iter()
                .take_while(|&&s| s >= 0 && s as u64 <= step)
                .count();
            Ok((k, k.checked_sub(1).map(|j| steps[j] as u64)))
        };
        let mut w = H5mdWriter {
            path: path.to_path_buf(),
            file,
            ntypes,
            particles: None,
            n_frames: 0,
            last_step: None,
            observables: HashMap::new(),
        };
        (|| -> hdf5::Result<()> {
            if w.file.link_exists(&format!("{PARTICLE_GROUP}/position")) {
                let all = w.file.group(PARTICLE_GROUP)?;
                let ds = |name: &str| all.dataset(&format!("{name}/value"));
                let bx = all.group("box")?;
                let letters = read_str_attr(&bx, "lammps_boundary")?;
                let boundary = SimBox::parse_boundary(&letters)
                    .ok_or_else(|| hdf5::Error::from(format!("box boundary '{letters}'")))?;
                let position = ds("position")?;
                let p = ParticleSets {
                    ncap: position.shape().get(1).copied().unwrap_or(1),
                    boundary,
                    step: all.dataset("position/step")?,
                    time: all.dataset("position/time")?,
                    position,
                    image: ds("image")?,
                    velocity: ds("velocity")?,
                    force: ds("force")?,
                    species: ds("species")?,
                    id: ds("id")?,
                    charge: ds("charge").ok(),
                    edges: ds("box/edges")?,
                    corners: ds("box/corners")?,
                };
                let (k, last) = kept(&p.step)?;
                for d in [
                    &p.position,
                    &p.image,
                    &p.velocity,
                    &p.force,
                    &p.species,
                    &p.id,
                ]
                .into_iter()
                .chain(p.charge.as_ref())
                .chain([&p.edges, &p.corners, &p.time, &p.step])
                {
                    resize_rows(d, k)?;
                }
                w.n_frames = k;
                w.last_step = last;
                w.particles = Some(p);
            }
            if let Ok(root) = w.file.group("observables") {
                for name in root.member_names()? {
                    let g = root.group(&name)?;
                    let obs = Observable {
                        step: g.dataset("step")?,
                        time: g.dataset("time")?,
                        value: g.dataset("value")?,
                        len: 0,
                        last_step: None,
                    };
                    let (k, last) = kept(&obs.step)?;
                    for d in [&obs.value, &obs.time, &obs.step] {
                        resize_rows(d, k)?;
                    }
                    w.observables.insert(
                        name,
                        Observable {
                            len: k,
                            last_step: last,
                            ..obs
                        },
                    );
                }
            }
            w.file.flush()
        })()
        .map_err(&e)?;
        Ok(w)
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
        let q = atoms.fields.find(CHARGE).map(|f| atoms.fields.get(f));
        if self.particles.is_none() {
            let sets = ParticleSets::create(&self.file, n.max(1), simbox.boundary, q.is_some());
            self.particles = Some(sets.map_err(&e)?);
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
        let mut chg = vec![f64::NAN; ncap];
        for (r, &i) in order.iter().enumerate() {
            if let Some(q) = q {
                chg[r] = q[i];
            }
            pos[3 * r..3 * r + 3].copy_from_slice(&atoms.x[i]);
            vel[3 * r..3 * r + 3].copy_from_slice(&atoms.v[i]);
            for (d, f) in atoms.f[i].iter().enumerate() {
                frc[3 * r + d] = f * KJ_PER_MOL_PER_EV;
            }
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
            if let Some(ds) = &p.charge {
                put_row(ds, k, &chg)?;
            }
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
    /// `"K"`, `"bar"`, `"nN"`, [`LENGTH_UNIT`]). Optional: [`append_observable`](Self::append_observable)
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
