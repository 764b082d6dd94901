//! The JSON Schema keywords the generator understands. Any other keyword
//! would be ignored by typify, and the types would silently accept more (or
//! other) than the schema says, so it is an error naming where it is.

use serde_json::Value;

use crate::codegen::Error;

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
];

/// `pointer` extended by `token`, escaped as JSON Pointer (RFC 6901) requires.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// Fails on the first keyword of `schema` (in `file`) outside [`KNOWN`].
pub(crate) fn check(file: &str, schema: &Value) -> Result<(), Error> {
    walk(file, "", schema)
}

fn walk(file: &str, pointer: &str, schema: &Value) -> Result<(), Error> {
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
        match key.as_str() {
            "properties" | "definitions" => {
                for (name, value) in value.as_object().into_iter().flatten() {
                    walk(file, &child(&here, name), value)?;
                }
            }
            "items" | "additionalProperties" => walk(file, &here, value)?,
            "anyOf" | "oneOf" | "allOf" => {
                for (i, value) in value.as_array().into_iter().flatten().enumerate() {
                    walk(file, &child(&here, &i.to_string()), value)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
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
    fn accepts_the_keywords_of_the_doc() {
        let schema = json!({
            "title": "T", "type": "object", "required": ["a"],
            "properties": {"a": {"$ref": "#/definitions/E"}, "b": {"type": "integer", "minimum": 0, "default": 1}},
            "definitions": {"E": {"title": "E", "description": "An enumeration.", "enum": [1, 2]}}
        });
        assert!(check("f", &schema).is_ok());
    }
}
