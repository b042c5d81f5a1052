//! Structure of a nanojunction over recorded frames (gold rheology paper, seed 000, Fig. 1 and
//! the intrinsic-tension section):
//! - [`cross_section`]: atoms per atomic layer along z, N(z), and the minimal cross-section
//!   (neck) with A = N·π·r0² and R = √(A/π);
//! - [`bond_angles`]: the three-body angle distribution ρ(θ) of interior atoms of the neck and
//!   its peaks;
//! - [`common_neighbours`]: the common-neighbour analysis of the same atoms (fcc, hcp,
//!   icosahedral, five-fold), which names the structure behind ρ(θ)'s peaks;
//! - [`snapshots`]: the input (a run folder's `traj.h5` or a LAMMPS data file), frame selection,
//!   and which atoms are the free junction;
//! - [`cli`]: `nanocontact analyze structure`, which writes the tables and a JSON summary.
//!
//! [`analyze`] returns the data series (N(z) per frame, ρ(θ)) so that plots are one call away.

pub mod bond_angles;
pub mod cli;
pub mod common_neighbours;
pub mod cross_section;
pub mod snapshots;

use bond_angles::{AngleHistogram, AngleParams};
use common_neighbours::StructureCounts;
use cross_section::{LayerProfile, Neck};
use snapshots::{Snapshot, Snapshots};

use crate::build::junction::Orientation;
use crate::error::{Error, Result};

/// Parameters of the structure analysis.
#[derive(Clone, Debug, clap::Args)]
pub struct StructureParams {
    /// Interlayer spacing (slab thickness) along z, Å (default: the deck's plane spacing,
    /// else Au (111) 2.3556).
    #[arg(long = "slab-a", value_name = "SLAB_A")]
    pub spacing_a: Option<f64>,
    /// Atomic radius r0 of A = N·π·r0², nm.
    #[arg(long, default_value_t = 0.144)]
    pub r0_nm: f64,
    /// Neighbour cutoff and interior criterion of ρ(θ).
    #[command(flatten)]
    pub angles: AngleParams,
    /// ρ(θ) centres lie within this distance along z of the neck, Å.
    #[arg(long, default_value_t = 5.0)]
    pub neck_half_width_a: f64,
    /// Bin width of ρ(θ), degrees (must divide 180).
    #[arg(long, default_value_t = 1.0)]
    pub bin_deg: f64,
}

impl Default for StructureParams {
    /// Slabs of the deck's plane spacing, r0 = 0.144 nm, r_c = 3.5 Å, interior at ≥ 11
    /// neighbours, ρ(θ) centres within ±5 Å of the neck (the paper's relaxed neck length
    /// d0 ≈ 1 nm), 1° bins.
    fn default() -> Self {
        StructureParams {
            spacing_a: None,
            r0_nm: cross_section::GOLD_ATOMIC_RADIUS_NM,
            angles: AngleParams::default(),
            neck_half_width_a: 5.0,
            bin_deg: 1.0,
        }
    }
}

/// The (111) interlayer spacing of gold with a = 4.08 Å (Au_u3), the default slab thickness.
pub fn gold_111_spacing() -> f64 {
    Orientation::O111.plane_spacing(4.08)
}

/// Cross-section of one frame.
#[derive(Clone, Debug)]
pub struct FrameSection {
    pub frame: usize,
    pub step: u64,
    pub time_ps: f64,
    /// N(z) of the free atoms.
    pub profile: LayerProfile,
    /// The narrowest slab.
    pub neck: Neck,
    /// Interior atoms of this frame used as ρ(θ) centres.
    pub interior: usize,
    /// Their local structures (adaptive common-neighbour analysis of their neighbours within
    /// the cutoff of ρ(θ)).
    pub structures: StructureCounts,
}

/// Results over the selected frames.
#[derive(Clone, Debug)]
pub struct StructureResult {
    /// Slab thickness used, Å.
    pub spacing_a: f64,
    pub sections: Vec<FrameSection>,
    pub angles: AngleHistogram,
    /// Local structures of the ρ(θ) centres over all frames.
    pub structures: StructureCounts,
}

/// The layer profile N(z) of the free atoms of one snapshot and its neck.
pub fn section(
    s: &Snapshot,
    free: &[usize],
    spacing_a: f64,
    r0_nm: f64,
) -> Result<(LayerProfile, Neck)> {
    let z: Vec<f64> = free.iter().map(|&i| s.positions[i][2]).collect();
    let profile = LayerProfile::count(&z, spacing_a).ok_or_else(|| {
        Error::run(format!(
            "frame {} (step {}): no free atom to cut into slabs",
            s.frame, s.step
        ))
    })?;
    let neck = profile.neck(r0_nm);
    Ok((profile, neck))
}

/// Cross-sections of `frames` and ρ(θ) accumulated over them.
pub fn analyze(
    input: &Snapshots,
    frames: &[usize],
    p: &StructureParams,
) -> Result<StructureResult> {
    let spacing_a = p
        .spacing_a
        .or(input.deck_plane_spacing)
        .unwrap_or_else(gold_111_spacing);
    if !(spacing_a > 0.0 && spacing_a.is_finite()) {
        return Err(Error::run(format!(
            "slab thickness must be a positive length, got {spacing_a} Å"
        )));
    }
    if p.neck_half_width_a.is_nan() || p.neck_half_width_a <= 0.0 {
        return Err(Error::run(format!(
            "neck half-width must be positive, got {} Å",
            p.neck_half_width_a
        )));
    }
    let mut angles = AngleHistogram::new(p.bin_deg)?;
    let mut total = StructureCounts::default();
    let mut sections = Vec::with_capacity(frames.len());
    for &k in frames {
        let s = input.snapshot(k)?;
        let free = input.free(&s);
        let (profile, neck) = section(&s, &free, spacing_a, p.r0_nm)?;
        let centres: Vec<usize> = free
            .iter()
            .copied()
            .filter(|&i| (s.positions[i][2] - neck.z_a).abs() <= p.neck_half_width_a)
            .collect();
        let mut structures = StructureCounts::default();
        let interior =
            angles.add_frame_with(&s.simbox, &s.positions, &centres, &p.angles, |b| {
                structures.add(common_neighbours::classify(b))
            })?;
        total.merge(&structures);
        sections.push(FrameSection {
            frame: k,
            step: s.step,
            time_ps: s.time_ps,
            profile,
            neck,
            interior,
            structures,
        });
    }
    Ok(StructureResult {
        spacing_a,
        sections,
        angles,
        structures: total,
    })
}

/// Intrinsic tension of a neck, F_i = 2πγR (seed 000, Eq. (2)): γ in J/m² (= N/m) and R in nm
/// give F_i in nN.
pub fn intrinsic_tension_nn(gamma_j_m2: f64, radius_nm: f64) -> f64 {
    2.0 * std::f64::consts::PI * gamma_j_m2 * radius_nm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intrinsic_tension_of_the_paper() {
        // Seed 000: R ≈ 0.44 nm with the force field's 0.9 J/m² gives F_i = 2.5 nN.
        assert!((intrinsic_tension_nn(0.9, 0.44) - 2.488).abs() < 1e-3);
    }
}
