//! The model crate's `json` module: one file per JSON type carried in string
//! members (`json_types` of the spec): an enum with one variant per provider
//! plus `Other`, a struct per provider with its constructor, setters and
//! `.extra(key, value)`, the facts as a static [`Schema`] the runtime checks
//! against (written from `tencentcloud_spec::meta::json_type_schema`, one
//! line per key), validation and the checked text through the runtime's
//! functions, redacted `Debug`, and (feature `proptest`) strategies.
//!
//! [`Schema`]: https://docs.rs/tencentcloud-runtime

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::meta::f64_lit;
use super::{code_span, doc_attrs, ident, paragraphs};
use crate::model::{JsonFieldModel, JsonKind, JsonTypeModel, JsonVariantModel, ServiceModel};

/// The Rust type of a member carrying JSON type `j`.
pub fn member_type(m: &ServiceModel, j: usize, krate: &TokenStream) -> TokenStream {
    let name = ident(&m.json_types[j].rust);
    quote! { ::tencentcloud_runtime::JsonString<#krate::json::#name> }
}

/// The proptest strategy of a member carrying JSON type `j`.
pub fn member_strategy(m: &ServiceModel, j: usize, krate: &TokenStream) -> TokenStream {
    let name = ident(&m.json_types[j].rust);
    quote! { #krate::json::#name::arbitrary().prop_map(::tencentcloud_runtime::JsonString::new).boxed() }
}

/// The doc note of a member carrying JSON type `j`.
pub fn member_note(m: &ServiceModel, j: usize) -> String {
    let t = &m.json_types[j];
    format!(
        "A string of JSON on the wire, typed here as `json::{}` (one variant per provider, `Other` for the rest); checked before sending.",
        t.rust
    )
}

/// `pub mod json;` in the model crate's `lib.rs`, when the spec has JSON types.
pub fn lib_item(m: &ServiceModel) -> TokenStream {
    if m.json_types.is_empty() {
        return quote! {};
    }
    quote! {
        pub mod json;
    }
}

/// `json/mod.rs` and one `json/<type>.rs` per JSON type.
pub fn files(m: &ServiceModel) -> Vec<(String, TokenStream)> {
    if m.json_types.is_empty() {
        return Vec::new();
    }
    let items = m.json_types.iter().map(|t| {
        let module = ident(&t.module);
        let name = ident(&t.rust);
        let variants = t
            .variants
            .iter()
            .filter(|_| t.discriminator.is_some())
            .map(|v| {
                let s = ident(&v.rust);
                quote! { pub use #module::#s; }
            });
        quote! {
            mod #module;
            pub use #module::#name;
            #(#variants)*
        }
    });
    let schemas = m.json_types.iter().map(|t| {
        let module = ident(&t.module);
        quote! { &#module::SCHEMA }
    });
    let mut out = vec![(
        "json/mod.rs".to_owned(),
        quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            //! JSON documents carried in string members, typed by provider.
            //!
            //! A member such as `LLMConfig` is a string on the wire; here it is a
            //! [`JsonString`](::tencentcloud_runtime::JsonString) of a typed value:
            //! an enum with one variant per documented provider and `Other` for any
            //! provider this SDK does not know. Each provider's struct has a
            //! constructor taking its required keys, a setter per documented key,
            //! and `.extra(key, value)` for keys no page lists. Values are checked
            //! against the documented facts before sending; errors name the member,
            //! the provider and the key, and never show a secret.
            #(#items)*

            /// The documented facts of every JSON type, in spec order (what
            /// [`JsonConfig::schema`](::tencentcloud_runtime::JsonConfig::schema) returns).
            pub static SCHEMAS: &[&::tencentcloud_runtime::json_string::Schema<'static>] = &[#(#schemas),*];
        },
    )];
    for t in &m.json_types {
        out.push((format!("json/{}.rs", t.module), type_file(t)));
    }
    out
}

fn rust_type(kind: JsonKind) -> TokenStream {
    match kind {
        JsonKind::String => quote! { ::std::string::String },
        JsonKind::Int => quote! { i64 },
        JsonKind::StringOrInt => quote! { ::tencentcloud_runtime::StringOrInt },
        JsonKind::Float => quote! { ::tencentcloud_runtime::JsonFloat },
        JsonKind::Bool => quote! { bool },
        JsonKind::Object => quote! { ::tencentcloud_runtime::JsonObject },
        JsonKind::Any => quote! { ::serde_json::Value },
        JsonKind::StringList => quote! { ::std::vec::Vec<::std::string::String> },
        JsonKind::ObjectList => quote! { ::std::vec::Vec<::tencentcloud_runtime::JsonObject> },
        JsonKind::AnyList => quote! { ::std::vec::Vec<::serde_json::Value> },
    }
}

/// `(argument type, conversion of `value`)` of a setter or constructor argument.
fn arg(kind: JsonKind) -> (TokenStream, TokenStream) {
    match kind {
        JsonKind::String => (
            quote! { impl ::std::convert::Into<::std::string::String> },
            quote! { value.into() },
        ),
        JsonKind::Int => (quote! { i64 }, quote! { value }),
        JsonKind::StringOrInt => (
            quote! { impl ::std::convert::Into<::tencentcloud_runtime::StringOrInt> },
            quote! { value.into() },
        ),
        JsonKind::Float => (
            quote! { impl ::std::convert::Into<::tencentcloud_runtime::JsonFloat> },
            quote! { value.into() },
        ),
        JsonKind::Bool => (quote! { bool }, quote! { value }),
        JsonKind::Object => (
            quote! { impl ::std::convert::Into<::tencentcloud_runtime::JsonObject> },
            quote! { value.into() },
        ),
        JsonKind::Any => (
            quote! { impl ::std::convert::Into<::serde_json::Value> },
            quote! { value.into() },
        ),
        JsonKind::StringList => (
            quote! { impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::std::string::String>> },
            quote! { value.into_iter().map(::std::convert::Into::into).collect() },
        ),
        JsonKind::ObjectList => (
            quote! { impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::tencentcloud_runtime::JsonObject>> },
            quote! { value.into_iter().map(::std::convert::Into::into).collect() },
        ),
        JsonKind::AnyList => (
            quote! { impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::serde_json::Value>> },
            quote! { value.into_iter().map(::std::convert::Into::into).collect() },
        ),
    }
}

fn field_doc(f: &JsonFieldModel) -> String {
    let mut notes = Vec::new();
    if f.required {
        notes.push("**Required** (a constructor argument).".to_owned());
    }
    if let Some(d) = &f.default {
        notes.push(format!(
            "Documented default: {}.",
            code_span(&d.to_string())
        ));
    }
    match (f.min, f.max) {
        (Some(lo), Some(hi)) => notes.push(format!("Checked range: {lo} to {hi}.")),
        (Some(lo), None) => notes.push(format!("Checked minimum: {lo}.")),
        (None, Some(hi)) => notes.push(format!("Checked maximum: {hi}.")),
        (None, None) => {}
    }
    if !f.allowed.is_empty() {
        let list: Vec<String> = f
            .allowed
            .iter()
            .map(|v| code_span(&v.to_string()))
            .collect();
        notes.push(format!("One of {}.", list.join(", ")));
    }
    if !f.examples.is_empty() && !f.sensitive {
        let list: Vec<String> = f
            .examples
            .iter()
            .map(|v| match v {
                serde_json::Value::String(s) => code_span(s),
                other => code_span(&other.to_string()),
            })
            .collect();
        notes.push(format!("Examples: {}.", list.join(", ")));
    }
    if f.sensitive {
        notes.push("Sensitive: never shown by `Debug` or in errors.".to_owned());
    }
    notes.push(format!("Key: {}.", code_span(&f.wire)));
    paragraphs([f.description.clone(), notes.join(" ")])
}

fn provider_doc(t: &JsonTypeModel, v: &JsonVariantModel) -> String {
    let mut parts = vec![v.description.clone()];
    if let Some(d) = &t.discriminator {
        parts.push(format!(
            "{} is {}.",
            code_span(d),
            code_span(&format!("\"{}\"", v.value))
        ));
    }
    for p in &v.providers {
        let mut line = format!("- {}", p.title);
        if let Some(u) = &p.url {
            line.push_str(&format!(": {u}"));
        }
        if let Some(s) = &p.source {
            line.push_str(&format!(" (source: {s})"));
        }
        line.push_str(&format!(" (`{}::{}`)", t.rust, p.constructor));
        parts.push(line);
    }
    paragraphs(parts)
}

fn example_doc(example: &str) -> String {
    format!("Documented example:\n\n```json\n{example}\n```")
}

/// The proptest strategy of one variant's JSON object, as `Map`.
fn variant_object_strategy(t: &JsonTypeModel, v: &JsonVariantModel) -> TokenStream {
    let fields = v.fields.iter().map(|f| {
        let key = &f.wire;
        let value = value_strategy(f);
        if f.required {
            quote! { #value.prop_map(|v| ::std::option::Option::Some((#key, v))).boxed() }
        } else {
            quote! { ::proptest::option::of(#value.prop_map(|v| (#key, v))).boxed() }
        }
    });
    let disc = match &t.discriminator {
        Some(d) => {
            let value = &v.value;
            quote! { obj.insert(#d.to_owned(), ::serde_json::Value::from(#value)); }
        }
        None => quote! {},
    };
    quote! {
        {
            let fields: ::std::vec::Vec<BoxedStrategy<::std::option::Option<(&'static str, ::serde_json::Value)>>> = ::std::vec![#(#fields),*];
            (fields, ::proptest::collection::btree_map("x_[a-z]{1,6}", any::<::std::string::String>(), 0..2))
                .prop_map(|(kvs, extra)| {
                    let mut obj = ::serde_json::Map::new();
                    #disc
                    for (k, v) in kvs.into_iter().flatten() {
                        obj.insert(k.to_owned(), v);
                    }
                    for (k, v) in extra {
                        obj.insert(k, ::serde_json::Value::from(v));
                    }
                    obj
                })
        }
    }
}

fn value_strategy(f: &JsonFieldModel) -> TokenStream {
    let string = quote! { any::<::std::string::String>().prop_map(::serde_json::Value::from) };
    let object = quote! {
        ::proptest::collection::btree_map("[a-z]{1,6}", any::<::std::string::String>(), 0..3)
            .prop_map(|m| ::serde_json::Value::Object(m.into_iter().map(|(k, v)| (k, ::serde_json::Value::from(v))).collect()))
    };
    if !f.allowed.is_empty() {
        let values = f.allowed.iter().map(|v| match v {
            serde_json::Value::String(s) => quote! { ::serde_json::Value::from(#s) },
            serde_json::Value::Bool(b) => quote! { ::serde_json::Value::from(#b) },
            other => match other.as_i64() {
                Some(i) => quote! { ::serde_json::Value::from(#i) },
                None => {
                    let x = f64_lit(other.as_f64().unwrap_or(0.0));
                    quote! { ::serde_json::Value::from(#x) }
                }
            },
        });
        return quote! { ::proptest::sample::select(::std::vec![#(#values),*]) };
    }
    match f.kind {
        JsonKind::String => string,
        JsonKind::Int => {
            let lo = f.min.map(|v| v.ceil() as i64).unwrap_or(-1_000_000);
            let hi = f.max.map(|v| v.floor() as i64).unwrap_or(1_000_000);
            quote! { (#lo..=#hi).prop_map(::serde_json::Value::from) }
        }
        JsonKind::Float => {
            let lo = f
                .min
                .map(|v| (v * 1000.0).ceil() as i64)
                .unwrap_or(-1_000_000_000);
            let hi = f
                .max
                .map(|v| (v * 1000.0).floor() as i64)
                .unwrap_or(1_000_000_000);
            let ilo = f.min.map(|v| v.ceil() as i64).unwrap_or(-1_000_000);
            let ihi = f.max.map(|v| v.floor() as i64).unwrap_or(1_000_000);
            quote! {
                prop_oneof![
                    (#lo..=#hi).prop_map(|n| ::serde_json::Value::from(n as f64 / 1000.0)),
                    (#ilo..=#ihi).prop_map(::serde_json::Value::from),
                ]
            }
        }
        JsonKind::StringOrInt => quote! {
            prop_oneof![#string, any::<i64>().prop_map(::serde_json::Value::from)]
        },
        JsonKind::Bool => quote! { any::<bool>().prop_map(::serde_json::Value::from) },
        JsonKind::Object => object,
        JsonKind::Any => string,
        JsonKind::StringList => quote! {
            ::proptest::collection::vec(any::<::std::string::String>(), 0..3).prop_map(::serde_json::Value::from)
        },
        JsonKind::ObjectList => quote! {
            ::proptest::collection::vec(#object, 0..3).prop_map(::serde_json::Value::Array)
        },
        JsonKind::AnyList => quote! {
            ::proptest::collection::vec(#string, 0..3).prop_map(::serde_json::Value::Array)
        },
    }
}

/// `Result<T, JsonConfigError>`.
fn result(ok: TokenStream) -> TokenStream {
    quote! { ::std::result::Result<#ok, ::tencentcloud_runtime::JsonConfigError> }
}

/// The SCREAMING_SNAKE name of each variant's `const` lists in the file.
fn variant_consts(t: &JsonTypeModel) -> Vec<String> {
    t.variants
        .iter()
        .map(|v| crate::names::screaming(&v.variant))
        .collect()
}

/// `json/<type>.rs`: the schema, then the provider enum (or the open object),
/// each provider's struct, and (feature `proptest`) the strategy.
fn type_file(t: &JsonTypeModel) -> TokenStream {
    let file_doc = format!(" The `{}` JSON type.", t.wire);
    let schema = super::meta::schema(&t.schema, &variant_consts(t));
    let structs = t
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| variant_struct(t, v, i));
    let body = match &t.discriminator {
        Some(d) => providers(t, d),
        None => open_object(t),
    };
    // `K` names the kinds of keys: a type without keys has none.
    let kind = t
        .variants
        .iter()
        .any(|v| !v.fields.is_empty())
        .then(|| quote! { , Kind as K });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![doc = #file_doc]

        use ::tencentcloud_runtime::json_string::{self as js, Field as F #kind};

        #body
        #schema
        #(#structs)*
    }
}

/// One open object (no discriminator): its struct is the type.
fn open_object(t: &JsonTypeModel) -> TokenStream {
    let name = ident(&t.rust);
    let obj = variant_object_strategy(t, &t.variants[0]);
    quote! {
        impl ::std::default::Default for #name {
            fn default() -> Self {
                #name::new()
            }
        }

        impl ::tencentcloud_runtime::JsonConfig for #name {
            fn schema() -> &'static js::Schema<'static> {
                &SCHEMA
            }
            fn from_json(value: ::serde_json::Value) -> ::std::result::Result<Self, ::tencentcloud_runtime::JsonConfigError> {
                js::check(&SCHEMA, &value)?;
                ::std::result::Result::Ok(match value {
                    ::serde_json::Value::Object(obj) => #name::from_object(obj),
                    _ => #name::new(),
                })
            }
            fn to_json(&self) -> ::serde_json::Value {
                #name::to_json(self)
            }
            fn validate(&self) -> ::std::result::Result<(), ::tencentcloud_runtime::JsonConfigError> {
                #name::validate(self)
            }
        }

        impl #name {
            /// Parses the JSON text of the string member.
            pub fn from_json_str(text: &str) -> ::std::result::Result<Self, ::tencentcloud_runtime::JsonConfigError> {
                <Self as ::tencentcloud_runtime::JsonConfig>::from_json_str(text)
            }
        }

        #[cfg(feature = "proptest")]
        #[allow(unused_imports)]
        const _: () = {
            use ::proptest::prelude::*;
            use ::proptest::strategy::BoxedStrategy;
            impl #name {
                /// A proptest strategy for values of this type.
                pub fn arbitrary() -> BoxedStrategy<Self> {
                    #obj.prop_map(#name::from_object).boxed()
                }
            }
        };
    }
}

/// Providers told apart by discriminator `d`: the enum, its methods, its
/// `JsonConfig` impl, `From` each provider's struct, and its strategy.
fn providers(t: &JsonTypeModel, d: &str) -> TokenStream {
    let name = ident(&t.rust);
    let doc = doc_attrs(&paragraphs([
        t.description.clone(),
        format!(
            "One variant per provider `{d}` names; `Other` keeps any other provider's object as given and sends it as is. Build with the constructors (`{}::{}(...)`), parse with `from_json_str`.",
            t.rust,
            t.variants
                .first()
                .and_then(|v| v.providers.first())
                .map(|p| p.constructor.as_str())
                .unwrap_or("new")
        ),
    ]));
    let enum_variants = t.variants.iter().map(|v| {
        let var = ident(&v.variant);
        let s = ident(&v.rust);
        let doc = format!(" `{d}` `\"{}\"`: [`{}`].", v.value, v.rust);
        quote! {
            #[doc = #doc]
            #var(#s),
        }
    });
    let methods = provider_methods(t, d);
    let config = provider_config(t, d);
    let strategy = provider_strategy(t, d);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#enum_variants)*
            /// A provider this SDK does not know: the JSON object as given, with
            /// its discriminator, sent as is (an object naming a documented
            /// provider is checked like that provider). `Debug` hides the values
            /// of keys that look secret.
            Other(::tencentcloud_runtime::JsonObject),
        }

        #methods
        #config
        #strategy
    }
}

/// One constructor per documented provider page, on the enum.
fn constructors(t: &JsonTypeModel, d: &str) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for v in &t.variants {
        let s = ident(&v.rust);
        let required: Vec<&JsonFieldModel> = v.fields.iter().filter(|f| f.required).collect();
        for p in &v.providers {
            let c = ident(&p.constructor);
            let args = required.iter().map(|f| {
                let fname = ident(&f.field);
                let (ty, _) = arg(f.kind);
                quote! { #fname: #ty }
            });
            let pass = required.iter().map(|f| ident(&f.field));
            let mut parts = vec![format!("{} ({} `\"{}\"`).", p.title, code_span(d), v.value)];
            if let Some(u) = &p.url {
                parts.push(format!("Documented at {u}."));
            }
            if let Some(ex) = &p.example {
                parts.push(example_doc(ex));
            }
            let doc = doc_attrs(&paragraphs(parts));
            out.push(quote! {
                #doc
                pub fn #c(#(#args),*) -> #s {
                    #s::new(#(#pass),*)
                }
            });
        }
    }
    out
}

/// The enum's inherent methods: constructors, `other`, `provider`, parsing,
/// the checked text and `validate`.
fn provider_methods(t: &JsonTypeModel, d: &str) -> TokenStream {
    let name = ident(&t.rust);
    let constructors = constructors(t, d);
    let provider_arms = t.variants.iter().map(|v| {
        let var = ident(&v.variant);
        let value = &v.value;
        quote! { #name::#var(_) => #value, }
    });
    let validate_arms = t.variants.iter().map(|v| {
        let var = ident(&v.variant);
        quote! { #name::#var(v) => v.validate(), }
    });
    let (text, unit) = (
        result(quote! { ::std::string::String }),
        result(quote! { () }),
    );
    quote! {
        impl #name {
            #(#constructors)*

            /// Any JSON object: a provider this SDK does not know. It must name
            /// its provider with the discriminator key; an object naming a
            /// documented provider is checked like that provider's variant.
            pub fn other(object: impl ::std::convert::Into<::tencentcloud_runtime::JsonObject>) -> Self {
                #name::Other(object.into())
            }

            /// The provider: the discriminator's value.
            pub fn provider(&self) -> &str {
                match self {
                    #(#provider_arms)*
                    #name::Other(o) => o.get(#d).and_then(::serde_json::Value::as_str).unwrap_or(""),
                }
            }

            /// Parses the JSON text of the string member.
            pub fn from_json_str(text: &str) -> ::std::result::Result<Self, ::tencentcloud_runtime::JsonConfigError> {
                <Self as ::tencentcloud_runtime::JsonConfig>::from_json_str(text)
            }

            /// The JSON text sent in the string member, checked.
            pub fn to_json_string(&self) -> #text {
                <Self as ::tencentcloud_runtime::JsonConfig>::to_json_string(self)
            }

            /// Checks the value against the documented facts, as sending does.
            pub fn validate(&self) -> #unit {
                match self {
                    #(#validate_arms)*
                    #name::Other(o) => js::check(&SCHEMA, &::serde_json::Value::Object(o.0.clone())),
                }
            }
        }
    }
}

/// The enum's `JsonConfig` impl and `From` each provider's struct.
fn provider_config(t: &JsonTypeModel, d: &str) -> TokenStream {
    let name = ident(&t.rust);
    let from_arms = t.variants.iter().map(|v| {
        let var = ident(&v.variant);
        let s = ident(&v.rust);
        let value = &v.value;
        quote! { ::std::option::Option::Some(#value) => #name::#var(#s::from_object(obj)), }
    });
    let to_arms = t.variants.iter().map(|v| {
        let var = ident(&v.variant);
        quote! { #name::#var(v) => v.to_json(), }
    });
    let froms = t.variants.iter().map(|v| {
        let var = ident(&v.variant);
        let s = ident(&v.rust);
        quote! {
            impl ::std::convert::From<#s> for #name {
                fn from(value: #s) -> Self {
                    #name::#var(value)
                }
            }
        }
    });
    quote! {
        impl ::tencentcloud_runtime::JsonConfig for #name {
            fn schema() -> &'static js::Schema<'static> {
                &SCHEMA
            }
            fn from_json(value: ::serde_json::Value) -> ::std::result::Result<Self, ::tencentcloud_runtime::JsonConfigError> {
                js::check(&SCHEMA, &value)?;
                let obj = match value {
                    ::serde_json::Value::Object(obj) => obj,
                    _ => ::serde_json::Map::new(),
                };
                let provider = obj.get(#d).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                ::std::result::Result::Ok(match provider.as_deref() {
                    #(#from_arms)*
                    _ => #name::Other(::tencentcloud_runtime::JsonObject(obj)),
                })
            }
            fn to_json(&self) -> ::serde_json::Value {
                match self {
                    #(#to_arms)*
                    #name::Other(o) => ::serde_json::Value::Object(o.0.clone()),
                }
            }
            fn validate(&self) -> ::std::result::Result<(), ::tencentcloud_runtime::JsonConfigError> {
                #name::validate(self)
            }
        }

        #(#froms)*
    }
}

/// The enum's proptest strategy: every documented provider and unknown ones.
fn provider_strategy(t: &JsonTypeModel, d: &str) -> TokenStream {
    let name = ident(&t.rust);
    let variant_strategies = t.variants.iter().map(|v| {
        let var = ident(&v.variant);
        let s = ident(&v.rust);
        let obj = variant_object_strategy(t, v);
        quote! { #obj.prop_map(|o| #name::#var(#s::from_object(o))).boxed() }
    });
    quote! {
        #[cfg(feature = "proptest")]
        #[allow(unused_imports)]
        const _: () = {
            use ::proptest::prelude::*;
            use ::proptest::strategy::BoxedStrategy;
            impl #name {
                /// A proptest strategy: every documented provider (keys in their
                /// documented ranges, any text in strings, extra keys) and unknown
                /// providers.
                pub fn arbitrary() -> BoxedStrategy<Self> {
                    let other = (
                        "zz_[a-z]{1,8}",
                        ::proptest::collection::btree_map("[A-Z][a-z]{1,6}", any::<::std::string::String>(), 0..3),
                    )
                        .prop_map(|(p, m)| {
                            let mut obj: ::serde_json::Map<::std::string::String, ::serde_json::Value> =
                                m.into_iter().map(|(k, v)| (k, ::serde_json::Value::from(v))).collect();
                            obj.insert(#d.to_owned(), ::serde_json::Value::from(p));
                            #name::Other(::tencentcloud_runtime::JsonObject(obj))
                        })
                        .boxed();
                    let all: ::std::vec::Vec<BoxedStrategy<Self>> = ::std::vec![#(#variant_strategies,)* other];
                    ::proptest::strategy::Union::new(all).boxed()
                }
            }
        };
    }
}

/// The struct of one provider (or of an open object), the `index`th variant
/// of the schema: its definition, construction, JSON and `Debug`.
fn variant_struct(t: &JsonTypeModel, v: &JsonVariantModel, index: usize) -> TokenStream {
    let name = ident(&v.rust);
    let type_name = ident(&t.rust);
    let definition = struct_definition(t, v);
    let construction = struct_construction(v);
    let json = struct_json(t, v, index);
    let debug = struct_debug(v);
    // An open object is its own type: the runtime's `From<T>` covers it.
    let into_member = t.discriminator.is_some().then(|| {
        quote! {
            impl ::std::convert::From<#name> for ::tencentcloud_runtime::JsonString<#type_name> {
                fn from(value: #name) -> Self {
                    ::tencentcloud_runtime::JsonString::new(value.into())
                }
            }
        }
    });
    quote! {
        #definition
        impl #name {
            #construction
            #json
        }
        #debug
        #into_member
    }
}

fn struct_definition(t: &JsonTypeModel, v: &JsonVariantModel) -> TokenStream {
    let name = ident(&v.rust);
    let doc = doc_attrs(&paragraphs(
        [provider_doc(t, v)].into_iter().chain(
            v.providers
                .iter()
                .filter_map(|p| p.example.as_deref())
                .take(1)
                .map(example_doc),
        ),
    ));
    let fields = v.fields.iter().map(|f| {
        let fname = ident(&f.field);
        let ty = rust_type(f.kind);
        let ty = if f.required {
            ty
        } else {
            quote! { ::std::option::Option<#ty> }
        };
        let fdoc = doc_attrs(&field_doc(f));
        quote! { #fdoc pub #fname: #ty, }
    });
    quote! {
        #doc
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Keys no page documents, sent as given after the documented ones
            /// (set with [`extra`](Self::extra)). `Debug` hides the values of keys
            /// that look secret.
            pub extra: ::tencentcloud_runtime::JsonObject,
        }
    }
}

/// `new` (the required keys), a setter per key, and `extra`.
fn struct_construction(v: &JsonVariantModel) -> TokenStream {
    let name = ident(&v.rust);
    let required: Vec<&JsonFieldModel> = v.fields.iter().filter(|f| f.required).collect();
    let new_args = required.iter().map(|f| {
        let fname = ident(&f.field);
        let (ty, _) = arg(f.kind);
        quote! { #fname: #ty }
    });
    let new_inits = v.fields.iter().map(|f| {
        let fname = ident(&f.field);
        if f.required {
            let (_, conv) = arg(f.kind);
            quote! { #fname: { let value = #fname; #conv }, }
        } else {
            quote! { #fname: ::std::option::Option::None, }
        }
    });
    let new_doc = if required.is_empty() {
        "An empty value: set documented keys with the setters, others with `extra`.".to_owned()
    } else {
        let names: Vec<String> = required.iter().map(|f| code_span(&f.wire)).collect();
        format!(
            "A value with the required keys {}; set the others with the setters.",
            names.join(", ")
        )
    };
    let setters = v.fields.iter().map(|f| {
        let fname = ident(&f.field);
        let (ty, conv) = arg(f.kind);
        let doc = format!("Sets {}.", code_span(&f.wire));
        let store = if f.required {
            quote! { self.#fname = #conv; }
        } else {
            quote! { self.#fname = ::std::option::Option::Some(#conv); }
        };
        quote! {
            #[doc = #doc]
            pub fn #fname(mut self, value: #ty) -> Self {
                #store
                self
            }
        }
    });
    quote! {
        #[doc = #new_doc]
        pub fn new(#(#new_args),*) -> Self {
            #name {
                #(#new_inits)*
                extra: ::tencentcloud_runtime::JsonObject::new(),
            }
        }

        #(#setters)*

        /// Adds a key no page documents (or replaces it). A documented key
        /// (or one differing from it only by case) is refused by
        /// [`validate`](Self::validate): use its setter.
        pub fn extra(mut self, key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<::serde_json::Value>) -> Self {
            self.extra.insert(key.into(), value.into());
            self
        }
    }
}

/// `validate` and the checked text (the runtime's `validate_variant` over
/// the schema), `to_json` and `from_object`.
fn struct_json(t: &JsonTypeModel, v: &JsonVariantModel, index: usize) -> TokenStream {
    let name = ident(&v.rust);
    let disc_put = t.discriminator.as_ref().map(|d| {
        let value = &v.value;
        quote! { obj.insert(#d.to_owned(), ::serde_json::Value::from(#value)); }
    });
    let disc_remove = t.discriminator.as_ref().map(|d| quote! { obj.remove(#d); });
    let puts = v.fields.iter().map(|f| {
        let fname = ident(&f.field);
        let key = &f.wire;
        if f.required {
            quote! { js::put(&mut obj, #key, &self.#fname); }
        } else {
            quote! {
                if let ::std::option::Option::Some(v) = &self.#fname {
                    js::put(&mut obj, #key, v);
                }
            }
        }
    });
    let takes = v.fields.iter().map(|f| {
        let fname = ident(&f.field);
        let key = &f.wire;
        if f.required {
            quote! { #fname: js::take_required(&mut obj, #key), }
        } else {
            quote! { #fname: js::take(&mut obj, #key), }
        }
    });
    let (text, unit) = (
        result(quote! { ::std::string::String }),
        result(quote! { () }),
    );
    let index = Literal::usize_unsuffixed(index);
    quote! {
        /// Checks the value against the documented facts, as sending does.
        pub fn validate(&self) -> #unit {
            js::validate_variant(&SCHEMA, #index, &self.extra, &self.to_json())
        }

        /// The JSON text sent in the string member, checked.
        pub fn to_json_string(&self) -> #text {
            self.validate().map(|()| self.to_json().to_string())
        }

        /// The JSON object (discriminator, documented keys, then extra keys).
        pub fn to_json(&self) -> ::serde_json::Value {
            let mut obj = ::serde_json::Map::new();
            #disc_put
            #(#puts)*
            for (k, v) in self.extra.iter() {
                obj.entry(k.clone()).or_insert_with(|| v.clone());
            }
            ::serde_json::Value::Object(obj)
        }

        /// From an object that passed the checks.
        #[allow(unused_mut)]
        pub(crate) fn from_object(mut obj: ::serde_json::Map<::std::string::String, ::serde_json::Value>) -> Self {
            #disc_remove
            #name {
                #(#takes)*
                extra: ::tencentcloud_runtime::JsonObject(obj),
            }
        }
    }
}

/// `Debug` with sensitive keys redacted.
fn struct_debug(v: &JsonVariantModel) -> TokenStream {
    let name = ident(&v.rust);
    let label = &v.rust;
    let debug_fields = v.fields.iter().map(|f| {
        let fname = ident(&f.field);
        let field = &f.field;
        if f.sensitive {
            quote! { d.field(#field, &"** redacted **"); }
        } else {
            quote! { d.field(#field, &self.#fname); }
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut d = f.debug_struct(#label);
                #(#debug_fields)*
                d.field("extra", &self.extra);
                d.finish()
            }
        }
    }
}
