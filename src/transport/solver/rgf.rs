//! Block recursive Green's function (RGF) along the transport axis: the scattering region is
//! cut into slices (principal layers of S) that couple only to their neighbours, and the
//! transmission matrix is built by one sweep from L to R, cost linear in the number of slices.
//!
//! With D_j = E − H_jj − Σ_L δ_{j0} − Σ_R δ_{j,N−1} and the left-connected Green's functions
//! g_0 = D_0⁻¹, g_j = (D_j − H_{j,j−1} g_{j−1} H_{j−1,j})⁻¹ (Lake et al., J. Appl. Phys. 81,
//! 7845 (1997); MacKinnon, Z. Phys. B 59, 385 (1985)), the blocks of G = (E − H_S − Σ)⁻¹ that
//! the Caroli formula needs are
//!
//!   G_{N−1,0} = g_{N−1} H_{N−1,N−2} ⋯ H_{1,0} g_0,   G_{0,N−1} = g_0 H_{0,1} ⋯ H_{N−2,N−1} g_{N−1},
//!
//! applied directly to the lead Γ factors (no block is ever inverted explicitly).

use std::collections::VecDeque;

use faer::MatRef;

use crate::error::{Error, Result};
use crate::transport::dense::{frobenius_sq, hermitian_eigenvalues_desc, CMat, Lu, C64};
use crate::transport::problem::scattering::{
    BlochPhases, FourierBlock, SparseMatrix, TransportProblem,
};
use crate::transport::solver::self_energy::LeadCoupling;

/// A block LU pivot below this (relative to the block's largest entry) counts as singular and
/// the block is merged with the next slice.
const PIVOT_TOL: f64 = 1e-10;

/// A partition of the scattering-region orbitals into slices 0..N−1 such that H_S couples only
/// neighbouring slices, the L lead touches only slice 0 and the R lead only slice N−1.
#[derive(Clone, Debug)]
pub struct Slicing {
    /// Orbitals of each slice, ascending within a slice.
    pub slices: Vec<Vec<usize>>,
    /// For each orbital of S: (slice, position within the slice).
    pub position: Vec<(usize, usize)>,
}

impl Slicing {
    /// All of S in one slice: the dense solve.
    pub fn single(n_s: usize) -> Self {
        Self::from_slices(vec![(0..n_s).collect()], n_s)
    }

    fn from_slices(mut slices: Vec<Vec<usize>>, n_s: usize) -> Self {
        for s in &mut slices {
            s.sort_unstable();
        }
        let mut position = vec![(0, 0); n_s];
        for (si, s) in slices.iter().enumerate() {
            for (p, &o) in s.iter().enumerate() {
                position[o] = (si, p);
            }
        }
        Slicing { slices, position }
    }

    /// Slices by breadth-first layering of the orbital graph of H_S (all k together) from the
    /// orbitals the L lead touches; every layer from the first one holding an orbital the R
    /// lead touches onwards is merged into the last slice, and orbitals not connected to L go
    /// there too. Each slice couples only to its neighbours by construction.
    pub fn from_problem(p: &TransportProblem) -> Self {
        let n = p.n_s();
        // Adjacency from every term's entries (repeats are harmless to the search below).
        let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (_, t) in &p.h_s.terms {
            for &(i, j, _) in &t.entries {
                if i != j {
                    adj[i].push(j);
                    adj[j].push(i);
                }
            }
        }
        let touched = |li: usize| -> Vec<usize> {
            let mut r: Vec<usize> = p.leads[li]
                .coupling
                .pattern()
                .into_iter()
                .map(|(i, _)| i)
                .collect();
            r.sort_unstable();
            r.dedup();
            r
        };
        let (tl, tr) = (touched(0), touched(1));
        if n == 0 {
            return Self::from_slices(vec![Vec::new()], 0);
        }
        if tl.is_empty() || tr.is_empty() {
            return Self::single(n);
        }
        let mut layer = vec![usize::MAX; n];
        let mut queue = VecDeque::new();
        for &o in &tl {
            layer[o] = 0;
            queue.push_back(o);
        }
        while let Some(o) = queue.pop_front() {
            for &nb in &adj[o] {
                if layer[nb] == usize::MAX {
                    layer[nb] = layer[o] + 1;
                    queue.push_back(nb);
                }
            }
        }
        let first_r = tr
            .iter()
            .map(|&o| layer[o])
            .filter(|&l| l != usize::MAX)
            .min()
            .unwrap_or(0);
        let last = first_r;
        let mut slices: Vec<Vec<usize>> = vec![Vec::new(); last + 1];
        for (o, &lo) in layer.iter().enumerate() {
            let l = if lo == usize::MAX { last } else { lo.min(last) };
            slices[l].push(o);
        }
        Self::from_slices(slices, n)
    }

    /// Number of slices.
    pub fn len(&self) -> usize {
        self.slices.len()
    }

    /// True when there are no slices.
    pub fn is_empty(&self) -> bool {
        self.slices.is_empty()
    }
}

/// The blocks of H_S in a slicing: dense diagonal blocks H_jj and dense couplings H_{j,j+1}
/// (upper) and H_{j+1,j} (lower), in slice-local indices. The couplings are dense because
/// between the principal layers of a 3-D structure they are (every atom of a layer bonds to
/// several of the next), and dense products go through faer's matrix multiply; for a sparse
/// coupling (a wire) the dense product costs no more than the LU of the next slice.
#[derive(Clone, Debug)]
pub struct SlicedHamiltonian {
    pub diag: Vec<CMat>,
    pub upper: Vec<CMat>,
    pub lower: Vec<CMat>,
}

impl SlicedHamiltonian {
    /// The blocks of H_S(k) = Σ_m H_m e^{ik·m} in `slicing`, cut straight from the Fourier
    /// terms (no merged sparse matrix in between); each entry is accumulated in term order from
    /// zero, as [`FourierBlock::at_k`] does, so the blocks are those of H_S(k) bit for bit. An
    /// entry coupling non-neighbouring slices is an error.
    pub fn at_k(h: &FourierBlock, k: BlochPhases, slicing: &Slicing) -> Result<Self> {
        Self::from_terms(
            h.terms.iter().map(|(m, t)| (k.phase(*m), t)),
            h.nrows,
            slicing,
        )
    }

    fn from_terms<'a>(
        terms: impl Iterator<Item = (C64, &'a SparseMatrix)>,
        n: usize,
        slicing: &Slicing,
    ) -> Result<Self> {
        if n != slicing.position.len() {
            return Err(Error::run(format!(
                "H_S has {n} orbitals, the slicing {}",
                slicing.position.len()
            )));
        }
        let ns = slicing.len();
        let dim = |s: usize| slicing.slices[s].len();
        let mut diag: Vec<CMat> = (0..ns).map(|s| CMat::zeros(dim(s), dim(s))).collect();
        let mut upper: Vec<CMat> = (0..ns.saturating_sub(1))
            .map(|s| CMat::zeros(dim(s), dim(s + 1)))
            .collect();
        let mut lower: Vec<CMat> = (0..ns.saturating_sub(1))
            .map(|s| CMat::zeros(dim(s + 1), dim(s)))
            .collect();
        for (phase, h) in terms {
            for &(i, j, v0) in &h.entries {
                let v = v0 * phase;
                let (si, pi) = slicing.position[i];
                let (sj, pj) = slicing.position[j];
                if si == sj {
                    diag[si][(pi, pj)] += v;
                } else if sj == si + 1 {
                    upper[si][(pi, pj)] += v;
                } else if si == sj + 1 {
                    lower[sj][(pi, pj)] += v;
                } else {
                    return Err(Error::run(format!(
                        "H_S couples orbitals {i} and {j} in non-neighbouring slices {si} and {sj}"
                    )));
                }
            }
        }
        Ok(SlicedHamiltonian { diag, upper, lower })
    }
}

/// Transmission at one energy (and one k).
#[derive(Clone, Debug, PartialEq)]
pub struct Transmission {
    /// T from L into R, Σ|t_{R←L}|².
    pub t_lr: f64,
    /// T from R into L.
    pub t_rl: f64,
    /// Open channels of L and R.
    pub open_l: usize,
    pub open_r: usize,
    /// Eigenvalues of t†t (t = t_{R←L}), descending, one per open channel of L.
    pub tau: Vec<f64>,
}

/// Caroli transmission T = Tr[Γ_L G Γ_R G†] and eigenchannels by RGF (C. Caroli et al.,
/// J. Phys. C 4, 916 (1971)). With Γ_X = W_X W_X† the transmission matrix is
/// t = W_R† G_{N−1,0} W_L, T_LR = ‖t‖²_F, τ_n = eig(t†t); T_RL = ‖W_L† G_{0,N−1} W_R‖²_F.
pub fn rgf_transmission(
    h: &SlicedHamiltonian,
    slicing: &Slicing,
    energy: f64,
    leads: [&LeadCoupling; 2],
) -> Result<Transmission> {
    let ns = slicing.len();
    let (cl, cr) = (leads[0], leads[1]);
    let (open_l, open_r) = (cl.open_channels, cr.open_channels);
    let zero = Transmission {
        t_lr: 0.0,
        t_rl: 0.0,
        open_l,
        open_r,
        tau: vec![0.0; open_l],
    };
    if ns == 0 || cl.orbitals.is_empty() || cr.orbitals.is_empty() || open_l == 0 || open_r == 0 {
        return Ok(zero);
    }
    let last = ns - 1;
    // Lead quantities placed into slice coordinates.
    let place = |c: &LeadCoupling, slice: usize, what: &str| -> Result<Vec<usize>> {
        c.orbitals
            .iter()
            .map(|&o| {
                let (s, p) = slicing.position[o];
                if s == slice {
                    Ok(p)
                } else {
                    Err(Error::run(format!(
                        "{what} lead couples to orbital {o} outside its end slice"
                    )))
                }
            })
            .collect()
    };
    let pl = place(cl, 0, "L")?;
    let pr = place(cr, last, "R")?;
    let ez = C64::new(energy, 0.0);
    let dims: Vec<usize> = slicing.slices.iter().map(Vec::len).collect();
    // Offsets of slices s0..=s1 inside a merged block.
    let offsets = |s0: usize, s1: usize| -> Vec<usize> {
        let mut o = vec![0];
        for d in &dims[s0..=s1] {
            o.push(o[o.len() - 1] + d);
        }
        o
    };
    // D = E − H − Σ on the merged slices s0..=s1 (block tridiagonal inside).
    let d = |s0: usize, s1: usize| -> CMat {
        let o = offsets(s0, s1);
        let n = o[o.len() - 1];
        let mut m = CMat::zeros(n, n);
        for s in s0..=s1 {
            let b = o[s - s0];
            for c in 0..dims[s] {
                for r in 0..dims[s] {
                    m[(b + r, b + c)] = -h.diag[s][(r, c)];
                }
                m[(b + c, b + c)] += ez;
            }
            if s < s1 {
                let b2 = o[s + 1 - s0];
                let (u, l) = (&h.upper[s], &h.lower[s]);
                for c in 0..u.ncols() {
                    for r in 0..u.nrows() {
                        m[(b + r, b2 + c)] -= u[(r, c)];
                    }
                }
                for c in 0..l.ncols() {
                    for r in 0..l.nrows() {
                        m[(b2 + r, b + c)] -= l[(r, c)];
                    }
                }
            }
        }
        if s0 == 0 {
            for (a, &pa) in pl.iter().enumerate() {
                for (b, &pb) in pl.iter().enumerate() {
                    m[(pa, pb)] -= cl.sigma[(a, b)];
                }
            }
        }
        if s1 == last {
            let b0 = o[last - s0];
            for (a, &pa) in pr.iter().enumerate() {
                for (b, &pb) in pr.iter().enumerate() {
                    m[(b0 + pa, b0 + pb)] -= cr.sigma[(a, b)];
                }
            }
        }
        m
    };
    // Sweep over blocks of merged slices; the left-connected Green's function of the current
    // block, g = A⁻¹, is kept as the LU factors of A and only applied (solves cost less than
    // the explicit inverse and its products). A block whose matrix is (nearly) singular — the
    // truncated system L + slices ≤ j has a state at exactly E, as happens at symmetric
    // energies of lattice models — is merged with the next slice until it is not.
    //   A = D − H_{s0,s0−1} g_prev[last, last] H_{s0−1,s0},
    //   P = g[:, first] H_{s0,s0−1} P_prev[last]     (P = G_{block,0} W_L),
    //   Q = g[first, :]† H_{s0−1,s0}† Q_prev[last]    (Q = G_{0,block}† W_L),
    // with g[:, first]·X = A⁻¹·(X in the first rows) and g[first, :]†·X = A⁻†·(X in the first
    // rows); g_prev[last, last]·H = (A_prev⁻¹·(H in the last rows))[last rows].
    let factor = |s0: usize, correction: Option<&CMat>| -> Result<(usize, Lu)> {
        let mut s1 = s0;
        loop {
            let mut a = d(s0, s1);
            if let Some(c) = correction {
                for j in 0..c.ncols() {
                    for i in 0..c.nrows() {
                        a[(i, j)] -= c[(i, j)];
                    }
                }
            }
            match Lu::new(a.as_ref(), "RGF block") {
                Ok(lu) if lu.min_pivot_rel() > PIVOT_TOL || s1 == last => return Ok((s1, lu)),
                Err(e) if s1 == last => return Err(e),
                _ => s1 += 1,
            }
        }
    };
    // X (rows × c) placed at rows `at` of an n-row zero matrix.
    let embed_rows = |x: MatRef<'_, C64>, n: usize, at: usize| -> CMat {
        let mut m = CMat::zeros(n, x.ncols());
        m.as_mut().subrows_mut(at, x.nrows()).copy_from(x);
        m
    };
    let (mut s1, mut lu) = factor(0, None)?;
    let mut s0 = 0;
    let mut nb = offsets(0, s1)[s1 + 1];
    // P, Q of block 0: W_L sits on the L lead's orbitals of slice 0.
    let mut wl = CMat::zeros(nb, open_l);
    for (a, &pa) in pl.iter().enumerate() {
        for c in 0..open_l {
            wl[(pa, c)] = cl.gamma_factor[(a, c)];
        }
    }
    let mut p = lu.solve(wl.as_ref());
    let mut q = lu.solve_adjoint(wl.as_ref());
    while s1 < last {
        let bl = offsets(s0, s1)[s1 - s0];
        let s = s1 + 1;
        // H_{s,s1} g_last H_{s1,s}.
        let y = lu.solve(embed_rows(h.upper[s1].as_ref(), nb, bl).as_ref());
        let corr = &h.lower[s1] * y.as_ref().subrows(bl, dims[s1]);
        let hp = &h.lower[s1] * p.as_ref().subrows(bl, dims[s1]);
        let hq = h.upper[s1].adjoint() * q.as_ref().subrows(bl, dims[s1]);
        let (e, lu_new) = factor(s, Some(&corr))?;
        nb = offsets(s, e)[e - s + 1];
        p = lu_new.solve(embed_rows(hp.as_ref(), nb, 0).as_ref());
        q = lu_new.solve_adjoint(embed_rows(hq.as_ref(), nb, 0).as_ref());
        lu = lu_new;
        s0 = s;
        s1 = e;
    }
    // The rows of the last slice in the last block.
    let o = offsets(s0, s1);
    let bl = o[last - s0];
    let p = p.as_ref().subrows(bl, dims[last]).to_owned();
    let q = q.as_ref().subrows(bl, dims[last]).to_owned();
    let embed = |w: &CMat, pos: &[usize], nj: usize| -> CMat {
        let mut m = CMat::zeros(nj, w.ncols());
        for (a, &pa) in pos.iter().enumerate() {
            for c in 0..w.ncols() {
                m[(pa, c)] = w[(a, c)];
            }
        }
        m
    };
    let wr = embed(&cr.gamma_factor, &pr, dims[last]);
    let t = wr.adjoint() * p.as_ref(); // open_r × open_l
    let t_back = q.adjoint() * wr.as_ref(); // open_l × open_r = W_L† G_{0,N−1} W_R
    let t_lr = frobenius_sq(t.as_ref());
    let t_rl = frobenius_sq(t_back.as_ref());
    let tt = t.adjoint() * t.as_ref();
    let tau = hermitian_eigenvalues_desc(tt.as_ref(), "eigenchannels t†t")?;
    Ok(Transmission {
        t_lr,
        t_rl,
        open_l,
        open_r,
        tau,
    })
}
