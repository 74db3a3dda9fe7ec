//! Credentials of the command line: tccli's global flags (in tccli's spelling
//! and in kebab-case) over the SDK's chain (`tencentcloud-config`), with
//! tccli's profiles of every type.

use std::sync::Arc;

use clap::{Arg, ArgAction, ArgMatches};
use tencentcloud_config::{
    AssumeRoleProvider, CvmRoleProvider, DefaultCredentialsChain, IdentityCache,
    TccliProfileProvider,
};
use tencentcloud_runtime::credentials::{
    Credentials, EnvironmentProvider, SharedCredentialsProvider,
};

use crate::error::CliError;
use crate::profile::Profile;

/// `--secret-id`/`--secretId`, `--secret-key`/`--secretKey`, `--token`,
/// `--role-arn`, `--role-session-name`, `--use-cvm-role`.
pub fn args() -> Vec<Arg> {
    let value = |id: &'static str,
                 long: &'static str,
                 alias: Option<&'static str>,
                 name: &'static str,
                 help: &'static str| {
        let a = Arg::new(id)
            .long(long)
            .global(true)
            .value_name(name)
            .help(help);
        match alias {
            Some(al) => a.visible_alias(al),
            None => a,
        }
    };
    vec![
        value(
            "secret-id",
            "secret-id",
            Some("secretId"),
            "ID",
            "SecretId (with --secret-key; overrides the environment and the profile)",
        ),
        value(
            "secret-key",
            "secret-key",
            Some("secretKey"),
            "KEY",
            "SecretKey (with --secret-id)",
        ),
        value(
            "token",
            "token",
            None,
            "TOKEN",
            "Session token of temporary credentials (with --secret-id and --secret-key)",
        ),
        value(
            "role-arn",
            "role-arn",
            None,
            "ARN",
            "Assume this CAM role with STS AssumeRole (with --role-session-name)",
        ),
        value(
            "role-session-name",
            "role-session-name",
            None,
            "NAME",
            "Session name of the assumed role (with --role-arn)",
        ),
        Arg::new("use-cvm-role")
            .long("use-cvm-role")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Use the CVM instance's role (from the metadata service)"),
    ]
    .into_iter()
    .map(|a| a.help_heading("Credentials"))
    .collect()
}

fn get<'a>(m: &'a ArgMatches, id: &str) -> Option<&'a str> {
    m.try_get_one::<String>(id)
        .ok()
        .flatten()
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// The provider for this invocation, in tccli's order: `--use-cvm-role`; then
/// `--role-arn` with `--role-session-name` (signed with the keys below);
/// then `--secret-id`/`--secret-key`; then the environment (unless a profile
/// is named); then the tccli profile (any type: static, `cvm-role`, `oauth`
/// refreshed as tccli does, `sso`, with `role-arn`); then the SDK's default
/// chain (SCF, TKE pod identity, profile file, CVM role). Cached and refreshed
/// ahead of expiry.
pub fn provider(m: &ArgMatches, profile: &Profile) -> Result<SharedCredentialsProvider, CliError> {
    let cache = |p: SharedCredentialsProvider| -> SharedCredentialsProvider {
        Arc::new(IdentityCache::builder_shared(p).build())
    };
    let flag = m
        .try_get_one::<bool>("use-cvm-role")
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false);
    let keys = match (get(m, "secret-id"), get(m, "secret-key")) {
        (Some(id), Some(key)) => {
            let mut c = Credentials::new(id, key).with_provider("command line");
            if let Some(t) = get(m, "token") {
                c = c.with_token(t);
            }
            Some(c)
        }
        (None, None) => {
            if get(m, "token").is_some() {
                return Err(CliError::usage(
                    "--token needs --secret-id and --secret-key",
                ));
            }
            None
        }
        (Some(_), None) => return Err(CliError::usage("--secret-id needs --secret-key")),
        (None, Some(_)) => return Err(CliError::usage("--secret-key needs --secret-id")),
    };
    if flag {
        if keys.is_some() || get(m, "role-arn").is_some() {
            return Err(CliError::usage(
                "--use-cvm-role cannot be combined with --secret-id or --role-arn",
            ));
        }
        return Ok(cache(Arc::new(CvmRoleProvider::new())));
    }
    let base: SharedCredentialsProvider = match keys {
        Some(k) => Arc::new(k),
        None => {
            let env = EnvironmentProvider::new().load().ok();
            match env {
                Some(c) if !profile.explicit => Arc::new(c),
                _ if profile.has_credentials() => cache(Arc::new(
                    TccliProfileProvider::builder()
                        .profile(&profile.name)
                        .build(),
                )),
                Some(c) => Arc::new(c),
                None if profile.explicit => {
                    return Err(CliError::config(format!(
                        "profile `{}` has no credentials in ~/.tccli/{}.credential",
                        profile.name, profile.name
                    )))
                }
                None => Arc::new(DefaultCredentialsChain::new()),
            }
        }
    };
    match (get(m, "role-arn"), get(m, "role-session-name")) {
        (None, None) => Ok(base),
        (Some(arn), Some(session)) => {
            let role = AssumeRoleProvider::builder(arn, session)
                .shared_source(base)
                .build()
                .map_err(|e| CliError::usage(e.to_string()))?;
            Ok(cache(Arc::new(role)))
        }
        (Some(_), None) => Err(CliError::usage("--role-arn needs --role-session-name")),
        (None, Some(_)) => Err(CliError::usage("--role-session-name needs --role-arn")),
    }
}
