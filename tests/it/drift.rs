//! Responses that drift from the documented types (issue: Tencent Cloud
//! sometimes sends `"1700000000000"` for a number, `0` for a bool).
//!
//! - For every generated structure (every output shape and everything in
//!   them), a value from its proptest strategy, drifted member by member
//!   according to the spec's types in every coercible way, decodes to the same
//!   value as its documented form, with one listed coercion per drifted value.
//! - For every structure with a number or bool member, a value that cannot be
//!   read unambiguously fails, naming the member.
//! - End to end: the local endpoint's drift fault, the client's tolerant
//!   decoding with its `ResponseMeta`, and `strict_responses(true)`.

use std::fmt::Debug;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use tencentcloud_codegen::spec::{ShapeKind, Spec};
use tencentcloud_local_endpoint::{Fault, LocalEndpoint};
use tencentcloud_runtime::drift::{self, CoercionKind, Mode};
use tencentcloud_runtime::SdkError;
use tencentcloud_tests::{config_for, trtc_spec};

/// Rewrites `documented` (a value of spec type `ty`) into a drifted form in
/// `drifted`; `salt` picks which coercible form each value takes. Returns how
/// many values were drifted (each must be one listed coercion). String values
/// are first replaced, in both forms, by a decimal number's text, so that "a
/// number for a string" has a documented form to compare with.
fn drift_value(
    spec: &Spec,
    ty: &str,
    documented: &mut Value,
    drifted: &mut Value,
    salt: &mut u64,
) -> usize {
    *salt = salt
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let pick = (*salt >> 33) % 3;
    match (ty, &*documented) {
        ("int64" | "uint64", Value::Number(n)) => {
            let n = n.clone();
            let small = n.as_i64().is_some_and(|i| i.unsigned_abs() < (1 << 53))
                || n.as_u64().is_some_and(|u| u < (1 << 53));
            *drifted = if pick == 0 && small {
                json!(n.as_f64().unwrap())
            } else {
                Value::String(n.to_string())
            };
            1
        }
        ("float", Value::Number(n)) => {
            *drifted = Value::String(n.to_string());
            1
        }
        ("bool", Value::Bool(b)) => {
            *drifted = match pick {
                0 => json!(u8::from(*b)),
                1 => json!(if *b { "1" } else { "0" }),
                _ => json!(if *b { "true" } else { "false" }),
            };
            1
        }
        ("string" | "date" | "datetime" | "datetime_iso", Value::String(_)) => {
            let n = (*salt >> 20) as i64 % 1_000_000 - 500_000;
            *documented = Value::String(n.to_string());
            *drifted = json!(n);
            1
        }
        (_, Value::Null) => 0,
        _ => match spec.shapes.get(ty) {
            Some(shape) if shape.kind == ShapeKind::Structure => {
                let (Value::Object(doc), Value::Object(dr)) = (documented, drifted) else {
                    return 0;
                };
                let mut count = 0;
                for (wire, member) in shape.members.iter().flat_map(|m| m.iter()) {
                    if member.json.is_some() {
                        // JSON carried in a string: its text is the value, kept as is.
                        continue;
                    }
                    match doc.get_mut(wire) {
                        Some(value) => {
                            let target = member.target();
                            let mut out = value.clone();
                            count += if member.ty == "list" {
                                let (Value::Array(items), Value::Array(outs)) = (value, &mut out)
                                else {
                                    continue;
                                };
                                items
                                    .iter_mut()
                                    .zip(outs.iter_mut())
                                    .map(|(d, o)| drift_value(spec, target, d, o, salt))
                                    .sum()
                            } else {
                                drift_value(spec, target, value, &mut out, salt)
                            };
                            dr.insert(wire.to_owned(), out);
                        }
                        // `null` for an optional member is `None`, not a coercion.
                        None if member.is_optional() && *salt & 1 == 0 => {
                            dr.insert(wire.to_owned(), Value::Null);
                        }
                        None => {}
                    }
                }
                count
            }
            // Integer enums drift like integers; string enums stay (their
            // values are words, never numbers).
            Some(shape) => match shape.base.as_deref() {
                Some(base @ ("int64" | "uint64")) => {
                    drift_value(spec, base, documented, drifted, salt)
                }
                _ => 0,
            },
            None => 0,
        },
    }
}

fn drift_round_trip<T>(spec: &Spec, wire: &str, kinds: &mut Vec<CoercionKind>)
where
    T: Arbitrary + Serialize + DeserializeOwned + PartialEq + Debug,
{
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let seen = std::cell::RefCell::new(Vec::new());
    let result = runner.run(&(any::<T>(), any::<u64>()), |(value, mut salt)| {
        let mut documented = serde_json::to_value(&value).unwrap();
        let mut drifted = documented.clone();
        let count = drift_value(spec, wire, &mut documented, &mut drifted, &mut salt);
        let expected: T = serde_json::from_value(documented.clone())
            .map_err(|e| TestCaseError::fail(format!("{wire}: documented form: {e}")))?;
        let text = serde_json::to_vec(&drifted).unwrap();
        let (actual, coercions) = drift::decode::<T>(&text, Mode::Tolerant).map_err(|e| {
            TestCaseError::fail(format!(
                "{wire}: {e}\ndrifted: {drifted}\ndocumented: {documented}"
            ))
        })?;
        prop_assert_eq!(&actual, &expected, "{} drifted: {}", wire, drifted);
        prop_assert_eq!(
            coercions.len(),
            count,
            "{} coercions {:?} for {}",
            wire,
            coercions,
            drifted
        );
        if count > 0 && drifted != documented {
            // Strict decoding refuses the drifted form.
            prop_assert!(
                drift::decode::<T>(&text, Mode::Strict).is_err(),
                "{} strict",
                wire
            );
        }
        seen.borrow_mut().extend(coercions.iter().map(|c| c.kind));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{wire}: {e}");
    }
    kinds.extend(seen.into_inner());
}

#[test]
fn every_structure_decodes_drifted_values_to_the_documented_value() {
    let (spec, _) = trtc_spec();
    let mut kinds = Vec::new();
    let mut tested = 0;
    macro_rules! one {
        ($t:path, $wire:expr) => {
            drift_round_trip::<$t>(&spec, $wire, &mut kinds);
            tested += 1;
        };
    }
    tencentcloud_trtc::model::for_each_structure!(one);
    let structures = spec
        .shapes
        .iter()
        .filter(|(_, s)| s.kind == ShapeKind::Structure)
        .count();
    assert_eq!(tested, structures, "every structure is tested");
    // Every coercible kind was exercised.
    for kind in [
        CoercionKind::StringToNumber,
        CoercionKind::FloatToInteger,
        CoercionKind::NumberToBool,
        CoercionKind::StringToBool,
        CoercionKind::NumberToString,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} never exercised");
    }
}

/// A value that cannot be read unambiguously as `ty`.
fn ambiguous(ty: &str) -> Option<Value> {
    match ty {
        "int64" | "uint64" => Some(json!("12 apples")),
        "float" => Some(json!("NaN")),
        "bool" => Some(json!(2)),
        _ => None,
    }
}

fn refuse<T: DeserializeOwned + Serialize + Debug>(spec: &Spec, wire: &str, value: &T) -> usize {
    let shape = spec.shapes.get(wire).unwrap();
    let mut refused = 0;
    for (member, m) in shape.members.iter().flat_map(|m| m.iter()) {
        if m.ty == "list" {
            continue;
        }
        let Some(bad) = ambiguous(&m.ty) else {
            continue;
        };
        let mut doc = serde_json::to_value(value).unwrap();
        doc[member] = bad.clone();
        let err = drift::decode::<T>(&serde_json::to_vec(&doc).unwrap(), Mode::Tolerant)
            .expect_err(&format!("{wire}.{member} = {bad} must fail"));
        assert_eq!(err.path, member, "{wire}.{member} = {bad}: {err}");
        // An object where a scalar is wanted, too.
        doc[member] = json!({"Value": 1});
        let err = drift::decode::<T>(&serde_json::to_vec(&doc).unwrap(), Mode::Tolerant)
            .expect_err("object for a scalar");
        assert_eq!(err.path, member);
        refused += 1;
    }
    // A required member `null` or missing still fails, naming it.
    for (member, m) in shape.members.iter().flat_map(|m| m.iter()) {
        if m.required && !m.nullable {
            let mut doc = serde_json::to_value(value).unwrap();
            doc[member] = Value::Null;
            let err = drift::decode::<T>(&serde_json::to_vec(&doc).unwrap(), Mode::Tolerant)
                .expect_err("required null");
            assert_eq!(err.path, member, "{wire}.{member} = null: {err}");
            doc.as_object_mut().unwrap().remove(member);
            let err = drift::decode::<T>(&serde_json::to_vec(&doc).unwrap(), Mode::Tolerant)
                .expect_err("required missing");
            assert!(
                err.message.contains(member),
                "{wire}.{member} missing: {err}"
            );
            refused += 1;
        }
    }
    refused
}

#[test]
fn values_that_are_not_unambiguous_fail_naming_the_member() {
    let (spec, _) = trtc_spec();
    let mut refused = 0;
    macro_rules! one {
        ($t:path, $wire:expr) => {
            let mut runner = TestRunner::new(Config {
                cases: 1,
                failure_persistence: None,
                ..Config::default()
            });
            let value = any::<$t>().new_tree(&mut runner).unwrap().current();
            refused += refuse::<$t>(&spec, $wire, &value);
        };
    }
    tencentcloud_trtc::model::for_each_structure!(one);
    assert!(refused > 100, "only {refused} refusals checked");
}

#[tokio::test]
async fn the_client_reads_a_drifted_answer_and_lists_what_it_accepted() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let client = tencentcloud_trtc::Client::new(config_for(&endpoint).build().unwrap()).unwrap();
    let call = || {
        client
            .describe_room_info()
            .sdk_app_id(1_400_000_001)
            .start_time(1_700_000_000)
            .end_time(1_700_000_600)
    };
    let (documented, meta) = call().send_with_meta().await.unwrap();
    assert!(meta.coercions.is_empty(), "{:?}", meta.coercions);

    endpoint.inject(Fault::Drift, 1);
    let (drifted, meta) = call().send_with_meta().await.unwrap();
    assert_eq!(
        drifted.room_list, documented.room_list,
        "the same rooms, read through the drift"
    );
    assert_eq!(drifted.total, documented.total);
    assert!(
        meta.coercions
            .iter()
            .any(|c| c.path == "Response.Total" && c.kind == CoercionKind::StringToNumber),
        "{:?}",
        meta.coercions
    );
    assert!(
        meta.coercions
            .iter()
            .any(|c| c.path.starts_with("Response.RoomList[0].")
                && c.kind == CoercionKind::NumberToBool),
        "{:?}",
        meta.coercions
    );
    assert!(endpoint
        .calls()
        .last()
        .unwrap()
        .verdict
        .starts_with("drifted"));

    // Strict: the same drifted answer is an error naming the path, with the body kept.
    let strict = tencentcloud_trtc::Client::new(
        config_for(&endpoint)
            .strict_responses(true)
            .build()
            .unwrap(),
    )
    .unwrap();
    endpoint.inject(Fault::Drift, 1);
    let err = strict
        .describe_room_info()
        .sdk_app_id(1_400_000_001)
        .start_time(1_700_000_000)
        .end_time(1_700_000_600)
        .send()
        .await
        .unwrap_err();
    let SdkError::Response(e) = &err else {
        panic!("{err}")
    };
    // The first drifted value in the body is the one named.
    assert!(
        matches!(e.kind(), tencentcloud_runtime::ResponseErrorKind::Output { path, .. }
            if path == "Response.RoomList[0].CreateTime"),
        "{e}"
    );
    let body: Value = serde_json::from_slice(e.body()).unwrap();
    assert!(
        body["Response"]["Total"].is_string(),
        "the raw body: {body}"
    );
}
