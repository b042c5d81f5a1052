//! Extra per-atom arrays registered at run time (LAMMPS's per-atom vectors of `fix property/atom`
//! and of the atom styles): charges, the charge-equilibration history, a local electrochemical
//! potential, electronic state. Each field is `width` doubles per atom, stored contiguously
//! (`data[i * width + c]`) for owned atoms first and ghosts after, in the order of [`Atoms`].
//!
//! A field declares how it travels between ranks:
//! - `migrates`: its values leave with an atom that moves to another rank at re-neighbouring
//!   (charges, histories); otherwise the new owner starts it at zero (scratch arrays).
//! - `ghosts`: ghost copies receive the owner's value when the ghost layer is built (charges a
//!   potential reads on neighbours); otherwise ghost entries start at zero and are filled by an
//!   explicit forward communication when needed.
//!
//! [`Atoms`]: crate::system::Atoms

/// Name of the per-atom charge field (e), as LAMMPS's `q`: read from and written to data files
/// of `atom_style charge` and H5MD trajectories.
pub const CHARGE: &str = "q";

/// Name of the local electrochemical potential of EChemDID (V): charge equilibration subtracts
/// it from the electronegativity where atoms carry it.
pub const ECHEMDID_PHI: &str = "echemdid_phi";

/// The registry entry of the charge field: migrates with its atom, carried by ghosts.
pub fn charge_field() -> FieldSpec {
    FieldSpec::scalar(CHARGE, true, true)
}

/// Handle of a registered field: an index into the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FieldId(usize);

/// What a field is and how it travels.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldSpec {
    /// Name, unique in the registry (e.g. `q`, `s_hist`).
    pub name: String,
    /// Doubles per atom (1 for a scalar, 3 for a vector).
    pub width: usize,
    /// Moves with its atom to another rank at migration.
    pub migrates: bool,
    /// Sent to ghost copies when the ghost layer is built.
    pub ghosts: bool,
}

impl FieldSpec {
    /// A per-atom scalar.
    pub fn scalar(name: &str, migrates: bool, ghosts: bool) -> Self {
        FieldSpec {
            name: name.to_string(),
            width: 1,
            migrates,
            ghosts,
        }
    }

    /// A per-atom 3-vector.
    pub fn vector(name: &str, migrates: bool, ghosts: bool) -> Self {
        FieldSpec {
            width: 3,
            ..FieldSpec::scalar(name, migrates, ghosts)
        }
    }
}

/// The registry and the values of every field.
#[derive(Clone, Debug, Default)]
pub struct Fields {
    specs: Vec<FieldSpec>,
    data: Vec<Vec<f64>>,
}

impl Fields {
    /// Register a field for `n` atoms already held (values zero), or return the existing one of
    /// the same name when its spec is the same. A second registration with another spec is an
    /// error naming both.
    pub fn register(&mut self, spec: FieldSpec, n: usize) -> Result<FieldId, String> {
        if spec.width == 0 {
            return Err(format!(
                "per-atom field '{}': width must be at least 1",
                spec.name
            ));
        }
        if let Some(k) = self.specs.iter().position(|s| s.name == spec.name) {
            if self.specs[k] != spec {
                return Err(format!(
                    "per-atom field '{}' registered twice with different layouts ({:?} and {:?})",
                    spec.name, self.specs[k], spec
                ));
            }
            return Ok(FieldId(k));
        }
        self.data.push(vec![0.0; n * spec.width]);
        self.specs.push(spec);
        Ok(FieldId(self.specs.len() - 1))
    }

    /// The field of this name, if registered.
    pub fn find(&self, name: &str) -> Option<FieldId> {
        self.specs.iter().position(|s| s.name == name).map(FieldId)
    }

    /// The spec of a field.
    pub fn spec(&self, id: FieldId) -> &FieldSpec {
        &self.specs[id.0]
    }

    /// The values of a field, `width` per atom.
    pub fn get(&self, id: FieldId) -> &[f64] {
        &self.data[id.0]
    }

    /// The values of a field, mutable.
    pub fn get_mut(&mut self, id: FieldId) -> &mut [f64] {
        &mut self.data[id.0]
    }

    /// Doubles per atom that migrate (the sum of the migrating fields' widths).
    pub fn migrating_width(&self) -> usize {
        self.width_where(|s| s.migrates)
    }

    /// Doubles per atom that ghosts carry.
    pub fn ghost_width(&self) -> usize {
        self.width_where(|s| s.ghosts)
    }

    fn width_where(&self, keep: impl Fn(&FieldSpec) -> bool) -> usize {
        self.specs.iter().filter(|s| keep(s)).map(|s| s.width).sum()
    }

    /// Append the migrating values of atom `i` to `buf`.
    pub fn pack_migrating(&self, i: usize, buf: &mut Vec<f64>) {
        self.pack_where(i, buf, |s| s.migrates);
    }

    /// Append the ghost-carried values of atom `i` to `buf`.
    pub fn pack_ghost(&self, i: usize, buf: &mut Vec<f64>) {
        self.pack_where(i, buf, |s| s.ghosts);
    }

    fn pack_where(&self, i: usize, buf: &mut Vec<f64>, keep: impl Fn(&FieldSpec) -> bool) {
        for (s, d) in self.specs.iter().zip(&self.data) {
            if keep(s) {
                buf.extend_from_slice(&d[i * s.width..(i + 1) * s.width]);
            }
        }
    }

    /// Append one atom whose migrating values are `vals` (the layout of
    /// [`Fields::pack_migrating`]); the other fields start at zero.
    pub fn push_migrated(&mut self, vals: &[f64]) {
        self.push_where(vals, |s| s.migrates);
    }

    /// Append one ghost whose carried values are `vals` (the layout of [`Fields::pack_ghost`]).
    pub fn push_ghost(&mut self, vals: &[f64]) {
        self.push_where(vals, |s| s.ghosts);
    }

    /// Append one atom with every field zero.
    pub fn push_zero(&mut self) {
        self.push_where(&[], |_| false);
    }

    fn push_where(&mut self, vals: &[f64], keep: impl Fn(&FieldSpec) -> bool) {
        let mut k = 0;
        for (s, d) in self.specs.iter().zip(self.data.iter_mut()) {
            if keep(s) {
                d.extend_from_slice(&vals[k..k + s.width]);
                k += s.width;
            } else {
                d.extend(std::iter::repeat_n(0.0, s.width));
            }
        }
    }

    /// Keep the first `n` atoms.
    pub fn truncate(&mut self, n: usize) {
        for (s, d) in self.specs.iter().zip(self.data.iter_mut()) {
            d.truncate(n * s.width);
        }
    }

    /// Move the values of the last of `n` atoms into slot `i` and drop the last.
    pub fn swap_remove(&mut self, i: usize, n: usize) {
        for (s, d) in self.specs.iter().zip(self.data.iter_mut()) {
            let w = s.width;
            if i + 1 != n {
                d.copy_within((n - 1) * w..n * w, i * w);
            }
            d.truncate((n - 1) * w);
        }
    }

    /// Copy every field of atom `from` of `src` (same registry) to the end of this one.
    pub fn push_from(&mut self, src: &Fields, from: usize) {
        for ((s, d), sd) in self.specs.iter().zip(self.data.iter_mut()).zip(&src.data) {
            d.extend_from_slice(&sd[from * s.width..(from + 1) * s.width]);
        }
    }

    /// Name and width of each migrating field, in registry order (the layout of
    /// [`Fields::pack_migrating`]; a checkpoint checks it).
    pub fn migrating_layout(&self) -> Vec<(String, usize)> {
        self.specs
            .iter()
            .filter(|s| s.migrates)
            .map(|s| (s.name.clone(), s.width))
            .collect()
    }

    /// The same registry with no atoms.
    pub fn empty_like(&self) -> Fields {
        Fields {
            specs: self.specs.clone(),
            data: vec![Vec::new(); self.specs.len()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_pack_and_remove() {
        let mut f = Fields::default();
        let q = f.register(FieldSpec::scalar("q", true, true), 0).unwrap();
        let h = f
            .register(FieldSpec::vector("hist", true, false), 0)
            .unwrap();
        let s = f
            .register(FieldSpec::scalar("scratch", false, false), 0)
            .unwrap();
        assert_eq!(f.register(FieldSpec::scalar("q", true, true), 0), Ok(q));
        assert!(f.register(FieldSpec::vector("q", true, true), 0).is_err());
        f.push_migrated(&[1.0, 10.0, 11.0, 12.0]);
        f.push_migrated(&[2.0, 20.0, 21.0, 22.0]);
        f.push_migrated(&[3.0, 30.0, 31.0, 32.0]);
        f.get_mut(s)[1] = 5.0;
        assert_eq!(f.migrating_width(), 4);
        assert_eq!(f.ghost_width(), 1);
        let mut buf = Vec::new();
        f.pack_migrating(2, &mut buf);
        assert_eq!(buf, [3.0, 30.0, 31.0, 32.0]);
        f.swap_remove(0, 3);
        assert_eq!(f.get(q), [3.0, 2.0]);
        assert_eq!(f.get(h), [30.0, 31.0, 32.0, 20.0, 21.0, 22.0]);
        assert_eq!(f.get(s), [0.0, 5.0]);
        buf.clear();
        f.pack_ghost(1, &mut buf);
        f.push_ghost(&buf);
        assert_eq!(f.get(q), [3.0, 2.0, 2.0]);
        assert_eq!(f.get(h)[6..], [0.0; 3]);
        f.truncate(2);
        assert_eq!(f.get(s).len(), 2);
    }
}
