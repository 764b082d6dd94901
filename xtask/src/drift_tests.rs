use super::*;
use serde_json::json;

fn task_details() -> Value {
    json!({
        "title": "TaskDetails",
        "type": "object",
        "properties": {
            "duration": {"title": "Duration", "type": "integer"},
            "target_exe": {"title": "Target Exe", "type": "string"},
            "check_debugger": {"title": "Check Debugger", "default": true, "type": "boolean"},
            "task_type": {"$ref": "#/definitions/TaskType"}
        },
        "required": ["duration", "target_exe"]
    })
}

fn task_type() -> Value {
    json!({"title": "TaskType", "enum": ["libfuzzer_fuzz", "generic_merge"]})
}

fn task_created(title: &str) -> Value {
    json!({
        "title": title,
        "type": "object",
        "properties": {
            "task_id": {"title": "Task Id", "type": "string", "format": "uuid"},
            "task": {"$ref": "#/definitions/TaskDetails"}
        },
        "required": ["task_id", "task"],
        "definitions": {"TaskDetails": task_details(), "TaskType": task_type()}
    })
}

fn ping(title: &str) -> Value {
    json!({"title": title, "type": "object", "properties": {"ping_id": {"type": "string"}}})
}

fn set(events: &[(&str, Value)]) -> SchemaSet {
    let types: Vec<&str> = events.iter().map(|(t, _)| *t).collect();
    let mut definitions = Map::new();
    definitions.insert(
        "WebhookEventType".into(),
        json!({"title": "WebhookEventType", "enum": types}),
    );
    let mut any_of = Vec::new();
    for (_, schema) in events {
        let title = schema["title"].as_str().unwrap().to_owned();
        any_of.push(json!({"$ref": format!("#/definitions/{title}")}));
        for (name, def) in schema
            .get("definitions")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            definitions.insert(name.clone(), def.clone());
        }
        let mut root = schema.clone();
        root.as_object_mut().unwrap().remove("definitions");
        definitions.insert(title, root);
    }
    SchemaSet {
        envelope: json!({
            "title": "WebhookMessage",
            "type": "object",
            "properties": {
                "event_id": {"title": "Event Id", "type": "string", "format": "uuid"},
                "event_type": {"$ref": "#/definitions/WebhookEventType"},
                "event": {"title": "Event", "anyOf": any_of}
            },
            "required": ["event_type", "event"],
            "definitions": definitions
        }),
        events: events
            .iter()
            .map(|(t, s)| (t.to_string(), s.clone()))
            .collect(),
    }
}

fn base() -> SchemaSet {
    with_task_created(task_created("WebhookEventTaskCreated"))
}

/// `base()` with `created` as the task_created schema.
fn with_task_created(created: Value) -> SchemaSet {
    set(&[
        ("task_created", created),
        ("ping", ping("WebhookEventPing")),
    ])
}

/// `base()` with `edit` applied to TaskDetails in every place it appears.
fn edit_task_details(edit: impl Fn(&mut Value)) -> SchemaSet {
    let mut details = task_details();
    edit(&mut details);
    let mut created = task_created("WebhookEventTaskCreated");
    created["definitions"]["TaskDetails"] = details;
    with_task_created(created)
}

fn files(change: &Change) -> Vec<String> {
    change
        .locations
        .iter()
        .map(|l| format!("{}: {}", l.file, l.pointer))
        .collect()
}

fn kinds(changes: &[Change]) -> Vec<&ChangeKind> {
    changes.iter().map(|c| &c.kind).collect()
}

#[test]
fn identical_sets_have_no_drift() {
    assert_eq!(changes(&base(), &base()), []);
}

#[test]
fn added_optional_field_is_one_change_located_in_each_file() {
    let new = edit_task_details(|d| {
        d["properties"]["target_timeout"] = json!({"title": "Target Timeout", "type": "integer"});
    });
    let found = changes(&base(), &new);
    assert_eq!(found.len(), 1, "{found:?}");
    let change = &found[0];
    assert_eq!(change.subject, "TaskDetails");
    assert_eq!(change.pointer, "/properties/target_timeout");
    assert_eq!(
        change.kind,
        ChangeKind::FieldAdded {
            field: "target_timeout".into(),
            required: false
        }
    );
    assert_eq!(
        files(change),
        [
            "events/task_created.schema.json: /definitions/TaskDetails/properties/target_timeout",
            "envelope.schema.json: /definitions/TaskDetails/properties/target_timeout",
        ]
    );
}

#[test]
fn removed_field() {
    let new = edit_task_details(|d| {
        d["properties"]
            .as_object_mut()
            .unwrap()
            .remove("check_debugger");
    });
    assert_eq!(
        kinds(&changes(&base(), &new)),
        [&ChangeKind::FieldRemoved {
            field: "check_debugger".into()
        }]
    );
}

#[test]
fn required_to_optional_is_at_the_property() {
    let new = edit_task_details(|d| d["required"] = json!(["duration"]));
    let found = changes(&base(), &new);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].kind,
        ChangeKind::RequiredToOptional {
            field: "target_exe".into()
        }
    );
    assert_eq!(found[0].pointer, "/properties/target_exe");
}

#[test]
fn type_change_is_in_words_at_the_property_and_default_change_apart() {
    let new = edit_task_details(|d| {
        d["properties"]["duration"]["type"] = json!("string");
        d["properties"]["duration"]["format"] = json!("uuid");
        d["properties"]["check_debugger"]["default"] = json!(false);
    });
    let found: Vec<(String, String)> = changes(&base(), &new)
        .iter()
        .map(|c| (c.pointer.clone(), c.kind.to_string()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "/properties/duration".into(),
                "type `integer` → `string (uuid)`".into()
            ),
            (
                "/properties/check_debugger/default".into(),
                "default true → false".into()
            ),
        ]
    );
}

/// A `$ref` replaced by a plain type is one change naming both types.
#[test]
fn a_ref_replaced_by_a_type_names_both_types() {
    let new = edit_task_details(|d| {
        d["properties"]["task_type"] = json!({"title": "Task Type", "type": "string"});
    });
    let found = changes(&base(), &new);
    assert_eq!(
        kinds(&found),
        [
            &ChangeKind::TypeChanged {
                old: "TaskType".into(),
                new: "string".into()
            },
            &ChangeKind::DescriptionChanged,
        ]
    );
    assert_eq!(found[0].pointer, "/properties/task_type");
    assert_eq!(found[0].kind.to_string(), "type `TaskType` → `string`");
}

#[test]
fn an_enum_on_one_side_only_is_part_of_the_type() {
    let mut created = task_created("WebhookEventTaskCreated");
    created["definitions"]["TaskType"] = json!({"title": "TaskType", "type": "string"});
    let new = with_task_created(created);
    let found = changes(&base(), &new);
    assert_eq!(
        kinds(&found),
        [&ChangeKind::TypeChanged {
            old: "one of 2 values".into(),
            new: "string".into()
        }]
    );
}

#[test]
fn enum_value_added() {
    let mut created = task_created("WebhookEventTaskCreated");
    created["definitions"]["TaskType"]["enum"] =
        json!(["libfuzzer_fuzz", "generic_merge", "dotnet_coverage"]);
    let new = with_task_created(created);
    let found = changes(&base(), &new);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].subject, "TaskType");
    assert_eq!(found[0].pointer, "/enum");
    assert_eq!(
        found[0].kind,
        ChangeKind::EnumValueAdded {
            value: json!("dotnet_coverage")
        }
    );
}

#[test]
fn event_title_rename_is_one_change_across_files() {
    let new = with_task_created(task_created("EventTaskCreated"));
    let found = changes(&base(), &new);
    assert_eq!(found.len(), 1, "{found:?}");
    let change = &found[0];
    assert_eq!(
        change.kind,
        ChangeKind::TitleRenamed {
            old: "WebhookEventTaskCreated".into(),
            new: "EventTaskCreated".into()
        }
    );
    assert_eq!(change.subject, "EventTaskCreated");
    assert_eq!(
        files(change),
        [
            "events/task_created.schema.json: /title",
            "envelope.schema.json: /definitions/EventTaskCreated/title",
        ]
    );
}

/// The envelope's definition of a renamed event is compared under its new
/// name: the rename and what changed inside, never also a removal.
#[test]
fn a_renamed_event_whose_body_changed_is_not_also_removed() {
    let mut renamed = task_created("EventTaskCreated");
    renamed["required"] = json!(["task_id"]);
    let new = with_task_created(renamed);
    let found = changes(&base(), &new);
    assert_eq!(
        kinds(&found),
        [
            &ChangeKind::TitleRenamed {
                old: "WebhookEventTaskCreated".into(),
                new: "EventTaskCreated".into()
            },
            &ChangeKind::RequiredToOptional {
                field: "task".into()
            },
        ]
    );
    assert_eq!(found[1].locations.len(), 2, "{found:?}");
}

/// The generator merges every file's definitions, so one that appears in
/// the envelope while an event schema already had it is not new.
#[test]
fn a_definition_that_moves_between_files_is_no_change() {
    let mut old = base();
    let definitions = old.envelope["definitions"].as_object_mut().unwrap();
    definitions.remove("TaskType");
    assert_eq!(changes(&old, &base()), []);
    assert_eq!(changes(&base(), &old), []);
}

#[test]
fn event_added_without_repeating_the_enum_value() {
    let old = set(&[("ping", ping("WebhookEventPing"))]);
    let found: Vec<(String, ChangeKind)> = changes(&old, &base())
        .into_iter()
        .map(|c| (c.subject, c.kind))
        .collect();
    let subjects = ["TaskDetails", "TaskType", "WebhookEventTaskCreated"];
    let mut expected = vec![("task_created".to_owned(), ChangeKind::EventTypeAdded)];
    expected.extend(
        subjects
            .iter()
            .map(|s| (s.to_string(), ChangeKind::DefinitionAdded)),
    );
    assert_eq!(found, expected);
}

#[test]
fn event_removed() {
    let new = set(&[("task_created", task_created("WebhookEventTaskCreated"))]);
    let found = changes(&base(), &new);
    assert_eq!(found[0].subject, "ping");
    assert_eq!(found[0].kind, ChangeKind::EventTypeRemoved);
}

#[test]
fn required_envelope_fields_added() {
    let mut new = base();
    new.envelope["properties"]["instance_id"] =
        json!({"title": "Instance Id", "type": "string", "format": "uuid"});
    new.envelope["properties"]["instance_name"] =
        json!({"title": "Instance Name", "type": "string"});
    new.envelope["required"] = json!(["event_type", "event", "instance_id", "instance_name"]);
    let found = changes(&base(), &new);
    let subjects_and_texts: Vec<(&str, String)> = found
        .iter()
        .map(|c| (c.subject.as_str(), c.kind.to_string()))
        .collect();
    assert_eq!(
        subjects_and_texts,
        [
            (
                "WebhookMessage",
                "required property `instance_id` added".into()
            ),
            (
                "WebhookMessage",
                "required property `instance_name` added".into()
            ),
        ]
    );
    assert_eq!(
        files(&found[1]),
        ["envelope.schema.json: /properties/instance_name"]
    );
}

#[test]
fn json_form_names_kind_and_locations() {
    let new = edit_task_details(|d| d["properties"]["x"] = json!({"type": "string"}));
    let value = serde_json::to_value(changes(&base(), &new)).unwrap();
    assert_eq!(value[0]["kind"], "field_added");
    assert_eq!(value[0]["field"], "x");
    assert_eq!(value[0]["required"], false);
    assert_eq!(value[0]["locations"][1]["file"], "envelope.schema.json");
}

/// `base()` with the event-type enum under another definition name.
fn with_event_type_enum_named(name: &str) -> SchemaSet {
    let mut set = base();
    let envelope = &mut set.envelope;
    envelope["properties"]["event_type"]["$ref"] = json!(format!("#/definitions/{name}"));
    let definitions = envelope["definitions"].as_object_mut().unwrap();
    let mut enum_def = definitions.remove("WebhookEventType").unwrap();
    enum_def["title"] = json!(name);
    definitions.insert(name.to_owned(), enum_def);
    set
}

#[test]
fn event_type_enum_rename_is_one_change() {
    let found = changes(&base(), &with_event_type_enum_named("EventType"));
    assert_eq!(
        kinds(&found),
        [&ChangeKind::EventTypeEnumRenamed {
            old: "WebhookEventType".into(),
            new: "EventType".into()
        }]
    );
}

#[test]
fn other_keywords_are_reported_with_their_values() {
    let closed = edit_task_details(|d| {
        d["additionalProperties"] = json!(false);
        d["properties"]["duration"]["minimum"] = json!(0);
    });
    let texts: Vec<(String, String)> = changes(&base(), &closed)
        .iter()
        .map(|c| (c.pointer.clone(), c.kind.to_string()))
        .collect();
    assert_eq!(
        texts,
        [
            (
                "/properties/duration/minimum".into(),
                "`minimum` none → 0".into()
            ),
            (
                "/additionalProperties".into(),
                "`additionalProperties` none → false".into()
            ),
        ]
    );
}

/// Each value whose name differs is one change, in words.
#[test]
fn value_names_are_compared_value_by_value() {
    let code = |names: Value| json!({"title": "Code", "enum": [1, 2, 3], "x-names": names});
    let mut old_set = set(&[("ping", ping("EventPing"))]);
    let mut new_set = old_set.clone();
    old_set.envelope["definitions"]["Code"] = code(json!({"1": "ONE", "2": "TWO"}));
    new_set.envelope["definitions"]["Code"] = code(json!({"1": "UNO", "3": "THREE"}));
    let texts: Vec<(String, String)> = changes(&old_set, &new_set)
        .iter()
        .map(|c| (c.pointer.clone(), c.kind.to_string()))
        .collect();
    let pair = |p: &str, t: &str| (p.to_owned(), t.to_owned());
    assert_eq!(
        texts,
        [
            pair("/x-names/1", "value 1 renamed `ONE` → `UNO`"),
            pair("/x-names/3", "value 3 named `THREE`"),
            pair("/x-names/2", "value 2 no longer named `TWO`"),
        ]
    );
}
