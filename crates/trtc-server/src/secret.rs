//! The application's secret key.

use std::fmt;

/// A secret key (the TLSSigAPIv2 key of a TRTC application, or the key of its
/// callbacks) that never shows itself.
///
/// `Debug` and `Display` print `** redacted **`; no error of this crate
/// contains the value. There is deliberately no `PartialEq`: comparing keys
/// byte by byte would not be constant-time, and nothing here needs it.
#[derive(Clone)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a key.
    pub fn new(value: impl Into<String>) -> Self {
        SecretKey(value.into())
    }

    /// The key. Call this only where the value is used, never to log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Refuses an empty key and one with leading or trailing whitespace (a
    /// key pasted with its newline signs differently from the console's key).
    /// The error never contains the value.
    pub fn validate(&self) -> Result<(), KeyError> {
        if self.0.is_empty() {
            Err(KeyError::Empty)
        } else if self.0.trim() != self.0 {
            Err(KeyError::SurroundingWhitespace)
        } else {
            Ok(())
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(** redacted **)")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

impl From<String> for SecretKey {
    fn from(value: String) -> Self {
        SecretKey(value)
    }
}

impl From<&str> for SecretKey {
    fn from(value: &str) -> Self {
        SecretKey(value.to_owned())
    }
}

impl From<&SecretKey> for SecretKey {
    fn from(value: &SecretKey) -> Self {
        value.clone()
    }
}

/// Why [`SecretKey::validate`] refused a key. Never contains the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The key is empty.
    Empty,
    /// The key starts or ends with whitespace.
    SurroundingWhitespace,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => f.write_str("the key is empty"),
            KeyError::SurroundingWhitespace => f.write_str(
                "the key has leading or trailing whitespace (a pasted newline or space?)",
            ),
        }
    }
}

impl std::error::Error for KeyError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_itself() {
        let key = SecretKey::new("hunter2-very-secret");
        for text in [format!("{key:?}"), format!("{key}"), format!("{key:#?}")] {
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("redacted"), "{text}");
        }
        assert_eq!(key.expose_secret(), "hunter2-very-secret");
    }

    #[test]
    fn validate_names_the_problem_without_the_value() {
        assert_eq!(SecretKey::from("").validate(), Err(KeyError::Empty));
        for bad in ["key\n", " key", "key\t"] {
            let e = SecretKey::from(bad).validate().unwrap_err();
            assert_eq!(e, KeyError::SurroundingWhitespace);
            assert!(!e.to_string().contains("key\n"));
        }
        assert!(SecretKey::from("abc123").validate().is_ok());
    }
}
