//! Schema rewrites applied before typify sees a definition. Each one keeps
//! the generated types lossless where typify's defaults would not be; the
//! files in `schemas/` are never changed.

use serde_json::{json, Map, Value};

use crate::keywords::{required_names, SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES};
use crate::{property_text, Error};

/// Rewrites one schema that typify will see (a definition, or an envelope
/// field), found at `pointer` in `file`, and converts it to typify's input type.
pub(crate) fn for_typify(
    file: &str,
    pointer: &str,
    mut schema: Value,
) -> Result<schemars::schema::Schema, Error> {
    rewrite(&mut schema);
    serde_json::from_value(schema).map_err(|e| Error::Schema {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        message: format!("not a JSON Schema typify accepts: {e}"),
    })
}

fn rewrite(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    type_integer_enums(object);
    // typify would turn a bound into another integer type (`minimum: 1` into
    // `NonZeroU64`): a bound upstream adds would change the Rust API and
    // reject values that real senders may send. Bounds stay documentation.
    for bound in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
        object.remove(bound);
    }
    // Unknown fields are accepted (and kept with `preserve-unknown-fields`)
    // so that a newer sender does not break an older receiver.
    if object.get("additionalProperties") == Some(&Value::Bool(false)) {
        object.remove("additionalProperties");
    }
    let required: Vec<String> = required_names(object)
        .into_iter()
        .map(str::to_owned)
        .collect();
    if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, property) in properties.iter_mut() {
            if let Some(property) = property.as_object_mut() {
                document_property(name, property);
                if !required.contains(name) {
                    optional_as_option(property);
                }
            }
        }
    }
    for key in SCHEMA_MAPS {
        if let Some(children) = object.get_mut(*key).and_then(Value::as_object_mut) {
            children.values_mut().for_each(rewrite);
        }
    }
    for key in SCHEMA_VALUES {
        if let Some(child) = object.get_mut(*key) {
            rewrite(child);
        }
    }
    for key in SCHEMA_LISTS {
        if let Some(children) = object.get_mut(*key).and_then(Value::as_array_mut) {
            children.iter_mut().for_each(rewrite);
        }
    }
}

/// An `enum` of integers without `"type"` would become an `f64` newtype that
/// re-emits `468` as `468.0`.
fn type_integer_enums(object: &mut Map<String, Value>) {
    let all_integers = object
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| {
            !values.is_empty() && values.iter().all(|v| v.is_i64() || v.is_u64())
        });
    if all_integers && !object.contains_key("type") {
        object.insert("type".to_owned(), json!("integer"));
    }
}

/// typify documents types, not fields; a property's title (and its default,
/// which the rewrite below removes from the type) become the field's doc.
fn document_property(name: &str, property: &mut Map<String, Value>) {
    let mut doc = property_text(name, property).unwrap_or("").to_owned();
    if let Some(default) = property.get("default") {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("Absent means the default: `{default}`."));
    }
    if !doc.is_empty() {
        property.insert("description".to_owned(), Value::String(doc));
    }
}

/// Every optional field becomes `Option<T>` so that "absent" and "present"
/// stay apart: typify would otherwise fill in `default`s on output and drop
/// empty optional lists and maps, so the JSON would not round-trip.
fn optional_as_option(property: &mut Map<String, Value>) {
    property.remove("default");
    let collection = matches!(
        property.get("type").and_then(Value::as_str),
        Some("array" | "object")
    );
    if collection {
        if let Some(t) = property.get("type").cloned() {
            property.insert("type".to_owned(), json!([t, "null"]));
        }
    }
}
