//! Reads the doc given to `--doc`: a local path or an http(s) URL.

use std::time::Duration;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum FetchError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot fetch {url}: {source}")]
    Http { url: String, source: ureq::Error },
}

pub fn is_url(arg: &str) -> bool {
    arg.starts_with("http://") || arg.starts_with("https://")
}

/// Loads the doc text; a non-UTF-8 doc is an error either way.
pub fn load(arg: &str) -> Result<String, FetchError> {
    if is_url(arg) {
        get(arg).map_err(|source| FetchError::Http {
            url: arg.to_owned(),
            source,
        })
    } else {
        std::fs::read_to_string(arg).map_err(|source| FetchError::Read {
            path: arg.to_owned(),
            source,
        })
    }
}

fn get(url: &str) -> Result<String, ureq::Error> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    agent.get(url).call()?.body_mut().read_to_string()
}
