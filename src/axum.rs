//! An [axum](https://docs.rs/axum/0.8) extractor for OneFuzz webhooks, on
//! [`Receiver::receive`]: feature `axum`.
//!
//! [`OnefuzzWebhook`] reads the request body, checks its signature with the
//! [`Receiver`] it gets from the router's state (through [`FromRef`]; a
//! `Receiver` is a state of its own), and parses it. Its rejection,
//! [`WebhookRejection`], answers with the status of
//! [`ReceiveError::status`] (401 or 400), or the status of a body that
//! could not be read (413 over the body limit), and a JSON body
//! `{"error": "<what was wrong>", "path": "<JSON path>"}`, `path` only
//! for a body that does not parse.
//!
//! ```no_run
//! use axum::extract::FromRef;
//! use axum::http::StatusCode;
//! use axum::routing::post;
//! use axum::Router;
//! use onefuzz_webhook_types::axum::OnefuzzWebhook;
//! use onefuzz_webhook_types::receive::Receiver;
//!
//! #[derive(Clone)]
//! struct State {
//!     receiver: Receiver,
//! }
//!
//! impl FromRef<State> for Receiver {
//!     fn from_ref(state: &State) -> Receiver {
//!         state.receiver.clone()
//!     }
//! }
//!
//! async fn webhook(OnefuzzWebhook(body): OnefuzzWebhook) -> StatusCode {
//!     for event in body.events() {
//!         println!("{:?}: {}", event.event_id, event.event.event_type());
//!     }
//!     // Every OneFuzz release counts 202 as delivered.
//!     StatusCode::ACCEPTED
//! }
//!
//! let state = State { receiver: Receiver::signed("my-webhook-token") };
//! let app: Router = Router::new().route("/", post(webhook)).with_state(state);
//! ```

use ::axum::body::Bytes;
use ::axum::extract::rejection::BytesRejection;
use ::axum::extract::{FromRef, FromRequest, Request};
use ::axum::http::{header, HeaderValue, StatusCode};
use ::axum::response::{IntoResponse, Response};

use crate::receive::{ReceiveError, Receiver};
use crate::signature::DIGEST_HEADER;
use crate::Body;

/// A webhook body whose signature was checked, in either format: extract
/// it in a handler whose state gives a [`Receiver`] (see
/// [the module docs](self)).
#[derive(Clone, Debug, PartialEq)]
pub struct OnefuzzWebhook(pub Body);

impl<S> FromRequest<S> for OnefuzzWebhook
where
    S: Send + Sync,
    Receiver: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let receiver = Receiver::from_ref(state);
        let digest = request.headers().get(DIGEST_HEADER).cloned();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(WebhookRejection::Body)?;
        let digest = digest.as_ref().map(HeaderValue::as_bytes);
        match receiver.receive(digest, &body) {
            Ok(body) => Ok(Self(body)),
            Err(error) => Err(WebhookRejection::Receive(error)),
        }
    }
}

/// Why [`OnefuzzWebhook`] rejected a request; as a response, its
/// [`status`](Self::status) and a JSON body with the error (and the JSON
/// path, for a body that does not parse).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The body could not be read: over the body limit (413), or the
    /// connection failed.
    #[error(transparent)]
    Body(BytesRejection),
    /// The signature or the body was not accepted.
    #[error(transparent)]
    Receive(ReceiveError),
}

impl WebhookRejection {
    /// The response's status: [`ReceiveError::status`], or the body's
    /// rejection's.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookRejection::Body(rejection) => rejection.status(),
            WebhookRejection::Receive(error) => {
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST)
            }
        }
    }

    /// The JSON path of what did not parse, for a body that does not.
    #[must_use]
    pub fn path(&self) -> Option<&str> {
        match self {
            WebhookRejection::Body(_) => None,
            WebhookRejection::Receive(error) => error.path(),
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let error = match &self {
            WebhookRejection::Body(rejection) => rejection.body_text(),
            WebhookRejection::Receive(error) => error.to_string(),
        };
        let body = match self.path() {
            Some(path) => serde_json::json!({"error": error, "path": path}),
            None => serde_json::json!({"error": error}),
        };
        let json = [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )];
        (self.status(), json, body.to_string()).into_response()
    }
}

#[cfg(test)]
mod tests {
    use ::axum::body::to_bytes;
    use serde_json::{json, Value};

    use super::*;
    use crate::signature::sign;

    const SECRET: &str = "axum-test-secret";
    const BODY: &str = concat!(
        r#"{"webhook_id":"00000000-0000-0000-0000-000000000001","#,
        r#""event_id":"00000000-0000-0000-0000-000000000002","#,
        r#""event_type":"zz_test_event","event":{"n":1}}"#,
    );

    fn request(body: impl Into<::axum::body::Body>, digest: Option<&str>) -> Request {
        let mut request = Request::builder().method("POST").uri("/");
        if let Some(digest) = digest {
            // Any case: header names are case-insensitive.
            request = request.header("x-ONEFUZZ-digest", digest);
        }
        request.body(body.into()).unwrap()
    }

    fn extract(request: Request) -> Result<OnefuzzWebhook, WebhookRejection> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(OnefuzzWebhook::from_request(
            request,
            &Receiver::signed(SECRET),
        ))
    }

    /// The rejection as a response: its status and JSON body.
    fn respond(rejection: WebhookRejection) -> (u16, Value) {
        let response = rejection.into_response();
        let status = response.status().as_u16();
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let bytes = runtime
            .block_on(to_bytes(response.into_body(), usize::MAX))
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[test]
    fn a_signed_body_is_extracted() {
        let digest = sign(SECRET.as_bytes(), BODY.as_bytes());
        let OnefuzzWebhook(body) = extract(request(BODY, Some(&digest))).unwrap();
        assert_eq!(body, Body::from_str(BODY).unwrap());
    }

    #[test]
    fn a_bad_signature_is_401_without_a_path() {
        let other = sign(b"another secret", BODY.as_bytes());
        for digest in [None, Some("not hex"), Some(other.as_str())] {
            let rejection = extract(request(BODY, digest)).unwrap_err();
            let expected = rejection.to_string();
            let (status, body) = respond(rejection);
            assert_eq!(status, 401);
            assert_eq!(body, json!({"error": expected}));
        }
    }

    #[test]
    fn a_digest_that_is_not_ascii_is_401() {
        let digest = HeaderValue::from_bytes(&[b'a', 0xff]).unwrap();
        let mut request = request(BODY, None);
        request.headers_mut().insert(DIGEST_HEADER, digest);
        let (status, _) = respond(extract(request).unwrap_err());
        assert_eq!(status, 401);
    }

    #[test]
    fn a_body_that_does_not_parse_is_400_with_its_path() {
        let bad = BODY.replace(r#""event_id":""#, r#""event_id":"x"#);
        let digest = sign(SECRET.as_bytes(), bad.as_bytes());
        let rejection = extract(request(bad, Some(&digest))).unwrap_err();
        assert_eq!(rejection.path(), Some("event_id"));
        let expected = rejection.to_string();
        let (status, body) = respond(rejection);
        assert_eq!(status, 400);
        assert_eq!(body, json!({"error": expected, "path": "event_id"}));
    }

    #[test]
    fn a_body_over_the_limit_is_413() {
        // axum's default limit, 2 MiB, applies without a `DefaultBodyLimit`.
        let big = vec![b' '; 2 * 1024 * 1024 + 1];
        let digest = sign(SECRET.as_bytes(), &big);
        let rejection = extract(request(big, Some(&digest))).unwrap_err();
        assert!(matches!(rejection, WebhookRejection::Body(_)));
        let (status, body) = respond(rejection);
        assert_eq!(status, 413);
        assert!(body["error"].is_string(), "{body}");
        assert_eq!(body.get("path"), None);
    }
}
