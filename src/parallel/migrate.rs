//! Migration of owned atoms between ranks at re-neighbouring (LAMMPS `Comm::exchange`): along x,
//! then y, then z, atoms outside this rank's sub-box are sent to both neighbours along the axis,
//! and each neighbour keeps those inside its own sub-box. Positions are wrapped into the periodic
//! box beforehand, so an atom that crossed a periodic face reaches the rank on the other side.
//! An atom that moved further than one sub-box since the last re-neighbouring is lost, which the
//! caller detects from the global atom count.

use crate::parallel::{Decomposition, World};
use crate::system::Atoms;

/// Doubles per migrating atom: id, type, mask, x(3), v(3), image(3).
const PER_ATOM: usize = 12;

/// Move owned atoms to the ranks whose sub-boxes hold them. Ghosts must have been cleared.
pub fn migrate(
    atoms: &mut Atoms,
    decomp: &Decomposition,
    world: &World,
    sendbuf: &mut Vec<f64>,
    recvbuf: &mut Vec<f64>,
) {
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
                let (p, v, im) = (atoms.x[i], atoms.v[i], atoms.image[i]);
                sendbuf.extend_from_slice(&[
                    atoms.id[i] as f64,
                    atoms.typ[i] as f64,
                    atoms.mask[i] as f64,
                    p[0],
                    p[1],
                    p[2],
                    v[0],
                    v[1],
                    v[2],
                    im[0] as f64,
                    im[1] as f64,
                    im[2] as f64,
                ]);
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
            for a in recvbuf.chunks_exact(PER_ATOM) {
                let x = [a[3], a[4], a[5]];
                if x[d] >= lo && x[d] < hi {
                    atoms.push_owned(a[0] as u64, a[1] as u32, x, [a[6], a[7], a[8]]);
                    let k = atoms.nlocal - 1;
                    atoms.mask[k] = a[2] as u32;
                    atoms.image[k] = [a[9] as i32, a[10] as i32, a[11] as i32];
                }
            }
        }
    }
}
