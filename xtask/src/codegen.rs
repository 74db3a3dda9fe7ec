//! `cargo xtask codegen [--check]`: the crates under `crates/` (and the
//! generator's edge-case snapshots) from every spec, written or checked.

use std::path::Path;
use std::time::Instant;

use tencentcloud_codegen::project;

pub use tencentcloud_codegen::project::{service_specs, COMMON};

pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let root = root.to_path_buf();
    let started = Instant::now();
    let fresh = project::freshness(&root)?;
    let elapsed = started.elapsed();
    let lint = project::lint(&fresh.files);
    if !lint.is_empty() {
        return Err(format!(
            "the generator's output has problems (fix the generator):\n{}",
            lint.join("\n")
        ));
    }
    let files = &fresh.files;
    let (stale, orphans) = (&fresh.stale, &fresh.orphans);
    if !check {
        for f in files.iter().filter(|f| stale.contains(&f.path)) {
            let path = root.join(&f.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            std::fs::write(&path, &f.contents)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    if check {
        if fresh.is_fresh() {
            println!(
                "codegen --check: {} generated files are up to date ({:.0} ms)",
                files.len(),
                elapsed.as_secs_f64() * 1000.0
            );
            return Ok(());
        }
        let mut msg = String::from("generated files differ from what the specs produce:\n");
        msg.push_str(&fresh.report());
        msg.push_str("run `cargo xtask codegen` and commit the result");
        return Err(msg);
    }
    for p in orphans {
        std::fs::remove_file(root.join(p))
            .map_err(|e| format!("cannot remove {}: {e}", p.display()))?;
        println!("removed {}", p.display());
    }
    println!(
        "codegen: generated {} files in {:.0} ms ({} changed)",
        files.len(),
        elapsed.as_secs_f64() * 1000.0,
        stale.len()
    );
    Ok(())
}
