//! `hftlist add`: a new paper in one command, from its arXiv id or by hand.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::bail;

use crate::catalog::Catalog;
use crate::checks::lint;
use crate::exit;
use crate::import::slug_for;
use crate::model::date::PartialDate;
use crate::model::diag::Severity;
use crate::model::ident::{ArxivId, Doi, OpenReviewId, PaperId, Tag};
use crate::model::link::Url;
use crate::model::paper::{Field, Kind, Paper, Stage};
use crate::sources::{self, arxiv};
use crate::store::db::{self, Db, Entry, Spans};

/// Arguments of `add`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The arXiv id (`2501.17433`) or URL of the paper. Leave it out and give --title and --date
    /// for a paper that is not on arXiv.
    pub arxiv: Option<String>,

    /// What the paper contributes.
    #[arg(long)]
    pub kind: Kind,

    /// For a defense, the stage it acts in.
    #[arg(long)]
    pub stage: Option<Stage>,

    /// Where it was published, e.g. `NeurIPS 2024`.
    #[arg(long)]
    pub venue: Option<String>,

    /// A tag; repeatable.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<Tag>,

    /// A short remark shown in the list.
    #[arg(long)]
    pub note: Option<String>,

    /// The code repository (overrides one found in the abstract).
    #[arg(long)]
    pub code: Option<Url>,

    /// A project page.
    #[arg(long)]
    pub project: Option<Url>,

    /// The record's id [default: a slug of the title].
    #[arg(long)]
    pub id: Option<PaperId>,

    /// The date of first appearance [default: arXiv version 1].
    #[arg(long)]
    pub date: Option<PartialDate>,

    /// The title, for a paper not on arXiv.
    #[arg(long)]
    pub title: Option<String>,

    /// An author, for a paper not on arXiv; repeatable, in order.
    #[arg(long = "author", value_name = "NAME")]
    pub authors: Vec<String>,

    /// The paper's link, when no identifier gives it.
    #[arg(long)]
    pub paper: Option<Url>,

    /// The OpenReview forum id.
    #[arg(long)]
    pub openreview: Option<OpenReviewId>,

    /// The DOI.
    #[arg(long)]
    pub doi: Option<Doi>,

    /// Seconds the arXiv API may take to answer, waits it asks for included (1 to 3600).
    #[arg(long, default_value_t = 30, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// Use only answers already in the cache; never connect.
    #[arg(long)]
    pub offline: bool,

    /// Print the record and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `add`: exit 0 when the record was written (or printed), 1 when it was refused (a
/// duplicate, a taken id, a record that fails validation), 2 when arXiv could not be asked.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    check_kind_and_stage(args.kind, args.stage)?;
    // Held until the record is written: two runs cannot both find the paper new.
    let _lock = if args.dry_run {
        None
    } else {
        Some(crate::store::lock::Lock::acquire(dir)?)
    };
    let catalog = Catalog::load(dir)?;
    let arxiv_id = match &args.arxiv {
        Some(given) => Some(parse_arxiv_arg(given)?),
        None => None,
    };
    // Refuse a known paper before asking arXiv anything.
    let known = crate::model::paper::identity_keys(
        arxiv_id.as_ref(),
        args.doi.as_ref(),
        args.openreview.as_ref(),
        args.paper.as_ref(),
        args.title.as_deref().unwrap_or_default(),
    );
    if let Some(code) = refuse_duplicate(&catalog, &known) {
        return Ok(code);
    }
    let (title, authors, date, code) = match &arxiv_id {
        Some(id) => {
            let client = sources::Client::new(sources::Options {
                timeout: Duration::from_secs(args.timeout),
                offline: args.offline,
            });
            let record = arxiv::fetch(&client, id)?;
            let authors = if args.authors.is_empty() {
                record.authors
            } else {
                args.authors.clone()
            };
            (
                args.title.clone().unwrap_or(record.title),
                authors,
                args.date.unwrap_or(record.published),
                args.code.clone().or(record.code),
            )
        }
        None => {
            let (Some(title), Some(date)) = (&args.title, args.date) else {
                bail!(
                    "give an arXiv id, or --title and --date (with --paper, --openreview or --doi) \
                     for a paper not on arXiv"
                );
            };
            (title.clone(), args.authors.clone(), date, args.code.clone())
        }
    };
    let paper = Paper {
        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
        kind: args.kind,
        stage: args.stage,
        date,
        venue: args.venue.clone(),
        authors,
        arxiv: arxiv_id,
        doi: args.doi.clone(),
        openreview: args.openreview.clone(),
        paper: args.paper.clone(),
        code,
        project: args.project.clone(),
        tags: args.tags.clone(),
        note: args.note.clone(),
    };
    if paper.title.is_empty() {
        bail!("the title is empty");
    }
    // The fetched title may match a record whose identifiers differ.
    if let Some(code) = refuse_duplicate(&catalog, &paper.identity_keys()) {
        return Ok(code);
    }
    let id = match &args.id {
        Some(id) => id.clone(),
        None => slug_for(&paper.title)
            .parse()
            .map_err(|e: crate::model::ident::IdError| {
                anyhow::anyhow!("{e}; choose one with --id")
            })?,
    };
    let path = db::record_path(dir, &id);
    if path.exists() || catalog.get(id.as_str()).is_some() {
        let free = (2..)
            .filter_map(|n| format!("{id}-{n}").parse::<PaperId>().ok())
            .find(|c| !db::record_path(dir, c).exists() && catalog.get(c.as_str()).is_none())
            .map(|c| c.to_string())
            .unwrap_or_default();
        super::say(format!(
            "hftlist: the id `{id}` is taken by `{}`; choose another with --id (e.g. `--id {free}`)",
            path.display()
        ));
        return Ok(exit::code(exit::PROBLEMS));
    }
    if !check_record(catalog.into_db(), &id, &path, &paper) {
        return Ok(exit::code(exit::PROBLEMS));
    }
    if args.dry_run {
        super::emit(None, &db::to_yaml(&paper)?)?;
        return Ok(exit::code(exit::SUCCESS));
    }
    let written = db::create_record(dir, &id, &paper)?;
    super::emit(None, &format!("{}\n", written.display()))?;
    Ok(exit::code(exit::SUCCESS))
}

/// Refuses a kind and stage that cannot go together, before anything is fetched.
fn check_kind_and_stage(kind: Kind, stage: Option<Stage>) -> anyhow::Result<()> {
    match (kind, stage) {
        (Kind::Defense, None) => bail!(
            "a defense needs --stage: `pre-training`, `alignment`, `fine-tuning` or \
             `post-fine-tuning`; nothing was fetched"
        ),
        (kind, Some(stage)) if kind != Kind::Defense => bail!(
            "only a defense has a stage: drop `--stage {stage}` for this {kind}; nothing was \
             fetched"
        ),
        _ => Ok(()),
    }
}

/// An arXiv id from an id or an abs/pdf/html URL, with any version dropped.
fn parse_arxiv_arg(given: &str) -> anyhow::Result<ArxivId> {
    if let Some(id) = ArxivId::from_url(given) {
        return Ok(id);
    }
    let bare = given.strip_prefix("arXiv:").unwrap_or(given);
    let bare = crate::model::ident::strip_version(bare);
    bare.parse::<ArxivId>()
        .map_err(|e| anyhow::anyhow!("{e}; give an id such as `2501.17433` or an arxiv.org URL"))
}

/// Prints the record that shares one of the keys and returns exit 1, or `None` when the paper
/// is new.
fn refuse_duplicate(catalog: &Catalog, keys: &[(Field, &'static str, String)]) -> Option<ExitCode> {
    let found = catalog.identity().find(keys)?;
    super::say(format!(
        "hftlist: this paper is already in `{}` (same {}); nothing was written",
        catalog.record(found.index).path.display(),
        found.what
    ));
    Some(exit::code(exit::PROBLEMS))
}

/// Runs every rule on the database with the new record in it; prints what concerns the record.
/// Returns whether it may be written (no errors).
fn check_record(mut db: Db, id: &PaperId, path: &Path, paper: &Paper) -> bool {
    db.entries.push(Entry {
        id: id.clone(),
        path: PathBuf::from(path),
        paper: paper.clone(),
        spans: Spans::default(),
    });
    let diagnostics = lint::check(&Catalog::new(db), lint::today());
    // The record as it will be read back: what loading checks (control characters...) too.
    let own = db::to_yaml(paper)
        .map(|text| db::parse_record(path, &text).2)
        .unwrap_or_default();
    let mine: Vec<_> = own
        .iter()
        .chain(diagnostics.iter().filter(|d| d.file == path))
        .collect();
    for d in &mine {
        super::say(d.human());
    }
    let errors = mine
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        super::say(format!(
            "hftlist: the new record has {errors} error(s); nothing was written"
        ));
    }
    errors == 0
}
