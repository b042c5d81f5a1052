"""bench/reaxff/gen.py: the structures and velocities of the ReaxFF benchmark (issue 18, items 3-4).

    python3 gen.py CASE OUTDIR        (CASE: slab, tips or nve; needs numpy)

Writes OUTDIR/CASE.nc.data and OUTDIR/CASE.lmp.data: the same LAMMPS data file (atom_style charge,
`id type q x y z`, q = 0), with a Velocities section in A/ps for nanocontact (metal units) and in A/fs
for LAMMPS (units real): the second is the first divided by 1000, so both codes integrate the same
initial state. Velocities: Maxwell-Boltzmann at 300 K from a fixed seed, zero total momentum, scaled
to exactly 300 K with 3N - 3 degrees of freedom (as LAMMPS's `velocity create` and `compute temp`).

  slab  Ag(001) slab, fcc a = 4.09 A, 10 x 10 x 5 cubic cells (10 layers of 200 atoms, 2,000 Ag),
        20 O in fourfold hollow sites 0.95 A above the top layer; box 40.9 x 40.9 A, 12 A of vacuum
        below and above the slab (boundary p p f). 2,020 atoms, types Ag O. Every position displaced
        by a Gaussian of 0.05 A (as the reference cases).
  tips  The silver tip pair of the silver paper (seed 002, Methods: two pyramidal Ag tips facing each
        other across an 8.3 A gap), smaller: each tip an fcc (a = 4.09 A) square pyramid with a (001)
        base and {111} facets, 12 x 12 atoms in the base layer and one fewer per side in each of the
        11 layers above it (650 atoms, base edge 31.8 A); the second tip is the first mirrored in z,
        apex 8.3 A above the first tip's apex. 1,300 Ag atoms, one type; 12 A of vacuum around the
        pair laterally (boundary p p f, periodic images 12 A apart > the 10 A cutoff) and along z.
  rewiring, rewiring_small
        The rewiring system of issue 21 as `nanocontact build` writes it from inputs/ag_rewiring.toml
        (the paper's tips: 4.2 nm (001) bases, 8.3 A gap, 2,992 Ag) or inputs/ag_rewiring_small.toml
        (2.0 nm bases, 408 Ag): run.sh builds OUTDIR/CASE.built.data first. Box as built, boundary
        f f f; velocities at 800 K, the paper's temperature.
  nve   The reference case ag_slab_o (303 atoms, Ag O; REFERENCE_DATA or the data.lmp beside the
        repository, tests/reference/lammps/reaxff/ag_slab_o/data.lmp) with 300 K velocities.
"""
import os
import sys

import numpy as np

KB = 8.617333262e-5            # eV/K (LAMMPS metal boltz)
MVV2E = 1.0364269e-4           # eV per amu A^2/ps^2 (LAMMPS metal mvv2e)
MASS = {"Ag": 107.8682, "O": 15.999}
A_AG = 4.09
SEED = {"slab": 180401, "tips": 180402, "nve": 180403, "rewiring": 210401, "rewiring_small": 210402}
TEMPERATURE = {"rewiring": 800.0, "rewiring_small": 800.0}


def fcc(a, nx, ny, nz):
    basis = np.array([[0, 0, 0], [.5, .5, 0], [.5, 0, .5], [0, .5, .5]])
    cells = np.array([[i, j, k] for i in range(nx) for j in range(ny) for k in range(nz)], float)
    return ((cells[:, None, :] + basis[None, :, :]) * a).reshape(-1, 3)


def slab(rng):
    nx, nz, vac = 10, 5, 12.0
    pos = fcc(A_AG, nx, nx, nz)
    pos[:, 2] += vac
    # the top layer (z = 4.5 a) holds (i + 1/2, j) and (i, j + 1/2): (i, j) are its hollows.
    top = pos[:, 2].max()
    o = np.array([[x * A_AG, y * A_AG, top + 0.95] for x in (1, 3, 5, 7, 9) for y in (1, 3, 6, 8)])
    pos = np.vstack([pos, o])
    types = np.r_[np.ones(nx * nx * nz * 4, int), 2 * np.ones(len(o), int)]
    pos += rng.normal(0.0, 0.05, pos.shape)
    box = [(0.0, nx * A_AG), (0.0, nx * A_AG), (0.0, (nz - 0.5) * A_AG + 2 * vac)]
    return pos, types, box, ["Ag", "O"]


def pyramid(n, a):
    """Square pyramid of an fcc crystal on its (001) base: layer l (l = 0 the base) is a square
    grid of (n - l) x (n - l) atoms, spacing a / sqrt(2), shifted by half a spacing per layer along
    both axes (the next layer sits in the hollows), a / 2 above the previous layer."""
    d = a / np.sqrt(2.0)
    pts = [[(i + 0.5 * l) * d, (j + 0.5 * l) * d, 0.5 * l * a]
           for l in range(n) for i in range(n - l) for j in range(n - l)]
    return np.array(pts)


def tips(rng):
    n, gap, vac = 12, 8.3, 12.0
    p = pyramid(n, A_AG)
    h = p[:, 2].max()                       # apex height above the base
    lower = p.copy()
    upper = p.copy()
    upper[:, 2] = 2 * h + gap - upper[:, 2]  # mirrored: apex at h + gap, base at 2 h + gap
    pos = np.vstack([lower, upper])
    pos[:, :2] += vac / 2
    pos[:, 2] += vac
    side = (n - 1) * A_AG / np.sqrt(2.0) + vac
    pos += rng.normal(0.0, 0.05, pos.shape)
    box = [(0.0, side), (0.0, side), (0.0, 2 * h + gap + 2 * vac)]
    return pos, np.ones(len(pos), int), box, ["Ag"]


def nve():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.environ.get("REFERENCE_DATA") or os.path.join(
        root, "tests", "reference", "lammps", "reaxff", "ag_slab_o", "data.lmp")
    return read_data(path) + (path,)


def read_data(path):
    """Box, types and positions of a LAMMPS data file (atom_style charge), sorted by atom id."""
    lines = open(path).read().splitlines()
    box = []
    for l in lines:
        w = l.split()
        if len(w) == 4 and w[2].endswith("lo") and w[3].endswith("hi"):
            box.append((float(w[0]), float(w[1])))
    start = next(k for k, l in enumerate(lines) if l.startswith("Atoms")) + 2
    rows = []
    for l in lines[start:]:
        w = l.split()
        if w and not w[0].isdigit():
            break  # the next section (Velocities)
        if w:
            rows.append(w)
    rows.sort(key=lambda w: int(w[0]))
    types = np.array([int(w[1]) for w in rows])
    pos = np.array([[float(x) for x in w[3:6]] for w in rows])
    elements = ["Ag", "O"][:types.max()]
    return pos, types, box, elements


def velocities(rng, masses, temp):
    v = rng.normal(0.0, 1.0, (len(masses), 3)) * np.sqrt(KB * temp / (masses * MVV2E))[:, None]
    v -= (masses[:, None] * v).sum(0) / masses.sum()
    ke = 0.5 * MVV2E * (masses[:, None] * v * v).sum()
    t = 2 * ke / ((3 * len(masses) - 3) * KB)
    return v * np.sqrt(temp / t)


def write(path, title, pos, types, box, elements, vel, vscale, vunit):
    with open(path, "w") as f:
        f.write(f"{title}\n\n{len(pos)} atoms\n{len(elements)} atom types\n\n")
        for (lo, hi), ax in zip(box, "xyz"):
            f.write(f"{lo:.12f} {hi:.12f} {ax}lo {ax}hi\n")
        f.write("\nMasses\n\n")
        for t, e in enumerate(elements, 1):
            f.write(f"{t} {MASS[e]:.6f}  # {e}\n")
        f.write("\nAtoms # charge\n\n")
        for i, (p, t) in enumerate(zip(pos, types), 1):
            f.write(f"{i} {t} 0.0 {p[0]:.12f} {p[1]:.12f} {p[2]:.12f}\n")
        f.write(f"\nVelocities # {vunit}\n\n")
        for i, v in enumerate(vel * vscale, 1):
            f.write(f"{i} {v[0]:.15e} {v[1]:.15e} {v[2]:.15e}\n")


def main():
    case, out = sys.argv[1], sys.argv[2]
    rng = np.random.default_rng(SEED[case])
    src = ""
    if case == "slab":
        pos, types, box, elements = slab(rng)
    elif case == "tips":
        pos, types, box, elements = tips(rng)
    elif case in TEMPERATURE:
        pos, types, box, elements = read_data(f"{out}/{case}.built.data")
    else:
        pos, types, box, elements, src = nve()
    masses = np.array([MASS[elements[t - 1]] for t in types])
    temp = TEMPERATURE.get(case, 300.0)
    vel = velocities(rng, masses, temp)
    title = f"bench/reaxff {case}: {len(pos)} atoms {' '.join(elements)}, {temp:.0f} K velocities (seed {SEED[case]})"
    if src:
        title += f" from {os.path.basename(os.path.dirname(src))}"
    os.makedirs(out, exist_ok=True)
    write(f"{out}/{case}.nc.data", title, pos, types, box, elements, vel, 1.0, "A/ps (metal)")
    write(f"{out}/{case}.lmp.data", title, pos, types, box, elements, vel, 1e-3, "A/fs (real)")
    lo = pos.min(0)
    hi = pos.max(0)
    print(f"{case}: {len(pos)} atoms ({', '.join(f'{(types == t).sum()} {e}' for t, e in enumerate(elements, 1))}), "
          f"box {' x '.join(f'{h - l:.2f}' for l, h in box)} A, atoms span "
          f"{' x '.join(f'{h - l:.2f}' for l, h in zip(lo, hi))} A")
    if case == "tips":
        print(f"tips: apex-apex gap {np.min(pos[len(pos) // 2:, 2]) - np.max(pos[:len(pos) // 2, 2]):.2f} A (after the 0.05 A displacements)")


if __name__ == "__main__":
    main()
