//! Input decks: TOML files (schema below) parsed with serde, unknown keys rejected, and values
//! validated with the file, line and key of the problem in every message.
//!
//! ```toml
//! title = "Au nanojunction demo"
//! base_dir = "/runs/in"  # relative paths start here (default: the deck's folder; `run` writes
//!                        # it into the copy OUT/deck.toml, so that copy reads from anywhere)
//! [structure]            # a LAMMPS data file, or a lattice to build
//! data = "au.data"       # paths are relative to base_dir
//! boundary = "p p f"
//! [structure.lattice]    # instead of `data`
//! a = 4.08
//! orient = [[1,-1,0],[1,1,-2],[1,1,1]]
//! cells = [3, 2, 8]
//! vacuum = [0, 0, 10]    # Å added below and above the crystal on each axis
//! keep = [{style = "slab", axis = "z", lo = 0, hi = 8}]   # union of regions (default: all)
//! [potential]
//! style = "eam"          # eam | eam/alloy | eam/fs
//! files = ["Au_u3.eam"]
//! elements = []          # one per atom type for eam/alloy, eam/fs
//! [[group]]
//! name = "bottom"
//! region = {style = "slab", axis = "z", lo = -1e9, hi = 14}
//! [neighbor]
//! skin = 2.0
//! [velocity]
//! temperature = 300.0
//! seed = 12345
//! [minimize]
//! ftol = 1e-3
//! [run]
//! timestep = 0.002       # ps
//! steps = 1000
//! thermo = 100
//! freeze = ["bottom"]    # groups held fixed
//! [output]
//! trajectory = 100       # H5MD frame interval (0 = none)
//! [parallel]
//! grid = [2, 2, 1]       # MPI processor grid (default: minimal ghost surface)
//! [[lead]]               # a rigid lead with imposed motion along an axis
//! group = "top"
//! motion = "oscillate"   # fixed | oscillate | pull | step
//! amplitude = 1.0        # Å (oscillate); velocity (Å/ps, pull); displacement, t_on (step)
//! frequency_ghz = 10.0
//! [[thermostat]]         # Langevin (style = "nose-hoover": NH chain, `chain = 3`) on a group
//! group = "bath_top"
//! temperature = 300.0
//! damping = 0.5          # ps
//! frame = "top"          # act on velocities relative to this lead's imposed motion
//! [transport]            # optional: conductance of snapshots on transport ranks during the run
//! deck = "transport.toml"  # a transport deck (`deck::transport`); its [structure] is ignored
//! every = 100            # a snapshot on every step that is a multiple of this (step 0 included)
//! ranks = 1              # the last `ranks` MPI ranks do transport, the others the MD (0 = off)
//! ```
//!
//! `[transport]` names a transport deck rather than holding its tables so that one file
//! describes the problem (`[model]`, `[leads]`, `[kpoints]`, `[energy]`, `[farm]`) for both the
//! inline run and `nanocontact farm` on the stored trajectory afterwards, read and checked by
//! the same code, as a LAMMPS input `include`s a shared file; its leads may name this deck's
//! groups. The snapshot of step s is transport frame s / `every`: with `output.trajectory =
//! every` it is frame s / `every` of `traj.h5` too. Transport results go to `OUT/transport/`
//! (`farm.h5`, `conductance.csv`, `transmission.csv`, `failures.csv`, figures, as `farm` writes
//! them) and G/G0 per snapshot to `/observables/conductance` of `traj.h5` at the end.

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub mod transport;

use crate::error::{Error, Result};
use crate::io::toml_lines::{line_of, locate};
use crate::system::Region;

/// A whole deck.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deck {
    #[serde(default)]
    pub title: String,
    /// Folder that relative paths start from (default: the deck's own folder).
    pub base_dir: Option<PathBuf>,
    pub structure: Structure,
    pub potential: PotentialDeck,
    #[serde(default)]
    pub group: Vec<GroupDeck>,
    #[serde(default)]
    pub neighbor: NeighborDeck,
    pub velocity: Option<VelocityDeck>,
    pub minimize: Option<MinimizeDeck>,
    pub run: RunDeck,
    #[serde(default)]
    pub output: OutputDeck,
    #[serde(default)]
    pub parallel: ParallelDeck,
    #[serde(default)]
    pub lead: Vec<LeadDeck>,
    #[serde(default)]
    pub thermostat: Vec<ThermostatDeck>,
    #[serde(default)]
    pub stage: Vec<StageDeck>,
    pub transport: Option<TransportSection>,
}

/// `[transport]`: snapshots of the run farmed out to transport ranks beside the MD ranks.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransportSection {
    /// The transport deck (relative to the MD deck's folder).
    pub deck: PathBuf,
    /// Steps between snapshots.
    pub every: u64,
    /// Transport ranks (0: none, the run is the plain MD).
    pub ranks: usize,
    /// The transport deck, read and checked.
    #[serde(skip)]
    pub problem: Option<transport::TransportDeck>,
    /// Line of `ranks` in the MD deck, for the error when the job has too few ranks.
    #[serde(skip)]
    pub ranks_line: Option<usize>,
}

impl TransportSection {
    /// An error about `ranks` against the job's `world_size`, if there is one.
    pub fn check_ranks(&self, deck_path: &Path, world_size: usize) -> Result<()> {
        if self.ranks > 0 && self.ranks >= world_size {
            return Err(Error::Input {
                path: deck_path.to_path_buf(),
                line: self.ranks_line,
                key: Some("transport.ranks".into()),
                msg: format!(
                    "{} transport rank(s) leave no MD rank: the job has {world_size} rank(s), \
                     it needs at least {}",
                    self.ranks,
                    self.ranks + 1
                ),
            });
        }
        Ok(())
    }
}

/// `[[stage]]`: a protocol stage after the base run (`[minimize]`, `[velocity]`, `[run]`), on
/// the same system and into the same output files. Anything not given keeps its value from the
/// stage before.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageDeck {
    pub name: String,
    /// Number of steps; or `cycles` of the oscillating lead.
    pub steps: Option<u64>,
    pub cycles: Option<f64>,
    /// Timestep override, ps.
    pub timestep: Option<f64>,
    /// FIRE at the start of the stage.
    pub minimize: Option<MinimizeDeck>,
    /// New Maxwell–Boltzmann velocities at the start of the stage.
    pub velocity: Option<VelocityDeck>,
    /// New motions for some of the leads (their groups must be `[[lead]]` groups); the new motion
    /// starts from the lead's current position.
    #[serde(default)]
    pub lead: Vec<LeadDeck>,
    /// New parameters for the base run's thermostats; base thermostats not listed switch off
    /// (their work so far stays in the output).
    pub thermostat: Option<Vec<ThermostatDeck>>,
}

/// `[[lead]]`: a rigid lead with an imposed motion along `axis`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadDeck {
    pub group: String,
    #[serde(default = "default_axis")]
    pub axis: String,
    /// `fixed`, `oscillate` (Δ = amplitude·sin(2π f t)), `pull` (Δ = velocity·t) or `step`.
    #[serde(default = "default_motion")]
    pub motion: String,
    /// Å, for `oscillate`.
    #[serde(default)]
    pub amplitude: f64,
    /// GHz, for `oscillate`.
    #[serde(default)]
    pub frequency_ghz: f64,
    /// Å/ps, for `pull`.
    #[serde(default)]
    pub velocity: f64,
    /// Å and ps, for `step`.
    #[serde(default)]
    pub displacement: f64,
    #[serde(default)]
    pub t_on: f64,
}

fn default_axis() -> String {
    "z".into()
}
fn default_motion() -> String {
    "fixed".into()
}

/// `[[thermostat]]`: Langevin (optionally in the frame of a moving lead) or a Nosé–Hoover chain
/// on a group.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThermostatDeck {
    #[serde(default = "default_langevin")]
    pub style: String,
    pub group: String,
    pub temperature: f64,
    /// Damping time τ, ps.
    pub damping: f64,
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Group of the lead whose imposed velocity is the reference frame of these atoms (Langevin).
    pub frame: Option<String>,
    /// Chain length (Nosé–Hoover).
    #[serde(default = "default_chain")]
    pub chain: usize,
}

fn default_chain() -> usize {
    3
}

fn default_langevin() -> String {
    "langevin".into()
}

/// `[parallel]`: the MPI processor grid (default: chosen to minimise the ghost surface).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParallelDeck {
    pub grid: Option<[usize; 3]>,
}

/// `[structure]`: where the atoms come from and the boundaries.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Structure {
    pub data: Option<PathBuf>,
    pub lattice: Option<LatticeDeck>,
    pub junction: Option<JunctionDeck>,
    #[serde(default = "default_boundary")]
    pub boundary: String,
    /// Mass of each type (amu) when neither the data file nor the potential gives one.
    #[serde(default)]
    pub masses: Vec<f64>,
}

fn default_boundary() -> String {
    "p p p".into()
}

/// `[structure.junction]`: two crystalline leads joined by a column (see `build::junction`);
/// defines the groups `lead_bottom`, `bath_bottom`, `junction`, `bath_top`, `lead_top`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JunctionDeck {
    pub a: f64,
    /// Crystal direction along z: "111", "110" or "001".
    #[serde(default = "default_orientation")]
    pub orientation: String,
    /// Lateral repeats of the oriented cell along x and y.
    pub lateral_cells: [usize; 2],
    /// Atomic planes per lead.
    pub lead_layers: usize,
    /// Column length between the leads, Å.
    pub h0: f64,
    /// Column radius, Å.
    pub radius: f64,
    #[serde(default = "default_junction_vacuum")]
    pub vacuum: f64,
    #[serde(default = "default_two")]
    pub rigid_layers: usize,
    #[serde(default = "default_two")]
    pub bath_layers: usize,
}

impl JunctionDeck {
    /// The builder's parameters (the orientation was validated when the deck was read; an
    /// unparsable one falls back to [111]).
    pub fn spec(&self) -> crate::build::junction::JunctionSpec {
        use crate::build::junction::{JunctionSpec, Orientation};
        JunctionSpec {
            a: self.a,
            orientation: Orientation::parse(&self.orientation).unwrap_or(Orientation::O111),
            lateral_cells: self.lateral_cells,
            lead_layers: self.lead_layers,
            h0: self.h0,
            radius: self.radius,
            vacuum: self.vacuum,
            rigid_layers: self.rigid_layers,
            bath_layers: self.bath_layers,
        }
    }
}

fn default_orientation() -> String {
    "111".into()
}
fn default_junction_vacuum() -> f64 {
    10.0
}
fn default_two() -> usize {
    2
}

/// `[structure.lattice]`: an oriented fcc crystal, optionally carved by regions.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatticeDeck {
    #[serde(default = "default_fcc")]
    pub style: String,
    pub a: f64,
    #[serde(default = "default_orient")]
    pub orient: [[i64; 3]; 3],
    pub cells: [usize; 3],
    #[serde(default)]
    pub vacuum: [f64; 3],
    #[serde(default)]
    pub keep: Vec<Region>,
    /// Atom type (1-based) of the sites.
    #[serde(default = "one")]
    pub r#type: u32,
    #[serde(default = "one_usize")]
    pub ntypes: usize,
}

fn default_fcc() -> String {
    "fcc".into()
}
fn default_orient() -> [[i64; 3]; 3] {
    [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
}
fn one() -> u32 {
    1
}
fn one_usize() -> usize {
    1
}

/// `[potential]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PotentialDeck {
    pub style: String,
    pub files: Vec<PathBuf>,
    #[serde(default)]
    pub elements: Vec<String>,
}

/// `[[group]]`: a named group of the atoms inside a region at the start.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDeck {
    pub name: String,
    pub region: Region,
}

/// `[neighbor]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeighborDeck {
    #[serde(default = "default_skin")]
    pub skin: f64,
    #[serde(default = "one_u64")]
    pub every: u64,
}

impl Default for NeighborDeck {
    fn default() -> Self {
        NeighborDeck {
            skin: default_skin(),
            every: 1,
        }
    }
}

fn default_skin() -> f64 {
    2.0
}
fn one_u64() -> u64 {
    1
}

/// `[velocity]`: Maxwell–Boltzmann velocities at the start.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VelocityDeck {
    pub temperature: f64,
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_seed() -> u64 {
    87287
}

/// `[minimize]`: FIRE before the run.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinimizeDeck {
    #[serde(default = "default_ftol")]
    pub ftol: f64,
    #[serde(default)]
    pub etol: f64,
    #[serde(default = "default_min_steps")]
    pub max_steps: u64,
    #[serde(default = "default_min_dt")]
    pub dt: f64,
}

fn default_ftol() -> f64 {
    1e-3
}
fn default_min_steps() -> u64 {
    1000
}
fn default_min_dt() -> f64 {
    0.002
}

/// `[run]`: the MD run.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunDeck {
    pub timestep: f64,
    pub steps: u64,
    #[serde(default = "default_thermo")]
    pub thermo: u64,
    #[serde(default)]
    pub freeze: Vec<String>,
}

fn default_thermo() -> u64 {
    100
}

/// `[output]`: trajectory intervals (0 = none).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputDeck {
    #[serde(default = "default_thermo")]
    pub trajectory: u64,
    #[serde(default)]
    pub xyz: u64,
    #[serde(default)]
    pub dump: u64,
    /// Species name of each type for the extended XYZ file.
    #[serde(default)]
    pub species: Vec<String>,
    /// Sampling interval of lead forces, displacements and thermostat work (`leads.csv`).
    #[serde(default = "default_lead_sample")]
    pub leads: u64,
}

fn default_lead_sample() -> u64 {
    10
}

impl Default for OutputDeck {
    fn default() -> Self {
        OutputDeck {
            trajectory: default_thermo(),
            xyz: 0,
            dump: 0,
            species: vec![],
            leads: default_lead_sample(),
        }
    }
}

impl Deck {
    /// Read and validate a deck file.
    pub fn read(path: &Path) -> Result<Deck> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(path, &text)
    }

    /// Parse and validate deck text; `path` names it in messages and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Deck> {
        let mut deck: Deck = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            let msg = e
                .message()
                .replace('\n', " ")
                .replace("expected u64", "expected a non-negative integer")
                .replace("expected usize", "expected a non-negative integer")
                .replace("expected u32", "expected a non-negative integer")
                .replace("expected i64", "expected an integer")
                .replace("expected f64", "expected a number");
            Error::input(path, line, msg)
        })?;
        let bad = |table: &str, key: &str, msg: String| Error::Input {
            path: path.to_path_buf(),
            line: locate(text, table, key),
            key: Some(format!("{table}.{key}")),
            msg,
        };
        let s = &deck.structure;
        let sources = [s.data.is_some(), s.lattice.is_some(), s.junction.is_some()]
            .iter()
            .filter(|&&b| b)
            .count();
        if sources != 1 {
            return Err(bad(
                "structure",
                "data",
                "give exactly one of 'data' (a LAMMPS data file), [structure.lattice] or [structure.junction]".into(),
            ));
        }
        if let Some(j) = &s.junction {
            if crate::build::junction::Orientation::parse(&j.orientation).is_none() {
                return Err(bad(
                    "structure.junction",
                    "orientation",
                    format!("'{}': expected \"111\", \"110\" or \"001\"", j.orientation),
                ));
            }
            if j.a.is_nan()
                || j.a <= 0.0
                || j.h0.is_nan()
                || j.h0 <= 0.0
                || j.radius.is_nan()
                || j.radius <= 0.0
            {
                return Err(bad(
                    "structure.junction",
                    "a",
                    "a, h0 and radius must be positive lengths in Å".into(),
                ));
            }
            if j.lateral_cells.contains(&0) || j.lead_layers == 0 {
                return Err(bad(
                    "structure.junction",
                    "lateral_cells",
                    "lateral_cells and lead_layers must be at least 1".into(),
                ));
            }
            if j.rigid_layers + j.bath_layers > j.lead_layers {
                return Err(bad(
                    "structure.junction",
                    "rigid_layers",
                    "rigid_layers + bath_layers exceeds lead_layers".into(),
                ));
            }
        }
        if crate::system::SimBox::parse_boundary(&s.boundary).is_none() {
            return Err(bad(
                "structure",
                "boundary",
                format!(
                    "'{}': expected three letters from p, f, s, e.g. \"p p f\"",
                    s.boundary
                ),
            ));
        }
        if let Some(l) = &s.lattice {
            if l.style != "fcc" {
                return Err(bad(
                    "structure.lattice",
                    "style",
                    format!("'{}': only \"fcc\" is available", l.style),
                ));
            }
            if l.a.is_nan() || l.a <= 0.0 {
                return Err(bad(
                    "structure.lattice",
                    "a",
                    format!("{} must be a positive length in Å", l.a),
                ));
            }
            if l.cells.contains(&0) {
                return Err(bad(
                    "structure.lattice",
                    "cells",
                    "every count must be at least 1".into(),
                ));
            }
            if l.vacuum.iter().any(|&v| v.is_nan() || v < 0.0) {
                return Err(bad(
                    "structure.lattice",
                    "vacuum",
                    "must be non-negative lengths in Å".into(),
                ));
            }
            if l.r#type == 0 || l.r#type as usize > l.ntypes {
                return Err(bad(
                    "structure.lattice",
                    "type",
                    format!("{} is not a type in 1..{}", l.r#type, l.ntypes),
                ));
            }
            for r in &l.keep {
                r.check_axis()
                    .map_err(|m| bad("structure.lattice", "keep", m))?;
            }
        }
        if crate::potential::eam::EamStyle::from_name(&deck.potential.style).is_none() {
            return Err(bad(
                "potential",
                "style",
                format!(
                    "'{}': expected eam, eam/alloy or eam/fs",
                    deck.potential.style
                ),
            ));
        }
        if deck.potential.files.is_empty() {
            return Err(bad(
                "potential",
                "files",
                "give at least one potential file".into(),
            ));
        }
        for g in &deck.group {
            g.region
                .check_axis()
                .map_err(|m| bad("group", "region", format!("group '{}': {m}", g.name)))?;
            if g.name == "all" {
                return Err(bad("group", "name", "'all' is predefined".into()));
            }
        }
        if deck.neighbor.skin.is_nan() || deck.neighbor.skin < 0.0 {
            return Err(bad(
                "neighbor",
                "skin",
                format!("{} must be a non-negative length in Å", deck.neighbor.skin),
            ));
        }
        if deck.neighbor.every == 0 {
            return Err(bad("neighbor", "every", "must be at least 1".into()));
        }
        if let Some(v) = &deck.velocity {
            if v.temperature.is_nan() || v.temperature < 0.0 {
                return Err(bad(
                    "velocity",
                    "temperature",
                    format!("{} must be a non-negative temperature in K", v.temperature),
                ));
            }
        }
        if let Some(m) = &deck.minimize {
            if (m.ftol.is_nan() || m.ftol <= 0.0) || (m.dt.is_nan() || m.dt <= 0.0) {
                return Err(bad(
                    "minimize",
                    "ftol",
                    "ftol and dt must be positive".into(),
                ));
            }
        }
        if (deck.run.timestep.is_nan() || deck.run.timestep <= 0.0)
            || !deck.run.timestep.is_finite()
        {
            return Err(bad(
                "run",
                "timestep",
                format!("{} must be a positive time in ps", deck.run.timestep),
            ));
        }
        if deck.run.thermo == 0 {
            return Err(bad(
                "run",
                "thermo",
                "must be at least 1 (steps between thermo lines)".into(),
            ));
        }
        let mut names: Vec<&str> = deck.group.iter().map(|g| g.name.as_str()).collect();
        if deck.structure.junction.is_some() {
            names.extend(crate::build::junction::GROUPS);
        }
        for f in &deck.run.freeze {
            if f != "all" && !names.contains(&f.as_str()) {
                return Err(bad(
                    "run",
                    "freeze",
                    format!("group '{f}' is not defined by a [[group]] table"),
                ));
            }
        }
        for l in &deck.lead {
            if l.group != "all" && !names.contains(&l.group.as_str()) {
                return Err(bad(
                    "lead",
                    "group",
                    format!("group '{}' is not defined by a [[group]] table", l.group),
                ));
            }
            if crate::system::axis_index(&l.axis).is_none() {
                return Err(bad(
                    "lead",
                    "axis",
                    format!("'{}': expected \"x\", \"y\" or \"z\"", l.axis),
                ));
            }
            match l.motion.as_str() {
                "fixed" | "pull" | "step" => {}
                "oscillate" => {
                    if l.frequency_ghz.is_nan() || l.frequency_ghz <= 0.0 {
                        return Err(bad(
                            "lead",
                            "frequency_ghz",
                            format!(
                                "lead '{}': oscillation needs a positive frequency in GHz",
                                l.group
                            ),
                        ));
                    }
                }
                m => {
                    return Err(bad(
                        "lead",
                        "motion",
                        format!("'{m}': expected fixed, oscillate, pull or step"),
                    ))
                }
            }
        }
        for t in &deck.thermostat {
            if t.style != "langevin" && t.style != "nose-hoover" {
                return Err(bad(
                    "thermostat",
                    "style",
                    format!("'{}': expected \"langevin\" or \"nose-hoover\"", t.style),
                ));
            }
            if t.chain == 0 {
                return Err(bad(
                    "thermostat",
                    "chain",
                    "a Nosé–Hoover chain needs at least one thermostat".into(),
                ));
            }
            if t.style == "nose-hoover" && t.frame.is_some() {
                return Err(bad(
                    "thermostat",
                    "frame",
                    "a moving frame is available for Langevin baths only".into(),
                ));
            }
            if t.group != "all" && !names.contains(&t.group.as_str()) {
                return Err(bad(
                    "thermostat",
                    "group",
                    format!("group '{}' is not defined by a [[group]] table", t.group),
                ));
            }
            if t.damping.is_nan() || t.damping <= 0.0 {
                return Err(bad(
                    "thermostat",
                    "damping",
                    format!("{} must be a positive time in ps", t.damping),
                ));
            }
            if t.temperature.is_nan() || t.temperature < 0.0 {
                return Err(bad(
                    "thermostat",
                    "temperature",
                    format!("{} must be a non-negative temperature in K", t.temperature),
                ));
            }
            if let Some(f) = &t.frame {
                if !deck.lead.iter().any(|l| &l.group == f) {
                    return Err(bad(
                        "thermostat",
                        "frame",
                        format!("'{f}' is not the group of a [[lead]]"),
                    ));
                }
            }
        }
        for st in &deck.stage {
            if st.steps.is_some() == st.cycles.is_some() && st.minimize.is_none() {
                return Err(bad(
                    "stage",
                    "steps",
                    format!("stage '{}': give either steps or cycles", st.name),
                ));
            }
            if let Some(c) = st.cycles {
                let osc = st
                    .lead
                    .iter()
                    .chain(deck.lead.iter())
                    .any(|l| l.motion == "oscillate");
                if c.is_nan() || c <= 0.0 || !osc {
                    return Err(bad(
                        "stage",
                        "cycles",
                        format!(
                            "stage '{}': cycles must be positive and need an oscillating lead",
                            st.name
                        ),
                    ));
                }
            }
            if let Some(dt) = st.timestep {
                if dt.is_nan() || dt <= 0.0 {
                    return Err(bad(
                        "stage",
                        "timestep",
                        format!("stage '{}': {dt} must be a positive time in ps", st.name),
                    ));
                }
            }
            for l in &st.lead {
                if !deck.lead.iter().any(|b| b.group == l.group) {
                    return Err(bad(
                        "stage",
                        "lead",
                        format!(
                            "stage '{}': group '{}' is not a [[lead]] of the base run",
                            st.name, l.group
                        ),
                    ));
                }
                if l.motion == "oscillate" && (l.frequency_ghz.is_nan() || l.frequency_ghz <= 0.0) {
                    return Err(bad(
                        "stage",
                        "lead",
                        format!(
                            "stage '{}': oscillation needs a positive frequency_ghz",
                            st.name
                        ),
                    ));
                }
            }
            for t in st.thermostat.iter().flatten() {
                if !deck.thermostat.iter().any(|b| b.group == t.group) {
                    return Err(bad(
                        "stage",
                        "thermostat",
                        format!("stage '{}': group '{}' has no [[thermostat]] in the base run (stages retune or switch off the base thermostats)", st.name, t.group),
                    ));
                }
                if t.damping.is_nan()
                    || t.damping <= 0.0
                    || t.temperature.is_nan()
                    || t.temperature < 0.0
                {
                    return Err(bad(
                        "stage",
                        "thermostat",
                        format!(
                            "stage '{}': damping must be positive and temperature non-negative",
                            st.name
                        ),
                    ));
                }
            }
        }
        // Paths relative to base_dir, by default the deck's folder.
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let base = match &deck.base_dir {
            Some(b) if b.is_absolute() => b.clone(),
            Some(b) => folder.join(b),
            None => folder,
        };
        let fix = |p: &PathBuf| {
            if p.is_absolute() || p.starts_with("builtin:") {
                p.clone()
            } else {
                base.join(p)
            }
        };
        if let Some(t) = &mut deck.transport {
            if t.every == 0 {
                return Err(bad(
                    "transport",
                    "every",
                    "must be at least 1 (steps between snapshots)".into(),
                ));
            }
            t.ranks_line = locate(text, "transport", "ranks");
            t.deck = fix(&t.deck);
            let problem =
                transport::TransportDeck::read_inline(&t.deck, &names).map_err(|e| match e {
                    Error::Io { path, source } => bad(
                        "transport",
                        "deck",
                        format!("cannot read {}: {source}", path.display()),
                    ),
                    other => other,
                })?;
            t.problem = Some(problem);
        }
        if let Some(d) = &deck.structure.data {
            deck.structure.data = Some(fix(d));
        }
        deck.potential.files = deck.potential.files.iter().map(fix).collect();
        Ok(deck)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[structure]
boundary = "p p p"
[structure.lattice]
a = 4.08
cells = [2, 2, 2]
[potential]
style = "eam"
files = ["Au_u3.eam"]
[run]
timestep = 0.002
steps = 10
"#;

    #[test]
    fn parses_and_resolves_paths() {
        let d = Deck::parse(Path::new("/x/deck.toml"), GOOD).unwrap();
        assert_eq!(d.potential.files[0], PathBuf::from("/x/Au_u3.eam"));
        assert_eq!(d.neighbor.skin, 2.0);
    }

    #[test]
    fn errors_name_line_and_key() {
        let t = GOOD.replace("steps = 10", "steps = 10\nstepz = 3");
        let e = Deck::parse(Path::new("d.toml"), &t)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("d.toml:13") && e.contains("stepz"), "{e}");
        let t = GOOD.replace("timestep = 0.002", "timestep = -0.002");
        let e = Deck::parse(Path::new("d.toml"), &t)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("d.toml:11") && e.contains("run.timestep") && e.contains("positive"),
            "{e}"
        );
        let t = GOOD.replace("steps = 10", "steps = \"ten\"");
        let e = Deck::parse(Path::new("d.toml"), &t)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("d.toml:12"), "{e}");
    }

    #[test]
    fn transport_section_reads_its_deck_and_checks_ranks() {
        let dir = std::env::temp_dir().join(format!("nanocontact-deck-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("t.toml"),
            "[model]\nstyle = \"sutton\"\n[leads]\nleft = { group = \"low\" }\n\
             right = { lo = 8.0, hi = 100.0 }\n[energy]\nvalues = [0.0]\n",
        )
        .unwrap();
        let group = "[[group]]\nname = \"low\"\nregion = {style = \"slab\", axis = \"z\", lo = -1, hi = 2}\n";
        let text = format!("{GOOD}{group}[transport]\ndeck = \"t.toml\"\nevery = 10\nranks = 2\n");
        let path = dir.join("md.toml");
        let d = Deck::parse(&path, &text).unwrap();
        let t = d.transport.as_ref().unwrap();
        assert_eq!((t.every, t.ranks), (10, 2));
        assert!(t.problem.is_some());
        assert!(t.check_ranks(&path, 3).is_ok());
        let e = t.check_ranks(&path, 2).unwrap_err().to_string();
        let line = text.lines().position(|l| l.starts_with("ranks")).unwrap() + 1;
        assert!(
            e.contains(&format!("md.toml:{line}:")) && e.contains("transport.ranks"),
            "{e}"
        );
        let e = Deck::parse(&path, &text.replace("every = 10", "every = 0"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("transport.every"), "{e}");
        let e = Deck::parse(&path, &text.replace(group, ""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.toml:") && e.contains("'low'"), "{e}");
        let e = Deck::parse(&path, &text.replace("t.toml", "none.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("transport.deck") && e.contains("none.toml"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
