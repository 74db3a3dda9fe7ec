//! Value types that generated model crates use beyond JSON's primitives.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A value Tencent documents as "String/Number": the same member arrives as a
/// JSON number or a JSON string (a TRTC room ID is a number for numeric rooms
/// and a string for string rooms; some callbacks send timestamps as strings).
///
/// It keeps the form it arrived in, so it serializes back unchanged; compare
/// with [`StringOrInt::as_i64`] or [`Display`](fmt::Display) when the form
/// does not matter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StringOrInt {
    /// A JSON integer.
    Int(i64),
    /// A JSON string.
    Str(String),
}

impl StringOrInt {
    /// The integer: the number itself, or the string parsed as an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            StringOrInt::Int(n) => Some(*n),
            StringOrInt::Str(s) => s.trim().parse().ok(),
        }
    }
}

impl fmt::Display for StringOrInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StringOrInt::Int(n) => write!(f, "{n}"),
            StringOrInt::Str(s) => f.write_str(s),
        }
    }
}

impl From<i64> for StringOrInt {
    fn from(n: i64) -> Self {
        StringOrInt::Int(n)
    }
}

impl From<String> for StringOrInt {
    fn from(s: String) -> Self {
        StringOrInt::Str(s)
    }
}

impl From<&str> for StringOrInt {
    fn from(s: &str) -> Self {
        StringOrInt::Str(s.to_owned())
    }
}

impl Serialize for StringOrInt {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StringOrInt::Int(n) => s.serialize_i64(*n),
            StringOrInt::Str(v) => s.serialize_str(v),
        }
    }
}

impl<'de> Deserialize<'de> for StringOrInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = StringOrInt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StringOrInt, E> {
                Ok(StringOrInt::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StringOrInt, E> {
                i64::try_from(v)
                    .map(StringOrInt::Int)
                    .map_err(|_| E::custom(format!("{v} is too large for an integer id")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringOrInt, E> {
                Ok(StringOrInt::Str(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<StringOrInt, E> {
                Ok(StringOrInt::Str(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_round_trip_unchanged() {
        for text in ["8489", "\"8489\"", "\"room-a\"", "-3"] {
            let v: StringOrInt = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&v).unwrap(), text);
        }
        let n: StringOrInt = serde_json::from_str("8489").unwrap();
        let s: StringOrInt = serde_json::from_str("\"8489\"").unwrap();
        assert_ne!(n, s, "the form is kept");
        assert_eq!(n.as_i64(), s.as_i64());
        assert_eq!(n.to_string(), s.to_string());
        assert_eq!(StringOrInt::from("room-a").as_i64(), None);
    }

    #[test]
    fn other_json_is_refused() {
        for text in ["1.5", "true", "null", "[]", "{}", "18446744073709551615"] {
            assert!(serde_json::from_str::<StringOrInt>(text).is_err(), "{text}");
        }
    }
}
