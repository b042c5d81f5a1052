#!/usr/bin/env python3
"""One CSV row for a case of bench/rewiring/dft: T(E_F) from pwcond.x and from PTBP, |difference|.

  python3 summary.py results/CASE     (prints: case,kmesh,T_DFT,T_TB,abs_diff,rel_diff,E_F_lead_eV,
                                       E_F_scatt_eV,open_channels_DFT)

T_DFT: pwcond.x's per-k transmissions at E - E_F = 0 (cond.out, "T(x2 spins)": summed over the
two spins, halved here) averaged with cond.in's weights; T_TB: nanocontact's conductance.csv
(k-averaged transmission at E_F per spin, = G/G0). Both are G/G0 with G0 = 2e^2/h.
"""

import csv
import os
import re
import sys


def fail(msg):
    sys.stderr.write(f"summary.py: {msg}\n")
    sys.exit(2)


def fermi(path):
    try:
        for line in open(path):
            m = re.search(r"the Fermi energy is\s+(-?[0-9.]+)\s+ev", line)
            if m:
                return float(m.group(1))
    except OSError:
        pass
    return float("nan")


def dft_transmission(cond_out, cond_in):
    text = open(cond_out).read()
    # per-k lines "E-Ef(ev), T(x2 spins) =   0.0000000   1.8480657", in the order of cond.in's
    # k list: the sum over both spins, so G/G0 (G0 = 2e^2/h) is half of it
    per_k = [0.5 * float(m.group(1))
             for m in re.finditer(r"E-Ef\(ev\), T\(x2 spins\) =\s+\S+\s+(\S+)", text)]
    lines = [ln.split() for ln in open(cond_in).read().split("\n /\n", 1)[1].strip().splitlines()]
    nk = int(lines[0][0])
    w = [float(ln[2]) for ln in lines[1:1 + nk]]
    if len(per_k) != nk:
        fail(f"{cond_out}: {len(per_k)} transmission lines for {nk} k-points")
    channels = [int(m.group(1)) for m in re.finditer(r"Nchannels of the left tip =\s+(\d+)", text)]
    t = sum(wi * ti for wi, ti in zip(w, per_k)) / sum(w)
    ch = sum(wi * c for wi, c in zip(w, channels)) / sum(w) if len(channels) == nk else float("nan")
    return t, ch, per_k


def main():
    if len(sys.argv) != 2:
        fail("usage: summary.py results/CASE")
    res = sys.argv[1]
    case = os.path.basename(os.path.normpath(res))
    t_dft, ch, _ = dft_transmission(os.path.join(res, "cond.out"), os.path.join(res, "cond.in"))
    rows = list(csv.DictReader(open(os.path.join(res, "tb_conductance.csv"))))
    t_tb = float(rows[0]["G_G0"])
    kline = open(os.path.join(res, "tb.toml")).read()
    km = re.search(r"mesh = \[(\d+), (\d+)\]", kline)
    kmesh = f"{km.group(1)}x{km.group(2)}"
    diff = abs(t_tb - t_dft)
    rel = diff / t_dft if t_dft > 0 else float("nan")
    print("case,kmesh,T_DFT,T_TB,abs_diff,rel_diff,E_F_lead_eV,E_F_scatt_eV,open_channels_DFT")
    print(f"{case},{kmesh},{t_dft:.4f},{t_tb:.4f},{diff:.4f},{rel:.3f},"
          f"{fermi(os.path.join(res, 'lead.scf.out')):.4f},"
          f"{fermi(os.path.join(res, 'scatt.scf.out')):.4f},{ch:.2f}")


if __name__ == "__main__":
    main()
