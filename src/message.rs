use serde::de::DeserializeOwned;

use crate::{ParseError, WebhookEvent, WebhookEventType, WebhookMessage};

impl WebhookMessage {
    /// Parses a message from the bytes of a request body.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ParseError> {
        from_slice(bytes)
    }

    /// Parses a message from a string.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<Self, ParseError> {
        from_slice(text.as_bytes())
    }

    /// The `event_type` of the message's event.
    pub fn event_type(&self) -> WebhookEventType {
        self.event.event_type()
    }
}

impl WebhookEvent {
    /// Parses an event in its tagged form, `{"event_type": ..., "event": ...}`.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ParseError> {
        from_slice(bytes)
    }

    /// Parses an event in its tagged form from a string.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<Self, ParseError> {
        from_slice(text.as_bytes())
    }
}

fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    serde_json::from_slice(bytes)
        .map_err(|e| tracked::<T>(&mut serde_json::Deserializer::from_slice(bytes), e))
}

/// The error of a parse that failed with `error`, with its JSON path.
///
/// Tracking the path costs about as much as parsing itself, so input is
/// parsed without it, and a failed parse is repeated with it: parsing the
/// same input fails at the same place.
#[cold]
fn tracked<T: DeserializeOwned>(
    deserializer: &mut serde_json::Deserializer<serde_json::de::SliceRead<'_>>,
    error: serde_json::Error,
) -> ParseError {
    match serde_path_to_error::deserialize::<_, T>(&mut *deserializer) {
        Err(e) => ParseError::new(e),
        // Trailing characters after the message, as `serde_json::from_slice` reports them.
        Ok(_) => ParseError::whole(deserializer.end().err().unwrap_or(error)),
    }
}

/// Deserializes an event body alone, with no envelope, into the struct of
/// `event_type`: the baseline that `benches/parse.rs` compares messages with,
/// without naming any event type. Not part of the API.
#[doc(hidden)]
pub fn __deserialize_body<'de, D: serde::Deserializer<'de>>(
    event_type: &str,
    deserializer: D,
) -> Result<crate::WebhookEvent, D::Error> {
    let event_type = event_type.parse().unwrap_or_else(|never| match never {});
    crate::WebhookEvent::deserialize_body(event_type, deserializer)
}
