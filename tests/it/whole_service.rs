//! Tencent's pinned definitions (fetched through `upstream::pinned`, as
//! `cargo xtask fetch` does) against what the repository ships and what the
//! importer makes of other services:
//!
//! - the committed TRTC spec is exactly the pinned definitions of both
//!   editions, merged (every action of either, marked with the editions that
//!   publish it), plus the curation: importing them again and merging changes
//!   nothing;
//! - the examples the importer reports unusable are exactly the known ones, so
//!   a new failure cannot hide among them (the usable ones run through the
//!   shipped types in `tests/it/examples.rs`);
//! - another service, imported with `--out` as a user would, becomes a
//!   workspace that builds without a warning and documents cleanly, with the
//!   paginator inferred from its shapes.

use std::path::PathBuf;
use std::process::Command;

use tencentcloud_codegen::spec::Edition;
use tencentcloud_codegen::upstream;
use tencentcloud_codegen::upstream::import::{import_editions, ImportOptions};
use tencentcloud_tests::root;

/// (action, example title, start of the reason) of every example known to be unusable.
const KNOWN_UNUSABLE: &[(&str, &str, &str)] = &[
    (
        "ControlAIConversation",
        "Send Broadcast Text",
        "the request body is not valid JSON",
    ),
    (
        "DescribeTrtcRoomUsage",
        "Querying usage data grouped by room",
        "the response is not valid JSON",
    ),
    (
        "QueryAIMessageList",
        "No context information is available for the input task ID.",
        "the request body is not valid JSON",
    ),
    (
        "QueryAIMessageList",
        "Contextual information is associated with the input task ID.",
        "the request body is not valid JSON",
    ),
    (
        "TextToSpeechSSE",
        "TTS synthesis error mid-way",
        "the response is a server-sent event stream",
    ),
    (
        "TextToSpeechSSE",
        "Failed before TTS synthesis",
        "the response is an error example",
    ),
    (
        "TextToSpeechSSE",
        "TextToSpeechSSE",
        "the response is a server-sent event stream",
    ),
    (
        "DescribeTRTCMarketScaleMetricData",
        "DescribeTRTCMarketScaleMetricData",
        "the response does not match `DescribeTRTCMarketScaleMetricDataResponse`",
    ),
];

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

#[test]
fn the_committed_spec_is_the_pinned_definition() {
    let files = upstream::pinned(&root())
        .and_then(|f| f.service("trtc", "2019-07-22"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        files.iter().map(|(e, _)| *e).collect::<Vec<_>>(),
        Edition::ALL,
        "both editions publish TRTC 2019-07-22"
    );
    let (imported, report) =
        import_editions(&files, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let (committed, _) = tencentcloud_tests::trtc_spec();
    assert_eq!(report.actions, committed.actions.len());
    assert_eq!(report.shapes, imported.shapes.len());
    assert_eq!(report.error_codes, committed.errors.len());
    // Each edition's action count is the number of spec actions it publishes.
    let merge = report.editions.as_ref().expect("both editions merged");
    for (edition, n) in &merge.actions {
        let published = committed
            .actions
            .iter()
            .filter(|(_, a)| a.editions.is_empty() || a.editions.contains(edition))
            .count();
        assert_eq!(*n, published, "{edition}");
    }

    let mut unusable: Vec<(String, String, String)> = report
        .unusable
        .iter()
        .map(|u| (u.action.clone(), u.title.clone(), u.reason.clone()))
        .collect();
    unusable.sort();
    let mut known: Vec<_> = KNOWN_UNUSABLE.to_vec();
    known.sort();
    assert_eq!(
        unusable.len(),
        known.len(),
        "unusable examples changed:\n{report}"
    );
    for ((a, t, r), (ka, kt, kr)) in unusable.iter().zip(&known) {
        assert!(
            a == ka && t == kt && r.starts_with(kr),
            "unexpected unusable example {a} / {t:?}: {r}\n(known: {ka} / {kt:?}: {kr}...)"
        );
    }

    let mut merged = committed.clone();
    let notes = tencentcloud_codegen::upstream::import::merge(&mut merged, imported);
    assert!(
        notes.is_empty(),
        "the spec is behind the pinned definition: {notes:#?}"
    );
    assert_eq!(merged, committed, "a re-import changes the committed spec");
}

#[test]
fn another_service_imports_into_a_workspace_that_builds() {
    let files = upstream::pinned(&root())
        .and_then(|f| f.service("cvm", "2017-03-12"))
        .unwrap_or_else(|e| panic!("{e}"));
    let options = ImportOptions {
        actions: Some(vec![
            "DescribeInstances".to_owned(),
            "DescribeZones".to_owned(),
            "StartInstances".to_owned(),
        ]),
    };
    let (spec, report) = import_editions(&files, &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.actions, 3);
    assert!(
        report.error_codes > 100,
        "CVM's errorcodes.py: {}",
        report.error_codes
    );
    assert!(spec.errors.contains_key("InvalidInstanceId.NotFound"));

    let out = target_dir().join("import-cvm");
    let _ = std::fs::remove_dir_all(&out);
    let written = tencentcloud_codegen::workspace::write_workspace(
        &out,
        &spec,
        &root().join("spec/common-errors.json"),
        &root().join("crates/runtime"),
    )
    .unwrap();
    let paginator =
        std::fs::read_to_string(out.join("crates/cvm/src/operation/describe_instances.rs"))
            .unwrap();
    assert!(paginator.contains("pub struct DescribeInstancesPaginator"));
    assert!(paginator.contains("PageStyle::Offset"));
    // Same dependency versions as this workspace, no index lookups.
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = target_dir().join("import-target");
    let check = Command::new(&cargo)
        .args(["check", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo check");
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        check.status.success(),
        "the imported workspace failed:\n{stderr}"
    );
    assert!(
        !stderr.contains("warning:"),
        "the generated crates compile with warnings:\n{stderr}"
    );
    // Tencent's HTML descriptions became rustdoc that renders without a warning.
    let doc = Command::new(&cargo)
        .args(["doc", "--no-deps", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("run cargo doc");
    assert!(
        doc.status.success(),
        "rustdoc warns on the generated docs:\n{}",
        String::from_utf8_lossy(&doc.stderr)
    );
    eprintln!(
        "cvm: {} files, generation {:.0} ms",
        written.files.len(),
        written.generation.as_secs_f64() * 1000.0
    );
}
