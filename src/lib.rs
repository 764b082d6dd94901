//! Types for the webhook messages that OneFuzz sends, generated from the JSON
//! Schemas of its webhook events doc.
//!
//! A message is a [`WebhookMessage`]: an envelope (webhook and event ids)
//! around one [`WebhookEvent`], whose variant is chosen by the message's
//! `event_type`. Parse the request body with [`WebhookMessage::from_slice`];
//! a [`ParseError`] gives the JSON path of what did not fit.
//!
//! ```
//! use onefuzz_webhook_types::{WebhookEvent, WebhookEventType, WebhookMessage};
//!
//! // A request body, as OneFuzz sends it.
//! let body = concat!(
//!     r#"{"webhook_id":"00000000-0000-0000-0000-000000000001","#,
//!     r#""event_id":"00000000-0000-0000-0000-000000000002","#,
//!     r#""event_type":"ping","#,
//!     r#""event":{"ping_id":"00000000-0000-0000-0000-000000000003"}}"#,
//! );
//!
//! let message = WebhookMessage::from_slice(body.as_bytes())?;
//! assert_eq!(message.event_type(), WebhookEventType::Ping);
//! match &message.event {
//!     WebhookEvent::Ping(ping) => {
//!         assert_eq!(ping.ping_id.unwrap().to_string(), "00000000-0000-0000-0000-000000000003");
//!     }
//!     WebhookEvent::TaskFailed(failed) => eprintln!("task {} failed", failed.task_id),
//!     WebhookEvent::Unknown(unknown) => eprintln!("new event type {}", unknown.event_type),
//!     // `WebhookEvent` is non-exhaustive: new event types come in minor releases.
//!     _ => {}
//! }
//!
//! // Re-serializing gives back the same JSON.
//! assert_eq!(serde_json::to_string(&message)?, body);
//!
//! // A body that does not fit the schema names the place that does not.
//! let error = WebhookMessage::from_str(&body.replace("ping_id\":\"", "ping_id\":\"not a uuid")).unwrap_err();
//! assert_eq!(error.path(), "event.ping_id");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Event Grid
//!
//! A subscription with `message_format` `event_grid` is sent a JSON array
//! of [`EventGridEvent`] entries instead of a message. [`Body::from_slice`]
//! reads either format, telling them apart by the body itself (an object
//! is a message, an array is Event Grid), so a receiver needs no setting;
//! [`Body::events`] gives each event with its id either way. An entry's
//! `dataVersion` says what its `data` is ([`EventGridData`]): `1.0.0`, the
//! event alone, read as the entry's event type (under `eventType`, or
//! `EventType` from the C# service, written back as read); `2.0.0`, the
//! whole message. Another `dataVersion` is a [`ParseError`] at the entry's
//! `dataVersion`; an empty array is a body with no events.
//!
//! ```
//! use onefuzz_webhook_types::{Body, EventGridData, WebhookEventType};
//!
//! let message = concat!(
//!     r#"{"webhook_id":"00000000-0000-0000-0000-000000000001","#,
//!     r#""event_id":"00000000-0000-0000-0000-000000000002","#,
//!     r#""event_type":"ping","#,
//!     r#""event":{"ping_id":"00000000-0000-0000-0000-000000000003"}}"#,
//! );
//! let event_grid = concat!(
//!     r#"[{"data":{"ping_id":"00000000-0000-0000-0000-000000000003"},"#,
//!     r#""dataVersion":"1.0.0","eventTime":"2023-10-06T17:04:09+00:00","#,
//!     r#""eventType":"ping","id":"00000000-0000-0000-0000-000000000002","#,
//!     r#""subject":"onefuzz-instance"}]"#,
//! );
//!
//! // One entry point for both formats, and the same events from each.
//! for text in [message, event_grid] {
//!     let body = Body::from_str(text)?;
//!     for event in body.events() {
//!         assert_eq!(event.event.event_type(), WebhookEventType::Ping);
//!         let id = event.event_id.map(|id| id.to_string());
//!         assert_eq!(id.as_deref(), Some("00000000-0000-0000-0000-000000000002"));
//!     }
//!     // Re-serializing gives back the same JSON value.
//!     let again: serde_json::Value = serde_json::to_value(&body)?;
//!     assert_eq!(again, serde_json::from_str::<serde_json::Value>(text)?);
//! }
//!
//! let Body::EventGrid(entries) = Body::from_str(event_grid)? else {
//!     panic!("an array is Event Grid");
//! };
//! assert!(matches!(entries[0].data, EventGridData::Event(_)));
//!
//! // An error names the entry and the place in its data.
//! let error = Body::from_str(&event_grid.replace("ping_id\":\"", "ping_id\":\"x")).unwrap_err();
//! assert_eq!(error.path(), "[0].data.ping_id");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Forward compatibility
//!
//! OneFuzz is upgraded more often than its receivers, so a message from a
//! newer sender should not break an older receiver:
//!
//! - **Unknown event types** parse into [`WebhookEvent::Unknown`], an
//!   [`UnknownEvent`] holding the `event_type` and the event body as JSON;
//!   [`WebhookMessage::event_type`] returns [`WebhookEventType::Unknown`]
//!   with the name. Such a message serializes back to the same JSON value.
//! - **Enums inside events are open.** A string enum ([`TaskType`],
//!   [`ContainerType`], ...) keeps a value it does not list in its
//!   `Unknown(String)` variant and is `#[non_exhaustive]`; an integer enum
//!   ([`ErrorCode`]) holds any integer, with [`ErrorCode::KNOWN`] and
//!   `is_known()`. Either re-serializes as sent: a newer sender's task type
//!   is not bad input. A value of the wrong JSON type is a [`ParseError`].
//! - **Explicit `null`s** of optional fields read as `None`, and each
//!   struct's [`Nulls`] record keeps them, so re-serializing writes them
//!   back.
//! - **Unknown fields** (fields the schemas do not name) are accepted at
//!   every level. With the default cargo feature `preserve-unknown-fields`,
//!   every generated struct and the message have an `extra` map that keeps
//!   them, so re-serializing or relaying a message loses nothing; it costs
//!   about 8% more parse work, and unknown values are held in memory as
//!   JSON (cap request bodies). Without the feature they are dropped. Keys
//!   inside free-form string maps (such as environment variables) are map
//!   data and are kept either way.
//!
//! # Signatures
//!
//! OneFuzz signs a webhook whose subscription has a `secret_token`: the
//! header [`DIGEST_HEADER`] (`X-Onefuzz-Digest`) carries the hex
//! HMAC-SHA512 of the raw body. Check it with [`signature::verify`] on the
//! body as received, before parsing; a missing, malformed or wrong digest is
//! a distinct [`SignatureError`].
//!
//! # Receiving
//!
//! [`receive::Receiver::receive`] is one call from a request (the digest
//! header's value and the body bytes) to its [`Body`], or to a
//! [`receive::ReceiveError`] that gives the status to answer with (401 for
//! a signature, 400 with the JSON path for a body); an accepted body is
//! answered 202. OneFuzz delivers at least once: [`dedup::Dedup`] tells a
//! retry from a new event by the event's id. With feature `axum`,
//! `axum::OnefuzzWebhook` is an extractor on the same call.
//!
//! # Cargo features
//!
//! - `signature` (default): the [`signature`] and [`receive`] modules
//!   (HMAC-SHA512 with RustCrypto's `hmac` and `sha2`).
//! - `axum`: the `axum` module, an extractor for axum 0.8 (implies
//!   `signature`).
//! - `preserve-unknown-fields` (default): keep unknown fields in `extra`
//!   maps (see above).
//! - `codegen`: generate the types from the schemas at build time instead of
//!   using the checked-in code (for working on this crate).
//!
//! # Example receiver
//!
//! `examples/receiver` is an HTTP server that checks signatures, parses
//! messages, answers pings, skips events delivered before and logs each
//! event:
//! `cargo run --example receiver`.
#![warn(missing_docs)]

// The README's Rust code runs as doctests, so what it shows is what builds.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(feature = "axum")]
pub mod axum;
mod body;
mod datetime;
pub mod dedup;
mod envelope;
mod event_grid;
mod held;
mod message;
mod nulls;
mod parse_error;
#[cfg(feature = "signature")]
pub mod receive;
#[cfg(feature = "signature")]
pub mod signature;

/// The types generated from `schemas/`.
#[allow(clippy::all)]
mod generated {
    #[cfg(feature = "codegen")]
    include!(concat!(env!("OUT_DIR"), "/generated.rs"));
    #[cfg(not(feature = "codegen"))]
    include!("generated.rs");
}

pub use body::{Body, BodyEvent};
pub use datetime::{DateTime, InvalidDateTime};
pub use envelope::UnknownEvent;
pub use event_grid::{EventGridData, EventGridEvent, EventTypeKey};
pub use generated::*;
#[doc(hidden)]
pub use message::__deserialize_body;
pub use nulls::Nulls;
pub use parse_error::ParseError;
#[cfg(feature = "signature")]
pub use signature::{MalformedDigest, SignatureError, DIGEST_HEADER};
