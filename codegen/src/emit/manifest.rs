//! `Cargo.toml` of each generated crate.

use crate::model::ServiceModel;

/// How generated crates find the runtime and each other.
#[derive(Clone, Debug)]
pub struct ManifestOptions {
    /// The `tencentcloud-runtime` dependency's `path`, relative to a generated crate's directory.
    pub runtime_path: String,
    /// The version of the generated crates (and of the runtime they require).
    pub version: String,
}

impl Default for ManifestOptions {
    fn default() -> Self {
        ManifestOptions {
            runtime_path: "../runtime".to_owned(),
            version: "0.1.0".to_owned(),
        }
    }
}

fn toml_str(s: &str) -> String {
    // TOML basic strings accept JSON string escapes.
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn package(header: &str, name: &str, description: &str, o: &ManifestOptions) -> String {
    format!(
        "{header}[package]\nname = {}\nversion = {}\nedition = \"2021\"\nrust-version = \"1.82\"\nlicense = \"Apache-2.0\"\ndescription = {}\n",
        toml_str(name),
        toml_str(&o.version),
        toml_str(description),
    )
}

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
        &n.model,
        &format!("Data types of Tencent Cloud {} API {}", m.name, m.version),
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
    s
}

/// The error crate's manifest.
pub fn error(m: &ServiceModel, header: &str, o: &ManifestOptions) -> String {
    let n = m.crate_names();
    let mut s = package(
        header,
        &n.error,
        &format!("Error codes of Tencent Cloud {} API {}", m.name, m.version),
        o,
    );
    s.push_str("\n[dependencies]\n");
    s.push_str(&runtime_dep(o, false));
    s
}

/// The client crate's manifest.
pub fn client(m: &ServiceModel, header: &str, o: &ManifestOptions) -> String {
    let n = m.crate_names();
    let mut s = package(
        header,
        &n.client,
        &format!("Client for Tencent Cloud {} API {}", m.name, m.version),
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
    s
}
