//! An atomic wire as an open system (seed 004, Fig. 1): a chain of `atoms` sites along x at a
//! fixed spacing between two semi-infinite ideal chains of the same spacing, the `mobile`
//! sites centred in it (the first mobile site is (atoms − mobile)/2, rounded down).
//!
//! Sites interact with the sites up to `range` positions along the chain (1: nearest
//! neighbours only, as the `wire response` contract asks; 2 adds the second neighbours that a
//! tail reaching past 2d brings in). The device region C holds the chain plus `range` sites of
//! each lead on each side (rigid), so that every bond of a mobile atom, and every derivative
//! of H, lies inside C and the lead self-energies do not depend on the mobile coordinates.
//! Leads have principal layers of `range` sites.

use crate::error::{Error, Result};
use crate::transport::current::bond_model::{BondedDevice, Dof};
use crate::transport::current::open_system::OpenSystem;
use crate::transport::dense::{c64, CMat};
use crate::transport::model::sutton::SuttonSBand;
use crate::transport::problem::scattering::TransportProblem;

/// What wire to build.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WireSpec {
    /// Sites of the chain between the leads (NA).
    pub atoms: usize,
    /// Mobile sites, centred (N ≤ NA).
    pub mobile: usize,
    /// Spacing of the chain and the leads (Å).
    pub spacing_a: f64,
    /// Hopping and pair potential.
    pub model: SuttonSBand,
    /// Bonds between sites up to this many positions apart (≥ 1).
    pub range: usize,
}

/// The wire as matrices and as bonded atoms.
#[derive(Clone, Debug)]
pub struct Wire {
    /// H_C with its two leads.
    pub system: OpenSystem,
    /// The device atoms (positions, bonds, mobile dofs along x).
    pub device: BondedDevice,
    /// Device orbital of the chain's first site (the sites before it belong to the left lead).
    pub first_chain_site: usize,
    /// Device orbital of the first mobile site.
    pub first_mobile_site: usize,
}

impl WireSpec {
    /// Check the numbers make a wire.
    pub fn validate(&self) -> Result<()> {
        if self.atoms == 0 || self.mobile == 0 {
            return Err(Error::run("wire: --atoms and --mobile must be at least 1"));
        }
        if self.mobile > self.atoms {
            return Err(Error::run(format!(
                "wire: --mobile {} is more than --atoms {}",
                self.mobile, self.atoms
            )));
        }
        if !(self.spacing_a.is_finite() && self.spacing_a > 0.0) {
            return Err(Error::run(format!(
                "wire: the spacing must be a positive length in Å, got {}",
                self.spacing_a
            )));
        }
        if self.range == 0 {
            return Err(Error::run("wire: the bond range must be at least 1"));
        }
        Ok(())
    }
}

/// Build the wire: the perfect chain, every site at x = k·d.
pub fn build_wire(spec: &WireSpec) -> Result<Wire> {
    spec.validate()?;
    let d = spec.spacing_a;
    let b = spec.range;
    let n_dev = spec.atoms + 2 * b;
    // Global site index g: the chain is 0..atoms, the device −b..atoms+b, x = g·d.
    let hop = |g1: i64, g2: i64| -> f64 {
        let k = (g1 - g2).unsigned_abs() as usize;
        if k == 0 || k > spec.range {
            0.0
        } else {
            spec.model.hopping_derivatives(k as f64 * d)[0]
        }
    };
    let dev_global = |i: usize| i as i64 - b as i64;
    let r = spec.range as i64;
    // Lead layers n = 1, 2 (layer 1 touches C), site j of a layer ordered along +x.
    let left_site = |n: i64, j: usize| -(b as i64) - n * r + j as i64;
    let right_site = |n: i64, j: usize| (spec.atoms + b) as i64 + (n - 1) * r + j as i64;
    let block = |f: &dyn Fn(usize, usize) -> f64, rows: usize, cols: usize| {
        CMat::from_fn(rows, cols, |i, j| c64(f(i, j), 0.0))
    };
    let l = spec.range;
    let h_c = block(&|i, j| hop(dev_global(i), dev_global(j)), n_dev, n_dev);
    let lead_blocks = |site: &dyn Fn(i64, usize) -> i64| {
        (
            block(&|i, j| hop(site(1, i), site(1, j)), l, l),
            block(&|i, j| hop(site(1, i), site(2, j)), l, l),
            block(&|i, j| hop(dev_global(i), site(1, j)), n_dev, l),
        )
    };
    let (l00, l01, lv) = lead_blocks(&left_site);
    let (r00, r01, rv) = lead_blocks(&right_site);
    let problem = TransportProblem::from_dense(&h_c, [(&l00, &l01, &lv), (&r00, &r01, &rv)])?;
    let system = OpenSystem::from_problem(&problem)?;
    let positions = (0..n_dev)
        .map(|i| [dev_global(i) as f64 * d, 0.0, 0.0])
        .collect();
    let mut bonds = Vec::new();
    for i in 0..n_dev {
        for j in i + 1..(i + spec.range + 1).min(n_dev) {
            bonds.push((i, j));
        }
    }
    let first_mobile_site = b + (spec.atoms - spec.mobile) / 2;
    let dofs = (first_mobile_site..first_mobile_site + spec.mobile)
        .map(|site| Dof { site, axis: 0 })
        .collect();
    let device = BondedDevice {
        positions,
        bonds,
        model: spec.model,
        dofs,
    };
    device.validate()?;
    Ok(Wire {
        system,
        device,
        first_chain_site: b,
        first_mobile_site,
    })
}

impl Wire {
    /// Move the mobile atoms to `x` (Å along the axis, in the order of the dofs) and rebuild
    /// H_C; every other site stays where it is.
    pub fn set_mobile_x(&mut self, x: &[f64]) -> Result<()> {
        if x.len() != self.device.dofs.len() {
            return Err(Error::run("wire: one position per mobile atom"));
        }
        for (dof, &xi) in self.device.dofs.iter().zip(x) {
            self.device.positions[dof.site][dof.axis] = xi;
        }
        self.device.validate()?;
        self.system.h = self.device.hamiltonian();
        Ok(())
    }

    /// The mobile atoms' coordinates along their dofs (Å).
    pub fn mobile_x(&self) -> Vec<f64> {
        self.device
            .dofs
            .iter()
            .map(|d| self.device.positions[d.site][d.axis])
            .collect()
    }
}
