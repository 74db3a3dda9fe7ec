//! Calls through the SDK's runtime client: the same signing, credential chain,
//! retries, rate limits, region checks, paginators and event streams.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use clap::ArgMatches;
use serde_json::{Map, Value};
use tencentcloud_runtime::paginate::{BoxFuture, Cursor, PageStream, PageStyle as RtStyle};
use tencentcloud_runtime::{
    ActionMeta, ApiError, CallOptions, Config, DynamicClient, Endpoint, SdkError,
};
use tencentcloud_spec::paginate;
use tencentcloud_spec::{Action, PageStyle, Pagination, Spec};

use crate::error::CliError;
use crate::profile::Profile;

/// The client for the command line's settings, the environment and the
/// profile: the runtime's dynamic client (JSON in and out) over metadata
/// built from the spec.
pub fn client(spec: &Spec, m: &ArgMatches, profile: &Profile) -> Result<DynamicClient, CliError> {
    let mut b = Config::builder();
    // Credentials: tccli's flags, the environment, the tccli profile, the SDK's chain.
    b = b.credentials_provider(crate::credentials::provider(m, profile)?);
    let region = m
        .get_one::<String>("region")
        .cloned()
        .or_else(|| {
            std::env::var("TENCENTCLOUD_REGION")
                .ok()
                .filter(|r| !r.is_empty())
        })
        .or_else(|| profile.region());
    if let Some(r) = region {
        b = b.region(r);
    }
    let endpoint = match m.get_one::<String>("endpoint") {
        Some(e) => Some(e.clone()),
        None => std::env::var("TENCENTCLOUD_ENDPOINT")
            .ok()
            .filter(|e| !e.is_empty())
            .or_else(|| {
                profile.endpoint(&spec.service.name).map(|host| {
                    if host == spec.service.endpoint {
                        "default".to_owned()
                    } else if Some(&host) == spec.service.international_endpoint.as_ref() {
                        "international".to_owned()
                    } else {
                        host
                    }
                })
            }),
    };
    if let Some(e) = endpoint {
        let parsed =
            Endpoint::parse(&e).map_err(|err| CliError::config(format!("--endpoint: {err}")))?;
        b = b.endpoint(parsed);
    }
    if let Some(t) = m.get_one::<f64>("timeout") {
        let d = Duration::try_from_secs_f64(*t)
            .ok()
            .filter(|d| !d.is_zero() && d.as_secs() <= crate::waiters::MAX_SECONDS)
            .ok_or_else(|| {
                CliError::usage(format!(
                    "--timeout: expected a positive number of seconds, found {t}"
                ))
            })?;
        b = b.call_timeout(d);
    }
    // tccli's `--https-proxy`: every request through this proxy (Tencent's
    // SDKs use it for HTTP and HTTPS alike).
    if let Some(p) = m.try_get_one::<String>("https-proxy").ok().flatten() {
        b = b.proxy(p.clone());
    }
    let config = b
        .build()
        .map_err(|e| CliError::config(format!("{}{e}", flag_of(&e))))?;
    DynamicClient::new(
        std::borrow::Cow::Owned(tencentcloud_spec::meta::service_meta(spec)),
        config,
    )
    .map_err(|e| CliError::config(e.to_string()))
}

/// The option a configuration error comes from, as a prefix.
fn flag_of(e: &tencentcloud_runtime::ConfigError) -> &'static str {
    match e {
        tencentcloud_runtime::ConfigError::InvalidProxy { .. } => "--https-proxy: ",
        _ => "",
    }
}

/// Sends one request with `options`; the `Response` object.
pub async fn once(
    client: &DynamicClient,
    meta: &ActionMeta,
    input: &Value,
    options: &CallOptions,
) -> Result<Value, SdkError<ApiError>> {
    client
        .call_action(meta, input, options)
        .await
        .map(|(v, _)| v)
}

#[derive(Clone)]
struct PagedInput {
    value: Value,
    p: Arc<Pagination>,
}

struct PagedOutput {
    value: Value,
    p: Arc<Pagination>,
}

fn cursor() -> Cursor<PagedInput, PagedOutput> {
    Cursor {
        style: RtStyle::PageNumber,
        first_page: 1,
        get: |i| i.value.get(&i.p.cursor).and_then(Value::as_u64),
        set: |i, n| {
            if let Value::Object(m) = &mut i.value {
                m.insert(i.p.cursor.clone(), Value::from(n));
            }
        },
        size: |i| i.value.get(&i.p.size).and_then(Value::as_u64),
        count: |o| {
            o.value
                .get(&o.p.items)
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        },
        total: |o| o.value.get(&o.p.total).and_then(Value::as_u64),
    }
}

/// Every page (up to `max_items` items), merged: the first page's members with
/// the items of all pages, and the last page's total.
pub async fn all_pages(
    client: &DynamicClient,
    meta: &ActionMeta,
    spec: &Spec,
    action: &Action,
    input: Value,
    max_items: Option<u64>,
    options: &CallOptions,
) -> Result<Value, CliError> {
    let Some(eff) = paginate::effective(spec, action) else {
        return once(client, meta, &input, options)
            .await
            .map_err(CliError::from_sdk);
    };
    let p = Arc::new(eff.pagination);
    let mut c = cursor();
    c.style = match p.style {
        PageStyle::PageNumber => RtStyle::PageNumber,
        PageStyle::Offset => RtStyle::Offset,
    };
    c.first_page = p.first_page.unwrap_or(1);
    let fetch_client = client.clone();
    let meta = Arc::new(meta.clone());
    let options = Arc::new(options.clone());
    let fetch = Arc::new(
        move |i: PagedInput| -> BoxFuture<Result<PagedOutput, SdkError<ApiError>>> {
            let client = fetch_client.clone();
            let (meta, options) = (meta.clone(), options.clone());
            Box::pin(async move {
                let value = once(&client, &meta, &i.value, &options).await?;
                Ok(PagedOutput { value, p: i.p })
            })
        },
    );
    let mut pages = PageStream::new(
        fetch,
        c,
        PagedInput {
            value: input,
            p: p.clone(),
        },
    );
    let mut merged: Option<Map<String, Value>> = None;
    let mut items: Vec<Value> = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(CliError::from_sdk)?;
        let Value::Object(mut m) = page.value else {
            break;
        };
        if let Some(Value::Array(a)) = m.remove(&p.items) {
            items.extend(a);
        }
        match &mut merged {
            None => merged = Some(m),
            Some(first) => {
                if let Some(t) = m.get(&p.total) {
                    first.insert(p.total.clone(), t.clone());
                }
                if let Some(r) = m.get("RequestId") {
                    first.insert("RequestId".to_owned(), r.clone());
                }
            }
        }
        if max_items.is_some_and(|n| items.len() as u64 >= n) {
            break;
        }
    }
    if let Some(n) = max_items {
        items.truncate(n as usize);
    }
    let mut out = merged.unwrap_or_default();
    out.insert(p.items.clone(), Value::Array(items));
    Ok(Value::Object(out))
}

/// Streams the events of a streaming action: each as one JSON line (after
/// `query`), the decoded audio appended to `audio_out`.
pub async fn stream(
    client: &DynamicClient,
    meta: &ActionMeta,
    input: &Value,
    query: Option<&str>,
    audio_out: Option<&str>,
    options: &CallOptions,
) -> Result<(), CliError> {
    let mut file = match audio_out {
        Some(path) => Some(
            std::fs::File::create(path)
                .map_err(|e| CliError::usage(format!("--audio-out: cannot create {path}: {e}")))?,
        ),
        None => None,
    };
    let mut events = client
        .call_sse_action(meta, input, options)
        .await
        .map_err(CliError::from_sdk)?;
    let stdout = std::io::stdout();
    loop {
        let event = match events.recv().await {
            Ok(Some(e)) => e,
            Ok(None) => break,
            Err(e) => return Err(CliError::from_sdk(e)),
        };
        if let (Some(f), Some(audio)) = (file.as_mut(), event.get("Audio").and_then(Value::as_str))
        {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(audio)
                .map_err(|e| CliError::internal(format!("an event's Audio is not Base64: {e}")))?;
            f.write_all(&bytes)
                .map_err(|e| CliError::internal(format!("--audio-out: {e}")))?;
        }
        let shown = match query {
            Some(q) => crate::output::query(q, &event)?,
            None => event,
        };
        let mut lock = stdout.lock();
        writeln!(lock, "{shown}")
            .and_then(|_| lock.flush())
            .map_err(|e| CliError::internal(format!("cannot write the output: {e}")))?;
    }
    Ok(())
}

/// `value` (a request body, or with `response` the `Response` object) with
/// its secrets masked by the runtime's one redaction rule: the action's
/// sensitive members (from the spec) and secrets by name.
pub fn redact(meta: &ActionMeta, value: &Value, response: bool) -> Value {
    use tencentcloud_runtime::redact::redact_value;
    if response {
        let mut wrapped = serde_json::json!({ "Response": value });
        redact_value(&mut wrapped, &meta.sensitive);
        wrapped
            .get_mut("Response")
            .map(Value::take)
            .unwrap_or_default()
    } else {
        let mut v = value.clone();
        redact_value(&mut v, &meta.sensitive);
        v
    }
}
