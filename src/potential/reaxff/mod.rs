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
//! The pipeline of one force evaluation ([`pair::ReaxFF`]):
//! 1. [`qeq`]: charges (CG on the shielded Coulomb matrix);
//! 2. [`bond_order`]: bonds from the distance, Δ' (forward), corrected orders, Δ (forward);
//! 3. energy terms, each adding ∂E/∂BO to bonds, ∂E/∂Δ to atoms and ∂E/∂x directly:
//!    [`nonbonded`], [`coordination`] (bond, lone pair, over/under), [`valence`], [`torsion`],
//!    [`hbond`];
//! 4. [`bond_order::BondGraph::add_gradients`]: ∂E/∂Δ (reverse), the chain rule through the
//!    corrections, ∂E/∂Δ' (reverse), forces.
//!
//! [`ffield`] reads the parameter file (`ffield.reax.*`) into the tables of [`params`], laid out
//! per atom type by [`tables`].

pub mod bond_order;
pub mod coordination;
pub mod energies;
pub mod ffield;
pub mod hbond;
pub mod nonbonded;
pub mod pair;
pub mod params;
pub mod qeq;
pub mod tables;
pub mod torsion;
pub mod valence;

pub use energies::{Energies, TERM_NAMES};
pub use ffield::{ForceField, GeneralParams};
pub use pair::{QeqSettings, ReaxFF, KCAL_PER_EV};
