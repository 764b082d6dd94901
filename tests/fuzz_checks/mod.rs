//! What the fuzz targets check, shared by `fuzz/fuzz_targets/` (which
//! include this file by path) and `tests/fuzz_regressions.rs` (which runs the
//! same checks on stable in CI).

use onefuzz_webhook_types::signature::{sign, verify};
use onefuzz_webhook_types::WebhookMessage;

/// No panic; an accepted message serializes and parses back equal.
pub fn parse_message(data: &[u8]) {
    let Ok(message) = WebhookMessage::from_slice(data) else {
        return;
    };
    let text = serde_json::to_vec(&message).expect("a parsed message serializes");
    let again = WebhookMessage::from_slice(&text).expect("a serialized message parses");
    assert_eq!(again, message, "re-parsing changed the message");
}

/// No panic; accepts exactly the header that `sign` produces (either
/// case, surrounding ASCII whitespace).
pub fn verify_signature(secret: &[u8], body: &[u8], header: Option<&str>) {
    let result = verify(secret, body, header);
    let signed = sign(secret, body);
    let matches = header.is_some_and(|h| h.trim_ascii().eq_ignore_ascii_case(&signed));
    assert_eq!(result.is_ok(), matches, "{result:?}");
    assert_eq!(verify(secret, body, Some(&signed)), Ok(()));
}
