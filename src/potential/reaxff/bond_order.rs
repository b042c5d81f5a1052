//! ReaxFF bond orders, as LAMMPS `src/REAXFF/reaxff_bond_orders.cpp` computes them (van Duin et
//! al., J. Phys. Chem. A 105, 9396 (2001), Eqs. 2–4; Chenoweth et al., J. Phys. Chem. A 112,
//! 1040 (2008), supporting information).
//!
//! Uncorrected orders of a pair at distance r, summed over σ, π and ππ:
//!
//! BO'_σ = (1 + c) exp[p_bo1 (r/r_σ)^p_bo2] − c,  BO'_π = exp[p_bo3 (r/r_π)^p_bo4],
//! BO'_ππ = exp[p_bo5 (r/r_ππ)^p_bo6],  BO' = BO'_σ + BO'_π + BO'_ππ,
//!
//! where c is the bond-order cutoff (`0.01 gp.l[29]`); a pair within the bond-list cutoff is a
//! bond when BO' + c ≥ c. With Δ'_i = Σ_j BO'_ij − Val_i the corrected orders are
//!
//! BO = BO' f1 f4 f5,  BO_π = BO'_π f1² f4 f5,  BO_ππ = BO'_ππ f1² f4 f5,  BO_σ = BO − BO_π − BO_ππ,
//!
//! f1 = ½ [(Val_i + f2)/(Val_i + f2 + f3) + (Val_j + f2)/(Val_j + f2 + f3)],
//! f2 = e^(−p_boc1 Δ'_i) + e^(−p_boc1 Δ'_j),  f3 = −(1/p_boc2) ln[½ (e^(−p_boc2 Δ'_i) + e^(−p_boc2 Δ'_j))],
//! f4 = 1 / (1 + exp[−p_boc3 (p_boc4 BO'² − Δ'^boc_i) + p_boc5]),  f5 the same with j,
//!
//! f1 applied only when the pair's `ovc` ≥ 0.001, f4 f5 only when its `v13cor` ≥ 0.001, and
//! Δ'^boc_i = Σ_j BO'_ij − Val^val_i. From the corrected orders follow Δ_i = Σ_j BO_ij − Val_i
//! and the lone-pair quantities of every atom.
//!
//! Forces follow LAMMPS's bookkeeping: each energy term adds ∂E/∂BO, ∂E/∂BO_π, ∂E/∂BO_ππ to the
//! bond (`Cdbo`, `Cdbopi`, `Cdbopi2`) and ∂E/∂Δ to the atom (`CdDelta`); the chain rule through
//! the corrections then needs dΔ'_i = Σ_k dBO'_ik. Across ranks this code does not rely on the
//! ghost shell holding complete bond lists: Δ' and Δ of every ghost come from its owner (a
//! forward), and the per-atom coefficients of ghosts (∂E/∂Δ, ∂E/∂Δ') go back to their owners (a
//! reverse), who apply them over their complete bond lists. The result does not depend on the
//! rank count beyond round-off.

use super::tables::Tables;
use crate::neighbor::NeighborList;
use crate::parallel::Comm;
use crate::system::Atoms;

/// Bonds whose corrected order falls below this are set to zero (LAMMPS, "neglect bonds that
/// are < 1e-10"); their derivative coefficients stay.
const NEGLIGIBLE: f64 = 1e-10;

/// One bond between atoms i < j (local indices, owned or ghost).
#[derive(Clone, Copy, Debug, Default)]
pub struct Bond {
    pub i: u32,
    pub j: u32,
    /// Distance, Å, and x_j − x_i.
    pub r: f64,
    pub d: [f64; 3],
    /// (dBO'/dr)/r, (dBO'_π/dr)/r, (dBO'_ππ/dr)/r: ∂BO'/∂x_i = −g d, ∂BO'/∂x_j = +g d.
    pub g: f64,
    pub g_pi: f64,
    pub g_pi2: f64,
    /// Uncorrected orders BO' (cutoff subtracted), BO'_π, BO'_ππ.
    pub bo_p: f64,
    pub bo_p_pi: f64,
    pub bo_p_pi2: f64,
    /// Corrected orders.
    pub bo: f64,
    pub bo_s: f64,
    pub bo_pi: f64,
    pub bo_pi2: f64,
    /// dBO = c[0] dBO' + c[1] dΔ'_i + c[2] dΔ'_j;
    /// dBO_π = c[3] dBO'_π + c[4] dBO' + c[5] dΔ'_i + c[6] dΔ'_j; c[7..11] the same for ππ
    /// (LAMMPS `C1dbo`..`C4dbopi2`).
    pub c: [f64; 11],
    /// ∂E/∂BO, ∂E/∂BO_π, ∂E/∂BO_ππ accumulated by this rank's energy terms.
    pub cdbo: f64,
    pub cdbopi: f64,
    pub cdbopi2: f64,
}

impl Bond {
    /// The other end of the bond from atom `a`, and the vector from `a` to it.
    pub fn other(&self, a: usize) -> (usize, [f64; 3]) {
        if self.i as usize == a {
            (self.j as usize, self.d)
        } else {
            (self.i as usize, [-self.d[0], -self.d[1], -self.d[2]])
        }
    }
}

/// Per-atom bond-order sums and the lone-pair quantities derived from them, over all atoms held.
#[derive(Clone, Debug, Default)]
pub struct AtomOrders {
    /// Δ' = Σ BO' − Val and Δ'^boc = Σ BO' − Val^val.
    pub deltap: Vec<f64>,
    pub deltap_boc: Vec<f64>,
    /// Σ_j BO_ij (LAMMPS `total_bond_order`).
    pub total: Vec<f64>,
    /// Σ BO − Val, − Val_e, − Val^boc, − Val^val.
    pub delta: Vec<f64>,
    pub delta_e: Vec<f64>,
    pub delta_boc: Vec<f64>,
    pub delta_val: Vec<f64>,
    /// Lone pairs: vlpex = Δ_e − 2 int(Δ_e/2), n_lp, Δ_lp = n_lp,opt − n_lp and dΔ_lp/dΔ.
    pub vlpex: Vec<f64>,
    pub nlp: Vec<f64>,
    pub delta_lp: Vec<f64>,
    pub ddelta_lp: Vec<f64>,
    /// Δ_lp as the over-coordination term uses it (fixed for elements heavier than 21 amu).
    pub delta_lp_temp: Vec<f64>,
}

/// The bonds of all atoms held and their per-atom sums.
#[derive(Clone, Debug, Default)]
pub struct BondGraph {
    pub bonds: Vec<Bond>,
    /// Bonds of atom a: `adj[first[a]..first[a + 1]]` (indices into `bonds`).
    pub first: Vec<usize>,
    pub adj: Vec<u32>,
    pub atoms: AtomOrders,
    count: Vec<usize>,
    /// ∂E/∂Δ' per atom (scratch of `add_gradients`).
    cd_deltap: Vec<f64>,
    /// Ghosts bonded to an owned atom (scratch of `build`).
    near: Vec<bool>,
}

impl BondGraph {
    /// The bond of a pair, if its uncorrected order reaches the cutoff.
    fn uncorrected(p: &Tables, ti: usize, tj: usize, r: f64, d: [f64; 3]) -> Option<Bond> {
        let (ei, ej, tb) = (&p.elements[ti], &p.elements[tj], p.pair(ti, tj));
        let rr2 = 1.0 / (r * r);
        let (mut bo, mut g, mut g_pi, mut g_pi2) = (0.0, 0.0, 0.0, 0.0);
        let (mut pi, mut pi2) = (0.0, 0.0);
        if ei.r_s > 0.0 && ej.r_s > 0.0 {
            let c12 = tb.p_bo1 * (r / tb.r_s).powf(tb.p_bo2);
            let s = (1.0 + p.bo_cut) * c12.exp();
            bo += s;
            g += s * tb.p_bo2 * c12 * rr2;
        }
        if ei.r_pi > 0.0 && ej.r_pi > 0.0 {
            let c34 = tb.p_bo3 * (r / tb.r_p).powf(tb.p_bo4);
            pi = c34.exp();
            g_pi = pi * tb.p_bo4 * c34 * rr2;
        }
        if ei.r_pi_pi > 0.0 && ej.r_pi_pi > 0.0 {
            let c56 = tb.p_bo5 * (r / tb.r_pp).powf(tb.p_bo6);
            pi2 = c56.exp();
            g_pi2 = pi2 * tb.p_bo6 * c56 * rr2;
        }
        bo += pi + pi2;
        (bo >= p.bo_cut).then_some(Bond {
            r,
            d,
            g: g + g_pi + g_pi2,
            g_pi,
            g_pi2,
            bo_p: bo - p.bo_cut,
            bo_p_pi: pi,
            bo_p_pi2: pi2,
            ..Bond::default()
        })
    }

    /// Build the bonds from a half list over all atoms held (ghost–ghost pairs included), with
    /// the uncorrected orders; then Δ' of the owned atoms, forwarded to the ghosts.
    pub fn build(&mut self, atoms: &Atoms, list: &NeighborList, p: &Tables, comm: &mut Comm) {
        let nall = atoms.nall();
        self.bonds.clear();
        let cut2 = p.control.bond_cut * p.control.bond_cut;
        // Bonds between two ghosts are needed only where one end is bonded to an owned atom
        // (the far bond of a torsion); owned rows come first and mark those ghosts.
        self.near.clear();
        self.near.resize(nall, false);
        for i in 0..list.nrows() {
            let xi = atoms.x[i];
            let ti = atoms.typ[i] as usize;
            let owned = i < atoms.nlocal;
            for &j in list.of(i) {
                if !owned && !self.near[i] && !self.near[j as usize] {
                    continue;
                }
                let xj = atoms.x[j as usize];
                let d = [xj[0] - xi[0], xj[1] - xi[1], xj[2] - xi[2]];
                let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                if r2 > cut2 {
                    continue;
                }
                let r = r2.sqrt();
                let tj = atoms.typ[j as usize] as usize;
                if let Some(b) = Self::uncorrected(p, ti, tj, r, d) {
                    if owned {
                        self.near[j as usize] = true;
                    }
                    self.bonds.push(Bond {
                        i: i as u32,
                        j,
                        ..b
                    });
                }
            }
        }
        // Adjacency (CSR) in bond order.
        self.count.clear();
        self.count.resize(nall + 1, 0);
        for b in &self.bonds {
            self.count[b.i as usize + 1] += 1;
            self.count[b.j as usize + 1] += 1;
        }
        for a in 0..nall {
            self.count[a + 1] += self.count[a];
        }
        self.first.clear();
        self.first.extend_from_slice(&self.count);
        self.adj.clear();
        self.adj.resize(self.count[nall], 0);
        for (k, b) in self.bonds.iter().enumerate() {
            for a in [b.i as usize, b.j as usize] {
                self.adj[self.count[a]] = k as u32;
                self.count[a] += 1;
            }
        }
        // Δ' on owned atoms from their complete lists, then on ghosts from their owners.
        let o = &mut self.atoms;
        o.deltap.clear();
        o.deltap.resize(nall, 0.0);
        for a in 0..atoms.nlocal {
            let s: f64 = self.bonds_of(a).map(|k| self.bonds[k].bo_p).sum();
            self.atoms.deltap[a] = s;
        }
        comm.forward(&mut self.atoms.deltap, 1);
        let o = &mut self.atoms;
        o.deltap_boc.clear();
        o.deltap_boc.resize(nall, 0.0);
        for a in 0..nall {
            let e = &p.elements[atoms.typ[a] as usize];
            o.deltap_boc[a] = o.deltap[a] - e.valency_val;
            o.deltap[a] -= e.valency;
        }
    }

    /// Whether this rank counts bond `k` once for the system, and from which end: `(a, b)`
    /// with `a` owned. Of two owned ends the lower atom id is `a`; an owned–ghost bond is
    /// counted on the rank whose owned end has the lower id (for an atom bonded to its own
    /// periodic image, where the image lies above in z, then y, then x), as LAMMPS counts bond
    /// and torsion terms.
    pub fn counted_from(&self, atoms: &Atoms, k: usize) -> Option<(usize, usize)> {
        let b = &self.bonds[k];
        let (i, j) = (b.i as usize, b.j as usize);
        let n = atoms.nlocal;
        let (a, g) = match (i < n, j < n) {
            (true, true) => {
                return Some(if atoms.id[i] < atoms.id[j] {
                    (i, j)
                } else {
                    (j, i)
                });
            }
            (true, false) => (i, j),
            (false, true) => (j, i),
            (false, false) => return None,
        };
        let (ta, tg) = (atoms.id[a], atoms.id[g]);
        let above = |x: &[f64; 3], y: &[f64; 3]| (x[2], x[1], x[0]) > (y[2], y[1], y[0]);
        (ta < tg || (ta == tg && above(&atoms.x[g], &atoms.x[a]))).then_some((a, g))
    }

    /// Indices of the bonds of atom `a`.
    pub fn bonds_of(&self, a: usize) -> impl Iterator<Item = usize> + '_ {
        self.adj[self.first[a]..self.first[a + 1]]
            .iter()
            .map(|&k| k as usize)
    }

    /// Corrected orders of every bond and their derivative coefficients, Δ of the owned atoms
    /// (forwarded to the ghosts) and the lone-pair quantities of every atom held.
    pub fn correct(&mut self, atoms: &Atoms, p: &Tables, comm: &mut Comm) {
        let (p1, p2) = (p.gp[0], p.gp[1]);
        let o = &self.atoms;
        for b in &mut self.bonds {
            let (i, j) = (b.i as usize, b.j as usize);
            let (ti, tj) = (atoms.typ[i] as usize, atoms.typ[j] as usize);
            let tb = p.pair(ti, tj);
            let (val_i, val_j) = (p.elements[ti].valency, p.elements[tj].valency);
            let (bo_p, bo_p_pi, bo_p_pi2) = (b.bo_p, b.bo_p_pi, b.bo_p_pi2);
            b.cdbo = 0.0;
            b.cdbopi = 0.0;
            b.cdbopi2 = 0.0;
            if tb.ovc < 0.001 && tb.v13cor < 0.001 {
                b.bo = bo_p;
                b.bo_pi = bo_p_pi;
                b.bo_pi2 = bo_p_pi2;
                b.bo_s = bo_p - bo_p_pi - bo_p_pi2;
                b.c = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0];
            } else {
                let (dpi, dpj) = (o.deltap[i], o.deltap[j]);
                // f1 and its derivatives ∂f1/∂Δ'_i, ∂f1/∂Δ'_j.
                let (f1, df1_i, df1_j) = if tb.ovc >= 0.001 {
                    let (e1i, e1j) = ((-p1 * dpi).exp(), (-p1 * dpj).exp());
                    let (e2i, e2j) = ((-p2 * dpi).exp(), (-p2 * dpj).exp());
                    let f2 = e1i + e1j;
                    let f3 = -1.0 / p2 * (0.5 * (e2i + e2j)).ln();
                    let (ui, uj) = (val_i + f2 + f3, val_j + f2 + f3);
                    let f1 = 0.5 * ((val_i + f2) / ui + (val_j + f2) / uj);
                    // d[(V + f2)/(V + f2 + f3)] = df2/u − (V + f2)(df2 + df3)/u².
                    let part = |df2: f64, df3: f64| {
                        0.5 * (df2 / ui - (val_i + f2) / (ui * ui) * (df2 + df3) + df2 / uj
                            - (val_j + f2) / (uj * uj) * (df2 + df3))
                    };
                    let s = e2i + e2j;
                    (f1, part(-p1 * e1i, e2i / s), part(-p1 * e1j, e2j / s))
                } else {
                    (1.0, 0.0, 0.0)
                };
                // f4, f5 and ∂ln f4/∂(...) factors (LAMMPS Cf45).
                let (f4, f5, cf45_i, cf45_j) = if tb.v13cor >= 0.001 {
                    let arg = tb.p_boc4 * bo_p * bo_p;
                    let e4 = (-(arg - o.deltap_boc[i]) * tb.p_boc3 + tb.p_boc5).exp();
                    let e5 = (-(arg - o.deltap_boc[j]) * tb.p_boc3 + tb.p_boc5).exp();
                    let (f4, f5) = (1.0 / (1.0 + e4), 1.0 / (1.0 + e5));
                    (f4, f5, -f4 * e4, -f5 * e5)
                } else {
                    (1.0, 1.0, 0.0, 0.0)
                };
                let a0 = f1 * f4 * f5;
                let a1 = -2.0 * tb.p_boc3 * tb.p_boc4 * bo_p * (cf45_i + cf45_j);
                let a2_i = df1_i / f1 + tb.p_boc3 * cf45_i;
                let a2_j = df1_j / f1 + tb.p_boc3 * cf45_j;
                let a3_i = a2_i + df1_i / f1;
                let a3_j = a2_j + df1_j / f1;
                b.bo = bo_p * a0;
                b.bo_pi = bo_p_pi * a0 * f1;
                b.bo_pi2 = bo_p_pi2 * a0 * f1;
                b.bo_s = b.bo - (b.bo_pi + b.bo_pi2);
                let c1pi = f1 * f1 * f4 * f5;
                b.c = [
                    a0 + b.bo * a1,
                    b.bo * a2_i,
                    b.bo * a2_j,
                    c1pi,
                    b.bo_pi * a1,
                    b.bo_pi * a3_i,
                    b.bo_pi * a3_j,
                    c1pi,
                    b.bo_pi2 * a1,
                    b.bo_pi2 * a3_i,
                    b.bo_pi2 * a3_j,
                ];
            }
            for v in [&mut b.bo, &mut b.bo_s, &mut b.bo_pi, &mut b.bo_pi2] {
                if *v < NEGLIGIBLE {
                    *v = 0.0;
                }
            }
        }
        let nall = atoms.nall();
        let o = &mut self.atoms;
        o.total.clear();
        o.total.resize(nall, 0.0);
        for a in 0..atoms.nlocal {
            let s: f64 = self.adj[self.first[a]..self.first[a + 1]]
                .iter()
                .map(|&k| self.bonds[k as usize].bo)
                .sum();
            self.atoms.total[a] = s;
        }
        comm.forward(&mut self.atoms.total, 1);
        self.lone_pairs(atoms, p);
    }

    /// Δ, Δ_e, Δ^boc, Δ^val and the lone-pair quantities of every atom held (LAMMPS, end of
    /// `BO`): n_lp = exp[−p_lp1 (2 + vlpex)²] − int(Δ_e/2), Δ_lp = n_lp,opt − n_lp.
    fn lone_pairs(&mut self, atoms: &Atoms, p: &Tables) {
        let nall = atoms.nall();
        let o = &mut self.atoms;
        for v in [
            &mut o.delta,
            &mut o.delta_e,
            &mut o.delta_boc,
            &mut o.delta_val,
            &mut o.vlpex,
            &mut o.nlp,
            &mut o.delta_lp,
            &mut o.ddelta_lp,
            &mut o.delta_lp_temp,
        ] {
            v.clear();
            v.resize(nall, 0.0);
        }
        for a in 0..nall {
            let e = &p.elements[atoms.typ[a] as usize];
            let t = o.total[a];
            o.delta[a] = t - e.valency;
            o.delta_e[a] = t - e.valency_e;
            o.delta_boc[a] = t - e.valency_boc;
            o.delta_val[a] = t - e.valency_val;
            let half = (o.delta_e[a] / 2.0).trunc();
            o.vlpex[a] = o.delta_e[a] - 2.0 * half;
            let explp1 = (-p.gp[15] * (2.0 + o.vlpex[a]).powi(2)).exp();
            o.nlp[a] = explp1 - half;
            o.delta_lp[a] = e.n_lp_opt - o.nlp[a];
            o.ddelta_lp[a] = 2.0 * p.gp[15] * explp1 * (2.0 + o.vlpex[a]);
            o.delta_lp_temp[a] = if e.mass > 21.0 {
                e.n_lp_opt - 0.5 * (e.valency_e - e.valency)
            } else {
                o.delta_lp[a]
            };
        }
    }

    /// Turn the accumulated ∂E/∂BO coefficients of the bonds and ∂E/∂Δ of the atoms
    /// (`cd_delta`, over all atoms held, ghosts' parts summed to their owners here) into
    /// gradients (`grad`, kcal/mol/Å, over all atoms held; the caller sums ghosts back).
    pub fn add_gradients(
        &mut self,
        nlocal: usize,
        cd_delta: &mut [f64],
        grad: &mut [[f64; 3]],
        comm: &mut Comm,
    ) {
        comm.reverse(cd_delta, 1);
        for (a, &c) in cd_delta.iter().enumerate().take(nlocal) {
            if c != 0.0 {
                for s in self.first[a]..self.first[a + 1] {
                    self.bonds[self.adj[s] as usize].cdbo += c;
                }
            }
        }
        // ∂E/∂Δ' per atom, from every bond's corrections.
        let mut cp = std::mem::take(&mut self.cd_deltap);
        cp.clear();
        cp.resize(grad.len(), 0.0);
        for b in &self.bonds {
            let (cb, cpi, cpi2) = (b.cdbo, b.cdbopi, b.cdbopi2);
            if cb == 0.0 && cpi == 0.0 && cpi2 == 0.0 {
                continue;
            }
            let c = &b.c;
            let a = cb * c[0] + cpi * c[4] + cpi2 * c[8];
            let s = a * b.g + cpi * c[3] * b.g_pi + cpi2 * c[7] * b.g_pi2;
            let (i, j) = (b.i as usize, b.j as usize);
            along(grad, i, j, s, &b.d);
            cp[i] += cb * c[1] + cpi * c[5] + cpi2 * c[9];
            cp[j] += cb * c[2] + cpi * c[6] + cpi2 * c[10];
        }
        comm.reverse(&mut cp, 1);
        for (a, &c) in cp.iter().enumerate().take(nlocal) {
            if c == 0.0 {
                continue;
            }
            for s in self.first[a]..self.first[a + 1] {
                let b = &self.bonds[self.adj[s] as usize];
                along(grad, b.i as usize, b.j as usize, c * b.g, &b.d);
            }
        }
        self.cd_deltap = cp;
    }
}

/// grad_i −= s d, grad_j += s d: the gradient of a function of one bond's length, with
/// s = (∂f/∂r)/r and d = x_j − x_i.
fn along(grad: &mut [[f64; 3]], i: usize, j: usize, s: f64, d: &[f64; 3]) {
    for (k, dk) in d.iter().enumerate() {
        grad[i][k] -= s * dk;
        grad[j][k] += s * dk;
    }
}
