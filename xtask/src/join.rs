//! The join of every revision's schemas: one schema set whose types accept
//! whatever any revision describes. A pure function from schema sets (oldest
//! first) to a schema set; its rules are stated in ARCHITECTURE.md.
//!
//! Each named schema (an event by its `event_type`, a definition by its name)
//! is joined over the revisions that have it, node by node:
//!
//! - an object has the union of the properties; one is required only if
//!   every version of its owner requires it;
//! - enum values are the union; a type that changed widens to the smaller
//!   type that holds both (an enum into its plain type, `integer` into
//!   `number`, a `format` or bound that not every version has is dropped);
//! - anything that cannot widen is a [`JoinError`] naming both revisions;
//! - titles, descriptions and names come from the newest version;
//! - every property's description ends with the revisions that have it.

// A join error names two revisions, a file and a pointer; it ends the run,
// so its size on the error path costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use thiserror::Error;

use crate::codegen::ENVELOPE_SCHEMA;
use crate::codegen::{
    event_schema_path, event_type_enum, json_pointer_child, property_text, SchemaSet,
};
use crate::wire::{Overlay, Target, WireError};

/// One revision's schemas, with the label its dates are written with.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub label: &'a str,
    pub set: &'a SchemaSet,
}

/// Two revisions say things at one place that no schema holds both of.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}: {pointer}: revision {first} has {first_shape}, revision {second} has {second_shape}: {detail}")]
pub struct JoinError {
    /// The joined file the place belongs to, under `schemas/`.
    pub file: String,
    pub pointer: String,
    pub first: String,
    pub first_shape: String,
    pub second: String,
    pub second_shape: String,
    pub detail: String,
}

/// Keywords that bound a value from below or above: the join keeps the
/// loosest bound, and drops one that some version does not have.
const LOWER_BOUNDS: &[&str] = &["minimum", "minLength", "minItems", "minProperties"];
const UPPER_BOUNDS: &[&str] = &["maximum", "maxLength", "maxItems", "maxProperties"];
/// Constraints with no order: kept only where every version agrees.
const EXACT: &[&str] = &[
    "format",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "pattern",
    "uniqueItems",
    "const",
];
/// Lists of sub-schemas: joined only when every version has the same list.
const SCHEMA_LISTS: &[&str] = &["anyOf", "oneOf", "allOf"];

/// What one revision defines, by name.
struct View<'a> {
    envelope: &'a Value,
    enum_name: &'a str,
    event_types: Vec<&'a str>,
    /// Event type -> (title, root schema).
    events: BTreeMap<&'a str, (&'a str, &'a Value)>,
    definitions: BTreeMap<&'a str, &'a Value>,
}

/// Why the revisions and the overlay give no schema set.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    #[error(transparent)]
    Join(#[from] JoinError),
    #[error(transparent)]
    Wire(#[from] WireError),
}

/// Joins `revisions`, given oldest first, then applies the wire `overlay`
/// like one more revision: its event types are variants, fields it says a
/// sender omitted are optional, and fields it says a sender added are
/// optional fields.
pub fn join(revisions: &[Input<'_>], overlay: &Overlay) -> Result<SchemaSet, Error> {
    let views = revisions
        .iter()
        .map(|r| view(r))
        .collect::<Result<Vec<_>, _>>()?;
    let joiner = Joiner {
        labels: revisions.iter().map(|r| r.label).collect(),
        views: &views,
        overlay,
    };
    joiner.run()
}

fn shape_error(input: &Input<'_>, file: &str, pointer: &str, detail: &str) -> JoinError {
    JoinError {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        first: input.label.to_owned(),
        first_shape: "this".into(),
        second: input.label.to_owned(),
        second_shape: "this".into(),
        detail: detail.to_owned(),
    }
}

fn view<'a>(input: &Input<'a>) -> Result<View<'a>, JoinError> {
    let envelope = &input.set.envelope;
    let enum_name = event_type_enum(&input.set.envelope).ok_or_else(|| {
        shape_error(
            input,
            ENVELOPE_SCHEMA,
            "/properties/event_type",
            "not a `$ref` to the event-type enum",
        )
    })?;
    let enum_pointer = format!("/definitions/{enum_name}/enum");
    let event_types = input
        .set
        .envelope
        .pointer(&enum_pointer)
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_str).collect::<Vec<_>>())
        .ok_or_else(|| shape_error(input, ENVELOPE_SCHEMA, &enum_pointer, "not an array"))?;
    let mut events = BTreeMap::new();
    let mut definitions: BTreeMap<&str, &Value> = BTreeMap::new();
    if let Some(missing) = event_types
        .iter()
        .find(|t| !input.set.events.contains_key(**t))
    {
        return Err(shape_error(
            input,
            &event_schema_path(missing),
            "",
            "the event-type enum lists this event but it has no schema",
        ));
    }
    for (event_type, schema) in &input.set.events {
        let title = schema.get("title").and_then(Value::as_str).ok_or_else(|| {
            shape_error(input, &event_schema_path(event_type), "/title", "no title")
        })?;
        events.insert(event_type.as_str(), (title, schema));
        let file = event_schema_path(event_type);
        for (name, definition) in schema
            .get("definitions")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            define(input, &mut definitions, &file, name, definition)?;
        }
    }
    let titles: Vec<&str> = events.values().map(|(title, _)| *title).collect();
    for (name, definition) in envelope
        .get("definitions")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if name != enum_name && !titles.contains(&name.as_str()) {
            define(input, &mut definitions, ENVELOPE_SCHEMA, name, definition)?;
        }
    }
    Ok(View {
        envelope,
        enum_name,
        event_types,
        events,
        definitions,
    })
}

/// Within one revision a name means one thing, wherever it is defined.
fn define<'a>(
    input: &Input<'a>,
    definitions: &mut BTreeMap<&'a str, &'a Value>,
    file: &str,
    name: &'a str,
    definition: &'a Value,
) -> Result<(), JoinError> {
    match definitions.insert(name, definition) {
        Some(earlier) if earlier != definition => Err(shape_error(
            input,
            file,
            &json_pointer_child("/definitions", name),
            "defined differently in two schemas of the same revision",
        )),
        _ => Ok(()),
    }
}

struct Joiner<'v, 'a> {
    labels: Vec<&'a str>,
    views: &'v [View<'a>],
    overlay: &'v Overlay,
}

/// One version of a node: the revision it is from, and the schema there.
type Version<'a> = (usize, &'a Value);

impl<'a> Joiner<'_, 'a> {
    fn run(&self) -> Result<SchemaSet, Error> {
        let newest = self.views.last().ok_or_else(|| JoinError {
            file: ENVELOPE_SCHEMA.into(),
            pointer: String::new(),
            first: "(none)".into(),
            first_shape: "nothing".into(),
            second: "(none)".into(),
            second_shape: "nothing".into(),
            detail: "no revision to join".into(),
        })?;
        let mut definitions = BTreeMap::new();
        for name in self.definition_names() {
            let versions: Vec<Version> = self
                .views
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.definitions.get(name).map(|d| (i, *d)))
                .collect();
            let pointer = json_pointer_child("/definitions", name);
            let mut joined =
                without_definitions(self.node(ENVELOPE_SCHEMA, &pointer, &versions)?);
            self.overlay.apply(Target::Definition(name), &mut joined)?;
            definitions.insert(name.to_owned(), joined);
        }
        // (event type, payload title, root schema)
        let mut roots: Vec<(String, String, Value)> = Vec::new();
        for event_type in self.event_types() {
            let versions: Vec<Version> = self
                .views
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.events.get(event_type).map(|(_, root)| (i, *root)))
                .collect();
            let file = event_schema_path(event_type);
            let mut root = without_definitions(self.node(&file, "", &versions)?);
            self.overlay.apply(Target::Event(event_type), &mut root)?;
            let title = self.newest_title(event_type).to_owned();
            roots.push((event_type.to_owned(), title, root));
        }
        for (event_type, event, credit) in self.overlay.events() {
            if roots.iter().any(|(t, _, _)| t == event_type) {
                continue;
            }
            let mut root = event.schema.clone();
            let title = root
                .get("title")
                .and_then(Value::as_str)
                .unwrap_or(event_type)
                .to_owned();
            root["description"] = Value::String(credit);
            self.overlay.apply(Target::Event(event_type), &mut root)?;
            roots.push((event_type.to_owned(), title, root));
        }
        self.check_targets(&roots, &definitions)?;
        let envelope = self.envelope(newest, &roots, &definitions)?;
        let events = roots
            .into_iter()
            .map(|(event_type, _, mut root)| {
                let used = referenced(&root, &definitions);
                if !used.is_empty() {
                    root["definitions"] = Value::Object(used);
                }
                (event_type, root)
            })
            .collect();
        Ok(SchemaSet { envelope, events })
    }

    /// Every place a fact names exists in the join.
    fn check_targets(
        &self,
        roots: &[(String, String, Value)],
        definitions: &BTreeMap<String, Value>,
    ) -> Result<(), WireError> {
        for (pointer, target) in self.overlay.targets() {
            let found = match target {
                Some(Target::Envelope) => true,
                Some(Target::Event(t)) => roots.iter().any(|(e, _, _)| e == t),
                Some(Target::Definition(d)) => definitions.contains_key(d),
                None => false,
            };
            if !found {
                return Err(WireError {
                    pointer,
                    detail: "names no event type or definition of any revision \
                             (`envelope`, `event <type>` or `definition <name>`)"
                        .into(),
                });
            }
        }
        Ok(())
    }

    /// Every event type, in order of first appearance.
    fn event_types(&self) -> Vec<&'a str> {
        let mut types: Vec<&str> = Vec::new();
        for view in self.views {
            for t in &view.event_types {
                if !types.contains(t) {
                    types.push(t);
                }
            }
        }
        types
    }

    fn definition_names(&self) -> Vec<&'a str> {
        let mut names: Vec<&str> = self
            .views
            .iter()
            .flat_map(|v| v.definitions.keys().copied())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    fn envelope(
        &self,
        newest: &View<'a>,
        roots: &[(String, String, Value)],
        definitions: &BTreeMap<String, Value>,
    ) -> Result<Value, Error> {
        // The header fields are joined like any object's properties; the
        // event-type enum and the event's `anyOf` are rebuilt from the join.
        let headers: Vec<Value> = self.views.iter().map(|v| header_only(v.envelope)).collect();
        let versions: Vec<Version> = headers.iter().enumerate().collect();
        let mut envelope = self.node(ENVELOPE_SCHEMA, "", &versions)?;
        self.overlay.apply(Target::Envelope, &mut envelope)?;
        let enum_name = newest.enum_name;
        let titles: Vec<&str> = roots.iter().map(|(_, title, _)| title.as_str()).collect();
        let event_types: Vec<&str> = roots.iter().map(|(t, _, _)| t.as_str()).collect();
        let object = envelope
            .as_object_mut()
            .expect("an envelope is an object (checked when read)");
        let mut joined = match object.remove("properties") {
            Some(Value::Object(properties)) => properties,
            _ => Map::new(),
        };
        let mut properties = Map::new();
        let mut order: Vec<(&str, &Value)> = Vec::new();
        for view in self.views {
            let listed = view.envelope.get("properties").and_then(Value::as_object);
            for (name, schema) in listed.into_iter().flatten() {
                match order.iter_mut().find(|(n, _)| n == name) {
                    Some(entry) => entry.1 = schema,
                    None => order.push((name, schema)),
                }
            }
        }
        for (name, schema) in order {
            let value = match name {
                "event_type" => json!({"$ref": format!("#/definitions/{enum_name}")}),
                "event" => {
                    let mut event = schema.clone();
                    let refs = titles
                        .iter()
                        .map(|t| json!({"$ref": format!("#/definitions/{t}")}))
                        .collect();
                    event["anyOf"] = Value::Array(refs);
                    event
                }
                _ => match joined.remove(name) {
                    Some(value) => value,
                    None => continue,
                },
            };
            properties.insert(name.to_owned(), value);
        }
        // What the overlay added, after every documented field.
        properties.extend(joined);
        object.insert("properties".into(), Value::Object(properties));
        let mut required = match object.remove("required") {
            Some(Value::Array(required)) => required,
            _ => Vec::new(),
        };
        for name in ["event_type", "event"] {
            if self.views.iter().all(|v| requires(v.envelope, name)) {
                required.push(json!(name));
            }
        }
        object.insert("required".into(), Value::Array(required));
        let mut all = Map::new();
        let mut enum_schema = newest
            .envelope
            .get("definitions")
            .and_then(|d| d.get(enum_name))
            .cloned()
            .unwrap_or_else(|| json!({}));
        enum_schema["enum"] = json!(event_types);
        let mut named: Vec<(String, Value)> = definitions
            .iter()
            .map(|(n, d)| (n.clone(), d.clone()))
            .collect();
        named.push((enum_name.to_owned(), enum_schema));
        for (_, title, root) in roots {
            named.push((title.clone(), root.clone()));
        }
        named.sort_by(|a, b| a.0.cmp(&b.0));
        all.extend(named);
        object.insert("definitions".into(), Value::Object(all));
        Ok(envelope)
    }

    fn newest_title<'t>(&self, event_type: &'t str) -> &'t str
    where
        'a: 't,
    {
        self.views
            .iter()
            .rev()
            .find_map(|v| v.events.get(event_type).map(|(title, _)| *title))
            .unwrap_or(event_type)
    }

    fn conflict(
        &self,
        file: &str,
        pointer: &str,
        (a, a_shape): (usize, String),
        (b, b_shape): (usize, String),
        detail: &str,
    ) -> JoinError {
        JoinError {
            file: file.to_owned(),
            pointer: if pointer.is_empty() {
                "/".into()
            } else {
                pointer.to_owned()
            },
            first: self.labels[a].to_owned(),
            first_shape: a_shape,
            second: self.labels[b].to_owned(),
            second_shape: b_shape,
            detail: detail.to_owned(),
        }
    }

    /// Joins the versions of one node (oldest first, at least one).
    fn node(
        &self,
        file: &str,
        pointer: &str,
        versions: &[Version<'_>],
    ) -> Result<Value, JoinError> {
        // Keywords come from the newest version written inline: a widened
        // `$ref`'s definition lends its constraints, not its title.
        let base = versions
            .iter()
            .rev()
            .find(|(_, s)| s.get("$ref").is_none())
            .or(versions.last())
            .map(|(_, s)| *s)
            .expect("a node has a version");
        let resolved = self.widen_refs(file, pointer, versions)?;
        let versions = resolved.as_slice();
        let mut out = base.clone();
        let Some(object) = out.as_object_mut() else {
            return Ok(out);
        };
        if object.contains_key("$ref") {
            // Every version refers to the same definition (widen_refs).
            return Ok(out);
        }
        let types = versions
            .iter()
            .map(|&(i, s)| (i, effective_type(s)))
            .collect::<Vec<_>>();
        let joined_type = self.joined_type(file, pointer, &types)?;
        self.join_enum(object, versions);
        let implied = effective_type(&Value::Object(object.clone()));
        match joined_type {
            // An enum's implied type stays implied, as the doc writes it.
            Some(t)
                if !object.contains_key("type")
                    && implied.as_ref().and_then(Value::as_str) == Some(t) => {}
            Some(t) => {
                object.insert("type".into(), Value::String(t.into()));
            }
            None => {
                object.remove("type");
            }
        }
        join_bounds(object, versions);
        for list in SCHEMA_LISTS {
            if let Some((a, b)) = first_difference(versions, list) {
                return Err(self.conflict(
                    file,
                    &json_pointer_child(pointer, list),
                    (a.0, describe(a.1.get(*list))),
                    (b.0, describe(b.1.get(*list))),
                    "differing alternatives cannot be joined",
                ));
            }
        }
        self.join_properties(file, pointer, object, versions)?;
        for key in ["items", "additionalProperties"] {
            self.join_child(file, pointer, object, versions, key)?;
        }
        Ok(out)
    }

    /// A `$ref` to a scalar definition (an enum, or a plain string, number or
    /// boolean), where another version has an inline schema, stands for
    /// that definition, so the two can widen into one type.
    fn widen_refs<'s>(
        &self,
        file: &str,
        pointer: &str,
        versions: &[Version<'s>],
    ) -> Result<Vec<Version<'s>>, JoinError>
    where
        'a: 's,
    {
        let target = |s: &Value| s.get("$ref").and_then(Value::as_str).map(str::to_owned);
        let targets: Vec<Option<String>> = versions.iter().map(|(_, s)| target(s)).collect();
        if targets.iter().all(Option::is_none) {
            return Ok(versions.to_vec());
        }
        if let Some(first) = targets.first().and_then(Option::as_ref) {
            if targets.iter().all(|t| t.as_ref() == Some(first)) {
                return Ok(versions.to_vec());
            }
        }
        let mut out = Vec::new();
        for (k, &(i, schema)) in versions.iter().enumerate() {
            let Some(reference) = &targets[k] else {
                out.push((i, schema));
                continue;
            };
            let name = reference
                .strip_prefix("#/definitions/")
                .unwrap_or(reference);
            let definition = self.views[i].definitions.get(name).copied();
            match definition.filter(|d| is_scalar(d)) {
                Some(definition) => out.push((i, definition)),
                None => {
                    let other = versions
                        .iter()
                        .zip(&targets)
                        .find(|(_, t)| t.as_ref() != Some(reference))
                        .map(|(v, _)| *v)
                        .expect("targets differ");
                    return Err(self.conflict(
                        file,
                        pointer,
                        (i, format!("`$ref` {reference}")),
                        (other.0, describe(Some(other.1))),
                        "a reference to an object or array definition cannot widen into another schema",
                    ));
                }
            }
        }
        Ok(out)
    }

    fn joined_type(
        &self,
        file: &str,
        pointer: &str,
        types: &[(usize, Option<Value>)],
    ) -> Result<Option<&'static str>, JoinError> {
        let mut joined: Option<&'static str> = None;
        let mut first: Option<(usize, &Value)> = None;
        for (i, t) in types {
            let Some(t) = t else {
                // A version that allows any type: the join does too.
                return Ok(None);
            };
            let name = match t.as_str() {
                Some("integer") => "integer",
                Some("number") => "number",
                Some("string") => "string",
                Some("boolean") => "boolean",
                Some("object") => "object",
                Some("array") => "array",
                Some("null") => "null",
                _ => {
                    return Err(self.conflict(
                        file,
                        &json_pointer_child(pointer, "type"),
                        (*i, format!("`type` {t}")),
                        (*i, format!("`type` {t}")),
                        "only a single `type` name can be joined",
                    ))
                }
            };
            joined = Some(match (joined, name) {
                (None, n) => n,
                (Some(a), b) if a == b => a,
                (Some("integer"), "number") | (Some("number"), "integer") => "number",
                (Some(a), b) => {
                    let (k, _) = first.expect("a type was seen");
                    return Err(self.conflict(
                        file,
                        pointer,
                        (k, format!("type `{a}`")),
                        (*i, format!("type `{b}`")),
                        "no type holds both",
                    ));
                }
            });
            first.get_or_insert((*i, t));
        }
        Ok(joined)
    }

    /// Enum values are the union (in order of first appearance); a version without `enum`
    /// allows every value of its type, and so does the join.
    fn join_enum(&self, object: &mut Map<String, Value>, versions: &[Version<'_>]) {
        let lists: Option<Vec<&Vec<Value>>> = versions
            .iter()
            .map(|(_, s)| s.get("enum").and_then(Value::as_array))
            .collect();
        match lists {
            Some(lists) => {
                let mut values: Vec<Value> = Vec::new();
                for list in &lists {
                    for value in *list {
                        if !values.contains(value) {
                            values.push(value.clone());
                        }
                    }
                }
                object.insert("enum".into(), Value::Array(values));
            }
            None => {
                object.remove("enum");
            }
        }
    }

    fn join_properties(
        &self,
        file: &str,
        pointer: &str,
        object: &mut Map<String, Value>,
        versions: &[Version<'_>],
    ) -> Result<(), JoinError> {
        // In order of first appearance: a new revision only appends, so
        // the order a message serializes in stays put.
        let mut names: Vec<&str> = Vec::new();
        for (_, schema) in versions {
            for name in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|p| p.keys())
            {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        if names.is_empty() {
            return Ok(());
        }
        let owner: Vec<usize> = versions.iter().map(|(i, _)| *i).collect();
        let mut properties = Map::new();
        let mut required = Vec::new();
        let here = json_pointer_child(pointer, "properties");
        for name in names {
            let having: Vec<Version> = versions
                .iter()
                .filter_map(|&(i, s)| s.get("properties")?.get(name).map(|p| (i, p)))
                .collect();
            let requiring: Vec<usize> = versions
                .iter()
                .filter(|(_, s)| requires(s, name))
                .map(|(i, _)| *i)
                .collect();
            let mut joined = self.node(file, &json_pointer_child(&here, name), &having)?;
            let present: Vec<usize> = having.iter().map(|(i, _)| *i).collect();
            if requiring.len() == owner.len() {
                required.push(Value::String(name.to_owned()));
            }
            if let Some(property) = joined.as_object_mut() {
                let history = self.history(&owner, &present, &requiring);
                let base = property_text(name, property).map(str::to_owned);
                let text = match base {
                    Some(base) => format!("{base}\n\n{history}"),
                    None => history,
                };
                property.insert("description".into(), Value::String(text));
            }
            properties.insert(name.to_owned(), joined);
        }
        object.insert("properties".into(), Value::Object(properties));
        if required.is_empty() {
            object.remove("required");
        } else {
            object.insert("required".into(), Value::Array(required));
        }
        Ok(())
    }

    /// A sub-schema under `key`: joined where every version has one; a
    /// version without it allows anything there, and so does the join.
    fn join_child(
        &self,
        file: &str,
        pointer: &str,
        object: &mut Map<String, Value>,
        versions: &[Version<'_>],
        key: &str,
    ) -> Result<(), JoinError> {
        let children: Option<Vec<Version>> = versions
            .iter()
            .map(|&(i, s)| s.get(key).map(|c| (i, c)))
            .collect();
        match children {
            None => {
                object.remove(key);
            }
            Some(children) if children.iter().all(|(_, c)| c.is_boolean()) => {
                let all_false = children.iter().all(|(_, c)| *c == &Value::Bool(false));
                if all_false {
                    object.insert(key.into(), Value::Bool(false));
                } else {
                    object.remove(key);
                }
            }
            Some(children) => {
                let schemas: Vec<Version> = children
                    .into_iter()
                    .filter(|(_, c)| c.is_object())
                    .collect();
                let joined = self.node(file, &json_pointer_child(pointer, key), &schemas)?;
                object.insert(key.into(), joined);
            }
        }
        Ok(())
    }

    /// When a property was documented and required, relative to the
    /// revisions that have its owner: "Documented since 2021-02-19;
    /// required until 2021-04-14."
    fn history(&self, owner: &[usize], present: &[usize], required: &[usize]) -> String {
        let documented = if present.len() == owner.len() {
            match owner.first() {
                Some(0) => "Documented in every revision".to_owned(),
                Some(&first) => format!("Documented since {}", self.labels[first]),
                None => "Documented".to_owned(),
            }
        } else {
            format!("Documented {}", self.runs(owner, present))
        };
        let required = if required.is_empty() {
            "never required".to_owned()
        } else if required.len() < present.len() {
            format!(
                "required {}, optional otherwise",
                self.runs(present, required)
            )
        } else if present.len() == owner.len() {
            "always required".to_owned()
        } else {
            "required wherever documented".to_owned()
        };
        format!("{documented}; {required}.")
    }

    /// The runs of `subset` within `within` (both sorted revision indices),
    /// in words: "since A", "until B", "from A to B", joined by commas.
    fn runs(&self, within: &[usize], subset: &[usize]) -> String {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut current: Option<(usize, usize)> = None;
        for (k, i) in within.iter().enumerate() {
            if subset.contains(i) {
                current = Some(current.map_or((k, k), |(start, _)| (start, k)));
            } else if let Some(run) = current.take() {
                runs.push(run);
            }
        }
        runs.extend(current);
        let last = within.len().saturating_sub(1);
        runs.iter()
            .map(|&(start, end)| {
                let (a, b) = (self.labels[within[start]], self.labels[within[end]]);
                match (start == 0, end == last) {
                    (_, true) => format!("since {a}"),
                    (true, false) => format!("until {b}"),
                    (false, false) if start == end => format!("in {a}"),
                    (false, false) => format!("from {a} to {b}"),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn is_scalar(schema: &Value) -> bool {
    matches!(
        effective_type(schema).as_ref().and_then(Value::as_str),
        Some("integer" | "number" | "string" | "boolean")
    )
}

/// The `type` a schema has, or the one its `enum` values share.
fn effective_type(schema: &Value) -> Option<Value> {
    if let Some(t) = schema.get("type") {
        return Some(t.clone());
    }
    let values = schema.get("enum")?.as_array()?;
    let all = |f: fn(&Value) -> bool| !values.is_empty() && values.iter().all(f);
    if all(|v| v.is_i64() || v.is_u64()) {
        Some(json!("integer"))
    } else if all(Value::is_string) {
        Some(json!("string"))
    } else if all(Value::is_number) {
        Some(json!("number"))
    } else {
        None
    }
}

/// The loosest bound every version has; exact constraints where all agree.
fn join_bounds(object: &mut Map<String, Value>, versions: &[Version<'_>]) {
    let numbers = |key: &str| -> Option<Vec<f64>> {
        versions
            .iter()
            .map(|(_, s)| s.get(key).and_then(Value::as_f64))
            .collect()
    };
    for (keys, pick) in [
        (LOWER_BOUNDS, f64::min as fn(f64, f64) -> f64),
        (UPPER_BOUNDS, f64::max),
    ] {
        for key in keys {
            match numbers(key) {
                Some(values) => {
                    let loosest = values.into_iter().reduce(pick).expect("a version");
                    // The version's own JSON number, so an integer stays one.
                    let value = versions
                        .iter()
                        .find_map(|(_, s)| s.get(*key).filter(|v| v.as_f64() == Some(loosest)))
                        .cloned()
                        .unwrap_or(Value::Null);
                    object.insert((*key).to_owned(), value);
                }
                None => {
                    object.remove(*key);
                }
            }
        }
    }
    for key in EXACT {
        if first_difference(versions, key).is_some()
            || versions.iter().any(|(_, s)| s.get(*key).is_none())
        {
            object.remove(*key);
        }
    }
}

/// The first two versions whose `key` differs (present vs absent counts).
fn first_difference<'v, 's>(
    versions: &'v [Version<'s>],
    key: &str,
) -> Option<(&'v Version<'s>, &'v Version<'s>)> {
    let first = versions.first()?;
    versions
        .iter()
        .find(|(_, s)| s.get(key) != first.1.get(key))
        .map(|other| (first, other))
}

/// A schema fragment for an error message, kept short.
fn describe(value: Option<&Value>) -> String {
    match value {
        None => "nothing".into(),
        Some(v) => {
            let text = v.to_string();
            if text.len() > 80 {
                format!("{}...", text.chars().take(77).collect::<String>())
            } else {
                text
            }
        }
    }
}

fn requires(schema: &Value, name: &str) -> bool {
    schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|n| n == name))
}

/// The envelope without its definitions and without the two properties
/// that the join rebuilds (`event_type`, `event`).
fn header_only(envelope: &Value) -> Value {
    let mut header = without_definitions(envelope.clone());
    if let Some(properties) = header.get_mut("properties").and_then(Value::as_object_mut) {
        properties.remove("event_type");
        properties.remove("event");
    }
    header
}

fn without_definitions(mut schema: Value) -> Value {
    if let Some(object) = schema.as_object_mut() {
        object.remove("definitions");
    }
    schema
}

/// The definitions `schema` refers to, directly or through others, by name.
fn referenced(schema: &Value, definitions: &BTreeMap<String, Value>) -> Map<String, Value> {
    let mut found = BTreeMap::new();
    let mut pending = vec![schema];
    while let Some(next) = pending.pop() {
        collect_refs(next, &mut |name| {
            if let Some(definition) = definitions.get(name) {
                if found.insert(name.to_owned(), definition.clone()).is_none() {
                    pending.push(definition);
                }
            }
        });
    }
    found.into_iter().collect()
}

fn collect_refs(value: &Value, found: &mut impl FnMut(&str)) {
    match value {
        Value::Object(object) => {
            if let Some(name) = object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/definitions/"))
            {
                found(name);
            }
            object.values().for_each(|v| collect_refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, found)),
        _ => {}
    }
}

#[cfg(test)]
#[path = "join_tests.rs"]
mod tests;
