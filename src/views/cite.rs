//! Citations: BibTeX and CSL-JSON for a list of papers.
//!
//! The entry type follows the venue's registry type: `@inproceedings` (CSL `paper-conference`)
//! for conferences and workshops, `@article` (`article-journal`) for journals, `@misc`
//! (`article`) with the arXiv eprint for preprints. A venue the registry cannot place becomes a
//! `note`, so nothing is lost.

use std::fmt::Write as _;

use serde::Serialize;

use crate::model::paper::Paper;
use crate::model::venue::{Registry, VenueType};
use crate::store::db::Entry;

/// Where a paper appeared, as a citation needs it.
enum Container<'a> {
    Proceedings(String),
    Journal(String),
    Preprint,
    Unplaced(&'a str),
}

fn container<'a>(p: &'a Paper, registry: &Registry) -> (Container<'a>, i16) {
    let Some(venue) = p.venue.as_deref() else {
        return (Container::Preprint, p.date.year());
    };
    let Some(r) = registry.resolve(venue) else {
        return (Container::Unplaced(venue), p.date.year());
    };
    let name = match &r.qualifier {
        Some(q) => format!("{} ({q})", r.series.full_name),
        None => r.series.full_name.clone(),
    };
    let year = r.year.unwrap_or(p.date.year());
    let container = match r.series.type_ {
        VenueType::Conference | VenueType::Workshop => Container::Proceedings(name),
        VenueType::Journal => Container::Journal(name),
        VenueType::PreprintServer => Container::Preprint,
    };
    (container, year)
}

/// The link a citation points to: the paper page, else arXiv, else OpenReview.
fn main_url(p: &Paper) -> Option<String> {
    p.paper
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| p.arxiv_url())
        .or_else(|| p.openreview_url())
}

/// Escapes TeX's special characters, folding whitespace to single spaces.
fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_tex(&mut out, word);
    }
    out
}

fn push_tex(out: &mut String, word: &str) {
    for c in word.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            c => out.push(c),
        }
    }
}

/// A title with every word that holds a capital letter braced, so styles that lowercase titles
/// keep `LLM`, `Vaccine` and `GPT-4` as written.
fn protected_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len() + 32);
    for (i, word) in title.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let capital = word.chars().any(char::is_uppercase);
        if capital {
            out.push('{');
        }
        push_tex(&mut out, word);
        if capital {
            out.push('}');
        }
    }
    out
}

/// BibTeX for the papers, keyed by id. Large lists are formatted in halves on two threads
/// (formatting 100,000 entries is a good part of `export`'s time).
pub fn bibtex(entries: &[&Entry], registry: &Registry) -> String {
    if entries.len() < 2_000 {
        return bibtex_part(entries, registry);
    }
    let (first, second) = entries.split_at(entries.len() / 2);
    let (mut out, rest) = std::thread::scope(|scope| {
        let rest = scope.spawn(|| bibtex_part(second, registry));
        (bibtex_part(first, registry), rest.join())
    });
    out.push('\n');
    out.push_str(&rest.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
    out
}

fn bibtex_part(entries: &[&Entry], registry: &Registry) -> String {
    let mut out = String::with_capacity(entries.len() * 320);
    for (i, e) in entries.iter().enumerate() {
        let p = &e.paper;
        if i > 0 {
            out.push('\n');
        }
        let (container, year) = container(p, registry);
        let kind = match container {
            Container::Proceedings(_) => "inproceedings",
            Container::Journal(_) => "article",
            Container::Preprint | Container::Unplaced(_) => "misc",
        };
        let _ = writeln!(out, "@{kind}{{{},", e.id);
        let mut field = |name: &str, value: String| {
            let _ = writeln!(out, "  {name} = {{{value}}},");
        };
        field("title", protected_title(&p.title));
        if !p.authors.is_empty() {
            let names: Vec<String> = p.authors.iter().map(|a| tex(a)).collect();
            field("author", names.join(" and "));
        }
        match &container {
            Container::Proceedings(name) => field("booktitle", tex(name)),
            Container::Journal(name) => field("journal", tex(name)),
            Container::Unplaced(venue) => field("note", tex(venue)),
            Container::Preprint => {}
        }
        field("year", year.to_string());
        if let Some(id) = &p.arxiv {
            field("eprint", id.to_string());
            field("archivePrefix", "arXiv".to_owned());
        }
        if let Some(doi) = &p.doi {
            field("doi", tex(doi.as_str()));
        }
        if let Some(url) = main_url(p) {
            field("url", url.replace('%', "\\%").replace('#', "\\#"));
        }
        out.push_str("}\n");
    }
    out
}

/// A name in CSL-JSON: the last word is the family name.
#[derive(Serialize)]
struct CslName {
    family: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    given: String,
}

#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: Vec<Vec<i32>>,
}

/// One CSL-JSON item with the standard fields.
#[derive(Serialize)]
struct CslItem {
    id: String,
    #[serde(rename = "type")]
    type_: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName>,
    issued: CslDate,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    archive: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<String>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// CSL-JSON (an array of items) for the papers.
pub fn csl_json(entries: &[&Entry], registry: &Registry) -> anyhow::Result<String> {
    let items: Vec<CslItem> = entries
        .iter()
        .map(|e| {
            let p = &e.paper;
            let (container, _) = container(p, registry);
            let (type_, container_title) = match container {
                Container::Proceedings(name) => ("paper-conference", Some(name)),
                Container::Journal(name) => ("article-journal", Some(name)),
                Container::Unplaced(venue) => ("article", Some(venue.to_owned())),
                Container::Preprint => ("article", None),
            };
            let mut parts = vec![i32::from(p.date.year())];
            parts.extend(p.date.month().map(i32::from));
            parts.extend(p.date.day().map(i32::from));
            CslItem {
                id: e.id.to_string(),
                type_,
                title: p.title.clone(),
                author: p
                    .authors
                    .iter()
                    .map(|a| match a.rsplit_once(' ') {
                        Some((given, family)) => CslName {
                            family: family.to_owned(),
                            given: given.to_owned(),
                        },
                        None => CslName {
                            family: a.clone(),
                            given: String::new(),
                        },
                    })
                    .collect(),
                issued: CslDate {
                    date_parts: vec![parts],
                },
                container_title,
                archive: p.arxiv.as_ref().map(|_| "arXiv"),
                number: p.arxiv.as_ref().map(ToString::to_string),
                doi: p.doi.as_ref().map(ToString::to_string),
                url: main_url(p),
            }
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_keep_capitals_and_escape_tex() {
        assert_eq!(
            protected_title("Vaccine: safety of LLMs & 100% _x_ {y} ~z"),
            "{Vaccine:} safety of {LLMs} \\& 100\\% \\_x\\_ \\{y\\} \\textasciitilde{}z"
        );
    }
}
