//! The receiver's HTTP handling, apart from `main` so that the integration
//! test (tests/receiver.rs) serves the very same router.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
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
}

/// What the handler shares.
struct App {
    receiver: Receiver,
    max_body_bytes: usize,
    /// The events handled so far, by id: OneFuzz delivers at least once.
    handled: SharedDedup,
}

/// The receiver: `POST /` takes one webhook body, in either format.
pub fn app(config: Config) -> Router {
    let limit = config.max_body_bytes;
    let app = App {
        receiver: Receiver::new(config.secret),
        max_body_bytes: config.max_body_bytes,
        handled: SharedDedup::new(Dedup::new(config.dedup_capacity, config.dedup_window)),
    };
    Router::new()
        .route("/", post(receive))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(Arc::new(app))
}

async fn receive(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let message = format!("request body is over {} bytes", app.max_body_bytes);
            return error(StatusCode::PAYLOAD_TOO_LARGE, message, None);
        }
        Err(rejection) => return error(rejection.status(), rejection.body_text(), None),
    };
    // The signature, then either format: a webhook message (an object) or
    // Event Grid events (an array), told apart by the body, so the
    // subscription's format needs no configuration here.
    let digest = headers.get(DIGEST_HEADER).map(|value| value.as_bytes());
    let body = match app.receiver.receive(digest, &body) {
        Ok(body) => body,
        Err(e) => {
            tracing::warn!(status = e.status(), error = %e, "rejected webhook");
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            return error(status, e.to_string(), e.path());
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

fn error(status: StatusCode, message: String, path: Option<&str>) -> Response {
    let body = match path {
        Some(path) => json!({"error": message, "path": path}),
        None => json!({"error": message}),
    };
    (status, Json(body)).into_response()
}
