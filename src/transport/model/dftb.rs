//! The non-orthogonal spd model of density-functional tight binding (DFTB): two-centre
//! Hamiltonian and overlap integrals of confined pseudo-atomic orbitals, tabulated against the
//! distance in the Slater–Koster file format of DFTB+ (`El-El.skf`; D. Porezag et al., Phys.
//! Rev. B 51, 12947 (1995); M. Elstner et al., Phys. Rev. B 58, 7260 (1998); the format is
//! the "v0.9" one of the slako-doc specification).
//!
//! **File** (homonuclear, atomic units: Hartree, Bohr):
//! - line 1: `gridDist nGridPoints`;
//! - line 2: `Ed Ep Es SPE Ud Up Us fd fp fs`: on-site energies, Hubbard U's and the neutral
//!   atom's occupations (the valence electrons are fd + fp + fs);
//! - line 3: mass and repulsive polynomial (not used: transport needs the electrons only);
//! - then `nGridPoints` lines of 20 numbers, line i at the distance r_i = i·gridDist:
//!   `Hdd0 Hdd1 Hdd2 Hpd0 Hpd1 Hpp0 Hpp1 Hsd0 Hsp0 Hss0` and the same ten for S
//!   (0, 1, 2 = σ, π, δ). Fortran repeat counts (`20*0.0`) and commas are allowed; numbers
//!   after the 20th on a line are ignored, as DFTB+'s list-directed read ignores them;
//! - an optional `Spline` block (the repulsive) ends the table and is ignored.
//!
//! **Blocks.** For atoms i, j with bond R = r_j − r_i the 9 × 9 blocks ⟨i|H|j⟩ and ⟨i|j⟩ are the
//! Slater–Koster combinations ([`sk_block`], orbital order of [`super::slater_koster`]) of the
//! ten integrals at |R|, interpolated by the cubic Lagrange polynomial through the four
//! nearest grid points. The sign of each integral is the file's, as DFTB+ uses it: a file whose
//! radial functions have other sign conventions (e.g. a 5s tail of negative sign) differs from
//! the positive-tail convention by a change of sign of some basis functions on every atom, which
//! leaves spectra and transmissions unchanged in an element's crystal. On-site blocks are
//! diag(Es, Ep ×3, Ed ×5), overlap on-site the identity.
//!
//! **Cutoff.** The tables run far beyond where the integrals matter (to 9.7 Å for the Ag and Au
//! sets); a transport calculation truncates them, as DFTB+'s `TruncateSKRange` does, here
//! smoothly: every integral is multiplied by c(R) = t((R − r_c + w)/w) for r_c − w < R < r_c
//! (1 below, 0 beyond), with the quintic tail t(x) = 1 − 10x³ + 15x⁴ − 6x⁵ of the orthogonal
//! model. The default r_c = 5.6 Å, w = 0.3 Å keeps the first three fcc shells of Ag and Au
//! (2.9, 4.1, 5.0 Å) whole; the fourth (5.8 Å) carries integrals below 1e-4 eV.
//!
//! No charge self-consistency: the Hamiltonian is the non-SCC DFTB one (DFTB1), the levels
//! those of neutral atoms.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::transport::dense::{c64, CMat};
use crate::transport::model::slater_koster::{
    sk_block, tail, tail_derivative, BondIntegrals, ORBITALS,
};
use crate::transport::model::tight_binding::TightBinding;
use crate::units::{BOHR_ANGSTROM, HARTREE_EV};

/// Default truncation radius of the tables (Å).
pub const DEFAULT_CUTOFF: f64 = 5.6;
/// Default width of the smooth truncation (Å).
pub const DEFAULT_TAPER: f64 = 0.3;

/// The tables of one homonuclear Slater–Koster file, in eV and Å.
#[derive(Clone, Debug)]
pub struct SkfTables {
    /// The element, from the file name (`Ag-Ag.skf`, `Ag-Ag-GS-SK.skf` → "Ag").
    pub element: String,
    pub path: PathBuf,
    /// Grid spacing (Å); row i holds the integrals at (i + 1)·grid.
    pub grid: f64,
    /// Hamiltonian integrals per row, in the file's order dd0 dd1 dd2 pd0 pd1 pp0 pp1 sd0 sp0
    /// ss0 (eV).
    pub h: Vec<[f64; 10]>,
    /// Overlap integrals per row, same order.
    pub s: Vec<[f64; 10]>,
    /// On-site energies [s, p, d] (eV).
    pub onsite: [f64; 3],
    /// Occupations of the neutral atom [s, p, d].
    pub occupations: [f64; 3],
}

/// Numbers of one line: commas as separators, `n*x` for n copies of x.
fn numbers(path: &Path, line_no: usize, line: &str) -> Result<Vec<f64>> {
    let mut out = Vec::new();
    for tok in line.split(|c: char| c == ',' || c.is_whitespace()) {
        if tok.is_empty() {
            continue;
        }
        let bad = || {
            Error::input(
                path,
                Some(line_no),
                format!("'{tok}' is not a number (or a Fortran repeat such as 20*0.0)"),
            )
        };
        match tok.split_once('*') {
            Some((n, x)) => {
                let n: usize = n.parse().map_err(|_| bad())?;
                let x: f64 = x.parse().map_err(|_| bad())?;
                out.extend(std::iter::repeat_n(x, n));
            }
            None => out.push(tok.parse().map_err(|_| bad())?),
        }
    }
    Ok(out)
}

impl SkfTables {
    /// Read a homonuclear `.skf` file.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::input(
                    path,
                    None,
                    "no such DFTB table; the tables are not part of nanocontact \
                     (`bash inputs/tb/fetch_dftb_tables.sh` fetches the Ag and Au sets that the \
                     decks of inputs/ name into inputs/tb/dftb/)",
                )
            } else {
                Error::io(path, e)
            }
        })?;
        Self::parse(path, &text)
    }

    /// Parse the text of a homonuclear `.skf` file (`path` names it in errors and gives the
    /// element).
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let element = element_of(path)?;
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        let mut next = |what: &str| {
            lines
                .next()
                .ok_or_else(|| Error::input(path, None, format!("the file ends before {what}")))
        };
        let (n1, l1) = next("the grid line")?;
        if l1.trim_start().starts_with('@') {
            return Err(Error::input(
                path,
                Some(1),
                "the extended (f-orbital) format is not supported; expected the simple format",
            ));
        }
        let head = numbers(path, n1, l1)?;
        let (grid_bohr, n_grid) =
            match head.as_slice() {
                [g, n, ..] if *g > 0.0 && *n >= 4.0 && n.fract() == 0.0 => (*g, *n as usize),
                _ => return Err(Error::input(
                    path,
                    Some(n1),
                    "expected 'gridDist nGridPoints' (a positive spacing and at least 4 points)",
                )),
            };
        let (n2, l2) = next("the on-site line")?;
        let atom = numbers(path, n2, l2)?;
        if atom.len() < 10 {
            return Err(Error::input(
                path,
                Some(n2),
                format!(
                    "expected 'Ed Ep Es SPE Ud Up Us fd fp fs' (10 numbers; a homonuclear \
                     file), found {}",
                    atom.len()
                ),
            ));
        }
        next("the mass and repulsive line")?;
        let mut h = Vec::with_capacity(n_grid);
        let mut s = Vec::with_capacity(n_grid);
        for _ in 0..n_grid {
            let (n, l) = next(&format!("the {n_grid} rows of the integral table"))?;
            let v = numbers(path, n, l)?;
            // A Fortran list-directed read of 20 numbers (DFTB+'s) ignores the rest of the line.
            if v.len() < 20 {
                return Err(Error::input(
                    path,
                    Some(n),
                    format!("expected 20 integrals (10 H, 10 S), found {}", v.len()),
                ));
            }
            h.push(std::array::from_fn(|i| v[i] * HARTREE_EV));
            s.push(std::array::from_fn(|i| v[10 + i]));
        }
        Ok(SkfTables {
            element,
            path: path.to_path_buf(),
            grid: grid_bohr * BOHR_ANGSTROM,
            h,
            s,
            onsite: [
                atom[2] * HARTREE_EV,
                atom[1] * HARTREE_EV,
                atom[0] * HARTREE_EV,
            ],
            occupations: [atom[9], atom[8], atom[7]],
        })
    }

    /// Valence electrons of the neutral atom.
    pub fn valence_electrons(&self) -> f64 {
        self.occupations.iter().sum()
    }

    /// The largest tabulated distance (Å).
    pub fn range(&self) -> f64 {
        self.grid * self.h.len() as f64
    }

    /// The ten integrals of `table` at distance r (Å), cubic Lagrange interpolation; zero
    /// beyond the table.
    fn at(&self, table: &[[f64; 10]], r: f64) -> [f64; 10] {
        let Some((i0, t)) = self.stencil(table.len(), r) else {
            return [0.0; 10];
        };
        // Lagrange weights of the nodes 0, 1, 2, 3 at t.
        let w = [
            -(t - 1.0) * (t - 2.0) * (t - 3.0) / 6.0,
            t * (t - 2.0) * (t - 3.0) / 2.0,
            -t * (t - 1.0) * (t - 3.0) / 2.0,
            t * (t - 1.0) * (t - 2.0) / 6.0,
        ];
        std::array::from_fn(|c| (0..4).map(|k| w[k] * table[i0 + k][c]).sum())
    }
}

impl SkfTables {
    /// The first of the four table rows around r and r's place t among them (grid units);
    /// `None` outside the table of `n` rows (row i sits at x = i + 1 grid units).
    fn stencil(&self, n: usize, r: f64) -> Option<(usize, f64)> {
        let x = r / self.grid - 1.0;
        if x.is_nan() || x < 0.0 || x > (n - 1) as f64 {
            return None;
        }
        let i0 = (x.floor() as usize).saturating_sub(1).min(n - 4);
        Some((i0, x - i0 as f64))
    }

    /// d/dR of [`SkfTables::at`] (per Å): the derivative of the same four-point Lagrange
    /// interpolant (continuous inside each grid interval; one-sided at the grid nodes).
    fn at_derivative(&self, table: &[[f64; 10]], r: f64) -> [f64; 10] {
        let Some((i0, t)) = self.stencil(table.len(), r) else {
            return [0.0; 10];
        };
        // d/dt of the Lagrange weights of [`SkfTables::at`].
        let w = [
            -((t - 2.0) * (t - 3.0) + (t - 1.0) * (t - 3.0) + (t - 1.0) * (t - 2.0)) / 6.0,
            ((t - 2.0) * (t - 3.0) + t * (t - 3.0) + t * (t - 2.0)) / 2.0,
            -((t - 1.0) * (t - 3.0) + t * (t - 3.0) + t * (t - 1.0)) / 2.0,
            ((t - 1.0) * (t - 2.0) + t * (t - 2.0) + t * (t - 1.0)) / 6.0,
        ];
        std::array::from_fn(|c| (0..4).map(|k| w[k] * table[i0 + k][c]).sum::<f64>() / self.grid)
    }
}

/// The element of `El-El[...].skf`: both names must agree (a homonuclear file).
fn element_of(path: &Path) -> Result<String> {
    let stem = path
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let mut parts = stem.split(['-', '.']);
    match (parts.next(), parts.next()) {
        (Some(a), Some(b)) if a == b && !a.is_empty() => Ok(a.to_string()),
        _ => Err(Error::input(
            path,
            None,
            "the file name must start with 'El-El' (a homonuclear Slater–Koster file, e.g. \
             Ag-Ag.skf)",
        )),
    }
}

/// The ten integrals in the file's order as [`BondIntegrals`].
fn bond_integrals(v: [f64; 10], f: f64) -> BondIntegrals {
    BondIntegrals {
        dds: v[0] * f,
        ddp: v[1] * f,
        ddd: v[2] * f,
        pds: v[3] * f,
        pdp: v[4] * f,
        pps: v[5] * f,
        ppp: v[6] * f,
        sds: v[7] * f,
        sps: v[8] * f,
        sss: v[9] * f,
    }
}

/// The DFTB model of one element: tables, truncation radius and taper width (Å).
#[derive(Clone, Debug)]
pub struct Dftb {
    pub tables: SkfTables,
    pub cutoff: f64,
    pub taper: f64,
}

impl Dftb {
    /// The model with the default truncation.
    pub fn new(tables: SkfTables) -> Result<Self> {
        Self::with_cutoff(tables, DEFAULT_CUTOFF, DEFAULT_TAPER)
    }

    /// The model truncated at `cutoff` over the last `taper` Å.
    pub fn with_cutoff(tables: SkfTables, cutoff: f64, taper: f64) -> Result<Self> {
        if !(taper > 0.0 && cutoff > taper && cutoff.is_finite()) {
            return Err(Error::run(format!(
                "DFTB truncation: need 0 < taper ({taper}) < cutoff ({cutoff})"
            )));
        }
        Ok(Dftb {
            tables,
            cutoff,
            taper,
        })
    }

    /// The smooth truncation factor c(R).
    fn truncation(&self, r: f64) -> f64 {
        tail((r - self.cutoff + self.taper) / self.taper)
    }

    fn block(&self, table: &[[f64; 10]], bond: [f64; 3]) -> Option<CMat> {
        let r = (bond[0] * bond[0] + bond[1] * bond[1] + bond[2] * bond[2]).sqrt();
        if r >= self.cutoff || r == 0.0 {
            return None;
        }
        let v = bond_integrals(self.tables.at(table, r), self.truncation(r));
        let e = sk_block([bond[0] / r, bond[1] / r, bond[2] / r], &v);
        Some(CMat::from_fn(ORBITALS, ORBITALS, |i, j| c64(e[i][j], 0.0)))
    }
}

impl Dftb {
    /// The bond integrals of H (`overlap` false) or S at distance `r` with their derivative
    /// d/dR (analytic: the interpolant's derivative times the truncation c(R), plus the
    /// interpolant times c′(R)); `None` at or beyond the cutoff.
    pub fn integrals_with_derivative(
        &self,
        overlap: bool,
        r: f64,
    ) -> Option<(BondIntegrals, BondIntegrals)> {
        if r >= self.cutoff || r <= 0.0 {
            return None;
        }
        let table = if overlap {
            &self.tables.s
        } else {
            &self.tables.h
        };
        let (v, dv) = (
            self.tables.at(table, r),
            self.tables.at_derivative(table, r),
        );
        let x = (r - self.cutoff + self.taper) / self.taper;
        let (c, dc) = (tail(x), tail_derivative(x) / self.taper);
        let d: [f64; 10] = std::array::from_fn(|i| dv[i] * c + v[i] * dc);
        Some((bond_integrals(v, c), bond_integrals(d, 1.0)))
    }
}

impl TightBinding for Dftb {
    fn orbitals(&self, _species: usize) -> usize {
        ORBITALS
    }

    fn onsite(&self, _species: usize) -> CMat {
        let [es, ep, ed] = self.tables.onsite;
        let level = [es, ep, ep, ep, ed, ed, ed, ed, ed];
        CMat::from_fn(ORBITALS, ORBITALS, |i, j| {
            c64(if i == j { level[i] } else { 0.0 }, 0.0)
        })
    }

    fn hopping(&self, _si: usize, _sj: usize, bond: [f64; 3]) -> Option<CMat> {
        self.block(&self.tables.h, bond)
    }

    fn cutoff(&self) -> f64 {
        self.cutoff
    }

    fn is_orthogonal(&self) -> bool {
        false
    }

    fn overlap(&self, _si: usize, _sj: usize, bond: [f64; 3]) -> Option<CMat> {
        self.block(&self.tables.s, bond)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small file: ss integrals only, H = −0.1·r_i, S = 0.01·r_i (linear, so interpolation is
    /// exact), 40 rows of 0.1 Bohr.
    fn linear_file() -> String {
        let mut t = String::from("0.1, 40\n-0.2 -0.1 -0.3 0.0 0.4 0.3 0.3 10 0 1\n107.9, 19*0.0\n");
        for i in 1..=40 {
            let r = 0.1 * i as f64;
            t += &format!("9*0.0 {} 9*0.0 {}\n", -0.1 * r, 0.01 * r);
        }
        t + "Spline\n1 2.0\n"
    }

    #[test]
    fn parses_repeats_units_and_interpolates() {
        let t = SkfTables::parse(Path::new("dir/Ag-Ag-GS.skf"), &linear_file()).unwrap();
        assert_eq!(t.element, "Ag");
        assert_eq!(t.h.len(), 40);
        assert_eq!(t.valence_electrons(), 11.0);
        assert!((t.onsite[0] + 0.3 * HARTREE_EV).abs() < 1e-12);
        assert!((t.onsite[2] + 0.2 * HARTREE_EV).abs() < 1e-12);
        // ss integral at 1.234 Bohr, linear in r: exact under cubic interpolation.
        let r = 1.234 * BOHR_ANGSTROM;
        let v = t.at(&t.h, r);
        assert!((v[9] + 0.1 * 1.234 * HARTREE_EV).abs() < 1e-10, "{v:?}");
        assert_eq!(v[0], 0.0);
        assert!((t.at(&t.s, r)[9] - 0.01234).abs() < 1e-12);
        assert_eq!(t.at(&t.h, 5.0 * BOHR_ANGSTROM)[9], 0.0);
    }

    #[test]
    fn bad_files_name_the_line() {
        let bad = linear_file().replace("9*0.0 -0.05", "9*0.0 x0.05");
        let e = SkfTables::parse(Path::new("Ag-Ag.skf"), &bad).unwrap_err();
        assert!(e.to_string().contains(":8"), "{e}");
        let short: String = linear_file()
            .lines()
            .take(10)
            .collect::<Vec<_>>()
            .join("\n");
        let e = SkfTables::parse(Path::new("Ag-Ag.skf"), &short).unwrap_err();
        assert!(e.to_string().contains("ends before"), "{e}");
        let e = SkfTables::parse(Path::new("Ag-Au.skf"), &linear_file()).unwrap_err();
        assert!(e.to_string().contains("homonuclear"), "{e}");
    }

    #[test]
    fn truncation_is_smooth_and_blocks_vanish_beyond_the_cutoff() {
        let t = SkfTables::parse(Path::new("Ag-Ag.skf"), &linear_file()).unwrap();
        let m = Dftb::with_cutoff(t, 1.5, 0.3).unwrap();
        assert_eq!(m.truncation(1.1), 1.0);
        assert!((m.truncation(1.35) - 0.5).abs() < 1e-12);
        assert!(m.hopping(0, 0, [0.0, 0.0, 1.6]).is_none());
        let s = m.overlap(0, 0, [0.0, 0.0, 1.0]).unwrap();
        assert!((s[(0, 0)].re - 0.01 / BOHR_ANGSTROM).abs() < 1e-12);
        assert!(!m.is_orthogonal());
    }
}
