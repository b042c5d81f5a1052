//! `nanocontact eval`: a single-point energy, pressure and force evaluation of a LAMMPS data
//! file, the equivalent of LAMMPS `run 0`. Prints one JSON line
//! `{"natoms":..,"pe_eV":..,"pressure_bar":..}`, with `"qeq_iterations"` and `"terms_eV"` (the
//! 14 terms of LAMMPS `compute pair reaxff`) for ReaxFF; with `--dump` writes `id fx fy fz`
//! sorted by id, and the charge `q` as a fifth column when the atoms carry charges.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::dynamics::Md;
use crate::error::{Error, Result};
use crate::io::lammps_data::DataFile;
use crate::parallel::World;
use crate::potential::{self, Report};
use crate::setup::masses;
use crate::system::{Groups, SimBox, CHARGE};

/// Options of `eval`.
#[derive(Clone, Debug, clap::Args)]
pub struct EvalOptions {
    /// LAMMPS data file (atom_style atomic or charge).
    pub data: PathBuf,
    /// Potential: eam:FILE[,FILE..] | eam/alloy:FILE | eam/fs:FILE | lj/cut:FILE |
    /// reaxff:FFIELD (with QEq to tolerance 1e-10).
    #[arg(long)]
    pub potential: String,
    /// Element of each atom type for setfl/FS and ffield files, as `pair_coeff * * FILE E1 E2`.
    #[arg(long, value_delimiter = ',')]
    pub elements: Vec<String>,
    /// Boundary conditions of x, y, z (p periodic, f fixed, s shrink-wrapped).
    #[arg(long, default_value = "p p p")]
    pub boundary: String,
    /// Write `id fx fy fz` per atom, sorted by id, to this file.
    #[arg(long)]
    pub dump: Option<PathBuf>,
    /// Neighbour skin, Å.
    #[arg(long, default_value_t = 1.0)]
    pub skin: f64,
    /// MPI processor grid px,py,pz (default: minimal ghost surface).
    #[arg(long, value_parser = super::parse_grid)]
    pub grid: Option<[usize; 3]>,
}

/// Result of a single-point evaluation.
#[derive(Clone, Debug)]
pub struct EvalResult {
    pub natoms: u64,
    pub pe_ev: f64,
    pub pressure_bar: f64,
    /// (id, force) sorted by id, on rank 0 (empty elsewhere).
    pub forces: Vec<(u64, [f64; 3])>,
    /// Charges in the same order, where the atoms carry them.
    pub charges: Option<Vec<f64>>,
    /// The potential's energy terms and QEq iterations.
    pub report: Report,
}

/// Build the MD state of a data file with a potential spec, forces computed, decomposed over
/// the ranks of `world`.
pub fn setup(
    data: &Path,
    spec: &str,
    elements: &[String],
    boundary: &str,
    skin: f64,
    world: World,
    grid: Option<[usize; 3]>,
) -> Result<Md> {
    let bnd = SimBox::parse_boundary(boundary).ok_or_else(|| {
        Error::run(format!(
            "boundary '{boundary}': expected three letters from p, f, s, e.g. \"p p f\""
        ))
    })?;
    let df = DataFile::read(data)?;
    let ntypes = df.masses.len();
    let pot = potential::from_spec(spec, elements, ntypes)?;
    let masses = masses::overrides(&pot.type_masses(), &[], ntypes);
    let (simbox, atoms) = df.into_system(data, bnd, &masses)?;
    for w in pot.mass_warnings(&atoms.type_mass) {
        log::warn!("{w}");
    }
    let mut md = Md::new(simbox, atoms, Groups::default(), pot, skin, world, grid)?;
    md.setup()?;
    Ok(md)
}

/// Evaluate energy, pressure and forces.
pub fn evaluate(opts: &EvalOptions, world: World) -> Result<EvalResult> {
    let md = setup(
        &opts.data,
        &opts.potential,
        &opts.elements,
        &opts.boundary,
        opts.skin,
        world,
        opts.grid,
    )?;
    let th = md.thermo();
    let (mut forces, mut charges) = (Vec::new(), None);
    if let Some(a) = md.gather() {
        let order = a.order_by_id();
        forces = order.iter().map(|&i| (a.id[i], a.f[i])).collect();
        charges = a.fields.find(CHARGE).map(|q| {
            let q = a.fields.get(q);
            order.iter().map(|&i| q[i]).collect()
        });
    }
    Ok(EvalResult {
        natoms: md.natoms,
        pe_ev: th.pe_ev,
        pressure_bar: th.press_bar,
        forces,
        charges,
        report: md.potential.report(),
    })
}

/// Run `eval`: print the JSON line and write the force dump.
pub fn run(opts: &EvalOptions, world: World) -> Result<()> {
    let root = world.is_root();
    let r = evaluate(opts, world)?;
    if root {
        if let Some(p) = &opts.dump {
            let mut s = String::with_capacity(r.forces.len() * 100);
            for (k, (id, f)) in r.forces.iter().enumerate() {
                let _ = write!(s, "{id} {:.16e} {:.16e} {:.16e}", f[0], f[1], f[2]);
                if let Some(q) = &r.charges {
                    let _ = write!(s, " {:.16e}", q[k]);
                }
                s.push('\n');
            }
            std::fs::write(p, s).map_err(|e| Error::io(p, e))?;
        }
        println!("{}", json_line(&r)?);
    }
    Ok(())
}

/// The JSON line `{"natoms":..,"pe_eV":..,"pressure_bar":..}` with every digit of the values.
/// JSON has no NaN or infinity: a non-finite value is an error naming its key, never printed.
pub fn json_line(r: &EvalResult) -> Result<String> {
    let named = [("pe_eV", r.pe_ev), ("pressure_bar", r.pressure_bar)];
    let terms = r.report.terms_ev.iter().map(|(n, e)| (*n, *e));
    for (key, v) in named.into_iter().chain(terms) {
        if !v.is_finite() {
            return Err(Error::run(format!(
                "eval: {key} is {v}, which JSON cannot hold (overlapping atoms or a broken potential?)"
            )));
        }
    }
    let mut line = format!(
        "{{\"natoms\":{},\"pe_eV\":{:.17e},\"pressure_bar\":{:.17e}",
        r.natoms, r.pe_ev, r.pressure_bar
    );
    if let Some(it) = r.report.qeq_iterations {
        let _ = write!(line, ",\"qeq_iterations\":{it}");
    }
    if !r.report.terms_ev.is_empty() {
        let terms: Vec<String> = r
            .report
            .terms_ev
            .iter()
            .map(|(n, e)| format!("\"{n}\":{e:.17e}"))
            .collect();
        let _ = write!(line, ",\"terms_eV\":{{{}}}", terms.join(","));
    }
    line.push('}');
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(pe_ev: f64, pressure_bar: f64) -> EvalResult {
        EvalResult {
            natoms: 2,
            pe_ev,
            pressure_bar,
            forces: Vec::new(),
            charges: None,
            report: Report::default(),
        }
    }

    #[test]
    fn json_line_is_valid_json_with_every_digit() {
        let line = json_line(&result(-3.25, 1.0e-3)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["natoms"], 2);
        assert_eq!(v["pe_eV"].as_f64(), Some(-3.25));
        assert_eq!(v["pressure_bar"].as_f64(), Some(1.0e-3));
    }

    #[test]
    fn json_line_refuses_non_finite_values() {
        for (pe, p, key) in [
            (f64::INFINITY, 0.0, "pe_eV"),
            (0.0, f64::NAN, "pressure_bar"),
            (f64::NEG_INFINITY, f64::NAN, "pe_eV"),
        ] {
            let e = json_line(&result(pe, p)).unwrap_err().to_string();
            assert!(e.contains(key), "{e}");
        }
    }
}
