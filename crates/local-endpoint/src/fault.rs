//! The faults the endpoint can inject, in one place: the list ([`Fault`]),
//! what each does to a call (one exhaustive [`apply`]), and its command-line
//! flag ([`FaultFlag`]: [`FaultFlag::of`] matches every fault, so a new one
//! does not compile until it has a flag, and the binary's options are built
//! from [`FaultFlag::ALL`]).

use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::Value;

use crate::http::{Reply, Request};
use crate::service::{self, error_reply, refuse};
use crate::State;

/// A fault to answer calls with instead of (or before) the normal behavior.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// Answer with this service error code (HTTP 200, API 3.0 error envelope).
    Error {
        /// The code, e.g. `RequestLimitExceeded`.
        code: String,
        /// The message.
        message: String,
    },
    /// Wait this long, then handle the call normally.
    Delay(Duration),
    /// Read the request, then close the connection without answering.
    Drop,
    /// Answer with this HTTP status and body.
    Status {
        /// The status code, e.g. 503.
        status: u16,
        /// The body.
        body: String,
    },
    /// Answer HTTP 200 with this raw body (malformed JSON, HTML, ...).
    Body(Vec<u8>),
    /// Handle the call normally but send only half the body, then close.
    Truncate,
    /// Handle the call normally, then answer with its values drifted from the
    /// documented types the way Tencent Cloud's answers sometimes are: every
    /// number in `Response` (but `RequestId`) as a decimal string, every bool
    /// as `0`/`1`. A client that decodes tolerantly reads the same values.
    Drift,
    /// Answer HTTP 200 with a body of this many bytes (a valid envelope padded out).
    Oversized(usize),
    /// For a streaming action: send this many events normally, then an error
    /// event with this code, and end the stream.
    StreamError {
        /// Events sent before the error.
        after: usize,
        /// The error code, e.g. `InternalError`.
        code: String,
    },
    /// For a streaming action: send this many events, then close the
    /// connection without the last event or the end of the body.
    StreamCut {
        /// Events sent before the cut.
        after: usize,
    },
}

impl Fault {
    /// An error code with a generic message.
    pub fn error(code: impl Into<String>) -> Fault {
        let code = code.into();
        Fault::Error {
            message: format!("injected {code}"),
            code,
        }
    }

    /// An HTTP status with a short text body.
    pub fn status(status: u16) -> Fault {
        Fault::Status {
            status,
            body: format!("<html><body>{status} injected</body></html>"),
        }
    }
}

/// A fault waiting for the next calls (of one action, or of any).
#[derive(Debug)]
pub(crate) struct FaultRule {
    pub(crate) fault: Fault,
    pub(crate) remaining: u32,
    pub(crate) action: Option<String>,
}

/// Answers one call with `fault` instead of (or around) the normal handling:
/// the `(verdict, reply)` the call is recorded and answered with.
pub(crate) async fn apply(state: &State, req: &Request, fault: Fault) -> (String, Reply) {
    let full = |status: u16, body: Vec<u8>| Reply::Full {
        status,
        body,
        date: state.date_header(),
    };
    match fault {
        Fault::Error { code, message } => (
            format!("injected {code}"),
            error_reply(state, &refuse(&code, message)),
        ),
        Fault::Delay(d) => {
            tokio::time::sleep(d).await;
            let (v, r) = service::process(state, req);
            (format!("delayed {}ms, {v}", d.as_millis()), r)
        }
        Fault::Drop => ("injected drop".to_owned(), Reply::Drop),
        Fault::Status { status, body } => (
            format!("injected HTTP {status}"),
            full(status, body.into_bytes()),
        ),
        Fault::Body(body) => ("injected body".to_owned(), full(200, body)),
        Fault::Truncate => {
            let (v, r) = service::process(state, req);
            let reply = match r {
                Reply::Full { status, body, date } => Reply::Truncated { status, body, date },
                other => other,
            };
            (format!("truncated, {v}"), reply)
        }
        Fault::Drift => {
            let (v, r) = service::process(state, req);
            let reply = match r {
                Reply::Full {
                    status: 200,
                    body,
                    date,
                } => Reply::Full {
                    status: 200,
                    body: drift(&body),
                    date,
                },
                other => other,
            };
            (format!("drifted, {v}"), reply)
        }
        Fault::Oversized(n) => (format!("injected {n}-byte body"), full(200, oversized(n))),
        Fault::StreamError { after, code } => {
            let (v, r) = service::process(state, req);
            stream_error(v, r, after, &code)
        }
        Fault::StreamCut { after } => match service::process(state, req) {
            (
                _,
                Reply::Stream {
                    headers,
                    mut events,
                    date,
                    ..
                },
            ) => {
                events.truncate(after);
                (
                    format!("stream cut after {after} events"),
                    Reply::Stream {
                        headers,
                        events,
                        complete: false,
                        date,
                    },
                )
            }
            other => other,
        },
    }
}

/// A stream of `after` events, then an error event with `code`.
fn stream_error(verdict: String, reply: Reply, after: usize, code: &str) -> (String, Reply) {
    let Reply::Stream {
        headers,
        mut events,
        date,
        ..
    } = reply
    else {
        return (verdict, reply);
    };
    events.truncate(after);
    let request_id = headers
        .iter()
        .find(|(n, _)| n == "X-TC-RequestId")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let error = serde_json::json!({
        "Type": "error",
        "RequestId": request_id,
        "Error": {"Code": code, "Message": format!("injected {code}")},
    });
    events.push(format!("data: {error}\n\n").into_bytes());
    (
        format!("stream error {code} after {after} events"),
        Reply::Stream {
            headers,
            events,
            complete: true,
            date,
        },
    )
}

/// A valid envelope padded out to `n` bytes.
fn oversized(n: usize) -> Vec<u8> {
    let head = b"{\"Response\":{\"RequestId\":\"oversized\",\"Padding\":\"";
    let tail = b"\"}}";
    let pad = n.saturating_sub(head.len() + tail.len());
    let mut body = Vec::with_capacity(n);
    body.extend_from_slice(head);
    body.resize(head.len() + pad, b'x');
    body.extend_from_slice(tail);
    body
}

/// A success body with its values drifted from their documented types:
/// numbers in `Response` (but `RequestId`) as decimal strings, bools as 0/1.
/// A body that is not a JSON envelope is returned unchanged.
pub(crate) fn drift(body: &[u8]) -> Vec<u8> {
    fn walk(v: &mut Value) {
        match v {
            Value::Number(n) => *v = Value::String(n.to_string()),
            Value::Bool(b) => *v = Value::from(u8::from(*b)),
            Value::Array(items) => items.iter_mut().for_each(walk),
            Value::Object(members) => members.values_mut().for_each(walk),
            Value::Null | Value::String(_) => {}
        }
    }
    let Ok(mut doc) = serde_json::from_slice::<Value>(body) else {
        return body.to_vec();
    };
    if let Some(Value::Object(response)) = doc.get_mut("Response") {
        for (name, value) in response.iter_mut() {
            if name != "RequestId" && name != "Error" {
                walk(value);
            }
        }
    }
    serde_json::to_vec(&doc).unwrap_or_else(|_| body.to_vec())
}

/// The command-line flag that injects a fault (`--drift 2`: the next two
/// calls). Each takes a value and may be given several times; `:N` (or the
/// value itself for the counting flags) is how many calls it applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultFlag {
    /// `--fail-with CODE[:N]`: [`Fault::Error`].
    FailWith,
    /// `--delay-ms MS[:N]`: [`Fault::Delay`].
    DelayMs,
    /// `--drop N`: [`Fault::Drop`].
    Drop,
    /// `--status STATUS[:N]`: [`Fault::Status`].
    Status,
    /// `--malformed N`: [`Fault::Body`] (not JSON).
    Malformed,
    /// `--drift N`: [`Fault::Drift`].
    Drift,
    /// `--truncate N`: [`Fault::Truncate`].
    Truncate,
    /// `--oversized BYTES[:N]`: [`Fault::Oversized`].
    Oversized,
    /// `--stream-error CODE@EVENTS[:N]`: [`Fault::StreamError`].
    StreamError,
    /// `--stream-cut EVENTS[:N]`: [`Fault::StreamCut`].
    StreamCut,
}

impl FaultFlag {
    /// Every flag, in the order `--help` lists them.
    pub const ALL: [FaultFlag; 10] = [
        FaultFlag::FailWith,
        FaultFlag::DelayMs,
        FaultFlag::Drop,
        FaultFlag::Status,
        FaultFlag::Malformed,
        FaultFlag::Drift,
        FaultFlag::Truncate,
        FaultFlag::Oversized,
        FaultFlag::StreamError,
        FaultFlag::StreamCut,
    ];

    /// The flag that injects `fault` (every fault has one).
    pub fn of(fault: &Fault) -> FaultFlag {
        match fault {
            Fault::Error { .. } => FaultFlag::FailWith,
            Fault::Delay(_) => FaultFlag::DelayMs,
            Fault::Drop => FaultFlag::Drop,
            Fault::Status { .. } => FaultFlag::Status,
            Fault::Body(_) => FaultFlag::Malformed,
            Fault::Drift => FaultFlag::Drift,
            Fault::Truncate => FaultFlag::Truncate,
            Fault::Oversized(_) => FaultFlag::Oversized,
            Fault::StreamError { .. } => FaultFlag::StreamError,
            Fault::StreamCut { .. } => FaultFlag::StreamCut,
        }
    }

    /// The long option, without `--`.
    pub fn long(self) -> &'static str {
        self.describe().0
    }

    /// `(long option, value name, help)`.
    fn describe(self) -> (&'static str, &'static str, &'static str) {
        match self {
            FaultFlag::FailWith => ("fail-with", "CODE[:N]", "Answer the next calls with this error code"),
            FaultFlag::DelayMs => ("delay-ms", "MS[:N]", "Delay the next calls by MS milliseconds"),
            FaultFlag::Drop => ("drop", "N", "Drop the connection of the next N calls without answering"),
            FaultFlag::Status => ("status", "STATUS[:N]", "Answer the next calls with this HTTP status"),
            FaultFlag::Malformed => ("malformed", "N", "Answer the next N calls with a malformed (non-JSON) body"),
            FaultFlag::Drift => ("drift", "N", "Answer the next N calls normally but with their values drifted from the documented types (numbers as strings, bools as 0/1), as Tencent Cloud sometimes does"),
            FaultFlag::Truncate => ("truncate", "N", "Answer the next N calls with a truncated body"),
            FaultFlag::Oversized => ("oversized", "BYTES[:N]", "Answer the next calls with an oversized body of BYTES bytes"),
            FaultFlag::StreamError => ("stream-error", "CODE@EVENTS[:N]", "Streaming actions: send EVENTS events, then an error event with CODE"),
            FaultFlag::StreamCut => ("stream-cut", "EVENTS[:N]", "Streaming actions: send EVENTS events, then close the connection"),
        }
    }

    /// The fault a value of this flag injects, and for how many calls.
    pub fn parse(self, value: &str) -> Result<(Fault, u32), String> {
        let number = |s: &str, what: &str| -> Result<u64, String> {
            s.parse()
                .map_err(|_| format!("--{}: `{s}` is not {what}", self.long()))
        };
        let (arg, n) = match self {
            // The value is the count.
            FaultFlag::Drop | FaultFlag::Malformed | FaultFlag::Drift | FaultFlag::Truncate => (
                "",
                u32::try_from(number(value, "a count")?).map_err(|e| e.to_string())?,
            ),
            _ => match value.rsplit_once(':') {
                Some((a, n)) => (
                    a,
                    u32::try_from(number(n, "a count")?).map_err(|e| e.to_string())?,
                ),
                None => (value, 1),
            },
        };
        let fault = match self {
            FaultFlag::FailWith => Fault::error(arg),
            FaultFlag::DelayMs => Fault::Delay(Duration::from_millis(number(arg, "milliseconds")?)),
            FaultFlag::Drop => Fault::Drop,
            FaultFlag::Status => Fault::status(
                u16::try_from(number(arg, "an HTTP status")?).map_err(|e| e.to_string())?,
            ),
            FaultFlag::Malformed => Fault::Body(b"<html>this is not JSON".to_vec()),
            FaultFlag::Drift => Fault::Drift,
            FaultFlag::Truncate => Fault::Truncate,
            FaultFlag::Oversized => Fault::Oversized(number(arg, "a size")? as usize),
            FaultFlag::StreamError => {
                let (code, after) = arg
                    .split_once('@')
                    .ok_or_else(|| format!("--stream-error: `{arg}` is not CODE@EVENTS"))?;
                Fault::StreamError {
                    after: number(after, "a number of events")? as usize,
                    code: code.to_owned(),
                }
            }
            FaultFlag::StreamCut => Fault::StreamCut {
                after: number(arg, "a number of events")? as usize,
            },
        };
        Ok((fault, n))
    }

    /// `cmd` with one option per fault flag.
    pub fn augment(cmd: Command) -> Command {
        FaultFlag::ALL.iter().fold(cmd, |cmd, flag| {
            let (long, value_name, help) = flag.describe();
            cmd.arg(
                Arg::new(long)
                    .long(long)
                    .value_name(value_name)
                    .action(ArgAction::Append)
                    .help(help)
                    .help_heading("Faults (for the next calls)"),
            )
        })
    }

    /// The faults the options of [`FaultFlag::augment`] ask for, in flag order.
    pub fn from_matches(m: &ArgMatches) -> Result<Vec<(Fault, u32)>, String> {
        let mut out = Vec::new();
        for flag in FaultFlag::ALL {
            for v in m.get_many::<String>(flag.long()).into_iter().flatten() {
                out.push(flag.parse(v)?);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_parses_into_the_fault_it_names() {
        let samples = [
            (FaultFlag::FailWith, "InternalError:2"),
            (FaultFlag::DelayMs, "150"),
            (FaultFlag::Drop, "1"),
            (FaultFlag::Status, "503:3"),
            (FaultFlag::Malformed, "1"),
            (FaultFlag::Drift, "2"),
            (FaultFlag::Truncate, "1"),
            (FaultFlag::Oversized, "4096"),
            (FaultFlag::StreamError, "InternalError@2"),
            (FaultFlag::StreamCut, "1:4"),
        ];
        assert_eq!(samples.len(), FaultFlag::ALL.len());
        for (flag, value) in samples {
            let (fault, _) = flag.parse(value).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(FaultFlag::of(&fault), flag, "{value}");
        }
        assert_eq!(
            FaultFlag::FailWith.parse("RequestLimitExceeded:2").unwrap(),
            (Fault::error("RequestLimitExceeded"), 2)
        );
        assert_eq!(
            FaultFlag::StreamError.parse("InternalError@3:2").unwrap(),
            (
                Fault::StreamError {
                    after: 3,
                    code: "InternalError".into()
                },
                2
            )
        );
        assert_eq!(FaultFlag::Drift.parse("4").unwrap(), (Fault::Drift, 4));
        assert!(FaultFlag::Status
            .parse("oops")
            .unwrap_err()
            .contains("not an HTTP status"));
        assert!(FaultFlag::StreamError
            .parse("x")
            .unwrap_err()
            .contains("CODE@EVENTS"));
    }

    #[test]
    fn the_options_come_from_the_flags() {
        let cmd = FaultFlag::augment(Command::new("t"));
        let m = cmd
            .try_get_matches_from([
                "t",
                "--drift",
                "2",
                "--fail-with",
                "X:1",
                "--fail-with",
                "Y",
            ])
            .unwrap();
        let faults = FaultFlag::from_matches(&m).unwrap();
        assert_eq!(
            faults,
            vec![
                (Fault::error("X"), 1),
                (Fault::error("Y"), 1),
                (Fault::Drift, 2)
            ]
        );
    }
}
