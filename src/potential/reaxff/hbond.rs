//! The hydrogen-bond energy of ReaxFF for donor i – hydrogen j – acceptor k with j owned, as
//! LAMMPS `src/REAXFF/reaxff_hydrogen_bonds.cpp` computes it (Chenoweth et al. 2008, SI Eq. 18):
//!
//! E_hb = p_hb1 [1 − exp(−p_hb2 BO_ij)] exp[−p_hb3 (r_hb/r_jk + r_jk/r_hb − 2)] sin⁴(Θ_ijk/2),
//!
//! over the donors bonded to j (`p_hbond` = 2, BO ≥ 0.01) and the acceptors within the
//! hydrogen-bond cutoff (`p_hbond` = 2, not the donor's atom).

use super::bond_order::BondGraph;
use super::energies::{cos_angle, Accum};
use super::tables::Tables;
use crate::neighbor::NeighborList;
use crate::system::Atoms;

/// LAMMPS's least donor–hydrogen bond order (`HB_THRESHOLD`).
const HB_THRESHOLD: f64 = 1e-2;

/// Hydrogen-bond energies of the owned hydrogens; `list` is a full list over owned atoms at
/// the hydrogen-bond cutoff.
pub fn hbond_energy(
    atoms: &Atoms,
    g: &mut BondGraph,
    p: &Tables,
    list: &NeighborList,
    acc: &mut Accum,
) {
    let cut2 = p.control.hbond_cut * p.control.hbond_cut;
    let kind = |a: usize| p.elements[atoms.typ[a] as usize].p_hbond;
    let mut donors = Vec::new();
    for j in 0..atoms.nlocal {
        if kind(j) != 1 {
            continue;
        }
        donors.clear();
        for s in g.first[j]..g.first[j + 1] {
            let k = g.adj[s] as usize;
            let (i, _) = g.bonds[k].other(j);
            if kind(i) == 2 && g.bonds[k].bo >= HB_THRESHOLD {
                donors.push(k);
            }
        }
        if donors.is_empty() {
            continue;
        }
        let tj = atoms.typ[j] as usize;
        let xj = atoms.x[j];
        for &kk in list.of(j) {
            let k = kk as usize;
            if kind(k) != 2 {
                continue;
            }
            let xk = atoms.x[k];
            let djk = [xk[0] - xj[0], xk[1] - xj[1], xk[2] - xj[2]];
            let r2 = djk[0] * djk[0] + djk[1] * djk[1] + djk[2] * djk[2];
            if r2 > cut2 {
                continue;
            }
            let r_jk = r2.sqrt();
            for &kb in &donors {
                let (i, dji) = g.bonds[kb].other(j);
                if atoms.id[i] == atoms.id[k] {
                    continue;
                }
                let ti = atoms.typ[i] as usize;
                let Some(h) = p.hbond(ti, tj, atoms.typ[k] as usize) else {
                    continue;
                };
                if h.r0_hb <= 0.0 {
                    continue;
                }
                let bo = g.bonds[kb].bo;
                let (cos_t, dci, dck) = cos_angle(&dji, &djk);
                let theta = cos_t.acos();
                let sin_half = (theta / 2.0).sin();
                let sin4 = sin_half.powi(4);
                let exp_hb2 = (-h.p_hb2 * bo).exp();
                let exp_hb3 = (-h.p_hb3 * (h.r0_hb / r_jk + r_jk / h.r0_hb - 2.0)).exp();
                let e_hb = h.p_hb1 * (1.0 - exp_hb2) * exp_hb3 * sin4;
                acc.e.hbond += e_hb;
                let cehb1 = h.p_hb1 * h.p_hb2 * exp_hb2 * exp_hb3 * sin4;
                let cehb2 = -h.p_hb1 / 2.0 * (1.0 - exp_hb2) * exp_hb3 * (1.0 - cos_t);
                let cehb3 = -h.p_hb3 * (-h.r0_hb / (r_jk * r_jk) + 1.0 / h.r0_hb) * e_hb;
                g.bonds[kb].cdbo += cehb1;
                let dcj = [-dci[0] - dck[0], -dci[1] - dck[1], -dci[2] - dck[2]];
                acc.add(i, cehb2, &dci);
                acc.add(j, cehb2, &dcj);
                acc.add(k, cehb2, &dck);
                acc.add(j, -cehb3 / r_jk, &djk);
                acc.add(k, cehb3 / r_jk, &djk);
            }
        }
    }
}
