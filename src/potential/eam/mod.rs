//! Embedded-atom method (Daw & Baskes, Phys. Rev. B 29, 6443 (1984)):
//!
//! E = Σ_i F_i(ρ_i) + ½ Σ_{i≠j} φ_ij(r_ij),  ρ_i = Σ_{j≠i} ρ_j→i(r_ij),
//!
//! F_i = −Σ_j [F'_i(ρ_i) ρ'_j→i(r_ij) + F'_j(ρ_j) ρ'_i→j(r_ij) + φ'_ij(r_ij)] r̂_ij.
//!
//! Tables are read from funcfl, setfl or Finnis–Sinclair files ([`file`]) and interpolated
//! exactly as LAMMPS `pair_style eam`, `eam/alloy` and `eam/fs` do ([`spline`]), so results agree
//! with LAMMPS on the same file to round-off. Above the tabulated ρ range F is continued linearly,
//! as in LAMMPS. The computation has two passes with communication in between: densities
//! (ghost contributions summed back to owners), then F'(ρ) sent to ghosts and the force pass.

pub mod file;
pub mod spline;

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::neighbor::NeighborList;
use crate::parallel::Comm;
use crate::potential::{display_name, Potential, Tally};
use crate::system::Atoms;
use file::{Funcfl, Setfl};
use spline::{interpolate, one_based, resample, Coeffs};

/// Which EAM file format and LAMMPS pair style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EamStyle {
    /// `pair_style eam`, funcfl files.
    Funcfl,
    /// `pair_style eam/alloy`, setfl file.
    Alloy,
    /// `pair_style eam/fs`, Finnis–Sinclair setfl file.
    Fs,
}

impl EamStyle {
    /// LAMMPS pair style name.
    pub fn name(self) -> &'static str {
        match self {
            EamStyle::Funcfl => "eam",
            EamStyle::Alloy => "eam/alloy",
            EamStyle::Fs => "eam/fs",
        }
    }
}

/// EAM potential with its tables and per-atom work arrays.
pub struct Eam {
    style: EamStyle,
    files: Vec<PathBuf>,
    nrho: usize,
    nr: usize,
    rdr: f64,
    rdrho: f64,
    rhomax: f64,
    cut: f64,
    cutsq: f64,
    frho: Vec<Vec<Coeffs>>,
    rhor: Vec<Vec<Coeffs>>,
    z2r: Vec<Vec<Coeffs>>,
    ntypes: usize,
    type2frho: Vec<usize>,
    /// `type2rhor[a * ntypes + b]`: table of the density that an atom of type a contributes at an
    /// atom of type b (LAMMPS `type2rhor[a][b]`).
    type2rhor: Vec<usize>,
    type2z2r: Vec<usize>,
    masses: Vec<Option<f64>>,
    rho: Vec<f64>,
    fp: Vec<f64>,
    /// Pairs of the neighbour list that are inside the cutoff this step, found in the density
    /// pass and reused by the force pass: neighbour index and distance.
    inner: InnerPairs,
}

/// The listed pairs inside the cutoff, per owned atom, with their distances: the density pass
/// fills it without a branch on r < r_c (a store and a conditional increment), so neither pass
/// pays a mispredicted branch for the ~40 % of listed pairs that lie in the skin shell, and the
/// force pass needs no square root.
#[derive(Default)]
struct InnerPairs {
    /// Pairs of owned atom i are `j[start[i]..start[i + 1]]`.
    start: Vec<usize>,
    j: Vec<u32>,
    /// r_ij, Å (r² while the pass that finds the pairs is running).
    r: Vec<f64>,
}

/// Grid of the tables: (Nrho, drho, Nr, dr, rho_max, cutoff).
type Grid = (usize, f64, usize, f64, f64, f64);

/// Raw 1-based tables before splining: F(ρ) per element, ρ(r) functions, r·φ(r) per pair.
struct RawTables {
    frho: Vec<Vec<f64>>,
    rhor: Vec<Vec<f64>>,
    z2r: Vec<Vec<f64>>,
}

/// Index of the lower-triangular pair table (i ≥ j) of elements i and j.
fn tri(i: usize, j: usize) -> usize {
    let (r, c) = if i >= j { (i, j) } else { (j, i) };
    r * (r + 1) / 2 + c
}

impl Eam {
    /// Build an EAM potential for `ntypes` atom types.
    ///
    /// - `Funcfl`: `files` has one file (all types, like `pair_coeff * * file`) or one per type
    ///   (like `pair_coeff i i file_i`); `elements` is ignored.
    /// - `Alloy`/`Fs`: `files` has one file, and `elements[t]` names the file element of type t + 1
    ///   (like `pair_coeff * * file E1 E2 ..`).
    pub fn new(
        style: EamStyle,
        files: &[PathBuf],
        elements: &[String],
        ntypes: usize,
    ) -> Result<Eam> {
        if ntypes == 0 {
            return Err(Error::run("EAM needs at least one atom type"));
        }
        match style {
            EamStyle::Funcfl => Self::from_funcfl(files, ntypes),
            EamStyle::Alloy | EamStyle::Fs => {
                if files.len() != 1 {
                    return Err(Error::run(format!(
                        "pair style {} takes exactly one potential file, got {}",
                        style.name(),
                        files.len()
                    )));
                }
                let f = Setfl::read(&files[0], style == EamStyle::Fs)?;
                Self::from_setfl(style, f, elements, ntypes)
            }
        }
    }

    fn from_funcfl(files: &[PathBuf], ntypes: usize) -> Result<Eam> {
        if files.len() != 1 && files.len() != ntypes {
            return Err(Error::run(format!(
                "pair style eam needs one funcfl file for all types or one per type ({ntypes}), got {}",
                files.len()
            )));
        }
        // Distinct files, and the file of each type.
        let mut uniq: Vec<PathBuf> = Vec::new();
        let mut map = vec![0usize; ntypes];
        for t in 0..ntypes {
            let p = if files.len() == 1 {
                &files[0]
            } else {
                &files[t]
            };
            map[t] = match uniq.iter().position(|u| u == p) {
                Some(k) => k,
                None => {
                    uniq.push(p.clone());
                    uniq.len() - 1
                }
            };
        }
        let ff: Vec<Funcfl> = uniq
            .iter()
            .map(|p| Funcfl::read(p))
            .collect::<Result<_>>()?;
        // One grid for all files: the largest spacings and ranges (LAMMPS file2array).
        let mut dr: f64 = 0.0;
        let mut drho: f64 = 0.0;
        let mut rmax: f64 = 0.0;
        let mut rhomax: f64 = 0.0;
        for f in &ff {
            dr = dr.max(f.dr);
            drho = drho.max(f.drho);
            rmax = rmax.max((f.nr - 1) as f64 * f.dr);
            rhomax = rhomax.max((f.nrho - 1) as f64 * f.drho);
        }
        let nr = (rmax / dr + 0.5) as usize;
        let nrho = (rhomax / drho + 0.5) as usize;
        // Spacings near the float range leave no grid (inf/inf; found by bench/fuzz).
        if nr < 5 || nrho < 5 {
            let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
            return Err(Error::run(format!(
                "{}: the common grid has {nrho} density and {nr} distance points (spacings \
                 drho = {drho:e}, dr = {dr:e}); at least 5 are needed",
                names.join(", ")
            )));
        }
        let mut frho = Vec::new();
        let mut rhor = Vec::new();
        for f in &ff {
            frho.push(resample(&one_based(&f.frho), f.drho, nrho, drho));
            rhor.push(resample(&one_based(&f.rhor), f.dr, nr, dr));
        }
        // φ(r)·r = 27.2·0.529·Z_i(r)·Z_j(r) for each pair of files, i ≥ j.
        let mut z2r = Vec::new();
        for i in 0..ff.len() {
            let zi = resample(&one_based(&ff[i].zr), ff[i].dr, nr, dr);
            for fj in ff.iter().take(i + 1) {
                let zj = resample(&one_based(&fj.zr), fj.dr, nr, dr);
                let z: Vec<f64> = zi
                    .iter()
                    .zip(&zj)
                    .map(|(a, b)| 27.2 * 0.529 * a * b)
                    .collect();
                z2r.push(z);
            }
        }
        let cut = ff.iter().map(|f| f.cut).fold(0.0, f64::max);
        let mut type2rhor = vec![0; ntypes * ntypes];
        let mut type2z2r = vec![0; ntypes * ntypes];
        for a in 0..ntypes {
            for b in 0..ntypes {
                type2rhor[a * ntypes + b] = map[a];
                type2z2r[a * ntypes + b] = tri(map[a], map[b]);
            }
        }
        let masses = map.iter().map(|&k| Some(ff[k].mass)).collect();
        Self::finish(
            EamStyle::Funcfl,
            uniq,
            (nrho, drho, nr, dr, rhomax, cut),
            RawTables { frho, rhor, z2r },
            map.clone(),
            type2rhor,
            type2z2r,
            masses,
        )
    }

    fn from_setfl(style: EamStyle, f: Setfl, elements: &[String], ntypes: usize) -> Result<Eam> {
        if elements.len() != ntypes {
            return Err(Error::run(format!(
                "pair style {} needs one element name per atom type: {ntypes} types, {} names given ({})",
                style.name(),
                elements.len(),
                f.path.display()
            )));
        }
        let mut map = vec![0usize; ntypes];
        for (t, e) in elements.iter().enumerate() {
            map[t] = f.elements.iter().position(|x| x == e).ok_or_else(|| {
                Error::input(
                    &f.path,
                    Some(4),
                    format!(
                        "element '{e}' (type {}) is not in the file, which has {}",
                        t + 1,
                        f.elements.join(" ")
                    ),
                )
            })?;
        }
        let n = f.elements.len();
        let frho: Vec<Vec<f64>> = f.frho.iter().map(|v| one_based(v)).collect();
        let mut rhor = Vec::new();
        for i in 0..n {
            for d in &f.rhor[i] {
                rhor.push(one_based(d));
            }
        }
        let mut z2r = Vec::new();
        for i in 0..n {
            for j in 0..=i {
                z2r.push(one_based(&f.z2r[i][j]));
            }
        }
        let mut type2rhor = vec![0; ntypes * ntypes];
        let mut type2z2r = vec![0; ntypes * ntypes];
        for a in 0..ntypes {
            for b in 0..ntypes {
                type2rhor[a * ntypes + b] = match style {
                    EamStyle::Fs => map[a] * n + map[b],
                    _ => map[a],
                };
                type2z2r[a * ntypes + b] = tri(map[a], map[b]);
            }
        }
        let masses = map.iter().map(|&k| Some(f.mass[k])).collect();
        let rhomax = (f.nrho - 1) as f64 * f.drho;
        Self::finish(
            style,
            vec![f.path.clone()],
            (f.nrho, f.drho, f.nr, f.dr, rhomax, f.cut),
            RawTables { frho, rhor, z2r },
            map,
            type2rhor,
            type2z2r,
            masses,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        style: EamStyle,
        files: Vec<PathBuf>,
        grid: Grid,
        tables: RawTables,
        type2frho: Vec<usize>,
        type2rhor: Vec<usize>,
        type2z2r: Vec<usize>,
        masses: Vec<Option<f64>>,
    ) -> Result<Eam> {
        let (nrho, drho, nr, dr, rhomax, cut) = grid;
        // The r index of a pair inside the cutoff is at most cut/dr + 1 (see `r_knot`): it must
        // fit an i32 for the truncation there to be defined.
        if !(cut > 0.0 && dr > 0.0 && cut / dr + 2.0 < i32::MAX as f64) {
            return Err(Error::input(
                &files[0],
                None,
                format!(
                    "cutoff {cut} A and r spacing {dr} A: expected positive values with cutoff/dr \
                     below 2^31 (the table index range)"
                ),
            ));
        }
        let RawTables { frho, rhor, z2r } = tables;
        Ok(Eam {
            style,
            files,
            nrho,
            nr,
            rdr: 1.0 / dr,
            rdrho: 1.0 / drho,
            rhomax,
            cut,
            cutsq: cut * cut,
            frho: frho.iter().map(|f| interpolate(f, drho)).collect(),
            rhor: rhor.iter().map(|f| interpolate(f, dr)).collect(),
            z2r: z2r.iter().map(|f| interpolate(f, dr)).collect(),
            ntypes: type2frho.len(),
            type2frho,
            type2rhor,
            type2z2r,
            masses,
            rho: Vec::new(),
            fp: Vec::new(),
            inner: InnerPairs::default(),
        })
    }

    /// Embedding energy F(ρ) and F'(ρ) of type t.
    #[inline]
    pub fn embed(&self, t: usize, rho: f64) -> (f64, f64) {
        let p = rho * self.rdrho + 1.0;
        let m = (p.max(0.0) as usize).clamp(1, self.nrho - 1);
        let p = (p - m as f64).min(1.0);
        let c = &self.frho[self.type2frho[t]][m];
        let fp = (c[0] * p + c[1]) * p + c[2];
        let mut f = ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
        if rho > self.rhomax {
            f += fp * (rho - self.rhomax);
        }
        (f, fp)
    }

    /// The paths of the potential files.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }
}

/// Interval index m (1-based) and fraction p of distance r on an r grid of spacing 1/rdr with
/// nr points, as LAMMPS `PairEAM::compute`.
#[inline(always)]
fn r_knot(rdr: f64, nr: usize, r: f64) -> (usize, f64) {
    let p = r * rdr + 1.0;
    debug_assert!((1.0..i32::MAX as f64).contains(&p));
    // SAFETY: r is the distance of a listed pair inside the cutoff (rsq < cutsq, so finite and
    // 0 ≤ r ≤ cut), and `Eam::finish` refused any table with cut/dr + 2 ≥ 2^31: p lies in
    // [1, 2^31) and the truncation is defined. It is one cvttsd2si, as LAMMPS's
    // static_cast<int>; Rust's saturating cast costs 7 % of the EAM pair time (bench/core).
    let m = (unsafe { p.to_int_unchecked::<i32>() } as usize).min(nr - 1);
    (m, (p - m as f64).min(1.0))
}

#[inline(always)]
fn value(c: &Coeffs, p: f64) -> f64 {
    ((c[3] * p + c[4]) * p + c[5]) * p + c[6]
}

#[inline(always)]
fn slope(c: &Coeffs, p: f64) -> f64 {
    (c[0] * p + c[1]) * p + c[2]
}

impl Potential for Eam {
    fn describe(&self) -> String {
        let names: Vec<String> = self.files.iter().map(|p| display_name(p)).collect();
        format!("{} {}", self.style.name(), names.join(" "))
    }

    fn cutoff(&self) -> f64 {
        self.cut
    }

    fn type_masses(&self) -> Vec<Option<f64>> {
        self.masses.clone()
    }

    fn compute(
        &mut self,
        atoms: &mut Atoms,
        lists: &[NeighborList],
        comm: &mut Comm,
    ) -> Result<Tally> {
        let list = &lists[0];
        let nlocal = atoms.nlocal;
        let nall = atoms.nall();
        let nt = self.ntypes;
        self.rho.clear();
        self.rho.resize(nall, 0.0);
        self.fp.resize(nall, 0.0);
        let x = &atoms.x;
        let typ = &atoms.typ;
        // Room for every listed pair plus one: a pair outside the cutoff is written and then
        // overwritten by the next one.
        let inner = &mut self.inner;
        inner.start.clear();
        inner.start.reserve(nlocal + 1);
        inner.j.resize(list.npairs() + 1, 0);
        inner.r.resize(list.npairs() + 1, 0.0);
        // Pass 1: the pairs inside the cutoff, then the densities at both ends of each.
        let mut k = 0;
        for i in 0..nlocal {
            let xi = x[i];
            let ti = typ[i] as usize;
            let first = k;
            inner.start.push(first);
            for &j in list.of(i) {
                let xj = x[j as usize];
                let d = [xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]];
                let rsq = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                inner.j[k] = j;
                inner.r[k] = rsq;
                k += usize::from(rsq < self.cutsq);
            }
            let mut rho_i = 0.0;
            for (&j, r) in inner.j[first..k].iter().zip(&mut inner.r[first..k]) {
                let j = j as usize;
                let tj = typ[j] as usize;
                *r = r.sqrt();
                let (m, p) = r_knot(self.rdr, self.nr, *r);
                let to_i = self.type2rhor[tj * nt + ti];
                let to_j = self.type2rhor[ti * nt + tj];
                let rho_ji = value(&self.rhor[to_i][m], p);
                rho_i += rho_ji;
                self.rho[j] += if to_j == to_i {
                    rho_ji
                } else {
                    value(&self.rhor[to_j][m], p)
                };
            }
            self.rho[i] += rho_i;
        }
        inner.start.push(k);
        comm.reverse(&mut self.rho, 1);
        // Embedding energies and F'(ρ) of owned atoms, then F' to the ghosts.
        let mut tally = Tally::default();
        for (i, &t) in typ[..nlocal].iter().enumerate() {
            let (f, fp) = self.embed(t as usize, self.rho[i]);
            self.fp[i] = fp;
            tally.pe += f;
        }
        comm.forward(&mut self.fp, 1);
        // Pass 2: pair forces over the pairs inside the cutoff.
        let f = &mut atoms.f;
        let inner = &self.inner;
        for i in 0..nlocal {
            let xi = x[i];
            let ti = typ[i] as usize;
            let fpi = self.fp[i];
            let mut fi = [0.0; 3];
            let pairs = inner.start[i]..inner.start[i + 1];
            for (&j, &r) in inner.j[pairs.clone()].iter().zip(&inner.r[pairs]) {
                let j = j as usize;
                let tj = typ[j] as usize;
                let xj = x[j];
                let d = [xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]];
                let (m, p) = r_knot(self.rdr, self.nr, r);
                // ρ' of the density i gives at j, and j gives at i.
                let to_i = self.type2rhor[tj * nt + ti];
                let to_j = self.type2rhor[ti * nt + tj];
                let rhojp = slope(&self.rhor[to_i][m], p);
                let rhoip = if to_j == to_i {
                    rhojp
                } else {
                    slope(&self.rhor[to_j][m], p)
                };
                let c = &self.z2r[self.type2z2r[ti * nt + tj]][m];
                let z2p = slope(c, p);
                let z2 = value(c, p);
                let recip = 1.0 / r;
                let phi = z2 * recip;
                let phip = z2p * recip - phi * recip;
                let psip = fpi * rhojp + self.fp[j] * rhoip + phip;
                let fpair = -psip * recip;
                let fd = [d[0] * fpair, d[1] * fpair, d[2] * fpair];
                fi[0] += fd[0];
                fi[1] += fd[1];
                fi[2] += fd[2];
                f[j][0] -= fd[0];
                f[j][1] -= fd[1];
                f[j][2] -= fd[2];
                tally.pe += phi;
            }
            f[i][0] += fi[0];
            f[i][1] += fi[1];
            f[i][2] += fi[2];
        }
        // Virial W = Σ_pairs r_ij ⊗ F_ij = Σ_{owned + ghost} x_i ⊗ f_i (the forces are pairwise
        // and ghosts sit at their image positions), as LAMMPS `virial_fdotr_compute`: O(atoms)
        // after the loop instead of six accumulators per pair inside it.
        let mut w = [0.0; 6];
        for (xi, fi) in x.iter().zip(f.iter()) {
            w[0] += xi[0] * fi[0];
            w[1] += xi[1] * fi[1];
            w[2] += xi[2] * fi[2];
            w[3] += xi[0] * fi[1];
            w[4] += xi[0] * fi[2];
            w[5] += xi[1] * fi[2];
        }
        tally.virial = w;
        Ok(tally)
    }
}
