//! What a receiver built against this version sees when the sender is newer:
//! an unknown event type is kept whole (`bad_input.rs`:
//! `unknown_event_type_is_kept_whole`), an unknown value of a schema enum is
//! kept as sent, and unknown fields are kept with feature
//! `preserve-unknown-fields` and dropped without it.
//!
//! Which objects are structs (and so may gain fields) and which values are
//! enums is read from the schemas, never listed here.

mod common;

use common::{
    doc_messages, envelope_schema, event_first, event_last, events, parse, resolve, wrap,
};
use onefuzz_webhook_types::{WebhookEventType, WebhookMessage};
use serde_json::{json, Value};

/// Known names: `roundtrip.rs`: `every_schema_event_type_is_known_to_the_crate`.
#[test]
fn event_type_display_and_from_str_agree_for_unknown_names() {
    assert_eq!(WebhookEventType::known("zz_not_an_event"), None);
    let parsed: WebhookEventType = "zz_not_an_event".parse().unwrap();
    assert_eq!(
        parsed,
        WebhookEventType::Unknown("zz_not_an_event".to_owned())
    );
    assert_eq!(parsed.to_string(), "zz_not_an_event");
}

/// A place in an example where the schema allows only the values of an `enum`.
struct EnumSite {
    /// JSON pointer from the message root.
    pointer: String,
    /// The same place as `ParseError::path` writes it, e.g. `event.config.task.type`.
    path: String,
    allowed: Vec<Value>,
}

/// Walks `value` with its `schema` (refs resolved against `root`) and
/// collects every value constrained by an `enum`.
fn enum_sites(
    root: &Value,
    schema: &Value,
    value: &Value,
    at: (&str, &str),
    out: &mut Vec<EnumSite>,
) {
    let schema = resolve(root, schema);
    let (pointer, path) = at;
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        out.push(EnumSite {
            pointer: pointer.to_owned(),
            path: path.to_owned(),
            allowed: allowed.clone(),
        });
    }
    match value {
        Value::Object(fields) => {
            for (key, child) in fields {
                let property = schema
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .or_else(|| schema.get("additionalProperties").filter(|s| s.is_object()));
                if let Some(property) = property {
                    let pointer = format!("{pointer}/{key}");
                    let path = format!("{path}.{key}");
                    enum_sites(root, property, child, (&pointer, &path), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    let pointer = format!("{pointer}/{i}");
                    let path = format!("{path}[{i}]");
                    enum_sites(root, item_schema, item, (&pointer, &path), out);
                }
            }
        }
        _ => {}
    }
}

/// A value of the enum's JSON type that the enum does not list: for
/// integers the first gap inside the listed range (466 for the doc's error
/// codes), so that the list itself is checked, not only its bounds.
fn value_outside(allowed: &[Value]) -> Value {
    if allowed.iter().all(Value::is_i64) {
        let listed: Vec<i64> = allowed.iter().filter_map(Value::as_i64).collect();
        let (min, max) = (
            listed.iter().min().unwrap_or(&0),
            listed.iter().max().unwrap_or(&0),
        );
        let gap = (*min..=*max)
            .find(|n| !listed.contains(n))
            .unwrap_or(max + 1);
        json!(gap)
    } else {
        let value = json!("zz_value_from_the_future");
        assert!(!allowed.contains(&value));
        value
    }
}

/// In both key orders: `event` after `event_type` (parsed directly) and
/// before it (the body is buffered until `event_type` is known). A string
/// lands in the enum's `Unknown` variant; either kind re-serializes as sent.
#[test]
fn unknown_enum_value_in_a_known_event_is_kept_as_sent() {
    let mut checked = 0;
    for event in events() {
        let message = wrap(&event.event_type, &event.example);
        let mut sites = Vec::new();
        let at = ("/event", "event");
        enum_sites(&event.schema, &event.schema, &event.example, at, &mut sites);
        for site in sites {
            let mut changed = message.clone();
            let value = value_outside(&site.allowed);
            *changed.pointer_mut(&site.pointer).unwrap() = value.clone();
            for text in [event_last(&changed), event_first(&changed)] {
                let parsed = WebhookMessage::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", site.path));
                if let Value::String(value) = &value {
                    let debug = format!("{parsed:?}");
                    assert!(debug.contains(&format!("Unknown({value:?})")), "{debug}");
                }
                assert_eq!(serde_json::to_value(&parsed).unwrap(), changed, "{text}");
            }
            checked += 1;
        }
    }
    // The doc's examples hold enum values (task and container types, error codes).
    assert!(checked > 0, "no example has an enum value to change");
}

/// The name of the field the tests add: no schema uses it.
const ADDED: &str = "zz_field_from_the_future";

/// JSON pointers of every object in `value` that the schema makes a struct
/// (it has `properties`); free-form maps (`additionalProperties` with a
/// schema) are data, not structs, and are not listed.
fn struct_objects(
    root: &Value,
    schema: &Value,
    value: &Value,
    pointer: &str,
    out: &mut Vec<String>,
) {
    let schema = resolve(root, schema);
    match value {
        Value::Object(fields) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            if let Some(properties) = properties {
                assert!(!properties.contains_key(ADDED));
                out.push(pointer.to_owned());
            }
            for (key, child) in fields {
                let child_schema = properties
                    .and_then(|p| p.get(key))
                    .or_else(|| schema.get("additionalProperties").filter(|s| s.is_object()));
                if let Some(child_schema) = child_schema {
                    let pointer = format!("{pointer}/{key}");
                    struct_objects(root, child_schema, child, &pointer, out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    struct_objects(root, item_schema, item, &format!("{pointer}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

/// Every doc example in an envelope, and the doc's Payload example, each
/// with the pointers of its struct objects.
fn messages_and_structs() -> Vec<(String, Value, Vec<String>)> {
    let envelope = envelope_schema();
    let events = events();
    doc_messages()
        .into_iter()
        .map(|(name, message)| {
            let event_type = message["event_type"].as_str().unwrap();
            let event = events.iter().find(|e| e.event_type == event_type).unwrap();
            // The envelope's `event` is an `anyOf` chosen by `event_type`:
            // walk the envelope without it, then the body with its own schema.
            let mut header = message.clone();
            header.as_object_mut().unwrap().remove("event");
            let mut pointers = Vec::new();
            struct_objects(&envelope, &envelope, &header, "", &mut pointers);
            struct_objects(
                &event.schema,
                &event.schema,
                &message["event"],
                "/event",
                &mut pointers,
            );
            (name, message, pointers)
        })
        .collect()
}

/// `message` with `ADDED: value` in the object at `pointer`.
fn with_entry(message: &Value, pointer: &str, value: Value) -> Value {
    let mut changed = message.clone();
    let object = changed
        .pointer_mut(pointer)
        .unwrap()
        .as_object_mut()
        .unwrap();
    object.insert(ADDED.to_owned(), value);
    changed
}

/// `message` with a field no schema names, holding nested JSON, added to the
/// struct at `pointer`.
fn with_added_field(message: &Value, pointer: &str) -> Value {
    let value = json!({"text": "kept?", "list": [1, {"deep": null}], "at": pointer});
    with_entry(message, pointer, value)
}

/// Parses and re-serializes `message`, sent in either order of `event` and
/// `event_type`; both orders must give the same result ([`parse`]).
fn round_trip(message: &Value) -> Value {
    let parsed = parse(message).unwrap_or_else(|e| panic!("{e}\nin {message:#}"));
    serde_json::to_value(parsed).unwrap()
}

#[test]
fn struct_objects_include_nested_and_array_items() {
    let all: Vec<String> = messages_and_structs()
        .into_iter()
        .flat_map(|(_, _, pointers)| pointers)
        .collect();
    assert!(all.iter().any(|p| p.is_empty()), "no envelope: {all:?}");
    assert!(all.iter().any(|p| p == "/event"), "no event body: {all:?}");
    let depth = |p: &String| p.matches('/').count();
    assert!(all.iter().any(|p| depth(p) >= 3), "nothing nested: {all:?}");
    // Objects inside arrays are reached whenever the examples have any.
    fn object_in_array(value: &Value) -> bool {
        match value {
            Value::Array(items) => items.iter().any(|i| i.is_object() || object_in_array(i)),
            Value::Object(fields) => fields.values().any(object_in_array),
            _ => false,
        }
    }
    if events().iter().any(|e| object_in_array(&e.example)) {
        let in_array = |p: &String| p.split('/').any(|s| s.parse::<usize>().is_ok());
        assert!(
            all.iter().any(in_array),
            "no object inside an array: {all:?}"
        );
    }
}

#[cfg(feature = "preserve-unknown-fields")]
#[test]
fn unknown_field_at_each_level_of_every_example_survives_a_round_trip() {
    for (name, message, pointers) in messages_and_structs() {
        for pointer in &pointers {
            let changed = with_added_field(&message, pointer);
            assert_eq!(
                round_trip(&changed),
                changed,
                "{name}: field added at `{pointer}` was lost"
            );
        }
        let mut everywhere = message.clone();
        for pointer in &pointers {
            everywhere = with_added_field(&everywhere, pointer);
        }
        assert_eq!(
            round_trip(&everywhere),
            everywhere,
            "{name}: fields added everywhere"
        );
    }
}

#[cfg(not(feature = "preserve-unknown-fields"))]
#[test]
fn unknown_field_at_each_level_is_dropped_without_the_feature() {
    for (name, message, pointers) in messages_and_structs() {
        for pointer in &pointers {
            let changed = with_added_field(&message, pointer);
            assert_eq!(
                round_trip(&changed),
                message,
                "{name}: field added at `{pointer}`"
            );
        }
    }
}

#[test]
fn added_key_in_a_free_form_map_is_map_data_either_way() {
    let mut checked = 0;
    for event in events() {
        let mut maps = Vec::new();
        free_form_maps(
            &event.schema,
            &event.schema,
            &event.example,
            "/event",
            &mut maps,
        );
        let message = wrap(&event.event_type, &event.example);
        for pointer in maps {
            let changed = with_entry(&message, &pointer, json!("a value"));
            assert_eq!(
                round_trip(&changed),
                changed,
                "{}: map at `{pointer}`",
                event.event_type
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no example has a free-form string map");
}

/// Pointers of the objects whose schema is `additionalProperties: {type: string}`.
fn free_form_maps(
    root: &Value,
    schema: &Value,
    value: &Value,
    pointer: &str,
    out: &mut Vec<String>,
) {
    let schema = resolve(root, schema);
    let string_map = schema
        .get("additionalProperties")
        .and_then(|s| s.get("type"))
        .is_some_and(|t| t == "string");
    match value {
        Value::Object(_) if string_map => out.push(pointer.to_owned()),
        Value::Object(fields) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for (key, child) in fields {
                if let Some(child_schema) = properties.and_then(|p| p.get(key)) {
                    free_form_maps(root, child_schema, child, &format!("{pointer}/{key}"), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    free_form_maps(root, item_schema, item, &format!("{pointer}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}
