//! The client crate: `Client`, one async method and one fluent builder per action.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{code_span, doc_attrs, ident, inner_doc_attrs, paragraphs};
use crate::model::{ActionModel, CrateNames, MemberModel, PaginatorModel, ServiceModel};
use crate::spec::PageStyle;

fn action_doc(m: &ServiceModel, a: &ActionModel) -> String {
    let mut facts = Vec::new();
    if a.regions.is_empty() {
        facts.push("Regions: any.".to_owned());
    } else {
        facts.push(format!(
            "Regions: {}. A client configured for another region refuses the call before \
             sending it (see `ConfigBuilder::skip_region_check`).",
            a.regions
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(r) = a.rate_limit {
        facts.push(format!(
            "Rate limit: {r}; the client waits for a slot instead of being refused."
        ));
    }
    if let Some(h) = &a.endpoint {
        let intl = a
            .international_endpoint
            .as_deref()
            .map(|i| format!(" (international: `{i}`)"))
            .unwrap_or_default();
        facts.push(format!(
            "Host: `{h}`{intl}, not the service's; an explicit endpoint URL in the \
             configuration still takes precedence."
        ));
    }
    if a.paginator.is_some() {
        facts.push(format!(
            "Paginated: `{}().into_paginator()` gives a stream of pages or of items.",
            a.method
        ));
    }
    let _ = m;
    paragraphs([
        a.title.clone(),
        a.description.clone(),
        format!("Action {}.", code_span(&a.wire)),
        facts.join(" "),
    ])
}

/// The files of the client crate's `src/`: `lib.rs` (the `Client`),
/// `operation/mod.rs`, and one `operation/<action>.rs` per action (its
/// metadata, its two `Client` methods, its fluent builder and paginator).
pub fn files(m: &ServiceModel) -> Vec<(String, TokenStream)> {
    let mut out = vec![("lib.rs".to_owned(), lib(m))];
    let mods = m.actions.iter().map(|a| {
        let module = ident(&a.module);
        quote! { pub(crate) mod #module; }
    });
    out.push((
        "operation/mod.rs".to_owned(),
        quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            //! One module per action: its metadata, `Client` methods, fluent builder and paginator.
            #(#mods)*
        },
    ));
    for a in &m.actions {
        out.push((format!("operation/{}.rs", a.module), operation(m, a)));
    }
    out.extend(super::waiter::files(m));
    out
}

/// The crate documentation of the client crate: what it is, the service's
/// description, an example with its first action.
fn lib_doc(m: &ServiceModel) -> TokenStream {
    let names = m.crate_names();
    let first = m.actions.first();
    let example = first
        .map(|a| {
            format!(
                "```no_run\n# async fn demo() -> Result<(), Box<dyn std::error::Error>> {{\n\
                 let client = {krate}::Client::from_env()?;\n\
                 let builder = client.{method}();\n\
                 // set the members, then:\n\
                 # let _ = builder;\n\
                 # Ok(())\n# }}\n```",
                krate = CrateNames::lib(&names.client),
                method = a.method
            )
        })
        .unwrap_or_default();
    let crate_doc = inner_doc_attrs(&paragraphs([
        format!(
            "A client for {} ({}) API version {}: one async method and one fluent builder \
             per action, over the `tencentcloud-runtime` crate.",
            m.title, m.name, m.version
        ),
        "Configure it with [`Config`]: credentials (static, environment, profile file, CVM \
         role), region, endpoint, retries, rate limits and timeouts. Every call returns the \
         typed output or an [`SdkError`] whose service variant is the action's typed error. \
         Paginated actions also have `into_paginator()` (a stream of pages, or of items); \
         streaming actions return an [`EventStream`] of typed events."
            .to_owned(),
    ]));
    let example_doc = inner_doc_attrs(&example);
    // The service description comes from the spec: escaped like every spec text.
    let description_doc = super::inner_doc_escaped(&m.description);
    quote! {
        #crate_doc
        #![doc = ""]
        #description_doc
        #![doc = ""]
        #example_doc
    }
}

/// `src/lib.rs` of the client crate.
fn lib(m: &ServiceModel) -> TokenStream {
    let names = m.crate_names();
    let model_crate = format_ident!("{}", CrateNames::lib(&names.model));
    let error_crate = format_ident!("{}", CrateNames::lib(&names.error));
    let docs = lib_doc(m);
    let service = super::meta::service(&m.runtime);
    let prelude_doc = format!(
        " The traits the accessors of actions' errors come from: `use {}::prelude::*;` to call \
         `e.code()`, `e.message()`, `e.request_id()` and `e.is_retryable()`.",
        CrateNames::lib(&names.client)
    );
    let metas = m.actions.iter().map(|a| {
        let module = ident(&a.module);
        let meta = ident(&a.meta);
        quote! { pub use crate::operation::#module::#meta; }
    });
    let fluents = m.actions.iter().map(|a| {
        let module = ident(&a.module);
        let fluent = ident(&a.fluent);
        let paginator = a.paginator.as_ref().map(|_| {
            let p = ident(&a.paginator_type);
            quote! { pub use crate::operation::#module::#p; }
        });
        quote! {
            pub use crate::operation::#module::#fluent;
            #paginator
        }
    });
    let for_each = m.actions.iter().map(|a| {
        let wire = &a.wire;
        let input = ident(m.shape(a.input).rust());
        let output = ident(m.shape(a.output).rust());
        let err = ident(&a.error);
        let with = ident(&a.method_with);
        let meta = ident(&a.meta);
        quote! {
            $m!(#wire, $crate::model::#input, $crate::model::#output, $crate::error::#err, #with, $crate::actions::#meta);
        }
    });
    let waiters = super::waiter::index(m);
    let client = client_type();
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #docs
        #![allow(deprecated, clippy::all)]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #![warn(clippy::incompatible_msrv)]
        #![cfg_attr(docsrs, feature(doc_cfg))]

        pub use ::#model_crate as model;
        pub use ::#error_crate as error;
        pub use ::tencentcloud_runtime as runtime;
        pub use ::tencentcloud_runtime::{
            CallOptions, Config, ConfigBuilder, ConfigError, Credentials, Endpoint, EventStream,
            ItemStream, PageStream, RateLimit, RateLimitConfig, ResponseMeta, RetryConfig, SdkError,
            Timeouts,
        };

        use ::tencentcloud_runtime::ServiceMeta;

        mod operation;
        #waiters

        /// The service: name, version and hosts.
        pub static SERVICE: ServiceMeta = #service;

        #[doc = #prelude_doc]
        pub mod prelude {
            pub use ::tencentcloud_runtime::{ProvideApiError, ProvideErrorMetadata};
        }

        /// Every action's regions, documented rate limit and host.
        pub mod actions {
            #(#metas)*
        }

        #client

        /// Fluent builders (`client.action().member(value)...send().await`) and paginators.
        pub mod fluent {
            #(#fluents)*
        }

        /// Calls `$m!("Action", Input, Output, Error, method_with, ACTION_META)` for
        /// every action, for generic tests.
        #[macro_export]
        macro_rules! for_each_action {
            ($m:ident) => { #(#for_each)* };
        }
    }
}

/// The `Client` type of a client crate and its service-independent methods.
fn client_type() -> TokenStream {
    quote! {
    /// A client for the service. Cheap to clone; clones share connections,
    /// rate limits and the learned clock offset.
    #[derive(Clone, Debug)]
    pub struct Client {
        inner: ::tencentcloud_runtime::Client,
    }

    impl Client {
        /// A client with `config`.
        pub fn new(config: Config) -> ::std::result::Result<Self, ConfigError> {
            ::std::result::Result::Ok(Self {
                inner: ::tencentcloud_runtime::Client::new(&SERVICE, config)?,
            })
        }

        /// A client configured from the environment (see [`Config::from_env`]).
        pub fn from_env() -> ::std::result::Result<Self, ConfigError> {
            Self::new(Config::from_env()?)
        }

        /// The runtime client underneath (configuration, endpoint, clock offset).
        pub fn runtime(&self) -> &::tencentcloud_runtime::Client {
            &self.inner
        }

        /// Calls an action with its per-call options, its errors typed.
        pub(crate) async fn call_op<I, O, E>(
            &self,
            meta: &::tencentcloud_runtime::ActionMeta,
            input: &I,
            options: &CallOptions,
        ) -> ::std::result::Result<(O, ResponseMeta), SdkError<E>>
        where
            I: ::tencentcloud_runtime::__private::serde::Serialize,
            O: ::tencentcloud_runtime::__private::serde::de::DeserializeOwned,
            E: ::std::convert::From<::tencentcloud_runtime::ApiError>,
        {
            self.inner
                .invoke(meta, input, options)
                .await
                .map_err(|e| e.map_service(E::from))
        }
    }
    }
}

/// `src/operation/<action>.rs`.
fn operation(m: &ServiceModel, a: &ActionModel) -> TokenStream {
    let method = ident(&a.method);
    let with = ident(&a.method_with);
    let fluent_ty = ident(&a.fluent);
    let meta = ident(&a.meta);
    let err = ident(&a.error);
    let input = ident(m.shape(a.input).rust());
    let output = ident(m.shape(a.output).rust());
    let doc = doc_attrs(&action_doc(m, a));
    let dep = super::deprecated_attr(a.deprecated);
    let wire = &a.wire;
    let action_meta = super::meta::action(&a.runtime);
    let meta_doc = format!(" `{wire}`: its regions, documented rate limit and host.");
    let (ret, call) = match &a.stream {
        Some(st) => {
            let event = ident(m.shape(st.event).rust());
            (
                quote! { ::tencentcloud_runtime::EventStream<model::#event, error::#err> },
                quote! {
                    self.inner
                        .call_stream(
                            &#meta,
                            input,
                            <error::#err as ::std::convert::From<::tencentcloud_runtime::ApiError>>::from,
                        )
                        .await
                },
            )
        }
        None => (
            quote! { model::#output },
            quote! {
                self.call_op(&#meta, input, &::std::default::Default::default())
                    .await
                    .map(|(output, _)| output)
            },
        ),
    };
    let with_doc = format!(
        " Calls `{}` with a complete input (see [`Client::{}`] for the fluent form).",
        a.wire, a.method
    );
    let fluent = fluent(m, a, &ret);
    let paginator = a
        .paginator
        .as_ref()
        .map(|p| paginator(m, a, p))
        .unwrap_or_default();
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! One action: its metadata, its `Client` methods and its fluent builder.

        use crate::{error, model, Client, SdkError};
        use ::tencentcloud_runtime::ActionMeta;

        #[doc = #meta_doc]
        pub static #meta: ActionMeta = #action_meta;

        impl Client {
            #doc
            #dep
            pub fn #method(&self) -> #fluent_ty {
                #fluent_ty::new(self.clone())
            }

            #[doc = #with_doc]
            #dep
            pub async fn #with(
                &self,
                input: &model::#input,
            ) -> ::std::result::Result<#ret, SdkError<error::#err>> {
                #call
            }
        }

        #fluent
        #paginator
    }
}

/// `customize`: the same small method on every fluent builder, paginator
/// and waiter; the options themselves are the runtime's `CallOptions`.
pub(crate) fn customize_method() -> TokenStream {
    quote! {
        /// Overrides the client's configuration for this call only (every page
        /// of a paginator, every poll of a waiter): timeouts, retries and
        /// `retry_after_send`, headers, the trace ID, the region, the endpoint,
        /// interceptors. See [`CallOptions`](crate::CallOptions).
        pub fn customize(
            mut self,
            f: impl ::std::ops::FnOnce(crate::CallOptions) -> crate::CallOptions,
        ) -> Self {
            self.options = f(::std::mem::take(&mut self.options));
            self
        }
    }
}

fn fluent(m: &ServiceModel, a: &ActionModel, ret: &TokenStream) -> TokenStream {
    let fluent = ident(&a.fluent);
    let input = ident(m.shape(a.input).rust());
    let builder = format_ident!("{}Builder", m.shape(a.input).rust());
    let err = ident(&a.error);
    let krate = quote! { model };
    let st = m.structure(a.input);
    let setters = st.into_iter().flat_map(|st| st.members.iter()).map(|mm| {
        let set = ident(&mm.setter);
        let set_opt = ident(&mm.set_setter);
        let elem = super::elem_type(m, mm.ty, &krate);
        let arg = super::setter_arg(m, mm.ty, &krate).unwrap_or_else(|| elem.clone());
        let opt_ty = if mm.list {
            quote! { ::std::option::Option<::std::vec::Vec<#elem>> }
        } else {
            quote! { ::std::option::Option<#elem> }
        };
        let doc = doc_attrs(&super::model::member_doc(m, mm));
        let set_doc = format!(" Sets or clears `{}` (wire name `{}`).", mm.field, mm.wire);
        let dep = super::deprecated_attr(mm.deprecated);
        quote! {
            #doc
            #dep
            pub fn #set(mut self, value: #arg) -> Self {
                self.input = self.input.#set(value);
                self
            }

            #[doc = #set_doc]
            #dep
            pub fn #set_opt(mut self, value: #opt_ty) -> Self {
                self.input = self.input.#set_opt(value);
                self
            }
        }
    });
    let doc = format!(
        " The fluent form of `{}`: set members, then `send()`.",
        a.wire
    );
    let into_paginator = a.paginator.as_ref().map(|_| {
        let p = ident(&a.paginator_type);
        let doc = format!(
            " Pages through the results instead of sending once: see [`{}`].",
            a.paginator_type
        );
        quote! {
            #[doc = #doc]
            pub fn into_paginator(self) -> #p {
                #p { client: self.client, input: self.input, options: self.options }
            }
        }
    });
    let send_with_meta = a.stream.is_none().then(|| {
        let meta = ident(&a.meta);
        let err = ident(&a.error);
        let input = ident(m.shape(a.input).rust());
        let output = ident(m.shape(a.output).rust());
        quote! {
            /// Like `send`, also returning the call's [`ResponseMeta`](crate::ResponseMeta):
            /// its RequestId and trace ID, the attempts made, and each response value
            /// accepted in a form other than its documented type.
            pub async fn send_with_meta(
                self,
            ) -> ::std::result::Result<(model::#output, crate::ResponseMeta), SdkError<error::#err>> {
                let input: model::#input = self.input.build()?;
                self.client.call_op(&#meta, &input, &self.options).await
            }
        }
    });
    let send_doc = if a.stream.is_some() {
        " Builds the input (a missing required member fails here, naming it, before \
         anything is sent) and calls the action; the events then arrive through the \
         returned stream."
    } else {
        " Builds the input (a missing required member fails here, naming it, before \
         anything is sent) and calls the action."
    };
    let meta = ident(&a.meta);
    let send_body = if a.stream.is_some() {
        quote! {
            self.client
                .inner
                .invoke_stream(
                    &#meta,
                    &input,
                    <error::#err as ::std::convert::From<::tencentcloud_runtime::ApiError>>::from,
                    &self.options,
                )
                .await
        }
    } else {
        quote! {
            self.client
                .call_op(&#meta, &input, &self.options)
                .await
                .map(|(output, _)| output)
        }
    };
    let customize = customize_method();
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #fluent {
            client: Client,
            input: model::builders::#builder,
            options: crate::CallOptions,
        }

        impl #fluent {
            pub(crate) fn new(client: Client) -> Self {
                Self {
                    client,
                    input: ::std::default::Default::default(),
                    options: ::std::default::Default::default(),
                }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &model::builders::#builder {
                &self.input
            }

            #(#setters)*

            #customize

            #[doc = #send_doc]
            pub async fn send(self) -> ::std::result::Result<#ret, SdkError<error::#err>> {
                let input: model::#input = self.input.build()?;
                #send_body
            }

            #send_with_meta

            #into_paginator
        }
    }
}

/// The paginator's `CURSOR` static: how to read and advance the cursor, the
/// page size, the count of items and the total of `input` and `output`.
fn paginator_cursor(
    p: &PaginatorModel,
    [cursor, size, total, items]: [&MemberModel; 4],
    input: &proc_macro2::Ident,
    output: &proc_macro2::Ident,
) -> TokenStream {
    let get = |mm: &MemberModel| {
        let f = ident(&mm.field);
        if mm.is_optional() {
            quote! { |i| i.#f.and_then(|v| ::std::convert::TryFrom::try_from(v).ok()) }
        } else {
            quote! { |i| ::std::convert::TryFrom::try_from(i.#f).ok() }
        }
    };
    let get_cursor = get(cursor);
    let get_size = get(size);
    let get_total = {
        let f = ident(&total.field);
        if total.is_optional() {
            quote! { |o| o.#f.and_then(|v| ::std::convert::TryFrom::try_from(v).ok()) }
        } else {
            quote! { |o| ::std::convert::TryFrom::try_from(o.#f).ok() }
        }
    };
    let cursor_field = ident(&cursor.field);
    let set_cursor = if cursor.is_optional() {
        quote! { |i, v| i.#cursor_field = ::std::option::Option::Some(v as _) }
    } else {
        quote! { |i, v| i.#cursor_field = v as _ }
    };
    let items_field = ident(&items.field);
    let count = if items.is_optional() {
        quote! { |o| o.#items_field.as_ref().map_or(0, |v| v.len()) }
    } else {
        quote! { |o| o.#items_field.len() }
    };
    let (style, first) = match p.style {
        PageStyle::PageNumber => (
            quote! { ::tencentcloud_runtime::PageStyle::PageNumber },
            p.first_page,
        ),
        PageStyle::Offset => (quote! { ::tencentcloud_runtime::PageStyle::Offset }, 0),
    };
    quote! {
        static CURSOR: ::tencentcloud_runtime::Cursor<model::#input, model::#output> =
            ::tencentcloud_runtime::Cursor {
                style: #style,
                first_page: #first,
                get: #get_cursor,
                set: #set_cursor,
                size: #get_size,
                count: #count,
                total: #get_total,
            };
    }
}

/// The paginator of an action: a cursor description and the stream constructors.
fn paginator(m: &ServiceModel, a: &ActionModel, p: &PaginatorModel) -> TokenStream {
    let (Some(input_st), Some(output_st)) = (m.structure(a.input), m.structure(a.output)) else {
        return TokenStream::new();
    };
    let (cursor, size) = (&input_st.members[p.cursor], &input_st.members[p.size]);
    let (total, items) = (&output_st.members[p.total], &output_st.members[p.items]);
    let ty = ident(&a.paginator_type);
    let input = ident(m.shape(a.input).rust());
    let input_builder = format_ident!("{}Builder", m.shape(a.input).rust());
    let output = ident(m.shape(a.output).rust());
    let err = ident(&a.error);
    let krate = quote! { model };
    let cursor_static = paginator_cursor(p, [cursor, size, total, items], &input, &output);
    let items_field = ident(&items.field);
    let take = if items.is_optional() {
        quote! { |o: model::#output| o.#items_field.unwrap_or_default() }
    } else {
        quote! { |o: model::#output| o.#items_field }
    };
    let item = super::elem_type(m, items.ty, &krate);
    let size_setter = ident(&size.setter);
    let size_elem = super::elem_type(m, size.ty, &krate);
    let how = match p.style {
        PageStyle::PageNumber => format!(
            "the next page number in `{}` (from the one you set, or {} when you set none)",
            cursor.wire, p.first_page
        ),
        PageStyle::Offset => format!("`{}` by the number of items received", cursor.wire),
    };
    let doc = doc_attrs(&format!(
        "Pages through `{wire}`: each request advances {how}; the items are `{items}`. \
         The stream ends after an empty page, after a page with fewer items than the page \
         size (`{size}` if you set it, else the size of the first page), once the items \
         reach `{total}` (when it is larger than a page, so surely the overall count), or \
         after an error, which it yields first.{inferred}",
        wire = a.wire,
        items = items.wire,
        size = size.wire,
        total = total.wire,
        inferred = if p.inferred {
            " (Inferred from the shapes: a cursor and a page size in the input, a total and one list in the output.)"
        } else {
            ""
        }
    ));
    let page_size_doc = format!(" Sets the page size (`{}`).", size.wire);
    let customize = customize_method();
    let meta = ident(&a.meta);
    let pages = quote! {
        ::tencentcloud_runtime::PageStream<model::#input, model::#output, SdkError<error::#err>>
    };
    quote! {
        #cursor_static

        #doc
        #[derive(Clone, Debug)]
        pub struct #ty {
            client: Client,
            input: model::builders::#input_builder,
            options: crate::CallOptions,
        }

        impl #ty {
            #[doc = #page_size_doc]
            pub fn page_size(mut self, size: #size_elem) -> Self {
                self.input = self.input.#size_setter(size);
                self
            }

            #customize

            /// A stream of pages (each a whole response).
            pub fn send(self) -> #pages {
                let input: model::#input = match self.input.build() {
                    ::std::result::Result::Ok(input) => input,
                    ::std::result::Result::Err(e) => {
                        return ::tencentcloud_runtime::PageStream::failed(CURSOR, SdkError::from(e))
                    }
                };
                let client = self.client;
                let options = ::std::sync::Arc::new(self.options);
                ::tencentcloud_runtime::PageStream::new(
                    ::std::sync::Arc::new(move |input: model::#input| {
                        let (client, options) = (client.clone(), options.clone());
                        ::std::boxed::Box::pin(async move {
                            client
                                .call_op(&#meta, &input, &options)
                                .await
                                .map(|(output, _)| output)
                        })
                    }),
                    CURSOR,
                    input,
                )
            }

            /// A stream of the items of every page.
            pub fn items(self) -> ::tencentcloud_runtime::ItemStream<
                model::#input,
                model::#output,
                #item,
                SdkError<error::#err>,
            > {
                self.send().items(#take)
            }
        }
    }
}
