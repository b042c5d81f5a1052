//! Everything that crosses rank boundaries lives here: the MPI world and its reductions, the
//! ghost (halo) exchange and the communication of per-atom fields, migration, the dynamic task
//! farm that hands independent work units (transport snapshots) to ranks, and the link that
//! carries snapshots from the MD ranks to the transport ranks of a run with both. Physics modules
//! see only the [`Comm`] handle (halo forward/reverse of per-atom arrays, global reductions),
//! never MPI itself; a serial run takes the same code path with one rank, its "messages" being
//! copies to itself.

pub mod comm;
pub mod decomp;
pub mod ghost;
pub mod migrate;
pub mod snapshot_link;
pub mod task_farm;
pub mod world;

pub use comm::Comm;
pub use decomp::Decomposition;
pub use ghost::GhostComm;
pub use world::World;
