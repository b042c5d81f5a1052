//! One structure handed to the transport layer: a frame of a trajectory, a data file, or a
//! message from the MD ranks ([`Snapshot::encode`], [`Snapshot::decode`]).

use crate::error::{Error, Result};
use crate::system::{Boundary, SimBox};

/// One structure.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Frame index in the trajectory (0 for a data file).
    pub frame: usize,
    pub step: u64,
    pub time_ps: f64,
    pub simbox: SimBox,
    pub ids: Vec<u64>,
    /// 0-based types.
    pub types: Vec<u32>,
    pub positions: Vec<[f64; 3]>,
    /// Element of each 0-based type where the structure names them (H5MD
    /// `/parameters/species_names`); empty for data files.
    pub species_names: Vec<String>,
}

/// Boundary letters as numbers in [`Snapshot::encode`].
const BOUNDARY_CODES: [char; 3] = ['p', 'f', 's'];

impl Snapshot {
    /// The snapshot as one flat message: `[step, time_ps, lo (3), hi (3), boundary codes (3),
    /// n, ids (n), types (n), positions (3n)]` (ids and types are exact in f64 below 2^53).
    pub fn encode(&self) -> Vec<f64> {
        let n = self.ids.len();
        let mut m = Vec::with_capacity(12 + 5 * n);
        m.push(self.step as f64);
        m.push(self.time_ps);
        m.extend_from_slice(&self.simbox.lo);
        m.extend_from_slice(&self.simbox.hi);
        for b in self.simbox.boundary {
            let c = b.letter();
            m.push(BOUNDARY_CODES.iter().position(|&x| x == c).unwrap_or(0) as f64);
        }
        m.push(n as f64);
        m.extend(self.ids.iter().map(|&i| i as f64));
        m.extend(self.types.iter().map(|&t| f64::from(t)));
        m.extend(self.positions.iter().flatten());
        m
    }

    /// The snapshot of [`Snapshot::encode`], as frame `frame`, with the element names of its
    /// types (they are not in the message: both ends know them from the MD deck).
    pub fn decode(frame: usize, m: &[f64], species_names: &[String]) -> Result<Snapshot> {
        let bad = || {
            Error::run(format!(
                "a snapshot message of {} numbers is malformed",
                m.len()
            ))
        };
        let head = m.get(..12).ok_or_else(bad)?;
        let n = head[11] as usize;
        if m.len() != 12 + 5 * n {
            return Err(bad());
        }
        let mut boundary = [Boundary::Periodic; 3];
        for (b, &c) in boundary.iter_mut().zip(&head[8..11]) {
            let letter = BOUNDARY_CODES.get(c as usize).ok_or_else(bad)?;
            *b = Boundary::from_letter(&letter.to_string()).ok_or_else(bad)?;
        }
        let body = &m[12..];
        Ok(Snapshot {
            frame,
            step: head[0] as u64,
            time_ps: head[1],
            simbox: SimBox::new(
                [head[2], head[3], head[4]],
                [head[5], head[6], head[7]],
                boundary,
            ),
            ids: body[..n].iter().map(|&i| i as u64).collect(),
            types: body[n..2 * n].iter().map(|&t| t as u32).collect(),
            positions: body[2 * n..]
                .chunks_exact(3)
                .map(|p| [p[0], p[1], p[2]])
                .collect(),
            species_names: species_names.to_vec(),
        })
    }
}

/// The two axes across transport axis `axis` (0, 1, 2 for x, y, z), in order.
pub fn transverse(axis: usize) -> [usize; 2] {
    match axis {
        0 => [1, 2],
        1 => [0, 2],
        _ => [0, 1],
    }
}
