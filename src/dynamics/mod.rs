//! Time integration and everything that moves atoms: the MD state ([`Md`]: box, atoms,
//! potential, neighbour list, ghosts), velocity Verlet (BAOAB with Langevin baths), rigid driven
//! leads, thermostats, the FIRE minimiser and velocity creation.

pub mod fire;
pub mod leads;
pub mod state;
pub mod thermostat;
pub mod timers;
pub mod velocity;
pub mod verlet;

pub use state::{Md, Thermo};
