//! Verification of signed OneFuzz webhooks.
//!
//! When a webhook subscription has a `secret_token`, OneFuzz sends the
//! lowercase hex HMAC-SHA512 of the raw request body, keyed with that token,
//! in the [`DIGEST_HEADER`] (`X-Onefuzz-Digest`) header. A receiver calls
//! [`verify`] with the token, the body exactly as received (before any JSON
//! parsing) and the header's value; [`sign`] produces the header value, for
//! senders and tests.
//!
//! This module is available with the `signature` cargo feature, which is on
//! by default.
//!
//! # Example
//!
//! ```
//! use onefuzz_webhook_types::signature::{sign, verify, SignatureError};
//!
//! let secret = b"my-webhook-token";
//! let body = br#"{"event_type":"ping"}"#;
//!
//! // What OneFuzz puts in the `X-Onefuzz-Digest` header.
//! let header = sign(secret, body);
//!
//! assert_eq!(verify(secret, body, Some(&header)), Ok(()));
//! assert_eq!(verify(secret, b"tampered", Some(&header)), Err(SignatureError::Mismatch));
//! assert_eq!(verify(secret, body, None), Err(SignatureError::Missing));
//! ```

use std::fmt::Write as _;

use hmac::{Hmac, Mac};
use sha2::Sha512;

/// Name of the HTTP header that carries the hex HMAC-SHA512 of a webhook's body.
///
/// HTTP header names are case-insensitive; compare accordingly when looking
/// the header up.
pub const DIGEST_HEADER: &str = "X-Onefuzz-Digest";

/// Length in bytes of an HMAC-SHA512 digest.
const DIGEST_LEN: usize = 64;

/// Length in hex characters of an HMAC-SHA512 digest.
const DIGEST_HEX_LEN: usize = 2 * DIGEST_LEN;

/// Why a webhook's signature was not accepted by [`verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The request has no `X-Onefuzz-Digest` header.
    #[error("the request has no {DIGEST_HEADER} header")]
    Missing,
    /// The header is present but is not 128 hex characters.
    #[error("malformed {DIGEST_HEADER} header: {0}")]
    Malformed(MalformedDigest),
    /// The header is a well-formed digest, but not the one of this body and
    /// secret: the body was altered, or the sender used another secret.
    #[error("the {DIGEST_HEADER} header does not match the request body")]
    Mismatch,
}

/// What is wrong with a malformed `X-Onefuzz-Digest` header value.
///
/// The messages describe the value's shape only and never repeat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MalformedDigest {
    /// The value, without surrounding whitespace, does not have the 128
    /// characters of a hex HMAC-SHA512 digest.
    #[error("expected {DIGEST_HEX_LEN} hex characters, found {found} characters")]
    Length {
        /// Number of characters (not bytes) found.
        found: usize,
    },
    /// The value has the right length but a character that is not a hex digit.
    #[error("character {position} is not a hex digit (0-9, a-f, A-F)")]
    NotHex {
        /// Zero-based index, in characters, of the first offending character,
        /// counted after surrounding whitespace is removed.
        position: usize,
    },
}

/// Checks a webhook's `X-Onefuzz-Digest` header against its body.
///
/// `secret` is the subscription's `secret_token`, `body` the raw request body
/// as received, and `header_value` the value of the [`DIGEST_HEADER`] header,
/// or `None` when the request has none. Hex digits may be upper- or
/// lowercase, and surrounding ASCII whitespace is ignored. The digest is
/// compared in constant time, so response timing reveals nothing about the
/// expected value.
///
/// # Errors
///
/// - [`SignatureError::Missing`] when `header_value` is `None`;
/// - [`SignatureError::Malformed`] when it is not 128 hex characters
///   (an empty value included);
/// - [`SignatureError::Mismatch`] when it is a digest, but not this body's
///   under this secret.
///
/// # Example
///
/// ```
/// use onefuzz_webhook_types::signature::{verify, SignatureError, MalformedDigest};
///
/// let digest = "de4a671e8233987c46a9048b8041bda6296901960022836c15c28023d3f66c37\
///               20449af241bdfe2e592c5b2273730cd1df763073e018e60d7313077c5342fde9";
/// assert_eq!(verify(b"secret", b"body", Some(digest)), Ok(()));
/// assert_eq!(
///     verify(b"secret", b"body", Some("abc")),
///     Err(SignatureError::Malformed(MalformedDigest::Length { found: 3 })),
/// );
/// ```
pub fn verify(
    secret: &[u8],
    body: &[u8],
    header_value: Option<&str>,
) -> Result<(), SignatureError> {
    let header_value = header_value.ok_or(SignatureError::Missing)?;
    let expected = decode_digest(header_value.trim_ascii()).map_err(SignatureError::Malformed)?;
    hmac_sha512(secret, body)
        .verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// Computes the `X-Onefuzz-Digest` header value for `body` under `secret`:
/// the lowercase hex HMAC-SHA512, 128 characters long.
///
/// # Example
///
/// ```
/// use onefuzz_webhook_types::signature::sign;
///
/// assert_eq!(
///     sign(b"secret", b"body"),
///     "de4a671e8233987c46a9048b8041bda6296901960022836c15c28023d3f66c37\
///      20449af241bdfe2e592c5b2273730cd1df763073e018e60d7313077c5342fde9",
/// );
/// ```
#[must_use]
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let digest = hmac_sha512(secret, body).finalize().into_bytes();
    digest
        .iter()
        .fold(String::with_capacity(DIGEST_HEX_LEN), |mut hex, byte| {
            // Writing to a `String` cannot fail.
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// HMAC-SHA512 state keyed with `secret` that has consumed `body`.
fn hmac_sha512(secret: &[u8], body: &[u8]) -> Hmac<Sha512> {
    // HMAC accepts keys of any length (longer ones are hashed first), so this
    // never fails.
    let mut mac = Hmac::<Sha512>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(body);
    mac
}

/// Decodes a 128-character hex digest, of either case.
///
/// Works on `char`s rather than bytes so that lengths and positions in errors
/// are what a person sees, and multibyte characters are reported, not split.
fn decode_digest(hex: &str) -> Result<[u8; DIGEST_LEN], MalformedDigest> {
    let found = hex.chars().count();
    if found != DIGEST_HEX_LEN {
        return Err(MalformedDigest::Length { found });
    }
    let mut digest = [0u8; DIGEST_LEN];
    for (position, c) in hex.chars().enumerate() {
        // `to_digit(16)` accepts only ASCII 0-9, a-f and A-F.
        let nibble = c.to_digit(16).ok_or(MalformedDigest::NotHex { position })?;
        // The length check keeps `position / 2` in range; `get_mut` keeps
        // this panic-free regardless.
        if let Some(byte) = digest.get_mut(position / 2) {
            // The first nibble of a pair ends up as the high half.
            *byte = (*byte << 4) | nibble as u8;
        }
    }
    Ok(digest)
}
