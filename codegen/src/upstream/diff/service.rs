//! The service's own facts, its waiters and its event callbacks.

use super::{by_key, doc_change, keyed, Change, ChangeKind, Impact, Keyed};
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
/// A waiter in a report: what it polls and its states.
fn shown(w: &Waiter) -> String {
    format!(
        "{} {} success {:?} failure {:?}",
        w.action, w.status, w.success, w.failure
    )
}

pub(super) fn waiters(old: &UniqueMap<Waiter>, new: &UniqueMap<Waiter>, out: &mut Vec<Change>) {
    keyed(old.iter(), new.iter(), |e| match e {
        Keyed::Added(name, n) => out.push(
            Change::new(
                ChangeKind::ActionAdded,
                format!("waiters.{name}"),
                Impact::Additive,
            )
            .values(None, Some(shown(n)))
            .why("a new `wait_until_*` method and `trtc wait` command"),
        ),
        Keyed::Both(name, o, n) => waiter(&format!("waiters.{name}"), o, n, out),
        Keyed::Removed(name, o) => out.push(
            Change::new(
                ChangeKind::ActionRemoved,
                format!("waiters.{name}"),
                Impact::Breaking,
            )
            .values(Some(o.action.clone()), None)
            .why("its `wait_until_*` method is removed"),
        ),
    });
}

/// One waiter in both specs: renamed, waiting differently, or redocumented.
fn waiter(path: &str, o: &Waiter, n: &Waiter, out: &mut Vec<Change>) {
    // Every field, so that a new spec field does not compile until the
    // report handles it (`sources`: maintainers' notes, not rendered).
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
    if o.rust_name != *rust_name {
        out.push(
            Change::new(ChangeKind::ActionChanged, path, Impact::Breaking)
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
            Change::new(ChangeKind::Behaviour, path, Impact::Patch)
                .values(Some(shown(o)), Some(shown(n)))
                .why("the waiter polls, matches or times out differently"),
        );
    }
    doc_change(
        out,
        path.to_owned(),
        "description",
        &o.description,
        description,
    );
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
    let event = |e: &CallbackEvent| {
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
    keyed(by_key(&old), by_key(&new), |e| match e {
        Keyed::Added(path, n) => out.push(
            Change::new(ChangeKind::ShapeAdded, path, Impact::Additive)
                .values(None, Some(event(n)))
                .why("a new variant of the `#[non_exhaustive]` callback `Event`"),
        ),
        Keyed::Both(path, o, n) => {
            // Every field (`name`: Tencent's constant, not generated).
            let CallbackEvent {
                event_type,
                name: _,
                description,
                info,
                payload,
            } = n;
            if o.event_type != *event_type || o.info != *info || o.payload != *payload {
                out.push(
                    Change::new(ChangeKind::TypeChanged, path, Impact::Breaking)
                        .values(Some(event(o)), Some(event(n)))
                        .why("the event is matched or parsed differently"),
                );
            }
            doc_change(
                out,
                path.to_owned(),
                "description",
                &o.description,
                description,
            );
        }
        Keyed::Removed(path, o) => out.push(
            Change::new(ChangeKind::ShapeRemoved, path, Impact::Breaking)
                .values(Some(format!("type {}", o.event_type)), None)
                .why("its variant of the callback `Event` is removed"),
        ),
    });
}
