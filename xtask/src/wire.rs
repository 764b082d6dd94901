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
    /// Target (`definition <name>`, an integer enum) -> the sender's name
    /// of each value, by the value written in decimal.
    #[serde(default)]
    pub names: BTreeMap<String, BTreeMap<String, String>>,
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
        self.apply_names(target, schema)?;
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

    /// Writes the names the facts give `target`'s values as its
    /// `x-names`, `{"450": "INVALID_REQUEST", ...}` in the order of its
    /// `enum`. Only a value the revisions list is named (a name for any
    /// other would describe a value the types do not know), and a value has
    /// one name: two facts that disagree are an error.
    fn apply_names(&self, target: Target<'_>, schema: &mut Value) -> Result<(), WireError> {
        // value -> (name, where it was given)
        let mut names: BTreeMap<i64, (&str, String)> = BTreeMap::new();
        for (i, fact) in self.facts.iter().enumerate() {
            for (key, given) in &fact.names {
                if Target::parse(key) != Some(target) {
                    continue;
                }
                let here = json_pointer_child(&format!("/facts/{i}/names"), key);
                let Target::Definition(_) = target else {
                    return Err(WireError {
                        pointer: here,
                        detail: "names are given to a definition's values".into(),
                    });
                };
                let Some(values) = integer_values(schema) else {
                    return Err(WireError {
                        pointer: here,
                        detail: format!("{key} is not an integer in any revision"),
                    });
                };
                for (text, name) in given {
                    let at = json_pointer_child(&here, text);
                    let value = text
                        .parse::<i64>()
                        .ok()
                        .filter(|v| values.as_ref().is_none_or(|values| values.contains(v)));
                    let Some(value) = value else {
                        return Err(WireError {
                            pointer: at,
                            detail: format!("`{text}` is not a value of {key} in any revision"),
                        });
                    };
                    if !is_const_name(name) {
                        return Err(WireError {
                            pointer: at,
                            detail: format!(
                                "`{name}` is not a name in capitals, digits and `_` \
                                 (it becomes a Rust const)"
                            ),
                        });
                    }
                    match names.get(&value) {
                        Some((other, there)) if other != name => {
                            return Err(WireError {
                                pointer: at,
                                detail: format!(
                                    "names {value} `{name}`, {there} names it `{other}`"
                                ),
                            });
                        }
                        Some(_) => {}
                        None => {
                            names.insert(value, (name, at));
                        }
                    }
                }
            }
        }
        let taken: Vec<(&str, i64)> = names.iter().map(|(v, (n, _))| (*n, *v)).collect();
        for (name, value) in &taken {
            if let Some((_, other)) = taken.iter().find(|(n, v)| n == name && v != value) {
                return Err(WireError {
                    pointer: names[value].1.clone(),
                    detail: format!("`{name}` names both {other} and {value}"),
                });
            }
        }
        if names.is_empty() {
            return Ok(());
        }
        // The enum's order, or for a plain integer the values' own.
        let order = integer_values(schema)
            .flatten()
            .unwrap_or_else(|| names.keys().copied().collect());
        let x_names: Map<String, Value> = order
            .iter()
            .filter_map(|v| names.get(v).map(|(n, _)| (v.to_string(), json!(n))))
            .collect();
        schema["x-names"] = Value::Object(x_names);
        Ok(())
    }

    /// Every target the facts name, with where it is named; `None` for a
    /// key that names no target.
    pub fn targets(&self) -> Vec<(String, Option<Target<'_>>)> {
        let mut targets = Vec::new();
        for (i, fact) in self.facts.iter().enumerate() {
            let omitted = fact.omitted.keys().map(|k| ("omitted", k));
            let named = fact.names.keys().map(|k| ("names", k));
            let added = fact.added.keys().map(|k| ("added", k));
            for (kind, key) in omitted.chain(added).chain(named) {
                let pointer = json_pointer_child(&format!("/facts/{i}/{kind}"), key);
                targets.push((pointer, Target::parse(key)));
            }
        }
        targets
    }
}

/// The values an integer definition lists: `Some(values)` for an integer
/// enum, `Some(None)` for a plain integer (what the join makes of an enum
/// that a revision leaves open), `None` for anything else.
fn integer_values(schema: &Value) -> Option<Option<Vec<i64>>> {
    match schema.get("enum").and_then(Value::as_array) {
        Some(listed) => {
            let values: Vec<i64> = listed.iter().filter_map(Value::as_i64).collect();
            (!values.is_empty() && values.len() == listed.len()).then_some(Some(values))
        }
        None => (schema.get("type") == Some(&json!("integer"))).then_some(None),
    }
}

/// A name codegen can make a const of: `INVALID_REQUEST`.
fn is_const_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
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
    fn names_are_written_in_the_order_of_the_enum() {
        let overlay = overlay(json!({"names": {"definition Code": {"3": "THREE", "1": "ONE"}}}));
        let mut schema = json!({"enum": [3, 2, 1]});
        overlay
            .apply(Target::Definition("Code"), &mut schema)
            .unwrap();
        let written: Vec<(&String, &Value)> =
            schema["x-names"].as_object().unwrap().iter().collect();
        assert_eq!(
            written,
            [
                (&"3".to_owned(), &json!("THREE")),
                (&"1".to_owned(), &json!("ONE"))
            ]
        );
        // Another definition gets none.
        let mut other = json!({"enum": [3]});
        overlay
            .apply(Target::Definition("Other"), &mut other)
            .unwrap();
        assert_eq!(other.get("x-names"), None);
    }

    /// A later revision can leave the enum open; the join then makes the
    /// definition a plain integer, and its names are kept, in value order.
    #[test]
    fn a_plain_integer_keeps_its_names() {
        let overlay = overlay(json!({"names": {"definition Code": {"30": "THIRTY", "4": "FOUR"}}}));
        let mut schema = json!({"type": "integer"});
        overlay
            .apply(Target::Definition("Code"), &mut schema)
            .unwrap();
        let written: Vec<(&String, &Value)> =
            schema["x-names"].as_object().unwrap().iter().collect();
        assert_eq!(
            written,
            [
                (&"4".to_owned(), &json!("FOUR")),
                (&"30".to_owned(), &json!("THIRTY"))
            ]
        );
    }

    #[test]
    fn a_bad_name_fact_names_its_place() {
        let at = "schemas/wire.json: /facts/0/names/definition Code";
        for (names, schema, expected) in [
            (json!({"4": "FOUR"}), json!({"enum": [3]}), format!("{at}/4: `4` is not a value of definition Code in any revision")),
            (json!({"x": "X"}), json!({"enum": [3]}), format!("{at}/x: `x` is not a value of definition Code in any revision")),
            (json!({"3": "three"}), json!({"enum": [3]}), format!("{at}/3: `three` is not a name in capitals, digits and `_` (it becomes a Rust const)")),
            (json!({"3": "SAME", "4": "SAME"}), json!({"enum": [3, 4]}), format!("{at}/3: `SAME` names both 4 and 3")),
            (json!({"3": "THREE"}), json!({"type": "string"}), format!("{at}: definition Code is not an integer in any revision")),
            (json!({"3": "THREE"}), json!({"enum": [3, "three"]}), format!("{at}: definition Code is not an integer in any revision")),
        ] {
            let overlay = overlay(json!({"names": {"definition Code": names}}));
            let mut joined = schema.clone();
            let error = overlay.apply(Target::Definition("Code"), &mut joined).unwrap_err();
            assert_eq!(error.to_string(), expected);
        }
    }

    #[test]
    fn two_facts_that_name_a_value_differently_are_an_error() {
        let mut overlay = overlay(json!({"names": {"definition Code": {"3": "THREE"}}}));
        let mut second = overlay.facts[0].clone();
        second.names.insert(
            "definition Code".into(),
            [("3".into(), "TRES".into())].into(),
        );
        overlay.facts.push(second.clone());
        let mut schema = json!({"enum": [3]});
        let error = overlay
            .apply(Target::Definition("Code"), &mut schema)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "schemas/wire.json: /facts/1/names/definition Code/3: names 3 `TRES`, /facts/0/names/definition Code/3 names it `THREE`"
        );
        // Agreeing facts are one name.
        second.names.insert(
            "definition Code".into(),
            [("3".into(), "THREE".into())].into(),
        );
        overlay.facts[1] = second;
        overlay
            .apply(Target::Definition("Code"), &mut schema)
            .unwrap();
        assert_eq!(schema["x-names"], json!({"3": "THREE"}));
        assert_eq!(overlay.targets().len(), 2);
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
