"""tkwant reference for the open-boundary Ehrenfest propagator with frozen ions (issue 20).

The device of tests/ehrenfest.rs `frozen_ions_long_time_current_matches_landauer`: a gold chain
(Sutton s band, seed 004 Eq. 1, spacing 2.37 Å, nearest neighbours only, no tail: a
period-1 lead, whose band tkwant's spectrum analysis handles; the period-2 lead that second
neighbours need made it report missing modes inside the band) of 14 device sites whose two central sites (device sites 6 and 7) are moved
apart by 0.25 Å each, between semi-infinite perfect chains. At t = 0 the system is in
equilibrium at mu = 0 (T = 0); the left lead's voltage is ramped to V = 0.5 V over t_ramp
(V(t) = V (1 - cos(pi t / t_ramp)) / 2) and held. tkwant (Kloss et al., New J. Phys. 23,
023025 (2021)) gives the current through the cut between device sites 6 and 7 (every hopping
that crosses it) as a function of time; at long times it is the Landauer current.

Units: energies in eV, time in hbar/eV (0.6582 fs); the current of one spin channel from
kwant's Current operator in e/(hbar/eV) is converted to µA and doubled for spin.

Run: python gen.py  (writes current.csv beside this file). Not a reference yet: see
bench/ehrenfest/README.md, "tkwant".
"""
import csv
import math
import os

import kwant
import numpy as np
import tkwant

D = 2.37
A, EPS, C, Q = 4.08, 0.007868, 139.07, 4.0
V = 0.5
T_RAMP = 5.0       # hbar/eV
T_MAX = 60.0       # hbar/eV
HBAR_EV_FS = 0.6582119569509066
E_OVER_HBAR_UA = 1.602176634e-19 / 6.582119569509066e-16 * 1e6  # µA per (e · eV/hbar)


def hop(r):
    return -(EPS * C / 2.0) * (A / r) ** Q


def positions():
    x = [k * D for k in range(14)]
    x[6] -= 0.25
    x[7] += 0.25
    return x


def make_system():
    lat = kwant.lattice.chain(a=1, norbs=1)
    syst = kwant.Builder()
    x = positions()
    n = len(x)
    for i in range(n):
        syst[lat(i)] = 0.0
    for i in range(n - 1):
        syst[lat(i + 1), lat(i)] = hop(x[i + 1] - x[i])
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1,)))
    lead[lat(0)] = 0.0
    lead[lat(1), lat(0)] = hop(D)
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst, lat


def voltage(time):
    if time < T_RAMP:
        return V * (1.0 - math.cos(math.pi * time / T_RAMP)) / 2.0
    return V


def main():
    syst, lat = make_system()
    tkwant.leads.add_voltage(syst, 0, voltage)
    fsyst = syst.finalized()
    cut = [(lat(7), lat(6))]
    current = kwant.operator.Current(fsyst, where=cut, sum=True)
    occ = tkwant.manybody.lead_occupation(chemical_potential=0.0)
    state = tkwant.manybody.State(fsyst, T_MAX, occupations=[occ, occ])
    rows = []
    for t in np.arange(0.0, T_MAX + 1e-9, 3.0):
        state.evolve(t)
        j = state.evaluate(current)
        rows.append((t * HBAR_EV_FS, 2.0 * j * E_OVER_HBAR_UA))
        print(f"t = {t * HBAR_EV_FS:.2f} fs: I = {rows[-1][1]:.4f} µA", flush=True)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "current.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["time_fs", "current_uA"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
