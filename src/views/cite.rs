//! Citations: one [`Citation`] per record, built in one place, and its views: BibTeX, BibLaTeX
//! and CSL-JSON (see `docs/citations.md` for the fields each view writes and why).
//!
//! A citation is built from the record and its venue as the catalog placed it: [`citation`]
//! takes the registry series and the [`Placed`] venue, it never resolves the venue itself.
//!
//! - A conference paper is `@inproceedings`/`paper-conference` in the series' full name; a
//!   `Findings` paper is in "Findings of the Association for Computational Linguistics: ACL
//!   2024"; presentation tracks (`Oral`, `Spotlight`, `Poster`, `Highlight`) are not part of the
//!   proceedings' name and are dropped; any other qualifier is kept as a note.
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

use crate::catalog::{Catalog, Record};
use crate::model::date::PartialDate;
use crate::model::ident::ArxivId;
use crate::model::name::Name;
use crate::model::paper::Paper;
use crate::model::venue::{Placed, Series, Track, VenueType};

pub use bibtex::{Dialect, write_entries};
pub use csl::csl_json as csl_json_of;

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

/// The citation of a record, given its venue as the catalog placed it (the registry series and
/// the placement; `None` when the record has no venue or the registry cannot place it).
pub fn citation<'a>(
    key: &'a str,
    paper: &'a Paper,
    venue: Option<(&Series, &Placed)>,
) -> Citation<'a> {
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
    let Some((series, placed)) = venue else {
        c.type_ = CitationType::Unplaced;
        c.note = Some(written.split_whitespace().collect::<Vec<_>>().join(" "));
        return c;
    };
    if series.type_ == VenueType::PreprintServer {
        return c;
    }
    c.date = None;
    c.year = placed.year.unwrap_or(c.year);
    let full = &series.full_name;
    let short_year = match placed.year {
        Some(y) => format!("{} {y}", series.name),
        None => series.name.clone(),
    };
    c.type_ = match series.type_ {
        VenueType::Journal => CitationType::Journal,
        VenueType::Workshop => CitationType::Workshop,
        VenueType::Conference | VenueType::PreprintServer => CitationType::Conference,
    };
    c.container = Some(full.clone());
    let qualifier = placed.qualifier.as_deref().unwrap_or_default();
    match placed.track {
        Track::Main | Track::Presentation => {}
        Track::Findings => {
            c.container = Some(format!(
                "Findings of the Association for Computational Linguistics: {short_year}"
            ));
        }
        // The catalog reads a workshop from the qualifier's first word; `SoLaR Workshop` is one
        // too, and must not pass for the main proceedings.
        Track::Workshop | Track::Other
            if series.type_ != VenueType::Workshop && workshop_name(qualifier).is_some() =>
        {
            let workshop = workshop_name(qualifier).unwrap_or_else(|| qualifier.to_owned());
            c.type_ = CitationType::Workshop;
            c.container = Some(format!("{workshop} at {short_year}"));
            c.host = Some(full.clone());
        }
        Track::Workshop | Track::Other => c.note = Some(qualifier.to_owned()),
    }
    c
}

/// The citations of the records, each with the venue the catalog placed.
pub fn citations<'a>(records: &[Record<'a>], catalog: &Catalog) -> Vec<Citation<'a>> {
    records
        .iter()
        .map(|r| {
            let venue = r.venue.map(|p| (catalog.series(p), p));
            citation(r.entry.id.as_str(), &r.entry.paper, venue)
        })
        .collect()
}

/// BibTeX for the records, keyed by id (what `export --format bibtex` and `query --format
/// bibtex` print).
pub fn bibtex(records: &[Record<'_>], catalog: &Catalog) -> String {
    write_entries(&citations(records, catalog), Dialect::Bibtex)
}

/// BibLaTeX for the records (`export --format biblatex`).
pub fn biblatex(records: &[Record<'_>], catalog: &Catalog) -> String {
    write_entries(&citations(records, catalog), Dialect::Biblatex)
}

/// CSL-JSON for the records (`export --format csl-json`).
pub fn csl_json(records: &[Record<'_>], catalog: &Catalog) -> anyhow::Result<String> {
    csl::csl_json(&citations(records, catalog))
}

/// The BibTeX entry of one record, by id (the README's citation of the survey: `{{ cite("id")
/// }}`); `None` when no record has the id.
pub fn bibtex_of(catalog: &Catalog, id: &str) -> Option<String> {
    let record = catalog.get(id)?;
    Some(bibtex(&[record], catalog))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::venue::Registry;

    fn registry() -> Registry {
        let s = |name: &str, full: &str, t| Series {
            name: name.to_owned(),
            full_name: full.to_owned(),
            type_: t,
            aliases: Vec::new(),
            sources: Default::default(),
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

    type Summary = (
        CitationType,
        Option<String>,
        Option<String>,
        Option<String>,
        i16,
    );

    fn cite(venue: Option<&str>) -> Summary {
        let reg = registry();
        let mut text =
            String::from("title: T\nkind: attack\ndate: \"2023-12-30\"\narxiv: \"2312.00001\"\n");
        if let Some(v) = venue {
            text.push_str(&format!("venue: {v}\n"));
        }
        let (p, _, _) = crate::store::db::parse_record(std::path::Path::new("x.yaml"), &text);
        let p = p.unwrap();
        let placed = p.venue.as_deref().and_then(|v| reg.place(v));
        let venue = placed.as_ref().map(|pl| (&reg.series()[pl.series], pl));
        let c = citation("x", &p, venue);
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
            cite(Some("NeurIPS 2024 SoLaR Workshop")),
            (
                Workshop,
                s("SoLaR Workshop at NeurIPS 2024"),
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
        let catalog = Catalog::load(std::path::Path::new("tests/fixtures/cite")).unwrap();
        let bib = bibtex_of(&catalog, "survey").unwrap();
        assert!(bib.starts_with("@article{survey,\n"), "{bib}");
        assert_eq!(bib.matches('@').count(), 1, "{bib}");
        assert_eq!(bibtex_of(&catalog, "nobody"), None);
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
