//! What a body can be read from. A member held back until a later member
//! says how to read it (`event` before `event_type`, Event Grid `data`
//! before `dataVersion`) is held as a serde_json `RawValue`, so every
//! serde_json deserializer reads every real-sender body in either member
//! order to the same value; a deserializer that cannot hold a `RawValue`
//! gives an error for the held-back order, never a different value.
//! Bodies come from the corpus (`corpus/MANIFEST.json`).

mod common;

use onefuzz_webhook_types::{Body, WebhookMessage};
use serde::Deserialize;
use serde_json::{json, Value};

use common::corpus;

/// `value` as JSON text with member `name` of each object first or last,
/// for a webhook message (the object itself) or Event Grid entries (each
/// entry), the rest in their order.
fn with_member(value: &Value, name: &str, first: bool) -> String {
    let object = |fields: &serde_json::Map<String, Value>| {
        let mut parts: Vec<String> = fields
            .iter()
            .filter(|(key, _)| *key != name)
            .map(|(key, value)| format!("{}:{value}", json!(key)))
            .collect();
        if let Some(held) = fields.get(name) {
            let held = format!("{}:{held}", json!(name));
            if first {
                parts.insert(0, held);
            } else {
                parts.push(held);
            }
        }
        format!("{{{}}}", parts.join(","))
    };
    match value {
        Value::Object(fields) => object(fields),
        Value::Array(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|entry| object(entry.as_object().expect("an entry is an object")))
                .collect();
            format!("[{}]", entries.join(","))
        }
        other => panic!("not a body: {other}"),
    }
}

/// The member a body of `format` holds back when it comes first.
fn held_member(format: &str) -> &'static str {
    match format {
        "event_grid" => "data",
        _ => "event",
    }
}

/// Every corpus body in both member orders: its path, the order, the text.
fn bodies() -> Vec<(String, &'static str, String)> {
    let mut bodies = Vec::new();
    for entry in corpus::entries() {
        let value = entry.value();
        let name = held_member(&entry.format);
        for (order, first) in [("held member first", true), ("held member last", false)] {
            bodies.push((entry.path.clone(), order, with_member(&value, name, first)));
        }
    }
    assert!(!bodies.is_empty());
    bodies
}

/// Text, bytes, a reader, a `Value` (owned and borrowed) and
/// serde_path_to_error's wrapper all give the value `Body::from_str` gives,
/// in either order.
#[test]
fn every_serde_json_deserializer_reads_every_body_in_either_order() {
    let mut failures = Vec::new();
    for (path, order, text) in bodies() {
        let expected = Body::from_str(&text).unwrap_or_else(|e| panic!("{path} ({order}): {e}"));
        let value: Value = serde_json::from_str(&text).unwrap();
        let results: [(&str, Result<Body, String>); 6] = [
            (
                "from_str",
                serde_json::from_str(&text).map_err(|e| e.to_string()),
            ),
            (
                "from_slice",
                serde_json::from_slice(text.as_bytes()).map_err(|e| e.to_string()),
            ),
            (
                "from_reader",
                serde_json::from_reader(text.as_bytes()).map_err(|e| e.to_string()),
            ),
            (
                "from_value",
                serde_json::from_value(value.clone()).map_err(|e| e.to_string()),
            ),
            (
                "&Value",
                Body::deserialize(&value).map_err(|e| e.to_string()),
            ),
            (
                "serde_path_to_error",
                serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&text))
                    .map_err(|e| e.to_string()),
            ),
        ];
        for (how, result) in results {
            match result {
                Ok(body) if body == expected => {}
                Ok(_) => failures.push(format!("{path} ({order}), {how}: a different value")),
                Err(e) => failures.push(format!("{path} ({order}), {how}: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Inside an untagged enum serde buffers the input in a form of its own,
/// which cannot hold a `RawValue`: the usual order still reads, and the
/// held-back order is an error, not a message with something lost.
#[test]
fn a_buffering_deserializer_reads_the_usual_order_and_rejects_the_other() {
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    enum Untagged {
        Message(WebhookMessage),
    }
    for entry in corpus::entries_in("webhook") {
        let value = entry.value();
        let last = with_member(&value, "event", false);
        let expected = WebhookMessage::from_str(&last).unwrap();
        match serde_json::from_str::<Untagged>(&last) {
            Ok(Untagged::Message(message)) => assert_eq!(message, expected, "{}", entry.path),
            Err(e) => panic!("{}: {e}", entry.path),
        }
        let first = with_member(&value, "event", true);
        assert!(
            serde_json::from_str::<Untagged>(&first).is_err(),
            "{}: read with its event held back by a buffering deserializer",
            entry.path
        );
    }
}
