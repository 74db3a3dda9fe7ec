//! The client crate: `Client`, one async method and one fluent builder per action.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{code_span, doc_attrs, ident, inner_doc_attrs, paragraphs};
use crate::model::{ActionModel, CrateNames, ServiceModel};

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
    let _ = m;
    paragraphs([
        a.title.clone(),
        a.description.clone(),
        format!("Action {}.", code_span(&a.wire)),
        facts.join(" "),
    ])
}

/// `src/lib.rs` of the client crate.
pub fn lib(m: &ServiceModel) -> TokenStream {
    let names = m.crate_names();
    let model_crate = format_ident!("{}", CrateNames::lib(&names.model));
    let error_crate = format_ident!("{}", CrateNames::lib(&names.error));
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
         typed output or an [`SdkError`] whose service variant is the action's typed error."
            .to_owned(),
    ]));
    let example_doc = inner_doc_attrs(&example);
    // The service description comes from the spec: escaped like every spec text.
    let description_doc: TokenStream = super::docs::rustdoc_lines(&m.description)
        .iter()
        .map(|l| {
            let l = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote! { #![doc = #l] }
        })
        .collect();
    let service_name = &m.name;
    let version = &m.version;
    let endpoint = &m.endpoint;
    let intl = match &m.international_endpoint {
        Some(h) => quote! { ::std::option::Option::Some(#h) },
        None => quote! { ::std::option::Option::None },
    };
    let metas = m.actions.iter().map(|a| {
        let meta = ident(&a.meta);
        let wire = &a.wire;
        let regions = &a.regions;
        let rate = match a.rate_limit {
            Some(r) => {
                let (n, per) = (r.requests, r.per_seconds);
                quote! { ::std::option::Option::Some(::tencentcloud_runtime::RateLimit::every(#n, #per)) }
            }
            None => quote! { ::std::option::Option::None },
        };
        let host = |h: &Option<String>| match h {
            Some(h) => quote! { ::std::option::Option::Some(#h) },
            None => quote! { ::std::option::Option::None },
        };
        let (own, own_intl) = (host(&a.endpoint), host(&a.international_endpoint));
        let doc = format!(" `{wire}`: its regions and documented rate limit.");
        quote! {
            #[doc = #doc]
            pub static #meta: ActionMeta = ActionMeta {
                name: #wire,
                regions: &[#(#regions),*],
                rate_limit: #rate,
                endpoint: #own,
                international_endpoint: #own_intl,
            };
        }
    });
    let methods = m.actions.iter().map(|a| {
        let method = ident(&a.method);
        let with = ident(&a.method_with);
        let fluent = ident(&a.fluent);
        let meta = ident(&a.meta);
        let err = ident(&a.error);
        let input = ident(m.shape(a.input).rust());
        let output = ident(m.shape(a.output).rust());
        let doc = doc_attrs(&action_doc(m, a));
        let with_doc = format!(
            " Calls `{}` with a complete input (see [`Client::{}`] for the fluent form).",
            a.wire, a.method
        );
        let dep = super::deprecated_attr(a.deprecated);
        quote! {
            #doc
            #dep
            pub fn #method(&self) -> fluent::#fluent {
                fluent::#fluent::new(self.clone())
            }

            #[doc = #with_doc]
            #dep
            pub async fn #with(
                &self,
                input: &model::#input,
            ) -> ::std::result::Result<model::#output, SdkError<error::#err>> {
                self.inner
                    .call(&actions::#meta, input)
                    .await
                    .map_err(|e| e.map_service(error::#err::from))
            }
        }
    });
    let fluents = m.actions.iter().map(|a| fluent(m, a));
    let for_each = m.actions.iter().map(|a| {
        let wire = &a.wire;
        let input = ident(m.shape(a.input).rust());
        let output = ident(m.shape(a.output).rust());
        let err = ident(&a.error);
        let with = ident(&a.method_with);
        quote! {
            $m!(#wire, $crate::model::#input, $crate::model::#output, $crate::error::#err, #with);
        }
    });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #crate_doc
        #![doc = ""]
        #description_doc
        #![doc = ""]
        #example_doc
        #![allow(deprecated, clippy::all)]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        pub use ::#model_crate as model;
        pub use ::#error_crate as error;
        pub use ::tencentcloud_runtime as runtime;
        pub use ::tencentcloud_runtime::{
            Config, ConfigBuilder, ConfigError, Credentials, Endpoint, RateLimitConfig,
            RetryConfig, SdkError, Timeouts,
        };

        use ::tencentcloud_runtime::{ActionMeta, ServiceMeta};

        /// The service: name, version and hosts.
        pub static SERVICE: ServiceMeta = ServiceMeta {
            name: #service_name,
            version: #version,
            endpoint: #endpoint,
            international_endpoint: #intl,
        };

        /// Every action's regions and documented rate limit.
        pub mod actions {
            use super::ActionMeta;
            #(#metas)*
        }

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

            #(#methods)*
        }

        /// Fluent builders: `client.action().member(value)...send().await`.
        pub mod fluent {
            use super::{error, model, Client, SdkError};
            #(#fluents)*
        }

        /// Calls `$m!("Action", Input, Output, Error, method_with)` for every action,
        /// for generic tests.
        #[macro_export]
        macro_rules! for_each_action {
            ($m:ident) => { #(#for_each)* };
        }
    }
}

fn fluent(m: &ServiceModel, a: &ActionModel) -> TokenStream {
    let fluent = ident(&a.fluent);
    let input = ident(m.shape(a.input).rust());
    let output = ident(m.shape(a.output).rust());
    let builder = format_ident!("{}Builder", m.shape(a.input).rust());
    let err = ident(&a.error);
    let with = ident(&a.method_with);
    let krate = quote! { model };
    let st = m.structure(a.input);
    let setters = st.into_iter().flat_map(|st| st.members.iter()).map(|mm| {
        let set = ident(&mm.setter);
        let set_opt = ident(&mm.set_setter);
        let elem = super::elem_type(m, mm.ty, &krate);
        let is_string = matches!(mm.ty, crate::model::TypeRef::Prim(p) if p.is_string());
        let arg = if is_string {
            quote! { impl ::std::convert::Into<::std::string::String> }
        } else {
            elem.clone()
        };
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
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #fluent {
            client: Client,
            input: model::builders::#builder,
        }

        impl #fluent {
            pub(crate) fn new(client: Client) -> Self {
                Self { client, input: ::std::default::Default::default() }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &model::builders::#builder {
                &self.input
            }

            #(#setters)*

            /// Builds the input (a missing required member fails here, naming it,
            /// before anything is sent) and calls the action.
            pub async fn send(self) -> ::std::result::Result<model::#output, SdkError<error::#err>> {
                let input: model::#input = self.input.build()?;
                self.client.#with(&input).await
            }
        }
    }
}
