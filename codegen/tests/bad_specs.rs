//! Each class of bad spec gets its own clear error naming the file and JSON path.

use std::path::Path;

use serde_json::{json, Value};
use tencentcloud_codegen::model::resolve;
use tencentcloud_codegen::spec::{parse_json, CommonErrors, Spec};

fn common() -> CommonErrors {
    serde_json::from_value(json!({
        "format": "tencentcloud-errors/1",
        "errors": {"InternalError": "Internal error."}
    }))
    .unwrap()
}

/// A small valid spec to break in one place.
fn base() -> Value {
    json!({
        "format": "tencentcloud-spec/1",
        "service": {"name": "demo", "version": "2020-01-01", "endpoint": "demo.tencentcloudapi.com"},
        "actions": {
            "GetThing": {"input": "GetThingRequest", "output": "GetThingResponse", "regions": ["ap-guangzhou"], "rate_limit": 20,
                "errors": {"FailedOperation": "Failed."},
                "examples": [{"title": "t", "request": "{\"Id\": 1}", "response": "{\"Response\": {\"RequestId\": \"r\"}}"}]}
        },
        "shapes": {
            "GetThingRequest": {"type": "structure", "members": {
                "Id": {"type": "uint64", "required": true},
                "Mode": {"type": "Mode"},
                "Tags": {"type": "list", "items": "string"}
            }},
            "GetThingResponse": {"type": "structure", "members": {"RequestId": {"type": "string", "required": true}}},
            "Mode": {"type": "enum", "base": "uint64", "values": [{"name": "Off", "value": 0}]}
        }
    })
}

/// Every error of the mutated spec, as `path: message` lines.
fn errors(mutate: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut v = base();
    mutate(&mut v);
    let text = serde_json::to_string_pretty(&v).unwrap();
    errors_of_text(&text)
}

fn errors_of_text(text: &str) -> Vec<String> {
    let file = Path::new("demo.json");
    let spec: Spec = match parse_json(file, text) {
        Ok(s) => s,
        Err(e) => {
            assert_eq!(e.file, file);
            return vec![format!("{}: {}", e.path, e.message)];
        }
    };
    match resolve(file, "demo.json", &spec, &common()) {
        Ok(_) => vec![],
        Err(es) => {
            es.0.iter()
                .map(|e| {
                    assert_eq!(e.file, file);
                    format!("{}: {}", e.path, e.message)
                })
                .collect()
        }
    }
}

fn assert_one(errs: Vec<String>, path: &str, fragment: &str) {
    assert!(
        errs.iter()
            .any(|e| e.starts_with(&format!("{path}: ")) && e.contains(fragment)),
        "expected an error at {path} containing {fragment:?}, got {errs:#?}"
    );
}

#[test]
fn the_base_spec_is_valid() {
    assert_eq!(errors(|_| {}), Vec::<String>::new());
}

#[test]
fn unknown_type_reference_with_a_hint() {
    let e = errors(|v| v["shapes"]["GetThingRequest"]["members"]["Mode"]["type"] = json!("mode"));
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Mode.type",
        "unknown type `mode`",
    );
    let e = errors(|v| v["shapes"]["GetThingRequest"]["members"]["Mode"]["type"] = json!("mode"));
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Mode.type",
        "did you mean `Mode`?",
    );
    let e = errors(|v| v["shapes"]["GetThingRequest"]["members"]["Tags"]["items"] = json!("Tag"));
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Tags.items",
        "unknown type `Tag`",
    );
    let e = errors(|v| v["actions"]["GetThing"]["output"] = json!("Nope"));
    assert_one(e, "$.actions.GetThing.output", "unknown shape `Nope`");
}

#[test]
fn duplicate_names() {
    let text = serde_json::to_string_pretty(&base()).unwrap().replace(
        "\"Tags\": {",
        "\"Id\": {\"type\": \"string\"},\n\"Tags\": {",
    );
    let e = errors_of_text(&text);
    assert_one(e, "$.shapes.GetThingRequest.members", "duplicate key `Id`");
    let e = errors(|v| {
        v["shapes"]["Mode"]["values"] =
            json!([{"name": "Off", "value": 0}, {"name": "Off", "value": 1}])
    });
    assert_one(e, "$.shapes.Mode.values[1].name", "used twice");
    let e = errors(|v| {
        v["shapes"]["Mode"]["values"] =
            json!([{"name": "Off", "value": 0}, {"name": "On", "value": 0}])
    });
    assert_one(e, "$.shapes.Mode.values[1].value", "listed twice");
}

#[test]
fn names_colliding_after_case_conversion_by_override() {
    // Automatic collisions get suffixes (see the edge-case snapshots); an explicit
    // `rust_name` that collides is refused.
    let e = errors(|v| {
        v["shapes"]["GetThingRequest"]["members"]["Tags"]["rust_name"] = json!("id");
        v["shapes"]["GetThingRequest"]["members"]["Id"]["rust_name"] = json!("id");
    });
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Tags.rust_name",
        "collides",
    );
    let e = errors(|v| {
        v["shapes"]["GetThingResponse"]["rust_name"] = json!("Mode");
        v["shapes"]["Mode"]["rust_name"] = json!("Mode");
    });
    assert_one(e, "$.shapes.Mode.rust_name", "already used");
}

#[test]
fn keywords_and_bad_overrides() {
    let e =
        errors(|v| v["shapes"]["GetThingRequest"]["members"]["Id"]["rust_name"] = json!("self"));
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Id.rust_name",
        "not a snake_case identifier",
    );
    let e = errors(|v| v["shapes"]["Mode"]["rust_name"] = json!("Self"));
    assert_one(
        e,
        "$.shapes.Mode.rust_name",
        "not an UpperCamelCase identifier",
    );
    // Keyword member names themselves are fine (r#type, self_): see the snapshots.
    let e = errors(|v| {
        v["shapes"]["GetThingRequest"]["members"]["Type"] = json!({"type": "string"});
        v["shapes"]["GetThingRequest"]["members"]["Self"] = json!({"type": "string"});
    });
    assert_eq!(e, Vec::<String>::new());
}

#[test]
fn structural_mistakes() {
    let e = errors(|v| {
        v["shapes"]["GetThingRequest"]["members"]["Tags"]
            .as_object_mut()
            .unwrap()
            .remove("items")
            .map(|_| ())
            .unwrap()
    });
    assert_one(e, "$.shapes.GetThingRequest.members.Tags", "needs `items`");
    let e = errors(|v| v["shapes"]["GetThingRequest"]["members"]["Id"]["items"] = json!("string"));
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Id.items",
        "only for `list`",
    );
    let e = errors(|v| v["actions"]["GetThing"]["input"] = json!("Mode"));
    assert_one(e, "$.actions.GetThing.input", "is an enum");
    let e = errors(|v| v["shapes"]["Mode"]["values"][0]["value"] = json!("zero"));
    assert_one(
        e,
        "$.shapes.Mode.values[0].value",
        "not a valid uint64 value",
    );
    let e = errors(|v| v["shapes"]["Mode"]["base"] = json!("float"));
    assert_one(e, "$.shapes.Mode.base", "string, int64 or uint64");
    let e = errors(|v| v["shapes"]["Unused"] = json!({"type": "structure", "members": {}}));
    assert_one(e, "$.shapes.Unused", "not used by any action");
    let e = errors(|v| v["shapes"]["string"] = json!({"type": "structure", "members": {}}));
    assert_one(e, "$.shapes.string", "built-in type name");
}

#[test]
fn required_cycles_have_no_finite_value() {
    let e = errors(|v| {
        v["shapes"]["GetThingRequest"]["members"]["Loop"] = json!({"type": "A", "required": true});
        v["shapes"]["A"] =
            json!({"type": "structure", "members": {"B": {"type": "B", "required": true}}});
        v["shapes"]["B"] =
            json!({"type": "structure", "members": {"A": {"type": "A", "required": true}}});
    });
    assert_one(e, "$.shapes.A", "A.B -> B.A");
    // The same cycle with one optional link is fine (boxed).
    let e = errors(|v| {
        v["shapes"]["GetThingRequest"]["members"]["Loop"] = json!({"type": "A", "required": true});
        v["shapes"]["A"] =
            json!({"type": "structure", "members": {"B": {"type": "B", "required": true}}});
        v["shapes"]["B"] = json!({"type": "structure", "members": {"A": {"type": "A"}}});
    });
    assert_eq!(e, Vec::<String>::new());
}

#[test]
fn action_facts() {
    let e = errors(|v| v["actions"]["GetThing"]["regions"] = json!(["Guangzhou"]));
    assert_one(e, "$.actions.GetThing.regions[0]", "not a region name");
    let e = errors(|v| v["actions"]["GetThing"]["rate_limit"] = json!(0));
    assert_one(e, "$.actions.GetThing.rate_limit", "at least 1");
    let e = errors(|v| v["actions"]["GetThing"]["rate_limit"] = json!(-1));
    assert_one(e, "$.actions.GetThing.rate_limit", "cannot be negative");
    let e = errors(|v| v["actions"]["GetThing"]["rate_limit"] = json!("20"));
    assert_one(e, "$.actions.GetThing.rate_limit", "requests per second");
    let e = errors(|v| {
        v["actions"]["GetThing"]["rate_limit"] = json!({"requests": 1, "per_seconds": 0})
    });
    assert_one(e, "$.actions.GetThing.rate_limit", "at least 1 second");
    let e = errors(|v| v["actions"]["GetThing"]["rate_limit"] = json!({"requests": 1}));
    assert_one(
        e,
        "$.actions.GetThing.rate_limit",
        "missing field `per_seconds`",
    );
    let e = errors(|v| {
        v["actions"]["GetThing"]["rate_limit"] = json!({"requests": 1, "per_second": 15})
    });
    assert_one(
        e,
        "$.actions.GetThing.rate_limit.per_second",
        "unknown field `per_second`",
    );
    let e = errors(|v| v["actions"]["GetThing"]["endpoint"] = json!("https://x.example"));
    assert_one(e, "$.actions.GetThing.endpoint", "not a host name");
    let e = errors(|v| v["actions"]["GetThing"]["errors"]["Bad Code"] = json!("x"));
    assert_one(e, "$.actions.GetThing.errors.Bad Code", "not an error code");
    let e = errors(|v| v["actions"]["GetThing"]["examples"][0]["request"] = json!("{\"Id\": 1,}"));
    assert_one(e, "$.actions.GetThing.examples[0].request", "not JSON");
    let e = errors(|v| {
        v["actions"]["GetThing"]["examples"][0]["response"] = json!("{\"RequestId\": \"r\"}")
    });
    assert_one(e, "$.actions.GetThing.examples[0].response", "Response");
    let e = errors(|v| v["actions"]["get_thing"] = v["actions"]["GetThing"].clone());
    assert_one(e, "$.actions.get_thing", "UpperCamelCase");
}

#[test]
fn streams_and_paginators() {
    let e =
        errors(|v| v["actions"]["GetThing"]["stream"] = json!({"format": "sse", "event": "Nope"}));
    assert_one(e, "$.actions.GetThing.stream.event", "unknown shape `Nope`");
    let e = errors(|v| {
        v["actions"]["GetThing"]["stream"] = json!({"format": "websocket", "event": "Mode"})
    });
    assert_one(
        e,
        "$.actions.GetThing.stream.format",
        "unknown variant `websocket`",
    );
    let e =
        errors(|v| v["actions"]["GetThing"]["stream"] = json!({"format": "sse", "event": "Mode"}));
    assert_one(e, "$.actions.GetThing.stream.event", "enum");
    let e = errors(|v| {
        v["actions"]["GetThing"]["stream"] =
            json!({"format": "sse", "event": "GetThingRequest", "end_member": "Id"})
    });
    assert_one(
        e,
        "$.actions.GetThing.stream.end_member",
        "is uint64, not bool",
    );
    let e = errors(|v| {
        v["actions"]["GetThing"]["stream"] =
            json!({"format": "sse", "event": "GetThingRequest", "error_kind": "error"})
    });
    assert_one(
        e,
        "$.actions.GetThing.stream.error_kind",
        "needs `kind_member`",
    );
    let e = errors(|v| v["actions"]["GetThing"]["paginator"] = json!(true));
    assert_one(e, "$.actions.GetThing.paginator", "`true` is not allowed");
    let e = errors(|v| {
        v["actions"]["GetThing"]["paginator"] = json!({"style": "page_number", "cursor": "Page",
            "size": "Id", "total": "RequestId", "items": "Tags"})
    });
    assert_eq!(
        e,
        vec![
            "$.actions.GetThing.paginator.cursor: `GetThingRequest` has no member `Page`",
            "$.actions.GetThing.paginator.total: `GetThingResponse.RequestId` is string, not an integer",
            "$.actions.GetThing.paginator.items: `GetThingResponse` has no member `Tags`",
        ]
    );
}

#[test]
fn file_level_mistakes() {
    let e = errors(|v| v["format"] = json!("tencentcloud-spec/9"));
    assert_one(e, "$.format", "expected \"tencentcloud-spec/1\"");
    let e = errors(|v| v["service"]["version"] = json!("2020-1-1"));
    assert_one(e, "$.service.version", "YYYY-MM-DD");
    let e = errors(|v| v["service"]["endpoint"] = json!("https://demo.tencentcloudapi.com"));
    assert_one(e, "$.service.endpoint", "not a host name");
    let e = errors(|v| v["service"]["regoin"] = json!("x"));
    assert_one(e, "$.service.regoin", "unknown field `regoin`");
    let e = errors(|v| v["shapes"]["GetThingRequest"]["members"]["Id"]["required"] = json!("yes"));
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Id.required",
        "invalid type",
    );
    let e = errors_of_text("{\"format\": ");
    assert_one(e, "$.format", "EOF while parsing");
}

#[test]
fn several_problems_are_reported_together() {
    let e = errors(|v| {
        v["actions"]["GetThing"]["rate_limit"] = json!(0);
        v["shapes"]["GetThingRequest"]["members"]["Mode"]["type"] = json!("Nope");
        v["service"]["name"] = json!("Demo");
    });
    assert!(e.len() >= 3, "{e:#?}");
}

#[test]
fn edition_marks() {
    // Valid marks: an action and a shape of one edition, a member of one
    // edition in a shared shape, a Chinese description.
    assert_eq!(
        errors(|v| {
            v["actions"]["GetThing"]["editions"] = json!(["mainland"]);
            v["actions"]["GetThing"]["description"] = json!("说明");
            v["actions"]["GetThing"]["language"] = json!("zh");
            v["shapes"]["GetThingRequest"]["members"]["Tags"]["editions"] =
                json!(["international"]);
        }),
        Vec::<String>::new()
    );
    // The generated docs say so.
    let mut v = base();
    v["actions"]["GetThing"]["editions"] = json!(["mainland"]);
    v["actions"]["GetThing"]["description"] = json!("说明");
    v["actions"]["GetThing"]["language"] = json!("zh");
    let spec: Spec = parse_json(Path::new("demo.json"), &v.to_string()).unwrap();
    let model = resolve(Path::new("demo.json"), "demo.json", &spec, &common()).unwrap();
    assert_eq!(
        model.actions[0].description,
        "说明\n\n*(Description in Chinese, as the Mainland China edition publishes it.)*\n\n\
         *Mainland China edition only.*"
    );
    let e = errors(|v| v["actions"]["GetThing"]["editions"] = json!(["moon"]));
    assert_one(
        e,
        "$.actions.GetThing.editions[0]",
        "unknown variant `moon`",
    );
    let e = errors(|v| v["actions"]["GetThing"]["editions"] = json!(["mainland", "mainland"]));
    assert_one(e, "$.actions.GetThing.editions[1]", "listed twice");
    let e = errors(|v| {
        v["shapes"]["GetThingRequest"]["editions"] = json!(["mainland"]);
        v["shapes"]["GetThingRequest"]["members"]["Tags"]["editions"] = json!(["international"]);
    });
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Tags.editions[0]",
        "edition `international` does not publish the structure",
    );
    let e = errors(|v| v["shapes"]["GetThingRequest"]["members"]["Id"]["language"] = json!("zh"));
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Id.language",
        "there is no description",
    );
    let e = errors(|v| v["actions"]["GetThing"]["language"] = json!("fr"));
    assert_one(e, "$.actions.GetThing.language", "unknown variant `fr`");
}

/// `base()` with a JSON-in-a-string member `Config` typed by `Config` (two
/// providers by `Kind`).
fn with_json(mutate: impl FnOnce(&mut Value)) -> Vec<String> {
    errors(|v| {
        v["shapes"]["GetThingRequest"]["members"]["Config"] =
            json!({"type": "string", "json": "Config"});
        v["json_types"] = json!({"types": {"Config": {
            "discriminator": "Kind",
            "variants": {
                "Alpha": {"value": "alpha", "fields": {
                    "APIKey": {"type": "string", "required": true, "sensitive": true},
                    "Level": {"type": "int64", "min": 0, "max": 5}
                }, "providers": {"alpha": {"title": "Alpha", "url": "https://example.com/alpha",
                    "example": "{\"Kind\": \"alpha\", \"APIKey\": \"k\"}"}}},
                "Beta": {"value": "beta", "fields": {}, "providers": {"beta": {"title": "Beta", "source": "a page"}}}
            }
        }}});
        mutate(v);
    })
}

#[test]
fn json_types_are_valid_and_checked_with_paths() {
    assert_eq!(with_json(|_| {}), Vec::<String>::new());
    let e = with_json(|v| {
        v["shapes"]["GetThingRequest"]["members"]["Config"]["json"] = json!("config")
    });
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Config.json",
        "unknown JSON type `config`: not in `json_types.types` (did you mean `Config`?)",
    );
    let e = with_json(|v| {
        v["shapes"]["GetThingRequest"]["members"]["Config"]["type"] = json!("uint64")
    });
    assert_one(
        e,
        "$.shapes.GetThingRequest.members.Config.json",
        "only a `string` member can carry JSON",
    );
    let e = with_json(|v| {
        v["json_types"]["types"]["Config"]["variants"]["Alpha"]["fields"]["Level"]["type"] =
            json!("integer")
    });
    assert_one(
        e,
        "$.json_types.types.Config.variants.Alpha.fields.Level.type",
        "unknown JSON key type `integer`",
    );
    let e = with_json(|v| {
        v["json_types"]["types"]["Config"]["variants"]["Alpha"]["fields"]["apikey"] =
            json!({"type": "string"})
    });
    assert_one(
        e,
        "$.json_types.types.Config.variants.Alpha.fields.apikey",
        "differing only by case",
    );
    let e = with_json(|v| {
        v["json_types"]["types"]["Config"]["variants"]["Beta"]["value"] = json!("alpha")
    });
    assert_one(
        e,
        "$.json_types.types.Config.variants.Beta.value",
        "used twice",
    );
    let e = with_json(|v| {
        v["json_types"]["types"]["Config"]["variants"]["Other"] =
            v["json_types"]["types"]["Config"]["variants"]["Beta"].clone()
    });
    assert!(
        e.iter().any(|e| e.contains("`Other` is the escape hatch")),
        "{e:#?}"
    );
    let e = with_json(|v| {
        v["json_types"]["types"]["Config"]["variants"]["Alpha"]["providers"]["alpha"]["example"] =
            json!("{\"Kind\": \"beta\"}")
    });
    assert_one(
        e,
        "$.json_types.types.Config.variants.Alpha.providers.alpha.example",
        "the example's `Kind` is not `alpha`",
    );
    let e = with_json(|v| {
        v["json_types"]["types"]["Config"]["variants"]["Alpha"]["fields"]["Level"]["allowed"] =
            json!(["high"])
    });
    assert_one(
        e,
        "$.json_types.types.Config.variants.Alpha.fields.Level.allowed[0]",
        "is not a `int64` value",
    );
    let e = with_json(|v| {
        v["json_types"]["types"]["Unused"] = json!({"fields": {}});
    });
    assert_one(
        e,
        "$.json_types.types.Unused",
        "is not carried by any member",
    );
    let e = with_json(|v| {
        v["json_types"]["types"]["Config"]["fields"] = json!({});
    });
    assert_one(
        e,
        "$.json_types.types.Config",
        "either `discriminator` and `variants`",
    );
}

#[test]
fn waiters() {
    let waiter = || {
        json!({"action": "DescribeThing", "status": "Status", "success": ["Done"], "failure": ["Broken"],
               "interval_seconds": 2, "max_wait_seconds": 60})
    };
    let with = |w: Value| {
        errors(move |v| {
            v["actions"]["DescribeThing"] =
                json!({"input": "GetThingRequest", "output": "DescribeThingResponse"});
            v["actions"]["StartThing"] =
                json!({"input": "GetThingRequest", "output": "DescribeThingResponse"});
            v["shapes"]["DescribeThingResponse"] = json!({"type": "structure", "members": {
                "Status": {"type": "string"}, "Code": {"type": "Mode"}, "Inner": {"type": "Inner"},
                "RequestId": {"type": "string", "required": true}}});
            v["shapes"]["Inner"] =
                json!({"type": "structure", "members": {"State": {"type": "int64"}}});
            v["waiters"] = json!({"ThingDone": w});
        })
    };
    assert_eq!(with(waiter()), Vec::<String>::new());
    let mut w = waiter();
    w["action"] = json!("StartThing");
    assert_one(
        with(w),
        "$.waiters.ThingDone.action",
        "not a read-only action",
    );
    let mut w = waiter();
    w["action"] = json!("DescribeNothing");
    assert_one(with(w), "$.waiters.ThingDone.action", "unknown action");
    let mut w = waiter();
    w["status"] = json!("Inner.Nope");
    assert_one(
        with(w),
        "$.waiters.ThingDone.status",
        "`Nope` is not a member of `Inner`",
    );
    let mut w = waiter();
    w["status"] = json!("Inner.State");
    assert_one(with(w), "$.waiters.ThingDone.success[0]", "not an integer");
    let mut w = waiter();
    w["status"] = json!("Code");
    assert_one(
        with(w),
        "$.waiters.ThingDone.failure[0]",
        "not a value of `Mode`",
    );
    let mut w = waiter();
    w["failure"] = json!(["Done"]);
    assert_one(
        with(w),
        "$.waiters.ThingDone.failure[0]",
        "also a success state",
    );
    let mut w = waiter();
    w["success"] = json!([]);
    assert_one(with(w), "$.waiters.ThingDone", "can never succeed");
    let mut w = waiter();
    w["not_found"] = json!("success");
    w["not_found_codes"] = json!(["not a code!"]);
    assert_one(
        with(w),
        "$.waiters.ThingDone.not_found_codes[0]",
        "is not an error code",
    );
    let mut w = waiter();
    w["interval_seconds"] = json!(0);
    assert_one(
        with(w),
        "$.waiters.ThingDone.interval_seconds",
        "at least 1",
    );
    let mut w = waiter();
    w["max_wait_seconds"] = json!(1);
    assert_one(
        with(w),
        "$.waiters.ThingDone.max_wait_seconds",
        "at least the interval",
    );
    let mut w = waiter();
    w["not_found"] = json!("maybe");
    let errs = with(w);
    assert!(
        errs.iter()
            .any(|e| e.starts_with("$.waiters.ThingDone.not_found")),
        "{errs:?}"
    );
}

/// The base spec with `limits` on `GetThingRequest.<member>`.
fn with_limits(member: &str, limits: Value) -> Vec<String> {
    errors(|v| v["shapes"]["GetThingRequest"]["members"][member]["limits"] = limits)
}

fn src() -> Value {
    json!([{"text": "Value range: [1, 60].", "language": "en", "editions": ["international"]}])
}

#[test]
fn documented_limits_fit_their_member() {
    const ID: &str = "$.shapes.GetThingRequest.members.Id.limits";
    const TAGS: &str = "$.shapes.GetThingRequest.members.Tags.limits";
    const MODE: &str = "$.shapes.GetThingRequest.members.Mode.limits";
    // Valid: a range on a number, a count and item lengths on a list of
    // strings, a range on an integer enum.
    assert_eq!(
        with_limits(
            "Id",
            json!([{"kind": "range", "min": 1, "max": 60, "sources": src()}])
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        with_limits(
            "Tags",
            json!([
                {"kind": "count", "max": 10, "sources": src()},
                {"kind": "length", "max": 64, "unit": "bytes", "sources": src()},
                {"kind": "pattern", "pattern": "^[a-zA-Z0-9_-]*$", "sources": src()},
                {"kind": "values", "values": ["a", "b"], "sources": src()}
            ])
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        with_limits(
            "Mode",
            json!([{"kind": "range", "min": 0, "max": 2, "sources": src()}])
        ),
        Vec::<String>::new()
    );

    // A range only on numeric members, a length only on strings, a count only on lists.
    assert_one(
        with_limits("Tags", json!([{"kind": "range", "max": 5, "sources": src()}])),
        &format!("{TAGS}[0].kind"),
        "a `range` limit needs a numeric member (or a list of numbers); the member is a list of strings",
    );
    assert_one(
        with_limits(
            "Id",
            json!([{"kind": "length", "max": 5, "sources": src()}]),
        ),
        &format!("{ID}[0].kind"),
        "a `length` limit needs a string member",
    );
    assert_one(
        with_limits("Id", json!([{"kind": "count", "max": 5, "sources": src()}])),
        &format!("{ID}[0].kind"),
        "a `count` limit needs a list member",
    );
    // Values are the enum's business.
    assert_one(
        with_limits(
            "Mode",
            json!([{"kind": "values", "values": [0], "sources": src()}]),
        ),
        &format!("{MODE}[0].kind"),
        "the member is an enum",
    );
    // min <= max, whole numbers for lengths and counts, bounds of the member's type.
    assert_one(
        with_limits(
            "Id",
            json!([{"kind": "range", "min": 60, "max": 1, "sources": src()}]),
        ),
        &format!("{ID}[0].min"),
        "`min` 60 is greater than `max` 1",
    );
    assert_one(
        with_limits(
            "Id",
            json!([{"kind": "range", "min": 1, "max": 1, "max_exclusive": true, "sources": src()}]),
        ),
        &format!("{ID}[0].min"),
        "no value is allowed",
    );
    assert_one(
        with_limits(
            "Tags",
            json!([{"kind": "count", "min": -1, "sources": src()}]),
        ),
        &format!("{TAGS}[0].min"),
        "not a whole number",
    );
    assert_one(
        with_limits("Id", json!([{"kind": "range", "sources": src()}])),
        &format!("{ID}[0]"),
        "needs `min`, `max` or both",
    );
    assert_one(
        with_limits(
            "Id",
            json!([{"kind": "range", "max": 2, "sources": src()}, {"kind": "range", "max": 3, "sources": src()}]),
        ),
        &format!("{ID}[1].kind"),
        "a second `range` limit",
    );
}

#[test]
fn documented_limits_have_a_supported_pattern_their_sentence_and_known_fields() {
    const ID: &str = "$.shapes.GetThingRequest.members.Id.limits";
    const TAGS: &str = "$.shapes.GetThingRequest.members.Tags.limits";
    // A pattern that compiles (a character class; no regex engine).
    assert_one(
        with_limits(
            "Tags",
            json!([{"kind": "pattern", "pattern": "^[a-z", "sources": src()}]),
        ),
        &format!("{TAGS}[0].pattern"),
        "is not a supported pattern",
    );
    assert_one(
        with_limits(
            "Tags",
            json!([{"kind": "pattern", "pattern": "^[z-a]*$", "sources": src()}]),
        ),
        &format!("{TAGS}[0].pattern"),
        "the range `z-a` is backwards",
    );
    // The sentence is kept, and not empty.
    assert_one(
        with_limits("Id", json!([{"kind": "range", "max": 2, "sources": []}])),
        &format!("{ID}[0].sources"),
        "needs the sentence it comes from",
    );
    assert_one(
        with_limits(
            "Id",
            json!([{"kind": "range", "max": 2, "sources": [{"text": "", "language": "zh"}]}]),
        ),
        &format!("{ID}[0].sources[0].text"),
        "the sentence is empty",
    );
    // Strict loading: unknown fields and languages are refused with their path.
    assert_one(
        with_limits(
            "Id",
            json!([{"kind": "range", "max": 2, "maximum": 3, "sources": src()}]),
        ),
        &format!("{ID}[0].maximum"),
        "unknown field `maximum`",
    );
    assert_one(
        with_limits(
            "Id",
            json!([{"kind": "range", "max": 2, "sources": [{"text": "x", "language": "fr"}]}]),
        ),
        &format!("{ID}[0].sources[0].language"),
        "unknown variant `fr`",
    );
    assert_one(
        with_limits("Id", json!([{"kind": "size", "max": 2, "sources": src()}])),
        &format!("{ID}[0].kind"),
        "unknown variant `size`",
    );
}
