//! Common-neighbour analysis (CNA) of an atom's first shell: fcc, hcp, icosahedral or five-fold.
//!
//! J. D. Honeycutt and H. C. Andersen, J. Phys. Chem. 91, 4950 (1987); D. Faken and H. Jónsson,
//! Comput. Mater. Sci. 2, 279 (1994) (the "conventional" CNA with one cutoff r_c between the
//! first and second neighbour shells, as OVITO's). For the bond i–j of two neighbours
//! (|r_ij| < r_c), the signature (n_cn, n_b, n_lc) counts the atoms bonded to both i and j
//! (n_cn), the bonds among those common neighbours (n_b), and the bonds of the largest cluster of
//! those bonds joined through shared atoms (n_lc). An atom with 12 neighbours is
//! - fcc when all twelve bonds are (4,2,1),
//! - hcp when six are (4,2,1) and six (4,2,2) (an atom of a stacking fault or twin plane:
//!   the ABC→ABA slip of the gold paper, seed 000, whose ρ(θ) adds 109.5° and 146.4°),
//! - icosahedral when all twelve are (5,5,5),
//! - five-fold when some but not all are (5,5,5): the axis of a decahedron or of a pentagonal
//!   nanowire (as in the thin gold wires of O. Gülseren, F. Ercolessi and E. Tosatti,
//!   Phys. Rev. Lett. 80, 3775 (1998)), whose axis atoms have two (5,5,5) and ten (4,2,2)
//!   bonds;
//!
//! and anything else (other coordinations, surfaces, disorder) is "other".

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

/// Classify an atom from its bond vectors r_j − r_i (all its neighbours within `cutoff_a`, Å).
pub fn classify(bonds: &[[f64; 3]], cutoff_a: f64) -> LocalStructure {
    const SHELL: usize = 12;
    if bonds.len() != SHELL {
        return LocalStructure::Other;
    }
    let rc2 = cutoff_a * cutoff_a;
    let mut bonded = [[false; SHELL]; SHELL];
    for a in 0..SHELL {
        for b in a + 1..SHELL {
            let d = [
                bonds[b][0] - bonds[a][0],
                bonds[b][1] - bonds[a][1],
                bonds[b][2] - bonds[a][2],
            ];
            let close = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < rc2;
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
    const RC: f64 = 3.5;

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
        assert_eq!(classify(&close_packed(false), RC), LocalStructure::Fcc);
        assert_eq!(classify(&close_packed(true), RC), LocalStructure::Hcp);
        // The cube-axis shell of fcc, a/2 (±1, ±1, 0) and permutations.
        let h = D / 2f64.sqrt();
        let mut cube = Vec::new();
        for (s, t) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
            cube.push([s * h, t * h, 0.0]);
            cube.push([s * h, 0.0, t * h]);
            cube.push([0.0, s * h, t * h]);
        }
        assert_eq!(classify(&cube, RC), LocalStructure::Fcc);
        // A missing neighbour (a surface atom) is not fcc.
        assert_eq!(classify(&cube[1..], RC), LocalStructure::Other);
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
        assert_eq!(classify(&ico, RC), LocalStructure::Icosahedral);
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
        assert_eq!(classify(&axis, RC), LocalStructure::FiveFold);
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
