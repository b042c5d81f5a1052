//! `analyze rewiring RUN`: the stages of the memristive rewiring of a gap between two tips
//! (seed 002, Figs. 1i, 3, 5c), frame by frame from a run of a `[structure.tips]` deck.
//!
//! Per frame, with a neighbour graph of the atoms within the bond cutoff r_b (default 3.5 Å,
//! between silver's first- and second-neighbour distances):
//! - the two tips are the connected clusters that hold the `base_bottom` and `base_top` atoms;
//! - `connected`: one cluster holds both bases (a metal path joins the tips);
//! - `gap_width_A`: the closest approach of the two clusters (0 when connected);
//! - `atoms_in_gap`: atoms between the apex planes of the first frame (more than 1 Å from each);
//! - `min_cross_section`: when connected, the fewest atoms of the joining cluster in any slab
//!   of thickness `layer` (default a/2 = 2.045 Å, the (001) spacing) tiling the first frame's
//!   gap;
//! - `G_G0`: the conductance of the frame from `RUN/transport/conductance.csv` where present.
//!
//! Stage times: stage 1 (adatoms drift to the tips) starts with the run; stage 2 (islands form
//! and shrink the gap) at the first frame whose gap is below 3/4 of the first frame's; stage 3
//! (a bridge) at the first connected frame; stage 4 (the filament widens) at the first frame
//! with a cross-section of two atoms or more. Writes `rewiring.csv`, `rewiring_stages.csv` and
//! `rewiring.png` (the G trace, or the cross-section where no G is known, with the stages
//! marked), `rewiring_histogram.png` (G in 0.05 G0 bins, seed 002 Fig. 4) and
//! `rewiring_snapshots.png` (the gap at the start of each stage) in RUN, and prints one JSON
//! line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::analysis::rewiring_figures;
use crate::error::{Error, Result};
use crate::io::csv::{Cell, CsvTable, CsvWriter};
use crate::io::h5md::H5mdReader;
use crate::plot::{Figure, Panel};

/// Options of `analyze rewiring`.
#[derive(Clone, Debug, clap::Args)]
pub struct RewiringArgs {
    /// Run folder (traj.h5 and deck.toml of a [structure.tips] deck).
    pub run: PathBuf,
    /// Bond cutoff of the neighbour graph, Å.
    #[arg(long, default_value_t = 3.5)]
    pub bond_a: f64,
    /// Slab thickness of the cross-section count, Å.
    #[arg(long, default_value_t = 2.045)]
    pub layer_a: f64,
    /// The conductance of the frames: a CSV with `step` and `G_G0` columns, as the farm's
    /// `conductance.csv` (default: `RUN/transport/conductance.csv` of the inline farm).
    #[arg(long)]
    pub conductance: Option<PathBuf>,
}

/// What `analyze rewiring` finds: the frames, the start of each stage (ps), and the first
/// frame's apex planes along z and axis position across it (Å).
pub struct Rewiring {
    pub frames: Vec<GapFrame>,
    pub stages: [Option<f64>; 4],
    pub planes: (f64, f64),
    pub axis: [f64; 2],
}

/// What one frame shows.
#[derive(Clone, Debug, PartialEq)]
pub struct GapFrame {
    pub step: u64,
    pub time_ps: f64,
    pub atoms_in_gap: usize,
    pub gap_width: f64,
    pub connected: bool,
    pub min_cross_section: Option<usize>,
    pub g_g0: Option<f64>,
}

/// Union–find root with path halving.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The clusters of the atoms within `bond` of each other: a cluster label per atom.
pub fn clusters(x: &[[f64; 3]], bond: f64) -> Vec<usize> {
    let n = x.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let b2 = bond * bond;
    // Sort by z so that the pair search stops at the bond length.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| x[a][2].total_cmp(&x[b][2]));
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            if x[j][2] - x[i][2] > bond {
                break;
            }
            let d2: f64 = (0..3).map(|c| (x[i][c] - x[j][c]).powi(2)).sum();
            if d2 <= b2 {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    (0..n).map(|i| root(&mut parent, i)).collect()
}

/// The gap of one frame: positions, the cluster label of each atom, the members of the two
/// bases, the first frame's apex planes and the slab thickness.
fn gap_frame(
    x: &[[f64; 3]],
    label: &[usize],
    bases: [&[usize]; 2],
    planes: (f64, f64),
    layer: f64,
) -> (usize, f64, bool, Option<usize>) {
    let [lo, hi] = bases.map(|b| label[b[0]]);
    let connected = lo == hi;
    let in_gap = x
        .iter()
        .filter(|p| p[2] > planes.0 + 1.0 && p[2] < planes.1 - 1.0)
        .count();
    if connected {
        let nslab = (((planes.1 - planes.0) / layer).floor() as usize).max(1);
        let mut count = vec![0usize; nslab];
        for (p, &l) in x.iter().zip(label) {
            if l == lo && p[2] >= planes.0 && p[2] < planes.0 + nslab as f64 * layer {
                count[((p[2] - planes.0) / layer) as usize] += 1;
            }
        }
        return (in_gap, 0.0, true, count.into_iter().min());
    }
    let (a, b): (Vec<usize>, Vec<usize>) = (
        (0..x.len()).filter(|&i| label[i] == lo).collect(),
        (0..x.len()).filter(|&i| label[i] == hi).collect(),
    );
    let mut best = f64::INFINITY;
    for &i in &a {
        for &j in &b {
            let d2: f64 = (0..3).map(|c| (x[i][c] - x[j][c]).powi(2)).sum();
            best = best.min(d2);
        }
    }
    (in_gap, best.sqrt(), false, None)
}

/// G/G0 by step from `file`, or else from `RUN/transport/conductance.csv` where the inline
/// farm wrote one. Frames whose G is not finite (not yet computed) have none.
fn conductances(run: &Path, file: Option<&Path>) -> Result<HashMap<u64, f64>> {
    let p = match file {
        Some(f) => f.to_path_buf(),
        None => run.join("transport/conductance.csv"),
    };
    if file.is_none() && !p.exists() {
        return Ok(HashMap::new());
    }
    let t = CsvTable::read(&p)?;
    let (steps, g) = (t.column("step")?, t.column("G_G0")?);
    Ok(steps
        .iter()
        .zip(g)
        .filter(|(_, g)| g.is_finite())
        .map(|(&s, g)| (s as u64, g))
        .collect())
}

/// Analyse every frame of a run.
pub fn analyze(args: &RewiringArgs) -> Result<Rewiring> {
    let run = &args.run;
    let groups = crate::setup::deck_group_ids(&run.join("deck.toml"))?;
    let ids_of = |name: &str| {
        groups
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, ids)| ids.clone())
            .filter(|ids| !ids.is_empty())
            .ok_or_else(|| {
                Error::run(format!(
                    "{}: analyze rewiring needs a run of a [structure.tips] deck (group \
                     {name} missing or empty)",
                    run.display()
                ))
            })
    };
    let (bottom, top) = (ids_of("base_bottom")?, ids_of("base_top")?);
    let traj = H5mdReader::open(&run.join("traj.h5"))?;
    let g = conductances(run, args.conductance.as_deref())?;
    let mut frames = Vec::new();
    let mut planes = None;
    let mut axis = [0.0; 2];
    for k in 0..traj.n_frames() {
        let f = traj.frame(k)?;
        let index: HashMap<u64, usize> = f.ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let label = clusters(&f.positions, args.bond_a);
        let find = |ids: &[u64]| -> Vec<usize> {
            ids.iter().filter_map(|id| index.get(id).copied()).collect()
        };
        let (b, t) = (find(&bottom), find(&top));
        if b.is_empty() || t.is_empty() {
            return Err(Error::run(format!(
                "{}: frame {k} lacks the base atoms",
                run.display()
            )));
        }
        if k == 0 {
            let n = f.positions.len().max(1) as f64;
            for (d, a) in axis.iter_mut().enumerate() {
                *a = f.positions.iter().map(|p| p[d]).sum::<f64>() / n;
            }
        }
        let pl = *planes.get_or_insert_with(|| {
            let z = |l: usize, pick: fn(f64, f64) -> f64, init: f64| {
                f.positions
                    .iter()
                    .zip(&label)
                    .filter(|(_, &x)| x == l)
                    .fold(init, |m, (p, _)| pick(m, p[2]))
            };
            (
                z(label[b[0]], f64::max, f64::MIN),
                z(label[t[0]], f64::min, f64::MAX),
            )
        });
        let (in_gap, width, connected, section) =
            gap_frame(&f.positions, &label, [&b, &t], pl, args.layer_a);
        frames.push(GapFrame {
            step: f.step,
            time_ps: f.time_ps,
            atoms_in_gap: in_gap,
            gap_width: width,
            connected,
            min_cross_section: section,
            g_g0: g.get(&f.step).copied(),
        });
    }
    let stages = stage_times(&frames);
    Ok(Rewiring {
        frames,
        stages,
        planes: planes.unwrap_or((0.0, 0.0)),
        axis,
    })
}

/// The start of stages 1–4 (ps), where reached.
pub fn stage_times(frames: &[GapFrame]) -> [Option<f64>; 4] {
    let first =
        |pred: &dyn Fn(&GapFrame) -> bool| frames.iter().find(|f| pred(f)).map(|f| f.time_ps);
    let w0 = frames.first().map_or(0.0, |f| f.gap_width);
    [
        frames.first().map(|f| f.time_ps),
        first(&|f| f.gap_width < 0.75 * w0),
        first(&|f| f.connected),
        first(&|f| f.min_cross_section.is_some_and(|n| n >= 2)),
    ]
}

/// Run `analyze rewiring`: the CSV files, the figure and the JSON line.
pub fn run(args: &RewiringArgs) -> Result<String> {
    let r = analyze(args)?;
    let (frames, stages) = (&r.frames, r.stages);
    let dir = &args.run;
    let mut w = CsvWriter::create(
        &dir.join("rewiring.csv"),
        &[
            "step",
            "time_ps",
            "atoms_in_gap",
            "gap_width_A",
            "connected",
            "min_cross_section",
            "G_G0",
        ],
    )?;
    for f in frames {
        let row: Vec<Cell> = vec![
            f.step.into(),
            f.time_ps.into(),
            (f.atoms_in_gap as u64).into(),
            f.gap_width.into(),
            u64::from(f.connected).into(),
            (f.min_cross_section.unwrap_or(0) as u64).into(),
            f.g_g0.unwrap_or(f64::NAN).into(),
        ];
        w.append_row(&row)?;
    }
    let mut s = CsvWriter::create(&dir.join("rewiring_stages.csv"), &["stage", "start_ps"])?;
    for (k, t) in stages.iter().enumerate() {
        s.append_row(&[((k + 1) as u64).into(), t.unwrap_or(f64::NAN).into()])?;
    }
    let t: Vec<f64> = frames.iter().map(|f| f.time_ps).collect();
    let have_g = frames.iter().any(|f| f.g_g0.is_some());
    let (label, y): (&str, Vec<f64>) = if have_g {
        (
            "G (G0)",
            frames.iter().map(|f| f.g_g0.unwrap_or(f64::NAN)).collect(),
        )
    } else {
        (
            "min cross-section (atoms)",
            frames
                .iter()
                .map(|f| f.min_cross_section.unwrap_or(0) as f64)
                .collect(),
        )
    };
    let ymax = y
        .iter()
        .cloned()
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max);
    let mut panel = Panel::new("t (ps)", label).line(label, &t, &y);
    for (k, start) in stages.iter().enumerate() {
        if let Some(s) = start {
            panel = panel.dashed(&format!("stage {}", k + 1), &[*s, *s], &[0.0, ymax]);
        }
    }
    let width: Vec<f64> = frames.iter().map(|f| f.gap_width).collect();
    Figure::stacked(
        "gap rewiring",
        vec![
            panel,
            Panel::new("t (ps)", "gap width (Å)").line("gap", &t, &width),
        ],
    )
    .save_png(&dir.join("rewiring.png"))?;
    let g: Vec<f64> = frames.iter().filter_map(|f| f.g_g0).collect();
    if !g.is_empty() {
        rewiring_figures::histogram(&dir.join("rewiring_histogram.png"), &g)?;
    }
    let gs: Vec<Option<f64>> = frames.iter().map(|f| f.g_g0).collect();
    rewiring_figures::snapshots(
        &dir.join("rewiring_snapshots.png"),
        &dir.join("traj.h5"),
        &rewiring_figures::FrameTimes {
            time_ps: &t,
            g_g0: &gs,
        },
        &stages,
        r.planes,
        r.axis,
    )?;
    Ok(json!({
        "frames": frames.len(),
        "stage_start_ps": stages,
        "bridged": frames.iter().any(|f| f.connected),
        "final_gap_width_A": frames.last().map(|f| f.gap_width),
        "frames_with_G": g.len(),
    })
    .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(t: f64, width: f64, section: Option<usize>) -> GapFrame {
        GapFrame {
            step: 0,
            time_ps: t,
            atoms_in_gap: 0,
            gap_width: width,
            connected: section.is_some(),
            min_cross_section: section,
            g_g0: None,
        }
    }

    #[test]
    fn stages_follow_gap_bridge_and_widening() {
        let f = [
            frame(0.0, 8.0, None),
            frame(1.0, 7.0, None),
            frame(2.0, 5.0, None),
            frame(3.0, 0.0, Some(1)),
            frame(4.0, 0.0, Some(1)),
            frame(5.0, 0.0, Some(3)),
        ];
        assert_eq!(
            stage_times(&f),
            [Some(0.0), Some(2.0), Some(3.0), Some(5.0)]
        );
    }

    #[test]
    fn a_chain_is_one_cluster_until_a_bond_breaks() {
        let mut x: Vec<[f64; 3]> = (0..5).map(|i| [0.0, 0.0, 2.9 * i as f64]).collect();
        let l = clusters(&x, 3.5);
        assert!(l.iter().all(|&c| c == l[0]));
        x[4][2] += 1.0;
        let l = clusters(&x, 3.5);
        assert_ne!(l[4], l[0]);
        assert_eq!(l[3], l[0]);
    }

    #[test]
    fn a_bridge_of_one_atom_has_cross_section_one() {
        // Two 2x2 plates 5 Å apart joined by one atom in the middle.
        let mut x = Vec::new();
        for z in [0.0, 5.0] {
            for (a, b) in [(0.0, 0.0), (2.9, 0.0), (0.0, 2.9), (2.9, 2.9)] {
                x.push([a, b, z]);
            }
        }
        x.push([1.45, 1.45, 2.5]);
        let label = clusters(&x, 3.5);
        let (in_gap, w, conn, sec) = gap_frame(&x, &label, [&[0], &[4]], (0.0, 5.0), 2.0);
        assert!(conn);
        assert_eq!(w, 0.0);
        assert_eq!(in_gap, 1);
        assert_eq!(sec, Some(1));
    }
}
