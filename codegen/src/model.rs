//! Validation, and resolution of a spec into a small model of Rust names and
//! types. Every naming decision is made here, once; the emitters only print.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::names::{self, Namespace};
use crate::paginate::{self, Inferred};
use crate::spec::{
    CommonErrors, Member, PageStyle, PaginatorSpec, RateLimit, Shape, ShapeKind, Spec, SpecError,
    SpecErrors, ERRORS_FORMAT, SERVICE_FORMAT,
};

/// The primitive types of the spec format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prim {
    /// `string`
    String,
    /// `int64`
    Int64,
    /// `uint64`
    Uint64,
    /// `float`
    Float,
    /// `bool`
    Bool,
    /// `date` (a `YYYY-MM-DD` string)
    Date,
    /// `datetime` (a `YYYY-MM-DD hh:mm:ss` string)
    DateTime,
    /// `datetime_iso` (an ISO 8601 string)
    DateTimeIso,
    /// `string_or_int`: documented as "String/Number", arriving as either
    StringOrInt,
}

impl Prim {
    /// Parses a spec type name.
    pub fn parse(s: &str) -> Option<Prim> {
        Some(match s {
            "string" => Prim::String,
            "int64" => Prim::Int64,
            "uint64" => Prim::Uint64,
            "float" => Prim::Float,
            "bool" => Prim::Bool,
            "date" => Prim::Date,
            "datetime" => Prim::DateTime,
            "datetime_iso" => Prim::DateTimeIso,
            "string_or_int" => Prim::StringOrInt,
            _ => return None,
        })
    }

    /// The spec name.
    pub fn spec_name(self) -> &'static str {
        match self {
            Prim::String => "string",
            Prim::Int64 => "int64",
            Prim::Uint64 => "uint64",
            Prim::Float => "float",
            Prim::Bool => "bool",
            Prim::Date => "date",
            Prim::DateTime => "datetime",
            Prim::DateTimeIso => "datetime_iso",
            Prim::StringOrInt => "string_or_int",
        }
    }

    /// Whether the Rust type is `String`.
    pub fn is_string(self) -> bool {
        matches!(
            self,
            Prim::String | Prim::Date | Prim::DateTime | Prim::DateTimeIso
        )
    }

    /// What the format of a string type is, for docs.
    pub fn format_note(self) -> Option<&'static str> {
        match self {
            Prim::Date => Some("A date, `YYYY-MM-DD`."),
            Prim::DateTime => Some("A date and time, `YYYY-MM-DD hh:mm:ss`."),
            Prim::DateTimeIso => Some("An ISO 8601 date and time."),
            Prim::StringOrInt => Some("A JSON integer or string (documented as String/Number)."),
            _ => None,
        }
    }
}

/// A member's element type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// A primitive.
    Prim(Prim),
    /// A shape, by index into [`ServiceModel::shapes`].
    Shape(usize),
}

/// A resolved structure member.
#[derive(Clone, Debug)]
pub struct MemberModel {
    /// The wire name.
    pub wire: String,
    /// The Rust field name (without `r#`).
    pub field: String,
    /// The setter name (same as `field`).
    pub setter: String,
    /// The `set_` setter name.
    pub set_setter: String,
    /// Element type.
    pub ty: TypeRef,
    /// A list of `ty`.
    pub list: bool,
    /// Boxed to break a cycle.
    pub boxed: bool,
    /// Not an `Option`.
    pub required: bool,
    /// May be `null` on the wire.
    pub nullable: bool,
    /// Hidden from `Debug`.
    pub sensitive: bool,
    /// `#[deprecated]`.
    pub deprecated: bool,
    /// Description.
    pub description: String,
    /// Example value text.
    pub example: Option<String>,
    /// The plain name that was taken by another member, if renamed.
    pub renamed_from: Option<String>,
}

/// A resolved structure.
#[derive(Clone, Debug)]
pub struct StructModel {
    /// The Rust type name.
    pub rust: String,
    /// Members in spec order.
    pub members: Vec<MemberModel>,
}

/// Base type of an enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnumBase {
    /// JSON strings.
    String,
    /// JSON integers, signed.
    Int64,
    /// JSON integers, unsigned.
    Uint64,
}

/// One enum value.
#[derive(Clone, Debug)]
pub struct ValueModel {
    /// Variant name.
    pub variant: String,
    /// Wire value.
    pub value: serde_json::Value,
    /// Description.
    pub description: String,
}

/// A resolved enum.
#[derive(Clone, Debug)]
pub struct EnumModel {
    /// The Rust type name.
    pub rust: String,
    /// The base type.
    pub base: EnumBase,
    /// Documented values.
    pub values: Vec<ValueModel>,
}

/// What a shape resolves to.
#[derive(Clone, Debug)]
pub enum ShapeBody {
    /// A struct.
    Struct(StructModel),
    /// An enum.
    Enum(EnumModel),
}

/// A resolved shape.
#[derive(Clone, Debug)]
pub struct ShapeModel {
    /// The wire (spec) name.
    pub wire: String,
    /// The module (and file) name of the shape in the model crate.
    pub module: String,
    /// Description.
    pub description: String,
    /// `#[deprecated]`.
    pub deprecated: bool,
    /// Struct or enum.
    pub body: ShapeBody,
}

impl ShapeModel {
    /// The Rust type name.
    pub fn rust(&self) -> &str {
        match &self.body {
            ShapeBody::Struct(s) => &s.rust,
            ShapeBody::Enum(e) => &e.rust,
        }
    }
}

/// An error code with its variant name.
#[derive(Clone, Debug)]
pub struct CodeModel {
    /// The code, e.g. `AuthFailure.SignatureExpire`.
    pub code: String,
    /// The variant name.
    pub variant: String,
    /// Description.
    pub description: String,
}

/// A documented example.
#[derive(Clone, Debug)]
pub struct ExampleModel {
    /// Title.
    pub title: String,
    /// Request body text.
    pub request: String,
    /// Response body text.
    pub response: String,
}

/// A streamed response (server-sent events).
#[derive(Clone, Debug)]
pub struct StreamModel {
    /// The event structure's shape index.
    pub event: usize,
    /// The wire name of the member naming the event's kind (`Type`).
    pub kind_member: Option<String>,
    /// The kind value of error events (`error`).
    pub error_kind: Option<String>,
    /// The wire name of the boolean member marking the last event (`IsEnd`).
    pub end_member: Option<String>,
}

/// A resolved paginator: members by index into the input and output structs.
#[derive(Clone, Debug)]
pub struct PaginatorModel {
    /// How the cursor counts.
    pub style: PageStyle,
    /// The first page number (`page_number` style) when the caller sets none.
    pub first_page: u64,
    /// The cursor member (input).
    pub cursor: usize,
    /// The page-size member (input).
    pub size: usize,
    /// The total member (output).
    pub total: usize,
    /// The items member (output, a list).
    pub items: usize,
    /// Whether it was inferred from the shapes (rather than named by the spec).
    pub inferred: bool,
}

/// A resolved action.
#[derive(Clone, Debug)]
pub struct ActionModel {
    /// The action name.
    pub wire: String,
    /// The module (and file) name of the action in the client and error crates.
    pub module: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Fluent method name on the client.
    pub method: String,
    /// Direct method name (`<method>_with`).
    pub method_with: String,
    /// Fluent builder type name.
    pub fluent: String,
    /// Paginator type name (used when the action pages).
    pub paginator_type: String,
    /// Error enum type name.
    pub error: String,
    /// `ActionMeta` static name.
    pub meta: String,
    /// Input shape index.
    pub input: usize,
    /// Output shape index.
    pub output: usize,
    /// Supported regions.
    pub regions: Vec<String>,
    /// The documented rate limit.
    pub rate_limit: Option<RateLimit>,
    /// The action's own host, if it has one.
    pub endpoint: Option<String>,
    /// The action's own international host, if it has one.
    pub international_endpoint: Option<String>,
    /// A streamed response.
    pub stream: Option<StreamModel>,
    /// A paginator.
    pub paginator: Option<PaginatorModel>,
    /// `#[deprecated]`.
    pub deprecated: bool,
    /// Documented codes (variants named as in [`ServiceModel::codes`]).
    pub errors: Vec<CodeModel>,
    /// Examples.
    pub examples: Vec<ExampleModel>,
}

/// One resolved callback event.
#[derive(Clone, Debug)]
pub struct CallbackEventModel {
    /// The variant name.
    pub variant: String,
    /// The `EventType`.
    pub event_type: i64,
    /// Tencent's constant name, if documented.
    pub name: Option<String>,
    /// Description.
    pub description: String,
    /// The info structure's shape index.
    pub info: usize,
    /// The payload structure's shape index.
    pub payload: Option<usize>,
}

/// One resolved callback group.
#[derive(Clone, Debug)]
pub struct CallbackGroupModel {
    /// The group's name in the spec (UpperCamelCase).
    pub wire: String,
    /// The `EventGroupId`.
    pub id: i64,
    /// Tencent's constant name, if documented.
    pub name: Option<String>,
    /// Description.
    pub description: String,
    /// Its events.
    pub events: Vec<CallbackEventModel>,
}

/// A service's resolved callbacks.
#[derive(Clone, Debug)]
pub struct CallbacksModel {
    /// Description.
    pub description: String,
    /// Groups in spec order.
    pub groups: Vec<CallbackGroupModel>,
}

/// A whole resolved service.
#[derive(Clone, Debug)]
pub struct ServiceModel {
    /// The spec file, as shown in generated headers (relative, `/`-separated).
    pub spec_file: String,
    /// Service name, e.g. `trtc`.
    pub name: String,
    /// API version.
    pub version: String,
    /// Human title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Default host.
    pub endpoint: String,
    /// International host.
    pub international_endpoint: Option<String>,
    /// Shapes in spec order.
    pub shapes: Vec<ShapeModel>,
    /// Actions in spec order.
    pub actions: Vec<ActionModel>,
    /// Every known code: common ones first, then the service's, then each
    /// action's, deduplicated.
    pub codes: Vec<CodeModel>,
    /// The event callbacks, if the service sends any.
    pub callbacks: Option<CallbacksModel>,
}

impl ServiceModel {
    /// The shape at `index`.
    pub fn shape(&self, index: usize) -> &ShapeModel {
        &self.shapes[index]
    }

    /// The struct at `index` (inputs and outputs are always structs).
    pub fn structure(&self, index: usize) -> Option<&StructModel> {
        match &self.shapes[index].body {
            ShapeBody::Struct(s) => Some(s),
            ShapeBody::Enum(_) => None,
        }
    }

    /// Crate (package) names.
    pub fn crate_names(&self) -> CrateNames {
        CrateNames::for_service(&self.name)
    }
}

/// Package and library names of a service's generated crates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrateNames {
    /// `tencentcloud-<svc>-model`
    pub model: String,
    /// `tencentcloud-<svc>-error`
    pub error: String,
    /// `tencentcloud-<svc>`
    pub client: String,
    /// Directory of the model crate under `crates/`.
    pub model_dir: String,
    /// Directory of the error crate.
    pub error_dir: String,
    /// Directory of the client crate.
    pub client_dir: String,
}

impl CrateNames {
    /// Names for service `name`.
    pub fn for_service(name: &str) -> CrateNames {
        CrateNames {
            model: format!("tencentcloud-{name}-model"),
            error: format!("tencentcloud-{name}-error"),
            client: format!("tencentcloud-{name}"),
            model_dir: format!("{name}-model"),
            error_dir: format!("{name}-error"),
            client_dir: name.to_owned(),
        }
    }

    /// A package name as a Rust crate identifier.
    pub fn lib(package: &str) -> String {
        package.replace('-', "_")
    }
}

/// Names the builder and fluent builder methods reserve.
const BUILDER_RESERVED: &[&str] = &["build", "send", "builder", "new", "input", "client"];
/// Names the client reserves.
const CLIENT_RESERVED: &[&str] = &["new", "from_env", "runtime", "config", "from_runtime"];

struct Ctx<'a> {
    file: &'a Path,
    errors: Vec<SpecError>,
}

impl Ctx<'_> {
    fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError {
            file: self.file.to_owned(),
            path: path.into(),
            message: message.into(),
        });
    }
}

fn valid_wire_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().any(|c| c.is_ascii_alphanumeric())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn valid_code(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
}

fn valid_host(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

fn valid_version(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn valid_region(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Checks the common error codes file.
pub fn check_common(file: &Path, common: &CommonErrors) -> Result<(), SpecErrors> {
    let mut cx = Ctx {
        file,
        errors: Vec::new(),
    };
    if common.format != ERRORS_FORMAT {
        cx.err(
            "$.format",
            format!("expected {ERRORS_FORMAT:?}, found {:?}", common.format),
        );
    }
    for (code, desc) in common.errors.iter() {
        let path = format!("$.errors.{code}");
        if !valid_code(code) {
            cx.err(
                &path,
                format!("`{code}` is not an error code (dotted segments of letters, digits, `_`)"),
            );
        }
        if desc.trim().is_empty() {
            cx.err(&path, "description is empty");
        }
    }
    if cx.errors.is_empty() {
        Ok(())
    } else {
        Err(SpecErrors(cx.errors))
    }
}

/// Validates `spec` (read from `file`) and resolves it. All problems are
/// reported together, each with its JSON path.
pub fn resolve(
    file: &Path,
    display_file: &str,
    spec: &Spec,
    common: &CommonErrors,
) -> Result<ServiceModel, SpecErrors> {
    let mut cx = Ctx {
        file,
        errors: Vec::new(),
    };
    check_service(&mut cx, spec);

    // Shape names and kinds.
    let index: HashMap<&str, usize> = spec
        .shapes
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (name, i))
        .collect();
    for (name, shape) in spec.shapes.iter() {
        let path = format!("$.shapes.{name}");
        if !valid_wire_name(name) || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            cx.err(&path, format!("shape name `{name}` must start with a letter and contain only letters, digits and `_`"));
        }
        if Prim::parse(name).is_some() || name == "list" {
            cx.err(
                &path,
                format!("shape name `{name}` is a built-in type name"),
            );
        }
        check_shape(&mut cx, &path, shape, &index, spec);
    }

    // Actions.
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for (name, action) in spec.actions.iter() {
        let path = format!("$.actions.{name}");
        if !name.starts_with(|c: char| c.is_ascii_uppercase())
            || !name.chars().all(|c| c.is_ascii_alphanumeric())
        {
            cx.err(
                &path,
                format!("action name `{name}` must be UpperCamelCase letters and digits"),
            );
        }
        for (field, shape) in [("input", &action.input), ("output", &action.output)] {
            match index.get(shape.as_str()) {
                None => cx.err(
                    format!("{path}.{field}"),
                    format!("unknown shape `{shape}`"),
                ),
                Some(&i) => {
                    if spec.shapes.0[i].1.kind != ShapeKind::Structure {
                        cx.err(
                            format!("{path}.{field}"),
                            format!(
                                "`{shape}` is an enum; an action's {field} must be a structure"
                            ),
                        );
                    }
                    mark_reachable(i, spec, &index, &mut used);
                }
            }
        }
        let mut seen = BTreeSet::new();
        for (i, region) in action.regions.iter().enumerate() {
            if !valid_region(region) {
                cx.err(
                    format!("{path}.regions[{i}]"),
                    format!("`{region}` is not a region name such as ap-guangzhou"),
                );
            }
            if !seen.insert(region) {
                cx.err(
                    format!("{path}.regions[{i}]"),
                    format!("region `{region}` is listed twice"),
                );
            }
        }
        if let Some(limit) = action.rate_limit {
            if limit.requests == 0 || limit.per_seconds == 0 {
                cx.err(
                    format!("{path}.rate_limit"),
                    "a rate limit needs at least 1 request in a window of at least 1 second",
                );
            }
        }
        for (field, host) in [
            ("endpoint", &action.endpoint),
            ("international_endpoint", &action.international_endpoint),
        ] {
            if let Some(h) = host {
                if !valid_host(h) {
                    cx.err(
                        format!("{path}.{field}"),
                        format!("`{h}` is not a host name"),
                    );
                }
            }
        }
        if let Some(stream) = &action.stream {
            check_stream(&mut cx, &path, stream, spec, &index, &mut used);
        }
        if let Some(PaginatorSpec::On(p)) = &action.paginator {
            check_pagination(&mut cx, &path, p, action, spec);
        }
        for (code, desc) in action.errors.iter() {
            if !valid_code(code) {
                cx.err(
                    format!("{path}.errors.{code}"),
                    format!("`{code}` is not an error code"),
                );
            }
            if desc.trim().is_empty() {
                cx.err(format!("{path}.errors.{code}"), "description is empty");
            }
        }
        for (i, ex) in action.examples.iter().enumerate() {
            let epath = format!("{path}.examples[{i}]");
            match serde_json::from_str::<serde_json::Value>(&ex.request) {
                Ok(serde_json::Value::Object(_)) => {}
                Ok(_) => cx.err(format!("{epath}.request"), "not a JSON object"),
                Err(e) => cx.err(format!("{epath}.request"), format!("not JSON: {e}")),
            }
            match serde_json::from_str::<serde_json::Value>(&ex.response) {
                Ok(v) if v.get("Response").is_some_and(|r| r.is_object()) => {}
                Ok(_) => cx.err(
                    format!("{epath}.response"),
                    "not a `{\"Response\": {...}}` object",
                ),
                Err(e) => cx.err(format!("{epath}.response"), format!("not JSON: {e}")),
            }
        }
        if let Some(r) = &action.rust_name {
            if !names::is_snake_ident(r) {
                cx.err(
                    format!("{path}.rust_name"),
                    format!("`{r}` is not a snake_case identifier"),
                );
            }
        }
    }
    if let Some(callbacks) = &spec.callbacks {
        check_callbacks(&mut cx, callbacks, spec, &index, &mut used);
    }
    for (i, (name, _)) in spec.shapes.iter().enumerate() {
        if !used.contains(&i) {
            cx.err(
                format!("$.shapes.{name}"),
                format!("shape `{name}` is not used by any action or callback"),
            );
        }
    }
    for (code, desc) in spec.errors.iter() {
        let path = format!("$.errors.{code}");
        if !valid_code(code) {
            cx.err(&path, format!("`{code}` is not an error code"));
        }
        if desc.trim().is_empty() {
            cx.err(&path, "description is empty");
        }
    }
    check_required_cycles(&mut cx, spec, &index);
    if !cx.errors.is_empty() {
        return Err(SpecErrors(cx.errors));
    }
    build(&mut cx, display_file, spec, common, &index).map_err(|()| SpecErrors(cx.errors))
}

fn check_stream(
    cx: &mut Ctx<'_>,
    path: &str,
    stream: &crate::spec::Stream,
    spec: &Spec,
    index: &HashMap<&str, usize>,
    used: &mut BTreeSet<usize>,
) {
    let spath = format!("{path}.stream");
    let Some(&i) = index.get(stream.event.as_str()) else {
        cx.err(
            format!("{spath}.event"),
            format!("unknown shape `{}`", stream.event),
        );
        return;
    };
    let shape = &spec.shapes.0[i].1;
    let Some(members) = shape
        .members
        .as_ref()
        .filter(|_| shape.kind == ShapeKind::Structure)
    else {
        cx.err(
            format!("{spath}.event"),
            format!(
                "`{}` is an enum; stream events must be structures",
                stream.event
            ),
        );
        return;
    };
    mark_reachable(i, spec, index, used);
    for (field, member, want) in [
        ("kind_member", &stream.kind_member, "string"),
        ("end_member", &stream.end_member, "bool"),
    ] {
        if let Some(m) = member {
            match members.get(m) {
                None => cx.err(
                    format!("{spath}.{field}"),
                    format!("`{}` has no member `{m}`", stream.event),
                ),
                Some(mm)
                    if mm.ty != want
                        && spec.shapes.get(&mm.ty).and_then(|s| s.base.as_deref())
                            != Some(want) =>
                {
                    cx.err(
                        format!("{spath}.{field}"),
                        format!("`{}.{m}` is {}, not {want}", stream.event, mm.ty),
                    )
                }
                Some(_) => {}
            }
        }
    }
    if stream.error_kind.is_some() && stream.kind_member.is_none() {
        cx.err(
            format!("{spath}.error_kind"),
            "`error_kind` needs `kind_member` (the member whose value it is)",
        );
    }
}

fn check_pagination(
    cx: &mut Ctx<'_>,
    path: &str,
    p: &crate::spec::Pagination,
    action: &crate::spec::Action,
    spec: &Spec,
) {
    let ppath = format!("{path}.paginator");
    let members = |shape: &str| spec.shapes.get(shape).and_then(|s| s.members.as_ref());
    let is_int = |m: &Member| m.ty == "int64" || m.ty == "uint64";
    for (field, shape, member, list) in [
        ("cursor", &action.input, &p.cursor, false),
        ("size", &action.input, &p.size, false),
        ("total", &action.output, &p.total, false),
        ("items", &action.output, &p.items, true),
    ] {
        let Some(ms) = members(shape) else { continue };
        match ms.get(member) {
            None => cx.err(
                format!("{ppath}.{field}"),
                format!("`{shape}` has no member `{member}`"),
            ),
            Some(m) if list && m.ty != "list" => cx.err(
                format!("{ppath}.{field}"),
                format!("`{shape}.{member}` is {}, not a list", m.ty),
            ),
            Some(m) if !list && !is_int(m) => cx.err(
                format!("{ppath}.{field}"),
                format!("`{shape}.{member}` is {}, not an integer", m.ty),
            ),
            Some(_) => {}
        }
    }
    if p.style == PageStyle::Offset && p.first_page.is_some() {
        cx.err(
            format!("{ppath}.first_page"),
            "`first_page` is for the `page_number` style; offsets start at 0",
        );
    }
}

fn check_callbacks(
    cx: &mut Ctx<'_>,
    callbacks: &crate::spec::Callbacks,
    spec: &Spec,
    index: &HashMap<&str, usize>,
    used: &mut BTreeSet<usize>,
) {
    let mut ids = BTreeSet::new();
    let mut variants: HashMap<String, String> = HashMap::new();
    for (gname, g) in callbacks.groups.iter() {
        let gpath = format!("$.callbacks.groups.{gname}");
        if !names::is_camel_ident(gname) {
            cx.err(
                &gpath,
                format!("group name `{gname}` must be UpperCamelCase"),
            );
        }
        if !ids.insert(g.id) {
            cx.err(
                format!("{gpath}.id"),
                format!("EventGroupId {} is used twice", g.id),
            );
        }
        let mut types = BTreeSet::new();
        for (ename, e) in g.events.iter() {
            let epath = format!("{gpath}.events.{ename}");
            if !names::is_camel_ident(ename) || ename == "Unknown" {
                cx.err(
                    &epath,
                    format!("event name `{ename}` must be an UpperCamelCase identifier (not a keyword) and not `Unknown`"),
                );
            }
            if let Some(other) = variants.insert(ename.to_owned(), gname.to_owned()) {
                cx.err(
                    &epath,
                    format!("event name `{ename}` is also an event of group `{other}`; names are unique across groups"),
                );
            }
            if !types.insert(e.event_type) {
                cx.err(
                    format!("{epath}.type"),
                    format!(
                        "EventType {} is used twice in group `{gname}`",
                        e.event_type
                    ),
                );
            }
            for (field, shape) in [("info", Some(&e.info)), ("payload", e.payload.as_ref())] {
                let Some(shape) = shape else { continue };
                match index.get(shape.as_str()) {
                    None => cx.err(
                        format!("{epath}.{field}"),
                        format!("unknown shape `{shape}`"),
                    ),
                    Some(&i) if spec.shapes.0[i].1.kind != ShapeKind::Structure => cx.err(
                        format!("{epath}.{field}"),
                        format!("`{shape}` is an enum; an event's {field} must be a structure"),
                    ),
                    Some(&i) => mark_reachable(i, spec, index, used),
                }
            }
        }
    }
    for (i, ex) in callbacks.examples.iter().enumerate() {
        let path = format!("$.callbacks.examples[{i}].body");
        match serde_json::from_str::<serde_json::Value>(&ex.body) {
            Ok(v) => {
                for member in ["EventGroupId", "EventType", "EventInfo"] {
                    if v.get(member).is_none() {
                        cx.err(&path, format!("the body has no `{member}`"));
                    }
                }
            }
            Err(e) => cx.err(&path, format!("not JSON: {e}")),
        }
        if ex.sign.is_some() != ex.key.is_some() {
            cx.err(
                format!("$.callbacks.examples[{i}]"),
                "`sign` and `key` go together",
            );
        }
    }
}

fn check_service(cx: &mut Ctx<'_>, spec: &Spec) {
    if spec.format != SERVICE_FORMAT {
        cx.err(
            "$.format",
            format!("expected {SERVICE_FORMAT:?}, found {:?}", spec.format),
        );
    }
    let s = &spec.service;
    if s.name.is_empty()
        || !s
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        cx.err(
            "$.service.name",
            format!("`{}` must be lowercase letters and digits", s.name),
        );
    }
    if !valid_version(&s.version) {
        cx.err(
            "$.service.version",
            format!("`{}` is not a YYYY-MM-DD version", s.version),
        );
    }
    if !valid_host(&s.endpoint) {
        cx.err(
            "$.service.endpoint",
            format!("`{}` is not a host name", s.endpoint),
        );
    }
    if let Some(h) = &s.international_endpoint {
        if !valid_host(h) {
            cx.err(
                "$.service.international_endpoint",
                format!("`{h}` is not a host name"),
            );
        }
    }
}

fn check_shape(
    cx: &mut Ctx<'_>,
    path: &str,
    shape: &Shape,
    index: &HashMap<&str, usize>,
    spec: &Spec,
) {
    if let Some(r) = &shape.rust_name {
        if !names::is_camel_ident(r) {
            cx.err(
                format!("{path}.rust_name"),
                format!("`{r}` is not an UpperCamelCase identifier"),
            );
        }
    }
    match shape.kind {
        ShapeKind::Structure => {
            if shape.base.is_some() {
                cx.err(format!("{path}.base"), "only enums have a base type");
            }
            if shape.values.is_some() {
                cx.err(format!("{path}.values"), "only enums have values");
            }
            let Some(members) = &shape.members else {
                cx.err(path, "a structure needs `members` (use {} for none)");
                return;
            };
            for (wire, m) in members.iter() {
                check_member(cx, &format!("{path}.members.{wire}"), wire, m, index, spec);
            }
        }
        ShapeKind::Enum => {
            if shape.members.is_some() {
                cx.err(
                    format!("{path}.members"),
                    "an enum has `values`, not `members`",
                );
            }
            let base = match shape.base.as_deref() {
                Some("string") => EnumBase::String,
                Some("int64") => EnumBase::Int64,
                Some("uint64") => EnumBase::Uint64,
                Some(other) => {
                    cx.err(
                        format!("{path}.base"),
                        format!("enum base must be string, int64 or uint64, not `{other}`"),
                    );
                    return;
                }
                None => {
                    cx.err(path, "an enum needs `base` (string, int64 or uint64)");
                    return;
                }
            };
            let Some(values) = shape.values.as_ref().filter(|v| !v.is_empty()) else {
                cx.err(path, "an enum needs at least one value in `values`");
                return;
            };
            let mut seen_values = Vec::new();
            let mut seen_names = BTreeSet::new();
            for (i, v) in values.iter().enumerate() {
                let vpath = format!("{path}.values[{i}]");
                let ok = match base {
                    EnumBase::String => v.value.is_string(),
                    EnumBase::Int64 => v.value.as_i64().is_some(),
                    EnumBase::Uint64 => v.value.as_u64().is_some(),
                };
                if !ok {
                    cx.err(
                        format!("{vpath}.value"),
                        format!(
                            "{} is not a valid {} value",
                            v.value,
                            shape.base.as_deref().unwrap_or("")
                        ),
                    );
                }
                if seen_values.contains(&v.value) {
                    cx.err(
                        format!("{vpath}.value"),
                        format!("value {} is listed twice", v.value),
                    );
                }
                seen_values.push(v.value.clone());
                if !v.name.chars().any(|c| c.is_ascii_alphanumeric()) {
                    cx.err(
                        format!("{vpath}.name"),
                        format!("`{}` needs letters or digits", v.name),
                    );
                }
                if !seen_names.insert(v.name.clone()) {
                    cx.err(
                        format!("{vpath}.name"),
                        format!("name `{}` is used twice", v.name),
                    );
                }
            }
        }
    }
}

fn check_member(
    cx: &mut Ctx<'_>,
    path: &str,
    wire: &str,
    m: &Member,
    index: &HashMap<&str, usize>,
    spec: &Spec,
) {
    if !valid_wire_name(wire) {
        cx.err(
            path,
            format!("member name `{wire}` must contain only letters, digits and `_`"),
        );
    }
    let check_ref = |cx: &mut Ctx<'_>, field: &str, t: &str| {
        if Prim::parse(t).is_some() {
            return;
        }
        if t == "list" {
            cx.err(
                format!("{path}.{field}"),
                "lists of lists are not supported",
            );
            return;
        }
        match index.get(t) {
            Some(_) => {}
            None => {
                let hint = spec
                    .shapes
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(t))
                    .map(|(n, _)| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                cx.err(
                    format!("{path}.{field}"),
                    format!("unknown type `{t}`: not a primitive (string, int64, uint64, float, bool, date, datetime, datetime_iso, string_or_int), `list`, or a shape{hint}"),
                );
            }
        }
    };
    if m.ty == "list" {
        match &m.items {
            Some(items) => check_ref(cx, "items", items),
            None => cx.err(path, "a `list` member needs `items`"),
        }
    } else {
        if m.items.is_some() {
            cx.err(
                format!("{path}.items"),
                "`items` is only for `list` members",
            );
        }
        check_ref(cx, "type", &m.ty);
    }
    if let Some(r) = &m.rust_name {
        if !names::is_snake_ident(r) {
            cx.err(
                format!("{path}.rust_name"),
                format!("`{r}` is not a snake_case identifier"),
            );
        }
    }
}

fn member_target(m: &Member) -> &str {
    if m.ty == "list" {
        m.items.as_deref().unwrap_or("")
    } else {
        &m.ty
    }
}

fn mark_reachable(
    start: usize,
    spec: &Spec,
    index: &HashMap<&str, usize>,
    used: &mut BTreeSet<usize>,
) {
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        if !used.insert(i) {
            continue;
        }
        if let Some(members) = &spec.shapes.0[i].1.members {
            for (_, m) in members.iter() {
                if let Some(&j) = index.get(member_target(m)) {
                    stack.push(j);
                }
            }
        }
    }
}

/// Structure edges that are not lists: `(member wire name, target index, required)`.
fn direct_edges<'a>(
    spec: &'a Spec,
    index: &HashMap<&str, usize>,
    i: usize,
) -> Vec<(&'a str, usize, bool)> {
    let mut out = Vec::new();
    if let Some(members) = &spec.shapes.0[i].1.members {
        for (wire, m) in members.iter() {
            if m.ty == "list" {
                continue;
            }
            if let Some(&j) = index.get(m.ty.as_str()) {
                if spec.shapes.0[j].1.kind == ShapeKind::Structure {
                    out.push((wire, j, m.required));
                }
            }
        }
    }
    out
}

/// A structure that requires itself through required, non-list members has no
/// finite value: refuse it, naming the cycle.
fn check_required_cycles(cx: &mut Ctx<'_>, spec: &Spec, index: &HashMap<&str, usize>) {
    let n = spec.shapes.len();
    // 0 = unvisited, 1 = on stack, 2 = done
    let mut state = vec![0u8; n];
    let mut reported = BTreeSet::new();
    fn dfs(
        i: usize,
        spec: &Spec,
        index: &HashMap<&str, usize>,
        state: &mut [u8],
        stack: &mut Vec<(usize, String)>,
        found: &mut Vec<Vec<(usize, String)>>,
    ) {
        state[i] = 1;
        for (wire, j, required) in direct_edges(spec, index, i) {
            if !required {
                continue;
            }
            stack.push((i, wire.to_owned()));
            if state[j] == 1 {
                let start = stack.iter().position(|(k, _)| *k == j).unwrap_or(0);
                found.push(stack[start..].to_vec());
            } else if state[j] == 0 {
                dfs(j, spec, index, state, stack, found);
            }
            stack.pop();
        }
        state[i] = 2;
    }
    let mut found = Vec::new();
    for i in 0..n {
        if state[i] == 0 {
            dfs(i, spec, index, &mut state, &mut Vec::new(), &mut found);
        }
    }
    for cycle in found {
        let first = cycle[0].0;
        if !reported.insert(first) {
            continue;
        }
        let path: Vec<String> = cycle
            .iter()
            .map(|(i, w)| format!("{}.{w}", spec.shapes.0[*i].0))
            .collect();
        cx.err(
            format!("$.shapes.{}", spec.shapes.0[first].0),
            format!(
                "shape requires itself through required members ({}): no finite value exists; make one of them optional",
                path.join(" -> ")
            ),
        );
    }
}

/// Whether shape `from` reaches `to` through non-list structure members.
fn reaches(spec: &Spec, index: &HashMap<&str, usize>, from: usize, to: usize) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(i) = stack.pop() {
        if i == to {
            return true;
        }
        if !seen.insert(i) {
            continue;
        }
        for (_, j, _) in direct_edges(spec, index, i) {
            stack.push(j);
        }
    }
    false
}

fn doc(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn paragraphs(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn build(
    cx: &mut Ctx<'_>,
    display_file: &str,
    spec: &Spec,
    common: &CommonErrors,
    index: &HashMap<&str, usize>,
) -> Result<ServiceModel, ()> {
    // Type names: explicit overrides first (they must not collide), then conversions.
    let mut types = Namespace::default();
    let mut type_names: Vec<Option<String>> = vec![None; spec.shapes.len()];
    for (i, (name, shape)) in spec.shapes.iter().enumerate() {
        if let Some(r) = &shape.rust_name {
            if !types.take_exact(r) {
                cx.err(
                    format!("$.shapes.{name}.rust_name"),
                    format!("Rust name `{r}` is already used by another shape"),
                );
            }
            type_names[i] = Some(r.clone());
        }
    }
    for (i, (name, _)) in spec.shapes.iter().enumerate() {
        if type_names[i].is_none() {
            type_names[i] = Some(types.assign(&names::camel(name), "").name);
        }
    }

    // Module (file) names: snake case of the Rust name, unique.
    let mut shape_modules = Namespace::default();
    let mut shapes = Vec::with_capacity(spec.shapes.len());
    for (i, (name, shape)) in spec.shapes.iter().enumerate() {
        let rust = type_names[i].clone().unwrap_or_default();
        let module = names::module(&shape_modules.assign(&names::snake(&rust), "_").name);
        let body = match shape.kind {
            ShapeKind::Structure => {
                let mut fields = Namespace::default();
                let mut methods = Namespace::with_reserved(BUILDER_RESERVED);
                let members = shape.members.as_ref().map(|m| &m.0[..]).unwrap_or(&[]);
                // Explicit overrides claim their names first.
                for (wire, m) in members {
                    if let Some(r) = &m.rust_name {
                        let set = format!("set_{r}");
                        if fields.is_taken(r) || methods.is_taken(r) || methods.is_taken(&set) {
                            cx.err(
                                format!("$.shapes.{name}.members.{wire}.rust_name"),
                                format!("Rust name `{r}` collides with another member or a builder method"),
                            );
                        } else {
                            fields.take_exact(r);
                            methods.take_exact(r);
                            methods.take_exact(&set);
                        }
                    }
                }
                let mut out = Vec::new();
                for (wire, m) in members {
                    let (field, renamed_from) = match &m.rust_name {
                        Some(r) => (r.clone(), None),
                        None => {
                            let taken_methods = methods.clone();
                            let a = fields.assign_with(&names::snake(wire), "_", |c| {
                                !taken_methods.is_taken(c)
                                    && !taken_methods.is_taken(&format!("set_{c}"))
                            });
                            methods.take_exact(&a.name);
                            methods.take_exact(&format!("set_{}", a.name));
                            (a.name, a.renamed_from)
                        }
                    };
                    let target = member_target(m);
                    let ty = match Prim::parse(target) {
                        Some(p) => TypeRef::Prim(p),
                        None => TypeRef::Shape(index[target]),
                    };
                    let list = m.ty == "list";
                    let boxed = !list
                        && matches!(ty, TypeRef::Shape(j) if spec.shapes.0[j].1.kind == ShapeKind::Structure && reaches(spec, index, j, i));
                    out.push(MemberModel {
                        wire: wire.clone(),
                        setter: field.clone(),
                        set_setter: format!("set_{field}"),
                        field,
                        ty,
                        list,
                        boxed,
                        required: m.required,
                        nullable: m.nullable,
                        sensitive: m.sensitive,
                        deprecated: m.deprecated,
                        description: doc(&m.description),
                        example: m.example.clone(),
                        renamed_from,
                    });
                }
                ShapeBody::Struct(StructModel { rust, members: out })
            }
            ShapeKind::Enum => {
                let base = match shape.base.as_deref() {
                    Some("string") => EnumBase::String,
                    Some("int64") => EnumBase::Int64,
                    _ => EnumBase::Uint64,
                };
                let mut variants = Namespace::with_reserved(&["Unknown"]);
                let values = shape
                    .values
                    .iter()
                    .flatten()
                    .map(|v| ValueModel {
                        variant: variants.assign(&names::camel(&v.name), "").name,
                        value: v.value.clone(),
                        description: doc(&v.description),
                    })
                    .collect();
                ShapeBody::Enum(EnumModel { rust, base, values })
            }
        };
        shapes.push(ShapeModel {
            wire: name.to_owned(),
            module,
            description: doc(&shape.description),
            deprecated: shape.deprecated,
            body,
        });
    }

    // Error codes: common first, then per action, deduplicated by exact code.
    let mut variants = Namespace::with_reserved(&["Unknown", "Unhandled"]);
    let mut codes: Vec<CodeModel> = Vec::new();
    let mut add_code = |code: &str, desc: &str, codes: &mut Vec<CodeModel>| {
        if let Some(c) = codes.iter().find(|c| c.code == code) {
            return c.variant.clone();
        }
        let variant = variants.assign(&names::camel(code), "").name;
        codes.push(CodeModel {
            code: code.to_owned(),
            variant: variant.clone(),
            description: desc.to_owned(),
        });
        variant
    };
    for (code, desc) in common.errors.iter() {
        add_code(code, desc, &mut codes);
    }
    for (code, desc) in spec.errors.iter() {
        add_code(code, desc, &mut codes);
    }

    // Actions: method names and type names.
    let mut methods = Namespace::with_reserved(CLIENT_RESERVED);
    let mut action_types = Namespace::default();
    for (name, action) in spec.actions.iter() {
        if let Some(r) = &action.rust_name {
            if !methods.take_exact(r) || !methods.take_exact(&format!("{r}_with")) {
                cx.err(
                    format!("$.actions.{name}.rust_name"),
                    format!("Rust name `{r}` is already used by another action or a client method"),
                );
            }
        }
    }
    let mut actions = Vec::new();
    for (name, action) in spec.actions.iter() {
        let method = match &action.rust_name {
            Some(r) => r.clone(),
            None => {
                let taken = methods.clone();
                let a = methods.assign_with(&names::snake(name), "_", |c| {
                    !taken.is_taken(&format!("{c}_with"))
                });
                methods.take_exact(&format!("{}_with", a.name));
                a.name
            }
        };
        let type_base = action_types.assign(&names::camel(name), "").name;
        let errors = action
            .errors
            .iter()
            .map(|(code, desc)| CodeModel {
                code: code.to_owned(),
                variant: add_code(code, desc, &mut codes),
                description: desc.clone(),
            })
            .collect();
        let stream = action.stream.as_ref().map(|st| StreamModel {
            event: index[st.event.as_str()],
            kind_member: st.kind_member.clone(),
            error_kind: st.error_kind.clone(),
            end_member: st.end_member.clone(),
        });
        let input = index[action.input.as_str()];
        let output = index[action.output.as_str()];
        let pagination = match &action.paginator {
            Some(PaginatorSpec::Off) => None,
            Some(PaginatorSpec::On(p)) => Some((p.clone(), false)),
            None => match paginate::infer(spec, &action.input, &action.output) {
                Inferred::Yes(p) => Some((p, true)),
                Inferred::No | Inferred::Ambiguous(_) => None,
            },
        };
        let paginator = pagination.and_then(|(p, inferred)| {
            let member = |shape: usize, wire: &str| match &shapes[shape].body {
                ShapeBody::Struct(st) => st.members.iter().position(|m| m.wire == wire),
                ShapeBody::Enum(_) => None,
            };
            Some(PaginatorModel {
                style: p.style,
                first_page: p.first_page.unwrap_or(match p.style {
                    PageStyle::PageNumber => 1,
                    PageStyle::Offset => 0,
                }),
                cursor: member(input, &p.cursor)?,
                size: member(input, &p.size)?,
                total: member(output, &p.total)?,
                items: member(output, &p.items)?,
                inferred,
            })
        });
        actions.push(ActionModel {
            wire: name.to_owned(),
            module: names::module(&method),
            title: doc(&action.title),
            description: paragraphs(&[doc(&action.description), doc(&action.notes)]),
            method_with: format!("{method}_with"),
            meta: method.to_ascii_uppercase(),
            method,
            fluent: format!("{type_base}FluentBuilder"),
            paginator_type: format!("{type_base}Paginator"),
            error: format!("{type_base}Error"),
            input,
            output,
            regions: action.regions.clone(),
            rate_limit: action.rate_limit,
            endpoint: action.endpoint.clone(),
            international_endpoint: action.international_endpoint.clone(),
            stream,
            paginator,
            deprecated: action.deprecated,
            errors,
            examples: action
                .examples
                .iter()
                .map(|e| ExampleModel {
                    title: e.title.clone(),
                    request: e.request.clone(),
                    response: e.response.clone(),
                })
                .collect(),
        });
    }
    let callbacks = spec.callbacks.as_ref().map(|c| CallbacksModel {
        description: doc(&c.description),
        groups: c
            .groups
            .iter()
            .map(|(gname, g)| CallbackGroupModel {
                wire: gname.to_owned(),
                id: g.id,
                name: g.name.clone(),
                description: doc(&g.description),
                events: g
                    .events
                    .iter()
                    .map(|(ename, e)| CallbackEventModel {
                        variant: ename.to_owned(),
                        event_type: e.event_type,
                        name: e.name.clone(),
                        description: doc(&e.description),
                        info: index[e.info.as_str()],
                        payload: e.payload.as_ref().map(|p| index[p.as_str()]),
                    })
                    .collect(),
            })
            .collect(),
    });
    if !cx.errors.is_empty() {
        return Err(());
    }
    Ok(ServiceModel {
        spec_file: display_file.to_owned(),
        name: spec.service.name.clone(),
        version: spec.service.version.clone(),
        title: spec
            .service
            .title
            .clone()
            .unwrap_or_else(|| spec.service.name.to_uppercase()),
        description: doc(&spec.service.description),
        endpoint: spec.service.endpoint.clone(),
        international_endpoint: spec.service.international_endpoint.clone(),
        shapes,
        actions,
        codes,
        callbacks,
    })
}

/// Loads, validates and resolves a spec file and the common errors file.
pub fn load(
    spec_path: &Path,
    display_file: &str,
    common_path: &Path,
) -> Result<(Spec, ServiceModel), SpecErrors> {
    let spec: Spec = crate::spec::read_json(spec_path)?;
    let common: CommonErrors = crate::spec::read_json(common_path)?;
    check_common(common_path, &common)?;
    let model = resolve(spec_path, display_file, &spec, &common)?;
    Ok((spec, model))
}

/// `a/b/c` style display of `path` relative to `root` (or as given).
pub fn display_path(path: &Path, root: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
