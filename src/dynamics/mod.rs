//! Time integration and everything that moves atoms: the MD state ([`Md`]: box, atoms,
//! potential, neighbour lists, ghosts, step hooks), velocity Verlet (BAOAB with Langevin baths),
//! the step hooks ([`hooks`]) with the rigid driven leads and the thermostats among them, the
//! FIRE minimiser and velocity creation.

pub mod checkpoint;
pub mod echemdid;
pub mod fire;
pub mod hooks;
pub mod leads;
pub mod state;
pub mod thermostat;
pub mod timers;
pub mod velocity;
pub mod verlet;

pub use state::{Md, Thermo};
