//! The real-sender corpus, read through `corpus/MANIFEST.json`: what a
//! body's sender, release, format and event type are comes from there.

use std::path::PathBuf;

use serde_json::Value;

/// One body of the corpus, as its manifest entry describes it.
pub struct Entry {
    pub path: String,
    pub sender: String,
    pub release: String,
    pub format: String,
    pub event_type: String,
    pub digest: String,
    pub secret: String,
}

fn corpus_dir() -> PathBuf {
    super::schemas_dir().join("../corpus")
}

/// Every entry of the manifest, in its order.
pub fn entries() -> Vec<Entry> {
    let manifest = super::read_json(&corpus_dir().join("MANIFEST.json"));
    let text = |e: &Value, k: &str| e[k].as_str().unwrap_or_else(|| panic!("{k}")).to_owned();
    manifest["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| Entry {
            path: text(e, "path"),
            sender: text(e, "sender"),
            release: text(e, "release"),
            format: text(e, "format"),
            event_type: text(e, "event_type"),
            digest: text(e, "digest"),
            secret: text(e, "secret"),
        })
        .collect()
}

/// The entries of one body format (`webhook`, `event_grid`); never none.
pub fn entries_in(format: &str) -> Vec<Entry> {
    let entries: Vec<Entry> = entries()
        .into_iter()
        .filter(|e| e.format == format)
        .collect();
    assert!(!entries.is_empty(), "no {format} bodies in the corpus");
    entries
}

impl Entry {
    /// The body's bytes, as sent.
    pub fn body(&self) -> Vec<u8> {
        std::fs::read(corpus_dir().join(&self.path)).unwrap()
    }

    /// The body as JSON.
    pub fn value(&self) -> Value {
        serde_json::from_slice(&self.body()).unwrap()
    }

    /// `<sender> <release>`, what figures are counted by.
    pub fn sender_release(&self) -> String {
        format!("{} {}", self.sender, self.release)
    }

    /// Checks the digest the sender sent over `bytes`, the body as read.
    pub fn verify_digest(&self, bytes: &[u8]) {
        #[cfg(feature = "signature")]
        onefuzz_webhook_types::signature::verify(self.secret.as_bytes(), bytes, Some(&self.digest))
            .unwrap_or_else(|e| panic!("{}: digest: {e}", self.path));
        #[cfg(not(feature = "signature"))]
        let _ = bytes;
    }
}
