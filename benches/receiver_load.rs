//! Load on the example receiver (`examples/receiver`), against the same
//! server with a handler that only reads the body: requests per second and
//! p50/p99 latency of each, and their ratios. Run it with
//! `cargo xtask bench`, which builds this in release.
//!
//! `receiver_load ROUNDS` serves both routers on 127.0.0.1, then ROUNDS
//! times over posts every webhook and Event Grid body of the real-sender
//! corpus from CLIENTS concurrent clients, signed, to one server and then to
//! the other, so that both see the same share of the machine's load. After
//! the first round every event is a repeat, which the receiver answers 202
//! without handling again, as it would a retry. Run by `cargo bench` with
//! no such argument, it does nothing.
//!
//! Before the load, a fault phase sends the receiver the clients of
//! tests/faults/ (oversized, cut, dropped, reset, mis-signed and slow
//! bodies) in steps of FAULTS of each kind, and prints the process's peak
//! RSS at the start, after each step and after the load: if a fault kept
//! anything, the peak would grow with their count.

#[path = "../examples/receiver/app.rs"]
#[allow(dead_code)]
mod app;
#[path = "../tests/faults/mod.rs"]
mod faults;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use onefuzz_webhook_types::dedup;
use onefuzz_webhook_types::DIGEST_HEADER;
use serde_json::Value;

const CLIENTS: usize = 8;
const LIMIT: usize = 1024 * 1024;
/// Faults of each kind in each step of the fault phase.
const FAULTS: [usize; 3] = [200, 600, 1800];
/// Slow clients open at once: batches of the same size in both phases, so
/// that the phases differ in the count of faults, not in how many are open.
const SLOW_AT_ONCE: usize = 100;
/// Short, so that each batch of slow clients is answered soon; a request
/// of the load takes far less.
const READ_TIMEOUT: Duration = Duration::from_secs(1);

/// Every corpus body (both formats, real senders only) with its digest, and
/// the secret they are signed with.
fn bodies() -> (Vec<(Vec<u8>, String)>, String) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(corpus.join("MANIFEST.json")).unwrap()).unwrap();
    let entries = manifest["entries"].as_array().expect("entries");
    let secret = entries[0]["secret"].as_str().unwrap().to_owned();
    let bodies = entries
        .iter()
        .filter(|e| e["sender"] != "python-models" && e["secret"] == secret.as_str())
        .map(|e| {
            let path = corpus.join(e["path"].as_str().unwrap());
            (
                std::fs::read(path).unwrap(),
                e["digest"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (bodies, secret)
}

fn serve(runtime: &tokio::runtime::Runtime, router: Router) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        axum::serve(listener, router).await.unwrap();
    });
    address
}

/// Posts every body once, spread over CLIENTS threads; the latency of each
/// request.
fn round(
    address: SocketAddr,
    bodies: &[(Vec<u8>, String)],
    agents: &[ureq::Agent],
) -> Vec<Duration> {
    std::thread::scope(|scope| {
        let workers: Vec<_> = agents
            .iter()
            .enumerate()
            .map(|(i, agent)| {
                scope.spawn(move || {
                    let mut latencies = Vec::new();
                    for (body, digest) in bodies.iter().skip(i).step_by(CLIENTS) {
                        let started = Instant::now();
                        let response = agent
                            .post(format!("http://{address}/"))
                            .header("content-type", "application/json")
                            .header(DIGEST_HEADER, digest)
                            .send(&body[..])
                            .unwrap();
                        assert_eq!(response.status().as_u16(), 202);
                        latencies.push(started.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    })
}

/// Sends `count` faults of each kind to `target`, the slow ones in batches
/// on a thread of their own while the others go one after another; how
/// many of each kind got each answer (marked when it is not one the
/// receiver should give).
fn fault_phase(target: &faults::Target, count: usize) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut answers: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut count_answer = |kind: String, status: Option<u16>, expected: bool| {
        let mut answer = status.map_or_else(|| "none".to_owned(), |s| s.to_string());
        if !expected {
            answer.push_str(" (unexpected)");
        }
        *answers.entry(kind).or_default().entry(answer).or_default() += 1;
    };
    let slow = std::thread::scope(|scope| {
        let slow = scope.spawn(|| {
            let mut statuses = Vec::new();
            while statuses.len() < count {
                let batch = SLOW_AT_ONCE.min(count - statuses.len());
                let interval = Duration::from_millis(100);
                statuses.extend(faults::slow_bodies(target.address, batch, interval));
            }
            statuses
        });
        for _ in 0..count {
            for fault in faults::Fault::ALL {
                let status = fault.send(target);
                count_answer(
                    format!("{fault:?}"),
                    status,
                    fault.answered_as_it_should(status),
                );
            }
        }
        slow.join().unwrap()
    });
    for status in slow {
        count_answer("SlowBody".to_owned(), status, status == Some(408));
    }
    answers
}

/// A field of this process's `/proc/self/status` in KiB: `VmHWM`, the
/// peak resident set size so far, or `VmRSS`, the current one.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn print_peak_rss(when: &str) {
    match (status_kib("VmHWM:"), status_kib("VmRSS:")) {
        (Some(peak), Some(now)) => {
            println!("peak RSS (VmHWM) {when:<40} {peak:>8} KiB (VmRSS {now} KiB)")
        }
        _ => println!("peak RSS (VmHWM) {when:<40} unknown (no /proc/self/status)"),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let Some(rounds) = std::env::args()
        .nth(1)
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return;
    };
    let (bodies, secret) = bodies();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let receiver = serve(
        &runtime,
        app::app(app::Config {
            secret: Some(secret.into_bytes()),
            max_body_bytes: LIMIT,
            dedup_capacity: dedup::DEFAULT_CAPACITY,
            dedup_window: dedup::DEFAULT_WINDOW,
            read_timeout: READ_TIMEOUT,
        }),
    );
    let baseline = serve(
        &runtime,
        Router::new()
            .route(
                "/",
                post(|body: Bytes| async move {
                    drop(body);
                    StatusCode::ACCEPTED
                }),
            )
            .layer(DefaultBodyLimit::max(LIMIT)),
    );
    let agents: Vec<ureq::Agent> = (0..CLIENTS)
        .map(|_| ureq::Agent::new_with_defaults())
        .collect();
    print_peak_rss("at the start");
    let target = faults::Target {
        address: receiver,
        limit: LIMIT,
        body: bodies[0].0.clone(),
        reset_after: Duration::from_millis(1),
    };
    let mut sent = 0;
    for count in FAULTS {
        let answers = fault_phase(&target, count);
        sent += count;
        println!("fault phase: {count} of each kind, answers:");
        for (kind, answers) in answers {
            let answers: Vec<String> = answers.iter().map(|(a, n)| format!("{a} x{n}")).collect();
            println!("  {kind:<18} {}", answers.join(", "));
        }
        print_peak_rss(&format!("after {sent} faults of each kind"));
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut ours_time, mut theirs_time) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds {
        let started = Instant::now();
        ours.extend(round(receiver, &bodies, &agents));
        ours_time += started.elapsed();
        let started = Instant::now();
        theirs.extend(round(baseline, &bodies, &agents));
        theirs_time += started.elapsed();
    }
    ours.sort();
    theirs.sort();
    let rate = |n: usize, time: Duration| n as f64 / time.as_secs_f64();
    let (ours_rate, theirs_rate) = (rate(ours.len(), ours_time), rate(theirs.len(), theirs_time));
    println!(
        "receiver load: {} bodies x {rounds} rounds per server, {CLIENTS} concurrent clients",
        bodies.len()
    );
    println!(
        "{:<28} {:>12} {:>10} {:>10}",
        "server", "requests/s", "p50 µs", "p99 µs"
    );
    for (name, rate, sorted) in [
        ("receiver (verify, parse)", ours_rate, &ours),
        ("baseline (read body only)", theirs_rate, &theirs),
    ] {
        println!(
            "{name:<28} {rate:>12.0} {:>10} {:>10}",
            percentile(sorted, 0.5).as_micros(),
            percentile(sorted, 0.99).as_micros()
        );
    }
    println!(
        "receiver / baseline: throughput {:.2} (target >= 0.8), p50 latency {:.2}, p99 latency {:.2}",
        ours_rate / theirs_rate,
        percentile(&ours, 0.5).as_secs_f64() / percentile(&theirs, 0.5).as_secs_f64(),
        percentile(&ours, 0.99).as_secs_f64() / percentile(&theirs, 0.99).as_secs_f64(),
    );
    print_peak_rss(&format!("after {rounds} rounds of load"));
}
