//! Everything that crosses rank boundaries lives here: the MPI world and its reductions, the
//! ghost (halo) exchange and the communication of per-atom fields, and the dynamic task farm
//! that hands independent work units (transport snapshots) to ranks, and the link that carries
//! snapshots from the MD ranks to the transport ranks of a run with both. Physics modules see only the
//! [`Halo`] trait and [`World`] reductions, never MPI itself; a serial run takes the same code
//! path with one rank, its "messages" being copies to itself.

pub mod decomp;
pub mod ghost;
pub mod migrate;
pub mod snapshot_link;
pub mod task_farm;
pub mod world;

pub use decomp::Decomposition;
pub use ghost::GhostComm;
pub use world::World;

/// Communication of per-atom scalar fields between owned atoms and their ghost copies.
pub trait Halo {
    /// Copy the values of owned atoms to their ghost copies (e.g. EAM's F'(ρ)).
    fn forward_scalar(&mut self, v: &mut [f64]);
    /// Add the values accumulated on ghost copies to their owners (e.g. EAM's ρ with Newton's
    /// third law); ghost entries are left as they were.
    fn reverse_scalar(&mut self, v: &mut [f64]);
}
