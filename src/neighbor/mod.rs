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

    /// The owned atoms' positions at the last build (what [`Self::moved_too_far`] compares to).
    pub fn x_build(&self) -> &[[f64; 3]] {
        &self.x_build
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Owned and ghost atoms at pseudo-random positions in a 12 Å cube.
    fn atoms() -> Atoms {
        let mut a = Atoms::with_types(vec![1.0]);
        let mut s = 12345u64;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64 * 12.0
        };
        let pts: Vec<[f64; 3]> = (0..300).map(|_| [next(), next(), next()]).collect();
        for (k, p) in pts[..200].iter().enumerate() {
            a.push_owned(k as u64 + 1, 0, *p, [0.0; 3]);
        }
        for (k, p) in pts[200..].iter().enumerate() {
            a.push_ghost(1000 + k as u64, 0, *p, &[]);
        }
        a
    }

    fn brute(a: &Atoms, r: &ListRequest, cut: f64) -> Vec<(usize, usize)> {
        let rows = if r.ghosts { a.nall() } else { a.nlocal };
        let mut v = Vec::new();
        for i in 0..rows {
            for j in 0..a.nall() {
                let d: f64 = (0..3).map(|k| (a.x[i][k] - a.x[j][k]).powi(2)).sum();
                let keep = match (r.half, r.ghosts) {
                    (true, false) if j < a.nlocal => j > i,
                    (true, false) => {
                        (a.x[j][2], a.x[j][1], a.x[j][0]) > (a.x[i][2], a.x[i][1], a.x[i][0])
                    }
                    (true, true) => j > i,
                    (false, _) => j != i,
                };
                if keep && d < cut * cut {
                    v.push((i, j));
                }
            }
        }
        v.sort_unstable();
        v
    }

    #[test]
    fn every_kind_of_list_equals_brute_force() {
        check_against_brute_force(&atoms());
    }

    /// Atoms in one plane (a flat extent along z) are binned with bounded bins and listed.
    #[test]
    fn planar_atoms_are_listed() {
        let mut a = atoms();
        for x in a.x.iter_mut() {
            x[2] = 6.0;
        }
        check_against_brute_force(&a);
    }

    fn check_against_brute_force(a: &Atoms) {
        let mut lists = NeighborLists::new(0.5);
        let requests = [
            ListRequest::half(2.5),
            ListRequest::full(3.5),
            ListRequest::half(2.0).with_ghosts(),
            ListRequest::full(4.5).with_ghosts(),
        ];
        let set = lists.request(&requests[..2]);
        let other = lists.request(&requests[2..]);
        lists.build(a);
        assert_eq!(lists.cutneigh(), 5.0);
        let built: Vec<&NeighborList> = lists.get(set).iter().chain(lists.get(other)).collect();
        for (l, r) in built.iter().zip(&requests) {
            let mut got: Vec<(usize, usize)> = (0..l.nrows())
                .flat_map(|i| l.of(i).iter().map(move |&j| (i, j as usize)))
                .collect();
            got.sort_unstable();
            let want = brute(a, r, r.cutoff + 0.5);
            assert!(!want.is_empty());
            assert_eq!(got, want, "{r:?}");
        }
    }
}
