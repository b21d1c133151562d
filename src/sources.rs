//! The sources: the only network code. Each service (arXiv first) has a parser that takes the
//! service's answer as text, tested on recorded answers, and a fetch function that goes through
//! the one HTTP client.

pub mod arxiv;
