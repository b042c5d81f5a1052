//! LAMMPS text dumps, as written by `dump custom` (LAMMPS manual, `dump` command, "Format of
//! native LAMMPS dump files"). Each frame (snapshot) is
//!
//! ```text
//! ITEM: TIMESTEP
//! 100
//! ITEM: NUMBER OF ATOMS
//! 256
//! ITEM: BOX BOUNDS pp pp ff
//! xlo xhi
//! ylo yhi
//! zlo zhi
//! ITEM: ATOMS id type x y z vx vy vz fx fy fz
//! 1 1 0.5 ...
//! ```
//!
//! The box-bounds flags are the LAMMPS boundary letters of the lower and upper face of each axis
//! (`pp` periodic, `ff` fixed, `ss` shrink-wrapped, `m` shrink-wrapped with a minimum).
//! [`DumpWriter`] appends frames with the columns above (LAMMPS types, 1-based; positions as
//! held, i.e. wrapped; Å, Å/ps, eV/Å), then `q` (e) and `echemdid_phi` (V) where the atoms
//! carry them, atoms sorted by id. [`DumpReader`] reads dumps with any
//! set of numeric columns that includes `id`, such as the LAMMPS reference trajectories, and
//! also accepts the optional `ITEM: UNITS` and `ITEM: TIME` items (`dump_modify units/time yes`).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Lines, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::system::{Atoms, Boundary, SimBox, CHARGE, ECHEMDID_PHI};

/// Column header written by [`DumpWriter`].
pub const DUMP_COLUMNS: &str = "id type x y z vx vy vz fx fy fz";

/// Writes `dump custom` frames (columns [`DUMP_COLUMNS`]) to one file, flushing each frame.
#[derive(Debug)]
pub struct DumpWriter {
    path: PathBuf,
    out: BufWriter<File>,
}

impl DumpWriter {
    /// Create (or truncate) the dump file at `path`.
    pub fn create(path: &Path) -> Result<DumpWriter> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        Ok(DumpWriter {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
        })
    }

    /// Go on after a restart: the file cut to the `len` bytes it had at the checkpoint, frames
    /// appended after them.
    pub fn resume(path: &Path, len: u64) -> Result<DumpWriter> {
        Ok(DumpWriter {
            path: path.to_path_buf(),
            out: BufWriter::new(super::reopen_at(path, len)?),
        })
    }

    /// Append the owned atoms of `atoms` (ghosts are ignored) as one frame at `step`, sorted by
    /// id, and flush it to the file.
    pub fn append_frame(&mut self, step: u64, simbox: &SimBox, atoms: &Atoms) -> Result<()> {
        let mut s = String::with_capacity(256 + 200 * atoms.nlocal);
        s.push_str(&format!(
            "ITEM: TIMESTEP\n{step}\nITEM: NUMBER OF ATOMS\n{}\nITEM: BOX BOUNDS",
            atoms.nlocal
        ));
        for b in simbox.boundary {
            let c = b.letter();
            s.push_str(&format!(" {c}{c}"));
        }
        s.push('\n');
        for d in 0..3 {
            s.push_str(&format!("{:.16e} {:.16e}\n", simbox.lo[d], simbox.hi[d]));
        }
        s.push_str("ITEM: ATOMS ");
        s.push_str(DUMP_COLUMNS);
        // Per-atom scalars the atoms carry: the charge and EChemDID's potential.
        let extra: Vec<(&str, &[f64])> = [CHARGE, ECHEMDID_PHI]
            .into_iter()
            .filter_map(|n| atoms.fields.find(n).map(|f| (n, atoms.fields.get(f))))
            .collect();
        for (name, _) in &extra {
            s.push(' ');
            s.push_str(name);
        }
        s.push('\n');
        for i in atoms.order_by_id() {
            let lead = format!("{} {}", atoms.id[i], atoms.typ[i] + 1);
            super::push_xvf_row(&mut s, &lead, atoms, i);
            if !extra.is_empty() {
                s.pop();
                for (_, v) in &extra {
                    s.push_str(&format!(" {:.16e}", v[i]));
                }
                s.push('\n');
            }
        }
        self.out
            .write_all(s.as_bytes())
            .map_err(|e| Error::io(&self.path, e))?;
        self.out.flush().map_err(|e| Error::io(&self.path, e))
    }

    /// The path of the dump.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// One frame of a dump: step, box and the per-atom columns, ordered by atom id.
#[derive(Clone, Debug, PartialEq)]
pub struct DumpFrame {
    /// Timestep (`ITEM: TIMESTEP`).
    pub step: u64,
    /// Simulated time in the dump's time unit (ps for `metal`), when the dump has `ITEM: TIME`.
    pub time: Option<f64>,
    /// The box; a face pair with an `s` or `m` letter is read as [`Boundary::Shrink`].
    pub simbox: SimBox,
    /// Atom ids, ascending; row `k` of every column belongs to `ids[k]`.
    pub ids: Vec<u64>,
    /// Columns other than `id`, in file order: name and values by row.
    pub columns: Vec<(String, Vec<f64>)>,
}

impl DumpFrame {
    /// Number of atoms in the frame.
    pub fn natoms(&self) -> usize {
        self.ids.len()
    }

    /// The values of column `name` (e.g. `"x"`, `"type"`), one per atom in id order.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.columns
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// Three columns as vectors, e.g. `["x", "y", "z"]` or `["fx", "fy", "fz"]`.
    pub fn vectors(&self, names: [&str; 3]) -> Option<Vec<[f64; 3]>> {
        let (a, b, c) = (
            self.column(names[0])?,
            self.column(names[1])?,
            self.column(names[2])?,
        );
        Some((0..self.ids.len()).map(|k| [a[k], b[k], c[k]]).collect())
    }

    /// Row of atom `id`, if present.
    pub fn index_of(&self, id: u64) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }
}

/// Named columns of a frame, each with one value per atom.
type Columns = Vec<(String, Vec<f64>)>;

/// Reads a dump frame by frame (an iterator of `Result<DumpFrame>`); stops after the first
/// error. A frame cut short by the end of the file is an error.
#[derive(Debug)]
pub struct DumpReader {
    path: PathBuf,
    lines: Lines<BufReader<File>>,
    line_no: usize,
    failed: bool,
}

/// Read all frames of the dump at `path`.
pub fn read_dump(path: &Path) -> Result<Vec<DumpFrame>> {
    DumpReader::open(path)?.collect()
}

impl DumpReader {
    /// Open the dump at `path`.
    pub fn open(path: &Path) -> Result<DumpReader> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        Ok(DumpReader {
            path: path.to_path_buf(),
            lines: BufReader::new(file).lines(),
            line_no: 0,
            failed: false,
        })
    }

    /// The next line with its 1-based number, or `None` at the end of the file.
    fn next_line(&mut self) -> Result<Option<(usize, String)>> {
        match self.lines.next() {
            None => Ok(None),
            Some(Err(e)) => Err(Error::io(&self.path, e)),
            Some(Ok(l)) => {
                self.line_no += 1;
                Ok(Some((self.line_no, l)))
            }
        }
    }

    /// The next line, which must exist: `what` names it in the error.
    fn expect_line(&mut self, what: &str) -> Result<(usize, String)> {
        self.next_line()?.ok_or_else(|| {
            Error::input(
                &self.path,
                Some(self.line_no),
                format!("file ends where {what} was expected"),
            )
        })
    }

    fn err(&self, line: usize, msg: impl Into<String>) -> Error {
        Error::input(&self.path, Some(line), msg)
    }

    /// Read one frame; `None` at a clean end of file.
    fn read_frame(&mut self) -> Result<Option<DumpFrame>> {
        let mut time = None;
        let mut step = None;
        let mut natoms = None;
        let mut simbox = None;
        loop {
            let (ln, line) = match self.next_line()? {
                None if step.is_none()
                    && time.is_none()
                    && natoms.is_none()
                    && simbox.is_none() =>
                {
                    return Ok(None)
                }
                None => {
                    return Err(self.err(self.line_no, "file ends inside a frame (no ITEM: ATOMS)"));
                }
                Some(l) => l,
            };
            let item = line.trim();
            if item.is_empty() {
                continue;
            }
            let Some(item) = item.strip_prefix("ITEM:").map(str::trim) else {
                return Err(self.err(ln, format!("expected an 'ITEM:' line, found '{item}'")));
            };
            if item == "UNITS" {
                self.expect_line("the units style")?;
            } else if item == "TIME" {
                let (l, t) = self.expect_line("the time")?;
                let v = t.trim().parse::<f64>().ok().filter(|v| v.is_finite());
                time = Some(v.ok_or_else(|| {
                    self.err(l, format!("expected a time, found '{}'", t.trim()))
                })?);
            } else if item == "TIMESTEP" {
                let (l, t) = self.expect_line("the timestep")?;
                let v = t.trim().parse::<u64>().ok();
                step = Some(v.ok_or_else(|| {
                    self.err(l, format!("expected a timestep, found '{}'", t.trim()))
                })?);
            } else if item == "NUMBER OF ATOMS" {
                let (l, t) = self.expect_line("the number of atoms")?;
                let v = t.trim().parse::<usize>().ok();
                natoms = Some(v.ok_or_else(|| {
                    self.err(
                        l,
                        format!("expected a number of atoms, found '{}'", t.trim()),
                    )
                })?);
            } else if let Some(flags) = item.strip_prefix("BOX BOUNDS") {
                simbox = Some(self.read_box(ln, flags)?);
            } else if let Some(cols) = item.strip_prefix("ATOMS") {
                let step = step.ok_or_else(|| self.err(ln, "ITEM: ATOMS before ITEM: TIMESTEP"))?;
                let natoms = natoms
                    .ok_or_else(|| self.err(ln, "ITEM: ATOMS before ITEM: NUMBER OF ATOMS"))?;
                let simbox =
                    simbox.ok_or_else(|| self.err(ln, "ITEM: ATOMS before ITEM: BOX BOUNDS"))?;
                let (ids, columns) = self.read_atoms(ln, cols, natoms)?;
                return Ok(Some(DumpFrame {
                    step,
                    time,
                    simbox,
                    ids,
                    columns,
                }));
            } else {
                return Err(self.err(ln, format!("unknown dump item 'ITEM: {item}'")));
            }
        }
    }

    /// Parse the flags after `BOX BOUNDS` and the three bounds lines.
    fn read_box(&mut self, ln: usize, flags: &str) -> Result<SimBox> {
        let flags: Vec<&str> = flags.split_whitespace().collect();
        if flags.first().is_some_and(|f| *f == "xy" || *f == "abc") {
            return Err(self.err(ln, "triclinic boxes are not supported"));
        }
        let mut boundary = [Boundary::Periodic; 3];
        if !flags.is_empty() {
            if flags.len() != 3 {
                return Err(self.err(
                    ln,
                    "BOX BOUNDS needs three boundary flags such as 'pp pp ff'",
                ));
            }
            for (d, f) in flags.iter().enumerate() {
                boundary[d] = match *f {
                    "pp" => Boundary::Periodic,
                    "ff" => Boundary::Fixed,
                    f if f.len() == 2 && f.chars().all(|c| "fsm".contains(c)) => Boundary::Shrink,
                    _ => {
                        return Err(self.err(
                            ln,
                            format!("unknown boundary flags '{f}' (expected pp, ff, ss, sm, ...)"),
                        ))
                    }
                };
            }
        }
        let mut lo = [0.0; 3];
        let mut hi = [0.0; 3];
        for d in 0..3 {
            let (l, t) = self.expect_line("a BOX BOUNDS line")?;
            let v: Vec<f64> = t
                .split_whitespace()
                .filter_map(|s| s.parse::<f64>().ok())
                .collect();
            let ntok = t.split_whitespace().count();
            if ntok == 3 {
                return Err(self.err(l, "triclinic boxes are not supported"));
            }
            if ntok != 2 || v.len() != 2 || !v.iter().all(|x| x.is_finite()) || v[1] <= v[0] {
                return Err(self.err(
                    l,
                    format!("expected 'lo hi' with hi > lo, found '{}'", t.trim()),
                ));
            }
            lo[d] = v[0];
            hi[d] = v[1];
        }
        Ok(SimBox::new(lo, hi, boundary))
    }

    /// Parse `natoms` atom lines with the given column names; rows are returned sorted by id.
    fn read_atoms(&mut self, ln: usize, cols: &str, natoms: usize) -> Result<(Vec<u64>, Columns)> {
        let names: Vec<&str> = cols.split_whitespace().collect();
        let id_col = names
            .iter()
            .position(|&n| n == "id")
            .ok_or_else(|| self.err(ln, "ITEM: ATOMS has no 'id' column"))?;
        for (k, n) in names.iter().enumerate() {
            if names[..k].contains(n) {
                return Err(self.err(ln, format!("column '{n}' appears twice")));
            }
        }
        let ncol = names.len();
        // `natoms` comes from the file: the vectors grow with the lines actually read.
        let cap = natoms.min(1 << 16);
        let mut ids = Vec::with_capacity(cap);
        let mut values: Vec<Vec<f64>> = vec![Vec::with_capacity(cap); ncol];
        for _ in 0..natoms {
            let (l, t) = self.expect_line("an atom line")?;
            let tok: Vec<&str> = t.split_whitespace().collect();
            if tok.len() != ncol {
                return Err(self.err(
                    l,
                    format!(
                        "expected {ncol} values ({}), found {}",
                        names.join(" "),
                        tok.len()
                    ),
                ));
            }
            for (k, s) in tok.iter().enumerate() {
                if k == id_col {
                    let id = s
                        .parse::<u64>()
                        .map_err(|_| self.err(l, format!("expected an atom id, found '{s}'")))?;
                    ids.push(id);
                } else {
                    let v = s.parse::<f64>().map_err(|_| {
                        self.err(
                            l,
                            format!("expected a number for column '{}', found '{s}'", names[k]),
                        )
                    })?;
                    values[k].push(v);
                }
            }
        }
        let mut order: Vec<usize> = (0..natoms).collect();
        order.sort_unstable_by_key(|&k| ids[k]);
        let sorted_ids: Vec<u64> = order.iter().map(|&k| ids[k]).collect();
        if let Some(w) = sorted_ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(self.err(ln, format!("atom id {} appears twice in this frame", w[0])));
        }
        let columns = names
            .iter()
            .zip(values)
            .enumerate()
            .filter(|(k, _)| *k != id_col)
            .map(|(_, (n, v))| (n.to_string(), order.iter().map(|&k| v[k]).collect()))
            .collect();
        Ok((sorted_ids, columns))
    }
}

impl Iterator for DumpReader {
    type Item = Result<DumpFrame>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.read_frame() {
            Ok(f) => f.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::test_support::{small_system, test_dir};

    #[test]
    fn write_then_read_frames_exactly() {
        let dir = test_dir("dump_roundtrip");
        let path = dir.join("traj.dump");
        let mut w = DumpWriter::create(&path).unwrap();
        let frames: Vec<(SimBox, Atoms)> = (0..3).map(small_system).collect();
        for (k, (b, a)) in frames.iter().enumerate() {
            w.append_frame(10 * k as u64, b, a).unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(
            "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n5\nITEM: BOX BOUNDS pp pp ff\n"
        ));
        assert!(text.contains("ITEM: ATOMS id type x y z vx vy vz fx fy fz\n1 2 "));
        let read = read_dump(&path).unwrap();
        assert_eq!(read.len(), 3);
        for (k, (fr, (b, a))) in read.iter().zip(&frames).enumerate() {
            assert_eq!(fr.step, 10 * k as u64);
            assert_eq!(fr.time, None);
            assert_eq!(&fr.simbox, b);
            assert_eq!(fr.ids, vec![1, 2, 5, 7, 11]);
            let x = fr.vectors(["x", "y", "z"]).unwrap();
            let v = fr.vectors(["vx", "vy", "vz"]).unwrap();
            let f = fr.vectors(["fx", "fy", "fz"]).unwrap();
            let typ = fr.column("type").unwrap();
            for (row, i) in a.order_by_id().into_iter().enumerate() {
                assert_eq!(fr.index_of(a.id[i]), Some(row));
                assert_eq!(x[row], a.x[i]);
                assert_eq!(v[row], a.v[i]);
                assert_eq!(f[row], a.f[i]);
                assert_eq!(typ[row], (a.typ[i] + 1) as f64);
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn lammps_reference_trajectory_parses() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/lammps/nve/traj.dump");
        if !path.exists() {
            eprintln!("skipping: {} not found", path.display());
            return;
        }
        let frames = read_dump(&path).unwrap();
        assert!(!frames.is_empty());
        let f0 = &frames[0];
        assert_eq!(f0.step, 0);
        assert_eq!(f0.natoms(), 256);
        assert_eq!(f0.simbox.lo, [0.0; 3]);
        assert_eq!(f0.simbox.hi, [16.32; 3]);
        assert_eq!(f0.simbox.boundary, [Boundary::Periodic; 3]);
        assert_eq!(f0.ids, (1..=256).collect::<Vec<u64>>());
        let names: Vec<&str> = f0.columns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["x", "y", "z", "vx", "vy", "vz", "fx", "fy", "fz"]);
        assert_eq!(f0.column("x").unwrap()[0], 1.709638363e-3);
        assert_eq!(f0.column("fz").unwrap()[0], -6.412704700159098e-02);
        assert!(f0.column("type").is_none());
        for w in frames.windows(2) {
            assert!(w[1].step > w[0].step);
            assert_eq!(w[1].natoms(), 256);
        }
    }

    #[test]
    fn optional_items_and_errors() {
        let dir = test_dir("dump_errors");
        let good =
            "ITEM: UNITS\nmetal\nITEM: TIME\n0.25\nITEM: TIMESTEP\n5\nITEM: NUMBER OF ATOMS\n2\n\
                    ITEM: BOX BOUNDS pp ss fm\n0 1\n0 2\n-1 3\nITEM: ATOMS x id\n0.5 9\n0.25 3\n";
        let p = dir.join("good.dump");
        std::fs::write(&p, good).unwrap();
        let fr = read_dump(&p).unwrap();
        assert_eq!(fr.len(), 1);
        assert_eq!(fr[0].time, Some(0.25));
        assert_eq!(fr[0].step, 5);
        assert_eq!(
            fr[0].simbox.boundary,
            [Boundary::Periodic, Boundary::Shrink, Boundary::Shrink]
        );
        assert_eq!(fr[0].ids, vec![3, 9]);
        assert_eq!(fr[0].column("x").unwrap(), &[0.25, 0.5]);

        let cases = [
            // truncated atoms section
            ("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id x\n1 0.5\n", "ends where"),
            // no id column
            ("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS x y\n1 0.5\n", "no 'id'"),
            // triclinic
            ("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS xy xz yz pp pp pp\n", "triclinic"),
            // bad number
            ("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id x\n1 abc\n", "column 'x'"),
            // frame cut after its header
            ("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\n", "inside a frame"),
        ];
        for (k, (text, msg)) in cases.iter().enumerate() {
            let p = dir.join(format!("bad{k}.dump"));
            std::fs::write(&p, text).unwrap();
            let e = read_dump(&p).unwrap_err().to_string();
            assert!(e.contains(msg), "case {k}: {e}");
        }
        assert!(read_dump(&dir.join("missing.dump")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
