use std::fmt;

use crate::envelope::DEFERRED_SEPARATOR;

/// Why a webhook message could not be parsed: the JSON path of the failure
/// and what was wrong there.
#[derive(Debug)]
pub struct ParseError {
    path: String,
    /// The message without its path, when the path came inside it.
    message: Option<String>,
    inner: serde_json::Error,
}

impl ParseError {
    pub(crate) fn new(error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if path == "." && inner.is_data() {
            let text = inner.to_string();
            let text = text.split(" at line ").next().unwrap_or_default();
            if let Some((path, message)) =
                text.split_once(DEFERRED_SEPARATOR).filter(|(path, _)| {
                    *path == "event" || path.starts_with("event.") || path.starts_with("event[")
                })
            {
                return Self {
                    path: path.to_owned(),
                    message: Some(message.to_owned()),
                    inner,
                };
            }
        }
        Self {
            path,
            message: None,
            inner,
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
