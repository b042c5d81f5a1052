//! Lennard-Jones 12-6 with a cutoff, LAMMPS `pair_style lj/cut` (metal units):
//!
//! E = 4ε [(σ/r)¹² − (σ/r)⁶] − E_shift for r < r_c,  F = 24ε/r [2(σ/r)¹² − (σ/r)⁶] r̂,
//!
//! with E_shift the value at r_c under `pair_modify shift yes` (else zero). Coefficients come
//! from a file of LAMMPS pair commands ([`PairFile`]): `pair_style lj/cut RC` and
//! `pair_coeff I J ε σ [r_c]`; unset i ≠ j pairs are mixed as LAMMPS mixes them.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::neighbor::NeighborList;
use crate::parallel::Comm;
use crate::potential::pair_file::PairFile;
use crate::potential::{display_name, Potential, Tally};
use crate::system::Atoms;

/// `lj/cut` for `n` atom types.
pub struct LjCut {
    file: PathBuf,
    n: usize,
    /// Per type pair: 48εσ¹², 24εσ⁶, 4εσ¹², 4εσ⁶, r_c², E_shift.
    coeffs: Vec<[f64; 6]>,
    cut: f64,
}

impl LjCut {
    /// Read the pair commands of `path` for `ntypes` types.
    pub fn read(path: &Path, ntypes: usize) -> Result<LjCut> {
        let p = PairFile::read(path, "lj/cut", ntypes, (2, 3))?;
        let [global_cut] = p.style_args[..] else {
            return Err(Error::input(
                path,
                None,
                "pair_style lj/cut takes one cutoff (Å)",
            ));
        };
        let mut coeffs = vec![[0.0; 6]; ntypes * ntypes];
        let mut cut: f64 = 0.0;
        for a in 0..ntypes {
            for b in a..ntypes {
                let Some(&[eps, sig, rc]) = p.pair(a, b, &[0.0, 0.0, global_cut]).as_deref() else {
                    let msg = format!("no pair_coeff for types {} {} to set or mix", a + 1, b + 1);
                    return Err(Error::input(path, None, msg));
                };
                let (s6, s12) = (sig.powi(6), sig.powi(12));
                let shift = match p.shift && rc > 0.0 {
                    true => 4.0 * eps * (s12 / rc.powi(12) - s6 / rc.powi(6)),
                    false => 0.0,
                };
                let e = 4.0 * eps;
                let c = [
                    12.0 * e * s12,
                    6.0 * e * s6,
                    e * s12,
                    e * s6,
                    rc * rc,
                    shift,
                ];
                coeffs[a * ntypes + b] = c;
                coeffs[b * ntypes + a] = c;
                cut = cut.max(rc);
            }
        }
        let file = path.to_path_buf();
        Ok(LjCut {
            file,
            n: ntypes,
            coeffs,
            cut,
        })
    }
}

impl Potential for LjCut {
    fn describe(&self) -> String {
        format!("lj/cut {}", display_name(&self.file))
    }

    fn cutoff(&self) -> f64 {
        self.cut
    }

    fn type_masses(&self) -> Vec<Option<f64>> {
        vec![None; self.n]
    }

    /// Pair forces over the half list; the virial is Σ x ⊗ f over owned and ghost atoms (the
    /// forces are pairwise: LAMMPS `virial_fdotr_compute`).
    fn compute(
        &mut self,
        atoms: &mut Atoms,
        lists: &[NeighborList],
        _: &mut Comm,
    ) -> Result<Tally> {
        let (x, typ, f) = (&atoms.x, &atoms.typ, &mut atoms.f);
        let mut tally = Tally::default();
        for i in 0..atoms.nlocal {
            let (xi, row) = (x[i], typ[i] as usize * self.n);
            for &j in lists[0].of(i) {
                let j = j as usize;
                let d = [xi[0] - x[j][0], xi[1] - x[j][1], xi[2] - x[j][2]];
                let rsq = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                let c = &self.coeffs[row + typ[j] as usize];
                if rsq >= c[4] {
                    continue;
                }
                let r2inv = 1.0 / rsq;
                let r6inv = r2inv * r2inv * r2inv;
                let fpair = r6inv * (c[0] * r6inv - c[1]) * r2inv;
                tally.pe += r6inv * (c[2] * r6inv - c[3]) - c[5];
                for k in 0..3 {
                    f[i][k] += d[k] * fpair;
                    f[j][k] -= d[k] * fpair;
                }
            }
        }
        for (xi, fi) in x.iter().zip(f.iter()) {
            let w = [0, 1, 2, 0, 0, 1].map(|a| xi[a]);
            let g = [0, 1, 2, 1, 2, 2].map(|b| fi[b]);
            for k in 0..6 {
                tally.virial[k] += w[k] * g[k];
            }
        }
        Ok(tally)
    }
}
