//! What changed between two versions of a spec, and what each change means
//! for the generated Rust API.
//!
//! [`diff`] compares two specs and lists every change with its wire path
//! (`ControlAIConversationRequest.TransparentData`) and its [`Impact`]:
//!
//! - **breaking**: code that compiled against the old crates may not compile
//!   (a removed action, shape, member, error code or enum value; a member whose
//!   Rust type changes, e.g. required → optional is `T` → `Option<T>`; a new
//!   required input member, which building the struct then needs; a renamed
//!   Rust item);
//! - **additive**: new API only (new actions, shapes, optional input members,
//!   output members, error codes and enum values, all on `#[non_exhaustive]`
//!   types; deprecations, which only warn);
//! - **patch**: documentation and behaviour only, the Rust API is unchanged
//!   (descriptions, examples, regions, rate limits, a requiredness change that
//!   leaves the Rust type as it was, e.g. of a nullable output member).
//!
//! Rust names and types are decided by resolving both specs with
//! [`crate::model::resolve`], so a change is judged by its effect on the
//! generated code: a member's Rust type is `Option` iff it is not required or
//! is nullable. [`ChangeReport::semver_bump`] turns the report into the version
//! bump Cargo's rules imply (for `0.x` crates: breaking → minor, else patch).

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use crate::limits::{self, Comparison, Limit};
use crate::model::{self, ServiceModel, ShapeBody};
use crate::paginate;
use crate::spec::{
    Action, CallbackEvent, Callbacks, CommonErrors, Edition, JsonField, JsonType, JsonTypes,
    JsonVariant, Language, Member, Pagination, Service, Shape, ShapeKind, Spec, UniqueMap, Waiter,
    ERRORS_FORMAT,
};

/// What a change means for the generated Rust API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Documentation or behaviour only; the Rust API is unchanged.
    Patch,
    /// New API; existing code still compiles.
    Additive,
    /// Existing code may no longer compile.
    Breaking,
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Impact::Patch => "patch",
            Impact::Additive => "additive",
            Impact::Breaking => "breaking",
        })
    }
}

/// The kind of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// An action was added.
    ActionAdded,
    /// An action was removed.
    ActionRemoved,
    /// An action's input, output, stream or pagination changed.
    ActionChanged,
    /// A shape was added.
    ShapeAdded,
    /// A shape was removed.
    ShapeRemoved,
    /// A shape became a structure or an enum, or an enum's base changed.
    ShapeKindChanged,
    /// A structure member was added.
    MemberAdded,
    /// A structure member was removed.
    MemberRemoved,
    /// A member's type changed.
    TypeChanged,
    /// A member became required or optional.
    RequiredChanged,
    /// A member became nullable or not.
    NullableChanged,
    /// An error code was added (to an action or the service).
    ErrorCodeAdded,
    /// An error code was removed.
    ErrorCodeRemoved,
    /// A documented enum value was added.
    EnumValueAdded,
    /// A documented enum value was removed.
    EnumValueRemoved,
    /// Something became deprecated.
    Deprecated,
    /// Something is no longer deprecated.
    Undeprecated,
    /// A generated Rust name changed.
    Renamed,
    /// Behaviour the client acts on (regions, rate limit, hosts, sensitivity).
    Behaviour,
    /// Documentation only (descriptions, titles, examples).
    Doc,
    /// The editions of Tencent's definitions that publish something changed
    /// (documentation only: the Rust API covers every edition).
    EditionsChanged,
    /// A documented limit on a member's value changed (narrower: breaking for
    /// callers; wider: additive; see [`crate::limits::compare`]).
    LimitChanged,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeKind::ActionAdded => "action added",
            ChangeKind::ActionRemoved => "action removed",
            ChangeKind::ActionChanged => "action changed",
            ChangeKind::ShapeAdded => "shape added",
            ChangeKind::ShapeRemoved => "shape removed",
            ChangeKind::ShapeKindChanged => "shape kind changed",
            ChangeKind::MemberAdded => "member added",
            ChangeKind::MemberRemoved => "member removed",
            ChangeKind::TypeChanged => "type changed",
            ChangeKind::RequiredChanged => "required changed",
            ChangeKind::NullableChanged => "nullable changed",
            ChangeKind::ErrorCodeAdded => "error code added",
            ChangeKind::ErrorCodeRemoved => "error code removed",
            ChangeKind::EnumValueAdded => "enum value added",
            ChangeKind::EnumValueRemoved => "enum value removed",
            ChangeKind::Deprecated => "deprecated",
            ChangeKind::Undeprecated => "no longer deprecated",
            ChangeKind::Renamed => "Rust name changed",
            ChangeKind::Behaviour => "behaviour changed",
            ChangeKind::Doc => "documentation changed",
            ChangeKind::EditionsChanged => "editions changed",
            ChangeKind::LimitChanged => "limit changed",
        })
    }
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// What kind.
    pub kind: ChangeKind,
    /// Wire path: `Action`, `Shape`, `Shape.Member`, `Action.errors.Code`,
    /// `errors.Code` (service-wide), `Enum.values[1]`, `Action.regions`, ...
    pub path: String,
    /// The old value, where there is one worth showing.
    pub old: Option<String>,
    /// The new value, where there is one worth showing.
    pub new: Option<String>,
    /// The effect on the generated Rust API.
    pub impact: Impact,
    /// Why the impact is what it is, where that is not obvious.
    pub why: Option<String>,
}

impl Change {
    fn new(kind: ChangeKind, path: impl Into<String>, impact: Impact) -> Change {
        Change {
            kind,
            path: path.into(),
            old: None,
            new: None,
            impact,
            why: None,
        }
    }

    fn values(mut self, old: Option<String>, new: Option<String>) -> Change {
        self.old = old;
        self.new = new;
        self
    }

    fn why(mut self, why: impl Into<String>) -> Change {
        self.why = Some(why.into());
        self
    }
}

/// `1 member`, `2 members`.
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Inline code in Markdown, whatever backticks the text contains.
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, code(&self.path))?;
        match (&self.old, &self.new) {
            (Some(o), Some(n)) => write!(f, " ({} → {})", code(o), code(n))?,
            (Some(o), None) => write!(f, " (was {})", code(o))?,
            (None, Some(n)) => write!(f, " ({})", code(n))?,
            (None, None) => {}
        }
        if let Some(w) = &self.why {
            write!(f, ": {w}")?;
        }
        Ok(())
    }
}

/// A semver bump.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// `x.y.Z`.
    Patch,
    /// `x.Y.0`.
    Minor,
    /// `X.0.0`.
    Major,
}

/// The version bump a report implies for the generated crates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SemverBump {
    /// Which part moves.
    pub bump: Bump,
    /// The current version.
    pub from: String,
    /// The next version.
    pub to: String,
}

/// What changed between two specs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeReport {
    /// The changes, in spec order (actions, shapes, then service error codes).
    pub changes: Vec<Change>,
    /// Limits of the comparison (a spec that did not resolve).
    pub notes: Vec<String>,
    /// The current version of the generated crates; when set, the Markdown
    /// ends with the next version.
    pub crate_version: Option<String>,
}

impl ChangeReport {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes of one impact.
    pub fn with_impact(&self, impact: Impact) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.impact == impact)
    }

    /// The highest impact, `None` when nothing changed.
    pub fn impact(&self) -> Option<Impact> {
        self.changes.iter().map(|c| c.impact).max()
    }

    /// The change at `path` of `kind`, if any.
    pub fn find(&self, kind: ChangeKind, path: &str) -> Option<&Change> {
        self.changes
            .iter()
            .find(|c| c.kind == kind && c.path == path)
    }

    /// The bump Cargo's semver rules imply from `current` (`0.1.0`): for
    /// `0.x.y` (x > 0) breaking → minor, anything else → patch; for `0.0.z`
    /// every change → patch (Cargo treats each as incompatible); from `1.0.0`
    /// on, breaking → major, additive → minor, patch → patch.
    pub fn semver_bump(&self, current: &str) -> Result<SemverBump, String> {
        let parts: Vec<u64> = current
            .split('.')
            .map(|p| p.parse::<u64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("`{current}` is not a version MAJOR.MINOR.PATCH"))?;
        let [major, minor, patch] = parts[..] else {
            return Err(format!("`{current}` is not a version MAJOR.MINOR.PATCH"));
        };
        let bump = match (self.impact(), major, minor) {
            (None, ..) => Bump::None,
            (Some(_), 0, 0) => Bump::Patch,
            (Some(Impact::Breaking), 0, _) => Bump::Minor,
            (Some(_), 0, _) => Bump::Patch,
            (Some(Impact::Breaking), ..) => Bump::Major,
            (Some(Impact::Additive), ..) => Bump::Minor,
            (Some(Impact::Patch), ..) => Bump::Patch,
        };
        let to = match bump {
            Bump::None => current.to_owned(),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        };
        Ok(SemverBump {
            bump,
            from: current.to_owned(),
            to,
        })
    }
}

impl ChangeReport {
    /// The changes as Markdown: one list per impact under `heading`-level
    /// titles (`####`), then the notes; `No changes.` when there are none.
    pub fn changes_markdown(&self, heading: &str) -> String {
        let mut f = String::new();
        if self.changes.is_empty() {
            f.push_str("No changes.\n");
        }
        for (impact, title) in [
            (Impact::Breaking, "Breaking"),
            (Impact::Additive, "Additive"),
            (Impact::Patch, "Patch (documentation and behaviour only)"),
        ] {
            let changes: Vec<&Change> = self.with_impact(impact).collect();
            if changes.is_empty() {
                continue;
            }
            f.push_str(&format!("{heading} {title} ({})\n\n", changes.len()));
            for c in changes {
                f.push_str(&format!("- {c}\n"));
            }
            f.push('\n');
        }
        for n in &self.notes {
            f.push_str(&format!("Note: {n}\n\n"));
        }
        f
    }

    /// The `Semver: ...` line (with its newline).
    pub fn semver_line(&self) -> String {
        let counts = format!(
            "{} breaking, {} additive, {} patch",
            self.with_impact(Impact::Breaking).count(),
            self.with_impact(Impact::Additive).count(),
            self.with_impact(Impact::Patch).count()
        );
        match self.crate_version.as_deref().map(|v| self.semver_bump(v)) {
            Some(Ok(b)) if b.bump == Bump::None => {
                format!("Semver: no change; the crates stay at {}.\n", b.from)
            }
            Some(Ok(b)) => format!(
                "Semver: {counts} → a {} bump of the generated crates: {} → {}.\n",
                match b.bump {
                    Bump::Major => "major",
                    Bump::Minor => "minor",
                    _ => "patch",
                },
                b.from,
                b.to
            ),
            Some(Err(e)) => format!("Semver: {counts}; {e}.\n"),
            None => format!(
                "Semver: {counts}{}.\n",
                match self.impact() {
                    Some(Impact::Breaking) => " → a breaking release",
                    Some(_) => " → a compatible release",
                    None => "",
                }
            ),
        }
    }
}

impl fmt::Display for ChangeReport {
    /// The report as Markdown: one list per impact, then the semver bump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.changes_markdown("####"))?;
        f.write_str(&self.semver_line())
    }
}

/// `every edition` or `mainland`.
fn editions_text(editions: &[Edition]) -> String {
    if editions.is_empty() {
        "every edition".to_owned()
    } else {
        editions
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A change of the editions that publish `path`, or of its description's
/// language: documentation only, since the Rust API covers every edition.
fn editions_changed(
    path: &str,
    old: &[Edition],
    new: &[Edition],
    old_language: &Option<Language>,
    new_language: &Option<Language>,
    out: &mut Vec<Change>,
) {
    if old != new {
        out.push(
            Change::new(ChangeKind::EditionsChanged, path, Impact::Patch)
                .values(Some(editions_text(old)), Some(editions_text(new)))
                .why(if new.is_empty() {
                    "now published by every edition"
                } else {
                    "still published by the edition named, so nothing is removed"
                }),
        );
    }
    if old_language != new_language {
        let lang = |l: &Option<Language>| match l {
            Some(Language::Zh) => "zh".to_owned(),
            None => "en".to_owned(),
        };
        out.push(
            Change::new(ChangeKind::Doc, format!("{path}.language"), Impact::Patch)
                .values(Some(lang(old_language)), Some(lang(new_language))),
        );
    }
}

/// Compares two specs (see the module docs), resolving Rust names against no
/// common error codes. Use [`diff_with`] to resolve them as the generator does.
pub fn diff(old: &Spec, new: &Spec) -> ChangeReport {
    let common = CommonErrors {
        format: ERRORS_FORMAT.to_owned(),
        description: None,
        errors: UniqueMap::new(),
    };
    diff_with(old, new, &common)
}

/// Compares two specs; `common` are the common error codes the generator adds
/// (they decide the Rust names of colliding service codes).
pub fn diff_with(old: &Spec, new: &Spec, common: &CommonErrors) -> ChangeReport {
    let mut report = ChangeReport::default();
    let mut resolve =
        |spec: &Spec, which: &str| match model::resolve(Path::new(which), which, spec, common) {
            Ok(m) => Some(m),
            Err(e) => {
                report.notes.push(format!(
                "the {which} spec does not resolve, so generated Rust names and types were not \
                 compared: {e}"
            ));
                None
            }
        };
    let cx = Cx {
        old,
        new,
        old_model: resolve(old, "old").map(Names::of),
        new_model: resolve(new, "new").map(Names::of),
        new_inputs: input_structs(new),
    };
    // Every field of both sides, so that a new spec field does not compile
    // until the report handles it (`actions` and `shapes` through `cx`).
    let Spec {
        format: _,
        service: old_service,
        actions: _,
        shapes: _,
        errors: old_errors,
        callbacks: old_callbacks,
        json_types: old_json_types,
        waiters: old_waiters,
    } = old;
    let Spec {
        format: _,
        service: new_service,
        actions: _,
        shapes: _,
        errors: new_errors,
        callbacks: new_callbacks,
        json_types: new_json_types,
        waiters: new_waiters,
    } = new;
    let mut out = Vec::new();
    service(old_service, new_service, &mut out);
    cx.actions(&mut out);
    cx.shapes(&mut out);
    cx.codes(
        "errors",
        old_errors,
        new_errors,
        |m, c| m.service_codes.get(c).cloned(),
        &mut out,
    );
    callbacks(old_callbacks.as_ref(), new_callbacks.as_ref(), &mut out);
    json_types(old_json_types.as_ref(), new_json_types.as_ref(), &mut out);
    waiters(old_waiters, new_waiters, &mut out);
    report.changes = out;
    report
}

/// The service's own facts: its name and version name the crates and are
/// sent with every call; hosts are behaviour; title and description docs.
fn service(old: &Service, new: &Service, out: &mut Vec<Change>) {
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
fn waiters(old: &UniqueMap<Waiter>, new: &UniqueMap<Waiter>, out: &mut Vec<Change>) {
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
fn callbacks(old: Option<&Callbacks>, new: Option<&Callbacks>, out: &mut Vec<Change>) {
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

/// The Rust names and member types of a resolved spec, by wire name.
struct Names {
    shapes: HashMap<String, String>,
    members: HashMap<(String, String), (String, String)>,
    methods: HashMap<String, String>,
    service_codes: HashMap<String, String>,
    action_codes: HashMap<(String, String), String>,
}

impl Names {
    fn of(m: ServiceModel) -> Names {
        let mut n = Names {
            shapes: HashMap::new(),
            members: HashMap::new(),
            methods: HashMap::new(),
            service_codes: HashMap::new(),
            action_codes: HashMap::new(),
        };
        for s in &m.shapes {
            n.shapes.insert(s.wire.clone(), s.rust().to_owned());
            if let ShapeBody::Struct(st) = &s.body {
                for mm in &st.members {
                    let ty = m.rust_type(mm).to_string();
                    n.members
                        .insert((s.wire.clone(), mm.wire.clone()), (mm.field.clone(), ty));
                }
            }
        }
        for c in &m.codes {
            n.service_codes.insert(c.code.clone(), c.variant.clone());
        }
        for a in &m.actions {
            n.methods.insert(a.wire.clone(), a.method.clone());
            for c in &a.errors {
                n.action_codes
                    .insert((a.wire.clone(), c.code.clone()), c.variant.clone());
            }
        }
        n
    }
}

/// Structures reachable from some action's input.
fn input_structs(spec: &Spec) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = spec.actions.iter().map(|(_, a)| a.input.clone()).collect();
    while let Some(s) = stack.pop() {
        if !seen.insert(s.clone()) {
            continue;
        }
        if let Some(members) = spec.shapes.get(&s).and_then(|sh| sh.members.as_ref()) {
            for (_, m) in members.iter() {
                let t = m.target();
                if spec.shapes.contains_key(t) {
                    stack.push(t.to_owned());
                }
            }
        }
    }
    seen
}

/// The part of two texts that differs, with a few words of context, for
/// doc changes: `…the default is 0…` → `…the default is 1…`.
fn excerpt(old: &str, new: &str) -> (String, String) {
    let o: Vec<char> = old.chars().collect();
    let n: Vec<char> = new.chars().collect();
    let prefix = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    let suffix = o[prefix..]
        .iter()
        .rev()
        .zip(n[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    (
        window(&o, prefix, o.len() - suffix),
        window(&n, prefix, n.len() - suffix),
    )
}

/// `v[start..end]` widened by some context to word boundaries, cut when long.
fn window(v: &[char], start: usize, end: usize) -> String {
    const CONTEXT: usize = 20;
    const KEEP: usize = 80;
    let mut s = start.saturating_sub(CONTEXT);
    while s > 0 && !v[s - 1].is_whitespace() {
        s -= 1;
    }
    let mut e = (end + CONTEXT).min(v.len());
    while e < v.len() && !v[e].is_whitespace() {
        e += 1;
    }
    let mut out = String::new();
    if s > 0 {
        out.push('…');
    }
    if end - start > KEEP {
        out.extend(&v[s..start + KEEP]);
        out.push('…');
    } else {
        out.extend(&v[s..e]);
        if e < v.len() {
            out.push('…');
        }
    }
    out.trim().to_owned()
}

/// The JSON documents carried in strings: each type's variants and keys are
/// generated Rust (an enum, structs, constructors taking the required keys).
fn json_types(old: Option<&JsonTypes>, new: Option<&JsonTypes>, out: &mut Vec<Change>) {
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

fn doc_change(
    out: &mut Vec<Change>,
    path: String,
    what: &str,
    old: &Option<String>,
    new: &Option<String>,
) {
    if old == new {
        return;
    }
    let (o, n) = excerpt(old.as_deref().unwrap_or(""), new.as_deref().unwrap_or(""));
    out.push(
        Change::new(ChangeKind::Doc, path, Impact::Patch)
            .values(Some(o), Some(n))
            .why(format!("{what} changed")),
    );
}

fn deprecation(out: &mut Vec<Change>, path: &str, old: bool, new: bool) {
    match (old, new) {
        (false, true) => out.push(
            Change::new(ChangeKind::Deprecated, path, Impact::Additive)
                .why("`#[deprecated]`: uses warn"),
        ),
        (true, false) => out.push(Change::new(
            ChangeKind::Undeprecated,
            path,
            Impact::Additive,
        )),
        _ => {}
    }
}

/// The effective paginator of an action, as the model decides it.
fn paginator(spec: &Spec, a: &Action) -> Option<Pagination> {
    paginate::effective(spec, a).map(|e| e.pagination)
}

fn describe_paginator(p: &Pagination) -> String {
    format!("{}/{} → {}, {}", p.cursor, p.size, p.items, p.total)
}

struct Cx<'a> {
    old: &'a Spec,
    new: &'a Spec,
    old_model: Option<Names>,
    new_model: Option<Names>,
    new_inputs: BTreeSet<String>,
}

impl Cx<'_> {
    /// Both sides' value of `f`, when both specs resolved.
    fn rust<T>(&self, f: impl Fn(&Names) -> Option<T>) -> Option<(T, T)> {
        Some((f(self.old_model.as_ref()?)?, f(self.new_model.as_ref()?)?))
    }

    fn renamed(
        &self,
        out: &mut Vec<Change>,
        path: &str,
        what: &str,
        names: Option<(String, String)>,
    ) {
        if let Some((o, n)) = names {
            if o != n {
                out.push(
                    Change::new(ChangeKind::Renamed, path, Impact::Breaking)
                        .values(Some(o), Some(n))
                        .why(format!("the generated {what} is renamed")),
                );
            }
        }
    }

    fn actions(&self, out: &mut Vec<Change>) {
        for (name, new) in self.new.actions.iter() {
            let Some(old) = self.old.actions.get(name) else {
                out.push(
                    Change::new(ChangeKind::ActionAdded, name, Impact::Additive)
                        .values(None, Some(format!("{} → {}", new.input, new.output))),
                );
                continue;
            };
            self.action(name, old, new, out);
        }
        for (name, old) in self.old.actions.iter() {
            if !self.new.actions.contains_key(name) {
                out.push(
                    Change::new(ChangeKind::ActionRemoved, name, Impact::Breaking)
                        .values(Some(format!("{} → {}", old.input, old.output)), None),
                );
            }
        }
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
        let behaviour: [(&str, String, String); 4] = [
            ("regions", old_regions.join(", "), new_regions.join(", ")),
            (
                "rate_limit",
                old_rate_limit
                    .map(|r| r.to_string())
                    .unwrap_or_else(|| "none".into()),
                new_rate_limit
                    .map(|r| r.to_string())
                    .unwrap_or_else(|| "none".into()),
            ),
            ("endpoint", show(old_endpoint), show(new_endpoint)),
            (
                "international_endpoint",
                show(old_international_endpoint),
                show(new_international_endpoint),
            ),
        ];
        for (field, o, n) in behaviour {
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
        match (old_stream, new_stream) {
            (None, Some(_)) | (Some(_), None) => out.push(
                Change::new(
                    ChangeKind::ActionChanged,
                    format!("{name}.stream"),
                    Impact::Breaking,
                )
                .values(
                    Some(
                        if old_stream.is_some() {
                            "stream"
                        } else {
                            "one response"
                        }
                        .into(),
                    ),
                    Some(
                        if new_stream.is_some() {
                            "stream"
                        } else {
                            "one response"
                        }
                        .into(),
                    ),
                )
                .why("`send` returns another type"),
            ),
            (Some(o), Some(n)) if o.event != n.event => out.push(
                Change::new(
                    ChangeKind::ActionChanged,
                    format!("{name}.stream"),
                    Impact::Breaking,
                )
                .values(Some(o.event.clone()), Some(n.event.clone()))
                .why("the events are another type"),
            ),
            (Some(o), Some(n)) if o != n => out.push(
                Change::new(
                    ChangeKind::Behaviour,
                    format!("{name}.stream"),
                    Impact::Patch,
                )
                .why("how the stream's events are read changed"),
            ),
            _ => {}
        }
        match (paginator(self.old, old), paginator(self.new, new)) {
            (None, Some(p)) => out.push(
                Change::new(
                    ChangeKind::ActionChanged,
                    format!("{name}.paginator"),
                    Impact::Additive,
                )
                .values(None, Some(describe_paginator(&p)))
                .why("a paginator is generated"),
            ),
            (Some(p), None) => out.push(
                Change::new(
                    ChangeKind::ActionChanged,
                    format!("{name}.paginator"),
                    Impact::Breaking,
                )
                .values(Some(describe_paginator(&p)), None)
                .why("the paginator is no longer generated"),
            ),
            (Some(o), Some(n)) if o != n => out.push(
                Change::new(
                    ChangeKind::Behaviour,
                    format!("{name}.paginator"),
                    Impact::Patch,
                )
                .values(Some(describe_paginator(&o)), Some(describe_paginator(&n))),
            ),
            _ => {}
        }
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

    fn codes(
        &self,
        prefix: &str,
        old: &UniqueMap<String>,
        new: &UniqueMap<String>,
        variant: impl Fn(&Names, &str) -> Option<String>,
        out: &mut Vec<Change>,
    ) {
        for (code, desc) in new.iter() {
            let path = format!("{prefix}.{code}");
            match old.get(code) {
                None => out.push(Change::new(
                    ChangeKind::ErrorCodeAdded,
                    path,
                    Impact::Additive,
                )),
                Some(o) => {
                    self.renamed(out, &path, "variant", self.rust(|m| variant(m, code)));
                    doc_change(
                        out,
                        path,
                        "description",
                        &Some(o.clone()),
                        &Some(desc.clone()),
                    );
                }
            }
        }
        for (code, _) in old.iter() {
            if !new.contains_key(code) {
                out.push(Change::new(
                    ChangeKind::ErrorCodeRemoved,
                    format!("{prefix}.{code}"),
                    Impact::Breaking,
                ));
            }
        }
    }

    fn shapes(&self, out: &mut Vec<Change>) {
        for (name, new) in self.new.shapes.iter() {
            let Some(old) = self.old.shapes.get(name) else {
                let what = match (&new.kind, &new.members, &new.values) {
                    (ShapeKind::Structure, Some(m), _) => {
                        format!("structure, {}", count(m.len(), "member"))
                    }
                    (ShapeKind::Enum, _, Some(v)) => format!("enum, {}", count(v.len(), "value")),
                    (ShapeKind::Structure, ..) => "structure".to_owned(),
                    (ShapeKind::Enum, ..) => "enum".to_owned(),
                };
                out.push(
                    Change::new(ChangeKind::ShapeAdded, name, Impact::Additive)
                        .values(None, Some(what)),
                );
                continue;
            };
            self.shape(name, old, new, out);
        }
        for (name, _) in self.old.shapes.iter() {
            if !self.new.shapes.contains_key(name) {
                out.push(Change::new(
                    ChangeKind::ShapeRemoved,
                    name,
                    Impact::Breaking,
                ));
            }
        }
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
        for (wire, n) in new_members.iter() {
            let path = format!("{shape}.{wire}");
            let Some(o) = old_members.get(wire) else {
                let shown = rust_type(&self.new_model, wire).unwrap_or_else(|| n.spec_type());
                let input = self.new_inputs.contains(shape);
                let change = Change::new(ChangeKind::MemberAdded, path, Impact::Additive)
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
                continue;
            };
            self.member(shape, wire, o, n, out);
        }
        for (wire, o) in old_members.iter() {
            if !new_members.contains_key(wire) {
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
        }
    }

    fn member(&self, shape: &str, wire: &str, o: &Member, n: &Member, out: &mut Vec<Change>) {
        // Every field, so that a new spec field does not compile until the
        // report handles it (`ty` and `items` through `spec_type`, `rust_name`
        // by its effect, the field name).
        let Member {
            ty: _,
            items: _,
            required: o_required,
            nullable: o_nullable,
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
            required: n_required,
            nullable: n_nullable,
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
        let option_changed = o.is_optional() != n.is_optional();
        let strip = |t: &str| {
            t.strip_prefix("Option<")
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(t)
                .to_owned()
        };
        if o.spec_type() != n.spec_type() {
            let same_rust = rust_types
                .as_ref()
                .is_some_and(|(ot, nt)| strip(ot) == strip(nt));
            let change = Change::new(ChangeKind::TypeChanged, &path, Impact::Breaking)
                .values(Some(o.spec_type()), Some(n.spec_type()));
            out.push(if same_rust {
                Change {
                    impact: Impact::Patch,
                    ..change
                }
                .why("the Rust type is unchanged")
            } else if let Some((ot, nt)) = &rust_types {
                change.why(format!("`{ot}` → `{nt}`"))
            } else {
                change
            });
        } else if let Some((ot, nt)) = &rust_types {
            if strip(ot) != strip(nt) && (ot.contains("Box<") || nt.contains("Box<")) {
                out.push(
                    Change::new(ChangeKind::TypeChanged, &path, Impact::Breaking)
                        .values(Some(ot.clone()), Some(nt.clone()))
                        .why("boxing changed (a new or broken cycle)"),
                );
            }
        }
        let req = |b: bool| if b { "required" } else { "optional" }.to_owned();
        let option_why = |rust_types: &Option<(String, String)>| match rust_types {
            Some((ot, nt)) => format!("`{ot}` → `{nt}`"),
            None if n.is_optional() => "`T` → `Option<T>`".to_owned(),
            None => "`Option<T>` → `T`".to_owned(),
        };
        if *o_required != *n_required {
            let change = Change::new(ChangeKind::RequiredChanged, &path, Impact::Breaking)
                .values(Some(req(*o_required)), Some(req(*n_required)));
            out.push(if option_changed {
                change.why(option_why(&rust_types))
            } else {
                Change {
                    impact: Impact::Patch,
                    ..change
                }
                .why("the Rust type is unchanged (the member is nullable)")
            });
        }
        if *o_nullable != *n_nullable {
            let nul = |b: bool| if b { "nullable" } else { "not nullable" }.to_owned();
            let change = Change::new(ChangeKind::NullableChanged, &path, Impact::Patch)
                .values(Some(nul(*o_nullable)), Some(nul(*n_nullable)));
            out.push(if option_changed && *o_required == *n_required {
                Change {
                    impact: Impact::Breaking,
                    ..change
                }
                .why(option_why(&rust_types))
            } else {
                change.why("the Rust type is unchanged")
            });
        }
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

fn enum_values(name: &str, old: &Shape, new: &Shape, out: &mut Vec<Change>) {
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
    for n in new_values {
        match old_values.iter().find(|o| o.value == n.value) {
            None => out.push(
                Change::new(ChangeKind::EnumValueAdded, path(&n.value), Impact::Additive)
                    .values(None, Some(n.name.clone()))
                    .why("a new variant of a `#[non_exhaustive]` enum"),
            ),
            Some(o) => {
                if crate::names::camel(&o.name) != crate::names::camel(&n.name) {
                    out.push(
                        Change::new(ChangeKind::Renamed, path(&n.value), Impact::Breaking)
                            .values(Some(o.name.clone()), Some(n.name.clone()))
                            .why("the variant is renamed"),
                    );
                }
                doc_change(
                    out,
                    path(&n.value),
                    "description",
                    &o.description,
                    &n.description,
                );
            }
        }
    }
    for o in old_values {
        if !new_values.iter().any(|n| n.value == o.value) {
            out.push(
                Change::new(
                    ChangeKind::EnumValueRemoved,
                    path(&o.value),
                    Impact::Breaking,
                )
                .values(Some(o.name.clone()), None)
                .why("its variant is removed"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{parse_json, EnumValue, RateLimit};
    use ChangeKind as K;
    use Impact::{Additive as A, Breaking as B, Patch as P};

    const BASE: &str = r#"{
      "format": "tencentcloud-spec/1",
      "service": {"name": "demo", "version": "2020-01-01", "endpoint": "demo.tencentcloudapi.com"},
      "actions": {
        "GetThing": {"input": "GetThingRequest", "output": "GetThingResponse", "errors": {"FailedOperation.A": "a"}}
      },
      "shapes": {
        "GetThingRequest": {"type": "structure", "members": {
          "Id": {"type": "int64", "required": true},
          "Name": {"type": "string", "description": "The name of the thing."},
          "Kind": {"type": "Kind"},
          "When": {"type": "date"},
          "Offset": {"type": "uint64"}
        }},
        "GetThingResponse": {"type": "structure", "members": {
          "Thing": {"type": "Thing", "required": true, "nullable": true},
          "Count": {"type": "int64", "required": true},
          "Items": {"type": "list", "items": "Thing"},
          "RequestId": {"type": "string", "required": true}
        }},
        "Thing": {"type": "structure", "members": {"Tag": {"type": "string"}}},
        "Kind": {"type": "enum", "base": "uint64", "values": [{"name": "One", "value": 1}, {"name": "Two", "value": 2}]}
      },
      "errors": {"AuthFailure": "auth"}
    }"#;

    fn base() -> Spec {
        parse_json(Path::new("base.json"), BASE).unwrap()
    }

    fn member<'a>(spec: &'a mut Spec, shape: &str, wire: &str) -> &'a mut Member {
        spec.shapes
            .get_mut(shape)
            .and_then(|s| s.members.as_mut())
            .and_then(|m| m.get_mut(wire))
            .unwrap()
    }

    fn members<'a>(spec: &'a mut Spec, shape: &str) -> &'a mut UniqueMap<Member> {
        spec.shapes
            .get_mut(shape)
            .unwrap()
            .members
            .as_mut()
            .unwrap()
    }

    fn plain(ty: &str, required: bool) -> Member {
        Member {
            ty: ty.to_owned(),
            items: None,
            required,
            nullable: false,
            sensitive: false,
            deprecated: false,
            description: None,
            example: None,
            rust_name: None,
            editions: Vec::new(),
            language: None,
            json: None,
            limits: Vec::new(),
        }
    }

    /// The report of `base` → `base` changed by `f`, as (kind, path, impact).
    fn changes(f: impl FnOnce(&mut Spec)) -> (ChangeReport, Vec<(K, String, Impact)>) {
        let old = base();
        let mut new = base();
        f(&mut new);
        let report = diff(&old, &new);
        assert!(report.notes.is_empty(), "{:?}", report.notes);
        let list = report
            .changes
            .iter()
            .map(|c| (c.kind, c.path.clone(), c.impact))
            .collect();
        (report, list)
    }

    fn one(kind: K, path: &str, impact: Impact) -> Vec<(K, String, Impact)> {
        vec![(kind, path.to_owned(), impact)]
    }

    #[test]
    fn waiters_added_changed_and_removed() {
        let waiter = || crate::spec::Waiter {
            description: None,
            sources: None,
            action: "GetThing".to_owned(),
            status: "Thing.Tag".to_owned(),
            success: vec!["Done".to_owned()],
            failure: vec![],
            not_found: crate::spec::NotFound::Error,
            not_found_codes: vec!["ResourceNotFound".to_owned()],
            interval_seconds: 1,
            max_wait_seconds: 10,
            rust_name: None,
        };
        let (_, list) = changes(|s| s.waiters.insert("ThingDone", waiter()));
        assert_eq!(
            list,
            one(K::ActionAdded, "waiters.ThingDone", Impact::Additive)
        );
        let old = {
            let mut s = base();
            s.waiters.insert("ThingDone", waiter());
            s
        };
        let mut new = old.clone();
        new.waiters.get_mut("ThingDone").unwrap().failure = vec!["Broken".to_owned()];
        let report = diff(&old, &new);
        assert_eq!(report.changes.len(), 1);
        assert_eq!(report.changes[0].kind, K::Behaviour);
        let report = diff(&old, &base());
        assert_eq!(report.changes[0].kind, K::ActionRemoved);
        assert_eq!(report.changes[0].impact, Impact::Breaking);
    }

    #[test]
    fn identical_specs_have_no_changes() {
        let (report, list) = changes(|_| {});
        assert!(list.is_empty(), "{list:?}");
        assert!(report.is_empty());
        assert_eq!(report.semver_bump("0.1.0").unwrap().bump, Bump::None);
    }

    #[test]
    fn actions_added_and_removed() {
        let (report, list) = changes(|s| {
            let a = s.actions.get("GetThing").unwrap().clone();
            s.actions.insert(
                "PutThing",
                Action {
                    errors: UniqueMap::new(),
                    ..a
                },
            );
        });
        assert_eq!(list, one(K::ActionAdded, "PutThing", A));
        assert_eq!(
            report.changes[0].new.as_deref(),
            Some("GetThingRequest → GetThingResponse")
        );
        // The reverse: removed, breaking.
        let mut new = base();
        let a = new.actions.get("GetThing").unwrap().clone();
        new.actions.insert("PutThing", a);
        let r = diff(&new, &base());
        assert_eq!(r.changes.len(), 1);
        assert_eq!(
            (r.changes[0].kind, r.changes[0].impact),
            (K::ActionRemoved, B)
        );
    }

    #[test]
    fn shapes_added_and_removed() {
        let add = |s: &mut Spec| {
            s.shapes.insert(
                "Extra",
                Shape {
                    kind: ShapeKind::Structure,
                    description: None,
                    members: Some(UniqueMap::new()),
                    base: None,
                    values: None,
                    deprecated: false,
                    rust_name: None,
                    editions: Vec::new(),
                    language: None,
                },
            );
            members(s, "Thing").insert("Extra", plain("Extra", false));
        };
        let (_, list) = changes(add);
        assert_eq!(
            list,
            [
                (K::MemberAdded, "Thing.Extra".to_owned(), A),
                (K::ShapeAdded, "Extra".to_owned(), A),
            ]
        );
        let mut new = base();
        add(&mut new);
        let r = diff(&new, &base());
        let kinds: Vec<_> = r.changes.iter().map(|c| (c.kind, c.impact)).collect();
        assert_eq!(kinds, [(K::MemberRemoved, B), (K::ShapeRemoved, B)]);
    }

    #[test]
    fn members_added_are_breaking_only_when_a_required_input() {
        let (report, list) = changes(|s| {
            members(s, "GetThingRequest").insert("Note", plain("string", false));
            members(s, "GetThingRequest").insert("Must", plain("string", true));
            members(s, "GetThingResponse").insert("Also", plain("int64", true));
        });
        assert_eq!(
            list,
            [
                (K::MemberAdded, "GetThingRequest.Note".to_owned(), A),
                (K::MemberAdded, "GetThingRequest.Must".to_owned(), B),
                (K::MemberAdded, "GetThingResponse.Also".to_owned(), A),
            ]
        );
        assert_eq!(report.changes[0].new.as_deref(), Some("Option<String>"));
        assert_eq!(report.changes[1].new.as_deref(), Some("String"));
        // A structure used by inputs and outputs counts as an input.
        let (_, list) = changes(|s| {
            members(s, "GetThingRequest").insert("T", plain("Thing", false));
            members(s, "Thing").insert("Must", plain("string", true));
        });
        assert_eq!(list[1], (K::MemberAdded, "Thing.Must".to_owned(), B));
    }

    #[test]
    fn members_removed_are_breaking() {
        let (report, list) = changes(|s| {
            members(s, "GetThingResponse").remove("Count");
        });
        assert_eq!(list, one(K::MemberRemoved, "GetThingResponse.Count", B));
        assert_eq!(report.changes[0].old.as_deref(), Some("i64"));
    }

    #[test]
    fn type_changes_are_judged_by_the_rust_type() {
        let (report, list) = changes(|s| member(s, "GetThingRequest", "Id").ty = "string".into());
        assert_eq!(list, one(K::TypeChanged, "GetThingRequest.Id", B));
        assert_eq!(report.changes[0].why.as_deref(), Some("`i64` → `String`"));
        let (_, list) = changes(|s| member(s, "GetThingRequest", "When").ty = "string".into());
        assert_eq!(list, one(K::TypeChanged, "GetThingRequest.When", P));
        let (_, list) = changes(|s| {
            let m = member(s, "GetThingResponse", "Items");
            m.items = Some("string".into());
        });
        assert_eq!(list, one(K::TypeChanged, "GetThingResponse.Items", B));
        // A primitive refined into an enum is another Rust type.
        let (_, list) = changes(|s| member(s, "GetThingRequest", "Offset").ty = "Kind".into());
        assert_eq!(list, one(K::TypeChanged, "GetThingRequest.Offset", B));
    }

    #[test]
    fn requiredness_changes_are_breaking_when_the_option_changes() {
        let (report, list) = changes(|s| member(s, "GetThingRequest", "Id").required = false);
        assert_eq!(list, one(K::RequiredChanged, "GetThingRequest.Id", B));
        assert_eq!(
            report.changes[0].why.as_deref(),
            Some("`i64` → `Option<i64>`")
        );
        assert_eq!(
            (
                report.changes[0].old.as_deref(),
                report.changes[0].new.as_deref()
            ),
            (Some("required"), Some("optional"))
        );
        let (_, list) = changes(|s| member(s, "GetThingRequest", "Name").required = true);
        assert_eq!(list, one(K::RequiredChanged, "GetThingRequest.Name", B));
        // Nullable and required: `Option` either way.
        let (_, list) = changes(|s| member(s, "GetThingResponse", "Thing").required = false);
        assert_eq!(list, one(K::RequiredChanged, "GetThingResponse.Thing", P));
    }

    #[test]
    fn nullable_changes_are_breaking_when_the_option_changes() {
        let (_, list) = changes(|s| member(s, "GetThingResponse", "Count").nullable = true);
        assert_eq!(list, one(K::NullableChanged, "GetThingResponse.Count", B));
        let (_, list) = changes(|s| member(s, "GetThingResponse", "Items").nullable = true);
        assert_eq!(list, one(K::NullableChanged, "GetThingResponse.Items", P));
        // Both at once: one breaking change, not two.
        let (_, list) = changes(|s| {
            let m = member(s, "GetThingResponse", "Thing");
            m.nullable = false;
            m.required = true;
        });
        assert_eq!(
            list,
            [(K::NullableChanged, "GetThingResponse.Thing".to_owned(), B)]
        );
    }

    #[test]
    fn error_codes_added_removed_and_redescribed() {
        let (_, list) = changes(|s| {
            let a = s.actions.get_mut("GetThing").unwrap();
            a.errors.insert("FailedOperation.B", "b".to_owned());
            a.errors.insert("FailedOperation.A", "a, better".to_owned());
            s.errors.remove("AuthFailure");
            s.errors.insert("InternalError", "internal".to_owned());
        });
        assert_eq!(
            list,
            [
                (K::Doc, "GetThing.errors.FailedOperation.A".to_owned(), P),
                (
                    K::ErrorCodeAdded,
                    "GetThing.errors.FailedOperation.B".to_owned(),
                    A
                ),
                (K::ErrorCodeAdded, "errors.InternalError".to_owned(), A),
                (K::ErrorCodeRemoved, "errors.AuthFailure".to_owned(), B),
            ]
        );
        let (_, list) = changes(|s| {
            s.actions.get_mut("GetThing").unwrap().errors = UniqueMap::new();
        });
        assert_eq!(
            list,
            one(K::ErrorCodeRemoved, "GetThing.errors.FailedOperation.A", B)
        );
    }

    #[test]
    fn enum_values_added_removed_and_renamed() {
        fn values(s: &mut Spec) -> &mut Vec<EnumValue> {
            s.shapes.get_mut("Kind").unwrap().values.as_mut().unwrap()
        }
        let (_, list) = changes(|s| {
            values(s).push(EnumValue {
                name: "Three".into(),
                value: 3.into(),
                description: None,
            })
        });
        assert_eq!(list, one(K::EnumValueAdded, "Kind.values[3]", A));
        let (_, list) = changes(|s| {
            values(s).remove(0);
        });
        assert_eq!(list, one(K::EnumValueRemoved, "Kind.values[1]", B));
        let (_, list) = changes(|s| values(s)[1].name = "Deux".into());
        assert_eq!(list, one(K::Renamed, "Kind.values[2]", B));
        // Same variant name after case conversion: not a rename.
        let (_, list) = changes(|s| values(s)[1].name = "TWO".into());
        assert!(list.is_empty() || list[0].2 != B, "{list:?}");
    }

    #[test]
    fn deprecations_are_additive() {
        let (_, list) = changes(|s| {
            s.actions.get_mut("GetThing").unwrap().deprecated = true;
            s.shapes.get_mut("Thing").unwrap().deprecated = true;
            member(s, "Thing", "Tag").deprecated = true;
        });
        assert_eq!(
            list,
            [
                (K::Deprecated, "GetThing".to_owned(), A),
                (K::Deprecated, "Thing".to_owned(), A),
                (K::Deprecated, "Thing.Tag".to_owned(), A),
            ]
        );
    }

    #[test]
    fn doc_and_behaviour_changes_are_patch() {
        let (report, list) = changes(|s| {
            member(s, "GetThingRequest", "Name").description =
                Some("The display name of the thing.".into());
            let a = s.actions.get_mut("GetThing").unwrap();
            a.regions = vec!["ap-guangzhou".into()];
            a.rate_limit = Some(RateLimit::per_second(20));
            member(s, "Thing", "Tag").sensitive = true;
        });
        assert_eq!(
            list,
            [
                (K::Behaviour, "GetThing.regions".to_owned(), P),
                (K::Behaviour, "GetThing.rate_limit".to_owned(), P),
                (K::Doc, "GetThingRequest.Name".to_owned(), P),
                (K::Behaviour, "Thing.Tag.sensitive".to_owned(), P),
            ]
        );
        let doc = &report.changes[2];
        assert_eq!(
            (doc.old.as_deref(), doc.new.as_deref()),
            (
                Some("The name of the thing."),
                Some("The display name of the thing.")
            )
        );
        assert_eq!(report.semver_bump("0.1.0").unwrap().to, "0.1.1");
    }

    #[test]
    fn rust_renames_and_paginators_are_seen_through_the_model() {
        let (report, list) = changes(|s| {
            member(s, "GetThingRequest", "Name").rust_name = Some("label".into());
        });
        assert_eq!(list, one(K::Renamed, "GetThingRequest.Name", B));
        assert_eq!(
            (
                report.changes[0].old.as_deref(),
                report.changes[0].new.as_deref()
            ),
            (Some("name"), Some("label"))
        );
        // Offset + Limit in, a total and one list out: a paginator appears.
        let (_, list) = changes(|s| {
            members(s, "GetThingRequest").insert("Limit", plain("uint64", false));
            members(s, "GetThingResponse").insert("TotalCount", plain("uint64", false));
        });
        assert_eq!(
            list,
            [
                (K::ActionChanged, "GetThing.paginator".to_owned(), A),
                (K::MemberAdded, "GetThingRequest.Limit".to_owned(), A),
                (K::MemberAdded, "GetThingResponse.TotalCount".to_owned(), A),
            ]
        );
    }

    #[test]
    fn doc_excerpts_show_the_difference_in_context() {
        let long = "word ".repeat(40);
        let (o, n) = excerpt(
            &format!("{long}Defaults to 0. Valid only when Interrupt is false. {long}"),
            &format!("{long}Defaults to 1. Valid only when Interrupt is false. {long}"),
        );
        assert_eq!(o, "…word word Defaults to 0. Valid only when Interrupt…");
        assert_eq!(n, "…word word Defaults to 1. Valid only when Interrupt…");
        assert_eq!(excerpt("", "New."), (String::new(), "New.".to_owned()));
    }

    #[test]
    fn semver_bumps_follow_cargo() {
        let breaking = changes(|s| {
            members(s, "Thing").remove("Tag");
        })
        .0;
        let additive = changes(|s| {
            members(s, "Thing").insert("New", plain("string", false));
        })
        .0;
        let patch = changes(|s| member(s, "Thing", "Tag").description = Some("x".into())).0;
        let next = |r: &ChangeReport, v: &str| r.semver_bump(v).unwrap().to;
        assert_eq!(next(&breaking, "0.1.0"), "0.2.0");
        assert_eq!(next(&additive, "0.1.0"), "0.1.1");
        assert_eq!(next(&patch, "0.1.0"), "0.1.1");
        assert_eq!(next(&breaking, "0.0.3"), "0.0.4");
        assert_eq!(next(&breaking, "1.2.3"), "2.0.0");
        assert_eq!(next(&additive, "1.2.3"), "1.3.0");
        assert_eq!(next(&patch, "1.2.3"), "1.2.4");
        assert!(breaking.semver_bump("1.2").is_err());
        assert!(breaking.semver_bump("1.2.3-beta").is_err());
    }

    #[test]
    fn markdown_groups_by_impact_and_ends_with_the_bump() {
        let mut report = changes(|s| {
            member(s, "GetThingRequest", "Id").required = false;
            members(s, "Thing").insert("New", plain("string", false));
        })
        .0;
        report.crate_version = Some("0.1.0".into());
        let text = report.to_string();
        assert_eq!(
            text,
            "#### Breaking (1)\n\n\
             - required changed: `GetThingRequest.Id` (`required` → `optional`): `i64` → `Option<i64>`\n\n\
             #### Additive (1)\n\n\
             - member added: `Thing.New` (`Option<String>`): an output member of a `#[non_exhaustive]` struct\n\n\
             Semver: 1 breaking, 1 additive, 0 patch → a minor bump of the generated crates: 0.1.0 → 0.2.0.\n"
        );
    }

    #[test]
    fn specs_that_do_not_resolve_are_still_compared() {
        let old = base();
        let mut new = base();
        member(&mut new, "Thing", "Tag").ty = "Missing".into();
        let r = diff(&old, &new);
        assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
        assert!(r.notes[0].contains("the new spec does not resolve"));
        assert_eq!(r.changes[0].kind, K::TypeChanged);
        assert_eq!(r.changes[0].impact, B);
    }

    /// Typing a string member as JSON is breaking (`String` → `JsonString<T>`);
    /// so are a removed provider and a new required key; an optional key and a
    /// new provider are additive.
    #[test]
    fn json_types_and_members_carrying_json() {
        let with_json = |s: &mut Spec| {
            member(s, "GetThingRequest", "Name").json = Some("Config".into());
            s.json_types = Some(
                serde_json::from_value(serde_json::json!({"types": {"Config": {
                    "discriminator": "Kind",
                    "variants": {"Alpha": {"value": "alpha", "fields": {
                        "Key": {"type": "string", "required": true}
                    }, "providers": {"alpha": {"title": "Alpha", "source": "docs"}}}}
                }}}))
                .unwrap(),
            );
        };
        let (_, list) = changes(with_json);
        assert!(
            list.contains(&(K::TypeChanged, "GetThingRequest.Name".to_owned(), B)),
            "{list:?}"
        );
        assert!(
            list.contains(&(
                K::ShapeAdded,
                "json_types.Config".to_owned(),
                Impact::Additive
            )),
            "{list:?}"
        );
        let mut old = base();
        with_json(&mut old);
        let mut new = old.clone();
        let types = &mut new.json_types.as_mut().unwrap().types;
        let config = types.get_mut("Config").unwrap();
        let alpha = config.variants.as_mut().unwrap().get_mut("Alpha").unwrap();
        let mut key = alpha.fields.get("Key").unwrap().clone();
        alpha.fields.insert("Secret", key.clone());
        key.required = false;
        alpha.fields.insert("Level", key);
        let report = diff(&old, &new);
        let list: Vec<(K, String, Impact)> = report
            .changes
            .iter()
            .map(|c| (c.kind, c.path.clone(), c.impact))
            .collect();
        assert!(
            list.contains(&(
                K::MemberAdded,
                "json_types.Config.Alpha.Secret".to_owned(),
                B
            )),
            "{list:?}"
        );
        assert!(
            list.contains(&(
                K::MemberAdded,
                "json_types.Config.Alpha.Level".to_owned(),
                Impact::Additive
            )),
            "{list:?}"
        );
        let mut gone = old.clone();
        gone.json_types
            .as_mut()
            .unwrap()
            .types
            .get_mut("Config")
            .unwrap()
            .variants = Some(UniqueMap::new());
        let report = diff(&old, &gone);
        assert!(report
            .changes
            .iter()
            .any(|c| c.path == "json_types.Config.Alpha"
                && c.kind == K::ShapeRemoved
                && c.impact == B));
    }
}
