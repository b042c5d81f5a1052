//! Extended XYZ trajectories, the convention of ASE (`ase.io.extxyz`) and OVITO (file reader
//! "XYZ", extended format). Each frame is
//!
//! ```text
//! N
//! Lattice="Lx 0 0 0 Ly 0 0 0 Lz" Origin="xlo ylo zlo" Properties=species:S:1:pos:R:3:vel:R:3:forces:R:3 pbc="T T F" Time=0.5 Step=500
//! Au x y z vx vy vz fx fy fz
//! ...
//! ```
//!
//! `Lattice` holds the three cell vectors row by row (Å), `Origin` the lower box corner (read by
//! OVITO), `pbc` whether each axis is periodic, `Time` the simulated time in ps and `Step` the
//! timestep. Per-atom columns: species name, position (Å, wrapped), velocity (Å/ps, LAMMPS
//! `metal` units, not ASE units) and force (eV/Å). Atoms are sorted by id; frames are appended
//! and flushed one by one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::system::{Atoms, SimBox};

/// The `Properties` value of every frame written by [`ExtxyzWriter`].
pub const EXTXYZ_PROPERTIES: &str = "species:S:1:pos:R:3:vel:R:3:forces:R:3";

/// Writes extended XYZ frames to one file.
#[derive(Debug)]
pub struct ExtxyzWriter {
    path: PathBuf,
    out: BufWriter<File>,
    species: Vec<String>,
}

/// Species names must be non-empty, without whitespace or quotes.
fn check_species(path: &Path, species: &[&str]) -> Result<()> {
    match species
        .iter()
        .find(|s| s.is_empty() || s.contains(char::is_whitespace) || s.contains('"'))
    {
        Some(bad) => Err(Error::run(format!(
            "{}: species name '{bad}' must be non-empty, without spaces or quotes",
            path.display()
        ))),
        None => Ok(()),
    }
}

impl ExtxyzWriter {
    /// Create (or truncate) the file at `path`. `species[t]` is the name written for atoms of
    /// 0-based type `t`, e.g. `["Au"]`; names must be non-empty and contain no whitespace.
    pub fn create(path: &Path, species: &[&str]) -> Result<ExtxyzWriter> {
        check_species(path, species)?;
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        Ok(ExtxyzWriter {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            species: species.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// Go on after a restart: the file cut to the `len` bytes it had at the checkpoint, frames
    /// appended after them.
    pub fn resume(path: &Path, species: &[&str], len: u64) -> Result<ExtxyzWriter> {
        check_species(path, species)?;
        Ok(ExtxyzWriter {
            path: path.to_path_buf(),
            out: BufWriter::new(super::reopen_at(path, len)?),
            species: species.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// Append the owned atoms of `atoms` (ghosts are ignored), sorted by id, as one frame at
    /// `step` and time `time_ps`, and flush it to the file.
    pub fn append_frame(
        &mut self,
        step: u64,
        time_ps: f64,
        simbox: &SimBox,
        atoms: &Atoms,
    ) -> Result<()> {
        if let Some(&t) = atoms.typ[..atoms.nlocal]
            .iter()
            .find(|&&t| t as usize >= self.species.len())
        {
            return Err(Error::run(format!(
                "{}: atom type {} has no species name ({} given)",
                self.path.display(),
                t + 1,
                self.species.len()
            )));
        }
        let l = simbox.lengths();
        let (lo, pbc) = (
            simbox.lo,
            |d: usize| if simbox.periodic(d) { 'T' } else { 'F' },
        );
        let mut s = String::with_capacity(256 + 200 * atoms.nlocal);
        s.push_str(&format!(
            "{}\nLattice=\"{:.16e} 0 0 0 {:.16e} 0 0 0 {:.16e}\" Origin=\"{:.16e} {:.16e} {:.16e}\" \
             Properties={EXTXYZ_PROPERTIES} pbc=\"{} {} {}\" Time={time_ps:?} Step={step}\n",
            atoms.nlocal,
            l[0],
            l[1],
            l[2],
            lo[0],
            lo[1],
            lo[2],
            pbc(0),
            pbc(1),
            pbc(2)
        ));
        for i in atoms.order_by_id() {
            super::push_xvf_row(&mut s, &self.species[atoms.typ[i] as usize], atoms, i);
        }
        self.out
            .write_all(s.as_bytes())
            .map_err(|e| Error::io(&self.path, e))?;
        self.out.flush().map_err(|e| Error::io(&self.path, e))
    }

    /// The path of the trajectory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::test_support::{small_system, test_dir};
    use std::collections::HashMap;

    /// Split a comment line into `key=value` pairs the way ASE's `key_val_str_to_dict` does:
    /// whitespace separates pairs, double quotes group a value containing spaces.
    fn key_vals(line: &str) -> HashMap<String, String> {
        let mut out = HashMap::new();
        let mut chars = line.chars().peekable();
        loop {
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            if chars.peek().is_none() {
                return out;
            }
            let mut key = String::new();
            while let Some(&c) = chars.peek() {
                if c == '=' || c.is_whitespace() {
                    break;
                }
                key.push(c);
                chars.next();
            }
            let mut val = String::new();
            if chars.peek() == Some(&'=') {
                chars.next();
                if chars.peek() == Some(&'"') {
                    chars.next();
                    for c in chars.by_ref() {
                        if c == '"' {
                            break;
                        }
                        val.push(c);
                    }
                } else {
                    while let Some(&c) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        val.push(c);
                        chars.next();
                    }
                }
            }
            out.insert(key, val);
        }
    }

    /// Parse a `Properties` string into (name, type letter, number of columns).
    fn properties(p: &str) -> Vec<(String, String, usize)> {
        let t: Vec<&str> = p.split(':').collect();
        assert_eq!(t.len() % 3, 0);
        t.chunks(3)
            .map(|c| (c[0].to_string(), c[1].to_string(), c[2].parse().unwrap()))
            .collect()
    }

    #[test]
    fn frames_parse_back_ase_style() {
        let dir = test_dir("extxyz");
        let path = dir.join("traj.xyz");
        let mut w = ExtxyzWriter::create(&path, &["Au", "Ag"]).unwrap();
        let frames: Vec<(SimBox, Atoms)> = (0..2).map(small_system).collect();
        for (k, (b, a)) in frames.iter().enumerate() {
            w.append_frame(100 * k as u64, 0.1 * k as f64, b, a)
                .unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        for (k, (b, a)) in frames.iter().enumerate() {
            let n: usize = lines.next().unwrap().trim().parse().unwrap();
            assert_eq!(n, a.nlocal);
            let kv = key_vals(lines.next().unwrap());
            let lat: Vec<f64> = kv["Lattice"]
                .split_whitespace()
                .map(|s| s.parse().unwrap())
                .collect();
            let l = b.lengths();
            assert_eq!(lat, vec![l[0], 0.0, 0.0, 0.0, l[1], 0.0, 0.0, 0.0, l[2]]);
            let origin: Vec<f64> = kv["Origin"]
                .split_whitespace()
                .map(|s| s.parse().unwrap())
                .collect();
            assert_eq!(origin, b.lo.to_vec());
            assert_eq!(kv["pbc"], "T T F");
            assert_eq!(kv["Step"].parse::<u64>().unwrap(), 100 * k as u64);
            assert_eq!(kv["Time"].parse::<f64>().unwrap(), 0.1 * k as f64);
            let props = properties(&kv["Properties"]);
            let expect = [
                ("species", "S", 1),
                ("pos", "R", 3),
                ("vel", "R", 3),
                ("forces", "R", 3),
            ];
            assert_eq!(props.len(), expect.len());
            for (p, e) in props.iter().zip(expect) {
                assert_eq!((p.0.as_str(), p.1.as_str(), p.2), e);
            }
            let ncol: usize = props.iter().map(|p| p.2).sum();
            for i in a.order_by_id() {
                let t: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
                assert_eq!(t.len(), ncol);
                assert_eq!(t[0], ["Au", "Ag"][a.typ[i] as usize]);
                let num: Vec<f64> = t[1..].iter().map(|s| s.parse().unwrap()).collect();
                assert_eq!(num[0..3], a.x[i]);
                assert_eq!(num[3..6], a.v[i]);
                assert_eq!(num[6..9], a.f[i]);
            }
        }
        assert!(lines.next().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_species_is_an_error() {
        let dir = test_dir("extxyz_err");
        let (b, a) = small_system(0);
        let mut w = ExtxyzWriter::create(&dir.join("t.xyz"), &["Au"]).unwrap();
        assert!(w.append_frame(0, 0.0, &b, &a).is_err());
        assert!(ExtxyzWriter::create(&dir.join("u.xyz"), &["A u"]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
