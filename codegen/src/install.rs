//! Installing something into a shared directory once, safely when several
//! threads or processes ask for it at the same time: the one helper behind
//! everything the repository installs under `target/` on first use (Tencent's
//! fetched definitions, the interop tests' Python virtual environments and npm
//! prefixes, the benchmark's `tccli`, CI's pinned cargo-semver-checks).
//!
//! The protocol, for a destination `dir/NAME` and a key (what is installed,
//! e.g. the pinned requirements):
//!
//! - `dir/NAME/.installed` holding the key means finished. It is the last
//!   thing written, and only ever appears whole (a rename), so a reader that
//!   finds it needs no lock.
//! - Otherwise the caller takes an exclusive file lock on `dir/.NAME.lock`
//!   (`flock(2)` through [`fs4`], so it holds between processes, and between
//!   threads of one process, each opening the file itself) and looks again:
//!   whoever waited while another installed finds the marker and returns.
//! - The lock holder removes what an earlier install left unfinished (a
//!   killed process releases its lock but leaves its files), then installs:
//!   [`Layout::Staged`] into the sibling `dir/.NAME.partial`, renamed into
//!   place once complete; [`Layout::InPlace`] (for what records its own
//!   absolute path, such as a Python virtual environment's scripts) at the
//!   destination itself, the marker written last.
//! - Each step is appended to `dir/.installs.log` (`start`, `wipe`, `done`,
//!   `fail`, with the process id), so tests and people can count installs.
//!
//! A destination holds one key: asking for another key replaces it (a
//! directory name that includes the version keeps versions apart).

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The file, inside a finished install, that holds its key.
pub const MARKER: &str = ".installed";

/// The log, beside the installs, of every install started, wiped, done or failed.
pub const LOG: &str = ".installs.log";

/// Where an install is built while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// In the sibling `.NAME.partial`, renamed into place when complete: for
    /// what can move (unpacked files, npm prefixes, `cargo install --root`).
    Staged,
    /// At the destination, the marker written last: for what records its own
    /// absolute path (a Python virtual environment's `bin/activate` and script
    /// shebangs), so that it would break if moved.
    InPlace,
}

/// Why an install failed.
#[derive(Debug)]
pub enum InstallError<E> {
    /// The installer returned an error (nothing was put in place).
    Failed(E),
    /// A file operation of the helper failed.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What was being done (`create`, `lock`, `remove`, `rename`, ...).
        action: &'static str,
        /// The error.
        source: std::io::Error,
    },
}

impl<E: fmt::Display> fmt::Display for InstallError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstallError::Failed(e) => e.fmt(f),
            InstallError::Io {
                path,
                action,
                source,
            } => write!(f, "cannot {action} {}: {source}", path.display()),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for InstallError<E> {}

fn io<E>(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> InstallError<E> {
    let path = path.to_owned();
    move |source| InstallError::Io {
        path,
        action,
        source,
    }
}

/// Whether `dest` holds a finished install of `key`.
pub fn is_installed(dest: &Path, key: &str) -> bool {
    std::fs::read_to_string(dest.join(MARKER)).is_ok_and(|m| m == key)
}

/// The destination's name and parent directory.
fn split(dest: &Path) -> (PathBuf, String) {
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "install".to_owned());
    (parent, name)
}

/// Appends one line to the log beside the installs (best effort: a log that
/// cannot be written never fails an install).
fn log(parent: &Path, line: &str) {
    if let Ok(mut f) = OpenOptions::new()
        .create(true)
        .append(true)
        .open(parent.join(LOG))
    {
        // One write per line: appends of a short line do not interleave.
        let _ = f.write_all(format!("pid={} {line}\n", std::process::id()).as_bytes());
    }
}

fn remove_all<E>(path: &Path) -> Result<bool, InstallError<E>> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io(path, "inspect")(e)),
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path)
            .map(|()| true)
            .map_err(io(path, "remove")),
        Ok(_) => std::fs::remove_file(path)
            .map(|()| true)
            .map_err(io(path, "remove")),
    }
}

/// Writes the marker into `dir`, whole or not at all (a rename).
fn write_marker<E>(dir: &Path, key: &str) -> Result<(), InstallError<E>> {
    let tmp = dir.join(format!("{MARKER}.tmp"));
    std::fs::write(&tmp, key).map_err(io(&tmp, "write"))?;
    let marker = dir.join(MARKER);
    std::fs::rename(&tmp, &marker).map_err(io(&marker, "write"))
}

/// The exclusive install lock of one destination, released when dropped
/// (and by the kernel when the process dies).
struct Locked(File);

impl Locked {
    fn take<E>(path: &Path) -> Result<Locked, InstallError<E>> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .map_err(io(path, "open the lock file"))?;
        // Called through the trait: `File::lock` of std (Rust 1.89) is newer
        // than the published crates' rust-version.
        fs4::FileExt::lock(&file).map_err(io(path, "lock"))?;
        Ok(Locked(file))
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        let _ = fs4::FileExt::unlock(&self.0);
    }
}

/// Makes sure `dest` holds a finished install of `key`, running `install` at
/// most once however many threads and processes ask at the same time (the
/// others wait for it); returns `dest`. `install` gets the directory to fill:
/// the staging directory ([`Layout::Staged`], created empty) or `dest` itself
/// ([`Layout::InPlace`], absent: the installer creates it). What an earlier,
/// unfinished install left is removed first; a failed install leaves nothing
/// that could be taken for finished.
pub fn once<E>(
    dest: &Path,
    key: &str,
    layout: Layout,
    install: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<PathBuf, InstallError<E>> {
    if is_installed(dest, key) {
        return Ok(dest.to_owned());
    }
    let (parent, name) = split(dest);
    std::fs::create_dir_all(&parent).map_err(io(&parent, "create"))?;
    let _lock = Locked::take(&parent.join(format!(".{name}.lock")))?;
    if is_installed(dest, key) {
        return Ok(dest.to_owned());
    }
    let staging = parent.join(format!(".{name}.partial"));
    // Holding the lock, nobody else is installing this destination: whatever
    // is here unfinished was left by an install that died (or by another key).
    let mut wiped = remove_all(&staging)?;
    wiped |= remove_all(dest)?;
    if wiped {
        log(
            &parent,
            &format!("wipe {name} (an unfinished or other install)"),
        );
    }
    let key_line = key.lines().next().unwrap_or("");
    log(&parent, &format!("start {name} ({key_line})"));
    let work = match layout {
        Layout::Staged => {
            std::fs::create_dir(&staging).map_err(io(&staging, "create"))?;
            staging.clone()
        }
        Layout::InPlace => dest.to_owned(),
    };
    if let Err(e) = install(&work) {
        log(&parent, &format!("fail {name}"));
        let _ = remove_all::<E>(&work);
        return Err(InstallError::Failed(e));
    }
    if !work.is_dir() {
        std::fs::create_dir_all(&work).map_err(io(&work, "create"))?;
    }
    write_marker(&work, key)?;
    if layout == Layout::Staged {
        std::fs::rename(&staging, dest).map_err(io(dest, "rename into place"))?;
    }
    log(&parent, &format!("done {name} ({key_line})"));
    Ok(dest.to_owned())
}

/// Runs `cmd`; its stdout, or an error naming `what` with its output.
pub fn run(cmd: &mut Command, what: &str) -> Result<String, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{what}: cannot run {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}): {cmd:?}\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The interpreter of the virtual environment at `venv`.
pub fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// A Python virtual environment at `venv`, made by `python` (e.g. `python3`),
/// with `requirements` (pinned `name==version`) installed from the package
/// index; returns its interpreter. Built in place ([`Layout::InPlace`]): a
/// virtual environment's scripts name its absolute path.
pub fn python_venv(
    venv: &Path,
    python: &OsStr,
    requirements: &[&str],
) -> Result<PathBuf, InstallError<String>> {
    let key = format!("python venv: {}", requirements.join(" "));
    once(venv, &key, Layout::InPlace, |dir| {
        run(
            Command::new(python).args(["-m", "venv"]).arg(dir),
            "creating the virtual environment",
        )?;
        if !requirements.is_empty() {
            run(
                Command::new(venv_python(dir))
                    .args([
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--disable-pip-version-check",
                    ])
                    .args(requirements),
                &format!("installing {} with pip", requirements.join(", ")),
            )?;
        }
        Ok(())
    })?;
    Ok(venv_python(venv))
}

/// npm's `package@version` installed under the prefix `prefix` (without a
/// lock file, so only the pinned package's own dependency ranges apply);
/// returns the `node_modules` directory.
pub fn npm_package(
    prefix: &Path,
    npm: &OsStr,
    package: &str,
    version: &str,
) -> Result<PathBuf, InstallError<String>> {
    let wanted = format!("{package}@{version}");
    once(prefix, &format!("npm: {wanted}"), Layout::Staged, |dir| {
        run(
            Command::new(npm)
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--no-package-lock",
                    "--prefix",
                ])
                .arg(dir)
                .arg(&wanted),
            &format!("installing {wanted} with npm"),
        )?;
        let manifest = dir.join("node_modules").join(package).join("package.json");
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("npm installed no {}: {e}", manifest.display()))?;
        let found: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
        if found["version"] != version {
            return Err(format!(
                "npm installed {package} {} instead of {version}",
                found["version"]
            ));
        }
        Ok(())
    })?;
    Ok(prefix.join("node_modules"))
}

/// `cargo install --locked --version VERSION KRATE` into the root `root`,
/// with `env` set for the build (e.g. a cheaper release profile); returns the
/// directory of its binaries.
pub fn cargo_install(
    root: &Path,
    krate: &str,
    version: &str,
    env: &[(&str, &str)],
) -> Result<PathBuf, InstallError<String>> {
    let cargo: OsString = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let key = format!("cargo install: {krate} {version}");
    once(root, &key, Layout::Staged, |dir| {
        let mut cmd = Command::new(&cargo);
        cmd.args(["install", "--locked", "--version", version, "--root"])
            .arg(dir)
            .arg(krate);
        for (k, v) in env {
            cmd.env(k, v);
        }
        // Its build output goes to the terminal: a cold build takes minutes.
        let status = cmd
            .status()
            .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
        if !status.success() {
            return Err(format!("{cmd:?} failed ({status})"));
        }
        Ok(())
    })?;
    Ok(root.join("bin"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "tc-install-unit-{}-{name}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn threads_install_once_and_all_see_it_finished() {
        let dir = scratch("threads");
        let dest = dir.join("thing-1");
        let runs = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let got = once(&dest, "thing 1", Layout::Staged, |d| {
                        runs.fetch_add(1, Ordering::SeqCst);
                        std::fs::write(d.join("payload"), "complete")
                    })
                    .unwrap();
                    assert_eq!(
                        std::fs::read_to_string(got.join("payload")).unwrap(),
                        "complete"
                    );
                });
            }
        });
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(!dir.join(".thing-1.partial").exists());
        let log = std::fs::read_to_string(dir.join(LOG)).unwrap();
        assert_eq!(log.matches(" done thing-1 ").count(), 1, "{log}");
    }

    #[test]
    fn a_failed_install_leaves_nothing_and_is_retried() {
        let dir = scratch("failed");
        let dest = dir.join("thing");
        for layout in [Layout::Staged, Layout::InPlace] {
            let e = once(&dest, "k", layout, |d| {
                std::fs::create_dir_all(d).unwrap();
                std::fs::write(d.join("half"), "x").unwrap();
                Err("boom")
            })
            .unwrap_err();
            assert_eq!(e.to_string(), "boom");
            assert!(!dest.exists() && !dir.join(".thing.partial").exists());
        }
        once(&dest, "k", Layout::InPlace, |d| {
            std::fs::create_dir_all(d).map_err(|e| e.to_string())
        })
        .unwrap();
        assert!(is_installed(&dest, "k"));
    }

    #[test]
    fn leftovers_without_a_marker_are_wiped_and_another_key_replaces() {
        let dir = scratch("leftovers");
        let dest = dir.join("thing");
        std::fs::create_dir_all(dest.join("bin")).unwrap();
        std::fs::write(dest.join("bin/half-written"), "x").unwrap();
        std::fs::create_dir_all(dir.join(".thing.partial")).unwrap();
        once(&dest, "v1", Layout::Staged, |d| {
            std::fs::write(d.join("v"), "1")
        })
        .unwrap();
        assert!(!dest.join("bin").exists());
        assert_eq!(std::fs::read_to_string(dest.join("v")).unwrap(), "1");
        once(&dest, "v2", Layout::Staged, |d| {
            std::fs::write(d.join("v"), "2")
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(dest.join("v")).unwrap(), "2");
        let log = std::fs::read_to_string(dir.join(LOG)).unwrap();
        assert_eq!(log.matches(" wipe thing ").count(), 2, "{log}");
    }
}
