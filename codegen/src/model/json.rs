//! JSON carried in string members (`json_types` and members marked
//! `"json": "Name"`), resolved into the Rust names the `json` module of the
//! model crate uses (validated by `tencentcloud-spec`; Rust names checked in
//! `naming.rs`).

use serde_json::Value;
pub use tencentcloud_runtime::json_string::Kind as JsonKind;

use crate::names::{self, Namespace};
use crate::spec::{JsonField, JsonProvider, Spec, UniqueMap};

/// A documented key.
#[derive(Clone, Debug)]
pub struct JsonFieldModel {
    /// The key (`APIKey`).
    pub wire: String,
    /// The Rust field and setter name (`api_key`).
    pub field: String,
    /// Its type.
    pub kind: JsonKind,
    /// A constructor argument; not an `Option`.
    pub required: bool,
    /// Hidden from `Debug` and errors.
    pub sensitive: bool,
    /// Description.
    pub description: String,
    /// The documented default (documentation only).
    pub default: Option<Value>,
    /// Smallest allowed number.
    pub min: Option<f64>,
    /// Largest allowed number.
    pub max: Option<f64>,
    /// Allowed values.
    pub allowed: Vec<Value>,
    /// Documented example values.
    pub examples: Vec<Value>,
}

/// A provider's documentation page: one constructor each.
#[derive(Clone, Debug)]
pub struct JsonProviderModel {
    /// The constructor on the type (`gemini`).
    pub constructor: String,
    /// The provider's name.
    pub title: String,
    /// The page.
    pub url: Option<String>,
    /// Other editions.
    pub alt_urls: Vec<String>,
    /// Where the facts come from without a page.
    pub source: Option<String>,
    /// The documented example, verbatim.
    pub example: Option<String>,
}

/// One provider (discriminator value), or the open object.
#[derive(Clone, Debug)]
pub struct JsonVariantModel {
    /// The enum variant name (`OpenAi`); the type's name for an open object.
    pub variant: String,
    /// The struct name (`LlmConfigOpenAi`).
    pub rust: String,
    /// The discriminator value (empty for an open object).
    pub value: String,
    /// Description.
    pub description: String,
    /// Documented keys, discriminator excluded.
    pub fields: Vec<JsonFieldModel>,
    /// Pages (constructors).
    pub providers: Vec<JsonProviderModel>,
}

/// A resolved JSON type.
#[derive(Clone, Debug)]
pub struct JsonTypeModel {
    /// The name as documented (`LLMConfig`).
    pub wire: String,
    /// The Rust type (`LlmConfig`).
    pub rust: String,
    /// Module (file) in the model crate's `json` module.
    pub module: String,
    /// Description.
    pub description: String,
    /// The discriminator key; `None` for an open object (one variant, a struct).
    pub discriminator: Option<String>,
    /// Variants in spec order.
    pub variants: Vec<JsonVariantModel>,
    /// The facts the runtime checks values against (`tencentcloud_spec::meta::json_type_schema`).
    pub schema: tencentcloud_runtime::json_string::Schema<'static>,
}

/// The index of JSON type `name` (validated to exist).
pub(super) fn index_of(spec: &Spec, name: &str) -> usize {
    spec.json_types
        .as_ref()
        .and_then(|j| j.types.iter().position(|(n, _)| n == name))
        .unwrap_or(0)
}

fn number(n: &Option<serde_json::Number>) -> Option<f64> {
    n.as_ref().and_then(serde_json::Number::as_f64)
}

fn field_models(fields: &UniqueMap<JsonField>) -> Vec<JsonFieldModel> {
    fields
        .iter()
        .map(|(key, f)| JsonFieldModel {
            wire: key.to_owned(),
            field: f.rust_name.clone().unwrap_or_else(|| names::snake(key)),
            kind: f.kind().unwrap_or(JsonKind::Any),
            required: f.required,
            sensitive: f.sensitive,
            description: f.description.clone().unwrap_or_default(),
            default: f.default.clone(),
            min: number(&f.min),
            max: number(&f.max),
            allowed: f.allowed.clone(),
            examples: f.examples.clone(),
        })
        .collect()
}

fn provider_models(providers: Option<&UniqueMap<JsonProvider>>) -> Vec<JsonProviderModel> {
    providers
        .map(|p| {
            p.iter()
                .map(|(name, p)| JsonProviderModel {
                    constructor: name.to_owned(),
                    title: p.title.clone(),
                    url: p.url.clone(),
                    alt_urls: p.alt_urls.clone(),
                    source: p.source.clone(),
                    example: p.example.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Resolves a validated `json_types` section, in spec order.
pub(super) fn resolve(spec: &Spec) -> Vec<JsonTypeModel> {
    let Some(j) = &spec.json_types else {
        return Vec::new();
    };
    let mut modules = Namespace::default();
    j.types
        .iter()
        .map(|(name, t)| {
            let rust = t.rust_name.clone().unwrap_or_else(|| names::camel(name));
            let module = names::module(&modules.assign(&names::snake(&rust), "_").name);
            let variants = match (&t.variants, &t.fields) {
                (Some(vs), _) => vs
                    .iter()
                    .map(|(vname, v)| {
                        let variant = names::camel(vname);
                        JsonVariantModel {
                            rust: v
                                .rust_name
                                .clone()
                                .unwrap_or_else(|| format!("{rust}{variant}")),
                            variant,
                            value: v.value.clone(),
                            description: v.description.clone().unwrap_or_default(),
                            fields: field_models(&v.fields),
                            providers: provider_models(Some(&v.providers)),
                        }
                    })
                    .collect(),
                (None, Some(fields)) => vec![JsonVariantModel {
                    variant: rust.clone(),
                    rust: rust.clone(),
                    value: String::new(),
                    description: t.description.clone().unwrap_or_default(),
                    fields: field_models(fields),
                    providers: provider_models(t.providers.as_ref()),
                }],
                (None, None) => Vec::new(),
            };
            JsonTypeModel {
                wire: name.to_owned(),
                rust,
                module,
                description: t.description.clone().unwrap_or_default(),
                discriminator: t.discriminator.clone(),
                variants,
                schema: tencentcloud_spec::meta::json_type_schema(name, t),
            }
        })
        .collect()
}
