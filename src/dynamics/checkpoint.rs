//! The MD state in a checkpoint ([`crate::io::checkpoint`] holds the file): one block every rank
//! agrees on (step, time, timestep, box, decomposition, frozen groups, the layout of the
//! migrating per-atom fields) and one block per rank (its owned atoms in the order it holds
//! them, each with id, type, groups, position, velocity, image, migrating fields, force and
//! position at the last neighbour-list build; its energy and virial; the steps since that
//! build; every step hook's [`Hook::save_state`](crate::dynamics::hooks::Hook::save_state)).
//!
//! [`restore`] puts a checkpoint into an MD state built from the same deck. On as many ranks,
//! with the same processor grid, each rank takes its own atoms and rebuilds ghosts and lists
//! from the positions of the last build ([`Md::restore_in_place`]): the continued run is bit
//! for bit the uninterrupted one. On another number of ranks the atoms are spread over the new
//! sub-domains and the forces computed afresh ([`Md::restore_redistributed`]): round-off.

use crate::dynamics::Md;
use crate::error::{Error, Result};
use crate::io::checkpoint::{Decoder, Encoder};
use crate::potential::Tally;
use crate::system::Atoms;

/// Doubles per atom beyond [`Atoms::pack_owned`]: force and position at the last build.
const ROW_EXTRA: usize = 6;

/// The block every rank agrees on.
pub fn encode_global(md: &Md) -> Vec<u8> {
    let mut e = Encoder::new();
    e.u64(md.step)
        .f64(md.time_ps)
        .f64(md.dt)
        .u64(md.anchor.0)
        .f64(md.anchor.1)
        .u64(md.natoms)
        .u64(md.world.size() as u64)
        .u64(md.frozen as u64)
        .u64(md.reneighbors)
        .f64s(&md.simbox.lo)
        .f64s(&md.simbox.hi);
    for d in 0..3 {
        e.u64(md.decomp.grid[d] as u64).f64s(&md.decomp.cuts[d]);
    }
    let layout = md.atoms.fields.migrating_layout();
    e.u64(layout.len() as u64);
    for (name, width) in &layout {
        e.str(name).u64(*width as u64);
    }
    e.finish()
}

/// This rank's block.
pub fn encode_rank(md: &Md) -> Vec<u8> {
    let a = &md.atoms;
    let xb = md.lists.x_build();
    let width = a.packed_width() + ROW_EXTRA;
    let mut rows = Vec::with_capacity(a.nlocal * width);
    for i in 0..a.nlocal {
        a.pack_owned(i, &mut rows);
        rows.extend_from_slice(&a.f[i]);
        // Without a build yet (cannot happen after set-up) the current position stands in.
        rows.extend_from_slice(xb.get(i).unwrap_or(&a.x[i]));
    }
    let t = &md.tally;
    let mut e = Encoder::new();
    e.u64(a.nlocal as u64).u64(width as u64).f64s(&rows);
    e.f64(t.pe).f64s(&t.virial).u64(md.since_build());
    let hooks = md.hooks.save_states();
    e.u64(hooks.len() as u64);
    for (name, state) in &hooks {
        e.str(name).bytes(state);
    }
    e.finish()
}

/// One rank's block, read back.
struct RankBlock {
    n: usize,
    width: usize,
    rows: Vec<f64>,
    tally: Tally,
    since_build: u64,
    hooks: Vec<(String, Vec<u8>)>,
}

fn decode_rank(b: &[u8]) -> Result<RankBlock> {
    let mut d = Decoder::new(b, "rank");
    let n = d.count(b.len())?;
    let width = d.count(b.len())?;
    let rows = d.f64s()?;
    if rows.len() != n * width {
        return Err(Error::run(format!(
            "checkpoint: a rank block has {} values for {n} atoms of {width}",
            rows.len()
        )));
    }
    let pe = d.f64()?;
    let v = d.f64s()?;
    let virial: [f64; 6] = v
        .try_into()
        .map_err(|_| Error::run("checkpoint: a virial without 6 components"))?;
    let since_build = d.u64()?;
    let nh = d.count(b.len())?;
    let mut hooks = Vec::with_capacity(nh);
    for _ in 0..nh {
        let name = d.str()?;
        hooks.push((name, d.bytes()?.to_vec()));
    }
    Ok(RankBlock {
        n,
        width,
        rows,
        tally: Tally { pe, virial },
        since_build,
        hooks,
    })
}

/// Append the atoms of `b`'s rows (forces set) and their positions at the last build.
fn atoms_of(b: &RankBlock, atoms: &mut Atoms, x_build: &mut Vec<[f64; 3]>) {
    let packed = b.width - ROW_EXTRA;
    for r in b.rows.chunks_exact(b.width) {
        atoms.push_packed(&r[..packed]);
        let k = atoms.nlocal - 1;
        atoms.f[k] = [r[packed], r[packed + 1], r[packed + 2]];
        x_build.push([r[packed + 3], r[packed + 4], r[packed + 5]]);
    }
}

/// Put the checkpoint (`global`, and `ranks[r]` of rank r of the run that wrote it) into `md`,
/// an MD state set up from the same deck (same atoms types, groups, fields and hooks).
pub fn restore(md: &mut Md, global: &[u8], ranks: &[Vec<u8>]) -> Result<()> {
    let mut d = Decoder::new(global, "MD");
    let step = d.u64()?;
    let time_ps = d.f64()?;
    let dt = d.f64()?;
    let anchor = (d.u64()?, d.f64()?);
    let natoms = d.u64()?;
    let nranks = d.count(1 << 24)?;
    let frozen = d.u64()? as u32;
    let reneighbors = d.u64()?;
    let lo = d.f64s()?;
    let hi = d.f64s()?;
    let mut grid = [0usize; 3];
    let mut cuts: [Vec<f64>; 3] = Default::default();
    for k in 0..3 {
        grid[k] = d.count(1 << 24)?;
        cuts[k] = d.f64s()?;
    }
    let nf = d.count(global.len())?;
    let mut layout = Vec::with_capacity(nf);
    for _ in 0..nf {
        let name = d.str()?;
        layout.push((name, d.count(1 << 20)?));
    }
    if layout != md.atoms.fields.migrating_layout() {
        return Err(Error::run(format!(
            "the checkpoint's per-atom fields {layout:?} are not this deck's {:?}",
            md.atoms.fields.migrating_layout()
        )));
    }
    if ranks.len() != nranks || lo.len() != 3 || hi.len() != 3 {
        return Err(Error::run(format!(
            "checkpoint: {} rank blocks for {nranks} ranks",
            ranks.len()
        )));
    }
    let blocks: Vec<RankBlock> = ranks
        .iter()
        .map(|b| decode_rank(b))
        .collect::<Result<_>>()?;
    let total: usize = blocks.iter().map(|b| b.n).sum();
    let packed = md.atoms.packed_width();
    if total as u64 != natoms || blocks.iter().any(|b| b.width != packed + ROW_EXTRA) {
        return Err(Error::run(format!(
            "checkpoint: {total} atoms of {} values in its rank blocks, {natoms} atoms of {} expected",
            blocks.first().map_or(0, |b| b.width),
            packed + ROW_EXTRA
        )));
    }
    md.step = step;
    md.time_ps = time_ps;
    md.dt = dt;
    md.anchor = anchor;
    md.reneighbors = reneighbors;
    md.simbox.lo = [lo[0], lo[1], lo[2]];
    md.simbox.hi = [hi[0], hi[1], hi[2]];
    let (rank, size) = (md.world.rank(), md.world.size());
    // Every hook gets the states of all ranks (hook k of each block).
    let mut states: Vec<(String, Vec<Vec<u8>>)> = Vec::new();
    for (k, (name, _)) in blocks[0].hooks.iter().enumerate() {
        let all = blocks
            .iter()
            .map(|b| b.hooks.get(k).map(|h| h.1.clone()).unwrap_or_default())
            .collect();
        states.push((name.clone(), all));
    }
    md.hooks.restore_states(&states, rank, size)?;
    let mut atoms = Atoms::with_types(md.atoms.type_mass.clone());
    atoms.fields = md.atoms.fields.empty_like();
    let mut x_build = Vec::new();
    if nranks == size && grid == md.decomp.grid {
        md.decomp.cuts = cuts;
        let mine = &blocks[rank];
        atoms_of(mine, &mut atoms, &mut x_build);
        let x = std::mem::replace(&mut atoms.x, x_build);
        md.natoms = natoms;
        md.restore_in_place(atoms, x, mine.tally, mine.since_build)?;
    } else {
        for b in &blocks {
            atoms_of(b, &mut atoms, &mut x_build);
        }
        md.restore_redistributed(atoms)?;
    }
    md.set_frozen(frozen);
    Ok(())
}
