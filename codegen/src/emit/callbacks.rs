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
            (#gid, #ty) => Event::#v(EventOf {
                info: parse(info, "EventInfo")?,
                payload: #payload,
            }),
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
    let module_doc = quote! {
        #title
        #![doc = ""]
        #description
        #![doc = ""]
        #how
    };
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #module_doc

        /// An event's typed parts: its `EventInfo` members, and the typed
        /// `EventInfo.Payload` for events that carry one (`()` for the others).
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct EventOf<I, P = ()> {
            /// The `EventInfo` members.
            pub info: I,
            /// `EventInfo.Payload`.
            pub payload: P,
        }

        /// An event whose group and type this crate does not know, kept whole.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct UnknownEvent {
            /// `EventGroupId`.
            pub group_id: i64,
            /// `EventType`.
            pub event_type: i64,
            /// `EventInfo`, as it arrived.
            pub info: ::serde_json::Value,
        }

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

        /// Why an `EventInfo` did not parse into its event's types.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct EventParseError {
            /// Where, e.g. `EventInfo.Payload.Status`.
            pub path: ::std::string::String,
            /// What is wrong there.
            pub message: ::std::string::String,
        }

        impl ::std::fmt::Display for EventParseError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}: {}", self.path, self.message)
            }
        }

        impl ::std::error::Error for EventParseError {}

        #[derive(::serde::Deserialize)]
        struct WithPayload<P> {
            #[serde(rename = "Payload")]
            payload: P,
        }

        fn parse<T: ::serde::de::DeserializeOwned>(
            text: &str,
            root: &str,
        ) -> ::std::result::Result<T, EventParseError> {
            let mut de = ::serde_json::Deserializer::from_str(text);
            ::serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let path = e.path().to_string();
                EventParseError {
                    path: if path == "." { root.to_owned() } else { format!("{root}.{path}") },
                    message: e.inner().to_string(),
                }
            })
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
                    _ => Event::Unknown(UnknownEvent {
                        group_id,
                        event_type,
                        info: parse(info, "EventInfo")?,
                    }),
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
