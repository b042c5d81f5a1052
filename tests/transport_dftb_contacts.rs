//! Silver and gold single-atom contacts and monatomic chains with the non-orthogonal DFTB spd
//! model (the tables of Kumawat and Schatz, J. Phys. Chem. C 2025), every atom Mulliken-neutral:
//! each conducts about one quantum, G between 0.9 and 1.05 G0.
//!
//! The tables are not part of nanocontact, so these tests are ignored by default. Run them with
//!
//!     bash inputs/tb/fetch_dftb_tables.sh
//!     cargo test --release --test transport_dftb_contacts -- --ignored
//!
//! (about two minutes on the 2-core machine). `NANOCONTACT_SKF_DIR` names another folder that
//! holds `Ag-Ag-GS-SK.skf` and `Au-Au-GS-SK.skf`. A missing table fails the test with the
//! command that fetches it.

mod common;

use std::path::{Path, PathBuf};

/// The folder of the DFTB tables.
fn tables() -> PathBuf {
    let dir = std::env::var_os("NANOCONTACT_SKF_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tb/dftb"));
    for el in ["Ag", "Au"] {
        let f = dir.join(format!("{el}-{el}-GS-SK.skf"));
        assert!(
            f.is_file(),
            "no {}: run `bash inputs/tb/fetch_dftb_tables.sh` (or set NANOCONTACT_SKF_DIR)",
            f.display()
        );
    }
    dir
}

/// Ag and Au chains at spacings from compressed to stretched: one open channel at E_F (the
/// half-filled s band; the d bands lie below), transmitted fully.
#[test]
#[ignore = "needs the DFTB GS tables, which cannot be shipped: bash inputs/tb/fetch_dftb_tables.sh, then --ignored"]
fn dftb_monatomic_chains_conduct_one_quantum() {
    let dir = tables();
    for el in ["Ag", "Au"] {
        let table = dir.join(format!("{el}-{el}-GS-SK.skf"));
        for d in [2.5, 2.6, 2.75, 2.9] {
            let (open, t) = common::chain_at_fermi_level(&table, d);
            assert_eq!(open, 1, "{el} d = {d}");
            assert!(t > 0.9 && t < 1.05, "{el} d = {d}: G = {t} G0");
        }
    }
}

/// Run a transport deck of `inputs/` with the tables of [`tables`]; G/G0 at E_F and the
/// eigenchannels at E_F of the first k-point.
fn run_deck(deck: &str, table: &str) -> (f64, Vec<f64>) {
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs");
    let out = common::scratch(deck);
    // The deck names inputs/tb/dftb/; point it at the folder that holds the tables.
    let text = std::fs::read_to_string(inputs.join(format!("{deck}.toml"))).unwrap();
    let default = format!("\"tb/dftb/{table}\"");
    assert!(text.contains(&default), "{deck}.toml names {default}");
    let text = text
        .replace(&default, &format!("{:?}", tables().join(table)))
        .replace("data = \"", &format!("data = \"{}/", inputs.display()));
    let deck_path = out.join("deck.toml");
    std::fs::write(&deck_path, text).unwrap();
    common::transport_deck_at_fermi_level(&deck_path, &out.join("out"))
}

/// The silver paper's contact (an atom between two (111) pyramidal tips, Cuevas et al.) and a
/// gold apex–apex contact of two (001) pyramids, both EAM-relaxed near zero force, on periodic
/// leads (2 × 2 k): about one quantum, carried by one main eigenchannel.
#[test]
#[ignore = "needs the DFTB GS tables, which cannot be shipped: bash inputs/tb/fetch_dftb_tables.sh, then --ignored"]
fn dftb_single_atom_contacts_between_pyramids_conduct_one_quantum() {
    for (deck, table) in [
        ("transport_ag_pyramids111_dftb", "Ag-Ag-GS-SK.skf"),
        ("transport_au_apex_dftb", "Au-Au-GS-SK.skf"),
    ] {
        let (g, tau) = run_deck(deck, table);
        assert!(g > 0.9 && g < 1.05, "{deck}: G = {g} G0, tau {tau:?}");
        assert!(tau[0] > 0.8 && tau[1] < 0.1, "{deck}: tau {tau:?}");
    }
}
