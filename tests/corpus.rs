//! The real-sender corpus (`corpus/MANIFEST.json`): bodies as the OneFuzz
//! services put them on the wire. Every webhook-format body parses into its
//! variant, re-serializes to the same JSON value (explicit `null`s
//! included), and its digest verifies.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use onefuzz_webhook_types::{WebhookEvent, WebhookMessage};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    common::schemas_dir().join("../corpus")
}

struct Entry {
    path: String,
    sender: String,
    release: String,
    format: String,
    event_type: String,
    digest: String,
    secret: String,
}

fn entries() -> Vec<Entry> {
    let manifest = common::read_json(&corpus_dir().join("MANIFEST.json"));
    let text = |e: &Value, k: &str| e[k].as_str().unwrap_or_else(|| panic!("{k}")).to_owned();
    manifest["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| Entry {
            path: text(e, "path"),
            sender: text(e, "sender"),
            release: text(e, "release"),
            format: text(e, "format"),
            event_type: text(e, "event_type"),
            digest: text(e, "digest"),
            secret: text(e, "secret"),
        })
        .collect()
}

#[derive(Default, Debug)]
struct Tally {
    bodies: usize,
    parsed: usize,
    typed: usize,
    exact: usize,
    failures: Vec<String>,
}

#[test]
fn every_webhook_body_of_the_corpus_parses_typed_and_exact() {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for entry in entries().into_iter().filter(|e| e.format == "webhook") {
        let bytes = std::fs::read(corpus_dir().join(&entry.path)).unwrap();
        let tally = tallies
            .entry(format!("{} {}", entry.sender, entry.release))
            .or_default();
        tally.bodies += 1;
        #[cfg(feature = "signature")]
        onefuzz_webhook_types::signature::verify(entry.secret.as_bytes(), &bytes, Some(&entry.digest))
            .unwrap_or_else(|e| panic!("{}: digest: {e}", entry.path));
        let message = match WebhookMessage::from_slice(&bytes) {
            Ok(m) => m,
            Err(e) => {
                tally.failures.push(format!("{}: {e}", entry.path));
                continue;
            }
        };
        tally.parsed += 1;
        if message.event_type().as_str() == entry.event_type
            && !matches!(message.event, WebhookEvent::Unknown(_))
        {
            tally.typed += 1;
        } else {
            tally.failures.push(format!("{}: not typed", entry.path));
        }
        let sent: Value = serde_json::from_slice(&bytes).unwrap();
        if serde_json::to_value(&message).unwrap() == sent {
            tally.exact += 1;
        } else {
            tally.failures.push(format!("{}: not exact", entry.path));
        }
    }
    for (what, t) in &tallies {
        eprintln!("{what}: {} bodies, {} parsed, {} typed, {} exact", t.bodies, t.parsed, t.typed, t.exact);
        for f in &t.failures {
            eprintln!("  {f}");
        }
    }
    let failures: usize = tallies.values().map(|t| t.failures.len()).sum();
    assert_eq!(failures, 0);
}
