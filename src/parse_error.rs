use std::fmt;

use serde_json::error::Category;
use serde_path_to_error::Segment;

/// Why a webhook message could not be parsed: where, and what was found
/// there.
///
/// `Display` gives one line for a log, in one of these forms:
///
/// ```text
/// event.job_id: invalid type: boolean `true`, expected a formatted UUID string at line 1 column 676
/// end of input inside event.config (line 1 column 312)
/// not JSON at line 1 column 1: expected value
/// not JSON inside event.config at line 1 column 40: expected `,` or `}`
/// JSON nested too deep inside event at line 1 column 140: recursion limit exceeded
/// no JSON value in the input (line 1 column 0)
/// ```
///
/// The first is JSON that does not fit the schema, at
/// [`path`](Self::path); then a truncated body, input that is not JSON,
/// nesting deeper than serde_json's 128 levels, and an empty input.
#[derive(Debug)]
pub struct ParseError {
    path: String,
    /// What was wrong, without the position.
    message: String,
    kind: Kind,
    /// Where the arrays that nest too deep begin: their path is as long as
    /// the nesting is deep.
    nesting_starts: Option<String>,
    inner: serde_json::Error,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// The input holds nothing but whitespace.
    Empty,
    /// The input ends inside a value.
    Eof,
    /// Not JSON.
    Syntax,
    /// JSON nested deeper than serde_json reads (128 levels).
    TooDeep,
    /// JSON that does not fit the types.
    Data,
}

impl ParseError {
    /// An error at `path` (in serde_path_to_error's segments, from the root
    /// of the input). `found` gives the value there as JSON text, asked for
    /// only when the error does not say it.
    pub(crate) fn new<'a>(
        path: impl IntoIterator<Item = &'a Segment>,
        inner: serde_json::Error,
        found: impl FnOnce() -> Option<String>,
    ) -> Self {
        let segments: Vec<&Segment> = path.into_iter().collect();
        let mut kind = kind(&inner);
        let mut message = None;
        // serde_json says "expected value", a syntax error, when a string
        // enum meets another JSON value: the input is JSON all the same.
        if kind == Kind::Syntax && without_position(&inner) == "expected value" {
            if let Some(value) = found() {
                kind = Kind::Data;
                message = Some(format!(
                    "invalid type: {value}, expected one of the values the schema allows"
                ));
            }
        }
        let nesting_starts = (kind == Kind::TooDeep).then(|| {
            let arrays = segments.iter().rev();
            let arrays = arrays.take_while(|s| matches!(s, Segment::Seq { .. }));
            path_text(segments[..segments.len() - arrays.count()].iter().copied())
        });
        Self {
            path: path_text(segments.iter().copied()),
            message: message.unwrap_or_else(|| without_position(&inner)),
            kind,
            nesting_starts,
            inner,
        }
    }

    /// An error found at `path` by a second parse of part of the input;
    /// `outer` is the first parse's error, which gives the position.
    pub(crate) fn at(path: String, message: String, outer: serde_json::Error) -> Self {
        Self {
            path,
            message,
            kind: Kind::Data,
            nesting_starts: None,
            inner: outer,
        }
    }

    /// An error about the input as a whole.
    pub(crate) fn whole(inner: serde_json::Error, input: &[u8]) -> Self {
        let kind = match kind(&inner) {
            Kind::Eof if input.trim_ascii().is_empty() => Kind::Empty,
            kind => kind,
        };
        Self {
            path: ".".to_owned(),
            message: without_position(&inner),
            kind,
            nesting_starts: None,
            inner,
        }
    }

    /// The JSON path of the failing value, e.g. `event.error` (`.` for the
    /// whole message). For input that ends early or is not JSON, the value
    /// that was being read when it did.
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

    /// The error without its path: serde_json's own, as it words it.
    pub fn inner(&self) -> &serde_json::Error {
        &self.inner
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = (self.line(), self.column());
        match self.kind {
            Kind::Empty => write!(
                f,
                "no JSON value in the input (line {line} column {column})"
            ),
            Kind::Eof => write!(
                f,
                "end of input inside {} (line {line} column {column})",
                place(&self.path)
            ),
            Kind::Syntax if self.path == "." => write!(
                f,
                "not JSON at line {line} column {column}: {}",
                self.message
            ),
            Kind::Syntax => write!(
                f,
                "not JSON inside {} at line {line} column {column}: {}",
                self.path, self.message
            ),
            Kind::TooDeep => write!(
                f,
                "JSON nested too deep inside {} at line {line} column {column}: {}",
                place(self.nesting_starts.as_deref().unwrap_or(&self.path)),
                self.message
            ),
            Kind::Data if self.path == "." => {
                write!(f, "{} at line {line} column {column}", self.message)
            }
            Kind::Data => write!(
                f,
                "{}: {} at line {line} column {column}",
                self.path, self.message
            ),
        }
    }
}

impl std::error::Error for ParseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner)
    }
}

/// A path in words: `event.config`, or `the message` for the root.
fn place(path: &str) -> &str {
    match path {
        "." => "the message",
        path => path,
    }
}

fn kind(error: &serde_json::Error) -> Kind {
    match error.classify() {
        Category::Eof => Kind::Eof,
        // serde_json has no other way to tell its recursion limit apart.
        Category::Syntax if without_position(error) == "recursion limit exceeded" => Kind::TooDeep,
        Category::Syntax | Category::Io => Kind::Syntax,
        Category::Data => Kind::Data,
    }
}

/// serde_json's message without the ` at line L column C` it appends.
pub(crate) fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// A path as serde_path_to_error writes it (`event.config.containers[0]`,
/// `.` for the root), without the `?` it ends with where a parse stopped
/// before the next key was read.
pub(crate) fn path_text<'a>(path: impl IntoIterator<Item = &'a Segment>) -> String {
    let mut segments: Vec<&Segment> = path.into_iter().collect();
    while matches!(segments.last(), Some(Segment::Unknown)) {
        segments.pop();
    }
    let mut text = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => text.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            Segment::Unknown => text.push_str(if text.is_empty() { "?" } else { ".?" }),
        }
    }
    if text.is_empty() {
        text.push('.');
    }
    text
}
