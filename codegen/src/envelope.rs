//! The envelope types, generated here rather than by typify: the event is
//! chosen by `event_type` (never by trying each shape in turn), unknown event
//! types are kept, and the public names stay the same whatever the doc calls
//! them.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::envelope_rules::{check_envelope, EnvelopeMismatch, EventTitle, ANY_OF};
use crate::keywords::{child, required_names};
use crate::schema_set::{event_schema_path, ENVELOPE_SCHEMA};
use crate::{rewrite, Error, SchemaSet};

/// An event type and where its payload type comes from.
pub(crate) struct EventLayout<'a> {
    pub event_type: String,
    /// The event schema's title: the payload type's name.
    pub title: String,
    pub variant: Ident,
    pub schema: &'a Value,
}

/// An envelope property other than `event_type` and `event`.
pub(crate) struct HeaderField {
    pub name: String,
    pub required: bool,
    pub schema: Value,
}

enum Slot {
    Header(usize),
    EventType,
    Event,
}

/// What the envelope schema says, checked against the event schemas.
pub(crate) struct Layout<'a> {
    /// The definition name of the event-type enum (`WebhookEventType`, `EventType`).
    pub event_type_enum: String,
    /// In the enum's order.
    pub events: Vec<EventLayout<'a>>,
    header: Vec<HeaderField>,
    /// Property order, for serialization.
    order: Vec<Slot>,
    description: Option<String>,
}

fn schema_error(file: &str, pointer: &str, message: impl Into<String>) -> Error {
    Error::Schema {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        message: message.into(),
    }
}

fn envelope_error(pointer: &str, message: impl Into<String>) -> Error {
    schema_error(ENVELOPE_SCHEMA, pointer, message)
}

impl<'a> Layout<'a> {
    pub fn read(set: &'a SchemaSet) -> Result<Self, Error> {
        let envelope = &set.envelope;
        let properties = envelope
            .get("properties")
            .and_then(Value::as_object)
            .ok_or_else(|| envelope_error("/properties", "missing or not an object"))?;
        let titles = set
            .events
            .iter()
            .map(|(event_type, schema)| {
                let title = event_title(event_type, schema)?;
                Ok((event_type.as_str(), title))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let rule_input: Vec<EventTitle> = titles
            .iter()
            .map(|(event_type, title)| EventTitle { event_type, title })
            .collect();
        let (event_type_enum, order) =
            check_envelope(envelope, &rule_input).map_err(mismatch_error)?;
        let required = envelope.as_object().map(required_names).unwrap_or_default();
        let events = order
            .into_iter()
            .map(|event_type| event_layout(set, event_type))
            .collect::<Result<Vec<_>, _>>()?;
        let mut header = Vec::new();
        let mut order = Vec::new();
        for (name, schema) in properties {
            order.push(match name.as_str() {
                "event_type" => Slot::EventType,
                "event" => Slot::Event,
                _ => {
                    header.push(HeaderField {
                        name: name.clone(),
                        required: required.contains(&name.as_str()),
                        schema: schema.clone(),
                    });
                    Slot::Header(header.len() - 1)
                }
            });
        }
        let description = envelope
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(Self {
            event_type_enum,
            events,
            header,
            order,
            description,
        })
    }

    /// The envelope types; header field types are added to `space`.
    pub fn generate(&self, space: &mut typify::TypeSpace) -> Result<TokenStream, Error> {
        let event_type = self.event_type_tokens();
        let event = self.event_tokens();
        let message = self.message_tokens(space)?;
        Ok(quote! { #event_type #event #message })
    }

    fn event_type_tokens(&self) -> TokenStream {
        let variants: Vec<&Ident> = self.events.iter().map(|e| &e.variant).collect();
        let names: Vec<&str> = self.events.iter().map(|e| e.event_type.as_str()).collect();
        let docs: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        quote! {
            /// The type of a webhook event: the `event_type` beside the event.
            ///
            /// New event types may be added in minor releases, and a type this
            /// version does not know is kept in [`WebhookEventType::Unknown`].
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum WebhookEventType {
                #(#[doc = #docs] #variants,)*
                /// An event type this version of the crate does not know.
                Unknown(::std::string::String),
            }

            impl WebhookEventType {
                /// Every event type this version of the crate knows, in the doc's order.
                pub const KNOWN: &'static [WebhookEventType] = &[#(WebhookEventType::#variants),*];

                /// The `event_type` string, as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(WebhookEventType::#variants => #names,)*
                        WebhookEventType::Unknown(name) => name,
                    }
                }

                /// The known event type named `name`, if any.
                pub fn known(name: &str) -> ::std::option::Option<Self> {
                    match name {
                        #(#names => ::std::option::Option::Some(WebhookEventType::#variants),)*
                        _ => ::std::option::Option::None,
                    }
                }
            }
        }
    }

    fn event_tokens(&self) -> TokenStream {
        let variants: Vec<&Ident> = self.events.iter().map(|e| &e.variant).collect();
        let payloads: Vec<Ident> = self
            .events
            .iter()
            .map(|e| format_ident!("{}", e.title))
            .collect();
        let docs: Vec<String> = self
            .events
            .iter()
            .map(|e| format!("`{}`: a [`{}`].", e.event_type, e.title))
            .collect();
        quote! {
            /// A webhook event: its body, in the variant named after its `event_type`.
            ///
            /// Serialized as the doc shows it, `event_type` beside `event`.
            ///
            /// Each body is boxed: the enum stays small, so moving an event
            /// (through serde's return values, into a message) copies a
            /// pointer rather than the largest body.
            #[derive(Clone, Debug, PartialEq)]
            #[non_exhaustive]
            pub enum WebhookEvent {
                #(#[doc = #docs] #variants(::std::boxed::Box<#payloads>),)*
                /// An event whose type this version of the crate does not know, kept whole.
                Unknown(crate::UnknownEvent),
            }

            impl WebhookEvent {
                /// The `event_type` of this event.
                pub fn event_type(&self) -> WebhookEventType {
                    match self {
                        #(WebhookEvent::#variants(_) => WebhookEventType::#variants,)*
                        WebhookEvent::Unknown(unknown) => WebhookEventType::Unknown(unknown.event_type.clone()),
                    }
                }

                /// Deserializes the body of an event of type `event_type`.
                pub(crate) fn deserialize_body<'de, D: ::serde::Deserializer<'de>>(
                    event_type: WebhookEventType,
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    match event_type {
                        #(WebhookEventType::#variants => ::serde::Deserialize::deserialize(deserializer).map(WebhookEvent::#variants),)*
                        WebhookEventType::Unknown(event_type) => ::serde::Deserialize::deserialize(deserializer)
                            .map(|event| WebhookEvent::Unknown(crate::UnknownEvent { event_type, event })),
                    }
                }

                /// Serializes the body alone.
                pub(crate) fn serialize_body<S: ::serde::Serializer>(
                    &self,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    match self {
                        #(WebhookEvent::#variants(event) => ::serde::Serialize::serialize(event, serializer),)*
                        WebhookEvent::Unknown(unknown) => ::serde::Serialize::serialize(&unknown.event, serializer),
                    }
                }
            }

            #(
                impl ::std::convert::From<#payloads> for WebhookEvent {
                    fn from(event: #payloads) -> Self {
                        WebhookEvent::#variants(::std::boxed::Box::new(event))
                    }
                }
            )*
        }
    }

    fn message_tokens(&self, space: &mut typify::TypeSpace) -> Result<TokenStream, Error> {
        let mut fields = Vec::new();
        let mut locals = Vec::new();
        let mut inits = Vec::new();
        let mut matches = Vec::new();
        for field in &self.header {
            let pointer = child("/properties", &field.name);
            let ident = field_ident(&field.name).ok_or_else(|| {
                envelope_error(&pointer, "property name is not a Rust identifier")
            })?;
            // The same rewrites as the event definitions get, so that a
            // structured header field is as lossless as a body's.
            let schema = rewrite::for_typify(ENVELOPE_SCHEMA, &pointer, field.schema.clone())?;
            let id = space
                .add_type(&schema)
                .map_err(|e| Error::Typify(e.to_string()))?;
            let ty = space
                .get_type(&id)
                .map_err(|e| Error::Typify(e.to_string()))?
                .ident();
            let doc = field
                .schema
                .get("description")
                .or_else(|| field.schema.get("title"))
                .and_then(Value::as_str)
                .unwrap_or(&field.name)
                .to_owned();
            let name = &field.name;
            if field.required {
                fields.push(quote! { #[doc = #doc] pub #ident: #ty, });
                inits.push(quote! {
                    #ident: #ident.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field(#name))?,
                });
            } else {
                fields.push(quote! { #[doc = #doc] pub #ident: ::std::option::Option<#ty>, });
                inits.push(quote! { #ident, });
            }
            locals.push(quote! { let mut #ident: ::std::option::Option<#ty> = ::std::option::Option::None; });
            if field.required {
                matches.push(
                    quote! { #name => crate::envelope::set_once(&mut #ident, #name, &mut map)?, },
                );
            } else {
                // A sender that writes `null` for an absent field (the C#
                // service) sends a message, not bad input; the record keeps
                // the `null` for re-serializing.
                let seen = format_ident!("{}_seen", ident);
                let index = optional_index(&self.header, &field.name);
                locals.push(quote! { let mut #seen = false; });
                matches.push(quote! {
                    #name => crate::envelope::set_once_nullable(&mut #ident, &mut #seen, &mut nulls, #index, #name, &mut map)?,
                });
            }
        }
        let entries = self.order.iter().map(|slot| match slot {
            Slot::EventType => {
                quote! { map.serialize_entry("event_type", self.event.event_type().as_str())?; }
            }
            Slot::Event => {
                quote! { map.serialize_entry("event", &crate::envelope::Body(&self.event))?; }
            }
            Slot::Header(i) => {
                let field = &self.header[*i];
                let name = &field.name;
                let ident = field_ident(name);
                if field.required {
                    quote! { map.serialize_entry(#name, &self.#ident)?; }
                } else {
                    let index = optional_index(&self.header, name);
                    quote! {
                        let field = self.nulls.field(#index, &self.#ident);
                        if !field.is_absent() {
                            map.serialize_entry(#name, &field)?;
                        }
                    }
                }
            }
        });
        let doc = self
            .description
            .clone()
            .unwrap_or_else(|| "A webhook message: the envelope around one event.".to_owned());
        Ok(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            pub struct WebhookMessage {
                #(#fields)*
                /// The event, with its type.
                pub event: WebhookEvent,
                /// Fields this version of the crate does not know, kept so that
                /// re-serializing the message loses nothing.
                #[cfg(feature = "preserve-unknown-fields")]
                pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                /// Which optional header fields arrived as an explicit `null`,
                /// so that re-serializing writes them back.
                pub nulls: crate::Nulls,
            }

            impl ::serde::Serialize for WebhookMessage {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    use ::serde::ser::SerializeMap;
                    let mut map = serializer.serialize_map(::std::option::Option::None)?;
                    #(#entries)*
                    #[cfg(feature = "preserve-unknown-fields")]
                    for (key, value) in &self.extra {
                        map.serialize_entry(key, value)?;
                    }
                    map.end()
                }
            }

            impl<'de> ::serde::Deserialize<'de> for WebhookMessage {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    struct Visitor;
                    impl<'de> ::serde::de::Visitor<'de> for Visitor {
                        type Value = WebhookMessage;
                        fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                            f.write_str("a webhook message object")
                        }
                        fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<WebhookMessage, A::Error> {
                            #(#locals)*
                            let mut event = crate::envelope::EventSlot::default();
                            let mut extra = crate::envelope::Extra::default();
                            let mut nulls = crate::Nulls::default();
                            while let ::std::option::Option::Some(key) = map.next_key::<crate::envelope::Key<'de>>()? {
                                match key.as_str() {
                                    #(#matches)*
                                    "event_type" => event.event_type(&mut map)?,
                                    "event" => event.event(&mut map)?,
                                    _ => extra.insert(key, &mut map)?,
                                }
                            }
                            ::std::result::Result::Ok(WebhookMessage {
                                #(#inits)*
                                event: event.finish()?,
                                #[cfg(feature = "preserve-unknown-fields")]
                                extra: extra.into_map(),
                                nulls,
                            })
                        }
                    }
                    deserializer.deserialize_map(Visitor)
                }
            }
        })
    }
}

/// The envelope rule's finding, as an error naming its place.
fn mismatch_error(mismatch: EnvelopeMismatch) -> Error {
    match mismatch {
        EnvelopeMismatch::Shape { pointer, detail } => envelope_error(&pointer, detail),
        EnvelopeMismatch::NotInEnum {
            event_type,
            enum_name,
        } => schema_error(
            &event_schema_path(&event_type),
            "",
            format!("event type is not listed in {ENVELOPE_SCHEMA} `{enum_name}`"),
        ),
        EnvelopeMismatch::NoEvent {
            pointer,
            event_type,
            ..
        } => envelope_error(
            &pointer,
            format!(
                "event type `{event_type}` has no {}",
                event_schema_path(&event_type)
            ),
        ),
        EnvelopeMismatch::UnmatchedRef { pointer, reference } => envelope_error(
            &pointer,
            format!("`{reference}` does not reference the title of any event schema"),
        ),
        EnvelopeMismatch::NotInAnyOf { event_type, title } => schema_error(
            &event_schema_path(&event_type),
            "/title",
            format!("`{title}` is not listed in {ENVELOPE_SCHEMA} {ANY_OF}"),
        ),
    }
}

/// An event schema's title, which names its payload type.
fn event_title<'a>(event_type: &str, schema: &'a Value) -> Result<&'a str, Error> {
    schema
        .get("title")
        .and_then(Value::as_str)
        .filter(|t| syn::parse_str::<Ident>(t).is_ok())
        .ok_or_else(|| {
            schema_error(
                &event_schema_path(event_type),
                "/title",
                "missing, or not a Rust type name",
            )
        })
}

/// The layout of an event the envelope rule has matched to its schema.
fn event_layout<'a>(set: &'a SchemaSet, event_type: &str) -> Result<EventLayout<'a>, Error> {
    let schema = &set.events[event_type];
    let title = event_title(event_type, schema)?.to_owned();
    let variant = syn::parse_str::<Ident>(&upper_camel(event_type))
        .ok()
        .filter(|v| v != "Unknown")
        .ok_or_else(|| {
            schema_error(
                &event_schema_path(event_type),
                "",
                format!("event type `{event_type}` does not make a Rust variant name"),
            )
        })?;
    Ok(EventLayout {
        event_type: event_type.to_owned(),
        title,
        variant,
        schema,
    })
}

/// `task_created` -> `TaskCreated`.
/// The place of optional header field `name` in the message's null record.
fn optional_index(header: &[HeaderField], name: &str) -> u32 {
    header
        .iter()
        .filter(|field| !field.required)
        .position(|field| field.name == name)
        .map_or(0, |i| i as u32)
}

fn upper_camel(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn field_ident(name: &str) -> Option<Ident> {
    syn::parse_str::<Ident>(name).ok()
}
