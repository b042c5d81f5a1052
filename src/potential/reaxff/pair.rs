//! `pair_style reaxff` with `fix qeq/reaxff` in one potential: each force evaluation first
//! equilibrates the charges (when QEq is on), then builds the bonds and their orders, and adds
//! the energy terms and their forces. Internally everything is in the force field's kcal/mol;
//! energies and forces leave in eV and eV/Å, divided by 23.060549 (LAMMPS's kcal/mol per eV
//! between `units real` and `units metal`).
//!
//! Capacities (bonds, angles, neighbours) are vectors that grow as needed: no run fails for
//! lack of space for bonds, as LAMMPS's static lists can.

use std::path::{Path, PathBuf};

use super::bond_order::BondGraph;
use super::coordination::{atom_energy, bond_energy};
use super::energies::{Accum, Energies, TERM_NAMES};
use super::hbond::hbond_energy;
use super::nonbonded::nonbonded_energy;
use super::qeq::{taper_coefficients, Qeq, QeqParams};
use super::tables::{Control, Tables};
use super::torsion::torsion_energy;
use super::valence::valence_energy;
use super::ForceField;
use crate::error::{Error, Result};
use crate::neighbor::{ListRequest, NeighborList};
use crate::parallel::Comm;
use crate::potential::{display_name, Potential, Report, Tally};
use crate::system::{charge_field, Atoms};

/// kcal/mol per eV (LAMMPS's factor between `units real` and `units metal`).
pub const KCAL_PER_EV: f64 = 23.060549;

/// Charge-equilibration settings (LAMMPS `fix qeq/reaxff 1 0.0 swb tol reaxff maxiter N`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QeqSettings {
    /// Relative residual at which CG stops.
    pub tolerance: f64,
    /// Iteration cap of each solve.
    pub max_iterations: usize,
    /// Non-convergence stops the run (else a warning).
    pub strict: bool,
}

impl Default for QeqSettings {
    fn default() -> Self {
        QeqSettings {
            tolerance: 1e-10,
            max_iterations: 200,
            strict: false,
        }
    }
}

/// ReaxFF with charge equilibration.
pub struct ReaxFF {
    path: PathBuf,
    ff: ForceField,
    map: Vec<usize>,
    tables: Tables,
    taper: [f64; 8],
    lgvdw: bool,
    qeq: Option<Qeq>,
    graph: BondGraph,
    acc: Accum,
    /// Terms of the last evaluation, summed over ranks, kcal/mol.
    last: Energies,
}

impl ReaxFF {
    /// ReaxFF from an ffield file for atom types whose elements are `elements` (type t + 1 is
    /// `elements[t]`), with QEq when `qeq` is given.
    pub fn new(path: &Path, elements: &[String], qeq: Option<QeqSettings>) -> Result<ReaxFF> {
        let lgvdw = false;
        let ff = ForceField::read(path, lgvdw)?;
        if elements.is_empty() {
            return Err(Error::run(format!(
                "reaxff {}: give the element of each atom type (--elements E1,E2 or \
                 `elements` in the deck), as pair_coeff * * ffield E1 E2",
                path.display()
            )));
        }
        let syms: Vec<&str> = elements.iter().map(String::as_str).collect();
        let map = ff.for_elements(&syms)?;
        let tables = Tables::new(&ff, &map, Control::default());
        let taper = taper_coefficients(tables.swa, tables.swb);
        let qeq = match qeq {
            Some(s) => {
                let params = QeqParams::from_force_field(&ff, &map);
                let mut q = Qeq::new(params, tables.swa, tables.swb, s.tolerance)?;
                q.max_iterations = s.max_iterations;
                q.strict = s.strict;
                Some(q)
            }
            None => None,
        };
        Ok(ReaxFF {
            path: path.to_path_buf(),
            ff,
            map,
            tables,
            taper,
            lgvdw,
            qeq,
            graph: BondGraph::default(),
            acc: Accum::default(),
            last: Energies::default(),
        })
    }

    /// Energy terms of the last evaluation, summed over ranks, kcal/mol.
    pub fn energies(&self) -> &Energies {
        &self.last
    }

    /// Mean CG iterations of the last QEq (the s and t solves), LAMMPS's `f_q`.
    pub fn qeq_iterations(&self) -> Option<f64> {
        self.qeq
            .as_ref()
            .map(|q| 0.5 * (q.iterations.0 + q.iterations.1) as f64)
    }
}

impl Potential for ReaxFF {
    fn describe(&self) -> String {
        format!("reaxff {}", display_name(&self.path))
    }

    fn cutoff(&self) -> f64 {
        self.tables.swb
    }

    fn type_masses(&self) -> Vec<Option<f64>> {
        // Masses come from the data file, as in LAMMPS.
        vec![None; self.map.len()]
    }

    fn report(&self) -> Report {
        Report {
            terms_ev: TERM_NAMES
                .iter()
                .zip(self.last.terms())
                .map(|(&n, e)| (n, e / KCAL_PER_EV))
                .collect(),
            qeq_iterations: self.qeq_iterations(),
        }
    }

    fn mass_warnings(&self, masses: &[f64]) -> Vec<String> {
        self.ff.mass_warnings(&self.map, masses)
    }

    fn neighbor_requests(&self) -> Vec<ListRequest> {
        let c = &self.tables.control;
        let mut r = vec![
            ListRequest::half(self.tables.swb),
            ListRequest::half(c.bond_cut).with_ghosts(),
        ];
        if self.tables.has_hydrogen {
            r.push(ListRequest::full(c.hbond_cut));
        }
        r
    }

    fn compute(
        &mut self,
        atoms: &mut Atoms,
        lists: &[NeighborList],
        comm: &mut Comm,
    ) -> Result<Tally> {
        if let Some(q) = self.qeq.as_mut() {
            q.solve(atoms, &lists[0], comm)?;
        }
        let qf = atoms.register_field(charge_field()).map_err(Error::run)?;
        let t = &self.tables;
        let g = &mut self.graph;
        g.build(atoms, &lists[1], t, comm);
        g.correct(atoms, t, comm);
        let acc = &mut self.acc;
        acc.reset(atoms.nall());
        nonbonded_energy(
            atoms,
            atoms.fields.get(qf),
            t,
            &self.taper,
            self.lgvdw,
            &lists[0],
            acc,
        )?;
        bond_energy(atoms, g, t, acc);
        atom_energy(atoms, g, t, acc);
        valence_energy(atoms, g, t, acc);
        torsion_energy(atoms, g, t, acc);
        if t.has_hydrogen {
            hbond_energy(atoms, g, t, &lists[2], acc);
        }
        g.add_gradients(atoms.nlocal, &mut acc.cd_delta, &mut acc.grad, comm);
        let mut virial = [0.0; 6];
        for (a, gr) in acc.grad.iter().enumerate() {
            // Non-finite forces are caught for every potential by the MD state (`Md`).
            let f = [
                -gr[0] / KCAL_PER_EV,
                -gr[1] / KCAL_PER_EV,
                -gr[2] / KCAL_PER_EV,
            ];
            let x = atoms.x[a];
            let fa = &mut atoms.f[a];
            for k in 0..3 {
                fa[k] += f[k];
            }
            virial[0] += x[0] * f[0];
            virial[1] += x[1] * f[1];
            virial[2] += x[2] * f[2];
            virial[3] += x[0] * f[1];
            virial[4] += x[0] * f[2];
            virial[5] += x[1] * f[2];
        }
        let mut terms = acc.e.terms();
        let pe = acc.e.total() / KCAL_PER_EV;
        comm.sum(&mut terms);
        self.last = Energies::from_terms(&terms);
        Ok(Tally { pe, virial })
    }
}
