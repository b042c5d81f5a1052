//! Globally adaptive Gauss–Kronrod quadrature (7-point Gauss, 15-point Kronrod; R. Piessens et
//! al., *QUADPACK*, Springer 1983, routine QK15) of vector-valued complex integrands, as the
//! energy integrals of the steady state need them: the density matrix or the response matrix
//! is one vector of many components, integrated over one parameter at once.
//!
//! On each interval the 15-point Kronrod rule gives the estimate and |K15 − G7| per component
//! the error. The components are split into groups (e.g. ρ and K, of different units); the
//! interval whose error, relative to its group's tolerance, is largest is halved until every
//! group's summed error is below max(abs_tol, rel_tol·‖I_group‖∞).
//!
//! Round-off floor (after QUADPACK's QAGS, which counts "no improvement" bisections): a piece
//! already within the whole tolerance whose two halves together estimate at least 0.8 (and at
//! most 4) times its own error did not improve by halving, as a smooth integrand would (by
//! 2⁻¹⁵ or so), a kink (1/4) or a step (1/2). When that happens twice in a row (a peak the
//! rule had missed shows itself instead by a jump of the error), the error is the integrand's
//! own noise (e.g. the round-off of mode matching, ~1e-14 for an 18-orbital lead): the halves
//! are kept but no longer split, and the integral returns when the other pieces meet the
//! tolerance, with the summed error, noise included, in [`Integral::error`].

use log::debug;

use crate::error::{Error, Result};
use crate::transport::dense::C64;

/// Kronrod abscissae on [−1, 1] (positive half, descending; the last is the centre).
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
/// Kronrod weights for [`XGK`].
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_2,
    0.140_653_259_715_525_9,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_8,
];
/// Gauss weights of the 7-point rule, at XGK[1], XGK[3], XGK[5], XGK[7].
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// Accuracy requested from [`integrate`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    /// Absolute error accepted per group (in the integrand's unit × parameter unit).
    pub abs: f64,
    /// Error accepted relative to the largest component of the group's integral.
    pub rel: f64,
    /// Most integrand evaluations before giving up.
    pub max_evals: usize,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            abs: 1e-13,
            rel: 1e-12,
            max_evals: 200_000,
        }
    }
}

/// The integral and the work it took.
#[derive(Clone, Debug)]
pub struct Integral {
    /// ∫ f, one value per component.
    pub value: Vec<C64>,
    /// Estimated error per group.
    pub error: Vec<f64>,
    /// Integrand evaluations.
    pub evals: usize,
}

struct Piece {
    a: f64,
    b: f64,
    value: Vec<C64>,
    /// Error per group.
    error: Vec<f64>,
    /// Halvings in a row, down to this piece, that did not reduce the error.
    stalls: u8,
}

/// Halvings in a row without improvement after which a piece is at the round-off floor.
const FLOOR_STALLS: u8 = 2;

impl Piece {
    /// The largest error relative to what each group allows.
    fn ratio(&self, allowed: &[f64]) -> f64 {
        self.error
            .iter()
            .zip(allowed)
            .map(|(e, a)| e / a)
            .fold(0.0, f64::max)
    }
}

fn kronrod<F>(f: &mut F, a: f64, b: f64, groups: &[usize]) -> Result<Piece>
where
    F: FnMut(f64) -> Result<Vec<C64>>,
{
    let (c, h) = (0.5 * (a + b), 0.5 * (b - a));
    let mut k = Vec::new();
    let mut g = Vec::new();
    for (i, &x) in XGK.iter().enumerate() {
        let pts: &[f64] = if x == 0.0 { &[0.0] } else { &[-1.0, 1.0] };
        for s in pts {
            let v = f(c + s * x * h)?;
            if k.is_empty() {
                k = vec![C64::new(0.0, 0.0); v.len()];
                g = k.clone();
            }
            if v.len() != k.len() {
                return Err(Error::run("quadrature: the integrand changed its length"));
            }
            for (j, vj) in v.iter().enumerate() {
                k[j] += *vj * (WGK[i] * h);
                if i % 2 == 1 {
                    g[j] += *vj * (WG[i / 2] * h);
                }
            }
        }
    }
    let error = group_max(&k, &g, groups);
    Ok(Piece {
        a,
        b,
        value: k,
        error,
        stalls: 0,
    })
}

/// Largest |k − g| per group; `groups` holds the end index of each group.
fn group_max(k: &[C64], g: &[C64], groups: &[usize]) -> Vec<f64> {
    let mut start = 0;
    groups
        .iter()
        .map(|&end| {
            let e = (start..end.min(k.len()))
                .map(|j| (k[j] - g[j]).norm())
                .fold(0.0, f64::max);
            start = end;
            e
        })
        .collect()
}

/// ∫_a^b f(t) dt for a vector-valued f, components grouped by `groups` (the end index of each
/// group, ascending; the last equals the vector's length). The breakpoints `breaks` (inside
/// (a, b)) start the subdivision, e.g. at the chemical potentials where the integrand has a
/// kink. An integrand that fails stops the integration with its error.
pub fn integrate<F>(
    mut f: F,
    a: f64,
    b: f64,
    breaks: &[f64],
    groups: &[usize],
    tol: Tolerance,
) -> Result<Integral>
where
    F: FnMut(f64) -> Result<Vec<C64>>,
{
    let mut edges = vec![a];
    let mut inner: Vec<f64> = breaks
        .iter()
        .copied()
        .filter(|&x| x > a.min(b) && x < a.max(b))
        .collect();
    inner.sort_by(|x, y| x.total_cmp(y));
    if b < a {
        inner.reverse();
    }
    edges.extend(inner);
    edges.push(b);
    let mut pieces = Vec::new();
    for w in edges.windows(2) {
        if w[0] != w[1] {
            pieces.push(kronrod(&mut f, w[0], w[1], groups)?);
        }
    }
    let mut evals = 15 * pieces.len();
    loop {
        let Some(first) = pieces.first() else {
            return Ok(Integral {
                value: Vec::new(),
                error: vec![0.0; groups.len()],
                evals,
            });
        };
        let mut value = vec![C64::new(0.0, 0.0); first.value.len()];
        let mut error = vec![0.0; groups.len()];
        let mut open_error = vec![0.0; groups.len()];
        for p in &pieces {
            for (v, pv) in value.iter_mut().zip(&p.value) {
                *v += *pv;
            }
            for ((e, o), pe) in error.iter_mut().zip(open_error.iter_mut()).zip(&p.error) {
                *e += *pe;
                if p.stalls < FLOOR_STALLS {
                    *o += *pe;
                }
            }
        }
        let scale = group_max(&value, &vec![C64::new(0.0, 0.0); value.len()], groups);
        let allowed: Vec<f64> = scale.iter().map(|s| tol.abs.max(tol.rel * s)).collect();
        if open_error.iter().zip(&allowed).all(|(e, a)| e <= a) {
            if error.iter().zip(&allowed).any(|(e, a)| e > a) {
                debug!(
                    "quadrature on [{a}, {b}] at the integrand's round-off floor: error \
                     {error:?}, requested {allowed:?}"
                );
            }
            return Ok(Integral {
                value,
                error,
                evals,
            });
        }
        if evals >= tol.max_evals {
            return Err(Error::run(format!(
                "quadrature did not converge in {evals} evaluations on [{a}, {b}]: error {error:?}, \
                 allowed {allowed:?}"
            )));
        }
        // Halve the open piece with the largest error relative to what its groups allow
        // (one exists: the open pieces' error exceeds the tolerance).
        let Some(worst) = pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| p.stalls < FLOOR_STALLS)
            .map(|(i, p)| (i, p.ratio(&allowed)))
            .max_by(|x, y| x.1.total_cmp(&y.1))
            .map(|(i, _)| i)
        else {
            return Err(Error::run("quadrature: no piece left to halve"));
        };
        let p = pieces.swap_remove(worst);
        let m = 0.5 * (p.a + p.b);
        if m == p.a || m == p.b {
            return Err(Error::run(format!(
                "quadrature: interval [{}, {}] cannot be halved further",
                p.a, p.b
            )));
        }
        let mut left = kronrod(&mut f, p.a, m, groups)?;
        let mut right = kronrod(&mut f, m, p.b, groups)?;
        evals += 30;
        let parent = p.ratio(&allowed);
        let halves = left
            .error
            .iter()
            .zip(&right.error)
            .zip(&allowed)
            .map(|((l, r), a)| (l + r) / a)
            .fold(0.0, f64::max);
        if parent <= 1.0 && halves >= 0.8 * parent && halves <= 4.0 * parent {
            left.stalls = p.stalls + 1;
            right.stalls = p.stalls + 1;
        }
        pieces.push(left);
        pieces.push(right);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kronrod_rule_is_exact_for_polynomials_up_to_degree_22() {
        let sum: f64 = WGK[7] + 2.0 * WGK[..7].iter().sum::<f64>();
        assert!((sum - 2.0).abs() < 1e-14);
        let gsum: f64 = WG[3] + 2.0 * WG[..3].iter().sum::<f64>();
        assert!((gsum - 2.0).abs() < 1e-14);
        // One 15-point Kronrod rule on [−1, 1] (the adaptive loop may still split: its error
        // estimate compares with the 7-point Gauss rule, which is not exact for x²²).
        let mut f = |x: f64| Ok(vec![C64::new(x.powi(22), x.powi(12))]);
        let r = kronrod(&mut f, -1.0, 1.0, &[1]).unwrap();
        assert!((r.value[0].re - 2.0 / 23.0).abs() < 1e-14);
        assert!((r.value[0].im - 2.0 / 13.0).abs() < 1e-14);
    }

    #[test]
    fn adaptive_rule_integrates_a_kink_and_a_peak_to_tolerance() {
        // ∫_0^2 |x − 1| dx = 1; ∫_0^2 1/((x−0.7)² + 1e−4) dx = 100 (atan(130) + atan(70)).
        let exact = 100.0 * (130.0f64.atan() + 70.0f64.atan());
        let r = integrate(
            |x| {
                Ok(vec![
                    C64::new((x - 1.0).abs(), 0.0),
                    C64::new(1.0 / ((x - 0.7).powi(2) + 1e-4), 0.0),
                ])
            },
            0.0,
            2.0,
            &[],
            &[1, 2],
            Tolerance::default(),
        )
        .unwrap();
        assert!((r.value[0].re - 1.0).abs() < 1e-12, "{}", r.value[0].re);
        assert!((r.value[1].re - exact).abs() < 1e-9 * exact);
    }

    #[test]
    fn an_integrand_noisier_than_the_tolerance_stops_at_its_floor_not_at_the_budget() {
        // cos x on [0, 2] plus a deterministic hash noise of 1e-14, asked for 1e-16: the error
        // cannot fall below the noise (a few 1e-15 here, as for the spd lead's window integrals:
        // 3.9e-14 against 1e-14), so without the floor the loop ran out of evaluations.
        let noise = |x: f64| {
            let h = (x.to_bits() ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            1e-14 * ((h >> 11) as f64 / (1u64 << 53) as f64 - 0.5)
        };
        let tol = Tolerance {
            abs: 1e-16,
            rel: 0.0,
            max_evals: 200_000,
        };
        let r = integrate(
            |x| Ok(vec![C64::new(x.cos() + noise(x), 0.0)]),
            0.0,
            2.0,
            &[],
            &[1],
            tol,
        )
        .unwrap();
        assert!(r.evals < 20_000, "{} evaluations", r.evals);
        assert!(
            r.error[0] > tol.abs,
            "the floor's error is reported: {:?}",
            r.error
        );
        assert!(
            (r.value[0].re - 2f64.sin()).abs() < 1e-12,
            "{}",
            r.value[0].re
        );
        // Without the noise, a tolerance below it (but above the sum's round-off) is met.
        let tol = Tolerance { abs: 1e-14, ..tol };
        let r = integrate(
            |x| Ok(vec![C64::new(x.cos(), 0.0)]),
            0.0,
            2.0,
            &[],
            &[1],
            tol,
        );
        let r = r.unwrap();
        assert!(r.error[0] <= 1e-14, "{:?}", r.error);
        assert!((r.value[0].re - 2f64.sin()).abs() < 1e-14);
    }
}
