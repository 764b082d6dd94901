//! A OneFuzz webhook receiver.
//!
//! ```text
//! ONEFUZZ_WEBHOOK_SECRET=token BIND=127.0.0.1:8080 cargo run --example receiver
//! ```
//!
//! - `ONEFUZZ_WEBHOOK_SECRET`: when set, requests must carry a valid
//!   `X-Onefuzz-Digest` header (401 otherwise);
//! - `BIND`: the address to listen on, `127.0.0.1:8080` by default;
//! - `MAX_BODY_BYTES`: larger bodies get 413, 1 MiB by default;
//! - `READ_TIMEOUT_SECS`: a request not read and answered within this gets
//!   408, 10 by default;
//! - `DEDUP_CAPACITY`: how many event ids are remembered to skip repeated
//!   deliveries (each for `dedup::DEFAULT_WINDOW`), 65536 by default;
//! - `RUST_LOG`: the log filter, `info` by default.
//!
//! Takes both body formats, a webhook message or Event Grid events, told
//! apart by the body. Answers 202 to a body it parsed (with the ping for a
//! `ping` message), 400 with the JSON path for a body that is neither.
//! OneFuzz delivers at least once: an event whose id was handled less than
//! the window ago is answered 202 and logged as a duplicate, not handled
//! again.

mod app;

use std::net::SocketAddr;

use onefuzz_webhook_types::dedup;
use tracing_subscriber::EnvFilter;

const DEFAULT_BIND: &str = "127.0.0.1:8080";
const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
const DEFAULT_READ_TIMEOUT_SECS: u64 = 10;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .init();
    let (config, bind) = config_from_env()?;
    let listener = tokio::net::TcpListener::bind(bind).await?;
    tracing::info!(
        address = %listener.local_addr()?,
        signed = config.secret.is_some(),
        max_body_bytes = config.max_body_bytes,
        dedup_capacity = config.dedup_capacity,
        dedup_window = ?config.dedup_window,
        read_timeout = ?config.read_timeout,
        "listening"
    );
    // On Ctrl-C or SIGTERM the server stops accepting connections and
    // finishes the requests in flight before it exits.
    axum::serve(listener, app::app(config))
        .with_graceful_shutdown(shutdown_requested())
        .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_requested() {
    let interrupt = async {
        // Without a Ctrl-C handler the server is simply killed, which is fine too.
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

fn config_from_env() -> Result<(app::Config, SocketAddr), String> {
    let secret = std::env::var_os("ONEFUZZ_WEBHOOK_SECRET").map(|s| s.into_encoded_bytes());
    let bind = env_or("BIND", DEFAULT_BIND)?;
    let bind = bind
        .parse()
        .map_err(|e| format!("BIND={bind:?} is not an address like {DEFAULT_BIND}: {e}"))?;
    let max = env_or("MAX_BODY_BYTES", &DEFAULT_MAX_BODY_BYTES.to_string())?;
    let max_body_bytes = max
        .parse()
        .map_err(|e| format!("MAX_BODY_BYTES={max:?} is not a byte count: {e}"))?;
    let capacity = env_or("DEDUP_CAPACITY", &dedup::DEFAULT_CAPACITY.to_string())?;
    let dedup_capacity = capacity
        .parse()
        .map_err(|e| format!("DEDUP_CAPACITY={capacity:?} is not a count: {e}"))?;
    let timeout = env_or("READ_TIMEOUT_SECS", &DEFAULT_READ_TIMEOUT_SECS.to_string())?;
    let read_timeout = timeout
        .parse()
        .map(std::time::Duration::from_secs)
        .map_err(|e| format!("READ_TIMEOUT_SECS={timeout:?} is not a number of seconds: {e}"))?;
    Ok((
        app::Config {
            secret,
            max_body_bytes,
            read_timeout,
            dedup_capacity,
            dedup_window: dedup::DEFAULT_WINDOW,
        },
        bind,
    ))
}

fn env_or(name: &str, default: &str) -> Result<String, String> {
    match std::env::var(name) {
        Ok(value) => Ok(value),
        Err(std::env::VarError::NotPresent) => Ok(default.to_owned()),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
    }
}
