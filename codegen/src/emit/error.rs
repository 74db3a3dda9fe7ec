//! The error crate: the service-wide `ErrorCode` and one error enum per action.

use proc_macro2::TokenStream;
use quote::quote;

use super::{code_span, doc_attrs, ident, inner_doc_attrs, paragraphs};
use crate::model::{ActionModel, CodeModel, ServiceModel};

/// The files of the error crate's `src/`: `lib.rs`, `error_code.rs` (the
/// service-wide `ErrorCode`), `operation/mod.rs` and one `operation/<action>.rs`
/// per action.
pub fn files(m: &ServiceModel) -> Vec<(String, TokenStream)> {
    let mut out = vec![
        ("lib.rs".to_owned(), lib(m)),
        ("error_code.rs".to_owned(), {
            let code_enum = error_code(m);
            quote! {
                #![cfg_attr(rustfmt, rustfmt::skip)]
                //! The service-wide error code.
                use crate::ErrorCategory;
                #code_enum
            }
        }),
    ];
    let mods = m.actions.iter().map(|a| {
        let module = ident(&a.module);
        let name = ident(&a.error);
        quote! {
            pub(crate) mod #module;
            pub use #module::#name;
        }
    });
    out.push((
        "operation/mod.rs".to_owned(),
        quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            //! One module per action; every error type is re-exported at the crate root.
            #(#mods)*
        },
    ));
    for a in &m.actions {
        let body = action_error(a);
        let doc = format!(" The errors of `{}`.", a.wire);
        out.push((
            format!("operation/{}.rs", a.module),
            quote! {
                #![cfg_attr(rustfmt, rustfmt::skip)]
                #![doc = #doc]
                use crate::{ApiError, ErrorCode, ProvideApiError, ProvideErrorMetadata};
                #body
            },
        ));
    }
    out
}

/// `src/lib.rs` of the error crate.
fn lib(m: &ServiceModel) -> TokenStream {
    let crate_doc = inner_doc_attrs(&paragraphs([
        format!(
            "Errors of {} ({}) API version {}.",
            m.title, m.name, m.version
        ),
        "[`ErrorCode`] names every code this service documents, the common API 3.0 codes \
         included, and keeps any other in `ErrorCode::Unknown`; ask it for its \
         [`ErrorCategory`] or whether a retry can help. Each action has its own enum with \
         one variant per code it documents and `Unhandled` for the rest; every variant \
         carries the [`ApiError`] with the code, the message and the RequestId, which \
         [`ProvideErrorMetadata`] asks for (`code()`, typed; `message()`, `request_id()`, \
         `is_retryable()`): bring it into scope to call them."
            .to_owned(),
    ]));
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #crate_doc
        #![allow(deprecated, clippy::all)]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #![warn(clippy::incompatible_msrv)]

        pub use ::tencentcloud_runtime::{ApiError, ErrorCategory, ProvideApiError, ProvideErrorMetadata};

        mod error_code;
        pub use error_code::ErrorCode;

        mod operation;
        pub use operation::*;
    }
}

fn code_doc(c: &CodeModel) -> TokenStream {
    doc_attrs(&format!("{}: {}", code_span(&c.code), c.description.trim()))
}

fn error_code(m: &ServiceModel) -> TokenStream {
    let variants: Vec<_> = m.codes.iter().map(|c| ident(&c.variant)).collect();
    let docs = m.codes.iter().map(code_doc);
    let codes: Vec<&str> = m.codes.iter().map(|c| c.code.as_str()).collect();
    let descs: Vec<&str> = m.codes.iter().map(|c| c.description.trim()).collect();
    quote! {
        /// Every error code this service documents, and any other it may send.
        ///
        /// Codes differing only by letter case are distinct codes and distinct variants.
        /// Match with a wildcard arm: codes added later arrive as `Unknown`.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #( #docs #variants, )*
            /// A code not documented when this crate was generated.
            Unknown(::std::string::String),
        }

        impl ErrorCode {
            /// Every documented code.
            pub const KNOWN: &'static [&'static str] = &[#(#codes),*];

            /// The code as the service sends it.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #codes, )*
                    Self::Unknown(c) => c.as_str(),
                }
            }

            /// The documented description, if the code is known.
            pub fn description(&self) -> ::std::option::Option<&'static str> {
                match self {
                    #( Self::#variants => ::std::option::Option::Some(#descs), )*
                    Self::Unknown(_) => ::std::option::Option::None,
                }
            }

            /// The code's category (auth failure, rate limited, invalid request, ...).
            pub fn category(&self) -> ErrorCategory {
                ErrorCategory::of(self.as_str())
            }

            /// Whether sending the same request again can succeed.
            pub fn is_retryable(&self) -> bool {
                ::tencentcloud_runtime::error::is_retryable_code(self.as_str())
            }

            /// `AuthFailure*`: signature, credentials or permissions.
            pub fn is_auth_failure(&self) -> bool {
                self.category() == ErrorCategory::AuthFailure
            }

            /// `RequestLimitExceeded*`: the caller is being rate limited.
            pub fn is_rate_limited(&self) -> bool {
                self.category() == ErrorCategory::RateLimited
            }

            /// A malformed request: missing, unknown or invalid parameters, action, version or region.
            pub fn is_invalid_request(&self) -> bool {
                self.category() == ErrorCategory::InvalidRequest
            }

            /// `ResourceNotFound*`.
            pub fn is_resource_not_found(&self) -> bool {
                self.category() == ErrorCategory::ResourceNotFound
            }

            /// `InternalError*`.
            pub fn is_internal_error(&self) -> bool {
                self.category() == ErrorCategory::InternalError
            }
        }

        impl ::std::convert::From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    #( #codes => Self::#variants, )*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::str::FromStr for ErrorCode {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(s))
            }
        }

        impl ::std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn action_error(a: &ActionModel) -> TokenStream {
    let name = ident(&a.error);
    let doc = super::own_doc_attrs(&format!(
        "The error codes `{}` documents, and `Unhandled` for any other (common codes included: \
         see [`ErrorCode`]). Every variant carries the code, the message and the RequestId.",
        a.wire
    ));
    let variants: Vec<_> = a.errors.iter().map(|c| ident(&c.variant)).collect();
    let docs = a.errors.iter().map(code_doc);
    let codes: Vec<&str> = a.errors.iter().map(|c| c.code.as_str()).collect();
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants(ApiError), )*
            /// A code this action does not document; [`ErrorCode`] may still know it.
            Unhandled(ApiError),
        }

        impl #name {
            /// The code, message and RequestId.
            pub fn api_error(&self) -> &ApiError {
                match self {
                    #( Self::#variants(e) )|* | Self::Unhandled(e) => e,
                }
            }

        }

        impl ::std::convert::From<ApiError> for #name {
            fn from(e: ApiError) -> Self {
                match e.code() {
                    #( #codes => Self::#variants(e), )*
                    _ => Self::Unhandled(e),
                }
            }
        }

        impl ProvideApiError for #name {
            fn api_error(&self) -> &ApiError {
                #name::api_error(self)
            }
        }

        /// `code()`, `message()`, `request_id()`, `is_retryable()`.
        impl ProvideErrorMetadata for #name {
            type Code = ErrorCode;
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(self.api_error(), f)
            }
        }

        impl ::std::error::Error for #name {}
    }
}
