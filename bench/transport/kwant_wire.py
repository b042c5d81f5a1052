#!/usr/bin/env python3
"""Kwant side of the transport benchmark: the same systems as transport_bench.rs.

  python kwant_wire.py wire W L NE            time per energy of kwant.smatrix, T(E)
  python kwant_wire.py snapshots W L NSNAP NE  NSNAP regions sharing leads (Kwant has no lead reuse)

System: simple-cubic W x W wire of L layers along x, t = -1 eV, on-site
U = 0.3 sin(1.3 x + 2.1 y + 0.7 z + phase) eV, clean semi-infinite leads of the same section.
"""
import json
import math
import sys
import time

import kwant


def build(w, l, phase=0.0):
    lat = kwant.lattice.cubic(a=1, norbs=1)
    syst = kwant.Builder()
    for x in range(l):
        for y in range(w):
            for z in range(w):
                syst[lat(x, y, z)] = 0.3 * math.sin(1.3 * x + 2.1 * y + 0.7 * z + phase)
    syst[lat.neighbors()] = -1.0
    for d in (-1, 1):
        lead = kwant.Builder(kwant.TranslationalSymmetry((d, 0, 0)))
        for y in range(w):
            for z in range(w):
                lead[lat(0, y, z)] = 0.0
        lead[lat.neighbors()] = -1.0
        syst.attach_lead(lead)
    return syst.finalized()


def energies(ne):
    return [-3.0 + 6.0 * (i + 0.5) / ne + 0.0123 for i in range(ne)]


def main():
    mode = sys.argv[1]
    w, l = int(sys.argv[2]), int(sys.argv[3])
    if mode == "wire":
        ne = int(sys.argv[4])
        t0 = time.perf_counter()
        f = build(w, l)
        setup = time.perf_counter() - t0
        es = energies(ne)
        t1 = time.perf_counter()
        ts = [kwant.smatrix(f, e).transmission(1, 0) for e in es]
        per = (time.perf_counter() - t1) / ne
        print(json.dumps({"code": "kwant", "W": w, "L": l, "setup_s": setup,
                          "s_per_energy": per, "E": es, "T": ts}))
    elif mode == "snapshots":
        nsnap, ne = int(sys.argv[4]), int(sys.argv[5])
        systs = [build(w, l, 0.1 * s) for s in range(nsnap)]
        es = energies(ne)
        t1 = time.perf_counter()
        for f in systs:
            for e in es:
                kwant.smatrix(f, e).transmission(1, 0)
        per = (time.perf_counter() - t1) / (nsnap * ne)
        print(json.dumps({"code": "kwant", "W": w, "L": l, "snapshots": nsnap,
                          "energies": ne, "s_per_point": per}))


if __name__ == "__main__":
    main()
