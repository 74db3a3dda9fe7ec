//! A rule-based mock transport: an action and an input predicate give an
//! output, an error, or a sequence of answers; the calls made are kept for
//! assertions. The client's whole pipeline runs (signing, headers, trace IDs,
//! interceptors, retries, parsing): only the network is replaced.

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use serde_json::{json, Value};

use crate::transport::{
    Body, HttpRequest, HttpResponse, HttpTransport, TransportError, TransportFuture,
};

type Predicate = Box<dyn Fn(&Value) -> bool + Send + Sync>;

/// What a rule answers with.
#[derive(Clone, Debug)]
pub enum MockResponse {
    /// `{"Response": {<output>, "RequestId": ...}}` (HTTP 200).
    Output(Value),
    /// `{"Response": {"Error": {"Code", "Message"}, "RequestId": ...}}` (HTTP 200).
    Error {
        /// The code, e.g. `ResourceNotFound`.
        code: String,
        /// The message.
        message: String,
    },
    /// Any status and body.
    Http {
        /// The status.
        status: u16,
        /// The body.
        body: Vec<u8>,
    },
    /// A server-sent event stream, one `data:` per event (HTTP 200).
    Events(Vec<Value>),
    /// The connection is lost after the request was sent (not retried by default).
    Drop,
    /// No connection could be made (retried by default).
    Refuse,
}

impl MockResponse {
    /// An output object (the `RequestId` is added).
    pub fn output(output: Value) -> Self {
        MockResponse::Output(output)
    }

    /// An error code with a message.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        MockResponse::Error {
            code: code.into(),
            message: message.into(),
        }
    }

    /// An HTTP status with a text body.
    pub fn status(status: u16) -> Self {
        MockResponse::Http {
            status,
            body: format!("{status} from the mock").into_bytes(),
        }
    }
}

/// Answers calls that match: an action (or any), and an input predicate.
pub struct Rule {
    action: Option<String>,
    predicate: Option<Predicate>,
    answers: VecDeque<MockResponse>,
    repeat: Option<MockResponse>,
    used: Arc<AtomicUsize>,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("action", &self.action)
            .field("predicate", &self.predicate.is_some())
            .field("answers", &self.answers.len())
            .field("repeat", &self.repeat.is_some())
            .finish()
    }
}

impl Rule {
    /// A rule for calls of `action`.
    pub fn action(action: impl Into<String>) -> Self {
        Rule {
            action: Some(action.into()),
            predicate: None,
            answers: VecDeque::new(),
            repeat: None,
            used: Arc::default(),
        }
    }

    /// A rule for calls of any action.
    pub fn any() -> Self {
        Rule {
            action: None,
            ..Rule::action("")
        }
    }

    /// Matches only inputs (the request's JSON body) for which `predicate` holds.
    pub fn matching(mut self, predicate: impl Fn(&Value) -> bool + Send + Sync + 'static) -> Self {
        self.predicate = Some(Box::new(predicate));
        self
    }

    /// Answers every matching call with this output.
    pub fn output(self, output: Value) -> Self {
        self.always(MockResponse::Output(output))
    }

    /// Answers every matching call with this error code.
    pub fn error(self, code: impl Into<String>, message: impl Into<String>) -> Self {
        self.always(MockResponse::error(code, message))
    }

    /// Answers every matching call with `response`.
    pub fn always(mut self, response: MockResponse) -> Self {
        self.repeat = Some(response);
        self
    }

    /// Answers the next matching calls with these, in order, once each; after
    /// them the rule matches no more (unless `always` gives a last answer).
    pub fn sequence(mut self, responses: impl IntoIterator<Item = MockResponse>) -> Self {
        self.answers.extend(responses);
        self
    }

    fn matches(&self, action: &str, input: &Value) -> bool {
        self.action.as_deref().is_none_or(|a| a == action)
            && self.predicate.as_ref().is_none_or(|p| p(input))
            && (!self.answers.is_empty() || self.repeat.is_some())
    }

    fn take(&mut self) -> MockResponse {
        self.used.fetch_add(1, Ordering::Relaxed);
        match self.answers.pop_front() {
            Some(r) => r,
            None => self.repeat.clone().unwrap_or(MockResponse::Refuse),
        }
    }
}

/// How many calls a rule answered.
#[derive(Clone, Debug)]
pub struct RuleHandle(Arc<AtomicUsize>);

impl RuleHandle {
    /// The calls the rule answered so far.
    pub fn calls(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// One request the mock received.
#[derive(Clone, Debug)]
pub struct MockCall {
    /// `X-TC-Action`.
    pub action: String,
    /// The URL it was sent to.
    pub url: String,
    /// Every header, as sent (signed ones included).
    pub headers: HeaderMap,
    /// The JSON body (`Null` if it was not JSON).
    pub input: Value,
}

impl MockCall {
    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `X-TC-TraceId`.
    pub fn trace_id(&self) -> Option<&str> {
        self.header("x-tc-traceid")
    }
}

#[derive(Default)]
struct Shared {
    rules: Mutex<Vec<Rule>>,
    calls: Mutex<Vec<MockCall>>,
    request_ids: AtomicUsize,
}

/// The mock transport: give it to [`ConfigBuilder::transport`](crate::ConfigBuilder::transport)
/// (clones share rules and calls). A call no rule matches fails as a lost
/// connection whose message names the action and the input.
///
/// ```
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use serde_json::json;
/// use tencentcloud_runtime::test_util::{MockResponse, MockTransport, Rule};
/// use tencentcloud_runtime::{ActionMeta, Client, Config, Credentials, ServiceMeta};
///
/// let mock = MockTransport::new();
/// let rule = mock.rule(
///     Rule::action("DescribeThing")
///         .matching(|input| input["Id"] == "t-1")
///         .sequence([MockResponse::error("RequestLimitExceeded", "slow down")])
///         .output(json!({"Status": "Done"})),
/// );
/// let config = Config::builder()
///     .credentials(Credentials::new("AKID", "key"))
///     .region("ap-guangzhou")
///     .transport(mock.clone())
///     .build()?;
/// let service = std::borrow::Cow::Owned(ServiceMeta::tencent("thing", "2024-01-01"));
/// let client = Client::with_service(service, config)?;
/// let out: serde_json::Value = client
///     .call(&ActionMeta::named("DescribeThing"), &json!({"Id": "t-1"}))
///     .await?;
/// assert_eq!(out["Status"], "Done");
/// assert_eq!(rule.calls(), 2, "throttled once, then retried");
/// assert!(mock.calls()[0].header("authorization").unwrap().starts_with("TC3-HMAC-SHA256"));
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct MockTransport {
    shared: Arc<Shared>,
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockTransport")
            .field("rules", &crate::test_util::lock(&self.shared.rules).len())
            .field("calls", &crate::test_util::lock(&self.shared.calls).len())
            .finish()
    }
}

impl MockTransport {
    /// A mock with no rules.
    pub fn new() -> Self {
        MockTransport::default()
    }

    /// Adds a rule (rules are tried in the order added).
    pub fn rule(&self, rule: Rule) -> RuleHandle {
        let handle = RuleHandle(rule.used.clone());
        crate::test_util::lock(&self.shared.rules).push(rule);
        handle
    }

    /// Every request received, in order.
    pub fn calls(&self) -> Vec<MockCall> {
        crate::test_util::lock(&self.shared.calls).clone()
    }

    /// The requests of `action`, in order.
    pub fn calls_of(&self, action: &str) -> Vec<MockCall> {
        self.calls()
            .into_iter()
            .filter(|c| c.action == action)
            .collect()
    }

    /// Panics, listing them, if some rule has answers it never gave (a
    /// sequence not used up) or answered no call at all.
    pub fn assert_all_used(&self) {
        let rules = crate::test_util::lock(&self.shared.rules);
        let unused: Vec<String> = rules
            .iter()
            .filter(|r| !r.answers.is_empty() || r.used.load(Ordering::Relaxed) == 0)
            .map(|r| format!("{r:?}"))
            .collect();
        assert!(unused.is_empty(), "mock rules not used up: {unused:?}");
    }

    fn answer(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let input: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        crate::test_util::lock(&self.shared.calls).push(MockCall {
            action: request.action.to_string(),
            url: request.url.to_string(),
            headers: request.headers.clone(),
            input: input.clone(),
        });
        let response = {
            let mut rules = crate::test_util::lock(&self.shared.rules);
            rules
                .iter_mut()
                .find(|r| r.matches(&request.action, &input))
                .map(Rule::take)
        };
        let Some(response) = response else {
            return Err(TransportError::io(format!(
                "no mock rule matches {} with input {input}",
                request.action
            )));
        };
        let n = self.shared.request_ids.fetch_add(1, Ordering::Relaxed) + 1;
        let request_id = format!("mock-{n:08}");
        let envelope = |mut response: Value| {
            if let Value::Object(m) = &mut response {
                m.insert("RequestId".to_owned(), Value::String(request_id.clone()));
            }
            json!({ "Response": response }).to_string().into_bytes()
        };
        let (status, content_type, body) = match response {
            MockResponse::Output(out) => (200, "application/json", envelope(out)),
            MockResponse::Error { code, message } => (
                200,
                "application/json",
                envelope(json!({"Error": {"Code": code, "Message": message}})),
            ),
            MockResponse::Http { status, body } => (status, "text/plain", body),
            MockResponse::Events(events) => {
                let mut body = Vec::new();
                for e in events {
                    body.extend_from_slice(format!("data: {e}\n\n").as_bytes());
                }
                (200, "text/event-stream", body)
            }
            MockResponse::Drop => {
                return Err(TransportError::io("the mock dropped the connection"))
            }
            MockResponse::Refuse => {
                return Err(TransportError::connect("the mock refused the connection"))
            }
        };
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        if let Ok(v) = HeaderValue::from_str(&request_id) {
            headers.insert("x-tc-requestid", v);
        }
        Ok(HttpResponse {
            status,
            headers,
            body: Body::from_bytes(Bytes::from(body)),
        })
    }
}

impl HttpTransport for MockTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let answer = self.answer(&request);
        Box::pin(async move { answer })
    }
}
