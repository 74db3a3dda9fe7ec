//! The service-independent parts of typed callback events.
//!
//! Each generated model crate with callbacks has a `callbacks` module whose
//! `Event` enum has one variant per documented event group and type; the
//! types here are what every such module shares (and re-exports), and
//! [`parse`] is how each part of an event is decoded: with the same rule for
//! values that drift from their documented types as responses
//! ([`crate::drift`]), each accepted drift a `tracing` warning.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::drift::{self, Mode};

/// An event's typed parts: its `EventInfo` members, and the typed
/// `EventInfo.Payload` for events that carry one (`()` for the others).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct EventOf<I, P = ()> {
    /// The `EventInfo` members.
    pub info: I,
    /// `EventInfo.Payload`.
    pub payload: P,
}

impl<I, P> EventOf<I, P> {
    /// An event from its parts.
    pub fn new(info: I, payload: P) -> Self {
        EventOf { info, payload }
    }
}

/// An event whose group and type the generated crate does not know, kept whole.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct UnknownEvent {
    /// `EventGroupId`.
    pub group_id: i64,
    /// `EventType`.
    pub event_type: i64,
    /// `EventInfo`, as it arrived.
    pub info: serde_json::Value,
}

impl UnknownEvent {
    /// An unknown event from its parts.
    pub fn new(group_id: i64, event_type: i64, info: serde_json::Value) -> Self {
        UnknownEvent {
            group_id,
            event_type,
            info,
        }
    }
}

/// Why an `EventInfo` did not parse into its event's types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventParseError {
    /// Where, e.g. `EventInfo.Payload.Status`.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for EventParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for EventParseError {}

/// Decodes one part of an event (`root` names it in paths, e.g. `EventInfo`),
/// accepting values that drift from their documented types as responses do.
pub fn parse<T: DeserializeOwned>(text: &str, root: &str) -> Result<T, EventParseError> {
    let at = |path: &str| {
        if path.is_empty() {
            root.to_owned()
        } else {
            format!("{root}.{path}")
        }
    };
    match drift::decode(text.as_bytes(), Mode::Tolerant) {
        Ok((value, coercions)) => {
            for c in coercions {
                tracing::warn!(
                    path = %at(&c.path),
                    "callback event drifts from the documented type: {}",
                    c.kind
                );
            }
            Ok(value)
        }
        Err(e) => Err(EventParseError {
            path: at(&e.path),
            message: e.message,
        }),
    }
}

/// `EventInfo` read only for its `Payload` member.
#[doc(hidden)]
#[derive(Deserialize)]
pub struct WithPayload<P> {
    /// `Payload`.
    #[serde(rename = "Payload")]
    pub payload: P,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Info {
        #[serde(rename = "RoomId")]
        room_id: String,
        #[serde(rename = "EventMsTs")]
        ts: u64,
    }

    #[test]
    fn parts_decode_with_drift_and_name_the_root_on_errors() {
        let info: Info = parse(
            r#"{"RoomId":1234,"EventMsTs":"1700000000000"}"#,
            "EventInfo",
        )
        .unwrap();
        assert_eq!(
            info,
            Info {
                room_id: "1234".into(),
                ts: 1_700_000_000_000
            }
        );
        let e = parse::<Info>(r#"{"RoomId":"r","EventMsTs":"later"}"#, "EventInfo").unwrap_err();
        assert_eq!(e.path, "EventInfo.EventMsTs");
        let e = parse::<Info>("[1]", "EventInfo").unwrap_err();
        assert_eq!(e.path, "EventInfo");
        let p: WithPayload<Info> =
            parse(r#"{"Payload":{"RoomId":"r","EventMsTs":1}}"#, "EventInfo").unwrap();
        assert_eq!(p.payload.ts, 1);
    }
}
