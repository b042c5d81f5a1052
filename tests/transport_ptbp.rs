//! Silver and gold with the committed PTBP tables (`inputs/tb/ptbp/`: non-orthogonal DFTB spd
//! model, two-centre tables generated from the published PTBP confinement radii): monatomic
//! chains and single-atom contacts between two pyramidal tips conduct about one quantum,
//! G between 0.9 and 1.05 G0, through one channel.

mod common;

use std::path::{Path, PathBuf};

fn inputs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs")
}

/// Chains stretched from 2.6 to 2.9 Å (the spacings of the chains pulled in break junctions):
/// only the half-filled s band crosses E_F (one channel, transmitted fully). Compressed to
/// 2.5 Å a second band reaches E_F in these tables (bench/transport/steps/README.md).
#[test]
fn ptbp_monatomic_chains_conduct_one_quantum() {
    for el in ["Ag", "Au"] {
        let table = inputs().join(format!("tb/ptbp/{el}-{el}.skf"));
        for d in [2.6, 2.75, 2.9] {
            let (open, t) = common::chain_at_fermi_level(&table, d);
            assert_eq!(open, 1, "{el} d = {d}");
            assert!((t - 1.0).abs() < 1e-6, "{el} d = {d}: G = {t} G0");
        }
    }
}

/// The apex atoms of two fcc(001) pyramids on periodic slabs, EAM-relaxed near zero force
/// (`inputs/transport_{ag,au}_apex_ptbp.toml`, 2 × 2 k): one open eigenchannel, G ≈ 1 G0.
#[test]
fn ptbp_single_atom_contacts_between_pyramids_conduct_one_quantum() {
    for el in ["ag", "au"] {
        let deck = inputs().join(format!("transport_{el}_apex_ptbp.toml"));
        let out = common::scratch(&format!("ptbp-{el}")).join("out");
        let (g, tau) = common::transport_deck_at_fermi_level(&deck, &out);
        assert!(g > 0.9 && g < 1.05, "{el}: G = {g} G0, tau {tau:?}");
        assert!(tau[0] > 0.85 && tau[1] < 0.05, "{el}: tau {tau:?}");
    }
}
