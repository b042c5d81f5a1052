//! Readers of the three DYNAMO/LAMMPS EAM table formats:
//! - funcfl (`pair_style eam`): one element; F(ρ) on an ρ grid, Z(r) and ρ(r) on an r grid,
//!   with the pair energy φ(r) = 27.2·0.529·Zi(r)·Zj(r)/r (Hartree·Bohr → eV·Å).
//! - setfl (`pair_style eam/alloy`): N elements sharing one grid; per element F(ρ) and ρ(r),
//!   then r·φ(r) for each pair i ≥ j.
//! - Finnis–Sinclair setfl (`pair_style eam/fs`): as setfl, but each element block holds N
//!   density functions ρ_{ij}(r), one for each element j.
//!
//! File layouts follow the LAMMPS manual page of `pair_style eam`.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A funcfl file (one element).
#[derive(Clone, Debug)]
pub struct Funcfl {
    /// Path it was read from (distinct files are distinct potentials).
    pub path: PathBuf,
    /// Mass, amu.
    pub mass: f64,
    /// Number of ρ grid points and spacing.
    pub nrho: usize,
    pub drho: f64,
    /// Number of r grid points and spacing (Å).
    pub nr: usize,
    pub dr: f64,
    /// Cutoff, Å.
    pub cut: f64,
    /// F(ρ_k), eV, k = 0..nrho.
    pub frho: Vec<f64>,
    /// Z(r_k) (effective charge, √(Hartree·Bohr)).
    pub zr: Vec<f64>,
    /// ρ(r_k).
    pub rhor: Vec<f64>,
}

/// A setfl or Finnis–Sinclair file (N elements on one grid).
#[derive(Clone, Debug)]
pub struct Setfl {
    pub path: PathBuf,
    /// Element names in file order.
    pub elements: Vec<String>,
    /// Mass of each element, amu.
    pub mass: Vec<f64>,
    pub nrho: usize,
    pub drho: f64,
    pub nr: usize,
    pub dr: f64,
    pub cut: f64,
    /// F_i(ρ) per element.
    pub frho: Vec<Vec<f64>>,
    /// Density functions: setfl has one per element (`rhor[i][0]`); FS has N per element,
    /// `rhor[i][j]` being the j-th function in element i's block.
    pub rhor: Vec<Vec<Vec<f64>>>,
    /// r·φ_ij(r) for i ≥ j, stored at `z2r[i][j]`.
    pub z2r: Vec<Vec<Vec<f64>>>,
}

/// A cursor over a text file that reads whole lines or whitespace-separated numbers across lines.
struct Cursor<'a> {
    path: &'a Path,
    lines: Vec<&'a str>,
    line: usize,
    pending: Vec<&'a str>,
}

impl<'a> Cursor<'a> {
    fn new(path: &'a Path, text: &'a str) -> Self {
        Cursor {
            path,
            lines: text.lines().collect(),
            line: 0,
            pending: Vec::new(),
        }
    }

    fn err(&self, msg: impl Into<String>) -> Error {
        Error::input(self.path, Some(self.line.max(1)), msg)
    }

    /// Next whole line (drops any unread numbers of the previous line).
    fn next_line(&mut self, what: &str) -> Result<&'a str> {
        self.pending.clear();
        if self.line >= self.lines.len() {
            return Err(Error::input(
                self.path,
                Some(self.lines.len()),
                format!("file ended where {what} was expected"),
            ));
        }
        let l = self.lines[self.line];
        self.line += 1;
        Ok(l)
    }

    /// Next `n` numbers, possibly spread over several lines.
    fn numbers(&mut self, n: usize, what: &str) -> Result<Vec<f64>> {
        // `n` comes from the file: the vector grows with the numbers actually read.
        let mut out = Vec::with_capacity(n.min(1 << 16));
        while out.len() < n {
            if self.pending.is_empty() {
                if self.line >= self.lines.len() {
                    return Err(Error::input(
                        self.path,
                        Some(self.lines.len()),
                        format!(
                            "file ended after {} of the {n} values of {what}: the file is truncated",
                            out.len()
                        ),
                    ));
                }
                self.pending = self.lines[self.line].split_whitespace().rev().collect();
                self.line += 1;
                continue;
            }
            let tok = self.pending.pop().unwrap_or_default();
            match tok.parse::<f64>() {
                Ok(v) if v.is_finite() => out.push(v),
                _ => return Err(self.err(format!("expected a number in {what}, found '{tok}'"))),
            }
        }
        Ok(out)
    }
}

fn field<T: std::str::FromStr>(c: &Cursor, toks: &[&str], k: usize, what: &str) -> Result<T> {
    toks.get(k)
        .and_then(|t| t.parse::<T>().ok())
        .ok_or_else(|| c.err(format!("expected {what} as field {} of this line", k + 1)))
}

/// Grid line `Nrho drho Nr dr cutoff`.
fn grid_line(c: &mut Cursor) -> Result<(usize, f64, usize, f64, f64)> {
    let l = c.next_line("the grid line 'Nrho drho Nr dr cutoff'")?;
    let t: Vec<&str> = l.split_whitespace().collect();
    let nrho: usize = field(c, &t, 0, "Nrho (integer)")?;
    let drho: f64 = field(c, &t, 1, "drho")?;
    let nr: usize = field(c, &t, 2, "Nr (integer)")?;
    let dr: f64 = field(c, &t, 3, "dr")?;
    let cut: f64 = field(c, &t, 4, "cutoff")?;
    let finite = [drho, dr, cut].iter().all(|x| x.is_finite());
    if nrho < 5 || nr < 5 || drho <= 0.0 || dr <= 0.0 || cut <= 0.0 || !finite {
        return Err(c.err(format!(
            "grid 'Nrho drho Nr dr cutoff' = {nrho} {drho} {nr} {dr} {cut}: need at least 5 points and positive, finite spacings"
        )));
    }
    Ok((nrho, drho, nr, dr, cut))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

impl Funcfl {
    /// Read a funcfl file: comment line; `Z mass a lattice`; `Nrho drho Nr dr cut`; F, Z, ρ.
    pub fn read(path: &Path) -> Result<Funcfl> {
        let text = read_text(path)?;
        let mut c = Cursor::new(path, &text);
        c.next_line("the comment line")?;
        let l = c.next_line("the line 'atomic-number mass lattice-constant lattice-type'")?;
        let t: Vec<&str> = l.split_whitespace().collect();
        let mass: f64 = field(&c, &t, 1, "the mass")?;
        let (nrho, drho, nr, dr, cut) = grid_line(&mut c)?;
        let frho = c.numbers(nrho, "F(rho)")?;
        let zr = c.numbers(nr, "Z(r)")?;
        let rhor = c.numbers(nr, "rho(r)")?;
        Ok(Funcfl {
            path: path.to_path_buf(),
            mass,
            nrho,
            drho,
            nr,
            dr,
            cut,
            frho,
            zr,
            rhor,
        })
    }
}

impl Setfl {
    /// Read a setfl (`fs = false`) or Finnis–Sinclair (`fs = true`) file: three comment lines;
    /// `N el1 el2 ..`; the grid line; per element `Z mass a lattice`, F(ρ), then one (setfl) or
    /// N (FS) density functions; then r·φ for i ≥ j.
    pub fn read(path: &Path, fs: bool) -> Result<Setfl> {
        let text = read_text(path)?;
        let mut c = Cursor::new(path, &text);
        for _ in 0..3 {
            c.next_line("a comment line (the file has three)")?;
        }
        let l = c.next_line("the line 'N element1 element2 ..'")?;
        let t: Vec<&str> = l.split_whitespace().collect();
        let n: usize = field(&c, &t, 0, "the number of elements")?;
        if n == 0 || t.len() != n + 1 {
            return Err(c.err(format!(
                "element line declares {n} elements but names {}",
                t.len().saturating_sub(1)
            )));
        }
        let elements: Vec<String> = t[1..].iter().map(|s| s.to_string()).collect();
        let (nrho, drho, nr, dr, cut) = grid_line(&mut c)?;
        let mut mass = Vec::with_capacity(n);
        let mut frho = Vec::with_capacity(n);
        let mut rhor = Vec::with_capacity(n);
        for el in &elements {
            let l = c.next_line(&format!("the header line of element {el}"))?;
            let t: Vec<&str> = l.split_whitespace().collect();
            mass.push(field::<f64>(&c, &t, 1, &format!("the mass of {el}"))?);
            frho.push(c.numbers(nrho, &format!("F(rho) of {el}"))?);
            let nd = if fs { n } else { 1 };
            let mut dens = Vec::with_capacity(nd);
            for other in elements.iter().take(nd) {
                let what = if fs {
                    format!("rho(r) of {el} for {other}")
                } else {
                    format!("rho(r) of {el}")
                };
                dens.push(c.numbers(nr, &what)?);
            }
            rhor.push(dens);
        }
        let mut z2r = vec![Vec::new(); n];
        for i in 0..n {
            for j in 0..=i {
                let what = format!("r*phi(r) of {}-{}", elements[i], elements[j]);
                z2r[i].push(c.numbers(nr, &what)?);
            }
        }
        Ok(Setfl {
            path: path.to_path_buf(),
            elements,
            mass,
            nrho,
            drho,
            nr,
            dr,
            cut,
            frho,
            rhor,
            z2r,
        })
    }
}
