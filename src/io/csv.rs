//! Comma-separated tables of numbers (RFC 4180 without quoting: the header names and the values
//! never contain commas). One header line, then one line per row; floats are written with 18
//! significant digits (`{:.17e}`, e.g. `-1.23450000000000000e-3`), which round-trips every `f64`,
//! and integers plainly. Rows are flushed as they are appended, so the table can be read while
//! the run goes on and survives a killed run. Used for `thermo.csv` ([`THERMO_HEADER`]);
//! [`CsvTable`] reads such tables back (`stages.csv`, `leads.csv` of a run).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The columns of `thermo.csv`, in the units of LAMMPS `metal`.
pub const THERMO_HEADER: [&str; 7] = [
    "step",
    "time_ps",
    "pe_eV",
    "ke_eV",
    "etotal_eV",
    "temp_K",
    "press_bar",
];

/// One cell of a row: an integer (written plainly) or a float (written as `{:.17e}`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// An integer such as a step number.
    Int(i64),
    /// A floating-point value.
    Float(f64),
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Float(v)
    }
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}

impl From<u64> for Cell {
    /// Steps and counts; values above `i64::MAX` do not occur in a run.
    fn from(v: u64) -> Self {
        Cell::Int(v as i64)
    }
}

impl From<usize> for Cell {
    fn from(v: usize) -> Self {
        Cell::Int(v as i64)
    }
}

/// A CSV table being written: the header is fixed at creation, rows are appended.
#[derive(Debug)]
pub struct CsvWriter {
    path: PathBuf,
    out: BufWriter<File>,
    ncols: usize,
}

impl CsvWriter {
    /// Create (or truncate) the file at `path` and write the header line.
    pub fn create(path: &Path, header: &[&str]) -> Result<CsvWriter> {
        if header.is_empty() {
            return Err(Error::run(format!(
                "{}: a CSV table needs at least one column",
                path.display()
            )));
        }
        if let Some(bad) = header.iter().find(|h| h.contains([',', '\n', '\r', '"'])) {
            return Err(Error::run(format!(
                "{}: CSV column name '{bad}' must not contain commas, quotes or line breaks",
                path.display()
            )));
        }
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let mut w = CsvWriter {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            ncols: header.len(),
        };
        let line = header.join(",");
        writeln!(w.out, "{line}").map_err(|e| Error::io(&w.path, e))?;
        w.out.flush().map_err(|e| Error::io(&w.path, e))?;
        Ok(w)
    }

    /// Go on with a table of `ncols` columns after a restart: cut to the `len` bytes it had at
    /// the checkpoint, rows appended after them.
    pub fn resume(path: &Path, ncols: usize, len: u64) -> Result<CsvWriter> {
        let file = super::reopen_at(path, len)?;
        Ok(CsvWriter {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            ncols,
        })
    }

    /// Append one row (as many cells as header columns) and flush it to the file.
    pub fn append_row(&mut self, row: &[Cell]) -> Result<()> {
        if row.len() != self.ncols {
            return Err(Error::run(format!(
                "{}: row of {} values for a table of {} columns",
                self.path.display(),
                row.len(),
                self.ncols
            )));
        }
        let mut line = String::with_capacity(26 * row.len());
        for (k, c) in row.iter().enumerate() {
            if k > 0 {
                line.push(',');
            }
            match c {
                Cell::Int(i) => line.push_str(&i.to_string()),
                Cell::Float(v) => line.push_str(&format!("{v:.17e}")),
            }
        }
        writeln!(self.out, "{line}").map_err(|e| Error::io(&self.path, e))?;
        self.out.flush().map_err(|e| Error::io(&self.path, e))
    }

    /// The path of the table.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A table of numbers read back: the header names and the rows (every value a number). Blank
/// lines and lines starting with `#` are skipped.
#[derive(Clone, Debug)]
pub struct CsvTable {
    /// The file, for messages.
    pub path: PathBuf,
    /// Column names.
    pub header: Vec<String>,
    /// 1-based line number of the header, for messages.
    pub header_line: usize,
    /// Rows, as many values as header columns each.
    pub rows: Vec<Vec<f64>>,
}

/// The lines of a CSV text that carry content, with their 1-based line numbers: blank lines and
/// `#` comments skipped, surrounding whitespace trimmed.
pub fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(k, l)| (k + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

impl CsvTable {
    /// Read a table; a missing header, a non-number or a short row is an error naming the line.
    pub fn read(path: &Path) -> Result<CsvTable> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut lines = content_lines(&text);
        let (header_line, header) = lines
            .next()
            .ok_or_else(|| Error::input(path, Some(1), "empty file: expected a header line"))?;
        let header: Vec<String> = header.split(',').map(|s| s.trim().to_string()).collect();
        let mut rows = Vec::new();
        for (line_no, l) in lines {
            let row: Vec<f64> = l
                .split(',')
                .map(|v| v.trim().parse::<f64>())
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| Error::input(path, Some(line_no), "expected numbers"))?;
            if row.len() != header.len() {
                return Err(Error::input(
                    path,
                    Some(line_no),
                    format!("expected {} values, found {}", header.len(), row.len()),
                ));
            }
            rows.push(row);
        }
        Ok(CsvTable {
            path: path.to_path_buf(),
            header,
            header_line,
            rows,
        })
    }

    /// Index of the column `name`; an error naming the file, the header line and the columns
    /// there are when there is none.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            Error::input(
                &self.path,
                Some(self.header_line),
                format!("no column '{name}' (columns: {})", self.header.join(",")),
            )
        })
    }

    /// The values of the column `name`.
    pub fn column(&self, name: &str) -> Result<Vec<f64>> {
        let c = self.col(name)?;
        Ok(self.rows.iter().map(|r| r[c]).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::test_support::test_dir;

    #[test]
    fn thermo_rows_round_trip() {
        let dir = test_dir("csv_thermo");
        let path = dir.join("thermo.csv");
        let mut w = CsvWriter::create(&path, &THERMO_HEADER).unwrap();
        let rows: Vec<(u64, [f64; 6])> = vec![
            (0, [0.0, -3.539e2, 12.5, -341.4, 300.0, 1.0e-300]),
            (
                100,
                [
                    0.1,
                    -0.1 + 0.2,
                    f64::MAX,
                    f64::MIN_POSITIVE,
                    -0.0,
                    1.0 / 3.0,
                ],
            ),
        ];
        for (step, v) in &rows {
            let mut cells = vec![Cell::from(*step)];
            cells.extend(v.iter().map(|&x| Cell::from(x)));
            w.append_row(&cells).unwrap();
        }
        // The file is complete while the writer is still open (rows are flushed).
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "step,time_ps,pe_eV,ke_eV,etotal_eV,temp_K,press_bar"
        );
        assert_eq!(lines.len(), 3);
        for (line, (step, v)) in lines[1..].iter().zip(&rows) {
            let t: Vec<&str> = line.split(',').collect();
            assert_eq!(t.len(), 7);
            assert_eq!(t[0].parse::<u64>().unwrap(), *step);
            for k in 0..6 {
                let x: f64 = t[k + 1].parse().unwrap();
                assert_eq!(x.to_bits(), v[k].to_bits(), "column {k}: {}", t[k + 1]);
            }
        }
        assert!(w.append_row(&[Cell::Int(1)]).is_err());
        drop(w);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn tables_are_read_back_with_their_errors() {
        let dir = test_dir("csv_table");
        let p = dir.join("t.csv");
        std::fs::write(&p, "# comment\n\nstep, x\n0,1.5\n10,-2e-3\n").unwrap();
        let t = CsvTable::read(&p).unwrap();
        assert_eq!(t.header, ["step", "x"]);
        assert_eq!(t.header_line, 3);
        assert_eq!(t.column("x").unwrap(), [1.5, -2e-3]);
        let e = t.col("y").unwrap_err().to_string();
        assert!(
            e.ends_with("t.csv:3: no column 'y' (columns: step,x)"),
            "{e}"
        );
        std::fs::write(&p, "a,b\n1,2\n3\n").unwrap();
        let e = CsvTable::read(&p).unwrap_err().to_string();
        assert!(e.ends_with("t.csv:3: expected 2 values, found 1"), "{e}");
        std::fs::write(&p, "a\nx\n").unwrap();
        let e = CsvTable::read(&p).unwrap_err().to_string();
        assert!(e.contains(":2: expected numbers"), "{e}");
        std::fs::write(&p, "").unwrap();
        assert!(CsvTable::read(&p).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_header_is_an_error() {
        let dir = test_dir("csv_bad");
        assert!(CsvWriter::create(&dir.join("a.csv"), &[]).is_err());
        assert!(CsvWriter::create(&dir.join("b.csv"), &["a,b"]).is_err());
        assert!(CsvWriter::create(&dir.join("no/such/dir.csv"), &["a"]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
