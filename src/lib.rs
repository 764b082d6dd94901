//! Types for OneFuzz webhook events.

#[cfg(feature = "signature")]
pub mod signature;
#[cfg(feature = "signature")]
pub use signature::{MalformedDigest, SignatureError, DIGEST_HEADER};
