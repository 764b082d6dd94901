//! The wire overlay, `schemas/wire.json`: what real senders put on the wire
//! that no doc revision says, as cited facts. The join applies them after
//! the revisions (see [`crate::join`]); nothing here names an event.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Map, Value};
use thiserror::Error;

use crate::codegen::{json_pointer_child, property_text};

pub const OVERLAY: &str = "schemas/wire.json";

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// What the file is, for its readers.
    #[serde(default)]
    pub about: String,
    pub facts: Vec<Fact>,
}

/// One thing a sender did, where it did it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// `python` or `csharp`: the service that sent it.
    pub sender: String,
    /// The OneFuzz releases, e.g. `2.14.0-5.20.0`.
    pub releases: String,
    /// Where it was read: a file of the sender's source at a commit.
    pub source: String,
    /// What the sender did, in a few words.
    pub what: String,
    /// Target (`envelope`, `event <type>`, `definition <name>`) -> fields
    /// the doc requires but the sender left out.
    #[serde(default)]
    pub omitted: BTreeMap<String, Vec<String>>,
    /// Target -> fields the sender sent that the doc does not list, with
    /// their schemas.
    #[serde(default)]
    pub added: BTreeMap<String, Map<String, Value>>,
    /// Event types the sender sent that the doc does not list.
    #[serde(default)]
    pub events: BTreeMap<String, Event>,
}

/// An event type no revision documents.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub schema: Value,
    /// A body as the sender sent it, as the doc's examples are.
    pub example: Value,
}

/// A fact that does not fit the joined schemas: its place in the overlay.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{OVERLAY}: {pointer}: {detail}")]
pub struct WireError {
    pub pointer: String,
    pub detail: String,
}

/// Where a fact applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    Envelope,
    Event(&'a str),
    Definition(&'a str),
}

impl<'a> Target<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        match text.split_once(' ') {
            None if text == "envelope" => Some(Self::Envelope),
            Some(("event", name)) => Some(Self::Event(name)),
            Some(("definition", name)) => Some(Self::Definition(name)),
            _ => None,
        }
    }
}

impl Fact {
    /// How a field's doc credits the fact: "Omitted by the Python service
    /// 2.14.0-5.20.0: ...".
    fn credit(&self, verb: &str) -> String {
        let sender = match self.sender.as_str() {
            "python" => "the Python service",
            "csharp" => "the C# service",
            other => other,
        };
        format!("{verb} by {sender} {}: {}.", self.releases, self.what)
    }
}

impl Overlay {
    /// Reads the overlay; no file is an overlay without facts.
    pub fn read(text: Option<&str>) -> Result<Self, WireError> {
        let Some(text) = text else {
            return Ok(Self::default());
        };
        serde_json::from_str(text).map_err(|e| WireError {
            pointer: format!("line {} column {}", e.line(), e.column()),
            detail: format!("not an overlay: {e}"),
        })
    }

    /// The event types the facts add, with their schemas and examples, and
    /// the credit for their docs, in order.
    pub fn events(&self) -> Vec<(&str, &Event, String)> {
        self.facts
            .iter()
            .flat_map(|f| {
                f.events
                    .iter()
                    .map(move |(t, e)| (t.as_str(), e, f.credit("Not in the doc; sent")))
            })
            .collect()
    }

    /// Applies every fact about `target` to its joined `schema`.
    pub fn apply(&self, target: Target<'_>, schema: &mut Value) -> Result<(), WireError> {
        for (i, fact) in self.facts.iter().enumerate() {
            let at = format!("/facts/{i}");
            for (key, fields) in &fact.omitted {
                if Target::parse(key) != Some(target) {
                    continue;
                }
                let here = json_pointer_child(&json_pointer_child(&at, "omitted"), key);
                for (k, field) in fields.iter().enumerate() {
                    let Some(property) =
                        schema.pointer_mut(&json_pointer_child("/properties", field))
                    else {
                        return Err(WireError {
                            pointer: format!("{here}/{k}"),
                            detail: format!("`{field}` is not a property of {key} in any revision"),
                        });
                    };
                    credit(field, property, &fact.credit("Omitted"));
                    if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut)
                    {
                        required.retain(|r| r != field);
                    }
                }
            }
            for (key, fields) in &fact.added {
                if Target::parse(key) != Some(target) {
                    continue;
                }
                let properties = schema
                    .as_object_mut()
                    .map(|o| o.entry("properties").or_insert_with(|| json!({})));
                let Some(Value::Object(properties)) = properties else {
                    return Err(WireError {
                        pointer: json_pointer_child(&json_pointer_child(&at, "added"), key),
                        detail: format!("{key} is not an object schema"),
                    });
                };
                for (field, added) in fields {
                    // A later revision may document the field: the doc's
                    // schema wins, the fact still credits the sender.
                    let property = properties
                        .entry(field.clone())
                        .or_insert_with(|| added.clone());
                    credit(field, property, &fact.credit("Sent"));
                }
            }
        }
        Ok(())
    }

    /// Every target the facts name, with where it is named; `None` for a
    /// key that names no target.
    pub fn targets(&self) -> Vec<(String, Option<Target<'_>>)> {
        let mut targets = Vec::new();
        for (i, fact) in self.facts.iter().enumerate() {
            let omitted = fact.omitted.keys().map(|k| ("omitted", k));
            for (kind, key) in omitted.chain(fact.added.keys().map(|k| ("added", k))) {
                let pointer = json_pointer_child(&format!("/facts/{i}/{kind}"), key);
                targets.push((pointer, Target::parse(key)));
            }
        }
        targets
    }
}

/// Appends `text` to what property `name`'s schema says of it.
fn credit(name: &str, property: &mut Value, text: &str) {
    let Some(object) = property.as_object_mut() else {
        return;
    };
    let base = property_text(name, object).map(str::to_owned);
    let description = match base {
        Some(base) => format!("{base}\n\n{text}"),
        None => text.to_owned(),
    };
    object.insert("description".into(), Value::String(description));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlay(fact: Value) -> Overlay {
        let mut fact = fact;
        for (key, value) in [
            ("sender", "python"),
            ("releases", "1.0.0-2.0.0"),
            ("source", "x.py@abc"),
            ("what", "it did so"),
        ] {
            fact[key] = json!(value);
        }
        serde_json::from_value(json!({"facts": [fact]})).unwrap()
    }

    #[test]
    fn an_omitted_field_becomes_optional_and_says_who_omitted_it() {
        let overlay = overlay(json!({"omitted": {"event e": ["a"]}}));
        let mut schema = json!({
            "properties": {"a": {"title": "A", "type": "string"}, "b": {"type": "string"}},
            "required": ["a", "b"]
        });
        overlay.apply(Target::Event("e"), &mut schema).unwrap();
        assert_eq!(schema["required"], json!(["b"]));
        assert_eq!(
            schema["properties"]["a"]["description"],
            "Omitted by the Python service 1.0.0-2.0.0: it did so."
        );
        // Other targets are left alone.
        let mut other = json!({"properties": {"a": {}}, "required": ["a"]});
        overlay.apply(Target::Event("f"), &mut other).unwrap();
        assert_eq!(other["required"], json!(["a"]));
    }

    #[test]
    fn an_added_field_is_optional_and_a_documented_one_keeps_the_docs_schema() {
        let overlay = overlay(json!({"added": {"definition D": {
            "new": {"type": "boolean"},
            "known": {"type": "string"}
        }}}));
        let mut schema =
            json!({"properties": {"known": {"type": "integer"}}, "required": ["known"]});
        overlay.apply(Target::Definition("D"), &mut schema).unwrap();
        assert_eq!(schema["properties"]["new"]["type"], "boolean");
        assert_eq!(schema["properties"]["known"]["type"], "integer");
        assert_eq!(schema["required"], json!(["known"]));
        assert!(schema["properties"]["new"]["description"]
            .as_str()
            .unwrap()
            .starts_with("Sent by the Python service"));
    }

    #[test]
    fn a_fact_about_a_field_no_revision_has_names_its_place() {
        let overlay = overlay(json!({"omitted": {"event e": ["a", "missing"]}}));
        let mut schema = json!({"properties": {"a": {}}, "required": ["a"]});
        let error = overlay.apply(Target::Event("e"), &mut schema).unwrap_err();
        assert_eq!(
            error.to_string(),
            "schemas/wire.json: /facts/0/omitted/event e/1: `missing` is not a property of event e in any revision"
        );
        assert!(Overlay::read(Some("{\"facts\": [{\"sender\": 1}]}")).is_err());
        assert_eq!(Overlay::read(None).unwrap(), Overlay::default());
    }
}
