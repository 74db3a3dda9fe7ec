//! Runs every documented example of the imported spec through the generated
//! types: each request parses and serializes back to the same JSON, each
//! response parses. (Copied into the scratch workspace by tests/whole_service.rs.)

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

fn check<I, O>(request: &str, response: &str) -> Result<(), String>
where
    I: Serialize + DeserializeOwned,
    O: Serialize + DeserializeOwned,
{
    let typed: I = serde_json::from_str(request).map_err(|e| format!("request does not parse: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    let original: Value = serde_json::from_str(request).map_err(|e| e.to_string())?;
    if back != original {
        return Err(format!("request does not round-trip:\n{original}\n!=\n{back}"));
    }
    let _: Envelope<O> =
        serde_json::from_str(response).map_err(|e| format!("response does not parse: {e}"))?;
    Ok(())
}

type Checker = fn(&str, &str) -> Result<(), String>;

#[test]
fn every_documented_example() {
    let mut table: Vec<(&str, Checker)> = Vec::new();
    macro_rules! one {
        ($name:expr, $i:ty, $o:ty, $e:ty, $with:ident, $meta:path) => {
            table.push(($name, check::<$i, $o>));
        };
    }
    tencentcloud_trtc::for_each_action!(one);
    let path = std::env::var("SPEC_FILE").expect("SPEC_FILE");
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut passed = 0;
    let mut failed = Vec::new();
    for (name, action) in spec["actions"].as_object().unwrap() {
        let checker = table
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| *c)
            .unwrap_or_else(|| panic!("no generated types for {name}"));
        for ex in action["examples"].as_array().into_iter().flatten() {
            let title = ex["title"].as_str().unwrap_or("");
            match checker(ex["request"].as_str().unwrap(), ex["response"].as_str().unwrap()) {
                Ok(()) => passed += 1,
                Err(e) => failed.push(format!("{name} / {title:?}: {e}")),
            }
        }
    }
    println!("examples passed: {passed}");
    assert!(failed.is_empty(), "{} examples failed:\n{}", failed.len(), failed.join("\n"));
}
