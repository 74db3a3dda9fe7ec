//! Writes an imported service as a self-contained Cargo workspace: the spec,
//! the common errors, the generated crates, and a workspace manifest, with the
//! runtime crate referenced by path.

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use crate::spec::{self, Spec};
use crate::{generate_from_files, ManifestOptions, ServiceModel};

/// What [`write_workspace`] wrote.
#[derive(Debug)]
pub struct Written {
    /// The spec file.
    pub spec_path: PathBuf,
    /// Every file written.
    pub files: Vec<PathBuf>,
    /// The resolved service.
    pub model: ServiceModel,
    /// Time spent validating, resolving, emitting and formatting.
    pub generation: Duration,
}

/// An absolute, `..`-free version of `p` (lexically; the path need not exist).
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The relative path from directory `from` to `to` (both made absolute).
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    let (from, to) = (absolute(from), absolute(to));
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// Writes `spec` and its generated crates under `out`, copying `common_errors`
/// and pointing the crates at the runtime crate in `runtime_dir`.
pub fn write_workspace(
    out: &Path,
    spec: &Spec,
    common_errors: &Path,
    runtime_dir: &Path,
) -> Result<Written, String> {
    let io = |what: &Path, e: std::io::Error| format!("{}: {e}", what.display());
    let spec_dir = out.join("spec");
    std::fs::create_dir_all(&spec_dir).map_err(|e| io(&spec_dir, e))?;
    let spec_path = spec_dir.join(format!(
        "{}-{}.json",
        spec.service.name, spec.service.version
    ));
    std::fs::write(&spec_path, spec::to_json(spec)).map_err(|e| io(&spec_path, e))?;
    let common_path = spec_dir.join("common-errors.json");
    std::fs::copy(common_errors, &common_path).map_err(|e| io(common_errors, e))?;
    let probe = out.join("crates").join("x");
    let options = ManifestOptions {
        runtime_path: relative(&probe, runtime_dir)
            .to_string_lossy()
            .replace('\\', "/"),
        ..ManifestOptions::default()
    };
    let started = Instant::now();
    let (model, files) =
        generate_from_files(&spec_path, &common_path, out, &options).map_err(|e| e.to_string())?;
    let generation = started.elapsed();
    let mut written = vec![spec_path.clone(), common_path];
    for f in &files {
        let path = out.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        std::fs::write(&path, &f.contents).map_err(|e| io(&path, e))?;
        written.push(path);
    }
    let names = model.crate_names();
    let manifest = out.join("Cargo.toml");
    let package = inherited_package(runtime_dir)?;
    std::fs::write(
        &manifest,
        format!(
            "# Written by `cargo xtask import`.\n[workspace]\nresolver = \"2\"\nmembers = [\"crates/{}\", \"crates/{}\", \"crates/{}\"]\n\n[workspace.package]\n{package}",
            names.model_dir, names.error_dir, names.client_dir
        ),
    )
    .map_err(|e| io(&manifest, e))?;
    written.push(manifest);
    Ok(Written {
        spec_path,
        files: written,
        model,
        generation,
    })
}

/// The fields generated manifests inherit (`edition`, `rust-version`,
/// `license`, `repository`), as the runtime's workspace sets them in its
/// `[workspace.package]`: a written workspace states them the same way.
fn inherited_package(runtime_dir: &Path) -> Result<String, String> {
    let runtime_dir = absolute(runtime_dir);
    let Some(manifest) = runtime_dir
        .ancestors()
        .skip(1)
        .map(|d| d.join("Cargo.toml"))
        .find(|m| {
            std::fs::read_to_string(m).is_ok_and(|t| t.lines().any(|l| l.trim() == "[workspace]"))
        })
    else {
        return Err(format!(
            "{}: no workspace manifest above the runtime crate (its [workspace.package] gives the generated crates' edition, rust-version, license and repository)",
            runtime_dir.display()
        ));
    };
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut section = false;
    let mut out = String::new();
    let mut missing: Vec<&str> = INHERITED.to_vec();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t == "[workspace.package]";
            continue;
        }
        let key = t.split('=').next().unwrap_or("").trim();
        if section && INHERITED.contains(&key) {
            out.push_str(t);
            out.push('\n');
            missing.retain(|k| *k != key);
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "{}: [workspace.package] lacks {} (the generated crates inherit it)",
            manifest.display(),
            missing.join(", ")
        ));
    }
    Ok(out)
}

/// The `[package]` fields generated manifests take from their workspace.
const INHERITED: [&str; 4] = ["edition", "rust-version", "license", "repository"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/a/b/c"), Path::new("/a/x")),
            PathBuf::from("../../x")
        );
        assert_eq!(
            relative(Path::new("/a"), Path::new("/a/b")),
            PathBuf::from("b")
        );
        assert_eq!(
            relative(Path::new("/a/./b/../c"), Path::new("/a/c/d")),
            PathBuf::from("d")
        );
    }
}
