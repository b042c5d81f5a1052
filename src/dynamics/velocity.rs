//! Maxwell–Boltzmann velocities, reproducible from a seed and independent of how atoms are
//! distributed over ranks: each atom's three Gaussian numbers come from its own xoshiro256++
//! stream, keyed by (seed, global id). The total momentum is then removed and the velocities are
//! scaled to the exact target temperature with 3N − 3 degrees of freedom (LAMMPS
//! `velocity all create T seed mom yes dist gaussian`, which is rank-dependent unless `loop geom`).

use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::dynamics::Md;
use crate::units::{BOLTZ_EV_PER_K, MVV2E};

/// A random stream keyed by a seed, a global atom id and a step (for Langevin noise later).
pub fn keyed_stream(seed: u64, id: u64, step: u64) -> Xoshiro256PlusPlus {
    // SplitMix64-style mixing of the key into one 64-bit seed; seed_from_u64 expands it.
    let mut z = seed ^ 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(id.wrapping_add(1));
    z ^= step.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    Xoshiro256PlusPlus::seed_from_u64(z)
}

/// Uniform number in (0, 1).
fn uniform(rng: &mut Xoshiro256PlusPlus) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// Two independent standard normal numbers (Box–Muller).
pub fn gaussian_pair(rng: &mut Xoshiro256PlusPlus) -> (f64, f64) {
    let u1 = uniform(rng);
    let u2 = uniform(rng);
    let r = (-2.0 * u1.ln()).sqrt();
    let t = 2.0 * std::f64::consts::PI * u2;
    (r * t.cos(), r * t.sin())
}

/// Give the mobile atoms Maxwell–Boltzmann velocities at `temp_k` with zero total momentum;
/// frozen atoms get zero velocity. The temperature is set with 3·N_mobile − 3 degrees of freedom.
pub fn create(md: &mut Md, temp_k: f64, seed: u64) {
    let frozen = md.frozen;
    let a = &mut md.atoms;
    for i in 0..a.nlocal {
        if a.mask[i] & frozen != 0 {
            a.v[i] = [0.0; 3];
            continue;
        }
        let mut rng = keyed_stream(seed, a.id[i], 0);
        let (g0, g1) = gaussian_pair(&mut rng);
        let (g2, _) = gaussian_pair(&mut rng);
        // σ_v = sqrt(kB T / m) in Å/ps.
        let s = (BOLTZ_EV_PER_K * temp_k / (a.mass(i) * MVV2E)).sqrt();
        a.v[i] = [s * g0, s * g1, s * g2];
    }
    zero_momentum(md);
    let t = 2.0 * md.kinetic_energy() / (md.dof() * BOLTZ_EV_PER_K);
    if t > 0.0 {
        let k = (temp_k / t).sqrt();
        for v in md.atoms.v[..md.atoms.nlocal].iter_mut() {
            v[0] *= k;
            v[1] *= k;
            v[2] *= k;
        }
    }
}

/// Remove the centre-of-mass velocity of the mobile atoms.
pub fn zero_momentum(md: &mut Md) {
    let frozen = md.frozen;
    let a = &mut md.atoms;
    let mut p = [0.0; 4];
    for i in 0..a.nlocal {
        if a.mask[i] & frozen != 0 {
            continue;
        }
        let m = a.mass(i);
        p[0] += m * a.v[i][0];
        p[1] += m * a.v[i][1];
        p[2] += m * a.v[i][2];
        p[3] += m;
    }
    md.world.sum(&mut p);
    if p[3] == 0.0 {
        return;
    }
    let vcm = [p[0] / p[3], p[1] / p[3], p[2] / p[3]];
    for (i, v) in a.v[..a.nlocal].iter_mut().enumerate() {
        if a.mask[i] & frozen != 0 {
            continue;
        }
        v[0] -= vcm[0];
        v[1] -= vcm[1];
        v[2] -= vcm[2];
    }
}
