//! The receiver's HTTP handling, apart from `main` so that the integration
//! test (tests/receiver.rs) serves the very same router.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use onefuzz_webhook_types::dedup::{Dedup, SharedDedup};
use onefuzz_webhook_types::receive::Receiver;
use onefuzz_webhook_types::{Body, WebhookEvent, WebhookMessage, DIGEST_HEADER};
use serde_json::json;

/// How the receiver checks and bounds requests.
#[derive(Clone, Debug)]
pub struct Config {
    /// The subscription's `secret_token`: when set, every request must carry
    /// a matching `X-Onefuzz-Digest` header.
    pub secret: Option<Vec<u8>>,
    /// Larger bodies are refused with 413 before they are parsed.
    pub max_body_bytes: usize,
    /// How many event ids are remembered to skip repeated deliveries.
    pub dedup_capacity: usize,
    /// How long an event id is remembered.
    pub dedup_window: Duration,
    /// A request not read and answered within this gets 408, so a client
    /// that sends its body slowly holds a connection for a bounded time.
    pub read_timeout: Duration,
}

/// What the handler shares.
struct App {
    receiver: Receiver,
    max_body_bytes: usize,
    read_timeout: Duration,
    /// The events handled so far, by id: OneFuzz delivers at least once.
    handled: SharedDedup,
}

/// The receiver: `POST /` takes one webhook body, in either format.
pub fn app(config: Config) -> Router {
    let limit = config.max_body_bytes;
    let app = App {
        receiver: Receiver::new(config.secret),
        max_body_bytes: config.max_body_bytes,
        read_timeout: config.read_timeout,
        handled: SharedDedup::new(Dedup::new(config.dedup_capacity, config.dedup_window)),
    };
    let app = Arc::new(app);
    Router::new()
        .route("/", post(receive))
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state(Arc::clone(&app), bound))
        .with_state(app)
}

/// Bounds a request before its body is read: a declared length over the
/// limit is answered 413 at once, without reading the body (a body sent
/// without a length is cut off at the limit as it streams in), and a
/// request not done within the read timeout is answered 408.
async fn bound(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > app.max_body_bytes as u64) {
        return too_large(app.max_body_bytes);
    }
    match tokio::time::timeout(app.read_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let message = format!("the request took over {:?} to arrive", app.read_timeout);
            reject(StatusCode::REQUEST_TIMEOUT, message, None, None)
        }
    }
}

fn too_large(limit: usize) -> Response {
    let message = format!("request body is over {limit} bytes");
    reject(StatusCode::PAYLOAD_TOO_LARGE, message, None, None)
}

async fn receive(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return too_large(app.max_body_bytes);
        }
        // The body did not arrive whole: cut short, or the connection reset.
        Err(rejection) => {
            let io_error = io_error(&rejection);
            return reject(rejection.status(), rejection.body_text(), None, io_error);
        }
    };
    // The signature, then either format: a webhook message (an object) or
    // Event Grid events (an array), told apart by the body, so the
    // subscription's format needs no configuration here.
    let digest = headers.get(DIGEST_HEADER).map(|value| value.as_bytes());
    let body = match app.receiver.receive(digest, &body) {
        Ok(body) => body,
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            return reject(status, e.to_string(), e.path(), None);
        }
    };
    handle(&app, &body);
    // 202: every OneFuzz release counts it as delivered, and before 5.18
    // it was the only status that did (after a 200 it delivered 5 times).
    // A body whose events were all handled before gets it too: it is
    // delivered, just not new.
    match &body {
        // A ping asks whether the endpoint is alive: answer with the ping.
        Body::Webhook(WebhookMessage {
            event: event @ WebhookEvent::Ping(_),
            ..
        }) => (StatusCode::ACCEPTED, Json(event)).into_response(),
        _ => StatusCode::ACCEPTED.into_response(),
    }
}

/// Handles the events of `body` not handled before (here: logs them), and
/// logs the others as duplicates. An event without an id is always new.
fn handle(app: &App, body: &Body) {
    let mut new = Vec::new();
    for event in body.events() {
        let event_id = event.event_id.map(tracing::field::display);
        let event_type = event.event.event_type();
        if app.handled.first_seen_event(&event) {
            tracing::info!(event_id, %event_type, duplicate = false, "event");
            new.push(event_type.to_string());
        } else {
            tracing::info!(
                event_id,
                %event_type,
                duplicate = true,
                "event delivered again: already handled, not handled again"
            );
        }
    }
    // A body of only duplicates was handled when it first came.
    if new.is_empty() && body.events().next().is_some() {
        return;
    }
    // Logged as re-serialized, so the log shows what the types kept.
    match serde_json::to_string(body) {
        Ok(text) => tracing::info!(event_types = ?new, json = %text, "webhook"),
        Err(e) => tracing::error!(event_types = ?new, error = %e, "webhook"),
    }
}

/// The I/O error under `error`, if there is one (hyper's, under axum's).
fn io_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    std::iter::successors(Some(error), |e| e.source()).find_map(|e| e.downcast_ref())
}

/// Answers a request that is refused, and logs it with its status, the
/// error and, when reading failed, the kind of I/O error, so that faults
/// can be counted and told apart in the log.
fn reject(
    status: StatusCode,
    message: String,
    path: Option<&str>,
    io_error: Option<&std::io::Error>,
) -> Response {
    tracing::warn!(
        status = status.as_u16(),
        error = %message,
        path,
        io_error = io_error.map(|e| tracing::field::debug(e.kind())),
        "rejected webhook"
    );
    let body = match path {
        Some(path) => json!({"error": message, "path": path}),
        None => json!({"error": message}),
    };
    (status, Json(body)).into_response()
}
