//! The generated file set, and the one code path that compares it with
//! the disk (`check`) or writes it (`regen`).
//!
//! Paths are relative to the workspace root. Everything under `schemas/`
//! is replaced as a tree (see [`crate::layout`]), so a file regen no longer
//! produces disappears; a planned file elsewhere is written in place.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::codegen;
use crate::drift::SchemaSet;
use crate::extract::Extracted;
use crate::history::{self, Revision};
use crate::json_diff::{self, Difference};
use crate::layout::{self, SCHEMAS};
use crate::wire::Overlay;

/// Relative path -> file contents.
pub type FileSet = BTreeMap<PathBuf, Vec<u8>>;

pub const ENVELOPE_EXAMPLE: &str = "schemas/envelope.example.json";
/// The generated types, checked in so that users of the crate do not run
/// the generator; built from the schema files of the same plan.
pub const GENERATED: &str = "src/generated.rs";

/// The schema file names are the generator's (`crate::codegen`), which
/// reads them back from `schemas/`.
pub fn envelope_schema() -> PathBuf {
    Path::new(SCHEMAS).join(codegen::ENVELOPE_SCHEMA)
}

pub fn event_schema(event_type: &str) -> PathBuf {
    Path::new(SCHEMAS).join(codegen::event_schema_path(event_type))
}

pub fn event_example(event_type: &str) -> PathBuf {
    Path::new(SCHEMAS)
        .join(codegen::EVENTS_DIR)
        .join(format!("{event_type}.example.json"))
}

/// Pretty JSON plus a final newline; key order is the doc's.
pub fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// What one revision's doc holds, as `extracted.json` keeps it: the
/// envelope's schema and example, and each event's, in the doc's order.
pub fn extracted_json(ex: &Extracted) -> Value {
    let events: serde_json::Map<String, Value> = ex
        .events
        .iter()
        .map(|e| {
            let entry = serde_json::json!({"schema": e.schema.value, "example": e.example.value});
            (e.event_type.clone(), entry)
        })
        .collect();
    serde_json::json!({
        "envelope": {"schema": ex.envelope_schema.value, "example": ex.envelope_example.value},
        "events": events,
    })
}

/// Every file `regen` writes: each revision's doc, provenance and
/// extraction; the joined schemas; and the newest example of the envelope
/// and of each event type (from the overlay for its own event types).
pub fn planned_files(
    revisions: &[(Revision, Extracted)],
    joined: &SchemaSet,
    overlay: &Overlay,
) -> FileSet {
    let mut files = FileSet::new();
    for (revision, extracted) in revisions {
        let dir = revision.dir();
        files.insert(
            dir.join(history::DOC_FILE),
            revision.doc.as_bytes().to_vec(),
        );
        files.insert(
            dir.join(history::PROVENANCE_FILE),
            json_bytes(&revision.provenance),
        );
        files.insert(
            dir.join(history::EXTRACTED_FILE),
            json_bytes(&extracted_json(extracted)),
        );
    }
    files.insert(envelope_schema(), json_bytes(&joined.envelope));
    for (event_type, schema) in &joined.events {
        files.insert(event_schema(event_type), json_bytes(schema));
    }
    // The overlay's first, then the revisions' oldest first, so the newest
    // example of each is the one left and a doc's wins over the overlay's.
    for (event_type, event, _) in overlay.events() {
        files.insert(event_example(event_type), json_bytes(&event.example));
    }
    for (_, extracted) in revisions {
        files.insert(
            ENVELOPE_EXAMPLE.into(),
            json_bytes(&extracted.envelope_example.value),
        );
        for event in &extracted.events {
            files.insert(
                event_example(&event.event_type),
                json_bytes(&event.example.value),
            );
        }
    }
    files
}

/// The schemas in a file set, for the drift report; `None` without an
/// envelope schema (e.g. before the first regen).
pub fn schema_set(files: &FileSet) -> Option<SchemaSet> {
    let parse = |bytes: &Vec<u8>| serde_json::from_slice::<Value>(bytes).ok();
    let envelope = parse(files.get(&envelope_schema())?)?;
    let events_dir = Path::new(SCHEMAS).join(codegen::EVENTS_DIR);
    let events = files
        .iter()
        .filter_map(|(path, bytes)| {
            let name = path.strip_prefix(&events_dir).ok()?.to_str()?;
            let event_type = name.strip_suffix(codegen::SCHEMA_SUFFIX)?;
            Some((event_type.to_owned(), parse(bytes)?))
        })
        .collect();
    Some(SchemaSet { envelope, events })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Planned but not on disk.
    Added,
    Changed,
    /// On disk under `schemas/` but not planned.
    Removed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileChange {
    pub path: PathBuf,
    pub status: Status,
    /// For JSON files on both sides: what differs, by JSON pointer.
    pub differences: Vec<Difference>,
}

/// How the disk differs from the plan.
pub fn compare(current: &FileSet, planned: &FileSet) -> Vec<FileChange> {
    let mut changes = Vec::new();
    for (path, bytes) in planned {
        let (status, differences) = match current.get(path) {
            None => (Status::Added, Vec::new()),
            Some(old) if old != bytes => (Status::Changed, json_differences(old, bytes)),
            Some(_) => continue,
        };
        changes.push(FileChange {
            path: path.clone(),
            status,
            differences,
        });
    }
    for path in current.keys().filter(|p| !planned.contains_key(*p)) {
        changes.push(FileChange {
            path: path.clone(),
            status: Status::Removed,
            differences: Vec::new(),
        });
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    changes
}

fn json_differences(old: &[u8], new: &[u8]) -> Vec<Difference> {
    match (
        serde_json::from_slice::<Value>(old),
        serde_json::from_slice::<Value>(new),
    ) {
        (Ok(a), Ok(b)) => json_diff::differences(&a, &b),
        _ => Vec::new(),
    }
}

/// The disk's side of the comparison: every file under `schemas/`, plus
/// the planned files outside it that exist.
pub fn read_current(root: &Path, planned: &FileSet) -> io::Result<FileSet> {
    let mut files = FileSet::new();
    read_tree(root, Path::new(SCHEMAS), &mut files)?;
    for path in planned.keys().filter(|p| !p.starts_with(SCHEMAS)) {
        match fs::read(root.join(path)) {
            Ok(bytes) => {
                files.insert(path.clone(), bytes);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(files)
}

fn read_tree(root: &Path, dir: &Path, files: &mut FileSet) -> io::Result<()> {
    let entries = match fs::read_dir(root.join(dir)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = dir.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            read_tree(root, &path, files)?;
        } else {
            files.insert(path, fs::read(entry.path())?);
        }
    }
    Ok(())
}

/// The disk before the run, and how the plan differs from it.
#[derive(Debug)]
pub struct Outcome {
    pub before: FileSet,
    pub changes: Vec<FileChange>,
}

/// Compares the plan with the disk and, unless `check`, makes the disk
/// match it. `regen` and `check` both go through here.
pub fn sync(root: &Path, planned: &FileSet, check: bool) -> io::Result<Outcome> {
    let before = read_current(root, planned)?;
    let changes = compare(&before, planned);
    if !check && !changes.is_empty() {
        write(root, planned, &changes)?;
    }
    Ok(Outcome { before, changes })
}

fn write(root: &Path, planned: &FileSet, changes: &[FileChange]) -> io::Result<()> {
    if changes.iter().any(|c| c.path.starts_with(SCHEMAS)) {
        let tree = planned
            .iter()
            .filter_map(|(p, b)| Some((p.strip_prefix(SCHEMAS).ok()?, b.as_slice())));
        layout::replace(root, tree)?;
    }
    for change in changes.iter().filter(|c| !c.path.starts_with(SCHEMAS)) {
        if let Some(bytes) = planned.get(&change.path) {
            let target = root.join(&change.path);
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir)?;
            }
            // Write aside, then rename: a reader never sees half a file.
            let partial = target.with_extension("partial");
            fs::write(&partial, bytes)?;
            fs::rename(&partial, &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(entries: &[(&str, &str)]) -> FileSet {
        entries
            .iter()
            .map(|(p, b)| (PathBuf::from(p), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn compare_reports_added_changed_removed_with_json_pointers() {
        let current = set(&[
            ("schemas/a.json", "{\"x\": {\"y\": 1}}"),
            ("schemas/same.json", "{}"),
            ("schemas/stale.json", "{}"),
        ]);
        let planned = set(&[
            ("schemas/a.json", "{\"x\": {\"y\": 2}}"),
            ("schemas/same.json", "{}"),
            ("schemas/new.json", "{}"),
        ]);
        let found: Vec<(String, Status, Vec<String>)> = compare(&current, &planned)
            .into_iter()
            .map(|c| {
                let diffs = c.differences.iter().map(ToString::to_string).collect();
                (c.path.display().to_string(), c.status, diffs)
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "schemas/a.json".into(),
                    Status::Changed,
                    vec!["/x/y changed: 1 -> 2".into()]
                ),
                ("schemas/new.json".into(), Status::Added, vec![]),
                ("schemas/stale.json".into(), Status::Removed, vec![]),
            ]
        );
    }

    #[test]
    fn sync_checks_without_writing_then_writes_inside_and_outside_schemas() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("schemas")).unwrap();
        fs::write(root.path().join("schemas/stale.json"), "{}").unwrap();
        let planned = set(&[
            ("schemas/events/a.json", "{}\n"),
            ("src/generated.rs", "// code\n"),
        ]);
        let checked = sync(root.path(), &planned, true).unwrap();
        assert_eq!(checked.changes.len(), 3);
        assert!(root.path().join("schemas/stale.json").exists());
        assert!(!root.path().join("src").exists());

        let written = sync(root.path(), &planned, false).unwrap();
        assert_eq!(written.changes, checked.changes);
        assert!(!root.path().join("schemas/stale.json").exists());
        let again = sync(root.path(), &planned, true).unwrap();
        assert_eq!(again.changes, []);
        assert_eq!(again.before, planned);
    }
}
