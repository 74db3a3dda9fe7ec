//! Checks a JSON value against a shape of a spec, at run time.
//!
//! Used by the importer (which documented examples are usable), by the local
//! endpoint (which requests to refuse, and with which code), and by tests (the
//! JSON the generated types produce uses exactly the spec's wire names).

use std::fmt;

use serde_json::Value;

use crate::Prim;
use crate::{Shape, ShapeKind, Spec};

/// Which way a value travels: requests must carry required members; responses
/// must carry required members unless they are nullable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Client to service.
    Request,
    /// Service to client.
    Response,
}

/// What is wrong at one place in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A required member is absent.
    Missing,
    /// A member the shape does not have; `hint` is a member differing only by case.
    Unknown {
        /// A member of the shape whose name matches ignoring case.
        hint: Option<String>,
    },
    /// The value has the wrong JSON type or range.
    WrongType {
        /// What the spec expects, e.g. `uint64`.
        expected: String,
        /// What was found, e.g. `string`.
        found: String,
    },
}

/// A problem and where it is (`TranscriptionParam.SubscribeList[0].UserId`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Member path from the top of the value.
    pub path: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProblemKind::Missing => write!(f, "missing required member `{}`", self.path),
            ProblemKind::Unknown { hint: Some(h) } => {
                write!(f, "unknown member `{}` (the shape has `{h}`)", self.path)
            }
            ProblemKind::Unknown { hint: None } => write!(f, "unknown member `{}`", self.path),
            ProblemKind::WrongType { expected, found } => write!(
                f,
                "member `{}` should be {expected}, found {found}",
                self.path
            ),
        }
    }
}

fn json_type(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "bool".into(),
        Value::Number(n) if n.is_u64() => "unsigned integer".into(),
        Value::Number(n) if n.is_i64() => "negative integer".into(),
        Value::Number(_) => "float".into(),
        Value::String(_) => "string".into(),
        Value::Array(_) => "array".into(),
        Value::Object(_) => "object".into(),
    }
}

fn join(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
    }
}

/// Checks `value` against structure `shape`; returns every problem found.
pub fn check(spec: &Spec, shape: &str, value: &Value, direction: Direction) -> Vec<Problem> {
    let mut out = Vec::new();
    check_type(spec, shape, value, direction, "", &mut out, 0);
    out
}

fn wrong(out: &mut Vec<Problem>, path: &str, expected: &str, v: &Value) {
    out.push(Problem {
        path: if path.is_empty() {
            "(top)".to_owned()
        } else {
            path.to_owned()
        },
        kind: ProblemKind::WrongType {
            expected: expected.to_owned(),
            found: json_type(v),
        },
    });
}

fn check_type(
    spec: &Spec,
    ty: &str,
    v: &Value,
    direction: Direction,
    path: &str,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    if depth > 64 {
        wrong(out, path, "a value nested at most 64 deep", v);
        return;
    }
    if let Some(p) = Prim::parse(ty) {
        if !p.accepts(v) {
            wrong(out, path, p.spec_name(), v);
        }
        return;
    }
    let Some(shape) = spec.shapes.get(ty) else {
        wrong(out, path, &format!("unknown type {ty}"), v);
        return;
    };
    check_shape(spec, ty, shape, v, direction, path, out, depth);
}

#[allow(clippy::too_many_arguments)]
fn check_shape(
    spec: &Spec,
    name: &str,
    shape: &Shape,
    v: &Value,
    direction: Direction,
    path: &str,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    match shape.kind {
        ShapeKind::Enum => {
            let base = shape.base.as_deref().unwrap_or("string");
            check_type(spec, base, v, direction, path, out, depth + 1);
        }
        ShapeKind::Structure => {
            let Some(obj) = v.as_object() else {
                wrong(out, path, &format!("an object ({name})"), v);
                return;
            };
            let members = match &shape.members {
                Some(m) => m,
                None => return,
            };
            for (key, value) in obj {
                let p = join(path, key);
                match members.get(key) {
                    None => {
                        let hint = members
                            .iter()
                            .find(|(m, _)| m.eq_ignore_ascii_case(key))
                            .map(|(m, _)| m.to_owned());
                        out.push(Problem {
                            path: p,
                            kind: ProblemKind::Unknown { hint },
                        });
                    }
                    Some(m) => {
                        if value.is_null() && (!m.required || m.nullable) {
                            continue;
                        }
                        if m.ty == "list" {
                            let Some(items) = value.as_array() else {
                                wrong(out, &p, "an array", value);
                                continue;
                            };
                            let item_ty = m.items.as_deref().unwrap_or("string");
                            for (i, item) in items.iter().enumerate() {
                                check_type(
                                    spec,
                                    item_ty,
                                    item,
                                    direction,
                                    &format!("{p}[{i}]"),
                                    out,
                                    depth + 1,
                                );
                            }
                        } else {
                            check_type(spec, &m.ty, value, direction, &p, out, depth + 1);
                        }
                    }
                }
            }
            for (wire, m) in members.iter() {
                let must = match direction {
                    Direction::Request => m.required,
                    Direction::Response => m.required && !m.nullable,
                };
                if must && !obj.contains_key(wire) {
                    out.push(Problem {
                        path: join(path, wire),
                        kind: ProblemKind::Missing,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        serde_json::from_value(serde_json::json!({
            "format": "tencentcloud-spec/1",
            "service": {"name": "x", "version": "2020-01-01", "endpoint": "x.tencentcloudapi.com"},
            "actions": {"A": {"input": "In", "output": "Out"}},
            "shapes": {
                "In": {"type": "structure", "members": {
                    "SdkAppId": {"type": "uint64", "required": true},
                    "Mode": {"type": "Mode"},
                    "Sub": {"type": "list", "items": "Sub"}
                }},
                "Sub": {"type": "structure", "members": {"UserId": {"type": "string", "required": true}}},
                "Mode": {"type": "enum", "base": "uint64", "values": [{"name": "Off", "value": 0}]},
                "Out": {"type": "structure", "members": {
                    "RequestId": {"type": "string", "required": true},
                    "Opt": {"type": "string", "required": true, "nullable": true}
                }}
            }
        }))
        .unwrap()
    }

    #[test]
    fn good_values_pass() {
        let s = spec();
        let v = serde_json::json!({"SdkAppId": 1, "Mode": 7, "Sub": [{"UserId": "u"}]});
        assert_eq!(check(&s, "In", &v, Direction::Request), vec![]);
        let v = serde_json::json!({"RequestId": "r"});
        assert_eq!(check(&s, "Out", &v, Direction::Response), vec![]);
    }

    #[test]
    fn problems_have_paths() {
        let s = spec();
        let v = serde_json::json!({"SdkAppid": 1, "Mode": "x", "Sub": [{"UserId": 5}, {}]});
        let p: Vec<String> = check(&s, "In", &v, Direction::Request)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert!(
            p.contains(&"unknown member `SdkAppid` (the shape has `SdkAppId`)".to_owned()),
            "{p:?}"
        );
        assert!(
            p.contains(&"member `Mode` should be uint64, found string".to_owned()),
            "{p:?}"
        );
        assert!(
            p.contains(
                &"member `Sub[0].UserId` should be string, found unsigned integer".to_owned()
            ),
            "{p:?}"
        );
        assert!(
            p.contains(&"missing required member `Sub[1].UserId`".to_owned()),
            "{p:?}"
        );
        assert!(
            p.contains(&"missing required member `SdkAppId`".to_owned()),
            "{p:?}"
        );
    }

    #[test]
    fn negative_for_unsigned_and_non_object() {
        let s = spec();
        let p = check(
            &s,
            "In",
            &serde_json::json!({"SdkAppId": -1}),
            Direction::Request,
        );
        assert_eq!(p.len(), 1);
        let p = check(&s, "In", &serde_json::json!([1]), Direction::Request);
        assert!(p[0].to_string().contains("should be an object (In)"));
    }
}
