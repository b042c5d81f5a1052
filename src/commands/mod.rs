//! The drivers behind the command-line subcommands, each with its options as a clap `Args`
//! struct; `main.rs` only parses arguments.

pub mod build;
pub mod eval;
pub mod run;

/// Parse an MPI processor grid `px,py,pz`.
pub fn parse_grid(s: &str) -> Result<[usize; 3], String> {
    let v: Vec<usize> = s
        .split(',')
        .map(|t| {
            t.trim()
                .parse::<usize>()
                .map_err(|_| format!("'{t}' is not a positive integer"))
        })
        .collect::<Result<_, _>>()?;
    match v[..] {
        [a, b, c] if a > 0 && b > 0 && c > 0 => Ok([a, b, c]),
        _ => Err(format!(
            "expected three positive integers px,py,pz, got '{s}'"
        )),
    }
}
