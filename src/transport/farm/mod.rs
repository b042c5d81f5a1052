//! Stage 5 of the transport pipeline: transport of atomic snapshots (MD frames, data files)
//! and their farm over MPI ranks.
//!
//! [`spec`] holds the parameters of a calculation (model, leads, k∥ mesh, E_F, energies) and
//! [`snapshot`] turns a structure and those parameters into a problem with shared, precomputed
//! leads (charge neutral if asked, with [`super::neutrality`]); [`unit`](mod@unit) solves one
//! (snapshot, k∥) unit with lead surfaces from the per-rank [`lead_cache`]; [`store`] is the
//! HDF5 results file; [`worker`] solves units on a rank and stores their results on rank 0;
//! [`frame`] is one structure (and its message form); [`gap`] cuts the gap atoms of two tips out of each frame and places them between ideal
//! fcc(111) slabs (the silver paper's cut); [`inline`] is the feed of snapshots from the MD ranks of a run to its transport ranks. The
//! input decks (`crate::deck::transport`) fill in the parameters, and the command drivers that
//! read them and write tables are in `crate::commands`; this module uses neither.

pub mod frame;
pub mod gap;
pub mod inline;
pub mod lead_cache;
pub mod snapshot;
pub mod spec;
pub mod store;
pub mod unit;
pub mod worker;
