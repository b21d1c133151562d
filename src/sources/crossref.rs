//! Crossref's REST API (`GET /works/DOI`), parsed from `&str`. Crossref asks polite clients to
//! send a contact address (`mailto`); requests that do are served from its "polite" pool.

use std::time::Duration;

use serde::Deserialize;

use super::{AnswerError, Client, Service, fold};
use crate::model::date::PartialDate;
use crate::model::ident::Doi;

/// Crossref's REST API.
pub const SERVICE: Service = Service {
    name: "Crossref API",
    key: "crossref",
    env: "HFTLIST_CROSSREF_URL",
    endpoint: "https://api.crossref.org",
    known_hosts: &["api.crossref.org"],
    delay: Duration::from_secs(1),
    ttl: Duration::from_secs(7 * 24 * 60 * 60),
    max_bytes: 8 * 1024 * 1024,
};

/// What Crossref says about one DOI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrossrefWork {
    /// The DOI as Crossref spells it.
    pub doi: String,
    /// The first title, whitespace folded.
    pub title: String,
    /// The first container title: the journal or proceedings.
    pub container: Option<String>,
    /// The earliest publication date (`published`, else `issued`), as precise as given.
    pub published: Option<PartialDate>,
    /// The authors in order: `given family`, or the organisation's `name`.
    pub authors: Vec<String>,
    /// The work type (`journal-article`, `proceedings-article`, `posted-content`, ...).
    pub kind: String,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "message-type")]
    message_type: String,
    message: Work,
}

#[derive(Deserialize)]
struct Work {
    #[serde(rename = "DOI")]
    doi: String,
    #[serde(default)]
    title: Vec<String>,
    #[serde(rename = "container-title", default)]
    container: Vec<String>,
    published: Option<DateParts>,
    issued: Option<DateParts>,
    #[serde(default)]
    author: Vec<Contributor>,
    #[serde(rename = "type", default)]
    kind: String,
}

#[derive(Deserialize)]
struct DateParts {
    #[serde(rename = "date-parts")]
    parts: Vec<Vec<Option<i64>>>,
}

#[derive(Deserialize)]
struct Contributor {
    given: Option<String>,
    family: Option<String>,
    name: Option<String>,
}

/// `[[2025, 4, 11]]`, `[[2025, 4]]` or `[[2025]]` as a date; `[[null]]` (Crossref's "unknown")
/// as none.
fn date(parts: &DateParts) -> Result<Option<PartialDate>, AnswerError> {
    let Some(first) = parts.parts.first() else {
        return Ok(None);
    };
    let text = match first.as_slice() {
        [Some(y), Some(m), Some(d), ..] => format!("{y:04}-{m:02}-{d:02}"),
        [Some(y), Some(m), ..] => format!("{y:04}-{m:02}"),
        [Some(y), ..] => format!("{y:04}"),
        _ => return Ok(None),
    };
    text.parse::<PartialDate>()
        .map(Some)
        .map_err(|_| AnswerError::Malformed(format!("`date-parts` `{text}` is not a date")))
}

/// Parses the answer of `/works/DOI`.
pub fn parse_work(json: &str) -> Result<CrossrefWork, AnswerError> {
    let answer: Answer =
        serde_json::from_str(json).map_err(|e| AnswerError::Malformed(e.to_string()))?;
    if answer.message_type != "work" {
        return Err(AnswerError::Malformed(format!(
            "the message is a `{}`, not a `work`",
            answer.message_type
        )));
    }
    let w = answer.message;
    let published = match w.published.as_ref().or(w.issued.as_ref()) {
        Some(parts) => date(parts)?,
        None => None,
    };
    Ok(CrossrefWork {
        doi: w.doi,
        title: w.title.first().map(|t| fold(t)).unwrap_or_default(),
        container: w
            .container
            .first()
            .map(|c| fold(c))
            .filter(|c| !c.is_empty()),
        published,
        authors: w
            .author
            .iter()
            .filter_map(|a| match (&a.given, &a.family, &a.name) {
                (Some(g), Some(f), _) => Some(fold(&format!("{g} {f}"))),
                (None, Some(f), _) => Some(fold(f)),
                (_, None, Some(n)) => Some(fold(n)),
                _ => None,
            })
            .filter(|a| !a.is_empty())
            .collect(),
        kind: w.kind,
    })
}

/// The URL of one DOI's record at `endpoint`, with the contact address when there is one.
pub fn work_url(endpoint: &str, doi: &Doi, mailto: Option<&str>) -> String {
    let mut url = format!(
        "{}/works/{}",
        endpoint.trim_end_matches('/'),
        super::http::encode_path(doi.as_str())
    );
    if let Some(mail) = mailto.filter(|m| !m.trim().is_empty()) {
        url.push_str("?mailto=");
        url.push_str(&super::http::encode_query(mail.trim()));
    }
    url
}

/// Fetches and parses one DOI's record (the endpoint from `HFTLIST_CROSSREF_URL` or the
/// default); `mailto` is the contact address Crossref asks for (`HFTLIST_MAILTO` when `None`).
pub fn fetch(client: &Client, doi: &Doi, mailto: Option<&str>) -> anyhow::Result<CrossrefWork> {
    let env = std::env::var("HFTLIST_MAILTO").ok();
    fetch_at(client, &SERVICE.endpoint()?, doi, mailto.or(env.as_deref()))
}

/// [`fetch`] from the given endpoint, with exactly the given contact address.
pub fn fetch_at(
    client: &Client,
    endpoint: &str,
    doi: &Doi,
    mailto: Option<&str>,
) -> anyhow::Result<CrossrefWork> {
    let url = work_url(endpoint, doi, mailto);
    let json = client.get(&SERVICE, &url)?;
    parse_work(&json).map_err(|e| anyhow::anyhow!("Crossref record of {doi}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORK: &str = include_str!("../../tests/fixtures/crossref/work.json");
    const PROCEEDINGS: &str = include_str!("../../tests/fixtures/crossref/proceedings.json");

    #[test]
    fn reads_a_journal_article() {
        let w = parse_work(WORK).unwrap();
        assert_eq!(w.doi, "10.1145/3712003");
        assert_eq!(
            w.title,
            "Harmful Fine-tuning Attacks and Defenses for Large Language Models: A Survey"
        );
        assert_eq!(w.container.as_deref(), Some("ACM Computing Surveys"));
        assert_eq!(w.published.unwrap().to_string(), "2025-04-11");
        assert_eq!(
            w.authors,
            [
                "Tiansheng Huang",
                "Sihao Hu",
                "Fatih Ilhan",
                "Selim Furkan Tekin",
                "Ling Liu"
            ]
        );
        assert_eq!(w.kind, "journal-article");
    }

    #[test]
    fn a_year_only_date_and_an_organisation() {
        let w = parse_work(PROCEEDINGS).unwrap();
        assert_eq!(w.published.unwrap().to_string(), "2024");
        assert_eq!(
            w.authors,
            ["Ada Lovelace", "The Analytical Engine Consortium"]
        );
        assert_eq!(
            w.container.as_deref(),
            Some("Findings of the Association for Computational Linguistics ACL 2024")
        );
        assert_eq!(w.kind, "proceedings-article");
    }

    #[test]
    fn other_answers_are_refused() {
        assert!(matches!(
            parse_work("Resource not found."),
            Err(AnswerError::Malformed(_))
        ));
        let list = r#"{"status":"ok","message-type":"work-list","message":{"DOI":"x"}}"#;
        assert_eq!(
            parse_work(list),
            Err(AnswerError::Malformed(
                "the message is a `work-list`, not a `work`".into()
            ))
        );
        let unknown = WORK.replace(
            r#""published":{"date-parts":[[2025,4,11]]}"#,
            r#""published":{"date-parts":[[null]]}"#,
        );
        assert_eq!(parse_work(&unknown).unwrap().published, None);
        let bad = WORK.replace(
            "[[2025,4,11]]},\"assertion\"",
            "[[2025,13,1]]},\"assertion\"",
        );
        assert!(matches!(parse_work(&bad), Err(AnswerError::Malformed(_))));
    }

    #[test]
    fn urls() {
        let doi: Doi = "10.18653/v1/2024.findings-acl.549".parse().unwrap();
        assert_eq!(
            work_url("https://api.crossref.org", &doi, Some("list@example.org")),
            "https://api.crossref.org/works/10.18653/v1/2024.findings-acl.549?mailto=list%40example.org"
        );
        let odd: Doi = "10.1002/(SICI)1097-4571#x".parse().unwrap();
        assert_eq!(
            work_url("https://api.crossref.org/", &odd, None),
            "https://api.crossref.org/works/10.1002/(SICI)1097-4571%23x"
        );
    }
}
