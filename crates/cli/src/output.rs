//! Output formats (json, yaml, table, text) and `--query` (JMESPath).

use std::fmt::Write as _;

use serde_json::Value;

use crate::error::CliError;

/// An output format: the one list of names `--output` and a profile's
/// `output` accept (an unknown name is a usage error, never a fallback).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON: indented on a terminal, compact in a pipe.
    Json,
    /// YAML (block style).
    Yaml,
    /// A table of the scalar members; lists of objects as rows.
    Table,
    /// Tab-separated values, one line per object, as tccli/AWS CLI `text`.
    Text,
}

impl Format {
    /// The format named `name` (`json`, `yaml`, `table`, `text`).
    pub fn parse(name: &str) -> Result<Format, CliError> {
        <Format as clap::ValueEnum>::from_str(name, false).map_err(|_| {
            let names: Vec<String> = <Format as clap::ValueEnum>::value_variants()
                .iter()
                .filter_map(clap::ValueEnum::to_possible_value)
                .map(|v| v.get_name().to_owned())
                .collect();
            CliError::usage(format!(
                "unknown output format `{name}`: expected one of {}",
                names.join(", ")
            ))
        })
    }
}

/// Applies a JMESPath expression.
pub fn query(expr: &str, value: &Value) -> Result<Value, CliError> {
    let compiled = jmespath::compile(expr)
        .map_err(|e| CliError::usage(format!("--query: invalid JMESPath expression: {e}")))?;
    let result = compiled
        .search(value)
        .map_err(|e| CliError::usage(format!("--query: {e}")))?;
    serde_json::to_value(&*result).map_err(|e| CliError::internal(format!("--query: {e}")))
}

/// Renders `value` in `format` (with a final newline); JSON is indented on a
/// terminal (`tty`).
pub fn render(value: &Value, format: Format, tty: bool) -> String {
    match format {
        Format::Json if tty => {
            let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Json => {
            let mut s = value.to_string();
            s.push('\n');
            s
        }
        Format::Yaml => {
            let mut s = String::new();
            yaml(value, 0, &mut s, false);
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
        Format::Text => {
            let mut s = String::new();
            text(value, &mut s);
            s
        }
        Format::Table => table(value),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "None".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// A YAML scalar: plain when it reads back as the same string, else a JSON
/// (double-quoted) string, which YAML reads the same way.
fn yaml_scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::String(s) => {
            let plain = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-./@".contains(c))
                && !s.starts_with(['-', '.', '@'])
                && s.parse::<f64>().is_err()
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
                );
            if plain {
                s.clone()
            } else {
                Value::String(s.clone()).to_string()
            }
        }
        other => other.to_string(),
    }
}

fn yaml(v: &Value, indent: usize, out: &mut String, in_list: bool) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (i, (k, val)) in m.iter().enumerate() {
                let lead = if in_list && i == 0 {
                    String::new()
                } else {
                    pad.clone()
                };
                let key = yaml_scalar(&Value::String(k.clone()));
                match val {
                    Value::Object(mm) if !mm.is_empty() => {
                        let _ = writeln!(out, "{lead}{key}:");
                        yaml(val, indent + 2, out, false);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        let _ = writeln!(out, "{lead}{key}:");
                        yaml(val, indent, out, false);
                    }
                    other => {
                        let _ = writeln!(out, "{lead}{key}: {}", yaml_flow(other));
                    }
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for item in a {
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        let _ = write!(out, "{pad}- ");
                        yaml(item, indent + 2, out, true);
                    }
                    Value::Array(inner) if !inner.is_empty() => {
                        let _ = writeln!(out, "{pad}-");
                        yaml(item, indent + 2, out, false);
                    }
                    other => {
                        let _ = writeln!(out, "{pad}- {}", yaml_flow(other));
                    }
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{}", yaml_flow(other));
        }
    }
}

fn yaml_flow(v: &Value) -> String {
    match v {
        Value::Object(_) => "{}".to_owned(),
        Value::Array(_) => "[]".to_owned(),
        other => yaml_scalar(other),
    }
}

/// tccli/AWS `text`: the scalars of an object on one tab-separated line, then
/// its lists and objects; a list of scalars on one line.
fn text(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let scalars: Vec<String> = m.values().filter(|v| is_scalar(v)).map(scalar).collect();
            if !scalars.is_empty() {
                out.push_str(&scalars.join("\t"));
                out.push('\n');
            }
            for val in m.values().filter(|v| !is_scalar(v)) {
                text(val, out);
            }
        }
        Value::Array(a) if a.iter().all(is_scalar) => {
            if !a.is_empty() {
                let items: Vec<String> = a.iter().map(scalar).collect();
                out.push_str(&items.join("\t"));
                out.push('\n');
            }
        }
        Value::Array(a) => {
            for item in a {
                text(item, out);
            }
        }
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// A bordered table: an object's scalar members as `key | value` rows, each
/// list of objects as its own table with one column per member.
fn table(v: &Value) -> String {
    let mut out = String::new();
    table_into(v, "", &mut out);
    out
}

fn grid(title: &str, header: Option<&[String]>, rows: &[Vec<String>], out: &mut String) {
    let cols = header
        .map(|h| h.len())
        .or_else(|| rows.first().map(Vec::len))
        .unwrap_or(0);
    if cols == 0 {
        return;
    }
    let mut widths = vec![0usize; cols];
    for row in header
        .into_iter()
        .map(|h| h.to_vec())
        .chain(rows.iter().cloned())
    {
        for (i, cell) in row.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line: String = widths
        .iter()
        .map(|w| "-".repeat(w + 2))
        .collect::<Vec<_>>()
        .join("+");
    let line = format!("+{line}+\n");
    let fmt_row = |row: &[String]| -> String {
        let cells: Vec<String> = (0..cols)
            .map(|i| {
                let c = row.get(i).map(String::as_str).unwrap_or("");
                format!(" {c}{} ", " ".repeat(widths[i] - c.chars().count()))
            })
            .collect();
        format!("|{}|\n", cells.join("|"))
    };
    if !title.is_empty() {
        out.push_str(title);
        out.push('\n');
    }
    out.push_str(&line);
    if let Some(h) = header {
        out.push_str(&fmt_row(h));
        out.push_str(&line);
    }
    for r in rows {
        out.push_str(&fmt_row(r));
    }
    out.push_str(&line);
}

fn table_into(v: &Value, title: &str, out: &mut String) {
    match v {
        Value::Object(m) => {
            let rows: Vec<Vec<String>> = m
                .iter()
                .filter(|(_, v)| is_scalar(v))
                .map(|(k, v)| vec![k.clone(), scalar(v)])
                .collect();
            grid(title, None, &rows, out);
            for (k, val) in m.iter().filter(|(_, v)| !is_scalar(v)) {
                let t = if title.is_empty() {
                    k.clone()
                } else {
                    format!("{title}.{k}")
                };
                table_into(val, &t, out);
            }
        }
        Value::Array(a) if a.iter().all(|i| i.is_object()) && !a.is_empty() => {
            let mut header: Vec<String> = Vec::new();
            for item in a {
                for (k, v) in item.as_object().into_iter().flatten() {
                    if is_scalar(v) && !header.contains(k) {
                        header.push(k.clone());
                    }
                }
            }
            let rows: Vec<Vec<String>> = a
                .iter()
                .map(|item| {
                    header
                        .iter()
                        .map(|k| item.get(k).map(scalar).unwrap_or_default())
                        .collect()
                })
                .collect();
            grid(title, Some(&header), &rows, out);
        }
        Value::Array(a) => {
            let rows: Vec<Vec<String>> = a
                .iter()
                .map(|i| {
                    vec![if is_scalar(i) {
                        scalar(i)
                    } else {
                        i.to_string()
                    }]
                })
                .collect();
            grid(title, None, &rows, out);
        }
        other => grid(title, None, &[vec![scalar(other)]], out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_quotes_what_would_read_back_differently() {
        let v = json!({"a": "true", "b": "123", "c": "x: y", "d": "", "e": "plain-text_1.0", "f": null,
                       "g": [1, "-x"], "h": {}, "i": []});
        assert_eq!(
            render(&v, Format::Yaml, false),
            "a: \"true\"\nb: \"123\"\nc: \"x: y\"\nd: \"\"\ne: plain-text_1.0\nf: null\ng:\n- 1\n- \"-x\"\nh: {}\ni: []\n"
        );
    }

    #[test]
    fn yaml_lists_of_objects() {
        let v = json!([{"A": 1, "B": {"C": "x"}}, {"A": 2}]);
        assert_eq!(
            render(&v, Format::Yaml, false),
            "- A: 1\n  B:\n    C: x\n- A: 2\n"
        );
    }

    #[test]
    fn text_and_json() {
        let v = json!({"Total": 2, "List": [{"Id": "a", "N": 1}, {"Id": "b", "N": 2}]});
        assert_eq!(render(&v, Format::Text, false), "2\na\t1\nb\t2\n");
        assert_eq!(render(&v, Format::Json, false), format!("{v}\n"));
        assert!(Format::parse("xml")
            .unwrap_err()
            .message
            .contains("json, yaml, table, text"));
        assert_eq!(Format::parse("yaml").unwrap(), Format::Yaml);
    }

    #[test]
    fn query_errors_are_usage_errors() {
        let e = query("a[", &json!({})).unwrap_err();
        assert_eq!(e.class, crate::error::Class::Usage);
        assert_eq!(query("a.b", &json!({"a": {"b": 3}})).unwrap(), json!(3));
    }
}
