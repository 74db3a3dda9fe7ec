//! JSON carried in string members (`json_types` and members marked
//! `"json": "Name"`): validation with JSON paths, and resolution into the
//! Rust names the `json` module of the model crate uses.

use std::collections::BTreeSet;

use serde_json::Value;

use super::validate::Ctx;
use crate::names::{self, Namespace};
use crate::spec::{JsonField, JsonProvider, Spec, UniqueMap};

/// The JSON type of a documented key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonKind {
    /// `string`
    String,
    /// `int64`
    Int,
    /// `string_or_int` (documented as a string, sent as a number by examples)
    StringOrInt,
    /// `float` (a number keeping its written form)
    Float,
    /// `bool`
    Bool,
    /// `object` (free-form)
    Object,
    /// `any`
    Any,
    /// `list` of `string`
    StringList,
    /// `list` of `object`
    ObjectList,
    /// `list` of `any`
    AnyList,
}

impl JsonKind {
    /// The kind of a spec field, if its type is valid.
    pub fn of(f: &JsonField) -> Option<JsonKind> {
        Some(match (f.ty.as_str(), f.items.as_deref()) {
            ("string", None) => JsonKind::String,
            ("int64", None) => JsonKind::Int,
            ("string_or_int", None) => JsonKind::StringOrInt,
            ("float", None) => JsonKind::Float,
            ("bool", None) => JsonKind::Bool,
            ("object", None) => JsonKind::Object,
            ("any", None) => JsonKind::Any,
            ("list", Some("string")) => JsonKind::StringList,
            ("list", Some("object")) => JsonKind::ObjectList,
            ("list", Some("any")) => JsonKind::AnyList,
            _ => return None,
        })
    }

    /// Whether the kind is a number (so `min`/`max` apply).
    pub fn is_number(self) -> bool {
        matches!(self, JsonKind::Int | JsonKind::Float)
    }

    /// The runtime's `Kind` variant name.
    pub fn runtime_name(self) -> &'static str {
        match self {
            JsonKind::String => "String",
            JsonKind::Int => "Int",
            JsonKind::StringOrInt => "StringOrInt",
            JsonKind::Float => "Float",
            JsonKind::Bool => "Bool",
            JsonKind::Object => "Object",
            JsonKind::Any => "Any",
            JsonKind::StringList => "StringList",
            JsonKind::ObjectList => "ObjectList",
            JsonKind::AnyList => "AnyList",
        }
    }

    fn accepts(self, v: &Value) -> bool {
        match self {
            JsonKind::String => v.is_string(),
            JsonKind::Int => v.is_i64(),
            JsonKind::StringOrInt => v.is_string() || v.is_i64(),
            JsonKind::Float => v.is_number(),
            JsonKind::Bool => v.is_boolean(),
            _ => false,
        }
    }
}

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

/// Validates the `json_types` section and every member marked `json`.
pub(super) fn validate(cx: &mut Ctx<'_>, spec: &Spec) {
    let empty = UniqueMap::new();
    let types = spec.json_types.as_ref().map(|j| &j.types).unwrap_or(&empty);
    let mut used = BTreeSet::new();
    for (sname, shape) in spec.shapes.iter() {
        for (wire, m) in shape.members.iter().flat_map(|m| m.iter()) {
            let Some(j) = &m.json else { continue };
            let path = format!("$.shapes.{sname}.members.{wire}.json");
            if m.ty != "string" {
                cx.err(
                    &path,
                    format!(
                        "only a `string` member can carry JSON (this one is `{}`)",
                        m.spec_type()
                    ),
                );
            }
            if types.contains_key(j) {
                used.insert(j.clone());
            } else {
                let hint = types
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(j))
                    .map(|(n, _)| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                cx.err(
                    &path,
                    format!("unknown JSON type `{j}`: not in `json_types.types`{hint}"),
                );
            }
        }
    }
    for (name, t) in types.iter() {
        let path = format!("$.json_types.types.{name}");
        if !used.contains(name) {
            cx.err(
                &path,
                format!("JSON type `{name}` is not carried by any member (mark one `\"json\": \"{name}\"`)"),
            );
        }
        match (&t.discriminator, &t.variants, &t.fields) {
            (Some(d), Some(variants), None) => {
                if t.providers.is_some() {
                    cx.err(
                        format!("{path}.providers"),
                        "`providers` belong to each variant when there is a discriminator",
                    );
                }
                if variants.is_empty() {
                    cx.err(format!("{path}.variants"), "needs at least one variant");
                }
                let mut values = BTreeSet::new();
                for (vname, v) in variants.iter() {
                    let vpath = format!("{path}.variants.{vname}");
                    if v.value.is_empty() || !values.insert(v.value.clone()) {
                        cx.err(
                            format!("{vpath}.value"),
                            format!(
                                "discriminator value `{}` is empty or used twice",
                                v.value
                            ),
                        );
                    }
                    check_fields(cx, &vpath, Some(d), &v.fields);
                    check_providers(cx, &vpath, Some((d, &v.value)), &v.providers);
                }
            }
            (None, None, Some(fields)) => {
                check_fields(cx, &path, None, fields);
                if let Some(p) = &t.providers {
                    check_providers(cx, &path, None, p);
                }
            }
            _ => cx.err(
                &path,
                "a JSON type has either `discriminator` and `variants` (providers) or `fields` (one open object)",
            ),
        }
    }
}

fn check_fields(
    cx: &mut Ctx<'_>,
    path: &str,
    discriminator: Option<&str>,
    fields: &UniqueMap<JsonField>,
) {
    let mut lower = BTreeSet::new();
    if let Some(d) = discriminator {
        lower.insert(d.to_ascii_lowercase());
    }
    for (key, f) in fields.iter() {
        let fpath = format!("{path}.fields.{key}");
        if key.is_empty() || !lower.insert(key.to_ascii_lowercase()) {
            cx.err(
                &fpath,
                format!("key `{key}` is empty, the discriminator, or another key differing only by case"),
            );
        }
        let Some(kind) = JsonKind::of(f) else {
            cx.err(
                format!("{fpath}.type"),
                format!(
                    "unknown JSON key type `{}`{}: use string, int64, string_or_int, float, bool, object, any, or list with items string, object or any",
                    f.ty,
                    f.items.as_deref().map(|i| format!(" (items `{i}`)")).unwrap_or_default()
                ),
            );
            continue;
        };
        if (f.min.is_some() || f.max.is_some()) && !kind.is_number() {
            cx.err(&fpath, "`min`/`max` apply to int64 and float keys only");
        }
        if let (Some(lo), Some(hi)) = (number(&f.min), number(&f.max)) {
            if lo > hi {
                cx.err(&fpath, format!("`min` {lo} is above `max` {hi}"));
            }
        }
        for (i, a) in f.allowed.iter().enumerate() {
            if !kind.accepts(a) {
                cx.err(
                    format!("{fpath}.allowed[{i}]"),
                    format!("{a} is not a `{}` value", f.ty),
                );
            }
        }
    }
}

fn check_providers(
    cx: &mut Ctx<'_>,
    path: &str,
    discriminator: Option<(&str, &str)>,
    providers: &UniqueMap<JsonProvider>,
) {
    if discriminator.is_some() && providers.is_empty() {
        cx.err(
            format!("{path}.providers"),
            "a variant needs at least one documented provider (its constructor)",
        );
    }
    for (name, p) in providers.iter() {
        let ppath = format!("{path}.providers.{name}");
        if p.url.is_none() && p.source.is_none() {
            cx.err(&ppath, "a provider needs its `url` or a `source`");
        }
        let Some(ex) = &p.example else { continue };
        match serde_json::from_str::<Value>(ex) {
            Ok(Value::Object(o)) => {
                if let Some((d, value)) = discriminator {
                    if o.get(d).and_then(Value::as_str) != Some(value) {
                        cx.err(
                            format!("{ppath}.example"),
                            format!("the example's `{d}` is not `{value}`"),
                        );
                    }
                }
            }
            Ok(_) => cx.err(
                format!("{ppath}.example"),
                "the example is not a JSON object",
            ),
            Err(e) => cx.err(
                format!("{ppath}.example"),
                format!("the example is not valid JSON: {e}"),
            ),
        }
    }
}

fn field_models(fields: &UniqueMap<JsonField>) -> Vec<JsonFieldModel> {
    fields
        .iter()
        .map(|(key, f)| JsonFieldModel {
            wire: key.to_owned(),
            field: f.rust_name.clone().unwrap_or_else(|| names::snake(key)),
            kind: JsonKind::of(f).unwrap_or(JsonKind::Any),
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
            }
        })
        .collect()
}
