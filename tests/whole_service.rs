//! The whole TRTC service: import all of Tencent's published definition
//! (the pinned `tccli-intl-en`: 58 actions, 209 shapes, and the service's 105
//! error codes from `errorcodes.py`) into a scratch workspace, build it, and run every
//! usable documented example through the generated types. The examples the
//! importer reports unusable must be exactly the known ones below, so a new
//! failure cannot hide among them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use tencentcloud_codegen::import::{import_service, ImportOptions};
use tencentcloud_codegen::upstream;
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
];

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let p = entry.path();
        let name = entry.file_name().to_string_lossy().replace(".template", "");
        if p.is_dir() {
            copy_dir(&p, &to.join(&name));
        } else {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

#[test]
fn whole_trtc_service_imports_builds_and_runs_its_examples() {
    let files = upstream::pinned(&root())
        .and_then(|f| f.service("trtc", "2019-07-22"))
        .unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let (spec, report) =
        import_service(&files, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let import_time = started.elapsed();
    assert_eq!(report.actions, 58);
    assert_eq!(report.shapes, 209);
    assert_eq!(report.error_codes, 105);

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

    let out = target_dir().join("whole-trtc");
    let _ = std::fs::remove_dir_all(&out);
    let written = tencentcloud_codegen::workspace::write_workspace(
        &out,
        &spec,
        &root().join("spec/common-errors.json"),
        &root().join("crates/runtime"),
    )
    .unwrap();
    eprintln!(
        "import {:.0} ms, generation {:.0} ms (debug build of the generator)",
        import_time.as_secs_f64() * 1000.0,
        written.generation.as_secs_f64() * 1000.0
    );
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("whole_service/harness"),
        &out.join("harness"),
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    std::fs::write(
        out.join("Cargo.toml"),
        manifest.replace("members = [", "members = [\"harness\", "),
    )
    .unwrap();
    // Same dependency versions as this workspace, no index lookups.
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["test", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .args(["-p", "examples-harness", "--", "--nocapture"])
        .env("CARGO_TARGET_DIR", target_dir().join("whole-trtc-target"))
        .env("SPEC_FILE", &written.spec_path)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the scratch workspace failed:\n{stdout}\n{stderr}"
    );
    assert!(
        !stderr.contains("warning:"),
        "the generated crates compile with warnings:\n{stderr}"
    );
    let passed: usize = stdout
        .lines()
        .find_map(|l| l.strip_prefix("examples passed: "))
        .unwrap_or_else(|| panic!("no count in:\n{stdout}"))
        .trim()
        .parse()
        .unwrap();
    assert_eq!(passed, report.examples_used);

    // Tencent's HTML descriptions became rustdoc that renders without a warning.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let doc = Command::new(cargo)
        .args(["doc", "--no-deps", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .args([
            "-p",
            "tencentcloud-trtc-model",
            "-p",
            "tencentcloud-trtc-error",
            "-p",
            "tencentcloud-trtc",
        ])
        .env("CARGO_TARGET_DIR", target_dir().join("whole-trtc-target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("run cargo doc");
    assert!(
        doc.status.success(),
        "rustdoc warns on the generated docs:\n{}",
        String::from_utf8_lossy(&doc.stderr)
    );
    eprintln!(
        "whole TRTC: {} actions, {} shapes; {passed} documented examples passed, {} reported unusable",
        report.actions,
        report.shapes,
        report.unusable.len()
    );
    for u in &report.unusable {
        eprintln!("  unusable: {u}");
    }
}
