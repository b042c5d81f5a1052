//! The parameter sets of a ReaxFF force field, one struct per interaction order, with the field
//! names of the LAMMPS structs in `src/REAXFF/reaxff_types.h` (`single_body_parameters`,
//! `two_body_parameters`, `three_body_parameters`, `four_body_parameters`,
//! `hbond_parameters`), written in snake case where LAMMPS capitalises (`De_s` is `de_s`, `D`
//! is `d`, `r_vdW` is `r_vdw`, `V1` is `v1`). Lengths are Å, energies kcal/mol, angles degrees,
//! as in the file: LAMMPS converts nothing when it reads the file.

/// One element of the atom section (LAMMPS `single_body_parameters`, `sbp[i]`): four lines of
/// eight numbers, the first led by the element symbol, and a fifth of two numbers when the
/// low-gradient vdW correction (`lgvdw yes`) is on. "Line c, column k" below counts the numbers
/// of that element's lines from 1, the symbol not included; columns not listed are unused.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    /// Element symbol as written in the file (LAMMPS stores it upper-cased, at most 3 letters,
    /// and matches `pair_coeff` symbols to it case-insensitively, as [`super::ForceField::for_elements`] does).
    pub name: String,
    /// σ-bond covalent radius r_o^σ (line 1, column 1).
    pub r_s: f64,
    /// Valency Val_i (1, 2).
    pub valency: f64,
    /// Atomic mass, amu (1, 3). Not used for dynamics: masses come from the data file.
    pub mass: f64,
    /// van der Waals radius r_vdW (1, 4).
    pub r_vdw: f64,
    /// van der Waals well depth ε (1, 5).
    pub epsilon: f64,
    /// Charge-equilibration shielding γ_EEM (1, 6).
    pub gamma: f64,
    /// π-bond covalent radius r_o^π (1, 7).
    pub r_pi: f64,
    /// Number of valence electrons Val_e (1, 8).
    pub valency_e: f64,
    /// Optimal number of lone pairs n_lp,opt = (Val_e − Val)/2, derived (LAMMPS `nlp_opt`).
    pub n_lp_opt: f64,
    /// vdW Morse exponent α (2, 1).
    pub alpha: f64,
    /// vdW shielding γ_w (2, 2).
    pub gamma_w: f64,
    /// Valency for the bond-order corrections Val_boc (2, 3).
    pub valency_boc: f64,
    /// Under-coordination energy p_ovun5 (2, 4).
    pub p_ovun5: f64,
    /// Electronegativity χ, eV (2, 6).
    pub chi: f64,
    /// Twice the hardness: η = 2 × (2, 7), eV. LAMMPS stores `eta = 2.0*value` and the
    /// charge equilibration uses that doubled value; so does this reader.
    pub eta: f64,
    /// Hydrogen-bond role: 1 donor H, 2 acceptor, 0 neither; (2, 8) truncated to an integer as
    /// LAMMPS's `(int)` cast does.
    pub p_hbond: i32,
    /// Double π-bond covalent radius r_o^ππ (3, 1).
    pub r_pi_pi: f64,
    /// Lone-pair energy p_lp2 (3, 2).
    pub p_lp2: f64,
    /// Bond-order correction p_boc4 of the element (3, 4; LAMMPS `b_o_131`).
    pub b_o_131: f64,
    /// Bond-order correction p_boc3 of the element (3, 5; LAMMPS `b_o_132`).
    pub b_o_132: f64,
    /// Bond-order correction p_boc5 of the element (3, 6; LAMMPS `b_o_133`).
    pub b_o_133: f64,
    /// ACKS2 bond softness cutoff (3, 7; LAMMPS `bcut_acks2`).
    pub bcut_acks2: f64,
    /// Over/under-coordination p_ovun2 (4, 1).
    pub p_ovun2: f64,
    /// Valence-angle p_val3 (4, 2).
    pub p_val3: f64,
    /// Valency for the angle terms Val_val (4, 4); set to `valency_boc` for first-row elements
    /// (mass < 21), as LAMMPS does ("Equate vval3 to valf", with a warning).
    pub valency_val: f64,
    /// Valence-angle p_val5 (4, 5).
    pub p_val5: f64,
    /// Inner-wall radius r_core (4, 6).
    pub rcore2: f64,
    /// Inner-wall energy ε_core (4, 7).
    pub ecore2: f64,
    /// Inner-wall exponent α_core (4, 8).
    pub acore2: f64,
    /// Low-gradient dispersion coefficient C_lg (5, 1; 0 without `lgvdw`).
    pub lgcij: f64,
    /// Low-gradient radius R_e (5, 2; 0 without `lgvdw`).
    pub lgre: f64,
}

/// How the van der Waals term is shielded (LAMMPS `gp.vdw_type`), set from the first element
/// and kept for all: inner wall when r_core > 0.01 and α_core > 0.01, shielding when γ_w > 0.5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VdwType {
    /// Shielding, no inner wall (type 1).
    Shielding,
    /// Inner wall, no shielding (type 2).
    InnerWall,
    /// Inner wall and shielding (type 3).
    InnerWallShielding,
}

/// Parameters of an element pair (LAMMPS `two_body_parameters`, `tbp[i][j]`), symmetric.
///
/// The bond fields come from the bond section and stay 0 for a pair it does not list. The
/// van der Waals and radius fields are first mixed from the elements, as LAMMPS does for every
/// pair: r_s, r_p, r_pp arithmetic means of r_o^σ, r_o^π, r_o^ππ; p_boc3,4,5 = √(b_o_132,131,133
/// products); D = √(ε_i ε_j); α = √(α_i α_j); r_vdW = 2√(r_vdW,i r_vdW,j);
/// γ_w = √(γ_w,i γ_w,j); γ = (γ_i γ_j)^(−3/2); r_core, ε_core, α_core geometric means;
/// lgcij = √(C_lg,i C_lg,j); lgre = 2 `gp.l[35]` √(R_e,i R_e,j). An off-diagonal line then
/// overrides each of D, r_vdW (2× the file value), α, r_s, r_p, r_pp where its value is > 0,
/// and lgcij where ≥ 0.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TwoBody {
    /// σ-bond dissociation energy D_e^σ (LAMMPS `De_s`).
    pub de_s: f64,
    /// π-bond dissociation energy D_e^π (`De_p`).
    pub de_p: f64,
    /// ππ-bond dissociation energy D_e^ππ (`De_pp`).
    pub de_pp: f64,
    /// Bond-energy p_be1.
    pub p_be1: f64,
    /// Bond-order p_bo5 (π).
    pub p_bo5: f64,
    /// 1-3 bond-order correction switch (`v13cor`).
    pub v13cor: f64,
    /// Bond-order p_bo6 (π).
    pub p_bo6: f64,
    /// Over-coordination p_ovun1.
    pub p_ovun1: f64,
    /// Bond-energy p_be2.
    pub p_be2: f64,
    /// Bond-order p_bo3 (π).
    pub p_bo3: f64,
    /// Bond-order p_bo4 (π).
    pub p_bo4: f64,
    /// Bond-order p_bo1 (σ).
    pub p_bo1: f64,
    /// Bond-order p_bo2 (σ).
    pub p_bo2: f64,
    /// Over-coordination correction switch (`ovc`).
    pub ovc: f64,
    /// σ radius r_o^σ of the pair.
    pub r_s: f64,
    /// π radius r_o^π of the pair.
    pub r_p: f64,
    /// ππ radius r_o^ππ of the pair.
    pub r_pp: f64,
    /// Bond-order correction p_boc3.
    pub p_boc3: f64,
    /// Bond-order correction p_boc4.
    pub p_boc4: f64,
    /// Bond-order correction p_boc5.
    pub p_boc5: f64,
    /// vdW well depth D_ij (LAMMPS `D`).
    pub d: f64,
    /// vdW Morse exponent α_ij.
    pub alpha: f64,
    /// vdW radius r_vdW,ij (LAMMPS `r_vdW`): a diameter, twice the file's radius.
    pub r_vdw: f64,
    /// vdW shielding γ_w,ij.
    pub gamma_w: f64,
    /// Coulomb shielding (γ_i γ_j)^(−3/2).
    pub gamma: f64,
    /// Inner-wall radius.
    pub rcore: f64,
    /// Inner-wall energy.
    pub ecore: f64,
    /// Inner-wall exponent.
    pub acore: f64,
    /// Low-gradient dispersion coefficient.
    pub lgcij: f64,
    /// Low-gradient radius.
    pub lgre: f64,
}

/// One valence-angle parameter set (LAMMPS `three_body_parameters`), for the angle j-k-l with
/// k at the apex; an apex may carry several sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AngleParams {
    /// Equilibrium angle Θ_0,0, degrees (`theta_00`).
    pub theta_00: f64,
    /// Angle energy p_val1 (the angle term skips a set with |p_val1| ≤ 0.001).
    pub p_val1: f64,
    /// Angle exponent p_val2.
    pub p_val2: f64,
    /// Three-body conjugation p_coa1.
    pub p_coa1: f64,
    /// Undercoordination p_val7.
    pub p_val7: f64,
    /// Penalty energy p_pen1.
    pub p_pen1: f64,
    /// Bond-order exponent p_val4.
    pub p_val4: f64,
}

/// One torsion parameter set (LAMMPS `four_body_parameters`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TorsionParams {
    /// V1 barrier (LAMMPS `V1`).
    pub v1: f64,
    /// V2 barrier (`V2`).
    pub v2: f64,
    /// V3 barrier (`V3`).
    pub v3: f64,
    /// Torsion bond-order exponent p_tor1.
    pub p_tor1: f64,
    /// Four-body conjugation p_cot1.
    pub p_cot1: f64,
}

/// One hydrogen-bond parameter set (LAMMPS `hbond_parameters`) for donor–H–acceptor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HbondParams {
    /// Equilibrium H…acceptor distance r_0^hb (`r0_hb`).
    pub r0_hb: f64,
    /// Energy p_hb1.
    pub p_hb1: f64,
    /// Bond-order exponent p_hb2.
    pub p_hb2: f64,
    /// Distance exponent p_hb3.
    pub p_hb3: f64,
}

/// A line of the bond section as written (element indices 0-based).
#[derive(Clone, Debug, PartialEq)]
pub struct BondEntry {
    /// The element pair.
    pub pair: [usize; 2],
    /// The 16 numbers of its two lines.
    pub values: [f64; 16],
}

/// A line of the off-diagonal section as written (0-based; `values` holds D, r_vdW (a radius,
/// as in the file), α, r_s, r_p, r_pp and, with `lgvdw`, lgcij).
#[derive(Clone, Debug, PartialEq)]
pub struct OffDiagonalEntry {
    /// The element pair.
    pub pair: [usize; 2],
    /// The values in file order.
    pub values: Vec<f64>,
}

/// A line of the angle section (0-based, apex in the middle).
#[derive(Clone, Debug, PartialEq)]
pub struct AngleEntry {
    /// The elements j, k (apex), l.
    pub elements: [usize; 3],
    /// Its parameters.
    pub params: AngleParams,
}

/// A line of the torsion section; `None` is the wildcard 0 of the first or last position.
#[derive(Clone, Debug, PartialEq)]
pub struct TorsionEntry {
    /// The elements j, k, l, m (0-based).
    pub elements: [Option<usize>; 4],
    /// Its parameters.
    pub params: TorsionParams,
}

/// A line of the hydrogen-bond section (0-based donor, hydrogen, acceptor as LAMMPS orders
/// `hbp[j][k][l]`).
#[derive(Clone, Debug, PartialEq)]
pub struct HbondEntry {
    /// The elements j, k, l.
    pub elements: [usize; 3],
    /// Its parameters.
    pub params: HbondParams,
}
