use std::path::PathBuf;

/// Why the schemas could not be turned into Rust.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: invalid JSON: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{file}: {pointer}: {message}")]
    Schema {
        file: String,
        pointer: String,
        message: String,
    },
    #[error(transparent)]
    Conflict(#[from] crate::merge::Conflict),
    #[error("typify: {0}")]
    Typify(String),
}
