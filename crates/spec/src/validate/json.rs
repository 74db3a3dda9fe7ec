//! The `json_types` section and the members marked `"json"`: every member
//! carries a known type of a string, every type is carried, and each type is
//! either providers told apart by a discriminator or one open object, with
//! keys of known kinds, ranges and allowed values of those kinds, and
//! examples that parse and name their provider. (The Rust names they make
//! are the generator's to check.)

use std::collections::BTreeSet;

use serde_json::Value;

use super::Ctx;
use crate::{JsonField, JsonProvider, Spec, UniqueMap};

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
        let Some(kind) = f.kind() else {
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
