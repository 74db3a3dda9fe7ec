//! Tencent's published definitions, fetched from PyPI and pinned.
//!
//! Tencent generates its SDKs from one definition format and publishes it in
//! two PyPI packages (Apache-2.0):
//!
//! - [`DEFINITIONS_PACKAGE`] (`tccli-intl-en`, the international CLI):
//!   `tccli/services/<service>/v<YYYYMMDD>/api.json` and `examples.json`;
//! - [`ERROR_CODES_PACKAGE`] (`tencentcloud-sdk-python-intl-en`, the Python
//!   SDK): `tencentcloud/<service>/v<YYYYMMDD>/errorcodes.py`.
//!
//! The repository's lock file ([`LOCK_FILE`]) pins one version of each and the
//! sha256 of its wheel. [`Fetcher::fetch_lock`] downloads the wheels with
//! `python3 -m pip download --no-deps` (so the user's pip configuration applies:
//! index, proxy, certificates), checks the sha256, and unpacks the definition
//! files into `target/tencentcloud-api/<package>-<version>/` with a marker
//! recording the verified sha256. A verified cache is reused with neither
//! network nor python. [`pinned`] is the one call tests and tasks use.

use std::ffi::OsString;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::spec::{SpecError, UniqueMap};

/// The lock file's name, at the repository root.
pub const LOCK_FILE: &str = "tencentcloud-api.lock";
/// The `format` value of the lock file.
pub const LOCK_FORMAT: &str = "tencentcloud-api-lock/1";
/// The package with `api.json` and `examples.json` of every service.
pub const DEFINITIONS_PACKAGE: &str = "tccli-intl-en";
/// The package with `errorcodes.py` of every service.
pub const ERROR_CODES_PACKAGE: &str = "tencentcloud-sdk-python-intl-en";
/// The environment variable naming the python executable (default `python3`).
pub const PYTHON_ENV: &str = "TENCENTCLOUD_PYTHON";
/// The file in an unpacked package directory that records the verified wheel.
const MARKER: &str = ".verified.json";

/// The lock file: the pinned packages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Must be [`LOCK_FORMAT`].
    pub format: String,
    /// The pinned packages.
    pub packages: Vec<LockedPackage>,
}

/// One pinned wheel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedPackage {
    /// The PyPI name, e.g. `tccli-intl-en`.
    pub name: String,
    /// The version, e.g. `3.1.193.1`.
    pub version: String,
    /// The wheel's file name, as pip saves it.
    pub wheel: String,
    /// The wheel's sha256, lowercase hex.
    pub sha256: String,
}

impl fmt::Display for LockedPackage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

impl Lock {
    /// A lock pinning `definitions` and `error_codes`.
    pub fn new(definitions: LockedPackage, error_codes: LockedPackage) -> Lock {
        Lock {
            format: LOCK_FORMAT.to_owned(),
            packages: vec![definitions, error_codes],
        }
    }

    /// Reads and checks a lock file.
    pub fn read(file: &Path) -> Result<Lock, UpstreamError> {
        let text = std::fs::read_to_string(file).map_err(|e| UpstreamError::Lock {
            file: file.to_owned(),
            path: "$".to_owned(),
            message: if e.kind() == std::io::ErrorKind::NotFound {
                "the lock file is missing: it pins Tencent's definitions; restore it \
                 (`git checkout -- tencentcloud-api.lock`)"
                    .to_owned()
            } else {
                format!("cannot read: {e}")
            },
        })?;
        Lock::parse(file, &text)
    }

    /// Parses and checks lock file text read from `file`.
    pub fn parse(file: &Path, text: &str) -> Result<Lock, UpstreamError> {
        let lock_err = |path: String, message: String| UpstreamError::Lock {
            file: file.to_owned(),
            path,
            message,
        };
        let lock: Lock = crate::spec::parse_json(file, text)
            .map_err(|e: SpecError| lock_err(e.path, e.message))?;
        if lock.format != LOCK_FORMAT {
            return Err(lock_err(
                "$.format".to_owned(),
                format!("expected {LOCK_FORMAT:?}, found {:?}", lock.format),
            ));
        }
        for (i, p) in lock.packages.iter().enumerate() {
            let at = |field: &str| format!("$.packages[{i}].{field}");
            if p.name != DEFINITIONS_PACKAGE && p.name != ERROR_CODES_PACKAGE {
                return Err(lock_err(
                    at("name"),
                    format!(
                        "unknown package `{}` (expected {DEFINITIONS_PACKAGE} or {ERROR_CODES_PACKAGE})",
                        p.name
                    ),
                ));
            }
            if lock.packages[..i].iter().any(|q| q.name == p.name) {
                return Err(lock_err(
                    at("name"),
                    format!("`{}` is pinned twice", p.name),
                ));
            }
            if !is_version(&p.version) {
                return Err(lock_err(
                    at("version"),
                    format!("`{}` is not a version like 3.1.193.1", p.version),
                ));
            }
            if !p.wheel.ends_with(".whl") || p.wheel.contains(['/', '\\']) {
                return Err(lock_err(
                    at("wheel"),
                    format!("`{}` is not a wheel file name", p.wheel),
                ));
            }
            if p.sha256.len() != 64
                || !p
                    .sha256
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
            {
                return Err(lock_err(
                    at("sha256"),
                    format!("`{}` is not a lowercase hex sha256", p.sha256),
                ));
            }
        }
        for name in [DEFINITIONS_PACKAGE, ERROR_CODES_PACKAGE] {
            if !lock.packages.iter().any(|p| p.name == name) {
                return Err(lock_err(
                    "$.packages".to_owned(),
                    format!("`{name}` is not pinned"),
                ));
            }
        }
        Ok(lock)
    }

    /// The pinned package `name`, if any.
    pub fn package(&self, name: &str) -> Option<&LockedPackage> {
        self.packages.iter().find(|p| p.name == name)
    }

    /// The lock as stable JSON text (2-space indent, trailing newline).
    pub fn to_json(&self) -> String {
        crate::spec::to_json(self)
    }
}

/// Whether `s` looks like a release version (`3.1.193.1`): dot-separated digits.
fn is_version(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// The Python SDK version that matches a CLI version: `3.1.193.1` → `3.1.193`.
///
/// Tencent releases both from one generator run: CLI `X.Y.Z.N` requires SDK
/// `>=X.Y.Z` (checked by [`Fetcher::download_matching_sdk`] against the wheel's
/// metadata).
pub fn sdk_version_for(cli_version: &str) -> Result<String, UpstreamError> {
    let parts: Vec<&str> = cli_version.split('.').collect();
    if parts.len() != 4 || !is_version(cli_version) {
        return Err(UpstreamError::VersionMapping {
            cli_version: cli_version.to_owned(),
            message: format!(
                "{DEFINITIONS_PACKAGE} versions have four parts (3.1.193.1), and the \
                 {ERROR_CODES_PACKAGE} release that matches is the first three (3.1.193)"
            ),
        });
    }
    Ok(parts[..3].join("."))
}

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
    fn io(path: &Path, action: &'static str, source: std::io::Error) -> UpstreamError {
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

/// The directory Cargo builds into for the repository at `repo_root`:
/// `CARGO_TARGET_DIR` (relative paths are taken from the repository root), else
/// `<repo_root>/target`.
pub fn target_dir(repo_root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => repo_root.join(PathBuf::from(d)),
        _ => repo_root.join("target"),
    }
}

/// The cache of unpacked packages for the repository at `repo_root`.
pub fn cache_dir(repo_root: &Path) -> PathBuf {
    target_dir(repo_root).join("tencentcloud-api")
}

/// An unpacked, verified package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unpacked {
    /// What it is.
    pub package: LockedPackage,
    /// Where its files are.
    pub dir: PathBuf,
}

/// Both packages, fetched and verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    /// [`DEFINITIONS_PACKAGE`].
    pub definitions: Unpacked,
    /// [`ERROR_CODES_PACKAGE`].
    pub error_codes: Unpacked,
}

/// The files of one service version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceFiles {
    /// The service, e.g. `trtc`.
    pub service: String,
    /// The API version, e.g. `2019-07-22`.
    pub version: String,
    /// `api.json`.
    pub api: PathBuf,
    /// `examples.json`, when the package has one.
    pub examples: Option<PathBuf>,
    /// `errorcodes.py`.
    pub errorcodes: PathBuf,
}

/// `2019-07-22` → `v20190722`, or `None` when `version` is not `YYYY-MM-DD`.
pub fn version_dir(version: &str) -> Option<String> {
    let b = version.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    ok.then(|| format!("v{}", version.replace('-', "")))
}

/// `v20190722` → `2019-07-22`, or `None` when `dir` is not such a name.
pub fn version_from_dir(dir: &str) -> Option<String> {
    let d = dir.strip_prefix('v')?;
    (d.len() == 8 && d.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
}

/// Sorted names of the subdirectories of `dir` (empty when it cannot be read).
fn subdirs(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    out.sort();
    out
}

impl Fetched {
    /// The directory of `service` (e.g. `trtc`) in the definitions package.
    fn service_dir(&self, service: &str) -> PathBuf {
        self.definitions
            .dir
            .join("tccli")
            .join("services")
            .join(service)
    }

    /// Every service version the definitions have, as `(service, YYYY-MM-DD)`.
    pub fn services(&self) -> Vec<(String, String)> {
        let root = self.definitions.dir.join("tccli").join("services");
        let mut out = Vec::new();
        for s in subdirs(&root) {
            for v in subdirs(&root.join(&s)) {
                if let Some(version) = version_from_dir(&v) {
                    if root.join(&s).join(&v).join("api.json").is_file() {
                        out.push((s.clone(), version));
                    }
                }
            }
        }
        out
    }

    /// The files of `service` at API `version` (`2019-07-22`).
    pub fn service(&self, service: &str, version: &str) -> Result<ServiceFiles, UpstreamError> {
        let d = &self.definitions.package;
        let e = &self.error_codes.package;
        let missing = |p: &LockedPackage, file: String, hint: String| UpstreamError::MissingFile {
            package: p.name.clone(),
            version: p.version.clone(),
            file,
            hint,
        };
        let Some(vdir) = version_dir(version) else {
            return Err(missing(
                d,
                format!("tccli/services/{service}/{version}/api.json"),
                format!("`{version}` is not an API version (YYYY-MM-DD, e.g. 2019-07-22)"),
            ));
        };
        let api_rel = format!("tccli/services/{service}/{vdir}/api.json");
        let api = self.definitions.dir.join(&api_rel);
        if !api.is_file() {
            let versions: Vec<String> = subdirs(&self.service_dir(service))
                .iter()
                .filter_map(|v| version_from_dir(v))
                .collect();
            let hint = if versions.is_empty() {
                let mut services: Vec<String> =
                    self.services().into_iter().map(|(s, _)| s).collect();
                services.dedup();
                let close: Vec<&String> = services
                    .iter()
                    .filter(|s| s.contains(service) || service.contains(s.as_str()))
                    .collect();
                format!(
                    "no service `{service}` ({} services; {})",
                    services.len(),
                    if close.is_empty() {
                        "run `cargo xtask fetch --list` to see them".to_owned()
                    } else {
                        format!(
                            "did you mean {}?",
                            close
                                .iter()
                                .map(|s| format!("`{s}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                )
            } else {
                format!("`{service}` has versions {}", versions.join(", "))
            };
            return Err(missing(d, api_rel, hint));
        }
        let examples = self
            .definitions
            .dir
            .join(format!("tccli/services/{service}/{vdir}/examples.json"));
        let err_rel = format!("tencentcloud/{service}/{vdir}/errorcodes.py");
        let errorcodes = self.error_codes.dir.join(&err_rel);
        if !errorcodes.is_file() {
            return Err(missing(
                e,
                err_rel,
                format!(
                    "{} {} defines {service} {version}, but the SDK has no error codes for it",
                    d.name, d.version
                ),
            ));
        }
        Ok(ServiceFiles {
            service: service.to_owned(),
            version: version.to_owned(),
            api,
            examples: examples.is_file().then_some(examples),
            errorcodes,
        })
    }
}

/// Fetches, verifies and unpacks wheels with pip.
#[derive(Clone, Debug)]
pub struct Fetcher {
    python: OsString,
    cache: PathBuf,
    env: Vec<(OsString, OsString)>,
}

/// The python script that unpacks the files of a wheel whose names match a
/// regular expression; prints how many it unpacked besides the metadata. `zipfile.extract` drops
/// absolute and `..` components, so a hostile wheel cannot write elsewhere.
const UNPACK_PY: &str = r#"
import re, sys, zipfile
wheel, dest, pattern = sys.argv[1:4]
rx = re.compile(pattern)
n = 0
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if rx.fullmatch(name):
            z.extract(name, dest)
            n += ".dist-info/" not in name
print(n)
"#;

/// What of a package's wheel is kept: its metadata and the definition files.
fn unpack_pattern(package: &str) -> &'static str {
    if package == DEFINITIONS_PACKAGE {
        r"[^/]+\.dist-info/METADATA|tccli/services/[^/]+/v[0-9]{8}/(api|examples)\.json"
    } else {
        r"[^/]+\.dist-info/METADATA|tencentcloud/[^/]+/v[0-9]{8}/errorcodes\.py"
    }
}

/// The marker written next to unpacked files.
#[derive(Serialize, Deserialize)]
struct Marker {
    wheel: String,
    sha256: String,
}

/// The last `n` non-empty lines of `text`.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn classify_pip(output: &str) -> PipFailure {
    let o = output.to_ascii_lowercase();
    if o.contains("no module named pip") {
        PipFailure::NoPip
    } else if [
        "newconnectionerror",
        "connection refused",
        "max retries exceeded",
        "proxyerror",
        "sslerror",
        "name or service not known",
        "temporary failure in name resolution",
        "network is unreachable",
        "timed out",
        "connecttimeouterror",
    ]
    .iter()
    .any(|s| o.contains(s))
    {
        PipFailure::Unreachable
    } else if o.contains("(from versions: none)") {
        PipFailure::NoVersions
    } else if o.contains("no matching distribution found")
        || o.contains("could not find a version that satisfies")
        || o.contains("no matching distribution")
    {
        PipFailure::NotFound
    } else {
        PipFailure::Other
    }
}

/// Lowercase hex sha256 of a file.
pub fn sha256_file(path: &Path) -> Result<String, UpstreamError> {
    let mut file = std::fs::File::open(path).map_err(|e| UpstreamError::io(path, "open", e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| UpstreamError::io(path, "read", e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// A fresh scratch directory under `parent`, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(parent: &Path, what: &str) -> Result<Scratch, UpstreamError> {
        std::fs::create_dir_all(parent).map_err(|e| UpstreamError::io(parent, "create", e))?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        for attempt in 0..100u32 {
            let p = parent.join(format!(
                ".tmp-{what}-{}-{nanos}-{attempt}",
                std::process::id()
            ));
            match std::fs::create_dir(&p) {
                Ok(()) => return Ok(Scratch(p)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(UpstreamError::io(&p, "create", e)),
            }
        }
        Err(UpstreamError::io(
            parent,
            "create a scratch directory in",
            std::io::Error::other("too many attempts"),
        ))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Fetcher {
    /// A fetcher caching under `cache`, running the python named by
    /// [`PYTHON_ENV`] (default `python3`).
    pub fn new(cache: impl Into<PathBuf>) -> Fetcher {
        Fetcher {
            python: std::env::var_os(PYTHON_ENV)
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "python3".into()),
            cache: cache.into(),
            env: Vec::new(),
        }
    }

    /// A fetcher for the repository at `repo_root` (cache under its target directory).
    pub fn for_repo(repo_root: &Path) -> Fetcher {
        Fetcher::new(cache_dir(repo_root))
    }

    /// Runs this python executable instead.
    pub fn python(mut self, python: impl Into<OsString>) -> Fetcher {
        self.python = python.into();
        self
    }

    /// Sets an environment variable for pip (e.g. `PIP_INDEX_URL`).
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Fetcher {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The cache directory.
    pub fn cache(&self) -> &Path {
        &self.cache
    }

    /// Where package `name` at `version` is unpacked.
    pub fn package_dir(&self, name: &str, version: &str) -> PathBuf {
        self.cache.join(format!("{name}-{version}"))
    }

    fn python_display(&self) -> String {
        self.python.to_string_lossy().into_owned()
    }

    /// Runs python with `args`; `Err` only when it cannot be started.
    fn run_python(
        &self,
        args: &[&std::ffi::OsStr],
        what: &str,
    ) -> Result<std::process::Output, UpstreamError> {
        let mut cmd = Command::new(&self.python);
        cmd.args(args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.output().map_err(|source| UpstreamError::PythonMissing {
            python: self.python_display(),
            package: what.to_owned(),
            source,
        })
    }

    /// The verified cache of `pkg`, if present.
    fn cached(&self, pkg: &LockedPackage) -> Option<Unpacked> {
        let dir = self.package_dir(&pkg.name, &pkg.version);
        let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
        let marker: Marker = serde_json::from_str(&text).ok()?;
        (marker.sha256 == pkg.sha256 && marker.wheel == pkg.wheel).then(|| Unpacked {
            package: pkg.clone(),
            dir,
        })
    }

    /// Fetches both packages of `lock` (reusing verified caches).
    pub fn fetch_lock(&self, lock: &Lock) -> Result<Fetched, UpstreamError> {
        let get = |name: &str| {
            lock.package(name).ok_or_else(|| UpstreamError::Lock {
                file: PathBuf::from(LOCK_FILE),
                path: "$.packages".to_owned(),
                message: format!("`{name}` is not pinned"),
            })
        };
        Ok(Fetched {
            definitions: self.fetch(get(DEFINITIONS_PACKAGE)?)?,
            error_codes: self.fetch(get(ERROR_CODES_PACKAGE)?)?,
        })
    }

    /// Fetches one pinned package: the verified cache when present, else
    /// downloads, checks the sha256 and unpacks.
    pub fn fetch(&self, pkg: &LockedPackage) -> Result<Unpacked, UpstreamError> {
        if let Some(u) = self.cached(pkg) {
            return Ok(u);
        }
        let scratch = Scratch::new(&self.cache, &pkg.name)?;
        let (wheel, sha) = self.download_wheel(&pkg.name, &pkg.version, &scratch.0)?;
        let name = wheel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name != pkg.wheel {
            return Err(UpstreamError::WheelMismatch {
                package: pkg.name.clone(),
                version: pkg.version.clone(),
                expected: pkg.wheel.clone(),
                found: vec![name],
            });
        }
        if sha != pkg.sha256 {
            return Err(UpstreamError::ChecksumMismatch {
                pinned: Box::new(pkg.clone()),
                actual: sha,
                cache: self.package_dir(&pkg.name, &pkg.version),
            });
        }
        self.unpack(pkg, &wheel, &scratch)
    }

    /// `name` at `version`, not pinned yet (for `cargo xtask update`): the
    /// cache when a download of it was verified and unpacked before, else
    /// downloads and unpacks it. The result carries the wheel's sha256, to pin.
    pub fn download(&self, name: &str, version: &str) -> Result<Unpacked, UpstreamError> {
        let dir = self.package_dir(name, version);
        if let Some(marker) = std::fs::read_to_string(dir.join(MARKER))
            .ok()
            .and_then(|t| serde_json::from_str::<Marker>(&t).ok())
        {
            return Ok(Unpacked {
                package: LockedPackage {
                    name: name.to_owned(),
                    version: version.to_owned(),
                    wheel: marker.wheel,
                    sha256: marker.sha256,
                },
                dir,
            });
        }
        let scratch = Scratch::new(&self.cache, name)?;
        let (wheel, sha256) = self.download_wheel(name, version, &scratch.0)?;
        let pkg = LockedPackage {
            name: name.to_owned(),
            version: version.to_owned(),
            wheel: wheel
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256,
        };
        if let Some(u) = self.cached(&pkg) {
            return Ok(u);
        }
        self.unpack(&pkg, &wheel, &scratch)
    }

    /// Downloads CLI `cli_version` and the SDK release that matches it
    /// ([`sdk_version_for`]), checking the CLI's declared requirement agrees.
    pub fn download_matching(&self, cli_version: &str) -> Result<Fetched, UpstreamError> {
        let sdk_version = sdk_version_for(cli_version)?;
        let definitions = self.download(DEFINITIONS_PACKAGE, cli_version)?;
        if let Some(required) = required_sdk(&definitions.dir) {
            if required != sdk_version {
                return Err(UpstreamError::VersionMapping {
                    cli_version: cli_version.to_owned(),
                    message: format!(
                        "its metadata requires {ERROR_CODES_PACKAGE} >={required}, not {sdk_version}"
                    ),
                });
            }
        }
        let error_codes = self.download_matching_sdk(cli_version, &sdk_version)?;
        Ok(Fetched {
            definitions,
            error_codes,
        })
    }

    /// Downloads SDK `sdk_version`, the match of CLI `cli_version`; a missing
    /// release is a [`UpstreamError::VersionMapping`] error naming both.
    pub fn download_matching_sdk(
        &self,
        cli_version: &str,
        sdk_version: &str,
    ) -> Result<Unpacked, UpstreamError> {
        match self.download(ERROR_CODES_PACKAGE, sdk_version) {
            Err(UpstreamError::Pip {
                failure: PipFailure::NotFound,
                output,
                ..
            }) => Err(UpstreamError::VersionMapping {
                cli_version: cli_version.to_owned(),
                message: format!(
                    "{ERROR_CODES_PACKAGE} {sdk_version}, the release that matches it, is not \
                     published; choose another version with `cargo xtask update --to`\npip said:\n{output}"
                ),
            }),
            other => other,
        }
    }

    /// The newest published version of `package`, asked of pip (`pip index
    /// versions`, which honours the user's pip configuration).
    pub fn newest(&self, package: &str) -> Result<String, UpstreamError> {
        let args: Vec<OsString> = vec![
            "-m".into(),
            "pip".into(),
            "index".into(),
            "versions".into(),
            "--disable-pip-version-check".into(),
            package.into(),
        ];
        let argv: Vec<&std::ffi::OsStr> = args.iter().map(OsString::as_os_str).collect();
        let out = self.run_python(&argv, &format!("{package} (newest version)"))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let all = format!("{stdout}\n{stderr}");
        let parsed = stdout.lines().find_map(|l| {
            let rest = l.trim().strip_prefix(package)?.trim();
            let v = rest.strip_prefix('(')?.strip_suffix(')')?;
            is_version(v).then(|| v.to_owned())
        });
        match parsed {
            Some(v) if out.status.success() => Ok(v),
            _ => Err(UpstreamError::Pip {
                package: package.to_owned(),
                version: "(newest version)".to_owned(),
                failure: classify_pip(&all),
                output: last_lines(&all, 12),
            }),
        }
    }

    /// Runs `pip download` into `dir`; returns the wheel and its sha256.
    fn download_wheel(
        &self,
        name: &str,
        version: &str,
        dir: &Path,
    ) -> Result<(PathBuf, String), UpstreamError> {
        let args: Vec<OsString> = vec![
            "-m".into(),
            "pip".into(),
            "download".into(),
            "--no-deps".into(),
            "--only-binary=:all:".into(),
            "--disable-pip-version-check".into(),
            "--quiet".into(),
            format!("{name}=={version}").into(),
            "-d".into(),
            dir.as_os_str().to_owned(),
        ];
        let argv: Vec<&std::ffi::OsStr> = args.iter().map(OsString::as_os_str).collect();
        let out = self.run_python(&argv, &format!("{name} {version}"))?;
        if !out.status.success() {
            let all = format!(
                "{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            return Err(UpstreamError::Pip {
                package: name.to_owned(),
                version: version.to_owned(),
                failure: classify_pip(&all),
                output: last_lines(&all, 12),
            });
        }
        let wheels: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| UpstreamError::io(dir, "read", e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "whl"))
            .collect();
        let [wheel] = wheels.as_slice() else {
            return Err(UpstreamError::WheelMismatch {
                package: name.to_owned(),
                version: version.to_owned(),
                expected: "one wheel".to_owned(),
                found: wheels
                    .iter()
                    .filter_map(|w| w.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .collect(),
            });
        };
        let sha = sha256_file(wheel)?;
        Ok((wheel.clone(), sha))
    }

    /// Unpacks `wheel` (already verified as `pkg`) into the cache.
    fn unpack(
        &self,
        pkg: &LockedPackage,
        wheel: &Path,
        scratch: &Scratch,
    ) -> Result<Unpacked, UpstreamError> {
        let staged = scratch.0.join("unpacked");
        let args: Vec<&std::ffi::OsStr> = vec![
            "-c".as_ref(),
            UNPACK_PY.as_ref(),
            wheel.as_os_str(),
            staged.as_os_str(),
            unpack_pattern(&pkg.name).as_ref(),
        ];
        let out = self.run_python(&args, &pkg.to_string())?;
        let count: usize = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0);
        if !out.status.success() {
            return Err(UpstreamError::Unpack {
                package: pkg.name.clone(),
                version: pkg.version.clone(),
                wheel: wheel.to_owned(),
                output: last_lines(&String::from_utf8_lossy(&out.stderr), 8),
            });
        }
        if count == 0 {
            return Err(UpstreamError::MissingFile {
                package: pkg.name.clone(),
                version: pkg.version.clone(),
                file: if pkg.name == DEFINITIONS_PACKAGE {
                    "tccli/services/<service>/v<YYYYMMDD>/api.json"
                } else {
                    "tencentcloud/<service>/v<YYYYMMDD>/errorcodes.py"
                }
                .to_owned(),
                hint: "the wheel has none of the definition files this project reads; pin \
                       another version with `cargo xtask update --to`"
                    .to_owned(),
            });
        }
        let marker = Marker {
            wheel: pkg.wheel.clone(),
            sha256: pkg.sha256.clone(),
        };
        let marker_path = staged.join(MARKER);
        std::fs::write(&marker_path, crate::spec::to_json(&marker))
            .map_err(|e| UpstreamError::io(&marker_path, "write", e))?;
        let dest = self.package_dir(&pkg.name, &pkg.version);
        // Replace a stale or unverified directory; another process may have
        // put a verified one in place meanwhile, which is as good as ours.
        if dest.exists() && self.cached(pkg).is_none() {
            std::fs::remove_dir_all(&dest).map_err(|e| UpstreamError::io(&dest, "remove", e))?;
        }
        if let Err(e) = std::fs::rename(&staged, &dest) {
            if self.cached(pkg).is_none() {
                return Err(UpstreamError::io(&dest, "create", e));
            }
        }
        Ok(Unpacked {
            package: pkg.clone(),
            dir: dest,
        })
    }
}

/// The SDK version a CLI package's metadata requires (`>=X.Y.Z`), if it says.
fn required_sdk(dir: &Path) -> Option<String> {
    let info = subdirs(dir)
        .into_iter()
        .find(|d| d.ends_with(".dist-info"))?;
    let text = std::fs::read_to_string(dir.join(info).join("METADATA")).ok()?;
    text.lines().find_map(|l| {
        let req = l.strip_prefix("Requires-Dist:")?.trim();
        let rest = req.strip_prefix(ERROR_CODES_PACKAGE)?.trim();
        let rest = rest.trim_start_matches('(').trim_end_matches(')').trim();
        let v = rest
            .strip_prefix(">=")?
            .split([',', ' ', ')', ';'])
            .next()?;
        is_version(v).then(|| v.to_owned())
    })
}

/// Reads the lock at `repo_root` and fetches what it pins (reusing verified
/// caches under the target directory): what tests and tasks call to get
/// Tencent's definitions.
pub fn pinned(repo_root: &Path) -> Result<Fetched, UpstreamError> {
    let lock = Lock::read(&repo_root.join(LOCK_FILE))?;
    Fetcher::for_repo(repo_root).fetch_lock(&lock)
}

/// Error codes parsed from `errorcodes.py`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorCodes {
    /// Code → description, in file order; the description is empty when
    /// Tencent gives none (an empty or missing comment).
    pub codes: UniqueMap<String>,
    /// Oddities that did not stop parsing (a code defined twice).
    pub warnings: Vec<String>,
}

/// Whether `s` is an API error code: dotted segments of letters, digits and `_`.
fn is_code(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.split('.').all(|seg| {
            !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Parses `errorcodes.py` (read from `file`, for error messages): each
/// `NAME = 'Code'` line, described by the comment lines right above it.
///
/// Comments separated from an assignment by a blank line (the licence header)
/// describe nothing. Any other line is an error naming the file and line.
pub fn parse_error_codes(file: &Path, text: &str) -> Result<ErrorCodes, SpecError> {
    let err = |line: usize, message: String| SpecError {
        file: file.to_owned(),
        path: format!("line {line}"),
        message,
    };
    let mut out = ErrorCodes::default();
    let mut comment: Vec<String> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r').trim();
        let n = i + 1;
        if line.is_empty() {
            comment.clear();
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            if !c.is_empty() {
                comment.push(c.to_owned());
            }
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            return Err(err(
                n,
                format!("expected `NAME = 'Code'` or a comment, found `{line}`"),
            ));
        };
        let name = name.trim();
        let value = value.trim();
        if name.is_empty()
            || !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(err(
                n,
                format!("`{name}` is not a Python name (expected `NAME = 'Code'`)"),
            ));
        }
        let quoted = |q: char| value.strip_prefix(q).and_then(|v| v.strip_suffix(q));
        let Some(code) = quoted('\'').or_else(|| quoted('"')) else {
            return Err(err(
                n,
                format!("the value of `{name}` is not a quoted string: `{value}`"),
            ));
        };
        if !is_code(code) {
            return Err(err(
                n,
                format!("`{code}` is not an error code (dotted segments of letters, digits, `_`)"),
            ));
        }
        let description = comment.join(" ");
        comment.clear();
        match out.codes.get_mut(code) {
            None => out.codes.insert(code, description),
            Some(existing) => {
                if existing.is_empty() {
                    *existing = description;
                } else if !description.is_empty() && *existing != description {
                    out.warnings.push(format!(
                        "{}: line {n}: `{code}` is defined again with another description \
                         ({description:?}); keeping the first ({existing:?})",
                        file.display()
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Reads and parses an `errorcodes.py` file.
pub fn read_error_codes(file: &Path) -> Result<ErrorCodes, UpstreamError> {
    let text = std::fs::read_to_string(file).map_err(|e| UpstreamError::io(file, "read", e))?;
    parse_error_codes(file, &text).map_err(UpstreamError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(name: &str) -> LockedPackage {
        LockedPackage {
            name: name.to_owned(),
            version: "3.1.193.1".to_owned(),
            wheel: "x-3.1.193.1-py2.py3-none-any.whl".to_owned(),
            sha256: "0".repeat(64),
        }
    }

    #[test]
    fn lock_round_trips_and_is_checked_with_json_paths() {
        let lock = Lock::new(pkg(DEFINITIONS_PACKAGE), pkg(ERROR_CODES_PACKAGE));
        let text = lock.to_json();
        assert_eq!(Lock::parse(Path::new("l"), &text).unwrap(), lock);
        assert!(text.ends_with("}\n"));

        let bad = text.replacen(&"0".repeat(64), "XYZ", 1);
        let e = Lock::parse(Path::new("l.lock"), &bad).unwrap_err();
        assert_eq!(
            e.to_string(),
            "l.lock: $.packages[0].sha256: `XYZ` is not a lowercase hex sha256"
        );
        let e = Lock::parse(Path::new("l"), &text.replace("\"wheel\"", "\"whl\"")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("l: $.packages[0].whl: unknown field `whl`"),
            "{e}"
        );
        let one = Lock {
            format: LOCK_FORMAT.to_owned(),
            packages: vec![pkg(DEFINITIONS_PACKAGE)],
        };
        let e = Lock::parse(Path::new("l"), &one.to_json()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "l: $.packages: `tencentcloud-sdk-python-intl-en` is not pinned"
        );
        let e = Lock::parse(Path::new("l"), &text.replace("lock/1", "lock/2")).unwrap_err();
        assert!(e.to_string().contains("$.format"), "{e}");
        let e = Lock::read(Path::new("/nonexistent/tencentcloud-api.lock")).unwrap_err();
        assert!(e.to_string().contains("the lock file is missing"), "{e}");
    }

    #[test]
    fn versions_map_between_packages_and_directories() {
        assert_eq!(sdk_version_for("3.1.193.1").unwrap(), "3.1.193");
        assert_eq!(sdk_version_for("3.0.286.2").unwrap(), "3.0.286");
        let e = sdk_version_for("3.1.193").unwrap_err().to_string();
        assert!(e.starts_with("tccli-intl-en 3.1.193: no matching"), "{e}");
        assert_eq!(version_dir("2019-07-22").as_deref(), Some("v20190722"));
        assert_eq!(version_dir("2019-7-22"), None);
        assert_eq!(version_from_dir("v20190722").as_deref(), Some("2019-07-22"));
        assert_eq!(version_from_dir("v2019072"), None);
    }

    #[test]
    fn error_codes_keep_order_and_handle_missing_descriptions() {
        let text = "# -*- coding: utf8 -*-\n# Copyright\n\n\n\
            # CAM signature/authentication error.\nAUTHFAILURE = 'AuthFailure'\n\n\
            #\nFAILEDOPERATION_X = 'FailedOperation.X'\n\n\
            A_B = \"A.B\"\n\n\
            # Two lines\n# of comment.\nC = 'C'\r\n\n\
            # Again.\nC2 = 'C'\n";
        let codes = parse_error_codes(Path::new("e.py"), text).unwrap();
        let got: Vec<(&str, &str)> = codes.codes.iter().map(|(k, v)| (k, v.as_str())).collect();
        assert_eq!(
            got,
            [
                ("AuthFailure", "CAM signature/authentication error."),
                ("FailedOperation.X", ""),
                ("A.B", ""),
                ("C", "Two lines of comment."),
            ]
        );
        assert_eq!(codes.warnings.len(), 1, "{:?}", codes.warnings);
        assert!(codes.warnings[0].contains("line 18: `C` is defined again"));
    }

    #[test]
    fn odd_error_code_files_are_errors_with_lines() {
        for (text, want) in [
            (
                "import os\n",
                "e.py: line 1: expected `NAME = 'Code'` or a comment, found `import os`",
            ),
            (
                "X = Y\n",
                "e.py: line 1: the value of `X` is not a quoted string: `Y`",
            ),
            (
                "# c\nX = 'Bad Code'\n",
                "e.py: line 2: `Bad Code` is not an error code",
            ),
            ("1X = 'A'\n", "e.py: line 1: `1X` is not a Python name"),
            (
                "X = 'A\n",
                "e.py: line 1: the value of `X` is not a quoted string",
            ),
            ("X = ''\n", "e.py: line 1: `` is not an error code"),
        ] {
            let e = parse_error_codes(Path::new("e.py"), text).unwrap_err();
            assert!(e.to_string().starts_with(want), "{text:?}: {e}");
        }
        assert!(parse_error_codes(Path::new("e.py"), "")
            .unwrap()
            .codes
            .is_empty());
    }

    #[test]
    fn pip_failures_are_classified() {
        assert_eq!(
            classify_pip("WARNING: Retrying ... NewConnectionError('...Connection refused')\nERROR: Could not find a version that satisfies the requirement x==1 (from versions: none)"),
            PipFailure::Unreachable
        );
        assert_eq!(
            classify_pip("ERROR: Could not find a version that satisfies the requirement x==9 (from versions: 1, 2)\nERROR: No matching distribution found for x==9"),
            PipFailure::NotFound
        );
        assert_eq!(
            classify_pip("/usr/bin/python3: No module named pip"),
            PipFailure::NoPip
        );
        assert_eq!(
            classify_pip("ERROR: Could not find a version that satisfies the requirement x==1 (from versions: none)"),
            PipFailure::NoVersions
        );
        assert_eq!(classify_pip("something else"), PipFailure::Other);
        assert_eq!(last_lines("a\n\nb\nc\n", 2), "b\nc");
    }
}
