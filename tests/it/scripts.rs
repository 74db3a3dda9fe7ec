//! Every script in `bench/` and `tests/` behaves like a command: `--help`
//! prints its usage and runs nothing, an unknown flag is a usage error (exit 2). Found by listing the directories, so a new script is
//! covered too.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tencentcloud_tests::{root, tools};

/// The scripts: Python and JavaScript files of `bench/`, `tests/python/`, `tests/node/`.
fn scripts() -> Vec<PathBuf> {
    let mut all = Vec::new();
    for dir in ["bench", "tests/python", "tests/node"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "py" || e == "js") {
                all.push(p);
            }
        }
    }
    all.sort();
    all
}

/// The script run with `args` by the interpreter that has what it imports
/// (Tencent's SDKs and libraries come from the environments the interop
/// tests install).
fn run(script: &Path, args: &[&str]) -> Output {
    let text = std::fs::read_to_string(script).unwrap();
    let mut cmd = if script.extension().is_some_and(|e| e == "py") {
        let python = if text.contains("import TLSSigAPIv2") {
            crate::interop_tls_sig::python_with_library()
        } else if text.contains("from tencentcloud") {
            crate::interop_python::python_with_sdk()
        } else {
            PathBuf::from(tools::require("python3", "PYTHON", "the scripts test"))
        };
        Command::new(python)
    } else {
        let mut c = Command::new(tools::require("node", "NODE", "the scripts test"));
        if text.contains("tencentcloud-sdk-nodejs") {
            c.env("NODE_PATH", crate::interop_node::node_modules_with_sdk());
        }
        c
    };
    cmd.arg(script).args(args).current_dir(root());
    cmd.output().unwrap()
}

#[test]
fn every_script_prints_usage_for_help_and_refuses_an_unknown_flag() {
    let all = scripts();
    assert!(all.iter().any(|s| s.ends_with("bench/run.py")), "{all:?}");
    for script in &all {
        let name = script.strip_prefix(root()).unwrap().display().to_string();
        let help = run(script, &["--help"]);
        let stdout = String::from_utf8_lossy(&help.stdout);
        assert!(
            help.status.success() && stdout.starts_with("usage:"),
            "{name} --help: {:?}\nstdout: {stdout}\nstderr: {}",
            help.status,
            String::from_utf8_lossy(&help.stderr)
        );
        let bad = run(script, &["--no-such-flag"]);
        let stderr = String::from_utf8_lossy(&bad.stderr);
        assert_eq!(
            bad.status.code(),
            Some(2),
            "{name} --no-such-flag: {stderr}"
        );
        // argparse names a missing argument before an unrecognized one; both
        // come with the usage.
        assert!(stderr.contains("usage"), "{name}: {stderr}");
    }
}
