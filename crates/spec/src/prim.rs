//! The primitive types of the spec format and the rules everything asks of
//! them.

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
    /// Parses a spec type name.
    pub fn parse(s: &str) -> Option<Prim> {
        Some(match s {
            "string" => Prim::String,
            "int64" => Prim::Int64,
            "uint64" => Prim::Uint64,
            "float" => Prim::Float,
            "bool" => Prim::Bool,
            "date" => Prim::Date,
            "datetime" => Prim::DateTime,
            "datetime_iso" => Prim::DateTimeIso,
            "string_or_int" => Prim::StringOrInt,
            _ => return None,
        })
    }

    /// Whether a JSON value is a value of this type (what `check` and the
    /// enum bases ask).
    pub fn accepts(self, v: &serde_json::Value) -> bool {
        match self {
            Prim::String | Prim::Date | Prim::DateTime | Prim::DateTimeIso => v.is_string(),
            Prim::Int64 => v.as_i64().is_some(),
            Prim::Uint64 => v.as_u64().is_some(),
            Prim::Float => v.is_number(),
            Prim::Bool => v.is_boolean(),
            Prim::StringOrInt => v.is_string() || v.as_i64().is_some(),
        }
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
        matches!(
            self,
            Prim::String | Prim::Date | Prim::DateTime | Prim::DateTimeIso
        )
    }

    /// What the format of a string type is, for docs.
    pub fn format_note(self) -> Option<&'static str> {
        match self {
            Prim::Date => Some("A date, `YYYY-MM-DD`."),
            Prim::DateTime => Some("A date and time, `YYYY-MM-DD hh:mm:ss`."),
            Prim::DateTimeIso => Some("An ISO 8601 date and time."),
            Prim::StringOrInt => Some("A JSON integer or string (documented as String/Number)."),
            _ => None,
        }
    }
}

/// Whether a member's field is an `Option`: a member that is not required, or
/// that the service may send as `null`. Required members are plain fields.
/// The one rule the emitters, the strategies and the change report share.
pub fn is_optional(required: bool, nullable: bool) -> bool {
    !required || nullable
}

