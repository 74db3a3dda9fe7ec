//! `cargo xtask update [--to EDITION=VERSION,...] [--dry-run]`: move the
//! project to other published versions of Tencent's definitions, both editions.
//!
//! Resolves a version per edition (`--to international=V` / `mainland=V`; an
//! edition not named keeps its pin; without `--to`, the newest `tccli-intl-en`
//! and `tccli`), fetches each with its matching Python SDK, re-imports every
//! action of each spec plus the actions either edition gained since its pinned
//! version (both editions merged, then merged into the spec, so curated fields
//! stay), removes the actions neither edition has any more, and reports what
//! changed for the generated Rust API, edition by edition (the international
//! edition moves first, then the mainland one). Unless `--dry-run`: writes the
//! specs, regenerates the crates, pins the new versions in the lock and
//! prepends the report to `CHANGELOG.md`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tencentcloud_codegen::spec::{self, CommonErrors, Edition, Spec};
use tencentcloud_codegen::upstream::diff::{self, ChangeReport};
use tencentcloud_codegen::upstream::import::{self, ImportOptions};
use tencentcloud_codegen::upstream::{
    definitions_package, Fetched, Fetcher, Lock, LockedPackage, Pinned, ServiceFiles, LOCK_FILE,
};
use tencentcloud_codegen::{model, ManifestOptions};

use crate::codegen::{self, COMMON};
use crate::coverage::action_names;

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
    /// What changed, both editions together (its semver bump is the one applied).
    pub report: ChangeReport,
    /// What changed, per edition: the international edition moved first,
    /// then the mainland one (each report only what that edition's move did).
    pub by_edition: Vec<(Edition, ChangeReport)>,
    /// Actions an edition gained since the pinned version (imported), with
    /// the edition: `X (mainland)`.
    pub gained: Vec<String>,
    /// Actions neither edition's new definition has (removed from the spec).
    pub lost: Vec<String>,
    /// Actions re-imported.
    pub reimported: usize,
}

/// A whole update, computed without writing anything.
pub struct Plan {
    /// The pinned packages.
    pub from: Pinned,
    /// The packages updated to.
    pub to: Pinned,
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

/// The files of `service` `version` in one edition's packages, if published.
fn edition_files(f: &Fetched, service: &str, version: &str) -> Option<ServiceFiles> {
    f.service(service, version).ok()
}

/// `existing` re-imported from `files` (one entry per edition that publishes
/// the service version): the `wanted` actions that some edition has are
/// imported and merged (curation kept), the spec's actions no edition has
/// are removed.
fn apply(
    existing: &Spec,
    files: &[(Edition, ServiceFiles)],
    wanted: &[String],
) -> Result<Spec, String> {
    let mut available = BTreeSet::new();
    for (_, f) in files {
        available.extend(action_names(&f.api)?);
    }
    let wanted: Vec<String> = wanted
        .iter()
        .filter(|a| available.contains(*a))
        .cloned()
        .collect();
    let (imported, _) = import::import_editions(
        files,
        &ImportOptions {
            actions: Some(wanted),
        },
    )
    .map_err(|e| e.to_string())?;
    let mut updated = existing.clone();
    import::merge(&mut updated, imported);
    let lost: Vec<String> = existing
        .actions
        .iter()
        .map(|(a, _)| a.to_owned())
        .filter(|a| !available.contains(a))
        .collect();
    import::remove_actions(&mut updated, &lost);
    Ok(updated)
}

/// Computes the update of every spec under `spec/` from `from` to `to`.
pub fn plan(root: &Path, from: Pinned, to: Pinned) -> Result<Plan, String> {
    let common_path = root.join("spec").join(COMMON);
    let common: CommonErrors = spec::read_json(&common_path).map_err(|e| e.to_string())?;
    let mut specs = Vec::new();
    let mut skipped = Vec::new();
    for path in codegen::service_specs(&root.join("spec"))? {
        let shown = model::display_path(&path, root);
        let existing: Spec = spec::read_json(&path).map_err(|e| e.to_string())?;
        let (service, version) = (&existing.service.name, &existing.service.version);
        if let Err(e) = to.service(service, version) {
            skipped.push(format!("{shown}: left as it is: {e}"));
            continue;
        }
        let in_spec: Vec<String> = existing.actions.iter().map(|(a, _)| a.to_owned()).collect();
        let mut new_all = BTreeSet::new();
        let mut gained = Vec::new();
        let mut gained_names = Vec::new();
        for e in Edition::ALL {
            let Some(new_files) = edition_files(to.edition(e), service, version) else {
                continue;
            };
            let new_actions = action_names(&new_files.api)?;
            if let Some(old_files) = edition_files(from.edition(e), service, version) {
                let old_actions = action_names(&old_files.api)?;
                for a in &new_actions {
                    if !old_actions.contains(a)
                        && !existing.actions.contains_key(a)
                        && !gained_names.contains(a)
                    {
                        gained.push(format!("{a} ({e})"));
                        gained_names.push(a.clone());
                    }
                }
            }
            new_all.extend(new_actions);
        }
        let lost: Vec<String> = in_spec
            .iter()
            .filter(|a| !new_all.contains(*a))
            .cloned()
            .collect();
        let mut wanted: Vec<String> = in_spec
            .iter()
            .filter(|a| new_all.contains(*a))
            .cloned()
            .collect();
        let reimported = wanted.len();
        wanted.extend(gained_names.iter().cloned());
        // The international edition moves first, then the mainland one, so
        // each change is reported with the edition whose move made it.
        let mut stages = vec![existing.clone()];
        for moved in 1..=Edition::ALL.len() {
            let files: Vec<(Edition, ServiceFiles)> = Edition::ALL
                .iter()
                .enumerate()
                .filter_map(|(i, e)| {
                    let side = if i < moved { &to } else { &from };
                    edition_files(side.edition(*e), service, version).map(|f| (*e, f))
                })
                .collect();
            let stage = if files.is_empty() {
                existing.clone()
            } else {
                apply(&existing, &files, &wanted)?
            };
            stages.push(stage);
        }
        let updated = stages.last().cloned().unwrap_or_else(|| existing.clone());
        // The updated spec must generate: refuse before anything is written.
        model::resolve(&path, &shown, &updated, &common).map_err(|e| {
            format!(
                "{shown}: the updated spec does not resolve (fix the curated fields it names, then \
                 run the update again):\n{e}"
            )
        })?;
        let by_edition = Edition::ALL
            .iter()
            .enumerate()
            .map(|(i, e)| (*e, diff::diff_with(&stages[i], &stages[i + 1], &common)))
            .collect();
        let mut report = diff::diff_with(&existing, &updated, &common);
        report.crate_version = Some(crate_version(root, service));
        specs.push(SpecUpdate {
            path,
            existing,
            updated,
            report,
            by_edition,
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

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    tencentcloud_runtime::sign::utc_date(i64::try_from(secs).unwrap_or(i64::MAX))
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

    /// `tccli-intl-en 3.1.193.1 → 3.1.150.1, tencentcloud-sdk-python-intl-en ...`
    /// for one edition.
    fn packages(&self, edition: Edition) -> String {
        let (f, t) = (self.from.edition(edition), self.to.edition(edition));
        let pkg = |a: &LockedPackage, b: &LockedPackage| {
            if a.version == b.version {
                format!("{} {}", a.name, a.version)
            } else {
                format!("{} {} → {}", a.name, a.version, b.version)
            }
        };
        format!(
            "{}, {}",
            pkg(&f.definitions.package, &t.definitions.package),
            pkg(&f.error_codes.package, &t.error_codes.package)
        )
    }

    /// The report, as a changelog section (Markdown).
    pub fn section(&self, date: &str) -> String {
        let mut out = format!(
            "## {date}: {}; {}\n\n",
            self.packages(Edition::International),
            self.packages(Edition::Mainland)
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
            for (edition, report) in &s.by_edition {
                out.push_str(&format!(
                    "#### {} ({})\n\n",
                    edition.title(),
                    self.packages(*edition)
                ));
                out.push_str(&report.changes_markdown("#####"));
                out.push('\n');
            }
            out.push_str(&s.report.semver_line());
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

/// The versions `--to` asks for: `international=3.1.150.1`,
/// `mainland=3.1.180.1` (either or both); an edition not named keeps its
/// pinned version, and with no `--to` at all both move to their newest.
pub fn parse_to(to: &[String]) -> Result<Vec<(Edition, String)>, String> {
    let mut out: Vec<(Edition, String)> = Vec::new();
    for t in to {
        let Some((e, v)) = t.split_once('=') else {
            return Err(format!(
                "--to {t}: say which edition, e.g. --to international={t} or --to mainland={t} \
                 (the editions have their own release numbers)"
            ));
        };
        let e: Edition = e.trim().parse().map_err(|m| format!("--to {t}: {m}"))?;
        if out.iter().any(|(x, _)| *x == e) {
            return Err(format!("--to names the {e} edition twice"));
        }
        out.push((e, v.trim().to_owned()));
    }
    Ok(out)
}

/// Runs the update (see the module docs).
pub fn run(root: &Path, to: Vec<String>, dry_run: bool) -> Result<(), String> {
    let lock_path = root.join(LOCK_FILE);
    let lock = Lock::read(&lock_path).map_err(|e| e.to_string())?;
    let asked = parse_to(&to)?;
    let fetcher = Fetcher::for_repo(root);
    let from = fetcher.fetch_lock(&lock).map_err(|e| e.to_string())?;
    let mut moved = Vec::new();
    for e in Edition::ALL {
        let pinned = from.edition(e);
        let target = match asked.iter().find(|(x, _)| *x == e) {
            Some((_, v)) => v.clone(),
            None if asked.is_empty() => fetcher
                .newest(definitions_package(e))
                .map_err(|e| e.to_string())?,
            None => pinned.definitions.package.version.clone(),
        };
        moved.push(if target == pinned.definitions.package.version {
            pinned.clone()
        } else {
            fetcher
                .download_matching(e, &target)
                .map_err(|e| e.to_string())?
        });
    }
    let mainland = moved.pop().expect("two editions");
    let international = moved.pop().expect("two editions");
    let to = Pinned {
        international,
        mainland,
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
            "already at {} {}, {} {}: nothing to do",
            plan.to.international.definitions.package.name,
            plan.to.international.definitions.package.version,
            plan.to.mainland.definitions.package.name,
            plan.to.mainland.definitions.package.version
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
    let new_lock = plan.to.lock();
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
    fn today_is_a_date() {
        let t = today();
        assert_eq!(t.len(), 10, "{t}");
        assert!(
            t.starts_with("20") && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-',
            "{t}"
        );
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
