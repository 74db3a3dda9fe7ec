//! The change report of `cargo xtask update` checked by an independent tool:
//! cargo-semver-checks (pinned in `xtask/src/semver.rs`) on the generated crates at the
//! pinned definitions (tccli-intl-en 3.1.193.1) and at 3.1.150.1, both ways.
//! Each change the report calls breaking must be found by the tool, and each
//! breaking change the tool finds must be one the report names.
//!
//! Slow (the crates are documented four times) and needs the tool, which
//! `cargo xtask install cargo-semver-checks` installs into `target/ci-tools/`
//! (`cargo xtask semver` and `.ci/run` do it when it is missing). Then
//! `cargo test -p xtask --test semver -- --ignored --nocapture`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tencentcloud_codegen::model::{self, ServiceModel};
use tencentcloud_codegen::spec::{self, CommonErrors, Spec};
use tencentcloud_codegen::upstream;
use tencentcloud_codegen::upstream::diff::{self, Change, ChangeKind, Impact};

const CRATES: &str = "tencentcloud-trtc-model,tencentcloud-trtc-error,tencentcloud-trtc";
const SPEC: &str = "spec/trtc-2019-07-22.json";

/// Report changes the tool has no lint for (cargo-semver-checks 0.51 compares
/// items and signatures' shapes, not the type of a public field).
const TOOL_CANNOT_SEE: &[ChangeKind] = &[
    ChangeKind::TypeChanged,
    ChangeKind::RequiredChanged,
    ChangeKind::NullableChanged,
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root())
        .args(args)
        .env("CARGO_TARGET_DIR", upstream::target_dir(&root()))
        .output()
        .expect("run xtask")
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

/// A workspace of the runtime and the generated crates, as this repository has them.
fn scratch_workspace(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    for d in [
        "spec",
        "crates/runtime",
        "crates/trtc",
        "crates/trtc-model",
        "crates/trtc-error",
        "codegen/tests/specs",
    ] {
        copy_dir(&root().join(d), &dir.join(d));
    }
    for f in ["Cargo.lock", upstream::LOCK_FILE, "CHANGELOG.md"] {
        std::fs::copy(root().join(f), dir.join(f)).unwrap();
    }
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let manifest: Vec<String> = manifest
        .lines()
        .map(|l| {
            if l.starts_with("members") {
                r#"members = ["crates/runtime", "crates/trtc", "crates/trtc-model", "crates/trtc-error"]"#.to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect();
    std::fs::write(dir.join("Cargo.toml"), manifest.join("\n") + "\n").unwrap();
}

fn load(dir: &Path) -> (Spec, ServiceModel) {
    model::load(&dir.join(SPEC), SPEC, &dir.join("spec/common-errors.json")).unwrap()
}

/// What cargo-semver-checks found: each line of its "Failed in:" lists.
fn findings(output: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in output.lines() {
        if line.starts_with("Failed in:") {
            inside = true;
        } else if inside && line.starts_with("  ") && !line[2..].starts_with(' ') {
            // Items are indented by two spaces; Cargo-style status lines
            // ("     Checked", "    Checking") by more.
            out.push(line.trim().to_owned());
        } else {
            inside = false;
        }
    }
    out
}

/// The identifiers in a finding.
fn idents(finding: &str) -> BTreeSet<String> {
    finding
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `finding` is about `change` (names from the model in which the
/// changed item exists).
fn about(change: &Change, m: &ServiceModel, finding: &str) -> bool {
    let ids = idents(finding);
    let has = |s: &str| ids.contains(s);
    let shape = |wire: &str| m.shapes.iter().find(|s| s.wire == wire);
    let path = change.path.as_str();
    match change.kind {
        ChangeKind::ActionAdded | ChangeKind::ActionRemoved | ChangeKind::ActionChanged => {
            m.actions.iter().filter(|a| a.wire == path).any(|a| {
                [&a.method, &a.method_with, &a.fluent, &a.error, &a.meta]
                    .into_iter()
                    .any(|n| has(n))
                    || (a.paginator.is_some() && has(&a.paginator_type))
            })
        }
        ChangeKind::ShapeAdded | ChangeKind::ShapeRemoved | ChangeKind::ShapeKindChanged => {
            shape(path).is_some_and(|s| has(s.rust()) || has(&format!("{}Builder", s.rust())))
        }
        ChangeKind::MemberAdded | ChangeKind::MemberRemoved => {
            let Some((s, member)) = path.split_once('.') else {
                return false;
            };
            let Some(shape_index) = m.shapes.iter().position(|x| x.wire == s) else {
                return false;
            };
            let sm = &m.shapes[shape_index];
            let mut context = vec![sm.rust().to_owned(), format!("{}Builder", sm.rust())];
            context.extend(
                m.actions
                    .iter()
                    .filter(|a| a.input == shape_index)
                    .map(|a| a.fluent.clone()),
            );
            let model::ShapeBody::Struct(st) = &sm.body else {
                return false;
            };
            st.members.iter().filter(|mm| mm.wire == member).any(|mm| {
                (has(&mm.field) || has(&mm.setter) || has(&mm.set_setter))
                    && context.iter().any(|c| has(c))
            })
        }
        ChangeKind::ErrorCodeRemoved | ChangeKind::ErrorCodeAdded => {
            let code = path
                .rsplit_once(".errors.")
                .map_or_else(|| path.strip_prefix("errors.").unwrap_or(path), |(_, c)| c);
            m.codes
                .iter()
                .filter(|c| c.code == code)
                .any(|c| has(&c.variant))
        }
        ChangeKind::EnumValueAdded | ChangeKind::EnumValueRemoved => {
            let e = path.split('.').next().unwrap_or(path);
            shape(e).is_some_and(|s| has(s.rust()))
        }
        _ => false,
    }
}

struct Direction {
    name: &'static str,
    report: Vec<Change>,
    tool_failed: bool,
    findings: Vec<String>,
}

fn run_direction(
    name: &'static str,
    (base_dir, base): (&Path, &(Spec, ServiceModel)),
    (cur_dir, cur): (&Path, &(Spec, ServiceModel)),
    common: &CommonErrors,
) -> Direction {
    let report = diff::diff_with(&base.0, &cur.0, common);
    let out = xtask(&[
        "semver",
        "--baseline-root",
        base_dir.to_str().unwrap(),
        "--current-root",
        cur_dir.to_str().unwrap(),
        "--package",
        CRATES,
        "--release-type",
        "patch",
    ]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "=== {name}: cargo xtask semver ===\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        !text.contains("cannot run cargo-semver-checks") && !text.contains("cargo rustdoc of"),
        "{text}"
    );
    Direction {
        name,
        report: report.changes,
        tool_failed: !out.status.success(),
        findings: findings(&text),
    }
}

#[test]
#[ignore = "slow (documents the generated crates four times); needs cargo-semver-checks 0.51.0"]
fn cargo_semver_checks_agrees_with_the_change_report() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("semver-report");
    let (pinned_dir, old_dir) = (tmp.join("pinned"), tmp.join("old"));
    scratch_workspace(&pinned_dir);
    scratch_workspace(&old_dir);
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(&old_dir)
        .args(["update", "--to", "3.1.150.1"])
        .env("CARGO_TARGET_DIR", upstream::target_dir(&root()))
        .output()
        .unwrap();
    let text_report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text_report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("=== cargo xtask update --to 3.1.150.1 ===\n{text_report}");

    let common: CommonErrors = spec::read_json(&root().join("spec/common-errors.json")).unwrap();
    let (pinned, old) = (load(&pinned_dir), load(&old_dir));
    let back = run_direction(
        "3.1.193.1 → 3.1.150.1",
        (&pinned_dir, &pinned),
        (&old_dir, &old),
        &common,
    );
    let forward = run_direction(
        "3.1.150.1 → 3.1.193.1",
        (&old_dir, &old),
        (&pinned_dir, &pinned),
        &common,
    );
    // The report `update` printed is the one compared here.
    let breaking = back
        .report
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .count();
    assert!(
        text_report.contains(&format!("Semver: {breaking} breaking,")),
        "{text_report}"
    );

    let mut problems = Vec::new();
    for (d, base, cur) in [(&back, &pinned.1, &old.1), (&forward, &old.1, &pinned.1)] {
        let breaking: Vec<&Change> = d
            .report
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .collect();
        println!(
            "=== {}: {} breaking in the report, {} findings of the tool ===",
            d.name,
            breaking.len(),
            d.findings.len()
        );
        if breaking.is_empty() == d.tool_failed {
            problems.push(format!(
                "{}: the report says {}, the tool says {}",
                d.name,
                if breaking.is_empty() {
                    "compatible"
                } else {
                    "breaking"
                },
                if d.tool_failed {
                    "breaking"
                } else {
                    "compatible"
                }
            ));
        }
        // A removed item is named in the model that has it, an added one in the other.
        let names = |c: &Change, f: &str| about(c, base, f) || about(c, cur, f);
        for c in &breaking {
            let seen: Vec<&String> = d.findings.iter().filter(|f| names(c, f)).collect();
            println!(
                "report: {c}\n  tool: {}",
                if seen.is_empty() {
                    "-".to_owned()
                } else {
                    seen.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join("\n        ")
                }
            );
            if seen.is_empty() && !TOOL_CANNOT_SEE.contains(&c.kind) {
                problems.push(format!("{}: the tool does not report `{c}`", d.name));
            }
        }
        for f in &d.findings {
            if !breaking.iter().any(|c| names(c, f)) {
                problems.push(format!(
                    "{}: the report does not call breaking what the tool found: {f}",
                    d.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
