//! Named groups of atoms as LAMMPS bitmasks: each atom carries a `u32` mask, bit k set when the
//! atom is in group k. Group 0 is `all`. Masks travel with atoms when they migrate between ranks.

use crate::error::{Error, Result};

/// The group registry: names of the (at most 32) groups, bit k for group k.
#[derive(Clone, Debug)]
pub struct Groups {
    names: Vec<String>,
}

impl Default for Groups {
    fn default() -> Self {
        Groups {
            names: vec!["all".to_string()],
        }
    }
}

impl Groups {
    /// The bit of group `name`, if defined.
    pub fn bit(&self, name: &str) -> Option<u32> {
        self.names.iter().position(|n| n == name).map(|k| 1u32 << k)
    }

    /// Define a new group (or return the bit of an existing one).
    pub fn define(&mut self, name: &str) -> Result<u32> {
        if let Some(b) = self.bit(name) {
            return Ok(b);
        }
        if self.names.len() >= 32 {
            return Err(Error::run(format!(
                "cannot define group '{name}': at most 32 groups"
            )));
        }
        self.names.push(name.to_string());
        Ok(1u32 << (self.names.len() - 1))
    }

    /// Names of the defined groups, `all` first.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}
