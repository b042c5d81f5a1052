//! `nanocontact run`: an MD deck from structure to trajectory. Rank 0 writes `thermo.csv`
//! (step, time_ps, pe_eV, ke_eV, etotal_eV, temp_K, press_bar), the trajectories (H5MD
//! `traj.h5` with the thermo quantities as observables, optionally extended XYZ and LAMMPS dump)
//! and the final data file into the output folder, and logs LAMMPS-like thermo lines with
//! steps/s and an ETA, then the timing breakdown.
//!
//! With a `[transport]` section of `ranks = M > 0`, the last M ranks are transport ranks
//! ([`super::inline_transport`]) and the MD runs on the others exactly as it would alone: on
//! every snapshot step MD rank 0 gathers the atoms (the gather of the trajectory frames) and
//! starts a non-blocking send of the snapshot (at most [`MAX_SNAPSHOTS_IN_FLIGHT`] outstanding).
//! After the last step it waits for the transport ranks and writes their G/G0 per snapshot to
//! `traj.h5` as the observable `/observables/conductance`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use log::info;

use crate::build::junction;
use crate::build::OrientedFcc;
use crate::commands::inline_transport;
use crate::deck::{Deck, LeadDeck, MinimizeDeck, ThermostatDeck};
use crate::dynamics::leads::{self, Lead, Motion, RigidLeads};
use crate::dynamics::thermostat::{self, Chain, Style, Thermostat, Thermostats};
use crate::dynamics::{fire, velocity, verlet, Md, Thermo};
use crate::error::{Error, Result};
use crate::io::csv::{Cell, CsvWriter, THERMO_HEADER};
use crate::io::dump::DumpWriter;
use crate::io::extxyz::ExtxyzWriter;
use crate::io::h5md::H5mdWriter;
use crate::io::lammps_data::{write_data, DataFile};
use crate::parallel::snapshot_link::{SnapshotReceiver, SnapshotSender};
use crate::parallel::World;
use crate::potential::eam::{Eam, EamStyle};
use crate::potential::Potential;
use crate::system::{Atoms, Groups, SimBox};
use crate::transport::farm::inline;
use crate::transport::farm::snapshot::Snapshot;

/// Snapshot sends MD rank 0 keeps outstanding at most before it waits for the oldest.
pub const MAX_SNAPSHOTS_IN_FLIGHT: usize = 4;

/// The MD side of a run with transport ranks.
struct TransportLink {
    /// Steps between snapshots.
    every: u64,
    /// MD rank 0's sender (`None` on the other MD ranks).
    sender: Option<SnapshotSender>,
    /// Snapshots sent, and how many of those sends had to wait for a free slot.
    sent: u64,
    waits: u64,
}

/// The built-in default deck and the potential file it needs.
const DEMO_DECK: &str = include_str!("../../inputs/demo_junction.toml");
const DEMO_POTENTIAL: &str = include_str!("../../inputs/potentials/Au_u3.eam");

/// Options of `run`.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// The deck; `None` runs the built-in demo.
    pub deck: Option<PathBuf>,
    /// Output folder.
    pub out: PathBuf,
    /// MPI processor grid from the command line (overrides the deck's).
    pub grid: Option<[usize; 3]>,
}

fn create_dir(p: &Path) -> Result<()> {
    std::fs::create_dir_all(p).map_err(|e| Error::io(p, e))
}

fn write_file(p: &Path, text: &str) -> Result<()> {
    std::fs::write(p, text).map_err(|e| Error::io(p, e))
}

/// The text of the deck at `path` for `OUT/deck.toml`: unchanged, with `base_dir` set to the
/// absolute folder its relative paths start from when the deck does not give one, so that the
/// copy (read by `farm` as `structure.md_deck`, or re-run) finds the same files from anywhere.
fn deck_copy(path: &Path, deck: &Deck) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    if deck.base_dir.is_some() {
        return Ok(text);
    }
    let folder = path.parent().filter(|f| !f.as_os_str().is_empty());
    let folder =
        std::fs::canonicalize(folder.unwrap_or(Path::new("."))).map_err(|e| Error::io(path, e))?;
    // A TOML basic string: escape backslashes and quotes.
    let quoted = folder
        .to_string_lossy()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    Ok(format!(
        "# written by nanocontact run: relative paths below start from the original deck's folder\nbase_dir = \"{quoted}\"\n{text}"
    ))
}

/// Read the deck, or materialise the built-in one (deck and potential) inside `out`.
fn load_deck(opts: &RunOptions, world: &World) -> Result<Deck> {
    match &opts.deck {
        Some(p) => {
            let d = Deck::read(p)?;
            if world.is_root() {
                write_file(&opts.out.join("deck.toml"), &deck_copy(p, &d)?)?;
            }
            Ok(d)
        }
        None => {
            let deck_path = opts.out.join("deck.toml");
            if world.is_root() {
                create_dir(&opts.out.join("potentials"))?;
                write_file(&opts.out.join("potentials/Au_u3.eam"), DEMO_POTENTIAL)?;
                write_file(&deck_path, DEMO_DECK)?;
            }
            world.barrier();
            Deck::parse(&deck_path, DEMO_DECK)
        }
    }
}

/// Build the potential of a deck for `ntypes` types.
fn potential(deck: &Deck, ntypes: usize) -> Result<Box<dyn Potential>> {
    let style = EamStyle::from_name(&deck.potential.style)
        .ok_or_else(|| Error::run(format!("unknown potential style {}", deck.potential.style)))?;
    Ok(Box::new(Eam::new(
        style,
        &deck.potential.files,
        &deck.potential.elements,
        ntypes,
    )?))
}

/// Atoms, box and potential of a deck's `[structure]`, with the groups its builder defines
/// (name, indices of member atoms).
type Built = (SimBox, Atoms, Box<dyn Potential>, Vec<(String, Vec<usize>)>);

/// Masses per type: the potential's, else the deck's.
fn type_masses(
    pot: &dyn Potential,
    deck_masses: &[Option<f64>],
    ntypes: usize,
    deck_path: &Path,
) -> Result<Vec<f64>> {
    let pm = pot.type_masses();
    (0..ntypes)
        .map(|t| {
            pm.get(t)
                .copied()
                .flatten()
                .or(deck_masses.get(t).copied().flatten())
                .ok_or_else(|| {
                    Error::key(
                        deck_path,
                        "structure.masses",
                        format!("no mass for type {}", t + 1),
                    )
                })
        })
        .collect()
}

/// The box, atoms and potential of a deck's `[structure]`.
fn structure(deck: &Deck, deck_path: &Path) -> Result<Built> {
    let s = &deck.structure;
    let boundary = SimBox::parse_boundary(&s.boundary)
        .ok_or_else(|| Error::key(deck_path, "structure.boundary", "bad boundary"))?;
    let deck_masses: Vec<Option<f64>> = s.masses.iter().map(|&m| Some(m)).collect();
    if let Some(path) = &s.data {
        let df = DataFile::read(path)?;
        let pot = potential(deck, df.masses.len())?;
        let mut masses = pot.type_masses();
        for (t, m) in masses.iter_mut().enumerate() {
            if m.is_none() {
                *m = deck_masses.get(t).copied().flatten();
            }
        }
        let (b, a) = df.into_system(path, boundary, &masses)?;
        return Ok((b, a, pot, Vec::new()));
    }
    if let Some(j) = &s.junction {
        let spec = j.spec();
        let built = junction::build(&spec)
            .map_err(|e| Error::key(deck_path, "structure.junction", e.to_string()))?;
        let pot = potential(deck, 1)?;
        let masses = type_masses(pot.as_ref(), &deck_masses, 1, deck_path)?;
        let simbox = SimBox::new(built.lo, built.hi, boundary);
        let mut atoms = Atoms::with_types(masses);
        let mut groups: Vec<(String, Vec<usize>)> = junction::GROUPS
            .iter()
            .map(|g| (g.to_string(), Vec::new()))
            .collect();
        for (k, (x, g)) in built.positions.iter().zip(&built.group).enumerate() {
            atoms.push_owned(k as u64 + 1, 0, *x, [0.0; 3]);
            groups[*g].1.push(k);
        }
        return Ok((simbox, atoms, pot, groups));
    }
    let l = s
        .lattice
        .as_ref()
        .ok_or_else(|| Error::key(deck_path, "structure", "no data file and no lattice"))?;
    let fcc = OrientedFcc::new(l.a, l.orient)
        .map_err(|e| Error::key(deck_path, "structure.lattice.orient", e.to_string()))?;
    let pot = potential(deck, l.ntypes)?;
    let mut masses = Vec::with_capacity(l.ntypes);
    for (t, m) in pot.type_masses().iter().enumerate() {
        match m.or(deck_masses.get(t).copied().flatten()) {
            Some(m) => masses.push(m),
            None => {
                return Err(Error::key(
                    deck_path,
                    "structure.masses",
                    format!("no mass for type {}", t + 1),
                ))
            }
        }
    }
    let len: Vec<f64> = (0..3).map(|d| l.cells[d] as f64 * fcc.period(d)).collect();
    let lo = [0, 1, 2].map(|d| -l.vacuum[d]);
    let hi = [0, 1, 2].map(|d| len[d] + l.vacuum[d]);
    let simbox = SimBox::new(lo, hi, boundary);
    let mut atoms = Atoms::with_types(masses);
    let mut id = 0;
    for x in fcc.sites(l.cells) {
        if l.keep.is_empty() || l.keep.iter().any(|r| r.contains(&x)) {
            id += 1;
            atoms.push_owned(id, l.r#type - 1, x, [0.0; 3]);
        }
    }
    if id == 0 {
        return Err(Error::key(
            deck_path,
            "structure.lattice.keep",
            "the regions keep no atom",
        ));
    }
    Ok((simbox, atoms, pot, Vec::new()))
}

/// The imposed motion of a `[[lead]]`.
fn motion(l: &LeadDeck) -> Motion {
    match l.motion.as_str() {
        "oscillate" => Motion::Oscillate {
            amplitude_a: l.amplitude,
            omega_per_ps: 2.0 * std::f64::consts::PI * l.frequency_ghz * 1e-3,
        },
        "pull" => Motion::Pull {
            velocity_a_per_ps: l.velocity,
        },
        "step" => Motion::Step {
            displacement_a: l.displacement,
            t_on_ps: l.t_on,
        },
        _ => Motion::Fixed,
    }
}

/// Thermostats of `[[thermostat]]` tables.
fn make_thermostats(
    list: &[ThermostatDeck],
    groups: &Groups,
    leads: &[Lead],
    deck_path: &Path,
) -> Result<Vec<Thermostat>> {
    list.iter()
        .map(|t| {
            let bit = groups.bit(&t.group).ok_or_else(|| {
                Error::key(
                    deck_path,
                    "thermostat.group",
                    format!("unknown group {}", t.group),
                )
            })?;
            let style = match t.style.as_str() {
                "nose-hoover" => Style::NoseHoover(Chain {
                    eta: vec![0.0; t.chain],
                    eta_dot: vec![0.0; t.chain],
                }),
                _ => Style::Langevin {
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

/// The global ids of the atoms of every group a deck defines (its builder's groups, then its
/// `[[group]]` regions evaluated on the initial structure, as [`build_md`] does), without
/// setting up any dynamics: how a transport deck names the lead atoms of an MD trajectory.
pub fn deck_group_ids(deck_path: &Path) -> Result<Vec<(String, Vec<u64>)>> {
    let deck = Deck::read(deck_path)?;
    let (_, atoms, _, preset) = structure(&deck, deck_path)?;
    let mut out: Vec<(String, Vec<u64>)> = preset
        .into_iter()
        .map(|(name, idx)| (name, idx.iter().map(|&i| atoms.id[i]).collect()))
        .collect();
    for g in &deck.group {
        let ids = (0..atoms.nlocal)
            .filter(|&i| g.region.contains(&atoms.x[i]))
            .map(|i| atoms.id[i])
            .collect();
        out.push((g.name.clone(), ids));
    }
    Ok(out)
}

/// Set up the MD state of a deck: structure, potential, groups, frozen groups, decomposition
/// over the ranks of `world` (`grid` overrides the deck's `[parallel] grid`), forces.
pub fn build_md(
    deck: &Deck,
    deck_path: &Path,
    world: World,
    grid: Option<[usize; 3]>,
) -> Result<Md> {
    let (simbox, mut atoms, pot, preset) = structure(deck, deck_path)?;
    let mut groups = Groups::default();
    for (name, members) in &preset {
        let bit = groups.define(name)?;
        for &i in members {
            atoms.mask[i] |= bit;
        }
    }
    for g in &deck.group {
        let bit = groups.define(&g.name)?;
        for i in 0..atoms.nlocal {
            if g.region.contains(&atoms.x[i]) {
                atoms.mask[i] |= bit;
            }
        }
    }
    let group_bit = |name: &str, key: &str| {
        groups
            .bit(name)
            .ok_or_else(|| Error::key(deck_path, key, format!("unknown group {name}")))
    };
    let mut frozen = 0;
    for name in &deck.run.freeze {
        frozen |= group_bit(name, "run.freeze")?;
    }
    let mut leads = Vec::new();
    for l in &deck.lead {
        let bit = group_bit(&l.group, "lead.group")?;
        frozen |= bit;
        let axis = crate::system::axis_index(&l.axis).unwrap_or(2);
        leads.push(Lead {
            name: l.group.clone(),
            bit,
            axis,
            motion: motion(l),
            t0_ps: 0.0,
            offset_a: 0.0,
        });
    }
    let thermostats = make_thermostats(&deck.thermostat, &groups, &leads, deck_path)?;
    let grid = grid.or(deck.parallel.grid);
    let mut md = Md::new(simbox, atoms, groups, pot, deck.neighbor.skin, world, grid)?;
    md.set_frozen(frozen);
    if !thermostats.is_empty() {
        md.add_hook(Box::new(Thermostats { list: thermostats }));
    }
    if !leads.is_empty() {
        md.add_hook(Box::new(RigidLeads { list: leads }));
    }
    md.neigh_every = deck.neighbor.every;
    md.set_timestep(deck.run.timestep);
    md.setup()?;
    Ok(md)
}

/// LAMMPS-like thermo header.
const THERMO_LOG_HEADER: &str = "    Step    Time(ps)         PotEng         KinEng         TotEng       Temp(K)     Press(bar)   steps/s   ETA(s)";

fn thermo_line(t: &Thermo, rate: f64, eta: f64) -> String {
    format!(
        "{:>8} {:>11.4} {:>14.6} {:>14.6} {:>14.6} {:>13.3} {:>14.3} {:>9.1} {:>8.1}",
        t.step,
        t.time_ps,
        t.pe_ev,
        t.ke_ev,
        t.etotal_ev(),
        t.temp_k,
        t.press_bar,
        rate,
        eta
    )
}

/// The files rank 0 writes during a run: `thermo.csv`, and the trajectories the deck asks for
/// (`traj.h5` H5MD, `traj.xyz` extended XYZ, `traj.dump` LAMMPS dump), each with its interval.
struct Outputs {
    thermo: CsvWriter,
    /// `leads.csv`: lead displacements and forces, thermostat work, with its interval.
    leads: Option<(CsvWriter, u64)>,
    h5md: Option<(H5mdWriter, u64)>,
    xyz: Option<(ExtxyzWriter, u64)>,
    dump: Option<(DumpWriter, u64)>,
}

impl Outputs {
    fn create(out: &Path, deck: &Deck, ntypes: usize) -> Result<Outputs> {
        let leads =
            if (deck.lead.is_empty() && deck.thermostat.is_empty()) || deck.output.leads == 0 {
                None
            } else {
                let mut header = vec!["step".to_string(), "time_ps".to_string()];
                for l in &deck.lead {
                    header.push(format!("disp_{}_A", l.group));
                    header.push(format!("force_{}_nN", l.group));
                }
                for t in &deck.thermostat {
                    header.push(format!("heat_{}_eV", t.group));
                }
                let h: Vec<&str> = header.iter().map(String::as_str).collect();
                Some((
                    CsvWriter::create(&out.join("leads.csv"), &h)?,
                    deck.output.leads,
                ))
            };
        let species: Vec<String> = if deck.output.species.is_empty() {
            (1..=ntypes).map(|t| format!("T{t}")).collect()
        } else {
            deck.output.species.clone()
        };
        let names: Vec<&str> = species.iter().map(String::as_str).collect();
        let o = &deck.output;
        let h5md = match o.trajectory {
            0 => None,
            n => {
                let mut w = H5mdWriter::create(&out.join("traj.h5"), &names, "nanocontact user")?;
                for (name, unit) in [
                    ("pe", "eV"),
                    ("ke", "eV"),
                    ("etotal", "eV"),
                    ("temperature", "K"),
                    ("pressure", "bar"),
                ] {
                    w.declare_observable(name, unit)?;
                }
                // The rigid leads' imposed displacement and force at every frame (beside the
                // conductance of inline transport); leads.csv has them at its own interval.
                for l in &deck.lead {
                    w.declare_observable(&format!("lead_{}_displacement", l.group), "Ang")?;
                    w.declare_observable(&format!("lead_{}_force", l.group), "nN")?;
                }
                Some((w, n))
            }
        };
        let xyz = match o.xyz {
            0 => None,
            n => Some((ExtxyzWriter::create(&out.join("traj.xyz"), &names)?, n)),
        };
        let dump = match o.dump {
            0 => None,
            n => Some((DumpWriter::create(&out.join("traj.dump"))?, n)),
        };
        Ok(Outputs {
            thermo: CsvWriter::create(&out.join("thermo.csv"), &THERMO_HEADER)?,
            leads,
            h5md,
            xyz,
            dump,
        })
    }

    fn thermo_row(&mut self, t: &Thermo) -> Result<()> {
        let row: Vec<Cell> = vec![
            t.step.into(),
            t.time_ps.into(),
            t.pe_ev.into(),
            t.ke_ev.into(),
            t.etotal_ev().into(),
            t.temp_k.into(),
            t.press_bar.into(),
        ];
        self.thermo.append_row(&row)?;
        if let Some((w, _)) = &mut self.h5md {
            let obs = [
                ("pe", t.pe_ev),
                ("ke", t.ke_ev),
                ("etotal", t.etotal_ev()),
                ("temperature", t.temp_k),
                ("pressure", t.press_bar),
            ];
            w.append_observables(t.step, t.time_ps, &obs)?;
        }
        Ok(())
    }

    /// Whether any trajectory wants a frame at `step` (all ranks must agree: it is collective).
    fn wants_frame(o: &crate::deck::OutputDeck, step: u64) -> bool {
        [o.trajectory, o.xyz, o.dump]
            .iter()
            .any(|&n| n > 0 && step.is_multiple_of(n))
    }

    /// `/observables/conductance` of `traj.h5`: G/G0 per transport snapshot.
    fn conductance(&mut self, steps: &[u64], times_ps: &[f64], g_g0: &[f64]) -> Result<()> {
        let Some((w, _)) = &mut self.h5md else {
            log::warn!(
                "transport: no traj.h5 (output.trajectory = 0): G(t) is in transport/conductance.csv only"
            );
            return Ok(());
        };
        for ((&s, &t), &g) in steps.iter().zip(times_ps).zip(g_g0) {
            w.append_observable("conductance", s, t, g)?;
        }
        Ok(())
    }

    fn frame(&mut self, md: &Md, all: &Atoms) -> Result<()> {
        let (step, t) = (md.step, md.time_ps);
        if let Some((w, n)) = &mut self.h5md {
            if step % *n == 0 {
                w.append_frame(step, t, &md.simbox, all)?;
            }
        }
        if let Some((w, n)) = &mut self.xyz {
            if step % *n == 0 {
                w.append_frame(step, t, &md.simbox, all)?;
            }
        }
        if let Some((w, n)) = &mut self.dump {
            if step % *n == 0 {
                w.append_frame(step, &md.simbox, all)?;
            }
        }
        Ok(())
    }
}

/// Sample lead displacements and forces (nN) and the heat each thermostat removed (eV) into
/// `leads.csv` when due, and the lead displacements and forces into `traj.h5` as the
/// observables `lead_<group>_displacement` (Å) and `lead_<group>_force` (nN) at every frame
/// (collective).
fn write_leads(md: &Md, outputs: &mut Option<Outputs>, deck: &Deck) -> Result<()> {
    let (n, frames) = (deck.output.leads, deck.output.trajectory);
    let csv_due =
        n > 0 && !(deck.lead.is_empty() && deck.thermostat.is_empty()) && md.step.is_multiple_of(n);
    let h5_due = frames > 0 && !deck.lead.is_empty() && md.step.is_multiple_of(frames);
    if !csv_due && !h5_due {
        return Ok(());
    }
    let f = leads::forces(md);
    let w = thermostat::work_ev(md);
    if let Some((csv, _)) = outputs
        .as_mut()
        .and_then(|o| o.leads.as_mut())
        .filter(|_| csv_due)
    {
        let mut row: Vec<Cell> = vec![md.step.into(), md.time_ps.into()];
        for (l, fl) in leads::of(md).iter().zip(&f) {
            row.push(l.displacement(md.time_ps).into());
            row.push((fl * crate::units::EV_PER_A_IN_NN).into());
        }
        for wk in &w {
            row.push((-wk).into());
        }
        csv.append_row(&row)?;
    }
    if let Some((w, _)) = outputs.as_mut().and_then(|o| o.h5md.as_mut()) {
        if h5_due {
            let names: Vec<(String, String)> = deck
                .lead
                .iter()
                .map(|l| {
                    (
                        format!("lead_{}_displacement", l.group),
                        format!("lead_{}_force", l.group),
                    )
                })
                .collect();
            let mut obs: Vec<(&str, f64)> = Vec::new();
            for ((l, fl), (nd, nf)) in leads::of(md).iter().zip(&f).zip(&names) {
                obs.push((nd, l.displacement(md.time_ps)));
                obs.push((nf, fl * crate::units::EV_PER_A_IN_NN));
            }
            w.append_observables(md.step, md.time_ps, &obs)?;
        }
    }
    Ok(())
}

/// Gather the atoms and write the trajectory frames due at this step, and start sending the
/// snapshot to the transport ranks when one is due (collective over the MD ranks).
fn write_frames(
    md: &Md,
    outputs: &mut Option<Outputs>,
    deck: &Deck,
    link: &mut Option<TransportLink>,
) -> Result<()> {
    if let Some(s) = link.as_mut().and_then(|l| l.sender.as_mut()) {
        s.progress();
    }
    let frame_due = Outputs::wants_frame(&deck.output, md.step);
    let snapshot_due = link
        .as_ref()
        .is_some_and(|l| md.step.is_multiple_of(l.every));
    if !frame_due && !snapshot_due {
        return Ok(());
    }
    let Some(all) = md.gather() else {
        return Ok(());
    };
    if let (Some(o), true) = (outputs.as_mut(), frame_due) {
        o.frame(md, &all)?;
    }
    if let Some(l) = link.as_mut().filter(|_| snapshot_due) {
        if let Some(sender) = l.sender.as_mut() {
            let order = all.order_by_id();
            let snap = Snapshot {
                frame: (md.step / l.every) as usize,
                step: md.step,
                time_ps: md.time_ps,
                simbox: md.simbox.clone(),
                ids: order.iter().map(|&i| all.id[i]).collect(),
                types: order.iter().map(|&i| all.typ[i]).collect(),
                positions: order.iter().map(|&i| all.x[i]).collect(),
                // Not sent: the transport ranks take the names from the MD deck.
                species_names: Vec::new(),
            };
            l.waits += u64::from(sender.send(snap.encode())?);
            l.sent += 1;
        }
    }
    Ok(())
}

/// Split `world` when the deck asks for transport ranks: those serve transport until the MD
/// ends (and this returns `None` on them); the MD ranks get their own world and the link.
fn split_transport(
    deck: &Deck,
    deck_path: &Path,
    out: &Path,
    world: World,
) -> Result<Option<(World, Option<TransportLink>)>> {
    let Some(t) = deck.transport.as_ref().filter(|t| t.ranks > 0) else {
        return Ok(Some((world, None)));
    };
    t.check_ranks(deck_path, world.size())?;
    let n_md = world.size() - t.ranks;
    let channel = world.duplicate();
    let md_rank = world.rank() < n_md;
    let group = world.split(u32::from(!md_rank));
    if !md_rank {
        let link = SnapshotReceiver::new(channel, 0);
        inline_transport::serve(deck_path, t, out, &group, link, &deck_group_ids(deck_path)?)?;
        return Ok(None);
    }
    info!(
        "{n_md} MD rank(s); {} transport rank(s) (world ranks {n_md}..{}) get a snapshot every \
         {} steps",
        t.ranks,
        world.size() - 1,
        t.every
    );
    let sender = group
        .is_root()
        .then(|| SnapshotSender::new(channel, n_md, MAX_SNAPSHOTS_IN_FLIGHT));
    Ok(Some((
        group,
        Some(TransportLink {
            every: t.every,
            sender,
            sent: 0,
            waits: 0,
        }),
    )))
}

/// Centre of a lead's atoms along its axis (all ranks), Å.
fn lead_center(md: &Md, bit: u32, axis: usize) -> f64 {
    let a = &md.atoms;
    let mut s = [0.0, 0.0];
    for i in 0..a.nlocal {
        if a.mask[i] & bit != 0 {
            s[0] += a.x[i][axis];
            s[1] += 1.0;
        }
    }
    md.world.sum(&mut s);
    s[0] / s[1].max(1.0)
}

/// A protocol stage (the deck's `[[stage]]`; the base run is built as one too).
type Stage = crate::deck::StageDeck;

/// Steps of a stage: `steps`, or `cycles` periods of the first oscillating lead.
fn stage_steps(st: &Stage, md: &Md) -> u64 {
    if let Some(n) = st.steps {
        return n;
    }
    let dt = st.timestep.unwrap_or(md.dt);
    let omega = st
        .lead
        .iter()
        .map(motion)
        .chain(leads::of(md).iter().map(|l| l.motion))
        .find_map(|m| match m {
            Motion::Oscillate { omega_per_ps, .. } => Some(omega_per_ps),
            _ => None,
        });
    match (st.cycles, omega) {
        (Some(c), Some(w)) => (c * 2.0 * std::f64::consts::PI / w / dt).round() as u64,
        _ => 0,
    }
}

/// Apply a stage's overrides: timestep, lead motions (restarting from the leads' current
/// positions), thermostats.
fn apply_stage(md: &mut Md, st: &Stage, deck_path: &Path) -> Result<()> {
    if let Some(dt) = st.timestep {
        md.set_timestep(dt);
    }
    for l in &st.lead {
        let t = md.time_ps;
        if let Some(lead) = leads::of_mut(md).iter_mut().find(|x| x.name == l.group) {
            lead.set_motion(motion(l), t);
        }
    }
    if let Some(list) = &st.thermostat {
        // Thermostats keep their identity (and accumulated work, so leads.csv stays cumulative):
        // those on a group in the new list take its parameters, the others switch off.
        let new = make_thermostats(list, &md.groups, leads::of(md), deck_path)?;
        let current = md
            .hooks
            .find_mut::<Thermostats>()
            .map_or(&mut [][..], |t| &mut t.list);
        for th in current.iter_mut() {
            match new.iter().find(|n| n.bit == th.bit) {
                Some(n) => {
                    th.temperature_k = n.temperature_k;
                    th.damping_ps = n.damping_ps;
                    // A Nosé–Hoover chain keeps its state; a Langevin bath takes the new seed and
                    // frame.
                    if let (Style::Langevin { .. }, Style::Langevin { .. }) = (&th.style, &n.style)
                    {
                        th.style = n.style.clone();
                    }
                    th.active = true;
                }
                None => th.active = false,
            }
        }
    }
    Ok(())
}

/// FIRE with a log line.
fn minimize_logged(md: &mut Md, m: &MinimizeDeck) -> Result<()> {
    let e0 = md.pe();
    let r = fire::minimize(
        md,
        &fire::FireParams {
            ftol: m.ftol,
            etol: m.etol,
            max_steps: m.max_steps,
            dt: m.dt,
        },
    )?;
    info!(
        "FIRE minimisation: {} steps, energy {:.6} -> {:.6} eV, max force {:.3e} eV/A{}",
        r.steps,
        e0,
        r.pe_ev,
        r.fmax,
        if r.converged {
            ""
        } else {
            " (not converged: step limit)"
        }
    );
    Ok(())
}

/// Run a deck.
pub fn run(opts: &RunOptions, world: World) -> Result<()> {
    let root = world.is_root();
    if root {
        create_dir(&opts.out)?;
    }
    let deck = load_deck(opts, &world)?;
    let deck_path = opts
        .deck
        .clone()
        .unwrap_or_else(|| opts.out.join("deck.toml"));
    if !deck.title.is_empty() {
        info!("{}", deck.title);
    }
    let Some((world, mut link)) = split_transport(&deck, &deck_path, &opts.out, world)? else {
        return Ok(());
    };
    let mut md = build_md(&deck, &deck_path, world, opts.grid)?;
    let l = md.simbox.lengths();
    info!(
        "{} on {} ranks, load imbalance (max/mean atoms per rank) {:.3}",
        md.decomp.describe(),
        md.world.size(),
        md.imbalance
    );
    info!(
        "{} atoms, {} types, box {:.4} x {:.4} x {:.4} A, boundary {}, potential {} (cutoff {:.3} A), skin {} A",
        md.natoms,
        md.atoms.ntypes(),
        l[0],
        l[1],
        l[2],
        md.simbox.boundary_string(),
        md.potential.describe(),
        md.potential.cutoff(),
        md.lists.skin
    );
    let mut outputs = if root {
        Some(Outputs::create(&opts.out, &deck, md.atoms.ntypes())?)
    } else {
        None
    };
    // The base run is the first stage; [[stage]] tables follow.
    let mut stages = vec![Stage {
        name: "run".to_string(),
        steps: Some(deck.run.steps),
        cycles: None,
        timestep: None,
        minimize: deck.minimize.clone(),
        velocity: deck.velocity.clone(),
        lead: Vec::new(),
        thermostat: None,
    }];
    stages.extend(deck.stage.iter().cloned());
    let total_steps: u64 = stages.iter().map(|s| stage_steps(s, &md)).sum();
    // stages.csv: where each stage starts and ends, and the drive of each lead during it.
    let mut stage_csv = if root {
        let mut header = vec![
            "stage".to_string(),
            "first_step".into(),
            "last_step".into(),
            "t_start_ps".into(),
            "t_end_ps".into(),
        ];
        for l in leads::of(&md) {
            header.push(format!("a0_{}_A", l.name));
            header.push(format!("f_{}_GHz", l.name));
            header.push(format!("zc_{}_A", l.name));
        }
        let h: Vec<&str> = header.iter().map(String::as_str).collect();
        Some(CsvWriter::create(&opts.out.join("stages.csv"), &h)?)
    } else {
        None
    };
    md.timers = Default::default();
    md.hooks.reset_timings();
    let t0 = Instant::now();
    let start_step = md.step;
    for (k, st) in stages.iter().enumerate() {
        if k > 0 {
            info!(
                "stage {k} '{}' at step {}, t = {:.4} ps",
                st.name, md.step, md.time_ps
            );
        }
        apply_stage(&mut md, st, &deck_path)?;
        if let Some(m) = &st.minimize {
            minimize_logged(&mut md, m)?;
        }
        if let Some(v) = &st.velocity {
            velocity::create(&mut md, v.temperature, v.seed);
        }
        let nsteps = stage_steps(st, &md);
        let every = deck.run.thermo;
        let stage_start = md.step;
        let stage_t0 = md.time_ps;
        let out_thermo = |md: &Md, outputs: &mut Option<Outputs>| -> Result<()> {
            let th = md.thermo();
            let done = (md.step - start_step) as f64;
            let el = t0.elapsed().as_secs_f64();
            let rate = if el > 0.0 { done / el } else { 0.0 };
            let eta = if rate > 0.0 {
                (total_steps as f64 - done) / rate
            } else {
                0.0
            };
            if md.world.size() > 1 {
                // Load imbalance (max/mean owned atoms per rank) as of the last re-neighbouring.
                info!("{} imbal {:.3}", thermo_line(&th, rate, eta), md.imbalance);
            } else {
                info!("{}", thermo_line(&th, rate, eta));
            }
            if let Some(o) = outputs {
                o.thermo_row(&th)?;
            }
            Ok(())
        };
        info!("{THERMO_LOG_HEADER}");
        if k == 0 {
            out_thermo(&md, &mut outputs)?;
            write_frames(&md, &mut outputs, &deck, &mut link)?;
            write_leads(&md, &mut outputs, &deck)?;
        }
        for _ in 0..nsteps {
            verlet::step(&mut md)?;
            let t1 = Instant::now();
            if (md.step - stage_start) % every == 0 || md.step - stage_start == nsteps {
                out_thermo(&md, &mut outputs)?;
            }
            write_frames(&md, &mut outputs, &deck, &mut link)?;
            write_leads(&md, &mut outputs, &deck)?;
            md.timers.add(crate::dynamics::timers::Task::Output, t1);
        }
        // Lead centres are reductions: every rank computes them.
        let centers: Vec<f64> = leads::of(&md)
            .iter()
            .map(|l| lead_center(&md, l.bit, l.axis))
            .collect();
        if let Some(c) = stage_csv.as_mut() {
            let mut row: Vec<Cell> = vec![
                (k as u64).into(),
                stage_start.into(),
                md.step.into(),
                stage_t0.into(),
                md.time_ps.into(),
            ];
            for (l, zc) in leads::of(&md).iter().zip(&centers) {
                let (a0, f) = match l.motion {
                    Motion::Oscillate {
                        amplitude_a,
                        omega_per_ps,
                    } => (
                        amplitude_a,
                        omega_per_ps / (2.0 * std::f64::consts::PI) * 1e3,
                    ),
                    _ => (0.0, 0.0),
                };
                row.push(a0.into());
                row.push(f.into());
                row.push((*zc).into());
            }
            c.append_row(&row)?;
        }
    }
    let nsteps = md.step - start_step;
    let loop_s = t0.elapsed().as_secs_f64();
    let atom_steps = nsteps as f64 * md.natoms as f64;
    info!(
        "Loop time of {loop_s:.4} s on {} procs for {nsteps} steps with {} atoms: {:.1} steps/s, {:.3e} s per atom-step, {} re-neighbourings",
        md.world.size(),
        md.natoms,
        nsteps as f64 / loop_s.max(1e-300),
        loop_s / atom_steps.max(1.0),
        md.reneighbors
    );
    info!(
        "Timing breakdown (rank 0):\n{}",
        md.timers.table(loop_s, &md.hooks.timings())
    );
    let nlocal = md.world.all_gather_u64(md.atoms.nlocal as u64);
    let nghost = md.world.all_gather_u64(md.atoms.nghost() as u64);
    let stats = |v: &[u64]| {
        let min = v.iter().min().copied().unwrap_or(0);
        let max = v.iter().max().copied().unwrap_or(0);
        let avg = v.iter().sum::<u64>() as f64 / v.len().max(1) as f64;
        format!("min {min} avg {avg:.1} max {max}")
    };
    info!(
        "Nlocal per rank: {}; Nghost per rank: {}",
        stats(&nlocal),
        stats(&nghost)
    );
    if let Some(TransportLink {
        sender: Some(s),
        sent,
        waits,
        ..
    }) = link
    {
        info!(
            "transport: {sent} snapshot(s) sent ({waits} waited for one of the {} send slots); \
             waiting for the transport ranks",
            s.max_in_flight()
        );
        let t_wait = Instant::now();
        let (steps, times, g) = inline::decode_series(&s.finish()?)?;
        info!(
            "transport: G/G0 of {} snapshot(s) received after {:.2} s of waiting; written to \
             traj.h5 /observables/conductance",
            steps.len(),
            t_wait.elapsed().as_secs_f64()
        );
        if let Some(o) = outputs.as_mut() {
            o.conductance(&steps, &times, &g)?;
        }
    }
    let gathered = md.gather();
    if let Some(all) = gathered {
        let fin = opts.out.join("final.data");
        write_data(
            &fin,
            &format!("nanocontact final state, step {}", md.step),
            &md.simbox,
            &all,
        )?;
        let mut files = vec!["thermo.csv", "stages.csv", "final.data", "deck.toml"];
        if deck.output.leads > 0 && !(deck.lead.is_empty() && deck.thermostat.is_empty()) {
            files.push("leads.csv");
        }
        if deck.transport.as_ref().is_some_and(|t| t.ranks > 0) {
            files.push("transport/");
        }
        let o = &deck.output;
        for (n, f) in [
            (o.trajectory, "traj.h5"),
            (o.xyz, "traj.xyz"),
            (o.dump, "traj.dump"),
        ] {
            if n > 0 {
                files.push(f);
            }
        }
        info!(
            "output written to {}/ ({})",
            opts.out.display(),
            files.join(", ")
        );
    }
    Ok(())
}

/// `nanocontact build DECK --out FILE`: build the deck's structure (lattice, junction or data
/// file, with its groups) and write it as a LAMMPS data file without running; log the group
/// sizes.
pub fn build_only(deck_path: &Path, out: &Path, world: World) -> Result<()> {
    let deck = Deck::read(deck_path)?;
    let md = build_md(&deck, deck_path, world, None)?;
    let mut counts = Vec::new();
    for name in md.groups.names() {
        let bit = md.groups.bit(name).unwrap_or(0);
        let n = md.atoms.mask[..md.atoms.nlocal]
            .iter()
            .filter(|&&m| m & bit != 0)
            .count() as u64;
        counts.push((name.clone(), md.world.sum_u64(n)));
    }
    let all = md.gather();
    if let Some(all) = all {
        write_data(
            out,
            &format!("nanocontact build of {}", deck_path.display()),
            &md.simbox,
            &all,
        )?;
        let l = md.simbox.lengths();
        info!(
            "{} atoms, box {:.4} x {:.4} x {:.4} A, boundary {}",
            md.natoms,
            l[0],
            l[1],
            l[2],
            md.simbox.boundary_string()
        );
        for (name, n) in counts {
            info!("group {name}: {n} atoms");
        }
        info!("structure written to {}", out.display());
    }
    Ok(())
}
