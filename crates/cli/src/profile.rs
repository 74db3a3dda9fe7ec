//! tccli's profiles: `~/.tccli/<profile>.credential` (`secretId`, `secretKey`,
//! `token`) and `~/.tccli/<profile>.configure` (`_sys_param.region`,
//! `_sys_param.output`, `trtc.endpoint`, `trtc.version`), read and written in
//! tccli's own format so a profile made by either tool works in the other.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::{Arg, ArgMatches, Command};
use serde_json::{Map, Value};
use tencentcloud_runtime::Credentials;

use crate::error::CliError;

const SYS: &str = "_sys_param";
const CRED_KEYS: &[&str] = &["secretId", "secretKey", "token"];
const CONF_KEYS: &[&str] = &["region", "output", "language"];

/// One profile's two files, as read.
#[derive(Debug, Default)]
pub struct Profile {
    /// The profile name.
    pub name: String,
    /// Whether it was named (`--profile`, `TCCLI_PROFILE`) rather than the default.
    pub explicit: bool,
    credential: Map<String, Value>,
    configure: Map<String, Value>,
    found: bool,
}

fn dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".tccli"))
}

fn read(path: &PathBuf) -> Result<Option<Map<String, Value>>, CliError> {
    match std::fs::read_to_string(path) {
        Ok(text) if text.trim().is_empty() => Ok(Some(Map::new())),
        Ok(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(m)) => Ok(Some(m)),
            Ok(_) => Err(CliError::config(format!(
                "{}: not a JSON object",
                path.display()
            ))),
            Err(e) => Err(CliError::config(format!(
                "{}: malformed JSON: {e}",
                path.display()
            ))),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CliError::config(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

fn str_of(m: &Map<String, Value>, k: &str) -> Option<String> {
    m.get(k)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "None")
        .map(str::to_owned)
}

impl Profile {
    /// Loads profile `name` (else `default`); a named profile must exist.
    pub fn load(name: Option<&str>) -> Result<Profile, CliError> {
        let explicit = name.is_some_and(|n| !n.is_empty());
        let name = name
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
            .to_owned();
        let mut p = Profile {
            name: name.clone(),
            explicit,
            ..Profile::default()
        };
        if let Some(dir) = dir() {
            let cred = read(&dir.join(format!("{name}.credential")))?;
            let conf = read(&dir.join(format!("{name}.configure")))?;
            p.found = cred.is_some() || conf.is_some();
            p.credential = cred.unwrap_or_default();
            p.configure = conf.unwrap_or_default();
        }
        if explicit && !p.found {
            return Err(CliError::config(format!(
                "profile `{name}` not found: no ~/.tccli/{name}.credential or {name}.configure \
                 (create it with `trtc configure --profile {name}`)"
            )));
        }
        Ok(p)
    }

    /// Whether the profile's `.credential` file has anything.
    pub fn has_credentials(&self) -> bool {
        !self.credential.is_empty()
    }

    /// The static credentials of the profile, if it has them.
    pub fn credentials(&self) -> Result<Option<Credentials>, CliError> {
        let id = str_of(&self.credential, "secretId");
        let key = str_of(&self.credential, "secretKey");
        match (id, key) {
            (Some(id), Some(key)) => {
                let mut c = Credentials::new(id, key);
                if let Some(t) = str_of(&self.credential, "token") {
                    c = c.with_token(t);
                }
                Ok(Some(c))
            }
            (None, None) => Ok(None),
            _ => Err(CliError::config(format!(
                "~/.tccli/{}.credential has only one of secretId and secretKey",
                self.name
            ))),
        }
    }

    fn sys(&self, k: &str) -> Option<String> {
        self.configure
            .get(SYS)
            .and_then(Value::as_object)
            .and_then(|m| str_of(m, k))
            .or_else(|| str_of(&self.configure, k))
    }

    /// The profile's region.
    pub fn region(&self) -> Option<String> {
        self.sys("region")
    }

    /// The profile's output format.
    pub fn output(&self) -> Option<String> {
        self.sys("output")
    }

    /// The profile's endpoint for `service` (a host, as tccli writes it).
    pub fn endpoint(&self, service: &str) -> Option<String> {
        self.configure
            .get(service)
            .and_then(Value::as_object)
            .and_then(|m| str_of(m, "endpoint"))
    }
}

/// `trtc configure`.
pub fn command() -> Command {
    Command::new("configure")
        .about("Write or show a tccli profile (~/.tccli/<profile>.credential and .configure)")
        .long_about(
            "Without a subcommand, asks for secretId, secretKey, region and output on stdin \
             (an empty answer keeps the current value), as `tccli configure` does. The files are \
             tccli's own: a profile written here works with tccli and the other way round.",
        )
        .subcommand(
            Command::new("set")
                .about("Set values: trtc configure set region ap-singapore [secretId X ...]; trtc.endpoint HOST")
                .arg(Arg::new("pairs").required(true).num_args(1..).value_name("KEY VALUE")),
        )
        .subcommand(
            Command::new("get")
                .about("Print one value")
                .arg(Arg::new("key").required(true)),
        )
        .subcommand(Command::new("list").about("Print the profile (keys masked)"))
}

fn paths(profile: &str) -> Result<(PathBuf, PathBuf), CliError> {
    let dir = dir().ok_or_else(|| CliError::config("HOME is not set: no ~/.tccli"))?;
    Ok((
        dir.join(format!("{profile}.credential")),
        dir.join(format!("{profile}.configure")),
    ))
}

fn write(path: &PathBuf, m: &Map<String, Value>, secret: bool) -> Result<(), CliError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| CliError::config(format!("cannot create {}: {e}", parent.display())))?;
    }
    let text = serde_json::to_string_pretty(&Value::Object(m.clone())).unwrap_or_default();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let _ = secret;
    let mut f = opts
        .open(path)
        .map_err(|e| CliError::config(format!("cannot write {}: {e}", path.display())))?;
    f.write_all(text.as_bytes())
        .map_err(|e| CliError::config(format!("cannot write {}: {e}", path.display())))
}

fn set_values(
    profile: &str,
    service: &str,
    version: &str,
    pairs: &[(String, String)],
) -> Result<(), CliError> {
    let (cred_path, conf_path) = paths(profile)?;
    let mut cred = read(&cred_path)?.unwrap_or_default();
    let mut conf = read(&conf_path)?.unwrap_or_default();
    let (mut cred_changed, mut conf_changed) = (false, false);
    for (k, v) in pairs {
        if CRED_KEYS.contains(&k.as_str()) {
            cred.insert(k.clone(), Value::String(v.clone()));
            cred_changed = true;
        } else if CONF_KEYS.contains(&k.as_str()) {
            if k == "output" {
                crate::output::Format::parse(v)?;
            }
            let sys = conf.entry(SYS).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = sys {
                m.insert(k.clone(), Value::String(v.clone()));
            }
            conf_changed = true;
        } else if let Some((svc, field)) = k.split_once('.') {
            let entry = conf
                .entry(svc.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = entry {
                m.insert(field.to_owned(), Value::String(v.clone()));
            }
            conf_changed = true;
        } else {
            return Err(CliError::usage(format!(
                "unknown setting `{k}`: expected secretId, secretKey, token, region, output, language, or SERVICE.endpoint / SERVICE.version"
            )));
        }
    }
    if conf_changed || !conf_path.exists() {
        conf.entry(SYS).or_insert_with(|| Value::Object(Map::new()));
        // tccli keeps an entry per service with its host and version.
        let entry = conf
            .entry(service.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = entry {
            m.entry("endpoint")
                .or_insert_with(|| Value::String(format!("{service}.intl.tencentcloudapi.com")));
            m.entry("version")
                .or_insert_with(|| Value::String(version.to_owned()));
        }
        write(&conf_path, &conf, false)?;
    }
    if cred_changed || !cred_path.exists() {
        write(&cred_path, &cred, true)?;
    }
    Ok(())
}

fn mask(s: &str) -> String {
    let tail: String = s
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{}{tail}", "*".repeat(16))
}

/// Runs `trtc configure ...`.
pub fn run(
    m: &ArgMatches,
    profile: Option<&str>,
    service: &str,
    version: &str,
) -> Result<(), CliError> {
    let name = profile.filter(|p| !p.is_empty()).unwrap_or("default");
    match m.subcommand() {
        Some(("set", sm)) => {
            let items: Vec<String> = sm
                .get_many::<String>("pairs")
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            if items.len() % 2 != 0 {
                return Err(CliError::usage(
                    "expected KEY VALUE pairs: trtc configure set region ap-singapore output json",
                ));
            }
            let pairs: Vec<(String, String)> = items
                .chunks(2)
                .map(|c| (c[0].clone(), c[1].clone()))
                .collect();
            set_values(name, service, version, &pairs)
        }
        Some(("get", sm)) => {
            let key = sm
                .get_one::<String>("key")
                .map(String::as_str)
                .unwrap_or("");
            let p = Profile::load(Some(name))?;
            let v = if CRED_KEYS.contains(&key) {
                str_of(&p.credential, key)
            } else if let Some((svc, field)) = key.split_once('.') {
                p.configure
                    .get(svc)
                    .and_then(Value::as_object)
                    .and_then(|m| str_of(m, field))
            } else {
                p.sys(key)
            };
            match v {
                Some(v) => crate::write_out(&format!("{v}\n")),
                None => Err(CliError::config(format!(
                    "`{key}` is not set in profile `{name}`"
                ))),
            }
        }
        Some(("list", _)) => {
            let p = Profile::load(Some(name))?;
            let mut out = String::from("credential:\n");
            for k in CRED_KEYS {
                // Every credential value is masked, as tccli does.
                if let Some(v) = str_of(&p.credential, k) {
                    out.push_str(&format!("{k} = {}\n", mask(&v)));
                }
            }
            out.push_str("configure:\n");
            for k in CONF_KEYS {
                if let Some(v) = p.sys(k) {
                    out.push_str(&format!("{k} = {v}\n"));
                }
            }
            if let Some(e) = p.endpoint(service) {
                out.push_str(&format!("{service}.endpoint = {e}\n"));
            }
            crate::write_out(&out)
        }
        _ => {
            // Interactive, as `tccli configure`.
            let current = Profile::load(None).ok().filter(|_| name == "default");
            let current = match current {
                Some(c) => c,
                None => Profile::load(Some(name)).unwrap_or_default(),
            };
            let prompts = [
                (
                    "secretId",
                    "TencentCloud API secretId",
                    str_of(&current.credential, "secretId").map(|v| mask(&v)),
                ),
                (
                    "secretKey",
                    "TencentCloud API secretKey",
                    str_of(&current.credential, "secretKey").map(|v| mask(&v)),
                ),
                (
                    "region",
                    "Default region name",
                    Some(
                        current
                            .region()
                            .unwrap_or_else(|| "ap-guangzhou".to_owned()),
                    ),
                ),
                (
                    "output",
                    "Default output format",
                    Some(current.output().unwrap_or_else(|| "json".to_owned())),
                ),
            ];
            let stdin = std::io::stdin();
            let mut lines = stdin.lock().lines();
            let mut pairs = Vec::new();
            for (key, label, shown) in prompts {
                let mut err = std::io::stderr();
                let _ = write!(err, "{label} [{}]: ", shown.as_deref().unwrap_or("None"));
                let _ = err.flush();
                let answer = match lines.next() {
                    Some(Ok(l)) => l.trim().to_owned(),
                    _ => String::new(),
                };
                if !answer.is_empty() {
                    pairs.push((key.to_owned(), answer));
                } else if key == "region" || key == "output" {
                    if let Some(v) = shown {
                        pairs.push((key.to_owned(), v));
                    }
                }
            }
            set_values(name, service, version, &pairs)
        }
    }
}
