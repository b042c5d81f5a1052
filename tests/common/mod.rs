//! Helpers shared by the integration tests: reference-data paths and readers of the LAMMPS
//! reference files as they are.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `tests/reference`: the reference data made by LAMMPS and Kwant, copied byte for byte into the
/// repository (`tests/reference/PROVENANCE.md`), so that a clone alone passes its tests.
pub fn reference() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

/// The built binary.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nanocontact"))
}

/// Runs `cmd` and returns its output; panics with its stderr unless it succeeded.
pub fn ok(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs `cmd`, which must fail, and returns its stderr.
pub fn fails(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(!out.status.success(), "expected a failure");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nanocontact-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A LAMMPS reference case in `lammps/eam/<case>`: the pair style, potential file, elements and
/// boundary from `in.lmp`, and the expected energy, pressure and forces.
pub struct EamCase {
    pub name: String,
    pub data: PathBuf,
    pub spec: String,
    pub elements: Vec<String>,
    pub boundary: String,
    pub pe_ev: f64,
    pub pressure_bar: f64,
    /// id -> force.
    pub forces: HashMap<u64, [f64; 3]>,
}

/// Read `lammps/eam/<case>` (in.lmp, energy.json, forces.dump) as LAMMPS wrote them.
pub fn eam_case(name: &str) -> EamCase {
    let dir = reference().join("lammps/eam").join(name);
    let inp = std::fs::read_to_string(dir.join("in.lmp")).unwrap();
    let mut style = String::new();
    let mut file = String::new();
    let mut elements = Vec::new();
    let mut boundary = String::new();
    for l in inp.lines() {
        let t: Vec<&str> = l.split_whitespace().collect();
        match t.first() {
            Some(&"pair_style") => style = t[1].to_string(),
            Some(&"pair_coeff") => {
                let f = Path::new(t[3])
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                file = reference()
                    .join("lammps/potentials")
                    .join(f)
                    .display()
                    .to_string();
                elements = t[4..].iter().map(|s| s.to_string()).collect();
            }
            Some(&"boundary") => boundary = t[1..].join(" "),
            _ => {}
        }
    }
    let e: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("energy.json")).unwrap()).unwrap();
    let forces = read_forces_dump(&dir.join("forces.dump"));
    EamCase {
        name: name.to_string(),
        data: dir.join("data.lmp"),
        spec: format!("{style}:{file}"),
        elements,
        boundary,
        pe_ev: e["pe_eV"].as_f64().unwrap(),
        pressure_bar: e["pressure_bar"].as_f64().unwrap(),
        forces,
    }
}

/// id -> force of a LAMMPS `dump custom ... id type x y z fx fy fz` as the references write it.
pub fn read_forces_dump(path: &Path) -> HashMap<u64, [f64; 3]> {
    let dump = std::fs::read_to_string(path).unwrap();
    let mut forces = HashMap::new();
    let mut in_atoms = false;
    for l in dump.lines() {
        if l.starts_with("ITEM: ATOMS") {
            assert_eq!(l.trim(), "ITEM: ATOMS id type x y z fx fy fz");
            in_atoms = true;
            continue;
        }
        if in_atoms {
            let v: Vec<f64> = l.split_whitespace().map(|s| s.parse().unwrap()).collect();
            forces.insert(v[0] as u64, [v[5], v[6], v[7]]);
        }
    }
    forces
}

/// id -> the value of `column` in the atoms of a LAMMPS `dump custom` (one frame).
pub fn read_dump_column(path: &Path, column: &str) -> HashMap<u64, f64> {
    let dump = std::fs::read_to_string(path).unwrap();
    let mut lines = dump.lines().skip_while(|l| !l.starts_with("ITEM: ATOMS"));
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().skip(2).collect();
    let (id, k) = (0, header.iter().position(|&c| c == column).unwrap());
    assert_eq!(header[id], "id");
    lines
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w[id].parse().unwrap(), w[k].parse().unwrap())
        })
        .collect()
}

/// `mpirun -np N nanocontact run DECK --out OUT`, asserting success.
pub fn run_deck_ok(np: usize, deck: &Path, out: &Path) {
    mpirun_ok(
        np,
        &[
            "run",
            deck.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
}

/// Run this test program itself under `mpirun -np N` (a test with its own `main` that does
/// its checks when `OMPI_COMM_WORLD_SIZE` is set), asserting success; its standard output.
pub fn mpirun_self_ok(np: usize) -> String {
    let me = std::env::current_exe().unwrap();
    let out = mpirun_program(np, &me, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{np} ranks:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// All EAM reference cases present in the reference folder.
pub fn eam_case_names() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(reference().join("lammps/eam"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("in.lmp").exists())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// `mpirun --oversubscribe -np N nanocontact ARGS` with the environment the tests need (root,
/// fast local start-up, no ssh), a 300 s limit so that a hang fails instead of blocking.
pub fn mpirun(np: usize, args: &[&str]) -> std::process::Output {
    mpirun_command(np, args)
        .output()
        .expect("mpirun (OpenMPI) must be installed: scripts/deps.sh does it")
}

/// The command [`mpirun`] runs, for a caller that spawns it itself.
pub fn mpirun_command(np: usize, args: &[&str]) -> Command {
    mpirun_program_command(np, Path::new(env!("CARGO_BIN_EXE_nanocontact")), args)
}

/// `mpirun` of another program (a check program built as an example), as [`mpirun`].
pub fn mpirun_program(np: usize, program: &Path, args: &[&str]) -> std::process::Output {
    mpirun_program_command(np, program, args)
        .output()
        .expect("mpirun (OpenMPI) must be installed: scripts/deps.sh does it")
}

fn mpirun_program_command(np: usize, program: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("mpirun");
    c.env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        .env("OMPI_MCA_pml", "ob1")
        .env("OMPI_MCA_plm", "isolated")
        .args([
            "--oversubscribe",
            "--bind-to",
            "none",
            "--timeout",
            "300",
            "-np",
            &np.to_string(),
        ])
        .arg(program)
        .args(args);
    c
}

/// [`mpirun`], asserting success.
pub fn mpirun_ok(np: usize, args: &[&str]) -> std::process::Output {
    let out = mpirun(np, args);
    assert!(
        out.status.success(),
        "mpirun -np {np} {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The 256-atom gold crystal of the LAMMPS NVE reference (600 K velocities), forces computed,
/// timestep 2 fs.
pub fn nve_reference_md() -> nanocontact::dynamics::Md {
    let r = reference();
    let mut md = nanocontact::commands::eval::setup(
        &r.join("lammps/nve/data.lmp"),
        &format!("eam:{}", r.join("lammps/potentials/Au_u3.eam").display()),
        &[],
        "p p p",
        1.0,
        nanocontact::parallel::World::serial(),
        None,
    )
    .unwrap();
    md.set_timestep(0.002);
    md
}

/// Total momentum Σ m v of the owned atoms, amu·Å/ps.
pub fn momentum(md: &nanocontact::dynamics::Md) -> [f64; 3] {
    let a = &md.atoms;
    let mut p = [0.0; 3];
    for i in 0..a.nlocal {
        for (pk, vk) in p.iter_mut().zip(a.v[i]) {
            *pk += a.mass(i) * vk;
        }
    }
    p
}

/// A numeric CSV table written by nanocontact (header skipped), one `Vec<f64>` per row.
pub fn read_csv(p: &Path) -> Vec<Vec<f64>> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect()
}

/// The text of `inputs/small_driven_junction.toml` with its potential by absolute path (so the
/// deck runs from any folder), `steps` steps and a trajectory frame every `every` steps.
pub fn small_driven_junction_deck(steps: u64, every: u64) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join("inputs/small_driven_junction.toml"))
        .unwrap()
        .replace(
            "files = [\"potentials/Au_u3.eam\"]",
            &format!(
                "files = [\"{}\"]",
                root.join("inputs/potentials/Au_u3.eam").display()
            ),
        )
        .replace("steps = 500", &format!("steps = {steps}"))
        .replace("trajectory = 0", &format!("trajectory = {every}"))
}

/// Run `nanocontact transport DECK --out OUT` (it must succeed) and read back G/G0 at E_F and
/// the eigenchannel transmissions at E_F of the first k-point. The deck's energies must be
/// E_F − δ, E_F, E_F + δ (three rows per k-point in `eigenchannels.csv`).
pub fn transport_deck_at_fermi_level(deck: &Path, out: &Path) -> (f64, Vec<f64>) {
    let run = bin()
        .args(["transport", deck.to_str().unwrap(), "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}: {}",
        deck.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    let g = std::fs::read_to_string(out.join("conductance.csv")).unwrap();
    let g: f64 = g
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // eigenchannels.csv: k_index, E_eV, tau_1, ...; the second row is E_F at the first k-point.
    let tau = std::fs::read_to_string(out.join("eigenchannels.csv")).unwrap();
    let tau = tau.lines().nth(2).unwrap().split(',').skip(2);
    (g, tau.map(|x| x.trim().parse().unwrap()).collect())
}

/// The infinite monatomic chain of spacing `d` (Å) with the model of `model_file` at its own
/// Fermi level (`nanocontact::transport::problem::chain`): the open channels and T(E_F).
pub fn chain_at_fermi_level(model_file: &Path, d: f64) -> (usize, f64) {
    use nanocontact::transport::{
        model::model_file::read_model_file, problem::chain::monatomic_chain,
    };
    use nanocontact::transport::{SelfEnergyMethod, Solver};
    let m = read_model_file(model_file).unwrap();
    let (p, ef) = monatomic_chain(m.model.as_ref(), d, m.valence_electrons, 400).unwrap();
    let t = Solver::new(p, SelfEnergyMethod::ModeMatching)
        .unwrap()
        .at_k(0.0)
        .unwrap()
        .transmission(ef)
        .unwrap();
    (t.open_l, t.t_lr)
}

/// MPI for a test program that runs itself under `mpirun`: the universe (keep it alive while
/// MPI is used) and its world (serial without MPI).
pub fn mpi_world() -> (
    Option<mpi::environment::Universe>,
    nanocontact::parallel::World,
) {
    let universe = mpi::initialize();
    let world = match &universe {
        Some(u) => nanocontact::parallel::World::from_comm(u.world()),
        None => nanocontact::parallel::World::serial(),
    };
    (universe, world)
}

/// A periodic fcc crystal of `cells` cubic cells of a = 4.08 Å, one atom type of `mass`: the
/// box, the atoms (ids 1, 2, .. in site order) and the sites.
pub fn fcc_crystal(
    cells: [usize; 3],
    mass: f64,
) -> (
    nanocontact::system::SimBox,
    nanocontact::system::Atoms,
    Vec<[f64; 3]>,
) {
    use nanocontact::system::{Atoms, Boundary, SimBox};
    let fcc =
        nanocontact::build::OrientedFcc::new(4.08, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]).unwrap();
    let hi = [0, 1, 2].map(|d| cells[d] as f64 * fcc.period(d));
    let simbox = SimBox::new([0.0; 3], hi, [Boundary::Periodic; 3]);
    let sites = fcc.sites(cells);
    let mut atoms = Atoms::with_types(vec![mass]);
    for (k, x) in sites.iter().enumerate() {
        atoms.push_owned(k as u64 + 1, 0, *x, [0.0; 3]);
    }
    (simbox, atoms, sites)
}

/// A potential of no force (cutoff 1 Å), so that an MD state holds atoms and only its hooks act.
pub struct NoForce(pub usize);

impl nanocontact::potential::Potential for NoForce {
    fn describe(&self) -> String {
        "none".into()
    }
    fn cutoff(&self) -> f64 {
        1.0
    }
    fn type_masses(&self) -> Vec<Option<f64>> {
        vec![None; self.0]
    }
    fn compute(
        &mut self,
        _: &mut nanocontact::system::Atoms,
        _: &[nanocontact::neighbor::NeighborList],
        _: &mut nanocontact::parallel::Comm,
    ) -> nanocontact::error::Result<nanocontact::potential::Tally> {
        Ok(nanocontact::potential::Tally::default())
    }
}

/// The head of a deck on the `ag_slab_o` ReaxFF reference structure (AgZnO ffield, QEq to
/// 1e-10): `[structure]` and `[potential]`, for tests to add the rest.
pub fn ag_slab_reaxff_deck(title: &str) -> String {
    let r = reference().join("lammps");
    format!(
        "title = \"{title}\"\n[structure]\ndata = \"{}\"\nboundary = \"p p f\"\n[potential]\n\
         style = \"reaxff\"\nfiles = [\"{}\"]\nelements = [\"Ag\", \"O\"]\n[potential.qeq]\n\
         tolerance = 1e-10\n",
        r.join("reaxff/ag_slab_o/data.lmp").display(),
        r.join("potentials/ffield.reax.AgZnO").display()
    )
}
