//! The model crate's `callbacks` module: one typed event per documented
//! event group and type, parsed from the callback's parts.

use proc_macro2::TokenStream;
use quote::quote;

use super::{code_span, doc_attrs, ident, paragraphs};
use crate::model::{CallbackEventModel, CallbackGroupModel, CallbacksModel, ServiceModel};

fn event_doc(m: &ServiceModel, g: &CallbackGroupModel, e: &CallbackEventModel) -> String {
    let constant = e
        .name
        .as_deref()
        .map(|n| format!("{} ", code_span(n)))
        .unwrap_or_default();
    let parts = match e.payload {
        Some(p) => format!(
            "`EventInfo` parses into [`{}`](crate::{}) and its `Payload` into [`{}`](crate::{}).",
            m.shape(e.info).rust(),
            m.shape(e.info).rust(),
            m.shape(p).rust(),
            m.shape(p).rust()
        ),
        None => format!(
            "`EventInfo` parses into [`{}`](crate::{}).",
            m.shape(e.info).rust(),
            m.shape(e.info).rust()
        ),
    };
    paragraphs([
        format!(
            "{constant}(group {} `{}`, type {}).",
            g.id, g.wire, e.event_type
        ),
        e.description.clone(),
        parts,
    ])
}

/// The module's documentation: the service's callbacks, their description,
/// how events are parsed, and every group with its types.
fn module_doc(m: &ServiceModel, c: &CallbacksModel) -> TokenStream {
    let groups_doc: Vec<String> = c
        .groups
        .iter()
        .map(|g| {
            format!(
                "- {} `{}`{}: {}",
                g.id,
                g.wire,
                g.name
                    .as_deref()
                    .map(|n| format!(" ({})", code_span(n)))
                    .unwrap_or_default(),
                g.events
                    .iter()
                    .map(|e| format!("{} `{}`", e.event_type, e.variant))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect();
    let title = super::inner_doc_attrs(&format!("The event callbacks of {}.", m.title));
    let description = super::inner_doc_escaped(&c.description);
    let how = super::inner_doc_attrs(&format!(
        "[`Event::from_parts`] turns a callback's `EventGroupId`, `EventType` and raw \
         `EventInfo` into a typed [`Event`]; an event this crate does not know is kept \
         whole in [`Event::Unknown`], never an error. The groups and types:\n\n{}",
        groups_doc.join("\n")
    ));
    quote! {
        #title
        #![doc = ""]
        #description
        #![doc = ""]
        #how
    }
}

/// `src/callbacks.rs` of the model crate.
pub fn file(m: &ServiceModel, c: &CallbacksModel) -> TokenStream {
    let events: Vec<(&CallbackGroupModel, &CallbackEventModel)> = c
        .groups
        .iter()
        .flat_map(|g| g.events.iter().map(move |e| (g, e)))
        .collect();
    let variants = events.iter().map(|(g, e)| {
        let v = ident(&e.variant);
        let info = ident(m.shape(e.info).rust());
        let doc = doc_attrs(&event_doc(m, g, e));
        match e.payload {
            Some(p) => {
                let payload = ident(m.shape(p).rust());
                quote! { #doc #v(EventOf<crate::#info, crate::#payload>), }
            }
            None => quote! { #doc #v(EventOf<crate::#info>), },
        }
    });
    let parse_arms = events.iter().map(|(g, e)| {
        let v = ident(&e.variant);
        let (gid, ty) = (g.id, e.event_type);
        let payload = match e.payload {
            Some(_) => quote! { parse::<WithPayload<_>>(info, "EventInfo")?.payload },
            None => quote! { () },
        };
        quote! {
            (#gid, #ty) => Event::#v(EventOf::new(parse(info, "EventInfo")?, #payload)),
        }
    });
    let meta_arms = events.iter().map(|(g, e)| {
        let v = ident(&e.variant);
        let (gid, ty, gname, vname) = (g.id, e.event_type, &g.wire, &e.variant);
        let constant = match &e.name {
            Some(n) => quote! { ::std::option::Option::Some(#n) },
            None => quote! { ::std::option::Option::None },
        };
        quote! { Event::#v(_) => (#gid, #ty, #gname, #vname, #constant), }
    });
    let known = events.iter().map(|(g, e)| {
        let (gid, ty, vname) = (g.id, e.event_type, &e.variant);
        quote! { (#gid, #ty, #vname) }
    });
    let use_payload = if events.iter().any(|(_, e)| e.payload.is_some()) {
        quote! { use ::tencentcloud_runtime::callback::{parse, WithPayload}; }
    } else {
        quote! { use ::tencentcloud_runtime::callback::parse; }
    };
    let module_doc = module_doc(m, c);
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #module_doc

        pub use ::tencentcloud_runtime::callback::{EventOf, EventParseError, UnknownEvent};
        #use_payload

        /// A callback event, typed by its group and type.
        ///
        /// Match with a wildcard arm: events documented later arrive as
        /// [`Event::Unknown`] until the crate is regenerated.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            /// An event this crate does not know, kept whole.
            Unknown(UnknownEvent),
        }

        impl Event {
            /// Every documented event: `(EventGroupId, EventType, variant name)`.
            pub const KNOWN: &'static [(i64, i64, &'static str)] = &[#(#known),*];

            /// Parses an event from its `EventGroupId`, `EventType` and the raw
            /// JSON text of its `EventInfo`. An unknown group or type is kept
            /// whole ([`Event::Unknown`]); a known one whose `EventInfo` does not
            /// match its types is an error naming where.
            pub fn from_parts(
                group_id: i64,
                event_type: i64,
                info: &str,
            ) -> ::std::result::Result<Event, EventParseError> {
                ::std::result::Result::Ok(match (group_id, event_type) {
                    #(#parse_arms)*
                    _ => Event::Unknown(UnknownEvent::new(group_id, event_type, parse(info, "EventInfo")?)),
                })
            }

            /// `(group id, type, group name, variant name, Tencent's constant)`.
            fn meta(&self) -> (i64, i64, &'static str, &'static str, ::std::option::Option<&'static str>) {
                match self {
                    #(#meta_arms)*
                    Event::Unknown(u) => (u.group_id, u.event_type, "Unknown", "Unknown", ::std::option::Option::None),
                }
            }

            /// `EventGroupId`.
            pub fn group_id(&self) -> i64 {
                self.meta().0
            }

            /// `EventType`.
            pub fn event_type(&self) -> i64 {
                self.meta().1
            }

            /// The group's name, e.g. `Room` (`Unknown` for an unknown event).
            pub fn group_name(&self) -> &'static str {
                self.meta().2
            }

            /// The event's name, its variant's, e.g. `CreateRoom` (`Unknown` for an unknown event).
            pub fn name(&self) -> &'static str {
                self.meta().3
            }

            /// Tencent's constant for the event type, e.g. `EVENT_TYPE_CREATE_ROOM`, when documented.
            pub fn constant(&self) -> ::std::option::Option<&'static str> {
                self.meta().4
            }
        }
    }
}
