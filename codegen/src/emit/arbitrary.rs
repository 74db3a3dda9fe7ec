//! proptest strategies for every model type (the model crate's `proptest` feature).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{elem_type, ident};
use crate::model::{EnumBase, EnumModel, MemberModel, Prim, ServiceModel, StructModel, TypeRef};

/// Wraps one shape's strategy items in a module compiled only with the `proptest` feature.
fn feature_gated(items: TokenStream) -> TokenStream {
    quote! {
        #[cfg(feature = "proptest")]
        #[allow(unused_imports, unused_variables)]
        mod strategy {
            use ::proptest::prelude::*;
            use ::proptest::strategy::BoxedStrategy;
            use ::tencentcloud_runtime::__private::arbitrary::float;

            #items
        }
    }
}

fn prim_strategy(p: Prim) -> TokenStream {
    match p {
        Prim::String | Prim::Date | Prim::DateTime | Prim::DateTimeIso => {
            quote! { any::<::std::string::String>().boxed() }
        }
        Prim::Int64 => quote! { any::<i64>().boxed() },
        Prim::Uint64 => quote! { any::<u64>().boxed() },
        Prim::Float => quote! { float() },
        Prim::Bool => quote! { any::<bool>().boxed() },
        Prim::StringOrInt => quote! {
            prop_oneof![
                any::<i64>().prop_map(::tencentcloud_runtime::StringOrInt::Int),
                any::<::std::string::String>().prop_map(::tencentcloud_runtime::StringOrInt::Str),
            ]
            .boxed()
        },
    }
}

fn elem_strategy(m: &ServiceModel, ty: TypeRef, krate: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Prim(p) => prim_strategy(p),
        TypeRef::Shape(_) => {
            let t = elem_type(m, ty, krate);
            if m.is_struct(ty) {
                quote! { #t::arbitrary_with_depth(depth - 1) }
            } else {
                quote! { #t::arbitrary_with_depth(0) }
            }
        }
        TypeRef::Json(j) => super::json_types::member_strategy(m, j, krate),
    }
}

fn member_strategy(m: &ServiceModel, mm: &MemberModel, krate: &TokenStream) -> TokenStream {
    let elem = elem_strategy(m, mm.ty, krate);
    let nests = m.is_struct(mm.ty);
    let value = if mm.list {
        let v = quote! { ::proptest::collection::vec(#elem, 0..3).boxed() };
        if nests {
            quote! { if depth == 0 { Just(::std::vec::Vec::new()).boxed() } else { #v } }
        } else {
            v
        }
    } else if mm.boxed {
        quote! { #elem.prop_map(::std::boxed::Box::new).boxed() }
    } else {
        elem
    };
    if mm.is_optional() {
        if nests {
            quote! {
                if depth == 0 { Just(::std::option::Option::None).boxed() }
                else { ::proptest::option::of(#value).boxed() }
            }
        } else {
            quote! { ::proptest::option::of(#value).boxed() }
        }
    } else if nests && !mm.list {
        // A required structure still needs a value at depth 0; validation refused
        // required cycles, so this recursion ends.
        let t = elem_type(m, mm.ty, krate);
        let v0 = if mm.boxed {
            quote! { #t::arbitrary_with_depth(0).prop_map(::std::boxed::Box::new).boxed() }
        } else {
            quote! { #t::arbitrary_with_depth(0) }
        };
        quote! { if depth == 0 { #v0 } else { #value } }
    } else {
        value
    }
}

/// Nests strategies into tuples of at most 10, returning the strategy
/// expression and the matching pattern.
fn tuple_tree(items: Vec<(TokenStream, TokenStream)>) -> (TokenStream, TokenStream) {
    if items.len() <= 10 {
        let (exprs, pats): (Vec<_>, Vec<_>) = items.into_iter().unzip();
        return (quote! { (#(#exprs,)*) }, quote! { (#(#pats,)*) });
    }
    let mut groups = Vec::new();
    let mut it = items.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<_> = it.by_ref().take(10).collect();
        groups.push(tuple_tree(chunk));
    }
    tuple_tree(groups)
}

/// The strategy of one structure (behind the `proptest` feature).
pub fn structure(m: &ServiceModel, st: &StructModel, krate: &TokenStream) -> TokenStream {
    feature_gated(structure_items(m, st, krate))
}

fn structure_items(m: &ServiceModel, st: &StructModel, krate: &TokenStream) -> TokenStream {
    let name = ident(&st.rust);
    let doc = format!(
        " A strategy for [`{0}`](crate::{0}) values; `depth` bounds how deep structures nest.",
        st.rust
    );
    if st.members.is_empty() {
        return quote! {
            impl #krate::#name {
                #[doc = #doc]
                pub fn arbitrary_with_depth(depth: u32) -> BoxedStrategy<Self> {
                    Just(#krate::#name {}).boxed()
                }
            }
        };
    }
    let items: Vec<(TokenStream, TokenStream)> = st
        .members
        .iter()
        .enumerate()
        .map(|(i, mm)| {
            let var = format_ident!("m{}", i);
            (member_strategy(m, mm, krate), quote! { #var })
        })
        .collect();
    let (expr, pat) = tuple_tree(items);
    let fields = st.members.iter().enumerate().map(|(i, mm)| {
        let f = ident(&mm.field);
        let var = format_ident!("m{}", i);
        quote! { #f: #var, }
    });
    quote! {
        impl #krate::#name {
            #[doc = #doc]
            pub fn arbitrary_with_depth(depth: u32) -> BoxedStrategy<Self> {
                #expr
                    .prop_map(|#pat| #krate::#name { #(#fields)* })
                    .boxed()
            }
        }

        impl Arbitrary for #krate::#name {
            type Parameters = ();
            type Strategy = BoxedStrategy<Self>;
            fn arbitrary_with(_: ()) -> Self::Strategy {
                Self::arbitrary_with_depth(3)
            }
        }
    }
}

/// The strategy of one enum (behind the `proptest` feature).
pub fn enumeration(e: &EnumModel) -> TokenStream {
    feature_gated(enumeration_items(e))
}

fn enumeration_items(e: &EnumModel) -> TokenStream {
    let name = ident(&e.rust);
    let variants = e.values.iter().map(|v| {
        let var = ident(&v.variant);
        quote! { Just(Self::#var) }
    });
    let krate = quote! { crate };
    let raw = match e.base {
        EnumBase::String => quote! { any::<::std::string::String>().prop_map(Self::from) },
        EnumBase::Int64 => quote! { any::<i64>().prop_map(Self::from) },
        EnumBase::Uint64 => quote! { any::<u64>().prop_map(Self::from) },
    };
    quote! {
        impl #krate::#name {
            /// A strategy for documented and undocumented values alike.
            pub fn arbitrary_with_depth(_depth: u32) -> BoxedStrategy<Self> {
                prop_oneof![#(#variants,)* #raw].boxed()
            }
        }

        impl Arbitrary for #krate::#name {
            type Parameters = ();
            type Strategy = BoxedStrategy<Self>;
            fn arbitrary_with(_: ()) -> Self::Strategy {
                Self::arbitrary_with_depth(0)
            }
        }
    }
}
