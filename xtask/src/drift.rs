//! Semantic differences between two schema sets: event types, definitions,
//! fields, required-ness, types, enum values, defaults, titles and other
//! keywords, each located in every file it was seen in.
//!
//! These do not classify anything: the drift report ([`crate::report`])
//! takes the classes from the generated Rust API ([`crate::api`]) and
//! attaches each schema change to the API change it explains, by type and
//! field name. A schema change that changed no Rust type (a description, a
//! bound typify does not turn into a type) is reported as a patch.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Display, Formatter};
use std::sync::LazyLock;

use serde::Serialize;
use serde_json::{Map, Value};

pub use crate::codegen::SchemaSet;
use crate::codegen::{event_schema_path, event_type_enum, required_names, ENVELOPE_SCHEMA};
use crate::json_diff::child;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeKind {
    EventTypeAdded,
    EventTypeRemoved,
    DefinitionAdded,
    DefinitionRemoved,
    FieldAdded {
        field: String,
        required: bool,
    },
    FieldRemoved {
        field: String,
    },
    RequiredToOptional {
        field: String,
    },
    OptionalToRequired {
        field: String,
    },
    /// `$ref`, `type` and `format` (and `enum` where only one side has
    /// one) of a schema, in words: `ErrorCode`, `integer`, `string (uuid)`.
    TypeChanged {
        old: String,
        new: String,
    },
    EnumValueAdded {
        value: Value,
    },
    EnumValueRemoved {
        value: Value,
    },
    DefaultChanged {
        old: Option<Value>,
        new: Option<Value>,
    },
    TitleRenamed {
        old: String,
        new: String,
    },
    DescriptionChanged,
    /// The doc renamed its event-type enum; the crate's name does not change.
    EventTypeEnumRenamed {
        old: String,
        new: String,
    },
    KeywordChanged {
        keyword: String,
        old: Option<Value>,
        new: Option<Value>,
    },
    /// An integer enum value's name (`x-names`, from the wire overlay)
    /// given, taken away or changed: one const of the Rust type.
    ValueNamed {
        value: String,
        old: Option<String>,
        new: Option<String>,
    },
}

/// Where a change was seen: a file under `schemas/` and a JSON pointer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub file: String,
    pub pointer: String,
}

/// One semantic change, found in one or more files (shared definitions
/// are repeated in every event schema and in the envelope).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The event type, or the type (title or definition name) changed.
    pub subject: String,
    /// JSON pointer inside the subject's schema.
    pub pointer: String,
    #[serde(flatten)]
    pub kind: ChangeKind,
    pub locations: Vec<Location>,
}

/// Every change from `old` to `new`, in the order of the old schemas.
pub fn changes(old: &SchemaSet, new: &SchemaSet) -> Vec<Change> {
    let mut diff = Diff {
        changes: Vec::new(),
        file: String::new(),
        skip: Vec::new(),
        defined: [old, new].map(defined_names),
        renamed: BTreeMap::new(),
    };
    for (name, schema) in &old.events {
        match new.events.get(name) {
            Some(next) => {
                diff.file = event_schema_path(name);
                diff.node(&title_or(schema, next, name), "", "", schema, next);
            }
            None => diff.whole(name, ChangeKind::EventTypeRemoved),
        }
    }
    for name in new.events.keys().filter(|n| !old.events.contains_key(*n)) {
        diff.whole(name, ChangeKind::EventTypeAdded);
    }
    diff.file = ENVELOPE_SCHEMA.to_owned();
    // Event types and the `event` union are reported per event file above;
    // the event-type enum is the crate's own `WebhookEventType` whatever
    // the doc calls it, so only a rename of it is reported, as a patch.
    let enum_names = [&old.envelope, &new.envelope].map(event_type_enum);
    if let [Some(old_name), Some(new_name)] = &enum_names {
        if old_name != new_name {
            let kind = ChangeKind::EventTypeEnumRenamed {
                old: (*old_name).to_owned(),
                new: (*new_name).to_owned(),
            };
            diff.push(new_name, "", "/properties/event_type", kind);
        }
    }
    diff.skip = enum_names
        .iter()
        .flatten()
        .map(|name| format!("/definitions/{name}"))
        .chain([
            "/properties/event_type".to_owned(),
            "/properties/event/anyOf".to_owned(),
        ])
        .collect();
    let subject = title_or(&old.envelope, &new.envelope, "envelope");
    diff.node(&subject, "", "", &old.envelope, &new.envelope);
    diff.changes
}

fn title_or(old: &Value, new: &Value, fallback: &str) -> String {
    [new, old]
        .iter()
        .find_map(|v| v.get("title")?.as_str())
        .unwrap_or(fallback)
        .to_owned()
}

struct Diff {
    changes: Vec<Change>,
    file: String,
    /// Absolute pointers (in the current file) not to descend into.
    skip: Vec<String>,
    /// Every type name the old and the new set define, in any file: the
    /// generator merges them, so a definition that only moved between
    /// files was neither added nor removed.
    defined: [BTreeSet<String>; 2],
    /// Event titles renamed (old -> new), found in the event files and
    /// applied to the envelope's definitions of them.
    renamed: BTreeMap<String, String>,
}

/// Definition names and event titles of every file of `set`.
fn defined_names(set: &SchemaSet) -> BTreeSet<String> {
    let definitions = |schema: &Value| -> Vec<String> {
        object(schema.get("definitions").unwrap_or(&Value::Null))
            .keys()
            .cloned()
            .collect()
    };
    let titles = set
        .events
        .values()
        .filter_map(|s| s.get("title")?.as_str().map(str::to_owned));
    set.events
        .values()
        .chain([&set.envelope])
        .flat_map(definitions)
        .chain(titles)
        .collect()
}

/// The object's members; none for any other value.
fn object(value: &Value) -> &Map<String, Value> {
    static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);
    value.as_object().unwrap_or(&EMPTY)
}

/// Whether two definitions have the same members apart from `title`, in
/// any key order; a value that is not an object counts as having none.
fn same_but_title(a: &Value, b: &Value) -> bool {
    let (a, b) = (object(a), object(b));
    let untitled_len = |o: &Map<String, Value>| o.len() - usize::from(o.contains_key("title"));
    untitled_len(a) == untitled_len(b)
        && a.iter()
            .filter(|(key, _)| *key != "title")
            .all(|(key, value)| b.get(key) == Some(value))
}

impl Diff {
    fn whole(&mut self, event_type: &str, kind: ChangeKind) {
        self.file = event_schema_path(event_type);
        self.push(event_type, "", "", kind);
    }

    /// Records a change, merging it with the same change seen in another file.
    fn push(&mut self, subject: &str, pointer: &str, abs: &str, kind: ChangeKind) {
        let location = Location {
            file: self.file.clone(),
            pointer: abs.to_owned(),
        };
        if let Some(same) = self
            .changes
            .iter_mut()
            .find(|c| c.subject == subject && c.pointer == pointer && c.kind == kind)
        {
            same.locations.push(location);
            return;
        }
        self.changes.push(Change {
            subject: subject.to_owned(),
            pointer: pointer.to_owned(),
            kind,
            locations: vec![location],
        });
    }

    /// Compares two schemas of `subject`; `rel` is the pointer inside the
    /// subject, `abs` the pointer inside the file.
    fn node(&mut self, subject: &str, rel: &str, abs: &str, old: &Value, new: &Value) {
        if old == new || self.skip.iter().any(|s| s == abs) {
            return;
        }
        let (a, b) = match (old.as_object(), new.as_object()) {
            (Some(a), Some(b)) => (a, b),
            _ => {
                let kind = ChangeKind::TypeChanged {
                    old: describe(old),
                    new: describe(new),
                };
                return self.push(subject, rel, abs, kind);
            }
        };
        // One enum on one side only is part of the type; two are compared
        // value by value.
        let with_enum = a.contains_key("enum") != b.contains_key("enum");
        let (old_type, new_type) = (type_words(a, with_enum), type_words(b, with_enum));
        if old_type != new_type {
            let kind = ChangeKind::TypeChanged {
                old: old_type,
                new: new_type,
            };
            self.push(subject, rel, abs, kind);
        }
        let keys: Vec<&String> = a
            .keys()
            .chain(b.keys().filter(|k| !a.contains_key(*k)))
            .collect();
        for key in keys {
            let (x, y) = (a.get(key), b.get(key));
            if x == y || self.skip.contains(&child(abs, key)) {
                continue;
            }
            let (rel_k, abs_k) = (child(rel, key), child(abs, key));
            match key.as_str() {
                "properties" => self.properties(subject, rel, abs, a, b),
                "required" => self.required(subject, rel, abs, a, b),
                "definitions" => self.definitions(abs, x, y),
                "type" | "format" | "$ref" => {}
                "enum" if with_enum => {}
                "enum" => self.enum_values(subject, &rel_k, &abs_k, x, y),
                "title" if rel.is_empty() => {
                    let text = |v: Option<&Value>| {
                        v.and_then(Value::as_str).unwrap_or_default().to_owned()
                    };
                    let (old, new) = (text(x), text(y));
                    if !old.is_empty() && !new.is_empty() {
                        self.renamed.insert(old.clone(), new.clone());
                    }
                    let kind = ChangeKind::TitleRenamed { old, new };
                    self.push(subject, &rel_k, &abs_k, kind);
                }
                "title" | "description" => {
                    self.push(subject, &rel_k, &abs_k, ChangeKind::DescriptionChanged)
                }
                "default" => {
                    let kind = ChangeKind::DefaultChanged {
                        old: x.cloned(),
                        new: y.cloned(),
                    };
                    self.push(subject, &rel_k, &abs_k, kind);
                }
                "items" | "additionalProperties"
                    if x.is_some_and(Value::is_object) && y.is_some_and(Value::is_object) =>
                {
                    self.node(
                        subject,
                        &rel_k,
                        &abs_k,
                        x.unwrap_or(&Value::Null),
                        y.unwrap_or(&Value::Null),
                    )
                }
                "anyOf" | "oneOf" | "allOf" => self.alternatives(subject, &rel_k, &abs_k, x, y),
                "x-names" => self.value_names(subject, &rel_k, &abs_k, x, y),
                _ => {
                    let kind = ChangeKind::KeywordChanged {
                        keyword: key.clone(),
                        old: x.cloned(),
                        new: y.cloned(),
                    };
                    self.push(subject, &rel_k, &abs_k, kind);
                }
            }
        }
    }

    fn properties(
        &mut self,
        subject: &str,
        rel: &str,
        abs: &str,
        a: &Map<String, Value>,
        b: &Map<String, Value>,
    ) {
        let old = object(a.get("properties").unwrap_or(&Value::Null));
        let new = object(b.get("properties").unwrap_or(&Value::Null));
        let required = required_names(b);
        let (rel, abs) = (child(rel, "properties"), child(abs, "properties"));
        for (field, schema) in old {
            let (rel_f, abs_f) = (child(&rel, field), child(&abs, field));
            match new.get(field) {
                Some(next) => self.node(subject, &rel_f, &abs_f, schema, next),
                None => self.push(
                    subject,
                    &rel_f,
                    &abs_f,
                    ChangeKind::FieldRemoved {
                        field: field.clone(),
                    },
                ),
            }
        }
        for field in new.keys().filter(|f| !old.contains_key(*f)) {
            let kind = ChangeKind::FieldAdded {
                field: field.clone(),
                required: required.contains(&field.as_str()),
            };
            self.push(subject, &child(&rel, field), &child(&abs, field), kind);
        }
    }

    /// Required-ness of fields present on both sides; added and removed
    /// fields are reported with their own kinds.
    fn required(
        &mut self,
        subject: &str,
        rel: &str,
        abs: &str,
        a: &Map<String, Value>,
        b: &Map<String, Value>,
    ) {
        let (old, new) = (required_names(a), required_names(b));
        let in_both = |f: &str| {
            [a, b]
                .iter()
                .all(|s| s.get("properties").and_then(|p| p.get(f)).is_some())
        };
        let mut fields: Vec<&str> = old.iter().chain(&new).copied().collect();
        fields.sort_unstable();
        fields.dedup();
        for field in fields.into_iter().filter(|f| in_both(f)) {
            let kind = match (old.contains(&field), new.contains(&field)) {
                (true, false) => ChangeKind::RequiredToOptional {
                    field: field.to_owned(),
                },
                (false, true) => ChangeKind::OptionalToRequired {
                    field: field.to_owned(),
                },
                _ => continue,
            };
            let (rel_f, abs_f) = (
                child(&child(rel, "properties"), field),
                child(&child(abs, "properties"), field),
            );
            self.push(subject, &rel_f, &abs_f, kind);
        }
    }

    /// Each definition is its own subject. One that disappears is renamed
    /// when its event's title was renamed, or when one with the same body
    /// appears under a name new to the whole set; it is removed only when
    /// no file of the new set defines it, and added only when no file of
    /// the old one did.
    fn definitions(&mut self, abs: &str, old: Option<&Value>, new: Option<&Value>) {
        let (old, new) = (
            object(old.unwrap_or(&Value::Null)),
            object(new.unwrap_or(&Value::Null)),
        );
        let abs = child(abs, "definitions");
        let mut renamed_to: Vec<String> = Vec::new();
        for (name, schema) in old {
            let abs_d = child(&abs, name);
            if self.skip.contains(&abs_d) {
                continue;
            }
            if let Some(next) = new.get(name) {
                self.node(name, "", &abs_d, schema, next);
                continue;
            }
            let title_renamed = self.renamed.get(name).filter(|to| new.contains_key(*to));
            if let Some(to) = title_renamed.cloned() {
                self.node(&to, "", &child(&abs, &to), schema, &new[&to]);
                renamed_to.push(to);
                continue;
            }
            let target = new.iter().find(|(n, v)| {
                !self.defined[0].contains(*n)
                    && !renamed_to.contains(n)
                    && same_but_title(v, schema)
            });
            match target {
                Some((to, _)) => {
                    let kind = ChangeKind::TitleRenamed {
                        old: name.clone(),
                        new: to.clone(),
                    };
                    self.push(to, "/title", &child(&abs, to), kind);
                    renamed_to.push(to.clone());
                }
                None if self.defined[1].contains(name) => {}
                None => self.push(name, "", &abs_d, ChangeKind::DefinitionRemoved),
            }
        }
        let added: Vec<&String> = new
            .keys()
            .filter(|n| !old.contains_key(*n) && !renamed_to.contains(n))
            .filter(|n| !self.defined[0].contains(*n))
            .filter(|n| !self.skip.contains(&child(&abs, n)))
            .collect();
        for name in added {
            self.push(name, "", &child(&abs, name), ChangeKind::DefinitionAdded);
        }
    }

    fn enum_values(
        &mut self,
        subject: &str,
        rel: &str,
        abs: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        let list = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
        let (old, new) = (list(old), list(new));
        for value in old.iter().filter(|v| !new.contains(v)) {
            self.push(
                subject,
                rel,
                abs,
                ChangeKind::EnumValueRemoved {
                    value: value.clone(),
                },
            );
        }
        for value in new.iter().filter(|v| !old.contains(v)) {
            self.push(
                subject,
                rel,
                abs,
                ChangeKind::EnumValueAdded {
                    value: value.clone(),
                },
            );
        }
    }

    /// One change per value whose name differs, in the new order, then
    /// the values only the old schema named.
    fn value_names(
        &mut self,
        subject: &str,
        rel: &str,
        abs: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        let names = |v: Option<&Value>| -> Vec<(String, String)> {
            v.and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(value, name)| (value.clone(), brief(name)))
                .collect()
        };
        let (old, new) = (names(old), names(new));
        let find = |list: &[(String, String)], value: &str| {
            list.iter()
                .find(|(v, _)| v == value)
                .map(|(_, n)| n.clone())
        };
        let values = new
            .iter()
            .chain(old.iter().filter(|(v, _)| find(&new, v).is_none()))
            .map(|(v, _)| v.clone());
        for value in values.collect::<Vec<_>>() {
            let (was, now) = (find(&old, &value), find(&new, &value));
            if was != now {
                let (rel_v, abs_v) = (child(rel, &value), child(abs, &value));
                let kind = ChangeKind::ValueNamed {
                    value,
                    old: was,
                    new: now,
                };
                self.push(subject, &rel_v, &abs_v, kind);
            }
        }
    }

    fn alternatives(
        &mut self,
        subject: &str,
        rel: &str,
        abs: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        match (old.and_then(Value::as_array), new.and_then(Value::as_array)) {
            (Some(a), Some(b)) if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    let index = i.to_string();
                    self.node(subject, &child(rel, &index), &child(abs, &index), x, y);
                }
            }
            _ => {
                let kind = ChangeKind::TypeChanged {
                    old: old.map_or_else(|| "absent".to_owned(), describe),
                    new: new.map_or_else(|| "absent".to_owned(), describe),
                };
                self.push(subject, rel, abs, kind);
            }
        }
    }
}

/// A schema's type in words: `ErrorCode` for a `$ref`, `string (uuid)`,
/// `integer or null`; with `with_enum`, its enum as `one of 21 values`.
fn type_words(schema: &Map<String, Value>, with_enum: bool) -> String {
    let mut words = Vec::new();
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        words.push(target.rsplit('/').next().unwrap_or(target).to_owned());
    }
    match schema.get("type") {
        Some(Value::String(t)) => words.push(t.clone()),
        Some(Value::Array(ts)) => {
            let names: Vec<String> = ts.iter().map(brief).collect();
            words.push(names.join(" or "));
        }
        _ => {}
    }
    if let Some(format) = schema.get("format") {
        words.push(format!("({})", brief(format)));
    }
    match schema.get("enum").and_then(Value::as_array) {
        Some(values) if with_enum => words.push(format!("one of {} values", values.len())),
        _ => {}
    }
    if words.is_empty() {
        "untyped".to_owned()
    } else {
        words.join(" ")
    }
}

/// A whole schema (or list of them) in words, for a type that changed shape.
fn describe(value: &Value) -> String {
    match value {
        Value::Object(schema) => type_words(schema, true),
        Value::Array(alternatives) => {
            let mut names: Vec<String> = alternatives.iter().take(3).map(describe).collect();
            if alternatives.len() > 3 {
                names.push(format!("… ({} in all)", alternatives.len()));
            }
            format!("any of {}", names.join(", "))
        }
        Value::Bool(true) => "any value".to_owned(),
        Value::Bool(false) => "no value".to_owned(),
        other => other.to_string(),
    }
}

/// A value short enough for one line: strings without quotes, schemas and
/// long lists in words.
fn brief(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.len() > 4 => format!("[{} values]", items.len()),
        Value::Object(_) => describe(value),
        other => other.to_string(),
    }
}

impl Display for ChangeKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let opt = |v: &Option<Value>| v.as_ref().map_or("none".to_owned(), brief);
        match self {
            Self::EventTypeAdded => write!(f, "event type added"),
            Self::EventTypeRemoved => write!(f, "event type removed"),
            Self::DefinitionAdded => write!(f, "definition added"),
            Self::DefinitionRemoved => write!(f, "definition removed"),
            Self::FieldAdded {
                field,
                required: true,
            } => write!(f, "required property `{field}` added"),
            Self::FieldAdded {
                field,
                required: false,
            } => write!(f, "optional property `{field}` added"),
            Self::FieldRemoved { field } => write!(f, "property `{field}` removed"),
            Self::RequiredToOptional { field } => write!(f, "`{field}` no longer required"),
            Self::OptionalToRequired { field } => write!(f, "`{field}` now required"),
            Self::TypeChanged { old, new } => write!(f, "type `{old}` → `{new}`"),
            Self::EnumValueAdded { value } => write!(f, "enum value {value} added"),
            Self::EnumValueRemoved { value } => write!(f, "enum value {value} removed"),
            Self::DefaultChanged { old, new } => {
                write!(f, "default {} → {}", opt(old), opt(new))
            }
            Self::TitleRenamed { old, new } => write!(f, "renamed `{old}` → `{new}`"),
            Self::DescriptionChanged => write!(f, "description or title changed"),
            Self::EventTypeEnumRenamed { old, new } => write!(
                f,
                "event-type enum renamed `{old}` → `{new}` (the crate keeps `WebhookEventType`)"
            ),
            Self::KeywordChanged { keyword, old, new } => {
                write!(f, "`{keyword}` {} → {}", opt(old), opt(new))
            }
            Self::ValueNamed { value, old, new } => match (old, new) {
                (None, Some(new)) => write!(f, "value {value} named `{new}`"),
                (Some(old), None) => write!(f, "value {value} no longer named `{old}`"),
                (Some(old), Some(new)) => write!(f, "value {value} renamed `{old}` → `{new}`"),
                (None, None) => write!(f, "value {value} unnamed"),
            },
        }
    }
}

#[cfg(test)]
#[path = "drift_tests.rs"]
mod tests;
