//! The force field's parameters laid out per LAMMPS atom type (type t is `elements[t]` of the
//! `pair_coeff * * ffield E1 E2 ..` line), with the control settings of `pair_style reaxff`:
//! what every energy term reads in its inner loops.

use super::ffield::ForceField;
use super::params::{AngleParams, Element, HbondParams, TorsionParams, TwoBody, VdwType};

/// LAMMPS's default control settings (`pair_style reaxff NULL`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Control {
    /// Bond-list cutoff, Å (`bond_cut`, 5).
    pub bond_cut: f64,
    /// Hydrogen-bond cutoff, Å (`hbond_cut`, 7.5).
    pub hbond_cut: f64,
    /// Bond-order threshold of the angle and torsion terms (`thb_cutoff`, 0.001) and of the
    /// product of two orders in an angle (`thb_cutoff_sq`, 1e-5).
    pub thb_cut: f64,
    pub thb_cutsq: f64,
}

impl Default for Control {
    fn default() -> Self {
        Control {
            bond_cut: 5.0,
            hbond_cut: 7.5,
            thb_cut: 0.001,
            thb_cutsq: 0.00001,
        }
    }
}

/// Per-type tables of a force field.
#[derive(Clone, Debug)]
pub struct Tables {
    /// Element of each type.
    pub elements: Vec<Element>,
    /// Pair parameters, `ti * ntypes + tj`.
    pub pairs: Vec<TwoBody>,
    /// Angle parameter sets, `(ti * n + tj) * n + tk`, tj the apex.
    pub angles: Vec<Vec<AngleParams>>,
    /// Torsion parameters, `((ti * n + tj) * n + tk) * n + tl`.
    pub torsions: Vec<Option<TorsionParams>>,
    /// Whether any torsion i-j-k-l has parameters, per central pair `tj * ntypes + tk`.
    pub torsion_centres: Vec<bool>,
    /// (1/γ_w)^p_vdW1 of each pair (the shielding term of the van der Waals distance).
    pub vdw_shield: Vec<f64>,
    /// Hydrogen-bond parameters, donor, H, acceptor.
    pub hbonds: Vec<Option<HbondParams>>,
    /// General parameters `gp.l`.
    pub gp: Vec<f64>,
    pub vdw_type: VdwType,
    /// Bond-order cutoff 0.01 gp.l[29], and the non-bonded taper radii (gp.l[11], gp.l[12]).
    pub bo_cut: f64,
    pub swa: f64,
    pub swb: f64,
    pub control: Control,
    /// Whether any type can be the hydrogen of a hydrogen bond (`p_hbond` = 1).
    pub has_hydrogen: bool,
}

impl Tables {
    /// The tables of `ff` for the types whose elements are `map` (file indices).
    pub fn new(ff: &ForceField, map: &[usize], control: Control) -> Tables {
        let n = map.len();
        let mut t = Tables {
            elements: map.iter().map(|&e| ff.elements[e].clone()).collect(),
            pairs: Vec::with_capacity(n * n),
            angles: Vec::with_capacity(n * n * n),
            torsions: Vec::with_capacity(n * n * n * n),
            hbonds: Vec::with_capacity(n * n * n),
            torsion_centres: vec![false; n * n],
            vdw_shield: Vec::with_capacity(n * n),
            gp: ff.general.l.clone(),
            vdw_type: ff.vdw_type,
            bo_cut: ff.general.bo_cut(),
            swa: ff.general.swa(),
            swb: ff.general.swb(),
            control,
            has_hydrogen: map.iter().any(|&e| ff.elements[e].p_hbond == 1),
        };
        for &a in map {
            for &b in map {
                t.pairs.push(ff.two_body(a, b).clone());
                for &c in map {
                    t.angles.push(ff.angle(a, b, c).to_vec());
                    t.hbonds.push(ff.hbond(a, b, c).copied());
                    for &d in map {
                        t.torsions.push(ff.torsion(a, b, c, d).copied());
                    }
                }
            }
        }
        for a in 0..n {
            for b in 0..n {
                for c in 0..n {
                    for d in 0..n {
                        if t.torsion(a, b, c, d).is_some() {
                            t.torsion_centres[b * n + c] = true;
                        }
                    }
                }
            }
        }
        let p_vdw1 = t.gp[28];
        t.vdw_shield = t
            .pairs
            .iter()
            .map(|tb| (1.0 / tb.gamma_w).powf(p_vdw1))
            .collect();
        t
    }

    /// Number of types.
    pub fn ntypes(&self) -> usize {
        self.elements.len()
    }

    /// Pair parameters of types (ti, tj).
    pub fn pair(&self, ti: usize, tj: usize) -> &TwoBody {
        &self.pairs[ti * self.ntypes() + tj]
    }

    /// Angle sets of types i-j-k, j the apex.
    pub fn angle(&self, ti: usize, tj: usize, tk: usize) -> &[AngleParams] {
        let n = self.ntypes();
        &self.angles[(ti * n + tj) * n + tk]
    }

    /// Torsion parameters of types i-j-k-l.
    pub fn torsion(&self, ti: usize, tj: usize, tk: usize, tl: usize) -> Option<&TorsionParams> {
        let n = self.ntypes();
        self.torsions[((ti * n + tj) * n + tk) * n + tl].as_ref()
    }

    /// Hydrogen-bond parameters of types donor, H, acceptor.
    pub fn hbond(&self, ti: usize, tj: usize, tk: usize) -> Option<&HbondParams> {
        let n = self.ntypes();
        self.hbonds[(ti * n + tj) * n + tk].as_ref()
    }
}
