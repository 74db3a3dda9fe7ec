//! Project tasks: `cargo xtask codegen [--check]`, `cargo xtask import ...`,
//! `cargo xtask fetch`, `cargo xtask update`, `cargo xtask package`,
//! `cargo xtask msrv`, `cargo xtask semver`, `cargo xtask install`.

mod catalogue;
mod codegen;
mod coverage;
mod install;
mod msrv;
mod package;
mod semver;
mod update;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use tencentcloud_codegen::spec::{self, Spec};
use tencentcloud_codegen::upstream::import::{self, ImportOptions, ImportReport};
use tencentcloud_codegen::upstream::{self, Fetcher, Lock, LOCK_FILE};

use crate::codegen::COMMON;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project tasks")]
struct Cli {
    /// The repository to work on (default: the one this xtask is part of).
    #[arg(long, global = true, hide = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the crates under crates/ from every spec in spec/.
    Codegen {
        /// Change nothing; fail and name the files that differ from what the specs produce.
        #[arg(long)]
        check: bool,
    },
    /// Download Tencent's definitions pinned in tencentcloud-api.lock, both
    /// editions (with pip), verify their sha256 and unpack them under target/
    /// (a verified copy is reused).
    Fetch {
        /// Also list the service versions of both editions, and for each spec
        /// in spec/ the actions of either edition it lacks.
        #[arg(long)]
        list: bool,
    },
    /// Convert Tencent's published definition into the spec format: a service
    /// from the pinned definitions (`--service trtc --version 2019-07-22`) or
    /// explicit files (`--api api.json`).
    Import {
        /// A service of the pinned definitions, e.g. `trtc` (fetched if needed).
        #[arg(long, requires = "version", conflicts_with_all = ["api", "examples", "errorcodes"])]
        service: Option<String>,
        /// The service's API version, e.g. `2019-07-22`.
        #[arg(long, requires = "service")]
        version: Option<String>,
        /// A published api.json.
        #[arg(long, required_unless_present = "service")]
        api: Option<PathBuf>,
        /// The published examples.json that goes with --api.
        #[arg(long, requires = "api")]
        examples: Option<PathBuf>,
        /// The Python SDK's errorcodes.py that goes with --api (service-wide error codes).
        #[arg(long, requires = "api")]
        errorcodes: Option<PathBuf>,
        /// Only these actions (comma-separated) and the shapes they reach.
        #[arg(long, value_delimiter = ',')]
        actions: Option<Vec<String>>,
        /// Write a self-contained Cargo workspace here (spec and generated crates).
        #[arg(long, conflicts_with = "into", required_unless_present = "into")]
        out: Option<PathBuf>,
        /// Merge the actions into this existing spec file (then run `cargo xtask codegen`).
        #[arg(long)]
        into: Option<PathBuf>,
    },
    /// Import and generate every service version of both pinned editions (in
    /// memory), naming failures and timing it; with --check, also write the
    /// largest service of each edition and the shipped TRTC spec as workspaces
    /// and `cargo check` them, timed per action. A benchmark: not run by CI.
    Catalogue {
        /// Also `cargo check` the sample (slow: minutes).
        #[arg(long)]
        check: bool,
        /// Worker threads (default: the machine's parallelism).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Move to another published version of Tencent's definitions: re-import
    /// every action of the specs and the ones the services gained, regenerate,
    /// update the lock and CHANGELOG.md, and report what changed.
    Update {
        /// The version to move an edition to: `international=3.1.150.1`
        /// (tccli-intl-en), `mainland=3.1.180.1` (tccli); comma-separated or
        /// repeated. An edition not named keeps its pinned version; without
        /// --to both move to their newest.
        #[arg(long, value_delimiter = ',')]
        to: Vec<String>,
        /// Print the report; write no file.
        #[arg(long)]
        dry_run: bool,
    },
    /// Install a tool the tests, benchmarks or CI need under target/, once
    /// (however many processes ask at the same time), and print where it is.
    Install {
        #[command(subcommand)]
        what: install::What,
    },
    /// Check every publishable crate's crates.io metadata, then package them all
    /// with `cargo package` in dependency order, each verified by building it
    /// from its `.crate` (with the crates packaged before it).
    Package {
        /// Package uncommitted changes too.
        #[arg(long)]
        allow_dirty: bool,
        /// Assemble the packages without building them.
        #[arg(long, conflicts_with = "full")]
        no_verify: bool,
        /// Let `cargo package` verify: a full build of each package, in
        /// dependency order (slow: every dependency is rebuilt).
        #[arg(long)]
        full: bool,
    },
    /// Check the declared rust-version of the publishable crates against their
    /// dependencies: resolve them afresh with Cargo's MSRV-aware resolver (in a
    /// scratch copy under target/), require every dependency to support it, and
    /// compile the crates against those versions.
    Msrv,
    /// Check the public API of the publishable crates against a baseline with
    /// cargo-semver-checks (as pinned by .ci/run), on rustdoc JSON built with
    /// the project's target directory.
    Semver {
        /// A git revision whose crates are the baseline, e.g. the last release.
        #[arg(
            long,
            conflicts_with = "baseline_root",
            required_unless_present = "baseline_root"
        )]
        baseline_rev: Option<String>,
        /// A workspace whose crates are the baseline.
        #[arg(long)]
        baseline_root: Option<PathBuf>,
        /// The workspace to check (default: this repository).
        #[arg(long)]
        current_root: Option<PathBuf>,
        /// Only these crates (comma-separated).
        #[arg(long, short, value_delimiter = ',')]
        package: Vec<String>,
        /// Check for this release (major, minor, patch) instead of the one the versions imply.
        #[arg(long)]
        release_type: Option<String>,
    },
}

/// The repository this xtask belongs to.
fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn fetch_cmd(root: &Path, list: bool) -> Result<(), String> {
    let lock = Lock::read(&root.join(LOCK_FILE)).map_err(|e| e.to_string())?;
    let fetched = Fetcher::for_repo(root)
        .fetch_lock(&lock)
        .map_err(|e| e.to_string())?;
    for (edition, f) in fetched.editions() {
        for u in [&f.definitions, &f.error_codes] {
            println!(
                "{edition}: {}: sha256 {} verified; unpacked in {}",
                u.package,
                u.package.sha256,
                u.dir.display()
            );
        }
    }
    if list {
        print!("{}", coverage::list(root, &fetched)?);
    }
    Ok(())
}

/// Where an import reads from.
enum Source {
    /// A service of the pinned definitions.
    Pinned { service: String, version: String },
    /// Explicit files.
    Files {
        api: PathBuf,
        examples: Option<PathBuf>,
        errorcodes: Option<PathBuf>,
    },
}

fn import_from(
    root: &Path,
    source: &Source,
    options: &ImportOptions,
) -> Result<(Spec, ImportReport), String> {
    match source {
        Source::Pinned { service, version } => {
            let fetched = upstream::pinned(root).map_err(|e| e.to_string())?;
            let files = fetched
                .service(service, version)
                .map_err(|e| e.to_string())?;
            let from: Vec<String> = files
                .iter()
                .map(|(e, _)| {
                    let f = fetched.edition(*e);
                    format!(
                        "{e}: {} and {}",
                        f.definitions.package, f.error_codes.package
                    )
                })
                .collect();
            println!("importing {service} {version} from {}", from.join("; "));
            import::import_editions(&files, options).map_err(|e| e.to_string())
        }
        Source::Files {
            api,
            examples,
            errorcodes,
        } => {
            let (mut spec, mut report) = import::import_files(api, examples.as_deref(), options)
                .map_err(|e| e.to_string())?;
            if let Some(path) = errorcodes {
                let codes = upstream::read_error_codes(path).map_err(|e| e.to_string())?;
                report.notes.extend(codes.warnings);
                import::attach_error_codes(&mut spec, &codes.codes, &mut report);
            }
            Ok((spec, report))
        }
    }
}

fn import_cmd(
    root: &Path,
    source: &Source,
    actions: Option<Vec<String>>,
    out: Option<&Path>,
    into: Option<&Path>,
) -> Result<(), String> {
    let started = Instant::now();
    let options = ImportOptions { actions };
    let (imported, report) = import_from(root, source, &options)?;
    print!("{report}");
    if let Some(into) = into {
        let mut existing: Spec = spec::read_json(into).map_err(|e| e.to_string())?;
        let (have, got) = (&existing.service, &imported.service);
        if (&have.name, &have.version) != (&got.name, &got.version) {
            return Err(format!(
                "{} is {} {}, but the import is {} {}: merge into the spec of the same service version",
                into.display(),
                have.name,
                have.version,
                got.name,
                got.version
            ));
        }
        let notes = import::merge(&mut existing, imported);
        std::fs::write(into, spec::to_json(&existing))
            .map_err(|e| format!("cannot write {}: {e}", into.display()))?;
        for n in &notes {
            println!("  {n}");
        }
        println!(
            "merged into {} ({} changes); now run `cargo xtask codegen`",
            into.display(),
            notes.len()
        );
        return Ok(());
    }
    let Some(out) = out else {
        return Err("give --out DIR or --into SPEC".to_owned());
    };
    let written = tencentcloud_codegen::workspace::write_workspace(
        out,
        &imported,
        &root.join("spec").join(COMMON),
        &root.join("crates").join("runtime"),
    )?;
    println!(
        "wrote {} ({} files); import + generation took {:.0} ms (generation alone {:.0} ms)",
        out.display(),
        written.files.len(),
        started.elapsed().as_secs_f64() * 1000.0,
        written.generation.as_secs_f64() * 1000.0
    );
    println!(
        "build it with: cargo check --manifest-path {}",
        out.join("Cargo.toml").display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(default_root);
    let result = match cli.command {
        Command::Codegen { check } => codegen::run(&root, check),
        Command::Fetch { list } => fetch_cmd(&root, list),
        Command::Import {
            service,
            version,
            api,
            examples,
            errorcodes,
            actions,
            out,
            into,
        } => {
            let source = match (service, version, api) {
                (Some(service), Some(version), _) => Ok(Source::Pinned { service, version }),
                (_, _, Some(api)) => Ok(Source::Files {
                    api,
                    examples,
                    errorcodes,
                }),
                _ => Err("give --service and --version, or --api".to_owned()),
            };
            source.and_then(|source| {
                import_cmd(&root, &source, actions, out.as_deref(), into.as_deref())
            })
        }
        Command::Update { to, dry_run } => update::run(&root, to, dry_run),
        Command::Catalogue { check, threads } => catalogue::run(&root, check, threads),
        Command::Msrv => msrv::run(&root),
        Command::Install { what } => install::run(&root, what),
        Command::Semver {
            baseline_rev,
            baseline_root,
            current_root,
            package,
            release_type,
        } => semver::run(
            &root,
            &semver::Options {
                baseline_rev,
                baseline_root,
                current_root,
                packages: package,
                release_type,
            },
        ),
        Command::Package {
            allow_dirty,
            no_verify,
            full,
        } => package::run(
            &root,
            &package::Options {
                allow_dirty,
                no_verify,
                full,
            },
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
