//! Tabulated EAM functions as LAMMPS stores them: every function on one uniform grid, and a
//! cubic per interval whose derivatives at the knots come from a 5-point finite difference
//! (LAMMPS `PairEAM::interpolate`). Matching this construction, rather than using a textbook
//! spline, is what makes energies and forces agree with LAMMPS to round-off.

/// Coefficients of one grid interval. For an interval starting at knot m and fractional
/// position p ∈ [0, 1]: value = ((c[3]·p + c[4])·p + c[5])·p + c[6],
/// derivative (per unit of the abscissa) = (c[0]·p + c[1])·p + c[2].
pub type Coeffs = [f64; 7];

/// Build the cubic coefficients of `f` sampled at spacing `delta`.
///
/// `f` holds n values with a dummy entry at index 0 (the tables are 1-based as in the DYNAMO
/// files); the result has the same layout. Knot slopes (in units of the grid step):
/// s1 = f2 − f1, s2 = (f3 − f1)/2, s_m = [(f_{m−2} − f_{m+2}) + 8(f_{m+1} − f_{m−1})]/12,
/// s_{n−1} = (f_n − f_{n−2})/2, s_n = f_n − f_{n−1}; on each interval the Hermite cubic through
/// (f_m, s_m) and (f_{m+1}, s_{m+1}); the last knot has a linear continuation.
pub fn interpolate(f: &[f64], delta: f64) -> Vec<Coeffs> {
    let n = f.len() - 1;
    let mut s = vec![[0.0; 7]; n + 1];
    for m in 1..=n {
        s[m][6] = f[m];
    }
    s[1][5] = s[2][6] - s[1][6];
    s[2][5] = 0.5 * (s[3][6] - s[1][6]);
    s[n - 1][5] = 0.5 * (s[n][6] - s[n - 2][6]);
    s[n][5] = s[n][6] - s[n - 1][6];
    for m in 3..=n - 2 {
        s[m][5] = ((s[m - 2][6] - s[m + 2][6]) + 8.0 * (s[m + 1][6] - s[m - 1][6])) / 12.0;
    }
    for m in 1..n {
        s[m][4] = 3.0 * (s[m + 1][6] - s[m][6]) - 2.0 * s[m][5] - s[m + 1][5];
        s[m][3] = s[m][5] + s[m + 1][5] - 2.0 * (s[m + 1][6] - s[m][6]);
    }
    s[n][4] = 0.0;
    s[n][3] = 0.0;
    for c in s.iter_mut().skip(1) {
        c[2] = c[5] / delta;
        c[1] = 2.0 * c[4] / delta;
        c[0] = 3.0 * c[3] / delta;
    }
    s
}

/// Resample a table given at spacing `dx_file` (1-based, `file[1..=n_file]`) onto the points
/// x_m = (m − 1)·dx, m = 1..=n, by 4-point Lagrange interpolation around the nearest knots
/// (LAMMPS `PairEAM::file2array` for funcfl files, which may have different grids).
pub fn resample(file: &[f64], dx_file: f64, n: usize, dx: f64) -> Vec<f64> {
    let n_file = file.len() - 1;
    let sixth = 1.0 / 6.0;
    let mut out = vec![0.0; n + 1];
    for (m, o) in out.iter_mut().enumerate().skip(1) {
        let x = (m - 1) as f64 * dx;
        let mut p = x / dx_file + 1.0;
        let mut k = p as usize;
        k = k.min(n_file - 2).max(2);
        p -= k as f64;
        p = p.min(2.0);
        let c1 = -sixth * p * (p - 1.0) * (p - 2.0);
        let c2 = 0.5 * (p * p - 1.0) * (p - 2.0);
        let c3 = -0.5 * p * (p + 1.0) * (p - 2.0);
        let c4 = sixth * p * (p * p - 1.0);
        *o = c1 * file[k - 1] + c2 * file[k] + c3 * file[k + 1] + c4 * file[k + 2];
    }
    out
}

/// Prepend the dummy index-0 entry so that a 0-based file array becomes a 1-based table.
pub fn one_based(v: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(v.len() + 1);
    out.push(0.0);
    out.extend_from_slice(v);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cubic_is_reproduced_inside() {
        // The 5-point slopes are exact for cubics, so the Hermite pieces reproduce a cubic
        // away from the two ends.
        let dx = 0.1;
        let g = |x: f64| 1.0 + x - 2.0 * x * x + 0.5 * x * x * x;
        let dg = |x: f64| 1.0 - 4.0 * x + 1.5 * x * x;
        let f: Vec<f64> = std::iter::once(0.0)
            .chain((0..40).map(|k| g(k as f64 * dx)))
            .collect();
        let s = interpolate(&f, dx);
        for (m, c) in s.iter().enumerate().take(35).skip(4) {
            for &p in &[0.0, 0.3, 0.77] {
                let x = (m as f64 - 1.0 + p) * dx;
                let v = ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
                let d = (c[0] * p + c[1]) * p + c[2];
                assert!((v - g(x)).abs() < 1e-12, "value at {x}");
                assert!((d - dg(x)).abs() < 1e-10, "slope at {x}");
            }
        }
    }

    #[test]
    fn resample_onto_same_grid_is_identity() {
        let f: Vec<f64> = std::iter::once(0.0)
            .chain((0..20).map(|k| (k as f64).sin()))
            .collect();
        let r = resample(&f, 0.5, 19, 0.5);
        for m in 1..=19 {
            assert!((r[m] - f[m]).abs() < 1e-14);
        }
    }
}
