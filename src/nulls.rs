//! The record of which optional fields arrived as an explicit `null`.

use serde::de::Visitor;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Which optional fields of a value arrived as an explicit `null`.
///
/// Reading a message, an optional field that the sender wrote as `null` is
/// `None`, as if absent, and this record keeps that it was written, so that
/// re-serializing gives back the `null`: a relayed or stored message stays
/// the JSON that was sent. A field set to `Some` is written as its value
/// whatever the record says. Build values in code with `Nulls::default()`
/// (every absent field omitted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Nulls(u64);

impl Nulls {
    /// Whether no field arrived as `null`.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Forgets every `null`: absent fields are then omitted when
    /// serializing.
    pub fn clear(&mut self) {
        self.0 = 0;
    }

    /// An optional field as read: absent, `null` (noted at `index`), or a value.
    pub(crate) fn take<T>(&mut self, index: u32, read: Option<Option<T>>) -> Option<T> {
        if matches!(read, Some(None)) {
            self.0 |= 1 << index;
        }
        read.flatten()
    }

    /// An optional field as it is to be written.
    pub(crate) fn field<'a, T>(self, index: u32, value: &'a Option<T>) -> Field<'a, T> {
        match value {
            Some(value) => Field::Value(value),
            None if self.0 & (1 << index) != 0 => Field::Null,
            None => Field::Absent,
        }
    }
}

/// Reads a field that is present: `null` or a value.
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Reads a struct from a JSON object only. serde's derive also reads a
/// struct from an array of its fields, and with `default` on every optional
/// field (which the null record needs) an array would then stand for any
/// object whose missing fields are optional: `[]` would be a struct with
/// nothing set. The wire structs are read through this instead.
pub(crate) struct MapOnly<D>(pub(crate) D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for MapOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// An optional field to write.
pub(crate) enum Field<'a, T> {
    Absent,
    Null,
    Value(&'a T),
}

impl<T> Field<'_, T> {
    pub(crate) fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }
}

impl<T: Serialize> Serialize for Field<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Skipped by `is_absent`; a `null` if a serializer is asked anyway.
            Field::Absent | Field::Null => serializer.serialize_none(),
            Field::Value(value) => serializer.serialize_some(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_null_read_is_written_back_and_a_value_wins() {
        let mut nulls = Nulls::default();
        assert_eq!(nulls.take::<u8>(3, None), None);
        assert!(nulls.is_empty());
        assert_eq!(nulls.take::<u8>(3, Some(None)), None);
        assert_eq!(nulls.take(5, Some(Some(7_u8))), Some(7));
        assert!(!nulls.is_empty());
        assert!(matches!(nulls.field::<u8>(3, &None), Field::Null));
        assert!(matches!(nulls.field(3, &Some(1_u8)), Field::Value(1)));
        assert!(nulls.field::<u8>(5, &None).is_absent());
        assert!(nulls.field::<u8>(63, &None).is_absent());
        nulls.clear();
        assert!(nulls.field::<u8>(3, &None).is_absent());
    }
}
