//! The non-bonded energies of ReaxFF between every pair within the cutoff, as LAMMPS
//! `src/REAXFF/reaxff_nonbonded.cpp` computes them (van Duin et al. 2001, Eqs. 23–24; the
//! inner wall and low-gradient correction of Liu et al., J. Phys. Chem. A 115, 11016 (2011)),
//! both under the 7th-order taper Tap(r) between `swa` and `swb`:
//!
//! E_vdW = Tap · D [e^(α (1 − f13/r_vdW)) − 2 e^(α/2 (1 − f13/r_vdW))],
//! f13 = (r^p_vdW1 + γ_w^(−p_vdW1))^(1/p_vdW1) with shielding (else f13 = r),
//! plus Tap · E_core e^(α_core (1 − r/r_core)) with the inner wall and
//! − Tap · C_lg /(r⁶ + R_e⁶) with `lgvdw`;
//! E_Coul = Tap · C q_i q_j / (r³ + (γ_i γ_j)^(−3/2))^(1/3), C = 332.06371 kcal Å/(mol e²);
//!
//! and the charges' self-energy E_pol = Σ_i 23.02 (χ_i q_i + η_i q_i²/2) (LAMMPS `e_pol`, with
//! LAMMPS's 23.02 kcal/mol per eV).

use super::energies::Accum;
use super::params::VdwType;
use super::tables::Tables;
use crate::error::{Error, Result};
use crate::neighbor::NeighborList;
use crate::system::Atoms;

/// LAMMPS's Coulomb constant of the ReaxFF energy, kcal Å/(mol e²) (`C_ele`).
pub const C_ELE: f64 = 332.06371;

/// LAMMPS's kcal/mol per eV of the charge self-energy (`KCALpMOL_to_EV`).
pub const KCAL_PER_EV_QEQ: f64 = 23.02;

/// Atoms closer than this (Å) are an input error, not a force.
pub const MIN_DISTANCE: f64 = 0.1;

/// van der Waals and Coulomb energies over the half list of owned atoms (each pair once
/// across ranks), and the self-energy of the owned charges. `taper` holds the coefficients of
/// Tap(r) = Σ c_k r^k.
pub fn nonbonded_energy(
    atoms: &Atoms,
    q: &[f64],
    p: &Tables,
    taper: &[f64; 8],
    lgvdw: bool,
    list: &NeighborList,
    acc: &mut Accum,
) -> Result<()> {
    let p_vdw1 = p.gp[28];
    let cut2 = p.swb * p.swb;
    let shielding = matches!(p.vdw_type, VdwType::Shielding | VdwType::InnerWallShielding);
    let wall = matches!(p.vdw_type, VdwType::InnerWall | VdwType::InnerWallShielding);
    for i in 0..atoms.nlocal {
        let xi = atoms.x[i];
        let ti = atoms.typ[i] as usize;
        for &jj in list.of(i) {
            let j = jj as usize;
            let xj = atoms.x[j];
            let d = [xj[0] - xi[0], xj[1] - xi[1], xj[2] - xi[2]];
            let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if r2 > cut2 {
                continue;
            }
            let r = r2.sqrt();
            if r < MIN_DISTANCE {
                return Err(Error::run(format!(
                    "reaxff: atoms {} and {} are {r:.3e} Å apart (less than {MIN_DISTANCE} Å): \
                     overlapping atoms in the input",
                    atoms.id[i], atoms.id[j]
                )));
            }
            let tj = atoms.typ[j] as usize;
            let tb = p.pair(ti, tj);
            let tap = taper.iter().rev().fold(0.0, |a, c| a * r + c);
            // (dTap/dr)/r.
            let dtap = (7.0 * taper[7] * r + 6.0 * taper[6]) * r.powi(4)
                + 5.0 * taper[5] * r.powi(3)
                + 4.0 * taper[4] * r2
                + 3.0 * taper[3] * r
                + 2.0 * taper[2]
                + taper[1] / r;
            let (e_vdw, mut ce_vd) = if shielding {
                let powr = r.powf(p_vdw1);
                let sum = powr + p.vdw_shield[ti * p.ntypes() + tj];
                let fn13 = sum.powf(1.0 / p_vdw1);
                let exp1 = (tb.alpha * (1.0 - fn13 / tb.r_vdw)).exp();
                let exp2 = (0.5 * tb.alpha * (1.0 - fn13 / tb.r_vdw)).exp();
                let e = tb.d * (exp1 - 2.0 * exp2);
                // (Σ)^(1/p − 1) r^(p − 2).
                let dfn13 = fn13 / sum * powr / r2;
                (
                    e,
                    dtap * e - tap * tb.d * (tb.alpha / tb.r_vdw) * (exp1 - exp2) * dfn13,
                )
            } else {
                let exp1 = (tb.alpha * (1.0 - r / tb.r_vdw)).exp();
                let exp2 = (0.5 * tb.alpha * (1.0 - r / tb.r_vdw)).exp();
                let e = tb.d * (exp1 - 2.0 * exp2);
                (
                    e,
                    dtap * e - tap * tb.d * (tb.alpha / tb.r_vdw) * (exp1 - exp2) / r,
                )
            };
            let mut e_pair = e_vdw;
            if wall {
                let e_core = tb.ecore * (tb.acore * (1.0 - r / tb.rcore)).exp();
                e_pair += e_core;
                ce_vd += dtap * e_core + tap * (-(tb.acore / tb.rcore) * e_core) / r;
                if lgvdw {
                    let (r5, r6, re6) = (r.powi(5), r.powi(6), tb.lgre.powi(6));
                    let e_lg = -(tb.lgcij / (r6 + re6));
                    e_pair += e_lg;
                    ce_vd += dtap * e_lg + tap * (-6.0 * e_lg * r5 / (r6 + re6)) / r;
                }
            }
            acc.e.vdw += tap * e_pair;
            let dr3 = r2 * r + tb.gamma;
            let dr3_3 = dr3.cbrt();
            let qq = C_ELE * q[i] * q[j];
            acc.e.coulomb += qq * tap / dr3_3;
            let ce_clmb = qq * (dtap - tap * r / dr3) / dr3_3;
            let c = ce_vd + ce_clmb;
            acc.add(i, -c, &d);
            acc.add(j, c, &d);
        }
    }
    for (i, &qi) in q.iter().enumerate().take(atoms.nlocal) {
        let e = &p.elements[atoms.typ[i] as usize];
        acc.e.polarization += KCAL_PER_EV_QEQ * (e.chi * qi + e.eta / 2.0 * qi * qi);
    }
    Ok(())
}
