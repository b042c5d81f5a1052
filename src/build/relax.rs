//! Relaxation of a point contact between two slabs ([`SlabGeometry`]: tips on (001) slabs, a
//! filament between (111) slabs) with an interatomic potential: FIRE minimisation
//! ([`crate::dynamics::fire`]) with the outer planes of each slab held at their lattice
//! positions, as the electrodes of a break junction hold a contact, the lateral cell fixed
//! (periodic in x and y) and the box free along z.
//!
//! The fixed region must be as deep as the potential's cutoff for the atoms next to it to feel
//! bulk below them: the slabs are built with `pad` more planes than the contact has, the two
//! lead planes and the pad planes of each side held fixed, and the pad planes removed after the
//! relaxation. The force on the left fixed region along +z is the force of the right half on
//! the left one (the mobile atoms carry none after the relaxation, and the forces between atoms
//! of one half cancel): positive when the contact pulls the electrodes together (tension).

use crate::build::tips::{SlabContact, SlabGeometry};
use crate::dynamics::fire::{self, FireParams, FireResult};
use crate::dynamics::Md;
use crate::error::{Error, Result};
use crate::parallel::World;
use crate::potential;
use crate::system::{Atoms, Boundary, Groups, SimBox};
use crate::units::EV_PER_A_IN_NN;

/// A relaxed contact.
#[derive(Clone, Debug)]
pub struct RelaxedContact {
    /// The atoms of [`SlabGeometry::contact_padded`] (pad 0) in the same order, relaxed.
    pub contact: SlabContact,
    /// Potential energy of the relaxed structure with its pad planes, eV.
    pub pe_ev: f64,
    /// Force of the right half on the left one along +z, nN (> 0: tension).
    pub force_nn: f64,
    pub fire: FireResult,
}

/// Vacuum beyond the outer planes along z during the relaxation, Å.
const VACUUM_A: f64 = 10.0;
/// Neighbour skin, Å.
const SKIN_A: f64 = 1.0;

/// Relax the contact `geometry.contact_padded(neck, stretch, 0)` with the potential `spec`
/// (`eam:FILE`, …; one atom type of mass `mass`), `pad` extra fixed planes behind each slab.
pub fn relax_contact(
    geometry: &dyn SlabGeometry,
    neck: &[[f64; 3]],
    stretch: f64,
    pad: usize,
    spec: &str,
    mass: f64,
    params: &FireParams,
) -> Result<RelaxedContact> {
    let small = geometry.contact_padded(neck, stretch, 0)?;
    let padded = geometry.contact_padded(neck, stretch, pad)?;
    let inner = small.lead_ranges;
    let mut groups = Groups::default();
    let fixed = groups.define("fixed")?;
    let mut atoms = Atoms::with_types(vec![mass]);
    for (i, p) in padded.positions.iter().enumerate() {
        atoms.push_owned(i as u64 + 1, 0, *p, [0.0; 3]);
        if p[2] <= inner[0][1] || p[2] >= inner[1][0] {
            atoms.mask[i] |= fixed;
        }
    }
    let simbox = SimBox::new(
        [padded.lo[0], padded.lo[1], padded.lo[2] - VACUUM_A],
        [padded.hi[0], padded.hi[1], padded.hi[2] + VACUUM_A],
        [Boundary::Periodic, Boundary::Periodic, Boundary::Fixed],
    );
    let pot = potential::from_spec(spec, &[], 1)?;
    let mut md = Md::new(simbox, atoms, groups, pot, SKIN_A, World::serial(), None)?;
    md.set_frozen(fixed);
    md.setup()?;
    let r = fire::minimize(&mut md, params)?;
    if !r.converged {
        return Err(Error::run(format!(
            "contact relaxation: FIRE did not reach fmax < {} eV/Å in {} steps (fmax {:.3e})",
            params.ftol, r.steps, r.fmax
        )));
    }
    let a = &md.atoms;
    let mid = 0.5 * (padded.lo[2] + padded.hi[2]);
    let mut x = vec![[0.0; 3]; padded.positions.len()];
    let mut force = 0.0;
    for i in 0..a.nlocal {
        x[a.id[i] as usize - 1] = a.x[i];
        if a.mask[i] & fixed != 0 && a.x[i][2] < mid {
            force += a.f[i][2];
        }
    }
    // The pad planes are the last of each side: dropping them leaves the order of `small`.
    let outer = [inner[0][0], inner[1][1]];
    let positions: Vec<[f64; 3]> = padded
        .positions
        .iter()
        .zip(&x)
        .filter(|(p, _)| p[2] >= outer[0] && p[2] <= outer[1])
        .map(|(_, q)| *q)
        .collect();
    if positions.len() != small.positions.len() {
        return Err(Error::run(format!(
            "contact relaxation: {} atoms left after removing the pad planes, {} expected",
            positions.len(),
            small.positions.len()
        )));
    }
    Ok(RelaxedContact {
        contact: SlabContact { positions, ..small },
        pe_ev: r.pe_ev,
        force_nn: force * EV_PER_A_IN_NN,
        fire: r,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::tips::TipsOnSlabs;

    /// An apex contact pushed together relaxes: the lead planes stay on their lattice sites,
    /// the other atoms move, the pad planes are gone and the mirror symmetry of the contact
    /// (z → gap + stretch − z) is kept.
    #[test]
    fn relaxed_contact_keeps_the_fixed_planes_and_its_mirror_symmetry() {
        let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/inputs/potentials/Au_u3.eam");
        let tips = TipsOnSlabs {
            a: 4.08,
            cells: 2,
            top: 0,
            base: 1,
            slab_layers: 3,
            gap: 4.08 / 2f64.sqrt(),
        };
        let params = FireParams {
            ftol: 1e-5,
            etol: 0.0,
            max_steps: 20_000,
            dt: 0.002,
        };
        let r =
            relax_contact(&tips, &[], -0.4, 2, &format!("eam:{spec}"), 196.97, &params).unwrap();
        let start = tips.contact_with(&[], -0.4).unwrap();
        assert_eq!(r.contact.positions.len(), start.positions.len());
        let [[l0, l1], [r0, r1]] = start.lead_ranges;
        let mut moved = 0.0f64;
        for (p, q) in r.contact.positions.iter().zip(&start.positions) {
            let d = (0..3).map(|k| (p[k] - q[k]).powi(2)).sum::<f64>().sqrt();
            if (l0..=l1).contains(&q[2]) || (r0..=r1).contains(&q[2]) {
                assert!(d < 1e-12, "a lead-plane atom moved by {d} Å");
            } else {
                moved = moved.max(d);
            }
        }
        assert!(moved > 0.01, "nothing relaxed");
        // Mirror symmetry z → gap + stretch − z: the two apexes stay symmetric.
        let n = r.contact.positions.len() / 2;
        let (a, b) = (r.contact.positions[0], r.contact.positions[n]);
        let zc = 0.5 * (tips.gap - 0.4);
        assert!((a[2] - zc + (b[2] - zc)).abs() < 1e-6, "{a:?} {b:?}");
        assert!(r.force_nn.is_finite());
    }
}
