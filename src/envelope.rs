//! Hand-written support for the generated envelope: the event is
//! deserialized straight into its variant once `event_type` is known, and
//! held as its JSON text only when `event` comes first.

use std::fmt;

use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::held::{replay, Held};
use crate::{Nulls, WebhookEvent, WebhookEventType};

/// An event whose `event_type` this version of the crate does not know.
///
/// The body is kept as JSON, so a message carrying it serializes back to the
/// same JSON value.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownEvent {
    /// The `event_type` as received.
    pub event_type: String,
    /// The event body as received.
    pub event: Value,
}

/// A map key, borrowed from the input when it can be.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }
            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of field `name`, which must not have been seen before.
pub(crate) fn set_once<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    name: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// [`set_once`] for an optional field, where `null` means absent and is
/// noted in `nulls` at `index`.
pub(crate) fn set_once_nullable<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    seen: &mut bool,
    nulls: &mut Nulls,
    index: u32,
    name: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if std::mem::replace(seen, true) {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = nulls.take(index, Some(map.next_value()?));
    Ok(())
}

/// Collects `event_type` and `event` in either order.
#[derive(Default)]
pub(crate) struct EventSlot {
    event_type: Option<WebhookEventType>,
    event: Option<WebhookEvent>,
    /// The body, when it came before `event_type`.
    pending: Option<Held>,
}

impl EventSlot {
    pub(crate) fn event_type<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<(), A::Error> {
        set_once(&mut self.event_type, "event_type", map)
    }

    pub(crate) fn event<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<(), A::Error> {
        if self.event.is_some() || self.pending.is_some() {
            return Err(de::Error::duplicate_field("event"));
        }
        match self.event_type.clone() {
            Some(event_type) => self.event = Some(map.next_value_seed(BodySeed(event_type))?),
            None => self.pending = Some(map.next_value()?),
        }
        Ok(())
    }

    pub(crate) fn finish<E: de::Error>(self) -> Result<WebhookEvent, E> {
        let event_type = self
            .event_type
            .ok_or_else(|| E::missing_field("event_type"))?;
        if let Some(event) = self.event {
            return Ok(event);
        }
        let body = self.pending.ok_or_else(|| E::missing_field("event"))?;
        read_held_back("event", event_type, &body)
    }
}

/// Reads the body of an event of `event_type` that the parse held back
/// from member `key` until the type was known.
pub(crate) fn read_held_back<E: de::Error>(
    key: &str,
    event_type: WebhookEventType,
    body: &serde_json::value::RawValue,
) -> Result<WebhookEvent, E> {
    if let WebhookEventType::Unknown(event_type) = event_type {
        return Ok(WebhookEvent::Unknown(UnknownEvent {
            event_type,
            event: replay(key, body, PhantomData::<Value>)?,
        }));
    }
    replay(key, body, BodySeed(event_type))
}

/// Reads an event body straight from the input, its type known.
#[derive(Clone)]
pub(crate) struct BodySeed(pub(crate) WebhookEventType);

impl<'de> DeserializeSeed<'de> for BodySeed {
    type Value = WebhookEvent;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<WebhookEvent, D::Error> {
        WebhookEvent::deserialize_body(self.0, deserializer)
    }
}

/// Serializes an event's body alone.
pub(crate) struct Body<'a>(pub(crate) &'a WebhookEvent);

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_body(serializer)
    }
}

/// The message's fields that the schema does not know: kept with feature
/// `preserve-unknown-fields`, skipped without it.
#[derive(Default)]
pub(crate) struct Extra {
    #[cfg(feature = "preserve-unknown-fields")]
    map: serde_json::Map<String, Value>,
}

impl Extra {
    pub(crate) fn insert<'de, A: MapAccess<'de>>(
        &mut self,
        key: Key<'de>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        #[cfg(feature = "preserve-unknown-fields")]
        {
            let key = match key {
                Key::Borrowed(key) => key.to_owned(),
                Key::Owned(key) => key,
            };
            self.map.insert(key, map.next_value()?);
        }
        #[cfg(not(feature = "preserve-unknown-fields"))]
        {
            let _ = key;
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    #[cfg(feature = "preserve-unknown-fields")]
    pub(crate) fn into_map(self) -> serde_json::Map<String, Value> {
        self.map
    }
}

/// `{"event_type": ..., "event": ...}`, as in a message.
impl Serialize for WebhookEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("event_type", self.event_type().as_str())?;
        map.serialize_entry("event", &Body(self))?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for WebhookEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EventVisitor;
        impl<'de> Visitor<'de> for EventVisitor {
            type Value = WebhookEvent;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object with `event_type` and `event`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WebhookEvent, A::Error> {
                let mut slot = EventSlot::default();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.as_str() {
                        "event_type" => slot.event_type(&mut map)?,
                        "event" => slot.event(&mut map)?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                slot.finish()
            }
        }
        deserializer.deserialize_map(EventVisitor)
    }
}

impl WebhookEventType {
    fn named(name: &str) -> Self {
        Self::known(name).unwrap_or_else(|| Self::Unknown(name.to_owned()))
    }
}

impl fmt::Display for WebhookEventType {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Never fails: a name this crate does not know becomes
/// [`WebhookEventType::Unknown`].
impl std::str::FromStr for WebhookEventType {
    type Err = std::convert::Infallible;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Ok(Self::named(name))
    }
}

impl Serialize for WebhookEventType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for WebhookEventType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TypeVisitor;
        impl Visitor<'_> for TypeVisitor {
            type Value = WebhookEventType;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an event type name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<WebhookEventType, E> {
                Ok(WebhookEventType::named(name))
            }
            fn visit_string<E: de::Error>(self, name: String) -> Result<WebhookEventType, E> {
                Ok(WebhookEventType::known(&name).unwrap_or(WebhookEventType::Unknown(name)))
            }
        }
        deserializer.deserialize_str(TypeVisitor)
    }
}
