//! The valence-angle, penalty and coalition energies of ReaxFF for the angles i-j-k at owned
//! atoms j, as LAMMPS `src/REAXFF/reaxff_valence_angles.cpp` computes them (Chenoweth et al.,
//! J. Phys. Chem. A 112, 1040 (2008), SI Eqs. 13–15).
//!
//! E_val = f7(BO_ij) f7(BO_jk) f8(Δ_j) p_val1 [1 − exp(−p_val2 (Θ_0(BO) − Θ_ijk)²)],
//! f7(BO) = 1 − exp(−p_val3 BO^p_val4), f8(Δ) = p_val5 − (p_val5 − 1)(2 + e^(p_val6 Δ))/
//! (1 + e^(p_val6 Δ) + e^(−p_val7 Δ)), Θ_0 = π − Θ_00 [1 − exp(−p_val10 (2 − SBO2))];
//! E_pen = p_pen1 f9(Δ_j) exp[−p_pen2 (BO_ij − 2)²] exp[−p_pen2 (BO_jk − 2)²];
//! E_coa = p_coa1 /(1 + e^(p_coa2 Δ^val_j)) exp[−p_coa3 (Σ BO_i − BO_ij)²] exp[−p_coa3
//! (Σ BO_k − BO_jk)²] exp[−p_coa4 (BO_ij − 1.5)²] exp[−p_coa4 (BO_jk − 1.5)²],
//! with every BO here less the threshold `thb_cut` (LAMMPS's BOA).

use super::bond_order::BondGraph;
use super::energies::{cos_angle, Accum};
use super::tables::Tables;
use crate::system::Atoms;

/// π as LAMMPS's ReaxFF converts degrees (`constPI` of `reaxff_defs.h`, 3.14159265): the angle
/// energies match LAMMPS's to round-off only with its truncated value.
#[allow(clippy::approx_constant)]
const LAMMPS_PI: f64 = 3.14159265;

/// Degrees to radians as LAMMPS's ReaxFF converts them.
fn deg2rad(a: f64) -> f64 {
    a * LAMMPS_PI / 180.0
}

/// Angle energies of the angles at the owned atoms.
pub fn valence_energy(atoms: &Atoms, g: &mut BondGraph, p: &Tables, acc: &mut Accum) {
    let (p_val6, p_val8, p_val9, p_val10) = (p.gp[14], p.gp[33], p.gp[16], p.gp[17]);
    let (p_pen2, p_pen3, p_pen4) = (p.gp[19], p.gp[20], p.gp[21]);
    let (p_coa2, p_coa3, p_coa4) = (p.gp[2], p.gp[38], p.gp[30]);
    let (thb, thb2) = (p.control.thb_cut, p.control.thb_cutsq);
    for j in 0..atoms.nlocal {
        let tj = atoms.typ[j] as usize;
        let ej = &p.elements[tj];
        let (lo, hi) = (g.first[j], g.first[j + 1]);
        if hi - lo < 2 {
            continue;
        }
        let o = &g.atoms;
        let (mut sbo_p, mut prod_sbo) = (0.0, 1.0);
        for s in lo..hi {
            let b = &g.bonds[g.adj[s] as usize];
            sbo_p += b.bo_pi + b.bo_pi2;
            prod_sbo *= (-b.bo.powi(8)).exp();
        }
        let (vlpadj, dsbo2) = if o.vlpex[j] >= 0.0 {
            (0.0, prod_sbo - 1.0)
        } else {
            (o.nlp[j], (prod_sbo - 1.0) * (1.0 - p_val8 * o.ddelta_lp[j]))
        };
        let sbo = sbo_p + (1.0 - prod_sbo) * (-o.delta_boc[j] - p_val8 * vlpadj);
        let dsbo1 = -8.0 * prod_sbo * (o.delta_boc[j] + p_val8 * vlpadj);
        let (sbo2, csbo2) = if sbo <= 0.0 {
            (0.0, 0.0)
        } else if sbo <= 1.0 {
            (sbo.powf(p_val9), p_val9 * sbo.powf(p_val9 - 1.0))
        } else if sbo < 2.0 {
            (
                2.0 - (2.0 - sbo).powf(p_val9),
                p_val9 * (2.0 - sbo).powf(p_val9 - 1.0),
            )
        } else {
            (2.0, 0.0)
        };
        let expval6 = (p_val6 * o.delta_boc[j]).exp();
        let delta_j = o.delta[j];
        let delta_boc_j = o.delta_boc[j];
        let delta_val_j = o.delta_val[j];
        for s1 in lo..hi {
            let k1 = g.adj[s1] as usize;
            let (i, dji) = g.bonds[k1].other(j);
            let bo_ij = g.bonds[k1].bo;
            if bo_ij <= thb {
                continue;
            }
            let ti = atoms.typ[i] as usize;
            for s2 in s1 + 1..hi {
                let k2 = g.adj[s2] as usize;
                let (k, djk) = g.bonds[k2].other(j);
                let bo_jk = g.bonds[k2].bo;
                if bo_jk <= thb || bo_ij * bo_jk <= thb2 {
                    continue;
                }
                let tk = atoms.typ[k] as usize;
                let sets = p.angle(ti, tj, tk);
                if sets.is_empty() {
                    continue;
                }
                let (cos_t, dcos_i, dcos_k) = cos_angle(&dji, &djk);
                let theta = cos_t.acos();
                let sin_t = theta.sin().max(1e-5);
                let (boa_ij, boa_jk) = (bo_ij - thb, bo_jk - thb);
                let (tot_i, tot_k) = (g.atoms.total[i], g.atoms.total[k]);
                for a in sets.iter().filter(|a| a.p_val1.abs() > 0.001) {
                    // Angle.
                    let exp3ij = (-ej.p_val3 * boa_ij.powf(a.p_val4)).exp();
                    let f7_ij = 1.0 - exp3ij;
                    let cf7ij = ej.p_val3 * a.p_val4 * boa_ij.powf(a.p_val4 - 1.0) * exp3ij;
                    let exp3jk = (-ej.p_val3 * boa_jk.powf(a.p_val4)).exp();
                    let f7_jk = 1.0 - exp3jk;
                    let cf7jk = ej.p_val3 * a.p_val4 * boa_jk.powf(a.p_val4 - 1.0) * exp3jk;
                    let expval7 = (-a.p_val7 * delta_boc_j).exp();
                    let trm8 = 1.0 + expval6 + expval7;
                    let f8 = ej.p_val5 - (ej.p_val5 - 1.0) * (2.0 + expval6) / trm8;
                    let cf8j = (1.0 - ej.p_val5) / (trm8 * trm8)
                        * (p_val6 * expval6 * trm8
                            - (2.0 + expval6) * (p_val6 * expval6 - a.p_val7 * expval7));
                    let theta_0 =
                        deg2rad(180.0 - a.theta_00 * (1.0 - (-p_val10 * (2.0 - sbo2)).exp()));
                    let expval2theta = (-a.p_val2 * (theta_0 - theta).powi(2)).exp();
                    let expval12theta = if a.p_val1 >= 0.0 {
                        a.p_val1 * (1.0 - expval2theta)
                    } else {
                        // LAMMPS: avoids linear metal–H–metal angles.
                        -a.p_val1 * expval2theta
                    };
                    let ceval1 = cf7ij * f7_jk * f8 * expval12theta;
                    let ceval2 = cf7jk * f7_ij * f8 * expval12theta;
                    let ceval3 = cf8j * f7_ij * f7_jk * expval12theta;
                    let ceval4 = -2.0
                        * a.p_val1
                        * a.p_val2
                        * f7_ij
                        * f7_jk
                        * f8
                        * expval2theta
                        * (theta_0 - theta);
                    let ctheta_0 = p_val10 * deg2rad(a.theta_00) * (-p_val10 * (2.0 - sbo2)).exp();
                    let ceval5 = -ceval4 * ctheta_0 * csbo2;
                    let ceval6 = ceval5 * dsbo1;
                    let ceval7 = ceval5 * dsbo2;
                    let ceval8 = -ceval4 / sin_t;
                    acc.e.angle += f7_ij * f7_jk * f8 * expval12theta;
                    // Penalty.
                    let exp_pen2ij = (-p_pen2 * (boa_ij - 2.0).powi(2)).exp();
                    let exp_pen2jk = (-p_pen2 * (boa_jk - 2.0).powi(2)).exp();
                    let exp_pen3 = (-p_pen3 * delta_j).exp();
                    let exp_pen4 = (p_pen4 * delta_j).exp();
                    let trm_pen34 = 1.0 + exp_pen3 + exp_pen4;
                    let f9 = (2.0 + exp_pen3) / trm_pen34;
                    let cf9j = (-p_pen3 * exp_pen3 * trm_pen34
                        - (2.0 + exp_pen3) * (-p_pen3 * exp_pen3 + p_pen4 * exp_pen4))
                        / (trm_pen34 * trm_pen34);
                    let e_pen = a.p_pen1 * f9 * exp_pen2ij * exp_pen2jk;
                    acc.e.penalty += e_pen;
                    let cepen1 = e_pen * cf9j / f9;
                    let cepen2 = -2.0 * p_pen2 * e_pen * (boa_ij - 2.0);
                    let cepen3 = -2.0 * p_pen2 * e_pen * (boa_jk - 2.0);
                    // Coalition.
                    let exp_coa2 = (p_coa2 * delta_val_j).exp();
                    let e_coa = a.p_coa1 / (1.0 + exp_coa2)
                        * (-p_coa3 * (tot_i - boa_ij).powi(2)).exp()
                        * (-p_coa3 * (tot_k - boa_jk).powi(2)).exp()
                        * (-p_coa4 * (boa_ij - 1.5).powi(2)).exp()
                        * (-p_coa4 * (boa_jk - 1.5).powi(2)).exp();
                    acc.e.coalition += e_coa;
                    let cecoa1 = -2.0 * p_coa4 * (boa_ij - 1.5) * e_coa;
                    let cecoa2 = -2.0 * p_coa4 * (boa_jk - 1.5) * e_coa;
                    let cecoa3 = -p_coa2 * exp_coa2 * e_coa / (1.0 + exp_coa2);
                    let cecoa4 = -2.0 * p_coa3 * (tot_i - boa_ij) * e_coa;
                    let cecoa5 = -2.0 * p_coa3 * (tot_k - boa_jk) * e_coa;
                    // Derivatives.
                    g.bonds[k1].cdbo += ceval1 + cepen2 + (cecoa1 - cecoa4);
                    g.bonds[k2].cdbo += ceval2 + cepen3 + (cecoa2 - cecoa5);
                    acc.cd_delta[j] += ceval3 + ceval7 + cepen1 + cecoa3;
                    acc.cd_delta[i] += cecoa4;
                    acc.cd_delta[k] += cecoa5;
                    for s in lo..hi {
                        let b = &mut g.bonds[g.adj[s] as usize];
                        b.cdbo += ceval6 * b.bo.powi(7);
                        b.cdbopi += ceval5;
                        b.cdbopi2 += ceval5;
                    }
                    let dcos_j = [
                        -dcos_i[0] - dcos_k[0],
                        -dcos_i[1] - dcos_k[1],
                        -dcos_i[2] - dcos_k[2],
                    ];
                    acc.add(i, ceval8, &dcos_i);
                    acc.add(j, ceval8, &dcos_j);
                    acc.add(k, ceval8, &dcos_k);
                }
            }
        }
    }
}
