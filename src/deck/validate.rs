//! The checks of a parsed MD deck that serde cannot make (ranges, exclusive choices, groups
//! that must exist), each error naming the key path of the offending value (`lead[1].group`)
//! and its line; and the resolution of relative paths against `base_dir`.

use std::path::{Path, PathBuf};

use super::schema::{Deck, MotionStyle, ThermostatStyle};
use super::spans::line_of_key;
use super::transport;
use crate::error::{Error, Result};

/// Builds the error about the value at a key path.
struct Bad<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Bad<'_> {
    fn at(&self, key: impl Into<String>, msg: impl Into<String>) -> Error {
        let key = key.into();
        Error::Input {
            path: self.path.to_path_buf(),
            line: line_of_key(self.text, &key),
            key: Some(key),
            msg: msg.into(),
        }
    }
}

/// Check `deck` (read from `text` at `path`) and make its paths absolute or relative to the
/// current folder; read the transport deck of a `[transport]` section.
pub(super) fn validate(deck: &mut Deck, path: &Path, text: &str) -> Result<()> {
    let bad = Bad { path, text };
    structure(deck, &bad)?;
    if deck.potential.files.is_empty() {
        return Err(bad.at("potential.files", "give at least one potential file"));
    }
    for (k, g) in deck.group.iter().enumerate() {
        if g.name == "all" {
            return Err(bad.at(format!("group[{k}].name"), "'all' is predefined"));
        }
    }
    run_settings(deck, &bad)?;
    let mut names: Vec<&str> = deck.group.iter().map(|g| g.name.as_str()).collect();
    if deck.structure.junction.is_some() {
        names.extend(crate::build::junction::GROUPS);
    }
    if deck.structure.tips.is_some() {
        names.extend(crate::build::pyramids::GROUPS);
    }
    for (k, f) in deck.run.freeze.iter().enumerate() {
        if f != "all" && !names.contains(&f.as_str()) {
            return Err(bad.at(
                format!("run.freeze[{k}]"),
                format!("group '{f}' is not defined by a [[group]] table"),
            ));
        }
    }
    drive(deck, &names, &bad)?;
    stages(deck, &bad)?;
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    resolve_paths(deck, path, &names, &bad)
}

/// `[structure]`: one source of atoms, and sane lattice or junction parameters.
fn structure(deck: &Deck, bad: &Bad) -> Result<()> {
    let s = &deck.structure;
    let sources = [
        s.data.is_some(),
        s.lattice.is_some(),
        s.junction.is_some(),
        s.tips.is_some(),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    if sources != 1 {
        return Err(bad.at(
            "structure.data",
            "give exactly one of 'data' (a LAMMPS data file), [structure.lattice], \
             [structure.junction] or [structure.tips]",
        ));
    }
    if let Some(j) = &s.junction {
        let bad_len = |v: f64| v.is_nan() || v <= 0.0;
        if bad_len(j.a) || bad_len(j.h0) || bad_len(j.radius) {
            return Err(bad.at(
                "structure.junction.a",
                "a, h0 and radius must be positive lengths in Å",
            ));
        }
        if j.lateral_cells.contains(&0) || j.lead_layers == 0 {
            return Err(bad.at(
                "structure.junction.lateral_cells",
                "lateral_cells and lead_layers must be at least 1",
            ));
        }
        if j.rigid_layers + j.bath_layers > j.lead_layers {
            return Err(bad.at(
                "structure.junction.rigid_layers",
                "rigid_layers + bath_layers exceeds lead_layers",
            ));
        }
    }
    if let Some(l) = &s.lattice {
        if l.a.is_nan() || l.a <= 0.0 {
            return Err(bad.at(
                "structure.lattice.a",
                format!("{} must be a positive length in Å", l.a),
            ));
        }
        if l.cells.contains(&0) {
            return Err(bad.at("structure.lattice.cells", "every count must be at least 1"));
        }
        if l.vacuum.iter().any(|&v| v.is_nan() || v < 0.0) {
            return Err(bad.at(
                "structure.lattice.vacuum",
                "must be non-negative lengths in Å",
            ));
        }
        if l.r#type == 0 || l.r#type as usize > l.ntypes {
            return Err(bad.at(
                "structure.lattice.type",
                format!("{} is not a type in 1..{}", l.r#type, l.ntypes),
            ));
        }
    }
    Ok(())
}

/// `[neighbor]`, `[velocity]`, `[minimize]`, `[run]`.
fn run_settings(deck: &Deck, bad: &Bad) -> Result<()> {
    if deck.neighbor.skin.is_nan() || deck.neighbor.skin < 0.0 {
        return Err(bad.at(
            "neighbor.skin",
            format!("{} must be a non-negative length in Å", deck.neighbor.skin),
        ));
    }
    if deck.neighbor.every == 0 {
        return Err(bad.at("neighbor.every", "must be at least 1"));
    }
    if let Some(v) = &deck.velocity {
        if v.temperature.is_nan() || v.temperature < 0.0 {
            return Err(bad.at(
                "velocity.temperature",
                format!("{} must be a non-negative temperature in K", v.temperature),
            ));
        }
    }
    if let Some(m) = &deck.minimize {
        if (m.ftol.is_nan() || m.ftol <= 0.0) || (m.dt.is_nan() || m.dt <= 0.0) {
            return Err(bad.at("minimize.ftol", "ftol and dt must be positive"));
        }
    }
    let dt = deck.run.timestep;
    if (dt.is_nan() || dt <= 0.0) || !dt.is_finite() {
        return Err(bad.at(
            "run.timestep",
            format!("{dt} must be a positive time in ps"),
        ));
    }
    if deck.run.thermo == 0 {
        return Err(bad.at(
            "run.thermo",
            "must be at least 1 (steps between thermo lines)",
        ));
    }
    let m = deck.output.checkpoint_minutes;
    if !(m.is_finite() && m >= 0.0) {
        return Err(bad.at(
            "output.checkpoint_minutes",
            format!("{m} must be a non-negative wall-clock time in minutes (0 = none)"),
        ));
    }
    Ok(())
}

/// `[[lead]]` and `[[thermostat]]`: their groups exist, their parameters are in range.
fn drive(deck: &Deck, names: &[&str], bad: &Bad) -> Result<()> {
    for (k, l) in deck.lead.iter().enumerate() {
        if l.group != "all" && !names.contains(&l.group.as_str()) {
            return Err(bad.at(
                format!("lead[{k}].group"),
                format!("group '{}' is not defined by a [[group]] table", l.group),
            ));
        }
        if l.motion == MotionStyle::Oscillate
            && (l.frequency_ghz.is_nan() || l.frequency_ghz <= 0.0)
        {
            return Err(bad.at(
                format!("lead[{k}].frequency_ghz"),
                format!(
                    "lead '{}': oscillation needs a positive frequency in GHz",
                    l.group
                ),
            ));
        }
    }
    for (k, t) in deck.thermostat.iter().enumerate() {
        let key = |name: &str| format!("thermostat[{k}].{name}");
        if t.chain == 0 {
            return Err(bad.at(
                key("chain"),
                "a Nosé–Hoover chain needs at least one thermostat",
            ));
        }
        if t.style == ThermostatStyle::NoseHoover && t.frame.is_some() {
            return Err(bad.at(
                key("frame"),
                "a moving frame is available for Langevin baths only",
            ));
        }
        if t.group != "all" && !names.contains(&t.group.as_str()) {
            return Err(bad.at(
                key("group"),
                format!("group '{}' is not defined by a [[group]] table", t.group),
            ));
        }
        if t.damping.is_nan() || t.damping <= 0.0 {
            return Err(bad.at(
                key("damping"),
                format!("{} must be a positive time in ps", t.damping),
            ));
        }
        if t.temperature.is_nan() || t.temperature < 0.0 {
            return Err(bad.at(
                key("temperature"),
                format!("{} must be a non-negative temperature in K", t.temperature),
            ));
        }
        if let Some(f) = &t.frame {
            if !deck.lead.iter().any(|l| &l.group == f) {
                return Err(bad.at(
                    key("frame"),
                    format!("'{f}' is not the group of a [[lead]]"),
                ));
            }
        }
    }
    Ok(())
}

/// `[[stage]]`: a length, and leads and thermostats that retune those of the base run.
fn stages(deck: &Deck, bad: &Bad) -> Result<()> {
    for (k, st) in deck.stage.iter().enumerate() {
        let key = |name: &str| format!("stage[{k}].{name}");
        if st.steps.is_some() == st.cycles.is_some() && st.minimize.is_none() {
            return Err(bad.at(
                key("steps"),
                format!("stage '{}': give either steps or cycles", st.name),
            ));
        }
        if let Some(c) = st.cycles {
            let osc = st
                .lead
                .iter()
                .chain(deck.lead.iter())
                .any(|l| l.motion == MotionStyle::Oscillate);
            if c.is_nan() || c <= 0.0 || !osc {
                return Err(bad.at(
                    key("cycles"),
                    format!(
                        "stage '{}': cycles must be positive and need an oscillating lead",
                        st.name
                    ),
                ));
            }
        }
        if let Some(dt) = st.timestep {
            if dt.is_nan() || dt <= 0.0 {
                return Err(bad.at(
                    key("timestep"),
                    format!("stage '{}': {dt} must be a positive time in ps", st.name),
                ));
            }
        }
        for (j, l) in st.lead.iter().enumerate() {
            if !deck.lead.iter().any(|b| b.group == l.group) {
                return Err(bad.at(
                    key(&format!("lead[{j}].group")),
                    format!(
                        "stage '{}': group '{}' is not a [[lead]] of the base run",
                        st.name, l.group
                    ),
                ));
            }
            if l.motion == MotionStyle::Oscillate
                && (l.frequency_ghz.is_nan() || l.frequency_ghz <= 0.0)
            {
                return Err(bad.at(
                    key(&format!("lead[{j}].frequency_ghz")),
                    format!(
                        "stage '{}': oscillation needs a positive frequency_ghz",
                        st.name
                    ),
                ));
            }
        }
        for (j, t) in st.thermostat.iter().flatten().enumerate() {
            if !deck.thermostat.iter().any(|b| b.group == t.group) {
                return Err(bad.at(
                    key(&format!("thermostat[{j}].group")),
                    format!("stage '{}': group '{}' has no [[thermostat]] in the base run (stages retune or switch off the base thermostats)", st.name, t.group),
                ));
            }
            if t.damping.is_nan()
                || t.damping <= 0.0
                || t.temperature.is_nan()
                || t.temperature < 0.0
            {
                return Err(bad.at(
                    key(&format!("thermostat[{j}]")),
                    format!(
                        "stage '{}': damping must be positive and temperature non-negative",
                        st.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Paths relative to `base_dir` (by default the deck's folder), and the `[transport]` section's
/// own deck, read for the MD deck's group `names`.
fn resolve_paths(deck: &mut Deck, path: &Path, names: &[String], bad: &Bad) -> Result<()> {
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
            return Err(bad.at(
                "transport.every",
                "must be at least 1 (steps between snapshots)",
            ));
        }
        t.ranks_line = line_of_key(bad.text, "transport.ranks");
        t.deck = fix(&t.deck);
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let problem =
            transport::TransportDeck::read_inline(&t.deck, &names).map_err(|e| match e {
                Error::Io { path, source } => bad.at(
                    "transport.deck",
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
    Ok(())
}
