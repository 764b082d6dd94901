use serde::de::DeserializeOwned;
use serde_json::error::Category;
use serde_path_to_error::Segment;

use crate::held::Opened;
use crate::parse_error::{path_text, without_position};
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
pub(crate) fn from_slice<T: HoldsBack>(bytes: &[u8]) -> Result<T, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => from_str(text),
        Err(_) => serde_json::from_slice(bytes).map_err(|e| tracked::<T>(bytes, e)),
    }
}

pub(crate) fn from_str<T: HoldsBack>(text: &str) -> Result<T, ParseError> {
    serde_json::from_str(text).map_err(|e| tracked::<T>(text.as_bytes(), e))
}

/// The error of a parse that failed with `error`, with its JSON path.
///
/// Tracking the path costs about as much as parsing itself, so input is
/// parsed without it, and a failed parse is repeated with it: parsing the
/// same input fails at the same place.
#[cold]
fn tracked<T: HoldsBack>(bytes: &[u8], error: serde_json::Error) -> ParseError {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let error = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => e,
        // Trailing characters after the message, as `serde_json::from_slice` reports them.
        Ok(_) => return ParseError::whole(deserializer.end().err().unwrap_or(error), bytes),
    };
    let path: Vec<Segment> = error.path().iter().cloned().collect();
    let outer = error.into_inner();
    let path = match outer.classify() {
        Category::Syntax | Category::Eof => lexical_path(bytes, &outer)
            .filter(|deeper| lies_inside(deeper, &path))
            .unwrap_or(path),
        _ => path,
    };
    if let Some((path, message)) = held_back_error::<T>(bytes, &path, &outer) {
        return ParseError::at(path_text(&path), message, outer);
    }
    match path_text(&path).as_str() {
        "." => ParseError::whole(outer, bytes),
        _ => ParseError::new(&path, outer, || found_at(bytes, &path)),
    }
}

/// A type whose parse may hold a member's value back until a later member
/// says how to read it, and read it after the rest of its object
/// (`envelope::replay`): path tracking then sees an error in that value
/// only at the object.
pub(crate) trait HoldsBack: DeserializeOwned {
    /// Moves each member of `input` whose value the parse may hold back to
    /// the end of its object, where the parse reads it.
    fn in_read_order(input: &mut Opened<'_>);
}

impl HoldsBack for WebhookMessage {
    fn in_read_order(input: &mut Opened<'_>) {
        input.move_to_end("event");
    }
}

impl HoldsBack for WebhookEvent {
    fn in_read_order(input: &mut Opened<'_>) {
        input.move_to_end("event");
    }
}

/// The error in a value that the parse held back, with its path: the input
/// is parsed again from a copy in read order, where every value is read in
/// place. It is the error `outer` reported at `at` if it lies inside `at`
/// and `outer` ends with its message (held back, it was reported as
/// `<place>: <message>`); a parse that reads the members in another order
/// may meet another error first.
fn held_back_error<T: HoldsBack>(
    bytes: &[u8],
    at: &[Segment],
    outer: &serde_json::Error,
) -> Option<(Vec<Segment>, String)> {
    if outer.classify() != Category::Data {
        return None;
    }
    let mut input = Opened::parse(std::str::from_utf8(bytes).ok()?)?;
    T::in_read_order(&mut input);
    let in_order = input.to_json();
    let error = serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(
        &in_order,
    ))
    .err()?;
    let path: Vec<Segment> = error.path().iter().cloned().collect();
    let message = without_position(error.inner());
    (lies_inside(&path, at) && without_position(outer).ends_with(&message))
        .then_some((path, message))
}

/// The path of the syntax error `outer` as a parse that opens every value
/// finds it. The typed parse skims some values whole (one held back, a
/// field it skips), and so cannot name a place inside them.
fn lexical_path(bytes: &[u8], outer: &serde_json::Error) -> Option<Vec<Segment>> {
    let mut input = serde_json::Deserializer::from_slice(bytes);
    let error = serde_path_to_error::deserialize::<_, serde_json::Value>(&mut input).err()?;
    let same = error.inner().line() == outer.line() && error.inner().column() == outer.column();
    same.then(|| error.path().iter().cloned().collect())
}

/// Whether `path` names a place strictly inside `outer`.
fn lies_inside(path: &[Segment], outer: &[Segment]) -> bool {
    let (path, outer) = (known(path), known(outer));
    path.len() > outer.len() && path_text(&path[..outer.len()]) == path_text(outer)
}

/// A path without the unknown segments it ends with where a parse stopped
/// before reading the next key.
fn known(path: &[Segment]) -> &[Segment] {
    let end = path.iter().rposition(|s| !matches!(s, Segment::Unknown));
    &path[..end.map_or(0, |end| end + 1)]
}

/// The value at `path` in the input, as JSON text, if it is a number,
/// string, boolean or null.
fn found_at(bytes: &[u8], path: &[Segment]) -> Option<String> {
    let mut input = Opened::parse(std::str::from_utf8(bytes).ok()?)?;
    input.at(path)?.scalar_json().map(str::to_owned)
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
