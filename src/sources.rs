//! The only network code: one https client ([`http`]), an on-disk answer cache ([`cache`]),
//! one module per metadata service ([`arxiv`]...) and the link checker ([`links`]). Parsers take
//! `&str` and never do I/O; the
//! client decides everything about talking to a host (trust, proxies, redirects, pacing, size
//! and time limits) so that a new service only describes itself as a [`Service`].

pub mod arxiv;
pub mod cache;
pub mod crossref;
pub mod dblp;
pub mod http;
pub mod links;
pub mod openreview;
pub mod refresh;

use std::time::Duration;

pub use http::{Client, NetError, Options};

/// A metadata service as the client needs to know it.
#[derive(Clone, Copy, Debug)]
pub struct Service {
    /// How messages name it, e.g. `arXiv API`.
    pub name: &'static str,
    /// The folder of its answers in the cache, e.g. `arxiv`.
    pub key: &'static str,
    /// The environment variable that replaces its endpoint (tests, mirrors).
    pub env: &'static str,
    /// Its public endpoint (always https).
    pub endpoint: &'static str,
    /// Hosts a redirect may lead to besides the endpoint's own (https only).
    pub known_hosts: &'static [&'static str],
    /// The least time between two requests to one host, as the service asks.
    pub delay: Duration,
    /// How long a cached answer is served without asking again.
    pub ttl: Duration,
    /// The largest answer read; a larger one is an error.
    pub max_bytes: u64,
}

impl Service {
    /// The endpoint to use: the override in [`Service::env`] when set, else the default;
    /// refused when it is not https (or plain http on a loopback address).
    pub fn endpoint(&self) -> Result<String, NetError> {
        match std::env::var(self.env) {
            Ok(url) if !url.trim().is_empty() => {
                let url = url.trim().to_owned();
                http::check_endpoint(&url, self.env)?;
                Ok(url)
            }
            _ => Ok(self.endpoint.to_owned()),
        }
    }
}

/// Why an answer gave no record (the JSON services; arXiv has its own [`arxiv::FeedError`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerError {
    /// The service has no record for the request.
    NotFound,
    /// The answer is not in the format the service documents.
    Malformed(String),
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound => f.write_str("the service has no such record"),
            Self::Malformed(m) => write!(f, "the answer is not in the documented format: {m}"),
        }
    }
}

impl std::error::Error for AnswerError {}

/// Whitespace folded to single spaces (titles and names arrive with line breaks).
pub(crate) fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prints a warning that does not stop the command (a corrupt cache entry, an unwritable
/// cache).
pub(crate) fn warn(message: &str) {
    crate::messages::say(format!("hftlist: warning: {message}"));
}
