//! The one potential factory: a style name, as LAMMPS pair styles are named, and its files
//! become a [`Potential`], for a deck's `[potential]` and for `eval --potential STYLE:FILE`.

use std::path::PathBuf;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::potential::eam::{Eam, EamStyle};
use crate::potential::lj::LjCut;
use crate::potential::reaxff::{QeqSettings, ReaxFF};
use crate::potential::Potential;

/// A potential style.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub enum Style {
    /// `eam`: funcfl files.
    #[serde(rename = "eam")]
    Eam,
    /// `eam/alloy`: a setfl file.
    #[serde(rename = "eam/alloy")]
    EamAlloy,
    /// `eam/fs`: a Finnis–Sinclair setfl file.
    #[serde(rename = "eam/fs")]
    EamFs,
    /// `lj/cut`: a file of LAMMPS pair commands.
    #[serde(rename = "lj/cut")]
    LjCut,
    /// `reaxff`: an ffield file, with charge equilibration (`fix qeq/reaxff`).
    #[serde(rename = "reaxff")]
    ReaxFF,
}

/// The style names, for messages.
pub const STYLE_NAMES: &str = "eam, eam/alloy, eam/fs, lj/cut or reaxff";

impl Style {
    /// The style of a LAMMPS pair-style name.
    pub fn from_name(name: &str) -> Option<Style> {
        match name {
            "eam" => Some(Style::Eam),
            "eam/alloy" => Some(Style::EamAlloy),
            "eam/fs" => Some(Style::EamFs),
            "lj/cut" => Some(Style::LjCut),
            "reaxff" => Some(Style::ReaxFF),
            _ => None,
        }
    }
}

/// Build a potential from a command-line spec `STYLE:FILE[,FILE..]` (`eam:Au_u3.eam`,
/// `eam/alloy:CuNi.eam.alloy`, `eam/fs:AlFe_mm.eam.fs`, `lj/cut:pair.lj`,
/// `reaxff:ffield.reax.AuO`) for `ntypes` atom types, with the element of each type for
/// setfl/FS and ffield files (as `pair_coeff * * FILE E1 E2 ..`). ReaxFF gets QEq with the
/// default settings (tolerance 1e-10, 200 iterations).
pub fn from_spec(spec: &str, elements: &[String], ntypes: usize) -> Result<Box<dyn Potential>> {
    let (name, files) = spec.split_once(':').ok_or_else(|| {
        Error::run(format!(
            "potential '{spec}': expected STYLE:FILE with STYLE one of {STYLE_NAMES}"
        ))
    })?;
    let style = Style::from_name(name).ok_or_else(|| {
        Error::run(format!(
            "potential style '{name}' is unknown: expected {STYLE_NAMES}"
        ))
    })?;
    let files: Vec<PathBuf> = files.split(',').map(PathBuf::from).collect();
    build(style, &files, elements, ntypes, QeqSettings::default())
}

/// A potential of `style` from `files` for `ntypes` atom types, with the element of each type
/// for setfl/FS and ffield files, and ReaxFF's charge-equilibration settings.
pub fn build(
    style: Style,
    files: &[PathBuf],
    elements: &[String],
    ntypes: usize,
    qeq: QeqSettings,
) -> Result<Box<dyn Potential>> {
    let eam = |s: EamStyle| -> Result<Box<dyn Potential>> {
        Ok(Box::new(Eam::new(s, files, elements, ntypes)?))
    };
    match style {
        Style::Eam => eam(EamStyle::Funcfl),
        Style::EamAlloy => eam(EamStyle::Alloy),
        Style::EamFs => eam(EamStyle::Fs),
        Style::LjCut => match files {
            [file] => Ok(Box::new(LjCut::read(file, ntypes)?)),
            _ => Err(Error::run(format!(
                "lj/cut takes one parameter file, got {}",
                files.len()
            ))),
        },
        Style::ReaxFF => match files {
            [file] if elements.len() == ntypes => {
                Ok(Box::new(ReaxFF::new(file, elements, Some(qeq))?))
            }
            [_] => Err(Error::run(format!(
                "reaxff: {} element(s) given for {ntypes} atom type(s); give one per type, as \
                 pair_coeff * * ffield E1 E2 ..",
                elements.len()
            ))),
            _ => Err(Error::run(format!(
                "reaxff takes one ffield file, got {}",
                files.len()
            ))),
        },
    }
}
