//! FIRE minimisation: a randomly displaced fcc gold crystal relaxes back to the perfect lattice
//! (the energy minimum at fixed box for a = 4.08 Å, near Au_u3's equilibrium), with the energy
//! falling and every force component below the tolerance.

mod common;

use nanocontact::deck::Deck;
use nanocontact::dynamics::fire::{minimize, FireParams};
use nanocontact::parallel::World;

fn deck(cells: usize) -> Deck {
    let text = format!(
        "[structure]\n[structure.lattice]\na = 4.08\ncells = [{cells}, {cells}, {cells}]\n[potential]\nstyle = \"eam\"\nfiles = [\"{}\"]\n[run]\ntimestep = 0.002\nsteps = 0\n",
        common::reference().join("lammps/potentials/Au_u3.eam").display()
    );
    Deck::parse(std::path::Path::new("fire.toml"), &text).unwrap()
}

#[test]
fn displaced_crystal_relaxes_to_the_lattice() {
    let d = deck(3);
    let perfect =
        nanocontact::setup::build_md(&d, std::path::Path::new("fire.toml"), World::serial(), None)
            .unwrap();
    let e_perfect = perfect.pe();
    let mut md =
        nanocontact::setup::build_md(&d, std::path::Path::new("fire.toml"), World::serial(), None)
            .unwrap();
    // Deterministic displacements of up to ±0.15 Å.
    for i in 0..md.atoms.nlocal {
        for k in 0..3 {
            let h = ((i * 7919 + k * 104_729) % 1000) as f64 / 1000.0 - 0.5;
            md.atoms.x[i][k] += 0.3 * h;
        }
    }
    md.compute_forces().unwrap();
    let e_start = md.pe();
    let r = minimize(
        &mut md,
        &FireParams {
            ftol: 1e-6,
            etol: 0.0,
            max_steps: 5000,
            dt: 0.002,
        },
    )
    .unwrap();
    let n = md.natoms as f64;
    eprintln!(
        "FIRE: {} steps, E {e_start:.6} -> {:.9} eV (perfect {e_perfect:.9}), fmax {:.1e}",
        r.steps, r.pe_ev, r.fmax
    );
    assert!(r.converged, "not converged in {} steps", r.steps);
    assert!(r.fmax < 1e-6);
    assert!(e_start > e_perfect + 0.1);
    assert!(
        ((r.pe_ev - e_perfect) / n).abs() < 1e-9,
        "relaxed energy per atom differs from the lattice by {:e}",
        (r.pe_ev - e_perfect) / n
    );
    // Au_u3 cohesive energy at a = 4.08 Å is about -3.93 eV/atom (Foiles et al. 1986).
    assert!((e_perfect / n + 3.93).abs() < 0.01, "{}", e_perfect / n);
}
