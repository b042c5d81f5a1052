//! The torsion and four-body conjugation energies of ReaxFF for the chains i-j-k-l about the
//! bonds j-k this rank counts, as LAMMPS `src/REAXFF/reaxff_torsion_angles.cpp` computes them
//! (Chenoweth et al., J. Phys. Chem. A 112, 1040 (2008), SI Eqs. 16–17):
//!
//! E_tor = f10 sin Θ_ijk sin Θ_jkl · ½ [V1 (1 + cos ω) + V2 exp(p_tor1 (2 − BO^π_jk − f11)²)
//! (1 − cos 2ω) + V3 (1 + cos 3ω)],
//! f10 = Π_{ij, jk, kl} (1 − e^(−p_tor2 BO)),
//! f11 = (2 + e^(−p_tor3 Δ)) / (1 + e^(−p_tor3 Δ) + e^(p_tor4 Δ)) with Δ = Δ^boc_j + Δ^boc_k;
//! E_conj = p_cot1 Π exp[−p_cot2 (BO − 1.5)²] · [1 + (cos² ω − 1) sin Θ_ijk sin Θ_jkl],
//!
//! BO less the threshold `thb_cut` where LAMMPS uses it. ω is the dihedral angle with
//! cos ω = −(a×b)·(b×c)/(|a×b| |b×c|), a = x_i − x_j, b = x_k − x_j, c = x_l − x_k; its gradient
//! is written here from that formula.

use super::bond_order::BondGraph;
use super::energies::{cos_angle, cross, dot, Accum};
use super::tables::Tables;
use crate::system::Atoms;

/// LAMMPS's floor on the sines of the torsion's bond angles (`MIN_SINE`).
const MIN_SINE: f64 = 1e-10;

/// cos ω of the chain with bond vectors a = x_i − x_j, b = x_k − x_j, c = x_l − x_k, and its
/// gradients with respect to x_i, x_j, x_k, x_l (zero where a bond angle is straight).
fn cos_dihedral(a: &[f64; 3], b: &[f64; 3], c: &[f64; 3]) -> (f64, [[f64; 3]; 4]) {
    let u = cross(a, b);
    let v = cross(b, c);
    let (nu, nv) = (dot(&u, &u).sqrt(), dot(&v, &v).sqrt());
    if nu < 1e-12 || nv < 1e-12 {
        return (1.0, [[0.0; 3]; 4]);
    }
    let nm = dot(&u, &v) / (nu * nv);
    // ∂(n·m)/∂u and ∂(n·m)/∂v with n = u/|u|, m = v/|v|.
    let mut pu = [0.0; 3];
    let mut qv = [0.0; 3];
    for k in 0..3 {
        pu[k] = (v[k] / nv - nm * u[k] / nu) / nu;
        qv[k] = (u[k] / nu - nm * v[k] / nv) / nv;
    }
    let ga = cross(b, &pu);
    let gb1 = cross(&pu, a);
    let gb2 = cross(c, &qv);
    let gc = cross(&qv, b);
    let mut g = [[0.0; 3]; 4];
    for k in 0..3 {
        let gb = gb1[k] + gb2[k];
        // cos ω = −n·m.
        g[0][k] = -ga[k];
        g[1][k] = ga[k] + gb;
        g[2][k] = -gb + gc[k];
        g[3][k] = -gc[k];
    }
    (-nm, g)
}

/// sin Θ from cos Θ, floored as LAMMPS does, and cos Θ / sin Θ.
fn sin_and_cot(c: f64) -> (f64, f64) {
    let s = c.acos().sin().max(MIN_SINE);
    (s, c / s)
}

/// Torsion and conjugation energies of the chains about the bonds this rank counts.
pub fn torsion_energy(atoms: &Atoms, g: &mut BondGraph, p: &Tables, acc: &mut Accum) {
    let (p_tor2, p_tor3, p_tor4, p_cot2) = (p.gp[23], p.gp[24], p.gp[25], p.gp[27]);
    let thb = p.control.thb_cut;
    let nt = p.ntypes();
    if !p.torsion_centres.iter().any(|&c| c) {
        return;
    }
    for kjk in 0..g.bonds.len() {
        let Some((j, k)) = g.counted_from(atoms, kjk) else {
            continue;
        };
        let bjk = g.bonds[kjk];
        let (tj, tk) = (atoms.typ[j] as usize, atoms.typ[k] as usize);
        if bjk.bo <= thb || !p.torsion_centres[tj * nt + tk] {
            continue;
        }
        let (_, b_vec) = bjk.other(j);
        let boa_jk = bjk.bo - thb;
        let dsum = g.atoms.delta_boc[j] + g.atoms.delta_boc[k];
        let exp_tor2_jk = (-p_tor2 * boa_jk).exp();
        let exp_cot2_jk = (-p_cot2 * (boa_jk - 1.5).powi(2)).exp();
        let exp_tor3 = (-p_tor3 * dsum).exp();
        let exp_tor4 = (p_tor4 * dsum).exp();
        let exp_tor34_inv = 1.0 / (1.0 + exp_tor3 + exp_tor4);
        let f11 = (2.0 + exp_tor3) * exp_tor34_inv;
        let dfn11 = (-p_tor3 * exp_tor3
            + (p_tor3 * exp_tor3 - p_tor4 * exp_tor4) * (2.0 + exp_tor3) * exp_tor34_inv)
            * exp_tor34_inv;
        for sj in g.first[j]..g.first[j + 1] {
            let kij = g.adj[sj] as usize;
            if kij == kjk || g.bonds[kij].bo <= thb {
                continue;
            }
            let (i, a_vec) = g.bonds[kij].other(j);
            let ti = atoms.typ[i] as usize;
            let bo_ij = g.bonds[kij].bo;
            let boa_ij = bo_ij - thb;
            // Angle i-j-k at j.
            let (cos_ijk, dci, dck_ijk) = cos_angle(&a_vec, &b_vec);
            let (sin_ijk, cot_ijk) = sin_and_cot(cos_ijk);
            let exp_tor2_ij = (-p_tor2 * boa_ij).exp();
            let exp_cot2_ij = (-p_cot2 * (boa_ij - 1.5).powi(2)).exp();
            for sk in g.first[k]..g.first[k + 1] {
                let kkl = g.adj[sk] as usize;
                if kkl == kjk {
                    continue;
                }
                let bkl = g.bonds[kkl];
                let (l, c_vec) = bkl.other(k);
                if i == l || bkl.bo <= thb || bo_ij * bjk.bo * bkl.bo <= thb {
                    continue;
                }
                let Some(t) = p.torsion(ti, tj, tk, atoms.typ[l] as usize) else {
                    continue;
                };
                let boa_kl = bkl.bo - thb;
                // Angle j-k-l at k: rays k→j = −b and k→l = c.
                let kj = [-b_vec[0], -b_vec[1], -b_vec[2]];
                let (cos_jkl, dcj_jkl, dcl) = cos_angle(&kj, &c_vec);
                let (sin_jkl, cot_jkl) = sin_and_cot(cos_jkl);
                let (cos_w, dw) = cos_dihedral(&a_vec, &b_vec, &c_vec);
                let cos2w = 2.0 * cos_w * cos_w - 1.0;
                let cos3w = cos_w * (4.0 * cos_w * cos_w - 3.0);
                let exp_tor1 = (t.p_tor1 * (2.0 - bjk.bo_pi - f11).powi(2)).exp();
                let exp_tor2_kl = (-p_tor2 * boa_kl).exp();
                let exp_cot2_kl = (-p_cot2 * (boa_kl - 1.5).powi(2)).exp();
                let fn10 = (1.0 - exp_tor2_ij) * (1.0 - exp_tor2_jk) * (1.0 - exp_tor2_kl);
                let cv = 0.5
                    * (t.v1 * (1.0 + cos_w)
                        + t.v2 * exp_tor1 * (1.0 - cos2w)
                        + t.v3 * (1.0 + cos3w));
                let ss = sin_ijk * sin_jkl;
                acc.e.torsion += fn10 * ss * cv;
                let cetors1 = ss * cv;
                let cetors2 = -fn10
                    * 2.0
                    * t.p_tor1
                    * t.v2
                    * exp_tor1
                    * (2.0 - bjk.bo_pi - f11)
                    * (1.0 - cos_w * cos_w)
                    * ss;
                let cetors3 = cetors2 * dfn11;
                let cetors4 =
                    cetors1 * p_tor2 * exp_tor2_ij * (1.0 - exp_tor2_jk) * (1.0 - exp_tor2_kl);
                let cetors5 =
                    cetors1 * p_tor2 * (1.0 - exp_tor2_ij) * exp_tor2_jk * (1.0 - exp_tor2_kl);
                let cetors6 =
                    cetors1 * p_tor2 * (1.0 - exp_tor2_ij) * (1.0 - exp_tor2_jk) * exp_tor2_kl;
                let cmn = -fn10 * cv;
                let cetors7 = cmn * sin_jkl * cot_ijk;
                let cetors8 = cmn * sin_ijk * cot_jkl;
                let cetors9 = fn10
                    * ss
                    * (0.5 * t.v1 - 2.0 * t.v2 * exp_tor1 * cos_w
                        + 1.5 * t.v3 * (cos2w + 2.0 * cos_w * cos_w));
                // Conjugation.
                let fn12 = exp_cot2_ij * exp_cot2_jk * exp_cot2_kl;
                let shape = 1.0 + (cos_w * cos_w - 1.0) * ss;
                acc.e.conjugation += t.p_cot1 * fn12 * shape;
                let cconj = -2.0 * fn12 * t.p_cot1 * p_cot2 * shape;
                let ceconj4 = -t.p_cot1 * fn12 * (cos_w * cos_w - 1.0) * sin_jkl * cot_ijk;
                let ceconj5 = -t.p_cot1 * fn12 * (cos_w * cos_w - 1.0) * sin_ijk * cot_jkl;
                let ceconj6 = 2.0 * t.p_cot1 * fn12 * cos_w * ss;
                // Derivatives.
                g.bonds[kjk].cdbopi += cetors2;
                acc.cd_delta[j] += cetors3;
                acc.cd_delta[k] += cetors3;
                g.bonds[kij].cdbo += cetors4 + cconj * (boa_ij - 1.5);
                g.bonds[kjk].cdbo += cetors5 + cconj * (boa_jk - 1.5);
                g.bonds[kkl].cdbo += cetors6 + cconj * (boa_kl - 1.5);
                let c7 = cetors7 + ceconj4;
                let dcj_ijk = [
                    -dci[0] - dck_ijk[0],
                    -dci[1] - dck_ijk[1],
                    -dci[2] - dck_ijk[2],
                ];
                acc.add(i, c7, &dci);
                acc.add(j, c7, &dcj_ijk);
                acc.add(k, c7, &dck_ijk);
                let c8 = cetors8 + ceconj5;
                let dck_jkl = [
                    -dcj_jkl[0] - dcl[0],
                    -dcj_jkl[1] - dcl[1],
                    -dcj_jkl[2] - dcl[2],
                ];
                acc.add(j, c8, &dcj_jkl);
                acc.add(k, c8, &dck_jkl);
                acc.add(l, c8, &dcl);
                let c9 = cetors9 + ceconj6;
                for (atom, gw) in [i, j, k, l].into_iter().zip(&dw) {
                    acc.add(atom, c9, gw);
                }
            }
        }
    }
}
