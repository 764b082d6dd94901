//! The crate-side rows of `docs/bad-input.md`: each bad input, what the
//! user sees, and that nothing panics. Event types and field names come
//! from `schemas/`.

mod common;

use common::{events, wrap};
use onefuzz_webhook_types::WebhookMessage;
use serde_json::{json, Value};

/// A body that comes before `event_type` is buffered; an error about the
/// body as a whole is reported at `event`, like one that comes after.
#[test]
fn wrong_type_for_a_buffered_event_body_is_reported_at_event() {
    for event in events() {
        let mut message = wrap(&event.event_type, &json!([]));
        let Value::Object(fields) = &mut message else {
            unreachable!()
        };
        let event_type = fields.remove("event_type").expect("event_type");
        let text = format!("{},\"event_type\":{event_type}}}", {
            let mut t = Value::Object(fields.clone()).to_string();
            t.pop();
            t
        });
        let error = WebhookMessage::from_str(&text).unwrap_err().to_string();
        assert!(
            error.starts_with("event: invalid "),
            "{}: {error}",
            event.event_type
        );
    }
}
