#!/usr/bin/env python3
"""Kwant side of the snapshot benchmark (README.md beside this file).

  python kwant_snapshots.py OUT.json SNAPSHOT.json [SNAPSHOT.json ...]

Each SNAPSHOT.json is a Hamiltonian written by `snapshot_bench --json N` (the format of
tests/reference/kwant/README.md with its sparse and two-direction Fourier extensions, see
src/transport/problem/kwant_json.rs): scattering region H_S(k) = sum_m H_m e^{i(k1 m1 + k2 m2)}, per lead
H00(k), H01(k) (layer n -> n+1, away from S) and V(k) = <S|H|layer 1>, k-points with weights.

Per snapshot and k a Kwant system is built from these matrices: one site per atom (9 orbitals)
carrying its blocks of H_S(k), each lead a chain of principal layers (one site of n_layer
orbitals per layer) with onsite H00(k) and hopping H01(k), its layer 1 put in the scattering
region and coupled to the atoms by V(k), the rest attached as the semi-infinite lead. Then, as a
Kwant user does, `kwant.smatrix(fsys, E)` for every energy: Kwant recomputes the lead modes in
every call. Building and finalizing are not timed (generous to Kwant: a user's value functions
would be evaluated inside each call). Writes T_LR, T_RL, open channels per (snapshot, k, E) and
the wall and CPU time of the smatrix calls.
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
import kwant


def sparse(d, shape=None):
    shape = tuple(d["shape"])
    re = np.asarray(d["re"], dtype=float)
    val = re + 1j * np.asarray(d["im"], dtype=float) if "im" in d else re.astype(complex)
    return sp.coo_matrix((val, (d["row"], d["col"])), shape=shape).tocsr()


def at_k(block, k):
    """B(k) = sum_m B_m exp(i k.m) as a CSR matrix (a plain matrix is k-independent)."""
    if "fourier" not in block:
        return sparse(block)
    out = None
    for t in block["fourier"]:
        m = t["m"] if isinstance(t["m"], list) else [t["m"], 0]
        term = sparse(t) * np.exp(1j * (k[0] * m[0] + k[1] * m[1]))
        out = term if out is None else out + term
    return out.tocsr()


def build(system, k):
    norbs = system["norbs_per_site"]
    hs = at_k(system["scattering_region"]["H"], k).tobsr(blocksize=(norbs, norbs))
    n_sites = hs.shape[0] // norbs
    lat_s = kwant.lattice.chain(norbs=norbs, name="S")
    syst = kwant.Builder()
    hops = []
    for i in range(n_sites):
        for p in range(hs.indptr[i], hs.indptr[i + 1]):
            j = hs.indices[p]
            if j == i:
                syst[lat_s(i)] = hs.data[p]
            elif i < j:
                hops.append((i, j, hs.data[p]))
    for i, j, h in hops:
        syst[lat_s(i), lat_s(j)] = h
    for li, (name, d) in enumerate([("L", -1), ("R", 1)]):
        lead_j = system["leads"][li]
        h00 = at_k(lead_j["H00"], k).toarray()
        h01 = at_k(lead_j["H01"], k).toarray()
        v = at_k(lead_j["V_S_lead1"], k).tobsr(blocksize=(norbs, h00.shape[0]))
        lat = kwant.lattice.chain(norbs=h00.shape[0], name=name)
        # Layer n of the lead sits at tag d*n: layer 1 joins the scattering region.
        syst[lat(d)] = h00
        for i in range(n_sites):
            for p in range(v.indptr[i], v.indptr[i + 1]):
                syst[lat_s(i), lat(d)] = v.data[p]
        lead = kwant.Builder(kwant.TranslationalSymmetry((d,)))
        lead[lat(0)] = h00
        lead[lat(0), lat(d)] = h01
        syst.attach_lead(lead)
    return syst.finalized()


def main():
    out_path, files = sys.argv[1], sys.argv[2:]
    rows = []
    seconds = 0.0
    cpu = 0.0
    for f in files:
        with open(f) as fh:
            system = json.load(fh)
        energies = system["energies_eV"]
        kp = system["kpoints"]["k"]
        t_lr, t_rl, open_l = [], [], []
        for k in kp:
            fsys = build(system, k)
            row_lr, row_rl, row_o = [], [], []
            t0 = time.perf_counter()
            c0 = time.process_time()
            for e in energies:
                s = kwant.smatrix(fsys, e)
                row_lr.append(float(s.transmission(1, 0)))
                row_rl.append(float(s.transmission(0, 1)))
                row_o.append(int(s.num_propagating(0)))
            seconds += time.perf_counter() - t0
            cpu += time.process_time() - c0
            t_lr.append(row_lr)
            t_rl.append(row_rl)
            open_l.append(row_o)
        rows.append({"T_LR": t_lr, "T_RL": t_rl, "open_L": open_l})
        print(f"{f}: {seconds:.1f} s so far ({cpu:.1f} s CPU)", file=sys.stderr, flush=True)
    solver = kwant.solvers.default.smatrix.__self__.__class__.__module__
    with open(out_path, "w") as fh:
        json.dump({"code": "kwant", "kwant": kwant.__version__, "solver": solver,
                   "snapshots": len(files), "seconds": seconds,
                   "s_per_snapshot": seconds / max(len(files), 1),
                   "cpu_seconds": cpu, "cpu_s_per_snapshot": cpu / max(len(files), 1),
                   "T_LR": [r["T_LR"] for r in rows], "T_RL": [r["T_RL"] for r in rows],
                   "open_L": [r["open_L"] for r in rows]}, fh)


if __name__ == "__main__":
    main()
