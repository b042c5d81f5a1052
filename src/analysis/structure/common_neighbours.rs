//! Common-neighbour analysis (CNA) of an atom's first shell: fcc, hcp, icosahedral or five-fold.
//!
//! J. D. Honeycutt and H. C. Andersen, J. Phys. Chem. 91, 4950 (1987); D. Faken and H. Jónsson,
//! Comput. Mater. Sci. 2, 279 (1994); in the adaptive form of A. Stukowski, Modelling Simul.
//! Mater. Sci. Eng. 20, 045021 (2012) (OVITO's default), which copes with thermal motion and
//! the strained shells of thin wires: an atom's shell is its 12 nearest neighbours, and two of
//! them are bonded when closer than the local cutoff r_c = (1 + √2)/2 · r̄, r̄ the mean distance
//! of the 12 (midway between the first and second fcc shells, r̄ and √2 r̄). For the bond i–j to
//! a shell atom, the signature (n_cn, n_b, n_lc) counts the shell atoms bonded to j (the common
//! neighbours, n_cn), the bonds among them (n_b), and the bonds of the largest cluster of those
//! bonds joined through shared atoms (n_lc). The atom is
//! - fcc when all twelve bonds are (4,2,1),
//! - hcp when six are (4,2,1) and six (4,2,2) (an atom of a stacking fault or twin plane:
//!   the ABC→ABA slip of the gold paper, seed 000, whose ρ(θ) adds 109.5° and 146.4°),
//! - icosahedral when all twelve are (5,5,5),
//! - five-fold when some but not all are (5,5,5): the axis of a decahedron or of a pentagonal
//!   nanowire (as in the thin gold wires of O. Gülseren, F. Ercolessi and E. Tosatti,
//!   Phys. Rev. Lett. 80, 3775 (1998)), whose axis atoms have two (5,5,5) and ten (4,2,2)
//!   bonds, and ρ(θ) peaks at 60°, 91°, 111°, 120°, 149° and 180°;
//!
//! and "other" otherwise (fewer than 12 neighbours, surfaces, disorder).

/// Local structure of one atom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalStructure {
    Fcc,
    Hcp,
    Icosahedral,
    FiveFold,
    Other,
}

/// Atoms of each local structure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StructureCounts {
    pub fcc: u64,
    pub hcp: u64,
    pub icosahedral: u64,
    pub five_fold: u64,
    pub other: u64,
}

impl StructureCounts {
    /// Count one atom.
    pub fn add(&mut self, s: LocalStructure) {
        match s {
            LocalStructure::Fcc => self.fcc += 1,
            LocalStructure::Hcp => self.hcp += 1,
            LocalStructure::Icosahedral => self.icosahedral += 1,
            LocalStructure::FiveFold => self.five_fold += 1,
            LocalStructure::Other => self.other += 1,
        }
    }

    /// Add another set of counts.
    pub fn merge(&mut self, o: &StructureCounts) {
        self.fcc += o.fcc;
        self.hcp += o.hcp;
        self.icosahedral += o.icosahedral;
        self.five_fold += o.five_fold;
        self.other += o.other;
    }

    /// All atoms counted.
    pub fn total(&self) -> u64 {
        self.fcc + self.hcp + self.icosahedral + self.five_fold + self.other
    }

    /// (name, count) of each structure, in a fixed order (for tables).
    pub fn named(&self) -> [(&'static str, u64); 5] {
        [
            ("fcc", self.fcc),
            ("hcp", self.hcp),
            ("icosahedral", self.icosahedral),
            ("five_fold", self.five_fold),
            ("other", self.other),
        ]
    }
}

/// Classify an atom from its bond vectors r_j − r_i (its neighbours within a search radius
/// beyond the first shell, Å; at least 12 of them, or it is "other").
pub fn classify(bonds: &[[f64; 3]]) -> LocalStructure {
    const SHELL: usize = 12;
    if bonds.len() < SHELL {
        return LocalStructure::Other;
    }
    let norm2 = |v: &[f64; 3]| v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    let mut shell: Vec<[f64; 3]> = bonds.to_vec();
    shell.sort_by(|a, b| norm2(a).total_cmp(&norm2(b)));
    shell.truncate(SHELL);
    let mean = shell.iter().map(|v| norm2(v).sqrt()).sum::<f64>() / SHELL as f64;
    let rc = 0.5 * (1.0 + 2f64.sqrt()) * mean;
    let rc2 = rc * rc;
    let mut bonded = [[false; SHELL]; SHELL];
    for a in 0..SHELL {
        for b in a + 1..SHELL {
            let d = [
                shell[b][0] - shell[a][0],
                shell[b][1] - shell[a][1],
                shell[b][2] - shell[a][2],
            ];
            let close = norm2(&d) < rc2;
            bonded[a][b] = close;
            bonded[b][a] = close;
        }
    }
    let (mut n421, mut n422, mut n555) = (0, 0, 0);
    for j in 0..SHELL {
        let common: Vec<usize> = (0..SHELL).filter(|&k| bonded[j][k]).collect();
        match signature(&common, &bonded) {
            (4, 2, 1) => n421 += 1,
            (4, 2, 2) => n422 += 1,
            (5, 5, 5) => n555 += 1,
            _ => {}
        }
    }
    if n421 == SHELL {
        LocalStructure::Fcc
    } else if n421 == 6 && n422 == 6 {
        LocalStructure::Hcp
    } else if n555 == SHELL {
        LocalStructure::Icosahedral
    } else if n555 > 0 {
        LocalStructure::FiveFold
    } else {
        LocalStructure::Other
    }
}

/// (n_cn, n_b, n_lc) of a bond whose common neighbours are `common` (indices into `bonded`).
fn signature(common: &[usize], bonded: &[[bool; 12]; 12]) -> (usize, usize, usize) {
    let m = common.len();
    // Union–find over the common neighbours; a cluster's bonds are counted at its root.
    let mut parent: Vec<usize> = (0..m).collect();
    fn root(parent: &mut [usize], mut a: usize) -> usize {
        while parent[a] != a {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        a
    }
    let mut pairs = Vec::new();
    for a in 0..m {
        for b in a + 1..m {
            if bonded[common[a]][common[b]] {
                pairs.push(a);
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra] = rb;
            }
        }
    }
    let mut per_cluster = vec![0; m];
    for &a in &pairs {
        per_cluster[root(&mut parent, a)] += 1;
    }
    (m, pairs.len(), per_cluster.into_iter().max().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: f64 = 2.885;

    /// Close-packed shell: six in the plane, three above at the hollows (30°, 150°, 270°) and
    /// three below at the same hollows (hcp, ABA) or at the other ones (fcc, ABC).
    fn close_packed(hcp: bool) -> Vec<[f64; 3]> {
        let r = D / 3f64.sqrt();
        let h = D * (2.0f64 / 3.0).sqrt();
        let mut v: Vec<[f64; 3]> = (0..6)
            .map(|k| {
                let t = (60.0 * k as f64).to_radians();
                [D * t.cos(), D * t.sin(), 0.0]
            })
            .collect();
        for (z, offset) in [(h, 30.0), (-h, if hcp { 30.0 } else { 90.0 })] {
            for k in 0..3 {
                let t = (offset + 120.0 * k as f64).to_radians();
                v.push([r * t.cos(), r * t.sin(), z]);
            }
        }
        v
    }

    #[test]
    fn fcc_and_hcp_stackings() {
        assert_eq!(classify(&close_packed(false)), LocalStructure::Fcc);
        assert_eq!(classify(&close_packed(true)), LocalStructure::Hcp);
        // The cube-axis shell of fcc, a/2 (±1, ±1, 0) and permutations.
        let h = D / 2f64.sqrt();
        let mut cube = Vec::new();
        for (s, t) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
            cube.push([s * h, t * h, 0.0]);
            cube.push([s * h, 0.0, t * h]);
            cube.push([0.0, s * h, t * h]);
        }
        assert_eq!(classify(&cube), LocalStructure::Fcc);
        // A missing neighbour (a surface atom) is not fcc; the second shell (a along the cube
        // axes) does not change the first.
        assert_eq!(classify(&cube[1..]), LocalStructure::Other);
        let a = 2.0 * h;
        let mut two_shells = cube.clone();
        two_shells.extend([[a, 0.0, 0.0], [0.0, -a, 0.0], [0.0, 0.0, a]]);
        assert_eq!(classify(&two_shells), LocalStructure::Fcc);
        // A shell compressed by 5 % and randomly displaced by up to 0.1 Å stays fcc.
        let jiggled: Vec<[f64; 3]> = cube
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let e = 0.1 * ((k as f64 * 2.39).sin());
                [
                    0.95 * v[0] + e,
                    0.95 * v[1] - 0.5 * e,
                    0.95 * v[2] + 0.3 * e,
                ]
            })
            .collect();
        assert_eq!(classify(&jiggled), LocalStructure::Fcc);
    }

    #[test]
    fn icosahedron_and_pentagonal_axis() {
        // The 12 vertices of an icosahedron at distance D from its centre.
        let phi = (1.0 + 5f64.sqrt()) / 2.0;
        let s = D / (1.0 + phi * phi).sqrt();
        let mut ico = Vec::new();
        for a in [-1.0, 1.0] {
            for b in [-phi, phi] {
                ico.push([0.0, a * s, b * s]);
                ico.push([a * s, b * s, 0.0]);
                ico.push([b * s, 0.0, a * s]);
            }
        }
        assert_eq!(classify(&ico), LocalStructure::Icosahedral);
        // An atom on the axis of a pentagonal column: axis neighbours at ±D and eclipsed rings
        // of five at ±D/2, all at distance D.
        let rho = D * 0.75f64.sqrt();
        let mut axis = vec![[0.0, 0.0, D], [0.0, 0.0, -D]];
        for z in [0.5 * D, -0.5 * D] {
            for k in 0..5 {
                let t = (72.0 * k as f64).to_radians();
                axis.push([rho * t.cos(), rho * t.sin(), z]);
            }
        }
        assert_eq!(classify(&axis), LocalStructure::FiveFold);
        let mut c = StructureCounts::default();
        for st in [
            LocalStructure::Fcc,
            LocalStructure::FiveFold,
            LocalStructure::Fcc,
        ] {
            c.add(st);
        }
        assert_eq!((c.fcc, c.five_fold, c.total()), (2, 1, 3));
    }
}
