//! The output folder of `run`, checked by rank 0 before anything is built: it must be a folder
//! this process can create files in, and, unless the run continues one (`--restart`) or the user
//! asked to replace it (`--overwrite`), it must not already hold the outputs of a run. An error
//! here ends every rank (the caller returns it; `main` aborts the MPI job).

use std::path::Path;

use crate::error::{Error, Result};

/// Files whose presence means that the folder holds (part of) a run: the outputs of
/// [`super::outputs`], [`super::stages`], the final state and the checkpoint.
pub const RUN_FILES: [&str; 10] = [
    "thermo.csv",
    "traj.h5",
    "traj.xyz",
    "traj.dump",
    "leads.csv",
    "stages.csv",
    "echemdid.csv",
    "final.data",
    "checkpoint",
    "transport",
];

/// Check `out` (created if missing): writable by a test file made and removed; without
/// `restart`, free of [`RUN_FILES`] (with `overwrite`, those present are removed); with
/// `restart`, the checkpoint given must exist.
pub fn check(out: &Path, restart: Option<&Path>, overwrite: bool) -> Result<()> {
    let shown = out.display();
    if out.exists() && !out.is_dir() {
        return Err(Error::run(format!(
            "output folder '{shown}' is not a folder"
        )));
    }
    std::fs::create_dir_all(out)
        .map_err(|e| Error::run(format!("output folder '{shown}' cannot be created: {e}")))?;
    let probe = out.join(format!(".nanocontact-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| {
            Error::run(format!(
                "output folder '{shown}' is not writable (a test file could not be created \
                 there: {e}); choose another --out"
            ))
        })?;
    if let Some(r) = restart {
        if !r.is_file() {
            return Err(Error::run(format!(
                "--restart '{}': No such file: no checkpoint there",
                r.display()
            )));
        }
        return Ok(());
    }
    let present: Vec<&str> = RUN_FILES
        .iter()
        .copied()
        .filter(|f| out.join(f).exists())
        .collect();
    if present.is_empty() {
        return Ok(());
    }
    if overwrite {
        log::warn!(
            "--overwrite: removing {} from '{shown}'",
            present.join(", ")
        );
        for f in &present {
            let p = out.join(f);
            let removed = if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
            removed.map_err(|e| Error::io(&p, e))?;
        }
        return Ok(());
    }
    let go_on = if out.join("checkpoint").is_file() {
        format!(
            ", continue it with --restart {}",
            out.join("checkpoint").display()
        )
    } else {
        String::new()
    };
    Err(Error::run(format!(
        "output folder '{shown}' already holds a run ({}); choose another --out{go_on}, or \
         replace it with --overwrite",
        present.join(", ")
    )))
}
