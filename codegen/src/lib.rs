//! The generator: load a spec, validate it, resolve it into Rust names and
//! types, emit the model, error and client crates, format, write or check.
//!
//! ```text
//! spec/*.json ──load──▶ spec::Spec ──model::resolve (validate, build)──▶ model::ServiceModel
//!     ──emit::{model,error,client,arbitrary,manifest}──▶ prettyplease ──▶ files
//! ```
//!
//! Generation is deterministic: the same spec gives the same bytes.
//!
//! The spec layer is the `tencentcloud-spec` crate, re-exported here as
//! [`spec`] (with [`check`] and [`paginate`]): its types, validation,
//! primitive rules and run-time metadata are the ones the command line and the
//! local endpoint use, and the emitters write the metadata its functions build
//! (`emit::meta`). What is the generator's own: Rust names ([`names`],
//! `model::resolve`, and the Rust-name checks of `model::naming`), docs, the
//! emitters and, behind the `upstream` feature, [`upstream`]: following
//! Tencent's published definitions (lock, fetch, import, change report), for
//! `cargo xtask` only; behind `install` (part of `upstream`), [`install`]:
//! installing into a shared directory once, under a file lock.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod docs;
#[cfg(feature = "emit")]
pub mod emit;
#[cfg(feature = "install")]
pub mod install;
pub mod model;
pub mod names;
#[cfg(feature = "emit")]
pub mod project;
#[cfg(feature = "upstream")]
pub mod upstream;
#[cfg(feature = "emit")]
pub mod workspace;

/// The spec format, its checks and its paginators: the `tencentcloud-spec` crate.
pub use tencentcloud_spec as spec;
pub use tencentcloud_spec::{check, limits, paginate};

#[cfg(feature = "emit")]
use std::path::Path;
use std::path::PathBuf;

#[cfg(feature = "emit")]
pub use emit::manifest::ManifestOptions;
pub use model::ServiceModel;
pub use spec::{CommonErrors, Spec, SpecError, SpecErrors};

/// A file the generator produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output root (e.g. `crates/trtc-model/src/lib.rs`).
    pub path: PathBuf,
    /// Contents.
    pub contents: String,
}

/// Why generation failed.
#[derive(Debug)]
pub enum GenerateError {
    /// The spec is invalid.
    Spec(SpecErrors),
    /// The generator produced something it could not format (a generator bug).
    Emit(String),
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GenerateError::Spec(e) => e.fmt(f),
            GenerateError::Emit(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for GenerateError {}

impl From<SpecErrors> for GenerateError {
    fn from(e: SpecErrors) -> Self {
        GenerateError::Spec(e)
    }
}

#[cfg(feature = "emit")]
/// Emits every file of a resolved service, under `crates/` of the output root.
pub fn generate(
    model: &ServiceModel,
    options: &ManifestOptions,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    let names = model.crate_names();
    let rs = emit::rust_header(&model.spec_file);
    let toml = emit::toml_header(&model.spec_file);
    let file = |dir: &str, rel: &str, contents: String| GeneratedFile {
        path: Path::new("crates").join(dir).join(rel),
        contents,
    };
    let mut out = vec![
        file(
            &names.model_dir,
            "Cargo.toml",
            emit::manifest::model(model, &toml, options),
        ),
        file(
            &names.error_dir,
            "Cargo.toml",
            emit::manifest::error(model, &toml, options),
        ),
        file(
            &names.client_dir,
            "Cargo.toml",
            emit::manifest::client(model, &toml, options),
        ),
    ];
    let [model_readme, error_readme, client_readme] = emit::manifest::readmes(
        model,
        &emit::manifest::readme_header(&model.spec_file),
        options,
    );
    out.extend([
        file(&names.model_dir, "README.md", model_readme),
        file(&names.error_dir, "README.md", error_readme),
        file(&names.client_dir, "README.md", client_readme),
    ]);
    for (dir, sources) in [
        (&names.model_dir, emit::model::files(model)),
        (&names.error_dir, emit::error::files(model)),
        (&names.client_dir, emit::client::files(model)),
    ] {
        for (rel, tokens) in sources {
            let contents = emit::format_file(&rs, tokens).map_err(GenerateError::Emit)?;
            out.push(file(dir, &format!("src/{rel}"), contents));
        }
    }
    Ok(out)
}

#[cfg(feature = "emit")]
/// Loads `spec_path` and `common_path` and generates; `root` only shortens the
/// spec path shown in file headers.
pub fn generate_from_files(
    spec_path: &Path,
    common_path: &Path,
    root: &Path,
    options: &ManifestOptions,
) -> Result<(ServiceModel, Vec<GeneratedFile>), GenerateError> {
    let display = model::display_path(spec_path, root);
    let (_, model) = model::load(spec_path, &display, common_path)?;
    let files = generate(&model, options)?;
    Ok((model, files))
}
