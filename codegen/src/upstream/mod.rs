//! Following Tencent's published definitions. This folder serves
//! `cargo xtask fetch`, `import` and `update` (and the tests of them); the
//! generator itself (`model`, `emit`) never uses it.
//!
//! - [`lock`]: the lock file; [`fetch`]: fetching and verifying the pinned
//!   wheels; [`errorcodes`]: `errorcodes.py`;
//! - [`import`]: Tencent's `api.json`/`examples.json` into the spec format, and
//!   merging into an existing spec;
//! - [`diff`]: the change report between two specs, with its semver verdicts.
//!
//! Tencent's published definitions, fetched from PyPI and pinned.
//!
//! Tencent generates its SDKs from one definition format and publishes it in
//! two PyPI packages (Apache-2.0):
//!
//! - [`DEFINITIONS_PACKAGE`] (`tccli-intl-en`, the international CLI):
//!   `tccli/services/<service>/v<YYYYMMDD>/api.json` and `examples.json`;
//! - [`ERROR_CODES_PACKAGE`] (`tencentcloud-sdk-python-intl-en`, the Python
//!   SDK): `tencentcloud/<service>/v<YYYYMMDD>/errorcodes.py`.
//!
//! The repository's lock file ([`LOCK_FILE`]) pins one version of each and the
//! sha256 of its wheel. [`Fetcher::fetch_lock`] downloads the wheels with
//! `python3 -m pip download --no-deps` (so the user's pip configuration applies:
//! index, proxy, certificates), checks the sha256, and unpacks the definition
//! files into `target/tencentcloud-api/<package>-<version>/` with a marker
//! recording the verified sha256. A verified cache is reused with neither
//! network nor python. [`pinned`] is the one call tests and tasks use.

pub mod diff;
pub mod editions;
pub mod error;
pub mod errorcodes;
pub mod fetch;
pub mod import;
pub mod limits;
pub mod lock;

pub use error::*;
pub use errorcodes::*;
pub use fetch::*;
pub use lock::*;
