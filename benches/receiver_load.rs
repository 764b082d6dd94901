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

#[path = "../examples/receiver/app.rs"]
#[allow(dead_code)]
mod app;

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
            read_timeout: Duration::from_secs(10),
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
}
