//! Tencent's definitions through `codegen::upstream`: the pinned packages, a
//! real pair of published versions compared both ways, and every fetch error.
//!
//! The real-version tests need PyPI the first time (pip, with the user's
//! configuration); later runs reuse the verified cache under `target/` with
//! neither network nor python.

use std::path::{Path, PathBuf};
use std::process::Command;

use tencentcloud_codegen::spec::{Edition, Spec};
use tencentcloud_codegen::upstream::diff::{self, ChangeKind, Impact};
use tencentcloud_codegen::upstream::import::{self, ImportOptions};
use tencentcloud_codegen::upstream::{
    self, Fetched, Fetcher, Lock, LockedPackage, PipFailure, UpstreamError, DEFINITIONS_PACKAGE,
    ERROR_CODES_PACKAGE,
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// tccli-intl-en 3.1.150.1 and the matching SDK, pinned here as the lock pins the current ones.
fn older() -> Fetched {
    let fetcher = Fetcher::for_repo(&root());
    let get = |name: &str, version: &str, wheel: &str, sha256: &str| {
        fetcher
            .fetch(&LockedPackage {
                name: name.into(),
                version: version.into(),
                wheel: wheel.into(),
                sha256: sha256.into(),
            })
            .unwrap_or_else(|e| panic!("{e}"))
    };
    Fetched {
        definitions: get(
            DEFINITIONS_PACKAGE,
            "3.1.150.1",
            "tccli_intl_en-3.1.150.1-py2.py3-none-any.whl",
            "57ab6360f637772e1c5357925d44573376c8cbb369f278efa14ce8215564689e",
        ),
        error_codes: get(
            ERROR_CODES_PACKAGE,
            "3.1.150",
            "tencentcloud_sdk_python_intl_en-3.1.150-py2.py3-none-any.whl",
            "55f50dbf1afc750bd334cd79af2b189d3153a7ae8f3dcd2a230d5b0b87d6a4e1",
        ),
    }
}

fn trtc(fetched: &Fetched) -> Spec {
    let files = fetched
        .service("trtc", "2019-07-22")
        .unwrap_or_else(|e| panic!("{e}"));
    import::import_service(&files, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

type Row = (ChangeKind, &'static str, Impact);

/// What differs in TRTC between tccli-intl-en 3.1.150.1 and 3.1.193.1: one
/// action, four shapes and one member; two descriptions were reformatted.
const FORWARD: &[Row] = &[
    (
        ChangeKind::ActionAdded,
        "QueryAIMessageList",
        Impact::Additive,
    ),
    (
        ChangeKind::MemberAdded,
        "ControlAIConversationRequest.TransparentData",
        Impact::Additive,
    ),
    (ChangeKind::Doc, "ServerPushText.DropMode", Impact::Patch),
    (ChangeKind::Doc, "ServerPushText.Priority", Impact::Patch),
    (ChangeKind::ShapeAdded, "TransparentData", Impact::Additive),
    (
        ChangeKind::ShapeAdded,
        "QueryAIMessageListRequest",
        Impact::Additive,
    ),
    (
        ChangeKind::ShapeAdded,
        "QueryAIMessageListResponse",
        Impact::Additive,
    ),
    (ChangeKind::ShapeAdded, "MessageInfo", Impact::Additive),
];

/// The same, going back.
const BACKWARD: &[Row] = &[
    (
        ChangeKind::ActionRemoved,
        "QueryAIMessageList",
        Impact::Breaking,
    ),
    (
        ChangeKind::MemberRemoved,
        "ControlAIConversationRequest.TransparentData",
        Impact::Breaking,
    ),
    (ChangeKind::Doc, "ServerPushText.DropMode", Impact::Patch),
    (ChangeKind::Doc, "ServerPushText.Priority", Impact::Patch),
    (
        ChangeKind::ShapeRemoved,
        "TransparentData",
        Impact::Breaking,
    ),
    (
        ChangeKind::ShapeRemoved,
        "QueryAIMessageListRequest",
        Impact::Breaking,
    ),
    (
        ChangeKind::ShapeRemoved,
        "QueryAIMessageListResponse",
        Impact::Breaking,
    ),
    (ChangeKind::ShapeRemoved, "MessageInfo", Impact::Breaking),
];

fn rows(report: &diff::ChangeReport) -> Vec<(ChangeKind, String, Impact)> {
    report
        .changes
        .iter()
        .map(|c| (c.kind, c.path.clone(), c.impact))
        .collect()
}

fn expected(rows: &[Row]) -> Vec<(ChangeKind, String, Impact)> {
    rows.iter()
        .map(|(k, p, i)| (*k, (*p).to_owned(), *i))
        .collect()
}

#[test]
fn the_pinned_definitions_have_all_of_trtc() {
    let pinned = upstream::pinned(&root()).unwrap_or_else(|e| panic!("{e}"));
    let fetched = &pinned.international;
    assert_eq!(fetched.definitions.package.version, "3.1.193.1");
    assert_eq!(fetched.error_codes.package.version, "3.1.193");
    assert_eq!(pinned.mainland.definitions.package.name, "tccli");
    assert_eq!(pinned.mainland.definitions.package.version, "3.1.189.1");
    assert_eq!(
        pinned.mainland.error_codes.package.name,
        "tencentcloud-sdk-python"
    );
    assert_eq!(pinned.mainland.error_codes.package.version, "3.1.189");
    assert_eq!(pinned.mainland.edition(), Edition::Mainland);
    // The mainland edition alone: 86 actions, 31 of them not international.
    let cn_files = pinned
        .mainland
        .service("trtc", "2019-07-22")
        .unwrap_or_else(|e| panic!("{e}"));
    let (cn, _) = import::import_service(&cn_files, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cn.actions.len(), 86);
    assert!(cn.actions.contains_key("StartMCUMixTranscode"));
    assert!(!cn.actions.contains_key("QueryAIMessageList"));
    let files = fetched
        .service("trtc", "2019-07-22")
        .unwrap_or_else(|e| panic!("{e}"));
    let (spec, report) =
        import::import_service(&files, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.actions, report.shapes), (58, 209));
    assert_eq!(spec.errors.len(), 105);
    assert_eq!(report.undescribed_error_codes, 1);
    assert_eq!(
        spec.errors
            .get("InvalidParameter.PronunciationDict")
            .map(String::as_str),
        Some(import::UNDESCRIBED_CODE)
    );
    assert_eq!(
        spec.errors
            .get("FailedOperation.CTUnsupportMethod")
            .map(String::as_str),
        Some("The cloud transcription method does not support this.")
    );
    assert!(fetched
        .services()
        .contains(&("trtc".to_owned(), "2019-07-22".to_owned())));
}

#[test]
fn published_versions_differ_as_documented_both_ways() {
    let new = trtc(
        &upstream::pinned(&root())
            .unwrap_or_else(|e| panic!("{e}"))
            .international,
    );
    let old = trtc(&older());

    let mut forward = diff::diff(&old, &new);
    assert!(forward.notes.is_empty(), "{:?}", forward.notes);
    assert_eq!(rows(&forward), expected(FORWARD), "\n{forward}");
    let member = forward
        .find(
            ChangeKind::MemberAdded,
            "ControlAIConversationRequest.TransparentData",
        )
        .unwrap();
    assert_eq!(member.new.as_deref(), Some("Option<TransparentData>"));
    assert_eq!(
        member.why.as_deref(),
        Some("an optional input member of a `#[non_exhaustive]` struct")
    );
    forward.crate_version = Some("0.1.0".to_owned());
    assert_eq!(forward.semver_bump("0.1.0").unwrap().to, "0.1.1");
    let text = forward.to_string();
    assert!(text.contains("- action added: `QueryAIMessageList` (`QueryAIMessageListRequest → QueryAIMessageListResponse`)\n"), "{text}");
    assert!(text.ends_with(
        "Semver: 0 breaking, 6 additive, 2 patch → a patch bump of the generated crates: 0.1.0 → 0.1.1.\n"
    ), "{text}");

    let backward = diff::diff(&new, &old);
    assert_eq!(rows(&backward), expected(BACKWARD), "\n{backward}");
    assert_eq!(backward.semver_bump("0.1.0").unwrap().to, "0.2.0");
    let doc = backward
        .find(ChangeKind::Doc, "ServerPushText.DropMode")
        .unwrap();
    assert!(
        doc.old
            .as_deref()
            .unwrap()
            .contains("- 0 means drop messages")
            && doc
                .new
                .as_deref()
                .unwrap()
                .contains("-0 means drop messages"),
        "{doc:?}"
    );
}

// ---- Fetch errors, offline: a scratch cache, and pip pointed at local wheels
// or at an index that does not answer.

fn python() -> String {
    std::env::var(upstream::PYTHON_ENV).unwrap_or_else(|_| "python3".to_owned())
}

/// A fresh scratch directory.
fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("upstream-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Writes a minimal wheel `file` into `dir` with `entries` (path, contents).
fn wheel(dir: &Path, file: &str, entries: &[(&str, &str)]) -> PathBuf {
    let dist = file.split('-').take(2).collect::<Vec<_>>().join("-");
    let mut all: Vec<(String, String)> = entries
        .iter()
        .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
        .collect();
    all.push((
        format!("{dist}.dist-info/WHEEL"),
        "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py2-none-any\nTag: py3-none-any\n".to_owned(),
    ));
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(file);
    let script = "import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\nfor p, c in json.loads(sys.argv[2]):\n    z.writestr(p, c)\nz.close()\n";
    let status = Command::new(python())
        .args(["-c", script])
        .arg(&path)
        .arg(serde_json::to_string(&all).unwrap())
        .status()
        .expect("python3 runs");
    assert!(status.success());
    path
}

fn metadata(name: &str, version: &str, requires: Option<&str>) -> String {
    let mut m = format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n");
    if let Some(r) = requires {
        m.push_str(&format!("Requires-Dist: {ERROR_CODES_PACKAGE} >={r}\n"));
    }
    m
}

const CLI_WHEEL: &str = "tccli_intl_en-3.1.193.1-py2.py3-none-any.whl";
const SDK_WHEEL: &str = "tencentcloud_sdk_python_intl_en-3.1.193-py2.py3-none-any.whl";

/// A directory of local wheels: a CLI 3.1.193.1 with one service (`demo`
/// 2020-01-01) and a matching SDK without that service's error codes.
fn local_wheels(dir: &Path, requires: &str) {
    let meta = metadata(DEFINITIONS_PACKAGE, "3.1.193.1", Some(requires));
    wheel(
        dir,
        CLI_WHEEL,
        &[
            ("tccli_intl_en-3.1.193.1.dist-info/METADATA", &meta),
            ("tccli/services/demo/v20200101/api.json", "{}"),
            ("tccli/services/demo/v20200101/examples.json", "{}"),
            ("tccli/services/demo/v20200101/cli.py", "ignored"),
        ],
    );
    let meta = metadata(ERROR_CODES_PACKAGE, "3.1.193", None);
    wheel(
        dir,
        SDK_WHEEL,
        &[
            (
                "tencentcloud_sdk_python_intl_en-3.1.193.dist-info/METADATA",
                &meta,
            ),
            ("tencentcloud/other/v20200101/errorcodes.py", "X = 'X'\n"),
        ],
    );
}

/// A fetcher that finds packages only in `links` (no index, no network).
fn local_fetcher(cache: &Path, links: &Path) -> Fetcher {
    Fetcher::new(cache)
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", links)
}

fn pinned_cli() -> LockedPackage {
    Lock::read(&root().join(upstream::LOCK_FILE))
        .unwrap_or_else(|e| panic!("{e}"))
        .package(DEFINITIONS_PACKAGE)
        .unwrap()
        .clone()
}

#[test]
fn offline_is_a_clear_error() {
    let dir = scratch("offline");
    let fetcher = Fetcher::new(dir.join("cache"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env("PIP_FIND_LINKS", "")
        .env("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
        .env("PIP_RETRIES", "1")
        .env("PIP_TIMEOUT", "2");
    let e = fetcher.fetch(&pinned_cli()).unwrap_err();
    let UpstreamError::Pip { failure, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*failure, PipFailure::Unreachable, "{e}");
    let text = e.to_string();
    assert!(
        text.starts_with("tccli-intl-en 3.1.193.1: pip failed: the package index could not be reached (offline?)"),
        "{text}"
    );
    assert!(text.contains("run `cargo xtask fetch` again"), "{text}");
    assert!(
        text.contains("Connection refused"),
        "pip's own words are kept: {text}"
    );
    assert!(!fetcher
        .package_dir(DEFINITIONS_PACKAGE, "3.1.193.1")
        .exists());
}

#[test]
fn a_missing_python_is_a_clear_error() {
    let dir = scratch("nopython");
    let e = Fetcher::new(dir.join("cache"))
        .python(dir.join("no-such-python"))
        .fetch(&pinned_cli())
        .unwrap_err();
    assert!(matches!(e, UpstreamError::PythonMissing { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.starts_with("tccli-intl-en 3.1.193.1: cannot run `"),
        "{text}"
    );
    assert!(
        text.contains("install it, or name the executable in TENCENTCLOUD_PYTHON"),
        "{text}"
    );
}

#[test]
fn a_checksum_mismatch_names_both_sums_and_what_to_do() {
    let dir = scratch("mismatch");
    local_wheels(&dir.join("links"), "3.1.193");
    let fetcher = local_fetcher(&dir.join("cache"), &dir.join("links"));
    let pinned = pinned_cli();
    let e = fetcher.fetch(&pinned).unwrap_err();
    let actual = upstream::sha256_file(&dir.join("links").join(CLI_WHEEL)).unwrap();
    let UpstreamError::ChecksumMismatch { actual: got, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*got, actual);
    let text = e.to_string();
    assert!(text.starts_with(&format!(
        "tccli-intl-en 3.1.193.1: checksum mismatch for {CLI_WHEEL}: the lock (tencentcloud-api.lock) pins sha256 {}, the download has {actual}. Delete ",
        pinned.sha256
    )), "{text}");
    assert!(
        text.ends_with("update the lock with `cargo xtask update`"),
        "{text}"
    );
    assert!(!fetcher
        .package_dir(DEFINITIONS_PACKAGE, "3.1.193.1")
        .exists());
}

#[test]
fn a_verified_cache_is_reused_without_python_and_missing_files_are_named() {
    let dir = scratch("reuse");
    let links = dir.join("links");
    local_wheels(&links, "3.1.193");
    let fetcher = local_fetcher(&dir.join("cache"), &links);
    let pin = |name: &str, version: &str, wheel: &str| LockedPackage {
        name: name.into(),
        version: version.into(),
        wheel: wheel.into(),
        sha256: upstream::sha256_file(&links.join(wheel)).unwrap(),
    };
    let lock = Lock::new(vec![
        pin(DEFINITIONS_PACKAGE, "3.1.193.1", CLI_WHEEL),
        pin(ERROR_CODES_PACKAGE, "3.1.193", SDK_WHEEL),
    ]);
    let fetched = fetcher
        .fetch_edition(&lock, Edition::International)
        .unwrap_or_else(|e| panic!("{e}"));
    let api = fetched
        .definitions
        .dir
        .join("tccli/services/demo/v20200101/api.json");
    assert!(api.is_file());
    assert!(
        !fetched
            .definitions
            .dir
            .join("tccli/services/demo/v20200101/cli.py")
            .exists(),
        "only definition files are unpacked"
    );
    // Again with no python at all (and the wheels gone): the verified cache.
    std::fs::remove_dir_all(&links).unwrap();
    let again = fetcher
        .clone()
        .python(dir.join("no-such-python"))
        .fetch_edition(&lock, Edition::International)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, fetched);
    assert_eq!(
        fetched.services(),
        [("demo".to_owned(), "2020-01-01".to_owned())]
    );

    let e = fetched.service("trtc", "2019-07-22").unwrap_err();
    assert_eq!(
        e.to_string(),
        "tccli-intl-en 3.1.193.1 has no tccli/services/trtc/v20190722/api.json: no service `trtc` (1 services; run `cargo xtask fetch --list` to see them)"
    );
    let e = fetched.service("demo", "2020-01-02").unwrap_err();
    assert_eq!(
        e.to_string(),
        "tccli-intl-en 3.1.193.1 has no tccli/services/demo/v20200102/api.json: `demo` has versions 2020-01-01"
    );
    let e = fetched.service("demo", "2020-01-01").unwrap_err();
    assert_eq!(
        e.to_string(),
        "tencentcloud-sdk-python-intl-en 3.1.193 has no tencentcloud/demo/v20200101/errorcodes.py: tccli-intl-en 3.1.193.1 defines demo 2020-01-01, but the SDK has no error codes for it"
    );
    // Across editions: a service version no edition defines is an error, and
    // so is one an edition defines without its error codes (never skipped).
    let both = upstream::Pinned {
        international: fetched.clone(),
        mainland: fetched.clone(),
    };
    let e = both.service("trtc", "2019-07-22").unwrap_err();
    assert!(e.to_string().contains("no service `trtc`"), "{e}");
    let e = both.service("demo", "2020-01-01").unwrap_err();
    assert!(e.to_string().contains("errorcodes.py"), "{e}");
}

#[test]
fn a_wheel_without_definitions_is_refused() {
    let dir = scratch("empty-wheel");
    let links = dir.join("links");
    let meta = metadata(DEFINITIONS_PACKAGE, "3.1.193.1", None);
    wheel(
        &links,
        CLI_WHEEL,
        &[
            ("tccli_intl_en-3.1.193.1.dist-info/METADATA", &meta),
            ("tccli/__init__.py", ""),
        ],
    );
    let pkg = LockedPackage {
        name: DEFINITIONS_PACKAGE.into(),
        version: "3.1.193.1".into(),
        wheel: CLI_WHEEL.into(),
        sha256: upstream::sha256_file(&links.join(CLI_WHEEL)).unwrap(),
    };
    let e = local_fetcher(&dir.join("cache"), &links)
        .fetch(&pkg)
        .unwrap_err();
    assert!(matches!(e, UpstreamError::MissingFile { .. }), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("tccli-intl-en 3.1.193.1 has no tccli/services/<service>/v<YYYYMMDD>/api.json: the wheel has none"),
        "{e}"
    );
}

#[test]
fn unpublished_versions_and_mismatched_releases_are_named() {
    let dir = scratch("versions");
    let links = dir.join("links");
    local_wheels(&links, "3.1.192");
    let fetcher = local_fetcher(&dir.join("cache"), &links);
    let e = fetcher
        .download(DEFINITIONS_PACKAGE, "3.1.0.1")
        .unwrap_err();
    assert!(
        matches!(
            e,
            UpstreamError::Pip {
                failure: PipFailure::NotFound,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string().starts_with(
            "tccli-intl-en 3.1.0.1: pip failed: the index has no tccli-intl-en 3.1.0.1"
        ),
        "{e}"
    );
    // The CLI's metadata requires another SDK release than the mapping gives.
    let e = fetcher
        .download_matching(Edition::International, "3.1.193.1")
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "tccli-intl-en 3.1.193.1: no matching tencentcloud-sdk-python-intl-en version: its metadata requires tencentcloud-sdk-python-intl-en >=3.1.192, not 3.1.193"
    );
    // The matching SDK release is not published.
    let e = fetcher
        .download_matching_sdk(Edition::International, "3.1.194.1", "3.1.194")
        .unwrap_err();
    assert!(
        e.to_string().starts_with("tccli-intl-en 3.1.194.1: no matching tencentcloud-sdk-python-intl-en version: tencentcloud-sdk-python-intl-en 3.1.194, the release that matches it, is not published"),
        "{e}"
    );
}

#[test]
fn a_missing_or_malformed_lock_is_named() {
    let dir = scratch("lock");
    let e = upstream::pinned(&dir).unwrap_err();
    assert!(
        e.to_string().ends_with("tencentcloud-api.lock: $: the lock file is missing: it pins Tencent's definitions; restore it (`git checkout -- tencentcloud-api.lock`)"),
        "{e}"
    );
    std::fs::write(
        dir.join(upstream::LOCK_FILE),
        r#"{"format": "tencentcloud-api-lock/1", "packages": [{"name": "tccli-intl-en", "version": 3}]}"#,
    )
    .unwrap();
    let e = upstream::pinned(&dir).unwrap_err();
    assert!(e.to_string().contains("tencentcloud-api.lock: $.packages[0].version: invalid type: integer `3`, expected a string"), "{e}");
}

#[test]
fn the_newest_version_is_asked_of_pip() {
    let dir = scratch("newest");
    let links = dir.join("links");
    local_wheels(&links, "3.1.193");
    std::fs::copy(
        links.join(CLI_WHEEL),
        links.join("tccli_intl_en-3.1.20.1-py2.py3-none-any.whl"),
    )
    .unwrap();
    let fetcher = local_fetcher(&dir.join("cache"), &links);
    assert_eq!(fetcher.newest(DEFINITIONS_PACKAGE).unwrap(), "3.1.193.1");
    let e = fetcher.newest("no-such-package-here").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("no-such-package-here (newest version): pip failed: "),
        "{e}"
    );
}
