//! Random JSON instances of a JSON Schema, driven by the schema `Value`
//! alone (never by the Rust types), and the edits that make an instance
//! violate its schema.
//!
//! The generator understands the keywords that `schemas/` uses, plus the
//! numeric bounds and `date-time` format that later revisions of the doc may
//! use. Any other keyword makes it panic with the keyword's location, so a
//! schema change that the generator would silently ignore fails the tests
//! instead.
#![allow(dead_code)]

pub mod mutate;

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Just, Union};
use serde_json::{Map, Value};

use crate::common::required_in;

/// Keywords the generator honours or may ignore (annotations).
const UNDERSTOOD: &[&str] = &[
    "title",
    "description",
    "$ref",
    "type",
    "format",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "definitions",
    "default",
    "anyOf",
    "oneOf",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

/// `$ref` chains deeper than this are taken to be a recursive schema, which
/// the generator does not support (none of the doc's schemas is recursive).
const MAX_DEPTH: usize = 32;

/// Items in a generated array, and entries in a generated map.
const COLLECTION_LEN: std::ops::Range<usize> = 0..4;

/// Random instances of `root`, a schema whose `$ref`s point into itself.
pub fn instance(root: &Value) -> BoxedStrategy<Value> {
    value(root, root, "#", 0)
}

/// Random instances of `schema`, resolving `$ref`s against `root`.
pub fn value(root: &Value, schema: &Value, at: &str, depth: usize) -> BoxedStrategy<Value> {
    assert!(depth < MAX_DEPTH, "{at}: recursive schema, not supported");
    let Some(object) = schema.as_object() else {
        match schema {
            // `true` or `{}` accept anything; generate a string.
            Value::Bool(true) => return string().prop_map(Value::String).boxed(),
            _ => panic!("{at}: not a schema the generator supports: {schema}"),
        }
    };
    if let Some(keyword) = object.keys().find(|k| !UNDERSTOOD.contains(&k.as_str())) {
        panic!("{at}: keyword `{keyword}` is not supported by the test generator");
    }
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let target = resolve(root, reference, at);
        return value(root, target, reference, depth + 1);
    }
    if let Some(constant) = object.get("const") {
        return Just(constant.clone()).boxed();
    }
    if let Some(values) = object.get("enum").and_then(Value::as_array) {
        assert!(!values.is_empty(), "{at}: empty enum");
        return proptest::sample::select(values.clone()).boxed();
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(branches) = object.get(key).and_then(Value::as_array) {
            let branches = branches
                .iter()
                .enumerate()
                .map(|(i, b)| value(root, b, &format!("{at}/{key}/{i}"), depth + 1))
                .collect::<Vec<_>>();
            return Union::new(branches).boxed();
        }
    }
    let types = types(object, at);
    let by_type = types
        .iter()
        .map(|t| typed(root, object, t, at, depth))
        .collect::<Vec<_>>();
    Union::new(by_type).boxed()
}

/// The JSON types that `schema` allows, from `type` (a name or a list).
pub fn types(schema: &Map<String, Value>, at: &str) -> Vec<String> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .map(|t| {
                t.as_str()
                    .unwrap_or_else(|| panic!("{at}: bad type {t}"))
                    .to_owned()
            })
            .collect(),
        Some(other) => panic!("{at}: bad type {other}"),
        None => panic!("{at}: no `type`, `enum`, `const`, `$ref` or `anyOf`: cannot generate"),
    }
}

fn typed(
    root: &Value,
    schema: &Map<String, Value>,
    json_type: &str,
    at: &str,
    depth: usize,
) -> BoxedStrategy<Value> {
    match json_type {
        "string" => match schema.get("format").and_then(Value::as_str) {
            None => string().prop_map(Value::String).boxed(),
            Some("uuid") => uuid().prop_map(Value::String).boxed(),
            Some("date-time") => date_time().prop_map(Value::String).boxed(),
            Some(other) => panic!("{at}: format `{other}` is not supported by the test generator"),
        },
        "integer" => integer(schema).prop_map(Value::from).boxed(),
        "number" => number(schema),
        "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
        "null" => Just(Value::Null).boxed(),
        "array" => {
            let items = schema
                .get("items")
                .unwrap_or_else(|| panic!("{at}: array without `items`"));
            let items = value(root, items, &format!("{at}/items"), depth + 1);
            proptest::collection::vec(items, COLLECTION_LEN)
                .prop_map(Value::Array)
                .boxed()
        }
        "object" => object(root, schema, at, depth),
        other => panic!("{at}: type `{other}` is not supported by the test generator"),
    }
}

/// All required properties, a random subset of the optional ones (a
/// `default`-bearing one half of the time with its default value), and
/// 0..4 random keys when `additionalProperties` is a schema.
fn object(
    root: &Value,
    schema: &Map<String, Value>,
    at: &str,
    depth: usize,
) -> BoxedStrategy<Value> {
    let required = required_in(schema);
    let empty = Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut fields: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for (name, property) in properties {
        let at = format!("{at}/properties/{name}");
        let mut generated = value(root, property, &at, depth + 1);
        if let Some(default) = property.get("default") {
            generated = prop_oneof![Just(default.clone()), generated].boxed();
        }
        let is_required = required.contains(name);
        let name = name.clone();
        let entry = generated.prop_map(move |v| (name.clone(), v));
        fields.push(if is_required {
            entry.prop_map(Some).boxed()
        } else {
            proptest::option::of(entry).boxed()
        });
    }
    let declared: Vec<String> = properties.keys().cloned().collect();
    let extra = match schema.get("additionalProperties") {
        Some(Value::Object(_)) => {
            let values = value(
                root,
                &schema["additionalProperties"],
                &format!("{at}/additionalProperties"),
                depth + 1,
            );
            proptest::collection::btree_map(string(), values, COLLECTION_LEN)
                .prop_map(move |map| {
                    map.into_iter()
                        .filter(|(k, _)| !declared.contains(k))
                        .collect::<Vec<_>>()
                })
                .boxed()
        }
        _ => Just(Vec::new()).boxed(),
    };
    (fields, extra)
        .prop_map(|(fields, extra)| {
            Value::Object(fields.into_iter().flatten().chain(extra).collect())
        })
        .boxed()
}

/// The schema a local `$ref` (`#/definitions/Name`) points to.
pub fn resolve<'a>(root: &'a Value, reference: &str, at: &str) -> &'a Value {
    let pointer = reference
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("{at}: only local $refs are supported, not {reference}"));
    root.pointer(pointer)
        .unwrap_or_else(|| panic!("{at}: unresolved $ref {reference}"))
}

/// Any Unicode text, including quotes, backslashes and control characters
/// that JSON must escape.
pub fn string() -> BoxedStrategy<String> {
    proptest::collection::vec(any::<char>(), 0..12)
        .prop_map(String::from_iter)
        .boxed()
}

/// Lowercase hyphenated uuids, as RFC 4122 writes them.
pub fn uuid() -> BoxedStrategy<String> {
    prop_oneof![
        1 => Just([0u8; 16]),
        1 => Just([0xffu8; 16]),
        8 => any::<[u8; 16]>(),
    ]
    .prop_map(|bytes| format_uuid(&bytes))
    .boxed()
}

pub fn format_uuid(bytes: &[u8; 16]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// RFC 3339 timestamps in UTC.
fn date_time() -> BoxedStrategy<String> {
    (
        1970u32..2100,
        1u32..=12,
        1u32..=28,
        0u32..24,
        0u32..60,
        0u32..60,
    )
        .prop_map(|(y, mo, d, h, mi, s)| format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"))
        .boxed()
}

/// The inclusive range an integer schema allows.
pub fn integer_bounds(schema: &Map<String, Value>) -> (i64, i64) {
    let bound = |key: &str| schema.get(key).and_then(Value::as_i64);
    let low = match (bound("minimum"), bound("exclusiveMinimum")) {
        (Some(a), Some(b)) => a.max(b.saturating_add(1)),
        (Some(a), None) => a,
        (None, Some(b)) => b.saturating_add(1),
        (None, None) => i64::MIN,
    };
    let high = match (bound("maximum"), bound("exclusiveMaximum")) {
        (Some(a), Some(b)) => a.min(b.saturating_sub(1)),
        (Some(a), None) => a,
        (None, Some(b)) => b.saturating_sub(1),
        (None, None) => i64::MAX,
    };
    assert!(low <= high, "integer schema allows no value: {schema:?}");
    (low, high)
}

/// Integers in the schema's bounds, often at the bounds or near zero.
fn integer(schema: &Map<String, Value>) -> BoxedStrategy<i64> {
    let (low, high) = integer_bounds(schema);
    let small = (low.max(-100))..=(high.min(100));
    let mut choices = vec![Just(low).boxed(), Just(high).boxed(), (low..=high).boxed()];
    if !small.is_empty() {
        choices.push(small.boxed());
    }
    Union::new(choices).boxed()
}

fn number(schema: &Map<String, Value>) -> BoxedStrategy<Value> {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let low = bound("minimum").unwrap_or(-1e300);
    let high = bound("maximum").unwrap_or(1e300);
    assert!(
        schema.get("exclusiveMinimum").is_none() && schema.get("exclusiveMaximum").is_none(),
        "exclusive bounds on numbers are not supported by the test generator"
    );
    (low..=high).prop_map(Value::from).boxed()
}
