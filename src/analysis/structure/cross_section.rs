//! Minimal cross-section of a nanojunction along its axis z (gold rheology paper, seed 000: "a
//! well defined minimal midpoint cross section of area A ≈ Nπr0², where r0 ≈ 0.144 nm is the
//! atomic radius and N the atom number inside that cross section").
//!
//! The junction is cut into slabs normal to z one atomic interlayer spacing d thick (for a [111]
//! junction the (111) spacing a/√3), each centred on an atomic layer rather than on a fixed grid:
//! layers drift off any grid fixed to a lead (thermal expansion, the static tension, and under
//! drive the imposed displacement of the other lead, several Å), and a fixed slab would cut a
//! layer in two and fake a thin neck. Layers are the maxima of the density of atomic heights
//! smoothed with a Gaussian of width σ = d/6 (two sheets of a layer buckled by heat or strain
//! merge, layers d apart stay distinct), taken highest first and each at least 0.6·d from the
//! ones already taken; every atom belongs to the nearest layer, so an atom between layers is not
//! a layer of its own and each atom is counted once. N(z) is the number of atoms of each layer at
//! their mean height z; the neck is the layer of least N, its area A = N·π·r0² and its
//! equivalent radius R = √(A/π) = r0·√N. In a disordered stretch the layers are the density's
//! ripples at least 0.6·d apart, so N there is the atoms in slabs of about d.

/// The atomic radius of gold used by the paper for A = N·π·r0², nm.
pub const GOLD_ATOMIC_RADIUS_NM: f64 = 0.144;

/// Atom counts of the layers along z.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerProfile {
    /// Interlayer spacing d, Å.
    pub spacing: f64,
    /// Mean height of each layer, ascending, Å.
    pub z: Vec<f64>,
    /// Atoms in each layer.
    pub counts: Vec<usize>,
}

/// The narrowest layer of a profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Neck {
    /// Atoms in the layer, N.
    pub n_atoms: usize,
    /// Mean height of the layer, Å.
    pub z_a: f64,
    /// A = N·π·r0², nm².
    pub area_nm2: f64,
    /// R = r0·√N, nm.
    pub radius_nm: f64,
}

impl Neck {
    /// The neck of N atoms at z with atomic radius `r0_nm`.
    pub fn new(n_atoms: usize, z_a: f64, r0_nm: f64) -> Neck {
        let area_nm2 = n_atoms as f64 * std::f64::consts::PI * r0_nm * r0_nm;
        Neck {
            n_atoms,
            z_a,
            area_nm2,
            radius_nm: r0_nm * (n_atoms as f64).sqrt(),
        }
    }
}

impl LayerProfile {
    /// The layers of atoms at heights `z` with interlayer spacing `spacing` (module
    /// documentation). `None` when there is no atom.
    pub fn count(z: &[f64], spacing: f64) -> Option<LayerProfile> {
        let mut zs = z.to_vec();
        zs.sort_by(f64::total_cmp);
        let (lo, hi) = (*zs.first()?, *zs.last()?);
        // Smoothed density on a grid of step d/100 reaching 4σ beyond the atoms.
        let sigma = spacing / 6.0;
        let h = spacing / 100.0;
        let start = lo - 4.0 * sigma;
        let n = ((hi - lo + 8.0 * sigma) / h).ceil() as usize + 1;
        let mut rho = vec![0.0; n];
        let reach = (4.0 * sigma / h).ceil() as i64;
        for &v in &zs {
            let c = ((v - start) / h).round() as i64;
            for g in (c - reach).max(0)..=(c + reach).min(n as i64 - 1) {
                let u = (start + g as f64 * h - v) / sigma;
                rho[g as usize] += (-0.5 * u * u).exp();
            }
        }
        // Local maxima, highest first, each at least 0.6 d from those taken.
        let mut peaks: Vec<usize> = (1..n - 1)
            .filter(|&g| rho[g] > rho[g - 1] && rho[g] >= rho[g + 1])
            .collect();
        peaks.sort_by(|&a, &b| rho[b].total_cmp(&rho[a]).then(a.cmp(&b)));
        let min_sep = 0.6 * spacing;
        let mut centres: Vec<f64> = Vec::new();
        for g in peaks {
            let c = start + g as f64 * h;
            if centres.iter().all(|&t| (t - c).abs() >= min_sep) {
                centres.push(c);
            }
        }
        centres.sort_by(f64::total_cmp);
        // Each atom to the nearest centre (boundaries at the midpoints).
        let mut sums = vec![(0.0, 0usize); centres.len()];
        let mut k = 0;
        for &v in &zs {
            while k + 1 < centres.len() && v > 0.5 * (centres[k] + centres[k + 1]) {
                k += 1;
            }
            sums[k].0 += v;
            sums[k].1 += 1;
        }
        let sums: Vec<(f64, usize)> = sums.into_iter().filter(|s| s.1 > 0).collect();
        Some(LayerProfile {
            spacing,
            z: sums.iter().map(|&(s, m)| s / m as f64).collect(),
            counts: sums.iter().map(|&(_, m)| m).collect(),
        })
    }

    /// The data series N(z): layer heights (Å) and counts, for tables and plots.
    pub fn series(&self) -> (Vec<f64>, Vec<f64>) {
        (
            self.z.clone(),
            self.counts.iter().map(|&n| n as f64).collect(),
        )
    }

    /// The layer of least N; among equal minima the one nearest the middle of the profile's
    /// height range (the midpoint between the leads when the profile spans the free junction).
    pub fn neck(&self, r0_nm: f64) -> Neck {
        let n_min = self.counts.iter().copied().min().unwrap_or(0);
        let (z0, z1) = (
            self.z.first().copied().unwrap_or(0.0),
            self.z.last().copied().unwrap_or(0.0),
        );
        let mid = 0.5 * (z0 + z1);
        let k = (0..self.counts.len())
            .filter(|&k| self.counts[k] == n_min)
            .min_by(|&a, &b| (self.z[a] - mid).abs().total_cmp(&(self.z[b] - mid).abs()))
            .unwrap_or(0);
        Neck::new(n_min, self.z.get(k).copied().unwrap_or(0.0), r0_nm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Layers of the given sizes at spacing 2 from `z0`, each atom jittered by up to ±`jitter`.
    fn layers(sizes: &[usize], z0: f64, jitter: f64) -> Vec<f64> {
        let mut z = Vec::new();
        for (k, n) in sizes.iter().enumerate() {
            for i in 0..*n {
                z.push(z0 + 2.0 * k as f64 + jitter * ((i % 3) as f64 - 1.0));
            }
        }
        z
    }

    #[test]
    fn layers_and_neck() {
        let p = LayerProfile::count(&layers(&[5, 3, 2, 4], 0.0, 0.3), 2.0).unwrap();
        assert_eq!(p.counts, vec![5, 3, 2, 4]);
        for (k, z) in p.z.iter().enumerate() {
            assert!((z - 2.0 * k as f64).abs() < 0.3);
        }
        let neck = p.neck(0.144);
        assert_eq!(neck.n_atoms, 2);
        assert!((neck.z_a - 4.0).abs() < 0.3);
        assert!((neck.area_nm2 - 2.0 * std::f64::consts::PI * 0.144 * 0.144).abs() < 1e-15);
        assert!((neck.radius_nm - 0.144 * 2f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn layers_anywhere_are_not_cut() {
        // A grid fixed at 0, 2, 4 would split every layer of this stack in two.
        let p = LayerProfile::count(&layers(&[7, 4, 7], 0.9, 0.1), 2.0).unwrap();
        assert_eq!(p.counts, vec![7, 4, 7]);
        assert_eq!(p.neck(0.144).n_atoms, 4);
    }

    #[test]
    fn a_buckled_layer_stays_one() {
        // The middle layer in two sheets 0.8 apart (gap > d/3, together < d/2).
        let mut z = layers(&[6, 0, 6], 0.0, 0.05);
        z.extend([1.6, 1.6, 1.6, 2.4, 2.4]);
        let p = LayerProfile::count(&z, 2.0).unwrap();
        assert_eq!(p.counts, vec![6, 5, 6]);
    }

    #[test]
    fn an_atom_between_layers_joins_the_nearest() {
        let mut z = layers(&[6, 6, 6], 0.0, 0.05);
        z.push(2.8);
        let p = LayerProfile::count(&z, 2.0).unwrap();
        assert_eq!(p.counts, vec![6, 7, 6]);
    }

    #[test]
    fn disordered_stretches_give_slabs_of_about_d() {
        let z: Vec<f64> = (0..=40).map(|i| 0.1 * i as f64).collect();
        let p = LayerProfile::count(&z, 2.0).unwrap();
        assert_eq!(p.counts.iter().sum::<usize>(), 41);
        assert!(p.z.windows(2).all(|w| w[1] - w[0] >= 1.0), "{:?}", p.z);
        assert!((2..=4).contains(&p.counts.len()), "{:?}", p.counts);
    }

    #[test]
    fn ties_go_to_the_middle() {
        let p = LayerProfile::count(&layers(&[2, 1, 1, 1, 2], 0.0, 0.0), 2.0).unwrap();
        assert!((p.neck(0.144).z_a - 4.0).abs() < 1e-12);
        assert!(LayerProfile::count(&[], 2.0).is_none());
    }
}
