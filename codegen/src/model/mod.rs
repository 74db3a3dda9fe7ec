//! The resolved model of a service: every Rust name and type decided once,
//! for the emitters to print and the change report to compare.
//!
//! [`resolve`] runs the two steps: [`validate`] checks a spec and reports every
//! problem with its JSON path; [`build`](resolve) (in `resolve.rs`) then
//! assigns names (types, fields, setters, methods, variants) and types. The
//! rules everything else asks live on these types: whether a member is an
//! `Option` ([`MemberModel::is_optional`]), its Rust type
//! ([`ServiceModel::rust_type`]), a primitive's Rust type ([`Prim::rust_path`]).

use std::path::{Path, PathBuf};

use crate::spec::{CommonErrors, PageStyle, RateLimit, Spec, SpecErrors};

pub mod json;
mod naming;
mod resolve;

pub use json::{JsonFieldModel, JsonKind, JsonProviderModel, JsonTypeModel, JsonVariantModel};

pub use tencentcloud_spec::check_common;
use tencentcloud_spec::validate::{self, Ctx};

pub use tencentcloud_spec::{is_optional, Prim};

/// A member's element type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// A primitive.
    Prim(Prim),
    /// A shape, by index into [`ServiceModel::shapes`].
    Shape(usize),
    /// A string carrying JSON, by index into [`ServiceModel::json_types`].
    Json(usize),
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
    /// The documented limits (`**Range:** 1 to 60` in the docs).
    pub limits: Vec<crate::limits::Limit>,
}

impl MemberModel {
    /// Whether the field is an `Option` ([`is_optional`]).
    pub fn is_optional(&self) -> bool {
        is_optional(self.required, self.nullable)
    }
}

/// The Rust type of a member, in parts: `Option<Vec<Elem>>`, `Box<Elem>`, ...
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RustType {
    /// The element type's name: a primitive's [`Prim::rust_name`] or a shape's Rust name.
    pub elem: String,
    /// `Vec<elem>`.
    pub list: bool,
    /// `Box<elem>` (breaks a cycle).
    pub boxed: bool,
    /// Wrapped in `Option`.
    pub optional: bool,
}

impl std::fmt::Display for RustType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = if self.list {
            format!("Vec<{}>", self.elem)
        } else if self.boxed {
            format!("Box<{}>", self.elem)
        } else {
            self.elem.clone()
        };
        if self.optional {
            write!(f, "Option<{inner}>")
        } else {
            f.write_str(&inner)
        }
    }
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
    /// The members marked `sensitive`, as paths in the request and response
    /// bodies (see [`crate::spec::Spec::sensitive_paths`]).
    pub sensitive: Vec<String>,
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
    /// What the runtime is told about the action (`tencentcloud_spec::meta::action_meta`).
    pub runtime: tencentcloud_runtime::ActionMeta,
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
    /// JSON documents carried in string members.
    pub json_types: Vec<JsonTypeModel>,
    /// The waiters, in spec order.
    pub waiters: Vec<WaiterModel>,
    /// What the runtime is told about the service (`tencentcloud_spec::meta::service_meta`).
    pub runtime: tencentcloud_runtime::ServiceMeta,
}

/// One resolved waiter.
#[derive(Clone, Debug)]
pub struct WaiterModel {
    /// The waiter's name in the spec (`CloudRecordingStopped`).
    pub wire: String,
    /// The module (and file) name (`cloud_recording_stopped`).
    pub module: String,
    /// The `Client` method (`wait_until_cloud_recording_stopped`).
    pub method: String,
    /// The fluent builder type (`WaitUntilCloudRecordingStopped`).
    pub builder: String,
    /// The `WaiterMeta` static (`CLOUD_RECORDING_STOPPED`).
    pub meta: String,
    /// Description.
    pub description: String,
    /// The polled action's index in [`ServiceModel::actions`].
    pub action: usize,
    /// The status path as a JSON pointer into the output (`/Status`).
    pub pointer: String,
    /// The spec's waiter, as written.
    pub spec: crate::spec::Waiter,
    /// What the runtime is told about the waiter (`tencentcloud_spec::meta::waiter_meta`).
    pub runtime: tencentcloud_runtime::WaiterMeta,
}

impl ServiceModel {
    /// The Rust type of a member of one of this service's structures.
    pub fn rust_type(&self, mm: &MemberModel) -> RustType {
        RustType {
            elem: match mm.ty {
                TypeRef::Prim(p) => p.rust_name().to_owned(),
                TypeRef::Shape(i) => self.shape(i).rust().to_owned(),
                TypeRef::Json(j) => format!("JsonString<{}>", self.json_types[j].rust),
            },
            list: mm.list,
            boxed: mm.boxed,
            optional: mm.is_optional(),
        }
    }

    /// Whether a type reference is a structure (not an enum or primitive).
    pub fn is_struct(&self, ty: TypeRef) -> bool {
        matches!(ty, TypeRef::Shape(i) if matches!(self.shape(i).body, ShapeBody::Struct(_)))
    }

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

/// Validates `spec` (read from `file`) and resolves it. All problems are
/// reported together, each with its JSON path.
pub fn resolve(
    file: &Path,
    display_file: &str,
    spec: &Spec,
    common: &CommonErrors,
) -> Result<ServiceModel, SpecErrors> {
    let mut cx = Ctx::new(file);
    let index = validate::validate(&mut cx, spec);
    naming::check(&mut cx, spec);
    // Names are resolved only in a spec without problems.
    let model = cx
        .is_ok()
        .then(|| resolve::build(&mut cx, display_file, spec, common, &index));
    cx.finish()?;
    // Without problems, the model was built.
    model.ok_or_else(|| SpecErrors(Vec::new()))
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
