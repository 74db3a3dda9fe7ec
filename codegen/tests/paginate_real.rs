//! Pagination inference on the real shapes of Tencent's published services
//! (the pinned definitions, fetched as `cargo xtask fetch` does): Offset/Limit
//! and PageNumber/PageSize listings of other services, TRTC's three, and
//! actions that are not paginated.

use std::path::Path;

use tencentcloud_codegen::paginate::{infer, Inferred};
use tencentcloud_codegen::spec::PageStyle;
use tencentcloud_codegen::upstream;
use tencentcloud_codegen::upstream::import::{import_files, ImportOptions};

fn infer_real(service: &str, version: &str, action: &str) -> Inferred {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let files = upstream::pinned(root)
        .and_then(|f| f.international.service(service, version))
        .unwrap_or_else(|e| panic!("{e}"));
    let options = ImportOptions {
        actions: Some(vec![action.to_owned()]),
    };
    let (spec, _) = import_files(&files.api, None, &options).unwrap_or_else(|e| panic!("{e}"));
    let a = spec.actions.get(action).unwrap();
    infer(&spec, &a.input, &a.output)
}

fn yes(i: Inferred) -> tencentcloud_codegen::spec::Pagination {
    match i {
        Inferred::Yes(p) => p,
        other => panic!("not inferred: {other:?}"),
    }
}

#[test]
fn offset_and_limit_of_cvm() {
    let p = yes(infer_real("cvm", "2017-03-12", "DescribeInstances"));
    assert_eq!(p.style, PageStyle::Offset);
    assert_eq!((p.cursor.as_str(), p.size.as_str()), ("Offset", "Limit"));
    assert_eq!(
        (p.total.as_str(), p.items.as_str()),
        ("TotalCount", "InstanceSet")
    );
}

#[test]
fn page_numbers_of_other_services_and_where_they_start() {
    // "Page number, starting from 0."
    let p = yes(infer_real("ccc", "2020-02-10", "DescribeNumbers"));
    assert_eq!(p.style, PageStyle::PageNumber);
    assert_eq!(p.first_page, Some(0));
    assert_eq!(p.items, "Numbers");
    // "Page number. Default value: 1. Value ranges from 1."
    let p = yes(infer_real(
        "billing",
        "2018-07-09",
        "DescribeOrgMemberAccountBalance",
    ));
    assert_eq!(p.first_page, Some(1));
    assert_eq!(p.items, "Data");
}

#[test]
fn trtc_listings() {
    for (action, items) in [
        ("DescribeRoomInfo", "RoomList"),
        ("DescribeUserInfo", "UserList"),
    ] {
        let p = yes(infer_real("trtc", "2019-07-22", action));
        assert_eq!(p.style, PageStyle::PageNumber);
        assert_eq!(p.first_page, Some(0), "{action}: \"The default is 0.\"");
        assert_eq!(p.items, items);
    }
    // Two lists: the spec names the items instead.
    match infer_real("trtc", "2019-07-22", "DescribeCallDetailInfo") {
        Inferred::Ambiguous(why) => assert!(why.contains("`UserList`, `Data`"), "{why}"),
        other => panic!("{other:?}"),
    }
    // A total and a list but no cursor; a cursor-less query.
    assert_eq!(
        infer_real("trtc", "2019-07-22", "DescribeScaleInfo"),
        Inferred::No
    );
    assert_eq!(
        infer_real("trtc", "2019-07-22", "DescribeUserEvent"),
        Inferred::No
    );
}
