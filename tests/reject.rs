//! Bodies that do not match their declared `event_type` are rejected with
//! the JSON path of the problem; none is silently read as another event.

mod common;

use common::{events, required, resolve, wrap};
use onefuzz_webhook_types::WebhookMessage;
use serde_json::{json, Value};

fn parse(message: &Value) -> Result<WebhookMessage, onefuzz_webhook_types::ParseError> {
    WebhookMessage::from_slice(&serde_json::to_vec(message).unwrap())
}

#[test]
fn a_body_is_read_only_as_its_declared_type() {
    let events = events();
    for declared in &events {
        for body in &events {
            let message = wrap(&declared.event_type, &body.example);
            let missing: Vec<String> = required(&declared.schema)
                .into_iter()
                .filter(|field| body.example.get(field).is_none())
                .collect();
            let what = format!("{} body under {}", body.event_type, declared.event_type);
            match parse(&message) {
                Ok(parsed) => {
                    assert!(missing.is_empty(), "{what} parsed without {missing:?}");
                    assert_eq!(parsed.event_type().as_str(), declared.event_type, "{what}");
                }
                Err(e) => {
                    assert_ne!(declared.event_type, body.event_type, "{what}: {e}");
                    assert!(e.path().starts_with("event"), "{what}: {e}");
                    if e.path() == "event" {
                        assert!(
                            missing
                                .iter()
                                .any(|f| e.to_string().contains(&format!("missing field `{f}`"))),
                            "{what}: {e} names no missing field of {missing:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn a_missing_required_field_is_named() {
    for event in events() {
        for field in required(&event.schema) {
            let mut body = event.example.clone();
            body.as_object_mut().unwrap().remove(&field);
            let e = parse(&wrap(&event.event_type, &body)).unwrap_err();
            assert_eq!(e.path(), "event", "{}: {e}", event.event_type);
            assert!(
                e.to_string().contains(&format!("missing field `{field}`")),
                "{}: {e}",
                event.event_type
            );
        }
    }
}

/// A value of another JSON type than `value`'s.
fn wrong_type(value: &Value) -> Value {
    match value {
        Value::String(_) => json!(12345),
        Value::Number(_) | Value::Bool(_) | Value::Null => json!("not the right type"),
        Value::Array(_) => json!({"not": "an array"}),
        Value::Object(_) => json!(["not", "an", "object"]),
    }
}

#[test]
fn a_field_of_the_wrong_type_is_named() {
    for event in events() {
        let Value::Object(fields) = &event.example else {
            panic!("{}: example is not an object", event.event_type)
        };
        for (field, value) in fields {
            let mut body = event.example.clone();
            body[field] = wrong_type(value);
            let e = parse(&wrap(&event.event_type, &body)).unwrap_err();
            // serde reads a struct from an array positionally, so an array in
            // place of an object fails at its first element.
            let path = e.path();
            assert!(
                path == format!("event.{field}") || path.starts_with(&format!("event.{field}[")),
                "{}: {e}",
                event.event_type
            );
        }
    }
}

/// Every place in `instance` whose schema is an `enum`, as (path, values).
fn enum_slots(
    root: &Value,
    schema: &Value,
    instance: &Value,
    path: &str,
    out: &mut Vec<(String, Vec<Value>)>,
) {
    let schema = resolve(root, schema);
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        out.push((path.to_owned(), values.clone()));
    }
    match instance {
        Value::Object(fields) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, value) in fields {
                if let Some(sub) = properties.and_then(|p| p.get(name)) {
                    enum_slots(root, sub, value, &format!("{path}.{name}"), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for (i, value) in items.iter().enumerate() {
                    enum_slots(root, sub, value, &format!("{path}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

/// A value of the enum's JSON type that the enum does not list: for
/// integers the first gap in the listed range, else one past the end.
fn outside(values: &[Value]) -> Value {
    let integers: Vec<i64> = values.iter().filter_map(Value::as_i64).collect();
    if integers.len() == values.len() {
        let (min, max) = (
            integers.iter().min().unwrap(),
            integers.iter().max().unwrap(),
        );
        let gap = (*min..=*max)
            .find(|n| !integers.contains(n))
            .unwrap_or(max + 1);
        json!(gap)
    } else {
        json!("a value no enum lists")
    }
}

fn set_at(instance: &mut Value, path: &str, value: Value) {
    let mut target = instance;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        target = &mut target[name];
        if let Some(i) = index {
            target = &mut target[i];
        }
    }
    *target = value;
}

#[test]
fn a_value_outside_an_enum_is_named() {
    let mut checked = 0;
    for event in events() {
        let mut slots = Vec::new();
        enum_slots(&event.schema, &event.schema, &event.example, "", &mut slots);
        for (path, values) in slots {
            let mut body = event.example.clone();
            set_at(&mut body, &path, outside(&values));
            let e = parse(&wrap(&event.event_type, &body)).unwrap_err();
            assert_eq!(
                e.path(),
                format!("event{path}"),
                "{}: {e}",
                event.event_type
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "the examples hold no enum values to test");
}
