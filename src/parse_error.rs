use std::fmt;

/// Why a webhook message could not be parsed: the JSON path of the failure
/// and what was wrong there.
#[derive(Debug)]
pub struct ParseError {
    path: String,
    /// The message, when it comes from a second parse of part of the input.
    message: Option<String>,
    inner: serde_json::Error,
}

impl ParseError {
    pub(crate) fn new(error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        Self {
            path: error.path().to_string(),
            message: None,
            inner: error.into_inner(),
        }
    }

    /// An error found at `path` by a second, structural parse; `outer` is
    /// the first parse's error, which gives the position.
    pub(crate) fn at(path: String, message: String, outer: serde_json::Error) -> Self {
        Self {
            path,
            message: Some(message),
            inner: outer,
        }
    }

    /// An error about the input as a whole.
    pub(crate) fn whole(inner: serde_json::Error) -> Self {
        Self {
            path: ".".to_owned(),
            message: None,
            inner,
        }
    }

    /// The JSON path of the failing value, e.g. `event.error` (`.` for the whole message).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Line of the input where parsing stopped (1-based).
    pub fn line(&self) -> usize {
        self.inner.line()
    }

    /// Column of the input where parsing stopped (1-based).
    pub fn column(&self) -> usize {
        self.inner.column()
    }

    /// The error without its path.
    pub fn inner(&self) -> &serde_json::Error {
        &self.inner
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(message) => write!(
                f,
                "{}: {message} at line {} column {}",
                self.path,
                self.line(),
                self.column()
            ),
            None if self.path == "." => write!(f, "{}", self.inner),
            None => write!(f, "{}: {}", self.path, self.inner),
        }
    }
}

impl std::error::Error for ParseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner)
    }
}
