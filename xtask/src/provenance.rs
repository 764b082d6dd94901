//! `schemas/provenance.json`: where the pinned doc came from and its hash.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `source` recorded when the doc was taken from `schemas/` itself.
pub const LOCAL_SOURCE: &str = "schemas/webhook_events.md";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// URL or local path of the doc, as given to `regen --doc`.
    pub source: String,
    pub upstream_commit: Option<String>,
    /// Hex SHA-256 of `schemas/webhook_events.md`.
    pub sha256: String,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Provenance {
    /// The provenance for `doc`: explicit arguments win; otherwise the
    /// previous record is kept while it still describes the same bytes.
    pub fn next(
        doc: &[u8],
        source: Option<&str>,
        upstream_commit: Option<&str>,
        previous: Option<&Provenance>,
    ) -> Self {
        let sha256 = sha256_hex(doc);
        let same_doc = previous.filter(|p| p.sha256 == sha256);
        Self {
            source: source
                .map(str::to_owned)
                .or_else(|| same_doc.map(|p| p.source.clone()))
                .unwrap_or_else(|| LOCAL_SOURCE.to_owned()),
            upstream_commit: upstream_commit
                .map(str::to_owned)
                .or_else(|| same_doc.and_then(|p| p.upstream_commit.clone())),
            sha256,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc_is_the_published_test_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn previous_values_survive_only_for_the_same_doc() {
        let previous = Provenance::next(b"doc", Some("https://x/doc.md"), Some("abc123"), None);
        let same = Provenance::next(b"doc", None, None, Some(&previous));
        assert_eq!(same, previous);
        let changed = Provenance::next(b"doc v2", None, None, Some(&previous));
        assert_eq!(changed.source, LOCAL_SOURCE);
        assert_eq!(changed.upstream_commit, None);
        let explicit = Provenance::next(b"doc v2", Some("v2.md"), Some("def"), Some(&previous));
        assert_eq!(explicit.source, "v2.md");
        assert_eq!(explicit.upstream_commit.as_deref(), Some("def"));
    }
}
