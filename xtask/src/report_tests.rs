use serde_json::{json, Value};

use super::*;

/// Schemas whose envelope defines `definitions` and nothing else.
fn schemas(definitions: Value) -> SchemaSet {
    SchemaSet {
        envelope: json!({"title": "WebhookMessage", "definitions": definitions}),
        events: Default::default(),
    }
}

fn details(duration: Value) -> SchemaSet {
    schemas(json!({
        "TaskDetails": {
            "title": "TaskDetails",
            "type": "object",
            "properties": {"duration": duration},
            "required": ["duration"]
        }
    }))
}

fn api(source: &str) -> Api {
    Api::parse(source).unwrap()
}

/// Each entry as `(class, item, change, explanation texts)`.
fn entries(report: &Report) -> Vec<(Bump, &str, &str, Vec<&str>)> {
    report
        .items
        .iter()
        .map(|e| {
            let why = e.explanation.iter().map(|x| x.text.as_str()).collect();
            (e.class, e.item.as_str(), e.change.as_str(), why)
        })
        .collect()
}

#[test]
fn a_bound_that_changes_the_rust_type_is_major_explained_by_the_keyword() {
    let old = details(json!({"type": "integer"}));
    let new = details(json!({"type": "integer", "minimum": 1, "maximum": 168}));
    let report = report(
        &old,
        &new,
        &api("pub struct TaskDetails { pub duration: i64 }"),
        &api("pub struct TaskDetails { pub duration: ::std::num::NonZeroU64 }"),
    );
    assert_eq!(
        entries(&report),
        [(
            Bump::Major,
            "TaskDetails",
            "`duration`: type `i64` → `NonZeroU64`",
            vec!["`minimum` none → 1", "`maximum` none → 168"]
        )]
    );
    assert_eq!(report.verdict, Bump::Major);
    assert_eq!(
        report.verdict_line(),
        "Major: 1, Minor: 0, Patch: 0 — the next release needs a major version bump"
    );
}

#[test]
fn a_bound_that_changes_no_rust_type_is_a_patch() {
    let old = details(json!({"type": "integer"}));
    let new = details(json!({"type": "integer", "maximum": 168}));
    let same = api("pub struct TaskDetails { pub duration: i64 }");
    let report = report(&old, &new, &same, &same);
    assert_eq!(
        entries(&report),
        [(
            Bump::Patch,
            "TaskDetails",
            "`duration`: `maximum` none → 168; no Rust type changed",
            vec!["`duration`: `maximum` none → 168"]
        )]
    );
    assert_eq!(report.counts.patch, 1);
}

/// `ErrorCode` → `i64`, not `null`, in the API change and its explanation.
#[test]
fn a_type_change_names_both_types() {
    let error = |code: Value| {
        schemas(json!({
            "Error": {"title": "Error", "type": "object", "properties": {"code": code}}
        }))
    };
    let report = report(
        &error(json!({"$ref": "#/definitions/ErrorCode"})),
        &error(json!({"type": "integer"})),
        &api("pub struct Error { pub code: ErrorCode }"),
        &api("pub struct Error { pub code: i64 }"),
    );
    assert_eq!(
        entries(&report),
        [(
            Bump::Major,
            "Error",
            "`code`: type `ErrorCode` → `i64`",
            vec!["type `ErrorCode` → `integer`"]
        )]
    );
}

/// The schema's rename, the reference to it and the API's rename are one
/// entry; the old type is not also reported removed.
#[test]
fn a_renamed_type_is_one_entry() {
    let ping = |title: &str| json!({"title": title, "type": "object", "properties": {}});
    let with_ref = |title: &str| {
        let mut set = schemas(json!({title: ping(title)}));
        set.envelope["properties"] = json!({"event": {"$ref": format!("#/definitions/{title}")}});
        set
    };
    let report = report(
        &with_ref("WebhookEventPing"),
        &with_ref("EventPing"),
        &api("pub struct WebhookEventPing {} pub struct WebhookMessage { pub event: WebhookEventPing }"),
        &api("pub struct EventPing {} pub struct WebhookMessage { pub event: EventPing }"),
    );
    assert_eq!(
        entries(&report),
        [(
            Bump::Major,
            "EventPing",
            "renamed from `WebhookEventPing`",
            vec![
                "renamed `WebhookEventPing` → `EventPing`",
                "WebhookMessage: type `WebhookEventPing` → `EventPing` at /properties/event"
            ]
        )]
    );
}

#[test]
fn a_new_event_type_explains_its_variants() {
    let mut old = schemas(json!({}));
    old.events
        .insert("ping".into(), json!({"title": "EventPing"}));
    let mut new = old.clone();
    new.events
        .insert("job_created".into(), json!({"title": "EventJobCreated"}));
    let report = report(
        &old,
        &new,
        &api("#[non_exhaustive] pub enum WebhookEventType { Ping }"),
        &api("#[non_exhaustive] pub enum WebhookEventType { Ping, JobCreated }"),
    );
    assert_eq!(
        entries(&report),
        [(
            Bump::Minor,
            "WebhookEventType",
            "new variant `JobCreated`",
            vec!["job_created: event type added"]
        )]
    );
}

fn many_changes() -> Report {
    let variants: Vec<String> = (0..30).map(|i| format!("LongVariantName{i}")).collect();
    let long_type = format!(
        "Option<BTreeMap<String, Vec<{}>>>",
        "VeryLongTypeName".repeat(6)
    );
    let new = format!(
        "pub enum TaskType {{ Fuzz, {} }} pub struct TaskDetails {{ pub duration: {long_type} }}",
        variants.join(", ")
    );
    let old = details(json!({"type": "integer"}));
    let mut keywords = json!({"type": "integer"});
    for (i, keyword) in ["minimum", "maximum", "multipleOf", "exclusiveMaximum"]
        .iter()
        .enumerate()
    {
        keywords[*keyword] = json!(i);
    }
    report(
        &old,
        &details(keywords),
        &api("pub enum TaskType { Fuzz } pub struct TaskDetails { pub duration: i64 }"),
        &api(&new),
    )
}

#[test]
fn the_verdict_is_line_one_and_no_line_is_wider_than_the_terminal() {
    let report = many_changes();
    let text = report.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Major: 31, Minor: 0, Patch: 0 — the next release needs a major version bump"
    );
    for line in &lines {
        assert!(
            line.chars().count() <= WIDTH,
            "{} columns: {line}",
            line.len()
        );
    }
    // 30 variants share one line: a count and the first few names.
    let variants = lines
        .iter()
        .find(|l| l.contains("new variants"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        variants.starts_with("  [Major] 30 new variants: `LongVariantName0`, `LongVariantName1`"),
        "{variants}"
    );
    assert!(variants.ends_with(" more"), "{variants}");
    // The type change wraps onto continuation lines, indented, and shows
    // three of its four explanations.
    let start = lines
        .iter()
        .position(|l| l.starts_with("  [Major] `duration`"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(lines[start + 1].starts_with("          "), "{text}");
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("; and 1 more)"), "{text}");
    // Types with major changes, each once, under its own heading.
    assert_eq!(lines.iter().filter(|l| **l == "TaskType").count(), 1);
    assert_eq!(lines.iter().filter(|l| **l == "TaskDetails").count(), 1);
}

#[test]
fn json_form_has_verdict_counts_and_items_with_class_and_explanation() {
    let value = serde_json::to_value(many_changes()).unwrap();
    assert_eq!(value["verdict"], "major");
    assert_eq!(
        value["counts"],
        json!({"major": 31, "minor": 0, "patch": 0})
    );
    let duration = value["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["member"] == "duration")
        .unwrap();
    assert_eq!(duration["class"], "major");
    assert_eq!(duration["item"], "TaskDetails");
    assert_eq!(duration["api"]["change"], "field_type_changed");
    assert_eq!(duration["explanation"].as_array().unwrap().len(), 4);
    assert_eq!(duration["explanation"][0]["kind"], "keyword_changed");
    assert_eq!(duration["explanation"][0]["keyword"], "minimum");
}

#[test]
fn wrap_breaks_at_spaces_and_cuts_a_word_wider_than_a_line() {
    let word = "x".repeat(150);
    let lines = wrap("  [Major] ", &format!("short {word} end"));
    assert_eq!(lines[0], "  [Major] short");
    assert_eq!(lines[1], format!("          {}", "x".repeat(90)));
    assert_eq!(lines[2], format!("          {} end", "x".repeat(60)));
    assert_eq!(truncate(&"y".repeat(120)).chars().count(), WIDTH);
    assert_eq!(truncate("short"), "short");
}

/// A name given to a value is the new const it explains; one taken away
/// is the const removed, a major change.
#[test]
fn a_value_name_explains_its_const() {
    let codes = |names: Value| {
        schemas(json!({"Code": {"title": "Code", "enum": [1, 2], "x-names": names}}))
    };
    let code = |consts: &str| {
        api(&format!(
            "pub struct Code(i64); impl Code {{ {consts} pub const KNOWN: &'static [i64] = &[1, 2]; }}"
        ))
    };
    let one = code("pub const ONE: Code = Code(1);");
    let both = code("pub const ONE: Code = Code(1); pub const TWO: Code = Code(2);");
    let (only_one, one_and_two) = (
        codes(json!({"1": "ONE"})),
        codes(json!({"1": "ONE", "2": "TWO"})),
    );
    let added = report(&only_one, &one_and_two, &one, &both);
    assert_eq!(
        entries(&added),
        [(
            Bump::Minor,
            "Code",
            "new `const TWO: Code = Code(2)`",
            vec!["value 2 named `TWO`"]
        )]
    );
    let removed = report(&one_and_two, &only_one, &both, &one);
    assert_eq!(
        entries(&removed),
        [(
            Bump::Major,
            "Code",
            "`const TWO: Code = Code(2)` removed",
            vec!["value 2 no longer named `TWO`"]
        )]
    );
}
