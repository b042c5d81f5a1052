//! The orthogonal two-centre Slater–Koster spd tight-binding model of a noble metal (Au, Ag):
//! nine orbitals per atom, hopping blocks for any bond direction from ten two-centre integrals,
//! and a distance dependence so that the model applies to any geometry (tips, chains, MD
//! snapshots), not only the perfect crystal it was fitted to.
//!
//! **Orbital order** (per atom): s, p_x, p_y, p_z, d_xy, d_yz, d_zx, d_{x²−y²}, d_{3z²−r²},
//! real orbitals in the Cartesian frame of the atom positions.
//!
//! **Angular dependence** (J. C. Slater and G. F. Koster, Phys. Rev. 94, 1498 (1954), Table I):
//! for the bond R = r_j − r_i with direction cosines (l, m, n), ⟨α, i|H|β, j⟩ = E_αβ(l, m, n)
//! is a fixed combination of the bond integrals V_ssσ, V_spσ, V_ppσ, V_ppπ, V_sdσ, V_pdσ, V_pdπ,
//! V_ddσ, V_ddπ, V_ddδ, e.g. E_{s,x} = l V_spσ, E_{x,y} = lm (V_ppσ − V_ppπ),
//! E_{x,xy} = √3 l²m V_pdσ + m(1 − 2l²) V_pdπ and
//! E_{xy,xy} = 3l²m² V_ddσ + (l² + m² − 4l²m²) V_ddπ + (n² + l²m²) V_ddδ. The entries Table I
//! lists are coded as they stand; the others follow from the cyclic permutation
//! x → y → z, l → m → n, and from E_βα(l, m, n) = (−1)^{l_α + l_β} E_αβ(l, m, n) (parity of
//! orbitals of angular momenta l_α, l_β), which makes H real symmetric. The tests check the
//! blocks against rotations of the orbitals (E(QR) = D(Q) E(R) D(Q)ᵀ) and the bond frame.
//!
//! **Parameters and distance dependence.** A parameter file (`inputs/tb/au_spd.toml`,
//! `ag_spd.toml`) gives the on-site energies ε_s, ε_p, ε_d(t2g), ε_d(eg) and the bond integrals
//! of the first and second fcc neighbour shells, V⁽¹⁾ at d1 = a/√2 and V⁽²⁾ at d2 = a, as fitted
//! to the bulk bands (Papaconstantopoulos's Handbook, two-centre orthogonal fits). At any
//! distance R each integral of the angular-momentum pair (l, l′) is
//!
//!   V(R) = [w(R) V⁽¹⁾ (d1/R)^{n_ll′} + (1 − w(R)) V⁽²⁾ (d2/R)^{n_ll′}] · c(R),
//!
//! with Harrison's exponents n_ll′ = l + l′ + 1 for the d-containing pairs and 2 for s, p
//! (V ∝ d⁻² for ss, sp, pp; d^{−7/2} for sd, pd; d⁻⁵ for dd: W. A. Harrison, *Elementary
//! Electronic Structure*, World Scientific 1999), w(R) a smooth switch from the first shell
//! (w = 1 for R ≤ r_a) to the second (w = 0 for R ≥ r_b), and c(R) a smooth cutoff (1 below
//! r_c1, 0 beyond r_c2). Both use the quintic tail t(x) = 1 − 10x³ + 15x⁴ − 6x⁵ (continuous
//! with two derivatives). With d1 < r_a < r_b < d2 < r_c1 the bulk crystal at the reference
//! lattice constant gets exactly the fitted integrals. The switch and the cutoff are this
//! code's construction (the Handbook fits the perfect crystal only), stated in the files.
//!
//! **On-site block**: diag(ε_s, ε_p ×3, ε_t2g ×3, ε_eg ×2). The t2g/eg splitting is the cubic
//! crystal field of the bulk fit, applied in the Cartesian frame (exact for crystals with
//! cube axes along x, y, z, a small, 0.1 eV, anisotropy otherwise).
//!
//! The model describes one element; the species index of [`TightBinding`] is ignored.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::io::toml_lines::{line_of, locate};
use crate::transport::dense::{c64, CMat};
use crate::transport::model::tight_binding::TightBinding;
use crate::units::RYDBERG_EV;

/// Orbitals per atom: s, p_x, p_y, p_z, d_xy, d_yz, d_zx, d_{x²−y²}, d_{3z²−r²}.
pub const ORBITALS: usize = 9;

/// Angular momentum of each orbital, in the order of [`ORBITALS`].
pub const ANGULAR_MOMENTUM: [u32; ORBITALS] = [0, 1, 1, 1, 2, 2, 2, 2, 2];

/// The ten two-centre bond integrals (eV).
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BondIntegrals {
    pub sss: f64,
    pub sps: f64,
    pub pps: f64,
    pub ppp: f64,
    pub sds: f64,
    pub pds: f64,
    pub pdp: f64,
    pub dds: f64,
    pub ddp: f64,
    pub ddd: f64,
}

impl BondIntegrals {
    fn scaled(&self, f: f64) -> Self {
        self.map(|_, v| v * f)
    }

    /// Apply `f(class, value)` to every integral; class 0: ss/sp/pp, 1: sd/pd, 2: dd.
    fn map(&self, f: impl Fn(usize, f64) -> f64) -> Self {
        BondIntegrals {
            sss: f(0, self.sss),
            sps: f(0, self.sps),
            pps: f(0, self.pps),
            ppp: f(0, self.ppp),
            sds: f(1, self.sds),
            pds: f(1, self.pds),
            pdp: f(1, self.pdp),
            dds: f(2, self.dds),
            ddp: f(2, self.ddp),
            ddd: f(2, self.ddd),
        }
    }

    fn values(&self) -> [f64; 10] {
        [
            self.sss, self.sps, self.pps, self.ppp, self.sds, self.pds, self.pdp, self.dds,
            self.ddp, self.ddd,
        ]
    }

    /// The inverse of [`BondIntegrals::values`].
    fn from_values(v: [f64; 10]) -> Self {
        let [sss, sps, pps, ppp, sds, pds, pdp, dds, ddp, ddd] = v;
        BondIntegrals {
            sss,
            sps,
            pps,
            ppp,
            sds,
            pds,
            pdp,
            dds,
            ddp,
            ddd,
        }
    }
}

/// The Slater–Koster block E_αβ for a bond of unit direction `u` = (l, m, n) (9 × 9, real).
pub fn sk_block(u: [f64; 3], v: &BondIntegrals) -> [[f64; ORBITALS]; ORBITALS] {
    let [l, m, n] = u;
    let s3 = 3f64.sqrt();
    let (l2, m2, n2) = (l * l, m * m, n * n);
    let mut e = [[0.0; ORBITALS]; ORBITALS];

    // s–s, s–p, p–p.
    e[0][0] = v.sss;
    let c = [l, m, n];
    for i in 0..3 {
        e[0][1 + i] = c[i] * v.sps;
        for j in 0..3 {
            let delta = if i == j { v.ppp } else { 0.0 };
            e[1 + i][1 + j] = c[i] * c[j] * (v.pps - v.ppp) + delta;
        }
    }

    // s–d: the normalized angular functions of the d orbitals at the bond direction.
    let lm2 = l2 - m2;
    let z2 = n2 - 0.5 * (l2 + m2);
    let ang = [s3 * l * m, s3 * m * n, s3 * n * l, 0.5 * s3 * lm2, z2];
    for b in 0..5 {
        e[0][4 + b] = ang[b] * v.sds;
    }

    // p–d. t2g columns of the p_x row, Table I; the other rows by cyclic permutation.
    let (ps, pp) = (v.pds, v.pdp);
    let x_xy = |l: f64, m: f64, _n: f64| s3 * l * l * m * ps + m * (1.0 - 2.0 * l * l) * pp;
    let x_yz = |l: f64, m: f64, n: f64| s3 * l * m * n * ps - 2.0 * l * m * n * pp;
    let x_zx = |l: f64, _m: f64, n: f64| s3 * l * l * n * ps + n * (1.0 - 2.0 * l * l) * pp;
    // Columns xy, yz, zx (indices 4, 5, 6) for rows x, y, z.
    e[1][4] = x_xy(l, m, n);
    e[1][5] = x_yz(l, m, n);
    e[1][6] = x_zx(l, m, n);
    e[2][5] = x_xy(m, n, l); // y–yz
    e[2][6] = x_yz(m, n, l); // y–zx
    e[2][4] = x_zx(m, n, l); // y–xy
    e[3][6] = x_xy(n, l, m); // z–zx
    e[3][4] = x_yz(n, l, m); // z–xy
    e[3][5] = x_zx(n, l, m); // z–yz
                             // eg columns, Table I as written.
    e[1][7] = 0.5 * s3 * l * lm2 * ps + l * (1.0 - lm2) * pp;
    e[2][7] = 0.5 * s3 * m * lm2 * ps - m * (1.0 + lm2) * pp;
    e[3][7] = 0.5 * s3 * n * lm2 * ps - n * lm2 * pp;
    e[1][8] = l * z2 * ps - s3 * l * n2 * pp;
    e[2][8] = m * z2 * ps - s3 * m * n2 * pp;
    e[3][8] = n * z2 * ps + s3 * n * (l2 + m2) * pp;

    // d–d. t2g–t2g: the xy row of Table I, the rest by cyclic permutation.
    let (ds, dp, dd) = (v.dds, v.ddp, v.ddd);
    let xy_xy = |l: f64, m: f64, n: f64| {
        let (l2, m2, n2) = (l * l, m * m, n * n);
        3.0 * l2 * m2 * ds + (l2 + m2 - 4.0 * l2 * m2) * dp + (n2 + l2 * m2) * dd
    };
    let xy_yz = |l: f64, m: f64, n: f64| {
        let m2 = m * m;
        3.0 * l * m2 * n * ds + l * n * (1.0 - 4.0 * m2) * dp + l * n * (m2 - 1.0) * dd
    };
    e[4][4] = xy_xy(l, m, n);
    e[5][5] = xy_xy(m, n, l);
    e[6][6] = xy_xy(n, l, m);
    e[4][5] = xy_yz(l, m, n); // xy–yz
    e[5][6] = xy_yz(m, n, l); // yz–zx
    e[4][6] = xy_yz(n, l, m); // zx–xy = xy–zx
                              // t2g–eg and eg–eg, Table I as written.
    e[4][7] = 1.5 * l * m * lm2 * ds - 2.0 * l * m * lm2 * dp + 0.5 * l * m * lm2 * dd;
    e[5][7] =
        1.5 * m * n * lm2 * ds - m * n * (1.0 + 2.0 * lm2) * dp + m * n * (1.0 + 0.5 * lm2) * dd;
    e[6][7] =
        1.5 * n * l * lm2 * ds + n * l * (1.0 - 2.0 * lm2) * dp - n * l * (1.0 - 0.5 * lm2) * dd;
    e[4][8] =
        s3 * l * m * z2 * ds - 2.0 * s3 * l * m * n2 * dp + 0.5 * s3 * l * m * (1.0 + n2) * dd;
    e[5][8] =
        s3 * m * n * z2 * ds + s3 * m * n * (l2 + m2 - n2) * dp - 0.5 * s3 * m * n * (l2 + m2) * dd;
    e[6][8] =
        s3 * l * n * z2 * ds + s3 * l * n * (l2 + m2 - n2) * dp - 0.5 * s3 * l * n * (l2 + m2) * dd;
    e[7][7] = 0.75 * lm2 * lm2 * ds + (l2 + m2 - lm2 * lm2) * dp + (n2 + 0.25 * lm2 * lm2) * dd;
    e[7][8] = 0.5 * s3 * lm2 * z2 * ds - s3 * n2 * lm2 * dp + 0.25 * s3 * (1.0 + n2) * lm2 * dd;
    e[8][8] = z2 * z2 * ds + 3.0 * n2 * (l2 + m2) * dp + 0.75 * (l2 + m2) * (l2 + m2) * dd;

    // The lower triangle by parity: E_βα = (−1)^{l_α + l_β} E_αβ.
    for a in 0..ORBITALS {
        for b in a + 1..ORBITALS {
            let sign = if (ANGULAR_MOMENTUM[a] + ANGULAR_MOMENTUM[b]).is_multiple_of(2) {
                1.0
            } else {
                -1.0
            };
            e[b][a] = sign * e[a][b];
        }
    }
    e
}

/// The quintic tail t(x): 1 for x ≤ 0, 0 for x ≥ 1, 1 − 10x³ + 15x⁴ − 6x⁵ between.
pub(crate) fn tail(x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else if x >= 1.0 {
        0.0
    } else {
        1.0 - x * x * x * (10.0 - 15.0 * x + 6.0 * x * x)
    }
}

/// dt/dx of the quintic tail: −30x²(1 − x)² on (0, 1), 0 outside.
pub(crate) fn tail_derivative(x: f64) -> f64 {
    if x <= 0.0 || x >= 1.0 {
        0.0
    } else {
        -30.0 * x * x * (1.0 - x) * (1.0 - x)
    }
}

/// d²t/dx² of the quintic tail: −60x(1 − x)(1 − 2x) on (0, 1), 0 outside.
pub(crate) fn tail_second_derivative(x: f64) -> f64 {
    if x <= 0.0 || x >= 1.0 {
        0.0
    } else {
        -60.0 * x * (1.0 - x) * (1.0 - 2.0 * x)
    }
}

/// The parameters of one element, energies in eV, lengths in Å.
#[derive(Clone, Debug, PartialEq)]
pub struct SkParameters {
    pub element: String,
    /// Valence electrons per atom (band filling).
    pub valence_electrons: f64,
    /// Cube edge a of the reference crystal: shells at d1 = a/√2 and d2 = a.
    pub lattice_constant: f64,
    /// ε_s, ε_p, ε_d(t2g), ε_d(eg).
    pub onsite: [f64; 4],
    /// Bond integrals of the first shell, at d1.
    pub first: BondIntegrals,
    /// Bond integrals of the second shell, at d2.
    pub second: BondIntegrals,
    /// Harrison exponents for ss/sp/pp, sd/pd, dd.
    pub exponents: [f64; 3],
    /// [r_a, r_b]: first shell below r_a, second above r_b.
    pub shell_switch: [f64; 2],
    /// [r_c1, r_c2]: smooth cutoff.
    pub cutoff: [f64; 2],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOnsite {
    s: f64,
    p: f64,
    d_t2g: f64,
    d_eg: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDistance {
    exponent_sp: f64,
    exponent_spd: f64,
    exponent_dd: f64,
    shell_switch: [f64; 2],
    cutoff: [f64; 2],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileParams {
    element: String,
    valence_electrons: f64,
    lattice_constant: f64,
    energy_unit: String,
    onsite: FileOnsite,
    first: BondIntegrals,
    second: BondIntegrals,
    distance: FileDistance,
}

impl SkParameters {
    /// Read a parameter file (TOML, format of `inputs/tb/au_spd.toml`).
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(path, &text)
    }

    /// Parse parameter-file text; `path` names it in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let f: FileParams = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            Error::input(path, line, e.message().replace('\n', " "))
        })?;
        let bad = |table: &str, key: &str, msg: String| {
            let (line, full) = if table.is_empty() {
                (
                    text.lines()
                        .position(|l| l.split_once('=').is_some_and(|(k, _)| k.trim() == key))
                        .map(|i| i + 1),
                    key.to_string(),
                )
            } else {
                (locate(text, table, key), format!("{table}.{key}"))
            };
            Error::Input {
                path: path.to_path_buf(),
                line,
                key: Some(full),
                msg,
            }
        };
        let unit = match f.energy_unit.as_str() {
            "Ry" => RYDBERG_EV,
            "eV" => 1.0,
            other => {
                return Err(bad(
                    "",
                    "energy_unit",
                    format!("'{other}': expected \"Ry\" or \"eV\""),
                ))
            }
        };
        let finite = |table: &str, key: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(bad(table, key, format!("{v} is not a finite number")))
            }
        };
        let o = &f.onsite;
        for (k, v) in [("s", o.s), ("p", o.p), ("d_t2g", o.d_t2g), ("d_eg", o.d_eg)] {
            finite("onsite", k, v)?;
        }
        let names = [
            "sss", "sps", "pps", "ppp", "sds", "pds", "pdp", "dds", "ddp", "ddd",
        ];
        for (table, b) in [("first", &f.first), ("second", &f.second)] {
            for (k, v) in names.iter().zip(b.values()) {
                finite(table, k, v)?;
            }
        }
        if !(f.valence_electrons > 0.0 && f.valence_electrons <= 2.0 * ORBITALS as f64) {
            return Err(bad(
                "",
                "valence_electrons",
                format!(
                    "{} electrons: expected more than 0 and at most {} (nine orbitals)",
                    f.valence_electrons,
                    2 * ORBITALS
                ),
            ));
        }
        let a = f.lattice_constant;
        if !(a.is_finite() && a > 0.0) {
            return Err(bad(
                "",
                "lattice_constant",
                format!("{a}: expected a positive length in Å"),
            ));
        }
        let d = &f.distance;
        for (k, v) in [
            ("exponent_sp", d.exponent_sp),
            ("exponent_spd", d.exponent_spd),
            ("exponent_dd", d.exponent_dd),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(bad(
                    "distance",
                    k,
                    format!("{v}: expected a non-negative exponent"),
                ));
            }
        }
        let (d1, d2) = (a / 2f64.sqrt(), a);
        let [ra, rb] = d.shell_switch;
        let [rc1, rc2] = d.cutoff;
        if !(d1 < ra && ra < rb && rb < d2) {
            return Err(bad(
                "distance",
                "shell_switch",
                format!(
                    "[{ra}, {rb}]: expected d1 < r_a < r_b < d2 with the shells at d1 = {d1:.4} \
                     and d2 = {d2:.4} Å"
                ),
            ));
        }
        if !(d2 < rc1 && rc1 < rc2 && rc2.is_finite()) {
            return Err(bad(
                "distance",
                "cutoff",
                format!("[{rc1}, {rc2}]: expected d2 = {d2:.4} Å < r_c1 < r_c2"),
            ));
        }
        Ok(SkParameters {
            element: f.element,
            valence_electrons: f.valence_electrons,
            lattice_constant: a,
            onsite: [o.s * unit, o.p * unit, o.d_t2g * unit, o.d_eg * unit],
            first: f.first.scaled(unit),
            second: f.second.scaled(unit),
            exponents: [d.exponent_sp, d.exponent_spd, d.exponent_dd],
            shell_switch: d.shell_switch,
            cutoff: d.cutoff,
        })
    }

    /// Nearest-neighbour distance d1 = a/√2 of the reference crystal (Å).
    pub fn d1(&self) -> f64 {
        self.lattice_constant / 2f64.sqrt()
    }

    /// Second-neighbour distance d2 = a (Å).
    pub fn d2(&self) -> f64 {
        self.lattice_constant
    }
}

/// The Slater–Koster spd model of one element.
#[derive(Clone, Debug, PartialEq)]
pub struct SlaterKoster {
    pub params: SkParameters,
}

impl SlaterKoster {
    pub fn new(params: SkParameters) -> Self {
        SlaterKoster { params }
    }

    /// Read the model from a parameter file.
    pub fn read(path: &Path) -> Result<Self> {
        Ok(Self::new(SkParameters::read(path)?))
    }

    /// The bond integrals at distance `r` (Å), eV: both shells scaled by Harrison's power
    /// laws, blended by the switch and multiplied by the cutoff.
    pub fn integrals(&self, r: f64) -> BondIntegrals {
        let p = &self.params;
        let [ra, rb] = p.shell_switch;
        let [rc1, rc2] = p.cutoff;
        let c = tail((r - rc1) / (rc2 - rc1));
        if c == 0.0 {
            return BondIntegrals::default();
        }
        let w = tail((r - ra) / (rb - ra));
        let (x1, x2) = (p.d1() / r, p.d2() / r);
        let v1 = p.first.map(|k, v| v * x1.powf(p.exponents[k]));
        let v2 = p.second.map(|k, v| v * x2.powf(p.exponents[k]));
        let (a, b) = (v1.values(), v2.values());
        let mut mixed = [0.0; 10];
        for i in 0..10 {
            mixed[i] = c * (w * a[i] + (1.0 - w) * b[i]);
        }
        BondIntegrals::from_values(mixed)
    }
}

impl SlaterKoster {
    /// dV/dR of every integral of [`SlaterKoster::integrals`] (eV/Å), analytic: with
    /// a = V⁽¹⁾ (d1/R)^n, b = V⁽²⁾ (d2/R)^n (a′ = −n a/R) and V = c (w a + (1 − w) b),
    ///
    ///   V′ = c′ (w a + (1 − w) b) + c (w′ (a − b) + w a′ + (1 − w) b′).
    pub fn integrals_derivative(&self, r: f64) -> BondIntegrals {
        self.radial_derivatives(r)[1]
    }

    /// V, dV/dR and d²V/dR² of every integral (analytic): with a″ = n(n + 1) a/R²,
    ///
    ///   V″ = c″ (w a + (1 − w) b) + 2c′ (w′ (a − b) + w a′ + (1 − w) b′)
    ///        + c (w″ (a − b) + 2w′ (a′ − b′) + w a″ + (1 − w) b″).
    pub fn radial_derivatives(&self, r: f64) -> [BondIntegrals; 3] {
        let p = &self.params;
        let [ra, rb] = p.shell_switch;
        let [rc1, rc2] = p.cutoff;
        let (sc, sw) = (rc2 - rc1, rb - ra);
        let xc = (r - rc1) / sc;
        let (c, dc, ddc) = (
            tail(xc),
            tail_derivative(xc) / sc,
            tail_second_derivative(xc) / (sc * sc),
        );
        let xw = (r - ra) / sw;
        let (w, dw, ddw) = (
            tail(xw),
            tail_derivative(xw) / sw,
            tail_second_derivative(xw) / (sw * sw),
        );
        let (x1, x2) = (p.d1() / r, p.d2() / r);
        let a = p.first.map(|k, v| v * x1.powf(p.exponents[k])).values();
        let b = p.second.map(|k, v| v * x2.powf(p.exponents[k])).values();
        let n = p.first.map(|k, _| p.exponents[k]).values();
        let mut out = [[0.0; 10]; 3];
        for i in 0..10 {
            let (da, db) = (-n[i] * a[i] / r, -n[i] * b[i] / r);
            let k2 = n[i] * (n[i] + 1.0) / (r * r);
            let mix = w * a[i] + (1.0 - w) * b[i];
            let dmix = dw * (a[i] - b[i]) + w * da + (1.0 - w) * db;
            let ddmix =
                ddw * (a[i] - b[i]) + 2.0 * dw * (da - db) + w * k2 * a[i] + (1.0 - w) * k2 * b[i];
            out[0][i] = c * mix;
            out[1][i] = dc * mix + c * dmix;
            out[2][i] = ddc * mix + 2.0 * dc * dmix + c * ddmix;
        }
        out.map(BondIntegrals::from_values)
    }
}

impl TightBinding for SlaterKoster {
    fn orbitals(&self, _species: usize) -> usize {
        ORBITALS
    }

    fn onsite(&self, _species: usize) -> CMat {
        let [es, ep, et, ee] = self.params.onsite;
        let diag = [es, ep, ep, ep, et, et, et, ee, ee];
        CMat::from_fn(ORBITALS, ORBITALS, |i, j| {
            c64(if i == j { diag[i] } else { 0.0 }, 0.0)
        })
    }

    fn hopping(&self, _si: usize, _sj: usize, bond: [f64; 3]) -> Option<CMat> {
        let r = (bond[0] * bond[0] + bond[1] * bond[1] + bond[2] * bond[2]).sqrt();
        if r >= self.params.cutoff[1] || r == 0.0 {
            return None;
        }
        let u = [bond[0] / r, bond[1] / r, bond[2] / r];
        let e = sk_block(u, &self.integrals(r));
        Some(CMat::from_fn(ORBITALS, ORBITALS, |i, j| c64(e[i][j], 0.0)))
    }

    fn cutoff(&self) -> f64 {
        self.params.cutoff[1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> SkParameters {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tb/au_spd.toml");
        SkParameters::read(&path).expect("au_spd.toml")
    }

    #[test]
    fn bulk_shells_get_the_fitted_integrals_and_the_cutoff_is_smooth() {
        let m = SlaterKoster::new(params());
        let p = &m.params;
        assert_eq!(m.integrals(p.d1()), p.first);
        assert_eq!(m.integrals(p.d2()), p.second);
        // 1 Ry = 13.6057 eV: the first-shell ddσ of gold, −0.04971 Ry.
        assert!((p.first.dds - (-0.04971 * 13.605_693_122_994)).abs() < 1e-12);
        assert_eq!(m.integrals(p.cutoff[1]), BondIntegrals::default());
        // Continuity across the switch and the cutoff.
        for r0 in [
            p.shell_switch[0],
            p.shell_switch[1],
            p.cutoff[0],
            p.cutoff[1],
        ] {
            let (a, b) = (
                m.integrals(r0 - 1e-7).values(),
                m.integrals(r0 + 1e-7).values(),
            );
            for (x, y) in a.iter().zip(b) {
                assert!((x - y).abs() < 1e-6, "jump at {r0}: {x} vs {y}");
            }
        }
        // Harrison scaling inside the first shell: dd ∝ R⁻⁵, ss ∝ R⁻².
        let r = 0.95 * p.d1();
        let v = m.integrals(r);
        assert!((v.dds / p.first.dds - 0.95f64.powi(-5)).abs() < 1e-12);
        assert!((v.sss / p.first.sss - 0.95f64.powi(-2)).abs() < 1e-12);
    }

    #[test]
    fn bad_parameter_files_name_the_key() {
        let path = Path::new("bad.toml");
        let good = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tb/au_spd.toml"),
        )
        .unwrap();
        let cases = [
            (
                "shell_switch = [3.184, 3.781]",
                "shell_switch = [2.0, 3.781]",
                "distance.shell_switch",
            ),
            (
                "cutoff = [4.3, 4.7]",
                "cutoff = [4.0, 4.7]",
                "distance.cutoff",
            ),
            (
                "energy_unit = \"Ry\"",
                "energy_unit = \"hartree\"",
                "energy_unit",
            ),
            (
                "valence_electrons = 11",
                "valence_electrons = 19",
                "valence_electrons",
            ),
            ("sss = -0.06680", "sss = nan", "first.sss"),
        ];
        for (from, to, key) in cases {
            assert!(good.contains(from), "{from}");
            let text = good.replacen(from, to, 1);
            let err = SkParameters::parse(path, &text).expect_err(to).to_string();
            assert!(
                err.contains(key) && err.contains("bad.toml:"),
                "{to}: {err}"
            );
        }
        let text = good.replacen("ddd = -0.00457", "ddd = -0.00457\nddx = 1.0", 1);
        let err = SkParameters::parse(path, &text)
            .expect_err("unknown key")
            .to_string();
        assert!(err.contains("ddx"), "{err}");
    }
}
