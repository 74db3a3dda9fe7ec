//! Which actions are paginated, inferred from their shapes.
//!
//! An action is paginated when its input has a cursor and a page-size member
//! (`PageNumber`/`PageSize`, or `Offset`/`Limit`), both integers, and its output
//! has an integer total (`Total`, `TotalCount`, `TotalNum`) and exactly one list
//! member, the page's items. When several lists could be the items, inference
//! gives up and says why; the spec's `paginator` names the members instead (or
//! `false` turns pagination off even when the shapes look paginated).

use crate::{Action, Member, PageStyle, Pagination, PaginatorSpec, Shape, Spec};

/// Input member pairs that page through results: `(cursor, size, style)`.
const CURSORS: &[(&str, &str, PageStyle)] = &[
    ("PageNumber", "PageSize", PageStyle::PageNumber),
    ("PageNum", "PageSize", PageStyle::PageNumber),
    ("PageIndex", "PageSize", PageStyle::PageNumber),
    ("Offset", "Limit", PageStyle::Offset),
];

/// Output members that carry the total number of items.
const TOTALS: &[&str] = &["Total", "TotalCount", "TotalNum", "TotalNumber"];

/// What inference concluded for one action.
#[derive(Clone, Debug, PartialEq)]
pub enum Inferred {
    /// Not paginated: no cursor/size pair in the input, or no total in the output.
    No,
    /// Paginated through these members.
    Yes(Pagination),
    /// The shapes look paginated but the items member is ambiguous; the reason says which lists compete.
    Ambiguous(String),
}

/// An action's pagination as everything uses it (the model, the change report,
/// the local endpoint): the spec's `paginator` when it names the members
/// (`false`: none), else what [`infer`] concludes. `first_page` is always set
/// for the `page_number` style (from the spec, else from the cursor's
/// description, else 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Effective {
    /// The members.
    pub pagination: Pagination,
    /// Whether they were inferred from the shapes (rather than named by the spec).
    pub inferred: bool,
}

/// The [`Effective`] pagination of `action`, if it pages.
pub fn effective(spec: &Spec, action: &Action) -> Option<Effective> {
    let (mut pagination, inferred) = match &action.paginator {
        Some(PaginatorSpec::Off) => return None,
        Some(PaginatorSpec::On(p)) => (p.clone(), false),
        None => match infer(spec, &action.input, &action.output) {
            Inferred::Yes(p) => (p, true),
            Inferred::No | Inferred::Ambiguous(_) => return None,
        },
    };
    if pagination.style == PageStyle::PageNumber && pagination.first_page.is_none() {
        let cursor = structure(spec, &action.input)
            .and_then(|s| s.members.as_ref())
            .and_then(|m| m.get(&pagination.cursor))
            .and_then(|m| m.description.as_deref());
        pagination.first_page = Some(if counts_from_zero(cursor) { 0 } else { 1 });
    }
    Some(Effective {
        pagination,
        inferred,
    })
}

fn is_integer(m: &Member) -> bool {
    m.ty == "int64" || m.ty == "uint64"
}

fn structure<'a>(spec: &'a Spec, name: &str) -> Option<&'a Shape> {
    spec.shapes.get(name).filter(|s| s.members.is_some())
}

/// Whether a cursor's description says its first (default) value is 0.
pub fn counts_from_zero(description: Option<&str>) -> bool {
    let d = description.unwrap_or("").to_ascii_lowercase();
    [
        "default is 0",
        "default value is 0",
        "default value: 0",
        "defaults to 0",
        "starting from 0",
        "starts from 0",
        "start from 0",
        "starting at 0",
        "starts at 0",
    ]
    .iter()
    .any(|p| d.contains(p))
}

/// Infers the pagination of an action with shapes `input` and `output`.
pub fn infer(spec: &Spec, input: &str, output: &str) -> Inferred {
    let (Some(input), Some(output)) = (structure(spec, input), structure(spec, output)) else {
        return Inferred::No;
    };
    let (Some(ins), Some(outs)) = (&input.members, &output.members) else {
        return Inferred::No;
    };
    let Some((cursor, size, style)) = CURSORS
        .iter()
        .find(|(c, s, _)| ins.get(c).is_some_and(is_integer) && ins.get(s).is_some_and(is_integer))
    else {
        return Inferred::No;
    };
    let Some(total) = TOTALS.iter().find(|t| outs.get(t).is_some_and(is_integer)) else {
        return Inferred::No;
    };
    let lists: Vec<&str> = outs
        .iter()
        .filter(|(_, m)| m.ty == "list")
        .map(|(n, _)| n)
        .collect();
    let items = match lists.as_slice() {
        [] => return Inferred::No,
        [one] => (*one).to_owned(),
        many => {
            return Inferred::Ambiguous(format!(
                "`{cursor}`/`{size}` and `{total}` look paginated, but the output has {} lists ({}); name the items in the spec's `paginator`",
                many.len(),
                many.iter()
                    .map(|l| format!("`{l}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    };
    let first_page = match style {
        PageStyle::PageNumber => {
            let d = ins.get(cursor).and_then(|m| m.description.as_deref());
            Some(if counts_from_zero(d) { 0 } else { 1 })
        }
        PageStyle::Offset => None,
    };
    Inferred::Yes(Pagination {
        style: *style,
        cursor: (*cursor).to_owned(),
        size: (*size).to_owned(),
        total: (*total).to_owned(),
        items,
        first_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_json;
    use std::path::Path;

    fn spec(input: &str, output: &str) -> Spec {
        let text = format!(
            r#"{{"format":"tencentcloud-spec/1","service":{{"name":"x","version":"2020-01-01","endpoint":"x.tencentcloudapi.com"}},
            "actions":{{"A":{{"input":"In","output":"Out"}}}},
            "shapes":{{"In":{{"type":"structure","members":{input}}},"Out":{{"type":"structure","members":{output}}},
            "Item":{{"type":"structure","members":{{}}}}}}}}"#
        );
        parse_json(Path::new("t.json"), &text).unwrap()
    }

    #[test]
    fn page_number_with_total_and_one_list() {
        let s = spec(
            r#"{"PageNumber":{"type":"uint64","description":"The page number. The default is 0."},"PageSize":{"type":"uint64"}}"#,
            r#"{"Total":{"type":"int64"},"RoomList":{"type":"list","items":"Item"},"RequestId":{"type":"string"}}"#,
        );
        let Inferred::Yes(p) = infer(&s, "In", "Out") else {
            panic!("{:?}", infer(&s, "In", "Out"))
        };
        assert_eq!(p.style, PageStyle::PageNumber);
        assert_eq!(
            (p.cursor.as_str(), p.size.as_str()),
            ("PageNumber", "PageSize")
        );
        assert_eq!((p.total.as_str(), p.items.as_str()), ("Total", "RoomList"));
        assert_eq!(p.first_page, Some(0));
    }

    #[test]
    fn page_numbers_count_from_one_unless_documented() {
        let s = spec(
            r#"{"PageNumber":{"type":"int64","description":"Page number, starting from 1."},"PageSize":{"type":"int64"}}"#,
            r#"{"TotalCount":{"type":"uint64"},"Items":{"type":"list","items":"string"}}"#,
        );
        let Inferred::Yes(p) = infer(&s, "In", "Out") else {
            panic!()
        };
        assert_eq!(p.first_page, Some(1));
        assert_eq!(p.total, "TotalCount");
    }

    #[test]
    fn offset_limit() {
        let s = spec(
            r#"{"Offset":{"type":"uint64"},"Limit":{"type":"uint64"},"Filter":{"type":"string"}}"#,
            r#"{"TotalCount":{"type":"int64"},"InstanceSet":{"type":"list","items":"Item"}}"#,
        );
        let Inferred::Yes(p) = infer(&s, "In", "Out") else {
            panic!()
        };
        assert_eq!(p.style, PageStyle::Offset);
        assert_eq!(p.first_page, None);
        assert_eq!(p.items, "InstanceSet");
    }

    #[test]
    fn not_paginated_without_total_or_cursor_or_list() {
        for (i, o) in [
            (
                r#"{"Offset":{"type":"uint64"},"Limit":{"type":"uint64"}}"#,
                r#"{"Items":{"type":"list","items":"Item"}}"#,
            ),
            (
                r#"{"Offset":{"type":"uint64"}}"#,
                r#"{"Total":{"type":"int64"},"Items":{"type":"list","items":"Item"}}"#,
            ),
            (
                r#"{"Offset":{"type":"string"},"Limit":{"type":"uint64"}}"#,
                r#"{"Total":{"type":"int64"},"Items":{"type":"list","items":"Item"}}"#,
            ),
            (
                r#"{"Offset":{"type":"uint64"},"Limit":{"type":"uint64"}}"#,
                r#"{"Total":{"type":"int64"}}"#,
            ),
        ] {
            assert_eq!(infer(&spec(i, o), "In", "Out"), Inferred::No, "{i} {o}");
        }
    }

    #[test]
    fn two_lists_are_ambiguous() {
        let s = spec(
            r#"{"PageNumber":{"type":"uint64"},"PageSize":{"type":"uint64"}}"#,
            r#"{"Total":{"type":"uint64"},"UserList":{"type":"list","items":"Item"},"Data":{"type":"list","items":"Item"}}"#,
        );
        let Inferred::Ambiguous(why) = infer(&s, "In", "Out") else {
            panic!()
        };
        assert!(why.contains("`UserList`, `Data`"), "{why}");
    }
}
