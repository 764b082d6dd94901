//! Bodies that do not match their declared `event_type` are rejected with
//! the JSON path of the problem; none is silently read as another event.
//! (Values outside an enum: see `forward_compat.rs`.)

mod common;

use common::{events, parse, required, wrap};
use serde_json::{json, Value};

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
