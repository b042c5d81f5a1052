//! The explicit Runge–Kutta methods of the driven Liouville–von Neumann step
//! ([`super::runge_kutta`]): their tableaux, stage times and stability limits on the imaginary
//! axis, where the eigenvalues of ρ ↦ −i[H, ρ]/ħ lie. The order conditions are Butcher's, one
//! per rooted tree (J. C. Butcher, Numerical Methods for Ordinary Differential Equations, Wiley).
//!
//! Both have one tableau entry below the diagonal per row (stage s takes y + h·a_s·k_{s−1}),
//! the form the propagator's row wavefront needs.

/// The time-stepping method: an explicit Runge–Kutta method whose stage s takes
/// y + h·a_s·k_{s−1} at the time t + a_s·h, new state y + h Σ b_s k_s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Integrator {
    /// The classical fourth-order method (stable on the imaginary axis to |λ dt| ≤ 2√2).
    Rk4,
    /// Eight stages, fourth order ("RK48", order then stages), stable on the imaginary axis to
    /// |λ dt| ≤ 4√3: 0.866 of the axis per stage against RK4's 0.707. Its stability polynomial
    /// is 1 + z + z²/2 + z³/6 + z⁴/24 + z⁵/144 + z⁶/864 + z⁷/12096 + z⁸/96768, the widest
    /// interval bench/ehrenfest/stability_polynomials.py finds for eight stages and order four.
    /// The tableau (from the same script) meets the eight conditions of order four, which the
    /// time-dependent H needs, and gives these coefficients; its one free parameter makes the
    /// residuals of the nine conditions of order five as small as it can (2-norm 0.013).
    Rk48,
}

/// RK48's a_s (a_1 = 0: stage s takes y + h·a_s·k_{s−1} at t + a_s·h) and b_s.
const RK48_A: [f64; 8] = [
    0.0,
    0.316244300443692,
    0.05908813776190629,
    0.20765066650700184,
    0.4164395420615753,
    0.8657852290573812,
    0.5209856134381216,
    0.7832773255610949,
];
const RK48_B: [f64; 8] = [
    -0.14796630591267534,
    0.6527889825028734,
    0.5133011703607396,
    -0.5441883320814827,
    0.12036225356493646,
    0.3190079828397779,
    0.06859300243445626,
    0.01810124629137434,
];

impl Integrator {
    /// The stages' (a_s, b_s); stage s runs at the time c_s = a_s.
    pub fn tableau(self) -> (&'static [f64], &'static [f64]) {
        match self {
            Integrator::Rk4 => (
                &[0.0, 0.5, 0.5, 1.0],
                &[1.0 / 6.0, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 6.0],
            ),
            Integrator::Rk48 => (&RK48_A, &RK48_B),
        }
    }

    /// The stage times c_s (fractions of the step), each once, ascending.
    pub fn stage_times(self) -> Vec<f64> {
        let mut c = self.tableau().0.to_vec();
        c.sort_by(f64::total_cmp);
        c.dedup();
        c
    }

    /// Largest |λ| dt on the imaginary axis the method keeps bounded.
    pub fn stability_limit(self) -> f64 {
        match self {
            Integrator::Rk4 => 2.0 * 2f64.sqrt(),
            Integrator::Rk48 => 4.0 * 3f64.sqrt(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Σ_s b_s Φ_s for the stage weights Φ (the elementary weights of the order conditions).
    fn weight(b: &[f64], phi: &[f64]) -> f64 {
        b.iter().zip(phi).map(|(b, p)| b * p).sum()
    }

    /// (A v)_s = a_s v_{s−1}: the tableau's one entry below the diagonal per row.
    fn lower(a: &[f64], v: &[f64]) -> Vec<f64> {
        (0..a.len())
            .map(|s| if s == 0 { 0.0 } else { a[s] * v[s - 1] })
            .collect()
    }

    #[test]
    fn each_method_has_order_four_and_its_stated_stability_interval() {
        for method in [Integrator::Rk4, Integrator::Rk48] {
            let (a, b) = method.tableau();
            let c = a.to_vec();
            let ones = vec![1.0; a.len()];
            let mul = |u: &[f64], v: &[f64]| -> Vec<f64> {
                u.iter().zip(v).map(|(x, y)| x * y).collect()
            };
            let c2 = mul(&c, &c);
            let ac = lower(a, &c);
            // The eight conditions of order four (Butcher's trees up to four nodes).
            let conditions = [
                (weight(b, &ones), 1.0),
                (weight(b, &c), 1.0 / 2.0),
                (weight(b, &c2), 1.0 / 3.0),
                (weight(b, &ac), 1.0 / 6.0),
                (weight(b, &mul(&c2, &c)), 1.0 / 4.0),
                (weight(b, &mul(&c, &ac)), 1.0 / 8.0),
                (weight(b, &lower(a, &c2)), 1.0 / 12.0),
                (weight(b, &lower(a, &ac)), 1.0 / 24.0),
            ];
            for (q, (got, want)) in conditions.iter().enumerate() {
                assert!(
                    (got - want).abs() < 1e-13,
                    "{method:?}: condition {q}: {got} against {want}"
                );
            }
            // The stability polynomial P(z) = 1 + Σ_m γ_m z^m, γ_m = b·A^{m−2}c.
            let mut gamma = vec![1.0, weight(b, &ones)];
            let mut t = c.clone();
            for _ in 2..=a.len() {
                gamma.push(weight(b, &t));
                t = lower(a, &t);
            }
            let p = |y: f64| {
                let (mut re, mut im, mut zr, mut zi) = (0.0, 0.0, 1.0, 0.0);
                for g in &gamma {
                    re += g * zr;
                    im += g * zi;
                    (zr, zi) = (-zi * y, zr * y);
                }
                (re * re + im * im).sqrt()
            };
            let limit = method.stability_limit();
            let worst = (0..=20000)
                .map(|k| p(limit * k as f64 / 20000.0))
                .fold(0.0, f64::max);
            assert!(
                worst <= 1.0 + 1e-12,
                "{method:?}: |P| reaches {worst} inside the limit"
            );
            // The limit is the interval's end: P leaves the disc just past it.
            assert!(
                p(1.01 * limit) > 1.0,
                "{method:?}: still stable past the stated limit"
            );
        }
    }
}
