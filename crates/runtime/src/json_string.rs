//! JSON carried inside a string member.
//!
//! Some members are documented as `String` but hold a JSON document whose
//! shape depends on a discriminator key (TRTC's `LLMConfig` by `LLMType`,
//! `TTSConfig` by `TTSType`). The generated model types such a member as
//! [`JsonString<T>`]: on the wire a JSON string, in Rust a typed value `T`
//! (generated from the spec's `json_types`) that serializes into that string
//! and parses from it.
//!
//! One checker, [`check`], compares a JSON value with a [`Schema`] (the spec's
//! facts as static tables): the generated types use it before sending and
//! when parsing, the local endpoint uses it on the requests it receives. Its
//! errors ([`JsonConfigError`]) name the member, the provider and the JSON
//! path, and never contain the value of a sensitive key.

use std::borrow::Cow;
use std::fmt;
use std::ops::{Deref, DerefMut};

use serde_json::{Map, Number, Value};

/// A typed configuration carried as JSON text inside a string member
/// (implemented by the generated types).
pub trait JsonConfig: Sized {
    /// The facts the value is checked against.
    fn schema() -> &'static Schema<'static>;

    /// Parses a JSON value: checks it against [`JsonConfig::schema`], then
    /// takes the typed variant its discriminator names (or `Other`).
    fn from_json(value: Value) -> Result<Self, JsonConfigError>;

    /// The JSON value (discriminator, documented keys, then extra keys).
    fn to_json(&self) -> Value;

    /// Checks the value against the documented facts (required keys, types,
    /// ranges, allowed values, keys that differ from a documented one only by
    /// case).
    fn validate(&self) -> Result<(), JsonConfigError> {
        check(Self::schema(), &self.to_json())
    }

    /// Parses JSON text.
    fn from_json_str(text: &str) -> Result<Self, JsonConfigError> {
        let value: Value = serde_json::from_str(text).map_err(|e| JsonConfigError {
            config: Self::schema().name.to_string(),
            provider: None,
            path: "$".to_owned(),
            message: format!("not valid JSON ({e})"),
        })?;
        Self::from_json(value)
    }

    /// The JSON text sent on the wire, after [`JsonConfig::validate`].
    fn to_json_string(&self) -> Result<String, JsonConfigError> {
        self.validate()?;
        Ok(self.to_json().to_string())
    }
}

/// A member whose wire value is a string holding the JSON of a `T`.
///
/// Serializing checks the value ([`JsonConfig::validate`]) and fails, before
/// anything is sent, with an error naming the member, provider and key.
/// `Debug` shows `T`'s `Debug`, which never shows sensitive keys.
#[derive(Clone, PartialEq)]
pub struct JsonString<T>(T);

impl<T> JsonString<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        JsonString(value)
    }

    /// The value.
    pub fn get(&self) -> &T {
        &self.0
    }

    /// The value, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: JsonConfig> JsonString<T> {
    /// Parses the text of a string member.
    pub fn parse(text: &str) -> Result<Self, JsonConfigError> {
        T::from_json_str(text).map(JsonString)
    }

    /// The text of the string member, checked.
    pub fn to_json_string(&self) -> Result<String, JsonConfigError> {
        self.0.to_json_string()
    }
}

impl<T> From<T> for JsonString<T> {
    fn from(value: T) -> Self {
        JsonString(value)
    }
}

impl<T> Deref for JsonString<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for JsonString<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for JsonString<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: JsonConfig> serde::Serialize for JsonString<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self.0.to_json_string().map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }
}

impl<'de, T: JsonConfig> serde::Deserialize<'de> for JsonString<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        JsonString::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Why JSON carried in a string was refused. Never contains the value of a
/// sensitive key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonConfigError {
    /// The configuration, as documented (`LLMConfig`).
    pub config: String,
    /// The provider (discriminator value), when known (`openai`).
    pub provider: Option<String>,
    /// JSON path inside the configuration (`$.APIKey`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for JsonConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.provider {
            Some(p) => write!(f, "{} ({p}): {}: {}", self.config, self.path, self.message),
            None => write!(f, "{}: {}: {}", self.config, self.path, self.message),
        }
    }
}

impl std::error::Error for JsonConfigError {}

/// The JSON type of a documented key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A JSON string.
    String,
    /// A JSON integer (fits `i64`).
    Int,
    /// A JSON string or integer, kept in its form ([`StringOrInt`](crate::StringOrInt)).
    StringOrInt,
    /// Any JSON number ([`JsonFloat`] keeps its written form).
    Float,
    /// `true` or `false`.
    Bool,
    /// A JSON object (free-form).
    Object,
    /// Any JSON value.
    Any,
    /// A JSON array of strings.
    StringList,
    /// A JSON array of objects.
    ObjectList,
    /// A JSON array of any values.
    AnyList,
}

impl Kind {
    /// Whether `v` is a value of this kind (for a list, every item too).
    pub fn accepts(self, v: &Value) -> bool {
        match self {
            Kind::String => v.is_string(),
            Kind::Int => v.is_i64(),
            Kind::StringOrInt => v.is_string() || v.is_i64(),
            Kind::Float => v.is_number(),
            Kind::Bool => v.is_boolean(),
            Kind::Object => v.is_object(),
            Kind::Any => true,
            Kind::StringList => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
            Kind::ObjectList => v.as_array().is_some_and(|a| a.iter().all(Value::is_object)),
            Kind::AnyList => v.is_array(),
        }
    }

    /// Whether the kind is a number (so a minimum and a maximum apply).
    pub fn is_number(self) -> bool {
        match self {
            Kind::Int | Kind::Float => true,
            Kind::String
            | Kind::StringOrInt
            | Kind::Bool
            | Kind::Object
            | Kind::Any
            | Kind::StringList
            | Kind::ObjectList
            | Kind::AnyList => false,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Int => "an integer",
            Kind::StringOrInt => "a string or an integer",
            Kind::Float => "a number",
            Kind::Bool => "a boolean",
            Kind::Object => "an object",
            Kind::Any => "any value",
            Kind::StringList => "an array of strings",
            Kind::ObjectList => "an array of objects",
            Kind::AnyList => "an array",
        }
    }
}

/// A text of a schema: borrowed from a `static`, or owned.
pub type Text<'a> = Cow<'a, str>;

/// One documented key of a provider's configuration.
///
/// Generated crates write one short line per key in a `const` list
/// (`Field::new("History", Kind::Int).min(0.0).max(50.0)`); a program that
/// reads a spec at run time builds the same value owned. (The lists are
/// `const` items borrowed by the `static` schema: a `const` may borrow a
/// temporary for the whole program, a function argument may not.)
#[derive(Clone, Debug, PartialEq)]
pub struct Field<'a> {
    /// The key, exactly as documented (`APIKey`).
    pub name: Text<'a>,
    /// Its JSON type.
    pub kind: Kind,
    /// Must be present.
    pub required: bool,
    /// A secret: its value never appears in `Debug` or errors.
    pub sensitive: bool,
    /// Smallest allowed number, inclusive.
    pub min: Option<f64>,
    /// Largest allowed number, inclusive.
    pub max: Option<f64>,
    /// The allowed values as JSON text (`"\"zh\""`, `"1"`); empty: any.
    pub allowed: Cow<'a, [Text<'a>]>,
}

impl<'a> Field<'a> {
    /// An optional key of `kind`, any value of it allowed.
    pub const fn new(name: &'a str, kind: Kind) -> Self {
        Field {
            name: Cow::Borrowed(name),
            kind,
            required: false,
            sensitive: false,
            min: None,
            max: None,
            allowed: Cow::Borrowed(&[]),
        }
    }

    /// An optional key of `kind` that takes one of `allowed` (JSON texts).
    pub const fn one_of(name: &'a str, kind: Kind, allowed: &'a [Text<'a>]) -> Self {
        Field {
            name: Cow::Borrowed(name),
            kind,
            required: false,
            sensitive: false,
            min: None,
            max: None,
            allowed: Cow::Borrowed(allowed),
        }
    }

    /// The key must be present.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// The key is a secret.
    pub const fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// The smallest allowed number, inclusive.
    pub const fn min(mut self, min: f64) -> Self {
        self.min = Some(min);
        self
    }

    /// The largest allowed number, inclusive.
    pub const fn max(mut self, max: f64) -> Self {
        self.max = Some(max);
        self
    }
}

/// One provider: the discriminator value and its documented keys.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant<'a> {
    /// The discriminator value (`openai`); empty for an object without one.
    pub value: Text<'a>,
    /// The documented keys, discriminator excluded.
    pub fields: Cow<'a, [Field<'a>]>,
}

impl<'a> Variant<'a> {
    /// A provider named `value` with these keys.
    pub const fn new(value: &'a str, fields: &'a [Field<'a>]) -> Self {
        Variant {
            value: Cow::Borrowed(value),
            fields: Cow::Borrowed(fields),
        }
    }
}

/// The documented shapes of one JSON-in-a-string configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema<'a> {
    /// The configuration's name, as documented (`LLMConfig`).
    pub name: Text<'a>,
    /// The key naming the provider (`LLMType`); `None`: one open object.
    pub discriminator: Option<Text<'a>>,
    /// The providers (one, with an empty value, when there is no discriminator).
    pub variants: Cow<'a, [Variant<'a>]>,
}

impl<'a> Schema<'a> {
    /// The configuration `name`, its providers told apart by `discriminator`
    /// (`None`: one open object, the only variant).
    pub const fn new(
        name: &'a str,
        discriminator: Option<&'a str>,
        variants: &'a [Variant<'a>],
    ) -> Self {
        Schema {
            name: Cow::Borrowed(name),
            discriminator: match discriminator {
                Some(d) => Some(Cow::Borrowed(d)),
                None => None,
            },
            variants: Cow::Borrowed(variants),
        }
    }

    fn error(&self, provider: Option<&str>, path: String, message: String) -> JsonConfigError {
        JsonConfigError {
            config: self.name.to_string(),
            provider: provider.map(str::to_owned),
            path,
            message,
        }
    }
}

/// Checks one provider's typed value (what a generated struct's `validate`
/// calls): no key of `extra` is a documented key of provider `variant` (the
/// index in [`Schema::variants`]), then [`check`] on its JSON `value`.
pub fn validate_variant(
    schema: &Schema<'_>,
    variant: usize,
    extra: &JsonObject,
    value: &Value,
) -> Result<(), JsonConfigError> {
    if let Some(v) = schema.variants.get(variant) {
        let documented = |key: &str| {
            schema.discriminator.as_deref() == Some(key) || v.fields.iter().any(|f| f.name == key)
        };
        if let Some(key) = extra.keys().find(|k| documented(k)) {
            let provider = schema.discriminator.as_ref().map(|_| &*v.value);
            return Err(schema.error(
                provider,
                format!("$.{key}"),
                format!("`{key}` is a documented key: set it with its setter, not `extra`"),
            ));
        }
    }
    check(schema, value)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks `value` against `schema`: an object; a discriminator that is a
/// string (an unknown provider is accepted as it is); then, for a documented
/// provider, no key that differs from a documented one only by case, every
/// required key present, and every documented key of its type, range and
/// allowed values. Keys not documented are accepted (they are sent as given).
pub fn check(schema: &Schema<'_>, value: &Value) -> Result<(), JsonConfigError> {
    let err = |provider: Option<&str>, path: String, message: String| {
        schema.error(provider, path, message)
    };
    let Value::Object(obj) = value else {
        return Err(err(
            None,
            "$".to_owned(),
            format!("expected a JSON object, found {}", json_type(value)),
        ));
    };
    let discriminator = schema.discriminator.as_deref();
    let (variant, provider) = match discriminator {
        Some(d) => match obj.get(d) {
            None => {
                let hint = obj
                    .keys()
                    .find(|k| k.eq_ignore_ascii_case(d))
                    .map(|k| format!(" (found `{k}`: keys are case-sensitive)"))
                    .unwrap_or_default();
                return Err(err(
                    None,
                    format!("$.{d}"),
                    format!("missing required key `{d}`, which names the provider{hint}"),
                ));
            }
            Some(Value::String(s)) => match schema.variants.iter().find(|v| v.value == *s) {
                Some(v) => (v, Some(s.as_str())),
                // A provider this SDK does not know: sent as given.
                None => return Ok(()),
            },
            Some(other) => {
                return Err(err(
                    None,
                    format!("$.{d}"),
                    format!("expected a string, found {}", json_type(other)),
                ))
            }
        },
        None => match schema.variants.first() {
            Some(v) => (v, None),
            None => return Ok(()),
        },
    };
    for key in obj.keys() {
        if Some(key.as_str()) == discriminator || variant.fields.iter().any(|f| f.name == *key) {
            continue;
        }
        let documented = discriminator
            .into_iter()
            .chain(variant.fields.iter().map(|f| &*f.name))
            .find(|name| name.eq_ignore_ascii_case(key));
        if let Some(name) = documented {
            return Err(err(
                provider,
                format!("$.{key}"),
                format!(
                    "unknown key `{key}`: the documented key is `{name}` (keys are case-sensitive)"
                ),
            ));
        }
    }
    for f in variant.fields.iter() {
        let path = format!("$.{}", f.name);
        match obj.get(&*f.name) {
            None if f.required => {
                return Err(err(
                    provider,
                    path,
                    format!("missing required key `{}`", f.name),
                ))
            }
            None => {}
            Some(v) => check_field(f, v, &path).map_err(|m| err(provider, m.0, m.1))?,
        }
    }
    Ok(())
}

fn check_field(f: &Field<'_>, v: &Value, path: &str) -> Result<(), (String, String)> {
    let wrong = |v: &Value| {
        (
            path.to_owned(),
            format!("expected {}, found {}", f.kind.describe(), json_type(v)),
        )
    };
    if let (Kind::StringList | Kind::ObjectList, Value::Array(items)) = (f.kind, v) {
        let item_kind = if f.kind == Kind::StringList {
            Kind::String
        } else {
            Kind::Object
        };
        if let Some((i, item)) = items
            .iter()
            .enumerate()
            .find(|(_, item)| !item_kind.accepts(item))
        {
            return Err((
                format!("{path}[{i}]"),
                format!(
                    "expected {}, found {}",
                    item_kind.describe(),
                    json_type(item)
                ),
            ));
        }
    }
    let ok = f.kind.accepts(v);
    if !ok {
        return Err(wrong(v));
    }
    if let Some(n) = v.as_f64() {
        let shown = |n: f64| {
            if f.sensitive {
                "the value".to_owned()
            } else {
                format!("{n}")
            }
        };
        if let Some(min) = f.min.filter(|min| n < *min) {
            return Err((
                path.to_owned(),
                format!("{} is below the minimum {min}", shown(n)),
            ));
        }
        if let Some(max) = f.max.filter(|max| n > *max) {
            return Err((
                path.to_owned(),
                format!("{} is above the maximum {max}", shown(n)),
            ));
        }
    }
    if !f.allowed.is_empty() {
        let text = v.to_string();
        if !f.allowed.iter().any(|a| *a == text) {
            let shown = if f.sensitive { "the value" } else { &text };
            return Err((
                path.to_owned(),
                format!("{shown} is not one of {}", f.allowed.join(", ")),
            ));
        }
    }
    Ok(())
}

/// A number documented as Float that keeps the form it was written in: `1`
/// stays `1`, `1.0` stays `1.0`, so documented examples round-trip exactly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum JsonFloat {
    /// Written as an integer.
    Int(i64),
    /// Written with a fraction or exponent.
    Float(f64),
}

impl JsonFloat {
    /// The value as `f64`.
    pub fn as_f64(self) -> f64 {
        match self {
            JsonFloat::Int(i) => i as f64,
            JsonFloat::Float(f) => f,
        }
    }
}

impl From<f64> for JsonFloat {
    fn from(v: f64) -> Self {
        JsonFloat::Float(v)
    }
}

impl From<f32> for JsonFloat {
    fn from(v: f32) -> Self {
        JsonFloat::Float(f64::from(v))
    }
}

impl From<i64> for JsonFloat {
    fn from(v: i64) -> Self {
        JsonFloat::Int(v)
    }
}

impl From<i32> for JsonFloat {
    fn from(v: i32) -> Self {
        JsonFloat::Int(i64::from(v))
    }
}

impl From<u32> for JsonFloat {
    fn from(v: u32) -> Self {
        JsonFloat::Int(i64::from(v))
    }
}

/// A JSON object whose `Debug` hides the values of keys that look secret
/// (containing `key`, `secret`, `token`, `password`, `sig`, `auth` or
/// `credential`, at any depth): the keys a page does not list, and the
/// configurations of providers this SDK does not know.
#[derive(Clone, Default, PartialEq)]
pub struct JsonObject(pub Map<String, Value>);

impl JsonObject {
    /// An empty object.
    pub fn new() -> Self {
        JsonObject(Map::new())
    }
}

impl From<Map<String, Value>> for JsonObject {
    fn from(m: Map<String, Value>) -> Self {
        JsonObject(m)
    }
}

impl Deref for JsonObject {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Map<String, Value> {
        &self.0
    }
}

impl DerefMut for JsonObject {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.0
    }
}

/// Whether a key's name suggests a secret.
pub fn looks_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "key",
        "secret",
        "token",
        "password",
        "sig",
        "auth",
        "credential",
    ]
    .iter()
    .any(|s| k.contains(s))
}

fn redacted(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = if looks_secret(k) {
                        Value::String("** redacted **".to_owned())
                    } else {
                        redacted(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(redacted).collect()),
        other => other.clone(),
    }
}

impl fmt::Debug for JsonObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", redacted(&Value::Object(self.0.clone())))
    }
}

/// A Rust value of a documented key (for generated code).
pub trait FieldValue: Sized {
    /// From JSON that passed [`check`]; `None` if it does not fit.
    fn from_json(v: Value) -> Option<Self>;
    /// To JSON.
    fn to_json(&self) -> Value;
    /// The value of a required key that is absent (never after [`check`]).
    fn absent() -> Self;
}

impl FieldValue for String {
    fn from_json(v: Value) -> Option<Self> {
        match v {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
    fn absent() -> Self {
        String::new()
    }
}

impl FieldValue for i64 {
    fn from_json(v: Value) -> Option<Self> {
        v.as_i64()
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
    fn absent() -> Self {
        0
    }
}

impl FieldValue for crate::StringOrInt {
    fn from_json(v: Value) -> Option<Self> {
        match v {
            Value::String(s) => Some(crate::StringOrInt::Str(s)),
            other => other.as_i64().map(crate::StringOrInt::Int),
        }
    }
    fn to_json(&self) -> Value {
        match self {
            crate::StringOrInt::Int(i) => Value::from(*i),
            crate::StringOrInt::Str(s) => Value::String(s.clone()),
        }
    }
    fn absent() -> Self {
        crate::StringOrInt::Int(0)
    }
}

impl FieldValue for bool {
    fn from_json(v: Value) -> Option<Self> {
        v.as_bool()
    }
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
    fn absent() -> Self {
        false
    }
}

impl FieldValue for JsonFloat {
    fn from_json(v: Value) -> Option<Self> {
        match v {
            Value::Number(n) => match n.as_i64() {
                Some(i) if !n.is_f64() => Some(JsonFloat::Int(i)),
                _ => n.as_f64().map(JsonFloat::Float),
            },
            _ => None,
        }
    }
    fn to_json(&self) -> Value {
        match *self {
            JsonFloat::Int(i) => Value::from(i),
            // Not finite: `null`, which `check` refuses with the key's name.
            JsonFloat::Float(f) => Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
        }
    }
    fn absent() -> Self {
        JsonFloat::Int(0)
    }
}

impl FieldValue for JsonObject {
    fn from_json(v: Value) -> Option<Self> {
        match v {
            Value::Object(m) => Some(JsonObject(m)),
            _ => None,
        }
    }
    fn to_json(&self) -> Value {
        Value::Object(self.0.clone())
    }
    fn absent() -> Self {
        JsonObject::new()
    }
}

impl FieldValue for Value {
    fn from_json(v: Value) -> Option<Self> {
        Some(v)
    }
    fn to_json(&self) -> Value {
        self.clone()
    }
    fn absent() -> Self {
        Value::Null
    }
}

impl<T: FieldValue> FieldValue for Vec<T> {
    fn from_json(v: Value) -> Option<Self> {
        match v {
            Value::Array(a) => a.into_iter().map(T::from_json).collect(),
            _ => None,
        }
    }
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(FieldValue::to_json).collect())
    }
    fn absent() -> Self {
        Vec::new()
    }
}

/// Removes `key` from `obj` as a `T` (for generated code; `obj` passed [`check`]).
pub fn take<T: FieldValue>(obj: &mut Map<String, Value>, key: &str) -> Option<T> {
    obj.remove(key).and_then(T::from_json)
}

/// Removes required `key` from `obj` (for generated code; `obj` passed
/// [`check`], so it is present and of its type).
pub fn take_required<T: FieldValue>(obj: &mut Map<String, Value>, key: &str) -> T {
    take(obj, key).unwrap_or_else(T::absent)
}

/// Inserts `value` under `key` (for generated code).
pub fn put<T: FieldValue>(obj: &mut Map<String, Value>, key: &str, value: &T) {
    obj.insert(key.to_owned(), value.to_json());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static SCHEMA: Schema<'static> = Schema::new("LLMConfig", Some("LLMType"), VARIANTS);
    const VARIANTS: &[Variant<'static>] = &[Variant::new("openai", FIELDS)];
    const FIELDS: &[Field<'static>] = &[
        Field::new("APIKey", Kind::String).required().sensitive(),
        Field::new("History", Kind::Int).min(0.0).max(50.0),
        Field::one_of("Language", Kind::String, LANGUAGES),
    ];
    const LANGUAGES: &[Text<'static>] = &[Cow::Borrowed("\"zh\""), Cow::Borrowed("\"en\"")];

    fn msg(v: Value) -> String {
        check(&SCHEMA, &v).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_provider_and_the_key() {
        assert_eq!(
            msg(json!({"LLMType": "openai"})),
            "LLMConfig (openai): $.APIKey: missing required key `APIKey`"
        );
        assert_eq!(
            msg(json!({"LLMType": "openai", "ApiKey": "sk-secret"})),
            "LLMConfig (openai): $.ApiKey: unknown key `ApiKey`: the documented key is `APIKey` (keys are case-sensitive)"
        );
        assert_eq!(
            msg(json!({"LLMType": "openai", "APIKey": "k", "History": "5"})),
            "LLMConfig (openai): $.History: expected an integer, found a string"
        );
        assert_eq!(
            msg(json!({"LLMType": "openai", "APIKey": "k", "History": 51})),
            "LLMConfig (openai): $.History: 51 is above the maximum 50"
        );
        assert_eq!(
            msg(json!({"LLMType": "openai", "APIKey": "k", "Language": "fr"})),
            "LLMConfig (openai): $.Language: \"fr\" is not one of \"zh\", \"en\""
        );
        assert_eq!(
            msg(json!({"APIKey": "k"})),
            "LLMConfig: $.LLMType: missing required key `LLMType`, which names the provider"
        );
        assert_eq!(
            msg(json!("text")),
            "LLMConfig: $: expected a JSON object, found a string"
        );
    }

    #[test]
    fn secrets_never_appear_in_errors() {
        let e = msg(json!({"LLMType": "openai", "APIKey": 12345678}));
        assert!(!e.contains("12345678"), "{e}");
    }

    #[test]
    fn unknown_providers_and_extra_keys_pass() {
        check(&SCHEMA, &json!({"LLMType": "newvendor", "Anything": 1})).unwrap();
        check(
            &SCHEMA,
            &json!({"LLMType": "openai", "APIKey": "k", "Seed": 7}),
        )
        .unwrap();
    }

    #[test]
    fn floats_keep_their_form() {
        for text in ["1", "1.0", "1.25", "-3"] {
            let v: Value = serde_json::from_str(text).unwrap();
            let f = JsonFloat::from_json(v.clone()).unwrap();
            assert_eq!(f.to_json(), v);
            assert_eq!(f.to_json().to_string(), text);
        }
        assert_eq!(JsonFloat::from(f64::NAN).to_json(), Value::Null);
    }

    #[test]
    fn debug_hides_secret_looking_keys() {
        let o = JsonObject(
            json!({"ApiToken": "tok-1", "nested": {"password": "pw-2"}, "Region": "eu"})
                .as_object()
                .cloned()
                .unwrap(),
        );
        let d = format!("{o:?}");
        assert!(!d.contains("tok-1") && !d.contains("pw-2"), "{d}");
        assert!(d.contains("eu"), "{d}");
    }
}
