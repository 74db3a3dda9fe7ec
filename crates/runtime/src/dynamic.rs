//! Any action by name: service, version, action and JSON in and out (Go's
//! `CommonClient`, Python's `call_json` and `call_sse`).
//!
//! [`DynamicClient`] is the runtime [`Client`] with JSON for input and output
//! and owned metadata: signing, credentials, retries, rate limits, timeouts,
//! headers, trace IDs, interceptors and failover are the same. Call an action
//! by its name alone (one Tencent published after this SDK was generated), or
//! with an [`ActionMeta`] built from a spec at run time (its regions, limit,
//! host, stream and sensitive members), as the command line does.
//!
//! An action the service does not know is refused by the service
//! (`InvalidAction`), as a [`SdkError::Service`] with the code as the service
//! sent it: the runtime has no enum of codes, so every code is "unknown" to it
//! and typed by its [`ErrorCategory`](crate::ErrorCategory).

use std::borrow::Cow;

use serde_json::Value;

use crate::client::{Client, ResponseMeta};
use crate::config::{Config, ConfigError};
use crate::error::{ApiError, SdkError};
use crate::event_stream::EventStream;
use crate::meta::{ActionMeta, ServiceMeta, StreamMeta, Text};
use crate::options::CallOptions;

/// A client for any action of one service, with JSON in and out. Cheap to
/// clone (clones share connections, limits, budget and breaker).
#[derive(Clone, Debug)]
pub struct DynamicClient {
    client: Client,
}

impl DynamicClient {
    /// A client for `service` (built from a spec at run time, or
    /// [`ServiceMeta::tencent`]) with `config`.
    pub fn new(service: Cow<'static, ServiceMeta>, config: Config) -> Result<Self, ConfigError> {
        Ok(DynamicClient {
            client: Client::with_service(service, config)?,
        })
    }

    /// A client for service `name` at `version` on Tencent Cloud's usual
    /// hosts (`<name>.tencentcloudapi.com`; see [`ServiceMeta::tencent`]).
    pub fn for_service(
        name: impl Into<Text>,
        version: impl Into<Text>,
        config: Config,
    ) -> Result<Self, ConfigError> {
        DynamicClient::new(Cow::Owned(ServiceMeta::tencent(name, version)), config)
    }

    /// The runtime client underneath.
    pub fn runtime(&self) -> &Client {
        &self.client
    }

    /// Calls `action` by name with a JSON input: the `Response` object (its
    /// `RequestId` included). No region check, limit or own host applies
    /// (nothing is known of the action); the service checks the input.
    pub async fn call(&self, action: &str, input: &Value) -> Result<Value, SdkError<ApiError>> {
        let meta = ActionMeta::named(action.to_owned());
        self.call_action(&meta, input, &CallOptions::default())
            .await
            .map(|(v, _)| v)
    }

    /// Calls the action `meta` describes, with per-call `options`: the
    /// `Response` object and the call's metadata.
    pub async fn call_action(
        &self,
        meta: &ActionMeta,
        input: &Value,
        options: &CallOptions,
    ) -> Result<(Value, ResponseMeta), SdkError<ApiError>> {
        self.client.invoke(meta, input, options).await
    }

    /// Calls a streaming `action` by name: each server-sent event as JSON,
    /// until the body ends (nothing is known of which member marks the last
    /// event or an error: every event is data).
    pub async fn call_sse(
        &self,
        action: &str,
        input: &Value,
    ) -> Result<EventStream<Value, ApiError>, SdkError<ApiError>> {
        let meta = ActionMeta {
            stream: Some(StreamMeta::default()),
            ..ActionMeta::named(action.to_owned())
        };
        self.call_sse_action(&meta, input, &CallOptions::default())
            .await
    }

    /// Calls the streaming action `meta` describes (its `stream` says how
    /// events mark the last one and errors), with per-call `options`.
    pub async fn call_sse_action(
        &self,
        meta: &ActionMeta,
        input: &Value,
        options: &CallOptions,
    ) -> Result<EventStream<Value, ApiError>, SdkError<ApiError>> {
        self.client.invoke_stream(meta, input, |e| e, options).await
    }
}
