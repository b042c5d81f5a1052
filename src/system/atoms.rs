//! Atoms as structure of arrays, indexed by local index. Owned atoms come first
//! (`0..nlocal`), ghost atoms (periodic images and copies from other ranks) follow.
//! Global ids are used only for I/O, sorting and random-number keys. Extra per-atom arrays
//! (charges and the like) live in the registry [`Fields`] and follow the same index.

use crate::system::fields::{FieldId, FieldSpec, Fields};

/// Doubles of a packed owned atom before its fields: id, type, mask, x(3), v(3), image(3).
const PACKED: usize = 12;

/// Per-atom arrays of one rank. Ghost atoms carry id, type, position (and force slots) and the
/// registered fields that declare it; velocities, images and masks are meaningful for owned
/// atoms only.
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
    /// Registered extra per-atom arrays, owned and ghost atoms alike.
    pub fields: Fields,
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

    /// Append an owned atom (fields zero). Must be called before any ghosts exist.
    pub fn push_owned(&mut self, id: u64, typ: u32, x: [f64; 3], v: [f64; 3]) {
        self.push_owned_arrays(id, typ, x, v);
        self.fields.push_zero();
    }

    /// Doubles of one owned atom packed by [`Atoms::pack_owned`].
    pub fn packed_width(&self) -> usize {
        PACKED + self.fields.migrating_width()
    }

    /// Append owned atom `i` to `buf` as it travels to another rank: id, type, mask, x(3),
    /// v(3), image(3), then the migrating fields.
    pub fn pack_owned(&self, i: usize, buf: &mut Vec<f64>) {
        let (x, v, im) = (self.x[i], self.v[i], self.image[i]);
        buf.extend_from_slice(&[self.id[i] as f64, self.typ[i] as f64, self.mask[i] as f64]);
        buf.extend_from_slice(&x);
        buf.extend_from_slice(&v);
        buf.extend_from_slice(&[im[0] as f64, im[1] as f64, im[2] as f64]);
        self.fields.pack_migrating(i, buf);
    }

    /// Position of a record made by [`Atoms::pack_owned`].
    pub fn packed_position(rec: &[f64]) -> [f64; 3] {
        [rec[3], rec[4], rec[5]]
    }

    /// Append an owned atom from a record made by [`Atoms::pack_owned`].
    pub fn push_packed(&mut self, rec: &[f64]) {
        let r = rec;
        self.push_owned_arrays(
            r[0] as u64,
            r[1] as u32,
            [r[3], r[4], r[5]],
            [r[6], r[7], r[8]],
        );
        let k = self.nlocal - 1;
        self.mask[k] = r[2] as u32;
        self.image[k] = [r[9] as i32, r[10] as i32, r[11] as i32];
        self.fields.push_migrated(&r[PACKED..]);
    }

    /// Append owned atom `i` of `src` (same types and registry) with all its per-atom data.
    pub fn push_owned_copy(&mut self, src: &Atoms, i: usize) {
        self.push_owned_arrays(src.id[i], src.typ[i], src.x[i], src.v[i]);
        self.image[self.nlocal - 1] = src.image[i];
        self.mask[self.nlocal - 1] = src.mask[i];
        self.fields.push_from(&src.fields, i);
    }

    fn push_owned_arrays(&mut self, id: u64, typ: u32, x: [f64; 3], v: [f64; 3]) {
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

    /// Append a ghost atom (a copy of an atom owned here or elsewhere) with the values of the
    /// ghost-carried fields (the layout of [`Fields::pack_ghost`]).
    #[inline]
    pub fn push_ghost(&mut self, id: u64, typ: u32, x: [f64; 3], fields: &[f64]) {
        self.id.push(id);
        self.typ.push(typ);
        self.x.push(x);
        self.f.push([0.0; 3]);
        self.fields.push_ghost(fields);
    }

    /// Drop all ghost atoms, keeping the owned ones.
    pub fn clear_ghosts(&mut self) {
        let n = self.nlocal;
        self.id.truncate(n);
        self.typ.truncate(n);
        self.x.truncate(n);
        self.f.truncate(n);
        self.fields.truncate(n);
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
        self.fields.swap_remove(i, self.nlocal);
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

    /// Register a per-atom field (values zero for the atoms held), or get the one of that name.
    pub fn register_field(&mut self, spec: FieldSpec) -> Result<FieldId, String> {
        let n = self.nall();
        self.fields.register(spec, n)
    }
}
