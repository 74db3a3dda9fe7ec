//! Documented limits on a member's value: numeric ranges, string lengths,
//! list lengths, character patterns and closed sets of values, each keeping
//! the sentences of Tencent's descriptions it comes from.
//!
//! Self-contained (serde, serde_json and the spec's [`Edition`] only) so it
//! can move with the spec types. What is here:
//!
//! - the types, as a member's `limits` in the spec stores them ([`Limit`],
//!   [`LimitSource`]) and how they read in docs and errors
//!   ([`Limit::describe`]);
//! - [`problems`]: what is wrong with a member's limits for its type (the
//!   spec validation reports them with JSON paths);
//! - [`check`]: a JSON value against a member's limits, every
//!   [`Violation`] with its path, the value, the documented limit and the
//!   sentence (for the one checker of requests: SDK, CLI, local endpoint);
//! - [`compare`]: two versions of a member's limits, for the change report
//!   (narrower: a value accepted before is refused now; wider: the reverse);
//! - [`loosen`]: the looser of two limits, for the merge of the editions (a
//!   check must never refuse what the service accepts);
//! - [`CharClass`]: the patterns, a character class in regex syntax
//!   (`^[a-zA-Z0-9_-]*$`), matched without a regex engine.
//!
//! A list member's `count` limits its number of items; its other limits
//! apply to each item.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::Edition;

use tencentcloud_runtime::limits::Limit as RtLimit;
pub use tencentcloud_runtime::limits::{CharClass, LengthUnit, LimitKind, Violation};

fn is_false(b: &bool) -> bool {
    !*b
}

/// The language of a sentence a limit comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TextLanguage {
    /// English (the international edition).
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese (the mainland edition).
    #[serde(rename = "zh")]
    Zh,
}

impl TextLanguage {
    /// `zh` when the text has a CJK ideograph, else `en`.
    pub fn of(text: &str) -> TextLanguage {
        if text.chars().any(|c| {
            ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
        }) {
            TextLanguage::Zh
        } else {
            TextLanguage::En
        }
    }
}

impl fmt::Display for TextLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextLanguage::En => "en",
            TextLanguage::Zh => "zh",
        })
    }
}

/// A sentence of a description that states a limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSource {
    /// The sentence, as the description has it.
    pub text: String,
    /// Its language.
    pub language: TextLanguage,
    /// The editions whose description has it; empty: every edition of the
    /// member (an import of one definition).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editions: Vec<Edition>,
}

/// One documented limit of a member (see the module docs).
///
/// In the spec: `{"kind": "range", "min": 1, "max": 60, "sources": [...]}`,
/// `{"kind": "range", "min": 0, "min_exclusive": true}`,
/// `{"kind": "length", "max": 64, "unit": "bytes"}`, `{"kind": "count", "max": 10}`,
/// `{"kind": "pattern", "pattern": "^[0-9A-Z_a-z-]*$"}`,
/// `{"kind": "values", "values": [48000, 44100]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// What it constrains.
    pub kind: LimitKind,
    /// The smallest value, length or count (`range`, `length`, `count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Number>,
    /// `range`: `min` itself is not allowed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub min_exclusive: bool,
    /// The largest value, length or count (`range`, `length`, `count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Number>,
    /// `range`: `max` itself is not allowed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub max_exclusive: bool,
    /// `length`: what is counted (default `chars`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<LengthUnit>,
    /// `pattern`: `^[class]*$` (or `+`), a character class in regex syntax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `values`: the allowed values (numbers or strings, as the member's type).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Value>,
    /// The sentences it comes from (at least one).
    #[serde(default)]
    pub sources: Vec<LimitSource>,
}

impl Limit {
    fn empty(kind: LimitKind) -> Limit {
        Limit {
            kind,
            min: None,
            min_exclusive: false,
            max: None,
            max_exclusive: false,
            unit: None,
            pattern: None,
            values: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// A numeric range; `None` bounds are open.
    pub fn range(min: Option<Number>, max: Option<Number>) -> Limit {
        Limit {
            min,
            max,
            ..Limit::empty(LimitKind::Range)
        }
    }

    /// A string length in `unit`s.
    pub fn length(min: Option<u64>, max: Option<u64>, unit: LengthUnit) -> Limit {
        Limit {
            min: min.map(Number::from),
            max: max.map(Number::from),
            unit: Some(unit),
            ..Limit::empty(LimitKind::Length)
        }
    }

    /// A number of list items.
    pub fn count(min: Option<u64>, max: Option<u64>) -> Limit {
        Limit {
            min: min.map(Number::from),
            max: max.map(Number::from),
            ..Limit::empty(LimitKind::Count)
        }
    }

    /// The characters a string may contain.
    pub fn pattern(class: &CharClass) -> Limit {
        Limit {
            pattern: Some(class.to_pattern()),
            ..Limit::empty(LimitKind::Pattern)
        }
    }

    /// A closed set of values.
    pub fn values(values: Vec<Value>) -> Limit {
        Limit {
            values,
            ..Limit::empty(LimitKind::Values)
        }
    }

    /// The same limit with one more source.
    pub fn with_source(mut self, text: &str, editions: &[Edition]) -> Limit {
        add_source(
            &mut self.sources,
            LimitSource {
                text: text.to_owned(),
                language: TextLanguage::of(text),
                editions: editions.to_vec(),
            },
        );
        self
    }

    /// The editions whose descriptions state it (empty: every edition).
    pub fn editions(&self) -> Vec<Edition> {
        let mut out: Vec<Edition> = Vec::new();
        for s in &self.sources {
            if s.editions.is_empty() {
                return Vec::new();
            }
            for e in &s.editions {
                if !out.contains(e) {
                    out.push(*e);
                }
            }
        }
        out.sort();
        out
    }

    /// Whether a `range`, `length` or `count` limit has neither bound: it
    /// limits nothing (the looser of `at least 1` and `at most 5` is that).
    pub fn is_unbounded(&self) -> bool {
        matches!(
            self.kind,
            LimitKind::Range | LimitKind::Length | LimitKind::Count
        ) && self.min.is_none()
            && self.max.is_none()
    }

    /// The unit of a `length` limit.
    pub fn length_unit(&self) -> LengthUnit {
        self.unit.unwrap_or_default()
    }

    /// Whether `self` and `other` constrain the same way (sources aside).
    pub fn same_constraint(&self, other: &Limit) -> bool {
        let strip = |l: &Limit| Limit {
            sources: Vec::new(),
            unit: if l.kind == LimitKind::Length {
                Some(l.length_unit())
            } else {
                l.unit
            },
            ..l.clone()
        };
        strip(self) == strip(other)
    }

    /// The limit in words, for docs, errors and reports: `1 to 60`,
    /// `at most 64 bytes`, `more than 0 and at most 10`, `at most 10 items`,
    /// `only [0-9A-Z_a-z-]`, `one of 48000, 44100`.
    pub fn describe(&self) -> String {
        self.to_runtime().describe()
    }

    /// The runtime's form of this limit: what the SDK, the command line and
    /// the local endpoint check ([`tencentcloud_runtime::limits`]), with the
    /// first sentence ([`Limit::sentence`]) kept for errors.
    pub fn to_runtime(&self) -> RtLimit {
        let text = |n: &Option<Number>| n.as_ref().map(|n| Cow::Owned(n.to_string()));
        RtLimit {
            kind: self.kind,
            min: text(&self.min),
            min_exclusive: self.min_exclusive,
            max: text(&self.max),
            max_exclusive: self.max_exclusive,
            unit: self.length_unit(),
            pattern: self.pattern.clone().map(Cow::Owned),
            values: Cow::Owned(
                self.values
                    .iter()
                    .map(|v| Cow::Owned(v.to_string()))
                    .collect(),
            ),
            sentence: Cow::Owned(self.sentence().unwrap_or("").to_owned()),
        }
    }

    /// The first source's sentence (the English one when there is one).
    pub fn sentence(&self) -> Option<&str> {
        self.sources
            .iter()
            .find(|s| s.language == TextLanguage::En)
            .or(self.sources.first())
            .map(|s| s.text.as_str())
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.describe())
    }
}

/// Adds `s` to `sources`, joining the editions of an identical sentence.
pub fn add_source(sources: &mut Vec<LimitSource>, s: LimitSource) {
    match sources
        .iter_mut()
        .find(|x| x.text == s.text && x.language == s.language)
    {
        Some(x) => {
            if x.editions.is_empty() || s.editions.is_empty() {
                x.editions.clear();
            } else {
                for e in s.editions {
                    if !x.editions.contains(&e) {
                        x.editions.push(e);
                    }
                }
                x.editions.sort();
            }
        }
        None => sources.push(s),
    }
}

// ---------------------------------------------------------------------------
// What a member is, for validation.

/// The JSON a member's value (or each item of a list member) holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// A signed integer.
    Integer,
    /// An unsigned integer.
    Unsigned,
    /// Any number.
    Float,
    /// A string.
    String,
    /// A string or an integer (`string_or_int`).
    StringOrInt,
    /// Anything else (bool, dates, structures).
    Other,
}

impl ValueType {
    /// The type of a spec primitive (`string`, `int64`, ...); `Other` for the rest.
    pub fn of_primitive(ty: &str) -> ValueType {
        match ty {
            "int64" => ValueType::Integer,
            "uint64" => ValueType::Unsigned,
            "float" => ValueType::Float,
            "string" => ValueType::String,
            "string_or_int" => ValueType::StringOrInt,
            _ => ValueType::Other,
        }
    }

    fn numeric(self) -> bool {
        matches!(
            self,
            ValueType::Integer | ValueType::Unsigned | ValueType::Float | ValueType::StringOrInt
        )
    }

    fn stringy(self) -> bool {
        matches!(self, ValueType::String | ValueType::StringOrInt)
    }

    fn name(self) -> &'static str {
        match self {
            ValueType::Integer => "an integer",
            ValueType::Unsigned => "an unsigned integer",
            ValueType::Float => "a number",
            ValueType::String => "a string",
            ValueType::StringOrInt => "a string or integer",
            ValueType::Other => "neither a number nor a string",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            ValueType::Integer => "integers",
            ValueType::Unsigned => "unsigned integers",
            ValueType::Float => "numbers",
            ValueType::String => "strings",
            ValueType::StringOrInt => "strings or integers",
            ValueType::Other => "values that are neither numbers nor strings",
        }
    }
}

/// A member as its limits see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// The member is a list (its `count` is the list's; the rest apply to items).
    pub list: bool,
    /// The value, or each item.
    pub value: ValueType,
    /// The value is an enum shape (its values are documented there).
    pub is_enum: bool,
}

impl Target {
    /// A member of spec type `ty` (`items` for lists) whose type is a
    /// primitive; shapes are `Other` (the validation maps enums itself).
    pub fn of_spec_type(ty: &str, items: Option<&str>) -> Target {
        let list = ty == "list";
        let elem = if list { items.unwrap_or("") } else { ty };
        Target {
            list,
            value: ValueType::of_primitive(elem),
            is_enum: false,
        }
    }
}

/// What is wrong with a member's `limits` for `target`: (path below the
/// member's `limits`, e.g. `[0].min`, message). Empty when they are valid.
pub fn problems(limits: &[Limit], target: Target) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<LimitKind> = Vec::new();
    for (i, l) in limits.iter().enumerate() {
        let at = |field: &str| {
            if field.is_empty() {
                format!("[{i}]")
            } else {
                format!("[{i}].{field}")
            }
        };
        let key = l.kind;
        if seen.contains(&key) {
            out.push((
                at("kind"),
                format!(
                    "a second `{}` limit: state one (where texts disagree, the looser)",
                    l.kind
                ),
            ));
        }
        seen.push(key);
        source_problems(l, &at, &mut out);
        stray_fields(l, &at, &mut out);
        let bounded = matches!(
            l.kind,
            LimitKind::Range | LimitKind::Length | LimitKind::Count
        );
        type_problems(l, target, &at, &mut out);
        if bounded {
            bound_problems(l, target, &at, &mut out);
        }
        if l.kind == LimitKind::Pattern {
            match l.pattern.as_deref() {
                None => out.push((at(""), "a `pattern` limit needs `pattern`".to_owned())),
                Some(p) => {
                    if let Err(e) = CharClass::parse_pattern(p) {
                        out.push((at("pattern"), e));
                    }
                }
            }
        }
        if l.kind == LimitKind::Values {
            value_problems(l, target, &at, &mut out);
        }
    }
    out
}

/// The sentences of a limit: present, not empty, each edition once.
fn source_problems(l: &Limit, at: &dyn Fn(&str) -> String, out: &mut Vec<(String, String)>) {
    if l.sources.is_empty() {
        out.push((
            at("sources"),
            "a limit needs the sentence it comes from".to_owned(),
        ));
    }
    for (j, s) in l.sources.iter().enumerate() {
        if s.text.trim().is_empty() {
            out.push((
                at(&format!("sources[{j}].text")),
                "the sentence is empty".to_owned(),
            ));
        }
        for (k, e) in s.editions.iter().enumerate() {
            if s.editions[..k].contains(e) {
                out.push((
                    at(&format!("sources[{j}].editions[{k}]")),
                    format!("edition `{e}` is listed twice"),
                ));
            }
        }
    }
}

/// Fields of a limit that belong to other kinds.
fn stray_fields(l: &Limit, at: &dyn Fn(&str) -> String, out: &mut Vec<(String, String)>) {
    let bounded = matches!(
        l.kind,
        LimitKind::Range | LimitKind::Length | LimitKind::Count
    );
    let stray: [(&str, bool); 7] = [
        ("min", !bounded && l.min.is_some()),
        ("max", !bounded && l.max.is_some()),
        (
            "min_exclusive",
            l.min_exclusive && l.kind != LimitKind::Range,
        ),
        (
            "max_exclusive",
            l.max_exclusive && l.kind != LimitKind::Range,
        ),
        ("unit", l.unit.is_some() && l.kind != LimitKind::Length),
        (
            "pattern",
            l.pattern.is_some() && l.kind != LimitKind::Pattern,
        ),
        (
            "values",
            !l.values.is_empty() && l.kind != LimitKind::Values,
        ),
    ];
    for (field, bad) in stray {
        if bad {
            out.push((
                at(field),
                format!("`{field}` is not a field of a `{}` limit", l.kind),
            ));
        }
    }
}

/// Whether the kind of a limit fits the member's type.
fn type_problems(
    l: &Limit,
    target: Target,
    at: &dyn Fn(&str) -> String,
    out: &mut Vec<(String, String)>,
) {
    let v = target.value;
    let wrong_type = |what: &str| {
        (
            at("kind"),
            if target.list {
                format!(
                    "a `{}` limit needs {what}; the member is a list of {}",
                    l.kind,
                    v.plural()
                )
            } else {
                format!(
                    "a `{}` limit needs {what}; the member is {}",
                    l.kind,
                    v.name()
                )
            },
        )
    };
    match l.kind {
        LimitKind::Range => {
            if !v.numeric() {
                out.push(wrong_type("a numeric member (or a list of numbers)"));
            }
        }
        LimitKind::Length | LimitKind::Pattern => {
            if !v.stringy() {
                out.push(wrong_type("a string member (or a list of strings)"));
            }
        }
        LimitKind::Count => {
            if !target.list {
                out.push((at("kind"), "a `count` limit needs a list member".to_owned()));
            }
        }
        LimitKind::Values => {
            if target.is_enum {
                out.push((
                    at("kind"),
                    "the member is an enum: its shape documents the values".to_owned(),
                ));
            } else if v == ValueType::Other {
                out.push(wrong_type("a numeric or string member"));
            }
        }
    }
}

/// The values of a `values` limit: at least one, of the member's type, each once.
fn value_problems(
    l: &Limit,
    target: Target,
    at: &dyn Fn(&str) -> String,
    out: &mut Vec<(String, String)>,
) {
    let v = target.value;
    if l.values.is_empty() {
        out.push((
            at(""),
            "a `values` limit needs at least one value".to_owned(),
        ));
    }
    for (j, val) in l.values.iter().enumerate() {
        let ok = match v {
            ValueType::Integer => val.as_i64().is_some(),
            ValueType::Unsigned => val.as_u64().is_some(),
            ValueType::Float => val.is_number(),
            ValueType::String => val.is_string(),
            ValueType::StringOrInt => val.is_string() || val.as_i64().is_some(),
            ValueType::Other => true,
        };
        if !ok {
            out.push((
                at(&format!("values[{j}]")),
                format!("{val} is not {}", v.name()),
            ));
        }
        if l.values[..j].iter().any(|w| same_value(w, val)) {
            out.push((
                at(&format!("values[{j}]")),
                format!("{val} is listed twice"),
            ));
        }
    }
}

fn bound_problems(
    l: &Limit,
    target: Target,
    at: &dyn Fn(&str) -> String,
    out: &mut Vec<(String, String)>,
) {
    if l.min.is_none() && l.max.is_none() {
        out.push((
            at(""),
            format!("a `{}` limit needs `min`, `max` or both", l.kind),
        ));
        return;
    }
    if l.min_exclusive && l.min.is_none() {
        out.push((at("min_exclusive"), "there is no `min`".to_owned()));
    }
    if l.max_exclusive && l.max.is_none() {
        out.push((at("max_exclusive"), "there is no `max`".to_owned()));
    }
    for (field, n) in [("min", &l.min), ("max", &l.max)] {
        let Some(n) = n else { continue };
        let ok = match l.kind {
            LimitKind::Range => match target.value {
                ValueType::Integer | ValueType::StringOrInt => n.as_i64().is_some(),
                ValueType::Unsigned => n.as_u64().is_some() || n.as_i64().is_some(),
                _ => true,
            },
            _ => n.as_u64().is_some(),
        };
        if !ok {
            let what = if l.kind == LimitKind::Range {
                format!("not {}", target.value.name())
            } else {
                "not a whole number of at least 0".to_owned()
            };
            out.push((at(field), format!("{n} is {what}")));
        }
    }
    if let (Some(a), Some(b)) = (&l.min, &l.max) {
        match num_cmp(&Num::of(a), &Num::of(b)) {
            Ordering::Greater => {
                out.push((at("min"), format!("`min` {a} is greater than `max` {b}")))
            }
            Ordering::Equal if l.min_exclusive || l.max_exclusive => out.push((
                at("min"),
                format!("no value is allowed: `min` and `max` are both {a} and one is exclusive"),
            )),
            _ => {}
        }
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

    fn of_value(v: &Value) -> Option<Num> {
        match v {
            Value::Number(n) => Some(Num::of(n)),
            _ => None,
        }
    }

    fn to_number(self) -> Number {
        match self {
            Num::Int(i) => i64::try_from(i)
                .map(Number::from)
                .or_else(|_| u64::try_from(i).map(Number::from))
                .unwrap_or_else(|_| Number::from(0)),
            Num::Float(f) => Number::from_f64(f).unwrap_or_else(|| Number::from(0)),
        }
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
    match (Num::of_value(a), Num::of_value(b)) {
        (Some(x), Some(y)) => num_cmp(&x, &y) == Ordering::Equal,
        _ => a == b,
    }
}

/// A bound: value and whether it is exclusive.
type Bound = Option<(Num, bool)>;

fn lower(l: &Limit) -> Bound {
    l.min.as_ref().map(|n| (Num::of(n), l.min_exclusive))
}

fn upper(l: &Limit) -> Bound {
    l.max.as_ref().map(|n| (Num::of(n), l.max_exclusive))
}

/// Whether bound `inner` is at least as tight as `outer`; `inward` is the
/// side of tighter values (`Greater` for a lower bound, `Less` for an upper).
fn within(inner: Bound, outer: Bound, inward: Ordering) -> bool {
    match (inner, outer) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some((i, ie)), Some((o, oe))) => match num_cmp(&i, &o) {
            Ordering::Equal => ie || !oe,
            side => side == inward,
        },
    }
}

fn lower_within(inner: Bound, outer: Bound) -> bool {
    within(inner, outer, Ordering::Greater)
}

fn upper_within(inner: Bound, outer: Bound) -> bool {
    within(inner, outer, Ordering::Less)
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

fn in_bounds(n: &Num, lo: Bound, hi: Bound) -> bool {
    satisfies(n, lo, Ordering::Greater) && satisfies(n, hi, Ordering::Less)
}

// ---------------------------------------------------------------------------
// Checking a value.

/// Checks `value` (the member's JSON value; `null` passes) against its
/// `limits`, with the runtime's checker ([`tencentcloud_runtime::limits::check`]):
/// for an array, `count` limits on the array and the others on each item.
/// Values of the wrong JSON type are left to the type check. `sensitive`:
/// never show the value.
pub fn check(limits: &[Limit], value: &Value, path: &str, sensitive: bool) -> Vec<Violation> {
    let limits: Vec<RtLimit> = limits.iter().map(Limit::to_runtime).collect();
    tencentcloud_runtime::limits::check(&limits, value, path, sensitive)
}

/// A value that satisfies every one of `limits`, from `start` (a member's
/// placeholder, e.g. `0` or `""`): `start` itself when it does; else the
/// first allowed value, the bound of a range (inside it), or a string of the
/// shortest allowed length made of an allowed character. For skeletons of
/// input and for tests.
pub fn satisfying(limits: &[Limit], start: &Value) -> Value {
    let rt: Vec<RtLimit> = limits.iter().map(Limit::to_runtime).collect();
    let fits = |v: &Value| tencentcloud_runtime::limits::check(&rt, v, "", false).is_empty();
    if fits(start) {
        return start.clone();
    }
    let of = |k: LimitKind| limits.iter().find(|l| l.kind == k);
    if let Some(v) = of(LimitKind::Values).and_then(|l| l.values.first()) {
        return v.clone();
    }
    match start {
        Value::Number(n) => {
            let Some(l) = of(LimitKind::Range) else {
                return start.clone();
            };
            let float = n.is_f64();
            let pick = |b: &Number, exclusive: bool, step: f64| -> Value {
                match (float, b.as_i64()) {
                    (false, Some(i)) if exclusive => Value::from(i + step as i64),
                    (false, Some(i)) => Value::from(i),
                    _ => {
                        let x = b.as_f64().unwrap_or(0.0);
                        let x = if exclusive {
                            match (&l.min, &l.max) {
                                (Some(a), Some(z)) => {
                                    (a.as_f64().unwrap_or(x) + z.as_f64().unwrap_or(x)) / 2.0
                                }
                                _ => x + step,
                            }
                        } else {
                            x
                        };
                        Number::from_f64(x).map_or(Value::Null, Value::Number)
                    }
                }
            };
            match (&l.min, &l.max) {
                (Some(a), _) => pick(a, l.min_exclusive, 1.0),
                (None, Some(z)) => pick(z, l.max_exclusive, -1.0),
                (None, None) => start.clone(),
            }
        }
        Value::String(_) => {
            let class = of(LimitKind::Pattern)
                .and_then(|l| l.pattern.as_deref())
                .and_then(|p| CharClass::parse_pattern(p).ok());
            let c = ['a', 'A', '0', '1', '_', '-', '.']
                .into_iter()
                .find(|c| class.as_ref().is_none_or(|k| k.contains(*c)))
                .unwrap_or('a');
            let n = of(LimitKind::Length)
                .and_then(|l| l.min.as_ref())
                .and_then(Number::as_u64)
                .unwrap_or(1)
                .max(1);
            Value::String(std::iter::repeat_n(c, n as usize).collect())
        }
        _ => start.clone(),
    }
}

// ---------------------------------------------------------------------------
// Comparing limits.

/// How a member's limits changed between two versions of a spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// The same values are accepted (the sentences may differ).
    Unchanged,
    /// Some value accepted before is refused now, and none newly accepted.
    Narrower,
    /// Every value accepted before still is, and some more.
    Wider,
    /// Some value accepted before is refused now, and some newly accepted.
    Different,
}

/// Compares a member's `old` and `new` limits by the values they accept.
pub fn compare(old: &[Limit], new: &[Limit]) -> Comparison {
    let refuses_some_old = new.iter().any(|n| !implied_by(old, n));
    let accepts_more = old.iter().any(|o| !implied_by(new, o));
    match (refuses_some_old, accepts_more) {
        (false, false) => Comparison::Unchanged,
        (true, false) => Comparison::Narrower,
        (false, true) => Comparison::Wider,
        (true, true) => Comparison::Different,
    }
}

/// Whether every value that satisfies all of `set` satisfies `l` (judged
/// limit by limit, so it may say no where a combination would imply `l`: a
/// change is then reported as narrower rather than missed).
fn implied_by(set: &[Limit], l: &Limit) -> bool {
    set.iter().any(|s| implies(s, l))
}

fn implies(s: &Limit, l: &Limit) -> bool {
    match (s.kind, l.kind) {
        (LimitKind::Range, LimitKind::Range) | (LimitKind::Count, LimitKind::Count) => {
            lower_within(lower(s), lower(l)) && upper_within(upper(s), upper(l))
        }
        (LimitKind::Length, LimitKind::Length) => match (s.length_unit(), l.length_unit()) {
            (a, b) if a == b => {
                lower_within(lower(s), lower(l)) && upper_within(upper(s), upper(l))
            }
            // At most N bytes is at most N characters.
            (LengthUnit::Bytes, LengthUnit::Chars) => {
                l.min.as_ref().and_then(Number::as_u64).unwrap_or(0) == 0
                    && upper_within(upper(s), upper(l))
            }
            _ => false,
        },
        (LimitKind::Values, LimitKind::Range) => s
            .values
            .iter()
            .all(|v| Num::of_value(v).is_some_and(|n| in_bounds(&n, lower(l), upper(l)))),
        (LimitKind::Values, LimitKind::Values) => s
            .values
            .iter()
            .all(|v| l.values.iter().any(|w| same_value(v, w))),
        (LimitKind::Pattern, LimitKind::Pattern) => {
            match (
                s.pattern.as_deref().map(CharClass::parse_pattern),
                l.pattern.as_deref().map(CharClass::parse_pattern),
            ) {
                (Some(Ok(a)), Some(Ok(b))) => a.is_subset(&b) && (a.nonempty || !b.nonempty),
                _ => false,
            }
        }
        _ => false,
    }
}

/// The looser of two limits on the same member (sources of both, where they
/// state what is kept), or `None` when they constrain different things and
/// both apply. Bounds: the looser of each; one side without a bound leaves
/// it open. Patterns: either character. Values: either value. A range and a
/// set of numbers: the range, stretched to take every value.
pub fn loosen(a: &Limit, b: &Limit) -> Option<Limit> {
    use LimitKind::*;
    let mut out = match (a.kind, b.kind) {
        (Range, Range) | (Count, Count) | (Length, Length) => {
            let mut out = a.clone();
            let (lo, lo_x) = looser(lower(a), lower(b), Ordering::Greater);
            let (hi, hi_x) = looser(upper(a), upper(b), Ordering::Less);
            out.min = lo.map(Num::to_number);
            out.min_exclusive = lo_x;
            out.max = hi.map(Num::to_number);
            out.max_exclusive = hi_x;
            if a.kind == Length {
                out.unit = Some(
                    if a.length_unit() == LengthUnit::Bytes && b.length_unit() == LengthUnit::Bytes
                    {
                        LengthUnit::Bytes
                    } else {
                        LengthUnit::Chars
                    },
                );
            }
            out
        }
        (Pattern, Pattern) => {
            let ca = CharClass::parse_pattern(a.pattern.as_deref()?).ok()?;
            let cb = CharClass::parse_pattern(b.pattern.as_deref()?).ok()?;
            let mut u = ca.union(&cb);
            u.nonempty = ca.nonempty && cb.nonempty;
            let mut out = a.clone();
            out.pattern = Some(u.to_pattern());
            out
        }
        (Values, Values) => {
            let mut out = a.clone();
            for v in &b.values {
                if !out.values.iter().any(|w| same_value(v, w)) {
                    out.values.push(v.clone());
                }
            }
            out
        }
        (Range, Values) | (Values, Range) => {
            let (r, vs) = if a.kind == Range { (a, b) } else { (b, a) };
            let nums: Vec<Num> = vs.values.iter().filter_map(Num::of_value).collect();
            if nums.len() != vs.values.len() {
                return None;
            }
            let mut lo = lower(r);
            let mut hi = upper(r);
            for n in nums {
                if !in_bounds(&n, lo, None) {
                    lo = Some((n, false));
                }
                if !in_bounds(&n, None, hi) {
                    hi = Some((n, false));
                }
            }
            let mut out = r.clone();
            out.min = lo.map(|(n, _)| n.to_number());
            out.min_exclusive = lo.is_some_and(|(_, x)| x);
            out.max = hi.map(|(n, _)| n.to_number());
            out.max_exclusive = hi.is_some_and(|(_, x)| x);
            out
        }
        _ => return None,
    };
    out.sources = Vec::new();
    // The sentences that state what is kept: a side that states it all, or
    // else the sides that state one of its bounds.
    let (a_all, b_all) = (
        a.kind == out.kind && a.same_constraint(&out),
        b.kind == out.kind && b.same_constraint(&out),
    );
    let (a_kept, b_kept) = if a_all || b_all {
        (a_all, b_all)
    } else {
        (contributes(a, &out), contributes(b, &out))
    };
    for (side, kept) in [(a, a_kept || !b_kept), (b, b_kept || !a_kept)] {
        if kept {
            for s in &side.sources {
                add_source(&mut out.sources, s.clone());
            }
        }
    }
    Some(out)
}

/// Whether `side` states (part of) what `merged` keeps: the same constraint,
/// or one of its bounds.
fn contributes(side: &Limit, merged: &Limit) -> bool {
    if side.kind == merged.kind && side.same_constraint(merged) {
        return true;
    }
    let is_bound = |v: &Value| {
        [&merged.min, &merged.max]
            .into_iter()
            .flatten()
            .any(|b| same_value(v, &Value::Number(b.clone())))
    };
    match (side.kind, merged.kind) {
        (LimitKind::Range | LimitKind::Length | LimitKind::Count, k) if k == side.kind => {
            (side.min.is_some()
                && side.min == merged.min
                && side.min_exclusive == merged.min_exclusive)
                || (side.max.is_some()
                    && side.max == merged.max
                    && side.max_exclusive == merged.max_exclusive)
        }
        (LimitKind::Values, LimitKind::Range) => side.values.iter().any(is_bound),
        _ => false,
    }
}

/// The looser of two bounds on one side (`inward` as for [`within`]); no
/// bound when either has none.
fn looser(a: Bound, b: Bound, inward: Ordering) -> (Option<Num>, bool) {
    match (a, b) {
        (Some(x), Some(y)) => {
            let pick = if within(Some(x), Some(y), inward) {
                y
            } else {
                x
            };
            (Some(pick.0), pick.1)
        }
        _ => (None, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lim(v: Value) -> Limit {
        let mut v = v;
        v["sources"] = json!([{"text": "documented", "language": "en"}]);
        serde_json::from_value(v).unwrap()
    }

    fn int(list: bool) -> Target {
        Target {
            list,
            value: ValueType::Unsigned,
            is_enum: false,
        }
    }

    fn string(list: bool) -> Target {
        Target {
            list,
            value: ValueType::String,
            is_enum: false,
        }
    }

    #[test]
    fn the_spec_form_round_trips_and_refuses_unknown_fields() {
        let text = r#"{"kind":"range","min":1,"max":60,"sources":[{"text":"取值范围[1,60]","language":"zh","editions":["mainland"]}]}"#;
        let l: Limit = serde_json::from_str(text).unwrap();
        assert_eq!(l.describe(), "1 to 60");
        assert_eq!(serde_json::to_string(&l).unwrap(), text);
        let e = serde_json::from_str::<Limit>(r#"{"kind":"range","minimum":1,"sources":[]}"#)
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `minimum`"), "{e}");
    }

    #[test]
    fn descriptions_read_as_docs_say_them() {
        assert_eq!(
            lim(json!({"kind": "range", "min": 0, "min_exclusive": true, "max": 10})).describe(),
            "more than 0 and at most 10"
        );
        assert_eq!(
            lim(json!({"kind": "range", "max": 20})).describe(),
            "at most 20"
        );
        assert_eq!(
            lim(json!({"kind": "range", "min": -12, "max": 12})).describe(),
            "-12 to 12"
        );
        assert_eq!(
            lim(json!({"kind": "length", "max": 64, "unit": "bytes"})).describe(),
            "at most 64 bytes"
        );
        assert_eq!(
            lim(json!({"kind": "length", "min": 32, "max": 32})).describe(),
            "exactly 32 characters"
        );
        assert_eq!(
            lim(json!({"kind": "count", "max": 1})).describe(),
            "at most 1 item"
        );
        assert_eq!(
            lim(json!({"kind": "values", "values": [48000, 44100]})).describe(),
            "one of 48000, 44100"
        );
        assert_eq!(
            lim(json!({"kind": "pattern", "pattern": "^[a-zA-Z0-9_-]*$"})).describe(),
            "only [0-9A-Z_a-z-]"
        );
    }

    #[test]
    fn problems_name_the_field() {
        let p = |v: Value, t: Target| -> Vec<String> {
            let l: Limit = serde_json::from_value(v).unwrap();
            problems(&[l], t)
                .into_iter()
                .map(|(a, b)| format!("{a}: {b}"))
                .collect()
        };
        let src = json!([{"text": "x", "language": "en"}]);
        assert_eq!(
            p(
                json!({"kind": "range", "min": 5, "max": 1, "sources": src}),
                int(false)
            ),
            ["[0].min: `min` 5 is greater than `max` 1"]
        );
        assert_eq!(
            p(json!({"kind": "range", "min": 1, "sources": src}), string(false)),
            ["[0].kind: a `range` limit needs a numeric member (or a list of numbers); the member is a string"]
        );
        assert_eq!(
            p(
                json!({"kind": "count", "max": 1, "sources": src}),
                string(false)
            ),
            ["[0].kind: a `count` limit needs a list member"]
        );
        assert_eq!(
            p(
                json!({"kind": "length", "max": 1.5, "sources": src}),
                string(false)
            ),
            ["[0].max: 1.5 is not a whole number of at least 0"]
        );
        assert_eq!(
            p(json!({"kind": "pattern", "pattern": "^\\d+$", "sources": src}), string(false)),
            ["[0].pattern: `^\\d+$` is not a supported pattern: write a character class, `^[...]*$` or `^[...]+$` (single characters, ranges such as `a-z`, `\\` escapes)"]
        );
        assert_eq!(
            p(
                json!({"kind": "range", "max": 1, "sources": [{"text": " ", "language": "en"}]}),
                int(false)
            ),
            ["[0].sources[0].text: the sentence is empty"]
        );
        assert_eq!(
            p(
                json!({"kind": "range", "max": 1, "sources": []}),
                int(false)
            ),
            ["[0].sources: a limit needs the sentence it comes from"]
        );
        assert_eq!(
            p(
                json!({"kind": "values", "values": ["a", 1], "sources": src}),
                string(false)
            ),
            ["[0].values[1]: 1 is not a string"]
        );
        assert_eq!(
            p(
                json!({"kind": "range", "max": 1, "pattern": "^[a]*$", "sources": src}),
                int(false)
            ),
            ["[0].pattern: `pattern` is not a field of a `range` limit"]
        );
        assert!(p(
            json!({"kind": "count", "max": 10, "sources": src}),
            string(true)
        )
        .is_empty());
        assert!(p(
            json!({"kind": "length", "max": 10, "sources": src}),
            string(true)
        )
        .is_empty());
    }

    #[test]
    fn checks_name_path_value_limit_and_sentence() {
        let range = lim(json!({"kind": "range", "min": 1, "max": 60}));
        let v = check(
            std::slice::from_ref(&range),
            &json!(2000),
            "EncodeParams.VideoFramerate",
            false,
        );
        assert_eq!(
            v[0].to_string(),
            "EncodeParams.VideoFramerate: 2000 is outside the documented range: 1 to 60 (\"documented\")"
        );
        assert!(check(std::slice::from_ref(&range), &json!(60), "x", false).is_empty());
        assert!(check(std::slice::from_ref(&range), &json!(1.0), "x", false).is_empty());
        assert_eq!(
            check(std::slice::from_ref(&range), &json!(0), "x", true)[0].found,
            "the value"
        );
        // A number sent as a string (`string_or_int`) is checked as a number;
        // other wrong JSON types are the type check's business.
        assert_eq!(
            check(std::slice::from_ref(&range), &json!("2000"), "x", false).len(),
            1
        );
        assert!(check(std::slice::from_ref(&range), &json!("30"), "x", false).is_empty());
        assert!(check(&[range], &json!("many"), "x", false).is_empty());

        let excl = lim(json!({"kind": "range", "min": 0, "min_exclusive": true}));
        assert_eq!(
            check(std::slice::from_ref(&excl), &json!(0), "x", false).len(),
            1
        );
        assert!(check(&[excl], &json!(0.5), "x", false).is_empty());

        let count = lim(json!({"kind": "count", "max": 2}));
        let len = lim(json!({"kind": "length", "max": 3, "unit": "bytes"}));
        let v = check(
            &[count, len],
            &json!(["ab", "é", "abcd", "x"]),
            "UserIds",
            false,
        );
        let shown: Vec<String> = v
            .iter()
            .map(|v| format!("{}: {}", v.path, v.found))
            .collect();
        assert_eq!(shown, ["UserIds: 4 items", "UserIds[2]: 4 bytes"]);

        let chars = lim(json!({"kind": "length", "max": 2}));
        assert!(check(&[chars], &json!("语音"), "x", false).is_empty());

        let pat = lim(json!({"kind": "pattern", "pattern": "^[a-zA-Z0-9_-]*$"}));
        let v = check(
            std::slice::from_ref(&pat),
            &json!("rec_1-ok"),
            "RecordKey",
            false,
        );
        assert!(v.is_empty());
        let v = check(
            std::slice::from_ref(&pat),
            &json!("rec/1"),
            "RecordKey",
            false,
        );
        assert_eq!(v[0].found, "'/' at character 4");
        assert_eq!(
            check(&[pat], &json!("rec/1"), "k", true)[0].found,
            "a character at position 4"
        );

        let values = lim(json!({"kind": "values", "values": [0.5, 1, "x"]}));
        assert!(check(std::slice::from_ref(&values), &json!(1.0), "x", false).is_empty());
        assert!(check(std::slice::from_ref(&values), &json!("x"), "x", false).is_empty());
        assert_eq!(
            check(&[values], &json!(2), "Tempo", false)[0].limit,
            "one of 0.5, 1, x"
        );
    }

    #[test]
    fn comparisons_follow_the_accepted_values() {
        let r = |min: i64, max: i64| lim(json!({"kind": "range", "min": min, "max": max}));
        assert_eq!(compare(&[r(1, 60)], &[r(1, 60)]), Comparison::Unchanged);
        assert_eq!(compare(&[r(1, 60)], &[r(1, 30)]), Comparison::Narrower);
        assert_eq!(compare(&[r(1, 60)], &[r(0, 60)]), Comparison::Wider);
        assert_eq!(compare(&[r(1, 60)], &[r(2, 70)]), Comparison::Different);
        assert_eq!(compare(&[], &[r(1, 60)]), Comparison::Narrower);
        assert_eq!(compare(&[r(1, 60)], &[]), Comparison::Wider);
        let bytes = lim(json!({"kind": "length", "max": 64, "unit": "bytes"}));
        let chars = lim(json!({"kind": "length", "max": 64}));
        assert_eq!(
            compare(std::slice::from_ref(&bytes), std::slice::from_ref(&chars)),
            Comparison::Wider
        );
        assert_eq!(compare(&[chars], &[bytes]), Comparison::Narrower);
        let p = |s: &str| lim(json!({"kind": "pattern", "pattern": s}));
        assert_eq!(
            compare(&[p("^[a-z]*$")], &[p("^[a-zA-Z]*$")]),
            Comparison::Wider
        );
        let vals = lim(json!({"kind": "values", "values": [1, 2]}));
        assert_eq!(compare(&[vals], &[r(1, 2)]), Comparison::Wider);
    }

    #[test]
    fn the_looser_limit_wins() {
        let r = |v: Value| lim(v);
        let a = r(json!({"kind": "range", "min": 0, "max": 3}));
        let b = r(json!({"kind": "range", "min": 0, "max": 1}));
        let l = loosen(&a, &b).unwrap();
        assert_eq!(l.describe(), "0 to 3");
        let gt = r(json!({"kind": "range", "min": 0, "min_exclusive": true}));
        let ge = r(json!({"kind": "range", "min": 0}));
        assert_eq!(loosen(&gt, &ge).unwrap().describe(), "at least 0");
        let len = r(json!({"kind": "length", "min": 1, "max": 255}));
        let max = r(json!({"kind": "length", "max": 2000}));
        assert_eq!(
            loosen(&len, &max).unwrap().describe(),
            "at most 2000 characters"
        );
        let vals = r(json!({"kind": "values", "values": [0, 1, 2]}));
        assert_eq!(loosen(&vals, &b).unwrap().describe(), "0 to 2");
        let p1 = r(json!({"kind": "pattern", "pattern": "^[a-z]*$"}));
        let p2 = r(json!({"kind": "pattern", "pattern": "^[A-Z]*$"}));
        assert_eq!(
            loosen(&p1, &p2).unwrap().pattern.as_deref(),
            Some("^[A-Za-z]*$")
        );
        assert!(loosen(&len, &b).is_none());
    }

    #[test]
    fn classes_parse_print_and_match() {
        let c = CharClass::parse_pattern("^[a-zA-Z0-9_-]*$").unwrap();
        assert_eq!(c.to_pattern(), "^[0-9A-Z_a-z-]*$");
        assert!(c.contains('-') && c.contains('Q') && !c.contains('/'));
        let url = CharClass::parse_pattern(r"^[0-9a-zA-Z\-._~:/?#\[\]@!&()*+,%=;|]*$").unwrap();
        let again = CharClass::parse_pattern(&url.to_pattern()).unwrap();
        assert_eq!(url, again, "{}", url.to_pattern());
        assert!(url.contains('[') && url.contains(']') && url.contains('-'));
        assert!(CharClass::parse_pattern("^[z-a]*$").is_err());
        assert!(CharClass::parse_pattern("^[]*$").is_err());
        assert!(CharClass::parse_pattern("^[^a]*$").is_err());
        assert!(CharClass::parse_pattern("^[a[]*$").is_err());
        let plus = CharClass::parse_pattern("^[a]+$").unwrap();
        assert!(plus.nonempty);
    }
}
