//! The Event Grid body format: a JSON array of entries, each carrying one
//! event in its `data`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, Unexpected, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::envelope::{self, set_once, set_once_nullable, BodySeed, Extra, Key};
use crate::held::{replay, Held, Opened};
use crate::message::HoldsBack;
use crate::{DateTime, Nulls, WebhookEvent, WebhookEventType, WebhookMessage};

/// One entry of an Event Grid body.
///
/// Its `dataVersion` says what `data` holds (see [`EventGridData`]); the
/// entry's event type is the type of that event, and its key is written as
/// it was read ([`EventTypeKey`]). Entries parse in any key order, like
/// messages, and serialize back to the same JSON value; members this crate
/// does not know (such as `topic` or `metadataVersion`) are kept in `extra`
/// with feature `preserve-unknown-fields`, and dropped without it.
#[derive(Clone, Debug, PartialEq)]
pub struct EventGridEvent {
    /// `id`: the event's id, the `event_id` of the webhook format.
    pub id: Uuid,
    /// `subject`: the name of the OneFuzz instance.
    pub subject: String,
    /// `eventTime`: when the entry was sent (a retry has a new one).
    pub event_time: DateTime,
    /// `data`, as its `dataVersion` says.
    pub data: EventGridData,
    /// How the entry spells the key of its event type.
    pub event_type_key: EventTypeKey,
    /// `sas_url`: the download URL of the stored event, sent beside `data`
    /// by the C# service 8.1.0-8.4.0.
    pub sas_url: Option<String>,
    /// `version`: a format version, sent beside `data` by the C# service
    /// 8.1.0-8.4.0.
    pub version: Option<String>,
    /// Members this version of the crate does not know, kept so that
    /// re-serializing the entry loses nothing.
    #[cfg(feature = "preserve-unknown-fields")]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Which of `sas_url` and `version` arrived as an explicit `null`, so
    /// that re-serializing writes them back.
    pub nulls: Nulls,
}

/// An entry's `data`, in the form its `dataVersion` names.
///
/// The version decides, never the shape of `data`, as a message's event is
/// chosen by its `event_type`. A `dataVersion` other than these two is a
/// [`ParseError`](crate::ParseError) at `[<entry>].dataVersion`: data in a
/// layout this crate does not know cannot be typed, and every release of
/// the OneFuzz services sent one of the two.
#[derive(Clone, Debug, PartialEq)]
pub enum EventGridData {
    /// `dataVersion` `1.0.0`: the event alone, read as the variant of the
    /// entry's event type; a type this crate does not know gives
    /// [`WebhookEvent::Unknown`].
    Event(WebhookEvent),
    /// `dataVersion` `2.0.0`: the whole webhook message, as the webhook
    /// format sends it. Its `event_type` must be the entry's event type.
    /// Boxed, as a message is several times the size of an event, and
    /// entries of either form share a `Vec`.
    Message(Box<WebhookMessage>),
}

/// The key of an entry's event type, which the senders spelled two ways.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EventTypeKey {
    /// `eventType`, as the Event Grid schema and the Python service spell it.
    #[default]
    CamelCase,
    /// `EventType`, as the C# service spelled it.
    PascalCase,
}

impl EventGridEvent {
    /// The entry's event.
    pub fn event(&self) -> &WebhookEvent {
        self.data.event()
    }

    /// The entry's event type.
    pub fn event_type(&self) -> WebhookEventType {
        self.event().event_type()
    }
}

impl EventGridData {
    /// The event: the data itself, or the message's.
    pub fn event(&self) -> &WebhookEvent {
        match self {
            EventGridData::Event(event) => event,
            EventGridData::Message(message) => &message.event,
        }
    }

    /// The `dataVersion` of this form of data.
    pub fn data_version(&self) -> &'static str {
        match self {
            EventGridData::Event(_) => DataVersion::Event.as_str(),
            EventGridData::Message(_) => DataVersion::Message.as_str(),
        }
    }
}

impl EventTypeKey {
    /// The key as written.
    pub fn as_str(self) -> &'static str {
        match self {
            EventTypeKey::CamelCase => "eventType",
            EventTypeKey::PascalCase => "EventType",
        }
    }
}

/// A `dataVersion` this crate reads.
#[derive(Clone, Copy)]
enum DataVersion {
    Event,
    Message,
}

impl DataVersion {
    fn as_str(self) -> &'static str {
        match self {
            DataVersion::Event => "1.0.0",
            DataVersion::Message => "2.0.0",
        }
    }
}

impl<'de> Deserialize<'de> for DataVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VersionVisitor;
        impl Visitor<'_> for VersionVisitor {
            type Value = DataVersion;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`1.0.0` (data is the event) or `2.0.0` (data is the message)")
            }
            fn visit_str<E: de::Error>(self, version: &str) -> Result<DataVersion, E> {
                [DataVersion::Event, DataVersion::Message]
                    .into_iter()
                    .find(|known| known.as_str() == version)
                    .ok_or_else(|| E::invalid_value(Unexpected::Str(version), &self))
            }
        }
        deserializer.deserialize_str(VersionVisitor)
    }
}

/// Indices of the optional members in [`EventGridEvent::nulls`].
const SAS_URL: u32 = 0;
const VERSION: u32 = 1;

/// `data` as read: in its form, or held back until `dataVersion` and the
/// event type are known (the Python service wrote `data` first).
enum Data {
    Read(EventGridData),
    HeldBack(Held),
}

/// Collects `dataVersion`, the event type and `data`, in any order.
#[derive(Default)]
struct DataSlot {
    version: Option<DataVersion>,
    event_type: Option<WebhookEventType>,
    key: EventTypeKey,
    data: Option<Data>,
}

impl DataSlot {
    fn version<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<(), A::Error> {
        set_once(&mut self.version, "dataVersion", map)
    }

    /// One slot for both spellings: a second is a repeated field.
    fn event_type<'de, A: MapAccess<'de>>(
        &mut self,
        key: EventTypeKey,
        map: &mut A,
    ) -> Result<(), A::Error> {
        self.key = key;
        set_once(&mut self.event_type, key.as_str(), map)
    }

    fn data<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<(), A::Error> {
        if self.data.is_some() {
            return Err(de::Error::duplicate_field("data"));
        }
        self.data = Some(match (self.version, &self.event_type) {
            (Some(DataVersion::Message), _) => {
                Data::Read(EventGridData::Message(map.next_value()?))
            }
            (Some(DataVersion::Event), Some(event_type)) => {
                let event = map.next_value_seed(BodySeed(event_type.clone()))?;
                Data::Read(EventGridData::Event(event))
            }
            _ => Data::HeldBack(map.next_value()?),
        });
        Ok(())
    }

    fn finish<E: de::Error>(self) -> Result<(EventGridData, EventTypeKey), E> {
        let version = self
            .version
            .ok_or_else(|| E::missing_field("dataVersion"))?;
        let event_type = self
            .event_type
            .ok_or_else(|| E::custom("missing field `eventType` or `EventType`"))?;
        let data = match (self.data.ok_or_else(|| E::missing_field("data"))?, version) {
            (Data::Read(data), _) => data,
            (Data::HeldBack(body), DataVersion::Event) => {
                EventGridData::Event(envelope::read_held_back("data", event_type.clone(), &body)?)
            }
            (Data::HeldBack(body), DataVersion::Message) => {
                EventGridData::Message(replay("data", &body, PhantomData::<Box<WebhookMessage>>)?)
            }
        };
        if let EventGridData::Message(message) = &data {
            if message.event_type() != event_type {
                return Err(E::custom(format_args!(
                    "`{}` is `{event_type}`, but `data.event_type` is `{}`",
                    self.key.as_str(),
                    message.event_type(),
                )));
            }
        }
        Ok((data, self.key))
    }
}

impl<'de> Deserialize<'de> for EventGridEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EntryVisitor)
    }
}

struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = EventGridEvent;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an Event Grid event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventGridEvent, A::Error> {
        let (mut id, mut subject, mut event_time) = (None, None, None);
        let mut data = DataSlot::default();
        let (mut sas_url, mut sas_url_seen) = (None, false);
        let (mut version, mut version_seen) = (None, false);
        let mut extra = Extra::default();
        let mut nulls = Nulls::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.as_str() {
                "id" => set_once(&mut id, "id", &mut map)?,
                "subject" => set_once(&mut subject, "subject", &mut map)?,
                "eventTime" => set_once(&mut event_time, "eventTime", &mut map)?,
                "dataVersion" => data.version(&mut map)?,
                "eventType" => data.event_type(EventTypeKey::CamelCase, &mut map)?,
                "EventType" => data.event_type(EventTypeKey::PascalCase, &mut map)?,
                "data" => data.data(&mut map)?,
                "sas_url" => set_once_nullable(
                    &mut sas_url,
                    &mut sas_url_seen,
                    &mut nulls,
                    SAS_URL,
                    "sas_url",
                    &mut map,
                )?,
                "version" => set_once_nullable(
                    &mut version,
                    &mut version_seen,
                    &mut nulls,
                    VERSION,
                    "version",
                    &mut map,
                )?,
                _ => extra.insert(key, &mut map)?,
            }
        }
        let (data, event_type_key) = data.finish()?;
        Ok(EventGridEvent {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            subject: subject.ok_or_else(|| de::Error::missing_field("subject"))?,
            event_time: event_time.ok_or_else(|| de::Error::missing_field("eventTime"))?,
            data,
            event_type_key,
            sas_url,
            version,
            #[cfg(feature = "preserve-unknown-fields")]
            extra: extra.into_map(),
            nulls,
        })
    }
}

impl HoldsBack for EventGridEvent {
    fn in_read_order(entry: &mut Opened<'_>) {
        // A message in `data` holds its event back as a message body does.
        let version = entry.member_str("dataVersion");
        if version.as_deref() == Some(DataVersion::Message.as_str()) {
            if let Some(message) = entry.member("data") {
                WebhookMessage::in_read_order(message);
            }
        }
        entry.move_to_end("data");
    }
}

impl Serialize for EventGridEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("dataVersion", self.data.data_version())?;
        map.serialize_entry("subject", &self.subject)?;
        map.serialize_entry(self.event_type_key.as_str(), self.event_type().as_str())?;
        map.serialize_entry("eventTime", &self.event_time)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("data", &self.data)?;
        for (index, key, value) in [
            (SAS_URL, "sas_url", &self.sas_url),
            (VERSION, "version", &self.version),
        ] {
            let field = self.nulls.field(index, value);
            if !field.is_absent() {
                map.serialize_entry(key, &field)?;
            }
        }
        #[cfg(feature = "preserve-unknown-fields")]
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl Serialize for EventGridData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EventGridData::Event(event) => envelope::Body(event).serialize(serializer),
            EventGridData::Message(message) => message.serialize(serializer),
        }
    }
}
