//! Types for OneFuzz webhook events.

mod datetime;
mod envelope;
mod message;
mod parse_error;
#[cfg(feature = "signature")]
pub mod signature;

/// The types generated from `schemas/`.
#[allow(clippy::all, missing_docs)]
mod generated {
    #[cfg(feature = "codegen")]
    include!(concat!(env!("OUT_DIR"), "/generated.rs"));
    #[cfg(not(feature = "codegen"))]
    include!("generated.rs");
}

pub use datetime::{DateTime, InvalidDateTime};
pub use envelope::UnknownEvent;
pub use generated::*;
pub use parse_error::ParseError;
#[cfg(feature = "signature")]
pub use signature::{MalformedDigest, SignatureError, DIGEST_HEADER};
