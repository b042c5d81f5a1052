//! Transport benchmarks (see README.md beside this file).
//!
//! - `wire W L NE`: simple-cubic W×W wire of L layers (t = −1 eV, on-site
//!   U = 0.3 sin(1.3x + 2.1y + 0.7z) eV, clean leads), NE energies in [−3, 3] eV; prints one
//!   JSON line with the time per energy point and T(E) (kwant_wire.py builds the same system).
//! - `snapshots W L NSNAP NE`: NSNAP scattering regions (on-site disorder varied per snapshot)
//!   sharing the same leads: lead surfaces computed once per energy and reused.
//! - `dense-la`: nalgebra vs faer, complex LU solve (n right-hand sides) and matmul, n = 50…1000.

use std::time::Instant;

use nanocontact::transport::dense::{c64, CMat};
use nanocontact::transport::{SelfEnergyMethod, Solver, TransportProblem};

fn onsite(x: usize, y: usize, z: usize, phase: f64) -> f64 {
    0.3 * (1.3 * x as f64 + 2.1 * y as f64 + 0.7 * z as f64 + phase).sin()
}

/// The W×W×L cubic wire as dense-block problem data (H_S built sparse through from_dense of
/// the slices would be O(N²) memory, so assemble the sparse form directly).
fn cubic_wire(w: usize, l: usize, phase: f64) -> TransportProblem {
    use nanocontact::transport::{FourierBlock, Lead, SparseMatrix};
    let m = w * w;
    let n = m * l;
    let idx = |x: usize, y: usize, z: usize| x * m + y * w + z;
    let t = c64(-1.0, 0.0);
    let mut hs = SparseMatrix::zeros(n, n);
    for x in 0..l {
        for y in 0..w {
            for z in 0..w {
                let i = idx(x, y, z);
                hs.entries.push((i, i, c64(onsite(x, y, z, phase), 0.0)));
                let mut nb = Vec::new();
                if x + 1 < l {
                    nb.push(idx(x + 1, y, z));
                }
                if y + 1 < w {
                    nb.push(idx(x, y + 1, z));
                }
                if z + 1 < w {
                    nb.push(idx(x, y, z + 1));
                }
                for j in nb {
                    hs.entries.push((i, j, t));
                    hs.entries.push((j, i, t));
                }
            }
        }
    }
    let mut h00 = CMat::zeros(m, m);
    for y in 0..w {
        for z in 0..w {
            let i = y * w + z;
            if y + 1 < w {
                h00[(i, i + w)] = t;
                h00[(i + w, i)] = t;
            }
            if z + 1 < w {
                h00[(i, i + 1)] = t;
                h00[(i + 1, i)] = t;
            }
        }
    }
    let h01 = CMat::from_fn(m, m, |i, j| if i == j { t } else { c64(0.0, 0.0) });
    let mut vl = SparseMatrix::zeros(n, m);
    let mut vr = SparseMatrix::zeros(n, m);
    for i in 0..m {
        vl.entries.push((i, i, t));
        vr.entries.push(((l - 1) * m + i, i, t));
    }
    let lead = |v: SparseMatrix| Lead {
        h00: FourierBlock::fixed_dense(&h00),
        h01: FourierBlock::fixed_dense(&h01),
        coupling: FourierBlock::fixed(v),
    };
    TransportProblem {
        h_s: FourierBlock::fixed(hs),
        leads: [lead(vl), lead(vr)],
        kpoints: Vec::new(),
        overlap: None,
    }
}

fn energies(ne: usize) -> Vec<f64> {
    (0..ne)
        .map(|i| -3.0 + 6.0 * (i as f64 + 0.5) / ne as f64 + 0.0123)
        .collect()
}

fn arg(args: &[String], i: usize, default: usize) -> usize {
    args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn wire(args: &[String]) {
    let (w, l, ne) = (arg(args, 2, 10), arg(args, 3, 50), arg(args, 4, 5));
    let t0 = Instant::now();
    let solver =
        Solver::new(cubic_wire(w, l, 0.0), SelfEnergyMethod::ModeMatching).expect("solver");
    let ks = solver.at_k(0.0).expect("k");
    let setup = t0.elapsed().as_secs_f64();
    let es = energies(ne);
    let t1 = Instant::now();
    let ts: Vec<f64> = es
        .iter()
        .map(|&e| ks.transmission(e).expect("transmission").t_lr)
        .collect();
    let per = t1.elapsed().as_secs_f64() / ne as f64;
    println!(
        "{{\"code\":\"nanocontact\",\"W\":{w},\"L\":{l},\"setup_s\":{setup:.4},\"s_per_energy\":{per:.5},\"E\":{es:?},\"T\":{ts:?}}}"
    );
}

fn snapshots(args: &[String]) {
    let (w, l, nsnap, ne) = (
        arg(args, 2, 10),
        arg(args, 3, 20),
        arg(args, 4, 100),
        arg(args, 5, 3),
    );
    let es = energies(ne);
    let probs: Vec<TransportProblem> = (0..nsnap)
        .map(|s| cubic_wire(w, l, 0.1 * s as f64))
        .collect();
    // Naive: every snapshot recomputes its leads.
    let t0 = Instant::now();
    let mut naive = Vec::new();
    for p in &probs {
        let s = Solver::new(p.clone(), SelfEnergyMethod::ModeMatching).expect("solver");
        let k = s.at_k(0.0).expect("k");
        for &e in &es {
            naive.push(k.transmission(e).expect("T").t_lr);
        }
    }
    let t_naive = t0.elapsed().as_secs_f64();
    // Shared leads: surfaces once per energy.
    let t1 = Instant::now();
    let first = Solver::new(probs[0].clone(), SelfEnergyMethod::ModeMatching).expect("solver");
    let surfaces: Vec<_> = es
        .iter()
        .map(|&e| {
            first
                .at_k(0.0)
                .and_then(|k| k.lead_surfaces(e))
                .expect("leads")
        })
        .collect();
    let mut shared = Vec::new();
    for p in &probs {
        let s = Solver::new(p.clone(), SelfEnergyMethod::ModeMatching).expect("solver");
        let k = s.at_k(0.0).expect("k");
        for (&e, surf) in es.iter().zip(&surfaces) {
            shared.push(k.transmission_with_surfaces(e, surf).expect("T").t_lr);
        }
    }
    let t_shared = t1.elapsed().as_secs_f64();
    let dev = naive
        .iter()
        .zip(&shared)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let pts = (nsnap * ne) as f64;
    println!(
        "{{\"code\":\"nanocontact\",\"W\":{w},\"L\":{l},\"snapshots\":{nsnap},\"energies\":{ne},\"s_per_point_naive\":{:.5},\"s_per_point_shared_leads\":{:.5},\"max_dT\":{dev:e}}}",
        t_naive / pts,
        t_shared / pts
    );
}

fn dense_la() {
    use nalgebra::{Complex, DMatrix};
    let mut state: u64 = 0x1234_5678_9abc_def1;
    let mut rnd = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    println!("n,op,nalgebra_s,faer_s,ratio_nalgebra_over_faer");
    for n in [50usize, 100, 200, 500, 1000] {
        let vals: Vec<(f64, f64)> = (0..2 * n * n).map(|_| (rnd(), rnd())).collect();
        let fa = CMat::from_fn(n, n, |i, j| {
            let (a, b) = vals[i * n + j];
            c64(a + if i == j { n as f64 } else { 0.0 }, b)
        });
        let fb = CMat::from_fn(n, n, |i, j| {
            c64(vals[n * n + i * n + j].0, vals[n * n + i * n + j].1)
        });
        let na = DMatrix::from_fn(n, n, |i, j| Complex::new(fa[(i, j)].re, fa[(i, j)].im));
        let nb = DMatrix::from_fn(n, n, |i, j| Complex::new(fb[(i, j)].re, fb[(i, j)].im));
        let reps = if n <= 200 { 5 } else { 1 };
        let time = |f: &mut dyn FnMut()| {
            let t = Instant::now();
            for _ in 0..reps {
                f();
            }
            t.elapsed().as_secs_f64() / reps as f64
        };
        let mut sink = 0.0;
        let t_n_lu = time(&mut || {
            let x = na.clone().lu().solve(&nb).expect("nalgebra solve");
            sink += x[(0, 0)].re;
        });
        let t_f_lu = time(&mut || {
            let lu = nanocontact::transport::dense::Lu::new(fa.as_ref(), "bench").expect("lu");
            let x = lu.solve(fb.as_ref());
            sink += x[(0, 0)].re;
        });
        let t_n_mm = time(&mut || {
            let x = &na * &nb;
            sink += x[(0, 0)].re;
        });
        let t_f_mm = time(&mut || {
            let x = &fa * &fb;
            sink += x[(0, 0)].re;
        });
        println!(
            "{n},lu_solve,{t_n_lu:.5},{t_f_lu:.5},{:.1}",
            t_n_lu / t_f_lu
        );
        println!("{n},matmul,{t_n_mm:.5},{t_f_mm:.5},{:.1}", t_n_mm / t_f_mm);
        if sink == f64::MAX {
            println!("{sink}");
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("wire") => wire(&args),
        Some("snapshots") => snapshots(&args),
        Some("dense-la") => dense_la(),
        _ => eprintln!("usage: transport_bench wire W L NE | snapshots W L NSNAP NE | dense-la"),
    }
}
