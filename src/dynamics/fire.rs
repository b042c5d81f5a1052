//! FIRE energy minimisation (Bitzek, Koskinen, Gähler, Moseler, Gumbsch, Phys. Rev. Lett. 97,
//! 170201 (2006)), with the parameters of LAMMPS `min_style fire` (Guénolé et al., Comput.
//! Mater. Sci. 175, 109584 (2020)): N_delay = 5, f_inc = 1.1, f_dec = 0.5, α0 = 0.25,
//! f_α = 0.99, dt_max = 10 dt. Each step mixes v ← (1 − α) v + α |v| F̂ while P = F·v > 0;
//! when P ≤ 0 the velocities are zeroed, dt is reduced and α reset. Velocities are integrated
//! with the semi-implicit Euler scheme of the original paper. Frozen groups stay in place.

use crate::dynamics::Md;
use crate::error::Result;
use crate::units::FTM2V;

/// Stopping criteria and limits of a minimisation.
#[derive(Clone, Copy, Debug)]
pub struct FireParams {
    /// Stop when the largest force component (eV/Å) is below this.
    pub ftol: f64,
    /// Stop when the relative energy change between steps is below this.
    pub etol: f64,
    /// At most this many steps.
    pub max_steps: u64,
    /// Initial timestep, ps.
    pub dt: f64,
}

/// Outcome of a minimisation.
#[derive(Clone, Copy, Debug)]
pub struct FireResult {
    pub steps: u64,
    pub pe_ev: f64,
    pub fmax: f64,
    pub converged: bool,
}

/// Largest force component over all mobile atoms (global).
pub fn fmax(md: &Md) -> f64 {
    let mut m = 0.0f64;
    for (i, f) in md.atoms.f[..md.atoms.nlocal].iter().enumerate() {
        if md.mobile(i) {
            m = m.max(f[0].abs()).max(f[1].abs()).max(f[2].abs());
        }
    }
    md.world.max(m)
}

/// Minimise the potential energy in place; velocities are zero at the end.
pub fn minimize(md: &mut Md, p: &FireParams) -> Result<FireResult> {
    let (n_delay, f_inc, f_dec, alpha0, f_alpha) = (5u64, 1.1, 0.5, 0.25, 0.99);
    let dt_max = 10.0 * p.dt;
    let mut dt = p.dt;
    let mut alpha = alpha0;
    let mut since_neg = 0u64;
    for v in md.atoms.v.iter_mut() {
        *v = [0.0; 3];
    }
    let mut e_prev = md.pe();
    for step in 1..=p.max_steps {
        // Power P = F·v and the norms for the mixing.
        let a = &md.atoms;
        let frozen = md.frozen;
        let mut s = [0.0; 3];
        for i in 0..a.nlocal {
            if a.mask[i] & frozen != 0 {
                continue;
            }
            let (f, v) = (a.f[i], a.v[i]);
            s[0] += f[0] * v[0] + f[1] * v[1] + f[2] * v[2];
            s[1] += v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
            s[2] += f[0] * f[0] + f[1] * f[1] + f[2] * f[2];
        }
        md.world.sum(&mut s);
        let (power, vnorm, fnorm) = (s[0], s[1].sqrt(), s[2].sqrt());
        let a = &mut md.atoms;
        if power > 0.0 {
            since_neg += 1;
            if since_neg > n_delay {
                dt = (dt * f_inc).min(dt_max);
                alpha *= f_alpha;
            }
            if fnorm > 0.0 {
                let k = alpha * vnorm / fnorm;
                for i in 0..a.nlocal {
                    if a.mask[i] & frozen != 0 {
                        continue;
                    }
                    for d in 0..3 {
                        a.v[i][d] = (1.0 - alpha) * a.v[i][d] + k * a.f[i][d];
                    }
                }
            }
        } else {
            since_neg = 0;
            dt *= f_dec;
            alpha = alpha0;
            for v in a.v[..a.nlocal].iter_mut() {
                *v = [0.0; 3];
            }
        }
        // Semi-implicit Euler: v += dt F/m, x += dt v.
        for i in 0..a.nlocal {
            if a.mask[i] & frozen != 0 {
                continue;
            }
            let k = dt * FTM2V / a.mass(i);
            for d in 0..3 {
                a.v[i][d] += k * a.f[i][d];
                a.x[i][d] += dt * a.v[i][d];
            }
        }
        md.compute_forces()?;
        let e = md.pe();
        let fm = fmax(md);
        let de = (e - e_prev).abs();
        e_prev = e;
        if fm < p.ftol || (p.etol > 0.0 && power > 0.0 && de < p.etol * e.abs().max(1e-300)) {
            for v in md.atoms.v.iter_mut() {
                *v = [0.0; 3];
            }
            return Ok(FireResult {
                steps: step,
                pe_ev: e,
                fmax: fm,
                converged: true,
            });
        }
    }
    for v in md.atoms.v.iter_mut() {
        *v = [0.0; 3];
    }
    Ok(FireResult {
        steps: p.max_steps,
        pe_ev: md.pe(),
        fmax: fmax(md),
        converged: false,
    })
}
