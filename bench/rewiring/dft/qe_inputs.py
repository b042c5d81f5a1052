#!/usr/bin/env python3
"""Quantum ESPRESSO inputs (pw.x, pwcond.x) and a nanocontact transport deck for one contact.

The contact is a LAMMPS data file (atom_style atomic, one element): two fcc(111) slabs periodic
in x and y, z the transport axis, atoms in the gap; the two lead regions are z ranges, as in the
`[leads] left = { lo, hi }` entries of a transport deck (at least two atomic planes each).

What is written (in --out):
  lead.scf.in   bulk lead for pw.x: three (111) planes built from the left lead's outermost
                plane and its stacking shift s (plane k at z = k d, lateral P0 + k s), periodic
                along z (c = 3 d): the ABC unit that PWCOND repeats on both sides.
  scatt.scf.in  scattering region for pw.x: every atom of the data file, z measured from the
                left lead's outermost plane (PWCOND needs an atom at z = 0), plus 0-2 ideal planes
                after the right lead's outermost one (continuing its stacking) so that the plane
                after the cell is the left lead's first one again: the cell is periodic along z
                and both its ends continue into the lead unit.
  cond.in       pwcond.x (ikind = 1: the same lead on both sides) at E - E_F = 0 on the k-points
                of nanocontact's Monkhorst-Pack mesh, Bloch phase pi (2 j - N - 1) / N per
                supercell vector (src/transport/problem/supercell.rs), i.e. crystal coordinate
                (2 j - N - 1) / (2 N), halved by k <-> -k as nanocontact halves it.
  tb.toml       nanocontact transport deck: the same data file, lead ranges and k-mesh, the
                PTBP silver tables (inputs/tb/ptbp/), E - E_F = 0.
  geometry.txt  what was found (planes, spacing, shift, added planes) and the cell.

Only the Python standard library is used.
"""

import argparse
import math
import os
import sys

BOHR = 0.529177210903  # Å


def fail(msg):
    sys.stderr.write(f"qe_inputs.py: {msg}\n")
    sys.exit(2)


def read_data(path):
    """Atoms (x, y, z) and the box of a LAMMPS data file (atom_style atomic)."""
    try:
        lines = open(path).read().splitlines()
    except OSError as e:
        fail(f"{path}: cannot read ({e})")
    box = {}
    natoms = None
    atoms = []
    i = 0
    while i < len(lines):
        t = lines[i].split("#")[0].split()
        if len(t) == 2 and t[1] == "atoms":
            natoms = int(t[0])
        elif len(t) == 4 and t[2].endswith("lo") and t[3].endswith("hi"):
            box[t[2][0]] = (float(t[0]), float(t[1]))
        elif len(t) == 6 and t[3:] == ["xy", "xz", "yz"]:
            if any(abs(float(v)) > 1e-9 for v in t[:3]):
                fail(f"{path}:{i + 1}: triclinic box; an orthogonal box is expected")
        elif t and t[0] == "Atoms":
            i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            while i < len(lines) and lines[i].strip():
                f = lines[i].split()
                if len(f) < 5:
                    fail(f"{path}:{i + 1}: atom line with {len(f)} fields; "
                         "expected 'id type x y z' (atom_style atomic)")
                if f[1] != "1":
                    fail(f"{path}:{i + 1}: atom type {f[1]}; one type (silver) is expected")
                atoms.append((float(f[2]), float(f[3]), float(f[4])))
                i += 1
            continue
        i += 1
    if natoms is None or len(atoms) != natoms:
        fail(f"{path}: header says {natoms} atoms, the Atoms section has {len(atoms)}")
    for k in "xyz":
        if k not in box:
            fail(f"{path}: no '{k}lo {k}hi' line")
    return atoms, box


def planes_in(atoms, lo, hi, tol, name):
    """Atomic planes (lists of atoms, by increasing z) among the atoms with lo <= z <= hi."""
    sel = sorted((a for a in atoms if lo <= a[2] <= hi), key=lambda a: a[2])
    planes = []
    for a in sel:
        if planes and a[2] - planes[-1][-1][2] < tol:
            planes[-1].append(a)
        else:
            planes.append([a])
    if len(planes) < 2:
        fail(f"lead {name} [{lo}, {hi}]: {len(planes)} atomic plane(s); at least two are needed")
    n = len(planes[0])
    for p in planes:
        if len(p) != n:
            fail(f"lead {name}: planes of {n} and {len(p)} atoms; a crystalline lead is expected")
        zs = [a[2] for a in p]
        if max(zs) - min(zs) > tol:
            fail(f"lead {name}: a plane spread over {max(zs) - min(zs):.3f} Å along z")
    return planes


def wrap(d, length):
    return d - length * round(d / length)


def lateral_shift(p, q, lx, ly, tol, what):
    """The common lateral displacement s with q = p + s (modulo the cell), checked atom by atom."""
    shifts = []
    for b in q:
        best = min(p, key=lambda a: wrap(b[0] - a[0], lx) ** 2 + wrap(b[1] - a[1], ly) ** 2)
        shifts.append((wrap(b[0] - best[0], lx), wrap(b[1] - best[1], ly)))
    # all atoms of q must move by the same vector modulo the in-plane lattice: compare to the
    # first one through the set equality below
    s = shifts[0]
    if not same_set([(a[0] + s[0], a[1] + s[1]) for a in p], [(b[0], b[1]) for b in q], lx, ly, tol):
        fail(f"{what}: the plane is not a rigid lateral shift of the one before (fcc stacking expected)")
    return s


def same_set(ps, qs, lx, ly, tol):
    if len(ps) != len(qs):
        return False
    for a in ps:
        if not any(math.hypot(wrap(a[0] - b[0], lx), wrap(a[1] - b[1], ly)) < tol for b in qs):
            return False
    return True


def same_shift(p, s, t, lx, ly, tol):
    """Whether shifts s and t move plane p onto the same set (equal modulo its lattice)."""
    return same_set([(a[0] + s[0], a[1] + s[1]) for a in p],
                    [(a[0] + t[0], a[1] + t[1]) for a in p], lx, ly, tol)


def mp_mesh(n, halve=True):
    """nanocontact's Monkhorst-Pack points u_d = (2 j - N - 1) / (2 N) (fractions of b_d)."""
    total = n[0] * n[1]
    out = []
    for j0 in range(1, n[0] + 1):
        for j1 in range(1, n[1] + 1):
            partner = (n[0] + 1 - j0, n[1] + 1 - j1)
            if not halve or (j0, j1) == partner:
                w = 1.0 / total
            elif (j0, j1) < partner:
                w = 2.0 / total
            else:
                continue
            out.append(((2 * j0 - n[0] - 1) / (2 * n[0]), (2 * j1 - n[1] - 1) / (2 * n[1]), w))
    return out


def pw_input(prefix, atoms, cell, a, kpts, pseudo_dir, upf):
    lx, ly, lz = cell
    lines = [
        " &control",
        "    calculation = 'scf'",
        f"    prefix = '{prefix}'",
        "    outdir = './tmp'",
        f"    pseudo_dir = '{pseudo_dir}'",
        "    disk_io = 'low'",
        " /",
        " &system",
        "    ibrav = 0",
        f"    nat = {len(atoms)}",
        "    ntyp = 1",
        f"    ecutwfc = {a.ecutwfc}",
        f"    ecutrho = {a.ecutrho}",
        "    occupations = 'smearing'",
        "    smearing = 'mv'",
        f"    degauss = {a.degauss}",
        " /",
        " &electrons",
        f"    conv_thr = {a.conv_thr:.1e}",
        f"    mixing_beta = {a.mixing_beta}",
        "    mixing_mode = 'local-TF'",
        " /",
        "ATOMIC_SPECIES",
        f" Ag 107.8682 {upf}",
        "CELL_PARAMETERS angstrom",
        f" {lx:.10f} 0.0 0.0",
        f" 0.0 {ly:.10f} 0.0",
        f" 0.0 0.0 {lz:.10f}",
        "ATOMIC_POSITIONS angstrom",
    ]
    lines += [f" Ag {x:.10f} {y:.10f} {z:.10f}" for (x, y, z) in atoms]
    if kpts is None:
        lines += ["K_POINTS gamma", ""]
    else:
        lines += ["K_POINTS automatic", " " + " ".join(str(v) for v in kpts), ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", help="LAMMPS data file of the contact")
    ap.add_argument("--left", nargs=2, type=float, required=True, metavar=("LO", "HI"))
    ap.add_argument("--right", nargs=2, type=float, required=True, metavar=("LO", "HI"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--kmesh", type=int, default=2, help="k-parallel mesh N x N (transmission)")
    ap.add_argument("--kscf", type=int, default=1,
                    help="k-parallel mesh of the SCF runs (1: Gamma, the scattering cell in "
                    "pw.x's Gamma-point mode)")
    ap.add_argument("--kz-lead", type=int, default=3,
                    help="k_z points of the bulk lead SCF (3: about the k_z density of a "
                    "scattering cell three lead units long at Gamma)")
    ap.add_argument("--ecutwfc", type=float, default=25.0, help="Ry (paper: 28)")
    ap.add_argument("--ecutrho", type=float, default=200.0, help="Ry (paper: 280)")
    ap.add_argument("--degauss", type=float, default=0.02, help="Ry, Marzari-Vanderbilt")
    ap.add_argument("--conv-thr", type=float, default=1e-5, help="Ry, per SCF run")
    ap.add_argument("--mixing-beta", type=float, default=0.3)
    ap.add_argument("--nz1", type=int, default=3, help="pwcond sub-slices per slice")
    ap.add_argument("--ecut2d", type=float, default=0.0, help="pwcond 2D cutoff (0: ecutwfc)")
    ap.add_argument("--ewind", type=float, default=1.0,
                    help="Ry, pwcond's energy window of the reduced 2D basis (above E)")
    ap.add_argument("--pseudo-dir", default="../pseudo")
    ap.add_argument("--upf", default="Ag.pbe-n-rrkjus_psl.1.0.0.UPF")
    ap.add_argument("--tb-data", help="data file path as the TB deck should name it "
                    "(relative to --out; default: computed from DATA)")
    ap.add_argument("--tb-model", default=None, help="PTBP table path for the TB deck")
    ap.add_argument("--tol", type=float, default=0.3, help="Å, plane clustering and matching")
    a = ap.parse_args()

    atoms, box = read_data(a.data)
    lx = box["x"][1] - box["x"][0]
    ly = box["y"][1] - box["y"][0]
    left = planes_in(atoms, a.left[0], a.left[1], a.tol, "left")
    right = planes_in(atoms, a.right[0], a.right[1], a.tol, "right")
    outside = [z for (_, _, z) in atoms if z < a.left[0] or z > a.right[1]]
    if outside:
        fail(f"{len(outside)} atom(s) outside [left.lo, right.hi] (e.g. z = {outside[0]:.3f})")

    def zmean(p):
        return sum(x[2] for x in p) / len(p)

    dl = [zmean(left[i + 1]) - zmean(left[i]) for i in range(len(left) - 1)]
    dr = [zmean(right[i + 1]) - zmean(right[i]) for i in range(len(right) - 1)]
    d = sum(dl) / len(dl)
    if any(abs(x - d) > 0.02 for x in dl + dr):
        fail(f"lead plane spacings {dl} (left) and {dr} (right) differ by more than 0.02 Å")
    s = lateral_shift(left[0], left[1], lx, ly, a.tol, "left lead")
    for i in range(1, len(left) - 1):
        si = lateral_shift(left[i], left[i + 1], lx, ly, a.tol, "left lead")
        if not same_shift(left[0], s, si, lx, ly, a.tol):
            fail("left lead: stacking shifts differ between its planes")
    for i in range(len(right) - 1):
        si = lateral_shift(right[i], right[i + 1], lx, ly, a.tol, "right lead")
        if not same_shift(left[0], s, si, lx, ly, a.tol):
            fail("right lead: its stacking shift differs from the left lead's (twinned leads "
                 "cannot share one lead unit)")
    p0 = left[0]
    # ABC: three shifts bring a plane back onto itself
    p3 = [(x + 3 * s[0], y + 3 * s[1]) for (x, y, _) in p0]
    if not same_set(p3, [(x, y) for (x, y, _) in p0], lx, ly, a.tol):
        fail("the left lead's stacking does not repeat after three planes (fcc(111) expected)")

    # origin: an atom of the outermost left plane at z = 0 exactly (PWCOND's requirement)
    z0 = p0[0][2]
    lead_atoms = []
    for k in range(3):
        for (x, y, _) in p0:
            lead_atoms.append((x + k * s[0], y + k * s[1], k * d))
    lead_atoms = [(x - box["x"][0], y - box["y"][0], z) for (x, y, z) in lead_atoms]

    top = right[-1]
    ztop = zmean(top)
    added = []
    m = None
    for k in range(3):
        nxt = [(x + (k + 1) * s[0], y + (k + 1) * s[1]) for (x, y, _) in top]
        if same_set(nxt, [(x, y) for (x, y, _) in p0], lx, ly, a.tol):
            m = k
            break
    if m is None:
        fail("the right lead is not on the left lead's fcc lattice: no number of added "
             "planes closes the stacking")
    for k in range(1, m + 1):
        added += [(x + k * s[0], y + k * s[1], ztop + k * d) for (x, y, _) in top]
    lz = ztop + m * d + d - z0
    scat = [(x - box["x"][0], y - box["y"][0], z - z0) for (x, y, z) in atoms + added]

    os.makedirs(a.out, exist_ok=True)
    sh = 1 if a.kscf % 2 == 0 else 0
    with open(os.path.join(a.out, "lead.scf.in"), "w") as f:
        f.write(pw_input("lead", lead_atoms, (lx, ly, 3 * d), a,
                         [a.kscf, a.kscf, a.kz_lead, sh, sh, 0], a.pseudo_dir, a.upf))
    # k∥ = Gamma only (kscf = 1): real wavefunctions, half the plane waves
    kscat = None if a.kscf == 1 else [a.kscf, a.kscf, 1, sh, sh, 0]
    with open(os.path.join(a.out, "scatt.scf.in"), "w") as f:
        f.write(pw_input("scatt", scat, (lx, ly, lz), a, kscat, a.pseudo_dir, a.upf))
    # pwcond k-points: crystal coordinates of the 2D reciprocal cell (do_cond.f90 converts its
    # own automatic grid with cryst_to_cart(..., at, -1) into the same array; cond_out prints
    # them as "cryst. coord.")
    kpts = mp_mesh((a.kmesh, a.kmesh))
    cond = [
        " &inputcond",
        "    outdir = './tmp'",
        "    prefixl = 'lead'",
        "    prefixs = 'scatt'",
        "    tran_file = 'trans.dat'",
        "    ikind = 1",
        "    energy0 = 0.0",
        "    denergy = 0.0",
        f"    nz1 = {a.nz1}",
        f"    ecut2d = {a.ecut2d}",
        f"    ewind = {a.ewind}",
        "    epsproj = 1.0e-3",
        " /",
        f" {len(kpts)}",
    ]
    cond += [f" {u0:.10f} {u1:.10f} {w:.10f}" for (u0, u1, w) in kpts]
    cond += [" 1", " 0.0", ""]
    with open(os.path.join(a.out, "cond.in"), "w") as f:
        f.write("\n".join(cond))

    tb_data = a.tb_data or os.path.relpath(os.path.abspath(a.data), os.path.abspath(a.out))
    tb_model = a.tb_model or "tb/ptbp/Ag-Ag.skf"
    tb = f"""title = "PTBP on the DFT cross-check geometry ({os.path.basename(a.data)})"
# written by bench/rewiring/dft/qe_inputs.py: the same data file, leads and k-mesh as the
# pwcond.x run next to it
[structure]
data = "{tb_data}"
boundary = "p p f"

[model]
style = "dftb"
parameters = "{tb_model}"
species = ["Ag"]

[leads]
axis = "z"
left = {{ lo = {a.left[0]}, hi = {a.left[1]} }}
right = {{ lo = {a.right[0]}, hi = {a.right[1]} }}

[kpoints]
mesh = [{a.kmesh}, {a.kmesh}]

[energy]
values = [0.0]
"""
    with open(os.path.join(a.out, "tb.toml"), "w") as f:
        f.write(tb)

    with open(os.path.join(a.out, "geometry.txt"), "w") as f:
        f.write(f"data {os.path.basename(a.data)}: {len(atoms)} atoms, cell {lx:.4f} x {ly:.4f} Å\n")
        f.write(f"lead planes: left {len(left)}, right {len(right)}, {len(p0)} atoms each; "
                f"spacing d = {d:.4f} Å; stacking shift s = ({s[0]:.4f}, {s[1]:.4f}) Å\n")
        f.write(f"lead unit: 3 planes, {len(lead_atoms)} atoms, c = {3 * d:.4f} Å\n")
        f.write(f"scattering cell: {len(scat)} atoms ({len(added)} in {m} added ideal plane(s) "
                f"after the right lead), Lz = {lz:.4f} Å, origin z0 = {z0:.4f} Å of the data\n")
        f.write(f"k-mesh {a.kmesh}x{a.kmesh} (nanocontact MP, halved by time reversal): "
                f"{len(kpts)} point(s)\n")
    print(open(os.path.join(a.out, "geometry.txt")).read(), end="")


if __name__ == "__main__":
    main()
