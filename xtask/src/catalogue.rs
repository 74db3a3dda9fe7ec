//! `cargo xtask catalogue [--check]`: every service version of both pinned
//! editions imported and generated (in memory), with failures named and the
//! time taken; with `--check`, a sample (the largest service of each edition
//! and the shipped TRTC spec) is written out as workspaces and `cargo check`ed,
//! timed per action. Not run by CI: it is a benchmark and a robustness sweep
//! (see BENCHMARKS.md).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tencentcloud_codegen::spec::{self, CommonErrors, Edition, Spec};
use tencentcloud_codegen::upstream::import::{self, ImportOptions};
use tencentcloud_codegen::upstream::{self, Fetched};
use tencentcloud_codegen::{generate, model, ManifestOptions};

use crate::codegen::COMMON;

/// One service version's result.
struct Outcome {
    edition: Edition,
    service: String,
    version: String,
    actions: usize,
    shapes: usize,
    files: usize,
    bytes: usize,
    took: Duration,
    error: Option<String>,
}

fn one(
    edition: Edition,
    fetched: &Fetched,
    service: &str,
    version: &str,
    common: &CommonErrors,
) -> Outcome {
    let started = Instant::now();
    let mut out = Outcome {
        edition,
        service: service.to_owned(),
        version: version.to_owned(),
        actions: 0,
        shapes: 0,
        files: 0,
        bytes: 0,
        took: Duration::ZERO,
        error: None,
    };
    let result = (|| -> Result<Spec, String> {
        let files = fetched
            .service(service, version)
            .map_err(|e| e.to_string())?;
        let (spec, _) =
            import::import_service(&files, &ImportOptions::default()).map_err(|e| e.to_string())?;
        let shown = format!("{service}-{version}.json");
        let model =
            model::resolve(Path::new(&shown), &shown, &spec, common).map_err(|e| e.to_string())?;
        let files = generate(&model, &ManifestOptions::default()).map_err(|e| e.to_string())?;
        out.files = files.len();
        out.bytes = files.iter().map(|f| f.contents.len()).sum();
        Ok(spec)
    })();
    out.took = started.elapsed();
    match result {
        Ok(spec) => {
            out.actions = spec.actions.len();
            out.shapes = spec.shapes.len();
        }
        Err(e) => out.error = Some(e),
    }
    out
}

fn cargo_check(manifest: &Path, target: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["check", "--quiet", "--workspace", "--manifest-path"])
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo check {} failed", manifest.display()));
    }
    Ok(started.elapsed())
}

/// Writes `spec` as a workspace under `dir` and checks it; returns the time
/// of the check alone.
fn write_and_check(
    root: &Path,
    dir: &Path,
    spec: &Spec,
    target: &Path,
) -> Result<(usize, Duration), String> {
    let _ = std::fs::remove_dir_all(dir);
    let written = tencentcloud_codegen::workspace::write_workspace(
        dir,
        spec,
        &root.join("spec").join(COMMON),
        &root.join("crates").join("runtime"),
    )?;
    let took = cargo_check(&dir.join("Cargo.toml"), target)?;
    Ok((written.files.len(), took))
}

/// Runs the sweep, printing the report.
pub fn run(root: &Path, check: bool, threads: Option<usize>) -> Result<(), String> {
    let fetched = upstream::pinned(root).map_err(|e| e.to_string())?;
    let common: CommonErrors =
        spec::read_json(&root.join("spec").join(COMMON)).map_err(|e| e.to_string())?;
    let (results, wall) = sweep(&fetched, &common, threads)?;
    let failures = report(&results, wall);
    if check {
        check_sample(root, &fetched, &results)?;
    }
    if failures == 0 {
        Ok(())
    } else {
        Err(format!("{failures} service versions failed"))
    }
}

/// Imports and generates every service version of both editions, on
/// `threads` threads; the outcomes in order, and the wall time.
fn sweep(
    fetched: &upstream::Pinned,
    common: &CommonErrors,
    threads: Option<usize>,
) -> Result<(Vec<Outcome>, Duration), String> {
    let mut jobs: Vec<(Edition, String, String)> = Vec::new();
    for (edition, f) in fetched.editions() {
        for (s, v) in f.services() {
            jobs.push((edition, s, v));
        }
    }
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
        .max(1);
    println!(
        "catalogue: {} service versions ({} international, {} mainland) on {threads} threads",
        jobs.len(),
        jobs.iter()
            .filter(|j| j.0 == Edition::International)
            .count(),
        jobs.iter().filter(|j| j.0 == Edition::Mainland).count()
    );
    let started = Instant::now();
    let queue = Mutex::new(jobs.into_iter());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let next = queue.lock().map(|mut q| q.next()).unwrap_or(None);
                let Some((edition, s, v)) = next else { break };
                // The specs are large and not kept; the check imports its sample again.
                let o = one(edition, fetched.edition(edition), &s, &v, common);
                if let Ok(mut r) = results.lock() {
                    r.push(o);
                }
            });
        }
    });
    let wall = started.elapsed();
    let mut results = results.into_inner().map_err(|e| e.to_string())?;
    results.sort_by(|a, b| {
        (a.edition, &a.service, &a.version).cmp(&(b.edition, &b.service, &b.version))
    });
    Ok((results, wall))
}

/// Prints the sweep's totals, per edition, failures and the slowest; the
/// number of failures.
fn report(results: &[Outcome], wall: Duration) -> usize {
    let failures: Vec<&Outcome> = results.iter().filter(|o| o.error.is_some()).collect();
    let total_actions: usize = results.iter().map(|o| o.actions).sum();
    let total_shapes: usize = results.iter().map(|o| o.shapes).sum();
    let files: usize = results.iter().map(|o| o.files).sum();
    let bytes: usize = results.iter().map(|o| o.bytes).sum();
    let cpu: Duration = results.iter().map(|o| o.took).sum();
    for e in Edition::ALL {
        let mine: Vec<&Outcome> = results.iter().filter(|o| o.edition == e).collect();
        println!(
            "{e}: {} service versions, {} actions, {} failures",
            mine.len(),
            mine.iter().map(|o| o.actions).sum::<usize>(),
            mine.iter().filter(|o| o.error.is_some()).count()
        );
    }
    println!(
        "imported and generated {} service versions ({total_actions} actions, {total_shapes} shapes; \
         {files} files, {:.1} MB) in {:.1} s wall ({:.1} s summed over threads); {} failures",
        results.len(),
        bytes as f64 / 1e6,
        wall.as_secs_f64(),
        cpu.as_secs_f64(),
        failures.len()
    );
    for f in &failures {
        println!(
            "  FAILED {} {} {}: {}",
            f.edition,
            f.service,
            f.version,
            f.error.as_deref().unwrap_or("")
        );
    }
    if let Some(s) = results.iter().max_by_key(|o| o.took) {
        println!(
            "slowest: {} {} {} ({} actions) {:.0} ms",
            s.edition,
            s.service,
            s.version,
            s.actions,
            s.took.as_secs_f64() * 1000.0
        );
    }
    failures.len()
}

/// `cargo check`s a sample: the largest service version of each edition, the
/// shipped TRTC spec, and a small one first so that dependencies are built
/// before anything is timed.
fn check_sample(
    root: &Path,
    fetched: &upstream::Pinned,
    results: &[Outcome],
) -> Result<(), String> {
    let target = upstream::target_dir(root).join("catalogue-check");
    let work = upstream::target_dir(root).join("catalogue");
    let again = |o: &Outcome| -> Result<Spec, String> {
        let files = fetched
            .edition(o.edition)
            .service(&o.service, &o.version)
            .map_err(|e| e.to_string())?;
        Ok(import::import_service(&files, &ImportOptions::default())
            .map_err(|e| e.to_string())?
            .0)
    };
    let ok: Vec<&Outcome> = results.iter().filter(|o| o.error.is_none()).collect();
    let mut sample: Vec<(String, Spec)> = Vec::new();
    if let Some(small) = ok
        .iter()
        .filter(|o| o.actions > 0)
        .min_by_key(|o| o.actions)
    {
        sample.push((
            format!(
                "warm-up: {} {} {}",
                small.edition, small.service, small.version
            ),
            again(small)?,
        ));
    }
    for e in Edition::ALL {
        if let Some(big) = ok
            .iter()
            .filter(|o| o.edition == e)
            .max_by_key(|o| o.actions)
        {
            sample.push((
                format!("largest {e}: {} {}", big.service, big.version),
                again(big)?,
            ));
        }
    }
    let trtc: Spec = spec::read_json(&root.join("spec").join("trtc-2019-07-22.json"))
        .map_err(|e| e.to_string())?;
    sample.push(("shipped trtc 2019-07-22 (both editions)".to_owned(), trtc));
    for (i, (label, spec)) in sample.iter().enumerate() {
        let dir: PathBuf = work.join(format!("{i}-{}", spec.service.name));
        let (n, took) = write_and_check(root, &dir, spec, &target)?;
        let actions = spec.actions.len();
        println!(
            "cargo check {label}: {actions} actions, {} shapes, {n} files: {:.1} s ({:.0} ms per action)",
            spec.shapes.len(),
            took.as_secs_f64(),
            took.as_secs_f64() * 1000.0 / actions.max(1) as f64
        );
    }
    Ok(())
}
