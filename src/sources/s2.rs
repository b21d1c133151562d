//! The Semantic Scholar Graph API: the papers citing one paper
//! (`GET /paper/ARXIV:ID/citations?fields=...&offset=&limit=`), parsed from `&str`, paged
//! through `next`, with the `x-api-key` header from `S2_API_KEY` when it is set.
//!
//! An answer is `{"offset": 0, "next": 1000, "data": [{"citingPaper": {...}}, ...]}`; `next`
//! is absent on the last page. A citation S2 could not resolve has no title and is left out.

use std::time::Duration;

use serde::Deserialize;

use super::{AnswerError, Client, Service, fold};
use crate::model::date::PartialDate;
use crate::model::ident::{ArxivId, Doi};

/// The Semantic Scholar Graph API: about one request a second, as its shared pool allows.
pub const SERVICE: Service = Service {
    name: "Semantic Scholar API",
    key: "s2",
    env: "HFTLIST_S2_URL",
    endpoint: "https://api.semanticscholar.org/graph/v1",
    known_hosts: &["api.semanticscholar.org"],
    delay: Duration::from_secs(1),
    ttl: Duration::from_secs(24 * 60 * 60),
    max_bytes: 16 * 1024 * 1024,
};

/// The environment variable holding an API key, sent as `x-api-key`.
pub const KEY_ENV: &str = "S2_API_KEY";

/// The fields asked of each citing paper.
pub const FIELDS: &str = "title,abstract,externalIds,publicationDate,year";

/// Citations asked per page (the API's largest).
pub const PAGE: usize = 1000;

/// Pages read at most per paper: a key paper with more citations than this is cut, with a
/// warning, rather than paged for minutes.
pub const MAX_PAGES: usize = 10;

/// One paper citing the asked one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitingPaper {
    /// The title, whitespace folded.
    pub title: String,
    /// The abstract, whitespace folded, when S2 has it.
    pub abstract_text: Option<String>,
    /// The arXiv id, when S2 knows one.
    pub arxiv: Option<ArxivId>,
    /// The DOI, when S2 knows one.
    pub doi: Option<Doi>,
    /// The publication date, else the year.
    pub date: Option<PartialDate>,
}

/// One page of citations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CitationPage {
    /// The citing papers with a title.
    pub papers: Vec<CitingPaper>,
    /// The offset of the next page, when there is one.
    pub next: Option<usize>,
}

#[derive(Deserialize)]
struct RawPage {
    #[serde(default)]
    next: Option<usize>,
    data: Vec<RawCitation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCitation {
    citing_paper: RawPaper,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPaper {
    #[serde(default)]
    title: Option<String>,
    #[serde(default, rename = "abstract")]
    abstract_text: Option<String>,
    #[serde(default)]
    external_ids: Option<RawIds>,
    #[serde(default)]
    publication_date: Option<String>,
    #[serde(default)]
    year: Option<i16>,
}

#[derive(Deserialize)]
struct RawIds {
    #[serde(default, rename = "ArXiv")]
    arxiv: Option<String>,
    #[serde(default, rename = "DOI")]
    doi: Option<String>,
}

/// Parses one page of the citations endpoint. Identifiers S2 spells in a way hftlist does not
/// accept are dropped (the paper is still a candidate by its title).
pub fn parse_citations(json: &str) -> Result<CitationPage, AnswerError> {
    let raw: RawPage =
        serde_json::from_str(json).map_err(|e| AnswerError::Malformed(e.to_string()))?;
    let papers = raw
        .data
        .into_iter()
        .filter_map(|c| {
            let p = c.citing_paper;
            let title = fold(p.title.as_deref().unwrap_or_default());
            if title.is_empty() {
                return None;
            }
            let ids = p.external_ids;
            let arxiv = ids
                .as_ref()
                .and_then(|i| i.arxiv.as_deref())
                .and_then(|a| a.parse::<ArxivId>().ok());
            let doi = ids
                .as_ref()
                .and_then(|i| i.doi.as_deref())
                .and_then(|d| d.parse::<Doi>().ok());
            let date = p
                .publication_date
                .as_deref()
                .and_then(|d| d.parse::<PartialDate>().ok())
                .or_else(|| p.year.and_then(|y| y.to_string().parse().ok()));
            Some(CitingPaper {
                title,
                abstract_text: p.abstract_text.map(|a| fold(&a)).filter(|a| !a.is_empty()),
                arxiv,
                doi,
                date,
            })
        })
        .collect();
    Ok(CitationPage {
        papers,
        next: raw.next,
    })
}

/// The URL of one page of the papers citing `paper` (`ARXIV:2402.01109`, `DOI:10...`).
pub fn citations_url(endpoint: &str, paper: &str, offset: usize) -> String {
    format!(
        "{endpoint}/paper/{}/citations?fields={FIELDS}&offset={offset}&limit={PAGE}",
        super::http::encode_path(paper)
    )
}

/// Every paper citing `paper` (up to [`MAX_PAGES`] pages), and whether the list was cut.
/// The endpoint comes from `HFTLIST_S2_URL` or the default.
pub fn citations(client: &Client, paper: &str) -> anyhow::Result<(Vec<CitingPaper>, bool)> {
    citations_at(client, &SERVICE.endpoint()?, paper)
}

/// [`citations`] at the given endpoint.
pub fn citations_at(
    client: &Client,
    endpoint: &str,
    paper: &str,
) -> anyhow::Result<(Vec<CitingPaper>, bool)> {
    let key = std::env::var(KEY_ENV).ok().filter(|k| !k.trim().is_empty());
    let headers: Vec<(&str, &str)> = key.iter().map(|k| ("x-api-key", k.trim())).collect();
    let mut papers = Vec::new();
    let mut offset = 0;
    for _ in 0..MAX_PAGES {
        let url = citations_url(endpoint, paper, offset);
        let json = client.get_with(&SERVICE, &url, &headers)?;
        let page = parse_citations(&json)
            .map_err(|e| anyhow::anyhow!("cannot read the answer of {url}: {e}"))?;
        papers.extend(page.papers);
        match page.next {
            // A `next` that does not move forward would page forever.
            Some(next) if next > offset => offset = next,
            _ => return Ok((papers, false)),
        }
    }
    Ok((papers, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CITATIONS: &str = include_str!("../../tests/fixtures/s2/citations.json");

    #[test]
    fn a_recorded_page_parses() {
        let page = parse_citations(CITATIONS).unwrap();
        assert_eq!(page.next, Some(3));
        assert_eq!(page.papers.len(), 2, "the unresolved citation is left out");
        let survey = &page.papers[0];
        assert_eq!(survey.arxiv.as_ref().unwrap().as_str(), "2409.18169");
        assert_eq!(survey.date.unwrap().to_string(), "2024-09-26");
        assert!(
            survey
                .abstract_text
                .as_deref()
                .unwrap()
                .starts_with("Recent")
        );
        let journal = &page.papers[1];
        assert_eq!(
            journal.title,
            "A Journal Study of Safety Drift under Fine-tuning"
        );
        assert_eq!(
            journal.doi.as_ref().unwrap().as_str(),
            "10.1145/3658644.3690000"
        );
        assert_eq!(journal.date.unwrap().to_string(), "2025");
        assert_eq!(journal.abstract_text, None);
    }

    #[test]
    fn the_last_page_has_no_next() {
        let page = parse_citations(r#"{"offset": 3, "data": []}"#).unwrap();
        assert_eq!(page, CitationPage::default());
    }

    #[test]
    fn an_answer_in_another_shape_is_malformed() {
        assert!(matches!(
            parse_citations(r#"{"message": "Too Many Requests"}"#),
            Err(AnswerError::Malformed(_))
        ));
        assert!(parse_citations("<html>").is_err());
    }

    #[test]
    fn the_url_names_the_paper_fields_and_page() {
        assert_eq!(
            citations_url(
                "https://api.semanticscholar.org/graph/v1",
                "ARXIV:2402.01109",
                1000
            ),
            "https://api.semanticscholar.org/graph/v1/paper/ARXIV:2402.01109/citations?\
             fields=title,abstract,externalIds,publicationDate,year&offset=1000&limit=1000"
        );
    }
}
