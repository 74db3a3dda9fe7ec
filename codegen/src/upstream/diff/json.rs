//! The JSON documents carried in string members: types, variants, keys.

use super::{by_key, doc_change, keyed, Change, ChangeKind, Impact, Keyed};
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
    let variants = |name: &str, t: &JsonType| -> Vec<(String, (String, UniqueMap<JsonField>))> {
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
            out.push((format!("json_types.{name}"), (String::new(), f.clone())));
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
                (
                    format!("{}={value}", discriminator.as_deref().unwrap_or("")),
                    fields.clone(),
                ),
            ));
        }
        out
    };
    keyed(old.iter(), new.iter(), |e| match e {
        Keyed::Added(name, _) => out.push(
            Change::new(
                ChangeKind::ShapeAdded,
                format!("json_types.{name}"),
                Impact::Additive,
            )
            .why("a new JSON type in the model crate's `json` module"),
        ),
        Keyed::Both(name, o, n) => {
            doc_change(
                out,
                format!("json_types.{name}"),
                "description",
                &o.description,
                &n.description,
            );
            let (ov, nv) = (variants(name, o), variants(name, n));
            keyed(by_key(&ov), by_key(&nv), |e| match e {
                Keyed::Added(path, (disc, _)) => out.push(
                    Change::new(ChangeKind::ShapeAdded, path, Impact::Additive)
                        .values(None, Some(disc.clone()))
                        .why("a new variant of a `#[non_exhaustive]` enum"),
                ),
                Keyed::Both(path, (odisc, ofields), (disc, fields)) => {
                    if odisc != disc {
                        out.push(
                            Change::new(ChangeKind::TypeChanged, path, Impact::Breaking)
                                .values(Some(odisc.clone()), Some(disc.clone()))
                                .why("the variant is matched by another discriminator value"),
                        );
                    }
                    json_fields(path, ofields, fields, out);
                }
                Keyed::Removed(path, _) => out.push(Change::new(
                    ChangeKind::ShapeRemoved,
                    path,
                    Impact::Breaking,
                )),
            });
        }
        Keyed::Removed(name, _) => out.push(Change::new(
            ChangeKind::ShapeRemoved,
            format!("json_types.{name}"),
            Impact::Breaking,
        )),
    });
}

fn json_fields(
    path: &str,
    old: &UniqueMap<JsonField>,
    new: &UniqueMap<JsonField>,
    out: &mut Vec<Change>,
) {
    keyed(old.iter(), new.iter(), |e| match e {
        Keyed::Added(key, n) => {
            let fpath = format!("{path}.{key}");
            out.push(if n.required {
                Change::new(ChangeKind::MemberAdded, fpath, Impact::Breaking)
                    .values(None, Some(shown(n)))
                    .why("a required key: the constructor takes one more argument")
            } else {
                Change::new(ChangeKind::MemberAdded, fpath, Impact::Additive)
                    .values(None, Some(shown(n)))
                    .why("an optional key of a `#[non_exhaustive]` struct")
            });
        }
        Keyed::Both(key, o, n) => json_field(&format!("{path}.{key}"), o, n, out),
        Keyed::Removed(key, o) => out.push(
            Change::new(
                ChangeKind::MemberRemoved,
                format!("{path}.{key}"),
                Impact::Breaking,
            )
            .values(Some(shown(o)), None),
        ),
    });
}

/// A key's type as reports show it: `string`, `list<object>`.
fn shown(f: &JsonField) -> String {
    match &f.items {
        Some(i) => format!("{}<{i}>", f.ty),
        None => f.ty.clone(),
    }
}

/// One key in both versions.
fn json_field(fpath: &str, o: &JsonField, n: &JsonField, out: &mut Vec<Change>) {
    // Every field, so that a new spec field does not compile until the report
    // handles it (`ty`/`items` through `shown`; `default` and `examples` are
    // documentation the constructors do not use; `rust_name` is the setter's).
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
    if shown(o) != shown(n) {
        out.push(
            Change::new(ChangeKind::TypeChanged, fpath, Impact::Breaking)
                .values(Some(shown(o)), Some(shown(n))),
        );
    }
    if o.required != *required {
        let req = |b: bool| if b { "required" } else { "optional" }.to_owned();
        out.push(
            Change::new(ChangeKind::RequiredChanged, fpath, Impact::Breaking)
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
            Change::new(ChangeKind::Behaviour, fpath, Impact::Patch)
                .why("the values checked before sending changed"),
        );
    }
    doc_change(
        out,
        fpath.to_owned(),
        "description",
        &o.description,
        description,
    );
}
