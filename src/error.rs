//! One error type for everything a user can get wrong: each error names the file, the line or
//! the key where there is one, and what was expected. The binary prints it on one line and exits
//! with a non-zero status; no user input can cause a panic.

use std::fmt;
use std::path::{Path, PathBuf};

/// An error with the context a user needs to fix the input.
#[derive(Debug)]
pub enum Error {
    /// Bad content in an input file (data file, potential, deck, Hamiltonian).
    Input {
        /// The file that holds the problem.
        path: PathBuf,
        /// 1-based line number, where one applies.
        line: Option<usize>,
        /// Deck key or file section, where one applies.
        key: Option<String>,
        /// What was found and what was expected.
        msg: String,
    },
    /// A file could not be opened, read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A problem in the simulation itself (lost atoms, bad geometry, singular matrix).
    Run(String),
}

impl Error {
    /// An input error at `path`, optionally at a 1-based `line`.
    pub fn input(path: &Path, line: Option<usize>, msg: impl Into<String>) -> Self {
        Error::Input {
            path: path.to_path_buf(),
            line,
            key: None,
            msg: msg.into(),
        }
    }

    /// An input error at a deck key.
    pub fn key(path: &Path, key: &str, msg: impl Into<String>) -> Self {
        Error::Input {
            path: path.to_path_buf(),
            line: None,
            key: Some(key.to_string()),
            msg: msg.into(),
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A run-time error of the simulation.
    pub fn run(msg: impl Into<String>) -> Self {
        Error::Run(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input {
                path,
                line,
                key,
                msg,
            } => {
                write!(f, "{}", path.display())?;
                if let Some(l) = line {
                    write!(f, ":{l}")?;
                }
                if let Some(k) = key {
                    write!(f, ": key '{k}'")?;
                }
                write!(f, ": {msg}")
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Run(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for Error {}

/// Result with the crate's error.
pub type Result<T> = std::result::Result<T, Error>;
