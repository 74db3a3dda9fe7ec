//! `Cargo.toml` and `README.md` of each generated crate.
//!
//! The manifests inherit `edition`, `rust-version`, `license` and `repository`
//! from the workspace they are generated into (`[workspace.package]`), so each
//! is set in one place; the version is the generator's (`cargo xtask update`
//! reports the bump a spec change needs).

use crate::model::{CrateNames, ServiceModel};

/// How generated crates find the runtime and each other.
#[derive(Clone, Debug)]
pub struct ManifestOptions {
    /// The `tencentcloud-runtime` dependency's `path`, relative to a generated crate's directory.
    pub runtime_path: String,
    /// The version of the generated crates (and of the runtime they require).
    pub version: String,
    /// Whether the crates may be published (`false` writes `publish = false`,
    /// as for the generator's edge-case snapshots).
    pub publish: bool,
}

impl Default for ManifestOptions {
    fn default() -> Self {
        ManifestOptions {
            runtime_path: "../runtime".to_owned(),
            version: "0.2.0".to_owned(),
            publish: true,
        }
    }
}

fn toml_str(s: &str) -> String {
    // TOML basic strings accept JSON string escapes.
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// What a crate's `[package]` says beyond its name.
struct Package<'a> {
    name: &'a str,
    description: String,
    keywords: Vec<String>,
    categories: &'a [&'a str],
}

/// crates.io keywords: at most 20 characters, ASCII alphanumerics, `-`, `_`, `+`.
fn keyword(s: &str) -> Option<String> {
    let k: String = s
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        .take(20)
        .collect();
    k.starts_with(|c: char| c.is_ascii_alphabetic())
        .then_some(k)
}

fn keywords(m: &ServiceModel, kind: &str) -> Vec<String> {
    let mut out: Vec<String> = ["tencent-cloud", "tencentcloud"]
        .iter()
        .map(|k| (*k).to_owned())
        .collect();
    out.extend(keyword(&m.name));
    out.extend(["api".to_owned(), kind.to_owned()]);
    out.dedup();
    out.truncate(5);
    out
}

fn toml_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|i| toml_str(i.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

fn package(header: &str, p: &Package, o: &ManifestOptions) -> String {
    let mut s = format!(
        "{header}[package]\nname = {}\nversion = {}\nedition.workspace = true\nrust-version.workspace = true\nlicense.workspace = true\nrepository.workspace = true\ndescription = {}\ndocumentation = {}\nreadme = \"README.md\"\nkeywords = {}\ncategories = {}\n",
        toml_str(p.name),
        toml_str(&o.version),
        toml_str(&p.description),
        toml_str(&format!("https://docs.rs/{}", p.name)),
        toml_list(&p.keywords),
        toml_list(p.categories),
    );
    if !o.publish {
        s.push_str("publish = false\n");
    }
    s
}

/// docs.rs builds with every feature and marks what each one gates.
const DOCS_RS: &str =
    "\n[package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n";

/// The runtime dependency; `client: false` leaves out its HTTP client (the
/// model and error crates need only its value and error types).
fn runtime_dep(o: &ManifestOptions, client: bool) -> String {
    format!(
        "tencentcloud-runtime = {{ path = {}, version = {}{} }}\n",
        toml_str(&o.runtime_path),
        toml_str(&o.version),
        if client {
            ""
        } else {
            ", default-features = false"
        }
    )
}

/// The model crate's manifest.
pub fn model(m: &ServiceModel, header: &str, o: &ManifestOptions) -> String {
    let n = m.crate_names();
    let mut s = package(
        header,
        &Package {
            name: &n.model,
            description: model_description(m),
            keywords: keywords(m, "model"),
            categories: &["api-bindings"],
        },
        o,
    );
    s.push_str("\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n");
    if m.callbacks.is_some() {
        // Callback events keep unknown events as JSON values.
        s.push_str("serde_json = \"1\"\n");
    }
    s.push_str(&runtime_dep(o, false));
    s.push_str("proptest = { version = \"1\", optional = true }\n");
    s.push_str("\n[features]\n# proptest strategies for every type (`Type::arbitrary_with_depth`).\nproptest = [\"dep:proptest\", \"tencentcloud-runtime/proptest\"]\n");
    s.push_str(DOCS_RS);
    s
}

/// The error crate's manifest.
pub fn error(m: &ServiceModel, header: &str, o: &ManifestOptions) -> String {
    let n = m.crate_names();
    let mut s = package(
        header,
        &Package {
            name: &n.error,
            description: error_description(m),
            keywords: keywords(m, "error"),
            categories: &["api-bindings"],
        },
        o,
    );
    s.push_str("\n[dependencies]\n");
    s.push_str(&runtime_dep(o, false));
    s.push_str(DOCS_RS);
    s
}

/// The client crate's manifest.
pub fn client(m: &ServiceModel, header: &str, o: &ManifestOptions) -> String {
    let n = m.crate_names();
    let mut s = package(
        header,
        &Package {
            name: &n.client,
            description: client_description(m),
            keywords: keywords(m, "sdk"),
            categories: &["api-bindings", "web-programming::http-client"],
        },
        o,
    );
    s.push_str("\n[dependencies]\n");
    s.push_str(&runtime_dep(o, true));
    s.push_str(&format!(
        "{} = {{ path = \"../{}\", version = {} }}\n",
        n.model,
        n.model_dir,
        toml_str(&o.version)
    ));
    s.push_str(&format!(
        "{} = {{ path = \"../{}\", version = {} }}\n",
        n.error,
        n.error_dir,
        toml_str(&o.version)
    ));
    s.push_str(&format!(
        "\n[features]\n# proptest strategies for every model type.\nproptest = [\"{}/proptest\"]\n",
        n.model
    ));
    s.push_str(DOCS_RS);
    s
}

fn model_description(m: &ServiceModel) -> String {
    format!("Data types of Tencent Cloud {} API {}", m.name, m.version)
}

fn error_description(m: &ServiceModel) -> String {
    format!("Error codes of Tencent Cloud {} API {}", m.name, m.version)
}

fn client_description(m: &ServiceModel) -> String {
    format!("Client for Tencent Cloud {} API {}", m.name, m.version)
}

/// The shortest requirement that accepts `version`'s compatible releases
/// (`0.1.0` → `0.1`, `1.2.3` → `1`).
fn caret(version: &str) -> String {
    let parts: Vec<&str> = version.split('.').collect();
    match parts.as_slice() {
        ["0", minor, ..] => format!("0.{minor}"),
        [major, ..] => (*major).to_owned(),
        [] => version.to_owned(),
    }
}

/// The first line of every generated README (an HTML comment, hidden when rendered).
pub fn readme_header(spec_file: &str) -> String {
    format!(
        "<!-- @generated by `cargo xtask codegen` from {spec_file}. Do not edit by hand: change the spec or the generator and regenerate. -->\n"
    )
}

/// The READMEs of the three crates (model, error, client), in that order.
pub fn readmes(m: &ServiceModel, header: &str, o: &ManifestOptions) -> [String; 3] {
    let n = m.crate_names();
    let CrateNames {
        model,
        error,
        client,
        ..
    } = &n;
    let usage = format!(
        "Most users depend on the client crate [`{client}`](https://docs.rs/{client}) alone: it re-exports this crate as `{}::{{}}`.",
        client.replace('-', "_")
    );
    let common = format!(
        "\nGenerated from the project's spec of Tencent Cloud API 3.0 service `{}` version `{}`.\n\nThe minimum supported Rust version is this crate's `rust-version`; the project's README states the MSRV policy.\n",
        m.name, m.version
    );
    [
        format!(
            "{header}# {model}\n\n{}: one type per shape of the spec (requests, responses, structures, enums, callback events), with serde in both directions and builders. Feature `proptest`: a strategy for every type.\n\n{}\n{common}",
            model_description(m),
            usage.replace("{}", "model")
        ),
        format!(
            "{header}# {error}\n\n{}: `ErrorCode` names every code the service documents (and its category: whether a retry can help); each action has its own error enum.\n\n{}\n{common}",
            error_description(m),
            usage.replace("{}", "error")
        ),
        format!(
            "{header}# {client}\n\n{}: one async method per action on `Client`, with TC3-HMAC-SHA256 signing, retries, rate limits and paginators from [`tencentcloud-runtime`](https://docs.rs/tencentcloud-runtime).\n\n```toml\n[dependencies]\n{client} = \"{}\"\n```\n{common}",
            client_description(m),
            caret(&o.version)
        ),
    ]
}
