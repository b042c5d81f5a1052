//! A per-rank cache of lead surface Green's functions by (k∥ index, energy index): the frames of
//! a trajectory share their leads (bit-identical blocks, see [`super::snapshot`]), so the mode
//! matching of both leads at one (E, k∥) is done once per rank and reused by every frame.
//! Memory is bounded: beyond the byte limit the least recently used k∥ point is dropped whole.
//! [`LeadCacheSettings`] is the choice of a run (the `[farm]` table of a transport deck).

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::transport::solver::surface::LeadSurface;

/// Counters of a cache.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    /// Seconds spent computing the surfaces of the misses.
    pub miss_seconds: f64,
    /// k∥ points dropped for memory.
    pub evictions: u64,
}

/// Whether a rank caches lead surfaces, and how much memory it may use for them.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LeadCacheSettings {
    /// Keep the surfaces per (E, k∥) and reuse them.
    #[serde(default = "yes")]
    pub cache: bool,
    /// Megabytes (10⁶ bytes) per rank; least recently used k∥ points are dropped beyond it.
    #[serde(default = "default_cache_mb")]
    pub cache_mb: f64,
}

impl Default for LeadCacheSettings {
    fn default() -> Self {
        LeadCacheSettings {
            cache: true,
            cache_mb: default_cache_mb(),
        }
    }
}

fn yes() -> bool {
    true
}
fn default_cache_mb() -> f64 {
    2048.0
}

/// The cache; a zero limit (or `enabled = false`) caches nothing.
pub struct LeadCache {
    enabled: bool,
    limit_bytes: usize,
    bytes: usize,
    map: HashMap<(usize, usize), Arc<[LeadSurface; 2]>>,
    /// Last use of each k∥ index (a counter).
    last_use: HashMap<usize, u64>,
    clock: u64,
    pub stats: CacheStats,
}

fn surface_bytes(s: &[LeadSurface; 2]) -> usize {
    s.iter()
        .map(|x| {
            16 * (x.g.nrows() * x.g.ncols() + x.spectral_factor.nrows() * x.spectral_factor.ncols())
        })
        .sum()
}

impl LeadCache {
    /// A cache holding at most `limit_mb` megabytes (10⁶ bytes) of surfaces.
    pub fn new(enabled: bool, limit_mb: f64) -> Self {
        LeadCache {
            enabled,
            limit_bytes: (limit_mb * 1e6) as usize,
            bytes: 0,
            map: HashMap::new(),
            last_use: HashMap::new(),
            clock: 0,
            stats: CacheStats::default(),
        }
    }

    /// The surfaces at (k∥ index, energy index), from the cache or from `compute` (timed).
    pub fn get_or_compute<E>(
        &mut self,
        ik: usize,
        ie: usize,
        compute: impl FnOnce() -> std::result::Result<[LeadSurface; 2], E>,
    ) -> std::result::Result<Arc<[LeadSurface; 2]>, E> {
        self.clock += 1;
        if let Some(s) = self.map.get(&(ik, ie)) {
            self.stats.hits += 1;
            self.last_use.insert(ik, self.clock);
            return Ok(Arc::clone(s));
        }
        let t0 = std::time::Instant::now();
        let s = Arc::new(compute()?);
        self.stats.misses += 1;
        self.stats.miss_seconds += t0.elapsed().as_secs_f64();
        if !self.enabled {
            return Ok(s);
        }
        let b = surface_bytes(&s);
        if b > self.limit_bytes {
            return Ok(s);
        }
        self.last_use.insert(ik, self.clock);
        while self.bytes + b > self.limit_bytes {
            let Some((&old, _)) = self
                .last_use
                .iter()
                .filter(|(&k, _)| k != ik)
                .min_by_key(|(_, &t)| t)
            else {
                break;
            };
            self.evict(old);
        }
        if self.bytes + b <= self.limit_bytes {
            self.bytes += b;
            self.map.insert((ik, ie), Arc::clone(&s));
        }
        Ok(s)
    }

    fn evict(&mut self, ik: usize) {
        let keys: Vec<(usize, usize)> = self.map.keys().filter(|k| k.0 == ik).copied().collect();
        for k in keys {
            if let Some(s) = self.map.remove(&k) {
                self.bytes -= surface_bytes(&s);
            }
        }
        self.last_use.remove(&ik);
        self.stats.evictions += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::dense::CMat;

    fn surf(n: usize) -> [LeadSurface; 2] {
        let s = LeadSurface {
            g: CMat::zeros(n, n),
            spectral_factor: CMat::zeros(n, 1),
            open_channels: 1,
        };
        [s.clone(), s]
    }

    #[test]
    fn hits_after_the_first_computation_and_evicts_old_k() {
        // One entry: 2 × 16 × (10·10 + 10) = 3520 bytes; room for two.
        let mut c = LeadCache::new(true, 8000.0 / 1e6);
        let ok = |n| Ok::<_, ()>(surf(n));
        c.get_or_compute(0, 0, || ok(10)).unwrap();
        c.get_or_compute(0, 0, || ok(10)).unwrap();
        assert_eq!((c.stats.hits, c.stats.misses), (1, 1));
        c.get_or_compute(1, 0, || ok(10)).unwrap();
        c.get_or_compute(2, 0, || ok(10)).unwrap();
        assert_eq!(c.stats.evictions, 1, "k 0 was the least recently used");
        c.get_or_compute(1, 0, || ok(10)).unwrap();
        assert_eq!(c.stats.hits, 2);
        let mut off = LeadCache::new(false, 100.0);
        off.get_or_compute(0, 0, || ok(10)).unwrap();
        off.get_or_compute(0, 0, || ok(10)).unwrap();
        assert_eq!(off.stats.misses, 2);
    }
}
