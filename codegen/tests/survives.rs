//! One small spec per awkward case found in Tencent's services: each generates
//! (and formats, which parses it) with the expected Rust names. That the code
//! also compiles is proven by the edge-case snapshot crates
//! (`codegen/tests/specs/edgecases-2020-01-01.json`), built with the workspace.

use std::path::Path;

use serde_json::{json, Value};
use tencentcloud_codegen::model::resolve;
use tencentcloud_codegen::spec::{CommonErrors, Spec};
use tencentcloud_codegen::{generate, ManifestOptions};

/// A one-action spec whose input shape has `members` and which may add `shapes`
/// and `errors`; returns all generated Rust text.
fn generated(members: Value, shapes: Value, errors: Value, deprecated: bool) -> String {
    let mut all_shapes = json!({
        "DoRequest": {"type": "structure", "members": members},
        "DoResponse": {"type": "structure", "members": {"RequestId": {"type": "string", "required": true}}}
    });
    for (k, v) in shapes.as_object().unwrap() {
        all_shapes[k] = v.clone();
    }
    let spec: Spec = serde_json::from_value(json!({
        "format": "tencentcloud-spec/1",
        "service": {"name": "tiny", "version": "2020-01-01", "endpoint": "tiny.tencentcloudapi.com"},
        "actions": {"Do": {"input": "DoRequest", "output": "DoResponse", "errors": errors, "deprecated": deprecated}},
        "shapes": all_shapes
    }))
    .unwrap();
    let common: CommonErrors =
        serde_json::from_value(json!({"format": "tencentcloud-errors/1", "errors": {}})).unwrap();
    let model = resolve(Path::new("tiny.json"), "tiny.json", &spec, &common)
        .unwrap_or_else(|e| panic!("{e}"));
    generate(&model, &ManifestOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|f| f.contents)
        .collect::<Vec<_>>()
        .join("\n")
}

fn has(code: &str, needle: &str) {
    assert!(
        code.contains(needle),
        "generated code lacks {needle:?}:\n{code}"
    );
}

#[test]
fn members_differing_only_by_case() {
    let code = generated(
        json!({"RunId": {"type": "string"}, "RunID": {"type": "string"}}),
        json!({}),
        json!({}),
        false,
    );
    // Each member keeps its own wire name, both ways.
    has(&code, "\"RunId\" => m1.read_optional(&mut map, \"RunId\")?");
    has(
        &code,
        "ser::optional(&mut state, \"RunId\", &self.run_id_2)",
    );
    has(&code, "pub run_id: ::std::option::Option");
    has(&code, "\"RunID\" => m0.read_optional(&mut map, \"RunID\")?");
    has(&code, "ser::optional(&mut state, \"RunID\", &self.run_id)");
    has(&code, "pub run_id_2: ::std::option::Option");
    has(
        &code,
        "Named `run_id_2` because another member already maps to `run_id`.",
    );
}

#[test]
fn error_codes_differing_only_by_case() {
    let code = generated(
        json!({}),
        json!({}),
        json!({"InvalidParameter.SdkAppId": "a", "InvalidParameter.SdkAppid": "b", "FailedOperation.ABC": "c", "FailedOperation.Abc": "d"}),
        false,
    );
    for v in [
        "InvalidParameterSdkAppId(ApiError)",
        "InvalidParameterSdkAppid(ApiError)",
        "FailedOperationAbc(ApiError)",
        "FailedOperationAbc2(ApiError)",
    ] {
        has(&code, v);
    }
    has(
        &code,
        "\"FailedOperation.Abc\" => Self::FailedOperationAbc2(e)",
    );
}

#[test]
fn keyword_and_lower_case_member_names() {
    let code = generated(
        json!({"Type": {"type": "string"}, "Match": {"type": "string"}, "Self": {"type": "string"}, "hadAutoFixVul": {"type": "bool"}}),
        json!({}),
        json!({}),
        false,
    );
    has(&code, "pub r#type:");
    has(&code, "pub r#match:");
    has(&code, "pub self_:");
    has(&code, "pub had_auto_fix_vul:");
    has(
        &code,
        "\"hadAutoFixVul\" => m3.read_optional(&mut map, \"hadAutoFixVul\")?",
    );
    has(&code, "pub fn set_type(");
}

#[test]
fn shapes_that_contain_themselves() {
    let code = generated(
        json!({"Root": {"type": "Node"}}),
        json!({"Node": {"type": "structure", "members": {
            "Child": {"type": "Node"},
            "Children": {"type": "list", "items": "Node"},
            "Via": {"type": "Via"}
        }}, "Via": {"type": "structure", "members": {"Back": {"type": "Node", "required": true}}}}),
        json!({}),
        false,
    );
    has(
        &code,
        "pub child: ::std::option::Option<::std::boxed::Box<crate::Node>>",
    );
    has(
        &code,
        "pub children: ::std::option::Option<::std::vec::Vec<crate::Node>>",
    );
    has(
        &code,
        "pub via: ::std::option::Option<::std::boxed::Box<crate::Via>>",
    );
    has(&code, "pub back: ::std::boxed::Box<crate::Node>");
}

#[test]
fn shape_used_for_input_and_output() {
    let code = generated(
        json!({"Item": {"type": "Item", "required": true}}),
        json!({"Item": {"type": "structure", "members": {"Id": {"type": "uint64", "required": true}}},
               "DoResponse": {"type": "structure", "members": {"Item": {"type": "Item"}, "RequestId": {"type": "string", "required": true}}}}),
        json!({}),
        false,
    );
    assert_eq!(
        code.matches("pub struct Item {").count(),
        1,
        "one type for both directions"
    );
    has(&code, "impl ::serde::Serialize for Item {");
    has(&code, "impl<'de> ::serde::Deserialize<'de> for Item {");
}

#[test]
fn empty_shapes() {
    let code = generated(json!({}), json!({}), json!({}), false);
    has(&code, "pub struct DoRequest {}");
    has(&code, "::std::result::Result::Ok(crate::DoRequest {})");
}

#[test]
fn deprecated_actions_members_and_shapes() {
    let code = generated(
        json!({"Old": {"type": "string", "deprecated": true}, "Thing": {"type": "Thing"}}),
        json!({"Thing": {"type": "structure", "deprecated": true, "members": {}}}),
        json!({}),
        true,
    );
    assert!(
        code.matches("#[deprecated(note = \"deprecated by Tencent Cloud\")]")
            .count()
            >= 5
    );
    has(&code, "#![allow(deprecated");
}
