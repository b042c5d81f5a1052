//! `nanocontact transport --hamiltonian FILE.json --energies E.csv --out DIR`: the stable
//! contract other checks call.
//!
//! Reads a Hamiltonian in the Kwant reference format
//! ([`crate::transport::problem::kwant_json`]) and the energies in the first column (header
//! `E_eV`) of a CSV file (a reference `transmission.csv` works as it is), solves with
//! mode-matching self-energies and RGF, and writes
//! - `DIR/transmission.csv`: `E_eV,T_LR,T_RL,open_channels_L,open_channels_R`, k-averaged
//!   (weighted with the file's k-point weights, equal unless given) for periodic problems;
//! - `DIR/eigenchannels.csv`: `E_eV,tau_1,…` (eigenvalues of t†t, descending, one per open
//!   channel of L; trailing cells empty); for periodic problems `k,E_eV,tau_1,…` for every k;
//! - for periodic problems also `DIR/transmission_k.csv`:
//!   `k,E_eV,T,T_RL,open_channels_L,open_channels_R`.
//!
//! The E column is echoed as written in the input.

use std::fmt::Write as _;
use std::path::Path;

use crate::error::{Error, Result};
use crate::transport::problem::kwant_json::read_system_json;
use crate::transport::solver::layered::Solver;
use crate::transport::solver::rgf::Transmission;
use crate::transport::solver::self_energy::SelfEnergyMethod;

/// One energy as read: the text of the cell and its value.
#[derive(Clone, Debug)]
pub struct EnergyPoint {
    pub text: String,
    pub value_ev: f64,
}

/// Read the first column (header `E_eV`) of a CSV file.
pub fn read_energies(path: &Path) -> Result<Vec<EnergyPoint>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or_else(|| {
        Error::input(
            path,
            None,
            "empty file: expected a header line starting with E_eV",
        )
    })?;
    let first = header.split(',').next().unwrap_or("").trim();
    if first != "E_eV" {
        return Err(Error::input(
            path,
            Some(1),
            format!("first column must be headed 'E_eV', found '{first}'"),
        ));
    }
    let mut out = Vec::new();
    for (i, line) in lines {
        let cell = line.split(',').next().unwrap_or("").trim();
        let value_ev: f64 = cell.parse().map_err(|_| {
            Error::input(
                path,
                Some(i + 1),
                format!("expected an energy in eV, found '{cell}'"),
            )
        })?;
        if !value_ev.is_finite() {
            return Err(Error::input(
                path,
                Some(i + 1),
                format!("energy '{cell}' is not finite"),
            ));
        }
        out.push(EnergyPoint {
            text: cell.to_string(),
            value_ev,
        });
    }
    if out.is_empty() {
        return Err(Error::input(path, None, "no energies below the header"));
    }
    Ok(out)
}

/// `%.14e` as C and Python write it (e.g. `1.00000000000000e+00`).
pub fn fmt_e14(x: f64) -> String {
    let s = format!("{x:.14e}");
    match s.split_once('e') {
        Some((mant, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mant}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

/// Run the contract: see the module documentation.
pub fn run_hamiltonian(hamiltonian: &Path, energies: &Path, out: &Path) -> Result<()> {
    let problem = read_system_json(hamiltonian)?;
    let es = read_energies(energies)?;
    let periodic = problem.is_periodic();
    let kpts = problem.kpoints_or_gamma();
    let solver = Solver::new(problem, SelfEnergyMethod::ModeMatching)?;
    // results[k][e]
    let mut results: Vec<Vec<Transmission>> = Vec::with_capacity(kpts.len());
    for kp in &kpts {
        let ks = solver.at_k(kp.k)?;
        let row = es
            .iter()
            .map(|e| {
                ks.transmission(e.value_ev).map_err(|err| {
                    Error::run(format!(
                        "{}: E = {} eV, k = {}: {err}",
                        hamiltonian.display(),
                        e.text,
                        kp.k.0[0]
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        results.push(row);
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;

    let mut tr = String::from("E_eV,T_LR,T_RL,open_channels_L,open_channels_R\n");
    for (ie, e) in es.iter().enumerate() {
        let per_k: Vec<Transmission> = results.iter().map(|r| r[ie].clone()).collect();
        if periodic {
            let a = solver.average(&per_k);
            let _ = writeln!(
                tr,
                "{},{},{},{},{}",
                e.text,
                fmt_e14(a.t_lr),
                fmt_e14(a.t_rl),
                fmt_e14(a.open_l),
                fmt_e14(a.open_r)
            );
        } else {
            let t = &per_k[0];
            let _ = writeln!(
                tr,
                "{},{},{},{},{}",
                e.text,
                fmt_e14(t.t_lr),
                fmt_e14(t.t_rl),
                t.open_l,
                t.open_r
            );
        }
    }
    write(out, "transmission.csv", &tr)?;

    let ntau = results
        .iter()
        .flatten()
        .map(|t| t.tau.len())
        .max()
        .unwrap_or(0);
    let mut ec = String::new();
    if periodic {
        ec.push_str("k,E_eV");
    } else {
        ec.push_str("E_eV");
    }
    for i in 1..=ntau {
        let _ = write!(ec, ",tau_{i}");
    }
    ec.push('\n');
    for (kp, row) in kpts.iter().zip(&results) {
        for (e, t) in es.iter().zip(row) {
            if periodic {
                let _ = write!(ec, "{},", kp.k.0[0]);
            }
            ec.push_str(&e.text);
            for i in 0..ntau {
                ec.push(',');
                if let Some(v) = t.tau.get(i) {
                    ec.push_str(&fmt_e14(*v));
                }
            }
            ec.push('\n');
        }
    }
    write(out, "eigenchannels.csv", &ec)?;

    if periodic {
        let mut tk = String::from("k,E_eV,T,T_RL,open_channels_L,open_channels_R\n");
        for (kp, row) in kpts.iter().zip(&results) {
            for (e, t) in es.iter().zip(row) {
                let _ = writeln!(
                    tk,
                    "{},{},{},{},{},{}",
                    kp.k.0[0],
                    e.text,
                    fmt_e14(t.t_lr),
                    fmt_e14(t.t_rl),
                    t.open_l,
                    t.open_r
                );
            }
        }
        write(out, "transmission_k.csv", &tk)?;
    }
    Ok(())
}

fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    let p = dir.join(name);
    std::fs::write(&p, text).map_err(|e| Error::io(&p, e))
}
