//! The shared part of the H5MD writer and reader: the names and chunk sizes of the layout
//! (see [`super`]), string attributes, unit attributes and the extensible series datasets.

use std::path::Path;

use hdf5::types::{FixedUnicode, VarLenAscii};
use hdf5::{Dataset, Group, H5Type};
use ndarray::{s, ArrayView1, ArrayView2};

use crate::error::Error;

/// Name of the particle group written by [`H5mdWriter`].
pub const PARTICLE_GROUP: &str = "/particles/all";

/// Unit of positions, box edges and corners and lead displacements: `Angstrom`, a name the H5MD
/// reader of MDAnalysis 2.x accepts (it rejects the `Ang` written before; both are read back).
pub const LENGTH_UNIT: &str = "Angstrom";
/// Unit of velocities (MDAnalysis: `Angstrom ps-1`).
pub(super) const VELOCITY_UNIT: &str = "Angstrom ps-1";
/// Unit of forces. MDAnalysis knows no eV-based force unit, so forces are stored in its own,
/// kJ/(mol Å): the eV/Å of the MD times [`KJ_PER_MOL_PER_EV`](crate::units::KJ_PER_MOL_PER_EV).
pub(super) const FORCE_UNIT: &str = "kJ mol-1 Angstrom-1";
/// Units read back as they are: the lengths and forces of files written before the change
/// (`Ang`, `Ang ps-1`, `eV Ang-1`) and the other Å spellings of the H5MD units module.
pub(super) const LENGTH_UNITS_READ: [&str; 4] = ["Angstrom", "Ang", "A", "angstrom"];
pub(super) const VELOCITY_UNITS_READ: [&str; 3] = ["Angstrom ps-1", "Ang ps-1", "A ps-1"];
pub(super) const FORCE_UNITS_EV: [&str; 3] = ["eV Ang-1", "eV Angstrom-1", "eV A-1"];
pub(super) const FORCE_UNITS_KJ: [&str; 2] = ["kJ mol-1 Angstrom-1", "kJ mol-1 A-1"];

/// Frames held per chunk along the time axis of the scalar datasets (`step`, `time`, observables).
const TIME_CHUNK: usize = 1024;
/// Largest number of atoms per chunk of a per-atom dataset (32768 × 3 × 8 B = 768 KiB).
const ATOM_CHUNK: usize = 1 << 15;
/// Longest string held in a fixed-length string attribute.
pub(super) const MAX_STR: usize = 255;

/// A crate error for an HDF5 failure on `path`.
pub(super) fn h5err(path: &Path) -> impl Fn(hdf5::Error) -> Error + '_ {
    move |e| Error::io(path, std::io::Error::other(format!("HDF5: {e}")))
}

/// Write a scalar fixed-length UTF-8 string attribute (H5MD: "fixed-length string datatype").
pub(super) fn write_str_attr(loc: &Group, name: &str, value: &str) -> hdf5::Result<()> {
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
pub(super) fn read_str_attr(loc: &Group, name: &str) -> hdf5::Result<String> {
    let v: FixedUnicode<MAX_STR> = loc.attr(name)?.as_reader().read_scalar()?;
    Ok(v.as_str().to_string())
}

/// The `unit` attribute of `ds`, if it has one (variable- or fixed-length string).
pub(super) fn read_unit(ds: &Dataset) -> Option<String> {
    let a = ds.attr("unit").ok()?;
    if let Ok(v) = a.read_scalar::<VarLenAscii>() {
        return Some(v.as_str().to_string());
    }
    a.as_reader()
        .read_scalar::<FixedUnicode<MAX_STR>>()
        .ok()
        .map(|v| v.as_str().to_string())
}

/// Attach the H5MD `units` module attribute `unit` (scalar, variable-length ASCII) to `ds`.
pub(super) fn write_unit(ds: &Dataset, unit: &str) -> hdf5::Result<()> {
    let v = VarLenAscii::from_ascii(unit).map_err(|e| hdf5::Error::from(format!("{e}")))?;
    ds.new_attr::<VarLenAscii>()
        .shape(())
        .create("unit")?
        .as_writer()
        .write_scalar(&v)
}

/// Create an empty dataset of rank `1 + row.len()`, extensible along the frame axis and, when
/// `atom_axis` is set, along the atom axis (the first entry of `row`).
pub(super) fn create_series<T: H5Type>(
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
pub(super) fn resize_rows(ds: &Dataset, rows: usize) -> hdf5::Result<()> {
    let mut shape = ds.shape();
    shape[0] = rows;
    ds.resize(shape)
}

/// Write element `k` of a 1-D series, growing it to `k + 1` entries.
pub(super) fn put_scalar<T: H5Type>(ds: &Dataset, k: usize, v: T) -> hdf5::Result<()> {
    resize_rows(ds, k + 1)?;
    ds.as_writer()
        .write_slice(ArrayView1::from(&[v]), s![k..k + 1])
}

/// Write row `k` (a vector, e.g. one id per atom) of a 2-D series, growing it to `k + 1` rows.
pub(super) fn put_row<T: H5Type>(ds: &Dataset, k: usize, row: &[T]) -> hdf5::Result<()> {
    resize_rows(ds, k + 1)?;
    ds.as_writer().write_slice(ArrayView1::from(row), s![k, ..])
}

/// Write row `k` (an `n × 3` block) of a 3-D series, growing it to `k + 1` rows.
pub(super) fn put_row3<T: H5Type>(ds: &Dataset, k: usize, row: &[T]) -> hdf5::Result<()> {
    resize_rows(ds, k + 1)?;
    let view = ArrayView2::from_shape((row.len() / 3, 3), row)
        .map_err(|e| hdf5::Error::from(e.to_string()))?;
    ds.as_writer().write_slice(view, s![k, .., ..])
}
