//! Round trips of the H5MD writer and reader, and a file left by a killed writer.

use std::path::Path;

use hdf5::types::{FixedAscii, VarLenAscii};

use super::layout::read_str_attr;
use super::*;
use crate::io::test_support::{small_system, test_dir};
use crate::system::{Atoms, Boundary, SimBox};
use std::sync::{Mutex, MutexGuard};

/// HDF5 1.10 locks open files with flock(), and a forked child inherits the lock of every
/// file open in the parent at the time. The killed-writer test forks, so the tests that hold
/// HDF5 files run one at a time.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn check_frame(f: &H5mdFrame, step: u64, time_ps: f64, b: &SimBox, a: &Atoms) {
    assert_eq!(f.step, step);
    assert_eq!(f.time_ps, time_ps);
    assert_eq!(&f.simbox, b);
    let order = a.order_by_id();
    assert_eq!(f.ids, order.iter().map(|&i| a.id[i]).collect::<Vec<_>>());
    assert_eq!(f.types, order.iter().map(|&i| a.typ[i]).collect::<Vec<_>>());
    assert_eq!(
        f.positions,
        order.iter().map(|&i| a.x[i]).collect::<Vec<_>>()
    );
    assert_eq!(
        f.images,
        order.iter().map(|&i| a.image[i]).collect::<Vec<_>>()
    );
    assert_eq!(
        f.velocities,
        order.iter().map(|&i| a.v[i]).collect::<Vec<_>>()
    );
    // Stored in kJ/(mol Å) and converted back: the same two roundings.
    let k = crate::units::KJ_PER_MOL_PER_EV;
    assert_eq!(
        f.forces,
        order
            .iter()
            .map(|&i| a.f[i].map(|c| c * k / k))
            .collect::<Vec<_>>()
    );
}

#[test]
fn three_frames_round_trip_exactly() {
    let _serial = serial();
    let dir = test_dir("h5md_roundtrip");
    let path = dir.join("traj.h5");
    let frames: Vec<(SimBox, Atoms)> = (0..3).map(small_system).collect();
    let mut w = H5mdWriter::create(&path, &["Au", "Ag"], "Test Author").unwrap();
    w.declare_observable("pe", "eV").unwrap();
    for (k, (b, a)) in frames.iter().enumerate() {
        w.append_frame(50 * k as u64, 0.05 * k as f64, b, a)
            .unwrap();
        w.append_observables(
            50 * k as u64,
            0.05 * k as f64,
            &[("pe", -3.5 * k as f64), ("temp", 300.0 + k as f64)],
        )
        .unwrap();
    }
    assert_eq!(w.n_frames(), 3);
    w.flush().unwrap();
    drop(w);

    let r = H5mdReader::open(&path).unwrap();
    assert_eq!(r.n_frames(), 3);
    assert_eq!(r.species_names(), ["Au", "Ag"]);
    for (k, (b, a)) in frames.iter().enumerate() {
        check_frame(&r.frame(k).unwrap(), 50 * k as u64, 0.05 * k as f64, b, a);
    }
    assert!(r.frame(3).is_err());
    let mut names = r.observable_names();
    names.sort();
    assert_eq!(names, ["pe", "temp"]);
    let pe = r.observable("pe").unwrap();
    assert_eq!(pe.steps, [0, 50, 100]);
    assert_eq!(pe.times_ps, [0.0, 0.05, 0.1]);
    assert_eq!(pe.values, [0.0, -3.5, -7.0]);
    assert!(r.observable("nope").is_err());

    // Layout details required by H5MD 1.1.
    let f = hdf5::File::open(&path).unwrap();
    let v: Vec<i32> = f
        .group("h5md")
        .unwrap()
        .attr("version")
        .unwrap()
        .read_raw()
        .unwrap();
    assert_eq!(v, [1, 1]);
    assert_eq!(
        read_str_attr(&f.group("h5md/creator").unwrap(), "name").unwrap(),
        "nanocontact"
    );
    assert_eq!(
        read_str_attr(&f.group("h5md/author").unwrap(), "name").unwrap(),
        "Test Author"
    );
    let bx = f.group("particles/all/box").unwrap();
    assert_eq!(
        bx.attr("dimension").unwrap().read_scalar::<i32>().unwrap(),
        3
    );
    let bnd: Vec<FixedAscii<8>> = bx.attr("boundary").unwrap().read_raw().unwrap();
    assert_eq!(
        bnd.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        ["periodic", "periodic", "none"]
    );
    assert_eq!(
        f.dataset("particles/all/position/value").unwrap().shape(),
        [3, 5, 3]
    );
    assert_eq!(
        f.dataset("particles/all/box/edges/value").unwrap().shape(),
        [3, 3]
    );
    let unit: VarLenAscii = f
        .dataset("particles/all/velocity/value")
        .unwrap()
        .attr("unit")
        .unwrap()
        .read_scalar()
        .unwrap();
    assert_eq!(unit.as_str(), "Angstrom ps-1");
    // step and time are shared by hard links.
    let s1: Vec<i64> = f
        .dataset("particles/all/box/edges/step")
        .unwrap()
        .read_raw()
        .unwrap();
    assert_eq!(s1, [0, 50, 100]);
    drop(f);
    drop(r);

    if let Ok(out) = std::process::Command::new("h5dump")
        .arg("-H")
        .arg(&path)
        .output()
    {
        assert!(
            out.status.success(),
            "h5dump -H failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("GROUP \"h5md\""), "{text}");
    } else {
        eprintln!("h5dump not on PATH: skipping the h5dump check");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn atom_count_changes_and_errors() {
    let _serial = serial();
    let dir = test_dir("h5md_natoms");
    let path = dir.join("traj.h5");
    let (b, a) = small_system(0);
    // Frame 0: 3 atoms; frame 1: all 5 (the atom axis grows); frame 2: 2 atoms (padded).
    let mut few = a.clone();
    few.clear_ghosts();
    few.swap_remove_owned(0);
    few.swap_remove_owned(0);
    let mut fewer = few.clone();
    fewer.swap_remove_owned(0);
    let mut w = H5mdWriter::create(&path, &["Au", "Ag"], "").unwrap();
    w.append_frame(0, 0.0, &b, &few).unwrap();
    w.append_frame(10, 0.01, &b, &a).unwrap();
    w.append_frame(20, 0.02, &b, &fewer).unwrap();
    assert!(w.append_frame(5, 0.005, &b, &a).is_err(), "decreasing step");
    let mut other = b.clone();
    other.boundary[2] = Boundary::Periodic;
    assert!(
        w.append_frame(30, 0.03, &other, &a).is_err(),
        "changed boundary"
    );
    assert!(w.append_observable("a/b", 0, 0.0, 1.0).is_err());
    let mut bad = a.clone();
    bad.typ[0] = 2;
    assert!(
        w.append_frame(40, 0.04, &b, &bad).is_err(),
        "type without species name"
    );
    drop(w);
    let r = H5mdReader::open(&path).unwrap();
    assert_eq!(r.n_frames(), 3);
    check_frame(&r.frame(0).unwrap(), 0, 0.0, &b, &few);
    check_frame(&r.frame(1).unwrap(), 10, 0.01, &b, &a);
    check_frame(&r.frame(2).unwrap(), 20, 0.02, &b, &fewer);
    assert!(H5mdReader::open(&dir.join("missing.h5")).is_err());
    std::fs::write(dir.join("text.h5"), "not hdf5").unwrap();
    assert!(H5mdReader::open(&dir.join("text.h5")).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Environment variable that makes [`killed_writer_child`] write a file and abort.
const CHILD_ENV: &str = "NANOCONTACT_H5MD_KILLED_WRITER";

/// Child half of [`file_survives_a_killed_writer`]: a no-op unless `CHILD_ENV` names a path.
#[test]
fn killed_writer_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let mut w = H5mdWriter::create(Path::new(&path), &["Au", "Ag"], "child").unwrap();
    for k in 0..2 {
        let (b, a) = small_system(k);
        w.append_frame(k as u64, 0.001 * k as f64, &b, &a).unwrap();
        w.append_observable("pe", k as u64, 0.001 * k as f64, -(k as f64))
            .unwrap();
    }
    // Stop without closing the file, as a killed run would.
    std::process::abort();
}

#[test]
fn file_survives_a_killed_writer() {
    let _serial = serial();
    let dir = test_dir("h5md_killed");
    let path = dir.join("traj.h5");
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "io::h5md::tests::killed_writer_child",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child should have aborted");
    let r = H5mdReader::open(&path).unwrap();
    assert_eq!(r.n_frames(), 2);
    for k in 0..2 {
        let (b, a) = small_system(k);
        check_frame(&r.frame(k).unwrap(), k as u64, 0.001 * k as f64, &b, &a);
    }
    assert_eq!(r.observable("pe").unwrap().values, [0.0, -1.0]);
    drop(r);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Set the `unit` attribute of `name` in the particle group.
fn set_unit(f: &hdf5::File, name: &str, unit: &str) {
    let ds = f.dataset(&format!("particles/all/{name}")).unwrap();
    ds.delete_attr("unit").unwrap();
    super::layout::write_unit(&ds, unit).unwrap();
}

#[test]
fn files_with_the_old_units_read_as_they_are_and_unknown_units_are_refused() {
    let _serial = serial();
    let dir = test_dir("h5md_old_units");
    let path = dir.join("traj.h5");
    let (b, a) = small_system(1);
    let mut w = H5mdWriter::create(&path, &["Au", "Ag"], "").unwrap();
    w.append_frame(0, 0.0, &b, &a).unwrap();
    drop(w);
    // The file as the writer wrote it before 2026-12: eV/Å forces and `Ang` lengths.
    {
        let f = hdf5::File::open_rw(&path).unwrap();
        let order = a.order_by_id();
        let ev: Vec<f64> = order.iter().flat_map(|&i| a.f[i]).collect();
        let view = ndarray::ArrayView2::from_shape((order.len(), 3), &ev).unwrap();
        f.dataset("particles/all/force/value")
            .unwrap()
            .as_writer()
            .write_slice(view, ndarray::s![0, .., ..])
            .unwrap();
        set_unit(&f, "force/value", "eV Ang-1");
        set_unit(&f, "velocity/value", "Ang ps-1");
        set_unit(&f, "position/value", "Ang");
        set_unit(&f, "box/edges/value", "Ang");
    }
    let r = H5mdReader::open(&path).unwrap();
    let fr = r.frame(0).unwrap();
    let order = a.order_by_id();
    assert_eq!(fr.forces, order.iter().map(|&i| a.f[i]).collect::<Vec<_>>());
    assert_eq!(
        fr.positions,
        order.iter().map(|&i| a.x[i]).collect::<Vec<_>>()
    );
    drop(r);
    for (name, unit) in [
        ("force/value", "hartree bohr-1"),
        ("position/value", "nm"),
        ("velocity/value", "m s-1"),
    ] {
        {
            let f = hdf5::File::open_rw(&path).unwrap();
            set_unit(&f, name, unit);
        }
        let e = H5mdReader::open(&path).unwrap_err().to_string();
        assert!(e.contains(name) && e.contains(unit), "{e}");
        let f = hdf5::File::open_rw(&path).unwrap();
        let back = match name {
            "force/value" => "eV Ang-1",
            "position/value" => "Angstrom",
            _ => "Angstrom ps-1",
        };
        set_unit(&f, name, back);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Datasets of the wrong shape (found by bench/fuzz): the reader names the dataset in an
/// error instead of indexing past the end (it panicked on each of these).
#[test]
fn malformed_per_atom_datasets_are_errors() {
    let _serial = serial();
    let dir = test_dir("h5md_malformed");
    let (b, a) = small_system(0);
    let n = a.nlocal;
    // (dataset, shape written in its place, what the message names)
    let cases: [(&str, Vec<usize>, &str); 5] = [
        (
            "position/value",
            vec![1, n, 2],
            "position/value has 2 components",
        ),
        ("force/value", vec![1, n, 4], "force/value has 4 components"),
        ("image/value", vec![1, n, 2], "image/value has 2 components"),
        ("species/value", vec![1, n - 1], "species/value has"),
        (
            "velocity/value",
            vec![1, 0, 3],
            "velocity/value has 0 atoms",
        ),
    ];
    for (k, (name, shape, expect)) in cases.iter().enumerate() {
        let path = dir.join(format!("bad{k}.h5"));
        let mut w = H5mdWriter::create(&path, &["Au", "Ag"], "Test Author").unwrap();
        w.append_frame(0, 0.0, &b, &a).unwrap();
        drop(w);
        {
            let f = hdf5::File::open_rw(&path).unwrap();
            let full = format!("{}/{name}", layout::PARTICLE_GROUP);
            f.unlink(&full).unwrap();
            let len: usize = shape.iter().product();
            let (parent, leaf) = full.rsplit_once('/').unwrap();
            let g = f.group(parent).unwrap();
            if *name == "image/value" || *name == "species/value" {
                let v = ndarray::ArrayD::from_shape_vec(shape.clone(), vec![0i32; len]).unwrap();
                g.new_dataset_builder().with_data(&v).create(leaf).unwrap();
            } else {
                let v = ndarray::ArrayD::from_shape_vec(shape.clone(), vec![1.0f64; len]).unwrap();
                g.new_dataset_builder().with_data(&v).create(leaf).unwrap();
            }
        }
        let r = H5mdReader::open(&path).unwrap();
        let err = r.frame(0).expect_err(name).to_string();
        assert!(err.contains(expect), "{name}: {err}");
    }
}

/// A dataset declaring far more data than the file holds (found by bench/fuzz in a damaged
/// header; here a chunked dataset of 2^40 samples, none written): an error naming it, not an
/// allocation of terabytes.
#[test]
fn datasets_declaring_more_than_the_file_holds_are_errors() {
    let _serial = serial();
    let dir = test_dir("h5md_huge");
    let path = dir.join("traj.h5");
    let (b, a) = small_system(0);
    let mut w = H5mdWriter::create(&path, &["Au", "Ag"], "Test Author").unwrap();
    w.declare_observable("pe", "eV").unwrap();
    w.append_frame(0, 0.0, &b, &a).unwrap();
    w.append_observables(0, 0.0, &[("pe", -1.0)]).unwrap();
    drop(w);
    {
        let f = hdf5::File::open_rw(&path).unwrap();
        let g = f.group("observables/pe").unwrap();
        g.unlink("value").unwrap();
        g.new_dataset::<f64>()
            .chunk(1024)
            .shape(1usize << 40)
            .create("value")
            .unwrap();
    }
    let r = H5mdReader::open(&path).unwrap();
    let err = r.observable("pe").expect_err("2^40 samples").to_string();
    assert!(err.contains("observables/pe/value declares"), "{err}");
    assert!(r.frame(0).is_ok());
}
