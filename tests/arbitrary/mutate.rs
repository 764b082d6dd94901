//! Single edits of a valid instance, found by walking the instance beside
//! its schema: each one is named by a [`Kind`], and the tests decide per
//! kind whether the schema and the types must reject the result.

use serde_json::{Map, Value};

use super::integer_bounds;
use crate::common::{required_in, resolve};

/// What an edit does to the instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A required property removed.
    MissingRequired,
    /// A value replaced by one of a JSON type the schema does not allow.
    WrongType,
    /// An enum value replaced by a value of the same JSON type outside the enum.
    OutsideEnum,
    /// An integer replaced by one just outside `minimum`/`maximum`.
    OutsideBounds,
    /// A `format: uuid` string made not a uuid (bad length, bad digit, empty).
    MalformedUuid,
    /// A `format: uuid` string written without hyphens, in braces, or as a URN.
    UuidOtherForm,
    /// A `format: uuid` string in uppercase hex.
    UppercaseUuid,
    /// An optional property set to `null`.
    NullForOptional,
    /// An integer replaced by one above `i64::MAX` (no `maximum` in the schema).
    IntegerBeyondI64,
    /// An integer written as a float with a zero fraction (`5.0`).
    IntegralFloat,
    /// A property the schema does not name, where `additionalProperties` allows it.
    UnknownProperty,
    /// A property the schema does not name, where `additionalProperties: false` forbids it.
    ForbiddenProperty,
    /// The envelope's `event_type` outside its enum (set by the envelope test).
    UnknownEventType,
}

/// One step of a path into an instance.
#[derive(Clone, Debug, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug)]
pub enum Edit {
    /// Replace the value at the path.
    Replace(Value),
    /// Remove this key from the object at the path.
    Remove(String),
    /// Insert this key into the object at the path.
    Insert(String, Value),
}

/// An edit at a place in the instance.
#[derive(Clone, Debug)]
pub struct Site {
    pub path: Vec<Seg>,
    pub kind: Kind,
    pub edit: Edit,
}

impl Site {
    /// The instance with this edit applied.
    pub fn apply(&self, instance: &Value) -> Value {
        let mut out = instance.clone();
        let target = self.path.iter().fold(&mut out, |v, seg| match seg {
            Seg::Key(k) => &mut v[k.as_str()],
            Seg::Index(i) => &mut v[*i],
        });
        match &self.edit {
            Edit::Replace(value) => *target = value.clone(),
            Edit::Remove(key) => {
                target.as_object_mut().map(|o| o.remove(key));
            }
            Edit::Insert(key, value) => {
                target
                    .as_object_mut()
                    .map(|o| o.insert(key.clone(), value.clone()));
            }
        }
        out
    }

    /// The path where a parser should report this edit, in
    /// `serde_path_to_error`'s notation (`config.containers[0].type`, `.`
    /// for the root): a missing field is reported at its object.
    pub fn error_path(&self) -> String {
        display_path(&self.path)
    }

    /// The same edit one level further down, under `key`.
    pub fn under(mut self, key: &str) -> Self {
        self.path.insert(0, Seg::Key(key.to_owned()));
        self
    }
}

pub fn display_path(path: &[Seg]) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
        }
    }
    out
}

/// Every edit of `instance` (valid against `schema`, whose `$ref`s point
/// into `root`) that this module knows how to make.
pub fn sites(root: &Value, schema: &Value, instance: &Value) -> Vec<Site> {
    let mut out = Vec::new();
    walk(root, schema, instance, &mut Vec::new(), &mut out);
    out
}

fn walk(root: &Value, schema: &Value, value: &Value, path: &mut Vec<Seg>, out: &mut Vec<Site>) {
    let schema = resolve(root, schema);
    let Some(schema) = schema.as_object() else {
        return;
    };
    let mut site = |kind, edit| {
        out.push(Site {
            path: path.clone(),
            kind,
            edit,
        })
    };
    if let Some(members) = schema.get("enum").and_then(Value::as_array) {
        enum_sites(members, value, &mut site);
        return;
    }
    // Which branch of an `anyOf` an instance took is not known here.
    if schema.contains_key("anyOf") || schema.contains_key("oneOf") {
        return;
    }
    let types = schema
        .get("type")
        .map(|_| super::types(schema, ""))
        .unwrap_or_default();
    let allows = |t: &str| types.iter().any(|a| a == t);
    match value {
        Value::String(s) => {
            if !allows("integer") && !allows("number") {
                site(Kind::WrongType, Edit::Replace(Value::from(1)));
            }
            if schema.get("format").and_then(Value::as_str) == Some("uuid") {
                uuid_sites(s, &mut site);
            }
        }
        Value::Number(n) => {
            if !allows("string") {
                site(Kind::WrongType, Edit::Replace(Value::String(n.to_string())));
            }
            if let Some(n) = n.as_i64() {
                if !allows("number") {
                    site(Kind::WrongType, Edit::Replace(Value::from(0.5)));
                }
                integer_sites(schema, n, &mut site);
            }
        }
        Value::Bool(b) => {
            if !allows("string") {
                site(Kind::WrongType, Edit::Replace(Value::String(b.to_string())));
            }
        }
        Value::Array(items) => {
            if !allows("object") {
                site(Kind::WrongType, Edit::Replace(Value::Object(Map::new())));
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    walk(root, item_schema, item, path, out);
                    path.pop();
                }
            }
        }
        Value::Object(fields) => {
            if !allows("array") {
                site(Kind::WrongType, Edit::Replace(Value::Array(Vec::new())));
            }
            object_sites(root, schema, fields, path, out);
        }
        Value::Null => {}
    }
}

fn enum_sites(members: &[Value], value: &Value, site: &mut impl FnMut(Kind, Edit)) {
    let outside = match value {
        Value::String(s) => {
            let mut candidate = format!("{s}_");
            while members.contains(&Value::String(candidate.clone())) {
                candidate.push('_');
            }
            Some(Value::String(candidate))
        }
        Value::Number(n) => n.as_i64().map(|n| {
            let mut candidate = n;
            while members.iter().any(|m| m.as_i64() == Some(candidate)) {
                candidate = candidate.wrapping_add(1);
            }
            Value::from(candidate)
        }),
        _ => None,
    };
    if let Some(outside) = outside {
        site(Kind::OutsideEnum, Edit::Replace(outside));
    }
    let member_type = |v: &Value| std::mem::discriminant(v);
    let wrong = [
        Value::Bool(true),
        Value::from(0),
        Value::from("0"),
        Value::Array(Vec::new()),
    ]
    .into_iter()
    .find(|w| members.iter().all(|m| member_type(m) != member_type(w)));
    if let Some(wrong) = wrong {
        site(Kind::WrongType, Edit::Replace(wrong));
    }
    if let Some(n) = value.as_i64() {
        site(Kind::IntegralFloat, Edit::Replace(Value::from(n as f64)));
    }
}

fn uuid_sites(s: &str, site: &mut impl FnMut(Kind, Edit)) {
    let mut bad_digit = s.to_owned();
    bad_digit.replace_range(0..1, "g");
    for malformed in [
        String::new(),
        "not-a-uuid".to_owned(),
        s[..s.len() - 1].to_owned(),
        format!("{s}0"),
        bad_digit,
        s.replace('-', "_"),
    ] {
        site(Kind::MalformedUuid, Edit::Replace(Value::String(malformed)));
    }
    let simple = s.replace('-', "");
    for other in [simple.clone(), format!("{{{s}}}"), format!("urn:uuid:{s}")] {
        site(Kind::UuidOtherForm, Edit::Replace(Value::String(other)));
    }
    let upper = s.to_uppercase();
    if upper != s {
        site(Kind::UppercaseUuid, Edit::Replace(Value::String(upper)));
    }
}

fn integer_sites(schema: &Map<String, Value>, n: i64, site: &mut impl FnMut(Kind, Edit)) {
    let (low, high) = integer_bounds(schema);
    if let Some(below) = low.checked_sub(1).filter(|_| low != i64::MIN) {
        site(Kind::OutsideBounds, Edit::Replace(Value::from(below)));
    }
    if let Some(above) = high.checked_add(1).filter(|_| high != i64::MAX) {
        site(Kind::OutsideBounds, Edit::Replace(Value::from(above)));
    }
    if high == i64::MAX {
        site(
            Kind::IntegerBeyondI64,
            Edit::Replace(Value::from(i64::MAX as u64 + 1)),
        );
    }
    // Floats represent integers exactly only up to 2^53.
    if n.unsigned_abs() < 1 << 53 {
        site(Kind::IntegralFloat, Edit::Replace(Value::from(n as f64)));
    }
}

fn object_sites(
    root: &Value,
    schema: &Map<String, Value>,
    fields: &Map<String, Value>,
    path: &mut Vec<Seg>,
    out: &mut Vec<Site>,
) {
    let required = required_in(schema);
    let empty = Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let additional = schema.get("additionalProperties");
    for (key, value) in fields {
        let here = |kind, edit| Site {
            path: path.clone(),
            kind,
            edit,
        };
        if required.contains(key) {
            out.push(here(Kind::MissingRequired, Edit::Remove(key.clone())));
        }
        let property = match (properties.get(key), additional) {
            (Some(property), _) => property,
            (None, Some(additional @ Value::Object(_))) => additional,
            (None, _) => continue,
        };
        if !required.contains(key) && properties.contains_key(key) && !allows_null(root, property) {
            let mut site = here(Kind::NullForOptional, Edit::Replace(Value::Null));
            site.path.push(Seg::Key(key.clone()));
            out.push(site);
        }
        path.push(Seg::Key(key.clone()));
        walk(root, property, value, path, out);
        path.pop();
    }
    let kind = match additional {
        // An object that names no property is a free-form map: any key is
        // one of its entries, not an unknown field.
        None | Some(Value::Bool(true)) if properties.is_empty() => None,
        None | Some(Value::Bool(true)) => Some(Kind::UnknownProperty),
        Some(Value::Bool(false)) => Some(Kind::ForbiddenProperty),
        // A map: any key is one of its entries.
        Some(_) => None,
    };
    if let Some(kind) = kind {
        let mut key = "x_unknown_property".to_owned();
        while fields.contains_key(&key) || properties.contains_key(&key) {
            key.push('_');
        }
        out.push(Site {
            path: path.clone(),
            kind,
            edit: Edit::Insert(key, Value::from("value")),
        });
    }
}

fn allows_null(root: &Value, schema: &Value) -> bool {
    let schema = resolve(root, schema);
    let in_type = match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "null"),
        _ => false,
    };
    let in_enum = schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|m| m.contains(&Value::Null));
    let in_branch = ["anyOf", "oneOf"].iter().any(|k| {
        schema
            .get(*k)
            .and_then(Value::as_array)
            .is_some_and(|bs| bs.iter().any(|b| allows_null(root, b)))
    });
    in_type || in_enum || in_branch
}
