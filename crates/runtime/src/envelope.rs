//! The API 3.0 response envelope.
//!
//! Success: `{"Response": {..., "RequestId": "..."}}`.
//! Service error (still HTTP 200): `{"Response": {"Error": {"Code": "...", "Message": "..."}, "RequestId": "..."}}`.
//! Anything else is a [`ResponseError`] that carries the status and an excerpt.

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::drift::{self, Coercion, Mode};
use crate::error::{ApiError, ResponseError, ResponseErrorKind};

/// `{"Response": ...}`; only a JSON object is accepted (a derived struct would
/// also take an array).
struct Envelope<'a> {
    response: Option<&'a RawValue>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Envelope<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Envelope<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object with a `Response` member")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut response = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "Response" {
                        if response.is_some() {
                            return Err(serde::de::Error::duplicate_field("Response"));
                        }
                        response = Some(map.next_value::<&'de RawValue>()?);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Envelope { response })
            }
        }
        d.deserialize_map(Visitor)
    }
}

#[derive(Deserialize)]
struct Head {
    #[serde(rename = "Error", default)]
    error: Option<ErrorBody>,
    #[serde(rename = "RequestId", default)]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: Option<String>,
}

/// A body that parsed as an envelope.
#[derive(Debug)]
pub enum Parsed {
    /// Success; `response` is the byte range of the `Response` object in the body.
    Success {
        /// Where the `Response` object is in the body.
        response: Range<usize>,
        /// The RequestId.
        request_id: String,
    },
    /// The service answered with an error code.
    Error(ApiError),
}

/// Parses a response body. `action` only labels errors.
pub fn parse(action: &str, status: u16, body: &[u8]) -> Result<Parsed, ResponseError> {
    let err = |kind| ResponseError::new(action.to_owned(), status, kind, body);
    let envelope: Envelope<'_> = match serde_json::from_slice(body) {
        Ok(e) => e,
        Err(e) => {
            let kind = match e.classify() {
                serde_json::error::Category::Eof => ResponseErrorKind::Truncated,
                serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                    ResponseErrorKind::NotJson(e.to_string())
                }
                serde_json::error::Category::Data => ResponseErrorKind::NotEnvelope(format!(
                    "expected an object with a `Response` member: {e}"
                )),
            };
            return Err(err(kind));
        }
    };
    let Some(raw) = envelope.response else {
        return Err(err(ResponseErrorKind::NotEnvelope(
            "no `Response` member".to_owned(),
        )));
    };
    // Without path tracking first (the common case); again with it, for the
    // message, only when that fails.
    let head: Head = match Head::deserialize(&mut serde_json::Deserializer::from_str(raw.get())) {
        Ok(head) => head,
        Err(_) => {
            drift::decode::<Head>(raw.get().as_bytes(), Mode::Strict)
                .map_err(|e| {
                    err(ResponseErrorKind::NotEnvelope(format!(
                        "at {}: {}",
                        response_path(&e.path),
                        e.message
                    )))
                })?
                .0
        }
    };
    if let Some(error) = head.error {
        return Ok(Parsed::Error(ApiError::new(
            error.code,
            error.message.unwrap_or_default(),
            head.request_id.unwrap_or_default(),
        )));
    }
    if status != 200 {
        let mut e = err(ResponseErrorKind::Status);
        e.request_id = head.request_id;
        return Err(e);
    }
    let Some(request_id) = head.request_id else {
        return Err(err(ResponseErrorKind::NotEnvelope(
            "`Response.RequestId` is missing".to_owned(),
        )));
    };
    let start = raw.get().as_ptr() as usize - body.as_ptr() as usize;
    Ok(Parsed::Success {
        response: start..start + raw.get().len(),
        request_id,
    })
}

/// Decodes the `Response` object of a successful body into the action's output,
/// with the values accepted in another form (see [`crate::drift`]). A body that
/// does not decode is an error naming the path, and keeps the whole body.
pub fn decode<O: DeserializeOwned>(
    action: &str,
    body: &[u8],
    response: Range<usize>,
    request_id: &str,
    mode: Mode,
) -> Result<(O, Vec<Coercion>), ResponseError> {
    drift::decode(&body[response], mode)
        .map(|(out, coercions)| {
            let coercions = coercions
                .into_iter()
                .map(|mut c| {
                    c.path = response_path(&c.path);
                    c
                })
                .collect();
            (out, coercions)
        })
        .map_err(|e| {
            let kind = ResponseErrorKind::Output {
                path: response_path(&e.path),
                message: e.message,
            };
            let mut re = ResponseError::new(action.to_owned(), 200, kind, body);
            re.request_id = Some(request_id.to_owned());
            re.keep_body(body);
            re
        })
}

fn response_path(inner: &str) -> String {
    if inner == "." || inner.is_empty() {
        "Response".to_owned()
    } else {
        format!("Response.{inner}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Out {
        #[serde(rename = "TaskId")]
        task_id: String,
        #[serde(rename = "RequestId")]
        request_id: String,
    }

    fn ok(body: &str) -> (Range<usize>, String) {
        match parse("A", 200, body.as_bytes()).unwrap() {
            Parsed::Success {
                response,
                request_id,
            } => (response, request_id),
            Parsed::Error(e) => panic!("unexpected {e}"),
        }
    }

    fn kind(status: u16, body: &[u8]) -> ResponseErrorKind {
        parse("A", status, body).unwrap_err().kind().clone()
    }

    #[test]
    fn success_gives_the_response_object() {
        let body = r#"{"Response":{"TaskId":"t","RequestId":"r","Extra":1}}"#;
        let (range, rid) = ok(body);
        assert_eq!(rid, "r");
        assert_eq!(
            &body[range.clone()],
            r#"{"TaskId":"t","RequestId":"r","Extra":1}"#
        );
        let (out, _): (Out, _) = decode("A", body.as_bytes(), range, &rid, Mode::Tolerant).unwrap();
        assert_eq!(
            out,
            Out {
                task_id: "t".into(),
                request_id: "r".into()
            }
        );
    }

    #[test]
    fn service_error_keeps_code_message_and_request_id() {
        let body = r#"{"Response":{"Error":{"Code":"InvalidParameter.SdkAppId","Message":"bad"},"RequestId":"r1"}}"#;
        match parse("A", 200, body.as_bytes()).unwrap() {
            Parsed::Error(e) => {
                assert_eq!(e.code(), "InvalidParameter.SdkAppId");
                assert_eq!(e.message(), "bad");
                assert_eq!(e.request_id(), "r1");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_bodies_are_classified() {
        assert_eq!(
            kind(200, br#"{"Response":{"TaskId":"ab"#),
            ResponseErrorKind::Truncated
        );
        assert_eq!(kind(200, b""), ResponseErrorKind::Truncated);
        assert!(matches!(
            kind(200, b"<html>502</html>"),
            ResponseErrorKind::NotJson(_)
        ));
        assert!(matches!(
            kind(200, br#"{"Response":{}} x"#),
            ResponseErrorKind::NotJson(_)
        ));
        assert!(matches!(
            kind(200, b"[1,2]"),
            ResponseErrorKind::NotEnvelope(_)
        ));
        assert!(matches!(
            kind(200, br#"{"Other":1}"#),
            ResponseErrorKind::NotEnvelope(_)
        ));
        assert!(matches!(
            kind(200, br#"{"Response":5}"#),
            ResponseErrorKind::NotEnvelope(_)
        ));
        assert!(
            matches!(kind(200, br#"{"Response":{"TaskId":"t"}}"#), ResponseErrorKind::NotEnvelope(m) if m.contains("RequestId"))
        );
        assert!(
            matches!(kind(200, br#"{"Response":{"RequestId":7}}"#), ResponseErrorKind::NotEnvelope(m) if m.contains("Response.RequestId"))
        );
        assert!(
            matches!(kind(200, br#"{"Response":{"Error":{"Message":"m"},"RequestId":"r"}}"#), ResponseErrorKind::NotEnvelope(m) if m.contains("Response.Error"))
        );
    }

    #[test]
    fn non_200_keeps_status_excerpt_and_request_id() {
        let e = parse("A", 503, b"Service Unavailable").unwrap_err();
        assert_eq!(e.status(), 503);
        assert!(matches!(e.kind(), ResponseErrorKind::NotJson(_)));
        assert_eq!(e.excerpt(), "Service Unavailable");
        let e = parse("A", 500, br#"{"Response":{"RequestId":"r9"}}"#).unwrap_err();
        assert_eq!(e.kind(), &ResponseErrorKind::Status);
        assert_eq!(e.request_id(), Some("r9"));
        assert!(e.to_string().contains("HTTP status 500"));
    }

    #[test]
    fn output_mismatch_names_the_member() {
        let body = r#"{"Response":{"TaskId":{"Id":5},"RequestId":"r"}}"#;
        let (range, rid) = ok(body);
        let e = decode::<Out>("A", body.as_bytes(), range, &rid, Mode::Tolerant)
            .map(|(o, _)| o)
            .unwrap_err();
        match e.kind() {
            ResponseErrorKind::Output { path, .. } => assert_eq!(path, "Response.TaskId"),
            other => panic!("{other:?}"),
        }
        assert_eq!(e.request_id(), Some("r"));
        assert_eq!(e.body(), body.as_bytes(), "the whole body is kept");
        // A number for the string is drift: accepted, listed; refused when strict.
        let body = r#"{"Response":{"TaskId":5,"RequestId":"r"}}"#;
        let (range, rid) = ok(body);
        let (out, coercions): (Out, _) =
            decode("A", body.as_bytes(), range.clone(), &rid, Mode::Tolerant).unwrap();
        assert_eq!(out.task_id, "5");
        assert_eq!(coercions[0].path, "Response.TaskId");
        let e = decode::<Out>("A", body.as_bytes(), range, &rid, Mode::Strict).unwrap_err();
        assert!(
            matches!(e.kind(), ResponseErrorKind::Output { path, .. } if path == "Response.TaskId")
        );
        let body = r#"{"Response":{"RequestId":"r"}}"#;
        let (range, rid) = ok(body);
        let e = decode::<Out>("A", body.as_bytes(), range, &rid, Mode::Tolerant)
            .map(|(o, _)| o)
            .unwrap_err();
        assert!(e.to_string().contains("TaskId"), "{e}");
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let body = format!(r#"{{"Response":{deep}"#);
        assert!(parse("A", 200, body.as_bytes()).is_err());
    }
}
