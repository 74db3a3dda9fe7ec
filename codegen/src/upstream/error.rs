//! Why fetching or reading Tencent's definitions failed.

use std::fmt;
use std::path::{Path, PathBuf};

use super::*;
use crate::spec::SpecError;

/// Why fetching or reading Tencent's definitions failed. Every message names
/// the package and version concerned and says what to do.
#[derive(Debug)]
pub enum UpstreamError {
    /// The python executable could not be started.
    PythonMissing {
        /// The executable tried.
        python: String,
        /// What it was needed for, e.g. `tccli-intl-en 3.1.193.1`.
        package: String,
        /// The error from starting it.
        source: std::io::Error,
    },
    /// `pip` failed.
    Pip {
        /// The package.
        package: String,
        /// The version (`(newest version)` when resolving it).
        version: String,
        /// What went wrong, as far as pip's output tells.
        failure: PipFailure,
        /// pip's last lines of output.
        output: String,
    },
    /// The downloaded wheel is not the pinned one.
    ChecksumMismatch {
        /// The package as the lock pins it (with the expected sha256).
        pinned: Box<LockedPackage>,
        /// The sha256 of what was downloaded.
        actual: String,
        /// The cache directory of the package.
        cache: PathBuf,
    },
    /// pip saved a different file than the wheel the lock names.
    WheelMismatch {
        /// The package.
        package: String,
        /// The version.
        version: String,
        /// The wheel the lock names.
        expected: String,
        /// What pip saved.
        found: Vec<String>,
    },
    /// The package lacks a file the project needs.
    MissingFile {
        /// The package.
        package: String,
        /// The version.
        version: String,
        /// The file, as a path inside the wheel.
        file: String,
        /// What there is instead, or what to do.
        hint: String,
    },
    /// The lock file is missing or malformed.
    Lock {
        /// The lock file.
        file: PathBuf,
        /// JSON path of the problem.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The CLI and SDK versions do not match.
    VersionMapping {
        /// The CLI version.
        cli_version: String,
        /// Why.
        message: String,
    },
    /// Unpacking a wheel failed.
    Unpack {
        /// The package.
        package: String,
        /// The version.
        version: String,
        /// The wheel file.
        wheel: PathBuf,
        /// python's output.
        output: String,
    },
    /// A file operation failed.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was being done (`create`, `read`, `write`, ...).
        action: &'static str,
        /// The error.
        source: std::io::Error,
    },
    /// A file of a package is malformed (`errorcodes.py`).
    Malformed(SpecError),
}

/// What a failed pip run most likely means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipFailure {
    /// The index (PyPI or the configured one) could not be reached.
    Unreachable,
    /// The index answered, but has no such version.
    NotFound,
    /// No version of the package at all: the index could not be reached
    /// (pip does not always say so) or does not carry the package.
    NoVersions,
    /// The python has no pip.
    NoPip,
    /// Something else; pip's output says what.
    Other,
}

impl UpstreamError {
    pub(super) fn io(path: &Path, action: &'static str, source: std::io::Error) -> UpstreamError {
        UpstreamError::Io {
            path: path.to_owned(),
            action,
            source,
        }
    }
}

impl fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpstreamError::PythonMissing {
                python,
                package,
                source,
            } => write!(
                f,
                "{package}: cannot run `{python}` ({source}); fetching Tencent's definitions needs \
                 python3 with pip: install it, or name the executable in {PYTHON_ENV}"
            ),
            UpstreamError::Pip {
                package,
                version,
                failure,
                output,
            } => {
                let what = match failure {
                    PipFailure::Unreachable => "the package index could not be reached \
                        (offline?); check the network, the proxy (HTTPS_PROXY) and pip's \
                        configuration (`pip config list`), then run `cargo xtask fetch` again"
                        .to_owned(),
                    PipFailure::NotFound => format!(
                        "the index has no {package} {version}; check the version (`python3 -m pip \
                         index versions {package}`)"
                    ),
                    PipFailure::NoVersions => format!(
                        "pip found no version of {package} at all: the package index could not be \
                         reached (offline?) or does not carry it; check the network, the proxy \
                         (HTTPS_PROXY) and pip's configuration (`pip config list`), then run \
                         `cargo xtask fetch` again"
                    ),
                    PipFailure::NoPip => format!(
                        "python has no pip; install pip (or name another python in {PYTHON_ENV})"
                    ),
                    PipFailure::Other => "see pip's output below".to_owned(),
                };
                write!(f, "{package} {version}: pip failed: {what}")?;
                if !output.is_empty() {
                    write!(f, "\npip said:\n{output}")?;
                }
                Ok(())
            }
            UpstreamError::ChecksumMismatch {
                pinned,
                actual,
                cache,
            } => write!(
                f,
                "{pinned}: checksum mismatch for {}: the lock ({LOCK_FILE}) pins sha256 {}, the \
                 download has {actual}. Delete {} and run `cargo xtask fetch` again, or, if the \
                 published file is meant to change, update the lock with `cargo xtask update`",
                pinned.wheel,
                pinned.sha256,
                cache.display()
            ),
            UpstreamError::WheelMismatch {
                package,
                version,
                expected,
                found,
            } => write!(
                f,
                "{package} {version}: pip saved {} instead of {expected}, the wheel the lock \
                 ({LOCK_FILE}) pins; update the lock with `cargo xtask update`",
                if found.is_empty() {
                    "nothing".to_owned()
                } else {
                    found.join(", ")
                }
            ),
            UpstreamError::MissingFile {
                package,
                version,
                file,
                hint,
            } => write!(f, "{package} {version} has no {file}: {hint}"),
            UpstreamError::Lock {
                file,
                path,
                message,
            } => write!(f, "{}: {path}: {message}", file.display()),
            UpstreamError::VersionMapping {
                cli_version,
                message,
            } => write!(
                f,
                "{DEFINITIONS_PACKAGE} {cli_version}: no matching {ERROR_CODES_PACKAGE} version: \
                 {message}"
            ),
            UpstreamError::Unpack {
                package,
                version,
                wheel,
                output,
            } => write!(
                f,
                "{package} {version}: cannot unpack {} (not a valid wheel?); delete it and run \
                 `cargo xtask fetch` again\n{output}",
                wheel.display()
            ),
            UpstreamError::Io {
                path,
                action,
                source,
            } => write!(f, "cannot {action} {}: {source}", path.display()),
            UpstreamError::Malformed(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for UpstreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UpstreamError::PythonMissing { source, .. } | UpstreamError::Io { source, .. } => {
                Some(source)
            }
            UpstreamError::Malformed(e) => Some(e),
            _ => None,
        }
    }
}
