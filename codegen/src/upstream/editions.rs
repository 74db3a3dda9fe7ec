//! One spec from both editions of Tencent's definitions.
//!
//! Tencent publishes a service version twice: the international edition
//! (`tccli-intl-en`, English) and the mainland-China edition (`tccli`,
//! Chinese), released separately. [`merge_editions`] makes one spec holding
//! every action, shape and member of either, each marked with the editions
//! that publish it when that is not both (`editions`), by these rules (also in
//! `spec/README.md`):
//!
//! 1. **Published by one edition only** (action, shape or member): kept, marked
//!    with that edition; such a member is optional, since requests and
//!    responses of the other edition do not have it.
//! 2. **Required in one edition, optional in the other**: optional. A request
//!    built to either edition's documentation must be buildable, and a response
//!    valid in either must decode.
//! 3. **Nullable in one edition**: nullable (a response of that edition may
//!    carry `null`).
//! 4. **Deprecated in one edition only**: not deprecated (the other edition
//!    still documents it).
//! 5. **Descriptions**: the international edition's English text where it has
//!    one; otherwise the mainland edition's Chinese text, kept as written and
//!    marked `"language": "zh"`. Examples likewise: the international ones for
//!    shared actions, the mainland ones for mainland-only actions.
//! 6. **Types**: both editions must agree on a member's type; a disagreement is
//!    an import error naming the member and both types (none today).
//! 7. **Service error codes**: every code of either `errorcodes.py`; the
//!    international description where it has the code.
//! 8. **Limits**: each edition's, read from its own description; where they
//!    disagree the looser wins and the disagreement is reported
//!    ([`crate::upstream::limits::merge_member_limits`]).
//!
//! The import report lists what each rule decided.

use std::fmt;

use crate::spec::{
    Action, Edition, Language, Member, Shape, ShapeKind, Spec, SpecError, SpecErrors, UniqueMap,
};

/// What one merge rule decided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleDecisions {
    /// The rule, as `spec/README.md` words it.
    pub rule: String,
    /// What it decided: `Shape.Member (mainland)`, `Action (international)`.
    pub items: Vec<String>,
}

/// What the merge of two editions decided, rule by rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditionMerge {
    /// Actions each edition publishes.
    pub actions: Vec<(Edition, usize)>,
    /// Actions of the merged spec.
    pub merged_actions: usize,
    /// One entry per rule that decided something.
    pub rules: Vec<RuleDecisions>,
    /// Members whose editions state different limits: the looser was kept.
    pub limit_disagreements: Vec<crate::upstream::limits::Disagreement>,
}

impl fmt::Display for EditionMerge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts: Vec<String> = self
            .actions
            .iter()
            .map(|(e, n)| format!("{e} {n}"))
            .collect();
        writeln!(
            f,
            "  editions merged: {} actions ({})",
            self.merged_actions,
            counts.join(", ")
        )?;
        for r in &self.rules {
            writeln!(f, "  rule: {} ({}):", r.rule, r.items.len())?;
            for i in &r.items {
                writeln!(f, "    {i}")?;
            }
        }
        Ok(())
    }
}

impl EditionMerge {
    fn decide(&mut self, rule: &str, item: String) {
        match self.rules.iter_mut().find(|r| r.rule == rule) {
            Some(r) => r.items.push(item),
            None => self.rules.push(RuleDecisions {
                rule: rule.to_owned(),
                items: vec![item],
            }),
        }
    }

    /// The items a rule decided (empty when it decided nothing).
    pub fn decided(&self, rule: &str) -> &[String] {
        self.rules
            .iter()
            .find(|r| r.rule == rule)
            .map(|r| r.items.as_slice())
            .unwrap_or(&[])
    }
}

/// Rule 1 (see the module docs).
pub const RULE_ONE_EDITION: &str = "published by one edition only: kept, marked, optional";
/// Rule 2.
pub const RULE_REQUIRED: &str = "required in one edition only: optional";
/// Rule 3.
pub const RULE_NULLABLE: &str = "nullable in one edition only: nullable";
/// Rule 4.
pub const RULE_DEPRECATED: &str = "deprecated in one edition only: not deprecated";
/// Rule 5.
pub const RULE_CHINESE: &str =
    "no English description: the mainland edition's Chinese text, marked `zh`";
/// Rule 7.
pub const RULE_CODES: &str = "service error codes of the mainland edition only: added";

fn mark(text: &str, e: Edition) -> String {
    format!("{text} ({e})")
}

/// Merges the international and mainland imports of one service version
/// (see the module docs). Both must be the same service and version.
pub fn merge_editions(
    file: &std::path::Path,
    intl: Spec,
    cn: Spec,
) -> Result<(Spec, EditionMerge), SpecErrors> {
    let mut errors = Vec::new();
    let mut m = EditionMerge {
        actions: vec![
            (Edition::International, intl.actions.len()),
            (Edition::Mainland, cn.actions.len()),
        ],
        ..EditionMerge::default()
    };
    if (&intl.service.name, &intl.service.version) != (&cn.service.name, &cn.service.version) {
        errors.push(SpecError {
            file: file.to_owned(),
            path: "$.service".to_owned(),
            message: format!(
                "the editions are different service versions: {} {} and {} {}",
                intl.service.name, intl.service.version, cn.service.name, cn.service.version
            ),
        });
        return Err(SpecErrors(errors));
    }
    let mut merged = Spec {
        actions: UniqueMap::new(),
        shapes: UniqueMap::new(),
        ..intl.clone()
    };

    // Actions, by name (each import lists them sorted).
    let mut names: Vec<&str> = intl
        .actions
        .iter()
        .chain(cn.actions.iter())
        .map(|(n, _)| n)
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        let action = match (intl.actions.get(name), cn.actions.get(name)) {
            (Some(i), Some(c)) => {
                if (&i.input, &i.output) != (&c.input, &c.output) {
                    errors.push(SpecError {
                        file: file.to_owned(),
                        path: format!("$.actions.{name}"),
                        message: format!(
                            "the editions disagree on the shapes: international {} → {}, \
                             mainland {} → {}",
                            i.input, i.output, c.input, c.output
                        ),
                    });
                    continue;
                }
                let mut a = i.clone();
                if a.title.is_none() && a.description.is_none() {
                    a.title = c.title.clone();
                    a.description = c.description.clone();
                    if a.title.is_some() || a.description.is_some() {
                        a.language = Some(Language::Zh);
                        m.decide(RULE_CHINESE, name.to_owned());
                    }
                }
                if i.deprecated != c.deprecated {
                    a.deprecated = false;
                    m.decide(RULE_DEPRECATED, name.to_owned());
                }
                a
            }
            (Some(i), None) => one_edition_action(i, Edition::International, name, &mut m),
            (None, Some(c)) => one_edition_action(c, Edition::Mainland, name, &mut m),
            (None, None) => continue,
        };
        merged.actions.insert(name, action);
    }
    m.merged_actions = merged.actions.len();

    // Shapes: the international order, then the mainland-only ones.
    for (name, i) in intl.shapes.iter() {
        let shape = match cn.shapes.get(name) {
            Some(c) => merge_shape(file, name, i, c, &mut m, &mut errors),
            None => one_edition_shape(i, Edition::International, name, &mut m),
        };
        merged.shapes.insert(name, shape);
    }
    for (name, c) in cn.shapes.iter() {
        if !intl.shapes.contains_key(name) {
            merged
                .shapes
                .insert(name, one_edition_shape(c, Edition::Mainland, name, &mut m));
        }
    }

    // Service error codes: the international ones, then the mainland-only ones.
    for (code, d) in cn.errors.iter() {
        if !merged.errors.contains_key(code) {
            merged.errors.insert(code, d.clone());
            m.decide(RULE_CODES, code.to_owned());
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    Ok((merged, m))
}

fn one_edition_action(a: &Action, e: Edition, name: &str, m: &mut EditionMerge) -> Action {
    let mut a = a.clone();
    a.editions = vec![e];
    if e == Edition::Mainland && (a.title.is_some() || a.description.is_some()) {
        a.language = Some(Language::Zh);
    }
    m.decide(RULE_ONE_EDITION, mark(name, e));
    a
}

fn one_edition_shape(s: &Shape, e: Edition, name: &str, m: &mut EditionMerge) -> Shape {
    let mut s = s.clone();
    s.editions = vec![e];
    for (_, member) in s.members.iter_mut().flat_map(|ms| ms.0.iter_mut()) {
        crate::upstream::limits::tag_edition(&mut member.limits, e);
    }
    if e == Edition::Mainland {
        if s.description.is_some() {
            s.language = Some(Language::Zh);
        }
        for (_, member) in s.members.iter_mut().flat_map(|ms| ms.0.iter_mut()) {
            if member.description.is_some() {
                member.language = Some(Language::Zh);
            }
        }
    }
    m.decide(RULE_ONE_EDITION, mark(name, e));
    s
}

fn merge_shape(
    file: &std::path::Path,
    name: &str,
    i: &Shape,
    c: &Shape,
    m: &mut EditionMerge,
    errors: &mut Vec<SpecError>,
) -> Shape {
    let mut s = i.clone();
    if s.description.is_none() && c.description.is_some() {
        s.description = c.description.clone();
        s.language = Some(Language::Zh);
        m.decide(RULE_CHINESE, name.to_owned());
    }
    if i.deprecated != c.deprecated {
        s.deprecated = false;
        m.decide(RULE_DEPRECATED, name.to_owned());
    }
    if i.kind != ShapeKind::Structure || c.kind != ShapeKind::Structure {
        return s;
    }
    let empty = UniqueMap::new();
    let (im, cm) = (
        i.members.as_ref().unwrap_or(&empty),
        c.members.as_ref().unwrap_or(&empty),
    );
    let mut members = UniqueMap::new();
    for (wire, a) in im.iter() {
        let path = format!("{name}.{wire}");
        let Some(b) = cm.get(wire) else {
            members.insert(
                wire,
                one_edition_member(a, Edition::International, &path, m),
            );
            continue;
        };
        if (&a.ty, &a.items) != (&b.ty, &b.items) {
            errors.push(SpecError {
                file: file.to_owned(),
                path: format!("$.shapes.{name}.members.{wire}.type"),
                message: format!(
                    "the editions disagree on the type: international `{}`, mainland `{}`",
                    a.spec_type(),
                    b.spec_type()
                ),
            });
            continue;
        }
        members.insert(wire, merge_member(a, b, &path, m));
    }
    for (wire, b) in cm.iter() {
        if !im.contains_key(wire) {
            let path = format!("{name}.{wire}");
            members.insert(wire, one_edition_member(b, Edition::Mainland, &path, m));
        }
    }
    s.members = Some(members);
    s
}

fn one_edition_member(a: &Member, e: Edition, path: &str, m: &mut EditionMerge) -> Member {
    let mut a = a.clone();
    a.editions = vec![e];
    crate::upstream::limits::tag_edition(&mut a.limits, e);
    let was = if a.required { ", required there" } else { "" };
    a.required = false;
    if e == Edition::Mainland && a.description.is_some() {
        a.language = Some(Language::Zh);
    }
    m.decide(RULE_ONE_EDITION, format!("{path} ({e}{was})"));
    a
}

fn merge_member(a: &Member, b: &Member, path: &str, m: &mut EditionMerge) -> Member {
    let mut out = a.clone();
    if a.required != b.required {
        out.required = false;
        let by = if a.required {
            Edition::International
        } else {
            Edition::Mainland
        };
        m.decide(RULE_REQUIRED, format!("{path} (required by {by})"));
    }
    if a.nullable != b.nullable {
        out.nullable = true;
        let by = if a.nullable {
            Edition::International
        } else {
            Edition::Mainland
        };
        m.decide(RULE_NULLABLE, format!("{path} (nullable in {by})"));
    }
    if a.deprecated != b.deprecated {
        out.deprecated = false;
        m.decide(RULE_DEPRECATED, path.to_owned());
    }
    out.sensitive |= b.sensitive;
    if out.description.is_none() && b.description.is_some() {
        out.description = b.description.clone();
        out.language = Some(Language::Zh);
        m.decide(RULE_CHINESE, path.to_owned());
    }
    if out.example.is_none() {
        out.example = b.example.clone();
    }
    // Limits from both editions' texts: the looser where they disagree.
    let (limits, disagreements) = crate::upstream::limits::merge_member_limits(
        path,
        matches!(a.ty.as_str(), "int64" | "uint64")
            || matches!(a.items.as_deref(), Some("int64" | "uint64")),
        a.limits.clone(),
        b.limits.clone(),
    );
    out.limits = limits;
    m.limit_disagreements.extend(disagreements);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::import::{import, ImportOptions};
    use serde_json::json;
    use std::path::Path;

    fn api(members: serde_json::Value, extra_action: Option<&str>) -> serde_json::Value {
        let mut actions = json!({"Get": {"input": "GetRequest", "output": "GetResponse", "name": "", "document": "", "status": "online"}});
        let mut objects = json!({
            "GetRequest": {"members": members, "document": ""},
            "GetResponse": {"members": [{"name": "RequestId", "type": "string", "member": "string", "document": ""}]}
        });
        if let Some(a) = extra_action {
            actions[a] = json!({"input": format!("{a}Request"), "output": format!("{a}Response"), "name": "", "document": "<p>说明</p>", "status": "online"});
            objects[format!("{a}Request")] = json!({"members": []});
            objects[format!("{a}Response")] = json!({"members": [{"name": "RequestId", "type": "string", "member": "string", "document": ""}]});
        }
        json!({"metadata": {"apiVersion": "2020-01-01", "serviceShortName": "demo"}, "actions": actions, "objects": objects})
    }

    fn spec(v: serde_json::Value) -> Spec {
        import(Path::new("api.json"), &v, None, &ImportOptions::default())
            .unwrap()
            .0
    }

    #[test]
    fn rules_decide_and_are_reported() {
        let intl = spec(api(
            json!([
                {"name": "Both", "type": "string", "member": "string", "required": true, "document": "English"},
                {"name": "IntlOnly", "type": "string", "member": "string", "required": true, "document": ""}
            ]),
            None,
        ));
        let cn = spec(api(
            json!([
                {"name": "Both", "type": "string", "member": "string", "required": false, "document": "中文"},
                {"name": "CnOnly", "type": "int", "member": "int64", "required": true, "document": "仅大陆"}
            ]),
            Some("CnAction"),
        ));
        let (merged, report) = merge_editions(Path::new("x"), intl, cn).unwrap();
        let req = merged
            .shapes
            .get("GetRequest")
            .unwrap()
            .members
            .as_ref()
            .unwrap();
        let both = req.get("Both").unwrap();
        assert!(!both.required && both.editions.is_empty());
        assert_eq!(both.description.as_deref(), Some("English"));
        assert_eq!(both.language, None);
        let cn_only = req.get("CnOnly").unwrap();
        assert!(!cn_only.required);
        assert_eq!(cn_only.editions, [Edition::Mainland]);
        assert_eq!(cn_only.language, Some(Language::Zh));
        assert_eq!(
            req.get("IntlOnly").unwrap().editions,
            [Edition::International]
        );
        let a = merged.actions.get("CnAction").unwrap();
        assert_eq!(a.editions, [Edition::Mainland]);
        assert_eq!(a.language, Some(Language::Zh));
        assert_eq!(
            merged.shapes.get("CnActionRequest").unwrap().editions,
            [Edition::Mainland]
        );
        assert_eq!(
            report.decided(RULE_REQUIRED),
            ["GetRequest.Both (required by international)"]
        );
        assert!(report
            .decided(RULE_ONE_EDITION)
            .contains(&"GetRequest.CnOnly (mainland, required there)".to_owned()));
        assert!(report
            .to_string()
            .contains("editions merged: 2 actions (international 1, mainland 2)"));
    }

    #[test]
    fn a_type_disagreement_is_an_error_naming_the_member() {
        let m = |t: &str| json!([{"name": "X", "type": "int", "member": t, "document": ""}]);
        let e = merge_editions(
            Path::new("x"),
            spec(api(m("int64"), None)),
            spec(api(m("uint64"), None)),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "x: $.shapes.GetRequest.members.X.type: the editions disagree on the type: \
             international `int64`, mainland `uint64`"
        );
    }
}
