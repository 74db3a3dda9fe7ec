//! Running the official SDKs and libraries the interop tests compare against:
//! installing them (pinned) into `target/` on first use, and running their
//! scripts. Everything fails loudly, naming what is missing: these tests
//! never skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tencentcloud_codegen::install;

/// The target directory (`CARGO_TARGET_DIR`, else `target/` of the repository).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"))
}

/// Runs `cmd`; panics with its output unless it succeeds. Returns stdout.
pub fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The program named by `env_var`, else `default`; panics naming `purpose`
/// when it cannot be run.
pub fn require(default: &str, env_var: &str, purpose: &str) -> String {
    let program = std::env::var(env_var).unwrap_or_else(|_| default.to_owned());
    if let Err(e) = Command::new(&program).arg("--version").output() {
        panic!(
            "`{program}` is required by {purpose} and could not be run ({e}); install it, \
             or set {env_var} to another"
        );
    }
    program
}

/// A virtual environment under `target/<name>` with `packages` (pinned
/// `name==version` requirements) installed from PyPI on first use; returns
/// its python. Installed once however many tests (threads or processes) ask
/// at the same time (`tencentcloud_codegen::install`).
pub fn python_venv(name: &str, packages: &[&str], purpose: &str) -> PathBuf {
    let python = require("python3", "PYTHON", purpose);
    install::python_venv(&target_dir().join(name), python.as_ref(), packages)
        .unwrap_or_else(|e| panic!("{purpose}: {e}"))
}

/// npm `package@version` installed under `target/<name>` on first use (once,
/// like [`python_venv`]); returns its `node_modules` directory.
pub fn npm_install(name: &str, package: &str, version: &str, purpose: &str) -> PathBuf {
    let npm = require("npm", "NPM", purpose);
    install::npm_package(&target_dir().join(name), npm.as_ref(), package, version)
        .unwrap_or_else(|e| panic!("{purpose}: {e}"))
}

/// One JSON value per line of a script's output.
pub fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

/// The line whose `key` is `value`.
pub fn line<'a>(all: &'a [Value], key: &str, value: &str) -> &'a Value {
    all.iter()
        .find(|s| s[key] == value)
        .unwrap_or_else(|| panic!("no {key} {value} in {all:#?}"))
}

/// The tests' own directory (scripts live in `python/` and `node/`).
pub fn tests_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The steps an official SDK's interop script prints for the transcription
/// lifecycle: create, describe and delete succeed, a describe after the delete
/// is `ResourceNotFound`, and all three with a wrong key are
/// `AuthFailure.SignatureFailure`. Returns the TaskId.
pub fn assert_sdk_lifecycle(all: &[Value]) -> String {
    let step = |name: &str| line(all, "step", name);
    let create = step("create");
    assert_eq!(create["ok"], true, "{create}");
    let task_id = create["response"]["TaskId"].as_str().unwrap().to_owned();
    assert_eq!(create["response"]["RequestId"].as_str().unwrap().len(), 36);

    let describe = step("describe");
    assert_eq!(describe["ok"], true, "{describe}");
    assert_eq!(describe["response"]["TaskId"], task_id.as_str());
    assert_eq!(describe["response"]["Status"], "InProgress");
    assert!(describe["response"]["StartTime"].as_u64().unwrap() > 1_700_000_000_000);

    let delete = step("delete");
    assert_eq!(delete["ok"], true, "{delete}");
    assert_eq!(delete["response"]["TaskId"], task_id.as_str());

    let gone = step("describe_after_delete");
    assert_eq!(gone["ok"], false);
    assert_eq!(gone["code"], "ResourceNotFound", "{gone}");

    for name in ["create_wrong_key", "describe_wrong_key", "delete_wrong_key"] {
        let s = step(name);
        assert_eq!(s["ok"], false, "{s}");
        assert_eq!(s["code"], "AuthFailure.SignatureFailure", "{s}");
        assert_eq!(s["request_id"].as_str().unwrap().len(), 36, "{s}");
    }
    task_id
}
