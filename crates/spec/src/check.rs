//! Checks a JSON value against a shape of a spec, at run time: the one
//! checker of values the command line (before sending), the local endpoint
//! (requests it refuses, and its own answers), the importer (which documented
//! examples are usable) and tests (the JSON the generated types produce) use.
//!
//! A value is walked against its shape: each member's presence (required,
//! nullable), its type ([`Prim::accepts`], enum bases, structures, lists),
//! then the rules of the member beyond its type ([`member_rules`]: JSON
//! carried in a string, checked against its JSON type's schema with the
//! runtime's checker, as the generated types do).

use std::fmt;

use serde_json::Value;
use tencentcloud_runtime::json_string::{self, JsonConfigError};

use crate::{Member, Prim, Shape, ShapeKind, Spec, UniqueMap};

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
#[non_exhaustive]
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
    /// A string member carrying JSON (`"json"` in the spec) whose text is not JSON.
    NotJson {
        /// The JSON type it should carry (`LLMConfig`).
        json_type: String,
        /// What the JSON parser said (never the text itself).
        reason: String,
    },
    /// A string member carrying JSON that is not a valid document of its JSON
    /// type. The error names the JSON type, the provider and the key, never a
    /// secret's value.
    Json(JsonConfigError),
    /// A request value outside its documented limit (requests only; the
    /// runtime's one checker, [`tencentcloud_runtime::limits::check`]): the
    /// message is the same in the SDK, the command line and the local endpoint.
    Limit(crate::limits::Violation),
}

/// A problem and where it is (`TranscriptionParam.SubscribeList[0].UserId`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Member path from the top of the value.
    pub path: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl Problem {
    /// Whether this is a documented limit (which an escape hatch may skip),
    /// not a type or presence problem.
    pub fn is_limit(&self) -> bool {
        matches!(self.kind, ProblemKind::Limit(_))
    }
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
            ProblemKind::NotJson { json_type, reason } => write!(
                f,
                "member `{}` should be a string of JSON ({json_type}), but it is not valid JSON: {reason}",
                self.path
            ),
            ProblemKind::Json(e) => write!(f, "member `{}` is invalid: {e}", self.path),
            ProblemKind::Limit(v) => v.fmt(f),
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
    let mut walk = Walk {
        spec,
        direction,
        out: Vec::new(),
    };
    walk.value(shape, value, "", 0);
    walk.out
}

/// The rules of one member beyond its type, on a value of that type: the one
/// place a per-member rule is added. Today: the text of a member carrying
/// JSON (`"json": "Name"`) must be a valid `Name` document.
pub fn member_rules(spec: &Spec, m: &Member, value: &Value) -> Option<ProblemKind> {
    let (Some(name), Some(text)) = (&m.json, value.as_str()) else {
        return None;
    };
    let schema = crate::meta::json_schema(spec, name)?;
    let parsed: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Some(ProblemKind::NotJson {
                json_type: name.clone(),
                reason: e.to_string(),
            })
        }
    };
    json_string::check(&schema, &parsed)
        .err()
        .map(ProblemKind::Json)
}

/// One walk of a value, collecting problems.
struct Walk<'s> {
    spec: &'s Spec,
    direction: Direction,
    out: Vec<Problem>,
}

impl Walk<'_> {
    fn wrong(&mut self, path: &str, expected: &str, v: &Value) {
        self.out.push(Problem {
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

    /// A value of type `ty`: a primitive or a shape.
    fn value(&mut self, ty: &str, v: &Value, path: &str, depth: usize) {
        if depth > 64 {
            self.wrong(path, "a value nested at most 64 deep", v);
            return;
        }
        if let Some(p) = Prim::parse(ty) {
            if !p.accepts(v) {
                self.wrong(path, p.spec_name(), v);
            }
            return;
        }
        let Some(shape) = self.spec.shapes.get(ty) else {
            self.wrong(path, &format!("unknown type {ty}"), v);
            return;
        };
        self.shape(ty, shape, v, path, depth);
    }

    fn shape(&mut self, name: &str, shape: &Shape, v: &Value, path: &str, depth: usize) {
        match shape.kind {
            ShapeKind::Enum => {
                let base = shape.base.as_deref().unwrap_or("string");
                self.value(base, v, path, depth + 1);
            }
            ShapeKind::Structure => {
                let Some(obj) = v.as_object() else {
                    self.wrong(path, &format!("an object ({name})"), v);
                    return;
                };
                if let Some(members) = &shape.members {
                    self.structure(members, obj, path, depth);
                }
            }
        }
    }

    /// Unknown members, each member present, then the required ones absent.
    fn structure(
        &mut self,
        members: &UniqueMap<Member>,
        obj: &serde_json::Map<String, Value>,
        path: &str,
        depth: usize,
    ) {
        for (key, value) in obj {
            let p = join(path, key);
            match members.get(key) {
                None => {
                    let hint = members
                        .iter()
                        .find(|(m, _)| m.eq_ignore_ascii_case(key))
                        .map(|(m, _)| m.to_owned());
                    self.out.push(Problem {
                        path: p,
                        kind: ProblemKind::Unknown { hint },
                    });
                }
                Some(m) => self.member(m, value, &p, depth),
            }
        }
        for (wire, m) in members.iter() {
            let must = match self.direction {
                Direction::Request => m.required,
                Direction::Response => m.required && !m.nullable,
            };
            if must && !obj.contains_key(wire) {
                self.out.push(Problem {
                    path: join(path, wire),
                    kind: ProblemKind::Missing,
                });
            }
        }
    }

    /// One member's value: `null` where allowed, its type (each item of a
    /// list), then its rules beyond the type.
    fn member(&mut self, m: &Member, value: &Value, path: &str, depth: usize) {
        if value.is_null() && (!m.required || m.nullable) {
            return;
        }
        let before = self.out.len();
        self.member_type(m, value, path, depth);
        if self.direction == Direction::Request && !m.limits.is_empty() && self.out.len() == before
        {
            for v in crate::limits::check(&m.limits, value, path, m.sensitive) {
                self.out.push(Problem {
                    path: v.path.clone(),
                    kind: ProblemKind::Limit(v),
                });
            }
        }
    }

    /// One member's type (each item of a list), then its rules beyond the type.
    fn member_type(&mut self, m: &Member, value: &Value, path: &str, depth: usize) {
        if m.ty == "list" {
            let Some(items) = value.as_array() else {
                self.wrong(path, "an array", value);
                return;
            };
            let item_ty = m.items.as_deref().unwrap_or("string");
            for (i, item) in items.iter().enumerate() {
                let before = self.out.len();
                let p = format!("{path}[{i}]");
                self.value(item_ty, item, &p, depth + 1);
                self.rules(m, item, &p, before);
            }
        } else {
            let before = self.out.len();
            self.value(&m.ty, value, path, depth + 1);
            self.rules(m, value, path, before);
        }
    }

    /// [`member_rules`] on a value that had no problem of its own.
    fn rules(&mut self, m: &Member, value: &Value, path: &str, before: usize) {
        if self.out.len() != before {
            return;
        }
        if let Some(kind) = member_rules(self.spec, m, value) {
            self.out.push(Problem {
                path: path.to_owned(),
                kind,
            });
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
    fn json_carried_in_strings_is_checked_with_its_schema() {
        let s: Spec = serde_json::from_value(serde_json::json!({
            "format": "tencentcloud-spec/1",
            "service": {"name": "x", "version": "2020-01-01", "endpoint": "x.tencentcloudapi.com"},
            "actions": {"A": {"input": "In", "output": "Out"}},
            "shapes": {
                "In": {"type": "structure", "members": {
                    "Config": {"type": "string", "json": "Config"},
                    "Configs": {"type": "list", "items": "string", "json": "Config"}
                }},
                "Out": {"type": "structure", "members": {}}
            },
            "json_types": {"types": {"Config": {"discriminator": "Type", "variants": {
                "One": {"value": "one", "fields": {"Key": {"type": "string", "required": true, "sensitive": true}},
                        "providers": {"one": {"title": "One", "source": "test"}}}
            }}}}
        }))
        .unwrap();
        let problems = |v: serde_json::Value| -> Vec<String> {
            check(&s, "In", &v, Direction::Request)
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(
            problems(serde_json::json!({"Config": "{\"Type\":\"one\",\"Key\":\"k\"}"})),
            Vec::<String>::new()
        );
        assert_eq!(
            problems(serde_json::json!({"Config": "{\"Type\":\"one\"}"})),
            ["member `Config` is invalid: Config (one): $.Key: missing required key `Key`"]
        );
        assert_eq!(
            problems(serde_json::json!({"Configs": ["{\"Type\":\"one\",\"Key\":\"k\"}", "{oops"]})),
            ["member `Configs[1]` should be a string of JSON (Config), but it is not valid JSON: key must be a string at line 1 column 2"]
        );
        // A secret's value never shows; a wrong type is reported as such, once.
        let p = problems(serde_json::json!({"Config": "{\"Type\":\"one\",\"Key\":12345}"}));
        assert!(
            p[0].contains("$.Key: expected a string") && !p[0].contains("12345"),
            "{p:?}"
        );
        assert_eq!(
            problems(serde_json::json!({"Config": 5})),
            ["member `Config` should be string, found unsigned integer"]
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
