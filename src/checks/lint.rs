//! Every validation rule beyond the typing done while loading: stages, dates, venues, links,
//! duplicates and sections. `check` returns diagnostics as data, sorted by file and position;
//! it never prints.

mod identity;
mod similar;

use crate::catalog::{Catalog, Record};
use crate::model::date::PartialDate;
use crate::model::diag::{Diagnostic, Pos, Rule};
use crate::model::ident::{ArxivId, Doi, OpenReviewId};
use crate::model::paper::{Field, Kind};
use crate::model::venue::VenueType;
use crate::store::db::Entry;

pub use crate::catalog::similar::{
    MAX_LISTED, ReadTitle, TitleIndex, canonical_words, clusters, near_identical,
};
pub use identity::{Signal, SignalKind, signals};

/// All diagnostics for the database: those met while loading and those of every rule, sorted.
pub fn check(catalog: &Catalog, today: jiff::civil::Date) -> Vec<Diagnostic> {
    let db = catalog.db();
    // The near-duplicate searches need only titles and links: they run beside the other rules,
    // on another core.
    let (mut out, similar) = std::thread::scope(|scope| {
        let similar = scope.spawn(|| {
            let mut out = Vec::new();
            similar::check(&db.entries, &mut out);
            identity::check(&db.entries, &mut out);
            out
        });
        let out = check_errors(catalog, today);
        (out, similar.join())
    });
    out.extend(similar.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
    out.sort();
    out
}

/// The diagnostics of every rule that can report an error, sorted: all of `check` but the
/// near-duplicate searches (titles and identity signals), which only warn. `render` needs no more to refuse a database
/// with errors, and at 100,000 papers the search is a good part of `validate`'s time.
pub fn check_errors(catalog: &Catalog, today: jiff::civil::Date) -> Vec<Diagnostic> {
    let mut out = catalog.db().diagnostics.clone();
    for record in catalog.records() {
        check_entry(catalog, record, today, &mut out);
    }
    check_duplicates(catalog, &mut out);
    out.sort();
    out
}

fn report(out: &mut Vec<Diagnostic>, entry: &Entry, pos: Pos, rule: Rule, message: String) {
    out.push(Diagnostic::new(&entry.path, pos, rule, message));
}

fn check_entry(
    catalog: &Catalog,
    record: Record<'_>,
    today: jiff::civil::Date,
    out: &mut Vec<Diagnostic>,
) {
    let entry = record.entry;
    let p = &entry.paper;
    let at = |field| entry.spans.get(field);
    match (p.kind, p.stage) {
        (Kind::Defense, None) => report(
            out,
            entry,
            at(Field::Kind),
            Rule::MissingStage,
            "a defense needs a `stage`: `pre-training`, `alignment`, `fine-tuning` or \
             `post-fine-tuning`"
                .to_owned(),
        ),
        (kind, Some(stage)) if kind != Kind::Defense => report(
            out,
            entry,
            at(Field::Stage),
            Rule::UnexpectedStage,
            format!("only a defense has a stage: remove `stage: {stage}` from this {kind}"),
        ),
        _ => {}
    }
    if p.date.is_after(today) {
        report(
            out,
            entry,
            at(Field::Date),
            Rule::FutureDate,
            format!("date `{}` lies in the future (today is {today})", p.date),
        );
    }
    if let Some(id) = &p.arxiv {
        check_date_against_arxiv(entry, id, out);
    }
    if let Some(venue) = &p.venue {
        check_venue(catalog, record, venue, out);
    }
    for (field, url) in [
        (Field::Paper, &p.paper),
        (Field::Code, &p.code),
        (Field::Project, &p.project),
    ] {
        let Some(url) = url else { continue };
        let params = url.tracking_params();
        if !params.is_empty() {
            let names: Vec<String> = params.iter().map(|k| format!("`{k}`")).collect();
            report(
                out,
                entry,
                at(field),
                Rule::TrackingUrl,
                format!(
                    "`{field}` carries tracking parameters {}: remove them",
                    names.join(", ")
                ),
            );
        }
    }
    if let Some(url) = &p.paper {
        check_paper_link(entry, url.as_str(), out);
    }
    let link_fields = [
        Field::Arxiv,
        Field::Doi,
        Field::Openreview,
        Field::Paper,
        Field::Code,
        Field::Project,
    ];
    // A link that was given but refused is reported by its own rule already.
    if !p.has_link() && !link_fields.iter().any(|f| entry.spans.has(*f)) {
        report(
            out,
            entry,
            at(Field::Title),
            Rule::NoLink,
            "the record has no identifier and no link: add `arxiv`, `doi`, `openreview` or \
             `paper`"
                .to_owned(),
        );
    }
    if p.kind == Kind::Defense && p.stage.is_none() {
        // Reported as `missing-stage`; no stage section can take it until that is fixed.
        return;
    }
    let sections = record.sections;
    match sections.len() {
        0 => report(
            out,
            entry,
            at(Field::Kind),
            Rule::Unsectioned,
            format!(
                "no section of list.yaml takes this {}{}: the README would leave it out",
                p.kind,
                p.stage.map(|s| format!(" ({s})")).unwrap_or_default()
            ),
        ),
        1 => {}
        _ => {
            let names: Vec<String> = sections
                .iter()
                .filter_map(|path| catalog.list().section_at(path))
                .map(|(_, headings)| format!("`{}`", headings.join(" > ")))
                .collect();
            report(
                out,
                entry,
                at(Field::Kind),
                Rule::MultipleSections,
                format!(
                    "sections {} all take this paper: make their selectors exclusive",
                    names.join(" and ")
                ),
            );
        }
    }
}

/// Warns when the date is more than a month away from the month the arXiv id was assigned in.
/// An earlier date is expected when the paper was on OpenReview before arXiv.
fn check_date_against_arxiv(entry: &Entry, id: &ArxivId, out: &mut Vec<Diagnostic>) {
    let p = &entry.paper;
    let arxiv_month = i32::from(id.year()) * 12 + i32::from(id.month()) - 1;
    let (first, last) = p.date.month_range();
    let distance = if arxiv_month < first {
        first - arxiv_month
    } else if arxiv_month > last {
        arxiv_month - last
    } else {
        0
    };
    // A paper on OpenReview, or published with a DOI, before it reached arXiv keeps the earlier
    // date: that was its first public appearance.
    let earlier_elsewhere = (p.openreview.is_some() || p.doi.is_some()) && last < arxiv_month;
    if distance > 1 && !earlier_elsewhere {
        report(
            out,
            entry,
            entry.spans.get(Field::Date),
            Rule::DateArxivMismatch,
            format!(
                "date `{}` is {distance} months away from arXiv id `{id}` ({}-{:02}): the date is \
                 the first public appearance, usually arXiv v1",
                p.date,
                id.year(),
                id.month()
            ),
        );
    }
}

fn check_venue(catalog: &Catalog, record: Record<'_>, venue: &str, out: &mut Vec<Diagnostic>) {
    let entry = record.entry;
    let pos = entry.spans.get(Field::Venue);
    let date = entry.paper.date;
    let Some(placed) = record.venue else {
        let hint = catalog
            .registry()
            .suggest(venue, Some(date.year()))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        report(
            out,
            entry,
            pos,
            Rule::UnknownVenue,
            format!(
                "venue `{venue}` is not a registry series followed by a year{hint}; add the \
                 series to list.yaml if it is new"
            ),
        );
        return;
    };
    let series = catalog.series(placed);
    if series.type_ == VenueType::PreprintServer {
        report(
            out,
            entry,
            pos,
            Rule::PreprintVenue,
            format!("`{venue}` is a preprint server: a preprint has no venue, remove the line"),
        );
        return;
    }
    if placed.canonical != venue {
        report(
            out,
            entry,
            pos,
            Rule::VenueAlias,
            format!("write venue `{venue}` as `{}`", placed.canonical),
        );
    }
    match placed.year {
        None => report(
            out,
            entry,
            pos,
            Rule::VenueWithoutYear,
            format!("venue `{venue}` has no year: write `{} YEAR`", series.name),
        ),
        Some(year) if year < date.year() => report(
            out,
            entry,
            pos,
            Rule::VenueBeforeDate,
            format!("venue year {year} is earlier than the paper's date `{date}`"),
        ),
        Some(_) => {}
    }
}

/// A `paper` link to arXiv, OpenReview or doi.org repeats what an identifier says.
fn check_paper_link(entry: &Entry, url: &str, out: &mut Vec<Diagnostic>) {
    let p = &entry.paper;
    let message = if let Some(id) = ArxivId::from_url(url) {
        match &p.arxiv {
            Some(have) if *have == id => format!("`paper` repeats `arxiv: {id}`: remove it"),
            _ => format!("`paper` is an arXiv link: write `arxiv: {id}` instead"),
        }
    } else if let Some(id) = OpenReviewId::from_url(url) {
        match &p.openreview {
            Some(have) if *have == id => format!("`paper` repeats `openreview: {id}`: remove it"),
            _ => format!("`paper` is an OpenReview link: write `openreview: {id}` instead"),
        }
    } else if let Some(doi) = Doi::strip_url_prefix(url).filter(|rest| rest.starts_with("10.")) {
        format!("`paper` is a DOI link: write `doi: {doi}` instead")
    } else {
        return;
    };
    report(
        out,
        entry,
        entry.spans.get(Field::Paper),
        Rule::LinkShouldBeId,
        message,
    );
}

/// Errors for two records that are the same paper by identifier, link or normalised title: one
/// per pair, on the later file, naming the first key they share (the catalog's identity index
/// decides).
fn check_duplicates(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for (later, first, m) in catalog.duplicates() {
        report(
            out,
            later.entry,
            later.spans.get(m.field),
            Rule::DuplicatePaper,
            format!(
                "same {} as `{}`: merge the two records into one",
                m.what,
                first.path.display()
            ),
        );
    }
}

/// Today's date, for callers that do not pin one.
pub fn today() -> jiff::civil::Date {
    PartialDate::today()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db::Db;
    use std::path::Path;

    fn db(papers: &[(&str, &str)]) -> Db {
        let list = crate::store::db::parse_list(
            Path::new("list.yaml"),
            include_str!("../../tests/fixtures/list.yaml"),
        )
        .unwrap();
        let entries = papers
            .iter()
            .map(|(id, yaml)| {
                let (paper, spans, diags) =
                    crate::store::db::parse_record(Path::new("x.yaml"), yaml);
                assert!(diags.is_empty(), "{diags:?}");
                Entry {
                    id: id.parse().unwrap(),
                    path: format!("{id}.yaml").into(),
                    paper: paper.unwrap(),
                    spans,
                }
            })
            .collect::<Vec<_>>();
        Db {
            list,
            files: entries.len(),
            entries,
            diagnostics: Vec::new(),
        }
    }

    fn rules(papers: &[(&str, &str)]) -> Vec<(String, &'static str)> {
        check(&Catalog::new(db(papers)), jiff::civil::date(2026, 11, 30))
            .into_iter()
            .map(|d| (d.file.display().to_string(), d.rule.name()))
            .collect()
    }

    const BASE: &str = "title: T\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n";

    #[test]
    fn a_clean_record_has_no_diagnostics() {
        assert!(rules(&[("a", BASE)]).is_empty());
    }

    #[test]
    fn arxiv_month_distance_and_the_openreview_exception() {
        let mismatch = |date: &str, extra: &str| {
            let yaml =
                format!("title: T\nkind: attack\ndate: \"{date}\"\narxiv: \"2402.01109\"\n{extra}");
            rules(&[("a", &yaml)])
                .iter()
                .any(|(_, r)| *r == "date-arxiv-mismatch")
        };
        assert!(!mismatch("2024-01-31", ""), "one month is fine");
        assert!(!mismatch("2024-03", ""), "one month is fine");
        assert!(mismatch("2024-04", ""));
        assert!(mismatch("2023-11", ""));
        assert!(!mismatch("2024", ""), "a year-only date covers the month");
        assert!(
            !mismatch("2023-10", "openreview: tTPHgb0EtV\n"),
            "OpenReview first"
        );
        assert!(
            mismatch("2024-06", "openreview: tTPHgb0EtV\n"),
            "later than arXiv is still wrong"
        );
        assert!(
            !mismatch("2023-10", "doi: 10.18653/v1/2025.acl-long.1479\n"),
            "published first"
        );
    }

    #[test]
    fn venue_rules() {
        let venue = |v: &str| {
            let yaml = format!("{BASE}venue: {v}\n");
            rules(&[("a", &yaml)])
                .into_iter()
                .map(|(_, r)| r)
                .collect::<Vec<_>>()
        };
        assert!(venue("ICLR 2025").is_empty());
        assert_eq!(venue("iclr 2025"), ["venue-alias"]);
        assert_eq!(venue("arXiv"), ["preprint-venue"]);
        assert_eq!(venue("TMLR"), ["venue-without-year"]);
        assert_eq!(venue("ICLR 2023"), ["venue-before-date"]);
        assert_eq!(venue("Unknown 2024"), ["unknown-venue"]);
    }

    #[test]
    fn duplicates_are_reported_once_on_the_later_file() {
        let other = "title: T\nkind: attack\ndate: \"2024-02-02\"\ndoi: 10.1145/3712003\n";
        assert_eq!(
            rules(&[("a", BASE), ("b", BASE)]),
            [("b.yaml".to_owned(), "duplicate-paper")]
        );
        assert_eq!(
            rules(&[("a", BASE), ("b", other)]),
            [("b.yaml".to_owned(), "duplicate-paper")]
        );
    }

    #[test]
    fn sections_must_take_each_paper_once() {
        let benchmark = "title: B\nkind: benchmark\ndate: \"2024\"\ndoi: 10.1145/3712003\n";
        assert_eq!(
            rules(&[("a", benchmark)]),
            [("a.yaml".to_owned(), "unsectioned")]
        );
        let federated_analysis =
            "title: F\nkind: analysis\ndate: \"2024\"\ndoi: 10.1145/3712003\ntags: [federated]\n";
        assert_eq!(
            rules(&[("a", federated_analysis)]),
            [("a.yaml".to_owned(), "multiple-sections")]
        );
        let defense = "title: D\nkind: defense\ndate: \"2024\"\ndoi: 10.1145/3712003\n";
        assert_eq!(
            rules(&[("a", defense)]),
            [("a.yaml".to_owned(), "missing-stage")],
            "not also unsectioned"
        );
    }

    #[test]
    fn paper_links_that_identifiers_should_carry() {
        let with = |paper: &str| {
            let yaml = format!("title: T\nkind: attack\ndate: \"2024-02-02\"\npaper: {paper}\n");
            rules(&[("a", &yaml)])
                .into_iter()
                .map(|(_, r)| r)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            with("https://arxiv.org/abs/2402.01109"),
            ["link-should-be-id"]
        );
        assert_eq!(
            with("https://openreview.net/forum?id=tTPHgb0EtV"),
            ["link-should-be-id"]
        );
        assert_eq!(
            with("https://doi.org/10.1145/3712003"),
            ["link-should-be-id"]
        );
        assert!(with("https://aclanthology.org/2024.findings-acl.549.pdf").is_empty());
    }
}
