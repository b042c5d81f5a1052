//! ReaxFF, the reactive force field of van Duin, Dasgupta, Lorant and Goddard (J. Phys. Chem. A
//! 105, 9396 (2001)), in the form of Chenoweth, van Duin and Goddard (J. Phys. Chem. A 112, 1040
//! (2008)) that LAMMPS implements (`pair_style reaxff`, after PuReMD: Aktulga, Fogarty, Pandit
//! and Grama, Parallel Computing 38, 245 (2012)).
//!
//! ReaxFF writes the energy as a sum of terms that all follow from bond orders: each pair's
//! bond order BO'_ij = Σ_{σ,π,ππ} exp[p_bo,1 (r_ij / r_o)^p_bo,2] is computed from the distance
//! alone, corrected for over-coordination of both atoms, and the bond, lone-pair,
//! over/under-coordination, valence-angle, torsion and hydrogen-bond energies are smooth
//! functions of the corrected orders, so that bonds form and break continuously. Every pair
//! within the non-bonded cutoff also has a shielded, tapered van der Waals (Morse) and Coulomb
//! energy, with charges from charge equilibration (QEq, `fix qeq/reaxff`) at each step.
//!
//! [`ffield`] reads the parameter file (`ffield.reax.*`) into the tables of [`params`]; [`qeq`]
//! equilibrates the charges (a pre-force step hook). The energy terms are not written yet.

pub mod ffield;
pub mod params;
pub mod qeq;

pub use ffield::{ForceField, GeneralParams};
