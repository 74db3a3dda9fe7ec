//! The response parser on hostile input: arbitrary bytes and mutated valid
//! envelopes give errors, never panics, for the envelope and every output type.

use proptest::prelude::*;
use tencentcloud_runtime::drift::Mode;
use tencentcloud_runtime::envelope::{self, Parsed};
use tencentcloud_trtc::model::{
    CreateCloudTranscriptionResponse, DeleteCloudTranscriptionResponse,
    DescribeCloudTranscriptionResponse,
};

fn parse_all(body: &[u8], status: u16) {
    match envelope::parse("Fuzz", status, body) {
        Ok(Parsed::Success {
            response,
            request_id,
        }) => {
            assert!(response.end <= body.len());
            // Both decoding modes, so the drift-tolerant one meets hostile input too.
            for mode in [Mode::Tolerant, Mode::Strict] {
                let _ = envelope::decode::<CreateCloudTranscriptionResponse>(
                    "Fuzz",
                    body,
                    response.clone(),
                    &request_id,
                    mode,
                );
                let _ = envelope::decode::<DescribeCloudTranscriptionResponse>(
                    "Fuzz",
                    body,
                    response.clone(),
                    &request_id,
                    mode,
                );
                let _ = envelope::decode::<DeleteCloudTranscriptionResponse>(
                    "Fuzz",
                    body,
                    response.clone(),
                    &request_id,
                    mode,
                );
            }
        }
        Ok(Parsed::Error(e)) => {
            let _ = e.to_string();
        }
        Err(e) => {
            let text = e.to_string();
            assert!(
                text.len() < 2048,
                "error messages stay short: {}",
                text.len()
            );
        }
    }
}

const VALID: &[&str] = &[
    r#"{"Response":{"TaskId":"t","RequestId":"r"}}"#,
    r#"{"Response":{"StartTime":1762156499146,"Status":"Idle","TaskId":"t","RequestId":"r"}}"#,
    r#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r"}}"#,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(body in proptest::collection::vec(any::<u8>(), 0..512), status in prop_oneof![Just(200u16), Just(500u16), 100u16..600]) {
        parse_all(&body, status);
    }

    #[test]
    fn mutated_envelopes(which in 0..VALID.len(), edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8)) {
        let mut body = VALID[which].as_bytes().to_vec();
        for (pos, byte, op) in edits {
            if body.is_empty() { break; }
            let i = pos % body.len();
            match op {
                0 => body[i] = byte,
                1 => { body.remove(i); }
                _ => body.insert(i, byte),
            }
        }
        parse_all(&body, 200);
    }

    #[test]
    fn truncations(which in 0..VALID.len(), cut in any::<usize>()) {
        let body = VALID[which].as_bytes();
        let cut = cut % (body.len() + 1);
        parse_all(&body[..cut], 200);
    }
}

#[test]
fn deep_nesting_and_huge_numbers() {
    let deep = format!(
        "{{\"Response\":{{\"TaskId\":{}\"x\"{},\"RequestId\":\"r\"}}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    parse_all(deep.as_bytes(), 200);
    parse_all(
        br#"{"Response":{"StartTime":1e400,"Status":"Idle","TaskId":"t","RequestId":"r"}}"#,
        200,
    );
    parse_all(
        br#"{"Response":{"StartTime":-1,"Status":"Idle","TaskId":"t","RequestId":"r"}}"#,
        200,
    );
    parse_all(
        "{\"Response\":{\"TaskId\":\"\u{0}\",\"RequestId\":\"r\"}}".as_bytes(),
        200,
    );
}
