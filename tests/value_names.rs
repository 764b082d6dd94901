//! The senders' names of integer enum values (`x-names` in `schemas/`,
//! from `schemas/wire.json`): each named value reads, writes back and names
//! itself as the schemas say, and an unnamed integer is kept as sent.

mod common;

use std::collections::BTreeMap;

use common::{envelope_schema, events, schemas_dir};
use onefuzz_webhook_types::ErrorCode;
use serde_json::{json, Value};

/// Every definition with `x-names` in the joined schemas: the values the
/// crate lists (an integer enum's `enum`; for a plain integer, the named
/// ones) and its names, by value.
fn named_definitions() -> BTreeMap<String, (Vec<i64>, BTreeMap<i64, String>)> {
    let mut found = BTreeMap::new();
    let roots = std::iter::once(envelope_schema()).chain(events().into_iter().map(|e| e.schema));
    for root in roots {
        for (definition, schema) in root["definitions"].as_object().into_iter().flatten() {
            let Some(names) = schema.get("x-names").and_then(Value::as_object) else {
                continue;
            };
            let names: BTreeMap<i64, String> = names
                .iter()
                .map(|(v, n)| (v.parse().unwrap(), n.as_str().unwrap().to_owned()))
                .collect();
            let values = match schema.get("enum").and_then(Value::as_array) {
                Some(listed) => listed.iter().map(|v| v.as_i64().unwrap()).collect(),
                None => {
                    assert_eq!(
                        schema["type"], "integer",
                        "{definition}: x-names on a non-integer"
                    );
                    names.keys().copied().collect()
                }
            };
            found.insert(definition.clone(), (values, names));
        }
    }
    found
}

/// What the crate says of one value of a named type: its `name()`, whether
/// it is known, and how it serializes.
type Probe = fn(i64) -> (Option<&'static str>, bool, Value);

/// The Rust type of each named definition. A definition named in the
/// schemas but missing here fails the test, so none goes untested.
fn probe(definition: &str) -> Probe {
    match definition {
        "ErrorCode" => |value| {
            let code: ErrorCode = serde_json::from_value(json!(value)).unwrap();
            assert_eq!(code, ErrorCode::from(value));
            (
                code.name(),
                code.is_known(),
                serde_json::to_value(code).unwrap(),
            )
        },
        other => panic!("{other} has x-names: add its type to tests/value_names.rs"),
    }
}

#[test]
fn every_named_value_reads_writes_back_and_names_itself() {
    let named = named_definitions();
    assert!(
        !named.is_empty(),
        "no x-names in {}",
        schemas_dir().display()
    );
    for (definition, (values, names)) in &named {
        let probe = probe(definition);
        assert!(!names.is_empty(), "{definition}: empty x-names");
        for value in values {
            let (name, known, written) = probe(*value);
            assert_eq!(
                name,
                names.get(value).map(String::as_str),
                "{definition} {value}"
            );
            assert!(known, "{definition} {value}");
            assert_eq!(written, json!(value), "{definition} {value}");
        }
        for value in names.keys() {
            assert!(
                values.contains(value),
                "{definition}: {value} is named but not listed"
            );
        }
    }
}

/// An integer no schema lists or names still reads, has no name, and is
/// written back as sent.
#[test]
fn an_unnamed_integer_is_kept_as_sent() {
    for (definition, (values, names)) in named_definitions() {
        let probe = probe(&definition);
        let largest = values.iter().chain(names.keys()).max().copied().unwrap();
        for value in [largest + 1, -largest, 0] {
            assert!(!values.contains(&value));
            let (name, known, written) = probe(value);
            assert_eq!((name, known), (None, false), "{definition} {value}");
            assert_eq!(written, json!(value), "{definition} {value}");
        }
    }
}

/// Each name is a const of the type with its value, in the checked-in code.
#[test]
fn each_name_is_a_const_with_its_value() {
    let code = std::fs::read_to_string(schemas_dir().join("../src/generated.rs")).unwrap();
    for (definition, (_, names)) in named_definitions() {
        for (value, name) in names {
            let line = format!("pub const {name}: {definition} = {definition}({value});");
            assert!(code.contains(&line), "src/generated.rs lacks `{line}`");
        }
    }
}
