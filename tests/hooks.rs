//! Step hooks and the failure path of the MD core (issue 17, items 2 and 4): hooks are called
//! at their points of the step in order, a post-force hook's forces, energy and virial join
//! the potential's, and an error from a hook or a potential stops the step with its message.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use nanocontact::dynamics::hooks::Hook;
use nanocontact::dynamics::{verlet, Md};
use nanocontact::error::{Error, Result};
use nanocontact::neighbor::ListSet;
use nanocontact::potential::Tally;

/// Records the phases it is called at.
struct Recorder {
    log: Rc<RefCell<Vec<&'static str>>>,
    split: bool,
}

impl Hook<Md> for Recorder {
    fn name(&self) -> &str {
        "Recorder"
    }
    fn splits_drift(&self) -> bool {
        self.split
    }
    fn pre_integrate(&mut self, _: &mut Md) -> Result<()> {
        self.log.borrow_mut().push("pre_integrate");
        Ok(())
    }
    fn mid_drift(&mut self, _: &mut Md) -> Result<()> {
        self.log.borrow_mut().push("mid_drift");
        Ok(())
    }
    fn post_integrate(&mut self, _: &mut Md) -> Result<()> {
        self.log.borrow_mut().push("post_integrate");
        Ok(())
    }
    fn pre_force(&mut self, _: &mut Md, _: ListSet) -> Result<()> {
        self.log.borrow_mut().push("pre_force");
        Ok(())
    }
    fn post_force(&mut self, _: &mut Md, _: ListSet) -> Result<Tally> {
        self.log.borrow_mut().push("post_force");
        Ok(Tally::default())
    }
    fn end_of_step(&mut self, _: &mut Md) -> Result<()> {
        self.log.borrow_mut().push("end_of_step");
        Ok(())
    }
}

#[test]
fn hooks_run_at_their_points_in_order() {
    for split in [false, true] {
        let mut md = common::nve_reference_md();
        let log = Rc::new(RefCell::new(Vec::new()));
        md.add_hook(Box::new(Recorder {
            log: log.clone(),
            split,
        }));
        md.setup().unwrap();
        verlet::step(&mut md).unwrap();
        let mut want = vec!["pre_force", "post_force", "pre_integrate"];
        if split {
            want.push("mid_drift");
        }
        want.extend(["post_integrate", "pre_force", "post_force", "end_of_step"]);
        assert_eq!(*log.borrow(), want);
        let rows = md.hooks.timings();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, "Recorder");
    }
}

/// A uniform force on every owned atom, as LAMMPS `fix addforce` with its energy −F·x.
struct UniformForce([f64; 3]);

impl Hook<Md> for UniformForce {
    fn name(&self) -> &str {
        "Addforce"
    }
    fn post_force(&mut self, md: &mut Md, _: ListSet) -> Result<Tally> {
        let mut t = Tally::default();
        let a = &mut md.atoms;
        for i in 0..a.nlocal {
            for k in 0..3 {
                a.f[i][k] += self.0[k];
                t.pe -= self.0[k] * a.x[i][k];
            }
            let (x, f) = (a.x[i], self.0);
            let w = [
                x[0] * f[0],
                x[1] * f[1],
                x[2] * f[2],
                x[0] * f[1],
                x[0] * f[2],
                x[1] * f[2],
            ];
            for (v, wk) in t.virial.iter_mut().zip(w) {
                *v += wk;
            }
        }
        Ok(t)
    }
}

#[test]
fn post_force_hook_adds_forces_energy_and_virial() {
    let plain = common::nve_reference_md();
    let mut md = common::nve_reference_md();
    let f0 = [0.01, -0.02, 0.03];
    md.add_hook(Box::new(UniformForce(f0)));
    md.setup().unwrap();
    let (a, b) = (&plain.atoms, &md.atoms);
    let mut e_hook = 0.0;
    for i in 0..a.nlocal {
        assert_eq!(a.id[i], b.id[i]);
        for (k, fk) in f0.iter().enumerate() {
            assert!((b.f[i][k] - a.f[i][k] - fk).abs() < 1e-12);
            e_hook -= fk * a.x[i][k];
        }
    }
    let (t0, t1) = (plain.global_tally(), md.global_tally());
    assert!((t1.pe - t0.pe - e_hook).abs() < 1e-9 * e_hook.abs().max(1.0));
    assert_ne!(t1.virial, t0.virial);
    // The momentum grows by N F0 t under the uniform force alone (EAM forces sum to zero).
    let n = md.atoms.nlocal as f64;
    let p0 = common::momentum(&md);
    for _ in 0..10 {
        verlet::step(&mut md).unwrap();
    }
    let p1 = common::momentum(&md);
    let t = 10.0 * md.dt;
    for (k, fk) in f0.iter().enumerate() {
        let want = n * fk * t * nanocontact::units::FTM2V;
        assert!(((p1[k] - p0[k]) - want).abs() < 1e-9 * want.abs(), "{k}");
    }
}

/// A hook whose solve does not converge.
struct FailingSolve;

impl Hook<Md> for FailingSolve {
    fn name(&self) -> &str {
        "QEq"
    }
    fn pre_force(&mut self, _: &mut Md, _: ListSet) -> Result<()> {
        Err(Error::run("qeq: 200 iterations, residual 3.1e-4 > 1e-10"))
    }
}

#[test]
fn a_failing_hook_stops_the_step_with_its_message() {
    let mut md = common::nve_reference_md();
    md.add_hook(Box::new(FailingSolve));
    let e = verlet::step(&mut md).unwrap_err();
    assert!(e.to_string().contains("residual 3.1e-4"), "{e}");
    // Its slot is back in place after the error: the hook is still found.
    assert!(md.hooks.find::<FailingSolve>().is_some());
}

/// A hook with a neighbour list of its own; records the pairs it found.
struct ListUser(Rc<RefCell<usize>>);

impl Hook<Md> for ListUser {
    fn name(&self) -> &str {
        "ListUser"
    }
    fn neighbor_requests(&self) -> Vec<nanocontact::neighbor::ListRequest> {
        vec![nanocontact::neighbor::ListRequest::half(3.0)]
    }
    fn pre_force(&mut self, md: &mut Md, lists: ListSet) -> Result<()> {
        let l = &md.lists.get(lists)[0];
        assert_eq!(l.nrows(), md.atoms.nlocal, "the hook's list is not built");
        *self.0.borrow_mut() = l.npairs();
        Ok(())
    }
}

#[test]
fn a_hook_added_after_setup_gets_its_lists_before_its_first_call() {
    let mut md = common::nve_reference_md();
    let builds = md.lists.builds;
    let pairs = Rc::new(RefCell::new(0));
    md.add_hook(Box::new(ListUser(pairs.clone())));
    verlet::step(&mut md).unwrap();
    assert_eq!(md.lists.builds, builds + 1);
    // 256 fcc atoms, 12 neighbours each within 3 + skin Å: at least 6 per atom in a half list.
    assert!(*pairs.borrow() >= 6 * 256, "{} pairs", pairs.borrow());
}
