//! A unit of transport work: one snapshot at one k∥ point, at E_F and on the whole energy grid,
//! and its result as it travels between ranks (a flat little-endian byte encoding).

use crate::error::{Error, Result};
use crate::transport::farm::lead_cache::LeadCache;
use crate::transport::solver::layered::Solver;

/// Results of one (snapshot, k∥) unit; energy index 0 is E_F, then the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitData {
    pub t_lr: Vec<f64>,
    pub t_rl: Vec<f64>,
    pub open_l: Vec<u32>,
    pub open_r: Vec<u32>,
    /// n_energies × n_eig transmission eigenvalues, descending, NaN-padded.
    pub tau: Vec<f64>,
}

/// A unit's outcome with its bookkeeping.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitResult {
    pub frame: u64,
    pub k: u32,
    pub step: u64,
    pub time_ps: f64,
    /// Wall time of the unit and of the lead surfaces computed in it, s.
    pub seconds: f64,
    pub lead_seconds: f64,
    pub rank: u32,
    pub outcome: std::result::Result<UnitData, String>,
}

/// Solve one k∥ point of a snapshot at `energies` (E_F first), with lead surfaces from `cache`;
/// `poll` is called after each energy. Returns the data and the seconds spent on lead surfaces.
pub fn solve_unit(
    solver: &Solver,
    ik: usize,
    k: crate::transport::problem::scattering::BlochPhases,
    energies: &[f64],
    n_eig: usize,
    cache: &mut LeadCache,
    poll: &mut dyn FnMut(),
) -> Result<(UnitData, f64)> {
    let ks = solver.at_k(k)?;
    let ne = energies.len();
    let mut d = UnitData {
        t_lr: Vec::with_capacity(ne),
        t_rl: Vec::with_capacity(ne),
        open_l: Vec::with_capacity(ne),
        open_r: Vec::with_capacity(ne),
        tau: vec![f64::NAN; ne * n_eig],
    };
    let before = cache.stats.miss_seconds;
    for (ie, &e) in energies.iter().enumerate() {
        let surf = cache.get_or_compute(ik, ie, || ks.lead_surfaces(e))?;
        let t = ks.transmission_with_surfaces(e, &surf)?;
        if !(t.t_lr.is_finite() && t.t_rl.is_finite()) {
            return Err(Error::run(format!(
                "E = {e} eV: non-finite transmission (singular Green's function)"
            )));
        }
        d.t_lr.push(t.t_lr);
        d.t_rl.push(t.t_rl);
        d.open_l.push(t.open_l as u32);
        d.open_r.push(t.open_r as u32);
        for (i, tau) in t.tau.iter().take(n_eig).enumerate() {
            d.tau[ie * n_eig + i] = *tau;
        }
        poll();
    }
    Ok((d, cache.stats.miss_seconds - before))
}

/// Little-endian writer.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, x: u64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn f64(&mut self, x: f64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn f64s(&mut self, v: &[f64]) {
        self.u64(v.len() as u64);
        v.iter().for_each(|&x| self.f64(x));
    }
    fn u32s(&mut self, v: &[u32]) {
        self.u64(v.len() as u64);
        v.iter().for_each(|&x| self.u64(u64::from(x)));
    }
}

/// Little-endian reader.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        if self.0.len() < n {
            return Err(Error::run("transport unit result: truncated message"));
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }
    fn u64(&mut self) -> Result<u64> {
        let b: [u8; 8] = self
            .take(8)?
            .try_into()
            .map_err(|_| Error::run("bad u64"))?;
        Ok(u64::from_le_bytes(b))
    }
    fn f64(&mut self) -> Result<f64> {
        Ok(f64::from_bits(self.u64()?))
    }
    fn len(&mut self) -> Result<usize> {
        let n = self.u64()? as usize;
        if n > self.0.len() / 8 {
            return Err(Error::run("transport unit result: bad length"));
        }
        Ok(n)
    }
    fn f64s(&mut self) -> Result<Vec<f64>> {
        let n = self.len()?;
        (0..n).map(|_| self.f64()).collect()
    }
    fn u32s(&mut self) -> Result<Vec<u32>> {
        let n = self.len()?;
        (0..n).map(|_| Ok(self.u64()? as u32)).collect()
    }
}

impl UnitResult {
    /// The byte encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u64(self.frame);
        w.u64(u64::from(self.k));
        w.u64(self.step);
        w.f64(self.time_ps);
        w.f64(self.seconds);
        w.f64(self.lead_seconds);
        w.u64(u64::from(self.rank));
        match &self.outcome {
            Ok(d) => {
                w.u64(1);
                w.f64s(&d.t_lr);
                w.f64s(&d.t_rl);
                w.u32s(&d.open_l);
                w.u32s(&d.open_r);
                w.f64s(&d.tau);
            }
            Err(msg) => {
                w.u64(0);
                w.u64(msg.len() as u64);
                w.0.extend_from_slice(msg.as_bytes());
            }
        }
        w.0
    }

    /// Decode [`UnitResult::encode`].
    pub fn decode(bytes: &[u8]) -> Result<UnitResult> {
        let mut r = Reader(bytes);
        let frame = r.u64()?;
        let k = r.u64()? as u32;
        let step = r.u64()?;
        let time_ps = r.f64()?;
        let seconds = r.f64()?;
        let lead_seconds = r.f64()?;
        let rank = r.u64()? as u32;
        let outcome = if r.u64()? == 1 {
            Ok(UnitData {
                t_lr: r.f64s()?,
                t_rl: r.f64s()?,
                open_l: r.u32s()?,
                open_r: r.u32s()?,
                tau: r.f64s()?,
            })
        } else {
            let n = r.u64()? as usize;
            Err(String::from_utf8_lossy(r.take(n)?).into_owned())
        };
        Ok(UnitResult {
            frame,
            k,
            step,
            time_ps,
            seconds,
            lead_seconds,
            rank,
            outcome,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips() {
        let ok = UnitResult {
            frame: 7,
            k: 3,
            step: 1200,
            time_ps: 2.4,
            seconds: 0.5,
            lead_seconds: 0.1,
            rank: 2,
            outcome: Ok(UnitData {
                t_lr: vec![1.0, 0.25],
                t_rl: vec![1.0, 0.25],
                open_l: vec![2, 3],
                open_r: vec![2, 3],
                tau: vec![0.9, f64::NAN, 0.2, 0.05],
            }),
        };
        let back = UnitResult::decode(&ok.encode()).unwrap();
        assert_eq!(back.encode(), ok.encode());
        let bad = UnitResult {
            outcome: Err("frame 7: lead does not match".into()),
            ..ok
        };
        assert_eq!(UnitResult::decode(&bad.encode()).unwrap(), bad);
        assert!(UnitResult::decode(&bad.encode()[..20]).is_err());
    }
}
