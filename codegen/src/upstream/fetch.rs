//! Fetching, verifying and unpacking the pinned wheels with pip, and
//! finding a service version's files in them.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::*;
use crate::spec::Edition;

/// The environment variable naming the python executable (default `python3`).
pub const PYTHON_ENV: &str = "TENCENTCLOUD_PYTHON";
/// The file in an unpacked package directory that records the verified wheel.
const MARKER: &str = ".verified.json";

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

/// Both packages of one edition, fetched and verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    /// [`DEFINITIONS_PACKAGE`] or [`MAINLAND_DEFINITIONS_PACKAGE`].
    pub definitions: Unpacked,
    /// [`ERROR_CODES_PACKAGE`] or [`MAINLAND_ERROR_CODES_PACKAGE`].
    pub error_codes: Unpacked,
}

/// Both editions, fetched and verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinned {
    /// The international edition.
    pub international: Fetched,
    /// The mainland-China edition.
    pub mainland: Fetched,
}

impl Pinned {
    /// The packages of `edition`.
    pub fn edition(&self, edition: Edition) -> &Fetched {
        match edition {
            Edition::International => &self.international,
            Edition::Mainland => &self.mainland,
        }
    }

    /// Both editions, international first.
    pub fn editions(&self) -> [(Edition, &Fetched); 2] {
        [
            (Edition::International, &self.international),
            (Edition::Mainland, &self.mainland),
        ]
    }

    /// The lock that pins these packages.
    pub fn lock(&self) -> Lock {
        Lock::new(vec![
            self.international.definitions.package.clone(),
            self.international.error_codes.package.clone(),
            self.mainland.definitions.package.clone(),
            self.mainland.error_codes.package.clone(),
        ])
    }

    /// The files of `service` at `version` in each edition that publishes it
    /// (international first); an error when neither does, or when an edition
    /// defines it but lacks a file it needs (its `errorcodes.py`).
    pub fn service(
        &self,
        service: &str,
        version: &str,
    ) -> Result<Vec<(Edition, ServiceFiles)>, UpstreamError> {
        let mut out = Vec::new();
        let mut first_err = None;
        for (edition, f) in self.editions() {
            match f.service(service, version) {
                Ok(files) => out.push((edition, files)),
                // The edition does not define the service version.
                Err(UpstreamError::MissingFile {
                    package,
                    version: v,
                    file,
                    hint,
                }) if file.ends_with("/api.json") => {
                    first_err.get_or_insert(UpstreamError::MissingFile {
                        package,
                        version: v,
                        file,
                        hint,
                    });
                }
                Err(e) => return Err(e),
            }
        }
        match (out.is_empty(), first_err) {
            (true, Some(e)) => Err(e),
            _ => Ok(out),
        }
    }
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
    /// The edition these packages belong to.
    pub fn edition(&self) -> Edition {
        package_edition(&self.definitions.package.name)
            .map(|(e, _)| e)
            .unwrap_or(Edition::International)
    }

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
    if is_definitions(package) {
        r"[^/]+\.dist-info/METADATA|tccli/services/[^/]+/v[0-9]{8}/(api|examples)\.json"
    } else {
        r"[^/]+\.dist-info/METADATA|tencentcloud/[^/]+/v[0-9]{8}/errorcodes\.py"
    }
}

/// Whether `package` is a definitions package (of either edition).
fn is_definitions(package: &str) -> bool {
    package_edition(package).is_some_and(|(_, d)| d)
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

    /// `name` at `version`, installed once into the cache (see
    /// [`crate::install`]: under a file lock, unpacked into a staging
    /// directory renamed into place): the verified copy when there is one,
    /// else downloaded, checked against `expect` when given, and unpacked.
    fn install(
        &self,
        name: &str,
        version: &str,
        expect: Option<&LockedPackage>,
    ) -> Result<Unpacked, UpstreamError> {
        let dest = self.package_dir(name, version);
        crate::install::once(
            &dest,
            &format!("{name}=={version}"),
            crate::install::Layout::Staged,
            |staging| {
                let wheels = staging.join(".wheel");
                let (wheel, sha256) = self.download_wheel(name, version, &wheels)?;
                let file = wheel
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if let Some(pkg) = expect {
                    if file != pkg.wheel {
                        return Err(UpstreamError::WheelMismatch {
                            package: pkg.name.clone(),
                            version: pkg.version.clone(),
                            expected: pkg.wheel.clone(),
                            found: vec![file],
                        });
                    }
                    if sha256 != pkg.sha256 {
                        return Err(UpstreamError::ChecksumMismatch {
                            pinned: Box::new(pkg.clone()),
                            actual: sha256,
                            cache: dest.clone(),
                        });
                    }
                }
                let pkg = LockedPackage {
                    name: name.to_owned(),
                    version: version.to_owned(),
                    wheel: file,
                    sha256,
                };
                self.unpack(&pkg, &wheel, staging)?;
                std::fs::remove_dir_all(&wheels)
                    .map_err(|e| UpstreamError::io(&wheels, "remove", e))
            },
        )
        .map_err(|e| match e {
            crate::install::InstallError::Failed(e) => e,
            crate::install::InstallError::Io {
                path,
                action,
                source,
            } => UpstreamError::io(&path, action, source),
        })?;
        let path = dest.join(MARKER);
        let text =
            std::fs::read_to_string(&path).map_err(|e| UpstreamError::io(&path, "read", e))?;
        let marker: Marker = serde_json::from_str(&text)
            .map_err(|e| UpstreamError::io(&path, "read", std::io::Error::other(e.to_string())))?;
        Ok(Unpacked {
            package: LockedPackage {
                name: name.to_owned(),
                version: version.to_owned(),
                wheel: marker.wheel,
                sha256: marker.sha256,
            },
            dir: dest,
        })
    }

    /// Fetches every package of `lock`, both editions (reusing verified caches).
    pub fn fetch_lock(&self, lock: &Lock) -> Result<Pinned, UpstreamError> {
        Ok(Pinned {
            international: self.fetch_edition(lock, Edition::International)?,
            mainland: self.fetch_edition(lock, Edition::Mainland)?,
        })
    }

    /// Fetches the two packages of `edition` pinned in `lock`.
    pub fn fetch_edition(&self, lock: &Lock, edition: Edition) -> Result<Fetched, UpstreamError> {
        let get = |name: &str| {
            lock.package(name).ok_or_else(|| UpstreamError::Lock {
                file: PathBuf::from(LOCK_FILE),
                path: "$.packages".to_owned(),
                message: format!("`{name}` is not pinned"),
            })
        };
        Ok(Fetched {
            definitions: self.fetch(get(definitions_package(edition))?)?,
            error_codes: self.fetch(get(error_codes_package(edition))?)?,
        })
    }

    /// Fetches one pinned package: the verified cache when present, else
    /// downloads, checks the sha256 and unpacks.
    pub fn fetch(&self, pkg: &LockedPackage) -> Result<Unpacked, UpstreamError> {
        let got = self.install(&pkg.name, &pkg.version, Some(pkg))?;
        // A copy verified against another pin of the same version.
        if got.package.sha256 != pkg.sha256 || got.package.wheel != pkg.wheel {
            return Err(UpstreamError::ChecksumMismatch {
                pinned: Box::new(pkg.clone()),
                actual: got.package.sha256,
                cache: got.dir,
            });
        }
        Ok(got)
    }

    /// `name` at `version`, not pinned yet (for `cargo xtask update`): the
    /// cache when a download of it was verified and unpacked before, else
    /// downloads and unpacks it. The result carries the wheel's sha256, to pin.
    pub fn download(&self, name: &str, version: &str) -> Result<Unpacked, UpstreamError> {
        self.install(name, version, None)
    }

    /// Downloads CLI `cli_version` of `edition` and the SDK release that
    /// matches it ([`sdk_version_for`]), checking the CLI's declared
    /// requirement agrees.
    pub fn download_matching(
        &self,
        edition: Edition,
        cli_version: &str,
    ) -> Result<Fetched, UpstreamError> {
        let sdk_version = sdk_version_for(cli_version)?;
        let sdk = error_codes_package(edition);
        let definitions = self.download(definitions_package(edition), cli_version)?;
        if let Some(required) = required_sdk(&definitions.dir, sdk) {
            if required != sdk_version {
                return Err(UpstreamError::VersionMapping {
                    cli_version: cli_version.to_owned(),
                    message: format!("its metadata requires {sdk} >={required}, not {sdk_version}"),
                });
            }
        }
        let error_codes = self.download_matching_sdk(edition, cli_version, &sdk_version)?;
        Ok(Fetched {
            definitions,
            error_codes,
        })
    }

    /// Downloads SDK `sdk_version`, the match of CLI `cli_version`; a missing
    /// release is a [`UpstreamError::VersionMapping`] error naming both.
    pub fn download_matching_sdk(
        &self,
        edition: Edition,
        cli_version: &str,
        sdk_version: &str,
    ) -> Result<Unpacked, UpstreamError> {
        let sdk = error_codes_package(edition);
        match self.download(sdk, sdk_version) {
            Err(UpstreamError::Pip {
                failure: PipFailure::NotFound,
                output,
                ..
            }) => Err(UpstreamError::VersionMapping {
                cli_version: cli_version.to_owned(),
                message: format!(
                    "{sdk} {sdk_version}, the release that matches it, is not \
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

    /// Unpacks `wheel` (already verified as `pkg`) into `staged`, with the
    /// marker that records the verified wheel.
    fn unpack(
        &self,
        pkg: &LockedPackage,
        wheel: &Path,
        staged: &Path,
    ) -> Result<(), UpstreamError> {
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
                file: if is_definitions(&pkg.name) {
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
            .map_err(|e| UpstreamError::io(&marker_path, "write", e))
    }
}

/// The SDK version a CLI package's metadata requires (`>=X.Y.Z`), if it says.
fn required_sdk(dir: &Path, sdk: &str) -> Option<String> {
    let info = subdirs(dir)
        .into_iter()
        .find(|d| d.ends_with(".dist-info"))?;
    let text = std::fs::read_to_string(dir.join(info).join("METADATA")).ok()?;
    text.lines().find_map(|l| {
        let req = l.strip_prefix("Requires-Dist:")?.trim();
        let rest = req.strip_prefix(sdk)?.trim();
        // `tencentcloud-sdk-python` is also the start of other names.
        if rest.starts_with(|c: char| c == '-' || c.is_ascii_alphanumeric()) {
            return None;
        }
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
pub fn pinned(repo_root: &Path) -> Result<Pinned, UpstreamError> {
    let lock = Lock::read(&repo_root.join(LOCK_FILE))?;
    Fetcher::for_repo(repo_root).fetch_lock(&lock)
}

#[cfg(test)]
mod tests {
    use super::*;

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
