//! What the envelope schema must say of the event schemas: its event-type
//! enum lists exactly the events, and `event.anyOf` refers to exactly
//! their titles. The extractor applies the rule to a doc (naming doc
//! lines), the generator to `schemas/` (naming JSON pointers); the rule
//! itself is here only.

use serde_json::Value;

use crate::keywords::child;
use crate::schema_set::event_type_enum;

/// One event schema, as the rule sees it.
#[derive(Clone, Copy, Debug)]
pub struct EventTitle<'a> {
    pub event_type: &'a str,
    /// The schema's `title`, which `event.anyOf` refers to.
    pub title: &'a str,
}

/// Where the envelope and the event schemas disagree. Pointers are into
/// the envelope schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvelopeMismatch {
    /// The envelope is not shaped as the rule needs.
    Shape { pointer: String, detail: String },
    /// An event the event-type enum does not list.
    NotInEnum {
        event_type: String,
        enum_name: String,
    },
    /// An event type the enum lists that has no event schema.
    NoEvent {
        pointer: String,
        event_type: String,
        enum_name: String,
    },
    /// An `event.anyOf` entry that refers to no event schema's title.
    UnmatchedRef { pointer: String, reference: String },
    /// An event whose title `event.anyOf` does not list.
    NotInAnyOf { event_type: String, title: String },
}

/// Where the envelope lists the event schemas' titles.
pub(crate) const ANY_OF: &str = "/properties/event/anyOf";

/// The definition an `anyOf` entry's `$ref` names.
fn title_of(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/definitions/")
}

/// Checks `envelope` against `events`; returns the event-type enum's
/// definition name and the event types in the enum's order.
pub fn check_envelope<'e>(
    envelope: &'e Value,
    events: &[EventTitle<'_>],
) -> Result<(String, Vec<&'e str>), EnvelopeMismatch> {
    let shape = |pointer: &str, detail: &str| EnvelopeMismatch::Shape {
        pointer: pointer.to_owned(),
        detail: detail.to_owned(),
    };
    let enum_name = event_type_enum(envelope)
        .ok_or_else(|| {
            shape(
                "/properties/event_type",
                "not a `$ref` to the event-type enum definition",
            )
        })?
        .to_owned();
    let enum_pointer = child(&child("/definitions", &enum_name), "enum");
    let listed: Vec<&str> = envelope
        .pointer(&enum_pointer)
        .and_then(Value::as_array)
        .ok_or_else(|| shape(&enum_pointer, "missing or not an array"))?
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_str()
                .ok_or_else(|| shape(&format!("{enum_pointer}/{i}"), "not a string"))
        })
        .collect::<Result<_, _>>()?;
    if let Some(e) = events.iter().find(|e| !listed.contains(&e.event_type)) {
        return Err(EnvelopeMismatch::NotInEnum {
            event_type: e.event_type.to_owned(),
            enum_name,
        });
    }
    if let Some((i, missing)) = listed
        .iter()
        .enumerate()
        .find(|(_, t)| !events.iter().any(|e| e.event_type == **t))
    {
        return Err(EnvelopeMismatch::NoEvent {
            pointer: format!("{enum_pointer}/{i}"),
            event_type: (*missing).to_owned(),
            enum_name,
        });
    }
    let refs: Vec<&str> = envelope
        .pointer(ANY_OF)
        .and_then(Value::as_array)
        .ok_or_else(|| shape(ANY_OF, "missing or not an array"))?
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            entry
                .get("$ref")
                .and_then(Value::as_str)
                .ok_or_else(|| shape(&format!("{ANY_OF}/{i}"), "not a `$ref`"))
        })
        .collect::<Result<_, _>>()?;
    if let Some((i, reference)) = refs
        .iter()
        .enumerate()
        .find(|(_, r)| !title_of(r).is_some_and(|title| events.iter().any(|e| e.title == title)))
    {
        return Err(EnvelopeMismatch::UnmatchedRef {
            pointer: format!("{ANY_OF}/{i}"),
            reference: (*reference).to_owned(),
        });
    }
    if let Some(e) = events
        .iter()
        .find(|e| !refs.iter().any(|r| title_of(r) == Some(e.title)))
    {
        return Err(EnvelopeMismatch::NotInAnyOf {
            event_type: e.event_type.to_owned(),
            title: e.title.to_owned(),
        });
    }
    Ok((enum_name, listed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn envelope(listed: Value, refs: Value) -> Value {
        json!({
            "properties": {"event_type": {"$ref": "#/definitions/Kinds"}, "event": {"anyOf": refs}},
            "definitions": {"Kinds": {"enum": listed}}
        })
    }

    const EVENTS: [EventTitle<'static>; 2] = [
        EventTitle {
            event_type: "a",
            title: "A",
        },
        EventTitle {
            event_type: "b",
            title: "B",
        },
    ];

    fn refs(titles: &[&str]) -> Value {
        titles
            .iter()
            .map(|t| json!({"$ref": format!("#/definitions/{t}")}))
            .collect()
    }

    #[test]
    fn an_envelope_that_lists_exactly_the_events_passes_in_its_order() {
        let envelope = envelope(json!(["b", "a"]), refs(&["A", "B"]));
        let (name, order) = check_envelope(&envelope, &EVENTS).unwrap();
        assert_eq!((name.as_str(), order), ("Kinds", vec!["b", "a"]));
    }

    #[test]
    fn each_disagreement_names_the_event_or_the_pointer() {
        let check = |listed: Value, refs: Value| {
            check_envelope(&envelope(listed, refs), &EVENTS).map(|(name, _)| name)
        };
        assert_eq!(
            check(json!(["a"]), refs(&["A", "B"])).unwrap_err(),
            EnvelopeMismatch::NotInEnum {
                event_type: "b".into(),
                enum_name: "Kinds".into()
            }
        );
        assert_eq!(
            check(json!(["a", "b", "c"]), refs(&["A", "B"])).unwrap_err(),
            EnvelopeMismatch::NoEvent {
                pointer: "/definitions/Kinds/enum/2".into(),
                event_type: "c".into(),
                enum_name: "Kinds".into()
            }
        );
        assert_eq!(
            check(json!(["a", "b"]), refs(&["A", "B", "C"])).unwrap_err(),
            EnvelopeMismatch::UnmatchedRef {
                pointer: "/properties/event/anyOf/2".into(),
                reference: "#/definitions/C".into()
            }
        );
        assert_eq!(
            check(json!(["a", "b"]), refs(&["A"])).unwrap_err(),
            EnvelopeMismatch::NotInAnyOf {
                event_type: "b".into(),
                title: "B".into()
            }
        );
        assert_eq!(
            check(json!(["a", 1]), refs(&["A", "B"])).unwrap_err(),
            EnvelopeMismatch::Shape {
                pointer: "/definitions/Kinds/enum/1".into(),
                detail: "not a string".into()
            }
        );
        assert_eq!(
            check(json!(["a", "b"]), json!([{"$ref": "#/definitions/A"}, {}])).unwrap_err(),
            EnvelopeMismatch::Shape {
                pointer: "/properties/event/anyOf/1".into(),
                detail: "not a `$ref`".into()
            }
        );
    }
}
