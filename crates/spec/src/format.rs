//! The spec format: serde types, loading with precise errors, and writing.
//!
//! The format is documented in `spec/README.md`. Loading is strict: unknown
//! fields, wrong types and duplicate keys are errors that name the file and the
//! JSON path. Semantic checks (references, names, cycles) are in
//! the validation (`tencentcloud_codegen::model::resolve`).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use tencentcloud_runtime::json_string::Kind;

/// The `format` value of a service spec file.
pub const SERVICE_FORMAT: &str = "tencentcloud-spec/1";
/// The `format` value of the common error codes file.
pub const ERRORS_FORMAT: &str = "tencentcloud-errors/1";

/// A JSON object whose keys are unique, kept in file order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct UniqueMap<V>(pub Vec<(String, V)>);

impl<V> UniqueMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        UniqueMap(Vec::new())
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Inserts or replaces, keeping the position of an existing key.
    pub fn insert(&mut self, key: impl Into<String>, value: V) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    /// Removes `key`.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    /// Entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with unique keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, V)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!("duplicate key `{key}`")));
                    }
                    let value = map.next_value::<V>()?;
                    out.push((key, value));
                }
                Ok(UniqueMap(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

impl<V: Serialize> Serialize for UniqueMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One service version: `spec/<service>-<version>.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Must be [`SERVICE_FORMAT`].
    pub format: String,
    /// The service.
    pub service: Service,
    /// Actions by name, in order.
    pub actions: UniqueMap<Action>,
    /// Shapes by name, in order.
    pub shapes: UniqueMap<Shape>,
    /// Every error code the service defines (Tencent's `errorcodes.py`), code →
    /// description; each becomes a variant of the service's `ErrorCode`.
    #[serde(default, skip_serializing_if = "UniqueMap::is_empty")]
    pub errors: UniqueMap<String>,
    /// The service's event callbacks (webhooks), if it sends any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<Callbacks>,
    /// JSON documents carried in string members (`"json": "Name"` on a member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_types: Option<JsonTypes>,
    /// Waiters by name (UpperCamelCase), in order: how to wait for a task of
    /// one lifecycle to reach a state by polling its Describe action.
    #[serde(
        default = "UniqueMap::new",
        skip_serializing_if = "UniqueMap::is_empty"
    )]
    pub waiters: UniqueMap<Waiter>,
}

/// A waiter: polls one read-only action until the status it reports is a
/// success or a failure state, the task is gone, or the maximum wait passes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiter {
    /// What the waiter waits for (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// For maintainers, not rendered: where the states come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<String>,
    /// The action it polls (a `Describe*` action; never a mutation).
    pub action: String,
    /// Where the status is in the action's output: member names joined by `.`.
    pub status: String,
    /// States that end the wait successfully (the status as text: `InProgress`, `1`).
    #[serde(default)]
    pub success: Vec<String>,
    /// States that end the wait with a failure.
    #[serde(default)]
    pub failure: Vec<String>,
    /// What an answer with one of `not_found_codes` means (default `error`).
    #[serde(default, skip_serializing_if = "NotFound::is_error")]
    pub not_found: NotFound,
    /// The error codes that say the task does not exist (default `ResourceNotFound`).
    #[serde(
        default = "default_not_found_codes",
        skip_serializing_if = "is_default_not_found_codes"
    )]
    pub not_found_codes: Vec<String>,
    /// Seconds between polls by default.
    pub interval_seconds: u32,
    /// The default maximum wait, in seconds.
    pub max_wait_seconds: u32,
    /// Overrides the snake_case part of the method name (`wait_until_<rust_name>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

fn default_not_found_codes() -> Vec<String> {
    vec!["ResourceNotFound".to_owned()]
}

fn is_default_not_found_codes(v: &[String]) -> bool {
    v == ["ResourceNotFound"]
}

impl NotFound {
    fn is_error(&self) -> bool {
        *self == NotFound::Error
    }
}

/// What a waiter makes of "the task does not exist".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotFound {
    /// The wait succeeded (the task was deleted, as waited for).
    Success,
    /// The wait failed (the task the waiter waits on is gone).
    Failure,
    /// The error ends the wait as an error, like any other.
    #[default]
    Error,
}

impl Spec {
    /// The members of `action` marked `sensitive`, as dotted paths: in the
    /// request body from its root (`TranscriptionParam.UserSig`), in the
    /// response body from `Response` (`Response.UserSig`). A path runs
    /// through lists element by element; a shape reached again on its own
    /// path (recursion) is not walked twice. What the runtime's `redact`
    /// masks and generated crates put in `ActionMeta::sensitive`.
    pub fn sensitive_paths(&self, action: &Action) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = Vec::new();
        self.walk_sensitive(&action.input, "", &mut stack, &mut out);
        self.walk_sensitive(&action.output, "Response.", &mut stack, &mut out);
        out
    }

    fn walk_sensitive<'a>(
        &'a self,
        shape: &'a str,
        prefix: &str,
        stack: &mut Vec<&'a str>,
        out: &mut Vec<String>,
    ) {
        let Some(members) = self.shapes.get(shape).and_then(|s| s.members.as_ref()) else {
            return;
        };
        if stack.contains(&shape) {
            return;
        }
        stack.push(shape);
        for (name, m) in members.iter() {
            let path = format!("{prefix}{name}");
            if m.sensitive {
                out.push(path);
            } else {
                self.walk_sensitive(m.target(), &format!("{path}."), stack, out);
            }
        }
        stack.pop();
    }

    /// The shapes everything else hangs from: each action's input and output,
    /// stream events, and callback infos and payloads. A shape not reachable
    /// from these is unused.
    pub fn root_shapes(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for (_, a) in self.actions.iter() {
            out.push(a.input.as_str());
            out.push(a.output.as_str());
            if let Some(s) = &a.stream {
                out.push(s.event.as_str());
            }
        }
        if let Some(c) = &self.callbacks {
            for (_, g) in c.groups.iter() {
                for (_, e) in g.events.iter() {
                    out.push(e.info.as_str());
                    if let Some(p) = &e.payload {
                        out.push(p.as_str());
                    }
                }
            }
        }
        out
    }
}

/// A service's event callbacks: HTTP POSTs to the user's server whose body is
/// `{"EventGroupId", "EventType", "CallbackTs", "EventInfo"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Callbacks {
    /// What the callbacks are (Markdown): transport, signature, retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// For maintainers, not rendered: where the facts come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<String>,
    /// Event groups by name (UpperCamelCase), in order.
    pub groups: UniqueMap<CallbackGroup>,
    /// Documented callback bodies, verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<CallbackExample>,
}

/// One event group (`EventGroupId`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackGroup {
    /// The `EventGroupId`.
    pub id: i64,
    /// Tencent's constant name, e.g. `EVENT_GROUP_ROOM`, when documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the group is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Events by name (UpperCamelCase, unique across groups): the variant names.
    pub events: UniqueMap<CallbackEvent>,
}

/// One event type (`EventType`) of a group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackEvent {
    /// The `EventType`.
    #[serde(rename = "type")]
    pub event_type: i64,
    /// Tencent's constant name, e.g. `EVENT_TYPE_CREATE_ROOM`, when documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the event means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The structure `EventInfo` parses into.
    pub info: String,
    /// The structure `EventInfo.Payload` parses into, for events that carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

/// A documented callback body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackExample {
    /// What it shows.
    pub title: String,
    /// The body, verbatim JSON text.
    pub body: String,
    /// The signature key the documentation signs it with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The documented `Sign` header for `key`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign: Option<String>,
}

/// JSON documents carried in string members, by provider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonTypes {
    /// What they are (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// For maintainers, not rendered: where the facts come from and what was
    /// chosen where pages disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<String>,
    /// The documents by name (as documented: `LLMConfig`), in order.
    pub types: UniqueMap<JsonType>,
}

/// One JSON document: providers told apart by a discriminator key
/// (`discriminator` and `variants`), or one open object (`fields`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonType {
    /// What it is (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The key whose string value names the provider (`LLMType`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// Providers by Rust variant name (UpperCamelCase), with a discriminator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<UniqueMap<JsonVariant>>,
    /// The documented keys of an open object, without a discriminator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<UniqueMap<JsonField>>,
    /// Where an open object is documented, and its examples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<UniqueMap<JsonProvider>>,
    /// Overrides the Rust type name (UpperCamelCase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

/// One provider of a JSON document (one discriminator value).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonVariant {
    /// The discriminator value (`openai`).
    pub value: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The documented keys (the discriminator excluded), in order.
    pub fields: UniqueMap<JsonField>,
    /// The documentation pages describing this variant, by constructor name
    /// (snake_case: `LlmConfig::gemini`); several pages may share one
    /// discriminator value.
    pub providers: UniqueMap<JsonProvider>,
    /// Overrides the Rust struct name (UpperCamelCase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

/// One documented key of a JSON document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonField {
    /// `string`, `int64`, `float`, `bool`, `object`, `any` or `list`.
    #[serde(rename = "type")]
    pub ty: String,
    /// For `list`: `string`, `object` or `any`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// Must be present; a constructor argument.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// A secret: never shown by `Debug` or in errors.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The documented default (documentation only: nothing is filled in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// Smallest allowed number, inclusive (checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<serde_json::Number>,
    /// Largest allowed number, inclusive (checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<serde_json::Number>,
    /// The allowed values (checked); empty: any of the type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<serde_json::Value>,
    /// Documented example values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<serde_json::Value>,
    /// Overrides the Rust field name (snake_case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

impl JsonField {
    /// The key's JSON type, if `type` (and `items`) name one: `string`,
    /// `int64`, `string_or_int`, `float`, `bool`, `object`, `any`, or `list`
    /// of `string`, `object` or `any`.
    pub fn kind(&self) -> Option<Kind> {
        Some(match (self.ty.as_str(), self.items.as_deref()) {
            ("string", None) => Kind::String,
            ("int64", None) => Kind::Int,
            ("string_or_int", None) => Kind::StringOrInt,
            ("float", None) => Kind::Float,
            ("bool", None) => Kind::Bool,
            ("object", None) => Kind::Object,
            ("any", None) => Kind::Any,
            ("list", Some("string")) => Kind::StringList,
            ("list", Some("object")) => Kind::ObjectList,
            ("list", Some("any")) => Kind::AnyList,
            _ => return None,
        })
    }
}

/// A documentation page of a provider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonProvider {
    /// The provider's name (`OpenAI`).
    pub title: String,
    /// The page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Other editions of the page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alt_urls: Vec<String>,
    /// Where the facts come from when there is no page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The documented example, verbatim JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

/// Service-level facts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Short name used in the signature scope and crate names, e.g. `trtc`.
    pub name: String,
    /// API version, e.g. `2019-07-22`.
    pub version: String,
    /// Human name, e.g. `Tencent Real-Time Communication`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What the service does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Default host, e.g. `trtc.tencentcloudapi.com`.
    pub endpoint: String,
    /// International host, e.g. `trtc.intl.tencentcloudapi.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub international_endpoint: Option<String>,
}

/// One action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// One-line title, e.g. `Starts a cloud transcription task`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Curated notes appended to the description; imports never change them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// For maintainers, not rendered: where the action's regions, rate limit,
    /// host and error codes come from, and what was chosen where Tencent's
    /// pages disagree or are silent. Imports never change it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<String>,
    /// Input shape name.
    pub input: String,
    /// Output shape name.
    pub output: String,
    /// Regions the action supports; empty or absent means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// The documented rate limit: `20` (per second) or `{"requests": 1, "per_seconds": 15}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// The action's own host, when it is not the service's (`trtc.ai.tencentcloudapi.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The action's own international host (`trtc.ai.intl.tencentcloudapi.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub international_endpoint: Option<String>,
    /// The action answers with a stream of events instead of one JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<Stream>,
    /// Pagination: inferred from the shapes unless given here; `false` turns it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paginator: Option<PaginatorSpec>,
    /// Deprecated by Tencent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Documented error codes and their descriptions, in order.
    #[serde(default, skip_serializing_if = "UniqueMap::is_empty")]
    pub errors: UniqueMap<String>,
    /// Documented examples, verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// Overrides the Rust method name (snake_case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// The editions of Tencent's definitions that publish the action; empty
    /// or absent means every edition (see [`Edition`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editions: Vec<Edition>,
    /// The language of `title` and `description` when it is not English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

/// An edition of Tencent's published definitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// The international edition (`tccli-intl-en`, English).
    International,
    /// The mainland-China edition (`tccli`, Chinese).
    Mainland,
}

impl Edition {
    /// Both editions, international first.
    pub const ALL: [Edition; 2] = [Edition::International, Edition::Mainland];

    /// `international`, `mainland`: the spec's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::International => "international",
            Edition::Mainland => "mainland",
        }
    }

    /// How the docs name it: `International edition`, `Mainland China edition`.
    pub fn title(self) -> &'static str {
        match self {
            Edition::International => "International edition",
            Edition::Mainland => "Mainland China edition",
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Edition {
    type Err = String;
    fn from_str(s: &str) -> Result<Edition, String> {
        match s {
            "international" | "intl" => Ok(Edition::International),
            "mainland" | "cn" => Ok(Edition::Mainland),
            _ => Err(format!(
                "unknown edition `{s}` (expected `international` or `mainland`)"
            )),
        }
    }
}

/// The language of a description that is not English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    /// Simplified Chinese: the mainland edition's text, kept as written.
    #[serde(rename = "zh")]
    Zh,
}

/// The doc line that says which editions publish something (`None` when every
/// edition does), e.g. `*Mainland China edition only.*`.
pub fn editions_note(editions: &[Edition]) -> Option<String> {
    match editions {
        [one] => Some(format!("*{} only.*", one.title())),
        _ => None,
    }
}

/// The doc line that marks a description kept in another language.
pub fn language_note(language: Option<Language>) -> Option<String> {
    language.map(|Language::Zh| {
        "*(Description in Chinese, as the Mainland China edition publishes it.)*".to_owned()
    })
}

/// A documented rate limit: `requests` calls in any `per_seconds` window.
///
/// Written as a bare integer when the window is one second (`20`), else as an
/// object (`{"requests": 1, "per_seconds": 15}`: one call every 15 seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls allowed in one window.
    pub requests: u32,
    /// The window, in seconds.
    pub per_seconds: u32,
}

impl RateLimit {
    /// `n` calls per second.
    pub fn per_second(n: u32) -> RateLimit {
        RateLimit {
            requests: n,
            per_seconds: 1,
        }
    }
}

impl fmt::Display for RateLimit {
    /// As the runtime shows the limit it enforces (`20 requests per second`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::meta::rate_limit(*self).fmt(f)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RateLimitObject {
    requests: u32,
    per_seconds: u32,
}

impl<'de> Deserialize<'de> for RateLimit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RateLimit;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "requests per second (an integer) or {\"requests\": N, \"per_seconds\": S}",
                )
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RateLimit, E> {
                u32::try_from(v)
                    .map(RateLimit::per_second)
                    .map_err(|_| E::custom(format!("{v} is too large")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RateLimit, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom(format!("a rate limit cannot be negative ({v})")))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RateLimit, A::Error> {
                let o = RateLimitObject::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RateLimit {
                    requests: o.requests,
                    per_seconds: o.per_seconds,
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for RateLimit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.per_seconds == 1 {
            s.serialize_u32(self.requests)
        } else {
            let mut m = s.serialize_map(Some(2))?;
            m.serialize_entry("requests", &self.requests)?;
            m.serialize_entry("per_seconds", &self.per_seconds)?;
            m.end()
        }
    }
}

/// A streamed response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stream {
    /// The wire format: `sse` (`Content-Type: text/event-stream`, one JSON object per `data:` line).
    pub format: StreamFormat,
    /// The structure each event's JSON parses into.
    pub event: String,
    /// The event member that names the kind of event (`Type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind_member: Option<String>,
    /// The kind value of an error event (`error`); its `Error` member holds `Code` and `Message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<String>,
    /// The boolean member that marks the last event (`IsEnd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_member: Option<String>,
}

/// How a stream is framed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StreamFormat {
    /// Server-sent events.
    Sse,
}

/// An action's pagination: `false` (none, even if the shapes look paginated) or
/// the members that drive it.
#[derive(Clone, Debug, PartialEq)]
pub enum PaginatorSpec {
    /// Not paginated.
    Off,
    /// Paginated through these members.
    On(Pagination),
}

/// The members a paginator uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// `page_number` (the input member counts pages from 1) or `offset` (it counts items from 0).
    pub style: PageStyle,
    /// The input member that selects the page (`PageNumber`, `Offset`).
    pub cursor: String,
    /// The input member that sets the page size (`PageSize`, `Limit`).
    pub size: String,
    /// The output member with the total number of items (`Total`, `TotalCount`).
    pub total: String,
    /// The output list member holding the page's items (`UserList`).
    pub items: String,
    /// `page_number` style: the number of the first page (0 or 1) when the
    /// caller does not set the cursor; inferred from the cursor's description
    /// when absent (`The page number. The default is 0.` gives 0, otherwise 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_page: Option<u64>,
}

/// How the cursor member counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageStyle {
    /// Page numbers (the first page is `first_page`, usually 1).
    PageNumber,
    /// Item offsets from 0.
    Offset,
}

impl Serialize for PaginatorSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PaginatorSpec::Off => s.serialize_bool(false),
            PaginatorSpec::On(p) => p.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for PaginatorSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PaginatorSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`false` or {\"style\", \"cursor\", \"size\", \"total\", \"items\"}")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<PaginatorSpec, E> {
                if v {
                    Err(E::custom("`true` is not allowed: leave `paginator` out to infer it, or name the members"))
                } else {
                    Ok(PaginatorSpec::Off)
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PaginatorSpec, A::Error> {
                Pagination::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(PaginatorSpec::On)
            }
        }
        d.deserialize_any(V)
    }
}

/// A documented request/response pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Title, e.g. `Initiate a transcription task`.
    pub title: String,
    /// Explanation, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The request body, verbatim JSON text.
    pub request: String,
    /// The response body (`{"Response": ...}`), verbatim JSON text.
    pub response: String,
}

/// What a shape is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShapeKind {
    /// A JSON object with named members.
    Structure,
    /// A documented set of values of a primitive type.
    Enum,
}

/// A named type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// `structure` or `enum`.
    #[serde(rename = "type")]
    pub kind: ShapeKind,
    /// Description (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Structure members by wire name, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<UniqueMap<Member>>,
    /// Enum base type: `string`, `int64` or `uint64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Enum values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<EnumValue>>,
    /// Deprecated by Tencent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Overrides the Rust type name (UpperCamelCase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// The editions that publish the shape; empty or absent means every edition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editions: Vec<Edition>,
    /// The language of `description` when it is not English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

/// A structure member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// A primitive (`string`, `int64`, `uint64`, `float`, `bool`, `date`,
    /// `datetime`, `datetime_iso`), `list`, or a shape name.
    #[serde(rename = "type")]
    pub ty: String,
    /// For `list`: the element type (a primitive or a shape name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// Always present (inputs: the caller must set it; outputs: the service always sends it).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The service may send `null` (outputs).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// Never shown by `Debug` (user signatures, keys).
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// Deprecated by Tencent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Description (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A documented example value, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Overrides the Rust field name (snake_case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// The editions that publish the member; empty or absent means the same
    /// as its structure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editions: Vec<Edition>,
    /// The language of `description` when it is not English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// The string carries the JSON of this `json_types` entry: the Rust type
    /// is `JsonString<Name>` (wire type still `string`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<String>,
    /// Documented limits on the value (ranges, lengths, counts, patterns,
    /// values), each with the sentences it comes from (see [`crate::limits`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<crate::limits::Limit>,
}

impl Member {
    /// What the member holds: the element type of a `list`, else its type.
    pub fn target(&self) -> &str {
        if self.ty == "list" {
            self.items.as_deref().unwrap_or("")
        } else {
            &self.ty
        }
    }

    /// Whether the generated field is an `Option` (see [`crate::is_optional`]).
    pub fn is_optional(&self) -> bool {
        crate::is_optional(self.required, self.nullable)
    }

    /// The spec type as text: `string`, `list<Item>`.
    pub fn spec_type(&self) -> String {
        if self.ty == "list" {
            format!("list<{}>", self.items.as_deref().unwrap_or("?"))
        } else {
            self.ty.clone()
        }
    }
}

/// One documented enum value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The variant name (converted to UpperCamelCase), e.g. `Integer`.
    pub name: String,
    /// The wire value: a string for `string` enums, an integer otherwise.
    pub value: serde_json::Value,
    /// What the value means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The common error codes of API 3.0: `spec/common-errors.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommonErrors {
    /// Must be [`ERRORS_FORMAT`].
    pub format: String,
    /// What the file is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Code → description, in order.
    pub errors: UniqueMap<String>,
}

/// A problem in a spec file, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    /// The file.
    pub file: PathBuf,
    /// JSON path, e.g. `$.shapes.AsrParam.members.Lang.type`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.path,
            self.message
        )
    }
}

impl std::error::Error for SpecError {}

/// One or more spec problems.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            e.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

impl From<SpecError> for SpecErrors {
    fn from(e: SpecError) -> Self {
        SpecErrors(vec![e])
    }
}

/// Converts a `serde_path_to_error` path (`a.b[0].c`) to `$.a.b[0].c`.
fn json_path(p: &serde_path_to_error::Path) -> String {
    let s = p.to_string();
    if s == "." || s.is_empty() {
        "$".to_owned()
    } else {
        format!("$.{s}")
    }
}

/// Parses JSON text of type `T`, with errors naming `file` and the JSON path.
pub fn parse_json<T: serde::de::DeserializeOwned>(file: &Path, text: &str) -> Result<T, SpecError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        let message = if inner.line() > 0 {
            // serde_json appends " at line L column C" to its messages already.
            inner.to_string()
        } else {
            format!("{inner}")
        };
        SpecError {
            file: file.to_owned(),
            path: json_path(e.path()),
            message,
        }
    })?;
    de.end().map_err(|e| SpecError {
        file: file.to_owned(),
        path: "$".to_owned(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// Reads and parses a file.
pub fn read_json<T: serde::de::DeserializeOwned>(file: &Path) -> Result<T, SpecError> {
    let text = std::fs::read_to_string(file).map_err(|e| SpecError {
        file: file.to_owned(),
        path: "$".to_owned(),
        message: format!("cannot read: {e}"),
    })?;
    parse_json(file, &text)
}

/// Writes a spec as stable, human-diffable JSON (2-space indent, trailing newline).
pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        // Our spec types only contain strings, numbers, bools and JSON values:
        // serialization cannot fail, but never panic over it.
        format!("{{\"error\": {:?}}}", e.to_string())
    });
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_refused_with_path() {
        let text = r#"{"format":"tencentcloud-spec/1","service":{"name":"x","version":"2020-01-01","endpoint":"x.tencentcloudapi.com"},
            "actions":{},"shapes":{"A":{"type":"structure","members":{"X":{"type":"string"},"X":{"type":"string"}}}}}"#;
        let e = parse_json::<Spec>(Path::new("s.json"), text).unwrap_err();
        assert_eq!(e.path, "$.shapes.A.members");
        assert!(e.message.contains("duplicate key `X`"), "{}", e.message);
    }

    #[test]
    fn unknown_fields_are_refused_with_path() {
        let text = r#"{"format":"tencentcloud-spec/1","service":{"name":"x","version":"2020-01-01","endpoint":"e"},
            "actions":{"A":{"input":"I","output":"O","regoins":[]}},"shapes":{}}"#;
        let e = parse_json::<Spec>(Path::new("s.json"), text).unwrap_err();
        assert_eq!(e.path, "$.actions.A.regoins");
        assert!(
            e.message.contains("unknown field `regoins`"),
            "{}",
            e.message
        );
        assert!(e.to_string().starts_with("s.json: $.actions.A.regoins: "));
    }

    #[test]
    fn wrong_types_are_refused_with_path() {
        let text = r#"{"format":"tencentcloud-spec/1","service":{"name":"x","version":"2020-01-01","endpoint":"e"},
            "actions":{"A":{"input":"I","output":"O","rate_limit":"20"}},"shapes":{}}"#;
        let e = parse_json::<Spec>(Path::new("s.json"), text).unwrap_err();
        assert_eq!(e.path, "$.actions.A.rate_limit");
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let e = parse_json::<Spec>(Path::new("s.json"), "{\n \"format\": }").unwrap_err();
        assert!(e.message.contains("line 2"), "{}", e.message);
    }

    #[test]
    fn unique_map_round_trips_in_order() {
        let m: UniqueMap<u32> = serde_json::from_str(r#"{"b":1,"a":2}"#).unwrap();
        assert_eq!(m.0[0].0, "b");
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"b":1,"a":2}"#);
    }
}
