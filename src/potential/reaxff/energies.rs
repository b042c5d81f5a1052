//! The 14 energy terms of ReaxFF as LAMMPS's `compute pair reaxff` lists them, and the
//! accumulators the terms write to: ∂E/∂Δ per atom and the gradient of the energy per atom.

/// LAMMPS's names of the 14 terms, in `compute pair reaxff` order.
pub const TERM_NAMES: [&str; 14] = [
    "eb", "ea", "elp", "emol", "ev", "epen", "ecoa", "ehb", "et", "eco", "ew", "ep", "efi", "eqeq",
];

/// Energy of each term, kcal/mol (the force field's unit).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Energies {
    /// Bond (with the terminal triple-bond stabilisation).
    pub bond: f64,
    /// Over- and under-coordination.
    pub atom: f64,
    /// Lone pair (with the C2 correction).
    pub lone_pair: f64,
    /// Valence angle, penalty, coalition.
    pub angle: f64,
    pub penalty: f64,
    pub coalition: f64,
    /// Hydrogen bond.
    pub hbond: f64,
    /// Torsion and four-body conjugation.
    pub torsion: f64,
    pub conjugation: f64,
    /// van der Waals (with the inner wall and the low-gradient correction) and Coulomb.
    pub vdw: f64,
    pub coulomb: f64,
    /// Charge self-energy Σ 23.02 (χ q + η q²/2) (LAMMPS `e_pol`).
    pub polarization: f64,
}

impl Energies {
    /// The 14 terms in [`TERM_NAMES`] order (`emol` and `efi` are zero, as in LAMMPS).
    pub fn terms(&self) -> [f64; 14] {
        [
            self.bond,
            self.atom,
            self.lone_pair,
            0.0,
            self.angle,
            self.penalty,
            self.coalition,
            self.hbond,
            self.torsion,
            self.conjugation,
            self.vdw,
            self.coulomb,
            0.0,
            self.polarization,
        ]
    }

    /// The sum of all terms.
    pub fn total(&self) -> f64 {
        self.terms().iter().sum()
    }

    /// Set from a [`Self::terms`] array (after a sum over ranks).
    pub fn from_terms(t: &[f64; 14]) -> Energies {
        Energies {
            bond: t[0],
            atom: t[1],
            lone_pair: t[2],
            angle: t[4],
            penalty: t[5],
            coalition: t[6],
            hbond: t[7],
            torsion: t[8],
            conjugation: t[9],
            vdw: t[10],
            coulomb: t[11],
            polarization: t[13],
        }
    }
}

/// What the energy terms accumulate: energies, ∂E/∂Δ per atom and ∂E/∂x per atom (over all
/// atoms held, kcal/mol and kcal/(mol Å)).
#[derive(Clone, Debug, Default)]
pub struct Accum {
    pub e: Energies,
    pub cd_delta: Vec<f64>,
    pub grad: Vec<[f64; 3]>,
}

impl Accum {
    /// Zero everything for `nall` atoms.
    pub fn reset(&mut self, nall: usize) {
        self.e = Energies::default();
        self.cd_delta.clear();
        self.cd_delta.resize(nall, 0.0);
        self.grad.clear();
        self.grad.resize(nall, [0.0; 3]);
    }

    /// grad[a] += c v.
    pub fn add(&mut self, a: usize, c: f64, v: &[f64; 3]) {
        let g = &mut self.grad[a];
        g[0] += c * v[0];
        g[1] += c * v[1];
        g[2] += c * v[2];
    }
}

/// cos θ of the angle at a vertex between the vectors `a` and `b` (from the vertex to the two
/// ends), clamped to [−1, 1], and ∂cos θ/∂(end of a), ∂cos θ/∂(end of b); the vertex gets minus
/// their sum.
pub fn cos_angle(a: &[f64; 3], b: &[f64; 3]) -> (f64, [f64; 3], [f64; 3]) {
    let (ra2, rb2) = (dot(a, a), dot(b, b));
    let inv = 1.0 / (ra2 * rb2).sqrt();
    let c = dot(a, b) * inv;
    let mut da = [0.0; 3];
    let mut db = [0.0; 3];
    for k in 0..3 {
        da[k] = b[k] * inv - c * a[k] / ra2;
        db[k] = a[k] * inv - c * b[k] / rb2;
    }
    (c.clamp(-1.0, 1.0), da, db)
}

/// a · b.
pub fn dot(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// a × b.
pub fn cross(a: &[f64; 3], b: &[f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}
