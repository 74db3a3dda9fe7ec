//! Import of Tencent's published API definitions (`api.json`, `examples.json`,
//! the format all official SDKs are generated from) into the spec format, and
//! merging of imported actions into an existing spec.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::check::{self, Direction};
use crate::docs::html_to_markdown;
use crate::model::Prim;
use crate::spec::{
    Action, Edition, Example, Member, Shape, ShapeKind, Spec, SpecError, SpecErrors, UniqueMap,
    SERVICE_FORMAT,
};

/// What to import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Only these actions (and the shapes they reach); `None` for all.
    pub actions: Option<Vec<String>>,
}

/// A documented example the importer could not use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unusable {
    /// The action.
    pub action: String,
    /// The example's title.
    pub title: String,
    /// Why.
    pub reason: String,
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {:?}: {}", self.action, self.title, self.reason)
    }
}

/// What an import did, for the user to read.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// Actions imported.
    pub actions: usize,
    /// Shapes imported.
    pub shapes: usize,
    /// Examples kept.
    pub examples_used: usize,
    /// Examples reported unusable, with why.
    pub unusable: Vec<Unusable>,
    /// Service-wide error codes imported (from `errorcodes.py`).
    pub error_codes: usize,
    /// Of those, how many Tencent publishes without a description (given
    /// [`UNDESCRIBED_CODE`] instead).
    pub undescribed_error_codes: usize,
    /// Other things worth knowing (skipped members, assumptions).
    pub notes: Vec<String>,
    /// When both editions publish the service version: what the merge rules
    /// decided.
    pub editions: Option<crate::upstream::editions::EditionMerge>,
    /// The limits read from the descriptions: how many, the sentences not
    /// understood, the disagreements and which limit won.
    pub limits: crate::upstream::limits::LimitReport,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "imported {} actions, {} shapes; {} examples usable, {} unusable",
            self.actions,
            self.shapes,
            self.examples_used,
            self.unusable.len()
        )?;
        if self.error_codes > 0 {
            writeln!(
                f,
                "  {} service error codes ({} without a description in errorcodes.py: given {UNDESCRIBED_CODE:?})",
                self.error_codes, self.undescribed_error_codes
            )?;
        }
        for u in &self.unusable {
            writeln!(f, "  unusable example: {u}")?;
        }
        for n in &self.notes {
            writeln!(f, "  note: {n}")?;
        }
        if let Some(m) = &self.editions {
            write!(f, "{m}")?;
        }
        write!(f, "{}", self.limits)
    }
}

struct Cx<'a> {
    file: &'a Path,
    errors: Vec<SpecError>,
}

impl Cx<'_> {
    fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError {
            file: self.file.to_owned(),
            path: path.into(),
            message: message.into(),
        });
    }
}

fn str_at<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn bool_at(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Member names whose values are secrets (never shown by `Debug`).
fn is_sensitive_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "usersig",
        "secretkey",
        "privatemapkey",
        "password",
        "passwd",
        "token",
        "apikey",
        "accesskey",
    ]
    .iter()
    .any(|s| n.contains(s))
}

fn description(doc: Option<&str>) -> Option<String> {
    let text = html_to_markdown(doc.unwrap_or(""));
    if text.trim().is_empty() {
        None
    } else {
        Some(text)
    }
}

fn example_text(ex: Option<&str>) -> Option<String> {
    let e = ex?.trim();
    // Tencent writes 无 ("none") where a member has no example.
    if e.is_empty() || e == "无" {
        None
    } else {
        Some(e.to_owned())
    }
}

/// Maps a published member type to ours: `(type, items)`.
fn map_type(ty: &str, member: &str) -> Result<(String, Option<String>), String> {
    let prim = |p: Prim| p.spec_name().to_owned();
    let elem = |m: &str| -> Result<String, String> {
        Ok(match m {
            "string" | "binary" => prim(Prim::String),
            "int64" | "int" | "integer" => prim(Prim::Int64),
            "uint64" => prim(Prim::Uint64),
            "float" | "double" => prim(Prim::Float),
            "bool" | "boolean" => prim(Prim::Bool),
            "date" => prim(Prim::Date),
            "datetime" => prim(Prim::DateTime),
            "datetime_iso" => prim(Prim::DateTimeIso),
            other if other.starts_with(|c: char| c.is_ascii_alphabetic()) => other.to_owned(),
            other => return Err(format!("unsupported element type `{other}`")),
        })
    };
    match ty {
        "list" => Ok(("list".to_owned(), Some(elem(member)?))),
        "object" => Ok((member.to_owned(), None)),
        "string" => match member {
            "date" | "datetime" | "datetime_iso" => Ok((elem(member)?, None)),
            _ => Ok((prim(Prim::String), None)),
        },
        "int" => match member {
            "uint64" => Ok((prim(Prim::Uint64), None)),
            _ => Ok((prim(Prim::Int64), None)),
        },
        "float" => Ok((prim(Prim::Float), None)),
        "bool" => Ok((prim(Prim::Bool), None)),
        "binary" => Ok((prim(Prim::String), None)),
        other => Err(format!("unsupported member type `{other}`")),
    }
}

#[derive(Clone, Copy, Default)]
struct Usage {
    input: bool,
    output: bool,
}

/// The actions to import (every one, or those asked for, each of which must
/// exist), sorted.
fn wanted_actions(
    cx: &mut Cx<'_>,
    actions: &serde_json::Map<String, Value>,
    options: &ImportOptions,
) -> Vec<String> {
    let mut wanted: Vec<String> = match &options.actions {
        Some(list) => {
            for a in list {
                if !actions.contains_key(a) {
                    let hint = actions
                        .keys()
                        .find(|k| k.eq_ignore_ascii_case(a))
                        .map(|k| format!(" (did you mean `{k}`?)"))
                        .unwrap_or_default();
                    cx.err(
                        "$.actions",
                        format!("no action `{a}` in the definition{hint}"),
                    );
                }
            }
            list.clone()
        }
        None => actions.keys().cloned().collect(),
    };
    wanted.sort();
    wanted.dedup();
    wanted
}

/// The shapes the wanted actions reach, in order of first reach, and how each
/// is used (in an input, an output, or both).
fn reached_shapes(
    cx: &mut Cx<'_>,
    actions: &serde_json::Map<String, Value>,
    objects: &serde_json::Map<String, Value>,
    wanted: &[String],
) -> (Vec<String>, BTreeMap<String, Usage>) {
    let mut order: Vec<String> = Vec::new();
    let mut usage: BTreeMap<String, Usage> = BTreeMap::new();
    let mut visit = |root: &str, output: bool, cx: &mut Cx<'_>, order: &mut Vec<String>| {
        let mut stack = vec![root.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(s) = stack.pop() {
            if !seen.insert(s.clone()) {
                continue;
            }
            let Some(obj) = objects.get(&s) else {
                cx.err(format!("$.objects.{s}"), "referenced but not defined");
                continue;
            };
            if !order.contains(&s) {
                order.push(s.clone());
            }
            let u = usage.entry(s.clone()).or_default();
            if output {
                u.output = true;
            } else {
                u.input = true;
            }
            let members = obj.get("members").and_then(Value::as_array);
            for m in members.into_iter().flatten().rev() {
                let ty = str_at(m, "type").unwrap_or("");
                let member = str_at(m, "member").unwrap_or("");
                if (ty == "object" || ty == "list") && objects.contains_key(member) {
                    stack.push(member.to_owned());
                }
            }
        }
    };
    for a in wanted {
        let def = &actions[a];
        for (field, output) in [("input", false), ("output", true)] {
            match str_at(def, field) {
                Some(shape) => visit(shape, output, cx, &mut order),
                None => cx.err(format!("$.actions.{a}.{field}"), "missing"),
            }
        }
    }
    (order, usage)
}

/// The wanted actions as the spec has them (what the published definition
/// lacks, such as regions, is left for the curated spec).
fn import_actions(
    actions: &serde_json::Map<String, Value>,
    wanted: &[String],
) -> UniqueMap<Action> {
    let mut out_actions = UniqueMap::new();
    for a in wanted {
        let def = &actions[a];
        out_actions.insert(
            a.clone(),
            Action {
                title: str_at(def, "name")
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned),
                description: description(str_at(def, "document")),
                notes: None,
                sources: None,
                input: str_at(def, "input").unwrap_or("").to_owned(),
                output: str_at(def, "output").unwrap_or("").to_owned(),
                regions: Vec::new(),
                rate_limit: None,
                endpoint: None,
                international_endpoint: None,
                stream: None,
                paginator: None,
                deprecated: str_at(def, "status") == Some("deprecated"),
                errors: UniqueMap::new(),
                examples: Vec::new(),
                rust_name: None,
                editions: Vec::new(),
                language: None,
            },
        );
    }
    out_actions
}

/// The service's name and API version from the definition's metadata.
fn name_and_version(cx: &mut Cx<'_>, metadata: &Value) -> (String, String) {
    let name = str_at(metadata, "serviceShortName")
        .unwrap_or("")
        .to_owned();
    let version = str_at(metadata, "apiVersion").unwrap_or("").to_owned();
    if name.is_empty() {
        cx.err(
            "$.metadata.serviceShortName",
            "missing: the service name is needed",
        );
    }
    if version.is_empty() {
        cx.err(
            "$.metadata.apiVersion",
            "missing: the API version is needed",
        );
    }
    (name, version)
}

/// The service's facts: the hosts follow Tencent's naming.
fn service(metadata: &Value, name: String, version: String) -> crate::spec::Service {
    crate::spec::Service {
        endpoint: format!("{name}.tencentcloudapi.com"),
        international_endpoint: Some(format!("{name}.intl.tencentcloudapi.com")),
        title: str_at(metadata, "serviceNameEN")
            .or_else(|| str_at(metadata, "serviceNameCN"))
            .map(str::to_owned),
        description: None,
        name,
        version,
    }
}

/// Converts a published definition into a spec. `examples` is the parsed
/// `examples.json`, if any.
pub fn import(
    api_path: &Path,
    api: &Value,
    examples: Option<(&Path, &Value)>,
    options: &ImportOptions,
) -> Result<(Spec, ImportReport), SpecErrors> {
    let mut cx = Cx {
        file: api_path,
        errors: Vec::new(),
    };
    let mut report = ImportReport::default();
    let metadata = api.get("metadata").cloned().unwrap_or(Value::Null);
    let (name, version) = name_and_version(&mut cx, &metadata);
    let Some(actions) = api.get("actions").and_then(Value::as_object) else {
        cx.err("$.actions", "missing or not an object");
        return Err(SpecErrors(cx.errors));
    };
    let Some(objects) = api.get("objects").and_then(Value::as_object) else {
        cx.err("$.objects", "missing or not an object");
        return Err(SpecErrors(cx.errors));
    };

    let wanted = wanted_actions(&mut cx, actions, options);
    if !cx.errors.is_empty() {
        return Err(SpecErrors(cx.errors));
    }

    let (order, usage) = reached_shapes(&mut cx, actions, objects, &wanted);
    let output_shapes: BTreeSet<String> = wanted
        .iter()
        .filter_map(|a| str_at(&actions[a], "output").map(str::to_owned))
        .collect();
    let mut shapes = UniqueMap::new();
    for s in &order {
        let obj = &objects[s];
        let u = usage.get(s).copied().unwrap_or_default();
        let mut members = UniqueMap::new();
        let list = obj.get("members").and_then(Value::as_array);
        for (i, m) in list.into_iter().flatten().enumerate() {
            let path = format!("$.objects.{s}.members[{i}]");
            let Some(mname) = str_at(m, "name") else {
                cx.err(&path, "member without a name");
                continue;
            };
            // `disabled` members are the ones the official SDKs keep but mark
            // deprecated (they warn on use): do the same.
            let disabled = bool_at(m, "disabled");
            let (ty, items) = match map_type(
                str_at(m, "type").unwrap_or(""),
                str_at(m, "member").unwrap_or(""),
            ) {
                Ok(t) => t,
                Err(e) => {
                    cx.err(&path, format!("`{mname}`: {e}"));
                    continue;
                }
            };
            let input_required = bool_at(m, "required");
            let output_required = bool_at(m, "output_required");
            let nullable = bool_at(m, "value_allowed_null");
            let is_request_id = mname == "RequestId" && output_shapes.contains(s);
            let required = is_request_id
                || match (u.input, u.output) {
                    (true, false) => input_required,
                    (false, true) => output_required && !nullable,
                    (true, true) => input_required && output_required && !nullable,
                    (false, false) => false,
                };
            if members.contains_key(mname) {
                cx.err(&path, format!("member `{mname}` is defined twice"));
                continue;
            }
            members.insert(
                mname,
                Member {
                    ty,
                    items,
                    required,
                    nullable: nullable && u.output && !is_request_id,
                    sensitive: is_sensitive_name(mname),
                    deprecated: disabled || str_at(m, "status") == Some("deprecated"),
                    description: description(str_at(m, "document")),
                    example: example_text(str_at(m, "example")),
                    rust_name: None,
                    editions: Vec::new(),
                    language: None,
                    json: None,
                    limits: Vec::new(),
                },
            );
        }
        shapes.insert(
            s.clone(),
            Shape {
                kind: ShapeKind::Structure,
                description: description(str_at(obj, "document")),
                members: Some(members),
                base: None,
                values: None,
                deprecated: str_at(obj, "status") == Some("deprecated"),
                rust_name: None,
                editions: Vec::new(),
                language: None,
            },
        );
    }

    let out_actions = import_actions(actions, &wanted);
    if !cx.errors.is_empty() {
        return Err(SpecErrors(cx.errors));
    }
    let mut spec = Spec {
        format: SERVICE_FORMAT.to_owned(),
        service: service(&metadata, name, version),
        actions: out_actions,
        shapes,
        errors: UniqueMap::new(),
        callbacks: None,
        json_types: None,
        waiters: UniqueMap::new(),
    };
    report.actions = spec.actions.len();
    report.shapes = spec.shapes.len();
    report.limits = crate::upstream::limits::extract_spec(&mut spec);
    report.notes.push(
        "actions' regions, rate limits and documented error codes are not in the published \
         definition: add them to the spec by hand (a merge with --into keeps them)"
            .to_owned(),
    );
    if let Some((path, examples)) = examples {
        attach_examples(&mut spec, path, examples, &mut report);
    }
    report.limits.widened = crate::upstream::limits::admit_examples(&mut spec);
    Ok((spec, report))
}

/// The body of an HTTP request text: what follows the first blank line, or,
/// when the blank line is missing, from the first line that opens a JSON object.
fn http_body(text: &str) -> Option<&str> {
    if let Some(i) = text.find("\n\n") {
        return Some(&text[i + 2..]);
    }
    if let Some(i) = text.find("\r\n\r\n") {
        return Some(&text[i + 4..]);
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('{') {
            return Some(&text[offset..]);
        }
        offset += line.len();
    }
    None
}

/// Query parameters the documentation shows but that are not the action's input.
const COMMON_PARAMS: &[&str] = &[
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Token",
    "Language",
    "RequestClient",
];

fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .ok_or_else(|| format!("bad escape in `{s}`"))?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("bad escape in `{s}`"))?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{s}` is not UTF-8 once decoded"))
}

/// Converts a GET example (`https://host/?Action=X&Key=Value&...`) into the JSON
/// body the same call sends as a POST, typing each value by the input shape.
fn query_to_json(spec: &Spec, input: &str, text: &str) -> Result<Value, String> {
    let query = text
        .split_once('?')
        .map(|(_, q)| q)
        .ok_or("no query string")?;
    let mut root = Value::Object(serde_json::Map::new());
    for part in query.split(['&', '\n']) {
        let part = part.trim();
        if part.is_empty() || part.starts_with('<') {
            continue;
        }
        let (key, raw) = part
            .split_once('=')
            .ok_or_else(|| format!("query parameter `{part}` has no value"))?;
        if COMMON_PARAMS.contains(&key) {
            continue;
        }
        let value = percent_decode(raw)?;
        let segments: Vec<&str> = key.split('.').collect();
        set_query_value(spec, input, &mut root, &segments, &value)
            .map_err(|e| format!("query parameter `{key}`: {e}"))?;
    }
    Ok(root)
}

fn typed_scalar(spec: &Spec, ty: &str, raw: &str) -> Result<Value, String> {
    let base = match spec.shapes.get(ty) {
        Some(s) if s.kind == ShapeKind::Enum => s.base.as_deref().unwrap_or("string"),
        Some(_) => return Err(format!("`{raw}` given for structure `{ty}`")),
        None => ty,
    };
    match Prim::parse(base) {
        Some(p) => p
            .from_text(raw)
            .map_err(|expected| format!("`{raw}` is not {expected}")),
        // Not a type of the spec format: kept as text.
        None => Ok(Value::String(raw.to_owned())),
    }
}

fn set_query_value(
    spec: &Spec,
    shape: &str,
    target: &mut Value,
    segments: &[&str],
    raw: &str,
) -> Result<(), String> {
    let (name, rest) = segments.split_first().ok_or("empty name")?;
    let member = spec
        .shapes
        .get(shape)
        .and_then(|s| s.members.as_ref())
        .and_then(|m| m.get(name))
        .ok_or_else(|| format!("`{name}` is not a member of `{shape}`"))?;
    let obj = target.as_object_mut().ok_or("not an object")?;
    if member.ty == "list" {
        let items = member.items.as_deref().unwrap_or("string");
        let (index, rest) = rest
            .split_first()
            .ok_or("a list needs an index (`Name.0`)")?;
        let index: usize = index
            .parse()
            .map_err(|_| format!("`{index}` is not a list index"))?;
        let list = obj
            .entry(name.to_string())
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .ok_or("mixed list and scalar")?;
        if index > list.len() {
            return Err(format!("list index {index} skips {}", list.len()));
        }
        let is_struct = spec
            .shapes
            .get(items)
            .is_some_and(|s| s.kind == ShapeKind::Structure);
        if index == list.len() {
            list.push(if is_struct {
                Value::Object(serde_json::Map::new())
            } else {
                Value::Null
            });
        }
        if is_struct {
            set_query_value(spec, items, &mut list[index], rest, raw)
        } else if rest.is_empty() {
            list[index] = typed_scalar(spec, items, raw)?;
            Ok(())
        } else {
            Err("a scalar list element has no members".to_owned())
        }
    } else if spec
        .shapes
        .get(&member.ty)
        .is_some_and(|s| s.kind == ShapeKind::Structure)
    {
        let child = obj
            .entry(name.to_string())
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        set_query_value(spec, &member.ty, child, rest, raw)
    } else if rest.is_empty() {
        obj.insert(name.to_string(), typed_scalar(spec, &member.ty, raw)?);
        Ok(())
    } else {
        Err(format!("`{name}` is a scalar and has no members"))
    }
}

fn attach_examples(spec: &mut Spec, path: &Path, examples: &Value, report: &mut ImportReport) {
    let Some(by_action) = examples.get("actions").and_then(Value::as_object) else {
        report.notes.push(format!(
            "{}: no `actions` object; no examples imported",
            path.display()
        ));
        return;
    };
    let names: Vec<String> = spec.actions.iter().map(|(n, _)| n.to_owned()).collect();
    for name in names {
        let Some(list) = by_action.get(&name).and_then(Value::as_array) else {
            continue;
        };
        let (input, output) = {
            let a = spec
                .actions
                .get(&name)
                .map(|a| (a.input.clone(), a.output.clone()));
            a.unwrap_or_default()
        };
        let mut kept = Vec::new();
        for (i, ex) in list.iter().enumerate() {
            let title = str_at(ex, "title")
                .map(str::to_owned)
                .unwrap_or_else(|| format!("example {}", i + 1));
            let unusable = |reason: String| Unusable {
                action: name.clone(),
                title: title.clone(),
                reason,
            };
            match usable_example(spec, &input, &output, ex) {
                Ok((request, response)) => {
                    if kept.iter().any(|e: &Example| e.title == title) {
                        report
                            .unusable
                            .push(unusable("a second example with the same title".to_owned()));
                        continue;
                    }
                    kept.push(Example {
                        title: title.clone(),
                        description: description(str_at(ex, "document")),
                        request,
                        response,
                    });
                }
                Err(reason) => report.unusable.push(unusable(reason)),
            }
        }
        report.examples_used += kept.len();
        if let Some(a) = spec.actions.get_mut(&name) {
            a.examples = kept;
        }
    }
}

fn first_problems(problems: &[check::Problem]) -> String {
    let shown: Vec<String> = problems.iter().take(3).map(|p| p.to_string()).collect();
    let more = if problems.len() > 3 {
        format!(" (and {} more)", problems.len() - 3)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join("; "))
}

/// The request and response texts of an example, if both check against the
/// shapes. A GET example (query string) is converted to its JSON body.
fn usable_example(
    spec: &Spec,
    input: &str,
    output: &str,
    ex: &Value,
) -> Result<(String, String), String> {
    let http = str_at(ex, "input").ok_or("no request text")?;
    let trimmed = http.trim_start();
    let (request, request_text) =
        if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
            let v = query_to_json(spec, input, trimmed)
                .map_err(|e| format!("the GET request cannot be converted: {e}"))?;
            let mut buf = Vec::new();
            let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
            serde::Serialize::serialize(&v, &mut ser).map_err(|e| e.to_string())?;
            (v, String::from_utf8(buf).map_err(|e| e.to_string())?)
        } else {
            let body = http_body(http)
                .ok_or("the request text has no body")?
                .trim();
            if body.is_empty() {
                return Err("the request body is empty".to_owned());
            }
            let v: Value = serde_json::from_str(body)
                .map_err(|e| format!("the request body is not valid JSON: {e}"))?;
            (v, body.to_owned())
        };
    if !request.is_object() {
        return Err("the request body is not a JSON object".to_owned());
    }
    // A documented limit the example contradicts does not make it unusable:
    // the limit is widened to admit it (`limits::admit_examples`).
    let problems: Vec<_> = check::check(spec, input, &request, Direction::Request)
        .into_iter()
        .filter(|p| !p.is_limit())
        .collect();
    if !problems.is_empty() {
        return Err(format!(
            "the request does not match `{input}`: {}",
            first_problems(&problems)
        ));
    }
    let response_text = str_at(ex, "output").ok_or("no response text")?.trim();
    if response_text.is_empty() {
        return Err("the response is empty".to_owned());
    }
    if response_text.starts_with("data:") {
        return Err("the response is a server-sent event stream, not a JSON body".to_owned());
    }
    let response: Value = serde_json::from_str(response_text)
        .map_err(|e| format!("the response is not valid JSON: {e}"))?;
    let inner = response
        .get("Response")
        .filter(|r| r.is_object())
        .ok_or("the response has no `Response` object")?;
    if inner.get("Error").is_some() {
        return Err("the response is an error example".to_owned());
    }
    let problems: Vec<_> = check::check(spec, output, inner, Direction::Response)
        .into_iter()
        // Responses are parsed leniently: members the shape lacks are ignored.
        .filter(|p| !matches!(p.kind, check::ProblemKind::Unknown { .. }))
        .collect();
    if !problems.is_empty() {
        return Err(format!(
            "the response does not match `{output}`: {}",
            first_problems(&problems)
        ));
    }
    Ok((request_text, response_text.to_owned()))
}

/// The description given to an error code Tencent publishes without one (the
/// spec requires a description).
pub const UNDESCRIBED_CODE: &str = "Tencent publishes no description for this code.";

/// Sets the spec's service-wide error codes from `errorcodes.py` (parsed by
/// [`crate::upstream::parse_error_codes`]), in file order; codes without a
/// description get [`UNDESCRIBED_CODE`] and are counted in the report.
pub fn attach_error_codes(spec: &mut Spec, codes: &UniqueMap<String>, report: &mut ImportReport) {
    let mut errors = UniqueMap::new();
    for (code, description) in codes.iter() {
        let description = description.trim();
        if description.is_empty() {
            report.undescribed_error_codes += 1;
            errors.insert(code, UNDESCRIBED_CODE.to_owned());
        } else {
            errors.insert(code, description.to_owned());
        }
    }
    report.error_codes = errors.len();
    spec.errors = errors;
}

/// Imports a service version fetched by [`crate::upstream`]: `api.json`,
/// `examples.json` (when published) and the service-wide error codes of
/// `errorcodes.py`.
pub fn import_service(
    files: &crate::upstream::ServiceFiles,
    options: &ImportOptions,
) -> Result<(Spec, ImportReport), SpecErrors> {
    let (mut spec, mut report) = import_files(&files.api, files.examples.as_deref(), options)?;
    if files.examples.is_none() {
        report.notes.push(format!(
            "{} {} has no examples.json: no examples imported",
            files.service, files.version
        ));
    }
    let text = std::fs::read_to_string(&files.errorcodes).map_err(|e| SpecError {
        file: files.errorcodes.clone(),
        path: "$".to_owned(),
        message: format!("cannot read: {e}"),
    })?;
    let codes = crate::upstream::parse_error_codes(&files.errorcodes, &text)?;
    report.notes.extend(codes.warnings);
    attach_error_codes(&mut spec, &codes.codes, &mut report);
    Ok((spec, report))
}

/// Imports a service version from every edition that publishes it (as
/// [`crate::upstream::Pinned::service`] finds them): each edition alone, then
/// one spec by [`crate::upstream::editions::merge_editions`] when both do.
/// `options.actions` may name actions of either edition.
pub fn import_editions(
    files: &[(Edition, crate::upstream::ServiceFiles)],
    options: &ImportOptions,
) -> Result<(Spec, ImportReport), SpecErrors> {
    let mut names: Vec<(Edition, BTreeSet<String>)> = Vec::new();
    for (e, f) in files {
        let api: Value = crate::spec::read_json(&f.api)?;
        let actions = api
            .get("actions")
            .and_then(Value::as_object)
            .map(|a| a.keys().cloned().collect())
            .unwrap_or_default();
        names.push((*e, actions));
    }
    if let Some(wanted) = &options.actions {
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|a| names.iter().all(|(_, n)| !n.contains(*a)))
            .collect();
        if let (Some(a), Some((_, f))) = (missing.first(), files.first()) {
            let hint = names
                .iter()
                .flat_map(|(_, n)| n.iter())
                .find(|k| k.eq_ignore_ascii_case(a))
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            return Err(SpecErrors(vec![SpecError {
                file: f.api.clone(),
                path: "$.actions".to_owned(),
                message: format!("no action `{a}` in any edition's definition{hint}"),
            }]));
        }
    }
    let mut imports = Vec::new();
    for ((e, f), (_, available)) in files.iter().zip(&names) {
        let opts = ImportOptions {
            actions: options.actions.as_ref().map(|w| {
                w.iter()
                    .filter(|a| available.contains(*a))
                    .cloned()
                    .collect()
            }),
        };
        imports.push((*e, import_service(f, &opts)?));
    }
    if imports.len() < 2 {
        let Some((e, (mut spec, mut report))) = imports.pop() else {
            return Err(SpecErrors(Vec::new()));
        };
        crate::upstream::limits::tag_spec(&mut spec, &mut report.limits, e);
        report.limits.widened = crate::upstream::limits::admit_examples(&mut spec);
        report.notes.push(format!(
            "only the {e} edition publishes this service version"
        ));
        return Ok((spec, report));
    }
    let (_, (cn, cn_report)) = imports.pop().expect("two imports");
    let (_, (intl, intl_report)) = imports.pop().expect("two imports");
    let file = files[0].1.api.clone();
    let (spec, mut merge) = crate::upstream::editions::merge_editions(&file, intl, cn)?;
    let mut report = intl_report;
    let mut widened = [
        report.limits.widened.clone(),
        cn_report.limits.widened.clone(),
    ]
    .concat();
    report.limits = crate::upstream::limits::LimitReport::of_editions(
        &spec,
        report.limits,
        cn_report.limits,
        std::mem::take(&mut merge.limit_disagreements),
    );
    let mut spec = spec;
    widened.extend(crate::upstream::limits::admit_examples(&mut spec));
    widened.sort();
    widened.dedup();
    report.limits.widened = widened;
    report.actions = spec.actions.len();
    report.shapes = spec.shapes.len();
    report.examples_used = spec.actions.iter().map(|(_, a)| a.examples.len()).sum();
    report
        .unusable
        .extend(cn_report.unusable.into_iter().filter(|u| {
            spec.actions
                .get(&u.action)
                .is_some_and(|a| a.editions == [Edition::Mainland])
        }));
    report.error_codes = spec.errors.len();
    report.undescribed_error_codes = spec
        .errors
        .iter()
        .filter(|(_, d)| d.as_str() == UNDESCRIBED_CODE)
        .count();
    for n in cn_report.notes {
        if !report.notes.contains(&n) {
            report.notes.push(n);
        }
    }
    report.editions = Some(merge);
    Ok((spec, report))
}

/// Merges imported actions (and the shapes they reach) into an existing spec.
///
/// The existing spec is the base: only what the import owns is replaced, so
/// curated fields (and top-level sections the importer does not produce) are
/// kept by construction. The service-wide error codes are replaced when the
/// import has any (it read `errorcodes.py`).
///
/// Kept from the existing spec: the service block; each action's regions, rate
/// limit, errors, Rust name and examples (imported examples with new titles are
/// added); each member's Rust name and sensitivity, and its type when the
/// existing spec refined a primitive into an enum of the same base; enum shapes.
/// Taken from the import: everything else (members, requiredness, descriptions).
/// Shapes no action uses any more are removed. Returns notes on what changed.
pub fn merge(existing: &mut Spec, imported: Spec) -> Vec<String> {
    let mut notes = Vec::new();
    if !imported.errors.is_empty() {
        let added: Vec<&str> = imported
            .errors
            .iter()
            .filter(|(c, _)| !existing.errors.contains_key(c))
            .map(|(c, _)| c)
            .collect();
        let removed: Vec<&str> = existing
            .errors
            .iter()
            .filter(|(c, _)| !imported.errors.contains_key(c))
            .map(|(c, _)| c)
            .collect();
        if !added.is_empty() {
            notes.push(format!("added error codes: {}", added.join(", ")));
        }
        if !removed.is_empty() {
            notes.push(format!("removed error codes: {}", removed.join(", ")));
        }
        existing.errors = imported.errors.clone();
    }
    for (name, action) in imported.actions.0 {
        let merged = match existing.actions.get(&name) {
            None => {
                notes.push(format!("added action {name}"));
                action
            }
            Some(old) => merge_action(&name, old, action, &mut notes),
        };
        existing.actions.insert(name, merged);
    }
    for (name, shape) in imported.shapes.0 {
        let merged = match existing.shapes.get(&name) {
            None => {
                notes.push(format!("added shape {name}"));
                shape
            }
            // Curated enums refine what Tencent publishes as primitives.
            Some(old) if old.kind == ShapeKind::Enum => continue,
            Some(old) => merge_structure(existing, &name, old, shape, &mut notes),
        };
        existing.shapes.insert(name, merged);
    }
    notes.extend(prune_shapes(existing));
    // Examples kept from the spec may contradict the imported limits too
    // (not a change: the import gives the same limits each time).
    crate::upstream::limits::admit_examples(existing);
    notes
}

/// An existing action refreshed by an imported one: starts from the existing
/// action (so every curated field, present or future, is kept) and replaces
/// only what the import owns: input, output, deprecation, and the title and
/// description when the import has them; imported examples with new titles
/// are added.
fn merge_action(name: &str, old: &Action, imported: Action, notes: &mut Vec<String>) -> Action {
    let mut merged = old.clone();
    merged.input = imported.input;
    merged.output = imported.output;
    merged.deprecated = imported.deprecated;
    merged.editions = imported.editions;
    if imported.title.is_some() || imported.description.is_some() {
        merged.language = imported.language;
    }
    if imported.title.is_some() {
        merged.title = imported.title;
    }
    if imported.description.is_some() {
        merged.description = imported.description;
    }
    for ex in imported.examples {
        if !merged.examples.iter().any(|e| e.title == ex.title) {
            notes.push(format!("{name}: added example {:?}", ex.title));
            merged.examples.push(ex);
        }
    }
    merged
}

/// An existing structure refreshed by an imported one, in the same way: the
/// existing shape and members are the base; the import owns the member list
/// and order, each member's type (unless the spec refined a primitive into an
/// enum of the same base), requiredness, nullability, deprecation, example and
/// description (when it has one); sensitivity is kept once set.
fn merge_structure(
    spec: &Spec,
    name: &str,
    old: &Shape,
    imported: Shape,
    notes: &mut Vec<String>,
) -> Shape {
    let mut merged = old.clone();
    merged.kind = imported.kind;
    merged.deprecated = imported.deprecated;
    merged.editions = imported.editions;
    if imported.description.is_some() {
        merged.description = imported.description;
        merged.language = imported.language;
    }
    let enum_base = |ty: Option<&str>| {
        ty.and_then(|t| spec.shapes.get(t))
            .filter(|s| s.kind == ShapeKind::Enum)
            .and_then(|s| s.base.clone())
    };
    let empty = UniqueMap::new();
    let old_members = old.members.as_ref().unwrap_or(&empty);
    let mut members = UniqueMap::new();
    for (wire, m) in imported.members.unwrap_or_else(UniqueMap::new).0 {
        let Some(o) = old_members.get(&wire) else {
            notes.push(format!("{name}: added member {wire}"));
            members.insert(wire, m);
            continue;
        };
        let mut n = o.clone();
        let refined = m.ty != "list" && enum_base(Some(&o.ty)).as_deref() == Some(m.ty.as_str());
        let refined_items = o.ty == "list"
            && m.ty == "list"
            && enum_base(o.items.as_deref())
                .is_some_and(|b| Some(b.as_str()) == m.items.as_deref());
        if !refined && !refined_items {
            n.ty = m.ty;
            n.items = m.items;
        }
        n.required = m.required;
        n.nullable = m.nullable;
        n.deprecated = m.deprecated;
        n.sensitive |= m.sensitive;
        if n.json.is_some() && n.ty != "string" {
            notes.push(format!(
                "{name}.{wire}: no longer a string, so no longer typed as JSON"
            ));
            n.json = None;
        }
        n.example = m.example;
        n.editions = m.editions;
        // The import owns the limits; a curated enum documents the values.
        n.limits = m.limits;
        if refined || refined_items {
            n.limits
                .retain(|l| l.kind != crate::limits::LimitKind::Values);
        }
        if m.description.is_some() {
            n.description = m.description;
            n.language = m.language;
        }
        members.insert(wire, n);
    }
    for (wire, _) in old_members.iter() {
        if !members.contains_key(wire) {
            notes.push(format!("{name}: removed member {wire}"));
        }
    }
    merged.members = Some(members);
    merged
}

/// Removes `actions` from `spec`, and the shapes no other action uses.
/// Returns notes on what was removed.
pub fn remove_actions(spec: &mut Spec, actions: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    for a in actions {
        if spec.actions.remove(a).is_some() {
            notes.push(format!("removed action {a}"));
        }
    }
    notes.extend(prune_shapes(spec));
    notes
}

/// Drops the shapes no action reaches any more (through members or streamed
/// events); returns a note for each.
fn prune_shapes(existing: &mut Spec) -> Vec<String> {
    let mut notes = Vec::new();
    let mut used = BTreeSet::new();
    let mut stack: Vec<String> = existing
        .root_shapes()
        .into_iter()
        .map(str::to_owned)
        .collect();
    while let Some(s) = stack.pop() {
        if !used.insert(s.clone()) {
            continue;
        }
        if let Some(members) = existing.shapes.get(&s).and_then(|sh| sh.members.as_ref()) {
            for (_, m) in members.iter() {
                let t = if m.ty == "list" {
                    m.items.clone().unwrap_or_default()
                } else {
                    m.ty.clone()
                };
                if existing.shapes.contains_key(&t) {
                    stack.push(t);
                }
            }
        }
    }
    let before: Vec<String> = existing.shapes.iter().map(|(n, _)| n.to_owned()).collect();
    for name in before {
        if !used.contains(&name) {
            existing.shapes.remove(&name);
            notes.push(format!("removed unused shape {name}"));
        }
    }
    notes
}

/// Reads `api.json` (and optionally `examples.json`) and imports.
pub fn import_files(
    api_path: &Path,
    examples_path: Option<&Path>,
    options: &ImportOptions,
) -> Result<(Spec, ImportReport), SpecErrors> {
    let api: Value = crate::spec::read_json(api_path)?;
    let examples: Option<Value> = match examples_path {
        Some(p) => Some(crate::spec::read_json(p)?),
        None => None,
    };
    import(
        api_path,
        &api,
        examples.as_ref().zip(examples_path).map(|(v, p)| (p, v)),
        options,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> Value {
        serde_json::json!({
            "metadata": {"apiVersion": "2020-01-01", "serviceShortName": "demo"},
            "actions": {
                "GetThing": {"input": "GetThingRequest", "output": "GetThingResponse", "name": "Get a thing", "document": "<p>Gets it.</p>", "status": "online"},
                "OldThing": {"input": "OldThingRequest", "output": "OldThingResponse", "name": "Old", "document": "", "status": "deprecated"}
            },
            "objects": {
                "GetThingRequest": {"members": [
                    {"name": "Id", "type": "int", "member": "uint64", "required": true, "document": "The id", "example": "1"},
                    {"name": "UserSig", "type": "string", "member": "string", "required": false, "document": "", "example": "无"},
                    {"name": "Hidden", "type": "string", "member": "string", "disabled": true, "document": ""}
                ]},
                "GetThingResponse": {"members": [
                    {"name": "Thing", "type": "object", "member": "Thing", "output_required": true, "value_allowed_null": true, "document": ""},
                    {"name": "RequestId", "type": "string", "member": "string", "document": ""}
                ]},
                "Thing": {"members": [
                    {"name": "Tags", "type": "list", "member": "string", "output_required": true, "document": ""},
                    {"name": "At", "type": "string", "member": "datetime", "output_required": true, "document": ""}
                ]},
                "OldThingRequest": {"members": []},
                "OldThingResponse": {"members": [{"name": "RequestId", "type": "string", "member": "string", "document": ""}]}
            }
        })
    }

    #[test]
    fn maps_types_requiredness_and_docs() {
        let (spec, report) = import(
            Path::new("api.json"),
            &api(),
            None,
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(spec.service.name, "demo");
        assert_eq!(spec.service.endpoint, "demo.tencentcloudapi.com");
        assert_eq!(report.actions, 2);
        let req = spec
            .shapes
            .get("GetThingRequest")
            .unwrap()
            .members
            .as_ref()
            .unwrap();
        assert_eq!(req.get("Id").unwrap().ty, "uint64");
        assert!(req.get("Id").unwrap().required);
        assert!(req.get("UserSig").unwrap().sensitive);
        assert_eq!(req.get("UserSig").unwrap().example, None);
        assert!(
            req.get("Hidden").unwrap().deprecated,
            "disabled members are kept, deprecated"
        );
        let resp = spec
            .shapes
            .get("GetThingResponse")
            .unwrap()
            .members
            .as_ref()
            .unwrap();
        let thing = resp.get("Thing").unwrap();
        assert!(!thing.required && thing.nullable);
        assert!(resp.get("RequestId").unwrap().required);
        let t = spec.shapes.get("Thing").unwrap().members.as_ref().unwrap();
        assert_eq!(t.get("Tags").unwrap().items.as_deref(), Some("string"));
        assert_eq!(t.get("At").unwrap().ty, "datetime");
        assert!(spec.actions.get("OldThing").unwrap().deprecated);
        assert_eq!(
            spec.actions.get("GetThing").unwrap().description.as_deref(),
            Some("Gets it.")
        );
    }

    #[test]
    fn action_subset_and_unknown_action() {
        let opts = ImportOptions {
            actions: Some(vec!["GetThing".into()]),
        };
        let (spec, _) = import(Path::new("api.json"), &api(), None, &opts).unwrap();
        assert_eq!(spec.actions.len(), 1);
        assert!(spec.shapes.get("OldThingRequest").is_none());
        let opts = ImportOptions {
            actions: Some(vec!["getthing".into()]),
        };
        let e = import(Path::new("api.json"), &api(), None, &opts).unwrap_err();
        assert!(e.to_string().contains("did you mean `GetThing`"), "{e}");
    }

    #[test]
    fn examples_are_kept_or_reported() {
        let examples = serde_json::json!({"actions": {"GetThing": [
            {"title": "ok", "document": "", "input": "POST / HTTP/1.1\nHost: x\n\n{\"Id\": 1}", "output": "{\"Response\": {\"Thing\": null, \"RequestId\": \"r\"}}"},
            {"title": "bad json", "document": "", "input": "POST / HTTP/1.1\n\n{\"Id\": 1,}", "output": "{}"},
            {"title": "wrong name", "document": "", "input": "POST / HTTP/1.1\n\n{\"ID\": 1}", "output": "{}"},
            {"title": "empty", "document": "", "input": "POST / HTTP/1.1\n\n", "output": "{}"},
            {"title": "no body", "document": "", "input": "POST / HTTP/1.1", "output": "{}"}
        ]}});
        let (spec, report) = import(
            Path::new("api.json"),
            &api(),
            Some((Path::new("examples.json"), &examples)),
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(report.examples_used, 1);
        assert_eq!(
            spec.actions.get("GetThing").unwrap().examples[0].request,
            "{\"Id\": 1}"
        );
        let reasons: Vec<String> = report
            .unusable
            .iter()
            .map(|u| format!("{}: {}", u.title, u.reason))
            .collect();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert!(reasons[0].starts_with("bad json: the request body is not valid JSON"));
        assert!(
            reasons[1].contains("unknown member `ID` (the shape has `Id`)"),
            "{}",
            reasons[1]
        );
        assert!(reasons[2].starts_with("empty: the request body is empty"));
        assert!(reasons[3].starts_with("no body: the request text has no body"));
    }

    #[test]
    fn merge_keeps_curation() {
        let (mut existing, _) = import(
            Path::new("api.json"),
            &api(),
            None,
            &ImportOptions::default(),
        )
        .unwrap();
        existing.actions.get_mut("GetThing").unwrap().regions = vec!["ap-guangzhou".into()];
        existing.actions.get_mut("GetThing").unwrap().rate_limit =
            Some(crate::spec::RateLimit::per_second(20));
        {
            let a = existing.actions.get_mut("GetThing").unwrap();
            a.notes = Some("Curated.".into());
            a.sources = Some("Tencent's page.".into());
            a.endpoint = Some("demo.ai.tencentcloudapi.com".into());
            a.paginator = Some(crate::spec::PaginatorSpec::Off);
            a.rust_name = Some("fetch_thing".into());
            a.errors
                .insert("FailedOperation.X", "Documented.".to_owned());
            let thing = existing.shapes.get_mut("Thing").unwrap();
            thing.rust_name = Some("Item".into());
            let tags = thing.members.as_mut().unwrap().get_mut("Tags").unwrap();
            tags.rust_name = Some("labels".into());
            tags.sensitive = true;
        }
        existing.shapes.insert(
            "IdKind",
            Shape {
                kind: ShapeKind::Enum,
                description: None,
                members: None,
                base: Some("uint64".into()),
                values: Some(vec![crate::spec::EnumValue {
                    name: "One".into(),
                    value: 1.into(),
                    description: None,
                }]),
                deprecated: false,
                rust_name: None,
                editions: Vec::new(),
                language: None,
            },
        );
        existing
            .shapes
            .get_mut("GetThingRequest")
            .unwrap()
            .members
            .as_mut()
            .unwrap()
            .get_mut("Id")
            .unwrap()
            .ty = "IdKind".into();
        let curated = existing.clone();
        let (again, _) = import(
            Path::new("api.json"),
            &api(),
            None,
            &ImportOptions::default(),
        )
        .unwrap();
        let notes = merge(&mut existing, again);
        assert_eq!(existing, curated, "{notes:?}");
    }

    #[test]
    fn error_codes_are_attached_with_placeholders_and_refreshed_by_merge() {
        let (mut spec, mut report) = import(
            Path::new("api.json"),
            &api(),
            None,
            &ImportOptions::default(),
        )
        .unwrap();
        let codes: UniqueMap<String> = UniqueMap(vec![
            ("AuthFailure".into(), "CAM signature error.".into()),
            ("FailedOperation.X".into(), " ".into()),
        ]);
        attach_error_codes(&mut spec, &codes, &mut report);
        assert_eq!(
            spec.errors.get("FailedOperation.X").map(String::as_str),
            Some(UNDESCRIBED_CODE)
        );
        assert_eq!((report.error_codes, report.undescribed_error_codes), (2, 1));
        assert!(report
            .to_string()
            .contains("2 service error codes (1 without"));

        // A merge replaces the codes with the imported ones, and an import
        // without codes keeps them.
        let mut existing = spec.clone();
        existing.errors = UniqueMap(vec![("Gone".into(), "old".into())]);
        let notes = merge(&mut existing, spec.clone());
        assert_eq!(existing.errors, spec.errors);
        assert!(
            notes.contains(&"removed error codes: Gone".to_owned()),
            "{notes:?}"
        );
        assert!(
            notes.contains(&"added error codes: AuthFailure, FailedOperation.X".to_owned()),
            "{notes:?}"
        );
        let mut without = spec.clone();
        without.errors = UniqueMap::new();
        merge(&mut existing, without);
        assert_eq!(existing.errors, spec.errors);
    }

    #[test]
    fn removing_actions_drops_their_shapes() {
        let (mut spec, _) = import(
            Path::new("api.json"),
            &api(),
            None,
            &ImportOptions::default(),
        )
        .unwrap();
        let notes = remove_actions(&mut spec, &["GetThing".to_owned()]);
        assert!(!spec.actions.contains_key("GetThing"));
        for s in ["GetThingRequest", "GetThingResponse", "Thing"] {
            assert!(!spec.shapes.contains_key(s), "{s}");
            assert!(
                notes.contains(&format!("removed unused shape {s}")),
                "{notes:?}"
            );
        }
        assert!(spec.shapes.contains_key("OldThingRequest"));
    }
}
