//! Every example from the doc goes through the generated types and comes
//! back as exactly the same JSON value, and validates against its schema:
//! the newest example of each event type, and every example of every
//! revision in `schemas/revisions/`, each in its own revision's envelope.

mod common;

use common::{
    assert_valid, assert_valid_with, envelope_example, envelope_schema, event_first, event_last,
    events, revisions, validator, wrap,
};
use onefuzz_webhook_types::{WebhookEvent, WebhookEventType, WebhookMessage};
use serde_json::json;

#[test]
fn each_event_example_round_trips_in_its_variant() {
    for event in events() {
        let tagged = json!({"event_type": event.event_type, "event": event.example});
        let parsed: WebhookEvent = serde_json::from_value(tagged.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", event.event_type));
        assert_eq!(parsed.event_type().as_str(), event.event_type);
        assert!(
            !matches!(parsed.event_type(), WebhookEventType::Unknown(_)),
            "{} parsed as an unknown event",
            event.event_type
        );
        let back = serde_json::to_value(&parsed).unwrap();
        assert_eq!(back, tagged, "{} did not round-trip", event.event_type);
        assert_valid(&event.schema, &back["event"], &event.event_type);
    }
}

/// In both key orders: `event` after `event_type` (parsed directly) and
/// before it (the body is buffered until `event_type` is known).
#[test]
fn each_event_example_round_trips_in_an_envelope() {
    let envelope = envelope_schema();
    for event in events() {
        let message = wrap(&event.event_type, &event.example);
        // The output is asserted equal to `message`, so this covers it too.
        assert_valid(&envelope, &message, &event.event_type);
        for text in [event_last(&message), event_first(&message)] {
            let parsed = WebhookMessage::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", event.event_type));
            assert_eq!(parsed.event_type().as_str(), event.event_type);
            assert!(!matches!(parsed.event, WebhookEvent::Unknown(_)));
            let back = serde_json::to_value(&parsed).unwrap();
            assert_eq!(back, message, "{} did not round-trip", event.event_type);
        }
    }
}

/// A receiver does not choose its sender's release: what any revision
/// documents parses into its variant and comes back unchanged, in both key
/// orders, and is valid for the revision's own schemas and for the join's.
#[test]
fn every_example_of_every_revision_round_trips_in_its_own_envelope() {
    let joined = validator(&envelope_schema(), "the joined envelope");
    let mut count = 0;
    for revision in revisions() {
        let own = validator(&revision.envelope_schema, &revision.id);
        let payload = (
            "Payload example".to_owned(),
            revision.envelope_example.clone(),
        );
        for (what, message) in revision.messages().into_iter().chain([payload]) {
            let what = format!("{}: {what}", revision.id);
            assert_valid_with(&own, &message, &what);
            assert_valid_with(&joined, &message, &what);
            for text in [event_last(&message), event_first(&message)] {
                let parsed =
                    WebhookMessage::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(
                    parsed.event_type().as_str(),
                    message["event_type"],
                    "{what}"
                );
                assert!(!matches!(parsed.event, WebhookEvent::Unknown(_)), "{what}");
                assert_eq!(serde_json::to_value(&parsed).unwrap(), message, "{what}");
            }
            count += 1;
        }
    }
    eprintln!("{count} messages from every revision round-tripped");
}

#[test]
fn payload_example_round_trips() {
    let example = envelope_example();
    let parsed = WebhookMessage::from_slice(&serde_json::to_vec(&example).unwrap()).unwrap();
    assert_eq!(parsed.event_type().as_str(), example["event_type"]);
    assert_eq!(serde_json::to_value(&parsed).unwrap(), example);
    assert_valid(&envelope_schema(), &example, "Payload example");
}

#[test]
fn each_example_validates_against_its_schema() {
    for event in events() {
        assert_valid(&event.schema, &event.example, &event.event_type);
    }
}

#[test]
fn every_schema_event_type_is_known_to_the_crate() {
    let known: Vec<&str> = WebhookEventType::KNOWN.iter().map(|t| t.as_str()).collect();
    let on_disk: Vec<String> = events().into_iter().map(|e| e.event_type).collect();
    let mut known_sorted = known.clone();
    known_sorted.sort_unstable();
    assert_eq!(known_sorted, on_disk);
    // Every name on disk, then, since the two lists are equal.
    for name in known {
        let parsed: WebhookEventType = name.parse().unwrap();
        assert_eq!(WebhookEventType::known(name), Some(parsed.clone()));
        assert_eq!(parsed.to_string(), name);
        assert!(!matches!(parsed, WebhookEventType::Unknown(_)));
    }
}
