//! The client crate's waiters: one `waiter/<name>.rs` per waiter of the spec,
//! with its `WaiterMeta`, its `Client::wait_until_<name>` method and its
//! fluent builder. The loop itself is the runtime's `waiter::wait`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{code_span, doc_attrs, ident, paragraphs};
use crate::model::{ServiceModel, WaiterModel};
use crate::spec::NotFound;

/// `waiter/mod.rs` and one file per waiter (nothing when the spec has none).
pub fn files(m: &ServiceModel) -> Vec<(String, TokenStream)> {
    if m.waiters.is_empty() {
        return Vec::new();
    }
    let mods = m.waiters.iter().map(|w| {
        let module = ident(&w.module);
        quote! { pub(crate) mod #module; }
    });
    let mut out = vec![(
        "waiter/mod.rs".to_owned(),
        quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            //! One module per waiter: its metadata, its `Client::wait_until_*` method and its builder.
            #(#mods)*
        },
    )];
    for w in &m.waiters {
        out.push((format!("waiter/{}.rs", w.module), waiter(m, w)));
    }
    out
}

/// The `pub mod waiters` index of `lib.rs` (empty when the spec has none).
pub fn index(m: &ServiceModel) -> TokenStream {
    if m.waiters.is_empty() {
        return quote! {};
    }
    let uses = m.waiters.iter().map(|w| {
        let module = ident(&w.module);
        let meta = ident(&w.meta);
        let builder = ident(&w.builder);
        quote! { pub use crate::waiter::#module::{#meta, #builder}; }
    });
    let all = m.waiters.iter().map(|w| {
        let meta = ident(&w.meta);
        quote! { &#meta }
    });
    quote! {
        mod waiter;

        /// Every waiter of the spec: its metadata and its builder
        /// (`Client::wait_until_*`). A waiter polls only its Describe action.
        pub mod waiters {
            pub use ::tencentcloud_runtime::waiter::{WaiterMeta, WaiterOutcome};
            #(#uses)*

            /// Every waiter's metadata, in spec order.
            pub static ALL: &[&WaiterMeta] = &[#(#all),*];
        }
    }
}

/// The documentation of a waiter's `Client` method: what it polls, every
/// how long, which states end it, and how to call it.
fn method_doc(w: &WaiterModel, action: &str) -> String {
    let s = &w.spec;
    let status = &s.status;
    let interval = u64::from(s.interval_seconds);
    let max_wait = u64::from(s.max_wait_seconds);
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.iter()
                .map(|x| code_span(x))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let not_found_text = match s.not_found {
        NotFound::Success => "success",
        NotFound::Failure => "failure",
        NotFound::Error => "an error that ends the wait",
    };
    paragraphs([
        w.description.clone(),
        format!(
            "Polls only {} (never a mutation) every {interval} s by default and reads {}. \
             Success: {}. Failure: {}. {} means {not_found_text}. Another state matches \
             nothing and the wait goes on; a non-retryable error ends it with that error.",
            code_span(action),
            code_span(status),
            list(&s.success),
            list(&s.failure),
            s.not_found_codes
                .iter()
                .map(|c| code_span(c))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        format!(
            "Set the members of {} as on its fluent builder, then \
             `wait(max_wait)` (the spec's default maximum is {max_wait} s, `wait_default()`).",
            code_span(action)
        ),
    ])
}

fn waiter(m: &ServiceModel, w: &WaiterModel) -> TokenStream {
    let a = &m.actions[w.action];
    let meta = ident(&w.meta);
    let builder = ident(&w.builder);
    let method = ident(&w.method);
    let input_builder = format_ident!("{}Builder", m.shape(a.input).rust());
    let input = ident(m.shape(a.input).rust());
    let output = ident(m.shape(a.output).rust());
    let err = ident(&a.error);
    let action_meta = ident(&a.meta);
    let customize = super::client::customize_method();
    let name = &w.wire;
    let action = &a.wire;
    let pointer = &w.pointer;
    let waiter_meta = super::meta::waiter(&w.runtime);
    let method_doc = doc_attrs(&method_doc(w, action));
    let meta_doc = format!(" The waiter `{name}`: what it polls and which states end it.");
    let builder_doc = format!(
        " The fluent form of the `{name}` waiter: set the members of `{action}`, then `wait`."
    );
    let st = m.structure(a.input);
    let setters = st.into_iter().flat_map(|st| st.members.iter()).map(|mm| {
        let set = ident(&mm.setter);
        let elem = super::elem_type(m, mm.ty, &quote! { model });
        let arg = super::setter_arg(m, mm.ty, &quote! { model }).unwrap_or_else(|| elem.clone());
        let doc = doc_attrs(&super::model::member_doc(m, mm));
        let dep = super::deprecated_attr(mm.deprecated);
        quote! {
            #doc
            #dep
            pub fn #set(mut self, value: #arg) -> Self {
                self.input = self.input.#set(value);
                self
            }
        }
    });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! One waiter: its metadata, its `Client` method and its fluent builder.
        use crate::{error, model, Client, SdkError};
        use ::std::time::Duration;
        use ::tencentcloud_runtime::waiter::{self, WaiterMeta, WaiterOutcome};

        #[doc = #meta_doc]
        pub static #meta: WaiterMeta = #waiter_meta;

        impl Client {
            #method_doc
            pub fn #method(&self) -> #builder {
                #builder {
                    client: self.clone(),
                    input: ::std::default::Default::default(),
                    interval: #meta.interval,
                    options: ::std::default::Default::default(),
                }
            }
        }

        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        pub struct #builder {
            client: Client,
            input: model::builders::#input_builder,
            interval: Duration,
            options: crate::CallOptions,
        }

        impl #builder {
            #(#setters)*

            #customize

            /// The time between polls (default: the spec's).
            pub fn interval(mut self, interval: Duration) -> Self {
                self.interval = interval;
                self
            }

            /// Builds the input (a missing required member fails here, before anything is
            /// sent) and polls until a final state or `max_wait`.
            pub async fn wait(
                self,
                max_wait: Duration,
            ) -> ::std::result::Result<WaiterOutcome<model::#output>, SdkError<error::#err>> {
                let input: model::#input = self.input.build()?;
                let (client, options) = (self.client, self.options);
                waiter::wait(
                    &#meta,
                    self.interval,
                    max_wait,
                    &|o: &model::#output| waiter::status_at(o, #pointer),
                    || {
                        let (client, input, options) = (&client, &input, &options);
                        async move {
                            client
                                .call_op(&crate::actions::#action_meta, input, options)
                                .await
                                .map(|(output, _)| output)
                        }
                    },
                )
                .await
            }

            /// [`wait`](Self::wait) with the spec's default maximum wait.
            pub async fn wait_default(
                self,
            ) -> ::std::result::Result<WaiterOutcome<model::#output>, SdkError<error::#err>> {
                let max_wait = #meta.max_wait;
                self.wait(max_wait).await
            }
        }
    }
}
