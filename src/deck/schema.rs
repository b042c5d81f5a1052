//! The structs of an MD deck as serde reads them: one per table, with the defaults of keys
//! that may be left out. Every value chosen from a fixed set is an enum, so that a wrong value
//! is a parse error naming the line and the expected values, and the code after parsing needs
//! no fall-back.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::transport;
use crate::build::junction::{JunctionSpec, Orientation};
use crate::error::{Error, Result};
use crate::system::{Boundary, Region, SimBox};

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
    pub echemdid: Option<EChemDidDeck>,
    /// The text the deck was read from, for the line of a key in later messages.
    #[serde(skip)]
    pub(crate) text: String,
}

impl Deck {
    /// An input error about the value at `key` (a key path such as `lead[1].group`, see
    /// [`crate::deck::line_of_key`]), with the line of that value in the deck text.
    pub fn key_error(&self, deck_path: &Path, key: &str, msg: impl Into<String>) -> Error {
        Error::Input {
            path: deck_path.to_path_buf(),
            line: super::spans::line_of_key(&self.text, key),
            key: Some(key.to_string()),
            msg: msg.into(),
        }
    }
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
    /// New voltage of `[echemdid]` from this stage on, V.
    pub echemdid_volt: Option<f64>,
}

/// `[[lead]]`: a rigid lead with an imposed motion along `axis`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadDeck {
    pub group: String,
    #[serde(default)]
    pub axis: Axis,
    /// `fixed`, `oscillate` (Δ = amplitude·sin(2π f t)), `pull` (Δ = velocity·t) or `step`.
    #[serde(default)]
    pub motion: MotionStyle,
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

/// An axis of the box (`x`, `y`, `z`).
pub use crate::system::Axis;

/// The imposed motion of a `[[lead]]`: its `motion` key.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MotionStyle {
    /// Held in place.
    #[default]
    Fixed,
    /// Δ = amplitude·sin(2π f t).
    Oscillate,
    /// Δ = velocity·t.
    Pull,
    /// Δ = displacement from t_on on.
    Step,
}

/// `[[thermostat]]`: Langevin (optionally in the frame of a moving lead) or a Nosé–Hoover chain
/// on a group.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThermostatDeck {
    #[serde(default)]
    pub style: ThermostatStyle,
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

/// The `style` of a `[[thermostat]]`.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ThermostatStyle {
    /// A Langevin bath.
    #[default]
    Langevin,
    /// A Nosé–Hoover chain.
    NoseHoover,
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
    pub tips: Option<TipsDeck>,
    #[serde(default)]
    pub boundary: BoundarySpec,
    /// Mass of each type (amu) when neither the data file nor the potential gives one.
    #[serde(default)]
    pub masses: Vec<f64>,
}

/// The `boundary` of `[structure]`: three letters from p, f, s, as LAMMPS's `boundary`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct BoundarySpec(pub [Boundary; 3]);

impl Default for BoundarySpec {
    fn default() -> Self {
        BoundarySpec([Boundary::Periodic; 3])
    }
}

impl TryFrom<String> for BoundarySpec {
    type Error = String;

    fn try_from(s: String) -> std::result::Result<Self, String> {
        SimBox::parse_boundary(&s)
            .map(BoundarySpec)
            .ok_or_else(|| format!("'{s}': expected three letters from p, f, s, e.g. \"p p f\""))
    }
}

/// `[structure.tips]`: two fcc(001) pyramids facing each other (see `build::pyramids`; the
/// defaults are the silver tips of the rewiring paper: a = 4.09 Å, 42 Å bases, 8.3 Å gap);
/// defines the groups `base_bottom`, `base_top`, `electrode_bottom`, `electrode_top`, `mobile`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TipsDeck {
    #[serde(default = "default_tips_a")]
    pub a: f64,
    #[serde(default = "default_tips_edge")]
    pub base_edge: f64,
    #[serde(default = "default_tips_gap")]
    pub gap: f64,
    #[serde(default = "default_two")]
    pub rigid_layers: usize,
    #[serde(default = "default_tips_electrode")]
    pub electrode_layers: usize,
    #[serde(default = "default_junction_vacuum")]
    pub vacuum: f64,
}

fn default_tips_a() -> f64 {
    4.09
}
fn default_tips_edge() -> f64 {
    42.0
}
fn default_tips_gap() -> f64 {
    8.3
}
fn default_tips_electrode() -> usize {
    3
}

impl TipsDeck {
    /// The builder's parameters.
    pub fn spec(&self) -> crate::build::pyramids::PyramidPairSpec {
        crate::build::pyramids::PyramidPairSpec {
            a: self.a,
            base_edge: self.base_edge,
            gap: self.gap,
            rigid_layers: self.rigid_layers,
            electrode_layers: self.electrode_layers,
            vacuum: self.vacuum,
        }
    }
}

/// `[structure.junction]`: two crystalline leads joined by a column (see `build::junction`);
/// defines the groups `lead_bottom`, `bath_bottom`, `junction`, `bath_top`, `lead_top`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JunctionDeck {
    pub a: f64,
    /// Crystal direction along z: "111", "110" or "001".
    #[serde(default = "default_orientation")]
    pub orientation: Orientation,
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
    /// The builder's parameters.
    pub fn spec(&self) -> JunctionSpec {
        JunctionSpec {
            a: self.a,
            orientation: self.orientation,
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

fn default_orientation() -> Orientation {
    Orientation::O111
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
    #[serde(default)]
    pub style: LatticeStyle,
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

/// The `style` of `[structure.lattice]`.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LatticeStyle {
    /// Face-centred cubic.
    #[default]
    Fcc,
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
    pub style: PotentialStyle,
    pub files: Vec<PathBuf>,
    #[serde(default)]
    pub elements: Vec<String>,
    /// `[potential.qeq]`: ReaxFF's charge equilibration.
    #[serde(default)]
    pub qeq: QeqDeck,
}

/// `[potential.qeq]` of ReaxFF (LAMMPS `fix qeq/reaxff 1 0.0 swb tolerance reaxff maxiter N`):
/// the CG tolerance, the iteration cap of each solve, and whether non-convergence stops the run
/// (`strict = true`) or is a warning.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QeqDeck {
    #[serde(default = "default_qeq_tolerance")]
    pub tolerance: f64,
    #[serde(default = "default_qeq_iterations")]
    pub max_iterations: usize,
    #[serde(default)]
    pub strict: bool,
}

impl Default for QeqDeck {
    fn default() -> Self {
        QeqDeck {
            tolerance: default_qeq_tolerance(),
            max_iterations: default_qeq_iterations(),
            strict: false,
        }
    }
}

fn default_qeq_tolerance() -> f64 {
    1e-6
}

fn default_qeq_iterations() -> usize {
    200
}

/// The `style` of `[potential]`, as LAMMPS pair styles are named.
pub use crate::potential::Style as PotentialStyle;

/// `[echemdid]`: a voltage applied by EChemDID (Onofrio and Strachan 2015) on the metal
/// `group` between the `electrodes` (the first at +volt/2, the second at −volt/2); `k` in
/// Å²/fs (as the public `fix echemdid`), `rc` in Å, `norm` the Laplacian's normalisation,
/// `n_elec` sub-steps per MD step. Needs a potential with charge equilibration (ReaxFF).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EChemDidDeck {
    #[serde(default = "all_group")]
    pub group: String,
    pub electrodes: [String; 2],
    pub volt: f64,
    pub k: f64,
    pub rc: f64,
    pub norm: f64,
    #[serde(default = "default_n_elec")]
    pub n_elec: usize,
}

fn all_group() -> String {
    "all".to_string()
}

fn default_n_elec() -> usize {
    10
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
    /// A checkpoint (`DIR/checkpoint`) every this many steps (0 = none).
    #[serde(default)]
    pub checkpoint: u64,
    /// A checkpoint every this many minutes of wall-clock time (0 = none).
    #[serde(default)]
    pub checkpoint_minutes: f64,
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
            checkpoint: 0,
            checkpoint_minutes: 0.0,
        }
    }
}
