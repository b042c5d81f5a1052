"""tkwant reference for the open-boundary propagator with frozen ions (issue 20).

The system: a gold chain of seed 004 (Sutton s band, Eq. 1: on-site 0, hopping
h(R) = -(eps c / 2)(a / R)^q, spacing 2.37 Å, nearest neighbours only: every bond here is
shorter than the start of the model's smooth tail, 3.3 Å, and second neighbours, 4.74 Å, are
beyond its end, 3.9 Å), a device of 14 sites whose two central sites (6 and 7) are moved apart
by 0.25 Å each (bonds 2.12, 2.87, 2.12 Å), between two semi-infinite perfect chains (period-1
leads). At t = 0 the whole system is in equilibrium at mu = 0, T = 0. The bias is switched on
smoothly as a potential +V(t)/2 on the left lead and -V(t)/2 on the right lead,

    V(t) = V (1 - cos(pi t / tau)) / 2 for t < tau, V after,

entered as a time-dependent phase on each lead's coupling (tkwant.leads.add_voltage takes the
phase, the antiderivative of the voltage: phi(t) = int_0^t V dt' in units e = hbar = 1). At
long times mu_L = +eV/2, mu_R = -eV/2 relative to the device's band centre, as in issue 19.

tkwant (Kloss, Weston, Gaury, Rossignolo, Groth, Waintal, New J. Phys. 23, 023025 (2021))
evolves the scattering states and sums them over the occupied momenta of both leads. The
quadrature is built explicitly: tkwant.manybody.calc_intervals gives the occupied momentum
interval of each lead (below mu = 0), split_intervals cuts it into NSPLIT equal subintervals
and each carries a Gauss-Kronrod rule of ORDER (2 ORDER + 1 points); no adaptive refinement.
Every quadrature given on the command line is run, so the convergence can be read off the
output (the first is the reference, the others its checks).

The current is kwant.operator.Current on the device's central bond (sites 6 -> 7, along +x),
one spin channel in e / (hbar/eV); it is doubled for spin and converted to µA. Times are in
hbar/eV (0.6582 fs).

The Landauer current of the same system is computed by Kwant two ways: (1) the steady state
tkwant reaches, T_V(E) of the system with the leads' bands at +-V/2 (the potential steps at the
leads' interfaces that add_voltage makes), I = (2e/h) int_{-V/2}^{V/2} T_V(E) dE; (2) the rigid
band (both leads at 0, issue 19's convention and the open-boundary method's), T_0(E). Both by
Gauss-Legendre over the window, with 40 and 80 points.

Output (in OUT): current.csv (t in hbar/eV and fs, I in µA for each quadrature),
summary.json (parameters, versions, Landauer currents, long-time averages, timings),
system.json (site positions and hoppings of the device and the leads).

Run: python gen.py OUT --tmax 150 --quadrature 16x10 --quadrature 8x10 --quadrature 16x15
"""
import argparse
import csv
import json
import math
import os
import platform
import sys
import time

import kwant
import kwantspectrum
import numpy as np
import scipy
import tkwant
from tkwant import leads, manybody

D = 2.37                       # chain spacing (Å)
A, EPS, C, Q = 4.08, 0.007868, 139.07, 4.0   # seed 004, gold
R_TAIL_ON, R_TAIL_OFF = 3.3, 3.9            # the model's smooth tail (Å)
DEVICE = 14
STRETCH = 0.25                 # Å, sites 6 and 7 moved apart by this each
V = 0.5                        # volts
TAU = 5.0                      # ramp (hbar/eV)
HBAR_EV_FS = 0.6582119569509066
# µA per (e eV / hbar): e / (hbar/eV) = 1.602176634e-19 C / 6.582119569509066e-16 s
E_EV_PER_HBAR_UA = 1.602176634e-19 / 6.582119569509066e-16 * 1e6
G0_UA_PER_V = 7.748091729863649e-5 * 1e6   # 2e^2/h in µA/V


def hop(r):
    """Sutton s-band hopping (eV) for a bond shorter than the tail's start."""
    if not r < R_TAIL_ON:
        raise ValueError(f"bond {r} Å reaches the tail: not a nearest-neighbour chain")
    return -(EPS * C / 2.0) * (A / r) ** Q


def positions():
    x = [k * D for k in range(DEVICE)]
    x[DEVICE // 2 - 1] -= STRETCH
    x[DEVICE // 2] += STRETCH
    return x


def make_builder(lead_shift=0.0):
    """The device and its two leads; the leads' on-site energies at +-lead_shift."""
    lat = kwant.lattice.chain(a=1, norbs=1)
    syst = kwant.Builder()
    x = positions()
    for i in range(DEVICE):
        syst[lat(i)] = 0.0
    for i in range(DEVICE - 1):
        syst[lat(i + 1), lat(i)] = hop(x[i + 1] - x[i])
    for sign in (+1, -1):  # left lead (towards -x) first, then right
        lead = kwant.Builder(kwant.TranslationalSymmetry((-sign,)))
        lead[lat(0)] = sign * lead_shift
        lead[lat(1), lat(0)] = hop(D)
        syst.attach_lead(lead)
    return syst, lat


def phase(t):
    """phi(t) = int_0^t V(t') dt' (V in volts, t in hbar/eV)."""
    if t < TAU:
        return 0.5 * V * (t - (TAU / math.pi) * math.sin(math.pi * t / TAU))
    return 0.5 * V * TAU + V * (t - TAU)


def landauer(lead_shift, points):
    fsyst = make_builder(lead_shift)[0].finalized()
    xg, wg = np.polynomial.legendre.leggauss(points)
    integral = sum(w * kwant.smatrix(fsyst, 0.5 * V * s).transmission(1, 0)
                   for s, w in zip(xg, wg)) * 0.5 * V
    return G0_UA_PER_V * integral  # G0 (µA/V) times int T dE (eV = volts for one e)


def run_tkwant(tmax, nsplit, order, times):
    syst, lat = make_builder()
    leads.add_voltage(syst, 0, lambda time: 0.5 * phase(time))
    leads.add_voltage(syst, 1, lambda time: -0.5 * phase(time))
    fsyst = syst.finalized()
    current = kwant.operator.Current(fsyst, where=[(lat(DEVICE // 2), lat(DEVICE // 2 - 1))],
                                     sum=True)
    occ = manybody.lead_occupation(chemical_potential=0.0)
    spectra = kwantspectrum.spectra(fsyst.leads)
    intervals = manybody.calc_intervals(spectra, [occ, occ])
    for iv in intervals:
        iv.order = order
    intervals = manybody.split_intervals(intervals, nsplit)
    t0 = time.process_time()
    state = manybody.State(fsyst, tmax, occupations=[occ, occ], spectra=spectra,
                           intervals=intervals, refine=False)
    tasks = len(state.manybody_wavefunction.get_keys())
    out = []
    for t in times:
        state.evolve(t)
        out.append(2.0 * state.evaluate(current) * E_EV_PER_HBAR_UA)
        print(f"{nsplit}x{order}: t = {t:7.2f} hbar/eV = {t * HBAR_EV_FS:7.2f} fs: "
              f"I = {out[-1]:.5f} µA", flush=True)
    return out, tasks, time.process_time() - t0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("--tmax", type=float, default=150.0, help="hbar/eV")
    p.add_argument("--dt", type=float, default=0.5, help="output interval, hbar/eV")
    p.add_argument("--average-from", type=float, default=100.0,
                   help="long-time average over [this, tmax], hbar/eV")
    p.add_argument("--quadrature", action="append", required=True,
                   help="NSPLITxORDER, e.g. 16x10; the first is the reference")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    times = np.arange(0.0, args.tmax + 1e-9, args.dt)

    land = {f"{name}_{n}pts": landauer(shift, n)
            for name, shift in (("shifted_leads", 0.5 * V), ("rigid_band", 0.0))
            for n in (40, 80)}
    print("Landauer (µA):", land, flush=True)

    runs = []
    for q in args.quadrature:
        nsplit, order = (int(v) for v in q.split("x"))
        currents, tasks, cpu = run_tkwant(args.tmax, nsplit, order, times)
        late = [c for t, c in zip(times, currents) if t >= args.average_from]
        runs.append({"nsplit": nsplit, "order": order, "tasks": tasks, "cpu_s": round(cpu, 1),
                     "long_time_mean_uA": float(np.mean(late)), "currents": currents})

    with open(os.path.join(args.out, "current.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["t_hbar_per_eV", "t_fs"]
                   + [f"I_uA_{r['nsplit']}x{r['order']}" for r in runs])
        for k, t in enumerate(times):
            w.writerow([f"{t:.4f}", f"{t * HBAR_EV_FS:.6f}"]
                       + [f"{r['currents'][k]:.9f}" for r in runs])

    ref = runs[0]["currents"]
    summary = {
        "what": "tkwant I(t) through the central bond of a 14-site gold chain device, "
                "bias ramped on as lead phases; Kwant Landauer currents of the same system",
        "command": "python gen.py OUT " + " ".join(sys.argv[2:]),
        "versions": {"python": platform.python_version(), "kwant": kwant.__version__,
                     "tkwant": tkwant.__version__, "kwantspectrum": kwantspectrum.__version__,
                     "numpy": np.__version__, "scipy": scipy.__version__},
        "model": {"spacing_A": D, "a_A": A, "eps_eV": EPS, "c": C, "q": Q,
                  "device_sites": DEVICE, "stretch_A": STRETCH, "bias_V": V,
                  "ramp_hbar_per_eV": TAU, "mu_eV": 0.0, "temperature_K": 0.0},
        "tmax_hbar_per_eV": args.tmax,
        "average_from_hbar_per_eV": args.average_from,
        "landauer_uA": land,
        "runs": [{k: v for k, v in r.items() if k != "currents"} for r in runs],
        "max_abs_diff_from_reference_uA": [
            float(np.max(np.abs(np.array(r["currents"]) - np.array(ref)))) for r in runs],
    }
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    x = positions()
    with open(os.path.join(args.out, "system.json"), "w") as f:
        json.dump({"x_A": x, "onsite_eV": [0.0] * DEVICE,
                   "hopping_eV": [hop(x[i + 1] - x[i]) for i in range(DEVICE - 1)],
                   "lead_hopping_eV": hop(D), "lead_onsite_eV": 0.0}, f, indent=1)
        f.write("\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "runs"}, indent=1))
    print(json.dumps(summary["runs"], indent=1))


if __name__ == "__main__":
    main()
