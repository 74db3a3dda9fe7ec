//! Resolution of a valid spec into the [`ServiceModel`]: every Rust name
//! (types, modules, fields, setters, methods, variants) is assigned here, once.

use std::collections::HashMap;

use super::{
    ActionModel, CallbackEventModel, CallbackGroupModel, CallbacksModel, CodeModel, EnumBase,
    EnumModel, ExampleModel, MemberModel, PaginatorModel, Prim, ServiceModel, ShapeBody,
    ShapeModel, StreamModel, StructModel, TypeRef, ValueModel,
};
use crate::names::{self, Namespace};
use crate::paginate;
use crate::spec::{
    editions_note, language_note, Action, Callbacks, CommonErrors, Edition, Language, Shape,
    ShapeKind, Spec, UniqueMap,
};
use tencentcloud_spec::meta;
use tencentcloud_spec::validate::{reaches, Ctx};

/// Names the builder and fluent builder methods reserve.
const BUILDER_RESERVED: &[&str] = &["build", "send", "builder", "new", "input", "client"];
/// Names the client reserves.
const CLIENT_RESERVED: &[&str] = &["new", "from_env", "runtime", "config", "from_runtime"];

fn doc(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// A description with the lines that say which editions publish the item and
/// that its text is kept in Chinese.
fn marked(s: &Option<String>, editions: &[Edition], language: Option<Language>) -> String {
    paragraphs(&[
        doc(s),
        language_note(language).unwrap_or_default(),
        editions_note(editions).unwrap_or_default(),
    ])
}

fn paragraphs(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Builds the model of a spec that passed validation; naming conflicts among
/// explicit `rust_name`s (and waiters making the same method) are reported
/// through `cx`, which makes the model unusable.
pub(super) fn build(
    cx: &mut Ctx<'_>,
    display_file: &str,
    spec: &Spec,
    common: &CommonErrors,
    index: &HashMap<&str, usize>,
) -> ServiceModel {
    let type_names = type_names(cx, spec);
    let mut modules = Namespace::default();
    let mut shapes = Vec::with_capacity(spec.shapes.len());
    for (i, ((name, shape), rust)) in spec.shapes.iter().zip(type_names).enumerate() {
        let module = names::module(&modules.assign(&names::snake(&rust), "_").name);
        let body = match shape.kind {
            ShapeKind::Structure => {
                ShapeBody::Struct(structure(cx, spec, index, i, name, shape, rust))
            }
            ShapeKind::Enum => ShapeBody::Enum(enumeration(shape, rust)),
        };
        shapes.push(ShapeModel {
            wire: name.to_owned(),
            module,
            description: marked(&shape.description, &shape.editions, shape.language),
            deprecated: shape.deprecated,
            body,
        });
    }
    let mut codes = Codes::default();
    codes.add_all(&common.errors);
    codes.add_all(&spec.errors);
    let actions = actions(cx, spec, index, &shapes, &mut codes);
    let callbacks = spec.callbacks.as_ref().map(|c| callbacks(c, index));
    let waiters = waiters(cx, spec, &actions);
    ServiceModel {
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
        codes: codes.all,
        callbacks,
        json_types: super::json::resolve(spec),
        waiters,
        runtime: meta::service_meta(spec),
    }
}

/// The waiters (validated already: each polls an existing action), with
/// their method names: `wait_until_` and the `rust_name` or the snake_case
/// name; two waiters making the same method are refused.
fn waiters(
    cx: &mut Ctx<'_>,
    spec: &Spec,
    actions: &[super::ActionModel],
) -> Vec<super::WaiterModel> {
    let mut methods: HashMap<String, &str> = HashMap::new();
    spec.waiters
        .iter()
        .filter_map(|(name, w)| {
            let action = actions.iter().position(|a| a.wire == w.action)?;
            let snake = w.rust_name.clone().unwrap_or_else(|| names::snake(name));
            if let Some(other) = methods.insert(snake.clone(), name) {
                cx.err(
                    format!("$.waiters.{name}"),
                    format!("waiters `{other}` and `{name}` both make `wait_until_{snake}`"),
                );
            }
            Some(super::WaiterModel {
                wire: name.to_owned(),
                module: names::module(&snake),
                method: format!("wait_until_{snake}"),
                builder: format!("WaitUntil{}", names::camel(name)),
                meta: names::screaming(name),
                description: doc(&w.description),
                action,
                pointer: w.status.split('.').map(|s| format!("/{s}")).collect(),
                spec: w.clone(),
                runtime: meta::waiter_meta(name, w),
            })
        })
        .collect()
}

/// Type names: explicit overrides first (they must not collide), then
/// conversions of the wire names, in file order.
fn type_names(cx: &mut Ctx<'_>, spec: &Spec) -> Vec<String> {
    let mut types = Namespace::default();
    for (name, shape) in spec.shapes.iter() {
        if let Some(r) = &shape.rust_name {
            if !types.take_exact(r) {
                cx.err(
                    format!("$.shapes.{name}.rust_name"),
                    format!("Rust name `{r}` is already used by another shape"),
                );
            }
        }
    }
    spec.shapes
        .iter()
        .map(|(name, shape)| match &shape.rust_name {
            Some(r) => r.clone(),
            None => types.assign(&names::camel(name), "").name,
        })
        .collect()
}

/// A structure's members: field and setter names (explicit overrides claim
/// theirs first; no field or setter may shadow a builder method), types, and
/// boxing where a member leads back to the structure.
fn structure(
    cx: &mut Ctx<'_>,
    spec: &Spec,
    index: &HashMap<&str, usize>,
    i: usize,
    name: &str,
    shape: &Shape,
    rust: String,
) -> StructModel {
    let mut fields = Namespace::default();
    let mut methods = Namespace::with_reserved(BUILDER_RESERVED);
    let members = shape.members.as_ref().map(|m| &m.0[..]).unwrap_or(&[]);
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
    let mut out = Vec::with_capacity(members.len());
    for (wire, m) in members {
        let (field, renamed_from) = match &m.rust_name {
            Some(r) => (r.clone(), None),
            None => {
                let taken_methods = methods.clone();
                let a = fields.assign_with(&names::snake(wire), "_", |c| {
                    !taken_methods.is_taken(c) && !taken_methods.is_taken(&format!("set_{c}"))
                });
                methods.take_exact(&a.name);
                methods.take_exact(&format!("set_{}", a.name));
                (a.name, a.renamed_from)
            }
        };
        let target = m.target();
        let ty = match (&m.json, Prim::parse(target)) {
            (Some(j), _) => TypeRef::Json(super::json::index_of(spec, j)),
            (None, Some(p)) => TypeRef::Prim(p),
            (None, None) => TypeRef::Shape(index[target]),
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
            description: marked(&m.description, &m.editions, m.language),
            example: m.example.clone(),
            renamed_from,
            limits: m.limits.clone(),
        });
    }
    StructModel { rust, members: out }
}

fn enumeration(shape: &Shape, rust: String) -> EnumModel {
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
    EnumModel { rust, base, values }
}

/// Every error code with its variant name: deduplicated by exact code, the
/// first in order keeps the plain name.
struct Codes {
    variants: Namespace,
    all: Vec<CodeModel>,
}

impl Default for Codes {
    fn default() -> Self {
        Codes {
            variants: Namespace::with_reserved(&["Unknown", "Unhandled"]),
            all: Vec::new(),
        }
    }
}

impl Codes {
    /// The variant of `code`, adding it when new.
    fn add(&mut self, code: &str, desc: &str) -> String {
        if let Some(c) = self.all.iter().find(|c| c.code == code) {
            return c.variant.clone();
        }
        let variant = self.variants.assign(&names::camel(code), "").name;
        self.all.push(CodeModel {
            code: code.to_owned(),
            variant: variant.clone(),
            description: desc.to_owned(),
        });
        variant
    }

    fn add_all(&mut self, codes: &UniqueMap<String>) {
        for (code, desc) in codes.iter() {
            self.add(code, desc);
        }
    }
}

/// Method and type names of every action (explicit overrides first), and the
/// rest of each action's model.
fn actions(
    cx: &mut Ctx<'_>,
    spec: &Spec,
    index: &HashMap<&str, usize>,
    shapes: &[ShapeModel],
    codes: &mut Codes,
) -> Vec<ActionModel> {
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
    let mut out = Vec::with_capacity(spec.actions.len());
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
        out.push(action_model(
            spec, index, shapes, codes, name, action, method, &type_base,
        ));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn action_model(
    spec: &Spec,
    index: &HashMap<&str, usize>,
    shapes: &[ShapeModel],
    codes: &mut Codes,
    name: &str,
    action: &Action,
    method: String,
    type_base: &str,
) -> ActionModel {
    let errors = action
        .errors
        .iter()
        .map(|(code, desc)| CodeModel {
            code: code.to_owned(),
            variant: codes.add(code, desc),
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
    let paginator = paginate::effective(spec, action).and_then(|e| {
        let member = |shape: usize, wire: &str| match &shapes[shape].body {
            ShapeBody::Struct(st) => st.members.iter().position(|m| m.wire == wire),
            ShapeBody::Enum(_) => None,
        };
        let p = e.pagination;
        Some(PaginatorModel {
            style: p.style,
            first_page: p.first_page.unwrap_or(0),
            cursor: member(input, &p.cursor)?,
            size: member(input, &p.size)?,
            total: member(output, &p.total)?,
            items: member(output, &p.items)?,
            inferred: e.inferred,
        })
    });
    ActionModel {
        wire: name.to_owned(),
        module: names::module(&method),
        title: doc(&action.title),
        description: paragraphs(&[
            marked(&action.description, &action.editions, action.language),
            doc(&action.notes),
        ]),
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
        sensitive: spec.sensitive_paths(action),
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
        runtime: meta::action_meta(spec, name, action),
    }
}

fn callbacks(c: &Callbacks, index: &HashMap<&str, usize>) -> CallbacksModel {
    CallbacksModel {
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
    }
}
