//! Documented limits, read from the descriptions of Tencent's definitions.
//!
//! Tencent's machine-readable definitions carry no ranges, lengths or
//! counts; the descriptions state them in prose, in English (the
//! international edition: `Value range: [1, 60]`, `up to 20`, `no more than
//! 64 characters`) and in Chinese (the mainland edition: `取值范围[1,60]`,
//! `最多10个`, `不超过64个字符`). [`extract`] turns one description into
//! [`Limit`]s and lists the sentences that read like a limit but were not
//! understood, with why; [`extract_spec`] does it for every member of an
//! imported spec; [`merge_member_limits`] merges the two editions' limits of
//! one member: where they disagree the looser wins ([`crate::limits::loosen`])
//! and the disagreement is reported, since a check must never refuse what the
//! service accepts.
//!
//! The extractor is deliberately narrow: a number becomes a limit only next
//! to words that say what it bounds ("range", "at most", "取值范围", "不超过"),
//! in a clause that is not a condition ("if ...", "...时"), not about another
//! member, a sum, a file's size or a time window. Everything else that reads
//! like a limit (a trigger word and a digit in one clause) is reported, never
//! dropped silently. Its table test (`codegen/tests/limits.rs`) is the
//! list of real sentences of both editions and what each gives.

use std::fmt;

use serde_json::{Number, Value};

use crate::limits::{self, CharClass, LengthUnit, Limit, LimitKind, Target, ValueType};
use crate::spec::{Edition, ShapeKind, Spec};

/// A sentence that reads like a limit but gave none (or gave less than it says).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotUnderstood {
    /// The sentence, as the description has it.
    pub sentence: String,
    /// Why it gave no limit.
    pub reason: String,
}

/// What one description gives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extraction {
    /// The limits (at most one per kind; sources without editions).
    pub limits: Vec<Limit>,
    /// Sentences that read like a limit and were not understood.
    pub not_understood: Vec<NotUnderstood>,
    /// Two sentences of the same text stating different limits of one kind
    /// (the looser is kept): `(kept, one, other)`.
    pub conflicts: Vec<(Limit, Limit, Limit)>,
}

/// A not-understood sentence of a member of a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberSentence {
    /// `Shape.Member`.
    pub member: String,
    /// The edition whose description it is (`None`: an import of one definition).
    pub edition: Option<Edition>,
    /// The sentence and why.
    pub sentence: NotUnderstood,
}

/// Where the limits of two texts (two editions, or two sentences of one text)
/// disagree, and which one is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// `Shape.Member`.
    pub member: String,
    /// One side: the edition (if known) and its limit.
    pub one: (Option<Edition>, Limit),
    /// The other side.
    pub other: (Option<Edition>, Limit),
    /// The looser, kept.
    pub kept: Limit,
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |(e, l): &(Option<Edition>, Limit)| {
            let who = e.map(|e| format!("{e} ")).unwrap_or_default();
            format!("{who}{} ({:?})", l.describe(), l.sentence().unwrap_or(""))
        };
        let kept = if self.kept.is_unbounded() {
            "no limit".to_owned()
        } else {
            self.kept.describe()
        };
        write!(
            f,
            "{}: {}: {} vs {}: kept {kept}",
            self.member,
            self.kept.kind,
            side(&self.one),
            side(&self.other),
        )
    }
}

/// What the import made of the descriptions' limits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LimitReport {
    /// Sentences that read like a limit but were not understood.
    pub not_understood: Vec<MemberSentence>,
    /// Disagreements between the editions or within one text; the looser won.
    pub disagreements: Vec<Disagreement>,
    /// Members with a limit of each kind, by the edition whose text states it
    /// (`None`: an import of one definition): `(kind, edition, members)`.
    pub counts: Vec<(LimitKind, Option<Edition>, usize)>,
    /// Members with at least one limit.
    pub members: usize,
    /// Limits widened to admit a value of Tencent's own documented examples
    /// (the member's example, or an action's example request): a check must
    /// never refuse what the documentation shows being sent.
    pub widened: Vec<String>,
}

impl LimitReport {
    /// Recounts [`LimitReport::counts`] and [`LimitReport::members`] from `spec`.
    pub fn count(&mut self, spec: &Spec) {
        let mut counts: Vec<(LimitKind, Option<Edition>, usize)> = Vec::new();
        let mut members = 0;
        for (_, shape) in spec.shapes.iter() {
            for (_, m) in shape.members.iter().flat_map(|ms| ms.iter()) {
                if !m.limits.is_empty() {
                    members += 1;
                }
                for l in &m.limits {
                    let mut editions: Vec<Option<Edition>> = Vec::new();
                    for s in &l.sources {
                        if s.editions.is_empty() {
                            editions.push(None);
                        }
                        editions.extend(s.editions.iter().copied().map(Some));
                    }
                    editions.sort();
                    editions.dedup();
                    for e in editions {
                        match counts.iter_mut().find(|(k, x, _)| *k == l.kind && *x == e) {
                            Some(c) => c.2 += 1,
                            None => counts.push((l.kind, e, 1)),
                        }
                    }
                }
            }
        }
        counts.sort();
        self.counts = counts;
        self.members = members;
    }
}

impl fmt::Display for LimitReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(k, e, n)| match e {
                Some(e) => format!("{k} {n} ({e})"),
                None => format!("{k} {n}"),
            })
            .collect();
        writeln!(
            f,
            "  limits from the descriptions: {} members ({})",
            self.members,
            if counts.is_empty() {
                "none".to_owned()
            } else {
                counts.join(", ")
            }
        )?;
        for d in &self.disagreements {
            writeln!(f, "  limits disagree, the looser wins: {d}")?;
        }
        for w in &self.widened {
            writeln!(f, "  limit widened to admit a documented example: {w}")?;
        }
        for n in &self.not_understood {
            let e = n.edition.map(|e| format!(" ({e})")).unwrap_or_default();
            writeln!(
                f,
                "  limit not understood: {}{e}: {}: {:?}",
                n.member, n.sentence.reason, n.sentence.sentence
            )?;
        }
        Ok(())
    }
}

/// Widens every limit that a documented example contradicts (a numeric
/// member's `example`, or a value in an action's example request) just enough to admit
/// the example: the documentation shows the value being sent, so the looser
/// reading wins (as between editions). Returns one line per widened limit.
pub fn admit_examples(spec: &mut Spec) -> Vec<String> {
    let mut found: Vec<(String, String, Value)> = Vec::new();
    for (shape_name, shape) in spec.shapes.iter() {
        for (wire, m) in shape.members.iter().flat_map(|ms| ms.iter()) {
            if m.limits.is_empty() || m.ty == "list" {
                continue;
            }
            let prim = crate::spec::Prim::parse(m.target()).or_else(|| {
                spec.shapes
                    .get(m.target())
                    .and_then(|s| s.base.as_deref())
                    .and_then(crate::spec::Prim::parse)
            });
            // A member's own example only for numbers: a string member's
            // example column is often prose (two URLs, a placeholder).
            if let (Some(p), Some(text)) = (prim.filter(|p| !p.is_string()), m.example.as_deref()) {
                if let Ok(v) = p.from_text(text) {
                    found.push((shape_name.to_owned(), wire.to_owned(), v));
                }
            }
        }
    }
    for (_, action) in spec.actions.iter() {
        for ex in &action.examples {
            if let Ok(v) = serde_json::from_str::<Value>(&ex.request) {
                example_values(spec, &action.input, &v, 0, &mut found);
            }
        }
    }
    let mut out = Vec::new();
    for (shape_name, wire, v) in found {
        let Some(m) = spec
            .shapes
            .0
            .iter_mut()
            .find(|(n, _)| *n == shape_name)
            .and_then(|(_, s)| s.members.as_mut())
            .and_then(|ms| ms.0.iter_mut().find(|(w, _)| *w == wire))
            .map(|(_, m)| m)
        else {
            continue;
        };
        let list = m.ty == "list";
        for l in m.limits.iter_mut() {
            let before = l.describe();
            let items: Vec<&Value> = match (&v, list && l.kind != LimitKind::Count) {
                (Value::Array(a), true) => a.iter().collect(),
                _ => vec![&v],
            };
            for item in items {
                widen(l, item);
            }
            let after = l.describe();
            if before != after {
                out.push(format!(
                    "{shape_name}.{wire}: {} {before} → {after} (example {v})",
                    l.kind
                ));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Every value of a member with limits in `v` (of shape `shape`).
fn example_values(
    spec: &Spec,
    shape: &str,
    v: &Value,
    depth: usize,
    out: &mut Vec<(String, String, Value)>,
) {
    let (Some(members), Some(obj)) = (
        spec.shapes.get(shape).and_then(|s| s.members.as_ref()),
        v.as_object(),
    ) else {
        return;
    };
    if depth > 16 {
        return;
    }
    for (wire, value) in obj {
        let Some(m) = members.get(wire) else { continue };
        if !m.limits.is_empty() && !value.is_null() {
            out.push((shape.to_owned(), wire.to_owned(), value.clone()));
        }
        match value {
            Value::Array(items) => {
                for item in items {
                    example_values(spec, m.target(), item, depth + 1, out);
                }
            }
            other => example_values(spec, m.target(), other, depth + 1, out),
        }
    }
}

/// Widens `l` just enough to admit `v` (a value of the member, or one item).
fn widen(l: &mut Limit, v: &Value) {
    if crate::limits::check(std::slice::from_ref(l), v, "", false).is_empty() {
        return;
    }
    let number = |v: &Value| match v {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => s.trim().parse::<serde_json::Number>().ok(),
        _ => None,
    };
    let below = |n: &serde_json::Number, b: &Option<serde_json::Number>| {
        b.as_ref()
            .is_some_and(|b| n.as_f64().unwrap_or(0.0) <= b.as_f64().unwrap_or(0.0))
    };
    let above = |n: &serde_json::Number, b: &Option<serde_json::Number>| {
        b.as_ref()
            .is_some_and(|b| n.as_f64().unwrap_or(0.0) >= b.as_f64().unwrap_or(0.0))
    };
    let stretch = |n: serde_json::Number, l: &mut Limit| {
        if below(&n, &l.min) {
            l.min = Some(n.clone());
            l.min_exclusive = false;
        }
        if above(&n, &l.max) {
            l.max = Some(n);
            l.max_exclusive = false;
        }
    };
    match (l.kind, v) {
        (LimitKind::Range, v) => {
            if let Some(n) = number(v) {
                stretch(n, l);
            }
        }
        (LimitKind::Length, Value::String(s)) => {
            let n = serde_json::Number::from(l.length_unit().length(s));
            stretch(n, l);
        }
        (LimitKind::Count, Value::Array(a)) => stretch(serde_json::Number::from(a.len()), l),
        (LimitKind::Pattern, Value::String(s)) => {
            if let Some(Ok(class)) = l.pattern.as_deref().map(CharClass::parse_pattern) {
                let mut wider = class.union(&CharClass::from_ranges(s.chars().map(|c| (c, c))));
                wider.nonempty = class.nonempty && !s.is_empty();
                l.pattern = Some(wider.to_pattern());
            }
        }
        (LimitKind::Values, Value::Number(_) | Value::String(_)) => l.values.push(v.clone()),
        _ => {}
    }
}

/// Extracts the limits of every structure member of `spec` from its
/// description (replacing any), and reports what was not understood.
pub fn extract_spec(spec: &mut Spec) -> LimitReport {
    let mut report = LimitReport::default();
    for (shape_name, shape) in spec.shapes.0.iter_mut() {
        if shape.kind != ShapeKind::Structure {
            continue;
        }
        let Some(members) = shape.members.as_mut() else {
            continue;
        };
        let names: Vec<String> = members.iter().map(|(n, _)| n.to_owned()).collect();
        for (wire, m) in members.0.iter_mut() {
            let Some(text) = m.description.as_deref() else {
                m.limits.clear();
                continue;
            };
            let siblings: Vec<&str> = names
                .iter()
                .map(String::as_str)
                .filter(|n| n != wire)
                .collect();
            let target = Target::of_spec_type(&m.ty, m.items.as_deref());
            let x = extract(text, target, wire, &siblings);
            let path = format!("{shape_name}.{wire}");
            for (kept, one, other) in x.conflicts {
                report.disagreements.push(Disagreement {
                    member: path.clone(),
                    one: (None, one),
                    other: (None, other),
                    kept,
                });
            }
            for n in x.not_understood {
                let entry = MemberSentence {
                    member: path.clone(),
                    edition: None,
                    sentence: n,
                };
                if !report.not_understood.contains(&entry) {
                    report.not_understood.push(entry);
                }
            }
            m.limits = x.limits;
        }
    }
    report.count(spec);
    report
}

/// Marks the sources of `limits` as `edition`'s (those without editions).
pub fn tag_edition(limits: &mut [Limit], edition: Edition) {
    for l in limits {
        for s in &mut l.sources {
            if s.editions.is_empty() {
                s.editions = vec![edition];
            }
        }
    }
}

/// The limits of one member published by both editions: the international
/// edition's `intl` and the mainland's `cn` (sources tagged with their
/// editions). A kind only one states is kept; the same limit from both is
/// one limit with both sentences; different limits of one kind give the
/// looser, and a [`Disagreement`].
///
/// `integer`: the member holds integers, so a range and the list of every
/// integer in it (`[1, 2]` and `1, 2`) state the same limit.
pub fn merge_member_limits(
    member: &str,
    integer: bool,
    mut intl: Vec<Limit>,
    mut cn: Vec<Limit>,
) -> (Vec<Limit>, Vec<Disagreement>) {
    tag_edition(&mut intl, Edition::International);
    tag_edition(&mut cn, Edition::Mainland);
    let mut out = intl;
    let mut disagreements = Vec::new();
    for b in cn {
        let partner = out
            .iter()
            .position(|a| a.kind == b.kind)
            .or_else(|| out.iter().position(|a| limits::loosen(a, &b).is_some()));
        let Some(i) = partner else {
            out.push(b);
            continue;
        };
        let a = out[i].clone();
        match limits::loosen(&a, &b) {
            Some(kept) => {
                if !(a.same_constraint(&b) || integer && same_integers(&a, &b)) {
                    disagreements.push(Disagreement {
                        member: member.to_owned(),
                        one: (Some(Edition::International), a),
                        other: (Some(Edition::Mainland), b),
                        kept: kept.clone(),
                    });
                }
                out[i] = kept;
            }
            None => out.push(b),
        }
    }
    out.retain(|l| !l.is_unbounded());
    out.sort_by_key(|l| l.kind);
    (out, disagreements)
}

/// A range and a list of values that allow the same integers.
fn same_integers(a: &Limit, b: &Limit) -> bool {
    let (r, v) = match (a.kind, b.kind) {
        (LimitKind::Range, LimitKind::Values) => (a, b),
        (LimitKind::Values, LimitKind::Range) => (b, a),
        _ => return false,
    };
    let (Some(lo), Some(hi)) = (
        r.min.as_ref().and_then(Number::as_i64),
        r.max.as_ref().and_then(Number::as_i64),
    ) else {
        return false;
    };
    let lo = lo + i64::from(r.min_exclusive);
    let hi = hi - i64::from(r.max_exclusive);
    let mut ints: Vec<i64> = v.values.iter().filter_map(Value::as_i64).collect();
    ints.sort_unstable();
    ints.dedup();
    // Every integer of the range, once: as many as the range holds, in a row.
    ints.len() == v.values.len()
        && hi.checked_sub(lo).and_then(|d| usize::try_from(d).ok())
            == Some(ints.len().wrapping_sub(1))
        && ints.first() == Some(&lo)
        && ints.windows(2).all(|w| w[1] == w[0] + 1)
}

// ---------------------------------------------------------------------------
// Sentences and tokens.

/// Splits a description into sentences: at line ends, `。`, `；`, `;` and a
/// `.` followed by a space, never inside brackets or a quoted character.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut cur = String::new();
        let mut depth: i32 = 0;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            // A quoted single character ('.', ';') is never a boundary.
            if (c == '\'' || c == '"') && i + 2 < chars.len() && chars[i + 2] == c {
                cur.extend(&chars[i..i + 3]);
                i += 3;
                continue;
            }
            cur.push(c);
            match c {
                '[' | '【' | '(' | '（' => depth += 1,
                ']' | '】' | ')' | '）' => depth = (depth - 1).max(0),
                _ => {}
            }
            let boundary = depth == 0
                && match c {
                    '。' | '；' | ';' => true,
                    '.' => chars.get(i + 1).is_none_or(|n| n.is_whitespace()),
                    _ => false,
                };
            if boundary {
                push_sentence(&mut out, &cur);
                cur.clear();
            }
            i += 1;
        }
        push_sentence(&mut out, &cur);
    }
    out
}

fn push_sentence(out: &mut Vec<String>, s: &str) {
    let t = s
        .trim()
        .trim_start_matches(['-', '*', '>'])
        .trim()
        .to_owned();
    if t.chars().any(|c| c.is_alphanumeric()) {
        out.push(t);
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A number and its text.
    Num(Number),
    /// An ASCII word (letters, digits, `_`), lowercased; `raw` keeps the case.
    Word(String),
    /// A run of CJK characters.
    Cjk(String),
    /// A quoted item: `'a-z'`, `"single"`, `“x”`.
    Quoted(String),
    /// Punctuation, full-width forms mapped to ASCII (`，` → `,`, `、` → `,`).
    P(char),
}

#[derive(Clone, Debug)]
struct T {
    tok: Tok,
    /// The word as written (for member names).
    raw: String,
    /// Bracket depth outside the token.
    depth: i32,
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

fn cn_numeral(c: char) -> Option<u64> {
    Some(match c {
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        _ => return None,
    })
}

fn punct(c: char) -> char {
    match c {
        '，' | '、' => ',',
        '：' => ':',
        '（' => '(',
        '）' => ')',
        '；' => ';',
        '～' | '〜' => '~',
        '–' | '—' | '－' => '-',
        '。' => '.',
        '“' | '”' => '"',
        '‘' | '’' => '\'',
        c => c,
    }
}

fn parse_number(text: &str) -> Option<Number> {
    if text.contains('.') {
        text.parse::<f64>().ok().and_then(Number::from_f64)
    } else if let Ok(i) = text.parse::<i64>() {
        Some(Number::from(i))
    } else {
        text.parse::<u64>().ok().map(Number::from)
    }
}

fn tokenize(s: &str) -> Vec<T> {
    let s = s.replace("**", "");
    let chars: Vec<char> = s.chars().filter(|c| *c != '`').collect();
    let mut out: Vec<T> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    let push =
        |out: &mut Vec<T>, tok: Tok, raw: String, depth: i32| out.push(T { tok, raw, depth });
    while i < chars.len() {
        let c = chars[i];
        let p = punct(c);
        // Quoted items: 'x', 'a-z', "word", “word”.
        if p == '\'' || p == '"' {
            let close = (i + 1..chars.len().min(i + 40)).find(|&j| punct(chars[j]) == p);
            if let Some(j) = close {
                let inner: String = chars[i + 1..j].iter().collect();
                let short = p == '\'' && inner.chars().count() <= 3;
                if short || (p == '"' && !inner.is_empty() && !inner.contains(' ')) {
                    push(&mut out, Tok::Quoted(inner.clone()), inner, depth);
                    i = j + 1;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        if c.is_ascii_digit()
            || (p == '-'
                && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())
                && !out.last().is_some_and(|t| {
                    matches!(t.tok, Tok::Num(_) | Tok::Word(_)) || t.tok == Tok::P(')')
                }))
        {
            let start = i;
            let mut j = if p == '-' { i + 1 } else { i };
            let mut text = String::new();
            if p == '-' {
                text.push('-');
            }
            while j < chars.len() && chars[j].is_ascii_digit() {
                text.push(chars[j]);
                j += 1;
            }
            // Thousands separators outside brackets: 86,400.
            while depth == 0
                && j + 3 < chars.len()
                && chars[j] == ','
                && chars[j + 1..j + 4].iter().all(|d| d.is_ascii_digit())
                && chars.get(j + 4).is_none_or(|d| !d.is_ascii_digit())
            {
                text.extend(&chars[j + 1..j + 4]);
                j += 4;
            }
            if j + 1 < chars.len() && chars[j] == '.' && chars[j + 1].is_ascii_digit() {
                text.push('.');
                j += 1;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    text.push(chars[j]);
                    j += 1;
                }
            }
            // An identifier that starts with digits (16k_zh_large, 1400xxxx_1).
            let mut k = j;
            while k < chars.len() && (chars[k].is_ascii_alphanumeric() || chars[k] == '_') {
                k += 1;
            }
            let tail: String = chars[j..k].iter().collect();
            if tail.contains('_') || tail.chars().filter(|c| c.is_ascii_alphabetic()).count() > 7 {
                let raw: String = chars[start..k].iter().collect();
                push(&mut out, Tok::Word(raw.to_ascii_lowercase()), raw, depth);
                i = k;
                continue;
            }
            if let Some(n) = parse_number(&text) {
                push(&mut out, Tok::Num(n), text, depth);
            }
            i = j;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let raw: String = chars[i..j].iter().collect();
            push(&mut out, Tok::Word(raw.to_ascii_lowercase()), raw, depth);
            i = j;
            continue;
        }
        if is_cjk(c) {
            // 一个, 两种: a numeral before a classifier is a number.
            if let (Some(n), Some(next)) = (cn_numeral(c), chars.get(i + 1)) {
                if "个种路条位项".contains(*next) {
                    push(&mut out, Tok::Num(Number::from(n)), c.to_string(), depth);
                    i += 1;
                    continue;
                }
            }
            let mut j = i + 1;
            while j < chars.len()
                && is_cjk(chars[j])
                && !(cn_numeral(chars[j]).is_some()
                    && chars
                        .get(j + 1)
                        .is_some_and(|n| "个种路条位项".contains(*n)))
            {
                j += 1;
            }
            let raw: String = chars[i..j].iter().collect();
            push(&mut out, Tok::Cjk(raw.clone()), raw, depth);
            i = j;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match p {
            '[' | '(' | '【' => {
                push(&mut out, Tok::P(p), c.to_string(), depth);
                depth += 1;
            }
            ']' | ')' | '】' => {
                depth = (depth - 1).max(0);
                push(&mut out, Tok::P(p), c.to_string(), depth);
            }
            _ => push(&mut out, Tok::P(p), c.to_string(), depth),
        }
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------
// Clauses and their words.

/// Clause boundaries at bracket depth 0: `,` `;` `:` `.` (and `，` `：`, mapped).
fn clauses(toks: &[T]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        if t.depth == 0 && matches!(t.tok, Tok::P(',' | ';' | '.' | '!' | '?')) {
            // `,` inside a list of values is no boundary: a number or word
            // on both sides after a values marker is handled by the list parser.
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, toks.len()));
    out.retain(|(a, b)| a < b);
    out
}

fn text_of(toks: &[T]) -> String {
    let mut s = String::new();
    for t in toks {
        match &t.tok {
            Tok::Word(w) => {
                s.push(' ');
                s.push_str(w);
            }
            Tok::Num(n) => {
                s.push(' ');
                s.push_str(&n.to_string());
            }
            Tok::Cjk(c) => s.push_str(c),
            Tok::Quoted(q) => {
                s.push_str(" '");
                s.push_str(q);
                s.push('\'');
            }
            Tok::P(c) => s.push(*c),
        }
    }
    s.push(' ');
    s
}

fn has_digit(toks: &[T]) -> bool {
    toks.iter().any(|t| matches!(t.tok, Tok::Num(_)))
}

/// Words that make a clause read like a limit (with a digit).
const TRIGGERS_EN: &[&str] = &[
    " range",
    " ranges ",
    " maximum",
    " minimum",
    " max ",
    " min ",
    " up to ",
    " at most ",
    " at least ",
    " no more than ",
    " not more than ",
    " more than ",
    " less than ",
    " greater than ",
    " larger than ",
    " smaller than ",
    " shorter than ",
    " longer than ",
    " exceed",
    " limit",
    " length",
    " characters",
    " bytes",
    " valid values",
    " only allow",
    " cannot be ",
    " between ",
    " options",
    " optional",
    " can choose",
];
const TRIGGERS_ZH: &[&str] = &[
    "范围",
    "取值",
    "区间",
    "不超过",
    "不能超过",
    "最大",
    "最小",
    "最多",
    "最少",
    "最长",
    "最短",
    "长度",
    "字节",
    "字符",
    "大于",
    "小于",
    "以内",
    "上限",
    "下限",
    "可取",
    "限制",
    "只允许",
    "可选",
    "超过",
];

fn triggered(text: &str) -> bool {
    TRIGGERS_EN.iter().any(|t| text.contains(t)) || TRIGGERS_ZH.iter().any(|t| text.contains(t))
}

/// A clause that states a condition ("if ...", "...时"), for what follows
/// in its sentence (`scope`) or itself only.
fn condition(clause: &str) -> Option<bool> {
    let c = clause.trim_start();
    let starts = [
        "if ",
        "when ",
        "unless ",
        "note: if",
        "note:if",
        "note: when",
        "如果",
        "若",
        "仅当",
    ];
    if starts.iter().any(|s| c.starts_with(s)) || (c.starts_with('当') && c.contains('时')) {
        return Some(true);
    }
    let squeezed: String = clause.chars().filter(|c| !c.is_whitespace()).collect();
    if squeezed.contains("为null") || clause.contains("is not null") || clause.contains("is null")
    {
        return Some(true);
    }
    let end = clause.trim_end();
    if end.ends_with('时') && !end.ends_with("小时") {
        return Some(true);
    }
    if [
        " if ",
        " when ",
        " unless ",
        " only effective",
        "如果",
        "若",
        "仅当",
        "时生效",
        "时有效",
    ]
    .iter()
    .any(|s| clause.contains(s))
    {
        return Some(false);
    }
    None
}

/// Why a clause's numbers are not about the member's value, if they are not.
fn foreign(clause: &[T], text: &str, member: &str, siblings: &[&str]) -> Option<String> {
    for t in clause {
        if let Tok::Word(_) = t.tok {
            if t.raw != member && siblings.iter().any(|s| *s == t.raw) {
                return Some(format!("about another member (`{}`)", t.raw));
            }
        }
    }
    const RELATION: &[&str] = &[
        " sum ",
        " multiplying",
        "之和",
        "相加",
        "乘积",
        " + ",
        "+height",
        "+width",
    ];
    if RELATION.iter().any(|w| text.contains(w)) || text.contains('*') || text.contains(" x ") {
        return Some("a relation with other values (a sum or product)".to_owned());
    }
    const OTHER: &[(&str, &str)] = &[
        (" retries", "about retries"),
        ("重试", "about retries"),
        (" download", "about downloading"),
        ("下载", "about downloading"),
        (" each term", "about each term of the text"),
        ("单个热词", "about each term of the text"),
        (" weight", "about term weights"),
        ("权重", "about term weights"),
        ("统计区间", "about the queried period"),
        ("单次查询", "about the queried period"),
        ("起止时间", "about the queried period"),
        (" apart", "about the queried period"),
        (" query time range", "about the queried period"),
        ("查询时间范围", "about the queried period"),
        (" each hot word", "about each term of the text"),
        (" per term", "about each term of the text"),
        ("间隔时间", "about the queried period"),
        (" period queried", "about the queried period"),
        (" last ", "about the queried period"),
        ("天内", "about the queried period"),
        ("查近", "about the queried period"),
        (" resolution", "about an image's resolution"),
        ("分辨率", "about an image's resolution"),
        ("文件大小", "about a file's size"),
        (" file size", "about a file's size"),
        ("单文件", "about a file's size"),
        (" single file limit", "about a file's size"),
        ("音频时长", "about the audio's duration"),
        (" seconds with", "about the audio's duration"),
        (" per line", "about a layout"),
        ("每行", "about a layout"),
        ("每列", "about a layout"),
        ("画面数量", "about a layout"),
        (" number of screens", "about a layout"),
        (" hot words", "about the terms of the text"),
        (" terms are supported", "about the terms of the text"),
        ("个热词", "about the terms of the text"),
        ("sdk版本", "about the SDK version"),
        (" sdk version", "about the SDK version"),
    ];
    OTHER
        .iter()
        .find(|(w, _)| text.contains(w))
        .map(|(_, why)| (*why).to_owned())
}

fn is_size_unit(t: Option<&T>) -> bool {
    match t.map(|t| &t.tok) {
        Some(Tok::Word(w)) => ["m", "mb", "g", "gb", "k", "kb", "kib", "mib"].contains(&w.as_str()),
        Some(Tok::Cjk(c)) => c.starts_with('兆'),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Findings.

#[derive(Clone, Debug)]
enum Found {
    /// Bounds: (min, exclusive), (max, exclusive).
    Bounds(Option<(Number, bool)>, Option<(Number, bool)>),
    /// A closed list of values.
    Values(Vec<Value>),
    /// Exactly this length.
    Exact(u64),
}

/// What a clause's numbers bound, from its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Subject {
    Value,
    Length(LengthUnit),
    Count,
    /// Not the value: a duration of the string's content (audio seconds).
    Duration,
}

fn subject(text: &str, target: Target) -> Subject {
    let bytes = text.contains(" byte") || text.contains("字节");
    let chars = bytes
        || text.contains(" character")
        || text.contains(" chars")
        || text.contains("字符")
        || text.contains("个字")
        || text.contains('位');
    let duration = [
        " seconds", " second ", " ms ", " minutes", " hours", "秒", "分钟", "小时",
    ]
    .iter()
    .any(|w| text.contains(w));
    if duration && matches!(target.value, ValueType::String) && !chars {
        return Subject::Duration;
    }
    let length =
        chars || text.contains(" length") || text.contains("长度") || text.contains(" long ");
    let unit = if bytes {
        LengthUnit::Bytes
    } else {
        LengthUnit::Chars
    };
    if target.list {
        if chars {
            Subject::Length(unit)
        } else {
            Subject::Count
        }
    } else if length {
        Subject::Length(unit)
    } else if [
        " items",
        " elements",
        " users",
        " languages",
        " videos",
        " watermarks",
        " rooms",
        " urls",
        " addresses",
        " streams",
        " screens",
        " frames",
    ]
    .iter()
    .any(|w| text.contains(w))
        || counted(text)
    {
        Subject::Count
    } else {
        Subject::Value
    }
}

/// A digit followed by a classifier: `10个`, `4种`, `16路`.
fn counted(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && "个种路条项".contains(w[1]))
}

/// Fillers between a keyword and its number.
fn is_filler(t: &T) -> bool {
    match &t.tok {
        Tok::P(':') | Tok::P('=') => true,
        Tok::Word(w) => [
            "is",
            "are",
            "of",
            "from",
            "the",
            "value",
            "values",
            "be",
            "to",
            "a",
            "an",
            "in",
            "valid",
            "should",
            "must",
            "set",
            "allowed",
            "within",
            "only",
            "can",
            "it",
            "parameter",
            "this",
            "that",
            "its",
            "which",
            "number",
            "length",
            "total",
        ]
        .contains(&w.as_str()),
        Tok::Cjk(c) => ["为", "是", "在", "值", "取值", "可设置", "设置"].contains(&c.as_str()),
        _ => false,
    }
}

/// English range keywords (the word before a range, fillers aside).
fn is_range_word(t: &T) -> bool {
    matches!(&t.tok, Tok::Word(w) if ["range", "ranges", "ranging", "values", "length", "range:"].contains(&w.as_str()))
}

/// A CJK run that ends with a range keyword (`取值范围为`, `可取`).
///
/// The run must be the keyword alone (`范围`, `取值范围为`): a longer run
/// names another subject (`支持的输出流音频采样率范围为`).
fn is_range_run(t: &T) -> bool {
    let Tok::Cjk(c) = &t.tok else { return false };
    let c = c.trim_end_matches(['为', '是', '在']);
    [
        "范围",
        "区间",
        "取值",
        "可取",
        "取值范围",
        "合法取值范围",
        "取值的范围",
        "取值区间",
        "长度",
        "长度范围",
    ]
    .contains(&c)
}

/// Whether tokens before `i` (within the clause from `start`), fillers
/// aside, end with a range keyword; or `i` opens the clause.
fn range_keyword_before(toks: &[T], start: usize, i: usize) -> bool {
    let mut j = i;
    while j > start {
        let t = &toks[j - 1];
        if is_range_word(t) || is_range_run(t) {
            return true;
        }
        if !is_filler(t) {
            return false;
        }
        j -= 1;
    }
    false
}

/// A values marker just before `i` (fillers aside).
fn values_marker_before(toks: &[T], start: usize, i: usize) -> bool {
    let mut j = i;
    let words: Vec<String> = toks[start..i]
        .iter()
        .filter_map(|t| match &t.tok {
            Tok::Word(w) => Some(w.clone()),
            _ => None,
        })
        .collect();
    let joined = words.join(" ");
    while j > start {
        let t = &toks[j - 1];
        match &t.tok {
            Tok::P(':') => {}
            Tok::Word(w) if ["values", "choose", "options", "optional"].contains(&w.as_str()) => {
                return joined.ends_with("valid values")
                    || joined.ends_with("can choose")
                    || joined.ends_with("options")
                    || joined.ends_with("optional")
            }
            Tok::Cjk(c) => {
                let c = c.trim_end_matches(['为', '是']);
                return [
                    "值",
                    "取值",
                    "可取",
                    "可选",
                    "可以选",
                    "取值范围",
                    "范围",
                    "合法取值范围",
                ]
                .contains(&c);
            }
            _ => return false,
        }
        j -= 1;
    }
    false
}

/// The list of values at `i`: `[a, b, c]` or `a, b or c` (each item maybe
/// followed by a parenthetical), to the end of the clause or sentence.
/// `Err(true)` for an enumeration with descriptions (an item followed by
/// `:`), `Err(false)` when it is not a clean list.
fn value_list(toks: &[T], i: usize, end: usize) -> Result<(Vec<Value>, usize), bool> {
    let mut j = i;
    let bracketed = matches!(toks.get(j).map(|t| &t.tok), Some(Tok::P('[')));
    if bracketed {
        j += 1;
    }
    let mut items = Vec::new();
    loop {
        let item = match toks.get(j).map(|t| &t.tok) {
            Some(Tok::Num(n)) => Value::Number(n.clone()),
            Some(Tok::Word(_)) => Value::String(toks[j].raw.clone()),
            Some(Tok::Quoted(q)) if !q.is_empty() => Value::String(q.clone()),
            _ => break,
        };
        items.push(item);
        j += 1;
        // A parenthetical after an item: `1 (mono)`, `Tencent (default)`.
        if matches!(toks.get(j).map(|t| &t.tok), Some(Tok::P('('))) {
            let close = (j + 1..toks.len())
                .find(|&k| toks[k].tok == Tok::P(')'))
                .ok_or(false)?;
            j = close + 1;
        }
        match toks.get(j).map(|t| &t.tok) {
            Some(Tok::P(':')) => return Err(true),
            Some(Tok::P(',' | '|')) => j += 1,
            Some(Tok::Word(w)) if w == "or" || w == "and" => j += 1,
            Some(Tok::Cjk(c)) if c == "或" || c == "和" => j += 1,
            _ => break,
        }
        if let Some(Tok::Word(w)) = toks.get(j).map(|t| &t.tok) {
            if w == "and" || w == "or" {
                j += 1;
            }
        }
    }
    if bracketed {
        if toks.get(j).map(|t| &t.tok) != Some(&Tok::P(']')) {
            return Err(false);
        }
        j += 1;
    } else {
        // What follows the list must end the clause.
        match toks.get(j).map(|t| &t.tok) {
            None | Some(Tok::P('.' | ';' | ',')) => {}
            Some(Tok::Cjk(_)) if j >= end => {}
            Some(Tok::Cjk(c)) if c.starts_with("默认") => {}
            _ => return Err(false),
        }
    }
    if items.is_empty() {
        Err(false)
    } else {
        Ok((items, j))
    }
}

/// `[a, b]`, `(a, b]`, `[a-b]` at `i`: (min, min exclusive, max, max exclusive, next).
fn bracket_range(toks: &[T], i: usize) -> Option<(Number, bool, Number, bool, usize)> {
    let open = match toks.get(i)?.tok {
        Tok::P('[') => false,
        Tok::P('(') => true,
        _ => return None,
    };
    let Tok::Num(a) = &toks.get(i + 1)?.tok else {
        return None;
    };
    if !matches!(toks.get(i + 2)?.tok, Tok::P(',' | '-' | '~')) {
        return None;
    }
    let Tok::Num(b) = &toks.get(i + 3)?.tok else {
        return None;
    };
    let close = match toks.get(i + 4)?.tok {
        Tok::P(']') => false,
        Tok::P(')') => true,
        _ => return None,
    };
    Some((a.clone(), open, b.clone(), close, i + 5))
}

fn num_lt(a: &Number, b: &Number) -> bool {
    a.as_f64().unwrap_or(0.0) < b.as_f64().unwrap_or(0.0)
}

/// `a-b`, `a ~ b`, `a to b`, `a到b` at `i` (not part of a chain like a date).
fn dash_range(toks: &[T], i: usize) -> Option<(Number, Number, usize)> {
    let Tok::Num(a) = &toks.get(i)?.tok else {
        return None;
    };
    let mut j = i + 1;
    // A unit or a parenthetical between: `0（置信度最低）-100`, `15s-60s`.
    if matches!(toks.get(j).map(|t| &t.tok), Some(Tok::P('('))) {
        j = (j + 1..toks.len()).find(|&k| toks[k].tok == Tok::P(')'))? + 1;
    }
    let dash = match &toks.get(j)?.tok {
        Tok::P('-' | '~') => true,
        Tok::Word(w) => w == "to",
        Tok::Cjk(c) => c == "到" || c == "至",
        _ => false,
    };
    if !dash {
        return None;
    }
    let Tok::Num(b) = &toks.get(j + 1)?.tok else {
        return None;
    };
    if matches!(toks.get(j + 2).map(|t| &t.tok), Some(Tok::P('-'))) {
        return None;
    }
    if i > 0 && matches!(toks[i - 1].tok, Tok::P('-')) {
        return None;
    }
    num_lt(a, b).then(|| (a.clone(), b.clone(), j + 2))
}

/// A bound keyword ending just before `i`: (is upper, exclusive).
fn bound_before(toks: &[T], start: usize, i: usize, negated: bool) -> Option<(bool, bool)> {
    // English: the words before (fillers and `:` aside).
    let mut words: Vec<&str> = Vec::new();
    let mut j = i;
    while j > start {
        match &toks[j - 1].tok {
            Tok::Word(w) => words.push(w),
            Tok::P(':') => {}
            Tok::Cjk(c) => {
                if words.is_empty() {
                    return bound_run(c);
                }
                break;
            }
            _ => break,
        }
        j -= 1;
        if words.len() >= 7 {
            break;
        }
    }
    words.reverse();
    let phrase = format!(" {} ", words.join(" "));
    const UPPER: &[&str] = &[
        " up to ",
        " at most ",
        " no more than ",
        " not more than ",
        " exceed ",
        " exceeding ",
        " a maximum of ",
        " maximum of ",
        " maximum value is ",
        " maximum is ",
        " maximum ",
        " max ",
        " less than or equal to ",
        " not larger than ",
        " not greater than ",
        " not be larger than ",
        " not be greater than ",
        " limit length to ",
        " length limit ",
        " limited to ",
    ];
    const UPPER_EXCL: &[&str] = &[
        " less than ",
        " shorter than ",
        " smaller than ",
        " fewer than ",
    ];
    const LOWER: &[&str] = &[
        " at least ",
        " no less than ",
        " not less than ",
        " minimum of ",
        " minimum value is ",
        " minimum is ",
        " minimum ",
        " min ",
        " greater than or equal to ",
        " be smaller than ",
        " be less than ",
    ];
    const LOWER_EXCL: &[&str] = &[" greater than ", " larger than ", " more than "];
    let ends = |list: &[&str]| {
        list.iter().any(|k| {
            let k = k.trim_end();
            phrase.trim_end().ends_with(k) || {
                // Fillers after the keyword: "maximum value is", "up to the".
                let mut p = phrase.trim_end().to_owned();
                loop {
                    if p.ends_with(k) {
                        break true;
                    }
                    match p.rfind(' ') {
                        Some(s) if is_filler_word(&p[s + 1..]) => p.truncate(s),
                        _ => break false,
                    }
                }
            }
        })
    };
    // "cannot be smaller than 5 or larger than 86400": negated comparisons.
    if negated && (ends(UPPER_EXCL) || ends(&[" be smaller than", " smaller than"])) {
        return Some((false, false));
    }
    if negated && ends(LOWER_EXCL) {
        return Some((true, false));
    }
    if ends(&[" or equal to "]) {
        let last = |ks: &[&str]| ks.iter().filter_map(|k| phrase.rfind(k)).max();
        let lo = last(&[" greater than or equal to", " larger than or equal to"]);
        let hi = last(&[" less than or equal to", " smaller than or equal to"]);
        match (lo, hi) {
            (Some(a), Some(b)) => return Some((b > a, false)),
            (Some(_), None) => return Some((false, false)),
            (None, Some(_)) => return Some((true, false)),
            (None, None) => {}
        }
    }
    if ends(UPPER) {
        return Some((true, false));
    }
    if ends(LOWER) {
        return Some((false, false));
    }
    if ends(UPPER_EXCL) {
        return Some((true, true));
    }
    if ends(LOWER_EXCL) {
        return Some((false, true));
    }
    None
}

fn is_filler_word(w: &str) -> bool {
    [
        "is", "are", "of", "the", "value", "values", "be", "to", "a", "an", "set", "allowed",
        "length", "number",
    ]
    .contains(&w)
}

/// A CJK run ending with a bound keyword: (is upper, exclusive). A short
/// verb may follow `最多`/`最大`/`最少`/`最小` (`最多支持回推`, `最多只能填写`).
fn bound_run(run: &str) -> Option<(bool, bool)> {
    for (k, upper) in [
        ("最多", true),
        ("最大", true),
        ("最少", false),
        ("最小", false),
    ] {
        if let Some(at) = run.rfind(k) {
            let rest = &run[at + k.len()..];
            let n = rest.chars().count();
            if (1..=4).contains(&n)
                && ["支持", "可", "只能", "允许", "设置", "填写", "为"]
                    .iter()
                    .any(|v| rest.starts_with(v))
            {
                return Some((upper, false));
            }
        }
    }
    let mut r = run;
    for suffix in [
        "可设置",
        "设置为",
        "设置",
        "只能填写",
        "支持设置",
        "支持",
        "允许",
        "为",
        "是",
        "需",
        "可",
    ] {
        if let Some(x) = r.strip_suffix(suffix) {
            if !x.is_empty() {
                r = x;
            }
        }
    }
    let ends = |ks: &[&str]| ks.iter().any(|k| r.ends_with(k));
    if ends(&[
        "大于等于",
        "不小于",
        "不低于",
        "最小",
        "最小值",
        "最少",
        "至少",
        "最短",
    ]) {
        return Some((false, false));
    }
    if ends(&[
        "最大长度",
        "长度限制",
        "限制长度",
        "小于等于",
        "不大于",
        "不超过",
        "不能超过",
        "不可超过",
        "不要超过",
        "不得超过",
        "最多",
        "最大",
        "最大值",
        "最长",
        "上限",
        "限制",
        "不能大于",
    ]) {
        return Some((true, false));
    }
    if ends(&["大于"]) {
        return Some((false, true));
    }
    if ends(&["小于", "不足"]) {
        return Some((true, true));
    }
    None
}

/// Characters a clause allows, after a charset marker: `a-z`, `0~9`, quoted
/// characters, `underscore`, `hyphen`, ... `None` when a class is named
/// imprecisely (`letters` without `a-z`).
const CHARSET_MARKERS: &[&str] = &[
    "only allow",
    "character set",
    "only specific string",
    "specific strings within the range",
    "value range for the strings",
    "valid values: az",
    "只允许",
    "字符集",
    "合法的字符串范围",
    "只支持特定的字符串",
    "only digits",
    "可以由",
];

fn charset_marker(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    CHARSET_MARKERS.iter().any(|m| lower.contains(m))
}

fn charset(text: &str) -> Option<CharClass> {
    // ASCII lowercase keeps the byte offsets of `text`.
    let lower = text.to_ascii_lowercase();
    let at = CHARSET_MARKERS.iter().filter_map(|m| lower.find(m)).min()?;
    let rest = &text[at..];
    if rest.starts_with("可以由") {
        return zh_charset_list(rest);
    }
    let chars: Vec<char> = rest.chars().collect();
    let mut ranges: Vec<(char, char)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Quoted: 'x' or 'a-z'.
        if c == '\'' {
            if i + 2 < chars.len() && chars[i + 2] == '\'' {
                ranges.push((chars[i + 1], chars[i + 1]));
                i += 3;
                continue;
            }
            if i + 4 < chars.len() && chars[i + 4] == '\'' && chars[i + 2] == '-' {
                ranges.push((chars[i + 1], chars[i + 3]));
                i += 5;
                continue;
            }
        }
        // a-z, A-Z, 0-9, 0~9 (and a-zA-Z).
        if c.is_ascii_alphanumeric()
            && i + 2 < chars.len()
            && (chars[i + 1] == '-' || chars[i + 1] == '~')
            && chars[i + 2].is_ascii_alphanumeric()
            && (c.is_ascii_digit() == chars[i + 2].is_ascii_digit())
            && c < chars[i + 2]
        {
            ranges.push((c, chars[i + 2]));
            i += 3;
            continue;
        }
        i += 1;
    }
    // Garbled "az, az" / "az,AZ" of the pages: a-z and A-Z.
    for (w, r) in [("az", ('a', 'z')), ("AZ", ('A', 'Z'))] {
        if rest
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|t| t == w)
        {
            ranges.push(r);
        }
    }
    let l = rest.to_lowercase();
    for (word, c) in [
        ("underscore", '_'),
        ("underline", '_'),
        ("下划线", '_'),
        ("hyphen", '-'),
        ("连词符", '-'),
        ("中划线", '-'),
        ("(_)", '_'),
        ("(-)", '-'),
        ("(_-)", '_'),
    ] {
        if l.contains(word) {
            ranges.push((c, c));
        }
    }
    if l.contains("(_-)") {
        ranges.push(('-', '-'));
    }
    let letters = l.contains("letters") || l.contains("字母");
    let has_letter_range = ranges.iter().any(|(a, _)| a.is_ascii_alphabetic());
    if letters && !has_letter_range {
        return None;
    }
    if (l.contains("digits") || l.contains("数字"))
        && !ranges.iter().any(|(a, _)| a.is_ascii_digit())
    {
        ranges.push(('0', '9'));
    }
    let class = CharClass::from_ranges(ranges);
    (!class.is_empty()).then_some(class)
}

/// `可以由英文字母、数字、下划线、-、@#组成`: the named classes and the
/// characters listed between `、`.
fn zh_charset_list(text: &str) -> Option<CharClass> {
    let body = text.strip_prefix("可以由")?;
    let body = &body[..body.find("组成")?];
    let mut ranges = Vec::new();
    for item in body.split('、') {
        match item.trim() {
            "英文字母" | "大小写英文字母" => ranges.extend([('a', 'z'), ('A', 'Z')]),
            "数字" => ranges.push(('0', '9')),
            "下划线" => ranges.push(('_', '_')),
            "连词符" | "中划线" | "连字符" => ranges.push(('-', '-')),
            other if !other.is_empty() && other.chars().all(|c| c.is_ascii_punctuation()) => {
                ranges.extend(other.chars().map(|c| (c, c)))
            }
            _ => return None,
        }
    }
    let class = CharClass::from_ranges(ranges);
    (!class.is_empty()).then_some(class)
}

/// The sentence without links: `[text](url)` → `text`, bare URLs removed
/// (their digits and punctuation are not limits).
fn without_links(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        let link = rest.find("](http");
        let bare = rest
            .find("http://")
            .into_iter()
            .chain(rest.find("https://"))
            .min();
        match (link, bare) {
            (Some(l), b) if b.is_none_or(|b| l < b) => {
                out.push_str(&rest[..l]);
                let after = &rest[l + 2..];
                let end = after.find(')').map(|e| e + 1).unwrap_or(after.len());
                rest = &after[end..];
            }
            (_, Some(b)) => {
                out.push_str(&rest[..b]);
                let after = &rest[b..];
                let end = after
                    .find(|c: char| c.is_whitespace() || "）)，,】".contains(c) || is_cjk(c))
                    .unwrap_or(after.len());
                rest = &after[end..];
            }
            _ => {
                out.push_str(rest);
                rest = "";
            }
        }
    }
    out.replace("字符串", "串")
}

// ---------------------------------------------------------------------------
// Extraction.

/// Extracts the limits one description states for a member of `target`
/// type named `member` (`siblings`: the other members of its structure,
/// whose mentions mark a clause as about them).
pub fn extract(description: &str, target: Target, member: &str, siblings: &[&str]) -> Extraction {
    let mut x = Extraction::default();
    let mut found: Vec<Limit> = Vec::new();
    for sentence in sentences(description) {
        let before = found.len();
        let reason = sentence_limits(&sentence, target, member, siblings, &mut found);
        if let Some(reason) = reason {
            x.not_understood.push(NotUnderstood {
                sentence: sentence.clone(),
                reason,
            });
        }
        for l in &mut found[before..] {
            *l = l.clone().with_source(&sentence, &[]);
        }
    }
    // One limit per kind: the looser of a text's sentences.
    for l in found {
        let same = x.limits.iter().position(|k| k.kind == l.kind);
        match same {
            None => x.limits.push(l),
            Some(i) if x.limits[i].same_constraint(&l) => {
                for s in l.sources {
                    limits::add_source(&mut x.limits[i].sources, s);
                }
            }
            Some(i) => {
                let Some(kept) = limits::loosen(&x.limits[i], &l) else {
                    continue;
                };
                x.conflicts.push((kept.clone(), x.limits[i].clone(), l));
                x.limits[i] = kept;
            }
        }
    }
    // A looser limit with no bound left is no limit.
    x.limits.retain(|l| !l.is_unbounded());
    x.limits.sort_by_key(|l| l.kind);
    // Never a limit the spec would refuse: such a reading is listed instead.
    let bad: Vec<(usize, String)> = limits::problems(&x.limits, target)
        .into_iter()
        .filter_map(|(at, why)| {
            let i: usize = at.strip_prefix('[')?.split(']').next()?.parse().ok()?;
            Some((i, why))
        })
        .collect();
    for (i, l) in x.limits.iter().enumerate().rev() {
        if let Some((_, why)) = bad.iter().find(|(j, _)| *j == i) {
            for s in &l.sources {
                x.not_understood.push(NotUnderstood {
                    sentence: s.text.clone(),
                    reason: format!("read as {l}, which cannot be: {why}"),
                });
            }
        }
    }
    let mut i = 0;
    x.limits.retain(|_| {
        i += 1;
        !bad.iter().any(|(j, _)| *j == i - 1)
    });
    x
}

/// The patterns (the allowed characters) a whole sentence states, pushed to
/// `out`; whether it stated one.
fn sentence_patterns(sentence: &str, whole: &str, target: Target, out: &mut Vec<Limit>) -> bool {
    let mut found = false;
    if target.value == ValueType::String || target.value == ValueType::StringOrInt {
        if let Some(class) = charset(sentence) {
            out.push(Limit::pattern(&class));
            found = true;
        }
        let must = whole.contains(" must ") || whole.contains("必须");
        if must && (whole.contains("hexadecimal string") || whole.contains("十六进制")) {
            out.push(Limit::pattern(&CharClass::from_ranges([
                ('0', '9'),
                ('a', 'f'),
                ('A', 'F'),
            ])));
            found = true;
        }
    }

    found
}

/// Adds a clause's bounds on `subj` to the sentence's pending ones, turning
/// the pending ones into a limit first when the subject changes or a bound
/// is stated twice.
fn add_bounds(
    pending: &mut Pending,
    (lo, hi): (Option<Bound>, Option<Bound>),
    subj: Subject,
    target: Target,
    out: &mut Vec<Limit>,
    unexplained: &mut Option<String>,
) {
    if pending.0.is_none() && pending.1.is_none() {
        pending.2 = subj;
    } else if pending.2 != subj {
        flush_bounds(pending, target, out, unexplained);
        pending.2 = subj;
    }
    if lo.is_some() {
        if pending.0.is_some() {
            flush_bounds(pending, target, out, unexplained);
            pending.2 = subj;
        }
        pending.0 = lo;
    }
    if hi.is_some() {
        if pending.1.is_some() {
            flush_bounds(pending, target, out, unexplained);
            pending.2 = subj;
        }
        pending.1 = hi;
    }
}

/// The limits of one sentence, pushed to `out`; the reason when it reads like
/// a limit and (part of it) gave none.
fn sentence_limits(
    sentence: &str,
    target: Target,
    member: &str,
    siblings: &[&str],
    out: &mut Vec<Limit>,
) -> Option<String> {
    // A sentence in brackets (`【限制长度为128字节，...】`) is still a sentence.
    let inner = sentence
        .strip_prefix(['[', '【'])
        .and_then(|s| s.strip_suffix([']', '】']).or_else(|| s.strip_suffix("].")))
        .unwrap_or(sentence);
    let clean = without_links(inner);
    let toks = tokenize(&clean);
    let cls = clauses(&toks);
    let whole = text_of(&toks).to_lowercase();
    let mut unexplained: Option<String> = None;
    let mut scoped_condition = false;
    let mut sentence_bounds: Pending = (None, None, Subject::Value);

    let mut found_any = sentence_patterns(sentence, &whole, target, out);

    for &(start, end) in &cls {
        let clause = &toks[start..end];
        let ctext = text_of(clause).to_lowercase();
        let read_like = triggered(&ctext) && has_digit(clause);
        match condition(&ctext) {
            Some(true) => {
                scoped_condition = true;
                if read_like {
                    unexplained.get_or_insert_with(|| "conditional".to_owned());
                }
                continue;
            }
            // A remark on when the member applies ("if ..." inside a clause):
            // its numbers are not bounds. ("only effective when ..." is not.)
            Some(false) if read_like && (ctext.contains(" if ") || ctext.contains("如果")) => {
                unexplained.get_or_insert_with(|| "conditional".to_owned());
                continue;
            }
            _ => {}
        }
        if scoped_condition {
            if read_like {
                unexplained.get_or_insert_with(|| "conditional".to_owned());
            }
            continue;
        }
        if let Some(why) = foreign(clause, &ctext, member, siblings) {
            if read_like {
                unexplained.get_or_insert(why);
            }
            continue;
        }
        let subj = subject(&ctext, target);
        let negated = [
            " cannot ",
            " can not ",
            " must not ",
            " should not ",
            " not be ",
            "不能",
            "不可",
        ]
        .iter()
        .any(|n| ctext.contains(n));
        let (clause_found, clause_reason) = scan_clause(&toks, start, end, &ctext, negated);
        if clause_found.is_empty() {
            if read_like || clause_reason.is_some() {
                unexplained
                    .get_or_insert(clause_reason.unwrap_or_else(|| "not understood".to_owned()));
            }
            continue;
        }
        for f in clause_found {
            match f {
                Found::Bounds(lo, hi) => {
                    let pending = &mut sentence_bounds;
                    add_bounds(pending, (lo, hi), subj, target, out, &mut unexplained);
                    found_any = true;
                }
                Found::Values(items) => {
                    let ok = items.iter().all(|v| match target.value {
                        ValueType::Integer | ValueType::Unsigned | ValueType::Float => {
                            v.is_number()
                        }
                        ValueType::String => v.is_string(),
                        _ => false,
                    });
                    if ok && !target.is_enum {
                        out.push(Limit::values(items));
                        found_any = true;
                    } else {
                        unexplained.get_or_insert_with(|| {
                            "a list of values that does not fit the member's type".to_owned()
                        });
                    }
                }
                Found::Exact(n) => {
                    if matches!(target.value, ValueType::String | ValueType::StringOrInt) {
                        let unit = match subj {
                            Subject::Length(u) => u,
                            _ => LengthUnit::Chars,
                        };
                        out.push(Limit::length(Some(n), Some(n), unit));
                        found_any = true;
                    } else {
                        unexplained.get_or_insert_with(|| "a length on a number".to_owned());
                    }
                }
            }
        }
    }
    flush_bounds(&mut sentence_bounds, target, out, &mut unexplained);
    if found_any && unexplained.as_deref() == Some("not understood") {
        // Another clause gave the limit; this one restated it in other words.
        unexplained = None;
    }
    let names_classes = ["letters", "字母"]
        .iter()
        .any(|w| sentence.to_lowercase().contains(w));
    if !found_any && unexplained.is_none() && names_classes && charset_marker(sentence) {
        unexplained = Some("the allowed characters are named imprecisely (\"letters\")".to_owned());
    }
    unexplained
}

/// What one clause (`toks[start..end]`) states: its findings, or why it
/// states none although it reads like a limit.
fn scan_clause(
    toks: &[T],
    start: usize,
    end: usize,
    ctext: &str,
    negated: bool,
) -> (Vec<Found>, Option<String>) {
    let clause = &toks[start..end];
    let mut clause_reason: Option<String> = None;
    let mut clause_found: Vec<Found> = Vec::new();
    if ctext.contains("maximum and minimum") && ctext.contains("respectively") {
        let nums: Vec<&Number> = clause
            .iter()
            .filter(|t| t.depth == 0)
            .filter_map(|t| match &t.tok {
                Tok::Num(n) => Some(n),
                _ => None,
            })
            .collect();
        if let [max, min, ..] = nums[..] {
            clause_found.push(Found::Bounds(
                Some((min.clone(), false)),
                Some((max.clone(), false)),
            ));
        }
    }
    let mut i = if clause_found.is_empty() { start } else { end };
    while i < end {
        // Lists of values, after a marker or as a bracket of 3+ or a > b.
        if values_marker_before(toks, start, i) {
            let list = value_list(toks, i, end);
            if list == Err(true) {
                clause_reason.get_or_insert_with(|| {
                    "values with descriptions: an enumeration, not a closed list".to_owned()
                });
            }
            if let Ok((items, next)) = list {
                let is_pair_range = items.len() == 2
                    && matches!(toks[i].tok, Tok::P('[' | '('))
                    && bracket_range(toks, i).is_some_and(|(a, _, b, _, _)| num_lt(&a, &b));
                if !is_pair_range {
                    clause_found.push(Found::Values(items));
                    i = next;
                    continue;
                }
            }
        }
        if let Some((a, ax, b, bx, next)) = bracket_range(toks, i) {
            let keyword = range_keyword_before(toks, start, i) || (i == 0 && start == 0);
            if keyword && num_lt(&a, &b) && toks[i].depth == 0 {
                if is_size_unit(toks.get(next)) {
                    clause_reason.get_or_insert_with(|| "a size (MB, K), not the value".to_owned());
                } else {
                    clause_found.push(Found::Bounds(Some((a, ax)), Some((b, bx))));
                }
                i = next;
                continue;
            }
            if keyword && !num_lt(&a, &b) && !ax && !bx {
                // "Value range [48000, 44100]": a list, not a range.
                clause_found.push(Found::Values(vec![Value::Number(a), Value::Number(b)]));
                i = next;
                continue;
            }
        }
        if matches!(toks[i].tok, Tok::P('[')) && range_keyword_before(toks, start, i) {
            if let Ok((items, next)) = value_list(toks, i, end) {
                if items.len() >= 3 && items.iter().all(Value::is_number) {
                    clause_found.push(Found::Values(items));
                    i = next;
                    continue;
                }
            }
        }
        if let Tok::Num(_) = toks[i].tok {
            let (found, reason) = (&mut clause_found, &mut clause_reason);
            if let Some(next) = at_number(toks, start, i, ctext, negated, found, reason) {
                i = next;
                continue;
            }
        }
        i += 1;
    }
    (clause_found, clause_reason)
}

/// What the number at `toks[i]` (in the clause from `start`) states, pushed
/// to `found` (or why not, to `reason`): the index after what it read, when
/// it read something.
fn at_number(
    toks: &[T],
    start: usize,
    i: usize,
    ctext: &str,
    negated: bool,
    found: &mut Vec<Found>,
    reason: &mut Option<String>,
) -> Option<usize> {
    if toks[i].depth > 0 {
        return Some(i + 1);
    }
    // `between a and b`, `from a to b`, `a-b` after a range keyword.
    if let Some((a, b, next)) = dash_range(toks, i) {
        let kw = range_keyword_before(toks, start, i)
            || (i > start
                && matches!(&toks[i - 1].tok, Tok::Word(w) if w == "from" || w == "between"));
        if kw {
            if is_size_unit(toks.get(next)) {
                reason.get_or_insert_with(|| "a size (MB, K), not the value".to_owned());
            } else {
                found.push(Found::Bounds(Some((a, false)), Some((b, false))));
            }
            return Some(next);
        }
    }
    if i > start {
        if let (Tok::Word(w), Some(Tok::Word(and)), Some(Tok::Num(b))) = (
            &toks[i - 1].tok,
            toks.get(i + 1).map(|t| &t.tok),
            toks.get(i + 2).map(|t| &t.tok),
        ) {
            if w == "between" && and == "and" {
                let Tok::Num(a) = &toks[i].tok else {
                    unreachable!()
                };
                found.push(Found::Bounds(
                    Some((a.clone(), false)),
                    Some((b.clone(), false)),
                ));
                return Some(i + 3);
            }
        }
    }
    // N-character: exactly N.
    if let (Some(Tok::P('-')), Some(Tok::Word(w))) = (
        toks.get(i + 1).map(|t| &t.tok),
        toks.get(i + 2).map(|t| &t.tok),
    ) {
        if ["character", "characters", "byte", "digit"].contains(&w.as_str()) {
            if let Tok::Num(n) = &toks[i].tok {
                if let Some(n) = n.as_u64() {
                    found.push(Found::Exact(n));
                    return Some(i + 3);
                }
            }
        }
    }
    // 必须是32长度: exactly N.
    if let (Some(Tok::Cjk(after)), true) = (
        toks.get(i + 1).map(|t| &t.tok),
        i > start && matches!(&toks[i - 1].tok, Tok::Cjk(c) if c.ends_with("必须是")),
    ) {
        if after.starts_with("长度") || after.starts_with("位") {
            if let Tok::Num(n) = &toks[i].tok {
                if let Some(n) = n.as_u64() {
                    found.push(Found::Exact(n));
                    return Some(i + 2);
                }
            }
        }
    }
    if let Some((upper, excl)) = bound_before(toks, start, i, negated) {
        let Tok::Num(n) = &toks[i].tok else {
            unreachable!()
        };
        // "a value less than 1 indicates VGPU type": what values mean.
        let describes = [" indicat", " means", " represent", "代表", "表示"]
            .iter()
            .any(|w| ctext.contains(w));
        if is_size_unit(toks.get(i + 1)) {
            reason.get_or_insert_with(|| "a size (MB, K), not the value".to_owned());
        } else if describes {
            reason.get_or_insert_with(|| {
                "what values mean (\"less than 1 indicates ...\"), not a limit".to_owned()
            });
        } else if upper {
            found.push(Found::Bounds(None, Some((n.clone(), excl))));
        } else {
            found.push(Found::Bounds(Some((n.clone(), excl)), None));
        }
        return Some(i + 1);
    }
    // 只支持转推一个, 仅支持填写一个: at most N things.
    if i > start {
        if let (Tok::Cjk(run), Some(Tok::Cjk(after))) =
            (&toks[i - 1].tok, toks.get(i + 1).map(|t| &t.tok))
        {
            let only = ["只支持", "仅支持"]
                .iter()
                .find_map(|k| run.rfind(k).map(|at| run[at + k.len()..].chars().count()));
            if only.is_some_and(|n| n <= 4) && after.starts_with(['个', '种', '路']) {
                let Tok::Num(n) = &toks[i].tok else {
                    unreachable!()
                };
                found.push(Found::Bounds(None, Some((n.clone(), false))));
                return Some(i + 2);
            }
        }
    }
    // N以内: at most N.
    if let Some(Tok::Cjk(after)) = toks.get(i + 1).map(|t| &t.tok) {
        if after.starts_with("以内") || after.contains("以内") && after.chars().count() <= 3 {
            let Tok::Num(n) = &toks[i].tok else {
                unreachable!()
            };
            found.push(Found::Bounds(None, Some((n.clone(), false))));
            return Some(i + 2);
        }
    }
    None
}

/// A sentence's bounds so far, (min, exclusive), (max, exclusive), and what
/// they bound.
type Pending = (Option<Bound>, Option<Bound>, Subject);

/// A bound, and whether it is exclusive.
type Bound = (Number, bool);

/// Turns a sentence's bounds into a limit of the member's kind.
fn flush_bounds(
    b: &mut Pending,
    target: Target,
    out: &mut Vec<Limit>,
    unexplained: &mut Option<String>,
) {
    let (lo, hi) = (b.0.take(), b.1.take());
    if lo.is_none() && hi.is_none() {
        return;
    }
    let whole = |n: &Option<(Number, bool)>, upper: bool| -> Result<Option<u64>, ()> {
        match n {
            None => Ok(None),
            Some((n, excl)) => {
                let v = n.as_u64().ok_or(())?;
                Ok(Some(match (excl, upper) {
                    (false, _) => v,
                    (true, true) => v.checked_sub(1).ok_or(())?,
                    (true, false) => v.checked_add(1).ok_or(())?,
                }))
            }
        }
    };
    match (b.2, target.list, target.value) {
        (Subject::Count, true, _) => match (whole(&lo, false), whole(&hi, true)) {
            (Ok(a), Ok(z)) => out.push(Limit::count(a, z)),
            _ => {
                unexplained.get_or_insert_with(|| "a count that is not a whole number".to_owned());
            }
        },
        (Subject::Count, false, _) => {
            unexplained.get_or_insert_with(|| {
                "a number of items, but the member is not a list".to_owned()
            });
        }
        (Subject::Length(unit), _, ValueType::String | ValueType::StringOrInt) => {
            match (whole(&lo, false), whole(&hi, true)) {
                (Ok(a), Ok(z)) => out.push(Limit::length(a, z, unit)),
                _ => {
                    unexplained
                        .get_or_insert_with(|| "a length that is not a whole number".to_owned());
                }
            }
        }
        (Subject::Length(_), _, _) => {
            unexplained
                .get_or_insert_with(|| "a length, but the member is not a string".to_owned());
        }
        (
            Subject::Value,
            _,
            ValueType::Integer | ValueType::Unsigned | ValueType::Float | ValueType::StringOrInt,
        ) => {
            let mut l = Limit::range(
                lo.as_ref().map(|x| x.0.clone()),
                hi.as_ref().map(|x| x.0.clone()),
            );
            l.min_exclusive = lo.is_some_and(|x| x.1);
            l.max_exclusive = hi.is_some_and(|x| x.1);
            if let (Some(a), Some(z)) = (&l.min, &l.max) {
                if num_lt(z, a) {
                    unexplained.get_or_insert_with(|| {
                        "a range whose minimum is above its maximum".to_owned()
                    });
                    return;
                }
            }
            out.push(l);
        }
        (Subject::Value, _, ValueType::String) => {
            unexplained.get_or_insert_with(|| {
                "a number, but the member is a string (and no length is said)".to_owned()
            });
        }
        (Subject::Duration, _, _) => {
            unexplained.get_or_insert_with(|| "a duration of the content, not a length".to_owned());
        }
        (Subject::Value, _, ValueType::Other) => {
            unexplained.get_or_insert_with(|| {
                "a number, but the member is neither a number nor a string".to_owned()
            });
        }
    }
}

/// Marks every limit of `spec` and every entry of `report` as `edition`'s
/// (an import of the one edition that publishes a service version).
pub fn tag_spec(spec: &mut Spec, report: &mut LimitReport, edition: Edition) {
    for (_, shape) in spec.shapes.0.iter_mut() {
        for (_, m) in shape.members.iter_mut().flat_map(|ms| ms.0.iter_mut()) {
            tag_edition(&mut m.limits, edition);
        }
    }
    report.tag(edition);
    report.count(spec);
}

impl LimitReport {
    fn tag(&mut self, edition: Edition) {
        for n in &mut self.not_understood {
            n.edition.get_or_insert(edition);
        }
        for d in &mut self.disagreements {
            d.one.0.get_or_insert(edition);
            d.other.0.get_or_insert(edition);
            tag_edition(std::slice::from_mut(&mut d.one.1), edition);
            tag_edition(std::slice::from_mut(&mut d.other.1), edition);
            tag_edition(std::slice::from_mut(&mut d.kept), edition);
        }
    }

    /// The report of a merged import: each edition's sentences not
    /// understood and disagreements within its texts, the disagreements
    /// between the editions, and the counts of the merged `spec`.
    pub fn of_editions(
        spec: &Spec,
        mut intl: LimitReport,
        mut cn: LimitReport,
        between: Vec<Disagreement>,
    ) -> LimitReport {
        intl.tag(Edition::International);
        cn.tag(Edition::Mainland);
        let mut out = LimitReport::default();
        out.not_understood.extend(intl.not_understood);
        out.not_understood.extend(cn.not_understood);
        out.not_understood
            .sort_by(|a, b| (&a.member, a.edition).cmp(&(&b.member, b.edition)));
        out.disagreements.extend(intl.disagreements);
        out.disagreements.extend(cn.disagreements);
        out.disagreements.extend(between);
        out.disagreements.sort_by(|a, b| a.member.cmp(&b.member));
        out.count(spec);
        out
    }
}
