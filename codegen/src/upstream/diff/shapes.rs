//! The shapes: structures and their members (judged by the Rust types the
//! generator gives them), enums and their values.

use super::names::Names;
use super::{
    count, deprecation, doc_change, editions_changed, keyed, Change, ChangeKind, Cx, Impact, Keyed,
};
use crate::limits::{self, Comparison, Limit};
use crate::spec::{EnumValue, Member, Shape, ShapeKind, UniqueMap};

impl Cx<'_> {
    pub(super) fn shapes(&self, out: &mut Vec<Change>) {
        keyed(
            self.old.shapes.iter(),
            self.new.shapes.iter(),
            |e| match e {
                Keyed::Added(name, new) => {
                    let what = match (&new.kind, &new.members, &new.values) {
                        (ShapeKind::Structure, Some(m), _) => {
                            format!("structure, {}", count(m.len(), "member"))
                        }
                        (ShapeKind::Enum, _, Some(v)) => {
                            format!("enum, {}", count(v.len(), "value"))
                        }
                        (ShapeKind::Structure, ..) => "structure".to_owned(),
                        (ShapeKind::Enum, ..) => "enum".to_owned(),
                    };
                    out.push(
                        Change::new(ChangeKind::ShapeAdded, name, Impact::Additive)
                            .values(None, Some(what)),
                    );
                }
                Keyed::Both(name, old, new) => self.shape(name, old, new, out),
                Keyed::Removed(name, _) => out.push(Change::new(
                    ChangeKind::ShapeRemoved,
                    name,
                    Impact::Breaking,
                )),
            },
        );
    }

    fn shape(&self, name: &str, old: &Shape, new: &Shape, out: &mut Vec<Change>) {
        // Every field, so that a new spec field does not compile until the
        // report handles it: `members` and `base`/`values` are compared by
        // `members` and `enum_values`; `rust_name` by its effect, the type name.
        let Shape {
            kind: old_kind,
            description: old_description,
            members: _,
            base: _,
            values: _,
            deprecated: old_deprecated,
            rust_name: _,
            editions: old_editions,
            language: old_language,
        } = old;
        let Shape {
            kind: new_kind,
            description: new_description,
            members: _,
            base: _,
            values: _,
            deprecated: new_deprecated,
            rust_name: _,
            editions: new_editions,
            language: new_language,
        } = new;
        editions_changed(
            name,
            old_editions,
            new_editions,
            old_language,
            new_language,
            out,
        );
        if old_kind != new_kind {
            let kind = |s: &Shape| match s.kind {
                ShapeKind::Structure => "structure".to_owned(),
                ShapeKind::Enum => "enum".to_owned(),
            };
            out.push(
                Change::new(ChangeKind::ShapeKindChanged, name, Impact::Breaking)
                    .values(Some(kind(old)), Some(kind(new))),
            );
            return;
        }
        self.renamed(
            out,
            name,
            "type",
            self.rust(|m| m.shapes.get(name).cloned()),
        );
        deprecation(out, name, *old_deprecated, *new_deprecated);
        doc_change(
            out,
            format!("{name}.description"),
            "description",
            old_description,
            new_description,
        );
        match old_kind {
            ShapeKind::Structure => self.members(name, old, new, out),
            ShapeKind::Enum => enum_values(name, old, new, out),
        }
    }

    fn members(&self, shape: &str, old: &Shape, new: &Shape, out: &mut Vec<Change>) {
        let empty = UniqueMap::new();
        let old_members = old.members.as_ref().unwrap_or(&empty);
        let new_members = new.members.as_ref().unwrap_or(&empty);
        let rust_type = |names: &Option<Names>, wire: &str| {
            names
                .as_ref()
                .and_then(|n| n.members.get(&(shape.to_owned(), wire.to_owned())))
                .map(|(_, ty)| ty.clone())
        };
        keyed(old_members.iter(), new_members.iter(), |e| match e {
            Keyed::Added(wire, n) => {
                let shown = rust_type(&self.new_model, wire).unwrap_or_else(|| n.spec_type());
                let input = self.new_inputs.contains(shape);
                let change = Change::new(
                    ChangeKind::MemberAdded,
                    format!("{shape}.{wire}"),
                    Impact::Additive,
                )
                .values(None, Some(shown));
                out.push(if input && n.required {
                    Change {
                        impact: Impact::Breaking,
                        ..change
                    }
                    .why("a required input member: building the struct now needs it")
                } else if input {
                    change.why("an optional input member of a `#[non_exhaustive]` struct")
                } else {
                    change.why("an output member of a `#[non_exhaustive]` struct")
                });
            }
            Keyed::Both(wire, o, n) => self.member(shape, wire, o, n, out),
            Keyed::Removed(wire, o) => {
                let shown = rust_type(&self.old_model, wire).unwrap_or_else(|| o.spec_type());
                out.push(
                    Change::new(
                        ChangeKind::MemberRemoved,
                        format!("{shape}.{wire}"),
                        Impact::Breaking,
                    )
                    .values(Some(shown), None),
                );
            }
        });
    }

    fn member(&self, shape: &str, wire: &str, o: &Member, n: &Member, out: &mut Vec<Change>) {
        // Every field, so that a new spec field does not compile until the
        // report handles it (`ty` and `items` through `spec_type`, `rust_name`
        // by its effect, the field name; `required` and `nullable` by theirs,
        // the `Option`, in `member_optionality`).
        let Member {
            ty: _,
            items: _,
            required: _,
            nullable: _,
            sensitive: o_sensitive,
            deprecated: o_deprecated,
            description: o_description,
            example: o_example,
            rust_name: _,
            editions: o_editions,
            language: o_language,
            json: o_json,
            limits: o_limits,
        } = o;
        let Member {
            ty: _,
            items: _,
            required: _,
            nullable: _,
            sensitive: n_sensitive,
            deprecated: n_deprecated,
            description: n_description,
            example: n_example,
            rust_name: _,
            editions: n_editions,
            language: n_language,
            json: n_json,
            limits: n_limits,
        } = n;
        let path = format!("{shape}.{wire}");
        editions_changed(&path, o_editions, n_editions, o_language, n_language, out);
        let key = (shape.to_owned(), wire.to_owned());
        let rust = self.rust(|m| m.members.get(&key).cloned());
        if let Some(((of, _), (nf, _))) = &rust {
            if of != nf {
                out.push(
                    Change::new(ChangeKind::Renamed, &path, Impact::Breaking)
                        .values(Some(of.clone()), Some(nf.clone()))
                        .why("the generated field and setters are renamed"),
                );
            }
        }
        let rust_types = rust
            .as_ref()
            .map(|((_, ot), (_, nt))| (ot.clone(), nt.clone()));
        member_type(&path, o, n, rust_types.as_ref(), out);
        member_optionality(&path, o, n, rust_types.as_ref(), out);
        if o_json != n_json {
            let shown = |j: &Option<String>| match j {
                Some(t) => format!("JsonString<{t}>"),
                None => "String".to_owned(),
            };
            out.push(
                Change::new(ChangeKind::TypeChanged, &path, Impact::Breaking)
                    .values(Some(shown(o_json)), Some(shown(n_json)))
                    .why("the JSON carried in the string is typed differently"),
            );
        }
        deprecation(out, &path, *o_deprecated, *n_deprecated);
        if let Some(c) = limit_change(&path, o_limits, n_limits, self.new_inputs.contains(shape)) {
            out.push(c);
        }
        if *o_sensitive != *n_sensitive {
            out.push(
                Change::new(
                    ChangeKind::Behaviour,
                    format!("{path}.sensitive"),
                    Impact::Patch,
                )
                .values(Some(o_sensitive.to_string()), Some(n_sensitive.to_string()))
                .why("whether `Debug` shows the value"),
            );
        }
        doc_change(
            out,
            path.clone(),
            "description",
            o_description,
            n_description,
        );
        doc_change(
            out,
            format!("{path}.example"),
            "example",
            o_example,
            n_example,
        );
    }
}

pub(super) fn enum_values(name: &str, old: &Shape, new: &Shape, out: &mut Vec<Change>) {
    if old.base != new.base {
        out.push(
            Change::new(ChangeKind::ShapeKindChanged, name, Impact::Breaking)
                .values(old.base.clone(), new.base.clone())
                .why("the enum's base type changed"),
        );
    }
    let empty = Vec::new();
    let old_values = old.values.as_ref().unwrap_or(&empty);
    let new_values = new.values.as_ref().unwrap_or(&empty);
    let path = |v: &serde_json::Value| format!("{name}.values[{v}]");
    keyed(by_value(old_values), by_value(new_values), |e| match e {
        Keyed::Added(value, n) => out.push(
            Change::new(ChangeKind::EnumValueAdded, path(value), Impact::Additive)
                .values(None, Some(n.name.clone()))
                .why("a new variant of a `#[non_exhaustive]` enum"),
        ),
        Keyed::Both(value, o, n) => {
            if crate::names::camel(&o.name) != crate::names::camel(&n.name) {
                out.push(
                    Change::new(ChangeKind::Renamed, path(value), Impact::Breaking)
                        .values(Some(o.name.clone()), Some(n.name.clone()))
                        .why("the variant is renamed"),
                );
            }
            doc_change(
                out,
                path(value),
                "description",
                &o.description,
                &n.description,
            );
        }
        Keyed::Removed(value, o) => out.push(
            Change::new(ChangeKind::EnumValueRemoved, path(value), Impact::Breaking)
                .values(Some(o.name.clone()), None)
                .why("its variant is removed"),
        ),
    });
}

/// An enum's values keyed by their wire value.
fn by_value(values: &[EnumValue]) -> Vec<(&serde_json::Value, &EnumValue)> {
    values.iter().map(|v| (&v.value, v)).collect()
}

/// The Rust type of the field, as `Option` aside: `strip`ped of it.
fn strip_option(t: &str) -> String {
    t.strip_prefix("Option<")
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(t)
        .to_owned()
}

/// A member's type: breaking when the Rust type changes (or its boxing),
/// patch when only the spec type does.
fn member_type(
    path: &str,
    o: &Member,
    n: &Member,
    rust_types: Option<&(String, String)>,
    out: &mut Vec<Change>,
) {
    if o.spec_type() != n.spec_type() {
        let same_rust = rust_types.is_some_and(|(ot, nt)| strip_option(ot) == strip_option(nt));
        let change = Change::new(ChangeKind::TypeChanged, path, Impact::Breaking)
            .values(Some(o.spec_type()), Some(n.spec_type()));
        out.push(if same_rust {
            Change {
                impact: Impact::Patch,
                ..change
            }
            .why("the Rust type is unchanged")
        } else if let Some((ot, nt)) = rust_types {
            change.why(format!("`{ot}` → `{nt}`"))
        } else {
            change
        });
    } else if let Some((ot, nt)) = rust_types {
        if strip_option(ot) != strip_option(nt) && (ot.contains("Box<") || nt.contains("Box<")) {
            out.push(
                Change::new(ChangeKind::TypeChanged, path, Impact::Breaking)
                    .values(Some(ot.clone()), Some(nt.clone()))
                    .why("boxing changed (a new or broken cycle)"),
            );
        }
    }
}

/// Required and nullable: breaking when the field's `Option` changes.
fn member_optionality(
    path: &str,
    o: &Member,
    n: &Member,
    rust_types: Option<&(String, String)>,
    out: &mut Vec<Change>,
) {
    let option_changed = o.is_optional() != n.is_optional();
    let req = |b: bool| if b { "required" } else { "optional" }.to_owned();
    let option_why = || match rust_types {
        Some((ot, nt)) => format!("`{ot}` → `{nt}`"),
        None if n.is_optional() => "`T` → `Option<T>`".to_owned(),
        None => "`Option<T>` → `T`".to_owned(),
    };
    if o.required != n.required {
        let change = Change::new(ChangeKind::RequiredChanged, path, Impact::Breaking)
            .values(Some(req(o.required)), Some(req(n.required)));
        out.push(if option_changed {
            change.why(option_why())
        } else {
            Change {
                impact: Impact::Patch,
                ..change
            }
            .why("the Rust type is unchanged (the member is nullable)")
        });
    }
    if o.nullable != n.nullable {
        let nul = |b: bool| if b { "nullable" } else { "not nullable" }.to_owned();
        let change = Change::new(ChangeKind::NullableChanged, path, Impact::Patch)
            .values(Some(nul(o.nullable)), Some(nul(n.nullable)));
        out.push(if option_changed && o.required == n.required {
            Change {
                impact: Impact::Breaking,
                ..change
            }
            .why(option_why())
        } else {
            change.why("the Rust type is unchanged")
        });
    }
}

/// A member's limits by the values they accept (`crate::limits::compare`):
/// narrower is breaking for callers (a value accepted before is refused
/// before sending), wider additive, the same values silent. Limits of members
/// that are never sent (outputs) are documentation.
fn limit_change(path: &str, old: &[Limit], new: &[Limit], input: bool) -> Option<Change> {
    let shown = |ls: &[Limit]| {
        if ls.is_empty() {
            "none".to_owned()
        } else {
            ls.iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    let (impact, why) = match (limits::compare(old, new), input) {
        (Comparison::Unchanged, _) => return None,
        (_, false) => (Impact::Patch, "documentation: responses are not checked"),
        (Comparison::Narrower, true) => (
            Impact::Breaking,
            "narrower: a value accepted before is refused before sending",
        ),
        (Comparison::Different, true) => (
            Impact::Breaking,
            "changed: some values accepted before are refused before sending",
        ),
        (Comparison::Wider, true) => (Impact::Additive, "wider: more values are accepted"),
    };
    Some(
        Change::new(ChangeKind::LimitChanged, format!("{path}.limits"), impact)
            .values(Some(shown(old)), Some(shown(new)))
            .why(why),
    )
}
