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

#[cfg_attr(not(feature = "signature"), allow(dead_code))]
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

fn body(entry: &Entry) -> Vec<u8> {
    std::fs::read(corpus_dir().join(&entry.path)).unwrap()
}

fn webhook_entries() -> Vec<Entry> {
    let entries: Vec<Entry> = entries()
        .into_iter()
        .filter(|e| e.format == "webhook")
        .collect();
    assert!(!entries.is_empty(), "no webhook bodies in the corpus");
    entries
}

/// A real sender's message is never bad input: each parses, into the
/// variant of the type the sender sent (never `Unknown`), and its digest
/// verifies over the exact bytes.
#[test]
fn every_webhook_body_parses_into_its_variant() {
    let mut failures = Vec::new();
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for entry in webhook_entries() {
        let bytes = body(&entry);
        #[cfg(feature = "signature")]
        onefuzz_webhook_types::signature::verify(
            entry.secret.as_bytes(),
            &bytes,
            Some(&entry.digest),
        )
        .unwrap_or_else(|e| panic!("{}: digest: {e}", entry.path));
        match WebhookMessage::from_slice(&bytes) {
            Ok(message)
                if message.event_type().as_str() == entry.event_type
                    && !matches!(message.event, WebhookEvent::Unknown(_)) =>
            {
                *tally
                    .entry(format!("{} {}", entry.sender, entry.release))
                    .or_default() += 1;
            }
            Ok(message) => {
                failures.push(format!("{}: read as {}", entry.path, message.event_type()))
            }
            Err(e) => failures.push(format!("{}: {e}", entry.path)),
        }
    }
    eprintln!("typed, per sender and release: {tally:?}");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Re-serializing gives the same JSON value, explicit `null`s included.
/// Without `preserve-unknown-fields` the fields that no schema names (a
/// report's extension data) are dropped, by design.
#[test]
#[cfg(feature = "preserve-unknown-fields")]
fn every_webhook_body_re_serializes_to_the_same_value() {
    let mut failures = Vec::new();
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for entry in webhook_entries() {
        let bytes = body(&entry);
        let sent: Value = serde_json::from_slice(&bytes).unwrap();
        match WebhookMessage::from_slice(&bytes) {
            Ok(message) if serde_json::to_value(&message).unwrap() == sent => {
                *tally
                    .entry(format!("{} {}", entry.sender, entry.release))
                    .or_default() += 1;
            }
            Ok(_) => failures.push(format!(
                "{} {}: {}",
                entry.sender, entry.release, entry.path
            )),
            Err(e) => failures.push(format!("{}: {e}", entry.path)),
        }
    }
    eprintln!("exact, per sender and release: {tally:?}");
    assert!(
        failures.is_empty(),
        "{} not exact: {failures:#?}",
        failures.len()
    );
}
