//! The callback receiver (`tencentcloud_trtc_server::receiver::serve`, what
//! `cargo run --example callback_receiver` runs) over real HTTP on 127.0.0.1:
//! TRTC's published vector is accepted and printed, a retry gets the same
//! idempotency key, and every refusal gets its status and a JSON error that
//! names the problem and never echoes the key.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tencentcloud_trtc_server::callback::{self, CallbackVerifier};
use tencentcloud_trtc_server::{receiver, SecretKey};

/// Published with TRTC's signature samples: key `123654`, this body (real
/// newlines and tabs), and its `Sign`.
const KEY: &str = "123654";
const BODY: &str = "{\n\t\"EventGroupId\":\t2,\n\t\"EventType\":\t204,\n\t\"CallbackTs\":\t1664209748188,\n\t\"EventInfo\":\t{\n\t\t\"RoomId\":\t8489,\n\t\t\"EventTs\":\t1664209748,\n\t\t\"EventMsTs\":\t1664209748180,\n\t\t\"UserId\":\t\"user_85034614\",\n\t\t\"Reason\":\t0\n\t}\n}";
const SIGN: &str = "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=";
const APP: &str = "1400000001";

struct Receiver {
    addr: SocketAddr,
    lines: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

async fn start(verifier: CallbackVerifier) -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let task = tokio::spawn(receiver::serve(listener, verifier, move |cb| {
        sink.lock().unwrap().push(receiver::event_line(cb));
    }));
    Receiver { addr, lines, task }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn post(
    addr: SocketAddr,
    sign: Option<&str>,
    app: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, Value) {
    let mut req = client()
        .post(format!("http://{addr}/trtc/callback"))
        .header("Content-Type", "application/json")
        .body(body);
    if let Some(s) = sign {
        req = req.header("Sign", s);
    }
    if let Some(a) = app {
        req = req.header("SdkAppId", a);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    assert_eq!(
        resp.headers()["content-type"],
        "application/json",
        "status {status}"
    );
    let text = resp.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    (status, json)
}

/// A request the receiver must refuse, and how.
struct Refusal {
    sign: Option<String>,
    app: Option<&'static str>,
    body: &'static str,
    status: u16,
    says: &'static str,
}

impl Refusal {
    fn new(
        sign: Option<String>,
        app: Option<&'static str>,
        body: &'static str,
        status: u16,
        says: &'static str,
    ) -> Self {
        Refusal {
            sign,
            app,
            body,
            status,
            says,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepts_the_published_vector_and_refuses_the_rest() {
    let r = start(CallbackVerifier::new(KEY).expect_sdk_app_id(1_400_000_001)).await;

    // Accepted: 200 {"code":0}, one line printed.
    let (status, body) = post(r.addr, Some(SIGN), Some(APP), BODY).await;
    assert_eq!((status, &body), (200, &serde_json::json!({"code": 0})));
    // TRTC's retry of the same event (another CallbackTs, so another body and Sign).
    let retry = BODY.replace("1664209748188", "1664209758190");
    let retry_sign = callback::sign(&SecretKey::from(KEY), retry.as_bytes());
    let (status, _) = post(r.addr, Some(&retry_sign), Some(APP), retry).await;
    assert_eq!(status, 200);

    // Refused: status and an error naming the problem; nothing printed.
    let wrong = callback::sign(&SecretKey::from("654321"), BODY.as_bytes());
    let garbage = "{\"EventGroupId\":2,";
    let no_type = r#"{"EventGroupId":2,"CallbackTs":1,"EventInfo":{}}"#;
    let signed = |body: &str| Some(callback::sign(&SecretKey::from(KEY), body.as_bytes()));
    let cases = [
        Refusal::new(Some(wrong), Some(APP), BODY, 401, "wrong signature"),
        Refusal::new(None, Some(APP), BODY, 401, "missing Sign header"),
        Refusal::new(Some("%%%".into()), Some(APP), BODY, 401, "not base64"),
        Refusal::new(
            Some(SIGN.into()),
            None,
            BODY,
            400,
            "missing SdkAppId header",
        ),
        Refusal::new(Some(SIGN.into()), Some("14x"), BODY, 400, "not a number"),
        Refusal::new(
            Some(SIGN.into()),
            Some("1400000002"),
            BODY,
            403,
            "1400000002",
        ),
        Refusal::new(
            signed(garbage),
            Some(APP),
            garbage,
            400,
            "not a JSON object",
        ),
        Refusal::new(
            signed(no_type),
            Some(APP),
            no_type,
            400,
            "no member EventType",
        ),
    ];
    for case in cases {
        let (status, json) = post(r.addr, case.sign.as_deref(), case.app, case.body).await;
        assert_eq!(status, case.status, "{json}");
        assert_eq!(json["code"], case.status, "{json}");
        let error = json["error"].as_str().unwrap();
        assert!(
            error.contains(case.says),
            "{:?} not in {error:?}",
            case.says
        );
        assert!(!error.contains(KEY), "{error}");
    }

    // Other methods, and bodies over the limit.
    let resp = client()
        .get(format!("http://{}/", r.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    assert_eq!(resp.headers()["allow"], "POST");
    let big = vec![b' '; receiver::MAX_BODY_BYTES + 1];
    let (status, json) = post(r.addr, Some(SIGN), Some(APP), big).await;
    assert_eq!(status, 413, "{json}");

    // Exactly the two accepted deliveries were printed, with one key.
    let lines = r.lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    let parsed: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for p in &parsed {
        assert_eq!(p["group"], 2);
        assert_eq!(p["type"], 204);
        assert_eq!(p["event"], "StopAudio");
        let key = p["idempotency_key"].as_str().unwrap();
        assert_eq!(key.len(), 64);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    assert_eq!(parsed[0]["idempotency_key"], parsed[1]["idempotency_key"]);
    assert!(!lines[0].contains('\n'));
    r.task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_expected_sdk_app_id_the_header_is_optional() {
    let r = start(CallbackVerifier::new(KEY)).await;
    let (status, _) = post(r.addr, Some(SIGN), None, BODY).await;
    assert_eq!(status, 200);
    let (status, _) = post(r.addr, Some(SIGN), Some("42"), BODY).await;
    assert_eq!(status, 200);
    assert_eq!(r.lines.lock().unwrap().len(), 2);
    r.task.abort();
}
