//! One set of definitions for all event schemas: typify does not deduplicate
//! definitions added in separate calls, so the generator merges them first.

use serde_json::{Map, Value};

use crate::codegen::envelope::Layout;
use crate::codegen::schema_set::{event_schema_path, ENVELOPE_SCHEMA};
use crate::codegen::{Error, SchemaSet};

/// Merges named definitions from several files, in first-seen order.
/// Identical duplicates collapse; a name defined differently in two files is
/// an [`Error::Conflict`] naming both.
pub fn merge_definitions<'a>(
    sources: impl IntoIterator<Item = (String, &'a str, &'a Value)>,
) -> Result<Vec<(String, Value)>, Error> {
    let mut merged: Vec<(String, Value, String)> = Vec::new();
    for (file, name, schema) in sources {
        match merged.iter().find(|(n, _, _)| n == name) {
            Some((_, existing, _)) if existing == schema => {}
            Some((_, _, first)) => {
                return Err(Error::Conflict {
                    name: name.to_owned(),
                    first: first.clone(),
                    second: file,
                })
            }
            None => merged.push((name.to_owned(), schema.clone(), file)),
        }
    }
    Ok(merged.into_iter().map(|(n, s, _)| (n, s)).collect())
}

/// The definitions typify gets: every event's root (under its title) and
/// definitions, plus the envelope's own definitions that are neither an
/// event nor the event-type enum (the crate generates those itself).
pub(crate) fn merged(set: &SchemaSet, layout: &Layout) -> Result<Vec<(String, Value)>, Error> {
    let empty = Map::new();
    let mut sources = Vec::new();
    for layout_event in &layout.events {
        let event = &set.events[layout_event.index];
        let file = event_schema_path(&event.event_type);
        sources.push((file.clone(), layout_event.title.as_str(), &event.schema));
        let defs = event.schema.get("definitions").and_then(Value::as_object);
        for (name, schema) in defs.unwrap_or(&empty) {
            sources.push((file.clone(), name.as_str(), schema));
        }
    }
    let envelope_defs = set.envelope.get("definitions").and_then(Value::as_object);
    for (name, schema) in envelope_defs.unwrap_or(&empty) {
        if *name != layout.event_type_enum && !layout.events.iter().any(|e| e.title == *name) {
            sources.push((ENVELOPE_SCHEMA.to_owned(), name.as_str(), schema));
        }
    }
    let mut merged = merge_definitions(sources)?;
    for (_, schema) in &mut merged {
        if let Some(object) = schema.as_object_mut() {
            object.remove("definitions");
        }
    }
    Ok(merged)
}
