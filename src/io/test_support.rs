//! Helpers shared by the unit tests of the file formats.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::system::{Atoms, Boundary, SimBox};

/// A fresh, empty folder under the system temporary directory, unique to this process and call.
pub(crate) fn test_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let k = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("nanocontact-io-{}-{k}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A small two-type system in a `p p f` box: owned atoms stored out of id order, values that
/// need all 17 digits, one ghost atom (which writers must ignore). `frame` varies the values.
pub(crate) fn small_system(frame: usize) -> (SimBox, Atoms) {
    let simbox = SimBox::new(
        [-1.5, 0.0, -10.0 - frame as f64],
        [14.82, 16.32, 30.125 + 0.1 * frame as f64],
        [Boundary::Periodic, Boundary::Periodic, Boundary::Fixed],
    );
    let mut atoms = Atoms::with_types(vec![196.96657, 107.8682]);
    let ids = [7u64, 2, 11, 1, 5];
    for (k, &id) in ids.iter().enumerate() {
        let s = (k + 1) as f64 + 0.37 * frame as f64;
        let x = [s / 3.0, 2.0 * s / 7.0, -s / 11.0];
        let v = [0.1 / s, -0.2 * s, 1e-17 * s];
        atoms.push_owned(id, (id % 2) as u32, x, v);
        atoms.f[k] = [s.sqrt(), -1.0 / (s * 13.0), 6.02e-3 * s];
        atoms.image[k] = [k as i32 - 2, frame as i32, 0];
    }
    atoms.push_ghost(7, 1, [100.0, 100.0, 100.0], &[]);
    (simbox, atoms)
}
