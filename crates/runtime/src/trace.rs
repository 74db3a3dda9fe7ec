//! Trace IDs: every call sends `X-TC-TraceId`, a fresh UUID unless the caller
//! sets one, as Tencent's Python SDK does (`str(uuid.uuid4())`: 36 characters,
//! lower-case, hyphenated). Tencent support finds a call in its logs by it.
//!
//! The ID is in the call's `tencentcloud.call` span (`trace_id`), in
//! [`ResponseMeta::trace_id`](crate::ResponseMeta::trace_id), on every error
//! of a call that was sent ([`SdkError::trace_id`](crate::SdkError::trace_id))
//! and in every interceptor context. Retries of one call keep its ID.

use reqwest::header::HeaderName;

/// `X-TC-TraceId`.
pub const X_TC_TRACE_ID: HeaderName = HeaderName::from_static("x-tc-traceid");

/// The longest trace ID a caller may set (a UUID is 36 characters).
pub const MAX_TRACE_ID_LEN: usize = 128;

/// A fresh trace ID: a random (version 4) UUID, lower-case and hyphenated.
///
/// The 122 random bits come from `fastrand` (seeded per thread), not from the
/// operating system: a trace ID needs to be unique, not unpredictable, and this
/// keeps a system call off every request.
pub fn new_trace_id() -> String {
    let bytes = fastrand::u128(..).to_le_bytes();
    let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    id.hyphenated().encode_lower(&mut buf).to_owned()
}

/// Checks a trace ID a caller sets: 1 to [`MAX_TRACE_ID_LEN`] visible ASCII
/// characters (it is sent as a header value).
pub fn check_trace_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("a trace ID cannot be empty".to_owned());
    }
    if id.len() > MAX_TRACE_ID_LEN {
        return Err(format!(
            "a trace ID has at most {MAX_TRACE_ID_LEN} characters, this one {}",
            id.len()
        ));
    }
    if let Some(c) = id.chars().find(|c| !c.is_ascii_graphic()) {
        return Err(format!(
            "a trace ID is visible ASCII; {c:?} is not allowed in {id:?}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_are_version_4_uuids_and_differ() {
        let a = new_trace_id();
        let b = new_trace_id();
        assert_ne!(a, b);
        let u = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(u.get_version_num(), 4);
        assert_eq!(u.get_variant(), uuid::Variant::RFC4122);
        assert_eq!(a.len(), 36);
        assert_eq!(a, a.to_ascii_lowercase());
        assert_eq!(a.matches('-').count(), 4);
    }

    #[test]
    fn caller_ids_are_checked() {
        assert!(check_trace_id("order-42/retry").is_ok());
        assert!(check_trace_id("").unwrap_err().contains("empty"));
        assert!(check_trace_id("has space").unwrap_err().contains("' '"));
        assert!(check_trace_id(&"x".repeat(129))
            .unwrap_err()
            .contains("at most 128"));
        assert!(check_trace_id("é").is_err());
    }
}
