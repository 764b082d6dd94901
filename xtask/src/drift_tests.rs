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
    set(&[
        ("task_created", task_created("WebhookEventTaskCreated")),
        ("ping", ping("WebhookEventPing")),
    ])
}

/// `base()` with `edit` applied to TaskDetails in every place it appears.
fn edit_task_details(edit: impl Fn(&mut Value)) -> SchemaSet {
    let mut details = task_details();
    edit(&mut details);
    let mut created = task_created("WebhookEventTaskCreated");
    created["definitions"]["TaskDetails"] = details;
    set(&[
        ("task_created", created),
        ("ping", ping("WebhookEventPing")),
    ])
}

fn files(change: &Change) -> Vec<String> {
    change
        .locations
        .iter()
        .map(|l| format!("{}: {}", l.file, l.pointer))
        .collect()
}

#[test]
fn identical_sets_have_no_drift() {
    let report = report(&base(), &base());
    assert_eq!(report.changes, []);
    assert_eq!(report.bump, Bump::None);
}

#[test]
fn added_optional_field_is_minor_and_located_in_each_file() {
    let new = edit_task_details(|d| {
        d["properties"]["target_timeout"] = json!({"title": "Target Timeout", "type": "integer"});
    });
    let report = report(&base(), &new);
    assert_eq!(report.changes.len(), 1, "{report}");
    let change = &report.changes[0];
    assert_eq!(change.subject, "TaskDetails");
    assert_eq!(change.pointer, "/properties/target_timeout");
    assert_eq!(
        change.kind,
        ChangeKind::FieldAdded {
            field: "target_timeout".into(),
            required: false
        }
    );
    assert_eq!(report.bump, Bump::Minor);
    assert_eq!(
        files(change),
        [
            "events/task_created.schema.json: /definitions/TaskDetails/properties/target_timeout",
            "envelope.schema.json: /definitions/TaskDetails/properties/target_timeout",
        ]
    );
}

#[test]
fn removed_field_is_major() {
    let new = edit_task_details(|d| {
        d["properties"]
            .as_object_mut()
            .unwrap()
            .remove("check_debugger");
    });
    let report = report(&base(), &new);
    let kinds: Vec<&ChangeKind> = report.changes.iter().map(|c| &c.kind).collect();
    assert_eq!(
        kinds,
        [&ChangeKind::FieldRemoved {
            field: "check_debugger".into()
        }]
    );
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn required_to_optional_is_major() {
    let new = edit_task_details(|d| d["required"] = json!(["duration"]));
    let report = report(&base(), &new);
    assert_eq!(report.changes.len(), 1, "{report}");
    assert_eq!(
        report.changes[0].kind,
        ChangeKind::RequiredToOptional {
            field: "target_exe".into()
        }
    );
    assert_eq!(report.changes[0].pointer, "/properties/target_exe");
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn type_change_and_default_change_are_classified_separately() {
    let new = edit_task_details(|d| {
        d["properties"]["duration"]["type"] = json!("string");
        d["properties"]["check_debugger"]["default"] = json!(false);
    });
    let report = report(&base(), &new);
    let found: Vec<(&str, Bump)> = report
        .changes
        .iter()
        .map(|c| (c.pointer.as_str(), c.bump))
        .collect();
    assert_eq!(
        found,
        [
            ("/properties/duration/type", Bump::Major),
            ("/properties/check_debugger/default", Bump::Patch),
        ]
    );
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn enum_value_added_to_a_generated_enum_is_major() {
    let mut created = task_created("WebhookEventTaskCreated");
    created["definitions"]["TaskType"]["enum"] =
        json!(["libfuzzer_fuzz", "generic_merge", "dotnet_coverage"]);
    let new = set(&[
        ("task_created", created),
        ("ping", ping("WebhookEventPing")),
    ]);
    let report = report(&base(), &new);
    assert_eq!(report.changes.len(), 1, "{report}");
    assert_eq!(report.changes[0].subject, "TaskType");
    assert_eq!(
        report.changes[0].kind,
        ChangeKind::EnumValueAdded {
            value: json!("dotnet_coverage")
        }
    );
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn event_title_rename_is_one_major_change_across_files() {
    let new = set(&[
        ("task_created", task_created("EventTaskCreated")),
        ("ping", ping("WebhookEventPing")),
    ]);
    let report = report(&base(), &new);
    assert_eq!(report.changes.len(), 1, "{report}");
    let change = &report.changes[0];
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
            "envelope.schema.json: /definitions/EventTaskCreated",
        ]
    );
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn event_added_is_minor_without_repeating_the_enum_value() {
    let old = set(&[("ping", ping("WebhookEventPing"))]);
    let report = report(&old, &base());
    let found: Vec<(&str, &ChangeKind, Bump)> = report
        .changes
        .iter()
        .map(|c| (c.subject.as_str(), &c.kind, c.bump))
        .collect();
    assert_eq!(
        found,
        [
            ("task_created", &ChangeKind::EventTypeAdded, Bump::Minor),
            ("TaskDetails", &ChangeKind::DefinitionAdded, Bump::Minor),
            ("TaskType", &ChangeKind::DefinitionAdded, Bump::Minor),
            (
                "WebhookEventTaskCreated",
                &ChangeKind::DefinitionAdded,
                Bump::Minor
            ),
        ]
    );
    assert_eq!(report.bump, Bump::Minor);
}

#[test]
fn event_removed_is_major() {
    let new = set(&[("task_created", task_created("WebhookEventTaskCreated"))]);
    let report = report(&base(), &new);
    assert_eq!(report.changes[0].subject, "ping");
    assert_eq!(report.changes[0].kind, ChangeKind::EventTypeRemoved);
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn required_envelope_fields_added_are_major() {
    let mut new = base();
    new.envelope["properties"]["instance_id"] =
        json!({"title": "Instance Id", "type": "string", "format": "uuid"});
    new.envelope["properties"]["instance_name"] =
        json!({"title": "Instance Name", "type": "string"});
    new.envelope["required"] = json!(["event_type", "event", "instance_id", "instance_name"]);
    let report = report(&base(), &new);
    let found: Vec<(&str, &ChangeKind)> = report
        .changes
        .iter()
        .map(|c| (c.subject.as_str(), &c.kind))
        .collect();
    assert_eq!(
        found,
        [
            (
                "WebhookMessage",
                &ChangeKind::FieldAdded {
                    field: "instance_id".into(),
                    required: true
                }
            ),
            (
                "WebhookMessage",
                &ChangeKind::FieldAdded {
                    field: "instance_name".into(),
                    required: true
                }
            ),
        ]
    );
    assert_eq!(report.bump, Bump::Major);
    let text = report.to_string();
    assert!(
        text.contains("required field `instance_id` added"),
        "{text}"
    );
    assert!(
        text.contains("envelope.schema.json: /properties/instance_name"),
        "{text}"
    );
}

#[test]
fn json_form_names_kind_and_bump() {
    let new = edit_task_details(|d| d["properties"]["x"] = json!({"type": "string"}));
    let value = serde_json::to_value(report(&base(), &new)).unwrap();
    assert_eq!(value["bump"], "minor");
    assert_eq!(value["changes"][0]["kind"], "field_added");
    assert_eq!(value["changes"][0]["field"], "x");
    assert_eq!(value["changes"][0]["required"], false);
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
fn event_type_enum_rename_is_one_patch_change() {
    let report = report(&base(), &with_event_type_enum_named("EventType"));
    assert_eq!(report.bump, Bump::Patch, "{report}");
    assert_eq!(report.changes.len(), 1, "{report}");
    assert_eq!(
        report.changes[0].kind,
        ChangeKind::EventTypeEnumRenamed {
            old: "WebhookEventType".into(),
            new: "EventType".into()
        }
    );
}

#[test]
fn keywords_the_types_do_not_enforce_are_patches() {
    let closed = edit_task_details(|d| {
        d["additionalProperties"] = json!(false);
        d["properties"]["duration"]["minimum"] = json!(0);
    });
    let report = report(&base(), &closed);
    assert_eq!(report.bump, Bump::Patch, "{report}");
    assert_eq!(report.changes.len(), 2, "{report}");
    let typed = edit_task_details(|d| {
        d["additionalProperties"] = json!({"type": "string"});
    });
    assert_eq!(super::report(&base(), &typed).bump, Bump::Major);
}
