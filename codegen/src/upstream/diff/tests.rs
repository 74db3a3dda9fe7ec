//! The change report against hand-made spec changes.

use super::*;
use crate::spec::{parse_json, Action, EnumValue, Member, RateLimit, Shape, ShapeKind};
use ChangeKind as K;
use Impact::{Additive as A, Breaking as B, Patch as P};

const BASE: &str = r#"{
  "format": "tencentcloud-spec/1",
  "service": {"name": "demo", "version": "2020-01-01", "endpoint": "demo.tencentcloudapi.com"},
  "actions": {
    "GetThing": {"input": "GetThingRequest", "output": "GetThingResponse", "errors": {"FailedOperation.A": "a"}}
  },
  "shapes": {
    "GetThingRequest": {"type": "structure", "members": {
      "Id": {"type": "int64", "required": true},
      "Name": {"type": "string", "description": "The name of the thing."},
      "Kind": {"type": "Kind"},
      "When": {"type": "date"},
      "Offset": {"type": "uint64"}
    }},
    "GetThingResponse": {"type": "structure", "members": {
      "Thing": {"type": "Thing", "required": true, "nullable": true},
      "Count": {"type": "int64", "required": true},
      "Items": {"type": "list", "items": "Thing"},
      "RequestId": {"type": "string", "required": true}
    }},
    "Thing": {"type": "structure", "members": {"Tag": {"type": "string"}}},
    "Kind": {"type": "enum", "base": "uint64", "values": [{"name": "One", "value": 1}, {"name": "Two", "value": 2}]}
  },
  "errors": {"AuthFailure": "auth"}
}"#;

fn base() -> Spec {
    parse_json(Path::new("base.json"), BASE).unwrap()
}

fn member<'a>(spec: &'a mut Spec, shape: &str, wire: &str) -> &'a mut Member {
    spec.shapes
        .get_mut(shape)
        .and_then(|s| s.members.as_mut())
        .and_then(|m| m.get_mut(wire))
        .unwrap()
}

fn members<'a>(spec: &'a mut Spec, shape: &str) -> &'a mut UniqueMap<Member> {
    spec.shapes
        .get_mut(shape)
        .unwrap()
        .members
        .as_mut()
        .unwrap()
}

fn plain(ty: &str, required: bool) -> Member {
    Member {
        ty: ty.to_owned(),
        items: None,
        required,
        nullable: false,
        sensitive: false,
        deprecated: false,
        description: None,
        example: None,
        rust_name: None,
        editions: Vec::new(),
        language: None,
        json: None,
        limits: Vec::new(),
    }
}

/// The report of `base` → `base` changed by `f`, as (kind, path, impact).
fn changes(f: impl FnOnce(&mut Spec)) -> (ChangeReport, Vec<(K, String, Impact)>) {
    let old = base();
    let mut new = base();
    f(&mut new);
    let report = diff(&old, &new);
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    let list = report
        .changes
        .iter()
        .map(|c| (c.kind, c.path.clone(), c.impact))
        .collect();
    (report, list)
}

fn one(kind: K, path: &str, impact: Impact) -> Vec<(K, String, Impact)> {
    vec![(kind, path.to_owned(), impact)]
}

#[test]
fn waiters_added_changed_and_removed() {
    let waiter = || crate::spec::Waiter {
        description: None,
        sources: None,
        action: "GetThing".to_owned(),
        status: "Thing.Tag".to_owned(),
        success: vec!["Done".to_owned()],
        failure: vec![],
        not_found: crate::spec::NotFound::Error,
        not_found_codes: vec!["ResourceNotFound".to_owned()],
        interval_seconds: 1,
        max_wait_seconds: 10,
        rust_name: None,
    };
    let (_, list) = changes(|s| s.waiters.insert("ThingDone", waiter()));
    assert_eq!(
        list,
        one(K::ActionAdded, "waiters.ThingDone", Impact::Additive)
    );
    let old = {
        let mut s = base();
        s.waiters.insert("ThingDone", waiter());
        s
    };
    let mut new = old.clone();
    new.waiters.get_mut("ThingDone").unwrap().failure = vec!["Broken".to_owned()];
    let report = diff(&old, &new);
    assert_eq!(report.changes.len(), 1);
    assert_eq!(report.changes[0].kind, K::Behaviour);
    let report = diff(&old, &base());
    assert_eq!(report.changes[0].kind, K::ActionRemoved);
    assert_eq!(report.changes[0].impact, Impact::Breaking);
}

#[test]
fn identical_specs_have_no_changes() {
    let (report, list) = changes(|_| {});
    assert!(list.is_empty(), "{list:?}");
    assert!(report.is_empty());
    assert_eq!(report.semver_bump("0.1.0").unwrap().bump, Bump::None);
}

#[test]
fn actions_added_and_removed() {
    let (report, list) = changes(|s| {
        let a = s.actions.get("GetThing").unwrap().clone();
        s.actions.insert(
            "PutThing",
            Action {
                errors: UniqueMap::new(),
                ..a
            },
        );
    });
    assert_eq!(list, one(K::ActionAdded, "PutThing", A));
    assert_eq!(
        report.changes[0].new.as_deref(),
        Some("GetThingRequest → GetThingResponse")
    );
    // The reverse: removed, breaking.
    let mut new = base();
    let a = new.actions.get("GetThing").unwrap().clone();
    new.actions.insert("PutThing", a);
    let r = diff(&new, &base());
    assert_eq!(r.changes.len(), 1);
    assert_eq!(
        (r.changes[0].kind, r.changes[0].impact),
        (K::ActionRemoved, B)
    );
}

#[test]
fn shapes_added_and_removed() {
    let add = |s: &mut Spec| {
        s.shapes.insert(
            "Extra",
            Shape {
                kind: ShapeKind::Structure,
                description: None,
                members: Some(UniqueMap::new()),
                base: None,
                values: None,
                deprecated: false,
                rust_name: None,
                editions: Vec::new(),
                language: None,
            },
        );
        members(s, "Thing").insert("Extra", plain("Extra", false));
    };
    let (_, list) = changes(add);
    assert_eq!(
        list,
        [
            (K::MemberAdded, "Thing.Extra".to_owned(), A),
            (K::ShapeAdded, "Extra".to_owned(), A),
        ]
    );
    let mut new = base();
    add(&mut new);
    let r = diff(&new, &base());
    let kinds: Vec<_> = r.changes.iter().map(|c| (c.kind, c.impact)).collect();
    assert_eq!(kinds, [(K::MemberRemoved, B), (K::ShapeRemoved, B)]);
}

#[test]
fn members_added_are_breaking_only_when_a_required_input() {
    let (report, list) = changes(|s| {
        members(s, "GetThingRequest").insert("Note", plain("string", false));
        members(s, "GetThingRequest").insert("Must", plain("string", true));
        members(s, "GetThingResponse").insert("Also", plain("int64", true));
    });
    assert_eq!(
        list,
        [
            (K::MemberAdded, "GetThingRequest.Note".to_owned(), A),
            (K::MemberAdded, "GetThingRequest.Must".to_owned(), B),
            (K::MemberAdded, "GetThingResponse.Also".to_owned(), A),
        ]
    );
    assert_eq!(report.changes[0].new.as_deref(), Some("Option<String>"));
    assert_eq!(report.changes[1].new.as_deref(), Some("String"));
    // A structure used by inputs and outputs counts as an input.
    let (_, list) = changes(|s| {
        members(s, "GetThingRequest").insert("T", plain("Thing", false));
        members(s, "Thing").insert("Must", plain("string", true));
    });
    assert_eq!(list[1], (K::MemberAdded, "Thing.Must".to_owned(), B));
}

#[test]
fn members_removed_are_breaking() {
    let (report, list) = changes(|s| {
        members(s, "GetThingResponse").remove("Count");
    });
    assert_eq!(list, one(K::MemberRemoved, "GetThingResponse.Count", B));
    assert_eq!(report.changes[0].old.as_deref(), Some("i64"));
}

#[test]
fn type_changes_are_judged_by_the_rust_type() {
    let (report, list) = changes(|s| member(s, "GetThingRequest", "Id").ty = "string".into());
    assert_eq!(list, one(K::TypeChanged, "GetThingRequest.Id", B));
    assert_eq!(report.changes[0].why.as_deref(), Some("`i64` → `String`"));
    let (_, list) = changes(|s| member(s, "GetThingRequest", "When").ty = "string".into());
    assert_eq!(list, one(K::TypeChanged, "GetThingRequest.When", P));
    let (_, list) = changes(|s| {
        let m = member(s, "GetThingResponse", "Items");
        m.items = Some("string".into());
    });
    assert_eq!(list, one(K::TypeChanged, "GetThingResponse.Items", B));
    // A primitive refined into an enum is another Rust type.
    let (_, list) = changes(|s| member(s, "GetThingRequest", "Offset").ty = "Kind".into());
    assert_eq!(list, one(K::TypeChanged, "GetThingRequest.Offset", B));
}

#[test]
fn requiredness_changes_are_breaking_when_the_option_changes() {
    let (report, list) = changes(|s| member(s, "GetThingRequest", "Id").required = false);
    assert_eq!(list, one(K::RequiredChanged, "GetThingRequest.Id", B));
    assert_eq!(
        report.changes[0].why.as_deref(),
        Some("`i64` → `Option<i64>`")
    );
    assert_eq!(
        (
            report.changes[0].old.as_deref(),
            report.changes[0].new.as_deref()
        ),
        (Some("required"), Some("optional"))
    );
    let (_, list) = changes(|s| member(s, "GetThingRequest", "Name").required = true);
    assert_eq!(list, one(K::RequiredChanged, "GetThingRequest.Name", B));
    // Nullable and required: `Option` either way.
    let (_, list) = changes(|s| member(s, "GetThingResponse", "Thing").required = false);
    assert_eq!(list, one(K::RequiredChanged, "GetThingResponse.Thing", P));
}

#[test]
fn nullable_changes_are_breaking_when_the_option_changes() {
    let (_, list) = changes(|s| member(s, "GetThingResponse", "Count").nullable = true);
    assert_eq!(list, one(K::NullableChanged, "GetThingResponse.Count", B));
    let (_, list) = changes(|s| member(s, "GetThingResponse", "Items").nullable = true);
    assert_eq!(list, one(K::NullableChanged, "GetThingResponse.Items", P));
    // Both at once: one breaking change, not two.
    let (_, list) = changes(|s| {
        let m = member(s, "GetThingResponse", "Thing");
        m.nullable = false;
        m.required = true;
    });
    assert_eq!(
        list,
        [(K::NullableChanged, "GetThingResponse.Thing".to_owned(), B)]
    );
}

#[test]
fn error_codes_added_removed_and_redescribed() {
    let (_, list) = changes(|s| {
        let a = s.actions.get_mut("GetThing").unwrap();
        a.errors.insert("FailedOperation.B", "b".to_owned());
        a.errors.insert("FailedOperation.A", "a, better".to_owned());
        s.errors.remove("AuthFailure");
        s.errors.insert("InternalError", "internal".to_owned());
    });
    assert_eq!(
        list,
        [
            (K::Doc, "GetThing.errors.FailedOperation.A".to_owned(), P),
            (
                K::ErrorCodeAdded,
                "GetThing.errors.FailedOperation.B".to_owned(),
                A
            ),
            (K::ErrorCodeAdded, "errors.InternalError".to_owned(), A),
            (K::ErrorCodeRemoved, "errors.AuthFailure".to_owned(), B),
        ]
    );
    let (_, list) = changes(|s| {
        s.actions.get_mut("GetThing").unwrap().errors = UniqueMap::new();
    });
    assert_eq!(
        list,
        one(K::ErrorCodeRemoved, "GetThing.errors.FailedOperation.A", B)
    );
}

#[test]
fn enum_values_added_removed_and_renamed() {
    fn values(s: &mut Spec) -> &mut Vec<EnumValue> {
        s.shapes.get_mut("Kind").unwrap().values.as_mut().unwrap()
    }
    let (_, list) = changes(|s| {
        values(s).push(EnumValue {
            name: "Three".into(),
            value: 3.into(),
            description: None,
        })
    });
    assert_eq!(list, one(K::EnumValueAdded, "Kind.values[3]", A));
    let (_, list) = changes(|s| {
        values(s).remove(0);
    });
    assert_eq!(list, one(K::EnumValueRemoved, "Kind.values[1]", B));
    let (_, list) = changes(|s| values(s)[1].name = "Deux".into());
    assert_eq!(list, one(K::Renamed, "Kind.values[2]", B));
    // Same variant name after case conversion: not a rename.
    let (_, list) = changes(|s| values(s)[1].name = "TWO".into());
    assert!(list.is_empty() || list[0].2 != B, "{list:?}");
}

#[test]
fn deprecations_are_additive() {
    let (_, list) = changes(|s| {
        s.actions.get_mut("GetThing").unwrap().deprecated = true;
        s.shapes.get_mut("Thing").unwrap().deprecated = true;
        member(s, "Thing", "Tag").deprecated = true;
    });
    assert_eq!(
        list,
        [
            (K::Deprecated, "GetThing".to_owned(), A),
            (K::Deprecated, "Thing".to_owned(), A),
            (K::Deprecated, "Thing.Tag".to_owned(), A),
        ]
    );
}

#[test]
fn doc_and_behaviour_changes_are_patch() {
    let (report, list) = changes(|s| {
        member(s, "GetThingRequest", "Name").description =
            Some("The display name of the thing.".into());
        let a = s.actions.get_mut("GetThing").unwrap();
        a.regions = vec!["ap-guangzhou".into()];
        a.rate_limit = Some(RateLimit::per_second(20));
        member(s, "Thing", "Tag").sensitive = true;
    });
    assert_eq!(
        list,
        [
            (K::Behaviour, "GetThing.regions".to_owned(), P),
            (K::Behaviour, "GetThing.rate_limit".to_owned(), P),
            (K::Doc, "GetThingRequest.Name".to_owned(), P),
            (K::Behaviour, "Thing.Tag.sensitive".to_owned(), P),
        ]
    );
    let doc = &report.changes[2];
    assert_eq!(
        (doc.old.as_deref(), doc.new.as_deref()),
        (
            Some("The name of the thing."),
            Some("The display name of the thing.")
        )
    );
    assert_eq!(report.semver_bump("0.1.0").unwrap().to, "0.1.1");
}

#[test]
fn rust_renames_and_paginators_are_seen_through_the_model() {
    let (report, list) = changes(|s| {
        member(s, "GetThingRequest", "Name").rust_name = Some("label".into());
    });
    assert_eq!(list, one(K::Renamed, "GetThingRequest.Name", B));
    assert_eq!(
        (
            report.changes[0].old.as_deref(),
            report.changes[0].new.as_deref()
        ),
        (Some("name"), Some("label"))
    );
    // Offset + Limit in, a total and one list out: a paginator appears.
    let (_, list) = changes(|s| {
        members(s, "GetThingRequest").insert("Limit", plain("uint64", false));
        members(s, "GetThingResponse").insert("TotalCount", plain("uint64", false));
    });
    assert_eq!(
        list,
        [
            (K::ActionChanged, "GetThing.paginator".to_owned(), A),
            (K::MemberAdded, "GetThingRequest.Limit".to_owned(), A),
            (K::MemberAdded, "GetThingResponse.TotalCount".to_owned(), A),
        ]
    );
}

#[test]
fn doc_excerpts_show_the_difference_in_context() {
    let long = "word ".repeat(40);
    let (o, n) = excerpt(
        &format!("{long}Defaults to 0. Valid only when Interrupt is false. {long}"),
        &format!("{long}Defaults to 1. Valid only when Interrupt is false. {long}"),
    );
    assert_eq!(o, "…word word Defaults to 0. Valid only when Interrupt…");
    assert_eq!(n, "…word word Defaults to 1. Valid only when Interrupt…");
    assert_eq!(excerpt("", "New."), (String::new(), "New.".to_owned()));
}

#[test]
fn semver_bumps_follow_cargo() {
    let breaking = changes(|s| {
        members(s, "Thing").remove("Tag");
    })
    .0;
    let additive = changes(|s| {
        members(s, "Thing").insert("New", plain("string", false));
    })
    .0;
    let patch = changes(|s| member(s, "Thing", "Tag").description = Some("x".into())).0;
    let next = |r: &ChangeReport, v: &str| r.semver_bump(v).unwrap().to;
    assert_eq!(next(&breaking, "0.1.0"), "0.2.0");
    assert_eq!(next(&additive, "0.1.0"), "0.1.1");
    assert_eq!(next(&patch, "0.1.0"), "0.1.1");
    assert_eq!(next(&breaking, "0.0.3"), "0.0.4");
    assert_eq!(next(&breaking, "1.2.3"), "2.0.0");
    assert_eq!(next(&additive, "1.2.3"), "1.3.0");
    assert_eq!(next(&patch, "1.2.3"), "1.2.4");
    assert!(breaking.semver_bump("1.2").is_err());
    assert!(breaking.semver_bump("1.2.3-beta").is_err());
}

#[test]
fn markdown_groups_by_impact_and_ends_with_the_bump() {
    let mut report = changes(|s| {
        member(s, "GetThingRequest", "Id").required = false;
        members(s, "Thing").insert("New", plain("string", false));
    })
    .0;
    report.crate_version = Some("0.1.0".into());
    let text = report.to_string();
    assert_eq!(
        text,
        "#### Breaking (1)\n\n\
         - required changed: `GetThingRequest.Id` (`required` → `optional`): `i64` → `Option<i64>`\n\n\
         #### Additive (1)\n\n\
         - member added: `Thing.New` (`Option<String>`): an output member of a `#[non_exhaustive]` struct\n\n\
         Semver: 1 breaking, 1 additive, 0 patch → a minor bump of the generated crates: 0.1.0 → 0.2.0.\n"
    );
}

#[test]
fn specs_that_do_not_resolve_are_still_compared() {
    let old = base();
    let mut new = base();
    member(&mut new, "Thing", "Tag").ty = "Missing".into();
    let r = diff(&old, &new);
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    assert!(r.notes[0].contains("the new spec does not resolve"));
    assert_eq!(r.changes[0].kind, K::TypeChanged);
    assert_eq!(r.changes[0].impact, B);
}

/// Typing a string member as JSON is breaking (`String` → `JsonString<T>`);
/// so are a removed provider and a new required key; an optional key and a
/// new provider are additive.
#[test]
fn json_types_and_members_carrying_json() {
    let with_json = |s: &mut Spec| {
        member(s, "GetThingRequest", "Name").json = Some("Config".into());
        s.json_types = Some(
            serde_json::from_value(serde_json::json!({"types": {"Config": {
                "discriminator": "Kind",
                "variants": {"Alpha": {"value": "alpha", "fields": {
                    "Key": {"type": "string", "required": true}
                }, "providers": {"alpha": {"title": "Alpha", "source": "docs"}}}}
            }}}))
            .unwrap(),
        );
    };
    let (_, list) = changes(with_json);
    assert!(
        list.contains(&(K::TypeChanged, "GetThingRequest.Name".to_owned(), B)),
        "{list:?}"
    );
    assert!(
        list.contains(&(
            K::ShapeAdded,
            "json_types.Config".to_owned(),
            Impact::Additive
        )),
        "{list:?}"
    );
    let mut old = base();
    with_json(&mut old);
    let mut new = old.clone();
    let types = &mut new.json_types.as_mut().unwrap().types;
    let config = types.get_mut("Config").unwrap();
    let alpha = config.variants.as_mut().unwrap().get_mut("Alpha").unwrap();
    let mut key = alpha.fields.get("Key").unwrap().clone();
    alpha.fields.insert("Secret", key.clone());
    key.required = false;
    alpha.fields.insert("Level", key);
    let report = diff(&old, &new);
    let list: Vec<(K, String, Impact)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.path.clone(), c.impact))
        .collect();
    assert!(
        list.contains(&(
            K::MemberAdded,
            "json_types.Config.Alpha.Secret".to_owned(),
            B
        )),
        "{list:?}"
    );
    assert!(
        list.contains(&(
            K::MemberAdded,
            "json_types.Config.Alpha.Level".to_owned(),
            Impact::Additive
        )),
        "{list:?}"
    );
    let mut gone = old.clone();
    gone.json_types
        .as_mut()
        .unwrap()
        .types
        .get_mut("Config")
        .unwrap()
        .variants = Some(UniqueMap::new());
    let report = diff(&old, &gone);
    assert!(report
        .changes
        .iter()
        .any(|c| c.path == "json_types.Config.Alpha"
            && c.kind == K::ShapeRemoved
            && c.impact == B));
}
