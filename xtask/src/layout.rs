//! Replaces the `schemas/` tree as a whole.
//!
//! The new tree is staged in `schemas.new` and swapped in with two renames
//! (`schemas` -> `schemas.old`, `schemas.new` -> `schemas`). Whatever point a
//! run stops at, [`recover`] turns the leftovers back into a tree that is
//! wholly old or wholly new.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub const SCHEMAS: &str = "schemas";

fn sibling(root: &Path, suffix: &str) -> PathBuf {
    root.join(format!("{SCHEMAS}{suffix}"))
}

/// What [`recover`] found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    Nothing,
    /// The run stopped between the renames: the old tree is back.
    RestoredOld,
    /// The run stopped after the swap or while staging: leftovers removed.
    RemovedLeftovers,
}

pub fn recover(root: &Path) -> io::Result<Recovery> {
    let current = root.join(SCHEMAS);
    let old = sibling(root, ".old");
    let new = sibling(root, ".new");
    let mut done = Recovery::Nothing;
    if !current.exists() && old.exists() {
        fs::rename(&old, &current)?;
        done = Recovery::RestoredOld;
    }
    for leftover in [old, new] {
        if leftover.exists() {
            fs::remove_dir_all(&leftover)?;
            if done == Recovery::Nothing {
                done = Recovery::RemovedLeftovers;
            }
        }
    }
    Ok(done)
}

/// Writes `files` (paths relative to `schemas/`) as the new `schemas/`.
pub fn replace<'a>(
    root: &Path,
    files: impl IntoIterator<Item = (&'a Path, &'a [u8])>,
) -> io::Result<()> {
    let new = sibling(root, ".new");
    if new.exists() {
        fs::remove_dir_all(&new)?;
    }
    for (path, bytes) in files {
        let target = new.join(path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(target, bytes)?;
    }
    fs::create_dir_all(&new)?;
    swap(root)
}

fn swap(root: &Path) -> io::Result<()> {
    let current = root.join(SCHEMAS);
    let old = sibling(root, ".old");
    if current.exists() {
        fs::rename(&current, &old)?;
    }
    fs::rename(sibling(root, ".new"), &current)?;
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(root: &Path, dir: &str, content: &str) {
        fs::create_dir_all(root.join(dir).join("events")).unwrap();
        fs::write(root.join(dir).join("a.json"), content).unwrap();
        fs::write(root.join(dir).join("events/b.json"), content).unwrap();
    }

    fn read(root: &Path) -> (String, String) {
        let dir = root.join(SCHEMAS);
        (
            fs::read_to_string(dir.join("a.json")).unwrap(),
            fs::read_to_string(dir.join("events/b.json")).unwrap(),
        )
    }

    #[test]
    fn replace_swaps_the_whole_tree_and_drops_stale_files() {
        let root = tempfile::tempdir().unwrap();
        tree(root.path(), SCHEMAS, "old");
        fs::write(root.path().join("schemas/stale.json"), "x").unwrap();
        replace(
            root.path(),
            [
                (Path::new("a.json"), b"new".as_slice()),
                (Path::new("events/b.json"), b"new".as_slice()),
            ],
        )
        .unwrap();
        assert_eq!(read(root.path()), ("new".into(), "new".into()));
        assert!(!root.path().join("schemas/stale.json").exists());
        assert!(!root.path().join("schemas.old").exists());
        assert!(!root.path().join("schemas.new").exists());
    }

    #[test]
    fn stop_between_the_renames_recovers_the_old_tree() {
        let root = tempfile::tempdir().unwrap();
        tree(root.path(), "schemas.old", "old");
        tree(root.path(), "schemas.new", "new");
        assert_eq!(recover(root.path()).unwrap(), Recovery::RestoredOld);
        assert_eq!(read(root.path()), ("old".into(), "old".into()));
        assert!(!root.path().join("schemas.new").exists());
    }

    #[test]
    fn stop_after_the_swap_keeps_the_new_tree() {
        let root = tempfile::tempdir().unwrap();
        tree(root.path(), SCHEMAS, "new");
        tree(root.path(), "schemas.old", "old");
        assert_eq!(recover(root.path()).unwrap(), Recovery::RemovedLeftovers);
        assert_eq!(read(root.path()), ("new".into(), "new".into()));
        assert!(!root.path().join("schemas.old").exists());
    }

    #[test]
    fn stop_while_staging_keeps_the_old_tree() {
        let root = tempfile::tempdir().unwrap();
        tree(root.path(), SCHEMAS, "old");
        fs::create_dir_all(root.path().join("schemas.new")).unwrap();
        fs::write(root.path().join("schemas.new/a.json"), "half").unwrap();
        assert_eq!(recover(root.path()).unwrap(), Recovery::RemovedLeftovers);
        assert_eq!(read(root.path()), ("old".into(), "old".into()));
    }
}
