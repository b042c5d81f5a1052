//! SLURM's warning signal (SIGUSR1, or the SIGTERM of the time limit and of `scontrol
//! requeue`) as a flag instead of the end of the process, for the run loop
//! ([`super::checkpoint::Policy`]) and the transport ranks ([`super::inline_link`]).

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::error::{Error, Result};

/// Let SIGUSR1 and SIGTERM set `signal` instead of ending the process (a second SIGTERM still
/// ends it). The MD ranks look at the flag; the transport ranks of a run with inline transport
/// only survive the signal, and stop when the MD ranks tell them.
pub fn catch_stop_signals(signal: &Arc<AtomicBool>) -> Result<()> {
    use signal_hook::consts::{SIGTERM, SIGUSR1};
    let reg = |r: std::io::Result<signal_hook::SigId>| {
        r.map_err(|e| Error::run(format!("cannot handle SIGUSR1/SIGTERM: {e}")))
    };
    reg(signal_hook::flag::register_conditional_shutdown(
        SIGTERM,
        143,
        Arc::clone(signal),
    ))?;
    reg(signal_hook::flag::register(SIGTERM, Arc::clone(signal)))?;
    reg(signal_hook::flag::register(SIGUSR1, Arc::clone(signal)))?;
    Ok(())
}
