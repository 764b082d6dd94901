//! Parse, serialize and verify each doc example in its envelope, and a mixed
//! stream of all of them. The inputs are read from `schemas/` at start, so
//! the benches follow the doc without naming any event type.
//!
//! Groups: `parse/<event_type>` for each example, `parse/stream` for all of
//! them in a row. Functions (see `common::MODES`):
//! - `message/from_slice`: `WebhookMessage::from_slice`, with JSON-path errors;
//! - `message/serde_json`: `serde_json::from_slice::<WebhookMessage>`, the
//!   plain call that `from_slice` is measured against;
//! - `message/event_first`: `event` before `event_type`, the buffered path;
//! - `body/struct`, `body/struct_text`, `body/struct_path`: the event body
//!   alone into its struct, read from bytes as `serde_json::from_slice` does,
//!   read as text after one UTF-8 check as `from_slice` reads a message (the
//!   like-for-like baseline), and with path tracking;
//! - `message/value`, `message/value_text`: into `serde_json::Value`, from
//!   bytes and as text;
//! - `message/ignored_any`, `body/ignored_any`: skipped, the floor of the
//!   JSON scanner (their difference is the cost of scanning the envelope);
//! - `message/to_vec`: serializing the parsed message;
//! - `message/verify`: checking the `X-Onefuzz-Digest` of the message bytes.
//!
//! `benches/ratios.py` turns criterion's estimates into ratios;
//! `benches/instructions.py` counts instructions of the same modes with callgrind,
//! and `benches/times.py` times them interleaved (`benches/parse_runs.rs`).

mod common;

use std::time::Duration;

use common::{Case, MODES};
use criterion::{criterion_group, criterion_main, Criterion};

fn group(c: &mut Criterion, name: &str, cases: &[&Case]) {
    let mut g = c.benchmark_group(format!("parse/{name}"));
    for mode in MODES {
        g.bench_function(mode.name, |b| {
            b.iter(|| cases.iter().for_each(|case| (mode.run)(case)))
        });
    }
    g.finish();
}

fn parse(c: &mut Criterion) {
    let cases = common::cases();
    for case in &cases {
        group(c, &case.event_type, &[case]);
    }
    let all: Vec<&Case> = cases.iter().collect();
    group(c, "stream", &all);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = parse
}
criterion_main!(benches);
