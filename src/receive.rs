//! One call from a request to its events, for any HTTP framework.
//!
//! [`Receiver::receive`] takes what a handler has at hand (the value of the
//! [`DIGEST_HEADER`] header, if any, and the raw body bytes), checks the
//! signature when the receiver has a secret, and parses the body in either
//! format ([`Body::from_slice`]). An error is a [`ReceiveError`] whose
//! [`status`](ReceiveError::status) is the HTTP status to answer with:
//!
//! | outcome | status |
//! |---|---|
//! | `Ok(body)`: the body is accepted | [`ACCEPTED`] (202) |
//! | a missing, malformed or wrong signature | 401 |
//! | a body that does not parse, at [`path`](ReceiveError::path) | 400 |
//!
//! Answer an accepted body **202**, whatever it holds: every OneFuzz
//! release counts 202 as delivered, and before 5.18 no other status did (a
//! 200 made the sender deliver the event 5 times). OneFuzz delivers at
//! least once, so a body may hold an event already handled: answer it 202
//! as well, and skip it with [`Dedup`](crate::dedup::Dedup).
//!
//! Cap the body before calling (a 413 is the framework's to give):
//! the parsed body is held in memory.
//!
//! ```
//! use onefuzz_webhook_types::receive::{Receiver, ACCEPTED};
//! use onefuzz_webhook_types::signature::sign;
//!
//! let receiver = Receiver::signed("my-webhook-token");
//!
//! // A request as a framework hands it over: headers and the body bytes.
//! let body = concat!(
//!     r#"{"webhook_id":"00000000-0000-0000-0000-000000000001","#,
//!     r#""event_id":"00000000-0000-0000-0000-000000000002","#,
//!     r#""event_type":"ping","#,
//!     r#""event":{"ping_id":"00000000-0000-0000-0000-000000000003"}}"#,
//! );
//! let digest = sign(b"my-webhook-token", body.as_bytes());
//! let headers = [("content-type", "application/json"), ("x-onefuzz-digest", digest.as_str())];
//!
//! let status = match receiver.receive_from_headers(headers, body.as_bytes()) {
//!     Ok(body) => {
//!         for event in body.events() {
//!             println!("{:?}: {}", event.event_id, event.event.event_type());
//!         }
//!         ACCEPTED
//!     }
//!     Err(error) => {
//!         eprintln!("rejected: {error}");
//!         error.status()
//!     }
//! };
//! assert_eq!(status, 202);
//!
//! // Or with the header's value alone: none, or bytes that are no digest.
//! let error = receiver.receive(None, body.as_bytes()).unwrap_err();
//! assert_eq!((error.status(), error.path()), (401, None));
//! let error = receiver.receive(Some(b"\xff"), body.as_bytes()).unwrap_err();
//! assert_eq!(error.status(), 401);
//!
//! // A body that does not parse, say where.
//! let bad = body.replace(r#"":"00000000-0000-0000-0000-000000000003""#, r#"":3"#);
//! let digest = sign(b"my-webhook-token", bad.as_bytes());
//! let error = receiver.receive(Some(digest.as_bytes()), bad.as_bytes()).unwrap_err();
//! assert_eq!((error.status(), error.path()), (400, Some("event.ping_id")));
//! ```

use std::fmt;
use std::sync::Arc;

use crate::signature::{self, SignatureError, DIGEST_HEADER};
use crate::{Body, ParseError};

/// The status that answers an accepted body: 202 Accepted, which every
/// OneFuzz release counts as delivered (before 5.18, the only one).
pub const ACCEPTED: u16 = 202;

/// The status for a missing, malformed or wrong signature.
pub const UNAUTHORIZED: u16 = 401;

/// The status for a body that does not parse.
pub const BAD_REQUEST: u16 = 400;

/// How requests are checked: with the subscription's secret, or unsigned.
///
/// Cheap to clone (the secret is shared), and its `Debug` does not show
/// the secret.
#[derive(Clone, Default)]
pub struct Receiver {
    secret: Option<Arc<[u8]>>,
}

impl Receiver {
    /// A receiver for a subscription with `secret_token` `secret`: every
    /// request must carry that secret's digest of its body.
    #[must_use]
    pub fn signed(secret: impl AsRef<[u8]>) -> Self {
        Self {
            secret: Some(Arc::from(secret.as_ref())),
        }
    }

    /// A receiver for a subscription without a secret: the digest header is
    /// not looked at.
    #[must_use]
    pub fn unsigned() -> Self {
        Self { secret: None }
    }

    /// [`signed`](Self::signed) with `Some`, [`unsigned`](Self::unsigned)
    /// with `None`, as a configuration reads it.
    #[must_use]
    pub fn new(secret: Option<impl AsRef<[u8]>>) -> Self {
        secret.map_or_else(Self::unsigned, Self::signed)
    }

    /// Whether requests must be signed.
    #[must_use]
    pub fn is_signed(&self) -> bool {
        self.secret.is_some()
    }

    /// Checks and parses one request: `digest` is the value of the
    /// [`DIGEST_HEADER`] header as the framework gives it (`None` when the
    /// request has none), `body` the raw body bytes.
    ///
    /// A digest that is not UTF-8 is a malformed one. Without a secret the
    /// digest is ignored.
    ///
    /// # Errors
    ///
    /// [`ReceiveError::Signature`] (401) when the receiver is signed and the
    /// digest is missing, malformed or not this body's;
    /// [`ReceiveError::Parse`] (400) when the body is neither body format.
    pub fn receive(&self, digest: Option<&[u8]>, body: &[u8]) -> Result<Body, ReceiveError> {
        if let Some(secret) = &self.secret {
            // Bytes that are not UTF-8 become U+FFFD, which is no hex digit:
            // the error then says which character it is, as for any other.
            let digest = digest.map(String::from_utf8_lossy);
            signature::verify(secret, body, digest.as_deref())?;
        }
        Ok(Body::from_slice(body)?)
    }

    /// [`receive`](Self::receive), finding the digest among the request's
    /// `headers`, as (name, value) pairs, with [`digest_header`].
    ///
    /// # Errors
    ///
    /// As [`receive`](Self::receive).
    pub fn receive_from_headers<N, V>(
        &self,
        headers: impl IntoIterator<Item = (N, V)>,
        body: &[u8],
    ) -> Result<Body, ReceiveError>
    where
        N: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        let digest = if self.is_signed() {
            digest_header(headers)
        } else {
            None
        };
        self.receive(digest.as_ref().map(AsRef::as_ref), body)
    }
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("signed", &self.is_signed())
            .finish()
    }
}

/// The value of the first [`DIGEST_HEADER`] header among `headers`, as
/// (name, value) pairs, the name compared without regard to ASCII case
/// (HTTP header names are case-insensitive). OneFuzz sends one.
///
/// ```
/// use onefuzz_webhook_types::receive::digest_header;
///
/// let headers = [("Content-Type", "application/json"), ("X-ONEFUZZ-DIGEST", "ab12")];
/// assert_eq!(digest_header(headers), Some("ab12"));
/// assert_eq!(digest_header([("digest", "ab12")]), None);
/// ```
pub fn digest_header<N, V>(headers: impl IntoIterator<Item = (N, V)>) -> Option<V>
where
    N: AsRef<[u8]>,
{
    headers
        .into_iter()
        .find(|(name, _)| name.as_ref().eq_ignore_ascii_case(DIGEST_HEADER.as_bytes()))
        .map(|(_, value)| value)
}

/// Why [`Receiver::receive`] did not accept a request; [`status`](Self::status)
/// is the HTTP status to answer with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiveError {
    /// The signature is missing, malformed or wrong: 401.
    #[error(transparent)]
    Signature(#[from] SignatureError),
    /// The body is neither a webhook message nor Event Grid events: 400,
    /// with the JSON [`path`](ParseError::path) of what did not fit.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

impl ReceiveError {
    /// The HTTP status to answer with: [`UNAUTHORIZED`] (401) for a
    /// signature, [`BAD_REQUEST`] (400) for a body.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            ReceiveError::Signature(_) => UNAUTHORIZED,
            ReceiveError::Parse(_) => BAD_REQUEST,
        }
    }

    /// For a body that does not parse, the JSON path of what did not fit
    /// (`.` for the whole body); `None` for a signature.
    #[must_use]
    pub fn path(&self) -> Option<&str> {
        match self {
            ReceiveError::Signature(_) => None,
            ReceiveError::Parse(error) => Some(error.path()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::{sign, MalformedDigest};

    const SECRET: &[u8] = b"receive-test-secret";
    const BODY: &str = concat!(
        r#"{"webhook_id":"00000000-0000-0000-0000-000000000001","#,
        r#""event_id":"00000000-0000-0000-0000-000000000002","#,
        r#""event_type":"zz_test_event","event":{"n":1}}"#,
    );

    fn signature_error(result: Result<Body, ReceiveError>) -> SignatureError {
        match result {
            Err(ReceiveError::Signature(error)) => error,
            other => panic!("not a signature error: {other:?}"),
        }
    }

    #[test]
    fn a_signed_body_is_its_parse() {
        let digest = sign(SECRET, BODY.as_bytes());
        let body = Receiver::signed(SECRET)
            .receive(Some(digest.as_bytes()), BODY.as_bytes())
            .unwrap();
        assert_eq!(body, Body::from_str(BODY).unwrap());
        // Either case of hex, surrounding whitespace.
        let upper = format!(" {}\t", digest.to_uppercase());
        assert!(Receiver::signed(SECRET)
            .receive(Some(upper.as_bytes()), BODY.as_bytes())
            .is_ok());
    }

    #[test]
    fn every_signature_failure_is_401_without_a_path() {
        let receiver = Receiver::signed(SECRET);
        let body = BODY.as_bytes();
        let other = sign(b"another secret", body);
        let hex = [b'a'; 128];
        let cases: [(Option<&[u8]>, SignatureError); 5] = [
            (None, SignatureError::Missing),
            (
                Some(b"abc"),
                SignatureError::Malformed(MalformedDigest::Length { found: 3 }),
            ),
            (
                Some(b""),
                SignatureError::Malformed(MalformedDigest::Length { found: 0 }),
            ),
            (Some(other.as_bytes()), SignatureError::Mismatch),
            (Some(&hex), SignatureError::Mismatch),
        ];
        for (digest, expected) in cases {
            let result = receiver.receive(digest, body);
            let error = result.as_ref().unwrap_err();
            assert_eq!((error.status(), error.path()), (401, None));
            assert_eq!(signature_error(result), expected);
        }
    }

    #[test]
    fn a_digest_that_is_not_utf8_is_malformed_at_its_place() {
        let receiver = Receiver::signed(SECRET);
        let mut digest = sign(SECRET, BODY.as_bytes()).into_bytes();
        digest[5] = 0xff;
        let error = signature_error(receiver.receive(Some(&digest), BODY.as_bytes()));
        assert_eq!(
            error,
            SignatureError::Malformed(MalformedDigest::NotHex { position: 5 })
        );
        // Cut inside a multibyte character.
        let error = signature_error(receiver.receive(Some(&"é".as_bytes()[..1]), b"{}"));
        assert_eq!(
            error,
            SignatureError::Malformed(MalformedDigest::Length { found: 1 })
        );
    }

    #[test]
    fn a_body_that_does_not_parse_is_400_with_its_path() {
        let bad = BODY.replace("\"event_id\":\"", "\"event_id\":\"x");
        let digest = sign(SECRET, bad.as_bytes());
        for (receiver, digest) in [
            (Receiver::signed(SECRET), Some(digest.as_bytes())),
            (Receiver::unsigned(), None),
        ] {
            let error = receiver.receive(digest, bad.as_bytes()).unwrap_err();
            assert!(matches!(error, ReceiveError::Parse(_)), "{error:?}");
            assert_eq!((error.status(), error.path()), (400, Some("event_id")));
            assert!(error.to_string().starts_with("event_id: "), "{error}");
        }
    }

    #[test]
    fn the_signature_is_checked_before_the_body_is_read() {
        let error = Receiver::signed(SECRET)
            .receive(None, b"not json")
            .unwrap_err();
        assert_eq!(error.status(), 401);
    }

    #[test]
    fn an_unsigned_receiver_ignores_the_digest() {
        let receiver = Receiver::new(None::<&[u8]>);
        assert!(!receiver.is_signed());
        for digest in [None, Some(&b"not a digest"[..])] {
            assert!(receiver.receive(digest, BODY.as_bytes()).is_ok());
        }
        assert!(Receiver::new(Some(SECRET)).is_signed());
    }

    #[test]
    fn odd_input_is_an_error_not_a_panic() {
        let receiver = Receiver::unsigned();
        let deep = "[".repeat(10_000);
        let inputs: [&[u8]; 8] = [
            b"",
            b"   ",
            b"\xff\xfe",
            b"null",
            b"[]",
            b"[null]",
            b"{\"event\":",
            deep.as_bytes(),
        ];
        for input in inputs {
            if let Err(error) = receiver.receive(None, input) {
                assert_eq!(error.status(), 400);
                assert!(error.path().is_some());
            }
            let signed = Receiver::signed(b"");
            let digest = sign(b"", input);
            let _ = signed.receive(Some(digest.as_bytes()), input);
        }
    }

    #[test]
    fn headers_are_found_whatever_their_case() {
        let digest = sign(SECRET, BODY.as_bytes());
        let receiver = Receiver::signed(SECRET);
        for name in ["X-Onefuzz-Digest", "x-onefuzz-digest", "X-ONEFUZZ-DIGEST"] {
            let headers = vec![("user-agent".to_owned(), "onefuzz-webhook 8.9.0".to_owned())]
                .into_iter()
                .chain([(name.to_owned(), digest.clone())]);
            assert!(receiver
                .receive_from_headers(headers, BODY.as_bytes())
                .is_ok());
        }
        let error = receiver
            .receive_from_headers([("x-onefuzz-digest-2", digest.as_str())], BODY.as_bytes())
            .unwrap_err();
        assert_eq!(signature_error(Err(error)), SignatureError::Missing);
        // The first of two wins.
        let headers = [
            ("x-onefuzz-digest", digest.as_str()),
            ("x-onefuzz-digest", "0"),
        ];
        assert!(receiver
            .receive_from_headers(headers, BODY.as_bytes())
            .is_ok());
    }

    #[test]
    fn debug_does_not_show_the_secret() {
        let text = format!("{:?}", Receiver::signed("hunter2"));
        assert_eq!(text, "Receiver { signed: true }");
    }
}
