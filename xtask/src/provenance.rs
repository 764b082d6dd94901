//! `provenance.json` of a revision: where its doc came from, when, and its hash.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::fetch::is_url;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The URL the doc was fetched from, or the name of the file it was
    /// read from (a local path means nothing to a reader elsewhere; the
    /// sha256 identifies the bytes).
    pub source: String,
    pub upstream_commit: Option<String>,
    /// When upstream committed the doc: an RFC 3339 time, or a day
    /// (`YYYY-MM-DD`) when only that is known. Revisions are ordered by it.
    pub date: String,
    /// Hex SHA-256 of the revision's `webhook_events.md`.
    pub sha256: String,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Provenance {
    /// The record for `doc`, read from `arg` (a path or URL given to `--doc`).
    pub fn new(doc: &[u8], arg: &str, upstream_commit: Option<&str>, date: String) -> Self {
        let source = if is_url(arg) {
            arg.to_owned()
        } else {
            std::path::Path::new(arg)
                .file_name()
                .map_or_else(|| arg.to_owned(), |n| n.to_string_lossy().into_owned())
        };
        Self {
            source,
            upstream_commit: upstream_commit.map(str::to_owned),
            date,
            sha256: sha256_hex(doc),
        }
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`: the date of a revision added
/// without `--date`.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(seconds / 86_400)
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_date(days: u64) -> String {
    // Days since 0000-03-01, so that leap days end each 400-year era.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
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
    fn a_path_is_recorded_by_its_file_name_and_a_url_whole() {
        let local = Provenance::new(
            b"doc",
            "../some/dir/v2.md",
            Some("abc"),
            "2021-01-01".into(),
        );
        assert_eq!(local.source, "v2.md");
        assert_eq!(local.upstream_commit.as_deref(), Some("abc"));
        let remote = Provenance::new(b"doc", "https://x/doc.md", None, "2021-01-01".into());
        assert_eq!(remote.source, "https://x/doc.md");
        assert_eq!(remote.sha256, sha256_hex(b"doc"));
    }

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(19_692), "2023-12-01");
        assert_eq!(civil_date(20_789), "2026-12-02");
    }
}
