//! The HDF5 file of transport results (`farm.h5`, `transport.h5`), written by rank 0 only, one
//! (snapshot, k∥) unit at a time as results arrive, flushed after each:
//!
//! ```text
//! /                      attrs: creator = "nanocontact <version>", config (the settings that
//!                        define the results; a restart must match them)
//! /fermi_eV              f64 [1]        E_F
//! /energies_eV           f64 [nE]       the energy grid (absolute)
//! /kpoints/phase         f64 [nk][2]    Bloch phases (k₁, k₂) per supercell vector, rad
//! /kpoints/weight        f64 [nk]       weights (sum 1; doubled where k and −k are paired)
//! /kpoints/index         i32 [nk][2]    Monkhorst–Pack indices j₁, j₂ (1-based)
//! /units/frame           i64 [n]        trajectory frame of the unit
//! /units/k               i32 [n]        k-point index; written last: n = its length
//! /units/step, time_ps   i64, f64 [n]   MD step and time of the frame
//! /units/seconds, lead_seconds, rank    wall time, of it on lead surfaces, and who computed it
//! /units/fermi/T_LR, T_RL               f64 [n]; open_L, open_R i32 [n]; tau f64 [n][neig]
//! /units/T_LR, T_RL      f64 [n][nE];   open_L, open_R i32 [n][nE];  tau f64 [n][nE][neig]
//! /failures/frame, k, message           i64, i32, string [m]: units that failed, with why
//! /conductance/frame, step, time_ps, G_G0, open_channels, k_done   per frame, at the end
//! ```
//!
//! τ are the transmission eigenvalues, descending, NaN-padded to `neig`. Units are stored in
//! the order they complete; readers sort by (frame, k). A unit's value datasets are written
//! before `/units/k` grows, so a farm killed mid-write loses that unit only; on reopening,
//! stored units are kept (and skipped), failures are dropped (their units are retried).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hdf5::types::VarLenUnicode;
use hdf5::{Dataset, Group, H5Type};
use ndarray::{s, ArrayView1, ArrayView2};

use crate::error::{Error, Result};
use crate::transport::farm::unit::{UnitData, UnitResult};
use crate::transport::problem::supercell::MeshPoint;

fn h5err(path: &Path) -> impl Fn(hdf5::Error) -> Error + '_ {
    move |e| Error::io(path, std::io::Error::other(format!("HDF5: {e}")))
}

/// What a results file holds besides the units.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreMeta {
    pub config: String,
    pub fermi_ev: f64,
    pub energies: Vec<f64>,
    pub points: Vec<MeshPoint>,
    pub n_eig: usize,
}

/// A results file open for appending.
pub struct Store {
    path: PathBuf,
    file: hdf5::File,
    n_units: usize,
    n_failures: usize,
    ne: usize,
    neig: usize,
}

/// A stored unit (successful).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredUnit {
    pub frame: u64,
    pub k: u32,
    pub step: u64,
    pub time_ps: f64,
    pub seconds: f64,
    pub lead_seconds: f64,
    pub rank: u32,
    /// Energy index 0 is E_F, then the grid (as [`UnitData`]).
    pub data: UnitData,
}

/// Everything in a results file.
#[derive(Clone, Debug)]
pub struct StoredResults {
    pub meta: StoreMeta,
    /// Sorted by (frame, k).
    pub units: Vec<StoredUnit>,
    /// (frame, k, message).
    pub failures: Vec<(u64, u32, String)>,
}

fn series<T: H5Type>(g: &Group, name: &str, row: &[usize], fill: T) -> hdf5::Result<Dataset> {
    let mut extents = vec![hdf5::Extent::resizable(0)];
    let mut chunk = vec![if row.is_empty() { 256 } else { 16 }];
    for &n in row {
        extents.push(hdf5::Extent::fixed(n));
        chunk.push(n.max(1));
    }
    g.new_dataset::<T>()
        .chunk(chunk)
        .fill_value(fill)
        .shape(hdf5::SimpleExtents::from_vec(extents))
        .create(name)
}

fn grow(ds: &Dataset, rows: usize) -> hdf5::Result<()> {
    let mut shape = ds.shape();
    shape[0] = rows;
    ds.resize(shape)
}

fn put<T: H5Type>(g: &Group, name: &str, k: usize, row: &[T]) -> hdf5::Result<()> {
    let ds = g.dataset(name)?;
    grow(&ds, k + 1)?;
    match ds.ndim() {
        1 => ds
            .as_writer()
            .write_slice(ArrayView1::from(row), s![k..k + 1]),
        2 => ds.as_writer().write_slice(ArrayView1::from(row), s![k, ..]),
        _ => {
            let sh = ds.shape();
            let v = ArrayView2::from_shape((sh[1], sh[2]), row)
                .map_err(|e| hdf5::Error::from(e.to_string()))?;
            ds.as_writer().write_slice(v, s![k, .., ..])
        }
    }
}

fn vstr(s: &str) -> hdf5::Result<VarLenUnicode> {
    s.replace('\0', " ")
        .parse::<VarLenUnicode>()
        .map_err(|e| hdf5::Error::from(e.to_string()))
}

fn create_failures(file: &hdf5::File) -> hdf5::Result<()> {
    let f = file.create_group("failures")?;
    series::<i64>(&f, "frame", &[], -1)?;
    series::<i32>(&f, "k", &[], -1)?;
    f.new_dataset::<VarLenUnicode>()
        .chunk(64)
        .shape(hdf5::SimpleExtents::resizable([0]))
        .create("message")?;
    Ok(())
}

impl Store {
    /// Create the file, or reopen it when it exists with the same settings (a restart).
    pub fn open_or_create(path: &Path, meta: &StoreMeta) -> Result<Store> {
        let e = h5err(path);
        if path.exists() {
            let file = hdf5::File::open_rw(path).map_err(&e)?;
            let stored = read_meta(&file, path)?;
            if stored.config != meta.config {
                return Err(Error::run(format!(
                    "{}: made with other settings (model, leads, k-mesh, energies or structure); \
                     remove it or choose another output folder",
                    path.display()
                )));
            }
            if stored != *meta {
                return Err(Error::run(format!(
                    "{}: the Fermi energy, energy grid or k-points stored differ from this run's",
                    path.display()
                )));
            }
            let n_units = file
                .dataset("units/k")
                .map_err(&e)?
                .shape()
                .first()
                .copied()
                .unwrap_or(0);
            if file.link_exists("failures") {
                file.unlink("failures").map_err(&e)?;
            }
            if file.link_exists("conductance") {
                file.unlink("conductance").map_err(&e)?;
            }
            create_failures(&file).map_err(&e)?;
            return Ok(Store {
                path: path.to_path_buf(),
                file,
                n_units,
                n_failures: 0,
                ne: meta.energies.len(),
                neig: meta.n_eig,
            });
        }
        let file = hdf5::File::create(path).map_err(&e)?;
        let (ne, neig, nk) = (meta.energies.len(), meta.n_eig, meta.points.len());
        (|| -> hdf5::Result<()> {
            file.new_attr::<VarLenUnicode>()
                .shape(())
                .create("creator")?
                .as_writer()
                .write_scalar(&vstr(&format!(
                    "nanocontact {}",
                    env!("CARGO_PKG_VERSION")
                ))?)?;
            file.new_attr::<VarLenUnicode>()
                .shape(())
                .create("config")?
                .as_writer()
                .write_scalar(&vstr(&meta.config)?)?;
            file.new_dataset_builder()
                .with_data(&[meta.fermi_ev])
                .create("fermi_eV")?;
            file.new_dataset_builder()
                .with_data(&meta.energies)
                .create("energies_eV")?;
            let kp = file.create_group("kpoints")?;
            let ph: Vec<f64> = meta.points.iter().flat_map(|p| p.point.k.0).collect();
            kp.new_dataset_builder()
                .with_data(
                    &ndarray::Array2::from_shape_vec((nk, 2), ph)
                        .map_err(|e| hdf5::Error::from(e.to_string()))?,
                )
                .create("phase")?;
            let w: Vec<f64> = meta.points.iter().map(|p| p.point.weight).collect();
            kp.new_dataset_builder().with_data(&w).create("weight")?;
            let ix: Vec<i32> = meta
                .points
                .iter()
                .flat_map(|p| p.index.map(|j| j as i32))
                .collect();
            kp.new_dataset_builder()
                .with_data(
                    &ndarray::Array2::from_shape_vec((nk, 2), ix)
                        .map_err(|e| hdf5::Error::from(e.to_string()))?,
                )
                .create("index")?;
            let u = file.create_group("units")?;
            series::<i64>(&u, "frame", &[], -1)?;
            series::<i32>(&u, "k", &[], -1)?;
            series::<i64>(&u, "step", &[], -1)?;
            series::<i32>(&u, "rank", &[], -1)?;
            for name in ["time_ps", "seconds", "lead_seconds"] {
                series::<f64>(&u, name, &[], f64::NAN)?;
            }
            let f = u.create_group("fermi")?;
            series::<f64>(&f, "T_LR", &[], f64::NAN)?;
            series::<f64>(&f, "T_RL", &[], f64::NAN)?;
            series::<i32>(&f, "open_L", &[], -1)?;
            series::<i32>(&f, "open_R", &[], -1)?;
            series::<f64>(&f, "tau", &[neig], f64::NAN)?;
            series::<f64>(&u, "T_LR", &[ne], f64::NAN)?;
            series::<f64>(&u, "T_RL", &[ne], f64::NAN)?;
            series::<i32>(&u, "open_L", &[ne], -1)?;
            series::<i32>(&u, "open_R", &[ne], -1)?;
            series::<f64>(&u, "tau", &[ne, neig], f64::NAN)?;
            create_failures(&file)?;
            file.flush()
        })()
        .map_err(&e)?;
        Ok(Store {
            path: path.to_path_buf(),
            file,
            n_units: 0,
            n_failures: 0,
            ne,
            neig,
        })
    }

    /// Units stored (successful).
    pub fn n_units(&self) -> usize {
        self.n_units
    }

    /// Failures recorded by this run.
    pub fn n_failures(&self) -> usize {
        self.n_failures
    }

    /// (frame, k) of every stored unit.
    pub fn done(&self) -> Result<Vec<(u64, u32)>> {
        let e = h5err(&self.path);
        let f: Vec<i64> = self
            .file
            .dataset("units/frame")
            .and_then(|d| d.read_raw())
            .map_err(&e)?;
        let k: Vec<i32> = self
            .file
            .dataset("units/k")
            .and_then(|d| d.read_raw())
            .map_err(&e)?;
        Ok(f.iter()
            .zip(&k)
            .take(self.n_units)
            .map(|(&f, &k)| (f as u64, k as u32))
            .collect())
    }

    /// Store a unit's result (or its failure) and flush.
    pub fn append(&mut self, r: &UnitResult) -> Result<()> {
        let path = self.path.clone();
        let e = h5err(&path);
        match &r.outcome {
            Err(msg) => {
                let m = self.n_failures;
                (|| -> hdf5::Result<()> {
                    let g = self.file.group("failures")?;
                    put(&g, "message", m, &[vstr(msg)?])?;
                    put(&g, "frame", m, &[r.frame as i64])?;
                    put(&g, "k", m, &[r.k as i32])?;
                    self.file.flush()
                })()
                .map_err(&e)?;
                self.n_failures += 1;
            }
            Ok(d) => {
                let (ne, neig) = (self.ne + 1, self.neig);
                if d.t_lr.len() != ne || d.tau.len() != ne * neig {
                    return Err(Error::run(format!(
                        "{}: unit (frame {}, k {}) has {} energies, expected {ne}",
                        path.display(),
                        r.frame,
                        r.k,
                        d.t_lr.len()
                    )));
                }
                let n = self.n_units;
                let i32s = |v: &[u32]| v.iter().map(|&x| x as i32).collect::<Vec<i32>>();
                (|| -> hdf5::Result<()> {
                    let u = self.file.group("units")?;
                    let f = u.group("fermi")?;
                    put(&f, "T_LR", n, &d.t_lr[..1])?;
                    put(&f, "T_RL", n, &d.t_rl[..1])?;
                    put(&f, "open_L", n, &i32s(&d.open_l[..1]))?;
                    put(&f, "open_R", n, &i32s(&d.open_r[..1]))?;
                    put(&f, "tau", n, &d.tau[..neig])?;
                    put(&u, "T_LR", n, &d.t_lr[1..])?;
                    put(&u, "T_RL", n, &d.t_rl[1..])?;
                    put(&u, "open_L", n, &i32s(&d.open_l[1..]))?;
                    put(&u, "open_R", n, &i32s(&d.open_r[1..]))?;
                    put(&u, "tau", n, &d.tau[neig..])?;
                    put(&u, "step", n, &[r.step as i64])?;
                    put(&u, "time_ps", n, &[r.time_ps])?;
                    put(&u, "seconds", n, &[r.seconds])?;
                    put(&u, "lead_seconds", n, &[r.lead_seconds])?;
                    put(&u, "rank", n, &[r.rank as i32])?;
                    put(&u, "frame", n, &[r.frame as i64])?;
                    // Last: makes the unit count.
                    put(&u, "k", n, &[r.k as i32])?;
                    self.file.flush()
                })()
                .map_err(&e)?;
                self.n_units += 1;
            }
        }
        Ok(())
    }

    /// Everything stored so far.
    pub fn read_all(&self) -> Result<StoredResults> {
        read_from(&self.file, &self.path)
    }

    /// Write the per-frame conductance table (replacing an older one).
    pub fn write_conductance(&mut self, rows: &[FrameConductance]) -> Result<()> {
        let e = h5err(&self.path);
        (|| -> hdf5::Result<()> {
            if self.file.link_exists("conductance") {
                self.file.unlink("conductance")?;
            }
            let g = self.file.create_group("conductance")?;
            let col =
                |f: &dyn Fn(&FrameConductance) -> f64| -> Vec<f64> { rows.iter().map(f).collect() };
            let frames: Vec<i64> = rows.iter().map(|r| r.frame as i64).collect();
            let steps: Vec<i64> = rows.iter().map(|r| r.step as i64).collect();
            let kd: Vec<i32> = rows.iter().map(|r| r.k_done as i32).collect();
            g.new_dataset_builder().with_data(&frames).create("frame")?;
            g.new_dataset_builder().with_data(&steps).create("step")?;
            g.new_dataset_builder()
                .with_data(&col(&|r| r.time_ps))
                .create("time_ps")?;
            g.new_dataset_builder()
                .with_data(&col(&|r| r.g_g0))
                .create("G_G0")?;
            g.new_dataset_builder()
                .with_data(&col(&|r| r.open_channels))
                .create("open_channels")?;
            g.new_dataset_builder().with_data(&kd).create("k_done")?;
            self.file.flush()
        })()
        .map_err(&e)
    }
}

/// The k-averaged conductance of one frame at E_F (NaN unless every k-point is stored).
#[derive(Clone, Debug, PartialEq)]
pub struct FrameConductance {
    pub frame: u64,
    pub step: u64,
    pub time_ps: f64,
    pub g_g0: f64,
    pub open_channels: f64,
    pub k_done: usize,
}

fn read_meta(file: &hdf5::File, path: &Path) -> Result<StoreMeta> {
    let e = h5err(path);
    let config: VarLenUnicode = file
        .attr("config")
        .and_then(|a| a.read_scalar())
        .map_err(&e)?;
    let fermi: Vec<f64> = file
        .dataset("fermi_eV")
        .and_then(|d| d.read_raw())
        .map_err(&e)?;
    let energies: Vec<f64> = file
        .dataset("energies_eV")
        .and_then(|d| d.read_raw())
        .map_err(&e)?;
    let ph: Vec<f64> = file
        .dataset("kpoints/phase")
        .and_then(|d| d.read_raw())
        .map_err(&e)?;
    let w: Vec<f64> = file
        .dataset("kpoints/weight")
        .and_then(|d| d.read_raw())
        .map_err(&e)?;
    let ix: Vec<i32> = file
        .dataset("kpoints/index")
        .and_then(|d| d.read_raw())
        .map_err(&e)?;
    let n_eig = file
        .dataset("units/fermi/tau")
        .map_err(&e)?
        .shape()
        .get(1)
        .copied()
        .unwrap_or(0);
    let points = (0..w.len())
        .map(|i| MeshPoint {
            index: [ix[2 * i] as usize, ix[2 * i + 1] as usize],
            point: crate::transport::problem::scattering::KPoint {
                k: crate::transport::problem::scattering::BlochPhases([ph[2 * i], ph[2 * i + 1]]),
                weight: w[i],
            },
        })
        .collect();
    Ok(StoreMeta {
        config: config.as_str().to_string(),
        fermi_ev: fermi.first().copied().unwrap_or(f64::NAN),
        energies,
        points,
        n_eig,
    })
}

/// Read a results file.
pub fn read_results(path: &Path) -> Result<StoredResults> {
    let file = hdf5::File::open(path).map_err(h5err(path))?;
    read_from(&file, path)
}

fn read_from(file: &hdf5::File, path: &Path) -> Result<StoredResults> {
    let e = h5err(path);
    let meta = read_meta(file, path)?;
    let n = file
        .dataset("units/k")
        .map_err(&e)?
        .shape()
        .first()
        .copied()
        .unwrap_or(0);
    let ne = meta.energies.len();
    let neig = meta.n_eig;
    let f64s = |name: &str| -> Result<Vec<f64>> {
        file.dataset(name)
            .and_then(|d| d.read_raw::<f64>())
            .map_err(&e)
    };
    let i64s = |name: &str| -> Result<Vec<i64>> {
        file.dataset(name)
            .and_then(|d| d.read_raw::<i64>())
            .map_err(&e)
    };
    let i32s = |name: &str| -> Result<Vec<i32>> {
        file.dataset(name)
            .and_then(|d| d.read_raw::<i32>())
            .map_err(&e)
    };
    let (frame, k, step) = (i64s("units/frame")?, i32s("units/k")?, i64s("units/step")?);
    let (time, secs, lsecs, rank) = (
        f64s("units/time_ps")?,
        f64s("units/seconds")?,
        f64s("units/lead_seconds")?,
        i32s("units/rank")?,
    );
    let (ftl, ftr, fol, for_, ftau) = (
        f64s("units/fermi/T_LR")?,
        f64s("units/fermi/T_RL")?,
        i32s("units/fermi/open_L")?,
        i32s("units/fermi/open_R")?,
        f64s("units/fermi/tau")?,
    );
    let (tl, trl, ol, or, tau) = (
        f64s("units/T_LR")?,
        f64s("units/T_RL")?,
        i32s("units/open_L")?,
        i32s("units/open_R")?,
        f64s("units/tau")?,
    );
    let mut units = Vec::with_capacity(n);
    for i in 0..n {
        let join_f = |a: f64, b: &[f64]| {
            let mut v = vec![a];
            v.extend_from_slice(b);
            v
        };
        let join_u = |a: i32, b: &[i32]| {
            let mut v = vec![a as u32];
            v.extend(b.iter().map(|&x| x as u32));
            v
        };
        let mut t = ftau[i * neig..(i + 1) * neig].to_vec();
        t.extend_from_slice(&tau[i * ne * neig..(i + 1) * ne * neig]);
        units.push(StoredUnit {
            frame: frame[i] as u64,
            k: k[i] as u32,
            step: step[i] as u64,
            time_ps: time[i],
            seconds: secs[i],
            lead_seconds: lsecs[i],
            rank: rank[i] as u32,
            data: UnitData {
                t_lr: join_f(ftl[i], &tl[i * ne..(i + 1) * ne]),
                t_rl: join_f(ftr[i], &trl[i * ne..(i + 1) * ne]),
                open_l: join_u(fol[i], &ol[i * ne..(i + 1) * ne]),
                open_r: join_u(for_[i], &or[i * ne..(i + 1) * ne]),
                tau: t,
            },
        });
    }
    units.sort_by_key(|u| (u.frame, u.k));
    let mut failures = Vec::new();
    if file.link_exists("failures") {
        let ff = i64s("failures/frame")?;
        let fk = i32s("failures/k")?;
        let fm: Vec<VarLenUnicode> = file
            .dataset("failures/message")
            .and_then(|d| d.read_raw())
            .map_err(&e)?;
        for ((f, k), m) in ff.iter().zip(&fk).zip(&fm) {
            failures.push((*f as u64, *k as u32, m.as_str().to_string()));
        }
    }
    Ok(StoredResults {
        meta,
        units,
        failures,
    })
}

/// Per-frame k-averaged conductance at E_F from stored units: G/G0 = Σ_k w_k T_k(E_F), summed
/// in k order (so the result does not depend on the order units were stored in).
pub fn frame_conductances(r: &StoredResults) -> Vec<FrameConductance> {
    let nk = r.meta.points.len();
    let mut by_frame: BTreeMap<u64, Vec<&StoredUnit>> = BTreeMap::new();
    for u in &r.units {
        by_frame.entry(u.frame).or_default().push(u);
    }
    by_frame
        .into_iter()
        .map(|(frame, us)| {
            let complete = us.len() == nk;
            let (mut g, mut open) = (0.0, 0.0);
            for u in &us {
                let w = r.meta.points[u.k as usize].point.weight;
                g += w * u.data.t_lr[0];
                open += w * f64::from(u.data.open_l[0]);
            }
            FrameConductance {
                frame,
                step: us[0].step,
                time_ps: us[0].time_ps,
                g_g0: if complete { g } else { f64::NAN },
                open_channels: if complete { open } else { f64::NAN },
                k_done: us.len(),
            }
        })
        .collect()
}
