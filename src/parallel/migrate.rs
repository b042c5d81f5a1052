//! Migration of owned atoms between ranks at re-neighbouring (LAMMPS `Comm::exchange`): along x,
//! then y, then z, atoms outside this rank's sub-box are sent to both neighbours along the axis,
//! and each neighbour keeps those inside its own sub-box. Positions are wrapped into the periodic
//! box beforehand, so an atom that crossed a periodic face reaches the rank on the other side.
//! An atom that moved further than one sub-box since the last re-neighbouring is lost, which the
//! caller detects from the global atom count. Registered per-atom fields that declare
//! `migrates` travel with their atom; the others start at zero on the new owner.

use crate::parallel::{Decomposition, World};
use crate::system::Atoms;

/// Move owned atoms to the ranks whose sub-boxes hold them. Ghosts must have been cleared.
pub fn migrate(
    atoms: &mut Atoms,
    decomp: &Decomposition,
    world: &World,
    sendbuf: &mut Vec<f64>,
    recvbuf: &mut Vec<f64>,
) {
    let per_atom = atoms.packed_width();
    for d in 0..3 {
        if decomp.grid[d] == 1 {
            continue;
        }
        let (lo, hi) = (decomp.sublo(d), decomp.subhi(d));
        sendbuf.clear();
        let mut i = 0;
        while i < atoms.nlocal {
            let x = atoms.x[i][d];
            if x < lo || x >= hi {
                atoms.pack_owned(i, sendbuf);
                atoms.swap_remove_owned(i);
            } else {
                i += 1;
            }
        }
        let down = decomp.neighbor(d, -1).map(|n| n.0);
        let up = decomp.neighbor(d, 1).map(|n| n.0);
        // Send to the lower neighbour (receive from the upper), then the reverse; with two ranks
        // along the axis both neighbours are the same rank and one message suffices.
        let mut partners = vec![(down, up)];
        if up != down {
            partners.push((up, down));
        }
        for (to, from) in partners {
            world.exchange(sendbuf, to, recvbuf, from);
            for a in recvbuf.chunks_exact(per_atom) {
                let x = Atoms::packed_position(a);
                if x[d] >= lo && x[d] < hi {
                    atoms.push_packed(a);
                }
            }
        }
    }
}
