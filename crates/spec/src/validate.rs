//! Validation of a spec: references, shapes, actions, streams, paginators,
//! callbacks, waiters, JSON types and required cycles. Every problem is
//! collected with its JSON path; nothing is resolved here, and the Rust names
//! a spec asks for are the generator's to check.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::limits;
use crate::Prim;
use crate::{
    Action, CommonErrors, Edition, Language, Member, NotFound, PageStyle, PaginatorSpec, Shape,
    ShapeKind, Spec, SpecError, SpecErrors, UniqueMap, Waiter, ERRORS_FORMAT, SERVICE_FORMAT,
};

mod json;

/// The problems found so far in one file: every check adds to it, so that
/// all of a file's problems are reported together.
#[derive(Debug)]
pub struct Ctx<'a> {
    file: &'a Path,
    errors: Vec<SpecError>,
}

impl<'a> Ctx<'a> {
    /// No problems yet in `file`.
    pub fn new(file: &'a Path) -> Self {
        Ctx {
            file,
            errors: Vec::new(),
        }
    }

    /// Adds a problem at JSON path `path` (`$.shapes.X.members.Y`).
    pub fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError {
            file: self.file.to_owned(),
            path: path.into(),
            message: message.into(),
        });
    }

    /// Whether no problem was found.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok` when no problem was found, else every problem in the order found.
    pub fn finish(self) -> Result<(), SpecErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(SpecErrors(self.errors))
        }
    }
}

/// Validates `spec`, read from `file`: every problem, each with its JSON path.
pub fn validate_spec(file: &Path, spec: &Spec) -> Result<(), SpecErrors> {
    let mut cx = Ctx::new(file);
    validate(&mut cx, spec);
    cx.finish()
}

/// Reads, parses and validates a spec file.
pub fn load(file: &Path) -> Result<Spec, SpecErrors> {
    let spec: Spec = crate::read_json(file)?;
    validate_spec(file, &spec)?;
    Ok(spec)
}

fn valid_wire_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().any(|c| c.is_ascii_alphanumeric())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn valid_code(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
}

fn valid_host(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

fn valid_version(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn valid_region(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Checks the common error codes file.
pub fn check_common(file: &Path, common: &CommonErrors) -> Result<(), SpecErrors> {
    let mut cx = Ctx::new(file);
    if common.format != ERRORS_FORMAT {
        cx.err(
            "$.format",
            format!("expected {ERRORS_FORMAT:?}, found {:?}", common.format),
        );
    }
    check_codes(&mut cx, "$.errors", &common.errors);
    cx.finish()
}

/// Checks everything about `spec` (adding each problem to `cx`) and returns
/// the index of its shapes by name.
pub fn validate<'s>(cx: &mut Ctx<'_>, spec: &'s Spec) -> HashMap<&'s str, usize> {
    check_service(cx, spec);

    // Shape names and kinds.
    let index: HashMap<&str, usize> = spec
        .shapes
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (name, i))
        .collect();
    for (name, shape) in spec.shapes.iter() {
        let path = format!("$.shapes.{name}");
        if !valid_wire_name(name) || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            cx.err(&path, format!("shape name `{name}` must start with a letter and contain only letters, digits and `_`"));
        }
        if Prim::parse(name).is_some() || name == "list" {
            cx.err(
                &path,
                format!("shape name `{name}` is a built-in type name"),
            );
        }
        check_shape(cx, &path, shape, &index, spec);
    }

    // Actions.
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for (name, action) in spec.actions.iter() {
        check_action(cx, name, action, spec, &index, &mut used);
    }
    if let Some(callbacks) = &spec.callbacks {
        check_callbacks(cx, callbacks, spec, &index, &mut used);
    }
    for (i, (name, _)) in spec.shapes.iter().enumerate() {
        if !used.contains(&i) {
            cx.err(
                format!("$.shapes.{name}"),
                format!("shape `{name}` is not used by any action or callback"),
            );
        }
    }
    check_codes(cx, "$.errors", &spec.errors);
    check_required_cycles(cx, spec, &index);
    json::validate(cx, spec);
    check_waiters(cx, spec);
    index
}

/// Whether `s` is UpperCamelCase letters and digits (the spec's names of
/// waiters, callback groups and events).
fn is_upper_camel(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Checks the waiters: each polls an existing read-only action, its status
/// path leads to a string, integer or enum member of the output, its states
/// are values that member can take, success and failure do not overlap, it can
/// succeed at all, and its interval and maximum wait are usable. (Their
/// method names are the generator's: `model::resolve`.)
fn check_waiters(cx: &mut Ctx<'_>, spec: &Spec) {
    for (name, w) in spec.waiters.iter() {
        let path = format!("$.waiters.{name}");
        if !is_upper_camel(name) {
            cx.err(
                &path,
                format!("waiter name `{name}` must be UpperCamelCase"),
            );
        }
        if let Some(action) = waiter_action(cx, &path, spec, w) {
            if let Some(ty) = status_type(cx, &path, spec, action, w) {
                check_states(cx, &path, spec, &ty, w);
            }
        }
        check_waiter_settings(cx, &path, w);
    }
}

/// The action a waiter polls: it exists, is read-only and answers with one body.
fn waiter_action<'s>(
    cx: &mut Ctx<'_>,
    path: &str,
    spec: &'s Spec,
    w: &Waiter,
) -> Option<&'s Action> {
    let Some(action) = spec.actions.get(&w.action) else {
        cx.err(
            format!("{path}.action"),
            format!("unknown action `{}`", w.action),
        );
        return None;
    };
    if !["Describe", "Query", "Get", "List"]
        .iter()
        .any(|p| w.action.starts_with(p))
    {
        cx.err(
            format!("{path}.action"),
            format!("`{}` is not a read-only action (Describe*, Query*, Get*, List*): a waiter never repeats a mutation", w.action),
        );
    }
    if action.stream.is_some() {
        cx.err(
            format!("{path}.action"),
            format!("`{}` answers with an event stream", w.action),
        );
    }
    Some(action)
}

/// The type of the member the status path leads to, walking the output.
fn status_type(
    cx: &mut Ctx<'_>,
    path: &str,
    spec: &Spec,
    action: &Action,
    w: &Waiter,
) -> Option<String> {
    let mut shape_name = action.output.clone();
    let segments: Vec<&str> = w.status.split('.').collect();
    for (i, seg) in segments.iter().enumerate() {
        let member = spec
            .shapes
            .get(&shape_name)
            .and_then(|s| s.members.as_ref())
            .and_then(|m| m.get(seg));
        let Some(member) = member else {
            cx.err(
                format!("{path}.status"),
                format!("`{}`: `{seg}` is not a member of `{shape_name}`", w.status),
            );
            return None;
        };
        if member.ty == "list" {
            cx.err(
                format!("{path}.status"),
                format!("`{}`: `{seg}` is a list", w.status),
            );
            return None;
        }
        if i + 1 == segments.len() {
            return Some(member.ty.clone());
        }
        shape_name = member.ty.clone();
    }
    None
}

/// The success and failure states are values of the status's type `ty`.
fn check_states(cx: &mut Ctx<'_>, path: &str, spec: &Spec, ty: &str, w: &Waiter) {
    let states = [("success", &w.success), ("failure", &w.failure)];
    let allowed: Vec<String> = match Prim::parse(ty) {
        Some(Prim::String | Prim::StringOrInt) => return,
        Some(Prim::Int64 | Prim::Uint64) => {
            for (field, states) in states {
                for (i, st) in states.iter().enumerate() {
                    if st.parse::<i64>().is_err() {
                        cx.err(
                            format!("{path}.{field}[{i}]"),
                            format!("`{st}` is not an integer, but `{}` is {ty}", w.status),
                        );
                    }
                }
            }
            return;
        }
        Some(p @ (Prim::Float | Prim::Bool | Prim::Date | Prim::DateTime | Prim::DateTimeIso)) => {
            cx.err(
                format!("{path}.status"),
                format!(
                    "`{}` is {}, not a string, integer or enum",
                    w.status,
                    p.spec_name()
                ),
            );
            return;
        }
        None => match spec.shapes.get(ty).and_then(|s| s.values.as_ref()) {
            Some(vals) => vals
                .iter()
                .map(|v| match &v.value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
            None => return,
        },
    };
    for (field, states) in states {
        for (i, st) in states.iter().enumerate() {
            if !allowed.contains(st) {
                cx.err(
                    format!("{path}.{field}[{i}]"),
                    format!("`{st}` is not a value of `{ty}` ({})", allowed.join(", ")),
                );
            }
        }
    }
}

/// States that do not overlap, a way to succeed, not-found codes, usable times.
fn check_waiter_settings(cx: &mut Ctx<'_>, path: &str, w: &Waiter) {
    for (i, st) in w.failure.iter().enumerate() {
        if w.success.contains(st) {
            cx.err(
                format!("{path}.failure[{i}]"),
                format!("`{st}` is also a success state"),
            );
        }
    }
    if w.success.is_empty() && w.not_found != NotFound::Success {
        cx.err(
            path,
            "the waiter can never succeed: no success state, and `not_found` is not `success`",
        );
    }
    if w.not_found_codes.is_empty() {
        cx.err(
            format!("{path}.not_found_codes"),
            "empty: name the codes that mean the task does not exist",
        );
    }
    for (i, code) in w.not_found_codes.iter().enumerate() {
        if !valid_code(code) {
            cx.err(
                format!("{path}.not_found_codes[{i}]"),
                format!("`{code}` is not an error code"),
            );
        }
    }
    if w.interval_seconds == 0 {
        cx.err(format!("{path}.interval_seconds"), "must be at least 1");
    }
    if w.max_wait_seconds < w.interval_seconds {
        cx.err(
            format!("{path}.max_wait_seconds"),
            "must be at least the interval",
        );
    }
}

/// Checks one action: its name, shapes, regions, limit, hosts, stream,
/// paginator, error codes, examples and Rust name.
/// An `editions` list: no edition twice, and (for a member) only editions of
/// its structure (`within`, empty for every edition). A `language` needs a
/// description to apply to.
fn check_editions(
    cx: &mut Ctx<'_>,
    path: &str,
    editions: &[Edition],
    within: &[Edition],
    language: Option<Language>,
    has_description: bool,
) {
    for (i, e) in editions.iter().enumerate() {
        if editions[..i].contains(e) {
            cx.err(
                format!("{path}.editions[{i}]"),
                format!("edition `{e}` is listed twice"),
            );
        } else if !within.is_empty() && !within.contains(e) {
            cx.err(
                format!("{path}.editions[{i}]"),
                format!(
                    "edition `{e}` does not publish the structure (it lists {})",
                    within
                        .iter()
                        .map(|w| format!("`{w}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    if language.is_some() && !has_description {
        cx.err(
            format!("{path}.language"),
            "a language is given but there is no description",
        );
    }
}

fn check_action(
    cx: &mut Ctx<'_>,
    name: &str,
    action: &Action,
    spec: &Spec,
    index: &HashMap<&str, usize>,
    used: &mut BTreeSet<usize>,
) {
    let path = format!("$.actions.{name}");
    check_editions(
        cx,
        &path,
        &action.editions,
        &[],
        action.language,
        action.description.is_some() || action.title.is_some(),
    );
    if !name.starts_with(|c: char| c.is_ascii_uppercase())
        || !name.chars().all(|c| c.is_ascii_alphanumeric())
    {
        cx.err(
            &path,
            format!("action name `{name}` must be UpperCamelCase letters and digits"),
        );
    }
    for (field, shape) in [("input", &action.input), ("output", &action.output)] {
        match index.get(shape.as_str()) {
            None => cx.err(
                format!("{path}.{field}"),
                format!("unknown shape `{shape}`"),
            ),
            Some(&i) => {
                if spec.shapes.0[i].1.kind != ShapeKind::Structure {
                    cx.err(
                        format!("{path}.{field}"),
                        format!("`{shape}` is an enum; an action's {field} must be a structure"),
                    );
                }
                mark_reachable(i, spec, index, used);
            }
        }
    }
    let mut seen = BTreeSet::new();
    for (i, region) in action.regions.iter().enumerate() {
        if !valid_region(region) {
            cx.err(
                format!("{path}.regions[{i}]"),
                format!("`{region}` is not a region name such as ap-guangzhou"),
            );
        }
        if !seen.insert(region) {
            cx.err(
                format!("{path}.regions[{i}]"),
                format!("region `{region}` is listed twice"),
            );
        }
    }
    if let Some(limit) = action.rate_limit {
        if limit.requests == 0 || limit.per_seconds == 0 {
            cx.err(
                format!("{path}.rate_limit"),
                "a rate limit needs at least 1 request in a window of at least 1 second",
            );
        }
    }
    for (field, host) in [
        ("endpoint", &action.endpoint),
        ("international_endpoint", &action.international_endpoint),
    ] {
        if let Some(h) = host {
            if !valid_host(h) {
                cx.err(
                    format!("{path}.{field}"),
                    format!("`{h}` is not a host name"),
                );
            }
        }
    }
    if let Some(stream) = &action.stream {
        check_stream(cx, &path, stream, spec, index, used);
    }
    if let Some(PaginatorSpec::On(p)) = &action.paginator {
        check_pagination(cx, &path, p, action, spec);
    }
    check_codes(cx, &format!("{path}.errors"), &action.errors);
    for (i, ex) in action.examples.iter().enumerate() {
        let epath = format!("{path}.examples[{i}]");
        match serde_json::from_str::<serde_json::Value>(&ex.request) {
            Ok(serde_json::Value::Object(_)) => {}
            Ok(_) => cx.err(format!("{epath}.request"), "not a JSON object"),
            Err(e) => cx.err(format!("{epath}.request"), format!("not JSON: {e}")),
        }
        match serde_json::from_str::<serde_json::Value>(&ex.response) {
            Ok(v) if v.get("Response").is_some_and(|r| r.is_object()) => {}
            Ok(_) => cx.err(
                format!("{epath}.response"),
                "not a `{\"Response\": {...}}` object",
            ),
            Err(e) => cx.err(format!("{epath}.response"), format!("not JSON: {e}")),
        }
    }
}

/// Checks a code → description table whose entries live at `{prefix}.{code}`.
fn check_codes(cx: &mut Ctx<'_>, prefix: &str, codes: &UniqueMap<String>) {
    for (code, desc) in codes.iter() {
        let path = format!("{prefix}.{code}");
        if !valid_code(code) {
            cx.err(
                &path,
                format!("`{code}` is not an error code (dotted segments of letters, digits, `_`)"),
            );
        }
        if desc.trim().is_empty() {
            cx.err(&path, "description is empty");
        }
    }
}

fn check_stream(
    cx: &mut Ctx<'_>,
    path: &str,
    stream: &crate::Stream,
    spec: &Spec,
    index: &HashMap<&str, usize>,
    used: &mut BTreeSet<usize>,
) {
    let spath = format!("{path}.stream");
    let Some(&i) = index.get(stream.event.as_str()) else {
        cx.err(
            format!("{spath}.event"),
            format!("unknown shape `{}`", stream.event),
        );
        return;
    };
    let shape = &spec.shapes.0[i].1;
    let Some(members) = shape
        .members
        .as_ref()
        .filter(|_| shape.kind == ShapeKind::Structure)
    else {
        cx.err(
            format!("{spath}.event"),
            format!(
                "`{}` is an enum; stream events must be structures",
                stream.event
            ),
        );
        return;
    };
    mark_reachable(i, spec, index, used);
    for (field, member, want) in [
        ("kind_member", &stream.kind_member, "string"),
        ("end_member", &stream.end_member, "bool"),
    ] {
        if let Some(m) = member {
            match members.get(m) {
                None => cx.err(
                    format!("{spath}.{field}"),
                    format!("`{}` has no member `{m}`", stream.event),
                ),
                Some(mm)
                    if mm.ty != want
                        && spec.shapes.get(&mm.ty).and_then(|s| s.base.as_deref())
                            != Some(want) =>
                {
                    cx.err(
                        format!("{spath}.{field}"),
                        format!("`{}.{m}` is {}, not {want}", stream.event, mm.ty),
                    )
                }
                Some(_) => {}
            }
        }
    }
    if stream.error_kind.is_some() && stream.kind_member.is_none() {
        cx.err(
            format!("{spath}.error_kind"),
            "`error_kind` needs `kind_member` (the member whose value it is)",
        );
    }
}

fn check_pagination(
    cx: &mut Ctx<'_>,
    path: &str,
    p: &crate::Pagination,
    action: &crate::Action,
    spec: &Spec,
) {
    let ppath = format!("{path}.paginator");
    let members = |shape: &str| spec.shapes.get(shape).and_then(|s| s.members.as_ref());
    let is_int = |m: &Member| m.ty == "int64" || m.ty == "uint64";
    for (field, shape, member, list) in [
        ("cursor", &action.input, &p.cursor, false),
        ("size", &action.input, &p.size, false),
        ("total", &action.output, &p.total, false),
        ("items", &action.output, &p.items, true),
    ] {
        let Some(ms) = members(shape) else { continue };
        match ms.get(member) {
            None => cx.err(
                format!("{ppath}.{field}"),
                format!("`{shape}` has no member `{member}`"),
            ),
            Some(m) if list && m.ty != "list" => cx.err(
                format!("{ppath}.{field}"),
                format!("`{shape}.{member}` is {}, not a list", m.ty),
            ),
            Some(m) if !list && !is_int(m) => cx.err(
                format!("{ppath}.{field}"),
                format!("`{shape}.{member}` is {}, not an integer", m.ty),
            ),
            Some(_) => {}
        }
    }
    if p.style == PageStyle::Offset && p.first_page.is_some() {
        cx.err(
            format!("{ppath}.first_page"),
            "`first_page` is for the `page_number` style; offsets start at 0",
        );
    }
}

fn check_callbacks(
    cx: &mut Ctx<'_>,
    callbacks: &crate::Callbacks,
    spec: &Spec,
    index: &HashMap<&str, usize>,
    used: &mut BTreeSet<usize>,
) {
    let mut ids = BTreeSet::new();
    let mut variants: HashMap<String, String> = HashMap::new();
    for (gname, g) in callbacks.groups.iter() {
        let gpath = format!("$.callbacks.groups.{gname}");
        if !is_upper_camel(gname) {
            cx.err(
                &gpath,
                format!("group name `{gname}` must be UpperCamelCase"),
            );
        }
        if !ids.insert(g.id) {
            cx.err(
                format!("{gpath}.id"),
                format!("EventGroupId {} is used twice", g.id),
            );
        }
        let mut types = BTreeSet::new();
        for (ename, e) in g.events.iter() {
            let epath = format!("{gpath}.events.{ename}");
            if !is_upper_camel(ename) || ename == "Unknown" {
                cx.err(
                    &epath,
                    format!("event name `{ename}` must be an UpperCamelCase identifier (not a keyword) and not `Unknown`"),
                );
            }
            if let Some(other) = variants.insert(ename.to_owned(), gname.to_owned()) {
                cx.err(
                    &epath,
                    format!("event name `{ename}` is also an event of group `{other}`; names are unique across groups"),
                );
            }
            if !types.insert(e.event_type) {
                cx.err(
                    format!("{epath}.type"),
                    format!(
                        "EventType {} is used twice in group `{gname}`",
                        e.event_type
                    ),
                );
            }
            for (field, shape) in [("info", Some(&e.info)), ("payload", e.payload.as_ref())] {
                let Some(shape) = shape else { continue };
                match index.get(shape.as_str()) {
                    None => cx.err(
                        format!("{epath}.{field}"),
                        format!("unknown shape `{shape}`"),
                    ),
                    Some(&i) if spec.shapes.0[i].1.kind != ShapeKind::Structure => cx.err(
                        format!("{epath}.{field}"),
                        format!("`{shape}` is an enum; an event's {field} must be a structure"),
                    ),
                    Some(&i) => mark_reachable(i, spec, index, used),
                }
            }
        }
    }
    for (i, ex) in callbacks.examples.iter().enumerate() {
        let path = format!("$.callbacks.examples[{i}].body");
        match serde_json::from_str::<serde_json::Value>(&ex.body) {
            Ok(v) => {
                for member in ["EventGroupId", "EventType", "EventInfo"] {
                    if v.get(member).is_none() {
                        cx.err(&path, format!("the body has no `{member}`"));
                    }
                }
            }
            Err(e) => cx.err(&path, format!("not JSON: {e}")),
        }
        if ex.sign.is_some() != ex.key.is_some() {
            cx.err(
                format!("$.callbacks.examples[{i}]"),
                "`sign` and `key` go together",
            );
        }
    }
}

fn check_service(cx: &mut Ctx<'_>, spec: &Spec) {
    if spec.format != SERVICE_FORMAT {
        cx.err(
            "$.format",
            format!("expected {SERVICE_FORMAT:?}, found {:?}", spec.format),
        );
    }
    let s = &spec.service;
    if s.name.is_empty()
        || !s
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        cx.err(
            "$.service.name",
            format!("`{}` must be lowercase letters and digits", s.name),
        );
    }
    if !valid_version(&s.version) {
        cx.err(
            "$.service.version",
            format!("`{}` is not a YYYY-MM-DD version", s.version),
        );
    }
    if !valid_host(&s.endpoint) {
        cx.err(
            "$.service.endpoint",
            format!("`{}` is not a host name", s.endpoint),
        );
    }
    if let Some(h) = &s.international_endpoint {
        if !valid_host(h) {
            cx.err(
                "$.service.international_endpoint",
                format!("`{h}` is not a host name"),
            );
        }
    }
}

fn check_shape(
    cx: &mut Ctx<'_>,
    path: &str,
    shape: &Shape,
    index: &HashMap<&str, usize>,
    spec: &Spec,
) {
    check_editions(
        cx,
        path,
        &shape.editions,
        &[],
        shape.language,
        shape.description.is_some(),
    );
    match shape.kind {
        ShapeKind::Structure => {
            if shape.base.is_some() {
                cx.err(format!("{path}.base"), "only enums have a base type");
            }
            if shape.values.is_some() {
                cx.err(format!("{path}.values"), "only enums have values");
            }
            let Some(members) = &shape.members else {
                cx.err(path, "a structure needs `members` (use {} for none)");
                return;
            };
            for (wire, m) in members.iter() {
                let mpath = format!("{path}.members.{wire}");
                check_editions(
                    cx,
                    &mpath,
                    &m.editions,
                    &shape.editions,
                    m.language,
                    m.description.is_some(),
                );
                check_member(cx, &mpath, wire, m, index, spec);
            }
        }
        ShapeKind::Enum => {
            if shape.members.is_some() {
                cx.err(
                    format!("{path}.members"),
                    "an enum has `values`, not `members`",
                );
            }
            let base = match shape.base.as_deref().map(|b| (b, Prim::parse(b))) {
                Some((_, Some(p @ (Prim::String | Prim::Int64 | Prim::Uint64)))) => p,
                Some((other, _)) => {
                    cx.err(
                        format!("{path}.base"),
                        format!("enum base must be string, int64 or uint64, not `{other}`"),
                    );
                    return;
                }
                None => {
                    cx.err(path, "an enum needs `base` (string, int64 or uint64)");
                    return;
                }
            };
            let Some(values) = shape.values.as_ref().filter(|v| !v.is_empty()) else {
                cx.err(path, "an enum needs at least one value in `values`");
                return;
            };
            let mut seen_values = Vec::new();
            let mut seen_names = BTreeSet::new();
            for (i, v) in values.iter().enumerate() {
                let vpath = format!("{path}.values[{i}]");
                if !base.accepts(&v.value) {
                    cx.err(
                        format!("{vpath}.value"),
                        format!(
                            "{} is not a valid {} value",
                            v.value,
                            shape.base.as_deref().unwrap_or("")
                        ),
                    );
                }
                if seen_values.contains(&v.value) {
                    cx.err(
                        format!("{vpath}.value"),
                        format!("value {} is listed twice", v.value),
                    );
                }
                seen_values.push(v.value.clone());
                if !v.name.chars().any(|c| c.is_ascii_alphanumeric()) {
                    cx.err(
                        format!("{vpath}.name"),
                        format!("`{}` needs letters or digits", v.name),
                    );
                }
                if !seen_names.insert(v.name.clone()) {
                    cx.err(
                        format!("{vpath}.name"),
                        format!("name `{}` is used twice", v.name),
                    );
                }
            }
        }
    }
}

fn check_member(
    cx: &mut Ctx<'_>,
    path: &str,
    wire: &str,
    m: &Member,
    index: &HashMap<&str, usize>,
    spec: &Spec,
) {
    if !valid_wire_name(wire) {
        cx.err(
            path,
            format!("member name `{wire}` must contain only letters, digits and `_`"),
        );
    }
    let check_ref = |cx: &mut Ctx<'_>, field: &str, t: &str| {
        if Prim::parse(t).is_some() {
            return;
        }
        if t == "list" {
            cx.err(
                format!("{path}.{field}"),
                "lists of lists are not supported",
            );
            return;
        }
        match index.get(t) {
            Some(_) => {}
            None => {
                let hint = spec
                    .shapes
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(t))
                    .map(|(n, _)| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                cx.err(
                    format!("{path}.{field}"),
                    format!("unknown type `{t}`: not a primitive (string, int64, uint64, float, bool, date, datetime, datetime_iso, string_or_int), `list`, or a shape{hint}"),
                );
            }
        }
    };
    if m.ty == "list" {
        match &m.items {
            Some(items) => check_ref(cx, "items", items),
            None => cx.err(path, "a `list` member needs `items`"),
        }
    } else {
        if m.items.is_some() {
            cx.err(
                format!("{path}.items"),
                "`items` is only for `list` members",
            );
        }
        check_ref(cx, "type", &m.ty);
    }
    check_limits(cx, path, m, spec);
}

/// A member's documented limits fit its type (a range on numbers, a length
/// or pattern on strings, a count on lists, values on a member without an
/// enum), with sound bounds, a supported pattern and their sentences.
fn check_limits(cx: &mut Ctx<'_>, path: &str, m: &Member, spec: &Spec) {
    if m.limits.is_empty() {
        return;
    }
    let mut target = limits::Target::of_spec_type(&m.ty, m.items.as_deref());
    if let Some(shape) = spec.shapes.get(m.target()) {
        if let Some(base) = shape
            .base
            .as_deref()
            .filter(|_| shape.kind == ShapeKind::Enum)
        {
            target.value = limits::ValueType::of_primitive(base);
            target.is_enum = true;
        }
    }
    for (at, message) in limits::problems(&m.limits, target) {
        cx.err(format!("{path}.limits{at}"), message);
    }
}

fn mark_reachable(
    start: usize,
    spec: &Spec,
    index: &HashMap<&str, usize>,
    used: &mut BTreeSet<usize>,
) {
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        if !used.insert(i) {
            continue;
        }
        if let Some(members) = &spec.shapes.0[i].1.members {
            for (_, m) in members.iter() {
                if let Some(&j) = index.get(m.target()) {
                    stack.push(j);
                }
            }
        }
    }
}

/// Structure edges that are not lists: `(member wire name, target index, required)`.
fn direct_edges<'a>(
    spec: &'a Spec,
    index: &HashMap<&str, usize>,
    i: usize,
) -> Vec<(&'a str, usize, bool)> {
    let mut out = Vec::new();
    if let Some(members) = &spec.shapes.0[i].1.members {
        for (wire, m) in members.iter() {
            if m.ty == "list" {
                continue;
            }
            if let Some(&j) = index.get(m.ty.as_str()) {
                if spec.shapes.0[j].1.kind == ShapeKind::Structure {
                    out.push((wire, j, m.required));
                }
            }
        }
    }
    out
}

/// A structure that requires itself through required, non-list members has no
/// finite value: refuse it, naming the cycle.
fn check_required_cycles(cx: &mut Ctx<'_>, spec: &Spec, index: &HashMap<&str, usize>) {
    let n = spec.shapes.len();
    // 0 = unvisited, 1 = on stack, 2 = done
    let mut state = vec![0u8; n];
    let mut reported = BTreeSet::new();
    fn dfs(
        i: usize,
        spec: &Spec,
        index: &HashMap<&str, usize>,
        state: &mut [u8],
        stack: &mut Vec<(usize, String)>,
        found: &mut Vec<Vec<(usize, String)>>,
    ) {
        state[i] = 1;
        for (wire, j, required) in direct_edges(spec, index, i) {
            if !required {
                continue;
            }
            stack.push((i, wire.to_owned()));
            if state[j] == 1 {
                let start = stack.iter().position(|(k, _)| *k == j).unwrap_or(0);
                found.push(stack[start..].to_vec());
            } else if state[j] == 0 {
                dfs(j, spec, index, state, stack, found);
            }
            stack.pop();
        }
        state[i] = 2;
    }
    let mut found = Vec::new();
    for i in 0..n {
        if state[i] == 0 {
            dfs(i, spec, index, &mut state, &mut Vec::new(), &mut found);
        }
    }
    for cycle in found {
        let first = cycle[0].0;
        if !reported.insert(first) {
            continue;
        }
        let path: Vec<String> = cycle
            .iter()
            .map(|(i, w)| format!("{}.{w}", spec.shapes.0[*i].0))
            .collect();
        cx.err(
            format!("$.shapes.{}", spec.shapes.0[first].0),
            format!(
                "shape requires itself through required members ({}): no finite value exists; make one of them optional",
                path.join(" -> ")
            ),
        );
    }
}

/// Whether shape `from` reaches `to` through non-list structure members (by
/// index in `spec.shapes`, as [`validate`] returns it).
pub fn reaches(spec: &Spec, index: &HashMap<&str, usize>, from: usize, to: usize) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(i) = stack.pop() {
        if i == to {
            return true;
        }
        if !seen.insert(i) {
            continue;
        }
        for (_, j, _) in direct_edges(spec, index, i) {
            stack.push(j);
        }
    }
    false
}
