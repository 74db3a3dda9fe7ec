//! The JSON documents carried in string members: types, variants, keys.

use super::{doc_change, Change, ChangeKind, Impact};
use crate::spec::{JsonField, JsonType, JsonTypes, JsonVariant, UniqueMap};

/// The JSON documents carried in strings: each type's variants and keys are
/// generated Rust (an enum, structs, constructors taking the required keys).
pub(super) fn json_types(old: Option<&JsonTypes>, new: Option<&JsonTypes>, out: &mut Vec<Change>) {
    let empty = UniqueMap::new();
    fn types(t: Option<&JsonTypes>) -> Option<&UniqueMap<JsonType>> {
        t.map(|t| {
            let JsonTypes {
                description: _,
                sources: _,
                types,
            } = t;
            types
        })
    }
    let (old, new) = (types(old).unwrap_or(&empty), types(new).unwrap_or(&empty));
    // Every variant (or the open object) of a type as `(path, fields)`.
    let variants = |name: &str, t: &JsonType| -> Vec<(String, String, UniqueMap<JsonField>)> {
        let JsonType {
            description: _,
            discriminator,
            variants,
            fields,
            providers: _,
            rust_name: _,
        } = t;
        let mut out = Vec::new();
        if let Some(f) = fields {
            out.push((format!("json_types.{name}"), String::new(), f.clone()));
        }
        for (v, variant) in variants.iter().flat_map(|v| v.iter()) {
            let JsonVariant {
                value,
                description: _,
                fields,
                providers: _,
                rust_name: _,
            } = variant;
            out.push((
                format!("json_types.{name}.{v}"),
                format!("{}={value}", discriminator.as_deref().unwrap_or("")),
                fields.clone(),
            ));
        }
        out
    };
    for (name, n) in new.iter() {
        let Some(o) = old.get(name) else {
            out.push(
                Change::new(
                    ChangeKind::ShapeAdded,
                    format!("json_types.{name}"),
                    Impact::Additive,
                )
                .why("a new JSON type in the model crate's `json` module"),
            );
            continue;
        };
        doc_change(
            out,
            format!("json_types.{name}"),
            "description",
            &o.description,
            &n.description,
        );
        let (ov, nv) = (variants(name, o), variants(name, n));
        for (path, disc, fields) in &nv {
            let Some((_, odisc, ofields)) = ov.iter().find(|(p, _, _)| p == path) else {
                out.push(
                    Change::new(ChangeKind::ShapeAdded, path, Impact::Additive)
                        .values(None, Some(disc.clone()))
                        .why("a new variant of a `#[non_exhaustive]` enum"),
                );
                continue;
            };
            if odisc != disc {
                out.push(
                    Change::new(ChangeKind::TypeChanged, path, Impact::Breaking)
                        .values(Some(odisc.clone()), Some(disc.clone()))
                        .why("the variant is matched by another discriminator value"),
                );
            }
            json_fields(path, ofields, fields, out);
        }
        for (path, _, _) in &ov {
            if !nv.iter().any(|(p, _, _)| p == path) {
                out.push(Change::new(
                    ChangeKind::ShapeRemoved,
                    path,
                    Impact::Breaking,
                ));
            }
        }
    }
    for (name, _) in old.iter() {
        if !new.contains_key(name) {
            out.push(Change::new(
                ChangeKind::ShapeRemoved,
                format!("json_types.{name}"),
                Impact::Breaking,
            ));
        }
    }
}

fn json_fields(
    path: &str,
    old: &UniqueMap<JsonField>,
    new: &UniqueMap<JsonField>,
    out: &mut Vec<Change>,
) {
    let shown = |f: &JsonField| match &f.items {
        Some(i) => format!("{}<{i}>", f.ty),
        None => f.ty.clone(),
    };
    for (key, n) in new.iter() {
        let JsonField {
            ty: _,
            items: _,
            required,
            sensitive,
            description,
            default: _,
            min,
            max,
            allowed,
            examples: _,
            rust_name: _,
        } = n;
        let fpath = format!("{path}.{key}");
        let Some(o) = old.get(key) else {
            out.push(if *required {
                Change::new(ChangeKind::MemberAdded, fpath, Impact::Breaking)
                    .values(None, Some(shown(n)))
                    .why("a required key: the constructor takes one more argument")
            } else {
                Change::new(ChangeKind::MemberAdded, fpath, Impact::Additive)
                    .values(None, Some(shown(n)))
                    .why("an optional key of a `#[non_exhaustive]` struct")
            });
            continue;
        };
        if shown(o) != shown(n) {
            out.push(
                Change::new(ChangeKind::TypeChanged, &fpath, Impact::Breaking)
                    .values(Some(shown(o)), Some(shown(n))),
            );
        }
        if o.required != *required {
            let req = |b: bool| if b { "required" } else { "optional" }.to_owned();
            out.push(
                Change::new(ChangeKind::RequiredChanged, &fpath, Impact::Breaking)
                    .values(Some(req(o.required)), Some(req(*required)))
                    .why("the field's type and the constructor's arguments change"),
            );
        }
        if o.sensitive != *sensitive {
            out.push(
                Change::new(
                    ChangeKind::Behaviour,
                    format!("{fpath}.sensitive"),
                    Impact::Patch,
                )
                .values(Some(o.sensitive.to_string()), Some(sensitive.to_string()))
                .why("whether `Debug` shows the value"),
            );
        }
        if o.min != *min || o.max != *max || o.allowed != *allowed {
            out.push(
                Change::new(ChangeKind::Behaviour, &fpath, Impact::Patch)
                    .why("the values checked before sending changed"),
            );
        }
        doc_change(out, fpath, "description", &o.description, description);
    }
    for (key, o) in old.iter() {
        if !new.contains_key(key) {
            out.push(
                Change::new(
                    ChangeKind::MemberRemoved,
                    format!("{path}.{key}"),
                    Impact::Breaking,
                )
                .values(Some(shown(o)), None),
            );
        }
    }
}
