//! Every kind of neighbour list on request gives the same pair sum at 1, 2, 3 and 4 ranks: a
//! half list over owned atoms (Newton across ranks), a full list, and half and full lists that
//! include ghost atoms (ghost–ghost pairs too), all built from one binning. A pair function
//! φ(r) = (r_c − r)² is summed with each list's weights:
//! - half: 1; full: ½;
//! - half with ghosts: 1 for owned–owned, ½ for owned–ghost, 0 for ghost–ghost;
//! - full with ghosts: ½ over the owned rows.
//!
//! Every sum must equal the 1-rank half-list sum to round-off, and the lists with ghosts must
//! hold ghost–ghost pairs. This test has its own `main` (`harness = false`): run by
//! `cargo test` it starts itself under `mpirun` at each rank count.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use nanocontact::dynamics::Md;
use nanocontact::error::Result;
use nanocontact::neighbor::{ListRequest, NeighborList};
use nanocontact::parallel::Comm;
use nanocontact::potential::{Potential, Tally};
use nanocontact::system::{Atoms, Groups};

const CUT: f64 = 5.0;

/// Sums φ over the pairs of four lists into `out` (this rank): half, full, half with ghosts,
/// full with ghosts, and the number of ghost–ghost pairs of the half list with ghosts.
struct FourLists(Rc<RefCell<[f64; 5]>>);

fn phi(a: &Atoms, i: usize, j: usize) -> f64 {
    let d: f64 = (0..3)
        .map(|k| (a.x[i][k] - a.x[j][k]).powi(2))
        .sum::<f64>()
        .sqrt();
    if d < CUT {
        (CUT - d).powi(2)
    } else {
        0.0
    }
}

impl Potential for FourLists {
    fn describe(&self) -> String {
        "four lists".into()
    }
    fn cutoff(&self) -> f64 {
        CUT
    }
    fn type_masses(&self) -> Vec<Option<f64>> {
        vec![Some(1.0)]
    }
    fn neighbor_requests(&self) -> Vec<ListRequest> {
        let h = ListRequest::half(CUT);
        let f = ListRequest::full(CUT);
        vec![h, f, h.with_ghosts(), f.with_ghosts()]
    }
    fn compute(&mut self, a: &mut Atoms, lists: &[NeighborList], _: &mut Comm) -> Result<Tally> {
        let n = a.nlocal;
        let mut s = [0.0; 5];
        for i in 0..n {
            for &j in lists[0].of(i) {
                s[0] += phi(a, i, j as usize);
            }
            for &j in lists[1].of(i) {
                s[1] += 0.5 * phi(a, i, j as usize);
            }
            for &j in lists[3].of(i) {
                s[3] += 0.5 * phi(a, i, j as usize);
            }
        }
        for i in 0..a.nall() {
            for &j in lists[2].of(i) {
                let j = j as usize;
                let w = match (i < n, j < n) {
                    (true, true) => 1.0,
                    (false, false) => {
                        s[4] += 1.0;
                        0.0
                    }
                    _ => 0.5,
                };
                s[2] += w * phi(a, i, j);
            }
        }
        *self.0.borrow_mut() = s;
        Ok(Tally::default())
    }
}

/// Under mpirun: the four sums of a displaced periodic fcc crystal, one JSON line on rank 0.
fn check_under_mpi() {
    let (_universe, world) = common::mpi_world();
    let (simbox, mut all, _) = common::fcc_crystal([6, 5, 4], 1.0);
    for (k, x) in all.x.iter_mut().enumerate() {
        // A deterministic displacement, so that no two distances are equal.
        let u = [0.13, 0.07, 0.11].map(|a: f64| a * ((k as f64 + 1.0) * a * 37.0).sin());
        for (xd, ud) in x.iter_mut().zip(u) {
            *xd += ud;
        }
    }
    let sums = Rc::new(RefCell::new([0.0; 5]));
    let pot = Box::new(FourLists(sums.clone()));
    let mut md = Md::new(simbox, all, Groups::default(), pot, 0.5, world, None).unwrap();
    md.setup().unwrap();
    let mut s = *sums.borrow();
    md.world.sum(&mut s);
    if md.world.is_root() {
        let v = serde_json::json!({"ranks": md.world.size(), "sums": s});
        println!("{v}");
    }
}

fn main() {
    if std::env::var_os("OMPI_COMM_WORLD_SIZE").is_some() {
        check_under_mpi();
        return;
    }
    let mut reference = None;
    for np in 1..=4 {
        let v: serde_json::Value = serde_json::from_str(common::mpirun_self_ok(np).trim()).unwrap();
        let s: Vec<f64> = v["sums"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        let e = *reference.get_or_insert(s[0]);
        for (k, name) in ["half", "full", "half with ghosts", "full with ghosts"]
            .iter()
            .enumerate()
        {
            let d = (s[k] - e).abs() / e;
            assert!(
                d < 1e-12,
                "{name} list at {np} ranks: {} vs {e} (rel {d:e})",
                s[k]
            );
        }
        assert!(
            s[4] > 0.0,
            "{np} ranks: no ghost–ghost pair in the list with ghosts"
        );
        println!(
            "neighbor_lists at {np} rank(s): pair sum {e:.12e} from all four lists, {} \
             ghost–ghost pairs",
            s[4]
        );
    }
    println!("neighbor_lists: 4 passed, 0 failed");
}
