//! The Rust names a spec asks for: every `rust_name` override and every name
//! the JSON types make (types, variants, fields, constructors) must be a legal,
//! free Rust identifier. The spec's own rules (references, kinds, values) are
//! `tencentcloud-spec`'s validation; resolution ([`super::resolve`]) then
//! assigns the rest, reporting collisions it cannot settle.

use crate::names::{self, Namespace};
use crate::spec::{JsonField, JsonProvider, JsonType, Spec, UniqueMap};
use tencentcloud_spec::validate::Ctx;

/// Methods of the generated JSON structs that no field may take.
pub(super) const STRUCT_RESERVED: &[&str] = &[
    "new",
    "extra",
    "validate",
    "to_json",
    "from_json",
    "from_object",
    "to_object",
    "schema",
    "arbitrary",
];
/// Associated functions of the generated JSON enums that no constructor may take.
pub(super) const ENUM_RESERVED: &[&str] = &[
    "other",
    "provider",
    "schema",
    "to_json",
    "from_json",
    "from_json_str",
    "to_json_string",
    "validate",
    "arbitrary",
];

fn snake_override(cx: &mut Ctx<'_>, path: String, r: &Option<String>) {
    if let Some(r) = r {
        if !names::is_snake_ident(r) {
            cx.err(path, format!("`{r}` is not a snake_case identifier"));
        }
    }
}

/// Checks every Rust name of `spec`.
pub(super) fn check(cx: &mut Ctx<'_>, spec: &Spec) {
    for (name, shape) in spec.shapes.iter() {
        let path = format!("$.shapes.{name}");
        if let Some(r) = &shape.rust_name {
            if !names::is_camel_ident(r) {
                cx.err(
                    format!("{path}.rust_name"),
                    format!("`{r}` is not an UpperCamelCase identifier"),
                );
            }
        }
        for (wire, m) in shape.members.iter().flat_map(|m| m.iter()) {
            snake_override(cx, format!("{path}.members.{wire}.rust_name"), &m.rust_name);
        }
    }
    for (name, action) in spec.actions.iter() {
        snake_override(cx, format!("$.actions.{name}.rust_name"), &action.rust_name);
    }
    for (name, w) in spec.waiters.iter() {
        snake_override(cx, format!("$.waiters.{name}.rust_name"), &w.rust_name);
    }
    let empty = UniqueMap::new();
    let types = spec.json_types.as_ref().map(|j| &j.types).unwrap_or(&empty);
    // `F` and `K` are the JSON type files' names of the runtime's `Field` and `Kind`.
    let mut rust_names = Namespace::with_reserved(&["F", "K"]);
    for (name, t) in types.iter() {
        json_type(cx, &mut rust_names, name, t);
    }
}

/// The names of one JSON type: the type, its variants, their fields and the
/// constructors (one per documented provider page).
fn json_type(cx: &mut Ctx<'_>, rust_names: &mut Namespace, name: &str, t: &JsonType) {
    let path = format!("$.json_types.types.{name}");
    let rust = t.rust_name.clone().unwrap_or_else(|| names::camel(name));
    if !names::is_camel_ident(&rust) || !rust_names.take_exact(&rust) {
        cx.err(
            &path,
            format!("Rust name `{rust}` is not a free UpperCamelCase identifier"),
        );
    }
    let mut constructors = Namespace::with_reserved(ENUM_RESERVED);
    if let Some(fields) = &t.fields {
        fields_names(cx, &path, fields);
    }
    if let Some(p) = &t.providers {
        constructor_names(cx, &path, p, &mut constructors);
    }
    let mut vnames = Namespace::with_reserved(&["Other"]);
    for (vname, v) in t.variants.iter().flat_map(|v| v.iter()) {
        let vpath = format!("{path}.variants.{vname}");
        let camel = names::camel(vname);
        if !names::is_camel_ident(&camel) || !vnames.take_exact(&camel) {
            cx.err(
                &vpath,
                format!("variant name `{vname}` is not a free UpperCamelCase name (`Other` is the escape hatch)"),
            );
        }
        if let Some(r) = &v.rust_name {
            if !names::is_camel_ident(r) {
                cx.err(
                    format!("{vpath}.rust_name"),
                    format!("`{r}` is not UpperCamelCase"),
                );
            }
        }
        let struct_name = v
            .rust_name
            .clone()
            .unwrap_or_else(|| format!("{rust}{camel}"));
        if !rust_names.take_exact(&struct_name) {
            cx.err(
                &vpath,
                format!("Rust name `{struct_name}` of the provider's struct is already taken (give `rust_name`)"),
            );
        }
        fields_names(cx, &vpath, &v.fields);
        constructor_names(cx, &vpath, &v.providers, &mut constructors);
    }
}

fn fields_names(cx: &mut Ctx<'_>, path: &str, fields: &UniqueMap<JsonField>) {
    let mut rust = Namespace::with_reserved(STRUCT_RESERVED);
    for (key, f) in fields.iter() {
        let name = f.rust_name.clone().unwrap_or_else(|| names::snake(key));
        if !names::is_snake_ident(&name) || !rust.take_exact(&name) {
            cx.err(
                format!("{path}.fields.{key}"),
                format!("Rust name `{name}` is not a free snake_case name (give `rust_name`)"),
            );
        }
    }
}

fn constructor_names(
    cx: &mut Ctx<'_>,
    path: &str,
    providers: &UniqueMap<JsonProvider>,
    constructors: &mut Namespace,
) {
    for (name, _) in providers.iter() {
        if !names::is_snake_ident(name) || !constructors.take_exact(name) {
            cx.err(
                format!("{path}.providers.{name}"),
                format!("constructor `{name}` is not a free snake_case name on its type"),
            );
        }
    }
}
