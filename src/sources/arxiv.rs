//! The arXiv API: parsing its Atom answer (pure, `&str` in) and fetching through the shared
//! [`Client`].
//!
//! The API (`https://export.arxiv.org/api/query?id_list=ID[,ID...]`, see the arXiv API User's
//! Manual) answers an Atom feed with one `<entry>` per paper. A malformed id yields an "error
//! feed", an entry titled `Error` whose `<id>` points into `http://arxiv.org/api/errors` and
//! whose summary says what is wrong; an unknown id yields a feed without a usable entry.

use std::time::Duration;

use quick_xml::events::{BytesStart, Event};

use super::{Client, NetError, Service, fold};
use crate::model::date::PartialDate;
use crate::model::ident::ArxivId;
use crate::model::link::Url;

/// The arXiv API as the client sees it: one request every 3 s, as its terms of use ask.
pub const SERVICE: Service = Service {
    name: "arXiv API",
    key: "arxiv",
    env: "HFTLIST_ARXIV_URL",
    endpoint: "https://export.arxiv.org/api/query",
    known_hosts: &["export.arxiv.org", "arxiv.org"],
    delay: Duration::from_secs(3),
    ttl: Duration::from_secs(24 * 60 * 60),
    max_bytes: 16 * 1024 * 1024,
};

/// The most ids asked in one request (the manual suggests slices of at most a few hundred).
pub const BATCH: usize = 100;

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

/// Everything the API says about one paper, as the batched fetch returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArxivEntry {
    /// The id, without version.
    pub id: ArxivId,
    /// The latest version number, when the entry's id carries one.
    pub version: Option<u32>,
    /// The title, whitespace folded.
    pub title: String,
    /// The authors, in order, whitespace folded.
    pub authors: Vec<String>,
    /// The date of version 1.
    pub published: PartialDate,
    /// The date of the latest version.
    pub updated: Option<PartialDate>,
    /// The abstract, whitespace folded.
    pub summary: String,
    /// `arxiv:comment`, whitespace folded (pages, figures, "accepted at ...").
    pub comment: Option<String>,
    /// `arxiv:journal_ref`, whitespace folded.
    pub journal_ref: Option<String>,
    /// `arxiv:doi`: the DOI of the published version.
    pub doi: Option<String>,
    /// `arxiv:primary_category`, e.g. `cs.CL`.
    pub primary_category: Option<String>,
    /// The abstract page (`rel="alternate"`).
    pub abs_url: Option<String>,
    /// The PDF (`title="pdf"`).
    pub pdf_url: Option<String>,
}

impl ArxivEntry {
    /// The first GitHub or GitLab repository named in the abstract or the comment.
    pub fn code(&self) -> Option<Url> {
        find_repository(&self.summary).or_else(|| self.comment.as_deref().and_then(find_repository))
    }
}

/// What one batched request found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// The entries, in the order of the answer.
    pub entries: Vec<ArxivEntry>,
    /// The ids asked that the answer has no entry for.
    pub missing: Vec<ArxivId>,
}

/// One `<entry>` as read.
#[derive(Default)]
struct RawEntry {
    id: String,
    title: String,
    summary: String,
    published: String,
    updated: String,
    comment: String,
    journal_ref: String,
    doi: String,
    primary_category: String,
    abs_url: String,
    pdf_url: String,
    authors: Vec<String>,
}

/// Parses an Atom answer into every entry it holds (the error feed is an error; entries
/// without a title, the API's answer for an unknown id, are left out).
pub fn parse_entries(xml: &str) -> Result<Vec<ArxivEntry>, FeedError> {
    let raw = read_entries(xml)?;
    if let Some(err) = raw.iter().find(|e| e.id.contains("arxiv.org/api/errors")) {
        return Err(FeedError::Api(fold(&err.summary)));
    }
    let mut entries = Vec::new();
    for e in raw {
        if fold(&e.title).is_empty() {
            continue;
        }
        let tail = e.id.trim().rsplit("/abs/").next().unwrap_or_default();
        let id = ArxivId::from_url(&format!("https://arxiv.org/abs/{tail}")).ok_or_else(|| {
            FeedError::Malformed(format!(
                "an entry's id is `{}`, not an arXiv id",
                e.id.trim()
            ))
        })?;
        let version = tail
            .rsplit_once('v')
            .and_then(|(_, v)| v.parse::<u32>().ok());
        let date = |what: &str, value: &str| {
            value
                .trim()
                .get(..10)
                .unwrap_or_default()
                .parse::<PartialDate>()
                .map_err(|_| {
                    FeedError::Malformed(format!(
                        "`{what}` of {id} is `{}`, not a date",
                        value.trim()
                    ))
                })
        };
        let published = date("published", &e.published)?;
        let updated = if e.updated.trim().is_empty() {
            None
        } else {
            Some(date("updated", &e.updated)?)
        };
        let some = |s: &str| Some(fold(s)).filter(|s| !s.is_empty());
        entries.push(ArxivEntry {
            title: fold(&e.title),
            authors: e
                .authors
                .iter()
                .map(|a| fold(a))
                .filter(|a| !a.is_empty())
                .collect(),
            published,
            updated,
            summary: fold(&e.summary),
            comment: some(&e.comment),
            journal_ref: some(&e.journal_ref),
            doi: some(&e.doi),
            primary_category: some(&e.primary_category),
            abs_url: some(&e.abs_url),
            pdf_url: some(&e.pdf_url),
            version,
            id,
        });
    }
    Ok(entries)
}

/// Parses an Atom answer and returns the record for `wanted`.
pub fn parse_feed(xml: &str, wanted: &ArxivId) -> Result<ArxivRecord, FeedError> {
    let entry = parse_entries(xml)?
        .into_iter()
        .find(|e| &e.id == wanted)
        .ok_or(FeedError::NotFound)?;
    Ok(ArxivRecord {
        id: wanted.clone(),
        code: entry.code(),
        title: entry.title,
        authors: entry.authors,
        published: entry.published,
    })
}

/// The query URL for some ids at `endpoint`.
pub fn query_url(endpoint: &str, ids: &[ArxivId]) -> String {
    let list: Vec<&str> = ids.iter().map(ArxivId::as_str).collect();
    if ids.len() == 1 {
        format!("{endpoint}?id_list={}", list[0])
    } else {
        // The API returns 10 entries unless told otherwise.
        format!(
            "{endpoint}?id_list={}&max_results={}",
            list.join(","),
            ids.len()
        )
    }
}

/// Fetches and parses the record of one paper (the endpoint from `HFTLIST_ARXIV_URL` or the
/// default).
pub fn fetch(client: &Client, id: &ArxivId) -> anyhow::Result<ArxivRecord> {
    let url = query_url(&SERVICE.endpoint()?, std::slice::from_ref(id));
    let xml = client.get(&SERVICE, &url)?;
    parse_feed(&xml, id).map_err(|e| anyhow::anyhow!("cannot add arXiv {id}: {e}"))
}

/// Fetches every id, [`BATCH`] per request, and returns every entry found and the ids without
/// one. Offline, it serves what the cache holds and names every request it could not serve.
pub fn fetch_many(client: &Client, ids: &[ArxivId]) -> anyhow::Result<Batch> {
    fetch_many_at(client, &SERVICE.endpoint()?, ids)
}

/// [`fetch_many`] from the given endpoint.
pub fn fetch_many_at(client: &Client, endpoint: &str, ids: &[ArxivId]) -> anyhow::Result<Batch> {
    let mut batch = Batch::default();
    let mut unserved = Vec::new();
    for chunk in ids.chunks(BATCH) {
        let url = query_url(endpoint, chunk);
        let xml = match client.get(&SERVICE, &url) {
            Ok(xml) => xml,
            Err(NetError::Offline(urls)) => {
                unserved.extend(urls);
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let entries = parse_entries(&xml)
            .map_err(|e| anyhow::anyhow!("cannot read the answer of {url}: {e}"))?;
        batch.missing.extend(
            chunk
                .iter()
                .filter(|id| !entries.iter().any(|e| &e.id == *id))
                .cloned(),
        );
        batch.entries.extend(entries);
    }
    if !unserved.is_empty() {
        return Err(NetError::Offline(unserved).into());
    }
    Ok(batch)
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
                if let Some(entry) = current.as_mut() {
                    read_attributes(entry, &e, stack.len())?;
                }
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
                        ["updated"] => entry.updated = value,
                        ["comment"] => entry.comment = value,
                        ["journal_ref"] => entry.journal_ref = value,
                        ["doi"] => entry.doi = value,
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
            Event::Empty(e) => {
                if let Some(entry) = current.as_mut() {
                    read_attributes(entry, &e, stack.len())?;
                }
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

/// The links and the primary category, which the API gives as attributes of children of
/// `<entry>` (at depth 2).
fn read_attributes(
    entry: &mut RawEntry,
    e: &BytesStart<'_>,
    depth: usize,
) -> Result<(), FeedError> {
    if depth != 2 {
        return Ok(());
    }
    let attr = |name: &str| -> Result<String, FeedError> {
        match e.try_get_attribute(name) {
            Ok(Some(a)) => a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .map_err(|err| FeedError::Malformed(err.to_string())),
            Ok(None) => Ok(String::new()),
            Err(err) => Err(FeedError::Malformed(err.to_string())),
        }
    };
    match e.local_name().as_ref() {
        "link" => {
            let (rel, title, href) = (attr("rel")?, attr("title")?, attr("href")?);
            if rel == "alternate" && entry.abs_url.is_empty() {
                entry.abs_url = href;
            } else if title == "pdf" && entry.pdf_url.is_empty() {
                entry.pdf_url = href;
            }
        }
        "primary_category" => entry.primary_category = attr("term")?,
        _ => {}
    }
    Ok(())
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

    const BATCH_FEED: &str = include_str!("../../tests/fixtures/arxiv/batch.xml");
    const ERROR_FEED: &str = include_str!("../../tests/fixtures/arxiv/error.xml");

    #[test]
    fn reads_every_entry_of_a_batch() {
        let entries = parse_entries(BATCH_FEED).unwrap();
        assert_eq!(entries.len(), 2);
        let vaccine = &entries[0];
        assert_eq!(vaccine.id.as_str(), "2402.01109");
        assert_eq!(vaccine.version, Some(5));
        assert_eq!(
            vaccine.title,
            "Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful \
             Fine-tuning Attack"
        );
        assert_eq!(vaccine.authors, ["Tiansheng Huang", "Sihao Hu", "Ling Liu"]);
        assert_eq!(vaccine.published.to_string(), "2024-02-02");
        assert_eq!(vaccine.updated.unwrap().to_string(), "2024-10-01");
        assert_eq!(
            vaccine.comment.as_deref(),
            Some("Rejected by ICML2024. Accepted by NeurIPS2024")
        );
        assert_eq!(vaccine.doi, None);
        assert_eq!(vaccine.journal_ref, None);
        assert_eq!(vaccine.primary_category.as_deref(), Some("cs.LG"));
        assert_eq!(
            vaccine.abs_url.as_deref(),
            Some("http://arxiv.org/abs/2402.01109v5")
        );
        assert_eq!(
            vaccine.pdf_url.as_deref(),
            Some("http://arxiv.org/pdf/2402.01109v5")
        );
        assert_eq!(
            vaccine.code().unwrap().as_str(),
            "https://github.com/git-disl/Vaccine"
        );
        assert!(
            vaccine
                .summary
                .starts_with("The new paradigm of finetuning-as-a-service")
        );

        let survey = &entries[1];
        assert_eq!(survey.id.as_str(), "2409.18169");
        assert_eq!(survey.authors.len(), 5);
        assert_eq!(survey.authors[4], "Ling Liu");
        assert_eq!(survey.doi.as_deref(), Some("10.1145/3712003"));
        assert_eq!(
            survey.journal_ref.as_deref(),
            Some("ACM Comput. Surv. 57, 9 (2025)")
        );
        assert!(
            survey
                .comment
                .as_deref()
                .unwrap()
                .starts_with("Accepted by ACM Computing Surveys & revised per reviews.")
        );
        assert_eq!(
            survey.code().unwrap().as_str(),
            "https://github.com/git-disl/awesome_LLM-harmful-fine-tuning-papers"
        );
    }

    #[test]
    fn one_record_out_of_a_batch_and_the_error_feed() {
        let r = parse_feed(BATCH_FEED, &id("2409.18169")).unwrap();
        assert_eq!(
            r.title,
            "Harmful Fine-tuning Attacks and Defenses for Large Language Models: A Survey"
        );
        assert_eq!(
            parse_feed(BATCH_FEED, &id("2501.99999")),
            Err(FeedError::NotFound)
        );
        assert_eq!(
            parse_entries(ERROR_FEED),
            Err(FeedError::Api("incorrect id format for 2402.0110".into()))
        );
    }

    #[test]
    fn query_urls() {
        assert_eq!(
            query_url("https://e/api/query", &[id("2402.01109")]),
            "https://e/api/query?id_list=2402.01109"
        );
        assert_eq!(
            query_url("https://e/api/query", &[id("2402.01109"), id("2409.18169")]),
            "https://e/api/query?id_list=2402.01109,2409.18169&max_results=2"
        );
        assert!(SERVICE.endpoint.starts_with("https://"));
    }

    #[test]
    fn a_bad_date_in_one_entry_is_named() {
        let bad = BATCH_FEED.replace("2024-09-26T17:55:22Z", "yesterday");
        assert_eq!(
            parse_entries(&bad),
            Err(FeedError::Malformed(
                "`published` of 2409.18169 is `yesterday`, not a date".into()
            ))
        );
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
