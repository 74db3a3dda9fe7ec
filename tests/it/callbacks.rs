//! TRTC's event callbacks: the spec's documented bodies verify and parse into
//! the generated event types; unknown events are kept whole; String/Number
//! members take both forms; a body that does not match its event's types is
//! an error naming where.

use serde_json::Value;
use tencentcloud_runtime::StringOrInt;
use tencentcloud_tests::trtc_spec;
use tencentcloud_trtc::model::callbacks::{Event, EventOf};
use tencentcloud_trtc::model::{
    CallbackUserRole, EnterRoomReason, PublishCdnStreamState, RecorderLeaveCode, RoomIdType,
};
use tencentcloud_trtc_server::callback::{sign, CallbackVerifier};
use tencentcloud_trtc_server::SecretKey;

fn parse(body: &str) -> Event {
    let v: Value = serde_json::from_str(body).unwrap();
    let info = serde_json::to_string(&v["EventInfo"]).unwrap();
    Event::from_parts(
        v["EventGroupId"].as_i64().unwrap(),
        v["EventType"].as_i64().unwrap(),
        &info,
    )
    .unwrap_or_else(|e| panic!("{body}: {e}"))
}

#[test]
fn the_spec_lists_every_documented_group_and_type() {
    let (spec, _) = trtc_spec();
    let callbacks = spec
        .callbacks
        .expect("the TRTC spec describes its callbacks");
    let mut from_spec: Vec<(i64, i64, String)> = Vec::new();
    for (_, g) in callbacks.groups.iter() {
        for (name, e) in g.events.iter() {
            from_spec.push((g.id, e.event_type, name.to_owned()));
        }
    }
    let generated: Vec<(i64, i64, String)> = Event::KNOWN
        .iter()
        .map(|(g, t, n)| (*g, *t, (*n).to_owned()))
        .collect();
    assert_eq!(generated, from_spec);
    let groups: Vec<i64> = callbacks.groups.iter().map(|(_, g)| g.id).collect();
    assert_eq!(groups, [1, 2, 3, 4, 8, 9, 14]);
    // Types per group, as documented.
    let types = |gid: i64| -> Vec<i64> {
        from_spec
            .iter()
            .filter(|(g, _, _)| *g == gid)
            .map(|(_, t, _)| *t)
            .collect()
    };
    assert_eq!(types(1), [101, 102, 103, 104, 105]);
    assert_eq!(types(2), [201, 202, 203, 204, 205, 206]);
    assert_eq!(
        types(3),
        [301, 302, 303, 304, 305, 306, 307, 309, 310, 311, 312]
    );
    assert_eq!(types(4), [401]);
    assert_eq!(types(8), [801, 802, 803, 804]);
    assert_eq!(types(9), [901, 902, 903, 904, 905, 906, 908, 909]);
    assert_eq!(types(14), [1401]);
}

#[test]
fn every_documented_body_verifies_and_parses() {
    let (spec, _) = trtc_spec();
    let callbacks = spec.callbacks.unwrap();
    assert!(callbacks.examples.len() >= 9);
    for ex in &callbacks.examples {
        let key = ex.key.clone().unwrap_or_else(|| "a-test-key".to_owned());
        let secret = SecretKey::new(key.clone());
        let signature = sign(&secret, ex.body.as_bytes());
        if let Some(published) = &ex.sign {
            assert_eq!(&signature, published, "{}: the published Sign", ex.title);
        }
        let callback = CallbackVerifier::new(key)
            .verify(Some(&signature), Some("1400000001"), ex.body.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", ex.title));
        let event = callback
            .event()
            .unwrap_or_else(|e| panic!("{}: {e}", ex.title));
        assert_eq!(event.group_id() as u64, callback.event_group_id());
        assert_eq!(event.event_type() as u64, callback.event_type());
        let known = Event::KNOWN
            .iter()
            .any(|(g, t, _)| *g == event.group_id() && *t == event.event_type());
        assert_eq!(known, !matches!(event, Event::Unknown(_)), "{}", ex.title);
    }
}

#[test]
fn the_published_vector_is_a_typed_stop_audio_event() {
    let (spec, _) = trtc_spec();
    let ex = &spec.callbacks.unwrap().examples[0];
    let Event::StopAudio(EventOf { info, .. }) = parse(&ex.body) else {
        panic!("not StopAudio")
    };
    assert_eq!(info.room_id, Some(StringOrInt::Int(8489)));
    assert_eq!(info.user_id.as_deref(), Some("user_85034614"));
    assert_eq!(
        info.event_ms_ts.and_then(|t| t.as_i64()),
        Some(1664209748180)
    );
    assert_eq!(info.reason, Some(0));
}

#[test]
fn typed_members_and_payloads() {
    let enter = parse(
        r#"{"EventGroupId":1,"EventType":103,"CallbackTs":1,"EventInfo":{"RoomId":12345,"EventTs":1,"EventMsTs":2,"UserId":"test","Role":21,"TerminalType":2,"UserType":3,"Reason":1}}"#,
    );
    assert_eq!(enter.name(), "EnterRoom");
    assert_eq!(enter.constant(), Some("EVENT_TYPE_ENTER_ROOM"));
    assert_eq!(enter.group_name(), "Room");
    let Event::EnterRoom(e) = enter else { panic!() };
    assert_eq!(e.info.role, Some(CallbackUserRole::Audience));
    assert_eq!(e.info.reason, Some(EnterRoomReason::Voluntary));

    // A string room ID and a string EventTs, as some pages show them.
    let stop = parse(
        r#"{"EventGroupId":3,"EventType":302,"CallbackTs":1,"EventInfo":{"RoomId":"room-a","EventTs":"1622186275","EventMsTs":1622186275757,"UserId":"bot","TaskId":"t-1","Payload":{"LeaveCode":99}}}"#,
    );
    let Event::RecorderStop(e) = stop else {
        panic!()
    };
    assert_eq!(e.info.room_id, Some(StringOrInt::from("room-a")));
    assert_eq!(e.info.event_ts.unwrap().as_i64(), Some(1622186275));
    assert_eq!(e.payload.leave_code, Some(RecorderLeaveCode::NoOtherStream));

    let relay = parse(
        r#"{"EventGroupId":4,"EventType":401,"CallbackTs":1,"EventInfo":{"RoomId":"xx","RoomType":1,"EventTsMs":5,"UserId":"xx","TaskId":"xx","Payload":{"Url":"rtmp://x","Status":2}}}"#,
    );
    let Event::CloudPublishCdnStatus(e) = relay else {
        panic!()
    };
    assert_eq!(e.info.room_type, Some(RoomIdType::String));
    assert_eq!(e.payload.status, Some(PublishCdnStreamState::Running));

    // An undocumented value of a documented enum is kept, not refused.
    let odd = parse(
        r#"{"EventGroupId":3,"EventType":302,"CallbackTs":1,"EventInfo":{"Payload":{"LeaveCode":7}}}"#,
    );
    let Event::RecorderStop(e) = odd else {
        panic!()
    };
    assert_eq!(e.payload.leave_code.map(|c| c.value()), Some(7));
}

#[test]
fn unknown_events_are_kept_whole() {
    let body = r#"{"EventGroupId":7,"EventType":701,"CallbackMsTs":1701937900012,"EventInfo":{"EventMsTs":1701937900012,"TaskId":"xxx","Status":0}}"#;
    let Event::Unknown(u) = parse(body) else {
        panic!("group 7 is not documented")
    };
    assert_eq!((u.group_id, u.event_type), (7, 701));
    assert_eq!(u.info["TaskId"], "xxx");
    // A known group with an undocumented type too.
    let e = parse(r#"{"EventGroupId":3,"EventType":308,"CallbackTs":1,"EventInfo":{"x":[1,2]}}"#);
    assert_eq!(e.name(), "Unknown");
    assert_eq!(e.event_type(), 308);
}

#[test]
fn a_body_that_does_not_match_its_types_names_where() {
    let e =
        Event::from_parts(3, 301, r#"{"TaskId":"t","Payload":{"Status":"started"}}"#).unwrap_err();
    assert_eq!(e.path, "EventInfo.Payload.Status");
    assert!(e.message.contains("invalid type"), "{e}");
    let e = Event::from_parts(3, 301, r#"{"TaskId":"t"}"#).unwrap_err();
    assert!(e.to_string().contains("Payload"), "{e}");
    let e = Event::from_parts(1, 101, r#"{"RoomId": 1.5}"#).unwrap_err();
    assert_eq!(e.path, "EventInfo.RoomId");
    assert!(Event::from_parts(1, 101, "not json").is_err());
}
