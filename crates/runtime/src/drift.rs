//! Decoding responses and callbacks that drift from the documented types.
//!
//! Tencent Cloud's answers do not always match its documentation: a number
//! arrives as `"1700000000000"`, a bool as `0`. [`decode`] reads JSON into a
//! typed value like `serde_json` does, with two differences:
//!
//! - it tracks where it is, so an error names the JSON path
//!   (`RoomList[2].IsFinished`), as `serde_path_to_error` would;
//! - in [`Mode::Tolerant`] it accepts a value of another JSON type where the
//!   meaning is unambiguous, and lists each such [`Coercion`]:
//!
//! | the type wants | accepted besides its own form | [`CoercionKind`] |
//! |---|---|---|
//! | an integer | a decimal string (`"42"`, `"-7"`) | `StringToNumber` |
//! | an integer | a float with no fractional part (`42.0`) | `FloatToInteger` |
//! | a float | a decimal string (`"1.5"`) | `StringToNumber` |
//! | a bool | `0`/`1`, `"0"`/`"1"`, `"true"`/`"false"` | `NumberToBool`, `StringToBool` |
//! | a string | a number (kept as written: `12` → `"12"`) | `NumberToString` |
//!
//! `null` for an optional member is `None` in both modes (the generated types
//! accept it). Everything else still fails, naming the path: a required member
//! missing or `null`, a string that is not a number where a number is wanted,
//! an object or array where a scalar is wanted, a fractional float for an
//! integer, an integer out of range.
//!
//! Values whose type takes any JSON form (`serde_json::Value`, `StringOrInt`)
//! are never coerced: they keep what arrived.
//!
//! The rule is decided here and only here; the client
//! ([`crate::RawResponse::decode_with_meta`]) and callback parsing
//! ([`crate::callback`]) call [`decode`]. Hand-written rather than a crate:
//! `serde_path_to_error` tracks paths but cannot coerce, and per-field
//! attributes (`serde_with`) would need the generated types to know which of
//! their members may drift, which is every member.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Whether values of another JSON type are accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// Accept the unambiguous forms in the module's table, and list them.
    #[default]
    Tolerant,
    /// Accept only the documented types (as plain `serde_json`).
    Strict,
}

/// One value accepted in a form other than its documented type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coercion {
    /// Where, e.g. `RoomList[2].IsFinished` (relative to the decoded document).
    pub path: String,
    /// What was accepted.
    pub kind: CoercionKind,
}

/// What a [`Coercion`] accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CoercionKind {
    /// A decimal string for a number.
    StringToNumber,
    /// A float with no fractional part for an integer.
    FloatToInteger,
    /// `0` or `1` for a bool.
    NumberToBool,
    /// `"0"`, `"1"`, `"true"` or `"false"` for a bool.
    StringToBool,
    /// A number for a string.
    NumberToString,
}

impl fmt::Display for CoercionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CoercionKind::StringToNumber => "a decimal string accepted as a number",
            CoercionKind::FloatToInteger => {
                "a float with no fractional part accepted as an integer"
            }
            CoercionKind::NumberToBool => "0/1 accepted as a bool",
            CoercionKind::StringToBool => "a string accepted as a bool",
            CoercionKind::NumberToString => "a number accepted as a string",
        })
    }
}

impl fmt::Display for Coercion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

/// A document that does not decode: where, and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The JSON path, e.g. `RoomList[2].IsFinished`; empty for the document itself.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes `json` into `T` in `mode`; returns the value and the coercions made.
pub fn decode<T: de::DeserializeOwned>(
    json: &[u8],
    mode: Mode,
) -> Result<(T, Vec<Coercion>), DecodeError> {
    let state = State {
        mode,
        coercions: RefCell::new(Vec::new()),
        error_path: RefCell::new(None),
    };
    let mut de = serde_json::Deserializer::from_slice(json);
    let tracked = Tracked {
        de: &mut de,
        path: &Path::Root,
        state: &state,
    };
    let result = T::deserialize(tracked).and_then(|v| de.end().map(|()| v));
    match result {
        Ok(v) => Ok((v, state.coercions.into_inner())),
        Err(e) => Err(DecodeError {
            path: state.error_path.into_inner().unwrap_or_default(),
            message: e.to_string(),
        }),
    }
}

struct State {
    mode: Mode,
    coercions: RefCell<Vec<Coercion>>,
    error_path: RefCell<Option<String>>,
}

impl State {
    fn coerced(&self, path: &Path<'_>, kind: CoercionKind) {
        self.coercions.borrow_mut().push(Coercion {
            path: path.to_string(),
            kind,
        });
    }

    fn failed_at(&self, path: &Path<'_>) {
        let mut slot = self.error_path.borrow_mut();
        if slot.is_none() {
            *slot = Some(path.to_string());
        }
    }
}

/// Where a value is: a chain of member names and indices, on the stack.
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(parent, key) => {
                parent.fmt(f)?;
                if !matches!(parent, Path::Root) {
                    f.write_str(".")?;
                }
                f.write_str(key)
            }
            Path::Index(parent, i) => {
                parent.fmt(f)?;
                write!(f, "[{i}]")
            }
        }
    }
}

/// What the type asked for, so the visitor knows what it may coerce into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Signed,
    Unsigned,
    Float,
    Bool,
    Str,
    /// Anything else: no coercion.
    Other,
}

/// A deserializer that tracks its path and, in tolerant mode, coerces.
struct Tracked<'a, 'p, D> {
    de: D,
    path: &'p Path<'p>,
    state: &'a State,
}

impl<'a, 'p, D> Tracked<'a, 'p, D> {
    fn visit<V>(&self, inner: V, want: Want) -> Visit<'a, 'p, V> {
        Visit {
            inner,
            want,
            path: self.path,
            state: self.state,
        }
    }
}

macro_rules! forward {
    ($($method:ident $(($($arg:ident: $ty:ty),*))?),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($($arg: $ty,)*)? visitor: V) -> Result<V::Value, D::Error> {
                let visit = self.visit(visitor, Want::Other);
                let (path, state) = (self.path, self.state);
                self.de.$method($($($arg,)*)? visit).inspect_err(|_| state.failed_at(path))
            }
        )*
    };
}

macro_rules! coerce {
    ($($method:ident => $want:expr),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                let (path, state) = (self.path, self.state);
                let result = match state.mode {
                    Mode::Strict => {
                        let visit = self.visit(visitor, Want::Other);
                        self.de.$method(visit)
                    }
                    Mode::Tolerant => {
                        let visit = self.visit(visitor, $want);
                        self.de.deserialize_any(visit)
                    }
                };
                result.inspect_err(|_| state.failed_at(path))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Tracked<'_, '_, D> {
    type Error = D::Error;

    coerce! {
        deserialize_bool => Want::Bool,
        deserialize_i8 => Want::Signed,
        deserialize_i16 => Want::Signed,
        deserialize_i32 => Want::Signed,
        deserialize_i64 => Want::Signed,
        deserialize_i128 => Want::Signed,
        deserialize_u8 => Want::Unsigned,
        deserialize_u16 => Want::Unsigned,
        deserialize_u32 => Want::Unsigned,
        deserialize_u64 => Want::Unsigned,
        deserialize_u128 => Want::Unsigned,
        deserialize_f32 => Want::Float,
        deserialize_f64 => Want::Float,
        deserialize_str => Want::Str,
        deserialize_string => Want::Str,
    }

    forward! {
        deserialize_any,
        deserialize_char,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_seq,
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_map,
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
        deserialize_identifier,
        deserialize_ignored_any,
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// A visitor that wraps nested maps, sequences and options so they keep
/// tracking, and coerces scalars into what its type wants.
struct Visit<'a, 'p, V> {
    inner: V,
    want: Want,
    path: &'p Path<'p>,
    state: &'a State,
}

impl<'de, V: Visitor<'de>> Visit<'_, '_, V> {
    fn coerced(&self, kind: CoercionKind) {
        self.state.coerced(self.path, kind);
    }
}

macro_rules! visit_number {
    ($method:ident, $ty:ty) => {
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            match self.want {
                Want::Bool if v == 0 || v == 1 => {
                    self.coerced(CoercionKind::NumberToBool);
                    self.inner.visit_bool(v == 1)
                }
                Want::Str => {
                    self.coerced(CoercionKind::NumberToString);
                    self.inner.visit_string(v.to_string())
                }
                _ => self.inner.$method(v),
            }
        }
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Visit<'_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.inner.visit_bool(v)
    }

    visit_number!(visit_i64, i64);
    visit_number!(visit_u64, u64);
    visit_number!(visit_i128, i128);
    visit_number!(visit_u128, u128);

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        let integral = v.is_finite() && v.fract() == 0.0;
        match self.want {
            Want::Unsigned if integral && (0.0..18_446_744_073_709_551_616.0).contains(&v) => {
                self.coerced(CoercionKind::FloatToInteger);
                self.inner.visit_u64(v as u64)
            }
            Want::Signed
                if integral
                    && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&v) =>
            {
                self.coerced(CoercionKind::FloatToInteger);
                self.inner.visit_i64(v as i64)
            }
            Want::Str => {
                self.coerced(CoercionKind::NumberToString);
                self.inner.visit_string(v.to_string())
            }
            _ => self.inner.visit_f64(v),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        match coerce_str(self.want, v) {
            Some(scalar) => self.scalar(scalar),
            None => self.inner.visit_str(v),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        match coerce_str(self.want, v) {
            Some(scalar) => self.scalar(scalar),
            None => self.inner.visit_borrowed_str(v),
        }
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        match coerce_str(self.want, &v) {
            Some(scalar) => self.scalar(scalar),
            None => self.inner.visit_string(v),
        }
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.inner.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.inner.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.inner.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<V::Value, D2::Error> {
        self.inner.visit_some(Tracked {
            de: d,
            path: self.path,
            state: self.state,
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_newtype_struct<D2: Deserializer<'de>>(self, d: D2) -> Result<V::Value, D2::Error> {
        self.inner.visit_newtype_struct(Tracked {
            de: d,
            path: self.path,
            state: self.state,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(Seq {
            seq,
            index: 0,
            path: self.path,
            state: self.state,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(Map {
            map,
            key: Key::None,
            path: self.path,
            state: self.state,
        })
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(data)
    }
}

/// A scalar read out of a string.
enum Scalar {
    Signed(i64),
    Unsigned(u64),
    Float(f64),
    Bool(bool, CoercionKind),
}

/// What a string means for the wanted type, when it is unambiguous.
fn coerce_str(want: Want, s: &str) -> Option<Scalar> {
    let decimal = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    match want {
        Want::Unsigned if decimal(s) => s.parse().ok().map(Scalar::Unsigned),
        Want::Signed if decimal(s) => s.parse().ok().map(Scalar::Signed),
        Want::Float => {
            // JSON's number grammar only: no "NaN", "inf", "+1", " 1" or "1.".
            let ok = serde_json::from_str::<serde_json::Number>(s).is_ok();
            if ok {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(Scalar::Float)
            } else {
                None
            }
        }
        Want::Bool => match s {
            "1" | "true" => Some(Scalar::Bool(true, CoercionKind::StringToBool)),
            "0" | "false" => Some(Scalar::Bool(false, CoercionKind::StringToBool)),
            _ => None,
        },
        _ => None,
    }
}

impl<'de, V: Visitor<'de>> Visit<'_, '_, V> {
    fn scalar<E: de::Error>(self, scalar: Scalar) -> Result<V::Value, E> {
        match scalar {
            Scalar::Signed(n) => {
                self.coerced(CoercionKind::StringToNumber);
                self.inner.visit_i64(n)
            }
            Scalar::Unsigned(n) => {
                self.coerced(CoercionKind::StringToNumber);
                self.inner.visit_u64(n)
            }
            Scalar::Float(f) => {
                self.coerced(CoercionKind::StringToNumber);
                self.inner.visit_f64(f)
            }
            Scalar::Bool(b, kind) => {
                self.coerced(kind);
                self.inner.visit_bool(b)
            }
        }
    }
}

struct Seq<'a, 'p, A> {
    seq: A,
    index: usize,
    path: &'p Path<'p>,
    state: &'a State,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<'_, '_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let path = Path::Index(self.path, self.index);
        self.index += 1;
        let state = self.state;
        self.seq
            .next_element_seed(Seeded {
                seed,
                path: &path,
                state,
            })
            .inspect_err(|_| state.failed_at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// The last member name read, borrowed from the input when it has no escapes.
enum Key<'de> {
    None,
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::None => "?",
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

struct Map<'a, 'p, 'de, A> {
    map: A,
    key: Key<'de>,
    path: &'p Path<'p>,
    state: &'a State,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<'_, '_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.key = Key::None;
        self.map.next_key_seed(KeySeed {
            seed,
            key: &mut self.key,
        })
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let path = Path::Key(self.path, self.key.as_str());
        let state = self.state;
        self.map
            .next_value_seed(Seeded {
                seed,
                path: &path,
                state,
            })
            .inspect_err(|_| state.failed_at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A seed whose deserializer keeps tracking at `path`.
struct Seeded<'a, 'p, S> {
    seed: S,
    path: &'p Path<'p>,
    state: &'a State,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seeded<'_, '_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Tracked {
            de: d,
            path: self.path,
            state: self.state,
        })
    }
}

/// A seed that remembers the member name it reads.
struct KeySeed<'k, 'de, S> {
    seed: S,
    key: &'k mut Key<'de>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, 'de, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(KeyDeserializer {
            de: d,
            key: self.key,
        })
    }
}

struct KeyDeserializer<'k, 'de, D> {
    de: D,
    key: &'k mut Key<'de>,
}

macro_rules! key_forward {
    ($($method:ident $(($($arg:ident: $ty:ty),*))?),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($($arg: $ty,)*)? visitor: V) -> Result<V::Value, D::Error> {
                self.de.$method($($($arg,)*)? KeyVisitor { inner: visitor, key: self.key })
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeyDeserializer<'_, 'de, D> {
    type Error = D::Error;

    key_forward! {
        deserialize_any, deserialize_bool, deserialize_i8, deserialize_i16, deserialize_i32,
        deserialize_i64, deserialize_u8, deserialize_u16, deserialize_u32, deserialize_u64,
        deserialize_f32, deserialize_f64, deserialize_char, deserialize_str, deserialize_string,
        deserialize_bytes, deserialize_byte_buf, deserialize_option, deserialize_unit,
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_seq, deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_map,
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
        deserialize_identifier, deserialize_ignored_any,
    }
}

struct KeyVisitor<'k, 'de, V> {
    inner: V,
    key: &'k mut Key<'de>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        *self.key = Key::Borrowed(v);
        self.inner.visit_borrowed_str(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        *self.key = Key::Owned(v.to_owned());
        self.inner.visit_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        *self.key = Key::Owned(v.clone());
        self.inner.visit_string(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Item {
        flag: bool,
        #[serde(default)]
        note: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Out {
        start_time: u64,
        offset: i64,
        ratio: f64,
        name: String,
        #[serde(default)]
        finished: Option<bool>,
        items: Vec<Item>,
        raw: Option<serde_json::Value>,
        either: Option<crate::StringOrInt>,
    }

    const DOCUMENTED: &str = r#"{"StartTime":1700000000000,"Offset":-7,"Ratio":1.5,"Name":"12",
        "Finished":false,"Items":[{"Flag":true},{"Flag":false,"Note":"n"}],"Raw":{"A":"1"},"Either":"5"}"#;

    fn expected() -> Out {
        Out {
            start_time: 1_700_000_000_000,
            offset: -7,
            ratio: 1.5,
            name: "12".into(),
            finished: Some(false),
            items: vec![
                Item {
                    flag: true,
                    note: None,
                },
                Item {
                    flag: false,
                    note: Some("n".into()),
                },
            ],
            raw: Some(serde_json::json!({"A": "1"})),
            either: Some(crate::StringOrInt::Str("5".into())),
        }
    }

    #[test]
    fn documented_forms_decode_in_both_modes_without_coercions() {
        for mode in [Mode::Strict, Mode::Tolerant] {
            let (out, coercions) = decode::<Out>(DOCUMENTED.as_bytes(), mode).unwrap();
            assert_eq!(out, expected());
            assert!(coercions.is_empty(), "{coercions:?}");
        }
    }

    #[test]
    fn drifted_forms_decode_to_the_same_value_and_are_listed() {
        let drifted = r#"{"StartTime":"1700000000000","Offset":-7.0,"Ratio":"1.5","Name":12,
            "Finished":"false","Items":[{"Flag":1},{"Flag":"0","Note":"n"}],"Raw":{"A":"1"},"Either":"5"}"#;
        let (out, coercions) = decode::<Out>(drifted.as_bytes(), Mode::Tolerant).unwrap();
        assert_eq!(out, expected());
        let listed: Vec<(&str, CoercionKind)> = coercions
            .iter()
            .map(|c| (c.path.as_str(), c.kind))
            .collect();
        assert_eq!(
            listed,
            [
                ("StartTime", CoercionKind::StringToNumber),
                ("Offset", CoercionKind::FloatToInteger),
                ("Ratio", CoercionKind::StringToNumber),
                ("Name", CoercionKind::NumberToString),
                ("Finished", CoercionKind::StringToBool),
                ("Items[0].Flag", CoercionKind::NumberToBool),
                ("Items[1].Flag", CoercionKind::StringToBool),
            ]
        );
        // Strict mode refuses the first drifted value, naming it.
        let err = decode::<Out>(drifted.as_bytes(), Mode::Strict).unwrap_err();
        assert_eq!(err.path, "StartTime");
        assert!(err.message.contains("expected u64"), "{err}");
    }

    /// What stays an error in tolerant mode, and where it is reported.
    #[test]
    fn ambiguous_values_still_fail_with_their_path() {
        let base: serde_json::Value = serde_json::from_str(DOCUMENTED).unwrap();
        let cases: &[(&str, serde_json::Value, &str)] = &[
            ("StartTime", serde_json::json!("soon"), "StartTime"),
            ("StartTime", serde_json::json!("-1"), "StartTime"),
            ("StartTime", serde_json::json!("1e3"), "StartTime"),
            ("StartTime", serde_json::json!(" 1"), "StartTime"),
            ("StartTime", serde_json::json!(1.5), "StartTime"),
            ("StartTime", serde_json::json!({"A": 1}), "StartTime"),
            ("StartTime", serde_json::json!([1]), "StartTime"),
            ("StartTime", serde_json::Value::Null, "StartTime"),
            (
                "Offset",
                serde_json::json!("99999999999999999999"),
                "Offset",
            ),
            ("Ratio", serde_json::json!("NaN"), "Ratio"),
            ("Ratio", serde_json::json!("inf"), "Ratio"),
            ("Name", serde_json::json!(true), "Name"),
            ("Name", serde_json::json!({}), "Name"),
            ("Finished", serde_json::json!(2), "Finished"),
            ("Finished", serde_json::json!("yes"), "Finished"),
            (
                "Items",
                serde_json::json!([{"Flag": true}, {"Flag": "maybe"}]),
                "Items[1].Flag",
            ),
            ("Items", serde_json::json!([{}]), "Items[0]"),
        ];
        for (member, value, path) in cases {
            let mut doc = base.clone();
            doc[member] = value.clone();
            let text = serde_json::to_vec(&doc).unwrap();
            let err = decode::<Out>(&text, Mode::Tolerant).unwrap_err();
            assert_eq!(&err.path, path, "{member} = {value}: {err}");
        }
        // A required member missing is reported at its object.
        let mut doc = base.clone();
        doc.as_object_mut().unwrap().remove("Name");
        let err = decode::<Out>(&serde_json::to_vec(&doc).unwrap(), Mode::Tolerant).unwrap_err();
        assert!(err.message.contains("missing field `Name`"), "{err}");
    }

    #[test]
    fn escaped_member_names_appear_unescaped_in_paths() {
        let text = br#"{"Items":[{"Fl\u0061g":"x"}]}"#;
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Wrap {
            #[serde(rename = "Items")]
            items: Vec<Item>,
        }
        let err = decode::<Wrap>(text, Mode::Tolerant).unwrap_err();
        assert_eq!(err.path, "Items[0].Flag");
    }

    #[test]
    fn trailing_garbage_is_an_error() {
        assert!(decode::<u64>(b"1 2", Mode::Tolerant).is_err());
        assert_eq!(decode::<u64>(b"\"3\"", Mode::Tolerant).unwrap().0, 3);
    }
}
