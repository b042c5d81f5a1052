//! Input decks: TOML files (schema below) parsed with serde into the structs of `schema.rs`
//! (unknown keys rejected, every choice an enum), then checked by `validate.rs`. Every message
//! names the file, the line and the key path of the offending value with its array index
//! (`lead[1].frequency_ghz`), the line taken from the TOML parser's spans (`spans.rs`).
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
//! style = "eam"          # eam | eam/alloy | eam/fs | lj/cut
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
//! checkpoint = 10000     # a checkpoint DIR/checkpoint every this many steps (0 = none)
//! checkpoint_minutes = 30.0  # and every this many wall-clock minutes (0 = none); SIGUSR1 or
//!                        # SIGTERM write one and stop; `run DECK --restart DIR/checkpoint` goes on
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

use std::path::Path;

mod schema;
mod spans;
pub mod transport;
pub mod transport_gap;
mod validate;
pub mod wire_ehrenfest;

pub use schema::*;
pub use spans::line_of_key;

use crate::error::{Error, Result};
use crate::io::toml_lines::line_of;

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
            Error::Input {
                path: path.to_path_buf(),
                line,
                key: e.span().and_then(|s| spans::key_at(text, s.start)),
                msg,
            }
        })?;
        validate::validate(&mut deck, path, text)?;
        deck.text = text.to_string();
        Ok(deck)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

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

    /// A deck with two `[[lead]]` and two `[[thermostat]]` tables on the junction's groups.
    fn two_leads_two_baths(second_frequency: &str, second_damping: &str) -> String {
        let junction = GOOD.replace(
            "[structure.lattice]\na = 4.08\ncells = [2, 2, 2]",
            "[structure.junction]\na = 4.08\nlateral_cells = [2, 2]\nlead_layers = 4\nh0 = 8.0\nradius = 4.0",
        );
        format!(
            "{junction}[[lead]]\ngroup = \"lead_bottom\"\nmotion = \"oscillate\"\nfrequency_ghz = 10.0\n\
             [[lead]]\ngroup = \"lead_top\"\nmotion = \"oscillate\"\nfrequency_ghz = {second_frequency}\n\
             [[thermostat]]\ngroup = \"bath_bottom\"\ntemperature = 300.0\ndamping = 0.5\n\
             [[thermostat]]\ngroup = \"bath_top\"\ntemperature = 300.0\ndamping = {second_damping}\n"
        )
    }

    /// 1-based line of the `n`-th (0-based) line of `text` starting with `prefix`.
    fn nth_line(text: &str, prefix: &str, n: usize) -> usize {
        text.lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with(prefix))
            .nth(n)
            .map(|(k, _)| k + 1)
            .unwrap()
    }

    #[test]
    fn errors_in_the_second_lead_or_thermostat_name_its_line() {
        let good = two_leads_two_baths("10.0", "0.5");
        assert!(Deck::parse(Path::new("d.toml"), &good).is_ok());
        let t = two_leads_two_baths("-1.0", "0.5");
        let e = Deck::parse(Path::new("d.toml"), &t)
            .unwrap_err()
            .to_string();
        let line = nth_line(&t, "frequency_ghz", 1);
        assert!(
            e.contains(&format!("d.toml:{line}:")) && e.contains("lead[1].frequency_ghz"),
            "{e}"
        );
        let t = two_leads_two_baths("10.0", "0.0");
        let e = Deck::parse(Path::new("d.toml"), &t)
            .unwrap_err()
            .to_string();
        let line = nth_line(&t, "damping", 1);
        assert!(
            e.contains(&format!("d.toml:{line}:")) && e.contains("thermostat[1].damping"),
            "{e}"
        );
    }

    #[test]
    fn wrong_choices_are_parse_errors_naming_the_choices() {
        let t = two_leads_two_baths("10.0", "0.5").replacen(
            "motion = \"oscillate\"",
            "motion = \"wiggle\"",
            2,
        );
        let t = t.replacen("motion = \"wiggle\"", "motion = \"oscillate\"", 1);
        let e = Deck::parse(Path::new("d.toml"), &t)
            .unwrap_err()
            .to_string();
        let line = nth_line(&t, "motion", 1);
        assert!(
            e.contains(&format!("d.toml:{line}")) && e.contains("wiggle") && e.contains("`pull`"),
            "{e}"
        );
        for (from, to, needle) in [
            ("style = \"eam\"", "style = \"lj\"", "`eam/alloy`"),
            (
                "boundary = \"p p p\"",
                "boundary = \"p q p\"",
                "three letters",
            ),
            (
                "damping = 0.5\n",
                "damping = 0.5\nstyle = \"berendsen\"\n",
                "`nose-hoover`",
            ),
        ] {
            let t = two_leads_two_baths("10.0", "0.5").replacen(from, to, 1);
            let e = Deck::parse(Path::new("d.toml"), &t)
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
        }
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
