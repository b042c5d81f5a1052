//! Three-body (bond-angle) distribution ρ(θ) of interior atoms (gold rheology paper, seed 000,
//! Fig. 1c: "the first-neighbour three-body angular correlation function ρ(θ) of the interior
//! atoms in the central nanoneck portion, defined by carefully excluding atoms in both the tip
//! anvils and the outer nanojunction surface layer").
//!
//! Neighbours of an atom are the atoms closer than a cutoff r_c between the first and second
//! neighbour shells of the crystal (for gold, 2.88 Å and 4.08 Å; the default r_c = 3.5 Å). An
//! atom is interior when it has at least `min_coordination` neighbours (fcc bulk: 12; a (111)
//! surface atom 9, (100) 8, (110) 7: the default 11 excludes every surface site). For each
//! interior atom i and each pair j < k of its neighbours, θ = arccos(r̂_ij·r̂_ik) is histogrammed.
//! In a perfect fcc crystal the 12 neighbours give 66 angles: 24 at 60°, 12 at 90°, 24 at 120°
//! and 6 at 180° (for a bond (110)·a/2, among the 11 others 4 are at 60°, 2 at 90°, 4 at 120° and
//! 1 at 180°); an hcp stacking adds 109.5° and 146.4°, a liquid or glass only broad 60° and 120°
//! peaks.
//!
//! Bins are centred on multiples of Δθ (θ_k = kΔθ, k = 0..180/Δθ; the end bins are half wide), so
//! that the exact crystal angles fall in the middle of a bin. ρ is normalised to ∫ρ dθ = 1
//! (per degree).

use crate::error::{Error, Result};
use crate::system::SimBox;

/// Neighbour cutoff and the interior criterion.
#[derive(Clone, Copy, Debug, clap::Args)]
pub struct AngleParams {
    /// Neighbour cutoff of ρ(θ), Å (between the first and second shells).
    #[arg(long, default_value_t = 3.5)]
    pub cutoff_a: f64,
    /// Interior atoms have at least this many neighbours (fcc bulk 12, surfaces ≤ 9).
    #[arg(long, default_value_t = 11)]
    pub min_coordination: usize,
}

impl Default for AngleParams {
    /// r_c = 3.5 Å (between gold's first and second shells), interior at ≥ 11 neighbours.
    fn default() -> Self {
        AngleParams {
            cutoff_a: 3.5,
            min_coordination: 11,
        }
    }
}

/// A peak of ρ(θ).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Peak {
    /// Position, degrees.
    pub theta_deg: f64,
    /// Height of the (smoothed) ρ at the peak, 1/degree.
    pub rho_per_deg: f64,
}

/// Accumulated angle counts over frames.
#[derive(Clone, Debug)]
pub struct AngleHistogram {
    /// Bin width Δθ, degrees.
    pub bin_deg: f64,
    /// Angles in each bin (bin k centred on kΔθ).
    pub counts: Vec<u64>,
    /// Interior (centre) atoms summed over the frames.
    pub centres: u64,
    /// Frames added.
    pub frames: usize,
}

impl AngleHistogram {
    /// An empty histogram; 180/Δθ must be a whole number.
    pub fn new(bin_deg: f64) -> Result<AngleHistogram> {
        let nb = 180.0 / bin_deg;
        if !(bin_deg > 0.0 && bin_deg.is_finite()) || (nb - nb.round()).abs() > 1e-9 {
            return Err(Error::run(format!(
                "angle bin width {bin_deg}° must be positive and divide 180°"
            )));
        }
        Ok(AngleHistogram {
            bin_deg,
            counts: vec![0; nb.round() as usize + 1],
            centres: 0,
            frames: 0,
        })
    }

    /// Add the angles of one frame: centres are the `candidates` (indices into `positions`) that
    /// are interior; their neighbours are searched among all `positions` with the minimum image
    /// along periodic axes of `simbox`. Returns the number of interior centres found.
    pub fn add_frame(
        &mut self,
        simbox: &SimBox,
        positions: &[[f64; 3]],
        candidates: &[usize],
        p: &AngleParams,
    ) -> Result<usize> {
        self.add_frame_with(simbox, positions, candidates, p, |_| {})
    }

    /// [`Self::add_frame`], handing each interior centre's bond vectors r_j − r_i (minimum
    /// image, Å) to `visit` as well (e.g. for the common-neighbour analysis of the same atoms).
    pub fn add_frame_with(
        &mut self,
        simbox: &SimBox,
        positions: &[[f64; 3]],
        candidates: &[usize],
        p: &AngleParams,
        mut visit: impl FnMut(&[[f64; 3]]),
    ) -> Result<usize> {
        let rc = p.cutoff_a;
        if !(rc > 0.0 && rc.is_finite()) {
            return Err(Error::run(format!(
                "neighbour cutoff must be positive, got {rc} Å"
            )));
        }
        let len = simbox.lengths();
        for d in 0..3 {
            if simbox.periodic(d) && len[d] <= 2.0 * rc {
                return Err(Error::run(format!(
                    "periodic box length {:.4} Å along {} is not more than twice the neighbour cutoff {rc} Å",
                    len[d],
                    ["x", "y", "z"][d]
                )));
            }
        }
        let rc2 = rc * rc;
        let last = self.counts.len() - 1;
        let mut used = 0;
        let mut bonds: Vec<[f64; 3]> = Vec::with_capacity(16);
        for &i in candidates {
            bonds.clear();
            for (j, xj) in positions.iter().enumerate() {
                if j == i {
                    continue;
                }
                let d = simbox.minimum_image(&positions[i], xj);
                if d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < rc2 {
                    bonds.push(d);
                }
            }
            if bonds.len() < p.min_coordination {
                continue;
            }
            used += 1;
            visit(&bonds);
            for b in bonds.iter_mut() {
                let r = dot(b, b).sqrt();
                *b = [b[0] / r, b[1] / r, b[2] / r];
            }
            for (a, u) in bonds.iter().enumerate() {
                for v in &bonds[a + 1..] {
                    let c = dot(u, v).clamp(-1.0, 1.0);
                    let theta = c.acos().to_degrees();
                    let k = (theta / self.bin_deg).round() as usize;
                    self.counts[k.min(last)] += 1;
                }
            }
        }
        self.centres += used as u64;
        self.frames += 1;
        Ok(used)
    }

    /// Total number of angles.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Bin centres θ_k = kΔθ, degrees.
    pub fn theta_deg(&self) -> Vec<f64> {
        (0..self.counts.len())
            .map(|k| k as f64 * self.bin_deg)
            .collect()
    }

    /// Width of bin k (the end bins, [0, Δθ/2] and [180 − Δθ/2, 180], are half wide), degrees.
    fn width(&self, k: usize) -> f64 {
        if k == 0 || k + 1 == self.counts.len() {
            0.5 * self.bin_deg
        } else {
            self.bin_deg
        }
    }

    /// ρ(θ_k) = n_k / (N Δθ_k), normalised to ∫ρ dθ = 1, 1/degree (zero when empty).
    pub fn rho(&self) -> Vec<f64> {
        let n = self.total() as f64;
        (0..self.counts.len())
            .map(|k| {
                if n > 0.0 {
                    self.counts[k] as f64 / (n * self.width(k))
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// The data series ρ(θ): bin centres (degrees) and ρ (1/degree), for tables and plots.
    pub fn series(&self) -> (Vec<f64>, Vec<f64>) {
        (self.theta_deg(), self.rho())
    }

    /// ρ convolved with a Gaussian of standard deviation `sigma_deg` (no smoothing when 0),
    /// the kernel renormalised where it runs past 0° or 180°.
    pub fn smoothed(&self, sigma_deg: f64) -> Vec<f64> {
        let rho = self.rho();
        if sigma_deg <= 0.0 {
            return rho;
        }
        let s = sigma_deg / self.bin_deg;
        let reach = (4.0 * s).ceil() as i64;
        let nb = rho.len() as i64;
        (0..nb)
            .map(|k| {
                let (mut sum, mut wsum) = (0.0, 0.0);
                for m in (k - reach).max(0)..=(k + reach).min(nb - 1) {
                    let w = (-0.5 * ((m - k) as f64 / s).powi(2)).exp();
                    sum += w * rho[m as usize];
                    wsum += w;
                }
                sum / wsum
            })
            .collect()
    }

    /// Peaks of ρ smoothed with `sigma_deg`: bins higher than every other bin within
    /// ±`half_window_deg` (the first of equal bins counts) and at least `min_rel_height` of the
    /// highest bin.
    pub fn peaks(&self, sigma_deg: f64, half_window_deg: f64, min_rel_height: f64) -> Vec<Peak> {
        let rho = self.smoothed(sigma_deg);
        let top = rho.iter().copied().fold(0.0, f64::max);
        if top <= 0.0 {
            return Vec::new();
        }
        let w = (half_window_deg / self.bin_deg).round().max(1.0) as usize;
        let n = rho.len();
        (0..n)
            .filter(|&k| {
                rho[k] >= min_rel_height * top
                    && (k.saturating_sub(w)..k).all(|m| rho[m] < rho[k])
                    && (k + 1..(k + w + 1).min(n)).all(|m| rho[m] <= rho[k])
            })
            .map(|k| Peak {
                theta_deg: k as f64 * self.bin_deg,
                rho_per_deg: rho[k],
            })
            .collect()
    }
}

fn dot(u: &[f64; 3], v: &[f64; 3]) -> f64 {
    u[0] * v[0] + u[1] * v[1] + u[2] * v[2]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::Boundary;

    #[test]
    fn bins_and_normalisation() {
        let mut h = AngleHistogram::new(1.0).unwrap();
        assert_eq!(h.counts.len(), 181);
        h.counts[0] = 1;
        h.counts[90] = 2;
        h.counts[180] = 1;
        let rho = h.rho();
        let integral: f64 = (0..181).map(|k| rho[k] * h.width(k)).sum();
        assert!((integral - 1.0).abs() < 1e-15);
        assert!(AngleHistogram::new(7.0).is_err());
        assert!(AngleHistogram::new(0.0).is_err());
    }

    #[test]
    fn an_isolated_triangle_is_not_interior_unless_allowed() {
        let b = SimBox::new([-50.0; 3], [50.0; 3], [Boundary::Fixed; 3]);
        let x = [
            [0.0, 0.0, 0.0],
            [2.9, 0.0, 0.0],
            [1.45, 2.9 * 0.75f64.sqrt(), 0.0],
        ];
        let mut h = AngleHistogram::new(1.0).unwrap();
        assert_eq!(
            h.add_frame(&b, &x, &[0, 1, 2], &AngleParams::default())
                .unwrap(),
            0
        );
        let p = AngleParams {
            cutoff_a: 3.5,
            min_coordination: 2,
        };
        assert_eq!(h.add_frame(&b, &x, &[0, 1, 2], &p).unwrap(), 3);
        assert_eq!(h.counts[60], 3);
        assert_eq!(h.total(), 3);
    }
}
