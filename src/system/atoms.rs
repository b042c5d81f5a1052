//! Atoms as structure of arrays, indexed by local index. Owned atoms come first
//! (`0..nlocal`), ghost atoms (periodic images and copies from other ranks) follow.
//! Global ids are used only for I/O, sorting and random-number keys.

/// Per-atom arrays of one rank. Ghost atoms carry id, type, position (and force slots);
/// velocities, images and masks are meaningful for owned atoms only.
#[derive(Clone, Debug, Default)]
pub struct Atoms {
    /// Number of owned atoms; they occupy indices `0..nlocal`.
    pub nlocal: usize,
    /// Global atom id (LAMMPS `id`, 1-based in files).
    pub id: Vec<u64>,
    /// Type index, 0-based (LAMMPS type = `typ + 1`).
    pub typ: Vec<u32>,
    /// Positions, Å.
    pub x: Vec<[f64; 3]>,
    /// Velocities, Å/ps (owned atoms).
    pub v: Vec<[f64; 3]>,
    /// Forces, eV/Å.
    pub f: Vec<[f64; 3]>,
    /// Periodic image counts (owned atoms).
    pub image: Vec<[i32; 3]>,
    /// Group membership bitmask (owned atoms); bit 0 is `all`.
    pub mask: Vec<u32>,
    /// Mass of each type, amu.
    pub type_mass: Vec<f64>,
}

impl Atoms {
    /// An empty set with `ntypes` types of the given masses.
    pub fn with_types(type_mass: Vec<f64>) -> Self {
        Atoms {
            type_mass,
            ..Default::default()
        }
    }

    /// Number of types.
    pub fn ntypes(&self) -> usize {
        self.type_mass.len()
    }

    /// Total number of atoms held (owned + ghost).
    pub fn nall(&self) -> usize {
        self.x.len()
    }

    /// Number of ghost atoms.
    pub fn nghost(&self) -> usize {
        self.x.len() - self.nlocal
    }

    /// Mass of local atom `i`, amu.
    #[inline]
    pub fn mass(&self, i: usize) -> f64 {
        self.type_mass[self.typ[i] as usize]
    }

    /// Append an owned atom. Must be called before any ghosts exist.
    pub fn push_owned(&mut self, id: u64, typ: u32, x: [f64; 3], v: [f64; 3]) {
        debug_assert_eq!(self.nlocal, self.x.len(), "ghosts present");
        self.id.push(id);
        self.typ.push(typ);
        self.x.push(x);
        self.v.push(v);
        self.f.push([0.0; 3]);
        self.image.push([0; 3]);
        self.mask.push(1);
        self.nlocal += 1;
    }

    /// Append a ghost atom (a copy of an atom owned here or elsewhere).
    #[inline]
    pub fn push_ghost(&mut self, id: u64, typ: u32, x: [f64; 3]) {
        self.id.push(id);
        self.typ.push(typ);
        self.x.push(x);
        self.f.push([0.0; 3]);
    }

    /// Drop all ghost atoms, keeping the owned ones.
    pub fn clear_ghosts(&mut self) {
        let n = self.nlocal;
        self.id.truncate(n);
        self.typ.truncate(n);
        self.x.truncate(n);
        self.f.truncate(n);
    }

    /// Remove owned atom `i` by moving the last owned atom into its slot (ghosts must be absent).
    pub fn swap_remove_owned(&mut self, i: usize) {
        debug_assert_eq!(self.nlocal, self.x.len(), "ghosts present");
        self.id.swap_remove(i);
        self.typ.swap_remove(i);
        self.x.swap_remove(i);
        self.v.swap_remove(i);
        self.f.swap_remove(i);
        self.image.swap_remove(i);
        self.mask.swap_remove(i);
        self.nlocal -= 1;
    }

    /// Owned-atom indices sorted by global id.
    pub fn order_by_id(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.nlocal).collect();
        idx.sort_unstable_by_key(|&i| self.id[i]);
        idx
    }

    /// Zero the forces of owned and ghost atoms.
    pub fn zero_forces(&mut self) {
        for f in self.f.iter_mut() {
            *f = [0.0; 3];
        }
    }

    /// Unwrapped position of owned atom `i` given the box lengths.
    pub fn unwrapped(&self, i: usize, lengths: &[f64; 3]) -> [f64; 3] {
        let mut u = self.x[i];
        for d in 0..3 {
            u[d] += self.image[i][d] as f64 * lengths[d];
        }
        u
    }
}
