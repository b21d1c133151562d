//! `hftlist discover`: the papers the list does not have yet. Gathers candidates from the
//! arXiv search (the `discover.phrases` of `list.yaml`) and from Semantic Scholar (the papers
//! citing `discover.cites`), then lets [`crate::discover`] drop the known ones and rank the
//! rest.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::bail;

use crate::catalog::Catalog;
use crate::discover::{self, Candidate, Settings};
use crate::exit;
use crate::model::date::PartialDate;
use crate::sources::{self, NetError, arxiv, s2};
use crate::views::discover as view;

/// Days before the newest paper's date where the default window starts: papers reach arXiv
/// and Semantic Scholar late, and a paper dated before the newest one may be new to the list.
pub const MARGIN_DAYS: i64 = 30;

/// Search pages read at most ([`arxiv::PAGE`] results each): a `--since` far back is cut with
/// a warning rather than paged for an hour at arXiv's pace.
pub const MAX_SEARCH_PAGES: usize = 20;

/// How to print the candidates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns: score, date, arXiv id, guessed kind, title, why.
    #[default]
    Table,
    /// A JSON document: `since`, `warnings`, and the candidates with their `add` command.
    Json,
    /// A review checklist, one box per candidate with its ready `hftlist add` command.
    Markdown,
}

/// Arguments of `discover`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only papers from this date on (`YYYY[-MM[-DD]]`) [default: the newest paper's date in
    /// the list, minus 30 days].
    #[arg(long, value_name = "DATE")]
    pub since: Option<PartialDate>,

    /// Print at most N candidates (the best).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Leave out candidates scoring below this (3 per key paper cited, 2 per phrase in the
    /// title, 1 per phrase only in the abstract, up to 1 for recency).
    #[arg(long, default_value_t = 2.0, value_name = "SCORE")]
    pub min_score: f64,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Seconds each request may take, waits the service asks for included (1 to 3600).
    #[arg(long, default_value_t = 30, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// Use only answers already in the cache; never connect.
    #[arg(long)]
    pub offline: bool,
}

/// What the sources gave: the candidates and, per source that failed, why.
#[derive(Default)]
struct Gathered {
    candidates: Vec<Candidate>,
    warnings: Vec<String>,
    tried: usize,
    failed: usize,
}

/// Runs `discover`: exit 0 when it could ask at least one source (whether or not it found
/// candidates), 2 when no source answered or the settings are unusable.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    if !args.min_score.is_finite() {
        bail!("--min-score must be a number");
    }
    let catalog = Catalog::load(dir)?;
    let settings = &catalog.list().discover;
    let list_path = dir.join("list.yaml");
    if settings.phrases.is_empty() && settings.cites.is_empty() {
        bail!(
            "{}: there is no `discover` section with `phrases` or `cites`; see docs/format.md",
            list_path.display()
        );
    }
    // Every key paper must be a record with an identifier S2 knows, checked before any request.
    let mut keys = Vec::new();
    for id in &settings.cites {
        let Some(record) = catalog.get(id.as_str()) else {
            bail!(
                "{}: `discover.cites` names `{id}`, which is not a record in {}",
                list_path.display(),
                dir.display()
            );
        };
        let s2_id = match (&record.paper.arxiv, &record.paper.doi) {
            (Some(a), _) => format!("ARXIV:{a}"),
            (None, Some(d)) => format!("DOI:{d}"),
            (None, None) => bail!(
                "{}: `discover.cites` names `{id}`, which has no arXiv id or DOI to find its \
                 citations by",
                list_path.display()
            ),
        };
        keys.push((id.to_string(), s2_id));
    }
    let since = match args.since {
        Some(since) => since,
        None => match catalog.ordered().last() {
            Some(newest) => discover::days_before(newest.paper.date, MARGIN_DAYS),
            None => bail!("the list has no papers to date the search from; give --since DATE"),
        },
    };
    let today = PartialDate::today();
    let today = PartialDate::from_ymd(today.year(), today.month(), today.day()).unwrap_or(since);
    let client = sources::Client::new(sources::Options {
        timeout: Duration::from_secs(args.timeout),
        offline: args.offline,
    });
    let progress = Progress::new(usize::from(!settings.phrases.is_empty()) + keys.len());
    let mut gathered = Gathered::default();
    if !settings.phrases.is_empty() {
        gathered.tried += 1;
        progress.step("arXiv search");
        match search_arxiv(&client, &settings.phrases, since) {
            Ok((found, cut)) => {
                if cut {
                    gathered.warnings.push(format!(
                        "the arXiv search stopped after {MAX_SEARCH_PAGES} pages before reaching \
                         {since}; give a later --since"
                    ));
                }
                gathered.candidates.extend(found);
            }
            Err(e) => {
                gathered.failed += 1;
                gathered
                    .warnings
                    .push(format!("the arXiv search failed: {}", describe(&e)));
            }
        }
    }
    if !keys.is_empty() {
        gathered.tried += 1;
        let mut s2_failed = false;
        for (id, s2_id) in &keys {
            progress.step(&format!("Semantic Scholar: papers citing {id}"));
            match s2::citations(&client, s2_id) {
                Ok((papers, cut)) => {
                    if cut {
                        gathered.warnings.push(format!(
                            "Semantic Scholar: only the first {} citations of `{id}` were read",
                            s2::PAGE * s2::MAX_PAGES
                        ));
                    }
                    gathered
                        .candidates
                        .extend(papers.into_iter().map(|p| Candidate {
                            title: p.title,
                            abstract_text: p.abstract_text,
                            arxiv: p.arxiv,
                            doi: p.doi,
                            date: p.date,
                            cites: [id.clone()].into(),
                        }));
                }
                // S2 does not know this one paper: the others may still answer.
                Err(e) if is_not_found(&e) => gathered.warnings.push(format!(
                    "Semantic Scholar does not know `{id}` ({s2_id}): {}",
                    describe(&e)
                )),
                Err(e) => {
                    gathered.warnings.push(format!(
                        "the Semantic Scholar citations of `{id}` failed: {}",
                        describe(&e)
                    ));
                    // The service is down or unreachable: asking for the next key papers
                    // would only wait as long again.
                    s2_failed = true;
                    break;
                }
            }
        }
        if s2_failed {
            gathered.failed += 1;
        }
    }
    for w in &gathered.warnings {
        super::say(format!("hftlist: warning: {w}"));
    }
    if gathered.tried == gathered.failed {
        bail!("no source could be asked (see the warnings above); nothing to discover");
    }
    let ranked = discover::rank(
        &catalog,
        gathered.candidates,
        &Settings {
            phrases: settings.phrases.clone(),
            since,
            today,
        },
    );
    let total = ranked.candidates.len();
    let mut shown: Vec<_> = ranked
        .candidates
        .into_iter()
        .filter(|c| c.score >= args.min_score)
        .collect();
    let below = total - shown.len();
    if let Some(n) = args.limit {
        shown.truncate(n);
    }
    super::say(format!(
        "hftlist: {} candidate(s) since {since}; left out: {} already in the list, {} older, {} \
         below --min-score {}",
        shown.len(),
        ranked.listed.len(),
        ranked.older,
        below,
        args.min_score
    ));
    let text = match args.format {
        Format::Table if shown.is_empty() => String::new(),
        Format::Table => view::table(&shown),
        Format::Json => view::json(since, &gathered.warnings, &shown)?,
        Format::Markdown => view::markdown(since, &gathered.warnings, &shown),
    };
    super::emit(None, &text)?;
    Ok(exit::code(exit::SUCCESS))
}

/// The arXiv search, newest first, page after page until a page reaches back before `since`,
/// the results end, or [`MAX_SEARCH_PAGES`]; returns the candidates and whether it was cut.
fn search_arxiv(
    client: &sources::Client,
    phrases: &[String],
    since: PartialDate,
) -> anyhow::Result<(Vec<Candidate>, bool)> {
    let endpoint = arxiv::SERVICE.endpoint()?;
    let mut out = Vec::new();
    let mut start = 0;
    for _ in 0..MAX_SEARCH_PAGES {
        let url = arxiv::search_url(&endpoint, phrases, start, arxiv::PAGE);
        let xml = client.get(&arxiv::SERVICE, &url)?;
        let page = arxiv::parse_page(&xml)
            .map_err(|e| anyhow::anyhow!("cannot read the answer of {url}: {e}"))?;
        if page.entries.is_empty() {
            return Ok((out, false));
        }
        start += page.entries.len();
        let reached_since = page.entries.iter().any(|e| e.published < since);
        out.extend(page.entries.into_iter().map(|e| Candidate {
            doi: e.doi.as_deref().and_then(|d| d.parse().ok()),
            title: e.title,
            abstract_text: Some(e.summary).filter(|s| !s.is_empty()),
            arxiv: Some(e.id),
            date: Some(e.published),
            cites: Default::default(),
        }));
        if reached_since || page.total.is_some_and(|t| start >= t) {
            return Ok((out, false));
        }
    }
    Ok((out, true))
}

/// Whether the error is the service saying it has no such paper (HTTP 404).
fn is_not_found(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<NetError>(),
        Some(NetError::Status { status: 404, .. })
    )
}

/// The error on one line (an offline miss lists its requests after a colon).
fn describe(e: &anyhow::Error) -> String {
    match e.downcast_ref::<NetError>() {
        Some(NetError::Offline(urls)) => format!(
            "--offline, and the cache has no answer for {}; run without --offline to fetch",
            urls.join(", ")
        ),
        _ => format!("{e:#}"),
    }
}

/// Which source is being asked, on stderr when it is a terminal (a log or CI run gets only
/// the client's `fetching` lines and the summary).
struct Progress {
    on: bool,
    steps: usize,
    done: std::cell::Cell<usize>,
}

impl Progress {
    fn new(steps: usize) -> Self {
        Self {
            on: std::io::stderr().is_terminal(),
            steps,
            done: std::cell::Cell::new(0),
        }
    }

    fn step(&self, what: &str) {
        self.done.set(self.done.get() + 1);
        if self.on {
            let (done, steps) = (self.done.get(), self.steps);
            let width = 20;
            let filled = width * done / steps.max(1);
            super::say(format!(
                "hftlist: [{}{}] {done}/{steps} {what}",
                "#".repeat(filled),
                "-".repeat(width - filled)
            ));
        }
    }
}
