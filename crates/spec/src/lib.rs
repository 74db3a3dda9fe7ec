//! The Tencent Cloud API 3.0 spec format, as everything that reads it uses
//! it: the generator (`tencentcloud-codegen`), the `trtc` command line and
//! `tencentcloud-local-endpoint`.
//!
//! - The spec types ([`Spec`], [`Action`], [`Shape`], [`Member`], ...), strict
//!   loading ([`parse_json`], [`read_json`], [`load`]: unknown fields, wrong
//!   types and duplicate keys are errors naming the file and the JSON path)
//!   and [`validate`] (references, kinds, values, waiters, JSON types, cycles).
//! - [`check`]: a JSON value against a shape, JSON carried in string members
//!   included (the one checker of values).
//! - [`Prim`]: the primitive types and every rule about them (what a value
//!   accepts, its zero value, command-line text, the generated Rust type).
//! - [`limits`]: documented value limits (ranges, lengths, counts, patterns,
//!   values) on members, with their check and comparison.
//! - [`paginate`]: an action's paginator, declared or inferred.
//! - [`meta`]: the runtime's descriptions of a service, an action, a waiter
//!   and a JSON document, built from a spec at run time: the values the
//!   generated crates hold in `static`s.
//!
//! ```
//! use tencentcloud_spec::check::{check, Direction};
//! use tencentcloud_spec::{meta, parse_json, Spec};
//!
//! let spec: Spec = parse_json(
//!     std::path::Path::new("demo.json"),
//!     r#"{"format": "tencentcloud-spec/1",
//!         "service": {"name": "demo", "version": "2020-01-01", "endpoint": "demo.tencentcloudapi.com"},
//!         "actions": {"GetThing": {"input": "In", "output": "Out", "regions": ["ap-guangzhou"]}},
//!         "shapes": {
//!           "In": {"type": "structure", "members": {"Id": {"type": "uint64", "required": true}}},
//!           "Out": {"type": "structure", "members": {"RequestId": {"type": "string", "required": true}}}
//!         }}"#,
//! )?;
//! tencentcloud_spec::validate_spec(std::path::Path::new("demo.json"), &spec)?;
//! let problems = check(&spec, "In", &serde_json::json!({"id": 1}), Direction::Request);
//! assert_eq!(problems[0].to_string(), "unknown member `id` (the shape has `Id`)");
//! let action = meta::action_meta(&spec, "GetThing", spec.actions.get("GetThing").unwrap());
//! assert_eq!(action.regions[0], "ap-guangzhou");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod check;
mod format;
pub mod limits;
pub mod meta;
pub mod paginate;
mod prim;
pub mod validate;

pub use format::*;
pub use prim::{is_optional, Prim};
pub use validate::{check_common, load, validate_spec};
