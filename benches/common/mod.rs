//! Bench inputs read from `schemas/`: nothing here names an event type.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use std::hint::black_box;

use onefuzz_webhook_types::{signature, WebhookEvent, WebhookMessage};
use serde::de::IgnoredAny;
use serde_json::{Map, Value};

/// The key the `message/verify` mode signs with.
pub const SECRET: &[u8] = b"bench-secret";

/// One doc example, as the bytes the benches parse.
pub struct Case {
    pub event_type: String,
    /// The event body alone, compact.
    pub body: Vec<u8>,
    /// The body in the doc's envelope, `event_type` before `event` (as OneFuzz sends it).
    pub message: Vec<u8>,
    /// The same message with `event` before `event_type`: the buffered path.
    pub event_first: Vec<u8>,
    /// `message`, parsed: what `message/to_vec` serializes.
    pub parsed: WebhookMessage,
    /// The `X-Onefuzz-Digest` of `message` under [`SECRET`].
    pub digest: String,
}

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `schemas/events/*.example.json`, sorted by event type.
pub fn cases() -> Vec<Case> {
    let envelope = read_json(&schemas_dir().join("envelope.example.json"));
    let mut header: Map<String, Value> = envelope
        .as_object()
        .expect("envelope.example.json is an object")
        .clone();
    header.remove("event_type");
    header.remove("event");
    // `{"webhook_id":..,"event_id":..` without its closing brace.
    let head = serde_json::to_string(&header).expect("serializable");
    let head = head.strip_suffix('}').expect("an object");
    let dir = schemas_dir().join("events");
    let mut cases: Vec<Case> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let event_type = path
                .file_name()?
                .to_str()?
                .strip_suffix(".example.json")?
                .to_owned();
            let body = serde_json::to_string(&read_json(&path)).expect("serializable");
            let tag = serde_json::to_string(&event_type).expect("serializable");
            let sep = if header.is_empty() { "" } else { "," };
            let message = format!(r#"{head}{sep}"event_type":{tag},"event":{body}}}"#).into_bytes();
            Some(Case {
                parsed: WebhookMessage::from_slice(&message).expect("the doc example parses"),
                digest: signature::sign(SECRET, &message),
                message,
                event_first: format!(r#"{head}{sep}"event":{body},"event_type":{tag}}}"#)
                    .into_bytes(),
                body: body.into_bytes(),
                event_type,
            })
        })
        .collect();
    cases.sort_by(|a, b| a.event_type.cmp(&b.event_type));
    assert!(!cases.is_empty(), "no examples in {}", dir.display());
    cases
}

/// One thing done to one case; `black_box` keeps the result alive.
pub struct Mode {
    pub name: &'static str,
    pub run: fn(&Case),
}

/// Everything the benches do to each case.
pub const MODES: &[Mode] = &[
    Mode {
        name: "message/from_slice",
        run: |case| {
            black_box(WebhookMessage::from_slice(black_box(&case.message)).unwrap());
        },
    },
    Mode {
        name: "message/serde_json",
        run: |case| {
            black_box(serde_json::from_slice::<WebhookMessage>(black_box(&case.message)).unwrap());
        },
    },
    Mode {
        name: "message/event_first",
        run: |case| {
            black_box(WebhookMessage::from_slice(black_box(&case.event_first)).unwrap());
        },
    },
    Mode {
        name: "body/struct",
        run: |case| {
            // As `serde_json::from_slice` reads bytes.
            let case = black_box(case);
            black_box(body(case, serde_json::Deserializer::from_slice(&case.body)));
        },
    },
    Mode {
        name: "body/struct_text",
        run: |case| {
            // As `from_slice` reads a message: UTF-8 checked once, then text.
            let case = black_box(case);
            let text = std::str::from_utf8(&case.body).unwrap();
            black_box(body(case, serde_json::Deserializer::from_str(text)));
        },
    },
    Mode {
        name: "body/struct_path",
        run: |case| {
            black_box(body_path(black_box(case)));
        },
    },
    Mode {
        name: "message/value",
        run: |case| {
            black_box(serde_json::from_slice::<Value>(black_box(&case.message)).unwrap());
        },
    },
    Mode {
        name: "message/value_text",
        run: |case| {
            let text = std::str::from_utf8(black_box(&case.message)).unwrap();
            black_box(serde_json::from_str::<Value>(text).unwrap());
        },
    },
    Mode {
        name: "message/ignored_any",
        run: |case| {
            black_box(serde_json::from_slice::<IgnoredAny>(black_box(&case.message)).unwrap());
        },
    },
    Mode {
        name: "body/ignored_any",
        run: |case| {
            black_box(serde_json::from_slice::<IgnoredAny>(black_box(&case.body)).unwrap());
        },
    },
    Mode {
        name: "message/to_vec",
        run: |case| {
            black_box(serde_json::to_vec(black_box(&case.parsed)).unwrap());
        },
    },
    Mode {
        name: "message/verify",
        run: |case| {
            signature::verify(SECRET, black_box(&case.message), Some(&case.digest)).unwrap();
        },
    },
];

/// The body alone into its struct, read by `de`, with nothing after it.
fn body<'de, R: serde_json::de::Read<'de>>(
    case: &Case,
    mut de: serde_json::Deserializer<R>,
) -> WebhookEvent {
    let event = onefuzz_webhook_types::__deserialize_body(&case.event_type, &mut de).unwrap();
    de.end().unwrap();
    event
}

/// The body alone into its struct, with the path tracking that a body written
/// before `event_type` is replayed with, and that a failed parse is repeated with.
fn body_path(case: &Case) -> WebhookEvent {
    let mut de = serde_json::Deserializer::from_slice(&case.body);
    let mut track = serde_path_to_error::Track::new();
    let event = onefuzz_webhook_types::__deserialize_body(
        &case.event_type,
        serde_path_to_error::Deserializer::new(&mut de, &mut track),
    )
    .unwrap();
    de.end().unwrap();
    event
}
