//! What a generated crate (or anything that reads a spec at run time) tells
//! the runtime about a service: the service, each action, its event stream,
//! its waiters and its documented rate limit.
//!
//! Every text is a `Cow<'static, str>` and every list a
//! `Cow<'static, [Cow<'static, str>]>`: generated crates describe their
//! actions in `static` items (borrowed, no allocation), and a program that
//! reads a spec at run time (the command line, the local endpoint, a dynamic
//! client) builds the same types owned, without leaking.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

/// A text of a description: borrowed from a `static`, or owned.
pub type Text = Cow<'static, str>;

/// A list of texts: borrowed from a `static`, or owned.
pub type Texts = Cow<'static, [Text]>;

/// Whether `list` holds `value`.
pub fn contains(list: &[Text], value: &str) -> bool {
    list.iter().any(|t| t == value)
}

/// A service version, as its spec describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceMeta {
    /// The service name, used in the signature scope, e.g. `trtc`.
    pub name: Text,
    /// The API version sent as `X-TC-Version`, e.g. `2019-07-22`.
    pub version: Text,
    /// The default host, e.g. `trtc.tencentcloudapi.com`.
    pub endpoint: Text,
    /// The international host, e.g. `trtc.intl.tencentcloudapi.com`.
    pub international_endpoint: Option<Text>,
}

impl ServiceMeta {
    /// A service by name and version, on Tencent Cloud's usual hosts:
    /// `<name>.tencentcloudapi.com`, and `<name>.intl.tencentcloudapi.com`
    /// for the international edition. For calling a service without its spec.
    pub fn tencent(name: impl Into<Text>, version: impl Into<Text>) -> ServiceMeta {
        let name = name.into();
        ServiceMeta {
            endpoint: format!("{name}.tencentcloudapi.com").into(),
            international_endpoint: Some(format!("{name}.intl.tencentcloudapi.com").into()),
            version: version.into(),
            name,
        }
    }
}

/// An action, as its spec describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionMeta {
    /// The action name sent as `X-TC-Action`.
    pub name: Text,
    /// The regions the action supports; empty means any.
    pub regions: Texts,
    /// The documented rate limit.
    pub rate_limit: Option<RateLimit>,
    /// The action's own host, when it is not the service's.
    pub endpoint: Option<Text>,
    /// The action's own international host, when it is not the service's.
    pub international_endpoint: Option<Text>,
    /// The action answers with a stream of events (see the runtime's `event_stream`).
    pub stream: Option<StreamMeta>,
    /// The members marked `sensitive` in the spec, as dotted paths in the
    /// request body (`TranscriptionParam.UserSig`) or the response body
    /// (`Response.UserSig`); a path runs through lists element by element.
    /// Logs, recordings and `--debug` mask them (see the runtime's `redact`).
    pub sensitive: Texts,
    /// The documented limits of the request's members (see the runtime's
    /// `limits`), checked before sending unless
    /// `ConfigBuilder::skip_limit_checks(true)`; empty: none.
    pub limits: crate::limits::LimitTable,
}

impl ActionMeta {
    /// An action with only a name: any region, no documented limit, the
    /// service's host, one JSON answer.
    pub fn named(name: impl Into<Text>) -> ActionMeta {
        ActionMeta {
            name: name.into(),
            regions: Cow::Borrowed(&[]),
            rate_limit: None,
            endpoint: None,
            international_endpoint: None,
            stream: None,
            sensitive: Cow::Borrowed(&[]),
            limits: crate::limits::LimitTable::NONE,
        }
    }
}

/// How an action's events say what they are, from its spec. The default
/// knows no member: every event is data, and the stream ends with the body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamMeta {
    /// The member naming the kind of event (`Type`).
    pub kind_member: Option<Text>,
    /// The kind of an error event (`error`); its `Error` member has `Code` and `Message`.
    pub error_kind: Option<Text>,
    /// The boolean member that marks the last event (`IsEnd`).
    pub end_member: Option<Text>,
}

/// A documented rate limit: at most `requests` calls in any window of
/// `per_seconds` seconds (`20` per second, or one call every 15 seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// Calls allowed in one window.
    pub requests: u32,
    /// The window, in seconds.
    pub per_seconds: u32,
}

impl RateLimit {
    /// `n` calls per second.
    pub const fn per_second(n: u32) -> RateLimit {
        RateLimit {
            requests: n,
            per_seconds: 1,
        }
    }

    /// `requests` calls in any window of `seconds` seconds.
    pub const fn every(requests: u32, seconds: u32) -> RateLimit {
        RateLimit {
            requests,
            per_seconds: seconds,
        }
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.requests, self.per_seconds) {
            (n, 1) => write!(f, "{n} requests per second"),
            (1, s) => write!(f, "one request every {s} seconds"),
            (n, s) => write!(f, "{n} requests every {s} seconds"),
        }
    }
}

/// What a waiter makes of "the task does not exist".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotFound {
    /// The wait succeeded (a deleted task, as waited for).
    Success,
    /// The wait failed.
    Failure,
    /// The error ends the wait as an error.
    Error,
}

/// A waiter, as its spec describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaiterMeta {
    /// The waiter's name in the spec (`CloudRecordingStopped`).
    pub name: Text,
    /// The action it polls.
    pub action: Text,
    /// The status path in the output, for messages (`Status`).
    pub status: Text,
    /// States that end the wait successfully.
    pub success: Texts,
    /// States that end the wait with a failure.
    pub failure: Texts,
    /// What a not-found answer means.
    pub not_found: NotFound,
    /// The codes that mean the task does not exist.
    pub not_found_codes: Texts,
    /// The default interval between polls.
    pub interval: Duration,
    /// The default maximum wait.
    pub max_wait: Duration,
}

/// What one status means for a waiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matched {
    /// A success state.
    Success,
    /// A failure state.
    Failure,
    /// Anything else: keep waiting.
    Nothing,
}

impl WaiterMeta {
    /// What `status` means (`None`: the output has no status).
    pub fn classify(&self, status: Option<&str>) -> Matched {
        match status {
            Some(s) if contains(&self.success, s) => Matched::Success,
            Some(s) if contains(&self.failure, s) => Matched::Failure,
            _ => Matched::Nothing,
        }
    }

    /// Whether `code` means the task does not exist.
    pub fn is_not_found(&self, code: &str) -> bool {
        contains(&self.not_found_codes, code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static STATIC: ActionMeta = ActionMeta {
        name: Cow::Borrowed("DescribeThing"),
        regions: Cow::Borrowed(&[Cow::Borrowed("ap-guangzhou")]),
        rate_limit: Some(RateLimit::per_second(20)),
        endpoint: None,
        international_endpoint: None,
        stream: None,
        sensitive: Cow::Borrowed(&[Cow::Borrowed("Secret")]),
        limits: crate::limits::LimitTable::NONE,
    };

    #[test]
    fn static_and_owned_descriptions_are_the_same_value() {
        let owned = ActionMeta {
            name: "DescribeThing".to_owned().into(),
            regions: vec![Text::from("ap-guangzhou".to_owned())].into(),
            rate_limit: Some(RateLimit::every(20, 1)),
            sensitive: vec![Text::from("Secret".to_owned())].into(),
            ..ActionMeta::named("x")
        };
        assert_eq!(STATIC, owned);
        assert!(contains(&owned.regions, "ap-guangzhou"));
        assert!(!contains(&owned.regions, "ap-beijing"));
    }

    #[test]
    fn rate_limits_read_as_documented() {
        assert_eq!(
            RateLimit::per_second(20).to_string(),
            "20 requests per second"
        );
        assert_eq!(
            RateLimit::every(1, 15).to_string(),
            "one request every 15 seconds"
        );
        assert_eq!(
            RateLimit::every(5, 10).to_string(),
            "5 requests every 10 seconds"
        );
    }

    #[test]
    fn a_waiter_classifies_states_and_not_found_codes() {
        let w = WaiterMeta {
            name: "Stopped".into(),
            action: "DescribeThing".into(),
            status: "Status".into(),
            success: Cow::Borrowed(&[Cow::Borrowed("Stopped")]),
            failure: vec![Text::from("Failed")].into(),
            not_found: NotFound::Success,
            not_found_codes: Cow::Borrowed(&[Cow::Borrowed("ResourceNotFound")]),
            interval: Duration::from_secs(1),
            max_wait: Duration::from_secs(10),
        };
        assert_eq!(w.classify(Some("Stopped")), Matched::Success);
        assert_eq!(w.classify(Some("Failed")), Matched::Failure);
        assert_eq!(w.classify(Some("Running")), Matched::Nothing);
        assert_eq!(w.classify(None), Matched::Nothing);
        assert!(w.is_not_found("ResourceNotFound"));
        assert!(!w.is_not_found("InternalError"));
    }
}
