//! `trtc`: Tencent Cloud TRTC from the command line.
//!
//! Every action of the spec embedded at build time is a command
//! (`trtc describe-room-info`, or tccli's `trtc DescribeRoomInfo`), every input
//! member an option (`--sdk-app-id`, or `--SdkAppId`). Input is checked against
//! the action's shape before anything is sent; calls go through the SDK's
//! runtime client. See `trtc --help` for the options and the exit codes.
#![warn(missing_docs)]

pub mod call;
pub mod credentials;
pub mod error;
pub mod input;
pub mod output;
pub mod profile;
pub mod table;
pub mod waiters;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use clap::ArgMatches;
use serde_json::Value;
use tencentcloud_spec::paginate;
use tencentcloud_spec::Spec;

use crate::error::{Class, CliError};
use crate::output::Format;

/// Runs the command line `args` (the program name first); returns the exit code.
pub fn run(args: Vec<OsString>) -> u8 {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) => {
            say(&e.message);
            e.class.code()
        }
    }
}

fn run_inner(args: Vec<OsString>) -> Result<u8, CliError> {
    let spec = table::load()?;
    let only = table::named_action(&spec, &args);
    let mut cmd = table::build_for(&spec, only);
    let matches = match cmd.try_get_matches_from_mut(args) {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            let code = match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
                _ => Class::Usage.code(),
            };
            let _ = e.print();
            return Ok(code);
        }
    };
    let Some((sub, m)) = matches.subcommand() else {
        return Err(CliError::usage("no command given; see trtc --help"));
    };
    match sub {
        "completions" => {
            let shell = match m.get_one::<String>("shell").map(String::as_str) {
                Some("zsh") => clap_complete::Shell::Zsh,
                Some("fish") => clap_complete::Shell::Fish,
                _ => clap_complete::Shell::Bash,
            };
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "trtc", &mut script);
            write_out(&String::from_utf8_lossy(&script))?;
            Ok(0)
        }
        "configure" => {
            profile::run(
                m,
                m.get_one::<String>("profile").map(String::as_str),
                &spec.service.name,
                &spec.service.version,
            )?;
            Ok(0)
        }
        "wait" => {
            let Some((wname, wm)) = m.subcommand() else {
                return Err(CliError::usage("name a waiter; see trtc wait --help"));
            };
            let (name, w) = spec
                .waiters
                .iter()
                .find(|(n, _)| heck::ToKebabCase::to_kebab_case(*n) == wname)
                .ok_or_else(|| CliError::usage(format!("unknown waiter {wname}")))?;
            let profile =
                profile::Profile::load(wm.get_one::<String>("profile").map(String::as_str))?;
            debug_setup(wm);
            let client = call::client(&spec, wm, &profile)?;
            let rt = runtime()?;
            let (summary, class) = rt.block_on(waiters::run(&client, &spec, name, w, wm))?;
            print_value(&spec, wm, &profile, &summary)?;
            Ok(class.map_or(0, Class::code))
        }
        _ => {
            let (name, action) = spec
                .actions
                .iter()
                .find(|(n, _)| table::command_name(n) == sub)
                .ok_or_else(|| CliError::usage(format!("unknown command {sub}")))?;
            run_action(&spec, name, action, m)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::internal(format!("cannot start the async runtime: {e}")))
}

fn debug_setup(m: &ArgMatches) {
    if m.get_flag("debug") {
        // The runtime's spans and events carry no secrets.
        let _ = tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "tencentcloud_runtime=debug",
            ))
            .try_init();
    }
}

fn run_action(
    spec: &Spec,
    name: &str,
    action: &tencentcloud_spec::Action,
    m: &ArgMatches,
) -> Result<u8, CliError> {
    if let Some(which) = m.get_one::<String>("generate-cli-skeleton") {
        let shape = if which == "output" {
            &action.output
        } else {
            &action.input
        };
        write_out(&input::skeleton(spec, shape))?;
        return Ok(0);
    }
    let pagination = paginate::effective(spec, action).map(|e| e.pagination);
    let input = input::build(
        spec,
        action,
        m,
        pagination.as_ref().map(|p| p.size.as_str()),
    )?;
    let profile = profile::Profile::load(m.get_one::<String>("profile").map(String::as_str))?;
    let debug = m.get_flag("debug");
    debug_setup(m);
    let client = call::client(spec, m, &profile)?;
    let meta = tencentcloud_spec::meta::action_meta(spec, name, action);
    // One trace ID for the command (every page of a listing): printed with
    // --debug and with any error, for Tencent support.
    let trace_id = tencentcloud_runtime::trace::new_trace_id();
    // The input was checked above (limits too, unless --skip-limit-checks):
    // the runtime's own check before sending gives the same answer.
    let options = tencentcloud_runtime::CallOptions::new()
        .trace_id(trace_id.clone())
        .skip_limit_checks(m.get_flag("skip-limit-checks"));
    if debug {
        let (url, host) = client
            .runtime()
            .endpoint_for(&meta)
            .map(|e| (e.url.to_string(), e.host.clone()))
            .unwrap_or_default();
        let region = client.runtime().config().region().unwrap_or("");
        say(&format!(
            "trtc: POST {url}\n  Host: {host}\n  Content-Type: application/json\n  X-TC-Action: {name}\n  \
             X-TC-Version: {}\n  X-TC-Region: {region}\n  X-TC-TraceId: {trace_id}\n  \
             Authorization: TC3-HMAC-SHA256 \
             Credential=<SecretId>/<date>/{}/tc3_request, SignedHeaders=content-type;host, \
             Signature={}\n{}",
            spec.service.version,
            spec.service.name,
            tencentcloud_runtime::redact::REDACTED,
            serde_json::to_string_pretty(&call::redact(&meta, &input, false)).unwrap_or_default()
        ));
    }
    let rt = runtime()?;
    if action.stream.is_some() {
        rt.block_on(call::stream(
            &client,
            &meta,
            &input,
            m.get_one::<String>("query").map(String::as_str),
            m.try_get_one::<String>("audio-out")
                .ok()
                .flatten()
                .map(String::as_str),
            &options,
        ))?;
        return Ok(0);
    }
    let result = if pagination.is_some() && !m.get_flag("no-paginate") {
        rt.block_on(call::all_pages(
            &client,
            &meta,
            spec,
            action,
            input,
            m.get_one::<u64>("max-items").copied(),
            &options,
        ))
    } else {
        rt.block_on(call::once(&client, &meta, &input, &options))
            .map_err(CliError::from_sdk)
    };
    if debug {
        match &result {
            Ok(v) => say(&format!(
                "trtc: response (X-TC-TraceId: {trace_id})\n{}",
                serde_json::to_string_pretty(&call::redact(&meta, v, true)).unwrap_or_default()
            )),
            Err(e) => say(&format!(
                "trtc: no response to print ({:?} error, below; X-TC-TraceId: {trace_id})",
                e.class
            )),
        }
    }
    let value = result?;
    print_value(spec, m, &profile, &value)?;
    Ok(0)
}

fn print_value(
    _spec: &Spec,
    m: &ArgMatches,
    profile: &profile::Profile,
    value: &Value,
) -> Result<(), CliError> {
    let shown = match m.get_one::<String>("query") {
        Some(q) => output::query(q, value)?,
        None => value.clone(),
    };
    let format = match m.get_one::<Format>("output") {
        Some(f) => *f,
        None => match profile.output() {
            Some(name) => Format::parse(&name).map_err(|e| {
                CliError::config(format!("the profile's output setting: {}", e.message))
            })?,
            None => Format::Json,
        },
    };
    write_out(&output::render(
        &shown,
        format,
        std::io::stdout().is_terminal(),
    ))
}

/// One line on stderr; a closed stderr is ignored (never a panic).
pub(crate) fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Writes to stdout; a closed pipe is an error (exit 1), not a panic.
pub(crate) fn write_out(s: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| CliError::internal(format!("cannot write the output: {e}")))
}
