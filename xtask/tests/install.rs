//! The one install helper (`tencentcloud_codegen::install`, also behind
//! `cargo xtask install`) under concurrency: threads of this process and other
//! processes ask for the same Python virtual environment at once and all get
//! one working interpreter, installed once; an install killed halfway is
//! redone on the next request, never used.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tencentcloud_codegen::install::{self, LOG};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tc-install-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn xtask_install_python(venv: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xtask"));
    c.args(["install", "python", "--dir"]).arg(venv);
    c
}

/// The log lines of `what` (`start`, `wipe`, `done`) for the install `name`.
fn logged(dir: &Path, what: &str, name: &str) -> usize {
    let log = std::fs::read_to_string(dir.join(LOG)).unwrap_or_default();
    log.lines()
        .filter(|l| l.contains(&format!(" {what} {name} ")))
        .count()
}

/// The interpreter runs, is the environment's own, and has pip.
fn assert_works(python: &Path, venv: &Path) {
    let out = Command::new(python)
        .args(["-c", "import sys; print(sys.prefix)"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        Path::new(String::from_utf8_lossy(&out.stdout).trim())
            .canonicalize()
            .unwrap(),
        venv.canonicalize().unwrap()
    );
    let pip = Command::new(python)
        .args(["-m", "pip", "--version"])
        .output()
        .unwrap();
    assert!(pip.status.success(), "{pip:?}");
}

#[test]
fn threads_and_processes_get_one_interpreter_installed_once() {
    let dir = scratch("race");
    let venv = dir.join("env");
    // Two other processes ask at the same time as six threads of this one.
    let others: Vec<_> = (0..2)
        .map(|_| {
            xtask_install_python(&venv)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let here: Vec<PathBuf> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| s.spawn(|| install::python_venv(&venv, "python3".as_ref(), &[]).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all = here;
    for child in others {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        all.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    }
    assert_eq!(all.len(), 8);
    assert!(all.iter().all(|p| *p == all[0]), "{all:?}");
    assert_works(&all[0], &venv);
    assert_eq!(logged(&dir, "start", "env"), 1);
    assert_eq!(logged(&dir, "done", "env"), 1);
}

#[test]
fn an_install_killed_halfway_is_redone_not_used() {
    let dir = scratch("killed");
    let venv = dir.join("env");
    let halfway = dir.join("halfway");
    // A python that creates the environment, says so with its pid, then
    // hangs before the install goes on: the moment to kill it.
    let slow = dir.join("slow-python");
    std::fs::write(
        &slow,
        "#!/bin/sh\npython3 \"$@\" || exit 1\necho $$ > \"$HALFWAY.tmp\" && mv \"$HALFWAY.tmp\" \"$HALFWAY\"\nexec tail -f /dev/null\n",
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&slow).status().unwrap();
    let mut child = xtask_install_python(&venv)
        .arg("--python")
        .arg(&slow)
        .env("HALFWAY", &halfway)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Poll, with a deadline, for the environment to be half made.
    let deadline = Instant::now() + Duration::from_secs(120);
    let python_pid = loop {
        if let Ok(pid) = std::fs::read_to_string(&halfway) {
            break pid.trim().to_owned();
        }
        assert!(Instant::now() < deadline, "the install never got halfway");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the install ended early"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        install::venv_python(&venv).exists(),
        "the environment is half made"
    );
    assert!(!install::is_installed(&venv, "python venv: "));
    child.kill().unwrap();
    child.wait().unwrap();
    Command::new("kill")
        .args(["-9", &python_pid])
        .status()
        .unwrap();
    assert_eq!(logged(&dir, "start", "env"), 1);
    assert_eq!(logged(&dir, "done", "env"), 0);

    // The next request does not take the half-made environment: it wipes it
    // and installs again.
    let python = install::python_venv(&venv, "python3".as_ref(), &[]).unwrap();
    assert_works(&python, &venv);
    assert_eq!(logged(&dir, "wipe", "env"), 1);
    assert_eq!(logged(&dir, "start", "env"), 2);
    assert_eq!(logged(&dir, "done", "env"), 1);
    // And it is finished now: asking again installs nothing.
    install::python_venv(&venv, "python3".as_ref(), &[]).unwrap();
    assert_eq!(logged(&dir, "start", "env"), 2);
}
