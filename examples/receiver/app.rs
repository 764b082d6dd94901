//! The receiver's HTTP handling, apart from `main` so that the integration
//! test (tests/receiver.rs) serves the very same router.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use onefuzz_webhook_types::{signature, Body, WebhookEvent, WebhookMessage, DIGEST_HEADER};
use serde_json::json;

/// How the receiver checks and bounds requests.
#[derive(Clone, Debug)]
pub struct Config {
    /// The subscription's `secret_token`: when set, every request must carry
    /// a matching `X-Onefuzz-Digest` header.
    pub secret: Option<Vec<u8>>,
    /// Larger bodies are refused with 413 before they are parsed.
    pub max_body_bytes: usize,
}

/// The receiver: `POST /` takes one webhook message.
pub fn app(config: Config) -> Router {
    let limit = config.max_body_bytes;
    Router::new()
        .route("/", post(receive))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(Arc::new(config))
}

async fn receive(
    State(config): State<Arc<Config>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let message = format!("request body is over {} bytes", config.max_body_bytes);
            return error(StatusCode::PAYLOAD_TOO_LARGE, message, None);
        }
        Err(rejection) => return error(rejection.status(), rejection.body_text(), None),
    };
    if let Some(secret) = &config.secret {
        if let Err(message) = check_signature(secret, &headers, &body) {
            tracing::warn!(reason = %message, "rejected webhook");
            return error(StatusCode::UNAUTHORIZED, message, None);
        }
    }
    // Either format: a webhook message (an object) or Event Grid events (an
    // array), told apart by the body, so the subscription's format needs no
    // configuration here.
    let body = match Body::from_slice(&body) {
        Ok(body) => body,
        Err(e) => {
            tracing::warn!(error = %e, "unparsable webhook");
            return error(StatusCode::BAD_REQUEST, e.to_string(), Some(e.path()));
        }
    };
    let event_types: Vec<String> = body
        .events()
        .map(|e| e.event.event_type().to_string())
        .collect();
    // Logged as re-serialized, so the log shows what the types kept.
    match serde_json::to_string(&body) {
        Ok(text) => tracing::info!(event_types = ?event_types, json = %text, "webhook"),
        Err(e) => tracing::error!(event_types = ?event_types, error = %e, "webhook"),
    }
    // 202: every OneFuzz release counts it as delivered, and before 5.18
    // it was the only status that did (after a 200 it delivered 5 times).
    match &body {
        // A ping asks whether the endpoint is alive: answer with the ping.
        Body::Webhook(WebhookMessage {
            event: event @ WebhookEvent::Ping(_),
            ..
        }) => (StatusCode::ACCEPTED, Json(event)).into_response(),
        _ => StatusCode::ACCEPTED.into_response(),
    }
}

fn check_signature(secret: &[u8], headers: &HeaderMap, body: &[u8]) -> Result<(), String> {
    let value = match headers.get(DIGEST_HEADER).map(|v| v.to_str()) {
        None => None,
        Some(Ok(value)) => Some(value),
        Some(Err(_)) => return Err(format!("malformed {DIGEST_HEADER} header: not ASCII")),
    };
    signature::verify(secret, body, value).map_err(|e| e.to_string())
}

fn error(status: StatusCode, message: String, path: Option<&str>) -> Response {
    let body = match path {
        Some(path) => json!({"error": message, "path": path}),
        None => json!({"error": message}),
    };
    (status, Json(body)).into_response()
}
