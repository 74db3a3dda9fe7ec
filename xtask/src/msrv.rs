//! `cargo xtask msrv`: the declared minimum supported Rust version kept, as far
//! as one toolchain can tell. (Clippy's `incompatible_msrv` lint, run by CI
//! with `-D warnings`, catches standard-library APIs newer than it.) Here:
//! a scratch copy of the workspace, holding only the publishable crates,
//! gets a fresh lockfile from Cargo's MSRV-aware resolver
//! (`incompatible-rust-versions = "fallback"`); every dependency the crates
//! build with (normal and build dependencies, all features) must declare a
//! `rust-version` no newer than ours; and the crates must compile against
//! those (often older) dependency versions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::package::publishable;

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// `1.82` or `1.82.0` → (1, 82, 0).
fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let mut parts = v.trim().split('.').map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().flatten().unwrap_or(0);
    let patch = parts.next().flatten().unwrap_or(0);
    Some((major, minor, patch))
}

fn run_ok(cmd: &mut Command, what: &str) -> Result<Vec<u8>, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out.stdout)
}

/// The files of the repository (tracked and untracked, not ignored).
fn repo_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let out = run_ok(
        Command::new("git").arg("-C").arg(root).args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ]),
        "git ls-files",
    )?;
    Ok(out
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
        .collect())
}

/// Copies the repository's files into `to`, symbolic links as links.
fn copy_repo(root: &Path, to: &Path) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    if to.exists() {
        std::fs::remove_dir_all(to).map_err(|e| io(to, e))?;
    }
    for rel in repo_files(root)? {
        let (from, dest) = (root.join(&rel), to.join(&rel));
        let Ok(meta) = std::fs::symlink_metadata(&from) else {
            continue; // deleted but still tracked
        };
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&from).map_err(|e| io(&from, e))?;
            symlink(&target, &dest).map_err(|e| io(&dest, e))?;
        } else if meta.is_file() {
            std::fs::copy(&from, &dest).map_err(|e| io(&from, e))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    let resolved = link.parent().unwrap_or(Path::new(".")).join(target);
    if resolved.is_dir() {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    }
}

/// Rewrites the workspace's `members = [...]` to `members`.
fn restrict_members(manifest: &Path, members: &[String]) -> Result<(), String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let mut done = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if !done && l.trim_start().starts_with("members") {
                done = true;
                format!("members = [{}]", list.join(", "))
            } else {
                l.to_owned()
            }
        })
        .collect();
    if !done {
        return Err(format!("{}: no `members = [...]` line", manifest.display()));
    }
    std::fs::write(manifest, out.join("\n") + "\n")
        .map_err(|e| format!("{}: {e}", manifest.display()))
}

pub fn run(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    let crates = publishable(root)?;
    let declared: BTreeSet<&str> = crates.iter().map(|c| c.rust_version.as_str()).collect();
    let msrv = match declared.iter().collect::<Vec<_>>().as_slice() {
        [one] if !one.is_empty() => one.to_string(),
        _ => {
            let each: Vec<String> = crates
                .iter()
                .map(|c| format!("  {}: {:?}", c.name, c.rust_version))
                .collect();
            return Err(format!(
                "the publishable crates must declare one rust-version (`rust-version.workspace = true`):\n{}",
                each.join("\n")
            ));
        }
    };
    let msrv_v =
        parse_version(&msrv).ok_or_else(|| format!("rust-version {msrv:?} is not a version"))?;
    println!(
        "rust-version {msrv}, declared by {} publishable crates",
        crates.len()
    );

    let scratch = root.join("target").join("msrv-check");
    copy_repo(root, &scratch)?;
    let dirs: Vec<String> = crates
        .iter()
        .map(|c| {
            c.manifest_dir
                .strip_prefix(root)
                .unwrap_or(&c.manifest_dir)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    restrict_members(&scratch.join("Cargo.toml"), &dirs)?;
    let _ = std::fs::remove_file(scratch.join("Cargo.lock"));
    run_ok(
        cargo()
            .current_dir(&scratch)
            .arg("generate-lockfile")
            .env("CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS", "fallback"),
        "cargo generate-lockfile (MSRV-aware)",
    )?;
    let meta = run_ok(
        cargo().current_dir(&scratch).args([
            "metadata",
            "--format-version",
            "1",
            "--all-features",
            "--locked",
        ]),
        "cargo metadata",
    )?;
    let meta: Value = serde_json::from_slice(&meta)
        .map_err(|e| format!("cargo metadata: unreadable output: {e}"))?;
    let too_new = newer_dependencies(&meta, msrv_v)?;
    if !too_new.is_empty() {
        return Err(format!(
            "with Cargo's MSRV-aware resolver, dependencies of the publishable crates still need a newer Rust than {msrv} (no release of theirs within our requirement supports {msrv}):\n{}",
            too_new.join("\n")
        ));
    }
    println!("every dependency resolves to a release that supports Rust {msrv}");
    // Compile against those versions (check only: what `rustc` accepts).
    let mut check = cargo();
    check
        .current_dir(&scratch)
        .args(["check", "--workspace", "--all-features", "--locked"])
        // The project's target directory: dependencies at the same versions are
        // reused. (A member may get the same artifact names as the project's
        // own; harmless, the copy's sources being the same.)
        .env("CARGO_TARGET_DIR", root.join("target"));
    let status = check
        .status()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the publishable crates do not compile against the dependency versions the MSRV-aware resolver picks ({status})"
        ));
    }
    println!(
        "msrv: the publishable crates build with dependencies that support Rust {msrv} ({:.0} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Dependencies (normal and build, reached from the workspace members) whose
/// `rust-version` is newer than `msrv`, each with the member that needs it.
fn newer_dependencies(meta: &Value, msrv: (u64, u64, u64)) -> Result<Vec<String>, String> {
    let packages: BTreeMap<&str, &Value> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: BTreeMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .ok_or("cargo metadata: no resolve graph")?
        .iter()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<(&str, String)> = meta["workspace_members"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|id| (id, String::new()))
        .collect();
    while let Some((id, path)) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(p) = packages.get(id) else { continue };
        let name = format!(
            "{} {}",
            p["name"].as_str().unwrap_or("?"),
            p["version"].as_str().unwrap_or("?")
        );
        let path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} → {name}")
        };
        if let Some(v) = p["rust_version"].as_str() {
            if parse_version(v).is_some_and(|v| v > msrv) {
                out.push(format!("  {name} needs Rust {v} ({path})"));
            }
        }
        let Some(node) = nodes.get(id) else { continue };
        for dep in node["deps"].as_array().into_iter().flatten() {
            let used = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].as_str() != Some("dev"));
            if let (true, Some(dep_id)) = (used, dep["pkg"].as_str()) {
                stack.push((dep_id, path.clone()));
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("1.82"), Some((1, 82, 0)));
        assert_eq!(parse_version("1.85.1"), Some((1, 85, 1)));
        assert!(parse_version("1.82.0") > parse_version("1.81.9"));
        assert_eq!(parse_version("x"), None);
    }
}
