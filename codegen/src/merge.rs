//! One set of definitions for all event schemas: typify does not deduplicate
//! definitions added in separate calls, so the generator merges them first.

use serde_json::{Map, Value};

use crate::envelope::Layout;
use crate::schema_set::{event_schema_path, ENVELOPE_SCHEMA};
use crate::{Error, SchemaSet};

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{merge_definitions, Conflict};

    #[test]
    fn identical_duplicates_collapse_in_first_seen_order() {
        let (a, b, c) = (
            json!({"type": "object"}),
            json!({"enum": [1]}),
            json!({"type": "string"}),
        );
        let sources = [
            ("x".to_owned(), "A", &a),
            ("x".to_owned(), "B", &b),
            ("y".to_owned(), "B", &b),
            ("y".to_owned(), "C", &c),
        ];
        let merged = merge_definitions(sources).unwrap();
        let names: Vec<&str> = merged.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["A", "B", "C"]);
    }

    #[test]
    fn a_differing_duplicate_names_both_sources() {
        let (a, b) = (json!({"enum": [1]}), json!({"enum": [1, 2]}));
        let sources = [
            ("x.json".to_owned(), "B", &a),
            ("y.json".to_owned(), "B", &b),
        ];
        let conflict = merge_definitions(sources).unwrap_err();
        assert_eq!(
            conflict,
            Conflict {
                name: "B".into(),
                first: "x.json".into(),
                second: "y.json".into()
            }
        );
    }
}

/// A name defined differently in two places.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "definition `{name}` differs between {first} and {second}; \
     fix the doc so both agree, then run `cargo xtask regen`"
)]
pub struct Conflict {
    pub name: String,
    pub first: String,
    pub second: String,
}

/// Merges named definitions from several sources (labelled for errors), in
/// first-seen order. Identical duplicates collapse; a name defined
/// differently twice is a [`Conflict`] naming both.
pub fn merge_definitions<'a>(
    sources: impl IntoIterator<Item = (String, &'a str, &'a Value)>,
) -> Result<Vec<(String, Value)>, Conflict> {
    let mut merged: Vec<(String, Value, String)> = Vec::new();
    for (file, name, schema) in sources {
        match merged.iter().find(|(n, _, _)| n == name) {
            Some((_, existing, _)) if existing == schema => {}
            Some((_, _, first)) => {
                return Err(Conflict {
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
pub(crate) fn merged<'a>(
    set: &'a SchemaSet,
    layout: &'a Layout<'a>,
) -> Result<Vec<(String, Value)>, Error> {
    let empty = Map::new();
    let mut sources = Vec::new();
    for layout_event in &layout.events {
        let schema = &layout_event.schema;
        let file = event_schema_path(&layout_event.event_type);
        sources.push((file.clone(), layout_event.title.as_str(), *schema));
        let defs = schema.get("definitions").and_then(Value::as_object);
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
