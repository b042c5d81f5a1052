//! Wall-clock accounting by task, printed at the end of a run like LAMMPS's
//! "MPI task timing breakdown" (Pair / Neigh / Comm / Output / Modify / Other), with one row per
//! step hook (as LAMMPS's `timer full` shows each fix).

use std::time::Instant;

/// Task categories of the timing table.
#[derive(Clone, Copy, Debug)]
pub enum Task {
    Pair = 0,
    Neigh = 1,
    Comm = 2,
    Output = 3,
    Modify = 4,
}

/// Names of the tasks in table order.
pub const TASK_NAMES: [&str; 5] = ["Pair", "Neigh", "Comm", "Output", "Modify"];

/// Accumulated seconds per task.
#[derive(Clone, Debug, Default)]
pub struct Timers {
    pub seconds: [f64; 5],
}

impl Timers {
    /// Run `f`, adding its wall time to `task`.
    #[inline]
    pub fn time<T>(&mut self, task: Task, f: impl FnOnce() -> T) -> T {
        let t0 = Instant::now();
        let r = f();
        self.seconds[task as usize] += t0.elapsed().as_secs_f64();
        r
    }

    /// Add elapsed time since `t0` to `task`.
    pub fn add(&mut self, task: Task, t0: Instant) {
        self.seconds[task as usize] += t0.elapsed().as_secs_f64();
    }

    /// The breakdown table for a loop of `total` seconds, with the step hooks' rows (name,
    /// seconds) after the tasks.
    pub fn table(&self, total: f64, hooks: &[(String, f64)]) -> String {
        let mut s =
            String::from("Section    |  time (s)  | %total\n-----------+------------+-------\n");
        let mut sum = 0.0;
        let tasks = TASK_NAMES.iter().map(|n| n.to_string()).zip(self.seconds);
        for (name, secs) in tasks.chain(hooks.iter().cloned()) {
            sum += secs;
            s += &format!(
                "{name:<10} | {secs:>10.4} | {:>5.1}\n",
                100.0 * secs / total.max(1e-300)
            );
        }
        let other = (total - sum).max(0.0);
        s += &format!(
            "Other      | {other:>10.4} | {:>5.1}\n",
            100.0 * other / total.max(1e-300)
        );
        s
    }
}
