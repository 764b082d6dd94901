//! The real-sender corpus (`corpus/MANIFEST.json`): bodies as the OneFuzz
//! services put them on the wire. Every webhook-format body parses into its
//! variant, re-serializes to the same JSON value (explicit `null`s
//! included), and its digest verifies.

mod common;

use std::collections::BTreeMap;

use onefuzz_webhook_types::{WebhookEvent, WebhookMessage};

use common::corpus;

/// A real sender's message is never bad input: each parses, into the
/// variant of the type the sender sent (never `Unknown`), and its digest
/// verifies over the exact bytes.
#[test]
fn every_webhook_body_parses_into_its_variant() {
    let mut failures = Vec::new();
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for entry in corpus::entries_in("webhook") {
        let bytes = entry.body();
        entry.verify_digest(&bytes);
        match WebhookMessage::from_slice(&bytes) {
            Ok(message)
                if message.event_type().as_str() == entry.event_type
                    && !matches!(message.event, WebhookEvent::Unknown(_)) =>
            {
                *tally.entry(entry.sender_release()).or_default() += 1;
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
    for entry in corpus::entries_in("webhook") {
        let bytes = entry.body();
        let sent: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        match WebhookMessage::from_slice(&bytes) {
            Ok(message) if serde_json::to_value(&message).unwrap() == sent => {
                *tally.entry(entry.sender_release()).or_default() += 1;
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
