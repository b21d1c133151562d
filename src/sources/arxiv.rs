//! The arXiv API: parsing its Atom response (pure) and the one function that does HTTP.
//!
//! The API (`http://export.arxiv.org/api/query?id_list=ID`, see the arXiv API User's Manual)
//! answers an Atom feed with one `<entry>` per paper. A malformed id yields an "error feed", an
//! entry titled `Error` whose `<id>` points into `http://arxiv.org/api/errors` and whose summary
//! says what is wrong; an unknown id yields a feed without a usable entry.

use std::time::Duration;

use anyhow::{Context, bail};
use quick_xml::events::Event;

use crate::model::date::PartialDate;
use crate::model::ident::ArxivId;
use crate::model::link::Url;

/// The public query endpoint; `HFTLIST_ARXIV_URL` replaces it (tests, mirrors).
pub const DEFAULT_ENDPOINT: &str = "http://export.arxiv.org/api/query";

/// What the API says about one paper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArxivRecord {
    /// The id, without version.
    pub id: ArxivId,
    /// The title, whitespace folded.
    pub title: String,
    /// The authors, in order.
    pub authors: Vec<String>,
    /// The date of version 1.
    pub published: PartialDate,
    /// A GitHub or GitLab repository named in the abstract or the comment.
    pub code: Option<Url>,
}

/// Why a feed gave no record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeedError {
    /// The API's error feed, with its message (e.g. "incorrect id format for 1234.5678").
    Api(String),
    /// The feed has no entry for the id.
    NotFound,
    /// The response is not the Atom the manual describes.
    Malformed(String),
}

impl std::fmt::Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Api(m) => write!(f, "the arXiv API refused the query: {m}"),
            Self::NotFound => f.write_str("arXiv has no paper with this id"),
            Self::Malformed(m) => write!(f, "the arXiv API's answer is not a valid Atom feed: {m}"),
        }
    }
}

impl std::error::Error for FeedError {}

/// One `<entry>` as read.
#[derive(Default)]
struct RawEntry {
    id: String,
    title: String,
    summary: String,
    published: String,
    comment: String,
    authors: Vec<String>,
}

/// Parses an Atom response and returns the record for `wanted`.
pub fn parse_feed(xml: &str, wanted: &ArxivId) -> Result<ArxivRecord, FeedError> {
    let entries = read_entries(xml)?;
    if let Some(err) = entries
        .iter()
        .find(|e| e.id.contains("arxiv.org/api/errors"))
    {
        return Err(FeedError::Api(fold(&err.summary)));
    }
    let entry = entries
        .into_iter()
        .find(|e| {
            let tail = e.id.rsplit("/abs/").next().unwrap_or_default();
            ArxivId::from_url(&format!("https://arxiv.org/abs/{tail}")).as_ref() == Some(wanted)
        })
        .filter(|e| !fold(&e.title).is_empty())
        .ok_or(FeedError::NotFound)?;
    let day = entry.published.get(..10).unwrap_or_default();
    let published = day.parse::<PartialDate>().map_err(|_| {
        FeedError::Malformed(format!("`published` is `{}`, not a date", entry.published))
    })?;
    let code = find_repository(&entry.summary).or_else(|| find_repository(&entry.comment));
    Ok(ArxivRecord {
        id: wanted.clone(),
        title: fold(&entry.title),
        authors: entry
            .authors
            .iter()
            .map(|a| fold(a))
            .filter(|a| !a.is_empty())
            .collect(),
        published,
        code,
    })
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read_entries(xml: &str) -> Result<Vec<RawEntry>, FeedError> {
    let bad = |e: &dyn std::fmt::Display| FeedError::Malformed(e.to_string());
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    let mut current: Option<RawEntry> = None;
    // The text of the innermost open element, entity by entity.
    let mut text = String::new();
    let mut saw_feed = false;
    loop {
        match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_owned();
                if stack.is_empty() {
                    check_root(&name)?;
                    saw_feed = true;
                }
                if name == "entry" && stack.len() == 1 {
                    current = Some(RawEntry::default());
                }
                stack.push(name);
                text.clear();
            }
            Event::End(_) => {
                if let Some(entry) = current.as_mut() {
                    let path: Vec<&str> = stack.iter().skip(2).map(String::as_str).collect();
                    let value = std::mem::take(&mut text);
                    match path.as_slice() {
                        ["id"] => entry.id = value,
                        ["title"] => entry.title = value,
                        ["summary"] => entry.summary = value,
                        ["published"] => entry.published = value,
                        ["comment"] => entry.comment = value,
                        ["author", "name"] => entry.authors.push(value),
                        _ => {}
                    }
                }
                text.clear();
                if stack.pop().as_deref() == Some("entry")
                    && stack.len() == 1
                    && let Some(done) = current.take()
                {
                    entries.push(done);
                }
            }
            Event::Empty(e) if stack.is_empty() => {
                check_root(e.local_name().as_ref())?;
                saw_feed = true;
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(t.as_ref()),
            Event::GeneralRef(r) => match r.resolve_char_ref().map_err(|e| bad(&e))? {
                Some(c) => text.push(c),
                None => text.push_str(match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => {
                        return Err(FeedError::Malformed(format!("unknown entity `&{other};`")));
                    }
                }),
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(FeedError::Malformed(format!(
            "the document ends inside `<{}>`",
            stack.join("><")
        )));
    }
    if !saw_feed {
        return Err(FeedError::Malformed(
            "the answer holds no `feed` element".to_owned(),
        ));
    }
    Ok(entries)
}

fn check_root(name: &str) -> Result<(), FeedError> {
    if name == "feed" {
        Ok(())
    } else {
        Err(FeedError::Malformed(format!(
            "the root element is `{name}`, not `feed`"
        )))
    }
}

/// The first `github.com/owner/repo` or `gitlab.com/owner/repo` in the text, as an https URL.
pub fn find_repository(text: &str) -> Option<Url> {
    for host in ["github.com/", "gitlab.com/"] {
        let Some(at) = text.find(host) else { continue };
        let rest = &text[at + host.len()..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
            .collect();
        let mut parts = path.split('/').filter(|p| !p.is_empty());
        let (Some(owner), Some(repo)) = (parts.next(), parts.next()) else {
            continue;
        };
        let repo = repo.trim_end_matches('.').trim_end_matches(".git");
        if repo.is_empty() {
            continue;
        }
        if let Ok(url) = format!("https://{host}{owner}/{repo}").parse() {
            return Some(url);
        }
    }
    None
}

/// Fetches the Atom feed for `id` from `endpoint`: a timeout, a User-Agent naming hftlist, and one
/// retry on 429 or 5xx after the delay the server asks for in `Retry-After` (at most 60 s).
pub fn fetch(endpoint: &str, id: &ArxivId, timeout: Duration) -> anyhow::Result<String> {
    if !endpoint.starts_with("http://") {
        // Built without TLS: the arXiv API's documented endpoint is plain http, and leaving
        // rustls and ring out keeps the build small.
        bail!(
            "the arXiv endpoint `{endpoint}` must be an http:// URL (hftlist is built without TLS)"
        );
    }
    let url = format!("{endpoint}?id_list={id}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .user_agent(format!(
            "hftlist/{} (paper list maintenance)",
            env!("CARGO_PKG_VERSION")
        ))
        .http_status_as_error(false)
        .build()
        .into();
    for attempt in 0..2 {
        let mut response = match agent.get(&url).call() {
            Ok(r) => r,
            Err(ureq::Error::Timeout(_)) => bail!(
                "the arXiv API at {endpoint} did not answer within {} s (raise it with --timeout)",
                timeout.as_secs_f64()
            ),
            Err(ureq::Error::ConnectionFailed) => {
                bail!("cannot connect to the arXiv API at {endpoint}: connection refused")
            }
            Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                bail!("cannot connect to the arXiv API at {endpoint}: connection refused")
            }
            Err(ureq::Error::HostNotFound) => {
                bail!("cannot reach the arXiv API at {endpoint}: host not found (offline?)")
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot reach the arXiv API at {endpoint}"));
            }
        };
        let status = response.status().as_u16();
        if status == 200 {
            return match response.body_mut().read_to_string() {
                Ok(body) => Ok(body),
                Err(ureq::Error::Timeout(_)) => bail!(
                    "the arXiv API at {endpoint} did not finish answering within {} s (raise it with --timeout)",
                    timeout.as_secs_f64()
                ),
                Err(e) => Err(e).with_context(|| format!("cannot read the answer of {endpoint}")),
            };
        }
        let retryable = status == 429 || (500..=599).contains(&status);
        if retryable && attempt == 0 {
            let wait = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(1)
                .min(60);
            std::thread::sleep(Duration::from_secs(wait));
            continue;
        }
        bail!("the arXiv API at {endpoint} answered HTTP {status}");
    }
    bail!("the arXiv API at {endpoint} kept failing")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ArxivId {
        s.parse().unwrap()
    }

    const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=&amp;id_list=2402.01109</title>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/2402.01109v5</id>
    <updated>2024-10-01T00:00:00Z</updated>
    <published>2024-02-02T03:04:05Z</published>
    <title>Vaccine: Perturbation-aware Alignment for Large Language
  Models against Harmful Fine-tuning</title>
    <summary>We propose Vaccine &amp; more. Code: https://github.com/git-disl/Vaccine.</summary>
    <author><name>Tiansheng Huang</name></author>
    <author><name>Jos&#233; Garc&#xED;a &amp; Co</name></author>
    <author><name>Sihao Hu</name></author>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">NeurIPS 2024</arxiv:comment>
  </entry>
</feed>"#;

    #[test]
    fn reads_a_record() {
        let r = parse_feed(FEED, &id("2402.01109")).unwrap();
        assert_eq!(
            r.title,
            "Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful Fine-tuning"
        );
        assert_eq!(
            r.authors,
            ["Tiansheng Huang", "José García & Co", "Sihao Hu"]
        );
        assert_eq!(r.published.to_string(), "2024-02-02");
        assert_eq!(
            r.code.unwrap().as_str(),
            "https://github.com/git-disl/Vaccine"
        );
    }

    #[test]
    fn error_feed_empty_feed_and_garbage() {
        let error = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_2402.0110</id><title>Error</title><summary>incorrect id format for 2402.0110</summary></entry></feed>"#;
        assert_eq!(
            parse_feed(error, &id("2402.01109")),
            Err(FeedError::Api("incorrect id format for 2402.0110".into()))
        );
        let empty =
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title></feed>"#;
        assert_eq!(
            parse_feed(empty, &id("2402.01109")),
            Err(FeedError::NotFound)
        );
        assert!(matches!(
            parse_feed("<feed><entry>", &id("2402.01109")),
            Err(FeedError::Malformed(_))
        ));
        assert!(matches!(
            parse_feed("<html></html>", &id("2402.01109")),
            Err(FeedError::Malformed(_))
        ));
        assert!(matches!(
            parse_feed("not xml at all", &id("2402.01109")),
            Err(FeedError::Malformed(_))
        ));
        assert!(matches!(
            parse_feed("", &id("2402.01109")),
            Err(FeedError::Malformed(_))
        ));
    }

    #[test]
    fn repositories_in_text() {
        assert_eq!(
            find_repository("see https://github.com/a-b/c_d.git, and more")
                .unwrap()
                .as_str(),
            "https://github.com/a-b/c_d"
        );
        assert_eq!(
            find_repository("gitlab.com/x/y/tree/main")
                .unwrap()
                .as_str(),
            "https://gitlab.com/x/y"
        );
        assert!(find_repository("https://github.com/onlyowner").is_none());
        assert!(find_repository("no link").is_none());
    }
}
