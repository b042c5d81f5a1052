//! The pair commands of a LAMMPS input as a parameter file, for analytic pair styles: one
//! `pair_style STYLE ARGS..`, `pair_coeff I J COEFFS..` lines (I, J a type in 1..n or `*`), and
//! `pair_modify shift yes|no mix geometric|arithmetic`, with `#` comments: the same lines a
//! LAMMPS input `include`s, so both codes read one file. Mixing of unset i ≠ j pairs follows
//! LAMMPS `Pair::mix_energy` and `Pair::mix_distance`: ε_ij = √(ε_i ε_j) under both rules,
//! lengths √(σ_i σ_j) (geometric, the default) or (σ_i + σ_j)/2 (arithmetic).

use std::path::Path;

use crate::error::{Error, Result};

/// The pair commands of one file.
#[derive(Clone, Debug)]
pub struct PairFile {
    /// Numeric arguments of `pair_style`.
    pub style_args: Vec<f64>,
    /// Coefficients set by `pair_coeff` for each type pair (i ≤ j at `i·n + j`).
    coeffs: Vec<Option<Vec<f64>>>,
    /// `pair_modify shift yes`: energies shifted to zero at the cutoff.
    pub shift: bool,
    /// `pair_modify mix geometric` (default) or `arithmetic`.
    pub geometric: bool,
    ntypes: usize,
}

impl PairFile {
    /// Read `path` for pair style `style` and `ntypes` types; each `pair_coeff` takes between
    /// `ncoeff.0` and `ncoeff.1` non-negative numbers.
    pub fn read(path: &Path, style: &str, ntypes: usize, ncoeff: (usize, usize)) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut f = PairFile {
            style_args: Vec::new(),
            coeffs: vec![None; ntypes * ntypes],
            shift: false,
            geometric: true,
            ntypes,
        };
        let mut have_style = false;
        for (k, raw) in text.lines().enumerate() {
            let w: Vec<&str> = raw
                .split('#')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            let r = match w.as_slice() {
                [] => Ok(()),
                ["pair_style", name, args @ ..] if *name == style => {
                    have_style = true;
                    numbers(args).map(|a| f.style_args = a)
                }
                ["pair_coeff", i, j, c @ ..] if have_style => f.coeff(i, j, c, ncoeff),
                ["pair_modify", opts @ ..] if !opts.is_empty() => f.modify(opts),
                _ => Err(format!(
                    "'{}': expected pair_style {style} ARGS, then pair_coeff I J ... or \
                     pair_modify",
                    raw.trim()
                )),
            };
            r.map_err(|msg| Error::input(path, Some(k + 1), msg))?;
        }
        if !have_style {
            let msg = format!("no 'pair_style {style}' line");
            return Err(Error::input(path, None, msg));
        }
        Ok(f)
    }

    /// `pair_coeff I J C..`.
    fn coeff(
        &mut self,
        i: &str,
        j: &str,
        c: &[&str],
        n: (usize, usize),
    ) -> std::result::Result<(), String> {
        let c = numbers(c).ok().filter(|c| (n.0..=n.1).contains(&c.len()));
        let msg = || format!("pair_coeff {i} {j}: expected {} to {} numbers", n.0, n.1);
        let c = c.ok_or_else(msg)?;
        let (ti, tj) = (types(i, self.ntypes), types(j, self.ntypes));
        if ti.is_empty() || tj.is_empty() {
            return Err(format!("types '{i} {j}': expected 1..{} or *", self.ntypes));
        }
        for &a in &ti {
            for &b in &tj {
                self.coeffs[a.min(b) * self.ntypes + a.max(b)] = Some(c.clone());
            }
        }
        Ok(())
    }

    /// `pair_modify KEY VALUE ..`.
    fn modify(&mut self, opts: &[&str]) -> std::result::Result<(), String> {
        for kv in opts.chunks(2) {
            match kv {
                ["shift", v @ ("yes" | "no")] => self.shift = *v == "yes",
                ["mix", v @ ("geometric" | "arithmetic")] => self.geometric = *v == "geometric",
                _ => {
                    let got = kv.join(" ");
                    return Err(format!(
                        "pair_modify {got}: expected shift yes|no or mix geometric|arithmetic"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The coefficients of types (a, b) (0-based), trailing ones not given taken from
    /// `defaults`: as set, or mixed from (a, a) and (b, b), the first as an energy and the rest as
    /// lengths; `None` if neither is possible.
    pub fn pair(&self, a: usize, b: usize, defaults: &[f64]) -> Option<Vec<f64>> {
        let n = self.ntypes;
        let full = |c: &Vec<f64>| {
            let mut c = c.clone();
            c.extend_from_slice(defaults.get(c.len()..).unwrap_or(&[]));
            c
        };
        if let Some(c) = &self.coeffs[a.min(b) * n + a.max(b)] {
            return Some(full(c));
        }
        let ca = full(self.coeffs[a * n + a].as_ref()?);
        let cb = full(self.coeffs[b * n + b].as_ref()?);
        let len = |x: f64, y: f64| match self.geometric {
            true => (x * y).sqrt(),
            false => 0.5 * (x + y),
        };
        let mixed = ca.iter().zip(&cb).enumerate();
        Some(
            mixed
                .map(|(k, (&x, &y))| if k == 0 { (x * y).sqrt() } else { len(x, y) })
                .collect(),
        )
    }
}

/// Non-negative finite numbers, or a message naming the words.
fn numbers(words: &[&str]) -> std::result::Result<Vec<f64>, String> {
    let num = |x: &&str| x.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
    let v: Option<Vec<f64>> = words.iter().map(num).collect();
    v.ok_or_else(|| format!("'{}': expected non-negative numbers", words.join(" ")))
}

/// The 0-based types an argument of `pair_coeff` names: `*` or one number in 1..=n.
fn types(arg: &str, n: usize) -> Vec<usize> {
    match arg.parse::<usize>() {
        _ if arg == "*" => (0..n).collect(),
        Ok(t) if (1..=n).contains(&t) => vec![t - 1],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, ntypes: usize) -> Result<PairFile> {
        let dir = std::env::temp_dir().join(format!("pair-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(format!("t{}.lj", text.len()));
        std::fs::write(&p, text).unwrap();
        PairFile::read(&p, "lj/cut", ntypes, (2, 3))
    }

    #[test]
    fn mixing_wildcards_and_defaults() {
        let f = read(
            "pair_style lj/cut 8\npair_coeff * * 1 2\npair_coeff 2 2 4 8 6 # c\n",
            2,
        );
        let f = f.unwrap();
        assert_eq!(f.pair(0, 0, &[0.0, 0.0, 8.0]), Some(vec![1.0, 2.0, 8.0]));
        // 1-2 was set by the wildcard line.
        assert_eq!(f.pair(1, 0, &[0.0, 0.0, 8.0]), Some(vec![1.0, 2.0, 8.0]));
        let g = read(
            "pair_style lj/cut 8\npair_coeff 1 1 1 2\npair_coeff 2 2 4 8 2\n",
            2,
        );
        let g = g.unwrap();
        assert_eq!(g.pair(0, 1, &[0.0, 0.0, 8.0]), Some(vec![2.0, 4.0, 4.0]));
        let h = read("pair_style lj/cut 8\npair_modify mix arithmetic shift yes\npair_coeff 1 1 1 2\npair_coeff 2 2 4 8 2\n", 2);
        let h = h.unwrap();
        assert!(h.shift);
        assert_eq!(h.pair(0, 1, &[0.0, 0.0, 8.0]), Some(vec![2.0, 5.0, 5.0]));
    }

    #[test]
    fn errors_name_the_line() {
        for (text, line) in [
            ("pair_style lj/cut 8\npair_coeff 1 3 1 2\n", 2),
            ("pair_style lj/cut 8\n\npair_coeff 1 1 1\n", 3),
            ("pair_style lj/cut 8\npair_modify shift maybe\n", 2),
            ("pair_coeff 1 1 1 2\n", 1),
            ("pair_style lj/cut -8\n", 1),
        ] {
            match read(text, 2) {
                Err(Error::Input { line: Some(l), .. }) => assert_eq!(l, line, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(read("# nothing\n", 2).is_err());
    }
}
