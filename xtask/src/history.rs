//! The doc revisions kept in `schemas/revisions/<id>/`: each doc as it was
//! read, and where it came from. Regeneration reads them all, oldest first.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::provenance::{sha256_hex, Provenance};

pub const REVISIONS: &str = "schemas/revisions";
pub const DOC_FILE: &str = "webhook_events.md";
pub const PROVENANCE_FILE: &str = "provenance.json";
pub const EXTRACTED_FILE: &str = "extracted.json";

/// One revision of the doc.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// The directory name: the date and 8 hex digits of the upstream
    /// commit (of the doc's sha256 when the commit is not known).
    pub id: String,
    pub provenance: Provenance,
    pub doc: String,
}

#[derive(Debug, Error)]
pub enum HistoryError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: not a provenance record: {source}")]
    Provenance {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{REVISIONS} holds no revision: add one with `cargo xtask regen --doc PATH|URL`")]
    Empty,
}

impl Revision {
    /// A revision of `doc`, named from its provenance.
    pub fn new(doc: String, provenance: Provenance) -> Self {
        let key = provenance
            .upstream_commit
            .as_deref()
            .unwrap_or(&provenance.sha256);
        let short: String = key.chars().take(8).collect();
        let day: String = provenance.date.chars().take(10).collect();
        Self {
            id: format!("{day}-{short}"),
            provenance,
            doc,
        }
    }

    pub fn dir(&self) -> PathBuf {
        Path::new(REVISIONS).join(&self.id)
    }
}

/// Every revision under `root`, oldest first (by date, then id). The
/// recorded sha256 is not trusted: it is recomputed from the doc, so a doc
/// edited by hand shows up as a changed `provenance.json`.
pub fn load(root: &Path) -> Result<Vec<Revision>, HistoryError> {
    let dir = root.join(REVISIONS);
    let io_error = |path: &Path| {
        let path = path.to_owned();
        move |source| HistoryError::Io { path, source }
    };
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(HistoryError::Empty),
        Err(e) => return Err(io_error(&dir)(e)),
    };
    let mut revisions = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_error(&dir))?;
        if !entry.file_type().map_err(io_error(&entry.path()))?.is_dir() {
            continue;
        }
        let id = entry.file_name().to_string_lossy().into_owned();
        let doc_path = entry.path().join(DOC_FILE);
        let doc = fs::read_to_string(&doc_path).map_err(io_error(&doc_path))?;
        let provenance_path = entry.path().join(PROVENANCE_FILE);
        let bytes = fs::read(&provenance_path).map_err(io_error(&provenance_path))?;
        let mut provenance: Provenance =
            serde_json::from_slice(&bytes).map_err(|source| HistoryError::Provenance {
                path: provenance_path.clone(),
                source,
            })?;
        provenance.sha256 = sha256_hex(doc.as_bytes());
        revisions.push(Revision {
            id,
            provenance,
            doc,
        });
    }
    if revisions.is_empty() {
        return Err(HistoryError::Empty);
    }
    sort(&mut revisions);
    Ok(revisions)
}

pub fn sort(revisions: &mut [Revision]) {
    revisions.sort_by(|a, b| {
        (a.provenance.date.as_str(), a.id.as_str())
            .cmp(&(b.provenance.date.as_str(), b.id.as_str()))
    });
}

/// `revision` added to `revisions` unless that doc is there already; true
/// when added. The same doc at another upstream commit is another revision
/// (upstream reverted the doc once), so it is added.
pub fn add(revisions: &mut Vec<Revision>, revision: Revision) -> bool {
    let new = &revision.provenance;
    if revisions.iter().any(|r| {
        r.provenance.sha256 == new.sha256
            && (new.upstream_commit.is_none()
                || r.provenance.upstream_commit == new.upstream_commit)
    }) {
        return false;
    }
    revisions.push(revision);
    sort(revisions);
    true
}

/// How each revision is named in generated docs and errors: its day, and
/// its id where another revision shares that day.
pub fn labels<'r>(revisions: impl IntoIterator<Item = &'r Revision>) -> Vec<String> {
    let day = |r: &Revision| r.provenance.date.chars().take(10).collect::<String>();
    let revisions: Vec<&Revision> = revisions.into_iter().collect();
    revisions
        .iter()
        .map(|r| {
            let shared = revisions.iter().filter(|o| day(o) == day(r)).count() > 1;
            if shared {
                let commit = r.id.get(11..).unwrap_or_default();
                format!("{} ({commit})", day(r))
            } else {
                day(r)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(date: &str, commit: Option<&str>, doc: &str) -> Revision {
        Revision::new(
            doc.to_owned(),
            Provenance {
                source: "x.md".into(),
                upstream_commit: commit.map(str::to_owned),
                date: date.into(),
                sha256: sha256_hex(doc.as_bytes()),
            },
        )
    }

    #[test]
    fn ids_come_from_the_day_and_the_commit_or_the_doc_hash() {
        let with_commit = revision("2021-02-19T21:00:51Z", Some("305c23a4d9fb"), "a");
        assert_eq!(with_commit.id, "2021-02-19-305c23a4");
        let without = revision("2020-11-24", None, "abc");
        assert_eq!(without.id, "2020-11-24-ba7816bf");
    }

    #[test]
    fn revisions_sort_by_time_and_a_known_doc_is_not_added_twice() {
        let mut revisions = vec![
            revision("2021-02-19T21:00:51Z", Some("305c23a4"), "later"),
            revision("2021-02-19T19:10:48Z", Some("4992b494"), "earlier"),
        ];
        sort(&mut revisions);
        let ids: Vec<&str> = revisions.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["2021-02-19-4992b494", "2021-02-19-305c23a4"]);
        assert!(!add(&mut revisions, revision("2030-01-01", None, "later")));
        assert!(!add(
            &mut revisions,
            revision("2030-01-01", Some("305c23a4"), "later")
        ));
        let reverted = revision("2021-02-20", Some("0123abcd"), "earlier");
        assert!(add(&mut revisions.clone(), reverted));
        assert!(add(&mut revisions, revision("2020-01-01", None, "first")));
        assert_eq!(revisions[0].provenance.date, "2020-01-01");
        assert_eq!(
            labels(&revisions),
            [
                "2020-01-01",
                "2021-02-19 (4992b494)",
                "2021-02-19 (305c23a4)"
            ]
        );
    }

    #[test]
    fn load_recomputes_the_hash_and_orders_the_revisions() {
        let root = tempfile::tempdir().unwrap();
        for (id, date, doc) in [("b", "2022-01-01", "two"), ("a", "2021-01-01", "one")] {
            let dir = root.path().join(REVISIONS).join(id);
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join(DOC_FILE), doc).unwrap();
            let record = format!(
                r#"{{"source":"s","upstream_commit":null,"date":"{date}","sha256":"stale"}}"#
            );
            fs::write(dir.join(PROVENANCE_FILE), record).unwrap();
        }
        let revisions = load(root.path()).unwrap();
        assert_eq!(revisions[0].id, "a");
        assert_eq!(revisions[1].provenance.sha256, sha256_hex(b"two"));
        assert!(matches!(
            load(&root.path().join("elsewhere")),
            Err(HistoryError::Empty)
        ));
    }
}
