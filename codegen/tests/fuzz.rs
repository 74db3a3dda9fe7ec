//! Mutated specs through the loader, the resolver and the generator: errors are
//! fine, panics are not (proptest fails the test on a panic).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;
use tencentcloud_codegen::spec::{parse_json, CommonErrors, Spec};
use tencentcloud_codegen::{generate, model, ManifestOptions};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn seed_specs() -> Vec<Value> {
    [
        "spec/trtc-2019-07-22.json",
        "codegen/tests/specs/edgecases-2020-01-01.json",
    ]
    .iter()
    .map(|p| serde_json::from_str(&std::fs::read_to_string(root().join(p)).unwrap()).unwrap())
    .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Remove(usize),
    Replace(usize, Value),
    Rename(usize, String),
    Duplicate(usize),
}

fn paths(v: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                prefix.push(k.clone());
                out.push(prefix.clone());
                paths(c, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                prefix.push(format!("#{i}"));
                out.push(prefix.clone());
                paths(c, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn parent_mut<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut cur = v;
    for seg in &path[..path.len() - 1] {
        cur = match seg.strip_prefix('#') {
            Some(i) => cur.get_mut(i.parse::<usize>().ok()?)?,
            None => cur.get_mut(seg)?,
        };
    }
    Some(cur)
}

fn apply(v: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    paths(v, &mut Vec::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let pick = |i: usize| all[i % all.len()].clone();
    match m {
        Mutation::Remove(i) => {
            let p = pick(*i);
            if let Some(parent) = parent_mut(v, &p) {
                let last = p.last().unwrap();
                match (parent, last.strip_prefix('#')) {
                    (Value::Object(o), None) => {
                        o.remove(last);
                    }
                    (Value::Array(a), Some(i)) => {
                        let i: usize = i.parse().unwrap();
                        if i < a.len() {
                            a.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::Replace(i, new) => {
            let p = pick(*i);
            if let Some(parent) = parent_mut(v, &p) {
                let last = p.last().unwrap();
                match (parent, last.strip_prefix('#')) {
                    (Value::Object(o), None) => {
                        o.insert(last.clone(), new.clone());
                    }
                    (Value::Array(a), Some(i)) => {
                        if let Some(slot) = a.get_mut(i.parse::<usize>().unwrap()) {
                            *slot = new.clone();
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::Rename(i, name) => {
            let p = pick(*i);
            if let Some(Value::Object(o)) = parent_mut(v, &p) {
                let last = p.last().unwrap();
                if let Some(val) = o.remove(last) {
                    o.insert(name.clone(), val);
                }
            }
        }
        Mutation::Duplicate(i) => {
            let p = pick(*i);
            if let Some(Value::Array(a)) = parent_mut(v, &p) {
                if let Some(first) = a.first().cloned() {
                    a.push(first);
                }
            }
        }
    }
}

fn value_strategy() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        Just(Value::from(-1)),
        "[a-zA-Z0-9_.\\- ]{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("list"),
            Just("string"),
            Just("uint64"),
            Just("structure"),
            Just("enum"),
            Just("Self"),
            Just("type"),
            Just("TranscriptionParam"),
            Just("Node"),
            Just("")
        ]
        .prop_map(Value::from),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
        Just(serde_json::json!({"type": "structure", "members": {}})),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Remove),
        (any::<usize>(), value_strategy()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (
            any::<usize>(),
            "[A-Za-z][A-Za-z0-9]{0,8}|Self|type|RunID|runid"
        )
            .prop_map(|(i, s)| Mutation::Rename(i, s)),
        any::<usize>().prop_map(Mutation::Duplicate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_never_panic(which in 0usize..2, muts in proptest::collection::vec(mutation(), 1..4)) {
        let mut v = seed_specs().swap_remove(which);
        for m in &muts {
            apply(&mut v, m);
        }
        let text = serde_json::to_string(&v).unwrap();
        let file = Path::new("mutated.json");
        let common: CommonErrors = tencentcloud_codegen::spec::read_json(&root().join("spec/common-errors.json")).unwrap();
        if let Ok(spec) = parse_json::<Spec>(file, &text) {
            if let Ok(m) = model::resolve(file, "mutated.json", &spec, &common) {
                // A spec that resolves must also generate (parse + format).
                let files = generate(&m, &ManifestOptions::default());
                prop_assert!(files.is_ok(), "{:?}", files.err().map(|e| e.to_string()));
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = parse_json::<Spec>(Path::new("x.json"), &text);
        let _ = tencentcloud_codegen::docs::rustdoc_lines(&text);
        let _ = tencentcloud_codegen::docs::html_to_markdown(&text);
    }
}
