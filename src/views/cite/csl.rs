//! The CSL-JSON view of a [`Citation`], with the fields and types Zotero and citeproc use:
//! `paper-conference` with `container-title` (for a workshop, the workshop at its conference),
//! `article-journal`, and for a preprint `article` with `publisher: "arXiv"` and
//! `number: "arXiv:ID"` (as Zotero maps a preprint). `issued` is the venue's year for a published
//! paper and the full date for a preprint. Written with serde, so any text is valid JSON.

use serde::Serialize;

use super::{Citation, CitationType};
use crate::model::name::Name;

/// A name: family, given, particle and suffix, or a literal.
#[derive(Serialize)]
struct CslName<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    family: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    given: &'a str,
    #[serde(
        rename = "non-dropping-particle",
        skip_serializing_if = "str::is_empty"
    )]
    particle: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    suffix: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    literal: &'a str,
}

impl<'a> From<&'a Name> for CslName<'a> {
    fn from(n: &'a Name) -> Self {
        match n {
            Name::Person {
                given,
                particle,
                family,
                suffix,
            } => Self {
                family,
                given,
                particle,
                suffix,
                literal: "",
            },
            Name::Literal(literal) => Self {
                family: "",
                given: "",
                particle: "",
                suffix: "",
                literal,
            },
        }
    }
}

#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<i32>; 1],
}

/// One CSL-JSON item.
#[derive(Serialize)]
struct CslItem<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    type_: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName<'a>>,
    issued: CslDate,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<&'a str>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

fn item<'a>(c: &'a Citation<'a>) -> CslItem<'a> {
    let preprint = c.type_ == CitationType::Preprint;
    let mut parts = vec![i32::from(c.year)];
    if let Some(date) = c.date {
        parts.extend(date.month().map(i32::from));
        parts.extend(date.day().map(i32::from));
    }
    CslItem {
        id: c.key,
        type_: match c.type_ {
            CitationType::Conference | CitationType::Workshop => "paper-conference",
            CitationType::Journal => "article-journal",
            CitationType::Preprint | CitationType::Unplaced => "article",
        },
        title: c.title,
        author: c.authors.iter().map(CslName::from).collect(),
        issued: CslDate {
            date_parts: [parts],
        },
        // An unplaced venue is where the paper appeared: the container, so styles show it.
        container_title: c.container.as_deref().or(c
            .note
            .as_deref()
            .filter(|_| c.type_ == CitationType::Unplaced)),
        publisher: (preprint && c.arxiv.is_some()).then_some("arXiv"),
        number: c.arxiv.filter(|_| preprint).map(|id| format!("arXiv:{id}")),
        note: c
            .note
            .as_deref()
            .filter(|_| c.type_ != CitationType::Unplaced),
        doi: c.doi,
        url: c.url.as_deref(),
    }
}

/// CSL-JSON (an array of items) for the citations.
pub fn csl_json(citations: &[Citation<'_>]) -> anyhow::Result<String> {
    let items: Vec<CslItem<'_>> = citations.iter().map(item).collect();
    let mut s = serde_json::to_string_pretty(&items)?;
    s.push('\n');
    Ok(s)
}
