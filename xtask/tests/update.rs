//! `cargo xtask import --service` and `cargo xtask update`, run as a user runs
//! them: on a scratch copy of the repository, between real published versions
//! of both editions (international: tccli-intl-en 3.1.193.1, pinned, and
//! 3.1.150.1; mainland: tccli 3.1.189.1, pinned, and 3.1.150.1), one edition
//! at a time and back; and a dry run on the repository itself, which must
//! change no file.
//!
//! Needs PyPI the first time (through pip); later runs reuse the verified
//! cache under the target directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tencentcloud_codegen::upstream::{self, Lock};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs the xtask binary on `repo`, sharing this repository's download cache.
fn xtask(repo: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(repo)
        .args(args)
        .env("CARGO_TARGET_DIR", upstream::target_dir(&root()))
        .output()
        .expect("run xtask");
    out
}

fn ok(out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "xtask failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&p, to.join(entry.file_name())).unwrap();
        }
    }
}

/// Every file under `dir` (recursively) with its contents.
fn snapshot(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in rd.flatten() {
        let p = entry.path();
        if p.is_dir() {
            snapshot(&p, out);
        } else {
            out.insert(p.clone(), std::fs::read(&p).unwrap());
        }
    }
}

fn tracked_state(repo: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for d in ["spec", "crates", "codegen/tests/snapshots"] {
        snapshot(&repo.join(d), &mut files);
    }
    for f in [upstream::LOCK_FILE, "CHANGELOG.md"] {
        if let Ok(bytes) = std::fs::read(repo.join(f)) {
            files.insert(repo.join(f), bytes);
        }
    }
    files
}

#[test]
fn a_dry_run_prints_the_report_and_changes_no_file() {
    let before = tracked_state(&root());
    let stdout = ok(xtask(
        &root(),
        &["update", "--to", "international=3.1.150.1", "--dry-run"],
    ));
    assert_eq!(tracked_state(&root()), before, "a dry run wrote files");
    let header = stdout.lines().next().unwrap_or("");
    assert!(
        header.starts_with("## ")
            && header.ends_with(": tccli-intl-en 3.1.193.1 → 3.1.150.1, tencentcloud-sdk-python-intl-en 3.1.193 → 3.1.150; tccli 3.1.189.1, tencentcloud-sdk-python 3.1.189"),
        "{stdout}"
    );
    assert!(stdout.contains("### trtc 2019-07-22\n"), "{stdout}");
    assert!(
        stdout.contains("\n#### International edition (tccli-intl-en 3.1.193.1 → 3.1.150.1, "),
        "{stdout}"
    );
    assert!(stdout.contains("\n#### Mainland China edition (tccli 3.1.189.1, tencentcloud-sdk-python 3.1.189)\n\nNo changes.\n"), "{stdout}");
    assert!(stdout.contains("\nSemver: "), "{stdout}");
    assert!(stdout.ends_with("(dry run: no file written)\n"), "{stdout}");
}

#[test]
fn a_version_without_its_edition_is_refused() {
    let out = xtask(&root(), &["update", "--to", "3.1.150.1", "--dry-run"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--to 3.1.150.1: say which edition, e.g. --to international=3.1.150.1 or --to mainland=3.1.150.1"),
        "{stderr}"
    );
    let out = xtask(&root(), &["update", "--to", "moon=3.1.150.1", "--dry-run"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown edition `moon`"), "{stderr}");
}

/// The generated crates' version in `repo` as (major, minor, patch): the
/// report's bump starts there.
fn crate_version(repo: &Path) -> (u64, u64, u64) {
    let manifest = std::fs::read_to_string(repo.join("crates/trtc/Cargo.toml")).unwrap();
    let line = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .expect("the generated manifest has a version");
    let parts: Vec<u64> = line
        .trim_matches('"')
        .split('.')
        .map(|p| p.parse().unwrap())
        .collect();
    (parts[0], parts[1], parts[2])
}

fn spec_json(repo: &Path) -> Value {
    let text = std::fs::read_to_string(repo.join("spec/trtc-2019-07-22.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn update_moves_both_ways_between_published_versions() {
    let (repo, pinned) = scratch_repo();
    import_three_actions(&repo);
    international_back(&repo);
    mainland_back(&repo);
    both_forward(&repo, &pinned);
    changelog_and_nothing_to_do(&repo);
}

/// A repository with the generator's test specs, the common errors and the
/// lock; the lock's text, as pinned.
fn scratch_repo() -> (PathBuf, String) {
    let repo = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xtask-update-repo");
    let _ = std::fs::remove_dir_all(&repo);
    copy_dir(
        &root().join("codegen/tests/specs"),
        &repo.join("codegen/tests/specs"),
    );
    std::fs::create_dir_all(repo.join("spec")).unwrap();
    std::fs::copy(
        root().join("spec/common-errors.json"),
        repo.join("spec/common-errors.json"),
    )
    .unwrap();
    std::fs::copy(
        root().join(upstream::LOCK_FILE),
        repo.join(upstream::LOCK_FILE),
    )
    .unwrap();
    let pinned = std::fs::read_to_string(repo.join(upstream::LOCK_FILE)).unwrap();

    (repo, pinned)
}

fn import_three_actions(repo: &Path) {
    // A spec with three actions (one only the mainland edition has), imported
    // from the pinned definitions of both editions, then curated.
    let spec_path = repo.join("spec/trtc-2019-07-22.json");
    std::fs::write(
        &spec_path,
        r#"{"format": "tencentcloud-spec/1",
            "service": {"name": "trtc", "version": "2019-07-22", "endpoint": "trtc.tencentcloudapi.com"},
            "actions": {}, "shapes": {}}"#,
    )
    .unwrap();
    let stdout = ok(xtask(
        repo,
        &[
            "import",
            "--service",
            "trtc",
            "--version",
            "2019-07-22",
            "--actions",
            "CreateCloudTranscription,ControlAIConversation,StopMCUMixTranscode",
            "--into",
            spec_path.to_str().unwrap(),
        ],
    ));
    assert!(stdout.starts_with("importing trtc 2019-07-22 from international: tccli-intl-en 3.1.193.1 and tencentcloud-sdk-python-intl-en 3.1.193; mainland: tccli 3.1.189.1 and tencentcloud-sdk-python 3.1.189\n"), "{stdout}");
    assert!(
        stdout.contains("  editions merged: 3 actions (international 2, mainland 3)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    StopMCUMixTranscode (mainland)\n"),
        "{stdout}"
    );
    // `fetch --list` shows both editions and names what the spec lacks.
    let list = ok(xtask(repo, &["fetch", "--list"]));
    assert!(
        list.contains("\ntrtc 2019-07-22 (international, mainland)\n"),
        "{list}"
    );
    let coverage = list
        .lines()
        .find(|l| l.starts_with("spec/trtc-2019-07-22.json: "))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        coverage.starts_with("spec/trtc-2019-07-22.json: 3 actions; international 58 actions, mainland 86 actions; missing from the spec: "),
        "{coverage}"
    );
    assert!(
        coverage.contains("QueryAIMessageList (international)"),
        "{coverage}"
    );
    assert!(
        coverage.contains("StartMCUMixTranscode (mainland)"),
        "{coverage}"
    );
    assert!(
        !coverage.contains("StopMCUMixTranscode (mainland)"),
        "{coverage}"
    );
    let mut spec = spec_json(repo);
    assert_eq!(
        spec["actions"]["StopMCUMixTranscode"]["editions"],
        serde_json::json!(["mainland"])
    );
    assert_eq!(spec["actions"]["StopMCUMixTranscode"]["language"], "zh");
    assert!(spec["actions"]["ControlAIConversation"]
        .get("editions")
        .is_none());
    spec["actions"]["ControlAIConversation"]["regions"] = serde_json::json!(["ap-guangzhou"]);
    spec["actions"]["ControlAIConversation"]["rate_limit"] = serde_json::json!(20);
    spec["actions"]["ControlAIConversation"]["notes"] = serde_json::json!("Curated.");
    std::fs::write(
        &spec_path,
        serde_json::to_string_pretty(&spec).unwrap() + "\n",
    )
    .unwrap();
    ok(xtask(repo, &["codegen"]));
    assert!(repo.join("crates/trtc/src/lib.rs").is_file());
}

fn international_back(repo: &Path) {
    // The international edition back to 3.1.150.1, which lacks
    // ControlAIConversationRequest.TransparentData: the mainland edition still
    // has it, so it is not removed, only marked.
    let report = ok(xtask(repo, &["update", "--to", "international=3.1.150.1"]));
    assert!(
        report.contains("Re-imported 3 actions; gained: none; lost: none.\n"),
        "{report}"
    );
    assert!(!report.contains("Breaking"), "{report}");
    assert!(report.contains("#### International edition (tccli-intl-en 3.1.193.1 → 3.1.150.1, tencentcloud-sdk-python-intl-en 3.1.193 → 3.1.150)\n\n##### Patch (documentation and behaviour only)"), "{report}");
    assert!(report.contains("- editions changed: `ControlAIConversationRequest.TransparentData` (`every edition` → `mainland`): still published by the edition named, so nothing is removed\n"), "{report}");
    assert!(report.contains("#### Mainland China edition (tccli 3.1.189.1, tencentcloud-sdk-python 3.1.189)\n\nNo changes.\n"), "{report}");
    let spec = spec_json(repo);
    assert_eq!(
        spec["shapes"]["ControlAIConversationRequest"]["members"]["TransparentData"]["editions"],
        serde_json::json!(["mainland"])
    );
}

fn mainland_back(repo: &Path) {
    // Then the mainland edition back to 3.1.150.1: now neither has the member,
    // so it goes (breaking), reported under the mainland edition; the curation stays.
    let report = ok(xtask(repo, &["update", "--to", "mainland=3.1.150.1"]));
    assert!(report.contains("#### International edition (tccli-intl-en 3.1.150.1, tencentcloud-sdk-python-intl-en 3.1.150)\n\nNo changes.\n"), "{report}");
    assert!(report.contains("#### Mainland China edition (tccli 3.1.189.1 → 3.1.150.1, tencentcloud-sdk-python 3.1.189 → 3.1.150)\n\n##### Breaking (9)\n\n- member removed: `ControlAIConversationRequest.TransparentData` (was `Option<TransparentData>`)\n- shape removed: `TransparentData`\n"), "{report}");
    // Breaking, on 0.x: the minor version.
    let (major, minor, patch) = crate_version(repo);
    assert_eq!(major, 0, "the test reads 0.x's rules");
    let bump = format!(
        "→ a minor bump of the generated crates: 0.{minor}.{patch} → 0.{}.0.",
        minor + 1
    );
    assert!(report.contains(&bump), "{report}");
    let spec = spec_json(repo);
    assert!(spec["shapes"]["ControlAIConversationRequest"]["members"]
        .get("TransparentData")
        .is_none());
    assert!(spec["shapes"].get("TransparentData").is_none());
    assert_eq!(
        spec["actions"]["ControlAIConversation"]["regions"],
        serde_json::json!(["ap-guangzhou"])
    );
    assert_eq!(spec["actions"]["ControlAIConversation"]["rate_limit"], 20);
    assert_eq!(
        spec["actions"]["ControlAIConversation"]["notes"],
        "Curated."
    );
    let lock = Lock::read(&repo.join(upstream::LOCK_FILE)).unwrap();
    let versions: Vec<(&str, &str)> = lock
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str()))
        .collect();
    assert_eq!(
        versions,
        [
            ("tccli-intl-en", "3.1.150.1"),
            ("tencentcloud-sdk-python-intl-en", "3.1.150"),
            ("tccli", "3.1.150.1"),
            ("tencentcloud-sdk-python", "3.1.150"),
        ]
    );
    assert_eq!(
        lock.packages[0].sha256,
        "57ab6360f637772e1c5357925d44573376c8cbb369f278efa14ce8215564689e"
    );
    let model = std::fs::read_to_string(repo.join("crates/trtc-model/src/lib.rs")).unwrap();
    assert!(
        !model.contains("struct TransparentData"),
        "the crates were regenerated"
    );
    ok(xtask(repo, &["codegen", "--check"]));
}

fn both_forward(repo: &Path, pinned: &str) {
    // And both forward again: the actions each edition gained since are
    // imported, each named with its edition.
    let report = ok(xtask(
        repo,
        &[
            "update",
            "--to",
            "international=3.1.193.1,mainland=3.1.189.1",
        ],
    ));
    assert!(
        report.contains("Re-imported 3 actions; gained: QueryAIMessageList (international), CreateAudioModerationSync (mainland), "),
        "{report}"
    );
    let (intl, cn) = report
        .split_once("#### Mainland China edition")
        .expect("both editions reported");
    assert!(
        intl.contains("- action added: `QueryAIMessageList`"),
        "{report}"
    );
    assert!(intl.contains("- member added: `ControlAIConversationRequest.TransparentData` (`Option<TransparentData>`): an optional input member of a `#[non_exhaustive]` struct\n"), "{report}");
    assert!(
        cn.contains("- action added: `CreateRecognizeVocabV3`"),
        "{report}"
    );
    assert!(cn.contains("- editions changed: `ControlAIConversationRequest.TransparentData` (`international` → `every edition`): now published by every edition\n"), "{report}");
    let (major, minor, patch) = crate_version(repo);
    assert_eq!(major, 0, "the test reads 0.x's rules");
    let bump = format!(
        "→ a patch bump of the generated crates: 0.{minor}.{patch} → 0.{minor}.{}.",
        patch + 1
    );
    assert!(report.contains(&bump), "{report}");
    assert_eq!(
        std::fs::read_to_string(repo.join(upstream::LOCK_FILE)).unwrap(),
        pinned,
        "the lock is back to the pinned versions, byte for byte"
    );
    let spec = spec_json(repo);
    assert!(spec["actions"].get("QueryAIMessageList").is_some());
    assert_eq!(
        spec["actions"]["CreateRecognizeVocabV3"]["editions"],
        serde_json::json!(["mainland"])
    );
    assert_eq!(
        spec["actions"]["ControlAIConversation"]["notes"],
        "Curated."
    );
}

fn changelog_and_nothing_to_do(repo: &Path) {
    // Every report is in the changelog, newest first.
    let changelog = std::fs::read_to_string(repo.join("CHANGELOG.md")).unwrap();
    assert!(changelog.starts_with("# Changelog\n"));
    let newest = changelog.find("tccli 3.1.150.1 → 3.1.189.1").unwrap();
    let middle = changelog.find("tccli 3.1.189.1 → 3.1.150.1").unwrap();
    let oldest = changelog
        .find("tccli-intl-en 3.1.193.1 → 3.1.150.1")
        .unwrap();
    assert!(newest < middle && middle < oldest, "{changelog}");

    // Nothing to do at the same versions.
    let again = ok(xtask(repo, &["update", "--to", "international=3.1.193.1"]));
    assert!(again.contains("No changes.\n"), "{again}");
    assert!(
        again.ends_with("already at tccli-intl-en 3.1.193.1, tccli 3.1.189.1: nothing to do\n"),
        "{again}"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("CHANGELOG.md")).unwrap(),
        changelog
    );
}
