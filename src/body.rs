//! One entry point for both body formats, told apart by the body itself.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::held::Opened;
use crate::message::{self, HoldsBack};
use crate::{EventGridEvent, ParseError, WebhookEvent, WebhookMessage};

/// A webhook request body in either of the formats OneFuzz sends, told
/// apart by the JSON itself: an object is a webhook message
/// (`message_format` `onefuzz`), an array is Event Grid entries
/// (`event_grid`). A receiver needs no setting for the format.
///
/// An empty array is a body with no events, not an error: the format
/// allows it, and reading it loses nothing.
#[derive(Clone, Debug, PartialEq)]
// A body is one value per request, matched once: boxing the message would
// cost an allocation and a dereference for nothing.
#[allow(clippy::large_enum_variant)]
pub enum Body {
    /// A webhook message.
    Webhook(WebhookMessage),
    /// Event Grid entries, in the order sent.
    EventGrid(Vec<EventGridEvent>),
}

/// One event of a [`Body`], with the id to de-duplicate deliveries by.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct BodyEvent<'a> {
    /// The event's id: a message's `event_id`, or an Event Grid entry's `id`.
    pub event_id: Option<Uuid>,
    /// The event.
    pub event: &'a WebhookEvent,
}

impl Body {
    /// Parses a body in either format from the bytes of a request body.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ParseError> {
        message::from_slice(bytes)
    }

    /// Parses a body in either format from a string.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<Self, ParseError> {
        message::from_str(text)
    }

    /// The body's events in the order sent: a message's one event, or each
    /// entry's.
    pub fn events(&self) -> impl Iterator<Item = BodyEvent<'_>> {
        let (message, entries) = match self {
            Body::Webhook(message) => (Some(message), &[][..]),
            Body::EventGrid(entries) => (None, &entries[..]),
        };
        let message = message.map(|message| BodyEvent {
            event_id: message.event_id,
            event: &message.event,
        });
        message
            .into_iter()
            .chain(entries.iter().map(|entry| BodyEvent {
                event_id: Some(entry.id),
                event: entry.event(),
            }))
    }
}

impl HoldsBack for Body {
    fn in_read_order(input: &mut Opened<'_>) {
        match input.elements() {
            Some(entries) => entries.iter_mut().for_each(EventGridEvent::in_read_order),
            None => WebhookMessage::in_read_order(input),
        }
    }
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BodyVisitor)
    }
}

struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = Body;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a webhook message (a JSON object) or Event Grid events (a JSON array)")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Body, A::Error> {
        WebhookMessage::deserialize(MapAccessDeserializer::new(map)).map(Body::Webhook)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, entries: A) -> Result<Body, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(entries)).map(Body::EventGrid)
    }
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Body::Webhook(message) => message.serialize(serializer),
            Body::EventGrid(entries) => entries.serialize(serializer),
        }
    }
}
