//! Bands of a monatomic Bravais crystal under any [`TightBinding`] model, and its Fermi energy
//! from band filling: the bulk reference of a lead.
//!
//! Bloch Hamiltonian (one atom per primitive cell, lattice vectors R):
//!
//!   H(k) = ε + Σ_{R ≠ 0, |R| < r_c} e^{i k·R} t(R),
//!
//! with ε the on-site block and t(R) = ⟨0|H|R⟩ the hopping block for the bond vector R (k in
//! Å⁻¹, the sign convention of a Bloch sum over the ket's cell). Fermi energy: N(E) =
//! (2/N_k) Σ_k #{b : E_b(k) < E} on an n × n × n Monkhorst–Pack mesh of the primitive
//! reciprocal cell (H. J. Monkhorst and J. D. Pack, Phys. Rev. B 13, 5188 (1976)), E_F the
//! middle of the interval where N reaches the electrons per atom, as in
//! [`super::band_filling`]. A non-orthogonal model adds S(k) = 1 + Σ_R e^{i k·R} s(R) and the
//! bands solve H(k) c = E S(k) c.

use crate::error::{Error, Result};
use crate::transport::dense::{c64, generalized_hermitian_eigenvalues, hermitian_eigen, CMat};
use crate::transport::model::tight_binding::TightBinding;

/// A monatomic Bravais crystal: primitive vectors (Å) and the species on its sites.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Crystal {
    pub vectors: [[f64; 3]; 3],
    pub species: usize,
}

impl Crystal {
    /// The fcc crystal of cube edge `a` (primitive vectors a/2 (0,1,1), (1,0,1), (1,1,0)).
    pub fn fcc(a: f64, species: usize) -> Self {
        let h = 0.5 * a;
        Crystal {
            vectors: [[0.0, h, h], [h, 0.0, h], [h, h, 0.0]],
            species,
        }
    }

    /// Lattice vectors R ≠ 0 shorter than `rc`.
    fn neighbours(&self, rc: f64) -> Vec<[f64; 3]> {
        let v = &self.vectors;
        // |R| ≥ |n_i|·(distance between the planes of the other two vectors), so a range of
        // rc / min plane spacing per index covers the sphere.
        let vol = dot(v[0], cross(v[1], v[2])).abs();
        let spacing = (0..3)
            .map(|i| vol / norm(cross(v[(i + 1) % 3], v[(i + 2) % 3])))
            .fold(f64::INFINITY, f64::min);
        let nmax = (rc / spacing).ceil() as i64;
        let mut out = Vec::new();
        for a in -nmax..=nmax {
            for b in -nmax..=nmax {
                for c in -nmax..=nmax {
                    if (a, b, c) == (0, 0, 0) {
                        continue;
                    }
                    let r: [f64; 3] = std::array::from_fn(|d| {
                        a as f64 * v[0][d] + b as f64 * v[1][d] + c as f64 * v[2][d]
                    });
                    if norm(r) < rc {
                        out.push(r);
                    }
                }
            }
        }
        out
    }

    /// Reciprocal vectors b_i with a_i · b_j = 2π δ_ij (Å⁻¹).
    pub fn reciprocal(&self) -> [[f64; 3]; 3] {
        let v = &self.vectors;
        let vol = dot(v[0], cross(v[1], v[2]));
        let f = 2.0 * std::f64::consts::PI / vol;
        std::array::from_fn(|i| {
            let c = cross(v[(i + 1) % 3], v[(i + 2) % 3]);
            [f * c[0], f * c[1], f * c[2]]
        })
    }

    /// The n × n × n Monkhorst–Pack mesh of the Brillouin zone, Cartesian k (1/Å):
    /// k = Σ_a u_a b_a with u_r = (2r − n − 1)/2n, r = 1..n (Monkhorst and Pack, Phys. Rev. B
    /// 13, 5188 (1976)).
    pub fn monkhorst_pack(&self, n: usize) -> Vec<[f64; 3]> {
        let b = self.reciprocal();
        let mut mesh = Vec::with_capacity(n * n * n);
        for i in 0..n {
            for j in 0..n {
                for l in 0..n {
                    let u = [i, j, l].map(|r| (2.0 * r as f64 + 1.0 - n as f64) / (2.0 * n as f64));
                    mesh.push(std::array::from_fn(|d| {
                        u[0] * b[0][d] + u[1] * b[1][d] + u[2] * b[2][d]
                    }));
                }
            }
        }
        mesh
    }
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn norm(a: [f64; 3]) -> f64 {
    dot(a, a).sqrt()
}

/// The Bloch Hamiltonians H(k) (and overlaps S(k)) of one crystal under one model, hopping
/// and overlap blocks computed once.
pub struct BulkBands {
    onsite: CMat,
    hops: Vec<([f64; 3], CMat)>,
    /// Overlap blocks s(R) of a non-orthogonal model.
    overlaps: Option<Vec<([f64; 3], CMat)>>,
}

impl BulkBands {
    pub fn new(model: &dyn TightBinding, crystal: &Crystal) -> Self {
        let s = crystal.species;
        let neighbours = crystal.neighbours(model.cutoff());
        let hops = neighbours
            .iter()
            .filter_map(|&r| model.hopping(s, s, r).map(|h| (r, h)))
            .collect();
        let overlaps = (!model.is_orthogonal()).then(|| {
            neighbours
                .iter()
                .filter_map(|&r| model.overlap(s, s, r).map(|o| (r, o)))
                .collect()
        });
        BulkBands {
            onsite: model.onsite(s),
            hops,
            overlaps,
        }
    }

    /// H(k), k in Å⁻¹ (Cartesian).
    pub fn hamiltonian(&self, k: [f64; 3]) -> CMat {
        Self::bloch_sum(self.onsite.clone(), &self.hops, k)
    }

    /// S(k) of a non-orthogonal model (`None`: orthonormal orbitals).
    pub fn overlap(&self, k: [f64; 3]) -> Option<CMat> {
        let n = self.onsite.nrows();
        let one = CMat::from_fn(n, n, |i, j| c64(if i == j { 1.0 } else { 0.0 }, 0.0));
        Some(Self::bloch_sum(one, self.overlaps.as_ref()?, k))
    }

    /// m0 + Σ_R e^{ik·R} m(R).
    fn bloch_sum(mut h: CMat, terms: &[([f64; 3], CMat)], k: [f64; 3]) -> CMat {
        for (r, t) in terms {
            let x = dot(k, *r);
            let ph = c64(x.cos(), x.sin());
            for j in 0..h.ncols() {
                for i in 0..h.nrows() {
                    h[(i, j)] += t[(i, j)] * ph;
                }
            }
        }
        h
    }

    /// Band energies at k, ascending (eV).
    pub fn energies(&self, k: [f64; 3]) -> Result<Vec<f64>> {
        let h = self.hamiltonian(k);
        match self.overlap(k) {
            None => Ok(hermitian_eigen(h.as_ref(), "bulk bands")?.0),
            Some(s) => generalized_hermitian_eigenvalues(h.as_ref(), s.as_ref(), "bulk bands"),
        }
    }
}

/// Fermi energy (eV) of the crystal with `electrons` valence electrons per atom (spin
/// included), on an n × n × n Monkhorst–Pack mesh.
pub fn bulk_fermi_energy(
    model: &dyn TightBinding,
    crystal: &Crystal,
    electrons: f64,
    n: usize,
) -> Result<f64> {
    let norb = model.orbitals(crystal.species);
    if n == 0 || norb == 0 {
        return Err(Error::run("bulk band filling: empty model or k mesh"));
    }
    if !(0.0..=2.0 * norb as f64).contains(&electrons) {
        return Err(Error::run(format!(
            "bulk band filling: {electrons} electrons per atom, at most {} fit",
            2 * norb
        )));
    }
    let bands = BulkBands::new(model, crystal);
    let mut all = Vec::with_capacity(n * n * n * norb);
    for k in crystal.monkhorst_pack(n) {
        all.extend(bands.energies(k)?);
    }
    all.sort_by(f64::total_cmp);
    let nk = (n * n * n) as f64;
    let k = (electrons * nk / 2.0).round() as usize;
    if k == 0 {
        return Ok(all[0]);
    }
    if k >= all.len() {
        return Ok(all[all.len() - 1]);
    }
    Ok(0.5 * (all[k - 1] + all[k]))
}
