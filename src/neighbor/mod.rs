//! Verlet neighbour lists on request, with a skin: each user (a potential, a step hook) asks for
//! lists by cutoff, half or full, over owned atoms or including ghost–ghost pairs
//! ([`ListRequest`]). All lists are built from one binning of the atoms and rebuilt together,
//! and stay valid until some owned atom has moved more than skin/2 since the build (the check of
//! LAMMPS `neigh_modify check yes`).

mod bins;
mod list;

pub use list::{ListRequest, NeighborList};

use bins::Bins;

use crate::system::Atoms;

/// Handle of one user's lists: a range of [`NeighborLists`], in the order requested.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListSet {
    start: usize,
    len: usize,
}

/// Every neighbour list of the run.
#[derive(Clone, Debug, Default)]
pub struct NeighborLists {
    lists: Vec<NeighborList>,
    /// Skin, Å.
    pub skin: f64,
    /// Owned positions at the last build, for the skin/2 displacement check.
    x_build: Vec<[f64; 3]>,
    bins: Bins,
    /// Number of builds so far.
    pub builds: u64,
}

impl NeighborLists {
    /// No lists yet, with the given skin (Å).
    pub fn new(skin: f64) -> Self {
        NeighborLists {
            skin,
            ..Default::default()
        }
    }

    /// Add one user's lists; they are built at the next [`NeighborLists::build`].
    pub fn request(&mut self, requests: &[ListRequest]) -> ListSet {
        let start = self.lists.len();
        self.lists
            .extend(requests.iter().map(|&r| NeighborList::new(r)));
        ListSet {
            start,
            len: requests.len(),
        }
    }

    /// The lists of one user, in the order requested.
    pub fn get(&self, set: ListSet) -> &[NeighborList] {
        &self.lists[set.start..set.start + set.len]
    }

    /// Largest neighbour cutoff r_c + skin over all lists (the ghost layer must reach it), Å.
    pub fn cutneigh(&self) -> f64 {
        self.lists
            .iter()
            .map(|l| l.request.cutoff)
            .fold(0.0, f64::max)
            + self.skin
    }

    /// Whether some owned atom moved more than skin/2 since the last build (this rank; callers
    /// reduce the flag over all ranks).
    pub fn moved_too_far(&self, atoms: &Atoms) -> bool {
        if self.x_build.len() != atoms.nlocal {
            return true;
        }
        let trigger = 0.25 * self.skin * self.skin;
        atoms.x[..atoms.nlocal]
            .iter()
            .zip(&self.x_build)
            .any(|(x, x0)| {
                let d = [x[0] - x0[0], x[1] - x0[1], x[2] - x0[2]];
                d[0] * d[0] + d[1] * d[1] + d[2] * d[2] > trigger
            })
    }

    /// Rebuild every list from the owned and ghost positions, with one binning sized for the
    /// largest cutoff.
    pub fn build(&mut self, atoms: &Atoms) {
        self.builds += 1;
        self.x_build.clear();
        self.x_build.extend_from_slice(&atoms.x[..atoms.nlocal]);
        if atoms.nall() > 0 {
            self.bins.build(&atoms.x, self.cutneigh());
        }
        for l in self.lists.iter_mut() {
            let cut = l.request.cutoff + self.skin;
            l.build(atoms, &self.bins, cut);
        }
    }
}
