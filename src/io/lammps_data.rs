//! LAMMPS data files, `atom_style atomic` or `charge`: header counts and box, `Masses`,
//! `Atoms # atomic` (`id type x y z [ix iy iz]`) or `Atoms # charge` (`id type q x y z
//! [ix iy iz]`, q in e) and an optional `Velocities` section (`id vx vy vz`, Å/ps). Format as in
//! the LAMMPS manual, `read_data` and `write_data`. Without a style comment the style follows
//! from the number of columns (5 or 8: atomic; 6 or 9: charge). Charges become the per-atom
//! field [`CHARGE`](crate::system::CHARGE), which migrates with its atom and rides on the ghosts; a data file is
//! written in charge style when the atoms carry it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::error::{Error, Result};
use crate::system::{charge_field, Atoms, Boundary, SimBox, CHARGE};

/// The contents of a data file, before it is placed into a box with boundaries.
#[derive(Clone, Debug)]
pub struct DataFile {
    /// Lower box corner, Å.
    pub lo: [f64; 3],
    /// Upper box corner, Å.
    pub hi: [f64; 3],
    /// Mass of each type (amu) where the `Masses` section gives one.
    pub masses: Vec<Option<f64>>,
    /// Atoms in file order: id, 0-based type, position, image flags.
    pub atoms: Vec<(u64, u32, [f64; 3], [i32; 3])>,
    /// Velocities by id, when the file has a `Velocities` section.
    pub velocities: Option<HashMap<u64, [f64; 3]>>,
    /// Charges (e) in the order of `atoms`, for a file of `atom_style charge`.
    pub charges: Option<Vec<f64>>,
}

fn parse_f64(path: &Path, line: usize, tok: &str, what: &str) -> Result<f64> {
    tok.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            Error::input(
                path,
                Some(line),
                format!("expected a number for {what}, found '{tok}'"),
            )
        })
}

fn parse_int<T: std::str::FromStr>(path: &Path, line: usize, tok: &str, what: &str) -> Result<T> {
    tok.parse::<T>().map_err(|_| {
        Error::input(
            path,
            Some(line),
            format!("expected an integer for {what}, found '{tok}'"),
        )
    })
}

/// Known section headers of atomic-style data files.
const SECTIONS: [&str; 3] = ["Masses", "Atoms", "Velocities"];

/// Most atom types a data file may declare (a sanity bound: the header's count sizes the
/// table of masses before the Masses section is read).
const MAX_ATOM_TYPES: usize = 1 << 20;

impl DataFile {
    /// Read a LAMMPS data file.
    pub fn read(path: &Path) -> Result<DataFile> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(path, &text)
    }

    /// Parse the text of a data file; `path` is used in error messages.
    pub fn parse(path: &Path, text: &str) -> Result<DataFile> {
        // Lines with comments stripped, keeping 1-based numbers. The first line is a title.
        let lines: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .skip(1)
            .map(|(k, l)| (k + 1, l.split('#').next().unwrap_or("").trim()))
            .collect();
        let mut natoms: Option<usize> = None;
        let mut ntypes: Option<usize> = None;
        let mut lo = [f64::NAN; 3];
        let mut hi = [f64::NAN; 3];
        let mut k = 0;
        // Header: until the first section keyword.
        while k < lines.len() {
            let (ln, l) = lines[k];
            if l.is_empty() {
                k += 1;
                continue;
            }
            let first = l.split_whitespace().next().unwrap_or("");
            if SECTIONS.contains(&first)
                || first.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            {
                break;
            }
            let t: Vec<&str> = l.split_whitespace().collect();
            if l.ends_with("atom types") && t.len() == 3 {
                ntypes = Some(parse_int(path, ln, t[0], "atom types")?);
            } else if l.ends_with("atoms") && t.len() == 2 {
                natoms = Some(parse_int(path, ln, t[0], "atoms")?);
            } else if t.len() == 4 && (t[2], t[3]) == ("xlo", "xhi") {
                lo[0] = parse_f64(path, ln, t[0], "xlo")?;
                hi[0] = parse_f64(path, ln, t[1], "xhi")?;
            } else if t.len() == 4 && (t[2], t[3]) == ("ylo", "yhi") {
                lo[1] = parse_f64(path, ln, t[0], "ylo")?;
                hi[1] = parse_f64(path, ln, t[1], "yhi")?;
            } else if t.len() == 4 && (t[2], t[3]) == ("zlo", "zhi") {
                lo[2] = parse_f64(path, ln, t[0], "zlo")?;
                hi[2] = parse_f64(path, ln, t[1], "zhi")?;
            } else if t.len() == 6 && t[3..] == ["xy", "xz", "yz"] {
                let tilt: Vec<f64> = t[..3]
                    .iter()
                    .map(|s| parse_f64(path, ln, s, "tilt factor"))
                    .collect::<Result<_>>()?;
                if tilt.iter().any(|&v| v != 0.0) {
                    return Err(Error::input(
                        path,
                        Some(ln),
                        "triclinic boxes are not supported (non-zero xy xz yz)",
                    ));
                }
            } else if l.ends_with("bonds")
                || l.ends_with("angles")
                || l.ends_with("dihedrals")
                || l.ends_with("impropers")
            {
                if t[0] != "0" {
                    return Err(Error::input(
                        path,
                        Some(ln),
                        "molecular topology is not supported (atom_style atomic expected)",
                    ));
                }
            } else if !(l.ends_with("types") && t.len() == 3 && t[0] == "0") {
                return Err(Error::input(
                    path,
                    Some(ln),
                    format!("unrecognised header line '{l}'"),
                ));
            }
            k += 1;
        }
        let natoms =
            natoms.ok_or_else(|| Error::input(path, None, "header has no 'N atoms' line"))?;
        let ntypes =
            ntypes.ok_or_else(|| Error::input(path, None, "header has no 'N atom types' line"))?;
        for (d, ax) in ["x", "y", "z"].iter().enumerate() {
            if lo[d].is_nan() {
                return Err(Error::input(
                    path,
                    None,
                    format!("header has no '{ax}lo {ax}hi' line"),
                ));
            }
            if hi[d] <= lo[d] {
                return Err(Error::input(
                    path,
                    None,
                    format!("{ax}hi must be larger than {ax}lo"),
                ));
            }
        }
        // A count read from the file sizes nothing before the lines it promises are there.
        if ntypes > MAX_ATOM_TYPES {
            return Err(Error::input(
                path,
                None,
                format!("{ntypes} atom types: at most {MAX_ATOM_TYPES} are supported"),
            ));
        }
        let mut masses = vec![None; ntypes];
        let mut atoms = Vec::new();
        let mut velocities = None;
        let mut seen_atoms = false;
        // Whether the Atoms section is of charge style (None: not said, from the columns).
        let mut atom_style: Option<bool> = None;
        let mut charges = Vec::new();
        while k < lines.len() {
            let (ln, l) = lines[k];
            if l.is_empty() {
                k += 1;
                continue;
            }
            let section = l.split_whitespace().next().unwrap_or("");
            let count = match section {
                "Masses" => ntypes,
                "Atoms" | "Velocities" => natoms,
                _ => {
                    return Err(Error::input(
                        path,
                        Some(ln),
                        format!("unknown section '{l}' (expected Masses, Atoms or Velocities)"),
                    ))
                }
            };
            if section == "Atoms" {
                // `Atoms # STYLE`: the word after the comment sign.
                let raw = text.lines().nth(ln - 1).unwrap_or("");
                let style = raw
                    .split('#')
                    .nth(1)
                    .map(str::trim)
                    .filter(|s| !s.is_empty());
                atom_style = match style {
                    None => None,
                    Some("atomic") => Some(false),
                    Some("charge") => Some(true),
                    Some(other) => {
                        return Err(Error::input(
                            path,
                            Some(ln),
                            format!(
                                "Atoms section of style '{other}': expected 'atomic' or 'charge'"
                            ),
                        ))
                    }
                };
            }
            k += 1;
            // skip blank lines after the keyword
            let mut body = Vec::with_capacity(count.min(lines.len().saturating_sub(k)));
            while body.len() < count {
                if k >= lines.len() {
                    return Err(Error::input(
                        path,
                        Some(ln),
                        format!(
                            "section {section} is truncated: expected {count} lines, found {}",
                            body.len()
                        ),
                    ));
                }
                let (bl, b) = lines[k];
                k += 1;
                if b.is_empty() {
                    if body.is_empty() {
                        continue;
                    }
                    return Err(Error::input(
                        path,
                        Some(bl),
                        format!(
                            "section {section} is truncated: expected {count} lines, found {}",
                            body.len()
                        ),
                    ));
                }
                body.push((bl, b));
            }
            match section {
                "Masses" => {
                    for (bl, b) in body {
                        let t: Vec<&str> = b.split_whitespace().collect();
                        if t.len() != 2 {
                            return Err(Error::input(
                                path,
                                Some(bl),
                                "Masses line must be 'type mass'",
                            ));
                        }
                        let ty: usize = parse_int(path, bl, t[0], "atom type")?;
                        if ty < 1 || ty > ntypes {
                            return Err(Error::input(
                                path,
                                Some(bl),
                                format!("atom type {ty} out of range 1..{ntypes}"),
                            ));
                        }
                        let m = parse_f64(path, bl, t[1], "mass")?;
                        if m <= 0.0 {
                            return Err(Error::input(
                                path,
                                Some(bl),
                                format!("mass {m} must be positive"),
                            ));
                        }
                        masses[ty - 1] = Some(m);
                    }
                }
                "Atoms" => {
                    seen_atoms = true;
                    let mut ids = std::collections::HashSet::with_capacity(body.len());
                    for (bl, b) in body {
                        let t: Vec<&str> = b.split_whitespace().collect();
                        let charge = *atom_style.get_or_insert(matches!(t.len(), 6 | 9));
                        let ok = if charge {
                            matches!(t.len(), 6 | 9)
                        } else {
                            matches!(t.len(), 5 | 8)
                        };
                        if !ok {
                            let form = if charge {
                                "'id type q x y z [ix iy iz]' (atom_style charge)"
                            } else {
                                "'id type x y z [ix iy iz]' (atom_style atomic)"
                            };
                            return Err(Error::input(
                                path,
                                Some(bl),
                                format!("Atoms line must be {form}, found {} fields", t.len()),
                            ));
                        }
                        let c = usize::from(charge);
                        if charge {
                            charges.push(parse_f64(path, bl, t[2], "charge")?);
                        }
                        let id: u64 = parse_int(path, bl, t[0], "atom id")?;
                        if id == 0 || !ids.insert(id) {
                            return Err(Error::input(
                                path,
                                Some(bl),
                                format!("atom id {id} is zero or repeated"),
                            ));
                        }
                        let ty: usize = parse_int(path, bl, t[1], "atom type")?;
                        if ty < 1 || ty > ntypes {
                            return Err(Error::input(
                                path,
                                Some(bl),
                                format!(
                                "unknown atom type {ty}: the header declares {ntypes} atom types"
                            ),
                            ));
                        }
                        let x = [
                            parse_f64(path, bl, t[2 + c], "x")?,
                            parse_f64(path, bl, t[3 + c], "y")?,
                            parse_f64(path, bl, t[4 + c], "z")?,
                        ];
                        let mut img = [0i32; 3];
                        if t.len() == 8 + c {
                            for d in 0..3 {
                                img[d] = parse_int(path, bl, t[5 + c + d], "image flag")?;
                            }
                        }
                        atoms.push((id, (ty - 1) as u32, x, img));
                    }
                }
                _ => {
                    let mut vel = HashMap::with_capacity(body.len());
                    for (bl, b) in body {
                        let t: Vec<&str> = b.split_whitespace().collect();
                        if t.len() != 4 {
                            return Err(Error::input(
                                path,
                                Some(bl),
                                "Velocities line must be 'id vx vy vz'",
                            ));
                        }
                        let id: u64 = parse_int(path, bl, t[0], "atom id")?;
                        let v = [
                            parse_f64(path, bl, t[1], "vx")?,
                            parse_f64(path, bl, t[2], "vy")?,
                            parse_f64(path, bl, t[3], "vz")?,
                        ];
                        vel.insert(id, v);
                    }
                    velocities = Some(vel);
                }
            }
        }
        if !seen_atoms {
            return Err(Error::input(path, None, "missing section 'Atoms'"));
        }
        if let Some(vel) = &velocities {
            if let Some((id, ..)) = atoms.iter().find(|a| !vel.contains_key(&a.0)) {
                return Err(Error::input(
                    path,
                    None,
                    format!("Velocities section has no line for atom {id}"),
                ));
            }
        }
        Ok(DataFile {
            lo,
            hi,
            masses,
            atoms,
            velocities,
            charges: atom_style.filter(|&c| c).map(|_| charges),
        })
    }

    /// Place the atoms into a box with the given boundaries: periodic coordinates are wrapped,
    /// shrink-wrapped axes grow to hold every atom, and an atom outside a fixed axis is an error.
    /// `potential_masses` override the file's masses where given: EAM files carry masses, and
    /// LAMMPS `pair_coeff` of the eam styles sets them after `read_data`.
    pub fn into_system(
        self,
        path: &Path,
        boundary: [Boundary; 3],
        potential_masses: &[Option<f64>],
    ) -> Result<(SimBox, Atoms)> {
        let mut lo = self.lo;
        let mut hi = self.hi;
        for d in 0..3 {
            if boundary[d] == Boundary::Shrink {
                for a in &self.atoms {
                    lo[d] = lo[d].min(a.2[d]);
                    hi[d] = hi[d].max(a.2[d]);
                }
            }
        }
        let simbox = SimBox::new(lo, hi, boundary);
        let mut masses = Vec::with_capacity(self.masses.len());
        for (t, m) in self.masses.iter().enumerate() {
            match potential_masses.get(t).copied().flatten().or(*m) {
                Some(m) => masses.push(m),
                None => {
                    return Err(Error::input(
                        path,
                        None,
                        format!("no mass for atom type {} (add a Masses section)", t + 1),
                    ))
                }
            }
        }
        let mut atoms = Atoms::with_types(masses);
        let q = match &self.charges {
            Some(_) => Some(atoms.register_field(charge_field()).map_err(Error::run)?),
            None => None,
        };
        for (k, (id, ty, mut x, mut img)) in self.atoms.into_iter().enumerate() {
            simbox.wrap(&mut x, &mut img);
            for d in 0..3 {
                if boundary[d] == Boundary::Fixed && (x[d] < lo[d] || x[d] > hi[d]) {
                    return Err(Error::input(
                        path,
                        None,
                        format!(
                            "atom {id} at {} = {} lies outside the fixed box [{}, {}]",
                            ["x", "y", "z"][d],
                            x[d],
                            lo[d],
                            hi[d]
                        ),
                    ));
                }
            }
            let v = self.velocities.as_ref().map(|m| m[&id]).unwrap_or([0.0; 3]);
            atoms.push_owned(id, ty, x, v);
            let i = atoms.nlocal - 1;
            atoms.image[i] = img;
            if let (Some(q), Some(charges)) = (q, &self.charges) {
                atoms.fields.get_mut(q)[i] = charges[k];
            }
        }
        Ok((simbox, atoms))
    }
}

/// A data file's title, counts and box lines (17 significant digits).
fn header(title: &str, natoms: usize, ntypes: usize, simbox: &SimBox) -> String {
    let mut s = format!("{title}\n\n{natoms} atoms\n{ntypes} atom types\n\n");
    for (d, ax) in ["x", "y", "z"].iter().enumerate() {
        let _ = writeln!(
            s,
            "{:.16e} {:.16e} {ax}lo {ax}hi",
            simbox.lo[d], simbox.hi[d]
        );
    }
    s
}

/// Write bare positions as a LAMMPS data file in `atom_style atomic` (`id type x y z`, types
/// 0-based here and 1-based in the file), in the given order, without masses or velocities:
/// a geometry for another code (a transport or DFT input), not an MD start. Coordinates carry
/// 17 significant digits, so reading the file back gives the same numbers.
pub fn write_positions(
    path: &Path,
    title: &str,
    simbox: &SimBox,
    ids: &[u64],
    types: &[u32],
    positions: &[[f64; 3]],
) -> Result<()> {
    let ntypes = types.iter().max().map_or(1, |&t| t as usize + 1);
    let mut s = header(title, positions.len(), ntypes, simbox);
    let _ = writeln!(s, "\nAtoms # atomic\n");
    for ((id, t), x) in ids.iter().zip(types).zip(positions) {
        let _ = writeln!(
            s,
            "{id} {} {:.16e} {:.16e} {:.16e}",
            t + 1,
            x[0],
            x[1],
            x[2]
        );
    }
    std::fs::write(path, s).map_err(|e| Error::io(path, e))
}

/// Write owned atoms (sorted by id) as a LAMMPS data file with image flags and velocities; in
/// `atom_style charge` when the atoms carry the charge field.
pub fn write_data(path: &Path, title: &str, simbox: &SimBox, atoms: &Atoms) -> Result<()> {
    let mut s = header(title, atoms.nlocal, atoms.ntypes(), simbox);
    let _ = writeln!(s, "\nMasses\n");
    for (t, m) in atoms.type_mass.iter().enumerate() {
        let _ = writeln!(s, "{} {m}", t + 1);
    }
    let q = atoms.fields.find(CHARGE).map(|f| atoms.fields.get(f));
    let _ = writeln!(
        s,
        "\nAtoms # {}\n",
        if q.is_some() { "charge" } else { "atomic" }
    );
    let order = atoms.order_by_id();
    for &i in &order {
        let x = atoms.x[i];
        let im = atoms.image[i];
        let _ = write!(s, "{} {} ", atoms.id[i], atoms.typ[i] + 1);
        if let Some(q) = q {
            let _ = write!(s, "{:.16e} ", q[i]);
        }
        let _ = writeln!(
            s,
            "{:.16e} {:.16e} {:.16e} {} {} {}",
            x[0], x[1], x[2], im[0], im[1], im[2]
        );
    }
    let _ = writeln!(s, "\nVelocities\n");
    for &i in &order {
        let v = atoms.v[i];
        let _ = writeln!(
            s,
            "{} {:.16e} {:.16e} {:.16e}",
            atoms.id[i], v[0], v[1], v[2]
        );
    }
    std::fs::write(path, s).map_err(|e| Error::io(path, e))
}
