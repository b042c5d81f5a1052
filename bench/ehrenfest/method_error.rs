//! The open-boundary method's own error with frozen ions (bench/ehrenfest/README.md): the
//! current of the exact stationary state of the driven Liouville–von Neumann equation
//! (`transport::ehrenfest::steady_state`) against the Landauer current of issue 19, for the
//! device of `tests/ehrenfest.rs` (14 sites, the central bond stretched by 0.5 Å) and for the
//! perfect chain, over electrode lengths and Γ. Prints one CSV table.
//!
//! cargo run --release --example ehrenfest_method_error

use nanocontact::error::Result;
use nanocontact::transport::current::bond_current::landauer_current_ua;
use nanocontact::transport::current::steady_state::{Accuracy, Reservoirs};
use nanocontact::transport::current::wire::{build_wire, WireSpec};
use nanocontact::transport::ehrenfest::chain::ChainModel;
use nanocontact::transport::ehrenfest::electrons::{ElectronSpec, WireElectrons};
use nanocontact::transport::ehrenfest::runge_kutta::Integrator;
use nanocontact::transport::ehrenfest::steady_state::open_boundary_steady_state;
use nanocontact::transport::model::sutton::SuttonSBand;

const D: f64 = 2.37;

fn chain() -> ChainModel {
    ChainModel {
        model: SuttonSBand {
            r_on_ang: 2.6,
            r_off_ang: 5.0,
            ..SuttonSBand::gold()
        },
        range: 2,
    }
}

/// (Landauer, exact open-boundary) currents (µA).
fn currents(nl: usize, stretch: f64, gamma: f64, bias: f64) -> Result<(f64, f64)> {
    let atoms = 10;
    let device = atoms + 4;
    let sites = 2 * nl + device;
    let mut wire = build_wire(&WireSpec {
        atoms,
        mobile: 2,
        spacing_a: D,
        model: chain().model,
        range: 2,
    })?;
    let mx = wire.mobile_x();
    wire.set_mobile_x(&[mx[0] - stretch, mx[1] + stretch])?;
    let res = Reservoirs {
        fermi_ev: 0.0,
        bias_v: bias,
        temperature_k: 0.0,
    };
    let landauer = landauer_current_ua(&wire.system, &res, &Accuracy::default())?;
    let mut x: Vec<f64> = (0..sites).map(|i| i as f64 * D).collect();
    let first = nl + wire.first_mobile_site;
    x[first] -= stretch;
    x[first + 1] += stretch;
    let spec = ElectronSpec {
        chain: chain(),
        sites,
        device,
        fermi_ev: 0.0,
        bias_v: bias,
        gamma_ev: gamma,
        delta_ev: 0.0005,
        integrator: Integrator::Rk4,
    };
    let e = WireElectrons::new(spec, x)?;
    let open = e
        .open
        .as_ref()
        .ok_or_else(|| nanocontact::error::Error::run("no open boundary"))?;
    let ss = open_boundary_steady_state(&e.h, open)?;
    let c = ss.cut_currents_ua(&e.h, nl + 6..nl + 7);
    Ok((landauer, c[0]))
}

/// Exact open-boundary current (µA) of a perfect chain: `nl`-site electrodes, `device` sites.
fn perfect_chain(nl: usize, device: usize, gamma: f64, bias: f64) -> Result<f64> {
    let sites = 2 * nl + device;
    let spec = ElectronSpec {
        chain: chain(),
        sites,
        device,
        fermi_ev: 0.0,
        bias_v: bias,
        gamma_ev: gamma,
        delta_ev: 0.0005,
        integrator: Integrator::Rk4,
    };
    let e = WireElectrons::new(spec, (0..sites).map(|i| i as f64 * D).collect())?;
    let open = e
        .open
        .as_ref()
        .ok_or_else(|| nanocontact::error::Error::run("no open boundary"))?;
    let ss = open_boundary_steady_state(&e.h, open)?;
    Ok(ss.cut_currents_ua(&e.h, sites / 2..sites / 2 + 1)[0])
}

fn main() -> Result<()> {
    let g0v = |v: f64| nanocontact::units::G0_SIEMENS * 1e6 * v;
    println!("electrode_sites,device_sites,gamma_eV,bias_V,ob_perfect_uA,ob_over_G0V");
    for (nl, device) in [(100, 14), (100, 100), (100, 300), (250, 14), (250, 300)] {
        for bias in [0.5, 1.0] {
            let i = perfect_chain(nl, device, 0.5, bias)?;
            println!("{nl},{device},0.5,{bias},{i:.4},{:.4}", i / g0v(bias));
        }
    }
    println!("electrode_sites,gamma_eV,bias_V,landauer_defect_uA,ob_defect_uA,landauer_perfect_uA,ob_perfect_uA,ratio_defect,ratio_perfect,ratio_normalised");
    for (nl, gamma) in [(100, 0.5), (200, 0.5), (400, 0.5), (200, 0.25), (200, 1.0)] {
        for bias in [0.5, 1.0] {
            let (ld, od) = currents(nl, 0.25, gamma, bias)?;
            let (lp, op) = currents(nl, 0.0, gamma, bias)?;
            println!(
                "{nl},{gamma},{bias},{ld:.4},{od:.4},{lp:.4},{op:.4},{:.4},{:.4},{:.4}",
                od / ld,
                op / lp,
                (od / op) / (ld / lp)
            );
        }
    }
    Ok(())
}
