use serde_json::{json, Value};

use super::{join, Error, Input, JoinError};
use crate::codegen::SchemaSet;
use crate::wire::Overlay;

/// A revision with the given events (type, title, root schema) and shared
/// definitions, its envelope written as the doc writes one.
fn revision(enum_name: &str, events: &[(&str, &str, Value)], definitions: Value) -> SchemaSet {
    let mut envelope_definitions = definitions.as_object().cloned().unwrap_or_default();
    let types: Vec<&str> = events.iter().map(|(t, _, _)| *t).collect();
    envelope_definitions.insert(enum_name.into(), json!({"title": enum_name, "enum": types}));
    let mut refs = Vec::new();
    for (_, title, root) in events {
        envelope_definitions.insert((*title).into(), root.clone());
        refs.push(json!({"$ref": format!("#/definitions/{title}")}));
    }
    let envelope = json!({
        "title": "WebhookMessage",
        "type": "object",
        "properties": {
            "event_id": {"title": "Event Id", "type": "string", "format": "uuid"},
            "event_type": {"$ref": format!("#/definitions/{enum_name}")},
            "event": {"title": "Event", "anyOf": refs},
        },
        "required": ["event_id", "event_type", "event"],
        "definitions": envelope_definitions,
    });
    let events = events
        .iter()
        .map(|(t, title, root)| {
            let mut root = root.clone();
            root["title"] = json!(title);
            if definitions.as_object().is_some_and(|d| !d.is_empty()) {
                root["definitions"] = definitions.clone();
            }
            ((*t).to_owned(), root)
        })
        .collect();
    SchemaSet { envelope, events }
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}

fn joined(revisions: &[(&str, &SchemaSet)]) -> Result<SchemaSet, JoinError> {
    joined_with(revisions, &Overlay::default()).map_err(|e| match e {
        Error::Join(e) => e,
        Error::Wire(e) => panic!("no overlay given, yet {e}"),
    })
}

fn joined_with(revisions: &[(&str, &SchemaSet)], overlay: &Overlay) -> Result<SchemaSet, Error> {
    let inputs: Vec<Input> = revisions
        .iter()
        .map(|(label, set)| Input { label, set })
        .collect();
    join(&inputs, overlay)
}

fn property<'a>(schema: &'a Value, name: &str) -> &'a Value {
    &schema["properties"][name]
}

fn required(schema: &Value) -> Vec<&str> {
    schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn every_event_type_of_any_revision_is_kept_in_order_of_first_appearance() {
    let empty = || object(json!({}), &[]);
    let old = revision(
        "WebhookEventType",
        &[("a", "WebhookA", empty()), ("gone", "Gone", empty())],
        json!({}),
    );
    let new = revision(
        "EventType",
        &[("b", "EventB", empty()), ("a", "EventA", empty())],
        json!({}),
    );
    let set = joined(&[("1", &old), ("2", &new)]).unwrap();
    let types: Vec<&str> = set.events.keys().map(String::as_str).collect();
    assert_eq!(types, ["a", "b", "gone"]);
    let definitions = &set.envelope["definitions"];
    // The newest names: the enum's and each event's title.
    assert_eq!(definitions["EventType"]["enum"], json!(["a", "gone", "b"]));
    assert!(definitions.get("WebhookEventType").is_none());
    assert_eq!(set.events["a"]["title"], "EventA");
    assert!(definitions.get("WebhookA").is_none());
    assert_eq!(
        set.envelope["properties"]["event"]["anyOf"],
        json!([
            {"$ref": "#/definitions/EventA"},
            {"$ref": "#/definitions/Gone"},
            {"$ref": "#/definitions/EventB"}
        ])
    );
    assert_eq!(
        set.envelope["properties"]["event_type"]["$ref"],
        "#/definitions/EventType"
    );
}

#[test]
fn a_field_is_required_only_where_every_revision_of_its_owner_requires_it() {
    let v1 = revision(
        "T",
        &[(
            "e",
            "E",
            object(
                json!({"kept": {"type": "string"}, "old": {"type": "string"}}),
                &["kept", "old"],
            ),
        )],
        json!({}),
    );
    let v2 = revision(
        "T",
        &[(
            "e",
            "E",
            object(
                json!({"kept": {"type": "string"}, "new": {"type": "string"}}),
                &["kept", "new"],
            ),
        )],
        json!({}),
    );
    let set = joined(&[("2020-01-01", &v1), ("2021-01-01", &v2)]).unwrap();
    let root = &set.events["e"];
    assert_eq!(required(root), ["kept"]);
    let names: Vec<&str> = root["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["kept", "old", "new"]);
    assert_eq!(
        property(root, "kept")["description"],
        "Documented in every revision; always required."
    );
    assert_eq!(
        property(root, "new")["description"],
        "Documented since 2021-01-01; required wherever documented."
    );
    assert_eq!(
        property(root, "old")["description"],
        "Documented until 2020-01-01; required wherever documented."
    );
}

#[test]
fn the_history_names_runs_of_revisions_and_keeps_the_newest_title() {
    let with = |required: &[&str], title: &str| {
        revision(
            "T",
            &[(
                "e",
                "E",
                object(json!({"f": {"title": title, "type": "integer"}}), required),
            )],
            json!({}),
        )
    };
    let without = revision("T", &[("e", "E", object(json!({}), &[]))], json!({}));
    let (a, b, c) = (with(&[], "Old"), with(&["f"], "F"), with(&["f"], "Newest"));
    let set = joined(&[("d1", &a), ("d2", &without), ("d3", &b), ("d4", &c)]).unwrap();
    assert_eq!(
        property(&set.events["e"], "f")["description"],
        "Newest\n\nDocumented until d1, since d3; required since d3, optional otherwise."
    );
    assert_eq!(property(&set.events["e"], "f")["title"], "Newest");
    let set = joined(&[
        ("d1", &without),
        ("d2", &b),
        ("d3", &without),
        ("d4", &without),
    ])
    .unwrap();
    assert!(property(&set.events["e"], "f")["description"]
        .as_str()
        .unwrap()
        .contains("Documented in d2;"));
}

#[test]
fn enum_values_are_the_union_in_order_of_first_appearance() {
    let with = |values: Value| {
        revision(
            "T",
            &[(
                "e",
                "E",
                object(json!({"t": {"$ref": "#/definitions/Kind"}}), &["t"]),
            )],
            json!({"Kind": {"title": "Kind", "enum": values}}),
        )
    };
    let set = joined(&[
        ("1", &with(json!(["a", "b"]))),
        ("2", &with(json!(["c", "a"]))),
    ])
    .unwrap();
    let kind = &set.envelope["definitions"]["Kind"];
    assert_eq!(kind["enum"], json!(["a", "b", "c"]));
    // An enum's implied type stays implied.
    assert!(kind.get("type").is_none());
    assert_eq!(set.events["e"]["definitions"]["Kind"], *kind);
}

#[test]
fn changed_types_widen_to_the_smaller_type_that_holds_both() {
    let old = revision(
        "T",
        &[(
            "e",
            "E",
            object(
                json!({
                    "code": {"$ref": "#/definitions/Code"},
                    "name": {"$ref": "#/definitions/Name"},
                    "id": {"type": "string", "format": "uuid"},
                    "n": {"type": "integer", "minimum": 1, "maximum": 10},
                    "m": {"type": "integer", "minimum": 0},
                }),
                &["code"],
            ),
        )],
        json!({"Code": {"title": "Code", "enum": [1, 2]}, "Name": {"type": "string"}}),
    );
    let new = revision(
        "T",
        &[(
            "e",
            "E",
            object(
                json!({
                    "code": {"type": "integer"},
                    "name": {"type": "string", "title": "Name"},
                    "id": {"type": "string"},
                    "n": {"type": "number", "minimum": 0, "maximum": 5},
                    "m": {"type": "integer"},
                }),
                &["code"],
            ),
        )],
        json!({}),
    );
    let set = joined(&[("1", &old), ("2", &new)]).unwrap();
    let root = &set.events["e"];
    assert_eq!(property(root, "code")["type"], "integer");
    assert!(property(root, "code").get("enum").is_none());
    // A plain scalar definition stands for its schema too.
    assert_eq!(property(root, "name")["type"], "string");
    assert!(property(root, "id").get("format").is_none());
    assert_eq!(property(root, "n")["type"], "number");
    assert_eq!(property(root, "n")["minimum"], 0);
    assert_eq!(property(root, "n")["maximum"], 10);
    // A bound one version does not have is no bound of the join.
    assert!(property(root, "m").get("minimum").is_none());
    // The enum's definition is kept (its values are documented codes), but
    // nothing in the event refers to it any more.
    assert_eq!(set.envelope["definitions"]["Code"]["enum"], json!([1, 2]));
    assert!(root.get("definitions").is_none());
}

#[test]
fn closed_objects_open_up_when_another_revision_leaves_them_open() {
    let with = |extra: Option<Value>| {
        let mut root = object(json!({"a": {"type": "string"}}), &[]);
        if let Some(extra) = extra {
            root["additionalProperties"] = extra;
        }
        revision("T", &[("e", "E", root)], json!({}))
    };
    let closed = with(Some(json!(false)));
    let set = joined(&[("1", &with(None)), ("2", &closed)]).unwrap();
    assert!(set.events["e"].get("additionalProperties").is_none());
    let set = joined(&[("1", &closed), ("2", &closed)]).unwrap();
    assert_eq!(set.events["e"]["additionalProperties"], false);
    let map = |t: &str| with(Some(json!({"type": t, "format": "uuid"})));
    let set = joined(&[("1", &map("string")), ("2", &map("string"))]).unwrap();
    assert_eq!(set.events["e"]["additionalProperties"]["format"], "uuid");
}

#[test]
fn a_change_that_cannot_widen_names_both_revisions_and_the_place() {
    let with = |t: &str| {
        revision(
            "T",
            &[(
                "e",
                "E",
                object(
                    json!({"f": {"type": "object", "properties": {"x": {"type": t}}}}),
                    &[],
                ),
            )],
            json!({}),
        )
    };
    let error = joined(&[
        ("2020-01-01", &with("integer")),
        ("2021-01-01", &with("string")),
        ("2022-01-01", &with("string")),
    ])
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "events/e.schema.json: /properties/f/properties/x: revision 2020-01-01 has type `integer`, \
         revision 2021-01-01 has type `string`: no type holds both"
    );
    let reference = revision(
        "T",
        &[(
            "e",
            "E",
            object(json!({"f": {"$ref": "#/definitions/D"}}), &[]),
        )],
        json!({"D": {"type": "object", "properties": {}}}),
    );
    let error = joined(&[("1", &reference), ("2", &with("string"))]).unwrap_err();
    assert_eq!(error.pointer, "/properties/f");
    assert_eq!((error.first.as_str(), error.second.as_str()), ("1", "2"));
}

#[test]
fn the_envelope_keeps_its_header_fields_joined_and_its_event_fields_required() {
    let old = revision("T", &[("e", "E", object(json!({}), &[]))], json!({}));
    let mut new = old.clone();
    new.envelope["properties"]["instance_id"] = json!({"type": "string", "format": "uuid"});
    new.envelope["required"] = json!(["event_id", "event_type", "event", "instance_id"]);
    let set = joined(&[("1", &old), ("2", &new)]).unwrap();
    assert_eq!(required(&set.envelope), ["event_id", "event_type", "event"]);
    let order: Vec<&str> = set.envelope["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(order, ["event_id", "event_type", "event", "instance_id"]);
    assert_eq!(
        set.envelope["properties"]["instance_id"]["description"],
        "Documented since 2; required wherever documented."
    );
    assert!(set.envelope["properties"]["event_type"]
        .get("description")
        .is_none());
}

#[test]
fn nothing_to_join_is_an_error_not_a_panic() {
    assert!(join(&[], &Overlay::default()).is_err());
    let mut broken = revision("T", &[("e", "E", object(json!({}), &[]))], json!({}));
    broken.events.clear();
    let error = joined(&[("1", &broken)]).unwrap_err();
    assert!(error.detail.contains("has no schema"), "{error}");
}

/// The newest revision refers to an enum again after one wrote the plain
/// type inline: the join keeps the type, and no title of the enum's.
#[test]
fn a_ref_back_to_an_enum_after_an_inline_type_keeps_the_type() {
    let by_ref = revision(
        "T",
        &[(
            "e",
            "E",
            object(json!({"code": {"$ref": "#/definitions/Code"}}), &[]),
        )],
        json!({"Code": {"title": "Code", "description": "An enumeration.", "enum": [1, 2]}}),
    );
    let inline = revision(
        "T",
        &[(
            "e",
            "E",
            object(
                json!({"code": {"title": "Code Field", "type": "integer"}}),
                &[],
            ),
        )],
        json!({}),
    );
    let set = joined(&[("1", &by_ref), ("2", &inline), ("3", &by_ref)]).unwrap();
    let code = property(&set.events["e"], "code");
    assert_eq!(code["type"], "integer");
    assert_eq!(code["title"], "Code Field");
    assert!(code.get("enum").is_none());
}

/// The overlay is applied like one more revision: its event types are
/// variants, its omitted fields optional, its added fields typed; a fact
/// about a place no revision has is an error naming the fact.
#[test]
fn the_wire_overlay_adds_event_types_and_fields_and_relaxes_required() {
    let v1 = revision(
        "T",
        &[(
            "e",
            "E",
            object(
                json!({"a": {"type": "string"}, "b": {"$ref": "#/definitions/D"}}),
                &["a", "b"],
            ),
        )],
        json!({"D": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]}}),
    );
    let overlay: Overlay = serde_json::from_value(json!({"facts": [{
        "sender": "csharp", "releases": "8.0.0-8.9.0", "source": "Events.cs@abc", "what": "so",
        "omitted": {"event e": ["a"], "definition D": ["x"]},
        "added": {"envelope": {"sent_at": {"type": "string"}}, "event e": {"c": {"type": "boolean"}}},
        "events": {"new": {
            "schema": {"title": "EventNew", "type": "object", "properties": {"d": {"$ref": "#/definitions/D"}}},
            "example": {"d": {"x": 1}}
        }}
    }]}))
    .unwrap();
    let set = joined_with(&[("1", &v1)], &overlay).unwrap();
    assert_eq!(required(&set.events["e"]), ["b"]);
    assert_eq!(property(&set.events["e"], "c")["type"], "boolean");
    assert!(required(&set.envelope["definitions"]["D"]).is_empty());
    assert_eq!(set.envelope["properties"]["sent_at"]["type"], "string");
    assert_eq!(
        set.envelope["definitions"]["T"]["enum"],
        json!(["e", "new"])
    );
    assert_eq!(
        set.events["new"]["definitions"]["D"],
        set.envelope["definitions"]["D"]
    );
    assert!(set.events["new"]["description"]
        .as_str()
        .unwrap()
        .starts_with("Not in the doc; sent by the C# service 8.0.0-8.9.0"));
    let stale: Overlay = serde_json::from_value(json!({"facts": [{
        "sender": "python", "releases": "1.0.0", "source": "s", "what": "w",
        "added": {"event gone": {"c": {"type": "boolean"}}}
    }]}))
    .unwrap();
    let error = joined_with(&[("1", &v1)], &stale).unwrap_err().to_string();
    assert!(
        error.starts_with("schemas/wire.json: /facts/0/added/event gone: names no event type"),
        "{error}"
    );
}

/// A names fact becomes the joined definition's `x-names`; one about a
/// definition no revision has names the fact.
#[test]
fn the_wire_overlay_names_an_integer_enums_values() {
    let v1 = revision(
        "T",
        &[(
            "e",
            "E",
            object(json!({"c": {"$ref": "#/definitions/C"}}), &["c"]),
        )],
        json!({"C": {"title": "C", "enum": [1, 2]}}),
    );
    let names = |target: &str| -> Overlay {
        serde_json::from_value(json!({"facts": [{
            "sender": "csharp", "releases": "8.0.0", "source": "Enums.cs@abc", "what": "so",
            "names": {target: {"2": "TWO"}}
        }]}))
        .unwrap()
    };
    let set = joined_with(&[("1", &v1)], &names("definition C")).unwrap();
    assert_eq!(
        set.envelope["definitions"]["C"]["x-names"],
        json!({"2": "TWO"})
    );
    assert_eq!(
        set.events["e"]["definitions"]["C"]["x-names"],
        json!({"2": "TWO"})
    );
    let error = joined_with(&[("1", &v1)], &names("definition Gone"))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("schemas/wire.json: /facts/0/names/definition Gone: names no event type"),
        "{error}"
    );
}
