//! Transport problems from atom positions in a supercell that is periodic along zero, one or two
//! directions normal to the transport axis (the gold junction box is periodic in x and y), as
//! PWCOND treats a supercell with a 2-D k∥ mesh.
//!
//! Bloch convention (that of [`super::scattering`] and Kwant's `wraparound`): with supercell
//! vectors a₁, a₂ and R = m₁a₁ + m₂a₂,
//!
//!   H(k) = Σ_R H(R) e^{ik·R},   H(R)_{ij} = ⟨i, cell 0|H|j, cell R⟩,   k·R = k₁m₁ + k₂m₂,
//!
//! k_d the Bloch phase per supercell vector a_d. Every block (H_S, and per lead H00, H01 and
//! V = ⟨S|H|layer 1⟩) is assembled as such a Fourier series by summing over all images R of the
//! column atom within the model's cutoff, so cells smaller than twice the cutoff are handled.
//!
//! k-points: the Monkhorst–Pack mesh (Monkhorst and Pack, Phys. Rev. B 13, 5188 (1976)) of
//! N_d points per direction, k_{d,j} = π(2j − N_d − 1)/N_d, j = 1..N_d (the grid of the Kwant
//! reference `slab_kperp`), equal weights. Where every H(R) is real, H(−k) = H(k)*, and the
//! transmission, open channels and eigenchannels at −k equal those at k (they are the reversed
//! direction's, which equal the forward ones for two terminals); the mesh is then halved by
//! pairing k with −k (exactly, by index: −k_{d,j} = k_{d,N_d+1−j}) and doubling the weight of the
//! kept point. With a complex H (e.g. a magnetic field) the full mesh is kept.

use crate::error::{Error, Result};
use crate::transport::dense::{CMat, C64};
use crate::transport::model::tight_binding::{Atom, LeadGeometry, OverlapOf, TightBinding};
use crate::transport::problem::scattering::{
    BlochPhases, FourierBlock, KPoint, Lead, Overlap, SparseMatrix, TransportProblem,
};

/// 3-vector helper shared by the transport geometry modules.
pub(crate) fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

/// 3-vector helper shared by the transport geometry modules.
pub(crate) fn add(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

fn scale(a: [f64; 3], s: f64) -> [f64; 3] {
    [a[0] * s, a[1] * s, a[2] * s]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// 3-vector helper shared by the transport geometry modules.
pub(crate) fn norm(a: [f64; 3]) -> f64 {
    dot(a, a).sqrt()
}

/// The transverse periodicity of a system: zero, one or two supercell vectors (Å).
#[derive(Clone, Debug, PartialEq)]
pub struct Supercell {
    vectors: Vec<[f64; 3]>,
    /// Dual vectors g_d in the span of the a's: g_d·a_e = δ_de.
    duals: Vec<[f64; 3]>,
}

impl Supercell {
    /// No periodic direction (wire leads).
    pub fn none() -> Self {
        Supercell {
            vectors: Vec::new(),
            duals: Vec::new(),
        }
    }

    /// Periodic along the given (at most two, linearly independent) vectors.
    pub fn new(vectors: Vec<[f64; 3]>) -> Result<Self> {
        let duals = match vectors.len() {
            0 => Vec::new(),
            1 => {
                let a = vectors[0];
                let n2 = dot(a, a);
                if !(n2 > 0.0 && n2.is_finite()) {
                    return Err(Error::run("supercell vector must be non-zero and finite"));
                }
                vec![scale(a, 1.0 / n2)]
            }
            2 => {
                let (a, b) = (vectors[0], vectors[1]);
                let (aa, ab, bb) = (dot(a, a), dot(a, b), dot(b, b));
                let det = aa * bb - ab * ab;
                if !(det > 1e-12 * aa * bb && det.is_finite()) {
                    return Err(Error::run(
                        "supercell vectors must be non-zero, finite and not parallel",
                    ));
                }
                // Inverse Gram matrix applied to (a, b).
                vec![
                    sub(scale(a, bb / det), scale(b, ab / det)),
                    sub(scale(b, aa / det), scale(a, ab / det)),
                ]
            }
            n => {
                return Err(Error::run(format!(
                    "at most two transverse periodic directions, got {n}"
                )))
            }
        };
        Ok(Supercell { vectors, duals })
    }

    /// The supercell vectors.
    pub fn vectors(&self) -> &[[f64; 3]] {
        &self.vectors
    }

    /// Number of periodic directions.
    pub fn dim(&self) -> usize {
        self.vectors.len()
    }

    /// The translation m₁a₁ + m₂a₂.
    pub fn translation(&self, m: [i32; 2]) -> [f64; 3] {
        let mut t = [0.0; 3];
        for (d, a) in self.vectors.iter().enumerate() {
            t = add(t, scale(*a, f64::from(m[d])));
        }
        t
    }

    /// Every m such that |b + R_m| < rc: along each dual g_d, (b + R_m)·g_d = b·g_d + m_d, and
    /// |(b + R_m)·g_d| ≤ |b + R_m||g_d| bounds m_d.
    pub fn images_within(&self, b: [f64; 3], rc: f64) -> Vec<([i32; 2], [f64; 3])> {
        let mut range = [(0i32, 0i32); 2];
        for (d, g) in self.duals.iter().enumerate() {
            let f = dot(b, *g);
            let w = rc * norm(*g);
            range[d] = ((-f - w).ceil() as i32, (-f + w).floor() as i32);
        }
        let mut out = Vec::new();
        for m0 in range[0].0..=range[0].1 {
            for m1 in range[1].0..=range[1].1 {
                let m = [m0, m1];
                let v = add(b, self.translation(m));
                if norm(v) < rc {
                    out.push((m, v));
                }
            }
        }
        out
    }

    /// The minimum-image form of a vector: b + R with the smallest transverse part (the
    /// component of b in the plane of the supercell vectors reduced to fractional
    /// coordinates in [−½, ½), then the nearest of the neighbouring images).
    pub fn minimum_image(&self, b: [f64; 3]) -> [f64; 3] {
        if self.vectors.is_empty() {
            return b;
        }
        let mut m0 = [0i32; 2];
        for (d, g) in self.duals.iter().enumerate() {
            m0[d] = -(dot(b, *g).round() as i32);
        }
        let mut best = add(b, self.translation(m0));
        let (r0, r1) = (-1..=1, if self.dim() == 2 { -1..=1 } else { 0..=0 });
        for d0 in r0 {
            for d1 in r1.clone() {
                let v = add(b, self.translation([m0[0] + d0, m0[1] + d1]));
                if norm(v) < norm(best) - 1e-12 {
                    best = v;
                }
            }
        }
        best
    }
}

/// A Fourier block under construction: (m, triplets), one entry per m.
struct BlockBuilder {
    nrows: usize,
    ncols: usize,
    terms: Vec<([i32; 2], SparseMatrix)>,
}

impl BlockBuilder {
    fn new(nrows: usize, ncols: usize) -> Self {
        BlockBuilder {
            nrows,
            ncols,
            terms: Vec::new(),
        }
    }

    fn push(&mut self, m: [i32; 2], r0: usize, c0: usize, b: &CMat) {
        let idx = match self.terms.iter().position(|(mm, _)| *mm == m) {
            Some(i) => i,
            None => {
                self.terms
                    .push((m, SparseMatrix::zeros(self.nrows, self.ncols)));
                self.terms.len() - 1
            }
        };
        let t = &mut self.terms[idx].1;
        for j in 0..b.ncols() {
            for i in 0..b.nrows() {
                let v: C64 = b[(i, j)];
                if v.re != 0.0 || v.im != 0.0 {
                    t.entries.push((r0 + i, c0 + j, v));
                }
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.terms.iter().all(|(_, t)| t.entries.is_empty())
    }

    fn finish(mut self) -> FourierBlock {
        self.terms.sort_by_key(|(m, _)| *m);
        if self.terms.is_empty() {
            self.terms
                .push(([0, 0], SparseMatrix::zeros(self.nrows, self.ncols)));
        }
        FourierBlock {
            nrows: self.nrows,
            ncols: self.ncols,
            terms: self.terms,
        }
    }
}

/// First orbital of each atom (and the total at the end).
fn offsets(model: &dyn TightBinding, atoms: &[Atom]) -> Vec<usize> {
    let mut o = vec![0];
    for a in atoms {
        o.push(o[o.len() - 1] + model.orbitals(a.species));
    }
    o
}

/// ⟨rows, cell 0|H|cols, cell R⟩ for every R, as a Fourier block; with `same_set` the on-site
/// blocks are placed on the diagonal (i = j, R = 0).
fn block(
    model: &dyn TightBinding,
    cell: &Supercell,
    rows: &[Atom],
    cols: &[Atom],
    same_set: bool,
) -> Result<BlockBuilder> {
    let (ro, co) = (offsets(model, rows), offsets(model, cols));
    let mut b = BlockBuilder::new(ro[rows.len()], co[cols.len()]);
    let rc = model.cutoff();
    for (i, a) in rows.iter().enumerate() {
        for (j, c) in cols.iter().enumerate() {
            for (m, bond) in cell.images_within(sub(c.pos, a.pos), rc) {
                if same_set && i == j && m == [0, 0] {
                    continue;
                }
                if norm(bond) < 1e-6 {
                    return Err(Error::run(format!(
                        "two atoms at the same position (or periodic images of each other) at \
                         {:?}",
                        a.pos
                    )));
                }
                if let Some(h) = model.hopping(a.species, c.species, bond) {
                    b.push(m, ro[i], co[j], &h);
                }
            }
            if same_set && i == j {
                b.push([0, 0], ro[i], co[j], &model.onsite(a.species));
            }
        }
    }
    Ok(b)
}

/// A lead ready to attach: its principal layer (layer 1 atoms in the reference position, the
/// period pointing away from S) and its blocks H00(k) = ⟨1|H|1⟩, H01(k) = ⟨1|H|2⟩, with the
/// overlap blocks (S00, S01) of a non-orthogonal model.
#[derive(Clone, Debug)]
pub struct LeadBlocks {
    pub geometry: LeadGeometry,
    pub h00: FourierBlock,
    pub h01: FourierBlock,
    pub overlap: Option<[FourierBlock; 2]>,
}

impl LeadBlocks {
    /// (H00(k), H01(k), weight) at each mesh point: the input of the k-summed band filling and
    /// charge neutrality of the lead.
    pub fn at_points(&self, points: &[MeshPoint]) -> Vec<(CMat, CMat, f64)> {
        points
            .iter()
            .map(|p| {
                (
                    self.h00.dense_at_k(p.point.k),
                    self.h01.dense_at_k(p.point.k),
                    p.point.weight,
                )
            })
            .collect()
    }

    /// (S00(k), S01(k)) at each mesh point, `None` for an orthogonal model.
    pub fn overlap_at_points(&self, points: &[MeshPoint]) -> Option<Vec<(CMat, CMat)>> {
        let [s00, s01] = self.overlap.as_ref()?;
        Some(
            points
                .iter()
                .map(|p| (s00.dense_at_k(p.point.k), s01.dense_at_k(p.point.k)))
                .collect(),
        )
    }
}

fn shifted(atoms: &[Atom], d: [f64; 3]) -> Vec<Atom> {
    atoms
        .iter()
        .map(|a| Atom {
            species: a.species,
            pos: add(a.pos, d),
        })
        .collect()
}

/// True when layer 1 of a lead couples to its layer 3 (images included): the layer is then
/// too thin to be a principal layer.
pub fn layer_reaches_third(
    model: &dyn TightBinding,
    cell: &Supercell,
    g: &LeadGeometry,
) -> Result<bool> {
    let layer3 = shifted(&g.layer, scale(g.period, 2.0));
    Ok(!block(model, cell, &g.layer, &layer3, false)?.is_empty())
}

/// The blocks of a lead, after checking that its principal layer couples only to its
/// neighbours (nothing from layer 1 to layer 3, images included). `name` labels errors.
pub fn lead_blocks(
    model: &dyn TightBinding,
    cell: &Supercell,
    g: &LeadGeometry,
    name: &str,
) -> Result<LeadBlocks> {
    if g.layer.is_empty() {
        return Err(Error::run(format!("{name} lead has no atoms in its layer")));
    }
    let layer2 = shifted(&g.layer, g.period);
    if layer_reaches_third(model, cell, g)? {
        return Err(Error::run(format!(
            "{name} lead: layer 1 couples to layer 3; the principal layer is too thin for the \
             model's cutoff {} Å",
            model.cutoff()
        )));
    }
    let overlap = if model.is_orthogonal() {
        None
    } else {
        let s = OverlapOf(model);
        Some([
            block(&s, cell, &g.layer, &g.layer, true)?.finish(),
            block(&s, cell, &g.layer, &layer2, false)?.finish(),
        ])
    };
    Ok(LeadBlocks {
        geometry: g.clone(),
        h00: block(model, cell, &g.layer, &g.layer, true)?.finish(),
        h01: block(model, cell, &g.layer, &layer2, false)?.finish(),
        overlap,
    })
}

/// A Monkhorst–Pack mesh request along the supercell's periodic directions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KMesh {
    /// Points per periodic direction (an entry beyond the cell's dimension must be 1).
    pub n: [usize; 2],
    /// Halve the mesh by k ↔ −k where the Hamiltonian is real.
    pub time_reversal: bool,
}

/// One mesh point: its integer indices j_d (1-based) and the point with its weight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeshPoint {
    pub index: [usize; 2],
    pub point: KPoint,
}

/// k_{d,j} = π(2j − N − 1)/N, j = 1..N.
fn mp(j: usize, n: usize) -> f64 {
    std::f64::consts::PI * (2.0 * j as f64 - n as f64 - 1.0) / n as f64
}

/// The Monkhorst–Pack mesh with `n` points per direction (row-major over (j₁, j₂)), halved by
/// time reversal when `halve` (see the module documentation).
pub fn monkhorst_pack(n: [usize; 2], halve: bool) -> Result<Vec<MeshPoint>> {
    if n[0] == 0 || n[1] == 0 {
        return Err(Error::run(format!(
            "k-mesh {n:?}: every direction needs at least one point"
        )));
    }
    let total = (n[0] * n[1]) as f64;
    let mut out = Vec::new();
    for j0 in 1..=n[0] {
        for j1 in 1..=n[1] {
            let partner = [n[0] + 1 - j0, n[1] + 1 - j1];
            let weight = if !halve || [j0, j1] == partner {
                1.0 / total
            } else if [j0, j1] < partner {
                2.0 / total
            } else {
                continue;
            };
            out.push(MeshPoint {
                index: [j0, j1],
                point: KPoint {
                    k: BlochPhases([mp(j0, n[0]), mp(j1, n[1])]),
                    weight,
                },
            });
        }
    }
    Ok(out)
}

/// Build a transport problem: H_S(k) of the scattering atoms and, for [L, R], a lead whose
/// layer 1 sits at its reference position shifted by `shift` (Å; the blocks H00, H01 do not
/// depend on a rigid shift, only V does). Checks that S couples to no lead layer beyond the
/// first. The k-points are the mesh (halved by time reversal only when the assembled H is
/// real); a supercell without periodic directions gives a k-independent problem.
pub fn build_supercell_problem(
    model: &dyn TightBinding,
    cell: &Supercell,
    scattering: &[Atom],
    leads: [(&LeadBlocks, [f64; 3]); 2],
    mesh: KMesh,
) -> Result<(TransportProblem, Vec<MeshPoint>)> {
    for (d, &n) in mesh.n.iter().enumerate() {
        if d >= cell.dim() && n != 1 {
            return Err(Error::run(format!(
                "k-mesh {:?} has {n} points along direction {} but the system has {} periodic \
                 direction(s)",
                mesh.n,
                d + 1,
                cell.dim()
            )));
        }
    }
    let h_s = block(model, cell, scattering, scattering, true)?.finish();
    let mut out = Vec::new();
    let mut overlap_leads = Vec::new();
    for (li, (lead, shift)) in leads.iter().enumerate() {
        let name = ["left", "right"][li];
        let layer1 = shifted(&lead.geometry.layer, *shift);
        let layer2 = shifted(&layer1, lead.geometry.period);
        if !block(model, cell, scattering, &layer2, false)?.is_empty() {
            return Err(Error::run(format!(
                "{name} lead: the scattering region couples to lead layer 2; include more lead \
                 layers in the scattering region"
            )));
        }
        let v = block(model, cell, scattering, &layer1, false)?.finish();
        out.push(Lead {
            h00: lead.h00.clone(),
            h01: lead.h01.clone(),
            coupling: v,
        });
        if model.is_orthogonal() {
            continue;
        }
        let Some([s00, s01]) = &lead.overlap else {
            return Err(Error::run(format!(
                "{name} lead: blocks built without the overlap of a non-orthogonal model"
            )));
        };
        overlap_leads.push(Lead {
            h00: s00.clone(),
            h01: s01.clone(),
            coupling: block(&OverlapOf(model), cell, scattering, &layer1, false)?.finish(),
        });
    }
    let overlap = match (overlap_leads.pop(), overlap_leads.pop()) {
        (Some(r), Some(l)) => Some(Box::new(Overlap {
            s_s: block(&OverlapOf(model), cell, scattering, scattering, true)?.finish(),
            leads: [l, r],
        })),
        _ => None,
    };
    let right = out.pop();
    let left = out.pop();
    let (Some(left), Some(right)) = (left, right) else {
        return Err(Error::run("two leads are needed"));
    };
    let mut p = TransportProblem {
        h_s,
        leads: [left, right],
        kpoints: Vec::new(),
        overlap,
    };
    let points = if cell.dim() == 0 {
        vec![MeshPoint {
            index: [1, 1],
            point: KPoint {
                k: BlochPhases::default(),
                weight: 1.0,
            },
        }]
    } else {
        let pts = monkhorst_pack(mesh.n, mesh.time_reversal && p.is_real())?;
        p.kpoints = pts.iter().map(|m| m.point).collect();
        pts
    };
    p.validate()?;
    Ok((p, points))
}

/// Build the transport problem of a scattering region between two wire leads: the case of
/// [`build_supercell_problem`] without periodic transverse directions.
pub fn build_problem(
    model: &dyn TightBinding,
    scattering: &[Atom],
    leads: [&LeadGeometry; 2],
) -> Result<TransportProblem> {
    let cell = Supercell::none();
    let l = lead_blocks(model, &cell, leads[0], "left")?;
    let r = lead_blocks(model, &cell, leads[1], "right")?;
    let mesh = KMesh {
        n: [1, 1],
        time_reversal: false,
    };
    let (p, _) = build_supercell_problem(
        model,
        &cell,
        scattering,
        [(&l, [0.0; 3]), (&r, [0.0; 3])],
        mesh,
    )?;
    Ok(p)
}
