//! The ReaxFF force-field reader on the two LAMMPS files in `tests/reference/lammps/
//! potentials/` (AgZnO, AuO), read as they are: section counts equal to the files' own count
//! lines, spot values equal to the text of the file (read here independently, by words), the
//! LAMMPS mixing and override rules for pairs, wildcard torsions, the mass check against a data
//! file; and the errors for a truncated file, a letter in a number, an element index out of
//! range, a bad count and an element missing from the file, each naming the file and the line.

use std::path::{Path, PathBuf};

use nanocontact::error::Error;
use nanocontact::potential::reaxff::params::VdwType;
use nanocontact::potential::reaxff::{ForceField, GeneralParams};

fn potential(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference/lammps/potentials")
        .join(name)
}

fn text(name: &str) -> Vec<String> {
    std::fs::read_to_string(potential(name))
        .expect("reference file")
        .lines()
        .map(str::to_string)
        .collect()
}

fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

fn num(w: &str) -> f64 {
    w.parse().expect("number in reference file")
}

/// The count on the line whose comment contains `key`.
fn count(lines: &[String], key: &str) -> usize {
    let l = lines.iter().find(|l| l.contains(key)).expect("count line");
    words(l)[0].parse().expect("count")
}

/// The 0-based line index of the first line of element `sym`.
fn element_line(lines: &[String], sym: &str) -> usize {
    lines
        .iter()
        .position(|l| words(l).first() == Some(&sym))
        .expect("element line")
}

fn read(name: &str) -> ForceField {
    ForceField::read(&potential(name), false).expect("reads")
}

#[test]
fn section_counts_match_the_count_lines() {
    for name in ["ffield.reax.AgZnO", "ffield.reax.AuO"] {
        let (ff, t) = (read(name), text(name));
        assert_eq!(ff.general.l.len(), count(&t, "Number of general"), "{name}");
        assert_eq!(ff.elements.len(), count(&t, "Nr of atoms"), "{name}");
        assert_eq!(ff.bonds.len(), count(&t, "Nr of bonds"), "{name}");
        assert_eq!(
            ff.off_diagonals.len(),
            count(&t, "Nr of off-diagonal"),
            "{name}"
        );
        assert_eq!(ff.angles.len(), count(&t, "Nr of angles"), "{name}");
        assert_eq!(ff.torsions.len(), count(&t, "Nr of torsions"), "{name}");
        assert_eq!(ff.hbonds.len(), count(&t, "Nr of hydrogen"), "{name}");
        assert_eq!(ff.vdw_type, VdwType::Shielding, "{name}");
        assert!(ff.warnings.is_empty(), "{name}: {:?}", ff.warnings);
        let masses = ff.masses();
        for (e, m) in ff.elements.iter().zip(&masses) {
            let w = words(&t[element_line(&t, &e.name)]);
            assert_eq!(*m, num(w[3]), "{name}: mass of {}", e.name);
        }
    }
}

#[test]
fn general_parameters_and_cutoffs() {
    let (ff, t) = (read("ffield.reax.AgZnO"), text("ffield.reax.AgZnO"));
    for (k, v) in ff.general.l.iter().enumerate() {
        assert_eq!(*v, num(words(&t[2 + k])[0]), "gp.l[{k}]");
    }
    let line = |key: &str| num(words(t.iter().find(|l| l.contains(key)).expect(key))[0]);
    let gp: &GeneralParams = &ff.general;
    assert_eq!(gp.swa(), line("Lower Taper-radius"));
    assert_eq!(gp.swb(), line("Upper Taper-radius"));
    assert_eq!(gp.swb(), 10.0);
    assert_eq!(gp.bo_cut(), 0.01 * line("Cutoff for bond order"));
}

#[test]
fn element_values_follow_the_file() {
    let (ff, t) = (read("ffield.reax.AgZnO"), text("ffield.reax.AgZnO"));
    let types = ff.for_elements(&["Ag", "o"]).expect("both in the file");
    let (ag, o) = (types[0], types[1]);
    assert_eq!(ff.elements[ag].name, "Ag");
    assert_eq!(ff.elements[o].name, "O");
    let i = element_line(&t, "Ag");
    let (l1, l2, l3, l4) = (
        words(&t[i]),
        words(&t[i + 1]),
        words(&t[i + 2]),
        words(&t[i + 3]),
    );
    let e = &ff.elements[ag];
    assert_eq!(e.r_s, num(l1[1]));
    assert_eq!(e.valency, num(l1[2]));
    assert_eq!(e.r_vdw, num(l1[4]));
    assert_eq!(e.epsilon, num(l1[5]));
    assert_eq!(e.gamma, num(l1[6]));
    assert_eq!(e.r_pi, num(l1[7]));
    assert_eq!(e.valency_e, num(l1[8]));
    assert_eq!(e.n_lp_opt, 0.5 * (num(l1[8]) - num(l1[2])));
    assert_eq!(e.alpha, num(l2[0]));
    assert_eq!(e.gamma_w, num(l2[1]));
    assert_eq!(e.valency_boc, num(l2[2]));
    assert_eq!(e.p_ovun5, num(l2[3]));
    assert_eq!(e.chi, num(l2[5]));
    assert_eq!(
        e.eta,
        2.0 * num(l2[6]),
        "LAMMPS stores twice the file's eta"
    );
    assert_eq!(e.p_hbond, num(l2[7]) as i32);
    assert_eq!(e.r_pi_pi, num(l3[0]));
    assert_eq!(e.p_lp2, num(l3[1]));
    assert_eq!(
        [e.b_o_131, e.b_o_132, e.b_o_133],
        [num(l3[3]), num(l3[4]), num(l3[5])]
    );
    assert_eq!(e.bcut_acks2, num(l3[6]));
    assert_eq!(e.p_ovun2, num(l4[0]));
    assert_eq!(e.p_val3, num(l4[1]));
    assert_eq!(e.valency_val, num(l4[3]));
    assert_eq!(e.p_val5, num(l4[4]));
    assert_eq!(
        [e.rcore2, e.ecore2, e.acore2],
        [num(l4[5]), num(l4[6]), num(l4[7])]
    );
    assert_eq!([e.lgcij, e.lgre], [0.0, 0.0]);
    let au = read("ffield.reax.AuO");
    let t = text("ffield.reax.AuO");
    let i = au.for_elements(&["AU"]).expect("Au")[0];
    assert_eq!(
        au.elements[i].r_s,
        num(words(&t[element_line(&t, "Au")])[1])
    );
}

#[test]
fn pairs_mix_and_follow_bond_and_off_diagonal_lines() {
    let (ff, t) = (read("ffield.reax.AgZnO"), text("ffield.reax.AgZnO"));
    let [ag, o] = [6, 2];
    let el = &ff.elements;
    // Bond line "3 7 ..." (O-Ag), both orders.
    let b = t
        .iter()
        .position(|l| words(l).get(..2) == Some(&["3", "7"][..]))
        .expect("bond 3 7");
    let (b1, b2) = (words(&t[b]), words(&t[b + 1]));
    for p in [ff.two_body(o, ag), ff.two_body(ag, o)] {
        assert_eq!(
            [p.de_s, p.p_be1, p.p_bo6],
            [num(b1[2]), num(b1[5]), num(b1[8])]
        );
        assert_eq!(p.p_ovun1, num(b1[9]));
        assert_eq!(
            [p.p_be2, p.p_bo3, p.p_bo4],
            [num(b2[0]), num(b2[1]), num(b2[2])]
        );
        assert_eq!(
            [p.p_bo1, p.p_bo2, p.ovc],
            [num(b2[4]), num(b2[5]), num(b2[6])]
        );
    }
    // Off-diagonal line "3 7 D r_vdW alpha r_s r_p r_pp": positive values override, r_vdW
    // doubled; -1 keeps the mixed r_p and r_pp.
    let od = t
        .iter()
        .position(|l| words(l).len() == 8 && words(l)[..2] == ["3", "7"])
        .expect("off-diagonal 3 7");
    let w = words(&t[od]);
    let p = ff.two_body(ag, o);
    assert_eq!(
        [p.d, p.r_vdw, p.alpha],
        [num(w[2]), 2.0 * num(w[3]), num(w[4])]
    );
    assert_eq!(p.r_s, num(w[5]));
    assert_eq!(p.r_p, 0.5 * (el[ag].r_pi + el[o].r_pi));
    assert_eq!(p.r_pp, 0.5 * (el[ag].r_pi_pi + el[o].r_pi_pi));
    // Ag-Ag has no off-diagonal line: all mixed.
    let p = ff.two_body(ag, ag);
    assert_eq!(p.r_vdw, 2.0 * el[ag].r_vdw);
    assert_eq!(p.d, el[ag].epsilon);
    assert_eq!(p.gamma, (el[ag].gamma * el[ag].gamma).powf(-1.5));
    assert_eq!(p.r_s, el[ag].r_s);
    assert_eq!(p.p_boc4, el[ag].b_o_131);
}

#[test]
fn angles_torsions_and_hbonds() {
    let ff = read("ffield.reax.AgZnO");
    // "3 7 8  80.5070 ...": O-Ag-Zn, both orders.
    assert_eq!(ff.angle(2, 6, 7)[0].theta_00, 80.507);
    assert_eq!(ff.angle(7, 6, 2), ff.angle(2, 6, 7));
    assert_eq!(
        ff.angle(0, 0, 0).len(),
        1,
        "a symmetric angle is stored once"
    );
    assert_eq!(ff.angle(0, 0, 0)[0].p_val4, 1.1244);
    assert!(ff.angle(6, 6, 6).is_empty());
    // Explicit "6 1 1 6" beats the earlier wildcard "0 1 1 0"; other ends get the wildcard.
    let explicit = ff.torsion(5, 0, 0, 5).expect("6 1 1 6");
    assert_eq!(explicit.v2, 2.0001);
    assert_eq!(ff.torsion(4, 0, 0, 4).expect("0 1 1 0").v2, 50.0);
    assert_eq!(ff.torsion(1, 0, 0, 1).expect("2 1 1 2").v2, 31.2081);
    // "0 1 4 0" applies to x-4-1-y too.
    assert_eq!(ff.torsion(6, 3, 0, 7).expect("0 1 4 0").v2, 40.4126);
    assert!(ff.torsion(0, 5, 5, 0).is_none());
    let wild = ff
        .torsions
        .iter()
        .filter(|t| t.elements[0].is_none())
        .count();
    assert_eq!(wild, 9);
    let h = ff.hbond(2, 1, 2).expect("3 2 3");
    assert_eq!(
        [h.r0_hb, h.p_hb1, h.p_hb2, h.p_hb3],
        [2.12, -3.58, 1.45, 19.5]
    );
    assert!(ff.hbond(1, 2, 2).is_none());
    assert_eq!(ff.hbonds[1].elements, [2, 1, 3]);
    assert_eq!(ff.bonds[0].pair, [0, 0]);
    assert_eq!(ff.bonds[0].values[15], 0.0);
    assert_eq!(
        ff.off_diagonals[0].values,
        [0.1239, 1.4004, 9.8467, 1.121, -1.0, -1.0]
    );
    assert_eq!(ff.angles[0].elements, [0, 0, 0]);
    assert_eq!(ff.angles[0].params.theta_00, 59.0573);
    assert_eq!(ff.torsions[0].params.v1, -0.25);
}

#[test]
fn silver_mass_differs_from_the_data_file() {
    let ff = read("ffield.reax.AgZnO");
    let types = ff.for_elements(&["Ag", "O"]).expect("types");
    let w = ff.mass_warnings(&types, &[107.8682, 15.9994]);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("Ag") && w[0].contains("63.546") && w[0].contains("107.8682"));
    assert!(w[0].contains("ffield.reax.AgZnO") && w[0].contains("type 1"));
    let au = read("ffield.reax.AuO");
    let types = au.for_elements(&["Au", "O"]).expect("types");
    assert!(au.mass_warnings(&types, &[196.96657, 15.9994]).is_empty());
}

/// A copy of AuO with `edit` applied to its lines, written to a temporary file.
fn copy(tag: &str, edit: impl Fn(&mut Vec<String>)) -> PathBuf {
    let mut lines = text("ffield.reax.AuO");
    edit(&mut lines);
    let dir = std::env::temp_dir().join(format!("nanocontact-ffield-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("ffield.{tag}"));
    std::fs::write(&path, lines.join("\n") + "\n").expect("write copy");
    path
}

/// A copy of AuO with `edit` applied, and the error reading it gives.
fn edited(tag: &str, edit: impl Fn(&mut Vec<String>)) -> (PathBuf, Error) {
    let path = copy(tag, edit);
    let err = ForceField::read(&path, false).expect_err("must fail");
    (path, err)
}

/// Replace word `k` (0-based) of line `i` (0-based).
fn set_word(lines: &mut [String], i: usize, k: usize, v: &str) {
    let mut w: Vec<String> = words(&lines[i]).iter().map(|w| w.to_string()).collect();
    w[k] = v.to_string();
    lines[i] = w.join(" ");
}

#[test]
fn lgvdw_reads_a_fifth_element_line_and_a_seventh_off_diagonal_value() {
    let path = copy("lgvdw", |l| {
        // Off-diagonal lines 73-75 get lgcij; O-Au (line 75) 0.5, the others -1 (kept mixed).
        for (i, v) in [(72, "-1.0"), (73, "-1.0"), (74, "0.5")] {
            l[i] = format!("{} {v}", l[i]);
        }
        // Element lines: H 46-49, O 50-53, Au 54-57; insert from the end.
        for (after, v) in [(57, "3.0 1.5"), (53, "2.0 1.2"), (49, "1.0 1.1")] {
            l.insert(after, v.to_string());
        }
    });
    let e = ForceField::read(&path, false).expect_err("needs lgvdw");
    assert_at(
        &e,
        &path,
        50,
        "found 2 words (a file with lgvdw lines needs 'lgvdw yes')",
    );
    let ff = ForceField::read(&path, true).expect("reads with lgvdw");
    assert_eq!(ff.elements.len(), 3);
    assert_eq!([ff.elements[2].lgcij, ff.elements[2].lgre], [3.0, 1.5]);
    let (h, o, au) = (&ff.elements[0], &ff.elements[1], &ff.elements[2]);
    let p = ff.two_body(0, 2);
    assert_eq!(p.lgcij, (h.lgcij * au.lgcij).sqrt());
    assert_eq!(p.lgre, 2.0 * ff.general.l[35] * (h.lgre * au.lgre).sqrt());
    assert_eq!(ff.two_body(2, 1).lgcij, 0.5);
    assert_eq!(ff.two_body(1, 1).lgcij, o.lgcij);
    assert_eq!(ff.off_diagonals[2].values.len(), 7);
}

#[test]
fn vdw_form_and_valency_warnings_as_lammps() {
    // H (mass 1.008) with valency_val 2 ≠ valency_boc 1: reset, with a warning.
    let path = copy("valency", |l| set_word(l, 48, 3, "2.0"));
    let ff = ForceField::read(&path, false).expect("reads");
    assert_eq!(ff.elements[0].valency_val, ff.elements[0].valency_boc);
    assert_eq!(ff.warnings.len(), 1);
    assert!(ff.warnings[0].contains("changed valency_val to valency_boc for H"));
    // H with an inner wall and shielding: the first element sets the form, Au's differs.
    let path = copy("wall", |l| {
        set_word(l, 48, 5, "1.5");
        set_word(l, 48, 7, "2.0");
    });
    let ff = ForceField::read(&path, false).expect("reads");
    assert_eq!(ff.vdw_type, VdwType::InnerWallShielding);
    assert!(
        ff.warnings.iter().any(|w| w.contains("element O")),
        "{:?}",
        ff.warnings
    );
    let path = copy("wall-only", |l| {
        for i in [48, 52, 56] {
            set_word(l, i, 5, "1.5");
            set_word(l, i, 7, "2.0");
        }
        for i in [46, 50, 54] {
            set_word(l, i, 1, "0.1");
        }
    });
    let ff = ForceField::read(&path, false).expect("reads");
    assert_eq!(ff.vdw_type, VdwType::InnerWall);
    assert!(ff.warnings.is_empty(), "{:?}", ff.warnings);
    assert_eq!(ff.two_body(0, 2).rcore, 1.5);
    assert_eq!(ff.two_body(0, 2).acore, 2.0);
    // Au with neither shielding nor inner wall: an error at Au's first line.
    let (p, e) = edited("no-vdw", |l| set_word(l, 54, 1, "0.1"));
    assert_at(
        &e,
        &p,
        54,
        "element Au: inconsistent van der Waals parameters",
    );
}

fn assert_at(err: &Error, path: &Path, line: usize, needle: &str) {
    let s = err.to_string();
    let want = format!("{}:{line}: ", path.display());
    assert!(s.starts_with(&want), "'{s}' should start with '{want}'");
    assert!(s.contains(needle), "'{s}' should contain '{needle}'");
}

#[test]
fn truncated_file_names_the_section_and_last_line() {
    // Lines 46-49 are H, 50-53 O: cut after O's first line.
    let (p, e) = edited("truncated", |l| l.truncate(50));
    assert_at(
        &e,
        &p,
        50,
        "expected 7 more line(s) of the atom section, file ended at line 50",
    );
    let (p, e) = edited("truncated-hbond", |l| l.truncate(104));
    assert_at(&e, &p, 104, "1 more line(s) of the hydrogen-bond section");
}

#[test]
fn letter_in_a_number_names_line_and_column() {
    let (p, e) = edited("letter", |l| l[74] = l[74].replace("9.8430", "9.8x30"));
    assert_at(
        &e,
        &p,
        75,
        "column 5: '9.8x30' is not a number (the off-diagonal section)",
    );
    let (p, e) = edited("general", |l| l[14] = l[14].replace("10.0000", "ten"));
    assert_at(&e, &p, 15, "column 1: 'ten' is not a number");
}

#[test]
fn bad_indices_and_counts() {
    let (p, e) = edited("index", |l| l[59] = l[59].replacen("  1  1", "  4  1", 1));
    assert_at(&e, &p, 60, "column 1: element index 4 is out of range");
    let (p, e) = edited("count", |l| l[57] = l[57].replacen("6", "-6", 1));
    assert_at(&e, &p, 58, "the number of bond entries is -6");
    let (p, e) = edited("short", |l| l[76] = "  1  1  1   0.0000".into());
    assert_at(&e, &p, 77, "expected at least 10 words");
    let (p, e) = edited("huge-count", |l| {
        l[57] = l[57].replacen("6", "6000000000000", 1)
    });
    // The bond reader runs into the off-diagonal lines and stops at the first.
    assert_at(
        &e,
        &p,
        72,
        "expected at least 10 words on this line of the bond section",
    );
    let (p, e) = edited("huge-atoms", |l| {
        l[41] = l[41].replacen("3", "9223372036854775807", 1)
    });
    assert_at(&e, &p, 58, "expected an element symbol and 8 numbers");
    let (p, e) = edited("general-count", |l| l[1] = l[1].replacen("39", "12", 1));
    assert_at(&e, &p, 2, "expected at least 39");
}

#[test]
fn element_missing_from_the_file() {
    let ff = read("ffield.reax.AuO");
    let e = ff.for_elements(&["Au", "Ag"]).expect_err("no Ag in AuO");
    assert_at(&e, &ff.path, 42, "element 'Ag' is not in this force field");
    assert!(e.to_string().contains("H, O, Au"));
}
