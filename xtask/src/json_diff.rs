//! Structural differences between two JSON values, as JSON pointers.

use serde::Serialize;
use serde_json::Value;

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub use crate::codegen::json_pointer_child as child;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Difference {
    Added {
        pointer: String,
        value: Value,
    },
    Removed {
        pointer: String,
        value: Value,
    },
    Changed {
        pointer: String,
        old: Value,
        new: Value,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Added { pointer, value } => write!(f, "{pointer} added ({value})"),
            Self::Removed { pointer, value } => write!(f, "{pointer} removed (was {value})"),
            Self::Changed { pointer, old, new } => write!(f, "{pointer} changed: {old} -> {new}"),
        }
    }
}

/// Lists where `new` differs from `old`: object members are compared by
/// key, arrays of equal length element by element, anything else whole.
pub fn differences(old: &Value, new: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk("", old, new, &mut out);
    out
}

fn walk(pointer: &str, old: &Value, new: &Value, out: &mut Vec<Difference>) {
    match (old, new) {
        _ if old == new => {}
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let p = child(pointer, key);
                match b.get(key) {
                    Some(other) => walk(&p, value, other, out),
                    None => out.push(Difference::Removed {
                        pointer: p,
                        value: value.clone(),
                    }),
                }
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                out.push(Difference::Added {
                    pointer: child(pointer, key),
                    value: value.clone(),
                });
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk(&child(pointer, &i.to_string()), x, y, out);
            }
        }
        _ => out.push(Difference::Changed {
            pointer: pointer.to_owned(),
            old: old.clone(),
            new: new.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_member_changes_are_named_by_pointer() {
        let old = json!({"a": {"b": 1, "c/d": [1, 2]}, "gone": true});
        let new = json!({"a": {"b": 2, "c/d": [1, 3]}, "new": null});
        let found: Vec<String> = differences(&old, &new)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "/a/b changed: 1 -> 2",
                "/a/c~1d/1 changed: 2 -> 3",
                "/gone removed (was true)",
                "/new added (null)",
            ]
        );
    }

    #[test]
    fn arrays_of_different_length_change_whole() {
        let found = differences(&json!([1]), &json!([1, 2]));
        assert_eq!(
            found,
            [Difference::Changed {
                pointer: String::new(),
                old: json!([1]),
                new: json!([1, 2])
            }]
        );
    }
}
