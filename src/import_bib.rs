//! Reference-manager files -> paper records: BibTeX/BibLaTeX (`.bib`, read with the `biblatex`
//! crate) and CSL-JSON (`.json`, what Zotero and pandoc export).
//!
//! Everything here is pure: each parser turns text into [`BibItem`]s (one per entry, with the
//! line it starts on), and [`to_paper`] turns one into a record or the reason it cannot be one.
//! The caller hands the result to [`Importer::offer`](crate::import::Importer::offer), so
//! duplicates and ids are decided exactly as for a Markdown import.

use biblatex::{Bibliography, ChunksExt};
use serde::Deserialize;

use crate::import::Importer;
use crate::model::date::PartialDate;
use crate::model::ident::{ArxivId, Doi};
use crate::model::link::Url;
use crate::model::paper::{Kind, Paper, Stage};

/// One entry of a reference file, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BibItem {
    /// 1-based line where the entry starts.
    pub line: usize,
    /// The citation key or CSL id.
    pub key: String,
    /// The title, braces and markup removed.
    pub title: String,
    /// Authors as `Given Family`.
    pub authors: Vec<String>,
    /// The date as written: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The journal or proceedings.
    pub venue: Option<String>,
    /// The DOI.
    pub doi: Option<String>,
    /// An arXiv id (`eprint` with `archivePrefix = arXiv`, or an arXiv URL or DOI).
    pub arxiv: Option<String>,
    /// A link to the paper.
    pub url: Option<String>,
    /// Keywords: a kind or stage name among them chooses the record's kind or stage.
    pub keywords: Vec<String>,
}

/// Reads every entry of a BibTeX or BibLaTeX file; an unreadable file gives the line and why.
pub fn parse_bibtex(text: &str) -> Result<Vec<BibItem>, (usize, String)> {
    let bib =
        Bibliography::parse(text).map_err(|e| (line_at(text, e.span.start), e.kind.to_string()))?;
    let mut items = Vec::new();
    for entry in bib.iter() {
        let field = |name: &str| {
            entry
                .fields
                .get(name)
                .map(|chunks| chunks.format_verbatim())
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|s| !s.is_empty())
        };
        let first_span = entry
            .fields
            .values()
            .map(|c| c.span().start)
            .filter(|&s| s != usize::MAX)
            .min()
            .unwrap_or(0);
        let authors = entry
            .author()
            .map(|people| {
                people
                    .iter()
                    .map(|p| {
                        [&p.given_name, &p.prefix, &p.name, &p.suffix]
                            .iter()
                            .filter(|s| !s.is_empty())
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .filter(|n| !n.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let date = field("date").or_else(|| {
            let year = field("year")?;
            Some(match field("month").and_then(|m| month_number(&m)) {
                Some(m) => format!("{year}-{m:02}"),
                None => year,
            })
        });
        let archive = field("archiveprefix").or_else(|| field("eprinttype"));
        let eprint = field("eprint").filter(|_| {
            archive
                .as_deref()
                .is_none_or(|a| a.eq_ignore_ascii_case("arxiv"))
        });
        // The entry starts at the `@` before its first field.
        let at = text
            .get(..first_span)
            .and_then(|head| head.rfind('@'))
            .unwrap_or(first_span);
        items.push(BibItem {
            line: line_at(text, at),
            key: entry.key.clone(),
            title: field("title").unwrap_or_default(),
            authors,
            date,
            venue: field("booktitle")
                .or_else(|| field("journal"))
                .or_else(|| field("journaltitle")),
            doi: field("doi"),
            arxiv: eprint,
            url: field("url"),
            keywords: split_keywords(field("keywords").as_deref().unwrap_or_default()),
        });
    }
    Ok(items)
}

/// A CSL-JSON item, with the fields hftlist reads.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct CslItem {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    author: Vec<CslName>,
    #[serde(default)]
    issued: Option<CslDate>,
    #[serde(default)]
    container_title: Option<String>,
    #[serde(default, rename = "DOI")]
    doi: Option<String>,
    #[serde(default, rename = "URL")]
    url: Option<String>,
    #[serde(default)]
    number: Option<String>,
    #[serde(default)]
    keyword: Option<String>,
}

#[derive(Deserialize)]
struct CslName {
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    given: Option<String>,
    #[serde(default)]
    literal: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct CslDate {
    #[serde(default)]
    date_parts: Vec<Vec<serde_json::Value>>,
    #[serde(default)]
    raw: Option<String>,
}

/// Reads every item of a CSL-JSON array; malformed JSON gives the line and why.
pub fn parse_csl_json(text: &str) -> Result<Vec<BibItem>, (usize, String)> {
    let items: Vec<CslItem> = serde_json::from_str(text).map_err(|e| (e.line(), e.to_string()))?;
    // Each item's line: where its object opens at the array's top level.
    let starts = top_level_objects(text);
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let date = item.issued.and_then(|d| {
                let parts: Vec<i64> = d
                    .date_parts
                    .first()
                    .map(|p| {
                        p.iter()
                            .filter_map(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
                            .collect()
                    })
                    .unwrap_or_default();
                match parts.as_slice() {
                    [y] => Some(format!("{y}")),
                    [y, m] => Some(format!("{y}-{m:02}")),
                    [y, m, d, ..] => Some(format!("{y}-{m:02}-{d:02}")),
                    [] => d.raw,
                }
            });
            let arxiv = item
                .number
                .as_deref()
                .map(|n| n.trim_start_matches("arXiv:").to_owned())
                .filter(|n| n.parse::<ArxivId>().is_ok());
            BibItem {
                line: starts.get(i).copied().unwrap_or(1),
                key: match &item.id {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                },
                title: item
                    .title
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                authors: item
                    .author
                    .into_iter()
                    .filter_map(|n| match (n.literal, n.given, n.family) {
                        (Some(l), _, _) => Some(l),
                        (None, Some(g), Some(f)) => Some(format!("{g} {f}")),
                        (None, None, Some(f)) => Some(f),
                        (None, Some(g), None) => Some(g),
                        (None, None, None) => None,
                    })
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty())
                    .collect(),
                date,
                venue: item.container_title,
                doi: item.doi,
                arxiv,
                url: item.url,
                keywords: split_keywords(item.keyword.as_deref().unwrap_or_default()),
            }
        })
        .collect())
}

/// The default kind and stage for items whose keywords name none.
#[derive(Clone, Copy, Debug, Default)]
pub struct Defaults {
    /// The kind of every item without a kind keyword.
    pub kind: Option<Kind>,
    /// The stage of every defense without a stage keyword.
    pub stage: Option<Stage>,
}

/// The record for one item, or why there is none; the venue goes through the importer, so it
/// is written in the registry's spelling as in a Markdown import.
pub fn to_paper(
    item: &BibItem,
    defaults: Defaults,
    importer: &Importer<'_>,
) -> Result<(Paper, Vec<String>), String> {
    let mut notes = Vec::new();
    if item.title.is_empty() {
        return Err(format!("entry `{}` has no title", item.key));
    }
    let keyword = |name: &str| item.keywords.iter().any(|k| k.eq_ignore_ascii_case(name));
    let kind = Kind::ALL
        .iter()
        .copied()
        .find(|k| keyword(k.name()))
        .or(defaults.kind)
        .ok_or_else(|| {
            format!(
                "entry `{}` does not say its kind: give --kind, or a keyword among {}",
                item.key,
                Kind::valid_names()
            )
        })?;
    let stage = Stage::ALL
        .iter()
        .copied()
        .find(|s| keyword(s.name()))
        .or(defaults.stage)
        .filter(|_| kind == Kind::Defense);
    let date = item
        .date
        .as_deref()
        .ok_or_else(|| format!("entry `{}` has no date or year", item.key))?;
    let date: PartialDate = date
        .parse()
        .map_err(|e| format!("entry `{}`: date `{date}`: {e}", item.key))?;
    let mut paper = Paper {
        title: item.title.clone(),
        kind,
        stage,
        date,
        venue: None,
        authors: item.authors.clone(),
        arxiv: None,
        doi: None,
        openreview: None,
        paper: None,
        code: None,
        project: None,
        tags: Vec::new(),
        note: None,
    };
    if let Some(venue) = &item.venue
        && !venue.to_lowercase().contains("arxiv")
    {
        paper.venue = importer.venue(venue, &mut notes);
    }
    if let Some(doi) = &item.doi {
        let bare = Doi::strip_url_prefix(doi).unwrap_or(doi);
        // arXiv's own DOIs (10.48550/arXiv.NNNN) are the arXiv id.
        match bare
            .to_lowercase()
            .strip_prefix("10.48550/arxiv.")
            .and_then(|id| id.parse::<ArxivId>().ok())
        {
            Some(id) => paper.arxiv = Some(id),
            None => match bare.parse::<Doi>() {
                Ok(d) => paper.doi = Some(d),
                Err(e) => notes.push(format!("DOI `{doi}` dropped: {e}")),
            },
        }
    }
    if let Some(id) = &item.arxiv {
        match crate::model::ident::strip_version(id).parse::<ArxivId>() {
            Ok(id) => paper.arxiv = Some(id),
            Err(e) => notes.push(format!("arXiv id `{id}` dropped: {e}")),
        }
    }
    if let Some(url) = &item.url {
        if let Some(id) = ArxivId::from_url(url) {
            paper.arxiv.get_or_insert(id);
        } else if let Some(id) = crate::model::ident::OpenReviewId::from_url(url) {
            paper.openreview = Some(id);
        } else if Doi::strip_url_prefix(url).is_some() {
            // The DOI field says the same, or the DOI link is the paper's identifier.
            if paper.doi.is_none()
                && let Some(d) = Doi::strip_url_prefix(url).and_then(|d| d.parse::<Doi>().ok())
            {
                paper.doi = Some(d);
            }
        } else {
            match url.parse::<Url>() {
                Ok(u) if paper.arxiv.is_none() && paper.doi.is_none() => paper.paper = Some(u),
                Ok(_) => {}
                Err(e) => notes.push(format!("link dropped: {e}")),
            }
        }
    }
    Ok((paper, notes))
}

/// Keywords split on commas and semicolons.
fn split_keywords(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A month as 1-12 from `2`, `02`, `feb`, `February` (BibTeX's macros expand to the name).
fn month_number(text: &str) -> Option<u8> {
    let t = text.trim().to_lowercase();
    if let Ok(n) = t.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let head: String = t.chars().take(3).collect();
    NAMES
        .iter()
        .position(|m| *m == head)
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The lines where the objects of a top-level JSON array open, skipping strings.
fn top_level_objects(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut depth, mut line) = (0usize, 1usize);
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                if c == '{' && depth == 1 {
                    lines.push(line);
                }
                depth += 1;
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_entries_give_title_authors_date_and_identifiers() {
        let bib = "% a comment\n\
                   @inproceedings{huang2024vaccine,\n\
                   \x20 title = {{Vaccine}: Perturbation-aware Alignment},\n\
                   \x20 author = {Huang, Tiansheng and Hu, Sihao},\n\
                   \x20 booktitle = {NeurIPS},\n\
                   \x20 year = {2024}, month = feb,\n\
                   \x20 eprint = {2402.01109v2}, archivePrefix = {arXiv},\n\
                   \x20 keywords = {defense, alignment}\n\
                   }\n";
        let items = parse_bibtex(bib).unwrap();
        assert_eq!(items.len(), 1);
        let it = &items[0];
        assert_eq!(it.key, "huang2024vaccine");
        assert_eq!(it.title, "Vaccine: Perturbation-aware Alignment");
        assert_eq!(it.authors, ["Tiansheng Huang", "Sihao Hu"]);
        assert_eq!(it.date.as_deref(), Some("2024-02"));
        assert_eq!(it.arxiv.as_deref(), Some("2402.01109v2"));
        assert_eq!(it.keywords, ["defense", "alignment"]);
        assert_eq!(it.line, 2);
    }

    #[test]
    fn broken_bibtex_names_the_line() {
        let err = parse_bibtex("@article{a,\n  title = {x},\n  year = {2024\n").unwrap_err();
        assert!(err.0 >= 1, "{err:?}");
    }

    #[test]
    fn csl_items_give_the_same_fields() {
        let json = r#"[
  {"id": "a", "type": "article", "title": "A  Title",
   "author": [{"family": "Huang", "given": "Tiansheng"}, {"literal": "The Team"}],
   "issued": {"date-parts": [[2024, 2, 2]]}, "DOI": "10.48550/arXiv.2402.01109"},
  {"id": 7, "title": "B"}
]"#;
        let items = parse_csl_json(json).unwrap();
        assert_eq!(items[0].title, "A Title");
        assert_eq!(items[0].authors, ["Tiansheng Huang", "The Team"]);
        assert_eq!(items[0].date.as_deref(), Some("2024-02-02"));
        assert_eq!(items[0].line, 2);
        assert_eq!(items[1].key, "7");
        assert_eq!(items[1].line, 5);
        assert!(parse_csl_json("{").is_err());
    }

    #[test]
    fn months_read_numbers_and_names() {
        assert_eq!(month_number("feb"), Some(2));
        assert_eq!(month_number("February"), Some(2));
        assert_eq!(month_number("12"), Some(12));
        assert_eq!(month_number("13"), None);
    }
}
