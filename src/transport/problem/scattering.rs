//! The transport problem as matrices: a scattering region S between a left (L) and a right (R)
//! semi-infinite lead, each lead the periodic repetition of a principal layer.
//!
//! Conventions (those of the Kwant reference data, `reference/kwant/README.md`):
//! - lead layers n = 1, 2, … count away from S; layer 1 touches S;
//! - `h00` = ⟨n|H|n⟩, `h01` = ⟨n|H|n+1⟩ (rows: the layer nearer S), so ⟨n+1|H|n⟩ = h01†;
//! - `coupling` = V = ⟨S|H|layer 1⟩ (n_S × n_layer); nothing else couples S to a lead;
//! - a block may depend on the transverse Bloch phases k = (k₁, k₂) of up to two periodic
//!   transverse directions with supercell vectors a₁, a₂:
//!
//!     B(k) = Σ_m B_m e^{i k·m},   k·m = k₁m₁ + k₂m₂,   B_m = ⟨cell 0|H|cell m⟩,
//!
//!   cell m shifted by m₁a₁ + m₂a₂ from cell 0; k_d is the Bloch phase per supercell vector a_d,
//!   ψ(r + m₁a₁ + m₂a₂) = e^{i k·m} ψ(r). This is H(k) = Σ_R H(R) e^{ik·R} with H(R) = ⟨0|H|R⟩
//!   (the Kwant `wraparound` convention; a one-direction problem has k₂ = 0, m₂ = 0);
//! - a non-orthogonal basis adds the overlap blocks S_S, S00, S01 and S_V ([`Overlap`], same
//!   shapes and conventions). At a real energy E every equation of the solver involves H only
//!   through E·S − H, which equals E − H̃ with the energy-dependent Hermitian
//!
//!     H̃(E) = H − E (S − 1)   (blocks coupling different layers: H − E S),
//!
//!   so the orthogonal machinery (mode matching, decimation, RGF, the Caroli formula with
//!   Γ = i(Σ − Σ†), Σ = (E S_V − V) g (E S_V − V)†) applies unchanged to H̃(E), as in the
//!   non-orthogonal NEGF of DFTB+ or SIESTA/TranSIESTA (e.g. M. Brandbyge et al., Phys. Rev. B
//!   65, 165401 (2002), Eq. (4): the coupling is z S − H).

use crate::error::{Error, Result};
use crate::transport::dense::{CMat, C64};

/// A sparse complex matrix as (row, column, value) triplets; duplicates add up.
#[derive(Clone, Debug, Default)]
pub struct SparseMatrix {
    pub nrows: usize,
    pub ncols: usize,
    pub entries: Vec<(usize, usize, C64)>,
}

impl SparseMatrix {
    /// An all-zero matrix of the given shape.
    pub fn zeros(nrows: usize, ncols: usize) -> Self {
        SparseMatrix {
            nrows,
            ncols,
            entries: Vec::new(),
        }
    }

    /// The non-zero entries of a dense matrix.
    pub fn from_dense(m: &CMat) -> Self {
        let mut entries = Vec::new();
        for j in 0..m.ncols() {
            for i in 0..m.nrows() {
                let v = m[(i, j)];
                if v.re != 0.0 || v.im != 0.0 {
                    entries.push((i, j, v));
                }
            }
        }
        entries.sort_by_key(|&(i, j, _)| (i, j));
        SparseMatrix {
            nrows: m.nrows(),
            ncols: m.ncols(),
            entries,
        }
    }

    /// The dense matrix (duplicates summed).
    pub fn to_dense(&self) -> CMat {
        let mut m = CMat::zeros(self.nrows, self.ncols);
        for &(i, j, v) in &self.entries {
            m[(i, j)] += v;
        }
        m
    }

    /// Rows holding at least one structurally non-zero entry, ascending.
    pub fn nonzero_rows(&self) -> Vec<usize> {
        let mut r: Vec<usize> = self.entries.iter().map(|e| e.0).collect();
        r.sort_unstable();
        r.dedup();
        r
    }
}

/// Transverse Bloch phases k = (k₁, k₂) in radians per supercell vector (a₁, a₂); a problem
/// periodic along one direction uses k₂ = 0, a non-periodic one k = 0. A plain `f64` converts
/// to (k, 0).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BlochPhases(pub [f64; 2]);

impl From<f64> for BlochPhases {
    fn from(k: f64) -> Self {
        BlochPhases([k, 0.0])
    }
}

impl From<[f64; 2]> for BlochPhases {
    fn from(k: [f64; 2]) -> Self {
        BlochPhases(k)
    }
}

impl BlochPhases {
    /// e^{i k·m}.
    pub fn phase(self, m: [i32; 2]) -> C64 {
        if m == [0, 0] {
            return C64::new(1.0, 0.0);
        }
        let x = self.0[0] * f64::from(m[0]) + self.0[1] * f64::from(m[1]);
        C64::new(x.cos(), x.sin())
    }
}

/// A Hamiltonian block that may depend on the transverse Bloch phases k:
/// B(k) = Σ_m B_m e^{ik·m}. A k-independent block has the single term m = (0, 0).
#[derive(Clone, Debug)]
pub struct FourierBlock {
    pub nrows: usize,
    pub ncols: usize,
    /// (m, B_m), at most one term per m.
    pub terms: Vec<([i32; 2], SparseMatrix)>,
}

impl FourierBlock {
    /// A k-independent block.
    pub fn fixed(m: SparseMatrix) -> Self {
        FourierBlock {
            nrows: m.nrows,
            ncols: m.ncols,
            terms: vec![([0, 0], m)],
        }
    }

    /// A k-independent block from a dense matrix.
    pub fn fixed_dense(m: &CMat) -> Self {
        Self::fixed(SparseMatrix::from_dense(m))
    }

    /// True when some term has m ≠ 0 with a non-zero entry.
    pub fn depends_on_k(&self) -> bool {
        self.terms
            .iter()
            .any(|(m, b)| *m != [0, 0] && !b.entries.is_empty())
    }

    /// True when every B_m is real, so that B(−k) = B(k)* (time reversal of a real H).
    pub fn is_real(&self) -> bool {
        self.terms
            .iter()
            .all(|(_, b)| b.entries.iter().all(|e| e.2.im == 0.0))
    }

    /// B(k) = Σ_m B_m e^{ik·m} as a sparse matrix with merged entries.
    pub fn at_k(&self, k: impl Into<BlochPhases>) -> SparseMatrix {
        let k = k.into();
        // Entries bucketed by row (a counting sort, stable: within a position the terms keep
        // their order, so each sum is accumulated in term order from zero), then each row
        // sorted stably by column and merged.
        let mut start = vec![0usize; self.nrows + 1];
        for (_, b) in &self.terms {
            for &(i, _, _) in &b.entries {
                start[i + 1] += 1;
            }
        }
        for r in 0..self.nrows {
            start[r + 1] += start[r];
        }
        let mut next = start.clone();
        let mut all = vec![(0usize, C64::new(0.0, 0.0)); start[self.nrows]];
        for (m, b) in &self.terms {
            let phase = k.phase(*m);
            for &(i, j, v) in &b.entries {
                all[next[i]] = (j, v * phase);
                next[i] += 1;
            }
        }
        let mut entries: Vec<(usize, usize, C64)> = Vec::with_capacity(all.len());
        for i in 0..self.nrows {
            let row = &mut all[start[i]..start[i + 1]];
            row.sort_by_key(|e| e.0);
            let first = entries.len();
            for &(j, v) in row.iter() {
                let in_row = entries.len() > first;
                match entries.last_mut() {
                    Some(last) if in_row && last.1 == j => last.2 += v,
                    _ => entries.push((i, j, C64::new(0.0, 0.0) + v)),
                }
            }
        }
        SparseMatrix {
            nrows: self.nrows,
            ncols: self.ncols,
            entries,
        }
    }

    /// B(k) as a dense matrix.
    pub fn dense_at_k(&self, k: impl Into<BlochPhases>) -> CMat {
        self.at_k(k).to_dense()
    }

    /// Structural non-zeros of B(k) for any k (union over the terms), sorted, unique.
    pub fn pattern(&self) -> Vec<(usize, usize)> {
        let mut p: Vec<(usize, usize)> = self
            .terms
            .iter()
            .flat_map(|(_, b)| b.entries.iter().map(|&(i, j, _)| (i, j)))
            .collect();
        p.sort_unstable();
        p.dedup();
        p
    }
}

/// One semi-infinite lead.
#[derive(Clone, Debug)]
pub struct Lead {
    /// ⟨n|H|n⟩, n_layer × n_layer.
    pub h00: FourierBlock,
    /// ⟨n|H|n+1⟩ (row: nearer S), n_layer × n_layer.
    pub h01: FourierBlock,
    /// V = ⟨S|H|layer 1⟩, n_S × n_layer.
    pub coupling: FourierBlock,
}

impl Lead {
    /// Orbitals per principal layer.
    pub fn n_layer(&self) -> usize {
        self.h00.nrows
    }

    /// The blocks at the Bloch phases k.
    pub fn at_k(&self, k: BlochPhases) -> LeadAtK {
        LeadAtK {
            h00: self.h00.dense_at_k(k),
            h01: self.h01.dense_at_k(k),
            coupling: self.coupling.at_k(k),
        }
    }
}

/// A transverse k-point with its weight in the k-average.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KPoint {
    /// Bloch phases per supercell vector (radians).
    pub k: BlochPhases,
    /// Weight in the average; the weights of a problem sum to 1.
    pub weight: f64,
}

/// The overlap matrices of a non-orthogonal basis, block for block as the Hamiltonian's: S_S,
/// and per lead S00, S01 and S_V = ⟨S|layer 1⟩ in the fields `h00`, `h01`, `coupling`.
#[derive(Clone, Debug)]
pub struct Overlap {
    pub s_s: FourierBlock,
    pub leads: [Lead; 2],
}

/// A two-terminal transport problem: H_S and two leads, optionally with a transverse k-mesh
/// and, for a non-orthogonal basis, the overlap.
#[derive(Clone, Debug)]
pub struct TransportProblem {
    /// Scattering-region Hamiltonian H_S (n_S × n_S), basis as the couplings use it.
    pub h_s: FourierBlock,
    /// [L, R].
    pub leads: [Lead; 2],
    /// Transverse k-points; empty when no direction is periodic.
    pub kpoints: Vec<KPoint>,
    /// Overlap of a non-orthogonal basis; `None`: orthonormal orbitals.
    pub overlap: Option<Box<Overlap>>,
}

/// The problem at one transverse k: H_S sparse, leads dense.
#[derive(Clone, Debug)]
pub struct ProblemAtK {
    pub h_s: SparseMatrix,
    pub leads: [LeadAtK; 2],
}

/// One lead at one transverse k.
#[derive(Clone, Debug)]
pub struct LeadAtK {
    pub h00: CMat,
    pub h01: CMat,
    pub coupling: SparseMatrix,
}

impl TransportProblem {
    /// A k-independent problem from dense matrices: H_S and, for [L, R], (H00, H01, V).
    pub fn from_dense(h_s: &CMat, leads: [(&CMat, &CMat, &CMat); 2]) -> Result<Self> {
        let lead = |(h00, h01, v): (&CMat, &CMat, &CMat)| Lead {
            h00: FourierBlock::fixed_dense(h00),
            h01: FourierBlock::fixed_dense(h01),
            coupling: FourierBlock::fixed_dense(v),
        };
        let p = TransportProblem {
            h_s: FourierBlock::fixed_dense(h_s),
            leads: [lead(leads[0]), lead(leads[1])],
            kpoints: Vec::new(),
            overlap: None,
        };
        p.validate()?;
        Ok(p)
    }

    /// Orbitals in the scattering region.
    pub fn n_s(&self) -> usize {
        self.h_s.nrows
    }

    /// True when the problem carries a transverse k-mesh.
    pub fn is_periodic(&self) -> bool {
        !self.kpoints.is_empty()
    }

    /// The k-points to evaluate: the mesh, or the single point k = 0 with weight 1.
    pub fn kpoints_or_gamma(&self) -> Vec<KPoint> {
        if self.kpoints.is_empty() {
            vec![KPoint {
                k: BlochPhases::default(),
                weight: 1.0,
            }]
        } else {
            self.kpoints.clone()
        }
    }

    /// Check shapes and that a k-dependent block comes with k-points.
    pub fn validate(&self) -> Result<()> {
        let n = self.h_s.nrows;
        if self.h_s.ncols != n {
            return Err(Error::run(format!(
                "scattering-region H is {}x{}, expected square",
                self.h_s.nrows, self.h_s.ncols
            )));
        }
        for (li, lead) in self.leads.iter().enumerate() {
            let nl = lead.h00.nrows;
            let name = ["L", "R"][li];
            let checks = [
                ("H00", &lead.h00, nl, nl),
                ("H01", &lead.h01, nl, nl),
                ("V_S_lead1", &lead.coupling, n, nl),
            ];
            for (what, b, r, c) in checks {
                if b.nrows != r || b.ncols != c {
                    return Err(Error::run(format!(
                        "lead {name}: {what} is {}x{}, expected {r}x{c}",
                        b.nrows, b.ncols
                    )));
                }
                for (_, t) in &b.terms {
                    if t.entries.iter().any(|&(i, j, _)| i >= r || j >= c) {
                        return Err(Error::run(format!(
                            "lead {name}: {what} entry out of range"
                        )));
                    }
                }
            }
        }
        if let Some(o) = &self.overlap {
            let shape = |b: &FourierBlock| (b.nrows, b.ncols);
            let same = shape(&o.s_s) == shape(&self.h_s)
                && o.leads.iter().zip(&self.leads).all(|(s, h)| {
                    shape(&s.h00) == shape(&h.h00)
                        && shape(&s.h01) == shape(&h.h01)
                        && shape(&s.coupling) == shape(&h.coupling)
                });
            if !same {
                return Err(Error::run(
                    "the overlap blocks do not have the shapes of the Hamiltonian blocks",
                ));
            }
        }
        let any_k = self.h_s.depends_on_k()
            || self
                .leads
                .iter()
                .any(|l| l.h00.depends_on_k() || l.h01.depends_on_k() || l.coupling.depends_on_k());
        if any_k && self.kpoints.is_empty() {
            return Err(Error::run(
                "blocks depend on a transverse k but the problem has no k-points",
            ));
        }
        let wsum: f64 = self.kpoints.iter().map(|k| k.weight).sum();
        if !self.kpoints.is_empty() && (wsum - 1.0).abs() > 1e-9 {
            return Err(Error::run(format!(
                "k-point weights sum to {wsum}, expected 1"
            )));
        }
        Ok(())
    }

    /// True when every block is real (H(−k) = H(k)*: time reversal holds), the overlap's
    /// included.
    pub fn is_real(&self) -> bool {
        let real = |h: &FourierBlock, leads: &[Lead; 2]| {
            h.is_real()
                && leads
                    .iter()
                    .all(|l| l.h00.is_real() && l.h01.is_real() && l.coupling.is_real())
        };
        real(&self.h_s, &self.leads) && self.overlap.as_ref().is_none_or(|o| real(&o.s_s, &o.leads))
    }

    /// The orthogonal problem with the same structure: H_S and V extended by the overlap's
    /// entries (value −S), so that its pattern is that of E·S − H at any E. Used to slice S.
    pub fn pattern_with_overlap(&self) -> TransportProblem {
        let Some(o) = &self.overlap else {
            return self.clone();
        };
        let join = |h: &FourierBlock, s: &FourierBlock| {
            let mut terms = h.terms.clone();
            for (m, t) in &s.terms {
                match terms.iter_mut().find(|(mm, _)| mm == m) {
                    Some((_, tt)) => tt
                        .entries
                        .extend(t.entries.iter().map(|e| (e.0, e.1, -e.2))),
                    None => terms.push((*m, t.clone())),
                }
            }
            FourierBlock {
                nrows: h.nrows,
                ncols: h.ncols,
                terms,
            }
        };
        let lead = |h: &Lead, s: &Lead| Lead {
            h00: h.h00.clone(),
            h01: h.h01.clone(),
            coupling: join(&h.coupling, &s.coupling),
        };
        TransportProblem {
            h_s: join(&self.h_s, &o.s_s),
            leads: [
                lead(&self.leads[0], &o.leads[0]),
                lead(&self.leads[1], &o.leads[1]),
            ],
            kpoints: self.kpoints.clone(),
            overlap: None,
        }
    }

    /// All blocks evaluated at the Bloch phases k.
    pub fn at_k(&self, k: impl Into<BlochPhases>) -> ProblemAtK {
        let k = k.into();
        ProblemAtK {
            h_s: self.h_s.at_k(k),
            leads: [self.leads[0].at_k(k), self.leads[1].at_k(k)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_k_merges_entries_sorted_and_summed_in_term_order() {
        let c = C64::new;
        let term = |entries: Vec<(usize, usize, C64)>| SparseMatrix {
            nrows: 3,
            ncols: 4,
            entries,
        };
        let b = FourierBlock {
            nrows: 3,
            ncols: 4,
            terms: vec![
                (
                    [-1, 0],
                    term(vec![
                        (2, 3, c(0.1, 0.0)),
                        (0, 1, c(0.3, 0.2)),
                        (2, 3, c(1e-17, 0.0)),
                    ]),
                ),
                (
                    [0, 0],
                    term(vec![(0, 1, c(1.0, 0.0)), (1, 0, c(-0.5, 0.0))]),
                ),
                (
                    [1, 2],
                    term(vec![(2, 0, c(0.7, -0.1)), (0, 1, c(0.3, -0.2))]),
                ),
            ],
        };
        let k = BlochPhases([0.4, -1.3]);
        let m = b.at_k(k);
        let pos: Vec<(usize, usize)> = m.entries.iter().map(|e| (e.0, e.1)).collect();
        assert_eq!(pos, vec![(0, 1), (1, 0), (2, 0), (2, 3)]);
        // Each value is the sum from zero in term order, bit for bit.
        let mut want = vec![C64::new(0.0, 0.0); 4];
        for (mm, tm) in &b.terms {
            let ph = k.phase(*mm);
            for &(i, j, v) in &tm.entries {
                let p = pos.iter().position(|&q| q == (i, j)).unwrap();
                want[p] += v * ph;
            }
        }
        for (e, w) in m.entries.iter().zip(&want) {
            assert_eq!(
                (e.2.re.to_bits(), e.2.im.to_bits()),
                (w.re.to_bits(), w.im.to_bits())
            );
        }
    }
}
