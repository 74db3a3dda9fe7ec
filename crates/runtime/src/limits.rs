//! Documented value limits, and the one checker of them.
//!
//! Tencent documents limits on many request members in words ("Value range:
//! [1, 60]", "不超过 20 个"); the spec keeps them as `limits` on members, and
//! every place that checks a request against them calls [`check`] here: the
//! SDK before sending (over the serialized body, see [`check_request`]), the
//! command line and the local endpoint (through the spec crate's checker). So
//! a value outside a limit reads the same everywhere:
//!
//! ```text
//! EncodeParams.VideoFramerate: 2000 is outside the documented range: 1 to 60 ("取值范围[1,60]，...")
//! ```
//!
//! The SDK checks in its send path, not in the input builders' `build()`:
//! one function over the serialized JSON serves every action (typed, dynamic,
//! raw bodies, streams, waiters, paginators) with paths in wire names, exactly
//! as the command line and the local endpoint print them; the escape hatch
//! (`ConfigBuilder::skip_limit_checks`, `CallOptions::skip_limit_checks`) is
//! a client or per-call setting, which `build()` cannot see; and the
//! generated crates carry one [`LimitTable`] literal per action instead of
//! code per type, so they build as fast as without limits.
//!
//! A [`Limit`] is the runtime's form of a spec limit: every text is a
//! [`Cow`], so generated crates describe their limits in `static`s and a
//! program reading a spec builds the same values at run time. Numbers are kept
//! as their JSON text (`60`, `0.5`), exactly as the spec writes them.
//!
//! A list member's `count` limits its number of items; its other limits apply
//! to each item. Values of the wrong JSON type are left to the type checks.
//! Responses are never checked against limits: documentation is not a reason
//! to refuse an answer.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::meta::{Text, Texts};

/// What a limit constrains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LimitKind {
    /// A number's value (`min`, `max`, each inclusive unless exclusive).
    Range,
    /// A string's length (`min`, `max`, inclusive, in a [`LengthUnit`]).
    Length,
    /// A list's number of items (`min`, `max`, inclusive).
    Count,
    /// The characters a string may contain (a [`CharClass`] pattern).
    Pattern,
    /// A closed set of allowed values.
    Values,
}

impl LimitKind {
    /// How docs and errors name it: `range`, `length`, `number of items`,
    /// `characters`, `values`.
    pub fn label(self) -> &'static str {
        match self {
            LimitKind::Range => "range",
            LimitKind::Length => "length",
            LimitKind::Count => "number of items",
            LimitKind::Pattern => "characters",
            LimitKind::Values => "values",
        }
    }

    /// The label with a capital letter, as docs and `--help` print it
    /// (`**Range:** 1 to 60`).
    pub fn title(self) -> &'static str {
        match self {
            LimitKind::Range => "Range",
            LimitKind::Length => "Length",
            LimitKind::Count => "Number of items",
            LimitKind::Pattern => "Characters",
            LimitKind::Values => "Values",
        }
    }

    /// The spec's spelling: `range`, `length`, `count`, `pattern`, `values`.
    pub fn as_str(self) -> &'static str {
        match self {
            LimitKind::Range => "range",
            LimitKind::Length => "length",
            LimitKind::Count => "count",
            LimitKind::Pattern => "pattern",
            LimitKind::Values => "values",
        }
    }

    /// Every kind, in the order reports list them.
    pub const ALL: [LimitKind; 5] = [
        LimitKind::Range,
        LimitKind::Length,
        LimitKind::Count,
        LimitKind::Pattern,
        LimitKind::Values,
    ];
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a string length counts.
///
/// Tencent's pages say "characters" (字符, 位) or "bytes" (字节). Characters
/// are counted as Unicode scalar values: the smallest count of any encoding
/// Tencent could mean (UTF-8 or GBK bytes, UTF-16 units, "one Chinese
/// character is two characters"), so a check never refuses a string the
/// service accepts. Bytes are UTF-8 bytes, the encoding of the JSON on the
/// wire; every byte limit Tencent documents is on an identifier, URL or key of
/// ASCII characters, where both counts agree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LengthUnit {
    /// Unicode scalar values (Rust `chars`).
    #[default]
    Chars,
    /// UTF-8 bytes.
    Bytes,
}

impl LengthUnit {
    /// The noun for `n` units: `character`, `characters`, `byte`, `bytes`.
    pub fn noun(self, n: u64) -> &'static str {
        match (self, n) {
            (LengthUnit::Chars, 1) => "character",
            (LengthUnit::Chars, _) => "characters",
            (LengthUnit::Bytes, 1) => "byte",
            (LengthUnit::Bytes, _) => "bytes",
        }
    }

    /// The length of `s` in this unit.
    pub fn length(self, s: &str) -> u64 {
        match self {
            LengthUnit::Chars => s.chars().count() as u64,
            LengthUnit::Bytes => s.len() as u64,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_chars(u: &LengthUnit) -> bool {
    *u == LengthUnit::Chars
}

/// One documented limit of a member, as the runtime checks it.
///
/// Built from the spec by `tencentcloud_spec::meta`; a [`LimitTable`] carries
/// an action's limits as JSON of these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    /// What it constrains.
    pub kind: LimitKind,
    /// The smallest value, length or count, as JSON number text (`1`, `0.5`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Text>,
    /// `range`: `min` itself is not allowed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub min_exclusive: bool,
    /// The largest value, length or count, as JSON number text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Text>,
    /// `range`: `max` itself is not allowed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub max_exclusive: bool,
    /// `length`: what is counted.
    #[serde(default, skip_serializing_if = "is_chars")]
    pub unit: LengthUnit,
    /// `pattern`: `^[class]*$` (or `+`), see [`CharClass`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Text>,
    /// `values`: the allowed values, each as JSON text (`48000`, `"hls"`).
    #[serde(default, skip_serializing_if = "<[Text]>::is_empty")]
    pub values: Texts,
    /// The sentence of Tencent's description that states it (English when
    /// there is one), quoted in errors.
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub sentence: Text,
}

impl Limit {
    /// A limit of `kind` with nothing set (no bound, no pattern, no values).
    pub const fn new(kind: LimitKind) -> Limit {
        Limit {
            kind,
            min: None,
            min_exclusive: false,
            max: None,
            max_exclusive: false,
            unit: LengthUnit::Chars,
            pattern: None,
            values: Cow::Borrowed(&[]),
            sentence: Cow::Borrowed(""),
        }
    }

    /// The limit in words, for docs, errors and `--help`: `1 to 60`,
    /// `at most 64 bytes`, `more than 0 and at most 10`, `at most 10 items`,
    /// `only [0-9A-Z_a-z-]`, `one of 48000, 44100`.
    pub fn describe(&self) -> String {
        let whole = |t: &Option<Text>| t.as_deref().and_then(|t| t.parse::<u64>().ok());
        match self.kind {
            LimitKind::Range => self.describe_bounds(""),
            LimitKind::Length => {
                let n = whole(&self.max).or(whole(&self.min)).unwrap_or(0);
                self.describe_bounds(self.unit.noun(n))
            }
            LimitKind::Count => {
                let n = whole(&self.max).or(whole(&self.min)).unwrap_or(0);
                self.describe_bounds(if n == 1 { "item" } else { "items" })
            }
            LimitKind::Pattern => match self.pattern.as_deref().map(CharClass::parse_pattern) {
                Some(Ok(c)) => format!("only {}", c.class_text()),
                _ => format!("`{}`", self.pattern.as_deref().unwrap_or("")),
            },
            LimitKind::Values => format!(
                "one of {}",
                self.values
                    .iter()
                    .map(|t| match serde_json::from_str::<Value>(t) {
                        Ok(Value::String(s)) => s,
                        _ => t.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn describe_bounds(&self, noun: &str) -> String {
        let noun = if noun.is_empty() {
            String::new()
        } else {
            format!(" {noun}")
        };
        match (&self.min, &self.max) {
            (Some(a), Some(b)) if a == b && !self.min_exclusive && !self.max_exclusive => {
                format!("exactly {a}{noun}")
            }
            (Some(a), Some(b)) if !self.min_exclusive && !self.max_exclusive => {
                format!("{a} to {b}{noun}")
            }
            _ => {
                let mut parts = Vec::new();
                if let Some(a) = &self.min {
                    parts.push(if self.min_exclusive {
                        format!("more than {a}")
                    } else {
                        format!("at least {a}")
                    });
                }
                if let Some(b) = &self.max {
                    parts.push(if self.max_exclusive {
                        format!("less than {b}")
                    } else {
                        format!("at most {b}")
                    });
                }
                format!("{}{noun}", parts.join(" and "))
            }
        }
    }

    fn lower(&self) -> Bound {
        bound(&self.min, self.min_exclusive)
    }

    fn upper(&self) -> Bound {
        bound(&self.max, self.max_exclusive)
    }

    fn holds(&self, n: &Num) -> bool {
        satisfies(n, self.lower(), Ordering::Greater) && satisfies(n, self.upper(), Ordering::Less)
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.describe())
    }
}

/// The limits of one member of an action's request, for [`check_request`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberLimits {
    /// The member's path in the request body, in wire names, through lists
    /// element by element: `EncodeParams.VideoFramerate`,
    /// `MixLayoutList.ImageLayer`, `UserIds`.
    pub path: Text,
    /// The member is sensitive: errors never show its value.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// Its limits (at most one per kind).
    pub limits: Cow<'static, [Limit]>,
}

/// An action's request limits ([`ActionMeta::limits`](crate::meta::ActionMeta::limits)):
/// the JSON of a list of [`MemberLimits`], empty for none.
///
/// A generated crate holds one string literal per action rather than a
/// `static` tree of structures: one literal costs the compiler next to
/// nothing, so the generated crates build as fast as without limits. The
/// table is read the first time a request of the action is checked, and kept
/// (`benches/request.rs` in `crates/bench` compares reading it per call).
#[derive(Clone)]
pub struct LimitTable {
    json: Text,
    members: OnceLock<Result<Vec<MemberLimits>, String>>,
}

impl LimitTable {
    /// No limits. (Each use is a table of its own, as a constant's should be:
    /// its once-read cache is never shared through the constant.)
    #[allow(clippy::declare_interior_mutable_const)]
    pub const NONE: LimitTable = LimitTable::from_static("");

    /// The table whose JSON is `json` (what generated crates write).
    pub const fn from_static(json: &'static str) -> LimitTable {
        LimitTable {
            json: Cow::Borrowed(json),
            members: OnceLock::new(),
        }
    }

    /// The table of `members` (empty: [`LimitTable::NONE`]).
    pub fn from_members(members: &[MemberLimits]) -> LimitTable {
        if members.is_empty() {
            return LimitTable::NONE;
        }
        LimitTable {
            json: Cow::Owned(serde_json::to_string(members).unwrap_or_default()),
            members: OnceLock::from(Ok(members.to_vec())),
        }
    }

    /// The table's JSON (empty for none).
    pub fn as_str(&self) -> &str {
        &self.json
    }

    /// Whether the action has no limits.
    pub fn is_empty(&self) -> bool {
        self.json.trim().is_empty()
    }

    /// The members and their limits, read once (an error, naming what is
    /// wrong, for a hand-made table that is not the JSON of [`MemberLimits`]).
    pub fn members(&self) -> Result<&[MemberLimits], &str> {
        let read = self.members.get_or_init(|| {
            if self.is_empty() {
                return Ok(Vec::new());
            }
            serde_json::from_str(&self.json).map_err(|e| e.to_string())
        });
        match read {
            Ok(members) => Ok(members),
            Err(e) => Err(e),
        }
    }
}

impl Default for LimitTable {
    fn default() -> Self {
        LimitTable::NONE
    }
}

/// Tables are equal when their JSON is.
impl PartialEq for LimitTable {
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json
    }
}

impl Eq for LimitTable {}

impl fmt::Debug for LimitTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LimitTable").field(&self.json).finish()
    }
}

// ---------------------------------------------------------------------------
// Numbers.

#[derive(Clone, Copy, Debug)]
enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    fn of(n: &Number) -> Num {
        if let Some(i) = n.as_i64() {
            Num::Int(i128::from(i))
        } else if let Some(u) = n.as_u64() {
            Num::Int(i128::from(u))
        } else {
            Num::Float(n.as_f64().unwrap_or(f64::NAN))
        }
    }

    fn parse(text: &str) -> Option<Num> {
        serde_json::from_str::<Number>(text)
            .ok()
            .map(|n| Num::of(&n))
    }
}

fn num_cmp(a: &Num, b: &Num) -> Ordering {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x.cmp(y),
        (Num::Int(x), Num::Float(y)) => (*x as f64).partial_cmp(y).unwrap_or(Ordering::Equal),
        (Num::Float(x), Num::Int(y)) => x.partial_cmp(&(*y as f64)).unwrap_or(Ordering::Equal),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
    }
}

/// Two JSON values are the same allowed value (numbers by value: `1` is `1.0`).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            num_cmp(&Num::of(x), &Num::of(y)) == Ordering::Equal
        }
        _ => a == b,
    }
}

/// A bound: value and whether it is exclusive.
type Bound = Option<(Num, bool)>;

fn bound(text: &Option<Text>, exclusive: bool) -> Bound {
    text.as_deref().and_then(Num::parse).map(|n| (n, exclusive))
}

/// Whether `n` is on the `inward` side of `bound` (or on it, when inclusive).
fn satisfies(n: &Num, bound: Bound, inward: Ordering) -> bool {
    match bound {
        None => true,
        Some((b, exclusive)) => match num_cmp(n, &b) {
            Ordering::Equal => !exclusive,
            side => side == inward,
        },
    }
}

// ---------------------------------------------------------------------------
// Checking a value.

/// A value outside a documented limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Member path from the top of the request (`EncodeParams.VideoFramerate`,
    /// `UserIds[3]`).
    pub path: String,
    /// Which kind of limit.
    pub kind: LimitKind,
    /// What was found: `2000`, `70 characters`, `11 items`, `'é' at character 3`
    /// (`the value` for a sensitive member).
    pub found: String,
    /// The documented limit in words ([`Limit::describe`]).
    pub limit: String,
    /// The sentence the limit comes from.
    pub sentence: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} is outside the documented {}: {}",
            self.path,
            self.found,
            self.kind.label(),
            self.limit
        )?;
        if !self.sentence.is_empty() {
            write!(f, " ({:?})", self.sentence)?;
        }
        Ok(())
    }
}

/// Checks `value` (the member's JSON value; `null` passes) against its
/// `limits`: for an array, `count` limits on the array and the others on
/// each item (`path[i]`). Values of the wrong JSON type are left to the type
/// check. `sensitive`: never show the value.
pub fn check(limits: &[Limit], value: &Value, path: &str, sensitive: bool) -> Vec<Violation> {
    let mut out = Vec::new();
    check_into(limits, value, path, sensitive, &mut out);
    out
}

fn check_into(
    limits: &[Limit],
    value: &Value,
    path: &str,
    sensitive: bool,
    out: &mut Vec<Violation>,
) {
    if let Value::Array(items) = value {
        for l in limits.iter().filter(|l| l.kind == LimitKind::Count) {
            let n = items.len() as u64;
            if !l.holds(&Num::Int(i128::from(n))) {
                out.push(violation(
                    l,
                    path,
                    format!("{n} item{}", if n == 1 { "" } else { "s" }),
                ));
            }
        }
        for (i, item) in items.iter().enumerate() {
            check_one(limits, item, &format!("{path}[{i}]"), sensitive, out);
        }
    } else {
        check_one(limits, value, path, sensitive, out);
    }
}

fn violation(l: &Limit, path: &str, found: String) -> Violation {
    Violation {
        path: path.to_owned(),
        kind: l.kind,
        found,
        limit: l.describe(),
        sentence: l.sentence.to_string(),
    }
}

fn check_one(limits: &[Limit], v: &Value, path: &str, sensitive: bool, out: &mut Vec<Violation>) {
    let shown = |v: &Value| -> String {
        if sensitive {
            return "the value".to_owned();
        }
        match v {
            Value::String(s) if s.chars().count() > 40 => {
                format!("{:?}…", s.chars().take(40).collect::<String>())
            }
            Value::String(s) => format!("{s:?}"),
            other => other.to_string(),
        }
    };
    for l in limits {
        match (l.kind, v) {
            (LimitKind::Range, Value::Number(n)) if !l.holds(&Num::of(n)) => {
                out.push(violation(l, path, shown(v)));
            }
            // A number sent as a string (`string_or_int` members: `"2000"`).
            (LimitKind::Range, Value::String(s))
                if Num::parse(s.trim()).is_some_and(|n| !l.holds(&n)) =>
            {
                out.push(violation(l, path, shown(v)));
            }
            (LimitKind::Length, Value::String(s)) => {
                let n = l.unit.length(s);
                if !l.holds(&Num::Int(i128::from(n))) {
                    out.push(violation(l, path, format!("{n} {}", l.unit.noun(n))));
                }
            }
            (LimitKind::Pattern, Value::String(s)) => {
                let Some(Ok(class)) = l.pattern.as_deref().map(CharClass::parse_pattern) else {
                    continue;
                };
                if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| !class.contains(*c)) {
                    let found = if sensitive {
                        format!("a character at position {}", i + 1)
                    } else {
                        format!("{c:?} at character {}", i + 1)
                    };
                    out.push(violation(l, path, found));
                } else if class.nonempty && s.is_empty() {
                    out.push(violation(l, path, "an empty string".to_owned()));
                }
            }
            (LimitKind::Values, Value::Number(_) | Value::String(_))
                if !l
                    .values
                    .iter()
                    .any(|a| serde_json::from_str::<Value>(a).is_ok_and(|a| same_value(&a, v))) =>
            {
                out.push(violation(l, path, shown(v)));
            }
            _ => {}
        }
    }
}

/// Checks a request body against an action's limit table
/// ([`ActionMeta::limits`](crate::meta::ActionMeta::limits)): each member
/// the body has, through lists element by element, with [`check`]. Members
/// absent (or `null`) pass; so do values of the wrong JSON type.
pub fn check_request(table: &[MemberLimits], body: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    for m in table {
        let segments: Vec<&str> = m.path.split('.').collect();
        walk(body, &segments, String::new(), m, &mut out);
    }
    out
}

fn walk(v: &Value, segments: &[&str], at: String, m: &MemberLimits, out: &mut Vec<Violation>) {
    let Some((first, rest)) = segments.split_first() else {
        check_into(&m.limits, v, &at, m.sensitive, out);
        return;
    };
    match v {
        Value::Object(o) => {
            if let Some(child) = o.get(*first) {
                let p = if at.is_empty() {
                    (*first).to_owned()
                } else {
                    format!("{at}.{first}")
                };
                walk(child, rest, p, m, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, segments, format!("{at}[{i}]"), m, out);
            }
        }
        _ => {}
    }
}

/// A request refused before sending because values are outside their
/// documented limits. Its message names the setting that sends anyway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitError {
    /// The action.
    pub action: Text,
    /// Every value outside its limit (at least one).
    pub violations: Vec<Violation>,
}

/// How to turn the checks off, as every limit error says it.
pub const ESCAPE_HATCH: &str =
    "ConfigBuilder::skip_limit_checks(true) (or CallOptions::skip_limit_checks(true) for one call)";

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: values outside their documented limits: ",
            self.action
        )?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        write!(
            f,
            ". If the documentation is stale, {ESCAPE_HATCH} sends it anyway"
        )
    }
}

impl std::error::Error for LimitError {}

// ---------------------------------------------------------------------------
// Patterns.

/// A pattern: the characters a string may contain, written as a character
/// class in regex syntax, `^[0-9A-Z_a-z-]*$` (`+` instead of `*`: not empty).
///
/// Only classes of single characters and ranges, with `\` escaping the next
/// character; that is all Tencent's pages state (letters, digits and a few
/// punctuation characters), so no regex engine is needed (a regex crate
/// would cost every generated crate's build for a few character sets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CharClass {
    /// Sorted, disjoint, non-adjacent inclusive ranges.
    ranges: Vec<(char, char)>,
    /// `+`: the string may not be empty.
    pub nonempty: bool,
}
impl CharClass {
    /// A class of these ranges (any order, may overlap).
    pub fn from_ranges(ranges: impl IntoIterator<Item = (char, char)>) -> CharClass {
        let mut c = CharClass {
            ranges: ranges.into_iter().collect(),
            nonempty: false,
        };
        c.normalize();
        c
    }

    fn normalize(&mut self) {
        self.ranges.sort();
        let mut out: Vec<(char, char)> = Vec::new();
        for (a, b) in self.ranges.drain(..) {
            match out.last_mut() {
                Some(last) if (a as u32) <= (last.1 as u32).saturating_add(1) => {
                    if b > last.1 {
                        last.1 = b;
                    }
                }
                _ => out.push((a, b)),
            }
        }
        self.ranges = out;
    }

    /// Whether the class is empty.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Parses `^[class]*$` or `^[class]+$`.
    pub fn parse_pattern(pattern: &str) -> Result<CharClass, String> {
        let unsupported = || {
            format!(
                "`{pattern}` is not a supported pattern: write a character class, `^[...]*$` \
                 or `^[...]+$` (single characters, ranges such as `a-z`, `\\` escapes)"
            )
        };
        let body = pattern.strip_prefix("^[").ok_or_else(unsupported)?;
        let (body, nonempty) = if let Some(b) = body.strip_suffix("]*$") {
            (b, false)
        } else if let Some(b) = body.strip_suffix("]+$") {
            (b, true)
        } else {
            return Err(unsupported());
        };
        if body.starts_with('^') {
            return Err(format!(
                "`{pattern}`: a negated class (`[^...]`) is not supported"
            ));
        }
        // Atoms: a character, or `\` and the character it escapes.
        let mut atoms: Vec<(char, bool)> = Vec::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e) => atoms.push((e, true)),
                    None => return Err(format!("`{pattern}`: a `\\` escapes nothing")),
                },
                '[' | ']' => {
                    return Err(format!(
                        "`{pattern}`: `{c}` inside the class must be escaped (`\\{c}`)"
                    ))
                }
                c => atoms.push((c, false)),
            }
        }
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < atoms.len() {
            let (a, _) = atoms[i];
            if i + 2 < atoms.len() && atoms[i + 1] == ('-', false) {
                let (b, _) = atoms[i + 2];
                if b < a {
                    return Err(format!("`{pattern}`: the range `{a}-{b}` is backwards"));
                }
                ranges.push((a, b));
                i += 3;
            } else {
                ranges.push((a, a));
                i += 1;
            }
        }
        if ranges.is_empty() {
            return Err(format!("`{pattern}`: the class is empty"));
        }
        let mut c = CharClass::from_ranges(ranges);
        c.nonempty = nonempty;
        Ok(c)
    }

    /// The class in brackets, `[0-9A-Z_a-z-]`: canonical (sorted, digits
    /// and letters as ranges, a few other characters one by one, `-` last).
    pub fn class_text(&self) -> String {
        fn esc(c: char) -> String {
            match c {
                '\\' | ']' | '[' | '^' | '-' => format!("\\{c}"),
                c => c.to_string(),
            }
        }
        let mut out = String::from("[");
        let mut emit = |x: char, y: char, singles: bool| {
            if singles {
                for c in (x as u32..=y as u32).filter_map(char::from_u32) {
                    if c != '-' {
                        out.push_str(&esc(c));
                    }
                }
            } else if y as u32 == x as u32 + 1 {
                out.push_str(&esc(x));
                out.push_str(&esc(y));
            } else {
                out.push_str(&esc(x));
                out.push('-');
                out.push_str(&esc(y));
            }
        };
        for &(a, b) in &self.ranges {
            // Pieces at the edges of 0-9, A-Z and a-z, so each reads as a
            // familiar range; up to 16 other characters one by one.
            let mut x = a;
            loop {
                let (end, class) = match x {
                    '0'..='9' => ('9', true),
                    'A'..='Z' => ('Z', true),
                    'a'..='z' => ('z', true),
                    _ => {
                        let next = ['0', 'A', 'a']
                            .into_iter()
                            .filter(|c| *c > x)
                            .min()
                            .and_then(|c| char::from_u32(c as u32 - 1))
                            .unwrap_or(char::MAX);
                        (next, false)
                    }
                };
                let y = end.min(b);
                let n = y as u32 - x as u32 + 1;
                emit(x, y, !class && n <= 16 || x == y);
                if y >= b {
                    break;
                }
                match char::from_u32(y as u32 + 1) {
                    Some(c) => x = c,
                    None => break,
                }
            }
        }
        if self.contains('-') {
            out.push('-');
        }
        out.push(']');
        out
    }

    /// The pattern, `^[0-9A-Z_a-z-]*$`.
    pub fn to_pattern(&self) -> String {
        format!(
            "^{}{}$",
            self.class_text(),
            if self.nonempty { '+' } else { '*' }
        )
    }

    /// Whether `c` is in the class.
    pub fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= c && c <= b)
    }

    /// Every character of either.
    pub fn union(&self, other: &CharClass) -> CharClass {
        let mut c = CharClass::from_ranges(self.ranges.iter().chain(&other.ranges).copied());
        c.nonempty = self.nonempty && other.nonempty;
        c
    }

    /// Whether every character of `self` is in `other`.
    pub fn is_subset(&self, other: &CharClass) -> bool {
        self.ranges
            .iter()
            .all(|&(a, b)| other.ranges.iter().any(|&(x, y)| x <= a && b <= y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static FRAMERATE: Limit = Limit {
        kind: LimitKind::Range,
        min: Some(Cow::Borrowed("1")),
        min_exclusive: false,
        max: Some(Cow::Borrowed("60")),
        max_exclusive: false,
        unit: LengthUnit::Chars,
        pattern: None,
        values: Cow::Borrowed(&[]),
        sentence: Cow::Borrowed("取值范围[1,60]"),
    };

    fn table() -> Vec<MemberLimits> {
        vec![
            MemberLimits {
                path: "EncodeParams.VideoFramerate".into(),
                sensitive: false,
                limits: Cow::Borrowed(std::slice::from_ref(&FRAMERATE)),
            },
            MemberLimits {
                path: "Layout.UserIds".into(),
                sensitive: false,
                limits: Cow::Owned(vec![
                    Limit {
                        max: Some("2".into()),
                        ..Limit::new(LimitKind::Count)
                    },
                    Limit {
                        max: Some("3".into()),
                        ..Limit::new(LimitKind::Length)
                    },
                ]),
            },
            MemberLimits {
                path: "Key".into(),
                sensitive: true,
                limits: Cow::Owned(vec![Limit {
                    pattern: Some("^[a-z]+$".into()),
                    ..Limit::new(LimitKind::Pattern)
                }]),
            },
        ]
    }

    fn texts(body: serde_json::Value) -> Vec<String> {
        check_request(&table(), &body)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_request_is_walked_through_structures_and_lists() {
        assert!(texts(json!({"EncodeParams": {"VideoFramerate": 60}})).is_empty());
        assert_eq!(
            texts(json!({"EncodeParams": {"VideoFramerate": 2000}})),
            ["EncodeParams.VideoFramerate: 2000 is outside the documented range: 1 to 60 (\"取值范围[1,60]\")"]
        );
        assert_eq!(
            texts(json!({"Layout": [{"UserIds": ["a", "b", "abcd"]}, {"UserIds": ["abc"]}]})),
            [
                "Layout[0].UserIds: 3 items is outside the documented number of items: at most 2 items",
                "Layout[0].UserIds[2]: 4 characters is outside the documented length: at most 3 characters",
            ]
        );
        // Absent, null and wrongly typed values are the type check's business.
        assert!(texts(json!({"EncodeParams": null, "Layout": "x", "Key": 5})).is_empty());
        // A sensitive member's value never shows.
        assert_eq!(
            texts(json!({"Key": "secretX"})),
            ["Key: a character at position 7 is outside the documented characters: only [a-z]"]
        );
        assert_eq!(
            texts(json!({"Key": ""})),
            ["Key: an empty string is outside the documented characters: only [a-z]"]
        );
    }

    #[test]
    fn bounds_exclusive_floats_strings_and_values() {
        let l = Limit {
            min: Some("0".into()),
            min_exclusive: true,
            max: Some("2.5".into()),
            ..Limit::new(LimitKind::Range)
        };
        assert_eq!(l.describe(), "more than 0 and at most 2.5");
        for (v, ok) in [
            (json!(0), false),
            (json!(0.0001), true),
            (json!(2.5), true),
            (json!(2.5000001), false),
            (json!("3"), false),
            (json!("1"), true),
            (json!("not a number"), true),
        ] {
            assert_eq!(
                check(std::slice::from_ref(&l), &v, "X", false).is_empty(),
                ok,
                "{v}"
            );
        }
        let set = Limit {
            values: Cow::Owned(vec!["48000".into(), "\"hls\"".into()]),
            ..Limit::new(LimitKind::Values)
        };
        assert_eq!(set.describe(), "one of 48000, hls");
        assert!(check(std::slice::from_ref(&set), &json!(48000.0), "X", false).is_empty());
        assert!(check(std::slice::from_ref(&set), &json!("hls"), "X", false).is_empty());
        assert_eq!(
            check(std::slice::from_ref(&set), &json!(44100), "X", false)[0].to_string(),
            "X: 44100 is outside the documented values: one of 48000, hls"
        );
        let bytes = Limit {
            min: Some("2".into()),
            max: Some("2".into()),
            unit: LengthUnit::Bytes,
            ..Limit::new(LimitKind::Length)
        };
        assert_eq!(bytes.describe(), "exactly 2 bytes");
        assert!(check(std::slice::from_ref(&bytes), &json!("é"), "X", false).is_empty());
        assert!(!check(std::slice::from_ref(&bytes), &json!("éé"), "X", false).is_empty());
    }

    #[test]
    fn the_error_names_the_escape_hatch() {
        let e = LimitError {
            action: "StartMCUMixTranscode".into(),
            violations: check_request(&table(), &json!({"EncodeParams": {"VideoFramerate": 0}})),
        };
        let text = e.to_string();
        assert!(text.starts_with("StartMCUMixTranscode: values outside their documented limits: EncodeParams.VideoFramerate: 0 is outside"), "{text}");
        assert!(
            text.contains("ConfigBuilder::skip_limit_checks(true)"),
            "{text}"
        );
    }
}
