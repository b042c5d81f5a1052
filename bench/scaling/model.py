#!/usr/bin/env python3
"""Communication-cost model of nanocontact's EAM domain decomposition (see README.md here).

usage: python3 bench/scaling/model.py [T_ATOM_S]   (T_ATOM_S: measured serial s per atom-step)

Per step and rank, with G ghost atoms: forward positions (24 B/ghost), reverse forces (24 B),
forward F'(rho) (8 B), reverse rho (8 B) = 64 B/ghost, plus the ghost rebuild (40 B/ghost)
every ~10 steps = 4 B/ghost/step; 4 phases x 6 swaps = 24 messages; one allreduce for the
neighbour-list check. No overlap of communication and computation is assumed.
"""
import math
import sys

A = 4.08                    # Au lattice constant, A
RHO = 4 / A**3              # atoms per A^3
R_GHOST = 5.55 + 1.0        # EAM cutoff + skin, A
BYTES_PER_GHOST = 64 + 4
MESSAGES = 24
ALPHA = 2.0e-6              # s, InfiniBand HDR point-to-point latency incl. MPI overhead
NIC_BW = 12.5e9             # B/s per node (HDR100)
RANKS_PER_NODE = 32
OFF_NODE = 0.5              # fraction of ghost bytes that leave the node
BETA = NIC_BW / (RANKS_PER_NODE * OFF_NODE)   # effective B/s per rank


def ghosts(n_per_rank: float) -> float:
    """Ghost atoms of a cubic sub-domain holding n atoms: rho[(s + 2 r_g)^3 - s^3]."""
    s = (n_per_rank / RHO) ** (1 / 3)
    return RHO * ((s + 2 * R_GHOST) ** 3 - s**3)


def efficiency(n_atoms: float, ranks: int, t_atom: float):
    n = n_atoms / ranks
    g = ghosts(n)
    t_comp = n * t_atom
    t_comm = MESSAGES * ALPHA + BYTES_PER_GHOST * g / BETA + 2 * ALPHA * math.log2(max(ranks, 2))
    return n, g, BYTES_PER_GHOST * g, t_comp, t_comm, t_comp / (t_comp + t_comm)


def main():
    t_atom = float(sys.argv[1]) if len(sys.argv) > 1 else 8.0e-7
    print(f"assumptions: {RANKS_PER_NODE} ranks/node, latency {ALPHA*1e6:.1f} us, "
          f"{NIC_BW/1e9:.1f} GB/s per node, {OFF_NODE:.0%} of ghost bytes off-node "
          f"-> {BETA/1e9:.2f} GB/s per rank; serial cost {t_atom:.2e} s/atom-step")
    print(f"{'atoms':>8} {'ranks':>6} {'atoms/rank':>10} {'ghosts':>8} {'kB/step':>8} "
          f"{'t_comp ms':>9} {'t_comm ms':>9} {'eff':>5}")
    for n_atoms in (1e6, 1e8):
        for ranks in (64, 512, 4096):
            n, g, b, tc, tm, e = efficiency(n_atoms, ranks, t_atom)
            print(f"{n_atoms:8.0e} {ranks:6d} {n:10.0f} {g:8.0f} {b/1e3:8.1f} "
                  f"{tc*1e3:9.3f} {tm*1e3:9.3f} {e:5.2f}")


if __name__ == "__main__":
    main()
