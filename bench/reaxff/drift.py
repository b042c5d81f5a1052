"""bench/reaxff/drift.py: total-energy drift of an NVE run of each code (nve.sh, issue 18 item 3).

    python3 drift.py NATOMS NC_THERMO_CSV LAMMPS_LOG

Reads E_tot(t) from nanocontact's thermo.csv (step, time_ps, pe_eV, ke_eV, etotal_eV, ...) and from
the LAMMPS log (units real: Step PotEng KinEng TotEng ..., kcal/mol divided by 23.060549, t = step x
0.25 fs) and prints, for each code: the least-squares slope of E_tot(t) in eV/ps (and per atom),
the largest |E_tot - E_tot(0)| in eV (and per atom), the standard deviation of E_tot about the
fit, the number of samples and the last time. Needs numpy."""
import sys

import numpy as np

KCAL_PER_EV = 23.060549
DT_PS = 0.25e-3


def nc(path, col="etotal_eV"):
    d = np.genfromtxt(path, delimiter=",", names=True)
    return d["time_ps"], d[col]


def lmp(path, col="TotEng"):
    rows, cols, on = [], None, False
    for line in open(path):
        w = line.split()
        if w[:1] == ["Step"]:
            cols, on = w, True
            continue
        if line.startswith("Loop time"):
            on = False
        if on and w and w[0].isdigit() and len(w) == len(cols):
            rows.append([float(x) for x in w])
    d = np.array(rows)
    return d[:, 0] * DT_PS, d[:, cols.index(col)] / KCAL_PER_EV


def stats(t, e, natoms):
    slope, icpt = np.polyfit(t, e, 1)
    dev = np.abs(e - e[0]).max()
    sd = (e - (slope * t + icpt)).std()
    return slope, dev, sd


def main():
    natoms = int(sys.argv[1])
    out = {}
    for name, (t, e) in (("nanocontact", nc(sys.argv[2])), ("LAMMPS", lmp(sys.argv[3]))):
        s, dev, sd = stats(t, e, natoms)
        out[name] = (s, dev)
        print(f"   {name:<12} E0 {e[0]:.10f} eV  slope {s:+.4e} eV/ps ({s / natoms:+.3e} eV/ps/atom)  "
              f"max|E-E0| {dev:.4e} eV ({dev / natoms:.3e} eV/atom)  sd about the fit {sd:.2e} eV  "
              f"({len(t)} samples to {t[-1]:.3f} ps)")
    # The two runs side by side at their common sample times.
    for name, cn, cl in (("E_tot", "etotal_eV", "TotEng"), ("E_pot", "pe_eV", "PotEng")):
        (tn, en), (tl, el) = nc(sys.argv[2], cn), lmp(sys.argv[3], cl)
        common, i_n, i_l = np.intersect1d(np.round(tn, 9), np.round(tl, 9), return_indices=True)
        if len(common):
            d = en[i_n] - el[i_l]
            print(f"   {name} nanocontact - LAMMPS at the {len(common)} common times: at t = 0 {d[0]:+.3e} eV, "
                  f"at t = {common[-1]:.3f} ps {d[-1]:+.3e} eV, largest |.| {np.abs(d).max():.3e} eV")
    (sn, dn), (sl, dl) = out["nanocontact"], out["LAMMPS"]
    print(f"   |slope| nanocontact/LAMMPS = {abs(sn) / max(abs(sl), 1e-300):.3f};  "
          f"max|E-E0| nanocontact/LAMMPS = {dn / max(dl, 1e-300):.3f}")


if __name__ == "__main__":
    main()
