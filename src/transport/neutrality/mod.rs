//! Stage 4 of the transport pipeline: local charge neutrality, the on-site shifts that make
//! each atom of a problem (and of its leads) neutral.
//!
//! [`contour`] is the Fermi-sea contour and the options of the Newton iteration;
//! [`charge_neutrality`] solves for the shifts in an orthogonal basis, [`mulliken`] with
//! Mulliken populations in a non-orthogonal one. Both use [`super::problem`] and the lead
//! surfaces of [`super::solver`].

pub mod charge_neutrality;
pub mod contour;
pub mod mulliken;
