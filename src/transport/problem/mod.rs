//! Stage 2 of the transport pipeline: the scattering problem, a scattering region between two
//! semi-infinite leads as matrices ([`scattering`]: H_S, and for each lead H00, H01 and the
//! coupling V, optionally as Fourier components of a transverse k).
//!
//! [`supercell`] builds a problem from atom positions and a model of [`super::model`], with
//! wire leads or in a supercell periodic across the transport axis (Fourier blocks H(R),
//! Monkhorst–Pack k∥ meshes); [`lead_crystal`] finds a lead's stacking and principal layer from
//! its atoms; [`chain`](mod@chain) is the infinite monatomic chain; [`kwant_json`] reads the
//! Kwant reference format. Problems are solved by [`super::solver`].

pub mod chain;
pub mod kwant_json;
pub mod lead_crystal;
pub mod scattering;
pub mod supercell;
