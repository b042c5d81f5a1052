//! What drives a deck's system besides the potential: the rigid leads of `[[lead]]` with their
//! imposed motions, and the thermostats of `[[thermostat]]` (of the base run or of a stage).

use std::path::Path;

use crate::deck::{Deck, EChemDidDeck, LeadDeck, MotionStyle, ThermostatDeck, ThermostatStyle};
use crate::dynamics::echemdid::{EChemDid, EChemDidParams};
use crate::dynamics::leads::{Lead, Motion};
use crate::dynamics::thermostat::{Chain, Style, Thermostat};
use crate::error::Result;
use crate::system::Groups;

/// The imposed motion of a `[[lead]]`.
pub fn motion(l: &LeadDeck) -> Motion {
    match l.motion {
        MotionStyle::Fixed => Motion::Fixed,
        MotionStyle::Oscillate => Motion::Oscillate {
            amplitude_a: l.amplitude,
            omega_per_ps: 2.0 * std::f64::consts::PI * l.frequency_ghz * 1e-3,
        },
        MotionStyle::Pull => Motion::Pull {
            velocity_a_per_ps: l.velocity,
        },
        MotionStyle::Step => Motion::Step {
            displacement_a: l.displacement,
            t_on_ps: l.t_on,
        },
    }
}

/// The bit of group `name`, or an error about the deck value at `key`.
pub fn group_bit(
    groups: &Groups,
    name: &str,
    deck: &Deck,
    deck_path: &Path,
    key: &str,
) -> Result<u32> {
    groups
        .bit(name)
        .ok_or_else(|| deck.key_error(deck_path, key, format!("unknown group {name}")))
}

/// The rigid leads of the deck's `[[lead]]` tables, at rest at time 0.
pub fn leads(deck: &Deck, groups: &Groups, deck_path: &Path) -> Result<Vec<Lead>> {
    deck.lead
        .iter()
        .enumerate()
        .map(|(k, l)| {
            Ok(Lead {
                name: l.group.clone(),
                bit: group_bit(
                    groups,
                    &l.group,
                    deck,
                    deck_path,
                    &format!("lead[{k}].group"),
                )?,
                axis: l.axis.index(),
                motion: motion(l),
                t0_ps: 0.0,
                offset_a: 0.0,
            })
        })
        .collect()
}

/// The thermostats of a list of `[[thermostat]]` tables found at the deck key `key` (a Langevin
/// bath's `frame` names one of `leads`).
pub fn thermostats(
    list: &[ThermostatDeck],
    key: &str,
    groups: &Groups,
    leads: &[Lead],
    deck: &Deck,
    deck_path: &Path,
) -> Result<Vec<Thermostat>> {
    list.iter()
        .enumerate()
        .map(|(k, t)| {
            let bit = group_bit(
                groups,
                &t.group,
                deck,
                deck_path,
                &format!("{key}[{k}].group"),
            )?;
            let style = match t.style {
                ThermostatStyle::NoseHoover => Style::NoseHoover(Chain {
                    eta: vec![0.0; t.chain],
                    eta_dot: vec![0.0; t.chain],
                }),
                ThermostatStyle::Langevin => Style::Langevin {
                    seed: t.seed,
                    frame_lead: t
                        .frame
                        .as_ref()
                        .and_then(|f| leads.iter().position(|l| &l.name == f)),
                },
            };
            Ok(Thermostat {
                bit,
                temperature_k: t.temperature,
                damping_ps: t.damping,
                style,
                work_local_ev: 0.0,
                active: true,
            })
        })
        .collect()
}

/// The EChemDID hook of the deck's `[echemdid]` (k converted from Å²/fs to Å²/ps).
pub fn echemdid(
    e: &EChemDidDeck,
    groups: &Groups,
    deck: &Deck,
    deck_path: &Path,
) -> Result<EChemDid> {
    let bit = |name: &str, key: &str| group_bit(groups, name, deck, deck_path, key);
    let metal = bit(&e.group, "echemdid.group")?;
    let electrodes = [
        bit(&e.electrodes[0], "echemdid.electrodes")?,
        bit(&e.electrodes[1], "echemdid.electrodes")?,
    ];
    if deck.potential.style != crate::potential::Style::ReaxFF {
        return Err(deck.key_error(
            deck_path,
            "echemdid",
            "EChemDID shifts the charge equilibration: it needs [potential] style = \"reaxff\"",
        ));
    }
    let params = EChemDidParams {
        k: e.k * 1000.0,
        rc: e.rc,
        norm: e.norm,
        n_elec: e.n_elec,
        volt: e.volt,
    };
    EChemDid::new(params, metal, electrodes)
        .map_err(|err| deck.key_error(deck_path, "echemdid", err.to_string()))
}
