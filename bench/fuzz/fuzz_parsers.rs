//! Seeded mutational fuzzing of the input parsers on stable Rust (bench/fuzz/README.md).
//!
//! `fuzz_parsers TARGET SECONDS SEED WORKDIR SEEDFILE..` mutates the seed files at random
//! (byte flips, inserted and deleted bytes, ranges copied, lines dropped, doubled or swapped,
//! numbers replaced by extreme values, text spliced from another seed, truncation; for H5MD also
//! datasets removed, reshaped, retyped and relabelled) and feeds each input to the parser of
//! TARGET for SECONDS. A parser may return an error; it must not panic. Before each input runs it
//! is written to WORKDIR/current (a crash that aborts the process leaves it there); each panic
//! is saved as WORKDIR/crash-N with its message in WORKDIR/crash-N.txt. The last line printed
//! is `TARGET execs=E panics=P seconds=S`.
//!
//! Targets: deck (MD deck, transport deck, Slater–Koster TOML), data (LAMMPS data files), eam
//! (funcfl, setfl, Finnis–Sinclair, parsed and splined), reaxff (ffield, parsed and tabulated),
//! skf (DFTB Slater–Koster tables), kwant (Hamiltonian JSON), dump (LAMMPS dump reader),
//! h5md (H5MD reader: every frame and observable).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand_xoshiro::rand_core::{Rng as _, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use nanocontact::deck::transport::TransportDeck;
use nanocontact::deck::Deck;
use nanocontact::io::dump::read_dump;
use nanocontact::io::h5md::H5mdReader;
use nanocontact::io::lammps_data::DataFile;
use nanocontact::potential::eam::file::{Funcfl, Setfl};
use nanocontact::potential::eam::{Eam, EamStyle};
use nanocontact::potential::reaxff::{ForceField, QeqSettings, ReaxFF};
use nanocontact::transport::model::dftb::{Dftb, SkfTables};
use nanocontact::transport::model::slater_koster::SkParameters;
use nanocontact::transport::problem::kwant_json::parse_system_json;

/// Values that break naive number handling.
const EXTREMES: [&str; 22] = [
    "0",
    "-0",
    "1",
    "-1",
    "2",
    "3",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e308",
    "-1e308",
    "1e-320",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "9999999999",
    "1000000",
    "0.0",
    "1e400",
    "\"x\"",
];

struct Rng(Xoshiro256PlusPlus);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.0.next_u64() % n as u64) as usize
        }
    }
    fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }
}

/// One random edit of `b` (text-aware where the input is text); `other` is another seed.
fn mutate_once(b: &mut Vec<u8>, other: &[u8], r: &mut Rng) {
    match r.below(11) {
        0 if !b.is_empty() => {
            let i = r.below(b.len());
            b[i] ^= 1 << r.below(8);
        }
        1 => {
            let i = r.below(b.len() + 1);
            let c = *b"0123456789.-+eE \n\t[]{}=\",:#'abc"
                .get(r.below(33))
                .unwrap_or(&b'0');
            b.insert(i, c);
        }
        2 if !b.is_empty() => {
            let i = r.below(b.len());
            let n = 1 + r.below(16.min(b.len() - i));
            b.drain(i..i + n);
        }
        3 if !b.is_empty() => {
            let i = r.below(b.len());
            let n = 1 + r.below(64.min(b.len() - i));
            let piece = b[i..i + n].to_vec();
            let at = r.below(b.len() + 1);
            b.splice(at..at, piece);
        }
        4 => b.truncate(r.below(b.len() + 1)),
        5..=7 => {
            // Replace a number (a run of digits, signs, dots, e) with an extreme value.
            let starts: Vec<usize> = (0..b.len())
                .filter(|&i| b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()))
                .collect();
            if starts.is_empty() {
                return;
            }
            let s = starts[r.below(starts.len())];
            let mut e = s;
            while e < b.len() && (b[e].is_ascii_digit() || b"+-.eE".contains(&b[e])) {
                e += 1;
            }
            let v = EXTREMES[r.below(EXTREMES.len())].as_bytes().to_vec();
            b.splice(s..e, v);
        }
        8 | 9 => {
            // Line-level: drop, double or swap lines.
            let mut lines: Vec<Vec<u8>> = b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
            if lines.is_empty() {
                return;
            }
            let i = r.below(lines.len());
            match r.below(3) {
                0 => {
                    lines.remove(i);
                }
                1 => {
                    let l = lines[i].clone();
                    lines.insert(i, l);
                }
                _ => {
                    let j = r.below(lines.len());
                    lines.swap(i, j);
                }
            }
            *b = lines.join(&b'\n');
        }
        _ if !other.is_empty() => {
            // Splice a piece of another seed.
            let i = r.below(other.len());
            let n = 1 + r.below(256.min(other.len() - i));
            let at = r.below(b.len() + 1);
            b.splice(at..at, other[i..i + n].iter().copied());
        }
        _ => {}
    }
}

fn mutate(seed: &[u8], other: &[u8], r: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    let n = 1 + r.below(8);
    for _ in 0..n {
        mutate_once(&mut b, other, r);
    }
    b
}

/// Structural edits of an H5MD file (opened read-write at `path`).
fn mutate_h5md(path: &Path, r: &mut Rng) -> hdf5::Result<()> {
    const NAMES: [&str; 13] = [
        "particles/all/position/value",
        "particles/all/position/step",
        "particles/all/position/time",
        "particles/all/velocity/value",
        "particles/all/force/value",
        "particles/all/image/value",
        "particles/all/species/value",
        "particles/all/id/value",
        "particles/all/box/edges/value",
        "particles/all/charge/value",
        "observables/potential_energy/value",
        "observables/potential_energy/step",
        "parameters/species_names",
    ];
    let f = hdf5::File::open_rw(path)?;
    for _ in 0..1 + r.below(3) {
        let name = NAMES[r.below(NAMES.len())];
        match r.below(6) {
            0 => {
                let _ = f.unlink(name);
            }
            1 | 2 => {
                // Replace by a dataset of another shape and type.
                let _ = f.unlink(name);
                let rank = r.below(4);
                let shape: Vec<usize> = (0..rank).map(|_| r.below(5)).collect();
                let len: usize = shape.iter().product();
                let parent = name.rsplit_once('/').map_or("", |p| p.0);
                let g = if parent.is_empty() {
                    f.group("/")?
                } else {
                    f.group(parent).or_else(|_| f.create_group(parent))?
                };
                let leaf = name.rsplit('/').next().unwrap_or(name);
                let special = [f64::NAN, f64::INFINITY, -1.0, 0.0, 1e300, 3.0, -7.0];
                if r.chance(1, 2) {
                    let v: Vec<f64> = (0..len).map(|_| special[r.below(special.len())]).collect();
                    let a = ndarray::ArrayD::from_shape_vec(shape.clone(), v)
                        .map_err(|e| hdf5::Error::from(e.to_string()))?;
                    g.new_dataset_builder().with_data(&a).create(leaf)?;
                } else {
                    let ints = [-1i64, 0, 1, 2, 5, i64::MAX, i64::MIN, 1 << 40];
                    let v: Vec<i64> = (0..len).map(|_| ints[r.below(ints.len())]).collect();
                    let a = ndarray::ArrayD::from_shape_vec(shape.clone(), v)
                        .map_err(|e| hdf5::Error::from(e.to_string()))?;
                    g.new_dataset_builder().with_data(&a).create(leaf)?;
                }
            }
            3 => {
                if let Ok(ds) = f.dataset(name) {
                    let _ = ds.delete_attr("unit");
                    let units = ["nm", "", "Ang", "eV Ang-1", "kJ mol-1 A-1", "x"];
                    let u = units[r.below(units.len())];
                    if let Ok(v) = hdf5::types::VarLenAscii::from_ascii(u) {
                        let _ = ds
                            .new_attr::<hdf5::types::VarLenAscii>()
                            .shape(())
                            .create("unit")
                            .and_then(|a| a.write_scalar(&v));
                    }
                }
            }
            4 => {
                if let Ok(g) = f.group("particles/all/box") {
                    let _ = g.delete_attr("lammps_boundary");
                    if r.chance(1, 2) {
                        let _ = g.delete_attr("boundary");
                    }
                }
            }
            _ => {
                if let Ok(g) = f.group("h5md") {
                    let _ = g.delete_attr("version");
                    let v = [r.below(3) as i32, 0];
                    let _ = g
                        .new_attr::<i32>()
                        .shape(r.below(3))
                        .create("version")
                        .and_then(|a| {
                            let n = a.shape().first().copied().unwrap_or(1);
                            a.write_raw(&v[..n.min(2)])
                        });
                }
            }
        }
    }
    Ok(())
}

/// Feed one input to the parser(s) of `target`; errors are fine, the result is dropped.
fn run_target(target: &str, file: &Path, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let elements = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match target {
        "deck" => {
            let _ = Deck::parse(file, &text);
            let _ = TransportDeck::parse(file, &text);
            let _ = SkParameters::parse(file, &text);
        }
        "data" => {
            let _ = DataFile::parse(file, &text);
        }
        "eam" => {
            let _ = Funcfl::read(file);
            let _ = Setfl::read(file, false);
            let _ = Setfl::read(file, true);
            let files = [file.to_path_buf()];
            for (style, el) in [
                (EamStyle::Funcfl, elements(&[])),
                (EamStyle::Alloy, elements(&["Cu", "Ni"])),
                (EamStyle::Alloy, elements(&["Au"])),
                (EamStyle::Fs, elements(&["Al", "Fe"])),
            ] {
                let _ = Eam::new(style, &files, &el, el.len().max(1));
            }
        }
        "reaxff" => {
            let _ = ForceField::read(file, true);
            for el in [
                elements(&["Ag", "O"]),
                elements(&["Au", "O"]),
                elements(&["Zn"]),
            ] {
                let _ = ReaxFF::new(file, &el, Some(QeqSettings::default()));
            }
        }
        "skf" => {
            if let Ok(t) = SkfTables::parse(file, &text) {
                let _ = Dftb::new(t);
            }
        }
        "kwant" => {
            let _ = parse_system_json(&text, file);
        }
        "dump" => {
            let _ = read_dump(file);
        }
        "h5md" => {
            if let Ok(rd) = H5mdReader::open(file) {
                for k in 0..rd.n_frames().min(4) {
                    let _ = rd.frame(k);
                }
                let _ = rd.species_names();
                for name in rd.observable_names() {
                    let _ = rd.observable(&name);
                }
            }
        }
        other => {
            eprintln!("unknown target '{other}'");
            std::process::exit(2);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 6 {
        eprintln!("usage: fuzz_parsers TARGET SECONDS SEED WORKDIR SEEDFILE..");
        std::process::exit(2);
    }
    let target = args[1].as_str();
    let seconds: u64 = args[2].parse().expect("SECONDS: a whole number");
    let mut rng = Rng(Xoshiro256PlusPlus::seed_from_u64(
        args[3].parse().expect("SEED: a whole number"),
    ));
    let work = PathBuf::from(&args[4]);
    std::fs::create_dir_all(&work).expect("WORKDIR cannot be created");
    let seeds: Vec<(PathBuf, Vec<u8>)> = args[5..]
        .iter()
        .map(|p| {
            (
                PathBuf::from(p),
                std::fs::read(p).expect("unreadable seed file"),
            )
        })
        .collect();
    let current = work.join("current");
    let message = Arc::new(Mutex::new(String::new()));
    let m = Arc::clone(&message);
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut s) = m.lock() {
            *s = info.to_string();
        }
    }));
    hdf5::silence_errors(true);
    let start = Instant::now();
    let (mut execs, mut panics) = (0u64, 0u64);
    while start.elapsed() < Duration::from_secs(seconds) {
        let (seed_path, seed) = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())].1;
        let input_path = work.join(format!(
            "input.{}",
            seed_path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("txt")
        ));
        let bytes = if target == "h5md" && rng.chance(4, 5) {
            std::fs::write(&input_path, seed).expect("write input");
            let _ = mutate_h5md(&input_path, &mut rng);
            std::fs::read(&input_path).expect("read input")
        } else {
            let b = mutate(seed, other, &mut rng);
            std::fs::write(&input_path, &b).expect("write input");
            b
        };
        std::fs::write(&current, &bytes).expect("write current");
        let outcome = catch_unwind(AssertUnwindSafe(|| run_target(target, &input_path, &bytes)));
        execs += 1;
        if outcome.is_err() {
            panics += 1;
            let crash = work.join(format!("crash-{panics}"));
            std::fs::write(&crash, &bytes).expect("write crash");
            let msg = message.lock().map(|s| s.clone()).unwrap_or_default();
            std::fs::write(crash.with_extension("txt"), format!("{msg}\n"))
                .expect("write crash message");
            println!("panic {panics} (seed {}): {msg}", seed_path.display());
        }
    }
    let _ = std::fs::remove_file(&current);
    println!(
        "{target} execs={execs} panics={panics} seconds={}",
        start.elapsed().as_secs()
    );
}
