//! `hftlist refresh`: asks arXiv, OpenReview, DBLP and Crossref about the selected records and
//! proposes fills, corrections and conflicts ([`crate::sources::refresh`] decides); `--write` applies
//! the fills and corrections through the store's update-in-place save.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::catalog::{Catalog, Record};
use crate::checks::lint;
use crate::exit;
use crate::model::diag::Severity;
use crate::model::ident::ArxivId;
use crate::model::paper::Paper;
use crate::sources::arxiv::{self, ArxivEntry};
use crate::sources::crossref::{self, CrossrefWork};
use crate::sources::dblp::{self, DblpHit};
use crate::sources::openreview::{self, OpenReviewNote};
use crate::sources::refresh::{self, Action, Answers, Proposal};
use crate::sources::{Client, Options};
use crate::store::db;

/// A service refresh can ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Source {
    /// The arXiv API: titles, authors, first-version dates, DOIs.
    Arxiv,
    /// OpenReview: venues and decisions of forums, authors.
    Openreview,
    /// DBLP: published venues, DOIs, OpenReview and arXiv editions of preprints.
    Dblp,
    /// Crossref: the journal or proceedings of a DOI, authors.
    Crossref,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Self::Arxiv => "arXiv",
            Self::Openreview => "OpenReview",
            Self::Dblp => "DBLP",
            Self::Crossref => "Crossref",
        }
    }
}

/// How proposals are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `papers/x.yaml:LINE: fill venue: (none) -> ICLR 2026 [openreview ID: "ICLR 2026 Poster"]`
    /// per proposal, then a summary.
    #[default]
    Human,
    /// A JSON array of `{"id", "field", "action", "old", "new", "source", "evidence"}`.
    Json,
}

/// Arguments of `refresh`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which records (default: every record with something missing: no venue, no authors or
    /// no arXiv id).
    #[command(flatten)]
    pub filters: super::Filters,

    /// Re-check every selected record, complete or not.
    #[arg(long)]
    pub all: bool,

    /// Apply every fill and correction (never a conflict); the database must validate
    /// afterwards or nothing is written.
    #[arg(long)]
    pub write: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Only these sources, comma-separated [default: all four].
    #[arg(
        long = "source",
        value_enum,
        value_delimiter = ',',
        value_name = "SOURCES"
    )]
    pub sources: Vec<Source>,

    /// Use only answers already in the cache; never connect.
    #[arg(long)]
    pub offline: bool,

    /// Seconds one request may take, waits it asks for included (1 to 3600).
    #[arg(long, default_value_t = 30, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

/// One proposal as `--format json` prints it.
#[derive(Serialize)]
struct JsonProposal<'a> {
    id: &'a str,
    #[serde(flatten)]
    proposal: &'a Proposal,
}

/// What was asked and what failed, per source.
#[derive(Default)]
struct Tally {
    ok: usize,
    failures: usize,
    held: Vec<String>,
    failed: BTreeMap<Source, Vec<String>>,
    first_error: Option<String>,
}

impl Tally {
    /// Counts one request's outcome for some records; a failure warns on stderr.
    fn record<T>(
        &mut self,
        source: Source,
        files: &[&Path],
        result: anyhow::Result<T>,
    ) -> Option<T> {
        match result {
            Ok(v) => {
                self.ok += 1;
                for warning in self.held.drain(..) {
                    crate::sources::warn(&warning);
                }
                Some(v)
            }
            Err(e) => {
                let message = format!("{e:#}");
                let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                let shown = match names.as_slice() {
                    [one] => one.clone(),
                    many => format!("{} record(s)", many.len()),
                };
                let warning = format!("{shown}: {} not checked: {message}", source.name());
                // Until something answers, a failure may be the whole network's: held back, so
                // that a run where nothing answers ends in one error, not a warning per record.
                if self.ok == 0 {
                    self.held.push(warning);
                } else {
                    crate::sources::warn(&warning);
                }
                self.failures += 1;
                self.first_error.get_or_insert(message);
                self.failed.entry(source).or_default().extend(names);
                None
            }
        }
    }

    /// Whether requests were made and none of them was answered.
    fn all_failed(&self) -> bool {
        self.ok == 0 && !self.failed.is_empty()
    }
}

/// Shows how far the run is on stderr, only on a terminal and only once the run takes more
/// than a second: a line every tenth record (between the client's own "fetching" lines).
struct Progress {
    start: Instant,
    total: usize,
    tty: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Self {
            start: Instant::now(),
            total,
            tty: std::io::stderr().is_terminal(),
        }
    }

    fn step(&self, stage: &str, done: usize) {
        if self.tty
            && done > 0
            && done.is_multiple_of(10)
            && self.start.elapsed() > Duration::from_secs(1)
        {
            super::say(format!(
                "hftlist: refresh: {stage} {done}/{} record(s)",
                self.total
            ));
        }
    }
}

/// Whether a record lacks something a source may know (the default selection).
fn incomplete(p: &Paper) -> bool {
    p.venue.is_none() || p.authors.is_empty() || p.arxiv.is_none()
}

/// Whether DBLP is searched for the record: a preprint (its venue may be known), or a paper
/// without an arXiv id (DBLP may know it).
fn wants_dblp(p: &Paper) -> bool {
    p.venue.is_none() || p.arxiv.is_none()
}

/// Runs `refresh`: exit 0 when nothing is proposed or `--write` applied the proposals, 1 when a
/// dry run proposes something (or the database would not validate after writing), 2 when no
/// source could be reached.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(dir)?;
    let selected: Vec<Record<'_>> = super::select(&catalog, &args.filters)?
        .into_iter()
        .filter(|r| args.all || incomplete(&r.paper))
        .collect();
    let enabled = |s: Source| args.sources.is_empty() || args.sources.contains(&s);
    let client = Client::new(Options {
        timeout: Duration::from_secs(args.timeout),
        offline: args.offline,
    });
    let registry = catalog.registry();
    let mut tally = Tally::default();
    let progress = Progress::new(selected.len());

    // arXiv: the catalog's ids in fixed batches, so that the same request (and its cached
    // answer) serves every run while the list's ids stay the same; only batches holding a
    // selected record are asked.
    let mut entries: BTreeMap<ArxivId, ArxivEntry> = BTreeMap::new();
    if enabled(Source::Arxiv) {
        let wanted: BTreeSet<&ArxivId> = selected
            .iter()
            .filter_map(|r| r.paper.arxiv.as_ref())
            .collect();
        let all: BTreeSet<ArxivId> = catalog
            .records()
            .filter_map(|r| r.paper.arxiv.clone())
            .collect();
        let all: Vec<ArxivId> = all.into_iter().collect();
        for chunk in all.chunks(arxiv::BATCH) {
            if !chunk.iter().any(|id| wanted.contains(id)) {
                continue;
            }
            let files: Vec<&Path> = selected
                .iter()
                .filter(|r| r.paper.arxiv.as_ref().is_some_and(|id| chunk.contains(id)))
                .map(|r| r.path.as_path())
                .collect();
            if let Some(batch) =
                tally.record(Source::Arxiv, &files, arxiv::fetch_many(&client, chunk))
            {
                for id in &batch.missing {
                    for r in selected
                        .iter()
                        .filter(|r| r.paper.arxiv.as_ref() == Some(id))
                    {
                        tally.record::<()>(
                            Source::Arxiv,
                            &[r.path.as_path()],
                            Err(anyhow::anyhow!("arXiv has no paper {id} (a wrong id?)")),
                        );
                    }
                }
                entries.extend(batch.entries.into_iter().map(|e| (e.id.clone(), e)));
            }
        }
    }

    let mut notes: Vec<Option<OpenReviewNote>> = Vec::new();
    let mut hits: Vec<Vec<DblpHit>> = Vec::new();
    for (i, r) in selected.iter().enumerate() {
        progress.step("asked about", i);
        let files = [r.path.as_path()];
        notes.push(match (&r.paper.openreview, enabled(Source::Openreview)) {
            (Some(id), true) => {
                tally.record(Source::Openreview, &files, openreview::fetch(&client, id))
            }
            _ => None,
        });
        hits.push(if enabled(Source::Dblp) && wants_dblp(&r.paper) {
            tally
                .record(Source::Dblp, &files, dblp::search(&client, &r.paper.title))
                .unwrap_or_default()
        } else {
            Vec::new()
        });
    }

    // Second round: arXiv ids found through DBLP (one batch), and the DOIs known by now.
    let listed: BTreeSet<ArxivId> = catalog
        .records()
        .filter_map(|r| r.paper.arxiv.clone())
        .collect();
    let candidates: Vec<Option<ArxivId>> = selected
        .iter()
        .zip(&hits)
        .map(|(r, h)| refresh::arxiv_candidate(&r.paper, h))
        // An id another record has already is that record's (a duplicate `validate` reports).
        .map(|c| c.filter(|id| !listed.contains(id)))
        .collect();
    let found: Vec<ArxivId> = candidates
        .iter()
        .flatten()
        .filter(|id| !entries.contains_key(*id))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if enabled(Source::Arxiv) && !found.is_empty() {
        let files: Vec<&Path> = selected
            .iter()
            .zip(&candidates)
            .filter(|(_, c)| c.is_some())
            .map(|(r, _)| r.path.as_path())
            .collect();
        if let Some(batch) = tally.record(Source::Arxiv, &files, arxiv::fetch_many(&client, &found))
        {
            entries.extend(batch.entries.into_iter().map(|e| (e.id.clone(), e)));
        }
    }
    let mailto = mailto(&catalog);
    let mut works: Vec<Option<CrossrefWork>> = Vec::new();
    for (i, r) in selected.iter().enumerate() {
        progress.step("checked", i);
        let answers = answers_for(
            &r.paper,
            &entries,
            &candidates[i],
            &notes[i],
            &hits[i],
            None,
        );
        let work = match (
            refresh::doi_candidate(&r.paper, &answers),
            enabled(Source::Crossref),
        ) {
            (Some(doi), true) => tally.record(
                Source::Crossref,
                &[r.path.as_path()],
                crossref::fetch(&client, &doi, mailto.as_deref()),
            ),
            _ => None,
        };
        works.push(work);
    }

    if tally.all_failed() {
        anyhow::bail!(
            "no source could be reached: {} request(s) failed, the first with: {}; nothing \
             was checked and no file was touched",
            tally.failures,
            tally.first_error.as_deref().unwrap_or("an unknown error")
        );
    }

    let mut proposals: Vec<(usize, Proposal)> = Vec::new();
    for (i, r) in selected.iter().enumerate() {
        let answers = answers_for(
            &r.paper,
            &entries,
            &candidates[i],
            &notes[i],
            &hits[i],
            works[i].as_ref(),
        );
        for p in refresh::propose(&r.paper, registry, &answers) {
            proposals.push((i, p));
        }
    }

    print_proposals(args.format, &selected, &proposals)?;
    let records = proposals
        .iter()
        .map(|(i, _)| *i)
        .collect::<BTreeSet<_>>()
        .len();
    let count = |a: Action| proposals.iter().filter(|(_, p)| p.action == a).count();
    let mut summary = format!(
        "hftlist: refresh: {} proposal(s) for {records} of {} record(s) checked: {} fill, {} \
         correct, {} conflict",
        proposals.len(),
        selected.len(),
        count(Action::Fill),
        count(Action::Correct),
        count(Action::Conflict),
    );
    for (source, files) in &tally.failed {
        let unique: BTreeSet<&String> = files.iter().collect();
        summary.push_str(&format!(
            "\nhftlist: refresh: not checked with {}: {}",
            source.name(),
            unique.into_iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    // One line each: the summary is several lines, and each is escaped on its own.
    for line in summary.lines() {
        super::say(line);
    }

    if !args.write {
        return Ok(exit::code(if proposals.is_empty() {
            exit::SUCCESS
        } else {
            exit::PROBLEMS
        }));
    }
    write(dir, &selected, &proposals)
}

/// The contact address for Crossref: `HFTLIST_MAILTO`, else list.yaml's `mailto`.
pub(crate) fn mailto(catalog: &Catalog) -> Option<String> {
    std::env::var("HFTLIST_MAILTO")
        .ok()
        .filter(|m| !m.trim().is_empty())
        .or_else(|| catalog.list().mailto.clone())
}

/// The answers for one record, from what the rounds fetched.
fn answers_for<'a>(
    paper: &Paper,
    entries: &'a BTreeMap<ArxivId, ArxivEntry>,
    candidate: &Option<ArxivId>,
    note: &'a Option<OpenReviewNote>,
    hits: &'a [DblpHit],
    work: Option<&'a CrossrefWork>,
) -> Answers<'a> {
    let id = paper.arxiv.as_ref().or(candidate.as_ref());
    Answers {
        arxiv: id.and_then(|id| entries.get(id)),
        openreview: note.as_ref(),
        dblp: hits,
        crossref: work,
    }
}

fn print_proposals(
    format: Format,
    selected: &[Record<'_>],
    proposals: &[(usize, Proposal)],
) -> anyhow::Result<()> {
    let text = match format {
        Format::Human => {
            let mut out = String::new();
            for (i, p) in proposals {
                let r = &selected[*i];
                out.push_str(&format!(
                    "{}:{}: {} {}: {} -> {} [{} {}]\n",
                    r.path.display(),
                    r.spans.get(p.field).line,
                    p.action.as_str(),
                    p.field,
                    p.old,
                    p.new,
                    p.source,
                    p.evidence
                ));
            }
            out
        }
        Format::Json => {
            let list: Vec<JsonProposal<'_>> = proposals
                .iter()
                .map(|(i, p)| JsonProposal {
                    id: selected[*i].id.as_str(),
                    proposal: p,
                })
                .collect();
            format!("{}\n", serde_json::to_string_pretty(&list)?)
        }
    };
    super::emit(None, &text)
}

/// Applies the fills and corrections: every changed record is checked with the whole database
/// first, and nothing is written when that would add an error.
fn write(
    dir: &Path,
    selected: &[Record<'_>],
    proposals: &[(usize, Proposal)],
) -> anyhow::Result<ExitCode> {
    let before = errors(Catalog::load(dir)?);
    let mut db = db::Db::load(dir)?;
    let mut changed = Vec::new();
    for (i, r) in selected.iter().enumerate() {
        let mine: Vec<Proposal> = proposals
            .iter()
            .filter(|(j, _)| *j == i)
            .map(|(_, p)| p.clone())
            .collect();
        let updated = refresh::apply(&r.paper, &mine)
            .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was written", r.path.display()))?;
        if updated != r.paper
            && let Some(entry) = db.entries.iter_mut().find(|e| e.id == r.id)
        {
            entry.paper = updated.clone();
            changed.push((r.path.clone(), updated));
        }
    }
    if changed.is_empty() {
        return Ok(exit::code(exit::SUCCESS));
    }
    let after = errors(Catalog::new(db));
    let new: Vec<_> = after.difference(&before).collect();
    if !new.is_empty() {
        for (_, human) in &new {
            super::say(human);
        }
        super::say(format!(
            "hftlist: the changes would add {} error(s) to the database; nothing was written",
            new.len()
        ));
        return Ok(exit::code(exit::PROBLEMS));
    }
    for (path, paper) in &changed {
        db::save_record(path, paper)?;
        super::say(format!("hftlist: wrote {}", path.display()));
    }
    Ok(exit::code(exit::SUCCESS))
}

/// The errors of a database, as (file and message, the printed line) for comparison.
fn errors(catalog: Catalog) -> BTreeSet<((String, String), String)> {
    lint::check_errors(&catalog, lint::today())
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| ((d.file.display().to_string(), d.message.clone()), d.human()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(text: &str) -> Paper {
        let (paper, _, diagnostics) = db::parse_record(Path::new("x.yaml"), text);
        assert_eq!(diagnostics, []);
        paper.unwrap()
    }

    #[test]
    fn the_default_selection_and_the_dblp_searches() {
        let complete = paper(
            "title: T\nkind: attack\ndate: \"2024\"\nvenue: ICLR 2025\nauthors: [A]\narxiv: \
             \"2402.01109\"\n",
        );
        assert!(!incomplete(&complete));
        assert!(!wants_dblp(&complete));
        let preprint = paper("title: T\nkind: attack\ndate: \"2024\"\narxiv: \"2402.01109\"\n");
        assert!(incomplete(&preprint));
        assert!(wants_dblp(&preprint));
        let no_arxiv = paper(
            "title: T\nkind: attack\ndate: \"2024\"\nvenue: ICLR 2025\nauthors: [A]\nopenreview: \
             h4rmFtExmp\n",
        );
        assert!(incomplete(&no_arxiv));
        assert!(wants_dblp(&no_arxiv));
    }

    #[test]
    fn a_run_fails_only_when_nothing_answered() {
        let mut tally = Tally::default();
        assert!(!tally.all_failed());
        let path = Path::new("papers/x.yaml");
        assert_eq!(
            tally.record::<()>(Source::Dblp, &[path], Err(anyhow::anyhow!("down"))),
            None
        );
        assert!(tally.all_failed());
        assert_eq!(tally.first_error.as_deref(), Some("down"));
        assert_eq!(tally.record(Source::Arxiv, &[path], Ok(1)), Some(1));
        assert!(!tally.all_failed());
        assert_eq!(tally.failed[&Source::Dblp], ["papers/x.yaml"]);
    }
}
