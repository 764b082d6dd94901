//! The crate-side rows of `docs/bad-input.md`: each bad input, what the
//! user sees, and that nothing panics. Event types and field names come
//! from `schemas/`.

mod arbitrary;
mod common;

use arbitrary::mutate::{self, display_path, Edit, Kind, Seg};
use common::{doc_messages, event_first, event_last, events, parse, required, resolve, wrap};
use onefuzz_webhook_types::{UnknownEvent, WebhookEvent, WebhookEventType, WebhookMessage};
use serde_json::{json, Value};

/// A body that comes before `event_type` is buffered; an error about the
/// body as a whole is reported at `event`, like one that comes after. (Not
/// an array: without `preserve-unknown-fields` an array is serde's sequence
/// form of a struct, a listed gap.)
#[test]
fn wrong_type_for_a_held_back_event_body_is_reported_at_event() {
    for event in events() {
        let text = event_first(&wrap(&event.event_type, &json!(true)));
        let error = WebhookMessage::from_str(&text).unwrap_err().to_string();
        assert!(
            error.starts_with("event: invalid "),
            "{}: {error}",
            event.event_type
        );
    }
}

/// Bodies under event types no version of the doc has used: one with every
/// kind of JSON value, then each doc example under a name made from its own.
fn unknown_type_bodies() -> Vec<(String, Value)> {
    let mut bodies = vec![(
        "zz_event_from_the_future".to_owned(),
        json!({
            "id": "6c2e1d1e-6b55-4a38-9a4b-6d5d39c3b1f0",
            "count": 3,
            "ratio": 0.5,
            "flags": [true, false, null],
            "nested": {"list": [{"a": 1}, {"b": [2, 3]}], "empty": {}},
        }),
    )];
    bodies.extend(
        events()
            .into_iter()
            .map(|e| (format!("{}_from_a_newer_sender", e.event_type), e.example)),
    );
    bodies
}

/// In both key orders: `event` after `event_type` (parsed directly) and
/// before it (the body is buffered until `event_type` is known).
#[test]
fn unknown_event_type_is_kept_whole() {
    for (event_type, body) in unknown_type_bodies() {
        assert_eq!(WebhookEventType::known(&event_type), None);
        let message = wrap(&event_type, &body);
        for text in [event_last(&message), event_first(&message)] {
            let parsed = WebhookMessage::from_str(&text)
                .unwrap_or_else(|e| panic!("{event_type}: {e}\nin {text}"));
            assert_eq!(
                parsed.event_type(),
                WebhookEventType::Unknown(event_type.clone())
            );
            assert_eq!(parsed.event_type().to_string(), event_type);
            match &parsed.event {
                WebhookEvent::Unknown(unknown) => {
                    assert_eq!(unknown.event_type, event_type);
                    assert_eq!(unknown.event, body);
                }
                other => panic!("{event_type} parsed as {:?}", other.event_type()),
            }
            assert_eq!(
                parsed.event,
                WebhookEvent::Unknown(UnknownEvent {
                    event_type: event_type.clone(),
                    event: message["event"].clone(),
                })
            );
            assert_eq!(serde_json::to_value(&parsed).unwrap(), message);
        }
    }
}

/// A value of another JSON type than `value`'s.
fn wrong_type(value: &Value) -> Value {
    match value {
        Value::String(_) => json!(12345),
        Value::Number(_) | Value::Bool(_) | Value::Null => json!("not the right type"),
        Value::Array(_) => json!({"not": "an array"}),
        Value::Object(_) => json!(["not", "an", "object"]),
    }
}

/// The type a property's schema names, its `$ref`s followed.
fn property_type<'a>(event: &'a common::Event, field: &str) -> Option<&'a str> {
    let property = event.schema.get("properties")?.get(field)?;
    resolve(&event.schema, property).get("type")?.as_str()
}

/// `true` in each required field (a string where the field is boolean), and
/// a value of another JSON type in each field of the example.
#[test]
fn wrong_field_type_names_the_field_and_position() {
    for event in events() {
        let Value::Object(fields) = &event.example else {
            panic!("{}: example is not an object", event.event_type)
        };
        let edits = required(&event.schema)
            .into_iter()
            .map(|field| {
                let wrong = match property_type(&event, &field) {
                    Some("boolean") => json!("not a boolean"),
                    _ => json!(true),
                };
                (field, wrong)
            })
            .chain(fields.iter().map(|(f, v)| (f.clone(), wrong_type(v))));
        for (field, wrong) in edits {
            let mut body = event.example.clone();
            body[&field] = wrong.clone();
            let message = wrap(&event.event_type, &body);
            let what = format!("{}: {field} = {wrong}", event.event_type);
            // `parse` checks that both key orders fail at the same path.
            parse(&message).unwrap_err();
            for text in [event_last(&message), event_first(&message)] {
                let error = WebhookMessage::from_str(&text).unwrap_err();
                let shown = error.to_string();
                let path = error.path();
                // serde reads a struct from an array positionally, so an
                // array in place of an object fails at its first element.
                if wrong.is_array() {
                    assert!(
                        path == format!("event.{field}")
                            || path.starts_with(&format!("event.{field}[")),
                        "{what}: {shown}"
                    );
                } else {
                    // Also when the body came first and was buffered.
                    assert_eq!(path, format!("event.{field}"), "{what}: {shown}");
                }
                // serde_json words it "invalid type: boolean `true`, ..." for
                // most types, "expected value" for an enum.
                assert!(shown.starts_with(&format!("{path}: ")), "{what}: {shown}");
                assert!(shown.contains(" at line 1 column "), "{what}: {shown}");
            }
        }
    }
}

#[test]
fn non_utf8_body_is_an_error_with_its_position() {
    let example = common::envelope_example();
    // Invalid UTF-8 outside any string.
    let error = WebhookMessage::from_slice(b"\xff\xfe{}").unwrap_err();
    assert_eq!(error.path(), ".");
    assert_eq!(
        error.to_string(),
        "not JSON at line 1 column 1: expected value"
    );
    // Invalid UTF-8 inside a string value: every string field of the
    // envelope example, in turn.
    for (key, value) in example.as_object().unwrap() {
        if !value.is_string() {
            continue;
        }
        let mut text = example.clone();
        text[key] = json!("MARK");
        let bytes = text
            .to_string()
            .replace("MARK", "ab\u{0}")
            .into_bytes()
            .into_iter()
            .map(|b| if b == 0 { 0xff } else { b })
            .collect::<Vec<u8>>();
        let error = WebhookMessage::from_slice(&bytes).unwrap_err();
        let shown = error.to_string();
        assert_eq!(error.path(), key, "{shown}");
        assert!(
            shown.starts_with(&format!("not JSON inside {key} at line 1 column "))
                && shown.ends_with(": invalid unicode code point"),
            "{key}: {shown}"
        );
    }
}

/// JSON nested 100,000 levels deep, in each place a message can hold it.
#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let event = &events()[0];
    let known = serde_json::to_string(&event.event_type).unwrap();
    let head = envelope_head();
    // Named by where the nesting starts, not by its 100,000-deep path.
    let limit = "JSON nested too deep inside event at line 1 column ";
    // Where a type is expected, the first level is rejected before the
    // parser descends; elsewhere serde_json's recursion limit (128) stops it.
    // serde reads a struct from an array of its fields, except with the
    // feature or when it has optional fields (see tests/properties.rs).
    let as_event =
        if cfg!(feature = "preserve-unknown-fields") || common::has_optional(&event.schema) {
            "event: invalid type: sequence"
        } else {
            "event[0]: invalid type: sequence"
        };
    let cases = [
        (
            "the whole body",
            nested.clone(),
            "invalid type: sequence, expected a webhook message object at line 1 column 0",
        ),
        (
            "an event body after a known event_type",
            format!(r#"{head}"event_type":{known},"event":{nested}}}"#),
            as_event,
        ),
        // Held back as text (skimmed without recursion), then read as in
        // the other order.
        (
            "an event body before event_type",
            format!(r#"{head}"event":{nested},"event_type":{known}}}"#),
            as_event,
        ),
        (
            "the body of an unknown event type",
            format!(r#"{head}"event_type":"x","event":{nested}}}"#),
            limit,
        ),
    ];
    for (place, text, expected) in cases {
        let error = WebhookMessage::from_str(&text).unwrap_err();
        assert!(error.to_string().contains(expected), "{place}: {error}");
    }
    // A field the schema does not name is skipped without being built (no
    // recursion, so no limit), or kept as JSON with the feature.
    let text = format!(r#"{head}"x":{nested},"event_type":"x","event":{{}}}}"#);
    let parsed = WebhookMessage::from_str(&text);
    if cfg!(feature = "preserve-unknown-fields") {
        let error = parsed.unwrap_err().to_string();
        assert!(
            error.starts_with("JSON nested too deep inside x at line 1 column ")
                && error.ends_with(": recursion limit exceeded"),
            "{error}"
        );
    } else {
        let message = parsed.unwrap();
        assert_eq!(serde_json::to_value(&message).unwrap()["x"], Value::Null);
    }
}

/// Size of the big bodies.
const BIG: usize = 100 * 1024 * 1024;

/// The start of a message: `{`, the envelope example's fields other than
/// `event_type` and `event` (whatever the envelope of `schemas/` requires),
/// and a comma, ready for more fields.
fn envelope_head() -> String {
    let mut header = common::envelope_example();
    let fields = header
        .as_object_mut()
        .expect("the envelope example is an object");
    fields.remove("event");
    fields.remove("event_type");
    let mut head = serde_json::to_string(&header).unwrap();
    head.pop(); // the closing brace
    if head.len() > 1 {
        head.push(',');
    }
    head
}

/// A 100 MB body of each shape, by name, of an unknown event type.
fn big_body(case: &str, size: usize) -> Vec<u8> {
    let head = format!(r#"{}"event_type":"x","#, envelope_head());
    let mut body = Vec::with_capacity(size + 1024);
    match case {
        "garbage" => body.resize(size, b'x'),
        "trailing_whitespace" => {
            body.extend_from_slice(format!(r#"{head}"event":{{}}}}"#).as_bytes());
            body.resize(size, b' ');
        }
        "string_in_unknown_field" => {
            body.extend_from_slice(format!(r#"{head}"event":{{}},"x":""#).as_bytes());
            body.resize(size, b'a');
            body.extend_from_slice(b"\"}");
        }
        "array_in_unknown_field" => {
            body.extend_from_slice(format!(r#"{head}"event":{{}},"x":[0"#).as_bytes());
            while body.len() < size {
                body.extend_from_slice(b",0");
            }
            body.extend_from_slice(b"]}");
        }
        "array_as_unknown_event_body" => {
            body.extend_from_slice(format!(r#"{head}"event":[0"#).as_bytes());
            while body.len() < size {
                body.extend_from_slice(b",0");
            }
            body.extend_from_slice(b"]}");
        }
        "array_before_event_type" => {
            body.extend_from_slice(format!(r#"{}"event":[0"#, envelope_head()).as_bytes());
            while body.len() < size {
                body.extend_from_slice(b",0");
            }
            body.extend_from_slice(br#"],"event_type":"x"}"#);
        }
        other => panic!("no big body {other}"),
    }
    body
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Run by `big_bodies_parse_fast_with_bounded_memory` in a process of its
/// own, so that the peak memory measured is this parse's alone.
#[test]
#[ignore = "run by big_bodies_parse_fast_with_bounded_memory"]
fn big_body_child() {
    let Ok(case) = std::env::var("BIG_BODY_CASE") else {
        return;
    };
    let size = std::env::var("BIG_BODY_SIZE").map_or(BIG, |s| s.parse().unwrap());
    let body = big_body(&case, size);
    // Resets the peak to the current size (Linux, `clear_refs` value 5).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = peak_rss_kb();
    let start = std::time::Instant::now();
    let parsed = WebhookMessage::from_slice(&body);
    let ms = start.elapsed().as_millis();
    let extra_kb = peak_rss_kb().saturating_sub(before);
    let outcome = match &parsed {
        Ok(_) => "ok".to_owned(),
        Err(e) => format!("error: {e}"),
    };
    println!("BIG_BODY ms={ms} extra_kb={extra_kb} outcome={outcome}");
}

/// Each big body: the outcome, the time, and the memory used beyond the
/// body itself. Bodies that are skipped cost nothing beyond the parser's
/// own; the body of an unknown event type is held as `serde_json::Value`
/// (when it comes before `event_type`, as its text first, then read into
/// the `Value`), which for an array of small numbers takes up to 32 times
/// the input (a 32-byte `Value` per two-byte element, and a `Vec` that may
/// be twice as large as it needs):
/// callers should cap the request size. That case runs at 10 MB here, to keep CI
/// fast; the ratio is the same.
#[test]
fn big_bodies_parse_fast_with_bounded_memory() {
    let kb = |bytes: usize| (bytes / 1024) as u64;
    let cases: [(&str, usize, &str, u64); 6] = [
        (
            "garbage",
            BIG,
            "error: not JSON at line 1 column 1: expected value",
            4096,
        ),
        ("trailing_whitespace", BIG, "ok", 4096),
        // Kept with `preserve-unknown-fields`: a copy of the string, and the
        // array as `Value` (run at a tenth of the size, as below).
        if cfg!(feature = "preserve-unknown-fields") {
            ("string_in_unknown_field", BIG, "ok", 2 * kb(BIG))
        } else {
            ("string_in_unknown_field", BIG, "ok", 4096)
        },
        if cfg!(feature = "preserve-unknown-fields") {
            ("array_in_unknown_field", BIG / 10, "ok", 40 * kb(BIG / 10))
        } else {
            ("array_in_unknown_field", BIG, "ok", 4096)
        },
        (
            "array_as_unknown_event_body",
            BIG / 10,
            "ok",
            40 * kb(BIG / 10),
        ),
        // Held as its text first: one copy of the body more than the
        // usual order, at the peak.
        ("array_before_event_type", BIG / 10, "ok", 41 * kb(BIG / 10)),
    ];
    for (case, size, outcome, max_extra_kb) in cases {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "big_body_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("BIG_BODY_CASE", case)
            .env("BIG_BODY_SIZE", size.to_string())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("BIG_BODY ").map(|(_, result)| result))
            .unwrap_or_else(|| {
                panic!(
                    "{case}: no result: {stdout}{}",
                    String::from_utf8_lossy(&output.stderr)
                )
            });
        eprintln!("{case}: {line}");
        let field = |name: &str| -> u64 {
            line.split_whitespace()
                .find_map(|f| f.strip_prefix(&format!("{name}=")))
                .and_then(|v| v.parse().ok())
                .unwrap()
        };
        let (_, shown) = line.split_once("outcome=").unwrap();
        assert!(shown.starts_with(outcome), "{case}: {shown}");
        assert!(field("extra_kb") <= max_extra_kb, "{case}: {line}");
        assert!(field("ms") < 60_000, "{case}: {line}");
    }
}

#[test]
fn missing_required_field_names_the_field() {
    for event in events() {
        for field in required(&event.schema) {
            let mut body = event.example.clone();
            body.as_object_mut().unwrap().remove(&field);
            let message = wrap(&event.event_type, &body);
            // Also when the body came first and was buffered.
            for text in [event_last(&message), event_first(&message)] {
                let error = WebhookMessage::from_str(&text).unwrap_err();
                assert_eq!(error.path(), "event", "{}: {error}", event.event_type);
                assert!(
                    error
                        .to_string()
                        .starts_with(&format!("event: missing field `{field}` at line 1 column ")),
                    "{}: {error}",
                    event.event_type
                );
            }
        }
    }
}

/// Found by the property tests at 100,000 cases: a map key holding `": "`
/// inside a buffered body. The path is found structurally, not by reading
/// the message, so it is exact whatever the keys contain.
#[test]
fn a_held_back_body_error_under_a_key_with_a_separator_has_its_exact_path() {
    let mut tested = 0;
    for event in events() {
        // An object is wrong for the field only where the field is no object.
        let required = required(&event.schema);
        let Some(field) = required
            .iter()
            .find(|f| property_type(&event, f) != Some("object"))
        else {
            continue;
        };
        let mut body = event.example.clone();
        body[field.as_str()] = json!({"a: b": 1, "c.d": [true]});
        tested += 1;
        let message = wrap(&event.event_type, &body);
        // `parse` also checks that the buffered order fails at the same path.
        let error = parse(&message).unwrap_err();
        assert!(
            error.path().starts_with(&format!("event.{field}")),
            "{}: {error}",
            event.event_type
        );
    }
    assert!(
        tested > 0,
        "no event has a required field that is not an object"
    );
}

/// Only the body's own error is reported at its path: a message that lacks
/// an envelope field fails there even when its buffered body is bad too.
#[test]
fn a_missing_envelope_field_is_not_blamed_on_a_held_back_body() {
    let event = &events()[0];
    let mut message = wrap(&event.event_type, &json!(["not", "a", "body"]));
    let envelope_required = required(&common::envelope_schema());
    let missing = envelope_required
        .iter()
        .find(|f| *f != "event" && *f != "event_type")
        .expect("the envelope requires a field besides event and event_type");
    message.as_object_mut().unwrap().remove(missing);
    let error = WebhookMessage::from_str(&event_first(&message)).unwrap_err();
    assert_eq!(error.path(), ".", "{error}");
    assert!(
        error
            .to_string()
            .contains(&format!("missing field `{missing}`")),
        "{error}"
    );
}

/// The message texts, `event` last and `event` first, of an event of type
/// `event_type` whose body is `body`, written as is (it may repeat a name,
/// which a `Value` cannot hold).
fn with_raw_body(event_type: &str, body: &str) -> [String; 2] {
    let head = envelope_head();
    let tag = json!(event_type);
    [
        format!(r#"{head}"event_type":{tag},"event":{body}}}"#),
        format!(r#"{head}"event":{body},"event_type":{tag}}}"#),
    ]
}

/// `body` as JSON text with `members` (such as `"a":1,"a":2`) written first.
fn with_members_first(body: &Value, members: &str) -> String {
    let text = serde_json::to_string(body).unwrap();
    let rest = text.strip_prefix('{').expect("the body is an object");
    let comma = if rest == "}" { "" } else { "," };
    format!("{{{members}{comma}{rest}")
}

/// A body that names one of its fields twice is an error, whichever of
/// `event` and `event_type` comes first: the buffered body keeps both.
#[test]
fn a_field_repeated_in_a_body_is_an_error_in_either_order() {
    let mut checked = 0;
    for event in events() {
        let Some((field, value)) = event.example.as_object().and_then(|f| f.iter().next()) else {
            continue;
        };
        let repeated = with_members_first(&event.example, &format!("{}:{value}", json!(field)));
        for text in with_raw_body(&event.event_type, &repeated) {
            let error = WebhookMessage::from_str(&text).unwrap_err();
            assert_eq!(error.path(), "event", "{text}: {error}");
            assert!(
                error.to_string().starts_with(&format!(
                    "event: duplicate field `{field}` at line 1 column "
                )),
                "{text}: {error}"
            );
        }
        checked += 1;
    }
    assert!(checked > 0, "no example has a field");
}

/// A name the schema does not know, repeated: the last value is kept, the
/// same in either order.
#[test]
fn a_repeated_unknown_member_is_read_the_same_in_either_order() {
    for event in events() {
        let repeated = with_members_first(&event.example, r#""zz_unknown":1,"zz_unknown":2"#);
        let [last, first] = with_raw_body(&event.event_type, &repeated);
        let last = WebhookMessage::from_str(&last).unwrap();
        assert_eq!(last, WebhookMessage::from_str(&first).unwrap());
        #[cfg(feature = "preserve-unknown-fields")]
        {
            let json = serde_json::to_value(&last).unwrap();
            assert_eq!(json["event"]["zz_unknown"], 2, "{}", event.event_type);
        }
    }
}

/// A string that no doc example holds, to find a place in a message's text.
const MARK: &str = "zz_mark";

/// Each doc message with one place marked by [`MARK`], and the path of the
/// value that a parse reads there: each string value replaced by `MARK`
/// (at the string's path), and each object given a member named `MARK` (a
/// parse inside that name is at the object), at every depth.
fn marked_messages() -> Vec<(Value, String, MarkedAs)> {
    let mut out = Vec::new();
    for (_, message) in doc_messages() {
        mark(&message, &message, &mut Vec::new(), &mut out);
    }
    assert!(
        !out.is_empty(),
        "the doc messages have no string and no object"
    );
    out
}

#[derive(Clone, Copy, PartialEq)]
enum MarkedAs {
    StringValue,
    MemberName,
}

fn mark(
    message: &Value,
    value: &Value,
    path: &mut Vec<Seg>,
    out: &mut Vec<(Value, String, MarkedAs)>,
) {
    let edit = |edit| {
        let site = mutate::Site {
            path: path.clone(),
            kind: Kind::UnknownProperty,
            edit,
        };
        site.apply(message)
    };
    match value {
        Value::String(_) => out.push((
            edit(Edit::Replace(json!(MARK))),
            display_path(path),
            MarkedAs::StringValue,
        )),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                mark(message, item, path, out);
                path.pop();
            }
        }
        Value::Object(fields) => {
            out.push((
                edit(Edit::Insert(MARK.to_owned(), json!(1))),
                display_path(path),
                MarkedAs::MemberName,
            ));
            for (key, field) in fields {
                path.push(Seg::Key(key.clone()));
                mark(message, field, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `path` in words, as `ParseError` writes it.
fn place(path: &str) -> &str {
    if path == "." {
        "the message"
    } else {
        path
    }
}

/// A message cut off inside each string, value or member name, at every
/// depth, in both key orders: the error names the value being read and
/// where the input ended, and its path holds no `?`.
#[test]
fn truncated_input_names_the_value_it_ends_in() {
    for (message, path, _) in marked_messages() {
        for text in [event_last(&message), event_first(&message)] {
            // Inside the mark: `"zz_`.
            let cut = &text[..text.find(&format!("\"{MARK}")).unwrap() + 4];
            let error = WebhookMessage::from_str(cut).unwrap_err();
            assert_eq!(error.path(), path, "{error}\nin {cut}");
            assert_eq!(
                error.to_string(),
                format!(
                    "end of input inside {} (line 1 column {})",
                    place(&path),
                    cut.len()
                ),
                "in {cut}"
            );
        }
    }
}

/// Each string value written without its quotes, at every depth, in both
/// key orders: not JSON, at the value's path and position.
#[test]
fn text_that_is_not_json_is_named_with_its_place() {
    for (message, path, marked) in marked_messages() {
        if marked != MarkedAs::StringValue {
            continue;
        }
        for text in [event_last(&message), event_first(&message)] {
            let text = text.replace(&format!("\"{MARK}\""), MARK);
            let column = text.find(MARK).unwrap() + 1;
            let error = WebhookMessage::from_str(&text).unwrap_err();
            assert_eq!(error.path(), path, "{error}\nin {text}");
            assert_eq!(
                error.to_string(),
                format!("not JSON inside {path} at line 1 column {column}: expected value"),
                "in {text}"
            );
        }
    }
    // Not JSON from the first byte, like an HTML error page.
    for (_, message) in doc_messages() {
        let text = event_last(&message).replacen('{', "<", 1);
        let error = WebhookMessage::from_str(&text).unwrap_err();
        assert_eq!(error.path(), ".");
        assert_eq!(
            error.to_string(),
            "not JSON at line 1 column 1: expected value"
        );
    }
}

#[test]
fn empty_input_says_so() {
    for text in ["", " ", "\n\t "] {
        let error = WebhookMessage::from_str(text).unwrap_err();
        assert_eq!(error.path(), ".");
        assert_eq!(
            error.to_string(),
            format!(
                "no JSON value in the input (line {} column {})",
                error.line(),
                error.column()
            ),
        );
    }
}

/// Every JSON pointer in `value` at which there is an object.
fn object_pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, child) in members {
                let token = key.replace('~', "~0").replace('/', "~1");
                object_pointers(child, format!("{pointer}/{token}"), out);
            }
            out.push(pointer);
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                object_pointers(child, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A struct's serde impls go through private wire structs (codegen's null
/// record); an error must name the public type, never `struct Read`.
#[test]
fn an_array_where_a_struct_goes_names_the_public_type() {
    let mut named = 0;
    for (name, message) in doc_messages() {
        let mut pointers = Vec::new();
        object_pointers(&message["event"], "/event".to_owned(), &mut pointers);
        for pointer in pointers {
            let mut bad = message.clone();
            *bad.pointer_mut(&pointer).unwrap() = json!([]);
            let Err(error) = parse(&bad) else {
                continue;
            };
            let text = error.to_string();
            for private in ["struct Read", "struct Write"] {
                assert!(!text.contains(private), "{name} {pointer}: {text}");
            }
            named += usize::from(text.contains("expected struct "));
        }
    }
    // The check above saw serde's struct messages, not only other errors.
    assert!(named > 0, "no error named a struct");
}
