//! The model crate: a struct or enum per shape, serde both ways, builders.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{
    code_span, deprecated_attr, doc_attrs, elem_type, ident, inner_doc_attrs, int_lit, paragraphs,
};
use crate::model::{
    EnumBase, EnumModel, MemberModel, ServiceModel, ShapeBody, ShapeModel, StructModel, TypeRef,
};

/// The files of the model crate's `src/`: `lib.rs`, `types/mod.rs`, one
/// `types/<shape>.rs` per shape (its type and builder, then its serde impls
/// and proptest strategy).
pub fn files(m: &ServiceModel) -> Vec<(String, TokenStream)> {
    let krate = quote! { crate };
    let mut out = vec![
        ("lib.rs".to_owned(), lib(m)),
        ("types/mod.rs".to_owned(), types_mod(m)),
    ];
    if let Some(c) = &m.callbacks {
        out.push(("callbacks.rs".to_owned(), super::callbacks::file(m, c)));
    }
    out.extend(super::json_types::files(m));
    for s in &m.shapes {
        let body = match &s.body {
            ShapeBody::Struct(st) => {
                // The API first (the type, its builder), then the wire format
                // and the proptest strategy.
                let ty = structure(m, s, st, &krate);
                let b = builder(m, s, st, &krate);
                let serde = serde_impls(s, st, &krate);
                let strategy = super::arbitrary::structure(m, st, &krate);
                quote! { #ty #b #serde #strategy }
            }
            ShapeBody::Enum(e) => {
                let ty = enumeration(s, e);
                let strategy = super::arbitrary::enumeration(e);
                quote! { #ty #strategy }
            }
        };
        let doc = format!(" The `{}` shape.", s.wire);
        out.push((
            format!("types/{}.rs", s.module),
            quote! {
                #![cfg_attr(rustfmt, rustfmt::skip)]
                #![doc = #doc]
                #body
            },
        ));
    }
    out
}

fn types_mod(m: &ServiceModel) -> TokenStream {
    let items = m.shapes.iter().map(|s| {
        let module = ident(&s.module);
        let name = ident(s.rust());
        quote! {
            pub(crate) mod #module;
            pub use #module::#name;
        }
    });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! One module per shape; every type is re-exported at the crate root.
        #(#items)*
    }
}

/// `src/lib.rs` of the model crate.
fn lib(m: &ServiceModel) -> TokenStream {
    let crate_doc = inner_doc_attrs(&paragraphs([
        format!(
            "Data types of {} ({}) API version {}: one type per shape of the spec, with \
             serde in both directions and builders.",
            m.title, m.name, m.version
        ),
        "Structures keep exact wire names through explicit serde renames; optional \
         members are `Option` and omitted when `None`; members the service adds later are \
         ignored when parsing. Enums keep values they do not know in an `Unknown` variant.\n\n\
         Build values with `Type::builder()`: a missing required member is a \
         [`BuildError`] naming it. With the `proptest` feature, \
         `Type::arbitrary_with_depth` gives a strategy for every type."
            .to_owned(),
    ]));
    let builders = m.shapes.iter().filter_map(|s| match &s.body {
        ShapeBody::Struct(st) => {
            let module = ident(&s.module);
            let builder = format_ident!("{}Builder", st.rust);
            Some(quote! { pub use crate::types::#module::#builder; })
        }
        ShapeBody::Enum(_) => None,
    });
    let shape_names = m.shapes.iter().filter_map(|s| match &s.body {
        ShapeBody::Struct(st) => {
            let name = ident(&st.rust);
            let wire = &s.wire;
            Some(quote! { $m!($crate::#name, #wire); })
        }
        ShapeBody::Enum(_) => None,
    });
    let enum_names = m.shapes.iter().filter_map(|s| match &s.body {
        ShapeBody::Enum(e) => {
            let name = ident(&e.rust);
            let wire = &s.wire;
            Some(quote! { $m!($crate::#name, #wire); })
        }
        ShapeBody::Struct(_) => None,
    });
    let callbacks = m.callbacks.as_ref().map(|_| {
        quote! {
            pub mod callbacks;
        }
    });
    let json = super::json_types::lib_item(m);
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #crate_doc
        #![allow(deprecated, non_camel_case_types, clippy::all)]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #![warn(clippy::incompatible_msrv)]
        #![cfg_attr(docsrs, feature(doc_cfg))]

        pub use ::tencentcloud_runtime::BuildError;

        mod types;
        pub use types::*;

        #callbacks
        #json

        /// Builders for every structure, returned by `Type::builder()`.
        pub mod builders {
            #(#builders)*
        }

        /// Calls `$m!(path::to::Type, "WireName")` for every structure, for generic tests.
        #[macro_export]
        macro_rules! for_each_structure {
            ($m:ident) => { #(#shape_names)* };
        }

        /// Calls `$m!(path::to::Type, "WireName")` for every enum, for generic tests.
        #[macro_export]
        macro_rules! for_each_enum {
            ($m:ident) => { #(#enum_names)* };
        }
    }
}

/// The Rust type of a member field.
pub fn field_type(m: &ServiceModel, mm: &MemberModel, krate: &TokenStream) -> TokenStream {
    let elem = elem_type(m, mm.ty, krate);
    let inner = if mm.list {
        quote! { ::std::vec::Vec<#elem> }
    } else if mm.boxed {
        quote! { ::std::boxed::Box<#elem> }
    } else {
        elem
    };
    if mm.is_optional() {
        quote! { ::std::option::Option<#inner> }
    } else {
        inner
    }
}

/// The doc text of a member.
pub fn member_doc(m: &ServiceModel, mm: &MemberModel) -> String {
    let mut notes = Vec::new();
    if mm.required && !mm.nullable {
        notes.push("**Required.**".to_owned());
    } else if mm.required {
        notes.push("Always present; may be `null`.".to_owned());
    }
    if let TypeRef::Prim(p) = mm.ty {
        if let Some(n) = p.format_note() {
            notes.push(n.to_owned());
        }
    }
    if let TypeRef::Json(j) = mm.ty {
        notes.push(super::json_types::member_note(m, j));
    }
    if mm.sensitive {
        notes.push("Sensitive: never shown by `Debug`.".to_owned());
    }
    if let Some(ex) = mm.example.as_deref().filter(|e| !e.trim().is_empty()) {
        notes.push(format!("Example: {}.", code_span(ex)));
    }
    let mut wire = format!("Wire name: {}.", code_span(&mm.wire));
    if let Some(from) = &mm.renamed_from {
        wire.push_str(&format!(
            " Named `{}` because another member already maps to `{from}`.",
            mm.field
        ));
    }
    notes.push(wire);
    let _ = m;
    paragraphs([
        mm.description.clone(),
        limits_doc(&mm.limits),
        notes.join(" "),
    ])
}

/// The documented limits, one per line: `**Range:** 1 to 60`,
/// `**Length:** at most 64 bytes`, `` **Characters:** `only [0-9a-z]` ``.
pub fn limits_doc(limits: &[crate::limits::Limit]) -> String {
    limits
        .iter()
        .map(|l| {
            let text = l.describe();
            let text = match l.kind {
                crate::limits::LimitKind::Pattern | crate::limits::LimitKind::Values => {
                    code_span(&text)
                }
                _ => text,
            };
            format!("**{}:** {text}", l.kind.title())
        })
        .collect::<Vec<_>>()
        .join("\\\n")
}

fn structure(
    m: &ServiceModel,
    s: &ShapeModel,
    st: &StructModel,
    krate: &TokenStream,
) -> TokenStream {
    let name = ident(&st.rust);
    let builder = format_ident!("{}Builder", st.rust);
    let doc = doc_attrs(&paragraphs([
        s.description.clone(),
        format!("Wire name: {}.", code_span(&s.wire)),
    ]));
    let sensitive = st.members.iter().any(|mm| mm.sensitive);
    let derive_debug = if sensitive {
        quote! {}
    } else {
        quote! { Debug, }
    };
    let dep = deprecated_attr(s.deprecated);
    let fields = st.members.iter().map(|mm| {
        let f = ident(&mm.field);
        let ty = field_type(m, mm, krate);
        let wire = &mm.wire;
        let doc = doc_attrs(&member_doc(m, mm));
        let dep = deprecated_attr(mm.deprecated);
        let _ = wire;
        quote! {
            #doc
            #dep
            pub #f: #ty,
        }
    });
    let debug_impl = if sensitive {
        let entries = st.members.iter().map(|mm| {
            let f = ident(&mm.field);
            let label = &mm.field;
            if mm.sensitive {
                quote! { .field(#label, &"** redacted **") }
            } else {
                quote! { .field(#label, &self.#f) }
            }
        });
        let label = &st.rust;
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#label) #(#entries)* .finish()
                }
            }
        }
    } else {
        quote! {}
    };
    let builder_doc = format!(" A builder for [`{}`].", st.rust);
    quote! {
        #doc
        #[derive(Clone, #derive_debug PartialEq)]
        #[non_exhaustive]
        #dep
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #builder_doc]
            pub fn builder() -> #krate::builders::#builder {
                ::std::default::Default::default()
            }
        }

        #debug_impl
    }
}

/// `Serialize` and `Deserialize` for a structure, written out instead of
/// derived: serde's derive also emits a sequence visitor, a field enum and its
/// visitor per structure, which made up half of the model crate's compile
/// time. Each member is one line calling the runtime's `__private::{ser, de}`
/// helpers. Members keep their exact wire names; optional members are omitted
/// when `None` and may be absent or `null`; unknown members are skipped;
/// a required member missing or any member given twice is an error naming it.
fn serde_impls(s: &ShapeModel, st: &StructModel, krate: &TokenStream) -> TokenStream {
    let name = ident(&st.rust);
    let wire_name = &s.wire;
    let required = st.members.iter().filter(|mm| !mm.is_optional()).count();
    let present = st.members.iter().filter(|mm| mm.is_optional()).map(|mm| {
        let f = ident(&mm.field);
        quote! { self.#f.is_some() }
    });
    let serialize_fields = st.members.iter().map(|mm| {
        let f = ident(&mm.field);
        let wire = &mm.wire;
        if mm.is_optional() {
            quote! { ser::optional(&mut state, #wire, &self.#f)?; }
        } else {
            quote! { ser::member(&mut state, #wire, &self.#f)?; }
        }
    });
    let locals: Vec<_> = (0..st.members.len())
        .map(|i| format_ident!("m{}", i))
        .collect();
    let declare = locals
        .iter()
        .map(|v| quote! { let mut #v = de::Slot::new(); });
    let arms = st.members.iter().zip(&locals).map(|(mm, v)| {
        let wire = &mm.wire;
        if mm.is_optional() {
            quote! { #wire => #v.read_optional(&mut map, #wire)?, }
        } else {
            quote! { #wire => #v.read(&mut map, #wire)?, }
        }
    });
    let build = st.members.iter().zip(&locals).map(|(mm, v)| {
        let f = ident(&mm.field);
        let wire = &mm.wire;
        if mm.is_optional() {
            quote! { #f: #v.optional(), }
        } else {
            quote! { #f: #v.required(#wire)?, }
        }
    });
    let expecting = format!("a `{}` object", s.wire);
    let optional = st.members.iter().any(|mm| mm.is_optional());
    let len = if optional {
        quote! { #required + ser::present(&[#(#present),*]) }
    } else {
        quote! { #required }
    };
    let (state, use_ser) = if st.members.is_empty() {
        (quote! { state }, quote! {})
    } else {
        (
            quote! { mut state },
            quote! { use ::tencentcloud_runtime::__private::ser; },
        )
    };
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #use_ser
                let #state = serializer.serialize_struct(#wire_name, #len)?;
                #(#serialize_fields)*
                ::serde::ser::SerializeStruct::end(state)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Members;
                impl<'de> ::serde::de::Visitor<'de> for Members {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                        use ::tencentcloud_runtime::__private::{de, Key};
                        #(#declare)*
                        while let ::std::option::Option::Some(key) = map.next_key::<Key<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                _ => de::skip(&mut map)?,
                            }
                        }
                        ::std::result::Result::Ok(#krate::#name { #(#build)* })
                    }
                }
                deserializer.deserialize_map(Members)
            }
        }
    }
}

fn builder(m: &ServiceModel, s: &ShapeModel, st: &StructModel, krate: &TokenStream) -> TokenStream {
    let name = ident(&st.rust);
    let builder = format_ident!("{}Builder", st.rust);
    let required: Vec<String> = st
        .members
        .iter()
        .filter(|mm| !mm.is_optional())
        .map(|mm| format!("`{}`", mm.wire))
        .collect();
    let doc = format!(
        " Builds a [`{krate_name}::{ty}`]{}.",
        if required.is_empty() {
            String::new()
        } else {
            format!("; required: {}", required.join(", "))
        },
        krate_name = "crate",
        ty = st.rust
    );
    let sensitive = st.members.iter().any(|mm| mm.sensitive);
    let fields = st.members.iter().map(|mm| {
        let f = ident(&mm.field);
        let elem = elem_type(m, mm.ty, krate);
        let dep = deprecated_attr(mm.deprecated);
        if mm.list {
            quote! { #dep #f: ::std::option::Option<::std::vec::Vec<#elem>>, }
        } else {
            quote! { #dep #f: ::std::option::Option<#elem>, }
        }
    });
    let setters = st.members.iter().map(|mm| setter(m, mm, krate));
    let wire_shape = &s.wire;
    let build_fields = st.members.iter().map(|mm| {
        let f = ident(&mm.field);
        let wire = &mm.wire;
        let value = if mm.is_optional() {
            if mm.boxed {
                quote! { self.#f.map(::std::boxed::Box::new) }
            } else {
                quote! { self.#f }
            }
        } else {
            let take = quote! { self.#f.ok_or(#krate::BuildError::missing(#wire_shape, #wire))? };
            if mm.boxed {
                quote! { ::std::boxed::Box::new(#take) }
            } else {
                take
            }
        };
        quote! { #f: #value, }
    });
    let derive_debug = if sensitive {
        let entries = st.members.iter().map(|mm| {
            let f = ident(&mm.field);
            let label = &mm.field;
            if mm.sensitive {
                quote! { .field(#label, &self.#f.as_ref().map(|_| "** redacted **")) }
            } else {
                quote! { .field(#label, &self.#f) }
            }
        });
        let label = format!("{}Builder", st.rust);
        quote! {
            impl ::std::fmt::Debug for #builder {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#label) #(#entries)* .finish()
                }
            }
        }
    } else {
        quote! {}
    };
    let derives = if sensitive {
        quote! { #[derive(Clone, Default, PartialEq)] }
    } else {
        quote! { #[derive(Clone, Debug, Default, PartialEq)] }
    };
    let build_doc = format!(
        " Builds the [`{0}`](crate::{0}); fails naming the first required member that is not set.",
        st.rust
    );
    let build_body = if st.members.is_empty() {
        quote! { let _ = self; ::std::result::Result::Ok(#krate::#name {}) }
    } else {
        quote! { ::std::result::Result::Ok(#krate::#name { #(#build_fields)* }) }
    };
    quote! {
        #[doc = #doc]
        #derives
        pub struct #builder {
            #(#fields)*
        }

        impl #builder {
            #(#setters)*

            #[doc = #build_doc]
            pub fn build(self) -> ::std::result::Result<#krate::#name, #krate::BuildError> {
                #build_body
            }
        }

        #derive_debug
    }
}

/// The two setters of a member (shared with the client crate's fluent builders).
pub fn setter(m: &ServiceModel, mm: &MemberModel, krate: &TokenStream) -> TokenStream {
    let f = ident(&mm.field);
    let set = ident(&mm.setter);
    let set_opt = ident(&mm.set_setter);
    let elem = elem_type(m, mm.ty, krate);
    let doc = doc_attrs(&member_doc(m, mm));
    let dep = deprecated_attr(mm.deprecated);
    let (arg_ty, conv) = match super::setter_arg(m, mm.ty, krate) {
        Some(arg) => (arg, quote! { value.into() }),
        None => (elem.clone(), quote! { value }),
    };
    let set_doc = format!(" Sets or clears `{}` (wire name `{}`).", mm.field, mm.wire);
    if mm.list {
        let append_doc = format!(
            " Appends one item to `{}`; call repeatedly to add more.",
            mm.field
        );
        quote! {
            #doc
            #[doc = ""]
            #[doc = #append_doc]
            #dep
            pub fn #set(mut self, value: #arg_ty) -> Self {
                self.#f.get_or_insert_with(::std::vec::Vec::new).push(#conv);
                self
            }

            #[doc = #set_doc]
            #dep
            pub fn #set_opt(mut self, value: ::std::option::Option<::std::vec::Vec<#elem>>) -> Self {
                self.#f = value;
                self
            }
        }
    } else {
        quote! {
            #doc
            #dep
            pub fn #set(mut self, value: #arg_ty) -> Self {
                self.#f = ::std::option::Option::Some(#conv);
                self
            }

            #[doc = #set_doc]
            #dep
            pub fn #set_opt(mut self, value: ::std::option::Option<#elem>) -> Self {
                self.#f = value;
                self
            }
        }
    }
}

fn enumeration(s: &ShapeModel, e: &EnumModel) -> TokenStream {
    let name = ident(&e.rust);
    let dep = deprecated_attr(s.deprecated);
    let doc = doc_attrs(&paragraphs([
        s.description.clone(),
        format!("Wire name: {}.", code_span(&s.wire)),
        format!(
            "Forward compatible: a value this crate does not know arrives as \
             `{0}::Unknown` and is sent back unchanged. Match with a wildcard arm \
             (`_ => ...`) so new documented values do not break your code; \
             `{0}::from` turns a raw value into the matching variant.",
            e.rust
        ),
    ]));
    let variants: Vec<_> = e.values.iter().map(|v| ident(&v.variant)).collect();
    let variant_docs = e.values.iter().map(|v| {
        let value = match &v.value {
            serde_json::Value::String(s) => format!("`{s:?}`"),
            other => format!("`{other}`"),
        };
        let text = if v.description.trim().is_empty() {
            format!("Wire value {value}.")
        } else {
            format!(
                "{} (wire value {value}).",
                v.description.trim_end_matches('.')
            )
        };
        doc_attrs(&text)
    });
    let parts = EnumParts {
        name,
        dep,
        doc,
        variants,
        variant_docs: variant_docs.collect(),
    };
    match e.base {
        EnumBase::String => string_enum(e, parts),
        EnumBase::Int64 | EnumBase::Uint64 => int_enum(e, parts),
    }
}

/// An enum's equality, hash, display and serde, all by its wire value
/// (`self.#wire()`, serialized with `Serializer::#ser`, read as `#de`).
fn by_wire_value(
    name: &proc_macro2::Ident,
    wire: TokenStream,
    ser: TokenStream,
    de: TokenStream,
) -> TokenStream {
    quote! {
        impl ::std::cmp::PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                self.#wire() == other.#wire()
            }
        }

        impl ::std::cmp::Eq for #name {}

        impl ::std::hash::Hash for #name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.#wire().hash(state)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.#wire(), f)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.#ser(self.#wire())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                <#de as ::serde::Deserialize>::deserialize(d).map(Self::from)
            }
        }
    }
}

/// What both kinds of enum print the same way.
struct EnumParts {
    name: proc_macro2::Ident,
    dep: TokenStream,
    doc: TokenStream,
    variants: Vec<proc_macro2::Ident>,
    variant_docs: Vec<TokenStream>,
}

/// A string enum: `Unknown(String)`, `as_str`, `From<&str>`, serde as a string.
fn string_enum(e: &EnumModel, parts: EnumParts) -> TokenStream {
    let EnumParts {
        name,
        dep,
        doc,
        variants,
        variant_docs,
    } = parts;
    let lits: Vec<String> = e
        .values
        .iter()
        .map(|v| v.value.as_str().unwrap_or_default().to_owned())
        .collect();
    let by_value = by_wire_value(
        &name,
        quote! { as_str },
        quote! { serialize_str },
        quote! { ::std::string::String },
    );
    quote! {
        #doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        #dep
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value not documented when this crate was generated.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The documented values.
            pub const KNOWN: &'static [&'static str] = &[#(#lits),*];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #lits, )*
                    Self::Unknown(v) => v.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(v: &str) -> Self {
                match v {
                    #( #lits => Self::#variants, )*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(v: ::std::string::String) -> Self {
                match v.as_str() {
                    #( #lits => Self::#variants, )*
                    _ => Self::Unknown(v),
                }
            }
        }

        #by_value
    }
}

/// An integer enum: `Unknown(i64/u64)`, `value`, `From<int>`, serde as a number.
fn int_enum(e: &EnumModel, parts: EnumParts) -> TokenStream {
    let EnumParts {
        name,
        dep,
        doc,
        variants,
        variant_docs,
    } = parts;
    let (ty, ser) = if e.base == EnumBase::Int64 {
        (quote! { i64 }, quote! { serialize_i64 })
    } else {
        (quote! { u64 }, quote! { serialize_u64 })
    };
    let lits: Vec<TokenStream> = e.values.iter().map(|v| int_lit(&v.value)).collect();
    let by_value = by_wire_value(&name, quote! { value }, ser, ty.clone());
    quote! {
        #doc
        #[derive(Clone, Copy, Debug)]
        #[non_exhaustive]
        #dep
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value not documented when this crate was generated.
            Unknown(#ty),
        }

        impl #name {
            /// The documented values.
            pub const KNOWN: &'static [#ty] = &[#(#lits),*];

            /// The wire value.
            pub fn value(self) -> #ty {
                match self {
                    #( Self::#variants => #lits, )*
                    Self::Unknown(v) => v,
                }
            }
        }

        impl ::std::convert::From<#ty> for #name {
            fn from(v: #ty) -> Self {
                match v {
                    #( #lits => Self::#variants, )*
                    other => Self::Unknown(other),
                }
            }
        }

        #by_value
    }
}
