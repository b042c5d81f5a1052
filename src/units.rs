//! LAMMPS `metal` units and the few physical constants the code needs, in one place.
//!
//! Lengths in Å, energies in eV, time in ps, masses in amu (g/mol), temperature in K,
//! pressure in bar, forces in eV/Å, velocities in Å/ps. The conversion factors are the ones
//! LAMMPS (version 2021–2022, `src/update.cpp`, `units metal`) uses, so that thermodynamic output
//! agrees with LAMMPS to round-off, not merely to the precision of CODATA.

/// Boltzmann constant kB in eV/K (LAMMPS `force->boltz`, metal units).
pub const BOLTZ_EV_PER_K: f64 = 8.617343e-5;

/// m·v² → energy: amu·(Å/ps)² in eV (LAMMPS `force->mvv2e`, metal units).
pub const MVV2E: f64 = 1.0364269e-4;

/// force/mass → acceleration: (eV/Å)/amu in Å/ps² (LAMMPS `force->ftm2v` = 1/mvv2e).
pub const FTM2V: f64 = 1.0 / MVV2E;

/// N·kB·T/V (or virial/V) in eV/Å³ → bar (LAMMPS `force->nktv2p`, metal units).
pub const NKTV2P: f64 = 1.6021765e6;

/// Conductance quantum G0 = 2e²/h in siemens (CODATA 2018, exact SI definition of e and h).
pub const G0_SIEMENS: f64 = 7.748_091_729_863_649e-5;

/// 1 nN in eV/Å: 1 eV/Å = 1.602176634 nN.
pub const EV_PER_A_IN_NN: f64 = 1.602_176_634;

/// 1 eV in kJ/mol: e·N_A/1000 with the exact SI values of e and N_A (96.485 332 123 310 0...);
/// H5MD trajectories store forces in kJ/(mol Å), the force unit MDAnalysis knows.
pub const KJ_PER_MOL_PER_EV: f64 = 96.485_332_123_310_02;

/// 1 eV/Å² in J/m² (e = 1.602176634e-19 C exactly, 1 Å² = 1e-20 m²): surface energies.
pub const EV_PER_A2_IN_J_PER_M2: f64 = 16.021_766_34;

/// 1 Rydberg in eV (CODATA 2018: R∞hc = 13.605 693 122 994 eV); tight-binding parameter
/// tables such as Papaconstantopoulos's Handbook give their energies in Ry.
pub const RYDBERG_EV: f64 = 13.605_693_122_994;

/// One Hartree in eV (CODATA 2018), the energy unit of DFTB Slater–Koster files.
pub const HARTREE_EV: f64 = 27.211_386_245_988;

/// The Bohr radius in Å (CODATA 2018), the length unit of DFTB Slater–Koster files.
pub const BOHR_ANGSTROM: f64 = 0.529_177_210_903;

/// 1 eV/(Å²·amu) in fs⁻²: e / (1e−20 m² · 1.66053906660e−27 kg) = 9.648533e27 s⁻² (CODATA
/// 2018 e and atomic mass constant). Mode frequencies: ω² [fs⁻²] = K/M × this.
pub const EV_PER_A2_AMU_IN_PER_FS2: f64 = 1.602_176_634e-19 / 1.660_539_066_60e-27 * 1e-10;

/// Reduced Planck constant ħ in eV·ps (CODATA 2018: ħ = 6.582 119 569... × 10⁻¹⁶ eV·s, exact
/// from the SI values of h and e); ħ/(1 eV) ≈ 0.658 fs.
pub const HBAR_EV_PS: f64 = 6.582_119_569_509_066e-4;
