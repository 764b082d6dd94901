//! `WebhookMessage::from_slice` on arbitrary bytes: never panics, and what
//! it accepts serializes and parses back to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onefuzz_webhook_types::WebhookMessage;

fuzz_target!(|data: &[u8]| {
    let Ok(message) = WebhookMessage::from_slice(data) else {
        return;
    };
    let text = serde_json::to_vec(&message).expect("a parsed message serializes");
    let again = WebhookMessage::from_slice(&text).expect("a serialized message parses");
    assert_eq!(again, message, "re-parsing changed the message");
});
