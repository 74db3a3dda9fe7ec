//! The Tencent Cloud API 3.0 spec format, as the generator, the command line
//! and the local endpoint read it.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod check;
mod format;
pub mod meta;
pub mod paginate;
mod prim;
pub mod validate;

pub use format::*;
pub use prim::{is_optional, Prim};
pub use validate::{check_common, load, validate_spec};
