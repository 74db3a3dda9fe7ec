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

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use crate::model;
use crate::spec::{CommonErrors, Edition, Language, Spec, UniqueMap, ERRORS_FORMAT};

use names::{input_structs, Names};

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
    service::service(old_service, new_service, &mut out);
    cx.actions(&mut out);
    cx.shapes(&mut out);
    cx.codes(
        "errors",
        old_errors,
        new_errors,
        |m, c| m.service_codes.get(c).cloned(),
        &mut out,
    );
    service::callbacks(old_callbacks.as_ref(), new_callbacks.as_ref(), &mut out);
    json::json_types(old_json_types.as_ref(), new_json_types.as_ref(), &mut out);
    service::waiters(old_waiters, new_waiters, &mut out);
    report.changes = out;
    report
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
}

/// One entry of two keyed collections compared by [`keyed`].
pub(super) enum Keyed<'a, K: ?Sized, V> {
    /// Only in the new collection.
    Added(&'a K, &'a V),
    /// In both: the old value, then the new one.
    Both(&'a K, &'a V, &'a V),
    /// Only in the old collection.
    Removed(&'a K, &'a V),
}

/// The added / changed / removed walk over two keyed collections, written
/// once for every section of the report: each entry of `new` in its order
/// (added, or in both), then each entry of `old` that `new` lacks, in its order.
pub(super) fn keyed<'a, K, V>(
    old: impl IntoIterator<Item = (&'a K, &'a V)>,
    new: impl IntoIterator<Item = (&'a K, &'a V)>,
    mut each: impl FnMut(Keyed<'a, K, V>),
) where
    K: PartialEq + ?Sized + 'a,
    V: 'a,
{
    let old: Vec<(&K, &V)> = old.into_iter().collect();
    let new: Vec<(&K, &V)> = new.into_iter().collect();
    for &(k, n) in &new {
        match old.iter().find(|(ok, _)| *ok == k) {
            Some(&(_, o)) => each(Keyed::Both(k, o, n)),
            None => each(Keyed::Added(k, n)),
        }
    }
    for &(k, o) in &old {
        if !new.iter().any(|(nk, _)| *nk == k) {
            each(Keyed::Removed(k, o));
        }
    }
}

/// A list of `(key, value)` pairs as [`keyed`] takes them.
pub(super) fn by_key<V>(v: &[(String, V)]) -> Vec<(&str, &V)> {
    v.iter().map(|(k, value)| (k.as_str(), value)).collect()
}

mod actions;
mod json;
mod names;
mod service;
mod shapes;
#[cfg(test)]
mod tests;
