//! Cost of the driven Liouville–von Neumann step on the Fig. 4 system (bench/ehrenfest/README.md,
//! "Time to solution"): the 800-site chain, 300-site device, 0.5 V, Γ = 0.5 eV, the central 200
//! ions displaced by a fixed pattern of up to 0.05 Å and moving on a straight line, ionic step
//! 0.1 fs in 2 RK4 steps. Prints CPU seconds per RK4 step and the state reached (trace, band
//! energy, mid-chain current), so two builds can be compared for both cost and result.
//!
//! cargo run --release --example ehrenfest_propagator_bench -- [IONIC_STEPS]

use nanocontact::error::Result;
use nanocontact::transport::ehrenfest::chain::ChainModel;
use nanocontact::transport::ehrenfest::electrons::{ElectronSpec, WireElectrons};
use nanocontact::transport::ehrenfest::runge_kutta::Integrator;
use nanocontact::transport::model::sutton::SuttonSBand;

fn cpu_seconds() -> f64 {
    // /proc/self/stat fields 14 and 15: user and system time in clock ticks (100 per second).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = |k: usize| f.get(k).and_then(|s| s.parse::<f64>().ok());
    match (tick(11), tick(12)) {
        (Some(u), Some(s)) => (u + s) / 100.0,
        _ => f64::NAN,
    }
}

fn main() -> Result<()> {
    let steps: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let (sites, device, mobile, d) = (800, 300, 200, 2.37);
    let spec = ElectronSpec {
        chain: ChainModel {
            model: SuttonSBand {
                r_on_ang: 2.6,
                r_off_ang: 5.0,
                ..SuttonSBand::gold()
            },
            range: 2,
        },
        sites,
        device,
        fermi_ev: 0.0,
        bias_v: 0.5,
        gamma_ev: 0.5,
        delta_ev: 0.0005,
        integrator: Integrator::Rk4,
    };
    let x0: Vec<f64> = (0..sites).map(|i| i as f64 * d).collect();
    let first = (sites - mobile) / 2;
    let mut e = WireElectrons::new(spec, x0.clone())?;
    let (dt, sub) = (1e-4, 2);
    let t0 = cpu_seconds();
    let w0 = std::time::Instant::now();
    for s in 1..=steps {
        // A fixed displacement pattern growing linearly in time (0.05 Å after 100 steps).
        let a = 0.05 * (s as f64 / 100.0).min(1.0);
        let x: Vec<f64> = x0
            .iter()
            .enumerate()
            .map(|(i, &xi)| {
                if (first..first + mobile).contains(&i) {
                    xi + a * ((i * 7919 % 13) as f64 / 6.0 - 1.0)
                } else {
                    xi
                }
            })
            .collect();
        e.advance(&x, dt, sub)?;
    }
    let cpu = cpu_seconds() - t0;
    let wall = w0.elapsed().as_secs_f64();
    let rk = (steps * sub) as f64;
    let mid = sites / 2;
    let i_mid = e.cut_currents_ua(mid..mid + 1)[0];
    println!(
        "{{\"rk4_steps\":{},\"cpu_s\":{:.3},\"wall_s\":{:.3},\"cpu_s_per_rk4_step\":{:.5},\
         \"trace\":{:.12},\"band_energy_ev\":{:.10},\"current_mid_ua\":{:.10},\"work_ev\":{:.10},\
         \"hermiticity\":{:.3e}}}",
        steps * sub,
        cpu,
        wall,
        cpu / rk,
        e.rho.trace(),
        e.band_energy(),
        i_mid,
        e.work_ev,
        e.density().hermiticity_error()
    );
    Ok(())
}
