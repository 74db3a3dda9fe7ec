//! The primitive types of the spec format and every rule about them: what a
//! JSON value of each accepts, its zero value, how command-line text becomes
//! a value, its Rust type in the generated crates, and the note its docs
//! carry. Every `match` on a primitive here is exhaustive, so a new one does
//! not compile until each rule says what it does; the generator, the command
//! line, the local endpoint and the importer ask these methods instead of
//! deciding per primitive themselves.

use serde_json::Value;

/// The primitive types of the spec format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prim {
    /// `string`
    String,
    /// `int64`
    Int64,
    /// `uint64`
    Uint64,
    /// `float`
    Float,
    /// `bool`
    Bool,
    /// `date` (a `YYYY-MM-DD` string)
    Date,
    /// `datetime` (a `YYYY-MM-DD hh:mm:ss` string)
    DateTime,
    /// `datetime_iso` (an ISO 8601 string)
    DateTimeIso,
    /// `string_or_int`: documented as "String/Number", arriving as either
    StringOrInt,
}

impl Prim {
    /// Every primitive, in the spec format's order.
    pub const ALL: [Prim; 9] = [
        Prim::String,
        Prim::Int64,
        Prim::Uint64,
        Prim::Float,
        Prim::Bool,
        Prim::Date,
        Prim::DateTime,
        Prim::DateTimeIso,
        Prim::StringOrInt,
    ];

    /// Parses a spec type name.
    pub fn parse(s: &str) -> Option<Prim> {
        Prim::ALL.into_iter().find(|p| p.spec_name() == s)
    }

    /// The spec name.
    pub fn spec_name(self) -> &'static str {
        match self {
            Prim::String => "string",
            Prim::Int64 => "int64",
            Prim::Uint64 => "uint64",
            Prim::Float => "float",
            Prim::Bool => "bool",
            Prim::Date => "date",
            Prim::DateTime => "datetime",
            Prim::DateTimeIso => "datetime_iso",
            Prim::StringOrInt => "string_or_int",
        }
    }

    /// Whether a JSON value is a value of this type (what `check` and enum
    /// bases ask).
    pub fn accepts(self, v: &Value) -> bool {
        match self {
            Prim::String | Prim::Date | Prim::DateTime | Prim::DateTimeIso => v.is_string(),
            Prim::Int64 => v.as_i64().is_some(),
            Prim::Uint64 => v.as_u64().is_some(),
            Prim::Float => v.is_number(),
            Prim::Bool => v.is_boolean(),
            Prim::StringOrInt => v.is_string() || v.as_i64().is_some(),
        }
    }

    /// The zero value: what a skeleton shows and a minimal answer holds for a
    /// member of this type (`""`, `0`, `0.0`, `false`; `""` for
    /// `string_or_int`, documented as a string first).
    pub fn zero(self) -> Value {
        match self {
            Prim::String | Prim::Date | Prim::DateTime | Prim::DateTimeIso | Prim::StringOrInt => {
                Value::String(String::new())
            }
            Prim::Int64 | Prim::Uint64 => Value::from(0),
            Prim::Float => Value::from(0.0),
            Prim::Bool => Value::Bool(false),
        }
    }

    /// The value of command-line (or query-string) text: a number parsed, a
    /// bool from `true`/`false` (any case), strings as given; for
    /// `string_or_int`, an integer when the text is one written plainly
    /// (`42`, `-1`, not `007`), else the text (the form typed is kept).
    /// `Err` says what was expected (`an int64`, `true or false`, ...).
    pub fn from_text(self, text: &str) -> Result<Value, &'static str> {
        let t = text.trim();
        match self {
            Prim::String | Prim::Date | Prim::DateTime | Prim::DateTimeIso => {
                Ok(Value::String(text.to_owned()))
            }
            Prim::Int64 => t.parse::<i64>().map(Value::from).map_err(|_| "an int64"),
            Prim::Uint64 => t.parse::<u64>().map(Value::from).map_err(|_| "a uint64"),
            Prim::Float => {
                let f: f64 = t.parse().map_err(|_| "a number")?;
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or("a finite number")
            }
            Prim::Bool if t.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            Prim::Bool if t.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            Prim::Bool => Err("true or false"),
            Prim::StringOrInt => {
                let plain = !t.trim_start_matches('-').starts_with('0') || t == "0";
                match t.parse::<i64>() {
                    Ok(n) if plain => Ok(Value::from(n)),
                    _ => Ok(Value::String(text.to_owned())),
                }
            }
        }
    }

    /// The Rust type, as a path from any crate (`::std::string::String`,
    /// `u64`, `::tencentcloud_runtime::StringOrInt`): the one table of
    /// primitive → Rust type that the emitters and the change report share.
    pub fn rust_path(self) -> &'static str {
        match self {
            Prim::String | Prim::Date | Prim::DateTime | Prim::DateTimeIso => {
                "::std::string::String"
            }
            Prim::Int64 => "i64",
            Prim::Uint64 => "u64",
            Prim::Float => "f64",
            Prim::Bool => "bool",
            Prim::StringOrInt => "::tencentcloud_runtime::StringOrInt",
        }
    }

    /// The Rust type's last path segment (`String`, `u64`), as reports show it.
    pub fn rust_name(self) -> &'static str {
        let path = self.rust_path();
        path.rsplit("::").next().unwrap_or(path)
    }

    /// Whether the Rust type is `String`.
    pub fn is_string(self) -> bool {
        match self {
            Prim::String | Prim::Date | Prim::DateTime | Prim::DateTimeIso => true,
            Prim::Int64 | Prim::Uint64 | Prim::Float | Prim::Bool | Prim::StringOrInt => false,
        }
    }

    /// What the format of the type is, for docs.
    pub fn format_note(self) -> Option<&'static str> {
        match self {
            Prim::Date => Some("A date, `YYYY-MM-DD`."),
            Prim::DateTime => Some("A date and time, `YYYY-MM-DD hh:mm:ss`."),
            Prim::DateTimeIso => Some("An ISO 8601 date and time."),
            Prim::StringOrInt => Some("A JSON integer or string (documented as String/Number)."),
            Prim::String | Prim::Int64 | Prim::Uint64 | Prim::Float | Prim::Bool => None,
        }
    }
}

/// Whether a member's field is an `Option`: a member that is not required, or
/// that the service may send as `null`. Required members are plain fields.
/// The one rule the emitters, the strategies and the change report share.
pub fn is_optional(required: bool, nullable: bool) -> bool {
    !required || nullable
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_round_trip() {
        for p in Prim::ALL {
            assert_eq!(Prim::parse(p.spec_name()), Some(p));
        }
        assert_eq!(Prim::parse("list"), None);
    }

    #[test]
    fn zero_values_are_values_of_their_type() {
        for p in Prim::ALL {
            assert!(p.accepts(&p.zero()), "{p:?}");
        }
        assert_eq!(Prim::StringOrInt.zero(), json!(""));
    }

    #[test]
    fn text_becomes_values() {
        assert_eq!(Prim::Uint64.from_text(" 42 "), Ok(json!(42)));
        assert_eq!(Prim::Uint64.from_text("-1"), Err("a uint64"));
        assert_eq!(Prim::Int64.from_text("-1"), Ok(json!(-1)));
        assert_eq!(Prim::Float.from_text("1.5"), Ok(json!(1.5)));
        assert_eq!(Prim::Float.from_text("inf"), Err("a finite number"));
        assert_eq!(Prim::Bool.from_text("TRUE"), Ok(json!(true)));
        assert_eq!(Prim::Bool.from_text("yes"), Err("true or false"));
        assert_eq!(Prim::String.from_text(" a "), Ok(json!(" a ")));
        assert_eq!(Prim::StringOrInt.from_text("1234"), Ok(json!(1234)));
        assert_eq!(Prim::StringOrInt.from_text("0"), Ok(json!(0)));
        assert_eq!(Prim::StringOrInt.from_text("-5"), Ok(json!(-5)));
        assert_eq!(Prim::StringOrInt.from_text("007"), Ok(json!("007")));
        assert_eq!(Prim::StringOrInt.from_text("room-1"), Ok(json!("room-1")));
        for p in Prim::ALL {
            let text = match p.zero() {
                Value::String(s) => s,
                other => other.to_string(),
            };
            assert_eq!(
                p.from_text(&text).as_ref().map(|v| p.accepts(v)),
                Ok(true),
                "{p:?}"
            );
        }
    }
}
