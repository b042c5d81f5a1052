//! The tables and figures of transport results, written by the `transport` and `farm`
//! commands and by the transport ranks of an MD run: `conductance.csv`, `transmission.csv`,
//! `failures.csv`, `eigenchannels.csv` and the conductance figures of a farm ([`write_farm_tables`]).

use std::fmt::Write as _;
use std::path::Path;

use crate::commands::transport::fmt_e14;
use crate::commands::transport_figures;
use crate::error::{Error, Result};
use crate::transport::farm::store::{frame_conductances, FrameConductance, Store, StoredResults};

pub(super) fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    let p = dir.join(name);
    std::fs::write(&p, text).map_err(|e| Error::io(&p, e))
}

fn failures_csv(r: &StoredResults) -> String {
    let mut s = String::from("frame,k_index,message\n");
    for (f, k, m) in &r.failures {
        let _ = writeln!(s, "{f},{k},\"{}\"", m.replace('"', "'"));
    }
    s
}

/// `eigenchannels.csv` of a farm: the transmission eigenvalues τ_1 ≥ τ_2 ≥ … at E_F of every
/// stored (frame, k∥) unit, with the k-point's weight (Σ_k w_k Σ_i τ_i is the frame's G/G0).
fn eigenchannels_csv(r: &StoredResults) -> String {
    let n = r.meta.n_eig;
    let mut s = String::from("frame,step,time_ps,k_index,weight");
    for i in 1..=n {
        let _ = write!(s, ",tau_{i}");
    }
    s.push('\n');
    for u in &r.units {
        let w = r.meta.points[u.k as usize].point.weight;
        let _ = write!(
            s,
            "{},{},{},{},{}",
            u.frame,
            u.step,
            u.time_ps,
            u.k,
            fmt_e14(w)
        );
        for t in u.data.tau.iter().take(n) {
            let _ = write!(s, ",{}", fmt_e14(*t));
        }
        s.push('\n');
    }
    s
}

/// k-averaged T_LR, T_RL, open channels per energy index (including E_F at 0) of the units of
/// one frame (all k present), summed in k order.
pub(super) fn k_average(r: &StoredResults, frame: u64) -> Option<Vec<[f64; 4]>> {
    let us: Vec<_> = r.units.iter().filter(|u| u.frame == frame).collect();
    if us.len() != r.meta.points.len() {
        return None;
    }
    let ne = r.meta.energies.len() + 1;
    let mut out = vec![[0.0; 4]; ne];
    for u in us {
        let w = r.meta.points[u.k as usize].point.weight;
        for (ie, o) in out.iter_mut().enumerate() {
            o[0] += w * u.data.t_lr[ie];
            o[1] += w * u.data.t_rl[ie];
            o[2] += w * f64::from(u.data.open_l[ie]);
            o[3] += w * f64::from(u.data.open_r[ie]);
        }
    }
    Some(out)
}

/// The tables and figures of a farm's results, in `out`: `/conductance` in the store,
/// `conductance.csv`, `transmission.csv`, `failures.csv`, `eigenchannels.csv` (τ at E_F per
/// unit), and `conductance.png` with
/// `conductance_histogram.png` of the complete frames. Returns the per-frame conductances.
pub fn write_farm_tables(store: &mut Store, out: &Path) -> Result<Vec<FrameConductance>> {
    let r = store.read_all()?;
    let meta_points = r.meta.points.len();
    let rows = frame_conductances(&r);
    store.write_conductance(&rows)?;
    let mut c = String::from("frame,step,time_ps,G_G0,open_channels,k_done\n");
    let mut t = String::from("frame,step,time_ps,E_eV,T_LR,T_RL,open_channels_L,open_channels_R\n");
    for row in &rows {
        let _ = writeln!(
            c,
            "{},{},{},{},{},{}",
            row.frame,
            row.step,
            row.time_ps,
            fmt_e14(row.g_g0),
            fmt_e14(row.open_channels),
            row.k_done
        );
        if let Some(avg) = k_average(&r, row.frame) {
            for (e, a) in r.meta.energies.iter().zip(&avg[1..]) {
                let _ = writeln!(
                    t,
                    "{},{},{},{e},{},{},{},{}",
                    row.frame,
                    row.step,
                    row.time_ps,
                    fmt_e14(a[0]),
                    fmt_e14(a[1]),
                    fmt_e14(a[2]),
                    fmt_e14(a[3])
                );
            }
        }
    }
    write(out, "conductance.csv", &c)?;
    write(out, "transmission.csv", &t)?;
    write(out, "failures.csv", &failures_csv(&r))?;
    write(out, "eigenchannels.csv", &eigenchannels_csv(&r))?;
    let done: Vec<_> = rows.iter().filter(|x| x.k_done == meta_points).collect();
    if !done.is_empty() {
        let t: Vec<f64> = done.iter().map(|x| x.time_ps).collect();
        let g: Vec<f64> = done.iter().map(|x| x.g_g0).collect();
        transport_figures::conductance_trace(out, &t, &g)?;
    }
    Ok(rows)
}
