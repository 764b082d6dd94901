//! The Event Grid body format, through the one entry point
//! `Body::from_slice`: every Event Grid body of the real-sender corpus
//! (`corpus/MANIFEST.json`) parses into typed entries and serializes back
//! to the same JSON value, every webhook body comes out as a message, and
//! bad input names its place. Expectations come from the corpus; nothing
//! here names an event type.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use onefuzz_webhook_types::{Body, EventGridData, EventGridEvent, ParseError, WebhookEvent};
use onefuzz_webhook_types::{EventTypeKey, WebhookMessage};
use serde_json::{json, Map, Value};

use common::corpus::{self, Entry};

fn parse(value: &Value) -> Result<Body, ParseError> {
    Body::from_slice(&serde_json::to_vec(value).unwrap())
}

fn entries_of(body: Body, what: &str) -> Vec<EventGridEvent> {
    match body {
        Body::EventGrid(entries) => entries,
        Body::Webhook(_) => panic!("{what}: read as a webhook message"),
    }
}

/// The corpus's webhook body with the same file name as `entry`, from the
/// same sender and release.
fn webhook_twin(entry: &Entry) -> Entry {
    let name = Path::new(&entry.path).file_name();
    corpus::entries_in("webhook")
        .into_iter()
        .find(|w| {
            w.sender_release() == entry.sender_release() && Path::new(&w.path).file_name() == name
        })
        .unwrap_or_else(|| panic!("{}: no webhook body of the same event", entry.path))
}

/// Per sender and release: bodies parsed, bodies whose every entry is typed
/// as the manifest says, bodies that serialize back to the value sent.
#[derive(Default, Debug)]
struct Figures {
    parsed: usize,
    typed: usize,
    exact: usize,
}

/// A real sender's Event Grid body is never bad input: it parses through
/// the entry point, each entry into the variant of the type the manifest
/// names, with its event type under the key it was sent with, and (with
/// `preserve-unknown-fields`, which keeps a report's extension data)
/// serializes back to the same JSON value, explicit `null`s included.
#[test]
fn every_event_grid_body_parses_typed_and_exact() {
    let mut failures = Vec::new();
    let mut figures: BTreeMap<String, Figures> = BTreeMap::new();
    for entry in corpus::entries_in("event_grid") {
        let bytes = entry.body();
        entry.verify_digest(&bytes);
        let sent = entry.value();
        let figures = figures.entry(entry.sender_release()).or_default();
        let body = match Body::from_slice(&bytes) {
            Ok(body) => body,
            Err(e) => {
                failures.push(format!("{}: {e}", entry.path));
                continue;
            }
        };
        figures.parsed += 1;
        let events: Vec<_> = body.events().collect();
        let exact = serde_json::to_value(&body).unwrap() == sent;
        let Body::EventGrid(entries) = &body else {
            panic!("{}: read as a webhook message", entry.path);
        };
        let sent_entries = sent.as_array().expect("an array");
        let typed = !entries.is_empty()
            && entries.len() == sent_entries.len()
            && events.len() == entries.len()
            && entries
                .iter()
                .zip(sent_entries)
                .zip(&events)
                .all(|((e, s), event)| {
                    e.event_type().as_str() == entry.event_type
                        && !matches!(e.event(), WebhookEvent::Unknown(_))
                        && s[e.event_type_key.as_str()] == json!(entry.event_type)
                        && event.event_id == Some(e.id)
                        && std::ptr::eq(event.event, e.event())
                });
        figures.typed += usize::from(typed);
        figures.exact += usize::from(exact);
        if !typed {
            failures.push(format!("{}: not typed as {}", entry.path, entry.event_type));
        }
        if cfg!(feature = "preserve-unknown-fields") && !exact {
            failures.push(format!("{}: not the same value", entry.path));
        }
    }
    eprintln!("event grid bodies per sender and release: {figures:#?}");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// What an entry serializes to reads back as the same entry, with or
/// without `preserve-unknown-fields`, in the key order this crate writes.
#[test]
fn a_serialized_event_grid_body_reads_back_the_same() {
    for entry in corpus::entries_in("event_grid") {
        let body = Body::from_slice(&entry.body()).unwrap();
        let again = Body::from_slice(&serde_json::to_vec(&body).unwrap());
        assert_eq!(again.ok().as_ref(), Some(&body), "{}", entry.path);
    }
}

/// An Event Grid entry carries the event its sender put in the webhook
/// body of the same event: the same id and the same typed event.
#[test]
fn an_event_grid_entry_carries_the_event_of_the_webhook_body() {
    for entry in corpus::entries_in("event_grid") {
        let twin = webhook_twin(&entry);
        let grid = Body::from_slice(&entry.body()).unwrap();
        let webhook = Body::from_slice(&twin.body()).unwrap();
        let grid: Vec<_> = grid.events().collect();
        let webhook: Vec<_> = webhook.events().collect();
        assert_eq!(grid, webhook, "{} and {}", entry.path, twin.path);
    }
}

/// A webhook body through the same entry point is the message that
/// `WebhookMessage::from_slice` reads, with its one event.
#[test]
fn every_webhook_body_through_the_entry_point_is_a_message() {
    for entry in corpus::entries_in("webhook") {
        let bytes = entry.body();
        let message = WebhookMessage::from_slice(&bytes).unwrap();
        let body = Body::from_slice(&bytes).unwrap();
        let events: Vec<_> = body.events().collect();
        assert_eq!(events.len(), 1, "{}", entry.path);
        assert_eq!(events[0].event_id, message.event_id, "{}", entry.path);
        assert_eq!(events[0].event, &message.event, "{}", entry.path);
        assert_eq!(body, Body::Webhook(message), "{}", entry.path);
    }
}

/// `object` with member `key` moved first.
fn first(object: &Value, key: &str) -> Value {
    let object = object.as_object().expect("an object");
    let mut moved = Map::new();
    moved.insert(key.to_owned(), object[key].clone());
    for (name, value) in object.iter().filter(|(name, _)| *name != key) {
        moved.insert(name.clone(), value.clone());
    }
    Value::Object(moved)
}

fn is_message(entry: &Value) -> bool {
    entry["data"].get("event").is_some() && entry["data"].get("event_type").is_some()
}

/// An entry as sent, and with `data` first (and a message's `event` before
/// its `event_type`), so that the parse holds `data` back until the members
/// that say how to read it: whichever way the sender wrote it, both ways
/// are read.
fn layouts(entry: &Value) -> [(&'static str, Value); 2] {
    let mut held = first(entry, "data");
    if is_message(entry) {
        held["data"] = first(&held["data"], "event");
    }
    let text = serde_json::to_string(&held).unwrap();
    assert!(
        text.find("\"data\"") < text.find("\"dataVersion\""),
        "{text}"
    );
    [("as sent", entry.clone()), ("data first", held)]
}

/// Each corpus Event Grid entry as the second of two, the first from
/// another body of its sender and release: (what, body, webhook twin).
fn second_entries() -> Vec<(String, Value, Value)> {
    let all = corpus::entries_in("event_grid");
    all.iter()
        .flat_map(|entry| {
            let other = all
                .iter()
                .find(|o| o.sender_release() == entry.sender_release() && o.path != entry.path)
                .expect("two bodies of a release");
            let twin = webhook_twin(entry).value();
            let entry_value = entry.value()[0].clone();
            layouts(&entry_value).map(|(layout, second)| {
                let body = json!([other.value()[0], second]);
                (format!("{} ({layout})", entry.path), body, twin.clone())
            })
        })
        .collect()
}

/// A value of another JSON type than `value`.
fn wrong_type(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::String(_) => Some(json!(true)),
        _ => Some(json!("not this")),
    }
}

/// A member of the second entry's `data` (of the event in it, or of a
/// message in it) set to a value of the wrong type is an error exactly
/// when the same change to the sender's webhook body is, and it names the
/// member under `[1].data`, in either layout.
#[test]
fn a_wrong_type_in_the_second_entry_names_its_path() {
    for (what, body, twin) in second_entries() {
        let message = is_message(&body[1]);
        // (path in the webhook body, path in the entry's data)
        let mut places: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        for key in twin["event"].as_object().unwrap().keys() {
            let in_webhook = vec!["event".to_owned(), key.clone()];
            let in_data = if message {
                in_webhook.clone()
            } else {
                vec![key.clone()]
            };
            places.push((in_webhook, in_data));
        }
        if message {
            for key in twin.as_object().unwrap().keys().filter(|k| *k != "event") {
                places.push((vec![key.clone()], vec![key.clone()]));
            }
        }
        let mut errors = 0;
        for (in_webhook, in_data) in places {
            let pointer = |path: &[String]| format!("/{}", path.join("/"));
            let Some(wrong) = twin.pointer(&pointer(&in_webhook)).and_then(wrong_type) else {
                continue;
            };
            let mut webhook = twin.clone();
            *webhook.pointer_mut(&pointer(&in_webhook)).unwrap() = wrong.clone();
            let mut grid = body.clone();
            *grid[1]["data"].pointer_mut(&pointer(&in_data)).unwrap() = wrong;
            let place = format!("{what} {}", in_data.join("."));
            match (parse(&grid), parse(&webhook)) {
                (Ok(_), Ok(_)) => {}
                (Err(grid), Err(webhook)) => {
                    errors += 1;
                    assert_eq!(webhook.path(), in_webhook.join("."), "{place}: {webhook}");
                    let path = format!("[1].data.{}", in_data.join("."));
                    assert_eq!(grid.path(), path, "{place}: {grid}");
                    assert!(grid.to_string().starts_with(&format!("{path}: ")), "{grid}");
                }
                (grid, webhook) => panic!("{place}: {grid:?} but as a webhook {webhook:?}"),
            }
        }
        assert!(errors > 0, "{what}: no change was an error");
    }
}

/// One body per sender and release, with its entry as the second of two.
fn one_per_release() -> Vec<(String, Value)> {
    let mut seen = BTreeMap::new();
    for (what, body, _) in second_entries() {
        let release = what.split('/').nth(1).unwrap_or_default().to_owned();
        seen.entry((release, what.contains("data first")))
            .or_insert((what, body));
    }
    seen.into_values().collect()
}

/// A `dataVersion` this crate does not know is an error at its place: how
/// to read `data` is not known.
#[test]
fn an_unknown_data_version_is_an_error_at_its_place() {
    for (what, mut body) in one_per_release() {
        body[1]["dataVersion"] = json!("3.0.0");
        let error = parse(&body).unwrap_err();
        assert_eq!(error.path(), "[1].dataVersion", "{what}: {error}");
        assert!(error.to_string().contains("`2.0.0`"), "{what}: {error}");
    }
}

/// An event type this crate does not know is not an error: the entry's
/// event is `Unknown`, kept whole, and serializes back the same.
#[test]
fn an_unknown_event_type_is_kept_whole() {
    for (what, mut body) in one_per_release() {
        let entries = entries_of(parse(&body).unwrap(), &what);
        let key = entries[1].event_type_key.as_str();
        let renamed = format!("{}_renamed", entries[1].event_type());
        body[1][key] = json!(renamed);
        if is_message(&body[1]) {
            body[1]["data"]["event_type"] = json!(renamed);
        }
        let read = parse(&body).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(serde_json::to_value(&read).unwrap(), body, "{what}");
        let events: Vec<_> = read.events().collect();
        match events[1].event {
            WebhookEvent::Unknown(unknown) => assert_eq!(unknown.event_type, renamed, "{what}"),
            other => panic!("{what}: read as {}", other.event_type()),
        }
    }
}

/// A message in `data` whose `event_type` is not the entry's is an error
/// at the entry: which of the two is meant is not known.
#[test]
fn a_message_of_another_event_type_is_an_error() {
    let mut checked = 0;
    for (what, mut body) in one_per_release() {
        if !is_message(&body[1]) {
            continue;
        }
        let other = body[0]["data"]["event_type"].clone();
        assert_ne!(other, body[1]["data"]["event_type"], "{what}");
        body[1]["data"]["event_type"] = other.clone();
        body[1]["data"]["event"] = body[0]["data"]["event"].clone();
        let error = parse(&body).unwrap_err();
        assert_eq!(error.path(), "[1]", "{what}: {error}");
        assert!(
            error.to_string().contains(other.as_str().unwrap()),
            "{error}"
        );
        checked += 1;
    }
    assert!(checked > 0, "no message entries in the corpus");
}

/// The event type under both keys is a repeated field; under neither, a
/// missing one.
#[test]
fn the_event_type_is_under_exactly_one_key() {
    for (what, body) in one_per_release() {
        let entries = entries_of(parse(&body).unwrap(), &what);
        let key = entries[1].event_type_key;
        let other = match key {
            EventTypeKey::CamelCase => EventTypeKey::PascalCase,
            _ => EventTypeKey::CamelCase,
        };
        let mut both = body.clone();
        both[1][other.as_str()] = both[1][key.as_str()].clone();
        let error = parse(&both).unwrap_err();
        assert!(
            error.to_string().contains("duplicate field"),
            "{what}: {error}"
        );
        assert!(error.path().starts_with("[1]"), "{what}: {error}");
        let mut neither = body.clone();
        neither[1].as_object_mut().unwrap().remove(key.as_str());
        let error = parse(&neither).unwrap_err();
        assert_eq!(error.path(), "[1]", "{what}: {error}");
        assert!(
            error.to_string().contains("`eventType` or `EventType`"),
            "{error}"
        );
    }
}

/// Members beside `data` that the senders wrote as `null` come back as
/// `null`; members this crate does not know come back with
/// `preserve-unknown-fields`, and are dropped without it.
#[test]
fn nulls_and_unknown_members_beside_data_come_back() {
    for (what, mut body) in one_per_release() {
        let entry = body[1].as_object_mut().unwrap();
        entry.insert("sas_url".to_owned(), Value::Null);
        entry.insert("version".to_owned(), Value::Null);
        let mut expected = body.clone();
        body[1]["topic"] = json!("/subscriptions/00000000-0000-0000-0000-000000000000");
        body[1]["metadataVersion"] = json!("1");
        if cfg!(feature = "preserve-unknown-fields") {
            expected = body.clone();
        }
        let read = parse(&body).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(serde_json::to_value(&read).unwrap(), expected, "{what}");
        let entries = entries_of(read, &what);
        assert!(!entries[1].nulls.is_empty(), "{what}");
        assert_eq!(entries[1].sas_url, None, "{what}");
    }
}

/// An empty array is a body with no events, not an error.
#[test]
fn an_empty_array_is_a_body_without_events() {
    for text in ["[]", " [ ]\n"] {
        let body = Body::from_str(text).unwrap();
        assert_eq!(body, Body::EventGrid(Vec::new()));
        assert_eq!(body.events().count(), 0);
        assert_eq!(serde_json::to_string(&body).unwrap(), "[]");
    }
}

/// A body that is neither an object nor an array is an error that says
/// what a body is.
#[test]
fn a_body_neither_object_nor_array_says_what_a_body_is() {
    for text in ["\"a string\"", "42", "true", "null"] {
        let error = Body::from_str(text).unwrap_err();
        assert_eq!(error.path(), ".", "{text}: {error}");
        let expected =
            "expected a webhook message (a JSON object) or Event Grid events (a JSON array)";
        assert!(error.to_string().contains(expected), "{text}: {error}");
    }
    for text in ["[1]", "[[]]", "[null]"] {
        let error = Body::from_str(text).unwrap_err();
        assert_eq!(error.path(), "[0]", "{text}: {error}");
    }
}

/// `data` of the wrong JSON type is an error at `data`, in both forms.
#[test]
fn data_that_is_not_an_object_is_an_error_at_data() {
    for (what, body) in one_per_release() {
        for (layout, second) in layouts(&body[1]) {
            let mut body = body.clone();
            body[1] = second;
            body[1]["data"] = json!([]);
            let error = parse(&body).unwrap_err();
            assert_eq!(error.path(), "[1].data", "{what} {layout}: {error}");
        }
    }
}

/// Cut short anywhere or with any one byte changed, a body gives an error
/// or a body, never a panic: the smallest Event Grid body of each sender
/// and release, in both layouts.
#[test]
fn no_cut_or_changed_byte_panics() {
    let mut smallest: BTreeMap<String, Value> = BTreeMap::new();
    for entry in corpus::entries_in("event_grid") {
        let value = entry.value();
        let size = |v: &Value| serde_json::to_vec(v).unwrap().len();
        let kept = smallest
            .entry(entry.sender_release())
            .or_insert(value.clone());
        if size(&value) < size(kept) {
            *kept = value;
        }
    }
    for (release, body) in smallest {
        for (layout, entry) in layouts(&body[0]) {
            let bytes = serde_json::to_vec(&json!([entry])).unwrap();
            for end in 0..bytes.len() {
                let cut = Body::from_slice(&bytes[..end]);
                assert!(cut.is_err(), "{release} {layout} cut at {end}");
            }
            for at in 0..bytes.len() {
                for byte in [b'"', b'{', b'[', b'0', b'\\', 0xff] {
                    let mut changed = bytes.clone();
                    changed[at] = byte;
                    if let Err(error) = Body::from_slice(&changed) {
                        let _ = error.to_string();
                    }
                }
            }
        }
    }
}

/// An entry built in code writes the `dataVersion` of its data's form:
/// a message entry given its bare event becomes a `1.0.0` entry, which
/// reads back the same.
#[test]
fn a_built_entry_writes_the_data_version_of_its_data() {
    let (what, body) = one_per_release()
        .into_iter()
        .find(|(_, body)| is_message(&body[1]))
        .expect("a message entry in the corpus");
    let mut entry = entries_of(parse(&body).unwrap(), &what).remove(1);
    assert_eq!(entry.data.data_version(), body[1]["dataVersion"]);
    entry.data = EventGridData::Event(entry.event().clone());
    let value = serde_json::to_value(&entry).unwrap();
    assert_eq!(
        value["dataVersion"],
        json!(entry.data.data_version()),
        "{what}"
    );
    assert_ne!(value["dataVersion"], body[1]["dataVersion"], "{what}");
    assert_eq!(value["data"], body[1]["data"]["event"], "{what}");
    let again = entries_of(parse(&json!([value])).unwrap(), &what).remove(0);
    assert_eq!(again, entry, "{what}");
}
