use serde::de::DeserializeOwned;

use serde_path_to_error::Path;

use crate::buffer::Buffered;
use crate::envelope::event_path;
use crate::parse_error::path_text;
use crate::{ParseError, WebhookEvent, WebhookEventType, WebhookMessage};

impl WebhookMessage {
    /// Parses a message from the bytes of a request body.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ParseError> {
        from_slice(bytes)
    }

    /// Parses a message from a string.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<Self, ParseError> {
        from_str(text)
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
        from_str(text)
    }
}

/// serde_json checks the UTF-8 of every string it reads from bytes, at a
/// fixed cost per string (about a fifth of a parse); checking the whole
/// input once and reading it as text costs less. Input that is not UTF-8
/// takes the byte path, which says where.
fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => from_str(text),
        Err(_) => serde_json::from_slice(bytes).map_err(|e| tracked::<T>(bytes, e)),
    }
}

fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, ParseError> {
    serde_json::from_str(text).map_err(|e| tracked::<T>(text.as_bytes(), e))
}

/// The error of a parse that failed with `error`, with its JSON path.
///
/// Tracking the path costs about as much as parsing itself, so input is
/// parsed without it, and a failed parse is repeated with it: parsing the
/// same input fails at the same place.
#[cold]
fn tracked<T: DeserializeOwned>(bytes: &[u8], error: serde_json::Error) -> ParseError {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) if path_text(e.path()) == "." => {
            let outer = e.into_inner();
            // The body's error, if it is the one this parse stopped at (it
            // is reported as `<path>: <message>`).
            match buffered_body_error(bytes).filter(|(path, message)| {
                outer
                    .to_string()
                    .starts_with(&format!("{}: {message}", event_path(path)))
            }) {
                Some((path, message)) => ParseError::at(event_path(&path), message, outer),
                None => ParseError::whole(outer, bytes),
            }
        }
        Err(e) => {
            let path = e.path().clone();
            ParseError::new(&path, e.into_inner(), || found_at(bytes, &path))
        }
        // Trailing characters after the message, as `serde_json::from_slice` reports them.
        Ok(_) => ParseError::whole(deserializer.end().err().unwrap_or(error), bytes),
    }
}

/// When `event` comes before `event_type`, the body is parsed after the
/// whole message, where path tracking sees only the root. This reads the
/// message again, buffered as the parse buffered the body, and parses the
/// body on its own to find its error and the error's path in the body.
fn buffered_body_error(bytes: &[u8]) -> Option<(Path, String)> {
    let mut message: Buffered = serde_json::from_slice(bytes).ok()?;
    let Buffered::String(event_type) = message.take_member("event_type")? else {
        return None;
    };
    let event_type: WebhookEventType = event_type.parse().ok()?;
    let body = message.take_member("event")?;
    let mut track = serde_path_to_error::Track::new();
    let body = serde_path_to_error::Deserializer::new(body, &mut track);
    let error = WebhookEvent::deserialize_body(event_type, body).err()?;
    Some((track.path(), error.to_string()))
}

/// The value at `path` in the input, as JSON text, if it is a number,
/// string, boolean or null.
fn found_at(bytes: &[u8], path: &Path) -> Option<String> {
    let input: Buffered = serde_json::from_slice(bytes).ok()?;
    input.at(path.iter())?.scalar_json()
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
