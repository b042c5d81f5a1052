"""Open a nanocontact `traj.h5` with MDAnalysis's H5MD reader and with h5py, and compare every
frame with the LAMMPS dump (`traj.dump`) the same run wrote: positions, velocities, forces, box,
step and time. Exit status 1 if anything read by MDAnalysis differs by more than 1e-6 (Å, Å/ps,
eV/Å) beyond the rounding of its float32 arrays (half a float32 ulp, |x|·2^-24: 1.4e-6 Å at
48 Å), if the float64 datasets of the same MDAnalysis reader (its `_particle_group`, at the
frame its Timestep is on) differ by more than 1e-6, or anything read by h5py (float64) by more
than 1e-12. (MDAnalysis 2.x Timesteps hold float32, hard-coded in its timestep.pyx: coordinates
above 16.8 Å cannot be held to 1e-6 Å there; its reader's own float64 data are.)

    python check_mdanalysis.py RUN_DIR

RUN_DIR holds traj.h5, traj.dump and final.data (the MDAnalysis topology, LAMMPS atomic style).
"""
import sys

import h5py
import MDAnalysis as mda
import numpy as np

TOL = 1e-6
TOL64 = 1e-12
F32_HALF_ULP = 2.0**-24
# 1 eV in kJ/mol (e N_A / 1000, exact SI values): MDAnalysis's force unit is kJ/(mol Å).
KJ_PER_MOL_PER_EV = 96.48533212331002


def read_dump(path):
    """Frames of a `dump custom` file: step, box bounds (3x2), columns by name, sorted by id."""
    frames = []
    with open(path) as f:
        lines = f.read().splitlines()
    k = 0
    while k < len(lines):
        assert lines[k] == "ITEM: TIMESTEP", lines[k]
        step = int(lines[k + 1])
        n = int(lines[k + 3])
        bounds = np.array([[float(x) for x in lines[k + 5 + d].split()[:2]] for d in range(3)])
        cols = lines[k + 8].split()[2:]
        data = np.array([[float(x) for x in l.split()] for l in lines[k + 9:k + 9 + n]])
        data = data[np.argsort(data[:, cols.index("id")])]
        frames.append((step, bounds, {c: data[:, j] for j, c in enumerate(cols)}))
        k += 9 + n
    return frames


def main(run):
    h5 = f"{run}/traj.h5"
    dump = read_dump(f"{run}/traj.dump")
    with h5py.File(h5, "r") as f:
        p = f["particles/all"]
        print("h5py: H5MD version", list(f["h5md"].attrs["version"]),
              "| creator", f["h5md/creator"].attrs["name"],
              "| position", p["position/value"].shape, p["position/value"].attrs["unit"],
              "| velocity", p["velocity/value"].attrs["unit"],
              "| force", p["force/value"].attrs["unit"],
              "| box edges", p["box/edges/value"].attrs["unit"],
              "| time", p["position/time"].attrs["unit"],
              "| observables", sorted(f["observables"].keys()))
    u = mda.Universe(f"{run}/final.data", h5, atom_style="id type x y z", format="H5MD")
    print(f"MDAnalysis {mda.__version__}: {u.atoms.n_atoms} atoms, {len(u.trajectory)} frames, "
          f"units {u.trajectory.units}")
    order = np.argsort(u.atoms.ids)
    # Excess of |MDAnalysis - dump| over the allowed max(TOL, |x| 2^-24).
    worst = {"position": 0.0, "velocity": 0.0, "force": 0.0, "box": 0.0}
    excess = 0.0
    worst_reader64 = {"position": 0.0, "velocity": 0.0, "box": 0.0}

    def over(a, ref):
        return float(np.max(np.abs(a - ref) - np.maximum(TOL, np.abs(ref) * F32_HALF_ULP)))

    steps_h5 = []
    for ts in u.trajectory:
        steps_h5.append(int(ts.data["step"]))
    dump_by_step = {s: (b, c) for s, b, c in dump}
    common = [s for s in steps_h5 if s in dump_by_step]
    for ts in u.trajectory:
        step = int(ts.data["step"])
        if step not in dump_by_step:
            continue
        bounds, c = dump_by_step[step]
        ids = u.atoms.ids[order]
        assert np.array_equal(ids, c["id"].astype(int)), f"step {step}: ids differ"
        # MDAnalysis keeps coordinates in float32.
        got = {
            "position": ts.positions[order].astype(np.float64),
            "velocity": ts.velocities[order].astype(np.float64),
            "force": ts.forces[order].astype(np.float64) / KJ_PER_MOL_PER_EV,
            "box": ts.dimensions[:3].astype(np.float64),
        }
        ref = {
            "position": np.c_[c["x"], c["y"], c["z"]],
            "velocity": np.c_[c["vx"], c["vy"], c["vz"]],
            "force": np.c_[c["fx"], c["fy"], c["fz"]],
            "box": bounds[:, 1] - bounds[:, 0],
        }
        for k in worst:
            worst[k] = max(worst[k], float(np.abs(got[k] - ref[k]).max()))
            excess = max(excess, over(got[k], ref[k]))
        # The reader's own float64 data at the frame its Timestep is on, in its sorted-id order.
        pg = u.trajectory._particle_group
        ids_h5 = pg["id/value"][ts.frame]
        keep = np.argsort(ids_h5[ids_h5 >= 0])
        r64 = {
            "position": pg["position/value"][ts.frame][ids_h5 >= 0][keep],
            "velocity": pg["velocity/value"][ts.frame][ids_h5 >= 0][keep],
            "box": pg["box/edges/value"][ts.frame],
        }
        for k, v in r64.items():
            worst_reader64[k] = max(worst_reader64[k], float(np.abs(v - ref[k]).max()))
        assert abs(ts.time - float(ts.data["time"])) < 1e-12
    # float64 through h5py: the same comparison without MDAnalysis's float32.
    worst64 = {"position": 0.0, "velocity": 0.0, "force": 0.0}
    with h5py.File(h5, "r") as f:
        p = f["particles/all"]
        for k, step in enumerate(p["position/step"][:]):
            if int(step) not in dump_by_step:
                continue
            _, c = dump_by_step[int(step)]
            ids = p["id/value"][k]
            keep = ids >= 0
            assert np.array_equal(ids[keep], c["id"].astype(int))
            for name, cols, scale in [("position", "x y z", 1.0), ("velocity", "vx vy vz", 1.0),
                                      ("force", "fx fy fz", KJ_PER_MOL_PER_EV)]:
                v = p[f"{name}/value"][k][keep] / scale
                ref = np.c_[tuple(c[x] for x in cols.split())]
                worst64[name] = max(worst64[name], np.abs(v - ref).max())
    print(f"frames compared with traj.dump: {len(common)} of {len(steps_h5)} (steps {common[0]}..{common[-1]})")
    print("max |MDAnalysis - dump|: " + ", ".join(f"{k} {v:.2e}" for k, v in worst.items()))
    print("max |MDAnalysis reader float64 - dump|: "
          + ", ".join(f"{k} {v:.2e}" for k, v in worst_reader64.items()))
    print("max |h5py - dump|:       " + ", ".join(f"{k} {v:.2e}" for k, v in worst64.items()))
    bad = [k + " (h5py)" for k, v in worst64.items() if not v <= TOL64]
    bad += [k + " (MDAnalysis reader, float64)" for k, v in worst_reader64.items() if not v <= TOL]
    if not excess <= 0.0:
        bad.append(f"MDAnalysis beyond max({TOL:g}, |x| 2^-24) by {excess:.2e}")
    if bad or not common:
        print("FAILED:", bad or "no common frame")
        return 1
    print(f"OK: MDAnalysis within max({TOL:g}, float32 rounding), h5py within {TOL64:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
