//! Explicit Runge–Kutta steps of the driven Liouville–von Neumann equation
//! ([`super::liouville`]) on ρ's upper triangle, O(n²) per step.
//!
//! ρ = A + iB is Hermitian: A is symmetric and B antisymmetric. A step stores and updates only
//! the entries j ≥ i and reads the others through A_ji = A_ij, B_ji = −B_ij: half the work and
//! memory traffic of the full matrix, and ρ_ji ≡ conj ρ_ij exactly ([`Density::fill_lower`]
//! writes the lower triangle back when a step sequence ends). With H real and band-diagonal of
//! range r (`Banded`),
//!
//!   dA_ij/dt = [H, B]_ij/ħ + Re S_ij,   dB_ij/dt = −[H, A]_ij/ħ + Im S_ij,
//!   [H, X]_ij = Σ_{k=1..r} (H_{i,i+k} X_{i+k,j} + H_{i−k,i} X_{i−k,j} − X_{i,j−k} H_{j−k,j}
//!                           − X_{i,j+k} H_{j,j+k}),
//!
//! 4r multiply-adds per entry and matrix, S_ij = −(Γ/2ħ)(w_i + w_j)(ρ − ρ⁰)_ij as in
//! [`super::liouville`].
//!
//! The methods ([`Integrator`]) are explicit Runge–Kutta methods whose stage s takes
//! y + h·a_s·k_{s−1} (one entry of the tableau below the diagonal per row): the classical
//! fourth-order method, and an eight-stage fourth-order method (RK48) whose stability reaches
//! 4√3 along the imaginary axis, where the Liouville operator's eigenvalues lie. A step needs no
//! stored stages: one pass over the rows per stage computes row i of k_s, adds h·b_s·k_s to the
//! new state and writes row i of the next stage's input. The rows of k live in two row
//! buffers; the work matrices are the new state and the stage inputs' rings. (Kutta's
//! third-order method and the midpoint rule were measured and dropped: the first needs two
//! earlier stages and costs more per fs at its stability limit, the second grows on the
//! imaginary axis; bench/ehrenfest/README.md.)

use crate::transport::ehrenfest::chain::Banded;
use crate::transport::ehrenfest::liouville::{Density, OpenBoundary};
use crate::units::HBAR_EV_PS;

pub use crate::transport::ehrenfest::tableau::Integrator;

/// Upper bound of the spectral radius of ρ ↦ [H, ρ]/ħ (per ps): 2 max_i Σ_j |H_ij| / ħ
/// (Gershgorin's bound on H's spectrum, whose width the commutator's eigenvalues E_a − E_b
/// cannot exceed).
pub fn commutator_radius(h: &Banded) -> f64 {
    let n = h.n();
    let mut rows = vec![0.0f64; n];
    for (kk, d) in h.off.iter().enumerate() {
        let k = kk + 1;
        for (i, &v) in d.iter().enumerate() {
            rows[i] += v.abs();
            rows[i + k] += v.abs();
        }
    }
    2.0 * rows.iter().fold(0.0f64, |a, &b| a.max(b)) / HBAR_EV_PS
}

/// Work space of the steps.
pub struct Propagator {
    pub method: Integrator,
    /// Rows of the inputs of stages 2, 3, … (the last few computed of each).
    rings: Vec<Ring>,
    /// y + h Σ b_s k_s so far; the new state at the end of the step.
    next: Density,
    /// Row i of k_s (real and imaginary parts), entries j ≥ i.
    k_re: Vec<f64>,
    k_im: Vec<f64>,
    /// Each stage's H diagonals divided by ħ (per ps).
    d: Vec<Vec<Vec<f64>>>,
    /// w_i: 1 on the electrode sites, 0 in the device.
    w: Vec<f64>,
    /// The runs of equal w: (first site, end, w).
    runs: Vec<(usize, usize, f64)>,
}

/// The last `m` rows of a stage input, row p in slot p mod m (all n columns; j ≥ p used).
struct Ring {
    m: usize,
    n: usize,
    re: Vec<f64>,
    im: Vec<f64>,
}

impl Ring {
    fn new(m: usize, n: usize) -> Self {
        Ring {
            m,
            n,
            re: vec![0.0; m * n],
            im: vec![0.0; m * n],
        }
    }

    #[inline(always)]
    fn slot(&self, p: usize) -> std::ops::Range<usize> {
        let s = p % self.m;
        s * self.n..(s + 1) * self.n
    }
}

/// A stage input's rows: ρ itself, or a ring.
#[derive(Clone, Copy)]
enum Rows<'a> {
    Full(&'a Density),
    Ring(&'a Ring),
}

impl<'a> Rows<'a> {
    /// (A_pq, B_pq), read from the upper triangle.
    #[inline(always)]
    fn at(self, p: usize, q: usize) -> (f64, f64) {
        if p <= q {
            let (a, b) = self.row(p);
            (a[q], b[q])
        } else {
            let (a, b) = self.row(q);
            (a[p], -b[p])
        }
    }

    /// Row p: (Re, Im), all n columns.
    #[inline(always)]
    fn row(self, p: usize) -> (&'a [f64], &'a [f64]) {
        match self {
            Rows::Full(x) => {
                let r = p * x.n..(p + 1) * x.n;
                (&x.re[r.clone()], &x.im[r])
            }
            Rows::Ring(g) => {
                let r = g.slot(p);
                (&g.re[r.clone()], &g.im[r])
            }
        }
    }
}

impl Propagator {
    /// Work space for n sites.
    pub fn new(method: Integrator, n: usize) -> Self {
        Propagator {
            method,
            rings: Vec::new(),
            next: Density::zeros(n),
            k_re: vec![0.0; n],
            k_im: vec![0.0; n],
            d: Vec::new(),
            w: vec![0.0; n],
            runs: Vec::new(),
        }
    }

    /// One step of `dt_ps`: ρ(t) → ρ(t + dt) on the upper triangle, with H(s) from `h_at(c)` at
    /// the stage times t + c·dt (c from [`Integrator::stage_times`]); returns ∫ P_S dt over the
    /// step (eV). ρ's lower triangle is left stale: call [`Density::fill_lower`] before reading
    /// it.
    ///
    /// The stages run as a wavefront over the rows: row i of stage s needs rows i − r … i + r of
    /// its input (r the band's range), so stage s works r rows behind stage s − 1 and each
    /// stage input lives in a ring of 2r + 2 rows. A row of ρ is then read from memory and the
    /// new row written once per step, while the rings stay in cache.
    pub fn step<'h>(
        &mut self,
        rho: &mut Density,
        h_at: &dyn Fn(f64) -> &'h Banded,
        ob: Option<&OpenBoundary>,
        dt_ps: f64,
    ) -> f64 {
        let n = rho.n;
        for (i, w) in self.w.iter_mut().enumerate() {
            *w = match ob {
                Some(ob) if ob.lead_of(i).is_some() => 1.0,
                _ => 0.0,
            };
        }
        self.runs.clear();
        for (i, &w) in self.w.iter().enumerate() {
            match self.runs.last_mut() {
                Some(last) if last.2 == w => last.1 = i + 1,
                _ => self.runs.push((i, i + 1, w)),
            }
        }
        let (ta, tb) = self.method.tableau();
        let stages = ta.len();
        self.d.resize_with(stages, Vec::new);
        let mut r = 0;
        for (d, &c) in self.d.iter_mut().zip(ta) {
            let h = h_at(c);
            r = h.off.len();
            d.clear();
            d.extend(
                h.off
                    .iter()
                    .map(|v| v.iter().map(|x| x / HBAR_EV_PS).collect()),
            );
        }
        let m = 2 * r + 2;
        if self.rings.len() != stages - 1 || self.rings.iter().any(|g| g.m != m || g.n != n) {
            self.rings = (1..stages).map(|_| Ring::new(m, n)).collect();
        }
        let mut work = 0.0;
        pulp::Arch::new().dispatch(Wavefront {
            a: ta,
            b: tb,
            dt: dt_ps,
            r,
            d: &self.d,
            ob,
            w: &self.w,
            runs: &self.runs,
            y: rho,
            rings: &mut self.rings,
            next: &mut self.next,
            k_re: &mut self.k_re,
            k_im: &mut self.k_im,
            work: &mut work,
        });
        std::mem::swap(rho, &mut self.next);
        work
    }
}

/// One step's pass over the rows, compiled for the widest vector unit the CPU has (by
/// `pulp`'s run-time dispatch; the arithmetic is the same in every case, no fused
/// multiply-adds, so results do not depend on it).
struct Wavefront<'a> {
    a: &'a [f64],
    b: &'a [f64],
    dt: f64,
    r: usize,
    d: &'a [Vec<Vec<f64>>],
    ob: Option<&'a OpenBoundary>,
    w: &'a [f64],
    runs: &'a [(usize, usize, f64)],
    y: &'a Density,
    rings: &'a mut [Ring],
    next: &'a mut Density,
    k_re: &'a mut [f64],
    k_im: &'a mut [f64],
    work: &'a mut f64,
}

impl pulp::WithSimd for Wavefront<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        let Wavefront {
            a: ta,
            b: tb,
            dt,
            r,
            d,
            ob,
            w,
            runs,
            y,
            rings,
            next,
            k_re,
            k_im,
            work,
        } = self;
        let n = y.n;
        let stages = tb.len();
        let last = stages - 1;
        for t in 0..n + last * r {
            for s in 0..stages {
                // Stage s is s·r rows behind stage 0.
                if t < s * r || t - s * r >= n {
                    continue;
                }
                let i = t - s * r;
                // Stage s reads ring s − 1 (ρ itself for the first) and writes ring s.
                let (done, ahead) = rings.split_at_mut(s);
                let x = match done.last() {
                    None => Rows::Full(y),
                    Some(g) => Rows::Ring(g),
                };
                let out = if s < last { ahead.first_mut() } else { None };
                let stage = Stage {
                    d: &d[s],
                    ob,
                    w,
                    runs,
                    x,
                    n,
                };
                let (kr, ki) = (&mut k_re[..n - i], &mut k_im[..n - i]);
                *work += dt * tb[s] * stage.power_row(i);
                stage.k_row(i, kr, ki);
                let row = i * n + i..(i + 1) * n;
                accumulate(next, y, row.clone(), s == 0, dt * tb[s], kr, ki);
                if let Some(out) = out {
                    let a = dt * ta[s + 1];
                    let slot = out.slot(i);
                    let (ore, oim) = (&mut out.re[slot.clone()], &mut out.im[slot]);
                    for ((o, &yv), &k) in ore[i..].iter_mut().zip(&y.re[row.clone()]).zip(&*kr) {
                        *o = yv + a * k;
                    }
                    for ((o, &yv), &k) in oim[i..].iter_mut().zip(&y.im[row]).zip(&*ki) {
                        *o = yv + a * k;
                    }
                }
            }
        }
    }
}

/// next_ij = (y or next)_ij + h·b·k_ij over `row` (entries j ≥ i of one row).
#[inline(always)]
fn accumulate(
    next: &mut Density,
    y: &Density,
    row: std::ops::Range<usize>,
    first: bool,
    bdt: f64,
    kr: &[f64],
    ki: &[f64],
) {
    for (part, base, k) in [(&mut next.re, &y.re, kr), (&mut next.im, &y.im, ki)] {
        let out = &mut part[row.clone()];
        if first {
            for ((o, &yv), &kv) in out.iter_mut().zip(&base[row.clone()]).zip(k) {
                *o = yv + bdt * kv;
            }
        } else {
            for (o, &kv) in out.iter_mut().zip(k) {
                *o += bdt * kv;
            }
        }
    }
}

/// One stage at one row: its H, its input's rows.
struct Stage<'a> {
    d: &'a [Vec<f64>],
    ob: Option<&'a OpenBoundary>,
    w: &'a [f64],
    /// The runs of equal w: (first site, end, w).
    runs: &'a [(usize, usize, f64)],
    x: Rows<'a>,
    n: usize,
}

impl Stage<'_> {
    /// Row i of k = dρ/dt at x, entries j = i..n.
    #[inline(always)]
    fn k_row(&self, i: usize, kr: &mut [f64], ki: &mut [f64]) {
        let (n, x) = (self.n, self.x);
        commutator_rows(self.d, x, n, i, kr, ki);
        if let Some(ob) = self.ob {
            let g = ob.gamma_ev / (2.0 * HBAR_EV_PS);
            let wi = self.w[i];
            let (xr, xi) = x.row(i);
            // w is constant on runs of sites: one scaled add per run (none where w_i + w_j = 0).
            for &(lo, hi, wj) in self.runs {
                let (start, end) = (lo.max(i), hi);
                let c = -g * (wi + wj);
                if start >= end || c == 0.0 {
                    continue;
                }
                let seg = start - i..end - i;
                for (r, &a) in kr[seg.clone()].iter_mut().zip(&xr[start..end]) {
                    *r += c * a;
                }
                for (m, &b) in ki[seg].iter_mut().zip(&xi[start..end]) {
                    *m += c * b;
                }
            }
            if let Some(a) = ob.lead_of(i) {
                let l = &ob.leads[a];
                let m = l.len();
                let r0 = &ob.rho0[a][(i - l.start) * m..(i - l.start + 1) * m];
                for (r, &v) in kr[..l.end - i].iter_mut().zip(&r0[i - l.start..]) {
                    *r += 2.0 * g * v;
                }
            }
        }
    }

    /// Row i's share of P_S = Tr{S H} = Σ_bonds 2 H_ij Re S_ij (eV/ps): its bonds j = i + k
    /// (0 without open boundaries).
    #[inline(always)]
    fn power_row(&self, i: usize) -> f64 {
        let Some(ob) = self.ob else {
            return 0.0;
        };
        let g = ob.gamma_ev / (2.0 * HBAR_EV_PS);
        let xr = self.x.row(i).0;
        let mut p = 0.0;
        for (kk, dk) in self.d.iter().enumerate() {
            let j = i + kk + 1;
            if j >= self.n {
                break;
            }
            let ww = self.w[i] + self.w[j];
            if ww != 0.0 {
                p += 2.0 * dk[i] * HBAR_EV_PS * (-g * ww * (xr[j] - ob.rho0(i, j)));
            }
        }
        p
    }
}

/// Row i of the commutator terms, j = i..n: kr = [H, B]_i·, ki = −[H, A]_i·, with `d` = H's
/// diagonals and A, B stored as their upper triangles (A_ji = A_ij, B_ji = −B_ij).
#[inline(always)]
fn commutator_rows(d: &[Vec<f64>], x: Rows, n: usize, i: usize, kr: &mut [f64], ki: &mut [f64]) {
    let r = d.len();
    // Entries j in j0..j1 read X only on or above the diagonal and never past its edge.
    let j0 = (i + r).min(n);
    let j1 = n.saturating_sub(r).max(j0);
    match r {
        1 => commutator_interior::<1>(d, x, i, j0, j1, kr, ki),
        2 => commutator_interior::<2>(d, x, i, j0, j1, kr, ki),
        _ => commutator_entries(d, x, n, i, j0..j1, kr, ki),
    }
    commutator_entries(d, x, n, i, i..j0, kr, ki);
    commutator_entries(d, x, n, i, j1..n, kr, ki);
}

/// kr[j − i] = [H, B]_ij and ki[j − i] = −[H, A]_ij for j in `cols`, entry by entry with
/// every bound checked.
#[inline(always)]
fn commutator_entries(
    d: &[Vec<f64>],
    x: Rows,
    n: usize,
    i: usize,
    cols: std::ops::Range<usize>,
    kr: &mut [f64],
    ki: &mut [f64],
) {
    for j in cols {
        let (mut sb, mut sa) = (0.0, 0.0);
        for (kk, dk) in d.iter().enumerate() {
            let k = kk + 1;
            if i + k < n {
                let (a, b) = x.at(i + k, j);
                sb += dk[i] * b;
                sa += dk[i] * a;
            }
            if i >= k {
                let (a, b) = x.at(i - k, j);
                sb += dk[i - k] * b;
                sa += dk[i - k] * a;
            }
            if j >= k {
                let (a, b) = x.at(i, j - k);
                sb -= b * dk[j - k];
                sa -= a * dk[j - k];
            }
            if j + k < n {
                let (a, b) = x.at(i, j + k);
                sb -= b * dk[j];
                sa -= a * dk[j];
            }
        }
        kr[j - i] = sb;
        ki[j - i] = -sa;
    }
}

/// kr[j − i] = [H, B]_ij and ki[j − i] = −[H, A]_ij for j in j0..j1 (j0 ≥ i + R,
/// j1 ≤ n − R), H of range R: the 4R terms of each entry of both in one pass over the row, in
/// blocks the compiler vectorises.
#[inline(always)]
fn commutator_interior<const R: usize>(
    d: &[Vec<f64>],
    x: Rows,
    i: usize,
    j0: usize,
    j1: usize,
    kr: &mut [f64],
    ki: &mut [f64],
) {
    if j1 <= j0 {
        return;
    }
    let len = j1 - j0;
    // Rows i + k and i − k (a row above the first is given weight 0); row i shifted by ∓k,
    // with H_{j−k,j} and H_{j,j+k}; every stream starts at column j0 and holds len entries.
    let (ar, br) = x.row(i);
    let s = Streams::<R> {
        up: std::array::from_fn(|k| {
            let (a, b) = x.row(i + k + 1);
            (&a[j0..j1], &b[j0..j1])
        }),
        dn: std::array::from_fn(|k| {
            let (a, b) = x.row(if i > k { i - k - 1 } else { i + k + 1 });
            (&a[j0..j1], &b[j0..j1])
        }),
        hu: std::array::from_fn(|k| d[k][i]),
        hd: std::array::from_fn(|k| if i > k { d[k][i - k - 1] } else { 0.0 }),
        m: std::array::from_fn(|k| (&ar[j0 - k - 1..j1 - k - 1], &br[j0 - k - 1..j1 - k - 1])),
        p: std::array::from_fn(|k| (&ar[j0 + k + 1..j1 + k + 1], &br[j0 + k + 1..j1 + k + 1])),
        hm: std::array::from_fn(|k| &d[k][j0 - k - 1..j1 - k - 1]),
        hp: std::array::from_fn(|k| &d[k][j0..j1]),
    };
    const LANES: usize = 8;
    let (okr, oki) = (&mut kr[j0 - i..j1 - i], &mut ki[j0 - i..j1 - i]);
    let blocks = len / LANES;
    for (q, (or, oi)) in okr
        .chunks_exact_mut(LANES)
        .zip(oki.chunks_exact_mut(LANES))
        .enumerate()
    {
        let (sr, si) = s.block::<LANES>(q * LANES);
        or.copy_from_slice(&sr);
        for (o, v) in oi.iter_mut().zip(si) {
            *o = -v;
        }
    }
    for q in blocks * LANES..len {
        let (sr, si) = s.block::<1>(q);
        okr[q] = sr[0];
        oki[q] = -si[0];
    }
}

/// The streams of one row's interior: (Re, Im) of the rows i ± k and of row i shifted by ∓k,
/// and the hoppings, each starting at column j0.
struct Streams<'a, const R: usize> {
    up: [(&'a [f64], &'a [f64]); R],
    dn: [(&'a [f64], &'a [f64]); R],
    hu: [f64; R],
    hd: [f64; R],
    m: [(&'a [f64], &'a [f64]); R],
    p: [(&'a [f64], &'a [f64]); R],
    hm: [&'a [f64]; R],
    hp: [&'a [f64]; R],
}

impl<const R: usize> Streams<'_, R> {
    /// ([H, B], [H, A]) at the W entries from q on (q + W ≤ len), the terms summed in a fixed
    /// order whatever W.
    #[inline(always)]
    fn block<const W: usize>(&self, q: usize) -> ([f64; W], [f64; W]) {
        fn at<const W: usize>(v: &[f64], q: usize) -> &[f64; W] {
            v[q..q + W].try_into().expect("W entries")
        }
        let (mut sr, mut si) = ([0.0; W], [0.0; W]);
        for k in 0..R {
            let (ua, ub) = (at::<W>(self.up[k].0, q), at::<W>(self.up[k].1, q));
            let (da, db) = (at::<W>(self.dn[k].0, q), at::<W>(self.dn[k].1, q));
            let (am, bm) = (at::<W>(self.m[k].0, q), at::<W>(self.m[k].1, q));
            let (ap, bp) = (at::<W>(self.p[k].0, q), at::<W>(self.p[k].1, q));
            let (hm, hp) = (at::<W>(self.hm[k], q), at::<W>(self.hp[k], q));
            let (hu, hd) = (self.hu[k], self.hd[k]);
            for l in 0..W {
                sr[l] += hu * ub[l] + hd * db[l] - bm[l] * hm[l] - bp[l] * hp[l];
                si[l] += hu * ua[l] + hd * da[l] - am[l] * hm[l] - ap[l] * hp[l];
            }
        }
        (sr, si)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dρ/dt on the full matrix, term by term from the equation (the reference).
    fn derivative_full(
        h: &Banded,
        ob: &OpenBoundary,
        re: &[f64],
        im: &[f64],
        n: usize,
    ) -> (Vec<f64>, Vec<f64>) {
        let hm = |i: usize, j: usize| h.get(i, j) / HBAR_EV_PS;
        let g = ob.gamma_ev / (2.0 * HBAR_EV_PS);
        let w = |i: usize| if ob.lead_of(i).is_some() { 1.0 } else { 0.0 };
        let (mut dr, mut di) = (vec![0.0; n * n], vec![0.0; n * n]);
        for i in 0..n {
            for j in 0..n {
                // (1/iħ)[H, ρ] = −i(Hρ − ρH)/ħ: real part (H B − B H), imaginary −(H A − A H).
                let (mut cb, mut ca) = (0.0, 0.0);
                for m in 0..n {
                    cb += hm(i, m) * im[m * n + j] - im[i * n + m] * hm(m, j);
                    ca += hm(i, m) * re[m * n + j] - re[i * n + m] * hm(m, j);
                }
                let c = -g * (w(i) + w(j));
                dr[i * n + j] = cb + c * (re[i * n + j] - ob.rho0(i, j));
                di[i * n + j] = -ca + c * im[i * n + j];
            }
        }
        (dr, di)
    }

    #[test]
    fn the_upper_triangle_step_is_the_full_matrix_step() {
        // Ranges 1 and 2 take the vectorised interior, 3 the entry-by-entry path; 17 sites
        // wrap every ring (2r + 2 rows) at least twice.
        for method in [Integrator::Rk4, Integrator::Rk48] {
            for r in 1..=3 {
                full_matrix_check(method, 17, r);
            }
        }
    }

    fn full_matrix_check(method: Integrator, n: usize, r: usize) {
        let h0 = Banded {
            off: (1..=r)
                .map(|k| {
                    (0..n - k)
                        .map(|i| (-1.0 - 0.1 * (i % 3) as f64) / k as f64 + 0.01 * i as f64)
                        .collect()
                })
                .collect(),
        };
        // H along the step: the first neighbours' hopping grows by 4 % over the step.
        let stretched = |c: f64| {
            let mut h = h0.clone();
            h.off[0].iter_mut().for_each(|v| *v *= 1.0 + 0.04 * c);
            h
        };
        let leads = [0..4, n - 4..n];
        let rho0 = [
            (0..16)
                .map(|k| if k % 5 == 0 { 1.5 } else { 0.1 })
                .collect(),
            (0..16)
                .map(|k| if k % 5 == 0 { 0.5 } else { -0.1 })
                .collect(),
        ];
        let ob = OpenBoundary {
            gamma_ev: 0.3,
            leads,
            rho0,
        };
        // A Hermitian ρ with every entry distinct.
        let mut rho = Density::zeros(n);
        for i in 0..n {
            for j in i..n {
                let a = 1.0 / (1.0 + (i + 2 * j) as f64);
                let b = if i == j {
                    0.0
                } else {
                    0.3 * ((i * 7 + j * 3) % 5) as f64 / 5.0
                };
                rho.re[i * n + j] = a;
                rho.re[j * n + i] = a;
                rho.im[i * n + j] = b;
                rho.im[j * n + i] = -b;
            }
        }
        let dt = 2e-5;
        // Reference: the method on the full matrix, stage s at y + a_s dt k_{s−1} with H(c_s).
        let (ta, tb) = method.tableau();
        let cs = method.stage_times();
        let hs: Vec<Banded> = cs.iter().map(|&c| stretched(c)).collect();
        let at = |c: f64| &hs[cs.iter().position(|&v| v == c).unwrap()];
        let (mut yr, mut yi) = (rho.re.clone(), rho.im.clone());
        let (mut kr, mut ki) = (vec![0.0; n * n], vec![0.0; n * n]);
        for (&a, &b) in ta.iter().zip(tb) {
            let xr: Vec<f64> = rho
                .re
                .iter()
                .zip(&kr)
                .map(|(y, k)| y + a * dt * k)
                .collect();
            let xi: Vec<f64> = rho
                .im
                .iter()
                .zip(&ki)
                .map(|(y, k)| y + a * dt * k)
                .collect();
            (kr, ki) = derivative_full(at(a), &ob, &xr, &xi, n);
            for q in 0..n * n {
                yr[q] += b * dt * kr[q];
                yi[q] += b * dt * ki[q];
            }
        }
        let start = rho.clone();
        let mut p = Propagator::new(method, n);
        p.step(&mut rho, &at, Some(&ob), dt);
        rho.fill_lower();
        let scale = yr.iter().chain(&yi).fold(0.0f64, |m, v| m.max(v.abs()));
        let diff = (0..n * n).fold(0.0f64, |m, q| {
            m.max((rho.re[q] - yr[q]).abs())
                .max((rho.im[q] - yi[q]).abs())
        });
        assert!(
            diff < 1e-13 * scale,
            "{method:?}, range {r}: the step differs from the full-matrix step by {diff:e}"
        );
        // The step must have done something: far from the start at this dt.
        let moved = (0..n * n).fold(0.0f64, |m, q| m.max((yr[q] - start.re[q]).abs()));
        assert!(moved > 1e-6);
    }

    #[test]
    fn the_radius_bounds_the_perfect_chain_band() {
        let h = Banded {
            off: vec![vec![-2.0; 99]],
        };
        // Band ±4 eV: the commutator's eigenvalues reach 8 eV/ħ; the bound is 2·4/ħ.
        let r = commutator_radius(&h);
        assert!((r * HBAR_EV_PS - 8.0).abs() < 1e-12);
    }
}
