use super::*;
use serde_json::json;

const PAYLOAD: &str = "## Payload\n\nPosted to the URL.\n\n### Example\n\n```json\n{\"event_type\": \"ping\", \"event\": {}}\n```\n\n";

/// A `###` event section with the given example and schema bodies.
fn event(name: &str, example: &str, schema: &str) -> String {
    format!("### {name}\n\n#### Example\n\n```json\n{example}\n```\n\n#### Schema\n\n```json\n{schema}\n```\n\n")
}

fn titled(title: &str) -> String {
    json!({"title": title, "type": "object", "properties": {}}).to_string()
}

/// The `## Full Event Schema` section for the given (event type, title) pairs.
fn full_schema(enum_name: &str, events: &[(&str, &str)]) -> String {
    let types: Vec<&str> = events.iter().map(|(t, _)| *t).collect();
    let any_of: Vec<Value> = events
        .iter()
        .map(|(_, title)| json!({"$ref": format!("#/definitions/{title}")}))
        .collect();
    let schema = json!({
        "title": "WebhookMessage",
        "type": "object",
        "properties": {
            "event_type": {"$ref": format!("#/definitions/{enum_name}")},
            "event": {"title": "Event", "anyOf": any_of}
        },
        "definitions": {enum_name: {"title": enum_name, "enum": types}}
    });
    format!(
        "## Full Event Schema\n\n```json\n{}\n```\n",
        serde_json::to_string_pretty(&schema).unwrap()
    )
}

/// A valid doc with events `ping` and `task_stopped`.
fn small_doc() -> String {
    format!(
        "# Webhook Events\n\n{PAYLOAD}## Event Types (WebhookEventType)\n\n{}{}{}",
        event("ping", "{}", &titled("WebhookEventPing")),
        event("task_stopped", "{}", &titled("WebhookEventTaskStopped")),
        full_schema(
            "WebhookEventType",
            &[
                ("ping", "WebhookEventPing"),
                ("task_stopped", "WebhookEventTaskStopped")
            ]
        )
    )
}

fn line_of(doc: &str, needle: &str) -> usize {
    let at = doc.find(needle).expect("needle in doc");
    doc[..at].matches('\n').count() + 1
}

#[test]
fn small_doc_extracts_events_in_doc_order() {
    let doc = small_doc();
    let ex = extract(&doc).unwrap();
    let names: Vec<&str> = ex.events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(names, ["ping", "task_stopped"]);
    assert_eq!(ex.event_type_enum, "WebhookEventType");
    assert_eq!(ex.events[0].title, "WebhookEventPing");
    assert_eq!(ex.events[0].heading_line, line_of(&doc, "### ping"));
    assert_eq!(ex.envelope_example.value["event_type"], "ping");
    assert_eq!(
        ex.envelope_example.line,
        line_of(&doc, "```json\n{\"event_type\"")
    );
}

#[test]
fn tolerates_index_lists_extra_sections_other_languages_and_order() {
    let doc = format!(
        "# Webhook Events\n\nIntro.\n\n{PAYLOAD}\
         ## Event Types (EventType)\n\n\
         * [task_stopped](#task_stopped)\n* [ping](#ping)\n\n\
         ### task_stopped\n\nProse.\n\n```bash\ncurl -X POST {{not json\n```\n\n\
         #### Example\n\n```JSON\n{{}}\n```\n\n#### Schema\n\n```json\n{}\n```\n\n\
         #### Notes\n\n```json\n[1, 2]\n```\n\n\
         {}\
         {}\n\
         ## Event Grid Payload format\n\n### Example\n\n```json\n[{{\"eventType\": \"ping\", \"eventTime\": \"2023-01-01T00:00:00\"}}]\n```\n\n\
         ```rust\nfn main() {{}}\n```\n",
        titled("EventTaskStopped"),
        event("ping", "{}", &titled("EventPing")),
        full_schema("EventType", &[("ping", "EventPing"), ("task_stopped", "EventTaskStopped")]),
    );
    let ex = extract(&doc).unwrap();
    let names: Vec<&str> = ex.events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(names, ["task_stopped", "ping"]);
    assert_eq!(ex.event_type_enum, "EventType");
    assert_eq!(ex.events[0].title, "EventTaskStopped");
    assert_eq!(ex.events[0].example.line, line_of(&doc, "```JSON"));
}

#[test]
fn crlf_line_ends_give_the_same_values_and_lines() {
    let lf = small_doc();
    let crlf = lf.replace('\n', "\r\n");
    let a = extract(&lf).unwrap();
    let b = extract(&crlf).unwrap();
    assert_eq!(a, b);
}

#[test]
fn crlf_invalid_json_reports_the_doc_line() {
    let doc = small_doc()
        .replace(
            "```json\n{}\n```",
            "```json\n{\n  \"a\": 1,\n  oops\n}\n```",
        )
        .replace('\n', "\r\n");
    let err = extract(&doc).unwrap_err();
    let ExtractError::InvalidJson {
        line,
        column,
        section,
        ..
    } = err
    else {
        panic!("unexpected {err:?}");
    };
    assert_eq!(line, line_of(&doc, "  oops"));
    assert_eq!(column, 3);
    assert_eq!(section, "`### ping` > `#### Example`");
}

#[test]
fn invalid_json_in_a_schema_fence_names_line_and_section() {
    let doc = small_doc().replace(
        &titled("WebhookEventTaskStopped"),
        "{\"title\": \"WebhookEventTaskStopped\",\n\"type\": object}",
    );
    let err = extract(&doc).unwrap_err();
    let ExtractError::InvalidJson { line, section, .. } = &err else {
        panic!("unexpected {err:?}");
    };
    assert_eq!(*line, line_of(&doc, "\"type\": object"));
    assert_eq!(section, "`### task_stopped` > `#### Schema`");
    assert!(err
        .to_string()
        .starts_with(&format!("doc line {line} column ")));
}

#[test]
fn event_without_example_is_an_error() {
    let ping = event("ping", "{}", &titled("WebhookEventPing"));
    let doc = small_doc().replace(
        &ping,
        &ping.replace("#### Example\n\n```json\n{}\n```\n\n", ""),
    );
    let err = extract(&doc).unwrap_err();
    assert_eq!(
        err,
        ExtractError::MissingFence {
            section: "`### ping` > `#### Example`".into(),
            line: line_of(&doc, "### ping"),
        }
    );
}

#[test]
fn event_without_schema_is_an_error() {
    let stopped = event("task_stopped", "{}", &titled("WebhookEventTaskStopped"));
    let doc = small_doc().replace(&stopped, &stopped.replace("#### Schema", "#### Sketch"));
    let err = extract(&doc).unwrap_err();
    assert_eq!(
        err,
        ExtractError::MissingFence {
            section: "`### task_stopped` > `#### Schema`".into(),
            line: line_of(&doc, "### task_stopped"),
        }
    );
}

#[test]
fn duplicate_event_section_is_an_error() {
    let doc = small_doc().replace(
        "## Full Event Schema",
        &format!(
            "{}## Full Event Schema",
            event("ping", "{}", &titled("WebhookEventPing"))
        ),
    );
    let err = extract(&doc).unwrap_err();
    let first = line_of(&doc, "### ping");
    let second = doc[..doc.rfind("### ping").unwrap()].matches('\n').count() + 1;
    assert!(second > first);
    assert_eq!(
        err,
        ExtractError::DuplicateEvent {
            event: "ping".into(),
            line: second,
            first_line: first
        }
    );
}

#[test]
fn section_missing_from_the_enum_is_an_error() {
    let doc = small_doc().replace(
        "## Full Event Schema",
        &format!(
            "{}## Full Event Schema",
            event("node_created", "{}", &titled("WebhookEventNodeCreated"))
        ),
    );
    let err = extract(&doc).unwrap_err();
    assert_eq!(
        err,
        ExtractError::EventNotInEnum {
            event: "node_created".into(),
            enum_name: "WebhookEventType".into(),
            line: line_of(&doc, "### node_created"),
        }
    );
}

#[test]
fn enum_value_without_a_section_is_an_error() {
    let doc = small_doc().replace(
        "\"task_stopped\"\n",
        "\"task_stopped\",\n        \"job_created\"\n",
    );
    let err = extract(&doc).unwrap_err();
    assert_eq!(
        err,
        ExtractError::EventNotDocumented {
            event: "job_created".into(),
            enum_name: "WebhookEventType".into(),
            line: line_of(&doc, "## Full Event Schema") + 2,
        }
    );
}

#[test]
fn any_of_entry_without_an_event_is_an_error() {
    let doc = small_doc().replace(
        "\"#/definitions/WebhookEventTaskStopped\"",
        "\"#/definitions/WebhookEventTaskHalted\"",
    );
    let err = extract(&doc).unwrap_err();
    assert_eq!(
        err,
        ExtractError::UnmatchedAnyOf {
            reference: "#/definitions/WebhookEventTaskHalted".into(),
            line: line_of(&doc, "## Full Event Schema") + 2,
        }
    );
}

#[test]
fn missing_payload_section_is_an_error() {
    let doc = small_doc().replace("## Payload", "## Delivery");
    assert_eq!(
        extract(&doc).unwrap_err(),
        ExtractError::MissingSection { section: "Payload" }
    );
}

#[test]
fn missing_full_event_schema_section_is_an_error() {
    let doc = small_doc().replace("## Full Event Schema", "## Envelope");
    assert_eq!(
        extract(&doc).unwrap_err(),
        ExtractError::MissingSection {
            section: "Full Event Schema"
        }
    );
}

#[test]
fn conflicting_definitions_name_both_events() {
    let a = json!({"title": "WebhookEventPing", "definitions": {"UserInfo": {"type": "object"}}});
    let b = json!({"title": "WebhookEventTaskStopped", "definitions": {"UserInfo": {"type": "string"}}});
    let doc = small_doc()
        .replace(&titled("WebhookEventPing"), &a.to_string())
        .replace(&titled("WebhookEventTaskStopped"), &b.to_string());
    let err = extract(&doc).unwrap_err();
    let schema_line = line_of(&doc, &b.to_string()) - 1;
    assert_eq!(
        err,
        ExtractError::DefinitionConflict {
            name: "UserInfo".into(),
            first: "ping".into(),
            second: "task_stopped".into(),
            line: schema_line,
        }
    );
}

#[test]
fn arbitrary_input_does_not_panic() {
    let doc = small_doc();
    for cut in 0..doc.len() {
        if doc.is_char_boundary(cut) {
            let _ = extract(&doc[..cut]);
        }
    }
    for junk in [
        "",
        "#",
        "## Event Types (",
        "### \n```json\n",
        "```json\n{\n```",
        "## Payload\n### Example\n```json\n[\n",
    ] {
        let _ = extract(junk);
    }
}

/// Facts read off a copy of the revision pinned before the history was
/// imported (`tests/fixtures/pinned_2020-11-24.md`), by hand.
#[test]
fn pinned_doc() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/pinned_2020-11-24.md"
    );
    let doc = std::fs::read_to_string(path).unwrap();
    let ex = extract(&doc).unwrap();
    let facts: Vec<(&str, &str, usize, usize, usize)> = ex
        .events
        .iter()
        .map(|e| {
            (
                e.event_type.as_str(),
                e.title.as_str(),
                e.heading_line,
                e.example.line,
                e.schema.line,
            )
        })
        .collect();
    assert_eq!(
        facts,
        [
            ("task_created", "WebhookEventTaskCreated", 24, 28, 68),
            ("task_stopped", "WebhookEventTaskStopped", 444, 448, 462),
            ("task_failed", "WebhookEventTaskFailed", 513, 517, 537),
            ("ping", "WebhookEventPing", 639, 643, 651),
        ]
    );
    assert_eq!(ex.envelope_example.line, 11);
    assert_eq!(ex.envelope_schema.line, 667);
    assert_eq!(ex.event_type_enum, "WebhookEventType");
    assert_eq!(ex.envelope_schema.value["title"], "WebhookMessage");
    assert_eq!(
        ex.envelope_example.value["event"]["ping_id"],
        "00000000-0000-0000-0000-000000000000"
    );
    assert_eq!(ex.events[2].example.value["error"]["code"], 468);
    let defs: Vec<&str> = ex.definitions.keys().map(String::as_str).collect();
    assert_eq!(
        defs,
        [
            "TaskType",
            "ContainerType",
            "StatsFormat",
            "TaskDetails",
            "TaskVm",
            "TaskPool",
            "TaskContainers",
            "TaskDebugFlag",
            "TaskConfig",
            "UserInfo",
            "ErrorCode",
            "Error"
        ]
    );
}
