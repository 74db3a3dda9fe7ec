//! `cargo xtask install`: what the tests, the benchmarks and CI install under
//! `target/` on first use, through the one helper
//! (`tencentcloud_codegen::install`: a file lock, a staging directory or an
//! in-place build with the marker written last), so that a script (the
//! benchmark's `bench/run.py`, `.ci/run`) gets the same once-only install as
//! the tests do in-process. Each prints the path to use on stdout.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use tencentcloud_codegen::install;
use tencentcloud_codegen::upstream;

use crate::semver;

/// What to install.
#[derive(Subcommand)]
pub enum What {
    /// A Python virtual environment with pinned requirements; prints its python.
    Python {
        /// Its directory under the target directory (e.g. `tccli`).
        #[arg(long, conflicts_with = "dir", required_unless_present = "dir")]
        name: Option<String>,
        /// Its directory, anywhere.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The python that creates it (default: $TENCENTCLOUD_PYTHON, else python3).
        #[arg(long)]
        python: Option<PathBuf>,
        /// Pinned requirements, `name==version`.
        #[arg(required = false)]
        requirements: Vec<String>,
    },
    /// An npm package at a version under its own prefix; prints its node_modules.
    Npm {
        /// Its directory under the target directory (e.g. `node-sdk-4.1.313`).
        #[arg(long, conflicts_with = "dir", required_unless_present = "dir")]
        name: Option<String>,
        /// Its directory, anywhere.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// `package@version`.
        package: String,
    },
    /// The pinned cargo-semver-checks, in target/ci-tools/ (unless the one on
    /// PATH is that version); prints the program.
    CargoSemverChecks,
}

fn place(root: &Path, name: Option<String>, dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| upstream::target_dir(root).join(name.unwrap_or_default()))
}

pub fn run(root: &Path, what: What) -> Result<(), String> {
    let path = match what {
        What::Python {
            name,
            dir,
            python,
            requirements,
        } => {
            let python = python
                .map(PathBuf::into_os_string)
                .or_else(|| std::env::var_os(upstream::PYTHON_ENV).filter(|p| !p.is_empty()))
                .unwrap_or_else(|| "python3".into());
            let reqs: Vec<&str> = requirements.iter().map(String::as_str).collect();
            install::python_venv(&place(root, name, dir), &python, &reqs)
                .map_err(|e| e.to_string())?
        }
        What::Npm { name, dir, package } => {
            let (pkg, version) = package
                .rsplit_once('@')
                .filter(|(p, v)| !p.is_empty() && !v.is_empty())
                .ok_or_else(|| format!("`{package}`: give package@version"))?;
            install::npm_package(&place(root, name, dir), "npm".as_ref(), pkg, version)
                .map_err(|e| e.to_string())?
        }
        What::CargoSemverChecks => semver::semver_checks(root)?,
    };
    println!("{}", path.display());
    Ok(())
}
