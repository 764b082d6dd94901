//! A member's value held back as its JSON text until a later member says
//! how to read it: an event body written before its `event_type`, Event
//! Grid `data` before its `dataVersion`.
//!
//! The parse skims the value into a `RawValue` (checking that it is JSON,
//! building nothing) and reads the text into its type once the type is
//! known. Read from its own text, the value parses exactly as it would
//! have in place: a repeated field is an error, a number is read as
//! written, in either key order. A `RawValue` comes only from serde_json's
//! deserializers (text, bytes, readers, `Value`), so those are what a held
//! value can be read from; ARCHITECTURE.md says what that means for
//! callers.

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_path_to_error::{Segment, Track};

use crate::envelope::Key;
use crate::parse_error::{path_text, without_position};

/// A held value: its text, copied out of the input.
pub(crate) type Held = Box<RawValue>;

/// Reads `value`, held back from member `key`, with `seed`. The caller's
/// path tracking is past the object by now, so an error names its place in
/// the object in its message (`message::tracked` finds the place again from
/// the input, structurally).
///
/// Tracking a path costs about as much as the parse, so the value is read
/// without it, and again with it only if that fails.
pub(crate) fn replay<'a, S, E>(key: &str, value: &'a RawValue, seed: S) -> Result<S::Value, E>
where
    S: DeserializeSeed<'a> + Clone,
    E: de::Error,
{
    let text = value.get();
    let first = match seed
        .clone()
        .deserialize(&mut serde_json::Deserializer::from_str(text))
    {
        Ok(read) => return Ok(read),
        Err(error) => error,
    };
    let mut track = Track::new();
    let mut input = serde_json::Deserializer::from_str(text);
    let error = match seed.deserialize(serde_path_to_error::Deserializer::new(
        &mut input, &mut track,
    )) {
        Err(error) => error,
        // The same text fails the same way; if it did not, the first error
        // is still the one to report.
        Ok(_) => first,
    };
    let mut place = vec![Segment::Map {
        key: key.to_owned(),
    }];
    place.extend(track.path().iter().cloned());
    Err(E::custom(format_args!(
        "{}: {}",
        path_text(&place),
        without_position(&error)
    )))
}

/// A JSON text opened only as deep as needed: objects keep their members
/// in order with repeated names, and anything not opened stays as its
/// text. The error path of a failed parse uses it to move held-back
/// members to where the parse read them, and to quote a value found at a
/// path.
pub(crate) enum Opened<'a> {
    Text(&'a RawValue),
    Object(Vec<(Key<'a>, Opened<'a>)>),
    Array(Vec<Opened<'a>>),
}

impl<'a> Opened<'a> {
    /// `text`, if it is one JSON value.
    pub(crate) fn parse(text: &'a str) -> Option<Self> {
        serde_json::from_str(text).ok().map(Opened::Text)
    }

    /// Opens an object or array held as text; other values stay text.
    fn open(&mut self) {
        let Opened::Text(raw) = self else { return };
        let opened = match raw.get().trim_start().as_bytes().first() {
            Some(b'{') => serde_json::from_str::<Members>(raw.get())
                .ok()
                .map(|members| Opened::Object(members.0)),
            Some(b'[') => serde_json::from_str::<Vec<&RawValue>>(raw.get())
                .ok()
                .map(|items| Opened::Array(items.into_iter().map(Opened::Text).collect())),
            _ => None,
        };
        if let Some(opened) = opened {
            *self = opened;
        }
    }

    /// The value of the first member named `name`, if this is an object:
    /// where a name repeats, the first is the one a parse reads (and fails
    /// on) first.
    pub(crate) fn member(&mut self, name: &str) -> Option<&mut Opened<'a>> {
        self.open();
        let Opened::Object(members) = self else {
            return None;
        };
        members
            .iter_mut()
            .find(|(key, _)| key.as_str() == name)
            .map(|(_, value)| value)
    }

    /// The string value of member `name`, if it has one.
    pub(crate) fn member_str(&mut self, name: &str) -> Option<String> {
        match self.member(name)? {
            Opened::Text(raw) => serde_json::from_str(raw.get()).ok(),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub(crate) fn elements(&mut self) -> Option<&mut [Opened<'a>]> {
        self.open();
        match self {
            Opened::Array(items) => Some(items),
            _ => None,
        }
    }

    /// Moves the members named `name` after the others, if this is an
    /// object; members keep their order otherwise.
    pub(crate) fn move_to_end(&mut self, name: &str) {
        self.open();
        if let Opened::Object(members) = self {
            let (named, others): (Vec<_>, Vec<_>) = std::mem::take(members)
                .into_iter()
                .partition(|(key, _)| key.as_str() == name);
            *members = others;
            members.extend(named);
        }
    }

    /// The value at `path`, through the first member of a repeated name.
    pub(crate) fn at<'p>(
        &mut self,
        path: impl IntoIterator<Item = &'p Segment>,
    ) -> Option<&mut Opened<'a>> {
        path.into_iter()
            .try_fold(self, |value, segment| match segment {
                Segment::Seq { index } => value.elements()?.get_mut(*index),
                Segment::Map { key } => value.member(key),
                _ => None,
            })
    }

    /// The value as JSON text, as written in the input, if it is a number,
    /// string, boolean or null.
    pub(crate) fn scalar_json(&self) -> Option<&'a str> {
        match self {
            Opened::Text(raw) if !raw.get().starts_with(['{', '[']) => Some(raw.get()),
            _ => None,
        }
    }

    /// The value as JSON text, members in their present order.
    pub(crate) fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Opened::Text(raw) => out.push_str(raw.get()),
            Opened::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::from(key.as_str()).to_string());
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
            Opened::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
        }
    }
}

/// An object's members in order, repeated names kept, values as text.
struct Members<'a>(Vec<(Key<'a>, Opened<'a>)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some((key, value)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    members.push((key, Opened::Text(value)));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}
