//! The DBLP publication search (`GET /search/publ/api?q=TITLE&format=json`), parsed from
//! `&str`.
//!
//! DBLP's JSON mirrors its XML: a field holds one value when there is one and an array when
//! there are several (`author`, `venue`, `ee`, even `hit`), `hit` is absent when nothing
//! matches, names carry a disambiguation number (`Ling Liu 0001`) and titles end with a
//! period. A CoRR hit (`type` "Informal and Other Publications") is an arXiv preprint, never a
//! venue.

use std::time::Duration;

use serde::Deserialize;

use super::{AnswerError, Client, Service, fold};

/// The DBLP search API.
pub const SERVICE: Service = Service {
    name: "DBLP search API",
    key: "dblp",
    env: "HFTLIST_DBLP_URL",
    endpoint: "https://dblp.org/search/publ/api",
    known_hosts: &["dblp.org", "dblp.uni-trier.de", "dblp.dagstuhl.de"],
    delay: Duration::from_secs(2),
    ttl: Duration::from_secs(7 * 24 * 60 * 60),
    max_bytes: 8 * 1024 * 1024,
};

/// The `type` of preprints and other informal publications (CoRR, i.e. arXiv).
pub const INFORMAL: &str = "Informal and Other Publications";

/// How many hits a search asks for.
pub const HITS: usize = 10;

/// One publication DBLP found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DblpHit {
    /// The title, without DBLP's final period, whitespace folded.
    pub title: String,
    /// The authors in order, without disambiguation numbers.
    pub authors: Vec<String>,
    /// The venues as DBLP spells them (`ICLR`, `NeurIPS`, `ACL (Findings)`, `CoRR`).
    pub venues: Vec<String>,
    /// The year of publication.
    pub year: Option<i16>,
    /// The publication type (`Conference and Workshop Papers`, `Journal Articles`,
    /// [`INFORMAL`], ...).
    pub kind: String,
    /// The DOI, when DBLP has one.
    pub doi: Option<String>,
    /// The electronic editions (publisher pages, OpenReview forums, arXiv).
    pub ee: Vec<String>,
    /// The DBLP record key, e.g. `conf/nips/HuangHL24`.
    pub key: String,
}

impl DblpHit {
    /// Whether this is a preprint (CoRR), which says nothing about a venue.
    pub fn is_preprint(&self) -> bool {
        self.kind == INFORMAL || self.venues.iter().any(|v| v == "CoRR")
    }
}

/// One value or several, as DBLP writes them.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            Self::Many(v) => v,
            Self::One(x) => vec![x],
        }
    }
}

#[derive(Deserialize)]
struct Answer {
    result: SearchResult,
}

#[derive(Deserialize)]
struct SearchResult {
    hits: Hits,
}

#[derive(Deserialize)]
struct Hits {
    hit: Option<OneOrMany<Hit>>,
}

#[derive(Deserialize)]
struct Hit {
    info: Info,
}

#[derive(Deserialize)]
struct Info {
    title: String,
    authors: Option<Authors>,
    venue: Option<OneOrMany<String>>,
    year: Option<String>,
    #[serde(rename = "type", default)]
    kind: String,
    doi: Option<String>,
    ee: Option<OneOrMany<String>>,
    #[serde(default)]
    key: String,
}

#[derive(Deserialize)]
struct Authors {
    author: OneOrMany<Author>,
}

#[derive(Deserialize)]
struct Author {
    text: String,
}

/// `Ling Liu 0001` -> `Ling Liu`: DBLP numbers homonyms with four digits.
fn plain_name(name: &str) -> String {
    let name = fold(name);
    match name.rsplit_once(' ') {
        Some((rest, n)) if n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()) => rest.to_owned(),
        _ => name,
    }
}

/// Parses a search answer into its hits, in DBLP's order (none is not an error).
pub fn parse_search(json: &str) -> Result<Vec<DblpHit>, AnswerError> {
    let answer: Answer =
        serde_json::from_str(json).map_err(|e| AnswerError::Malformed(e.to_string()))?;
    let hits = answer
        .result
        .hits
        .hit
        .map(OneOrMany::into_vec)
        .unwrap_or_default();
    hits.into_iter()
        .map(|Hit { info }| {
            let year = match info.year.as_deref() {
                Some(y) => Some(y.trim().parse::<i16>().map_err(|_| {
                    AnswerError::Malformed(format!("`year` of `{}` is `{y}`", info.key))
                })?),
                None => None,
            };
            let title = fold(&info.title);
            Ok(DblpHit {
                title: title.strip_suffix('.').unwrap_or(&title).to_owned(),
                authors: info
                    .authors
                    .map(|a| a.author.into_vec())
                    .unwrap_or_default()
                    .iter()
                    .map(|a| plain_name(&a.text))
                    .collect(),
                venues: info.venue.map(OneOrMany::into_vec).unwrap_or_default(),
                year,
                kind: info.kind,
                doi: info.doi.filter(|d| !d.is_empty()),
                ee: info.ee.map(OneOrMany::into_vec).unwrap_or_default(),
                key: info.key,
            })
        })
        .collect()
}

/// The search URL for a title at `endpoint`.
pub fn search_url(endpoint: &str, title: &str) -> String {
    format!(
        "{endpoint}?q={}&format=json&h={HITS}",
        super::http::encode_query(title)
    )
}

/// Searches DBLP for a title (the endpoint from `HFTLIST_DBLP_URL` or the default).
pub fn search(client: &Client, title: &str) -> anyhow::Result<Vec<DblpHit>> {
    search_at(client, &SERVICE.endpoint()?, title)
}

/// [`search`] at the given endpoint.
pub fn search_at(client: &Client, endpoint: &str, title: &str) -> anyhow::Result<Vec<DblpHit>> {
    let url = search_url(endpoint, title);
    let json = client.get(&SERVICE, &url)?;
    parse_search(&json).map_err(|e| anyhow::anyhow!("DBLP search for `{title}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEARCH: &str = include_str!("../../tests/fixtures/dblp/search.json");
    const QUIRKS: &str = include_str!("../../tests/fixtures/dblp/quirks.json");
    const NONE: &str = include_str!("../../tests/fixtures/dblp/none.json");

    #[test]
    fn reads_the_hits_of_a_search() {
        let hits = parse_search(SEARCH).unwrap();
        assert_eq!(hits.len(), 2);
        let paper = &hits[0];
        assert_eq!(
            paper.title,
            "Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful \
             Fine-tuning Attack"
        );
        assert_eq!(paper.authors, ["Tiansheng Huang", "Sihao Hu", "Ling Liu"]);
        assert_eq!(paper.venues, ["NeurIPS"]);
        assert_eq!(paper.year, Some(2024));
        assert_eq!(paper.kind, "Conference and Workshop Papers");
        assert_eq!(paper.doi, None);
        assert_eq!(paper.key, "conf/nips/HuangHL24");
        assert!(!paper.is_preprint());
        let preprint = &hits[1];
        assert!(preprint.is_preprint());
        assert_eq!(preprint.doi.as_deref(), Some("10.48550/ARXIV.2402.01109"));
        assert_eq!(preprint.ee, ["https://doi.org/10.48550/arXiv.2402.01109"]);
    }

    #[test]
    fn single_values_and_arrays_and_no_hits() {
        let hits = parse_search(QUIRKS).unwrap();
        assert_eq!(hits[0].authors, ["Solo Author"]);
        assert_eq!(hits[0].venues, ["ICLR", "CoRR"]);
        assert_eq!(hits[0].ee.len(), 2);
        assert_eq!(parse_search(NONE).unwrap(), []);
        assert!(matches!(parse_search("{}"), Err(AnswerError::Malformed(_))));
        assert!(matches!(
            parse_search(&QUIRKS.replace("\"2025\"", "\"soon\"")),
            Err(AnswerError::Malformed(m)) if m == "`year` of `conf/iclr/Author25` is `soon`"
        ));
    }

    #[test]
    fn names_and_urls() {
        assert_eq!(plain_name("Ling Liu 0001"), "Ling Liu");
        assert_eq!(plain_name("Jane  Doe"), "Jane Doe");
        assert_eq!(plain_name("Year 2024 Club 12"), "Year 2024 Club 12");
        assert_eq!(
            search_url("https://dblp.org/search/publ/api", "Vaccine: a & b"),
            "https://dblp.org/search/publ/api?q=Vaccine%3A%20a%20%26%20b&format=json&h=10"
        );
    }
}
