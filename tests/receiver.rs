//! The example receiver, served on a loopback port and driven by a real HTTP
//! client: every doc example (signed and unsigned), an unknown event type,
//! bad JSON, a schema mismatch, bad signatures and an oversized body. Each
//! accepted message must appear in the log exactly as it was sent. Every
//! real-sender body, delivered again and again in either format, must be
//! handled once. The faults of tests/faults/ (oversized, slow, cut,
//! dropped, reset, mis-signed) must leave the server serving.
#![cfg(feature = "signature")]

#[path = "../examples/receiver/app.rs"]
mod app;
mod common;
mod faults;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use common::corpus::Entry;
use common::{
    doc_messages, envelope_example, event_first, event_last, events, read_json, resolve,
    schemas_dir, wrap,
};
use faults::Fault;
use onefuzz_webhook_types::dedup::{DEFAULT_CAPACITY, DEFAULT_WINDOW};
use onefuzz_webhook_types::signature::sign;
use onefuzz_webhook_types::{Body, WebhookEventType, DIGEST_HEADER};
use serde_json::{json, Value};
use tracing_subscriber::layer::SubscriberExt;
use uuid::Uuid;

const SECRET: &[u8] = b"receiver-test-secret";
const LIMIT: usize = 16 * 1024;
const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// The receiver on its own thread and runtime, with a log that records
/// the fields of every event it logs.
struct Server {
    address: SocketAddr,
    logged: Arc<Mutex<Vec<Record>>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(secret: Option<&[u8]>) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let address = listener.local_addr().unwrap();
        let logged = Arc::new(Mutex::new(Vec::new()));
        let capture = Capture(Arc::clone(&logged));
        let config = app::Config {
            secret: secret.map(<[u8]>::to_vec),
            max_body_bytes: LIMIT,
            dedup_capacity: DEFAULT_CAPACITY,
            dedup_window: DEFAULT_WINDOW,
            read_timeout: READ_TIMEOUT,
        };
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            // The runtime is single-threaded, so every handler logs on this thread.
            let _log =
                tracing::subscriber::set_default(tracing_subscriber::registry().with(capture));
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app::app(config))
                    .with_graceful_shutdown(async move {
                        let _ = stop.await;
                    })
                    .await
                    .unwrap();
            });
        });
        Self {
            address,
            logged,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// POSTs `body`, with `digest` in the digest header; returns status and body.
    fn post(&self, body: &[u8], digest: Option<&str>) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(10)))
            .build()
            .into();
        let mut request = agent
            .post(format!("http://{}/", self.address))
            .header("content-type", "application/json");
        if let Some(digest) = digest {
            request = request.header(DIGEST_HEADER, digest);
        }
        let mut response = request.send(body).unwrap();
        let text = response.body_mut().read_to_string().unwrap();
        (response.status().as_u16(), text)
    }

    /// The bodies logged whole so far (the `json` field), parsed; empties
    /// the log.
    fn take_logged(&self) -> Vec<Value> {
        logged_bodies(&self.take_records())
    }

    /// Everything logged so far; empties the log.
    fn take_records(&self) -> Vec<Record> {
        std::mem::take(&mut *self.logged.lock().unwrap())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The fields of one logged event, as text (`message` among them).
type Record = BTreeMap<String, String>;

/// The `json` fields of `records`: the bodies logged whole, parsed.
fn logged_bodies(records: &[Record]) -> Vec<Value> {
    records
        .iter()
        .filter_map(|record| record.get("json"))
        .map(|text| serde_json::from_str(text).unwrap())
        .collect()
}

/// The events that `records` say were handled or skipped, in order: each
/// one's `event_id` (`None` for an event without one) and its `duplicate`
/// flag.
fn logged_events(records: &[Record]) -> Vec<(Option<String>, bool)> {
    records
        .iter()
        .filter_map(|record| {
            let duplicate = record.get("duplicate")?;
            Some((record.get("event_id").cloned(), duplicate == "true"))
        })
        .collect()
}

/// Records the fields of each event.
struct Capture(Arc<Mutex<Vec<Record>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Fields(Record);
        impl tracing::field::Visit for Fields {
            fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
                self.0.insert(field.name().to_owned(), value.to_owned());
            }
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.insert(field.name().to_owned(), format!("{value:?}"));
            }
        }
        let mut fields = Fields(Record::new());
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
}

/// `message` with an event id that no other call gave: the receiver
/// handles an event once, and the tests of parsing post one doc example
/// many times.
fn with_new_event_id(message: &Value) -> Value {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = Uuid::from_u64_pair(0x7e57, NEXT.fetch_add(1, Ordering::Relaxed));
    let mut message = message.clone();
    message["event_id"] = json!(id.to_string());
    message
}

/// Posts `body`, the text of `message`, and checks that it was accepted and
/// logged whole.
fn assert_accepted(server: &Server, message: &Value, body: &str, digest: Option<&str>) {
    let (status, response) = server.post(body.as_bytes(), digest);
    // Not 200: OneFuzz before 5.18 delivered again on any status but 202.
    assert_eq!(status, 202, "{response}\nfor {message:#}");
    assert_eq!(server.take_logged(), vec![message.clone()]);
    let event_type: WebhookEventType = message["event_type"].as_str().unwrap().parse().unwrap();
    if event_type == WebhookEventType::Ping {
        let echo: Value = serde_json::from_str(&response).unwrap();
        assert_eq!(
            echo,
            json!({"event_type": message["event_type"], "event": message["event"]})
        );
    } else {
        assert_eq!(response, "");
    }
}

#[test]
fn every_doc_example_is_accepted_unsigned_and_logged_whole() {
    let server = Server::start(None);
    for (_, message) in doc_messages() {
        let message = with_new_event_id(&message);
        assert_accepted(&server, &message, &event_last(&message), None);
        let message = with_new_event_id(&message);
        assert_accepted(&server, &message, &event_first(&message), None);
    }
}

#[test]
fn every_doc_example_is_accepted_signed_and_logged_whole() {
    let server = Server::start(Some(SECRET));
    for (_, message) in doc_messages() {
        for uppercase in [false, true] {
            let message = with_new_event_id(&message);
            let body = event_last(&message);
            let digest = sign(SECRET, body.as_bytes());
            let digest = if uppercase {
                digest.to_uppercase()
            } else {
                digest
            };
            assert_accepted(&server, &message, &body, Some(&digest));
        }
    }
}

/// What the receiver logs of a corpus body: the JSON as sent, when the
/// types keep unknown fields (feature `preserve-unknown-fields`); without
/// it, what they kept.
fn kept(entry: &Entry) -> Value {
    if cfg!(feature = "preserve-unknown-fields") {
        entry.value()
    } else {
        serde_json::to_value(Body::from_slice(&entry.body()).unwrap()).unwrap()
    }
}

/// The event ids of a body, as the crate reads them.
fn event_ids(body: &[u8]) -> Vec<Option<Uuid>> {
    let body = Body::from_slice(body).unwrap();
    body.events().map(|event| event.event_id).collect()
}

/// Concurrent senders: 8 clients at once, each delivering every real-sender
/// body (both formats) in its own order, so that deliveries of one event
/// race. Every delivery is answered 202, and each event id is handled
/// exactly once, whoever came first.
#[test]
fn concurrent_deliveries_of_every_event_handle_it_exactly_once() {
    const SENDERS: usize = 8;
    let entries = common::corpus::entries();
    let secret = entries[0].secret.clone();
    let entries: Vec<Entry> = entries.into_iter().filter(|e| e.secret == secret).collect();
    let bodies: Vec<(Vec<u8>, &str)> = entries
        .iter()
        .map(|e| (e.body(), e.digest.as_str()))
        .collect();
    let server = Server::start(Some(secret.as_bytes()));
    std::thread::scope(|scope| {
        for sender in 0..SENDERS {
            let (server, bodies) = (&server, &bodies);
            scope.spawn(move || {
                let start = sender * bodies.len() / SENDERS;
                for (body, digest) in bodies.iter().cycle().skip(start).take(bodies.len()) {
                    let (status, response) = server.post(body, Some(digest));
                    assert_eq!(status, 202, "{response}");
                }
            });
        }
    });
    let mut handled: HashMap<String, usize> = HashMap::new();
    let mut duplicates = 0;
    for (id, duplicate) in logged_events(&server.take_records()) {
        match (id, duplicate) {
            (Some(id), false) => *handled.entry(id).or_default() += 1,
            (Some(_), true) => duplicates += 1,
            (None, _) => {}
        }
    }
    let ids: HashSet<String> = bodies
        .iter()
        .flat_map(|(body, _)| event_ids(body))
        .flatten()
        .map(|id| id.to_string())
        .collect();
    assert_eq!(handled.keys().cloned().collect::<HashSet<_>>(), ids);
    assert!(handled.values().all(|&n| n == 1), "{handled:?}");
    let deliveries: usize = bodies
        .iter()
        .map(|(body, _)| event_ids(body).iter().flatten().count())
        .sum();
    assert_eq!(duplicates + ids.len(), deliveries * SENDERS);
}

/// Every real-sender body, delivered the way OneFuzz delivers at least
/// once: each body three times, in turn with the other bodies of its event
/// (its Event Grid and webhook forms, and the bodies of other senders that
/// carry the same id), all signed as sent. Every delivery is answered 202,
/// with the same answer each time (a ping's echo included). Each event is
/// handled exactly once, on its first delivery, when its body is logged
/// whole as it was sent; every later delivery is logged as a duplicate.
#[test]
fn every_real_sender_event_is_handled_once_however_often_and_in_whichever_form_it_comes() {
    let entries = common::corpus::entries();
    let secret = entries[0].secret.clone();
    let entries: Vec<Entry> = entries.into_iter().filter(|e| e.secret == secret).collect();
    let server = Server::start(Some(secret.as_bytes()));

    // The bodies of one event: those that share an event id (a body without
    // ids is an event of its own).
    let mut groups: Vec<Vec<&Entry>> = Vec::new();
    let mut group_of: HashMap<Uuid, usize> = HashMap::new();
    for entry in &entries {
        let ids: Vec<Uuid> = event_ids(&entry.body()).into_iter().flatten().collect();
        let group = match ids.iter().find_map(|id| group_of.get(id)) {
            Some(&group) => group,
            None => {
                groups.push(Vec::new());
                groups.len() - 1
            }
        };
        groups[group].push(entry);
        group_of.extend(ids.into_iter().map(|id| (id, group)));
    }
    let in_both_formats = groups
        .iter()
        .filter(|group| {
            let formats: BTreeSet<&str> = group.iter().map(|e| e.format.as_str()).collect();
            formats.len() > 1
        })
        .count();
    assert!(in_both_formats > 0, "no event in both formats");

    let mut seen: HashSet<Uuid> = HashSet::new();
    let mut handled: HashMap<Option<String>, usize> = HashMap::new();
    let mut answers: HashMap<&str, String> = HashMap::new();
    let mut formats = BTreeSet::new();
    for group in &groups {
        for _ in 0..3 {
            for entry in group {
                let body = entry.body();
                let (status, response) = server.post(&body, Some(&entry.digest));
                assert_eq!(status, 202, "{}: {response}", entry.path);
                let first = answers
                    .entry(entry.path.as_str())
                    .or_insert_with(|| response.clone());
                assert_eq!(*first, response, "{}: another answer", entry.path);

                let ids = event_ids(&body);
                let expected: Vec<(Option<String>, bool)> = ids
                    .iter()
                    .map(|id| {
                        let duplicate = id.is_some_and(|id| !seen.insert(id));
                        (id.map(|id| id.to_string()), duplicate)
                    })
                    .collect();
                let records = server.take_records();
                let events = logged_events(&records);
                assert_eq!(events, expected, "{}", entry.path);
                let new = ids.is_empty() || events.iter().any(|(_, duplicate)| !duplicate);
                let whole = if new { vec![kept(entry)] } else { vec![] };
                assert_eq!(logged_bodies(&records), whole, "{}", entry.path);
                for (id, _) in events.into_iter().filter(|(_, duplicate)| !duplicate) {
                    *handled.entry(id).or_default() += 1;
                }
                formats.insert(entry.format.as_str());
            }
        }
    }
    // Once each, every event of the corpus.
    let all: HashSet<Option<String>> = entries
        .iter()
        .flat_map(|entry| event_ids(&entry.body()))
        .map(|id| id.map(|id| id.to_string()))
        .collect();
    assert_eq!(handled.keys().cloned().collect::<HashSet<_>>(), all);
    let twice: Vec<_> = handled
        .iter()
        .filter(|(id, n)| id.is_some() && **n != 1)
        .collect();
    assert!(twice.is_empty(), "handled more than once: {twice:?}");
    assert_eq!(
        formats.into_iter().collect::<Vec<_>>(),
        ["event_grid", "webhook"]
    );
}

/// A delivery that was refused did not count: the next one is handled.
#[test]
fn a_refused_delivery_is_not_remembered() {
    let server = Server::start(Some(SECRET));
    let message = with_new_event_id(&envelope_example());
    let body = event_last(&message);
    let digest = sign(SECRET, body.as_bytes());
    assert_eq!(server.post(body.as_bytes(), None).0, 401);
    let records = server.take_records();
    assert!(logged_events(&records).is_empty() && logged_bodies(&records).is_empty());
    for delivery in 0..2 {
        let (status, response) = server.post(body.as_bytes(), Some(&digest));
        assert_eq!(status, 202, "{response}");
        let records = server.take_records();
        let duplicate = delivery > 0;
        assert_eq!(logged_events(&records).len(), 1);
        assert_eq!(logged_events(&records)[0].1, duplicate);
        let whole = if duplicate {
            vec![]
        } else {
            vec![message.clone()]
        };
        assert_eq!(logged_bodies(&records), whole);
    }
}

#[test]
fn unknown_event_type_is_accepted_and_kept() {
    let server = Server::start(Some(SECRET));
    let name = "zz_event_from_the_future";
    assert_eq!(WebhookEventType::known(name), None);
    let message = wrap(
        name,
        &json!({"id": 7, "nested": {"list": [1, "two", null]}}),
    );
    let body = event_last(&message);
    let digest = sign(SECRET, body.as_bytes());
    assert_accepted(&server, &message, &body, Some(&digest));
}

#[test]
fn malformed_json_is_400_with_its_position() {
    let server = Server::start(None);
    let text = event_last(&envelope_example());
    let cut = &text[..text.len() / 2];
    let (status, response) = server.post(cut.as_bytes(), None);
    assert_eq!(status, 400, "{response}");
    let error: Value = serde_json::from_str(&response).unwrap();
    let message = error["error"].as_str().unwrap();
    assert!(
        message.contains(&format!("line 1 column {}", cut.len())),
        "{message}"
    );
    assert!(server.take_logged().is_empty());
}

/// The first required property of each event, set to a value of the wrong
/// type, is a 400 that names `event.<property>`.
#[test]
fn schema_mismatch_is_400_with_the_json_path() {
    let server = Server::start(None);
    let mut checked = 0;
    for event in events() {
        let Some(property) = common::required(&event.schema).into_iter().next() else {
            continue;
        };
        let schema = resolve(&event.schema, &event.schema["properties"][&property]);
        // A number where the schema wants anything but a number.
        if matches!(schema["type"].as_str(), Some("integer" | "number")) {
            continue;
        }
        let mut message = wrap(&event.event_type, &event.example);
        message["event"][&property] = json!(12345);
        let (status, response) = server.post(&event_last(&message).into_bytes(), None);
        assert_eq!(status, 400, "{response}");
        let error: Value = serde_json::from_str(&response).unwrap();
        let path = format!("event.{property}");
        assert_eq!(error["path"], json!(path), "{response}");
        assert!(
            error["error"].as_str().unwrap().starts_with(&path),
            "{response}"
        );

        message["event"].as_object_mut().unwrap().remove(&property);
        let (status, response) = server.post(&event_last(&message).into_bytes(), None);
        assert_eq!(status, 400, "{response}");
        let error: Value = serde_json::from_str(&response).unwrap();
        assert_eq!(error["path"], json!("event"), "{response}");
        let missing = format!("missing field `{property}`");
        assert!(
            error["error"].as_str().unwrap().contains(&missing),
            "{response}"
        );
        checked += 1;
    }
    assert!(checked > 0, "no event has a required property");
    assert!(server.take_logged().is_empty());
}

#[test]
fn bad_signatures_are_401_with_distinct_messages() {
    let server = Server::start(Some(SECRET));
    let body = serde_json::to_vec(&envelope_example()).unwrap();
    let other_secret = sign(b"another secret", &body);
    let mut messages = Vec::new();
    for digest in [None, Some("not hex"), Some(other_secret.as_str())] {
        let (status, response) = server.post(&body, digest);
        assert_eq!(status, 401, "{response}");
        let error: Value = serde_json::from_str(&response).unwrap();
        messages.push(error["error"].as_str().unwrap().to_owned());
    }
    messages.sort();
    messages.dedup();
    assert_eq!(messages.len(), 3, "{messages:?}");
    // A body changed after signing is refused as well.
    let digest = sign(SECRET, &body);
    let mut changed = body.clone();
    changed.push(b' ');
    assert_eq!(server.post(&changed, Some(&digest)).0, 401);
    assert!(server.take_logged().is_empty());
}

/// A message padded with trailing whitespace to `len` bytes: still valid JSON.
fn padded(message: &Value, len: usize) -> Vec<u8> {
    let mut body = event_last(message).into_bytes();
    assert!(body.len() <= len);
    body.resize(len, b' ');
    body
}

#[test]
fn body_over_the_limit_is_413_and_at_the_limit_is_accepted() {
    let server = Server::start(None);
    let message = envelope_example();
    let (status, response) = server.post(&padded(&message, LIMIT + 1), None);
    assert_eq!(status, 413, "{response}");
    assert!(server.take_logged().is_empty());
    let (status, response) = server.post(&padded(&message, LIMIT), None);
    assert_eq!(status, 202, "{response}");
    assert_eq!(server.take_logged(), vec![message]);
}

/// Faults sent to `server`: a valid body of the receiver's to cut or
/// mis-sign, and resets that wait `reset_after` before they come.
fn target(server: &Server, reset_after: std::time::Duration) -> faults::Target {
    faults::Target {
        address: server.address,
        limit: LIMIT,
        body: event_last(&envelope_example()).into_bytes(),
        reset_after,
    }
}

/// After each fault the server still answers a real message (signed when
/// it has a secret).
fn still_serving(server: &Server, secret: Option<&[u8]>) {
    let body = event_last(&envelope_example());
    let digest = secret.map(|secret| sign(secret, body.as_bytes()));
    let (status, response) = server.post(body.as_bytes(), digest.as_deref());
    assert_eq!(status, 202, "{response}");
    server.take_logged();
}

/// The `status` and `io_error` fields of the `rejected webhook` records
/// (`io_error` empty when there is none).
fn rejections(records: &[Record]) -> Vec<(String, String)> {
    records
        .iter()
        .filter(|record| {
            record
                .get("message")
                .is_some_and(|m| m == "rejected webhook")
        })
        .map(|record| {
            let field = |name: &str| record.get(name).cloned().unwrap_or_default();
            (field("status"), field("io_error"))
        })
        .collect()
}

/// A declared length over the limit is answered 413 with nothing of the
/// body sent; a body without a declared length is cut off at the limit as it
/// streams, answered 413 while the client is still sending. Both are logged
/// as rejected, with their status.
#[test]
fn an_oversized_body_is_answered_without_being_read_whole() {
    let server = Server::start(None);
    let target = target(&server, std::time::Duration::ZERO);
    for fault in [Fault::DeclaredTooLarge, Fault::StreamedTooLarge] {
        assert_eq!(fault.send(&target), Some(413), "{fault:?}");
        let records = server.take_records();
        assert_eq!(rejections(&records), [("413".into(), String::new())]);
        assert!(logged_events(&records).is_empty());
        still_serving(&server, None);
    }
}

/// Clients that send their bodies one byte every half second, three at
/// once, are each answered 408 after the read timeout, and hold nothing
/// after.
#[test]
fn a_slow_body_is_answered_408_after_the_read_timeout() {
    let server = Server::start(None);
    let started = std::time::Instant::now();
    let statuses = faults::slow_bodies(server.address, 3, std::time::Duration::from_millis(500));
    let elapsed = started.elapsed();
    assert_eq!(statuses, [Some(408); 3]);
    assert!(elapsed >= READ_TIMEOUT, "{elapsed:?}");
    assert!(elapsed < READ_TIMEOUT * 3, "{elapsed:?}");
    let records = server.take_records();
    assert_eq!(rejections(&records), vec![("408".into(), String::new()); 3]);
    still_serving(&server, None);
}

/// A body cut off mid-stream (the client closes its side) and a connection
/// dropped mid-headers are not events; the server keeps serving.
#[test]
fn a_cut_body_and_a_dropped_connection_leave_the_server_serving() {
    let server = Server::start(None);
    let target = target(&server, std::time::Duration::ZERO);
    for fault in [Fault::CutBody, Fault::DroppedInHeaders] {
        let status = fault.send(&target);
        assert!(fault.answered_as_it_should(status), "{fault:?}: {status:?}");
        assert!(logged_events(&server.take_records()).is_empty());
        still_serving(&server, None);
    }
}

/// A client that sends half its body and then resets the connection: the
/// receiver logs the request as rejected with the reset as its I/O error,
/// handles nothing, and keeps serving.
#[test]
fn a_connection_reset_mid_body_is_logged_and_the_server_keeps_serving() {
    let server = Server::start(Some(SECRET));
    // Time for the server to read the headers and the half before the reset.
    let target = target(&server, std::time::Duration::from_millis(200));
    assert_eq!(Fault::Reset.send(&target), None);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut records = Vec::new();
    while rejections(&records).is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
        records.extend(server.take_records());
    }
    assert_eq!(
        rejections(&records),
        [("400".into(), "ConnectionReset".into())],
        "{records:?}"
    );
    assert!(logged_events(&records).is_empty());
    still_serving(&server, Some(SECRET));
}

/// Every fault, over and over, interleaved: each is answered as it should
/// be, none becomes an event, the refusals that must be logged are, and
/// the server answers a real delivery after each round.
#[test]
fn every_fault_again_and_again_leaves_the_server_serving() {
    const ROUNDS: usize = 20;
    let server = Server::start(Some(SECRET));
    let target = target(&server, std::time::Duration::from_millis(1));
    let mut rejected = BTreeMap::<String, usize>::new();
    for _ in 0..ROUNDS {
        for fault in Fault::ALL {
            let status = fault.send(&target);
            assert!(fault.answered_as_it_should(status), "{fault:?}: {status:?}");
        }
        // Resets and cuts are logged once the server has seen them, so
        // they are not counted; the answered ones were logged before their
        // answer went out.
        let records = server.take_records();
        assert!(logged_events(&records).is_empty());
        assert!(logged_bodies(&records).is_empty());
        for (status, _) in rejections(&records) {
            *rejected.entry(status).or_default() += 1;
        }
        still_serving(&server, Some(SECRET));
    }
    assert_eq!(rejected.get("413"), Some(&(2 * ROUNDS)), "{rejected:?}");
    assert_eq!(rejected.get("401"), Some(&ROUNDS), "{rejected:?}");
}

/// A body signed over its exact bytes, its newlines and the one at its end
/// included, as `curl --data-binary @file` sends a file: accepted. The same
/// bytes without their newlines, as `curl -d @file` sends them, do not
/// match that digest.
#[test]
fn a_body_signed_over_its_exact_bytes_with_newlines_is_accepted() {
    let server = Server::start(Some(SECRET));
    let message = envelope_example();
    let body = format!("{}\n", serde_json::to_string_pretty(&message).unwrap()).into_bytes();
    let digest = sign(SECRET, &body);
    let (status, response) = server.post(&body, Some(&digest));
    assert_eq!(status, 202, "{response}");
    assert_eq!(server.take_logged(), vec![message]);
    let stripped: Vec<u8> = body.iter().copied().filter(|b| *b != b'\n').collect();
    assert_eq!(server.post(&stripped, Some(&digest)).0, 401);
    assert!(server.take_logged().is_empty());
}

/// The README's signed request, run as written but sent to this server:
/// `openssl` signs the file's bytes and `curl --data-binary` sends them.
#[test]
fn the_readme_signed_request_is_accepted() {
    let root = schemas_dir().parent().unwrap().to_owned();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let script = fenced_blocks(&readme, "sh")
        .into_iter()
        .find(|block| block.contains("--data-binary"))
        .expect("the README shows a request sent with --data-binary");
    let server = Server::start(Some(SECRET));
    let default_url = "http://127.0.0.1:8080/";
    assert!(script.contains(default_url), "{script}");
    let script = script.replace(default_url, &format!("http://{}/", server.address));
    let output = std::process::Command::new("sh")
        .args(["-euc", &script])
        .current_dir(&root)
        .env(
            "ONEFUZZ_WEBHOOK_SECRET",
            std::str::from_utf8(SECRET).unwrap(),
        )
        .output()
        .expect("sh runs");
    let shown = format!(
        "{}{}\nfrom:\n{script}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{shown}");
    assert!(output.stdout.starts_with(b"HTTP/1.1 202 "), "{shown}");
    // The file it sends is the Payload example.
    assert_eq!(
        server.take_logged(),
        vec![read_json(&schemas_dir().join("envelope.example.json"))]
    );
}

/// The contents of the fenced code blocks of `markdown` in `language`.
fn fenced_blocks<'a>(markdown: &'a str, language: &str) -> Vec<&'a str> {
    let open = format!("```{language}\n");
    let mut blocks = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find(&open) {
        let body = &rest[start + open.len()..];
        let end = body.find("```").unwrap_or(body.len());
        blocks.push(&body[..end]);
        rest = &body[end..];
    }
    blocks
}
