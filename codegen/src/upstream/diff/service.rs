//! The service's own facts, its waiters and its event callbacks.

use super::{doc_change, Change, ChangeKind, Impact};
use crate::spec::{CallbackEvent, Callbacks, Service, UniqueMap, Waiter};

/// The service's own facts: its name and version name the crates and are
/// sent with every call; hosts are behaviour; title and description docs.
pub(super) fn service(old: &Service, new: &Service, out: &mut Vec<Change>) {
    let Service {
        name: old_name,
        version: old_version,
        title: old_title,
        description: old_description,
        endpoint: old_endpoint,
        international_endpoint: old_international,
    } = old;
    let Service {
        name: new_name,
        version: new_version,
        title: new_title,
        description: new_description,
        endpoint: new_endpoint,
        international_endpoint: new_international,
    } = new;
    for (field, o, n) in [
        ("name", old_name, new_name),
        ("version", old_version, new_version),
    ] {
        if o != n {
            out.push(
                Change::new(
                    ChangeKind::ActionChanged,
                    format!("service.{field}"),
                    Impact::Breaking,
                )
                .values(Some(o.clone()), Some(n.clone()))
                .why("another service or API version: other crates"),
            );
        }
    }
    for (field, o, n) in [
        ("endpoint", Some(old_endpoint), Some(new_endpoint)),
        (
            "international_endpoint",
            old_international.as_ref(),
            new_international.as_ref(),
        ),
    ] {
        if o != n {
            out.push(
                Change::new(
                    ChangeKind::Behaviour,
                    format!("service.{field}"),
                    Impact::Patch,
                )
                .values(o.cloned(), n.cloned()),
            );
        }
    }
    doc_change(out, "service.title".into(), "title", old_title, new_title);
    doc_change(
        out,
        "service.description".into(),
        "description",
        old_description,
        new_description,
    );
}

/// The waiters: a new one is a new `wait_until_*` method (and CLI command); a
/// removed one removes it; a changed action, status, state set or default
/// changes what waiting means.
pub(super) fn waiters(old: &UniqueMap<Waiter>, new: &UniqueMap<Waiter>, out: &mut Vec<Change>) {
    for (name, n) in new.iter() {
        let path = format!("waiters.{name}");
        let Waiter {
            description,
            sources: _,
            action,
            status,
            success,
            failure,
            not_found,
            not_found_codes,
            interval_seconds,
            max_wait_seconds,
            rust_name,
        } = n;
        let shown = |w: &Waiter| {
            format!(
                "{} {} success {:?} failure {:?}",
                w.action, w.status, w.success, w.failure
            )
        };
        match old.get(name) {
            None => out.push(
                Change::new(ChangeKind::ActionAdded, path, Impact::Additive)
                    .values(None, Some(shown(n)))
                    .why("a new `wait_until_*` method and `trtc wait` command"),
            ),
            Some(o) => {
                if o.rust_name != *rust_name {
                    out.push(
                        Change::new(ChangeKind::ActionChanged, path.clone(), Impact::Breaking)
                            .values(o.rust_name.clone(), rust_name.clone())
                            .why("the waiter's method is renamed"),
                    );
                }
                if o.action != *action
                    || o.status != *status
                    || o.success != *success
                    || o.failure != *failure
                    || o.not_found != *not_found
                    || o.not_found_codes != *not_found_codes
                    || o.interval_seconds != *interval_seconds
                    || o.max_wait_seconds != *max_wait_seconds
                {
                    out.push(
                        Change::new(ChangeKind::Behaviour, path.clone(), Impact::Patch)
                            .values(Some(shown(o)), Some(shown(n)))
                            .why("the waiter polls, matches or times out differently"),
                    );
                }
                doc_change(out, path, "description", &o.description, description);
            }
        }
    }
    for (name, o) in old.iter() {
        if !new.contains_key(name) {
            out.push(
                Change::new(
                    ChangeKind::ActionRemoved,
                    format!("waiters.{name}"),
                    Impact::Breaking,
                )
                .values(Some(o.action.clone()), None)
                .why("its `wait_until_*` method is removed"),
            );
        }
    }
}

/// The event callbacks: a new event type is a new variant of the
/// `#[non_exhaustive]` `Event`; a removed one, or one that parses into another
/// structure, breaks code that matches it.
pub(super) fn callbacks(old: Option<&Callbacks>, new: Option<&Callbacks>, out: &mut Vec<Change>) {
    let events = |c: Option<&Callbacks>| -> Vec<(String, CallbackEvent)> {
        c.map(|c| {
            let Callbacks {
                description: _,
                sources: _,
                groups,
                examples: _,
            } = c;
            groups
                .iter()
                .flat_map(|(g, group)| {
                    group
                        .events
                        .iter()
                        .map(move |(e, ev)| (format!("callbacks.{g}.{e}"), ev.clone()))
                })
                .collect()
        })
        .unwrap_or_default()
    };
    let (old, new) = (events(old), events(new));
    for (path, n) in &new {
        let CallbackEvent {
            event_type,
            name: _,
            description,
            info,
            payload,
        } = n;
        let shown = |e: &CallbackEvent| {
            format!(
                "type {}: {}{}",
                e.event_type,
                e.info,
                e.payload
                    .as_deref()
                    .map(|p| format!(" + {p}"))
                    .unwrap_or_default()
            )
        };
        match old.iter().find(|(p, _)| p == path) {
            None => out.push(
                Change::new(ChangeKind::ShapeAdded, path, Impact::Additive)
                    .values(None, Some(shown(n)))
                    .why("a new variant of the `#[non_exhaustive]` callback `Event`"),
            ),
            Some((_, o)) => {
                if o.event_type != *event_type || o.info != *info || o.payload != *payload {
                    out.push(
                        Change::new(ChangeKind::TypeChanged, path, Impact::Breaking)
                            .values(Some(shown(o)), Some(shown(n)))
                            .why("the event is matched or parsed differently"),
                    );
                }
                doc_change(
                    out,
                    path.clone(),
                    "description",
                    &o.description,
                    description,
                );
            }
        }
    }
    for (path, o) in &old {
        if !new.iter().any(|(p, _)| p == path) {
            out.push(
                Change::new(ChangeKind::ShapeRemoved, path, Impact::Breaking)
                    .values(Some(format!("type {}", o.event_type)), None)
                    .why("its variant of the callback `Event` is removed"),
            );
        }
    }
}
