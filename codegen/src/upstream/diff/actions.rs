//! The actions: added and removed, and each one's input and output, Rust
//! method, docs, behaviour (regions, limits, hosts), stream, paginator and
//! error codes.

use std::fmt;

use super::names::Names;
use super::{
    deprecation, doc_change, editions_changed, keyed, Change, ChangeKind, Cx, Impact, Keyed,
};
use crate::paginate;
use crate::spec::{Action, Pagination, RateLimit, Spec, Stream, UniqueMap};

/// The effective paginator of an action, as the model decides it.
fn paginator(spec: &Spec, a: &Action) -> Option<Pagination> {
    paginate::effective(spec, a).map(|e| e.pagination)
}

fn describe_paginator(p: &Pagination) -> String {
    format!("{}/{} → {}, {}", p.cursor, p.size, p.items, p.total)
}

impl Cx<'_> {
    pub(super) fn actions(&self, out: &mut Vec<Change>) {
        let shapes = |a: &Action| format!("{} → {}", a.input, a.output);
        keyed(
            self.old.actions.iter(),
            self.new.actions.iter(),
            |e| match e {
                Keyed::Added(name, new) => out.push(
                    Change::new(ChangeKind::ActionAdded, name, Impact::Additive)
                        .values(None, Some(shapes(new))),
                ),
                Keyed::Both(name, old, new) => self.action(name, old, new, out),
                Keyed::Removed(name, old) => out.push(
                    Change::new(ChangeKind::ActionRemoved, name, Impact::Breaking)
                        .values(Some(shapes(old)), None),
                ),
            },
        );
    }

    fn action(&self, name: &str, old: &Action, new: &Action, out: &mut Vec<Change>) {
        // Every field of both sides, so that a new spec field does not compile
        // until the report handles it. Not compared: `sources` (maintainers'
        // notes, not rendered), `rust_name` (its effect is the method name,
        // compared below), `paginator` (its effect, the effective paginator).
        let Action {
            title: old_title,
            description: old_description,
            notes: old_notes,
            sources: _,
            input: old_input,
            output: old_output,
            regions: old_regions,
            rate_limit: old_rate_limit,
            endpoint: old_endpoint,
            international_endpoint: old_international_endpoint,
            stream: old_stream,
            paginator: _,
            deprecated: old_deprecated,
            errors: old_errors,
            examples: old_examples,
            rust_name: _,
            editions: old_editions,
            language: old_language,
        } = old;
        let Action {
            title: new_title,
            description: new_description,
            notes: new_notes,
            sources: _,
            input: new_input,
            output: new_output,
            regions: new_regions,
            rate_limit: new_rate_limit,
            endpoint: new_endpoint,
            international_endpoint: new_international_endpoint,
            stream: new_stream,
            paginator: _,
            deprecated: new_deprecated,
            errors: new_errors,
            examples: new_examples,
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
        for (field, o, n) in [
            ("input", old_input, new_input),
            ("output", old_output, new_output),
        ] {
            if o != n {
                out.push(
                    Change::new(
                        ChangeKind::ActionChanged,
                        format!("{name}.{field}"),
                        Impact::Breaking,
                    )
                    .values(Some(o.clone()), Some(n.clone()))
                    .why(format!("the {field} is another type")),
                );
            }
        }
        self.renamed(
            out,
            name,
            "method",
            self.rust(|m| m.methods.get(name).cloned()),
        );
        deprecation(out, name, *old_deprecated, *new_deprecated);
        doc_change(out, format!("{name}.title"), "title", old_title, new_title);
        doc_change(
            out,
            format!("{name}.description"),
            "description",
            old_description,
            new_description,
        );
        doc_change(out, format!("{name}.notes"), "notes", old_notes, new_notes);
        if old_examples != new_examples {
            out.push(
                Change::new(ChangeKind::Doc, format!("{name}.examples"), Impact::Patch)
                    .values(
                        Some(format!("{} examples", old_examples.len())),
                        Some(format!("{} examples", new_examples.len())),
                    )
                    .why("documented examples changed"),
            );
        }
        let show = |v: &dyn fmt::Debug| format!("{v:?}");
        let limit = |r: &Option<RateLimit>| r.map_or_else(|| "none".into(), |r| r.to_string());
        behaviour(
            name,
            [
                ("regions", old_regions.join(", "), new_regions.join(", ")),
                ("rate_limit", limit(old_rate_limit), limit(new_rate_limit)),
                ("endpoint", show(old_endpoint), show(new_endpoint)),
                (
                    "international_endpoint",
                    show(old_international_endpoint),
                    show(new_international_endpoint),
                ),
            ],
            out,
        );
        stream(name, old_stream.as_ref(), new_stream.as_ref(), out);
        pagination(
            name,
            paginator(self.old, old),
            paginator(self.new, new),
            out,
        );
        self.codes(
            &format!("{name}.errors"),
            old_errors,
            new_errors,
            |m, c| {
                m.action_codes
                    .get(&(name.to_owned(), c.to_owned()))
                    .cloned()
            },
            out,
        );
    }

    pub(super) fn codes(
        &self,
        prefix: &str,
        old: &UniqueMap<String>,
        new: &UniqueMap<String>,
        variant: impl Fn(&Names, &str) -> Option<String>,
        out: &mut Vec<Change>,
    ) {
        keyed(old.iter(), new.iter(), |e| match e {
            Keyed::Added(code, _) => out.push(Change::new(
                ChangeKind::ErrorCodeAdded,
                format!("{prefix}.{code}"),
                Impact::Additive,
            )),
            Keyed::Both(code, o, n) => {
                let path = format!("{prefix}.{code}");
                self.renamed(out, &path, "variant", self.rust(|m| variant(m, code)));
                doc_change(out, path, "description", &Some(o.clone()), &Some(n.clone()));
            }
            Keyed::Removed(code, _) => out.push(Change::new(
                ChangeKind::ErrorCodeRemoved,
                format!("{prefix}.{code}"),
                Impact::Breaking,
            )),
        });
    }
}

/// Behaviour only (regions, limits, hosts): each `(field, old, new)` that differs.
fn behaviour<const N: usize>(
    name: &str,
    fields: [(&str, String, String); N],
    out: &mut Vec<Change>,
) {
    for (field, o, n) in fields {
        if o != n {
            out.push(
                Change::new(
                    ChangeKind::Behaviour,
                    format!("{name}.{field}"),
                    Impact::Patch,
                )
                .values(Some(o), Some(n)),
            );
        }
    }
}

/// An event stream gained or lost (another return type), its events another
/// type, or read differently.
fn stream(name: &str, old: Option<&Stream>, new: Option<&Stream>, out: &mut Vec<Change>) {
    let path = format!("{name}.stream");
    let form = |s: Option<&Stream>| {
        if s.is_some() {
            "stream"
        } else {
            "one response"
        }
        .to_owned()
    };
    match (old, new) {
        (None, Some(_)) | (Some(_), None) => out.push(
            Change::new(ChangeKind::ActionChanged, path, Impact::Breaking)
                .values(Some(form(old)), Some(form(new)))
                .why("`send` returns another type"),
        ),
        (Some(o), Some(n)) if o.event != n.event => out.push(
            Change::new(ChangeKind::ActionChanged, path, Impact::Breaking)
                .values(Some(o.event.clone()), Some(n.event.clone()))
                .why("the events are another type"),
        ),
        (Some(o), Some(n)) if o != n => out.push(
            Change::new(ChangeKind::Behaviour, path, Impact::Patch)
                .why("how the stream's events are read changed"),
        ),
        _ => {}
    }
}

/// A paginator generated, no longer generated, or paging differently.
fn pagination(name: &str, old: Option<Pagination>, new: Option<Pagination>, out: &mut Vec<Change>) {
    let path = format!("{name}.paginator");
    match (old, new) {
        (None, Some(p)) => out.push(
            Change::new(ChangeKind::ActionChanged, path, Impact::Additive)
                .values(None, Some(describe_paginator(&p)))
                .why("a paginator is generated"),
        ),
        (Some(p), None) => out.push(
            Change::new(ChangeKind::ActionChanged, path, Impact::Breaking)
                .values(Some(describe_paginator(&p)), None)
                .why("the paginator is no longer generated"),
        ),
        (Some(o), Some(n)) if o != n => out.push(
            Change::new(ChangeKind::Behaviour, path, Impact::Patch)
                .values(Some(describe_paginator(&o)), Some(describe_paginator(&n))),
        ),
        _ => {}
    }
}
