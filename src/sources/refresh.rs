//! The rules of `hftlist refresh`, as pure functions: one record and what the services said
//! about it in, proposals out (fill a missing field, correct a contradicted one, or show a
//! conflict no rule settles). No I/O: `cmd::refresh` fetches the answers and writes the
//! accepted proposals; `cmd::add` reads a venue through the same [`VenueClaim`]s.
//!
//! Confidence rules (docs/refresh.md explains them for people):
//! - the record's own identifiers (its arXiv id, OpenReview forum, DOI) are trusted: what their
//!   services say is about this paper;
//! - a DBLP hit counts only when its title equals the record's after normalisation (or is a
//!   typo apart), its year is not earlier than the record's date, and, when authors are known,
//!   one of them agrees; a CoRR hit is a preprint, never a venue;
//! - an arXiv id found elsewhere is filled only when the arXiv record's title matches and an
//!   author or the DOI agrees;
//! - a venue is written only as a registry spelling: a series the registry does not know is a
//!   conflict naming the entry to add.

use std::collections::HashSet;

use serde::Serialize;

use crate::catalog::similar::ReadTitle;
use crate::model::date::PartialDate;
use crate::model::ident::{ArxivId, Doi, OpenReviewId};
use crate::model::name::Name;
use crate::model::paper::{Field, Paper};
use crate::model::venue::{Registry, Spelling, Track, strip_parenthetical};
use crate::sources::arxiv::ArxivEntry;
use crate::sources::crossref::CrossrefWork;
use crate::sources::dblp::DblpHit;
use crate::sources::openreview::{OpenReviewNote, Standing};

/// What a proposal does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// A field the record lacks and a source states.
    Fill,
    /// A stated fact an authoritative source contradicts.
    Correct,
    /// Sources disagree with each other or with the record: shown, never applied.
    Conflict,
}

impl Action {
    /// The word printed for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fill => "fill",
            Self::Correct => "correct",
            Self::Conflict => "conflict",
        }
    }
}

/// A field's value as a proposal shows it: absent, one string, or a list (authors).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// The field is absent (JSON `null`).
    None,
    /// One string.
    Text(String),
    /// A list of strings.
    List(Vec<String>),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("(none)"),
            Self::Text(s) => f.write_str(s),
            Self::List(l) => f.write_str(&l.join(", ")),
        }
    }
}

impl Value {
    fn opt(v: Option<impl ToString>) -> Self {
        v.map_or(Self::None, |v| Self::Text(v.to_string()))
    }
}

/// One proposed change to one field of one record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The field.
    pub field: Field,
    /// Fill, correct or conflict.
    pub action: Action,
    /// The record's value.
    pub old: Value,
    /// The value the source states.
    pub new: Value,
    /// The service: `arxiv`, `openreview`, `dblp` or `crossref`.
    pub source: &'static str,
    /// What it said: the record it looked at and the words that decide, e.g.
    /// `ERNpUGr8M5: "ICLR 2026 Poster"`.
    pub evidence: String,
}

/// What the services said about one record; `None` / empty where a service was not asked or
/// did not answer.
#[derive(Clone, Copy, Debug, Default)]
pub struct Answers<'a> {
    /// The arXiv entry of the record's id, or of a candidate id found through DBLP.
    pub arxiv: Option<&'a ArxivEntry>,
    /// The submission note of the record's OpenReview forum.
    pub openreview: Option<&'a OpenReviewNote>,
    /// The DBLP hits of a search for the record's title (unfiltered).
    pub dblp: &'a [DblpHit],
    /// The Crossref record of the record's DOI, or of one found by arXiv or DBLP.
    pub crossref: Option<&'a CrossrefWork>,
}

/// A venue a source states, read through the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VenueClaim {
    /// The service.
    pub source: &'static str,
    /// Its evidence, e.g. `ERNpUGr8M5: "ICLR 2026 Poster"`.
    pub evidence: String,
    /// The venue in registry spelling, or, for a series the registry does not know, what to
    /// add to it.
    pub venue: Result<Placed, String>,
}

/// A venue as a claim places it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    /// The registry series' canonical name.
    pub series: String,
    /// The year.
    pub year: i16,
    /// The qualifier (`Oral`, `Findings`, `Workshop NAME`).
    pub qualifier: Option<String>,
}

impl Placed {
    /// The canonical spelling `SERIES YEAR [QUALIFIER]`.
    pub fn canonical(&self) -> String {
        match &self.qualifier {
            Some(q) => format!("{} {} {q}", self.series, self.year),
            None => format!("{} {}", self.series, self.year),
        }
    }

    /// What two venues must share to be the same publication: series, year, and the track
    /// unless it is the main proceedings (`ICLR 2025` and `ICLR 2025 Oral` agree).
    fn key(&self) -> (String, i16, Option<String>) {
        let track = Track::of(self.qualifier.as_deref());
        let q = (!track.is_main()).then(|| self.qualifier.clone().unwrap_or_default());
        (
            self.series.to_lowercase(),
            self.year,
            q.map(|q| q.to_lowercase()),
        )
    }
}

/// How two titles compare: the catalog's near-identical matcher (`catalog::similar`) decides
/// whether they name the same paper, as it does for `similar-title`, `add` and `import`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleMatch {
    /// Equal after normalisation (case, punctuation, spacing).
    Equal,
    /// Near-identical with the same words: one typo in one word, or the words reordered.
    Typo,
    /// Near-identical, one title being the other's main title or subtitle: the same paper,
    /// but not a spelling to correct.
    Part,
    /// Different titles.
    Different,
}

/// Compares two titles, each read once.
pub fn title_match(a: &str, b: &str) -> TitleMatch {
    let (a, b) = (ReadTitle::new(a), ReadTitle::new(b));
    if a.normalized() == b.normalized() {
        TitleMatch::Equal
    } else if !a.matches(&b) {
        TitleMatch::Different
    } else if a.word_count() == b.word_count() {
        TitleMatch::Typo
    } else {
        TitleMatch::Part
    }
}

/// Whether two author lists share a family name (as the model splits names, so `Ling Liu`,
/// `L. Liu` and `Liu, Ling` agree; ignoring case).
pub fn authors_agree(a: &[String], b: &[String]) -> bool {
    let family = |n: &String| Name::parse(n).family().to_lowercase();
    let theirs: HashSet<String> = b.iter().map(family).collect();
    a.iter()
        .map(family)
        .any(|f| !f.is_empty() && theirs.contains(&f))
}

/// A DOI worth filling: not arXiv's own (`10.48550/arXiv.ID` only repeats the arXiv id).
fn useful_doi(doi: &str) -> Option<Doi> {
    let doi = doi.trim();
    if doi.to_ascii_lowercase().starts_with("10.48550/") {
        return None;
    }
    doi.parse().ok()
}

/// The DBLP hits that are this paper: title equal or a typo apart, year not earlier than the
/// record's, and an author in common when authors are known.
pub fn dblp_matches<'h>(paper: &Paper, known: &[String], hits: &'h [DblpHit]) -> Vec<&'h DblpHit> {
    hits.iter()
        .filter(|h| title_match(&h.title, &paper.title) != TitleMatch::Different)
        .filter(|h| h.year.is_some_and(|y| y >= paper.date.year()))
        .filter(|h| known.is_empty() || authors_agree(known, &h.authors))
        .collect()
}

/// The arXiv id the matching DBLP hits point to (a CoRR record, or an arxiv.org edition), for
/// a record without one: the command fetches it and [`propose`] decides.
pub fn arxiv_candidate(paper: &Paper, hits: &[DblpHit]) -> Option<ArxivId> {
    if paper.arxiv.is_some() {
        return None;
    }
    dblp_matches(paper, &paper.authors, hits)
        .into_iter()
        .find_map(|h| {
            h.ee.iter().find_map(|u| ArxivId::from_url(u)).or_else(|| {
                let doi = h.doi.as_deref()?.to_ascii_lowercase();
                let id = doi.strip_prefix("10.48550/arxiv.")?;
                id.parse().ok()
            })
        })
}

/// The DOI the record would have after the arXiv and DBLP fills, for the Crossref request.
pub fn doi_candidate(paper: &Paper, answers: &Answers<'_>) -> Option<Doi> {
    if paper.doi.is_some() {
        return paper.doi.clone();
    }
    let known = known_authors(paper, answers);
    accepted_arxiv(paper, &known, answers)
        .and_then(|e| e.doi.as_deref().and_then(useful_doi))
        .or_else(|| {
            dblp_matches(paper, &known, answers.dblp)
                .into_iter()
                .filter(|h| !h.is_preprint())
                .find_map(|h| h.doi.as_deref().and_then(useful_doi))
        })
}

/// The authors the record has, else those its OpenReview forum names.
fn known_authors(paper: &Paper, answers: &Answers<'_>) -> Vec<String> {
    if !paper.authors.is_empty() {
        return paper.authors.clone();
    }
    answers
        .openreview
        .map(|n| n.authors.clone())
        .unwrap_or_default()
}

/// The arXiv entry when it is this paper's: the record's own id, or a candidate whose title
/// matches and whose authors (or DOI) agree.
fn accepted_arxiv<'a>(
    paper: &Paper,
    known: &[String],
    answers: &Answers<'a>,
) -> Option<&'a ArxivEntry> {
    let entry = answers.arxiv?;
    match &paper.arxiv {
        Some(id) => (&entry.id == id).then_some(entry),
        None => {
            let titles = title_match(&entry.title, &paper.title) != TitleMatch::Different;
            let mut known = known.to_vec();
            if known.is_empty() {
                known = dblp_matches(paper, &[], answers.dblp)
                    .first()
                    .map(|h| h.authors.clone())
                    .unwrap_or_default();
            }
            let doi = paper.doi.as_ref().is_some_and(|d| {
                entry
                    .doi
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(d.as_str()))
            });
            (titles && (authors_agree(&known, &entry.authors) || doi)).then_some(entry)
        }
    }
}

/// The venue an OpenReview note states, when the paper was accepted.
pub fn openreview_venue(note: &OpenReviewNote, registry: &Registry) -> Option<VenueClaim> {
    if note.standing() != Standing::Accepted {
        return None;
    }
    let venueid = note.venueid.as_deref()?;
    let venue = note.venue.as_deref().unwrap_or_default();
    let evidence = format!(
        "{}: \"{}\"",
        note.id,
        note.venue.as_deref().unwrap_or(venueid)
    );
    let segments: Vec<&str> = venueid.split('/').collect();
    let group = segments.first().copied().unwrap_or_default();
    let Some(index) = registry.by_source(Spelling::OpenReview, group) else {
        return Some(VenueClaim {
            source: "openreview",
            evidence,
            venue: Err(unknown(Spelling::OpenReview, group)),
        });
    };
    let series = registry.get(index)?.name.clone();
    let year = segments
        .iter()
        .chain(venue.split_whitespace().collect::<Vec<_>>().iter())
        .find_map(|s| year_of(s))?;
    let qualifier = match segments.iter().position(|s| *s == "Workshop") {
        Some(i) => segments.get(i + 1).map(|name| format!("Workshop {name}")),
        None => venue
            .split_whitespace()
            .find(|w| matches!(w.to_lowercase().as_str(), "oral" | "spotlight"))
            .map(capitalise),
    };
    Some(VenueClaim {
        source: "openreview",
        evidence,
        venue: Ok(Placed {
            series,
            year,
            qualifier,
        }),
    })
}

/// The venue of a DBLP hit that is not a preprint.
pub fn dblp_venue(hit: &DblpHit, registry: &Registry) -> Option<VenueClaim> {
    if hit.is_preprint() {
        return None;
    }
    let written = hit.venues.first()?;
    let evidence = format!("{}: \"{written}\"", hit.key);
    let Some(index) = registry.by_source(Spelling::Dblp, written) else {
        return Some(VenueClaim {
            source: "dblp",
            evidence,
            venue: Err(unknown(Spelling::Dblp, written)),
        });
    };
    let qualifier = strip_parenthetical(written)
        .map(|(_, q)| q)
        .filter(|q| !q.bytes().all(|b| b.is_ascii_digit()))
        .map(capitalise);
    Some(VenueClaim {
        source: "dblp",
        evidence,
        venue: Ok(Placed {
            series: registry.get(index)?.name.clone(),
            year: hit.year?,
            qualifier,
        }),
    })
}

/// The venue of a Crossref record that is published (not `posted-content`, a preprint).
pub fn crossref_venue(work: &CrossrefWork, registry: &Registry) -> Option<VenueClaim> {
    if work.kind == "posted-content" {
        return None;
    }
    let container = work.container.as_deref()?;
    let evidence = format!("{}: \"{container}\"", work.doi);
    let Some(index) = registry.by_source(Spelling::Crossref, container) else {
        return Some(VenueClaim {
            source: "crossref",
            evidence,
            venue: Err(unknown(Spelling::Crossref, container)),
        });
    };
    let qualifier = container
        .to_lowercase()
        .starts_with("findings")
        .then(|| "Findings".to_owned());
    Some(VenueClaim {
        source: "crossref",
        evidence,
        venue: Ok(Placed {
            series: registry.get(index)?.name.clone(),
            year: work.published?.year(),
            qualifier,
        }),
    })
}

/// What to add to the registry for a spelling it does not know.
fn unknown(source: Spelling, written: &str) -> String {
    format!(
        "the registry has no series that {} spells `{written}`: add it to that series' \
         `sources: {{{}: [...]}}` in list.yaml (or add the series)",
        match source {
            Spelling::Dblp => "DBLP",
            Spelling::Crossref => "Crossref",
            Spelling::OpenReview => "OpenReview",
        },
        source.key()
    )
}

/// Whether a venue's year is the forum's (when both are known): a paper withdrawn from ICLR
/// 2025 may be published at ICLR 2026.
fn same_year(year: Option<i16>, note: &OpenReviewNote) -> bool {
    let of_note = note
        .venueid
        .as_deref()
        .and_then(|v| v.split('/').find_map(year_of))
        .or_else(|| {
            note.venue
                .as_deref()
                .and_then(|v| v.split_whitespace().find_map(year_of))
        });
    match (year, of_note) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

fn year_of(s: &str) -> Option<i16> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|y| (1900..=2999).contains(y))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// Everything the answers say about the record that it does not already say, as proposals
/// in field order.
pub fn propose(paper: &Paper, registry: &Registry, answers: &Answers<'_>) -> Vec<Proposal> {
    let mut out = Vec::new();
    let mut authors = paper.authors.clone();
    let mut doi = paper.doi.clone();
    let known = known_authors(paper, answers);
    let matches = dblp_matches(paper, &known, answers.dblp);
    let mut push = |field, action, old, new, source, evidence: String| {
        out.push(Proposal {
            field,
            action,
            old,
            new,
            source,
            evidence,
        });
    };

    if let Some(e) = accepted_arxiv(paper, &known, answers) {
        let ev = |what: &str| format!("{}: {what}", e.id);
        if paper.arxiv.is_none() {
            push(
                Field::Arxiv,
                Action::Fill,
                Value::None,
                Value::Text(e.id.to_string()),
                "arxiv",
                ev(&format!("\"{}\"", e.title)),
            );
        }
        match title_match(&e.title, &paper.title) {
            TitleMatch::Equal => {}
            TitleMatch::Typo => push(
                Field::Title,
                Action::Correct,
                Value::Text(paper.title.clone()),
                Value::Text(e.title.clone()),
                "arxiv",
                ev("the title of the arXiv record"),
            ),
            TitleMatch::Part | TitleMatch::Different => push(
                Field::Title,
                Action::Conflict,
                Value::Text(paper.title.clone()),
                Value::Text(e.title.clone()),
                "arxiv",
                ev("the arXiv record has another title"),
            ),
        }
        if is_later(paper.date, e.published) {
            push(
                Field::Date,
                Action::Correct,
                Value::Text(paper.date.to_string()),
                Value::Text(e.published.to_string()),
                "arxiv",
                ev(&format!("version 1 of {}", e.published)),
            );
        }
        if authors.is_empty() && !e.authors.is_empty() {
            authors = e.authors.clone();
            push(
                Field::Authors,
                Action::Fill,
                Value::None,
                Value::List(e.authors.clone()),
                "arxiv",
                ev(&format!("{} author(s)", e.authors.len())),
            );
        }
        if doi.is_none()
            && let Some(d) = e.doi.as_deref().and_then(useful_doi)
        {
            push(
                Field::Doi,
                Action::Fill,
                Value::None,
                Value::Text(d.to_string()),
                "arxiv",
                ev("arxiv:doi"),
            );
            doi = Some(d);
        }
    }

    let mut claims: Vec<VenueClaim> = Vec::new();
    // The venue the record would have after a correction (a withdrawn paper's is removed).
    let mut venue = paper.venue.clone();
    if let Some(note) = answers.openreview {
        let ev = format!("{}: \"{}\"", note.id, note.venue.as_deref().unwrap_or("?"));
        if authors.is_empty() && !note.authors.is_empty() {
            authors = note.authors.clone();
            push(
                Field::Authors,
                Action::Fill,
                Value::None,
                Value::List(note.authors.clone()),
                "openreview",
                format!("{}: {} author(s)", note.id, note.authors.len()),
            );
        }
        let standing = note.standing();
        let group = note
            .venueid
            .as_deref()
            .and_then(|v| v.split('/').next())
            .and_then(|g| registry.by_source(Spelling::OpenReview, g));
        if matches!(
            standing,
            Standing::Withdrawn | Standing::Rejected | Standing::Submitted
        ) && let Some(current) = paper.venue.as_deref()
            && let Some(placed) = registry.place(current)
            && Some(placed.series) == group
            && same_year(placed.year, note)
        {
            push(
                Field::Venue,
                Action::Correct,
                Value::Text(current.to_owned()),
                Value::None,
                "openreview",
                ev,
            );
            venue = None;
        }
        claims.extend(openreview_venue(note, registry));
    }

    if authors.is_empty()
        && let Some(h) = matches.iter().find(|h| !h.authors.is_empty())
    {
        authors = h.authors.clone();
        push(
            Field::Authors,
            Action::Fill,
            Value::None,
            Value::List(h.authors.clone()),
            "dblp",
            format!("{}: {} author(s)", h.key, h.authors.len()),
        );
    }
    if doi.is_none()
        && let Some((h, d)) = matches
            .iter()
            .filter(|h| !h.is_preprint())
            .find_map(|h| h.doi.as_deref().and_then(useful_doi).map(|d| (h, d)))
    {
        push(
            Field::Doi,
            Action::Fill,
            Value::None,
            Value::Text(d.to_string()),
            "dblp",
            format!("{}: \"{}\"", h.key, h.title),
        );
        doi = Some(d);
    }
    if paper.openreview.is_none()
        && let Some((h, id)) = matches.iter().find_map(|h| {
            h.ee.iter()
                .find_map(|u| OpenReviewId::from_url(u))
                .map(|id| (h, id))
        })
    {
        push(
            Field::Openreview,
            Action::Fill,
            Value::None,
            Value::Text(id.to_string()),
            "dblp",
            format!("{}: \"{}\"", h.key, h.title),
        );
    }
    claims.extend(matches.iter().filter_map(|h| dblp_venue(h, registry)));

    if let Some(work) = answers.crossref
        && doi
            .as_ref()
            .is_some_and(|d| d.as_str().eq_ignore_ascii_case(&work.doi))
    {
        if authors.is_empty() && !work.authors.is_empty() {
            push(
                Field::Authors,
                Action::Fill,
                Value::None,
                Value::List(work.authors.clone()),
                "crossref",
                format!("{}: {} author(s)", work.doi, work.authors.len()),
            );
        }
        claims.extend(crossref_venue(work, registry));
    }

    venue_proposals(venue.as_deref(), registry, claims, &mut push);
    let order = |p: &Proposal| p.field.index();
    out.sort_by_key(order);
    out
}

/// Whether the record's date is later than arXiv's version 1 (a date that only says less,
/// `2024-02` for `2024-02-02`, is not).
fn is_later(record: PartialDate, arxiv: PartialDate) -> bool {
    let month = record.month();
    let day = record.day();
    let (ry, rm, rd) = (record.year(), month.unwrap_or(0), day.unwrap_or(0));
    let (ay, am, ad) = (
        arxiv.year(),
        arxiv.month().unwrap_or(0),
        arxiv.day().unwrap_or(0),
    );
    match (month, day) {
        (None, _) => ry > ay,
        (Some(_), None) => (ry, rm) > (ay, am),
        (Some(_), Some(_)) => (ry, rm, rd) > (ay, am, ad),
    }
}

/// The venue proposals from the claims: a conflict per unknown series, a conflict when the
/// known ones disagree with each other or with the record, else a fill for a record without
/// a venue.
fn venue_proposals(
    current: Option<&str>,
    registry: &Registry,
    claims: Vec<VenueClaim>,
    push: &mut impl FnMut(Field, Action, Value, Value, &'static str, String),
) {
    let old = Value::opt(current);
    let mut known: Vec<(Placed, &'static str, String)> = Vec::new();
    for claim in claims {
        match claim.venue {
            Ok(placed) => known.push((placed, claim.source, claim.evidence)),
            Err(what) => push(
                Field::Venue,
                Action::Conflict,
                old.clone(),
                Value::None,
                claim.source,
                format!("{}; {what}", claim.evidence),
            ),
        }
    }
    let Some(first) = known.first() else {
        return;
    };
    if known.iter().any(|(p, _, _)| p.key() != first.0.key()) {
        for (placed, source, evidence) in &known {
            push(
                Field::Venue,
                Action::Conflict,
                old.clone(),
                Value::Text(placed.canonical()),
                source,
                format!("{evidence}; the sources disagree"),
            );
        }
        return;
    }
    // All agree: the most precise spelling (one with a qualifier), else the first source's.
    let (best, source, evidence) = known
        .iter()
        .find(|(p, _, _)| p.qualifier.is_some())
        .unwrap_or(first);
    match current {
        None => push(
            Field::Venue,
            Action::Fill,
            Value::None,
            Value::Text(best.canonical()),
            source,
            evidence.clone(),
        ),
        Some(current) => {
            let same = registry.resolve(current).is_some_and(|r| {
                Placed {
                    series: r.series.name.clone(),
                    year: r.year.unwrap_or_default(),
                    qualifier: r.qualifier.clone(),
                }
                .key()
                    == best.key()
            });
            if !same && registry.resolve(current).is_some() {
                push(
                    Field::Venue,
                    Action::Conflict,
                    old,
                    Value::Text(best.canonical()),
                    source,
                    evidence.clone(),
                );
            }
        }
    }
}

/// The record with every fill and correction applied (conflicts are not); an error names a
/// value that is not valid for its field.
pub fn apply(paper: &Paper, proposals: &[Proposal]) -> Result<Paper, String> {
    let mut out = paper.clone();
    for p in proposals.iter().filter(|p| p.action != Action::Conflict) {
        let text = match &p.new {
            Value::Text(t) => Some(t.clone()),
            Value::None => None,
            Value::List(_) => None,
        };
        let bad = |e: &dyn std::fmt::Display| format!("{} `{}`: {e}", p.field, p.new);
        match (p.field, &p.new) {
            (Field::Authors, Value::List(list)) => out.authors = list.clone(),
            (Field::Title, Value::Text(t)) => out.title = t.clone(),
            (Field::Date, Value::Text(t)) => out.date = t.parse().map_err(|e| bad(&e))?,
            (Field::Venue, _) => out.venue = text,
            (Field::Arxiv, Value::Text(t)) => out.arxiv = Some(t.parse().map_err(|e| bad(&e))?),
            (Field::Doi, Value::Text(t)) => out.doi = Some(t.parse().map_err(|e| bad(&e))?),
            (Field::Openreview, Value::Text(t)) => {
                out.openreview = Some(t.parse().map_err(|e| bad(&e))?);
            }
            (field, _) => return Err(format!("refresh cannot set `{field}` to `{}`", p.new)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::paper::Kind;
    use crate::model::venue::conference_spelled;

    fn registry() -> Registry {
        let s = conference_spelled;
        Registry::new(vec![
            s("ICLR", &["ICLR"], &[], &["ICLR.cc"]),
            s("NeurIPS", &["NeurIPS"], &[], &["NeurIPS.cc"]),
            s(
                "ACL",
                &["ACL"],
                &["Findings of the Association for Computational Linguistics ACL"],
                &[],
            ),
        ])
        .unwrap()
    }

    fn paper(title: &str, date: &str) -> Paper {
        Paper::new(title.to_owned(), Kind::Attack, date.parse().unwrap())
    }

    const TITLE: &str = "A Fictional Study of Harmful Fine-tuning";

    fn entry(id: &str, title: &str, published: &str, authors: &[&str]) -> ArxivEntry {
        ArxivEntry {
            id: id.parse().unwrap(),
            version: Some(1),
            title: title.to_owned(),
            authors: authors.iter().map(|a| (*a).to_owned()).collect(),
            published: published.parse().unwrap(),
            updated: None,
            summary: String::new(),
            comment: None,
            journal_ref: None,
            doi: None,
            primary_category: None,
            abs_url: None,
            pdf_url: None,
        }
    }

    fn note(venue: &str, venueid: &str) -> OpenReviewNote {
        OpenReviewNote {
            id: "h4rmFtExmp".into(),
            title: TITLE.into(),
            authors: vec!["Ada Lovelace".into()],
            venue: Some(venue.into()),
            venueid: Some(venueid.into()),
        }
    }

    fn hit(title: &str, venue: &str, year: i16, authors: &[&str]) -> DblpHit {
        DblpHit {
            title: title.to_owned(),
            authors: authors.iter().map(|a| (*a).to_owned()).collect(),
            venues: vec![venue.to_owned()],
            year: Some(year),
            kind: if venue == "CoRR" {
                crate::sources::dblp::INFORMAL.to_owned()
            } else {
                "Conference and Workshop Papers".to_owned()
            },
            doi: None,
            ee: vec![],
            key: format!("conf/x/{venue}{year}"),
        }
    }

    fn summary(proposals: &[Proposal]) -> Vec<String> {
        proposals
            .iter()
            .map(|p| {
                format!(
                    "{} {}: {} -> {} [{}]",
                    p.action.as_str(),
                    p.field,
                    p.old,
                    p.new,
                    p.source
                )
            })
            .collect()
    }

    #[test]
    fn arxiv_fills_authors_and_doi_and_corrects_a_late_date_and_a_typo() {
        let mut p = paper("A Fictonal Study of Harmful Fine-tuning", "2024-03-01");
        p.arxiv = Some("2402.01109".parse().unwrap());
        let mut e = entry(
            "2402.01109",
            TITLE,
            "2024-02-02",
            &["Ada Lovelace", "Alan Turing"],
        );
        e.doi = Some("10.1145/3712003".into());
        let answers = Answers {
            arxiv: Some(&e),
            ..Answers::default()
        };
        assert_eq!(
            summary(&propose(&p, &registry(), &answers)),
            [
                format!(
                    "correct title: A Fictonal Study of Harmful Fine-tuning -> {TITLE} [arxiv]"
                ),
                "correct date: 2024-03-01 -> 2024-02-02 [arxiv]".to_owned(),
                "fill authors: (none) -> Ada Lovelace, Alan Turing [arxiv]".to_owned(),
                "fill doi: (none) -> 10.1145/3712003 [arxiv]".to_owned(),
            ]
        );
    }

    #[test]
    fn a_less_precise_or_earlier_date_and_arxiv_dois_are_left_alone() {
        let mut p = paper(TITLE, "2024-02");
        p.arxiv = Some("2402.01109".parse().unwrap());
        p.authors = vec!["Ada Lovelace".into()];
        let mut e = entry("2402.01109", TITLE, "2024-02-02", &["Ada Lovelace"]);
        e.doi = Some("10.48550/arXiv.2402.01109".into());
        let answers = Answers {
            arxiv: Some(&e),
            ..Answers::default()
        };
        assert_eq!(propose(&p, &registry(), &answers), []);
        assert!(is_later(
            "2024-03".parse().unwrap(),
            "2024-02-02".parse().unwrap()
        ));
        assert!(!is_later(
            "2024".parse().unwrap(),
            "2024-02-02".parse().unwrap()
        ));
        assert!(!is_later(
            "2024-01-30".parse().unwrap(),
            "2024-02-02".parse().unwrap()
        ));
    }

    #[test]
    fn a_very_different_arxiv_title_is_a_conflict() {
        let mut p = paper(TITLE, "2024-02-02");
        p.arxiv = Some("2402.01109".parse().unwrap());
        p.authors = vec!["Ada Lovelace".into()];
        let e = entry(
            "2402.01109",
            "Something Else Entirely, at Length",
            "2024-02-02",
            &["Ada Lovelace"],
        );
        let answers = Answers {
            arxiv: Some(&e),
            ..Answers::default()
        };
        let got = propose(&p, &registry(), &answers);
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].field, got[0].action),
            (Field::Title, Action::Conflict)
        );
    }

    #[test]
    fn an_accepted_openreview_forum_fills_the_venue_without_poster() {
        let mut p = paper(TITLE, "2025-09-20");
        p.openreview = Some("h4rmFtExmp".parse().unwrap());
        for (venue, expected) in [
            ("ICLR 2026 Poster", "ICLR 2026"),
            ("ICLR 2026 Oral", "ICLR 2026 Oral"),
            ("ICLR 2026 Spotlight", "ICLR 2026 Spotlight"),
        ] {
            let n = note(venue, "ICLR.cc/2026/Conference");
            let answers = Answers {
                openreview: Some(&n),
                ..Answers::default()
            };
            let got = propose(&p, &registry(), &answers);
            assert_eq!(
                summary(&got),
                [
                    "fill venue: (none) -> ".to_owned() + expected + " [openreview]",
                    "fill authors: (none) -> Ada Lovelace [openreview]".to_owned(),
                ]
            );
            assert_eq!(got[0].evidence, format!("h4rmFtExmp: \"{venue}\""));
        }
        let n = note(
            "NeurIPS 2024 Workshop SafeGenAI",
            "NeurIPS.cc/2024/Workshop/SafeGenAI",
        );
        let claim = openreview_venue(&n, &registry()).unwrap();
        assert_eq!(
            claim.venue.unwrap().canonical(),
            "NeurIPS 2024 Workshop SafeGenAI"
        );
    }

    #[test]
    fn a_withdrawn_or_rejected_forum_corrects_the_venue() {
        let mut p = paper(TITLE, "2024-09-20");
        p.openreview = Some("h4rmFtExmp".parse().unwrap());
        p.authors = vec!["Ada Lovelace".into()];
        p.venue = Some("ICLR 2025".into());
        for (venue, venueid) in [
            (
                "ICLR 2025 Conference Withdrawn Submission",
                "ICLR.cc/2025/Conference/Withdrawn_Submission",
            ),
            (
                "Submitted to ICLR 2025",
                "ICLR.cc/2025/Conference/Rejected_Submission",
            ),
        ] {
            let n = note(venue, venueid);
            let answers = Answers {
                openreview: Some(&n),
                ..Answers::default()
            };
            assert_eq!(
                summary(&propose(&p, &registry(), &answers)),
                ["correct venue: ICLR 2025 -> (none) [openreview]"]
            );
        }
        // Withdrawn from ICLR 2025, published at ICLR 2026: the 2026 venue stands.
        p.venue = Some("ICLR 2026".into());
        let n = note(
            "ICLR 2025 Conference Withdrawn Submission",
            "ICLR.cc/2025/Conference/Withdrawn_Submission",
        );
        let answers = Answers {
            openreview: Some(&n),
            ..Answers::default()
        };
        assert_eq!(propose(&p, &registry(), &answers), []);
        // Rejected at ICLR, published at NeurIPS: the NeurIPS venue stands.
        p.venue = Some("NeurIPS 2025".into());
        let n = note(
            "Submitted to ICLR 2025",
            "ICLR.cc/2025/Conference/Rejected_Submission",
        );
        let answers = Answers {
            openreview: Some(&n),
            ..Answers::default()
        };
        assert_eq!(propose(&p, &registry(), &answers), []);
    }

    #[test]
    fn dblp_hits_count_only_when_title_year_and_authors_agree() {
        let mut p = paper(TITLE, "2025-01-10");
        p.authors = vec!["Ada Lovelace".into()];
        let hits = [
            hit("A Different Paper", "ICLR", 2025, &["Ada Lovelace"]),
            hit(TITLE, "ICLR", 2024, &["Ada Lovelace"]),
            hit(TITLE, "NeurIPS", 2025, &["Grace Hopper"]),
            hit(TITLE, "CoRR", 2025, &["Ada Lovelace"]),
        ];
        let answers = Answers {
            dblp: &hits,
            ..Answers::default()
        };
        assert_eq!(propose(&p, &registry(), &answers), []);
        let good = [hit(
            &format!("{TITLE}."),
            "ACL (Findings)",
            2025,
            &["Ada Lovelace"],
        )];
        let answers = Answers {
            dblp: &good,
            ..Answers::default()
        };
        assert_eq!(
            summary(&propose(&p, &registry(), &answers)),
            ["fill venue: (none) -> ACL 2025 Findings [dblp]"]
        );
    }

    #[test]
    fn an_unknown_series_and_disagreeing_sources_are_conflicts() {
        let p = paper(TITLE, "2025-01-10");
        let hits = [hit(TITLE, "AISec@CCS", 2025, &["Ada Lovelace"])];
        let answers = Answers {
            dblp: &hits,
            ..Answers::default()
        };
        let got = propose(&p, &registry(), &answers);
        assert_eq!(got[0].action, Action::Conflict);
        assert_eq!(got[0].field, Field::Venue);
        assert!(
            got[0]
                .evidence
                .contains("`AISec@CCS`: add it to that series' `sources: {dblp: [...]}`"),
            "{}",
            got[0].evidence
        );

        let mut p = paper(TITLE, "2025-01-10");
        p.openreview = Some("h4rmFtExmp".parse().unwrap());
        p.authors = vec!["Ada Lovelace".into()];
        let n = note("ICLR 2025 Poster", "ICLR.cc/2025/Conference");
        let hits = [hit(TITLE, "NeurIPS", 2025, &["Ada Lovelace"])];
        let answers = Answers {
            openreview: Some(&n),
            dblp: &hits,
            ..Answers::default()
        };
        assert_eq!(
            summary(&propose(&p, &registry(), &answers)),
            [
                "conflict venue: (none) -> ICLR 2025 [openreview]",
                "conflict venue: (none) -> NeurIPS 2025 [dblp]",
            ]
        );
        // The record says one venue, the sources another.
        p.venue = Some("NeurIPS 2025".into());
        let answers = Answers {
            openreview: Some(&n),
            ..Answers::default()
        };
        assert_eq!(
            summary(&propose(&p, &registry(), &answers)),
            ["conflict venue: NeurIPS 2025 -> ICLR 2025 [openreview]"]
        );
    }

    #[test]
    fn an_arxiv_id_from_dblp_needs_the_title_and_an_author() {
        let p = paper(TITLE, "2025-01-10");
        let mut corr = hit(TITLE, "CoRR", 2025, &["Ada Lovelace"]);
        corr.doi = Some("10.48550/ARXIV.2501.00001".into());
        let hits = [corr];
        assert_eq!(
            arxiv_candidate(&p, &hits),
            Some("2501.00001".parse().unwrap())
        );
        let e = entry("2501.00001", TITLE, "2025-01-02", &["Ada Lovelace"]);
        let answers = Answers {
            arxiv: Some(&e),
            dblp: &hits,
            ..Answers::default()
        };
        let got = summary(&propose(&p, &registry(), &answers));
        assert_eq!(
            got,
            [
                "correct date: 2025-01-10 -> 2025-01-02 [arxiv]",
                "fill authors: (none) -> Ada Lovelace [arxiv]",
                "fill arxiv: (none) -> 2501.00001 [arxiv]",
            ]
        );
        let stranger = entry("2501.00001", TITLE, "2025-01-02", &["Grace Hopper"]);
        let answers = Answers {
            arxiv: Some(&stranger),
            dblp: &hits,
            ..Answers::default()
        };
        assert!(
            !summary(&propose(&p, &registry(), &answers))
                .iter()
                .any(|s| s.contains("arxiv:"))
        );
    }

    #[test]
    fn crossref_places_findings_and_apply_writes_fills_only() {
        let mut p = paper(TITLE, "2024-05-01");
        p.doi = Some("10.18653/v1/2024.findings-acl.549".parse().unwrap());
        let work = CrossrefWork {
            doi: "10.18653/v1/2024.findings-acl.549".into(),
            title: TITLE.into(),
            container: Some(
                "Findings of the Association for Computational Linguistics ACL 2024".into(),
            ),
            published: Some("2024".parse().unwrap()),
            authors: vec!["Ada Lovelace".into()],
            kind: "proceedings-article".into(),
        };
        let answers = Answers {
            crossref: Some(&work),
            ..Answers::default()
        };
        let got = propose(&p, &registry(), &answers);
        assert_eq!(
            summary(&got),
            [
                "fill venue: (none) -> ACL 2024 Findings [crossref]",
                "fill authors: (none) -> Ada Lovelace [crossref]",
            ]
        );
        let applied = apply(&p, &got).unwrap();
        assert_eq!(applied.venue.as_deref(), Some("ACL 2024 Findings"));
        assert_eq!(applied.authors, ["Ada Lovelace"]);
        assert_eq!(propose(&applied, &registry(), &answers), []);
        let conflict = Proposal {
            action: Action::Conflict,
            ..got[0].clone()
        };
        assert_eq!(apply(&p, &[conflict]).unwrap(), p);
        let bad = Proposal {
            field: Field::Date,
            new: Value::Text("soon".into()),
            ..got[0].clone()
        };
        assert!(apply(&p, &[bad]).unwrap_err().starts_with("date `soon`"));
    }

    #[test]
    fn titles_and_authors_compare_loosely() {
        assert_eq!(
            title_match("Vaccine: A B", "vaccine a b"),
            TitleMatch::Equal
        );
        assert_eq!(
            title_match(
                "Harmful Fine-tuning Attacks",
                "Harmful Fine-tunning Attacks"
            ),
            TitleMatch::Typo
        );
        assert_eq!(title_match("Short a", "Short b"), TitleMatch::Different);
        assert_eq!(
            title_match(
                "Vaccine: Perturbation-aware Alignment for Large Language Models",
                "Perturbation-aware Alignment for Large Language Models"
            ),
            TitleMatch::Part
        );
        assert_eq!(
            title_match("Attacks on Safety Alignment", "Safety Alignment Attacks on"),
            TitleMatch::Typo
        );
        // Two typos are two facts to check, not one spelling to correct.
        assert_eq!(
            title_match(
                "Harmful Fine-tuning Attacks on Models",
                "Harmfull Fine-tunning Attacks on Models"
            ),
            TitleMatch::Different
        );
        assert!(authors_agree(&["Liu, Ling".into()], &["Ling Liu".into()]));
        assert!(authors_agree(
            &["José García Jr.".into()],
            &["J. García".into()]
        ));
        assert!(authors_agree(&["Ling Liu".into()], &["L. Liu".into()]));
        assert!(!authors_agree(&["Ling Liu".into()], &["Ling Wang".into()]));
        assert!(!authors_agree(&[], &["Ling Wang".into()]));
    }
}
