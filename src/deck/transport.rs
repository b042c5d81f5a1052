//! Transport decks (TOML) for `nanocontact transport DECK.toml` (one structure) and
//! `nanocontact farm DECK.toml` (the frames of a trajectory), parsed with serde, unknown keys
//! rejected, values validated with file, line and key in every message.
//!
//! ```toml
//! title = "Au junction conductance"
//! [structure]
//! trajectory = "run/traj.h5"   # H5MD written by `nanocontact run`; or
//! data = "final.data"          # a LAMMPS data file (atom_style atomic)
//! boundary = "p p f"           # data files only (H5MD frames carry their box)
//! frame = -1                   # `transport`: the frame (negative counts from the end; default -1)
//! frames = [0, 100, 1]         # `farm`: first, end (exclusive), stride (default: every frame);
//!                              # negative first or end count from the end (Python slices)
//! md_deck = "deck.toml"        # the MD deck whose groups `[leads]` may name (optional)
//! [model]
//! style = "sutton"             # single s-orbital gold model (seed 004); "spd" (orthogonal
//!                              # Slater–Koster); or "dftb" (non-orthogonal DFTB tables)
//! r_on = 3.3                   # sutton: Å, start and end of the smooth hopping tail
//! r_off = 3.9
//! parameters = "tb/ag_spd.toml"  # spd: Slater–Koster parameter file (relative to the deck);
//!                              # dftb: a homonuclear DFTB+ table, e.g. "tb/ptbp/Ag-Ag.skf"
//! cutoff = 5.6                 # dftb: Å, where the tables are truncated (smoothly, 0.3 Å)
//! species = ["Ag"]             # element of each atom type (1, 2, ..); default: the H5MD
//!                              # frame's species names (data files carry none)
//! neutrality = true            # local charge neutrality (default: true for spd and dftb,
//!                              # false for sutton; dftb counts Mulliken charges), of the leads and of each structure at E_F, averaged
//!                              # over the k∥ mesh; under `farm` every rank that works on a
//!                              # frame makes it neutral (all k-points) before its units
//! electrons_per_atom = 1.0     # band filling and neutrality (default: the model's)
//! [leads]
//! axis = "z"                   # transport axis; the other two are periodic where the box is
//! left = { group = "bottom" }  # the crystalline end of the structure on the low side, by group
//! right = { lo = 28.0, hi = 100.0 }   # or by a range along the axis (Å)
//! tolerance = 0.02             # Å: atomic planes and lead matching
//! [kpoints]
//! mesh = [4, 4]                # Monkhorst–Pack points along the periodic transverse axes
//! time_reversal = true         # halve the mesh where H is real
//! [energy]
//! fermi = "auto"               # or E_F in eV; "auto": band filling of the left lead
//! range = [-1.0, 1.0]          # eV relative to E_F, with `points` energies (both ends included)
//! points = 21
//! values = [-0.5, 0.0, 0.5]    # instead of range/points: energies relative to E_F
//! eigenchannels = 8            # transmission eigenvalues stored per energy
//! fermi_q_points = 64          # band filling of "auto": q-points along the axis,
//! fermi_kmesh = [8, 8]         # and k∥ mesh (default: the [kpoints] mesh)
//! [current]                    # optional (transport): I(V) from the k-averaged T(E)
//! bias = [0.1, 0.2]            # V
//! temperature = 300.0          # K
//! [gap]                        # optional: the gap between two tips between fcc(111) slabs
//! a = 4.09                     # (transport_gap.rs); [leads] then gives at most axis, tolerance
//! [farm]
//! cache = true                 # keep lead surface Green's functions per (E, k∥) and reuse them
//! cache_mb = 2048              # per rank; least recently used k∥ points are dropped beyond it
//! ```
//!
//! Run inline with the MD (`[transport] deck = ".."` of an MD deck), the same deck is read
//! without `[structure]` (ignored if present: the snapshots come from the MD ranks), and leads
//! given by group name the MD deck's groups.
//!
//! The scattering region is every atom of the structure; each lead region must be the
//! crystalline end of it (at least two atomic planes), and the ideal semi-infinite lead
//! continues its stacking beyond its outermost plane (`transport::lead_crystal`).
//!
//! The transport layer takes its parameters as plain values: [`TransportDeck::snapshot_spec`]
//! and [`TransportStructure::file`] convert a validated deck into them, and `[farm]` is the
//! lead cache's own [`LeadCacheSettings`].

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::deck::transport_gap::GapDeck;
use crate::error::{Error, Result};
use crate::io::toml_lines::{line_of, locate};
use crate::system::Axis;
pub use crate::transport::farm::lead_cache::LeadCacheSettings;
use crate::transport::farm::spec::{
    FermiLevel, LeadRegion, ModelKind, ModelSpec, SnapshotSpec, StructureFile,
};

/// A whole transport deck.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransportDeck {
    #[serde(default)]
    pub title: String,
    /// Absent (ignored) in a deck run inline with the MD.
    #[serde(default)]
    pub structure: TransportStructure,
    pub model: ModelDeck,
    /// Required unless `[gap]` sets the lead regions.
    #[serde(default)]
    pub leads: LeadsDeck,
    #[serde(default)]
    pub kpoints: KpointsDeck,
    pub energy: EnergyDeck,
    pub current: Option<CurrentDeck>,
    /// `[gap]`: the gap of two tips between fcc(111) slabs instead of the frame.
    pub gap: Option<GapDeck>,
    /// `[farm]`: the lead cache of each rank.
    #[serde(default)]
    pub farm: LeadCacheSettings,
}

/// `[structure]`: where the atoms come from.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransportStructure {
    pub trajectory: Option<PathBuf>,
    pub data: Option<PathBuf>,
    #[serde(default = "default_boundary")]
    pub boundary: String,
    #[serde(default = "default_frame")]
    pub frame: i64,
    pub frames: Option<[i64; 3]>,
    pub md_deck: Option<PathBuf>,
}

impl Default for TransportStructure {
    fn default() -> Self {
        TransportStructure {
            trajectory: None,
            data: None,
            boundary: default_boundary(),
            frame: default_frame(),
            frames: None,
            md_deck: None,
        }
    }
}

impl TransportStructure {
    /// The structure file (`trajectory`, or else `data` with its `boundary`); `path` is the
    /// deck, named in errors.
    pub fn file(&self, path: &Path) -> Result<StructureFile> {
        if let Some(t) = &self.trajectory {
            return Ok(StructureFile::Trajectory(t.clone()));
        }
        let data = self
            .data
            .as_ref()
            .ok_or_else(|| Error::key(path, "structure", "no trajectory and no data"))?;
        let boundary = crate::system::SimBox::parse_boundary(&self.boundary)
            .ok_or_else(|| Error::key(path, "structure.boundary", "bad boundary"))?;
        Ok(StructureFile::Data {
            path: data.clone(),
            boundary,
        })
    }
}

fn default_boundary() -> String {
    "p p f".into()
}
fn default_frame() -> i64 {
    -1
}

/// `[model]`: the tight-binding model.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelDeck {
    pub style: ModelStyle,
    pub r_on: Option<f64>,
    pub r_off: Option<f64>,
    /// `spd`: the Slater–Koster parameter file; `dftb`: the `.skf` table.
    pub parameters: Option<PathBuf>,
    /// `dftb`: truncation radius of the tables (Å).
    pub cutoff: Option<f64>,
    /// Element of each 1-based atom type, in order.
    pub species: Option<Vec<String>>,
    pub neutrality: Option<bool>,
    pub electrons_per_atom: Option<f64>,
}

impl ModelDeck {
    /// Whether the structures are made locally charge neutral (default: for spd and dftb).
    pub fn neutral(&self) -> bool {
        self.neutrality.unwrap_or(self.style != ModelStyle::Sutton)
    }

    /// The model of the transport layer; `path` is the deck, named in errors.
    pub fn spec(&self, path: &Path) -> Result<ModelSpec> {
        let parameters = || {
            self.parameters
                .clone()
                .ok_or_else(|| Error::key(path, "model.parameters", "missing"))
        };
        let kind = match self.style {
            ModelStyle::Dftb => ModelKind::Dftb {
                parameters: parameters()?,
                cutoff: self.cutoff,
            },
            ModelStyle::Spd => ModelKind::SlaterKoster {
                parameters: parameters()?,
            },
            ModelStyle::Sutton => ModelKind::SuttonGold {
                r_on: self.r_on,
                r_off: self.r_off,
            },
        };
        Ok(ModelSpec {
            kind,
            species: self.species.clone(),
            electrons_per_atom: self.electrons_per_atom,
            neutrality: self.neutral(),
        })
    }
}

/// The `style` of `[model]`.
#[derive(Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ModelStyle {
    /// The single s-orbital gold model of Sutton (seed 004).
    Sutton,
    /// An orthogonal Slater–Koster spd parameter file.
    Spd,
    /// A DFTB+ Slater–Koster table (non-orthogonal).
    Dftb,
}

/// The deck's spelling, quoted (`"spd"`): a farm stores its deck's `Debug` form in `farm.h5`,
/// and one begun when the style was a string must still resume.
impl std::fmt::Debug for ModelStyle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            ModelStyle::Sutton => "sutton",
            ModelStyle::Spd => "spd",
            ModelStyle::Dftb => "dftb",
        };
        write!(f, "\"{name}\"")
    }
}

/// `[leads]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadsDeck {
    #[serde(default)]
    pub axis: Axis,
    #[serde(default)]
    pub left: LeadSelect,
    #[serde(default)]
    pub right: LeadSelect,
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
}

fn default_tolerance() -> f64 {
    0.02
}

impl Default for LeadsDeck {
    fn default() -> Self {
        LeadsDeck {
            axis: Axis::default(),
            left: LeadSelect::default(),
            right: LeadSelect::default(),
            tolerance: default_tolerance(),
        }
    }
}

/// The atoms of a lead region: a group of the MD deck, or a range along the transport axis.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LeadSelect {
    pub group: Option<String>,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
}

impl LeadSelect {
    /// The region: the group if given, else the range (open where an end is not given).
    pub fn region(&self) -> LeadRegion {
        match &self.group {
            Some(g) => LeadRegion::Group(g.clone()),
            None => LeadRegion::Range {
                lo: self.lo.unwrap_or(f64::NEG_INFINITY),
                hi: self.hi.unwrap_or(f64::INFINITY),
            },
        }
    }
}

/// `[kpoints]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpointsDeck {
    #[serde(default = "default_mesh")]
    pub mesh: [usize; 2],
    #[serde(default = "yes")]
    pub time_reversal: bool,
}

impl Default for KpointsDeck {
    fn default() -> Self {
        KpointsDeck {
            mesh: default_mesh(),
            time_reversal: true,
        }
    }
}

fn default_mesh() -> [usize; 2] {
    [1, 1]
}
fn yes() -> bool {
    true
}

/// E_F: `"auto"` or a value in eV.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Fermi {
    Value(f64),
    Word(String),
}

/// `[energy]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnergyDeck {
    #[serde(default = "default_fermi")]
    pub fermi: Fermi,
    pub range: Option<[f64; 2]>,
    pub points: Option<usize>,
    pub values: Option<Vec<f64>>,
    #[serde(default = "default_eig")]
    pub eigenchannels: usize,
    /// q-points along the axis for the band filling of "auto".
    #[serde(default = "default_nq")]
    pub fermi_q_points: usize,
    /// k∥ mesh of the band filling of "auto" (default: the `[kpoints]` mesh).
    pub fermi_kmesh: Option<[usize; 2]>,
}

fn default_fermi() -> Fermi {
    Fermi::Word("auto".into())
}
fn default_eig() -> usize {
    8
}
fn default_nq() -> usize {
    64
}

impl EnergyDeck {
    /// The energies relative to E_F, eV.
    pub fn relative_grid(&self) -> Vec<f64> {
        if let Some(v) = &self.values {
            return v.clone();
        }
        match (self.range, self.points) {
            (Some([a, b]), Some(n)) if n >= 2 => (0..n)
                .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
                .collect(),
            (Some([a, _]), Some(1)) => vec![a],
            _ => Vec::new(),
        }
    }
}

/// `[current]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrentDeck {
    pub bias: Vec<f64>,
    #[serde(default)]
    pub temperature: f64,
}

impl TransportDeck {
    /// The parameters of the transport layer (model, leads, k∥ mesh, E_F, energies) of this
    /// deck, read from `path` (named in errors).
    pub fn snapshot_spec(&self, path: &Path) -> Result<SnapshotSpec> {
        let e = &self.energy;
        Ok(SnapshotSpec {
            source: path.to_path_buf(),
            model: self.model.spec(path)?,
            axis: self.leads.axis.index(),
            leads: [self.leads.left.region(), self.leads.right.region()],
            tolerance: self.leads.tolerance,
            kmesh: self.kpoints.mesh,
            time_reversal: self.kpoints.time_reversal,
            fermi: match e.fermi {
                Fermi::Value(v) => FermiLevel::Fixed(v),
                Fermi::Word(_) => FermiLevel::BandFilling {
                    q_points: e.fermi_q_points,
                    kmesh: e.fermi_kmesh,
                },
            },
            energies: e.relative_grid(),
            eigenchannels: e.eigenchannels,
            gap: self.gap.as_ref().map(GapDeck::spec),
        })
    }

    /// Read and validate a transport deck file.
    pub fn read(path: &Path) -> Result<TransportDeck> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(path, &text)
    }

    /// Parse and validate deck text; `path` names it in messages and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<TransportDeck> {
        Self::parse_for(path, text, None)
    }

    /// Read and validate the transport deck of an MD run's `[transport]` section: its
    /// `[structure]` is ignored (the snapshots come from the MD), and a lead given by group
    /// names one of the MD deck's `groups`.
    pub fn read_inline(path: &Path, groups: &[&str]) -> Result<TransportDeck> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse_for(path, &text, Some(groups))
    }

    /// Parse for a `transport`/`farm` command (`inline_groups` = `None`) or for a run inline
    /// with the MD (the MD deck's group names).
    fn parse_for(path: &Path, text: &str, inline_groups: Option<&[&str]>) -> Result<TransportDeck> {
        let mut deck: TransportDeck = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            let msg = e
                .message()
                .replace('\n', " ")
                .replace("expected usize", "expected a non-negative integer")
                .replace("expected i64", "expected an integer")
                .replace("expected f64", "expected a number");
            Error::Input {
                path: path.to_path_buf(),
                line,
                key: e.span().and_then(|s| super::spans::key_at(text, s.start)),
                msg,
            }
        })?;
        let bad = |table: &str, key: &str, msg: String| Error::Input {
            path: path.to_path_buf(),
            line: locate(text, table, key),
            key: Some(format!("{table}.{key}")),
            msg,
        };
        let s = &deck.structure;
        if inline_groups.is_none() && s.trajectory.is_some() == s.data.is_some() {
            return Err(bad(
                "structure",
                "trajectory",
                "give exactly one of 'trajectory' (H5MD) or 'data' (LAMMPS data file)".into(),
            ));
        }
        if crate::system::SimBox::parse_boundary(&s.boundary).is_none() {
            return Err(bad(
                "structure",
                "boundary",
                format!("'{}': expected three letters from p, f, s", s.boundary),
            ));
        }
        if let Some([_, _, stride]) = s.frames {
            if stride <= 0 {
                return Err(bad(
                    "structure",
                    "frames",
                    "expected [first, end, stride] with a positive stride".into(),
                ));
            }
        }
        let m = &deck.model;
        if m.cutoff.is_some() && m.style != ModelStyle::Dftb {
            return Err(bad(
                "model",
                "cutoff",
                "only the dftb model takes a cutoff".into(),
            ));
        }
        if m.style != ModelStyle::Sutton {
            for (key, v) in [("r_on", m.r_on), ("r_off", m.r_off)] {
                if v.is_some() {
                    return Err(bad(
                        "model",
                        key,
                        "only the sutton model takes r_on and r_off".into(),
                    ));
                }
            }
        }
        match m.style {
            ModelStyle::Sutton => {
                if m.parameters.is_some() {
                    return Err(bad(
                        "model",
                        "parameters",
                        "the sutton model takes no parameter file (it is for style = \"spd\")"
                            .into(),
                    ));
                }
            }
            ModelStyle::Spd => {
                if m.parameters.is_none() {
                    return Err(bad(
                        "model",
                        "style",
                        "style = \"spd\" needs parameters = \"FILE.toml\" (a Slater–Koster \
                         parameter file, e.g. inputs/tb/au_spd.toml)"
                            .into(),
                    ));
                }
            }
            ModelStyle::Dftb => {
                if m.parameters.is_none() {
                    return Err(bad(
                        "model",
                        "style",
                        "style = \"dftb\" needs parameters = \"El-El.skf\" (a homonuclear \
                         DFTB+ Slater–Koster table)"
                            .into(),
                    ));
                }
                if let Some(c) = m.cutoff {
                    if !(c.is_finite() && c > crate::transport::model::dftb::DEFAULT_TAPER) {
                        return Err(bad(
                            "model",
                            "cutoff",
                            format!(
                                "{c} Å: expected a distance above the {} Å taper",
                                crate::transport::model::dftb::DEFAULT_TAPER
                            ),
                        ));
                    }
                }
            }
        }
        if let Some(sp) = &m.species {
            if sp.is_empty() || sp.iter().any(|x| x.trim().is_empty()) {
                return Err(bad(
                    "model",
                    "species",
                    "expected a non-empty list of element names, one per atom type".into(),
                ));
            }
        }
        if let Some(n) = m.electrons_per_atom {
            if !(n.is_finite() && n >= 0.0) {
                return Err(bad(
                    "model",
                    "electrons_per_atom",
                    format!("{n} must be a non-negative number"),
                ));
            }
        }
        let l = &deck.leads;
        if let Some(g) = &deck.gap {
            if let Some((key, msg)) = g.invalid() {
                return Err(bad("gap", key, msg));
            }
        }
        for (key, sel) in [("left", &l.left), ("right", &l.right)] {
            if deck.gap.is_some() {
                if *sel != LeadSelect::default() {
                    return Err(bad(
                        "leads",
                        key,
                        "with [gap] the lead regions are the slabs' outer planes; give no \
                         left or right"
                            .into(),
                    ));
                }
                continue;
            }
            let by_range = sel.lo.is_some() || sel.hi.is_some();
            if sel.group.is_some() == by_range {
                return Err(bad(
                    "leads",
                    key,
                    "give either group = \"name\" or a range lo = .., hi = .. (Å along the axis)"
                        .into(),
                ));
            }
            if let (Some(a), Some(b)) = (sel.lo, sel.hi) {
                if a.is_nan() || b.is_nan() || a >= b {
                    return Err(bad("leads", key, format!("range [{a}, {b}] is empty")));
                }
            }
            if let (Some(g), Some(names)) = (&sel.group, inline_groups) {
                if !names.contains(&g.as_str()) {
                    return Err(bad(
                        "leads",
                        key,
                        format!("group '{g}' is not defined by the MD deck"),
                    ));
                }
            } else if sel.group.is_some() && s.md_deck.is_none() {
                return Err(bad(
                    "leads",
                    key,
                    "a lead given by group needs structure.md_deck (the deck that defines it)"
                        .into(),
                ));
            }
        }
        if !(l.tolerance.is_finite() && l.tolerance > 0.0) {
            return Err(bad(
                "leads",
                "tolerance",
                format!("{} must be a positive length in Å", l.tolerance),
            ));
        }
        if deck.kpoints.mesh.contains(&0) {
            return Err(bad(
                "kpoints",
                "mesh",
                "every direction needs at least one point".into(),
            ));
        }
        let e = &deck.energy;
        match &e.fermi {
            Fermi::Word(w) if w != "auto" => {
                return Err(bad(
                    "energy",
                    "fermi",
                    format!("'{w}': expected \"auto\" or an energy in eV"),
                ))
            }
            Fermi::Value(v) if !v.is_finite() => {
                return Err(bad("energy", "fermi", format!("{v} is not finite")))
            }
            _ => {}
        }
        let has_range = e.range.is_some() || e.points.is_some();
        if e.values.is_some() == has_range {
            return Err(bad(
                "energy",
                "range",
                "give either range = [lo, hi] with points = N, or values = [...] (eV relative \
                 to E_F)"
                    .into(),
            ));
        }
        if has_range {
            match (e.range, e.points) {
                (Some([a, b]), Some(n)) if a.is_finite() && b.is_finite() && a <= b && n >= 1 => {}
                _ => {
                    return Err(bad(
                        "energy",
                        "range",
                        "range = [lo, hi] (lo <= hi, eV) and points >= 1 go together".into(),
                    ))
                }
            }
        }
        if let Some(v) = &e.values {
            if v.is_empty() || v.iter().any(|x| !x.is_finite()) {
                return Err(bad(
                    "energy",
                    "values",
                    "expected a non-empty list of finite energies".into(),
                ));
            }
        }
        if e.fermi_q_points == 0 {
            return Err(bad("energy", "fermi_q_points", "must be at least 1".into()));
        }
        if e.fermi_kmesh.is_some_and(|m| m.contains(&0)) {
            return Err(bad(
                "energy",
                "fermi_kmesh",
                "every direction needs at least one point".into(),
            ));
        }
        if let Some(c) = &deck.current {
            if c.bias.is_empty() || c.bias.iter().any(|b| !b.is_finite()) {
                return Err(bad(
                    "current",
                    "bias",
                    "expected a non-empty list of voltages".into(),
                ));
            }
            if !(c.temperature.is_finite() && c.temperature >= 0.0) {
                return Err(bad(
                    "current",
                    "temperature",
                    format!("{} must be a non-negative temperature in K", c.temperature),
                ));
            }
        }
        if !(deck.farm.cache_mb.is_finite() && deck.farm.cache_mb >= 0.0) {
            return Err(bad(
                "farm",
                "cache_mb",
                "must be a non-negative size in MB".into(),
            ));
        }
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let fix = |p: &PathBuf| {
            if p.is_absolute() {
                p.clone()
            } else {
                base.join(p)
            }
        };
        let s = &mut deck.structure;
        s.trajectory = s.trajectory.as_ref().map(fix);
        s.data = s.data.as_ref().map(fix);
        s.md_deck = s.md_deck.as_ref().map(fix);
        deck.model.parameters = deck.model.parameters.as_ref().map(fix);
        Ok(deck)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[structure]
trajectory = "run/traj.h5"
[model]
style = "sutton"
[leads]
left = { lo = -100.0, hi = 2.5 }
right = { lo = 28.0, hi = 100.0 }
[kpoints]
mesh = [2, 2]
[energy]
range = [-1.0, 1.0]
points = 5
"#;

    #[test]
    fn good_deck_parses_with_defaults() {
        let d = TransportDeck::parse(Path::new("/x/t.toml"), GOOD).unwrap();
        assert_eq!(
            d.structure.trajectory.as_deref(),
            Some(Path::new("/x/run/traj.h5"))
        );
        assert_eq!(d.energy.relative_grid(), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(d.energy.fermi, Fermi::Word("auto".into()));
        assert!(d.farm.cache && d.kpoints.time_reversal);
    }

    #[test]
    fn bad_values_name_key_and_line() {
        let cases = [
            ("points = 5", "points = 5\nvalues = [0.0]", "energy.range"),
            ("style = \"sutton\"", "style = \"spx\"", "model.style"),
            ("style = \"sutton\"", "style = \"spd\"", "model.style"),
            (
                "style = \"sutton\"",
                "style = \"spd\"\nparameters = \"ag.toml\"\nr_on = 3.0",
                "model.r_on",
            ),
            (
                "style = \"sutton\"",
                "style = \"sutton\"\nparameters = \"ag.toml\"",
                "model.parameters",
            ),
            (
                "style = \"sutton\"",
                "style = \"spd\"\nparameters = \"ag.toml\"\nspecies = []",
                "model.species",
            ),
            ("style = \"sutton\"", "style = \"dftb\"", "model.style"),
            (
                "style = \"sutton\"",
                "style = \"dftb\"\nparameters = \"Ag-Ag.skf\"\ncutoff = 0.1",
                "model.cutoff",
            ),
            (
                "style = \"sutton\"",
                "style = \"spd\"\nparameters = \"ag.toml\"\ncutoff = 5.0",
                "model.cutoff",
            ),
            ("mesh = [2, 2]", "mesh = [0, 2]", "kpoints.mesh"),
            (
                "left = { lo = -100.0, hi = 2.5 }",
                "left = { group = \"bottom\" }",
                "leads.left",
            ),
        ];
        for (from, to, key) in cases {
            let text = GOOD.replace(from, to);
            let e = TransportDeck::parse(Path::new("t.toml"), &text)
                .unwrap_err()
                .to_string();
            assert!(e.contains(key) && e.contains("t.toml:"), "{e}");
        }
        let e = TransportDeck::parse(Path::new("t.toml"), &GOOD.replace("[farm]", ""))
            .map(|_| ())
            .and_then(|_| {
                TransportDeck::parse(Path::new("t.toml"), &format!("{GOOD}\nbogus = 1\n"))
                    .map(|_| ())
            })
            .unwrap_err()
            .to_string();
        assert!(e.contains("bogus"), "{e}");
    }
}
