//! The reader of the standard ReaxFF `ffield` file, section by section as LAMMPS
//! `src/REAXFF/reaxff_ffield.cpp` (`Read_Force_Field`) reads it:
//!
//! 1. one comment line;
//! 2. the number of general parameters n (≥ 39 here), then n lines `value ! comment`
//!    (LAMMPS `gp.l[0..n]`);
//! 3. the number of elements, 3 header lines, then per element 4 lines of 8 numbers, the first
//!    led by the symbol, and a 5th line of 2 numbers with `lgvdw yes`;
//! 4. the number of bonds, 1 header line, then 2 lines per bond: `i j` + 8 numbers, 8 numbers;
//! 5. the number of off-diagonal pairs, then `i j` + 6 numbers (7 with `lgvdw`) per line;
//! 6. the number of angles, then `j k l` + 7 numbers per line (k the apex);
//! 7. the number of torsions, then `j k l m` + 5 numbers (more are ignored) per line; j = 0
//!    and m = 0 are wildcards (`0 k l 0`);
//! 8. the number of hydrogen bonds, then `donor H acceptor` + 4 numbers per line.
//!
//! A count line and a header line may carry any text after the count; a value line may carry
//! more words than are read. Blank lines between value lines are skipped, as LAMMPS's
//! `TextFileReader` skips them. Element indices are 1-based in the file. Where LAMMPS silently
//! skips a line whose index exceeds the number of elements, this reader stops with an error.
//! Every error names the file, the 1-based line and what was expected.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

use super::params::{
    AngleEntry, AngleParams, BondEntry, Element, HbondEntry, HbondParams, OffDiagonalEntry,
    TorsionEntry, TorsionParams, TwoBody, VdwType,
};

/// The fewest general parameters a file may have: LAMMPS reads `gp.l[0..39]` by index.
pub const MIN_GENERAL: usize = 39;

/// Relative difference above which a file's mass and a data file's mass are reported.
pub const MASS_TOLERANCE: f64 = 0.01;

/// The general parameters `gp.l[k]` in file order (0-based k; the comments in LAMMPS
/// `reaxff_types.h` map each index to the paper's λ's).
#[derive(Clone, Debug, PartialEq)]
pub struct GeneralParams {
    /// All values, `l[k]` the (k+1)-th parameter line.
    pub l: Vec<f64>,
}

impl GeneralParams {
    /// Bond-order cutoff 0.01 × `gp.l[29]` (LAMMPS `control->bo_cut`): bonds with a smaller
    /// uncorrected bond order are dropped.
    pub fn bo_cut(&self) -> f64 {
        0.01 * self.l[29]
    }

    /// Inner radius of the non-bonded taper, `gp.l[11]`, Å (LAMMPS `control->nonb_low`, `swa`).
    pub fn swa(&self) -> f64 {
        self.l[11]
    }

    /// Non-bonded cutoff, the outer radius of the taper, `gp.l[12]`, Å (LAMMPS
    /// `control->nonb_cut`, `swb`).
    pub fn swb(&self) -> f64 {
        self.l[12]
    }
}

/// A parsed force field with the per-pair, per-angle, per-torsion and per-H-bond tables LAMMPS
/// builds from it (`sbp`, `tbp`, `thbp`, `fbp`, `hbp`), over the file's elements in file order.
#[derive(Clone, Debug)]
pub struct ForceField {
    /// The file read.
    pub path: PathBuf,
    /// General parameters.
    pub general: GeneralParams,
    /// Elements in file order (LAMMPS `sbp`).
    pub elements: Vec<Element>,
    /// The van der Waals form the elements select.
    pub vdw_type: VdwType,
    /// Bond lines as written.
    pub bonds: Vec<BondEntry>,
    /// Off-diagonal lines as written.
    pub off_diagonals: Vec<OffDiagonalEntry>,
    /// Angle lines as written.
    pub angles: Vec<AngleEntry>,
    /// Torsion lines as written.
    pub torsions: Vec<TorsionEntry>,
    /// Hydrogen-bond lines as written.
    pub hbonds: Vec<HbondEntry>,
    /// Warnings LAMMPS prints while reading (changed `valency_val`, mixed vdW forms), for the
    /// caller to log.
    pub warnings: Vec<String>,
    /// Line of the element count, for errors about elements.
    atom_line: usize,
    two_body: Vec<TwoBody>,
    three_body: Vec<Vec<AngleParams>>,
    four_body: Vec<Option<TorsionParams>>,
    hbond: Vec<Option<HbondParams>>,
}

/// The value lines of a file, with 1-based line numbers.
struct Lines<'a> {
    path: &'a Path,
    lines: Vec<&'a str>,
    pos: usize,
}

/// The words of one value line.
struct Row<'a> {
    path: &'a Path,
    line: usize,
    words: Vec<&'a str>,
    section: &'static str,
}

impl<'a> Lines<'a> {
    fn ended(&self, section: &str, remaining: usize) -> Error {
        let last = self.lines.len().max(1);
        let msg = format!(
            "expected {remaining} more line(s) of the {section} section, file ended at line \
             {last}"
        );
        Error::input(self.path, Some(last), msg)
    }

    /// The next line whatever it holds (a header line).
    fn skip(&mut self, section: &'static str, remaining: usize) -> Result<()> {
        if self.pos >= self.lines.len() {
            return Err(self.ended(section, remaining));
        }
        self.pos += 1;
        Ok(())
    }

    /// The next non-blank line, split into words; at least `min` of them.
    fn row(&mut self, section: &'static str, remaining: usize, min: usize) -> Result<Row<'a>> {
        loop {
            let Some(text) = self.lines.get(self.pos) else {
                return Err(self.ended(section, remaining));
            };
            self.pos += 1;
            let words: Vec<&str> = text.split_whitespace().collect();
            if words.is_empty() {
                continue;
            }
            let row = Row {
                path: self.path,
                line: self.pos,
                words,
                section,
            };
            if row.words.len() < min {
                let msg = format!(
                    "expected at least {min} words on this line of the {section} section, \
                     found {}",
                    row.words.len()
                );
                return Err(row.err(msg));
            }
            return Ok(row);
        }
    }

    /// A count line of `section`: a non-negative integer first.
    fn count(&mut self, section: &'static str) -> Result<(usize, usize)> {
        let row = self.row(section, 1, 1)?;
        let n = row.int(0)?;
        let n = usize::try_from(n).map_err(|_| {
            row.err(format!(
                "the number of {section} entries is {n}; expected ≥ 0"
            ))
        })?;
        Ok((n, row.line))
    }
}

impl Row<'_> {
    fn err(&self, msg: String) -> Error {
        Error::input(self.path, Some(self.line), msg)
    }

    /// Word `k` (0-based) as a finite number.
    fn f64(&self, k: usize) -> Result<f64> {
        let w = self.words[k];
        match w.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.err(format!(
                "column {}: '{w}' is not a number (the {} section)",
                k + 1,
                self.section
            ))),
        }
    }

    /// Words `from..from + N` as numbers.
    fn f64s<const N: usize>(&self, from: usize) -> Result<[f64; N]> {
        let mut v = [0.0; N];
        for (k, x) in v.iter_mut().enumerate() {
            *x = self.f64(from + k)?;
        }
        Ok(v)
    }

    /// Word `k` as an integer.
    fn int(&self, k: usize) -> Result<i64> {
        let w = self.words[k];
        w.parse::<i64>().map_err(|_| {
            self.err(format!(
                "column {}: '{w}' is not an integer (the {} section)",
                k + 1,
                self.section
            ))
        })
    }

    /// Word `k` as a 1-based element index in 1..=n, returned 0-based; 0 gives `None` where
    /// `wildcard` allows it.
    fn index(&self, k: usize, n: usize, wildcard: bool) -> Result<Option<usize>> {
        let v = self.int(k)?;
        if wildcard && v == 0 {
            return Ok(None);
        }
        match usize::try_from(v) {
            Ok(i) if (1..=n).contains(&i) => Ok(Some(i - 1)),
            _ => Err(self.err(format!(
                "column {}: element index {v} is out of range; the file has elements 1 to {n}{}",
                k + 1,
                if wildcard { " (0 a wildcard)" } else { "" }
            ))),
        }
    }

    /// Words `0..N` as element indices with no wildcard.
    fn indices<const N: usize>(&self, n: usize) -> Result<[usize; N]> {
        let mut v = [0; N];
        for (k, x) in v.iter_mut().enumerate() {
            *x = self.index(k, n, false)?.unwrap_or_default();
        }
        Ok(v)
    }
}

impl ForceField {
    /// Read `path`; `lgvdw` as `pair_style reaxff .. lgvdw yes` (a 5th line per element and a
    /// 7th off-diagonal value).
    pub fn read(path: &Path, lgvdw: bool) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut f = Lines {
            path,
            lines: text.lines().collect(),
            pos: 0,
        };
        f.skip("header", 1)?;
        let (ngen, gen_line) = f.count("general parameters")?;
        if ngen < MIN_GENERAL {
            let msg = format!("{ngen} general parameters; expected at least {MIN_GENERAL}");
            return Err(Error::input(path, Some(gen_line), msg));
        }
        let mut l = Vec::new();
        for k in 0..ngen {
            l.push(f.row("general parameters", ngen - k, 1)?.f64(0)?);
        }
        let general = GeneralParams { l };
        let mut warnings = Vec::new();
        let (elements, atom_line, vdw_type) = read_elements(&mut f, lgvdw, &mut warnings)?;
        let n = elements.len();
        let mut two_body = mix(&elements, &general);
        let bonds = read_bonds(&mut f, n, &mut two_body)?;
        let off_diagonals = read_off_diagonals(&mut f, n, lgvdw, &mut two_body)?;
        let (angles, three_body) = read_angles(&mut f, n)?;
        let (torsions, four_body) = read_torsions(&mut f, n)?;
        let (hbonds, hbond) = read_hbonds(&mut f, n)?;
        Ok(ForceField {
            path: path.to_path_buf(),
            general,
            elements,
            vdw_type,
            bonds,
            off_diagonals,
            angles,
            torsions,
            hbonds,
            warnings,
            atom_line,
            two_body,
            three_body,
            four_body,
            hbond,
        })
    }

    /// Parameters of the element pair (i, j), 0-based file indices (LAMMPS `tbp[i][j]`).
    pub fn two_body(&self, i: usize, j: usize) -> &TwoBody {
        &self.two_body[i * self.elements.len() + j]
    }

    /// Parameter sets of the angle j-k-l, k the apex (LAMMPS `thbp[j][k][l]`): the file's lines
    /// for j-k-l and l-k-j in file order; empty where none. A symmetric line (j = l) is stored
    /// once: LAMMPS also counts it a second time with an all-zero set, which its angle term
    /// skips (|p_val1| ≤ 0.001).
    pub fn angle(&self, j: usize, k: usize, l: usize) -> &[AngleParams] {
        let n = self.elements.len();
        &self.three_body[(j * n + k) * n + l]
    }

    /// Parameters of the torsion j-k-l-m (LAMMPS `fbp[j][k][l][m]`): an explicit line for j-k-l-m
    /// or m-l-k-j wins; otherwise the last `0 k l 0` or `0 l k 0` line; `None` where neither.
    pub fn torsion(&self, j: usize, k: usize, l: usize, m: usize) -> Option<&TorsionParams> {
        let n = self.elements.len();
        self.four_body[((j * n + k) * n + l) * n + m].as_ref()
    }

    /// Parameters of the hydrogen bond donor j – hydrogen k – acceptor l (LAMMPS `hbp[j][k][l]`,
    /// whose `r0_hb = -1` marks none), as listed: not symmetrised.
    pub fn hbond(&self, j: usize, k: usize, l: usize) -> Option<&HbondParams> {
        let n = self.elements.len();
        self.hbond[(j * n + k) * n + l].as_ref()
    }

    /// The file's element index of each LAMMPS atom type, from the symbols of
    /// `pair_coeff * * ffield SYM..` (type t + 1 is `symbols[t]`), matched case-insensitively as
    /// LAMMPS matches them.
    pub fn for_elements(&self, symbols: &[&str]) -> Result<Vec<usize>> {
        symbols
            .iter()
            .map(|s| {
                self.elements
                    .iter()
                    .position(|e| e.name.eq_ignore_ascii_case(s))
                    .ok_or_else(|| {
                        let have: Vec<&str> =
                            self.elements.iter().map(|e| e.name.as_str()).collect();
                        let msg = format!(
                            "element '{s}' is not in this force field; its atom section lists {}",
                            have.join(", ")
                        );
                        Error::input(&self.path, Some(self.atom_line), msg)
                    })
            })
            .collect()
    }

    /// The file's mass of each element, amu, in file order.
    pub fn masses(&self) -> Vec<f64> {
        self.elements.iter().map(|e| e.mass).collect()
    }

    /// One warning for each atom type whose data-file mass differs from its element's mass in
    /// the file by more than [`MASS_TOLERANCE`] relative; `types[t]` is the element of type
    /// t + 1 (from [`Self::for_elements`]) and `data_masses[t]` its mass. Masses come from the
    /// data file, as in LAMMPS; the file's mass is only checked.
    pub fn mass_warnings(&self, types: &[usize], data_masses: &[f64]) -> Vec<String> {
        types
            .iter()
            .zip(data_masses)
            .enumerate()
            .filter_map(|(t, (&e, &m))| {
                let el = &self.elements[e];
                let off = (el.mass - m).abs() > MASS_TOLERANCE * m.abs().max(el.mass.abs());
                off.then(|| {
                    format!(
                        "{}: element {} (type {}) has mass {} in the force field but {m} in the \
                         data file; the data file's mass is used, as in LAMMPS",
                        self.path.display(),
                        el.name,
                        t + 1,
                        el.mass
                    )
                })
            })
            .collect()
    }
}

/// The atom section: the elements, the count line, the vdW form.
fn read_elements(
    f: &mut Lines,
    lgvdw: bool,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Element>, usize, VdwType)> {
    const SEC: &str = "atom";
    let (n, atom_line) = f.count(SEC)?;
    if n == 0 {
        return Err(Error::input(
            f.path,
            Some(atom_line),
            "no elements; expected ≥ 1",
        ));
    }
    let per = if lgvdw { 5 } else { 4 };
    for k in 0..3 {
        f.skip(SEC, n.saturating_mul(per).saturating_add(3 - k))?;
    }
    let mut elements = Vec::new();
    let mut vdw: Option<VdwType> = None;
    for i in 0..n {
        let left = (n - i).saturating_mul(per);
        let r1 = f.row(SEC, left, 1)?;
        if r1.words.len() < 9 {
            let hint = if lgvdw {
                ""
            } else {
                " (a file with lgvdw lines needs 'lgvdw yes')"
            };
            let msg = format!(
                "expected an element symbol and 8 numbers, found {} words{hint}",
                r1.words.len()
            );
            return Err(r1.err(msg));
        }
        let [r_s, valency, mass, r_vdw, epsilon, gamma, r_pi, valency_e] = r1.f64s(1)?;
        let r2 = f.row(SEC, left - 1, 8)?;
        let [alpha, gamma_w, valency_boc, p_ovun5, _, chi, eta, p_hbond] = r2.f64s(0)?;
        let r3 = f.row(SEC, left - 2, 8)?;
        let [r_pi_pi, p_lp2, _, b_o_131, b_o_132, b_o_133, bcut_acks2] = r3.f64s(0)?;
        let r4 = f.row(SEC, left - 3, 8)?;
        let [p_ovun2, p_val3, _, valency_val, p_val5, rcore2, ecore2, acore2] = r4.f64s(0)?;
        let [lgcij, lgre] = if lgvdw {
            f.row(SEC, left - 4, 2)?.f64s(0)?
        } else {
            [0.0, 0.0]
        };
        let mut e = Element {
            name: r1.words[0].to_string(),
            r_s,
            valency,
            mass,
            r_vdw,
            epsilon,
            gamma,
            r_pi,
            valency_e,
            n_lp_opt: 0.5 * (valency_e - valency),
            alpha,
            gamma_w,
            valency_boc,
            p_ovun5,
            chi,
            eta: 2.0 * eta,
            p_hbond: p_hbond as i32,
            r_pi_pi,
            p_lp2,
            b_o_131,
            b_o_132,
            b_o_133,
            bcut_acks2,
            p_ovun2,
            p_val3,
            valency_val,
            p_val5,
            rcore2,
            ecore2,
            acore2,
            lgcij,
            lgre,
        };
        let wall = e.rcore2 > 0.01 && e.acore2 > 0.01;
        let this = match (wall, e.gamma_w > 0.5) {
            (true, true) => VdwType::InnerWallShielding,
            (true, false) => VdwType::InnerWall,
            (false, true) => VdwType::Shielding,
            (false, false) => {
                let msg = format!(
                    "element {}: inconsistent van der Waals parameters, neither shielding \
                     (gamma_w > 0.5) nor an inner wall (rcore2, acore2 > 0.01)",
                    e.name
                );
                return Err(r1.err(msg));
            }
        };
        match vdw {
            None => vdw = Some(this),
            Some(v) if v != this => warnings.push(format!(
                "{}: van der Waals parameters for element {} indicate {this:?}, but earlier \
                 elements {v:?}; keeping {v:?}, as LAMMPS does",
                f.path.display(),
                e.name
            )),
            Some(_) => {}
        }
        if e.mass < 21.0 && e.valency_val != e.valency_boc {
            warnings.push(format!(
                "{}: changed valency_val to valency_boc for {}, as LAMMPS does",
                f.path.display(),
                e.name
            ));
            e.valency_val = e.valency_boc;
        }
        elements.push(e);
    }
    let vdw = vdw.unwrap_or(VdwType::Shielding);
    Ok((elements, atom_line, vdw))
}

/// The element-mixed pair parameters of every pair, before the bond and off-diagonal lines.
fn mix(el: &[Element], gp: &GeneralParams) -> Vec<TwoBody> {
    let n = el.len();
    let mut t = Vec::with_capacity(n * n);
    for a in el {
        for b in el {
            t.push(TwoBody {
                r_s: 0.5 * (a.r_s + b.r_s),
                r_p: 0.5 * (a.r_pi + b.r_pi),
                r_pp: 0.5 * (a.r_pi_pi + b.r_pi_pi),
                p_boc3: (a.b_o_132 * b.b_o_132).sqrt(),
                p_boc4: (a.b_o_131 * b.b_o_131).sqrt(),
                p_boc5: (a.b_o_133 * b.b_o_133).sqrt(),
                d: (a.epsilon * b.epsilon).sqrt(),
                alpha: (a.alpha * b.alpha).sqrt(),
                r_vdw: 2.0 * (a.r_vdw * b.r_vdw).sqrt(),
                gamma_w: (a.gamma_w * b.gamma_w).sqrt(),
                gamma: (a.gamma * b.gamma).powf(-1.5),
                rcore: (a.rcore2 * b.rcore2).sqrt(),
                ecore: (a.ecore2 * b.ecore2).sqrt(),
                acore: (a.acore2 * b.acore2).sqrt(),
                lgcij: (a.lgcij * b.lgcij).sqrt(),
                lgre: 2.0 * gp.l[35] * (a.lgre * b.lgre).sqrt(),
                ..TwoBody::default()
            });
        }
    }
    t
}

/// Apply `set` to the pair (i, j) and (j, i).
fn both(t: &mut [TwoBody], n: usize, [i, j]: [usize; 2], set: impl Fn(&mut TwoBody)) {
    set(&mut t[i * n + j]);
    set(&mut t[j * n + i]);
}

/// The bond section.
fn read_bonds(f: &mut Lines, n: usize, t: &mut [TwoBody]) -> Result<Vec<BondEntry>> {
    const SEC: &str = "bond";
    let (nb, _) = f.count(SEC)?;
    f.skip(SEC, 1 + 2 * nb)?;
    let mut bonds = Vec::new();
    for b in 0..nb {
        let r1 = f.row(SEC, 2 * (nb - b), 10)?;
        let pair = r1.indices::<2>(n)?;
        let v1: [f64; 8] = r1.f64s(2)?;
        let v2: [f64; 8] = f.row(SEC, 2 * (nb - b) - 1, 8)?.f64s(0)?;
        both(t, n, pair, |p| {
            [
                p.de_s, p.de_p, p.de_pp, p.p_be1, p.p_bo5, p.v13cor, p.p_bo6, p.p_ovun1,
            ] = v1;
            [p.p_be2, p.p_bo3, p.p_bo4] = [v2[0], v2[1], v2[2]];
            [p.p_bo1, p.p_bo2, p.ovc] = [v2[4], v2[5], v2[6]];
        });
        let mut values = [0.0; 16];
        values[..8].copy_from_slice(&v1);
        values[8..].copy_from_slice(&v2);
        bonds.push(BondEntry { pair, values });
    }
    Ok(bonds)
}

/// The off-diagonal section: each value > 0 (lgcij ≥ 0) overrides the mixed one.
fn read_off_diagonals(
    f: &mut Lines,
    n: usize,
    lgvdw: bool,
    t: &mut [TwoBody],
) -> Result<Vec<OffDiagonalEntry>> {
    const SEC: &str = "off-diagonal";
    let (no, _) = f.count(SEC)?;
    let nv = if lgvdw { 7 } else { 6 };
    let mut out = Vec::new();
    for o in 0..no {
        let r = f.row(SEC, no - o, 2 + nv)?;
        let pair = r.indices::<2>(n)?;
        let values = (0..nv).map(|k| r.f64(2 + k)).collect::<Result<Vec<_>>>()?;
        both(t, n, pair, |p| {
            let fields = [&mut p.d, &mut p.r_vdw, &mut p.alpha, &mut p.r_s, &mut p.r_p];
            for (k, x) in fields.into_iter().enumerate() {
                if values[k] > 0.0 {
                    *x = if k == 1 { 2.0 * values[k] } else { values[k] };
                }
            }
            if values[5] > 0.0 {
                p.r_pp = values[5];
            }
            if lgvdw && values[6] >= 0.0 {
                p.lgcij = values[6];
            }
        });
        out.push(OffDiagonalEntry { pair, values });
    }
    Ok(out)
}

/// The angle section and the j-k-l table (both orders, once where j = l).
fn read_angles(f: &mut Lines, n: usize) -> Result<(Vec<AngleEntry>, Vec<Vec<AngleParams>>)> {
    const SEC: &str = "angle";
    let (na, _) = f.count(SEC)?;
    let mut table = vec![Vec::new(); n * n * n];
    let mut out = Vec::new();
    for a in 0..na {
        let r = f.row(SEC, na - a, 10)?;
        let elements = r.indices::<3>(n)?;
        let [theta_00, p_val1, p_val2, p_coa1, p_val7, p_pen1, p_val4] = r.f64s(3)?;
        let params = AngleParams {
            theta_00,
            p_val1,
            p_val2,
            p_coa1,
            p_val7,
            p_pen1,
            p_val4,
        };
        let [j, k, l] = elements;
        table[(j * n + k) * n + l].push(params);
        if j != l {
            table[(l * n + k) * n + j].push(params);
        }
        out.push(AngleEntry { elements, params });
    }
    Ok((out, table))
}

/// The torsion table: explicit lines win over wildcards, later wildcards over earlier ones.
type TorsionTable = Vec<Option<TorsionParams>>;

/// The torsion section.
fn read_torsions(f: &mut Lines, n: usize) -> Result<(Vec<TorsionEntry>, TorsionTable)> {
    const SEC: &str = "torsion";
    let (nt, _) = f.count(SEC)?;
    let mut table: TorsionTable = vec![None; n * n * n * n];
    let mut explicit = vec![false; n * n * n * n];
    let at = |j: usize, k: usize, l: usize, m: usize| ((j * n + k) * n + l) * n + m;
    let mut out = Vec::new();
    for t in 0..nt {
        let r = f.row(SEC, nt - t, 9)?;
        let j = r.index(0, n, true)?;
        let k = r.index(1, n, false)?.unwrap_or_default();
        let l = r.index(2, n, false)?.unwrap_or_default();
        let m = r.index(3, n, true)?;
        let [v1, v2, v3, p_tor1, p_cot1] = r.f64s(4)?;
        let params = TorsionParams {
            v1,
            v2,
            v3,
            p_tor1,
            p_cot1,
        };
        match (j, m) {
            (Some(j), Some(m)) => {
                for idx in [at(j, k, l, m), at(m, l, k, j)] {
                    explicit[idx] = true;
                    table[idx] = Some(params);
                }
            }
            _ => {
                for p in 0..n {
                    for o in 0..n {
                        for idx in [at(p, k, l, o), at(o, l, k, p)] {
                            if !explicit[idx] {
                                table[idx] = Some(params);
                            }
                        }
                    }
                }
            }
        }
        out.push(TorsionEntry {
            elements: [j, Some(k), Some(l), m],
            params,
        });
    }
    Ok((out, table))
}

/// The hydrogen-bond section.
fn read_hbonds(f: &mut Lines, n: usize) -> Result<(Vec<HbondEntry>, Vec<Option<HbondParams>>)> {
    const SEC: &str = "hydrogen-bond";
    let (nh, _) = f.count(SEC)?;
    let mut table = vec![None; n * n * n];
    let mut out = Vec::new();
    for h in 0..nh {
        let r = f.row(SEC, nh - h, 7)?;
        let elements = r.indices::<3>(n)?;
        let [r0_hb, p_hb1, p_hb2, p_hb3] = r.f64s(3)?;
        let params = HbondParams {
            r0_hb,
            p_hb1,
            p_hb2,
            p_hb3,
        };
        let [j, k, l] = elements;
        table[(j * n + k) * n + l] = Some(params);
        out.push(HbondEntry { elements, params });
    }
    Ok((out, table))
}
