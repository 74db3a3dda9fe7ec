//! Every naming rule of the generator, in one place.
//!
//! Wire names are never derived from Rust names: the emitter always writes an
//! explicit `#[serde(rename = "...")]`. Rust names are derived from wire names
//! with `heck`, then made legal (keywords, leading digits) and unique within
//! their namespace: the first name in spec order keeps the plain conversion,
//! later ones that collide get a numeric suffix (`run_id`, `run_id_2`).

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2021 (and 2024's `gen`).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Whether `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// A legal Rust identifier for `name`, as source text: `r#type` for keywords,
/// `self_` for keywords that cannot be raw.
pub fn ident_text(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if is_keyword(name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// A module (and file) name for a snake_case name: as is, or `self_` for the
/// keywords that cannot be raw identifiers (`type` stays `type`: the module is
/// declared `mod r#type;` and lives in `type.rs`).
pub fn module(snake: &str) -> String {
    if NOT_RAW.contains(&snake) {
        format!("{snake}_")
    } else {
        snake.to_owned()
    }
}

/// Makes a converted name start with a letter or underscore.
fn fix_start(mut s: String, prefix: &str) -> String {
    if s.is_empty() {
        return prefix.trim_end_matches('_').to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, prefix);
    }
    s
}

/// snake_case for fields and methods: `SdkAppId` → `sdk_app_id`, `UUI` → `uui`.
pub fn snake(wire: &str) -> String {
    fix_start(clean(wire).to_snake_case(), "n_")
}

/// UpperCamelCase for types and variants: `AuthFailure.SignatureExpire` → `AuthFailureSignatureExpire`.
pub fn camel(wire: &str) -> String {
    fix_start(clean(wire).to_upper_camel_case(), "N")
}

/// SCREAMING_SNAKE_CASE for statics.
pub fn screaming(wire: &str) -> String {
    snake(wire).to_ascii_uppercase()
}

/// Replaces characters that cannot appear in identifiers with word breaks.
fn clean(wire: &str) -> String {
    wire.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Hands out unique names within one namespace.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: Vec<String>,
}

/// How a name was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    /// The Rust name (without `r#`).
    pub name: String,
    /// When the plain conversion was taken: the name it would have had.
    pub renamed_from: Option<String>,
}

impl Namespace {
    /// A namespace where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.iter().any(|t| t == name)
    }

    /// Takes `name` exactly; `false` if it was taken already.
    pub fn take_exact(&mut self, name: &str) -> bool {
        if self.is_taken(name) {
            return false;
        }
        self.taken.push(name.to_owned());
        true
    }

    /// Takes `base`, or the first free `base{sep}2`, `base{sep}3`, ...
    pub fn assign(&mut self, base: &str, sep: &str) -> Assigned {
        self.assign_with(base, sep, |_| true)
    }

    /// Like [`Namespace::assign`], but a candidate must also satisfy `extra`
    /// (used when one member claims several names, e.g. `x` and `set_x`).
    pub fn assign_with(
        &mut self,
        base: &str,
        sep: &str,
        mut extra: impl FnMut(&str) -> bool,
    ) -> Assigned {
        if !self.is_taken(base) && extra(base) {
            self.taken.push(base.to_owned());
            return Assigned {
                name: base.to_owned(),
                renamed_from: None,
            };
        }
        let mut n = 2u32;
        loop {
            let candidate = format!("{base}{sep}{n}");
            if !self.is_taken(&candidate) && extra(&candidate) {
                self.taken.push(candidate.clone());
                return Assigned {
                    name: candidate,
                    renamed_from: Some(base.to_owned()),
                };
            }
            n += 1;
        }
    }
}

/// Whether `s` is a valid Rust identifier in snake_case form (for `rust_name`).
pub fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !NOT_RAW.contains(&s)
}

/// Whether `s` is a valid Rust identifier in UpperCamelCase form (for `rust_name`).
pub fn is_camel_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && s != "Self"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(snake("SdkAppId"), "sdk_app_id");
        assert_eq!(snake("SdkAppid"), "sdk_appid");
        assert_eq!(snake("UUI"), "uui");
        assert_eq!(snake("hadAutoFixVul"), "had_auto_fix_vul");
        assert_eq!(snake("TTSParam"), "tts_param");
        assert_eq!(snake("3DLayout"), "n_3d_layout");
        assert_eq!(
            camel("AuthFailure.SignatureExpire"),
            "AuthFailureSignatureExpire"
        );
        assert_eq!(camel("MissingParameter.ASRLang"), "MissingParameterAsrLang");
        assert_eq!(
            camel("InvalidParameter.SdkAppid"),
            "InvalidParameterSdkAppid"
        );
        assert_eq!(camel("room_id_type"), "RoomIdType");
        assert_eq!(
            screaming("CreateCloudTranscription"),
            "CREATE_CLOUD_TRANSCRIPTION"
        );
    }

    #[test]
    fn keywords() {
        assert_eq!(ident_text(&snake("Type")), "r#type");
        assert_eq!(ident_text(&snake("Match")), "r#match");
        assert_eq!(ident_text(&snake("Self")), "self_");
        assert_eq!(ident_text(&camel("Self")), "Self_");
        assert_eq!(ident_text(&snake("Super")), "super_");
        assert_eq!(ident_text(&snake("Crate")), "crate_");
        assert_eq!(ident_text("sdk_app_id"), "sdk_app_id");
    }

    #[test]
    fn collisions_get_predictable_suffixes() {
        let mut ns = Namespace::default();
        assert_eq!(ns.assign(&snake("RunId"), "_").name, "run_id");
        let second = ns.assign(&snake("RunID"), "_");
        assert_eq!(second.name, "run_id_2");
        assert_eq!(second.renamed_from.as_deref(), Some("run_id"));
        assert_eq!(ns.assign(&snake("RUN_ID"), "_").name, "run_id_3");
        let mut ns = Namespace::with_reserved(&["Unknown"]);
        assert_eq!(ns.assign(&camel("unknown"), "").name, "Unknown2");
    }

    #[test]
    fn idents_for_overrides() {
        assert!(is_snake_ident("sdk_app_id"));
        assert!(!is_snake_ident("SdkAppId"));
        assert!(!is_snake_ident("self"));
        assert!(is_camel_ident("RoomIdType"));
        assert!(!is_camel_ident("room"));
        assert!(!is_camel_ident("Self"));
    }
}
