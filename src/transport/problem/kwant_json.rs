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
//! Two extensions of that format, for systems too large for dense matrices and periodic along
//! two transverse directions (written by [`system_json`], read here):
//! - a sparse matrix `{"shape": [rows, cols], "row": […], "col": […], "re": […], "im": […]}`
//!   (0-based triplets, duplicates add up, `im` optional) wherever a dense one may stand;
//! - `"m": [m1, m2]` in a Fourier term, B(k) = Σ_m B_m e^{i(k₁m₁ + k₂m₂)}, and k-points given as
//!   pairs `[k1, k2]` (an integer m is (m, 0), a number k is (k, 0)).
//!
//! Every other key (descriptions, positions, band edges) is ignored.

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::transport::dense::{c64, CMat};
use crate::transport::problem::scattering::{
    BlochPhases, FourierBlock, KPoint, Lead, SparseMatrix, TransportProblem,
};

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
        overlap: None,
    };
    p.validate()
        .map_err(|e| Error::input(path, None, e.to_string()))?;
    Ok(p)
}

/// One k: a number k (= (k, 0)) or a pair [k1, k2].
fn kpoint(x: &Value, path: &Path, key: &str) -> Result<BlochPhases> {
    if let Some(k) = x.as_f64() {
        return Ok(k.into());
    }
    let pair = x.as_array().filter(|a| a.len() == 2).and_then(|a| {
        let k1 = a[0].as_f64()?;
        let k2 = a[1].as_f64()?;
        Some(BlochPhases([k1, k2]))
    });
    pair.ok_or_else(|| {
        Error::key(
            path,
            key,
            format!("expected a number or [k1, k2], found {x}"),
        )
    })
}

fn kpoints(v: &Value, path: &Path) -> Result<Vec<KPoint>> {
    // A plain list of k values means equal weights.
    let (list, key) = match v.as_array() {
        Some(list) => (list, "kpoints"),
        None => (
            v.get("k")
                .and_then(Value::as_array)
                .ok_or_else(|| Error::key(path, "kpoints.k", "missing or not a list"))?,
            "kpoints.k",
        ),
    };
    let ks: Vec<BlochPhases> = list
        .iter()
        .map(|x| kpoint(x, path, key))
        .collect::<Result<_>>()?;
    if ks.is_empty() {
        return Err(Error::key(path, key, "empty list"));
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
        .map(|(k, w)| KPoint { k, weight: w / sum })
        .collect())
}

/// A Fourier index: an integer m (= (m, 0)) or a pair [m1, m2].
fn fourier_index(term: &Value, path: &Path, key: &str) -> Result<[i32; 2]> {
    let int = |x: &Value| x.as_i64().and_then(|m| i32::try_from(m).ok());
    let m = term.get("m");
    let parsed = match m {
        Some(Value::Array(a)) if a.len() == 2 => int(&a[0]).zip(int(&a[1])).map(|(a, b)| [a, b]),
        Some(x) => int(x).map(|a| [a, 0]),
        None => None,
    };
    parsed.ok_or_else(|| Error::key(path, key, "missing 'm' (an integer or [m1, m2])"))
}

/// A block: a plain matrix (dense or sparse) or `{"fourier": [...]}`.
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
            let m = fourier_index(term, path, &tkey)?;
            let mat = any_matrix(term, path, &tkey)?;
            let sh = (mat.nrows, mat.ncols);
            if *shape.get_or_insert(sh) != sh {
                return Err(Error::key(
                    path,
                    &tkey,
                    "Fourier components differ in shape",
                ));
            }
            if out.iter().any(|(mm, _)| *mm == m) {
                return Err(Error::key(path, &tkey, format!("m = {m:?} given twice")));
            }
            out.push((m, mat));
        }
        let (nrows, ncols) = shape.unwrap_or((0, 0));
        Ok(FourierBlock {
            nrows,
            ncols,
            terms: out,
        })
    } else {
        Ok(FourierBlock::fixed(any_matrix(v, path, key)?))
    }
}

/// A dense or a sparse (`shape` given) matrix.
fn any_matrix(v: &Value, path: &Path, key: &str) -> Result<SparseMatrix> {
    if v.get("shape").is_some() {
        sparse_matrix(v, path, key)
    } else {
        Ok(SparseMatrix::from_dense(&matrix(v, path, key)?))
    }
}

/// `{"shape": [r, c], "row": [...], "col": [...], "re": [...], "im": [...]}`.
fn sparse_matrix(v: &Value, path: &Path, key: &str) -> Result<SparseMatrix> {
    let shape: Vec<usize> = v
        .get("shape")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_u64().map(|n| n as usize))
                .collect()
        })
        .filter(|s: &Vec<usize>| s.len() == 2)
        .ok_or_else(|| Error::key(path, &format!("{key}.shape"), "expected [rows, cols]"))?;
    let indices = |name: &str, bound: usize| -> Result<Vec<usize>> {
        let k = format!("{key}.{name}");
        v.get(name)
            .and_then(Value::as_array)
            .ok_or_else(|| Error::key(path, &k, "missing or not a list"))?
            .iter()
            .map(|x| {
                x.as_u64()
                    .map(|n| n as usize)
                    .filter(|&n| n < bound)
                    .ok_or_else(|| {
                        Error::key(
                            path,
                            &k,
                            format!("expected an index below {bound}, found {x}"),
                        )
                    })
            })
            .collect()
    };
    let values = |name: &str| -> Result<Option<Vec<f64>>> {
        let k = format!("{key}.{name}");
        let Some(list) = v.get(name) else {
            return Ok(None);
        };
        list.as_array()
            .ok_or_else(|| Error::key(path, &k, "expected a list"))?
            .iter()
            .map(|x| {
                x.as_f64().filter(|f| f.is_finite()).ok_or_else(|| {
                    Error::key(path, &k, format!("expected a finite number, found {x}"))
                })
            })
            .collect::<Result<Vec<f64>>>()
            .map(Some)
    };
    let rows = indices("row", shape[0])?;
    let cols = indices("col", shape[1])?;
    let re = values("re")?.ok_or_else(|| Error::key(path, key, "missing 're'"))?;
    let im = values("im")?;
    let n = rows.len();
    if cols.len() != n || re.len() != n || im.as_ref().is_some_and(|i| i.len() != n) {
        return Err(Error::key(
            path,
            key,
            "'row', 'col', 're' (and 'im') differ in length",
        ));
    }
    let entries = (0..n)
        .map(|e| {
            let imv = im.as_ref().map_or(0.0, |i| i[e]);
            (rows[e], cols[e], c64(re[e], imv))
        })
        .collect();
    Ok(SparseMatrix {
        nrows: shape[0],
        ncols: shape[1],
        entries,
    })
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

/// A sparse matrix in the format's sparse form (`im` left out when every entry is real).
fn sparse_json(m: &SparseMatrix) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("shape".into(), json!([m.nrows, m.ncols]));
    o.insert(
        "row".into(),
        m.entries.iter().map(|e| e.0).collect::<Vec<_>>().into(),
    );
    o.insert(
        "col".into(),
        m.entries.iter().map(|e| e.1).collect::<Vec<_>>().into(),
    );
    o.insert(
        "re".into(),
        m.entries.iter().map(|e| e.2.re).collect::<Vec<_>>().into(),
    );
    if m.entries.iter().any(|e| e.2.im != 0.0) {
        o.insert(
            "im".into(),
            m.entries.iter().map(|e| e.2.im).collect::<Vec<_>>().into(),
        );
    }
    o
}

/// A block: sparse when k-independent, else `{"fourier": [{"m": [m1, m2], …sparse}]}`.
fn block_json(b: &FourierBlock) -> Value {
    if let [([0, 0], m)] = b.terms.as_slice() {
        return Value::Object(sparse_json(m));
    }
    let terms: Vec<Value> = b
        .terms
        .iter()
        .map(|(m, t)| {
            let mut o = sparse_json(t);
            o.insert("m".into(), json!(m));
            Value::Object(o)
        })
        .collect();
    json!({ "fourier": terms })
}

/// The problem in this format (sparse matrices, `m` and k as pairs; see the module
/// documentation): `scattering_region.H`, `leads` [L, R] with `H00`, `H01`, `V_S_lead1`, and
/// `kpoints` {`k`, `weights`} when the problem has k-points. Floats are written round-trip
/// exact, so [`parse_system_json`] gives back the same blocks bit for bit. Callers may add
/// descriptive keys to the object.
pub fn system_json(p: &TransportProblem) -> Value {
    let leads: Vec<Value> = p
        .leads
        .iter()
        .zip(["L", "R"])
        .map(|(l, name)| {
            json!({
                "name": name,
                "n_orbitals_per_layer": l.n_layer(),
                "H00": block_json(&l.h00),
                "H01": block_json(&l.h01),
                "V_S_lead1": block_json(&l.coupling),
            })
        })
        .collect();
    let mut o = Map::new();
    o.insert(
        "scattering_region".into(),
        json!({ "n_orbitals": p.n_s(), "H": block_json(&p.h_s) }),
    );
    o.insert("leads".into(), Value::Array(leads));
    if !p.kpoints.is_empty() {
        let k: Vec<[f64; 2]> = p.kpoints.iter().map(|k| k.k.0).collect();
        let w: Vec<f64> = p.kpoints.iter().map(|k| k.weight).collect();
        o.insert("kpoints".into(), json!({ "k": k, "weights": w }));
    }
    Value::Object(o)
}

/// Write a JSON value to a file.
pub fn write_json(path: &Path, v: &Value) -> Result<()> {
    let f = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = std::io::BufWriter::new(f);
    serde_json::to_writer(&mut w, v).map_err(|e| Error::run(format!("{}: {e}", path.display())))?;
    std::io::Write::flush(&mut w).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::dense::C64;

    fn sparse(nrows: usize, ncols: usize, entries: &[(usize, usize, C64)]) -> SparseMatrix {
        SparseMatrix {
            nrows,
            ncols,
            entries: entries.to_vec(),
        }
    }

    /// A 3-orbital region between 2-orbital leads, periodic in two directions, complex.
    fn periodic_problem() -> TransportProblem {
        let z = |re: f64, im: f64| c64(re, im);
        let h_s = FourierBlock {
            nrows: 3,
            ncols: 3,
            terms: vec![
                (
                    [-1, 1],
                    sparse(3, 3, &[(0, 2, z(0.1, 0.2)), (1, 1, z(-0.3, 0.0))]),
                ),
                (
                    [0, 0],
                    sparse(3, 3, &[(0, 0, z(0.5, 0.0)), (0, 1, z(-1.0, 0.0))]),
                ),
                ([1, -1], sparse(3, 3, &[(2, 0, z(0.1, -0.2))])),
            ],
        };
        let lead = |row: usize| Lead {
            h00: FourierBlock::fixed(sparse(2, 2, &[(0, 1, z(-1.0, 0.0)), (1, 0, z(-1.0, 0.0))])),
            h01: FourierBlock {
                nrows: 2,
                ncols: 2,
                terms: vec![
                    ([0, 0], sparse(2, 2, &[(0, 0, z(-0.9, 0.0))])),
                    ([0, 1], sparse(2, 2, &[(1, 1, z(1.0 / 3.0, 1e-300))])),
                ],
            },
            coupling: FourierBlock::fixed(sparse(3, 2, &[(row, 0, z(-0.7, 0.0))])),
        };
        TransportProblem {
            h_s,
            leads: [lead(0), lead(2)],
            kpoints: vec![
                KPoint {
                    k: BlochPhases([-0.5, 0.25]),
                    weight: 0.75,
                },
                KPoint {
                    k: BlochPhases([0.1, std::f64::consts::PI]),
                    weight: 0.25,
                },
            ],
            overlap: None,
        }
    }

    fn same_block(a: &FourierBlock, b: &FourierBlock) {
        assert_eq!((a.nrows, a.ncols), (b.nrows, b.ncols));
        assert_eq!(a.terms.len(), b.terms.len());
        for ((ma, ta), (mb, tb)) in a.terms.iter().zip(&b.terms) {
            assert_eq!(ma, mb);
            assert_eq!((ta.nrows, ta.ncols), (tb.nrows, tb.ncols));
            // Bit-exact values, same order.
            let bits = |t: &SparseMatrix| -> Vec<(usize, usize, u64, u64)> {
                t.entries
                    .iter()
                    .map(|&(i, j, v)| (i, j, v.re.to_bits(), v.im.to_bits()))
                    .collect()
            };
            assert_eq!(bits(ta), bits(tb));
        }
    }

    #[test]
    fn written_problem_reads_back_bit_for_bit() {
        let p = periodic_problem();
        let text = serde_json::to_string(&system_json(&p)).unwrap();
        let q = parse_system_json(&text, Path::new("round_trip.json")).unwrap();
        same_block(&p.h_s, &q.h_s);
        for (a, b) in p.leads.iter().zip(&q.leads) {
            same_block(&a.h00, &b.h00);
            same_block(&a.h01, &b.h01);
            same_block(&a.coupling, &b.coupling);
        }
        assert_eq!(p.kpoints, q.kpoints);
        // k-independent blocks are plain sparse matrices; real ones carry no "im".
        let v = system_json(&p);
        assert!(v["leads"][0]["H00"].get("shape").is_some());
        assert!(v["leads"][0]["H00"].get("im").is_none());
        assert_eq!(v["leads"][1]["H01"]["fourier"][1]["m"], json!([0, 1]));
    }

    #[test]
    fn sparse_and_dense_forms_give_the_same_problem() {
        // Dense L/R blocks against the same in sparse form, duplicates adding up, 1-D m.
        let dense = r#"{"scattering_region": {"H": {"re": [[0.5, -1], [-1, 0.2]]}},
            "leads": [
              {"H00": {"re": [[0]]}, "H01": {"re": [[-1]]}, "V_S_lead1": {"re": [[-1], [0]]}},
              {"H00": {"re": [[0]]},
               "H01": {"fourier": [{"m": 0, "re": [[-1]]}, {"m": 1, "re": [[0]], "im": [[0.5]]}]},
               "V_S_lead1": {"re": [[0], [-1]]}}],
            "kpoints": [0.3]}"#;
        let sparse_text = r#"{"scattering_region": {"H": {"shape": [2, 2],
              "row": [0, 0, 1, 1, 0], "col": [0, 1, 0, 1, 0], "re": [0.25, -1, -1, 0.2, 0.25]}},
            "leads": [
              {"H00": {"shape": [1, 1], "row": [], "col": [], "re": []},
               "H01": {"shape": [1, 1], "row": [0], "col": [0], "re": [-1]},
               "V_S_lead1": {"shape": [2, 1], "row": [0], "col": [0], "re": [-1]}},
              {"H00": {"shape": [1, 1], "row": [], "col": [], "re": []},
               "H01": {"fourier": [
                  {"m": [0, 0], "shape": [1, 1], "row": [0], "col": [0], "re": [-1]},
                  {"m": [1, 0], "shape": [1, 1], "row": [0], "col": [0], "re": [0], "im": [0.5]}]},
               "V_S_lead1": {"shape": [2, 1], "row": [1], "col": [0], "re": [-1]}}],
            "kpoints": {"k": [[0.3, 0]]}}"#;
        let a = parse_system_json(dense, Path::new("dense.json")).unwrap();
        let b = parse_system_json(sparse_text, Path::new("sparse.json")).unwrap();
        let k = BlochPhases([0.3, 0.0]);
        let (pa, pb) = (a.at_k(k), b.at_k(k));
        assert_eq!(pa.h_s.to_dense(), pb.h_s.to_dense());
        for (la, lb) in pa.leads.iter().zip(&pb.leads) {
            assert_eq!(la.h00, lb.h00);
            assert_eq!(la.h01, lb.h01);
            assert_eq!(la.coupling.to_dense(), lb.coupling.to_dense());
        }
        assert_eq!(a.kpoints, b.kpoints);
    }

    #[test]
    fn bad_sparse_matrices_name_the_key() {
        let with = |h: &str| {
            format!(
                r#"{{"scattering_region": {{"H": {h}}}, "leads": [
                {{"H00": {{"re": [[0]]}}, "H01": {{"re": [[-1]]}}, "V_S_lead1": {{"re": [[-1]]}}}},
                {{"H00": {{"re": [[0]]}}, "H01": {{"re": [[-1]]}}, "V_S_lead1": {{"re": [[-1]]}}}}]}}"#
            )
        };
        let err = |h: &str| {
            parse_system_json(&with(h), Path::new("bad.json"))
                .unwrap_err()
                .to_string()
        };
        let e = err(r#"{"shape": [1, 1], "row": [1], "col": [0], "re": [1]}"#);
        assert!(
            e.contains("scattering_region.H.row") && e.contains("below 1"),
            "{e}"
        );
        let e = err(r#"{"shape": [1, 1], "row": [0], "col": [0], "re": [1, 2]}"#);
        assert!(e.contains("differ in length"), "{e}");
        let e = err(r#"{"shape": [1], "row": [0], "col": [0], "re": [1]}"#);
        assert!(e.contains("scattering_region.H.shape"), "{e}");
        let e = err(r#"{"fourier": [{"m": [0, "a"], "re": [[1]]}]}"#);
        assert!(e.contains("fourier[0]") && e.contains("'m'"), "{e}");
        assert!(parse_system_json(
            &with(r#"{"shape": [1, 1], "row": [0], "col": [0], "re": [1]}"#),
            Path::new("ok.json")
        )
        .is_ok());
    }
}
