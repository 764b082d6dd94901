//! Semantic differences between two schema sets, classified by what they
//! mean for users of the generated Rust crate.
//!
//! The crate marks the event enums `#[non_exhaustive]` with an `Unknown`
//! catch-all; every other generated struct and enum is exhaustive, and
//! non-required fields are `Option<T>`. Hence:
//!
//! * a new event type is minor, a removed one major;
//! * a new optional field is treated as minor: messages keep parsing both
//!   ways and code reading fields keeps compiling. Struct literals outside
//!   the crate do break, but building messages is not what the crate is for,
//!   and calling every upstream addition major would make the version number
//!   useless to readers;
//! * a new required field, a removed field, a changed required-ness, type or
//!   enum value list, a removed type and a renamed type are major;
//! * a new type is minor; defaults, descriptions and property titles only
//!   change docs, so they are patch;
//! * any other keyword change may change the generated types and is
//!   treated as major so that a maintainer looks at it.

use std::fmt::{self, Display, Formatter};
use std::sync::LazyLock;

use serde::Serialize;
use serde_json::{Map, Value};

pub use crate::codegen::SchemaSet;
use crate::codegen::{event_schema_path, event_type_enum, required_names, ENVELOPE_SCHEMA};
use crate::json_diff::child;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

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
    TypeChanged {
        old: Value,
        new: Value,
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
}

impl ChangeKind {
    pub fn bump(&self) -> Bump {
        match self {
            Self::EventTypeAdded | Self::DefinitionAdded => Bump::Minor,
            Self::FieldAdded {
                required: false, ..
            } => Bump::Minor,
            Self::DefaultChanged { .. }
            | Self::DescriptionChanged
            | Self::EventTypeEnumRenamed { .. } => Bump::Patch,
            Self::KeywordChanged { keyword, old, new } if unenforced(keyword, old, new) => {
                Bump::Patch
            }
            Self::EventTypeRemoved
            | Self::DefinitionRemoved
            | Self::FieldAdded { required: true, .. }
            | Self::FieldRemoved { .. }
            | Self::RequiredToOptional { .. }
            | Self::OptionalToRequired { .. }
            | Self::TypeChanged { .. }
            | Self::EnumValueAdded { .. }
            | Self::EnumValueRemoved { .. }
            | Self::TitleRenamed { .. }
            | Self::KeywordChanged { .. } => Bump::Major,
        }
    }
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
    pub bump: Bump,
    pub locations: Vec<Location>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub bump: Bump,
    pub changes: Vec<Change>,
}

pub fn report(old: &SchemaSet, new: &SchemaSet) -> Report {
    let mut diff = Diff {
        changes: Vec::new(),
        file: String::new(),
        skip: Vec::new(),
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
    let bump = diff
        .changes
        .iter()
        .map(|c| c.bump)
        .max()
        .unwrap_or(Bump::None);
    Report {
        bump,
        changes: diff.changes,
    }
}

/// Keywords the generated types do not enforce (bounds, lengths, patterns;
/// closed objects, since unknown fields are always accepted): changing them
/// changes no Rust type.
fn unenforced(keyword: &str, old: &Option<Value>, new: &Option<Value>) -> bool {
    let boolean_or_absent = |v: &Option<Value>| v.as_ref().is_none_or(Value::is_boolean);
    match keyword {
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "minLength"
        | "maxLength" | "pattern" | "minItems" | "maxItems" => true,
        "additionalProperties" => boolean_or_absent(old) && boolean_or_absent(new),
        _ => false,
    }
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
            bump: kind.bump(),
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
                    old: old.clone(),
                    new: new.clone(),
                };
                return self.push(subject, rel, abs, kind);
            }
        };
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
                "enum" => self.enum_values(subject, &rel_k, &abs_k, x, y),
                "title" if rel.is_empty() => {
                    let text = |v: Option<&Value>| {
                        v.and_then(Value::as_str).unwrap_or_default().to_owned()
                    };
                    let kind = ChangeKind::TitleRenamed {
                        old: text(x),
                        new: text(y),
                    };
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
                "type" | "format" | "$ref" => {
                    let kind = ChangeKind::TypeChanged {
                        old: x.cloned().unwrap_or_default(),
                        new: y.cloned().unwrap_or_default(),
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

    /// Each definition is its own subject; a definition that disappears
    /// while one with the same body appears under another name is a rename.
    fn definitions(&mut self, abs: &str, old: Option<&Value>, new: Option<&Value>) {
        let (old, new) = (
            object(old.unwrap_or(&Value::Null)),
            object(new.unwrap_or(&Value::Null)),
        );
        let abs = child(abs, "definitions");
        let mut renamed_to = Vec::new();
        for (name, schema) in old {
            let abs_d = child(&abs, name);
            if self.skip.contains(&abs_d) {
                continue;
            }
            if let Some(next) = new.get(name) {
                self.node(name, "", &abs_d, schema, next);
                continue;
            }
            let target = new.iter().find(|(n, v)| {
                !old.contains_key(*n) && !renamed_to.contains(n) && same_but_title(v, schema)
            });
            match target {
                Some((to, _)) => {
                    let kind = ChangeKind::TitleRenamed {
                        old: name.clone(),
                        new: to.clone(),
                    };
                    self.push(to, "/title", &child(&abs, to), kind);
                    renamed_to.push(to);
                }
                None => self.push(name, "", &abs_d, ChangeKind::DefinitionRemoved),
            }
        }
        let added: Vec<&String> = new
            .keys()
            .filter(|n| !old.contains_key(*n) && !renamed_to.contains(n))
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
                    old: old.cloned().unwrap_or_default(),
                    new: new.cloned().unwrap_or_default(),
                };
                self.push(subject, rel, abs, kind);
            }
        }
    }
}

impl Display for ChangeKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let opt = |v: &Option<Value>| v.as_ref().map_or("none".to_owned(), Value::to_string);
        match self {
            Self::EventTypeAdded => write!(f, "event type added"),
            Self::EventTypeRemoved => write!(f, "event type removed"),
            Self::DefinitionAdded => write!(f, "type added"),
            Self::DefinitionRemoved => write!(f, "type removed"),
            Self::FieldAdded {
                field,
                required: true,
            } => write!(f, "required field `{field}` added"),
            Self::FieldAdded {
                field,
                required: false,
            } => write!(f, "optional field `{field}` added"),
            Self::FieldRemoved { field } => write!(f, "field `{field}` removed"),
            Self::RequiredToOptional { field } => {
                write!(f, "field `{field}` changed from required to optional")
            }
            Self::OptionalToRequired { field } => {
                write!(f, "field `{field}` changed from optional to required")
            }
            Self::TypeChanged { old, new } => write!(f, "type changed: {old} -> {new}"),
            Self::EnumValueAdded { value } => write!(f, "enum value {value} added"),
            Self::EnumValueRemoved { value } => write!(f, "enum value {value} removed"),
            Self::DefaultChanged { old, new } => {
                write!(f, "default changed: {} -> {}", opt(old), opt(new))
            }
            Self::TitleRenamed { old, new } => write!(f, "type renamed: `{old}` -> `{new}`"),
            Self::DescriptionChanged => write!(f, "description or property title changed"),
            Self::EventTypeEnumRenamed { old, new } => write!(
                f,
                "event-type enum renamed in the doc: `{old}` -> `{new}` (the crate keeps `WebhookEventType`)"
            ),
            Self::KeywordChanged { keyword, old, new } => {
                write!(
                    f,
                    "keyword `{keyword}` changed: {} -> {} ({})",
                    opt(old),
                    opt(new),
                    if unenforced(keyword, old, new) {
                        "not enforced by the generated types"
                    } else {
                        "unclassified, treated as breaking"
                    }
                )
            }
        }
    }
}

impl Display for Report {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "schema drift: none");
        }
        writeln!(
            f,
            "schema drift: {} change(s); the next release needs a {:?} version bump",
            self.changes.len(),
            self.bump
        )?;
        for change in &self.changes {
            let at = if change.pointer.is_empty() {
                String::new()
            } else {
                format!(" at {}", change.pointer)
            };
            writeln!(
                f,
                "  [{:?}] {}{at}: {}",
                change.bump, change.subject, change.kind
            )?;
            for location in &change.locations {
                writeln!(
                    f,
                    "          {}: {}",
                    location.file,
                    display_pointer(&location.pointer)
                )?;
            }
        }
        if self.changes.iter().any(|c| {
            matches!(
                c.kind,
                ChangeKind::FieldAdded {
                    required: false,
                    ..
                }
            )
        }) {
            writeln!(
                f,
                "  note: new optional fields count as minor: messages still parse, but struct literals outside the crate need the new field"
            )?;
        }
        Ok(())
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(whole file)"
    } else {
        pointer
    }
}

#[cfg(test)]
#[path = "drift_tests.rs"]
mod tests;
