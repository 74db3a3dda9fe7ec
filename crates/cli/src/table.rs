//! The command table, read from the spec embedded at build time: one command
//! per action (kebab-case, with tccli's CamelCase spelling as an alias), one
//! option per input member, help from the spec's descriptions.

use std::path::Path;

use clap::{Arg, ArgAction, Command};
use heck::ToKebabCase;
use tencentcloud_spec::paginate;
use tencentcloud_spec::{Action, Member, ShapeKind, Spec};

use crate::error::{CliError, EXIT_CODES};

/// The spec the binary was built with.
const SPEC: &str = include_str!("../../../spec/trtc-2019-07-22.json");

/// Loads the embedded spec (validated by `cargo xtask codegen` when it was
/// committed; here only parsed).
pub fn load() -> Result<Spec, CliError> {
    tencentcloud_spec::parse_json(Path::new("spec/trtc-2019-07-22.json"), SPEC)
        .map_err(|e| CliError::internal(format!("the embedded spec does not load: {e}")))
}

/// Options every action command has; a member whose kebab-case name is one of
/// these is reachable by its CamelCase spelling only (`--PageSize` is also
/// `--page-size`, which sets the paginator's page size member).
pub const GLOBAL_LONGS: &[&str] = &[
    "region",
    "endpoint",
    "profile",
    "timeout",
    "debug",
    "output",
    "query",
    "filter",
    "cli-input-json",
    "generate-cli-skeleton",
    "max-items",
    "page-size",
    "no-paginate",
    "audio-out",
    "https-proxy",
    "skip-limit-checks",
    "help",
    "version",
];

/// The command name of an action (`describe-room-info`).
pub fn command_name(action: &str) -> String {
    action.to_kebab_case()
}

/// The option name of a member (`sdk-app-id`), or `None` when it collides
/// with a global option.
pub fn option_name(member: &str) -> Option<String> {
    let k = member.to_kebab_case();
    (!GLOBAL_LONGS.contains(&k.as_str())).then_some(k)
}

/// A member's type as help shows it (`uint64`, `list<Item>`, `TranscriptionParam (JSON)`).
pub fn type_text(spec: &Spec, m: &Member) -> String {
    let t = m.spec_type();
    if is_json(spec, m) {
        format!("{t} (JSON)")
    } else {
        t
    }
}

/// Whether an argument for the member is given as JSON (structures and lists).
pub fn is_json(spec: &Spec, m: &Member) -> bool {
    m.ty == "list"
        || spec
            .shapes
            .get(&m.ty)
            .is_some_and(|s| s.kind == ShapeKind::Structure)
}

fn first_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_owned()
}

fn global_args() -> Vec<Arg> {
    let all = vec![
        Arg::new("region")
            .long("region")
            .global(true)
            .value_name("REGION")
            .help("Region (else TENCENTCLOUD_REGION, else the profile's region)"),
        Arg::new("endpoint")
            .long("endpoint")
            .global(true)
            .value_name("URL|international")
            .help("Endpoint: a URL, a host, `international` or `default` (else TENCENTCLOUD_ENDPOINT, else the profile's)"),
        Arg::new("profile")
            .long("profile")
            .global(true)
            .value_name("NAME")
            .env("TCCLI_PROFILE")
            .help("tccli profile: ~/.tccli/NAME.credential and NAME.configure"),
        Arg::new("timeout")
            .long("timeout")
            .global(true)
            .value_name("SECONDS")
            .value_parser(clap::value_parser!(f64))
            .help("Overall time limit of one call, retries included"),
        Arg::new("debug")
            .long("debug")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Print the request and the response on stderr with the call's X-TC-TraceId (secrets, signature and user signatures redacted)"),
        Arg::new("skip-limit-checks")
            .long("skip-limit-checks")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Send values outside their documented limits (ranges, lengths, numbers of items, characters, values) when the documentation is stale; type and required-member checks still apply"),
        Arg::new("https-proxy")
            .long("https-proxy")
            .global(true)
            .value_name("URL")
            .help("Send every request through this proxy, e.g. http://proxy.example:3128 (as tccli's --https-proxy; else HTTPS_PROXY/NO_PROXY)"),
        Arg::new("output")
            .long("output")
            .short('o')
            .global(true)
            .value_name("FORMAT")
            .value_parser(clap::builder::EnumValueParser::<crate::output::Format>::new())
            .help("Output format (default json: pretty on a terminal, compact in a pipe)"),
        Arg::new("query")
            .long("query")
            .alias("filter")
            .global(true)
            .value_name("JMESPATH")
            .help("JMESPath expression applied to the output (tccli's --filter is another name)"),
        Arg::new("cli-input-json")
            .long("cli-input-json")
            .global(true)
            .value_name("JSON|file://PATH|-")
            .help("The whole input as JSON (`-` reads stdin); options given beside it win"),
        Arg::new("generate-cli-skeleton")
            .long("generate-cli-skeleton")
            .global(true)
            .num_args(0..=1)
            .default_missing_value("input")
            .value_parser(["input", "output"])
            .value_name("input|output")
            .help("Print a JSON skeleton of the input (for --cli-input-json) or the output, send nothing"),
        Arg::new("max-items")
            .long("max-items")
            .global(true)
            .value_name("N")
            .value_parser(clap::value_parser!(u64))
            .help("Paginated actions: stop after N items"),
        Arg::new("page-size")
            .long("page-size")
            .global(true)
            .value_name("N")
            .value_parser(clap::value_parser!(u64))
            .help("Paginated actions: items per request (the action's size member)"),
        Arg::new("no-paginate")
            .long("no-paginate")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Paginated actions: one request, one page"),
    ];
    all.into_iter()
        .map(|a| a.help_heading("Global options"))
        .chain(crate::credentials::args())
        .collect()
}

/// The command a command line names (its first argument that is neither an
/// option nor an option's value), if it is an action: building only that
/// action's command saves the time and memory of the other 57.
pub fn named_action<'s>(spec: &'s Spec, args: &[std::ffi::OsString]) -> Option<&'s str> {
    const TAKES_VALUE: &[&str] = &[
        "--region",
        "--endpoint",
        "--profile",
        "--timeout",
        "--output",
        "-o",
        "--query",
        "--filter",
        "--cli-input-json",
        "--max-items",
        "--page-size",
    ];
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let a = a.to_str()?;
        if a.starts_with('-') {
            if TAKES_VALUE.contains(&a) {
                it.next();
            }
            continue;
        }
        return spec
            .actions
            .iter()
            .find(|(n, _)| *n == a || command_name(n) == a)
            .map(|(n, _)| n);
    }
    None
}

/// The command tree: every command, or only `only` (an action) and the globals.
pub fn build_for(spec: &Spec, only: Option<&str>) -> Command {
    match only {
        None => build(spec),
        Some(name) => {
            let action = spec.actions.get(name);
            let mut root = root(spec);
            if let Some(a) = action {
                root = root.subcommand(action_command(spec, name, a));
            }
            root
        }
    }
}

fn root(spec: &Spec) -> Command {
    Command::new("trtc")
        .version(env!("CARGO_PKG_VERSION"))
        .about(format!(
            "Tencent Cloud {} (API {}) from the command line: every action of the spec is a command.",
            spec.service.title.as_deref().unwrap_or("TRTC"),
            spec.service.version
        ))
        .after_help(format!(
            "Actions are also accepted in tccli's spelling (`trtc DescribeRoomInfo --SdkAppId 1400000001`).\n\
             Credentials: TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY, the tccli profile (--profile, TCCLI_PROFILE, \
             ~/.tccli/<profile>.credential), ~/.tencentcloud/credentials, the CVM role.\n\n{EXIT_CODES}"
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args())
}

/// The whole command tree.
pub fn build(spec: &Spec) -> Command {
    let mut root = root(spec);
    for (name, action) in spec.actions.iter() {
        root = root.subcommand(action_command(spec, name, action));
    }
    root = root.subcommand(crate::waiters::command(spec));
    root = root.subcommand(crate::profile::command());
    root.subcommand(
        Command::new("completions")
            .about("Print a shell completion script")
            .arg(
                Arg::new("shell")
                    .required(true)
                    .value_parser(["bash", "zsh", "fish"]),
            ),
    )
}

/// One action's command.
pub fn action_command(spec: &Spec, name: &str, action: &Action) -> Command {
    let title = action
        .title
        .clone()
        .or_else(|| action.description.as_deref().map(first_line))
        .unwrap_or_default();
    let mut cmd = Command::new(command_name(name))
        .alias(name.to_owned())
        .about(title)
        .long_about(long_about(spec, name, action))
        .after_long_help(facts(spec, name, action));
    if action.stream.is_some() {
        cmd = cmd.arg(
            Arg::new("audio-out")
                .long("audio-out")
                .value_name("FILE")
                .help(
                    "Write the decoded audio of the events (their `Audio` member, Base64) to FILE",
                ),
        );
    }
    let input = spec.shapes.get(&action.input);
    let mut longs: Vec<String> = Vec::new();
    for (wire, m) in input
        .and_then(|s| s.members.as_ref())
        .iter()
        .flat_map(|m| m.iter())
    {
        let mut arg = Arg::new(format!("member:{wire}"))
            .value_name(m.spec_type().to_uppercase())
            .help_heading("Members of the input")
            .allow_hyphen_values(true)
            .help(member_help(spec, m, false))
            .long_help(member_help(spec, m, true))
            .num_args(1);
        // Two members may share a kebab-case name (`RoomId`, `RoomID`): the
        // later one keeps only its CamelCase spelling.
        arg = match option_name(wire).filter(|l| !longs.contains(l) && l != wire) {
            Some(long) => {
                longs.push(long.clone());
                arg.long(long).alias(wire.to_owned())
            }
            None => arg.long(wire.to_owned()),
        };
        longs.push(wire.to_owned());
        if m.deprecated {
            arg = arg.hide(true);
        }
        cmd = cmd.arg(arg);
    }
    cmd
}

fn long_about(spec: &Spec, name: &str, action: &Action) -> String {
    let mut s = String::new();
    if let Some(t) = &action.title {
        s.push_str(t);
        s.push_str("\n\n");
    }
    if let Some(d) = &action.description {
        s.push_str(d.trim());
        s.push('\n');
    }
    if let Some(n) = &action.notes {
        s.push('\n');
        s.push_str(n.trim());
        s.push('\n');
    }
    let _ = (spec, name);
    s
}

/// Regions, rate limit, host, paging, stream and documented error codes.
fn facts(spec: &Spec, name: &str, action: &Action) -> String {
    let mut s = format!("Action {name} (tccli: trtc {name})\n");
    s.push_str(&format!(
        "Regions: {}\n",
        if action.regions.is_empty() {
            "any".to_owned()
        } else {
            action.regions.join(", ")
        }
    ));
    if let Some(r) = &action.rate_limit {
        s.push_str(&format!("Rate limit: {r} (the client waits for a slot)\n"));
    }
    if let Some(h) = &action.endpoint {
        s.push_str(&format!("Host: {h}\n"));
    }
    if let Some(p) = paginate::effective(spec, action) {
        s.push_str(&format!(
            "Paginated: every page is fetched and merged into `{}` (--max-items, --page-size sets `{}`, --no-paginate)\n",
            p.pagination.items, p.pagination.size
        ));
    }
    if action.stream.is_some() {
        s.push_str("Answers with events: each is printed as one JSON line as it arrives\n");
    }
    if !action.errors.is_empty() {
        s.push_str("Documented error codes:\n");
        for (code, d) in action.errors.iter() {
            s.push_str(&format!("  {code}: {}\n", first_line(d)));
        }
    }
    s.push('\n');
    s.push_str(EXIT_CODES);
    s
}

fn member_help(spec: &Spec, m: &Member, long: bool) -> String {
    let mut s = format!(
        "[{}{}]",
        type_text(spec, m),
        if m.required { ", required" } else { "" }
    );
    if let Some(d) = &m.description {
        s.push(' ');
        s.push_str(&if long {
            d.trim().to_owned()
        } else {
            first_line(d)
        });
    }
    if let Some(e) = &m.example {
        s.push_str(&format!(" Example: {e}."));
    }
    for l in &m.limits {
        s.push_str(&format!(" {}: {}.", l.kind.title(), l.describe()));
    }
    if let Some(shape) = spec.shapes.get(m.target()) {
        if let Some(values) = &shape.values {
            let vs: Vec<String> = values
                .iter()
                .map(|v| match &v.description {
                    Some(d) if long => format!("{} ({})", v.value, first_line(d)),
                    _ => v.value.to_string(),
                })
                .collect();
            s.push_str(&format!(" Values: {}.", vs.join(", ")));
        } else if long {
            if let Some(members) = &shape.members {
                let ms: Vec<String> = members
                    .iter()
                    .map(|(w, mm)| {
                        let limits: String = mm
                            .limits
                            .iter()
                            .map(|l| format!(", {} {}", l.kind.label(), l.describe()))
                            .collect();
                        format!(
                            "{w} ({}{}{limits})",
                            mm.spec_type(),
                            if mm.required { ", required" } else { "" }
                        )
                    })
                    .collect();
                s.push_str(&format!(" Members: {}.", ms.join(", ")));
            }
        }
    }
    s
}
