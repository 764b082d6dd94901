//! The parse benchmark, on the real-sender corpus (`corpus/MANIFEST.json`,
//! webhook bodies of the Python and C# services). Run it with
//! `cargo xtask bench`, which builds this in release and prints its tables.
//!
//! - `parse time ROUNDS` times every (group, mode) in short batches,
//!   round-robin, ROUNDS times over, and prints each one's median time per
//!   operation, then the ratios. Interleaving gives every mode the same share
//!   of a shared machine's slow and fast moments, so the ratios hold when the
//!   absolute times drift.
//! - `parse heap` prints the bytes each mode allocates per operation (a
//!   counting allocator: the same on every run).
//! - `parse run GROUP MODE N` runs one mode N times, for callgrind to count
//!   instructions (`cargo xtask bench --instructions`).
//! - `parse list` prints the groups and modes.
//!
//! Groups are the five event types with the largest bodies and `stream`, all
//! bodies in a row. Run by `cargo bench` with no such arguments, it does
//! nothing.

use std::alloc::System;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use onefuzz_webhook_types::{Body, WebhookMessage};
use serde::de::IgnoredAny;
use serde_json::{Map, Value};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

/// Counts the bytes allocated, for `heap`.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// One corpus body, in the forms the modes read.
struct Case {
    event_type: String,
    /// The body as the sender wrote it.
    sent: Vec<u8>,
    /// The same message with `event` after `event_type`.
    event_last: Vec<u8>,
    /// The same message with `event` before `event_type` (the Python
    /// service's order: it sorts keys).
    event_first: Vec<u8>,
    parsed: WebhookMessage,
    digest: String,
    secret: Vec<u8>,
}

/// The message's members in their order, `event` moved first or last.
fn reordered(message: &Map<String, Value>, event_first: bool) -> Vec<u8> {
    let event = ("event".to_owned(), message["event"].clone());
    let others = message
        .iter()
        .filter(|(k, _)| *k != "event")
        .map(|(k, v)| (k.clone(), v.clone()));
    let members: Map<String, Value> = if event_first {
        std::iter::once(event).chain(others).collect()
    } else {
        others.chain(std::iter::once(event)).collect()
    };
    serde_json::to_vec(&members).expect("serializable")
}

fn cases() -> Vec<Case> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let read =
        |path: &Path| std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let manifest: Value = serde_json::from_slice(&read(&corpus.join("MANIFEST.json"))).unwrap();
    let text = |entry: &Value, key: &str| entry[key].as_str().unwrap_or_default().to_owned();
    manifest["entries"]
        .as_array()
        .expect("entries")
        .iter()
        // `python-models` bodies were never sent by a service.
        .filter(|e| e["format"] == "webhook" && e["sender"] != "python-models")
        .map(|entry| {
            let sent = read(&corpus.join(text(entry, "path")));
            let message: Map<String, Value> = serde_json::from_slice(&sent).unwrap();
            Case {
                event_type: text(entry, "event_type"),
                event_last: reordered(&message, false),
                event_first: reordered(&message, true),
                parsed: WebhookMessage::from_slice(&sent).expect("a real body parses"),
                digest: text(entry, "digest"),
                secret: text(entry, "secret").into_bytes(),
                sent,
            }
        })
        .collect()
}

/// The five event types with the largest bodies, then `stream`.
fn groups(cases: &[Case]) -> Vec<(String, Vec<&Case>)> {
    let mut by_type: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
    for case in cases {
        by_type.entry(&case.event_type).or_default().push(case);
    }
    let mean = |g: &[&Case]| g.iter().map(|c| c.sent.len()).sum::<usize>() / g.len();
    let mut largest: Vec<(&str, Vec<&Case>)> = by_type.into_iter().collect();
    largest.sort_by_key(|(name, g)| (std::cmp::Reverse(mean(g)), *name));
    let mut groups: Vec<(String, Vec<&Case>)> = largest
        .into_iter()
        .take(5)
        .map(|(name, g)| (name.to_owned(), g))
        .collect();
    groups.push(("stream".to_owned(), cases.iter().collect()));
    groups
}

struct Mode {
    name: &'static str,
    run: fn(&Case),
}

const MODES: &[Mode] = &[
    Mode {
        name: "typed",
        run: |c| {
            drop(black_box(
                WebhookMessage::from_slice(black_box(&c.sent)).unwrap(),
            ))
        },
    },
    Mode {
        name: "typed_event_last",
        run: |c| {
            drop(black_box(
                WebhookMessage::from_slice(black_box(&c.event_last)).unwrap(),
            ))
        },
    },
    Mode {
        name: "typed_event_first",
        run: |c| {
            drop(black_box(
                WebhookMessage::from_slice(black_box(&c.event_first)).unwrap(),
            ))
        },
    },
    Mode {
        name: "body_detect",
        run: |c| drop(black_box(Body::from_slice(black_box(&c.sent)).unwrap())),
    },
    Mode {
        name: "serde_json_typed",
        run: |c| {
            drop(black_box(
                serde_json::from_slice::<WebhookMessage>(black_box(&c.sent)).unwrap(),
            ))
        },
    },
    Mode {
        name: "value",
        run: |c| {
            drop(black_box(
                serde_json::from_slice::<Value>(black_box(&c.sent)).unwrap(),
            ))
        },
    },
    Mode {
        name: "value_then_typed",
        run: |c| {
            let value: Value = serde_json::from_slice(black_box(&c.sent)).unwrap();
            drop(black_box(
                serde_json::from_value::<WebhookMessage>(value).unwrap(),
            ))
        },
    },
    Mode {
        name: "ignored_any",
        run: |c| {
            black_box(serde_json::from_slice::<IgnoredAny>(black_box(&c.sent)).unwrap());
        },
    },
    Mode {
        name: "to_vec",
        run: |c| drop(black_box(serde_json::to_vec(black_box(&c.parsed)).unwrap())),
    },
    Mode {
        name: "verify",
        run: |c| {
            onefuzz_webhook_types::signature::verify(&c.secret, black_box(&c.sent), Some(&c.digest))
                .unwrap()
        },
    },
];

/// (label, numerator, denominator, target): each ratio divides two medians
/// of the same run.
const RATIOS: &[(&str, &str, &str, &str)] = &[
    ("value / typed", "value", "typed", ">= 1.5"),
    ("typed / ignored_any", "typed", "ignored_any", "<= 4"),
    (
        "event_first / event_last",
        "typed_event_first",
        "typed_event_last",
        "<= 1.1",
    ),
    (
        "value_then_typed / typed",
        "value_then_typed",
        "typed",
        ">= 2",
    ),
    ("typed / serde_json_typed", "typed", "serde_json_typed", ""),
    ("body_detect / typed", "body_detect", "typed", ""),
    ("to_vec / typed", "to_vec", "typed", ""),
    ("verify / typed", "verify", "typed", ""),
];

fn run(mode: &Mode, cases: &[&Case], n: u64) {
    for _ in 0..n {
        cases.iter().for_each(|c| (mode.run)(c));
    }
}

/// How long one timed batch runs: long enough for the clock, short enough
/// that the machine's load changes little within it.
const BATCH: Duration = Duration::from_millis(2);

fn batch_size(mode: &Mode, cases: &[&Case]) -> u64 {
    let mut n = 1;
    loop {
        let start = Instant::now();
        run(mode, cases, n);
        if start.elapsed() >= BATCH / 4 {
            return n * 4;
        }
        n *= 2;
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn time(groups: &[(String, Vec<&Case>)], rounds: usize) {
    let batches: Vec<Vec<u64>> = groups
        .iter()
        .map(|(_, g)| MODES.iter().map(|m| batch_size(m, g)).collect())
        .collect();
    let mut samples = vec![vec![Vec::with_capacity(rounds); MODES.len()]; groups.len()];
    for _ in 0..rounds {
        for (g, (_, group)) in groups.iter().enumerate() {
            for (m, mode) in MODES.iter().enumerate() {
                let n = batches[g][m];
                let start = Instant::now();
                run(mode, group, n);
                samples[g][m].push(start.elapsed().as_nanos() as f64 / n as f64);
            }
        }
    }
    let medians: Vec<Vec<f64>> = samples
        .into_iter()
        .map(|g| g.into_iter().map(median).collect())
        .collect();
    print_table("median µs per operation", groups, &medians, 1e-3);
    print_ratios(groups, &medians);
}

fn heap(groups: &[(String, Vec<&Case>)]) {
    let bytes: Vec<Vec<f64>> = groups
        .iter()
        .map(|(_, group)| {
            MODES
                .iter()
                .map(|mode| {
                    let region = Region::new(GLOBAL);
                    run(mode, group, 1);
                    region.change().bytes_allocated as f64
                })
                .collect()
        })
        .collect();
    print_table("KiB allocated per operation", groups, &bytes, 1.0 / 1024.0);
}

fn print_table(what: &str, groups: &[(String, Vec<&Case>)], values: &[Vec<f64>], scale: f64) {
    println!("{what} (bodies per group in brackets)");
    print!("{:<26}", "mode");
    for (name, group) in groups {
        print!(" {:>24}", format!("{name} [{}]", group.len()));
    }
    println!();
    for (m, mode) in MODES.iter().enumerate() {
        print!("{:<26}", mode.name);
        for row in values {
            print!(" {:>24.1}", row[m] * scale);
        }
        println!();
    }
    println!();
}

fn print_ratios(groups: &[(String, Vec<&Case>)], medians: &[Vec<f64>]) {
    let index = |name: &str| MODES.iter().position(|m| m.name == name).expect("a mode");
    println!("ratios of medians (target in brackets)");
    print!("{:<36}", "ratio");
    for (name, _) in groups {
        print!(" {name:>20}");
    }
    println!();
    for (label, numerator, denominator, target) in RATIOS {
        let label = if target.is_empty() {
            (*label).to_owned()
        } else {
            format!("{label} [{target}]")
        };
        print!("{label:<36}");
        for row in medians {
            print!(" {:>20.2}", row[index(numerator)] / row[index(denominator)]);
        }
        println!();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cases = cases();
    let groups = groups(&cases);
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["list"] => {
            let names: Vec<&str> = groups.iter().map(|(n, _)| n.as_str()).collect();
            println!("{}", names.join(" "));
            let modes: Vec<&str> = MODES.iter().map(|m| m.name).collect();
            println!("{}", modes.join(" "));
        }
        ["time", rounds] => time(&groups, rounds.parse().expect("ROUNDS is a number")),
        ["heap"] => heap(&groups),
        ["run", group, mode, n] => {
            let (_, selected) = groups
                .iter()
                .find(|(name, _)| name == group)
                .unwrap_or_else(|| panic!("no group {group}"));
            let mode = MODES
                .iter()
                .find(|m| m.name == *mode)
                .unwrap_or_else(|| panic!("no mode {mode}"));
            run(mode, selected, n.parse().expect("N is a number"));
        }
        // `cargo bench` passes `--bench`.
        _ => {}
    }
}
