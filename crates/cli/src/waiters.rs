//! `trtc wait <waiter>`: the spec's waiters, over the runtime's waiter loop.

use std::time::Duration;

use clap::{Arg, ArgMatches, Command};
use heck::ToKebabCase;
use serde_json::{json, Value};
use tencentcloud_runtime::waiter::{self, status_text, WaiterOutcome};
use tencentcloud_runtime::{ApiError, CallOptions, DynamicClient};
use tencentcloud_spec::meta::{action_meta, waiter_meta};
use tencentcloud_spec::{NotFound, Spec, Waiter};

use crate::error::{Class, CliError};
use crate::table;

/// `trtc wait` and one subcommand per waiter.
pub fn command(spec: &Spec) -> Command {
    let mut cmd = Command::new("wait")
        .about("Wait for a task to reach a state, polling only its Describe action")
        .long_about(
            "Each waiter polls one Describe action (never a mutation) until the status it reports \
             is a success state (exit 0) or a failure state (exit 6), or the maximum wait passes \
             (exit 7). A state the spec does not list matches nothing and the wait goes on. The \
             last output is printed with the outcome.",
        )
        .subcommand_required(true);
    for (name, w) in spec.waiters.iter() {
        let Some(action) = spec.actions.get(&w.action) else {
            continue;
        };
        let base = table::action_command(spec, &w.action, action);
        let mut sub = Command::new(name.to_kebab_case())
            .alias(name.to_owned())
            .about(
                w.description
                    .as_deref()
                    .and_then(|d| d.split(": ").next())
                    .unwrap_or("")
                    .to_owned(),
            )
            .long_about(w.description.clone().unwrap_or_default())
            .after_long_help(facts(name, w));
        for a in base.get_arguments() {
            sub = sub.arg(a.clone());
        }
        sub = sub
            .arg(
                Arg::new("delay")
                    .long("delay")
                    .value_name("SECONDS")
                    .value_parser(clap::value_parser!(f64))
                    .help(format!(
                        "Seconds between polls (default {})",
                        w.interval_seconds
                    )),
            )
            .arg(
                Arg::new("max-wait")
                    .long("max-wait")
                    .value_name("SECONDS")
                    .value_parser(clap::value_parser!(f64))
                    .help(format!(
                        "Maximum wait in seconds (default {})",
                        w.max_wait_seconds
                    )),
            );
        cmd = cmd.subcommand(sub);
    }
    cmd
}

fn facts(name: &str, w: &Waiter) -> String {
    format!(
        "Waiter {name}: polls {} and reads `{}`.\nSuccess states: {}\nFailure states: {}\n\
         Not found ({}): {}\nDefault interval {} s, maximum wait {} s.",
        w.action,
        w.status,
        if w.success.is_empty() {
            "none".to_owned()
        } else {
            w.success.join(", ")
        },
        if w.failure.is_empty() {
            "none".to_owned()
        } else {
            w.failure.join(", ")
        },
        w.not_found_codes.join(", "),
        match w.not_found {
            NotFound::Success => "success",
            NotFound::Failure => "failure",
            NotFound::Error => "an error",
        },
        w.interval_seconds,
        w.max_wait_seconds,
    )
}

/// The largest `--timeout`, `--delay` or `--max-wait` accepted (about 31 years):
/// larger ones would not fit the clock.
pub const MAX_SECONDS: u64 = 1_000_000_000;

fn seconds(m: &ArgMatches, id: &str, default: Duration) -> Result<Duration, CliError> {
    match m.get_one::<f64>(id) {
        None => Ok(default),
        Some(s) => Duration::try_from_secs_f64(*s)
            .ok()
            .filter(|d| d.as_secs() <= MAX_SECONDS)
            .ok_or_else(|| {
                CliError::usage(format!(
                    "--{id}: expected a number of seconds (at most {MAX_SECONDS}), found {s}"
                ))
            }),
    }
}

/// Runs one waiter; the summary to print and the class when it did not succeed.
pub async fn run(
    client: &DynamicClient,
    spec: &Spec,
    name: &str,
    w: &Waiter,
    m: &ArgMatches,
) -> Result<(Value, Option<Class>), CliError> {
    let action = spec
        .actions
        .get(&w.action)
        .ok_or_else(|| CliError::internal(format!("waiter {name}: unknown action {}", w.action)))?;
    let input = crate::input::build(spec, action, m, None)?;
    let wm = waiter_meta(name, w);
    let interval = seconds(m, "delay", wm.interval)?;
    let max_wait = seconds(m, "max-wait", wm.max_wait)?;
    let am = action_meta(spec, &w.action, action);
    let path: Vec<String> = w.status.split('.').map(str::to_owned).collect();
    let status = move |o: &Value| -> Option<String> {
        let mut v = o;
        for seg in &path {
            v = v.get(seg)?;
        }
        status_text(v)
    };
    let options = CallOptions::new().skip_limit_checks(
        m.try_get_one::<bool>("skip-limit-checks")
            .ok()
            .flatten()
            .copied()
            .unwrap_or(false),
    );
    let outcome = waiter::wait::<Value, ApiError, _, _>(&wm, interval, max_wait, &status, || {
        crate::call::once(client, &am, &input, &options)
    })
    .await
    .map_err(CliError::from_sdk)?;
    let (word, class, state, polls, last) = match outcome {
        WaiterOutcome::Reached { last, polls } => {
            let st = last.as_ref().and_then(&status);
            ("reached", None, st, polls, last)
        }
        WaiterOutcome::Failed { last, state, polls } => (
            "failed",
            Some(Class::WaiterFailed),
            Some(state),
            polls,
            last,
        ),
        WaiterOutcome::TimedOut { last, polls } => {
            let st = last.as_ref().and_then(&status);
            ("timed_out", Some(Class::WaiterTimeout), st, polls, last)
        }
    };
    Ok((
        json!({
            "Waiter": name,
            "Outcome": word,
            "State": state,
            "Polls": polls,
            "Last": last,
        }),
        class,
    ))
}
