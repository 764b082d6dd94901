//! Property tests: the types accept what the schemas in `schemas/` describe,
//! emit only what they allow, and reject what they forbid.
//!
//! Instances come from `arbitrary`, which reads the schemas (never the Rust
//! types). For every event type, and for the envelope with a random event
//! type:
//!
//! - the instance validates against its schema (a check of the generator,
//!   with `format` asserted);
//! - it parses into `WebhookEvent` / `WebhookMessage`, as the variant of its
//!   `event_type`;
//! - it serializes back to JSON that validates and equals the input.
//!
//! Then single edits of valid instances (`arbitrary::mutate`) must be
//! rejected where they violate the schema, with the error naming the
//! edited location, except for the gaps listed below, each of which the
//! test asserts still exists, so that closing one fails the test until this
//! list is updated.
//!
//! # Normalizations
//!
//! Valid input never changes on the way through. Input the schemas do not
//! describe may; a re-serialized message then differs from what was received:
//!
//! - a `format: uuid` in uppercase is re-emitted in lowercase (same uuid);
//! - a `format: uuid` without hyphens, in braces or as a `urn:uuid:` is
//!   re-emitted hyphenated (same uuid; the schema rejects those forms);
//! - without feature `preserve-unknown-fields`, properties that the schema
//!   does not name are dropped (the schemas allow them: no schema in
//!   `schemas/` has `additionalProperties: false`). With the feature they are
//!   kept. This is the one normalization that loses information.
//!
//! # Gaps: where the types are looser or stricter than the schemas
//!
//! - an `event_type` outside the schema's enum is accepted, as
//!   [`WebhookEvent::Unknown`] with the body kept as JSON (by design, so that
//!   a newer sender does not break an older receiver);
//! - `null` for an optional field is accepted, in the envelope as in an
//!   event, and re-emitted as `null` (the C# service writes it for every
//!   absent field; the schema rejects it);
//! - a value outside an enum is accepted and kept as sent (a newer sender
//!   adds task types, node states, error codes, ...);
//! - uuids without hyphens, in braces or as URNs are accepted (above);
//! - `additionalProperties: false` is not enforced (the generator drops it;
//!   the mutation walk checks it wherever one appears);
//! - `minimum`/`maximum` are not enforced (the generator drops them, so a
//!   bound added upstream changes no Rust type; as above);
//! - a JSON array of a struct's fields, in the order typify declares them
//!   (sorted by name), is read as the struct (serde's sequence form) and
//!   re-emitted as an object, for a struct without optional fields; not
//!   with `preserve-unknown-fields`;
//! - stricter: an integer above `i64::MAX` is valid for the schema
//!   (`"type": "integer"` has no range) but rejected by the `i64` fields;
//! - stricter: an integer written with a zero fraction (`5.0`) is an integer
//!   for JSON Schema (draft 6 and later) but rejected by the `i64` fields.
//!
//! Cases per event type: `PROPTEST_CASES`, default 2000.

mod arbitrary;
mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;

use arbitrary::mutate::{self, Kind, Site};
use common::{envelope_schema, events, revisions};
use onefuzz_webhook_types::{WebhookEvent, WebhookMessage};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::{json, Value};

/// Edits tried per generated instance in the mutation tests.
const EDITS_PER_CASE: usize = 4;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .map(|n| n.parse().expect("PROPTEST_CASES must be a number"))
        .unwrap_or(2000)
}

fn runner() -> TestRunner {
    runner_with(cases())
}

fn runner_with(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Cases for each revision's own schemas: there are some 250 distinct
/// event schemas over the history, so each gets a 20th of the join's share.
fn revision_cases() -> u32 {
    (cases() / 20).max(10)
}

/// Validates with `format` asserted (uuid, date-time), which JSON Schema
/// leaves optional.
struct Schema {
    validator: jsonschema::Validator,
}

impl Schema {
    fn new(schema: &Value) -> Self {
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(schema)
            .expect("schema compiles");
        Self { validator }
    }

    fn errors(&self, instance: &Value) -> Vec<String> {
        self.validator
            .iter_errors(instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect()
    }

    fn check(&self, instance: &Value, what: &str) -> Result<(), TestCaseError> {
        let errors = self.errors(instance);
        prop_assert!(
            errors.is_empty(),
            "{what} is invalid: {errors:#?}\n{instance:#}"
        );
        Ok(())
    }
}

/// Writes a JSON object with its top-level keys in a chosen order (the
/// envelope deserializer takes `event_type` and `event` in either order).
fn text_in_order(object: &Value, rotate: usize) -> String {
    let Value::Object(fields) = object else {
        return object.to_string();
    };
    let mut entries: Vec<_> = fields.iter().collect();
    if !entries.is_empty() {
        let n = rotate % entries.len();
        entries.rotate_left(n);
    }
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}:{}", json!(k), v))
        .collect();
    format!("{{{}}}", body.join(","))
}

fn tagged(event_type: &str, body: &Value) -> Value {
    json!({"event_type": event_type, "event": body})
}

fn report<T: std::fmt::Debug>(what: &str, result: Result<(), TestError<T>>) {
    if let Err(e) = result {
        panic!("{what}: {e}");
    }
}

/// `body` of `event_type` parses into its variant, with its keys in the
/// order `rotate` picks, and comes back the same and valid for `schema`.
fn event_round_trips(
    event_type: &str,
    body: &Value,
    rotate: usize,
    schema: &Schema,
) -> Result<(), TestCaseError> {
    let input = tagged(event_type, body);
    let parsed: WebhookEvent = serde_json::from_str(&text_in_order(&input, rotate))
        .map_err(|e| TestCaseError::fail(format!("rejected: {e}")))?;
    prop_assert_eq!(parsed.event_type().to_string(), event_type);
    prop_assert!(!matches!(parsed, WebhookEvent::Unknown(_)));
    let back = serde_json::to_value(&parsed).expect("serializes");
    schema.check(&back["event"], "re-serialized event")?;
    prop_assert_eq!(back, input);
    Ok(())
}

#[test]
fn generated_events_round_trip_exactly() {
    for event in events() {
        let schema = Schema::new(&event.schema);
        let strategy = (arbitrary::instance(&event.schema), any::<usize>());
        let result = runner().run(&strategy, |(body, rotate)| {
            schema.check(&body, "generated instance")?;
            event_round_trips(&event.event_type, &body, rotate, &schema)
        });
        report(&event.event_type, result);
    }
}

/// What any revision describes, the join's types take: instances of each
/// distinct event schema of the history (not only of the join) parse into
/// their variant and come back unchanged, valid for their own schema and
/// for the join's.
#[test]
fn each_revisions_own_event_instances_round_trip_exactly() {
    let joined: BTreeMap<String, Schema> = events()
        .iter()
        .map(|e| (e.event_type.clone(), Schema::new(&e.schema)))
        .collect();
    let mut seen: Vec<(String, Value)> = Vec::new();
    for revision in revisions() {
        for event in revision.events {
            let key = (event.event_type.clone(), event.schema.clone());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let own = Schema::new(&event.schema);
            let what = format!("{} {}", revision.id, event.event_type);
            let strategy = (arbitrary::instance(&event.schema), any::<usize>());
            let result = runner_with(revision_cases()).run(&strategy, |(body, rotate)| {
                own.check(&body, "generated instance")?;
                joined[&event.event_type].check(&body, "generated instance, for the join")?;
                event_round_trips(&event.event_type, &body, rotate, &own)
            });
            report(&what, result);
        }
    }
    assert!(
        seen.len() > 1,
        "the history holds more than one event schema"
    );
}

/// Each revision's own envelope (its required fields, its event types)
/// around instances of its own event schemas.
#[test]
fn each_revisions_own_messages_round_trip_exactly() {
    let joined = Schema::new(&envelope_schema());
    let mut seen: Vec<Value> = Vec::new();
    for revision in revisions() {
        if seen.contains(&revision.envelope_schema) {
            continue;
        }
        seen.push(revision.envelope_schema.clone());
        let own = Schema::new(&revision.envelope_schema);
        let strategy = (
            messages(&revision.envelope_schema, &revision.events),
            any::<usize>(),
        );
        let result =
            runner_with(revision_cases()).run(&strategy, |((event_type, message), rotate)| {
                own.check(&message, "generated message")?;
                joined.check(&message, "generated message, for the join")?;
                let parsed = WebhookMessage::from_slice(text_in_order(&message, rotate).as_bytes())
                    .map_err(|e| TestCaseError::fail(format!("rejected: {e}")))?;
                prop_assert_eq!(parsed.event_type().to_string(), event_type);
                prop_assert!(!matches!(parsed.event, WebhookEvent::Unknown(_)));
                prop_assert_eq!(serde_json::to_value(&parsed).expect("serializes"), message);
                Ok(())
            });
        report(&revision.id, result);
    }
}

/// Random envelopes around random events of every type.
fn envelopes() -> BoxedStrategy<(String, Value)> {
    messages(&envelope_schema(), &events())
}

/// Random instances of `envelope` around random events of `events`.
fn messages(envelope: &Value, events: &[common::Event]) -> BoxedStrategy<(String, Value)> {
    let envelope = arbitrary::instance(envelope);
    let bodies: Vec<(String, BoxedStrategy<Value>)> = events
        .iter()
        .map(|e| (e.event_type.clone(), arbitrary::instance(&e.schema)))
        .collect();
    (0..bodies.len())
        .prop_flat_map(move |i| {
            let (event_type, body) = bodies[i].clone();
            (Just(event_type), envelope.clone(), body)
        })
        .prop_map(|(event_type, mut message, body)| {
            message["event_type"] = json!(event_type);
            message["event"] = body;
            (event_type, message)
        })
        .boxed()
}

#[test]
fn generated_messages_round_trip_exactly() {
    let envelope = Schema::new(&envelope_schema());
    let bodies: BTreeMap<String, Schema> = events()
        .iter()
        .map(|e| (e.event_type.clone(), Schema::new(&e.schema)))
        .collect();
    let strategy = (envelopes(), any::<usize>());
    let result = runner().run(&strategy, |((event_type, message), rotate)| {
        envelope.check(&message, "generated message")?;
        bodies[&event_type].check(&message["event"], "generated event")?;
        let parsed = WebhookMessage::from_slice(text_in_order(&message, rotate).as_bytes())
            .map_err(|e| TestCaseError::fail(format!("rejected: {e}")))?;
        prop_assert_eq!(parsed.event_type().to_string(), event_type.clone());
        prop_assert!(!matches!(parsed.event, WebhookEvent::Unknown(_)));
        let back = serde_json::to_value(&parsed).expect("serializes");
        envelope.check(&back, "re-serialized message")?;
        bodies[&event_type].check(&back["event"], "re-serialized event")?;
        prop_assert_eq!(back, message);
        Ok(())
    });
    report("envelope", result);
}

/// What the types must do with an edited instance.
#[derive(Debug)]
enum Expect {
    /// Fail, naming the edit's location.
    Reject,
    /// Parse, and serialize back to this.
    Accept(Value),
}

/// Whether the edited instance is valid for the schema, per kind.
fn schema_accepts(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::UppercaseUuid | Kind::IntegerBeyondI64 | Kind::IntegralFloat | Kind::UnknownProperty
    )
}

/// The crate's behaviour per kind: the gaps and normalizations of the
/// module doc, as code.
fn expect(kind: Kind, original: &Value, edited: &Value) -> Expect {
    match kind {
        Kind::MissingRequired | Kind::WrongType | Kind::MalformedUuid => Expect::Reject,
        // Gap, by design: a value an enum does not list is kept as sent
        // (`Unknown(String)`, or an integer enum's `is_known()` false).
        Kind::OutsideEnum => Expect::Accept(edited.clone()),
        // Gap: stricter than the schema.
        Kind::IntegerBeyondI64 | Kind::IntegralFloat => Expect::Reject,
        // Gap: bounds and `additionalProperties: false` are not enforced.
        Kind::OutsideBounds => Expect::Accept(edited.clone()),
        // Gap, by design: an unknown event type is kept whole.
        Kind::UnknownEventType => Expect::Accept(edited.clone()),
        // Gap and normalization: other uuid forms are read, written hyphenated lowercase.
        Kind::UuidOtherForm | Kind::UppercaseUuid => Expect::Accept(original.clone()),
        // Gap: `null` is read as absent and written back as `null`, in the
        // envelope as in a body (the C# service writes it for every absent field).
        Kind::NullForOptional => Expect::Accept(edited.clone()),
        Kind::UnknownProperty | Kind::ForbiddenProperty => {
            if cfg!(feature = "preserve-unknown-fields") {
                Expect::Accept(edited.clone())
            } else {
                Expect::Accept(original.clone())
            }
        }
    }
}

/// Every edit kind seen, with how often it was checked.
type Seen = RefCell<BTreeMap<String, usize>>;

/// Checks one edit: the schema's verdict is the expected one, and the
/// types do what `expect` says.
fn check_edit(
    schema_errors: impl Fn(&Value) -> Vec<String>,
    site: &Site,
    original: &Value,
    parse: impl Fn(&Value) -> Result<Value, (String, String)>,
    seen: &Seen,
) -> Result<(), TestCaseError> {
    let edited = site.apply(original);
    let schema_errors = schema_errors(&edited);
    prop_assert_eq!(
        schema_errors.is_empty(),
        schema_accepts(site.kind),
        "the schema's verdict on {:?} at `{}` is not the expected one: {:?}",
        site.kind,
        site.error_path(),
        schema_errors
    );
    *seen
        .borrow_mut()
        .entry(format!("{:?}", site.kind))
        .or_default() += 1;
    match (expect(site.kind, original, &edited), parse(&edited)) {
        (Expect::Reject, Err((path, message))) => {
            let expected = site.error_path();
            prop_assert!(
                path == expected,
                "{:?}: error at `{}`, not at `{}`: {}",
                site.kind,
                path,
                expected,
                message
            );
        }
        (Expect::Reject, Ok(back)) => {
            return Err(TestCaseError::fail(format!(
                "{:?} at `{}` was accepted (if this gap was closed on purpose, update the \
                 list in tests/properties.rs); re-serialized: {back}",
                site.kind,
                site.error_path()
            )))
        }
        (Expect::Accept(expected), Ok(back)) => prop_assert_eq!(
            back,
            expected,
            "{:?} at `{}`: unexpected output",
            site.kind,
            site.error_path()
        ),
        (Expect::Accept(_), Err((path, message))) => {
            return Err(TestCaseError::fail(format!(
                "{:?} at `{}` was rejected, which closes a listed gap (update the list in \
                 tests/properties.rs): {path}: {message}",
                site.kind,
                site.error_path()
            )))
        }
    }
    Ok(())
}

fn parse_event(input: &Value, rotate: usize) -> Result<Value, (String, String)> {
    WebhookEvent::from_str(&text_in_order(input, rotate))
        .map(|event| serde_json::to_value(&event).expect("serializes"))
        .map_err(|e| (e.path().to_owned(), e.inner().to_string()))
}

fn parse_message(input: &Value, rotate: usize) -> Result<Value, (String, String)> {
    let text = text_in_order(input, rotate);
    let parsed = WebhookMessage::from_slice(text.as_bytes());
    // `from_slice` reads valid UTF-8 as text: it must agree with serde_json
    // reading the same bytes, in what it accepts and where it fails.
    match (
        &parsed,
        serde_json::from_slice::<WebhookMessage>(text.as_bytes()),
    ) {
        (Ok(ours), Ok(bytes)) => assert_eq!(ours, &bytes, "{text}"),
        (Err(ours), Err(bytes)) => assert_eq!(ours.inner().to_string(), bytes.to_string()),
        (ours, bytes) => panic!("from_slice {ours:?}, serde_json::from_slice {bytes:?}: {text}"),
    }
    parsed
        .map(|message| serde_json::to_value(&message).expect("serializes"))
        .map_err(|e| (e.path().to_owned(), e.inner().to_string()))
}

/// Every kind of edit that the schemas gave a place to must have been
/// checked at least once (with `PROPTEST_CASES` of at least 100), so that
/// each listed gap is asserted, not just listed.
fn assert_all_seen(what: &str, seen: &Seen, possible: &Seen) {
    let seen = seen.borrow();
    eprintln!("{what}: edits checked per kind: {seen:?}");
    if cases() >= 100 {
        for kind in possible.borrow().keys() {
            assert!(
                seen.contains_key(kind),
                "{what}: no {kind} edit was checked"
            );
        }
    }
}

#[test]
fn edited_events_are_rejected_or_are_listed_gaps() {
    for event in events() {
        let schema = Schema::new(&event.schema);
        let seen = Seen::default();
        let possible = Seen::default();
        let strategy = (
            arbitrary::instance(&event.schema),
            proptest::collection::vec(any::<Index>(), EDITS_PER_CASE),
            any::<usize>(),
        );
        let verdict = |tagged: &Value| schema.errors(&tagged["event"]);
        let result = runner().run(&strategy, |(body, picks, rotate)| {
            let sites: Vec<Site> = mutate::sites(&event.schema, &event.schema, &body)
                .into_iter()
                .map(|site| site.under("event"))
                .collect();
            let original = tagged(&event.event_type, &body);
            for site in chosen(&picks, &sites, &seen, &possible) {
                let parse = |edited: &Value| parse_event(edited, rotate);
                check_edit(verdict, site, &original, parse, &seen)?;
            }
            Ok(())
        });
        report(&event.event_type, result);
        assert_all_seen(&event.event_type, &seen, &possible);
    }
}

#[test]
fn edited_messages_are_rejected_or_are_listed_gaps() {
    let envelope_schema = envelope_schema();
    let envelope = Schema::new(&envelope_schema);
    let events = events();
    let bodies: BTreeMap<String, Schema> = events
        .iter()
        .map(|e| (e.event_type.clone(), Schema::new(&e.schema)))
        .collect();
    let seen = Seen::default();
    let possible = Seen::default();
    let strategy = (
        envelopes(),
        proptest::collection::vec(any::<Index>(), EDITS_PER_CASE),
        any::<usize>(),
    );
    let result = runner().run(&strategy, |((event_type, message), picks, rotate)| {
        let event = events
            .iter()
            .find(|e| e.event_type == event_type)
            .expect("an event type from schemas/");
        // The envelope's own fields, then the body's against its event schema
        // (the envelope's `event` is an `anyOf`, which the walk does not enter).
        let mut sites: Vec<Site> = mutate::sites(&envelope_schema, &envelope_schema, &message)
            .into_iter()
            .map(|site| event_type_edit(&site))
            .collect();
        sites.extend(
            mutate::sites(&event.schema, &event.schema, &message["event"])
                .into_iter()
                .map(|site| site.under("event")),
        );
        // The envelope's `anyOf` accepts any object as the event (the ping
        // schema requires nothing), so the body is also checked against the
        // schema of its `event_type`.
        let body_schema = &bodies[&event_type];
        let verdict = |m: &Value| {
            let mut errors = envelope.errors(m);
            errors.extend(body_schema.errors(&m["event"]));
            errors
        };
        for site in chosen(&picks, &sites, &seen, &possible) {
            check_edit(verdict, site, &message, |m| parse_message(m, rotate), &seen)?;
        }
        Ok(())
    });
    report("envelope", result);
    assert_all_seen("envelope", &seen, &possible);
}

/// An `event_type` outside the schema's enum is an unknown event, which the
/// crate keeps whole: the edit is its own kind.
fn event_type_edit(site: &Site) -> Site {
    let is_event_type = site.path == [mutate::Seg::Key("event_type".to_owned())];
    match site.kind {
        Kind::OutsideEnum if is_event_type => Site {
            kind: Kind::UnknownEventType,
            ..site.clone()
        },
        _ => site.clone(),
    }
}

/// The sites one case checks: the random picks, then the first site of
/// every kind not checked yet, so that a kind whose sites are rare is still
/// checked as soon as one turns up. Notes every kind the case offered.
fn chosen<'a>(picks: &[Index], sites: &'a [Site], seen: &Seen, possible: &Seen) -> Vec<&'a Site> {
    let mut possible = possible.borrow_mut();
    for site in sites {
        *possible.entry(format!("{:?}", site.kind)).or_default() += 1;
    }
    let seen = seen.borrow();
    let mut chosen: Vec<&Site> = picks.iter().map(|pick| pick.get(sites)).collect();
    let mut first_of_kind = BTreeMap::new();
    for site in sites {
        first_of_kind
            .entry(format!("{:?}", site.kind))
            .or_insert(site);
    }
    chosen.extend(
        first_of_kind
            .into_iter()
            .filter(|(kind, _)| !seen.contains_key(kind))
            .map(|(_, site)| site),
    );
    chosen
}

/// The schema of `root` with every top-level property required.
fn all_required(root: &Value) -> Value {
    let mut schema = root.clone();
    let names: Vec<Value> = schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().map(Value::String).collect())
        .unwrap_or_default();
    schema["required"] = Value::Array(names);
    schema
}

/// Gap: serde reads a struct from a JSON array of its fields in declaration
/// order (typify declares them sorted by name), which the schema rejects.
/// The output is the object. A struct with optional fields (read through
/// the null record's wire struct) and, with `preserve-unknown-fields`,
/// every struct read only objects: there the gap is closed.
#[test]
fn event_body_as_an_array_of_its_fields() {
    for event in events() {
        let closed =
            cfg!(feature = "preserve-unknown-fields") || common::has_optional(&event.schema);
        let schema = Schema::new(&event.schema);
        let full = all_required(&event.schema);
        let mut config = runner().config().clone();
        config.cases = (cases() / 10).max(1);
        let result = TestRunner::new(config).run(&arbitrary::instance(&full), |body| {
            let Value::Object(fields) = &body else {
                return Ok(());
            };
            let sorted: BTreeMap<&String, &Value> = fields.iter().collect();
            let array = Value::Array(sorted.into_values().cloned().collect());
            prop_assert!(
                !schema.errors(&array).is_empty(),
                "the schema accepts an array"
            );
            let parsed = parse_event(&tagged(&event.event_type, &array), 0);
            if closed {
                prop_assert!(parsed.is_err(), "accepted: {parsed:?}");
            } else {
                let back = parsed.map_err(|e| TestCaseError::fail(format!("rejected: {e:?}")))?;
                prop_assert_eq!(back, tagged(&event.event_type, &body));
            }
            Ok(())
        });
        report(&event.event_type, result);
    }
}

/// The generator on keywords that `schemas/` does not use today but later
/// revisions of the doc may: its instances must validate too.
#[test]
fn generator_covers_bounds_formats_and_nesting() {
    let schema = json!({
        "type": "object",
        "properties": {
            "bounded": {"type": "integer", "minimum": -3, "maximum": 7},
            "exclusive": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 3},
            "when": {"type": "string", "format": "date-time"},
            "code": {"enum": [1, 2, 3]},
            "flag": {"type": "boolean", "default": true},
            "items": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
            "map": {"type": "object", "additionalProperties": {"$ref": "#/definitions/Item"}},
            "either": {"anyOf": [{"type": "null"}, {"type": "number", "minimum": 0.5}]}
        },
        "required": ["bounded", "items"],
        "additionalProperties": false,
        "definitions": {
            "Item": {
                "type": "object",
                "properties": {"id": {"type": "string", "format": "uuid"}},
                "required": ["id"]
            }
        }
    });
    let validator = Schema::new(&schema);
    let mut config = runner().config().clone();
    config.cases = 500;
    let result = TestRunner::new(config).run(&arbitrary::instance(&schema), |instance| {
        validator.check(&instance, "generated instance")
    });
    report("synthetic schema", result);
    // And the mutation walk finds the bound and the forbidden property.
    let instance = json!({"bounded": 0, "items": []});
    let kinds: Vec<Kind> = mutate::sites(&schema, &schema, &instance)
        .into_iter()
        .map(|s| s.kind)
        .collect();
    for kind in [
        Kind::OutsideBounds,
        Kind::ForbiddenProperty,
        Kind::MissingRequired,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} not in {kinds:?}");
    }
    assert!(!kinds.contains(&Kind::UnknownProperty));
}
