//! `cargo xtask package`: every publishable crate of the workspace (each
//! member not marked `publish = false`, found with `cargo metadata`) checked
//! for complete crates.io metadata, then packaged with `cargo package` and
//! verified from its `.crate`, not from the paths of this checkout.
//!
//! Verification, by default: the `.crate` files are unpacked side by side
//! into a scratch workspace under `target/`, each crate's dependencies on the
//! others resolved to the unpacked packages (`[patch.crates-io]`, as if they
//! had been published), and `cargo check --all-features` compiles them all
//! with the project's target directory and profiles, so CI reuses what it
//! already compiled. `--full` instead lets `cargo package` verify (a full
//! `cargo build` of each package in dependency order against the packages
//! before it, with every dependency rebuilt for the packaged manifests): the
//! same question, answered with a complete build, for release time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

/// A publishable workspace member.
#[derive(Debug)]
pub struct Crate {
    pub name: String,
    pub version: String,
    /// Its `rust-version` ("" when it has none).
    pub rust_version: String,
    /// The directory of its `Cargo.toml`.
    pub manifest_dir: std::path::PathBuf,
    /// Other publishable members it depends on (normal and build dependencies).
    pub deps: BTreeSet<String>,
    /// The metadata crates.io and docs.rs show that it lacks.
    pub missing: Vec<&'static str>,
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The publishable members of the workspace at `root`, in dependency order
/// (each after the members it depends on; ties by name).
pub fn publishable(root: &Path) -> Result<Vec<Crate>, String> {
    let out = cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cargo metadata: unreadable output: {e}"))?;
    let packages = meta["packages"].as_array().cloned().unwrap_or_default();
    // `publish`: null = anywhere; [] = `publish = false`.
    let is_publishable = |p: &Value| p["publish"].as_array().is_none_or(|r| !r.is_empty());
    let names: BTreeSet<String> = packages
        .iter()
        .filter(|p| is_publishable(p))
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    let mut crates: BTreeMap<String, Crate> = BTreeMap::new();
    for p in packages.iter().filter(|p| is_publishable(p)) {
        let name = p["name"].as_str().unwrap_or_default().to_owned();
        let deps = p["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["kind"].as_str() != Some("dev"))
            .filter_map(|d| d["name"].as_str())
            .filter(|d| names.contains(*d))
            .map(str::to_owned)
            .collect();
        crates.insert(
            name.clone(),
            Crate {
                version: p["version"].as_str().unwrap_or_default().to_owned(),
                rust_version: p["rust_version"].as_str().unwrap_or_default().to_owned(),
                manifest_dir: Path::new(p["manifest_path"].as_str().unwrap_or_default())
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
                name,
                deps,
                missing: missing_metadata(p),
            },
        );
    }
    let mut ordered = Vec::new();
    while !crates.is_empty() {
        let ready: Vec<String> = crates
            .values()
            .filter(|c| c.deps.iter().all(|d| !crates.contains_key(d)))
            .map(|c| c.name.clone())
            .collect();
        if ready.is_empty() {
            let left: Vec<&str> = crates.keys().map(String::as_str).collect();
            return Err(format!("a dependency cycle among {}", left.join(", ")));
        }
        for name in ready {
            ordered.extend(crates.remove(&name));
        }
    }
    Ok(ordered)
}

/// The fields of `package` (from `cargo metadata`) a published crate needs and lacks.
fn missing_metadata(package: &Value) -> Vec<&'static str> {
    let text = |k: &str| package[k].as_str().is_some_and(|s| !s.trim().is_empty());
    let list = |k: &str| package[k].as_array().is_some_and(|a| !a.is_empty());
    let mut missing = Vec::new();
    for (field, present) in [
        ("description", text("description")),
        ("license", text("license") || text("license_file")),
        ("repository", text("repository")),
        ("documentation", text("documentation")),
        ("readme", text("readme")),
        ("keywords", list("keywords")),
        ("categories", list("categories")),
        (
            "[package.metadata.docs.rs]",
            package["metadata"]["docs"]["rs"].is_object(),
        ),
        ("rust-version", text("rust_version")),
    ] {
        if !present {
            missing.push(field);
        }
    }
    missing
}

/// What `cargo xtask package` was asked to do.
pub struct Options {
    /// Package uncommitted changes too (`cargo package --allow-dirty`).
    pub allow_dirty: bool,
    /// Only check the metadata and assemble the packages; build none.
    pub no_verify: bool,
    /// Let `cargo package` verify (a full build of each package).
    pub full: bool,
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let crates = publishable(root)?;
    let incomplete: Vec<String> = crates
        .iter()
        .filter(|c| !c.missing.is_empty())
        .map(|c| format!("  {}: {}", c.name, c.missing.join(", ")))
        .collect();
    if !incomplete.is_empty() {
        return Err(format!(
            "publishable crates lack metadata crates.io or docs.rs shows (add it, or mark the crate `publish = false`):\n{}",
            incomplete.join("\n")
        ));
    }
    println!("publishable crates, in dependency order:");
    for c in &crates {
        let deps: Vec<&str> = c.deps.iter().map(String::as_str).collect();
        if deps.is_empty() {
            println!("  {} {}", c.name, c.version);
        } else {
            println!("  {} {} (after {})", c.name, c.version, deps.join(", "));
        }
    }
    let started = Instant::now();
    let mut cmd = cargo();
    cmd.arg("package")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"));
    for c in &crates {
        cmd.args(["--package", &c.name]);
    }
    if options.allow_dirty {
        cmd.arg("--allow-dirty");
    }
    if options.no_verify || !options.full {
        cmd.arg("--no-verify");
    }
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run cargo package: {e}"))?;
    if !status.success() {
        return Err(format!("cargo package failed ({status})"));
    }
    let package_dir = target_dir(root).join("package");
    let mut files = Vec::new();
    for c in &crates {
        let file = package_dir.join(format!("{}-{}.crate", c.name, c.version));
        let size = std::fs::metadata(&file)
            .map_err(|e| format!("{}: {e}", file.display()))?
            .len();
        println!("  {} ({} KiB)", file.display(), size.div_ceil(1024));
        files.push(file);
    }
    let packaged = started.elapsed();
    let how = if options.no_verify {
        "not verified"
    } else if options.full {
        "verified by cargo package: a full build of each"
    } else {
        verify_unpacked(root, &crates, &files)?;
        "verified by cargo check of the unpacked packages"
    };
    println!(
        "packaged {} crates in {:.0} s ({how}; {:.0} s in all)",
        crates.len(),
        packaged.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    let repository = workspace_repository(root);
    if repository.contains(".invalid") {
        println!(
            "note: the repository URL is a placeholder ({repository}): set `repository` in [workspace.package] of Cargo.toml before publishing"
        );
    }
    Ok(())
}

/// Unpacks `files` (the `.crate` of each of `crates`) into a scratch workspace
/// whose crates depend on each other as if published, and compiles them.
fn verify_unpacked(
    root: &Path,
    crates: &[Crate],
    files: &[std::path::PathBuf],
) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let dir = target_dir(root).join("package-check");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| io(&dir, e))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    let mut members = Vec::new();
    let mut patches = String::new();
    for (c, file) in crates.iter().zip(files) {
        // `-m`: the files get the time of unpacking, so Cargo never takes
        // artifacts of an earlier run for fresh.
        let status = Command::new("tar")
            .arg("-xzmf")
            .arg(file)
            .arg("-C")
            .arg(&dir)
            .status()
            .map_err(|e| format!("cannot run tar: {e}"))?;
        if !status.success() {
            return Err(format!("cannot unpack {} ({status})", file.display()));
        }
        let unpacked = format!("{}-{}", c.name, c.version);
        patches.push_str(&format!("{} = {{ path = {:?} }}\n", c.name, unpacked));
        members.push(format!("{unpacked:?}"));
    }
    // The project's profiles, so that dependencies compiled for the project are reused.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| io(root, e))?;
    let profiles = toml_sections(&manifest, "[profile");
    let workspace = format!(
        "# Written by `cargo xtask package`: the packaged crates, depending on each other as if published.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[patch.crates-io]\n{patches}\n{profiles}",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), workspace).map_err(|e| io(&dir, e))?;
    // The project's lockfile: the same dependency versions as the project's own build.
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    println!(
        "verifying: cargo check --workspace --all-features in {}",
        dir.display()
    );
    let status = cargo()
        .current_dir(&dir)
        .args(["check", "--workspace", "--all-features"])
        .env("CARGO_TARGET_DIR", target_dir(root))
        .status()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the packaged crates do not build from their packages ({status}); see above"
        ));
    }
    Ok(())
}

/// The TOML sections of `text` whose header starts with `prefix`, verbatim.
fn toml_sections(text: &str, prefix: &str) -> String {
    let mut out = String::new();
    let mut keep = false;
    for line in text.lines() {
        if line.starts_with('[') {
            keep = line.starts_with(prefix);
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Cargo's target directory for the workspace at `root`.
fn target_dir(root: &Path) -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .map(|d| if d.is_absolute() { d } else { root.join(d) })
        .unwrap_or_else(|| root.join("target"))
}

/// `repository` of `[workspace.package]` in the root manifest ("" when absent).
fn workspace_repository(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
    let mut section = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line == "[workspace.package]";
        } else if section {
            if let Some(v) = line.strip_prefix("repository") {
                if let Some(v) = v.trim().strip_prefix('=') {
                    return v.trim().trim_matches('"').to_owned();
                }
            }
        }
    }
    String::new()
}
