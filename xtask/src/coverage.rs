//! `cargo xtask fetch --list`: the service versions of both editions, and how
//! much of each the specs under `spec/` cover.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use tencentcloud_codegen::spec::{self, Edition, Spec};
use tencentcloud_codegen::upstream::Pinned;

use crate::codegen;

/// The action names of a published `api.json`.
pub fn action_names(api: &Path) -> Result<BTreeSet<String>, String> {
    let v: Value = spec::read_json(api).map_err(|e| e.to_string())?;
    v.get("actions")
        .and_then(Value::as_object)
        .map(|a| a.keys().cloned().collect())
        .ok_or_else(|| format!("{}: $.actions: missing or not an object", api.display()))
}

/// The listing: one line per service version with the editions that publish
/// it; for each spec, its action counts per edition and every action of
/// either edition it lacks.
pub fn list(root: &Path, fetched: &Pinned) -> Result<String, String> {
    let mut versions: BTreeMap<(String, String), Vec<Edition>> = BTreeMap::new();
    for (edition, f) in fetched.editions() {
        for sv in f.services() {
            versions.entry(sv).or_default().push(edition);
        }
    }
    let mut out = String::new();
    let mut per_edition = [0usize; 2];
    for ((service, version), editions) in &versions {
        for e in editions {
            per_edition[*e as usize] += 1;
        }
        let names: Vec<&str> = editions.iter().map(|e| e.as_str()).collect();
        out.push_str(&format!("{service} {version} ({})\n", names.join(", ")));
    }
    out.push_str(&format!(
        "{} service versions: international {}, mainland {}\n",
        versions.len(),
        per_edition[0],
        per_edition[1]
    ));
    for path in codegen::service_specs(&root.join("spec"))? {
        let existing: Spec = spec::read_json(&path).map_err(|e| e.to_string())?;
        let (service, version) = (&existing.service.name, &existing.service.version);
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let mut counts = Vec::new();
        let mut missing = Vec::new();
        for (edition, f) in fetched.editions() {
            let Ok(files) = f.service(service, version) else {
                counts.push(format!("{edition} does not publish it"));
                continue;
            };
            let names = action_names(&files.api)?;
            counts.push(format!("{edition} {} actions", names.len()));
            for a in names {
                if !existing.actions.contains_key(&a) {
                    missing.push(format!("{a} ({edition})"));
                }
            }
        }
        out.push_str(&format!(
            "{shown}: {} actions; {}; missing from the spec: {}\n",
            existing.actions.len(),
            counts.join(", "),
            if missing.is_empty() {
                "none".to_owned()
            } else {
                missing.join(", ")
            }
        ));
    }
    Ok(out)
}
