//! One atomic structure — an MD frame or a data file — as a transport problem: every atom is in
//! the scattering region S; the two lead regions (a group, or a range along the transport axis)
//! are S's crystalline ends, and ideal semi-infinite leads continue their stacking outwards
//! ([`crate::transport::problem::lead_crystal`]); transverse axes are periodic where the box
//! is, with the k∥ mesh of the [`SnapshotSpec`] ([`crate::transport::problem::supercell`]).
//!
//! Frames of a trajectory share their leads: the principal layers and their blocks H00(k),
//! H01(k) are built once, from a reference snapshot, into a [`TransportSetup`]; each frame
//! only locates its lead planes (a rigid translation of the reference ones, checked atom by
//! atom, e.g. for a lead driven along the axis) and gets the couplings V to the translated
//! layers. The lead blocks are therefore bit-identical for every frame, and so are their
//! surface Green's functions, which is what lets them be cached per (E, k∥).
//!
//! Models ([`crate::transport::farm::spec::ModelSpec::build`]): the Sutton s band of gold, the
//! Slater–Koster spd model of a parameter file or the DFTB model of a table, whose element
//! every atom type must be (`species`, or the H5MD frame's species names). With `neutrality`
//! (the default for spd and dftb) the setup makes the leads neutral at E_F once (k-averaged
//! over the mesh; leads periodic in both transverse directions with E_F from their own band
//! filling are bulk crystals, neutral as they are), and [`TransportSetup::problem`] makes every
//! atom of each snapshot neutral at E_F (on-site shifts from the Fermi-sea contour integral,
//! k-averaged: [`crate::transport::neutrality::charge_neutrality`]).

use std::collections::HashSet;
use std::ops::Range;

use crate::error::{Error, Result};
use crate::io::h5md::H5mdReader;
use crate::io::lammps_data::DataFile;
use crate::system::{Boundary, SimBox};
use crate::transport::dense::c64;
use crate::transport::farm::gap::GapEmbedding;
use crate::transport::farm::spec::{
    BuiltModel, FermiLevel, LeadRegion, SnapshotSpec, StructureFile,
};
use crate::transport::model::band_filling::lead_fermi_energy_overlap;
use crate::transport::model::tight_binding::{Atom, TightBinding};
use crate::transport::neutrality::charge_neutrality::{
    neutral_lead_kmesh, neutralize, shifted, LeadNeutralityOptions,
};
use crate::transport::neutrality::contour::NeutralityOptions;
use crate::transport::problem::lead_crystal::{
    lead_crystal, maps_onto_itself, match_translation, principal_layer,
};
use crate::transport::problem::scattering::SparseMatrix;
use crate::transport::problem::scattering::TransportProblem;
use crate::transport::problem::supercell::{
    build_supercell_problem, monkhorst_pack, norm, sub, KMesh, LeadBlocks, MeshPoint, Supercell,
};
use log::info;

use crate::transport::farm::frame::transverse;
pub use crate::transport::farm::frame::Snapshot;

/// Where snapshots come from.
pub enum SnapshotSource {
    Trajectory(H5mdReader),
    Data(Box<Snapshot>),
}

impl SnapshotSource {
    /// Open a structure file.
    pub fn open(file: &StructureFile) -> Result<Self> {
        let (path, boundary) = match file {
            StructureFile::Trajectory(t) => {
                return Ok(SnapshotSource::Trajectory(H5mdReader::open(t)?))
            }
            StructureFile::Data { path, boundary } => (path, *boundary),
        };
        let df = DataFile::read(path)?;
        let mut snap = Snapshot {
            frame: 0,
            step: 0,
            time_ps: 0.0,
            simbox: SimBox::new(df.lo, df.hi, boundary),
            ids: Vec::new(),
            types: Vec::new(),
            positions: Vec::new(),
            species_names: Vec::new(),
        };
        for (id, ty, x, _) in df.atoms {
            snap.ids.push(id);
            snap.types.push(ty);
            snap.positions.push(x);
        }
        Ok(SnapshotSource::Data(Box::new(snap)))
    }

    /// Number of snapshots available.
    pub fn len(&self) -> usize {
        match self {
            SnapshotSource::Trajectory(r) => r.n_frames(),
            SnapshotSource::Data(_) => 1,
        }
    }

    /// True when there is no snapshot.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Snapshot `k`.
    pub fn get(&self, k: usize) -> Result<Snapshot> {
        match self {
            SnapshotSource::Trajectory(r) => {
                let f = r.frame(k)?;
                Ok(Snapshot {
                    frame: k,
                    step: f.step,
                    time_ps: f.time_ps,
                    simbox: f.simbox,
                    ids: f.ids,
                    types: f.types,
                    positions: f.positions,
                    species_names: r.species_names().to_vec(),
                })
            }
            SnapshotSource::Data(s) if k == 0 => Ok((**s).clone()),
            SnapshotSource::Data(_) => Err(Error::run(format!(
                "snapshot {k} requested from a single data file"
            ))),
        }
    }
}

/// A lead region of a snapshot.
#[derive(Clone, Debug)]
enum Selector {
    Range(f64, f64),
    Ids(HashSet<u64>),
}

/// Everything shared by the snapshots of one calculation: model, geometry, leads, k-points, energies.
pub struct TransportSetup {
    pub model: Box<dyn TightBinding>,
    /// Transport axis (0, 1, 2).
    pub axis: usize,
    pub cell: Supercell,
    /// Box lengths of the reference along the transverse axes.
    transverse_lengths: [f64; 2],
    mesh: KMesh,
    selectors: [Selector; 2],
    /// [L, R] principal layers and blocks, at the reference position.
    pub leads: [LeadBlocks; 2],
    /// The reference outermost planes and stacking translations.
    planes: [Vec<Atom>; 2],
    steps: [[f64; 3]; 2],
    pub tolerance: f64,
    /// k-points (with their mesh indices and weights).
    pub points: Vec<MeshPoint>,
    pub fermi_ev: f64,
    /// The energy grid (absolute, eV).
    pub energies: Vec<f64>,
    /// Eigenchannel transmissions stored per energy.
    pub n_eig: usize,
    /// Local charge neutrality: electrons per atom and orbitals per atom, when the spec asks
    /// for it.
    pub neutrality: Option<(f64, usize)>,
    /// Per-atom on-site shifts of the [L, R] lead layers that make the leads neutral at E_F
    /// (eV; empty without neutrality and for bulk leads, which need none).
    pub lead_shifts: [Vec<f64>; 2],
    /// The gap of two tips between fcc(111) slabs, when the spec asks for it: every snapshot
    /// is embedded before its problem is built.
    gap: Option<GapEmbedding>,
}

impl TransportSetup {
    /// Build the setup from the spec and a reference snapshot; `groups` are the MD run's
    /// groups (name, atom ids) when a lead is given by group.
    pub fn new(
        spec: &SnapshotSpec,
        reference: &Snapshot,
        groups: Option<&[(String, Vec<u64>)]>,
    ) -> Result<Self> {
        let source = spec.source.as_path();
        let axis = spec.axis;
        // With a gap, the reference fixes the apexes and the embedded reference the leads.
        let (gap, lead_regions, embedded) = match &spec.gap {
            Some(g) => {
                let e = GapEmbedding::new(g, axis, reference).map_err(|e| match e {
                    Error::Run(msg) => Error::key(source, "gap", msg),
                    other => other,
                })?;
                let embedded = e.embed(reference)?;
                info!(
                    "gap: apexes at {:.3} and {:.3} Å along the axis (w = {:.3} Å); fcc(111) \
                     slabs of {} planes, {} atoms",
                    e.apex[0],
                    e.apex[1],
                    e.width(),
                    g.slab_planes,
                    embedded.positions.len()
                );
                let regions = e.lead_regions()?;
                (Some(e), regions, Some(embedded))
            }
            None => (None, spec.leads.clone(), None),
        };
        let original = reference;
        let reference = embedded.as_ref().unwrap_or(original);
        let b = &reference.simbox;
        if b.boundary[axis] == Boundary::Periodic {
            return Err(Error::key(
                source,
                "leads.axis",
                format!(
                    "the box is periodic along the transport axis {}; it must be open (f or s)",
                    ["x", "y", "z"][axis]
                ),
            ));
        }
        let tr = transverse(axis);
        let lengths = b.lengths();
        let mut vectors = Vec::new();
        let mut n = Vec::new();
        for (i, &d) in tr.iter().enumerate() {
            let m = spec.kmesh[i];
            if b.boundary[d] == Boundary::Periodic {
                let mut v = [0.0; 3];
                v[d] = lengths[d];
                vectors.push(v);
                n.push(m);
            } else if m != 1 {
                return Err(Error::key(
                    source,
                    "kpoints.mesh",
                    format!(
                        "{m} points along {} but the box is not periodic there",
                        ["x", "y", "z"][d]
                    ),
                ));
            }
        }
        n.resize(2, 1);
        let cell = Supercell::new(vectors)?;
        let mesh = KMesh {
            n: [n[0], n[1]],
            time_reversal: spec.time_reversal,
        };
        let select = |s: &LeadRegion, key: &str| -> Result<Selector> {
            match s {
                LeadRegion::Group(g) => {
                    let ids = groups
                        .and_then(|gs| gs.iter().find(|(name, _)| name == g))
                        .map(|(_, ids)| ids.iter().copied().collect())
                        .ok_or_else(|| {
                            Error::key(
                                source,
                                key,
                                format!("group '{g}' is not defined by structure.md_deck"),
                            )
                        })?;
                    Ok(Selector::Ids(ids))
                }
                LeadRegion::Range { lo, hi } => Ok(Selector::Range(*lo, *hi)),
            }
        };
        let selectors = [
            select(&lead_regions[0], "leads.left")?,
            select(&lead_regions[1], "leads.right")?,
        ];
        let BuiltModel {
            model,
            electrons_per_atom,
            orbitals,
        } = spec
            .model
            .build(source, &reference.species_names, &reference.types)?;
        let tol = spec.tolerance;
        let atoms = atoms_of(reference);
        let mut planes: Vec<Vec<Atom>> = Vec::new();
        let mut steps = Vec::new();
        let mut leads = Vec::new();
        for side in 0..2 {
            let name = ["left", "right"][side];
            let region = region_atoms(&atoms, reference, &selectors[side], axis);
            let crystal = lead_crystal(&region, axis, [-1.0, 1.0][side], &cell, tol, name)
                .map_err(|e| in_snapshot(e, reference))?;
            leads.push(principal_layer(model.as_ref(), &cell, &crystal, name)?);
            planes.push(crystal.plane);
            steps.push(crystal.step);
        }
        let centre = |p: &[Atom]| p.iter().map(|a| a.pos[axis]).sum::<f64>() / p.len() as f64;
        if centre(&planes[0]) >= centre(&planes[1]) {
            return Err(Error::key(
                source,
                "leads",
                "the left lead must lie at lower coordinates along the axis than the right one",
            ));
        }
        let (Some(rl), Some(ll)) = (leads.pop(), leads.pop()) else {
            return Err(Error::run("two leads are needed"));
        };
        let (Some(rp), Some(lp)) = (planes.pop(), planes.pop()) else {
            return Err(Error::run("two leads are needed"));
        };
        let mut setup = TransportSetup {
            model,
            axis,
            cell,
            transverse_lengths: [lengths[tr[0]], lengths[tr[1]]],
            mesh,
            selectors,
            leads: [ll, rl],
            planes: [lp, rp],
            steps: [steps[0], steps[1]],
            tolerance: tol,
            points: Vec::new(),
            fermi_ev: 0.0,
            energies: Vec::new(),
            n_eig: spec.eigenchannels,
            neutrality: None,
            lead_shifts: [Vec::new(), Vec::new()],
            gap,
        };
        // The reference itself fixes the k-points (and checks that it is a valid problem).
        let (_, points) = setup
            .bare_problem(original)
            .map_err(|e| in_snapshot(e, original))?;
        setup.points = points;
        setup.fermi_ev = match spec.fermi {
            FermiLevel::Fixed(v) => v,
            FermiLevel::BandFilling { q_points, kmesh } => {
                // The band-filling mesh over the periodic directions, as the transport mesh.
                let points = match kmesh {
                    Some(m) => {
                        let mut n: Vec<usize> = tr
                            .iter()
                            .enumerate()
                            .filter(|(_, &d)| b.boundary[d] == Boundary::Periodic)
                            .map(|(i, _)| m[i])
                            .collect();
                        n.resize(2, 1);
                        monkhorst_pack([n[0], n[1]], false)?
                    }
                    None => setup.points.clone(),
                };
                let lead = &setup.leads[0];
                let blocks: Vec<_> = lead.at_points(&points);
                let overlap = lead.overlap_at_points(&points);
                let electrons = electrons_per_atom * lead.geometry.layer.len() as f64;
                lead_fermi_energy_overlap(&blocks, overlap.as_deref(), electrons, q_points)?
            }
        };
        if spec.model.neutrality {
            let bulk_auto =
                setup.cell.dim() == 2 && matches!(spec.fermi, FermiLevel::BandFilling { .. });
            setup.neutralize_leads(electrons_per_atom, orbitals, bulk_auto)?;
        }
        setup.energies = spec.energies.iter().map(|e| setup.fermi_ev + e).collect();
        Ok(setup)
    }

    /// The transport problem of a snapshot, with its k-points (those of the setup); locally
    /// charge neutral at E_F when the spec asks for it.
    pub fn problem(&self, snap: &Snapshot) -> Result<(TransportProblem, Vec<MeshPoint>)> {
        let (p, points) = self.bare_problem(snap).map_err(|e| in_snapshot(e, snap))?;
        let Some((valence, orbitals)) = self.neutrality else {
            return Ok((p, points));
        };
        let t0 = std::time::Instant::now();
        let atoms: Vec<Range<usize>> = (0..p.n_s() / orbitals)
            .map(|i| orbitals * i..orbitals * (i + 1))
            .collect();
        let target = vec![valence; atoms.len()];
        let opts = NeutralityOptions::default();
        let r = neutralize(&p, &atoms, &target, self.fermi_ev, &opts)
            .map_err(|e| in_snapshot(e, snap))?;
        let (lo, hi) = min_max(&r.shifts);
        info!(
            "frame {}: {} atoms neutral at E_F = {:.4} eV over {} k-point(s) in {} Newton \
             step(s), {:.1} s; shifts {lo:.3} .. {hi:.3} eV",
            snap.frame,
            atoms.len(),
            self.fermi_ev,
            points.len(),
            r.iterations,
            t0.elapsed().as_secs_f64()
        );
        Ok((shifted(&p, &atoms, &r.shifts), points))
    }

    /// Make both leads neutral at E_F (k-averaged over the mesh) and put the shifts into their
    /// blocks H00, shared by every snapshot. With `bulk_auto` (leads periodic along both
    /// transverse directions, E_F their band filling on the same k∥ mesh) the leads are neutral
    /// as they are: a lead is then an infinite crystal whose layer holds its electrons at that
    /// E_F by construction, shared equally by its equivalent atoms, and no shift is needed.
    fn neutralize_leads(&mut self, valence: f64, orbitals: usize, bulk_auto: bool) -> Result<()> {
        self.neutrality = Some((valence, orbitals));
        if bulk_auto {
            info!(
                "leads periodic across the axis: neutral at their band-filling E_F = {:.4} eV \
                 (no shifts)",
                self.fermi_ev
            );
            return Ok(());
        }
        if self.leads.iter().any(|l| l.overlap.is_some()) {
            return Err(Error::run(
                "local charge neutrality of a non-orthogonal model needs bulk leads (periodic \
                 along both transverse directions, fermi = \"auto\"); give neutrality = false \
                 for wire leads",
            ));
        }
        let t0 = std::time::Instant::now();
        for side in 0..2 {
            let lead = &mut self.leads[side];
            let n = lead.h00.nrows;
            let atoms: Vec<Range<usize>> = (0..n / orbitals)
                .map(|i| orbitals * i..orbitals * (i + 1))
                .collect();
            let blocks = lead.at_points(&self.points);
            let target = vec![valence; atoms.len()];
            let r = neutral_lead_kmesh(
                &blocks,
                &atoms,
                &target,
                self.fermi_ev,
                &LeadNeutralityOptions::default(),
            )
            .map_err(|e| Error::run(format!("{} lead: {e}", ["left", "right"][side])))?;
            let mut d = SparseMatrix::zeros(n, n);
            for (rg, &s) in atoms.iter().zip(&r.shifts) {
                for o in rg.clone() {
                    d.entries.push((o, o, c64(s, 0.0)));
                }
            }
            match lead.h00.terms.iter_mut().find(|(m, _)| *m == [0, 0]) {
                Some((_, b)) => b.entries.extend(d.entries),
                None => lead.h00.terms.push(([0, 0], d)),
            }
            let (lo, hi) = min_max(&r.shifts);
            info!(
                "{} lead: {} atoms per layer neutral at E_F = {:.4} eV in {} Newton step(s); \
                 shifts {lo:.4} .. {hi:.4} eV",
                ["left", "right"][side],
                atoms.len(),
                self.fermi_ev,
                r.iterations
            );
            self.lead_shifts[side] = r.shifts;
        }
        info!("leads neutral in {:.1} s", t0.elapsed().as_secs_f64());
        self.neutrality = Some((valence, orbitals));
        Ok(())
    }

    /// The embedding of the frames' gaps between the slabs, where the spec has a `[gap]`.
    pub fn gap(&self) -> Option<&GapEmbedding> {
        self.gap.as_ref()
    }

    /// The problem of a snapshot (its gap between the slabs, with a gap) with the setup's
    /// leads, without the neutrality of S.
    pub fn bare_problem(&self, snap: &Snapshot) -> Result<(TransportProblem, Vec<MeshPoint>)> {
        match &self.gap {
            Some(g) => {
                let embedded = g.embed(snap)?;
                info!(
                    "frame {}: {} atom(s) in the gap",
                    snap.frame,
                    embedded.ids.len() - g.slab_atoms()
                );
                self.problem_inner(&embedded)
            }
            None => self.problem_inner(snap),
        }
    }

    fn problem_inner(&self, snap: &Snapshot) -> Result<(TransportProblem, Vec<MeshPoint>)> {
        let tr = transverse(self.axis);
        let l = snap.simbox.lengths();
        for (i, &d) in tr.iter().enumerate() {
            let want = self.transverse_lengths[i];
            if snap.simbox.boundary[d] == Boundary::Periodic
                && (l[d] - want).abs() > 1e-9 * want.max(1.0)
            {
                return Err(Error::run(format!(
                    "box length along {} is {} Å, the reference's {want} Å: the leads would not \
                     match",
                    ["x", "y", "z"][d],
                    l[d]
                )));
            }
        }
        let atoms = atoms_of(snap);
        let tol = self.tolerance;
        let mut shifts = [[0.0; 3]; 2];
        for side in 0..2 {
            let name = ["left", "right"][side];
            let outward = [-1.0, 1.0][side];
            let region = region_atoms(&atoms, snap, &self.selectors[side], self.axis);
            let crystal = lead_crystal(&region, self.axis, outward, &self.cell, tol, name)?;
            // The same stacking up to a lattice translation of the plane (which of the
            // equivalent translations a frame finds depends on how its atoms are wrapped).
            let diff = sub(crystal.step, self.steps[side]);
            if norm(diff) > tol && !maps_onto_itself(&crystal.plane, diff, &self.cell, tol) {
                return Err(Error::run(format!(
                    "{name} lead: stacking translation {:?} differs from the reference's {:?}",
                    crystal.step, self.steps[side]
                )));
            }
            shifts[side] = match_translation(&self.planes[side], &crystal.plane, &self.cell, tol)
                .ok_or_else(|| {
                Error::run(format!(
                    "{name} lead: its outermost plane is not a translate of the reference \
                         lead's (within {tol} Å)"
                ))
            })?;
            let face = crystal.plane.iter().map(|a| a.pos[self.axis]).sum::<f64>()
                / crystal.plane.len() as f64;
            if let Some((i, _)) = atoms
                .iter()
                .enumerate()
                .find(|(_, a)| outward * (a.pos[self.axis] - face) > tol)
            {
                return Err(Error::run(format!(
                    "atom {} lies beyond the outermost plane of the {name} lead",
                    snap.ids[i]
                )));
            }
        }
        let (p, points) = build_supercell_problem(
            self.model.as_ref(),
            &self.cell,
            &atoms,
            [(&self.leads[0], shifts[0]), (&self.leads[1], shifts[1])],
            self.mesh,
        )?;
        if !self.points.is_empty() && points != self.points {
            return Err(Error::run(
                "the k-points differ from the reference's (the Hamiltonian is complex here)",
            ));
        }
        Ok((p, points))
    }
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}

fn atoms_of(s: &Snapshot) -> Vec<Atom> {
    s.types
        .iter()
        .zip(&s.positions)
        .map(|(&t, &pos)| Atom {
            species: t as usize,
            pos,
        })
        .collect()
}

fn region_atoms(atoms: &[Atom], snap: &Snapshot, sel: &Selector, axis: usize) -> Vec<Atom> {
    atoms
        .iter()
        .zip(&snap.ids)
        .filter(|(a, id)| match sel {
            Selector::Range(lo, hi) => a.pos[axis] >= *lo && a.pos[axis] <= *hi,
            Selector::Ids(s) => s.contains(id),
        })
        .map(|(a, _)| *a)
        .collect()
}

fn in_snapshot(e: Error, s: &Snapshot) -> Error {
    Error::run(format!("frame {} (step {}): {e}", s.frame, s.step))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_message_round_trips() {
        let s = Snapshot {
            frame: 3,
            step: 300,
            time_ps: 0.6,
            simbox: SimBox::new(
                [0.0, -1.0, -8.5],
                [16.32, 15.32, 40.0],
                SimBox::parse_boundary("p s f").unwrap(),
            ),
            ids: vec![7, 2, 1 << 40],
            types: vec![0, 1, 0],
            positions: vec![[0.1, 0.2, 0.3], [1.0, -2.0, 3.5], [1e-300, 5.0, 39.9]],
            species_names: vec!["Au".into(), "Ag".into()],
        };
        let m = s.encode();
        let back = Snapshot::decode(3, &m, &s.species_names).unwrap();
        assert_eq!(back.simbox, s.simbox);
        assert_eq!((back.step, back.time_ps), (s.step, s.time_ps));
        assert_eq!((&back.ids, &back.types), (&s.ids, &s.types));
        assert_eq!(back.positions, s.positions);
        assert!(Snapshot::decode(0, &m[..m.len() - 1], &[]).is_err());
    }
}
