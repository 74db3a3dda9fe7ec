//! The lock file (`tencentcloud-api.lock`): which versions of Tencent's
//! packages are pinned, with the sha256 of each wheel.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::*;
use crate::spec::{Edition, SpecError};

/// The lock file's name, at the repository root.
pub const LOCK_FILE: &str = "tencentcloud-api.lock";
/// The `format` value of the lock file.
pub const LOCK_FORMAT: &str = "tencentcloud-api-lock/1";
/// The package with `api.json` and `examples.json` of every service
/// (international edition).
pub const DEFINITIONS_PACKAGE: &str = "tccli-intl-en";
/// The package with `errorcodes.py` of every service (international edition).
pub const ERROR_CODES_PACKAGE: &str = "tencentcloud-sdk-python-intl-en";
/// The mainland-China edition's definitions package (the CLI, Chinese).
pub const MAINLAND_DEFINITIONS_PACKAGE: &str = "tccli";
/// The mainland-China edition's Python SDK, with `errorcodes.py` of every
/// service (the one `tccli` requires; the per-product packages such as
/// `tencentcloud-sdk-python-trtc` follow their own release numbers).
pub const MAINLAND_ERROR_CODES_PACKAGE: &str = "tencentcloud-sdk-python";

/// The definitions package of `edition`.
pub fn definitions_package(edition: Edition) -> &'static str {
    match edition {
        Edition::International => DEFINITIONS_PACKAGE,
        Edition::Mainland => MAINLAND_DEFINITIONS_PACKAGE,
    }
}

/// The error-codes package of `edition`.
pub fn error_codes_package(edition: Edition) -> &'static str {
    match edition {
        Edition::International => ERROR_CODES_PACKAGE,
        Edition::Mainland => MAINLAND_ERROR_CODES_PACKAGE,
    }
}

/// The edition a package belongs to, and whether it is the definitions one.
pub fn package_edition(name: &str) -> Option<(Edition, bool)> {
    Edition::ALL.into_iter().find_map(|e| {
        if name == definitions_package(e) {
            Some((e, true))
        } else if name == error_codes_package(e) {
            Some((e, false))
        } else {
            None
        }
    })
}

/// Every package the lock pins, in lock order.
pub fn all_packages() -> [&'static str; 4] {
    [
        DEFINITIONS_PACKAGE,
        ERROR_CODES_PACKAGE,
        MAINLAND_DEFINITIONS_PACKAGE,
        MAINLAND_ERROR_CODES_PACKAGE,
    ]
}

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
    /// A lock pinning `packages` (both packages of each edition).
    pub fn new(packages: Vec<LockedPackage>) -> Lock {
        Lock {
            format: LOCK_FORMAT.to_owned(),
            packages,
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
            if package_edition(&p.name).is_none() {
                return Err(lock_err(
                    at("name"),
                    format!(
                        "unknown package `{}` (expected one of {})",
                        p.name,
                        all_packages().join(", ")
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
        for name in all_packages() {
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
pub(super) fn is_version(s: &str) -> bool {
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
        let lock = Lock::new(all_packages().into_iter().map(pkg).collect());
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
        let three = Lock::new(all_packages()[..3].iter().map(|n| pkg(n)).collect());
        let e = Lock::parse(Path::new("l"), &three.to_json()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "l: $.packages: `tencentcloud-sdk-python` is not pinned"
        );
        let e =
            Lock::parse(Path::new("l"), &text.replace("\"tccli\"", "\"tccli-cn\"")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("l: $.packages[2].name: unknown package `tccli-cn` (expected one of"),
            "{e}"
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
}
