//! Time integration and everything that moves atoms: the MD state ([`Md`]: box, atoms,
//! potential, neighbour list, ghosts), velocity Verlet, the FIRE minimiser and velocity creation.

pub mod fire;
pub mod langevin;
pub mod leads;
pub mod state;
pub mod timers;
pub mod velocity;
pub mod verlet;

pub use state::{Md, Thermo};
