//! The JSON Schema keywords the generator understands. Any other keyword
//! would be ignored by typify, and the types would silently accept more (or
//! other) than the schema says, so it is an error naming where it is.

use serde_json::{Map, Value};

use crate::Error;

const KNOWN: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "title",
    "description",
    "default",
    "examples",
    "type",
    "format",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "definitions",
    "anyOf",
    "oneOf",
    "allOf",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "readOnly",
    "writeOnly",
    "deprecated",
    // The senders' names of an integer enum's values (the join writes them
    // from schemas/wire.json); codegen makes them consts.
    "x-names",
];

/// Keywords whose value is a map of sub-schemas, one sub-schema, or a list
/// of them. Every walk over a schema (this check, the rewrites) enters
/// these, so a keyword added here is both checked and rewritten.
pub(crate) const SCHEMA_MAPS: &[&str] = &["properties", "definitions"];
pub(crate) const SCHEMA_VALUES: &[&str] = &["items", "additionalProperties"];
pub(crate) const SCHEMA_LISTS: &[&str] = &["anyOf", "oneOf", "allOf"];

/// The property names that an object schema lists as `required`.
pub fn required_names(schema: &Map<String, Value>) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// `pointer` extended by `token`, escaped as JSON Pointer (RFC 6901) requires.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// Fails on the first keyword of `schema` (in `file`) outside [`KNOWN`],
/// and on a `$ref` that is not to one of the file's own `definitions`.
pub(crate) fn check(file: &str, schema: &Value) -> Result<(), Error> {
    walk(file, schema, "", schema)
}

fn walk(file: &str, root: &Value, pointer: &str, schema: &Value) -> Result<(), Error> {
    let Some(object) = schema.as_object() else {
        return Ok(());
    };
    for (key, value) in object {
        let here = child(pointer, key);
        if !KNOWN.contains(&key.as_str()) {
            return Err(Error::Schema {
                file: file.to_owned(),
                pointer: here,
                message: format!(
                    "unsupported JSON Schema keyword `{key}`: the generated types could not \
                     enforce it; teach codegen/ about it before regenerating"
                ),
            });
        }
        let key = key.as_str();
        if key == "$ref" {
            check_ref(file, root, &here, value)?;
        } else if SCHEMA_MAPS.contains(&key) {
            for (name, value) in value.as_object().into_iter().flatten() {
                walk(file, root, &child(&here, name), value)?;
            }
        } else if SCHEMA_VALUES.contains(&key) {
            walk(file, root, &here, value)?;
        } else if SCHEMA_LISTS.contains(&key) {
            for (i, value) in value.as_array().into_iter().flatten().enumerate() {
                walk(file, root, &child(&here, &i.to_string()), value)?;
            }
        }
    }
    Ok(())
}

/// typify resolves `#/definitions/NAME` only, and panics on a missing one.
fn check_ref(file: &str, root: &Value, pointer: &str, target: &Value) -> Result<(), Error> {
    let name = target
        .as_str()
        .and_then(|t| t.strip_prefix("#/definitions/"))
        .filter(|name| !name.contains('/'));
    let found =
        name.is_some_and(|name| root.get("definitions").and_then(|d| d.get(name)).is_some());
    if found {
        return Ok(());
    }
    Err(Error::Schema {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        message: format!("`$ref` {target} is not one of this schema's own `#/definitions/...`"),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::check;

    #[test]
    fn names_the_file_and_pointer_of_an_unknown_keyword() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {"type": "array", "items": {"type": "string", "if": {}}}}
        });
        let error = check("events/x.schema.json", &schema)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("events/x.schema.json: /properties/a/items/if: unsupported JSON Schema keyword `if`"),
            "{error}"
        );
    }

    #[test]
    fn names_a_ref_to_a_missing_definition() {
        let schema = json!({
            "properties": {"a": {"$ref": "#/definitions/Missing"}, "b": {"$ref": "#/definitions/E"}},
            "definitions": {"E": {"enum": [1]}}
        });
        let error = check("f.json", &schema).unwrap_err().to_string();
        assert!(
            error
                .starts_with("f.json: /properties/a/$ref: `$ref` \"#/definitions/Missing\" is not"),
            "{error}"
        );
        let external = json!({"properties": {"a": {"$ref": "other.json#/definitions/E"}}});
        assert!(check("f.json", &external).is_err());
    }

    #[test]
    fn accepts_the_keywords_of_the_doc() {
        let schema = json!({
            "title": "T", "type": "object", "required": ["a"],
            "properties": {"a": {"$ref": "#/definitions/E"}, "b": {"type": "integer", "minimum": 0, "default": 1}},
            "definitions": {"E": {"title": "E", "description": "An enumeration.", "enum": [1, 2]}}
        });
        assert!(check("f", &schema).is_ok());
    }
}
