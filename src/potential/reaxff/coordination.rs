//! The bond energy and the atom energies of ReaxFF (lone pair, over- and under-coordination),
//! as LAMMPS `src/REAXFF/reaxff_bonds.cpp` and `reaxff_multi_body.cpp` compute them (van Duin et
//! al. 2001, Eqs. 6–12; Chenoweth et al. 2008, SI).
//!
//! Bond: E_b = −D_e^σ BO_σ exp[p_be1 (1 − BO_σ^p_be2)] − D_e^π BO_π − D_e^ππ BO_ππ, plus the
//! terminal triple-bond stabilisation of C≡O (or of every bond with gp.l[37] = 2).
//!
//! Lone pair: E_lp = p_lp2 Δ_lp / (1 + e^(−75 Δ_lp)).
//!
//! Over-coordination: E_ov = Σ_j p_ovun1 D_e^σ BO_ij · Δ_lpcorr / (Δ_lpcorr + Val) ·
//! 1/(1 + e^(p_ovun2 Δ_lpcorr)), with Δ_lpcorr = Δ − Δ_lp /(1 + p_ovun3 e^(p_ovun4 S)) and
//! S = Σ_j (Δ_j − Δ_lp,j)(BO_π + BO_ππ) (the lone-pair parts only for elements up to 21 amu).
//!
//! Under-coordination: E_un = −p_ovun5 (1 − e^(p_ovun6 Δ_lpcorr)) /(1 + e^(−p_ovun2 Δ_lpcorr))
//! · 1/(1 + p_ovun7 e^(p_ovun8 S)).
//!
//! The derivative bookkeeping is LAMMPS's term for term (including its use of dΔ_lp of the
//! neighbour), so that forces match it.

use super::bond_order::BondGraph;
use super::energies::Accum;
use super::tables::Tables;
use crate::system::Atoms;

/// Masses are equal as LAMMPS's `mass_equal` compares them.
fn mass_equal(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-4
}

/// Bond energies of the bonds this rank counts.
pub fn bond_energy(atoms: &Atoms, g: &mut BondGraph, p: &Tables, acc: &mut Accum) {
    let (gp3, gp4, gp7, gp10) = (p.gp[3], p.gp[4], p.gp[7], p.gp[10]);
    let gp37 = p.gp[37] as i64;
    for k in 0..g.bonds.len() {
        let Some((i, j)) = g.counted_from(atoms, k) else {
            continue;
        };
        let (ti, tj) = (atoms.typ[i] as usize, atoms.typ[j] as usize);
        let tb = p.pair(ti, tj);
        let b = &mut g.bonds[k];
        let pow_be2 = if b.bo_s == 0.0 {
            0.0
        } else {
            b.bo_s.powf(tb.p_be2)
        };
        let exp_be12 = (tb.p_be1 * (1.0 - pow_be2)).exp();
        let ce_bo = -tb.de_s * exp_be12 * (1.0 - tb.p_be1 * tb.p_be2 * pow_be2);
        acc.e.bond += -tb.de_s * b.bo_s * exp_be12 - tb.de_p * b.bo_pi - tb.de_pp * b.bo_pi2;
        b.cdbo += ce_bo;
        b.cdbopi -= ce_bo + tb.de_p;
        b.cdbopi2 -= ce_bo + tb.de_pp;
        let (mi, mj) = (p.elements[ti].mass, p.elements[tj].mass);
        let co = (mass_equal(mi, 12.0) && mass_equal(mj, 15.999))
            || (mass_equal(mj, 12.0) && mass_equal(mi, 15.999));
        if b.bo >= 1.0 && (gp37 == 2 || co) {
            let o = &g.atoms;
            let bo = b.bo;
            let exphu = (-gp7 * (bo - 2.5) * (bo - 2.5)).exp();
            let exphua1 = (-gp3 * (o.total[i] - bo)).exp();
            let exphub1 = (-gp3 * (o.total[j] - bo)).exp();
            let arg = gp4 * (o.delta[i] + o.delta[j]);
            let hulpov = 1.0 / (1.0 + 25.0 * arg.exp());
            let exphuov_hulpov = 1.0 / ((-arg).exp() + 25.0);
            let base = gp10 * exphu * hulpov;
            acc.e.bond += base * (exphua1 + exphub1);
            b.cdbo += base * (exphua1 + exphub1) * (gp3 - 2.0 * gp7 * (bo - 2.5));
            let common = 25.0 * gp4 * exphuov_hulpov * (exphua1 + exphub1);
            acc.cd_delta[i] += -base * (gp3 * exphua1 + common);
            acc.cd_delta[j] += -base * (gp3 * exphub1 + common);
        }
    }
}

/// Lone-pair, over- and under-coordination energies of the owned atoms.
pub fn atom_energy(atoms: &Atoms, g: &mut BondGraph, p: &Tables, acc: &mut Accum) {
    let p_lp3 = p.gp[5];
    let (p_ovun3, p_ovun4, p_ovun6, p_ovun7, p_ovun8) =
        (p.gp[32], p.gp[31], p.gp[6], p.gp[8], p.gp[9]);
    for i in 0..atoms.nlocal {
        let ti = atoms.typ[i] as usize;
        let e = &p.elements[ti];
        let o = &g.atoms;
        // Lone pair (counted with or without bonds: LAMMPS `enobonds yes`).
        let dlp = o.delta_lp[i];
        let expvd2 = (-75.0 * dlp).exp();
        let inv_expvd2 = 1.0 / (1.0 + expvd2);
        acc.e.lone_pair += e.p_lp2 * dlp * inv_expvd2;
        let de_lp = e.p_lp2 * inv_expvd2 + 75.0 * e.p_lp2 * dlp * expvd2 * inv_expvd2 * inv_expvd2;
        acc.cd_delta[i] += de_lp * o.ddelta_lp[i];
        // C2 correction.
        if p_lp3 > 0.001 && e.name == "C" {
            let di = o.delta[i];
            for s in g.first[i]..g.first[i + 1] {
                let k = g.adj[s] as usize;
                let (j, _) = g.bonds[k].other(i);
                if p.elements[atoms.typ[j] as usize].name != "C" {
                    continue;
                }
                let vov3 = g.bonds[k].bo - di - 0.040 * di.powi(4);
                if vov3 > 3.0 {
                    acc.e.lone_pair += p_lp3 * (vov3 - 3.0) * (vov3 - 3.0);
                    g.bonds[k].cdbo += 2.0 * p_lp3 * (vov3 - 3.0);
                    acc.cd_delta[i] += 2.0 * p_lp3 * (vov3 - 3.0) * (-1.0 - 0.16 * di.powi(3));
                }
            }
        }
        // Over- and under-coordination.
        let o = &g.atoms;
        let dfvl = if e.mass > 21.0 { 0.0 } else { 1.0 };
        let (mut sum1, mut sum2) = (0.0, 0.0);
        for s in g.first[i]..g.first[i + 1] {
            let b = &g.bonds[g.adj[s] as usize];
            let (j, _) = b.other(i);
            let tb = p.pair(ti, atoms.typ[j] as usize);
            sum1 += tb.p_ovun1 * tb.de_s * b.bo;
            sum2 += (o.delta[j] - dfvl * o.delta_lp_temp[j]) * (b.bo_pi + b.bo_pi2);
        }
        let exp_ovun1 = p_ovun3 * (p_ovun4 * sum2).exp();
        let inv_exp_ovun1 = 1.0 / (1.0 + exp_ovun1);
        let dlpc = o.delta[i] - dfvl * o.delta_lp_temp[i] * inv_exp_ovun1;
        let exp_ovun2 = (e.p_ovun2 * dlpc).exp();
        let inv_exp_ovun2 = 1.0 / (1.0 + exp_ovun2);
        let dlp_vi = 1.0 / (dlpc + e.valency + 1e-8);
        let ce_over1 = dlpc * dlp_vi * inv_exp_ovun2;
        acc.e.atom += sum1 * ce_over1;
        let ce_over2 = sum1
            * dlp_vi
            * inv_exp_ovun2
            * (1.0 - dlpc * (dlp_vi + e.p_ovun2 * exp_ovun2 * inv_exp_ovun2));
        let ce_over3 = ce_over2 * (1.0 - dfvl * o.ddelta_lp[i] * inv_exp_ovun1);
        let ce_over4 = ce_over2
            * (dfvl * o.delta_lp_temp[i])
            * p_ovun4
            * exp_ovun1
            * inv_exp_ovun1
            * inv_exp_ovun1;
        let exp_ovun2n = 1.0 / exp_ovun2;
        let exp_ovun6 = (p_ovun6 * dlpc).exp();
        let exp_ovun8 = p_ovun7 * (p_ovun8 * sum2).exp();
        let inv_exp_ovun2n = 1.0 / (1.0 + exp_ovun2n);
        let inv_exp_ovun8 = 1.0 / (1.0 + exp_ovun8);
        let e_un = -e.p_ovun5 * (1.0 - exp_ovun6) * inv_exp_ovun2n * inv_exp_ovun8;
        acc.e.atom += e_un;
        let ce_under1 = inv_exp_ovun2n
            * (e.p_ovun5 * p_ovun6 * exp_ovun6 * inv_exp_ovun8 + e.p_ovun2 * e_un * exp_ovun2n);
        let ce_under2 = -e_un * p_ovun8 * exp_ovun8 * inv_exp_ovun8;
        let ce_under3 = ce_under1 * (1.0 - dfvl * o.ddelta_lp[i] * inv_exp_ovun1);
        let ce_under4 = ce_under1
            * (dfvl * o.delta_lp_temp[i])
            * p_ovun4
            * exp_ovun1
            * inv_exp_ovun1
            * inv_exp_ovun1
            + ce_under2;
        acc.cd_delta[i] += ce_over3 + ce_under3;
        for s in g.first[i]..g.first[i + 1] {
            let k = g.adj[s] as usize;
            let (j, _) = g.bonds[k].other(i);
            let tb = p.pair(ti, atoms.typ[j] as usize);
            let o = &g.atoms;
            let pis = g.bonds[k].bo_pi + g.bonds[k].bo_pi2;
            let dj = o.delta[j] - dfvl * o.delta_lp_temp[j];
            let ddj = 1.0 - dfvl * o.ddelta_lp[j];
            acc.cd_delta[j] += (ce_over4 + ce_under4) * ddj * pis;
            let b = &mut g.bonds[k];
            b.cdbo += ce_over1 * tb.p_ovun1 * tb.de_s;
            b.cdbopi += (ce_over4 + ce_under4) * dj;
            b.cdbopi2 += (ce_over4 + ce_under4) * dj;
        }
    }
}
