//! What can go wrong, grouped by class; each class has its own exit code.

use std::fmt;

use tencentcloud_runtime::{ApiError, ConstructionError, SdkError};

/// The exit codes, one per class of failure (listed in `trtc --help`).
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  internal error (output could not be written)
  2  usage: unknown command or option, bad argument, input that does not match the action's shape
     (nothing was sent)
  3  configuration or credentials: no credentials, unknown profile, bad region or endpoint
  4  service error: the service answered with an error code ({\"Code\",\"Message\",\"RequestId\",\"TraceId\"} on stderr)
  5  network or timeout: no answer, connection lost, timed out, or an unreadable answer
  6  waiter: the task reached a failure state
  7  waiter: the maximum wait passed before the task reached a final state";

/// A class of failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Writing the output failed, or another unexpected condition.
    Internal,
    /// Bad command line or input; nothing was sent.
    Usage,
    /// Configuration or credentials.
    Config,
    /// The service answered with an error code.
    Service,
    /// No usable answer: network, timeout, malformed response.
    Network,
    /// A waiter reached a failure state.
    WaiterFailed,
    /// A waiter ran out of time.
    WaiterTimeout,
}

impl Class {
    /// The process exit code of this class.
    pub fn code(self) -> u8 {
        match self {
            Class::Internal => 1,
            Class::Usage => 2,
            Class::Config => 3,
            Class::Service => 4,
            Class::Network => 5,
            Class::WaiterFailed => 6,
            Class::WaiterTimeout => 7,
        }
    }
}

/// A failure: its class and what to print on stderr.
#[derive(Debug)]
pub struct CliError {
    /// The class (decides the exit code).
    pub class: Class,
    /// The message (for service errors, the JSON object).
    pub message: String,
}

impl CliError {
    /// A usage error.
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            class: Class::Usage,
            message: message.into(),
        }
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        CliError {
            class: Class::Config,
            message: message.into(),
        }
    }

    /// An internal error.
    pub fn internal(message: impl Into<String>) -> Self {
        CliError {
            class: Class::Internal,
            message: message.into(),
        }
    }

    /// The service's error as `{"Code","Message","RequestId","TraceId"}`
    /// (the call's `X-TC-TraceId`, for Tencent support; `null` if unknown).
    pub fn service(e: &ApiError, trace_id: Option<&str>) -> Self {
        let v = serde_json::json!({
            "Code": e.code(),
            "Message": e.message(),
            "RequestId": e.request_id(),
            "TraceId": trace_id,
        });
        CliError {
            class: Class::Service,
            message: v.to_string(),
        }
    }

    /// Classifies an error of the runtime client.
    pub fn from_sdk(e: SdkError<ApiError>) -> Self {
        let trace_id = e.trace_id().map(str::to_owned);
        let traced = |message: String| match &trace_id {
            Some(t) => format!("{message} (TraceId: {t})"),
            None => message,
        };
        match e {
            SdkError::Service(s) => CliError::service(s.err(), s.trace_id()),
            SdkError::Credentials(c) => CliError::config(format!("credentials: {c}")),
            SdkError::Construction(c) => match c {
                ConstructionError::MissingRegion => CliError::config(
                    "no region configured: give --region, set TENCENTCLOUD_REGION, or run `trtc configure`",
                ),
                ConstructionError::UnsupportedRegion { region, supported } => {
                    CliError::config(format!(
                        "region `{region}` is not supported by this action (supported: {})",
                        supported.join(", ")
                    ))
                }
                other => CliError::usage(other.to_string()),
            },
            SdkError::Dispatch(d) => CliError {
                class: Class::Network,
                message: traced(d.to_string()),
            },
            SdkError::Response(r) => CliError {
                class: Class::Network,
                message: traced(r.to_string()),
            },
            other => CliError::internal(other.to_string()),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}
