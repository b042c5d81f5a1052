//! Axis ranges and tick marks: a padded range around the data, ticks at "nice" multiples
//! 1, 2, 2.5 or 5 × 10^k of the step (Heckbert, "Nice numbers for graph labels", Graphics Gems,
//! 1990, with 2.5 added), and tick labels with just the decimals the step needs.

/// The closed range [lo, hi] covered by the finite values of `values`, or `None` if there is
/// none.
pub fn data_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// An axis range from a data range: widened by `pad` (a fraction of the span) at each end
/// whose side is not `pinned`, and made non-empty when the data are a single value (±10 % of
/// it, or ±1 around zero). `None` (no data) gives [0, 1].
pub fn axis_range(data: Option<(f64, f64)>, pad: f64, pinned: [bool; 2]) -> (f64, f64) {
    let Some((lo, hi)) = data else {
        return (0.0, 1.0);
    };
    if hi <= lo {
        let d = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
        return (lo - d, hi + d);
    }
    let p = pad * (hi - lo);
    (
        if pinned[0] { lo } else { lo - p },
        if pinned[1] { hi } else { hi + p },
    )
}

/// The tick positions and their labels on [lo, hi]: about `target` ticks (at least two when
/// the range allows) at the multiples of a nice step.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticks {
    /// Tick positions, increasing, within [lo, hi] (up to round-off).
    pub at: Vec<f64>,
    /// The label of each tick.
    pub labels: Vec<String>,
    /// The spacing of the ticks.
    pub step: f64,
}

impl Ticks {
    /// Ticks for the range [lo, hi] (lo < hi, both finite).
    pub fn new(lo: f64, hi: f64, target: usize) -> Ticks {
        let step = nice_step((hi - lo) / target.max(1) as f64);
        // Ticks as integer multiples of the step, so that zero is exactly 0.
        let k0 = (lo / step - 1e-9).ceil() as i64;
        let k1 = (hi / step + 1e-9).floor() as i64;
        let at: Vec<f64> = (k0..=k1).map(|k| k as f64 * step).collect();
        let fmt = LabelFormat::new(step, lo.abs().max(hi.abs()));
        let labels = at.iter().map(|&v| fmt.label(v)).collect();
        Ticks { at, labels, step }
    }
}

/// The smallest of 1, 2, 2.5, 5, 10 × 10^k not below `raw` (> 0).
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let e = raw.log10().floor();
    let base = 10f64.powf(e);
    let m = raw / base;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|&n| n >= m * (1.0 - 1e-9))
        .unwrap_or(10.0);
    nice * base
}

/// How the labels of one axis are written: fixed-point with the decimals the step needs, or
/// mantissa and a shared power of ten when the values are very large or very small.
#[derive(Clone, Copy, Debug)]
struct LabelFormat {
    decimals: usize,
    exponent: Option<i32>,
}

impl LabelFormat {
    fn new(step: f64, max_abs: f64) -> LabelFormat {
        let decimals_for = |s: f64| {
            let mut d = (-s.log10().floor()).max(0.0) as usize;
            // 2.5 × 10^k needs one decimal more than 10^k.
            if ((s / 10f64.powi(-(d as i32))) - 2.5).abs() < 1e-6 {
                d += 1;
            }
            d
        };
        if max_abs >= 1e5 || (max_abs < 1e-3 && max_abs > 0.0) {
            let e = max_abs.log10().floor() as i32;
            LabelFormat {
                decimals: decimals_for(step / 10f64.powi(e)),
                exponent: Some(e),
            }
        } else {
            LabelFormat {
                decimals: decimals_for(step),
                exponent: None,
            }
        }
    }

    /// The label of `v`, negative numbers with a minus sign (U+2212) rather than a hyphen.
    fn label(&self, v: f64) -> String {
        let d = self.decimals;
        let text = match self.exponent {
            _ if v == 0.0 => "0".to_string(),
            Some(e) => format!("{:.d$}e{e}", v / 10f64.powi(e)),
            None => format!("{v:.d$}"),
        };
        match text.strip_prefix('-') {
            Some(rest) => format!("\u{2212}{rest}"),
            None => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(1.3), 2.0);
        assert_eq!(nice_step(2.2), 2.5);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(6.0), 10.0);
        assert!((nice_step(0.013) - 0.02).abs() < 1e-15);
        assert_eq!(nice_step(450.0), 500.0);
    }

    #[test]
    fn ticks_and_labels() {
        let t = Ticks::new(-0.013, 0.31, 6);
        assert!((t.step - 0.1).abs() < 1e-15);
        assert_eq!(t.labels, ["0", "0.1", "0.2", "0.3"]);
        let t = Ticks::new(-12.0, 93.0, 6);
        assert_eq!(t.step, 20.0);
        assert_eq!(t.labels, ["0", "20", "40", "60", "80"]);
        let t = Ticks::new(-1.0, 1.0, 4);
        assert_eq!(t.labels, ["−1.0", "−0.5", "0", "0.5", "1.0"]);
        let t = Ticks::new(0.0, 1.0, 4);
        assert_eq!(t.labels, ["0", "0.25", "0.50", "0.75", "1.00"]);
        let t = Ticks::new(-3e-5, 0.0, 3);
        assert_eq!(t.labels, ["−3e-5", "−2e-5", "−1e-5", "0"]);
        let t = Ticks::new(0.0, 3e-5, 3);
        assert_eq!(t.labels, ["0", "1e-5", "2e-5", "3e-5"]);
        let t = Ticks::new(0.0, 2.5e6, 5);
        assert_eq!(t.labels, ["0", "0.5e6", "1.0e6", "1.5e6", "2.0e6", "2.5e6"]);
    }

    #[test]
    fn ranges() {
        assert_eq!(
            data_range([f64::NAN, 2.0, -1.0, f64::INFINITY]),
            Some((-1.0, 2.0))
        );
        assert_eq!(data_range([f64::NAN]), None);
        assert_eq!(axis_range(None, 0.05, [false; 2]), (0.0, 1.0));
        assert_eq!(
            axis_range(Some((0.0, 10.0)), 0.05, [true, false]),
            (0.0, 10.5)
        );
        assert_eq!(axis_range(Some((2.0, 2.0)), 0.05, [false; 2]), (1.8, 2.2));
        assert_eq!(axis_range(Some((0.0, 0.0)), 0.05, [false; 2]), (-1.0, 1.0));
    }
}
