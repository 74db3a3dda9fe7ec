//! `cargo xtask semver`: cargo-semver-checks on the publishable crates against
//! a baseline (a git revision, or another checkout), on rustdoc JSON built
//! here with one target directory per side, the current side sharing the
//! project's. (`cargo semver-checks --workspace --baseline-rev` builds each
//! crate's documentation, both sides, in a target directory of its own,
//! compiling every dependency again for each: many times slower.)

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::package::{publishable, Crate};

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// What to compare.
pub struct Options {
    /// A git revision of this repository whose crates are the baseline.
    pub baseline_rev: Option<String>,
    /// A workspace whose crates are the baseline.
    pub baseline_root: Option<PathBuf>,
    /// The workspace checked (default: this repository).
    pub current_root: Option<PathBuf>,
    /// Only these crates (default: every publishable crate of the current workspace).
    pub packages: Vec<String>,
    /// `major`, `minor` or `patch`: the release to check for, instead of the
    /// one the versions imply.
    pub release_type: Option<String>,
}

/// One crate's verdict.
#[derive(Debug)]
pub struct Verdict {
    pub name: String,
    /// Whether cargo-semver-checks found the release type violated.
    pub failed: bool,
    /// Its full output.
    pub output: String,
}

fn io(p: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", p.display())
}

/// The target directory for the workspace at `root`: `work/target-<hash of its path>`.
fn target_for(work: &Path, root: &Path) -> PathBuf {
    let path = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // FNV-1a: stable across runs and toolchains.
    let hash = path
        .to_string_lossy()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    work.join(format!("target-{hash:016x}"))
}

/// Builds `package`'s rustdoc JSON in the workspace at `root` and copies it to `out`.
fn rustdoc_json(root: &Path, target: &Path, package: &Crate, out: &Path) -> Result<(), String> {
    let status = cargo()
        .arg("rustdoc")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args([
            "--package",
            &package.name,
            "--lib",
            "--all-features",
            "--quiet",
        ])
        .args(["--", "-Zunstable-options", "--output-format", "json"])
        // What cargo-semver-checks itself does: rustdoc's JSON output is unstable.
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", target)
        .status()
        .map_err(|e| format!("cannot run cargo rustdoc: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cargo rustdoc of {} in {} failed ({status})",
            package.name,
            root.display()
        ));
    }
    let built = target
        .join("doc")
        .join(format!("{}.json", package.name.replace('-', "_")));
    std::fs::copy(&built, out).map_err(|e| io(&built, e))?;
    Ok(())
}

/// The cargo-semver-checks this project pins.
pub const SEMVER_CHECKS_VERSION: &str = "0.51.0";

/// The pinned cargo-semver-checks: the one on PATH if it is that version,
/// else installed once into `target/ci-tools/` (with the shared install
/// helper: concurrent runs wait for one install, a killed one is redone).
pub fn semver_checks(root: &Path) -> Result<PathBuf, String> {
    let want = format!("cargo-semver-checks {SEMVER_CHECKS_VERSION}");
    let on_path = Command::new("cargo-semver-checks")
        .args(["semver-checks", "--version"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if on_path.as_deref() == Some(want.as_str()) {
        return Ok(PathBuf::from("cargo-semver-checks"));
    }
    let dest = tencentcloud_codegen::upstream::target_dir(root)
        .join("ci-tools")
        .join(format!("cargo-semver-checks-{SEMVER_CHECKS_VERSION}"));
    // Built at opt-level 1 without LTO: the build is several times faster
    // and the checks still take seconds.
    let bin = tencentcloud_codegen::install::cargo_install(
        &dest,
        "cargo-semver-checks",
        SEMVER_CHECKS_VERSION,
        &[
            ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"),
            ("CARGO_PROFILE_RELEASE_LTO", "off"),
            ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
            ("CARGO_PROFILE_RELEASE_DEBUG", "0"),
        ],
    )
    .map_err(|e| format!("installing cargo-semver-checks {SEMVER_CHECKS_VERSION}: {e}"))?;
    Ok(bin.join("cargo-semver-checks"))
}

/// Checks every crate; the verdicts, in dependency order.
pub fn check(root: &Path, options: &Options) -> Result<Vec<Verdict>, String> {
    let work = root.join("target").join("semver");
    let baseline = match (&options.baseline_rev, &options.baseline_root) {
        (Some(rev), None) => {
            let dir = work.join("baseline-src");
            let marker = dir.join(".xtask-semver-rev");
            if std::fs::read_to_string(&marker).is_ok_and(|r| r == *rev) {
                return check_against(root, options, &work, dir);
            }
            if dir.exists() {
                std::fs::remove_dir_all(&dir).map_err(|e| io(&dir, e))?;
            }
            std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
            let archive = Command::new("git")
                .arg("-C")
                .arg(root)
                .args(["archive", "--format=tar", rev])
                .output()
                .map_err(|e| format!("cannot run git archive: {e}"))?;
            if !archive.status.success() {
                return Err(format!(
                    "git archive {rev}: {} (is the baseline revision in this clone's history?)",
                    String::from_utf8_lossy(&archive.stderr).trim()
                ));
            }
            let tar = dir.join("baseline.tar");
            std::fs::write(&tar, &archive.stdout).map_err(|e| io(&tar, e))?;
            // `-m`: the files get the time of unpacking (git archive gives the
            // commit's), so Cargo never takes another revision's artifacts for fresh.
            let status = Command::new("tar")
                .arg("-xmf")
                .arg(&tar)
                .arg("-C")
                .arg(&dir)
                .status()
                .map_err(|e| format!("cannot run tar: {e}"))?;
            if !status.success() {
                return Err(format!("cannot unpack the baseline {rev} ({status})"));
            }
            std::fs::remove_file(&tar).map_err(|e| io(&tar, e))?;
            std::fs::write(&marker, rev).map_err(|e| io(&marker, e))?;
            dir
        }
        (None, Some(dir)) => dir.clone(),
        _ => return Err("give one baseline: --baseline-rev REV or --baseline-root DIR".to_owned()),
    };
    check_against(root, options, &work, baseline)
}

fn check_against(
    root: &Path,
    options: &Options,
    work: &Path,
    baseline: PathBuf,
) -> Result<Vec<Verdict>, String> {
    let started = Instant::now();
    let current = options
        .current_root
        .clone()
        .unwrap_or_else(|| root.to_path_buf());
    let mut crates = publishable(&current)?;
    if !options.packages.is_empty() {
        crates.retain(|c| options.packages.contains(&c.name));
        if crates.len() != options.packages.len() {
            return Err(format!(
                "not all of {} are publishable crates of {}",
                options.packages.join(", "),
                current.display()
            ));
        }
    }
    let in_baseline: Vec<String> = publishable(&baseline)?
        .into_iter()
        .map(|c| c.name)
        .collect();
    // One target directory per side: Cargo gives a workspace member the same
    // artifact names wherever its workspace is, so two checkouts sharing one
    // would document against each other's dependencies. The current side, when
    // it is this repository, shares the project's.
    // Cargo judges a member's artifacts fresh by the mtimes of its sources, so a
    // target directory must also never serve two checkouts in turn: one per
    // checkout, named after its path.
    let current_target = if options.current_root.is_none() {
        root.join("target")
    } else {
        target_for(work, &current)
    };
    let baseline_target = target_for(work, &baseline);
    let (cur_dir, base_dir) = (work.join("current"), work.join("baseline"));
    for d in [&cur_dir, &base_dir] {
        std::fs::create_dir_all(d).map_err(|e| io(d, e))?;
    }
    let program = semver_checks(root)?;
    let mut verdicts = Vec::new();
    for c in &crates {
        if !in_baseline.contains(&c.name) {
            println!("{}: new since the baseline, nothing to compare", c.name);
            continue;
        }
        let (cur, base) = (
            cur_dir.join(format!("{}.json", c.name)),
            base_dir.join(format!("{}.json", c.name)),
        );
        rustdoc_json(&current, &current_target, c, &cur)?;
        rustdoc_json(&baseline, &baseline_target, c, &base)?;
        let mut cmd = Command::new(&program);
        cmd.arg("semver-checks");
        cmd.arg("--current-rustdoc")
            .arg(&cur)
            .arg("--baseline-rustdoc")
            .arg(&base)
            .args(["--color", "never"]);
        if let Some(t) = &options.release_type {
            cmd.args(["--release-type", t]);
        }
        let out = cmd.output().map_err(|e| {
            format!(
                "cannot run cargo-semver-checks (`cargo xtask install cargo-semver-checks`): {e}"
            )
        })?;
        let output = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let summary = output
            .lines()
            .find(|l| l.trim_start().starts_with("Summary"))
            .unwrap_or("(no summary)")
            .trim()
            .to_owned();
        println!("{}: {summary}", c.name);
        verdicts.push(Verdict {
            name: c.name.clone(),
            failed: !out.status.success(),
            output,
        });
    }
    println!(
        "semver: {} crates checked against {} in {:.0} s",
        verdicts.len(),
        options
            .baseline_rev
            .clone()
            .unwrap_or_else(|| baseline.display().to_string()),
        started.elapsed().as_secs_f64()
    );
    Ok(verdicts)
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let verdicts = check(root, options)?;
    let failed: Vec<&Verdict> = verdicts.iter().filter(|v| v.failed).collect();
    if failed.is_empty() {
        return Ok(());
    }
    for v in &failed {
        eprintln!("\n--- {} ---\n{}", v.name, v.output);
    }
    let names: Vec<&str> = failed.iter().map(|v| v.name.as_str()).collect();
    Err(format!(
        "the public API of {} changed more than their versions say (see above): bump the version, or undo the change",
        names.join(", ")
    ))
}
