//! Test data read from `schemas/`: nothing here names an event type.
#![allow(dead_code)]

pub mod corpus;

use std::path::{Path, PathBuf};

use onefuzz_webhook_types::{ParseError, WebhookMessage};
use serde_json::{json, Map, Value};

/// Read at run time: cargo sets it for test processes, and a test binary
/// reused from a shared target dir must read the workspace it runs in.
pub fn schemas_dir() -> PathBuf {
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    root.join("schemas")
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One event type's schema and example, as extracted from the doc.
pub struct Event {
    pub event_type: String,
    pub schema: Value,
    pub example: Value,
}

/// Every event in `schemas/events/`, sorted by type.
pub fn events() -> Vec<Event> {
    let dir = schemas_dir().join("events");
    let mut events: Vec<Event> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?;
            let event_type = name.strip_suffix(".schema.json")?.to_owned();
            Some(Event {
                schema: read_json(&path),
                example: read_json(&dir.join(format!("{event_type}.example.json"))),
                event_type,
            })
        })
        .collect();
    events.sort_by(|a, b| a.event_type.cmp(&b.event_type));
    assert!(!events.is_empty(), "no event schemas in {}", dir.display());
    events
}

/// One doc revision kept in `schemas/revisions/`, as extracted from it.
pub struct Revision {
    /// The directory name.
    pub id: String,
    pub envelope_schema: Value,
    pub envelope_example: Value,
    /// The revision's own events, in its doc's order.
    pub events: Vec<Event>,
}

impl Revision {
    /// Each of the revision's event examples in the revision's own Payload
    /// example, named by revision and event type.
    pub fn messages(&self) -> Vec<(String, Value)> {
        self.events
            .iter()
            .map(|e| {
                let mut message = self.envelope_example.clone();
                message["event_type"] = json!(e.event_type);
                message["event"] = e.example.clone();
                (format!("{} {}", self.id, e.event_type), message)
            })
            .collect()
    }
}

/// Every revision in `schemas/revisions/`, by id (oldest first, as ids
/// start with the day).
pub fn revisions() -> Vec<Revision> {
    let dir = schemas_dir().join("revisions");
    let mut revisions: Vec<Revision> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let extracted = read_json(&path.join("extracted.json"));
            let events = extracted["events"]
                .as_object()
                .expect("extracted.json has events")
                .iter()
                .map(|(event_type, e)| Event {
                    event_type: event_type.clone(),
                    schema: e["schema"].clone(),
                    example: e["example"].clone(),
                })
                .collect();
            Revision {
                id: path.file_name().unwrap().to_string_lossy().into_owned(),
                envelope_schema: extracted["envelope"]["schema"].clone(),
                envelope_example: extracted["envelope"]["example"].clone(),
                events,
            }
        })
        .collect();
    revisions.sort_by(|a, b| a.id.cmp(&b.id));
    assert!(!revisions.is_empty(), "no revisions in {}", dir.display());
    revisions
}

pub fn envelope_schema() -> Value {
    read_json(&schemas_dir().join("envelope.schema.json"))
}

pub fn envelope_example() -> Value {
    read_json(&schemas_dir().join("envelope.example.json"))
}

/// The doc's Payload example with its event replaced.
pub fn wrap(event_type: &str, body: &Value) -> Value {
    let mut message = envelope_example();
    message["event_type"] = json!(event_type);
    message["event"] = body.clone();
    message
}

/// Every doc example wrapped in an envelope, named by its event type, then
/// the doc's Payload example, named "Payload example".
pub fn doc_messages() -> Vec<(String, Value)> {
    let mut messages: Vec<(String, Value)> = events()
        .iter()
        .map(|e| (e.event_type.clone(), wrap(&e.event_type, &e.example)))
        .collect();
    messages.push(("Payload example".to_owned(), envelope_example()));
    messages
}

/// Asserts that `instance` is valid against `schema`, naming each violation.
pub fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    assert_valid_with(&validator(schema, what), instance, what);
}

/// A compiled `schema`, for checking many instances against one schema.
pub fn validator(schema: &Value, what: &str) -> jsonschema::Validator {
    jsonschema::validator_for(schema)
        .unwrap_or_else(|e| panic!("{what}: schema does not compile: {e}"))
}

/// [`assert_valid`] with a compiled schema.
pub fn assert_valid_with(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: invalid against its schema: {errors:#?}"
    );
}

/// The schema that `schema` stands for: itself, or where its local `$ref`s
/// (followed to the end of a chain) lead in `root`, which holds the definitions.
pub fn resolve<'a>(root: &'a Value, mut schema: &'a Value) -> &'a Value {
    // Deeper chains are taken to be a recursive schema (none of the doc's is).
    for _ in 0..32 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                schema = root
                    .pointer(r.trim_start_matches('#'))
                    .unwrap_or_else(|| panic!("unresolved $ref {r}"))
            }
            None => return schema,
        }
    }
    panic!("recursive $ref chain")
}

/// The names that an object schema lists as `required`.
pub fn required(schema: &Value) -> Vec<String> {
    schema.as_object().map(required_in).unwrap_or_default()
}

/// Whether the object schema `root` has a property it does not require.
pub fn has_optional(root: &Value) -> bool {
    let required = required(root);
    root["properties"]
        .as_object()
        .is_some_and(|p| p.keys().any(|k| !required.contains(k)))
}

/// [`required`], of the schema's map.
pub fn required_in(schema: &Map<String, Value>) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The message's JSON text with `event` last, after `event_type`, as OneFuzz
/// sends it. (`Value` may sort keys, which puts `event` first.)
pub fn event_last(message: &Value) -> String {
    in_order(message, false)
}

/// The message's JSON text with `event` first: the body has to be buffered
/// until `event_type` is known.
pub fn event_first(message: &Value) -> String {
    in_order(message, true)
}

/// Parses `message` with `event` after `event_type`, as OneFuzz sends it,
/// and checks that the other order (body buffered) gives the same result:
/// an equal message, or an error at the same path.
pub fn parse(message: &Value) -> Result<WebhookMessage, ParseError> {
    let direct = WebhookMessage::from_str(&event_last(message));
    let buffered = WebhookMessage::from_str(&event_first(message));
    match (&direct, &buffered) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a.path(), b.path(), "{a} / {b}"),
        _ => panic!("the two key orders disagree: {direct:?} / {buffered:?}"),
    }
    direct
}

fn in_order(message: &Value, event_first: bool) -> String {
    let fields = message.as_object().expect("a message is an object");
    let mut parts: Vec<String> = fields
        .iter()
        .filter(|(key, _)| *key != "event")
        .map(|(key, value)| format!("{}:{value}", json!(key)))
        .collect();
    if let Some(event) = fields.get("event") {
        let event = format!("\"event\":{event}");
        if event_first {
            parts.insert(0, event);
        } else {
            parts.push(event);
        }
    }
    format!("{{{}}}", parts.join(","))
}
