//! `cargo xtask update [--to VERSION] [--dry-run]`: move the project to another
//! published version of Tencent's definitions.
//!
//! Resolves the version (the newest `tccli-intl-en`, or `--to`), fetches it and
//! the matching `tencentcloud-sdk-python-intl-en`, re-imports every action of
//! each spec plus the actions the service gained since the pinned version
//! (merging, so curated fields stay), removes the actions the service lost,
//! and reports what changed for the generated Rust API. Unless `--dry-run`:
//! writes the specs, regenerates the crates, pins the new versions in the lock
//! and prepends the report to `CHANGELOG.md`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tencentcloud_codegen::spec::{self, CommonErrors, Spec};
use tencentcloud_codegen::upstream::diff::{self, ChangeReport};
use tencentcloud_codegen::upstream::import::{self, ImportOptions};
use tencentcloud_codegen::upstream::{
    Fetched, Fetcher, Lock, DEFINITIONS_PACKAGE, ERROR_CODES_PACKAGE, LOCK_FILE,
};
use tencentcloud_codegen::{model, ManifestOptions};

use crate::codegen::{self, COMMON};

/// The changelog, at the repository root.
pub const CHANGELOG: &str = "CHANGELOG.md";

const CHANGELOG_INTRO: &str = "# Changelog\n\n\
Changes to the generated crates that come from Tencent's published API definitions, \
written by `cargo xtask update` (newest first). Each entry lists what changed on the wire \
and what it means for the Rust API: **breaking** (code may stop compiling), **additive** \
(new API only) or **patch** (documentation and behaviour only).\n";

/// What an update does to one spec.
pub struct SpecUpdate {
    /// The spec file.
    pub path: PathBuf,
    /// The spec as it is.
    pub existing: Spec,
    /// The spec after the update.
    pub updated: Spec,
    /// What changed.
    pub report: ChangeReport,
    /// Actions the service gained since the pinned version (imported).
    pub gained: Vec<String>,
    /// Actions the new definition no longer has (removed from the spec).
    pub lost: Vec<String>,
    /// Actions re-imported.
    pub reimported: usize,
}

/// A whole update, computed without writing anything.
pub struct Plan {
    /// The pinned packages.
    pub from: Fetched,
    /// The packages updated to.
    pub to: Fetched,
    /// One entry per spec.
    pub specs: Vec<SpecUpdate>,
    /// Specs left as they are, and why.
    pub skipped: Vec<String>,
}

/// The version of the generated client crate of `service` (its `Cargo.toml`),
/// or the generator's default when it has not been generated.
fn crate_version(root: &Path, service: &str) -> String {
    let names = model::CrateNames::for_service(service);
    let manifest = root
        .join("crates")
        .join(names.client_dir)
        .join("Cargo.toml");
    std::fs::read_to_string(manifest)
        .ok()
        .and_then(|text| {
            text.lines().find_map(|l| {
                let v = l.strip_prefix("version")?.trim().strip_prefix('=')?.trim();
                Some(v.trim_matches('"').to_owned())
            })
        })
        .unwrap_or_else(|| ManifestOptions::default().version)
}

fn action_names(api: &Path) -> Result<BTreeSet<String>, String> {
    let v: Value = spec::read_json(api).map_err(|e| e.to_string())?;
    v.get("actions")
        .and_then(Value::as_object)
        .map(|a| a.keys().cloned().collect())
        .ok_or_else(|| format!("{}: $.actions: missing or not an object", api.display()))
}

/// Computes the update of every spec under `spec/` from `from` to `to`.
pub fn plan(root: &Path, from: Fetched, to: Fetched) -> Result<Plan, String> {
    let common_path = root.join("spec").join(COMMON);
    let common: CommonErrors = spec::read_json(&common_path).map_err(|e| e.to_string())?;
    let mut specs = Vec::new();
    let mut skipped = Vec::new();
    for path in codegen::service_specs(&root.join("spec"))? {
        let shown = model::display_path(&path, root);
        let existing: Spec = spec::read_json(&path).map_err(|e| e.to_string())?;
        let (service, version) = (&existing.service.name, &existing.service.version);
        let new_files = match to.service(service, version) {
            Ok(f) => f,
            Err(e) => {
                skipped.push(format!("{shown}: left as it is: {e}"));
                continue;
            }
        };
        let new_actions = action_names(&new_files.api)?;
        let old_actions = match from.service(service, version) {
            Ok(f) => Some(action_names(&f.api)?),
            Err(_) => None,
        };
        let in_spec: Vec<String> = existing.actions.iter().map(|(a, _)| a.to_owned()).collect();
        let lost: Vec<String> = in_spec
            .iter()
            .filter(|a| !new_actions.contains(*a))
            .cloned()
            .collect();
        let gained: Vec<String> = match &old_actions {
            Some(old) => new_actions
                .iter()
                .filter(|a| !old.contains(*a) && !existing.actions.contains_key(a))
                .cloned()
                .collect(),
            None => Vec::new(),
        };
        let mut wanted: Vec<String> = in_spec
            .iter()
            .filter(|a| new_actions.contains(*a))
            .cloned()
            .collect();
        let reimported = wanted.len();
        wanted.extend(gained.iter().cloned());
        let (imported, _) = import::import_service(
            &new_files,
            &ImportOptions {
                actions: Some(wanted),
            },
        )
        .map_err(|e| e.to_string())?;
        let mut updated = existing.clone();
        import::merge(&mut updated, imported);
        import::remove_actions(&mut updated, &lost);
        // The updated spec must generate: refuse before anything is written.
        model::resolve(&path, &shown, &updated, &common).map_err(|e| {
            format!(
                "{shown}: the updated spec does not resolve (fix the curated fields it names, then \
                 run the update again):\n{e}"
            )
        })?;
        let mut report = diff::diff_with(&existing, &updated, &common);
        report.crate_version = Some(crate_version(root, service));
        specs.push(SpecUpdate {
            path,
            existing,
            updated,
            report,
            gained,
            lost,
            reimported,
        });
    }
    Ok(Plan {
        from,
        to,
        specs,
        skipped,
    })
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

impl Plan {
    /// Whether the lock changes.
    pub fn moves(&self) -> bool {
        self.from != self.to
    }

    /// Whether any spec changes.
    pub fn changes_specs(&self) -> bool {
        self.specs.iter().any(|s| s.existing != s.updated)
    }

    /// The report, as a changelog section (Markdown).
    pub fn section(&self, date: &str) -> String {
        let (f, t) = (&self.from, &self.to);
        let pkgs = |a: &str, b: &str, name: &str| {
            if a == b {
                format!("{name} {a}")
            } else {
                format!("{name} {a} → {b}")
            }
        };
        let mut out = format!(
            "## {date}: {}, {}\n\n",
            pkgs(
                &f.definitions.package.version,
                &t.definitions.package.version,
                DEFINITIONS_PACKAGE
            ),
            pkgs(
                &f.error_codes.package.version,
                &t.error_codes.package.version,
                ERROR_CODES_PACKAGE
            ),
        );
        for s in &self.specs {
            let svc = &s.updated.service;
            out.push_str(&format!("### {} {}\n\n", svc.name, svc.version));
            let list = |v: &[String]| {
                if v.is_empty() {
                    "none".to_owned()
                } else {
                    v.join(", ")
                }
            };
            out.push_str(&format!(
                "Re-imported {} actions; gained: {}; lost: {}.\n\n",
                s.reimported,
                list(&s.gained),
                list(&s.lost)
            ));
            out.push_str(&s.report.to_string());
            out.push('\n');
        }
        for s in &self.skipped {
            out.push_str(&format!("Not updated: {s}\n\n"));
        }
        out
    }
}

/// `text` with `section` inserted before its first entry (after the intro).
pub fn prepend_section(text: &str, section: &str) -> String {
    let text = if text.trim().is_empty() {
        CHANGELOG_INTRO.to_owned()
    } else {
        text.to_owned()
    };
    let at = text.find("\n## ").map(|i| i + 1).unwrap_or(text.len());
    let (head, tail) = text.split_at(at);
    let mut out = head.trim_end().to_owned();
    out.push_str("\n\n");
    out.push_str(section.trim_end());
    out.push('\n');
    if !tail.is_empty() {
        out.push('\n');
        out.push_str(tail);
    }
    out
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Runs the update (see the module docs).
pub fn run(root: &Path, to: Option<String>, dry_run: bool) -> Result<(), String> {
    let lock_path = root.join(LOCK_FILE);
    let lock = Lock::read(&lock_path).map_err(|e| e.to_string())?;
    let fetcher = Fetcher::for_repo(root);
    let from = fetcher.fetch_lock(&lock).map_err(|e| e.to_string())?;
    let target = match to {
        Some(v) => v,
        None => fetcher
            .newest(DEFINITIONS_PACKAGE)
            .map_err(|e| e.to_string())?,
    };
    let to = if target == from.definitions.package.version {
        from.clone()
    } else {
        fetcher
            .download_matching(&target)
            .map_err(|e| e.to_string())?
    };
    let plan = plan(root, from, to)?;
    let section = plan.section(&today());
    print!("{section}");
    if dry_run {
        println!("(dry run: no file written)");
        return Ok(());
    }
    if !plan.moves() && !plan.changes_specs() {
        println!(
            "already at {} {}: nothing to do",
            DEFINITIONS_PACKAGE, plan.to.definitions.package.version
        );
        return Ok(());
    }
    // Specs first, then the crates; a failed generation restores the specs.
    for s in &plan.specs {
        write(&s.path, &spec::to_json(&s.updated))?;
    }
    if let Err(e) = codegen::run(root, false) {
        for s in &plan.specs {
            write(&s.path, &spec::to_json(&s.existing))?;
        }
        return Err(format!(
            "generation failed, the specs are restored and nothing else was written: {e}"
        ));
    }
    let new_lock = Lock::new(
        plan.to.definitions.package.clone(),
        plan.to.error_codes.package.clone(),
    );
    write(&lock_path, &new_lock.to_json())?;
    let changelog = root.join(CHANGELOG);
    let current = std::fs::read_to_string(&changelog).unwrap_or_default();
    write(&changelog, &prepend_section(&current, &section))?;
    println!(
        "updated {LOCK_FILE}, {CHANGELOG}{}",
        plan.specs
            .iter()
            .map(|s| format!(", {}", model::display_path(&s.path, root)))
            .collect::<String>()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn sections_go_before_the_newest_entry() {
        let first = prepend_section("", "## B\n\nb\n");
        assert!(first.starts_with("# Changelog\n\n"));
        assert!(first.ends_with("(newest first). Each entry lists what changed on the wire and what it means for the Rust API: **breaking** (code may stop compiling), **additive** (new API only) or **patch** (documentation and behaviour only).\n\n## B\n\nb\n"), "{first}");
        let second = prepend_section(&first, "## C\n\nc\n");
        let b = second.find("## B").unwrap();
        let c = second.find("## C").unwrap();
        assert!(c < b, "{second}");
        assert!(second.contains("## C\n\nc\n\n## B\n\nb\n"), "{second}");
    }
}
