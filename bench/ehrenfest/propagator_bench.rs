//! Cost of the driven Liouville–von Neumann step on the Fig. 4 system (bench/ehrenfest/README.md,
//! "Time to solution"): the 800-site chain, 300-site device, 0.5 V, Γ = 0.5 eV, the central 200
//! ions displaced by a fixed pattern of up to 0.05 Å (reached at 10 fs) and moving on a straight
//! line; by default RK4, ionic step 0.1 fs in 2 steps. Prints CPU seconds per Runge–Kutta step,
//! per stage and per fs, and the state reached (trace, band energy, mid-chain current), so two
//! builds or two methods can be compared for both cost and result.
//!
//! cargo run --release --example ehrenfest_propagator_bench -- [IONIC_STEPS [METHOD DT_FS SUBSTEPS]]
//! (METHOD as the deck's `integrator`: rk4 or rk48.)

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
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: usize| args.get(k).map(String::as_str);
    let steps: usize = arg(1).and_then(|s| s.parse().ok()).unwrap_or(50);
    let integrator = match arg(2) {
        None | Some("rk4") => Integrator::Rk4,
        Some("rk48") => Integrator::Rk48,
        Some(m) => {
            return Err(nanocontact::error::Error::run(format!(
                "unknown method {m}"
            )))
        }
    };
    let dt_fs: f64 = arg(3).and_then(|s| s.parse().ok()).unwrap_or(0.1);
    let sub: usize = arg(4).and_then(|s| s.parse().ok()).unwrap_or(2);
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
        integrator,
    };
    let x0: Vec<f64> = (0..sites).map(|i| i as f64 * d).collect();
    let first = (sites - mobile) / 2;
    let mut e = WireElectrons::new(spec, x0.clone())?;
    let dt = dt_fs * 1e-3;
    let t0 = cpu_seconds();
    let w0 = std::time::Instant::now();
    for s in 1..=steps {
        // A fixed displacement pattern growing linearly in time (0.05 Å after 10 fs).
        let a = 0.05 * (s as f64 * dt_fs / 10.0).min(1.0);
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
        "{{\"method\":\"{:?}\",\"rk_steps\":{},\"cpu_s\":{:.3},\"wall_s\":{:.3},\
         \"cpu_s_per_rk_step\":{:.5},\"cpu_s_per_stage\":{:.6},\"cpu_s_per_fs\":{:.4},\
         \"trace\":{:.12},\"band_energy_ev\":{:.10},\"current_mid_ua\":{:.10},\"work_ev\":{:.10},\
         \"hermiticity\":{:.3e}}}",
        integrator,
        steps * sub,
        cpu,
        wall,
        cpu / rk,
        cpu / rk / integrator.tableau().1.len() as f64,
        cpu / (steps as f64 * dt_fs),
        e.rho.trace(),
        e.band_energy(),
        i_mid,
        e.work_ev,
        e.density().hermiticity_error()
    );
    Ok(())
}
