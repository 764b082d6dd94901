use crate::{ParseError, WebhookEventType, WebhookMessage};

impl WebhookMessage {
    /// Parses a message from the bytes of a request body.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ParseError> {
        parse(&mut serde_json::Deserializer::from_slice(bytes))
    }

    /// Parses a message from a string.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<Self, ParseError> {
        parse(&mut serde_json::Deserializer::from_str(text))
    }

    /// The `event_type` of the message's event.
    pub fn event_type(&self) -> WebhookEventType {
        self.event.event_type()
    }
}

fn parse<'de, R: serde_json::de::Read<'de>>(
    deserializer: &mut serde_json::Deserializer<R>,
) -> Result<WebhookMessage, ParseError> {
    let message = serde_path_to_error::deserialize(&mut *deserializer).map_err(ParseError::new)?;
    // Trailing characters after the message are an error, as in `serde_json::from_slice`.
    deserializer.end().map_err(ParseError::whole)?;
    Ok(message)
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
