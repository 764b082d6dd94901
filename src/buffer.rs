//! A JSON value held exactly as it was read, for an event body that arrives
//! before its `event_type`.
//!
//! Object members stay in order with repeated names kept, and numbers stay
//! the kind they were read as. Replayed into the body's type, the value
//! looks as it would have straight from the input, so the body parses the
//! same in either key order. A `serde_json::Value` would not do: it keeps
//! only the last of two members with one name, where reading from the
//! input rejects a repeated field.

use std::fmt;
use std::vec;

use serde::de::value::StringDeserializer;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::Deserialize;
use serde_json::{Number, Value};

/// A JSON value as a deserializer presented it.
#[derive(Debug)]
pub(crate) enum Buffered {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    String(String),
    Seq(Vec<Buffered>),
    /// Members in input order, repeated names included.
    Map(Vec<(String, Buffered)>),
}

impl Buffered {
    /// The value of the first member named `name`, if this is an object:
    /// where a name repeats, the first is the one a parse reads (and fails
    /// on) first.
    pub(crate) fn member(&self, name: &str) -> Option<&Buffered> {
        let Buffered::Map(members) = self else {
            return None;
        };
        members.iter().find(|(key, _)| key == name).map(|(_, v)| v)
    }

    /// [`member`](Self::member), to change it.
    pub(crate) fn member_mut(&mut self, name: &str) -> Option<&mut Buffered> {
        let Buffered::Map(members) = self else {
            return None;
        };
        members
            .iter_mut()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v)
    }

    /// Moves the members named `name` after the others, if this is an
    /// object; members keep their order otherwise.
    pub(crate) fn move_to_end(&mut self, name: &str) {
        if let Buffered::Map(members) = self {
            let (named, others) = std::mem::take(members)
                .into_iter()
                .partition(|(key, _)| key == name);
            *members = others;
            members.extend::<Vec<_>>(named);
        }
    }

    /// The value at `path`, through the first member of a repeated name.
    pub(crate) fn at<'a>(
        &self,
        path: impl IntoIterator<Item = &'a serde_path_to_error::Segment>,
    ) -> Option<&Buffered> {
        use serde_path_to_error::Segment;
        path.into_iter()
            .try_fold(self, |value, segment| match (value, segment) {
                (Buffered::Seq(items), Segment::Seq { index }) => items.get(*index),
                (Buffered::Map(_), Segment::Map { key }) => value.member(key),
                _ => None,
            })
    }

    /// A number, string, boolean or null as JSON text; `None` for an array
    /// or object.
    pub(crate) fn scalar_json(&self) -> Option<String> {
        match self {
            Buffered::Seq(_) | Buffered::Map(_) => None,
            Buffered::String(s) => serde_json::to_string(s).ok(),
            Buffered::Null => Some("null".to_owned()),
            Buffered::Bool(b) => Some(b.to_string()),
            Buffered::U64(n) => Some(n.to_string()),
            Buffered::I64(n) => Some(n.to_string()),
            Buffered::F64(n) => Number::from_f64(*n).map(|n| n.to_string()),
        }
    }

    /// The value as JSON, as replaying it into a `Value` would give, but
    /// an array's elements are converted where they lie, so a large array
    /// is not held twice.
    pub(crate) fn into_value(self) -> Value {
        match self {
            Buffered::Null => Value::Null,
            Buffered::Bool(b) => Value::Bool(b),
            Buffered::U64(n) => n.into(),
            Buffered::I64(n) => n.into(),
            Buffered::F64(n) => Number::from_f64(n).map_or(Value::Null, Value::Number),
            Buffered::String(s) => Value::String(s),
            Buffered::Seq(items) => {
                Value::Array(items.into_iter().map(Buffered::into_value).collect())
            }
            // Of a repeated name, the last value stays, as in a `Value` read from text.
            Buffered::Map(members) => Value::Object(
                members
                    .into_iter()
                    .map(|(key, value)| (key, value.into_value()))
                    .collect(),
            ),
        }
    }

    /// A number is offered as the kind it was read as, whatever type asks
    /// (the visitor converts or refuses), as serde_json does.
    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self {
            Buffered::U64(n) => visitor.visit_u64(n),
            Buffered::I64(n) => visitor.visit_i64(n),
            Buffered::F64(n) => visitor.visit_f64(n),
            other => Err(other.invalid_type_of(&visitor)),
        }
    }

    fn invalid_type_of<'de, V: Visitor<'de>>(&self, visitor: &V) -> serde_json::Error {
        de::Error::invalid_type(self.unexpected(), visitor)
    }

    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Buffered::Null => Unexpected::Unit,
            Buffered::Bool(b) => Unexpected::Bool(*b),
            Buffered::U64(n) => Unexpected::Unsigned(*n),
            Buffered::I64(n) => Unexpected::Signed(*n),
            Buffered::F64(n) => Unexpected::Float(*n),
            Buffered::String(s) => Unexpected::Str(s),
            Buffered::Seq(_) => Unexpected::Seq,
            Buffered::Map(_) => Unexpected::Map,
        }
    }
}

impl<'de> Deserialize<'de> for Buffered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BufferVisitor)
    }
}

struct BufferVisitor;

impl<'de> Visitor<'de> for BufferVisitor {
    type Value = Buffered;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Buffered, E> {
        Ok(Buffered::Null)
    }

    fn visit_none<E>(self) -> Result<Buffered, E> {
        Ok(Buffered::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Buffered, D::Error> {
        Buffered::deserialize(deserializer)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Buffered, E> {
        Ok(Buffered::Bool(b))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Buffered, E> {
        Ok(Buffered::U64(n))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Buffered, E> {
        Ok(Buffered::I64(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Buffered, E> {
        Ok(Buffered::F64(n))
    }

    fn visit_str<E>(self, s: &str) -> Result<Buffered, E> {
        Ok(Buffered::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Buffered, E> {
        Ok(Buffered::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Buffered, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Buffered::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Buffered, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(member) = map.next_entry()? {
            members.push(member);
        }
        Ok(Buffered::Map(members))
    }
}

/// Deserializer methods that do what another method of `Buffered` does.
macro_rules! forward {
    ($($method:ident)* => $to:ident) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.$to(visitor)
        }
    )*};
}

/// Replays the value; each method does what serde_json's reader does with
/// the same JSON in the input.
impl<'de> Deserializer<'de> for Buffered {
    type Error = serde_json::Error;

    forward!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 => number);
    forward!(deserialize_char deserialize_str deserialize_identifier => deserialize_string);

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Buffered::Null => visitor.visit_unit(),
            Buffered::Bool(b) => visitor.visit_bool(b),
            Buffered::U64(n) => visitor.visit_u64(n),
            Buffered::I64(n) => visitor.visit_i64(n),
            Buffered::F64(n) => visitor.visit_f64(n),
            Buffered::String(s) => visitor.visit_string(s),
            Buffered::Seq(items) => visit_seq(items, visitor),
            Buffered::Map(members) => visit_map(members, visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Buffered::Bool(b) => visitor.visit_bool(b),
            other => Err(other.invalid_type_of(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Buffered::String(s) => visitor.visit_string(s),
            other => Err(other.invalid_type_of(&visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Buffered::String(s) => visitor.visit_byte_buf(s.into_bytes()),
            Buffered::Seq(items) => visit_seq(items, visitor),
            other => Err(other.invalid_type_of(&visitor)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Buffered::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Buffered::Null => visitor.visit_unit(),
            other => Err(other.invalid_type_of(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Buffered::Seq(items) => visit_seq(items, visitor),
            other => Err(other.invalid_type_of(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Buffered::Map(members) => visit_map(members, visitor),
            other => Err(other.invalid_type_of(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self {
            Buffered::Seq(items) => visit_seq(items, visitor),
            Buffered::Map(members) => visit_map(members, visitor),
            other => Err(other.invalid_type_of(&visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self {
            // A string names a unit variant.
            Buffered::String(s) => visitor.visit_enum(s.into_deserializer()),
            // An object of one member is a variant and its content.
            Buffered::Map(mut members) if members.len() == 1 => {
                let (name, value) = members.remove(0);
                visitor.visit_enum(Variant { name, value })
            }
            other => Err(other.invalid_type_of(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }
}

/// Replays a sequence; like serde_json, elements the visitor leaves are an
/// error.
fn visit_seq<'de, V: Visitor<'de>>(
    items: Vec<Buffered>,
    visitor: V,
) -> Result<V::Value, serde_json::Error> {
    let len = items.len();
    let mut seq = Seq(items.into_iter());
    let value = visitor.visit_seq(&mut seq)?;
    match seq.0.len() {
        0 => Ok(value),
        _ => Err(de::Error::invalid_length(len, &"fewer elements in array")),
    }
}

/// Replays an object, repeated names included; like serde_json, members
/// the visitor leaves are an error.
fn visit_map<'de, V: Visitor<'de>>(
    members: Vec<(String, Buffered)>,
    visitor: V,
) -> Result<V::Value, serde_json::Error> {
    let len = members.len();
    let mut map = Map {
        members: members.into_iter(),
        value: None,
    };
    let value = visitor.visit_map(&mut map)?;
    match map.members.len() {
        0 => Ok(value),
        _ => Err(de::Error::invalid_length(len, &"fewer elements in map")),
    }
}

struct Seq(vec::IntoIter<Buffered>);

impl<'de> SeqAccess<'de> for &mut Seq {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0.next().map(|item| seed.deserialize(item)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map {
    members: vec::IntoIter<(String, Buffered)>,
    value: Option<Buffered>,
}

impl<'de> MapAccess<'de> for &mut Map {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(key_deserializer(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(de::Error::custom(
                "a map value was asked for before its key",
            )),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

fn key_deserializer(key: String) -> StringDeserializer<serde_json::Error> {
    key.into_deserializer()
}

/// An enum variant written as `{"name": content}`.
struct Variant {
    name: String,
    value: Buffered,
}

impl<'de> EnumAccess<'de> for Variant {
    type Error = serde_json::Error;
    type Variant = Buffered;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Buffered), Self::Error> {
        Ok((seed.deserialize(key_deserializer(self.name))?, self.value))
    }
}

impl<'de> VariantAccess<'de> for Buffered {
    type Error = serde_json::Error;

    fn unit_variant(self) -> Result<(), Self::Error> {
        <()>::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_struct("", &[], visitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Debug;

    use serde::de::DeserializeOwned;
    use serde::Deserialize;
    use serde_json::Value;

    use super::Buffered;

    #[derive(Debug, PartialEq, Deserialize)]
    enum Kind {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { a: Option<bool> },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Fields {
        n: u8,
        s: String,
        #[serde(default)]
        kind: Option<Kind>,
        #[serde(default)]
        list: Vec<(u64, f64)>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Flat {
        n: i64,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }

    /// Reading `text` through the buffer gives what reading it directly
    /// gives: the same value, or an error in both.
    fn agrees<T: DeserializeOwned + PartialEq + Debug>(text: &str) {
        let direct = serde_json::from_str::<T>(text);
        let buffered = serde_json::from_str::<Buffered>(text)
            .and_then(|b| T::deserialize(b))
            .map_err(|e| e.to_string());
        match (&direct, &buffered) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{text}: direct {direct:?}, buffered {buffered:?}"),
        }
    }

    #[test]
    fn reads_like_the_input_would() {
        for text in [
            r#"{"n":1,"s":"x"}"#,
            r#"{"n":1,"s":"x","n":2}"#,
            r#"{"n":256,"s":"x"}"#,
            r#"{"n":-1,"s":"x"}"#,
            r#"{"n":1.0,"s":"x"}"#,
            r#"{"n":"1","s":"x"}"#,
            r#"{"n":1,"s":null}"#,
            r#"{"n":1,"s":"x","other":[1,{"a":null}]}"#,
            r#"[1,"x"]"#,
            r#"[1,"x",null,[],7]"#,
            r#"{"n":1,"s":"x","kind":"Unit"}"#,
            r#"{"n":1,"s":"x","kind":{"Unit":null}}"#,
            r#"{"n":1,"s":"x","kind":{"Unit":1}}"#,
            r#"{"n":1,"s":"x","kind":{"Newtype":7}}"#,
            r#"{"n":1,"s":"x","kind":{"Tuple":[-3,"y"]}}"#,
            r#"{"n":1,"s":"x","kind":{"Tuple":[-3,"y",0]}}"#,
            r#"{"n":1,"s":"x","kind":{"Struct":{"a":true}}}"#,
            r#"{"n":1,"s":"x","kind":{"Struct":[null]}}"#,
            r#"{"n":1,"s":"x","kind":{"Newtype":1,"Unit":null}}"#,
            r#"{"n":1,"s":"x","kind":{}}"#,
            r#"{"n":1,"s":"x","kind":"Other"}"#,
            r#"{"n":1,"s":"x","kind":null}"#,
            r#"{"n":1,"s":"x","list":[[1,2.5],[3,-4]]}"#,
            r#"{"n":1,"s":"x","list":[[1]]}"#,
            r#"{"n":1,"s":"x","list":[[-1,0]]}"#,
            r#"{"n":1,"s":"x","list":{}}"#,
            r#""n""#,
            "null",
        ] {
            agrees::<Fields>(text);
            agrees::<Flat>(text);
            agrees::<Value>(text);
            agrees::<Option<Vec<u8>>>(text);
        }
    }

    #[test]
    fn into_value_is_the_value_read_from_the_input() {
        for text in [
            r#"{"a":1,"b":[true,null,-2,0.5,"s"],"a":{"c":{}},"d":[]}"#,
            "18446744073709551615",
            "-9223372036854775808",
            "1e300",
            r#""""#,
        ] {
            let buffered: Buffered = serde_json::from_str(text).unwrap();
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(buffered.into_value(), value, "{text}");
        }
    }
}
