//! The fuzz targets' checks (`fuzz/fuzz_targets/`), on stable, for CI:
//! replayed on every input in `tests/fuzz_inputs/<target>/` (each input a
//! fuzzer or a test found interesting; add a file there for every crash),
//! on the doc's examples, and on random byte-level edits of those.
//!
//! `verify_signature` inputs are three lines: secret, body, header (the
//! header line absent for a missing header).

mod common;
mod fuzz_checks;

use std::path::PathBuf;

use common::{doc_messages, event_first, event_last};
use fuzz_checks::{parse_message, verify_signature};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_inputs")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

/// The fuzzer's seed corpus (`fuzz/seed.sh`): the examples in envelopes and
/// the Payload example, each also with `event` first (the buffered path;
/// seed.sh writes that copy for the examples only).
/// The texts are written key by key, not by `serde_json::to_vec`, whose key
/// order depends on whether feature unification turned on `preserve_order`.
fn seeds() -> Vec<Vec<u8>> {
    doc_messages()
        .iter()
        .flat_map(|(_, message)| [event_last(message), event_first(message)])
        .map(String::into_bytes)
        .collect()
}

#[test]
fn parse_message_inputs() {
    for (path, bytes) in inputs("parse_message") {
        eprintln!("{}", path.display());
        parse_message(&bytes);
    }
    for seed in seeds() {
        parse_message(&seed);
    }
}

#[test]
fn verify_signature_inputs() {
    for (path, bytes) in inputs("verify_signature") {
        eprintln!("{}", path.display());
        let mut lines = bytes.split(|b| *b == b'\n');
        let secret = lines.next().unwrap_or_default();
        let body = lines.next().unwrap_or_default();
        let header = lines
            .next()
            .map(|h| String::from_utf8_lossy(h).into_owned());
        verify_signature(secret, body, header.as_deref());
    }
}

/// Random byte edits of the seeds: the bounded, stable stand-in for
/// `cargo fuzz run parse_message`.
#[test]
fn parse_message_on_edited_seeds() {
    let seeds = seeds();
    let edits =
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..8);
    let strategy = (proptest::sample::select(seeds), edits);
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |(mut bytes, edits)| {
            for (at, byte, op) in edits {
                let i = at.index(bytes.len().max(1)).min(bytes.len());
                match op {
                    0 if i < bytes.len() => bytes[i] = byte,
                    1 if i < bytes.len() => {
                        bytes.remove(i);
                    }
                    _ => bytes.insert(i, byte),
                }
            }
            parse_message(&bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn verify_signature_on_random_input() {
    let strategy = (
        proptest::collection::vec(any::<u8>(), 0..200),
        proptest::collection::vec(any::<u8>(), 0..200),
        proptest::option::of(".{0,140}"),
    );
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |(secret, body, header)| {
            verify_signature(&secret, &body, header.as_deref());
            Ok(())
        })
        .unwrap();
}
