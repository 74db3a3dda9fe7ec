//! The action's input: from `--cli-input-json` and the member options, checked
//! against the input shape before anything is sent; and skeletons.

use std::io::Read;

use clap::ArgMatches;
use serde_json::{Map, Value};
use tencentcloud_spec::check::{self, Direction};
use tencentcloud_spec::{Action, Member, Prim, Spec};

use crate::error::CliError;
use crate::table;

/// Reads an argument value: `file://PATH` reads the file, `-` (where allowed) stdin.
pub fn read_value(raw: &str, what: &str, stdin_ok: bool) -> Result<String, CliError> {
    if let Some(path) = raw.strip_prefix("file://") {
        return std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("{what}: cannot read {path}: {e}")));
    }
    if stdin_ok && raw == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| CliError::usage(format!("{what}: cannot read stdin: {e}")))?;
        return Ok(s);
    }
    Ok(raw.to_owned())
}

fn parse_json(text: &str, what: &str) -> Result<Value, CliError> {
    serde_json::from_str(text).map_err(|e| {
        CliError::usage(format!(
            "{what}: malformed JSON at line {} column {}: {e}",
            e.line(),
            e.column()
        ))
    })
}

/// Converts one option's text into the member's JSON value.
fn member_value(spec: &Spec, wire: &str, m: &Member, raw: &str) -> Result<Value, CliError> {
    let flag = match table::option_name(wire) {
        Some(k) => format!("--{k}"),
        None => format!("--{wire}"),
    };
    let what = format!("{flag} ({wire})");
    let text = read_value(raw, &what, false)?;
    if table::is_json(spec, m) {
        return parse_json(&text, &what);
    }
    // An enum takes its base type; anything else here is a primitive.
    let ty = spec
        .shapes
        .get(&m.ty)
        .and_then(|s| s.base.clone())
        .unwrap_or_else(|| m.ty.clone());
    match Prim::parse(&ty) {
        Some(p) => p.from_text(&text).map_err(|expected| {
            CliError::usage(format!(
                "{what}: expected {expected}, found `{text}` (member `{wire}`)"
            ))
        }),
        None => Ok(Value::String(text)),
    }
}

/// The input of `action` from the command line, checked against its shape.
pub fn build(
    spec: &Spec,
    action: &Action,
    matches: &ArgMatches,
    paginated_size: Option<&str>,
) -> Result<Value, CliError> {
    let mut input = match matches.get_one::<String>("cli-input-json") {
        Some(raw) => {
            let text = read_value(raw, "--cli-input-json", true)?;
            match parse_json(&text, "--cli-input-json")? {
                Value::Object(m) => m,
                other => {
                    return Err(CliError::usage(format!(
                        "--cli-input-json: expected a JSON object, found {}",
                        kind(&other)
                    )))
                }
            }
        }
        None => Map::new(),
    };
    let members = spec
        .shapes
        .get(&action.input)
        .and_then(|s| s.members.as_ref());
    for (wire, m) in members.iter().flat_map(|m| m.iter()) {
        if let Some(raw) = matches.get_one::<String>(&format!("member:{wire}")) {
            input.insert(wire.to_owned(), member_value(spec, wire, m, raw)?);
        }
    }
    if let (Some(size_member), Some(n)) = (paginated_size, matches.get_one::<u64>("page-size")) {
        input.insert(size_member.to_owned(), Value::from(*n));
    }
    let value = Value::Object(input);
    let skip_limits = matches
        .try_get_one::<bool>("skip-limit-checks")
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false);
    let (limits, problems): (Vec<_>, Vec<_>) =
        check::check(spec, &action.input, &value, Direction::Request)
            .into_iter()
            .partition(|p| p.is_limit());
    if problems.is_empty() && !limits.is_empty() && !skip_limits {
        let lines: Vec<String> = limits.iter().map(|p| format!("  {p}")).collect();
        return Err(CliError::usage(format!(
            "{} not sent: values outside their documented limits:\n{}\n\
             If the documentation is stale, --skip-limit-checks sends it anyway.",
            action_name(spec, action),
            lines.join("\n")
        )));
    }
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        return Err(CliError::usage(format!(
            "the input does not match {} (nothing was sent):\n{}",
            action.input,
            lines.join("\n")
        )));
    }
    Ok(value)
}

fn action_name<'s>(spec: &'s Spec, action: &Action) -> &'s str {
    spec.actions
        .iter()
        .find(|(_, a)| std::ptr::eq(*a, action))
        .map_or("the request", |(n, _)| n)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A skeleton of a shape, in the spec's member order, as pretty JSON: every
/// member with a placeholder of its type (lists hold one element).
pub fn skeleton(spec: &Spec, ty: &str) -> String {
    let mut out = String::new();
    skel(spec, ty, 0, &mut out);
    out.push('\n');
    out
}

/// The first documented example of JSON type `name` (`{}` for one without),
/// for the skeleton of a member carrying JSON in a string.
fn json_example(spec: &Spec, name: &str) -> Option<String> {
    let t = spec.json_types.as_ref()?.types.get(name)?;
    let variant_providers = t
        .variants
        .iter()
        .flat_map(|v| v.iter())
        .flat_map(|(_, v)| v.providers.iter());
    let own = t.providers.iter().flat_map(|p| p.iter());
    Some(
        variant_providers
            .chain(own)
            .find_map(|(_, p)| p.example.clone())
            .unwrap_or_else(|| "{}".to_owned()),
    )
}

fn skel(spec: &Spec, ty: &str, depth: usize, out: &mut String) {
    if let Some(p) = Prim::parse(ty) {
        out.push_str(&p.zero().to_string());
        return;
    }
    let Some(shape) = spec.shapes.get(ty) else {
        out.push_str("null");
        return;
    };
    if let Some(values) = &shape.values {
        out.push_str(
            &values
                .first()
                .map(|v| v.value.to_string())
                .unwrap_or_else(|| "null".into()),
        );
        return;
    }
    let members: Vec<_> = shape.members.iter().flat_map(|m| m.iter()).collect();
    if members.is_empty() || depth > 6 {
        out.push_str("{}");
        return;
    }
    let pad = "    ".repeat(depth + 1);
    out.push_str("{\n");
    for (i, (wire, m)) in members.iter().enumerate() {
        out.push_str(&pad);
        out.push_str(&Value::String((*wire).to_owned()).to_string());
        out.push_str(": ");
        let within =
            |prim: Prim| tencentcloud_spec::limits::satisfying(&m.limits, &prim.zero()).to_string();
        if m.ty == "list" {
            out.push_str("[\n");
            out.push_str(&"    ".repeat(depth + 2));
            match Prim::parse(m.target()) {
                // A placeholder inside the member's documented limits.
                Some(p) if !m.limits.is_empty() => out.push_str(&within(p)),
                _ => skel(spec, m.target(), depth + 2, out),
            }
            out.push('\n');
            out.push_str(&pad);
            out.push(']');
        } else if let Some(example) = m.json.as_deref().and_then(|j| json_example(spec, j)) {
            // JSON carried in a string: a documented provider's example, as a string.
            out.push_str(&Value::String(example).to_string());
        } else {
            match Prim::parse(m.target()) {
                Some(p) if !m.limits.is_empty() => out.push_str(&within(p)),
                _ => skel(spec, m.target(), depth + 1, out),
            }
        }
        if i + 1 < members.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str(&"    ".repeat(depth));
    out.push('}');
}
