//! Citations: one [`Citation`] per record, built in one place, and its views: BibTeX, BibLaTeX
//! and CSL-JSON (see `docs/citations.md` for the fields each view writes and why).
//!
//! A citation is built from the record and its venue as already resolved against the registry
//! ([`citation`] takes the `Resolved` venue, it does not resolve it), so a caller that resolves
//! each record once can feed it directly; [`resolve`] does it for callers that hold a registry.
//!
//! - A conference paper is `@inproceedings`/`paper-conference` in the series' full name; a
//!   `Findings` paper is in "Findings of the Association for Computational Linguistics: ACL
//!   2024"; presentation tracks (`Oral`, `Spotlight`, `Poster`) are not part of the proceedings'
//!   name and are dropped; any other qualifier is kept as a note.
//! - A workshop held at a conference (`NeurIPS 2024 Workshop SafeGenAI`) is in "SafeGenAI
//!   Workshop at NeurIPS 2024": named as a workshop, never as the main proceedings. The host's
//!   full name is kept in [`Citation::host`] but not written as a `series`/`collection-title`:
//!   APA, IEEE and `plain.bst` print the series right after the container, so it would repeat
//!   the conference. A workshop series of the registry is in its full name.
//! - A journal paper is `@article`/`article-journal` in the journal's full name.
//! - A preprint (no venue, or a preprint server) is `@misc`/`article` with its arXiv id.
//! - A venue the registry cannot place is kept whole as a note.
//!
//! The year of a published paper is its venue's; a preprint's is its date's.

mod bibtex;
mod csl;
pub mod names;

use crate::date::PartialDate;
use crate::db::{Db, Entry};
use crate::ident::ArxivId;
use crate::paper::Paper;
use crate::venue::{Registry, Resolved, VenueType};

pub use bibtex::{Dialect, write_entries};
pub use csl::csl_json as csl_json_of;
use names::Name;

/// What kind of work a citation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CitationType {
    /// A paper in a conference's proceedings.
    Conference,
    /// A paper at a workshop.
    Workshop,
    /// A journal article.
    Journal,
    /// A preprint: no venue, or a preprint server.
    Preprint,
    /// A venue the registry cannot place: kept as a note.
    Unplaced,
}

/// Everything a reference needs, independent of the output format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation<'a> {
    /// The key: the record's id.
    pub key: &'a str,
    /// What kind of work.
    pub type_: CitationType,
    /// The title as the record gives it.
    pub title: &'a str,
    /// The authors, parsed.
    pub authors: Vec<Name>,
    /// The proceedings or journal: BibTeX `booktitle`/`journal`, CSL `container-title`.
    pub container: Option<String>,
    /// For a workshop held at a conference, the conference's full name (the views name the
    /// conference in `container` already).
    pub host: Option<String>,
    /// What the venue says that no other field holds: the unplaced venue, or a qualifier that is
    /// neither a presentation track nor a workshop.
    pub note: Option<String>,
    /// The year of publication: the venue's, else the date's.
    pub year: i16,
    /// The full date, for a preprint (whose date is its publication).
    pub date: Option<PartialDate>,
    /// The arXiv id.
    pub arxiv: Option<&'a ArxivId>,
    /// The DOI.
    pub doi: Option<&'a str>,
    /// The link: the paper's page, else arXiv, else OpenReview.
    pub url: Option<String>,
}

/// Qualifiers that name how a paper was presented, not where it was published.
const TRACKS: &[&str] = &[
    "oral",
    "spotlight",
    "poster",
    "main",
    "long",
    "short",
    "long paper",
    "short paper",
    "main track",
    "main conference",
];

/// The registry's placement of the record's venue, when it has one the registry knows.
pub fn resolve<'r>(paper: &Paper, registry: &'r Registry) -> Option<Resolved<'r>> {
    paper.venue.as_deref().and_then(|v| registry.resolve(v))
}

/// A workshop's name, named as a workshop: `Workshop SafeGenAI` -> `SafeGenAI Workshop`;
/// `Workshop on Red Teaming` and `SafeGenAI Workshop` stay as written. `None` when the qualifier
/// is not a workshop.
fn workshop_name(qualifier: &str) -> Option<String> {
    let is_workshop = qualifier
        .split(' ')
        .any(|w| w.eq_ignore_ascii_case("workshop") || w.eq_ignore_ascii_case("workshops"));
    if !is_workshop {
        return None;
    }
    match qualifier.split_once(' ') {
        Some((first, rest))
            if first.eq_ignore_ascii_case("workshop")
                && !rest.starts_with("on ")
                && !rest.starts_with("at ") =>
        {
            Some(format!("{rest} Workshop"))
        }
        _ => Some(qualifier.to_owned()),
    }
}

/// The citation of a record, given its venue as resolved against the registry (`None` when the
/// record has no venue or the registry cannot place it).
pub fn citation<'a>(key: &'a str, paper: &'a Paper, venue: Option<&Resolved<'_>>) -> Citation<'a> {
    let mut c = Citation {
        key,
        type_: CitationType::Preprint,
        title: &paper.title,
        authors: paper.authors.iter().map(|a| Name::parse(a)).collect(),
        container: None,
        host: None,
        note: None,
        year: paper.date.year(),
        date: Some(paper.date),
        arxiv: paper.arxiv.as_ref(),
        doi: paper.doi.as_ref().map(|d| d.as_str()),
        url: paper
            .paper
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| paper.arxiv_url())
            .or_else(|| paper.openreview_url()),
    };
    let Some(written) = paper.venue.as_deref() else {
        return c;
    };
    let Some(r) = venue else {
        c.type_ = CitationType::Unplaced;
        c.note = Some(written.split_whitespace().collect::<Vec<_>>().join(" "));
        return c;
    };
    if r.series.type_ == VenueType::PreprintServer {
        return c;
    }
    c.date = None;
    c.year = r.year.unwrap_or(c.year);
    let full = &r.series.full_name;
    let short_year = match r.year {
        Some(y) => format!("{} {y}", r.series.name),
        None => r.series.name.clone(),
    };
    c.type_ = match r.series.type_ {
        VenueType::Journal => CitationType::Journal,
        VenueType::Workshop => CitationType::Workshop,
        VenueType::Conference | VenueType::PreprintServer => CitationType::Conference,
    };
    c.container = Some(full.clone());
    let Some(q) = r.qualifier.as_deref() else {
        return c;
    };
    if TRACKS.contains(&q.to_lowercase().as_str()) {
        return c;
    }
    if q.eq_ignore_ascii_case("findings") {
        c.container = Some(format!(
            "Findings of the Association for Computational Linguistics: {short_year}"
        ));
        return c;
    }
    match workshop_name(q) {
        Some(workshop) if r.series.type_ != VenueType::Workshop => {
            c.type_ = CitationType::Workshop;
            c.container = Some(format!("{workshop} at {short_year}"));
            c.host = Some(full.clone());
        }
        _ => c.note = Some(q.to_owned()),
    }
    c
}

/// The citations of the entries, each venue resolved against the registry.
pub fn citations<'a>(entries: &[&'a Entry], registry: &Registry) -> Vec<Citation<'a>> {
    entries
        .iter()
        .map(|e| {
            let venue = resolve(&e.paper, registry);
            citation(e.id.as_str(), &e.paper, venue.as_ref())
        })
        .collect()
}

/// BibTeX for the entries, keyed by id (what `export --format bibtex` and `query --format
/// bibtex` print).
pub fn bibtex(entries: &[&Entry], registry: &Registry) -> String {
    write_entries(&citations(entries, registry), Dialect::Bibtex)
}

/// BibLaTeX for the entries (`export --format biblatex`).
pub fn biblatex(entries: &[&Entry], registry: &Registry) -> String {
    write_entries(&citations(entries, registry), Dialect::Biblatex)
}

/// CSL-JSON for the entries (`export --format csl-json`).
pub fn csl_json(entries: &[&Entry], registry: &Registry) -> anyhow::Result<String> {
    csl::csl_json(&citations(entries, registry))
}

/// The BibTeX entry of one record, by id (for the README's citation of the survey); `None` when
/// no record has the id.
pub fn bibtex_of(db: &Db, id: &str) -> Option<String> {
    let entry = db.entries.iter().find(|e| e.id.as_str() == id)?;
    Some(bibtex(&[entry], &db.list.registry))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::venue::Series;

    fn registry() -> Registry {
        let s = |name: &str, full: &str, t| Series {
            name: name.to_owned(),
            full_name: full.to_owned(),
            type_: t,
            aliases: Vec::new(),
        };
        Registry::new(vec![
            s("NeurIPS", "Advances in NIPS", VenueType::Conference),
            s("ACL", "Annual Meeting of the ACL", VenueType::Conference),
            s("TMLR", "Transactions on ML Research", VenueType::Journal),
            s("CALCS", "Workshop on Code-Switching", VenueType::Workshop),
            s("arXiv", "arXiv", VenueType::PreprintServer),
        ])
        .unwrap()
    }

    fn paper(venue: Option<&str>) -> Paper {
        let mut text =
            String::from("title: T\nkind: attack\ndate: \"2023-12-30\"\narxiv: \"2312.00001\"\n");
        if let Some(v) = venue {
            text.push_str(&format!("venue: {v}\n"));
        }
        let (p, _, _) = crate::db::parse_record(std::path::Path::new("x.yaml"), &text);
        p.unwrap()
    }

    fn cite(
        venue: Option<&str>,
    ) -> (
        CitationType,
        Option<String>,
        Option<String>,
        Option<String>,
        i16,
    ) {
        let reg = registry();
        let p = paper(venue);
        let r = resolve(&p, &reg);
        let c = citation("x", &p, r.as_ref());
        (c.type_, c.container, c.host, c.note, c.year)
    }

    #[test]
    fn venues_become_containers() {
        use CitationType::*;
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(cite(None), (Preprint, None, None, None, 2023));
        assert_eq!(cite(Some("arXiv")), (Preprint, None, None, None, 2023));
        assert_eq!(
            cite(Some("NeurIPS 2024")),
            (Conference, s("Advances in NIPS"), None, None, 2024)
        );
        assert_eq!(
            cite(Some("NeurIPS 2024 Spotlight")),
            (Conference, s("Advances in NIPS"), None, None, 2024)
        );
        assert_eq!(
            cite(Some("TMLR")),
            (Journal, s("Transactions on ML Research"), None, None, 2023)
        );
        assert_eq!(
            cite(Some("NeurIPS 2024 Workshop SafeGenAI")),
            (
                Workshop,
                s("SafeGenAI Workshop at NeurIPS 2024"),
                s("Advances in NIPS"),
                None,
                2024
            )
        );
        assert_eq!(
            cite(Some("ACL 2024 Findings")),
            (
                Conference,
                s("Findings of the Association for Computational Linguistics: ACL 2024"),
                None,
                None,
                2024
            )
        );
        assert_eq!(
            cite(Some("ACL 2024 Demo")),
            (
                Conference,
                s("Annual Meeting of the ACL"),
                None,
                s("Demo"),
                2024
            )
        );
        assert_eq!(
            cite(Some("CALCS 2025")),
            (Workshop, s("Workshop on Code-Switching"), None, None, 2025)
        );
        assert_eq!(
            cite(Some("Somewhere  2024")),
            (Unplaced, None, None, s("Somewhere 2024"), 2023)
        );
    }

    #[test]
    fn bibtex_of_one_record_by_id() {
        let db = Db::load(std::path::Path::new("tests/fixtures/cite")).unwrap();
        let bib = bibtex_of(&db, "survey").unwrap();
        assert!(bib.starts_with("@article{survey,\n"), "{bib}");
        assert_eq!(bib.matches('@').count(), 1, "{bib}");
        assert_eq!(bibtex_of(&db, "nobody"), None);
    }

    #[test]
    fn workshops_are_named_as_workshops() {
        assert_eq!(
            workshop_name("Workshop SafeGenAI").as_deref(),
            Some("SafeGenAI Workshop")
        );
        assert_eq!(
            workshop_name("Workshop on Red Teaming").as_deref(),
            Some("Workshop on Red Teaming")
        );
        assert_eq!(
            workshop_name("SoLaR Workshop").as_deref(),
            Some("SoLaR Workshop")
        );
        assert_eq!(workshop_name("Oral"), None);
    }
}
