use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::Error;

/// Everything the generator reads: the envelope schema and one schema per event.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaSet {
    pub envelope: Value,
    /// Event type (e.g. `task_created`) -> its schema.
    pub events: BTreeMap<String, Value>,
}

/// Where each schema lives, relative to `schemas/`.
pub const ENVELOPE_SCHEMA: &str = "envelope.schema.json";
pub const EVENTS_DIR: &str = "events";
pub const SCHEMA_SUFFIX: &str = ".schema.json";

pub fn event_schema_path(event_type: &str) -> String {
    format!("{EVENTS_DIR}/{event_type}{SCHEMA_SUFFIX}")
}

/// The name of the definition that the envelope's `event_type` property
/// refers to (`WebhookEventType`, `EventType`); `None` unless
/// `/properties/event_type/$ref` is a `#/definitions/...` string.
pub fn event_type_enum(envelope: &Value) -> Option<&str> {
    envelope
        .pointer("/properties/event_type/$ref")?
        .as_str()?
        .strip_prefix("#/definitions/")
}

impl SchemaSet {
    /// Reads `dir/envelope.schema.json` and `dir/events/*.schema.json`.
    /// Returns the set and every file read (for `cargo:rerun-if-changed`).
    pub fn load(dir: &Path) -> Result<(Self, Vec<std::path::PathBuf>), Error> {
        let envelope_path = dir.join(ENVELOPE_SCHEMA);
        let envelope = read_json(&envelope_path)?;
        let events_dir = dir.join(EVENTS_DIR);
        let entries = std::fs::read_dir(&events_dir).map_err(|source| Error::Io {
            path: events_dir.clone(),
            source,
        })?;
        let mut read = vec![envelope_path, events_dir.clone()];
        let mut events = BTreeMap::new();
        for entry in entries {
            let path = entry
                .map_err(|source| Error::Io {
                    path: events_dir.clone(),
                    source,
                })?
                .path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if let Some(event_type) = name.strip_suffix(SCHEMA_SUFFIX) {
                events.insert(event_type.to_owned(), read_json(&path)?);
                read.push(path);
            }
        }
        Ok((Self { envelope, events }, read))
    }
}

fn read_json(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| Error::Json {
        path: path.to_owned(),
        source,
    })
}
