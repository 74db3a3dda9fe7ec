//! The documented examples: each request parses into the typed request and
//! serializes back to the same JSON (byte for byte when the example lists
//! members in the documented order); each response parses into the typed
//! response. The seed's example is one of them, and the spec holds it verbatim.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tencentcloud_codegen::spec::{Example, Spec};
use tencentcloud_tests::{shared_dir, trtc_spec};

/// Serializes like Tencent's documentation: 4-space indentation.
fn pretty4<T: Serialize>(v: &T) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    v.serialize(&mut ser).expect("serialize");
    String::from_utf8(buf).expect("utf-8")
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

/// Member names in document order, recursively (to know whether byte equality applies).
fn key_order(text: &str) -> Vec<String> {
    // serde_json's `preserve_order` is off, so walk the text instead: every
    // string followed by `:` is a member name, in document order.
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i + 1;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            let name = &text[start..i.min(text.len())];
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b':' {
                out.push(name.to_owned());
            }
        }
        i += 1;
    }
    out
}

#[derive(Debug, Default)]
struct Outcome {
    byte_exact_requests: usize,
    reordered_requests: usize,
    byte_exact_responses: usize,
    reordered_responses: usize,
}

fn check_example<I, O>(ex: &Example, out: &mut Outcome) -> Result<(), String>
where
    I: Serialize + DeserializeOwned,
    O: Serialize + DeserializeOwned,
{
    let typed: I =
        serde_json::from_str(&ex.request).map_err(|e| format!("request does not parse: {e}"))?;
    let ours = pretty4(&typed);
    let original: Value = serde_json::from_str(&ex.request).map_err(|e| e.to_string())?;
    let again: Value = serde_json::from_str(&ours).map_err(|e| e.to_string())?;
    if again != original {
        return Err(format!(
            "request does not round-trip:\n{}\n!=\n{ours}",
            ex.request
        ));
    }
    if key_order(&ex.request) == key_order(&ours) {
        if ours != ex.request {
            return Err(format!(
                "request members are in order but bytes differ:\n{}\n!=\n{ours}",
                ex.request
            ));
        }
        out.byte_exact_requests += 1;
    } else {
        out.reordered_requests += 1;
    }
    let typed: Envelope<O> =
        serde_json::from_str(&ex.response).map_err(|e| format!("response does not parse: {e}"))?;
    let ours = pretty4(&typed);
    let original: Value = serde_json::from_str(&ex.response).map_err(|e| e.to_string())?;
    let again: Value = serde_json::from_str(&ours).map_err(|e| e.to_string())?;
    if again != original {
        return Err(format!(
            "response does not round-trip:\n{}\n!=\n{ours}",
            ex.response
        ));
    }
    if key_order(&ex.response) == key_order(&ours) {
        if ours != ex.response {
            return Err(format!(
                "response members are in order but bytes differ:\n{}\n!=\n{ours}",
                ex.response
            ));
        }
        out.byte_exact_responses += 1;
    } else {
        out.reordered_responses += 1;
    }
    Ok(())
}

type Checker = fn(&Example, &mut Outcome) -> Result<(), String>;

fn checkers() -> Vec<(&'static str, Checker)> {
    let mut table: Vec<(&'static str, Checker)> = Vec::new();
    macro_rules! one {
        ($name:expr, $i:ty, $o:ty, $e:ty, $with:ident, $meta:path) => {
            table.push(($name, check_example::<$i, $o>));
        };
    }
    tencentcloud_trtc::for_each_action!(one);
    table
}

fn run_all(spec: &Spec) -> (Outcome, usize) {
    let table = checkers();
    let mut outcome = Outcome::default();
    let mut n = 0;
    let mut failures = Vec::new();
    for (name, action) in spec.actions.iter() {
        let (_, check) = table
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no generated types for {name}"));
        for ex in &action.examples {
            n += 1;
            if let Err(e) = check(ex, &mut outcome) {
                failures.push(format!("{name} / {:?}: {e}", ex.title));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    (outcome, n)
}

#[test]
fn documented_examples_round_trip() {
    let (spec, _) = trtc_spec();
    let (outcome, n) = run_all(&spec);
    assert_eq!(n, 3, "one example per transcription action");
    eprintln!("{n} examples: {outcome:?}");
    assert_eq!(outcome.byte_exact_requests + outcome.reordered_requests, n);
}

#[test]
fn seed_example_is_byte_for_byte() {
    use tencentcloud_trtc::model::{
        CreateCloudTranscriptionRequest, CreateCloudTranscriptionResponse,
    };
    let (spec, _) = trtc_spec();
    let ex = &spec
        .actions
        .get("CreateCloudTranscription")
        .unwrap()
        .examples[0];
    let typed: CreateCloudTranscriptionRequest = serde_json::from_str(&ex.request).unwrap();
    assert_eq!(
        pretty4(&typed),
        ex.request,
        "SendCustomMode 2 (undocumented) survives too"
    );
    let typed: Envelope<CreateCloudTranscriptionResponse> =
        serde_json::from_str(&ex.response).unwrap();
    assert_eq!(pretty4(&typed), ex.response);
}

/// The seed page, and the sections of it this test reads.
struct Seed {
    text: String,
}

impl Seed {
    fn load() -> Seed {
        let dir = shared_dir().join("seed");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        assert_eq!(files.len(), 1, "one seed page in {}", dir.display());
        Seed {
            text: std::fs::read_to_string(&files[0]).unwrap(),
        }
    }

    fn between(&self, start: &str, end: &str) -> &str {
        let s = self
            .text
            .find(start)
            .unwrap_or_else(|| panic!("seed lacks {start:?}"))
            + start.len();
        let e = self.text[s..]
            .find(end)
            .unwrap_or_else(|| panic!("seed lacks {end:?}"))
            + s;
        self.text[s..e].trim()
    }
}

#[test]
fn spec_holds_the_seed_example_verbatim() {
    let seed = Seed::load();
    let (spec, _) = trtc_spec();
    let ex = &spec
        .actions
        .get("CreateCloudTranscription")
        .unwrap()
        .examples[0];
    assert_eq!(ex.title, seed.between("Example1 ", "\n"));
    assert_eq!(
        ex.request,
        seed.between("<Common request parameters>\n", "\n\nOutput Example")
    );
    assert_eq!(
        ex.response,
        seed.between("Output Example\n", "\n\n5. Developer Resources")
    );
}

#[test]
fn spec_has_every_error_code_of_the_seed() {
    let seed = Seed::load();
    let (spec, _) = trtc_spec();
    let table = seed.between("Error Code Description\n", "\n\nHelp and Support");
    let documented: Vec<(String, String)> = table
        .lines()
        .map(|l| {
            let (code, desc) = l.split_once(' ').unwrap();
            (code.to_owned(), desc.to_owned())
        })
        .collect();
    assert_eq!(documented.len(), 20);
    let ours: Vec<(String, String)> = spec
        .actions
        .get("CreateCloudTranscription")
        .unwrap()
        .errors
        .iter()
        .map(|(c, d)| (c.to_owned(), d.to_owned()))
        .collect();
    assert_eq!(ours, documented);
}

#[test]
fn spec_has_the_seed_regions_rate_limit_endpoint_and_members() {
    let seed = Seed::load();
    let (spec, _) = trtc_spec();
    let action = spec.actions.get("CreateCloudTranscription").unwrap();
    let regions: Vec<&str> = seed
        .between("This API only supports: ", ".\n")
        .split(", ")
        .collect();
    assert_eq!(action.regions, regions);
    let limit: u32 = seed
        .between("A maximum of ", " requests can be initiated per second")
        .parse()
        .unwrap();
    assert_eq!(
        action.rate_limit,
        Some(tencentcloud_codegen::spec::RateLimit::per_second(limit))
    );
    assert_eq!(
        spec.service.international_endpoint.as_deref(),
        Some(seed.between("Domain name for API request: ", ".\n"))
    );
    assert_eq!(spec.service.version, "2019-07-22");
    // Input parameters: name, required, type.
    let table = seed.between(
        "Parameter Name Required Type Description\n",
        "\n\n3. Output Parameters",
    );
    let input = spec
        .shapes
        .get(&action.input)
        .unwrap()
        .members
        .as_ref()
        .unwrap();
    let mut seen = 0;
    for line in table.lines() {
        let mut parts = line.splitn(4, ' ');
        let (name, required, ty) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        if ["Action", "Version", "Region"].contains(&name) {
            continue;
        }
        let m = input
            .get(name)
            .unwrap_or_else(|| panic!("spec lacks input member {name}"));
        assert_eq!(m.required, required == "Yes", "{name} required");
        let expected_ty = match ty {
            "Integer" => vec!["uint64", "int64", "RoomIdType"],
            "String" => vec!["string"],
            other => vec![other],
        };
        assert!(
            expected_ty.contains(&m.ty.as_str()),
            "{name}: {} vs {ty}",
            m.ty
        );
        seen += 1;
    }
    assert_eq!(seen, 6);
    // Output parameters.
    let out_table = seed.between("Parameter Name Type Description\n", "\n\n4. Example");
    let output = spec
        .shapes
        .get(&action.output)
        .unwrap()
        .members
        .as_ref()
        .unwrap();
    for line in out_table.lines() {
        let name = line.split(' ').next().unwrap();
        assert!(
            output.get(name).is_some(),
            "spec lacks output member {name}"
        );
    }
}
