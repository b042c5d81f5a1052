//! A spd tight-binding model from its parameter file, chosen by the extension: an orthogonal
//! Slater–Koster `.toml` ([`super::slater_koster`]) or a DFTB+ table `.skf` ([`super::dftb`],
//! default truncation). Used by the tools that take a model file directly; transport decks
//! name the style explicitly (`[model] style`).

use std::path::Path;

use crate::error::Result;
use crate::transport::model::dftb::{Dftb, SkfTables};
use crate::transport::model::slater_koster::SlaterKoster;
use crate::transport::model::tight_binding::TightBinding;

/// A model read from a file, with what the file says about its element.
pub struct ModelFile {
    pub model: Box<dyn TightBinding>,
    /// Valence electrons per neutral atom.
    pub valence_electrons: f64,
    pub element: String,
    /// The fcc lattice constant the parameters were fitted at (Å), where the file gives one
    /// (`.toml`; a DFTB table does not).
    pub lattice_constant: Option<f64>,
}

/// Read `path`: `.skf` as a DFTB table, anything else as a Slater–Koster `.toml`.
pub fn read_model_file(path: &Path) -> Result<ModelFile> {
    if path.extension().is_some_and(|e| e == "skf") {
        let t = SkfTables::read(path)?;
        let (valence_electrons, element) = (t.valence_electrons(), t.element.clone());
        return Ok(ModelFile {
            model: Box::new(Dftb::new(t)?),
            valence_electrons,
            element,
            lattice_constant: None,
        });
    }
    let m = SlaterKoster::read(path)?;
    let p = m.params.clone();
    Ok(ModelFile {
        model: Box::new(m),
        valence_electrons: p.valence_electrons,
        element: p.element,
        lattice_constant: Some(p.lattice_constant),
    })
}
