//! Pulls the JSON fences out of the webhook events markdown doc and
//! cross-checks them against each other.
//!
//! The doc is walked as markdown events (pulldown-cmark), so prose, link
//! lists, fences in other languages and unknown sections are skipped
//! rather than mis-parsed. Every error names the doc line it refers to.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use serde_json::{Map, Value};
use thiserror::Error;

use crate::codegen::{self, merge_definitions, EnvelopeMismatch, EventTitle};

/// A parsed JSON fence and the doc line of its opening ``` line.
#[derive(Debug, Clone, PartialEq)]
pub struct Fence {
    pub line: usize,
    pub value: Value,
}

/// One `### <event_type>` section of `## Event Types (...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSection {
    pub event_type: String,
    pub heading_line: usize,
    /// The schema's `title`, which the envelope's `anyOf` refers to.
    pub title: String,
    pub example: Fence,
    pub schema: Fence,
}

/// Everything the doc defines, already cross-checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub envelope_schema: Fence,
    pub envelope_example: Fence,
    /// Name of the envelope definition listing the event types
    /// (`WebhookEventType` in older docs, `EventType` in later ones).
    pub event_type_enum: String,
    /// Event sections in doc order.
    pub events: Vec<EventSection>,
    /// Union of the event schemas' `definitions`.
    pub definitions: Map<String, Value>,
}

impl Extracted {
    /// The schemas the generator reads, as they will be laid out in `schemas/`.
    pub fn schema_set(&self) -> crate::codegen::SchemaSet {
        crate::codegen::SchemaSet {
            envelope: self.envelope_schema.value.clone(),
            events: self
                .events
                .iter()
                .map(|e| (e.event_type.clone(), e.schema.value.clone()))
                .collect(),
        }
    }
}

#[derive(Debug, Error, PartialEq)]
#[non_exhaustive]
pub enum ExtractError {
    #[error("doc line {line} column {column}: invalid JSON in {section}: {message}")]
    InvalidJson {
        section: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the doc has no `## {section}` section")]
    MissingSection { section: &'static str },
    #[error("doc line {line}: no json fence for {section}")]
    MissingFence { section: String, line: usize },
    #[error(
        "doc line {line}: second json fence for {section} (the first is at line {first_line})"
    )]
    DuplicateFence {
        section: String,
        line: usize,
        first_line: usize,
    },
    #[error(
        "doc line {line}: event section `### {event}` appears twice (first at line {first_line})"
    )]
    DuplicateEvent {
        event: String,
        line: usize,
        first_line: usize,
    },
    #[error("doc line {line}: `### {name}` is not a usable event type name (only ASCII letters, digits, `_` and `-`)")]
    InvalidEventName { name: String, line: usize },
    #[error("doc line {line}: event section `### {event}` is not listed in the envelope's `{enum_name}` enum (`## Full Event Schema`)")]
    EventNotInEnum {
        event: String,
        enum_name: String,
        line: usize,
    },
    #[error("doc line {line}: `## Full Event Schema` lists event type `{event}` in `{enum_name}`, but no `### {event}` section exists")]
    EventNotDocumented {
        event: String,
        enum_name: String,
        line: usize,
    },
    #[error("doc line {line}: `## Full Event Schema` `event.anyOf` refers to `{reference}`, but no event schema has that title")]
    UnmatchedAnyOf { reference: String, line: usize },
    #[error("doc line {line}: event `{event}` has schema title `{title}`, which the envelope's `event.anyOf` does not list")]
    EventNotInAnyOf {
        event: String,
        title: String,
        line: usize,
    },
    #[error("doc line {line}: `## Full Event Schema`: {detail}")]
    EnvelopeShape { line: usize, detail: String },
    #[error("doc line {line}: schema of event `{event}`: {detail}")]
    EventSchemaShape {
        event: String,
        line: usize,
        detail: String,
    },
    #[error("doc line {line}: definition `{name}` in the schema of event `{second}` differs from the one in event `{first}`")]
    DefinitionConflict {
        name: String,
        first: String,
        second: String,
        line: usize,
    },
}

/// The events' `definitions`, merged by the generator's own rule: one Rust
/// type per name, so same-named definitions must be identical.
fn merged_definitions(events: &[EventSection]) -> Result<Map<String, Value>, ExtractError> {
    let sources = events.iter().flat_map(|e| {
        let defs = e.schema.value.get("definitions").and_then(Value::as_object);
        defs.into_iter()
            .flatten()
            .map(|(name, def)| (e.event_type.clone(), name.as_str(), def))
    });
    let merged = merge_definitions(sources).map_err(|c| ExtractError::DefinitionConflict {
        line: events
            .iter()
            .find(|e| e.event_type == c.second)
            .map_or(0, |e| e.schema.line),
        name: c.name,
        first: c.first,
        second: c.second,
    })?;
    Ok(merged.into_iter().collect())
}

/// Extracts and cross-checks every fence of the doc.
pub fn extract(doc: &str) -> Result<Extracted, ExtractError> {
    let raw = scan(doc)?;
    let payload = raw
        .payload
        .ok_or(ExtractError::MissingSection { section: "Payload" })?;
    let envelope_example = payload.ok_or(ExtractError::MissingFence {
        section: "`## Payload` > `### Example`".into(),
        line: raw.payload_line,
    })?;
    let full = raw.full_schema.ok_or(ExtractError::MissingSection {
        section: "Full Event Schema",
    })?;
    let envelope_schema = full.ok_or(ExtractError::MissingFence {
        section: "`## Full Event Schema`".into(),
        line: raw.full_schema_line,
    })?;
    let events = raw
        .events
        .into_iter()
        .map(RawEvent::finish)
        .collect::<Result<Vec<_>, _>>()?;
    let event_type_enum = check_envelope(&envelope_schema, &events)?;
    let definitions = merged_definitions(&events)?;
    Ok(Extracted {
        envelope_schema,
        envelope_example,
        event_type_enum,
        events,
        definitions,
    })
}

/// Which part of the doc the walker is in.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    Other,
    Payload,
    EventTypes,
    FullSchema,
}

#[derive(Debug)]
struct RawEvent {
    name: String,
    line: usize,
    example: Option<Fence>,
    schema: Option<Fence>,
}

impl RawEvent {
    fn finish(self) -> Result<EventSection, ExtractError> {
        let missing = |fence| ExtractError::MissingFence {
            section: format!("`### {}` > `{fence}`", self.name),
            line: self.line,
        };
        let example = self.example.ok_or_else(|| missing("#### Example"))?;
        let schema = self.schema.ok_or_else(|| missing("#### Schema"))?;
        let title = schema
            .value
            .get("title")
            .and_then(Value::as_str)
            .ok_or_else(|| ExtractError::EventSchemaShape {
                event: self.name.clone(),
                line: schema.line,
                detail: "no string `title`".into(),
            })?
            .to_owned();
        Ok(EventSection {
            event_type: self.name,
            heading_line: self.line,
            title,
            example,
            schema,
        })
    }
}

/// The fences found by walking the doc, before cross-checks.
#[derive(Debug, Default)]
struct Raw {
    /// `Some` once the section heading is seen; inner `Some` once its fence is.
    payload: Option<Option<Fence>>,
    payload_line: usize,
    full_schema: Option<Option<Fence>>,
    full_schema_line: usize,
    events: Vec<RawEvent>,
}

/// Heading state while walking: the current `##`, `###`, `####` texts.
#[derive(Debug)]
struct Cursor {
    section: Section,
    h3: Option<(String, usize)>,
    h4: Option<String>,
}

fn scan(doc: &str) -> Result<Raw, ExtractError> {
    let lines = LineIndex::new(doc);
    let mut raw = Raw::default();
    let mut cursor = Cursor {
        section: Section::Other,
        h3: None,
        h4: None,
    };
    let mut parser = Parser::new(doc).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let text =
                    collect_text(&mut parser, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                let line = lines.line_of(range.start);
                enter_heading(&mut raw, &mut cursor, level, text.trim(), line);
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let is_json = info
                    .split_whitespace()
                    .next()
                    .is_some_and(|lang| lang.eq_ignore_ascii_case("json"));
                let body =
                    collect_text(&mut parser, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
                if is_json {
                    place_fence(&mut raw, &cursor, &body, lines.line_of(range.start))?;
                }
            }
            _ => {}
        }
    }
    Ok(raw)
}

/// Concatenates the text events up to the matching end event.
fn collect_text<'a>(
    parser: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    is_end: impl Fn(&Event<'a>) -> bool,
) -> String {
    let mut text = String::new();
    for (event, _) in parser.by_ref() {
        if is_end(&event) {
            break;
        }
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(&t);
        }
    }
    text
}

fn enter_heading(raw: &mut Raw, cursor: &mut Cursor, level: HeadingLevel, text: &str, line: usize) {
    match level {
        HeadingLevel::H1 => {
            cursor.section = Section::Other;
            cursor.h3 = None;
            cursor.h4 = None;
        }
        HeadingLevel::H2 => {
            cursor.h3 = None;
            cursor.h4 = None;
            cursor.section = match text {
                "Payload" => {
                    raw.payload.get_or_insert(None);
                    raw.payload_line = line;
                    Section::Payload
                }
                "Full Event Schema" => {
                    raw.full_schema.get_or_insert(None);
                    raw.full_schema_line = line;
                    Section::FullSchema
                }
                t if is_event_types_heading(t) => Section::EventTypes,
                _ => Section::Other,
            };
        }
        HeadingLevel::H3 => {
            cursor.h3 = Some((text.to_owned(), line));
            cursor.h4 = None;
        }
        _ => cursor.h4 = Some(text.to_owned()),
    }
}

/// `Event Types` optionally followed by the enum name in parentheses.
fn is_event_types_heading(text: &str) -> bool {
    text.strip_prefix("Event Types").is_some_and(|rest| {
        let rest = rest.trim();
        rest.is_empty() || (rest.starts_with('(') && rest.ends_with(')'))
    })
}

fn place_fence(
    raw: &mut Raw,
    cursor: &Cursor,
    body: &str,
    line: usize,
) -> Result<(), ExtractError> {
    match cursor.section {
        Section::Payload if cursor.h3.as_ref().is_some_and(|(h, _)| h == "Example") => {
            let slot = raw.payload.get_or_insert(None);
            fill(slot, "`## Payload` > `### Example`", body, line)
        }
        Section::FullSchema => {
            let slot = raw.full_schema.get_or_insert(None);
            fill(slot, "`## Full Event Schema`", body, line)
        }
        Section::EventTypes => place_event_fence(raw, cursor, body, line),
        _ => Ok(()),
    }
}

fn place_event_fence(
    raw: &mut Raw,
    cursor: &Cursor,
    body: &str,
    line: usize,
) -> Result<(), ExtractError> {
    let (Some((name, heading_line)), Some(h4)) = (&cursor.h3, &cursor.h4) else {
        return Ok(());
    };
    let is_example = match h4.as_str() {
        "Example" => true,
        "Schema" => false,
        _ => return Ok(()),
    };
    let event = event_slot(raw, name, *heading_line)?;
    let (slot, label) = if is_example {
        (&mut event.example, "Example")
    } else {
        (&mut event.schema, "Schema")
    };
    fill(slot, &format!("`### {name}` > `#### {label}`"), body, line)
}

/// Finds or opens the event being read; a second heading of the same name
/// is a duplicate section.
fn event_slot<'r>(
    raw: &'r mut Raw,
    name: &str,
    line: usize,
) -> Result<&'r mut RawEvent, ExtractError> {
    let index = match raw.events.iter().position(|e| e.name == name) {
        Some(i) => {
            let first_line = raw.events[i].line;
            if first_line != line {
                return Err(ExtractError::DuplicateEvent {
                    event: name.to_owned(),
                    line,
                    first_line,
                });
            }
            i
        }
        None if is_event_name(name) => {
            raw.events.push(RawEvent {
                name: name.to_owned(),
                line,
                example: None,
                schema: None,
            });
            raw.events.len() - 1
        }
        None => {
            return Err(ExtractError::InvalidEventName {
                name: name.to_owned(),
                line,
            })
        }
    };
    Ok(&mut raw.events[index])
}

/// Event types become file names, so they are kept to a safe alphabet.
fn is_event_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn fill(
    slot: &mut Option<Fence>,
    section: &str,
    body: &str,
    line: usize,
) -> Result<(), ExtractError> {
    if let Some(first) = slot {
        return Err(ExtractError::DuplicateFence {
            section: section.to_owned(),
            line,
            first_line: first.line,
        });
    }
    let value = serde_json::from_str(body).map_err(|e| ExtractError::InvalidJson {
        section: section.to_owned(),
        // The fence body starts on the line after the opening ```.
        line: line + e.line(),
        column: e.column(),
        message: strip_position(&e),
    })?;
    *slot = Some(Fence { line, value });
    Ok(())
}

/// serde_json appends "at line N column M" relative to the fence; the
/// doc-relative position is reported separately.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_owned(),
        None => text,
    }
}

/// The envelope rule (`codegen::check_envelope`) applied to the doc's
/// sections, its finding placed at a doc line. Returns the event-type
/// enum's definition name.
fn check_envelope(envelope: &Fence, events: &[EventSection]) -> Result<String, ExtractError> {
    let titles: Vec<EventTitle> = events
        .iter()
        .map(|e| EventTitle {
            event_type: &e.event_type,
            title: &e.title,
        })
        .collect();
    let section = |event_type: &str| events.iter().find(|e| e.event_type == event_type);
    match codegen::check_envelope(&envelope.value, &titles) {
        Ok((name, _)) => Ok(name),
        Err(EnvelopeMismatch::Shape { pointer, detail }) => Err(ExtractError::EnvelopeShape {
            line: envelope.line,
            detail: format!("`{pointer}`: {detail}"),
        }),
        Err(EnvelopeMismatch::NotInEnum {
            event_type,
            enum_name,
        }) => Err(ExtractError::EventNotInEnum {
            line: section(&event_type).map_or(envelope.line, |e| e.heading_line),
            event: event_type,
            enum_name,
        }),
        Err(EnvelopeMismatch::NoEvent {
            event_type,
            enum_name,
            ..
        }) => Err(ExtractError::EventNotDocumented {
            event: event_type,
            enum_name,
            line: envelope.line,
        }),
        Err(EnvelopeMismatch::UnmatchedRef { reference, .. }) => {
            Err(ExtractError::UnmatchedAnyOf {
                reference,
                line: envelope.line,
            })
        }
        Err(EnvelopeMismatch::NotInAnyOf { event_type, title }) => {
            Err(ExtractError::EventNotInAnyOf {
                line: section(&event_type).map_or(envelope.line, |e| e.schema.line),
                event: event_type,
                title,
            })
        }
    }
}

/// Maps byte offsets to 1-based line numbers. Counting `\n` alone is
/// right for `\r\n` docs too.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(doc: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(doc.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

#[cfg(test)]
#[path = "extract_tests.rs"]
mod tests;
