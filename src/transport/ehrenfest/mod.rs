//! Ehrenfest dynamics of an atomic wire with electronic open boundaries (Cunningham, Todorov
//! and Dundas, Phys. Rev. B 90, 115430 (2014), seed 004 Sec. II B and III): the one-electron
//! density matrix under the driven Liouville–von Neumann equation of Sánchez et al. (J. Chem.
//! Phys. 124, 214708 (2006)) and McEniry et al. (J. Phys.: Condens. Matter 19, 196201 (2007)),
//! the ions classical in the mean-field force.
//!
//! - [`chain`]: the 1-D chain as a band-diagonal H, its energies and forces;
//! - [`liouville`]: dρ/dt = (1/iħ)[H, ρ] + S(ρ), source and sink, reference densities, bond
//!   currents;
//! - [`tableau`]: the Runge–Kutta methods (RK4, RK48), their stage times and stability limits;
//! - [`runge_kutta`]: their steps on ρ's upper triangle, O(n²) per step;
//! - [`electrons`]: ρ(t) of the wire carried between ionic positions (electronic substeps);
//! - [`hook`]: the Ehrenfest post-force step hook of the MD and its per-step records;
//! - [`steady_state`]: the exact stationary ρ of the driven equation with frozen ions;
//! - [`trajectory`]: one trajectory (the MD of the chain with the hook) and its saturation
//!   averages.
//!
//! Uses `current` (the MD's empty potential) and `model` (Sutton's s band); nothing in
//! `transport/` uses it.

pub mod chain;
pub mod electrons;
pub mod hook;
pub mod liouville;
pub mod runge_kutta;
pub mod steady_state;
pub mod tableau;
pub mod trajectory;
