//! The runtime's metadata as tokens: each function writes one value that
//! `tencentcloud_spec::meta` built from the spec (the same functions the
//! command line and the local endpoint call at run time) as a constant
//! expression with borrowed texts. Every struct is destructured whole, so a
//! field added to a runtime type does not compile until it is written here.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use tencentcloud_runtime::json_string::{Field, Kind, Schema, Variant};
use tencentcloud_runtime::limits::LimitTable;
use tencentcloud_runtime::meta::{
    ActionMeta, NotFound, RateLimit, ServiceMeta, StreamMeta, Text, WaiterMeta,
};

use super::{ident, opt_text, text};

fn texts(v: &[Text]) -> TokenStream {
    let items = v.iter().map(|s| text(s));
    quote! { ::std::borrow::Cow::Borrowed(&[#(#items),*]) }
}

fn option<T>(v: Option<T>, some: impl FnOnce(T) -> TokenStream) -> TokenStream {
    match v {
        Some(v) => {
            let inner = some(v);
            quote! { ::std::option::Option::Some(#inner) }
        }
        None => quote! { ::std::option::Option::None },
    }
}

/// A `ServiceMeta` expression.
pub fn service(m: &ServiceMeta) -> TokenStream {
    let ServiceMeta {
        name,
        version,
        endpoint,
        international_endpoint,
    } = m;
    let (name, version, endpoint) = (text(name), text(version), text(endpoint));
    let intl = opt_text(international_endpoint.as_deref());
    quote! {
        ::tencentcloud_runtime::ServiceMeta {
            name: #name,
            version: #version,
            endpoint: #endpoint,
            international_endpoint: #intl,
        }
    }
}

fn rate_limit(r: &RateLimit) -> TokenStream {
    let RateLimit {
        requests,
        per_seconds,
    } = *r;
    quote! { ::tencentcloud_runtime::RateLimit::every(#requests, #per_seconds) }
}

fn stream(s: &StreamMeta) -> TokenStream {
    let StreamMeta {
        kind_member,
        error_kind,
        end_member,
    } = s;
    let kind = opt_text(kind_member.as_deref());
    let error_kind = opt_text(error_kind.as_deref());
    let end = opt_text(end_member.as_deref());
    quote! {
        ::tencentcloud_runtime::StreamMeta {
            kind_member: #kind,
            error_kind: #error_kind,
            end_member: #end,
        }
    }
}

/// An `ActionMeta` expression.
pub fn action(m: &ActionMeta) -> TokenStream {
    let ActionMeta {
        name,
        regions,
        rate_limit: limit,
        endpoint,
        international_endpoint,
        stream: events,
        sensitive,
        limits,
    } = m;
    let name = text(name);
    let regions = texts(regions);
    let limit = option(limit.as_ref(), rate_limit);
    let own = opt_text(endpoint.as_deref());
    let own_intl = opt_text(international_endpoint.as_deref());
    let events = option(events.as_ref(), stream);
    let sensitive = texts(sensitive);
    let limits = limit_table(limits);
    quote! {
        ::tencentcloud_runtime::ActionMeta {
            name: #name,
            regions: #regions,
            rate_limit: #limit,
            endpoint: #own,
            international_endpoint: #own_intl,
            stream: #events,
            sensitive: #sensitive,
            limits: #limits,
        }
    }
}

fn limit_table(t: &LimitTable) -> TokenStream {
    let json = t.as_str();
    quote! { ::tencentcloud_runtime::limits::LimitTable::from_static(#json) }
}

fn duration(d: &std::time::Duration) -> TokenStream {
    let (secs, nanos) = (d.as_secs(), d.subsec_nanos());
    if nanos == 0 {
        quote! { ::std::time::Duration::from_secs(#secs) }
    } else {
        quote! { ::std::time::Duration::new(#secs, #nanos) }
    }
}

/// A `WaiterMeta` expression.
pub fn waiter(m: &WaiterMeta) -> TokenStream {
    let WaiterMeta {
        name,
        action,
        status,
        success,
        failure,
        not_found,
        not_found_codes,
        interval,
        max_wait,
    } = m;
    let (name, action, status) = (text(name), text(action), text(status));
    let (success, failure, codes) = (texts(success), texts(failure), texts(not_found_codes));
    let not_found = match not_found {
        NotFound::Success => quote! { ::tencentcloud_runtime::NotFound::Success },
        NotFound::Failure => quote! { ::tencentcloud_runtime::NotFound::Failure },
        NotFound::Error => quote! { ::tencentcloud_runtime::NotFound::Error },
    };
    let (interval, max_wait) = (duration(interval), duration(max_wait));
    quote! {
        ::tencentcloud_runtime::WaiterMeta {
            name: #name,
            action: #action,
            status: #status,
            success: #success,
            failure: #failure,
            not_found: #not_found,
            not_found_codes: #codes,
            interval: #interval,
            max_wait: #max_wait,
        }
    }
}

/// The runtime's `Kind` of a JSON key, as `K::...` (the file imports `Kind as K`).
fn kind(k: Kind) -> TokenStream {
    let name = match k {
        Kind::String => "String",
        Kind::Int => "Int",
        Kind::StringOrInt => "StringOrInt",
        Kind::Float => "Float",
        Kind::Bool => "Bool",
        Kind::Object => "Object",
        Kind::Any => "Any",
        Kind::StringList => "StringList",
        Kind::ObjectList => "ObjectList",
        Kind::AnyList => "AnyList",
    };
    let name = ident(name);
    quote! { K::#name }
}

/// A `f64` literal (`1.5f64`, `-2f64`).
pub(super) fn f64_lit(v: f64) -> TokenStream {
    let lit = Literal::f64_suffixed(v.abs());
    if v < 0.0 {
        quote! { -#lit }
    } else {
        quote! { #lit }
    }
}

/// One key as one line, `F::new("History", K::Int).min(0f64).max(50f64)`
/// (`F::one_of("Mode", K::Int, allowed)` when its values are listed in the
/// `const` named `allowed`).
fn field(f: &Field<'_>, allowed: Option<&proc_macro2::Ident>) -> TokenStream {
    let Field {
        name,
        kind: k,
        required,
        sensitive,
        min,
        max,
        allowed: _,
    } = f;
    let name = name.as_ref();
    let k = kind(*k);
    let mut out = match allowed {
        Some(list) => quote! { F::one_of(#name, #k, #list) },
        None => quote! { F::new(#name, #k) },
    };
    if *required {
        out = quote! { #out.required() };
    }
    if *sensitive {
        out = quote! { #out.sensitive() };
    }
    if let Some(v) = min {
        let v = f64_lit(*v);
        out = quote! { #out.min(#v) };
    }
    if let Some(v) = max {
        let v = f64_lit(*v);
        out = quote! { #out.max(#v) };
    }
    out
}

/// A JSON type's `Schema` as items (the file imports the runtime's
/// `json_string` as `js`, `Field as F`, `Kind as K`): `static SCHEMA`, the `const` list of its
/// variants, one `const` list of keys per variant (named by `consts`: the
/// variants' SCREAMING_SNAKE names), and the allowed values of keys that list
/// them. `const` lists because a `const` may borrow a temporary for the whole
/// program and a function argument may not (Rust 1.83).
pub fn schema(s: &Schema<'_>, consts: &[String]) -> TokenStream {
    let Schema {
        name,
        discriminator,
        variants,
    } = s;
    let name = name.as_ref();
    let disc = option(discriminator.as_deref(), |d| quote! { #d });
    let mut items = Vec::new();
    let mut variant_exprs = Vec::new();
    for (v, c) in variants.iter().zip(consts) {
        let Variant { value, fields } = v;
        let list = quote::format_ident!("FIELDS_{}", c);
        let value = value.as_ref();
        variant_exprs.push(quote! { js::Variant::new(#value, #list) });
        let mut lines = Vec::new();
        for f in fields.iter() {
            if f.allowed.is_empty() {
                lines.push(field(f, None));
                continue;
            }
            let allowed =
                quote::format_ident!("ALLOWED_{}_{}", c, crate::names::screaming(&f.name));
            let values = f.allowed.iter().map(|a| {
                let a = a.as_ref();
                quote! { ::std::borrow::Cow::Borrowed(#a) }
            });
            items.push(quote! {
                const #allowed: &[js::Text<'static>] = &[#(#values),*];
            });
            lines.push(field(f, Some(&allowed)));
        }
        items.push(quote! { const #list: &[F<'static>] = &[#(#lines),*]; });
    }
    quote! {
        /// The documented facts values are checked against.
        pub(crate) static SCHEMA: js::Schema<'static> = js::Schema::new(#name, #disc, VARIANTS);
        const VARIANTS: &[js::Variant<'static>] = &[#(#variant_exprs),*];
        #(#items)*
    }
}
