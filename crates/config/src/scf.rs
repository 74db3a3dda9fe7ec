//! The temporary credentials an SCF function's runtime puts in its environment.

use tencentcloud_runtime::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture,
};

/// The SecretId of the function's execution role, set by the SCF runtime.
pub const ENV_SCF_SECRET_ID: &str = "TENCENTCLOUD_SECRETID";
/// The SecretKey of the function's execution role, set by the SCF runtime.
pub const ENV_SCF_SECRET_KEY: &str = "TENCENTCLOUD_SECRETKEY";
/// The session token of the function's execution role, set by the SCF runtime.
pub const ENV_SCF_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSIONTOKEN";

/// The provider name of [`ScfProvider`].
pub const SCF: &str = "SCF runtime";

/// Reads the execution role's temporary credentials that the SCF runtime
/// sets: `TENCENTCLOUD_SECRETID`, `TENCENTCLOUD_SECRETKEY` and
/// `TENCENTCLOUD_SESSIONTOKEN` (note: no underscore inside `SECRETID`, unlike
/// the SDKs' `TENCENTCLOUD_SECRET_ID`). The names are those Tencent's
/// CloudBase SDKs read inside SCF; Tencent's Python, Go and Node.js API SDKs
/// have no SCF provider. The runtime replaces them as they rotate, so they are
/// read at every call; their expiry is not published to the function.
#[derive(Clone, Debug, Default)]
pub struct ScfProvider {
    _private: (),
}

impl ScfProvider {
    /// A provider reading the process environment.
    pub fn new() -> Self {
        ScfProvider::default()
    }

    /// Reads the variables now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let (id, key, token) = (
            get(ENV_SCF_SECRET_ID),
            get(ENV_SCF_SECRET_KEY),
            get(ENV_SCF_SESSION_TOKEN),
        );
        let (id, key) = match (id, key) {
            (Some(id), Some(key)) => (id, key),
            (None, None) => {
                return Err(CredentialsError::NotConfigured {
                    provider: SCF,
                    reason: format!("{ENV_SCF_SECRET_ID} and {ENV_SCF_SECRET_KEY} are not set"),
                })
            }
            (None, Some(_)) => {
                return Err(CredentialsError::Invalid {
                    provider: SCF,
                    reason: format!("{ENV_SCF_SECRET_KEY} is set but {ENV_SCF_SECRET_ID} is not"),
                })
            }
            (Some(_), None) => {
                return Err(CredentialsError::Invalid {
                    provider: SCF,
                    reason: format!("{ENV_SCF_SECRET_ID} is set but {ENV_SCF_SECRET_KEY} is not"),
                })
            }
        };
        let mut c = Credentials::new(id, key).with_provider(SCF);
        if let Some(t) = token {
            c = c.with_token(t);
        }
        c.validate()?;
        Ok(c)
    }
}

impl ProvideCredentials for ScfProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let r = self.load();
        Box::pin(async move { r })
    }
}
