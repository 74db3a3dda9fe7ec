//! CPU per request without network: building, serializing and signing the
//! seed's CreateCloudTranscription request, beside the physical floor of TC3
//! (SHA-256 of the body plus the four HMAC-SHA256 of the key chain and signature).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use tencentcloud_bench::seed_request;
use tencentcloud_runtime::sign::{self, hmac_sha256, SignedHeaders, SigningInput, SigningKey};

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const TIMESTAMP: i64 = 1_764_000_000;

fn input(payload: &[u8]) -> SigningInput<'_> {
    SigningInput {
        secret_id: SECRET_ID,
        secret_key: SECRET_KEY,
        service: "trtc",
        host: "trtc.tencentcloudapi.com",
        action: "CreateCloudTranscription",
        content_type: "application/json",
        timestamp: TIMESTAMP,
        payload,
        signed_headers: SignedHeaders::ContentTypeHost,
    }
}

fn benches(c: &mut Criterion) {
    let body = serde_json::to_vec(&seed_request()).unwrap();
    let mut g = c.benchmark_group("per_request");

    // The floor: what any TC3 implementation must compute per request.
    g.bench_function("floor_sha256_body_plus_4_hmac", |b| {
        b.iter(|| {
            let h = sign::sha256(black_box(&body));
            let mut k = [0u8; 3 + SECRET_KEY.len()];
            k[..3].copy_from_slice(b"TC3");
            k[3..].copy_from_slice(SECRET_KEY.as_bytes());
            let k_date = hmac_sha256(&k, b"2025-11-24");
            let k_service = hmac_sha256(&k_date, b"trtc");
            let k_signing = hmac_sha256(&k_service, b"tc3_request");
            black_box(hmac_sha256(&k_signing, &h))
        })
    });

    g.bench_function("build", |b| b.iter(|| black_box(seed_request())));

    g.bench_function("serialize", |b| {
        let req = seed_request();
        b.iter(|| black_box(serde_json::to_vec(black_box(&req)).unwrap()))
    });

    // The inspectable signer that also returns the canonical request and string to sign.
    g.bench_function("sign_inspectable", |b| {
        b.iter(|| black_box(sign::sign(&input(black_box(&body)))))
    });

    // The client's signer, deriving the key every time (the first request of a day).
    g.bench_function("sign", |b| {
        b.iter(|| {
            let i = input(black_box(&body));
            let key = SigningKey::derive(i.secret_key, &sign::utc_date(i.timestamp), i.service);
            black_box(sign::authorization(&key, &i))
        })
    });

    g.bench_function("build_serialize_sign", |b| {
        b.iter(|| {
            let body = serde_json::to_vec(&seed_request()).unwrap();
            let i = input(&body);
            let key = SigningKey::derive(i.secret_key, &sign::utc_date(i.timestamp), i.service);
            black_box(sign::authorization(&key, &i))
        })
    });

    // What the client does per request: the signing key is derived once per
    // (key, date, service) and reused.
    let key = SigningKey::derive(SECRET_KEY, &sign::utc_date(TIMESTAMP), "trtc");
    g.bench_function("build_serialize_sign_cached_key", |b| {
        b.iter(|| {
            let body = serde_json::to_vec(&seed_request()).unwrap();
            black_box(sign::authorization(&key, &input(&body)))
        })
    });
    g.finish();
    limits(c);
}

/// The client's limit check of the seed's request (CreateCloudTranscription
/// has documented limits): reading the body back as JSON and walking the
/// action's limit table, with the table read once (what the client does) and,
/// side by side, read from its JSON on every call.
fn limits(c: &mut Criterion) {
    use tencentcloud_runtime::limits::{check_request, MemberLimits};
    let meta = &tencentcloud_trtc::actions::CREATE_CLOUD_TRANSCRIPTION;
    let body = serde_json::to_vec(&seed_request()).unwrap();
    let table = meta.limits.members().unwrap();
    assert!(!table.is_empty(), "the seed's action has limits");
    let mut g = c.benchmark_group("limit_check");
    g.bench_function("table_kept", |b| {
        b.iter(|| {
            let value: serde_json::Value = serde_json::from_slice(black_box(&body)).unwrap();
            black_box(check_request(meta.limits.members().unwrap(), &value))
        })
    });
    g.bench_function("table_read_per_call", |b| {
        b.iter(|| {
            let table: Vec<MemberLimits> =
                serde_json::from_str(black_box(meta.limits.as_str())).unwrap();
            let value: serde_json::Value = serde_json::from_slice(black_box(&body)).unwrap();
            black_box(check_request(&table, &value))
        })
    });
    g.finish();
}

criterion_group!(name = per_request; config = Criterion::default(); targets = benches);
criterion_main!(per_request);
