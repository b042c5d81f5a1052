//! Reader of the two-terminal Hamiltonian format of the Kwant reference data
//! (`reference/kwant/README.md`, `system.json`):
//!
//! - `scattering_region.H`: H_S, basis = sites sorted by position, orbitals of a site consecutive;
//! - `leads` = [L, R], each with `H00` = ⟨n|H|n⟩, `H01` = ⟨n|H|n+1⟩ (row = layer nearer S) and
//!   `V_S_lead1` = ⟨S|H|layer 1⟩ (n_S × n_layer);
//! - a matrix is `{"re": [[row 0], …], "im": […]}` with row = bra, or, for a transverse-periodic
//!   block, `{"fourier": [{"m": -1, "re", "im"}, …]}` meaning B(k) = Σ_m B_m e^{ikm};
//! - optional `kpoints` = `{"k": […], "weights": […]}` or a plain list of k (weights default
//!   to equal).
//!
//! Every other key (descriptions, positions, band edges) is ignored.

use std::path::Path;

use serde_json::Value;

use super::dense::{c64, CMat};
use super::problem::{FourierBlock, KPoint, Lead, SparseMatrix, TransportProblem};
use crate::error::{Error, Result};

/// Read a `system.json` file.
pub fn read_system_json(path: &Path) -> Result<TransportProblem> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_system_json(&text, path)
}

/// Parse the text of a `system.json`; `path` is used in error messages only.
pub fn parse_system_json(text: &str, path: &Path) -> Result<TransportProblem> {
    let root: Value = serde_json::from_str(text)
        .map_err(|e| Error::input(path, Some(e.line()), format!("invalid JSON: {e}")))?;
    let obj = root
        .as_object()
        .ok_or_else(|| Error::input(path, None, "expected a JSON object at the top level"))?;
    let sr = obj
        .get("scattering_region")
        .ok_or_else(|| Error::key(path, "scattering_region", "missing"))?;
    let h_s = block(
        sr.get("H")
            .ok_or_else(|| Error::key(path, "scattering_region.H", "missing"))?,
        path,
        "scattering_region.H",
    )?;
    let leads_v = obj
        .get("leads")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::key(path, "leads", "missing or not a list"))?;
    if leads_v.len() != 2 {
        return Err(Error::key(
            path,
            "leads",
            format!("expected exactly 2 leads [L, R], found {}", leads_v.len()),
        ));
    }
    let lead = |i: usize| -> Result<Lead> {
        let l = &leads_v[i];
        let get = |name: &str| -> Result<FourierBlock> {
            let key = format!("leads[{i}].{name}");
            block(
                l.get(name)
                    .ok_or_else(|| Error::key(path, &key, "missing"))?,
                path,
                &key,
            )
        };
        Ok(Lead {
            h00: get("H00")?,
            h01: get("H01")?,
            coupling: get("V_S_lead1")?,
        })
    };
    let leads = [lead(0)?, lead(1)?];
    let kpoints = match obj.get("kpoints") {
        None | Some(Value::Null) => Vec::new(),
        Some(kv) => kpoints(kv, path)?,
    };
    let p = TransportProblem {
        h_s,
        leads,
        kpoints,
    };
    p.validate()
        .map_err(|e| Error::input(path, None, e.to_string()))?;
    Ok(p)
}

fn kpoints(v: &Value, path: &Path) -> Result<Vec<KPoint>> {
    // A plain list of k values means equal weights.
    if let Some(list) = v.as_array() {
        let ks: Vec<f64> = list
            .iter()
            .map(|x| {
                x.as_f64()
                    .ok_or_else(|| Error::key(path, "kpoints", "expected numbers"))
            })
            .collect::<Result<_>>()?;
        if ks.is_empty() {
            return Err(Error::key(path, "kpoints", "empty list"));
        }
        let w = 1.0 / ks.len() as f64;
        return Ok(ks
            .into_iter()
            .map(|k| KPoint {
                k: k.into(),
                weight: w,
            })
            .collect());
    }
    let ks = v
        .get("k")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::key(path, "kpoints.k", "missing or not a list"))?;
    let ks: Vec<f64> = ks
        .iter()
        .map(|x| {
            x.as_f64()
                .ok_or_else(|| Error::key(path, "kpoints.k", "expected numbers"))
        })
        .collect::<Result<_>>()?;
    if ks.is_empty() {
        return Err(Error::key(path, "kpoints.k", "empty list"));
    }
    let ws: Vec<f64> = match v.get("weights") {
        None | Some(Value::Null) => vec![1.0 / ks.len() as f64; ks.len()],
        Some(w) => {
            let w = w
                .as_array()
                .ok_or_else(|| Error::key(path, "kpoints.weights", "expected a list"))?;
            w.iter()
                .map(|x| {
                    x.as_f64()
                        .ok_or_else(|| Error::key(path, "kpoints.weights", "expected numbers"))
                })
                .collect::<Result<_>>()?
        }
    };
    if ws.len() != ks.len() {
        return Err(Error::key(
            path,
            "kpoints.weights",
            format!("{} weights for {} k-points", ws.len(), ks.len()),
        ));
    }
    let sum: f64 = ws.iter().sum();
    if sum.is_nan() || sum <= 0.0 || ws.iter().any(|w| w.is_nan() || *w < 0.0) {
        return Err(Error::key(
            path,
            "kpoints.weights",
            "weights must be non-negative with a positive sum",
        ));
    }
    Ok(ks
        .into_iter()
        .zip(ws)
        .map(|(k, w)| KPoint {
            k: k.into(),
            weight: w / sum,
        })
        .collect())
}

/// A block: a plain matrix or `{"fourier": [...]}`.
fn block(v: &Value, path: &Path, key: &str) -> Result<FourierBlock> {
    if let Some(f) = v.get("fourier") {
        let terms = f
            .as_array()
            .ok_or_else(|| Error::key(path, key, "'fourier' must be a list"))?;
        if terms.is_empty() {
            return Err(Error::key(path, key, "'fourier' list is empty"));
        }
        let mut out: Vec<([i32; 2], SparseMatrix)> = Vec::new();
        let mut shape = None;
        for (t, term) in terms.iter().enumerate() {
            let tkey = format!("{key}.fourier[{t}]");
            let m = term
                .get("m")
                .and_then(Value::as_i64)
                .and_then(|m| i32::try_from(m).ok())
                .ok_or_else(|| Error::key(path, &tkey, "missing integer 'm'"))?;
            let mat = matrix(term, path, &tkey)?;
            let sh = (mat.nrows(), mat.ncols());
            if *shape.get_or_insert(sh) != sh {
                return Err(Error::key(
                    path,
                    &tkey,
                    "Fourier components differ in shape",
                ));
            }
            if out.iter().any(|(mm, _)| *mm == [m, 0]) {
                return Err(Error::key(path, &tkey, format!("m = {m} given twice")));
            }
            out.push(([m, 0], SparseMatrix::from_dense(&mat)));
        }
        let (nrows, ncols) = shape.unwrap_or((0, 0));
        Ok(FourierBlock {
            nrows,
            ncols,
            terms: out,
        })
    } else {
        Ok(FourierBlock::fixed_dense(&matrix(v, path, key)?))
    }
}

/// `{"re": [[...]], "im": [[...]]}`; a missing `im` means real.
fn matrix(v: &Value, path: &Path, key: &str) -> Result<CMat> {
    let re = real_rows(
        v.get("re")
            .ok_or_else(|| Error::key(path, key, "missing 're'"))?,
        path,
        &format!("{key}.re"),
    )?;
    let im = match v.get("im") {
        None => None,
        Some(x) => Some(real_rows(x, path, &format!("{key}.im"))?),
    };
    let nrows = re.len();
    let ncols = re.first().map_or(0, Vec::len);
    if re.iter().any(|r| r.len() != ncols) {
        return Err(Error::key(path, key, "rows of 're' differ in length"));
    }
    if let Some(im) = &im {
        if im.len() != nrows || im.iter().any(|r| r.len() != ncols) {
            return Err(Error::key(path, key, "'im' and 're' differ in shape"));
        }
    }
    Ok(CMat::from_fn(nrows, ncols, |i, j| {
        c64(re[i][j], im.as_ref().map_or(0.0, |m| m[i][j]))
    }))
}

fn real_rows(v: &Value, path: &Path, key: &str) -> Result<Vec<Vec<f64>>> {
    let rows = v
        .as_array()
        .ok_or_else(|| Error::key(path, key, "expected a list of rows"))?;
    rows.iter()
        .map(|r| {
            let r = r
                .as_array()
                .ok_or_else(|| Error::key(path, key, "expected each row to be a list"))?;
            r.iter()
                .map(|x| {
                    x.as_f64().filter(|f| f.is_finite()).ok_or_else(|| {
                        Error::key(path, key, format!("expected a finite number, found {x}"))
                    })
                })
                .collect()
        })
        .collect()
}
